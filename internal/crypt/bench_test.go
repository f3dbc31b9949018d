package crypt

import (
	"testing"
)

// benchHashes are hashes of "password" with each scheme's usual cost.
var benchHashes = []struct{ name, hash string }{
	{"des", "abJnggxhB/yWI"},
	{"md5", "$1$saltsalt$qjXMvbEw8oaL.CzflDtaK/"},
	{"sha256", "$5$shortsalt$9fVMh0Mqx7d6Q1.ujTGXp6sWTvFXDffoqEHrwrlzDG/"},
	{"sha512", "$6$16charsaltvalue1$/PyuBHWWJvH2GwfshBMkNo5w5bT4Cp.IZ9DZeaTqvYromd.kxz5PrJ3YBewjmVRHCkLr6U/Ml66KwYHIhz2mn."},
	{"bcrypt-10", "$2b$10$abcdefghijklmnopqrstuu5Lo0g67CiD3M4RpN1BmBb4Crp5w7dbK"},
	{"aix-ssha512", "{ssha512}06$bJbkFGJAB30L2e23$bXiXjyH5YGIyoWWmEVwq67nCU5t7GLy9HkCzrodRCQCx3r9VvG98o7O3V0r9cVrX3LPPGuHqT5LLn0oGCuI1.."},
}

// BenchmarkVerify measures one wrong guess against each scheme, the work
// the weak-password audit repeats. It also reports guesses per second of
// CPU time ("guesses/cpu-s"), which is guesses a second on one core even
// when the machine is busy with other work; on an idle machine it is
// close to 1e9 / ns/op.
func BenchmarkVerify(b *testing.B) {
	for _, bh := range benchHashes {
		b.Run(bh.name, func(b *testing.B) {
			v, err := NewVerifier(bh.hash)
			if err != nil {
				b.Fatal(err)
			}
			guess := []byte("letmein1")
			b.ReportAllocs()
			start := cpuTime()
			n := 0
			for b.Loop() {
				if v.Verify(guess) {
					b.Fatal("wrong guess verified")
				}
				n++
			}
			if used := cpuTime() - start; used > 0 {
				b.ReportMetric(float64(n)/used.Seconds(), "guesses/cpu-s")
			}
		})
	}
}
