// Package syslogconf reads the configuration of the BSD-style syslog
// daemons: /etc/syslog.conf of AIX and sysklogd, and rsyslog's
// /etc/rsyslog.conf and the files it includes from /etc/rsyslog.d.
//
// A rule is a selector, "facility[,facility].priority[;...]", followed by
// blanks and an action: a file ("/var/adm/auth.log", "-/var/log/syslog"
// without sync), a log host ("@loghost", "@@loghost:514" over TCP), a list
// of users, "*" or ":omusrmsg:*" for every logged-in user, AIX's "errlog",
// a pipe ("|/dev/xconsole"), or "~" and "stop" to discard. A long selector
// may go on over lines that end in a backslash. rsyslog adds
// "$Directive value" lines, property filters (":msg, contains, "x" action"),
// "&" lines that give the rule before another action, and RainerScript
// statements that may span lines: module(), input(), include() and
// action() are read; if ... then, ruleset(), template() and the other
// statements bastion does not model are skipped and listed as blocks.
//
// Every line of the file is kept and every entry records its line, so that
// one rule can be changed by editing one line. Bad lines are reported and
// the rest of the file is still read.
package syslogconf

import (
	"io"
	"path"
	"strconv"
	"strings"

	"bastion/internal/parse"
)

// File is one parsed syslog.conf or rsyslog configuration file.
type File struct {
	// Name is the name the file was parsed under, used in error messages.
	Name string
	// Lines holds every physical line as read, without line endings.
	Lines []string
	// Rules holds the rules in file order.
	Rules []Rule
	// Directives holds the legacy rsyslog "$Name args" lines in order,
	// including those that also appear as modules, inputs and includes.
	Directives []Directive
	// Modules holds the modules loaded with $ModLoad or module(load=...).
	Modules []Module
	// Inputs holds the listeners started with input(type=...) or the
	// legacy $UDPServerRun, $InputTCPServerRun and similar directives.
	Inputs []Input
	// Includes holds $IncludeConfig and include(file=...) in order.
	Includes []Include
	// Blocks holds the statements read over but not modelled: if ... then,
	// ruleset(), template(), global() and the like.
	Blocks []Block
}

// Kind says what a rule's action does with a message.
type Kind string

// The kinds of action.
const (
	KindFile        Kind = "file"         // write to a file or device
	KindDynamicFile Kind = "dynamic-file" // write to a file named by a template
	KindRemote      Kind = "remote"       // forward to a log host
	KindUser        Kind = "user"         // write to the terminals of some users
	KindAllUsers    Kind = "all-users"    // write to every logged-in user
	KindErrlog      Kind = "errlog"       // AIX: hand to the error log daemon
	KindPipe        Kind = "pipe"         // write to a named pipe
	KindProgram     Kind = "program"      // pass to a program
	KindDiscard     Kind = "discard"      // drop the message: "~" or "stop"
	KindModule      Kind = "module"       // another output module
)

// Rule is a filter and an action.
type Rule struct {
	// Line is the 1-based line the rule starts on; EndLine is its last
	// line (the same unless an action(...) spans lines).
	Line    int
	EndLine int
	// Filter is the filter as written: selectors ("auth,authpriv.*"), a
	// property filter (":msg, contains, \"x\""), or "" for an action with
	// no filter, which applies to every message.
	Filter string
	// Selectors are the parsed selectors; nil for property filters and
	// unfiltered actions.
	Selectors []Selector
	// Property reports a property filter, whose match depends on the
	// message text rather than its facility and priority.
	Property bool
	// Shared reports an "&" line, which acts on what the rule before it
	// matched.
	Shared bool
	// Action is the action as written, with lines of a multi-line
	// action(...) joined by blanks.
	Action string
	Kind   Kind
	// Target is the file path (without a leading '-'), the log host, the
	// user list, the pipe or program path, or the module name.
	Target string
	// Port is the port of a log host as written, or 0 when the action
	// leaves it to the default (514).
	Port int
	// Protocol is the transport of a log host: udp, tcp or relp.
	Protocol string
	// NoSync reports a file action written "-/path": no sync after each
	// message.
	NoSync bool
	// Template is the template named after ';' or by template=.
	Template string
	// Options holds words written after a file name (AIX: "rotate size 1m
	// files 4").
	Options []string
	// Params holds the parameters of an action(...), names in lower case.
	Params map[string]string
	// Ruleset is the rule set the rule belongs to when a legacy $RuleSet
	// line chose one; "" for the default rule set.
	Ruleset string
}

