package yescrypt

import (
	"bytes"
	"runtime"
	"testing"
)

// fuzzLimits keep each fuzz input cheap; the checks are the same code
// paths Hash runs with MaxMemory and MaxWork.
var fuzzLimits = limits{memory: 1 << 20, aux: 256 << 10, work: 1 << 13}

// FuzzHash checks that no password and setting make Hash panic, allocate
// beyond its limits, quote its input in an error, or return a malformed
// result.
func FuzzHash(f *testing.F) {
	f.Add([]byte("password"), []byte("$y$j2.$abcd"))
	f.Add([]byte(""), []byte("$y$j/.$"))
	f.Add([]byte("x"), []byte("$7$2/..../....salt$.rEnjANwMsmF1eWXyTeSntl.gz4ETEAPjUDk6t4uyCD"))
	f.Fuzz(func(t *testing.T, password, setting []byte) {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		got, err := hashWithLimits(password, setting, &fuzzLimits)
		runtime.ReadMemStats(&after)
		if grown := after.TotalAlloc - before.TotalAlloc; grown > fuzzLimits.memory+fuzzLimits.aux+64<<10 {
			t.Fatalf("allocated %d bytes, over the limits", grown)
		}
		if err != nil {
			if !isKnown(err) {
				t.Fatalf("unexpected error %v", err)
			}
			if got != nil {
				t.Fatal("result returned with an error")
			}
			return
		}
		// The result repeats the setting up to the salt, then '$' and the
		// 43-character hash.
		n := len(got) - hashChars - 1
		if n < 3 || got[n] != '$' || !bytes.HasPrefix(setting, got[:n]) {
			t.Fatalf("result %q does not extend setting %q", got, setting)
		}
		for _, c := range got[n+1:] {
			if atoi64Table[c] > 63 {
				t.Fatalf("result %q has a character outside the alphabet", got)
			}
		}
		// The result is a valid setting that reproduces itself.
		again, err := hashWithLimits(password, got, &fuzzLimits)
		if err == nil && !bytes.Equal(again, got) {
			t.Fatalf("hashing %q under its own result gave %q", got, again)
		}
	})
}
