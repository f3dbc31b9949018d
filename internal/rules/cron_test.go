package rules

import (
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"

	"bastion/internal/host"
	"bastion/internal/inventory"
	"bastion/internal/policy"
	"bastion/internal/remedy"
	"bastion/internal/rule"
	"bastion/internal/target"
)

// cronIDs names the user and group that own the files root() writes (the
// user running the test): root and the group given, so that the cases do
// not depend on who runs them.
func cronIDs(group string) map[string]string {
	uid, gid := os.Getuid(), os.Getgid()
	return map[string]string{
		"etc/passwd": fmt.Sprintf("root:!:%d:%d::/:/usr/bin/ksh\nadm:!:4:4::/var/adm:\nalice:!:%d:1::/home/alice:/usr/bin/ksh\n", uid, gid, uid+1000),
		"etc/group":  fmt.Sprintf("%s:!:%d:root\nstaff:!:%d:alice\n", group, gid, gid+1000),
	}
}

// cronAIX is an AIX root set up as the method wants cron: cron.allow and
// at.allow, the log, and root's crontab, all mode 0600; files are more
// files, and a value "<none>" leaves a file out.
func cronAIX(files ...string) map[string]string {
	m := aix(cronIDs("cron"))
	for k, v := range map[string]string{
		"var/adm/cron/cron.allow":      "<0600>root\nadm\n",
		"var/adm/cron/at.allow":        "<0600>root\n",
		"var/adm/cron/log":             "<0600>",
		"var/spool/cron/crontabs/root": "<0600>0 3 * * * /usr/sbin/skulker\n",
		"usr/sbin/skulker":             "<0755>#!/bin/ksh\n",
	} {
		m[k] = v
	}
	return overlay(m, files...)
}

func init() {
	// root() makes directories with mode 0755 less the umask: with the
	// usual 022 no directory is group- or world-writable, which the quiet
	// cases of the cron rules need (a umask of 002 would make them all
	// group-writable).
	syscall.Umask(0o022)
	quiet := cronAIX()
	job := "var/spool/cron/atjobs/root.1735689600.a"
	for id, tc := range map[string]struct{ fires, quiet, undecided map[string]string }{
		"CRON-ACCESS-UNCONTROLLED": {
			cronAIX("var/adm/cron/cron.allow", "<none>"), quiet,
			cronAIX("var/adm/cron/cron.allow", "<dir>"),
		},
		"CRON-DENY-ONLY": {
			cronAIX("var/adm/cron/cron.allow", "<none>", "var/adm/cron/cron.deny", "<0600>guest\n"), quiet,
			cronAIX("var/adm/cron/cron.allow", "<dir>"),
		},
		"CRON-ACCESS-PERMS": {
			cronAIX("var/adm/cron/cron.allow", "<0644>root\nadm\n"), quiet,
			cronAIX("var/adm/cron/at.allow", "<dir>"),
		},
		"CRON-SPOOL-PERMS": {
			// The crontab directory's group is staff, which alice is in.
			func() map[string]string {
				m := cronAIX()
				for k, v := range cronIDs("staff") {
					m[k] = v
				}
				return m
			}(), quiet,
			cronAIX("var/spool/cron/crontabs/root", "<none>", "var/spool/cron/crontabs", "not a directory\n"),
		},
		"CRON-CRONTAB-PERMS": {
			cronAIX("var/spool/cron/crontabs/root", "<0644>0 3 * * * /usr/sbin/skulker\n"), quiet,
			cronAIX("var/spool/cron/crontabs/root", "<none>", "var/spool/cron/crontabs", "not a directory\n"),
		},
		"CRON-ATJOB-PERMS": {
			cronAIX(job, "<0644>cd /\n/usr/sbin/skulker\n"),
			cronAIX(job, "<0600>cd /\n/usr/sbin/skulker\n"),
			cronAIX("var/spool/cron/atjobs", "not a directory\n"),
		},
		"CRON-PROGRAM-WRITABLE": {
			cronAIX("usr/sbin/skulker", "<0777>#!/bin/ksh\n"), quiet,
			cronAIX("var/spool/cron/crontabs/alice", "<dir>"),
		},
		"CRON-LOG-MISSING": {
			cronAIX("var/adm/cron/log", "<none>"), quiet,
			cronAIX("var/adm/cron/log", "<dir>"),
		},
		"CRON-LOG-PERMS": {
			cronAIX("var/adm/cron/log", "<0644>"), quiet,
			cronAIX("var/adm/cron/log", "<dir>"),
		},
	} {
		cases[id] = ruleCase{fires: tc.fires, quiet: tc.quiet, undecided: tc.undecided}
	}
}

