// Package syslogng reads the configuration of syslog-ng
// (/etc/syslog-ng/syslog-ng.conf): enough of it to say where messages come
// from and where they go.
//
// The file is a list of statements ending in ';'. A source, destination or
// filter statement names an object and holds, between braces, driver
// calls such as system(), file("/var/log/auth.log") or network("loghost"
// port(514)), or for a filter an expression such as "facility(auth,
// authpriv) and not level(debug)". A log statement connects them:
// "log { source(s_src); filter(f_auth); destination(d_auth); };". Lines
// starting with '@' are pragmas (@version, @include). Comments run from '#'
// to the end of the line.
//
// Every line of the file is kept and every statement records its line.
// Bad statements are reported and the rest of the file is still read.
// Route answers, for a facility and level, which destinations each log
// path sends messages to, as far as facility and level filters decide it.
package syslogng

import (
	"fmt"
	"io"
	"strings"

	"bastion/internal/parse"
)

// File is one parsed syslog-ng configuration file.
type File struct {
	// Name is the name the file was parsed under, used in error messages.
	Name string
	// Lines holds every physical line as read, without line endings.
	Lines []string
	// Version is the value of the @version pragma ("4.2"), or "".
	Version string
	// Includes holds the @include pragmas in order.
	Includes []Include
	// Options holds the global options of options { ... } statements.
	Options []Driver
	// Sources, Destinations and Filters hold the named objects in file
	// order, followed by the anonymous ones written inside log statements.
	Sources      []Object
	Destinations []Object
	Filters      []Filter
	// Logs holds the log statements in order.
	Logs []Log
	// Blocks holds the statements read over without being modelled:
	// template, parser, rewrite, block and the like.
	Blocks []Block
}

// Include is an "@include" pragma.
type Include struct {
	Line int
	// Path is the file, directory or glob as written, without quotes.
	Path string
}

// Object is a source or destination statement: a name and driver calls.
type Object struct {
	Line int
	// Name is the object's name. An anonymous object written inside a log
	// statement is named "(inline source at line N)" or the like.
	Name    string
	Drivers []Driver
}

// Driver is a call such as file("/var/log/x" perm(0640)): its name, its
// plain arguments, and its options, which are calls themselves.
type Driver struct {
	Line int
	// Driver is the name in lower case, with '_' written as '-'
	// ("unix-dgram"), as syslog-ng reads it.
	Driver string
	// Args are the plain arguments: quoted strings without their quotes,
	// and bare words.
	Args []string
	// Options are the calls among the arguments, in order.
	Options []Driver
}

// Option returns the first option of that name and whether there is one.
func (d Driver) Option(name string) (Driver, bool) {
	for _, o := range d.Options {
		if o.Driver == name {
			return o, true
		}
	}
	return Driver{}, false
}

// Value returns the first plain argument of the option of that name, or
// "".
func (d Driver) Value(name string) string {
	if o, ok := d.Option(name); ok && len(o.Args) > 0 {
		return o.Args[0]
	}
	return ""
}

// String renders the call in one line.
func (d Driver) String() string {
	var parts []string
	for _, a := range d.Args {
		parts = append(parts, fmt.Sprintf("%q", a))
	}
	for _, o := range d.Options {
		parts = append(parts, o.String())
	}
	return d.Driver + "(" + strings.Join(parts, " ") + ")"
}

// Filter is a filter statement.
type Filter struct {
	Line int
	Name string
	// Expr is the expression, its tokens joined by blanks.
	Expr string
	// Calls are the filter functions the expression uses, in order:
	// facility(auth authpriv), level(info..emerg), program("sshd")...
	Calls []Driver
	expr  node
}

// Log is a log statement: a path from sources through filters to
// destinations.
type Log struct {
	Line, EndLine int
	// Sources, Filters and Destinations are the objects the path names,
	// in order.
	Sources      []string
	Filters      []string
	Destinations []string
	// Flags are the words of flags(): final, fallback, catchall,
	// flow-control.
	Flags []string
	// Nested reports embedded log statements, junctions, channels or
	// if/else blocks, whose routing is not modelled.
	Nested bool
}

