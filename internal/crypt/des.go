package crypt

import (
	"encoding/binary"
	"sync"
)

// DES as crypt(3) uses it. The standard library's crypto/des cannot be used:
// crypt's salt changes the cipher itself (it swaps bits of the E expansion),
// which crypto/des does not expose. The tables below are those of FIPS 46-3;
// bit numbers count from 1 at the most significant bit, as the standard
// does.

var desIP = [64]byte{
	58, 50, 42, 34, 26, 18, 10, 2,
	60, 52, 44, 36, 28, 20, 12, 4,
	62, 54, 46, 38, 30, 22, 14, 6,
	64, 56, 48, 40, 32, 24, 16, 8,
	57, 49, 41, 33, 25, 17, 9, 1,
	59, 51, 43, 35, 27, 19, 11, 3,
	61, 53, 45, 37, 29, 21, 13, 5,
	63, 55, 47, 39, 31, 23, 15, 7,
}

var desP = [32]byte{
	16, 7, 20, 21, 29, 12, 28, 17,
	1, 15, 23, 26, 5, 18, 31, 10,
	2, 8, 24, 14, 32, 27, 3, 9,
	19, 13, 30, 6, 22, 11, 4, 25,
}

var desPC1 = [56]byte{
	57, 49, 41, 33, 25, 17, 9,
	1, 58, 50, 42, 34, 26, 18,
	10, 2, 59, 51, 43, 35, 27,
	19, 11, 3, 60, 52, 44, 36,
	63, 55, 47, 39, 31, 23, 15,
	7, 62, 54, 46, 38, 30, 22,
	14, 6, 61, 53, 45, 37, 29,
	21, 13, 5, 28, 20, 12, 4,
}

var desPC2 = [48]byte{
	14, 17, 11, 24, 1, 5,
	3, 28, 15, 6, 21, 10,
	23, 19, 12, 4, 26, 8,
	16, 7, 27, 20, 13, 2,
	41, 52, 31, 37, 47, 55,
	30, 40, 51, 45, 33, 48,
	44, 49, 39, 56, 34, 53,
	46, 42, 50, 36, 29, 32,
}

var desShifts = [16]byte{1, 1, 2, 2, 2, 2, 2, 2, 1, 2, 2, 2, 2, 2, 2, 1}

var desS = [8][64]byte{
	{
		14, 4, 13, 1, 2, 15, 11, 8, 3, 10, 6, 12, 5, 9, 0, 7,
		0, 15, 7, 4, 14, 2, 13, 1, 10, 6, 12, 11, 9, 5, 3, 8,
		4, 1, 14, 8, 13, 6, 2, 11, 15, 12, 9, 7, 3, 10, 5, 0,
		15, 12, 8, 2, 4, 9, 1, 7, 5, 11, 3, 14, 10, 0, 6, 13,
	}, {
		15, 1, 8, 14, 6, 11, 3, 4, 9, 7, 2, 13, 12, 0, 5, 10,
		3, 13, 4, 7, 15, 2, 8, 14, 12, 0, 1, 10, 6, 9, 11, 5,
		0, 14, 7, 11, 10, 4, 13, 1, 5, 8, 12, 6, 9, 3, 2, 15,
		13, 8, 10, 1, 3, 15, 4, 2, 11, 6, 7, 12, 0, 5, 14, 9,
	}, {
		10, 0, 9, 14, 6, 3, 15, 5, 1, 13, 12, 7, 11, 4, 2, 8,
		13, 7, 0, 9, 3, 4, 6, 10, 2, 8, 5, 14, 12, 11, 15, 1,
		13, 6, 4, 9, 8, 15, 3, 0, 11, 1, 2, 12, 5, 10, 14, 7,
		1, 10, 13, 0, 6, 9, 8, 7, 4, 15, 14, 3, 11, 5, 2, 12,
	}, {
		7, 13, 14, 3, 0, 6, 9, 10, 1, 2, 8, 5, 11, 12, 4, 15,
		13, 8, 11, 5, 6, 15, 0, 3, 4, 7, 2, 12, 1, 10, 14, 9,
		10, 6, 9, 0, 12, 11, 7, 13, 15, 1, 3, 14, 5, 2, 8, 4,
		3, 15, 0, 6, 10, 1, 13, 8, 9, 4, 5, 11, 12, 7, 2, 14,
	}, {
		2, 12, 4, 1, 7, 10, 11, 6, 8, 5, 3, 15, 13, 0, 14, 9,
		14, 11, 2, 12, 4, 7, 13, 1, 5, 0, 15, 10, 3, 9, 8, 6,
		4, 2, 1, 11, 10, 13, 7, 8, 15, 9, 12, 5, 6, 3, 0, 14,
		11, 8, 12, 7, 1, 14, 2, 13, 6, 15, 0, 9, 10, 4, 5, 3,
	}, {
		12, 1, 10, 15, 9, 2, 6, 8, 0, 13, 3, 4, 14, 7, 5, 11,
		10, 15, 4, 2, 7, 12, 9, 5, 6, 1, 13, 14, 0, 11, 3, 8,
		9, 14, 15, 5, 2, 8, 12, 3, 7, 0, 4, 10, 1, 13, 11, 6,
		4, 3, 2, 12, 9, 5, 15, 10, 11, 14, 1, 7, 6, 0, 8, 13,
	}, {
		4, 11, 2, 14, 15, 0, 8, 13, 3, 12, 9, 7, 5, 10, 6, 1,
		13, 0, 11, 7, 4, 9, 1, 10, 14, 3, 5, 12, 2, 15, 8, 6,
		1, 4, 11, 13, 12, 3, 7, 14, 10, 15, 6, 8, 0, 5, 9, 2,
		6, 11, 13, 8, 1, 4, 10, 7, 9, 5, 0, 15, 14, 2, 3, 12,
	}, {
		13, 2, 8, 4, 6, 15, 11, 1, 10, 9, 3, 14, 5, 0, 12, 7,
		1, 15, 13, 8, 10, 3, 7, 4, 12, 5, 6, 11, 0, 14, 9, 2,
		7, 11, 4, 1, 9, 12, 14, 2, 0, 6, 10, 13, 15, 3, 5, 8,
		2, 1, 14, 7, 4, 10, 8, 13, 15, 12, 9, 0, 3, 5, 6, 11,
	},
}

