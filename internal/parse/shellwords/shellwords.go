// Package shellwords splits POSIX shell command lines into words, the way
// the start-up files bastion reads hand them to a shell: the command field
// of inittab, the lines of rc.tcpip and rc.nfs.
//
// It removes quotes and backslash escapes but performs no expansion, so a
// word keeps "$x" and "${x}" as written; Expand substitutes known
// variables afterwards. Command substitutions (`...`, $(...)) and parameter
// expansions (${...}) are kept literally as parts of their word, with the
// quotes inside them untouched. Nothing here runs a shell.
package shellwords

import (
	"errors"
	"strings"
)

// Kind says what a Token is.
type Kind int

// The kinds of token.
const (
	// Word is a shell word; its Text has quotes and escapes removed.
	Word Kind = iota + 1
	// Operator is a control operator: ";", "&", "&&", "||", "|", ";;",
	// "(", ")" or a newline.
	Operator
	// Redirect is a redirection operator with its file-descriptor number,
	// if any ("2>&" in "2>&1", ">>", "<"). Its target is the next Word.
	Redirect
	// Comment is a comment, from '#' to the end of the line.
	Comment
)

// String returns the name of the kind.
func (k Kind) String() string {
	switch k {
	case Word:
		return "word"
	case Operator:
		return "operator"
	case Redirect:
		return "redirect"
	case Comment:
		return "comment"
	}
	return "invalid"
}

// Token is one word, operator or comment of a command line.
type Token struct {
	// Kind is what the token is.
	Kind Kind
	// Text is the word with quotes and escapes removed, or, for other
	// kinds, the text as written.
	Text string
	// Raw is the token exactly as written.
	Raw string
	// Offset is the byte offset of Raw in the command line.
	Offset int
}

// ErrUnterminated reports a quote, backquote, $( or ${ that is not closed
// before the end of the text.
var ErrUnterminated = errors.New("unterminated quote")

// ErrTrailingBackslash reports text that ends in an unquoted backslash,
// which in a file continues the command on the next line.
var ErrTrailingBackslash = errors.New("line ends in a backslash")

// Tokens splits cmd into tokens. A backslash-newline outside single quotes
// joins lines, as in the shell, and a newline outside quotes is an
// Operator. On an unterminated quote or a trailing backslash it returns
// every token it found, the last word running to the end of cmd, together
// with ErrUnterminated or ErrTrailingBackslash.
func Tokens(cmd string) ([]Token, error) {
	var toks []Token
	l := lexer{s: cmd}
	for {
		t, ok := l.next()
		if !ok {
			return toks, l.err
		}
		toks = append(toks, t)
	}
}

// Split splits a simple command into its words, stopping at the first
// unquoted operator, redirection or comment. It returns the words with
// quotes removed and variables unexpanded, and the text from the stopping
// point on with trailing blanks removed ("" when the whole of cmd is
// words). An unterminated quote runs to the end of cmd.
//
// For example, `/usr/sbin/httpd -r "/etc/my conf" & >/dev/console 2>&1`
// gives the words /usr/sbin/httpd, -r and "/etc/my conf" and the rest
// "& >/dev/console 2>&1".
func Split(cmd string) (argv []string, rest string) {
	l := lexer{s: cmd}
	for {
		t, ok := l.next()
		if !ok {
			return argv, ""
		}
		if t.Kind != Word {
			return argv, strings.TrimRight(cmd[t.Offset:], " \t")
		}
		argv = append(argv, t.Text)
	}
}

// Complete reports whether cmd is a whole command line: every quote,
// backquote, $( and ${ is closed and it does not end in a backslash that
// continues it on the next line.
func Complete(cmd string) bool {
	l := lexer{s: cmd, noText: true}
	for {
		if _, ok := l.next(); !ok {
			return l.err == nil
		}
	}
}

// LineEnd returns the offset in text of the first newline that ends a
// command line, that is one outside quotes and substitutions and not
// escaped by a backslash. When there is none it returns -1 and nil if text
// is complete (see Complete), or ErrUnterminated or ErrTrailingBackslash.
func LineEnd(text string) (int, error) {
	l := lexer{s: text, noText: true}
	for {
		t, ok := l.next()
		if !ok {
			return -1, l.err
		}
		if t.Kind == Operator && t.Raw == "\n" {
			return t.Offset, nil
		}
	}
}

