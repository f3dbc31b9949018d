package firewalld

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"bastion/internal/parse"
)

func readFixture(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// errorStrings returns the text of every error within err.
func errorStrings(err error) []string {
	var out []string
	for _, e := range parse.List(err) {
		out = append(out, e.Error())
	}
	return out
}

func TestParseConf(t *testing.T) {
	text := readFixture(t, "firewalld.conf")
	c, err := ParseConf(strings.NewReader(text), "/etc/firewalld/firewalld.conf")
	if err != nil {
		t.Fatalf("ParseConf: %v", err)
	}
	want := []Setting{
		{4, "DefaultZone", "internal"},
		{7, "CleanupOnExit", "yes"},
		{8, "CleanupModulesOnExit", "no"},
		{11, "FirewallBackend", "iptables"},
		{14, "AutomaticHelpers", "no"},
		{15, "LogDenied", "off"},
	}
	if diff := cmp.Diff(want, c.Settings); diff != "" {
		t.Errorf("settings (-want +got):\n%s", diff)
	}
	if got := c.DefaultZone(); got != "internal" {
		t.Errorf("DefaultZone() = %q, want internal", got)
	}
	if got := c.Backend(); got != "iptables" {
		t.Errorf("Backend() = %q, want iptables", got)
	}
	if string(c.Bytes()) != text {
		t.Error("Bytes() does not give the file back")
	}
}

func TestConfFallbacks(t *testing.T) {
	c, err := ParseConf(strings.NewReader("# nothing set\nDefaultZone=\nDefaultZone=work\nDefaultZone=\n"), "firewalld.conf")
	if err != nil {
		t.Fatal(err)
	}
	if got := c.DefaultZone(); got != FallbackZone {
		t.Errorf("DefaultZone() with an empty last value = %q, want %q", got, FallbackZone)
	}
	if got := c.Backend(); got != FallbackBackend {
		t.Errorf("Backend() unset = %q, want %q", got, FallbackBackend)
	}
}

func TestParseConfErrors(t *testing.T) {
	in := "DefaultZone=public\nLockdown yes\n=no\nLog Denied=all\nIPv6_rpfilter=yes\n"
	c, err := ParseConf(strings.NewReader(in), "firewalld.conf")
	want := []string{
		`firewalld.conf:2: expected Key=value, found "Lockdown yes"`,
		`firewalld.conf:3: setting with no name`,
		`firewalld.conf:4: setting name "Log Denied" holds a blank`,
	}
	if diff := cmp.Diff(want, errorStrings(err)); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]Setting{{1, "DefaultZone", "public"}, {5, "IPv6_rpfilter", "yes"}}, c.Settings); diff != "" {
		t.Errorf("settings kept (-want +got):\n%s", diff)
	}
}

func TestParseZonePublic(t *testing.T) {
	text := readFixture(t, "public.xml")
	z, err := ParseZone(strings.NewReader(text), "/usr/lib/firewalld/zones/public.xml")
	if err != nil {
		t.Fatalf("ParseZone: %v", err)
	}
	want := &Zone{
		Name:        "/usr/lib/firewalld/zones/public.xml",
		Lines:       strings.Split(strings.TrimSuffix(text, "\n"), "\n"),
		Line:        2,
		Short:       "Public",
		Description: "Untrusted networks: only the services listed are reachable.",
		Services:    []Named{{5, "ssh"}, {6, "dhcpv6-client"}, {7, "cockpit"}},
		Forward:     true,
	}
	if diff := cmp.Diff(want, z); diff != "" {
		t.Errorf("zone (-want +got):\n%s", diff)
	}
	if got := z.EffectiveTarget(); got != TargetDefault {
		t.Errorf("EffectiveTarget() = %q, want %q", got, TargetDefault)
	}
	if string(z.Bytes()) != text {
		t.Error("Bytes() does not give the file back")
	}
}

