package rules

import (
	"fmt"
	"io/fs"
	"strconv"
	"strings"

	"bastion/internal/host"
	"bastion/internal/remedy"
	"bastion/internal/rule"
	"bastion/internal/severity"
	"bastion/internal/target"
)

// cronSeed names the section of the method the cron rules follow.
const cronSeed = "AIX Security Basics, Cron Service Considerations"

// cronOf returns the cron model, or an undecided error when the platform,
// and so where cron keeps its files, is not known.
func cronOf(c *rule.Context) (*host.Cron, error) {
	cr := c.Facts.Cron
	if osName := c.Facts.Platform.OS; cr == nil || osName != target.AIX && osName != target.Linux {
		return nil, rule.Undecided("the platform is not known, so neither is where cron and at keep their files")
	}
	return cr, nil
}

// cronUndecided joins what a check could not look at into one undecided
// error, or returns nil.
func cronUndecided(problems []string) error {
	if len(problems) == 0 {
		return nil
	}
	return rule.Undecided("%s", strings.Join(problems, "; "))
}

// cronMode renders a mode as chmod takes it: "0600", "1730".
func cronMode(m fs.FileMode) string {
	n := uint32(m.Perm())
	if m&fs.ModeSetuid != 0 {
		n |= 0o4000
	}
	if m&fs.ModeSetgid != 0 {
		n |= 0o2000
	}
	if m&fs.ModeSticky != 0 {
		n |= 0o1000
	}
	return fmt.Sprintf("%04o", n)
}

// cronState describes a file's mode, owner and group for a finding.
func cronState(f host.FileState) string {
	return fmt.Sprintf("mode %s, owner %s, group %s", cronMode(f.Perm()), f.OwnerName(), f.GroupName())
}

// cronFileGroup is the group bastion gives a file it creates for cron.
func cronFileGroup(c *rule.Context) string {
	if c.Facts.Platform.OS == target.AIX {
		return "system"
	}
	return "root"
}

// cronDebian reports whether the host lays cron and at out as Debian does.
func cronDebian(cr *host.Cron) bool {
	for _, sp := range cr.Spools {
		if sp.Layout == host.CronLayoutDebian {
			return true
		}
	}
	return false
}

// cronListName names an allow or deny file: "cron.allow".
func cronListName(l *host.CronList) string {
	if l.Allow {
		return l.Service + ".allow"
	}
	return l.Service + ".deny"
}

// cronAllowUsers are the users bastion lists in an allow file it creates:
// root, and on AIX adm for cron (CIS AIX 7 6.2.3), whose crontab runs the
// system accounting jobs.
func cronAllowUsers(c *rule.Context, service string) []string {
	if c.Facts.Platform.OS == target.AIX && service == host.CronService {
		return []string{"root", "adm"}
	}
	return []string{"root"}
}

// cronOtherUsers returns the users, other than those of an allow file
// bastion would create, who have crontabs (or queued at jobs).
func cronOtherUsers(cr *host.Cron, service string, allowed []string) []string {
	kind := host.CronUserTable
	if service == host.AtService {
		kind = host.CronAtJob
	}
	seen := map[string]bool{}
	var out []string
	for _, t := range cr.Tables {
		if t.Kind != kind || seen[t.User] {
			continue
		}
		ok := false
		for _, a := range allowed {
			ok = ok || t.User == a
		}
		if !ok {
			seen[t.User] = true
			out = append(out, t.User)
		}
	}
	return out
}

