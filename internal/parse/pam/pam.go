// Package pam reads Linux-PAM configuration: a service file of /etc/pam.d
// and the older single file /etc/pam.conf.
//
// A service file holds one rule a line,
//
//	type  control  module  arguments...
//
// and pam.conf the same with the service's name first. The text is read as
// libpam reads it, so that bastion judges the stack PAM actually runs:
//
//   - A '#' anywhere starts a comment that runs to the end of the line,
//     even inside a bracketed control or argument.
//   - A line whose last character other than blanks is a backslash goes on
//     to the next line, the backslash standing for a blank; a line holding
//     a '#' never goes on. The rule takes the number of its first line.
//   - Words are split at blanks and tabs, except that a word starting with
//     '[' runs to the next ']' (blanks included, "\]" standing for ']') and
//     loses its brackets: "[success=1 default=ignore]" is one word, and so
//     is an argument such as "[query=select ...]".
//   - The type may carry a leading '-' (do not log a missing module); type
//     and control keywords are compared ignoring case.
//
// Debian's "@include name" lines, which read another file in place, are
// kept in order with the rules (see File.Items).
package pam

import (
	"fmt"
	"io"
	"strings"

	"bastion/internal/parse"
)

// Rule is one line of a PAM stack.
type Rule struct {
	// Line is the number of the rule's first line.
	Line int
	// Service is the first field of a pam.conf line; "" in a pam.d file,
	// whose name is the service. PAM compares it ignoring case.
	Service string
	// Type is "auth", "account", "password" or "session", in lower case
	// whatever case it was written in.
	Type string
	// Optional reports a type written with a leading '-': PAM skips the
	// rule silently when its module is missing.
	Optional bool
	// Control is a keyword in lower case ("required", "requisite",
	// "sufficient", "optional", "include", "substack"), or the
	// value=action form in brackets with one blank between pairs and
	// none around '=': "[success=1 default=ignore]". PAM also takes the
	// pairs without brackets; they are given here in brackets all the
	// same.
	Control string
	// Module is the module as written: "pam_unix.so" or
	// "/lib/security/pam_pwquality.so"; for include and substack the
	// name of the file read in its place.
	Module string
	// Args are the module's arguments as written, a bracketed argument
	// as one without its brackets.
	Args []string
}

// Include is an "@include name" line (Debian), which reads the rules of
// another file of /etc/pam.d in its place.
type Include struct {
	Line int
	Name string
}

// Item is one rule or @include line; exactly one of its fields is set, and
// it points into File.Rules or File.Includes.
type Item struct {
	Rule    *Rule
	Include *Include
}

// File is a parsed PAM configuration file.
type File struct {
	Name     string
	Lines    []string
	Rules    []Rule
	Includes []Include
	// Items holds the rules and @include lines in file order: what an
	// @include brings in runs between the rules around it.
	Items []Item
}

// Parse reads a service file of /etc/pam.d. A line of an unknown type, an
// unknown or malformed control, or one that stops before its module is
// reported and left out; a '[' without its ']' in the arguments, or a
// backslash on the last line, is reported and the rule kept as PAM reads
// it.
func Parse(r io.Reader, name string) (*File, error) {
	return parseFile(r, name, false)
}

// ParseConf reads /etc/pam.conf, whose lines start with the service name;
// otherwise it is Parse.
func ParseConf(r io.Reader, name string) (*File, error) {
	return parseFile(r, name, true)
}

// Arg returns the value of a module argument "key=value", or "" for an
// argument "key" alone; ok is false when neither is present. When an
// argument is given twice the last one wins, as in most modules.
func (r Rule) Arg(key string) (value string, ok bool) {
	for _, a := range r.Args {
		switch {
		case a == key:
			value, ok = "", true
		case len(a) > len(key) && a[len(key)] == '=' && a[:len(key)] == key:
			value, ok = a[len(key)+1:], true
		}
	}
	return value, ok
}

// ModuleName returns the module's base name without directory or ".so":
// "pam_pwquality" for "/lib/security/pam_pwquality.so".
func (r Rule) ModuleName() string {
	m := r.Module[strings.LastIndexByte(r.Module, '/')+1:]
	return strings.TrimSuffix(m, ".so")
}

// kind is what a logical line added to the file, for File.Items.
type kind struct {
	include bool
	index   int
}

