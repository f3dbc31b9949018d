// Package sendmailcf reads sendmail's configuration: the sendmail.cf file
// the daemon reads (/etc/mail/sendmail.cf, or /etc/sendmail.cf on old AIX),
// and the m4 .mc source it is usually built from (see ParseMC).
//
// A sendmail.cf line is typed by its first character: O sets an option, C
// and F fill a class, D defines a macro, M defines a mailer, S starts a
// ruleset and R adds a rule to it, K declares a map, V gives the format
// version, and # starts a comment. A line that starts with a space or a tab
// continues the line before it. From a trailing '#' to the end of a line is
// a comment too, unless the '#' is written "$#" or "\#".
//
// Every line is kept so that one entry can be changed by editing its lines:
// an entry's Line is the line it starts on, and its EndLine the last of its
// continuation lines that is not blank.
//
// The m4 build writes the version identifier of every file it includes as a
// comment, "#####  $Id: promiscuous_relay.m4,v 8.13 ... $  #####"; Parse
// collects those as Features, which shows how a cf file was built (an open
// relay made with FEATURE(`promiscuous_relay') among them) when the .mc
// source is gone.
package sendmailcf

import (
	"io"
	"strconv"
	"strings"

	"bastion/internal/parse"
)

// File is a parsed sendmail.cf.
type File struct {
	// Name is the name the file was parsed under, used in error messages.
	Name string
	// Lines holds every physical line as read, without line endings.
	Lines []string
	// Version is the text of the last V line without the V, such as
	// "10/Berkeley", or "" when there is none.
	Version string
	// Options holds the O lines in file order, and the commented-out
	// "#O Name=value" lines the m4 build writes for options left at their
	// default (marked Commented).
	Options []Option
	// Classes holds the C, F and T lines in file order.
	Classes []Class
	// Macros holds the D lines in file order.
	Macros []Macro
	// Features holds the m4 files named by the version-identifier comments
	// of the build, in file order.
	Features []Feature
	// Mailers holds the M lines in file order.
	Mailers []Mailer
	// Rulesets holds the S lines in file order.
	Rulesets []Ruleset
	// Rules holds the R lines in file order.
	Rules []Rule
	// Maps holds the K lines in file order.
	Maps []Map
}

// Option is one O line.
type Option struct {
	// Line is the 1-based line number of the O line; EndLine is that of
	// its last continuation line (Line when there is none).
	Line, EndLine int
	// Name is the long name as written ("SmtpGreetingMessage",
	// "Timeout.queuereturn"), or for the old form "Ox..." the option
	// letter ("L" of "OL9"). Sendmail compares long names without regard
	// to case.
	Name string
	// Value is the text after the '=' (after the letter in the old form)
	// with blanks around it removed, comments removed and continuation
	// lines joined with "\n". Macros such as $v are not expanded.
	Value string
	// Short reports the old single-letter form.
	Short bool
	// Commented reports a "#O Name=value" comment: the option is not set.
	Commented bool
}

// Long returns the long name of the option: Name for the long form, the
// long name of the letter for the short form ("LogLevel" for "L"), or ""
// for a letter that has none.
func (o Option) Long() string {
	if !o.Short {
		return o.Name
	}
	if len(o.Name) == 1 {
		return shortNames[o.Name[0]]
	}
	return ""
}

// Class is one C, F or T line: words added to a class.
type Class struct {
	// Line is the 1-based line number; EndLine is that of the last
	// continuation line.
	Line, EndLine int
	// Name is the class name without braces: "w" for Cw, "VirtHost" for
	// C{VirtHost}, "t" for a T (trusted users) line.
	Name string
	// Words holds the words of a C or T line.
	Words []string
	// File is what an F line reads the words from: a path, a program
	// ("|/usr/bin/prog"), or a map specification ("@ldap:...").
	File string
	// Optional reports the -o flag of an F line: a missing file is not an
	// error.
	Optional bool
	// Format is the scanf format written after the path of an F line, or
	// "" when there is none.
	Format string
}

