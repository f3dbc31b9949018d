package syslogconf

import (
	"strings"
)

// maxSpan is the most lines one statement or string may span.
// Past it, an opening bracket or quote counts as never closed, which keeps
// the reading of a file full of unclosed brackets linear.
const maxSpan = 1000

// pos is a place in the file: a 0-based line index and a byte column.
type pos struct{ ln, col int }

// at returns the byte at q, '\n' at the end of a line, or 0 past the end
// of the file.
func (p *parser) at(q pos) byte {
	if q.ln >= len(p.lines) {
		return 0
	}
	if l := p.lines[q.ln]; q.col < len(l) {
		return l[q.col]
	}
	return '\n'
}

// skipBlank skips blanks and comments ('#' to the end of the line, and
// "/* ... */"). With multiline set it goes on past the ends of lines;
// otherwise it stops at the end of the line.
func (p *parser) skipBlank(q pos, multiline bool) pos {
	for q.ln < len(p.lines) {
		switch c := p.at(q); {
		case c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f':
			q.col++
		case c == '#':
			q.col = len(p.lines[q.ln])
		case c == '/' && p.at(pos{q.ln, q.col + 1}) == '*':
			q = p.skipCComment(q)
		case c == '\n' && multiline:
			q = pos{q.ln + 1, 0}
		default:
			return q
		}
	}
	return q
}

// skipCComment returns the place after the "*/" that closes the comment
// opening at q, or the end of the file.
func (p *parser) skipCComment(q pos) pos {
	start := q.ln
	q.col += 2
	for q.ln < len(p.lines) {
		l := p.lines[q.ln]
		if i := strings.Index(l[min(q.col, len(l)):], "*/"); i >= 0 {
			return pos{q.ln, q.col + i + 2}
		}
		q = pos{q.ln + 1, 0}
	}
	p.errorf(start+1, "unterminated /* comment")
	return pos{len(p.lines), 0}
}

// word returns the identifier at q and the place after it.
func (p *parser) word(q pos) (string, pos) {
	if q.ln >= len(p.lines) {
		return "", q
	}
	l := p.lines[q.ln]
	i := q.col
	for i < len(l) && (isLetter(l[i]) || l[i] == '_' || (i > q.col && isDigit(l[i]))) {
		i++
	}
	return l[q.col:i], pos{q.ln, i}
}

// balanced reads from the opening bracket at q to the one that closes it,
// across lines, skipping quoted strings and comments. It returns the text
// between the brackets with comments removed and line breaks made blanks,
// and the place after the closing bracket. A bracket that is never closed,
// or closed by the wrong one, is reported and ok is false.
func (p *parser) balanced(q pos) (inner string, end pos, ok bool) {
	type open struct {
		c  byte
		ln int
	}
	var stack []open
	var b strings.Builder
	cur := q
	for cur.ln < len(p.lines) && cur.ln-q.ln <= maxSpan {
		l := p.lines[cur.ln]
		if cur.col >= len(l) {
			b.WriteByte(' ')
			cur = pos{cur.ln + 1, 0}
			continue
		}
		c := l[cur.col]
		switch {
		case c == '"' || c == '\'':
			next, text, closed := p.quoted(cur)
			if !closed {
				p.errorf(cur.ln+1, "unterminated string")
				return "", cur, false
			}
			b.WriteString(text)
			cur = next
			continue
		case c == '#':
			cur.col = len(l)
			continue
		case c == '/' && cur.col+1 < len(l) && l[cur.col+1] == '*':
			cur = p.skipCComment(cur)
			b.WriteByte(' ')
			continue
		case c == '(' || c == '{' || c == '[':
			stack = append(stack, open{c, cur.ln})
			if len(stack) == 1 {
				cur.col++
				continue
			}
		case c == ')' || c == '}' || c == ']':
			want := map[byte]byte{')': '(', '}': '{', ']': '['}[c]
			top := stack[len(stack)-1]
			if top.c != want {
				p.errorf(cur.ln+1, "%c closes the %c opened at line %d", c, top.c, top.ln+1)
				return "", cur, false
			}
			stack = stack[:len(stack)-1]
			if len(stack) == 0 {
				return b.String(), pos{cur.ln, cur.col + 1}, true
			}
		}
		b.WriteByte(c)
		cur.col++
	}
	top := stack[len(stack)-1]
	p.errorf(top.ln+1, "%c is never closed", top.c)
	return "", cur, false
}

// quoted reads the string that opens at q, with backslash escapes, and
// returns the place after it, its text as written (quotes included, line
// breaks made blanks), and whether it was closed.
func (p *parser) quoted(q pos) (pos, string, bool) {
	quote := p.lines[q.ln][q.col]
	var b strings.Builder
	b.WriteByte(quote)
	cur := pos{q.ln, q.col + 1}
	for cur.ln < len(p.lines) && cur.ln-q.ln <= maxSpan {
		l := p.lines[cur.ln]
		if cur.col >= len(l) {
			b.WriteByte(' ')
			cur = pos{cur.ln + 1, 0}
			continue
		}
		c := l[cur.col]
		b.WriteByte(c)
		cur.col++
		switch {
		case c == '\\' && cur.col < len(l):
			b.WriteByte(l[cur.col])
			cur.col++
		case c == quote:
			return cur, b.String(), true
		}
	}
	return cur, "", false
}

