package firewall

import (
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"bastion/internal/parse/nftjson"
)

// FromNFT builds the model of a parsed "nft -j list ruleset". Tables of
// the ip and ip6 families give chains of that family, inet tables of
// both; other families (arp, bridge, netdev) are left out. Within an inet
// table, a rule that matches IPv4 headers only ("ip saddr", "meta nfproto
// ipv4") is left out of the IPv6 chains, and the other way round.
//
// Iptables rules loaded through iptables-nft appear with "xt" statements
// whose parameters nft does not print; they become Unknown. For such
// tables, FromIPTables on the output of iptables-save (which does print
// them) gives the better model.
func FromNFT(src *nftjson.Ruleset) (*Ruleset, error) {
	if src == nil {
		return nil, errors.New("no nftables ruleset")
	}
	rs := &Ruleset{Source: "nftables", Families: map[Family][]Chain{}}
	for _, c := range src.Chains {
		for _, fam := range nftFamilies(c.Family) {
			ch := Chain{
				Name:     c.Name,
				Table:    c.Family + " " + c.Table,
				Type:     c.Type,
				Hook:     c.Hook,
				Policy:   c.Policy,
				Priority: c.Prio,
				Where:    fmt.Sprintf("nft table %s %s chain %s", c.Family, c.Table, c.Name),
			}
			if ch.Hook != "" && ch.Policy == "" {
				ch.Policy = "accept"
			}
			for i := range src.Rules {
				r := &src.Rules[i]
				if r.Family == c.Family && r.Table == c.Table && r.Chain == c.Name {
					ch.Rules = append(ch.Rules, nftRule(src, r, fam)...)
				}
			}
			rs.Families[fam] = append(rs.Families[fam], ch)
		}
	}
	return rs, nil
}

func nftFamilies(f string) []Family {
	switch f {
	case "ip":
		return []Family{IPv4}
	case "ip6":
		return []Family{IPv6}
	case "inet":
		return []Family{IPv4, IPv6}
	}
	return nil
}

// nftRule converts one nftables rule for the family fam.
func nftRule(src *nftjson.Ruleset, r *nftjson.Rule, fam Family) []Rule {
	b := &builder{r: Rule{Where: "nft " + r.Place(), Text: r.String()}}
	if r.Family == "ip" {
		b.fam = IPv4
	} else if r.Family == "ip6" {
		b.fam = IPv6
	}
	c := nftConv{src: src, rule: r, b: b}
	for _, e := range r.Expr {
		if b.r.Verdict != "" {
			// Statements after a verdict never run.
			break
		}
		c.expr(e)
	}
	return b.rules(fam)
}

type nftConv struct {
	src  *nftjson.Ruleset
	rule *nftjson.Rule
	b    *builder
}

// harmless lists statements that neither match nor decide: they change
// marks, counters or sets, or log.
var harmless = map[string]bool{
	"counter": true, "log": true, "mangle": true, "notrack": true, "set": true,
	"map": true, "dup": true, "secmark": true, "ct helper": true,
	"ct timeout": true, "ct expectation": true, "continue": true,
}

// sometimes lists statements that let some packets of a kind through and
// not others: rate limits, quotas, connection counts.
var sometimes = map[string]bool{
	"limit": true, "quota": true, "ct count": true, "meter": true,
}

func (c nftConv) expr(e nftjson.Expr) {
	b := c.b
	switch {
	case e.Kind == "match" && e.Match != nil:
		c.match(*e.Match)
	case e.Kind == "accept" || e.Kind == "drop" || e.Kind == "reject" || e.Kind == "return":
		b.r.Verdict = e.Kind
	case e.Kind == "jump" || e.Kind == "goto":
		b.r.Verdict = e.Kind + ":" + e.Target
	case e.Kind == "xt" && e.XTType == "match" && e.XTName == "comment":
	case e.Kind == "xt" && e.XTType == "target" && (e.XTName == "LOG" || e.XTName == "NFLOG"):
	case e.Kind == "xt" && e.XTType == "target":
		b.r.Verdict = "unknown"
	case harmless[e.Kind]:
	case sometimes[e.Kind]:
		b.r.Sometimes = true
	case e.Kind == "queue" || e.Kind == "vmap" || e.Kind == "synproxy" || e.Kind == "tproxy" || e.Kind == "fwd":
		b.r.Verdict = "unknown"
	default:
		b.unknown()
	}
}