var _ = rule.Register(rule.Rule{
	ID: "CRON-ACCESS-UNCONTROLLED", Title: "no cron.allow or cron.deny file controls who may use cron or at", Severity: severity.Medium, Topic: "cron",
	Rationale: "Cron runs jobs unattended, so it is where an intruder plants jobs that re-infect the host or reopen back doors; cron.allow and cron.deny are what keep users from scheduling jobs (" + cronSeed + "). " +
		"Without either file Debian lets every user run crontab; AIX's documentation does not say.",
	Remediation: "Create cron.allow listing only the users who need cron (root, and adm on AIX), owned by root, mode 0600. " +
		"bastion does so only when no other user has a crontab, since on Linux the file denies crontab to every user it does not list. " +
		"On AIX, do the same for at with at.allow; Linux's at allows only root when neither at file exists.",
	References: []string{"CIS AIX 7 6.2.3", "STIG AIX7-00-001033"},
	Check: func(c *rule.Context, rep *rule.Report) error {
		cr, err := cronOf(c)
		if err != nil {
			return err
		}
		var problems []string
		for _, service := range []string{host.CronService, host.AtService} {
			allow, deny := cr.List(service, true), cr.List(service, false)
			if !cr.Installed[service] || allow == nil || deny == nil {
				continue
			}
			if allow.Problem != "" || deny.Problem != "" {
				problems = append(problems, fmt.Sprintf("%s or %s could not be read", allow.Path, deny.Path))
				continue
			}
			if allow.Exists || deny.Exists {
				continue
			}
			found := fmt.Sprintf("neither %s nor %s exists", allow.Path, deny.Path)
			switch {
			case c.Facts.Platform.OS == target.Linux && service == host.AtService:
				continue // at then allows root only
			case c.Facts.Platform.OS == target.Linux:
				found += ": every user may run crontab"
			default:
				found += ": which users may then use " + service + " is not documented for AIX"
			}
			rep.Add(rule.Finding{
				Where:    rule.Location{File: allow.Path},
				Service:  service,
				Found:    found,
				Expected: fmt.Sprintf("%s listing the users who need %s, owned by root, mode 0600", cronListName(allow), service),
				Exposure: rule.Host,
				Data:     map[string]string{"service": service, "file": allow.Path},
			})
		}
		return cronUndecided(problems)
	},
	Fix: func(c *rule.Context, f rule.Finding) []remedy.Change {
		service, file := f.Data["service"], f.Data["file"]
		users := cronAllowUsers(c, service)
		if file == "" || len(cronOtherUsers(c.Facts.Cron, service, users)) > 0 {
			return nil // an allow file would stop their jobs being changed or queued: the site's call
		}
		return []remedy.Change{
			remedy.CreateFile(file, strings.Join(users, "\n")+"\n", 0o600, "root", cronFileGroup(c)).
				For(f.Rule, "only "+strings.Join(users, " and ")+" may use "+service),
		}
	},
})

var _ = rule.Register(rule.Rule{
	ID: "CRON-DENY-ONLY", Title: "a deny file alone controls who may use cron or at", Severity: severity.Low, Topic: "cron",
	Rationale: "A deny file lets every user it does not name schedule jobs, including every account added later; an allow file names the few who may (" + cronSeed + "; CIS AIX 7 6.2.3).",
	Remediation: "Write cron.allow (at.allow) naming the users who need the service, owned by root, mode 0600, then remove the deny file, which is ignored once an allow file exists. " +
		"Which users need cron is the site's to say, so bastion does not write it.",
	References: []string{"CIS AIX 7 6.2.3"},
	Check: func(c *rule.Context, rep *rule.Report) error {
		cr, err := cronOf(c)
		if err != nil {
			return err
		}
		var problems []string
		for _, service := range []string{host.CronService, host.AtService} {
			allow, deny := cr.List(service, true), cr.List(service, false)
			if !cr.Installed[service] || allow == nil || deny == nil {
				continue
			}
			if allow.Problem != "" || deny.Problem != "" {
				problems = append(problems, fmt.Sprintf("%s or %s could not be read", allow.Path, deny.Path))
				continue
			}
			if allow.Exists || !deny.Exists {
				continue
			}
			rep.Add(rule.Finding{
				Where:    rule.Location{File: deny.Path},
				Service:  service,
				Found:    fmt.Sprintf("%s is the only control: every user it does not name (%d named) may use %s", deny.Path, len(deny.Names), service),
				Expected: fmt.Sprintf("%s naming the users who need %s", allow.Path, service),
				Exposure: rule.Host,
			})
		}
		return cronUndecided(problems)
	},
})

