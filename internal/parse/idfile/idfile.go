// Package idfile reads the name-to-number part of /etc/passwd and
// /etc/group: "name:password:id:...", and for passwd the home directory and
// shell of each account (the sixth and seventh fields). It is what bastion
// needs to turn an owner or group name into a number on the target (which
// may not be the machine bastion runs on), and to find the files users keep
// in their homes, nothing more.
package idfile

import (
	"io"
	"strconv"
	"strings"

	"bastion/internal/parse"
)

// Entry is one account or group.
type Entry struct {
	Line int
	Name string
	ID   int
	// Home and Shell are the sixth and seventh fields of a passwd line,
	// as written; they are empty for a group line or a line that stops
	// before them.
	Home  string
	Shell string
}

// File is a parsed passwd or group file.
type File struct {
	Name    string
	Lines   []string
	Entries []Entry
}

// Parse reads a passwd- or group-format file. Comment lines ('#') and NIS
// lines ('+', '-') are skipped; a line without a name or a numeric third
// field is an error.
func Parse(r io.Reader, name string) (*File, error) {
	lines, err := parse.ReadLines(r, name)
	if err != nil {
		return nil, err
	}
	f := &File{Name: name, Lines: lines}
	var errs parse.Errors
	for i, l := range lines {
		if l == "" || l[0] == '#' || l[0] == '+' || l[0] == '-' {
			continue
		}
		fields := strings.Split(l, ":")
		if len(fields) < 3 {
			errs.Add(name, i+1, "want name:password:id, got %d fields", len(fields))
			continue
		}
		if fields[0] == "" {
			errs.Add(name, i+1, "empty name")
			continue
		}
		id, err := strconv.Atoi(fields[2])
		if err != nil || id < 0 {
			errs.Add(name, i+1, "id %q is not a number", fields[2])
			continue
		}
		e := Entry{Line: i + 1, Name: fields[0], ID: id}
		if len(fields) > 5 {
			e.Home = fields[5]
		}
		if len(fields) > 6 {
			e.Shell = fields[6]
		}
		f.Entries = append(f.Entries, e)
	}
	return f, errs.Err()
}

// ID returns the number of a name, the first entry of it.
func (f *File) ID(name string) (int, bool) {
	for _, e := range f.Entries {
		if e.Name == name {
			return e.ID, true
		}
	}
	return 0, false
}
