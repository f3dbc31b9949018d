package crack

import (
	"context"
	"fmt"
	"testing"
)

// benchAccounts returns n accounts with distinct hashes and no names, so
// that every guess is a list word.
func benchAccounts(n int) []Account {
	as := make([]Account, n)
	for i := range as {
		as[i] = Account{Name: fmt.Sprintf("u%04d", i), Hash: fmt.Sprintf("h%04d", i), Cost: float64(i % 3)}
	}
	return as
}

// benchWords returns a wordlist of n words.
func benchWords(n int) [][]byte {
	ws := make([][]byte, n)
	for i := range ws {
		ws[i] = fmt.Appendf(nil, "word%06d", i)
	}
	return ws
}

// BenchmarkRun measures what Run costs per guess on top of the verifier:
// with a verifier that does nothing it is all scheduling (the shared
// counters, the buffer copy, the duplicate check); with one that does a
// little work it shows how the overhead compares with a fast hash. The
// wordlist is long enough for the guesses to outweigh setting up the run,
// which BenchmarkCount measures.
func BenchmarkRun(b *testing.B) {
	accounts := benchAccounts(16)
	words := benchWords(10000)
	for _, bc := range []struct {
		name string
		v    Verifier
	}{
		{"nop", nopVerifier{}},
		{"spin", spinVerifier{n: 50}},
	} {
		for _, workers := range []int{1, 2, 8} {
			b.Run(fmt.Sprintf("%s/workers=%d", bc.name, workers), func(b *testing.B) {
				nv := func(string) (Verifier, error) { return bc.v, nil }
				opt := Options{Workers: workers, Host: "bench.example.com", Words: words}
				var tried int64
				for b.Loop() {
					res, err := Run(context.Background(), accounts, nv, opt)
					if err != nil {
						b.Fatal(err)
					}
					tried += res.Tried
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(tried), "ns/guess")
			})
		}
	}
}

// BenchmarkCount measures setting up a run: the guesses of each account
// and the duplicate checks against the lists.
func BenchmarkCount(b *testing.B) {
	accounts := benchAccounts(64)
	opt := Options{Host: "bench.example.com", Words: benchWords(1000)}
	for b.Loop() {
		Count(accounts, opt)
	}
}
