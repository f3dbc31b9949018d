package nftjson

import (
	"errors"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"bastion/internal/parse"
)

// ruleset is "nft -j list ruleset" of a host with an inet filter table
// (written out over several lines; nft prints one), a named set, a
// regular chain, and a prerouting chain of another table.
const ruleset = `{"nftables": [
{"metainfo": {"version": "1.0.6", "release_name": "Lester Gooch #5", "json_schema_version": 1}},
{"table": {"family": "inet", "name": "filter", "handle": 1}},
{"set": {"family": "inet", "name": "admins", "table": "filter", "type": "ipv4_addr", "handle": 3, "flags": ["interval"],
  "elem": [{"prefix": {"addr": "192.168.10.0", "len": 24}}, "203.0.113.7",
           {"elem": {"val": "198.51.100.9", "timeout": 3600, "expires": 1200}}]}},
{"chain": {"family": "inet", "table": "filter", "name": "input", "handle": 1, "type": "filter", "hook": "input", "prio": 0, "policy": "drop"}},
{"chain": {"family": "inet", "table": "filter", "name": "ssh", "handle": 2}},
{"rule": {"family": "inet", "table": "filter", "chain": "input", "handle": 4,
  "expr": [{"match": {"op": "==", "left": {"meta": {"key": "iif"}}, "right": "lo"}}, {"accept": null}]}},
{"rule": {"family": "inet", "table": "filter", "chain": "input", "handle": 5,
  "expr": [{"match": {"op": "in", "left": {"ct": {"key": "state"}}, "right": ["established", "related"]}}, {"accept": null}]}},
{"rule": {"family": "inet", "table": "filter", "chain": "input", "handle": 6,
  "expr": [{"match": {"op": "==", "left": {"payload": {"protocol": "tcp", "field": "dport"}}, "right": {"set": [80, 443, {"range": [8000, 8080]}]}}},
           {"counter": {"packets": 12, "bytes": 720}}, {"accept": null}]}},
{"rule": {"family": "inet", "table": "filter", "chain": "input", "handle": 7, "comment": "admins only",
  "expr": [{"match": {"op": "==", "left": {"payload": {"protocol": "ip", "field": "saddr"}}, "right": "@admins"}},
           {"match": {"op": "==", "left": {"payload": {"protocol": "tcp", "field": "dport"}}, "right": 22}}, {"jump": {"target": "ssh"}}]}},
{"rule": {"family": "inet", "table": "filter", "chain": "input", "handle": 8,
  "expr": [{"match": {"op": "!=", "left": {"&": [{"payload": {"protocol": "tcp", "field": "flags"}}, {"|": ["fin", "syn", "rst", "ack"]}]}, "right": "syn"}},
           {"match": {"op": "in", "left": {"ct": {"key": "state"}}, "right": "new"}}, {"drop": null}]}},
{"rule": {"family": "inet", "table": "filter", "chain": "input", "handle": 9,
  "expr": [{"match": {"op": "==", "left": {"fib": {"result": "type", "flags": ["daddr"]}}, "right": {"set": ["broadcast", "multicast"]}}}, {"drop": null}]}},
{"rule": {"family": "inet", "table": "filter", "chain": "input", "handle": 10,
  "expr": [{"match": {"op": "==", "left": {"osf": {"key": "name"}}, "right": "Linux"}}, {"limit": {"rate": 10, "per": "second"}},
           {"log": {"prefix": "odd "}}, {"reject": {"type": "tcp reset"}}]}},
{"rule": {"family": "inet", "table": "filter", "chain": "input", "handle": 11,
  "expr": [{"xt": {"type": "match", "name": "conntrack"}}, {"goto": {"target": "ssh"}}]}},
{"rule": {"family": "inet", "table": "filter", "chain": "ssh", "handle": 12,
  "expr": [{"match": {"op": "==", "left": {"payload": {"protocol": "ip6", "field": "saddr"}}, "right": {"prefix": {"addr": "fd00::", "len": 8}}}}, {"return": null}]}},
{"table": {"family": "ip", "name": "raw", "handle": 2}},
{"chain": {"family": "ip", "table": "raw", "name": "pre", "handle": 1, "type": "filter", "hook": "prerouting", "prio": "raw", "policy": "accept"}},
{"flowtable": {"family": "ip", "table": "raw", "name": "ft", "handle": 3}}
]}`

var ignoreRaw = cmpopts.IgnoreFields(Value{}, "Raw")

