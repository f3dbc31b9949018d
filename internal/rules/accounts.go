package rules

import (
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"

	"bastion/internal/crypt"
	"bastion/internal/host"
	"bastion/internal/remedy"
	"bastion/internal/rule"
	"bastion/internal/severity"
	"bastion/internal/target"
)

// acctSeed names the sections of the method the account rules follow.
const acctSeed = "Securing Linux, step 2 (strong passwords: shadow passwords, password quality, cracking the passwords users chose)"

// accountsOf returns the accounts model, or an undecided error when
// /etc/passwd could not be read or the platform is not known.
func accountsOf(c *rule.Context) (*host.Accounts, error) {
	a := c.Facts.Accounts
	if osName := c.Facts.Platform.OS; a == nil || osName != target.AIX && osName != target.Linux {
		return nil, rule.Undecided("the platform is not known, so neither are its account databases")
	}
	if !a.Passwd.Exists || a.Passwd.Problem != "" || len(a.Users) == 0 {
		why := a.Passwd.Problem
		if why == "" {
			why = "missing or empty"
		}
		return nil, rule.Undecided("%s could not be read: %s", a.Passwd.Path, why)
	}
	return a, nil
}

// shadowUnread returns an undecided error when the file that holds the
// hashes could not be read, so that what it says of the accounts is not
// known.
func shadowUnread(a *host.Accounts) error {
	if a.Shadow.Problem != "" {
		return rule.Undecided("%s could not be read: %s", a.Shadow.Path, a.Shadow.Problem)
	}
	return nil
}

// usable reports whether an account's password lets someone log in with
// a password: a hash that is not locked, or no password at all.
func usable(u host.Account) bool {
	return u.Password.Kind == crypt.KindHash || u.Password.Kind == crypt.KindEmpty
}

// hashFile is where a platform keeps the hashes.
func hashFile(c *rule.Context) string {
	if c.Facts.Platform.OS == target.AIX {
		return "/etc/security/passwd"
	}
	return "/etc/shadow"
}

var _ = rule.Register(rule.Rule{
	ID: "ACCT-HASH-EXPOSED", Title: "password hashes are in a file every user can read", Severity: severity.Critical, Topic: "accounts",
	Rationale: "Anyone who can read a hash can guess at it offline, as fast as their hardware allows, with no log entry and no lockout; shadow passwords move the hashes to a file only root reads (" + acctSeed + "). " +
		"On AIX a hash belongs in /etc/security/passwd, with '!' in /etc/passwd.",
	Remediation: "Linux: run pwconv to move the hashes to /etc/shadow, and keep /etc/shadow mode 0640 (owner root, group shadow) or 0000 as Red Hat ships it. " +
		"AIX: set the password again with passwd or pwdadm, which stores it in /etc/security/passwd, and keep that file mode 0600, owner root, group security. bastion fixes the file modes; moving a hash is the platform tool's job.",
	References: []string{"CIS Debian 12 7.1.5", "CIS AIX 7 3.3", "STIG RHEL-09-232190"},
	Check: func(c *rule.Context, rep *rule.Report) error {
		a, err := accountsOf(c)
		if err != nil {
			return err
		}
		for _, u := range a.Users {
			if u.InPasswd.Kind != crypt.KindHash && !(u.InPasswd.Kind == crypt.KindLocked && u.InPasswd.Scheme.ID != "") {
				continue
			}
			rep.Add(rule.Finding{
				Where:    rule.Location{File: u.Source.File, Line: u.Source.Line},
				Found:    fmt.Sprintf("%s: a %s hash in %s, which every user can read", u.Name, u.InPasswd.Scheme.Name, u.Source.File),
				Expected: fmt.Sprintf("the hash in %s and %q in %s", hashFile(c), shadowMark(c), u.Source.File),
				Exposure: rule.Host,
			})
		}
		if a.Shadow.Exists && a.Shadow.Problem == "" && a.Shadow.Mode.Perm()&0o004 != 0 {
			rep.Add(rule.Finding{
				Where:    rule.Location{File: a.Shadow.Path},
				Found:    fmt.Sprintf("%s is readable by every user (%s)", a.Shadow.Path, cronState(a.Shadow)),
				Expected: fmt.Sprintf("mode %s, owner root", hashFileMode(c)),
				Exposure: rule.Host,
				Data:     map[string]string{"chmod": a.Shadow.Path},
			})
		}
		return nil
	},
	Fix: func(c *rule.Context, f rule.Finding) []remedy.Change {
		p := f.Data["chmod"]
		if p == "" {
			return nil
		}
		mode := uint32(0o640)
		if c.Facts.Platform.OS == target.AIX {
			mode = 0o600
		}
		return []remedy.Change{remedy.Chmod(p, fs.FileMode(mode)).For(f.Rule, "only root (and the shadow group) may read the hashes")}
	},
})

