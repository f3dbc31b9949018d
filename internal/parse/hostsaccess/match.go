package hostsaccess

import (
	"net/netip"
	"strconv"
	"strings"
)

// tri is the outcome of matching a pattern knowing only the client's
// address: it matches, it does not, or it may, depending on what only the
// running wrappers learn (the client's host name, a netgroup, the ident
// user name, the content of a file, the local address).
type tri int8

const (
	no tri = iota
	yes
	maybe
)

func or(a, b tri) tri {
	switch {
	case a == yes || b == yes:
		return yes
	case a == maybe || b == maybe:
		return maybe
	}
	return no
}

func and(a, b tri) tri {
	switch {
	case a == no || b == no:
		return no
	case a == maybe || b == maybe:
		return maybe
	}
	return yes
}

func not(a tri) tri {
	switch a {
	case yes:
		return no
	case no:
		return yes
	}
	return maybe
}

func fromBool(b bool) tri {
	if b {
		return yes
	}
	return no
}

// listMatch matches a list of patterns with exceptions, as the wrappers
// do: the patterns before the first EXCEPT are tried in turn, and a match
// stands unless the rest of the list, read the same way, matches too, so
// that "a EXCEPT b EXCEPT c" means "a EXCEPT (b EXCEPT c)".
func listMatch(list []string, match func(string) tri) tri {
	m := no
	for i, tok := range list {
		if isExcept(tok) {
			return and(m, not(listMatch(list[i+1:], match)))
		}
		m = or(m, match(tok))
	}
	return m
}

// stringMatch matches a daemon, user or host pattern against a string
// (a daemon name, or a host address or name), without regard to case:
// ".suffix", ALL, KNOWN, "prefix.", wildcards '*' and '?', or the string
// itself.
func stringMatch(tok, s string) bool {
	switch {
	case tok == "":
		return false
	case tok[0] == '.':
		return len(s) > len(tok) && strings.EqualFold(tok, s[len(s)-len(tok):])
	case strings.EqualFold(tok, "ALL"):
		return true
	case strings.EqualFold(tok, "KNOWN"):
		return !strings.EqualFold(s, "unknown")
	case tok[len(tok)-1] == '.':
		return len(s) >= len(tok) && strings.EqualFold(tok, s[:len(tok)])
	case strings.ContainsAny(tok, "*?"):
		return glob(strings.ToLower(tok), strings.ToLower(s))
	}
	return strings.EqualFold(tok, s)
}

// glob matches s against a pattern of '*' (any run of characters) and '?'
// (one character). It runs in time proportional to len(p)*len(s).
func glob(p, s string) bool {
	px, sx := 0, 0
	star, mark := -1, 0
	for sx < len(s) {
		switch {
		case px < len(p) && p[px] == '*':
			star, mark = px, sx
			px++
		case px < len(p) && (p[px] == '?' || p[px] == s[sx]):
			px++
			sx++
		case star >= 0:
			px = star + 1
			mark++
			sx = mark
		default:
			return false
		}
	}
	for px < len(p) && p[px] == '*' {
		px++
	}
	return px == len(p)
}

// notAddress reports a pattern holding a character other than digits,
// dots and slashes: the wrappers match such a pattern against the host
// name as well as the address.
func notAddress(tok string) bool {
	return strings.ContainsFunc(tok, func(r rune) bool {
		return !(r >= '0' && r <= '9' || r == '.' || r == '/')
	})
}

// netPattern is a pattern of the forms n.n.n.n/m.m.m.m, n.n.n.n/len,
// [v6]/len or [v6].
type netPattern struct {
	net  netip.Addr
	mask []byte
	// masked says that the network is masked before the comparison,
	// as for IPv6; an IPv4 net must equal the masked address as
	// written.
	masked bool
}

// isNetForm reports a pattern that parseNet reads: one with a '/' that is
// not a file name, or one in square brackets.
func isNetForm(tok string) bool {
	return tok != "" && tok[0] != '/' && (strings.Contains(tok, "/") || tok[0] == '[')
}

