package sendmailcf

import (
	"io"
	"sort"
	"strings"

	"bastion/internal/parse"
)

// MC is a parsed .mc file, the m4 source of a sendmail.cf
// (/etc/mail/sendmail.mc, or cf/*.mc under the AIX samples).
type MC struct {
	// Name is the name the file was parsed under, used in error messages.
	Name string
	// Lines holds every physical line as read, without line endings.
	Lines []string
	// Calls holds the macro calls at the top level of the file, in file
	// order.
	Calls []Call
}

// Call is one m4 macro call such as FEATURE(`promiscuous_relay') or
// define(`confSMTP_LOGIN_MSG', `$j Sendmail; $b').
type Call struct {
	// Line is the 1-based line number of the macro name; EndLine is that
	// of the closing parenthesis (Line for a call without arguments).
	Line, EndLine int
	// Name is the macro name: FEATURE, define, OSTYPE, MAILER...
	Name string
	// Args holds the arguments as m4 collects them: blanks and newlines
	// before each argument removed, one level of `...' quotes removed
	// (inner quotes are kept), macros inside not expanded. It is nil for
	// a call written without parentheses.
	Args []string
}

// Arg returns argument i, or "" when there are fewer arguments.
func (c Call) Arg(i int) string {
	if i < 0 || i >= len(c.Args) {
		return ""
	}
	return c.Args[i]
}

// Bytes returns the file text: every line as read, each ended by "\n".
func (m *MC) Bytes() []byte { return parse.JoinLines(m.Lines) }

// Find returns the calls of the macro name, in file order.
func (m *MC) Find(name string) []Call {
	var out []Call
	for _, c := range m.Calls {
		if c.Name == name {
			out = append(out, c)
		}
	}
	return out
}

// HasFeature reports a FEATURE call whose first argument is feature, such
// as "promiscuous_relay".
func (m *MC) HasFeature(feature string) bool {
	for _, c := range m.Calls {
		if c.Name == "FEATURE" && c.Arg(0) == feature {
			return true
		}
	}
	return false
}

// Define returns the value the last define(`name', `value') gives the m4
// macro name, such as confSMTP_LOGIN_MSG or confPRIVACY_FLAGS. It reports
// false when name is not defined, or an undefine(`name') follows the last
// definition.
func (m *MC) Define(name string) (string, bool) {
	value, ok := "", false
	for _, c := range m.Calls {
		switch {
		case c.Name == "define" && c.Arg(0) == name:
			value, ok = c.Arg(1), true
		case c.Name == "undefine" && c.Arg(0) == name:
			value, ok = "", false
		}
	}
	return value, ok
}

// bareCall reports the sendmail macros, called without arguments, that
// start a section of raw sendmail.cf text in a .mc file.
func bareCall(name string) bool {
	return name == "MAILER_DEFINITIONS" || strings.HasPrefix(name, "LOCAL_") && strings.ToUpper(name) == name
}