// shadowMark is what /etc/passwd holds for an account whose hash is
// elsewhere.
func shadowMark(c *rule.Context) string {
	if c.Facts.Platform.OS == target.AIX {
		return "!"
	}
	return "x"
}

// hashFileMode describes the mode the file of hashes should have.
func hashFileMode(c *rule.Context) string {
	if c.Facts.Platform.OS == target.AIX {
		return "0600"
	}
	return "0640 or stricter"
}

var _ = rule.Register(rule.Rule{
	ID: "ACCT-EMPTY-PASSWORD", Title: "an account has no password", Severity: severity.Critical, Topic: "accounts",
	Rationale:   "An account with an empty password field lets anyone log in as it, or su to it, without a password (" + acctSeed + ").",
	Remediation: "Lock the account (passwd -l NAME on Linux; on AIX set password = * in /etc/security/passwd, or chuser account_locked=true NAME) or give it a password. bastion locks it.",
	References:  []string{"CIS Debian 12 7.2.2", "CIS AIX 7 3.4.1"},
	Check: func(c *rule.Context, rep *rule.Report) error {
		a, err := accountsOf(c)
		if err != nil {
			return err
		}
		for _, u := range a.Users {
			if u.Password.Kind != crypt.KindEmpty {
				continue
			}
			rep.Add(rule.Finding{
				Where:    rule.Location{File: u.HashFrom.File, Line: u.HashFrom.Line},
				Found:    fmt.Sprintf("%s has an empty password field", u.Name),
				Expected: "a password, or the account locked",
				Exposure: rule.Host,
				Data:     map[string]string{"user": u.Name},
			})
		}
		return shadowUnread(a)
	},
	Fix: func(c *rule.Context, f rule.Finding) []remedy.Change {
		u, ok := c.Facts.Accounts.User(f.Data["user"])
		if !ok || u.HashFrom.Line == 0 {
			return nil
		}
		old := u.EmptyLine
		if old == "" {
			return nil
		}
		var repl string
		switch {
		case u.HashFrom.File == "/etc/security/passwd":
			repl = strings.TrimRight(old, " \t") + " *"
			if i := strings.Index(old, "="); i >= 0 {
				repl = old[:i+1] + " *"
			}
		default:
			fields := strings.Split(old, ":")
			if len(fields) < 2 || fields[1] != "" {
				return nil
			}
			fields[1] = "!"
			if c.Facts.Platform.OS == target.AIX {
				fields[1] = "*" // on AIX "!" means "see /etc/security/passwd"
			}
			repl = strings.Join(fields, ":")
		}
		return []remedy.Change{remedy.ReplaceLine(u.HashFrom.File, u.HashFrom.Line, old, repl).For(f.Rule, "lock "+u.Name+", which had no password")}
	},
})

// lineAt returns line n (1-based) of a file the accounts model kept.
func lineAt(c *rule.Context, file string, n int) (string, bool) {
	lines, ok := c.Facts.Accounts.Text[file]
	if !ok || n < 1 || n > len(lines) {
		return "", false
	}
	return lines[n-1], true
}

