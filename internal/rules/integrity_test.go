package rules

import (
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"bastion/internal/host"
	"bastion/internal/parse/logrotate"
	"bastion/internal/remedy"
	"bastion/internal/rule"
)

// integLinux is a Debian 12 root with rsyslog, cron, AIDE checked daily,
// a restic backup and logrotate run by its timer; files are more files as
// name, content pairs, "<none>" leaving one out.
func integLinux(files ...string) map[string]string {
	yesterday := time.Now().Add(-24 * time.Hour).UTC().Format("2006-01-02 15:04:05 -0700")
	m := map[string]string{
		"etc/os-release":                         "ID=debian\nVERSION_ID=\"12\"\n",
		"etc/services":                           "ssh 22/tcp\n",
		"usr/lib/systemd/system/rsyslog.service": "[Service]\nExecStart=/usr/sbin/rsyslogd -n -iNONE\n",
		"etc/systemd/system/multi-user.target.wants/rsyslog.service": "->/usr/lib/systemd/system/rsyslog.service",
		"usr/lib/systemd/system/cron.service":                        "[Service]\nExecStart=/usr/sbin/cron -f\n",
		"etc/systemd/system/multi-user.target.wants/cron.service":    "->/usr/lib/systemd/system/cron.service",
		"etc/rsyslog.conf":                         "auth,authpriv.*\t/var/log/auth.log\n*.*;auth,authpriv.none\t-/var/log/syslog\n",
		"var/log/auth.log":                         "<0640>",
		"var/log/syslog":                           "<0640>",
		"etc/crontab":                              "SHELL=/bin/sh\n",
		"usr/sbin/logrotate":                       "<0755>",
		"etc/logrotate.conf":                       "weekly\nrotate 4\ncreate\ninclude /etc/logrotate.d\n",
		"etc/logrotate.d/rsyslog":                  "/var/log/syslog\n/var/log/auth.log\n{\n\trotate 4\n\tweekly\n\tmissingok\n}\n",
		"usr/lib/systemd/system/logrotate.timer":   "[Timer]\nOnCalendar=daily\nPersistent=true\n",
		"usr/lib/systemd/system/logrotate.service": "[Service]\nType=oneshot\nExecStart=/usr/sbin/logrotate /etc/logrotate.conf\n",
		"etc/systemd/system/timers.target.wants/logrotate.timer": "->/usr/lib/systemd/system/logrotate.timer",
		"usr/bin/aide":              "<0755>",
		"etc/aide/aide.conf":        "database_in=file:/var/lib/aide/aide.db\nreport_url=file:/var/log/aide/aide.log\n/etc p+i+n+u+g+s+m+c+sha512\n",
		"var/lib/aide/aide.db":      "<0600>",
		"var/log/aide/aide.log":     "AIDE found NO differences between database and filesystem. Looks okay!!\n\nStart timestamp: " + yesterday + " (AIDE 0.18.6)\n",
		"etc/cron.d/aide":           "0 5 * * * root /usr/bin/aide --config /etc/aide/aide.conf --check\n",
		"usr/bin/restic":            "<0755>",
		"etc/cron.d/backup":         "30 2 * * * root nice -n 19 /usr/bin/restic -r /srv/restic backup /etc /home >> /var/log/restic.log 2>&1\n",
		"srv/restic/snapshots/0d5a": "<0600>",
	}
	return overlay(m, files...)
}

