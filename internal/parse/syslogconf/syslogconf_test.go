package syslogconf

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"bastion/internal/parse"
)

func parseFixture(t *testing.T, name string) *File {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	f, err := Parse(strings.NewReader(string(data)), "/etc/"+name)
	if err != nil {
		t.Fatalf("Parse(%s): %v", name, err)
	}
	if got := string(f.Bytes()); got != string(data) {
		t.Errorf("Bytes() does not give %s back", name)
	}
	return f
}

func sel(pri string, facs ...string) Selector {
	op := ""
	for _, o := range []string{"!=", "!", "="} {
		if strings.HasPrefix(pri, o) {
			op = o
			break
		}
	}
	return Selector{Facilities: facs, Priority: pri[len(op):], Op: op}
}

func fileRule(line int, filter string, sels []Selector, action string) Rule {
	return Rule{Line: line, EndLine: line, Filter: filter, Selectors: sels, Action: action,
		Kind: KindFile, Target: strings.TrimPrefix(action, "-"), NoSync: strings.HasPrefix(action, "-")}
}

// The AIX default file describes the format and comments out every
// example: it has no rules, and that is not an error.
func TestAIXDefault(t *testing.T) {
	f := parseFixture(t, "aix-default.conf")
	if len(f.Rules)+len(f.Directives)+len(f.Blocks) != 0 {
		t.Errorf("got %+v, want nothing", f)
	}
	if len(f.Lines) != 47 {
		t.Errorf("%d lines", len(f.Lines))
	}
}

// The set-up the method recommends for AIX.
func TestAIXHardened(t *testing.T) {
	f := parseFixture(t, "aix-hardened.conf")
	want := []Rule{
		{Line: 6, EndLine: 6, Filter: "*.alert", Selectors: []Selector{sel("alert", "*")}, Action: "errlog", Kind: KindErrlog},
		fileRule(11, "*.err", []Selector{sel("err", "*")}, "/var/adm/errorlog"),
		fileRule(16, "mail.info", []Selector{sel("info", "mail")}, "/var/adm/mail.log"),
		fileRule(21, "auth,authpriv.info", []Selector{sel("info", "auth", "authpriv")}, "/var/adm/auth.log"),
		fileRule(26, "daemon.info", []Selector{sel("info", "daemon")}, "/var/adm/daemon.log"),
	}
	if diff := cmp.Diff(want, f.Rules); diff != "" {
		t.Errorf("rules (-want +got):\n%s", diff)
	}
}

