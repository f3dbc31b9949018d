// Package nftjson reads the JSON that "nft -j list ruleset" prints: an
// object {"nftables": [...]} whose array holds one object per table,
// chain, set and rule, each under a key that names its kind:
//
//	{"nftables": [
//	  {"metainfo": {"version": "1.0.6", "json_schema_version": 1}},
//	  {"table": {"family": "inet", "name": "filter", "handle": 1}},
//	  {"chain": {"family": "inet", "table": "filter", "name": "input", "handle": 1,
//	             "type": "filter", "hook": "input", "prio": 0, "policy": "drop"}},
//	  {"rule": {"family": "inet", "table": "filter", "chain": "input", "handle": 4,
//	            "expr": [{"match": {"op": "==",
//	                                "left": {"payload": {"protocol": "tcp", "field": "dport"}},
//	                                "right": 22}},
//	                     {"accept": null}]}}]}
//
// A rule's expressions are statements run in order (see libnftables-json(5)).
// This package models the ones that decide what a packet filter lets in:
// matches whose left side is a payload field, a meta or ct key, a fib
// lookup or a bitwise and of one of these, and whose right side is a
// number, a string, a set, a range, a prefix, a list or a bitwise or;
// the verdicts; counter, log and limit. Every other expression is kept
// with Unknown set and its JSON as written, so that a caller can treat a
// rule it does not understand with care rather than as if the expression
// were not there.
//
// JSON has no lines: a problem is reported as "name: rule N (table T chain
// C handle H): what is wrong", N counting the rules from 1 in the order
// nft printed them.
package nftjson

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"bastion/internal/parse"
)

// Ruleset is a parsed "nft -j list ruleset".
type Ruleset struct {
	// Name is the name the text was parsed under, used in error messages.
	Name string
	// Version is the nft version of the metainfo object, "" if none.
	Version string
	// SchemaVersion is the json_schema_version of the metainfo object.
	SchemaVersion int
	// Tables, Chains, Sets and Rules hold the objects of each kind in the
	// order printed.
	Tables []Table
	Chains []Chain
	Sets   []Set
	Rules  []Rule
	// Skipped counts objects of other kinds (maps, flowtables, counters,
	// ct helpers...), which say nothing about what the filter lets in.
	Skipped int
}

// Table is one table object.
type Table struct {
	Family, Name string
	Handle       int
}

// Chain is one chain object. A base chain has a Hook; a regular chain,
// reached only by jump and goto, has none.
type Chain struct {
	Family, Table, Name string
	Handle              int
	// Type is "filter", "nat" or "route" for a base chain.
	Type string
	// Hook is the netfilter hook of a base chain: "input", "prerouting",
	// "forward", "output", "postrouting", "ingress".
	Hook string
	// Prio is the base chain's priority; lower runs first.
	Prio int
	// Policy is "accept" or "drop" for a base chain, "" for another.
	Policy string
	// Dev is the device of a netdev ingress chain.
	Dev string
}

// Set is one named set object, which a match refers to as "@name".
type Set struct {
	Family, Table, Name string
	Handle              int
	// Type is the element type ("ipv4_addr", "inet_service"); for a
	// concatenation the types are joined with " . ".
	Type string
	// Flags holds "interval", "constant", "timeout", "dynamic".
	Flags []string
	// Elems holds the elements, each a Value.
	Elems []Value
}

// Rule is one rule object.
type Rule struct {
	// Index is the rule's 1-based position among the rules printed.
	Index                int
	Family, Table, Chain string
	Handle               int
	// Comment is the rule's comment, if any.
	Comment string
	// Expr holds the rule's statements in order.
	Expr []Expr
}

// Expr is one statement of a rule.
type Expr struct {
	// Kind is the statement's key: "match", "accept", "drop", "reject",
	// "jump", "goto", "return", "continue", "queue", "counter", "log",
	// "limit", or any other key when Unknown.
	Kind string
	// Match holds the match of a "match" statement.
	Match *Match
	// Target is the chain of a jump or goto.
	Target string
	// Unknown reports a statement this package does not model, or a match
	// whose left side it does not model.
	Unknown bool
	// XTType ("match" or "target") and XTName ("conntrack",
	// "comment", "LOG") describe an "xt" statement.
	XTType, XTName string
	// Raw is the statement's JSON, compacted.
	Raw string
}

