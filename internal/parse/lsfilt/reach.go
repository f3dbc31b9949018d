package lsfilt

import (
	"strconv"
	"strings"
)

// protocolNumbers maps the protocol names lsfilt prints to their numbers,
// so that a rule written with a number matches the name and back.
var protocolNumbers = map[string]string{"icmp": "1", "tcp": "6", "udp": "17", "icmpv6": "58", "esp": "50", "ah": "51", "ospf": "89", "ipip": "4"}

// matchesProtocol reports whether a rule's protocol covers the first packet
// of a connection of protocol proto. tcp/ack matches only packets with the
// ACK flag, which the packet opening a connection lacks.
func matchesProtocol(rule, proto string) bool {
	rule, proto = strings.ToLower(rule), strings.ToLower(proto)
	switch {
	case rule == "all":
		return true
	case rule == "tcp/ack":
		return false
	case rule == proto:
		return true
	}
	if n, ok := protocolNumbers[rule]; ok && n == proto {
		return true
	}
	n, ok := protocolNumbers[proto]
	return ok && n == rule
}

// applies reports whether rule r can apply to a new inbound connection to
// local port port of protocol proto.
func (r Rule) applies(version int, proto string, port int) bool {
	return !r.Dynamic &&
		(version == 0 || r.Version == version) &&
		(r.Direction == DirInbound || r.Direction == DirBoth) &&
		(r.Scope == "" || r.Scope == "local" || r.Scope == "both") &&
		matchesProtocol(r.Protocol, proto) &&
		r.DestPort.Match(port)
}

// decides reports whether r, when it applies, decides for every client:
// it is a plain permit or deny with no condition on the source, the local
// address, the source port, the interface, a tunnel or the packet's
// contents.
func (r Rule) decides() bool {
	return (r.Action == ActionPermit || r.Action == ActionDeny) &&
		r.Source.Any() && r.Destination.Any() &&
		r.SourcePort.Op == "any" && r.Tunnel == 0 &&
		(r.Interface == "" || r.Interface == "all") &&
		r.Pattern == "" &&
		(r.Fragment == "" || r.Fragment == "all packets")
}

// Inbound returns, in the order they are applied, the rules of IP version
// version (4 or 6; 0 for both) that can apply to a new connection from
// another host to local port port of protocol proto ("tcp", "udp", or a
// protocol number), up to and including the first one that decides for
// every client (often the default rule). Rules for forwarded traffic
// (scope route), outbound rules and tcp/ack rules are left out; rules
// limited to a local address are kept, since the caller may listen on it.
func (f *File) Inbound(version int, proto string, port int) []Rule {
	var out []Rule
	for _, r := range f.Rules {
		if !r.applies(version, proto, port) {
			continue
		}
		out = append(out, r)
		if r.decides() {
			break
		}
	}
	return out
}

// Summary says in words who can open a connection to local port port of
// protocol proto through the rules of IP version version, for a report:
// "everyone", "no one", "only 10.0.0.0/8 and 192.168.1.5", "everyone
// except 203.0.113.0/24". Conditions other than the source address are
// added to the address ("10.0.0.0/8 on en1", "any through tunnel 2").
// Rules with actions other than permit and deny (stateful IF, ELSE and
// ENDIF rules, shun rules) cannot be summed up in a phrase; when one
// applies, Summary says so and names it. With no rule that applies it
// says "everyone": nothing filters the port.
func (f *File) Summary(version int, proto string, port int) string {
	type entry struct {
		permit bool
		text   string
	}
	var entries []entry
	final := true // permit when no rule decides
	for _, r := range f.Inbound(version, proto, port) {
		if r.Action != ActionPermit && r.Action != ActionDeny {
			return "depends on " + r.Action + " rule " + strconv.Itoa(r.Number)
		}
		if r.decides() {
			final = r.Action == ActionPermit
			break
		}
		entries = append(entries, entry{r.Action == ActionPermit, r.who()})
	}
	// Only entries that come before one of the opposite verdict change
	// the outcome for anyone: an entry with the final verdict after the
	// last contrary one says what the final rule says anyway.
	last := -1
	for i, e := range entries {
		if e.permit != final {
			last = i
		}
	}
	var contrary, first []string
	for i, e := range entries {
		switch {
		case e.permit != final:
			contrary = append(contrary, e.text)
		case i < last:
			first = append(first, e.text)
		}
	}
	var s string
	switch {
	case final && len(contrary) == 0:
		return "everyone"
	case !final && len(contrary) == 0:
		return "no one"
	case final:
		s = "everyone except " + list(contrary)
	default:
		s = "only " + list(contrary)
	}
	if len(first) > 0 {
		if final {
			s += " (but " + list(first) + " allowed first)"
		} else {
			s += " (but " + list(first) + " denied first)"
		}
	}
	return s
}

// who describes the clients a rule applies to.
func (r Rule) who() string {
	s := r.Source.String()
	if s == "any" {
		s = "any host"
	}
	if !r.Destination.Any() {
		s += " to " + r.Destination.String()
	}
	if r.SourcePort.Op != "any" {
		s += " from port " + r.SourcePort.String()
	}
	if r.Interface != "" && r.Interface != "all" {
		s += " on " + r.Interface
	}
	if r.Tunnel != 0 {
		s += " through tunnel " + strconv.Itoa(r.Tunnel)
	}
	if r.Pattern != "" {
		s += " with a pattern"
	}
	return s
}

// list joins items as "a", "a and b", "a, b and c".
func list(items []string) string {
	if len(items) <= 1 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}