// Flag reports whether the log path has the flag.
func (l Log) Flag(name string) bool {
	for _, f := range l.Flags {
		if f == name {
			return true
		}
	}
	return false
}

// Block is a statement read over without being modelled.
type Block struct {
	Line, EndLine int
	// Kind is the statement's keyword: template, parser, rewrite, block...
	Kind string
	// Name is the name that follows the keyword, if any.
	Name string
}

// Bytes returns the file text: every line as read, each ended by "\n".
func (f *File) Bytes() []byte { return parse.JoinLines(f.Lines) }

// Source returns the source object of that name.
func (f *File) Source(name string) (Object, bool) { return find(f.Sources, name) }

// Destination returns the destination object of that name.
func (f *File) Destination(name string) (Object, bool) { return find(f.Destinations, name) }

// Filter returns the filter of that name.
func (f *File) Filter(name string) (Filter, bool) {
	for _, x := range f.Filters {
		if x.Name == name {
			return x, true
		}
	}
	return Filter{}, false
}

func find(objs []Object, name string) (Object, bool) {
	for _, o := range objs {
		if o.Name == name {
			return o, true
		}
	}
	return Object{}, false
}

// Parse reads a syslog-ng configuration file from r; name is used in
// error messages. Bad statements are reported, one error each, and
// everything else is returned along with the error. A file that cannot be
// read returns nil.
func Parse(r io.Reader, name string) (*File, error) {
	lines, err := parse.ReadLines(r, name)
	if err != nil {
		return nil, err
	}
	p := &parser{f: &File{Name: name, Lines: lines}}
	toks, pragmas := lex(lines, name, &p.errs)
	p.toks = toks
	for _, pr := range pragmas {
		p.pragma(pr)
	}
	p.run()
	return p.f, p.errs.Err()
}

type parser struct {
	f    *File
	errs parse.Errors
	toks []token
	i    int
	// inline collects the anonymous objects of log statements, added to
	// the file after the named ones.
	inlineSrc, inlineDst []Object
	inlineFlt            []Filter
}

func (p *parser) errorf(line int, format string, args ...any) {
	p.errs.Add(p.f.Name, line, format, args...)
}

func (p *parser) pragma(pr pragma) {
	switch pr.name {
	case "version":
		p.f.Version = pr.value
	case "include":
		path := strings.Trim(pr.value, `"'`)
		if path == "" {
			p.errorf(pr.line, "@include without a file")
			return
		}
		p.f.Includes = append(p.f.Includes, Include{Line: pr.line, Path: path})
	case "":
		p.errorf(pr.line, "@ without a pragma name")
	}
}

func (p *parser) peek() (token, bool) {
	if p.i >= len(p.toks) {
		return token{}, false
	}
	return p.toks[p.i], true
}

// lastLine is the line of the last token, for errors at the end of file.
func (p *parser) lastLine() int {
	if len(p.toks) == 0 {
		return 1
	}
	return p.toks[len(p.toks)-1].line
}

// run reads the top-level statements.
func (p *parser) run() {
	for p.i < len(p.toks) {
		t := p.toks[p.i]
		if t.is(";") {
			p.i++
			continue
		}
		if t.kind != tWord {
			p.errorf(t.line, "unexpected %s at the top level", describe(t))
			p.skipStatement()
			continue
		}
		kw := norm(t.text)
		p.i++
		switch kw {
		case "source", "destination":
			name, ok := p.name(kw)
			if !ok {
				continue
			}
			o, ok := p.object(t.line, name)
			if !ok {
				continue
			}
			if kw == "source" {
				p.f.Sources = append(p.f.Sources, o)
			} else {
				p.f.Destinations = append(p.f.Destinations, o)
			}
		case "filter":
			name, ok := p.name(kw)
			if !ok {
				continue
			}
			if f, ok := p.filter(t.line, name); ok {
				p.f.Filters = append(p.f.Filters, f)
			}
		case "log":
			if l, ok := p.log(t.line); ok {
				p.f.Logs = append(p.f.Logs, l)
			}
		case "options":
			if o, ok := p.object(t.line, ""); ok {
				p.f.Options = append(p.f.Options, o.Drivers...)
			}
		case "template", "template-function", "parser", "rewrite", "block", "python",
			"python-fetcher", "java", "channel", "junction", "destination-template":
			p.block(t.line, kw)
		default:
			p.errorf(t.line, "unknown statement %q", t.text)
			p.skipStatement()
		}
	}
	p.f.Sources = append(p.f.Sources, p.inlineSrc...)
	p.f.Destinations = append(p.f.Destinations, p.inlineDst...)
	p.f.Filters = append(p.f.Filters, p.inlineFlt...)
}