func parseFile(r io.Reader, name string, conf bool) (*File, error) {
	lines, err := parse.ReadLines(r, name)
	if err != nil {
		return nil, err
	}
	f := &File{Name: name, Lines: lines}
	var errs parse.Errors
	var order []kind
	logical, dangling := assemble(lines)
	for _, l := range logical {
		toks := tokenize(l.text)
		if len(toks) == 0 {
			continue
		}
		if !toks[0].bracketed && strings.HasPrefix(toks[0].text, "@") {
			inc, msg := include(toks)
			if msg != "" {
				errs.Add(name, l.line, "%s", msg)
				continue
			}
			inc.Line = l.line
			order = append(order, kind{include: true, index: len(f.Includes)})
			f.Includes = append(f.Includes, inc)
			continue
		}
		rule, msg, keep := parseRule(toks, conf)
		if msg != "" {
			errs.Add(name, l.line, "%s", msg)
		}
		if !keep {
			continue
		}
		rule.Line = l.line
		order = append(order, kind{index: len(f.Rules)})
		f.Rules = append(f.Rules, rule)
	}
	if dangling > 0 {
		errs.Add(name, dangling, "backslash at the end of the last line continues it past the end of the file")
	}
	// The slices are complete now, so pointers into them stay valid.
	for _, k := range order {
		if k.include {
			f.Items = append(f.Items, Item{Include: &f.Includes[k.index]})
		} else {
			f.Items = append(f.Items, Item{Rule: &f.Rules[k.index]})
		}
	}
	return f, errs.Err()
}

// logicalLine is a rule or directive after comments are cut and continued
// lines joined; line is the number of its first line.
type logicalLine struct {
	line int
	text string
}