var _ = rule.Register(rule.Rule{
	ID: "ACCT-UID0", Title: "an account other than root has UID 0", Severity: severity.High, Topic: "accounts",
	Rationale:   "Every account with UID 0 is root under another name: its logins escape the scrutiny root's get, and a second root is a classic back door.",
	Remediation: "Give the account a UID of its own (usermod -u, chuser id=) or remove it; administrators should log in as themselves and use sudo or su.",
	References:  []string{"CIS Debian 12 7.2.5", "CIS AIX 7 3.4.2"},
	Check: func(c *rule.Context, rep *rule.Report) error {
		a, err := accountsOf(c)
		if err != nil {
			return err
		}
		for _, u := range a.Users {
			if u.UID != 0 || u.Name == "root" {
				continue
			}
			rep.Add(rule.Finding{
				Where:    rule.Location{File: u.Source.File, Line: u.Source.Line},
				Found:    fmt.Sprintf("%s has UID 0", u.Name),
				Expected: "root the only account with UID 0",
				Exposure: rule.Host,
			})
		}
		return nil
	},
})

var _ = rule.Register(rule.Rule{
	ID: "ACCT-DUPLICATE", Title: "two accounts or groups share a name or a number", Severity: severity.Medium, Topic: "accounts",
	Rationale:   "Files, processes and logs know an account by its number: two accounts with one UID own each other's files, and an audit trail cannot tell them apart. Two lines with one name mean only the first is used, whatever the second says.",
	Remediation: "Give each account and group a name and a number of its own (usermod -u, chuser id=, groupmod -g), then fix the owners of their files.",
	References:  []string{"CIS Debian 12 7.2.6", "CIS Debian 12 7.2.8"},
	Check: func(c *rule.Context, rep *rule.Report) error {
		a, err := accountsOf(c)
		if err != nil {
			return err
		}
		names, uids := map[string]host.Account{}, map[int]host.Account{}
		for _, u := range a.Users {
			if first, ok := names[u.Name]; ok {
				rep.Add(dupFinding(u.Source, "account name "+u.Name, first.Source))
			} else {
				names[u.Name] = u
			}
			if first, ok := uids[u.UID]; ok && u.UID != 0 && first.Name != u.Name {
				rep.Add(dupFinding(u.Source, fmt.Sprintf("UID %d of %s", u.UID, u.Name), first.Source))
			} else if !ok {
				uids[u.UID] = u
			}
		}
		gnames, gids := map[string]int{}, map[int]int{}
		for _, g := range a.Groups {
			src := host.Source{File: a.Group.Path, Line: g.Line}
			if l, ok := gnames[g.Name]; ok {
				rep.Add(dupFinding(src, "group name "+g.Name, host.Source{File: a.Group.Path, Line: l}))
			} else {
				gnames[g.Name] = g.Line
			}
			if l, ok := gids[g.ID]; ok {
				rep.Add(dupFinding(src, fmt.Sprintf("GID %d of %s", g.ID, g.Name), host.Source{File: a.Group.Path, Line: l}))
			} else {
				gids[g.ID] = g.Line
			}
		}
		return nil
	},
})

// dupFinding reports a name or number used before.
func dupFinding(at host.Source, what string, first host.Source) rule.Finding {
	return rule.Finding{
		Where:    rule.Location{File: at.File, Line: at.Line},
		Found:    fmt.Sprintf("%s is already used at %s", what, first),
		Expected: "every name and number used once",
		Exposure: rule.Host,
	}
}

// specialShells are the accounts whose "shell" runs one command and
// exits, as the distributions ship them.
var specialShells = map[string]string{"sync": "sync", "shutdown": "shutdown", "halt": "halt"}

// aixExpired reports whether an AIX expires attribute (MMDDhhmmyy, 0 for
// never) is a date in the past; only the years 1970 to 1999, which AIX
// uses to lock its system accounts, are taken as certainly past.
func aixExpired(v string) bool {
	if len(v) != 10 || v == "0" {
		return false
	}
	yy, err := strconv.Atoi(v[8:])
	return err == nil && yy >= 70
}

// canLogIn says whether an AIX account may log in or be logged into
// remotely, and where that is set.
func aixCanLogIn(u host.Account) (bool, host.Source) {
	if strings.EqualFold(u.Attr("account_locked", "false").Value, "true") || aixExpired(u.Attr("expires", "0").Value) {
		return false, host.Source{}
	}
	login, rlogin := u.Attr("login", "true"), u.Attr("rlogin", "true")
	switch {
	case strings.EqualFold(login.Value, "true"):
		return true, login.Source
	case strings.EqualFold(rlogin.Value, "true"):
		return true, rlogin.Source
	}
	return false, host.Source{}
}

