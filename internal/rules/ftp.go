package rules

import (
	"fmt"
	"io/fs"
	"strconv"
	"strings"
	"time"

	"bastion/internal/host"
	"bastion/internal/remedy"
	"bastion/internal/rule"
	"bastion/internal/severity"
	"bastion/internal/target"
)

// The FTP rules look at the FTP servers a host starts, whatever the policy
// says of them: SVC-FTP reports a server the policy does not allow, and
// these rules how it is set up. With no FTP server started they are quiet.

// ftpOf returns the FTP set-up, nil when no FTP server is started, or an
// undecided error when start-up files could not be read and none was
// found.
func ftpOf(c *rule.Context) (*host.FTP, error) {
	f := c.Facts.FTP
	if f == nil || len(f.Servers) == 0 {
		if why := startGaps(c); why != "" {
			return nil, rule.Undecided("a start-up file could not be read (%s)", why)
		}
		return nil, nil
	}
	return f, nil
}

// ftpReaders returns the servers that read the list at p.
func ftpReaders(f *host.FTP, p string) []*host.FTPServer {
	var out []*host.FTPServer
	for i := range f.Servers {
		for _, q := range f.Servers[i].Lists {
			if q == p {
				out = append(out, &f.Servers[i])
				break
			}
		}
	}
	return out
}

// ftpExposure is the exposure of the most exposed of the servers.
func ftpExposure(c *rule.Context, servers []*host.FTPServer) rule.Exposure {
	rank := map[rule.Exposure]int{rule.Public: 0, rule.Unknown: 1, rule.Host: 2, rule.Local: 3, rule.Dormant: 4}
	best := rule.Dormant
	for _, s := range servers {
		if e := exposure(c, &s.Start); rank[e] < rank[best] {
			best = e
		}
	}
	return best
}

// ftpServerNames names the servers for a finding.
func ftpServerNames(servers []*host.FTPServer) string {
	var names []string
	for _, s := range servers {
		names = append(names, s.Name())
	}
	return strings.Join(names, ", ")
}

// ftpListProblems returns why the lists, or the configurations that name
// them, could not be read, for a rule that found nothing.
func ftpListProblems(f *host.FTP) string {
	for _, s := range f.Servers {
		if s.ConfigProblem != "" {
			return s.Configs[0] + ": " + s.ConfigProblem
		}
	}
	for _, l := range f.Lists {
		if l.Problem != "" {
			return l.Path + ": " + l.Problem
		}
	}
	return ""
}

// ftpAdminGroup is the group of a file bastion creates: system on AIX.
func ftpAdminGroup(c *rule.Context) string {
	if c.Facts.Platform.OS == target.AIX {
		return "system"
	}
	return "root"
}

// ftpMissing returns the accounts a list of refused users does not name.
func ftpMissing(f *host.FTP, l *host.FTPUserList) []host.FTPAccount {
	var out []host.FTPAccount
	for _, a := range f.Refused() {
		if !l.Has(a.Name) {
			out = append(out, a)
		}
	}
	return out
}

// ftpAdmitted returns the lines of a list of admitted users that name an
// account FTP must refuse.
func ftpAdmitted(f *host.FTP, l *host.FTPUserList) []host.FTPListName {
	var out []host.FTPListName
	for _, n := range l.Names {
		if a := f.Account(n.Name); a != nil && a.Refuse {
			out = append(out, n)
		}
	}
	return out
}

// ftpAccountNames lists account names, each with why it is there when why is
// set.
func ftpAccountNames(as []host.FTPAccount, why bool) string {
	var out []string
	for _, a := range as {
		if why {
			out = append(out, a.Name+" ("+a.Why+")")
		} else {
			out = append(out, a.Name)
		}
	}
	return strings.Join(out, ", ")
}

