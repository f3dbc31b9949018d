// Package aideconf reads the configuration of AIDE, the file integrity
// checker: /etc/aide/aide.conf (Debian), /etc/aide.conf (Red Hat, AIX
// Toolbox) and the files they include.
//
// A line is one of:
//
//	database_in=file:/var/lib/aide/aide.db   a setting, or a group definition
//	/etc Norm                                 a selection rule ('/', '!', '=')
//	@@define DBDIR /var/lib/aide              a macro line
//
// The macro lines are @@define, @@undef, @@ifdef, @@ifndef, @@ifhost,
// @@ifnhost, @@if, @@else, @@endif, @@include and @@x_include. Variables are
// written @@{NAME} and are expanded where they are used, with the
// definitions made before that line. Lines in a branch of a condition that
// does not hold are read over. Lines whose first non-blank character is
// '#' are comments.
//
// Every line is kept and every setting, rule and include records its
// line, so that a finding can name the line that sets the database. Bad
// lines are reported and the rest of the file is still read.
package aideconf

import (
	"io"
	"strings"

	"bastion/internal/parse"
)

// File is one parsed AIDE configuration file.
type File struct {
	// Name is the name the file was parsed under, used in error messages.
	Name string
	// Lines holds every physical line as read, without line endings.
	Lines []string
	// Settings are the "name = value" lines that apply, in file order.
	Settings []Setting
	// Rules are the selection lines that apply, in file order.
	Rules []Rule
	// Includes are the @@include and @@x_include lines that apply.
	Includes []Include
	// Defines are the variables defined when the file ends: those given
	// to ParseWith and those the file defines, less those it undefines.
	Defines map[string]string
}

// Setting is a "name = value" line: an option such as database_in or
// report_url, or the definition of a group of attributes.
type Setting struct {
	Line int
	Name string
	// Value is the value with variables expanded; Raw is the value as
	// written.
	Value, Raw string
}

// Rule is a selection line.
type Rule struct {
	Line int
	// Kind is '/' for a regular rule, '!' for a negative one, '=' for an
	// equals rule.
	Kind byte
	// Path is the path or regular expression, variables expanded and the
	// '!' or '=' removed; Groups the attributes or groups that follow it.
	Path   string
	Groups string
}

// Include is an @@include or @@x_include line.
type Include struct {
	Line int
	// Path is the file or directory, variables expanded; Pattern the
	// regular expression file names in a directory must match, or "".
	Path, Pattern string
	// Execute is set for @@x_include, which runs an executable file and
	// reads its output.
	Execute bool
}

// Bytes returns the file text: every line as read, each ended by "\n".
func (f *File) Bytes() []byte { return parse.JoinLines(f.Lines) }

// Get returns the last setting of a name, and whether there is one.
func (f *File) Get(name string) (Setting, bool) {
	for i := len(f.Settings) - 1; i >= 0; i-- {
		if f.Settings[i].Name == name {
			return f.Settings[i], true
		}
	}
	return Setting{}, false
}

// FilePath returns the file a URL of a database or report setting names
// ("file:/var/lib/aide/aide.db", "file:///var/log/aide/aide.log"), and
// false for other URLs (stdout, stderr, fd:, syslog:, sql:).
func FilePath(url string) (string, bool) {
	rest, ok := strings.CutPrefix(url, "file:")
	if !ok {
		return "", false
	}
	if strings.HasPrefix(rest, "//") {
		rest = rest[2:]
	}
	if !strings.HasPrefix(rest, "/") {
		return "", false
	}
	return rest, true
}

// Parse reads an AIDE configuration file from r; name is used in error
// messages. Bad lines are reported, one error each, and everything else is
// returned along with the error. A file that cannot be read returns nil.
func Parse(r io.Reader, name string) (*File, error) {
	return ParseWith(r, name, nil)
}

// ParseWith is Parse with variables already defined: those of the file
// that includes this one, and HOSTNAME, which @@ifhost compares with.
func ParseWith(r io.Reader, name string, defines map[string]string) (*File, error) {
	lines, err := parse.ReadLines(r, name)
	if err != nil {
		return nil, err
	}
	f := &File{Name: name, Lines: lines, Defines: map[string]string{}}
	for k, v := range defines {
		f.Defines[k] = v
	}
	p := &parser{f: f}
	for i, line := range lines {
		p.line(i+1, line)
	}
	for i := len(p.conds) - 1; i >= 0; i-- {
		p.errs.Add(name, p.conds[i].line, "condition without @@endif")
	}
	return f, p.errs.Err()
}

// cond is an open condition: where it starts, whether its branch applies,
// whether the lines around it apply, and whether @@else was seen.
type cond struct {
	line                 int
	holds, outer, inElse bool
}

type parser struct {
	f     *File
	errs  parse.Errors
	conds []cond
}

// active reports whether lines at this point apply.
func (p *parser) active() bool {
	if len(p.conds) == 0 {
		return true
	}
	c := p.conds[len(p.conds)-1]
	return c.outer && c.holds != c.inElse
}

func (p *parser) line(n int, line string) {
	text := strings.TrimSpace(line)
	if text == "" || text[0] == '#' {
		return
	}
	if strings.HasPrefix(text, "@@") && !strings.HasPrefix(text, "@@{") {
		p.macro(n, text)
		return
	}
	if !p.active() {
		return
	}
	switch text[0] {
	case '/', '!', '=':
		p.rule(n, p.expand(n, text))
		return
	case '@':
		// A rule whose path starts with a variable: "@@{ROOT}/etc Norm".
		before := p.errs.Len()
		exp := p.expand(n, text)
		switch {
		case exp != "" && exp[0] == '/':
			p.rule(n, exp)
		case p.errs.Len() == before:
			// Reported already when a variable could not be expanded.
			p.errs.Add(p.f.Name, n, "not a selection rule: %q", clip(text))
		}
		return
	}
	name, value, ok := strings.Cut(text, "=")
	name = strings.TrimSpace(name)
	if !ok || !isName(name) {
		p.errs.Add(p.f.Name, n, "not a setting, a selection rule or a macro line: %q", clip(text))
		return
	}
	raw := strings.TrimSpace(value)
	p.f.Settings = append(p.f.Settings, Setting{Line: n, Name: name, Raw: raw, Value: p.expand(n, raw)})
}

