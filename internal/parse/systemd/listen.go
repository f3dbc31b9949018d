package systemd

import (
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
)

// Listen is one address of a socket unit, as given to ListenStream=,
// ListenDatagram= or ListenSequentialPacket= (systemd.socket(5)).
type Listen struct {
	// Address is the IP address, without brackets, or "" when only a
	// port is given, which systemd binds on all addresses (IPv6 and,
	// unless BindIPv6Only=ipv6-only, IPv4 as well). For a vsock address
	// it is the CID as written, "" meaning any.
	Address string
	// Interface is the network interface named after "%", if any.
	Interface string
	// Port is the IP port (1-65535) or the vsock port.
	Port int
	// Unix is set for an AF_UNIX socket, given by Path.
	Unix bool
	// Vsock is set for an AF_VSOCK socket.
	Vsock bool
	// Path is the file system path of a Unix socket, or "@name" for a
	// socket in the abstract namespace. It may start with a specifier
	// such as "%t" that systemd expands to a directory.
	Path string
}

// AllAddresses reports whether the socket listens on every address of the
// host: a bare port, 0.0.0.0 or ::.
func (l Listen) AllAddresses() bool {
	if l.Unix || l.Vsock {
		return false
	}
	return l.Address == "" || l.Address == "0.0.0.0" || l.Address == "::"
}

// ParseListen parses the value of a ListenStream=, ListenDatagram= or
// ListenSequentialPacket= setting: a port ("22"), an IPv4 address and port
// ("127.0.0.1:631"), an IPv6 address in brackets and port ("[::1]:53"),
// either optionally followed by "%interface", an absolute path or
// "@abstract" name of a Unix socket, or "vsock:CID:PORT".
func ParseListen(value string) (Listen, error) {
	v := strings.Trim(value, space)
	switch {
	case v == "":
		return Listen{}, errors.New("empty listen address")
	case v[0] == '/' || v[0] == '@' || specifierPath(v):
		return Listen{Unix: true, Path: v}, nil
	}
	orig := clip(v)
	if rest, ok := vsockPrefix(v); ok {
		return parseVsock(rest)
	}
	if allDigits(v) {
		port, err := ipPort(v)
		return Listen{Port: port}, err
	}
	var l Listen
	if i := strings.IndexByte(v, '%'); i >= 0 {
		l.Interface = v[i+1:]
		if l.Interface == "" {
			return Listen{}, fmt.Errorf("empty interface name in %q", orig)
		}
		v = v[:i]
	}
	if strings.HasPrefix(v, "[") {
		end := strings.IndexByte(v, ']')
		if end < 0 {
			return Listen{}, fmt.Errorf("invalid listen address %q: unterminated [", orig)
		}
		port, ok := strings.CutPrefix(v[end+1:], ":")
		if !ok {
			return Listen{}, fmt.Errorf("invalid listen address %q: no port", orig)
		}
		addr, err := netip.ParseAddr(v[1:end])
		if err != nil || !addr.Is6() || addr.Zone() != "" {
			return Listen{}, fmt.Errorf("invalid IPv6 address %q", clip(v[:end+1]))
		}
		l.Address = addr.String()
		return l.withPort(port)
	}
	colon := strings.LastIndexByte(v, ':')
	if colon < 0 {
		return Listen{}, fmt.Errorf("invalid listen address %q: no port", orig)
	}
	host, port := v[:colon], v[colon+1:]
	addr, err := netip.ParseAddr(host)
	if err != nil || !addr.Is4() {
		if err == nil || strings.Contains(host, ":") {
			return Listen{}, fmt.Errorf("invalid listen address %q: IPv6 address needs brackets", orig)
		}
		return Listen{}, fmt.Errorf("invalid IPv4 address %q", clip(host))
	}
	l.Address = addr.String()
	return l.withPort(port)
}

// withPort returns l with its port set from the decimal text port.
func (l Listen) withPort(port string) (Listen, error) {
	if !allDigits(port) {
		return Listen{}, fmt.Errorf("invalid port %q", clip(port))
	}
	p, err := ipPort(port)
	if err != nil {
		return Listen{}, err
	}
	l.Port = p
	return l, nil
}

// specifierPath reports whether v starts with a specifier that systemd
// expands to an absolute directory (%t runtime, %S state, %C cache, %L
// logs, %E configuration, %h home, %T and %V temporary, %d credentials)
// followed by a path.
func specifierPath(v string) bool {
	return len(v) >= 3 && v[0] == '%' && strings.IndexByte("tSCLEhTVd", v[1]) >= 0 && v[2] == '/'
}

// vsockPrefix strips the vsock address prefixes systemd accepts.
func vsockPrefix(v string) (string, bool) {
	for _, p := range []string{"vsock:", "vsock-stream:", "vsock-dgram:", "vsock-seqpacket:"} {
		if rest, ok := strings.CutPrefix(v, p); ok {
			return rest, true
		}
	}
	return "", false
}

func parseVsock(rest string) (Listen, error) {
	cid, port, ok := strings.Cut(rest, ":")
	if !ok {
		return Listen{}, fmt.Errorf("invalid vsock address: no port after CID %q", clip(cid))
	}
	switch cid {
	case "", "any", "-1", "host", "local", "hypervisor":
	default:
		if _, err := strconv.ParseUint(cid, 10, 32); err != nil || !allDigits(cid) {
			return Listen{}, fmt.Errorf("invalid vsock CID %q", clip(cid))
		}
	}
	n, err := strconv.ParseUint(port, 10, 32)
	if err != nil || !allDigits(port) || n == 1<<32-1 {
		return Listen{}, fmt.Errorf("invalid vsock port %q", clip(port))
	}
	return Listen{Vsock: true, Address: cid, Port: int(n)}, nil
}

// ipPort parses a string of decimal digits as an IP port in 1-65535.
func ipPort(s string) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > 65535 {
		return 0, fmt.Errorf("port %s out of range (1-65535)", clip(s))
	}
	return n, nil
}

func allDigits(s string) bool {
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
