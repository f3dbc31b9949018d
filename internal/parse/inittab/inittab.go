// Package inittab reads /etc/inittab, the table of processes init starts,
// in the AIX form and in the Linux sysvinit form. Both are lines of
// Identifier:RunLevels:Action:Command.
//
// The two differ in how an entry is turned off. On AIX a line whose first
// character is ':' is a comment, and an entry is disabled by putting ':' in
// front of it or by giving it the action "off"; a leading '#' does NOT
// disable an entry, init reads "#name" as the identifier. Parse follows the
// AIX rules and returns such lines as active entries marked HashPrefixed.
// ParseLinux follows sysvinit, where '#' starts a comment.
//
// Every line of the file is kept so that one entry can be changed or
// disabled by editing its own lines.
package inittab

import (
	"fmt"
	"io"
	"strings"

	"bastion/internal/parse"
	"bastion/internal/parse/shellwords"
)

// MaxIDLen is the longest identifier mkitab accepts.
const MaxIDLen = 14

// File is a parsed inittab.
type File struct {
	// Name is the name the file was parsed under, used in error messages.
	Name string
	// Lines holds every physical line as read, without line endings.
	Lines []string
	// Entries holds the entries in file order, those disabled with a
	// leading ':' included.
	Entries []Entry
}

// Entry is one inittab entry.
type Entry struct {
	// Line is the 1-based number of the entry's first physical line.
	Line int
	// EndLine is the number of its last physical line; it differs from
	// Line when a backslash-newline continues the entry (AIX only).
	EndLine int
	// ID is the identifier as init reads it, including a leading '#' on
	// AIX (see HashPrefixed).
	ID string
	// RunLevels holds the run levels as written, such as "2" or
	// "23456789". Empty means every level.
	RunLevels string
	// Action is how init runs the command: respawn, wait, once, off, ...
	Action string
	// Command is the command handed to the shell, as written, with
	// surrounding blanks removed.
	Command string
	// Disabled reports an AIX entry commented out with a leading ':'.
	Disabled bool
	// HashPrefixed reports an AIX entry whose line starts with '#'. AIX
	// init does not treat '#' as a comment, so the entry is still active
	// under the identifier "#name"; whoever wrote it most likely meant to
	// disable it.
	HashPrefixed bool
}

// Active reports whether init runs the entry: it is not commented out
// with ':' and its action is not "off".
func (e Entry) Active() bool { return !e.Disabled && e.Action != "off" }

// Argv returns the words of the command up to its first shell operator,
// redirection or comment, with quotes removed.
func (e Entry) Argv() []string {
	argv, _ := shellwords.Split(e.Command)
	return argv
}

// Comment returns the shell comment at the end of the command without its
// '#', such as "Start TCP/IP daemons", or "".
func (e Entry) Comment() string {
	_, c, _ := shellwords.CutComment(e.Command)
	return c
}

// Lookup returns the entry init uses for id: the first entry with that
// identifier that is not commented out with ':'.
func (f *File) Lookup(id string) (Entry, bool) {
	for _, e := range f.Entries {
		if e.ID == id && !e.Disabled {
			return e, true
		}
	}
	return Entry{}, false
}

// Bytes returns the file's text: its lines, each ended by a newline.
func (f *File) Bytes() []byte { return parse.JoinLines(f.Lines) }

// aixActions are the actions AIX init knows.
var aixActions = map[string]bool{
	"respawn": true, "wait": true, "once": true, "boot": true, "bootwait": true,
	"powerfail": true, "powerwait": true, "off": true, "hold": true,
	"ondemand": true, "initdefault": true, "sysinit": true,
}

// linuxActions are the actions sysvinit knows.
var linuxActions = map[string]bool{
	"sysinit": true, "ctrlaltdel": true, "initdefault": true, "respawn": true,
	"wait": true, "once": true, "boot": true, "bootwait": true,
	"powerfail": true, "powerwait": true, "powerokwait": true,
	"powerfailnow": true, "ondemand": true, "kbrequest": true, "off": true,
}

type dialect struct {
	linux     bool
	actions   map[string]bool
	runLevels string
}

