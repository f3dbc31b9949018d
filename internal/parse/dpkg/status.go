// Package dpkg reads Debian's package database: the status file that says
// which packages are installed at which version, and the per-package .list
// files that say which paths each package installed. bastion uses it to name
// the package that owns a daemon's executable.
package dpkg

import (
	"io"
	"strings"

	"bastion/internal/parse"
)

// Package is one stanza of /var/lib/dpkg/status.
type Package struct {
	// Line is the line of the stanza's first field.
	Line int
	// Name is the Package field.
	Name string
	// Version is the Version field, as written (epoch:upstream-revision).
	Version string
	// Architecture is the Architecture field ("amd64", "all").
	Architecture string
	// Status is the Status field: want, error flag and state, as in
	// "install ok installed".
	Status string
	// Source is the name of the source package, without the version that
	// may follow it in parentheses. It is empty when the stanza has no
	// Source field, which means the source package has the binary's name.
	Source string
	// SourceVersion is the version in parentheses after the source name,
	// when the binary was built with a version other than its own.
	SourceVersion string
}

// Installed reports whether the package state (the third word of Status) is
// "installed". Packages removed but with configuration files left
// ("deinstall ok config-files") and half-installed ones are not.
func (p Package) Installed() bool {
	f := parse.Fields(p.Status)
	return len(f) == 3 && f[2] == "installed"
}

// ParseStatus reads a dpkg status file: stanzas of "Field: value" lines
// separated by blank lines, where a line starting with a space or tab
// continues the field before it. It returns every stanza that has a Package
// field; fields it does not model are skipped. A line that is neither a
// field nor a continuation, a duplicated field, and a stanza without a
// Package field are reported as line errors.
func ParseStatus(r io.Reader, name string) ([]Package, error) {
	lines, err := parse.ReadLines(r, name)
	if err != nil {
		return nil, err
	}
	var (
		errs  parse.Errors
		out   []Package
		cur   Package
		open  bool // a stanza has started
		seen  = map[string]bool{}
		field string // the field the last line belonged to, "" if none
	)
	finish := func() {
		if !open {
			return
		}
		if cur.Name == "" {
			errs.Add(name, cur.Line, "stanza has no Package field")
		} else {
			out = append(out, cur)
		}
		cur, open, field = Package{}, false, ""
		clear(seen)
	}
	for i, line := range lines {
		n := i + 1
		if strings.TrimSpace(line) == "" {
			finish()
			continue
		}
		if line[0] == ' ' || line[0] == '\t' {
			if field == "" {
				errs.Add(name, n, "continuation line outside a field")
			}
			// Continuations only extend fields that are not modelled
			// (Description, Conffiles, ...); the modelled ones are
			// single-line.
			continue
		}
		key, value, ok := splitField(line)
		if !ok {
			errs.Add(name, n, "not a field (want \"Name: value\"): %q", clip(line))
			field = "?" // continuation lines of a bad line are not errors again
			continue
		}
		if !open {
			open = true
			cur.Line = n
		}
		lower := strings.ToLower(key)
		if seen[lower] {
			errs.Add(name, n, "duplicate field %q", key)
			field = key
			continue
		}
		seen[lower] = true
		field = key
		switch lower {
		case "package":
			if value == "" || strings.ContainsAny(value, " \t") {
				errs.Add(name, n, "bad package name %q", clip(value))
				continue
			}
			cur.Name = value
		case "version":
			cur.Version = value
		case "architecture":
			cur.Architecture = value
		case "status":
			if len(parse.Fields(value)) != 3 {
				errs.Add(name, n, "status %q is not three words", clip(value))
			}
			cur.Status = value
		case "source":
			src, ver, ok := splitSource(value)
			if !ok {
				errs.Add(name, n, "bad source %q", clip(value))
				continue
			}
			cur.Source, cur.SourceVersion = src, ver
		}
	}
	finish()
	return out, errs.Err()
}

// splitField splits "Name: value". The name is the run of characters before
// the first colon and may not be empty, start with '#' or '-', or hold
// spaces.
func splitField(line string) (key, value string, ok bool) {
	i := strings.IndexByte(line, ':')
	if i <= 0 {
		return "", "", false
	}
	key = line[:i]
	if key[0] == '#' || key[0] == '-' {
		return "", "", false
	}
	for j := 0; j < len(key); j++ {
		if c := key[j]; c <= ' ' || c >= 0x7f {
			return "", "", false
		}
	}
	return key, strings.TrimSpace(line[i+1:]), true
}

// splitSource splits a Source value, "name" or "name (version)".
func splitSource(v string) (src, ver string, ok bool) {
	f := parse.Fields(v)
	switch {
	case len(f) == 1:
		return f[0], "", true
	case len(f) == 2 && len(f[1]) > 2 && strings.HasPrefix(f[1], "(") && strings.HasSuffix(f[1], ")"):
		return f[0], f[1][1 : len(f[1])-1], true
	}
	return "", "", false
}

// clip shortens s for an error message.
func clip(s string) string {
	const max = 60
	if len(s) <= max {
		return s
	}
	return s[:max] + "..."
}