func init() {
	noCron := "<dir>" // a crontab that cannot be read: any job may be there
	for id, tc := range map[string]ruleCase{
		"INTEG-CHECKER-NONE": {
			fires: integLinux("usr/bin/aide", "<none>", "etc/aide/aide.conf", "<none>", "etc/cron.d/aide", "<none>"),
			quiet: integLinux(), undecided: integLinux("etc/aide/aide.conf", "<dir>"),
		},
		"INTEG-CHECKER-UNSCHEDULED": {
			fires: integLinux("etc/cron.d/aide", "<none>"),
			quiet: integLinux(), undecided: integLinux("etc/cron.d/aide", "<none>", "etc/crontab", noCron),
		},
		"INTEG-DB-MISSING": {
			fires: integLinux("var/lib/aide/aide.db", "<none>"),
			quiet: integLinux(), undecided: integLinux("var/lib/aide/aide.db", "<dir>"),
		},
		"INTEG-STALE": {
			fires: integLinux("var/log/aide/aide.log", "Start timestamp: 2020-01-01 05:00:01 +0000 (AIDE 0.18.6)\n"),
			quiet: integLinux(), undecided: integLinux("var/log/aide/aide.log", "<none>"),
		},
		"BACKUP-NONE": {
			fires: integLinux("etc/cron.d/backup", "<none>"),
			quiet: integLinux(), undecided: integLinux("etc/cron.d/backup", "<none>", "etc/crontab", noCron),
		},
		"BACKUP-STALE": {
			fires: integLinux("etc/cron.d/backup", "<none>", "usr/bin/rsnapshot", "<0755>",
				"etc/rsnapshot.conf", "config_version\t1.2\nsnapshot_root\t/var/cache/rsnapshot/\nlogfile\t/var/log/rsnapshot.log\n",
				"etc/cron.d/rsnapshot", "0 3 * * * root /usr/bin/rsnapshot daily\n",
				"var/log/rsnapshot.log", "[2020-01-01T03:00:01] /usr/bin/rsnapshot daily: started\n[2020-01-01T03:20:12] /usr/bin/rsnapshot daily: completed successfully\n[2020-01-02T03:00:01] /usr/bin/rsnapshot daily: started\n[2020-01-02T03:00:09] /usr/bin/rsnapshot daily: ERROR: /usr/bin/rsync returned 255\n"),
			quiet:     integLinux(),
			undecided: integLinux("etc/cron.d/backup", "30 2 * * * root /usr/bin/restic -r sftp:backup.example.net:/srv/restic backup /etc\n"),
		},
		"LOG-ROTATE-MISSING": {
			fires: integLinux("etc/logrotate.d/rsyslog", "/var/log/syslog {\n\tweekly\n}\n"),
			quiet: integLinux(), undecided: integLinux("etc/rsyslog.conf", "<dir>"),
		},
	} {
		cases[id] = tc
	}
}

// integModel builds the integrity model of a tree.
func integModel(t *testing.T, files map[string]string) (*rule.Context, *host.Integrity) {
	t.Helper()
	c := context(t, files, nil)
	return c, c.Facts.Integrity
}

// The model of the sound Debian root: where each tool is, what runs it,
// what its last run was, what rotates each log file.
func TestIntegrityModel(t *testing.T) {
	_, in := integModel(t, integLinux())
	if in.Now.IsZero() || in.NowFrom == "" {
		t.Errorf("no reference time: %v %q", in.Now, in.NowFrom)
	}
	if len(in.Checkers) != 1 || len(in.Backups) != 1 {
		t.Fatalf("checkers %+v, backups %+v", in.Checkers, in.Backups)
	}
	aide := in.Checkers[0]
	if aide.Program != "/usr/bin/aide" || !aide.Config.Exists || aide.Database == nil || !aide.Database.Exists ||
		aide.Database.Source != (host.Source{File: "/etc/aide/aide.conf", Line: 1}) {
		t.Errorf("aide %+v db %+v", aide, aide.Database)
	}
	if len(aide.Schedules) != 1 || aide.Schedules[0].Source != (host.Source{File: "/etc/cron.d/aide", Line: 1}) {
		t.Errorf("aide schedules %+v", aide.Schedules)
	}
	if aide.LastRunFrom != "/var/log/aide/aide.log" || time.Since(aide.LastRun) > 25*time.Hour {
		t.Errorf("aide last run %v from %q", aide.LastRun, aide.LastRunFrom)
	}
	restic := in.Backups[0]
	if restic.Name != "restic" || len(restic.Schedules) != 1 || restic.Schedules[0].Command != "/usr/bin/restic -r /srv/restic backup /etc /home" {
		t.Errorf("restic %+v", restic)
	}
	if restic.LastRun.IsZero() || restic.LastRunFrom != "/srv/restic/snapshots" && restic.LastRunFrom != "/var/log/restic.log" {
		t.Errorf("restic last run %v from %q", restic.LastRun, restic.LastRunFrom)
	}
	lr := in.Rotation.Logrotate
	if lr == nil || lr.Program != "/usr/sbin/logrotate" || lr.DropInDir != "/etc/logrotate.d" || len(lr.Schedules) != 1 ||
		lr.Schedules[0].Source.Unit != "logrotate.service" || !cmp.Equal(lr.Configs, []string{"/etc/logrotate.conf", "/etc/logrotate.d/rsyslog"}) {
		t.Errorf("logrotate %+v", lr)
	}
	want := []host.RotatedFile{
		{Path: "/var/log/auth.log", Source: host.Source{File: "/etc/rsyslog.conf", Line: 1}, Text: "auth,authpriv.*\t/var/log/auth.log",
			By: []host.RotatedBy{{Kind: host.RotatedByLogrotate, Source: host.Source{File: "/etc/logrotate.d/rsyslog", Line: 2}, What: "weekly, rotate 4"}}},
		{Path: "/var/log/syslog", Source: host.Source{File: "/etc/rsyslog.conf", Line: 2}, Text: "*.*;auth,authpriv.none\t-/var/log/syslog",
			By: []host.RotatedBy{{Kind: host.RotatedByLogrotate, Source: host.Source{File: "/etc/logrotate.d/rsyslog", Line: 1}, What: "weekly, rotate 4"}}},
	}
	if diff := cmp.Diff(want, in.Rotation.Files); diff != "" {
		t.Errorf("rotated files (-want +got):\n%s", diff)
	}
}

