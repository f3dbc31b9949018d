// Package updateinfo reads captured output of "dnf updateinfo list" and
// "yum updateinfo list" on Red Hat and its derivatives: one line per
// advisory and package that has an update waiting,
//
//	RHSA-2024:3501 Important/Sec. openssh-8.7p1-38.el9_4.1.x86_64
//	RHBA-2024:2871 bugfix         tzdata-2024a-2.el9.noarch
//
// so that bastion can tell pending security updates from the others on a
// host whose package database it does not read.
package updateinfo

import (
	"io"
	"strings"

	"bastion/internal/parse"
)

// Advisory is one line: an advisory and a package it updates.
type Advisory struct {
	// Line is the 1-based line number.
	Line int
	// ID is the advisory ("RHSA-2024:3501", "FEDORA-2024-1a2b3c4d5e").
	ID string
	// Type is the type column as written ("Important/Sec.", "bugfix").
	Type string
	// Security reports a security advisory: a type ending in "/Sec." or
	// "security".
	Security bool
	// Severity is the severity of a security advisory ("Important"), when
	// the type gives one.
	Severity string
	// Package is the update's package name, and Version its
	// [epoch:]version-release and Arch its architecture, split from the
	// NEVRA as written (NEVRA).
	Package string
	Version string
	Arch    string
	NEVRA   string
}

// File is captured updateinfo output with its original lines.
type File struct {
	// Name is the name the file was parsed under, used in error messages.
	Name string
	// Lines holds every line as read, without line endings.
	Lines []string
	// Advisories holds the advisory lines in file order.
	Advisories []Advisory
}

// Bytes returns the file as read, every line ended with "\n".
func (f *File) Bytes() []byte { return parse.JoinLines(f.Lines) }

// noise are the starts of the lines dnf and yum print around the list.
var noise = []string{
	"Loaded plugins:", "Last metadata expiration check:", "Updating Subscription Management",
	"updateinfo list done", "This system is", "Unable to read consumer identity", "Repository ",
	"Updating and loading repositories:", "Repositories loaded.", "Name ", "Waiting for process",
}

// types are the non-security types of an advisory.
var types = map[string]bool{"bugfix": true, "enhancement": true, "newpackage": true, "unspecified": true, "unknown": true}

// Parse reads captured updateinfo output. Blank lines, lines starting
// with '#', and the messages dnf and yum print around the list are
// skipped. Any other line that is not "ID TYPE NEVRA" (dnf 5 adds a
// severity column and the issue date, which are accepted) is reported as
// "name:line: what is wrong", and the File then holds the rest. A file
// that cannot be read gives a nil File.
func Parse(r io.Reader, name string) (*File, error) {
	lines, err := parse.ReadLines(r, name)
	if err != nil {
		return nil, err
	}
	f := &File{Name: name, Lines: lines}
	var errs parse.Errors
	for i, line := range lines {
		n := i + 1
		text := strings.TrimSpace(line)
		if text == "" || text[0] == '#' || isNoise(text) {
			continue
		}
		a, problem := parseLine(parse.Fields(text))
		if problem != "" {
			errs.Add(name, n, "%s: %q", problem, clip(text))
			continue
		}
		a.Line = n
		f.Advisories = append(f.Advisories, a)
	}
	return f, errs.Err()
}

func isNoise(text string) bool {
	for _, p := range noise {
		if strings.HasPrefix(text, p) {
			return true
		}
	}
	return false
}

// parseLine reads the columns of one advisory line: "ID TYPE NEVRA" (dnf
// 4, yum), or "ID TYPE SEVERITY NEVRA DATE TIME" (dnf 5).
func parseLine(f []string) (Advisory, string) {
	var a Advisory
	switch len(f) {
	case 3:
		a.ID, a.Type, a.NEVRA = f[0], f[1], f[2]
	case 6:
		a.ID, a.Type, a.Severity, a.NEVRA = f[0], f[1], f[2], f[3]
	default:
		return a, "not an advisory line (want ID TYPE PACKAGE)"
	}
	if !strings.ContainsAny(a.ID, "0123456789") || !strings.ContainsAny(a.ID, "-:") {
		return a, "not an advisory name"
	}
	lower := strings.ToLower(a.Type)
	switch {
	case strings.HasSuffix(lower, "/sec."):
		a.Security = true
		a.Severity = a.Type[:len(a.Type)-len("/Sec.")]
	case lower == "security":
		a.Security = true
	case types[lower]:
	default:
		return a, "unknown advisory type " + a.Type
	}
	if a.Severity == "None" {
		a.Severity = ""
	}
	var ok bool
	if a.Package, a.Version, a.Arch, ok = SplitNEVRA(a.NEVRA); !ok {
		return a, "not a package name-version-release.arch"
	}
	return a, ""
}

// SplitNEVRA splits "name-[epoch:]version-release.arch" into the name,
// "[epoch:]version-release" and the architecture.
func SplitNEVRA(s string) (name, version, arch string, ok bool) {
	dot := strings.LastIndexByte(s, '.')
	if dot <= 0 || dot == len(s)-1 {
		return "", "", "", false
	}
	nvr, arch := s[:dot], s[dot+1:]
	rel := strings.LastIndexByte(nvr, '-')
	if rel <= 0 || rel == len(nvr)-1 {
		return "", "", "", false
	}
	ver := strings.LastIndexByte(nvr[:rel], '-')
	if ver <= 0 || ver == rel-1 {
		return "", "", "", false
	}
	return nvr[:ver], nvr[ver+1:], arch, true
}

// clip shortens s for an error message.
func clip(s string) string {
	const max = 60
	if len(s) <= max {
		return s
	}
	return s[:max] + "..."
}
