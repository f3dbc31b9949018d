// Package ss reads the output of the Linux ss command as bastion captures it
// (ss -tulpn, or ss -tlnp and ss -ulnp), to learn which process owns each
// listening socket.
//
// The forms it accepts:
//
//	Netid State  Recv-Q Send-Q Local Address:Port Peer Address:PortProcess
//	udp   UNCONN 0      0      127.0.0.53%lo:53        0.0.0.0:*    users:(("systemd-resolve",pid=641,fd=13))
//	tcp   LISTEN 0      128          0.0.0.0:22        0.0.0.0:*    users:(("sshd",pid=812,fd=3))
//	tcp   LISTEN 0      128             [::]:22           [::]:*    users:(("sshd",pid=812,fd=3))
//
// The Netid column is printed only when more than one protocol is asked
// for, and the header only without -H. Without a Netid column the protocol
// is taken from the state: LISTEN is tcp and UNCONN is udp. Older versions of
// ss print the IPv6 wildcard as ":::22" and do not bracket IPv6 addresses;
// both forms are read. Rows of other socket families (unix, netlink, packet)
// are skipped.
package ss

import (
	"fmt"
	"io"
	"net/netip"
	"strconv"
	"strings"

	"bastion/internal/parse"
)

// Socket is one row of ss output.
type Socket struct {
	Line      int        // 1-based line number in the file
	Proto     string     // "tcp" or "udp" (or another inet netid as printed); "" when unknown
	State     string     // LISTEN, UNCONN, ESTAB, ...
	Local     string     // local address as printed, without the port: "0.0.0.0", "*", "[::]", "127.0.0.53%lo"
	LocalAddr netip.Addr // Local as an address; the zero Addr for "*"
	Iface     string     // interface the socket is bound to ("lo" in "127.0.0.53%lo"), or ""
	Port      int        // local port; 0 when printed as "*"
	Processes []Process  // owners from the users:(...) column, if any
}

// Process is one owner of a socket, from ss's users:(...) column.
type Process struct {
	Name string // command name
	PID  int
	FD   int
}

// states are the socket state names ss prints.
var states = map[string]bool{
	"UNCONN": true, "LISTEN": true, "ESTAB": true, "SYN-SENT": true,
	"SYN-RECV": true, "FIN-WAIT-1": true, "FIN-WAIT-2": true,
	"TIME-WAIT": true, "CLOSE-WAIT": true, "LAST-ACK": true,
	"CLOSING": true, "UNKNOWN": true,
}

// inet are the netids of Internet sockets; rows with these are read.
var inet = map[string]bool{
	"tcp": true, "udp": true, "raw": true, "sctp": true, "mptcp": true,
	"dccp": true,
}

// other are the netids of the other families, whose rows are skipped.
var other = map[string]bool{
	"u_str": true, "u_dgr": true, "u_seq": true, "nl": true, "p_raw": true,
	"p_dgr": true, "v_str": true, "v_dgr": true, "xdp": true, "tipc": true,
	"??": true,
}

// Parse reads ss output. Header lines and blank lines are skipped. It
// returns every socket it could read, together with an error naming each
// bad line.
func Parse(r io.Reader, name string) ([]Socket, error) {
	lines, err := parse.ReadLines(r, name)
	if err != nil {
		return nil, err
	}
	var errs parse.Errors
	var socks []Socket
	for i, line := range lines {
		s, skip, err := parseLine(line)
		switch {
		case err != nil:
			errs.Add(name, i+1, "%v", err)
		case !skip:
			s.Line = i + 1
			socks = append(socks, s)
		}
	}
	return socks, errs.Err()
}

// field is a field of a line and where it starts.
type field struct {
	text  string
	start int
}

