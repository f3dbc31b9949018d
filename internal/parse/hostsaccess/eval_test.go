package hostsaccess

import (
	"net/netip"
	"strings"
	"testing"
)

type decision struct {
	v     Verdict
	where string
}

func TestAllowedFixtures(t *testing.T) {
	allow := parseFixture(t, "hosts.allow")
	deny := parseFixture(t, "hosts.deny")
	const a, d = "/etc/hosts.allow:", "/etc/hosts.deny:"
	tests := []struct {
		daemon, client string
		want           decision
	}{
		{"sshd", "10.1.2.3", decision{Granted, a + "3"}},
		{"SSHD", "10.1.2.3", decision{Granted, a + "3"}}, // names match without regard to case
		// LOCAL needs the host name; without it hosts.deny refuses.
		{"sshd", "203.0.113.5", decision{Depends, a + "3"}},
		// LOCAL may match, but line 4 grants anyway.
		{"sshd", "2001:db8:100::5", decision{Granted, a + "4"}},
		{"sshd", "127.0.0.1", decision{Granted, a + "8"}},
		{"sshd", "::ffff:127.0.0.1", decision{Granted, a + "8"}},
		{"sshd", "::1", decision{Granted, a + "8"}},
		{"in.telnetd", "192.168.10.5", decision{Granted, a + "5"}},
		{"in.telnetd", "192.168.10.66", decision{Denied, d + "3"}},
		{"in.telnetd", "192.168.100.5", decision{Denied, d + "3"}},
		{"vsftpd", "10.1.1.1", decision{Depends, a + "6"}},
		{"in.tftpd", "10.9.3.3", decision{Granted, a + "9"}},
		{"in.tftpd", "10.8.3.3", decision{Denied, d + "3"}},
		{"in.fingerd", "10.1.1.1", decision{Denied, d + "2"}}, // twist: the daemon never runs
		{"sendmail", "198.51.100.1", decision{Granted, a + "10"}},
	}
	for _, tt := range tests {
		v, where := Allowed(allow, deny, tt.daemon, netip.MustParseAddr(tt.client))
		if got := (decision{v, where}); got != tt.want {
			t.Errorf("Allowed(%s, %s) = %v, %q; want %v, %q", tt.daemon, tt.client, v, where, tt.want.v, tt.want.where)
		}
	}
	if v, where := Allowed(nil, nil, "sshd", netip.MustParseAddr("10.0.0.1")); v != Granted || where != "" {
		t.Errorf("Allowed with no files = %v, %q; want granted by default", v, where)
	}
	if v, where := Allowed(nil, deny, "sshd", netip.MustParseAddr("10.0.0.1")); v != Denied || where != d+"3" {
		t.Errorf("Allowed with hosts.deny only = %v, %q", v, where)
	}
}

