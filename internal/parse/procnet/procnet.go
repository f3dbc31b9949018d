// Package procnet reads the Linux socket tables /proc/net/tcp, tcp6, udp and
// udp6, from a live host or from a copy kept in an offline root, so that
// bastion can tell which ports a Linux host listens on.
//
// Each table starts with a header line ("sl local_address rem_address st
// ...") followed by one line per socket:
//
//	0: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 21453 1 ...
//
// Addresses are printed in hexadecimal as the kernel holds them in memory: an
// IPv4 address is one 32-bit word printed with %08X, and an IPv6 address is
// four such words. Each word is in network byte order in memory, so the
// printed digits are that word's bytes read back as a host-order integer.
// This package assumes a little-endian host (x86, arm64, ppc64le, the hosts
// bastion audits under Linux), where 127.0.0.1 reads 0100007F. Ports are
// printed in host order and need no swap.
package procnet

import (
	"fmt"
	"io"
	"net/netip"
	"strings"

	"bastion/internal/parse"
)

// Socket states that Listening looks for, as the kernel numbers them.
const (
	// StateListen is TCP_LISTEN, a TCP socket waiting for connections.
	StateListen uint8 = 0x0A
	// StateClose is TCP_CLOSE, which an unconnected UDP socket reports.
	StateClose uint8 = 0x07
)

// Socket is one line of a /proc/net socket table.
type Socket struct {
	Line   int            // 1-based line number in the file
	Proto  string         // tcp, tcp6, udp or udp6, as given to Parse
	Local  netip.AddrPort // local address and port
	Remote netip.AddrPort // remote address and port; zero address for none
	State  uint8          // kernel socket state (see StateListen, StateClose)
	UID    int            // owner's user ID
	Inode  uint64         // socket inode, which links the socket to a process
}

// Listening reports whether the socket accepts traffic from others: a TCP
// socket in the LISTEN state, or an unconnected UDP socket (state 0x07 with
// remote port 0).
func (s Socket) Listening() bool {
	switch s.Proto {
	case "tcp", "tcp6":
		return s.State == StateListen
	case "udp", "udp6":
		return s.State == StateClose && s.Remote.Port() == 0
	}
	return false
}

// Parse reads one /proc/net table. Proto names the table: tcp, tcp6, udp or
// udp6; it decides the address width and is copied into each Socket. The
// header line is skipped, as are blank lines. Parse returns every socket it
// could read, together with an error naming each bad line.
func Parse(r io.Reader, name, proto string) ([]Socket, error) {
	var hexLen int
	switch proto {
	case "tcp", "udp":
		hexLen = 8
	case "tcp6", "udp6":
		hexLen = 32
	default:
		return nil, &parse.Error{File: name, Err: fmt.Errorf("unknown protocol %q", proto)}
	}
	// The table is read whole, under the same size cap as parse.ReadLines,
	// and split into lines the same way, but without a string per line:
	// this runs on every live audit.
	data, err := parse.ReadAll(r, name)
	if err != nil {
		return nil, err
	}
	text := string(data)
	var errs parse.Errors
	var socks []Socket
	if n := strings.Count(text, "\n"); n > 1 {
		socks = make([]Socket, 0, n-1)
	}
	for lineNo := 1; len(text) > 0; lineNo++ {
		line := text
		if i := strings.IndexByte(text, '\n'); i >= 0 {
			line, text = text[:i], text[i+1:]
		} else {
			text = ""
		}
		s, msg := parseLine(line, hexLen)
		switch msg {
		case "":
			s.Line = lineNo
			s.Proto = proto
			socks = append(socks, s)
		case skip:
		default:
			errs.Add(name, lineNo, "%s", msg)
		}
	}
	return socks, errs.Err()
}

// skip is the message parseLine gives for a header or blank line.
const skip = "\x00skip"