// Directive is a legacy rsyslog "$Name args" line.
type Directive struct {
	Line int
	// Name is the directive name without '$', as written.
	Name string
	// Args is the rest of the line, trimmed.
	Args string
}

// Module is a module loaded with "$ModLoad name" or module(load="name").
type Module struct {
	Line int
	// Name is the module name without a directory or ".so": "imudp".
	Name string
	// Params holds the parameters of module(...), names in lower case.
	Params map[string]string
}

// Input is a listener: input(type=...) or a legacy ServerRun directive.
type Input struct {
	Line int
	// Type is the input module: imudp, imtcp, imptcp, imrelp, ...
	Type string
	// Port is the port as a number, or 0 when it is not written or not a
	// number (see Params["port"]).
	Port int
	// Params holds the parameters, names in lower case; a legacy directive
	// gives "port".
	Params map[string]string
}

// Include is an "$IncludeConfig pattern" line or include(file="pattern").
type Include struct {
	Line int
	// Pattern is the file, directory (ending in '/') or glob as written.
	Pattern string
	// Optional reports include(... mode="optional"): no error when nothing
	// matches.
	Optional bool
}

// Block is a statement read over without being modelled.
type Block struct {
	Line, EndLine int
	// Kind is the statement's keyword: if, ruleset, template, global,
	// foreach, set, call, or program and host for BSD "!prog" and "+host"
	// lines.
	Kind string
}

// Bytes returns the file text: every line as read, each ended by "\n".
func (f *File) Bytes() []byte { return parse.JoinLines(f.Lines) }

// Directive returns the last legacy directive of that name (any case) and
// whether there is one.
func (f *File) Directive(name string) (Directive, bool) {
	for i := len(f.Directives) - 1; i >= 0; i-- {
		if strings.EqualFold(f.Directives[i].Name, name) {
			return f.Directives[i], true
		}
	}
	return Directive{}, false
}

// Parse reads a syslog.conf or rsyslog configuration file from r; name is
// used in error messages. Bad lines are reported, one error each, and
// everything else is returned along with the error. A file that cannot be
// read returns nil.
func Parse(r io.Reader, name string) (*File, error) {
	lines, err := parse.ReadLines(r, name)
	if err != nil {
		return nil, err
	}
	p := &parser{f: &File{Name: name, Lines: lines}, lines: lines, last: -1}
	p.run()
	return p.f, p.errs.Err()
}

type parser struct {
	f     *File
	lines []string
	errs  parse.Errors
	// last is the index in f.Rules of the rule an "&" line continues, or
	// -1 when the statement before was not a rule.
	last int
	// ruleset is the rule set chosen by the last legacy $RuleSet line.
	ruleset string
}

func (p *parser) errorf(line int, format string, args ...any) {
	p.errs.Add(p.f.Name, line, format, args...)
}

// run reads the file statement by statement. Legacy lines ($directives,
// selector rules, '&' lines, property filters) are whole lines;
// RainerScript statements may span lines and share them.
func (p *parser) run() {
	q := pos{}
	for q.ln < len(p.lines) {
		q = p.skipBlank(q, false)
		if q.ln >= len(p.lines) {
			break
		}
		if p.at(q) == '\n' {
			q = pos{q.ln + 1, 0}
			continue
		}
		next, ok := q, false
		if strings.TrimLeft(p.lines[q.ln][:q.col], " \t\r\v\f") == "" {
			next, ok = p.legacy(q)
		}
		if !ok {
			next = p.statement(q)
		}
		switch {
		case next.ln == q.ln && next.col <= q.col:
			// Nothing was consumed: give up on the rest of the line.
			q = pos{q.ln + 1, 0}
		case next.col == 0:
			q = next
		default:
			q = p.restOfLine(next)
		}
	}
}

