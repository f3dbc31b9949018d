package sysvrc

import (
	"io"
	"strings"

	"bastion/internal/parse"
)

// Header is the LSB comment block of an init script, between
// "### BEGIN INIT INFO" and "### END INIT INFO" (LSB Core, "Comment
// Conventions for Init Scripts").
type Header struct {
	// Line is the 1-based line of "### BEGIN INIT INFO".
	Line int
	// End is the line of "### END INIT INFO", or 0 when it is missing.
	End int

	Provides      []string
	RequiredStart []string
	RequiredStop  []string
	ShouldStart   []string
	ShouldStop    []string
	// DefaultStart and DefaultStop list run levels ("2", "3", "S").
	DefaultStart     []string
	DefaultStop      []string
	ShortDescription string
	Description      string

	// Fields holds every field of the block under its name as written,
	// including extensions such as X-Start-Before. Continuation lines are
	// joined to their field with a single space.
	Fields map[string]string

	// Daemon is the program the script starts, when it says so in an
	// obvious way (see Daemon), and DaemonLine its line; "" and 0 if not.
	Daemon     string
	DaemonLine int
}

// The fields of the LSB block, by their lower-case names.
var knownFields = map[string]bool{
	"provides":          true,
	"required-start":    true,
	"required-stop":     true,
	"should-start":      true,
	"should-stop":       true,
	"default-start":     true,
	"default-stop":      true,
	"short-description": true,
	"description":       true,
}

const (
	beginMark = "### BEGIN INIT INFO"
	endMark   = "### END INIT INFO"
)

// ParseLSB reads an init script and returns its LSB block, or nil and no
// error when the script has none. Within the block every line is
// "# Field: value"; a line that starts with "#" and a tab or at least two
// spaces continues the field before it. Field names are matched without
// regard to case, and the first of two fields with the same name counts. A
// block without an end, or a line in it that is neither a field nor a
// continuation, is reported as an error, with the header parsed so far.
func ParseLSB(r io.Reader, name string) (*Header, error) {
	lines, err := parse.ReadLines(r, name)
	if err != nil {
		return nil, err
	}
	begin := -1
	for i, l := range lines {
		if strings.TrimSpace(l) == beginMark {
			begin = i
			break
		}
	}
	if begin < 0 {
		return nil, nil
	}
	var errs parse.Errors
	h := &Header{Line: begin + 1, Fields: map[string]string{}}
	var (
		order []string // field names in order
		last  string   // field a continuation line adds to
		dup   bool     // last is a repeated field, to be ignored
	)
	for i := begin + 1; i < len(lines); i++ {
		n := i + 1
		l := strings.TrimRight(lines[i], " \t\r")
		if strings.TrimSpace(l) == endMark {
			h.End = n
			break
		}
		if strings.TrimSpace(l) == "" {
			continue
		}
		rest, ok := strings.CutPrefix(l, "#")
		if !ok {
			errs.Add(name, n, "line in INIT INFO block does not start with #")
			continue
		}
		body := strings.TrimLeft(rest, " \t")
		if body == "" {
			continue
		}
		indented := strings.HasPrefix(rest, "\t") || strings.HasPrefix(rest, "  ")
		key, value, isField := field(body)
		if isField && indented && last != "" && !knownFields[strings.ToLower(key)] && !isExtension(key) {
			isField = false
		}
		switch {
		case isField:
			last = key
			if dup = seen(order, key); dup {
				continue
			}
			h.Fields[key] = value
			order = append(order, key)
		case indented && last != "":
			if !dup {
				h.Fields[last] = joinSpace(h.Fields[last], body)
			}
		default:
			errs.Add(name, n, "malformed field line %q in INIT INFO block", clip(body))
		}
	}
	if h.End == 0 {
		errs.Add(name, h.Line, "%s without %s", beginMark, endMark)
	}
	for _, key := range order {
		h.set(key, h.Fields[key])
	}
	h.Daemon, h.DaemonLine = Daemon(lines)
	return h, errs.Err()
}

