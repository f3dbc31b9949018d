// Package lslpp reads captured output of the AIX lslpp command: "lslpp -w"
// (which fileset owns a file) and "lslpp -Lc" (installed filesets and their
// levels). bastion uses it to name the fileset behind a daemon and to know
// the software levels of an AIX host audited from a copy.
package lslpp

import (
	"io"
	"strings"

	"bastion/internal/parse"
)

// Owner is one row of "lslpp -w" output: a file and the fileset that
// installed it.
type Owner struct {
	Line int
	// Path is the file as lslpp printed it.
	Path string
	// Fileset is the owning fileset, as in "bos.net.tcp.client".
	Fileset string
	// Type is lslpp's word for the entry: "File", "Symlink", ...
	Type string
}

// Parse reads the output of "lslpp -w [path...]" in either of its forms: the
// table, with a "File Fileset Type" heading and a rule of dashes before the
// rows, or the colon-separated form of "lslpp -wc" with its "#Path:Fileset:
// Type" heading. Headings, rules and blank lines are skipped, as are the
// messages lslpp prints for a path no fileset owns ("lslpp: 0504-132 ...
// not installed."), which are not errors in the capture. A row that does not
// start with an absolute path or lacks a fileset or type is a line error.
func Parse(r io.Reader, name string) ([]Owner, error) {
	lines, err := parse.ReadLines(r, name)
	if err != nil {
		return nil, err
	}
	var (
		errs parse.Errors
		out  []Owner
	)
	for i, line := range lines {
		n := i + 1
		text := strings.TrimSpace(line)
		switch {
		case text == "", strings.HasPrefix(text, "#"), isRule(text),
			strings.HasPrefix(text, "lslpp:"):
			continue
		}
		if f := parse.Fields(text); len(f) == 3 && f[0] == "File" && f[1] == "Fileset" && f[2] == "Type" {
			continue
		}
		o, ok := splitOwner(text)
		if !ok {
			errs.Add(name, n, "not a \"path fileset type\" row: %q", clip(text))
			continue
		}
		o.Line = n
		out = append(out, o)
	}
	return out, errs.Err()
}

// splitOwner splits a row in the table form ("/usr/sbin/inetd
// bos.net.tcp.client File") or the colon form
// ("/usr/sbin/inetd:bos.net.tcp.client:File").
func splitOwner(text string) (Owner, bool) {
	if !strings.HasPrefix(text, "/") {
		return Owner{}, false
	}
	if !strings.ContainsAny(text, " \t") {
		// Colon form; the path may itself hold a colon, the last two
		// fields may not.
		j := strings.LastIndexByte(text, ':')
		if j < 0 {
			return Owner{}, false
		}
		k := strings.LastIndexByte(text[:j], ':')
		if k < 1 {
			return Owner{}, false
		}
		o := Owner{Path: text[:k], Fileset: text[k+1 : j], Type: text[j+1:]}
		return o, o.Fileset != "" && o.Type != ""
	}
	// Table form: the last two words are the fileset and the type; the
	// path is everything before them, so a path with a space survives.
	typ, rest := lastWord(text)
	fileset, rest := lastWord(rest)
	path := strings.TrimRight(rest, " \t")
	if path == "" || fileset == "" {
		return Owner{}, false
	}
	return Owner{Path: path, Fileset: fileset, Type: typ}, true
}

// lastWord splits s, which has no trailing space, into its last word and
// what precedes it.
func lastWord(s string) (word, rest string) {
	s = strings.TrimRight(s, " \t")
	i := strings.LastIndexAny(s, " \t")
	return s[i+1:], s[:i+1]
}

// isRule reports whether s is a run of dashes or equals signs, the rule
// under a heading.
func isRule(s string) bool {
	return strings.Trim(s, "-") == "" || strings.Trim(s, "=") == ""
}

// Fileset is one row of "lslpp -Lc" output: an installp fileset or an RPM
// package known to the AIX software database.
type Fileset struct {
	Line int
	// Package is the product the fileset belongs to ("bos.net").
	Package string
	// Name is the fileset ("bos.net.tcp.client") or, for an RPM, the
	// package with its version ("bash-5.1.4-2").
	Name string
	// Level is the installed level, V.R.M.F for filesets ("7.2.4.1").
	Level string
	// State is the installation state letter: C committed, A applied,
	// B broken, E efix locked, O obsolete, ? inconsistent. lslpp -Lc puts
	// it in the Fix State column and leaves State blank; either is used.
	State string
	// Type is F for an installp fileset, P product, C component, T
	// feature, R RPM package, E interim fix; it may be blank.
	Type string
	// Description is the one-line description.
	Description string
}

// lcFields is the number of colon-separated fields a row of "lslpp -Lc"
// has at least: Package Name, Fileset, Level, State, PTF Id, Fix State,
// Type, Description.
const lcFields = 8

// ParseL reads the output of "lslpp -Lc": a "#Package Name:Fileset:Level:
// State:PTF Id:Fix State:Type:Description:..." heading, then one
// colon-separated row per fileset. Fields after the description (install
// path, build date) are ignored; a description that itself holds a colon is
// cut there. Headings, blank lines and lslpp's own messages (for a fileset
// that is not installed) are skipped. A row with too few fields or without a
// fileset or level is a line error.
func ParseL(r io.Reader, name string) ([]Fileset, error) {
	lines, err := parse.ReadLines(r, name)
	if err != nil {
		return nil, err
	}
	var (
		errs parse.Errors
		out  []Fileset
	)
	for i, line := range lines {
		n := i + 1
		text := strings.TrimSpace(line)
		if text == "" || strings.HasPrefix(text, "#") || strings.HasPrefix(text, "lslpp:") {
			continue
		}
		f := strings.SplitN(text, ":", lcFields+1)
		if len(f) < lcFields {
			errs.Add(name, n, "%d colon-separated fields, want at least %d", len(f), lcFields)
			continue
		}
		fs := Fileset{
			Line:        n,
			Package:     strings.TrimSpace(f[0]),
			Name:        strings.TrimSpace(f[1]),
			Level:       strings.TrimSpace(f[2]),
			State:       strings.TrimSpace(f[3]),
			Type:        strings.TrimSpace(f[6]),
			Description: strings.TrimSpace(f[7]),
		}
		if fs.State == "" {
			fs.State = strings.TrimSpace(f[5])
		}
		switch {
		case fs.Name == "":
			errs.Add(name, n, "no fileset name")
			continue
		case fs.Level == "":
			errs.Add(name, n, "fileset %q has no level", clip(fs.Name))
			continue
		}
		out = append(out, fs)
	}
	return out, errs.Err()
}

// clip shortens s for an error message.
func clip(s string) string {
	const max = 60
	if len(s) <= max {
		return s
	}
	return s[:max] + "..."
}