var (
	aix   = dialect{actions: aixActions, runLevels: "0123456789abcsS"}
	linux = dialect{linux: true, actions: linuxActions, runLevels: "0123456789abcABCsS"}
)

// Parse reads an AIX inittab. A line starting with ':' is a comment, or, if
// what follows is a valid entry, that entry marked Disabled. A line
// starting with '#' is an active entry marked HashPrefixed. A backslash at
// the end of a line continues the entry on the next line.
//
// Bad lines are reported together in the returned error, each as
// "name:line: what is wrong"; the File then holds every good entry. A file
// that cannot be read gives a nil File.
func Parse(r io.Reader, name string) (*File, error) {
	return parseDialect(r, name, aix)
}

// ParseLinux reads a Linux sysvinit inittab, where a line whose first
// non-blank character is '#' is a comment and lines do not continue.
func ParseLinux(r io.Reader, name string) (*File, error) {
	return parseDialect(r, name, linux)
}

func parseDialect(r io.Reader, name string, d dialect) (*File, error) {
	lines, err := parse.ReadLines(r, name)
	if err != nil {
		return nil, err
	}
	f := &File{Name: name, Lines: lines}
	var errs parse.Errors
	seen := map[string]int{}
	for i := 0; i < len(lines); {
		first := i
		text := lines[i]
		i++
		if !d.linux && strings.HasSuffix(text, `\`) && i < len(lines) {
			// Join continued lines: the backslash and newline vanish.
			var b strings.Builder
			for strings.HasSuffix(text, `\`) && i < len(lines) {
				b.WriteString(text[:len(text)-1])
				text = lines[i]
				i++
			}
			b.WriteString(text)
			text = b.String()
		}
		text = strings.Trim(text, " \t")
		if text == "" {
			continue
		}
		e := Entry{Line: first + 1, EndLine: i}
		switch {
		case text[0] == '#' && d.linux:
			continue
		case text[0] == ':' && !d.linux:
			if !splitEntry(&e, text[1:]) || d.check(&e) != "" {
				continue // a plain comment
			}
			e.Disabled = true
			f.Entries = append(f.Entries, e)
			continue
		case text[0] == '#':
			e.HashPrefixed = true
		}
		if !splitEntry(&e, text) {
			msg := fmt.Sprintf("want 4 colon-separated fields, got %d", strings.Count(text, ":")+1)
			if e.HashPrefixed {
				msg += " ('#' does not start a comment in an AIX inittab)"
			}
			errs.Add(name, e.Line, "%s", msg)
			continue
		}
		if msg := d.check(&e); msg != "" {
			errs.Add(name, e.Line, "%s", msg)
			continue
		}
		if prev, dup := seen[e.ID]; dup {
			errs.Add(name, e.Line, "duplicate identifier %q (first at line %d)", e.ID, prev)
			continue
		}
		seen[e.ID] = e.Line
		f.Entries = append(f.Entries, e)
	}
	return f, errs.Err()
}

// splitEntry fills the fields of e from text, reporting false when text
// has fewer than four colon-separated fields.
func splitEntry(e *Entry, text string) bool {
	fields := strings.SplitN(text, ":", 4)
	if len(fields) < 4 {
		return false
	}
	e.ID = strings.Trim(fields[0], " \t")
	e.RunLevels = strings.Trim(fields[1], " \t")
	e.Action = strings.Trim(fields[2], " \t")
	e.Command = strings.Trim(fields[3], " \t")
	return true
}

// check returns what is wrong with the fields of e, or "".
func (d dialect) check(e *Entry) string {
	switch {
	case e.ID == "":
		return "empty identifier"
	case len(e.ID) > MaxIDLen:
		return fmt.Sprintf("identifier %q longer than %d characters", e.ID, MaxIDLen)
	}
	for _, c := range e.RunLevels {
		if !strings.ContainsRune(d.runLevels, c) {
			return fmt.Sprintf("run levels %q: invalid level %q", e.RunLevels, c)
		}
	}
	if !d.actions[e.Action] {
		return fmt.Sprintf("unknown action %q", e.Action)
	}
	return ""
}
