// Package noopts reads the output of the AIX command `no -a`, which lists
// the network options of the running kernel, one "name = value" line each
// with the names right-aligned:
//
//	clean_partial_conns = 0
//	          bcastping = 0
//
// It is read from a capture (/var/lib/bastion/capture/no-a), since bastion
// runs no commands. Blank lines and lines starting with '#' (the
// "##Restricted tunables" heading of `no -F -a`) are skipped. The long form
// of `no -L` is not read.
package noopts

import (
	"io"
	"strings"

	"bastion/internal/parse"
)

// Option is one "name = value" line.
type Option struct {
	// Line is the 1-based line number.
	Line int
	// Name is the option's name, such as "clean_partial_conns".
	Name string
	// Value is the text after " = ", with surrounding blanks removed.
	Value string
}

// File is parsed `no -a` output with its original lines.
type File struct {
	// Name is the name the output was parsed under, used in error messages.
	Name string
	// Lines holds every line as read, without line endings.
	Lines []string
	// Options holds the options in the order listed, each name once.
	Options []Option
}

// Parse reads `no -a` output. A line that is not "name = value", a name with
// characters other than letters, digits and '_', an option with no value,
// and a name listed a second time are reported, each as "name:line: what is
// wrong", and the File then holds every other option. Output that cannot be
// read gives a nil File.
func Parse(r io.Reader, name string) (*File, error) {
	lines, err := parse.ReadLines(r, name)
	if err != nil {
		return nil, err
	}
	f := &File{Name: name, Lines: lines}
	seen := map[string]int{}
	var errs parse.Errors
	for i, l := range lines {
		n := i + 1
		t := strings.Trim(l, " \t")
		if t == "" || t[0] == '#' {
			continue
		}
		key, value, ok := strings.Cut(t, "=")
		key, value = strings.Trim(key, " \t"), strings.Trim(value, " \t")
		switch {
		case !ok || key == "":
			errs.Add(name, n, "expected \"name = value\", found %q", t)
			continue
		case !isName(key):
			errs.Add(name, n, "option name %q has characters other than letters, digits and '_'", key)
			continue
		case value == "":
			errs.Add(name, n, "option %s has no value", key)
			continue
		}
		if first, dup := seen[key]; dup {
			errs.Add(name, n, "option %s listed again (first at line %d)", key, first)
			continue
		}
		seen[key] = n
		f.Options = append(f.Options, Option{Line: n, Name: key, Value: value})
	}
	return f, errs.Err()
}

// isName reports whether s is made of letters, digits and '_' only.
func isName(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return s != ""
}

// Get returns the option called name.
func (f *File) Get(name string) (Option, bool) {
	for _, o := range f.Options {
		if o.Name == name {
			return o, true
		}
	}
	return Option{}, false
}

// Bytes returns the output as read: its lines, each ended by a newline.
func (f *File) Bytes() []byte { return parse.JoinLines(f.Lines) }
