// Package systemd reads systemd unit files: services, sockets and the
// drop-in files that amend them (systemd.syntax(7), systemd.unit(5),
// systemd.socket(5)). bastion uses it to learn which programs a Linux host
// starts and on which addresses its socket units listen.
//
// Parse keeps every physical line of the file and records, for each section
// and assignment, the line it starts on, so that a later edit of one
// assignment changes only its own lines. Settings are read back with the
// same rules systemd applies: a repeated key adds to a list, an empty
// assignment resets the list, and drop-ins read after the unit file they
// amend (see StackValues).
package systemd

import (
	"io"
	"strings"

	"bastion/internal/parse"
)

// Unit is one parsed unit file or drop-in.
type Unit struct {
	// Name is the name the file was parsed under, as used in errors.
	Name string
	// Lines holds every physical line of the file as read, without its
	// line ending.
	Lines []string
	// Sections holds the sections in file order. A section name may
	// appear more than once; systemd reads them as one.
	Sections []Section
}

// Section is a "[Name]" header and the assignments that follow it.
type Section struct {
	Line    int // 1-based line of the header
	Name    string
	Entries []Entry
}

// Entry is one "Key=Value" assignment.
type Entry struct {
	// Line is the 1-based line the assignment starts on.
	Line int
	// End is the last physical line of the assignment: Line, unless the
	// value is continued with a trailing backslash.
	End int
	Key string
	// Value is the value with surrounding space removed. Continued lines
	// are joined as systemd joins them: the backslash becomes a space and
	// the next line follows as written; comment lines in between are
	// skipped.
	Value string
}

// Assignment is an entry together with the name of the file it was read
// from, as returned when a setting is read across a unit and its drop-ins.
type Assignment struct {
	File string
	Entry
}

// Bytes returns the file as text, each line ending in "\n".
func (u *Unit) Bytes() []byte { return parse.JoinLines(u.Lines) }

// Parse reads a unit file. Bad lines are reported as errors naming name and
// the line; every good assignment is still returned with the error. A file
// that cannot be read returns a nil Unit.
func Parse(r io.Reader, name string) (*Unit, error) {
	lines, err := parse.ReadLines(r, name)
	if err != nil {
		return nil, err
	}
	p := parser{u: &Unit{Name: name, Lines: lines}, cur: -1}
	var (
		logical strings.Builder // the line being continued
		start   int             // line it started on
		last    int             // last line joined into it
		pending bool            // a continuation is open
	)
	for i, text := range lines {
		n := i + 1
		if i == 0 {
			text = strings.TrimPrefix(text, "\uFEFF")
		}
		// systemd drops comment lines before joining continuations, so a
		// comment inside a continued value is skipped, and a comment that
		// ends in a backslash continues nothing.
		if t := strings.TrimLeft(text, space); t != "" && (t[0] == '#' || t[0] == ';') {
			continue
		}
		if !pending {
			start = n
			logical.Reset()
		}
		// The text joined so far ends in a plain space, so whether this
		// line continues depends on this line alone.
		if continued(text) {
			// The backslash becomes a space.
			logical.WriteString(text[:len(text)-1])
			logical.WriteByte(' ')
			last = n
			pending = true
			continue
		}
		pending = false
		if logical.Len() > 0 {
			logical.WriteString(text)
			text = logical.String()
		}
		p.line(text, start, n)
	}
	if pending {
		p.line(logical.String(), start, last)
	}
	return p.u, p.errs.Err()
}

// space is the set of characters systemd strips around lines, keys and
// values.
const space = " \t\r\n"

// continued reports whether s ends in a backslash that is not itself
// escaped.
func continued(s string) bool {
	escaped := false
	for i := 0; i < len(s); i++ {
		if escaped {
			escaped = false
		} else if s[i] == '\\' {
			escaped = true
		}
	}
	return escaped
}

type parser struct {
	u    *Unit
	errs parse.Errors
	cur  int  // index of the current section in u.Sections, or -1
	skip bool // the last section header was bad: drop its assignments
}