// CutComment cuts cmd at its first unquoted comment. It returns the text
// before the comment with trailing blanks removed, the comment's text
// without the '#' and surrounding blanks, and whether there was a comment.
// A '#' inside a word, as in "a#b", does not start a comment.
func CutComment(cmd string) (code, comment string, found bool) {
	l := lexer{s: cmd, noText: true}
	for {
		t, ok := l.next()
		if !ok {
			return cmd, "", false
		}
		if t.Kind == Comment {
			return strings.TrimRight(cmd[:t.Offset], " \t"), strings.Trim(t.Raw[1:], " \t"), true
		}
	}
}

// lexer reads the tokens of s one at a time.
type lexer struct {
	s string
	i int
	// err is the first error met.
	err error
	// noText leaves the Text of words empty, for callers that only need
	// the structure.
	noText bool
}

// next returns the next token, or false at the end of the text.
func (l *lexer) next() (Token, bool) {
	s := l.s
	i := skipBlanks(s, l.i)
	if i >= len(s) {
		l.i = i
		return Token{}, false
	}
	switch c := s[i]; {
	case c == '#':
		end := len(s)
		if j := strings.IndexByte(s[i:], '\n'); j >= 0 {
			end = i + j
		}
		l.i = end
		return Token{Kind: Comment, Text: s[i:end], Raw: s[i:end], Offset: i}, true
	case isOperatorByte(c):
		n, kind := operator(s[i:])
		l.i = i + n
		return Token{Kind: kind, Text: s[i : i+n], Raw: s[i : i+n], Offset: i}, true
	}
	text, end, err := l.word(i)
	if end < len(s) && (s[end] == '<' || s[end] == '>') && allDigits(s[i:end]) {
		// An I/O number such as the 2 of "2>&1" belongs to the
		// redirection.
		n, _ := operator(s[end:])
		l.i = end + n
		return Token{Kind: Redirect, Text: s[i : end+n], Raw: s[i : end+n], Offset: i}, true
	}
	if err != nil && l.err == nil {
		l.err = err
	}
	l.i = end
	return Token{Kind: Word, Text: text, Raw: s[i:end], Offset: i}, true
}

