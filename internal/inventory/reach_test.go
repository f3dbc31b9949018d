package inventory

import (
	"strconv"
	"strings"
	"testing"

	"bastion/internal/firewall"
	"bastion/internal/parse/lsfilt"
)

// aixRule is one rule of lsfilt -v 4 output.
func aixRule(n int, action, src, mask, proto, dport, iface string) string {
	return "Rule " + strconv.Itoa(n) + ":\nRule action         : " + action + "\nSource Address      : " + src + "\nSource Mask         : " + mask +
		"\nDestination Address : 0.0.0.0\nDestination Mask    : 0.0.0.0\nSource Routing      : no\nProtocol            : " + proto +
		"\nSource Port         : any 0\nDestination Port    : " + dport + "\nScope               : both\nDirection           : inbound\nLogging control     : no\n" +
		"Fragment control    : all packets\nTunnel ID number    : 0\nInterface           : " + iface + "\nAuto-Generated      : no\nExpiration Time     : 0\nDescription         : test\n\n"
}

// AIX filter rules decide in order; a rule limited to an interface or a
// source lets in some clients only; rules not captured are unknown.
func TestAIXReach(t *testing.T) {
	parse := func(rules ...string) *lsfilt.File {
		f, err := lsfilt.Parse(strings.NewReader("Beginning of IPv4 filter rules.\n"+strings.Join(rules, "")+"End of IPv4 filter rules.\n"), "lsfilt-v4")
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	denyAll := aixRule(9, "deny", "0.0.0.0", "0.0.0.0", "all", "any 0", "all")
	for _, tc := range []struct {
		name  string
		f     *lsfilt.File
		proto string
		port  int
		want  firewall.Reach
		in    string // a word the answer names
	}{
		{"not captured", nil, "udp", 161, firewall.Unknown, "not captured"},
		{"no rules", parse(), "tcp", 22, firewall.Anywhere, "no IP security filter rules"},
		{"permit all first", parse(aixRule(1, "permit", "0.0.0.0", "0.0.0.0", "tcp", "eq  22", "all"), denyAll), "tcp", 22, firewall.Anywhere, "rule 1"},
		{"one interface", parse(aixRule(1, "permit", "0.0.0.0", "0.0.0.0", "udp", "eq  161", "en1"), denyAll), "udp", 161, firewall.Local, "en1"},
		{"a network", parse(aixRule(1, "permit", "10.0.0.0", "255.0.0.0", "tcp", "eq  23", "all"), denyAll), "tcp", 23, firewall.Local, "10.0.0.0"},
		{"denied", parse(aixRule(1, "permit", "10.0.0.0", "255.0.0.0", "tcp", "eq  23", "all"), denyAll), "tcp", 111, firewall.None, "rule 9"},
		{"deny on one interface only", parse(aixRule(1, "deny", "0.0.0.0", "0.0.0.0", "tcp", "eq  25", "en0"), aixRule(2, "permit", "0.0.0.0", "0.0.0.0", "all", "any 0", "all")), "tcp", 25, firewall.Anywhere, "rule 2"},
	} {
		got := aixReach(tc.f, tc.proto, tc.port)
		if got.Reach != tc.want || !strings.Contains(got.Why+" "+got.Where+" "+strings.Join(got.Sources, " "), tc.in) {
			t.Errorf("%s: %+v, want %s naming %q", tc.name, got, tc.want, tc.in)
		}
	}
}
