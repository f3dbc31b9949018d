package crontab

import (
	"path"
	"strings"

	"bastion/internal/parse/shellwords"
)

// Programs returns, in order and each once, the programs that the shell
// command line cmd runs and that can be named without running anything:
// the first word of each simple command of a list or pipeline (commands
// joined by ";", "&", "&&", "||", "|", or grouped in "{ }", "( )", if,
// while and until), when it is an absolute path or a bare name to be
// looked up in PATH. Relative paths ("./y") and words that need expanding
// ("$HOME/bin/x", "~/x") are left out, as are the shell's own commands
// that run no file (cd, test, [, echo, ulimit, ...) and the commands of
// for and case.
//
// Some commands run another one, which is then reported as well:
//   - the command run by exec, command, nohup, nice, env and timeout;
//   - the script of ". /path/script" and "source /path/script";
//   - the script of a shell (sh, bash, ksh and the like) given as an
//     absolute path, as in "sh /usr/local/bin/backup.sh", and the programs
//     of its "-c" command, as in "/bin/ksh -c 'cd /tmp && /usr/bin/x'";
//   - the programs of the "-c" command of su, as in
//     "su - oracle -c /home/oracle/backup.sh";
//   - the programs of eval's arguments;
//   - the directory of run-parts, whose every executable file it runs,
//     written with a final slash to mark it as a directory:
//     "run-parts --report /etc/cron.daily" gives "run-parts" and
//     "/etc/cron.daily/".
//
// Assignments before a command ("LANG=C /usr/bin/x") and redirections
// are skipped. Commands inside command substitutions, and those run by
// programs such as xargs, find -exec or sudo, are not followed. cmd is
// shell text: give a job's ShellCommand, not its Command, so that '%' is
// handled first.
func Programs(cmd string) []string {
	var p programList
	p.line(cmd, 0)
	return p.list
}

// maxDepth bounds how deep Programs follows command strings within
// command strings.
const maxDepth = 8

// programList collects the programs of a command line.
type programList struct {
	list []string
	seen map[string]bool
}

func (p *programList) add(prog string) {
	if p.seen[prog] {
		return
	}
	if p.seen == nil {
		p.seen = make(map[string]bool)
	}
	p.seen[prog] = true
	p.list = append(p.list, prog)
}

// line adds the programs of a command line.
func (p *programList) line(cmd string, depth int) {
	if depth > maxDepth {
		return
	}
	toks, _ := shellwords.Tokens(cmd)
	var words []string
	target := false
	for _, t := range toks {
		switch t.Kind {
		case shellwords.Word:
			if target {
				target = false
				continue
			}
			words = append(words, t.Text)
		case shellwords.Redirect:
			target = true
		default:
			p.command(words, depth)
			words, target = nil, false
		}
	}
	p.command(words, depth)
}

// prefixWords are the reserved words that a command may follow, and those
// that end a compound command; none is a program.
var prefixWords = map[string]bool{
	"if": true, "then": true, "else": true, "elif": true, "do": true,
	"while": true, "until": true, "!": true, "{": true, "}": true,
	"time": true, "fi": true, "done": true, "esac": true,
}

// skipWords start compound commands whose words are not commands.
var skipWords = map[string]bool{
	"for": true, "case": true, "select": true, "function": true, "[[": true,
}

// builtins are shell commands that run no file.
var builtins = map[string]bool{
	":": true, "[": true, "alias": true, "bg": true, "break": true,
	"cd": true, "continue": true, "declare": true, "echo": true,
	"exit": true, "export": true, "false": true, "fg": true,
	"getopts": true, "hash": true, "jobs": true, "kill": true, "let": true,
	"local": true, "print": true, "printf": true, "pwd": true, "read": true,
	"readonly": true, "return": true, "set": true, "shift": true,
	"test": true, "times": true, "trap": true, "true": true, "type": true,
	"typeset": true, "ulimit": true, "umask": true, "unalias": true,
	"unset": true, "wait": true, "whence": true,
}

// shells are the base names of shells whose script or -c command is
// followed.
var shells = map[string]bool{
	"sh": true, "bash": true, "ksh": true, "ksh93": true, "rksh": true,
	"mksh": true, "dash": true, "ash": true, "zsh": true, "csh": true,
	"tcsh": true, "bsh": true, "psh": true,
}

