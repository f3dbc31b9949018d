// Package netstat reads the output of AIX netstat -Aan, which lists each
// Internet socket with the address of its protocol control block (PCB).
// AIX netstat cannot name the process behind a socket; the PCB address is
// what rmsock takes to find it.
//
// The form it reads (AIX 5.3 to 7.3):
//
//	Active Internet connections (including servers)
//	PCB/ADDR         Proto Recv-Q Send-Q  Local Address      Foreign Address    (state)
//	f1000f0000287bc0 tcp4       0      0  *.22               *.*                LISTEN
//	f1000f00055eabc0 tcp6       0      0  ::1.6010           *.*                LISTEN
//	f1000f0000140600 udp        0      0  *.111              *.*
//	Active UNIX domain sockets
//	SADR/PCB         Type   Recv-Q Send-Q      Inode            Conn             Refs           Nextref      Addr
//
// An address and its port are joined with a dot, so they are split at the
// last dot. UDP rows have no state. The UNIX domain section, two lines per
// socket, is skipped. Rows of plain netstat -an, which have no PCB column,
// are read too.
package netstat

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"bastion/internal/parse"
)

// Socket is one row of the Internet section of netstat -Aan.
type Socket struct {
	Line        int    // 1-based line number in the file
	PCB         string // PCB address in hex as printed, lower case, without 0x; "" without -A
	Proto       string // tcp, tcp4, tcp6, udp, udp4 or udp6
	Local       string // local address, "*" for any
	LocalPort   int    // local port, 0 for "*"
	Foreign     string // foreign address, "*" for any
	ForeignPort int    // foreign port, 0 for "*"
	State       string // TCP state such as LISTEN; "" for UDP
}

// TCP reports whether the socket is a TCP socket.
func (s Socket) TCP() bool { return strings.HasPrefix(s.Proto, "tcp") }

// UDP reports whether the socket is a UDP socket.
func (s Socket) UDP() bool { return strings.HasPrefix(s.Proto, "udp") }

// Listening reports whether the socket accepts traffic from others: a TCP
// socket in the LISTEN state, or a UDP socket with no foreign address (*.*).
func (s Socket) Listening() bool {
	switch {
	case s.TCP():
		return s.State == "LISTEN"
	case s.UDP():
		return s.Foreign == "*" && s.ForeignPort == 0
	}
	return false
}

var protos = map[string]bool{
	"tcp": true, "tcp4": true, "tcp6": true,
	"udp": true, "udp4": true, "udp6": true,
}

// Parse reads netstat -Aan output. Section titles, column headers and blank
// lines are skipped, and so is the UNIX domain section up to the next
// "Active Internet connections" title. It returns every socket it could
// read, together with an error naming each bad line.
func Parse(r io.Reader, name string) ([]Socket, error) {
	lines, err := parse.ReadLines(r, name)
	if err != nil {
		return nil, err
	}
	var errs parse.Errors
	var socks []Socket
	unix := false
	for i, line := range lines {
		f := parse.Fields(strings.TrimSuffix(line, "\r"))
		switch {
		case len(f) == 0:
			continue
		case strings.HasPrefix(line, "Active Internet connections"):
			unix = false
			continue
		case strings.HasPrefix(line, "Active UNIX domain sockets"):
			unix = true
			continue
		case unix:
			continue
		case f[0] == "PCB/ADDR" || f[0] == "Proto":
			continue
		}
		s, err := parseRow(f)
		if err != nil {
			errs.Add(name, i+1, "%v", err)
			continue
		}
		s.Line = i + 1
		socks = append(socks, s)
	}
	return socks, errs.Err()
}

func parseRow(f []string) (Socket, error) {
	var s Socket
	if !protos[f[0]] {
		if len(f) < 2 || !protos[f[1]] {
			return s, fmt.Errorf("expected a PCB address and a protocol, found %q", strings.Join(f[:min(len(f), 2)], " "))
		}
		if !isHex(f[0]) {
			return s, fmt.Errorf("PCB address %q is not hexadecimal", f[0])
		}
		s.PCB = strings.ToLower(strings.TrimPrefix(f[0], "0x"))
		f = f[1:]
	}
	s.Proto = f[0]
	want := 5 // Proto Recv-Q Send-Q Local Foreign
	if s.TCP() {
		want = 6 // and State
	}
	switch {
	case s.TCP() && len(f) == want-1:
		return s, fmt.Errorf("missing TCP state")
	case len(f) < want:
		return s, fmt.Errorf("expected %d fields from the protocol on, found %d", want, len(f))
	case len(f) > want:
		return s, fmt.Errorf("unexpected field %q at the end", f[want])
	}
	for _, q := range f[1:3] {
		if _, err := strconv.ParseUint(q, 10, 64); err != nil {
			return s, fmt.Errorf("queue size %q is not a number", q)
		}
	}
	var err error
	if s.Local, s.LocalPort, err = splitAddr(f[3]); err != nil {
		return s, fmt.Errorf("local %v", err)
	}
	if s.Foreign, s.ForeignPort, err = splitAddr(f[4]); err != nil {
		return s, fmt.Errorf("foreign %v", err)
	}
	if s.TCP() {
		s.State = f[5]
	}
	return s, nil
}

// splitAddr splits "address.port" at the last dot. A port of "*" is 0.
func splitAddr(text string) (string, int, error) {
	i := strings.LastIndexByte(text, '.')
	if i <= 0 {
		return "", 0, fmt.Errorf("address %q has no port", text)
	}
	addr, p := text[:i], text[i+1:]
	if p == "*" {
		return addr, 0, nil
	}
	n, err := strconv.ParseUint(p, 10, 16)
	if err != nil {
		return "", 0, fmt.Errorf("port %q in %q is not a number from 0 to 65535", p, text)
	}
	return addr, int(n), nil
}

func isHex(s string) bool {
	s = strings.TrimPrefix(s, "0x")
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}