func TestParse(t *testing.T) {
	rs, err := Parse(strings.NewReader(ruleset), "ruleset.json")
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if rs.Version != "1.0.6" || rs.SchemaVersion != 1 || rs.Skipped != 1 {
		t.Errorf("version %q, schema %d, skipped %d", rs.Version, rs.SchemaVersion, rs.Skipped)
	}
	wantTables := []Table{{Family: "inet", Name: "filter", Handle: 1}, {Family: "ip", Name: "raw", Handle: 2}}
	if diff := cmp.Diff(wantTables, rs.Tables); diff != "" {
		t.Errorf("tables (-want +got):\n%s", diff)
	}
	wantChains := []Chain{
		{Family: "inet", Table: "filter", Name: "input", Handle: 1, Type: "filter", Hook: "input", Policy: "drop"},
		{Family: "inet", Table: "filter", Name: "ssh", Handle: 2},
		{Family: "ip", Table: "raw", Name: "pre", Handle: 1, Type: "filter", Hook: "prerouting", Prio: -300, Policy: "accept"},
	}
	if diff := cmp.Diff(wantChains, rs.Chains); diff != "" {
		t.Errorf("chains (-want +got):\n%s", diff)
	}
	wantSets := []Set{{Family: "inet", Table: "filter", Name: "admins", Handle: 3, Type: "ipv4_addr", Flags: []string{"interval"},
		Elems: []Value{
			{Kind: "prefix", Addr: "192.168.10.0", Len: 24},
			{Kind: "string", Str: "203.0.113.7"},
			{Kind: "string", Str: "198.51.100.9"},
		}}}
	if diff := cmp.Diff(wantSets, rs.Sets, ignoreRaw); diff != "" {
		t.Errorf("sets (-want +got):\n%s", diff)
	}
	if len(rs.Rules) != 9 {
		t.Fatalf("%d rules, want 9", len(rs.Rules))
	}

	// The ports of rule 3: a set with a number and a range.
	m := rs.Rules[2].Expr[0].Match
	wantRight := Value{Kind: "set", Elems: []Value{
		{Kind: "number", Num: 80}, {Kind: "number", Num: 443},
		{Kind: "range", Elems: []Value{{Kind: "number", Num: 8000}, {Kind: "number", Num: 8080}}},
	}}
	if diff := cmp.Diff(wantRight, m.Right, ignoreRaw); diff != "" {
		t.Errorf("rule 3 right side (-want +got):\n%s", diff)
	}
	if m.Left.Kind != "payload" || m.Left.Protocol != "tcp" || m.Left.Field != "dport" {
		t.Errorf("rule 3 left side %+v", m.Left)
	}
	// The flags of rule 5: a bitwise and with a bitwise or.
	f := rs.Rules[4].Expr[0].Match
	if f.Left.Kind != "&" || f.Left.Inner.Field != "flags" || f.Left.Mask.Kind != "|" || len(f.Left.Mask.Elems) != 4 || f.Op != "!=" {
		t.Errorf("rule 5 match %+v", f)
	}
	// Rule 7: an operand not modelled makes the match Unknown; limit,
	// log and reject are known.
	var kinds []string
	var unknown []bool
	for _, e := range rs.Rules[6].Expr {
		kinds, unknown = append(kinds, e.Kind), append(unknown, e.Unknown)
	}
	if diff := cmp.Diff([]string{"match", "limit", "log", "reject"}, kinds); diff != "" {
		t.Errorf("rule 7 kinds (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]bool{true, false, false, false}, unknown); diff != "" {
		t.Errorf("rule 7 unknown (-want +got):\n%s", diff)
	}
	if e := rs.Rules[7].Expr[0]; e.Kind != "xt" || !e.Unknown || e.XTType != "match" || e.XTName != "conntrack" {
		t.Errorf("xt statement %+v", e)
	}
	if e := rs.Rules[7].Expr[1]; e.Kind != "goto" || e.Target != "ssh" {
		t.Errorf("goto statement %+v", e)
	}
	if r := rs.Rules[3]; r.Comment != "admins only" || r.Index != 4 || r.Handle != 7 {
		t.Errorf("rule 4: %+v", r)
	}

	if c, ok := rs.Chain("inet", "filter", "ssh"); !ok || c.Handle != 2 {
		t.Errorf("Chain(ssh) = %+v, %v", c, ok)
	}
	if _, ok := rs.Chain("ip", "filter", "ssh"); ok {
		t.Error("Chain found a chain of another family")
	}
	if s, ok := rs.Set("inet", "filter", "admins"); !ok || len(s.Elems) != 3 {
		t.Errorf("Set(admins) = %+v, %v", s, ok)
	}
	if got := len(rs.ChainRules("inet", "filter", "input")); got != 8 {
		t.Errorf("ChainRules(input) gave %d rules, want 8", got)
	}
}

func TestString(t *testing.T) {
	rs, err := Parse(strings.NewReader(ruleset), "ruleset.json")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"iif lo accept",
		"ct state established,related accept",
		"tcp dport { 80, 443, 8000-8080 } counter accept",
		`ip saddr @admins tcp dport 22 jump ssh comment "admins only"`,
		"tcp flags & fin | syn | rst | ack != syn ct state new drop",
		"fib daddr type { broadcast, multicast } drop",
		`{"match":{"op":"==","left":{"osf":{"key":"name"}},"right":"Linux"}} limit log reject`,
		`{"xt":{"type":"match","name":"conntrack"}} goto ssh`,
		"ip6 saddr fd00::/8 return",
	}
	var got []string
	for i := range rs.Rules {
		got = append(got, rs.Rules[i].String())
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("String (-want +got):\n%s", diff)
	}
	if p := rs.Rules[3].Place(); p != "table inet filter chain input handle 7" {
		t.Errorf("Place = %q", p)
	}
}