var _ = rule.Register(rule.Rule{
	ID: "CRON-ACCESS-PERMS", Title: "a cron or at allow or deny file is not mode 0600 owned by root", Severity: severity.Medium, Topic: "cron",
	Rationale: "Whoever can change cron.allow, cron.deny, at.allow or at.deny decides who may schedule jobs; the method sets them to mode 0600, owned by root (" + cronSeed + "). " +
		"On Debian, crontab and at read them as group crontab and daemon, so 0640 with that group is right there.",
	Remediation: "chown root and chmod 0600 the file (on Debian, 0640 with group crontab for cron's files, daemon for at's).",
	References:  []string{"STIG GEN003250"},
	Check: func(c *rule.Context, rep *rule.Report) error {
		cr, err := cronOf(c)
		if err != nil {
			return err
		}
		debian := cronDebian(cr)
		var problems []string
		for i := range cr.Lists {
			l := &cr.Lists[i]
			if l.Problem != "" {
				problems = append(problems, l.Path+": "+l.Problem)
				continue
			}
			if !l.Exists {
				continue
			}
			if cronListModeOK(l, debian) && l.OwnedBy("root") {
				continue
			}
			expected := "mode 0600, owned by root"
			if debian {
				expected += " (or mode 0640 with group " + cronListReader(l.Service) + ")"
			}
			f := rule.Finding{
				Where:    rule.Location{File: l.Path},
				Service:  l.Service,
				Found:    l.Path + " has " + cronState(l.FileState),
				Expected: expected,
				Exposure: rule.Host,
				Data:     map[string]string{"file": l.Path, "service": l.Service},
			}
			if l.Perm()&0o022 != 0 {
				f.Severity = severity.High // anyone in the group, or anyone at all, may add names
			}
			rep.Add(f)
		}
		return cronUndecided(problems)
	},
	Fix: func(c *rule.Context, f rule.Finding) []remedy.Change {
		cr := c.Facts.Cron
		var l *host.CronList
		for i := range cr.Lists {
			if cr.Lists[i].Path == f.Data["file"] {
				l = &cr.Lists[i]
			}
		}
		if l == nil {
			return nil
		}
		var out []remedy.Change
		reader := cronListReader(l.Service)
		mode, group := fs.FileMode(0o600), ""
		if cronDebian(cr) && l.Perm()&0o044 != 0 {
			// The setgid crontab and setuid at programs may read it now:
			// keep that, through their group only.
			mode = 0o640
			if !l.GroupIn(reader) {
				group = reader
			}
		}
		if !l.OwnedBy("root") || group != "" {
			owner := ""
			if !l.OwnedBy("root") {
				owner = "root"
			}
			out = append(out, remedy.Chown(l.Path, owner, group).For(f.Rule, "only root decides who may use "+l.Service))
		}
		if !cronListModeOK(l, cronDebian(cr)) {
			out = append(out, remedy.Chmod(l.Path, mode).For(f.Rule, "only root may change "+cronListName(l)))
		}
		return out
	},
})

// cronListModeOK reports whether an allow or deny file has mode 0600 or
// tighter or, on Debian, 0640 or tighter with the group its readers use.
func cronListModeOK(l *host.CronList, debian bool) bool {
	perm := l.Perm()
	return perm&^0o600 == 0 || debian && perm&^0o640 == 0 && l.GroupIn(cronListReader(l.Service))
}

// cronListReader is the group Debian's crontab (setgid crontab) and at
// (setuid and setgid daemon) read the allow and deny files as.
func cronListReader(service string) string {
	if service == host.AtService {
		return "daemon"
	}
	return "crontab"
}

// cronDirWant is what a spool directory should be: its mode at most (the
// permission bits, and fs.ModeSticky where a fix keeps or sets it for a
// directory its group may write), its owners and groups, and the owner
// and group a fix sets.
type cronDirWant struct {
	max              fs.FileMode
	owners, groups   []string
	fixOwner, fixGrp string
	says             string
}

