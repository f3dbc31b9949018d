// Package lssrc reads the output of the AIX lssrc command, captured to a
// file, to learn which subsystems of the System Resource Controller run
// and which inetd subservers are active.
//
// lssrc -a (and -g, -s) prints one table:
//
//	Subsystem         Group            PID          Status
//	 inetd            tcpip            2490704      active
//	 cthags           cthags                        inoperative
//	 pmperfrec                                      inoperative
//
// The PID is blank for a subsystem that does not run and the group may be
// blank too, so columns are placed by the offsets of the header's titles,
// and without a header by their order (the last field is the status, a
// numeric field the PID). lssrc -ls inetd adds sections after the
// subsystem row (Debug, Signal, Service); Parse skips them and
// ParseSubservers reads the Service table.
package lssrc

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"bastion/internal/parse"
)

// Subsystem is one row of the lssrc subsystem table.
type Subsystem struct {
	Line   int    // 1-based line number in the file
	Name   string // subsystem name, such as inetd
	Group  string // subsystem group, such as tcpip; "" if none
	PID    int    // process ID; 0 when the subsystem does not run
	Status string // active, inoperative, stopping, warned, ...
}

// Subserver is one row of the Service table of lssrc -ls inetd: an inetd
// subserver.
type Subserver struct {
	Line        int    // 1-based line number in the file
	Service     string // service name from inetd.conf, such as ftp
	Command     string // server program, or "internal"
	Description string // server arguments as printed, such as "telnetd -a"; may be ""
	Status      string // active, ...
}

// field is a field of a line and where it starts.
type field struct {
	text  string
	start int
}

func fields(line string) []field {
	var fs []field
	i := 0
	for i < len(line) {
		for i < len(line) && isBlank(line[i]) {
			i++
		}
		if i == len(line) {
			break
		}
		start := i
		for i < len(line) && !isBlank(line[i]) {
			i++
		}
		fs = append(fs, field{line[start:i], start})
	}
	return fs
}

func isBlank(c byte) bool { return c == ' ' || c == '\t' || c == '\r' }

// columnOf returns the index of the column, among the header titles that
// start at starts, whose start is nearest to a field starting at pos.
func columnOf(starts []int, pos int) int {
	best := 0
	for i, s := range starts {
		if abs(pos-s) < abs(pos-starts[best]) {
			best = i
		}
	}
	return best
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// table walks the lines of one kind of lssrc table: it finds each header
// (a line whose first fields are titles), yields the rows under it (lines
// that start with a blank), and ends the table at the first line that does
// not. Lines before any header are passed to orphan.
type table struct {
	titles []string
	row    func(lineNo int, line string, header []field)
	orphan func(lineNo int, line string)
}

func (t table) walk(lines []string) {
	var header []field
	in := false
	for i, line := range lines {
		f := fields(line)
		switch {
		case len(f) == 0:
		case t.isHeader(f):
			header, in = f, true
		case isBlank(line[0]) && in:
			t.row(i+1, line, header)
		case header == nil:
			t.orphan(i+1, line)
		default:
			in = false
		}
	}
}

func (t table) isHeader(f []field) bool {
	if len(f) < len(t.titles) {
		return false
	}
	for i, title := range t.titles {
		if f[i].text != title {
			return false
		}
	}
	return true
}

// Parse reads lssrc output and returns the subsystem rows. A line before
// the first header that is not a row (such as an lssrc error message) is an
// error. Parse returns every subsystem it could read, together with an
// error naming each bad line.
func Parse(r io.Reader, name string) ([]Subsystem, error) {
	lines, err := parse.ReadLines(r, name)
	if err != nil {
		return nil, err
	}
	var errs parse.Errors
	var subs []Subsystem
	add := func(lineNo int, line string, header []field) {
		s, err := parseSubsystem(line, header)
		if err != nil {
			errs.Add(name, lineNo, "%v", err)
			return
		}
		s.Line = lineNo
		subs = append(subs, s)
	}
	table{
		titles: []string{"Subsystem", "Group", "PID", "Status"},
		row:    add,
		orphan: func(lineNo int, line string) {
			if isBlank(line[0]) {
				add(lineNo, line, nil)
				return
			}
			errs.Add(name, lineNo, "expected the lssrc header or a subsystem row, found %q", clip(strings.TrimSpace(line)))
		},
	}.walk(lines)
	return subs, errs.Err()
}

func parseSubsystem(line string, header []field) (Subsystem, error) {
	var s Subsystem
	f := fields(line)
	if len(f) < 2 {
		return s, fmt.Errorf("subsystem %q has no status", f[0].text)
	}
	if len(f) > 4 {
		return s, fmt.Errorf("expected subsystem, group, PID and status, found %d fields", len(f))
	}
	s.Name, s.Status = f[0].text, f[len(f)-1].text
	if isNumber(s.Status) {
		return s, fmt.Errorf("subsystem %q has no status", s.Name)
	}
	var group, pid string
	switch mid := f[1 : len(f)-1]; len(mid) {
	case 2:
		group, pid = mid[0].text, mid[1].text
	case 1:
		isPID := isNumber(mid[0].text)
		if header != nil {
			// Group and PID titles are header fields 1 and 2.
			isPID = columnOf([]int{header[1].start, header[2].start}, mid[0].start) == 1
		}
		if isPID {
			pid = mid[0].text
		} else {
			group = mid[0].text
		}
	}
	s.Group = group
	if pid != "" {
		n, err := strconv.Atoi(pid)
		if err != nil || n < 0 {
			return s, fmt.Errorf("PID %q of subsystem %q is not a number", pid, s.Name)
		}
		s.PID = n
	}
	return s, nil
}

// ParseSubservers reads the Service table of lssrc -ls inetd:
//
//	Service       Command                  Description              Status
//	 ftp          /usr/sbin/ftpd           ftpd                     active
//	 telnet       /usr/sbin/telnetd        telnetd -a               active
//	 time         internal                                          active
//
// Everything else in the file is skipped. It returns every subserver it
// could read, together with an error naming each bad line.
func ParseSubservers(r io.Reader, name string) ([]Subserver, error) {
	lines, err := parse.ReadLines(r, name)
	if err != nil {
		return nil, err
	}
	var errs parse.Errors
	var subs []Subserver
	table{
		titles: []string{"Service", "Command", "Description", "Status"},
		row: func(lineNo int, line string, header []field) {
			s, err := parseSubserver(line, header)
			if err != nil {
				errs.Add(name, lineNo, "%v", err)
				return
			}
			s.Line = lineNo
			subs = append(subs, s)
		},
		orphan: func(int, string) {},
	}.walk(lines)
	return subs, errs.Err()
}

func parseSubserver(line string, header []field) (Subserver, error) {
	var s Subserver
	f := fields(line)
	if len(f) < 3 {
		return s, fmt.Errorf("expected service, command, description and status, found %d fields", len(f))
	}
	s.Service, s.Status = f[0].text, f[len(f)-1].text
	mid := f[1 : len(f)-1]
	// The command is one word; the description is the rest, spaces and
	// all. A first middle field in the Description column is a
	// description without a command.
	if columnOf([]int{header[1].start, header[2].start}, mid[0].start) == 0 {
		s.Command = mid[0].text
		mid = mid[1:]
	}
	if len(mid) > 0 {
		last := mid[len(mid)-1]
		s.Description = line[mid[0].start : last.start+len(last.text)]
	}
	return s, nil
}

func isNumber(s string) bool {
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

// clip shortens text quoted in a message.
func clip(s string) string {
	if len(s) > 50 {
		return s[:50] + "..."
	}
	return s
}
