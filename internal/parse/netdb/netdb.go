// Package netdb reads the network databases /etc/services and /etc/rpc,
// which name the ports of Internet services and the numbers of ONC RPC
// programs. bastion uses them to name the listeners it finds; note that a
// name is only a convention, and that on AIX ports from 32768 up are
// ephemeral and may be used by any program whatever /etc/services says.
package netdb

import (
	"io"
	"strconv"
	"strings"
	"sync"

	"bastion/internal/parse"
)

// Services is a parsed /etc/services file.
type Services struct {
	// Name is the name the file was parsed under, as used in errors.
	Name string
	// Lines holds every physical line of the file as read, without its
	// line ending.
	Lines []string
	// Entries holds the good entries in file order. ByPort and ByName
	// index them when first called; later changes are not seen.
	Entries []Service

	once   sync.Once
	byPort map[portKey]int // first entry per port and protocol ("" any)
	byName map[nameKey]int // first entry per name or alias and protocol ("" any)
}

// Service is one line of /etc/services: "name port/proto [aliases...]".
type Service struct {
	Line    int // 1-based line number
	Name    string
	Port    int
	Proto   string // "tcp", "udp", ... as written
	Aliases []string
}

type portKey struct {
	port  int
	proto string
}

type nameKey struct {
	name, proto string
}

// Bytes returns the file as text, each line ending in "\n".
func (s *Services) Bytes() []byte { return parse.JoinLines(s.Lines) }

// ParseServices reads an /etc/services file: one service a line, as
// "name port/protocol [aliases...]", fields separated by spaces or tabs,
// "#" starting a comment. A bad line, such as one with a port outside
// 0-65535 (AIX ships "sco_printer 70000/tcp"), is reported in the returned
// error, which names the file and line, and left out of Entries; every good
// line is still returned. Callers may treat these errors as warnings.
func ParseServices(r io.Reader, name string) (*Services, error) {
	lines, err := parse.ReadLines(r, name)
	if err != nil {
		return nil, err
	}
	s := &Services{Name: name, Lines: lines}
	var errs parse.Errors
	for i, l := range lines {
		n := i + 1
		text, _ := parse.StripComment(l)
		f := parse.Fields(text)
		if len(f) == 0 {
			continue
		}
		if len(f) < 2 {
			errs.Add(name, n, "service %s has no port/protocol", clip(f[0]))
			continue
		}
		portText, proto, ok := strings.Cut(f[1], "/")
		if !ok || proto == "" || strings.Contains(proto, "/") {
			errs.Add(name, n, "%q is not port/protocol", clip(f[1]))
			continue
		}
		if !allDigits(portText) {
			errs.Add(name, n, "invalid port %q", clip(portText))
			continue
		}
		port, err := strconv.Atoi(portText)
		if err != nil || port > 65535 {
			errs.Add(name, n, "port %s out of range (0-65535)", clip(portText))
			continue
		}
		s.Entries = append(s.Entries, Service{
			Line:    n,
			Name:    f[0],
			Port:    port,
			Proto:   proto,
			Aliases: aliases(f[2:]),
		})
	}
	return s, errs.Err()
}

// index builds the lookup maps from Entries on first use, so that each
// lookup takes constant time.
func (s *Services) index() {
	s.once.Do(func() {
		s.byPort = make(map[portKey]int, 2*len(s.Entries))
		s.byName = make(map[nameKey]int, 4*len(s.Entries))
		for i, e := range s.Entries {
			addFirst(s.byPort, portKey{e.Port, e.Proto}, i)
			addFirst(s.byPort, portKey{e.Port, ""}, i)
			for _, n := range append([]string{e.Name}, e.Aliases...) {
				addFirst(s.byName, nameKey{n, e.Proto}, i)
				addFirst(s.byName, nameKey{n, ""}, i)
			}
		}
	})
}

// ByPort returns the first entry in file order for port and protocol, as
// getservbyport(3) does. Proto "" matches any protocol.
func (s *Services) ByPort(port int, proto string) (Service, bool) {
	s.index()
	i, ok := s.byPort[portKey{port, proto}]
	if !ok {
		return Service{}, false
	}
	return s.Entries[i], true
}

