// Package yescrypt computes and verifies crypt(3) strings in the yescrypt
// ("$y$", the default of Debian 12 and most current Linux distributions)
// and classic scrypt ("$7$") formats, giving the same results as
// libxcrypt's crypt().
//
// Every setting libxcrypt accepts for these prefixes is supported: the
// yescrypt flavors it computes (YESCRYPT_RW with the standard pwxform
// parameters, YESCRYPT_WORM, and plain scrypt written in "$y$" form) and
// the optional p and t parameters. GOST-yescrypt ("$gy$") is not
// implemented and is reported as unsupported.
//
// Password hashes are secrets: no error or other output of this package
// quotes a setting, a hash or a password.
package yescrypt

import (
	"bytes"
	"crypto/subtle"
)

// MaxMemory caps the memory a setting may ask for, so hostile input cannot exhaust the host.
//
// The cap applies to the block array of 128·r·N bytes, the figure yescrypt
// documents as a setting's memory cost; the strongest setting libxcrypt
// generates ("-R 11") uses exactly this much. The other buffers, which grow
// with p and r, are capped separately at MaxMemory/64 (16 MiB), far above
// what any real setting (p = 1) needs.
const MaxMemory = 1 << 30

// MaxWork caps the computation a setting may ask for, counted in 128-byte
// block mixes, so that a hostile t or p cannot keep a caller busy for
// hours. The strongest settings libxcrypt generates need under 2^25.
const MaxWork = 1 << 26

// Hash computes the crypt(3) string of password under setting, exactly as
// libxcrypt's crypt() would: setting is a full hash or its prefix
// ("$y$j9T$<salt>" or "$y$j9T$<salt>$<hash>", also "$7$..." classic scrypt;
// GOST-yescrypt "$gy$..." is not implemented and returns an error). It
// returns an error (never panics) for a malformed setting or parameters
// needing more than MaxMemory bytes.
//
// It also refuses what crypt() refuses: passwords of 512 bytes or more,
// settings too long for crypt's output buffer, and parameter combinations
// libxcrypt rejects, as well as settings needing more than MaxWork, and
// NUL bytes in either argument (crypt would silently stop at them).
func Hash(password, setting []byte) ([]byte, error) {
	return hashWithLimits(password, setting, &defaultLimits)
}

func hashWithLimits(password, setting []byte, lim *limits) ([]byte, error) {
	ps, err := parseLimited(setting, lim)
	if err != nil {
		return nil, err
	}
	if err := checkPassword(password); err != nil {
		return nil, err
	}
	st := newState(&ps.params)
	return st.hash(nil, password, ps), nil
}

// parseLimited parses setting and refuses it when it needs more than lim.
func parseLimited(setting []byte, lim *limits) (*parsed, error) {
	ps, err := parseSetting(setting)
	if err != nil {
		return nil, err
	}
	if v, aux := ps.sizes(); v > lim.memory || aux > lim.aux {
		return nil, errMemory
	}
	if ps.work() > lim.work {
		return nil, errWork
	}
	return ps, nil
}

func checkPassword(password []byte) error {
	if len(password) >= maxPassphrase {
		return errPassword
	}
	if bytes.IndexByte(password, 0) >= 0 {
		return errNUL
	}
	return nil
}

// hash appends the crypt string of password to dst.
func (st *state) hash(dst, password []byte, ps *parsed) []byte {
	h := &st.out
	st.kdf(password, ps.salt, &ps.params, h)
	dst = append(dst, ps.prefix...)
	dst = append(dst, '$')
	dst = encodeHash(dst, h)
	clear(h[:])
	return dst
}

// Verify reports whether password hashes to hash, comparing in constant
// time. It is false for anything Hash refuses.
func Verify(hash string, password []byte) bool {
	got, err := Hash(password, []byte(hash))
	if err != nil {
		return false
	}
	return subtle.ConstantTimeCompare(got, []byte(hash)) == 1
}

// Verifier checks many passwords against one hash. It parses the hash once
// and keeps its working memory (the block array, S-boxes and scratch
// buffers) between calls, so a guess costs no allocation.
//
// A Verifier is not safe for concurrent use; give each goroutine its own.
// It holds as much memory as the hash's cost parameters ask for (16 MiB for
// "$y$j9T$") until it is dropped.
type Verifier struct {
	want []byte
	ps   *parsed
	st   *state
	out  []byte
}

// NewVerifier parses hash once for repeated Verify calls. It fails for
// anything Hash would refuse and for a setting without a hash part, which
// no password can match.
func NewVerifier(hash string) (*Verifier, error) {
	want := []byte(hash)
	ps, err := parseLimited(want, &defaultLimits)
	if err != nil {
		return nil, err
	}
	n := len(ps.prefix)
	if len(want) != n+1+hashChars || want[n] != '$' {
		return nil, errNoHash
	}
	return &Verifier{
		want: want,
		ps:   ps,
		st:   newState(&ps.params),
		out:  make([]byte, 0, len(want)),
	}, nil
}

// Verify reports whether password hashes to the Verifier's hash, comparing
// in constant time.
func (v *Verifier) Verify(password []byte) bool {
	if checkPassword(password) != nil {
		return false
	}
	v.out = v.st.hash(v.out[:0], password, v.ps)
	return subtle.ConstantTimeCompare(v.out, v.want) == 1
}