// Jobs are found through the programs that run others, the scripts cron
// and timers run, and the command strings of shells; what a run leaves
// behind gives its time.
func TestIntegritySchedules(t *testing.T) {
	files := integLinux(
		"etc/cron.d/aide", "<none>", "etc/cron.d/backup", "<none>",
		"etc/cron.daily/nightly", "<0755>#!/bin/sh\nset -e\n# restic backup of /etc\ntest -x /usr/bin/restic || exit 0\n"+
			"if [ -d /srv ]; then\n\tRESTIC_REPOSITORY=/srv/restic timeout 6h /usr/bin/restic backup /etc\nfi\n",
		"etc/cron.daily/README", "<0644>not executable: run-parts skips it\naide --check\n",
		"etc/cron.d/tarball", "0 1 * * 0 root sh -c 'cd / && tar czf /var/backups/etc.tgz etc' 2>/dev/null\n",
		"etc/cron.d/restore", "0 1 * * 0 root tar xzf /var/backups/etc.tgz -C /tmp\n",
		"var/backups/etc.tgz", "<0600>",
		"usr/lib/systemd/system/dailyaidecheck.timer", "[Timer]\nOnCalendar=daily\nPersistent=true\n",
		"usr/lib/systemd/system/dailyaidecheck.service", "[Service]\nType=oneshot\nExecStart=/usr/share/aide/bin/dailyaidecheck\n",
		"etc/systemd/system/timers.target.wants/dailyaidecheck.timer", "->/usr/lib/systemd/system/dailyaidecheck.timer",
		"usr/share/aide/bin/dailyaidecheck", "<0755>#!/bin/sh\nAIDE=/usr/bin/aide\n\"$AIDE\" --check\n",
		"var/lib/systemd/timers/stamp-dailyaidecheck.timer", "<0644>",
		"var/log/aide/aide.log", "<none>",
	)
	_, in := integModel(t, files)
	var got []string
	for _, ts := range [][]host.Tool{in.Checkers, in.Backups} {
		for _, tl := range ts {
			for _, s := range tl.Schedules {
				got = append(got, tl.Name+" "+s.Source.String()+" via "+s.Via)
			}
			if tl.LastRun.IsZero() {
				t.Errorf("%s: no last run", tl.Name)
			}
		}
	}
	want := []string{
		"aide dailyaidecheck.service (/usr/lib/systemd/system/dailyaidecheck.service:3) via dailyaidecheck.timer (/usr/lib/systemd/system/dailyaidecheck.timer)",
		"aide /usr/share/aide/bin/dailyaidecheck:3 via dailyaidecheck.timer",
		"restic /etc/cron.daily/nightly:6 via /etc/cron.daily",
		"tar /etc/cron.d/tarball:1 via ",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("schedules (-want +got):\n%s", diff)
	}
	if in.Checkers[0].LastRunFrom != "/var/lib/systemd/timers/stamp-dailyaidecheck.timer" {
		t.Errorf("aide last run from %q", in.Checkers[0].LastRunFrom)
	}
	for _, b := range in.Backups {
		if b.Name == "tar" && b.LastRunFrom != "/var/backups/etc.tgz" || b.Name == "restic" && b.LastRunFrom != "/srv/restic/snapshots" {
			t.Errorf("%s last run from %q", b.Name, b.LastRunFrom)
		}
	}
}