// name reads the name of an object after its keyword.
func (p *parser) name(kw string) (string, bool) {
	t, ok := p.peek()
	if !ok || (t.kind != tWord && t.kind != tString) {
		line := p.lastLine()
		if ok {
			line = t.line
		}
		p.errorf(line, "%s without a name", kw)
		p.skipStatement()
		return "", false
	}
	p.i++
	return t.text, true
}

// expectOpen consumes a '{' or reports its absence.
func (p *parser) expectOpen(line int, what string) bool {
	t, ok := p.peek()
	if ok && t.is("{") {
		p.i++
		return true
	}
	p.errorf(line, "%s: want {", what)
	p.skipStatement()
	return false
}

// endStatement consumes the ';' after a closing brace, or reports that it
// is missing.
func (p *parser) endStatement(line int, what string) {
	if t, ok := p.peek(); ok && t.is(";") {
		p.i++
		return
	}
	p.errorf(line, "%s: missing ; after }", what)
}

// object reads "{ driver(...); ... };" after an object's name.
func (p *parser) object(line int, name string) (Object, bool) {
	what := "options"
	if name != "" {
		what = fmt.Sprintf("%q", name)
	}
	if !p.expectOpen(line, what) {
		return Object{}, false
	}
	o := Object{Line: line, Name: name}
	for {
		t, ok := p.peek()
		if !ok {
			p.errorf(line, "%s: missing } at end of file", what)
			return o, true
		}
		switch {
		case t.is("}"):
			p.i++
			p.endStatement(line, what)
			return o, true
		case t.is(";"):
			p.i++
		case t.kind == tWord:
			d, ok := p.call()
			if ok {
				o.Drivers = append(o.Drivers, d)
			}
		default:
			p.errorf(t.line, "%s: unexpected %s", what, describe(t))
			p.skipItem()
		}
	}
}

// call reads "name(args)" at the current token, a word.
func (p *parser) call() (Driver, bool) {
	t := p.toks[p.i]
	p.i++
	d := Driver{Line: t.line, Driver: norm(t.text)}
	if n, ok := p.peek(); !ok || !n.is("(") {
		p.errorf(t.line, "%s: want ( after the driver name", t.text)
		p.skipItem()
		return d, false
	}
	p.i++
	for {
		a, ok := p.peek()
		if !ok {
			p.errorf(t.line, "%s(: missing ) at end of file", t.text)
			return d, false
		}
		switch {
		case a.is(")"):
			p.i++
			return d, true
		case a.is(","):
			p.i++
		case a.kind == tWord && p.i+1 < len(p.toks) && p.toks[p.i+1].is("("):
			o, ok := p.call()
			if !ok {
				return d, false
			}
			d.Options = append(d.Options, o)
		case a.kind == tWord || a.kind == tString:
			d.Args = append(d.Args, a.text)
			p.i++
		default:
			p.errorf(a.line, "%s(: unexpected %s", t.text, describe(a))
			p.skipItem()
			return d, false
		}
	}
}