// Macro is one D line.
type Macro struct {
	// Line is the 1-based line number; EndLine is that of the last
	// continuation line.
	Line, EndLine int
	// Name is the macro name without braces: "j" for Dj, "MTAHost" for
	// D{MTAHost}.
	Name string
	// Value is the text after the name, comments and trailing blanks
	// removed, not expanded.
	Value string
}

// Feature is an m4 file the cf file was built with, from its
// version-identifier comment: a feature (promiscuous_relay, access_db),
// but also the OS type, domain, mailer and proto files the build included.
type Feature struct {
	// Line is the 1-based line number of the comment.
	Line int
	// Name is the file name without ".m4": "promiscuous_relay".
	Name string
	// File is the file name as written: "promiscuous_relay.m4".
	File string
	// Version is the revision that follows the file name, such as "8.13",
	// or "".
	Version string
}

// Mailer is one M line, kept as written.
type Mailer struct {
	// Line is the 1-based line number; EndLine is that of the last
	// continuation line.
	Line, EndLine int
	// Name is the mailer name: "local" for "Mlocal, P=...".
	Name string
	// Text is the whole line from the M on, comments removed and
	// continuation lines joined with "\n".
	Text string
}

// Ruleset is one S line.
type Ruleset struct {
	// Line is the 1-based line number.
	Line int
	// Name is the ruleset name ("check_rcpt" of "Scheck_rcpt", "parse" of
	// "Sparse=0"), or "" for a numbered ruleset ("S0").
	Name string
	// Number is the ruleset number as written ("0" of "S0" or
	// "Sparse=0"), or "" when only a name is given.
	Number string
}

// ID returns the ruleset's name, or its number when it has no name.
func (r Ruleset) ID() string {
	if r.Name != "" {
		return r.Name
	}
	return r.Number
}

// Rule is one R line.
type Rule struct {
	// Line is the 1-based line number; EndLine is that of the last
	// continuation line.
	Line, EndLine int
	// Ruleset is the ID of the ruleset the rule belongs to, from the last
	// S line before it.
	Ruleset string
	// LHS is the pattern: the text between R and the first tab.
	LHS string
	// RHS is the replacement: the text after the tabs that end the
	// pattern, up to the next tab.
	RHS string
	// Comment is the text after the tabs that end the replacement.
	Comment string
}

// Map is one K line.
type Map struct {
	// Line is the 1-based line number; EndLine is that of the last
	// continuation line.
	Line, EndLine int
	// Name is the map name: "access" of "Kaccess hash -o /etc/mail/access".
	Name string
	// Type is the map class: "hash", "dbm", "ldap", "sequence"...
	Type string
	// Args holds the rest of the line split on blanks.
	Args []string
}

// shortNames maps the option letters of the old "Ox..." form to the long
// names sendmail 8.7 and later give them. Letters 'g' (default group) and
// 'M' (define a macro) have no long name.
var shortNames = map[byte]string{
	'7': "SevenBitInput", '8': "EightBitMode",
	'A': "AliasFile", 'a': "AliasWait", 'B': "BlankSub", 'b': "MinFreeBlocks",
	'C': "CheckpointInterval", 'c': "HoldExpensive", 'd': "DeliveryMode",
	'E': "ErrorHeader", 'e': "ErrorMode", 'F': "TempFileMode", 'f': "SaveFromLine",
	'G': "MatchGECOS", 'H': "HelpFile", 'h': "MaxHopCount", 'I': "ResolverOptions",
	'i': "IgnoreDots", 'J': "ForwardPath", 'j': "SendMimeErrors",
	'k': "ConnectionCacheSize", 'K': "ConnectionCacheTimeout", 'l': "UseErrorsTo",
	'L': "LogLevel", 'm': "MeToo", 'n': "CheckAliases", 'o': "OldStyleHeaders",
	'O': "DaemonPortOptions", 'p': "PrivacyOptions", 'P': "PostmasterCopy",
	'q': "QueueFactor", 'Q': "QueueDirectory", 'R': "DontPruneRoutes", 'r': "Timeout",
	'S': "StatusFile", 's': "SuperSafe", 'T': "QueueTimeout", 't': "TimeZoneSpec",
	'U': "UserDatabaseSpec", 'u': "DefaultUser", 'V': "FallbackMXhost", 'v': "Verbose",
	'w': "TryNullMXList", 'x': "QueueLA", 'X': "RefuseLA", 'y': "RecipientFactor",
	'Y': "ForkEachJob", 'z': "ClassFactor", 'Z': "RetryFactor",
}

