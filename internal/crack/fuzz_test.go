package crack

import (
	"bytes"
	"testing"
)

// FuzzReadWordlist checks that any input gives words that are non-empty,
// at most MaxWordLen bytes, free of newlines and NUL, distinct, and lines
// of the input.
func FuzzReadWordlist(f *testing.F) {
	f.Add([]byte("123456\npassword\r\n\n \nqwerty\n123456\n"))
	f.Add([]byte("a\x00b\n\xff\xfe\nlast"))
	f.Add(bytes.Repeat([]byte("z"), 300))
	f.Fuzz(func(t *testing.T, in []byte) {
		words, err := ReadWordlist(bytes.NewReader(in), "fuzz")
		if err != nil {
			t.Fatalf("ReadWordlist: %v", err)
		}
		lines := map[string]bool{}
		for _, l := range bytes.Split(in, []byte("\n")) {
			lines[string(bytes.TrimSuffix(l, []byte("\r")))] = true
		}
		seen := map[string]bool{}
		for _, w := range words {
			switch {
			case len(w) == 0 || len(w) > MaxWordLen:
				t.Errorf("word of %d bytes", len(w))
			case bytes.ContainsAny(w, "\n\x00"):
				t.Errorf("word %q holds a newline or NUL", w)
			case seen[string(w)]:
				t.Errorf("word %q twice", w)
			case !lines[string(w)]:
				t.Errorf("word %q is not a line of the input", w)
			}
			seen[string(w)] = true
		}
	})
}

// FuzzGuesses checks that any account gives distinct guesses starting
// with the empty password.
func FuzzGuesses(f *testing.F) {
	f.Add("root", "System Administrator,,,", "aix71.example.com")
	f.Add("", "", "")
	f.Add("\xff\xfe", "a,b,c", ".")
	f.Fuzz(func(t *testing.T, name, gecos, host string) {
		gs := Guesses(Account{Name: name, Gecos: gecos}, host)
		if len(gs) == 0 || len(gs[0].Word) != 0 || gs[0].Kind != KindEmpty {
			t.Fatalf("first guess is not the empty password")
		}
		seen := map[string]bool{}
		for _, g := range gs {
			if seen[string(g.Word)] {
				t.Errorf("%q twice", g.Word)
			}
			seen[string(g.Word)] = true
		}
	})
}