// cronDirWants returns what a spool directory should be. On AIX it is the
// method's: mode 0755 or tighter, owner root or bin, group sys, system,
// bin or cron. On Debian it is the packaged mode, which lets the setgid
// crontab program (group crontab) and at (daemon) write there: 1730
// root:crontab and 1770 daemon:daemon. On Red Hat, 0700 root:root.
func cronDirWants(sp *host.CronSpool) cronDirWant {
	switch {
	case sp.Layout == host.CronLayoutAIX:
		return cronDirWant{max: 0o755, owners: []string{"root", "bin"}, groups: []string{"sys", "system", "bin", "cron"},
			fixOwner: "root", fixGrp: "cron", says: "mode 0755 or tighter, owner root or bin, group sys, system, bin or cron"}
	case sp.Layout == host.CronLayoutDebian && sp.Service == host.AtService:
		return cronDirWant{max: fs.ModeSticky | 0o770, owners: []string{"daemon", "root"}, groups: []string{"daemon", "root"},
			fixOwner: "daemon", fixGrp: "daemon", says: "mode 1770 or tighter, owner and group daemon, as Debian's at package makes it"}
	case sp.Layout == host.CronLayoutDebian:
		return cronDirWant{max: fs.ModeSticky | 0o730, owners: []string{"root"}, groups: []string{"crontab", "root"},
			fixOwner: "root", fixGrp: "crontab", says: "mode 1730 or tighter, owner root, group crontab, as Debian's cron package makes it"}
	case sp.Layout == host.CronLayoutCronD:
		return cronDirWant{max: 0o755, owners: []string{"root"}, fixOwner: "root", says: "no write permission for group or others, owner root"}
	}
	return cronDirWant{max: 0o700, owners: []string{"root"}, groups: []string{"root"}, fixOwner: "root", fixGrp: "root", says: "mode 0700, owner and group root"}
}

var _ = rule.Register(rule.Rule{
	ID: "CRON-SPOOL-PERMS", Title: "a directory of crontabs or at jobs has the wrong mode, owner or group", Severity: severity.Medium, Topic: "cron",
	Rationale: "Whoever can write to the crontab directory can give any user, root included, a crontab. The method wants it mode 0755, owned by root or bin, group sys, system, bin or preferably cron, and the same for at's (" + cronSeed + "). " +
		"Debian's packaged 1730 root:crontab (at: 1770 daemon:daemon) is right there: only the setgid crontab program writes through the group.",
	Remediation: "chmod and chown the directory as expected (AIX: chmod 755, chown root:cron). bastion changes the mode of regular files only, so the fix is a command for the host.",
	References:  []string{"STIG AIX7-00-002150"},
	Check: func(c *rule.Context, rep *rule.Report) error {
		cr, err := cronOf(c)
		if err != nil {
			return err
		}
		var problems []string
		for i := range cr.Spools {
			sp := &cr.Spools[i]
			if sp.Problem != "" {
				problems = append(problems, sp.Path+": "+sp.Problem)
				continue
			}
			if !sp.Exists {
				continue
			}
			want := cronDirWants(sp)
			extra := sp.Perm() & fs.ModePerm &^ want.max.Perm()
			ownerOK := sp.OwnedBy(want.owners...)
			groupOK := len(want.groups) == 0 || sp.GroupIn(want.groups...)
			if extra == 0 && ownerOK && groupOK {
				continue
			}
			f := rule.Finding{
				Where:    rule.Location{File: sp.Path},
				Service:  sp.Service,
				Found:    sp.Path + " has " + cronState(sp.FileState),
				Expected: want.says,
				Exposure: rule.Host,
				Data:     map[string]string{"dir": sp.Path},
			}
			if extra&0o022 != 0 {
				f.Severity = severity.High
				f.Found += ": others may add or replace " + sp.Kind + "s"
			}
			rep.Add(f)
		}
		return cronUndecided(problems)
	},
	Fix: func(c *rule.Context, f rule.Finding) []remedy.Change {
		var sp *host.CronSpool
		for i := range c.Facts.Cron.Spools {
			if c.Facts.Cron.Spools[i].Path == f.Data["dir"] {
				sp = &c.Facts.Cron.Spools[i]
			}
		}
		if sp == nil {
			return nil
		}
		const offline = "run it on the host: bastion changes the mode and owner of regular files only"
		want := cronDirWants(sp)
		var out []remedy.Change
		mode := sp.Perm() & want.max
		if want.max&fs.ModeSticky != 0 && mode&0o020 != 0 {
			mode |= fs.ModeSticky
		}
		if sp.Perm()&fs.ModePerm&^want.max.Perm() != 0 {
			out = append(out, remedy.Command(f.Rule, "set the mode of "+sp.Path, "chmod", cronMode(mode), sp.Path).WhenOffline(offline))
		}
		owner, group := "", ""
		if !sp.OwnedBy(want.owners...) {
			owner = want.fixOwner
		}
		if len(want.groups) > 0 && !sp.GroupIn(want.groups...) {
			group = want.fixGrp
		}
		switch {
		case owner != "" && group != "":
			out = append(out, remedy.Command(f.Rule, "set the owner and group of "+sp.Path, "chown", owner+":"+group, sp.Path).WhenOffline(offline))
		case owner != "":
			out = append(out, remedy.Command(f.Rule, "set the owner of "+sp.Path, "chown", owner, sp.Path).WhenOffline(offline))
		case group != "":
			out = append(out, remedy.Command(f.Rule, "set the group of "+sp.Path, "chgrp", group, sp.Path).WhenOffline(offline))
		}
		return out
	},
})