// skipItem skips to the ';' that ends the current item, staying inside
// the enclosing braces.
func (p *parser) skipItem() {
	depth := 0
	for p.i < len(p.toks) {
		t := p.toks[p.i]
		switch {
		case t.is("(") || t.is("{"):
			depth++
		case t.is(")") || t.is("}"):
			if depth == 0 && t.is("}") {
				return
			}
			if depth > 0 {
				depth--
			}
		case t.is(";") && depth == 0:
			p.i++
			return
		}
		p.i++
	}
}

// skipStatement skips to the end of the current top-level statement: a
// ';' outside braces, or the '}' and ';' of a block.
func (p *parser) skipStatement() {
	depth := 0
	for p.i < len(p.toks) {
		t := p.toks[p.i]
		p.i++
		switch {
		case t.is("{"):
			depth++
		case t.is("}"):
			if depth > 0 {
				depth--
			}
		case t.is(";") && depth == 0:
			return
		}
	}
}

// skipBraces skips a balanced { ... } starting at the current '{' and
// returns the line of its closing brace, or 0 when the file ends first.
func (p *parser) skipBraces() int {
	depth := 0
	for p.i < len(p.toks) {
		t := p.toks[p.i]
		p.i++
		switch {
		case t.is("{"):
			depth++
		case t.is("}"):
			depth--
			if depth == 0 {
				return t.line
			}
		}
	}
	return 0
}

// block reads over a statement bastion does not model: words and calls up
// to '{', the balanced body, and ';'.
func (p *parser) block(line int, kw string) {
	b := Block{Line: line, EndLine: line, Kind: kw}
	for p.i < len(p.toks) && !p.toks[p.i].is("{") && !p.toks[p.i].is(";") {
		if t := p.toks[p.i]; b.Name == "" && (t.kind == tWord || t.kind == tString) {
			b.Name = t.text
		}
		p.i++
	}
	if p.i < len(p.toks) && p.toks[p.i].is("{") {
		end := p.skipBraces()
		if end == 0 {
			p.errorf(line, "%s: missing } at end of file", kw)
			b.EndLine = p.lastLine()
			p.f.Blocks = append(p.f.Blocks, b)
			return
		}
		b.EndLine = end
		p.endStatement(line, kw)
	} else if p.i < len(p.toks) {
		b.EndLine = p.toks[p.i].line
		p.i++
	} else {
		p.errorf(line, "%s: missing ; at end of file", kw)
	}
	p.f.Blocks = append(p.f.Blocks, b)
}

// filter reads "{ expression; };" after a filter's name.
func (p *parser) filter(line int, name string) (Filter, bool) {
	what := fmt.Sprintf("filter %q", name)
	if !p.expectOpen(line, what) {
		return Filter{}, false
	}
	start := p.i
	depth := 0
	end := -1
	for j := p.i; j < len(p.toks); j++ {
		t := p.toks[j]
		if t.is("(") || t.is("{") {
			depth++
		}
		if t.is(")") || t.is("}") {
			if depth == 0 && t.is("}") {
				end = j
				break
			}
			if depth > 0 {
				depth--
			}
		}
	}
	if end < 0 {
		p.errorf(line, "%s: missing } at end of file", what)
		p.i = len(p.toks)
		return Filter{}, false
	}
	p.i = end + 1
	p.endStatement(line, what)
	toks := p.toks[start:end]
	for len(toks) > 0 && toks[len(toks)-1].is(";") {
		toks = toks[:len(toks)-1]
	}
	f := Filter{Line: line, Name: name, Expr: joinTokens(toks)}
	if len(toks) == 0 {
		p.errorf(line, "%s is empty", what)
		return f, true
	}
	e := &exprParser{toks: toks}
	n, msg := e.parse()
	if msg != "" {
		p.errorf(e.line(line), "%s: %s", what, msg)
		return f, true
	}
	f.expr = n
	f.Calls = e.calls
	return f, true
}

