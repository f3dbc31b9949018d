// Package ufw reads the two settings files of ufw, the Uncomplicated
// Firewall of Debian and Ubuntu: /etc/ufw/ufw.conf, which says whether the
// firewall starts at boot (ENABLED=yes), and /etc/default/ufw, which holds
// the default policies (DEFAULT_INPUT_POLICY="DROP") and whether IPv6 is
// filtered (IPV6=yes).
//
// Both files are shell assignments, one a line, that ufw's start-up script
// sources:
//
//	# Set to yes to start on boot.
//	ENABLED=yes
//	DEFAULT_INPUT_POLICY="DROP"
//	IPT_MODULES=''
//
// The rules themselves live in /etc/ufw/user.rules and user6.rules, which
// are in iptables-save form and are not read here.
//
// Every line of a file is kept so that one setting can be changed by
// editing its own line.
package ufw

import (
	"io"
	"strings"

	"bastion/internal/parse"
)

// Var is one assignment "NAME=value".
type Var struct {
	// Line is the 1-based line number.
	Line int
	// Name is the variable's name.
	Name string
	// Value is the value with its quotes and escapes removed, as the
	// shell would assign it. "$" expansions are kept as written.
	Value string
}

// File is a parsed ufw.conf or /etc/default/ufw.
type File struct {
	// Name is the name the file was parsed under, used in error messages.
	Name string
	// Lines holds every line as read, without line endings.
	Lines []string
	// Vars holds the assignments in file order, repeated names included.
	Vars []Var
}

// Parse reads a file of shell assignments. Blank lines and lines whose
// first non-blank character is '#' are skipped; an "export " before an
// assignment is allowed. A value may be bare, with backslash escapes,
// 'single-quoted' or "double-quoted" (where \", \\, \$ and \` are
// escapes), or made of several such parts, and may be followed by blanks
// and a '#' comment. A line that is not an assignment to a valid name, a
// quote that is not closed on its line and text after the value (which
// the shell would run as a command instead of assigning the variable) are
// reported as "name:line: what is wrong", and the File then holds every
// other assignment. A file that cannot be read gives a nil File.
func Parse(r io.Reader, name string) (*File, error) {
	lines, err := parse.ReadLines(r, name)
	if err != nil {
		return nil, err
	}
	f := &File{Name: name, Lines: lines}
	var errs parse.Errors
	for i, l := range lines {
		n := i + 1
		t := strings.Trim(l, " \t")
		if t == "" || t[0] == '#' {
			continue
		}
		if rest, ok := strings.CutPrefix(t, "export"); ok && rest != "" && (rest[0] == ' ' || rest[0] == '\t') {
			t = strings.TrimLeft(rest, " \t")
		}
		key, raw, ok := strings.Cut(t, "=")
		if !ok {
			errs.Add(name, n, "not a NAME=value assignment: %q", clip(t))
			continue
		}
		if !validName(key) {
			errs.Add(name, n, "bad variable name %q", clip(key))
			continue
		}
		value, problem := word(raw)
		if problem != "" {
			errs.Add(name, n, "%s in the value of %s", problem, key)
			continue
		}
		f.Vars = append(f.Vars, Var{Line: n, Name: key, Value: value})
	}
	return f, errs.Err()
}

// validName reports whether s is a shell variable name.
func validName(s string) bool {
	if s == "" || '0' <= s[0] && s[0] <= '9' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// word reads the shell word at the start of s, the right-hand side of an
// assignment, and returns its value, or a description of what is wrong.
// After the word only blanks and a comment may follow.
func word(s string) (value, problem string) {
	var b strings.Builder
	i := 0
	for i < len(s) {
		c := s[i]
		switch {
		case c == ' ' || c == '\t':
			rest := strings.TrimLeft(s[i:], " \t")
			if rest != "" && rest[0] != '#' {
				return "", "text after the value"
			}
			return b.String(), ""
		case c == '\\':
			if i+1 == len(s) {
				return "", "backslash at the end of the line"
			}
			b.WriteByte(s[i+1])
			i += 2
		case c == '\'':
			end := strings.IndexByte(s[i+1:], '\'')
			if end < 0 {
				return "", "unterminated single quote"
			}
			b.WriteString(s[i+1 : i+1+end])
			i += end + 2
		case c == '"':
			j := i + 1
			for ; j < len(s) && s[j] != '"'; j++ {
				if s[j] == '\\' && j+1 < len(s) && strings.IndexByte("\"\\$`", s[j+1]) >= 0 {
					j++
				}
				b.WriteByte(s[j])
			}
			if j == len(s) {
				return "", "unterminated double quote"
			}
			i = j + 1
		case c == '`' || c == ';' || c == '&' || c == '|' || c == '<' || c == '>' || c == '(' || c == ')':
			// Command substitution, a list or a redirection: the
			// line is a command, not a plain assignment.
			return "", "shell syntax " + string(c)
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String(), ""
}

// clip shortens s for an error message.
func clip(s string) string {
	const max = 60
	if len(s) <= max {
		return s
	}
	return s[:max] + "..."
}

// Get returns the last assignment to name: the one the shell keeps.
func (f *File) Get(name string) (Var, bool) {
	for i := len(f.Vars) - 1; i >= 0; i-- {
		if f.Vars[i].Name == name {
			return f.Vars[i], true
		}
	}
	return Var{}, false
}

// Bool returns the value of a yes/no setting. ufw lower-cases the values it
// reads, so "YES" counts as yes. It reports false for a setting that is
// missing or holds anything else.
func (f *File) Bool(name string) (value, ok bool) {
	v, found := f.Get(name)
	if !found {
		return false, false
	}
	switch strings.ToLower(v.Value) {
	case "yes":
		return true, true
	case "no":
		return false, true
	}
	return false, false
}

// Enabled reports ENABLED=yes in ufw.conf: ufw starts at boot.
func (f *File) Enabled() bool {
	v, _ := f.Bool("ENABLED")
	return v
}

// IPv6 reports IPV6=yes in /etc/default/ufw: ufw also filters IPv6. When
// it is not yes, IPv6 traffic is left to whatever other rules the host
// has.
func (f *File) IPv6() bool {
	v, _ := f.Bool("IPV6")
	return v
}

// Policy returns a default policy such as DEFAULT_INPUT_POLICY upper-cased
// ("ACCEPT", "DROP" or "REJECT"), and whether it is set to one of those.
func (f *File) Policy(name string) (string, bool) {
	v, found := f.Get(name)
	if !found {
		return "", false
	}
	p := strings.ToUpper(v.Value)
	switch p {
	case "ACCEPT", "DROP", "REJECT":
		return p, true
	}
	return "", false
}

// DefaultInputPolicy returns DEFAULT_INPUT_POLICY as Policy does.
func (f *File) DefaultInputPolicy() (string, bool) { return f.Policy("DEFAULT_INPUT_POLICY") }

// Bytes returns the file's text: its lines, each ended by a newline.
func (f *File) Bytes() []byte { return parse.JoinLines(f.Lines) }