func (c nftConv) match(m nftjson.Match) {
	b := c.b
	not := m.Op == "!="
	l := m.Left
	if m.Op != "==" && m.Op != "!=" && m.Op != "in" {
		// An order comparison: modelled for ports only.
		if l.Kind == "payload" && l.Field == "dport" && m.Right.Kind == "number" {
			c.portMatch(l.Protocol, orderRange(m.Op, m.Right.Num), false, b.dport)
			return
		}
		b.unknown()
		return
	}
	switch l.Kind {
	case "payload":
		c.payload(l, m.Right, not, m)
	case "meta":
		c.meta(l.Key, m.Right, not)
	case "ct":
		if l.Key != "state" || l.Dir != "" || l.Family != "" {
			b.unknown()
			return
		}
		ss, ok := c.strs(m.Right)
		if !ok {
			b.unknown()
			return
		}
		b.state(ss, not)
	case "fib":
		// The packet is addressed to one of the host's own
		// addresses, so "fib daddr type" is "local".
		if l.Key != "type" || len(l.Flags) == 0 || l.Flags[0] != "daddr" {
			b.unknown()
			return
		}
		c.oneOf(m.Right, not, "local")
	case "&":
		c.flags(m)
	default:
		b.unknown()
	}
}

// oneOf records a match of a property whose value for the packet is one
// of want: the rule matches (or, with not, never matches) when the value
// is among the right side's, and otherwise never matches (or always).
func (c nftConv) oneOf(right nftjson.Value, not bool, want ...string) {
	ss, ok := c.strs(right)
	if !ok {
		c.b.unknown()
		return
	}
	in := false
	for _, s := range ss {
		for _, w := range want {
			if s == w {
				in = true
			}
		}
	}
	if in == not {
		c.b.never = true
	}
}

// l4 lists the payload protocols of layer 4.
var l4 = map[string]bool{"tcp": true, "udp": true, "sctp": true, "dccp": true, "udplite": true}

func (c nftConv) payload(l nftjson.Operand, right nftjson.Value, not bool, m nftjson.Match) {
	b := c.b
	switch {
	case (l4[l.Protocol] || l.Protocol == "th") && l.Field == "dport":
		c.portMatch(l.Protocol, right, not, b.dport)
	case (l4[l.Protocol] || l.Protocol == "th") && l.Field == "sport":
		c.portMatch(l.Protocol, right, not, b.sport)
	case l.Protocol == "tcp" && l.Field == "flags":
		c.flags(m)
	case l4[l.Protocol]:
		b.proto([]string{l.Protocol}, false)
		b.unknown()
	case (l.Protocol == "ip" || l.Protocol == "ip6") && (l.Field == "saddr" || l.Field == "daddr"):
		b.needFamily(Family(l.Protocol))
		ps, ok := c.prefixes(right)
		if !ok {
			b.unknown()
			return
		}
		if l.Field == "saddr" {
			b.src(ps, not)
		} else {
			b.dst(ps, not)
		}
	case (l.Protocol == "ip" && l.Field == "protocol") || (l.Protocol == "ip6" && l.Field == "nexthdr"):
		b.needFamily(Family(l.Protocol))
		ps, ok := c.strs(right)
		if !ok {
			b.unknown()
			return
		}
		b.proto(ps, not)
	case l.Protocol == "ip" || l.Protocol == "icmp":
		b.needFamily(IPv4)
		if l.Protocol == "icmp" {
			b.proto([]string{"icmp"}, false)
		}
		b.unknown()
	case l.Protocol == "ip6" || l.Protocol == "icmpv6":
		b.needFamily(IPv6)
		if l.Protocol == "icmpv6" {
			b.proto([]string{"ipv6-icmp"}, false)
		}
		b.unknown()
	default:
		b.unknown()
	}
}