// restOfLine checks that nothing but blanks and comments follows a
// statement on its last line, or that what follows starts another
// RainerScript statement, and returns where to go on.
func (p *parser) restOfLine(q pos) pos {
	q = p.skipBlank(q, false)
	if q.ln >= len(p.lines) || p.at(q) == '\n' {
		return q
	}
	c := p.at(q)
	if isLetter(c) || c == '&' {
		return q // another statement on the same line
	}
	p.errorf(q.ln+1, "unexpected %s after the statement", quote(clip(p.lines[q.ln][q.col:])))
	return pos{q.ln + 1, 0}
}

// legacy handles a line that starts with a legacy form, and reports
// whether it did.
func (p *parser) legacy(q pos) (pos, bool) {
	line := q.ln + 1
	text := strings.TrimSpace(p.lines[q.ln][q.col:])
	next := pos{q.ln + 1, 0}
	switch text[0] {
	case '$':
		p.directive(line, text)
		return next, true
	case '&':
		return p.shared(q, line), true
	case ':':
		return p.propertyRule(q, line, text), true
	case '!', '+', '-':
		kind := "program"
		if text[0] != '!' {
			kind = "host"
		}
		p.f.Blocks = append(p.f.Blocks, Block{Line: line, EndLine: line, Kind: kind})
		p.last = -1
		return next, true
	}
	if t := strings.TrimRight(text, " \t\r"); strings.HasSuffix(t, "\\") && isSelector(strings.TrimSuffix(t, "\\")) {
		return p.continuedRule(q, line), true
	}
	word := text
	if i := strings.IndexAny(text, " \t"); i >= 0 {
		word = text[:i]
	}
	if !isSelector(word) {
		return q, false
	}
	sels, msg := parseSelectors(word)
	if msg != "" {
		p.errorf(line, "%s", msg)
		p.last = -1
		return next, true
	}
	actStart := p.skipBlank(pos{q.ln, q.col + len(word)}, false)
	r := Rule{Line: line, EndLine: line, Filter: word, Selectors: sels}
	return p.action(actStart, r), true
}

// continuedRule handles a selector continued over lines with a trailing
// backslash, as sysklogd and rsyslog allow:
//
//	*.=debug;\
//		auth,authpriv.none;\
//		mail.none		-/var/log/debug
func (p *parser) continuedRule(q pos, line int) pos {
	var b strings.Builder
	ln := q.ln
	text := p.lines[ln][q.col:]
	for {
		t := strings.TrimRight(text, " \t\r")
		if !strings.HasSuffix(t, "\\") || ln+1 >= len(p.lines) || ln-q.ln >= maxSpan {
			b.WriteString(text)
			break
		}
		b.WriteString(strings.TrimSuffix(t, "\\"))
		ln++
		text = strings.TrimLeft(p.lines[ln], " \t")
	}
	next := pos{ln + 1, 0}
	joined := strings.TrimSpace(b.String())
	word, rest := joined, ""
	if i := strings.IndexAny(joined, " \t"); i >= 0 {
		word, rest = joined[:i], strings.TrimLeft(joined[i:], " \t")
	}
	sels, msg := parseSelectors(word)
	if msg != "" {
		p.errorf(line, "%s", msg)
		p.last = -1
		return next
	}
	r := Rule{Line: line, EndLine: ln + 1, Filter: word, Selectors: sels}
	if strings.HasPrefix(rest, "action") || strings.HasPrefix(rest, "{") {
		// A script action starts on the last line.
		l := p.lines[ln]
		i := strings.Index(l, rest[:1])
		if strings.HasPrefix(rest, "action") {
			i = strings.Index(l, "action")
		}
		if i >= 0 {
			return p.action(pos{ln, i}, r)
		}
	}
	if msg := r.legacyAction(stripComment(rest)); msg != "" {
		p.errorf(line, "%s", msg)
		p.last = -1
		return next
	}
	r.Ruleset = p.ruleset
	p.addRule(r)
	return next
}