// Match is a comparison of a packet property with a value.
type Match struct {
	// Op is "==", "!=", "<", ">", "<=", ">=" or "in".
	Op    string
	Left  Operand
	Right Value
}

// Operand is the packet property a match looks at.
type Operand struct {
	// Kind is "payload", "meta", "ct", "fib", "&" (a bitwise and of
	// Inner and Mask), or "unknown".
	Kind string
	// Protocol and Field name a payload field: "tcp" "dport", "ip" "saddr".
	Protocol, Field string
	// Key is the meta or ct key ("iifname", "l4proto", "state"), or the
	// fib result ("type", "oif").
	Key string
	// Dir is a ct direction ("original", "reply"), Family a ct or payload
	// family qualifier.
	Dir, Family string
	// Flags holds the fib flags ("daddr", "saddr", "iif").
	Flags []string
	// Inner and Mask are the two sides of a bitwise and.
	Inner *Operand
	Mask  *Value
	// Raw is the operand's JSON, compacted.
	Raw string
}

// Value is the right-hand side of a match, or an element of a set.
type Value struct {
	// Kind is "number", "string", "bool", "set" (an anonymous set),
	// "list" (a JSON array, as ct state flags are written), "range",
	// "prefix", "|" (a bitwise or of Elems) or "unknown".
	Kind string
	// Num is a number's value.
	Num int64
	// Str is a string's value; "@name" refers to a named set.
	Str string
	// Elems holds the members of a set, list or bitwise or, and the two
	// ends of a range.
	Elems []Value
	// Addr and Len are the two parts of a prefix.
	Addr string
	Len  int
	// Raw is the value's JSON, compacted.
	Raw string
}

// Parse reads "nft -j list ruleset" output. Text that is not JSON, or not
// an object with an "nftables" array, gives an empty Ruleset and an
// error. An object of a known kind that lacks a field it needs, or has
// one of the wrong type, and a statement that is malformed (not an object
// with one key, a match without op, left or right, a jump without a
// target, a prefix length out of range) are reported and left out; the
// Ruleset then holds everything else. A file that cannot be read gives a
// nil Ruleset.
func Parse(r io.Reader, name string) (*Ruleset, error) {
	data, err := parse.ReadAll(r, name)
	if err != nil {
		return nil, err
	}
	rs := &Ruleset{Name: name}
	var errs parse.Errors
	var top struct {
		Nftables []json.RawMessage `json:"nftables"`
	}
	if err := json.Unmarshal(data, &top); err != nil {
		errs.Append(&parse.Error{File: name, Err: fmt.Errorf("not nft JSON: %v", err)})
		return rs, errs.Err()
	}
	if top.Nftables == nil {
		errs.Append(&parse.Error{File: name, Err: fmt.Errorf("no \"nftables\" array")})
		return rs, errs.Err()
	}
	nrule, nchain, nset := 0, 0, 0
	for i, raw := range top.Nftables {
		obj, ok := object(raw)
		if !ok || len(obj) != 1 {
			errs.Append(&parse.Error{File: name, Err: fmt.Errorf("object %d: not an object with one key", i+1)})
			continue
		}
		for kind, body := range obj {
			switch kind {
			case "metainfo":
				m, _ := object(body)
				rs.Version = str(m["version"])
				rs.SchemaVersion, _ = integer(m["json_schema_version"])
			case "table":
				m, ok := object(body)
				t := Table{Family: str(m["family"]), Name: str(m["name"])}
				t.Handle, _ = integer(m["handle"])
				if !ok || t.Family == "" || t.Name == "" {
					errs.Append(&parse.Error{File: name, Err: fmt.Errorf("table %d: no family or name", len(rs.Tables)+1)})
					continue
				}
				rs.Tables = append(rs.Tables, t)
			case "chain":
				nchain++
				c, msg := parseChain(body)
				if msg != "" {
					errs.Append(&parse.Error{File: name, Err: fmt.Errorf("chain %d (table %s %s chain %s): %s", nchain, c.Family, c.Table, c.Name, msg)})
					continue
				}
				rs.Chains = append(rs.Chains, c)
			case "set":
				nset++
				s, msg := parseSet(body)
				if msg != "" {
					errs.Append(&parse.Error{File: name, Err: fmt.Errorf("set %d (table %s %s set %s): %s", nset, s.Family, s.Table, s.Name, msg)})
					continue
				}
				rs.Sets = append(rs.Sets, s)
			case "rule":
				nrule++
				r, msg, keep := parseRule(body)
				r.Index = nrule
				if msg != "" {
					errs.Append(&parse.Error{File: name, Err: fmt.Errorf("rule %d (%s): %s", nrule, r.Place(), msg)})
				}
				if keep {
					rs.Rules = append(rs.Rules, r)
				}
			default:
				rs.Skipped++
			}
		}
	}
	return rs, errs.Err()
}