// cronDebianRoot is a Debian root with cron and at installed; files are
// more files.
func cronDebianRoot(files ...string) map[string]string {
	m := cronIDs("root")
	m["etc/os-release"] = "ID=debian\nVERSION_ID=12\n"
	m["etc/services"] = "ssh 22/tcp\n"
	m["usr/lib/systemd/system/cron.service"] = "[Service]\nExecStart=/usr/sbin/cron -f\n"
	m["etc/systemd/system/multi-user.target.wants/cron.service"] = "->/usr/lib/systemd/system/cron.service"
	m["var/spool/cron/crontabs/root"] = "<0600>15 4 * * * /usr/sbin/postqueue -f\n"
	for i := 0; i+1 < len(files); i += 2 {
		m[files[i]] = files[i+1]
	}
	return m
}

// cronRun runs the cron rules on a host and returns their findings as
// "RULE file[:line]", with the findings; a rule that fails or cannot
// decide fails the test.
func cronRun(t *testing.T, c *rule.Context) ([]string, []rule.Finding) {
	t.Helper()
	var got []string
	var all []rule.Finding
	for _, r := range rule.All() {
		if !strings.HasPrefix(r.ID, "CRON-") || !r.AppliesTo(c.Facts.Platform.OS) {
			continue
		}
		rep := rule.NewReport(r)
		if err := r.Check(c, rep); err != nil {
			t.Errorf("%s: %v", r.ID, err)
		}
		for _, f := range rep.Findings() {
			got = append(got, f.Rule+" "+f.Where.String())
			all = append(all, f)
		}
	}
	sort.Strings(got)
	return got, all
}