var _ = rule.Register(rule.Rule{
	ID: "CRON-CRONTAB-PERMS", Title: "a crontab is not mode 0600 or not owned by its user", Severity: severity.Medium, Topic: "cron",
	Rationale:   "A crontab others can write lets them run commands as its user; one others can read shows what runs when, and from where. The method sets crontab files to mode 0600 (" + cronSeed + ").",
	Remediation: "chmod 0600 the crontab, owned by the user it is named for (root for /etc/crontab and /etc/cron.d).",
	Check: func(c *rule.Context, rep *rule.Report) error {
		cr, err := cronOf(c)
		if err != nil {
			return err
		}
		problems := cronSpoolProblems(cr, host.CronUserTable, host.CronSystemTable)
		for i := range cr.Tables {
			t := &cr.Tables[i]
			if t.Kind == host.CronAtJob {
				continue
			}
			if t.Problem != "" {
				problems = append(problems, t.Path+": "+t.Problem)
				continue
			}
			owners := []string{"root"}
			if t.Kind == host.CronUserTable {
				owners = append(owners, t.User)
			}
			modeOK, ownerOK := t.Perm()&^0o600 == 0, t.OwnedBy(owners...)
			if modeOK && ownerOK {
				continue
			}
			f := rule.Finding{
				Where:    rule.Location{File: t.Path},
				Service:  host.CronService,
				Found:    t.Path + " has " + cronState(t.FileState),
				Expected: "mode 0600, owned by " + owners[len(owners)-1],
				Exposure: rule.Host,
				Data:     map[string]string{"file": t.Path},
			}
			if t.Perm()&0o022 != 0 || !ownerOK {
				f.Severity = severity.High // others may change the jobs
			}
			rep.Add(f)
		}
		return cronUndecided(problems)
	},
	Fix: func(c *rule.Context, f rule.Finding) []remedy.Change {
		t := cronTable(c.Facts.Cron, f.Data["file"])
		if t == nil {
			return nil
		}
		var out []remedy.Change
		if t.Perm()&^0o600 != 0 {
			out = append(out, remedy.Chmod(t.Path, 0o600).For(f.Rule, "only its user may read or change the crontab"))
		}
		switch {
		case t.Kind == host.CronSystemTable && !t.OwnedBy("root"):
			out = append(out, remedy.Chown(t.Path, "root", "").For(f.Rule, "a system crontab belongs to root"))
		case t.Kind == host.CronUserTable && !t.OwnedBy("root", t.User) && t.UserKnown:
			out = append(out, remedy.Chown(t.Path, t.User, "").For(f.Rule, "the crontab belongs to "+t.User))
		}
		return out
	},
})