// Expand replaces $name and ${name} in word with their values from vars.
// A variable not in vars is left as written, so that a reader still sees
// "$sbindir/sshd". ${name:-word} and ${name-word} give the value of name
// when it is set (for ":-", set and not empty) and word otherwise; they too
// are left as written when name is not in vars. Special parameters ($1, $?,
// $$) and other expansions are left as written.
func Expand(word string, vars map[string]string) string {
	if !strings.Contains(word, "$") {
		return word
	}
	var b strings.Builder
	for i := 0; i < len(word); {
		c := word[i]
		if c != '$' || i+1 >= len(word) {
			b.WriteByte(c)
			i++
			continue
		}
		switch n := word[i+1]; {
		case n == '{':
			end := closingBrace(word, i+2)
			if end < 0 {
				b.WriteString(word[i:])
				return b.String()
			}
			whole := word[i : end+1]
			if v, ok := braced(word[i+2:end], vars); ok {
				b.WriteString(v)
			} else {
				b.WriteString(whole)
			}
			i = end + 1
		case isNameStart(n):
			j := i + 2
			for j < len(word) && isNameByte(word[j]) {
				j++
			}
			if v, ok := vars[word[i+1:j]]; ok {
				b.WriteString(v)
			} else {
				b.WriteString(word[i:j])
			}
			i = j
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String()
}

// braced expands the inside of ${...}, reporting false to keep it as
// written.
func braced(inner string, vars map[string]string) (string, bool) {
	j := 0
	for j < len(inner) && isNameByte(inner[j]) {
		j++
	}
	name := inner[:j]
	if name == "" || !isNameStart(name[0]) {
		return "", false
	}
	v, ok := vars[name]
	if !ok {
		return "", false
	}
	op := inner[j:]
	switch {
	case op == "":
		return v, true
	case strings.HasPrefix(op, ":-"), strings.HasPrefix(op, ":="):
		if v != "" {
			return v, true
		}
		return defaultWord(op[2:], vars), true
	case strings.HasPrefix(op, "-"), strings.HasPrefix(op, "="):
		return v, true
	}
	return "", false
}

// defaultWord expands the word of ${name:-word}, one level deep only.
func defaultWord(w string, vars map[string]string) string {
	if strings.Contains(w, "${") {
		return w
	}
	return Expand(w, vars)
}

// closingBrace returns the index of the '}' that closes a "${" whose
// inside starts at i, or -1.
func closingBrace(s string, i int) int {
	depth := 1
	for ; i < len(s); i++ {
		switch s[i] {
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

// Quote returns word quoted so that Split reads it back as one word equal
// to word. Words made only of letters, digits and -_./:=+,@% are returned
// as they are.
func Quote(word string) string {
	if word == "" {
		return "''"
	}
	safe := true
	for i := 0; i < len(word); i++ {
		if !isSafeByte(word[i]) {
			safe = false
			break
		}
	}
	if safe {
		return word
	}
	return "'" + strings.ReplaceAll(word, "'", `'\''`) + "'"
}

func isSafeByte(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("-_./:=+,@%", c) >= 0
}

func isNameStart(c byte) bool {
	return c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

func isNameByte(c byte) bool {
	return isNameStart(c) || '0' <= c && c <= '9'
}

// IsName reports whether s is a valid shell variable name.
func IsName(s string) bool {
	if s == "" || !isNameStart(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if !isNameByte(s[i]) {
			return false
		}
	}
	return true
}

func isBlank(c byte) bool { return c == ' ' || c == '\t' }

// isOperatorByte reports a byte that ends an unquoted word and starts an
// operator.
func isOperatorByte(c byte) bool { return strings.IndexByte("|&;<>()\n", c) >= 0 }

func allDigits(s string) bool {
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

// skipBlanks skips spaces, tabs and backslash-newlines from i.
func skipBlanks(s string, i int) int {
	for i < len(s) {
		switch {
		case isBlank(s[i]):
			i++
		case s[i] == '\\' && i+1 < len(s) && s[i+1] == '\n':
			i += 2
		default:
			return i
		}
	}
	return i
}

// operator returns the length and kind of the operator at the start of s,
// which begins with an operator byte.
func operator(s string) (int, Kind) {
	two := ""
	if len(s) >= 2 {
		two = s[:2]
	}
	switch two {
	case "&&", "||", ";;":
		return 2, Operator
	case "<<":
		if len(s) >= 3 && s[2] == '-' {
			return 3, Redirect
		}
		return 2, Redirect
	case ">>", ">&", ">|", "<&", "<>":
		return 2, Redirect
	}
	if s[0] == '<' || s[0] == '>' {
		return 1, Redirect
	}
	return 1, Operator
}

// word reads the word that starts at i, returning its text with quotes
// removed and the index just after it.
func (l *lexer) word(i int) (string, int, error) {
	s := l.s
	// Most words hold no quotes or escapes: return them without copying.
	j := i
	for j < len(s) && isPlainByte(s[j]) && !(s[j] == '$' && j+1 < len(s) && (s[j+1] == '(' || s[j+1] == '{')) {
		j++
	}
	if j == len(s) || isBlank(s[j]) || isOperatorByte(s[j]) {
		if l.noText {
			return "", j, nil
		}
		return s[i:j], j, nil
	}
	b := &textBuf{off: l.noText}
	b.str(s[i:j])
	i = j
	for i < len(s) {
		c := s[i]
		switch {
		case isBlank(c) || isOperatorByte(c):
			return b.String(), i, nil
		case c == '\\':
			if i+1 >= len(s) {
				b.byte(c)
				return b.String(), len(s), ErrTrailingBackslash
			}
			if s[i+1] != '\n' {
				b.byte(s[i+1])
			}
			i += 2
		case c == '\'':
			k := strings.IndexByte(s[i+1:], '\'')
			if k < 0 {
				b.str(s[i+1:])
				return b.String(), len(s), ErrUnterminated
			}
			b.str(s[i+1 : i+1+k])
			i += k + 2
		case c == '"':
			var err error
			i, err = doubleQuoted(s, i+1, b)
			if err != nil {
				return b.String(), i, err
			}
		case c == '`' || c == '$' && i+1 < len(s) && (s[i+1] == '(' || s[i+1] == '{'):
			end, err := skipNested(s, i)
			b.str(s[i:end])
			i = end
			if err != nil {
				return b.String(), i, err
			}
		default:
			b.byte(c)
			i++
		}
	}
	return b.String(), i, nil
}

// isPlainByte reports a byte that stands for itself in an unquoted word
// (a '$' does unless it starts $( or ${).
func isPlainByte(c byte) bool {
	return !isBlank(c) && !isOperatorByte(c) && strings.IndexByte("\\'\"`", c) < 0
}

// textBuf collects the text of a word, or nothing when off.
type textBuf struct {
	b   strings.Builder
	off bool
}

func (t *textBuf) byte(c byte) {
	if !t.off {
		t.b.WriteByte(c)
	}
}

func (t *textBuf) str(s string) {
	if !t.off {
		t.b.WriteString(s)
	}
}

func (t *textBuf) String() string { return t.b.String() }

// doubleQuoted reads the inside of a double-quoted string that starts at
// i, writing its text to b, and returns the index after the closing quote.
func doubleQuoted(s string, i int, b *textBuf) (int, error) {
	for i < len(s) {
		c := s[i]
		switch {
		case c == '"':
			return i + 1, nil
		case c == '\\' && i+1 < len(s) && s[i+1] == '\n':
			i += 2
		case c == '\\' && i+1 < len(s) && strings.IndexByte("$`\"\\", s[i+1]) >= 0:
			b.byte(s[i+1])
			i += 2
		case c == '`' || c == '$' && i+1 < len(s) && (s[i+1] == '(' || s[i+1] == '{'):
			end, err := skipNested(s, i)
			b.str(s[i:end])
			if err != nil {
				return end, err
			}
			i = end
		default:
			b.byte(c)
			i++
		}
	}
	return len(s), ErrUnterminated
}

// skipNested returns the index just after the backquoted command, $(...)
// or ${...} that starts at i, following nested quotes and substitutions
// with an explicit stack (so deep nesting cannot exhaust the Go stack).
func skipNested(s string, i int) (int, error) {
	var stack []byte
	j := i
	if s[i] == '`' {
		stack = append(stack, '`')
		j++
	} else {
		stack = append(stack, closer(s[i+1]))
		j += 2
	}
	for j < len(s) {
		top := stack[len(stack)-1]
		c := s[j]
		switch top {
		case '`':
			switch c {
			case '\\':
				j += 2
				continue
			case '`':
				stack = stack[:len(stack)-1]
			}
		case '"':
			switch {
			case c == '\\':
				j += 2
				continue
			case c == '"':
				stack = stack[:len(stack)-1]
			case c == '`':
				stack = append(stack, '`')
			case c == '$' && j+1 < len(s) && (s[j+1] == '(' || s[j+1] == '{'):
				stack = append(stack, closer(s[j+1]))
				j++
			}
		default: // inside $( ) or ${ }
			switch {
			case c == '\\':
				j += 2
				continue
			case c == '\'':
				k := strings.IndexByte(s[j+1:], '\'')
				if k < 0 {
					return len(s), ErrUnterminated
				}
				j += k + 1
			case c == '"':
				stack = append(stack, '"')
			case c == '`':
				stack = append(stack, '`')
			case c == '$' && j+1 < len(s) && (s[j+1] == '(' || s[j+1] == '{'):
				stack = append(stack, closer(s[j+1]))
				j++
			case c == '(' && top == ')':
				stack = append(stack, ')')
			case c == top:
				stack = stack[:len(stack)-1]
			}
		}
		j++
		if len(stack) == 0 {
			return j, nil
		}
	}
	return len(s), ErrUnterminated
}

func closer(open byte) byte {
	if open == '(' {
		return ')'
	}
	return '}'
}
