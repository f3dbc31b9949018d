// Package aptlists reads the package lists apt keeps in /var/lib/apt/lists:
// the Release and InRelease files that describe an archive (its origin,
// suite, date, and whether it is a security archive), and the Packages
// files that list every version the archive offers. bastion uses them to
// tell which installed packages have a newer version waiting, and which of
// those come from a security archive.
//
// A Release file is small and is read whole, keeping its lines. A
// Packages file holds tens of megabytes; ScanPackages streams it and keeps
// only the few fields bastion needs, for the packages asked for.
package aptlists

import (
	"io"
	"strings"
	"time"

	"bastion/internal/parse"
)

// Field is one "Name: value" line of a Release file.
type Field struct {
	// Line is the 1-based line number.
	Line int
	// Name is the field's name as written; Value its value without the
	// surrounding blanks. Fields whose value is on the lines after them
	// (the checksum lists) have an empty Value.
	Name  string
	Value string
}

// File is a Release or InRelease file: the fields of its one paragraph,
// in file order. In an InRelease file the signed text is read and the
// signature around it skipped.
type File struct {
	// Name is the name the file was parsed under, used in error messages.
	Name string
	// Lines holds every line as read, without line endings.
	Lines []string
	// Fields holds the fields in file order.
	Fields []Field
	// Signed reports an InRelease file: text clear-signed with OpenPGP.
	Signed bool
	// Date is the time the archive was published, from the Date field;
	// zero when the field is missing or not a date.
	Date time.Time
	// ValidUntil is the Valid-Until field, zero when there is none.
	ValidUntil time.Time
}

// Get returns the first field of a name, compared without regard to case.
func (f *File) Get(name string) (Field, bool) {
	for _, fl := range f.Fields {
		if strings.EqualFold(fl.Name, name) {
			return fl, true
		}
	}
	return Field{}, false
}

// Value returns the value of a field, or "".
func (f *File) Value(name string) string {
	fl, _ := f.Get(name)
	return fl.Value
}

// Security reports whether the archive is a security archive: Debian's
// (Label "Debian-Security"), or one whose suite or codename ends in
// "-security" (Debian since 11, Ubuntu) or "/updates" (Debian's security
// suites before 11).
func (f *File) Security() bool {
	if strings.EqualFold(f.Value("Label"), "Debian-Security") {
		return true
	}
	for _, n := range []string{"Suite", "Codename"} {
		v := strings.ToLower(f.Value(n))
		if strings.HasSuffix(v, "-security") || strings.HasSuffix(v, "/updates") {
			return true
		}
	}
	return false
}

// NotAutomatic reports an archive apt installs from only when asked
// ("NotAutomatic: yes", as Debian's backports and experimental say).
// ButAutomaticUpgrades reports one whose packages, once installed, are
// upgraded from it as usual.
func (f *File) NotAutomatic() bool { return strings.EqualFold(f.Value("NotAutomatic"), "yes") }

// ButAutomaticUpgrades reports "ButAutomaticUpgrades: yes".
func (f *File) ButAutomaticUpgrades() bool {
	return strings.EqualFold(f.Value("ButAutomaticUpgrades"), "yes")
}

// Suite names the archive for people: its suite and codename, or its
// label.
func (f *File) Suite() string {
	s, c := f.Value("Suite"), f.Value("Codename")
	switch {
	case s != "" && c != "" && s != c:
		return c + " (" + s + ")"
	case c != "":
		return c
	case s != "":
		return s
	}
	return f.Value("Label")
}

// The lines that frame clear-signed text.
const (
	pgpSigned    = "-----BEGIN PGP SIGNED MESSAGE-----"
	pgpSignature = "-----BEGIN PGP SIGNATURE-----"
	pgpEnd       = "-----END PGP SIGNATURE-----"
)

// dateLayouts are the forms of the Date field: RFC 1123 with a zone name
// or a numeric offset, the day written with one or two digits.
var dateLayouts = []string{
	"Mon, 2 Jan 2006 15:04:05 MST",
	"Mon, 2 Jan 2006 15:04:05 -0700",
	"Mon, 2 Jan 2006 15:04:05 -0700 (MST)",
}

