package crontab

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"

	"bastion/internal/parse"
)

// job builds a Job for the want tables; Program is argv[0].
func job(line int, schedule, user, command string, argv ...string) Job {
	j := Job{Line: line, Schedule: schedule, User: user, Command: command, Argv: argv}
	if len(argv) > 0 {
		j.Program = argv[0]
	}
	return j
}

func env(line int, name, value string) Assignment {
	return Assignment{Line: line, Name: name, Value: value}
}

func readFixture(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// parseFixture parses a fixture that must have no bad line and checks
// that Bytes gives it back.
func parseFixture(t *testing.T, fixture, name string, system bool) *File {
	t.Helper()
	text := readFixture(t, fixture)
	parseFn := Parse
	if system {
		parseFn = ParseSystem
	}
	f, err := parseFn(strings.NewReader(text), name)
	if err != nil {
		t.Fatalf("parse %s: %v", fixture, err)
	}
	if f.Name != name {
		t.Errorf("Name = %q, want %q", f.Name, name)
	}
	if got := string(f.Bytes()); got != text {
		t.Errorf("Bytes() does not give %s back", fixture)
	}
	return f
}

func TestParseAIXRoot(t *testing.T) {
	f := parseFixture(t, "aix-root", "/var/spool/cron/crontabs/root", false)
	want := []Job{
		job(8, "0 11 * * *", "", "/usr/bin/errclear -d S,O 30", "/usr/bin/errclear", "-d", "S,O", "30"),
		job(9, "0 12 * * *", "", "/usr/bin/errclear -d H 90", "/usr/bin/errclear", "-d", "H", "90"),
		job(10, "0 15 * * *", "", "/usr/lib/ras/dumpcheck >/dev/null 2>&1", "/usr/lib/ras/dumpcheck"),
		job(11, "55 23 * * *", "", "/var/perf/pm/bin/pmcfg  >/dev/null 2>&1 #Enable PM Data Collection", "/var/perf/pm/bin/pmcfg"),
		job(13, "0 3 * * *", "", "/usr/sbin/skulker", "/usr/sbin/skulker"),
		job(14, "10,40 * * * *", "", "/usr/lib/sendmail -q > /dev/null 2>&1", "/usr/lib/sendmail", "-q"),
		job(15, "45 23 * * *", "", "ulimit 5000; /usr/lib/smdemon.cleanu > /dev/null", "ulimit", "5000"),
		job(16, "0 2 * * 1-5", "", `su - oracle -c "/home/oracle/bin/rman_backup.sh" > /tmp/rman.log 2>&1`,
			"su", "-", "oracle", "-c", "/home/oracle/bin/rman_backup.sh"),
		job(17, "30 1 * * 0", "", `/usr/bin/find /tmp -type f -mtime +7 -exec /usr/bin/rm {} \;`,
			"/usr/bin/find", "/tmp", "-type", "f", "-mtime", "+7", "-exec", "/usr/bin/rm", "{}", ";"),
	}
	if diff := cmp.Diff(want, f.Jobs); diff != "" {
		t.Errorf("Jobs (-want +got):\n%s", diff)
	}
	if len(f.Env) != 0 {
		t.Errorf("Env = %v, want none", f.Env)
	}
	progs := map[int][]string{
		10: {"/usr/lib/ras/dumpcheck"},
		14: {"/usr/lib/sendmail"},
		15: {"/usr/lib/smdemon.cleanu"},
		16: {"su", "/home/oracle/bin/rman_backup.sh"},
		17: {"/usr/bin/find"},
	}
	for _, j := range f.Jobs {
		if want, ok := progs[j.Line]; ok {
			if diff := cmp.Diff(want, j.Programs()); diff != "" {
				t.Errorf("line %d: Programs() (-want +got):\n%s", j.Line, diff)
			}
		}
	}
}

func TestParseSystemDebian(t *testing.T) {
	f := parseFixture(t, "debian-crontab", "/etc/crontab", true)
	wantEnv := []Assignment{
		env(5, "SHELL", "/bin/sh"),
		env(6, "PATH", "/usr/local/sbin:/usr/local/bin:/sbin:/bin:/usr/sbin:/usr/bin"),
	}
	if diff := cmp.Diff(wantEnv, f.Env); diff != "" {
		t.Errorf("Env (-want +got):\n%s", diff)
	}
	want := []Job{
		job(9, "17 * * * *", "root", "cd / && run-parts --report /etc/cron.hourly", "cd", "/"),
		job(10, "25 6 * * *", "root", "test -x /usr/sbin/anacron || { cd / && run-parts --report /etc/cron.daily; }",
			"test", "-x", "/usr/sbin/anacron"),
		job(11, "47 6 * * 7", "root", "test -x /usr/sbin/anacron || ( cd / && run-parts --report /etc/cron.weekly )",
			"test", "-x", "/usr/sbin/anacron"),
		job(12, "52 6 1 * *", "root", "test -x /usr/sbin/anacron || { cd / && run-parts --report /etc/cron.monthly; }",
			"test", "-x", "/usr/sbin/anacron"),
	}
	if diff := cmp.Diff(want, f.Jobs); diff != "" {
		t.Errorf("Jobs (-want +got):\n%s", diff)
	}
	var got [][]string
	for _, j := range f.Jobs {
		got = append(got, j.Programs())
	}
	wantProgs := [][]string{
		{"run-parts", "/etc/cron.hourly/"},
		{"run-parts", "/etc/cron.daily/"},
		{"run-parts", "/etc/cron.weekly/"},
		{"run-parts", "/etc/cron.monthly/"},
	}
	if diff := cmp.Diff(wantProgs, got); diff != "" {
		t.Errorf("Programs (-want +got):\n%s", diff)
	}
}

func TestParseSystemCronD(t *testing.T) {
	f := parseFixture(t, "cron.d-sysstat", "/etc/cron.d/sysstat", true)
	wantEnv := []Assignment{
		env(2, "MAILTO", ""),
		env(3, "PATH", "/usr/lib/sysstat:/usr/sbin:/usr/bin:/sbin:/bin"),
	}
	if diff := cmp.Diff(wantEnv, f.Env); diff != "" {
		t.Errorf("Env (-want +got):\n%s", diff)
	}
	want := []Job{
		job(5, "*/10 * * * *", "root", "command -v debian-sa1 > /dev/null && debian-sa1 1 1", "command", "-v", "debian-sa1"),
		job(6, "59 23 * * *", "root", "command -v debian-sa1 > /dev/null && debian-sa1 60 2", "command", "-v", "debian-sa1"),
		job(7, "@reboot", "root", "test -e /run/systemd/system || SERVICE_MODE=1 /usr/sbin/e2scrub_all -A -r",
			"test", "-e", "/run/systemd/system"),
		job(8, "09,39 * * * *", "root",
			"[ -x /usr/lib/php/sessionclean ] && if [ ! -d /run/systemd/system ]; then /usr/lib/php/sessionclean; fi",
			"[", "-x", "/usr/lib/php/sessionclean", "]"),
		job(9, "0 4 * jan-jun,oct mon-fri", "www-data", "/usr/bin/php /var/www/cron.php >> /var/log/php-cron.log 2>&1",
			"/usr/bin/php", "/var/www/cron.php"),
	}
	if diff := cmp.Diff(want, f.Jobs); diff != "" {
		t.Errorf("Jobs (-want +got):\n%s", diff)
	}
	var got [][]string
	for _, j := range f.Jobs {
		got = append(got, j.Programs())
	}
	wantProgs := [][]string{
		{"debian-sa1"},
		{"debian-sa1"},
		{"/usr/sbin/e2scrub_all"},
		{"/usr/lib/php/sessionclean"},
		{"/usr/bin/php"},
	}
	if diff := cmp.Diff(wantProgs, got); diff != "" {
		t.Errorf("Programs (-want +got):\n%s", diff)
	}
}

func TestParseUserVixie(t *testing.T) {
	f := parseFixture(t, "user-vixie", "/var/spool/cron/crontabs/alice", false)
	wantEnv := []Assignment{
		env(3, "SHELL", "/bin/bash"),
		env(4, "MAILTO", "ops@example.com"),
	}
	if diff := cmp.Diff(wantEnv, f.Env); diff != "" {
		t.Errorf("Env (-want +got):\n%s", diff)
	}
	want := []Job{
		job(5, "@daily", "", "/home/alice/bin/rotate-logs", "/home/alice/bin/rotate-logs"),
		job(6, "@reboot", "", "/usr/bin/tmux new-session -d -s work", "/usr/bin/tmux", "new-session", "-d", "-s", "work"),
		job(7, "*/15 9-17 * * MON-FRI", "", "/home/alice/bin/check.sh", "/home/alice/bin/check.sh"),
		job(8, "0 0 1 * *", "", `/usr/bin/mail -s "monthly" alice%Report follows.%--%end`,
			"/usr/bin/mail", "-s", "monthly", "alice"),
		job(9, "30 2 1 * *", "", `/usr/bin/tar -cf /backup/home-$(date +\%Y\%m).tar /home/alice`,
			"/usr/bin/tar", "-cf", "/backup/home-$(date +%Y%m).tar", "/home/alice"),
		job(10, "5 4 * * sun", "", `/bin/ksh -c 'cd /srv/app && ./purge; /usr/local/bin/notify done'`,
			"/bin/ksh", "-c", "cd /srv/app && ./purge; /usr/local/bin/notify done"),
	}
	if diff := cmp.Diff(want, f.Jobs); diff != "" {
		t.Errorf("Jobs (-want +got):\n%s", diff)
	}
	mail := f.Jobs[3]
	if got, want := mail.ShellCommand(), `/usr/bin/mail -s "monthly" alice`; got != want {
		t.Errorf("ShellCommand() = %q, want %q", got, want)
	}
	if got, want := mail.Input(), "Report follows.\n--\nend"; got != want {
		t.Errorf("Input() = %q, want %q", got, want)
	}
	if diff := cmp.Diff([]string{"/bin/ksh", "/usr/local/bin/notify"}, f.Jobs[5].Programs()); diff != "" {
		t.Errorf("ksh -c Programs() (-want +got):\n%s", diff)
	}
}

func TestSchedules(t *testing.T) {
	for _, sched := range []string{
		"* * * * *",
		"0 0 1 1 0",
		"59 23 31 12 7",
		"00 05 01 01 00",
		"0,15,30,45 * * * *",
		"0-59/5 0-23 1-31 1-12 0-7",
		"*/5 */2 */10 */3 */2",
		"1-5,10-15/2,30 * * * *",
		"0 0 * JAN,Feb,mar * ",
		"0 0 * jan-dec/2 sun-sat",
		"0 0 * * Mon-Fri",
		"0 0 * * sun,7",
		"0 0 * * 1-5/2",
		"~ * * * *",
		"0~30 * * * *",
		"5~ ~6 * * *",
		"-*/5 * * * *",
		"@reboot", "@hourly", "@daily", "@midnight", "@weekly", "@monthly", "@yearly", "@annually",
		"-@daily",
	} {
		for _, system := range []bool{false, true} {
			line := sched + " /usr/bin/true\n"
			parseFn := Parse
			user := ""
			if system {
				parseFn, user = ParseSystem, "root"
				line = sched + " root /usr/bin/true\n"
			}
			f, err := parseFn(strings.NewReader(line), "tab")
			if err != nil {
				t.Errorf("%q (system %v): %v", line, system, err)
				continue
			}
			want := []Job{job(1, strings.Join(strings.Fields(sched), " "), user, "/usr/bin/true", "/usr/bin/true")}
			if diff := cmp.Diff(want, f.Jobs); diff != "" {
				t.Errorf("%q (system %v) (-want +got):\n%s", line, system, diff)
			}
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name   string
		line   string
		system bool
		want   string
	}{
		{"minute too big", "60 * * * * /bin/x", false, `bad minute "60": 60 is out of range 0-59`},
		{"hour too big", "0 24 * * * /bin/x", false, `bad hour "24": 24 is out of range 0-23`},
		{"day of month zero", "0 0 0 * * /bin/x", false, `bad day-of-month "0": 0 is out of range 1-31`},
		{"day of month too big", "0 0 32 * * /bin/x", false, `bad day-of-month "32": 32 is out of range 1-31`},
		{"month zero", "0 0 1 0 * /bin/x", false, `bad month "0": 0 is out of range 1-12`},
		{"month too big", "0 0 * 13 * /bin/x", false, `bad month "13": 13 is out of range 1-12`},
		{"weekday too big", "0 0 * * 8 /bin/x", false, `bad day-of-week "8": 8 is out of range 0-7`},
		{"huge number", "99999999999999999999 * * * * /bin/x", false,
			`bad minute "99999999999999999999": 99999999999999999999 is out of range 0-59`},
		{"name in minute", "mon * * * * /bin/x", false, `bad minute "mon": "mon" is not a number`},
		{"weekday name in month", "0 0 * mon * /bin/x", false, `bad month "mon": unknown name "mon"`},
		{"long month name", "0 0 * january * /bin/x", false, `bad month "january": unknown name "january"`},
		{"month name in weekday", "0 0 * * jan /bin/x", false, `bad day-of-week "jan": unknown name "jan"`},
		{"backwards range", "0 0 * * 5-1 /bin/x", false, `bad day-of-week "5-1": range 5-1 is backwards`},
		{"backwards name range", "0 0 * dec-jan * /bin/x", false, `bad month "dec-jan": range dec-jan is backwards`},
		{"range end out of range", "0 0 1-40 * * /bin/x", false, `bad day-of-month "1-40": 40 is out of range 1-31`},
		{"open range", "0 0 1- * * /bin/x", false, `bad day-of-month "1-": missing value`},
		{"star in range", "*-5 * * * * /bin/x", false, `bad minute "*-5": "*" is not a number`},
		{"step zero", "*/0 * * * * /bin/x", false, `bad minute "*/0": step 0`},
		{"step not a number", "*/x * * * * /bin/x", false, `bad minute "*/x": step "x" is not a number`},
		{"step missing", "*/ * * * * /bin/x", false, `bad minute "*/": step "" is not a number`},
		{"step too large", "*/99999999999999999999 * * * * /bin/x", false,
			`bad minute "*/99999999999999999999": step 99999999999999999999 is too large`},
		{"step after a value", "5/10 * * * * /bin/x", false, `bad minute "5/10": step after a single value`},
		{"step after random", "0~30/5 * * * * /bin/x", false, `bad minute "0~30/5": step after a random value`},
		{"backwards random", "30~10 * * * * /bin/x", false, `bad minute "30~10": random range 30~10 is backwards`},
		{"random out of range", "0 0~24 * * * /bin/x", false, `bad hour "0~24": 24 is out of range 0-23`},
		{"random low out of range", "0 0 0~ * * /bin/x", false, `bad day-of-month "0~": 0 is out of range 1-31`},
		{"empty list element", "1,,2 * * * * /bin/x", false, `bad minute "1,,2": empty list element`},
		{"trailing comma", "0 0 * * 1, /bin/x", false, `bad day-of-week "1,": empty list element`},
		{"lone dash", "- * * * * /bin/x", false, `bad minute "-": missing value`},
		{"unknown keyword", "@every /bin/x", false, `unknown schedule "@every"`},
		{"keyword in capitals", "@Daily /bin/x", false, `unknown schedule "@Daily"`},
		{"too few fields", "0 0 * *", false, "too few time fields"},
		{"one field", "17", false, "too few time fields"},
		{"missing command", "0 0 * * *", false, "missing command"},
		{"missing command after blanks", "0 0 * * * \t ", false, "missing command"},
		{"keyword without command", "@reboot", false, "missing command"},
		{"seconds field", "0 0 1 * * * /bin/x", false, `unexpected "*" after the five time fields`},
		{"system missing user", "0 0 * * *", true, "missing user"},
		{"system keyword missing user", "@weekly   ", true, "missing user"},
		{"system missing command", "0 0 * * * root", true, "missing command"},
		{"system seconds field", "0 0 1 * * * root /bin/x", true, `unexpected "*" after the five time fields`},
		{"assignment without name", "=/bin/sh", false, "environment setting without a name"},
		{"quoted empty name", `"" = x`, false, "environment setting without a name"},
		{"blank then equals", "  = x", false, "environment setting without a name"},
		{"unterminated quoted name", `"NAME = a b c d`, false, `bad minute "\"NAME": "\"NAME" is not a number`},
		{"lone word", "garbage", false, "too few time fields"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text := "# a comment\n" + tt.line + "\n"
			parseFn := Parse
			if tt.system {
				parseFn = ParseSystem
			}
			f, err := parseFn(strings.NewReader(text), "tab")
			if f == nil {
				t.Fatalf("no File (err %v)", err)
			}
			if len(f.Jobs) != 0 || len(f.Env) != 0 {
				t.Errorf("Jobs %v Env %v, want none", f.Jobs, f.Env)
			}
			want := "tab:2: " + tt.want
			if err == nil || err.Error() != want {
				t.Fatalf("err = %v, want %s", err, want)
			}
			list := parse.List(err)
			if len(list) != 1 || list[0].File != "tab" || list[0].Line != 2 {
				t.Errorf("parse.List = %v, want one error at tab:2", list)
			}
		})
	}
}

// TestBadLinesKeepGood checks that bad lines are all reported, in order,
// and that the good lines around them are still returned.
func TestBadLinesKeepGood(t *testing.T) {
	text := strings.Join([]string{
		"PATH=/usr/bin:/bin",
		"61 * * * * /usr/bin/a",
		"0 1 * * * /usr/bin/b",
		"@often /usr/bin/c",
		"0 2 * * *",
		"0 3 * * * /usr/bin/d",
	}, "\n") + "\n"
	f, err := Parse(strings.NewReader(text), "/var/spool/cron/crontabs/bin")
	if f == nil {
		t.Fatalf("no File (err %v)", err)
	}
	want := []Job{
		job(3, "0 1 * * *", "", "/usr/bin/b", "/usr/bin/b"),
		job(6, "0 3 * * *", "", "/usr/bin/d", "/usr/bin/d"),
	}
	if diff := cmp.Diff(want, f.Jobs); diff != "" {
		t.Errorf("Jobs (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]Assignment{env(1, "PATH", "/usr/bin:/bin")}, f.Env); diff != "" {
		t.Errorf("Env (-want +got):\n%s", diff)
	}
	var got []string
	for _, e := range parse.List(err) {
		got = append(got, e.Error())
	}
	wantErrs := []string{
		`/var/spool/cron/crontabs/bin:2: bad minute "61": 61 is out of range 0-59`,
		`/var/spool/cron/crontabs/bin:4: unknown schedule "@often"`,
		`/var/spool/cron/crontabs/bin:5: missing command`,
	}
	if diff := cmp.Diff(wantErrs, got); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
}

func TestAssignments(t *testing.T) {
	tests := []struct {
		line string
		want Assignment
	}{
		{"SHELL=/bin/sh", env(1, "SHELL", "/bin/sh")},
		{"PATH = /usr/bin:/bin  ", env(1, "PATH", "/usr/bin:/bin")},
		{"\tHOME\t=\t/var/empty", env(1, "HOME", "/var/empty")},
		{`MAILTO=""`, env(1, "MAILTO", "")},
		{"MAILTO=", env(1, "MAILTO", "")},
		{`GREETING=" hello "`, env(1, "GREETING", " hello ")},
		{"Q='a b'", env(1, "Q", "a b")},
		{`MIXED="a b'`, env(1, "MIXED", `"a b'`)},
		{`LONE="`, env(1, "LONE", `"`)},
		{"X=a=b c", env(1, "X", "a=b c")},
		{`"MY VAR" = 1`, env(1, "MY VAR", "1")},
		{"CRON_TZ=Europe/Paris", env(1, "CRON_TZ", "Europe/Paris")},
	}
	for _, tt := range tests {
		f, err := Parse(strings.NewReader(tt.line+"\n"), "tab")
		if err != nil {
			t.Errorf("%q: %v", tt.line, err)
			continue
		}
		if diff := cmp.Diff([]Assignment{tt.want}, f.Env); diff != "" {
			t.Errorf("%q: Env (-want +got):\n%s", tt.line, diff)
		}
		if len(f.Jobs) != 0 {
			t.Errorf("%q: Jobs = %v, want none", tt.line, f.Jobs)
		}
	}
	// Lines that only look like settings are jobs.
	for _, line := range []string{
		"0 0 * * * FOO=bar /usr/bin/x",
		`0 0 * * * /usr/bin/env "A=1" x`,
	} {
		f, err := Parse(strings.NewReader(line+"\n"), "tab")
		if err != nil || len(f.Env) != 0 || len(f.Jobs) != 1 {
			t.Errorf("%q: Env %v Jobs %v err %v, want one job", line, f.Env, f.Jobs, err)
		}
	}
}

func TestShellCommandAndInput(t *testing.T) {
	tests := []struct {
		command, shell, input string
	}{
		{"/usr/bin/x", "/usr/bin/x", ""},
		{"/usr/bin/x%", "/usr/bin/x", ""},
		{"/usr/bin/mail root%hello%world", "/usr/bin/mail root", "hello\nworld"},
		{`date +\%Y\%m\%d > /tmp/d`, "date +%Y%m%d > /tmp/d", ""},
		{`/usr/bin/wall%100\% done`, "/usr/bin/wall", "100% done"},
		{`echo a\\%b`, `echo a\\`, "b"},
		{`echo 'single % quoted'`, "echo 'single ", " quoted'"},
		{`cmd \n \`, `cmd \n \`, ""},
		{"%only input", "", "only input"},
	}
	for _, tt := range tests {
		j := Job{Command: tt.command}
		if got := j.ShellCommand(); got != tt.shell {
			t.Errorf("ShellCommand(%q) = %q, want %q", tt.command, got, tt.shell)
		}
		if got := j.Input(); got != tt.input {
			t.Errorf("Input(%q) = %q, want %q", tt.command, got, tt.input)
		}
	}
	// Argv comes from the shell command, with its escapes undone.
	f, err := Parse(strings.NewReader("0 0 * * * %stdin only\n1 1 * * * /bin/date +\\%s%x\n"), "tab")
	if err != nil {
		t.Fatal(err)
	}
	want := []Job{
		{Line: 1, Schedule: "0 0 * * *", Command: "%stdin only"},
		job(2, "1 1 * * *", "", `/bin/date +\%s%x`, "/bin/date", "+%s"),
	}
	if diff := cmp.Diff(want, f.Jobs); diff != "" {
		t.Errorf("Jobs (-want +got):\n%s", diff)
	}
}

func TestNoFinalNewline(t *testing.T) {
	text := "SHELL=/bin/sh\n0 5 * * * root /usr/local/sbin/backup"
	f, err := ParseSystem(strings.NewReader(text), "/etc/cron.d/backup")
	if f == nil {
		t.Fatalf("no File (err %v)", err)
	}
	// The job is returned, since it is there to be seen, but reported.
	want := []Job{job(2, "0 5 * * *", "root", "/usr/local/sbin/backup", "/usr/local/sbin/backup")}
	if diff := cmp.Diff(want, f.Jobs); diff != "" {
		t.Errorf("Jobs (-want +got):\n%s", diff)
	}
	wantErr := "/etc/cron.d/backup:2: job on the last line has no newline after it: cron skips it"
	if err == nil || err.Error() != wantErr {
		t.Errorf("err = %v, want %s", err, wantErr)
	}
	if got, want := string(f.Bytes()), text+"\n"; got != want {
		t.Errorf("Bytes() = %q, want %q", got, want)
	}
	// A last comment or setting without a newline is not reported.
	for _, text := range []string{"0 5 * * * root /bin/x\n# end", "0 5 * * * root /bin/x\nMAILTO=root", "0 5 * * * root /bin/x\n"} {
		if _, err := ParseSystem(strings.NewReader(text), "tab"); err != nil {
			t.Errorf("%q: %v", text, err)
		}
	}
}

func TestCRLFAndBlanks(t *testing.T) {
	text := "SHELL=/bin/ksh\r\n\r\n   # indented comment\r\n\t0 1 * * *\t/usr/sbin/skulker  \r\n"
	f, err := Parse(strings.NewReader(text), "tab")
	if err != nil {
		t.Fatal(err)
	}
	want := &File{
		Name:  "tab",
		Lines: []string{"SHELL=/bin/ksh", "", "   # indented comment", "\t0 1 * * *\t/usr/sbin/skulker  "},
		Jobs:  []Job{job(4, "0 1 * * *", "", "/usr/sbin/skulker", "/usr/sbin/skulker")},
		Env:   []Assignment{env(1, "SHELL", "/bin/ksh")},
	}
	if diff := cmp.Diff(want, f); diff != "" {
		t.Errorf("File (-want +got):\n%s", diff)
	}
}

func TestEmpty(t *testing.T) {
	f, err := Parse(strings.NewReader(""), "tab")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(&File{Name: "tab"}, f); diff != "" {
		t.Errorf("File (-want +got):\n%s", diff)
	}
	if f.Bytes() != nil {
		t.Errorf("Bytes() = %q, want nil", f.Bytes())
	}
}

func TestReadErrors(t *testing.T) {
	boom := errors.New("boom")
	f, err := Parse(iotest.ErrReader(boom), "/var/spool/cron/crontabs/root")
	if f != nil || !errors.Is(err, boom) {
		t.Errorf("Parse(failing reader) = %v, %v; want nil and boom", f, err)
	}
	big := strings.NewReader(strings.Repeat("# padding\n", parse.MaxSize/10+1))
	f, err = ParseSystem(big, "/etc/crontab")
	if f != nil || !errors.Is(err, parse.ErrTooLarge) {
		t.Errorf("ParseSystem(too large) = %v, %v; want nil and ErrTooLarge", f, err)
	}
}