// assemble cuts comments and joins continued lines as libpam does. It
// returns the non-blank logical lines and, when the last line of the file
// asks to be continued, the line to report that at (0 otherwise).
func assemble(lines []string) (out []logicalLine, dangling int) {
	var b strings.Builder
	start := 0
	pending := false
	for i, raw := range lines {
		text, cont := raw, false
		if h := strings.IndexByte(raw, '#'); h >= 0 {
			// A comment ends the logical line even after a
			// backslash.
			text = raw[:h]
		} else if t := strings.TrimRight(raw, " \t"); strings.HasSuffix(t, `\`) {
			text, cont = t[:len(t)-1]+" ", true
		}
		text = strings.TrimLeft(text, " \t")
		if text != "" {
			if b.Len() == 0 {
				start = i + 1
			}
			b.WriteString(text)
		}
		pending = cont
		if !cont && b.Len() > 0 {
			out = append(out, logicalLine{line: start, text: b.String()})
			b.Reset()
		}
	}
	if pending {
		dangling = len(lines)
		if b.Len() > 0 {
			dangling = start
			out = append(out, logicalLine{line: start, text: b.String()})
		}
	}
	return out, dangling
}

// token is a word of a logical line.
type token struct {
	text string
	// bracketed reports a word written in brackets, which text holds
	// without them; unclosed reports a '[' without its ']', the word
	// then running to the end of the line.
	bracketed, unclosed bool
}

// tokenize splits a logical line into words as libpam does: at blanks and
// tabs, a word that starts with '[' running to the first ']' that is not
// written "\]".
func tokenize(s string) []token {
	var out []token
	for {
		s = strings.TrimLeft(s, " \t")
		if s == "" {
			return out
		}
		if s[0] != '[' {
			end := strings.IndexAny(s, " \t")
			if end < 0 {
				end = len(s)
			}
			out = append(out, token{text: s[:end]})
			s = s[end:]
			continue
		}
		var b strings.Builder
		i := 1
		for ; i < len(s) && s[i] != ']'; i++ {
			if s[i] == '\\' && i+1 < len(s) && s[i+1] == ']' {
				i++
			}
			b.WriteByte(s[i])
		}
		t := token{text: b.String(), bracketed: true}
		if i >= len(s) {
			t.unclosed = true
			s = ""
		} else {
			s = s[i+1:]
		}
		out = append(out, t)
	}
}

// include parses an "@include name" line.
func include(toks []token) (Include, string) {
	if d := toks[0].text; !strings.EqualFold(d, "@include") {
		return Include{}, fmt.Sprintf("unknown directive %q", d)
	}
	if len(toks) < 2 || toks[1].text == "" {
		return Include{}, "@include without a file name"
	}
	return Include{Name: toks[1].text}, ""
}

// types are the four management groups a rule can belong to.
var types = map[string]bool{"auth": true, "account": true, "password": true, "session": true}

// parseRule parses the words of a rule. msg says what is wrong, if
// anything; keep reports whether the rule is still worth returning.
func parseRule(toks []token, conf bool) (r Rule, msg string, keep bool) {
	i := 0
	if conf {
		if r.Service = toks[0].text; r.Service == "" {
			return Rule{}, "empty service name", false
		}
		i = 1
	}
	// Only the last word can be unclosed, as it runs to the end of the
	// line. In the arguments the rule stands as PAM reads it; earlier
	// the line is too broken to guess at.
	unclosed := toks[len(toks)-1].unclosed
	if unclosed && len(toks)-1 < i+3 {
		return Rule{}, `"[" without a closing "]"`, false
	}
	if i >= len(toks) {
		return Rule{}, "missing type", false
	}
	typ := toks[i].text
	i++
	t := strings.ToLower(strings.TrimPrefix(typ, "-"))
	if !types[t] {
		return Rule{}, fmt.Sprintf("unknown type %q", typ), false
	}
	r.Type, r.Optional = t, strings.HasPrefix(typ, "-")
	if i >= len(toks) {
		return Rule{}, "missing control", false
	}
	ctl, m := control(toks[i])
	i++
	if m != "" {
		return Rule{}, m, false
	}
	r.Control = ctl
	if i >= len(toks) {
		if ctl == "include" || ctl == "substack" {
			return Rule{}, fmt.Sprintf("%s without a file name", ctl), false
		}
		return Rule{}, "missing module", false
	}
	if r.Module = toks[i].text; r.Module == "" {
		return Rule{}, "empty module name", false
	}
	for _, a := range toks[i+1:] {
		r.Args = append(r.Args, a.text)
	}
	if unclosed {
		return r, fmt.Sprintf(`"[" without a closing "]" in the arguments of %s`, r.Module), true
	}
	return r, "", true
}

// keywords are the controls written as one word.
var keywords = map[string]bool{
	"required": true, "requisite": true, "sufficient": true, "optional": true,
	"include": true, "substack": true,
}

// returns are the return values a value=action control can name (libpam's
// list, "default" meaning every value not named).
var returns = map[string]bool{
	"success": true, "open_err": true, "symbol_err": true, "service_err": true,
	"system_err": true, "buf_err": true, "perm_denied": true, "auth_err": true,
	"cred_insufficient": true, "authinfo_unavail": true, "user_unknown": true,
	"maxtries": true, "new_authtok_reqd": true, "acct_expired": true,
	"session_err": true, "cred_unavail": true, "cred_expired": true,
	"cred_err": true, "no_module_data": true, "conv_err": true,
	"authtok_err": true, "authtok_recover_err": true, "authtok_lock_busy": true,
	"authtok_disable_aging": true, "try_again": true, "ignore": true,
	"abort": true, "authtok_expired": true, "module_unknown": true,
	"bad_item": true, "conv_again": true, "incomplete": true, "default": true,
}

// actions are the named actions; a positive number (skip that many rules)
// is one too.
var actions = map[string]bool{"ignore": true, "ok": true, "done": true, "bad": true, "die": true, "reset": true}

// control parses the control word: a keyword, or value=action pairs. A
// mistake in the pairs is an error, for libpam then treats every result of
// the module as a failure.
func control(t token) (string, string) {
	if k := strings.ToLower(t.text); keywords[k] {
		return k, ""
	}
	if !t.bracketed && !strings.Contains(t.text, "=") {
		return "", fmt.Sprintf("unknown control %q", t.text)
	}
	written := t.text
	if t.bracketed {
		written = "[" + t.text + "]"
	}
	words := strings.FieldsFunc(t.text, func(r rune) bool {
		return r == ' ' || r == '\t' || r == '\n' || r == '\v' || r == '\f' || r == '\r'
	})
	if len(words) == 0 {
		return "", fmt.Sprintf("empty control %q", written)
	}
	// libpam allows blanks around '=': join "a", "=", "b" into "a=b".
	var pairs []string
	for i := 0; i < len(words); i++ {
		p := words[i]
		for i+1 < len(words) && (strings.HasSuffix(p, "=") || strings.HasPrefix(words[i+1], "=")) {
			i++
			p += words[i]
		}
		pairs = append(pairs, p)
	}
	for _, p := range pairs {
		value, action, ok := strings.Cut(p, "=")
		switch {
		case !ok:
			return "", fmt.Sprintf("control %q: %q is not value=action", written, p)
		case !returns[value]:
			return "", fmt.Sprintf("control %q: unknown return value %q", written, value)
		case !actions[action] && !jump(action):
			return "", fmt.Sprintf("control %q: unknown action %q for %s", written, action, value)
		}
	}
	return "[" + strings.Join(pairs, " ") + "]", ""
}

// jump reports a positive decimal number, the number of rules to skip.
func jump(s string) bool {
	if s == "" || strings.Trim(s, "0") == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
