// Package inetd reads /etc/inetd.conf, the table of services the inetd
// super-server starts on demand, in the forms AIX and the Linux inetds
// (openbsd-inetd, inetutils-inetd, netkit) write it.
//
// Every line of the file is kept so that one entry can be changed, commented
// out or removed by editing one line. Commented-out entries are returned as
// well, marked Commented, because a disabled service is still worth knowing
// about: it is what chsubserver -a or update-inetd --enable turns back on.
package inetd

import (
	"io"
	"path"
	"strconv"
	"strings"

	"bastion/internal/parse"
)

// File is a parsed inetd.conf.
type File struct {
	// Name is the name the file was parsed under, used in error messages.
	Name string
	// Lines holds every physical line as read, without line endings.
	Lines []string
	// Entries holds the service entries in file order, commented-out
	// entries included.
	Entries []Entry
}

// Entry is one service line of inetd.conf.
type Entry struct {
	// Line is the 1-based line number of the entry in the file.
	Line int
	// Commented reports an entry that is commented out (disabled): a line
	// that, once its leading '#' characters (and the "<off>#" marker
	// update-inetd writes) are removed, is a valid entry.
	Commented bool
	// Service is the service name from /etc/services, a port number, or,
	// for the unix protocol, the socket path. For the RPC form
	// "name/versions" it is the name alone.
	Service string
	// Host is the local address to listen on, from the openbsd-inetd
	// forms "addr:service" or a preceding "addr:" line; several addresses
	// are separated by commas. Empty means every address (not given, or
	// written "*").
	Host string
	// SocketType is stream, dgram, raw, rdm, seqpacket, or on AIX
	// sunrpc_tcp or sunrpc_udp.
	SocketType string
	// Proto is the protocol as written without socket options: tcp, udp,
	// tcp4, udp4, tcp6, udp6, tcp46, udp46, rpc/ followed by one of those,
	// or unix.
	Proto string
	// SocketOptions holds the openbsd-inetd buffer sizes written after the
	// protocol, such as "rcvbuf=64k" from "tcp,rcvbuf=64k".
	SocketOptions []string
	// Wait is the wait field as written without its maximum: wait,
	// nowait, or on AIX SRC.
	Wait string
	// Max is the invocation limit per minute written as "nowait.400", or 0.
	Max int
	// User is the user field as written: user, user.group or user:group.
	User string
	// Server is the absolute path of the program, or "internal".
	Server string
	// Args holds the server arguments, starting with argv[0], split on
	// blanks. Shell syntax in them (such as a redirection) is kept as
	// plain words.
	Args []string
	// RPCName is the /etc/rpc name of an RPC service written in the Linux
	// form "name/versions" with an rpc/ protocol. Its program number is
	// then unknown here (RPCProgram is 0).
	RPCName string
	// RPCProgram is the RPC program number of an AIX sunrpc_tcp or
	// sunrpc_udp entry, taken from Args[1].
	RPCProgram int
	// RPCVersions is the RPC version or range ("1", "1-3") of an RPC
	// entry: Args[2] on AIX, the part after the slash on Linux.
	RPCVersions string
}

// Internal reports an entry served by inetd itself (echo, discard, ...).
func (e Entry) Internal() bool { return e.Server == "internal" }

// RPC reports an ONC RPC entry, registered with the portmapper rather than
// bound to a fixed port: the AIX sunrpc_* socket types or a Linux rpc/
// protocol.
func (e Entry) RPC() bool {
	return strings.HasPrefix(e.SocketType, "sunrpc_") || strings.HasPrefix(e.Proto, "rpc/")
}

// IPv6 reports a protocol ending in 6 (tcp6, udp6, tcp46, rpc/tcp6, ...).
// On AIX such a socket also accepts IPv4 connections.
func (e Entry) IPv6() bool { return strings.HasSuffix(e.Proto, "6") }

// Transport returns "tcp" or "udp", from the protocol or, failing that, the
// socket type; it returns "" for unix-domain sockets and unknown types.
func (e Entry) Transport() string {
	p := strings.TrimPrefix(e.Proto, "rpc/")
	switch {
	case p == "unix":
		return ""
	case strings.HasPrefix(p, "tcp"):
		return "tcp"
	case strings.HasPrefix(p, "udp"):
		return "udp"
	}
	switch e.SocketType {
	case "stream", "sunrpc_tcp":
		return "tcp"
	case "dgram", "sunrpc_udp":
		return "udp"
	}
	return ""
}

// Daemon returns the program that really serves the connections: Server,
// except for TCP wrappers (a Server whose base name is tcpd), where it is
// Args[0], taken as relative to tcpd's own directory when it is not
// absolute. It returns "" for internal services.
func (e Entry) Daemon() string {
	if e.Internal() {
		return ""
	}
	if path.Base(e.Server) != "tcpd" || len(e.Args) == 0 {
		return e.Server
	}
	if path.IsAbs(e.Args[0]) {
		return e.Args[0]
	}
	return path.Join(path.Dir(e.Server), e.Args[0])
}

