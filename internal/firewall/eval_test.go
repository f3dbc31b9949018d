package firewall

import (
	"fmt"
	"net/netip"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"bastion/internal/parse/iptsave"
	"bastion/internal/parse/nftjson"
)

// ipt builds a ruleset from iptables-save and ip6tables-save text; ""
// stands for no file.
func ipt(t *testing.T, v4, v6 string) *Ruleset {
	t.Helper()
	var files [2]*iptsave.File
	for i, text := range []string{v4, v6} {
		if text == "" {
			continue
		}
		f, err := iptsave.Parse(strings.NewReader(text), []string{"v4", "v6"}[i])
		if err != nil {
			t.Fatalf("iptsave.Parse: %v", err)
		}
		files[i] = f
	}
	rs, err := FromIPTables(files[0], files[1])
	if err != nil {
		t.Fatalf("FromIPTables: %v", err)
	}
	return rs
}

// nft builds a ruleset from "nft -j list ruleset" text.
func nft(t *testing.T, text string) *Ruleset {
	t.Helper()
	src, err := nftjson.Parse(strings.NewReader(text), "nft")
	if err != nil {
		t.Fatalf("nftjson.Parse: %v", err)
	}
	rs, err := FromNFT(src)
	if err != nil {
		t.Fatalf("FromNFT: %v", err)
	}
	return rs
}

// inet writes the JSON of an inet filter table with an input chain of the
// policy and the rules given (each a JSON list of statements), handles
// counting from 10, and extra objects after them.
func inet(policy string, rules []string, extra ...string) string {
	objs := []string{
		`{"metainfo": {"version": "1.0.6", "json_schema_version": 1}}`,
		`{"table": {"family": "inet", "name": "filter", "handle": 1}}`,
		fmt.Sprintf(`{"chain": {"family": "inet", "table": "filter", "name": "input", "handle": 1, "type": "filter", "hook": "input", "prio": 0, "policy": %q}}`, policy),
	}
	for i, r := range rules {
		objs = append(objs, fmt.Sprintf(`{"rule": {"family": "inet", "table": "filter", "chain": "input", "handle": %d, "expr": %s}}`, 10+i, r))
	}
	objs = append(objs, extra...)
	return `{"nftables": [` + strings.Join(objs, ",\n") + `]}`
}

// Statements of nft JSON, as nft writes them.
func dport(proto, right string) string {
	return fmt.Sprintf(`{"match": {"op": "==", "left": {"payload": {"protocol": %q, "field": "dport"}}, "right": %s}}`, proto, right)
}

func saddr(family, op, right string) string {
	return fmt.Sprintf(`{"match": {"op": %q, "left": {"payload": {"protocol": %q, "field": "saddr"}}, "right": %s}}`, op, family, right)
}

func stmts(s ...string) string { return "[" + strings.Join(s, ", ") + "]" }

const (
	accept  = `{"accept": null}`
	drop    = `{"drop": null}`
	counter = `{"counter": {"packets": 0, "bytes": 0}}`
)

// query is one socket asked about and the answer wanted.
type query struct {
	proto   string
	listen  string
	port    int
	reach   Reach
	sources []string // for Local and Unknown
	where   string   // "" to skip
	why     string   // a part of Why; "" to skip
}

func check(t *testing.T, rs *Ruleset, qs ...query) {
	t.Helper()
	for _, q := range qs {
		v := Evaluate(rs, q.proto, netip.MustParseAddr(q.listen), q.port)
		name := fmt.Sprintf("%s %s port %d", q.proto, q.listen, q.port)
		if v.Reach != q.reach {
			t.Errorf("%s: reach %s, want %s (%+v)", name, v.Reach, q.reach, v)
			continue
		}
		var got []string
		for _, p := range v.Sources {
			got = append(got, p.String())
		}
		if diff := cmp.Diff(q.sources, got, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("%s: sources (-want +got):\n%s", name, diff)
		}
		if q.where != "" && v.Where != q.where {
			t.Errorf("%s: where %q, want %q (why %q)", name, v.Where, q.where, v.Why)
		}
		if !strings.Contains(v.Why, q.why) || v.Why == "" || strings.Contains(v.Why, "\n") {
			t.Errorf("%s: why %q, want one line with %q", name, v.Why, q.why)
		}
	}
}

// v6drop is an ip6tables-save that drops everything, for tests about IPv4
// that ask about "::" too.
const v6drop = "*filter\n:INPUT DROP [0:0]\nCOMMIT\n"

