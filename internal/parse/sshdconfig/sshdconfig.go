// Package sshdconfig reads OpenSSH's sshd_config the way sshd does, and
// works out the value sshd really uses for a keyword.
//
// sshd's rules are not those of most configuration files: keywords are
// matched without regard to case; for most keywords the FIRST value
// obtained wins, not the last; "Include" (allowed anywhere, with globs,
// relative paths taken under /etc/ssh) is expanded in place; a "Match"
// block lasts until the next Match line or the end of its file, and applies
// only to the connections its criteria select; "keyword=value" is accepted;
// and the algorithm lists (Ciphers, MACs...) may add to, remove from or
// reorder the built-in default with a leading '+', '-' or '^'.
//
// Parse reads one file. Load follows the Includes of a main file and gives
// a Config, the directives in the order sshd sees them. Config.Effective
// gives the value of a keyword, for the global section or for a given
// connection, with the defaults of OpenSSH 9.2 as Debian 12 ships it, and
// Config.Overrides the Match blocks that change a keyword for some
// connections.
package sshdconfig

import (
	"io"
	"strconv"
	"strings"

	"bastion/internal/parse"
)

// Directive is one "Keyword arguments" line.
type Directive struct {
	// File is the name of the file the line came from.
	File string
	Line int
	// Keyword is the canonical lower-case keyword: "permitrootlogin";
	// an alias is replaced by the keyword it stands for, so
	// ChallengeResponseAuthentication is "kbdinteractiveauthentication".
	Keyword string
	// Name is the keyword as written.
	Name string
	// Args are the arguments with quotes removed. For ForceCommand and
	// the other keywords that take the rest of the line, the one
	// argument is that rest as written. For Match, the criteria words.
	Args []string
	// Match is the Match block the directive sits in; nil for the global
	// section. For a Match line, the block it opens.
	Match *Match
}

// Match is a Match block: the line that opens it and its criteria, all of
// which must hold for the block to apply.
type Match struct {
	File     string
	Line     int
	Criteria []Criterion
	// Parent is, for a block of an included file, the block of the
	// Include line that brought the file in; the block applies only when
	// its parent does too. It is nil in a File, and for a file included
	// from the global section.
	Parent *Match
}

// The attributes a Match criterion tests.
const (
	AttrAll          = "all"
	AttrUser         = "user"
	AttrGroup        = "group"
	AttrHost         = "host"
	AttrAddress      = "address"
	AttrLocalAddress = "localaddress"
	AttrLocalPort    = "localport"
	AttrRDomain      = "rdomain"
)

// Criterion is one "Attribute pattern-list" pair of a Match line.
type Criterion struct {
	// Attr is the lower-case attribute: one of the Attr constants.
	Attr string
	// Patterns is the comma-separated list as written, empty for "all".
	// A pattern may be negated with a leading '!'.
	Patterns string
}

// List returns the patterns of the criterion one by one.
func (c Criterion) List() []Pattern {
	if c.Patterns == "" {
		return nil
	}
	var out []Pattern
	for _, p := range strings.Split(c.Patterns, ",") {
		neg := strings.HasPrefix(p, "!")
		out = append(out, Pattern{Negated: neg, Text: strings.TrimPrefix(p, "!")})
	}
	return out
}

// Pattern is one element of a pattern list: a wildcard pattern ('*' and
// '?'), or for Address and LocalAddress also a CIDR network.
type Pattern struct {
	Negated bool
	Text    string
}

// String returns the Match line as sshd would read it: "Match User root
// Address 10.0.0.0/8".
func (m *Match) String() string {
	var b strings.Builder
	b.WriteString("Match")
	for _, c := range m.Criteria {
		b.WriteByte(' ')
		b.WriteString(attrNames[c.Attr])
		if c.Patterns != "" {
			b.WriteByte(' ')
			b.WriteString(c.Patterns)
		}
	}
	return b.String()
}

var attrNames = map[string]string{
	AttrAll: "all", AttrUser: "User", AttrGroup: "Group", AttrHost: "Host", AttrAddress: "Address",
	AttrLocalAddress: "LocalAddress", AttrLocalPort: "LocalPort", AttrRDomain: "RDomain",
}

// File is a parsed sshd_config file.
type File struct {
	Name  string
	Lines []string
	// Directives are the lines with a keyword, in order. Include and
	// Match lines are kept, as keywords "include" and "match".
	Directives []Directive
}

// Bytes returns the file as read.
func (f *File) Bytes() []byte { return parse.JoinLines(f.Lines) }

