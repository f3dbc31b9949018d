package sshdconfig

import (
	"net/netip"
	"strconv"
	"strings"
)

// Conn describes the connection a Match block is tested against. An empty
// field (LPort 0) is unknown, and a criterion on it does not hold, as with
// "sshd -T -C" when the test specification leaves it out.
type Conn struct {
	User string
	// Host is the client's host name (sshd looks it up only with UseDNS
	// yes; otherwise it is the address).
	Host string
	// Addr is the client's address; LAddr and LPort the address and port
	// of the server it connected to.
	Addr    string
	LAddr   string
	LPort   int
	RDomain string
	// Groups are the names of every group User is in; Match Group tests
	// them.
	Groups []string
}

// Applies reports whether the block applies to a connection: its criteria
// all hold, and so do those of its parents. A nil conn stands for no
// connection at all, as when sshd starts: only "Match all" applies then.
// A nil Match (the global section) always applies.
func (m *Match) Applies(conn *Conn) bool {
	for ; m != nil; m = m.Parent {
		if !m.holds(conn) {
			return false
		}
	}
	return true
}

// holds tests the block's own criteria.
func (m *Match) holds(conn *Conn) bool {
	if len(m.Criteria) == 0 {
		return false
	}
	for _, c := range m.Criteria {
		if !c.Holds(conn) {
			return false
		}
	}
	return true
}

// Holds reports whether one criterion holds for a connection.
func (c Criterion) Holds(conn *Conn) bool {
	if c.Attr == AttrAll {
		return true
	}
	if conn == nil {
		return false
	}
	switch c.Attr {
	case AttrUser:
		return conn.User != "" && matchList(conn.User, c.Patterns, false) == 1
	case AttrGroup:
		if conn.User == "" {
			return false
		}
		found := false
		for _, g := range conn.Groups {
			switch matchList(g, c.Patterns, false) {
			case -1:
				return false
			case 1:
				found = true
			}
		}
		return found
	case AttrHost:
		return conn.Host != "" && matchList(strings.ToLower(conn.Host), c.Patterns, true) == 1
	case AttrAddress:
		return conn.Addr != "" && addrMatchList(conn.Addr, c.Patterns) == 1
	case AttrLocalAddress:
		return conn.LAddr != "" && addrMatchList(conn.LAddr, c.Patterns) == 1
	case AttrLocalPort:
		n, err := strconv.Atoi(c.Patterns)
		return conn.LPort != 0 && err == nil && n == conn.LPort
	case AttrRDomain:
		return conn.RDomain != "" && matchList(conn.RDomain, c.Patterns, false) == 1
	}
	return false
}

// matchList tests s against a comma-separated pattern list as OpenSSH
// does: 1 if a pattern matches, -1 if a negated pattern matches (which
// wins over any other), 0 if none does. With lower, the patterns are
// compared in lower case.
func matchList(s, list string, lower bool) int {
	got := 0
	for _, p := range strings.Split(list, ",") {
		neg := strings.HasPrefix(p, "!")
		if neg {
			p = p[1:]
		}
		if lower {
			p = strings.ToLower(p)
		}
		if wildcard(s, p) {
			if neg {
				return -1
			}
			got = 1
		}
	}
	return got
}

// wildcard matches s against a pattern where '*' stands for any string and
// '?' for any one byte.
func wildcard(s, p string) bool {
	// Iterative matching with one backtrack point: the last '*'.
	si, pi := 0, 0
	star, mark := -1, 0
	for si < len(s) {
		switch {
		case pi < len(p) && (p[pi] == '?' || p[pi] == s[si]):
			si++
			pi++
		case pi < len(p) && p[pi] == '*':
			star, mark = pi, si
			pi++
		case star >= 0:
			pi = star + 1
			mark++
			si = mark
		default:
			return false
		}
	}
	for pi < len(p) && p[pi] == '*' {
		pi++
	}
	return pi == len(p)
}

// addrMatchList tests an address against an Address list: CIDR networks
// or plain addresses, falling back to wildcard patterns on the text of the
// address; 1 on a match, -1 on a negated match, 0 otherwise (also for an
// address that does not parse).
func addrMatchList(addr, list string) int {
	a, err := netip.ParseAddr(addr)
	if err != nil {
		return 0
	}
	a = a.Unmap()
	ret := 0
	for _, p := range strings.Split(list, ",") {
		neg := strings.HasPrefix(p, "!")
		if neg {
			p = p[1:]
		}
		var hit bool
		if pfx, ok, _ := parseCIDR(p); ok {
			hit = pfx.Contains(a)
		} else {
			hit = wildcard(addr, p)
		}
		if hit {
			if neg {
				return -1
			}
			ret = 1
		}
	}
	return ret
}

// parseCIDR reads "address" or "address/bits". ok is false when p is not
// one (it is then a wildcard pattern); bad is true for a network with bits
// set past its mask, such as 10.0.0.1/8, which sshd refuses.
func parseCIDR(p string) (pfx netip.Prefix, ok, bad bool) {
	if strings.Contains(p, "/") {
		pfx, err := netip.ParsePrefix(p)
		if err != nil {
			return pfx, false, false
		}
		if pfx.Masked() != pfx {
			return pfx, false, true
		}
		return pfx, true, false
	}
	a, err := netip.ParseAddr(p)
	if err != nil || a.Zone() != "" {
		return netip.Prefix{}, false, false
	}
	return netip.PrefixFrom(a, a.BitLen()), true, false
}

// validAddrList reports whether sshd accepts an Address list: no empty
// element and no network with host bits set.
func validAddrList(list string) bool {
	for _, p := range strings.Split(list, ",") {
		p = strings.TrimPrefix(p, "!")
		if p == "" {
			return false
		}
		if _, _, bad := parseCIDR(p); bad {
			return false
		}
	}
	return true
}