func TestDefaultDropOneAccept(t *testing.T) {
	t.Run("iptables", func(t *testing.T) {
		rs := ipt(t, "*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT\nCOMMIT\n", v6drop)
		check(t, rs,
			query{proto: "tcp", listen: "0.0.0.0", port: 22, reach: Anywhere, where: "v4:5", why: "-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT"},
			query{proto: "tcp", listen: "0.0.0.0", port: 80, reach: None, where: "v4:2", why: "policy drop of chain INPUT"},
			query{proto: "udp", listen: "0.0.0.0", port: 22, reach: None},
			query{proto: "tcp6", listen: "::", port: 22, reach: Anywhere, where: "v4:5", why: "IPv4: accepted by"},
			query{proto: "tcp", listen: "192.0.2.10", port: 22, reach: Anywhere},
		)
	})
	t.Run("nftables", func(t *testing.T) {
		rs := nft(t, inet("drop", []string{stmts(dport("tcp", "22"), counter, accept)}))
		check(t, rs,
			query{proto: "tcp", listen: "0.0.0.0", port: 22, reach: Anywhere, where: "nft table inet filter chain input handle 10", why: "tcp dport 22 counter accept"},
			query{proto: "tcp", listen: "::", port: 80, reach: None, where: "nft table inet filter chain input", why: "policy drop"},
			query{proto: "tcp", listen: "2001:db8::1", port: 22, reach: Anywhere},
		)
	})
}

func TestSourceNetwork(t *testing.T) {
	t.Run("iptables", func(t *testing.T) {
		rs := ipt(t, "*filter\n:INPUT DROP [0:0]\n-A INPUT -s 10.0.0.0/8 -p tcp -m tcp --dport 5432 -j ACCEPT\nCOMMIT\n", v6drop)
		check(t, rs,
			query{proto: "tcp", listen: "0.0.0.0", port: 5432, reach: Local, sources: []string{"10.0.0.0/8"}, where: "v4:3", why: "accepted from 10.0.0.0/8 only"},
			query{proto: "tcp", listen: "::", port: 5432, reach: Local, sources: []string{"10.0.0.0/8"}},
			query{proto: "tcp", listen: "::", port: 5433, reach: None},
		)
	})
	t.Run("nftables", func(t *testing.T) {
		rs := nft(t, inet("drop", []string{
			stmts(saddr("ip", "==", `{"prefix": {"addr": "10.0.0.0", "len": 8}}`), dport("tcp", "5432"), accept),
			stmts(saddr("ip6", "==", `{"prefix": {"addr": "fd00::", "len": 8}}`), dport("tcp", "5432"), accept),
		}))
		check(t, rs,
			query{proto: "tcp", listen: "0.0.0.0", port: 5432, reach: Local, sources: []string{"10.0.0.0/8"}, where: "nft table inet filter chain input handle 10"},
			query{proto: "tcp", listen: "::", port: 5432, reach: Local, sources: []string{"fd00::/8", "10.0.0.0/8"}},
			query{proto: "tcp", listen: "fd00::5", port: 5432, reach: Local, sources: []string{"fd00::/8"}, where: "nft table inet filter chain input handle 11"},
		)
	})
	t.Run("public network and negation", func(t *testing.T) {
		rs := ipt(t, "*filter\n:INPUT DROP [0:0]\n"+
			"-A INPUT -s 203.0.113.0/24 -p tcp --dport 22 -j ACCEPT\n"+
			"-A INPUT ! -s 10.0.0.0/8 -p tcp --dport 25 -j ACCEPT\n"+
			"-A INPUT -s 10.0.0.0/8 -p tcp --dport 110 -j ACCEPT\n"+
			"-A INPUT -s 192.168.1.0/24 -p tcp --dport 110 -j ACCEPT\n"+
			"COMMIT\n", v6drop)
		check(t, rs,
			// One public network is some networks, not anywhere.
			query{proto: "tcp", listen: "0.0.0.0", port: 22, reach: Local, sources: []string{"203.0.113.0/24"}},
			// Everything but a private network is anywhere.
			query{proto: "tcp", listen: "0.0.0.0", port: 25, reach: Anywhere, where: "v4:4"},
			query{proto: "tcp", listen: "0.0.0.0", port: 110, reach: Local, sources: []string{"10.0.0.0/8", "192.168.1.0/24"}, where: "v4:5"},
		)
	})
}

func TestLoopbackListener(t *testing.T) {
	open := ipt(t, "*filter\n:INPUT ACCEPT [0:0]\nCOMMIT\n", "")
	for _, rs := range []*Ruleset{nil, open} {
		check(t, rs,
			query{proto: "tcp", listen: "127.0.0.1", port: 631, reach: Loopback, where: "listen 127.0.0.1", why: "loopback"},
			query{proto: "tcp", listen: "127.0.0.53", port: 53, reach: Loopback},
			query{proto: "tcp", listen: "::1", port: 631, reach: Loopback, where: "listen ::1"},
			query{proto: "udp", listen: "::ffff:127.0.0.1", port: 323, reach: Loopback},
		)
	}
}

func TestIPv6WithoutRules(t *testing.T) {
	t.Run("iptables", func(t *testing.T) {
		rs := ipt(t, "*filter\n:INPUT DROP [0:0]\nCOMMIT\n", "")
		check(t, rs,
			query{proto: "tcp", listen: "::", port: 22, reach: Anywhere, why: "IPv6: no ip6 input chain"},
			query{proto: "tcp", listen: "0.0.0.0", port: 22, reach: None, where: "v4:2"},
			query{proto: "tcp", listen: "2001:db8::10", port: 22, reach: Anywhere},
			query{proto: "tcp", listen: "::ffff:192.0.2.1", port: 22, reach: None},
		)
	})
	t.Run("nftables ip table only", func(t *testing.T) {
		rs := nft(t, `{"nftables": [{"table": {"family": "ip", "name": "filter", "handle": 1}},
			{"chain": {"family": "ip", "table": "filter", "name": "INPUT", "handle": 1, "type": "filter", "hook": "input", "prio": 0, "policy": "drop"}}]}`)
		check(t, rs,
			query{proto: "tcp", listen: "::", port: 22, reach: Anywhere, why: "no ip6 input chain"},
			query{proto: "tcp", listen: "0.0.0.0", port: 22, reach: None, where: "nft table ip filter chain INPUT"},
		)
	})
}

