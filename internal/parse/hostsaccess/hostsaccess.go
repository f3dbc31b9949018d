// Package hostsaccess reads /etc/hosts.allow and /etc/hosts.deny, the
// access control files of TCP wrappers (libwrap, tcpd), as hosts_access(5)
// and hosts_options(5) describe them, and decides from them whether a
// client may reach a wrapped daemon.
//
// Each rule is a line
//
//	daemon_list : client_list [ : option : option ... ]
//
// whose lists hold patterns separated by blanks or commas, with EXCEPT
// between a list and its exceptions:
//
//	sshd : 10.0.0.0/255.0.0.0 LOCAL .example.com EXCEPT bad.example.com
//	in.ftpd : ALL : spawn /usr/bin/logger ftp from %a : deny
//	ALL : [2001:db8::]/32, 192.168.
//
// A backslash at the end of a line joins it to the next; a line whose
// first character is '#' is a comment. Every physical line is kept so that
// a rule can be reported at, and edited on, its own line.
package hostsaccess

import (
	"io"
	"strings"

	"bastion/internal/parse"
)

// Option is one option of a rule, from hosts_options(5).
type Option struct {
	// Name is the option's keyword in lower case: allow, deny, spawn,
	// twist, severity, ...
	Name string
	// Value is the option's value with blanks around it removed and "\:"
	// read as ":"; "" when there is none.
	Value string
}

// Rule is one access control rule.
type Rule struct {
	// Line is the 1-based number of the rule's first physical line.
	Line int
	// LastLine is the number of its last physical line, after
	// backslash continuations.
	LastLine int
	// Daemons holds the patterns of the daemon list as written, EXCEPT
	// included.
	Daemons []string
	// Clients holds the patterns of the client list as written, EXCEPT
	// included.
	Clients []string
	// Options holds the options after the client list.
	Options []Option
	// BadOptions reports an option TCP wrappers refuse (an unknown
	// keyword, a missing or extra value, allow, deny or twist before
	// another option). When such a rule matches, the wrappers log the
	// error and deny service.
	BadOptions bool
}

// File is a parsed hosts.allow or hosts.deny.
type File struct {
	// Name is the name the file was parsed under, used in error messages
	// and in the locations Allowed returns.
	Name string
	// Lines holds every physical line as read, without line endings.
	Lines []string
	// Rules holds the rules in file order.
	Rules []Rule
}

// Bytes returns the file's text: its lines, each ended by a newline.
func (f *File) Bytes() []byte { return parse.JoinLines(f.Lines) }

// sep holds the characters that separate the patterns of a list.
const sep = ", \t\r\n"

// options maps the keywords of hosts_options(5) to what they take.
var options = map[string]struct {
	needValue, allowValue, last bool
}{
	"allow":     {last: true},
	"deny":      {last: true},
	"twist":     {needValue: true, allowValue: true, last: true},
	"spawn":     {needValue: true, allowValue: true},
	"aclexec":   {needValue: true, allowValue: true},
	"severity":  {needValue: true, allowValue: true},
	"setenv":    {needValue: true, allowValue: true},
	"user":      {needValue: true, allowValue: true},
	"group":     {needValue: true, allowValue: true},
	"umask":     {needValue: true, allowValue: true},
	"linger":    {needValue: true, allowValue: true},
	"banners":   {needValue: true, allowValue: true},
	"keepalive": {},
	"rfc931":    {allowValue: true},
	"nice":      {allowValue: true},
}