// fixFtpusers makes a list of refused users name every account FTP must
// refuse: it creates a missing list, mode 0640, or adds the names it
// lacks at its end. Every rule that wants names in a list asks for the
// same change, so the plan makes it once.
func fixFtpusers(c *rule.Context, id, p string) []remedy.Change {
	f := c.Facts.FTP
	if f == nil || !f.AccountsRead {
		return nil
	}
	l := f.List(p)
	if l == nil || !l.Deny || l.Problem != "" {
		return nil
	}
	if !l.Exists {
		var names []string
		for _, a := range f.Refused() {
			names = append(names, a.Name)
		}
		if len(names) == 0 {
			return nil
		}
		return []remedy.Change{remedy.CreateFile(p, strings.Join(names, "\n")+"\n", 0o640, "root", ftpAdminGroup(c)).
			For(id, "refuse FTP to root and the system accounts")}
	}
	var names []string
	for _, a := range ftpMissing(f, l) {
		names = append(names, a.Name)
	}
	if len(names) == 0 {
		return nil
	}
	return []remedy.Change{remedy.AppendLines(p, names...).For(id, "refuse FTP to root and the system accounts")}
}

var _ = rule.Register(rule.Rule{
	ID: "FTP-USERS-MISSING", Title: "the list of users refused FTP does not exist", Severity: severity.Medium, Topic: "ftp",
	Rationale: "The accounts that are not permitted to use FTP must be listed in /etc/ftpusers: root and the system accounts (Securing AIX Network Services, Improving FTP security, step 2; AIX Security Basics, FTP Service Considerations). " +
		"Without the file, or with a server that reads no such list, every account with a password may log in by FTP, in clear text.",
	Remediation: "Create the list (/etc/ftpusers, or the file vsftpd's PAM set-up or userlist_file names), one user name a line, naming root and every system account; owner root, mode 0640.",
	References:  []string{"CIS AIX 5.3/6.1 2.12.9"},
	Check: func(c *rule.Context, rep *rule.Report) error {
		f, err := ftpOf(c)
		if f == nil {
			return err
		}
		for i := range f.Lists {
			l := &f.Lists[i]
			if l.Exists || l.Problem != "" || !l.Deny {
				continue
			}
			readers := ftpReaders(f, l.Path)
			rep.Add(rule.Finding{
				Where:    rule.Location{File: l.Path},
				Service:  "ftp",
				Found:    l.Path + " does not exist: " + ftpServerNames(readers) + " refuses no account",
				Expected: l.Path + " naming root and every system account, owned by root, mode 0640",
				Exposure: ftpExposure(c, readers),
				Data:     map[string]string{"list": l.Path},
			})
		}
		for i := range f.Servers {
			s := &f.Servers[i]
			if s.NoList == "" {
				continue
			}
			where := startLocation(&s.Start)
			if len(s.Configs) > 0 {
				where = rule.Location{File: s.Configs[0]}
			}
			rep.Add(rule.Finding{
				Where:    where,
				Service:  "ftp",
				Found:    s.NoList,
				Expected: "a list of refused users, naming root and every system account",
				Exposure: exposure(c, &s.Start),
			})
		}
		if len(rep.Findings()) == 0 {
			if why := ftpListProblems(f); why != "" {
				return rule.Undecided("%s", why)
			}
		}
		return nil
	},
	Fix: func(c *rule.Context, f rule.Finding) []remedy.Change {
		if f.Data["list"] == "" {
			return nil // which list the server should read is the site's to say
		}
		return fixFtpusers(c, f.Rule, f.Data["list"])
	},
})