func TestNoFilter(t *testing.T) {
	empty := nft(t, `{"nftables": [{"metainfo": {"version": "1.0.6", "json_schema_version": 1}}]}`)
	for _, rs := range []*Ruleset{nil, empty} {
		check(t, rs,
			query{proto: "tcp", listen: "0.0.0.0", port: 22, reach: Anywhere},
			query{proto: "udp", listen: "::", port: 161, reach: Anywhere},
		)
	}
	if v := Evaluate(nil, "tcp", netip.MustParseAddr("0.0.0.0"), 22); !strings.Contains(v.Why, "no packet filter") {
		t.Errorf("nil ruleset: why %q", v.Why)
	}
	// Only the filter table counts: a nat table drops nothing.
	natOnly := ipt(t, "*nat\n:PREROUTING ACCEPT [0:0]\nCOMMIT\n", "")
	check(t, natOnly, query{proto: "tcp", listen: "0.0.0.0", port: 22, reach: Anywhere, why: "no ip input chain"})
}

func TestDefaultAccept(t *testing.T) {
	rs := ipt(t, "*filter\n:INPUT ACCEPT [10:600]\n-A INPUT -p tcp --dport 23 -j DROP\nCOMMIT\n", "*filter\n:INPUT ACCEPT [0:0]\nCOMMIT\n")
	check(t, rs,
		query{proto: "tcp", listen: "0.0.0.0", port: 80, reach: Anywhere, where: "v4:2", why: "policy accept of chain INPUT"},
		query{proto: "tcp", listen: "0.0.0.0", port: 23, reach: None, where: "v4:3"},
		query{proto: "tcp", listen: "::", port: 23, reach: Anywhere, where: "v6:2"},
	)
	// A base chain with no policy written accepts.
	rs = nft(t, `{"nftables": [{"table": {"family": "inet", "name": "f", "handle": 1}},
		{"chain": {"family": "inet", "table": "f", "name": "in", "handle": 1, "type": "filter", "hook": "input", "prio": 0}}]}`)
	check(t, rs, query{proto: "tcp", listen: "0.0.0.0", port: 80, reach: Anywhere, why: "policy accept"})
}

func TestEstablishedOnly(t *testing.T) {
	rs := ipt(t, "*filter\n:INPUT DROP [0:0]\n-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n-A INPUT -m state --state INVALID -j DROP\nCOMMIT\n", v6drop)
	check(t, rs, query{proto: "tcp", listen: "0.0.0.0", port: 22, reach: None, where: "v4:2"})
	rs = nft(t, inet("drop", []string{
		stmts(`{"match": {"op": "in", "left": {"ct": {"key": "state"}}, "right": ["established", "related"]}}`, accept),
		stmts(`{"match": {"op": "!=", "left": {"ct": {"key": "state"}}, "right": "new"}}`, dport("tcp", "80"), accept),
	}))
	check(t, rs, query{proto: "tcp", listen: "::", port: 80, reach: None})
	// A new-only accept lets the connection in.
	rs = nft(t, inet("drop", []string{stmts(dport("tcp", "80"), `{"match": {"op": "in", "left": {"ct": {"key": "state"}}, "right": "new"}}`, accept)}))
	check(t, rs, query{proto: "tcp", listen: "::", port: 80, reach: Anywhere})
}

