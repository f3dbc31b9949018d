// Package grubcfg reads GRUB 2 configuration scripts: grub.cfg, the files it
// sources (user.cfg, custom.cfg) and the text the /etc/grub.d scripts emit.
// bastion needs only the few commands that decide who may change what the
// boot loader does: "set superusers=...", "password", "password_pbkdf2", and
// the options of "menuentry" (--unrestricted, --users).
//
// The syntax is GRUB's shell-like script: words split at blanks, single
// quotes taken literally, double quotes that keep '$' and honour backslash
// escapes, a backslash-newline joining two lines, ';' and newlines ending a
// command, '#' starting a comment at the beginning of a word, and blocks:
// "menuentry ... { }", "submenu ... { }", "function name { }", "if ... fi",
// "for/while/until ... done". Variables are not expanded: "$x" and "${x}"
// are kept as written, for the caller to resolve. A bare "NAME=VALUE" is an
// assignment like "set NAME=VALUE" and is returned as one.
//
// Password commands hold secrets: a clear-text password or a PBKDF2 hash.
// No error names any text of the file, and Command and File print the
// secret words only as their length, whatever fmt verb is used.
package grubcfg

import (
	"fmt"
	"io"
	"strings"

	"bastion/internal/parse"
)

// File is a parsed GRUB script with its original lines.
type File struct {
	// Name is the name the file was parsed under, used in errors.
	Name string
	// Lines holds every line as read, without line endings.
	Lines []string
	// Commands holds the commands in file order, those inside blocks
	// included.
	Commands []Command
}

// Command is one simple command of the script.
type Command struct {
	// Line is the 1-based line the command starts on; EndLine the line it
	// ends on (they differ when a quote or a backslash spans lines).
	Line, EndLine int
	// Name is the first word: "set", "password_pbkdf2", "menuentry", or
	// a keyword that opens a block ("if", "while"); a bare assignment
	// "NAME=VALUE" has the name "set".
	Name string
	// Args are the words after Name with quotes and escapes removed.
	// Variable references ("${GRUB2_PASSWORD}") are kept as written.
	Args []string
	// In lists the blocks the command is inside, outermost first:
	// "menuentry", "submenu", "function", "if", "for", "while",
	// "until", "case", or "group" for a bare "{ }".
	In []string
}

// Parse reads a GRUB script. An unterminated quote, a '}', "fi", "done" or
// "esac" that closes nothing, and a block left open at the end of the file
// are reported, each as "name:line: what is wrong" without any text of the
// line; the File then holds every command read. A file that cannot be read
// gives a nil File.
func Parse(r io.Reader, name string) (*File, error) {
	lines, err := parse.ReadLines(r, name)
	if err != nil {
		return nil, err
	}
	f := &File{Name: name, Lines: lines}
	p := &parser{f: f}
	toks := lex(strings.Join(lines, "\n"), func(line int, msg string) { p.errs.Add(name, line, "%s", msg) })
	p.run(toks)
	return f, p.errs.Err()
}

// Bytes returns the file's text: its lines, each ended by a newline.
func (f *File) Bytes() []byte { return parse.JoinLines(f.Lines) }

// Deferred reports whether the command runs only when a menu entry is
// chosen or a function called, not while GRUB reads the file: it is inside
// a menuentry, submenu or function body.
func (c Command) Deferred() bool {
	for _, b := range c.In {
		switch b {
		case "menuentry", "submenu", "function":
			return true
		}
	}
	return false
}

// Conditional reports whether the command is inside an if, loop or case.
func (c Command) Conditional() bool {
	for _, b := range c.In {
		switch b {
		case "if", "for", "while", "until", "case":
			return true
		}
	}
	return false
}

// Assignment returns the variable and value that "set NAME=VALUE" (or a
// bare "NAME=VALUE") assigns. "set NAME" alone and other commands give
// ok false.
func (c Command) Assignment() (name, value string, ok bool) {
	if c.Name != "set" || len(c.Args) != 1 {
		return "", "", false
	}
	name, value, ok = strings.Cut(c.Args[0], "=")
	if !ok || !isName(name) {
		return "", "", false
	}
	return name, value, true
}

