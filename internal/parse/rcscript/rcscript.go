// Package rcscript reads the Korn shell start-up scripts of AIX that start
// network daemons, /etc/rc.tcpip and /etc/rc.nfs above all, and finds in
// them which daemons they start, which start lines are commented out, and
// which other programs they run.
//
// It does not run or fully parse the shell. It recognises the idioms these
// scripts are written in:
//
//   - rc.tcpip's `start /usr/sbin/snmpd "$src_running" [args]`, where the
//     SRC subsystem is the basename of the path;
//   - the older rc.nfs `start rpc.statd /usr/sbin/rpc.statd [args]`, where
//     the subsystem comes first;
//   - `startsrc -s subsystem [-a "args"]` and `startsrc -g group`;
//   - a daemon run by its absolute path, such as
//     `/usr/lpp/x_st_mgr/bin/x_st_mgrd -b /usr/lpp/x_st_mgr/bin/ -s x_st_mgrd`.
//
// Each is found alone on a line, inside if/then/fi, or after && and ;,
// and also in lines commented out with '#', which is how chrctcp and
// administrators disable a daemon. The body of a shell function (such as
// the definition of start itself) is skipped. Simple top-level assignments
// such as `qpi=30m` are recorded and expanded in later lines.
//
// Every line of the file is kept so that one start line can be commented
// out or back in by editing that line.
package rcscript

import (
	"cmp"
	"fmt"
	"io"
	"path"
	"slices"
	"strings"

	"bastion/internal/parse"
	"bastion/internal/parse/shellwords"
)

// Form says which idiom a Start line uses.
type Form int

// The start-up idioms.
const (
	// FormTCPIP is rc.tcpip's `start /path/daemon "$src_running" [args]`.
	FormTCPIP Form = iota + 1
	// FormNFS is the older rc.nfs `start subsystem /path/daemon [args]`.
	FormNFS
	// FormStartsrc is `startsrc -s subsystem [-a args]` or
	// `startsrc -g group`.
	FormStartsrc
)

// String returns a short name for the form.
func (f Form) String() string {
	switch f {
	case FormTCPIP:
		return "start"
	case FormNFS:
		return "start-subsystem"
	case FormStartsrc:
		return "startsrc"
	}
	return "invalid"
}

// File is a parsed start-up script.
type File struct {
	// Name is the name the file was parsed under, used in error messages.
	Name string
	// Lines holds every physical line as read, without line endings.
	Lines []string
	// Starts holds the daemon start lines in file order, commented-out
	// ones included.
	Starts []Start
	// Commands holds the other programs run by absolute path, commented-out
	// ones included, in file order.
	Commands []Command
	// Vars holds the values of the simple top-level assignments, the last
	// assignment of each name winning. A variable assigned the output of a
	// command is left out.
	Vars map[string]string
}

// Start is one line that starts a daemon, most often through the SRC.
type Start struct {
	// Line is the 1-based line number.
	Line int
	// Commented reports a line commented out with '#'.
	Commented bool
	// Form is the idiom the line uses.
	Form Form
	// Path is the daemon's path as written, such as "/usr/lib/sendmail" or
	// "$sbindir/sshd". It is empty for FormStartsrc.
	Path string
	// Program is Path with the variables known at that line expanded.
	Program string
	// Subsystem is the SRC subsystem: the basename of Program for
	// FormTCPIP, as written for the others. It is empty for a group.
	Subsystem string
	// Group is the SRC group of `startsrc -g group`.
	Group string
	// ArgString holds the daemon's arguments with quotes removed and known
	// variables expanded, joined by spaces: "-bd -q30m" for
	// `start /usr/lib/sendmail "$src_running" "-bd -q${qpi}"` after
	// qpi=30m. For FormStartsrc it is the -a argument. (The start
	// function AIX ships hands the daemon only its third argument, so
	// a second unquoted argument there is joined here but lost at boot.)
	ArgString string
	// Argv is ArgString split into words, or nil.
	Argv []string
}

// Command is a program other than a shell utility that the script runs by
// its absolute path.
type Command struct {
	// Line is the 1-based line number.
	Line int
	// Commented reports a line commented out with '#'.
	Commented bool
	// Program is the program's path with known variables expanded.
	Program string
	// Argv holds the words of the command with quotes removed and known
	// variables expanded, starting with Program.
	Argv []string
}

// Bytes returns the file's text: its lines, each ended by a newline.
func (f *File) Bytes() []byte { return parse.JoinLines(f.Lines) }