// ByName returns the first entry in file order whose name or alias is name
// and whose protocol is proto, as getservbyname(3) does. Proto "" matches
// any protocol.
func (s *Services) ByName(name, proto string) (Service, bool) {
	s.index()
	i, ok := s.byName[nameKey{name, proto}]
	if !ok {
		return Service{}, false
	}
	return s.Entries[i], true
}

// RPC is a parsed /etc/rpc file.
type RPC struct {
	// Name is the name the file was parsed under, as used in errors.
	Name string
	// Lines holds every physical line of the file as read, without its
	// line ending.
	Lines []string
	// Entries holds the good entries in file order. ByNumber and ByName
	// index them when first called; later changes are not seen.
	Entries []Program

	once     sync.Once
	byNumber map[int]int
	byName   map[string]int
}

// Program is one line of /etc/rpc: "name number [aliases...]".
type Program struct {
	Line    int // 1-based line number
	Name    string
	Number  int
	Aliases []string
}

// Bytes returns the file as text, each line ending in "\n".
func (r *RPC) Bytes() []byte { return parse.JoinLines(r.Lines) }

// ParseRPC reads an /etc/rpc file: one program a line, as "name number
// [aliases...]", "#" starting a comment. Program numbers are unsigned 32-bit
// values. Bad lines are reported in the returned error, naming the file and
// line, and left out of Entries; every good line is still returned.
func ParseRPC(rd io.Reader, name string) (*RPC, error) {
	lines, err := parse.ReadLines(rd, name)
	if err != nil {
		return nil, err
	}
	r := &RPC{Name: name, Lines: lines}
	var errs parse.Errors
	for i, l := range lines {
		n := i + 1
		text, _ := parse.StripComment(l)
		f := parse.Fields(text)
		if len(f) == 0 {
			continue
		}
		if len(f) < 2 {
			errs.Add(name, n, "program %s has no number", clip(f[0]))
			continue
		}
		if !allDigits(f[1]) {
			errs.Add(name, n, "invalid program number %q", clip(f[1]))
			continue
		}
		num, err := strconv.ParseUint(f[1], 10, 32)
		if err != nil {
			errs.Add(name, n, "program number %s out of range (0-4294967295)", clip(f[1]))
			continue
		}
		r.Entries = append(r.Entries, Program{
			Line:    n,
			Name:    f[0],
			Number:  int(num),
			Aliases: aliases(f[2:]),
		})
	}
	return r, errs.Err()
}

// index builds the lookup maps, once, from Entries.
func (r *RPC) index() {
	r.once.Do(func() {
		r.byNumber = make(map[int]int, len(r.Entries))
		r.byName = make(map[string]int, 3*len(r.Entries))
		for i, e := range r.Entries {
			addFirst(r.byNumber, e.Number, i)
			addFirst(r.byName, e.Name, i)
			for _, a := range e.Aliases {
				addFirst(r.byName, a, i)
			}
		}
	})
}

// ByNumber returns the first entry in file order for program number n, as
// getrpcbynumber(3) does.
func (r *RPC) ByNumber(n int) (Program, bool) {
	r.index()
	i, ok := r.byNumber[n]
	if !ok {
		return Program{}, false
	}
	return r.Entries[i], true
}

// ByName returns the first entry in file order whose name or alias is
// name, as getrpcbyname(3) does.
func (r *RPC) ByName(name string) (Program, bool) {
	r.index()
	i, ok := r.byName[name]
	if !ok {
		return Program{}, false
	}
	return r.Entries[i], true
}

func addFirst[K comparable](m map[K]int, k K, i int) {
	if _, ok := m[k]; !ok {
		m[k] = i
	}
}

// aliases returns the alias fields, or nil when there are none.
func aliases(f []string) []string {
	if len(f) == 0 {
		return nil
	}
	return append([]string(nil), f...)
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

// clip shortens s for an error message.
func clip(s string) string {
	const limit = 60
	if len(s) <= limit {
		return s
	}
	return s[:limit] + "..."
}
