// Package parsetest holds the properties the parsers' tests and fuzz
// targets check the same way: what Bytes must give back, and what every
// reported error must be.
package parsetest

import (
	"bytes"
	"errors"
	"testing"

	"bastion/internal/parse"
)

// Normalize is what a parser's Bytes must give back for input: line endings
// made "\n", and a final newline added to a last line without one.
func Normalize(in []byte) []byte {
	if len(in) == 0 {
		return nil
	}
	var out []byte
	for _, l := range bytes.SplitAfter(in, []byte("\n")) {
		if len(l) == 0 {
			continue
		}
		l = bytes.TrimSuffix(l, []byte("\n"))
		l = bytes.TrimSuffix(l, []byte("\r"))
		out = append(out, l...)
		out = append(out, '\n')
	}
	return out
}

// CheckErrors fails unless every error in err is a *parse.Error for file
// name at a line within 1..n.
func CheckErrors(t *testing.T, err error, name string, n int) {
	t.Helper()
	for _, pe := range parse.List(err) {
		var target *parse.Error
		if !errors.As(pe, &target) || pe.Line < 1 || pe.Line > n || pe.File != name {
			t.Errorf("error %v: want a *parse.Error of %s within 1..%d", pe, name, n)
		}
	}
}
