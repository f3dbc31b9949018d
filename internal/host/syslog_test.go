package host

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"bastion/internal/target"
)

// aixRoot returns the files of a small AIX root whose rc.tcpip starts
// syslogd with the given arguments, plus extra files.
func aixRoot(syslogdArgs string, extra map[string]string) map[string]string {
	files := map[string]string{
		"etc/inittab":  "init:2:initdefault:\nrctcpip:23456789:wait:/etc/rc.tcpip > /dev/console 2>&1 # Start TCP/IP daemons\n",
		"etc/rc.tcpip": "# Start up syslog daemon (for error and event logging)\nstart /usr/sbin/syslogd \"$src_running\"" + syslogdArgs + "\n",
		"etc/services": "syslog\t\t514/udp\n",
	}
	for k, v := range extra {
		files[k] = v
	}
	return files
}

// fixture returns the text of a file of a fixture root.
func fixture(t *testing.T, root, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "roots", root, name))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// facilityTargets renders Facilities as facility -> destination targets.
func facilityTargets(s *Syslog) map[string][]string {
	out := map[string][]string{}
	for _, fl := range s.Facilities {
		out[fl.Facility] = []string{}
		for _, d := range fl.Destinations {
			out[fl.Facility] = append(out[fl.Facility], d.Kind+":"+d.Target)
		}
	}
	return out
}

func chmod(t *testing.T, tg *target.Target, name string, mode os.FileMode) {
	t.Helper()
	if err := os.Chmod(filepath.Join(tg.Dir(), name), mode); err != nil {
		t.Fatal(err)
	}
}