func TestJumpAndReturn(t *testing.T) {
	t.Run("return stops the accept after it", func(t *testing.T) {
		rs := ipt(t, "*filter\n:INPUT DROP [0:0]\n:admin - [0:0]\n"+
			"-A INPUT -p tcp -m tcp --dport 22 -j admin\n"+
			"-A admin -s 10.0.0.0/8 -j ACCEPT\n"+
			"-A admin -j RETURN\n"+
			"-A admin -j ACCEPT\n"+
			"COMMIT\n", v6drop)
		check(t, rs,
			query{proto: "tcp", listen: "0.0.0.0", port: 22, reach: Local, sources: []string{"10.0.0.0/8"}, where: "v4:5"},
			query{proto: "tcp", listen: "0.0.0.0", port: 80, reach: None},
		)
	})
	t.Run("what returns goes on in the caller", func(t *testing.T) {
		rs := ipt(t, "*filter\n:INPUT DROP [0:0]\n:blocklist - [0:0]\n"+
			"-A INPUT -j blocklist\n"+
			"-A INPUT -p tcp -m tcp --dport 443 -j ACCEPT\n"+
			"-A blocklist -s 192.0.2.0/24 -j DROP\n"+
			"-A blocklist -j RETURN\n"+
			"COMMIT\n", v6drop)
		check(t, rs, query{proto: "tcp", listen: "0.0.0.0", port: 443, reach: Anywhere, where: "v4:5"})
		v := Evaluate(rs, "tcp", netip.MustParseAddr("0.0.0.0"), 80)
		if v.Reach != None || v.Where != "v4:2" {
			t.Errorf("port 80: %+v, want none by the policy (the biggest drop)", v)
		}
	})
	t.Run("goto returns to the caller's caller", func(t *testing.T) {
		rs := ipt(t, "*filter\n:INPUT DROP [0:0]\n:a - [0:0]\n:b - [0:0]\n"+
			"-A INPUT -p tcp -j a\n"+
			"-A INPUT -p tcp --dport 8080 -j ACCEPT\n"+
			"-A a -g b\n"+
			"-A a -j DROP\n"+
			"-A b -s 10.0.0.0/8 -j DROP\n"+
			"COMMIT\n", v6drop)
		// b falls off its end back to INPUT, not to a's DROP.
		check(t, rs, query{proto: "tcp", listen: "0.0.0.0", port: 8080, reach: Anywhere, where: "v4:6"})
	})
	t.Run("nftables", func(t *testing.T) {
		rs := nft(t, inet("drop",
			[]string{stmts(dport("tcp", "8080"), `{"jump": {"target": "web"}}`), stmts(dport("tcp", "8080"), accept)},
			`{"chain": {"family": "inet", "table": "filter", "name": "web", "handle": 2}}`,
			`{"rule": {"family": "inet", "table": "filter", "chain": "web", "handle": 30, "expr": [`+saddr("ip", "==", `{"prefix": {"addr": "192.0.2.0", "len": 24}}`)+`, {"drop": null}]}}`,
			`{"rule": {"family": "inet", "table": "filter", "chain": "web", "handle": 31, "expr": [{"return": null}]}}`,
		))
		check(t, rs, query{proto: "tcp", listen: "0.0.0.0", port: 8080, reach: Anywhere, where: "nft table inet filter chain input handle 11"})
	})
}

func TestMultiport(t *testing.T) {
	rs := ipt(t, "*filter\n:INPUT DROP [0:0]\n"+
		"-A INPUT -p tcp -m multiport --dports 80,443,8000:8100 -j ACCEPT\n"+
		"-A INPUT -p udp -m multiport ! --dports 0:1023 -j ACCEPT\n"+
		"COMMIT\n", v6drop)
	check(t, rs,
		query{proto: "tcp", listen: "0.0.0.0", port: 443, reach: Anywhere},
		query{proto: "tcp", listen: "0.0.0.0", port: 8050, reach: Anywhere},
		query{proto: "tcp", listen: "0.0.0.0", port: 8101, reach: None},
		query{proto: "udp", listen: "0.0.0.0", port: 443, reach: None},
		query{proto: "udp", listen: "0.0.0.0", port: 5353, reach: Anywhere, where: "v4:4"},
	)
}

func TestNFTSetsAndRanges(t *testing.T) {
	rs := nft(t, inet("drop",
		[]string{
			stmts(dport("tcp", `{"set": [22, 80]}`), accept),
			stmts(dport("tcp", `{"range": [1000, 2000]}`), accept),
			stmts(dport("udp", `"@udp_ports"`), accept),
			stmts(saddr("ip", "==", `"@admins"`), dport("tcp", "9000"), accept),
			stmts(`{"match": {"op": "<", "left": {"payload": {"protocol": "tcp", "field": "dport"}}, "right": 10}}`, accept),
		},
		`{"set": {"family": "inet", "table": "filter", "name": "udp_ports", "type": "inet_service", "handle": 5, "flags": ["interval"], "elem": [53, {"range": [60000, 61000]}]}}`,
		`{"set": {"family": "inet", "table": "filter", "name": "admins", "type": "ipv4_addr", "handle": 6, "flags": ["interval"], "elem": [{"prefix": {"addr": "192.168.10.0", "len": 24}}, {"range": ["10.1.0.0", "10.1.255.255"]}]}}`,
	))
	check(t, rs,
		query{proto: "tcp", listen: "0.0.0.0", port: 22, reach: Anywhere, why: "tcp dport { 22, 80 } accept"},
		query{proto: "tcp", listen: "0.0.0.0", port: 80, reach: Anywhere},
		query{proto: "tcp", listen: "0.0.0.0", port: 443, reach: None},
		query{proto: "tcp", listen: "0.0.0.0", port: 1500, reach: Anywhere, where: "nft table inet filter chain input handle 11"},
		query{proto: "tcp", listen: "0.0.0.0", port: 2001, reach: None},
		query{proto: "udp", listen: "::", port: 60500, reach: Anywhere, where: "nft table inet filter chain input handle 12"},
		query{proto: "udp", listen: "::", port: 61001, reach: None},
		query{proto: "tcp", listen: "::", port: 9000, reach: Local, sources: []string{"10.1.0.0/16", "192.168.10.0/24"}},
		query{proto: "tcp", listen: "0.0.0.0", port: 9, reach: Anywhere, where: "nft table inet filter chain input handle 14"},
	)
}

