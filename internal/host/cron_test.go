package host

import (
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// cronTables lists a model's tables as "kind path user".
func cronTables(c *Cron) []string {
	var out []string
	for _, t := range c.Tables {
		out = append(out, t.Kind+" "+t.Path+" "+t.User)
	}
	return out
}

// cronPrograms lists the programs of a table's jobs as "line name path
// via", with what is writable.
func cronPrograms(t CronTable) []string {
	var out []string
	for _, j := range t.Jobs {
		for _, p := range j.Programs {
			s := strings.TrimRight(strings.Join([]string{strconv.Itoa(j.Source.Line), j.User, p.Name, p.Path, p.Via}, " "), " ")
			for _, w := range p.Writable {
				s += " w:" + w.Path
			}
			out = append(out, s)
		}
	}
	return out
}

// cronDirModes gives every directory of a tree mode 0755, whatever the
// umask made them.
func cronDirModes(t *testing.T, dir string) {
	t.Helper()
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		return os.Chmod(p, 0o755)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestCronDebian(t *testing.T) {
	tg := tree(t, map[string]string{
		"etc/os-release": "ID=debian\nVERSION_ID=12\n",
		"etc/passwd":     "root:x:0:0::/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/bash\n",
		"etc/crontab": "SHELL=/bin/sh\n" +
			"25 6 * * * root test -x /usr/sbin/anacron || { cd / && run-parts --report /etc/cron.daily; }\n" +
			"PATH=/usr/local/bin:/usr/bin\n" +
			"0 1 * * * root backup --all\n",
		"etc/cron.daily/logrotate":             "#!/bin/sh\n",
		"etc/cron.daily/.placeholder":          "#\n",
		"etc/cron.daily/old.sh":                "#!/bin/sh\n", // a '.': run-parts skips it
		"etc/cron.daily/notes":                 "not executable\n",
		"etc/cron.d/e2scrub_all":               "30 3 * * 0 root /sbin/e2scrub_all\n",
		"etc/cron.d/e2scrub_all.dpkg-old":      "30 3 * * 0 root /sbin/old\n",
		"usr/local/bin/backup":                 "#!/bin/sh\n",
		"var/spool/cron/crontabs/alice":        "0 7 * * * /home/alice/bin/digest | mail alice\n",
		"var/spool/cron/atjobs/.SEQ":           "00001\n",
		"var/spool/cron/atjobs/a00001019a2b3c": "#!/bin/sh\n# atrun uid=1000 gid=1000\numask 22\nHOME=/home/alice; export HOME\ncd /home/alice || {\n\t echo 'Execution directory inaccessible' >&2\n\t exit 1\n}\n${SHELL:-/bin/sh} << 'marcinDELIMITER0a1b2c3d'\n/usr/local/bin/backup --home\nmarcinDELIMITER0a1b2c3d\n",
	})
	cronDirModes(t, tg.Dir())
	chmod(t, tg, "etc/cron.daily/logrotate", 0o755)
	chmod(t, tg, "etc/cron.daily/old.sh", 0o755)
	chmod(t, tg, "usr/local/bin/backup", 0o775)
	c := buildTarget(t, tg).Cron
	if c.Installed[CronService] != true || c.Installed[AtService] != true {
		t.Errorf("installed %v", c.Installed)
	}
	want := []string{
		"system crontab /etc/crontab ",
		"user crontab /var/spool/cron/crontabs/alice alice",
		"system crontab /etc/cron.d/e2scrub_all ",
		"at job /var/spool/cron/atjobs/a00001019a2b3c " + c.Tables[3].Owner,
	}
	if diff := cmp.Diff(want, cronTables(c)); diff != "" {
		t.Errorf("tables (-want +got):\n%s", diff)
	}
	// run-parts runs executable files with plain names; a name without a
	// directory is looked up on the PATH the crontab sets above the job.
	if diff := cmp.Diff([]string{
		"2 root run-parts", // not in the tree: nothing to look at
		"2 root /etc/cron.daily/ /etc/cron.daily",
		"2 root /etc/cron.daily/logrotate /etc/cron.daily/logrotate /etc/cron.daily",
		"4 root backup /usr/local/bin/backup w:/usr/local/bin/backup",
	}, cronPrograms(c.Tables[0])); diff != "" {
		t.Errorf("/etc/crontab programs (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"1 alice /home/alice/bin/digest /home/alice/bin/digest", "1 alice mail"}, cronPrograms(c.Tables[1])); diff != "" {
		t.Errorf("alice's programs (-want +got):\n%s", diff)
	}
	// An at job is read loosely: programs named by a full path only.
	if diff := cmp.Diff([]string{"10 " + c.Tables[3].User + " /usr/local/bin/backup /usr/local/bin/backup w:/usr/local/bin/backup"}, cronPrograms(c.Tables[3])); diff != "" {
		t.Errorf("at job programs (-want +got):\n%s", diff)
	}
	var layouts []string
	for _, sp := range c.Spools {
		layouts = append(layouts, sp.Path+" "+sp.Layout)
	}
	if diff := cmp.Diff([]string{"/var/spool/cron/crontabs debian", "/etc/cron.d cron.d", "/var/spool/cron/atjobs debian"}, layouts); diff != "" {
		t.Errorf("spools (-want +got):\n%s", diff)
	}
	if c.Log != nil {
		t.Error("Linux cron has a log of its own")
	}
}

func TestCronRedHat(t *testing.T) {
	c := build(t, map[string]string{
		"etc/os-release":            "ID=rhel\nVERSION_ID=9\n",
		"var/spool/cron/alice":      "0 7 * * * /bin/true\n",
		"var/spool/at/spool/x":      "",
		"var/spool/at/a0000101":     "/bin/true\n",
		"etc/cron.d/0hourly":        "01 * * * * root run-parts /etc/cron.hourly\n",
		"etc/cron.d/0hourly.rpmnew": "01 * * * * root run-parts /etc/cron.hourly\n",
		"etc/at.deny":               "guest\n",
	}).Cron
	want := []string{
		"user crontab /var/spool/cron/alice alice",
		"system crontab /etc/cron.d/0hourly ",
		"at job /var/spool/at/a0000101 " + c.Tables[2].Owner,
	}
	if diff := cmp.Diff(want, cronTables(c)); diff != "" {
		t.Errorf("tables (-want +got):\n%s", diff)
	}
	if c.Spools[0].Layout != CronLayoutRedHat || !c.Installed[AtService] || !c.Installed[CronService] {
		t.Errorf("spools %+v installed %v", c.Spools, c.Installed)
	}
	if l := c.List(AtService, false); l == nil || !l.Exists || len(l.Names) != 1 {
		t.Errorf("at.deny %+v", l)
	}
}

func TestCronAIXLog(t *testing.T) {
	base := func(extra map[string]string) map[string]string {
		m := map[string]string{
			"var/lib/bastion/capture/oslevel-s": "7200-05-03-2148\n",
			"etc/rc.tcpip":                      "#!/bin/ksh\n",
			"etc/inittab":                       "init:2:initdefault:\ncron:23456789:respawn:/usr/sbin/cron\n",
		}
		for k, v := range extra {
			m[k] = v
		}
		return m
	}
	l := build(t, base(nil)).Cron.Log
	if l == nil || l.Path != "/var/adm/cron/log" || l.Exists || l.Quiet || l.Source.File != "" {
		t.Errorf("default log %+v", l)
	}
	l = build(t, base(map[string]string{"etc/cronlog.conf": "# cron's log\nlogfile=/var/log/cron.log\nquiet\n", "var/log/cron.log": ""})).Cron.Log
	if l.Path != "/var/log/cron.log" || !l.Exists || !l.Quiet || l.Source != (Source{File: "/etc/cronlog.conf", Line: 3}) || l.Text != "quiet" {
		t.Errorf("configured log %+v", l)
	}
	// cron -f names another configuration.
	f := build(t, base(map[string]string{
		"etc/inittab":       "cron:23456789:respawn:/usr/sbin/cron -f /etc/cron.log.conf\n",
		"etc/cron.log.conf": "logfile=/var/adm/cron/cron.log\n",
	}))
	if l := f.Cron.Log; l.Path != "/var/adm/cron/cron.log" || l.Source.Line != 1 {
		t.Errorf("cron -f log %+v", l)
	}
	// An unreadable configuration leaves the log unknown.
	f = build(t, base(map[string]string{"etc/cronlog.conf/x": ""}))
	if l := f.Cron.Log; l.Problem == "" {
		t.Errorf("log with unreadable cronlog.conf %+v", l)
	}
	if len(gapsFor(f, whatCron)) == 0 {
		t.Error("no gap for the unreadable cronlog.conf")
	}
}

func TestCronUnknownPlatform(t *testing.T) {
	c := build(t, map[string]string{"etc/crontab": "* * * * * root /bin/true\n"}).Cron
	if c == nil || len(c.Tables) != 0 || len(c.Lists) != 0 {
		t.Errorf("cron of an unknown platform %+v", c)
	}
}

func TestCronFileNames(t *testing.T) {
	f := FileState{Owner: "", UID: 1001, GID: 0}
	if f.OwnerName() != "1001" || f.GroupName() != "0" || !f.GroupIn("system") || f.OwnedBy("root") {
		t.Errorf("unnamed ids: %q %q", f.OwnerName(), f.GroupName())
	}
	f = FileState{Owner: "root", UID: 0, Group: "staff", GID: 0}
	if !f.OwnedBy("bin", "root") || f.GroupIn("system", "cron") {
		t.Error("a named group is matched by its name")
	}
	w := CronWritable{Dir: true, Mode: fs.ModeDir | fs.ModeSticky | 0o777}
	if !w.World() || !w.Sticky() {
		t.Error("/tmp is world-writable and sticky")
	}
	if (FileState{UID: -1, GID: -1}).OwnedBy("root") != true {
		t.Error("an unknown owner is not held against a file")
	}
}