// parseLine reads one table line. It returns a message in place of an error
// value so that the common path allocates nothing.
func parseLine(line string, hexLen int) (Socket, string) {
	var s Socket
	f := fields{s: line}
	sl, ok := f.next()
	if !ok {
		return s, skip
	}
	if sl == "sl" {
		return s, skip
	}
	if len(sl) < 2 || sl[len(sl)-1] != ':' || !isDec(sl[:len(sl)-1]) {
		return s, "expected a slot number such as \"0:\""
	}
	local, ok := f.next()
	if !ok {
		return s, "missing local address"
	}
	if s.Local, ok = addrPort(local, hexLen); !ok {
		return s, "bad local address " + quote(local)
	}
	remote, ok := f.next()
	if !ok {
		return s, "missing remote address"
	}
	if s.Remote, ok = addrPort(remote, hexLen); !ok {
		return s, "bad remote address " + quote(remote)
	}
	st, ok := f.next()
	if !ok {
		return s, "missing state"
	}
	v, ok := hexNum(st, 2)
	if !ok {
		return s, "bad state " + quote(st)
	}
	s.State = uint8(v)
	// tx_queue:rx_queue, tr:tm->when and retrnsmt are not needed.
	for range 3 {
		if _, ok := f.next(); !ok {
			return s, "missing uid"
		}
	}
	uid, ok := f.next()
	if !ok {
		return s, "missing uid"
	}
	u, ok := decNum(uid, 10)
	if !ok || u > 1<<32-1 {
		return s, "bad uid " + quote(uid)
	}
	s.UID = int(u)
	if _, ok := f.next(); !ok { // timeout
		return s, "missing inode"
	}
	ino, ok := f.next()
	if !ok {
		return s, "missing inode"
	}
	if s.Inode, ok = decNum(ino, 20); !ok {
		return s, "bad inode " + quote(ino)
	}
	return s, ""
}

// quote quotes text for a message, cut short if it is long.
func quote(s string) string {
	if len(s) > 40 {
		s = s[:40] + "..."
	}
	return fmt.Sprintf("%q", s)
}

// fields walks the space-separated fields of a line without allocating.
type fields struct {
	s string
	i int
}

func (f *fields) next() (string, bool) {
	for f.i < len(f.s) && isSpace(f.s[f.i]) {
		f.i++
	}
	start := f.i
	for f.i < len(f.s) && !isSpace(f.s[f.i]) {
		f.i++
	}
	return f.s[start:f.i], f.i > start
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' }

// addrPort decodes "ADDR:PORT" where ADDR has hexLen hex digits (8 for IPv4,
// 32 for IPv6) and PORT has 4.
func addrPort(s string, hexLen int) (netip.AddrPort, bool) {
	if len(s) != hexLen+5 || s[hexLen] != ':' {
		return netip.AddrPort{}, false
	}
	port, ok := hexNum(s[hexLen+1:], 4)
	if !ok {
		return netip.AddrPort{}, false
	}
	var a [16]byte
	for w := 0; w < hexLen/8; w++ {
		v, ok := hexNum(s[w*8:w*8+8], 8)
		if !ok {
			return netip.AddrPort{}, false
		}
		// The word was printed as a little-endian integer: its lowest
		// byte is the first byte of the address.
		a[w*4] = byte(v)
		a[w*4+1] = byte(v >> 8)
		a[w*4+2] = byte(v >> 16)
		a[w*4+3] = byte(v >> 24)
	}
	var ip netip.Addr
	if hexLen == 8 {
		ip = netip.AddrFrom4([4]byte(a[:4]))
	} else {
		ip = netip.AddrFrom16(a)
	}
	return netip.AddrPortFrom(ip, uint16(port)), true
}

// hexNum decodes exactly n hexadecimal digits.
func hexNum(s string, n int) (uint64, bool) {
	if len(s) != n {
		return 0, false
	}
	var v uint64
	for i := 0; i < len(s); i++ {
		c := s[i]
		var d byte
		switch {
		case '0' <= c && c <= '9':
			d = c - '0'
		case 'A' <= c && c <= 'F':
			d = c - 'A' + 10
		case 'a' <= c && c <= 'f':
			d = c - 'a' + 10
		default:
			return 0, false
		}
		v = v<<4 | uint64(d)
	}
	return v, true
}

// decNum decodes a decimal number of at most max digits that fits in a
// uint64.
func decNum(s string, max int) (uint64, bool) {
	if len(s) == 0 || len(s) > max || !isDec(s) {
		return 0, false
	}
	var v uint64
	for i := 0; i < len(s); i++ {
		d := uint64(s[i] - '0')
		if v > (1<<64-1-d)/10 {
			return 0, false
		}
		v = v*10 + d
	}
	return v, true
}

func isDec(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return len(s) > 0
}