// desTables are computed once, on first use, from the standard's tables:
//
//   - sp[j][x] is S-box j applied to the six-bit input x (first bit most
//     significant), its four output bits put in place and then permuted by
//     P, so a round function is eight lookups ORed together.
//   - key[i][c][r] is the round-r subkey (48 bits, first bit most
//     significant) of a key whose only non-zero byte is byte i, equal to
//     c<<1. The key schedule only moves bits, so the subkeys of any key
//     are the OR of these: a key schedule costs 128 lookups.
type desTables struct {
	sp  [8][64]uint32
	key [8][128][16]uint64
}

var (
	desOnce sync.Once
	desTab  *desTables
)

func getDESTables() *desTables {
	desOnce.Do(func() {
		t := new(desTables)
		for j := 0; j < 8; j++ {
			for x := 0; x < 64; x++ {
				row := (x>>4)&2 | x&1
				col := (x >> 1) & 15
				s := uint32(desS[j][row*16+col])
				pre := s << (28 - 4*uint(j)) // output bits 4j+1..4j+4
				var out uint32
				for k, from := range desP {
					if pre&(1<<(32-uint(from))) != 0 {
						out |= 1 << (31 - uint(k))
					}
				}
				t.sp[j][x] = out
			}
		}
		for i := 0; i < 8; i++ {
			for c := 0; c < 128; c++ {
				var k [8]byte
				k[i] = byte(c << 1)
				t.key[i][c] = desKeySchedule(binary.BigEndian.Uint64(k[:]))
			}
		}
		desTab = t
	})
	return desTab
}

// desKeySchedule computes the sixteen 48-bit subkeys of a 64-bit key bit by
// bit. It is slow and used only to build the tables.
func desKeySchedule(key uint64) (ks [16]uint64) {
	var cd uint64 // 56 bits: C in the top 28, D in the low 28
	for i, from := range desPC1 {
		if key&(1<<(64-uint(from))) != 0 {
			cd |= 1 << (55 - uint(i))
		}
	}
	c, d := uint32(cd>>28), uint32(cd&0x0fffffff)
	for r := 0; r < 16; r++ {
		for s := byte(0); s < desShifts[r]; s++ {
			c = (c<<1 | c>>27) & 0x0fffffff
			d = (d<<1 | d>>27) & 0x0fffffff
		}
		cd = uint64(c)<<28 | uint64(d)
		var k uint64
		for i, from := range desPC2 {
			if cd&(1<<(56-uint(from))) != 0 {
				k |= 1 << (47 - uint(i))
			}
		}
		ks[r] = k
	}
	return ks
}

// desKeys holds the subkeys of one key as the round function uses them:
// eight six-bit pieces a round.
type desKeys [16][8]uint32

// setKey computes the subkeys of an 8-byte key. crypt(3) makes key byte i
// of password character i shifted up by one bit, losing its top bit; the
// lowest bit, DES's parity bit, is ignored.
func (ks *desKeys) setKey(t *desTables, key *[8]byte) {
	var sub [16]uint64
	for i, c := range key {
		if c == 0 {
			continue
		}
		k := &t.key[i][c>>1]
		for r := range sub {
			sub[r] |= k[r]
		}
	}
	for r, k := range sub {
		for j := 0; j < 8; j++ {
			ks[r][j] = uint32(k>>(42-6*uint(j))) & 63
		}
	}
}