func TestAllowedPatterns(t *testing.T) {
	tests := []struct {
		name   string
		allow  string
		deny   string
		daemon string
		client string
		want   Verdict
	}{
		{"net/len", "sshd: 10.1.0.0/16\n", "ALL: ALL\n", "sshd", "10.1.200.1", Granted},
		{"net/len outside", "sshd: 10.1.0.0/16\n", "ALL: ALL\n", "sshd", "10.2.0.1", Denied},
		{"bits outside the mask match nothing", "sshd: 10.1.0.1/255.255.0.0\n", "ALL: ALL\n", "sshd", "10.1.0.1", Denied},
		{"full mask refused", "sshd: 10.1.0.1/255.255.255.255\n", "ALL: ALL\n", "sshd", "10.1.0.1", Denied},
		{"v6 prefix", "sshd: [2001:db8::]/32\n", "ALL: ALL\n", "sshd", "2001:db8:5::1", Granted},
		{"v6 prefix, v4 client", "sshd: [2001:db8::]/32\n", "ALL: ALL\n", "sshd", "10.0.0.1", Denied},
		{"v6 address", "sshd: [2001:DB8::1]\n", "ALL: ALL\n", "sshd", "2001:db8::1", Granted},
		{"address prefix", "sshd: 10.\n", "ALL: ALL\n", "sshd", "10.200.0.1", Granted},
		{"address prefix needs the dot", "sshd: 10.\n", "ALL: ALL\n", "sshd", "100.0.0.1", Denied},
		{"address", "sshd: 10.0.0.7\n", "ALL: ALL\n", "sshd", "10.0.0.7", Granted},
		{"other address", "sshd: 10.0.0.7\n", "ALL: ALL\n", "sshd", "10.0.0.70", Denied},
		{"wildcard on the address", "sshd: 10.0.0.*\n", "ALL: ALL\n", "sshd", "10.0.0.9", Granted},
		// A wildcard pattern is matched against the host name too, and
		// a name such as "10.0.0.evil.example" would match.
		{"wildcard may match a name", "sshd: 10.0.0.*\n", "ALL: ALL\n", "sshd", "10.0.1.9", Depends},
		{"domain", "sshd: .example.com\n", "ALL: ALL\n", "sshd", "10.0.0.1", Depends},
		{"host name", "sshd: gw.example.com\n", "ALL: ALL\n", "sshd", "10.0.0.1", Depends},
		{"KNOWN", "sshd: KNOWN\n", "ALL: ALL\n", "sshd", "10.0.0.1", Depends},
		{"PARANOID in hosts.deny", "", "ALL: PARANOID\n", "sshd", "10.0.0.1", Depends},
		{"netgroup", "sshd: @admins\n", "ALL: ALL\n", "sshd", "10.0.0.1", Depends},
		{"file of patterns", "sshd: /etc/sshd.hosts\n", "ALL: ALL\n", "sshd", "10.0.0.1", Depends},
		{"user@host, host matches", "sshd: root@10.0.0.0/8\n", "ALL: ALL\n", "sshd", "10.0.0.1", Depends},
		{"user@host, host does not", "sshd: root@10.0.0.0/8\n", "ALL: ALL\n", "sshd", "11.0.0.1", Denied},
		{"ALL@host", "sshd: ALL@10.0.0.0/8\n", "ALL: ALL\n", "sshd", "10.0.0.1", Granted},
		{"daemon@host", "sshd@192.0.2.1: ALL\n", "ALL: ALL\n", "sshd", "10.0.0.1", Depends},
		{"daemon@ALL", "sshd@ALL: ALL\n", "ALL: ALL\n", "sshd", "10.0.0.1", Granted},
		{"daemon@host, other daemon", "sshd@192.0.2.1: ALL\n", "ALL: ALL\n", "vsftpd", "10.0.0.1", Denied},
		{"daemon EXCEPT", "ALL EXCEPT in.fingerd: ALL\n", "ALL: ALL\n", "in.fingerd", "10.0.0.1", Denied},
		{"nested EXCEPT, inner exception", "sshd: ALL EXCEPT 10.0.0.0/8 except 10.1.0.0/16\n", "ALL: ALL\n", "sshd", "10.1.2.3", Granted},
		{"nested EXCEPT, outer exception", "sshd: ALL EXCEPT 10.0.0.0/8 EXCEPT 10.1.0.0/16\n", "ALL: ALL\n", "sshd", "10.2.0.1", Denied},
		{"EXCEPT on a name", "sshd: 10.0.0.0/8 EXCEPT .guest.example.com\n", "ALL: ALL\n", "sshd", "10.0.0.1", Depends},
		{"deny option in hosts.allow", "sshd: 10.0.0.0/8: deny\nsshd: ALL\n", "", "sshd", "10.0.0.1", Denied},
		{"allow option in hosts.deny", "", "sshd: 10.0.0.0/8: allow\nALL: ALL\n", "sshd", "10.0.0.1", Granted},
		{"bad option denies", "sshd: ALL: bogus\n", "", "sshd", "10.0.0.1", Denied},
		{"aclexec", "sshd: ALL: aclexec /usr/local/bin/check %a\n", "ALL: ALL\n", "sshd", "10.0.0.1", Depends},
		{"port number as daemon", "22: 10.0.0.0/8\n", "ALL: ALL\n", "22", "10.0.0.1", Granted},
		{"maybe rules that agree", "sshd: .example.com\nsshd: 10.0.0.0/8\n", "ALL: ALL\n", "sshd", "10.0.0.1", Granted},
		{"maybe rules that disagree", "sshd: .example.com\n", "sshd: LOCAL\n", "sshd", "10.0.0.1", Depends},
		{"mostly open", "", "ALL: .bad.example.com 203.0.113.\n", "sshd", "198.51.100.1", Depends},
		{"mostly open, address", "", "ALL: 203.0.113.\n", "sshd", "203.0.113.9", Denied},
		{"mostly open, other address", "", "ALL: 203.0.113.\n", "sshd", "198.51.100.1", Granted},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			allow := mustParseLoose(t, "hosts.allow", tt.allow)
			deny := mustParseLoose(t, "hosts.deny", tt.deny)
			v, where := Allowed(allow, deny, tt.daemon, netip.MustParseAddr(tt.client))
			if v != tt.want {
				t.Errorf("Allowed(%s, %s) = %v at %q, want %v", tt.daemon, tt.client, v, where, tt.want)
			}
		})
	}
}