func TestParseZoneFull(t *testing.T) {
	text := readFixture(t, "backoffice.xml")
	z, err := ParseZone(strings.NewReader(text), "backoffice.xml")
	if err != nil {
		t.Fatalf("ParseZone: %v", err)
	}
	fwd := ForwardPort{Port: Port{15, "2222", "tcp"}, ToPort: "22", ToAddr: "10.1.2.3"}
	want := &Zone{
		Line:       2,
		Version:    "1.0",
		Target:     TargetDrop,
		Short:      "Back office",
		Interfaces: []Named{{4, "eth1"}},
		Sources: []Source{
			{Line: 5, Address: "10.0.0.0/8"},
			{Line: 6, IPSet: "admins"},
			{Line: 7, MAC: "52:54:00:12:34:56"},
		},
		Services:           []Named{{8, "postgresql"}},
		Ports:              []Port{{9, "8080", "tcp"}, {10, "60000-61000", "udp"}},
		Protocols:          []Named{{11, "gre"}},
		ICMPBlocks:         []Named{{12, "timestamp-request"}},
		ICMPBlockInversion: true,
		Masquerade:         true,
		ForwardPorts:       []ForwardPort{fwd},
		Rules: []Rule{
			{
				Line: 16, Family: "ipv4",
				Source:  &Source{Line: 17, Address: "192.168.5.0/255.255.255.0"},
				Element: "service", Service: "ssh", Action: "accept",
			},
			{
				Line: 21, Family: "ipv6", Priority: -10,
				Source:  &Source{Line: 22, Address: "2001:db8::/32", Invert: true},
				Element: "port", Port: &Port{23, "9090", "tcp"},
				Log: true, Action: "reject", RejectType: "icmp6-adm-prohibited",
			},
			{Line: 29, Element: "protocol", Service: "vrrp", Action: "accept", Limit: "10/s"},
			{
				Line: 35, Family: "ipv4",
				Source: &Source{Line: 36, Address: "198.51.100.7"},
				Audit:  true, Action: "drop",
			},
		},
	}
	if diff := cmp.Diff(want, z, cmpopts.IgnoreFields(Zone{}, "Name", "Lines")); diff != "" {
		t.Errorf("zone (-want +got):\n%s", diff)
	}
}

func TestParseZoneTargets(t *testing.T) {
	tests := []struct{ attr, target, effective string }{
		{``, "", TargetDefault},
		{` target="default"`, TargetDefault, TargetDefault},
		{` target="ACCEPT"`, TargetAccept, TargetAccept},
		{` target="%%REJECT%%"`, TargetReject, TargetReject},
		{` target="REJECT"`, TargetReject, TargetReject},
		{` target="DROP"`, TargetDrop, TargetDrop},
	}
	for _, tt := range tests {
		z, err := ParseZone(strings.NewReader("<zone"+tt.attr+"/>"), "z.xml")
		if err != nil {
			t.Errorf("%q: %v", tt.attr, err)
			continue
		}
		if z.Target != tt.target || z.EffectiveTarget() != tt.effective {
			t.Errorf("%q: Target %q, EffectiveTarget %q; want %q, %q", tt.attr, z.Target, z.EffectiveTarget(), tt.target, tt.effective)
		}
	}
}