// The Debian exceptions: the packaged modes of the spool directories and
// of at.deny are right; at without an allow or deny file allows root only.
func TestCronDebianPackaged(t *testing.T) {
	// The files root() writes belong to group daemon here.
	c := context(t, cronDebianRoot(
		"etc/group", cronIDs("daemon")["etc/group"],
		"etc/at.deny", "<0640>guest\n",
		"etc/cron.allow", "<0640>root\n",
		"etc/crontab", "<0600>SHELL=/bin/sh\n",
		"usr/lib/systemd/system/atd.service", "[Service]\nExecStart=/usr/sbin/atd -f\n",
		"etc/systemd/system/multi-user.target.wants/atd.service", "->/usr/lib/systemd/system/atd.service",
	), nil)
	got, _ := cronRun(t, c)
	// The crontab directory root() makes (0755, group daemon) is not
	// Debian's 1730 root:crontab; at.deny is as Debian packages it;
	// cron.allow's group is daemon, not crontab, so 0640 is not right.
	want := []string{"CRON-ACCESS-PERMS /etc/cron.allow", "CRON-DENY-ONLY /etc/at.deny", "CRON-SPOOL-PERMS /var/spool/cron/crontabs"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
	// Neither at file: root only, nothing to say.
	c = context(t, cronDebianRoot("etc/cron.allow", "<0600>root\n", "etc/crontab", "<0600>SHELL=/bin/sh\n",
		"usr/lib/systemd/system/atd.service", "[Service]\nExecStart=/usr/sbin/atd -f\n",
		"etc/systemd/system/multi-user.target.wants/atd.service", "->/usr/lib/systemd/system/atd.service"), nil)
	if !c.Facts.Cron.Installed[host.AtService] {
		t.Error("atd is enabled but at is not seen as installed")
	}
	for _, f := range cronFind(t, c, "CRON-ACCESS-UNCONTROLLED") {
		t.Errorf("finding without at files: %s", f.Found)
	}
}

func cronFind(t *testing.T, c *rule.Context, id string) []rule.Finding {
	t.Helper()
	_, fs := outcome(t, id, c)
	return fs
}

// The allow file is created only when no other user has a crontab, since
// on Linux it would deny crontab to them.
func TestCronAllowFixOnlyForRoot(t *testing.T) {
	r, _ := rule.Lookup("CRON-ACCESS-UNCONTROLLED")
	c := context(t, cronDebianRoot(), nil)
	fs := cronFind(t, c, r.ID)
	if len(fs) != 1 || fs[0].Where.File != "/etc/cron.allow" {
		t.Fatalf("findings %+v", fs)
	}
	changes := r.Fix(c, fs[0])
	if len(changes) != 1 || changes[0].Kind != remedy.KindCreate || changes[0].Content != "root\n" || changes[0].Mode != 0o600 || changes[0].Owner != "root" {
		t.Errorf("fix %+v", changes)
	}
	c = context(t, cronDebianRoot("var/spool/cron/crontabs/alice", "<0600>0 7 * * * /usr/bin/true\n"), nil)
	if fs := cronFind(t, c, r.ID); len(fs) != 1 || r.Fix(c, fs[0]) != nil {
		t.Errorf("alice has a crontab, yet the fix creates cron.allow")
	}
	// AIX lists adm too.
	c = context(t, cronAIX("var/adm/cron/cron.allow", "<none>"), nil)
	if fs := cronFind(t, c, r.ID); len(fs) != 1 || r.Fix(c, fs[0])[0].Content != "root\nadm\n" {
		t.Errorf("AIX fix %+v", fs)
	}
}

// A program's directories are walked as named and once links are
// followed; a sticky shared directory is reported but not changed, and a
// program that is not there yet is at risk all the same.
func TestCronProgramWalk(t *testing.T) {
	r, _ := rule.Lookup("CRON-PROGRAM-WRITABLE")
	c := context(t, cronAIX(
		"var/spool/cron/crontabs/root", "<0600>0 1 * * * /usr/local/bin/report\n5 1 * * * /tmp/gone.sh\n10 1 * * * cleanup -q\n"+
			"PATH=/usr/local/bin\n15 1 * * * cleanup\n",
		"usr/local/bin/report", "->/opt/app/bin/report",
		"opt/app/bin/report", "<0775>#!/bin/ksh\n",
		"usr/local/bin/cleanup", "<0757>#!/bin/ksh\n",
		"tmp/.keep", "",
	), nil)
	// root() cannot make /tmp 1777: mark it so through the model.
	for i := range c.Facts.Cron.Tables {
		for j := range c.Facts.Cron.Tables[i].Jobs {
			for k := range c.Facts.Cron.Tables[i].Jobs[j].Programs {
				if pr := &c.Facts.Cron.Tables[i].Jobs[j].Programs[k]; pr.Path == "/tmp/gone.sh" {
					pr.Writable = []host.CronWritable{{Path: "/tmp", Dir: true, Mode: fs.ModeDir | fs.ModeSticky | 0o777}}
				}
			}
		}
	}
	fs := cronFind(t, c, r.ID)
	var got []string
	for _, f := range fs {
		var changes []string
		for _, ch := range r.Fix(c, f) {
			changes = append(changes, ch.String())
		}
		got = append(got, f.Where.String()+" | "+f.Found+" | "+strings.Join(changes, ", "))
	}
	want := []string{
		"/var/spool/cron/crontabs/root:1 | root's job runs /usr/local/bin/report: /opt/app/bin/report is writable by its group (mode 0775) | chmod 0755 /opt/app/bin/report",
		"/var/spool/cron/crontabs/root:2 | root's job runs /tmp/gone.sh, which does not exist: it lies under /tmp, where every user may create files (mode 1777) | ",
		"/var/spool/cron/crontabs/root:5 | root's job runs /usr/local/bin/cleanup: /usr/local/bin/cleanup is writable by every user (mode 0757) | chmod 0755 /usr/local/bin/cleanup",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
}

// cronCopy copies a fixture root into a temporary directory, gives every
// directory mode 0755 and every file 0644 (0755 if executable) owned by
// root, then sets the modes and owners the test needs: git keeps neither.
func cronCopy(t *testing.T, name string, set map[string][3]int) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "root")
	if out, err := exec.Command("cp", "-a", filepath.Join("..", "..", "testdata", "roots", name), dst).CombinedOutput(); err != nil {
		t.Fatalf("cp: %v: %s", err, out)
	}
	err := filepath.WalkDir(dst, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type()&fs.ModeSymlink != 0 {
			return os.Lchown(p, 0, 0)
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		mode := fs.FileMode(0o644)
		if d.IsDir() || fi.Mode()&0o100 != 0 {
			mode = 0o755
		}
		if err := os.Chmod(p, mode); err != nil {
			return err
		}
		return os.Chown(p, 0, 0)
	})
	if err != nil {
		t.Fatal(err)
	}
	for p, m := range set {
		full := filepath.Join(dst, p)
		mode := fs.FileMode(m[0]) & fs.ModePerm
		if m[0]&0o1000 != 0 {
			mode |= fs.ModeSticky
		}
		if err := os.Chmod(full, mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chown(full, m[1], m[2]); err != nil {
			t.Fatal(err)
		}
	}
	return dst
}

// The problem twins have each problem found at its file and line, with
// the fixes expected; once the fixes are made, only the problems bastion
// leaves to the site remain. The hardened twins have none.
func TestCronFixtures(t *testing.T) {
	if os.Getuid() != 0 {
		t.Skip("the fixtures' owners (alice, daemon, the crontab group) can be set by root only")
	}
	const (
		alice, staffAIX, cronGID, daemon, crontabGID, staffDebian = 1000, 1, 8, 1, 101, 50
	)
	for _, tc := range []struct {
		root  string
		set   map[string][3]int // path: mode, uid, gid
		want  []string
		fixes []string
		after []string
	}{
		{"aix72-mail", map[string][3]int{
			"var/adm/cron/cron.deny":                   {0o644, 0, 0},
			"var/adm/cron/at.deny":                     {0o600, 0, 0},
			"var/spool/cron/crontabs":                  {0o775, 0, staffAIX},
			"var/spool/cron/crontabs/root":             {0o644, 0, cronGID},
			"var/spool/cron/crontabs/alice":            {0o600, alice, cronGID},
			"var/spool/cron/atjobs":                    {0o755, 0, cronGID},
			"var/spool/cron/atjobs/alice.1735689600.a": {0o644, alice, cronGID},
			"tmp":                        {0o1777, 0, 0},
			"usr/local/bin/mailstats.sh": {0o777, 0, 0},
		}, []string{
			"CRON-ACCESS-PERMS /var/adm/cron/cron.deny",
			"CRON-ATJOB-PERMS /var/spool/cron/atjobs/alice.1735689600.a",
			"CRON-CRONTAB-PERMS /var/spool/cron/crontabs/root",
			"CRON-DENY-ONLY /var/adm/cron/at.deny",
			"CRON-DENY-ONLY /var/adm/cron/cron.deny",
			"CRON-LOG-MISSING /var/adm/cron/log",
			"CRON-PROGRAM-WRITABLE /var/spool/cron/atjobs/alice.1735689600.a:4",
			"CRON-PROGRAM-WRITABLE /var/spool/cron/crontabs/alice:2",
			"CRON-PROGRAM-WRITABLE /var/spool/cron/crontabs/alice:3",
			"CRON-SPOOL-PERMS /var/spool/cron/crontabs",
		}, []string{
			"chmod 0600 /var/adm/cron/cron.deny",
			"chmod 0600 /var/spool/cron/atjobs/alice.1735689600.a",
			"chmod 0600 /var/spool/cron/crontabs/root",
			"chmod 0755 /usr/local/bin/mailstats.sh",
			"create /var/adm/cron/log (0 bytes, mode 0600, owner root:system)",
			"run chgrp cron /var/spool/cron/crontabs (live only)",
			"run chmod 0755 /var/spool/cron/crontabs (live only)",
		}, []string{
			// Which users need cron and at is the site's to say; alice's
			// script must leave /tmp.
			"CRON-DENY-ONLY /var/adm/cron/at.deny",
			"CRON-DENY-ONLY /var/adm/cron/cron.deny",
			"CRON-PROGRAM-WRITABLE /var/spool/cron/crontabs/alice:2",
		}},
		{"aix72-mail-hardened", map[string][3]int{
			"var/adm/cron/cron.allow":      {0o600, 0, 0},
			"var/adm/cron/at.allow":        {0o600, 0, 0},
			"var/adm/cron/log":             {0o600, 0, cronGID},
			"var/spool/cron/crontabs":      {0o755, 0, cronGID},
			"var/spool/cron/crontabs/root": {0o600, 0, cronGID},
		}, nil, nil, nil},
		{"debian12-mail", map[string][3]int{
			"etc/at.deny":                   {0o640, 0, daemon},
			"etc/cron.daily/mailstats":      {0o777, 0, 0},
			"usr/local/sbin":                {0o775, 0, staffDebian},
			"var/spool/cron/crontabs":       {0o1733, 0, crontabGID},
			"var/spool/cron/crontabs/root":  {0o600, 0, crontabGID},
			"var/spool/cron/crontabs/alice": {0o600, alice, crontabGID},
			"var/spool/cron/atjobs":         {0o1770, daemon, daemon},
		}, []string{
			"CRON-ACCESS-UNCONTROLLED /etc/cron.allow",
			"CRON-CRONTAB-PERMS /etc/cron.d/e2scrub_all",
			"CRON-CRONTAB-PERMS /etc/cron.d/mailsync",
			"CRON-CRONTAB-PERMS /etc/crontab",
			"CRON-DENY-ONLY /etc/at.deny",
			"CRON-PROGRAM-WRITABLE /etc/cron.d/mailsync:3",
			"CRON-PROGRAM-WRITABLE /etc/crontab:9",
			"CRON-SPOOL-PERMS /var/spool/cron/crontabs",
		}, []string{
			"chmod 0600 /etc/cron.d/e2scrub_all",
			"chmod 0600 /etc/cron.d/mailsync",
			"chmod 0600 /etc/crontab",
			"chmod 0755 /etc/cron.daily/mailstats",
			"run chmod 0755 /usr/local/sbin (live only)",
			"run chmod 1730 /var/spool/cron/crontabs (live only)",
		}, []string{
			// alice has a crontab: cron.allow would lock her out.
			"CRON-ACCESS-UNCONTROLLED /etc/cron.allow",
			"CRON-DENY-ONLY /etc/at.deny",
		}},
		{"debian12-mail-hardened", map[string][3]int{
			"etc/crontab":                  {0o600, 0, 0},
			"etc/cron.d/e2scrub_all":       {0o600, 0, 0},
			"etc/cron.allow":               {0o600, 0, 0},
			"etc/at.allow":                 {0o640, 0, daemon},
			"etc/at.deny":                  {0o640, 0, daemon},
			"var/spool/cron/crontabs":      {0o1730, 0, crontabGID},
			"var/spool/cron/crontabs/root": {0o600, 0, crontabGID},
			"var/spool/cron/atjobs":        {0o1770, daemon, daemon},
		}, nil, nil, nil},
	} {
		t.Run(tc.root, func(t *testing.T) {
			dir := cronCopy(t, tc.root, tc.set)
			c := dirContextCron(t, dir)
			got, fs := cronRun(t, c)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
				for _, f := range fs {
					t.Logf("%s %s: %s", f.Rule, f.Where, f.Found)
				}
			}
			var changes []remedy.Change
			var fixes []string
			for _, f := range fs {
				if f.Exposure != rule.Host || f.Expected == "" || f.Fix == "" {
					t.Errorf("incomplete finding %+v", f)
				}
				if r, _ := rule.Lookup(f.Rule); r.Fix != nil {
					for _, ch := range r.Fix(c, f) {
						changes = append(changes, ch)
						fixes = append(fixes, ch.String())
					}
				}
			}
			sort.Strings(fixes)
			fixes = slices.Compact(fixes)
			if diff := cmp.Diff(tc.fixes, fixes); diff != "" {
				t.Errorf("fixes (-want +got):\n%s", diff)
			}
			cronApply(t, dir, changes)
			got, _ = cronRun(t, dirContextCron(t, dir))
			if diff := cmp.Diff(tc.after, got); diff != "" {
				t.Errorf("findings after the fixes (-want +got):\n%s", diff)
			}
		})
	}
}