func TestInterfaces(t *testing.T) {
	t.Run("lo accept opens nothing else", func(t *testing.T) {
		rs := ipt(t, "*filter\n:INPUT DROP [0:0]\n-A INPUT -i lo -j ACCEPT\nCOMMIT\n", "*filter\n:INPUT DROP [0:0]\n-A INPUT -i lo -j ACCEPT\nCOMMIT\n")
		check(t, rs,
			query{proto: "tcp", listen: "0.0.0.0", port: 80, reach: None, where: "v4:2"},
			query{proto: "tcp", listen: "::", port: 80, reach: None},
		)
		rs = nft(t, inet("drop", []string{stmts(`{"match": {"op": "==", "left": {"meta": {"key": "iif"}}, "right": "lo"}}`, accept)}))
		check(t, rs, query{proto: "tcp", listen: "::", port: 80, reach: None})
	})
	t.Run("an accept on one interface", func(t *testing.T) {
		rs := ipt(t, "*filter\n:INPUT DROP [0:0]\n"+
			"-A INPUT -i eth1 -p tcp --dport 8080 -j ACCEPT\n"+
			"-A INPUT ! -i lo -p tcp --dport 8081 -j ACCEPT\n"+
			"-A INPUT -i wg+ -p udp --dport 53 -j ACCEPT\n"+
			"COMMIT\n", v6drop)
		check(t, rs,
			query{proto: "tcp", listen: "0.0.0.0", port: 8080, reach: Anywhere, where: "v4:3", why: "only for packets arriving on eth1"},
			query{proto: "tcp", listen: "0.0.0.0", port: 8081, reach: Anywhere, where: "v4:4"},
			query{proto: "udp", listen: "0.0.0.0", port: 53, reach: Anywhere, why: "arriving on wg+"},
		)
		if v := Evaluate(rs, "tcp", netip.MustParseAddr("0.0.0.0"), 8081); strings.Contains(v.Why, "only for") {
			t.Errorf("an accept on every interface but lo is noted as restricted: %q", v.Why)
		}
	})
	t.Run("nft wildcard and negation", func(t *testing.T) {
		rs := nft(t, inet("drop", []string{
			stmts(`{"match": {"op": "!=", "left": {"meta": {"key": "iifname"}}, "right": "eth0"}}`, dport("tcp", "99"), accept),
			stmts(`{"match": {"op": "==", "left": {"meta": {"key": "iifname"}}, "right": "veth*"}}`, dport("tcp", "98"), accept),
		}))
		check(t, rs,
			query{proto: "tcp", listen: "0.0.0.0", port: 99, reach: Anywhere, why: "arriving on veth*, other interfaces"},
			query{proto: "tcp", listen: "0.0.0.0", port: 98, reach: Anywhere, why: "arriving on veth*"},
		)
	})
}

func TestDestinationAddress(t *testing.T) {
	rs := ipt(t, "*filter\n:INPUT DROP [0:0]\n-A INPUT -d 192.0.2.10/32 -p tcp --dport 22 -j ACCEPT\nCOMMIT\n", v6drop)
	check(t, rs,
		query{proto: "tcp", listen: "0.0.0.0", port: 22, reach: Anywhere, why: "sent to 192.0.2.10"},
		query{proto: "tcp", listen: "192.0.2.10", port: 22, reach: Anywhere},
		query{proto: "tcp", listen: "192.0.2.20", port: 22, reach: None},
	)
	// A drop of some destinations restricts nothing worth a note.
	rs = ipt(t, "*filter\n:INPUT DROP [0:0]\n-A INPUT -d 224.0.0.0/4 -j DROP\n-A INPUT -p tcp --dport 22 -j ACCEPT\nCOMMIT\n", v6drop)
	check(t, rs, query{proto: "tcp", listen: "0.0.0.0", port: 22, reach: Anywhere, where: "v4:4"})
	if v := Evaluate(rs, "tcp", netip.MustParseAddr("0.0.0.0"), 22); v.Why != "accepted by -A INPUT -p tcp --dport 22 -j ACCEPT" {
		t.Errorf("why %q", v.Why)
	}
}