// maxJoin is the most physical lines one command line may span through
// quotes or backslash continuations.
const maxJoin = 64

// Parse reads a start-up script.
//
// The errors it reports are those that are clearly broken: a quote that is
// never closed (or lines continued by backslashes beyond maxJoin lines),
// and, in a script that uses the start function of rc.tcpip or rc.nfs, a
// start call without a daemon path. Each is given as
// "name:line: what is wrong" and the File then holds everything else. A
// file that cannot be read gives a nil File.
func Parse(r io.Reader, name string) (*File, error) {
	lines, err := parse.ReadLines(r, name)
	if err != nil {
		return nil, err
	}
	p := &parser{f: &File{Name: name, Lines: lines, Vars: map[string]string{}}}
	for i := 0; i < len(lines); {
		first := i
		trimmed := strings.TrimLeft(lines[i], " \t")
		switch {
		case trimmed == "":
			i++
		case trimmed[0] == '#':
			i++
			if !p.fn.in && !strings.HasPrefix(trimmed, "#!") {
				p.commented(first+1, trimmed)
			}
		default:
			text, next, problem := logical(lines, first)
			i = next
			if problem != "" {
				p.errorf(first+1, problem)
				continue
			}
			p.code(first+1, text)
		}
	}
	if p.hasStartFunc {
		for _, line := range p.bare {
			p.errorf(line, "start without a daemon path")
		}
	}
	slices.SortStableFunc(p.errs, func(a, b lineError) int { return cmp.Compare(a.line, b.line) })
	var errs parse.Errors
	for _, e := range p.errs {
		errs.Add(name, e.line, "%s", e.msg)
	}
	return p.f, errs.Err()
}

// logical returns the shell text that starts at lines[first]: that line,
// or, when a quote or a backslash continues it, the lines it spans joined
// by newlines. It also returns the index of the next line, and what is
// wrong when the text does not end within maxJoin lines.
func logical(lines []string, first int) (text string, next int, problem string) {
	if shellwords.Complete(lines[first]) {
		return lines[first], first + 1, ""
	}
	end := min(len(lines), first+maxJoin)
	chunk := strings.Join(lines[first:end], "\n")
	n, err := shellwords.LineEnd(chunk)
	switch {
	case n >= 0:
		return chunk[:n], first + strings.Count(chunk[:n], "\n") + 1, ""
	case end == len(lines) && err == nil:
		return chunk, end, ""
	case end == len(lines) && err == shellwords.ErrTrailingBackslash:
		// A backslash at the end of the file continues nothing.
		return chunk[:len(chunk)-1], end, ""
	case err == shellwords.ErrTrailingBackslash:
		return lines[first], first + 1, fmt.Sprintf("line continued by backslashes over more than %d lines", maxJoin)
	}
	return lines[first], first + 1, "unterminated quote"
}

type lineError struct {
	line int
	msg  string
}

type parser struct {
	f    *File
	errs []lineError
	// bare holds the lines of active start calls with no daemon path.
	bare []int
	// hasStartFunc reports a start call in the rc.tcpip or rc.nfs form.
	hasStartFunc bool
	fn           funcState
}

// funcState follows the body of a shell function definition.
type funcState struct {
	in     bool
	opened bool
	depth  int
}

func (p *parser) errorf(line int, msg string) {
	p.errs = append(p.errs, lineError{line, msg})
}

// code handles a line, or lines joined by quotes, that is not a comment.
func (p *parser) code(line int, text string) {
	toks, _ := shellwords.Tokens(text)
	if p.fn.in {
		p.braces(toks)
		return
	}
	if rest, ok := funcDef(toks); ok {
		p.fn = funcState{in: true}
		p.braces(rest)
		return
	}
	for _, words := range simpleCommands(toks) {
		p.simple(line, words, false)
	}
}

// commented handles a line that starts with '#'.
func (p *parser) commented(line int, trimmed string) {
	body := strings.TrimLeft(strings.TrimLeft(trimmed, "#"), " \t")
	toks, _ := shellwords.Tokens(body)
	if _, ok := funcDef(toks); ok {
		return
	}
	for _, words := range simpleCommands(toks) {
		p.simple(line, words, true)
	}
}

