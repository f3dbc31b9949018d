package firewall

import (
	"net/netip"
	"slices"
	"strconv"
	"strings"
)

// builder collects the matches of one rule as a converter reads them, and
// makes the Rules they come to. Some matches name a set of protocols or
// interfaces; a Rule holds one of each, so such a rule becomes one Rule
// per protocol and interface, which a packet (having one of each) matches
// at most once.
type builder struct {
	r Rule
	// never reports a rule no packet that opens a connection can match.
	never bool
	// fam is the family the rule's matches require, "" for either.
	fam Family
	// protos holds the protocols allowed (nil: any); notProtos those
	// excluded.
	protos    []string
	notProtos []string
	// ifaces holds the interfaces allowed (nil: any); notIfaces those
	// excluded.
	ifaces    []string
	notIfaces []string
	haveSrc   bool
	haveDst   bool
	haveDPort bool
	haveSPort bool
	haveState bool
}

// unknown marks a match the model does not understand.
func (b *builder) unknown() { b.r.Unknown = true }

// needFamily records that the rule matches only packets of family f.
func (b *builder) needFamily(f Family) {
	if b.fam != "" && b.fam != f {
		b.never = true
	}
	b.fam = f
}

// proto records a protocol match: one of ps, or, with not, none of them.
func (b *builder) proto(ps []string, not bool) {
	var norm []string
	for _, p := range ps {
		norm = append(norm, normProto(p))
	}
	if slices.Contains(norm, "") {
		// "all" among them: with not, nothing matches.
		if not {
			b.never = true
		}
		return
	}
	if not {
		b.notProtos = append(b.notProtos, norm...)
		return
	}
	if b.protos == nil {
		b.protos = norm
		return
	}
	b.protos = slices.DeleteFunc(b.protos, func(p string) bool { return !slices.Contains(norm, p) })
	if len(b.protos) == 0 {
		b.never = true
	}
}

// iface records an input interface match.
func (b *builder) iface(names []string, not bool) {
	switch {
	case not:
		b.notIfaces = append(b.notIfaces, names...)
	case len(names) == 0:
		b.never = true
	case b.ifaces != nil:
		b.unknown()
	default:
		b.ifaces = names
	}
}

// src records a source address match. An empty list matches nothing, or,
// with not, everything.
func (b *builder) src(ps []netip.Prefix, not bool) {
	if b.setOnce(&b.haveSrc, len(ps), not) {
		b.r.Src, b.r.SrcNot = ps, not
	}
}

// dst records a destination address match.
func (b *builder) dst(ps []netip.Prefix, not bool) {
	if b.setOnce(&b.haveDst, len(ps), not) {
		b.r.Dst, b.r.DstNot = ps, not
	}
}

// dport records a destination port match.
func (b *builder) dport(ps []PortRange, not bool) {
	if b.setOnce(&b.haveDPort, len(ps), not) {
		b.r.DPorts, b.r.DPortsNot = ps, not
	}
}

// sport records a source port match.
func (b *builder) sport(ps []PortRange, not bool) {
	if b.setOnce(&b.haveSPort, len(ps), not) {
		b.r.SPorts, b.r.SPortsNot = ps, not
	}
}

// state records a conntrack state match.
func (b *builder) state(ss []string, not bool) {
	var low []string
	for _, s := range ss {
		low = append(low, strings.ToLower(s))
	}
	if b.setOnce(&b.haveState, len(low), not) {
		b.r.State, b.r.StateNot = low, not
	}
}

// setOnce handles what the list matches have in common: an empty list,
// and a second match of the same kind in one rule, which the model does
// not combine (it marks the rule Unknown and keeps the first). It reports
// whether the caller should store the list.
func (b *builder) setOnce(have *bool, n int, not bool) bool {
	if n == 0 {
		if !not {
			b.never = true
		}
		return false
	}
	if *have {
		b.unknown()
		return false
	}
	*have = true
	return true
}

