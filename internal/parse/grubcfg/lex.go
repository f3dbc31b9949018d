package grubcfg

import (
	"strings"

	"bastion/internal/parse"
)

// tokKind says what a token is.
type tokKind int

const (
	tWord  tokKind = iota // a word, quotes removed
	tSep                  // ';' or an unquoted newline
	tOpen                 // an unquoted '{'
	tClose                // an unquoted '}'
)

// token is one word or operator, with the line it starts on.
type token struct {
	kind tokKind
	text string
	line int
}

// lex splits a script into tokens. Problems (an unterminated quote) are
// reported through bad with the line they start on; the rest of the text
// then ends the word, as far as the caller can tell.
func lex(s string, bad func(line int, msg string)) []token {
	var toks []token
	line := 1
	i := 0
	for i < len(s) {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\r':
			i++
		case c == '\n':
			toks = append(toks, token{tSep, "", line})
			line++
			i++
		case c == ';':
			toks = append(toks, token{tSep, ";", line})
			i++
		case c == '{':
			toks = append(toks, token{tOpen, "{", line})
			i++
		case c == '}':
			toks = append(toks, token{tClose, "}", line})
			i++
		case c == '#':
			// A comment runs to the end of the line.
			for i < len(s) && s[i] != '\n' {
				i++
			}
		case c == '\\' && i+1 < len(s) && s[i+1] == '\n':
			// A backslash-newline joins two lines.
			line++
			i += 2
		default:
			var w string
			start := line
			w, i, line = word(s, i, line, bad)
			toks = append(toks, token{tWord, w, start})
		}
	}
	return toks
}

// word reads one word starting at s[i] and returns it with quotes and
// escapes removed, the offset after it and the line it ends on.
func word(s string, i, line int, bad func(int, string)) (string, int, int) {
	var b strings.Builder
	for i < len(s) {
		c := s[i]
		switch c {
		case ' ', '\t', '\r', '\n', ';', '{', '}':
			return b.String(), i, line
		case '\\':
			switch {
			case i+1 >= len(s):
				b.WriteByte(c)
				i++
			case s[i+1] == '\n':
				line++
				i += 2
			default:
				b.WriteByte(s[i+1])
				i += 2
			}
		case '\'':
			end := strings.IndexByte(s[i+1:], '\'')
			if end < 0 {
				bad(line, "unterminated single quote")
				rest := s[i+1:]
				b.WriteString(rest)
				return b.String(), len(s), line + strings.Count(rest, "\n")
			}
			q := s[i+1 : i+1+end]
			b.WriteString(q)
			line += strings.Count(q, "\n")
			i += end + 2
		case '"':
			var closed bool
			open := line
			i++
			for i < len(s) && !closed {
				switch d := s[i]; {
				case d == '"':
					closed = true
					i++
				case d == '\\' && i+1 < len(s) && strings.IndexByte("$\"\\\n", s[i+1]) >= 0:
					if s[i+1] == '\n' {
						line++
					} else {
						b.WriteByte(s[i+1])
					}
					i += 2
				default:
					if d == '\n' {
						line++
					}
					b.WriteByte(d)
					i++
				}
			}
			if !closed {
				bad(open, "unterminated double quote")
			}
		case '$':
			// "${name}" is one word whatever its braces.
			if i+1 < len(s) && s[i+1] == '{' {
				if end := strings.IndexAny(s[i+2:], "}\n"); end >= 0 && s[i+2+end] == '}' {
					b.WriteString(s[i : i+3+end])
					i += end + 3
					continue
				}
			}
			b.WriteByte(c)
			i++
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String(), i, line
}

// block is an open block with the line that opened it.
type block struct {
	kind string
	line int
}

// parser turns tokens into commands, tracking the blocks they are in.
type parser struct {
	f      *File
	errs   parse.Errors
	blocks []block
	words  []token
}

// closers maps a keyword that closes a block to the blocks it may close.
var closers = map[string][]string{
	"fi":   {"if"},
	"done": {"for", "while", "until"},
	"esac": {"case"},
}

// openers are the keywords that open a block closed by a keyword.
var openers = map[string]bool{"if": true, "for": true, "while": true, "until": true, "case": true}

// run reads every token, then reports the blocks left open.
func (p *parser) run(toks []token) {
	for _, t := range toks {
		switch t.kind {
		case tWord:
			p.words = append(p.words, t)
		case tSep:
			p.end(t.line)
		case tOpen:
			name := p.end(t.line)
			switch name {
			case "menuentry", "submenu", "function":
			default:
				name = "group"
			}
			p.blocks = append(p.blocks, block{name, t.line})
		case tClose:
			p.end(t.line)
			if n := len(p.blocks); n > 0 && !openers[p.blocks[n-1].kind] {
				p.blocks = p.blocks[:n-1]
			} else {
				p.errs.Add(p.f.Name, t.line, "'}' closes no block")
			}
		}
	}
	p.end(0)
	for _, b := range p.blocks {
		p.errs.Add(p.f.Name, b.line, "%s block opened here is not closed", b.kind)
	}
}

// end closes the command of the words read so far, if any, and returns
// its name. line is where the command ended, or 0 for its last word.
func (p *parser) end(line int) string {
	words := p.words
	p.words = p.words[:0]
	// Keywords that only join parts of a compound command come before
	// the command they introduce.
	for len(words) > 0 {
		w := words[0].text
		if w == "then" || w == "else" || w == "do" || w == "!" {
			words = words[1:]
			continue
		}
		if kinds, ok := closers[w]; ok {
			p.close(w, kinds, words[0].line)
			words = words[1:]
			continue
		}
		break
	}
	if len(words) == 0 {
		return ""
	}
	c := Command{Line: words[0].line, EndLine: words[len(words)-1].line, Name: words[0].text}
	if line > c.EndLine {
		// A separator on a later line means a word spanned lines.
		c.EndLine = line
	}
	for _, w := range words[1:] {
		c.Args = append(c.Args, w.text)
	}
	if eq := strings.IndexByte(c.Name, '='); eq > 0 && isName(c.Name[:eq]) {
		c.Args = append([]string{c.Name}, c.Args...)
		c.Name = "set"
	}
	for _, b := range p.blocks {
		c.In = append(c.In, b.kind)
	}
	p.f.Commands = append(p.f.Commands, c)
	if openers[c.Name] {
		p.blocks = append(p.blocks, block{c.Name, c.Line})
	}
	return c.Name
}

// close pops the innermost block when the keyword w closes it.
func (p *parser) close(w string, kinds []string, line int) {
	if n := len(p.blocks); n > 0 {
		for _, k := range kinds {
			if p.blocks[n-1].kind == k {
				p.blocks = p.blocks[:n-1]
				return
			}
		}
	}
	p.errs.Add(p.f.Name, line, "%q closes no %s", w, kinds[0])
}