// An AIX root: syslogd's rotate option and smdemon.cleanu rotate files,
// trustchk is a checker once scheduled, mksysb a backup.
func TestIntegrityAIX(t *testing.T) {
	files := aix(map[string]string{
		"var/lib/bastion/capture/oslevel-s": "7200-05-03-2148\n",
		"etc/rc.tcpip":                      "start /usr/sbin/inetd \"$src_running\"\nstart /usr/sbin/syslogd \"$src_running\"\n",
		"etc/syslog.conf":                   "*.info\t/var/adm/syslog.log\nauth.info\t/var/adm/auth.log\trotate size 1m files 4\nmail.debug\t/var/spool/mqueue/log\n*.crit\t/dev/console\n",
		"var/adm/syslog.log":                "<0640>",
		"var/adm/auth.log":                  "<0640>",
		"var/spool/mqueue/log":              "<0640>",
		"var/spool/cron/crontabs/root": "0 11 * * * /usr/bin/errclear -d S,O 30\n45 23 * * * ulimit 5000; /usr/lib/smdemon.cleanu > /dev/null\n" +
			"0 4 * * * /usr/sbin/trustchk -n ALL > /var/adm/trustchk.out 2>&1\n0 3 * * 0 /usr/bin/mksysb -i -X /backup/rootvg.mksysb\n",
		"usr/sbin/trustchk":        "<0755>",
		"etc/security/tsd/tsd.dat": "<0600>",
		"var/adm/trustchk.out":     "<0644>",
		"backup/rootvg.mksysb":     "<0600>",
	})
	c, in := integModel(t, files)
	if len(in.Checkers) != 1 || in.Checkers[0].Name != "trustchk" || !in.Checkers[0].InPlace() || in.Checkers[0].LastRunFrom != "/var/adm/trustchk.out" {
		t.Fatalf("checkers %+v", in.Checkers)
	}
	if len(in.Backups) != 1 || in.Backups[0].Name != "mksysb" || in.Backups[0].LastRunFrom != "/backup/rootvg.mksysb" ||
		in.Backups[0].Schedules[0].Source != (host.Source{File: "/var/spool/cron/crontabs/root", Line: 4}) {
		t.Fatalf("backups %+v", in.Backups)
	}
	var got []string
	for _, rf := range in.Rotation.Files {
		for _, by := range rf.By {
			got = append(got, rf.Path+" "+by.Kind+" "+by.Source.String())
		}
		if len(rf.By) == 0 {
			got = append(got, rf.Path+" none")
		}
	}
	want := []string{
		"/var/adm/auth.log syslog option /etc/syslog.conf:2",
		"/var/adm/syslog.log none",
		"/var/spool/mqueue/log cron job /var/spool/cron/crontabs/root:2",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("rotation (-want +got):\n%s", diff)
	}
	for _, id := range []string{"INTEG-CHECKER-NONE", "INTEG-DB-MISSING", "INTEG-STALE", "BACKUP-NONE", "BACKUP-STALE"} {
		if got, fs := outcome(t, id, c); got != "quiet" {
			t.Errorf("%s: %s %+v", id, got, fs)
		}
	}
	got2, fs := outcome(t, "LOG-ROTATE-MISSING", c)
	if got2 != "fires" || len(fs) != 1 || fs[0].Where.String() != "/etc/syslog.conf:1" {
		t.Fatalf("LOG-ROTATE-MISSING: %s %+v", got2, fs)
	}
	r, _ := rule.Lookup("LOG-ROTATE-MISSING")
	changes := r.Fix(c, fs[0])
	if len(changes) != 2 || changes[0].Edits[0].New[0] != "*.info\t/var/adm/syslog.log\trotate size 10m files 4" || changes[1].Argv[0] != "refresh" {
		t.Errorf("fix %+v", changes)
	}
	// Before AIX 5.3 syslogd has no rotate option: no fix is offered.
	files["var/lib/bastion/capture/oslevel-s"] = "5200-10-08-0930\n"
	c = context(t, files, nil)
	if _, fs := outcome(t, "LOG-ROTATE-MISSING", c); len(fs) != 1 || len(r.Fix(c, fs[0])) != 0 {
		t.Errorf("AIX 5.2: findings %+v, want one without a fix", fs)
	}
}