// braces counts the braces of a function body, ending it at the brace that
// closes it.
func (p *parser) braces(toks []shellwords.Token) {
	for _, t := range toks {
		if t.Kind != shellwords.Word {
			continue
		}
		switch t.Raw {
		case "{":
			p.fn.depth++
			p.fn.opened = true
		case "}":
			p.fn.depth--
		}
		if p.fn.opened && p.fn.depth <= 0 {
			p.fn = funcState{}
		}
	}
}

// funcDef reports whether toks start a function definition, "name()" or
// "function name", and returns the tokens after its header.
func funcDef(toks []shellwords.Token) ([]shellwords.Token, bool) {
	if len(toks) >= 3 && toks[0].Kind == shellwords.Word &&
		toks[1].Kind == shellwords.Operator && toks[1].Raw == "(" &&
		toks[2].Kind == shellwords.Operator && toks[2].Raw == ")" {
		return toks[3:], true
	}
	if len(toks) >= 2 && toks[0].Kind == shellwords.Word && toks[0].Raw == "function" &&
		toks[1].Kind == shellwords.Word {
		return toks[2:], true
	}
	return nil, false
}

// simpleCommands splits tokens into the words of each simple command,
// leaving out redirections and their targets, comments, and the patterns
// of case branches ("start)", "start|restart)").
func simpleCommands(toks []shellwords.Token) [][]shellwords.Token {
	var (
		out   [][]shellwords.Token
		cur   []shellwords.Token
		depth int
		skip  bool
	)
	flush := func() {
		if len(cur) > 0 {
			out = append(out, cur)
			cur = nil
		}
	}
	for _, t := range toks {
		switch t.Kind {
		case shellwords.Word:
			if skip {
				skip = false
				continue
			}
			cur = append(cur, t)
		case shellwords.Redirect:
			skip = true
		case shellwords.Operator:
			flush()
			skip = false
			switch t.Raw {
			case "(":
				depth++
			case ")":
				if depth == 0 {
					// A ')' that closes nothing ends a case pattern:
					// what came before it on the line is not a command.
					out = nil
				} else {
					depth--
				}
			}
		case shellwords.Comment:
			flush()
			return out
		}
	}
	flush()
	return out
}

// reserved are the shell words that may precede a command.
var reserved = map[string]bool{
	"if": true, "then": true, "else": true, "elif": true, "fi": true,
	"do": true, "done": true, "while": true, "until": true, "esac": true,
	"!": true, "{": true, "}": true, "time": true,
}

// utilities are the programs that are plain shell utilities or SRC
// queries rather than something a script starts.
var utilities = map[string]bool{
	"[": true, "alog": true, "awk": true, "basename": true, "cat": true,
	"chgrp": true, "chmod": true, "chown": true, "cp": true, "cut": true,
	"date": true, "dirname": true, "dspmsg": true, "echo": true, "egrep": true,
	"env": true, "expr": true, "false": true, "fgrep": true, "find": true,
	"grep": true, "head": true, "hostname": true, "kill": true, "ln": true,
	"logger": true, "ls": true, "lsattr": true, "lssrc": true, "mkdir": true,
	"mount": true, "mv": true, "nawk": true, "odmget": true, "printf": true,
	"ps": true, "refresh": true, "rm": true, "rmdir": true, "sed": true,
	"sleep": true, "sort": true, "stopsrc": true, "tail": true, "tee": true,
	"test": true, "touch": true, "tr": true, "true": true, "umount": true,
	"uname": true, "uniq": true, "wc": true, "xargs": true,
}

// simple handles the words of one simple command.
func (p *parser) simple(line int, words []shellwords.Token, commented bool) {
	for len(words) > 0 && reserved[words[0].Raw] {
		words = words[1:]
	}
	n := 0
	for n < len(words) && isAssignment(words[n]) {
		n++
	}
	if n == len(words) {
		if !commented {
			for _, w := range words {
				p.assign(w)
			}
		}
		return
	}
	if n == 0 && (words[0].Raw == "export" || words[0].Raw == "readonly") {
		if !commented {
			for _, w := range words[1:] {
				if isAssignment(w) {
					p.assign(w)
				}
			}
		}
		return
	}
	words = words[n:]
	for len(words) > 1 && (words[0].Raw == "exec" || words[0].Raw == "nohup") {
		words = words[1:]
	}
	switch {
	case words[0].Raw == "start":
		p.start(line, texts(words[1:]), commented)
	case path.Base(words[0].Text) == "startsrc":
		p.startsrc(line, texts(words[1:]), commented)
	default:
		p.command(line, words, commented)
	}
}

