// Package proftpd reads proftpd.conf, the configuration of the ProFTPD FTP
// server: Apache-like "Name args..." directives, grouped in sections such
// as <Global>, <VirtualHost addr>, <Anonymous ~ftp>, <Directory path>,
// <Limit WRITE> and <IfModule mod_tls.c>, with Include naming more files.
//
// Words are read the way ProFTPD reads them: separated by blanks, a word
// in double quotes may hold blanks (a backslash in it escapes the next
// character), a word starting with '#' starts a comment that runs to the
// end of the line, and a line ending in a backslash goes on on the next
// line. Directive and section names are matched without regard to case,
// as ProFTPD matches them; values keep their case.
package proftpd

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"bastion/internal/parse"
)

// File is a parsed proftpd.conf.
type File struct {
	// Name is the name the file was parsed under, used in error messages.
	Name string
	// Lines holds every physical line as read, without line endings.
	Lines []string
	// Directives holds the directives in file order, section tags aside.
	Directives []Directive
	// Sections holds the sections in the order they open.
	Sections []Section
}

// Directive is one "Name args..." directive.
type Directive struct {
	// Line is the 1-based line number where the directive starts (it may
	// go on over the next lines with a trailing backslash).
	Line int
	// Name is the directive name as written, such as "AllowOverwrite".
	Name string
	// Args holds the arguments, quotes removed.
	Args []string
	// Section holds the names of the sections the directive is in,
	// outermost first, such as ["VirtualHost", "Anonymous", "Limit"];
	// it is empty at the top level (the main server).
	Section []string
}

// Section is one <Name args...> ... </Name> section.
type Section struct {
	// Line is the 1-based line number of the opening tag.
	Line int
	// EndLine is the line number of the closing tag, or 0 for a section
	// that is never closed (an error ProFTPD refuses to start on).
	EndLine int
	// Name is the section name as written, without the angle brackets,
	// such as "Anonymous".
	Name string
	// Args holds the arguments of the opening tag, such as ["~ftp"] for
	// <Anonymous ~ftp> or ["WRITE", "STOR"] for <Limit WRITE STOR>.
	Args []string
}

// Find returns the directives named name (in any case), wherever they are.
func (f *File) Find(name string) []Directive {
	var out []Directive
	for _, d := range f.Directives {
		if strings.EqualFold(d.Name, name) {
			out = append(out, d)
		}
	}
	return out
}

// Anonymous returns the <Anonymous> sections: each one lets users log in
// without a password to the directory its argument names.
func (f *File) Anonymous() []Section {
	var out []Section
	for _, s := range f.Sections {
		if strings.EqualFold(s.Name, "Anonymous") {
			out = append(out, s)
		}
	}
	return out
}

// Within returns the directives inside the section s, in sections nested in
// it as well. For a section that is never closed, that is every directive
// after its opening tag.
func (f *File) Within(s Section) []Directive {
	var out []Directive
	for _, d := range f.Directives {
		if d.Line > s.Line && (s.EndLine == 0 || d.Line < s.EndLine) {
			out = append(out, d)
		}
	}
	return out
}

// Includes returns the Include directives, whose argument names another
// configuration file (or a wildcard of files) that ProFTPD reads in their
// place.
func (f *File) Includes() []Directive { return f.Find("Include") }

// Bytes returns the file text: every line as read, each ended by "\n".
func (f *File) Bytes() []byte { return parse.JoinLines(f.Lines) }

// lineError is an error found while parsing, reported once the whole file
// is read so that errors come out in line order.
type lineError struct {
	line int
	msg  string
}

// parser holds the state of one parse.
type parser struct {
	f    *File
	open []int // indexes in f.Sections of the sections open, innermost last
	errs []lineError
}