// matches reports whether an option that is set answers to name: its long
// name compared without regard to case, or its letter compared exactly.
func (o Option) matches(name string) bool {
	if o.Commented {
		return false
	}
	if o.Short && o.Name == name {
		return true
	}
	long := o.Long()
	return long != "" && strings.EqualFold(long, name)
}

// Option returns the last O line that sets the option name, given as a
// long name (compared without regard to case; the old single-letter form
// of the same option counts) or as a letter. Commented-out options are
// not returned. Sendmail takes the last value of most options, but adds
// up PrivacyOptions and starts one daemon per DaemonPortOptions line: use
// AllOptions for those.
func (f *File) Option(name string) (Option, bool) {
	for i := len(f.Options) - 1; i >= 0; i-- {
		if f.Options[i].matches(name) {
			return f.Options[i], true
		}
	}
	return Option{}, false
}

// AllOptions returns every O line that sets the option name, in file order,
// matched as Option matches it.
func (f *File) AllOptions(name string) []Option {
	var out []Option
	for _, o := range f.Options {
		if o.matches(name) {
			out = append(out, o)
		}
	}
	return out
}

// Macro returns the last D line that defines the macro name (without
// braces; compared exactly, as sendmail does).
func (f *File) Macro(name string) (Macro, bool) {
	for i := len(f.Macros) - 1; i >= 0; i-- {
		if f.Macros[i].Name == name {
			return f.Macros[i], true
		}
	}
	return Macro{}, false
}

// Class returns every C, F or T line of the class name, in file order.
func (f *File) Class(name string) []Class {
	var out []Class
	for _, c := range f.Classes {
		if c.Name == name {
			out = append(out, c)
		}
	}
	return out
}

// HasFeature reports whether the build included the m4 file name (without
// ".m4"), such as "promiscuous_relay".
func (f *File) HasFeature(name string) bool {
	for _, ft := range f.Features {
		if ft.Name == name {
			return true
		}
	}
	return false
}

// Bytes returns the file text: every line as read, each ended by "\n".
func (f *File) Bytes() []byte { return parse.JoinLines(f.Lines) }

// Parse reads a sendmail.cf from r; name is used in error messages. Lines
// sendmail would reject are reported, one error per line, and skipped; the
// entries of every other line are returned along with the error.
func Parse(r io.Reader, name string) (*File, error) {
	lines, err := parse.ReadLines(r, name)
	if err != nil {
		return nil, err
	}
	f := &File{Name: name, Lines: lines}
	p := cfParser{f: f}
	for i := 0; i < len(lines); {
		start := i
		i++
		for i < len(lines) && isBlankStart(lines[i]) {
			i++
		}
		p.logical(start, i)
	}
	return f, p.errs.Err()
}

// cfParser holds the state of one Parse.
type cfParser struct {
	f       *File
	errs    parse.Errors
	ruleset string // ID of the last S line
	inRules bool   // an S line has been seen
}

// isBlankStart reports a line that starts with a space or a tab: a
// continuation of the line before it.
func isBlankStart(s string) bool { return s != "" && (s[0] == ' ' || s[0] == '\t') }

