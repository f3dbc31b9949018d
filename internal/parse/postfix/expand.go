package postfix

import "strings"

// maxExpand bounds the length of an expansion, so that parameters that
// refer to each other many times over cannot make one grow without end.
// A longer expansion is cut at this length.
const maxExpand = 1 << 20

// maxDepth bounds how deeply references are followed.
const maxDepth = 100

// maxSteps bounds how many references one expansion follows, so that
// references to empty values cannot make it run without end either.
const maxSteps = 1 << 20

// Expand replaces the parameter references in value as Postfix does,
// recursively, with the values of the file (the last definition of each
// parameter) or, failing that, of Defaults:
//
//	$name, ${name}, $(name)       the value of name
//	${name?text}, ${name?{text}}  text if name is not empty, else nothing
//	${name:text}, ${name:{text}}  text if name is empty, else nothing
//	${name?{text1}:{text2}}       text1 if name is not empty, else text2
//	$$                            a literal $
//
// A reference to a parameter defined nowhere, or one met again while it is
// being expanded (a loop), is left as written, so that host-dependent
// values such as $myhostname stay visible; so are references nested more
// than 100 deep. The conditional forms test the value as written, before
// expansion, and an undefined parameter counts as empty. The comparison
// forms of Postfix 3.0 (${{$a} == {b} ? {x} : {y}}) and other forms
// Expand does not know are left as written. An expansion longer than
// 1 MiB is cut there.
func (f *File) Expand(value string) string {
	vals := make(map[string]string, len(f.Params)+len(f.Defaults))
	for k, v := range f.Defaults {
		vals[k] = v
	}
	for _, p := range f.Params {
		vals[p.Name] = p.Value
	}
	e := &expander{vals: vals, active: map[string]bool{}}
	e.expand(value, 0)
	return e.out.String()
}

// expander holds the state of one Expand.
type expander struct {
	vals   map[string]string
	active map[string]bool // names being expanded
	out    strings.Builder
	steps  int  // references followed
	full   bool // the output reached maxExpand, or steps maxSteps
}

// write appends s to the output, or as much of it as fits in maxExpand.
func (e *expander) write(s string) {
	if e.full {
		return
	}
	if room := maxExpand - e.out.Len(); len(s) > room {
		s = s[:room]
		e.full = true
	}
	e.out.WriteString(s)
}

// expand writes the expansion of s.
func (e *expander) expand(s string, depth int) {
	for i := 0; i < len(s) && !e.full; {
		j := strings.IndexByte(s[i:], '$')
		if j < 0 {
			e.write(s[i:])
			return
		}
		e.write(s[i : i+j])
		i += j
		n := e.reference(s[i:], depth)
		i += n
	}
}

// reference writes the expansion of the reference at the start of s, which
// starts with '$', and returns how many bytes of s it took.
func (e *expander) reference(s string, depth int) int {
	if e.steps++; e.steps > maxSteps {
		e.full = true
		return len(s)
	}
	if len(s) < 2 {
		e.write(s)
		return len(s)
	}
	switch c := s[1]; {
	case c == '$':
		e.write("$")
		return 2
	case c == '{' || c == '(':
		closer := byte('}')
		if c == '(' {
			closer = ')'
		}
		end := matching(s, 1, c, closer)
		if end < 0 {
			e.write(s)
			return len(s)
		}
		if !e.braced(s[2:end], s[:end+1], depth) {
			e.write(s[:end+1])
		}
		return end + 1
	case isParamByte(c):
		end := 1
		for end < len(s) && isParamByte(s[end]) {
			end++
		}
		e.named(s[1:end], s[:end], depth)
		return end
	default:
		e.write("$")
		return 1
	}
}

// named writes the value of the parameter name, or the reference as
// written when it is undefined, looping or too deep.
func (e *expander) named(name, written string, depth int) {
	v, ok := e.vals[name]
	if !ok || e.active[name] || depth >= maxDepth {
		e.write(written)
		return
	}
	e.active[name] = true
	e.expand(v, depth+1)
	delete(e.active, name)
}

// braced writes the expansion of the text inside ${...} or $(...),
// given with the reference as written, and reports true, or reports false
// for a form it does not know.
func (e *expander) braced(in, written string, depth int) bool {
	end := 0
	for end < len(in) && isParamByte(in[end]) {
		end++
	}
	if end == 0 {
		return false
	}
	name, rest := in[:end], in[end:]
	if rest == "" {
		e.named(name, written, depth)
		return true
	}
	op := rest[0]
	if op != '?' && op != ':' {
		return false
	}
	text, other, hasOther, ok := conditional(rest[1:], op)
	if !ok {
		return false
	}
	if depth >= maxDepth {
		return false
	}
	set := e.isSet(name)
	switch {
	case op == '?' && set, op == ':' && !set:
		e.expand(text, depth+1)
	case hasOther:
		e.expand(other, depth+1)
	}
	return true
}

// conditional splits the text after '?' or ':' into the text to use and,
// for "?{text1}:{text2}", the text for the other case.
func conditional(s string, op byte) (text, other string, hasOther, ok bool) {
	if s == "" || s[0] != '{' {
		return s, "", false, true
	}
	end := matching(s, 0, '{', '}')
	if end < 0 {
		return "", "", false, false
	}
	text, rest := s[1:end], strings.TrimLeft(s[end+1:], " \t")
	if rest == "" {
		return text, "", false, true
	}
	if op != '?' || rest[0] != ':' {
		return "", "", false, false
	}
	rest = strings.TrimLeft(rest[1:], " \t")
	if rest == "" || rest[0] != '{' {
		return "", "", false, false
	}
	end = matching(rest, 0, '{', '}')
	if end != len(rest)-1 {
		return "", "", false, false
	}
	return text, rest[1:end], true, true
}

// isSet reports whether the parameter name has a non-empty value. Like
// Postfix, it looks at the value as written, before expansion.
func (e *expander) isSet(name string) bool { return e.vals[name] != "" }

// matching returns the index of the bracket that closes the one at
// s[open], counting nested pairs of the same kind, or -1.
func matching(s string, open int, opener, closer byte) int {
	level := 0
	for i := open; i < len(s); i++ {
		switch s[i] {
		case opener:
			level++
		case closer:
			level--
			if level == 0 {
				return i
			}
		}
	}
	return -1
}

// isParamByte reports a character of a parameter name.
func isParamByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
}
