package firewall

import (
	"net/netip"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

var cmpRules = []cmp.Option{cmpopts.EquateEmpty(), cmp.Comparer(func(a, b netip.Prefix) bool { return a == b })}

func pfx(ss ...string) []netip.Prefix { return mustPrefixes(ss...) }

func TestFromIPTables(t *testing.T) {
	rs := ipt(t, "*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:svc - [0:0]\n"+
		"-A INPUT ! -s 10.0.0.0/255.0.0.0 -i eth+ -p tcp -m tcp --dport 1000:2000 -m conntrack --ctstate NEW,UNTRACKED -j svc\n"+
		"-A INPUT -p udp -m multiport --sports 53,123 -j ACCEPT\n"+
		"-A INPUT -m iprange --src-range 192.168.1.10-192.168.1.13 -g svc\n"+
		"-A INPUT -p tcp --dport ssh -j ACCEPT\n"+
		"-A INPUT -s 10.0.0.0/8 -m comment --comment \"lan\" -j LOG\n"+
		"-A FORWARD -j ACCEPT\n"+
		"-A svc -j RETURN\n"+
		"COMMIT\n", "")
	if len(rs.Families[IPv6]) != 0 || rs.Source != "iptables" {
		t.Fatalf("families %v, source %q", rs.Families, rs.Source)
	}
	want := []Chain{
		{Name: "INPUT", Table: "filter", Type: "filter", Hook: "input", Policy: "drop", Where: "v4:2", Rules: []Rule{
			{Where: "v4:5", Text: "-A INPUT ! -s 10.0.0.0/255.0.0.0 -i eth+ -p tcp -m tcp --dport 1000:2000 -m conntrack --ctstate NEW,UNTRACKED -j svc",
				Proto: "tcp", DPorts: []PortRange{{1000, 2000}}, Src: pfx("10.0.0.0/8"), SrcNot: true, InIface: "eth+",
				State: []string{"new", "untracked"}, Verdict: "jump:svc"},
			{Where: "v4:6", Text: "-A INPUT -p udp -m multiport --sports 53,123 -j ACCEPT",
				Proto: "udp", SPorts: []PortRange{{53, 53}, {123, 123}}, Verdict: "accept"},
			{Where: "v4:7", Text: "-A INPUT -m iprange --src-range 192.168.1.10-192.168.1.13 -g svc",
				Src: pfx("192.168.1.10/31", "192.168.1.12/31"), Verdict: "goto:svc"},
			// A service name is not looked up: the match is unknown.
			{Where: "v4:8", Text: "-A INPUT -p tcp --dport ssh -j ACCEPT", Proto: "tcp", Verdict: "accept", Unknown: true},
			{Where: "v4:9", Text: `-A INPUT -s 10.0.0.0/8 -m comment --comment "lan" -j LOG`, Src: pfx("10.0.0.0/8")},
		}},
		{Name: "FORWARD", Table: "filter", Type: "filter", Hook: "forward", Policy: "drop", Where: "v4:3", Rules: []Rule{
			{Where: "v4:10", Text: "-A FORWARD -j ACCEPT", Verdict: "accept"},
		}},
		{Name: "svc", Table: "filter", Type: "filter", Where: "v4:4", Rules: []Rule{
			{Where: "v4:11", Text: "-A svc -j RETURN", Verdict: "return"},
		}},
	}
	if diff := cmp.Diff(want, rs.Families[IPv4], cmpRules...); diff != "" {
		t.Errorf("chains (-want +got):\n%s", diff)
	}
	if _, err := FromIPTables(nil, nil); err == nil {
		t.Error("FromIPTables(nil, nil) gave no error")
	}
}

func TestFromNFT(t *testing.T) {
	rs := nft(t, inet("drop", []string{
		stmts(`{"match": {"op": "==", "left": {"meta": {"key": "l4proto"}}, "right": {"set": ["tcp", "udp"]}}}`,
			`{"match": {"op": "==", "left": {"payload": {"protocol": "th", "field": "dport"}}, "right": 53}}`, accept),
		stmts(saddr("ip6", "!=", `{"set": ["2001:db8::1", {"prefix": {"addr": "fd00::", "len": 8}}]}`),
			`{"match": {"op": "==", "left": {"meta": {"key": "iifname"}}, "right": {"set": ["eth0", "eth1"]}}}`, dport("tcp", "443"), `{"reject": null}`),
		stmts(`{"match": {"op": "==", "left": {"meta": {"key": "nfproto"}}, "right": "ipv4"}}`, `{"match": {"op": "==", "left": {"payload": {"protocol": "ip", "field": "daddr"}}, "right": "192.0.2.1"}}`, `{"goto": {"target": "x"}}`),
		stmts(`{"match": {"op": "==", "left": {"meta": {"key": "mark"}}, "right": 1}}`, `{"counter": null}`, accept, drop),
		stmts(`{"match": {"op": "==", "left": {"payload": {"protocol": "icmpv6", "field": "type"}}, "right": "nd-neighbor-solicit"}}`, accept),
		stmts(saddr("ip", "==", `"@empty"`), drop),
	}, `{"set": {"family": "inet", "table": "filter", "name": "empty", "type": "ipv4_addr", "handle": 9}}`))
	where := func(h string) string { return "nft table inet filter chain input handle " + h }
	v4 := []Rule{
		{Where: where("10"), Text: "meta l4proto { tcp, udp } th dport 53 accept", Proto: "tcp", DPorts: []PortRange{{53, 53}}, Verdict: "accept"},
		{Where: where("10"), Text: "meta l4proto { tcp, udp } th dport 53 accept", Proto: "udp", DPorts: []PortRange{{53, 53}}, Verdict: "accept"},
		{Where: where("12"), Text: "meta nfproto ipv4 ip daddr 192.0.2.1 goto x", Dst: pfx("192.0.2.1/32"), Verdict: "goto:x"},
		// Statements after the verdict never run.
		{Where: where("13"), Text: "mark 1 counter accept drop", Verdict: "accept", Unknown: true},
	}
	v6 := []Rule{
		v4[0], v4[1],
		{Where: where("11"), Text: "ip6 saddr != { 2001:db8::1, fd00::/8 } iifname { eth0, eth1 } tcp dport 443 reject",
			Proto: "tcp", DPorts: []PortRange{{443, 443}}, Src: pfx("2001:db8::1/128", "fd00::/8"), SrcNot: true, InIface: "eth0", Verdict: "reject"},
		{Where: where("11"), Text: "ip6 saddr != { 2001:db8::1, fd00::/8 } iifname { eth0, eth1 } tcp dport 443 reject",
			Proto: "tcp", DPorts: []PortRange{{443, 443}}, Src: pfx("2001:db8::1/128", "fd00::/8"), SrcNot: true, InIface: "eth1", Verdict: "reject"},
		v4[3],
		{Where: where("14"), Text: "icmpv6 type nd-neighbor-solicit accept",
			Proto: "ipv6-icmp", Verdict: "accept", Unknown: true},
	}
	for fam, want := range map[Family][]Rule{IPv4: v4, IPv6: v6} {
		chains := rs.Families[fam]
		if len(chains) != 1 || chains[0].Where != "nft table inet filter chain input" || chains[0].Table != "inet filter" {
			t.Fatalf("%s chains %+v", fam, chains)
		}
		if diff := cmp.Diff(want, chains[0].Rules, cmpRules...); diff != "" {
			t.Errorf("%s rules (-want +got):\n%s", fam, diff)
		}
	}
	if _, err := FromNFT(nil); err == nil {
		t.Error("FromNFT(nil) gave no error")
	}
	// Tables of other families are left out.
	other := nft(t, `{"nftables": [{"chain": {"family": "netdev", "table": "t", "name": "ingress", "type": "filter", "hook": "ingress", "dev": "eth0", "prio": -500, "policy": "drop"}}]}`)
	if len(other.Families) != 0 {
		t.Errorf("netdev chain kept: %+v", other.Families)
	}
}