// shared handles an "&" line: another action for the rule before.
func (p *parser) shared(q pos, line int) pos {
	act := p.skipBlank(pos{q.ln, q.col + 1}, false)
	if p.last < 0 {
		p.errorf(line, "& without a rule before it")
		return p.skipAction(act)
	}
	prev := p.f.Rules[p.last]
	r := Rule{Line: line, EndLine: line, Filter: prev.Filter, Selectors: prev.Selectors,
		Property: prev.Property, Shared: true}
	return p.action(act, r)
}

// propertyRule handles ":property, [!]compare, "value" action".
func (p *parser) propertyRule(q pos, line int, text string) pos {
	next := pos{q.ln + 1, 0}
	// The value is the first quoted string after the second comma.
	first := strings.IndexByte(text, ',')
	second := -1
	if first >= 0 {
		if i := strings.IndexByte(text[first+1:], ','); i >= 0 {
			second = first + 1 + i
		}
	}
	if second < 0 {
		p.errorf(line, "property filter %s: want :property, compare-operation, \"value\"", quote(clip(text)))
		p.last = -1
		return next
	}
	rest := strings.TrimLeft(text[second+1:], " \t")
	if rest == "" || rest[0] != '"' {
		p.errorf(line, "property filter %s: the value must be a quoted string", quote(clip(text)))
		p.last = -1
		return next
	}
	end := closingQuote(rest)
	if end < 0 {
		p.errorf(line, "property filter %s: unterminated value", quote(clip(text)))
		p.last = -1
		return next
	}
	filterLen := len(text) - len(rest) + end + 1
	act := p.skipBlank(pos{q.ln, q.col + filterLen}, false)
	r := Rule{Line: line, EndLine: line, Filter: text[:filterLen], Property: true}
	return p.action(act, r)
}

// closingQuote returns the index of the quote that closes the string
// opening s (s[0] is '"'), honouring backslash escapes, or -1.
func closingQuote(s string) int {
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '"':
			return i
		}
	}
	return -1
}

// action reads the action of rule r starting at q, appends the rule, and
// returns where the action ends.
func (p *parser) action(q pos, r Rule) pos {
	r.Ruleset = p.ruleset
	if q.ln >= len(p.lines) || p.at(q) == '\n' {
		p.errorf(r.Line, "rule %s has no action", quote(clip(r.Filter)))
		p.last = -1
		return pos{q.ln + 1, 0}
	}
	if w, after := p.word(q); strings.EqualFold(w, "action") && p.at(p.skipBlank(after, true)) == '(' {
		open := p.skipBlank(after, true)
		inner, end, ok := p.balanced(open)
		if !ok {
			p.last = -1
			return pos{q.ln + 1, 0}
		}
		r.EndLine = end.ln + 1
		r.Action = "action(" + strings.Join(strings.Fields(inner), " ") + ")"
		params, msg := parseParams(inner)
		if msg == "" {
			msg = r.scriptAction(params)
		}
		if msg != "" {
			p.errorf(r.Line, "%s", msg)
			p.last = -1
			return end
		}
		p.addRule(r)
		return end
	}
	if p.at(q) == '{' {
		_, end, ok := p.balanced(q)
		if !ok {
			p.last = -1
			return pos{q.ln + 1, 0}
		}
		p.f.Blocks = append(p.f.Blocks, Block{Line: r.Line, EndLine: end.ln + 1, Kind: "actions"})
		p.last = -1
		return end
	}
	text := stripComment(p.lines[q.ln][q.col:])
	if msg := r.legacyAction(text); msg != "" {
		p.errorf(r.Line, "%s", msg)
		p.last = -1
	} else {
		p.addRule(r)
	}
	return pos{q.ln + 1, 0}
}