// logical interprets the physical lines [start, end) (0-based), which make
// one logical line: lines[start] and the continuation lines after it.
func (p *cfParser) logical(start, end int) {
	lines, name := p.f.Lines, p.f.Name
	first := lines[start]
	line, endLine := start+1, start+1
	for k := start + 1; k < end; k++ {
		if strings.Trim(lines[k], " \t") != "" {
			endLine = k + 1
		}
	}
	switch {
	case first == "" || isBlankStart(first):
		// A continuation of nothing: at the start of the file, or after an
		// empty line. Sendmail rejects it unless it is all blanks.
		for k := start; k < end; k++ {
			if strings.Trim(lines[k], " \t") != "" {
				p.errs.Add(name, k+1, "indented line continues no line")
				return
			}
		}
		return
	case first[0] == '#':
		p.comment(first, line)
		return
	}

	parts := make([]string, 0, end-start)
	for k := start; k < end; k++ {
		parts = append(parts, stripComment(lines[k]))
	}
	// text keeps its first character: the line does not start with a
	// blank.
	text := strings.TrimRight(strings.Join(parts, "\n"), " \t\n")
	body := text[1:]
	switch text[0] {
	case 'O':
		o, msg := parseOption(body)
		if msg != "" {
			p.errs.Add(name, line, "%s", msg)
			return
		}
		o.Line, o.EndLine = line, endLine
		p.f.Options = append(p.f.Options, o)
	case 'C', 'T':
		c := Class{Line: line, EndLine: endLine, Name: "t"}
		rest := body
		if text[0] == 'C' {
			n, r, msg := macroName(body)
			if msg != "" {
				p.errs.Add(name, line, "class line: %s", msg)
				return
			}
			c.Name, rest = n, r
		}
		c.Words = words(rest)
		p.f.Classes = append(p.f.Classes, c)
	case 'F':
		c, msg := parseFileClass(body)
		if msg != "" {
			p.errs.Add(name, line, "%s", msg)
			return
		}
		c.Line, c.EndLine = line, endLine
		p.f.Classes = append(p.f.Classes, c)
	case 'D':
		n, rest, msg := macroName(body)
		if msg != "" {
			p.errs.Add(name, line, "macro line: %s", msg)
			return
		}
		p.f.Macros = append(p.f.Macros, Macro{Line: line, EndLine: endLine, Name: n, Value: rest})
	case 'M':
		n := body
		if i := strings.IndexAny(n, ", \t\n"); i >= 0 {
			n = n[:i]
		}
		if n == "" {
			p.errs.Add(name, line, "mailer line without a name")
			return
		}
		p.f.Mailers = append(p.f.Mailers, Mailer{Line: line, EndLine: endLine, Name: n, Text: text})
	case 'S':
		rs, msg := parseRuleset(body)
		if msg != "" {
			p.errs.Add(name, line, "%s", msg)
			return
		}
		rs.Line = line
		p.f.Rulesets = append(p.f.Rulesets, rs)
		p.ruleset, p.inRules = rs.ID(), true
	case 'R':
		if !p.inRules {
			p.errs.Add(name, line, "rule line before any S line")
			return
		}
		tab := strings.IndexByte(body, '\t')
		if tab < 0 {
			p.errs.Add(name, line, "rule line without a tab after the pattern")
			return
		}
		rhs := strings.TrimLeft(body[tab:], "\t")
		comment := ""
		if j := strings.IndexByte(rhs, '\t'); j >= 0 {
			rhs, comment = rhs[:j], strings.Trim(rhs[j:], " \t\n")
		}
		p.f.Rules = append(p.f.Rules, Rule{Line: line, EndLine: endLine, Ruleset: p.ruleset,
			LHS: body[:tab], RHS: rhs, Comment: comment})
	case 'K':
		fields := words(body)
		if len(fields) < 2 {
			p.errs.Add(name, line, "map line without a name and a class")
			return
		}
		p.f.Maps = append(p.f.Maps, Map{Line: line, EndLine: endLine, Name: fields[0], Type: fields[1],
			Args: fields[2:]})
	case 'V':
		v := strings.TrimLeft(body, " \t")
		if v == "" || v[0] < '0' || v[0] > '9' {
			p.errs.Add(name, line, "version line %q does not start with a number", text)
			return
		}
		p.f.Version = v
	case 'P':
		if !strings.Contains(body, "=") {
			p.errs.Add(name, line, "precedence line without '='")
		}
	case 'H', 'E', 'Q', 'X':
		// Headers, environment, queue groups and mail filters: kept in
		// Lines only.
	default:
		p.errs.Add(name, line, "unknown line type %q", text[:1])
	}
}