func TestParseErrors(t *testing.T) {
	const head = `{"nftables": [{"chain": {"family": "inet", "table": "filter", "name": "input", "handle": 1, "type": "filter", "hook": "input", "prio": 0, "policy": "drop"}},`
	const good = `{"rule": {"family": "inet", "table": "filter", "chain": "input", "handle": 9, "expr": [{"match": {"op": "==", "left": {"payload": {"protocol": "tcp", "field": "dport"}}, "right": 22}}, {"accept": null}]}}]}`
	tests := []struct {
		name string
		bad  string
		want string
		// kept reports whether the bad rule is kept (with an
		// invalid statement).
		kept bool
	}{
		{"rule without chain", `{"rule": {"family": "inet", "table": "filter", "handle": 5, "expr": []}},`,
			"rule 1 (table inet filter chain  handle 5): no family, table or chain", false},
		{"expr not a list", `{"rule": {"family": "inet", "table": "filter", "chain": "input", "handle": 5, "expr": {"accept": null}}},`,
			`rule 1 (table inet filter chain input handle 5): "expr" is not a list`, false},
		{"statement with two keys", `{"rule": {"family": "inet", "table": "filter", "chain": "input", "handle": 5, "expr": [{"accept": null, "drop": null}]}},`,
			"rule 1 (table inet filter chain input handle 5): statement 1: not an object with one key", true},
		{"match without right", `{"rule": {"family": "inet", "table": "filter", "chain": "input", "handle": 5, "expr": [{"match": {"op": "==", "left": {"meta": {"key": "iif"}}}}, {"accept": null}]}},`,
			"rule 1 (table inet filter chain input handle 5): statement 1: match without op, left or right", true},
		{"unknown op", `{"rule": {"family": "inet", "table": "filter", "chain": "input", "handle": 5, "expr": [{"match": {"op": "~", "left": {"meta": {"key": "iif"}}, "right": "lo"}}]}},`,
			`rule 1 (table inet filter chain input handle 5): statement 1: match with unknown op "~"`, true},
		{"jump without target", `{"rule": {"family": "inet", "table": "filter", "chain": "input", "handle": 5, "expr": [{"jump": {}}]}},`,
			"rule 1 (table inet filter chain input handle 5): statement 1: jump without a target chain", true},
		{"bad prefix", `{"rule": {"family": "inet", "table": "filter", "chain": "input", "handle": 5, "expr": [{"match": {"op": "==", "left": {"payload": {"protocol": "ip", "field": "saddr"}}, "right": {"prefix": {"addr": "10.0.0.0", "len": 200}}}}, {"drop": null}]}},`,
			"rule 1 (table inet filter chain input handle 5): statement 1: prefix without an address or with a bad length", true},
		{"bad range", `{"rule": {"family": "inet", "table": "filter", "chain": "input", "handle": 5, "expr": [{"match": {"op": "==", "left": {"payload": {"protocol": "tcp", "field": "dport"}}, "right": {"range": [1]}}}, {"drop": null}]}},`,
			"rule 1 (table inet filter chain input handle 5): statement 1: range without two ends", true},
		{"chain with a bad policy", `{"chain": {"family": "inet", "table": "filter", "name": "fwd", "hook": "forward", "policy": "reject"}},`,
			`chain 2 (table inet filter chain fwd): unknown policy "reject"`, false},
		{"chain with a bad priority", `{"chain": {"family": "inet", "table": "filter", "name": "fwd", "hook": "forward", "prio": "soon"}},`,
			`chain 2 (table inet filter chain fwd): priority "soon" is not a number or a known name`, false},
		{"set without a name", `{"set": {"family": "inet", "table": "filter"}},`,
			"set 1 (table inet filter set ): no family, table or name", false},
		{"table without a family", `{"table": {"name": "filter"}},`,
			"table 1: no family or name", false},
		{"not an object", `[1, 2],`, "object 2: not an object with one key", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rs, err := Parse(strings.NewReader(head+tt.bad+good), "ruleset.json")
			list := parse.List(err)
			if len(list) != 1 || list[0].File != "ruleset.json" || list[0].Line != 0 || list[0].Err.Error() != tt.want {
				t.Fatalf("errors %v, want one: %s", list, tt.want)
			}
			if got := err.Error(); got != "ruleset.json: "+tt.want {
				t.Errorf("message %q", got)
			}
			want := 1
			if tt.kept {
				want = 2
				if e := rs.Rules[0].Expr[0]; e.Kind != "invalid" || !e.Unknown || e.Raw == "" {
					t.Errorf("bad statement kept as %+v", e)
				}
			}
			if len(rs.Rules) != want {
				t.Fatalf("%d rules kept, want %d", len(rs.Rules), want)
			}
			if last := rs.Rules[len(rs.Rules)-1]; last.Handle != 9 || last.Expr[1].Kind != "accept" {
				t.Errorf("good rule after the bad one: %+v", last)
			}
		})
	}
}

