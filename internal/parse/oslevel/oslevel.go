// Package oslevel reads the level of an AIX host from captured output of the
// oslevel command (base level, technology level or service pack form) and
// from /usr/lpp/bos/aix_release.level, so that bastion can apply the
// defaults and checks of that AIX release.
package oslevel

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"bastion/internal/parse"
)

// Form says which oslevel output a Level was read from.
type Form int

// The forms of oslevel output.
const (
	// Base is "oslevel" or aix_release.level: "7.2.0.0", "4.3.3.0".
	Base Form = iota + 1
	// TL is "oslevel -r": release and technology level, "5300-12".
	TL
	// SP is "oslevel -s": release, technology level, service pack and
	// build, "7200-05-03-2148".
	SP
)

// String returns the oslevel flag that prints the form.
func (f Form) String() string {
	switch f {
	case Base:
		return "oslevel"
	case TL:
		return "oslevel -r"
	case SP:
		return "oslevel -s"
	}
	return "Form(" + strconv.Itoa(int(f)) + ")"
}

// Level is an AIX operating system level.
type Level struct {
	// Line is the line the level was read from.
	Line int
	// Raw is that line without surrounding space.
	Raw string
	// Form is the output form Raw has.
	Form Form
	// Version is the release as usually written: "7.2", or "4.3.3" where
	// the modification level is not zero.
	Version string
	// Major and Minor are the version and release numbers (7 and 2).
	Major, Minor int
	// TL is the technology level (maintenance level before AIX 5.3);
	// zero in the Base form.
	TL int
	// SP is the service pack; zero in the Base and TL forms.
	SP int
	// CSP is set when the service pack is the concluding one, written
	// "CSP" in place of its number.
	CSP bool
	// Build is the service pack's build date as YYWW ("2148"), when given.
	Build string
}

// String describes the level for people: "AIX 7.2 TL5 SP3", "AIX 5.3 TL12",
// "AIX 4.3.3". Levels of releases before 5.3 say ML (maintenance level) for
// TL.
func (l Level) String() string {
	s := "AIX " + l.Version
	if l.Form == TL || l.Form == SP {
		tl := "TL"
		if l.Major < 5 || l.Major == 5 && l.Minor < 3 {
			tl = "ML"
		}
		s += fmt.Sprintf(" %s%d", tl, l.TL)
	}
	if l.Form == SP {
		if l.CSP {
			s += " CSP"
		} else {
			s += fmt.Sprintf(" SP%d", l.SP)
		}
	}
	return s
}

// Parse reads captured output of oslevel, "oslevel -r" or "oslevel -s"
// and recognises the form from the first non-empty line; later lines are
// ignored. A first line in none of the forms, or no line at all, is an
// error.
func Parse(r io.Reader, name string) (Level, error) {
	lines, err := parse.ReadLines(r, name)
	if err != nil {
		return Level{}, err
	}
	for i, line := range lines {
		text := strings.TrimSpace(line)
		if text == "" {
			continue
		}
		l, problem := parseLevel(text)
		if problem != "" {
			return Level{}, parse.Errorf(name, i+1, "%s: %q", problem, clip(text))
		}
		l.Line = i + 1
		return l, nil
	}
	return Level{}, parse.Errorf(name, 0, "no level found")
}

// ParseBosLevel reads /usr/lpp/bos/aix_release.level, which AIX keeps with
// the base operating system's level in V.R.M.F form ("7.2.0.0") on its first
// line. The result has the Base form.
func ParseBosLevel(r io.Reader, name string) (Level, error) {
	lines, err := parse.ReadLines(r, name)
	if err != nil {
		return Level{}, err
	}
	for i, line := range lines {
		text := strings.TrimSpace(line)
		if text == "" {
			continue
		}
		l, ok := parseBase(text)
		if !ok {
			return Level{}, parse.Errorf(name, i+1, "not a V.R.M.F level: %q", clip(text))
		}
		l.Line = i + 1
		return l, nil
	}
	return Level{}, parse.Errorf(name, 0, "no level found")
}

// parseLevel recognises one of the three forms.
func parseLevel(s string) (Level, string) {
	if strings.Contains(s, ".") {
		if l, ok := parseBase(s); ok {
			return l, ""
		}
		return Level{}, "not a V.R.M.F level"
	}
	parts := strings.Split(s, "-")
	if len(parts) < 2 || len(parts) > 4 {
		return Level{}, "not an oslevel, oslevel -r or oslevel -s level"
	}
	vrmf := parts[0]
	if len(vrmf) != 4 || !digits(vrmf) {
		return Level{}, "release is not four digits"
	}
	l := Level{Raw: s, Form: TL, Major: int(vrmf[0] - '0'), Minor: int(vrmf[1] - '0')}
	l.Version = version(l.Major, l.Minor, int(vrmf[2]-'0'))
	var ok bool
	if l.TL, ok = number(parts[1]); !ok {
		return Level{}, "technology level is not a number"
	}
	if len(parts) == 2 {
		return l, ""
	}
	l.Form = SP
	if parts[2] == "CSP" {
		l.CSP = true
	} else if l.SP, ok = number(parts[2]); !ok {
		return Level{}, "service pack is not a number"
	}
	if len(parts) == 4 {
		if len(parts[3]) != 4 || !digits(parts[3]) {
			return Level{}, "build is not four digits (YYWW)"
		}
		l.Build = parts[3]
	}
	return l, ""
}

// parseBase parses a V.R.M.F level ("7.2.0.0"). Two or three fields are
// accepted too.
func parseBase(s string) (Level, bool) {
	parts := strings.Split(s, ".")
	if len(parts) < 2 || len(parts) > 4 {
		return Level{}, false
	}
	var n [4]int
	for i, p := range parts {
		v, ok := number(p)
		if !ok {
			return Level{}, false
		}
		n[i] = v
	}
	return Level{Raw: s, Form: Base, Major: n[0], Minor: n[1], Version: version(n[0], n[1], n[2])}, true
}

// version writes "V.R", or "V.R.M" when the modification level is set.
func version(v, r, m int) string {
	if m != 0 {
		return fmt.Sprintf("%d.%d.%d", v, r, m)
	}
	return fmt.Sprintf("%d.%d", v, r)
}

// number parses a field of one to four decimal digits.
func number(s string) (int, bool) {
	if len(s) == 0 || len(s) > 4 || !digits(s) {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// clip shortens s for an error message.
func clip(s string) string {
	const max = 60
	if len(s) <= max {
		return s
	}
	return s[:max] + "..."
}
