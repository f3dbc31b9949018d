package sshdconfig

import (
	"slices"
	"strconv"
	"strings"
)

// Setting is the value sshd uses for one keyword.
type Setting struct {
	// Keyword is the canonical lower-case keyword.
	Keyword string
	// Args are the arguments in effect. For a keyword whose directives
	// add up (Port, AllowUsers...) those of every directive in turn; for
	// an algorithm list (Ciphers...) the algorithm names after applying
	// a '+', '-' or '^' to the default list.
	Args []string
	// Default is true when no directive sets the keyword and Args are
	// sshd's built-in default (nil when bastion does not know it).
	Default bool
	// Where is the directive the value comes from, nil when Default.
	Where *Directive
	// From are all the directives the value comes from, Where first:
	// more than one only for keywords whose directives add up.
	From []*Directive
	// Ignored is true for a keyword sshd 9.2 reads and ignores, such as
	// Protocol: Args are then what the file says, which an older sshd
	// would have used.
	Ignored bool
}

// Effective returns the value sshd uses for a keyword (any spelling or
// alias, any case) on a connection.
//
// sshd works in two passes, and so does Effective. At start-up it reads
// the global section (and "Match all" blocks, which apply then), the first
// value winning. For each connection it reads again only the Match blocks
// that apply to it: the first value they give, if any, replaces the global
// one, for the keywords a Match block may set.
//
// A nil conn is no connection in particular: the global section, with the
// "Match all" blocks, which apply to every connection; it is what
// "sshd -T" prints without -C.
func (c *Config) Effective(keyword string, conn *Conn) Setting {
	kw := Canonical(keyword)
	in := infos[kw]
	mode, inMatch := First, true
	if in != nil {
		mode, inMatch = in.Mode, in.Match
	}
	if kw == "match" || kw == "include" {
		return Setting{Keyword: kw, Default: true}
	}
	from := c.pick(kw, mode, func(m *Match) bool { return m.Applies(nil) })
	if inMatch {
		if m := c.pick(kw, mode, func(m *Match) bool { return m != nil && m.Applies(conn) }); len(m) > 0 {
			from = m
		}
	}
	return setting(kw, in, from)
}

// pick returns the directives of a keyword that count, among those whose
// block passes keep.
func (c *Config) pick(kw string, mode Mode, keep func(*Match) bool) []*Directive {
	var out []*Directive
	for i := range c.Directives {
		d := &c.Directives[i]
		if d.Keyword != kw || !keep(d.Match) {
			continue
		}
		switch mode {
		case Append:
			out = append(out, d)
		case Last:
			out = []*Directive{d}
		default:
			return []*Directive{d}
		}
	}
	return out
}

// setting builds the Setting of the directives that count.
func setting(kw string, in *Info, from []*Directive) Setting {
	s := Setting{Keyword: kw, From: from}
	if in != nil {
		s.Ignored = in.Mode == Ignored
	}
	if len(from) == 0 {
		s.Default, s.From = true, nil
		if in != nil {
			s.Args = slices.Clone(in.Default)
		}
		return s
	}
	s.Where = from[0]
	for _, d := range from {
		s.Args = append(s.Args, d.Args...)
	}
	if al, ok := algorithms[kw]; ok && len(s.Args) > 0 {
		s.Args = Assemble(s.Args[0], al[0], al[1])
	}
	return s
}

// Value returns the value in the form sshd -T prints it, so that a rule
// compares one spelling: flags and choices in lower case with aliases
// resolved ("without-password" is "prohibit-password", AllowTcpForwarding
// "all" is "yes"), times in seconds, LogLevel and SyslogFacility in upper
// case, algorithm lists joined with commas, other arguments with blanks
// (IPQoS always with its two values).
func (s Setting) Value() string {
	if len(s.Args) == 0 {
		return ""
	}
	in := infos[s.Keyword]
	if in == nil {
		return strings.Join(s.Args, " ")
	}
	a := s.Args[0]
	switch in.Kind {
	case List:
		return strings.Join(s.Args, ",")
	case Flag:
		return strings.ToLower(a)
	case Choice:
		if v, ok := in.Choices[strings.ToLower(a)]; ok {
			return v
		}
		return strings.ToLower(a)
	case Time:
		if n, ok := Seconds(a); ok {
			return strconv.Itoa(n)
		}
	}
	switch s.Keyword {
	case "loglevel", "syslogfacility":
		return strings.ToUpper(a)
	case "ipqos":
		// One value stands for both interactive and bulk traffic.
		if len(s.Args) == 1 {
			return a + " " + a
		}
	}
	return strings.Join(s.Args, " ")
}