// Parse reads a hosts.allow or hosts.deny file the way TCP wrappers do,
// and reports as "name:line: what is wrong" what they would warn about or
// silently get wrong:
//
//   - a rule without the ":" after its daemon list, or with an empty
//     list (such a rule is left out: it never matches);
//   - a last line without a newline, which TCP wrappers ignore (it is
//     left out too);
//   - a '#' after leading blanks, which is not a comment but a rule;
//   - EXCEPT with nothing before or after it;
//   - a net/mask, [address]/length or address pattern that is malformed
//     or, having bits outside its mask, matches nothing;
//   - an option that is unknown, lacks or has a needless value, or comes
//     after allow, deny or twist (the rule is kept, with BadOptions set).
//
// The File holds every rule TCP wrappers would use, in order. A file that
// cannot be read gives a nil File.
func Parse(r io.Reader, name string) (*File, error) {
	data, err := parse.ReadAll(r, name)
	if err != nil {
		return nil, err
	}
	lines := parse.SplitLines(data)
	f := &File{Name: name, Lines: lines}
	var errs parse.Errors
	// TCP wrappers read a line only when it ends in a newline.
	complete := len(data) > 0 && data[len(data)-1] == '\n'
	for i := 0; i < len(lines); i++ {
		first := i + 1
		text := lines[i]
		// A backslash before the newline joins the next line, as
		// the wrappers' line reader does before looking at comments.
		for strings.HasSuffix(text, `\`) && i+1 < len(lines) {
			text = text[:len(text)-1] + lines[i+1]
			i++
		}
		last := i + 1
		if strings.Trim(text, sep) == "" || text[0] == '#' {
			continue
		}
		if last == len(lines) && (!complete || strings.HasSuffix(text, `\`)) {
			errs.Add(name, first, "last line has no newline: TCP wrappers ignore it")
			continue
		}
		rule, ok := parseRule(text, name, first, &errs)
		if !ok {
			continue
		}
		rule.LastLine = last
		f.Rules = append(f.Rules, rule)
	}
	return f, errs.Err()
}

// parseRule reads the logical line text, which starts at line n.
func parseRule(text, name string, n int, errs *parse.Errors) (Rule, bool) {
	daemons, rest, ok := splitAt(text, ':')
	if !ok {
		errs.Add(name, n, "missing \":\" separator")
		return Rule{}, false
	}
	clients, opts, hasOpts := splitAt(rest, ':')
	r := Rule{Line: n, Daemons: tokens(daemons), Clients: tokens(clients)}
	if len(r.Daemons) == 0 {
		errs.Add(name, n, "empty daemon list")
		return Rule{}, false
	}
	if len(r.Clients) == 0 {
		errs.Add(name, n, "empty client list")
		return Rule{}, false
	}
	if t := strings.TrimLeft(text, " \t"); t[0] == '#' {
		errs.Add(name, n, "'#' after leading blanks starts a rule, not a comment")
	}
	checkExcept(r.Daemons, "daemon", name, n, errs)
	checkExcept(r.Clients, "client", name, n, errs)
	// Host patterns are the client patterns and the part after '@' of
	// daemon@host and user@host patterns.
	for i, list := range [][]string{r.Daemons, r.Clients} {
		for _, tok := range list {
			host, found := tok, i == 1
			if _, h, ok := splitAt(tok[1:], '@'); ok {
				host, found = h, true
			}
			if !found {
				continue
			}
			if msg := checkHost(host); msg != "" {
				errs.Add(name, n, "%s", msg)
			}
		}
	}
	if hasOpts {
		r.Options, r.BadOptions = parseOptions(opts, name, n, errs)
	}
	return r, true
}

// splitAt cuts s at the first sep outside square brackets, which protect
// the colons of IPv6 addresses.
func splitAt(s string, sep byte) (before, after string, found bool) {
	depth := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '[':
			depth++
		case ']':
			depth--
		case sep:
			if depth == 0 {
				return s[:i], s[i+1:], true
			}
		}
	}
	return s, "", false
}

// tokens splits a list into its patterns.
func tokens(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(sep, r) })
}

// isExcept reports the EXCEPT operator, which the wrappers match without
// regard to case.
func isExcept(tok string) bool { return strings.EqualFold(tok, "EXCEPT") }

func checkExcept(list []string, what, name string, n int, errs *parse.Errors) {
	for i, tok := range list {
		if !isExcept(tok) {
			continue
		}
		if i == 0 || isExcept(list[i-1]) {
			errs.Add(name, n, "EXCEPT with nothing before it in the %s list", what)
		}
		if i == len(list)-1 {
			errs.Add(name, n, "EXCEPT with nothing after it in the %s list", what)
		}
	}
}

// parseOptions reads the options after the client list, reporting what
// the wrappers would refuse.
func parseOptions(s, name string, n int, errs *parse.Errors) ([]Option, bool) {
	fields := optionFields(s)
	var out []Option
	bad := false
	fail := func(format string, args ...any) {
		errs.Add(name, n, format, args...)
		bad = true
	}
	if k := len(fields) - 1; k > 0 && strings.Trim(fields[k], " \t\r\n") == "" {
		fail("':' at the end of the options")
		fields = fields[:k]
	}
	for i, field := range fields {
		field = strings.Trim(field, " \t\r\n")
		if field == "" {
			fail("empty option")
			continue
		}
		key, value := field, ""
		if j := strings.IndexAny(field, " \t\r\n="); j >= 0 {
			key = field[:j]
			value = strings.TrimLeft(field[j:], " \t\r\n")
			// One '=' between keyword and value is allowed.
			if strings.HasPrefix(value, "=") {
				value = strings.TrimLeft(value[1:], " \t\r\n")
			}
		}
		key = strings.ToLower(key)
		spec, known := options[key]
		switch {
		case !known:
			fail("unknown option %q", clip(key))
			continue
		case value == "" && spec.needValue:
			fail("option %s needs a value", key)
		case value != "" && !spec.allowValue:
			fail("option %s takes no value", key)
		case spec.last && i < len(fields)-1:
			fail("option %s must be the last", key)
		}
		out = append(out, Option{Name: key, Value: value})
	}
	return out, bad
}

// optionFields splits the options at each ':' not preceded by a
// backslash, and reads "\:" as ":".
func optionFields(s string) []string {
	var out []string
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '\\' && i+1 < len(s) && s[i+1] == ':':
			b.WriteByte(':')
			i++
		case s[i] == ':':
			out = append(out, b.String())
			b.Reset()
		default:
			b.WriteByte(s[i])
		}
	}
	return append(out, b.String())
}

// clip shortens s for an error message.
func clip(s string) string {
	const max = 60
	if len(s) <= max {
		return s
	}
	return s[:max] + "..."
}