// cronApply makes the changes of the cron fixes in a root directory as
// bastion and an administrator would: files created and modes set, and
// the commands meant for the host run against the root.
func cronApply(t *testing.T, dir string, changes []remedy.Change) {
	t.Helper()
	ids := map[string]int{"root": 0, "system": 0, "daemon": 1, "cron": 8, "crontab": 101}
	for _, ch := range changes {
		p := filepath.Join(dir, ch.Path)
		var err error
		switch ch.Kind {
		case remedy.KindCreate:
			if err = os.WriteFile(p, []byte(ch.Content), ch.Mode); err == nil {
				err = os.Chown(p, ids[ch.Owner], ids[ch.Group])
			}
		case remedy.KindChmod:
			err = os.Chmod(p, ch.Mode)
		case remedy.KindCommand:
			// Names as the root's /etc/passwd and /etc/group give them.
			argv := append([]string(nil), ch.Argv...)
			switch argv[0] {
			case "chgrp":
				argv[1] = strconv.Itoa(ids[argv[1]])
			case "chown":
				owner, group, _ := strings.Cut(argv[1], ":")
				argv[1] = strconv.Itoa(ids[owner])
				if group != "" {
					argv[1] += ":" + strconv.Itoa(ids[group])
				}
			}
			argv[len(argv)-1] = filepath.Join(dir, argv[len(argv)-1])
			if out, cerr := exec.Command(argv[0], argv[1:]...).CombinedOutput(); cerr != nil {
				err = fmt.Errorf("%v: %s", cerr, out)
			}
		default:
			err = fmt.Errorf("unexpected change %s", ch)
		}
		if err != nil {
			t.Fatalf("%s: %v", ch, err)
		}
	}
}