// Int returns the value as a number (a time in seconds); ok is false when
// it is not one.
func (s Setting) Int() (int, bool) {
	return atoi(s.Value())
}

// Enabled lists the names of an algorithm list Setting that match any of
// the wildcard patterns given, such as "*-cbc" or "3des-*": the answer to
// "is a weak cipher enabled?".
func (s Setting) Enabled(patterns ...string) []string {
	var out []string
	for _, a := range s.Args {
		for _, p := range patterns {
			if wildcard(a, p) {
				out = append(out, a)
				break
			}
		}
	}
	return out
}

// Overrides returns, for each Match block that sets keyword to something
// else than the global value (Effective with a nil conn), the directive of
// that block the value comes from: the lines behind "root may log in with
// a password from 10.0.0.0/8". Values are compared with Setting.Value. A
// block is reported even when an earlier block that applies to the same
// connections shadows it. Keywords a Match block may not set give nothing.
func (c *Config) Overrides(keyword string) []Directive {
	kw := Canonical(keyword)
	in := infos[kw]
	if in != nil && !in.Match || kw == "match" || kw == "include" {
		return nil
	}
	mode := First
	if in != nil {
		mode = in.Mode
	}
	global := c.Effective(kw, nil).Value()
	// The directives of the keyword by block, blocks in order of their
	// first such directive.
	var blocks []*Match
	byBlock := map[*Match][]*Directive{}
	for i := range c.Directives {
		d := &c.Directives[i]
		if d.Keyword != kw || d.Match == nil {
			continue
		}
		if byBlock[d.Match] == nil {
			blocks = append(blocks, d.Match)
		}
		byBlock[d.Match] = append(byBlock[d.Match], d)
	}
	var out []Directive
	for _, m := range blocks {
		from := byBlock[m]
		switch mode {
		case First, Ignored:
			from = from[:1]
		case Last:
			from = from[len(from)-1:]
		}
		if s := setting(kw, in, from); s.Value() != global {
			out = append(out, *s.Where)
		}
	}
	return out
}

// Assemble applies an algorithm list as sshd does to a default list def,
// with all the names the build supports: "+list" appends to the default,
// "-list" removes what its patterns match from it, "^list" puts the list
// first, and a plain list replaces the default. Patterns ('*', '?') in a
// list stand for every supported name they match. Names are given once.
// A name that is neither supported nor a pattern is kept as written: a
// newer sshd may know it.
func Assemble(spec string, def, all []string) []string {
	if spec == "" {
		return slices.Clone(def)
	}
	var list []string
	switch spec[0] {
	case '-':
		var out []string
		for _, n := range def {
			if matchList(n, spec[1:], false) != 1 {
				out = append(out, n)
			}
		}
		return out
	case '+':
		list = cat(def, strings.Split(spec[1:], ","))
	case '^':
		list = cat(strings.Split(spec[1:], ","), def)
	default:
		list = strings.Split(spec, ",")
	}
	var out []string
	for _, p := range list {
		if p == "" || strings.HasPrefix(p, "!") {
			continue
		}
		var hits []string
		for _, n := range all {
			if wildcard(n, p) {
				hits = append(hits, n)
			}
		}
		if len(hits) == 0 && !strings.ContainsAny(p, "*?") {
			hits = []string{p}
		}
		out = cat(out, hits)
	}
	return out
}

// cat returns a followed by the names of b not already in it.
func cat(a, b []string) []string {
	out := slices.Clone(a)
	for _, n := range b {
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}