var _ = rule.Register(rule.Rule{
	ID: "FTP-USERS-INCOMPLETE", Title: "FTP does not refuse root or a system account", Severity: severity.Medium, Topic: "ftp",
	Rationale: "/etc/ftpusers should include root as well as all of the pre-defined administrative accounts: daemon, bin, sys, adm, uucp, guest, nobody, lpd, invscout, imnadm, ipsec, nwroot, nwuser, nwprint, nwldap, ldap, nuucp and netinst (Securing AIX Network Services, Improving FTP security, step 2); " +
		"system accounts do not need to transfer files (AIX Security Basics, FTP Service Considerations). On AIX every account below UID 200 counts, as lunar checks; on Linux every system UID and every account whose shell allows no log-in.",
	Remediation: "Add the missing names to the list of refused users, one a line; take root and the system accounts out of a list of the only users admitted (vsftpd userlist_deny=NO).",
	References:  []string{"CIS AIX 5.3/6.1 2.12.9"},
	Check: func(c *rule.Context, rep *rule.Report) error {
		f, err := ftpOf(c)
		if f == nil {
			return err
		}
		if !f.AccountsRead {
			return rule.Undecided("/etc/passwd could not be read: which accounts FTP must refuse is unknown")
		}
		for i := range f.Lists {
			l := &f.Lists[i]
			if !l.Exists || l.Problem != "" {
				continue
			}
			readers := ftpReaders(f, l.Path)
			if l.Deny {
				missing := ftpMissing(f, l)
				if len(missing) == 0 {
					continue
				}
				sev := severity.Level(0)
				if missing[0].Name == "root" {
					sev = severity.High
				}
				rep.Add(rule.Finding{
					Where:    rule.Location{File: l.Path},
					Severity: sev,
					Service:  "ftp",
					Found:    fmt.Sprintf("%s does not name %d account(s) FTP must refuse: %s", l.Path, len(missing), ftpAccountNames(missing, true)),
					Expected: "root and every system account listed",
					Exposure: ftpExposure(c, readers),
					Data:     map[string]string{"list": l.Path},
				})
				continue
			}
			admitted := ftpAdmitted(f, l)
			if len(admitted) == 0 {
				continue
			}
			var names []string
			sev := severity.Level(0)
			for _, n := range admitted {
				names = append(names, n.Name)
				if n.Name == "root" {
					sev = severity.High
				}
			}
			rep.Add(rule.Finding{
				Where:    rule.Location{File: l.Path, Line: admitted[0].Line},
				Severity: sev,
				Service:  "ftp",
				Found:    l.Path + " lists the only users FTP admits, and names accounts it must refuse: " + strings.Join(names, ", "),
				Expected: "neither root nor any system account admitted",
				Exposure: ftpExposure(c, readers),
				Data:     map[string]string{"list": l.Path, "admitted": "yes"},
			})
		}
		if len(rep.Findings()) == 0 {
			if why := ftpListProblems(f); why != "" {
				return rule.Undecided("%s", why)
			}
		}
		return nil
	},
	Fix: func(c *rule.Context, f rule.Finding) []remedy.Change {
		p := f.Data["list"]
		if f.Data["admitted"] == "" {
			return fixFtpusers(c, f.Rule, p)
		}
		ftp := c.Facts.FTP
		l := ftp.List(p)
		if l == nil {
			return nil
		}
		var edits []remedy.Edit
		for _, n := range ftpAdmitted(ftp, l) {
			edits = append(edits, remedy.Edit{Op: remedy.OpDelete, Line: n.Line, Old: n.Text})
		}
		if len(edits) == 0 {
			return nil
		}
		return []remedy.Change{remedy.EditLines(p, edits...).For(f.Rule, "admit neither root nor the system accounts")}
	},
})

var _ = rule.Register(rule.Rule{
	ID: "FTP-USERS-PERMS", Title: "the list of FTP users is not owned by root or is open to others", Severity: severity.Medium, Topic: "ftp",
	Rationale:   "The FTP users file should be owned by root to protect it from unauthorised modification, with a permission like 640 that lets only root decide what is in it (AIX Security Basics, FTP Service Considerations).",
	Remediation: "chown root and chmod 0640 the list.",
	References:  []string{"CIS AIX 5.3/6.1 2.12.9"},
	Check: func(c *rule.Context, rep *rule.Report) error {
		f, err := ftpOf(c)
		if f == nil {
			return err
		}
		for i := range f.Lists {
			l := &f.Lists[i]
			if !l.Exists || l.Problem != "" {
				continue
			}
			var problems []string
			data := map[string]string{"list": l.Path}
			if perm := l.Mode.Perm(); perm&^0o640 != 0 {
				problems = append(problems, fmt.Sprintf("mode %04o", perm))
				data["mode"] = strconv.FormatUint(uint64(perm&0o640), 8)
			}
			if l.UID > 0 {
				problems = append(problems, "owner UID "+strconv.Itoa(l.UID))
				data["owner"] = "root"
			}
			if len(problems) == 0 {
				continue
			}
			rep.Add(rule.Finding{
				Where:    rule.Location{File: l.Path},
				Service:  "ftp",
				Found:    l.Path + " has " + strings.Join(problems, " and "),
				Expected: "owned by root, mode 0640 or tighter",
				Exposure: rule.Host,
				Data:     data,
			})
		}
		if len(rep.Findings()) == 0 {
			if why := ftpListProblems(f); why != "" {
				return rule.Undecided("%s", why)
			}
		}
		return nil
	},
	Fix: func(c *rule.Context, f rule.Finding) []remedy.Change {
		p := f.Data["list"]
		var out []remedy.Change
		if m, err := strconv.ParseUint(f.Data["mode"], 8, 32); err == nil && f.Data["mode"] != "" {
			out = append(out, remedy.Chmod(p, fs.FileMode(m)).For(f.Rule, "only root may change who is refused FTP"))
		}
		if f.Data["owner"] != "" {
			out = append(out, remedy.Chown(p, "root", "").For(f.Rule, "only root may change who is refused FTP"))
		}
		return out
	},
})

