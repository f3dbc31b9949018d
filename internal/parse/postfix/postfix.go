// Package postfix reads the two configuration files of the Postfix mail
// server: main.cf, the parameters (Parse), and master.cf, the services the
// master daemon runs (ParseMaster).
//
// Both files are read as Postfix reads them. A line whose first
// non-blank character is '#' is a comment, and so is nothing else: a '#'
// after a value is part of the value. A line that starts with a blank
// continues the logical line before it, and comment lines and empty lines
// between the two do not end it. In main.cf the last definition of a
// parameter wins, and a value may refer to other parameters as $name,
// ${name} or $(name) (see File.Expand). In master.cf a service can
// override main.cf parameters with -o name=value, so an audit must read
// both files.
//
// Every line is kept so that one entry can be changed by editing its
// lines.
package postfix

import (
	"io"
	"strconv"
	"strings"

	"bastion/internal/parse"
)

// File is a parsed main.cf.
type File struct {
	// Name is the name the file was parsed under, used in error messages.
	Name string
	// Lines holds every physical line as read, without line endings.
	Lines []string
	// Params holds every parameter definition in file order, including
	// those a later definition of the same name overrides.
	Params []Param
	// Defaults holds the built-in values Value and Expand use for
	// parameters the file does not set. Parse sets it to
	// DefaultsFor(the compatibility_level the file sets); the caller may
	// change it, for example to add myhostname.
	Defaults map[string]string
}

// Param is one parameter definition: a logical line "name = value".
type Param struct {
	// Line is the 1-based line number where the definition starts;
	// EndLine is that of its last continuation line (Line when there is
	// none). Comment lines between them belong to neither.
	Line, EndLine int
	// Name is the parameter name.
	Name string
	// Value is the text after the '=', blanks at both ends removed, with
	// continuation lines appended as written (each with its leading
	// blanks). It is not expanded.
	Value string
}

// Get returns the last definition of the parameter name in the file.
func (f *File) Get(name string) (Param, bool) {
	for i := len(f.Params) - 1; i >= 0; i-- {
		if f.Params[i].Name == name {
			return f.Params[i], true
		}
	}
	return Param{}, false
}

// Value returns the value Postfix uses for the parameter name, expanded:
// the last definition in the file, or else the entry in Defaults. It
// reports false when neither has the parameter.
func (f *File) Value(name string) (string, bool) {
	if p, ok := f.Get(name); ok {
		return f.Expand(p.Value), true
	}
	if v, ok := f.Defaults[name]; ok {
		return f.Expand(v), true
	}
	return "", false
}

// Bytes returns the file text: every line as read, each ended by "\n".
func (f *File) Bytes() []byte { return parse.JoinLines(f.Lines) }

// isSpace reports the characters Postfix treats as white space.
func isSpace(c byte) bool {
	switch c {
	case ' ', '\t', '\n', '\v', '\f', '\r':
		return true
	}
	return false
}

// isBlankLine reports a line that is empty, all white space, or a comment
// (its first non-blank character is '#'): Postfix skips such lines without
// ending a logical line.
func isBlankLine(s string) bool {
	t := strings.TrimLeft(s, " \t\n\v\f\r")
	return t == "" || t[0] == '#'
}

// logical is one logical line: lines [Start, End] (1-based) joined.
type logical struct {
	start, end int
	text       string
}

// logicalLines groups lines as Postfix's readlline does. A line that
// starts with white space continues the logical line before it; one with
// no logical line before it is reported (as a warning in Postfix) and
// skipped together with the continuation lines after it.
func logicalLines(lines []string, name, what string, errs *parse.Errors) []logical {
	var out []logical
	orphan := false
	for i, line := range lines {
		if isBlankLine(line) {
			continue
		}
		if isSpace(line[0]) {
			switch {
			case orphan:
			case len(out) == 0:
				errs.Add(name, i+1, "continuation line follows no %s", what)
				orphan = true
			default:
				l := &out[len(out)-1]
				l.text += line
				l.end = i + 1
			}
			continue
		}
		orphan = false
		out = append(out, logical{start: i + 1, end: i + 1, text: line})
	}
	return out
}

// Parse reads a main.cf from r; name is used in error messages. Logical
// lines that are not "name = value" are reported, one error each, and
// skipped; the parameters of every other line are returned along with the
// error.
func Parse(r io.Reader, name string) (*File, error) {
	lines, err := parse.ReadLines(r, name)
	if err != nil {
		return nil, err
	}
	f := &File{Name: name, Lines: lines}
	var errs parse.Errors
	for _, l := range logicalLines(lines, name, "parameter", &errs) {
		n, v, msg := splitNameValue(l.text)
		if msg != "" {
			errs.Add(name, l.start, "%s", msg)
			continue
		}
		f.Params = append(f.Params, Param{Line: l.start, EndLine: l.end, Name: n, Value: v})
	}
	compat := ""
	if p, ok := f.Get("compatibility_level"); ok {
		compat = p.Value
	}
	f.Defaults = DefaultsFor(compat)
	return f, errs.Err()
}

// splitNameValue splits "name = value" as Postfix does: the name is one
// word, white space around the '=' and at the ends of the value is
// dropped.
func splitNameValue(s string) (string, string, string) {
	s = strings.TrimLeft(s, " \t\n\v\f\r")
	end := 0
	for end < len(s) && !isSpace(s[end]) && s[end] != '=' {
		end++
	}
	if end == 0 {
		return "", "", "missing parameter name before '='"
	}
	n := s[:end]
	rest := strings.TrimLeft(s[end:], " \t\n\v\f\r")
	if rest == "" || rest[0] != '=' {
		return "", "", "missing '=' after parameter name " + strconv.Quote(n)
	}
	return n, strings.Trim(rest[1:], " \t\n\v\f\r"), ""
}
