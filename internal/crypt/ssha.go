package crypt

import (
	"crypto/pbkdf2"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/subtle"
	"hash"
	"strings"
)

// AIX's ssha hashes ("{ssha1}", "{ssha256}", "{ssha512}", from AIX 5.3 TL7
// and 6.1 on, set by pwd_algorithm in /etc/security/login.cfg) are
//
//	{sshaN}CC$salt$hash
//
// where CC is two decimal digits giving log2 of the iteration count, salt
// is used as it is written (its characters are the key's salt bytes, not
// decoded), and hash is the PBKDF2-HMAC-SHA-N of the password with the
// full digest size as output length, written with crypt's base-64 in
// groups of three bytes, each group taken as a big-endian number and
// written least significant six bits first. The last group is padded with
// zero bytes and cut to 27, 43 or 86 characters, so the last byte of an
// ssha512 digest is not stored at all.
type sshaVerifier struct {
	redacted
	newHash func() hash.Hash
	size    int
	iter    int
	salt    []byte
	want    []byte // the stored characters
	got     []byte
}

type sshaParams struct {
	prefix  string
	newHash func() hash.Hash
	size    int // digest bytes
	chars   int // encoded characters
}

var sshaSchemes = map[string]sshaParams{
	"aix-ssha1":   {"{ssha1}", sha1.New, 20, 27},
	"aix-ssha256": {"{ssha256}", sha256.New, 32, 43},
	"aix-ssha512": {"{ssha512}", sha512.New, 64, 86},
}

// sshaMaxSalt is the longest salt accepted: AIX writes 8 to 24 characters
// and hashcat takes up to 48.
const sshaMaxSalt = 48

// parseSSHA splits the part after the "{sshaN}" prefix.
func parseSSHA(rest string, chars int) (cost int, salt, enc string, ok bool) {
	if len(rest) < 3 || rest[2] != '$' || !isDigit(rest[0]) || !isDigit(rest[1]) {
		return 0, "", "", false
	}
	cost = int(rest[0]-'0')*10 + int(rest[1]-'0')
	if cost > 31 { // AIX takes 4..31
		return 0, "", "", false
	}
	salt, enc, found := strings.Cut(rest[3:], "$")
	if !found || salt == "" || len(salt) > sshaMaxSalt || !isB64(salt) || len(enc) != chars || !isB64(enc) {
		return 0, "", "", false
	}
	return cost, salt, enc, true
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func newSSHAVerifier(id, hash string) (*sshaVerifier, error) {
	p := sshaSchemes[id]
	cost, salt, enc, ok := parseSSHA(hash[len(p.prefix):], p.chars)
	if !ok {
		return nil, malformed(id, "bad cost, salt or length")
	}
	// Every stored string must be one the encoder can write: the padding
	// bits of the last group are zero.
	if !sshaCanonical(enc, p.size) {
		return nil, malformed(id, "not a canonical encoding")
	}
	return &sshaVerifier{
		redacted: redacted{id},
		newHash:  p.newHash,
		size:     p.size,
		iter:     1 << uint(cost),
		salt:     []byte(salt),
		want:     []byte(enc),
		got:      make([]byte, 0, p.chars),
	}, nil
}

// sshaCanonical reports whether enc has zero padding bits in its last,
// partial group.
func sshaCanonical(enc string, size int) bool {
	rem := size % 3 // bytes in the last group
	if rem == 0 {
		return true
	}
	last := enc[len(enc)-(len(enc)%4):]
	var w uint32
	for i := len(last) - 1; i >= 0; i-- {
		w = w<<6 | uint32(atoi64[last[i]])
	}
	// The group's number is b0<<16 | b1<<8; its low 8*(3-rem) bits are
	// the zero padding.
	return w&(1<<(8*uint(3-rem))-1) == 0
}

func (v *sshaVerifier) Verify(password []byte) bool {
	pw := cutNUL(password)
	key, err := pbkdf2.Key(v.newHash, string(pw), v.salt, v.iter, v.size)
	if err != nil {
		return false
	}
	v.got = encodeLE3(v.got[:0], key, len(v.want))
	return subtle.ConstantTimeCompare(v.got, v.want) == 1
}