// skipAction returns where an action starting at q ends without reading it.
func (p *parser) skipAction(q pos) pos {
	if w, after := p.word(q); strings.EqualFold(w, "action") && p.at(p.skipBlank(after, true)) == '(' {
		if _, end, ok := p.balanced(p.skipBlank(after, true)); ok {
			return end
		}
	}
	return pos{q.ln + 1, 0}
}

func (p *parser) addRule(r Rule) {
	p.f.Rules = append(p.f.Rules, r)
	p.last = len(p.f.Rules) - 1
}

// directive handles a legacy "$Name args" line.
func (p *parser) directive(line int, text string) {
	name, args, _ := strings.Cut(text[1:], " ")
	if i := strings.IndexByte(name, '\t'); i >= 0 {
		name, args = name[:i], name[i+1:]+" "+args
	}
	args = strings.TrimSpace(stripComment(args))
	if name == "" {
		p.errorf(line, "$ without a directive name")
		return
	}
	p.f.Directives = append(p.f.Directives, Directive{Line: line, Name: name, Args: args})
	word := ""
	if f := parse.Fields(args); len(f) > 0 {
		word = f[0]
	}
	switch lower := strings.ToLower(name); lower {
	case "modload":
		if word == "" {
			p.errorf(line, "$ModLoad without a module")
			return
		}
		p.f.Modules = append(p.f.Modules, Module{Line: line, Name: moduleName(word)})
	case "includeconfig":
		if word == "" {
			p.errorf(line, "$IncludeConfig without a file")
			return
		}
		p.f.Includes = append(p.f.Includes, Include{Line: line, Pattern: word})
	case "ruleset":
		p.ruleset = word
		if strings.EqualFold(word, "RSYSLOG_DefaultRuleset") {
			p.ruleset = ""
		}
		p.last = -1
	default:
		typ, ok := serverRun[lower]
		if !ok {
			return
		}
		in := Input{Line: line, Type: typ, Params: map[string]string{}}
		if word != "" {
			in.Params["port"] = word
			n, msg := port(word)
			if msg != "" {
				p.errorf(line, "$%s: %s", name, msg)
				return
			}
			in.Port = n
		}
		p.f.Inputs = append(p.f.Inputs, in)
	}
}

// serverRun maps the legacy directives that start a listener to the input
// module they use.
var serverRun = map[string]string{
	"udpserverrun":       "imudp",
	"inputudpserverrun":  "imudp",
	"inputtcpserverrun":  "imtcp",
	"inputptcpserverrun": "imptcp",
	"inputrelpserverrun": "imrelp",
	"inputgssserverrun":  "imgssapi",
}

// port parses a port written in a configuration: a number 1..65535 gives
// it; a name (a service from /etc/services) gives 0 without a problem.
func port(s string) (int, string) {
	if s == "" || !isDigit(s[0]) {
		return 0, ""
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > 65535 {
		return 0, "port " + quote(s) + " is not a number from 1 to 65535"
	}
	return n, ""
}

// moduleName strips the directory and ".so" from a module name.
func moduleName(s string) string {
	s = strings.TrimPrefix(s, "builtin:")
	if s == "" {
		return ""
	}
	return strings.TrimSuffix(path.Base(s), ".so")
}

// stripComment removes a '#' comment that starts the text or follows a
// blank, outside double quotes.
func stripComment(s string) string {
	inQuote := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\' && inQuote:
			i++
		case c == '"':
			inQuote = !inQuote
		case c == '#' && !inQuote && (i == 0 || s[i-1] == ' ' || s[i-1] == '\t'):
			return strings.TrimSpace(s[:i])
		}
	}
	return strings.TrimSpace(s)
}

func quote(s string) string { return strconv.Quote(s) }

// clip shortens s for an error message.
func clip(s string) string {
	const limit = 60
	s = strings.TrimSpace(s)
	if len(s) <= limit {
		return s
	}
	return s[:limit] + "..."
}