func TestUnknownMatch(t *testing.T) {
	t.Run("an ipset accept is unknown", func(t *testing.T) {
		rs := ipt(t, "*filter\n:INPUT DROP [0:0]\n"+
			"-A INPUT -p tcp -m set --match-set trusted src -m tcp --dport 3306 -j ACCEPT\n"+
			"-A INPUT -p tcp --dport 22 -j ACCEPT\n"+
			"COMMIT\n", v6drop)
		check(t, rs,
			query{proto: "tcp", listen: "0.0.0.0", port: 3306, reach: Unknown, where: "v4:3", why: "may let in any IPv4 source"},
			// The rule cannot match port 22: it does not matter.
			query{proto: "tcp", listen: "0.0.0.0", port: 22, reach: Anywhere, where: "v4:4"},
		)
	})
	t.Run("a later certain drop makes it moot", func(t *testing.T) {
		rs := ipt(t, "*filter\n:INPUT ACCEPT [0:0]\n"+
			"-A INPUT -p tcp -m set --match-set bad src -m tcp --dport 25 -j ACCEPT\n"+
			"-A INPUT -p tcp -m set --match-set worse src -m tcp --dport 25 -j DROP\n"+
			"-A INPUT -p tcp -m tcp --dport 25 -j DROP\n"+
			"COMMIT\n", v6drop)
		v := Evaluate(rs, "tcp", netip.MustParseAddr("0.0.0.0"), 25)
		// The first rule could accept: that is not moot.
		if v.Reach != Unknown || v.Where != "v4:3" {
			t.Errorf("accept not understood: %+v", v)
		}
		rs = ipt(t, "*filter\n:INPUT ACCEPT [0:0]\n"+
			"-A INPUT -p tcp -m set --match-set worse src -m tcp --dport 25 -j DROP\n"+
			"-A INPUT -p tcp -m tcp --dport 25 -j DROP\n"+
			"COMMIT\n", v6drop)
		check(t, rs, query{proto: "tcp", listen: "0.0.0.0", port: 25, reach: None, where: "v4:4"})
	})
	t.Run("accepted either way", func(t *testing.T) {
		rs := ipt(t, "*filter\n:INPUT DROP [0:0]\n"+
			"-A INPUT -p tcp -m geoip --src-cc XX -m tcp --dport 443 -j ACCEPT\n"+
			"-A INPUT -p tcp -m tcp --dport 443 -j ACCEPT\n"+
			"COMMIT\n", v6drop)
		check(t, rs, query{proto: "tcp", listen: "0.0.0.0", port: 443, reach: Anywhere, where: "v4:4"})
	})
	t.Run("a blocklist not understood", func(t *testing.T) {
		rs := ipt(t, "*filter\n:INPUT DROP [0:0]\n"+
			"-A INPUT -m set --match-set blocked src -j DROP\n"+
			"-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT\n"+
			"COMMIT\n", v6drop)
		check(t, rs, query{proto: "tcp", listen: "0.0.0.0", port: 22, reach: Unknown, where: "v4:3"})
	})
	t.Run("certain anywhere wins over unknown", func(t *testing.T) {
		rs := ipt(t, "*filter\n:INPUT DROP [0:0]\n"+
			"-A INPUT -s 10.0.0.0/8 -m set --match-set x src -j DROP\n"+
			"-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT\n"+
			"COMMIT\n", v6drop)
		check(t, rs, query{proto: "tcp", listen: "0.0.0.0", port: 22, reach: Anywhere, where: "v4:4"})
	})
	t.Run("verdicts not understood", func(t *testing.T) {
		rs := ipt(t, "*filter\n:INPUT DROP [0:0]\n"+
			"-A INPUT -p tcp -m tcp --dport 80 -j NFQUEUE --queue-num 0\n"+
			"-A INPUT -p tcp -m tcp --dport 81 -j LOG\n"+
			"COMMIT\n", v6drop)
		check(t, rs,
			query{proto: "tcp", listen: "0.0.0.0", port: 80, reach: Unknown, where: "v4:3"},
			// LOG goes on; the policy drops.
			query{proto: "tcp", listen: "0.0.0.0", port: 81, reach: None},
		)
		rs = nft(t, inet("drop", []string{
			stmts(dport("tcp", "80"), `{"vmap": {"key": {"meta": {"key": "iifname"}}, "data": {"set": [["eth0", {"accept": null}]]}}}`),
			stmts(dport("tcp", "81"), `{"jump": {"target": "missing"}}`),
			stmts(`{"xt": {"type": "match", "name": "conntrack"}}`, dport("tcp", "82"), accept),
			stmts(`{"xt": {"type": "match", "name": "comment"}}`, dport("tcp", "83"), accept),
		}))
		check(t, rs,
			query{proto: "tcp", listen: "0.0.0.0", port: 80, reach: Unknown, where: "nft table inet filter chain input handle 10"},
			query{proto: "tcp", listen: "0.0.0.0", port: 81, reach: Unknown, where: "nft table inet filter chain input handle 11"},
			query{proto: "tcp", listen: "0.0.0.0", port: 82, reach: Unknown, where: "nft table inet filter chain input handle 12"},
			query{proto: "tcp", listen: "0.0.0.0", port: 83, reach: Anywhere},
		)
	})
}

