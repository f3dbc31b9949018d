package snmpconf

import (
	"errors"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"

	"bastion/internal/parse"
)

func parseNetSNMPFixture(t *testing.T, name string) *NetSNMPFile {
	t.Helper()
	data := readFixture(t, name)
	f, err := ParseNetSNMP(strings.NewReader(string(data)), "/etc/snmp/snmpd.conf")
	if err != nil {
		t.Fatalf("ParseNetSNMP(%s): %v", name, err)
	}
	if string(f.Bytes()) != string(data) {
		t.Errorf("Bytes() does not give %s back", name)
	}
	return f
}

func TestParseNetSNMPDebian(t *testing.T) {
	f := parseNetSNMPFixture(t, "debian-snmpd.conf")
	wantCommunities := []NetSNMPCommunity{
		{Line: 22, Directive: "rocommunity", Name: "public", Source: "default", View: "systemonly"},
		{Line: 23, Directive: "rocommunity6", Name: "public", Source: "default", View: "systemonly"},
	}
	if diff := cmp.Diff(wantCommunities, f.Communities); diff != "" {
		t.Errorf("communities (-want +got):\n%s", diff)
	}
	if !f.Communities[0].AnySource() {
		t.Errorf("AnySource() = false for the source default")
	}
	wantUsers := []NetSNMPUser{{Line: 26, Directive: "rouser", Name: "authPrivUser", Model: "usm", Level: Priv, View: "systemonly"}}
	if diff := cmp.Diff(wantUsers, f.Users); diff != "" {
		t.Errorf("users (-want +got):\n%s", diff)
	}
	wantAddrs := []AgentAddress{
		{Line: 14, Spec: "127.0.0.1", Transport: "udp", Host: "127.0.0.1", Port: 161},
		{Line: 14, Spec: "[::1]", Transport: "udp6", Host: "::1", Port: 161},
	}
	if diff := cmp.Diff(wantAddrs, f.Listening()); diff != "" {
		t.Errorf("listening (-want +got):\n%s", diff)
	}
	for _, a := range f.AgentAddresses {
		if !a.Loopback() || a.AllInterfaces() {
			t.Errorf("%+v: want loopback only", a)
		}
	}
	if diff := cmp.Diff([]Include{{Line: 29, Directive: "includedir", Path: "/etc/snmp/snmpd.conf.d"}}, f.Includes); diff != "" {
		t.Errorf("includes (-want +got):\n%s", diff)
	}
	wantKeywords := []string{"7 sysLocation", "8 sysContact", "9 sysServices", "13 master", "14 agentaddress",
		"17 view", "18 view", "22 rocommunity", "23 rocommunity6", "26 rouser", "29 includeDir"}
	if diff := cmp.Diff(wantKeywords, keywords(f.Entries)); diff != "" {
		t.Errorf("entries (-want +got):\n%s", diff)
	}
	if got := f.Entries[0].Fields; len(got) != 7 || got[6] != "Bay" {
		t.Errorf("sysLocation fields = %q", got)
	}
}

func TestParseNetSNMPRHEL(t *testing.T) {
	f := parseNetSNMPFixture(t, "rhel-snmpd.conf")
	want := []NetSNMPCommunity{{Line: 5, Directive: "com2sec", Name: "public", Source: "default",
		View: "systemview", SecName: "notConfigUser"}}
	if diff := cmp.Diff(want, f.Communities); diff != "" {
		t.Errorf("communities (-want +got):\n%s", diff)
	}
	wantGroups := []Group{
		{Line: 9, Name: "notConfigGroup", Model: "v1", SecName: "notConfigUser"},
		{Line: 10, Name: "notConfigGroup", Model: "v2c", SecName: "notConfigUser"},
	}
	if diff := cmp.Diff(wantGroups, f.Groups); diff != "" {
		t.Errorf("groups (-want +got):\n%s", diff)
	}
	wantAccess := []Access{{Line: 18, Group: "notConfigGroup", Context: "", Model: "any", Level: NoAuth,
		Prefix: "exact", Read: "systemview", Write: "none", Notify: "none"}}
	if diff := cmp.Diff(wantAccess, f.Accesses); diff != "" {
		t.Errorf("accesses (-want +got):\n%s", diff)
	}
	// No agentAddress: snmpd listens on UDP 161 on every IPv4 interface.
	l := f.Listening()
	if len(l) != 1 || l[0].Transport != "udp" || l[0].Port != 161 || !l[0].AllInterfaces() {
		t.Errorf("Listening() = %+v, want the default UDP 161 on all interfaces", l)
	}
}