// Parse reads one sshd_config file. It reports what sshd would refuse:
// unbalanced quotes, a keyword without an argument, a bad Match line, and
// for the keywords bastion knows a value sshd does not accept. Unknown
// keywords are kept without complaint: other builds of sshd know other
// keywords. Includes are not followed; see Load.
func Parse(r io.Reader, name string) (*File, error) {
	lines, err := parse.ReadLines(r, name)
	if err != nil {
		return nil, err
	}
	f := &File{Name: name, Lines: lines}
	var errs parse.Errors
	var block *Match
	for i, l := range lines {
		n := i + 1
		l = strings.TrimLeft(l, " \t\r")
		l = strings.TrimRight(l, " \t\r\n\f")
		if l == "" || l[0] == '#' {
			continue
		}
		word, rest := splitKeyword(l)
		if word == "" {
			errs.Add(name, n, "line starts with '='")
			continue
		}
		if rest == "" {
			errs.Add(name, n, "no argument after keyword %q", word)
			continue
		}
		args, ok := argvSplit(rest)
		if !ok {
			errs.Add(name, n, "invalid quotes")
			continue
		}
		d := Directive{File: name, Line: n, Keyword: Canonical(word), Name: word, Args: args, Match: block}
		switch d.Keyword {
		case "match":
			m, words, err := parseMatch(rest)
			m.File, m.Line = name, n
			if err != "" {
				errs.Add(name, n, "%s", err)
			}
			block = m
			d.Match, d.Args = m, words
		case "include":
			if len(args) == 0 {
				errs.Add(name, n, "Include without a file name")
			}
		default:
			if in, ok := infos[d.Keyword]; ok {
				if in.Kind == Rest {
					d.Args = []string{restOf(d.Keyword, rest)}
				}
				if msg := check(in, args); msg != "" {
					errs.Add(name, n, "%s: %s", in.Name, msg)
				}
			}
		}
		f.Directives = append(f.Directives, d)
	}
	return f, errs.Err()
}

// splitKeyword splits a line into its keyword and the rest: the keyword
// ends at a blank or at '=', and one '=' between the two, with blanks
// around it, is skipped.
func splitKeyword(l string) (word, rest string) {
	i := strings.IndexAny(l, " \t=")
	if i < 0 {
		return l, ""
	}
	word, rest = l[:i], l[i+1:]
	eq := l[i] == '='
	rest = strings.TrimLeft(rest, " \t")
	if !eq && strings.HasPrefix(rest, "=") {
		rest = strings.TrimLeft(rest[1:], " \t")
	}
	return word, rest
}

// argvSplit splits the arguments of a line as sshd does: blanks separate
// words, single or double quotes group them, a backslash escapes a quote,
// a backslash or (outside quotes) a blank, and a '#' at the start of a
// word ends the line. ok is false for an unclosed quote.
func argvSplit(s string) (args []string, ok bool) {
	i := 0
	for i < len(s) {
		if s[i] == ' ' || s[i] == '\t' {
			i++
			continue
		}
		if s[i] == '#' {
			break
		}
		var b strings.Builder
		var quote byte
		for ; i < len(s); i++ {
			c := s[i]
			switch {
			case c == '\\' && i+1 < len(s) && (s[i+1] == '\'' || s[i+1] == '"' || s[i+1] == '\\' || quote == 0 && s[i+1] == ' '):
				i++
				b.WriteByte(s[i])
				continue
			case quote == 0 && (c == ' ' || c == '\t'):
			case quote == 0 && (c == '"' || c == '\''):
				quote = c
				continue
			case quote != 0 && c == quote:
				quote = 0
				continue
			default:
				b.WriteByte(c)
				continue
			}
			break
		}
		if quote != 0 {
			return args, false
		}
		args = append(args, b.String())
	}
	return args, true
}

// restOf returns the argument of a keyword that takes the rest of the
// line. VersionAddendum alone stops at a comment.
func restOf(keyword, rest string) string {
	if keyword == "versionaddendum" {
		if i := strings.IndexByte(rest, '#'); i >= 0 {
			rest = strings.TrimRight(rest[:i], " \t")
		}
	}
	return rest
}

