// Package osrelease identifies a Linux distribution and its release from
// /etc/os-release (or /usr/lib/os-release), and from the older
// /etc/redhat-release and /etc/debian_version files, so that bastion can
// pick the service names, paths and defaults of the host it audits.
package osrelease

import (
	"io"
	"strings"

	"bastion/internal/parse"
)

// Release is the content of an os-release file.
type Release struct {
	// Fields holds every assignment, unquoted, by variable name. A name
	// assigned twice keeps its last value, as the shell would.
	Fields map[string]string
	// Lines holds the line of each name's last assignment.
	Lines map[string]int
	// ID is the lowercase distribution identifier ("debian", "rhel").
	ID string
	// IDLike lists the distributions this one derives from, closest
	// first ("rhel", "centos", "fedora" for Rocky Linux).
	IDLike []string
	// VersionID is the release number ("12", "9.4"); empty on rolling
	// releases.
	VersionID string
	// VersionCodename is the release code name ("bookworm"), if given.
	VersionCodename string
	// PrettyName is the name for display ("Debian GNU/Linux 12 (bookworm)").
	PrettyName string
	// Name is the distribution name without version ("Debian GNU/Linux").
	Name string
}

// Parse reads an os-release file as os-release(5) describes it: lines of
// KEY=value, where the value is bare, "double-quoted" (backslash escapes \",
// \\, \$ and \`) or 'single-quoted' (no escapes), blank lines and lines
// starting with '#' being ignored. The fields of Release are filled from
// ID, ID_LIKE, VERSION_ID, VERSION_CODENAME, PRETTY_NAME and NAME; the
// defaults os-release(5) gives for missing ones (ID=linux, NAME=Linux) are
// left to the caller. A line that is not an assignment to a valid name, or
// whose quoting is unbalanced or followed by other text, is a line error.
// The Release is returned whenever the file could be read.
func Parse(r io.Reader, name string) (*Release, error) {
	lines, err := parse.ReadLines(r, name)
	if err != nil {
		return nil, err
	}
	rel := &Release{Fields: map[string]string{}, Lines: map[string]int{}}
	var errs parse.Errors
	for i, line := range lines {
		n := i + 1
		text := strings.TrimSpace(line)
		if text == "" || text[0] == '#' {
			continue
		}
		key, raw, ok := strings.Cut(text, "=")
		if !ok {
			errs.Add(name, n, "not a KEY=value assignment: %q", clip(text))
			continue
		}
		if !validName(key) {
			errs.Add(name, n, "bad variable name %q", clip(key))
			continue
		}
		value, problem := unquote(raw)
		if problem != "" {
			errs.Add(name, n, "%s in value of %s", problem, key)
			continue
		}
		rel.Fields[key] = value
		rel.Lines[key] = n
	}
	rel.ID = rel.Fields["ID"]
	if like := parse.Fields(rel.Fields["ID_LIKE"]); len(like) > 0 {
		rel.IDLike = like
	}
	rel.VersionID = rel.Fields["VERSION_ID"]
	rel.VersionCodename = rel.Fields["VERSION_CODENAME"]
	rel.PrettyName = rel.Fields["PRETTY_NAME"]
	rel.Name = rel.Fields["NAME"]
	return rel, errs.Err()
}

// validName reports whether s is a shell variable name: letters, digits
// and underscores, not starting with a digit.
func validName(s string) bool {
	if s == "" || '0' <= s[0] && s[0] <= '9' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// unquote returns the value of the right-hand side s of an assignment, or a
// description of what is wrong with it.
func unquote(s string) (value, problem string) {
	if s == "" {
		return "", ""
	}
	switch s[0] {
	case '\'':
		end := strings.IndexByte(s[1:], '\'')
		if end < 0 {
			return "", "unterminated single quote"
		}
		if rest := s[end+2:]; rest != "" {
			return "", "text after closing quote"
		}
		return s[1 : end+1], ""
	case '"':
		var b strings.Builder
		for i := 1; i < len(s); i++ {
			c := s[i]
			switch {
			case c == '"':
				if i+1 != len(s) {
					return "", "text after closing quote"
				}
				return b.String(), ""
			case c == '\\' && i+1 < len(s):
				next := s[i+1]
				if strings.IndexByte("\"\\$`", next) < 0 {
					// Other escapes keep their backslash, as in
					// the shell.
					b.WriteByte(c)
				}
				b.WriteByte(next)
				i++
			default:
				b.WriteByte(c)
			}
		}
		return "", "unterminated double quote"
	}
	// A bare value: a backslash quotes the next character; a quote would
	// need quoting. White space should be quoted too, but systemd keeps
	// it as part of the value and so does this parser.
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\':
			if i+1 == len(s) {
				return "", "backslash at end of line"
			}
			b.WriteByte(s[i+1])
			i++
		case c == '"' || c == '\'' || c == '`':
			return "", "unexpected quote"
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), ""
}

// ParseRedHatRelease splits the line of /etc/redhat-release (also
// /etc/centos-release, /etc/rocky-release, /etc/fedora-release) into the
// distribution's name and its version: "Red Hat Enterprise Linux release 9.4
// (Plow)" gives "Red Hat Enterprise Linux" and "9.4". The code name in
// parentheses is dropped. It reports false for a line without " release "
// followed by a version starting with a digit.
func ParseRedHatRelease(line string) (name, version string, ok bool) {
	line = strings.TrimSpace(line)
	i := strings.Index(line, " release ")
	if i <= 0 {
		return "", "", false
	}
	name = strings.TrimSpace(line[:i])
	f := parse.Fields(line[i+len(" release "):])
	if name == "" || len(f) == 0 || f[0][0] < '0' || f[0][0] > '9' {
		return "", "", false
	}
	return name, f[0], true
}

// ParseDebianVersion reads the content of /etc/debian_version. A stable
// release holds its number, "12.5", returned as version. Testing and
// unstable hold "codename/sid", "trixie/sid", whose code name is returned
// (Ubuntu holds the Debian code name it was based on in the same form; old
// releases held "testing/unstable", returned as "testing"). It reports false
// for anything else.
func ParseDebianVersion(s string) (version, codename string, ok bool) {
	s = strings.TrimSpace(s)
	if s == "" || strings.ContainsAny(s, " \t\r\n") {
		return "", "", false
	}
	if c, rest, found := strings.Cut(s, "/"); found {
		if !isWord(c) || !isWord(rest) {
			return "", "", false
		}
		return "", c, true
	}
	if s[0] < '0' || s[0] > '9' {
		return "", "", false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < '0' || c > '9') && c != '.' {
			return "", "", false
		}
	}
	return s, "", true
}

// isWord reports whether s is a non-empty run of lowercase letters.
func isWord(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 'a' || s[i] > 'z' {
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
