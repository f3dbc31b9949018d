package crypt

import (
	"crypto/subtle"
	"encoding/hex"
	"hash"

	"golang.org/x/crypto/md4" //nolint:staticcheck // NT hashes are MD4 by definition
)

// ntVerifier checks FreeBSD's "$3$$" NT hashes: MD4 of the password made
// 16 bits wide, written in lower-case hex. crypt(3) widens each byte with a
// zero byte (it reads the password as Latin-1, not UTF-8), so Windows and
// crypt(3) agree only on ASCII passwords; this follows crypt(3).
type ntVerifier struct {
	redacted
	want [16]byte
	h    hash.Hash
	buf  []byte
	sum  [16]byte
}

func newNTVerifier(hash string) (*ntVerifier, error) {
	v := &ntVerifier{redacted: redacted{"nt"}, h: md4.New()}
	enc := hash[len("$3$$"):]
	if len(enc) != 32 {
		return nil, malformed("nt", "bad length")
	}
	if _, err := hex.Decode(v.want[:], []byte(enc)); err != nil {
		return nil, malformed("nt", "not hex")
	}
	return v, nil
}

func (v *ntVerifier) Verify(password []byte) bool {
	pw := cutNUL(password)
	buf := v.buf[:0]
	for _, c := range pw {
		buf = append(buf, c, 0)
	}
	v.buf = buf
	v.h.Reset()
	v.h.Write(buf)
	v.h.Sum(v.sum[:0])
	return subtle.ConstantTimeCompare(v.sum[:], v.want[:]) == 1
}