// check returns what sshd would say of the arguments of a known keyword,
// or "".
func check(in *Info, args []string) string {
	if in.Mode == Ignored || in.Kind == Rest {
		return ""
	}
	if len(args) == 0 {
		return "missing argument"
	}
	var ok bool
	switch in.Kind {
	case Flag:
		_, ok = flagChoices[strings.ToLower(args[0])]
	case Choice:
		_, ok = in.Choices[strings.ToLower(args[0])]
	case Int:
		var n int
		n, ok = atoi(args[0])
		if in.Name == "Port" {
			ok = ok && n > 0 && n < 65536
		}
	case Time:
		_, ok = Seconds(args[0])
		ok = ok || in.Default[0] == "none" && strings.EqualFold(args[0], "none")
	case List:
		ok = args[0] != "" && args[0] != "+" && args[0] != "-" && args[0] != "^"
	default:
		return ""
	}
	if !ok {
		return "unsupported value " + strconv.Quote(args[0])
	}
	if len(args) > 1 {
		return "extra arguments at end of line"
	}
	return ""
}

// atoi parses a decimal number that fits an int32, as sshd's atoi_err
// does.
func atoi(s string) (int, bool) {
	n, err := strconv.ParseInt(s, 10, 32)
	return int(n), err == nil
}

// Seconds converts an sshd time value ("90", "2m", "1h30m", units s, m, h,
// d and w in either case) to seconds.
func Seconds(s string) (int, bool) {
	if s == "" {
		return 0, false
	}
	total := 0
	for s != "" {
		i := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i == 0 || i > 9 {
			return 0, false
		}
		n, _ := strconv.Atoi(s[:i])
		s = s[i:]
		mult := 1
		if s != "" {
			switch s[0] {
			case 's', 'S':
			case 'm', 'M':
				mult = 60
			case 'h', 'H':
				mult = 3600
			case 'd', 'D':
				mult = 86400
			case 'w', 'W':
				mult = 604800
			default:
				return 0, false
			}
			s = s[1:]
		}
		total += n * mult
		if total > 1<<31-1 {
			return 0, false
		}
	}
	return total, true
}

// parseMatch reads the criteria of a Match line. words are the words of
// the line as sshd splits them; err is what is wrong with the line, or "".
// A Match line in error has no criteria, and so never applies.
func parseMatch(rest string) (m *Match, words []string, err string) {
	m = &Match{}
	words = strdelimAll(rest)
	var crit []Criterion
	for i := 0; i < len(words); i++ {
		w := words[i]
		if strings.HasPrefix(w, "#") {
			words = words[:i]
			break
		}
		attr := strings.ToLower(w)
		if attr == AttrAll {
			if len(crit) > 0 || i+1 < len(words) && !strings.HasPrefix(words[i+1], "#") {
				return m, words, "'all' cannot be combined with other Match attributes"
			}
			crit = append(crit, Criterion{Attr: AttrAll})
			words = words[:i+1]
			break
		}
		if _, ok := attrNames[attr]; !ok {
			return m, words, "unsupported Match attribute " + strconv.Quote(w)
		}
		if i+1 >= len(words) || strings.HasPrefix(words[i+1], "#") {
			return m, words, "missing Match criteria for " + w
		}
		i++
		list := words[i]
		switch attr {
		case AttrAddress, AttrLocalAddress:
			if !validAddrList(list) {
				return m, words, "invalid Match " + w + " argument " + strconv.Quote(list)
			}
		case AttrLocalPort:
			if n, ok := atoi(list); !ok || n <= 0 || n > 65535 {
				return m, words, "invalid LocalPort " + strconv.Quote(list)
			}
		}
		crit = append(crit, Criterion{Attr: attr, Patterns: list})
	}
	if len(crit) == 0 {
		return m, words, "one or more attributes required for Match"
	}
	m.Criteria = crit
	return m, words, ""
}

// strdelimAll splits a Match line into words as sshd's strdelim does:
// blanks separate words, one '=' may stand between two, and double quotes
// group a word. An unclosed quote ends the words.
func strdelimAll(s string) []string {
	var out []string
	for s != "" {
		i := strings.IndexAny(s, " \t\r\n\"=")
		if i < 0 {
			return append(out, s)
		}
		if s[i] == '"' {
			j := strings.IndexByte(s[i+1:], '"')
			if j < 0 {
				return out
			}
			out = append(out, s[:i]+s[i+1:i+1+j])
			s = strings.TrimLeft(s[i+1+j+1:], " \t\r\n")
			continue
		}
		word := s[:i]
		eq := s[i] == '='
		s = strings.TrimLeft(s[i+1:], " \t\r\n")
		if !eq && strings.HasPrefix(s, "=") {
			s = strings.TrimLeft(s[1:], " \t\r\n")
		}
		if word == "" {
			return out
		}
		out = append(out, word)
	}
	return out
}