// portMatch records a port match of a protocol's header; "th" is the
// header of any protocol with ports.
func (c nftConv) portMatch(proto string, right any, not bool, set func([]PortRange, bool)) {
	if proto != "th" {
		c.b.proto([]string{proto}, false)
	}
	var ps []PortRange
	switch v := right.(type) {
	case nftjson.Value:
		var ok bool
		if ps, ok = c.ports(v); !ok {
			c.b.unknown()
			return
		}
	case []PortRange:
		ps = v
	}
	set(ps, not)
}

// orderRange turns "< n" and its kin into a range of ports.
func orderRange(op string, n int64) []PortRange {
	lo, hi := int64(0), int64(65535)
	switch op {
	case "<":
		hi = n - 1
	case "<=":
		hi = n
	case ">":
		lo = n + 1
	case ">=":
		lo = n
	}
	lo, hi = max(lo, 0), min(hi, 65535)
	if lo > hi {
		return nil
	}
	return []PortRange{{int(lo), int(hi)}}
}

func (c nftConv) meta(key string, right nftjson.Value, not bool) {
	b := c.b
	switch key {
	case "l4proto":
		ps, ok := c.strs(right)
		if !ok {
			b.unknown()
			return
		}
		b.proto(ps, not)
	case "nfproto", "protocol":
		ss, ok := c.strs(right)
		if !ok {
			b.unknown()
			return
		}
		v4 := contains(ss, "ipv4", "ip", "2", "0x0800", "2048")
		v6 := contains(ss, "ipv6", "ip6", "10", "0x86dd", "34525")
		if not {
			v4, v6 = !v4, !v6
		}
		switch {
		case v4 && v6:
		case v4:
			b.needFamily(IPv4)
		case v6:
			b.needFamily(IPv6)
		default:
			b.never = true
		}
	case "iif", "iifname":
		ss, ok := c.strs(right)
		if !ok {
			b.unknown()
			return
		}
		if key == "iifname" {
			// nft writes the wildcard as "eth*"; a backslash
			// before the star makes it literal.
			for i, s := range ss {
				ss[i] = strings.ReplaceAll(s, `\*`, "*")
			}
		}
		b.iface(ss, not)
	case "pkttype":
		c.oneOf(right, not, "host", "unicast")
	default:
		b.unknown()
	}
}

func contains(ss []string, any ...string) bool {
	for _, s := range ss {
		for _, a := range any {
			if strings.EqualFold(s, a) {
				return true
			}
		}
	}
	return false
}

// flags judges a match of the TCP flags on the first packet of a
// connection, a SYN: "tcp flags & (fin|syn|rst|ack) != syn" never
// matches it, "tcp flags syn" does.
func (c nftConv) flags(m nftjson.Match) {
	b := c.b
	l := m.Left
	value := synFlags
	if l.Kind == "&" {
		if l.Inner == nil || l.Inner.Kind != "payload" || l.Inner.Protocol != "tcp" || l.Inner.Field != "flags" || l.Mask == nil {
			b.unknown()
			return
		}
		mask, ok := flagValue(*l.Mask)
		if !ok {
			b.unknown()
			return
		}
		value &= mask
	}
	b.proto([]string{"tcp"}, false)
	var hit bool
	if m.Right.Kind == "set" {
		for _, e := range m.Right.Elems {
			v, ok := flagValue(e)
			if !ok {
				b.unknown()
				return
			}
			hit = hit || v == value
		}
		if m.Op == "!=" {
			hit = !hit
		}
	} else {
		want, ok := flagValue(m.Right)
		if !ok {
			b.unknown()
			return
		}
		switch m.Op {
		case "in":
			// "tcp flags syn": one of the flags is set.
			hit = value&want != 0
		case "==":
			hit = value == want
		default:
			hit = value != want
		}
	}
	if !hit {
		b.never = true
	}
}

