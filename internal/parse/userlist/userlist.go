// Package userlist reads the files that list one user name per line and
// allow or deny a service to the users named: /etc/ftpusers (AIX and
// Linux ftpd), vsftpd's user_list and /etc/vsftpd/ftpusers, cron.allow and
// cron.deny, at.allow and at.deny.
//
// The programs that read these files compare each whole line with the
// user's name, so a line holding two words, or a name with a character no
// user name can have, matches nobody and denies (or allows) nothing. Such
// lines are reported as errors: on a deny list they are a hole. Lines
// starting with '#' and blank lines are comments; blanks around a name are
// not part of it.
package userlist

import (
	"io"
	"strconv"
	"strings"

	"bastion/internal/parse"
)

// File is a parsed list of user names.
type File struct {
	// Name is the name the file was parsed under, used in error messages.
	Name string
	// Lines holds every physical line as read, without line endings.
	Lines []string
	// Names holds the user names in file order.
	Names []Name
}

// Name is one user name of a list.
type Name struct {
	// Line is the 1-based line number of the name in the file.
	Line int
	// Name is the user name, without the blanks around it.
	Name string
}

// Has reports whether the list names the user name exactly (user names are
// case-sensitive).
func (f *File) Has(name string) bool {
	for _, n := range f.Names {
		if n.Name == name {
			return true
		}
	}
	return false
}

// Bytes returns the file text: every line as read, each ended by "\n".
func (f *File) Bytes() []byte { return parse.JoinLines(f.Lines) }

// Parse reads a user list from r; name is used in error messages. A line
// that is not one valid user name is reported and skipped; the names of the
// other lines are returned along with the error.
func Parse(r io.Reader, name string) (*File, error) {
	lines, err := parse.ReadLines(r, name)
	if err != nil {
		return nil, err
	}
	f := &File{Name: name, Lines: lines}
	var errs parse.Errors
	for i, line := range lines {
		words := parse.Fields(line)
		if len(words) == 0 || strings.HasPrefix(words[0], "#") {
			continue
		}
		if len(words) > 1 {
			errs.Add(name, i+1, "want one user name, got %d words", len(words))
			continue
		}
		if msg := check(words[0]); msg != "" {
			errs.Add(name, i+1, "%s", msg)
			continue
		}
		f.Names = append(f.Names, Name{Line: i + 1, Name: words[0]})
	}
	return f, errs.Err()
}

// forbidden holds the printable ASCII characters that no user name may
// hold: the field separators of /etc/passwd and of AIX stanza files, quotes,
// escapes and path separators (the characters AIX mkuser refuses, and
// which the Linux user tools refuse as well).
const forbidden = `:,="'` + "`" + `\/?#`

// check returns what is wrong with a user name, or "".
func check(name string) string {
	for i, r := range name {
		switch {
		case r < 0x21 || r > 0x7e:
			return "user name " + strconv.QuoteToASCII(name) + " has a character that is not printable ASCII at byte " + strconv.Itoa(i+1)
		case strings.ContainsRune(forbidden, r):
			return "user name " + strconv.Quote(name) + " has the character " + strconv.QuoteRune(r) + ", which no user name can hold"
		}
	}
	if c := name[0]; c == '-' || c == '+' || c == '~' {
		return "user name " + strconv.Quote(name) + " starts with " + strconv.QuoteRune(rune(c)) + ", which no user name can"
	}
	return ""
}
