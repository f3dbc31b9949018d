package crack

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
)

// fakeHashes stands in for a crypt scheme: a "hash" is an opaque string
// mapped to the password it was made from. Hashes starting with "!" are
// refused as a real scheme refuses a locked account, with an error that
// quotes the hash as careless code might.
type fakeHashes struct {
	passwords map[string]string // hash -> password
	delay     time.Duration     // time one Verify takes
	onVerify  func(hash string) // called before each Verify, may be nil

	mu       sync.Mutex
	calls    map[string]int      // hash -> Verify calls
	tried    map[string][]string // hash -> words tried, in order
	made     int                 // verifiers made
	sequence []string            // hash of each Verify call, in order
}

func newFake(passwords map[string]string) *fakeHashes {
	return &fakeHashes{passwords: passwords, calls: map[string]int{}, tried: map[string][]string{}}
}

var errLocked = errors.New("locked")

func (f *fakeHashes) NewVerifier(hash string) (Verifier, error) {
	if strings.HasPrefix(hash, "!") {
		return nil, fmt.Errorf("unknown hash scheme in %q: %w", hash, errLocked)
	}
	pw, ok := f.passwords[hash]
	if !ok {
		return nil, fmt.Errorf("no such hash %s", hash)
	}
	f.mu.Lock()
	f.made++
	f.mu.Unlock()
	return &fakeVerifier{f: f, hash: hash, pw: pw}, nil
}

type fakeVerifier struct {
	f    *fakeHashes
	hash string
	pw   string
}

func (v *fakeVerifier) Verify(p []byte) bool {
	if v.f.onVerify != nil {
		v.f.onVerify(v.hash)
	}
	if v.f.delay > 0 {
		time.Sleep(v.f.delay)
	}
	v.f.mu.Lock()
	v.f.calls[v.hash]++
	v.f.tried[v.hash] = append(v.f.tried[v.hash], string(p))
	v.f.sequence = append(v.f.sequence, v.hash)
	v.f.mu.Unlock()
	return string(p) == v.pw
}

func (f *fakeHashes) totalCalls() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, c := range f.calls {
		n += c
	}
	return n
}

// nopVerifier matches nothing at no cost: what the benchmark uses to
// measure Run's own overhead.
type nopVerifier struct{}

func (nopVerifier) Verify([]byte) bool { return false }

// spinVerifier matches (almost surely) nothing after a fixed amount of work, standing in
// for a fast hash scheme.
type spinVerifier struct{ n int }

func (s spinVerifier) Verify(p []byte) bool {
	h := uint64(14695981039346656037)
	for range s.n {
		for _, c := range p {
			h = (h ^ uint64(c)) * 1099511628211
		}
	}
	// Never true in practice, but the compiler cannot know it.
	return h == 0
}