func TestParseNotNFT(t *testing.T) {
	// The decoder's own words after "not nft JSON:" are its to choose.
	for in, want := range map[string]string{
		`{"nftables": [`:      "ruleset.json: not nft JSON: ",
		`{"tables": []}`:      `ruleset.json: no "nftables" array`,
		"table inet filter {": "ruleset.json: not nft JSON: ",
	} {
		rs, err := Parse(strings.NewReader(in), "ruleset.json")
		if err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("Parse(%q) error %v, want %s...", in, err, want)
		}
		if rs == nil || len(rs.Rules) != 0 {
			t.Errorf("Parse(%q) = %+v, want an empty ruleset", in, rs)
		}
	}
	rs, err := Parse(strings.NewReader(`{"nftables": [{"metainfo": {"version": "1.0.9", "json_schema_version": 1}}]}`), "empty.json")
	if err != nil || rs.Version != "1.0.9" || len(rs.Tables) != 0 {
		t.Errorf("empty ruleset: %+v, %v", rs, err)
	}
}

func TestNamedPriority(t *testing.T) {
	for in, want := range map[string]int{"filter": 0, "raw": -300, "filter + 10": 10, "mangle-5": -155, " security ": 50, "srcnat +1": 101} {
		if got, ok := namedPriority(in); !ok || got != want {
			t.Errorf("namedPriority(%q) = %d, %v; want %d", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "soon", "filter + x", "filter + -3", "+ 3"} {
		if got, ok := namedPriority(in); ok {
			t.Errorf("namedPriority(%q) = %d, want an error", in, got)
		}
	}
}

func TestParseReadError(t *testing.T) {
	boom := errors.New("boom")
	rs, err := Parse(iotest.ErrReader(boom), "ruleset.json")
	if rs != nil || !errors.Is(err, boom) {
		t.Errorf("Parse = %v, %v", rs, err)
	}
}

func FuzzParse(f *testing.F) {
	f.Add(ruleset)
	f.Add(`{"nftables": [{"rule": {"family": "ip", "table": "t", "chain": "c", "expr": [{"match": {"op": "in", "left": {"&": [{"ct": {"key": "state"}}, 3]}, "right": {"set": {"elem": {"val": 1}}}}}]}}]}`)
	f.Add(`{"nftables": [{"chain": {"family": "ip", "table": "t", "name": "c", "prio": "filter - 5"}}, {"set": {"family": "ip", "table": "t", "name": "s", "type": ["ipv4_addr", "inet_service"], "elem": [{"concat": ["10.0.0.1", 22]}]}}]}`)
	f.Fuzz(func(t *testing.T, input string) {
		rs, err := Parse(strings.NewReader(input), "fuzz.json")
		if rs == nil {
			t.Fatalf("nil Ruleset, error %v", err)
		}
		for _, pe := range parse.List(err) {
			if pe.File != "fuzz.json" || pe.Line != 0 {
				t.Fatalf("error %v: want one of the file with no line", pe)
			}
		}
		for i, r := range rs.Rules {
			if r.Family == "" || r.Table == "" || r.Chain == "" || r.Index < i+1 {
				t.Fatalf("rule %+v kept without its place", r)
			}
			_ = r.String()
			for _, e := range r.Expr {
				if e.Kind == "match" && e.Match == nil {
					t.Fatalf("match statement without a match: %+v", e)
				}
				if (e.Kind == "jump" || e.Kind == "goto") && e.Target == "" {
					t.Fatalf("%s without a target", e.Kind)
				}
			}
		}
		for _, c := range rs.Chains {
			if c.Family == "" || c.Table == "" || c.Name == "" {
				t.Fatalf("chain %+v kept without its place", c)
			}
		}
	})
}
