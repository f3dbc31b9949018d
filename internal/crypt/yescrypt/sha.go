package yescrypt

import (
	"crypto/sha256"
	"encoding/binary"
	"hash"
)

// macSHA256 is HMAC-SHA256 with reusable digests, so that a Verifier does
// not allocate per guess (crypto/hmac allocates on every New).
type macSHA256 struct {
	inner, outer hash.Hash
	ipad, opad   [sha256.BlockSize]byte
	buf          [sha256.Size]byte
	ctr          [4]byte
}

func (m *macSHA256) init() {
	m.inner = sha256.New()
	m.outer = sha256.New()
}

// setKey prepares the pads for key, hashing keys longer than a block as
// HMAC requires.
func (m *macSHA256) setKey(key []byte) {
	clear(m.ipad[:])
	if len(key) > sha256.BlockSize {
		m.inner.Reset()
		m.inner.Write(key)
		m.inner.Sum(m.ipad[:0])
	} else {
		copy(m.ipad[:], key)
	}
	m.opad = m.ipad
	for i := range m.ipad {
		m.ipad[i] ^= 0x36
		m.opad[i] ^= 0x5c
	}
}

// sum writes HMAC(key, a || b) into dst[:32]; dst may overlap a or b.
func (m *macSHA256) sum(dst, a, b []byte) {
	m.inner.Reset()
	m.inner.Write(m.ipad[:])
	m.inner.Write(a)
	m.inner.Write(b)
	inner := m.inner.Sum(m.buf[:0])
	m.outer.Reset()
	m.outer.Write(m.opad[:])
	m.outer.Write(inner)
	m.outer.Sum(dst[:0])
}

// pbkdf2 fills dst (a multiple of 32 bytes long) with PBKDF2-HMAC-SHA256
// of the current key and salt at one iteration, the only count yescrypt
// uses: block i is then simply HMAC(key, salt || INT(i)).
func (m *macSHA256) pbkdf2(dst, salt []byte) {
	for i := 0; i*sha256.Size < len(dst); i++ {
		binary.BigEndian.PutUint32(m.ctr[:], uint32(i+1))
		m.sum(dst[i*sha256.Size:], salt, m.ctr[:])
	}
}

func sha256Sum(b []byte) [32]byte {
	return sha256.Sum256(b)
}