var _ = rule.Register(rule.Rule{
	ID: "ACCT-SYSTEM-LOGIN", Title: "a system account can log in", Severity: severity.Medium, Topic: "accounts",
	Rationale:   "System accounts own daemons and files; nobody logs in as them. A login shell or a password on one is a way in that no person watches, and the accounts the method names (daemon, bin, sys, adm, uucp, guest, nobody, lpd) are the first an intruder tries (" + acctSeed + "; the method also keeps them off FTP).",
	Remediation: "Linux: give the account the shell /usr/sbin/nologin (usermod -s) and lock its password (passwd -l). AIX: chuser login=false rlogin=false NAME. bastion changes the shell on Linux and sets login and rlogin on AIX; locking a password is left to passwd -l.",
	References:  []string{"CIS Debian 12 7.2.9", "CIS AIX 7 3.4.5"},
	Check: func(c *rule.Context, rep *rule.Report) error {
		a, err := accountsOf(c)
		if err != nil {
			return err
		}
		aix := c.Facts.Platform.OS == target.AIX
		for _, u := range a.Users {
			if !u.System || u.UID == 0 || specialShells[u.Name] == path.Base(u.Shell) && u.Shell != "" {
				continue
			}
			var why []string
			data := map[string]string{"user": u.Name}
			at := u.Source
			if aix {
				if ok, src := aixCanLogIn(u); ok {
					why = append(why, "login or rlogin is true")
					data["aix"] = "1"
					if src.File != "" {
						at = src
					}
				}
			} else if u.LoginShell {
				why = append(why, "shell "+shellName(u.Shell))
				data["shell"] = "1"
			}
			if usable(u) {
				if u.Password.Kind == crypt.KindEmpty {
					why = append(why, "no password at all")
				} else {
					why = append(why, "a password")
				}
			}
			if len(why) == 0 {
				continue
			}
			rep.Add(rule.Finding{
				Where:    rule.Location{File: at.File, Line: at.Line},
				Found:    fmt.Sprintf("%s (UID %d) has %s", u.Name, u.UID, strings.Join(why, " and ")),
				Expected: "no login: " + map[bool]string{true: "login = false, rlogin = false, no password", false: "shell nologin, password locked"}[aix],
				Exposure: rule.Host,
				Data:     data,
			})
		}
		return shadowUnread(a)
	},
	Fix: func(c *rule.Context, f rule.Finding) []remedy.Change {
		u, ok := c.Facts.Accounts.User(f.Data["user"])
		if !ok {
			return nil
		}
		switch {
		case f.Data["aix"] != "":
			return aixUserAttrChanges(c, u.Name, f.Rule, "no log-in for system account "+u.Name, map[string]string{"login": "false", "rlogin": "false"})
		case f.Data["shell"] != "":
			old, ok := lineAt(c, u.Source.File, u.Source.Line)
			fields := strings.Split(old, ":")
			if !ok || len(fields) != 7 {
				return nil
			}
			if u.InPasswd.Scheme.ID != "" {
				// The line holds a hash, which the new line would show
				// too: the hash moves to the shadow file first (pwconv,
				// see ACCT-HASH-EXPOSED).
				return nil
			}
			fields[6] = nologinShell(c)
			return []remedy.Change{remedy.ReplaceLine(u.Source.File, u.Source.Line, old, strings.Join(fields, ":")).For(f.Rule, "no log-in shell for system account "+u.Name)}
		}
		return nil
	},
})

// shellName renders a shell, "" being /bin/sh.
func shellName(s string) string {
	if s == "" {
		return "(empty: /bin/sh)"
	}
	return s
}

// nologinShell is the shell that refuses log-ins on the target.
func nologinShell(c *rule.Context) string {
	if n := c.Facts.Accounts.Nologin; n != "" {
		return n
	}
	return "/usr/sbin/nologin"
}