// comment looks at a comment line for a version identifier of the m4 build
// or a commented-out option.
func (p *cfParser) comment(text string, line int) {
	if ft, ok := parseFeature(text); ok {
		ft.Line = line
		p.f.Features = append(p.f.Features, ft)
		return
	}
	rest := strings.TrimLeft(text, "#")
	if strings.HasPrefix(rest, "O ") {
		if o, msg := parseOption(strings.TrimRight(stripComment(rest), " \t")[1:]); msg == "" {
			o.Line, o.EndLine, o.Commented = line, line, true
			p.f.Options = append(p.f.Options, o)
		}
	}
}

// stripComment removes a trailing comment from one physical line as
// sendmail does: from a '#' that is neither "$#" nor "\#" to the end of the
// line, with the blanks before it. "\#" becomes "#". The line must not
// start with '#'.
func stripComment(s string) string {
	if !strings.Contains(s, "#") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '$' && i+1 < len(s) && (s[i+1] == '$' || s[i+1] == '#'):
			b.WriteByte(c)
			b.WriteByte(s[i+1])
			i++
		case c == '\\' && i+1 < len(s) && s[i+1] == '#':
			b.WriteByte('#')
			i++
		case c == '#':
			return strings.TrimRight(b.String(), " \t")
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// parseOption parses the text after the O of an option line.
func parseOption(body string) (Option, string) {
	if body == "" {
		return Option{}, "option line without a name"
	}
	c := body[0]
	switch {
	case c == ' ':
		// The long form, "O Name=value".
	case c == '\t':
		return Option{}, "tab after O: a long option name must follow one space"
	case c < 0x21 || c > 0x7e:
		return Option{}, "bad option letter " + strconv.Quote(body[:1])
	default:
		return Option{Name: body[:1], Value: strings.Trim(body[1:], " \t"), Short: true}, ""
	}
	rest := body[1:]
	if rest != "" && (rest[0] == ' ' || rest[0] == '\t') {
		return Option{}, "more than one blank between O and the option name"
	}
	n, v, _ := strings.Cut(rest, "=")
	n = strings.TrimRight(n, " ")
	if n == "" {
		return Option{}, "option line without a name"
	}
	for i := 0; i < len(n); i++ {
		if !isNameByte(n[i]) && n[i] != '.' {
			return Option{}, "bad option name " + strconv.Quote(n)
		}
	}
	return Option{Name: n, Value: strings.Trim(v, " \t")}, ""
}

// words splits s around runs of blanks and newlines (the newlines that
// join continuation lines).
func words(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '\t' || r == '\n' })
}

// isNameByte reports a letter, digit or underscore.
func isNameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
}

// macroName splits a macro or class name from the start of s: one
// character, or a name in braces made of letters, digits and underscores.
// A one-character name in braces ("{w}") is the same as the bare
// character. It returns the name without braces, the rest of s, or a
// message saying what is wrong.
func macroName(s string) (string, string, string) {
	if s == "" || s[0] == ' ' || s[0] == '\t' || s[0] == '\n' {
		return "", "", "missing name"
	}
	if s[0] != '{' {
		return s[:1], s[1:], ""
	}
	end := strings.IndexByte(s, '}')
	if end < 0 {
		return "", "", "unbalanced { in name " + strconv.Quote(s)
	}
	n := s[1:end]
	if n == "" {
		return "", "", "empty name {}"
	}
	for i := 0; i < len(n); i++ {
		if !isNameByte(n[i]) {
			return "", "", "bad character " + strconv.Quote(n[i:i+1]) + " in name {" + n + "}"
		}
	}
	return n, s[end+1:], ""
}

