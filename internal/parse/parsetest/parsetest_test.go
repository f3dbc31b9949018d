package parsetest

import (
	"errors"
	"testing"

	"bastion/internal/parse"
)

func TestNormalize(t *testing.T) {
	for in, want := range map[string]string{"": "", "a": "a\n", "a\r\nb": "a\nb\n", "a\n\n": "a\n\n"} {
		if got := string(Normalize([]byte(in))); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCheckErrors(t *testing.T) {
	var es parse.Errors
	es.Add("f", 2, "bad")
	CheckErrors(t, es.Err(), "f", 3) // must not fail
	inner := &testing.T{}
	_ = inner
	for _, bad := range []error{errors.Join(parse.Errorf("f", 9, "x")), errors.Join(parse.Errorf("g", 1, "x"))} {
		ok := true
		for _, pe := range parse.List(bad) {
			if pe.Line < 1 || pe.Line > 3 || pe.File != "f" {
				ok = false
			}
		}
		if ok {
			t.Errorf("%v should be refused", bad)
		}
	}
}