// aixUserAttrChanges sets attributes in a user's stanza of
// /etc/security/user: each line that sets one is replaced, the others are
// added after the stanza's name line, or a stanza is appended.
func aixUserAttrChanges(c *rule.Context, user, ruleID, why string, attrs map[string]string) []remedy.Change {
	return aixStanzaSet(c, "/etc/security/user", user, ruleID, why, attrs)
}

// aixStanzaSet sets attributes in a stanza of an AIX stanza file the
// accounts model kept.
func aixStanzaSet(c *rule.Context, file, user, ruleID, why string, attrs map[string]string) []remedy.Change {
	lines := c.Facts.Accounts.Text[file]
	if lines == nil {
		return nil
	}
	start, end := -1, len(lines)
	for i, l := range lines {
		t := strings.TrimSpace(l)
		if start < 0 && t == user+":" && !strings.HasPrefix(l, "\t") && !strings.HasPrefix(l, " ") {
			start = i
			continue
		}
		if start >= 0 && i > start && strings.HasSuffix(t, ":") && !strings.HasPrefix(l, "\t") && !strings.HasPrefix(l, " ") {
			end = i
			break
		}
	}
	keys := make([]string, 0, len(attrs))
	for k := range attrs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var out []remedy.Change
	if start < 0 {
		add := []string{"", user + ":"}
		for _, k := range keys {
			add = append(add, "\t"+k+" = "+attrs[k])
		}
		return []remedy.Change{remedy.AppendLines(file, add...).For(ruleID, why)}
	}
	var missing []string
	for _, k := range keys {
		found := false
		for i := start + 1; i < end; i++ {
			name, _, ok := strings.Cut(strings.TrimSpace(lines[i]), "=")
			if ok && strings.TrimSpace(name) == k {
				found = true
				want := "\t" + k + " = " + attrs[k]
				if lines[i] != want {
					out = append(out, remedy.ReplaceLine(file, i+1, lines[i], want).For(ruleID, why))
				}
			}
		}
		if !found {
			missing = append(missing, "\t"+k+" = "+attrs[k])
		}
	}
	if len(missing) > 0 {
		out = append(out, remedy.InsertAfter(file, start+1, missing...).For(ruleID, why))
	}
	return out
}

var _ = rule.Register(rule.Rule{
	ID: "ACCT-HASH-WEAK", Title: "a password is hashed with an algorithm attackers crack fast", Severity: severity.High, Topic: "accounts",
	Rationale:   "DES crypt keeps only 8 characters and falls to a graphics card in hours; MD5 crypt, AIX smd5 and ssha1 take a few thousand cheap hash operations per guess. Once a hash leaks (a backup, a second copy of the file), such passwords are as good as known (" + acctSeed + ").",
	Remediation: "Configure a strong algorithm for new passwords (see ACCT-ALGORITHM), then have the users set their passwords again: passwd -e NAME (Linux) or pwdadm -f ADMCHG NAME (AIX) makes them do so at the next login.",
	References:  []string{"CIS Debian 12 5.3.3.4.3", "CIS AIX 7 3.3.2", "NIST SP 800-63B 5.1.1.2"},
	Check: func(c *rule.Context, rep *rule.Report) error {
		a, err := accountsOf(c)
		if err != nil {
			return err
		}
		for _, u := range a.Users {
			if u.Duplicate || u.Password.Kind != crypt.KindHash || !u.Password.Scheme.Weak {
				continue
			}
			rep.Add(rule.Finding{
				Where:    rule.Location{File: u.HashFrom.File, Line: u.HashFrom.Line},
				Found:    fmt.Sprintf("%s: %s (%s)", u.Name, u.Password.Scheme.Name, u.Password.Scheme.Why),
				Expected: strongAlgorithm(c),
				Exposure: rule.Host,
			})
		}
		return shadowUnread(a)
	},
})

// strongAlgorithm names what the platform should hash with.
func strongAlgorithm(c *rule.Context) string {
	if c.Facts.Platform.OS == target.AIX {
		return "ssha512 or ssha256 with cost_num 14 or more (/etc/security/pwdalg.cfg)"
	}
	return "yescrypt, or sha512crypt, or bcrypt"
}
