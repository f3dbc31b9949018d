// Package crontab reads the tables of the cron daemon: the user crontabs
// of AIX and Linux (/var/spool/cron/crontabs/USER, or /var/spool/cron/USER
// on Red Hat systems), and the Linux system crontab /etc/crontab and the
// files of /etc/cron.d, which name the user to run each job as.
//
// A job line holds five time fields (minute, hour, day of month, month,
// day of week) and a command; in the system form a user field follows the
// time fields. Each time field is "*", a number, a range "a-b", or a list
// of those separated by commas. Vixie cron and cronie, the Linux crons,
// also accept a step ("*/5", "1-30/10"), the month names jan to dec and
// weekday names sun to sat in any case, 7 for Sunday, a random value
// "a~b" (cronie), and an "@" keyword (@reboot, @hourly, @daily, @midnight,
// @weekly, @monthly, @yearly, @annually) in place of the five fields.
// They read "NAME=value" lines as environment settings for the jobs
// below them, and cronie a "-" before the schedule to turn off logging of
// the job.
//
// The AIX crontab documentation describes numbers, ranges, lists and "*"
// only, with weekdays 0 to 6, and no environment lines; steps, names and
// keywords may be refused by the crontab command and cron daemon of an
// AIX level. This package accepts every form in both Parse and
// ParseSystem and does not tell the dialects apart.
//
// A '%' in a command that is not escaped as "\%" ends the command given to
// the shell; what follows is fed to the command as its standard input,
// each further '%' becoming a newline. ShellCommand and Input split a
// command so.
//
// Every line is kept, so that one job can be changed or removed by editing
// one line.
package crontab

import (
	"fmt"
	"io"
	"strings"

	"bastion/internal/parse"
	"bastion/internal/parse/shellwords"
)

// File is a parsed crontab.
type File struct {
	// Name is the name the file was parsed under, used in error messages.
	Name string
	// Lines holds every physical line as read, without line endings.
	Lines []string
	// Jobs holds the job lines in file order.
	Jobs []Job
	// Env holds the environment settings in file order. Each applies to
	// the jobs below it.
	Env []Assignment
}

// Job is one job line of a crontab.
type Job struct {
	// Line is the 1-based line number of the job in the file.
	Line int
	// Schedule is the five time fields as written, joined by one space
	// ("10,40 * * * *"), or the keyword as written ("@reboot"). A cronie
	// "-" that turns off logging is kept at its start.
	Schedule string
	// User is the user the job runs as, from the system form; it is empty
	// in a user crontab, whose jobs run as the crontab's owner.
	User string
	// Command is the command as written, from its first character to the
	// end of the line without trailing blanks, '%' included.
	Command string
	// Argv holds the words of the first simple command of ShellCommand,
	// up to the first shell operator, redirection or comment, with quotes
	// removed and variables unexpanded: "cd /x && ./y" gives "cd", "/x".
	Argv []string
	// Program is Argv[0], or "" when Argv is empty.
	Program string
}

// Assignment is one environment setting, "NAME=value" or "NAME = value".
type Assignment struct {
	// Line is the 1-based line number of the setting in the file.
	Line int
	// Name is the variable name.
	Name string
	// Value is the value without surrounding blanks and, when it is
	// wholly enclosed in matching single or double quotes, without them:
	// MAILTO="" gives "".
	Value string
}

// ShellCommand returns the part of Command that cron gives to the shell:
// the text up to the first '%' not escaped as "\%", with each "\%" made
// "%".
func (j Job) ShellCommand() string {
	sh, _, _ := splitPercent(j.Command)
	return sh
}

// Input returns the standard input cron feeds to the command: the text
// after the first unescaped '%' of Command, with every further unescaped
// '%' made a newline and each "\%" made "%". It is "" when Command has no
// unescaped '%'. Cron ends the input with a newline; Input does not.
func (j Job) Input() string {
	_, in, _ := splitPercent(j.Command)
	return in
}

// Programs returns the programs the job runs that can be named: Programs
// of ShellCommand.
func (j Job) Programs() []string { return Programs(j.ShellCommand()) }

// Bytes returns the file text: every line as read, each ended by "\n".
func (f *File) Bytes() []byte { return parse.JoinLines(f.Lines) }

// Parse reads a user crontab, whose jobs have no user field. Bad lines are
// reported together in the returned error, with every good job and
// setting still returned. A job on a last line that has no newline after
// it is returned and also reported, since the Linux crons skip it. A file
// that cannot be read gives a nil File.
func Parse(r io.Reader, name string) (*File, error) {
	return parseFile(r, name, false)
}

// ParseSystem reads a crontab in the system form of /etc/crontab and the
// files of /etc/cron.d, whose jobs name a user after the time fields. It
// reports errors as Parse does.
func ParseSystem(r io.Reader, name string) (*File, error) {
	return parseFile(r, name, true)
}