// TestFirstPacket checks the matches that look at what the first packet
// of a connection is: a SYN, to a local unicast address, from a remote
// one, from some source port, maybe over a rate limit.
func TestFirstPacket(t *testing.T) {
	rs := ipt(t, "*filter\n:INPUT DROP [0:0]\n"+
		"-A INPUT -p tcp -m tcp ! --syn -m conntrack --ctstate NEW -j DROP\n"+
		"-A INPUT -p tcp -m tcp ! --tcp-flags FIN,SYN,RST,ACK SYN -m state --state NEW -j DROP\n"+
		"-A INPUT -f -j DROP\n"+
		"-A INPUT -m addrtype --dst-type BROADCAST -j DROP\n"+
		"-A INPUT -m pkttype --pkt-type multicast -j DROP\n"+
		"-A INPUT -p tcp -m tcp --dport 22 -m conntrack --ctstate NEW -m recent --set --name ssh\n"+
		"-A INPUT -p tcp -m tcp --dport 22 -m conntrack --ctstate NEW -m recent --update --seconds 30 --hitcount 6 --name ssh -j DROP\n"+
		"-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT\n"+
		"-A INPUT -p udp -m udp --sport 53 -j ACCEPT\n"+
		"-A INPUT -p tcp -m tcp --dport 80 -m limit --limit 10/sec -j ACCEPT\n"+
		"-A INPUT -m addrtype --dst-type LOCAL -p tcp --dport 81 -j ACCEPT\n"+
		"COMMIT\n", v6drop)
	check(t, rs,
		// The rate limit drops some attempts, not all.
		query{proto: "tcp", listen: "0.0.0.0", port: 22, reach: Anywhere, where: "v4:10"},
		// Any port, from source port 53.
		query{proto: "udp", listen: "0.0.0.0", port: 5000, reach: Anywhere, where: "v4:11"},
		query{proto: "tcp", listen: "0.0.0.0", port: 80, reach: Anywhere, where: "v4:12"},
		query{proto: "tcp", listen: "0.0.0.0", port: 81, reach: Anywhere, where: "v4:13"},
		query{proto: "tcp", listen: "0.0.0.0", port: 82, reach: None, where: "v4:2"},
	)
	nrs := nft(t, inet("drop", []string{
		stmts(`{"match": {"op": "!=", "left": {"&": [{"payload": {"protocol": "tcp", "field": "flags"}}, {"|": ["fin", "syn", "rst", "ack"]}]}, "right": "syn"}}`, drop),
		stmts(`{"match": {"op": "==", "left": {"&": [{"payload": {"protocol": "tcp", "field": "flags"}}, ["syn", "ack"]]}, "right": "syn"}}`, dport("tcp", "22"), accept),
		stmts(`{"match": {"op": "==", "left": {"fib": {"result": "type", "flags": ["daddr"]}}, "right": {"set": ["broadcast", "multicast"]}}}`, drop),
		stmts(`{"match": {"op": "==", "left": {"meta": {"key": "pkttype"}}, "right": "host"}}`, dport("tcp", "23"), `{"limit": {"rate": 5, "per": "minute"}}`, accept),
		stmts(`{"match": {"op": "in", "left": {"payload": {"protocol": "tcp", "field": "flags"}}, "right": "ack"}}`, dport("tcp", "24"), accept),
	}))
	check(t, nrs,
		query{proto: "tcp", listen: "0.0.0.0", port: 22, reach: Anywhere, where: "nft table inet filter chain input handle 11"},
		query{proto: "tcp", listen: "::", port: 23, reach: Anywhere, where: "nft table inet filter chain input handle 13"},
		query{proto: "tcp", listen: "::", port: 24, reach: None},
	)
}

func TestSeveralBaseChains(t *testing.T) {
	// A packet must pass every base chain of the hook, in order of
	// priority.
	rs := nft(t, `{"nftables": [
		{"table": {"family": "inet", "name": "a", "handle": 1}},
		{"chain": {"family": "inet", "table": "a", "name": "in", "handle": 1, "type": "filter", "hook": "input", "prio": 10, "policy": "accept"}},
		{"rule": {"family": "inet", "table": "a", "chain": "in", "handle": 2, "expr": [`+dport("tcp", "22")+`, {"drop": null}]}},
		{"table": {"family": "ip", "name": "b", "handle": 2}},
		{"chain": {"family": "ip", "table": "b", "name": "in", "handle": 1, "type": "filter", "hook": "input", "prio": 0, "policy": "drop"}},
		{"rule": {"family": "ip", "table": "b", "chain": "in", "handle": 3, "expr": [`+dport("tcp", `{"set": [22, 80]}`)+`, {"accept": null}]}},
		{"chain": {"family": "ip", "table": "b", "name": "nat", "handle": 4, "type": "nat", "hook": "input", "prio": 100, "policy": "accept"}},
		{"rule": {"family": "ip", "table": "b", "chain": "nat", "handle": 5, "expr": [{"drop": null}]}}
	]}`)
	check(t, rs,
		query{proto: "tcp", listen: "0.0.0.0", port: 22, reach: None, where: "nft table inet a chain in handle 2"},
		query{proto: "tcp", listen: "0.0.0.0", port: 80, reach: Anywhere, where: "nft table ip b chain in handle 3"},
		query{proto: "tcp", listen: "0.0.0.0", port: 443, reach: None, where: "nft table ip b chain in"},
		query{proto: "tcp", listen: "::1", port: 22, reach: Loopback},
		query{proto: "tcp", listen: "2001:db8::1", port: 443, reach: Anywhere},
	)
	// Legacy iptables and nftables both filtering.
	legacy := ipt(t, "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p tcp --dport 80 -j DROP\nCOMMIT\n", "")
	both := Merge(rs, nil, legacy)
	if both.Source != "nftables+iptables" {
		t.Errorf("merged source %q", both.Source)
	}
	check(t, both, query{proto: "tcp", listen: "0.0.0.0", port: 80, reach: None, where: "v4:3"})
	// Merge copied the rules: the originals are unchanged.
	check(t, rs, query{proto: "tcp", listen: "0.0.0.0", port: 80, reach: Anywhere})
}