// The words of shell commands: wrappers looked through, redirections
// kept apart.
func TestIntegrityCommandWords(t *testing.T) {
	for in, want := range map[string]string{
		"nice -n 19 ionice -c3 /usr/bin/restic backup /etc": "/usr/bin/restic backup /etc",
		"LANG=C timeout 6h borg create /srv/b::x /etc":      "borg create /srv/b::x /etc",
		"env -u HOME X=1 flock -w 5 /run/lock tar cf /b /c": "tar cf /b /c",
		"command -v aide": "",
		"$HOME/bin/x":     "",
	} {
		_, cs := integRunLines(t, in)
		if cs != want {
			t.Errorf("%q: %q, want %q", in, cs, want)
		}
	}
}

// integRunLines schedules one cron line and returns the model and the
// command of the one tool run found, or "".
func integRunLines(t *testing.T, line string) (*host.Integrity, string) {
	t.Helper()
	_, in := integModel(t, integLinux("etc/cron.d/aide", "<none>", "etc/cron.d/backup", "0 1 * * * root "+line+"\n",
		"usr/bin/borg", "<0755>"))
	for _, ts := range [][]host.Tool{in.Checkers, in.Backups} {
		for _, tl := range ts {
			if len(tl.Schedules) > 0 {
				return in, tl.Schedules[0].Command
			}
		}
	}
	return in, ""
}

// The fix for files nothing rotates is one logrotate file that logrotate
// reads back covering them.
func TestIntegrityRotateFix(t *testing.T) {
	c := context(t, integLinux("etc/logrotate.d/rsyslog", "<none>", "etc/logrotate.d/apt", "/var/log/apt/term.log {\n\trotate 12\n\tmonthly\n}\n"), nil)
	got, fs := outcome(t, "LOG-ROTATE-MISSING", c)
	if got != "fires" || len(fs) != 2 {
		t.Fatalf("%s %+v", got, fs)
	}
	r, _ := rule.Lookup("LOG-ROTATE-MISSING")
	var p remedy.Plan
	for _, f := range fs {
		p.Add(r.Fix(c, f)...)
	}
	diffs, err := p.Files(func(string) ([]byte, error) { return nil, os.ErrNotExist })
	if err != nil || len(diffs) != 1 || diffs[0].Path != "/etc/logrotate.d/syslog-extra" {
		t.Fatalf("plan %+v, %v", diffs, err)
	}
	lf, err := logrotate.Parse(strings.NewReader(string(diffs[0].After)), "syslog-extra")
	if err != nil || len(lf.Blocks) != 1 {
		t.Fatalf("the file does not parse: %v\n%s", err, diffs[0].After)
	}
	for _, p := range []string{"/var/log/auth.log", "/var/log/syslog"} {
		if _, ok := lf.Blocks[0].Match(p); !ok {
			t.Errorf("%s not covered:\n%s", p, diffs[0].After)
		}
	}
	// Without logrotate's timer nothing runs it: no fix, and the finding
	// says so.
	c = context(t, integLinux("etc/systemd/system/timers.target.wants/logrotate.timer", "<none>"), nil)
	_, fs = outcome(t, "LOG-ROTATE-MISSING", c)
	if len(fs) != 2 || !strings.Contains(fs[0].Found, "no cron job or timer runs logrotate") || r.Fix(c, fs[0]) != nil {
		t.Errorf("unscheduled logrotate: %+v", fs)
	}
}