// log reads "{ source(s); filter(f); destination(d); flags(final); };".
func (p *parser) log(line int) (Log, bool) {
	if !p.expectOpen(line, "log") {
		return Log{}, false
	}
	l := Log{Line: line, EndLine: line}
	for {
		t, ok := p.peek()
		if !ok {
			p.errorf(line, "log: missing } at end of file")
			l.EndLine = p.lastLine()
			return l, true
		}
		switch {
		case t.is("}"):
			p.i++
			l.EndLine = t.line
			p.endStatement(line, "log")
			return l, true
		case t.is(";"):
			p.i++
		case t.kind == tWord:
			p.logItem(&l, t)
		default:
			p.errorf(t.line, "log: unexpected %s", describe(t))
			p.skipItem()
		}
	}
}

// logItem reads one item of a log statement, at the word t.
func (p *parser) logItem(l *Log, t token) {
	kw := norm(t.text)
	next := token{}
	if p.i+1 < len(p.toks) {
		next = p.toks[p.i+1]
	}
	switch kw {
	case "log", "junction", "channel", "if", "elif", "else":
		l.Nested = true
		p.i++
		for p.i < len(p.toks) && !p.toks[p.i].is("{") && !p.toks[p.i].is(";") && !p.toks[p.i].is("}") {
			p.i++
		}
		if p.i < len(p.toks) && p.toks[p.i].is("{") {
			if p.skipBraces() == 0 {
				p.errorf(t.line, "log: %s: missing } at end of file", kw)
			}
		}
		return
	}
	if next.is("{") {
		// An anonymous object written in place.
		p.i++
		name := fmt.Sprintf("(inline %s at line %d)", kw, t.line)
		switch kw {
		case "source", "destination":
			o, ok := p.object(t.line, name)
			if !ok {
				return
			}
			if kw == "source" {
				p.inlineSrc = append(p.inlineSrc, o)
				l.Sources = append(l.Sources, name)
			} else {
				p.inlineDst = append(p.inlineDst, o)
				l.Destinations = append(l.Destinations, name)
			}
		case "filter":
			f, ok := p.filter(t.line, name)
			if !ok {
				return
			}
			p.inlineFlt = append(p.inlineFlt, f)
			l.Filters = append(l.Filters, name)
		default:
			p.block(t.line, kw)
		}
		return
	}
	d, ok := p.call()
	if !ok {
		return
	}
	args := d.Args
	switch kw {
	case "source":
		l.Sources = append(l.Sources, args...)
	case "filter":
		l.Filters = append(l.Filters, args...)
	case "destination":
		l.Destinations = append(l.Destinations, args...)
	case "flags":
		for _, a := range args {
			l.Flags = append(l.Flags, norm(a))
		}
	case "parser", "rewrite":
	default:
		p.errorf(t.line, "log: unknown item %s()", t.text)
	}
	if (kw == "source" || kw == "filter" || kw == "destination") && len(args) == 0 {
		p.errorf(t.line, "log: %s() names nothing", kw)
	}
}

// norm gives a keyword or driver name the form syslog-ng compares: lower
// case, '_' as '-'.
func norm(s string) string { return strings.ReplaceAll(strings.ToLower(s), "_", "-") }

// describe names a token in an error message.
func describe(t token) string {
	switch t.kind {
	case tString:
		return fmt.Sprintf("string %q", clip(t.text))
	case tPunct:
		return fmt.Sprintf("%q", t.text)
	}
	return fmt.Sprintf("%q", clip(t.text))
}

// joinTokens renders tokens as text.
func joinTokens(toks []token) string {
	var b strings.Builder
	for i, t := range toks {
		glued := t.is(")") || t.is(",") || t.is(";") || (t.is("(") && i > 0 && toks[i-1].kind == tWord)
		if i > 0 && !glued && !toks[i-1].is("(") {
			b.WriteByte(' ')
		}
		if t.kind == tString {
			fmt.Fprintf(&b, "%q", t.text)
		} else {
			b.WriteString(t.text)
		}
	}
	return b.String()
}

// clip shortens s for an error message.
func clip(s string) string {
	const limit = 60
	if len(s) <= limit {
		return s
	}
	return s[:limit] + "..."
}
