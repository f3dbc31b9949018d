// Package debver compares Debian package versions the way dpkg and apt do,
// so that bastion can tell whether a version in a package list is newer
// than the one installed.
//
// A version is [epoch:]upstream[-revision]. Epochs compare as numbers;
// upstream versions and revisions compare part by part, alternating a run
// of non-digits (compared character by character, where '~' sorts before
// everything, even the end of the string, and letters sort before every
// other character) and a run of digits (compared as numbers).
package debver

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Version is a Debian version split into its parts.
type Version struct {
	// Epoch is the number before the first colon, 0 when there is none.
	Epoch int
	// Upstream is the part between the epoch and the last hyphen.
	Upstream string
	// Revision is the part after the last hyphen, "" when there is none
	// (which compares equal to "0").
	Revision string
}

// String writes the version back, with the epoch only when it is not 0.
func (v Version) String() string {
	s := v.Upstream
	// A colon in the upstream version needs an epoch before it, even 0.
	if v.Epoch != 0 || strings.Contains(s, ":") {
		s = strconv.Itoa(v.Epoch) + ":" + s
	}
	if v.Revision != "" {
		s += "-" + v.Revision
	}
	return s
}

// maxEpoch is the largest epoch dpkg accepts.
const maxEpoch = 1<<31 - 1

// Parse splits a version and checks it as dpkg does: a numeric epoch, an
// upstream version that is not empty and starts with a digit, and only
// letters, digits and ".+~-:" in the upstream version (a hyphen only when
// there is a revision, a colon only when there is an epoch) and only
// letters, digits and ".+~" in the revision.
func Parse(s string) (Version, error) {
	var v Version
	if s == "" {
		return v, fmt.Errorf("empty version")
	}
	if strings.ContainsAny(s, " \t\r\n") {
		return v, fmt.Errorf("version %q has a blank", s)
	}
	rest := s
	if e, after, ok := strings.Cut(s, ":"); ok {
		if e == "" || !allDigits(e) {
			return v, fmt.Errorf("version %q: epoch is not a number", s)
		}
		n, err := strconv.Atoi(e)
		if err != nil || n > maxEpoch {
			return v, fmt.Errorf("version %q: epoch is too big", s)
		}
		v.Epoch, rest = n, after
	}
	v.Upstream = rest
	if i := strings.LastIndexByte(rest, '-'); i >= 0 {
		v.Upstream, v.Revision = rest[:i], rest[i+1:]
		if v.Revision == "" {
			return v, fmt.Errorf("version %q: empty revision", s)
		}
	}
	switch {
	case v.Upstream == "":
		return v, fmt.Errorf("version %q: empty upstream version", s)
	case !isDigit(v.Upstream[0]):
		return v, fmt.Errorf("version %q: upstream version does not start with a digit", s)
	}
	for i := 0; i < len(v.Upstream); i++ {
		if c := v.Upstream[i]; !isAlnum(c) && !strings.ContainsRune(".+~-:", rune(c)) {
			return v, fmt.Errorf("version %q: bad character %q in upstream version", s, c)
		}
	}
	for i := 0; i < len(v.Revision); i++ {
		if c := v.Revision[i]; !isAlnum(c) && !strings.ContainsRune(".+~", rune(c)) {
			return v, fmt.Errorf("version %q: bad character %q in revision", s, c)
		}
	}
	return v, nil
}

// Valid reports whether Parse accepts s.
func Valid(s string) bool {
	_, err := Parse(s)
	return err == nil
}

// Compare returns -1, 0 or +1 as version a is older than, the same as, or
// newer than version b. It never fails: a version Parse would refuse is
// split and compared the same way all the same, as apt does.
func Compare(a, b string) int {
	return CompareVersions(split(a), split(b))
}

// CompareVersions compares two split versions: epoch, then upstream
// version, then revision.
func CompareVersions(a, b Version) int {
	switch {
	case a.Epoch < b.Epoch:
		return -1
	case a.Epoch > b.Epoch:
		return 1
	}
	if c := compareParts(a.Upstream, b.Upstream); c != 0 {
		return c
	}
	return compareParts(a.Revision, b.Revision)
}

// split cuts a version into its parts without checking it. An epoch that
// is not a number is left in the upstream version; one too big for an int
// counts as the biggest.
func split(s string) Version {
	var v Version
	if e, after, ok := strings.Cut(s, ":"); ok && e != "" && allDigits(e) {
		n, err := strconv.Atoi(e)
		if err != nil {
			n = math.MaxInt
		}
		v.Epoch, s = n, after
	}
	v.Upstream = s
	if i := strings.LastIndexByte(s, '-'); i >= 0 {
		v.Upstream, v.Revision = s[:i], s[i+1:]
	}
	return v
}

// order is the weight of a character in a non-digit run: '~' lightest,
// then the end of the run, then letters in ASCII order, then everything
// else in ASCII order.
func order(s string, i int) int {
	if i >= len(s) {
		return 0
	}
	c := s[i]
	switch {
	case isDigit(c):
		return 0
	case isAlpha(c):
		return int(c)
	case c == '~':
		return -1
	}
	return int(c) + 256
}

// compareParts compares upstream versions or revisions.
func compareParts(a, b string) int {
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		// The non-digit runs, character by character.
		for i < len(a) && !isDigit(a[i]) || j < len(b) && !isDigit(b[j]) {
			ac, bc := order(a, i), order(b, j)
			if ac != bc {
				return sign(ac - bc)
			}
			i++
			j++
		}
		// The digit runs, as numbers: leading zeros do not count, a
		// longer run is the bigger number, and between runs of the same
		// length the first differing digit decides.
		for i < len(a) && a[i] == '0' {
			i++
		}
		for j < len(b) && b[j] == '0' {
			j++
		}
		first := 0
		for i < len(a) && isDigit(a[i]) && j < len(b) && isDigit(b[j]) {
			if first == 0 {
				first = int(a[i]) - int(b[j])
			}
			i++
			j++
		}
		if i < len(a) && isDigit(a[i]) {
			return 1
		}
		if j < len(b) && isDigit(b[j]) {
			return -1
		}
		if first != 0 {
			return sign(first)
		}
	}
	return 0
}

func sign(n int) int {
	switch {
	case n < 0:
		return -1
	case n > 0:
		return 1
	}
	return 0
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
func isAlpha(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isAlnum(c byte) bool { return isDigit(c) || isAlpha(c) }

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}
