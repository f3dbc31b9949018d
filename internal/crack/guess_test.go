package crack

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// words returns the words of gs as strings, for comparing.
func words(gs []Guess) []string {
	out := make([]string, len(gs))
	for i, g := range gs {
		out[i] = string(g.Word)
	}
	return out
}

func TestGuessesNameOnly(t *testing.T) {
	fixClock(t)
	got := Guesses(Account{Name: "alice", Hash: "ignored"}, "")
	var want []Guess
	add := func(k Kind, ws ...string) {
		for _, w := range ws {
			want = append(want, Guess{Word: []byte(w), Kind: k})
		}
	}
	add(KindEmpty, "")
	add(KindName, "alice", "Alice", "ALICE")
	add(KindNameReversed, "ecila")
	for _, b := range []string{"alice", "Alice"} {
		for _, s := range []string{"1", "12", "123", "1234", "12345", "123456", "01", "!", "1!", "123!"} {
			add(KindNameDigits, b+s)
		}
	}
	for _, b := range []string{"alice", "Alice"} {
		add(KindNameDigits, b+"2025", b+"2024", b+"2023", b+"2022", b+"2021", b+"2020")
	}
	add(KindNameDoubled, "alicealice")
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Guesses (-want +got):\n%s", diff)
	}
}

func TestGuesses(t *testing.T) {
	fixClock(t)
	tests := []struct {
		name    string
		account Account
		host    string
		has     map[string]Kind // words that must be there, with their kind
		hasNot  []string
	}{
		{
			name:    "root",
			account: Account{Name: "root", Gecos: "root"},
			has:     map[string]Kind{"": KindEmpty, "root": KindName, "toor": KindNameReversed, "Root123": KindNameDigits, "rootroot": KindNameDoubled, "Root": KindName},
			hasNot:  []string{"Toor"},
		},
		{
			name:    "GECOS fields",
			account: Account{Name: "jsmith", Gecos: "John Q. Smith,Room 12B,+1 555 0100,555-0199,jsmith@example.com"},
			has: map[string]Kind{"john": KindGecos, "John": KindGecos, "smith": KindGecos, "Smith": KindGecos,
				"room": KindGecos, "Room": KindGecos, "jsmith": KindName, "example": KindGecos},
			hasNot: []string{"q", "Q", "12B", "B", "555", "0100"},
		},
		{
			name:    "host name",
			account: Account{Name: "www"},
			host:    "Web01.Example.COM.",
			has: map[string]Kind{"web01.example.com": KindHost, "web01": KindHost, "Web01": KindHost,
				"web011": KindHost, "web01123": KindHost, "web012025": KindHost, "web012020": KindHost,
				"www": KindName},
			hasNot: []string{"Web01.Example.COM.", "example", "web012019"},
		},
		{
			// Two rules give "web01": it is kept once, with the
			// kind of the first.
			name:    "rule overlap",
			account: Account{Name: "web"},
			host:    "web01",
			has:     map[string]Kind{"web01": KindNameDigits, "Web01": KindNameDigits, "web011": KindHost},
		},
		{
			name:    "short host name",
			account: Account{Name: "u"},
			host:    "aix7",
			has:     map[string]Kind{"aix7": KindHost, "Aix7": KindHost, "aix71": KindHost},
		},
		{
			name:    "mixed-case user name",
			account: Account{Name: "DBAdmin"},
			has:     map[string]Kind{"DBAdmin": KindName, "dbadmin": KindName, "DBADMIN": KindName, "nimdABD": KindNameReversed, "DBAdmin1": KindNameDigits},
		},
		{
			name:    "no name",
			account: Account{Gecos: "Backup Operator"},
			has:     map[string]Kind{"": KindEmpty, "backup": KindGecos, "Operator": KindGecos},
		},
		{
			name:    "unicode",
			account: Account{Name: "émile", Gecos: "Émile Zola"},
			has:     map[string]Kind{"Émile": KindName, "elimé": KindNameReversed, "émile": KindName, "zola": KindGecos},
		},
		{
			name:    "invalid UTF-8 name",
			account: Account{Name: "a\xffb"},
			has:     map[string]Kind{"a\xffb": KindName, "b\xffa": KindNameReversed},
		},
		{
			// A name whose reverse is itself, and doubles that
			// repeat other guesses, give no duplicates.
			name:    "palindrome",
			account: Account{Name: "otto", Gecos: "Otto"},
			has:     map[string]Kind{"otto": KindName, "Otto": KindName, "ottootto": KindNameDoubled},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			gs := Guesses(tt.account, tt.host)
			got := map[string]Kind{}
			for _, g := range gs {
				if _, dup := got[string(g.Word)]; dup {
					t.Errorf("%q given twice", g.Word)
				}
				got[string(g.Word)] = g.Kind
			}
			for w, k := range tt.has {
				if g, ok := got[w]; !ok {
					t.Errorf("no guess %q", w)
				} else if g != k {
					t.Errorf("guess %q is %q, want %q", w, g, k)
				}
			}
			for _, w := range tt.hasNot {
				if _, ok := got[w]; ok {
					t.Errorf("unexpected guess %q", w)
				}
			}
			// The kinds come in blocks, in the documented order.
			order := []Kind{KindEmpty, KindName, KindNameReversed, KindNameDigits, KindNameDoubled, KindGecos, KindHost}
			last := -1
			for _, g := range gs {
				i := slices.Index(order, g.Kind)
				if i < last {
					t.Errorf("%v after a later kind", g.Kind)
				}
				last = max(last, i)
			}
		})
	}
}

func TestGuessesGecosBound(t *testing.T) {
	var ws []string
	for i := range 30 {
		ws = append(ws, fmt.Sprintf("word%c%c", 'a'+i%26, 'a'+i/26))
	}
	gs := Guesses(Account{Gecos: strings.Join(ws, " ")}, "")
	n := 0
	for _, g := range gs {
		if g.Kind == KindGecos {
			n++
		}
	}
	if n != 2*maxGecosWords {
		t.Errorf("%d GECOS guesses from 30 words, want %d", n, 2*maxGecosWords)
	}
}

func TestGuessesAreFresh(t *testing.T) {
	a := Account{Name: "bob"}
	g1 := Guesses(a, "h")
	clear(g1[1].Word)
	g2 := Guesses(a, "h")
	if string(g2[1].Word) != "bob" {
		t.Errorf("changing one result changed the next: %q", g2[1].Word)
	}
}

func TestGuessFormat(t *testing.T) {
	g := Guess{Word: []byte("hunter2"), Kind: KindName}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		s := fmt.Sprintf(verb, g)
		if strings.Contains(s, "hunter2") {
			t.Errorf("%s shows the word: %s", verb, s)
		}
		if !strings.Contains(s, "7 bytes") || !strings.Contains(s, "user name") {
			t.Errorf("%s = %s, want the kind and length", verb, s)
		}
	}
}