// command adds the programs of one simple command, given as its words
// without redirections.
func (p *programList) command(words []string, depth int) {
	for len(words) > 0 {
		w := words[0]
		switch {
		case isAssignment(w), prefixWords[w]:
			words = words[1:]
			continue
		case skipWords[w], !static(w):
			return
		}
		if !strings.Contains(w, "/") {
			switch w {
			case "exec":
				words = skipOptions(words[1:], "-a")
				continue
			case "command":
				for _, a := range words[1:] {
					if a == "-v" || a == "-V" {
						return // it only says what the name is
					}
					if !strings.HasPrefix(a, "-") {
						break
					}
				}
				words = skipOptions(words[1:])
				continue
			case ".", "source":
				if len(words) > 1 && path.IsAbs(words[1]) {
					p.add(words[1])
				}
				return
			case "eval":
				p.line(strings.Join(words[1:], " "), depth+1)
				return
			}
			if builtins[w] {
				return
			}
		} else if !path.IsAbs(w) {
			return
		}
		p.add(w)
		args := words[1:]
		base := path.Base(w)
		switch base {
		case "nohup":
			words = args
		case "nice":
			words = skipOptions(args, "-n", "--adjustment")
		case "env":
			words = skipOptions(args, "-u", "--unset", "-C", "--chdir", "-S", "--split-string")
		case "timeout":
			words = skipOptions(args, "-s", "--signal", "-k", "--kill-after")
			if len(words) > 0 {
				words = words[1:] // the duration
			}
		case "su":
			p.su(args, depth)
			return
		case "run-parts":
			p.runParts(args)
			return
		default:
			if shells[base] {
				p.shell(args, depth)
			}
			return
		}
	}
}

// su adds the programs of the command given to su with -c.
func (p *programList) su(args []string, depth int) {
	for i, a := range args {
		switch {
		case (a == "-c" || a == "--command") && i+1 < len(args):
			p.line(args[i+1], depth+1)
			return
		case strings.HasPrefix(a, "--command="):
			p.line(strings.TrimPrefix(a, "--command="), depth+1)
			return
		}
	}
}

// shell adds the script or -c command of a shell, given its arguments.
func (p *programList) shell(args []string, depth int) {
	cmdMode := false
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			if i+1 < len(args) {
				p.shellOperand(args[i+1], cmdMode, depth)
			}
			return
		case a == "" || a[0] != '-' && a[0] != '+':
			p.shellOperand(a, cmdMode, depth)
			return
		case a == "-":
			return
		case a == "-o" || a == "+o" || a == "-O" || a == "+O":
			i++
		case strings.HasPrefix(a, "--"):
			// A long option such as --login or --norc.
		case a[0] == '-' && strings.Contains(a, "c"):
			cmdMode = true
		case a[0] == '-' && strings.Contains(a, "s") && !cmdMode:
			return // the commands come from standard input
		}
	}
}

// shellOperand adds the programs of a shell's first operand: the command
// string after -c, or else the script.
func (p *programList) shellOperand(a string, cmdMode bool, depth int) {
	if cmdMode {
		p.line(a, depth+1)
	} else if path.IsAbs(a) && static(a) {
		p.add(a)
	}
}

// runParts adds the directory run-parts runs the files of, marked with a
// final slash. With --test or --list it runs nothing.
func (p *programList) runParts(args []string) {
	rest := skipOptions(args, "-u", "--umask", "-a", "--arg")
	for _, a := range args {
		if a == "--test" || a == "--list" {
			return
		}
	}
	if len(rest) == 0 || !path.IsAbs(rest[0]) || !static(rest[0]) {
		return
	}
	dir := path.Clean(rest[0])
	if dir != "/" {
		dir += "/"
	}
	p.add(dir)
}

// skipOptions returns args from its first operand on: it skips words
// starting with '-' (and the word after any option in withArg), and a
// "--" that ends the options. Long options written "--name=value" take
// their value with them.
func skipOptions(args []string, withArg ...string) []string {
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			return args[i+1:]
		case !strings.HasPrefix(a, "-"):
			return args[i:]
		}
		for _, o := range withArg {
			if a == o {
				i++
				break
			}
		}
	}
	return nil
}

// isAssignment reports a word of the form NAME=value.
func isAssignment(w string) bool {
	name, _, ok := strings.Cut(w, "=")
	return ok && shellwords.IsName(name)
}

// static reports whether w names a file as it stands: it is not empty and
// needs no expansion of parameters, commands, '~' or patterns.
func static(w string) bool {
	return w != "" && w[0] != '~' && !strings.ContainsAny(w, "$`*?[")
}