// rule reads a selection line, variables expanded.
func (p *parser) rule(n int, text string) {
	r := Rule{Line: n, Kind: '/'}
	if text[0] == '!' || text[0] == '=' {
		r.Kind, text = text[0], text[1:]
	}
	fields := parse.Fields(text)
	if len(fields) == 0 {
		p.errs.Add(p.f.Name, n, "selection rule without a path")
		return
	}
	r.Path, r.Groups = fields[0], strings.Join(fields[1:], " ")
	if r.Kind != '!' && r.Groups == "" {
		p.errs.Add(p.f.Name, n, "selection rule for %q names no attributes", clip(r.Path))
		return
	}
	p.f.Rules = append(p.f.Rules, r)
}

// macro reads an @@ line.
func (p *parser) macro(n int, text string) {
	fields := parse.Fields(text)
	word, args := fields[0], fields[1:]
	// Conditions nest even where they do not apply.
	switch word {
	case "@@ifdef", "@@ifndef", "@@ifhost", "@@ifnhost", "@@if":
		c := cond{line: n, outer: p.active()}
		if len(args) == 0 {
			p.errs.Add(p.f.Name, n, "%s without an argument", word)
		}
		c.holds = p.holds(word, args)
		p.conds = append(p.conds, c)
		return
	case "@@else":
		if len(p.conds) == 0 || p.conds[len(p.conds)-1].inElse {
			p.errs.Add(p.f.Name, n, "@@else without a condition")
			return
		}
		p.conds[len(p.conds)-1].inElse = true
		return
	case "@@endif":
		if len(p.conds) == 0 {
			p.errs.Add(p.f.Name, n, "@@endif without a condition")
			return
		}
		p.conds = p.conds[:len(p.conds)-1]
		return
	}
	if !p.active() {
		return
	}
	switch word {
	case "@@define":
		if len(args) == 0 || !isName(args[0]) {
			p.errs.Add(p.f.Name, n, "@@define needs a variable name")
			return
		}
		value := ""
		if len(args) > 1 {
			// The value is the rest of the line as written.
			rest := strings.TrimSpace(text[len("@@define"):])
			value = strings.TrimSpace(rest[len(args[0]):])
		}
		p.f.Defines[args[0]] = p.expand(n, value)
	case "@@undef":
		if len(args) != 1 {
			p.errs.Add(p.f.Name, n, "@@undef needs one variable name")
			return
		}
		delete(p.f.Defines, args[0])
	case "@@include", "@@x_include":
		if len(args) == 0 || len(args) > 2 {
			p.errs.Add(p.f.Name, n, "%s needs a file, or a directory and a pattern", word)
			return
		}
		inc := Include{Line: n, Path: p.expand(n, args[0]), Execute: word == "@@x_include"}
		if len(args) == 2 {
			inc.Pattern = args[1]
		}
		p.f.Includes = append(p.f.Includes, inc)
	default:
		p.errs.Add(p.f.Name, n, "unknown macro line %q", clip(word))
	}
}

// holds evaluates a condition. Hosts compare with the HOSTNAME variable;
// conditions on the file system or the version of AIDE, which a file
// does not settle, do not hold.
func (p *parser) holds(word string, args []string) bool {
	if len(args) == 0 {
		return false
	}
	switch word {
	case "@@ifdef":
		_, ok := p.f.Defines[args[0]]
		return ok
	case "@@ifndef":
		_, ok := p.f.Defines[args[0]]
		return !ok
	case "@@ifhost":
		return p.f.Defines["HOSTNAME"] == args[0]
	case "@@ifnhost":
		return p.f.Defines["HOSTNAME"] != args[0]
	}
	// @@if [not] defined NAME | hostname NAME | exists PATH | ...
	not := false
	if args[0] == "not" {
		not, args = true, args[1:]
	}
	var v bool
	switch {
	case len(args) == 2 && args[0] == "defined":
		_, v = p.f.Defines[args[1]]
	case len(args) == 2 && args[0] == "hostname":
		v = p.f.Defines["HOSTNAME"] == args[1]
	default:
		return false
	}
	return v != not
}

// expand replaces @@{NAME} with the variable's value; an undefined one is
// reported and left as written.
func (p *parser) expand(n int, s string) string {
	if !strings.Contains(s, "@@{") {
		return s
	}
	var b strings.Builder
	for {
		i := strings.Index(s, "@@{")
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			p.errs.Add(p.f.Name, n, "unclosed @@{")
			b.WriteString(s)
			return b.String()
		}
		name := s[i+3 : i+j]
		v, ok := p.f.Defines[name]
		if !ok {
			p.errs.Add(p.f.Name, n, "variable %q is not defined", clip(name))
			v = s[i : i+j+1]
		}
		b.WriteString(s[:i])
		b.WriteString(v)
		s = s[i+j+1:]
	}
}

// isName reports a setting or variable name: a letter or '_', then
// letters, digits and '_'.
func isName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && c >= '0' && c <= '9' {
			continue
		}
		return false
	}
	return true
}

// clip shortens s for an error message.
func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "..."
	}
	return s
}