// Place names where a rule is, the way "nft -a list ruleset" shows it:
// "table inet filter chain input handle 7".
func (r *Rule) Place() string {
	return fmt.Sprintf("table %s %s chain %s handle %d", r.Family, r.Table, r.Chain, r.Handle)
}

func parseChain(body json.RawMessage) (Chain, string) {
	m, ok := object(body)
	if !ok {
		return Chain{}, "not an object"
	}
	c := Chain{Family: str(m["family"]), Table: str(m["table"]), Name: str(m["name"]),
		Type: str(m["type"]), Hook: str(m["hook"]), Policy: str(m["policy"]), Dev: str(m["dev"])}
	c.Handle, _ = integer(m["handle"])
	if c.Family == "" || c.Table == "" || c.Name == "" {
		return c, "no family, table or name"
	}
	if p, ok := m["prio"]; ok {
		n, ok := integer(p)
		if !ok {
			// Old versions of nft and some front ends print a
			// name ("filter", "raw") rather than a number.
			n, ok = namedPriority(str(p))
		}
		if !ok {
			return c, "priority " + compact(p) + " is not a number or a known name"
		}
		c.Prio = n
	}
	switch c.Policy {
	case "", "accept", "drop":
	default:
		return c, "unknown policy " + strconv.Quote(c.Policy)
	}
	return c, ""
}

// namedPriority gives the number of a priority written by name, as
// nft(8) defines them for the ip, ip6 and inet families.
func namedPriority(s string) (int, bool) {
	base, off := strings.TrimSpace(s), 0
	if i := strings.IndexAny(s, "+-"); i > 0 {
		n, err := strconv.Atoi(strings.TrimSpace(s[i+1:]))
		if err != nil || n < 0 {
			return 0, false
		}
		if s[i] == '-' {
			n = -n
		}
		base, off = strings.TrimSpace(s[:i]), n
	}
	v, ok := map[string]int{"raw": -300, "mangle": -150, "dstnat": -100, "filter": 0, "security": 50, "srcnat": 100}[base]
	return v + off, ok
}

func parseSet(body json.RawMessage) (Set, string) {
	m, ok := object(body)
	if !ok {
		return Set{}, "not an object"
	}
	s := Set{Family: str(m["family"]), Table: str(m["table"]), Name: str(m["name"])}
	s.Handle, _ = integer(m["handle"])
	if s.Family == "" || s.Table == "" || s.Name == "" {
		return s, "no family, table or name"
	}
	if t := str(m["type"]); t != "" {
		s.Type = t
	} else if list, ok := array(m["type"]); ok {
		var parts []string
		for _, p := range list {
			parts = append(parts, str(p))
		}
		s.Type = strings.Join(parts, " . ")
	}
	if list, ok := array(m["flags"]); ok {
		for _, f := range list {
			s.Flags = append(s.Flags, str(f))
		}
	} else if f := str(m["flags"]); f != "" {
		s.Flags = []string{f}
	}
	if e, ok := m["elem"]; ok {
		v, msg := parseValue(e)
		if msg != "" {
			return s, "element: " + msg
		}
		if v.Kind == "list" || v.Kind == "set" {
			s.Elems = v.Elems
		} else {
			s.Elems = []Value{v}
		}
	}
	return s, ""
}

