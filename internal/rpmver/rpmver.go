// Package rpmver orders RPM package versions as rpm does: "[epoch:]version
// [-release]", each of version and release compared by rpmvercmp's rules.
package rpmver

import "strings"

// Compare returns -1, 0 or 1 as version a is older than, the same as, or
// newer than b. A missing epoch is 0; a missing release compares equal
// to any release, as rpm does when one side gives none.
func Compare(a, b string) int {
	ea, va, ra := split(a)
	eb, vb, rb := split(b)
	if c := segment(ea, eb); c != 0 {
		return c
	}
	if c := Vercmp(va, vb); c != 0 {
		return c
	}
	if ra == "" || rb == "" {
		return 0
	}
	return Vercmp(ra, rb)
}

// split cuts "epoch:version-release".
func split(s string) (epoch, version, release string) {
	epoch = "0"
	if i := strings.IndexByte(s, ':'); i >= 0 {
		epoch, s = s[:i], s[i+1:]
		if epoch == "" {
			epoch = "0"
		}
	}
	if i := strings.LastIndexByte(s, '-'); i >= 0 {
		return epoch, s[:i], s[i+1:]
	}
	return epoch, s, ""
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
func isAlpha(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isAlnum(c byte) bool { return isDigit(c) || isAlpha(c) }

// Vercmp compares two version (or release) strings by rpm's rules: runs of
// digits and of letters compared in turn, digits newer than letters,
// numbers by value, separators ignored; '~' sorts before everything, even
// the end, and '^' after the end but before anything else.
func Vercmp(a, b string) int {
	if a == b {
		return 0
	}
	for {
		for len(a) > 0 && !isAlnum(a[0]) && a[0] != '~' && a[0] != '^' {
			a = a[1:]
		}
		for len(b) > 0 && !isAlnum(b[0]) && b[0] != '~' && b[0] != '^' {
			b = b[1:]
		}
		// Tilde: older than anything, the end included.
		ta, tb := len(a) > 0 && a[0] == '~', len(b) > 0 && b[0] == '~'
		if ta || tb {
			if !ta {
				return 1
			}
			if !tb {
				return -1
			}
			a, b = a[1:], b[1:]
			continue
		}
		// Caret: newer than the end, older than anything else.
		ca, cb := len(a) > 0 && a[0] == '^', len(b) > 0 && b[0] == '^'
		if ca || cb {
			switch {
			case len(a) == 0:
				return -1
			case len(b) == 0:
				return 1
			case !ca:
				return 1
			case !cb:
				return -1
			}
			a, b = a[1:], b[1:]
			continue
		}
		if len(a) == 0 || len(b) == 0 {
			break
		}
		numeric := isDigit(a[0])
		take := isAlpha
		if numeric {
			take = isDigit
		}
		i := 0
		for i < len(a) && take(a[i]) {
			i++
		}
		j := 0
		for j < len(b) && take(b[j]) {
			j++
		}
		sa, sb := a[:i], b[:j]
		a, b = a[i:], b[j:]
		if j == 0 {
			// Different kinds: a number is newer than letters.
			if numeric {
				return 1
			}
			return -1
		}
		var c int
		if numeric {
			c = segment(sa, sb)
		} else {
			c = strings.Compare(sa, sb)
		}
		if c != 0 {
			return c
		}
	}
	switch {
	case len(a) == 0 && len(b) == 0:
		return 0
	case len(a) == 0:
		return -1
	}
	return 1
}

// segment compares two runs of digits by value.
func segment(a, b string) int {
	a, b = strings.TrimLeft(a, "0"), strings.TrimLeft(b, "0")
	if len(a) != len(b) {
		if len(a) < len(b) {
			return -1
		}
		return 1
	}
	return strings.Compare(a, b)
}
