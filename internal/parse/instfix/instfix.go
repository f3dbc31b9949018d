// Package instfix reads captured output of AIX's instfix command: "instfix
// -ik KEYWORD" for a fix (an APAR such as IY04477) and "instfix -i" for
// every fix and maintenance level the fix database knows. Each answer is
// one line:
//
//	All filesets for IY04477 were found.
//	Not all filesets for 7200-05_AIX_ML were found.
//	There was no data for IY99999 in the fix database.
//
// bastion uses them to tell whether a fix the method requires is installed,
// and whether a technology level or service pack was installed only in
// part.
package instfix

import (
	"io"
	"strings"

	"bastion/internal/parse"
)

// State is what instfix says of a fix.
type State int

// The answers of instfix.
const (
	// All: every fileset of the fix is installed at its level or later.
	All State = iota + 1
	// Partial: some filesets of the fix are missing or below its level.
	Partial
	// NoData: the fix database does not know the keyword, so nothing of
	// it was ever installed.
	NoData
)

// String returns the state in words.
func (s State) String() string {
	switch s {
	case All:
		return "all filesets found"
	case Partial:
		return "not all filesets found"
	case NoData:
		return "not in the fix database"
	}
	return "unknown"
}

// Kind says what a keyword names.
type Kind int

// The kinds of keyword.
const (
	// APAR is a single fix ("IY04477", "IJ12345").
	APAR Kind = iota + 1
	// ML is a maintenance or technology level ("4330-02_AIX_ML",
	// "7200-05_AIX_ML").
	ML
	// SP is a service pack ("72-05-032148_SP").
	SP
)

// String names the kind.
func (k Kind) String() string {
	switch k {
	case APAR:
		return "APAR"
	case ML:
		return "maintenance level"
	case SP:
		return "service pack"
	}
	return "unknown"
}

// KindOf tells a keyword's kind from its form: "_AIX_ML" or "_ML" at the
// end names a maintenance or technology level, "_SP" a service pack, and
// anything else a fix.
func KindOf(keyword string) Kind {
	switch {
	case strings.HasSuffix(keyword, "_ML"):
		return ML
	case strings.HasSuffix(keyword, "_SP"):
		return SP
	}
	return APAR
}

// Fix is one answer of instfix.
type Fix struct {
	// Line is the 1-based line number.
	Line int
	// Keyword is the fix, level or service pack as instfix names it.
	Keyword string
	Kind    Kind
	State   State
}

// File is captured instfix output with its original lines.
type File struct {
	// Name is the name the file was parsed under, used in error messages.
	Name string
	// Lines holds every line as read, without line endings.
	Lines []string
	// Fixes holds the answers in file order.
	Fixes []Fix
}

// Find returns the last answer about a keyword (a capture may ask twice;
// the later answer is the newer), compared without regard to case.
func (f *File) Find(keyword string) (Fix, bool) {
	for i := len(f.Fixes) - 1; i >= 0; i-- {
		if strings.EqualFold(f.Fixes[i].Keyword, keyword) {
			return f.Fixes[i], true
		}
	}
	return Fix{}, false
}

// Bytes returns the file as read, every line ended with "\n".
func (f *File) Bytes() []byte { return parse.JoinLines(f.Lines) }

// The sentences instfix answers with, around the keyword.
var sentences = []struct {
	prefix, suffix string
	state          State
}{
	{"All filesets for ", " were found.", All},
	{"Not all filesets for ", " were found.", Partial},
	{"There was no data for ", " in the fix database.", NoData},
}

// Parse reads captured instfix output. Blank lines, the fileset lines of
// "instfix -ivk" ("Fileset bos.net.tcp.client:4.3.3.10 is applied on the
// system.") and its abstract lines (a keyword followed by "Abstract:"),
// and lines starting with '#' (a note in the capture) are skipped. Any
// other line, and a sentence whose keyword is empty or holds a blank, are
// reported as "name:line: what is wrong", and the File then holds the
// answers read. A file that cannot be read gives a nil File.
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
		switch {
		case text == "" || text[0] == '#':
			continue
		case strings.HasPrefix(text, "Fileset "):
			continue
		}
		if kw, rest, ok := strings.Cut(text, " "); ok && strings.HasPrefix(strings.TrimSpace(rest), "Abstract:") && !strings.ContainsAny(kw, ":") {
			continue
		}
		found := false
		for _, s := range sentences {
			if !strings.HasPrefix(text, s.prefix) || !strings.HasSuffix(text, s.suffix) || len(text) < len(s.prefix)+len(s.suffix) {
				continue
			}
			found = true
			kw := text[len(s.prefix) : len(text)-len(s.suffix)]
			if kw == "" || strings.ContainsAny(kw, " \t") {
				errs.Add(name, n, "bad fix keyword %q", clip(kw))
				break
			}
			f.Fixes = append(f.Fixes, Fix{Line: n, Keyword: kw, Kind: KindOf(kw), State: s.state})
			break
		}
		if !found {
			errs.Add(name, n, "not an instfix answer: %q", clip(text))
		}
	}
	return f, errs.Err()
}

// clip shortens s for an error message.
func clip(s string) string {
	const max = 60
	if len(s) <= max {
		return s
	}
	return s[:max] + "..."
}