func buildTarget(t *testing.T, tg *target.Target) *Facts {
	t.Helper()
	f, err := Build(tg, Options{ConfigOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func gapsFor(f *Facts, what string) []target.Gap {
	var out []target.Gap
	for _, g := range f.Gaps {
		if g.What == what {
			out = append(out, g)
		}
	}
	return out
}

// AIX as installed: syslogd runs, and its configuration logs nothing.
func TestSyslogAIXDefault(t *testing.T) {
	f := build(t, aixRoot("", map[string]string{"etc/syslog.conf": fixture(t, "aix433-default", "etc/syslog.conf")}))
	s := f.Syslog
	want := &Syslog{
		Daemon:       DaemonSyslogd,
		Started:      AnswerYes,
		StartedBy:    []Source{{File: "/etc/rc.tcpip", Line: 2}},
		Configs:      []string{"/etc/syslog.conf"},
		Logs:         AnswerNo,
		CreatesFiles: AnswerNo,
		Reception: LogReception{Listens: AnswerYes,
			Inputs: []LogInput{{Proto: "udp", Port: 514, Source: Source{File: "/etc/rc.tcpip", Line: 2}}}},
	}
	for _, fac := range SyslogFacilities {
		want.Facilities = append(want.Facilities, FacilityLog{Facility: fac})
	}
	if diff := cmp.Diff(want, s, cmpopts.IgnoreFields(Syslog{}, "Args"), cmpopts.IgnoreFields(LogReception{}, "Note"), cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("syslog (-want +got):\n%s", diff)
	}
	if len(gapsFor(f, whatSyslog)) != 0 {
		t.Errorf("gaps %v", f.Gaps)
	}
}

// The set-up the method recommends: errlog for alerts, one file each for
// errors, mail, authentication and daemons. One log file is missing, one
// is readable by every user; syslogd is started with -r.
func TestSyslogAIXHardened(t *testing.T) {
	tg := tree(t, aixRoot(` "-r"`, map[string]string{
		"etc/syslog.conf":     fixture(t, "aix433-hardened", "etc/syslog.conf"),
		"var/adm/errorlog":    "",
		"var/adm/auth.log":    "",
		"var/adm/daemon.log":  "",
		"var/adm/placeholder": "",
	}))
	chmod(t, tg, "var/adm/errorlog", 0o600)
	chmod(t, tg, "var/adm/auth.log", 0o640)
	chmod(t, tg, "var/adm/daemon.log", 0o644)
	f := buildTarget(t, tg)
	s := f.Syslog
	if s.Logs != AnswerYes || s.Daemon != DaemonSyslogd || strings.Join(s.Args, " ") != "-r" {
		t.Errorf("logs %s, daemon %s, args %q", s.Logs, s.Daemon, s.Args)
	}
	wantFac := map[string][]string{
		"auth":     {"file:/var/adm/auth.log"},
		"authpriv": {"file:/var/adm/auth.log"},
		"mail":     {"file:/var/adm/mail.log"},
		"daemon":   {"file:/var/adm/daemon.log"},
		"kern":     {},
		"cron":     {},
		"*":        {},
	}
	if diff := cmp.Diff(wantFac, facilityTargets(s)); diff != "" {
		t.Errorf("facilities at info (-want +got):\n%s", diff)
	}
	var rules []string
	for _, r := range s.Rules {
		rules = append(rules, r.Source.String()+" "+r.Filter+" "+r.Dest.Kind+":"+r.Dest.Target)
	}
	wantRules := []string{
		"/etc/syslog.conf:6 *.alert errlog:",
		"/etc/syslog.conf:11 *.err file:/var/adm/errorlog",
		"/etc/syslog.conf:16 mail.info file:/var/adm/mail.log",
		"/etc/syslog.conf:21 auth,authpriv.info file:/var/adm/auth.log",
		"/etc/syslog.conf:26 daemon.info file:/var/adm/daemon.log",
	}
	if diff := cmp.Diff(wantRules, rules); diff != "" {
		t.Errorf("rules (-want +got):\n%s", diff)
	}
	uid, gid := os.Getuid(), os.Getgid()
	src := func(line int) []Source { return []Source{{File: "/etc/syslog.conf", Line: line}} }
	wantFiles := []LogFile{
		{Path: "/var/adm/auth.log", Sources: src(21), Exists: true, Mode: 0o640, UID: uid, GID: gid},
		{Path: "/var/adm/daemon.log", Sources: src(26), Exists: true, Mode: 0o644, UID: uid, GID: gid},
		{Path: "/var/adm/errorlog", Sources: src(11), Exists: true, Mode: 0o600, UID: uid, GID: gid},
		{Path: "/var/adm/mail.log", Sources: src(16), UID: -1, GID: -1},
	}
	if diff := cmp.Diff(wantFiles, s.Files); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
	var readable []string
	for _, lf := range s.Files {
		if lf.OthersCanRead() {
			readable = append(readable, lf.Path)
		}
	}
	if diff := cmp.Diff([]string{"/var/adm/daemon.log"}, readable); diff != "" {
		t.Errorf("readable by others (-want +got):\n%s", diff)
	}
	if s.CreatesFiles != AnswerNo {
		t.Errorf("AIX syslogd creates files: %s", s.CreatesFiles)
	}
	if s.Reception.Listens != AnswerNo || len(s.Reception.Inputs) != 0 || !strings.Contains(s.Reception.Note, "-r") {
		t.Errorf("reception with -r: %+v", s.Reception)
	}
	if s.Journald != nil {
		t.Errorf("journald on AIX: %+v", s.Journald)
	}
}

// A configuration file that is missing is a gap only when the daemon runs;
// one that cannot be read is a gap either way.
func TestSyslogConfigGaps(t *testing.T) {
	f := build(t, aixRoot("", nil))
	if g := gapsFor(f, whatSyslog); len(g) != 1 || g[0].Path != "/etc/syslog.conf" || f.Syslog.Logs != AnswerUnknown {
		t.Errorf("syslogd started without syslog.conf: gaps %v, logs %s", g, f.Syslog.Logs)
	}
	f = build(t, map[string]string{
		"etc/inittab":  "init:2:initdefault:\n",
		"etc/rc.tcpip": "#start /usr/sbin/syslogd \"$src_running\"\n",
		"etc/services": "",
	})
	if g := gapsFor(f, whatSyslog); len(g) != 0 || f.Syslog.Started != AnswerNo || f.Syslog.Reception.Listens != AnswerNo {
		t.Errorf("syslogd commented out: gaps %v, syslog %+v", g, f.Syslog)
	}
	// A directory where the file should be cannot be read.
	f = build(t, map[string]string{
		"etc/os-release":           "ID=debian\nVERSION_ID=12\n",
		"etc/services":             "",
		"etc/rsyslog.conf/nothing": "",
	})
	if g := gapsFor(f, whatSyslog); len(g) != 1 || g[0].Path != "/etc/rsyslog.conf" || f.Syslog.Daemon != DaemonRsyslogd {
		t.Errorf("unreadable rsyslog.conf: gaps %v, syslog %+v", g, f.Syslog)
	}
	f = build(t, map[string]string{"etc/os-release": "ID=debian\nVERSION_ID=12\n", "etc/services": ""})
	if s := f.Syslog; s.Daemon != "" || s.Started != AnswerNo || s.Logs != AnswerNo || len(s.Facilities) != len(SyslogFacilities) || len(gapsFor(f, whatSyslog)) != 0 {
		t.Errorf("no syslog daemon at all: %+v, gaps %v", s, f.Gaps)
	}
}

const debianUnits = "usr/lib/systemd/system/"

// rsyslog on Debian: the stock file with UDP reception enabled, and a
// drop-in that forwards to the log host over TCP.
func TestSyslogRsyslogDebian(t *testing.T) {
	conf := strings.Replace(fixture(t, "debian12-server", "etc/rsyslog.conf"),
		"#module(load=\"imudp\")\n#input(type=\"imudp\" port=\"514\")",
		"module(load=\"imudp\")\ninput(type=\"imudp\" port=\"514\")", 1)
	tg := tree(t, map[string]string{
		"etc/os-release":                    "ID=debian\nVERSION_ID=12\n",
		"etc/services":                      "syslog 514/udp\n",
		debianUnits + "rsyslog.service":     "[Service]\nType=notify\nExecStart=/usr/sbin/rsyslogd -n -iNONE\n",
		"etc/systemd/system/syslog.service": "->/usr/lib/systemd/system/rsyslog.service",
		"etc/systemd/system/multi-user.target.wants/rsyslog.service": "->/usr/lib/systemd/system/rsyslog.service",
		"etc/rsyslog.conf":              conf,
		"etc/rsyslog.d/50-remote.conf":  fixture(t, "debian12-server", "etc/rsyslog.d/50-remote.conf"),
		"etc/rsyslog.d/README":          "Files ending in .conf are read.\n",
		"etc/rsyslog.d/10-discard.conf": ":programname, isequal, \"noisy\" stop\nmail.* stop\n",
		"var/log/syslog":                "",
		"var/log/auth.log":              "",
	})
	chmod(t, tg, "var/log/auth.log", 0o640)
	f := buildTarget(t, tg)
	s := f.Syslog
	if s.Daemon != DaemonRsyslogd || s.Started != AnswerYes || strings.Join(s.Args, " ") != "-n -iNONE" {
		t.Errorf("daemon %s started %s args %q", s.Daemon, s.Started, s.Args)
	}
	wantConfigs := []string{"/etc/rsyslog.conf", "/etc/rsyslog.d/10-discard.conf", "/etc/rsyslog.d/50-remote.conf"}
	if diff := cmp.Diff(wantConfigs, s.Configs); diff != "" {
		t.Errorf("configs (-want +got):\n%s", diff)
	}
	remote := LogDestination{Kind: "remote", Target: "loghost.example.com", Port: 514, Protocol: "tcp",
		Source: Source{File: "/etc/rsyslog.d/50-remote.conf", Line: 2}}
	if diff := cmp.Diff([]LogDestination{remote}, s.Remote); diff != "" {
		t.Errorf("remote (-want +got):\n%s", diff)
	}
	// The included rules come where the include is, before the rules of
	// the main file; mail stops in 10-discard.conf.
	wantFac := map[string][]string{
		"auth":     {"remote:loghost.example.com", "file:/var/log/auth.log"},
		"authpriv": {"remote:loghost.example.com", "file:/var/log/auth.log"},
		"mail":     {},
		"daemon":   {"remote:loghost.example.com", "file:/var/log/syslog"},
		"kern":     {"remote:loghost.example.com", "file:/var/log/syslog", "file:/var/log/kern.log"},
		"cron":     {"remote:loghost.example.com", "file:/var/log/syslog", "file:/var/log/cron.log"},
		"*":        {}, // mail never reaches the log host
	}
	if diff := cmp.Diff(wantFac, facilityTargets(s)); diff != "" {
		t.Errorf("facilities at info (-want +got):\n%s", diff)
	}
	if u := s.Facilities[0].Uncertain; len(u) != 1 || u[0] != (Source{File: "/etc/rsyslog.d/10-discard.conf", Line: 1}) {
		t.Errorf("uncertain for auth: %v", u)
	}
	wantRecv := LogReception{Listens: AnswerYes, Inputs: []LogInput{{Proto: "udp", Port: 514, Source: Source{File: "/etc/rsyslog.conf", Line: 16}}}}
	if diff := cmp.Diff(wantRecv, s.Reception); diff != "" {
		t.Errorf("reception (-want +got):\n%s", diff)
	}
	wantSet := []LogSetting{
		{Name: "FileOwner", Value: "root", Source: Source{File: "/etc/rsyslog.conf", Line: 30}},
		{Name: "FileGroup", Value: "adm", Source: Source{File: "/etc/rsyslog.conf", Line: 31}},
		{Name: "FileCreateMode", Value: "0640", Source: Source{File: "/etc/rsyslog.conf", Line: 32}},
	}
	if diff := cmp.Diff(wantSet, s.FileSettings); diff != "" {
		t.Errorf("file settings (-want +got):\n%s", diff)
	}
	var files []string
	for _, lf := range s.Files {
		files = append(files, lf.Path+" "+lf.CreateMode+" "+lf.CreateOwner+":"+lf.CreateGroup+" "+map[bool]string{true: "exists", false: "missing"}[lf.Exists]+" "+lf.Mode.Perm().String())
	}
	wantFiles := []string{
		"/var/log/auth.log 0640 root:adm exists -rw-r-----",
		"/var/log/cron.log 0640 root:adm missing ----------",
		"/var/log/kern.log 0640 root:adm missing ----------",
		"/var/log/mail.log 0640 root:adm missing ----------",
		"/var/log/syslog 0640 root:adm exists -rw-r--r--",
		"/var/log/user.log 0640 root:adm missing ----------",
	}
	if diff := cmp.Diff(wantFiles, files); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
	if s.CreatesFiles != AnswerYes || s.Logs != AnswerYes {
		t.Errorf("creates %s logs %s", s.CreatesFiles, s.Logs)
	}
	if s.Journald == nil || s.Journald.Storage != "auto" || s.Journald.Persistent != AnswerNo {
		t.Errorf("journald %+v", s.Journald)
	}
}

// RainerScript forms, conditions bastion does not model, and a module the
// input needs that is not loaded.
func TestSyslogRsyslogScript(t *testing.T) {
	f := build(t, map[string]string{
		"etc/os-release": "ID=rhel\nVERSION_ID=9\n",
		"etc/services":   "",
		"etc/rsyslog.conf": `module(load="builtin:omfile" fileCreateMode="0600")
input(type="imtcp" port="10514")
include(file="/etc/rsyslog.d/*.conf" mode="optional")
if $programname == 'sshd' then {
    action(type="omfwd" target="10.0.0.9" port="6514" protocol="tcp")
}
authpriv.*	/var/log/secure
`,
	})
	s := f.Syslog
	if s.Started != AnswerUnknown || !strings.Contains(s.Note, "/etc/rsyslog.conf exists") {
		t.Errorf("started %s note %q", s.Started, s.Note)
	}
	if s.Reception.Listens != AnswerNo || !strings.Contains(s.Reception.Note, "imtcp") {
		t.Errorf("imtcp not loaded: %+v", s.Reception)
	}
	if len(s.Unmodelled) != 1 || s.Unmodelled[0].Source.Line != 4 {
		t.Errorf("unmodelled %+v", s.Unmodelled)
	}
	if fl := s.Facilities[1]; len(fl.Destinations) != 1 || len(fl.Uncertain) != 1 {
		t.Errorf("authpriv %+v", fl)
	}
	if len(s.Files) != 1 || s.Files[0].CreateMode != "0600" || s.Files[0].Exists {
		t.Errorf("files %+v", s.Files)
	}
	if len(s.Remote) != 0 {
		t.Errorf("remote inside an if block counted: %+v", s.Remote)
	}
}

// syslog-ng: a network source in an included file, a log host, and the
// perm option for the files it creates.
func TestSyslogNG(t *testing.T) {
	tg := tree(t, map[string]string{
		"etc/os-release":                  "ID=debian\nVERSION_ID=12\n",
		"etc/services":                    "",
		debianUnits + "syslog-ng.service": "[Service]\nExecStart=/usr/sbin/syslog-ng -F $SYSLOGNG_OPTS\n",
		"etc/systemd/system/multi-user.target.wants/syslog-ng.service": "->/usr/lib/systemd/system/syslog-ng.service",
		"etc/syslog-ng/syslog-ng.conf": `@version: 4.3
@include "scl.conf"
options { owner("root"); group("adm"); perm(0640); };
source s_src { system(); internal(); };
destination d_auth { file("/var/log/auth.log"); };
destination d_syslog { file("/var/log/syslog" perm(0600)); };
destination d_loghost { network("loghost.example.com" transport("tcp") port(514)); };
filter f_auth { facility(auth, authpriv); };
filter f_syslog3 { not facility(auth, authpriv, mail); };
filter f_sshd { program("sshd"); };
log { source(s_src); filter(f_auth); destination(d_auth); };
log { source(s_src); filter(f_syslog3); destination(d_syslog); };
@include "/etc/syslog-ng/conf.d/*.conf"
log { source(s_src); filter(f_sshd); destination(d_loghost); };
`,
		"etc/syslog-ng/conf.d/net.conf": "source s_net { udp(port(514)); };\nlog { source(s_net); destination(d_syslog); };\n",
		"var/log/auth.log":              "",
	})
	f := buildTarget(t, tg)
	s := f.Syslog
	if s.Daemon != DaemonSyslogNG || s.Started != AnswerYes || s.Logs != AnswerYes {
		t.Errorf("daemon %s started %s logs %s", s.Daemon, s.Started, s.Logs)
	}
	if diff := cmp.Diff([]string{"/etc/syslog-ng/syslog-ng.conf", "/etc/syslog-ng/conf.d/net.conf"}, s.Configs); diff != "" {
		t.Errorf("configs (-want +got):\n%s", diff)
	}
	wantFac := map[string][]string{
		"auth": {"file:/var/log/auth.log"}, "authpriv": {"file:/var/log/auth.log"}, "mail": {},
		"daemon": {"file:/var/log/syslog"}, "kern": {"file:/var/log/syslog"}, "cron": {"file:/var/log/syslog"}, "*": {},
	}
	if diff := cmp.Diff(wantFac, facilityTargets(s)); diff != "" {
		t.Errorf("facilities (-want +got):\n%s", diff)
	}
	for _, fl := range s.Facilities {
		if len(fl.Uncertain) != 1 || fl.Uncertain[0] != (Source{File: "/etc/syslog-ng/syslog-ng.conf", Line: 14}) {
			t.Errorf("%s: uncertain %v", fl.Facility, fl.Uncertain)
		}
	}
	wantRemote := []LogDestination{{Kind: "remote", Target: "loghost.example.com", Port: 514, Protocol: "tcp",
		Source: Source{File: "/etc/syslog-ng/syslog-ng.conf", Line: 7}}}
	if diff := cmp.Diff(wantRemote, s.Remote); diff != "" {
		t.Errorf("remote (-want +got):\n%s", diff)
	}
	wantRecv := LogReception{Listens: AnswerYes, Inputs: []LogInput{{Proto: "udp", Port: 514, Source: Source{File: "/etc/syslog-ng/conf.d/net.conf", Line: 1}}}}
	if diff := cmp.Diff(wantRecv, s.Reception); diff != "" {
		t.Errorf("reception (-want +got):\n%s", diff)
	}
	var files []string
	for _, lf := range s.Files {
		files = append(files, lf.Path+" "+lf.CreateMode+" "+lf.CreateOwner+":"+lf.CreateGroup)
	}
	if diff := cmp.Diff([]string{"/var/log/auth.log 0640 root:adm", "/var/log/syslog 0600 root:adm"}, files); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
	if !s.Files[0].Exists || s.Files[1].Exists {
		t.Errorf("files %+v", s.Files)
	}
	// The log path of the included file runs where it is included.
	var lines []string
	for _, r := range s.Rules {
		lines = append(lines, r.Source.String())
	}
	want := []string{"/etc/syslog-ng/syslog-ng.conf:11", "/etc/syslog-ng/syslog-ng.conf:12", "/etc/syslog-ng/conf.d/net.conf:2", "/etc/syslog-ng/syslog-ng.conf:14"}
	if diff := cmp.Diff(want, lines); diff != "" {
		t.Errorf("rule order (-want +got):\n%s", diff)
	}
}

func TestJournald(t *testing.T) {
	base := func(extra map[string]string) map[string]string {
		files := map[string]string{
			"etc/os-release":                "ID=debian\nVERSION_ID=12\n",
			"etc/services":                  "",
			debianUnits + "cron.service":    "[Service]\nExecStart=/usr/sbin/cron -f\n",
			"usr/lib/systemd/journald.conf": "[Journal]\n#Storage=auto\n",
		}
		for k, v := range extra {
			files[k] = v
		}
		return files
	}
	for _, tc := range []struct {
		name    string
		extra   map[string]string
		storage string
		from    Source
		want    Answer
		configs int
	}{
		{"auto without /var/log/journal", nil, "auto", Source{}, AnswerNo, 1},
		{"auto with /var/log/journal", map[string]string{"var/log/journal/machine-id/system.journal": ""}, "auto", Source{}, AnswerYes, 1},
		{"volatile", map[string]string{"etc/systemd/journald.conf": "[Journal]\nStorage=volatile\n"}, "volatile",
			Source{File: "/etc/systemd/journald.conf", Line: 2}, AnswerNo, 1},
		{"persistent in a drop-in", map[string]string{
			"etc/systemd/journald.conf":                     "[Journal]\nStorage=volatile\n",
			"usr/lib/systemd/journald.conf.d/10-a.conf":     "[Journal]\nStorage=none\n",
			"etc/systemd/journald.conf.d/20-store.conf":     "[Journal]\nStorage=persistent\nForwardToSyslog=yes\n",
			"usr/lib/systemd/journald.conf.d/20-store.conf": "[Journal]\nStorage=volatile\n",
		}, "persistent", Source{File: "/etc/systemd/journald.conf.d/20-store.conf", Line: 2}, AnswerYes, 3},
	} {
		f := build(t, base(tc.extra))
		j := f.Syslog.Journald
		if j == nil {
			t.Errorf("%s: no journald", tc.name)
			continue
		}
		if j.Storage != tc.storage || j.StorageSource != tc.from || j.Persistent != tc.want || len(j.Configs) != tc.configs {
			t.Errorf("%s: %+v", tc.name, j)
		}
	}
	if j := build(t, base(map[string]string{
		"etc/systemd/journald.conf.d/20-store.conf": "[Journal]\nStorage=persistent\nForwardToSyslog=yes\n",
	})).Syslog.Journald; j.ForwardToSyslog != "yes" {
		t.Errorf("ForwardToSyslog %q", j.ForwardToSyslog)
	}
}

// The fixture roots: AIX as installed logs nothing, the hardened AIX host
// logs to existing files, the Debian server forwards to its log host.
func TestSyslogFixtures(t *testing.T) {
	open := func(root string) *Syslog {
		tg, err := target.Open(filepath.Join("..", "..", "testdata", "roots", root))
		if err != nil {
			t.Fatal(err)
		}
		defer tg.Close()
		f := buildTarget(t, tg)
		if g := gapsFor(f, whatSyslog); len(g) != 0 {
			t.Errorf("%s: gaps %v", root, g)
		}
		return f.Syslog
	}
	if s := open("aix433-default"); s.Daemon != DaemonSyslogd || s.Started != AnswerYes || s.Logs != AnswerNo || len(s.Rules) != 0 {
		t.Errorf("aix433-default: %+v", s)
	}
	s := open("aix433-hardened")
	if s.Logs != AnswerYes || len(s.Rules) != 5 || len(s.Files) != 4 {
		t.Errorf("aix433-hardened: %+v", s)
	}
	for _, lf := range s.Files {
		if !lf.Exists {
			t.Errorf("aix433-hardened: %s missing", lf.Path)
		}
	}
	s = open("debian12-server")
	if s.Daemon != DaemonRsyslogd || s.Started != AnswerUnknown || s.Reception.Listens != AnswerNo {
		t.Errorf("debian12-server: %+v", s)
	}
	if len(s.Remote) != 1 || s.Remote[0].Target != "loghost.example.com" || s.Remote[0].Protocol != "tcp" {
		t.Errorf("debian12-server remote %+v", s.Remote)
	}
	for _, lf := range s.Files {
		if !lf.Exists {
			t.Errorf("debian12-server: %s missing", lf.Path)
		}
	}
	if s.Journald == nil || s.Journald.Persistent != AnswerNo {
		t.Errorf("debian12-server journald %+v", s.Journald)
	}
}
