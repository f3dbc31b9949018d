// Package secret is the one way bastion shows a secret it has read: an SNMP
// community, a SMUX password, a key. Parsers keep such values whole so that
// rules can compare them ("is the community public?"), but any text meant
// for a person (a String method, an error, a report, a log line) shows them
// only through Redact, which keeps the first character and the length: enough
// to tell two secrets apart or recognise a default, not enough to use one.
package secret

import (
	"strconv"
	"unicode"
	"unicode/utf8"
)

// MinShown is the shortest secret whose first character Redact shows.
// For shorter secrets the first character would give away too much of the
// value (all of it, for a one-character secret), so only the length is
// shown.
const MinShown = 4

// Redact returns the form in which output shows the secret s: its first
// character, an ellipsis and its length in characters, as in
// "p… (6 characters)" for "public". The empty string gives "(empty)". A
// secret shorter than MinShown characters, or one whose first character is
// not printable, is shown by its length alone, as in "… (3 characters)".
func Redact(s string) string {
	if s == "" {
		return "(empty)"
	}
	n := utf8.RuneCountInString(s)
	unit := " characters)"
	if n == 1 {
		unit = " character)"
	}
	first, _ := utf8.DecodeRuneInString(s)
	if n < MinShown || first == utf8.RuneError || !unicode.IsPrint(first) || unicode.IsSpace(first) {
		return "… (" + strconv.Itoa(n) + unit
	}
	return string(first) + "… (" + strconv.Itoa(n) + unit
}