// parseRule reads a rule object. A rule that cannot be placed in a chain
// is not kept; one with a malformed statement is, the statement marked
// Unknown.
func parseRule(body json.RawMessage) (r Rule, msg string, keep bool) {
	m, ok := object(body)
	if !ok {
		return Rule{}, "not an object", false
	}
	r = Rule{Family: str(m["family"]), Table: str(m["table"]), Chain: str(m["chain"]), Comment: str(m["comment"])}
	r.Handle, _ = integer(m["handle"])
	if r.Family == "" || r.Table == "" || r.Chain == "" {
		return r, "no family, table or chain", false
	}
	list, ok := array(m["expr"])
	if !ok && m["expr"] != nil {
		return r, "\"expr\" is not a list", false
	}
	var bad []string
	for i, raw := range list {
		e, msg := parseExpr(raw)
		if msg != "" {
			// The rule is kept, with the statement as one not
			// understood, so that it is judged with care.
			bad = append(bad, fmt.Sprintf("statement %d: %s", i+1, msg))
			e = Expr{Kind: "invalid", Unknown: true, Raw: compact(raw)}
		}
		r.Expr = append(r.Expr, e)
	}
	return r, strings.Join(bad, "; "), true
}

// verdicts lists the statements that end a rule's evaluation, with
// whether they name a chain.
var verdicts = map[string]bool{
	"accept": false, "drop": false, "continue": false, "return": false,
	"jump": true, "goto": true,
}

func parseExpr(raw json.RawMessage) (Expr, string) {
	obj, ok := object(raw)
	if !ok || len(obj) != 1 {
		return Expr{}, "not an object with one key"
	}
	for kind, body := range obj {
		e := Expr{Kind: kind, Raw: compact(raw)}
		if named, ok := verdicts[kind]; ok {
			if named {
				m, _ := object(body)
				e.Target = str(m["target"])
				if e.Target == "" {
					return e, kind + " without a target chain"
				}
			}
			return e, ""
		}
		switch kind {
		case "match":
			m, ok := object(body)
			if !ok {
				return e, "match is not an object"
			}
			op := str(m["op"])
			if op == "" || m["left"] == nil || m["right"] == nil {
				return e, "match without op, left or right"
			}
			switch op {
			case "==", "!=", "<", ">", "<=", ">=", "in":
			default:
				return e, "match with unknown op " + strconv.Quote(op)
			}
			right, msg := parseValue(m["right"])
			if msg != "" {
				return e, msg
			}
			left := parseOperand(m["left"])
			e.Match = &Match{Op: op, Left: left, Right: right}
			e.Unknown = left.Kind == "unknown"
		case "xt":
			// An iptables match or target that iptables-nft could
			// not translate; its parameters are not in the JSON.
			m, _ := object(body)
			e.XTType, e.XTName = str(m["type"]), str(m["name"])
			e.Unknown = true
		case "reject", "counter", "log", "limit", "queue":
			// Their arguments do not change whether a packet gets
			// in; "queue" hands the verdict to a program.
		default:
			e.Unknown = true
		}
		return e, ""
	}
	return Expr{}, "empty statement"
}

func parseOperand(raw json.RawMessage) Operand {
	op := Operand{Kind: "unknown", Raw: compact(raw)}
	obj, ok := object(raw)
	if !ok || len(obj) != 1 {
		return op
	}
	for kind, body := range obj {
		m, _ := object(body)
		switch kind {
		case "payload":
			op.Protocol, op.Field = str(m["protocol"]), str(m["field"])
			if op.Protocol != "" && op.Field != "" {
				op.Kind = kind
			}
		case "meta":
			if op.Key = str(m["key"]); op.Key != "" {
				op.Kind = kind
			}
		case "ct":
			op.Key, op.Dir, op.Family = str(m["key"]), str(m["dir"]), str(m["family"])
			if op.Key != "" {
				op.Kind = kind
			}
		case "fib":
			op.Key = str(m["result"])
			if list, ok := array(m["flags"]); ok {
				for _, f := range list {
					op.Flags = append(op.Flags, str(f))
				}
			} else if f := str(m["flags"]); f != "" {
				op.Flags = []string{f}
			}
			if op.Key != "" {
				op.Kind = kind
			}
		case "&":
			list, ok := array(body)
			if !ok || len(list) != 2 {
				return op
			}
			inner := parseOperand(list[0])
			mask, msg := parseValue(list[1])
			if inner.Kind == "unknown" || msg != "" {
				return op
			}
			op.Kind, op.Inner, op.Mask = kind, &inner, &mask
		}
	}
	return op
}