// Parse reads a proftpd.conf from r; name is used in error messages. A line
// ProFTPD could not read (an unterminated quote, a section tag without its
// '>', a closing tag that closes no open section) is reported and skipped;
// a section that is not closed is reported at its opening line. Everything
// else is returned along with the error.
func Parse(r io.Reader, name string) (*File, error) {
	lines, err := parse.ReadLines(r, name)
	if err != nil {
		return nil, err
	}
	p := &parser{f: &File{Name: name, Lines: lines}}
	var text strings.Builder
	start := 0 // the line where the text being gathered starts; 0 when none
	for i, line := range lines {
		if cont, ok := strings.CutSuffix(line, `\`); ok {
			// ProFTPD drops a comment line ending in a backslash
			// without joining anything to it.
			if strings.HasPrefix(strings.TrimLeft(line, blanks), "#") {
				continue
			}
			if start == 0 {
				start = i + 1
			}
			text.WriteString(cont)
			continue
		}
		if start == 0 {
			start = i + 1
		}
		text.WriteString(line)
		p.line(start, text.String())
		text.Reset()
		start = 0
	}
	if start != 0 {
		p.line(start, text.String())
	}
	for _, idx := range p.open {
		s := p.f.Sections[idx]
		p.errorf(s.Line, "section <%s> is not closed", s.Name)
	}
	sort.SliceStable(p.errs, func(a, b int) bool { return p.errs[a].line < p.errs[b].line })
	var errs parse.Errors
	for _, e := range p.errs {
		errs.Add(name, e.line, "%s", e.msg)
	}
	return p.f, errs.Err()
}

func (p *parser) errorf(line int, format string, args ...any) {
	p.errs = append(p.errs, lineError{line, fmt.Sprintf(format, args...)})
}

// line handles one logical line starting at line number n.
func (p *parser) line(n int, text string) {
	words, msg := split(text)
	if msg != "" {
		p.errorf(n, "%s", msg)
		return
	}
	if len(words) == 0 {
		return
	}
	if words[0] == "" {
		p.errorf(n, "directive name is empty")
		return
	}
	if !strings.HasPrefix(words[0], "<") {
		d := Directive{Line: n, Name: words[0], Section: p.names()}
		if len(words) > 1 {
			d.Args = words[1:]
		}
		p.f.Directives = append(p.f.Directives, d)
		return
	}
	tag, args, msg := sectionTag(words)
	if msg != "" {
		p.errorf(n, "%s", msg)
		return
	}
	if closing, ok := strings.CutPrefix(tag, "/"); ok {
		p.close(n, closing, args)
		return
	}
	p.f.Sections = append(p.f.Sections, Section{Line: n, Name: tag, Args: args})
	p.open = append(p.open, len(p.f.Sections)-1)
}

// close handles the closing tag </name> at line n.
func (p *parser) close(n int, name string, args []string) {
	if len(args) > 0 {
		p.errorf(n, "closing tag </%s> takes no arguments", name)
		return
	}
	for k := len(p.open) - 1; k >= 0; k-- {
		s := &p.f.Sections[p.open[k]]
		if !strings.EqualFold(s.Name, name) {
			continue
		}
		// The sections opened inside this one and still open were
		// never closed.
		for _, idx := range p.open[k+1:] {
			inner := p.f.Sections[idx]
			p.errorf(inner.Line, "section <%s> is not closed before </%s> at line %d", inner.Name, name, n)
		}
		s.EndLine = n
		p.open = p.open[:k]
		return
	}
	p.errorf(n, "closing tag </%s> without an open <%s> section", name, name)
}

// names returns the names of the open sections, outermost first.
func (p *parser) names() []string {
	if len(p.open) == 0 {
		return nil
	}
	out := make([]string, len(p.open))
	for k, idx := range p.open {
		out[k] = p.f.Sections[idx].Name
	}
	return out
}

// sectionTag reads the words of a section tag line, "<Name args...>" or
// "</Name>", as ProFTPD does: the '>' ends the last word (or stands alone
// as the last word). It returns the name ("/Name" for a closing tag) and the
// arguments.
func sectionTag(words []string) (string, []string, string) {
	last := words[len(words)-1]
	if !strings.HasSuffix(last, ">") {
		return "", nil, "section tag " + strconv.Quote(words[0]) + " does not end with '>'"
	}
	if len(words) == 1 {
		name := strings.TrimSuffix(strings.TrimPrefix(last, "<"), ">")
		if name == "" || name == "/" {
			return "", nil, "empty section tag " + strconv.Quote(last)
		}
		return name, nil, ""
	}
	args := append([]string(nil), words[1:]...)
	if last == ">" {
		args = args[:len(args)-1]
	} else {
		args[len(args)-1] = strings.TrimSuffix(last, ">")
	}
	if len(args) == 0 {
		args = nil
	}
	name := strings.TrimPrefix(words[0], "<")
	if name == "" || name == "/" {
		return "", nil, "section tag " + strconv.Quote(words[0]) + " has no name"
	}
	if strings.HasSuffix(name, ">") {
		return "", nil, "section tag " + strconv.Quote(words[0]) + " ends before its arguments"
	}
	return name, args, ""
}

// blanks are the characters ProFTPD separates words with.
const blanks = " \t\v\f\r"

// split cuts a logical line into words as ProFTPD's pr_str_get_word does,
// or says what is wrong with it. A line that is blank or a comment gives no
// words.
func split(text string) ([]string, string) {
	var words []string
	i := 0
	for {
		for i < len(text) && strings.IndexByte(blanks, text[i]) >= 0 {
			i++
		}
		if i >= len(text) || text[i] == '#' {
			return words, ""
		}
		if text[i] != '"' {
			j := i
			for j < len(text) && strings.IndexByte(blanks, text[j]) < 0 {
				j++
			}
			words = append(words, text[i:j])
			i = j
			continue
		}
		var w strings.Builder
		j := i + 1
		for j < len(text) && text[j] != '"' {
			if text[j] == '\\' && j+1 < len(text) {
				j++
			}
			w.WriteByte(text[j])
			j++
		}
		if j >= len(text) {
			return words, "unterminated double quote"
		}
		words = append(words, w.String())
		i = j + 1
	}
}