func TestParseZoneErrors(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{
			name: "bad attributes",
			in: `<zone target="OPEN">
  <port protocol="tcp" port="0"/>
  <port protocol="tcp" port="70000"/>
  <port protocol="tcp" port="200-100"/>
  <port protocol="icmp" port="1"/>
  <port port="22"/>
  <source address="10.0.0.0/33"/>
  <source address="10.0.0.0/255.0.255.0"/>
  <source address="10.0.0.1" ipset="x"/>
  <source mac="52:54:00"/>
  <service/>
  <interface name="eth0" zone="x"/>
  <forward-port port="80" protocol="tcp" to-addr="10.0.0.0/8"/>
  <service name="https"><port/></service>
  <bridge name="br0"/>
</zone>`,
			want: []string{
				`z.xml:1: unknown zone target "OPEN"`,
				`z.xml:2: bad port "0" in <port>`,
				`z.xml:3: bad port "70000" in <port>`,
				`z.xml:4: port range 200-100 runs backwards in <port>`,
				`z.xml:5: protocol "icmp" in <port> is not tcp, udp, sctp or dccp`,
				`z.xml:6: <port> without protocol`,
				`z.xml:7: bad address "10.0.0.0/33" in <source>`,
				`z.xml:8: bad address "10.0.0.0/255.0.255.0" in <source>`,
				`z.xml:9: <source> needs exactly one of address, mac and ipset`,
				`z.xml:10: bad MAC address "52:54:00" in <source>`,
				`z.xml:11: <service> without name`,
				`z.xml:12: unknown attribute zone of <interface>`,
				`z.xml:13: bad to-addr "10.0.0.0/8" in <forward-port>`,
				`z.xml:14: unexpected <port> inside <service>`,
				`z.xml:15: unknown element <bridge> in <zone>`,
			},
		},
		{
			name: "bad rules",
			in: `<zone>
  <rule family="ipx"><accept/></rule>
  <rule><source address="10.0.0.0/8"/><accept/></rule>
  <rule family="ipv4"><service name="ssh"/><port port="22" protocol="tcp"/><accept/></rule>
  <rule family="ipv4"><accept/><drop/></rule>
  <rule priority="high"><accept/></rule>
  <rule family="ipv4"><source ipset="a"/><source ipset="b"/><accept/></rule>
  <rule><log><burst/></log></rule>
  <rule><goto/></rule>
  <rule family="ipv4"><source ipset="ok"/><accept/></rule>
</zone>`,
			want: []string{
				`z.xml:2: rule family "ipx" is not ipv4 or ipv6`,
				`z.xml:3: rule with address 10.0.0.0/8 needs a family`,
				`z.xml:4: second element <port> in a rule that has <service>`,
				`z.xml:5: second action <drop> in a rule that has <accept>`,
				`z.xml:6: bad rule priority "high"`,
				`z.xml:7: second <source> in a rule`,
				`z.xml:8: unexpected <burst> inside <log>`,
				`z.xml:9: unknown element <goto> in <rule>`,
			},
		},
		{
			name: "wrong root",
			in:   "<?xml version=\"1.0\"?>\n<service/>\n",
			want: []string{`z.xml:2: root element is <service>, want <zone>`},
		},
		{
			name: "syntax error",
			in:   "<zone>\n  <service name=\"ssh\"/>\n  <port protocol=\"tcp\" port=\"22\">\n</zone>\n",
			want: []string{`z.xml:4: xml: element <port> closed by </zone>`},
		},
		{
			name: "empty",
			in:   "",
			want: []string{`z.xml: xml: no root element`},
		},
		{
			name: "comment only",
			in:   "<?xml version=\"1.0\"?>\n<!-- nothing -->\n",
			want: []string{`z.xml:2: xml: no root element`},
		},
		{
			name: "text after the root",
			in:   "<zone/>\ntrailing\n",
			want: []string{`z.xml:2: xml: text outside the root element`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			z, err := ParseZone(strings.NewReader(tt.in), "z.xml")
			if z == nil {
				t.Fatal("ParseZone returned no zone")
			}
			if diff := cmp.Diff(tt.want, errorStrings(err)); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseZoneKeepsGoodParts(t *testing.T) {
	in := `<zone>
  <service name="ssh"/>
  <port protocol="tcp" port="nope!"/>
  <port protocol="tcp" port="443"/>
  <rule family="ipv4"><source address="10.0.0.0/8"/><port port="x y" protocol="tcp"/><accept/></rule>
  <rule family="ipv4"><source address="10.0.0.0/8"/><port port="5432" protocol="tcp"/><accept/></rule>
  <service name="http">
</zone>`
	z, err := ParseZone(strings.NewReader(in), "z.xml")
	if err == nil {
		t.Fatal("no error for a bad zone")
	}
	if diff := cmp.Diff([]Named{{2, "ssh"}, {7, "http"}}, z.Services); diff != "" {
		t.Errorf("services up to the syntax error (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]Port{{4, "443", "tcp"}}, z.Ports); diff != "" {
		t.Errorf("ports (-want +got):\n%s", diff)
	}
	if len(z.Rules) != 1 || z.Rules[0].Line != 6 {
		t.Errorf("rules %+v: want only the good rule of line 6", z.Rules)
	}
	want := []string{
		`z.xml:8: xml: element <service> closed by </zone>`,
		`z.xml:3: bad port "nope!" in <port>`,
		`z.xml:5: bad port "x y" in <port>`,
	}
	if diff := cmp.Diff(want, errorStrings(err)); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
}

func TestParseService(t *testing.T) {
	text := readFixture(t, "monitoring.xml")
	s, err := ParseService(strings.NewReader(text), "monitoring.xml")
	if err != nil {
		t.Fatalf("ParseService: %v", err)
	}
	want := &Service{
		Line:        2,
		Version:     "2",
		Short:       "Monitoring",
		Ports:       []Port{{4, "9100-9102", "tcp"}, {5, "161", "udp"}},
		SourcePorts: []Port{{6, "123", "udp"}},
		Protocols:   []Named{{7, "icmp"}},
		Helpers:     []Named{{8, "snmp"}, {9, "nf_conntrack_netbios_ns"}},
		Includes:    []Named{{10, "ssh"}},
		IPv4:        "224.0.0.251",
		IPv6:        "ff02::fb",
	}
	if diff := cmp.Diff(want, s, cmpopts.IgnoreFields(Service{}, "Name", "Lines")); diff != "" {
		t.Errorf("service (-want +got):\n%s", diff)
	}
	if string(s.Bytes()) != text {
		t.Error("Bytes() does not give the file back")
	}
}

func TestParseServiceForms(t *testing.T) {
	in := `<service>
  <port protocol="gre" port=""/>
  <port protocol="tcp" port=""/>
  <destination/>
  <destination ipv4="300.0.0.1"/>
  <include/>
  <zone/>
</service>`
	s, err := ParseService(strings.NewReader(in), "pptp.xml")
	if diff := cmp.Diff([]Named{{2, "gre"}}, s.Protocols); diff != "" {
		t.Errorf("protocol written as a port (-want +got):\n%s", diff)
	}
	want := []string{
		`pptp.xml:3: <port> without port`,
		`pptp.xml:4: <destination> without ipv4 or ipv6`,
		`pptp.xml:5: bad address "300.0.0.1" in <destination>`,
		`pptp.xml:6: <include> without service`,
		`pptp.xml:7: unknown element <zone> in <service>`,
	}
	if diff := cmp.Diff(want, errorStrings(err)); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
	if _, err := ParseService(strings.NewReader("<zone/>"), "x.xml"); err == nil || !strings.Contains(err.Error(), "want <service>") {
		t.Errorf("a zone parsed as a service gave %v", err)
	}
}

func parseServices(t *testing.T) map[string]*Service {
	t.Helper()
	out := map[string]*Service{}
	for _, name := range []string{"ssh", "monitoring"} {
		s, err := ParseService(strings.NewReader(readFixture(t, name+".xml")), name+".xml")
		if err != nil {
			t.Fatal(err)
		}
		out[name] = s
	}
	return out
}

func TestServiceOpens(t *testing.T) {
	services := parseServices(t)
	// A service that includes itself through another must not loop.
	services["a"] = &Service{Includes: []Named{{1, "b"}}}
	services["b"] = &Service{Includes: []Named{{1, "a"}}, Ports: []Port{{1, "7", "tcp"}}}
	tests := []struct {
		service string
		proto   string
		port    int
		want    bool
	}{
		{"ssh", "tcp", 22, true},
		{"ssh", "udp", 22, false},
		{"ssh", "tcp", 23, false},
		{"monitoring", "tcp", 9101, true},
		{"monitoring", "tcp", 9103, false},
		{"monitoring", "udp", 161, true},
		{"monitoring", "udp", 123, false}, // a source port opens nothing
		{"monitoring", "tcp", 22, true},   // through the included ssh
		{"monitoring", "icmp", 0, true},
		{"a", "tcp", 7, true},
		{"a", "tcp", 8, false},
		{"missing", "tcp", 22, false},
	}
	for _, tt := range tests {
		if got := services[tt.service].Opens(tt.proto, tt.port, services); got != tt.want {
			t.Errorf("%s.Opens(%s, %d) = %v, want %v", tt.service, tt.proto, tt.port, got, tt.want)
		}
	}
}

func TestReach(t *testing.T) {
	services := parseServices(t)
	services["postgresql"] = &Service{Ports: []Port{{1, "5432", "tcp"}}}
	z, err := ParseZone(strings.NewReader(readFixture(t, "backoffice.xml")), "backoffice.xml")
	if err != nil {
		t.Fatal(err)
	}
	rule16 := &Source{Line: 17, Address: "192.168.5.0/255.255.255.0"}
	tests := []struct {
		proto string
		port  int
		want  []Access
	}{
		{"tcp", 5432, []Access{{Line: 8, Via: "service postgresql"}}},
		{"tcp", 8080, []Access{{Line: 9, Via: "port 8080/tcp"}}},
		{"udp", 60500, []Access{{Line: 10, Via: "port 60000-61000/udp"}}},
		{"tcp", 22, []Access{{Line: 16, From: rule16, Family: "ipv4", Via: "rule"}}},
		{"tcp", 9090, nil}, // only a reject rule names it
		{"tcp", 2222, nil}, // forwarded elsewhere, not opened here
		{"gre", 0, []Access{{Line: 11, Via: "protocol gre"}}},
		{"vrrp", 0, []Access{{Line: 29, Via: "rule"}}},
	}
	for _, tt := range tests {
		got := z.Reach(tt.proto, tt.port, services)
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("Reach(%s, %d) (-want +got):\n%s", tt.proto, tt.port, diff)
		}
	}
	if got := z.Reach("tcp", 22, services)[0].String(); got != "192.168.5.0/24 over ipv4 (rule, line 16)" {
		t.Errorf("String() = %q", got)
	}

	open := &Zone{Line: 3, Target: TargetAccept, Services: []Named{{4, "ssh"}}}
	want := []Access{{Line: 3, Via: "target ACCEPT"}, {Line: 4, Via: "service ssh"}}
	if diff := cmp.Diff(want, open.Reach("tcp", 22, services)); diff != "" {
		t.Errorf("open zone (-want +got):\n%s", diff)
	}
	if got := want[1].String(); got != "anyone in the zone (service ssh, line 4)" {
		t.Errorf("String() = %q", got)
	}
}

func TestSourceString(t *testing.T) {
	tests := []struct {
		s    Source
		want string
	}{
		{Source{Address: "10.1.0.0/255.255.0.0"}, "10.1.0.0/16"},
		{Source{Address: "10.1.2.3"}, "10.1.2.3"},
		{Source{Address: "10.1.2.3/32"}, "10.1.2.3"},
		{Source{Address: "2001:db8::/32", Invert: true}, "not 2001:db8::/32"},
		{Source{MAC: "52:54:00:12:34:56"}, "mac:52:54:00:12:34:56"},
		{Source{IPSet: "admins"}, "ipset:admins"},
	}
	for _, tt := range tests {
		if got := tt.s.String(); got != tt.want {
			t.Errorf("%+v.String() = %q, want %q", tt.s, got, tt.want)
		}
	}
}

func TestParseUnreadable(t *testing.T) {
	bad := func() io.Reader { return iotest.ErrReader(errors.New("input/output error")) }
	if c, err := ParseConf(bad(), "firewalld.conf"); c != nil || err == nil {
		t.Errorf("ParseConf of an unreadable file: %v, %v", c, err)
	}
	if z, err := ParseZone(bad(), "z.xml"); z != nil || err == nil {
		t.Errorf("ParseZone of an unreadable file: %v, %v", z, err)
	}
	if s, err := ParseService(bad(), "s.xml"); s != nil || err == nil {
		t.Errorf("ParseService of an unreadable file: %v, %v", s, err)
	}
	var pe *parse.Error
	_, err := ParseZone(bad(), "z.xml")
	if !errors.As(err, &pe) || pe.File != "z.xml" || pe.Line != 0 {
		t.Errorf("error %v: want a *parse.Error for the whole file", err)
	}
}