// splitFields returns the first n fields of line and the offset just after
// the last of them.
func splitFields(line string, n int) ([]field, int) {
	var fs []field
	i := 0
	for len(fs) < n {
		for i < len(line) && isSpace(line[i]) {
			i++
		}
		if i == len(line) {
			break
		}
		start := i
		for i < len(line) && !isSpace(line[i]) {
			i++
		}
		fs = append(fs, field{line[start:i], start})
	}
	return fs, i
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' }

func parseLine(line string) (s Socket, skip bool, err error) {
	fs, _ := splitFields(line, 1)
	if len(fs) == 0 {
		return s, true, nil
	}
	first := fs[0].text
	if first == "Netid" || first == "State" {
		return s, true, nil
	}
	n := 5 // State Recv-Q Send-Q Local Peer
	hasNetid := !states[first]
	if hasNetid {
		switch {
		case other[first]:
			return s, true, nil
		case !inet[first]:
			return s, false, fmt.Errorf("unknown netid or state %q", first)
		}
		n = 6
	}
	fs, end := splitFields(line, n)
	if len(fs) < n {
		return s, false, fmt.Errorf("expected at least %d fields, found %d", n, len(fs))
	}
	if hasNetid {
		s.Proto = fs[0].text
		fs = fs[1:]
	}
	s.State = fs[0].text
	if !states[s.State] {
		return s, false, fmt.Errorf("unknown state %q", s.State)
	}
	if !hasNetid {
		switch s.State {
		case "LISTEN":
			s.Proto = "tcp"
		case "UNCONN":
			s.Proto = "udp"
		}
	}
	for _, q := range fs[1:3] {
		if _, err := strconv.ParseUint(q.text, 10, 64); err != nil {
			return s, false, fmt.Errorf("queue size %q is not a number", q.text)
		}
	}
	if err := s.setLocal(fs[3].text); err != nil {
		return s, false, err
	}
	if _, _, _, err := splitAddr(fs[4].text); err != nil {
		return s, false, fmt.Errorf("peer %v", err)
	}
	rest := strings.TrimSpace(line[end:])
	if i := strings.Index(rest, "users:("); i >= 0 {
		s.Processes, err = parseUsers(rest[i+len("users:("):])
		if err != nil {
			return s, false, err
		}
	}
	return s, false, nil
}

// setLocal fills Local, LocalAddr, Iface and Port from an "address:port"
// field.
func (s *Socket) setLocal(text string) error {
	local, iface, port, err := splitAddr(text)
	if err != nil {
		return fmt.Errorf("local %v", err)
	}
	s.Local, s.Iface, s.Port = local, iface, port
	a := strings.TrimSuffix(local, "%"+iface)
	if iface == "" {
		a = local
	}
	if a == "*" {
		return nil
	}
	a = strings.TrimSuffix(strings.TrimPrefix(a, "["), "]")
	s.LocalAddr, err = netip.ParseAddr(a)
	if err != nil {
		return fmt.Errorf("local address %q is not an IP address", local)
	}
	return nil
}

// splitAddr splits "address:port" at the last colon. The address keeps any
// "%iface" suffix, which is also returned alone. A port of "*" is 0.
func splitAddr(text string) (addr, iface string, port int, err error) {
	i := strings.LastIndexByte(text, ':')
	if i <= 0 {
		return "", "", 0, fmt.Errorf("address %q has no port", text)
	}
	addr, p := text[:i], text[i+1:]
	if p != "*" {
		n, err := strconv.ParseUint(p, 10, 16)
		if err != nil {
			return "", "", 0, fmt.Errorf("port %q in %q is not a number from 0 to 65535", p, text)
		}
		port = int(n)
	}
	if j := strings.LastIndexByte(addr, '%'); j >= 0 {
		iface = addr[j+1:]
		if iface == "" || strings.ContainsAny(iface, "[]") {
			return "", "", 0, fmt.Errorf("address %q has a bad interface name", text)
		}
	}
	return addr, iface, port, nil
}

// parseUsers reads the inside of users:(...):
// ("sshd",pid=812,fd=3),("sshd",pid=900,fd=3))
func parseUsers(s string) ([]Process, error) {
	var procs []Process
	for {
		if strings.HasPrefix(s, ")") {
			return procs, nil
		}
		if len(procs) > 0 {
			if !strings.HasPrefix(s, ",") {
				return procs, fmt.Errorf("users: expected \",\" or \")\" at %q", clip(s))
			}
			s = s[1:]
		}
		if !strings.HasPrefix(s, `("`) {
			return procs, fmt.Errorf("users: expected (\"name\" at %q", clip(s))
		}
		s = s[2:]
		// ss prints the name unescaped, so it may hold quotes or commas:
		// it ends at the `",` that comes before the first key.
		end := strings.Index(s, `",`)
		if end < 0 {
			return procs, fmt.Errorf("users: unterminated process name")
		}
		p := Process{Name: s[:end], PID: -1, FD: -1}
		s = s[end+2:]
		end = strings.IndexByte(s, ')')
		if end < 0 {
			return procs, fmt.Errorf("users: process %q has no closing \")\"", p.Name)
		}
		// Current versions print pid=812,fd=3; old ones print 812,3.
		for i, kv := range strings.Split(s[:end], ",") {
			k, v, ok := strings.Cut(kv, "=")
			if !ok {
				k, v = "", kv
				switch i {
				case 0:
					k = "pid"
				case 1:
					k = "fd"
				}
			}
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				return procs, fmt.Errorf("users: %s %q of process %q is not a number", k, v, p.Name)
			}
			switch k {
			case "pid":
				p.PID = n
			case "fd":
				p.FD = n
			}
		}
		if p.PID < 0 || p.FD < 0 {
			return procs, fmt.Errorf("users: process %q lacks a pid or fd", p.Name)
		}
		procs = append(procs, p)
		s = s[end+1:]
	}
}

// clip shortens text quoted in a message.
func clip(s string) string {
	if len(s) > 30 {
		return s[:30] + "..."
	}
	return s
}