// ParseDate reads a Release file date ("Sat, 10 Aug 2024 09:12:34 UTC").
func ParseDate(s string) (time.Time, bool) {
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// Parse reads a Release or InRelease file. A line that is neither a field
// nor the continuation of one, a second paragraph, a Date or Valid-Until
// that is not a date, clear-signed text whose signature never starts and
// text after the signature are reported, each as "name:line: what is
// wrong", and the File then holds everything else. A file that cannot be
// read gives a nil File.
func Parse(r io.Reader, name string) (*File, error) {
	lines, err := parse.ReadLines(r, name)
	if err != nil {
		return nil, err
	}
	f := &File{Name: name, Lines: lines}
	var errs parse.Errors
	const (
		plain   = iota // an unsigned Release file
		headers        // the armour headers of clear-signed text
		signed         // the signed text
		sig            // the signature
		after          // after the signature
	)
	state := plain
	field := false // a field is open, so an indented line continues it
	ended := false // the paragraph ended at a blank line
	seen := false  // anything but blank lines seen
	badAfter := false
	for i, line := range lines {
		n := i + 1
		text := strings.TrimRight(line, " \t")
		switch state {
		case plain:
			if !seen && text == pgpSigned {
				state, f.Signed, seen = headers, true, true
				continue
			}
		case headers:
			if text == "" {
				state = signed
			}
			continue
		case signed:
			if text == pgpSignature {
				state = sig
				continue
			}
			// Dash-escaping: a signed line that starts with a dash is
			// written "- " followed by the line.
			if strings.HasPrefix(line, "- ") {
				line = line[2:]
				text = strings.TrimRight(line, " \t")
			}
		case sig:
			if text == pgpEnd {
				state = after
			}
			continue
		case after:
			if text != "" && !badAfter {
				errs.Add(name, n, "text after the signature")
				badAfter = true
			}
			continue
		}
		if text == "" {
			if field {
				ended = true
			}
			field = false
			continue
		}
		seen = true
		if line[0] == ' ' || line[0] == '\t' {
			if !field {
				errs.Add(name, n, "continuation line outside a field")
			}
			continue
		}
		key, value, ok := splitField(line)
		if !ok {
			errs.Add(name, n, "not a field (want \"Name: value\"): %q", clip(text))
			field = false
			continue
		}
		if ended {
			errs.Add(name, n, "a second paragraph: a Release file has one")
			ended = false
		}
		field = true
		f.Fields = append(f.Fields, Field{Line: n, Name: key, Value: value})
		var set *time.Time
		switch strings.ToLower(key) {
		case "date":
			set = &f.Date
		case "valid-until":
			set = &f.ValidUntil
		}
		if set != nil {
			t, ok := ParseDate(value)
			switch {
			case !ok:
				errs.Add(name, n, "%s %q is not a date", key, clip(value))
			case set.IsZero():
				*set = t
			}
		}
	}
	switch state {
	case headers, signed:
		errs.Add(name, len(lines), "clear-signed text without a signature")
	case sig:
		errs.Add(name, len(lines), "signature not closed")
	}
	return f, errs.Err()
}

// splitField splits "Name: value". The name may not be empty, start with
// '#' or '-', or hold blanks or control characters.
func splitField(line string) (key, value string, ok bool) {
	i := strings.IndexByte(line, ':')
	if i <= 0 {
		return "", "", false
	}
	key = line[:i]
	if key[0] == '#' || key[0] == '-' {
		return "", "", false
	}
	for j := 0; j < len(key); j++ {
		if c := key[j]; c <= ' ' || c >= 0x7f {
			return "", "", false
		}
	}
	return key, strings.Trim(line[i+1:], " \t"), true
}

// clip shortens s for an error message.
func clip(s string) string {
	const max = 60
	if len(s) <= max {
		return s
	}
	return s[:max] + "..."
}

// Bytes returns the file as read, every line ended with "\n".
func (f *File) Bytes() []byte { return parse.JoinLines(f.Lines) }