// rules makes the Rules of the family f, none when no packet of f that
// opens a connection can match.
func (b *builder) rules(f Family) []Rule {
	if b.never || (b.fam != "" && b.fam != f) {
		return nil
	}
	base := b.r
	// Addresses of the other family never match; a list left empty
	// then matches nothing (or, negated, everything).
	if base.Src = onlyFamily(base.Src, f); len(base.Src) == 0 && len(b.r.Src) > 0 {
		if !base.SrcNot {
			return nil
		}
		base.SrcNot = false
	}
	if base.Dst = onlyFamily(base.Dst, f); len(base.Dst) == 0 && len(b.r.Dst) > 0 {
		if !base.DstNot {
			return nil
		}
		base.DstNot = false
	}
	protos, protoNot, ok := choices(b.protos, b.notProtos)
	if !ok {
		base.Unknown = true
	}
	ifaces, ifaceNot, ok := choices(b.ifaces, b.notIfaces)
	if !ok {
		base.Unknown = true
	}
	var out []Rule
	for _, p := range protos {
		for _, i := range ifaces {
			r := base
			r.Proto, r.ProtoNot = p, protoNot
			r.InIface, r.InIfaceNot = i, ifaceNot
			out = append(out, r)
		}
	}
	return out
}

// choices turns an allowed list and an excluded list into the values to
// make one Rule each of, and whether the one value is negated. Two or
// more exclusions with no allowed list cannot be held by one Rule: ok is
// then false and the rule matches any value.
func choices(allowed, excluded []string) (values []string, not, ok bool) {
	if allowed == nil {
		switch len(excluded) {
		case 0:
			return []string{""}, false, true
		case 1:
			return excluded, true, true
		}
		return []string{""}, false, false
	}
	for _, a := range allowed {
		if !slices.Contains(excluded, a) && !slices.Contains(values, a) {
			values = append(values, a)
		}
	}
	return values, false, true
}

func onlyFamily(ps []netip.Prefix, f Family) []netip.Prefix {
	var out []netip.Prefix
	for _, p := range ps {
		if p.IsValid() && famOf(p.Addr(), f) {
			out = append(out, p)
		}
	}
	return out
}

// tcpFlags gives the bit of a TCP flag name.
var tcpFlags = map[string]int{
	"fin": 0x01, "syn": 0x02, "rst": 0x04, "psh": 0x08,
	"ack": 0x10, "urg": 0x20, "ecn": 0x40, "cwr": 0x80,
}

// synFlags are the flags of the first packet of a TCP connection.
const synFlags = 0x02

// parseFlags reads a comma-separated list of flag names as iptables
// writes them ("FIN,SYN,RST,ACK", "ALL", "NONE").
func parseFlags(s string) (int, bool) {
	bits := 0
	for _, f := range strings.Split(strings.ToLower(s), ",") {
		switch f {
		case "all":
			bits |= 0xff
		case "none":
		default:
			b, ok := tcpFlags[f]
			if !ok {
				return 0, false
			}
			bits |= b
		}
	}
	return bits, true
}

// parsePort reads a port number.
func parsePort(s string) (int, bool) {
	n, err := strconv.Atoi(s)
	return n, err == nil && n >= 0 && n <= 65535
}

// parseAddrOrPrefix reads "10.0.0.0/8", "10.0.0.1", or the iptables form
// with a dotted mask "10.0.0.0/255.0.0.0" (when the mask is contiguous).
func parseAddrOrPrefix(s string) (netip.Prefix, bool) {
	if a, m, ok := strings.Cut(s, "/"); ok {
		if p, err := netip.ParsePrefix(s); err == nil {
			return p.Masked(), true
		}
		addr, err1 := netip.ParseAddr(a)
		mask, err2 := netip.ParseAddr(m)
		if err1 != nil || err2 != nil || addr.BitLen() != mask.BitLen() {
			return netip.Prefix{}, false
		}
		bits, ok := maskBits(mask)
		if !ok {
			return netip.Prefix{}, false
		}
		return netip.PrefixFrom(addr, bits).Masked(), true
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, false
	}
	a = a.WithZone("")
	return netip.PrefixFrom(a, a.BitLen()), true
}

// maskBits is the length of a contiguous netmask.
func maskBits(m netip.Addr) (int, bool) {
	n, ended := 0, false
	for _, b := range m.AsSlice() {
		for i := 7; i >= 0; i-- {
			set := b&(1<<i) != 0
			switch {
			case set && ended:
				return 0, false
			case set:
				n++
			default:
				ended = true
			}
		}
	}
	return n, true
}