// field splits "Name: value" and reports whether body has that form.
func field(body string) (key, value string, ok bool) {
	key, value, ok = strings.Cut(body, ":")
	if !ok || key == "" || !isFieldName(key) {
		return "", "", false
	}
	return key, strings.TrimSpace(value), true
}

func isFieldName(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
		case i > 0 && (c >= '0' && c <= '9' || c == '-' || c == '_'):
		default:
			return false
		}
	}
	return true
}

func isExtension(key string) bool {
	return strings.HasPrefix(key, "X-") || strings.HasPrefix(key, "x-")
}

// seen reports whether a field of the same name, ignoring case, came before.
func seen(order []string, key string) bool {
	for _, k := range order {
		if strings.EqualFold(k, key) {
			return true
		}
	}
	return false
}

// set fills the typed field for key.
func (h *Header) set(key, value string) {
	switch strings.ToLower(key) {
	case "provides":
		h.Provides = words(value)
	case "required-start":
		h.RequiredStart = words(value)
	case "required-stop":
		h.RequiredStop = words(value)
	case "should-start":
		h.ShouldStart = words(value)
	case "should-stop":
		h.ShouldStop = words(value)
	case "default-start":
		h.DefaultStart = words(value)
	case "default-stop":
		h.DefaultStop = words(value)
	case "short-description":
		h.ShortDescription = value
	case "description":
		h.Description = value
	}
}

// words splits a list field; an empty list is nil.
func words(s string) []string {
	if w := parse.Fields(s); len(w) > 0 {
		return w
	}
	return nil
}

func joinSpace(a, b string) string {
	if a == "" {
		return b
	}
	return a + " " + b
}

// clip shortens s for an error message.
func clip(s string) string {
	const limit = 60
	if len(s) <= limit {
		return s
	}
	return s[:limit] + "..."
}

// daemonVariables are the shell variables init scripts conventionally set
// to the program they start: DAEMON in Debian's skeleton and its
// descendants, exec in Red Hat's.
var daemonVariables = []string{"DAEMON", "exec"}

// Daemon returns the program an init script starts, as named by the first
// assignment at the start of a line (outside any function or block) of an
// absolute path to DAEMON or exec, such as DAEMON=/usr/sbin/sshd or
// exec="/usr/sbin/vsftpd", and the 1-based line of that assignment. An
// assignment whose value uses a variable or a command is not obvious and is
// passed over. It returns "" and 0 when no line qualifies.
func Daemon(lines []string) (string, int) {
	for i, l := range lines {
		s := strings.TrimRight(l, " \t\r")
		for _, kw := range []string{"export ", "readonly "} {
			if rest, ok := strings.CutPrefix(s, kw); ok {
				s = strings.TrimLeft(rest, " \t")
			}
		}
		for _, v := range daemonVariables {
			rest, ok := strings.CutPrefix(s, v+"=")
			if !ok {
				continue
			}
			if p := absolutePath(rest); p != "" {
				return p, i + 1
			}
		}
	}
	return "", 0
}

// absolutePath returns the value of a shell assignment when it is a plain
// absolute path, quoted or not and optionally followed by a comment.
func absolutePath(v string) string {
	var p string
	switch {
	case strings.HasPrefix(v, `"`) || strings.HasPrefix(v, "'"):
		end := strings.IndexByte(v[1:], v[0])
		if end < 0 {
			return ""
		}
		p, v = v[1:1+end], v[2+end:]
	default:
		end := strings.IndexAny(v, " \t;")
		if end < 0 {
			end = len(v)
		}
		p, v = v[:end], v[end:]
	}
	v = strings.TrimLeft(v, " \t")
	if v != "" && v[0] != '#' && v[0] != ';' {
		return "" // more follows: a command or another assignment
	}
	if !strings.HasPrefix(p, "/") || strings.ContainsAny(p, "$`\\\"' \t*?[") {
		return ""
	}
	return p
}