// integT0 is the time every file of a copied integrity fixture is given,
// so that ages do not depend on when the test runs; integTimes are the
// files given another time.
var (
	integT0    = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	integTimes = map[string]map[string]time.Time{
		"debian12-integrity": {
			"var/backups/etc-weekly.tar.gz": time.Date(2025, 1, 26, 1, 15, 40, 0, time.UTC),
			"var/log/rsnapshot.log":         time.Date(2025, 2, 11, 3, 30, 2, 0, time.UTC),
		},
	}
)

// integCopy copies an integrity fixture and sets the times of its files.
func integCopy(t *testing.T, name string) string {
	t.Helper()
	dir := mailCopy(t, name, nil)
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.Type()&fs.ModeSymlink != 0 {
			return err
		}
		return os.Chtimes(p, integT0, integT0)
	})
	if err != nil {
		t.Fatal(err)
	}
	for p, tm := range integTimes[name] {
		if err := os.Chtimes(filepath.Join(dir, p), tm, tm); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// integIDs are the rules of this topic.
var integIDs = []string{"BACKUP-NONE", "BACKUP-STALE", "INTEG-CHECKER-NONE", "INTEG-CHECKER-UNSCHEDULED", "INTEG-DB-MISSING", "INTEG-STALE", "LOG-ROTATE-MISSING"}

// integFindings runs the rules of this topic and returns the findings as
// "RULE file[:line]"; a rule that cannot decide is reported as
// "RULE undecided".
func integFindings(t *testing.T, c *rule.Context) ([]string, []rule.Finding) {
	t.Helper()
	var got []string
	var all []rule.Finding
	for _, id := range integIDs {
		how, fs := outcome(t, id, c)
		if how == "undecided" {
			got = append(got, id+" undecided")
		}
		for _, f := range fs {
			got = append(got, f.Rule+" "+f.Where.String())
			all = append(all, f)
		}
	}
	sort.Strings(got)
	return got, all
}

// The problems of the integrity fixtures are found where they are
// written, and the hardened twins have none.
func TestIntegrityFixtures(t *testing.T) {
	checkFixtures(t, []fixtureCase{
		{root: "debian12-integrity", want: []string{
			"BACKUP-STALE /etc/cron.d/etc-archive:2",
			"BACKUP-STALE /etc/cron.d/rsnapshot:3",
			"INTEG-CHECKER-UNSCHEDULED /etc/samhainrc",
			"INTEG-DB-MISSING /etc/aide/aide.conf:4",
			"INTEG-STALE /etc/cron.daily/tripwire:9",
			"LOG-ROTATE-MISSING /etc/rsyslog.conf:13",
		}},
		{root: "debian12-integrity-hardened"},
		{root: "aix72-integrity", want: []string{
			"BACKUP-NONE /var/spool/cron/crontabs/root",
			"INTEG-CHECKER-NONE /var/spool/cron/crontabs/root",
			"LOG-ROTATE-MISSING /etc/syslog.conf:6",
		}},
		{root: "aix72-integrity-hardened"},
	}, integCopy, integFindings)
}

// The fixes of the problem fixtures make one plan without conflicts and,
// once made, leave only what needs a person: databases, schedules and
// backups that do not run.
func TestIntegrityFixturesFixed(t *testing.T) {
	checkFixed(t, []fixtureCase{
		{root: "debian12-integrity", want: []string{
			"BACKUP-STALE /etc/cron.d/etc-archive:2",
			"BACKUP-STALE /etc/cron.d/rsnapshot:3",
			"INTEG-CHECKER-UNSCHEDULED /etc/samhainrc",
			"INTEG-DB-MISSING /etc/aide/aide.conf:4",
			"INTEG-STALE /etc/cron.daily/tripwire:9",
		}},
		{root: "aix72-integrity", want: []string{
			"BACKUP-NONE /var/spool/cron/crontabs/root",
			"INTEG-CHECKER-NONE /var/spool/cron/crontabs/root",
		}},
	}, integCopy, integFindings)
}

// What each tool leaves behind gives the time of its last run: the dates
// /etc/dumpdates records, a borg repository, an AIDE report without a
// timestamp (its modification time); an rsnapshot log that records no
// completed run gives none.
func TestIntegrityRunRecords(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files []string
		tool  string
		from  string
		when  string // the last run's date, "" for none, "mtime" for the file's
	}{
		{"dump", []string{"etc/cron.d/backup", "0 1 * * 0 root /sbin/dump -0u -f /dev/st0 /\n",
			"etc/dumpdates", "/dev/sda1 0 Tue Feb 27 03:00:01 2024 +0000\n/dev/sda1 1 Wed Feb 28 03:10:01 2024 +0000\n"},
			"dump", "/etc/dumpdates", "2024-02-28 03:10:01"},
		{"aix backup", []string{"etc/cron.d/backup", "0 1 * * 0 root /usr/sbin/backup -0 -u -f /dev/rmt0 /home\n",
			"etc/dumpdates", "/dev/rhd1 0 Sat Mar  1 01:00:03 2025\n"},
			"backup", "/etc/dumpdates", "2025-03-01 01:00:03"},
		{"borg", []string{"etc/cron.d/backup", "0 1 * * * root borg create --stats /srv/borg::'{hostname}-{now}' /etc\n",
			"usr/bin/borg", "<0755>", "srv/borg/config", "[repository]\n"},
			"borg", "/srv/borg", "mtime"},
		{"aide without timestamp", []string{"var/log/aide/aide.log", "### All files match AIDE database. Looks okay!\n"},
			"aide", "/var/log/aide/aide.log", "mtime"},
		{"rsnapshot failing", []string{"etc/cron.d/backup", "0 3 * * * root /usr/bin/rsnapshot daily\n", "usr/bin/rsnapshot", "<0755>",
			"etc/rsnapshot.conf", "snapshot_root\t/srv/snap/\nlogfile\t/var/log/rsnapshot.log\n",
			"var/log/rsnapshot.log", "[27/Feb/2024:03:00:01] /usr/bin/rsnapshot daily: started\n[27/Feb/2024:03:00:02] /usr/bin/rsnapshot daily: ERROR: /usr/bin/rsync returned 255\n"},
			"rsnapshot", "", ""},
		{"rsnapshot old format", []string{"etc/cron.d/backup", "0 3 * * * root /usr/bin/rsnapshot daily\n", "usr/bin/rsnapshot", "<0755>",
			"etc/rsnapshot.conf", "snapshot_root\t/srv/snap/\nlogfile\t/var/log/rsnapshot.log\n",
			"var/log/rsnapshot.log", "[27/Feb/2024:03:00:01] /usr/bin/rsnapshot daily: started\n[27/Feb/2024:03:12:40] /usr/bin/rsnapshot daily: completed successfully\n"},
			"rsnapshot", "/var/log/rsnapshot.log", "2024-02-27 03:12:40"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, in := integModel(t, integLinux(tc.files...))
			var tool *host.Tool
			for _, ts := range [][]host.Tool{in.Checkers, in.Backups} {
				for i := range ts {
					if ts[i].Name == tc.tool {
						tool = &ts[i]
					}
				}
			}
			if tool == nil || len(tool.Schedules) == 0 {
				t.Fatalf("%s not scheduled: %+v %+v", tc.tool, in.Checkers, in.Backups)
			}
			got := tool.LastRun.UTC().Format("2006-01-02 15:04:05")
			switch tc.when {
			case "":
				if !tool.LastRun.IsZero() {
					t.Errorf("last run %s from %s, want none", got, tool.LastRunFrom)
				}
				return
			case "mtime":
				if time.Since(tool.LastRun) > time.Hour {
					t.Errorf("last run %s, want the file's modification time", got)
				}
			default:
				if got != tc.when {
					t.Errorf("last run %s, want %s", got, tc.when)
				}
			}
			if tool.LastRunFrom != tc.from {
				t.Errorf("last run from %q, want %q", tool.LastRunFrom, tc.from)
			}
		})
	}
}