// desSalt says which bits of the E expansion a salt swaps: salt bit i swaps
// E output bits i+1 and i+25 (counting from 1). m[j] is the mask of swapped
// bits within six-bit group j, swapped with group j+4.
type desSalt [4]uint32

func makeDESSalt(salt uint32, bits int) (s desSalt) {
	for i := 0; i < bits; i++ {
		if salt&(1<<uint(i)) != 0 {
			s[i/6] |= 1 << (5 - uint(i%6))
		}
	}
	return s
}

// desRounds runs count DES encryptions of the block whose halves, after
// the initial permutation, are l and r, feeding each output back as the
// next input (the final and initial permutations in between cancel). It
// returns the halves before the final permutation, already swapped, so the
// output block is FP(l<<32 | r) when the result is read as (l, r).
func desRounds(t *desTables, ks *desKeys, s *desSalt, l, r uint32, count uint32) (uint32, uint32) {
	sp := &t.sp
	s0, s1, s2, s3 := s[0], s[1], s[2], s[3]
	for ; count > 0; count-- {
		for i := 0; i < 16; i += 2 {
			l ^= desF(sp, &ks[i], s0, s1, s2, s3, r)
			r ^= desF(sp, &ks[i+1], s0, s1, s2, s3, l)
		}
		l, r = r, l
	}
	return l, r
}

// desF is the DES round function with crypt's salted E expansion.
func desF(sp *[8][64]uint32, k *[8]uint32, s0, s1, s2, s3, r uint32) uint32 {
	// E takes bits 32,1..5 for group 0, 4..9 for group 1, and so on:
	// every group is six bits of r, wrapping around at the ends.
	g0 := (r<<5 | r>>27) & 63
	g1 := (r >> 23) & 63
	g2 := (r >> 19) & 63
	g3 := (r >> 15) & 63
	g4 := (r >> 11) & 63
	g5 := (r >> 7) & 63
	g6 := (r >> 3) & 63
	g7 := (r<<1 | r>>31) & 63
	x := (g0 ^ g4) & s0
	g0 ^= x
	g4 ^= x
	x = (g1 ^ g5) & s1
	g1 ^= x
	g5 ^= x
	x = (g2 ^ g6) & s2
	g2 ^= x
	g6 ^= x
	x = (g3 ^ g7) & s3
	g3 ^= x
	g7 ^= x
	return sp[0][(g0^k[0])&63] | sp[1][(g1^k[1])&63] |
		sp[2][(g2^k[2])&63] | sp[3][(g3^k[3])&63] |
		sp[4][(g4^k[4])&63] | sp[5][(g5^k[5])&63] |
		sp[6][(g6^k[6])&63] | sp[7][(g7^k[7])&63]
}

// desPermute moves bit table[i] of in to bit i+1 of the result (both
// counted from 1 at the most significant bit of 64).
func desPermute(in uint64, table *[64]byte) uint64 {
	var out uint64
	for i, from := range table {
		if in&(1<<(64-uint(from))) != 0 {
			out |= 1 << (63 - uint(i))
		}
	}
	return out
}

// desFP is the inverse of desIP.
var desFP = func() (fp [64]byte) {
	for i, from := range desIP {
		fp[from-1] = byte(i + 1)
	}
	return fp
}()

// desEncrypt is plain DES (salt zero, one encryption) of a 64-bit block,
// with the initial and final permutations.
func desEncrypt(t *desTables, ks *desKeys, block uint64) uint64 {
	b := desPermute(block, &desIP)
	var s desSalt
	l, r := desRounds(t, ks, &s, uint32(b>>32), uint32(b), 1)
	return desPermute(uint64(l)<<32|uint64(r), &desFP)
}

// desVerifier checks traditional DES crypt: 2 salt characters and 11 of
// hash; 25 encryptions of a zero block under a key made of the first 8
// password characters.
type desVerifier struct {
	redacted
	t    *desTables
	salt desSalt
	want uint64 // the stored block before the final permutation
	ks   desKeys
}

func newDESVerifier(hash string) (*desVerifier, error) {
	want, ok := decodeDESBlock(hash[2:13])
	if !ok {
		return nil, malformed("des", "not a canonical encoding")
	}
	salt := uint32(atoi64[hash[0]]) | uint32(atoi64[hash[1]])<<6
	return &desVerifier{
		redacted: redacted{"des"},
		t:        getDESTables(),
		salt:     makeDESSalt(salt, 12),
		want:     desPermute(want, &desIP),
	}, nil
}

