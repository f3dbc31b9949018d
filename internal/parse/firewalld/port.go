package firewalld

import (
	"net/netip"
	"strconv"
	"strings"
)

// Port is a <port>, <source-port> or the match of a <forward-port>: a port
// or range and a transport protocol.
type Port struct {
	// Line is the 1-based line of the element.
	Line int
	// Port is the port as written: "22", "60000-61000", or a service name
	// from /etc/services such as "ssh", which firewalld also accepts.
	Port string
	// Protocol is tcp, udp, sctp or dccp.
	Protocol string
}

// Range returns the first and last port of a numeric Port, or false for a
// port written as a name.
func (p Port) Range() (lo, hi int, ok bool) {
	a, b, isRange := strings.Cut(p.Port, "-")
	lo, err := strconv.Atoi(a)
	if err != nil {
		return 0, 0, false
	}
	hi = lo
	if isRange {
		if hi, err = strconv.Atoi(b); err != nil {
			return 0, 0, false
		}
	}
	return lo, hi, true
}

// Contains reports whether p covers port number port of protocol proto.
// A port written as a name covers nothing here.
func (p Port) Contains(proto string, port int) bool {
	lo, hi, ok := p.Range()
	return ok && p.Protocol == proto && lo <= port && port <= hi
}

// String returns "22/tcp" or "60000-61000/udp".
func (p Port) String() string { return p.Port + "/" + p.Protocol }

// protocols are the transport protocols a <port> may name.
var protocols = map[string]bool{"tcp": true, "udp": true, "sctp": true, "dccp": true}

// checkPort reports what is wrong with a port written as a number, a range
// or a service name, or "".
func checkPort(s string) string {
	a, b, isRange := strings.Cut(s, "-")
	if !isRange && !isDigits(a) {
		if isServiceName(a) {
			return ""
		}
		return "bad port " + strconv.Quote(s)
	}
	lo, ok1 := portNumber(a)
	hi, ok2 := lo, true
	if isRange {
		hi, ok2 = portNumber(b)
	}
	switch {
	case !ok1 || !ok2:
		return "bad port " + strconv.Quote(s)
	case lo > hi:
		return "port range " + s + " runs backwards"
	}
	return ""
}

func portNumber(s string) (int, bool) {
	if !isDigits(s) || len(s) > 5 {
		return 0, false
	}
	n, _ := strconv.Atoi(s)
	return n, 0 < n && n <= 65535
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// isServiceName reports a plausible /etc/services name.
func isServiceName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' || c == '+') {
			return false
		}
	}
	return true
}

// Source is the <source> of a zone or rich rule, or the <destination> of a
// rich rule: an address or network, a MAC address or an ipset. Exactly one
// of Address, MAC and IPSet is set.
type Source struct {
	// Line is the 1-based line of the element.
	Line int
	// Address is an IPv4 or IPv6 address or network as written:
	// "10.0.0.0/8", "192.168.1.0/255.255.255.0", "2001:db8::/32".
	Address string
	// MAC is a MAC address.
	MAC string
	// IPSet is the name of an ipset.
	IPSet string
	// Invert reports invert="true" in a rich rule: everything but this.
	Invert bool
}

// Prefix returns Address as a network. A dotted IPv4 mask is converted to
// a prefix length; it reports false for a MAC, an ipset, or a mask that is
// not contiguous.
func (s Source) Prefix() (netip.Prefix, bool) {
	if s.Address == "" {
		return netip.Prefix{}, false
	}
	return parsePrefix(s.Address)
}

// String returns the address, "mac:MAC" or "ipset:NAME", preceded by "not "
// when inverted.
func (s Source) String() string {
	var v string
	switch {
	case s.Address != "":
		v = s.Address
		if p, ok := s.Prefix(); ok {
			v = p.String()
			if p.IsSingleIP() {
				v = p.Addr().String()
			}
		}
	case s.MAC != "":
		v = "mac:" + s.MAC
	case s.IPSet != "":
		v = "ipset:" + s.IPSet
	}
	if s.Invert {
		return "not " + v
	}
	return v
}

// parsePrefix reads an address, "address/length" or "IPv4/dotted-mask".
func parsePrefix(s string) (netip.Prefix, bool) {
	addr, mask, hasMask := strings.Cut(s, "/")
	a, err := netip.ParseAddr(addr)
	if err != nil || a.Zone() != "" {
		return netip.Prefix{}, false
	}
	bits := a.BitLen()
	if hasMask {
		if isDigits(mask) && len(mask) <= 3 {
			bits, _ = strconv.Atoi(mask)
		} else if m, err := netip.ParseAddr(mask); err == nil && a.Is4() && m.Is4() {
			if bits = maskBits(m.As4()); bits < 0 {
				return netip.Prefix{}, false
			}
		} else {
			return netip.Prefix{}, false
		}
	}
	p, err := a.Prefix(bits)
	if err != nil || bits > a.BitLen() {
		return netip.Prefix{}, false
	}
	return p, true
}

// maskBits returns the length of a contiguous IPv4 mask, or -1.
func maskBits(m [4]byte) int {
	v := uint32(m[0])<<24 | uint32(m[1])<<16 | uint32(m[2])<<8 | uint32(m[3])
	n := 0
	for v&0x80000000 != 0 {
		n++
		v <<= 1
	}
	if v != 0 {
		return -1
	}
	return n
}

// checkMAC reports whether s is six colon-separated pairs of hex digits.
func checkMAC(s string) bool {
	parts := strings.Split(s, ":")
	if len(parts) != 6 {
		return false
	}
	for _, p := range parts {
		if len(p) != 2 || !isHex(p[0]) || !isHex(p[1]) {
			return false
		}
	}
	return true
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}