var _ = rule.Register(rule.Rule{
	ID: "FTP-FTPD-OPTIONS", Title: "ftpd is started without logging or without a tight umask", Severity: severity.Medium, Topic: "ftp",
	Rationale:   "The method starts ftpd as \"ftpd -l -u077\": -l logs each FTP session to the daemon facility at info, and -u077 keeps uploaded files from other users instead of the default umask 027 (Securing AIX Network Services, Improving FTP security).",
	Remediation: "Add -l and -u077 to ftpd's arguments in /etc/inetd.conf, then refresh -s inetd.",
	References:  []string{"CIS AIX 5.3/6.1 2.12.10"},
	Platforms:   []target.OS{target.AIX},
	Check: func(c *rule.Context, rep *rule.Report) error {
		f, err := ftpOf(c)
		if f == nil {
			return err
		}
		for i := range f.Servers {
			s := &f.Servers[i]
			if s.Daemon != host.FTPDaemonFtpd {
				continue
			}
			var problems []string
			if !s.Logging {
				problems = append(problems, "without -l, so FTP sessions are not logged")
			}
			if !ftpUmaskTight(s.Umask) {
				if s.Umask == "" {
					problems = append(problems, "without -u077, so uploaded files get the default umask 027")
				} else {
					problems = append(problems, "with -u"+s.Umask+", which leaves uploaded files open to others")
				}
			}
			if len(problems) == 0 {
				continue
			}
			rep.Add(rule.Finding{
				Where:    startLocation(&s.Start),
				Service:  "ftp",
				Found:    s.Name() + " is started " + strings.Join(problems, ", and "),
				Expected: "ftpd -l -u077",
				Exposure: exposure(c, &s.Start),
				Start:    &s.Start,
			})
		}
		return nil
	},
	Fix: func(c *rule.Context, f rule.Finding) []remedy.Change {
		s := f.Start
		if s == nil || s.Kind != host.KindInetd {
			return nil
		}
		if ftpTurnedOff(c, s) {
			// SVC-FTP comments the line out: ask for the same change.
			return fixStart(c, f)
		}
		line, ok := ftpdLine(s.Text)
		if !ok {
			return nil
		}
		reload := remedy.Command(f.Rule, "make inetd read inetd.conf again", "refresh", "-s", "inetd")
		if c.Facts.Platform.OS != target.AIX {
			reload = remedy.Command(f.Rule, "make inetd read inetd.conf again", "pkill", "-HUP", "-x", "inetd")
		}
		return []remedy.Change{
			remedy.ReplaceLine(s.Source.File, s.Source.Line, s.Text, line).For(f.Rule, "log FTP sessions and keep uploads from other users"),
			reload.WhenOffline("inetd reads the file when it next starts"),
		}
	},
})

// ftpTurnedOff reports whether SVC-FTP's fix turns the start off: the
// policy does not allow it, and no waiver in force keeps it.
func ftpTurnedOff(c *rule.Context, s *host.Start) bool {
	if c.Policy.Allows(names(c, s)...) {
		return false
	}
	w, expired := c.Policy.Waive("SVC-FTP", startLocation(s).String(), time.Now())
	return w == nil || expired
}

