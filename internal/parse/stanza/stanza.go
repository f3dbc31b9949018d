// Package stanza reads AIX stanza files: /etc/tunables/nextboot, and the
// /etc/security files (user, login.cfg) that share the form.
//
// A stanza starts with a line "name:" and holds the indented
// "attribute = value" lines that follow it, up to the next stanza:
//
//	no:
//	        clean_partial_conns = "1"
//	        ipsendredirects = "0"
//
// A value may be written in double quotes; it then runs to the closing
// quote, and a backslash inside it escapes the next character (the escapes
// are kept as written). An unquoted value runs to the end of the line or to
// a '#' that follows a blank. Lines whose first non-blank character is '*'
// or '#' are comments; blank lines are skipped.
//
// Every line of the file is kept so that one attribute can be changed by
// editing its own line.
package stanza

import (
	"io"
	"strings"

	"bastion/internal/parse"
)

// Attr is one "name = value" line of a stanza.
type Attr struct {
	// Line is the 1-based line number.
	Line int
	// Name is the attribute's name.
	Name string
	// Value is the value without its quotes, escapes kept as written.
	Value string
	// Quoted reports a value written in double quotes.
	Quoted bool
}

// Stanza is a "name:" line and the attributes under it.
type Stanza struct {
	// Line is the 1-based number of the "name:" line.
	Line int
	// Name is the stanza's name, without the colon.
	Name string
	// Attrs holds the attributes in file order, repeated names included.
	Attrs []Attr
}

// File is a parsed stanza file with its original lines.
type File struct {
	// Name is the name the file was parsed under, used in error messages.
	Name string
	// Lines holds every line as read, without line endings.
	Lines []string
	// Stanzas holds the stanzas in file order, repeated names included.
	Stanzas []Stanza
}

// Parse reads a stanza file. An attribute before the first stanza, a line
// that is neither a stanza name, an attribute nor a comment, a stanza or
// attribute name that is empty or holds a blank, a quote that is not closed
// on its line and text after a closing quote are reported, each as
// "name:line: what is wrong", and the File then holds everything else. A
// file that cannot be read gives a nil File.
func Parse(r io.Reader, name string) (*File, error) {
	lines, err := parse.ReadLines(r, name)
	if err != nil {
		return nil, err
	}
	f := &File{Name: name, Lines: lines}
	var errs parse.Errors
	cur := -1 // index of the open stanza in f.Stanzas
	for i, l := range lines {
		n := i + 1
		t := strings.Trim(l, " \t")
		if t == "" || t[0] == '*' || t[0] == '#' {
			continue
		}
		key, rest, isAttr := strings.Cut(t, "=")
		if !isAttr {
			head := strings.TrimRight(cutComment(t), " \t")
			sname, ok := strings.CutSuffix(head, ":")
			switch {
			case !ok:
				errs.Add(name, n, "expected \"name:\" or \"attribute = value\", found %q", t)
			case sname == "":
				errs.Add(name, n, "stanza with no name")
			case strings.ContainsAny(sname, " \t:"):
				errs.Add(name, n, "stanza name %q holds a blank or a colon", sname)
			default:
				f.Stanzas = append(f.Stanzas, Stanza{Line: n, Name: sname})
				cur = len(f.Stanzas) - 1
			}
			continue
		}
		key = strings.Trim(key, " \t")
		switch {
		case key == "":
			errs.Add(name, n, "attribute with no name")
			continue
		case strings.ContainsAny(key, " \t\""):
			errs.Add(name, n, "attribute name %q holds a blank or a quote", key)
			continue
		case cur < 0:
			errs.Add(name, n, "attribute %s outside a stanza", key)
			continue
		}
		a := Attr{Line: n, Name: key}
		v := strings.TrimLeft(rest, " \t")
		if strings.HasPrefix(v, "\"") {
			end := closingQuote(v)
			if end < 0 {
				errs.Add(name, n, "unterminated quote in the value of %s", key)
				continue
			}
			if after := strings.Trim(v[end+1:], " \t"); after != "" && after[0] != '#' {
				errs.Add(name, n, "text %q after the closing quote of %s", after, key)
				continue
			}
			a.Value, a.Quoted = v[1:end], true
		} else {
			a.Value = strings.TrimRight(cutComment(v), " \t")
		}
		f.Stanzas[cur].Attrs = append(f.Stanzas[cur].Attrs, a)
	}
	return f, errs.Err()
}

// closingQuote returns the index of the quote that closes the one v starts
// with, skipping characters escaped by a backslash, or -1.
func closingQuote(v string) int {
	for i := 1; i < len(v); i++ {
		switch v[i] {
		case '\\':
			i++
		case '"':
			return i
		}
	}
	return -1
}

// cutComment returns s up to a '#' that starts it or follows a blank.
func cutComment(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] == '#' && (i == 0 || s[i-1] == ' ' || s[i-1] == '\t') {
			return s[:i]
		}
	}
	return s
}

// Stanza returns the first stanza called name.
func (f *File) Stanza(name string) (*Stanza, bool) {
	for i := range f.Stanzas {
		if f.Stanzas[i].Name == name {
			return &f.Stanzas[i], true
		}
	}
	return nil, false
}

// Get returns the first attribute called name. The first occurrence is the
// one AIX uses: in /etc/tunables/nextboot, a tunable listed twice takes the
// value of its first line.
func (s *Stanza) Get(name string) (Attr, bool) {
	for _, a := range s.Attrs {
		if a.Name == name {
			return a, true
		}
	}
	return Attr{}, false
}

// Bytes returns the file's text: its lines, each ended by a newline.
func (f *File) Bytes() []byte { return parse.JoinLines(f.Lines) }
