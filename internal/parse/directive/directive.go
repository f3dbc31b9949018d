// Package directive parses configuration files made of "Name value" lines,
// the form of Apache-style web servers such as AIX's documentation server
// (httpdlite.conf): one directive per line, '#' comments, names matched
// without regard to case.
package directive

import (
	"io"
	"strings"

	"bastion/internal/parse"
)

// Directive is one "Name value..." line.
type Directive struct {
	Line  int
	Name  string
	Value string
}

// File is a parsed directive file with its original lines.
type File struct {
	Name       string
	Lines      []string
	Directives []Directive
}

// Parse reads a directive file. Block lines such as "<Directory /x>" are
// kept as directives named "<Directory"; a line that starts a name with a
// character that cannot begin one is an error.
func Parse(r io.Reader, name string) (*File, error) {
	lines, err := parse.ReadLines(r, name)
	if err != nil {
		return nil, err
	}
	f := &File{Name: name, Lines: lines}
	var errs parse.Errors
	for i, l := range lines {
		t := strings.TrimSpace(l)
		if t == "" || t[0] == '#' {
			continue
		}
		fields := parse.Fields(t)
		n := fields[0]
		if c := n[0]; !(c == '<' || c == '_' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z') {
			errs.Add(name, i+1, "directive name %q does not start with a letter", n)
			continue
		}
		f.Directives = append(f.Directives, Directive{Line: i + 1, Name: n, Value: strings.TrimSpace(t[len(n):])})
	}
	return f, errs.Err()
}

// Last returns the last directive named name (any case), which is the one a
// server uses.
func (f *File) Last(name string) (Directive, bool) {
	for i := len(f.Directives) - 1; i >= 0; i-- {
		if strings.EqualFold(f.Directives[i].Name, name) {
			return f.Directives[i], true
		}
	}
	return Directive{}, false
}

// Bytes returns the file as read.
func (f *File) Bytes() []byte { return parse.JoinLines(f.Lines) }