// cronTable returns the table at a path.
func cronTable(cr *host.Cron, p string) *host.CronTable {
	for i := range cr.Tables {
		if cr.Tables[i].Path == p {
			return &cr.Tables[i]
		}
	}
	return nil
}

// cronSpoolProblems returns why spool directories of the kinds given could
// not be listed: the tables in them are then unknown.
func cronSpoolProblems(cr *host.Cron, kinds ...string) []string {
	var out []string
	for _, sp := range cr.Spools {
		for _, k := range kinds {
			if sp.Kind == k && sp.Problem != "" {
				out = append(out, sp.Path+": "+sp.Problem)
			}
		}
	}
	return out
}

var _ = rule.Register(rule.Rule{
	ID: "CRON-ATJOB-PERMS", Title: "a queued at job is readable or writable by others", Severity: severity.Medium, Topic: "cron",
	Rationale:   "A queued at job is a shell script run as the user who queued it: others who can change it run commands as that user. The method's crontab settings apply to at as well (" + cronSeed + ").",
	Remediation: "chmod go-rwx the job file. The owner's execute bit stays: Debian's atd runs only jobs that have it.",
	Check: func(c *rule.Context, rep *rule.Report) error {
		cr, err := cronOf(c)
		if err != nil {
			return err
		}
		problems := cronSpoolProblems(cr, host.CronAtJob)
		for i := range cr.Tables {
			t := &cr.Tables[i]
			if t.Kind != host.CronAtJob {
				continue
			}
			if t.Problem != "" {
				problems = append(problems, t.Path+": "+t.Problem)
				continue
			}
			if t.Perm()&0o077 == 0 {
				continue
			}
			f := rule.Finding{
				Where:    rule.Location{File: t.Path},
				Service:  host.AtService,
				Found:    fmt.Sprintf("%s (queued by %s) has %s", t.Path, t.User, cronState(t.FileState)),
				Expected: "no access for group or others (mode 0600 or 0700)",
				Exposure: rule.Host,
				Data:     map[string]string{"file": t.Path},
			}
			if t.Perm()&0o022 != 0 {
				f.Severity = severity.High
			}
			rep.Add(f)
		}
		return cronUndecided(problems)
	},
	Fix: func(c *rule.Context, f rule.Finding) []remedy.Change {
		t := cronTable(c.Facts.Cron, f.Data["file"])
		if t == nil {
			return nil
		}
		return []remedy.Change{remedy.Chmod(t.Path, t.Perm()&^0o077).For(f.Rule, "only its user may read or change the queued job")}
	},
})

// cronWritableText says what lets others change a program.
func cronWritableText(pr host.CronProgram, w host.CronWritable) string {
	who := "its group"
	if w.World() {
		who = "every user"
	}
	mode := cronMode(w.Mode & (fs.ModePerm | fs.ModeSetuid | fs.ModeSetgid | fs.ModeSticky))
	switch {
	case !w.Dir || pr.Dir && w.Path == pr.Path:
		return fmt.Sprintf("%s is writable by %s (mode %s)", w.Path, who, mode)
	case w.Sticky():
		return fmt.Sprintf("it lies under %s, where %s may create files (mode %s)", w.Path, who, mode)
	}
	return fmt.Sprintf("it lies under %s, writable by %s (mode %s)", w.Path, who, mode)
}

