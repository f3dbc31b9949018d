package crypt

import (
	"crypto/sha256"
	"crypto/sha512"
	"crypto/subtle"
	"hash"
	"strconv"
	"strings"
)

// Ulrich Drepper's sha256crypt ("$5$") and sha512crypt ("$6$"), as his
// specification "Unix crypt using SHA-256 and SHA-512" describes them.
const (
	shaRoundsDefault = 5000
	shaRoundsMin     = 1000
	shaRoundsMax     = 999999999
	shaSaltMax       = 16
)

// sha512Groups and sha256Groups are the byte orders in which the digests
// are written: groups of the three bytes i, i+n, i+2n, rotated by i mod 3
// (one way for SHA-256, the other for SHA-512), then the leftover bytes.
var (
	sha512Groups = shaGroups(21, false, [3]int{-1, -1, 63}, 2)
	sha256Groups = shaGroups(10, true, [3]int{-1, 31, 30}, 3)
)

func shaGroups(n int, right bool, last [3]int, lastChars int) []b64Group {
	var g []b64Group
	for i := 0; i < n; i++ {
		a, b, c := i, i+n, i+2*n
		k := i % 3
		if right && k != 0 {
			k = 3 - k
		}
		switch k {
		case 1:
			a, b, c = b, c, a
		case 2:
			a, b, c = c, a, b
		}
		g = append(g, b64Group{[3]int{a, b, c}, 4})
	}
	return append(g, b64Group{last, lastChars})
}

// parseSHACrypt splits the part after "$5$" or "$6$" into rounds, salt and
// encoded digest. Rounds outside 1000..999999999 are clamped, as the
// specification says (glibc does; libxcrypt refuses such hashes instead,
// so on its hosts nobody can log in with one). A salt longer than 16
// characters is cut to 16, as crypt(3) cuts it.
func parseSHACrypt(rest string) (rounds int, salt, enc string, ok bool) {
	rounds = shaRoundsDefault
	if r, ok := strings.CutPrefix(rest, "rounds="); ok {
		num, after, found := strings.Cut(r, "$")
		if !found || num == "" || len(num) > 30 {
			return 0, "", "", false
		}
		for i := 0; i < len(num); i++ {
			if num[i] < '0' || num[i] > '9' {
				return 0, "", "", false
			}
		}
		n, err := strconv.ParseUint(num, 10, 64)
		if err != nil || n > shaRoundsMax {
			n = shaRoundsMax // too large for any integer: clamp
		}
		rounds = max(int(n), shaRoundsMin)
		rest = after
	}
	salt, enc, found := strings.Cut(rest, "$")
	if !found || strings.Contains(enc, "$") {
		return 0, "", "", false
	}
	if len(salt) > shaSaltMax {
		salt = salt[:shaSaltMax]
	}
	return rounds, salt, enc, true
}

// shaVerifier checks sha256crypt and sha512crypt. Each Verify reuses the
// same hash state and buffers, so it allocates nothing for passwords of up
// to 64 bytes.
type shaVerifier struct {
	redacted
	size   int // digest size: 32 or 64
	rounds int
	salt   []byte
	want   []byte
	h      hash.Hash
	a      [64]byte // the running digest
	b      [64]byte
	pseq   []byte // the P sequence of the specification
	// The S sequence depends only on the salt and the first byte of
	// digest A, so its 256 possible values are computed once each, on
	// first use.
	sseq  [256][shaSaltMax]byte
	sdone [256]bool
}

func newSHAVerifier(id, hash string) (*shaVerifier, error) {
	rounds, salt, enc, ok := parseSHACrypt(hash[3:])
	if !ok {
		return nil, malformed(id, "bad rounds or salt")
	}
	v := &shaVerifier{
		redacted: redacted{id},
		rounds:   rounds,
		salt:     []byte(salt),
		pseq:     make([]byte, 0, 64),
	}
	var digest []byte
	if id == "sha512" {
		v.size = 64
		v.h = sha512.New()
		digest, ok = decodeGroups(enc, 64, sha512Groups)
	} else {
		v.size = 32
		v.h = sha256.New()
		digest, ok = decodeGroups(enc, 32, sha256Groups)
	}
	if !ok {
		return nil, malformed(id, "not a canonical encoding")
	}
	v.want = digest
	return v, nil
}

func (v *shaVerifier) Verify(password []byte) bool {
	pw := cutNUL(password)
	h := v.h
	n := v.size
	a, b := v.a[:n], v.b[:n]
	salt := v.salt

	// Digest B: password, salt, password.
	h.Reset()
	h.Write(pw)
	h.Write(salt)
	h.Write(pw)
	h.Sum(b[:0])

	// Digest A: password, salt, B repeated to the password's length,
	// then B or the password for each bit of the length.
	h.Reset()
	h.Write(pw)
	h.Write(salt)
	k := len(pw)
	for ; k > n; k -= n {
		h.Write(b)
	}
	h.Write(b[:k])
	for k = len(pw); k > 0; k >>= 1 {
		if k&1 != 0 {
			h.Write(b)
		} else {
			h.Write(pw)
		}
	}
	h.Sum(a[:0])

	// The P sequence: the digest of the password repeated as many times
	// as it has bytes, repeated to the password's length.
	h.Reset()
	for range len(pw) {
		h.Write(pw)
	}
	h.Sum(b[:0])
	if cap(v.pseq) < len(pw) {
		v.pseq = make([]byte, 0, len(pw))
	}
	p := v.pseq[:len(pw)]
	for i := 0; i < len(p); i += n {
		copy(p[i:], b)
	}

	// The S sequence: the digest of the salt repeated 16 + A[0] times,
	// cut to the salt's length.
	s := v.sseq[a[0]][:len(salt)]
	if !v.sdone[a[0]] {
		h.Reset()
		for range 16 + int(a[0]) {
			h.Write(salt)
		}
		h.Sum(b[:0])
		copy(s, b)
		v.sdone[a[0]] = true
	}

	c := a
	for i := 0; i < v.rounds; i++ {
		h.Reset()
		if i&1 != 0 {
			h.Write(p)
		} else {
			h.Write(c)
		}
		if i%3 != 0 {
			h.Write(s)
		}
		if i%7 != 0 {
			h.Write(p)
		}
		if i&1 != 0 {
			h.Write(c)
		} else {
			h.Write(p)
		}
		h.Sum(c[:0])
	}
	return subtle.ConstantTimeCompare(c, v.want) == 1
}