// ftpUmaskTight reports whether an ftpd -u value keeps uploads from group and
// others: 077 or more.
func ftpUmaskTight(v string) bool {
	if v == "" {
		return false
	}
	n, err := strconv.ParseUint(v, 8, 32)
	return err == nil && n&0o077 == 0o077
}

// ftpdLine returns an inetd.conf line for ftpd with -l and -u077: a weak
// -u value is replaced where it is written, missing options are added at
// the end of the line, and the spacing of the line is kept.
func ftpdLine(text string) (string, bool) {
	type word struct{ start, end int }
	var words []word
	for i := 0; i < len(text); {
		for i < len(text) && (text[i] == ' ' || text[i] == '\t') {
			i++
		}
		if i >= len(text) {
			break
		}
		j := i
		for j < len(text) && text[j] != ' ' && text[j] != '\t' {
			j++
		}
		words = append(words, word{i, j})
		i = j
	}
	// service, socket type, protocol, wait, user, server, argv[0], options.
	if len(words) < 7 || strings.HasPrefix(text, "#") {
		return "", false
	}
	logging := false
	uStart, uEnd := -1, -1
	for k := 7; k < len(words); k++ {
		w := text[words[k].start:words[k].end]
		if w == "--" || !strings.HasPrefix(w, "-") || w == "-" {
			break
		}
		for j := 1; j < len(w); j++ {
			c := w[j]
			if c != 'u' && c != 't' && c != 'T' {
				logging = logging || c == 'l'
				continue
			}
			vs, ve := words[k].start+j+1, words[k].end
			if vs == ve && k+1 < len(words) {
				k++
				vs, ve = words[k].start, words[k].end
			}
			if c == 'u' {
				uStart, uEnd = vs, ve
			}
			break
		}
	}
	out := text
	if uStart >= 0 && !ftpUmaskTight(text[uStart:uEnd]) {
		out = text[:uStart] + "077" + text[uEnd:]
	}
	out = strings.TrimRight(out, " \t")
	if !logging {
		out += " -l"
	}
	if uStart < 0 {
		out += " -u077"
	}
	return out, out != text
}