// ParseMC reads a sendmail .mc file from r; name is used in error messages.
// It follows m4's reading rules: `...' quotes (which nest), '#' comments to
// the end of the line, dnl deleting the rest of its line, and a macro name
// directly followed by '(' starting a call whose arguments are separated by
// commas outside quotes and inner parentheses. It records the calls at the
// top level of the file (not those inside the arguments of another call)
// and the bare section macros such as LOCAL_CONFIG. A call or quote left
// open at the end of the file is reported.
//
// ParseMC does not run m4: it does not follow include or changequote, and
// calls commented out with dnl are not returned.
func ParseMC(r io.Reader, name string) (*MC, error) {
	lines, err := parse.ReadLines(r, name)
	if err != nil {
		return nil, err
	}
	m := &MC{Name: name, Lines: lines}
	s := &m4Scanner{text: strings.Join(lines, "\n")}
	// starts[i] is the offset of line i+1 in text.
	s.starts = make([]int, len(lines))
	off := 0
	for i, l := range lines {
		s.starts[i] = off
		off += len(l) + 1
	}
	var errs parse.Errors
	for s.pos < len(s.text) {
		c := s.text[s.pos]
		switch {
		case c == '`':
			start := s.pos
			if _, ok := s.quoted(); !ok {
				errs.Add(name, s.line(start), "unterminated quote")
			}
		case c == '#':
			s.toEOL()
		case isWordStart(c):
			start := s.pos
			w := s.word()
			switch {
			case w == "dnl":
				s.toEOL()
				if s.pos < len(s.text) {
					s.pos++ // dnl deletes the newline too
				}
			case s.pos < len(s.text) && s.text[s.pos] == '(':
				args, end, openQuote := s.args()
				switch {
				case openQuote:
					errs.Add(name, s.line(end), "unterminated quote in the arguments of %s", w)
				case end < 0:
					errs.Add(name, s.line(start), "arguments of %s not closed", w)
				default:
					m.Calls = append(m.Calls, Call{Line: s.line(start), EndLine: s.line(end), Name: w, Args: args})
				}
			case bareCall(w):
				l := s.line(start)
				m.Calls = append(m.Calls, Call{Line: l, EndLine: l, Name: w})
			}
		default:
			s.pos++
		}
	}
	return m, errs.Err()
}

// m4Scanner walks the text of a .mc file.
type m4Scanner struct {
	text   string
	pos    int
	starts []int
}

// line returns the 1-based line number of offset off.
func (s *m4Scanner) line(off int) int {
	return sort.Search(len(s.starts), func(i int) bool { return s.starts[i] > off })
}

// isWordStart reports a character that starts an m4 name.
func isWordStart(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' }

// word reads an m4 name at pos.
func (s *m4Scanner) word() string {
	start := s.pos
	for s.pos < len(s.text) && isNameByte(s.text[s.pos]) {
		s.pos++
	}
	return s.text[start:s.pos]
}

// toEOL moves pos to the next newline, or the end of the text.
func (s *m4Scanner) toEOL() {
	if i := strings.IndexByte(s.text[s.pos:], '\n'); i >= 0 {
		s.pos += i
	} else {
		s.pos = len(s.text)
	}
}

// quoted reads a quoted string at pos, which holds '`', and returns its
// text without the outer quotes. It reports false if the quote is not
// closed before the end of the text (pos is then at the end).
func (s *m4Scanner) quoted() (string, bool) {
	depth := 0
	start := s.pos + 1
	for ; s.pos < len(s.text); s.pos++ {
		switch s.text[s.pos] {
		case '`':
			depth++
		case '\'':
			depth--
			if depth == 0 {
				s.pos++
				return s.text[start : s.pos-1], true
			}
		}
	}
	return "", false
}

// args reads the arguments of a call at pos, which holds '('. It returns
// them with the offset of the closing parenthesis. When the text ends
// first, it returns the offset of the quote left open and true, or -1 and
// false when the parenthesis is left open.
func (s *m4Scanner) args() ([]string, int, bool) {
	var args []string
	var cur strings.Builder
	depth := 1
	atStart := true
	s.pos++
	for s.pos < len(s.text) {
		c := s.text[s.pos]
		if atStart && (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			s.pos++
			continue
		}
		atStart = false
		switch c {
		case '`':
			start := s.pos
			q, ok := s.quoted()
			if !ok {
				return nil, start, true
			}
			cur.WriteString(q)
			continue
		case '#':
			// A comment inside the arguments is kept in them, up to and
			// including its newline.
			start := s.pos
			s.toEOL()
			if s.pos < len(s.text) {
				s.pos++
			}
			cur.WriteString(s.text[start:s.pos])
			continue
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				args = append(args, cur.String())
				end := s.pos
				s.pos++
				return args, end, false
			}
		case ',':
			if depth == 1 {
				args = append(args, cur.String())
				cur.Reset()
				atStart = true
				s.pos++
				continue
			}
		}
		cur.WriteByte(c)
		s.pos++
	}
	return nil, -1, false
}