func parseFile(r io.Reader, name string, system bool) (*File, error) {
	data, err := parse.ReadAll(r, name)
	if err != nil {
		return nil, err
	}
	f := &File{Name: name, Lines: parse.SplitLines(data)}
	var errs parse.Errors
	for i, text := range f.Lines {
		n := i + 1
		s := strings.TrimLeft(text, " \t")
		switch {
		case s == "" || s[0] == '#':
			continue
		case s[0] == '=':
			errs.Add(name, n, "environment setting without a name")
			continue
		}
		if a, ok, msg := parseAssignment(s); ok {
			if msg != "" {
				errs.Add(name, n, "%s", msg)
				continue
			}
			a.Line = n
			f.Env = append(f.Env, a)
			continue
		}
		j, msg := parseJob(s, system)
		if msg != "" {
			errs.Add(name, n, "%s", msg)
			continue
		}
		j.Line = n
		f.Jobs = append(f.Jobs, j)
		if n == len(f.Lines) && data[len(data)-1] != '\n' {
			// Vixie cron and cronie read a job up to its newline and
			// drop one that meets the end of the file first.
			errs.Add(name, n, "job on the last line has no newline after it: cron skips it")
		}
	}
	return f, errs.Err()
}

// parseAssignment reads s, a line without leading blanks, as an
// environment setting. It reports false when s is not one: when it does
// not start with a name (a word, or a quoted string) followed by '='. A
// setting that is one but is malformed gives a message.
func parseAssignment(s string) (a Assignment, ok bool, msg string) {
	var name, rest string
	if q := s[0]; q == '"' || q == '\'' {
		end := strings.IndexByte(s[1:], q)
		if end < 0 {
			return a, false, ""
		}
		name, rest = s[1:1+end], s[2+end:]
	} else {
		end := strings.IndexAny(s, "= \t")
		if end < 0 {
			return a, false, ""
		}
		name, rest = s[:end], s[end:]
	}
	rest = strings.TrimLeft(rest, " \t")
	if !strings.HasPrefix(rest, "=") {
		return a, false, ""
	}
	if name == "" {
		return a, true, "environment setting without a name"
	}
	value := strings.Trim(rest[1:], " \t")
	if len(value) >= 2 && (value[0] == '"' || value[0] == '\'') && value[len(value)-1] == value[0] {
		value = value[1 : len(value)-1]
	}
	return Assignment{Name: name, Value: value}, true, ""
}

// keywords are the "@" schedules of Vixie cron and cronie.
var keywords = map[string]bool{
	"@reboot": true, "@hourly": true, "@daily": true, "@midnight": true,
	"@weekly": true, "@monthly": true, "@yearly": true, "@annually": true,
}

// parseJob reads s, a line without leading blanks, as a job, returning a
// message when it is not a valid one.
func parseJob(s string, system bool) (Job, string) {
	var j Job
	first, rest := cutField(s)
	if kw := strings.TrimPrefix(first, "-"); strings.HasPrefix(kw, "@") {
		if !keywords[kw] {
			return j, fmt.Sprintf("unknown schedule %q", first)
		}
		j.Schedule = first
	} else {
		times := []string{first}
		for len(times) < len(timeFields) {
			var f string
			f, rest = cutField(rest)
			if f == "" {
				return j, "too few time fields"
			}
			times = append(times, f)
		}
		for i, tf := range timeFields {
			v := times[i]
			if i == 0 && len(v) > 1 && v[0] == '-' {
				v = v[1:]
			}
			if err := tf.check(v); err != nil {
				return j, fmt.Sprintf("bad %s %q: %v", tf.name, times[i], err)
			}
		}
		j.Schedule = strings.Join(times, " ")
		if strings.HasPrefix(rest, "*") {
			return j, fmt.Sprintf("unexpected %q after the five time fields", firstWord(rest))
		}
	}
	if system {
		j.User, rest = cutField(rest)
		if j.User == "" {
			return j, "missing user"
		}
	}
	j.Command = strings.TrimRight(rest, " \t")
	if j.Command == "" {
		return j, "missing command"
	}
	j.Argv, _ = shellwords.Split(j.ShellCommand())
	if len(j.Argv) > 0 {
		j.Program = j.Argv[0]
	}
	return j, ""
}

// cutField returns the first blank-separated word of s, which starts with
// no blank, and the text after the blanks that follow it.
func cutField(s string) (field, rest string) {
	end := strings.IndexAny(s, " \t")
	if end < 0 {
		return s, ""
	}
	return s[:end], strings.TrimLeft(s[end:], " \t")
}

func firstWord(s string) string {
	w, _ := cutField(s)
	return w
}

// splitPercent splits a command at its first unescaped '%' into the shell
// command and the input, translating escapes as cron does: a backslash
// takes the next byte with it, and "\%" stands for a plain '%'. It reports
// whether there was an unescaped '%'.
func splitPercent(cmd string) (shell, input string, found bool) {
	var b strings.Builder
	for i := 0; i < len(cmd); i++ {
		c := cmd[i]
		switch {
		case c == '\\' && i+1 < len(cmd):
			if cmd[i+1] != '%' {
				b.WriteByte('\\')
			}
			b.WriteByte(cmd[i+1])
			i++
		case c == '%':
			if !found {
				shell, found = b.String(), true
				b.Reset()
			} else {
				b.WriteByte('\n')
			}
		default:
			b.WriteByte(c)
		}
	}
	if !found {
		return b.String(), "", false
	}
	return shell, b.String(), true
}
