package crack

import (
	"bytes"
	"errors"
	"hash/maphash"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"

	"bastion/internal/parse"
)

func TestBuiltin(t *testing.T) {
	b := Builtin()
	if len(b) < 200 || len(b) > 1000 {
		t.Errorf("built-in list has %d words, want a few hundred", len(b))
	}
	seen := map[string]bool{}
	for i, w := range b {
		switch {
		case len(w) == 0:
			t.Errorf("word %d is empty", i+1)
		case bytes.ContainsAny(w, " \t\r\n\x00"):
			t.Errorf("word %d holds a blank or control byte", i+1)
		case seen[string(w)]:
			t.Errorf("word %d %q is a duplicate", i+1, w)
		}
		seen[string(w)] = true
	}
	// The most common first, as every published list has it.
	for i, w := range []string{"123456", "password", "123456789", "12345678"} {
		if string(b[i]) != w {
			t.Errorf("word %d = %q, want %q", i+1, b[i], w)
		}
	}
	// The defaults an auditor expects to be tried.
	for _, w := range []string{"root", "toor", "admin", "changeme", "letmein", "welcome", "test", "guest", "passw0rd", "qwerty", "ibm"} {
		if !seen[w] {
			t.Errorf("%q is not in the built-in list", w)
		}
	}
	// Builtin hands out copies.
	clear(b[0])
	if string(Builtin()[0]) != "123456" {
		t.Error("changing the result of Builtin changed the list")
	}
	if !strings.HasSuffix(common, "\n") || strings.Contains(common, "\r") {
		t.Error("common.txt must be plain lines ending in a newline")
	}
}

func TestReadWordlist(t *testing.T) {
	long := strings.Repeat("x", MaxWordLen+1)
	huge := strings.Repeat("y", 200<<10) // beyond the reader's buffer
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"empty", "", nil},
		{"plain", "one\ntwo\nthree\n", []string{"one", "two", "three"}},
		{"no final newline", "one\ntwo", []string{"one", "two"}},
		{"CRLF", "one\r\ntwo\r\n", []string{"one", "two"}},
		{"blank lines", "\n\none\n\r\n\ntwo\n\n", []string{"one", "two"}},
		{"spaces kept", " lead\ntrail \nin side\n", []string{" lead", "trail ", "in side"}},
		{"duplicates keep the first place", "b\na\nb\nc\na\n", []string{"b", "a", "c"}},
		{"long line skipped", "a\n" + long + "\nb\n", []string{"a", "b"}},
		{"longest kept", long[1:] + "\n", []string{long[1:]}},
		{"huge line skipped", "a\n" + huge + "\nb\n" + huge, []string{"a", "b"}},
		{"NUL skipped", "a\x00b\nc\n", []string{"c"}},
		{"lone CR kept", "a\rb\n", []string{"a\rb"}},
		{"8-bit kept", "pässwort\n\xff\xfe\n", []string{"pässwort", "\xff\xfe"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadWordlist(strings.NewReader(tt.in), "words.txt")
			if err != nil {
				t.Fatalf("ReadWordlist: %v", err)
			}
			var gs []string
			for _, w := range got {
				gs = append(gs, string(w))
			}
			if diff := cmp.Diff(tt.want, gs); diff != "" {
				t.Errorf("words (-want +got):\n%s", diff)
			}
			// The words do not share memory: appending to one
			// must not change the next.
			for i, w := range got {
				if i+1 < len(got) {
					before := string(got[i+1])
					_ = append(w, 'Z')
					if string(got[i+1]) != before {
						t.Errorf("appending to word %d changed word %d", i, i+1)
					}
				}
			}
		})
	}
}

func TestReadWordlistCap(t *testing.T) {
	old := maxWords
	maxWords = 3
	t.Cleanup(func() { maxWords = old })

	got, err := ReadWordlist(strings.NewReader("a\nb\na\nc\nsecretword\ne\n"), "big.txt")
	if !errors.Is(err, ErrTooManyWords) {
		t.Fatalf("err = %v, want ErrTooManyWords", err)
	}
	var pe *parse.Error
	if !errors.As(err, &pe) || pe.File != "big.txt" {
		t.Errorf("err = %v, want a *parse.Error naming big.txt", err)
	}
	if strings.Contains(err.Error(), "secretword") {
		t.Errorf("error shows a word: %v", err)
	}
	if len(got) != 3 || string(got[2]) != "c" {
		t.Errorf("got %q, want the first three words", got)
	}
	// Exactly the cap is not an error.
	if _, err := ReadWordlist(strings.NewReader("a\nb\nc\nc\n"), "ok.txt"); err != nil {
		t.Errorf("three words with a cap of three: %v", err)
	}
}

func TestReadWordlistReadError(t *testing.T) {
	r := io.MultiReader(strings.NewReader("one\ntwo\n"), iotest.ErrReader(errors.New("disk on fire")))
	got, err := ReadWordlist(r, "w.txt")
	if err == nil || !strings.Contains(err.Error(), "w.txt") || !strings.Contains(err.Error(), "disk on fire") {
		t.Errorf("err = %v, want the file and the cause", err)
	}
	if len(got) != 2 {
		t.Errorf("got %d words before the error, want 2", len(got))
	}
}

// TestWordSetCollision checks the one weakness of wordSet: two words with
// the same hash. It makes "b" collide with "a" by writing the hash of "b"
// into the set with the index of "a": "b" must then be reported absent,
// never found as "a".
func TestWordSetCollision(t *testing.T) {
	s := newWordSet()
	words := [][]byte{[]byte("a"), []byte("b")}
	s.add(words[0], 0)
	s.add(words[0], 1) // already there: the first index stays
	if i := s.find(words, []byte("a")); i != 0 {
		t.Errorf("find(a) = %d, want 0", i)
	}
	if i := s.find(words, []byte("b")); i != -1 {
		t.Errorf("find(b) = %d, want -1 before it is added", i)
	}
	s.m[maphash.Bytes(s.seed, []byte("b"))] = 0
	if i := s.find(words, []byte("b")); i != -1 {
		t.Errorf("find(b) after a collision = %d, want -1", i)
	}
	s.add(words[1], 1) // its hash is taken: not indexed
	if i := s.find(words, []byte("b")); i != -1 {
		t.Errorf("find(b) = %d after adding it over a collision, want -1", i)
	}
}
