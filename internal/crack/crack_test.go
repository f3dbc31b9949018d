package crack

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// fixClock makes the current year 2025 for the length of a test.
func fixClock(t *testing.T) {
	t.Helper()
	old := clock
	clock = func() time.Time { return time.Date(2025, time.March, 1, 12, 0, 0, 0, time.UTC) }
	t.Cleanup(func() { clock = old })
}

// rank returns the rank of w in the built-in list, or fails the test.
func rank(t *testing.T, w string) int {
	t.Helper()
	i := slices.IndexFunc(Builtin(), func(b []byte) bool { return string(b) == w })
	if i < 0 {
		t.Fatalf("%q is not in the built-in list", w)
	}
	return i + 1
}

// zoo is a set of accounts with one password of each kind, their hashes
// and the matches Run must report for them with host web01.example.com and
// the wordlist {"correct horse", "Tr0ub4dor&3"}.
type zoo struct {
	accounts  []Account
	passwords map[string]string
	words     [][]byte
	want      []Match
	skipped   []Skip
}

const zooHost = "web01.example.com"

func newZoo(t *testing.T) zoo {
	t.Helper()
	z := zoo{passwords: map[string]string{}}
	add := func(name, gecos, hash, pw string) {
		z.accounts = append(z.accounts, Account{Name: name, Gecos: gecos, Hash: hash, Source: "shadow:" + fmt.Sprint(len(z.accounts)+1), Cost: 1})
		if pw != "\x00" {
			z.passwords[hash] = pw
		}
	}
	add("alice", "", "$fake$alice-h", "")
	add("bob", "", "$fake$bob-h", "bob")
	add("carol", "", "$fake$carol-h", "lorac")
	add("dave", "", "$fake$dave-h", "Dave2023")
	add("erin", "", "$fake$erin-h", "erinerin")
	add("frank", "Frank Zappa,Room 101,555-0100,", "$fake$frank-h", "Zappa")
	add("grace", "", "$fake$grace-h", "web01")
	add("heidi", "", "$fake$heidi-h", "qwerty")
	add("ivan", "", "$fake$ivan-h", "correct horse")
	add("judy", "Judy Strong", "$fake$judy-h", "kT9#vq!Lw2@zR")
	add("mallory", "", "!$fake$mallory-h", "\x00")
	add("nobody", "", "", "\x00")
	add("oscar", "", "$fake$shared-h", "oscar")
	add("peggy", "", "$fake$shared-h", "oscar")
	add("root", "", "$fake$root-h", "toor")
	add("admin", "", "$fake$admin-h", "admin")
	z.words = [][]byte{[]byte("correct horse"), []byte("Tr0ub4dor&3")}
	src := func(name string) string {
		for _, a := range z.accounts {
			if a.Name == name {
				return a.Source
			}
		}
		t.Fatalf("no account %s", name)
		return ""
	}
	m := func(name string, k Kind, rank int, from string) Match {
		return Match{Account: name, Source: src(name), Kind: k, Rank: rank, From: from}
	}
	z.want = []Match{
		m("alice", KindEmpty, 0, ""),
		m("bob", KindName, 0, ""),
		m("carol", KindNameReversed, 0, ""),
		m("dave", KindNameDigits, 0, ""),
		m("erin", KindNameDoubled, 0, ""),
		m("frank", KindGecos, 0, ""),
		m("grace", KindHost, 0, ""),
		m("heidi", KindCommon, rank(t, "qwerty"), ""),
		m("ivan", KindWordlist, 0, ""),
		m("oscar", KindName, 0, ""),
		m("peggy", KindName, 0, "oscar"),
		// "toor" is in the built-in list too, but the account-derived
		// guess comes first and says more.
		m("root", KindNameReversed, 0, ""),
		m("admin", KindName, 0, ""),
	}
	z.skipped = []Skip{
		{Account: "mallory", Source: src("mallory"), Reason: `unknown hash scheme in "…": locked`},
		{Account: "nobody", Source: src("nobody"), Reason: "no password hash"},
	}
	return z
}

