package parsetest

import (
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

// CheckErrors accepts the errors a parser must give: *parse.Error values of
// the file, at lines in range (it would fail this test otherwise).
func TestCheckErrors(t *testing.T) {
	var es parse.Errors
	es.Add("f", 2, "bad")
	es.Add("f", 3, "worse")
	CheckErrors(t, es.Err(), "f", 3)
	CheckErrors(t, nil, "f", 0)
}