func texts(words []shellwords.Token) []string {
	out := make([]string, len(words))
	for i, w := range words {
		out[i] = w.Text
	}
	return out
}

// isAssignment reports a word of the form name=value.
func isAssignment(w shellwords.Token) bool {
	name, _, ok := strings.Cut(w.Raw, "=")
	return ok && shellwords.IsName(name)
}

// assign records the value of an assignment word.
func (p *parser) assign(w shellwords.Token) {
	name, value, _ := strings.Cut(w.Text, "=")
	_, raw, _ := strings.Cut(w.Raw, "=")
	if strings.Contains(raw, "`") || strings.Contains(raw, "$(") {
		// The output of a command: unknown here.
		delete(p.f.Vars, name)
		return
	}
	p.f.Vars[name] = shellwords.Expand(value, p.f.Vars)
}

func (p *parser) expand(s string) string { return shellwords.Expand(s, p.f.Vars) }

// isPath reports a word that names a program by path, possibly through a
// variable: "/usr/sbin/inetd", "$sbindir/sshd", "${SSHD}".
func isPath(s string) bool {
	return strings.Contains(s, "/") || strings.HasPrefix(s, "$")
}

// start handles a call of the rc.tcpip or rc.nfs start function.
func (p *parser) start(line int, args []string, commented bool) {
	s := Start{Line: line, Commented: commented}
	var rest []string
	switch {
	case len(args) > 0 && isPath(args[0]) && args[0] != "$src_running":
		// start /path/daemon "$src_running" [args]
		s.Form = FormTCPIP
		s.Path = args[0]
		s.Program = p.expand(s.Path)
		s.Subsystem = path.Base(s.Program)
		if len(args) > 2 {
			rest = args[2:]
		}
	case len(args) > 1 && isPath(args[1]) && !strings.HasPrefix(args[0], "-"):
		// start subsystem /path/daemon [args]
		s.Form = FormNFS
		s.Subsystem = p.expand(args[0])
		s.Path = args[1]
		s.Program = p.expand(s.Path)
		rest = args[2:]
	default:
		if !commented {
			p.bare = append(p.bare, line)
		}
		return
	}
	p.hasStartFunc = true
	for i, a := range rest {
		rest[i] = p.expand(a)
	}
	s.ArgString = strings.Join(rest, " ")
	s.Argv = fields(s.ArgString)
	p.f.Starts = append(p.f.Starts, s)
}

// startsrc handles `startsrc -s subsystem [-a args]` and
// `startsrc -g group`. Starting an inetd subserver (-t) is not a Start.
func (p *parser) startsrc(line int, args []string, commented bool) {
	var sub, group, subserver string
	var argStrings []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if len(a) < 2 || a[0] != '-' || !strings.ContainsRune("aeghopst", rune(a[1])) {
			continue
		}
		val := a[2:]
		if val == "" && i+1 < len(args) {
			i++
			val = args[i]
		}
		switch a[1] {
		case 's':
			sub = val
		case 'g':
			group = val
		case 't':
			subserver = val
		case 'a':
			argStrings = append(argStrings, val)
		}
	}
	if subserver != "" || sub == "" && group == "" {
		return
	}
	s := Start{
		Line:      line,
		Commented: commented,
		Form:      FormStartsrc,
		Subsystem: p.expand(sub),
		Group:     p.expand(group),
		ArgString: p.expand(strings.Join(argStrings, " ")),
	}
	s.Argv = fields(s.ArgString)
	p.f.Starts = append(p.f.Starts, s)
}

// command records a program run by its absolute path.
func (p *parser) command(line int, words []shellwords.Token, commented bool) {
	prog := p.expand(words[0].Text)
	if !strings.HasPrefix(prog, "/") || strings.ContainsAny(prog, " \t\n") || utilities[path.Base(prog)] {
		return
	}
	if commented && !strings.HasPrefix(words[0].Raw, "/") {
		// In a comment, only a path written plainly is taken for a
		// command; a quoted one is most likely prose.
		return
	}
	argv := make([]string, len(words))
	argv[0] = prog
	for i, w := range words[1:] {
		argv[i+1] = p.expand(w.Text)
	}
	p.f.Commands = append(p.f.Commands, Command{Line: line, Commented: commented, Program: prog, Argv: argv})
}

// fields splits s on blanks, giving nil for no words.
func fields(s string) []string {
	f := parse.Fields(s)
	if len(f) == 0 {
		return nil
	}
	return f
}
