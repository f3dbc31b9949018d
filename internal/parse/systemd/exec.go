package systemd

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// ExecArgv returns the program and arguments of an ExecStart= value (or of
// any other Exec*= setting) as systemd splits it (systemd.service(5),
// "Command lines"): the special prefixes "@", "-", ":", "+", "!", "!!" and
// "|" are removed, words are split at spaces and tabs, double and single
// quotes group words, and backslash escapes (C style, "\s" for a space) are
// decoded. The first word is the program.
//
// With the "@" prefix the second word is only the name the program is
// given as argv[0]; it is left out, so the result is still the program
// followed by its arguments. A lone ";" ends the first command line;
// later command lines are not returned. Specifiers ("%i") and environment
// variables ("$OPTIONS") are kept as written. An empty value gives nil.
func ExecArgv(value string) []string {
	s := strings.Trim(value, space)
	argv0 := false
	for s != "" && strings.IndexByte("@-:+!|", s[0]) >= 0 {
		if s[0] == '@' {
			argv0 = true
		}
		s = s[1:]
	}
	var words []string
	for {
		w, raw, rest, ok := nextWord(s)
		if !ok || raw == ";" {
			break
		}
		words = append(words, w)
		s = rest
	}
	if argv0 && len(words) >= 2 {
		words = append(words[:1], words[2:]...)
	}
	return words
}

// nextWord splits the first word off s. It returns the decoded word, the
// word as written, and what follows it; ok is false when s holds no more
// words.
func nextWord(s string) (word, raw, rest string, ok bool) {
	i := 0
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	if i == len(s) {
		return "", "", "", false
	}
	start := i
	var b strings.Builder
	var quote byte
	for i < len(s) {
		c := s[i]
		switch {
		case quote == 0 && (c == ' ' || c == '\t'):
			return b.String(), s[start:i], s[i:], true
		case c == '\\':
			dec, n := unescape(s[i+1:])
			b.WriteString(dec)
			i += 1 + n
		case quote == 0 && (c == '"' || c == '\''):
			quote = c
			i++
		case quote != 0 && c == quote:
			quote = 0
			i++
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String(), s[start:], "", true
}

// unescape decodes the escape sequence that follows a backslash at the
// start of s, returning the text it stands for and how many bytes of s it
// used. An unknown escape stands for the character itself; a backslash at
// the very end stands for nothing.
func unescape(s string) (string, int) {
	if s == "" {
		return "", 0
	}
	switch c := s[0]; c {
	case 'a':
		return "\a", 1
	case 'b':
		return "\b", 1
	case 'f':
		return "\f", 1
	case 'n':
		return "\n", 1
	case 'r':
		return "\r", 1
	case 't':
		return "\t", 1
	case 'v':
		return "\v", 1
	case 's':
		return " ", 1
	case 'x':
		if len(s) >= 3 {
			if n, err := strconv.ParseUint(s[1:3], 16, 8); err == nil {
				return string([]byte{byte(n)}), 3
			}
		}
	case 'u', 'U':
		width := 4
		if c == 'U' {
			width = 8
		}
		if len(s) > width {
			if n, err := strconv.ParseUint(s[1:1+width], 16, 32); err == nil && utf8.ValidRune(rune(n)) {
				return string(rune(n)), 1 + width
			}
		}
	case '0', '1', '2', '3':
		if len(s) >= 3 {
			if n, err := strconv.ParseUint(s[:3], 8, 8); err == nil {
				return string([]byte{byte(n)}), 3
			}
		}
	}
	_, size := utf8.DecodeRuneInString(s)
	return s[:size], size
}
