package postfix

import (
	"io"
	"strconv"
	"strings"

	"bastion/internal/parse"
)

// Master is a parsed master.cf.
type Master struct {
	// Name is the name the file was parsed under, used in error messages.
	Name string
	// Lines holds every physical line as read, without line endings.
	Lines []string
	// Services holds the service entries in file order, commented-out
	// entries included.
	Services []MasterService
}

// MasterService is one service entry of master.cf:
//
//	service type private unpriv chroot wakeup maxproc command [args]
//
// with the arguments possibly continued on lines that start with a blank.
type MasterService struct {
	// Line is the 1-based line number of the service line; EndLine is that
	// of its last continuation line (Line when there is none).
	Line, EndLine int
	// Commented reports an entry that is commented out (disabled): a
	// "#smtp inet n - y - - smtpd" line that, once its leading '#'
	// characters are removed, is a valid service line. The comment lines
	// right after it that hold its arguments ("#  -o name=value", or
	// "#  flags=... argv=..." for a pipe) are taken as its continuation.
	Commented bool
	// Service is the service name as written: "smtp", "submission",
	// "127.0.0.1:smtp", "[::1]:2525" for inet; a socket name such as
	// "pickup" for the other types.
	Service string
	// Type is the transport type: inet, unix, unix-dgram, fifo or pass.
	Type string
	// Private, Unpriv and Chroot are "y", "n", or "-" for the default
	// (private y, unpriv y; chroot y before Postfix 3.0 and n since).
	Private, Unpriv, Chroot string
	// Wakeup is the wakeup time in seconds, possibly followed by '?'
	// (wake up only after the service has been used), or "-" (never).
	Wakeup string
	// MaxProc is the process limit ("0" for none), or "-" for
	// default_process_limit.
	MaxProc string
	// Command is the program name, relative to daemon_directory.
	Command string
	// Args holds the arguments after the command, with the braces of a
	// Postfix 3.0 "{ text with blanks }" argument removed.
	Args []string
	// Overrides holds the main.cf parameters the service overrides with
	// -o name=value, in order, from the options before the first
	// argument that is not an option.
	Overrides []Override
}

// Override is one -o name=value of a master.cf service.
type Override struct {
	Name  string
	Value string
}

// Setting returns the value the service's last -o override gives the
// main.cf parameter name.
func (s MasterService) Setting(name string) (string, bool) {
	for i := len(s.Overrides) - 1; i >= 0; i-- {
		if s.Overrides[i].Name == name {
			return s.Overrides[i].Value, true
		}
	}
	return "", false
}

// Addr returns the host and port of an inet service: "127.0.0.1" and
// "smtp" for "127.0.0.1:smtp", "::1" and "2525" for "[::1]:2525", "" and
// "smtp" for "smtp" (every address of inet_interfaces); a bracketed
// address without a port gives an empty port. For other types it returns
// "", "".
func (s MasterService) Addr() (host, port string) {
	if s.Type != "inet" {
		return "", ""
	}
	name := s.Service
	if strings.HasPrefix(name, "[") {
		if end := strings.Index(name, "]:"); end >= 0 {
			return name[1:end], name[end+2:]
		}
		if strings.HasSuffix(name, "]") {
			return name[1 : len(name)-1], ""
		}
	}
	if i := strings.LastIndexByte(name, ':'); i >= 0 {
		return name[:i], name[i+1:]
	}
	return "", name
}

// Find returns the entries, commented-out ones included, for the service
// named service of type typ ("" for any type).
func (m *Master) Find(service, typ string) []MasterService {
	var out []MasterService
	for _, s := range m.Services {
		if s.Service == service && (typ == "" || s.Type == typ) {
			out = append(out, s)
		}
	}
	return out
}

// Bytes returns the file text: every line as read, each ended by "\n".
func (m *Master) Bytes() []byte { return parse.JoinLines(m.Lines) }

// ParseMaster reads a master.cf from r; name is used in error messages.
// Entries that are not valid are reported, one error each, and skipped;
// the other entries are returned along with the error. Comment lines that
// do not parse as entries are ordinary comments and are not reported.
func ParseMaster(r io.Reader, name string) (*Master, error) {
	lines, err := parse.ReadLines(r, name)
	if err != nil {
		return nil, err
	}
	m := &Master{Name: name, Lines: lines}
	var errs parse.Errors
	active := logicalLines(lines, name, "service", &errs)
	commented := commentedLines(lines)
	// Merge the two lists in line order.
	for len(active) > 0 || len(commented) > 0 {
		if len(commented) == 0 || (len(active) > 0 && active[0].start < commented[0].start) {
			l := active[0]
			active = active[1:]
			s, msg := parseService(l.text)
			if msg != "" {
				errs.Add(name, l.start, "%s", msg)
				continue
			}
			s.Line, s.EndLine = l.start, l.end
			m.Services = append(m.Services, s)
			continue
		}
		l := commented[0]
		commented = commented[1:]
		if s, msg := parseService(l.text); msg == "" {
			s.Line, s.EndLine, s.Commented = l.start, l.end, true
			m.Services = append(m.Services, s)
		}
	}
	return m, errs.Err()
}