// findWord returns the place after the first whole word w (any case) that
// follows q outside strings, comments and brackets.
func (p *parser) findWord(q pos, w string) (pos, bool) {
	cur := q
	for cur.ln < len(p.lines) && cur.ln-q.ln <= maxSpan {
		cur = p.skipBlank(cur, true)
		switch c := p.at(cur); {
		case c == 0:
			return cur, false
		case c == '"' || c == '\'':
			next, _, ok := p.quoted(cur)
			if !ok {
				return cur, false
			}
			cur = next
		case c == '(' || c == '[' || c == '{':
			_, next, ok := p.balanced(cur)
			if !ok {
				return cur, false
			}
			cur = next
		case isLetter(c) || c == '_':
			word, next := p.word(cur)
			if strings.EqualFold(word, w) {
				return next, true
			}
			cur = next
		default:
			cur.col++
		}
	}
	return cur, false
}

// skipTo returns the place after the first byte c outside strings,
// comments and brackets that follows q.
func (p *parser) skipTo(q pos, c byte) (pos, bool) {
	cur := q
	for cur.ln < len(p.lines) && cur.ln-q.ln <= maxSpan {
		cur = p.skipBlank(cur, true)
		switch b := p.at(cur); {
		case b == 0:
			return cur, false
		case b == c:
			return pos{cur.ln, cur.col + 1}, true
		case b == '"' || b == '\'':
			next, _, ok := p.quoted(cur)
			if !ok {
				return cur, false
			}
			cur = next
		case b == '(' || b == '[' || b == '{':
			_, next, ok := p.balanced(cur)
			if !ok {
				return cur, false
			}
			cur = next
		default:
			cur.col++
		}
	}
	return cur, false
}

// endLine is the 1-based line of the last byte before end, at most the
// last line of the file.
func (p *parser) endLine(end pos) int {
	l := end.ln + 1
	if end.col == 0 {
		l = end.ln
	}
	return min(l, len(p.lines))
}

// objects are the RainerScript objects bastion reads over without
// modelling them.
var objects = map[string]bool{
	"global": true, "main_queue": true, "parser": true, "lookup_table": true,
	"timezone": true, "dyn_stats": true, "percentile_stats": true,
	"ratelimit": true, "template": true, "ruleset": true,
	"reload_lookup_table": true,
}

// statement reads a RainerScript statement at q and returns the place
// after it.
func (p *parser) statement(q pos) pos {
	line := q.ln + 1
	next := pos{q.ln + 1, 0}
	c := p.at(q)
	switch {
	case c == '&':
		return p.shared(q, line)
	case c == '{':
		_, end, ok := p.balanced(q)
		if !ok {
			return next
		}
		p.block(line, end, "block")
		return end
	case !isLetter(c) && c != '_':
		p.errorf(line, "unrecognised line %s", quote(clip(p.lines[q.ln][q.col:])))
		return next
	}
	w, after := p.word(q)
	kw := strings.ToLower(w)
	switch kw {
	case "if":
		end, ok := p.skipIf(after)
		if !ok {
			p.errorf(line, "if without then")
			return next
		}
		p.block(line, end, "if")
		return end
	case "foreach":
		then, ok := p.findWord(after, "do")
		if !ok {
			p.errorf(line, "foreach without do")
			return next
		}
		end := p.skipBody(then)
		p.block(line, end, "foreach")
		return end
	case "set", "unset", "reset", "call_indirect":
		end, ok := p.skipTo(after, ';')
		if !ok {
			p.errorf(line, "%s without a closing ';'", kw)
			return next
		}
		p.block(line, end, kw)
		return end
	case "call":
		_, end := p.word(p.skipBlank(after, true))
		p.block(line, end, "call")
		return end
	case "stop":
		p.addRule(Rule{Line: line, EndLine: line, Action: w, Kind: KindDiscard, Ruleset: p.ruleset})
		return after
	case "continue":
		return after
	}
	open := p.skipBlank(after, true)
	if p.at(open) != '(' {
		p.errorf(line, "unrecognised line %s", quote(clip(p.lines[q.ln][q.col:])))
		return next
	}
	inner, end, ok := p.balanced(open)
	if !ok {
		return next
	}
	params, msg := parseParams(inner)
	if msg != "" {
		p.errorf(line, "%s(): %s", kw, msg)
		return end
	}
	p.last = -1
	switch kw {
	case "module":
		name := params["load"]
		if name == "" {
			p.errorf(line, "module() without load")
			return end
		}
		p.f.Modules = append(p.f.Modules, Module{Line: line, Name: moduleName(name), Params: params})
	case "input":
		in := Input{Line: line, Type: moduleName(params["type"]), Params: params}
		if in.Type == "" {
			p.errorf(line, "input() without type")
			return end
		}
		if v, ok := params["port"]; ok {
			n, msg := port(v)
			if msg != "" {
				p.errorf(line, "input(): %s", msg)
				return end
			}
			in.Port = n
		}
		p.f.Inputs = append(p.f.Inputs, in)
	case "include":
		if f := params["file"]; f != "" {
			p.f.Includes = append(p.f.Includes, Include{Line: line, Pattern: f,
				Optional: strings.EqualFold(params["mode"], "optional")})
		} else if _, ok := params["text"]; ok {
			p.block(line, end, "include")
		} else {
			p.errorf(line, "include() without file or text")
		}
	case "action":
		r := Rule{Line: line, EndLine: p.endLine(end), Ruleset: p.ruleset,
			Action: "action(" + strings.Join(strings.Fields(inner), " ") + ")"}
		if msg := r.scriptAction(params); msg != "" {
			p.errorf(line, "%s", msg)
			return end
		}
		p.addRule(r)
	default:
		if !objects[kw] {
			p.errorf(line, "unknown statement %s()", w)
			return end
		}
		if kw == "ruleset" || kw == "template" {
			if b := p.skipBlank(end, true); p.at(b) == '{' {
				if _, e, ok := p.balanced(b); ok {
					end = e
				} else {
					return pos{b.ln + 1, 0}
				}
			}
		}
		p.block(line, end, kw)
	}
	return end
}

