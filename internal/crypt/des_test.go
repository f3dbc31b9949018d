package crypt

import (
	"crypto/des"
	"encoding/binary"
	"math/rand/v2"
	"testing"
)

// TestDESMatchesStandardLibrary checks the table-driven DES against
// crypto/des on random keys and blocks: with salt zero and one
// encryption, crypt's DES is plain DES.
func TestDESMatchesStandardLibrary(t *testing.T) {
	tab := getDESTables()
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 200; i++ {
		var key [8]byte
		for j := range key {
			key[j] = byte(r.IntN(128)) << 1
		}
		var block [8]byte
		binary.BigEndian.PutUint64(block[:], r.Uint64())
		c, err := des.NewCipher(key[:])
		if err != nil {
			t.Fatal(err)
		}
		var want [8]byte
		c.Encrypt(want[:], block[:])
		var ks desKeys
		ks.setKey(tab, &key)
		got := desEncrypt(tab, &ks, binary.BigEndian.Uint64(block[:]))
		if got != binary.BigEndian.Uint64(want[:]) {
			t.Fatalf("key %x block %x: got %016x, want %x", key, block, got, want)
		}
	}
}
