// Package idfile reads /etc/passwd and /etc/group: "name:password:id:...".
//
// It is what bastion needs to turn an owner or group name into a number on
// the target (which may not be the machine bastion runs on), to find the
// files users keep in their homes, and to judge accounts: which have an
// empty password field, which share user id 0, which system accounts have
// a login shell, who belongs to a group.
//
// A passwd line has seven fields (name, password, uid, gid, gecos, home,
// shell) and a group line four (name, password, gid, members). The parser
// is not told which file it reads, so it goes by the line: a line of four
// fields is a group line, a longer one a passwd line.
//
// The password field can hold a hash, or on a badly kept host a password in
// clear, so it never appears in an error, and Entry and File print it only
// as its first character and its length.
package idfile

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"bastion/internal/parse"
)

// Entry is one account or group.
type Entry struct {
	Line int
	Name string
	// Password is the second field as written: "x" or "!" when the
	// password lives elsewhere, "*", "" for none at all, or a hash.
	Password string
	// ID is the third field: the uid of a passwd line, the gid of a
	// group line.
	ID int
	// GID is the fourth field of a passwd line, the account's primary
	// group; -1 for a group line, a line that stops before it, or a
	// field that is not a number.
	GID int
	// Gecos is the fifth field of a passwd line (the user's full name
	// and the like), as written.
	Gecos string
	// Home and Shell are the sixth and seventh fields of a passwd line,
	// as written; they are empty for a group line or a line that stops
	// before them.
	Home  string
	Shell string
	// Members is the fourth field of a group line split at commas, empty
	// names dropped; nil for a passwd line.
	Members []string
}

// File is a parsed passwd or group file.
type File struct {
	Name    string
	Lines   []string
	Entries []Entry
	// NIS holds the numbers of the NIS compat lines ('+' or '-' first),
	// which are skipped: they pull in or hide accounts of a NIS map.
	NIS []int
}

// Parse reads a passwd- or group-format file. Comment lines ('#') are
// skipped and NIS lines ('+', '-') recorded in File.NIS; a line without a
// name or a numeric third field is an error.
func Parse(r io.Reader, name string) (*File, error) {
	lines, err := parse.ReadLines(r, name)
	if err != nil {
		return nil, err
	}
	f := &File{Name: name, Lines: lines}
	var errs parse.Errors
	for i, l := range lines {
		if l == "" || l[0] == '#' {
			continue
		}
		if l[0] == '+' || l[0] == '-' {
			f.NIS = append(f.NIS, i+1)
			continue
		}
		// The messages below name fields by their place, never by
		// their text: the password field must not reach a log, and on
		// a line with a field missing any field may be the password.
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
		if err != nil {
			errs.Add(name, i+1, "id is not a number")
			continue
		}
		if id < 0 {
			errs.Add(name, i+1, "id is negative")
			continue
		}
		e := Entry{Line: i + 1, Name: fields[0], Password: fields[1], ID: id, GID: -1}
		switch {
		case len(fields) == 4:
			e.Members = members(fields[3])
		case len(fields) > 4:
			if gid, err := strconv.Atoi(fields[3]); err == nil && gid >= 0 {
				e.GID = gid
			}
			e.Gecos = fields[4]
		}
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

// members splits the member list of a group line, dropping the empty names
// that a doubled or trailing comma leaves.
func members(s string) []string {
	var out []string
	for _, m := range strings.Split(s, ",") {
		if m != "" {
			out = append(out, m)
		}
	}
	return out
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

// String prints the entry with the password field reduced to its first
// character and length, so that logging an entry cannot leak a hash.
func (e Entry) String() string {
	return fmt.Sprintf("{Line:%d Name:%s Password:%s ID:%d GID:%d Gecos:%s Home:%s Shell:%s Members:%v}",
		e.Line, e.Name, redact(e.Password), e.ID, e.GID, e.Gecos, e.Home, e.Shell, e.Members)
}

// GoString is String in Go syntax, for %#v.
func (e Entry) GoString() string {
	return fmt.Sprintf("idfile.Entry{Line:%d, Name:%q, Password:%q, ID:%d, GID:%d, Gecos:%q, Home:%q, Shell:%q, Members:%#v}",
		e.Line, e.Name, redact(e.Password), e.ID, e.GID, e.Gecos, e.Home, e.Shell, e.Members)
}

// Format prints GoString for %#v and String for every other verb, so that
// no verb (%d or %x included) reaches the password field.
func (e Entry) Format(s fmt.State, verb rune) { format(s, verb, e) }

// String names the file and counts its lines and entries; the lines
// themselves hold the password fields and are left out. It and the two
// methods after it take a File, not a pointer, so that printing a File
// value cannot fall back to printing its lines.
func (f File) String() string {
	return fmt.Sprintf("idfile %s: %d lines, %d entries", f.Name, len(f.Lines), len(f.Entries))
}

// GoString is String for %#v.
func (f File) GoString() string { return f.String() }

// Format prints String for every verb; see Entry.Format.
func (f File) Format(s fmt.State, verb rune) { format(s, verb, f) }

// format writes GoString for %#v and String otherwise.
func format(s fmt.State, verb rune, v interface {
	fmt.Stringer
	fmt.GoStringer
}) {
	if verb == 'v' && s.Flag('#') {
		io.WriteString(s, v.GoString())
		return
	}
	io.WriteString(s, v.String())
}

// redact reduces a password field to its first character and its length
// in bytes: enough to tell "x", "!", "*" and a "$6$" hash apart, too little
// to recover anything.
func redact(p string) string {
	if p == "" {
		return "(empty)"
	}
	r, _ := utf8.DecodeRuneInString(p)
	first := string(r)
	if r == utf8.RuneError || !unicode.IsPrint(r) {
		first = "?"
	}
	unit := "chars"
	if len(p) == 1 {
		unit = "char"
	}
	return fmt.Sprintf("%s(%d %s)", first, len(p), unit)
}
