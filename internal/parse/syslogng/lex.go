package syslogng

import (
	"strings"

	"bastion/internal/parse"
)

// tokKind says what a token is.
type tokKind int

const (
	tWord   tokKind = iota // a name, number or bare value
	tString                // a quoted string; text holds its value
	tPunct                 // one of { } ( ) ; ,
)

type token struct {
	kind tokKind
	text string
	line int
}

func (t token) is(punct string) bool { return t.kind == tPunct && t.text == punct }

// pragma is an "@name value" line.
type pragma struct {
	line        int
	name, value string
}

// lex splits the file into tokens and pragma lines. Comments run from '#'
// outside a string to the end of the line; strings may span lines.
func lex(lines []string, name string, errs *parse.Errors) ([]token, []pragma) {
	var toks []token
	var pragmas []pragma
	for ln := 0; ln < len(lines); ln++ {
		l := lines[ln]
		if t := strings.TrimLeft(l, " \t\r"); strings.HasPrefix(t, "@") {
			n, v, _ := strings.Cut(strings.TrimSpace(t[1:]), " ")
			if i := strings.IndexByte(n, '\t'); i >= 0 {
				n, v = n[:i], n[i+1:]+" "+v
			}
			pragmas = append(pragmas, pragma{line: ln + 1, name: strings.TrimSuffix(n, ":"), value: strings.TrimSpace(v)})
			continue
		}
		for i := 0; i < len(l); i++ {
			c := l[i]
			switch {
			case c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f':
			case c == '#':
				i = len(l)
			case strings.IndexByte("{}();,", c) >= 0:
				toks = append(toks, token{tPunct, string(c), ln + 1})
			case c == '"' || c == '\'':
				start := ln
				var b strings.Builder
				closed := false
				i++
				for !closed && ln < len(lines) {
					l = lines[ln]
					for ; i < len(l); i++ {
						ch := l[i]
						if ch == '\\' && c == '"' && i+1 < len(l) {
							i++
							switch l[i] {
							case 'n':
								b.WriteByte('\n')
							case 't':
								b.WriteByte('\t')
							default:
								b.WriteByte(l[i])
							}
							continue
						}
						if ch == c {
							closed = true
							break
						}
						b.WriteByte(ch)
					}
					if !closed {
						b.WriteByte('\n')
						ln++
						i = 0
					}
				}
				if !closed {
					errs.Add(name, start+1, "unterminated string")
					return toks, pragmas
				}
				toks = append(toks, token{tString, b.String(), start + 1})
			default:
				j := i
				for j < len(l) && !strings.ContainsRune(" \t\r\v\f#{}();,\"'", rune(l[j])) {
					j++
				}
				toks = append(toks, token{tWord, l[i:j], ln + 1})
				i = j - 1
			}
		}
	}
	return toks, pragmas
}