func (p *parser) block(line int, end pos, kind string) {
	p.f.Blocks = append(p.f.Blocks, Block{Line: line, EndLine: max(line, p.endLine(end)), Kind: kind})
	p.last = -1
}

// skipIf reads over "if expr then body [else body]" from after the "if".
func (p *parser) skipIf(q pos) (pos, bool) {
	then, ok := p.findWord(q, "then")
	if !ok {
		return q, false
	}
	end := p.skipBody(then)
	e := p.skipBlank(end, true)
	if w, after := p.word(e); strings.EqualFold(w, "else") {
		b := p.skipBlank(after, true)
		if w, after := p.word(b); strings.EqualFold(w, "if") {
			return p.skipIf(after)
		}
		return p.skipBody(b), true
	}
	return end, true
}

// skipBody reads over what follows "then", "else" or "do": a block, an
// action(...) or other call, stop, or a legacy action to the end of the
// line.
func (p *parser) skipBody(q pos) pos {
	b := p.skipBlank(q, true)
	if p.at(b) == '{' {
		if _, end, ok := p.balanced(b); ok {
			return end
		}
		return pos{b.ln + 1, 0}
	}
	if w, after := p.word(b); w != "" {
		if o := p.skipBlank(after, true); p.at(o) == '(' {
			if _, end, ok := p.balanced(o); ok {
				return end
			}
			return pos{o.ln + 1, 0}
		}
		switch strings.ToLower(w) {
		case "stop", "continue":
			return after
		case "call":
			_, end := p.word(p.skipBlank(after, true))
			return end
		}
	}
	return pos{b.ln + 1, 0}
}

// parseParams parses the inside of a RainerScript object, name="value"
// pairs separated by blanks. Names are made lower case; a value is a
// quoted string, an array of them (["a", "b"], joined with ","), or a bare
// word.
func parseParams(s string) (map[string]string, string) {
	params := map[string]string{}
	i := 0
	skip := func() {
		for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == ',') {
			i++
		}
	}
	for {
		skip()
		if i >= len(s) {
			return params, ""
		}
		start := i
		for i < len(s) && (isLetter(s[i]) || isDigit(s[i]) || strings.IndexByte("_.:-", s[i]) >= 0) {
			i++
		}
		name := strings.ToLower(s[start:i])
		for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
			i++
		}
		if name == "" || i >= len(s) || s[i] != '=' {
			return nil, "want name=\"value\" at " + quote(clip(s[start:]))
		}
		i++
		for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
			i++
		}
		if i >= len(s) {
			return nil, name + " has no value"
		}
		switch s[i] {
		case '"', '\'':
			v, n := unquote(s[i:])
			if n < 0 {
				return nil, "unterminated value of " + name
			}
			params[name] = v
			i += n
		case '[':
			var vals []string
			i++
			for {
				for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == ',') {
					i++
				}
				if i >= len(s) {
					return nil, "unterminated array value of " + name
				}
				if s[i] == ']' {
					i++
					break
				}
				if s[i] != '"' && s[i] != '\'' {
					return nil, "array value of " + name + " holds something other than strings"
				}
				v, n := unquote(s[i:])
				if n < 0 {
					return nil, "unterminated value of " + name
				}
				vals = append(vals, v)
				i += n
			}
			params[name] = strings.Join(vals, ",")
		default:
			start := i
			for i < len(s) && s[i] != ' ' && s[i] != '\t' && s[i] != ',' {
				i++
			}
			params[name] = s[start:i]
		}
	}
}

// unquote reads the quoted string that starts s and returns its value and
// length, or -1 when it is not closed.
func unquote(s string) (string, int) {
	q := s[0]
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\' && i+1 < len(s):
			i++
			switch s[i] {
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			default:
				b.WriteByte(s[i])
			}
		case c == q:
			return b.String(), i + 1
		default:
			b.WriteByte(c)
		}
	}
	return "", -1
}