// parseNet reads a pattern isNetForm accepts, or says what is wrong with
// it.
func parseNet(tok string) (netPattern, string) {
	if tok[0] == '[' {
		end := strings.IndexByte(tok, ']')
		if end < 0 {
			return netPattern{}, "unterminated '[' in " + strconv.Quote(tok)
		}
		a, err := netip.ParseAddr(tok[1:end])
		if err != nil || !a.Is6() || a.Zone() != "" {
			return netPattern{}, "bad IPv6 address in " + strconv.Quote(tok)
		}
		rest := tok[end+1:]
		bits := 128
		if rest != "" {
			l, ok := strings.CutPrefix(rest, "/")
			n, err := strconv.Atoi(l)
			if !ok || err != nil || n < 0 || n > 128 || l != strconv.Itoa(n) {
				return netPattern{}, "bad prefix length in " + strconv.Quote(tok)
			}
			bits = n
		}
		return netPattern{net: a, mask: prefixMask(16, bits), masked: true}, ""
	}
	addr, mask, _ := strings.Cut(tok, "/")
	a, err := netip.ParseAddr(addr)
	if err != nil || !a.Is4() {
		return netPattern{}, "bad network address in " + strconv.Quote(tok)
	}
	var m []byte
	if n, err := strconv.Atoi(mask); err == nil && mask == strconv.Itoa(n) {
		if n < 0 || n > 32 {
			return netPattern{}, "bad mask length in " + strconv.Quote(tok)
		}
		m = prefixMask(4, n)
	} else {
		ma, err := netip.ParseAddr(mask)
		if err != nil || !ma.Is4() {
			return netPattern{}, "bad mask in " + strconv.Quote(tok)
		}
		if ma == netip.AddrFrom4([4]byte{255, 255, 255, 255}) {
			// inet_addr cannot tell this mask from an error.
			return netPattern{}, "mask 255.255.255.255 is refused by TCP wrappers in " + strconv.Quote(tok) + ": write the address alone"
		}
		b := ma.As4()
		m = b[:]
	}
	net := a.As4()
	for i := range net {
		if net[i]&^m[i] != 0 {
			return netPattern{}, strconv.Quote(tok) + " has address bits outside its mask and matches nothing"
		}
	}
	return netPattern{net: a, mask: m}, ""
}

// prefixMask returns a mask of size bytes with its first bits set.
func prefixMask(size, bits int) []byte {
	m := make([]byte, size)
	for i := 0; i < bits; i++ {
		m[i/8] |= 0x80 >> (i % 8)
	}
	return m
}

// match reports whether addr is in the network.
func (p netPattern) match(addr netip.Addr) bool {
	if addr.BitLen() != p.net.BitLen() {
		return false
	}
	a, n := addr.AsSlice(), p.net.AsSlice()
	for i := range a {
		want := n[i]
		if p.masked {
			want &= p.mask[i]
		}
		if a[i]&p.mask[i] != want {
			return false
		}
	}
	return true
}

// checkHost says what is wrong with a host pattern, or "".
func checkHost(tok string) string {
	if !isNetForm(tok) {
		return ""
	}
	_, problem := parseNet(tok)
	return problem
}

// hostMatch matches a host pattern against a client known by its address
// alone (an invalid address: not known at all).
func hostMatch(tok string, client netip.Addr) tri {
	switch {
	case tok == "":
		return no
	case strings.EqualFold(tok, "ALL"):
		return yes
	case tok[0] == '@', tok[0] == '/':
		// A netgroup, or a file of patterns.
		return maybe
	case strings.EqualFold(tok, "KNOWN"), strings.EqualFold(tok, "UNKNOWN"),
		strings.EqualFold(tok, "LOCAL"), strings.EqualFold(tok, "PARANOID"):
		return maybe
	case !client.IsValid():
		return maybe
	case isNetForm(tok):
		p, problem := parseNet(tok)
		return fromBool(problem == "" && p.match(client.Unmap()))
	}
	if stringMatch(tok, client.Unmap().String()) {
		return yes
	}
	if notAddress(tok) {
		return maybe // it may match the host name
	}
	return no
}

// serverMatch matches a daemon_list pattern: a daemon name pattern, or
// daemon@host, whose host is the local address the client connected to
// and is not known here.
func serverMatch(daemon string) func(string) tri {
	return func(tok string) tri {
		if d, host, ok := splitAt(tok[1:], '@'); ok {
			if !stringMatch(tok[:1]+d, daemon) {
				return no
			}
			if strings.EqualFold(host, "ALL") {
				return yes
			}
			return maybe
		}
		return fromBool(stringMatch(tok, daemon))
	}
}

// clientMatch matches a client_list pattern: a host pattern, or user@host,
// whose user name only an ident lookup tells.
func clientMatch(client netip.Addr) func(string) tri {
	return func(tok string) tri {
		if u, host, ok := splitAt(tok[1:], '@'); ok {
			h := hostMatch(host, client)
			if h == no || strings.EqualFold(tok[:1]+u, "ALL") {
				return h
			}
			return and(h, maybe)
		}
		return hostMatch(tok, client)
	}
}