func TestRunFindsEachKind(t *testing.T) {
	fixClock(t)
	for _, workers := range []int{1, 2, 8} {
		t.Run(fmt.Sprint(workers, " workers"), func(t *testing.T) {
			z := newZoo(t)
			f := newFake(z.passwords)
			res, err := Run(context.Background(), z.accounts, f.NewVerifier, Options{Words: z.words, Host: zooHost, Workers: workers})
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
			if diff := cmp.Diff(z.want, res.Matches); diff != "" {
				t.Errorf("matches (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(z.skipped, res.Skipped); diff != "" {
				t.Errorf("skipped (-want +got):\n%s", diff)
			}
			if got := int64(f.totalCalls()); got != res.Tried {
				t.Errorf("Tried = %d, Verify was called %d times", res.Tried, got)
			}
			// The strong password was tried against everything and
			// never matched: every guess, once.
			plan := Count(z.accounts[9:10], Options{Words: z.words, Host: zooHost})
			f.mu.Lock()
			judy := f.tried["$fake$judy-h"]
			f.mu.Unlock()
			if int64(len(judy)) != plan.Guesses {
				t.Errorf("judy: %d guesses tried, want %d", len(judy), plan.Guesses)
			}
			if c := slices.Clone(judy); len(slices.Compact(slices.Sorted(slices.Values(c)))) != len(judy) {
				t.Errorf("judy: a guess was tried twice")
			}
		})
	}
}

func TestRunNoBuiltin(t *testing.T) {
	fixClock(t)
	z := newZoo(t)
	f := newFake(z.passwords)
	res, err := Run(context.Background(), z.accounts, f.NewVerifier, Options{Words: z.words, Host: zooHost, Workers: 2, NoBuiltin: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range res.Matches {
		if m.Account == "heidi" {
			t.Errorf("heidi matched %v without the built-in list", m.Kind)
		}
		if m.Kind == KindCommon {
			t.Errorf("%s: common password reported without the built-in list", m.Account)
		}
	}
	// The wordlist word now has no built-in word before it.
	if !slices.ContainsFunc(res.Matches, func(m Match) bool { return m.Account == "ivan" && m.Kind == KindWordlist }) {
		t.Errorf("ivan not matched from the wordlist: %v", res.Matches)
	}
}

// TestRunStopsAtMatch checks that an account is dropped at its first
// match: "bob" is the second guess for bob (after the empty password).
func TestRunStopsAtMatch(t *testing.T) {
	f := newFake(map[string]string{"h": "bob"})
	res, err := Run(context.Background(), []Account{{Name: "bob", Hash: "h"}}, f.NewVerifier, Options{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Matches) != 1 || res.Matches[0].Kind != KindName {
		t.Fatalf("matches = %v", res.Matches)
	}
	if diff := cmp.Diff([]string{"", "bob"}, f.tried["h"]); diff != "" {
		t.Errorf("tried (-want +got):\n%s", diff)
	}
}

// TestRunSharedHash checks that accounts with the same hash cost one
// hash's guesses, and that the match is reported for each with the kind
// it is for that account.
func TestRunSharedHash(t *testing.T) {
	fixClock(t)
	accounts := []Account{
		{Name: "ann", Hash: "same"},
		{Name: "ben", Hash: "same"},
		{Name: "cat", Hash: "same"},
		{Name: "dan", Gecos: "Ann Other", Hash: "same2"},
		{Name: "ann2", Hash: "same2"},
	}
	f := newFake(map[string]string{"same": "NeverGuessed!9", "same2": "ann"})
	opt := Options{Workers: 8}
	plan := Count(accounts, opt)
	if plan.Accounts != 5 || plan.Hashes != 2 {
		t.Errorf("Count = %+v, want 5 accounts, 2 hashes", plan)
	}
	res, err := Run(context.Background(), accounts, f.NewVerifier, opt)
	if err != nil {
		t.Fatal(err)
	}
	// "same" is tried once with the guesses of all three accounts and
	// the list, each guess once.
	one := Count(accounts[:1], opt).Guesses
	three := Count(accounts[:3], opt).Guesses
	if three <= one {
		t.Errorf("three accounts give %d guesses, one gives %d: the names were not all used", three, one)
	}
	if got := f.calls["same"]; int64(got) != three {
		t.Errorf("Verify called %d times for the shared hash, want %d (once per guess)", got, three)
	}
	tried := slices.Sorted(slices.Values(f.tried["same"]))
	if len(slices.Compact(tried)) != f.calls["same"] {
		t.Errorf("a guess was tried twice against the shared hash")
	}
	for _, n := range []string{"ann", "ben", "cat", "nna", "neb", "tac"} {
		if !slices.Contains(f.tried["same"], n) {
			t.Errorf("%q not tried against the shared hash", n)
		}
	}
	// For dan the password "ann" is a GECOS word; for ann2 neither its
	// name nor a list word, so the match names the account it came from.
	want := []Match{
		{Account: "dan", Kind: KindGecos},
		{Account: "ann2", Kind: KindGecos, From: "dan"},
	}
	if diff := cmp.Diff(want, res.Matches); diff != "" {
		t.Errorf("matches (-want +got):\n%s", diff)
	}
	if f.calls["same2"] > int(Count(accounts[3:], opt).Guesses) {
		t.Errorf("Verify called %d times for same2", f.calls["same2"])
	}
}

// TestRunSharedHashCommon checks that a shared hash whose password is a
// common one derived from another account reports the list rank.
func TestRunSharedHashCommon(t *testing.T) {
	accounts := []Account{{Name: "admin", Hash: "h"}, {Name: "operator2", Hash: "h"}}
	f := newFake(map[string]string{"h": "admin"})
	res, err := Run(context.Background(), accounts, f.NewVerifier, Options{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	want := []Match{
		{Account: "admin", Kind: KindName},
		{Account: "operator2", Kind: KindCommon, Rank: rank(t, "admin")},
	}
	if diff := cmp.Diff(want, res.Matches); diff != "" {
		t.Errorf("matches (-want +got):\n%s", diff)
	}
}

// TestRunOrder checks the order of the work with one worker: cheaper
// hashes first; within a hash the derived guesses, then the built-in list
// by rank, then the wordlist, without the words already tried.
func TestRunOrder(t *testing.T) {
	fixClock(t)
	accounts := []Account{
		{Name: "slow", Hash: "h3", Cost: 30},
		{Name: "fast", Hash: "h1", Cost: 0.5},
		{Name: "mid", Hash: "h2", Cost: 2},
		{Name: "nan", Hash: "h0", Cost: -1},
	}
	f := newFake(map[string]string{"h0": "x", "h1": "x", "h2": "x", "h3": "x"})
	words := [][]byte{[]byte("zebra-crossing"), []byte("password"), []byte("fast"), []byte("zebra-crossing"), []byte("")}
	if _, err := Run(context.Background(), accounts, f.NewVerifier, Options{Workers: 1, Words: words}); err != nil {
		t.Fatal(err)
	}
	if got := slices.Compact(slices.Clone(f.sequence)); !slices.Equal(got, []string{"h0", "h1", "h2", "h3"}) {
		t.Errorf("hashes in order %v, want h0 h1 h2 h3", got)
	}
	var want []string
	for _, g := range Guesses(accounts[1], "") {
		want = append(want, string(g.Word))
	}
	for _, w := range Builtin() {
		if !slices.Contains(want, string(w)) {
			want = append(want, string(w))
		}
	}
	want = append(want, "zebra-crossing")
	if diff := cmp.Diff(want, f.tried["h1"]); diff != "" {
		t.Errorf("guesses for h1 (-want +got):\n%s", diff)
	}
}

func TestRunVerifierErrorsAreSkips(t *testing.T) {
	accounts := []Account{
		{Name: "locked", Hash: "!$6$saltsalt$0123456789abcdefghij", Source: "shadow:1"},
		{Name: "twin", Hash: "!$6$saltsalt$0123456789abcdefghij", Source: "shadow:2"},
		{Name: "ok", Hash: "good", Source: "shadow:3"},
		{Name: "unknown", Hash: "$9$notknown0123", Source: "shadow:4"},
	}
	f := newFake(map[string]string{"good": "ok"})
	res, err := Run(context.Background(), accounts, f.NewVerifier, Options{Workers: 8})
	if err != nil {
		t.Fatal(err)
	}
	want := []Skip{
		{Account: "locked", Source: "shadow:1", Reason: `unknown hash scheme in "…": locked`},
		{Account: "twin", Source: "shadow:2", Reason: `unknown hash scheme in "…": locked`},
		{Account: "unknown", Source: "shadow:4", Reason: "no such hash …"},
	}
	if diff := cmp.Diff(want, res.Skipped); diff != "" {
		t.Errorf("skipped (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]Match{{Account: "ok", Source: "shadow:3", Kind: KindName}}, res.Matches); diff != "" {
		t.Errorf("matches (-want +got):\n%s", diff)
	}
}

// TestRunNilVerifier checks that a NewVerifier returning neither a
// verifier nor an error does not crash Run.
func TestRunNilVerifier(t *testing.T) {
	nv := func(string) (Verifier, error) { return nil, nil }
	res, err := Run(context.Background(), []Account{{Name: "a", Hash: "h"}}, nv, Options{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Skipped) != 1 || res.Skipped[0].Account != "a" {
		t.Errorf("skipped = %v", res.Skipped)
	}
	if _, err := Run(context.Background(), nil, nil, Options{}); err == nil {
		t.Error("Run with a nil NewVerifier: no error")
	}
}

func TestRunCancel(t *testing.T) {
	const workers = 4
	var accounts []Account
	pw := map[string]string{}
	for i := range 20 {
		h := fmt.Sprintf("h%d", i)
		accounts = append(accounts, Account{Name: fmt.Sprintf("user%d", i), Hash: h})
		pw[h] = "never-guessed-9Q"
	}
	f := newFake(pw)
	f.delay = time.Millisecond
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var (
		once     sync.Once
		mu       sync.Mutex
		n        int
		atCancel = -1
	)
	f.onVerify = func(string) {
		mu.Lock()
		n++
		if n == 30 {
			once.Do(func() { atCancel = n; cancel() })
		}
		mu.Unlock()
	}
	var last [2]int64
	start := time.Now()
	res, err := Run(ctx, accounts, f.NewVerifier, Options{Workers: workers, Progress: func(d, tot int64) { last = [2]int64{d, tot} }})
	took := time.Since(start)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Run after cancel: err = %v, want context.Canceled", err)
	}
	if atCancel < 0 {
		t.Fatal("cancel was never called")
	}
	// Each worker may have been about to start one guess when the
	// context was cancelled; none starts another.
	if extra := f.totalCalls() - atCancel; extra > workers {
		t.Errorf("%d guesses after cancel, want at most %d", extra, workers)
	}
	if res.Tried != int64(f.totalCalls()) {
		t.Errorf("Tried = %d, Verify calls = %d", res.Tried, f.totalCalls())
	}
	if last[0] >= last[1] || last[0] <= 0 {
		t.Errorf("last progress %d of %d: want a partial count", last[0], last[1])
	}
	if took > 5*time.Second {
		t.Errorf("Run took %v after cancel", took)
	}

	// A context cancelled before the start does no work.
	f2 := newFake(pw)
	if _, err := Run(ctx, accounts, f2.NewVerifier, Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("Run with a cancelled context: err = %v", err)
	}
	if f2.made != 0 {
		t.Errorf("%d verifiers made with a cancelled context", f2.made)
	}
}

func TestRunProgress(t *testing.T) {
	fixClock(t)
	z := newZoo(t)
	f := newFake(z.passwords)
	f.delay = 20 * time.Microsecond
	opt := Options{Words: z.words, Host: zooHost, Workers: 8}
	type call struct{ done, total int64 }
	var (
		calls  []call
		active bool
		mu     sync.Mutex
	)
	opt.Progress = func(d, tot int64) {
		// Calls must not overlap: the callback is not made to be
		// safe for concurrent use.
		mu.Lock()
		if active {
			t.Error("Progress called concurrently")
		}
		active = true
		mu.Unlock()
		calls = append(calls, call{d, tot})
		mu.Lock()
		active = false
		mu.Unlock()
	}
	start := time.Now()
	if _, err := Run(context.Background(), z.accounts, f.NewVerifier, opt); err != nil {
		t.Fatal(err)
	}
	took := time.Since(start)
	total := Count(z.accounts, opt).Guesses
	if len(calls) < 2 {
		t.Fatalf("Progress called %d times", len(calls))
	}
	if calls[0] != (call{0, total}) {
		t.Errorf("first call %v, want {0 %d}", calls[0], total)
	}
	if c := calls[len(calls)-1]; c != (call{total, total}) {
		t.Errorf("last call %v, want {%d %d}", c, total, total)
	}
	for i, c := range calls {
		if c.total != total {
			t.Errorf("call %d: total %d, want %d", i, c.total, total)
		}
		if i > 0 && c.done < calls[i-1].done {
			t.Errorf("call %d: done went back from %d to %d", i, calls[i-1].done, c.done)
		}
	}
	// At most one call per interval, plus the first and the last.
	if limit := int(took/ProgressInterval) + 3; len(calls) > limit {
		t.Errorf("%d calls in %v, want at most %d", len(calls), took, limit)
	}
	// Fewer guesses are tried than counted: the matches cut accounts
	// short, and the rest still counts as done.
	if int64(f.totalCalls()) >= total {
		t.Errorf("%d Verify calls for a total of %d: matches did not cut the work", f.totalCalls(), total)
	}
}

// TestRunProgressSlow checks that a long run reports progress while it
// works, not only at the start and the end.
func TestRunProgressSlow(t *testing.T) {
	f2 := newFake(map[string]string{"h": "never-guessed-9Q"})
	f2.delay = 2 * time.Millisecond
	var calls int
	_, err := Run(context.Background(), []Account{{Name: "a", Hash: "h"}}, f2.NewVerifier,
		Options{Workers: 2, Progress: func(d, tot int64) { calls++ }})
	if err != nil {
		t.Fatal(err)
	}
	// A few hundred guesses at 2ms on two workers take about 1/3 s:
	// several intervals.
	if calls < 4 {
		t.Errorf("Progress called %d times over a run of several intervals", calls)
	}
}

func TestCountMatchesRun(t *testing.T) {
	fixClock(t)
	z := newZoo(t)
	opt := Options{Words: z.words, Host: zooHost}
	pl := Count(z.accounts, opt)
	// 16 accounts, one without a hash; oscar and peggy share one.
	if pl.Accounts != 15 || pl.Hashes != 14 {
		t.Errorf("Count = %+v, want 15 accounts and 14 hashes", pl)
	}
	var sum int64
	for i, a := range z.accounts {
		if a.Hash == "" || a.Name == "peggy" {
			continue
		}
		one := Count(z.accounts[i:i+1], opt)
		sum += one.Guesses
	}
	// peggy's guesses are added to oscar's hash.
	shared := Count([]Account{z.accounts[12], z.accounts[13]}, opt).Guesses
	oscar := Count(z.accounts[12:13], opt).Guesses
	if want := sum - oscar + shared; pl.Guesses != want {
		t.Errorf("Guesses = %d, want %d", pl.Guesses, want)
	}
	if pl.Cost != float64(pl.Guesses) {
		t.Errorf("Cost = %v, want %v (every account costs 1)", pl.Cost, float64(pl.Guesses))
	}
	// One account: its guesses plus the list, less the overlap.
	gs := Guesses(z.accounts[14], zooHost) // root: "toor", "root" are in both
	list := len(Builtin()) + len(z.words)
	overlap := 0
	for _, g := range gs {
		if slices.ContainsFunc(Builtin(), func(b []byte) bool { return bytes.Equal(b, g.Word) }) {
			overlap++
		}
	}
	if overlap < 2 {
		t.Fatalf("overlap %d: root and toor are both in the built-in list", overlap)
	}
	if got, want := Count(z.accounts[14:15], opt).Guesses, int64(len(gs)+list-overlap); got != want {
		t.Errorf("root: %d guesses, want %d", got, want)
	}
}

// TestNoSecretInOutput formats everything Run and Count return, and the
// types that hold a hash or a guess, every way a caller might, and looks
// for the passwords and hashes.
func TestNoSecretInOutput(t *testing.T) {
	fixClock(t)
	z := newZoo(t)
	// Hashes with quotable parts, refused with an error that quotes them.
	z.accounts = append(z.accounts,
		Account{Name: "quoted", Hash: "!$6$Q7rT2mZp$Xk3vB9nLw0pQs8dYfH1jG5cR4tU6eA2oIzM7yN0bV3x", Source: "shadow:40"},
		Account{Name: "quoted2", Hash: "$9$Q7rT2mZpXk3vB9nLw0pQs8dYf", Source: "shadow:41"},
	)
	f := newFake(z.passwords)
	res, err := Run(context.Background(), z.accounts, f.NewVerifier, Options{Words: z.words, Host: zooHost, Workers: 8})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Skipped) != 4 {
		t.Fatalf("skipped = %v", res.Skipped)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, cerr := Run(ctx, z.accounts, f.NewVerifier, Options{})

	var out []string
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
		out = append(out,
			fmt.Sprintf(verb, res), fmt.Sprintf(verb, res.Matches), fmt.Sprintf(verb, res.Skipped),
			fmt.Sprintf(verb, z.accounts), fmt.Sprintf(verb, z.accounts[0]), fmt.Sprintf(verb, &z.accounts[1]),
			fmt.Sprintf(verb, Guesses(z.accounts[1], zooHost)), fmt.Sprintf(verb, Guess{Word: []byte("Xylophone42"), Kind: KindGecos}),
			fmt.Sprintf(verb, Count(z.accounts, Options{})),
			fmt.Sprintf(verb, cerr),
		)
	}
	all := strings.Join(out, "\n")
	for _, a := range z.accounts {
		if a.Hash == "" {
			continue
		}
		if strings.Contains(all, a.Hash) {
			t.Errorf("output shows the hash of %s", a.Name)
		}
		for _, part := range strings.Split(strings.TrimPrefix(a.Hash, "!"), "$") {
			if len(part) >= minQuoted && strings.Contains(all, part) {
				t.Errorf("output shows part of the hash of %s", a.Name)
			}
		}
	}
	for h, pw := range z.passwords {
		if len(pw) < 4 {
			continue // "" and short words occur in any text
		}
		// A password that is the user name or a GECOS word is in the
		// output as part of the account; look only for the others.
		if slices.ContainsFunc(z.accounts, func(a Account) bool {
			return strings.Contains(a.Name, pw) || strings.Contains(a.Source, pw) || strings.Contains(a.Gecos, pw)
		}) {
			continue
		}
		if strings.Contains(all, pw) {
			t.Errorf("output shows the password of %s", h)
		}
	}
	for _, g := range []string{"Xylophone42", "Dave2023", "lorac", "erinerin", "correct horse", "kT9#vq!Lw2@zR"} {
		if strings.Contains(all, g) {
			t.Errorf("output shows the word %q", g)
		}
	}
}

func TestMaskHash(t *testing.T) {
	const hash = "$6$saltsalt$0123456789abcdefghij"
	tests := []struct{ msg, want string }{
		{"bad hash " + hash, "bad hash …"},
		{`digest "0123456789abcdefghij" too short`, `digest "…" too short`},
		{"salt saltsalt, digest 0123456789 (cut)", "salt …, digest … (cut)"},
		{"unknown scheme $6$", "unknown scheme $6$"},
		{"", "hash cannot be checked"},
		{hash, "…"},
		{strings.Repeat("é", 300), strings.Repeat("é", 100) + "…"},
	}
	for _, tt := range tests {
		if got := maskHash(tt.msg, hash); got != tt.want {
			t.Errorf("maskHash(%q) = %q, want %q", tt.msg, got, tt.want)
		}
	}
}

func TestAccountFormat(t *testing.T) {
	a := Account{Name: "bob", Gecos: "Bob", Hash: "$1$abc$def", Source: "shadow:2", Cost: 1.5}
	if got, want := a.String(), "bob (shadow:2)"; got != want {
		t.Errorf("String = %q, want %q", got, want)
	}
	want := `crack.Account{Name:"bob", Gecos:"Bob", Hash:<redacted>, Source:"shadow:2", Cost:1.5}`
	if got := fmt.Sprintf("%#v", a); got != want {
		t.Errorf("%%#v = %s, want %s", got, want)
	}
	if got := fmt.Sprintf("%#v", Account{Name: "x"}); !strings.Contains(got, "Hash:<empty>") {
		t.Errorf("%%#v of an account without a hash = %s", got)
	}
}

// TestRunWipes checks that the buffers Run owns do not keep the matched
// password: a Verifier that keeps the slice it is given sees it wiped
// once Run returns.
func TestRunWipes(t *testing.T) {
	var kept [][]byte
	var mu sync.Mutex
	nv := func(string) (Verifier, error) {
		return verifyFunc(func(p []byte) bool {
			mu.Lock()
			kept = append(kept, p)
			mu.Unlock()
			return string(p) == "alicealice"
		}), nil
	}
	res, err := Run(context.Background(), []Account{{Name: "alice", Hash: "h"}}, nv, Options{Workers: 1, NoBuiltin: true})
	if err != nil || len(res.Matches) != 1 || res.Matches[0].Kind != KindNameDoubled {
		t.Fatalf("Run = %v, %v", res, err)
	}
	// A long word makes the worker outgrow its buffer: the old one,
	// which held the derived guesses, must be wiped too.
	long := strings.Repeat("alice", 40)
	nv2 := func(string) (Verifier, error) {
		return verifyFunc(func(p []byte) bool {
			mu.Lock()
			kept = append(kept, p)
			mu.Unlock()
			return string(p) == long
		}), nil
	}
	res, err = Run(context.Background(), []Account{{Name: "alice", Hash: "h"}}, nv2, Options{Workers: 1, NoBuiltin: true, Words: [][]byte{[]byte("x"), []byte(long)}})
	if err != nil || len(res.Matches) != 1 || res.Matches[0].Kind != KindWordlist {
		t.Fatalf("Run = %v, %v", res, err)
	}
	caps := map[int]bool{}
	for _, p := range kept {
		caps[cap(p)] = true
		if bytes.Contains(p[:cap(p)], []byte("alice")) {
			t.Errorf("a buffer given to Verify still holds a guess after Run")
		}
	}
	if len(caps) < 2 {
		t.Errorf("the buffer never grew (capacities %v): the test does not test growth", caps)
	}
}

type verifyFunc func([]byte) bool

func (f verifyFunc) Verify(p []byte) bool { return f(p) }

func TestRunNoAccounts(t *testing.T) {
	var calls []int64
	res, err := Run(context.Background(), nil, newFake(nil).NewVerifier, Options{Progress: func(d, tot int64) { calls = append(calls, d, tot) }})
	if err != nil || len(res.Matches) != 0 || len(res.Skipped) != 0 || res.Tried != 0 {
		t.Errorf("Run(nil) = %+v, %v", res, err)
	}
	if !slices.Equal(calls, []int64{0, 0, 0, 0}) {
		t.Errorf("progress calls %v, want (0,0) twice", calls)
	}
}

// TestRunManyWorkers runs many accounts, shared hashes and failing hashes
// on eight workers (under -race in the usual test run) and checks that the
// result is the one a single worker gives.
func TestRunManyWorkers(t *testing.T) {
	fixClock(t)
	var accounts []Account
	pw := map[string]string{}
	for i := range 120 {
		name := fmt.Sprintf("user%03d", i)
		h := fmt.Sprintf("h%03d", i%100) // the last 20 share a hash
		if i%17 == 0 {
			h = "!" + h
		}
		accounts = append(accounts, Account{Name: name, Hash: h, Cost: float64(i % 5), Source: fmt.Sprintf("shadow:%d", i+1)})
		switch i % 4 {
		case 0:
			pw[h] = name + "123"
		case 1:
			pw[h] = "letmein"
		case 2:
			pw[h] = "unguessable-" + name
		case 3:
			pw[h] = "w" + name
		}
	}
	var words [][]byte
	for i := range 300 {
		words = append(words, []byte(fmt.Sprintf("wuser%03d", i)))
	}
	run := func(workers int) (Result, int64) {
		f := newFake(pw)
		var last int64
		res, err := Run(context.Background(), accounts, f.NewVerifier, Options{Words: words, Workers: workers, Progress: func(d, tot int64) {
			if d != tot && last == tot {
				t.Errorf("progress went on after reaching the total")
			}
			last = d
		}})
		if err != nil {
			t.Fatal(err)
		}
		if res.Tried != int64(f.totalCalls()) {
			t.Errorf("%d workers: Tried = %d, Verify calls = %d", workers, res.Tried, f.totalCalls())
		}
		return res, last
	}
	one, last1 := run(1)
	eight, last8 := run(8)
	total := Count(accounts, Options{Words: words}).Guesses
	if last1 != total || last8 != total {
		t.Errorf("progress ended at %d and %d, want %d", last1, last8, total)
	}
	if diff := cmp.Diff(one, eight, cmpIgnoreTried); diff != "" {
		t.Errorf("8 workers differ from 1 (-1 +8):\n%s", diff)
	}
	if len(one.Matches) < 60 || len(one.Skipped) == 0 {
		t.Errorf("%d matches, %d skipped: the test set is not what it should be", len(one.Matches), len(one.Skipped))
	}
}

var cmpIgnoreTried = cmp.FilterPath(func(p cmp.Path) bool { return p.Last().String() == ".Tried" }, cmp.Ignore())