// Find returns the entries, commented-out ones included, for the service
// named service and, unless proto is "", written with exactly that protocol
// (as chsubserver -p matches it: "tcp" does not match "tcp6").
func (f *File) Find(service, proto string) []Entry {
	var out []Entry
	for _, e := range f.Entries {
		if e.Service == service && (proto == "" || e.Proto == proto) {
			out = append(out, e)
		}
	}
	return out
}

// Bytes returns the file text: every line as read, each ended by "\n".
func (f *File) Bytes() []byte { return parse.JoinLines(f.Lines) }

// Parse reads an inetd.conf from r; name is used in error messages. Lines
// that are not valid entries are reported, one error per line, and skipped;
// the entries of every other line are returned along with the error. Bad
// commented-out lines are ordinary comments and are not reported.
func Parse(r io.Reader, name string) (*File, error) {
	lines, err := parse.ReadLines(r, name)
	if err != nil {
		return nil, err
	}
	f := &File{Name: name, Lines: lines}
	var errs parse.Errors
	defHost := ""
	for i, line := range lines {
		lineNo := i + 1
		text := strings.TrimLeft(line, " \t")
		if strings.HasPrefix(text, "#") {
			if e, msg := parseEntry(fieldsBeforeComment(uncomment(text)), defHost); msg == "" {
				e.Line = lineNo
				e.Commented = true
				f.Entries = append(f.Entries, e)
			}
			continue
		}
		fields := fieldsBeforeComment(text)
		if len(fields) == 0 {
			continue
		}
		if len(fields) == 1 && strings.HasSuffix(fields[0], ":") {
			h, msg := parseHost(strings.TrimSuffix(fields[0], ":"))
			if msg != "" {
				errs.Add(name, lineNo, "%s", msg)
				continue
			}
			defHost = h
			continue
		}
		e, msg := parseEntry(fields, defHost)
		if msg != "" {
			errs.Add(name, lineNo, "%s", msg)
			continue
		}
		e.Line = lineNo
		f.Entries = append(f.Entries, e)
	}
	return f, errs.Err()
}

// uncomment removes the comment markers in front of a commented-out entry:
// every leading '#', and the "<off>#" that update-inetd --disable writes.
func uncomment(text string) string {
	text = strings.TrimLeft(text, "#")
	if rest, ok := strings.CutPrefix(text, "<off>#"); ok {
		text = strings.TrimLeft(rest, "#")
	}
	return text
}

// fieldsBeforeComment splits text into fields, stopping at a field that
// starts with '#' (a trailing comment).
func fieldsBeforeComment(text string) []string {
	fields := parse.Fields(text)
	for i, fl := range fields {
		if strings.HasPrefix(fl, "#") {
			return fields[:i]
		}
	}
	return fields
}

var socketTypes = map[string]bool{
	"stream": true, "dgram": true, "raw": true, "rdm": true, "seqpacket": true,
	"sunrpc_tcp": true, "sunrpc_udp": true,
}

// validProto reports a protocol inetd.conf may name (without socket
// options).
func validProto(p string) bool {
	if p == "unix" {
		return true
	}
	p = strings.TrimPrefix(p, "rpc/")
	for _, base := range []string{"tcp", "udp"} {
		if rest, ok := strings.CutPrefix(p, base); ok {
			switch rest {
			case "", "4", "6", "46":
				return true
			}
		}
	}
	return false
}