func (p *parser) line(text string, start, end int) {
	s := strings.Trim(text, space)
	if s == "" {
		return
	}
	if s[0] == '[' {
		p.header(s, start)
		return
	}
	eq := strings.IndexByte(s, '=')
	if eq < 0 {
		p.errs.Add(p.u.Name, start, "expected [Section] or Key=Value, got %q", clip(s))
		return
	}
	key := strings.Trim(s[:eq], space)
	if key == "" {
		p.errs.Add(p.u.Name, start, "assignment without a key")
		return
	}
	if p.skip {
		return
	}
	if p.cur < 0 {
		p.errs.Add(p.u.Name, start, "assignment to %s outside of any section", clip(key))
		return
	}
	sec := &p.u.Sections[p.cur]
	sec.Entries = append(sec.Entries, Entry{
		Line:  start,
		End:   end,
		Key:   key,
		Value: strings.Trim(s[eq+1:], space),
	})
}

func (p *parser) header(s string, line int) {
	if len(s) < 2 || s[len(s)-1] != ']' {
		p.errs.Add(p.u.Name, line, "unterminated section header %q", clip(s))
		p.skip = true
		return
	}
	name := s[1 : len(s)-1]
	if name == "" || strings.ContainsAny(name, "[]") {
		p.errs.Add(p.u.Name, line, "invalid section name %q", clip(name))
		p.skip = true
		return
	}
	p.skip = false
	p.u.Sections = append(p.u.Sections, Section{Line: line, Name: name})
	p.cur = len(p.u.Sections) - 1
}

// clip shortens s for an error message.
func clip(s string) string {
	const limit = 60
	if len(s) <= limit {
		return s
	}
	return s[:limit] + "..."
}

// Values returns the values assigned to key in section, in order, applying
// the rule systemd uses for list settings: an empty assignment
// ("ListenStream=") discards everything assigned before it. It returns nil
// when nothing is assigned.
func (u *Unit) Values(section, key string) []string {
	return StackValues(section, key, u)
}

// Value returns the last value assigned to key in section, and whether key
// is assigned at all. An empty value means the setting was reset to its
// default.
func (u *Unit) Value(section, key string) (string, bool) {
	return StackValue(section, key, u)
}

// StackAssignments returns the assignments to key in section across units
// read in order (a unit file, then its drop-ins in the order systemd applies
// them), after applying the list-reset rule of Values across all of them.
// Nil units are skipped.
func StackAssignments(section, key string, units ...*Unit) []Assignment {
	var out []Assignment
	each(section, key, units, func(file string, e Entry) {
		if e.Value == "" {
			out = nil
			return
		}
		out = append(out, Assignment{File: file, Entry: e})
	})
	return out
}

// StackAssignment returns the last assignment to key in section across
// units read in order, and whether there is one. Its value is empty when the
// last assignment resets the setting.
func StackAssignment(section, key string, units ...*Unit) (Assignment, bool) {
	var (
		last Assignment
		ok   bool
	)
	each(section, key, units, func(file string, e Entry) {
		last, ok = Assignment{File: file, Entry: e}, true
	})
	return last, ok
}

// StackValues is StackAssignments returning only the values.
func StackValues(section, key string, units ...*Unit) []string {
	var out []string
	for _, a := range StackAssignments(section, key, units...) {
		out = append(out, a.Value)
	}
	return out
}

// StackValue is StackAssignment returning only the value.
func StackValue(section, key string, units ...*Unit) (string, bool) {
	a, ok := StackAssignment(section, key, units...)
	return a.Value, ok
}

// each calls fn for every assignment to key in section, in file order
// across units.
func each(section, key string, units []*Unit, fn func(file string, e Entry)) {
	for _, u := range units {
		if u == nil {
			continue
		}
		for _, s := range u.Sections {
			if s.Name != section {
				continue
			}
			for _, e := range s.Entries {
				if e.Key == key {
					fn(u.Name, e)
				}
			}
		}
	}
}