// parseFileClass parses the text after the F of a file-class line:
// "name [-o] path [format]", "name |program" or "name @map:spec".
func parseFileClass(body string) (Class, string) {
	n, rest, msg := macroName(body)
	if msg != "" {
		return Class{}, "file class line: " + msg
	}
	c := Class{Name: n}
	rest = strings.TrimLeft(rest, " \t\n")
	if strings.HasPrefix(rest, "-o") {
		c.Optional = true
		// Like sendmail, skip the whole word that starts with -o.
		if i := strings.IndexAny(rest, " \t\n"); i >= 0 {
			rest = strings.TrimLeft(rest[i:], " \t\n")
		} else {
			rest = ""
		}
	}
	if rest == "" {
		return Class{}, "file class line without a file"
	}
	if rest[0] != '/' && rest[0] != '|' {
		if _, spec, ok := strings.Cut(rest, "@"); ok &&
			(spec == "LDAP" || (spec != "" && spec[0] != ':' && strings.Contains(spec, ":"))) {
			c.File = rest
			return c, ""
		}
	}
	file, after, ok := quotedWord(rest)
	if !ok {
		return Class{}, "unbalanced quote or backslash in file name " + strconv.Quote(rest)
	}
	c.File = file
	if file == "" {
		return Class{}, "file class line without a file"
	}
	if file[0] != '|' {
		c.Format = strings.TrimLeft(after, " \t\n")
	}
	return c, ""
}

// quotedWord takes a word from the start of s up to an unquoted space, as
// sendmail reads the file name of an F line: double quotes group text
// with spaces and are removed, and a backslash makes the space after it
// part of the word.
// It returns the word, the rest of s from the space on, and false if a
// quote or a backslash is left open.
func quotedWord(s string) (string, string, bool) {
	var b strings.Builder
	quoted, backslash := false, false
	i := 0
	for ; i < len(s); i++ {
		c := s[i]
		if backslash {
			backslash = false
			if c == ' ' {
				b.WriteByte(c)
				continue
			}
			b.WriteByte('\\')
		}
		switch {
		case c == '\\':
			backslash = true
		case c == '"':
			quoted = !quoted
		case quoted || c != ' ':
			b.WriteByte(c)
		default:
			return b.String(), s[i:], !quoted && !backslash
		}
	}
	return b.String(), "", !quoted && !backslash
}

// parseRuleset parses the text after the S of a ruleset line: a number, a
// name, or "name=number".
func parseRuleset(body string) (Ruleset, string) {
	s := strings.Trim(body, " \t\n")
	if s == "" {
		return Ruleset{}, "ruleset line without a name or number"
	}
	bad := "bad ruleset " + strconv.Quote(s) + ": want a number, a name or name=number"
	n, num, hasNum := strings.Cut(s, "=")
	n, num = strings.TrimRight(n, " \t"), strings.TrimLeft(num, " \t")
	if !hasNum && isDigits(n) {
		return Ruleset{Number: n}, ""
	}
	if n == "" || (n[0] >= '0' && n[0] <= '9') {
		return Ruleset{}, bad
	}
	for i := 0; i < len(n); i++ {
		if !isNameByte(n[i]) {
			return Ruleset{}, bad
		}
	}
	if hasNum && !isDigits(num) {
		return Ruleset{}, bad
	}
	return Ruleset{Name: n, Number: num}, ""
}

// isDigits reports a non-empty string of ASCII digits.
func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// parseFeature reads a version-identifier comment of the m4 build, in the
// RCS form of sendmail 8.10 and later,
//
//	#####  $Id: promiscuous_relay.m4,v 8.13 2013-11-22 20:51:11 ca Exp $  #####
//
// or the SCCS form of 8.9 and earlier,
//
//	#####  @(#)promiscuous_relay.m4	8.8 (Berkeley) 5/19/1998  #####
//
// and returns the m4 file it names.
func parseFeature(text string) (Feature, bool) {
	if !strings.HasPrefix(text, "#####") {
		return Feature{}, false
	}
	s := strings.Trim(text, "# \t")
	var rest string
	if r, ok := strings.CutPrefix(s, "$Id:"); ok {
		rest = r
	} else if r, ok := strings.CutPrefix(s, "@(#)"); ok {
		rest = r
	} else {
		return Feature{}, false
	}
	fields := parse.Fields(rest)
	if len(fields) == 0 {
		return Feature{}, false
	}
	file := strings.TrimSuffix(fields[0], ",v")
	n, ok := strings.CutSuffix(file, ".m4")
	if !ok || n == "" {
		return Feature{}, false
	}
	ft := Feature{Name: n, File: file}
	if len(fields) > 1 && fields[1] != "$" {
		ft.Version = fields[1]
	}
	return ft, true
}