// dirContextCron builds the host model of a root directory.
func dirContextCron(t *testing.T, dir string) *rule.Context {
	t.Helper()
	tg, err := target.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer tg.Close()
	f, err := host.Build(tg, host.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return &rule.Context{Facts: f, Inventory: inventory.Build(f, "test"), Policy: policy.Default()}
}

// cronlog.conf's quiet turns cron's log off: the finding points at it and
// the fix comments it out.
func TestCronLogQuiet(t *testing.T) {
	r, _ := rule.Lookup("CRON-LOG-MISSING")
	c := context(t, cronAIX("etc/cronlog.conf", "# no logging\nquiet\n"), nil)
	fs := cronFind(t, c, r.ID)
	if len(fs) != 1 || fs[0].Where.String() != "/etc/cronlog.conf:2" {
		t.Fatalf("findings %+v", fs)
	}
	changes := r.Fix(c, fs[0])
	var p remedy.Plan
	p.Add(changes...)
	files, err := p.Files(func(string) ([]byte, error) { return []byte("# no logging\nquiet\n"), nil })
	if err != nil || len(files) != 1 || string(files[0].After) != "# no logging\n#quiet\n" {
		t.Errorf("fix %v: %+v, %v", changes, files, err)
	}
}

// A script run-parts runs is reported for itself; the directory it is run
// from, and those above, are the directory's finding.
func TestCronOwnWritable(t *testing.T) {
	dir := host.CronWritable{Path: "/etc/cron.daily", Dir: true, Mode: fs.ModeDir | 0o777}
	etc := host.CronWritable{Path: "/etc", Dir: true, Mode: fs.ModeDir | 0o775}
	script := host.CronWritable{Path: "/etc/cron.daily/x", Mode: 0o666}
	pr := host.CronProgram{Path: "/etc/cron.daily/x", Via: "/etc/cron.daily", Writable: []host.CronWritable{script, dir, etc}}
	if got := cronOwnWritable(pr); len(got) != 1 || got[0] != script {
		t.Errorf("script: %+v", got)
	}
	pr = host.CronProgram{Path: "/etc/cron.daily", Dir: true, Writable: []host.CronWritable{dir, etc}}
	if got := cronOwnWritable(pr); len(got) != 2 {
		t.Errorf("directory: %+v", got)
	}
}