var _ = rule.Register(rule.Rule{
	ID: "CRON-PROGRAM-WRITABLE", Title: "a cron or at job runs a program others can change", Severity: severity.High, Topic: "cron",
	Rationale:   "Cron should never run group- or world-writable programs, nor programs in or under group- or world-writable directories, where they can be removed or replaced: whoever changes the program runs commands as the job's user (" + cronSeed + ").",
	Remediation: "chmod go-w the program and the directories above it; move programs out of /tmp and other shared directories (bastion does not change a sticky shared directory such as /tmp).",
	References:  []string{"STIG GEN003360"},
	Check: func(c *rule.Context, rep *rule.Report) error {
		cr, err := cronOf(c)
		if err != nil {
			return err
		}
		problems := cronSpoolProblems(cr, host.CronUserTable, host.CronSystemTable, host.CronAtJob)
		for i := range cr.Tables {
			t := &cr.Tables[i]
			if t.Problem != "" {
				problems = append(problems, t.Path+": "+t.Problem)
				continue
			}
			for _, j := range t.Jobs {
				for _, pr := range j.Programs {
					if pr.Problem != "" {
						problems = append(problems, pr.Problem)
					}
					var why []string
					for _, w := range cronOwnWritable(pr) {
						why = append(why, cronWritableText(pr, w))
					}
					if len(why) == 0 {
						continue
					}
					what := "runs " + pr.Path
					switch {
					case pr.Dir:
						what = "runs every script in " + pr.Path
					case pr.Via != "":
						what = "runs " + pr.Path + " through run-parts"
					case !pr.Exists:
						what = "runs " + pr.Path + ", which does not exist"
					}
					src := j.Source
					rep.Add(rule.Finding{
						Where:    rule.Location{File: src.File, Line: src.Line},
						Service:  cronServiceOf(t),
						Found:    fmt.Sprintf("%s's job %s: %s", j.User, what, strings.Join(why, "; ")),
						Expected: "programs and the directories above them writable by their owner only",
						Exposure: rule.Host,
						Data:     map[string]string{"file": src.File, "line": strconv.Itoa(src.Line), "program": pr.Path},
					})
				}
			}
		}
		return cronUndecided(problems)
	},
	Fix: func(c *rule.Context, f rule.Finding) []remedy.Change {
		pr := cronProgram(c.Facts.Cron, f.Data["file"], f.Data["line"], f.Data["program"])
		if pr == nil {
			return nil
		}
		var out []remedy.Change
		for _, w := range cronOwnWritable(*pr) {
			mode := w.Mode & (fs.ModePerm | fs.ModeSetuid | fs.ModeSetgid | fs.ModeSticky) &^ 0o022
			switch {
			case w.Sticky():
				continue // a shared directory: move the program instead
			case w.Dir:
				out = append(out, remedy.Command(f.Rule, "take write permission on "+w.Path+" from group and others",
					"chmod", cronMode(mode), w.Path).WhenOffline("run it on the host: bastion changes the mode of regular files only"))
			default:
				out = append(out, remedy.Chmod(w.Path, mode).For(f.Rule, "only its owner may change a program cron runs"))
			}
		}
		return out
	},
})

// cronOwnWritable returns what lets others change a program, less what
// the job's finding on the run-parts directory a script is run from
// already says: the directory and those above it.
func cronOwnWritable(pr host.CronProgram) []host.CronWritable {
	if pr.Via == "" {
		return pr.Writable
	}
	var out []host.CronWritable
	for _, w := range pr.Writable {
		if w.Path != pr.Via && !strings.HasPrefix(pr.Via, strings.TrimSuffix(w.Path, "/")+"/") {
			out = append(out, w)
		}
	}
	return out
}

// cronServiceOf names the service that runs a table's jobs.
func cronServiceOf(t *host.CronTable) string {
	if t.Kind == host.CronAtJob {
		return host.AtService
	}
	return host.CronService
}

// cronProgram finds a program of the job at file:line.
func cronProgram(cr *host.Cron, file, line, program string) *host.CronProgram {
	n, _ := strconv.Atoi(line)
	t := cronTable(cr, file)
	if t == nil {
		return nil
	}
	for _, j := range t.Jobs {
		if j.Source.Line != n {
			continue
		}
		for i := range j.Programs {
			if j.Programs[i].Path == program {
				return &j.Programs[i]
			}
		}
	}
	return nil
}