// mustParseLoose parses a file that may have errors the test means.
func mustParseLoose(t *testing.T, name, text string) *File {
	t.Helper()
	f, _ := Parse(strings.NewReader(text), name)
	if f == nil {
		t.Fatalf("Parse(%q) returned no file", text)
	}
	return f
}

func TestAllowedWhere(t *testing.T) {
	allow := mustParse(t, "hosts.allow", "sshd: .example.com\nsshd: 10.0.0.0/8\n")
	deny := mustParse(t, "hosts.deny", "sshd: LOCAL\nALL: ALL\n")
	tests := []struct {
		client string
		want   decision
	}{
		// Line 1 may grant, line 2 grants: granted by line 2.
		{"10.0.0.1", decision{Granted, "hosts.allow:2"}},
		// Line 1 may grant; otherwise hosts.deny refuses.
		{"11.0.0.1", decision{Depends, "hosts.allow:1"}},
	}
	for _, tt := range tests {
		v, where := Allowed(allow, deny, "sshd", netip.MustParseAddr(tt.client))
		if got := (decision{v, where}); got != tt.want {
			t.Errorf("Allowed(%s) = %v, %q; want %v, %q", tt.client, v, where, tt.want.v, tt.want.where)
		}
	}
	// With no client address every pattern but ALL is undecided.
	if v, _ := Allowed(allow, deny, "sshd", netip.Addr{}); v != Depends {
		t.Errorf("Allowed with no address = %v, want %v", v, Depends)
	}
	if v, where := Allowed(nil, deny, "vsftpd", netip.Addr{}); v != Denied || where != "hosts.deny:2" {
		t.Errorf("Allowed(vsftpd) with no address = %v, %q; ALL: ALL decides", v, where)
	}
}

func TestVerdictString(t *testing.T) {
	for v, want := range map[Verdict]string{Granted: "granted", Denied: "denied", Depends: "depends on name lookups", 0: "invalid"} {
		if got := v.String(); got != want {
			t.Errorf("Verdict(%d).String() = %q, want %q", v, got, want)
		}
	}
}

