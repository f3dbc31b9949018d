package syslogng

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"

	"bastion/internal/parse"
)

func parseFixture(t *testing.T, name string) *File {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	f, err := Parse(strings.NewReader(string(data)), "/etc/syslog-ng/syslog-ng.conf")
	if err != nil {
		t.Fatalf("Parse(%s): %v", name, err)
	}
	if string(f.Bytes()) != string(data) {
		t.Errorf("Bytes() does not give %s back", name)
	}
	return f
}

// routeSummary renders Route's answer as "line:match:dest,dest".
func routeSummary(f *File, facility, level string) []string {
	var out []string
	for _, r := range f.Route(facility, level) {
		var names []string
		for _, d := range r.Destinations {
			names = append(names, d.Name)
		}
		names = append(names, r.Missing...)
		out = append(out, strings.Join([]string{strconv.Itoa(r.Log.Line), string(r.Match), strings.Join(names, ",")}, ":"))
	}
	return out
}

func TestDebian(t *testing.T) {
	f := parseFixture(t, "debian-syslog-ng.conf")
	if f.Version != "4.3" {
		t.Errorf("version %q", f.Version)
	}
	wantInc := []Include{{Line: 2, Path: "scl.conf"}, {Line: 126, Path: "/etc/syslog-ng/conf.d/*.conf"}}
	if diff := cmp.Diff(wantInc, f.Includes); diff != "" {
		t.Errorf("includes (-want +got):\n%s", diff)
	}
	wantSrc := []Object{{Line: 16, Name: "s_src", Drivers: []Driver{{Line: 17, Driver: "system"}, {Line: 18, Driver: "internal"}}}}
	if diff := cmp.Diff(wantSrc, f.Sources); diff != "" {
		t.Errorf("sources (-want +got):\n%s", diff)
	}
	if len(f.Destinations) != 19 || len(f.Filters) != 23 || len(f.Logs) != 13 {
		t.Errorf("%d destinations, %d filters, %d logs", len(f.Destinations), len(f.Filters), len(f.Logs))
	}
	var perm string
	for _, o := range f.Options {
		if o.Driver == "perm" {
			perm = o.Args[0]
		}
	}
	if perm != "0640" {
		t.Errorf("options perm %q, options %v", perm, f.Options)
	}
	auth, _ := f.Filter("f_auth")
	wantAuth := Filter{Line: 80, Name: "f_auth", Expr: "facility(auth, authpriv) and not filter(f_debug)",
		Calls: []Driver{{Line: 80, Driver: "facility", Args: []string{"auth", "authpriv"}}, {Line: 80, Driver: "filter", Args: []string{"f_debug"}}}}
	if diff := cmp.Diff(wantAuth, auth, cmp.AllowUnexported(Filter{}), cmp.FilterPath(func(p cmp.Path) bool {
		return p.Last().String() == ".expr"
	}, cmp.Ignore())); diff != "" {
		t.Errorf("f_auth (-want +got):\n%s", diff)
	}
	console := f.Logs[11]
	wantLog := Log{Line: 118, EndLine: 119, Sources: []string{"s_src"}, Filters: []string{"f_console"},
		Destinations: []string{"d_console_all", "d_xconsole"}}
	if diff := cmp.Diff(wantLog, console); diff != "" {
		t.Errorf("console log (-want +got):\n%s", diff)
	}

	// Where auth, mail and kern messages at info go.
	pick := func(facility, level string) []string {
		var yes []string
		for _, s := range routeSummary(f, facility, level) {
			if !strings.Contains(s, ":no:") {
				yes = append(yes, s)
			}
		}
		return yes
	}
	for _, tc := range []struct {
		facility, level string
		want            []string
	}{
		{"auth", "info", []string{"101:yes:d_auth"}},
		{"authpriv", "debug", []string{"101:yes:d_auth"}},
		{"mail", "info", []string{"109:yes:d_mail"}},
		{"kern", "info", []string{"104:yes:d_kern", "106:yes:d_syslog", "116:yes:d_messages"}},
		{"kern", "crit", []string{"104:yes:d_kern", "106:yes:d_syslog", "115:yes:d_error", "118:yes:d_console_all,d_xconsole", "120:yes:d_console"}},
		{"*", "err", []string{"115:yes:d_error", "118:yes:d_console_all,d_xconsole"}},
	} {
		if diff := cmp.Diff(tc.want, pick(tc.facility, tc.level)); diff != "" {
			t.Errorf("%s.%s (-want +got):\n%s", tc.facility, tc.level, diff)
		}
	}
	targets := f.Destinations[len(f.Destinations)-1].Targets()
	if diff := cmp.Diff([]Target{{Line: 61, Driver: "file", Kind: "file", Path: "/var/log/ppp.log"}}, targets); diff != "" {
		t.Errorf("d_ppp targets (-want +got):\n%s", diff)
	}
}