func parseValue(raw json.RawMessage) (Value, string) {
	v := Value{Kind: "unknown", Raw: compact(raw)}
	t := bytes.TrimSpace(raw)
	if len(t) == 0 {
		return v, "empty value"
	}
	switch t[0] {
	case '"':
		if err := json.Unmarshal(t, &v.Str); err != nil {
			return v, "bad string"
		}
		v.Kind = "string"
	case 't', 'f':
		v.Kind = "bool"
		v.Num = map[bool]int64{true: 1}[string(t) == "true"]
	case '[':
		list, ok := array(t)
		if !ok {
			return v, "bad list"
		}
		v.Kind = "list"
		for _, e := range list {
			ev, msg := parseValue(e)
			if msg != "" {
				return v, msg
			}
			v.Elems = append(v.Elems, ev)
		}
	case '{':
		obj, ok := object(t)
		if !ok || len(obj) != 1 {
			return v, ""
		}
		for kind, body := range obj {
			switch kind {
			case "set", "|":
				list, ok := array(body)
				if !ok {
					// A set of one element may be written bare.
					list = []json.RawMessage{body}
				}
				v.Kind = kind
				for _, e := range list {
					ev, msg := parseValue(e)
					if msg != "" {
						return v, msg
					}
					v.Elems = append(v.Elems, ev)
				}
			case "range":
				list, ok := array(body)
				if !ok || len(list) != 2 {
					return v, "range without two ends"
				}
				v.Kind = kind
				for _, e := range list {
					ev, msg := parseValue(e)
					if msg != "" {
						return v, msg
					}
					v.Elems = append(v.Elems, ev)
				}
			case "prefix":
				m, _ := object(body)
				v.Addr = str(m["addr"])
				n, ok := integer(m["len"])
				if v.Addr == "" || !ok || n < 0 || n > 128 {
					return v, "prefix without an address or with a bad length"
				}
				v.Kind, v.Len = kind, n
			case "elem":
				// An element with a timeout, expiry, comment or
				// counter: the value is "val".
				m, _ := object(body)
				if m["val"] == nil {
					return v, "element without a value"
				}
				return parseValue(m["val"])
			}
		}
	default:
		n, err := strconv.ParseInt(string(t), 10, 64)
		if err != nil {
			// A number too large for int64, or a fraction: kept
			// as unknown, never a port or a protocol.
			return v, ""
		}
		v.Kind, v.Num = "number", n
	}
	return v, ""
}

// object decodes a JSON object into its members, or reports false.
func object(raw json.RawMessage) (map[string]json.RawMessage, bool) {
	var m map[string]json.RawMessage
	if len(bytes.TrimSpace(raw)) == 0 || bytes.TrimSpace(raw)[0] != '{' {
		return nil, false
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, false
	}
	return m, true
}

// array decodes a JSON array into its members, or reports false.
func array(raw json.RawMessage) ([]json.RawMessage, bool) {
	var a []json.RawMessage
	if len(bytes.TrimSpace(raw)) == 0 || bytes.TrimSpace(raw)[0] != '[' {
		return nil, false
	}
	if err := json.Unmarshal(raw, &a); err != nil {
		return nil, false
	}
	return a, true
}

// str decodes a JSON string, or gives "".
func str(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return ""
	}
	return s
}

// integer decodes a JSON integer that fits an int.
func integer(raw json.RawMessage) (int, bool) {
	n, err := strconv.Atoi(string(bytes.TrimSpace(raw)))
	return n, err == nil
}