func TestFamilyOptions(t *testing.T) {
	// A rules file shared by iptables-restore and ip6tables-restore.
	shared := "*filter\n:INPUT DROP [0:0]\n-A INPUT -4 -p tcp --dport 80 -j ACCEPT\n-A INPUT -6 -p tcp --dport 81 -j ACCEPT\nCOMMIT\n"
	rs := ipt(t, shared, shared)
	check(t, rs,
		query{proto: "tcp", listen: "0.0.0.0", port: 80, reach: Anywhere},
		query{proto: "tcp", listen: "0.0.0.0", port: 81, reach: None},
		query{proto: "tcp", listen: "2001:db8::1", port: 80, reach: None},
		query{proto: "tcp", listen: "2001:db8::1", port: 81, reach: Anywhere},
	)
}

func TestTooDeep(t *testing.T) {
	rs := ipt(t, "*filter\n:INPUT DROP [0:0]\n:loop - [0:0]\n-A INPUT -j loop\n-A loop -j loop\nCOMMIT\n", v6drop)
	check(t, rs, query{proto: "tcp", listen: "0.0.0.0", port: 22, reach: Unknown, why: "nested deeper"})
	// Each chain jumps twice to the next: 2^30 paths, cut short.
	text := "*filter\n:INPUT DROP [0:0]\n-A INPUT -j c0\n"
	for i := range 30 {
		text += fmt.Sprintf(":c%d - [0:0]\n-A c%d -j c%d\n-A c%d -j c%d\n", i, i, i+1, i, i+1)
	}
	rs = ipt(t, text+":c30 - [0:0]\nCOMMIT\n", v6drop)
	check(t, rs, query{proto: "tcp", listen: "0.0.0.0", port: 22, reach: Unknown, why: "taken too often"})
}

func TestOnlyReachableChainsCount(t *testing.T) {
	// Rules the model does not understand in FORWARD and in a chain no
	// one jumps to do not make an INPUT answer uncertain, however many.
	text := "*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:spare - [0:0]\n-A INPUT -p tcp --dport 22 -j ACCEPT\n"
	for i := range 20 {
		text += fmt.Sprintf("-A FORWARD -i br%d -m set --match-set s%d src -j ACCEPT\n-A spare -m set --match-set t%d src -j DROP\n", i, i, i)
	}
	rs := ipt(t, text+"COMMIT\n", v6drop)
	check(t, rs,
		query{proto: "tcp", listen: "0.0.0.0", port: 22, reach: Anywhere, where: "v4:5"},
		query{proto: "tcp", listen: "0.0.0.0", port: 23, reach: None},
	)
	if v := Evaluate(rs, "tcp", netip.MustParseAddr("0.0.0.0"), 22); strings.Contains(v.Why, "only for") {
		t.Errorf("interfaces of FORWARD restrict INPUT: %q", v.Why)
	}
}

func TestTooManyUncertain(t *testing.T) {
	text := "*filter\n:INPUT DROP [0:0]\n"
	for i := range 20 {
		text += fmt.Sprintf("-A INPUT -m set --match-set s%d src -j DROP\n", i)
	}
	rs := ipt(t, text+"-A INPUT -p tcp --dport 22 -j ACCEPT\nCOMMIT\n", v6drop)
	check(t, rs, query{proto: "tcp", listen: "0.0.0.0", port: 22, reach: Unknown, why: "too many rules not understood"})
}

// FuzzEvaluate checks that any rules the parsers return give an answer,
// never a panic, and a coherent one.
func FuzzEvaluate(f *testing.F) {
	f.Add("*filter\n:INPUT DROP [0:0]\n:a - [0:0]\n-A INPUT -i eth+ ! -s 10.0.0.0/8 -p tcp -m multiport --dports 22,80:90 -j a\n-A a -d 192.0.2.1 -m limit --limit 1/s -j ACCEPT\n-A a -m set --match-set x src -g a\nCOMMIT\n", inet("drop", nil))
	f.Add("", inet("accept", []string{stmts(dport("tcp", `{"set": [22, {"range": [80, 90]}]}`), `{"jump": {"target": "nowhere"}}`), stmts(saddr("ip", "!=", `"@s"`), `{"queue": null}`)}))
	f.Fuzz(func(t *testing.T, iptText, nftText string) {
		f4, _ := iptsave.Parse(strings.NewReader(iptText), "v4")
		src, _ := nftjson.Parse(strings.NewReader(nftText), "nft")
		a, _ := FromIPTables(f4, f4)
		b, _ := FromNFT(src)
		for _, rs := range []*Ruleset{a, b, Merge(a, b)} {
			for _, q := range []struct {
				proto  string
				listen string
				port   int
			}{{"tcp", "0.0.0.0", 22}, {"udp", "::", 85}, {"tcp", "192.0.2.1", 80}} {
				v := Evaluate(rs, q.proto, netip.MustParseAddr(q.listen), q.port)
				if _, ok := reachOrder[v.Reach]; !ok || v.Why == "" {
					t.Fatalf("answer %+v", v)
				}
				if v.Reach == Local && len(v.Sources) == 0 {
					t.Fatalf("local with no sources: %+v", v)
				}
			}
		}
	})
}