// decodeDESBlock decodes 11 characters into the 64-bit block they encode;
// ok is false unless the two padding bits are zero, as crypt(3) writes them.
func decodeDESBlock(s string) (uint64, bool) {
	if len(s) != 11 || !isB64(s) {
		return 0, false
	}
	var v uint64
	for i := 0; i < 10; i++ {
		v = v<<6 | uint64(atoi64[s[i]])
	}
	last := uint64(atoi64[s[10]])
	if last&3 != 0 {
		return 0, false
	}
	return v<<4 | last>>2, true
}

func desKeyBytes(pw []byte) (key [8]byte) {
	for i := 0; i < 8 && i < len(pw); i++ {
		key[i] = pw[i] << 1
	}
	return key
}

func (v *desVerifier) Verify(password []byte) bool {
	pw := cutNUL(password)
	key := desKeyBytes(pw)
	v.ks.setKey(v.t, &key)
	l, r := desRounds(v.t, &v.ks, &v.salt, 0, 0, 25)
	return v.want == uint64(l)<<32|uint64(r)
}

// bsdiVerifier checks BSDi extended DES: "_", 4 characters of iteration
// count, 4 of salt (24 bits, swapping all of E), 11 of hash; every
// character of the password counts, folded into the key 8 at a time.
type bsdiVerifier struct {
	redacted
	t     *desTables
	salt  desSalt
	count uint32
	want  uint64
	ks    desKeys
}

func newBSDIVerifier(hash string) (*bsdiVerifier, error) {
	count := decode24LE(hash[1:5])
	if count == 0 {
		return nil, malformed("bsdi", "zero iterations")
	}
	want, ok := decodeDESBlock(hash[9:20])
	if !ok {
		return nil, malformed("bsdi", "not a canonical encoding")
	}
	return &bsdiVerifier{
		redacted: redacted{"bsdi"},
		t:        getDESTables(),
		salt:     makeDESSalt(decode24LE(hash[5:9]), 24),
		count:    count,
		want:     desPermute(want, &desIP),
	}, nil
}

func (v *bsdiVerifier) Verify(password []byte) bool {
	pw := cutNUL(password)
	key := desKeyBytes(pw)
	v.ks.setKey(v.t, &key)
	for rest := pw[min(8, len(pw)):]; len(rest) > 0; {
		// Encrypt the key with itself, then XOR in the next 8
		// characters, each shifted up by one bit.
		b := desEncrypt(v.t, &v.ks, binary.BigEndian.Uint64(key[:]))
		binary.BigEndian.PutUint64(key[:], b)
		for i := 0; i < 8 && len(rest) > 0; i++ {
			key[i] ^= rest[0] << 1
			rest = rest[1:]
		}
		v.ks.setKey(v.t, &key)
	}
	l, r := desRounds(v.t, &v.ks, &v.salt, 0, 0, v.count)
	return v.want == uint64(l)<<32|uint64(r)
}

// bigcryptVerifier checks bigcrypt (HP-UX, Tru64 and some old Linux
// shadow suites): a DES crypt of the first 8 characters, then one 11
// character block for each further 8 characters, each made with the
// first two characters of the previous block as its salt.
type bigcryptVerifier struct {
	redacted
	t      *desTables
	blocks []bigBlock
	ks     desKeys
}

type bigBlock struct {
	salt desSalt
	want uint64
}

func newBigcryptVerifier(hash string) (*bigcryptVerifier, error) {
	v := &bigcryptVerifier{redacted: redacted{"bigcrypt"}, t: getDESTables()}
	salt := hash[:2]
	for p := 2; p < len(hash); p += 11 {
		want, ok := decodeDESBlock(hash[p : p+11])
		if !ok {
			return nil, malformed("bigcrypt", "not a canonical encoding")
		}
		s := uint32(atoi64[salt[0]]) | uint32(atoi64[salt[1]])<<6
		v.blocks = append(v.blocks, bigBlock{makeDESSalt(s, 12), desPermute(want, &desIP)})
		salt = hash[p : p+2]
	}
	return v, nil
}

func (v *bigcryptVerifier) Verify(password []byte) bool {
	pw := cutNUL(password)
	// Each block covers 8 characters; a password longer than the hash
	// covers is cut, one shorter is padded by the empty blocks.
	var diff uint64
	for i, b := range v.blocks {
		var chunk []byte
		if 8*i < len(pw) {
			chunk = pw[8*i : min(8*i+8, len(pw))]
		} else if i > 0 {
			// bigcrypt writes no block for characters that do not
			// exist, so a short password cannot fill this one.
			return false
		}
		key := desKeyBytes(chunk)
		v.ks.setKey(v.t, &key)
		l, r := desRounds(v.t, &v.ks, &b.salt, 0, 0, 25)
		diff |= b.want ^ (uint64(l)<<32 | uint64(r))
	}
	if len(pw) > 8*len(v.blocks) {
		return false
	}
	return diff == 0
}