func TestDebianRsyslog(t *testing.T) {
	f := parseFixture(t, "debian-rsyslog.conf")
	got := struct {
		Modules    []Module
		Directives []Directive
		Includes   []Include
		Rules      []Rule
		Inputs     []Input
	}{f.Modules, f.Directives, f.Includes, f.Rules, f.Inputs}
	want := got
	want.Modules = []Module{
		{Line: 10, Name: "imuxsock", Params: map[string]string{"load": "imuxsock"}},
		{Line: 11, Name: "imklog", Params: map[string]string{"load": "imklog"}},
	}
	want.Directives = []Directive{
		{30, "FileOwner", "root"}, {31, "FileGroup", "adm"}, {32, "FileCreateMode", "0640"},
		{33, "DirCreateMode", "0755"}, {34, "Umask", "0022"},
		{39, "WorkDirectory", "/var/spool/rsyslog"}, {44, "IncludeConfig", "/etc/rsyslog.d/*.conf"},
	}
	want.Includes = []Include{{Line: 44, Pattern: "/etc/rsyslog.d/*.conf"}}
	want.Inputs = nil
	want.Rules = []Rule{
		fileRule(54, "*.*;auth,authpriv.none", []Selector{sel("*", "*"), sel("none", "auth", "authpriv")}, "-/var/log/syslog"),
		fileRule(59, "auth,authpriv.*", []Selector{sel("*", "auth", "authpriv")}, "/var/log/auth.log"),
		fileRule(60, "cron.*", []Selector{sel("*", "cron")}, "-/var/log/cron.log"),
		fileRule(61, "kern.*", []Selector{sel("*", "kern")}, "-/var/log/kern.log"),
		fileRule(62, "mail.*", []Selector{sel("*", "mail")}, "-/var/log/mail.log"),
		fileRule(63, "user.*", []Selector{sel("*", "user")}, "-/var/log/user.log"),
		{Line: 68, EndLine: 68, Filter: "*.emerg", Selectors: []Selector{sel("emerg", "*")}, Action: ":omusrmsg:*", Kind: KindAllUsers},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if d, ok := f.Directive("filecreatemode"); !ok || d.Args != "0640" {
		t.Errorf("Directive(filecreatemode) = %+v, %v", d, ok)
	}
}

func TestRHELRsyslog(t *testing.T) {
	f := parseFixture(t, "rhel-rsyslog.conf")
	var mods []string
	for _, m := range f.Modules {
		mods = append(mods, m.Name)
	}
	if diff := cmp.Diff([]string{"omfile", "imuxsock", "imjournal", "imudp"}, mods); diff != "" {
		t.Errorf("modules (-want +got):\n%s", diff)
	}
	if got := f.Modules[2].Params["filecreatemode"]; got != "0644" {
		t.Errorf("imjournal FileCreateMode %q (parameter names are lower case)", got)
	}
	wantIn := []Input{{Line: 25, Type: "imudp", Port: 514, Params: map[string]string{"type": "imudp", "port": "514"}}}
	if diff := cmp.Diff(wantIn, f.Inputs); diff != "" {
		t.Errorf("inputs (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]Include{{Line: 32, Pattern: "/etc/rsyslog.d/*.conf", Optional: true}}, f.Includes); diff != "" {
		t.Errorf("includes (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]Block{{Line: 6, EndLine: 6, Kind: "global"}}, f.Blocks); diff != "" {
		t.Errorf("blocks (-want +got):\n%s", diff)
	}
	last := f.Rules[len(f.Rules)-1]
	want := Rule{Line: 62, EndLine: 66, Filter: "*.*", Selectors: []Selector{sel("*", "*")},
		Kind: KindRemote, Target: "loghost.example.com", Port: 514, Protocol: "tcp"}
	if diff := cmp.Diff(want, last, cmpopts.IgnoreFields(Rule{}, "Action", "Params")); diff != "" {
		t.Errorf("forwarding rule (-want +got):\n%s", diff)
	}
	if len(f.Rules) != 8 {
		t.Errorf("%d rules, want 8", len(f.Rules))
	}
}

// Every form of action, one rule each.
func TestActions(t *testing.T) {
	for _, tc := range []struct {
		action string
		want   Rule
	}{
		{"/var/adm/auth.log", Rule{Kind: KindFile, Target: "/var/adm/auth.log"}},
		{"-/var/log/syslog", Rule{Kind: KindFile, Target: "/var/log/syslog", NoSync: true}},
		{"/var/log/x.log;RSYSLOG_TraditionalFileFormat", Rule{Kind: KindFile, Target: "/var/log/x.log", Template: "RSYSLOG_TraditionalFileFormat"}},
		{"/var/adm/messages rotate size 1m files 4", Rule{Kind: KindFile, Target: "/var/adm/messages", Options: []string{"rotate", "size", "1m", "files", "4"}}},
		{"?RemoteHost", Rule{Kind: KindDynamicFile, Target: "RemoteHost"}},
		{"-?RemoteHost", Rule{Kind: KindDynamicFile, Target: "RemoteHost", NoSync: true}},
		{"@loghost", Rule{Kind: KindRemote, Target: "loghost", Protocol: "udp"}},
		{"@loghost.example.com:10514", Rule{Kind: KindRemote, Target: "loghost.example.com", Port: 10514, Protocol: "udp"}},
		{"@@loghost", Rule{Kind: KindRemote, Target: "loghost", Protocol: "tcp"}},
		{"@@(o,z9)192.0.2.7:1514;RSYSLOG_ForwardFormat", Rule{Kind: KindRemote, Target: "192.0.2.7", Port: 1514, Protocol: "tcp", Template: "RSYSLOG_ForwardFormat"}},
		{"@[2001:db8::7]:514", Rule{Kind: KindRemote, Target: "2001:db8::7", Port: 514, Protocol: "udp"}},
		{"@2001:db8::7", Rule{Kind: KindRemote, Target: "2001:db8::7", Protocol: "udp"}},
		{":omrelp:loghost:2514", Rule{Kind: KindRemote, Target: "loghost", Port: 2514, Protocol: "relp"}},
		{"root,operator", Rule{Kind: KindUser, Target: "root,operator"}},
		{":omusrmsg:root", Rule{Kind: KindUser, Target: "root"}},
		{"*", Rule{Kind: KindAllUsers}},
		{":omusrmsg:*", Rule{Kind: KindAllUsers}},
		{"errlog", Rule{Kind: KindErrlog}},
		{"|/dev/xconsole", Rule{Kind: KindPipe, Target: "/dev/xconsole"}},
		{"^/usr/local/bin/alert;Short", Rule{Kind: KindProgram, Target: "/usr/local/bin/alert", Template: "Short"}},
		{"~", Rule{Kind: KindDiscard}},
		{"stop", Rule{Kind: KindDiscard}},
		{":ommysql:db.example.com,Syslog,writer,secret", Rule{Kind: KindModule, Target: "ommysql"}},
		{`action(type="omfile" file="/var/log/a.log" fileCreateMode="0600")`, Rule{Kind: KindFile, Target: "/var/log/a.log",
			Params: map[string]string{"type": "omfile", "file": "/var/log/a.log", "filecreatemode": "0600"}}},
		{`action(type="omfwd" target="10.1.2.3")`, Rule{Kind: KindRemote, Target: "10.1.2.3", Protocol: "udp",
			Params: map[string]string{"type": "omfwd", "target": "10.1.2.3"}}},
		{`action(type="omusrmsg" users="*")`, Rule{Kind: KindAllUsers, Params: map[string]string{"type": "omusrmsg", "users": "*"}}},
		{`action(type="omprog" binary="/usr/bin/logger-hook")`, Rule{Kind: KindProgram, Target: "/usr/bin/logger-hook",
			Params: map[string]string{"type": "omprog", "binary": "/usr/bin/logger-hook"}}},
		{`action(type="omelasticsearch" server="es1")`, Rule{Kind: KindModule, Target: "omelasticsearch",
			Params: map[string]string{"type": "omelasticsearch", "server": "es1"}}},
	} {
		f, err := Parse(strings.NewReader("local0.*\t"+tc.action+"\n"), "x")
		if err != nil {
			t.Errorf("%s: %v", tc.action, err)
			continue
		}
		if len(f.Rules) != 1 {
			t.Errorf("%s: %d rules", tc.action, len(f.Rules))
			continue
		}
		want := tc.want
		want.Line, want.EndLine, want.Filter, want.Selectors = 1, 1, "local0.*", []Selector{sel("*", "local0")}
		want.Action = tc.action
		if diff := cmp.Diff(want, f.Rules[0], cmpopts.IgnoreFields(Rule{}, "Action")); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.action, diff)
		}
	}
}

func TestMatches(t *testing.T) {
	for _, tc := range []struct {
		filter string
		yes    []string // facility.priority pairs it logs
		no     []string
	}{
		{"*.info", []string{"auth.info", "mail.emerg", "local7.notice"}, []string{"auth.debug", "kern.debug"}},
		{"*.*;auth,authpriv.none", []string{"kern.debug", "mail.info"}, []string{"auth.emerg", "authpriv.info", "security.info"}},
		{"auth,authpriv.info", []string{"auth.info", "security.err", "authpriv.crit"}, []string{"auth.debug", "mail.info"}},
		{"mail.=info", []string{"mail.info"}, []string{"mail.err", "mail.debug"}},
		{"mail.*;mail.!err", []string{"mail.warning", "mail.debug", "mail.warn"}, []string{"mail.err", "mail.emerg"}},
		{"mail.*;mail.!=info", []string{"mail.err", "mail.debug"}, []string{"mail.info"}},
		{"*.err;mail.none", []string{"kern.err"}, []string{"mail.crit", "kern.warning"}},
		{"mail.none;*.err", []string{"mail.crit"}, []string{"mail.info"}},
		{"daemon.info", []string{"daemon.info"}, []string{"daemon.bogus", "nosuch.info"}},
	} {
		f, err := Parse(strings.NewReader(tc.filter+"\t/var/log/x\n"), "x")
		if err != nil || len(f.Rules) != 1 {
			t.Fatalf("%s: %v", tc.filter, err)
		}
		r := f.Rules[0]
		for _, fp := range tc.yes {
			fac, pri, _ := strings.Cut(fp, ".")
			if !r.Matches(fac, pri) {
				t.Errorf("%s does not match %s", tc.filter, fp)
			}
		}
		for _, fp := range tc.no {
			fac, pri, _ := strings.Cut(fp, ".")
			if r.Matches(fac, pri) {
				t.Errorf("%s matches %s", tc.filter, fp)
			}
		}
	}
	// "*" asks about every facility at once.
	for filter, want := range map[string]bool{"*.info": true, "*.*;mail.none": false, "kern.*": false, "*.err": false} {
		f, _ := Parse(strings.NewReader(filter+" /x\n"), "x")
		if got := f.Rules[0].Matches("*", "info"); got != want {
			t.Errorf("%s: Matches(*, info) = %v", filter, got)
		}
	}
	// A property filter depends on the text; an unfiltered action takes all.
	f, _ := Parse(strings.NewReader(":programname, isequal, \"sshd\" /var/log/sshd.log\naction(type=\"omfile\" file=\"/var/log/all\")\n"), "x")
	if f.Rules[0].Matches("auth", "info") || !f.Rules[1].Matches("auth", "debug") {
		t.Errorf("property filter / unfiltered action: %+v", f.Rules)
	}
}

// RainerScript statements that span lines, share lines, and blocks that
// are read over.
func TestScript(t *testing.T) {
	const conf = `module(load="imtcp" MaxSessions="500") module(load="imudp")
input(type="imtcp"
      port="10514"   # second port
      ruleset="remote")
$ModLoad /usr/lib/rsyslog/imrelp.so
$InputRELPServerRun 2514
$UDPServerRun 514
template(name="PerHost" type="string"
         string="/var/log/hosts/%HOSTNAME%.log")
template(name="Json" type="list") {
    property(name="msg" format="json")
}
ruleset(name="remote") {
    action(type="omfile" dynaFile="PerHost")
}
if $programname == 'sshd' and $msg contains 'Failed' then {
    action(type="omfile" file="/var/log/sshd-failed.log")
    stop
} else if $programname == "cron" then
    /var/log/cron-extra.log
/* a comment
   over lines */
:msg, contains, "segfault"	/var/log/segfault.log
& @@loghost
include(file="/etc/rsyslog.d/local.conf")
$RuleSet other
*.*	/var/log/other.log
$RuleSet RSYSLOG_DefaultRuleset
set $.n = 1;
foreach ($.i in $!list) do { action(type="omfile" file="/tmp/x") }
call other
local3.* { action(type="omfile" file="/a") action(type="omfile" file="/b") }
`
	f, err := Parse(strings.NewReader(conf), "rsyslog.conf")
	if err != nil {
		t.Fatal(err)
	}
	type mod struct {
		Line int
		Name string
	}
	var mods []mod
	for _, m := range f.Modules {
		mods = append(mods, mod{m.Line, m.Name})
	}
	if diff := cmp.Diff([]mod{{1, "imtcp"}, {1, "imudp"}, {5, "imrelp"}}, mods); diff != "" {
		t.Errorf("modules (-want +got):\n%s", diff)
	}
	wantIn := []Input{
		{Line: 2, Type: "imtcp", Port: 10514, Params: map[string]string{"type": "imtcp", "port": "10514", "ruleset": "remote"}},
		{Line: 6, Type: "imrelp", Port: 2514, Params: map[string]string{"port": "2514"}},
		{Line: 7, Type: "imudp", Port: 514, Params: map[string]string{"port": "514"}},
	}
	if diff := cmp.Diff(wantIn, f.Inputs); diff != "" {
		t.Errorf("inputs (-want +got):\n%s", diff)
	}
	wantBlocks := []Block{
		{8, 9, "template"}, {10, 12, "template"}, {13, 15, "ruleset"}, {16, 20, "if"},
		{29, 29, "set"}, {30, 30, "foreach"}, {31, 31, "call"}, {32, 32, "actions"},
	}
	if diff := cmp.Diff(wantBlocks, f.Blocks); diff != "" {
		t.Errorf("blocks (-want +got):\n%s", diff)
	}
	type rule struct {
		Line     int
		Filter   string
		Kind     Kind
		Target   string
		Shared   bool
		Property bool
		Ruleset  string
	}
	var rules []rule
	for _, r := range f.Rules {
		rules = append(rules, rule{r.Line, r.Filter, r.Kind, r.Target, r.Shared, r.Property, r.Ruleset})
	}
	wantRules := []rule{
		{23, `:msg, contains, "segfault"`, KindFile, "/var/log/segfault.log", false, true, ""},
		{24, `:msg, contains, "segfault"`, KindRemote, "loghost", true, true, ""},
		{27, "*.*", KindFile, "/var/log/other.log", false, false, "other"},
	}
	if diff := cmp.Diff(wantRules, rules); diff != "" {
		t.Errorf("rules (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]Include{{Line: 25, Pattern: "/etc/rsyslog.d/local.conf"}}, f.Includes); diff != "" {
		t.Errorf("includes (-want +got):\n%s", diff)
	}
}

// Bad lines are reported with their line, and everything else is kept.
func TestErrors(t *testing.T) {
	const conf = `mail.info
nosuch.info	/var/log/x
mail.loud	/var/log/x
*.*	@
auth.info	/var/adm/auth.log
*.*	@host:99999
*.*	-relative
*.*	what?ever
& /var/log/y
mail	/var/log/mail
$ModLoad
input(port="514")
frobnicate(x="1")
action(type="omfwd")
input(type="imudp" port="0")
:msg, contains	/var/log/z
module(load="imuxsock"
daemon.info	/var/adm/daemon.log
`
	f, err := Parse(strings.NewReader(conf), "syslog.conf")
	var got []int
	for _, e := range parse.List(err) {
		var pe *parse.Error
		if !errors.As(e, &pe) || pe.File != "syslog.conf" {
			t.Errorf("error %v is not a *parse.Error of syslog.conf", e)
		}
		if msg := pe.Err.Error(); msg == "" || msg != strings.ToLower(msg[:1])+msg[1:] || strings.HasSuffix(msg, ".") {
			t.Errorf("message %q: want lower case, no final period", msg)
		}
		got = append(got, pe.Line)
	}
	want := []int{1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("error lines (-want +got):\n%s\n%v", diff, err)
	}
	var targets []string
	for _, r := range f.Rules {
		targets = append(targets, r.Target)
	}
	if diff := cmp.Diff([]string{"/var/adm/auth.log", "/var/adm/daemon.log"}, targets); diff != "" {
		t.Errorf("good rules (-want +got):\n%s", diff)
	}
}

func TestReadError(t *testing.T) {
	f, err := Parse(iotest.ErrReader(errors.New("boom")), "syslog.conf")
	if f != nil || err == nil || !strings.Contains(err.Error(), "syslog.conf") {
		t.Errorf("got %v, %v", f, err)
	}
}

func TestCRLFAndNoFinalNewline(t *testing.T) {
	f, err := Parse(strings.NewReader("*.err\t/var/adm/errorlog\r\nmail.info /var/adm/mail.log"), "x")
	if err != nil || len(f.Rules) != 2 || f.Rules[0].Target != "/var/adm/errorlog" {
		t.Fatalf("%+v %v", f, err)
	}
	if got := string(f.Bytes()); got != "*.err\t/var/adm/errorlog\nmail.info /var/adm/mail.log\n" {
		t.Errorf("Bytes() = %q", got)
	}
}

// Older Debian files continue long selectors over lines with a backslash.
func TestContinuedSelector(t *testing.T) {
	const conf = "*.=debug;\\\n" +
		"\tauth,authpriv.none;\\\n" +
		"\tnews.none;mail.none\t-/var/log/debug\n" +
		"*.=info;*.=notice;*.=warn;\\\n" +
		"\tauth,authpriv.none;\\\n" +
		"\tcron,daemon.none;\\\n" +
		"\tmail,news.none\t\t-/var/log/messages\n" +
		"daemon.*;mail.*;\\\n" +
		"\tnews.err;\\\n" +
		"\t*.=debug;*.=info;\\\n" +
		"\t*.=notice;*.=warn\t|/dev/xconsole\n" +
		"local0.*;\\\n" +
		"  local1.*  action(type=\"omfwd\"\n" +
		"    target=\"loghost\")\n"
	f, err := Parse(strings.NewReader(conf), "rsyslog.conf")
	if err != nil {
		t.Fatal(err)
	}
	type rule struct {
		Line, EndLine  int
		Filter, Target string
	}
	var got []rule
	for _, r := range f.Rules {
		got = append(got, rule{r.Line, r.EndLine, r.Filter, r.Target})
	}
	want := []rule{
		{1, 3, "*.=debug;auth,authpriv.none;news.none;mail.none", "/var/log/debug"},
		{4, 7, "*.=info;*.=notice;*.=warn;auth,authpriv.none;cron,daemon.none;mail,news.none", "/var/log/messages"},
		{8, 11, "daemon.*;mail.*;news.err;*.=debug;*.=info;*.=notice;*.=warn", "/dev/xconsole"},
		{12, 14, "local0.*;local1.*", "loghost"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("rules (-want +got):\n%s", diff)
	}
	if r := f.Rules[1]; !r.Matches("kern", "info") || r.Matches("auth", "info") || r.Matches("kern", "err") {
		t.Errorf("messages rule %+v", r)
	}
}