var _ = rule.Register(rule.Rule{
	ID: "FTP-ANONYMOUS", Title: "anonymous FTP is enabled", Severity: severity.High, Topic: "ftp",
	Rationale: "Providing anonymous FTP service is highly advised against (Securing AIX Network Services, Improving FTP security): anyone may log in without a password and read, or with a careless set-up write, the files it serves. " +
		"ftpd serves anonymous users as the ftp account when it has a home directory; vsftpd does unless anonymous_enable=NO, its compiled-in default being YES; ProFTPD in each <Anonymous> section.",
	Remediation: "vsftpd: set anonymous_enable=NO. ftpd: add ftp and anonymous to /etc/ftpusers, or remove the ftp account. ProFTPD: remove the <Anonymous> sections. Pure-FTPd: start it with -E.",
	References:  []string{"STIG GEN004820"},
	Check: func(c *rule.Context, rep *rule.Report) error {
		f, err := ftpOf(c)
		if f == nil {
			return err
		}
		var unknown []string
		seen := map[host.Source]bool{}
		for i := range f.Servers {
			s := &f.Servers[i]
			switch {
			case s.ConfigProblem != "":
				unknown = append(unknown, s.Configs[0]+": "+s.ConfigProblem)
				continue
			case (s.Daemon == host.FTPDaemonFtpd || s.Daemon == host.FTPDaemonPureFTPd) && !f.AccountsRead:
				unknown = append(unknown, "/etc/passwd could not be read")
				continue
			}
			for _, a := range s.Anonymous {
				if seen[a.Source] {
					continue
				}
				seen[a.Source] = true
				data := map[string]string{"daemon": s.Daemon, "option": a.Option, "text": a.Text, "unit": s.Start.Source.Unit}
				if s.Daemon == host.FTPDaemonFtpd && len(s.Lists) > 0 {
					data["list"] = s.Lists[0]
				}
				rep.Add(rule.Finding{
					Where:    rule.Location{File: a.Source.File, Line: a.Source.Line},
					Service:  "ftp",
					Found:    s.Name() + " lets anyone in without a password: " + a.What,
					Expected: "no anonymous FTP",
					Exposure: exposure(c, &s.Start),
					Start:    &s.Start,
					Data:     data,
				})
			}
		}
		if len(rep.Findings()) == 0 && len(unknown) > 0 {
			return rule.Undecided("%s", strings.Join(unknown, "; "))
		}
		return nil
	},
	Fix: func(c *rule.Context, f rule.Finding) []remedy.Change {
		switch f.Data["daemon"] {
		case host.FTPDaemonFtpd:
			if f.Data["list"] == "" {
				return nil
			}
			return fixFtpusers(c, f.Rule, f.Data["list"])
		case host.FTPDaemonVsftpd:
			if f.Where.File == "" || f.Start != nil && f.Where.File == f.Start.Source.File && f.Where.Line == f.Start.Source.Line {
				return nil // set on the command line: the start is the site's to change
			}
			var edit remedy.Change
			if f.Where.Line > 0 && f.Data["text"] != "" {
				edit = remedy.ReplaceLine(f.Where.File, f.Where.Line, f.Data["text"], "anonymous_enable=NO")
			} else {
				edit = remedy.AppendLines(f.Where.File, "anonymous_enable=NO")
			}
			out := []remedy.Change{edit.For(f.Rule, "turn anonymous FTP off")}
			if unit := f.Data["unit"]; unit != "" {
				out = append(out, remedy.Command(f.Rule, "make vsftpd read its configuration again", "systemctl", "restart", unit).
					WhenOffline("read when vsftpd next starts"))
			}
			return out
		}
		return nil
	},
})

var _ = rule.Register(rule.Rule{
	ID: "FTP-CLEARTEXT", Title: "FTP runs in clear text where the server could use TLS", Severity: severity.Info, Topic: "ftp",
	Rationale:   "Decide whether to allow unencrypted file transfers, the default, or encrypted ones with FTPS or SFTP (AIX Security Basics, FTP Service Considerations): FTP sends passwords and files in clear text. vsftpd and ProFTPD can offer FTPS.",
	Remediation: "vsftpd: set ssl_enable=YES with rsa_cert_file and rsa_private_key_file, and force_local_logins_ssl=YES. ProFTPD: TLSEngine on with its certificates (mod_tls). Or offer SFTP through sshd instead.",
	References:  []string{"STIG GEN004800"},
	Check: func(c *rule.Context, rep *rule.Report) error {
		f, err := ftpOf(c)
		if f == nil {
			return err
		}
		var unknown []string
		for i := range f.Servers {
			s := &f.Servers[i]
			if s.Daemon != host.FTPDaemonVsftpd && s.Daemon != host.FTPDaemonProftpd {
				continue
			}
			if s.ConfigProblem != "" {
				unknown = append(unknown, s.Configs[0]+": "+s.ConfigProblem)
				continue
			}
			if s.TLS != host.AnswerNo {
				continue
			}
			found := "ssl_enable=NO"
			switch {
			case s.Daemon == host.FTPDaemonProftpd && s.TLSSource.Line == 0:
				found = "no TLSEngine on in the configuration"
			case s.Daemon == host.FTPDaemonProftpd:
				found = "TLSEngine off"
			case s.TLSSource.Line == 0:
				found = "ssl_enable is not set, and vsftpd's default is NO"
			}
			rep.Add(rule.Finding{
				Where:    rule.Location{File: s.TLSSource.File, Line: s.TLSSource.Line},
				Service:  "ftp",
				Found:    s.Name() + " offers no FTPS: " + found,
				Expected: "FTPS (or SFTP instead of FTP)",
				Exposure: exposure(c, &s.Start),
			})
		}
		if len(rep.Findings()) == 0 && len(unknown) > 0 {
			return rule.Undecided("%s", strings.Join(unknown, "; "))
		}
		return nil
	},
})
