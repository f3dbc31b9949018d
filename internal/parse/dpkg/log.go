package dpkg

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"time"

	"bastion/internal/parse"
)

// The actions of /var/log/dpkg.log that change which version of a package
// is installed.
const (
	ActionInstall = "install"
	ActionUpgrade = "upgrade"
	ActionRemove  = "remove"
	ActionPurge   = "purge"
)

// LogEntry is a line of /var/log/dpkg.log that installs, upgrades, removes
// or purges a package:
//
//	2024-03-01 10:22:33 upgrade openssh-server:amd64 1:9.2p1-2+deb12u1 1:9.2p1-2+deb12u2
type LogEntry struct {
	// Line is the 1-based line number.
	Line int
	// Time is the time written on the line, in the host's local time but
	// read as UTC: the log does not say its zone.
	Time time.Time
	// Action is ActionInstall, ActionUpgrade, ActionRemove or ActionPurge.
	Action string
	// Package and Arch are the package and its architecture ("" when the
	// line names none).
	Package string
	Arch    string
	// From and To are the versions before and after; "<none>" is kept as
	// written.
	From, To string
}

// Log is what bastion reads of /var/log/dpkg.log: the lines that change
// which packages are installed, and the time of the newest line of any
// kind. The other lines (status, configure, trigproc, startup, conffile)
// are only checked for their time stamp; lines are not kept, as the log
// of a long-lived host runs to megabytes.
type Log struct {
	// Name is the name the log was parsed under.
	Name string
	// Entries are the install, upgrade, remove and purge lines in file
	// order.
	Entries []LogEntry
	// Newest is the latest time on any line, and NewestLine its line;
	// Oldest the earliest, where the log begins.
	Newest     time.Time
	NewestLine int
	Oldest     time.Time
	// Lines is the number of lines read.
	Lines int
}

// LastChange returns the newest install or upgrade entry, or false when
// the log has none.
func (l *Log) LastChange() (LogEntry, bool) {
	var best LogEntry
	found := false
	for _, e := range l.Entries {
		if (e.Action == ActionInstall || e.Action == ActionUpgrade) && (!found || !e.Time.Before(best.Time)) {
			best, found = e, true
		}
	}
	return best, found
}

// logTime is the layout of the time stamp that starts every line.
const logTime = "2006-01-02 15:04:05"

// ParseLog reads a dpkg log. A line that does not start with a time stamp
// and an action, and an install, upgrade, remove or purge line without a
// package and two versions, are reported as "name:line: what is wrong"
// (the first 50 of them), and the Log then holds the rest. A read error
// ends the parse and is returned with what was read before it.
func ParseLog(r io.Reader, name string) (*Log, error) {
	l := &Log{Name: name}
	var errs parse.Errors
	dropped := 0
	report := func(line int, format string, args ...any) {
		if errs.Len() < 50 {
			errs.Add(name, line, format, args...)
		} else {
			dropped++
		}
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		l.Lines++
		n := l.Lines
		text := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(text) == "" {
			continue
		}
		if len(text) < len(logTime) {
			report(n, "no time stamp: %q", clip(text))
			continue
		}
		t, err := time.Parse(logTime, text[:len(logTime)])
		if err != nil {
			report(n, "no time stamp: %q", clip(text))
			continue
		}
		f := parse.Fields(text[len(logTime):])
		if len(f) == 0 {
			report(n, "no action after the time stamp")
			continue
		}
		if t.After(l.Newest) || l.NewestLine == 0 {
			l.Newest, l.NewestLine = t, n
		}
		if t.Before(l.Oldest) || l.Oldest.IsZero() {
			l.Oldest = t
		}
		switch f[0] {
		case ActionInstall, ActionUpgrade, ActionRemove, ActionPurge:
		default:
			continue
		}
		if len(f) != 4 {
			report(n, "%s line without a package and two versions", f[0])
			continue
		}
		pkg, arch, _ := strings.Cut(f[1], ":")
		l.Entries = append(l.Entries, LogEntry{Line: n, Time: t, Action: f[0], Package: pkg, Arch: arch, From: f[2], To: f[3]})
	}
	if err := sc.Err(); err != nil {
		errs.Append(&parse.Error{File: name, Line: l.Lines + 1, Err: fmt.Errorf("read: %w", err)})
	}
	if dropped > 0 {
		errs.Add(name, l.Lines, "%d more errors not shown", dropped)
	}
	return l, errs.Err()
}