// A log host, network sources, flags, inline objects and filters that
// bastion cannot evaluate.
func TestRoutes(t *testing.T) {
	const conf = `@version: 3.38
source s_local { system(); internal(); };
source s_net {
    network(transport("udp") port(514));
    tcp(ip(10.0.0.5) port(1514));
    syslog(transport("tls") tls(key-file("/etc/ssl/k.pem") peer-verify(required)));
};
destination d_auth { file("/var/log/auth.log" perm(0600) owner("root") group("adm")); };
destination d_hosts { file("/var/log/hosts/$HOST.log"); };
destination d_loghost {
    network("loghost.example.com" transport("tcp") port(6514));
    udp("192.0.2.9");
};
filter f_auth { facility(auth, authpriv); };
filter f_sshd { program("sshd") and facility(auth); };
filter f_notdebug { not level(debug); };
filter f_cmp { "${HOST}" == "web1" or facility(mail); };
log { source(s_net); destination(d_hosts); };
log { source(s_local); filter(f_sshd); destination(d_auth); };
log { source(s_local); filter(f_auth); filter(f_notdebug); destination(d_auth); flags(final); };
log { source(s_local); destination(d_loghost); };
log { source(s_local); filter(f_cmp); destination { file("/var/log/web1.log"); }; };
log { source(s_local); destination(d_nowhere); flags(fallback); };
log { source(s_elsewhere); destination(d_auth); };
log { source(s_local); log { filter(f_auth); destination(d_auth); }; };
`
	f, err := Parse(strings.NewReader(conf), "syslog-ng.conf")
	if err != nil {
		t.Fatal(err)
	}
	src, _ := f.Source("s_net")
	wantL := []Listener{
		{Line: 4, Driver: "network", Transport: "udp", Port: 514},
		{Line: 5, Driver: "tcp", Transport: "tcp", Port: 1514, Address: "10.0.0.5"},
		{Line: 6, Driver: "syslog", Transport: "tls", Port: 6514},
	}
	if diff := cmp.Diff(wantL, src.Listeners()); diff != "" {
		t.Errorf("listeners (-want +got):\n%s", diff)
	}
	lh, _ := f.Destination("d_loghost")
	wantT := []Target{
		{Line: 11, Driver: "network", Kind: "remote", Host: "loghost.example.com", Port: 6514, Transport: "tcp"},
		{Line: 12, Driver: "udp", Kind: "remote", Host: "192.0.2.9", Port: 514, Transport: "udp"},
	}
	if diff := cmp.Diff(wantT, lh.Targets()); diff != "" {
		t.Errorf("log host targets (-want +got):\n%s", diff)
	}
	auth, _ := f.Destination("d_auth")
	if got := auth.Targets()[0]; got.Perm != "0600" || got.Owner != "root" || got.Group != "adm" {
		t.Errorf("d_auth target %+v", got)
	}
	hosts, _ := f.Destination("d_hosts")
	if got := hosts.Targets()[0].Kind; got != "dynamic-file" {
		t.Errorf("d_hosts kind %q", got)
	}
	for _, tc := range []struct {
		facility, level string
		want            []string
	}{
		{"auth", "info", []string{
			"18:no:d_hosts", "19:unknown:d_auth", "20:yes:d_auth", "21:no:d_loghost",
			"22:no:(inline destination at line 22)", "23:no:d_nowhere", "24:no:d_auth", "25:no:",
		}},
		{"auth", "debug", []string{
			"18:no:d_hosts", "19:unknown:d_auth", "20:no:d_auth", "21:yes:d_loghost",
			"22:unknown:(inline destination at line 22)", "23:no:d_nowhere", "24:unknown:d_auth", "25:unknown:",
		}},
		{"mail", "info", []string{
			"18:no:d_hosts", "19:no:d_auth", "20:no:d_auth", "21:yes:d_loghost",
			"22:yes:(inline destination at line 22)", "23:no:d_nowhere", "24:unknown:d_auth", "25:unknown:",
		}},
	} {
		if diff := cmp.Diff(tc.want, routeSummary(f, tc.facility, tc.level)); diff != "" {
			t.Errorf("%s.%s (-want +got):\n%s", tc.facility, tc.level, diff)
		}
	}
	// Reasons name what decided.
	rs := f.Route("auth", "debug")
	if !strings.Contains(rs[1].Why, "program() decides") || !strings.Contains(rs[6].Why, "s_elsewhere") {
		t.Errorf("reasons %q, %q", rs[1].Why, rs[6].Why)
	}
}

