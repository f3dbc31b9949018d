// Package firewall models what a Linux host's packet filter does with a
// packet that opens a connection to one of its listening sockets, and
// answers, for a socket, who can reach it: anyone, some networks only,
// only the host itself, or nobody, and which rule decides it.
//
// The model holds the chains that see incoming packets: for nftables the
// base chains of type filter at the input hook, of every ip, ip6 and inet
// table, with the regular chains they jump to; for iptables the INPUT
// chain of the filter table and the chains it jumps to. FromNFT and
// FromIPTables build it from the parsed output of "nft -j list ruleset" and
// iptables-save. Evaluate then follows a new connection's first packet
// through it. The packet comes from any address but the loopback ones, on
// any interface but lo, as conntrack state "new"; for TCP it is a SYN.
//
// What the filter does to a packet may depend on things other than its
// source: the interface it arrives on, the address it is sent to, its
// source port, a rate limit. Evaluate tries every case the rules tell
// apart and reports a socket reachable if any case lets the packet in.
// Matches the model does not understand make a rule "unknown": see
// Evaluate for how they are judged.
package firewall

import (
	"net/netip"
	"slices"
	"strconv"
	"strings"
)

// Family is the address family a chain filters: "ip" (IPv4) or "ip6".
type Family string

// The families. An nftables inet table belongs to both.
const (
	IPv4 Family = "ip"
	IPv6 Family = "ip6"
)

// PortRange is an inclusive range of port numbers; a single port has
// From == To.
type PortRange struct {
	From, To int
}

// Contains reports whether port p is in the range.
func (r PortRange) Contains(p int) bool { return r.From <= p && p <= r.To }

// String returns "22" or "1000-2000".
func (r PortRange) String() string {
	if r.From == r.To {
		return strconv.Itoa(r.From)
	}
	return strconv.Itoa(r.From) + "-" + strconv.Itoa(r.To)
}

// Rule is one rule of a chain, reduced to what decides whether a packet
// that opens a connection gets in. Every field that is set must match for
// the rule to match; a list matches when any member does, and its Not
// flag inverts the whole list.
type Rule struct {
	// Where is "file:line" for iptables, "nft table inet filter chain
	// input handle 7" for nftables.
	Where string
	// Text is the rule as written, for the report.
	Text string
	// Proto is the layer 4 protocol ("tcp", "udp", "icmp"), "" for any.
	Proto    string
	ProtoNot bool
	// DPorts holds the destination ports; empty means any.
	DPorts    []PortRange
	DPortsNot bool
	// SPorts holds the source ports; empty means any.
	SPorts    []PortRange
	SPortsNot bool
	// Src holds the source networks; empty means any.
	Src    []netip.Prefix
	SrcNot bool
	// Dst holds the destination networks; empty means any.
	Dst    []netip.Prefix
	DstNot bool
	// InIface is the interface the packet arrives on, "" for any. A
	// name ending in "+" (iptables) or "*" (nftables) matches every name
	// that starts with what comes before it.
	InIface    string
	InIfaceNot bool
	// State holds conntrack states ("new", "established", "related",
	// "invalid", "untracked"); empty means any.
	State    []string
	StateNot bool
	// Verdict is "accept", "drop", "reject", "jump:<chain>",
	// "goto:<chain>", "return", "" when the rule only counts or logs, or
	// "unknown" for a verdict the model does not understand (a queue to a
	// program, a verdict map, an unknown target).
	Verdict string
	// Sometimes reports a match that holds for some packets of the same
	// kind and not for others (a rate limit, a list of recent sources):
	// both outcomes happen, so a packet may go either way.
	Sometimes bool
	// Unknown reports a match the model does not understand: the rule
	// may or may not match.
	Unknown bool
}

// Chain is one chain of rules.
type Chain struct {
	// Name is the chain's name; jumps name it.
	Name string
	// Table names the table, with the nftables family ("inet filter",
	// "ip filter"); jumps stay within a table.
	Table string
	// Type is the nftables chain type ("filter", "nat"); only filter
	// chains drop packets. It is "filter" for iptables chains.
	Type string
	// Hook is "input" for a base chain of the input hook, another hook's
	// name for other base chains, "" for a chain reached by jumps.
	Hook string
	// Policy is "accept" or "drop" for a base chain.
	Policy string
	// Priority orders the base chains of one hook: lower runs first.
	Priority int
	// Rules holds the rules in order.
	Rules []Rule
	// Where is the chain's place: "file:line" of its declaration, or
	// "nft table inet filter chain input".
	Where string
}

// Ruleset is a host's packet filter.
type Ruleset struct {
	// Source names where the rules come from: "nftables", "iptables",
	// "ufw".
	Source string
	// Families holds the chains of each family. A family that is missing
	// or has no base input chain lets every packet in.
	Families map[Family][]Chain
}

// Merge returns one ruleset that holds the chains of all of sets, for a
// host whose packets pass through more than one of them (legacy iptables
// and nftables at the same time). A packet must get through every one.
// Table names are prefixed by each set's Source so that their chains stay
// apart. Nil sets are skipped.
func Merge(sets ...*Ruleset) *Ruleset {
	out := &Ruleset{Families: map[Family][]Chain{}}
	var sources []string
	for _, rs := range sets {
		if rs == nil {
			continue
		}
		sources = append(sources, rs.Source)
		for fam, chains := range rs.Families {
			for _, c := range chains {
				c.Table = rs.Source + " " + c.Table
				c.Rules = slices.Clone(c.Rules)
				out.Families[fam] = append(out.Families[fam], c)
			}
		}
	}
	out.Source = strings.Join(sources, "+")
	return out
}

// normProto gives the name of a protocol written by name or number, ""
// for "all" or 0.
func normProto(p string) string {
	p = strings.ToLower(p)
	switch p {
	case "6":
		return "tcp"
	case "17":
		return "udp"
	case "1":
		return "icmp"
	case "58", "icmpv6", "icmp6":
		return "ipv6-icmp"
	case "132":
		return "sctp"
	case "33":
		return "dccp"
	case "136":
		return "udplite"
	case "all", "0":
		return ""
	}
	return p
}

// hasPorts reports a protocol whose header has port numbers.
func hasPorts(p string) bool {
	switch p {
	case "tcp", "udp", "sctp", "dccp", "udplite":
		return true
	}
	return false
}