// compact returns raw without insignificant blanks.
func compact(raw json.RawMessage) string {
	var b bytes.Buffer
	if json.Compact(&b, raw) != nil {
		return string(raw)
	}
	return b.String()
}

// Chain returns the chain of a table.
func (rs *Ruleset) Chain(family, table, name string) (*Chain, bool) {
	for i := range rs.Chains {
		c := &rs.Chains[i]
		if c.Family == family && c.Table == table && c.Name == name {
			return c, true
		}
	}
	return nil, false
}

// Set returns the named set of a table.
func (rs *Ruleset) Set(family, table, name string) (*Set, bool) {
	for i := range rs.Sets {
		s := &rs.Sets[i]
		if s.Family == family && s.Table == table && s.Name == name {
			return s, true
		}
	}
	return nil, false
}

// ChainRules returns the rules of one chain in order.
func (rs *Ruleset) ChainRules(family, table, chain string) []Rule {
	var out []Rule
	for _, r := range rs.Rules {
		if r.Family == family && r.Table == table && r.Chain == chain {
			out = append(out, r)
		}
	}
	return out
}

// String renders the rule in nft's own syntax as far as it is modelled
// ("tcp dport { 22, 80 } counter accept"); a statement that is not is
// shown as its JSON.
func (r *Rule) String() string {
	var parts []string
	for _, e := range r.Expr {
		parts = append(parts, e.String())
	}
	if r.Comment != "" {
		parts = append(parts, "comment "+strconv.Quote(r.Comment))
	}
	return strings.Join(parts, " ")
}

// String renders one statement in nft's syntax.
func (e Expr) String() string {
	switch {
	case e.Kind == "match" && e.Match != nil && !e.Unknown:
		left := e.Match.Left.String()
		switch e.Match.Op {
		case "==", "in":
			return left + " " + e.Match.Right.String()
		default:
			return left + " " + e.Match.Op + " " + e.Match.Right.String()
		}
	case e.Target != "":
		return e.Kind + " " + e.Target
	case e.Kind == "counter" || e.Kind == "accept" || e.Kind == "drop" || e.Kind == "return" ||
		e.Kind == "continue" || e.Kind == "reject" || e.Kind == "log" || e.Kind == "limit" || e.Kind == "queue":
		return e.Kind
	}
	return e.Raw
}

// String renders an operand in nft's syntax.
func (o Operand) String() string {
	switch o.Kind {
	case "payload":
		return o.Protocol + " " + o.Field
	case "meta":
		switch o.Key {
		case "iif", "iifname", "oif", "oifname", "mark", "pkttype", "iiftype", "oiftype":
			return o.Key
		}
		return "meta " + o.Key
	case "ct":
		s := "ct"
		if o.Dir != "" {
			s += " " + o.Dir
		}
		if o.Family != "" {
			s += " " + o.Family
		}
		return s + " " + o.Key
	case "fib":
		return "fib " + strings.Join(o.Flags, " . ") + " " + o.Key
	case "&":
		return o.Inner.String() + " & " + o.Mask.String()
	}
	return o.Raw
}

// String renders a value in nft's syntax.
func (v Value) String() string {
	switch v.Kind {
	case "number":
		return strconv.FormatInt(v.Num, 10)
	case "string":
		if v.Str == "" || strings.ContainsAny(v.Str, " \t\"") {
			return strconv.Quote(v.Str)
		}
		return v.Str
	case "bool":
		return map[bool]string{true: "true", false: "false"}[v.Num == 1]
	case "prefix":
		return v.Addr + "/" + strconv.Itoa(v.Len)
	case "range":
		if len(v.Elems) == 2 {
			return v.Elems[0].String() + "-" + v.Elems[1].String()
		}
	case "set":
		var parts []string
		for _, e := range v.Elems {
			parts = append(parts, e.String())
		}
		return "{ " + strings.Join(parts, ", ") + " }"
	case "list", "|":
		sep := ","
		if v.Kind == "|" {
			sep = " | "
		}
		var parts []string
		for _, e := range v.Elems {
			parts = append(parts, e.String())
		}
		return strings.Join(parts, sep)
	}
	return v.Raw
}
