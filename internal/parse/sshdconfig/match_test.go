package sshdconfig

import "testing"

func TestWildcard(t *testing.T) {
	tests := []struct {
		s, p string
		want bool
	}{
		{"root", "root", true},
		{"root", "ro*", true},
		{"root", "*t", true},
		{"root", "r??t", true},
		{"root", "r?t", false},
		{"root", "*", true},
		{"", "*", true},
		{"", "", true},
		{"a", "", false},
		{"aes128-cbc", "*-cbc", true},
		{"aes128-cbc-x", "*-cbc", false},
		{"abcabd", "*ab?", true},
		{"host.example.com", "*.example.com", true},
		{"example.com", "*.example.com", false},
		{"Root", "root", false},
	}
	for _, tc := range tests {
		if got := wildcard(tc.s, tc.p); got != tc.want {
			t.Errorf("wildcard(%q, %q) = %v", tc.s, tc.p, got)
		}
	}
}

func TestMatchList(t *testing.T) {
	tests := []struct {
		s, list string
		want    int
	}{
		{"root", "root", 1},
		{"root", "bob,root", 1},
		{"root", "bob", 0},
		{"root", "*,!root", -1},
		{"root", "!root,*", -1},
		{"root", "!bob", 0},
		{"root", "!bob,*", 1},
	}
	for _, tc := range tests {
		if got := matchList(tc.s, tc.list, false); got != tc.want {
			t.Errorf("matchList(%q, %q) = %d", tc.s, tc.list, got)
		}
	}
	if matchList("host", "HO*", true) != 1 || matchList("host", "HO*", false) != 0 {
		t.Error("lower does not lower the patterns")
	}
}

func TestAddrMatchList(t *testing.T) {
	tests := []struct {
		addr, list string
		want       int
	}{
		{"10.0.0.1", "10.0.0.0/8", 1},
		{"10.1.2.3", "10.0.0.0/8,!10.1.0.0/16", -1},
		{"11.0.0.1", "10.0.0.0/8", 0},
		{"10.0.0.1", "10.0.0.1", 1},
		{"10.0.0.1", "10.0.0.*", 1},
		{"10.0.0.1", "10.0.0.?", 1},
		{"10.0.0.12", "10.0.0.?", 0},
		{"192.0.2.1", "!10.0.0.0/8", 0},
		{"2001:db8::1", "2001:db8::/32", 1},
		{"2001:db8::1", "10.0.0.0/8", 0},
		{"::ffff:10.0.0.1", "10.0.0.0/8", 1},
		{"not-an-address", "*", 0},
		{"10.0.0.1", "10.0.0.0/33", 0},
	}
	for _, tc := range tests {
		if got := addrMatchList(tc.addr, tc.list); got != tc.want {
			t.Errorf("addrMatchList(%q, %q) = %d, want %d", tc.addr, tc.list, got, tc.want)
		}
	}
	for list, want := range map[string]bool{"10.0.0.0/8": true, "10.0.0.1/8": false, "a,,b": false, "!": false,
		"10.*": true, "::/0": true, "2001:db8::1/32": false} {
		if got := validAddrList(list); got != want {
			t.Errorf("validAddrList(%q) = %v", list, got)
		}
	}
}

func TestCriterionHolds(t *testing.T) {
	root := &Conn{User: "root", Host: "Web1.Example.com", Addr: "10.0.0.5", LAddr: "192.0.2.1", LPort: 22,
		RDomain: "0", Groups: []string{"root", "wheel"}}
	tests := []struct {
		c    Criterion
		conn *Conn
		want bool
	}{
		{Criterion{AttrAll, ""}, nil, true},
		{Criterion{AttrUser, "root"}, nil, false},
		{Criterion{AttrUser, "root"}, root, true},
		{Criterion{AttrUser, "ROOT"}, root, false},
		{Criterion{AttrUser, "*,!root"}, root, false},
		{Criterion{AttrUser, "*"}, &Conn{}, false},
		{Criterion{AttrGroup, "wheel"}, root, true},
		{Criterion{AttrGroup, "adm,whe*"}, root, true},
		{Criterion{AttrGroup, "*,!root"}, root, false},
		{Criterion{AttrGroup, "wheel"}, &Conn{Groups: []string{"wheel"}}, false},
		{Criterion{AttrHost, "*.example.com"}, root, true},
		{Criterion{AttrHost, "WEB1.*"}, root, true},
		{Criterion{AttrHost, "*.example.com,!web1.*"}, root, false},
		{Criterion{AttrAddress, "10.0.0.0/8"}, root, true},
		{Criterion{AttrAddress, "10.0.0.0/8"}, &Conn{User: "root"}, false},
		{Criterion{AttrLocalAddress, "192.0.2.0/24"}, root, true},
		{Criterion{AttrLocalAddress, "10.0.0.0/8"}, root, false},
		{Criterion{AttrLocalPort, "22"}, root, true},
		{Criterion{AttrLocalPort, "2222"}, root, false},
		{Criterion{AttrLocalPort, "22"}, &Conn{}, false},
		{Criterion{AttrRDomain, "0"}, root, true},
		{Criterion{AttrRDomain, "1"}, root, false},
		{Criterion{"colour", "blue"}, root, false},
	}
	for _, tc := range tests {
		if got := tc.c.Holds(tc.conn); got != tc.want {
			t.Errorf("%+v on %+v = %v", tc.c, tc.conn, got)
		}
	}
}

func TestApplies(t *testing.T) {
	root := &Conn{User: "root", Addr: "10.0.0.5"}
	outer := &Match{Criteria: []Criterion{{AttrUser, "root"}}}
	inner := &Match{Criteria: []Criterion{{AttrAddress, "10.0.0.0/8"}}, Parent: outer}
	all := &Match{Criteria: []Criterion{{Attr: AttrAll}}, Parent: outer}
	tests := []struct {
		m    *Match
		conn *Conn
		want bool
	}{
		{nil, nil, true},
		{nil, root, true},
		{outer, root, true},
		{inner, root, true},
		{inner, &Conn{User: "bob", Addr: "10.0.0.5"}, false},
		{inner, &Conn{User: "root", Addr: "192.0.2.1"}, false},
		// "Match all" in a file included from a block is bound by it.
		{all, nil, false},
		{all, root, true},
		{&Match{Criteria: []Criterion{{Attr: AttrAll}}}, nil, true},
		// A Match line in error has no criteria: it never applies.
		{&Match{}, root, false},
		{&Match{Criteria: []Criterion{{AttrUser, "root"}, {AttrAddress, "192.0.2.0/24"}}}, root, false},
	}
	for i, tc := range tests {
		if got := tc.m.Applies(tc.conn); got != tc.want {
			t.Errorf("%d: Applies = %v", i, got)
		}
	}
}