// cronLogOf returns the AIX cron log, or an undecided error.
func cronLogOf(c *rule.Context) (*host.CronLog, error) {
	cr, err := cronOf(c)
	if err != nil {
		return nil, err
	}
	if cr.Log == nil {
		return nil, rule.Undecided("cron logs through syslog on this platform")
	}
	if cr.Log.Problem != "" {
		return nil, rule.Undecided("%s: %s", cr.Log.Path, cr.Log.Problem)
	}
	return cr.Log, nil
}

var _ = rule.Register(rule.Rule{
	ID: "CRON-LOG-MISSING", Title: "cron keeps no log", Severity: severity.Medium, Topic: "cron",
	Platforms:   []target.OS{target.AIX},
	Rationale:   "Cron's log traces every job run, successful or not, and shows use of cron by those who should not use it; the method has /var/adm/cron/log exist (" + cronSeed + ").",
	Remediation: "Create the log file, owned by root, mode 0600; remove quiet from /etc/cronlog.conf (cron reads it when it next starts).",
	Check: func(c *rule.Context, rep *rule.Report) error {
		l, err := cronLogOf(c)
		if err != nil {
			return err
		}
		switch {
		case l.Quiet:
			rep.Add(rule.Finding{
				Where:    rule.Location{File: l.Source.File, Line: l.Source.Line},
				Service:  host.CronService,
				Found:    "cronlog.conf turns cron's logging off (quiet)",
				Expected: "cron logging to " + l.Path,
				Exposure: rule.Host,
				Data:     map[string]string{"quiet": "yes"},
			})
		case !l.Exists:
			rep.Add(rule.Finding{
				Where:    rule.Location{File: l.Path},
				Service:  host.CronService,
				Found:    l.Path + " does not exist",
				Expected: l.Path + " present, owned by root, mode 0600",
				Exposure: rule.Host,
			})
		}
		return nil
	},
	Fix: func(c *rule.Context, f rule.Finding) []remedy.Change {
		l := c.Facts.Cron.Log
		if f.Data["quiet"] == "yes" {
			return []remedy.Change{remedy.CommentLine(l.Source.File, l.Source.Line, l.Text, "#").For(f.Rule, "let cron log; it reads cronlog.conf when it next starts")}
		}
		return []remedy.Change{remedy.CreateFile(l.Path, "", 0o600, "root", cronFileGroup(c)).For(f.Rule, "keep a log of cron's work")}
	},
})

var _ = rule.Register(rule.Rule{
	ID: "CRON-LOG-PERMS", Title: "cron's log is not mode 0600", Severity: severity.Medium, Topic: "cron",
	Platforms:   []target.OS{target.AIX},
	Rationale:   "Whoever can change cron's log can hide the jobs they ran; the method sets /var/adm/cron/log to mode 0600 (" + cronSeed + ").",
	Remediation: "chmod 0600 the log.",
	References:  []string{"STIG GEN003180"},
	Check: func(c *rule.Context, rep *rule.Report) error {
		l, err := cronLogOf(c)
		if err != nil {
			return err
		}
		if !l.Exists || l.Perm()&^0o600 == 0 {
			return nil
		}
		f := rule.Finding{
			Where:    rule.Location{File: l.Path},
			Service:  host.CronService,
			Found:    l.Path + " has " + cronState(l.FileState),
			Expected: "mode 0600",
			Exposure: rule.Host,
		}
		if l.Perm()&0o022 != 0 {
			f.Severity = severity.High
		}
		rep.Add(f)
		return nil
	},
	Fix: func(c *rule.Context, f rule.Finding) []remedy.Change {
		return []remedy.Change{remedy.Chmod(c.Facts.Cron.Log.Path, 0o600).For(f.Rule, "only root may read or change cron's log")}
	},
})