// parseEntry parses the fields of one line. It returns the entry, or a
// message saying what is wrong with the first bad field.
func parseEntry(fields []string, defHost string) (Entry, string) {
	var e Entry
	// openbsd-inetd also reads "addr: service ..." with a blank after the
	// colon; the address then stands alone in the first field.
	var host string
	hostGiven := false
	if len(fields) > 1 && strings.HasSuffix(fields[0], ":") {
		host, hostGiven = fields[0], true
		fields = fields[1:]
	}
	if len(fields) < 6 {
		return e, "want at least 6 fields, got " + strconv.Itoa(len(fields))
	}
	service, sockType, proto, wait := fields[0], fields[1], fields[2], fields[3]
	e.User, e.Server = fields[4], fields[5]
	if len(fields) > 6 {
		e.Args = append([]string(nil), fields[6:]...)
	}

	if !socketTypes[sockType] {
		return e, "unknown socket type " + strconv.Quote(sockType)
	}
	e.SocketType = sockType

	proto, opts, hasOpts := strings.Cut(proto, ",")
	if !validProto(proto) {
		return e, "unknown protocol " + strconv.Quote(proto)
	}
	e.Proto = proto
	if hasOpts {
		e.SocketOptions = strings.Split(opts, ",")
		if msg := checkSocketOptions(e.SocketOptions); msg != "" {
			return e, msg
		}
	}

	// The service, with its optional host prefix (not for unix sockets,
	// whose service is a path).
	if proto != "unix" {
		e.Host = defHost
		if hostGiven {
			h, msg := parseHost(strings.TrimSuffix(host, ":"))
			if msg != "" {
				return e, msg
			}
			e.Host = h
		} else if i := strings.LastIndexByte(service, ':'); i >= 0 {
			// The service after the colon is never empty here: a first
			// field ending in ':' is a host of its own (see above).
			h, msg := parseHost(service[:i])
			if msg != "" {
				return e, msg
			}
			e.Host, service = h, service[i+1:]
		}
	}
	e.Service = service
	if strings.HasPrefix(proto, "rpc/") {
		name, vers, ok := strings.Cut(service, "/")
		if !ok || name == "" {
			return e, "RPC service " + strconv.Quote(service) + " wants name/versions"
		}
		if !validVersions(vers) {
			return e, "bad RPC version " + strconv.Quote(vers) + " in " + strconv.Quote(service)
		}
		e.Service, e.RPCName, e.RPCVersions = name, name, vers
	} else if proto != "unix" && isDigits(service) {
		if n, err := strconv.Atoi(service); err != nil || n < 1 || n > 65535 {
			return e, "port " + service + " out of range 1-65535"
		}
	}

	w, max, hasMax := strings.Cut(wait, ".")
	switch w {
	case "wait", "nowait":
		if hasMax {
			n, err := strconv.Atoi(max)
			if err != nil || n < 1 || !isDigits(max) {
				return e, "bad maximum " + strconv.Quote(max) + " in wait field " + strconv.Quote(wait)
			}
			e.Max = n
		}
	case "SRC":
		if hasMax {
			return e, "bad wait field " + strconv.Quote(wait) + ": SRC takes no maximum"
		}
	default:
		return e, "bad wait field " + strconv.Quote(wait) + ": want wait, nowait or SRC"
	}
	e.Wait = w

	if e.Server != "internal" && !strings.HasPrefix(e.Server, "/") {
		return e, "server " + strconv.Quote(e.Server) + " is neither an absolute path nor internal"
	}

	if strings.HasPrefix(sockType, "sunrpc_") {
		if len(e.Args) < 2 {
			return e, sockType + " entry has no RPC program number (want it as the second server argument)"
		}
		n, err := strconv.Atoi(e.Args[1])
		if err != nil || n < 1 || !isDigits(e.Args[1]) {
			return e, sockType + " entry has RPC program number " + strconv.Quote(e.Args[1]) + ", want a positive number"
		}
		if len(e.Args) < 3 {
			return e, sockType + " entry has no RPC version (want it as the third server argument)"
		}
		if !validVersions(e.Args[2]) {
			return e, "bad RPC version " + strconv.Quote(e.Args[2])
		}
		e.RPCProgram, e.RPCVersions = n, e.Args[2]
	}
	return e, ""
}

// parseHost checks the address part of "addr:service" or "addr:". It
// removes the brackets of "[::1]" and returns "" for "*" or nothing (every
// address).
func parseHost(h string) (string, string) {
	if strings.HasPrefix(h, "[") && strings.HasSuffix(h, "]") && len(h) >= 2 {
		h = h[1 : len(h)-1]
	}
	if h == "*" || h == "" {
		return "", ""
	}
	for _, a := range strings.Split(h, ",") {
		if a == "" {
			return "", "empty address in host list " + strconv.Quote(h)
		}
	}
	return h, ""
}

// checkSocketOptions checks openbsd-inetd's ",sndbuf=size,rcvbuf=size".
func checkSocketOptions(opts []string) string {
	if len(opts) > 2 {
		return "too many socket options in protocol field"
	}
	for _, o := range opts {
		k, v, ok := strings.Cut(o, "=")
		if !ok || (k != "sndbuf" && k != "rcvbuf") {
			return "bad socket option " + strconv.Quote(o) + ": want sndbuf=size or rcvbuf=size"
		}
		digits := strings.TrimRight(v, "km")
		if len(v)-len(digits) > 1 || !isDigits(digits) || strings.Trim(digits, "0") == "" {
			return "bad buffer size " + strconv.Quote(v) + " in socket option " + strconv.Quote(o)
		}
	}
	return ""
}

// validVersions reports an RPC version "N" or range "N-M" with N <= M.
func validVersions(v string) bool {
	lo, hi, isRange := strings.Cut(v, "-")
	if !isDigits(lo) {
		return false
	}
	if !isRange {
		_, err := strconv.Atoi(lo)
		return err == nil
	}
	if !isDigits(hi) {
		return false
	}
	l, err1 := strconv.Atoi(lo)
	h, err2 := strconv.Atoi(hi)
	return err1 == nil && err2 == nil && l <= h
}

// isDigits reports a non-empty string of ASCII digits.
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