// commentedLines returns the comment lines that may be commented-out
// entries, with their leading '#' characters removed, each joined with the
// comment lines after it that look like its arguments.
func commentedLines(lines []string) []logical {
	var out []logical
	open := false // the last line was a candidate or its continuation
	for i, line := range lines {
		t := strings.TrimLeft(line, " \t")
		if !strings.HasPrefix(t, "#") {
			open = false
			continue
		}
		u := strings.TrimLeft(t, "#")
		if open && u != "" && isSpace(u[0]) && looksLikeArg(u) {
			l := &out[len(out)-1]
			l.text += u
			l.end = i + 1
			continue
		}
		u = strings.TrimLeft(u, " \t")
		if fields := parse.Fields(u); len(fields) >= 8 && masterTypes[fields[1]] {
			out = append(out, logical{start: i + 1, end: i + 1, text: u})
			open = true
			continue
		}
		open = false
	}
	return out
}

// looksLikeArg reports a commented line whose first word is an option
// ("-o") or an attribute ("flags=..."), as the arguments of a
// commented-out service are.
func looksLikeArg(u string) bool {
	fields := parse.Fields(u)
	if len(fields) == 0 {
		return false
	}
	w := fields[0]
	return strings.HasPrefix(w, "-") || strings.IndexByte(w, '=') > 0
}

var masterTypes = map[string]bool{"inet": true, "unix": true, "unix-dgram": true, "fifo": true, "pass": true}

// parseService parses one logical line of master.cf. It returns the entry,
// or a message saying what is wrong with it.
func parseService(text string) (MasterService, string) {
	var s MasterService
	rest := text
	var fields [8]string
	names := [8]string{"service", "type", "private", "unpriv", "chroot", "wakeup", "maxproc", "command"}
	for i := range fields {
		w, r := nextWord(rest)
		if w == "" {
			return s, "missing " + names[i] + " field"
		}
		fields[i], rest = w, r
	}
	s.Service, s.Type = fields[0], fields[1]
	s.Private, s.Unpriv, s.Chroot = fields[2], fields[3], fields[4]
	s.Wakeup, s.MaxProc, s.Command = fields[5], fields[6], fields[7]

	if !masterTypes[s.Type] {
		return s, "bad type " + strconv.Quote(s.Type) + ": want inet, unix, unix-dgram, fifo or pass"
	}
	for i, v := range []string{s.Private, s.Unpriv, s.Chroot} {
		if v != "y" && v != "n" && v != "-" {
			return s, "bad " + names[2+i] + " field " + strconv.Quote(v) + ": want y, n or -"
		}
	}
	if s.Type == "inet" && s.Private == "y" {
		return s, "inet service cannot be private"
	}
	if w := strings.TrimSuffix(s.Wakeup, "?"); s.Wakeup != "-" && !isDigits(w) {
		return s, "bad wakeup field " + strconv.Quote(s.Wakeup) + ": want seconds, seconds followed by ?, or -"
	}
	if s.MaxProc != "-" && !isDigits(s.MaxProc) {
		return s, "bad maxproc field " + strconv.Quote(s.MaxProc) + ": want a number or -"
	}

	for {
		arg, r, ok, msg := nextArg(rest)
		if msg != "" {
			return s, msg
		}
		if !ok {
			break
		}
		s.Args = append(s.Args, arg)
		rest = r
	}
	ov, msg := overrides(s.Args)
	if msg != "" {
		return s, msg
	}
	s.Overrides = ov
	return s, ""
}

// nextWord returns the first blank-separated word of s and the rest of s
// after it, or "" when s holds only white space.
func nextWord(s string) (string, string) {
	i := 0
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	j := i
	for j < len(s) && !isSpace(s[j]) {
		j++
	}
	return s[i:j], s[j:]
}

// nextArg returns the first argument of s and the rest of s after it, with
// the braces of a Postfix 3.0 "{ text }" argument removed and the text
// inside trimmed. It reports false when s holds only white space, and
// returns a message saying what is wrong with a bad argument.
func nextArg(s string) (arg, rest string, ok bool, msg string) {
	i := 0
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	if i == len(s) {
		return "", "", false, ""
	}
	// A word ends at white space outside braces.
	level := 0
	j := i
	for ; j < len(s); j++ {
		c := s[j]
		if c == '{' {
			level++
		} else if c == '}' && level > 0 {
			level--
		} else if isSpace(c) && level == 0 {
			break
		}
	}
	w := s[i:j]
	if w[0] != '{' {
		return w, s[j:], true, ""
	}
	end := matching(w, 0, '{', '}')
	switch {
	case end < 0:
		return "", "", false, "missing '}' in argument " + strconv.Quote(w)
	case end != len(w)-1:
		return "", "", false, "text after '}' in argument " + strconv.Quote(w)
	}
	return strings.Trim(w[1:end], " \t\n\v\f\r"), s[j:], true, ""
}

// overrides collects the -o name=value options from the arguments of a
// service, reading them as the Postfix daemons' getopt does: options come
// before the first argument that is not one, and -i, -m, -n, -o, -s and -t
// take a value, written in the same argument or the next.
func overrides(args []string) ([]Override, string) {
	var out []Override
	for k := 0; k < len(args); k++ {
		a := args[k]
		if a == "--" || len(a) < 2 || a[0] != '-' {
			break
		}
		for j := 1; j < len(a); j++ {
			c := a[j]
			if !strings.ContainsRune("imnost", rune(c)) {
				continue
			}
			val := a[j+1:]
			if val == "" {
				if k+1 >= len(args) {
					return nil, "option -" + string(c) + " without a value"
				}
				k++
				val = args[k]
			}
			if c == 'o' {
				n, v, ok := strings.Cut(val, "=")
				n = strings.Trim(n, " \t\n\v\f\r")
				if !ok || n == "" {
					return nil, "-o " + strconv.Quote(val) + " is not name=value"
				}
				out = append(out, Override{Name: n, Value: strings.Trim(v, " \t\n\v\f\r")})
			}
			break
		}
	}
	return out, ""
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