func TestFallback(t *testing.T) {
	const conf = `source s { system(); };
filter f_mail { facility(mail); };
destination d_mail { file("/var/log/mail"); };
destination d_rest { file("/var/log/rest"); };
log { source(s); filter(f_mail); destination(d_mail); };
log { source(s); destination(d_rest); flags(fallback); };
`
	f, err := Parse(strings.NewReader(conf), "x")
	if err != nil {
		t.Fatal(err)
	}
	if got := routeSummary(f, "mail", "info"); got[1] != "6:no:d_rest" {
		t.Errorf("mail: %v", got)
	}
	if got := routeSummary(f, "auth", "info"); got[1] != "6:yes:d_rest" {
		t.Errorf("auth: %v", got)
	}
}

// Bad statements are reported with their line, and the rest is kept.
func TestErrors(t *testing.T) {
	// A missing ';' before a closing brace or between the items of a log
	// statement is forgiven.
	const conf = `source { system(); };
destination d_a { file("/var/log/a") };
destination d_b file("/var/log/b");
filter f_bad { facility(auth) and ; };
log { source(s) destination(d_a); };
frobnicate x { };
destination d_c { file("/var/log/c"); }
filter f_empty { };
@
log { source(s); filter(f_auth); destination(d_c); unknown(x); };
destination d_d { file("/var/log/d" perm(0640); };
source s { system(); };
log { source(s); destination(d_e); };
destination d_e { file("/var/log/e");
`
	f, err := Parse(strings.NewReader(conf), "syslog-ng.conf")
	var got []int
	for _, e := range parse.List(err) {
		var pe *parse.Error
		if !errors.As(e, &pe) || pe.File != "syslog-ng.conf" {
			t.Errorf("error %v is not a *parse.Error of syslog-ng.conf", e)
			continue
		}
		if msg := pe.Err.Error(); strings.HasSuffix(msg, ".") || msg[:1] != strings.ToLower(msg[:1]) {
			t.Errorf("message %q: want lower case, no final period", msg)
		}
		got = append(got, pe.Line)
	}
	want := []int{9, 1, 3, 4, 6, 7, 8, 10, 11, 14}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("error lines (-want +got):\n%s\n%v", diff, err)
	}
	var names []string
	for _, d := range f.Destinations {
		names = append(names, d.Name)
	}
	if diff := cmp.Diff([]string{"d_a", "d_c", "d_d", "d_e"}, names); diff != "" {
		t.Errorf("destinations (-want +got):\n%s", diff)
	}
	if len(f.Sources) != 1 || len(f.Logs) != 3 {
		t.Errorf("sources %+v logs %+v", f.Sources, f.Logs)
	}
}

func TestReadError(t *testing.T) {
	f, err := Parse(iotest.ErrReader(errors.New("boom")), "syslog-ng.conf")
	if f != nil || err == nil || !strings.Contains(err.Error(), "syslog-ng.conf") {
		t.Errorf("got %v, %v", f, err)
	}
}
