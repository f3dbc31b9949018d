// Package shadow reads the Linux /etc/shadow file, where each account's
// password hash and password ageing live:
//
//	name:hash:lastchange:min:max:warn:inactive:expire:reserved
//
// The day fields count days since 1 January 1970; an empty one means the
// rule it sets does not apply. A line may stop after the hash (the old form
// without ageing), and the missing day fields are then empty.
//
// The hash is the secret bastion must never spread: it never appears in an
// error, and Entry and File print it only as its first character and its
// length, whatever fmt verb is used.
package shadow

import (
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"bastion/internal/parse"
)

// Entry is one account of the shadow file.
type Entry struct {
	Line int
	Name string
	// Hash is the second field as written: a crypt hash ("$6$...",
	// "$y$..."), a locked one ("!$6$..."), a lock alone ("!", "*",
	// "!!"), or "" for an account that needs no password at all.
	Hash string
	// LastChange is the day the password was last changed; 0 means the
	// user must change it at the next login.
	LastChange int
	// Min and Max are the fewest and most days between changes, Warn
	// the days of warning before Max is reached, Inactive the days after
	// that during which the old password still works, and Expire the
	// day the account itself expires.
	Min, Max, Warn, Inactive, Expire int
	// Each day field is -1 when it is empty or absent.
}

// File is a parsed shadow file.
type File struct {
	Name    string
	Lines   []string
	Entries []Entry
	// NIS holds the numbers of the NIS compat lines ('+' or '-' first),
	// which are skipped.
	NIS []int
}

// fields is the number of fields of a full shadow line.
const fields = 9

// dayFields names fields 3 to 8 for error messages.
var dayFields = [...]string{"last change", "minimum age", "maximum age", "warning period", "inactivity period", "expiration date"}

// Parse reads a shadow file. Blank lines and '#' comments are skipped
// (after any leading blanks), NIS lines ('+', '-') recorded in File.NIS. A
// line with fewer than two fields or more than nine, an empty name, or a
// day field that is not a number is an error, reported by the field's
// place and never with its text.
func Parse(r io.Reader, name string) (*File, error) {
	lines, err := parse.ReadLines(r, name)
	if err != nil {
		return nil, err
	}
	f := &File{Name: name, Lines: lines}
	var errs parse.Errors
	for i, l := range lines {
		// Leading blanks are skipped as the C library does.
		l = strings.TrimLeft(l, " \t")
		if l == "" || l[0] == '#' {
			continue
		}
		if l[0] == '+' || l[0] == '-' {
			f.NIS = append(f.NIS, i+1)
			continue
		}
		e, msg := parseLine(l)
		if msg != "" {
			errs.Add(name, i+1, "%s", msg)
			continue
		}
		e.Line = i + 1
		f.Entries = append(f.Entries, e)
	}
	return f, errs.Err()
}

// parseLine parses one line, or says what is wrong with it in words that
// hold nothing of the line itself.
func parseLine(l string) (Entry, string) {
	fs := strings.Split(l, ":")
	switch {
	case len(fs) < 2:
		return Entry{}, "want name:hash:..., got 1 field"
	case len(fs) > fields:
		return Entry{}, fmt.Sprintf("want at most %d fields, got %d", fields, len(fs))
	case fs[0] == "":
		return Entry{}, "empty name"
	}
	e := Entry{Name: fs[0], Hash: fs[1]}
	days := []*int{&e.LastChange, &e.Min, &e.Max, &e.Warn, &e.Inactive, &e.Expire}
	for j, p := range days {
		*p = -1
		if 2+j >= len(fs) || fs[2+j] == "" {
			continue
		}
		n, ok := number(fs[2+j])
		if !ok {
			return Entry{}, fmt.Sprintf("field %d (%s) is not a number", 3+j, dayFields[j])
		}
		*p = n
	}
	return e, ""
}

// number parses a day count: decimal digits only, no sign, small enough
// for an int.
func number(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' || n > (1<<31-1)/10 {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// Lookup returns the first entry of an account.
func (f *File) Lookup(name string) (Entry, bool) {
	for _, e := range f.Entries {
		if e.Name == name {
			return e, true
		}
	}
	return Entry{}, false
}

// String prints the entry with the hash reduced to its first character and
// length ("$(106 chars)"), so that logging an entry cannot leak it.
func (e Entry) String() string {
	return fmt.Sprintf("{Line:%d Name:%s Hash:%s LastChange:%d Min:%d Max:%d Warn:%d Inactive:%d Expire:%d}",
		e.Line, e.Name, redact(e.Hash), e.LastChange, e.Min, e.Max, e.Warn, e.Inactive, e.Expire)
}

// GoString is String in Go syntax, for %#v.
func (e Entry) GoString() string {
	return fmt.Sprintf("shadow.Entry{Line:%d, Name:%q, Hash:%q, LastChange:%d, Min:%d, Max:%d, Warn:%d, Inactive:%d, Expire:%d}",
		e.Line, e.Name, redact(e.Hash), e.LastChange, e.Min, e.Max, e.Warn, e.Inactive, e.Expire)
}

// Format prints GoString for %#v and String for every other verb, so that
// no verb (%d or %x included) reaches the hash.
func (e Entry) Format(s fmt.State, verb rune) { format(s, verb, e) }

// String names the file and counts its lines and entries; the lines
// themselves hold the hashes and are left out. It and the two methods
// after it take a File, not a pointer, so that printing a File value
// cannot fall back to printing its lines.
func (f File) String() string {
	return fmt.Sprintf("shadow %s: %d lines, %d entries", f.Name, len(f.Lines), len(f.Entries))
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

// redact reduces a hash to its first character and its length in bytes:
// enough to tell a lock ("!", "*"), a locked hash ("!$6$") and a usable
// one apart, too little to recover anything.
func redact(h string) string {
	if h == "" {
		return "(empty)"
	}
	r, _ := utf8.DecodeRuneInString(h)
	first := string(r)
	if r == utf8.RuneError || !unicode.IsPrint(r) {
		first = "?"
	}
	unit := "chars"
	if len(h) == 1 {
		unit = "char"
	}
	return fmt.Sprintf("%s(%d %s)", first, len(h), unit)
}