func TestSummary(t *testing.T) {
	allow := parseFixture(t, "hosts.allow")
	deny := parseFixture(t, "hosts.deny")
	tests := []struct {
		name        string
		allow, deny *File
		daemon      string
		want        string
	}{
		{"fixture sshd", allow, deny, "sshd", "only 10.0.0.0/8, LOCAL, 2001:db8:100::/48, 127.0.0.1 and ::1"},
		{"fixture telnetd", allow, deny, "in.telnetd", "only 192.168.10.0/24 except 192.168.10.66, 127.0.0.1 and ::1"},
		{"fixture fingerd", allow, deny, "in.fingerd", "only 127.0.0.1 and ::1"},
		{"fixture sendmail", allow, deny, "sendmail", "everyone"},
		{"no files", nil, nil, "sshd", "everyone"},
		{"closed", nil, deny, "sshd", "no one"},
		{"brief example", mustParse(t, "a", "sshd: 10.0.0.0/255.0.0.0 LOCAL\n"), mustParse(t, "d", "ALL: ALL\n"), "sshd", "only 10.0.0.0/8 and LOCAL"},
		{"mostly open", nil, mustParse(t, "d", "ALL: .bad.example.com 203.0.113.\n"), "sshd", "everyone except .bad.example.com and 203.0.113.0/24"},
		{"ALL EXCEPT in hosts.deny", nil, mustParse(t, "d", "ALL: ALL EXCEPT 10.0.0.0/8\n"), "sshd", "only 10.0.0.0/8"},
		{"ALL EXCEPT with later rules", nil, mustParse(t, "d", "ALL: ALL EXCEPT 10.0.0.0/8\nsshd: 10.0.0.5\n"), "sshd", "only 10.0.0.0/8 (depending on later rules)"},
		{"ALL EXCEPT in hosts.allow", mustParse(t, "a", "sshd: ALL EXCEPT 203.0.113.0/24\n"), mustParse(t, "d", "ALL: ALL\n"), "sshd", "everyone except 203.0.113.0/24"},
		{"ALL EXCEPT, nothing after", mustParse(t, "a", "sshd: ALL EXCEPT 203.0.113.0/24\n"), nil, "sshd", "everyone"},
		{"single file", mustParse(t, "a", "ALL: .friendly.example: ALLOW\nALL: ALL: DENY\n"), nil, "sshd", "only .friendly.example"},
		{"allowed before denied", mustParse(t, "a", "sshd: 10.1.0.0/16\n"), mustParse(t, "d", "sshd: 10.0.0.0/8\n"), "sshd", "everyone except 10.0.0.0/8 (but 10.1.0.0/16 allowed first)"},
		{"denied before allowed", mustParse(t, "a", "sshd: 10.0.0.9: deny\nsshd: 10.0.0.0/8\n"), mustParse(t, "d", "ALL: ALL\n"), "sshd", "only 10.0.0.0/8 (but 10.0.0.9 denied first)"},
		{"aclexec", mustParse(t, "a", "sshd: 10.0.0.0/8: aclexec /bin/check %a\n"), mustParse(t, "d", "ALL: ALL\n"), "sshd", "only 10.0.0.0/8 (if its aclexec command agrees)"},
		{"daemon@host", mustParse(t, "a", "sshd@192.0.2.1: ALL\n"), mustParse(t, "d", "ALL: ALL\n"), "sshd", "everyone (on some local addresses)"},
		{"daemon@host denied", nil, mustParse(t, "d", "sshd@192.0.2.1: ALL\n"), "sshd", "no one (on some local addresses)"},
		{"other daemon", mustParse(t, "a", "vsftpd: 10.0.0.0/8\n"), mustParse(t, "d", "vsftpd: ALL\n"), "sshd", "everyone"},
		{"two lists with exceptions", mustParse(t, "a", "sshd: 10.0.0.0/8 [2001:db8::]/32 EXCEPT 10.0.0.1\n"), mustParse(t, "d", "ALL: ALL\n"), "sshd", "only (10.0.0.0/8 and 2001:db8::/32) except 10.0.0.1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Summary(tt.allow, tt.deny, tt.daemon); got != tt.want {
				t.Errorf("Summary(%s) = %q, want %q", tt.daemon, got, tt.want)
			}
		})
	}
}
