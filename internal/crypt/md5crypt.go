package crypt

import (
	"crypto/md5"
	"crypto/subtle"
	"hash"
	"strings"
)

// md5Groups is the byte order in which MD5 crypt writes its digest.
var md5Groups = []b64Group{
	{[3]int{0, 6, 12}, 4},
	{[3]int{1, 7, 13}, 4},
	{[3]int{2, 8, 14}, 4},
	{[3]int{3, 9, 15}, 4},
	{[3]int{4, 10, 5}, 4},
	{[3]int{-1, -1, 11}, 2},
}

// md5Verifier checks Poul-Henning Kamp's MD5 crypt ("$1$"), Apache's
// variant ("$apr1$", the same algorithm with another magic string) and
// AIX's {smd5}.
//
// AIX's {smd5} is MD5 crypt with the magic string left out of the first
// digest (OpenSSL's "passwd -aixmd5" makes it): the file holds "{smd5}",
// the salt, "$" and the 22-character hash. AIX also writes
// "{smd5}$1$salt$hash" when lpa_options has std_hash=true; that one is
// standard MD5 crypt and is checked as such.
type md5Verifier struct {
	redacted
	magic []byte // "$1$", "$apr1$" or empty
	salt  []byte // at most 8 bytes
	want  [16]byte
	h     hash.Hash
	fin   [16]byte
	zero  [1]byte
}

func newMD5Verifier(id, hash string) (*md5Verifier, error) {
	var magic, rest string
	switch id {
	case "md5":
		magic, rest = "$1$", hash[3:]
	case "apr1":
		magic, rest = "$apr1$", hash[6:]
	default: // aix-smd5
		rest = hash[len("{smd5}"):]
		if strings.HasPrefix(rest, "$1$") {
			magic, rest = "$1$", rest[3:]
		}
	}
	salt, enc, ok := strings.Cut(rest, "$")
	if !ok || len(salt) > 8 {
		return nil, malformed(id, "bad salt")
	}
	digest, ok := decodeGroups(enc, 16, md5Groups)
	if !ok {
		return nil, malformed(id, "not a canonical encoding")
	}
	v := &md5Verifier{
		redacted: redacted{id},
		magic:    []byte(magic),
		salt:     []byte(salt),
		h:        md5.New(),
	}
	copy(v.want[:], digest)
	return v, nil
}

func (v *md5Verifier) Verify(password []byte) bool {
	pw := cutNUL(password)
	h := v.h
	fin := v.fin[:]

	// The alternate sum: password, salt, password.
	h.Reset()
	h.Write(pw)
	h.Write(v.salt)
	h.Write(pw)
	h.Sum(fin[:0])

	h.Reset()
	h.Write(pw)
	h.Write(v.magic)
	h.Write(v.salt)
	for n := len(pw); n > 0; n -= 16 {
		h.Write(fin[:min(n, 16)])
	}
	// Then, for each bit of the length from the lowest up, a zero byte
	// for a one bit and the first password byte for a zero bit (the
	// original code meant to clear the buffer and wrote a NUL instead).
	for n := len(pw); n > 0; n >>= 1 {
		if n&1 != 0 {
			h.Write(v.zero[:])
		} else {
			h.Write(pw[:1])
		}
	}
	h.Sum(fin[:0])

	// A thousand rounds meant to slow an attacker down, which they no
	// longer do.
	for i := 0; i < 1000; i++ {
		h.Reset()
		if i&1 != 0 {
			h.Write(pw)
		} else {
			h.Write(fin)
		}
		if i%3 != 0 {
			h.Write(v.salt)
		}
		if i%7 != 0 {
			h.Write(pw)
		}
		if i&1 != 0 {
			h.Write(fin)
		} else {
			h.Write(pw)
		}
		h.Sum(fin[:0])
	}
	return subtle.ConstantTimeCompare(fin, v.want[:]) == 1
}
