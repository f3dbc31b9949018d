package firewall

import (
	"net/netip"
	"slices"
)

// addrRange is an inclusive range of addresses of one family.
type addrRange struct{ lo, hi netip.Addr }

// addrSet is a set of addresses of one family: sorted ranges that neither
// overlap nor touch. The evaluator follows a set of source addresses
// through the rules rather than one address at a time.
type addrSet []addrRange

// universe is every address of the family but the loopback ones, the
// sources a packet from elsewhere can have. The set returned is shared:
// set operations never change their operands.
func universe(f Family) addrSet {
	if f == IPv6 {
		return universe6
	}
	return universe4
}

var (
	universe4 = addrSet{rangeOf(netip.MustParsePrefix("0.0.0.0/0"))}.minus(addrSet{rangeOf(netip.MustParsePrefix("127.0.0.0/8"))})
	universe6 = addrSet{rangeOf(netip.MustParsePrefix("::/0"))}.minus(addrSet{rangeOf(netip.MustParsePrefix("::1/128"))})
)

// rangeOf is the range a prefix covers.
func rangeOf(p netip.Prefix) addrRange {
	p = p.Masked()
	return addrRange{p.Addr(), lastAddr(p)}
}

// lastAddr is the highest address of a prefix.
func lastAddr(p netip.Prefix) netip.Addr {
	a := p.Masked().Addr()
	if a.Is4() {
		b := a.As4()
		for i := p.Bits(); i < 32; i++ {
			b[i/8] |= 0x80 >> (i % 8)
		}
		return netip.AddrFrom4(b)
	}
	b := a.As16()
	for i := p.Bits(); i < 128; i++ {
		b[i/8] |= 0x80 >> (i % 8)
	}
	return netip.AddrFrom16(b)
}

// famOf says whether an address belongs to the family.
func famOf(a netip.Addr, f Family) bool {
	if f == IPv4 {
		return a.Is4()
	}
	return a.Is6()
}

// setOf is the set the prefixes of family f among ps cover.
func setOf(ps []netip.Prefix, f Family) addrSet {
	var s addrSet
	for _, p := range ps {
		if p.IsValid() && famOf(p.Addr(), f) {
			s = append(s, rangeOf(p))
		}
	}
	return s.normal()
}

// normal sorts the ranges and joins those that overlap or touch.
func (s addrSet) normal() addrSet {
	if len(s) < 2 {
		return s
	}
	s = slices.Clone(s)
	slices.SortFunc(s, func(a, b addrRange) int { return a.lo.Compare(b.lo) })
	out := addrSet{s[0]}
	for _, r := range s[1:] {
		last := &out[len(out)-1]
		next := last.hi.Next()
		if !next.IsValid() || !next.Less(r.lo) {
			// r starts inside last or right after it.
			if last.hi.Less(r.hi) {
				last.hi = r.hi
			}
			continue
		}
		out = append(out, r)
	}
	return out
}

func (s addrSet) empty() bool { return len(s) == 0 }

func (s addrSet) union(t addrSet) addrSet {
	switch {
	case len(t) == 0:
		return s
	case len(s) == 0:
		return t
	}
	return append(slices.Clone(s), t...).normal()
}

func (s addrSet) intersect(t addrSet) addrSet {
	var out addrSet
	for i, j := 0, 0; i < len(s) && j < len(t); {
		lo, hi := s[i].lo, s[i].hi
		if lo.Less(t[j].lo) {
			lo = t[j].lo
		}
		if t[j].hi.Less(hi) {
			hi = t[j].hi
		}
		if !hi.Less(lo) {
			out = append(out, addrRange{lo, hi})
		}
		if s[i].hi.Less(t[j].hi) {
			i++
		} else {
			j++
		}
	}
	return out
}

func (s addrSet) minus(t addrSet) addrSet {
	var out addrSet
	j := 0
	for _, r := range s {
		for j < len(t) && t[j].hi.Less(r.lo) {
			j++
		}
		lo, done := r.lo, false
		for k := j; k < len(t) && !r.hi.Less(t[k].lo); k++ {
			if lo.Less(t[k].lo) {
				out = append(out, addrRange{lo, t[k].lo.Prev()})
			}
			if !t[k].hi.Less(r.hi) {
				done = true
				break
			}
			lo = t[k].hi.Next()
		}
		if !done {
			out = append(out, addrRange{lo, r.hi})
		}
	}
	return out
}

func (s addrSet) equal(t addrSet) bool { return slices.Equal(s, t) }

// prefixes returns the fewest prefixes that cover exactly the set.
func (s addrSet) prefixes() []netip.Prefix {
	var out []netip.Prefix
	for _, r := range s {
		lo := r.lo
		for {
			var p netip.Prefix
			for bits := 0; bits <= lo.BitLen(); bits++ {
				p = netip.PrefixFrom(lo, bits).Masked()
				if p.Addr() == lo && !r.hi.Less(lastAddr(p)) {
					break
				}
			}
			out = append(out, p)
			end := lastAddr(p)
			if end == r.hi {
				break
			}
			lo = end.Next()
		}
	}
	return out
}

// size is the number of addresses in the set, as a float: IPv6 sets are
// larger than any integer type holds, and only their order of magnitude
// matters here.
func (s addrSet) size() float64 {
	var n float64
	for _, r := range s {
		n += addrValue(r.hi) - addrValue(r.lo) + 1
	}
	return n
}

func addrValue(a netip.Addr) float64 {
	var v float64
	for _, b := range a.AsSlice() {
		v = v*256 + float64(b)
	}
	return v
}

// nonPublic lists the ranges that the Internet at large cannot send from:
// private, shared (carrier NAT), link-local, unique local, loopback,
// unspecified, multicast and reserved. An accept from sources within them
// reaches local networks only.
var nonPublic = map[Family]addrSet{
	IPv4: setOf(mustPrefixes("0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8",
		"169.254.0.0/16", "172.16.0.0/12", "192.168.0.0/16", "224.0.0.0/4", "240.0.0.0/4"), IPv4),
	IPv6: setOf(mustPrefixes("::/128", "::1/128", "::ffff:0:0/96", "fc00::/7", "fe80::/10", "ff00::/8"), IPv6),
}

func mustPrefixes(ss ...string) []netip.Prefix {
	var out []netip.Prefix
	for _, s := range ss {
		out = append(out, netip.MustParsePrefix(s))
	}
	return out
}

// rangePrefixes covers the addresses from lo to hi (in either order) with
// prefixes; it reports false for addresses of two families.
func rangePrefixes(lo, hi netip.Addr) ([]netip.Prefix, bool) {
	if !lo.IsValid() || !hi.IsValid() || lo.Is4() != hi.Is4() {
		return nil, false
	}
	if hi.Less(lo) {
		lo, hi = hi, lo
	}
	return addrSet{{lo, hi}}.prefixes(), true
}