// Password returns the user and the secret of a "password USER SECRET" or
// "password_pbkdf2 USER HASH" command; Hashed tells the two apart.
func (c Command) Password() (user, secret string, ok bool) {
	if !c.IsPassword() || len(c.Args) != 2 {
		return "", "", false
	}
	return c.Args[0], c.Args[1], true
}

// IsPassword reports a password or password_pbkdf2 command.
func (c Command) IsPassword() bool { return c.Name == "password" || c.Name == "password_pbkdf2" }

// Hashed reports a password_pbkdf2 command, whose secret is a hash.
func (c Command) Hashed() bool { return c.Name == "password_pbkdf2" }

// HasFlag reports whether a menuentry or submenu command has the option
// flag ("--unrestricted").
func (c Command) HasFlag(flag string) bool {
	for _, a := range c.Args {
		if a == flag {
			return true
		}
	}
	return false
}

// Option returns the value of a menuentry or submenu option that takes one
// ("--users alice,bob" or "--users=alice,bob").
func (c Command) Option(opt string) (string, bool) {
	for i, a := range c.Args {
		if a == opt && i+1 < len(c.Args) {
			return c.Args[i+1], true
		}
		if v, ok := strings.CutPrefix(a, opt+"="); ok {
			return v, true
		}
	}
	return "", false
}

// Users splits a list of user names as GRUB does for superusers and
// --users: at spaces, commas, semicolons, '|' and '&'.
func Users(list string) []string {
	return strings.FieldsFunc(list, func(r rune) bool { return strings.ContainsRune(" \t,;|&", r) })
}

// VarRef returns the variable a word refers to when the word is nothing
// but one reference ("$x" or "${x}").
func VarRef(word string) (string, bool) {
	v, ok := strings.CutPrefix(word, "$")
	if !ok {
		return "", false
	}
	if inner, ok := strings.CutPrefix(v, "{"); ok {
		v, ok = strings.CutSuffix(inner, "}")
		if !ok {
			return "", false
		}
	}
	return v, isName(v)
}

// isName reports whether s is a variable name: a letter or '_', then
// letters, digits and '_'.
func isName(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		switch {
		case r == '_', 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z':
		case '0' <= r && r <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}

// secret reports whether argument i of the command holds a secret: the
// password or hash of a password command, the value of an assignment to a
// variable called like a password or holding a PBKDF2 hash.
func (c Command) secret(i int) bool {
	if c.IsPassword() {
		return i >= 1
	}
	if c.Name == "set" {
		name, value, ok := strings.Cut(c.Args[i], "=")
		return ok && (strings.Contains(strings.ToLower(name), "password") || strings.HasPrefix(value, "grub.pbkdf2."))
	}
	return false
}

// String prints the command as its words, each secret reduced to its
// length ("password_pbkdf2 root (154 chars)").
func (c Command) String() string {
	var b strings.Builder
	b.WriteString(c.Name)
	for i, a := range c.Args {
		b.WriteByte(' ')
		switch {
		case !c.secret(i):
			b.WriteString(a)
		case c.Name == "set":
			name, value, _ := strings.Cut(a, "=")
			fmt.Fprintf(&b, "%s=(%d chars)", name, len(value))
		default:
			fmt.Fprintf(&b, "(%d chars)", len(a))
		}
	}
	return b.String()
}

// GoString is String with the command's place, for %#v.
func (c Command) GoString() string {
	return fmt.Sprintf("grubcfg.Command{Line:%d, EndLine:%d, %q, In:%q}", c.Line, c.EndLine, c.String(), c.In)
}

// Format prints GoString for %#v and String for every other verb, so that
// no verb reaches a secret.
func (c Command) Format(s fmt.State, verb rune) { format(s, verb, c) }

// String names the file and counts its lines and commands; the lines hold
// the secrets and are left out. It takes a File, not a pointer, so that
// printing a File value cannot fall back to printing its lines.
func (f File) String() string {
	return fmt.Sprintf("grub script %s: %d lines, %d commands", f.Name, len(f.Lines), len(f.Commands))
}

// GoString is String for %#v.
func (f File) GoString() string { return f.String() }

// Format prints String for every verb; see Command.Format.
func (f File) Format(s fmt.State, verb rune) { format(s, verb, f) }

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