// flagValue reads TCP flags written as a name, a list or a bitwise or of
// names, or a number.
func flagValue(v nftjson.Value) (int, bool) {
	switch v.Kind {
	case "number":
		return int(v.Num), true
	case "string":
		bit, ok := tcpFlags[v.Str]
		return bit, ok
	case "list", "|":
		bits := 0
		for _, e := range v.Elems {
			b, ok := flagValue(e)
			if !ok {
				return 0, false
			}
			bits |= b
		}
		return bits, true
	}
	return 0, false
}

// elems flattens a value into its members: the elements of an anonymous
// set or a list, or of the named set "@name" of the rule's table.
func (c nftConv) elems(v nftjson.Value) ([]nftjson.Value, bool) {
	switch v.Kind {
	case "set", "list":
		var out []nftjson.Value
		for _, e := range v.Elems {
			sub, ok := c.elems(e)
			if !ok {
				return nil, false
			}
			out = append(out, sub...)
		}
		return out, true
	case "string":
		if name, ok := strings.CutPrefix(v.Str, "@"); ok {
			s, found := c.src.Set(c.rule.Family, c.rule.Table, name)
			if !found {
				return nil, false
			}
			var out []nftjson.Value
			for _, e := range s.Elems {
				if e.Kind == "set" || e.Kind == "list" || (e.Kind == "string" && strings.HasPrefix(e.Str, "@")) {
					return nil, false
				}
				out = append(out, e)
			}
			return out, true
		}
	}
	return []nftjson.Value{v}, true
}

func (c nftConv) ports(v nftjson.Value) ([]PortRange, bool) {
	es, ok := c.elems(v)
	if !ok {
		return nil, false
	}
	var out []PortRange
	for _, e := range es {
		switch e.Kind {
		case "number", "string":
			n, ok := portOf(e)
			if !ok {
				return nil, false
			}
			out = append(out, PortRange{n, n})
		case "range":
			lo, ok1 := portOf(e.Elems[0])
			hi, ok2 := portOf(e.Elems[1])
			if !ok1 || !ok2 || lo > hi {
				return nil, false
			}
			out = append(out, PortRange{lo, hi})
		default:
			return nil, false
		}
	}
	return out, true
}

func portOf(v nftjson.Value) (int, bool) {
	switch v.Kind {
	case "number":
		return int(v.Num), v.Num >= 0 && v.Num <= 65535
	case "string":
		return parsePort(v.Str)
	}
	return 0, false
}

func (c nftConv) prefixes(v nftjson.Value) ([]netip.Prefix, bool) {
	es, ok := c.elems(v)
	if !ok {
		return nil, false
	}
	var out []netip.Prefix
	for _, e := range es {
		switch e.Kind {
		case "string":
			p, ok := parseAddrOrPrefix(e.Str)
			if !ok {
				return nil, false
			}
			out = append(out, p)
		case "prefix":
			a, err := netip.ParseAddr(e.Addr)
			if err != nil || e.Len > a.BitLen() {
				return nil, false
			}
			out = append(out, netip.PrefixFrom(a, e.Len).Masked())
		case "range":
			if e.Elems[0].Kind != "string" || e.Elems[1].Kind != "string" {
				return nil, false
			}
			lo, err1 := netip.ParseAddr(e.Elems[0].Str)
			hi, err2 := netip.ParseAddr(e.Elems[1].Str)
			if err1 != nil || err2 != nil {
				return nil, false
			}
			ps, ok := rangePrefixes(lo, hi)
			if !ok {
				return nil, false
			}
			out = append(out, ps...)
		default:
			return nil, false
		}
	}
	return out, true
}

// strs reads a value as a list of words: names, or numbers written out.
func (c nftConv) strs(v nftjson.Value) ([]string, bool) {
	es, ok := c.elems(v)
	if !ok {
		return nil, false
	}
	var out []string
	for _, e := range es {
		switch e.Kind {
		case "string":
			out = append(out, e.Str)
		case "number":
			out = append(out, strconv.FormatInt(e.Num, 10))
		default:
			return nil, false
		}
	}
	return out, true
}