func TestParseNetSNMPRisky(t *testing.T) {
	f := parseNetSNMPFixture(t, "risky-snmpd.conf")
	wantCommunities := []NetSNMPCommunity{
		{Line: 5, Directive: "rwcommunity", Name: "private", Source: "default", Write: true},
		{Line: 6, Directive: "rwcommunity6", Name: "wr1te s3cret", Source: "2001:db8::/32", Write: true, OID: ".1.3.6.1.2.1"},
		{Line: 7, Directive: "rocommunity", Name: "r3ad0nly", Source: "192.0.2.0/24", View: "all", Context: "context1"},
		{Line: 8, Directive: "authcommunity", Name: "n0tif1er", Source: "10.1.2.3", Write: true},
		{Line: 9, Directive: "com2sec", Name: "l0calC0mm", Source: "10.0.0.0/8", View: "all", Context: "ctxA", SecName: "localNet"},
		{Line: 10, Directive: "com2sec", Name: "4nyb0dy", Source: "default", Write: true, View: "all", SecName: "anyone"},
	}
	if diff := cmp.Diff(wantCommunities, f.Communities); diff != "" {
		t.Errorf("communities (-want +got):\n%s", diff)
	}
	wantUsers := []NetSNMPUser{
		{Line: 17, Directive: "rwuser", Name: "admin", Model: "usm", Level: NoAuth, Write: true, OID: ".1.3.6.1"},
		{Line: 18, Directive: "rouser", Name: "operator", Model: "usm", Level: Priv, View: "all"},
		{Line: 19, Directive: "rwuser", Name: "plain", Model: "usm", Level: Auth, Write: true},
	}
	if diff := cmp.Diff(wantUsers, f.Users); diff != "" {
		t.Errorf("users (-want +got):\n%s", diff)
	}
	wantAddrs := []AgentAddress{
		{Line: 2, Spec: "udp:161", Transport: "udp", Port: 161},
		{Line: 2, Spec: "tcp:0.0.0.0:1161", Transport: "tcp", Host: "0.0.0.0", Port: 1161},
		{Line: 3, Spec: "udp6:[::]:161", Transport: "udp6", Host: "::", Port: 161},
		{Line: 4, Spec: "unix:/var/agentx/snmp.sock", Transport: "unix", Host: "/var/agentx/snmp.sock"},
	}
	if diff := cmp.Diff(wantAddrs, f.AgentAddresses); diff != "" {
		t.Errorf("agent addresses (-want +got):\n%s", diff)
	}
	var all []bool
	for _, a := range f.AgentAddresses {
		all = append(all, a.AllInterfaces())
	}
	if diff := cmp.Diff([]bool{true, true, true, false}, all); diff != "" {
		t.Errorf("AllInterfaces (-want +got):\n%s", diff)
	}
	wantSinks := []TrapSink{
		{Line: 22, Directive: "trapsink", Host: "nms.example.org", Community: "sinkC0mm", Port: "10162"},
		{Line: 23, Directive: "trap2sink", Host: "nms2.example.org"},
		{Line: 24, Directive: "informsink", Host: "nms3.example.org", Community: "inf0rmC0mm"},
	}
	if diff := cmp.Diff(wantSinks, f.TrapSinks); diff != "" {
		t.Errorf("trap sinks (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]Include{{Line: 27, Directive: "includefile", Path: "/etc/snmp/extra.conf"}}, f.Includes); diff != "" {
		t.Errorf("includes (-want +got):\n%s", diff)
	}
	secrets := map[int][]int{}
	for _, e := range f.Entries {
		if e.Secret != nil {
			secrets[e.Line] = e.Secret
		}
	}
	wantSecrets := map[int][]int{
		5: {0}, 6: {0}, 7: {0}, 8: {1}, 9: {4}, 10: {2},
		20: {2, 4}, // createUser passphrases
		21: {0},    // trapcommunity
		22: {3},    // trapsink after its -s option and host
		24: {1},
		25: {3}, // trapsess -c
		26: {2}, // proxy -cCOMMUNITY
	}
	if diff := cmp.Diff(wantSecrets, secrets); diff != "" {
		t.Errorf("secret fields by line (-want +got):\n%s", diff)
	}
}

func TestParseNetSNMPForms(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		fields []string // of the only entry
	}{
		{"double and single quotes", `syslocation "Room 2, rack 'B'" 'x "y"'`, []string{"Room 2, rack 'B'", `x "y"`}},
		{"backslash escapes", `syscontact a\ b \"c\" "d\"e"`, []string{"a b", `"c"`, `d"e`}},
		{"empty quoted word", `access g "" any noauth exact v none none`, []string{"g", "", "any", "noauth", "exact", "v", "none", "none"}},
		{"trailing comment", "sysServices 72 # all layers", []string{"72"}},
		{"hash inside a word", "syslocation rack#4", []string{"rack#4"}},
		{"quoted hash", `syslocation "#4"`, []string{"#4"}},
		{"CRLF", "sysServices 72\r\n", []string{"72"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := ParseNetSNMP(strings.NewReader(tt.in), "snmpd.conf")
			if err != nil {
				t.Fatalf("ParseNetSNMP: %v", err)
			}
			if len(f.Entries) != 1 {
				t.Fatalf("entries = %v, want one", f.Entries)
			}
			if diff := cmp.Diff(tt.fields, f.Entries[0].Fields); diff != "" {
				t.Errorf("fields (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseAgentAddress(t *testing.T) {
	tests := []struct {
		spec string
		want AgentAddress
	}{
		{"161", AgentAddress{Spec: "161", Transport: "udp", Port: 161}},
		{"udp:127.0.0.1:161", AgentAddress{Spec: "udp:127.0.0.1:161", Transport: "udp", Host: "127.0.0.1", Port: 161}},
		{"UDP:localhost", AgentAddress{Spec: "UDP:localhost", Transport: "udp", Host: "localhost", Port: 161}},
		{"TCP:1161", AgentAddress{Spec: "TCP:1161", Transport: "tcp", Port: 1161}},
		{"udp6:[::1]:10161", AgentAddress{Spec: "udp6:[::1]:10161", Transport: "udp6", Host: "::1", Port: 10161}},
		{"udpv6:10161", AgentAddress{Spec: "udpv6:10161", Transport: "udp6", Port: 10161}},
		{"tcpipv6:::1", AgentAddress{Spec: "tcpipv6:::1", Transport: "tcp6", Host: "::1", Port: 161}},
		{"[2001:db8::1]", AgentAddress{Spec: "[2001:db8::1]", Transport: "udp6", Host: "2001:db8::1", Port: 161}},
		{"192.0.2.1:1161", AgentAddress{Spec: "192.0.2.1:1161", Transport: "udp", Host: "192.0.2.1", Port: 1161}},
		{"/var/run/agentx", AgentAddress{Spec: "/var/run/agentx", Transport: "unix", Host: "/var/run/agentx"}},
		{"dtlsudp:127.0.0.1:9161", AgentAddress{Spec: "dtlsudp:127.0.0.1:9161", Transport: "dtlsudp", Host: "127.0.0.1", Port: 9161}},
		{"ipx:/40000", AgentAddress{Spec: "ipx:/40000", Transport: "ipx", Host: "/40000"}},
	}
	for _, tt := range tests {
		got, msg := parseAgentAddress(0, "agentAddress", tt.spec)
		if msg != "" {
			t.Errorf("parseAgentAddress(%q): %s", tt.spec, msg)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("parseAgentAddress(%q) (-want +got):\n%s", tt.spec, diff)
		}
	}
}

func TestParseNetSNMPErrors(t *testing.T) {
	tests := []struct {
		name, line, want string
	}{
		{"unterminated double quote", `rocommunity "s3cr3t default`, "snmpd.conf:2: unterminated double quote"},
		{"unterminated single quote", `rocommunity 's3cr3t default`, "snmpd.conf:2: unterminated single quote"},
		{"empty directive name", `"" public`, "snmpd.conf:2: directive name is empty"},
		{"rocommunity without community", "rocommunity", "snmpd.conf:2: rocommunity has no community"},
		{"-V without view", "rwcommunity s3cr3t default -V", "snmpd.conf:2: rwcommunity has -V without a view name"},
		{"too many words", "rocommunity s3cr3t default -V v ctx extra", "snmpd.conf:2: rocommunity has 2 words after the view, want at most a context"},
		{"authcommunity too short", "authcommunity read", "snmpd.conf:2: authcommunity wants TYPES COMMUNITY [SOURCE [OID | -V VIEW [CONTEXT]]]"},
		{"com2sec too short", "com2sec name default", "snmpd.conf:2: com2sec wants [-Cn CONTEXT] SECNAME SOURCE COMMUNITY, got 2 words after the options"},
		{"com2sec -Cn without context", "com2sec6 -Cn", "snmpd.conf:2: com2sec6 has -Cn without a context"},
		{"rouser without user", "rouser", "snmpd.conf:2: rouser has no user"},
		{"rouser -s without model", "rwuser -s", "snmpd.conf:2: rwuser has -s without a security model"},
		{"rouser bad level", "rouser bob secure", `snmpd.conf:2: rouser bob has the unknown security level "secure": want noauth, auth or priv`},
		{"group wrong length", "group g v2c", "snmpd.conf:2: group wants NAME MODEL SECNAME, got 2 words"},
		{"group bad model", "group g v3 sec", `snmpd.conf:2: group g has the unknown security model "v3": want v1, v2c, usm, tsm or ksm`},
		{"access wrong length", "access g \"\" any noauth exact all none", "snmpd.conf:2: access wants GROUP CONTEXT MODEL LEVEL PREFIX READ WRITE NOTIFY, got 7 words"},
		{"access bad model", "access g \"\" snmpv2 noauth exact all none none", `snmpd.conf:2: access for g has the unknown security model "snmpv2": want any, v1, v2c, usm, tsm or ksm`},
		{"access bad level", "access g \"\" any none exact all none none", `snmpd.conf:2: access for g has the unknown security level "none": want noauth, auth or priv`},
		{"access bad prefix", "access g \"\" any noauth all all none none", `snmpd.conf:2: access for g has "all" where exact or prefix belongs`},
		{"agentAddress without address", "agentAddress", "snmpd.conf:2: agentAddress has no address"},
		{"agentAddress with blanks in its list", "agentAddress udp:161, tcp:161", "snmpd.conf:2: agentAddress wants one comma-separated list of addresses, got 2 words"},
		{"agentAddress empty item", "agentAddress udp:161,,tcp:161", "snmpd.conf:2: agentAddress has an empty address in its list"},
		{"agentAddress bad port", "agentaddress udp:127.0.0.1:99999", `snmpd.conf:2: agentaddress "udp:127.0.0.1:99999" has the bad port "99999"`},
		{"agentAddress port zero", "agentaddress 0", `snmpd.conf:2: agentaddress "0" has the bad port "0"`},
		{"agentAddress empty port", "agentaddress localhost:", `snmpd.conf:2: agentaddress "localhost:" has an empty port`},
		{"agentAddress empty IPv6 port", "agentaddress [::1]:", `snmpd.conf:2: agentaddress "[::1]:" has an empty port`},
		{"agentAddress unclosed bracket", "agentaddress udp6:[::1", `snmpd.conf:2: agentaddress "udp6:[::1" has no ']' after its IPv6 address`},
		{"agentAddress text after bracket", "agentaddress [::1]161", `snmpd.conf:2: agentaddress "[::1]161" has text after its IPv6 address`},
		{"include without path", "includeDir", "snmpd.conf:2: includeDir wants one path, got 0 words"},
		{"trapsink without host", "trapsink", "snmpd.conf:2: trapsink has no host"},
		{"trapsink option without value", "trap2sink -name", "snmpd.conf:2: trap2sink has -name without a value"},
		{"trapsink bad port", "trapsink nms s3cr3t port", `snmpd.conf:2: trapsink has the bad port "port"`},
		{"trapsink too many words", "informsink nms s3cr3t 162 x", "snmpd.conf:2: informsink wants [options] HOST [COMMUNITY [PORT]], got 4 words after the options"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := "master agentx\n" + tt.line + "\nrocommunity g00d localhost\n"
			f, err := ParseNetSNMP(strings.NewReader(in), "snmpd.conf")
			if f == nil || err == nil {
				t.Fatalf("ParseNetSNMP = %v, %v; want a file and an error", f, err)
			}
			if got := err.Error(); got != tt.want {
				t.Errorf("error = %q, want %q", got, tt.want)
			}
			list := parse.List(err)
			if len(list) != 1 || list[0].Line != 2 || list[0].File != "snmpd.conf" {
				t.Errorf("parse.List(err) = %v, want one error at snmpd.conf:2", list)
			}
			if diff := cmp.Diff([]string{"1 master", "3 rocommunity"}, keywords(f.Entries)); diff != "" {
				t.Errorf("entries (-want +got):\n%s", diff)
			}
			if len(f.Communities) != 1 || len(f.Users)+len(f.Groups)+len(f.Accesses)+len(f.AgentAddresses)+len(f.Includes)+len(f.TrapSinks) != 0 {
				t.Errorf("the bad line was kept: %v", f)
			}
			if string(f.Bytes()) != in {
				t.Errorf("Bytes() = %q, want the input back", f.Bytes())
			}
		})
	}
}

func TestParseNetSNMPUnreadable(t *testing.T) {
	f, err := ParseNetSNMP(iotest.ErrReader(errors.New("input/output error")), "snmpd.conf")
	if f != nil || err == nil || !strings.HasPrefix(err.Error(), "snmpd.conf: ") {
		t.Errorf("ParseNetSNMP(failing reader) = %v, %v; want nil and an error naming the file", f, err)
	}
}
