package yescrypt

import (
	"encoding/binary"
	"math"
	"math/bits"
)

// Memory layout. A 64-byte Salsa20 block is held as eight uint64 in the
// "shuffled" word order the yescrypt reference implementation uses
// (32-bit word i of the block is word 5i mod 16 of the Salsa20 state),
// because pwxform and the S-boxes are defined on that order. The uint64 at
// index m holds shuffled words 2m (low half) and 2m+1 (high half), which is
// exactly the 64-bit lane pwxform works on.

const (
	sboxPairs = 3 * 256 // 12 KiB of S-boxes as 16-byte pairs
	sboxInitN = sboxPairs * 16 / 128
	pwxRounds = 6
)

// limits bound what one computation may use; Hash uses MaxMemory and
// MaxWork, the fuzz test smaller values.
type limits struct {
	memory uint64 // bytes of the block array V
	aux    uint64 // bytes of everything that grows with p or r besides V
	work   uint64 // 128-byte block mixes, see params.work
}

var defaultLimits = limits{memory: MaxMemory, aux: MaxMemory / 64, work: MaxWork}

// sizes returns the bytes of V and of the other buffers a computation
// allocates. Callers have run check, so the products cannot overflow.
func (ps *params) sizes() (v, aux uint64) {
	r, p := uint64(ps.r), uint64(ps.p)
	v = 128 * r * ps.N
	aux = 2*128*r*p + 128*r // B as words and as bytes, blockmix scratch
	if ps.flags&flagRW != 0 {
		aux += sboxPairs * 16 * p
	}
	return v, aux
}

// work returns how many 128-byte blocks the computation mixes, the
// prehash included, saturating at MaxUint64.
func (ps *params) work() uint64 {
	w := ps.workBody(ps.N, ps.t)
	if ps.prehashed() {
		w = satAdd(w, ps.workBody(ps.N>>6, 0))
	}
	return w
}

func (ps *params) workBody(N uint64, t uint32) uint64 {
	p := uint64(ps.p)
	var loops uint64
	if ps.flags&flagRW != 0 {
		loops = satAdd(N, satMul(nloopAll(N/p, t, ps.flags)+1, p))
		loops = satAdd(loops, sboxInitN*p/uint64(ps.r)+1)
	} else {
		loops = satMul(satAdd(N, nloopAll(N, t, ps.flags)+1), p)
	}
	return satMul(loops, uint64(ps.r))
}

func satAdd(a, b uint64) uint64 {
	s, c := bits.Add64(a, b, 0)
	if c != 0 {
		return math.MaxUint64
	}
	return s
}

func satMul(a, b uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	if hi != 0 {
		return math.MaxUint64
	}
	return lo
}

// nloopAll is how many second-loop iterations SMix runs in all for a chunk
// of n blocks: t trades time for nothing else, and YESCRYPT_RW starts
// from a third of n where scrypt uses all of it. n is at most 2^32 and t
// below 2^32, so nothing overflows.
func nloopAll(n uint64, t, flags uint32) uint64 {
	switch {
	case flags&flagRW != 0:
		if t <= 1 {
			if t == 1 {
				n *= 2
			}
			return (n + 2) / 3
		}
		return n * uint64(t-1)
	case t == 0:
		return n
	case t == 1:
		n += (n + 1) / 2
	}
	return n * uint64(t)
}

// state holds the buffers of one computation, sized for the largest
// parameters it will run (the prehash reuses them with a smaller N).
type state struct {
	v      []uint64    // N blocks of 16r words
	b      []uint64    // p blocks of 16r words, the shuffled working state
	bBytes []byte      // the same p blocks as bytes, for PBKDF2
	y      []uint64    // 16r words of blockmix scratch
	s      [][2]uint64 // p sets of S-boxes
	ctxs   []pwxCtx    // p S-box states
	mac    macSHA256

	// Scratch kept here rather than on the stack: it passes through
	// hash.Hash interface calls, which would make stack copies escape.
	key, dk, clientKey, out [32]byte
	last                    [64]byte
}

func newState(ps *params) *state {
	r, p := int(ps.r), int(ps.p)
	st := &state{
		v:      make([]uint64, 16*r*int(ps.N)),
		b:      make([]uint64, 16*r*p),
		bBytes: make([]byte, 128*r*p),
		y:      make([]uint64, 16*r),
	}
	if ps.flags&flagRW != 0 {
		st.s = make([][2]uint64, sboxPairs*p)
		st.ctxs = make([]pwxCtx, p)
	}
	st.mac.init()
	return st
}

// kdf computes the 32-byte yescrypt (or scrypt) hash of password under ps
// and salt into out, as yescrypt_kdf does.
func (st *state) kdf(password, salt []byte, ps *params, out *[32]byte) {
	if ps.prehashed() {
		dk := &st.dk
		st.body(password, salt, ps.flags|flagPrehash, ps.N>>6, ps.r, ps.p, 0, dk)
		st.body(dk[:], salt, ps.flags, ps.N, ps.r, ps.p, ps.t, out)
		clear(dk[:])
		return
	}
	st.body(password, salt, ps.flags, ps.N, ps.r, ps.p, ps.t, out)
}

// body is yescrypt_kdf_body for a 32-byte result.
func (st *state) body(password, salt []byte, flags uint32, N uint64, r32, p32, t uint32, out *[32]byte) {
	r, p := int(r32), int(p32)
	s := 16 * r
	b := st.b[:s*p]
	bb := st.bBytes[:128*r*p]
	m := &st.mac

	// key is what keys the final PBKDF2. Except for classic scrypt, the
	// password is first condensed with HMAC, and the key later becomes the
	// start of B (and, for YESCRYPT_RW, an HMAC of that).
	key := &st.key
	pw := password
	if flags != 0 {
		label := labelPrehash
		if flags&flagPrehash == 0 {
			label = labelPrehash[:len("yescrypt")]
		}
		m.setKey(label)
		m.sum(key[:], password, nil)
		pw = key[:]
	}
	m.setKey(pw)
	m.pbkdf2(bb, salt)
	if flags != 0 {
		copy(key[:], bb)
		pw = key[:]
	}
	bytesToBlocks(b, bb)

	if flags&flagRW != 0 {
		st.smix(b, r, N, p, t, flags, key)
	} else {
		for i := 0; i < p; i++ {
			st.smix(b[i*s:(i+1)*s], r, N, 1, t, flags, nil)
		}
	}

	blocksToBytes(bb, b)
	m.setKey(pw)
	m.pbkdf2(out[:], bb)
	if flags != 0 && flags&flagPrehash == 0 {
		// The SCRAM-style tail: StoredKey = H(HMAC(dk, "Client Key")).
		clientKey := &st.clientKey
		m.setKey(out[:])
		m.sum(clientKey[:], labelClientKey, nil)
		*out = sha256Sum(clientKey[:])
		clear(clientKey[:])
	}
	clear(key[:])
}

// smix runs SMix over the p blocks of b (p = 1 except for YESCRYPT_RW,
// where the p lanes split V between them). key is the running password
// key, which YESCRYPT_RW mixes with lane 0's block after S-box setup.
func (st *state) smix(b []uint64, r int, N uint64, p int, t, flags uint32, key *[32]byte) {
	s := 16 * r
	nchunk := N / uint64(p)
	all := nloopAll(nchunk, t, flags)
	var rw uint64
	if flags&flagRW != 0 {
		rw = all / uint64(p)
	}
	nchunk &^= 1
	all = (all + 1) &^ 1
	rw = (rw + 1) &^ 1

	ctxs := st.ctxs
	for i := 0; i < p; i++ {
		vchunk := uint64(i) * nchunk
		np := nchunk
		if i == p-1 {
			np = N - vchunk
		}
		bp := b[i*s : (i+1)*s]
		vp := st.v[vchunk*uint64(s) : (vchunk+np)*uint64(s)]
		var ctx *pwxCtx
		if flags&flagRW != 0 {
			ctx = &ctxs[i]
			sb := st.s[i*sboxPairs : (i+1)*sboxPairs]
			st.sboxInit(bp[:16], sb)
			ctx.init(sb)
			if i == 0 {
				last := &st.last
				blockToBytes(last, (*[8]uint64)(bp[s-8:]))
				m := &st.mac
				m.setKey(last[:])
				m.sum(key[:], key[:], nil)
				clear(last[:])
			}
		}
		st.smix1(bp, r, np, flags, vp, ctx)
		st.smix2(bp, r, p2floor(np), rw, flags, vp, ctx)
	}
	for i := 0; i < p; i++ {
		var ctx *pwxCtx
		if flags&flagRW != 0 {
			ctx = &ctxs[i]
		}
		st.smix2(b[i*s:(i+1)*s], r, N, all-rw, flags&^flagRW, st.v, ctx)
	}
}

// smix1 is the first SMix loop: it fills v with successive states of x and,
// for YESCRYPT_RW, also mixes in earlier blocks, so the whole of v must be
// kept for the second loop.
func (st *state) smix1(x []uint64, r int, n uint64, flags uint32, v []uint64, ctx *pwxCtx) {
	s := uint64(16 * r)
	rw := flags&flagRW != 0
	for i := uint64(0); i < n; i++ {
		vi := v[i*s : (i+1)*s]
		if rw && i > 1 {
			j := wrap(integerify(x), i)
			blockmixPwxform(x, v[j*s:(j+1)*s], vi, nil, ctx)
			continue
		}
		if ctx != nil {
			blockmixPwxform(x, nil, vi, nil, ctx)
		} else {
			copy(vi, x)
			blockmixSalsa8(x, st.y)
		}
	}
}

// smix2 is the second SMix loop: data-dependent reads of v and, for
// YESCRYPT_RW, writes back into it.
func (st *state) smix2(x []uint64, r int, n, nloop uint64, flags uint32, v []uint64, ctx *pwxCtx) {
	s := uint64(16 * r)
	rw := flags&flagRW != 0
	for i := uint64(0); i < nloop; i++ {
		j := uint64(integerify(x)) & (n - 1)
		vj := v[j*s : (j+1)*s]
		if ctx != nil {
			var out []uint64
			if rw {
				out = vj
			}
			blockmixPwxform(x, vj, nil, out, ctx)
			continue
		}
		xorWords(x, vj)
		if rw {
			copy(vj, x)
		}
		blockmixSalsa8(x, st.y)
	}
}

// integerify returns the low 32 bits of the last 64-byte block's first
// 64-bit little-endian word; callers never need more because N <= 2^32.
func integerify(x []uint64) uint32 {
	return uint32(x[len(x)-8])
}

// p2floor returns the largest power of two not above x (x > 0).
func p2floor(x uint64) uint64 {
	return 1 << (63 - bits.LeadingZeros64(x))
}

// wrap maps x into [i - p2floor(i), i), the window of recent blocks
// YESCRYPT_RW's first loop reads from.
func wrap(x uint32, i uint64) uint64 {
	n := p2floor(i)
	return uint64(x)&(n-1) + (i - n)
}

func xorWords(dst, src []uint64) {
	src = src[:len(dst)]
	for i := range dst {
		dst[i] ^= src[i]
	}
}

// blockmixSalsa8 is scrypt's BlockMix with Salsa20/8: a chain through the
// 2r sub-blocks, with even outputs going to the first half and odd ones to
// the second.
func blockmixSalsa8(b, y []uint64) {
	n := len(b) / 8
	half := n / 2
	x := *(*[8]uint64)(b[len(b)-8:])
	y = y[:len(b)]
	for i := 0; i < n; i++ {
		bi := (*[8]uint64)(b[i*8:])
		for k := range x {
			x[k] ^= bi[k]
		}
		salsa(&x, 8)
		o := i/2 + (i&1)*half
		*(*[8]uint64)(y[o*8:]) = x
	}
	copy(b, y)
}

// pwxCtx is the S-box state of one lane: the three 4 KiB boxes, which
// rotate after every pwxform, and the write position in S2.
type pwxCtx struct {
	s0, s1, s2 *[256][2]uint64
	w          uint32 // index into s2 in units of [2]uint64
}

func (c *pwxCtx) init(sb [][2]uint64) {
	c.s2 = (*[256][2]uint64)(sb[0:256])
	c.s1 = (*[256][2]uint64)(sb[256:512])
	c.s0 = (*[256][2]uint64)(sb[512:768])
	c.w = 0
}

// sboxInit fills a lane's S-boxes: they are the V array of a small scrypt
// SMix1 (r = 1, 96 blocks, Salsa20/8) over the first 128 bytes of the
// lane's block, which it leaves mixed.
func (st *state) sboxInit(x []uint64, sb [][2]uint64) {
	x = x[:16]
	for i := 0; i < sboxInitN; i++ {
		o := sb[8*i : 8*i+8]
		for m := range o {
			o[m] = [2]uint64{x[2*m], x[2*m+1]}
		}
		blockmixSalsa8(x, st.y)
	}
}

// blockmixPwxform is yescrypt's BlockMix_pwxform: a chain of pwxform
// through the 64-byte sub-blocks of x, then Salsa20/2 on the last one. It
// computes x = BlockMix_pwxform(x xor vj), also storing the unmixed x into
// save (smix1's V_i <- X) and x xor vj into out (smix2's V_j <- X, which
// may alias vj). Any of vj, save and out may be nil.
//
// pwxform works on eight 64-bit lanes: six rounds of a 32x32->64-bit
// multiply, an add from S-box S0 and an xor from S1, with the middle
// rounds also writing the lanes into S2; the boxes then rotate. It is
// inlined here so that the lanes stay in registers along the chain.
func blockmixPwxform(x, vj, save, out []uint64, c *pwxCtx) {
	n := len(x)
	if vj != nil {
		vj = vj[:n]
	}
	if save != nil {
		copy(save[:n], x)
	}
	s0, s1, s2 := c.s0, c.s1, c.s2
	w := c.w

	// The chain starts from the last input sub-block.
	last := (*[8]uint64)(x[n-8:])
	x0, x1, x2, x3, x4, x5, x6, x7 := last[0], last[1], last[2], last[3], last[4], last[5], last[6], last[7]
	if vj != nil {
		l := (*[8]uint64)(vj[n-8:])
		x0, x1, x2, x3 = x0^l[0], x1^l[1], x2^l[2], x3^l[3]
		x4, x5, x6, x7 = x4^l[4], x5^l[5], x6^l[6], x7^l[7]
	}
	for i := 0; i < n; i += 8 {
		b := (*[8]uint64)(x[i:])
		in := *b
		if vj != nil {
			v := (*[8]uint64)(vj[i:])
			in[0], in[1], in[2], in[3] = in[0]^v[0], in[1]^v[1], in[2]^v[2], in[3]^v[3]
			in[4], in[5], in[6], in[7] = in[4]^v[4], in[5]^v[5], in[6]^v[6], in[7]^v[7]
			if out != nil {
				*(*[8]uint64)(out[i:]) = in
			}
		}
		x0, x1, x2, x3 = x0^in[0], x1^in[1], x2^in[2], x3^in[3]
		x4, x5, x6, x7 = x4^in[4], x5^in[5], x6^in[6], x7^in[7]

		// Round 0 and the last round only transform; the four in between
		// also write the lanes into S2.
		{
			p0, p1 := &s0[uint8(x0>>4)], &s1[uint8(x0>>36)]
			x0 = ((x0>>32)*(x0&0xffffffff) + p0[0]) ^ p1[0]
			x1 = ((x1>>32)*(x1&0xffffffff) + p0[1]) ^ p1[1]
			p0, p1 = &s0[uint8(x2>>4)], &s1[uint8(x2>>36)]
			x2 = ((x2>>32)*(x2&0xffffffff) + p0[0]) ^ p1[0]
			x3 = ((x3>>32)*(x3&0xffffffff) + p0[1]) ^ p1[1]
			p0, p1 = &s0[uint8(x4>>4)], &s1[uint8(x4>>36)]
			x4 = ((x4>>32)*(x4&0xffffffff) + p0[0]) ^ p1[0]
			x5 = ((x5>>32)*(x5&0xffffffff) + p0[1]) ^ p1[1]
			p0, p1 = &s0[uint8(x6>>4)], &s1[uint8(x6>>36)]
			x6 = ((x6>>32)*(x6&0xffffffff) + p0[0]) ^ p1[0]
			x7 = ((x7>>32)*(x7&0xffffffff) + p0[1]) ^ p1[1]
		}
		for r := 1; r < pwxRounds-1; r++ {
			p0, p1 := &s0[uint8(x0>>4)], &s1[uint8(x0>>36)]
			x0 = ((x0>>32)*(x0&0xffffffff) + p0[0]) ^ p1[0]
			x1 = ((x1>>32)*(x1&0xffffffff) + p0[1]) ^ p1[1]
			p0, p1 = &s0[uint8(x2>>4)], &s1[uint8(x2>>36)]
			x2 = ((x2>>32)*(x2&0xffffffff) + p0[0]) ^ p1[0]
			x3 = ((x3>>32)*(x3&0xffffffff) + p0[1]) ^ p1[1]
			p0, p1 = &s0[uint8(x4>>4)], &s1[uint8(x4>>36)]
			x4 = ((x4>>32)*(x4&0xffffffff) + p0[0]) ^ p1[0]
			x5 = ((x5>>32)*(x5&0xffffffff) + p0[1]) ^ p1[1]
			p0, p1 = &s0[uint8(x6>>4)], &s1[uint8(x6>>36)]
			x6 = ((x6>>32)*(x6&0xffffffff) + p0[0]) ^ p1[0]
			x7 = ((x7>>32)*(x7&0xffffffff) + p0[1]) ^ p1[1]
			s2[w&255] = [2]uint64{x0, x1}
			s2[(w+1)&255] = [2]uint64{x2, x3}
			s2[(w+2)&255] = [2]uint64{x4, x5}
			s2[(w+3)&255] = [2]uint64{x6, x7}
			w += 4
		}
		{
			p0, p1 := &s0[uint8(x0>>4)], &s1[uint8(x0>>36)]
			x0 = ((x0>>32)*(x0&0xffffffff) + p0[0]) ^ p1[0]
			x1 = ((x1>>32)*(x1&0xffffffff) + p0[1]) ^ p1[1]
			p0, p1 = &s0[uint8(x2>>4)], &s1[uint8(x2>>36)]
			x2 = ((x2>>32)*(x2&0xffffffff) + p0[0]) ^ p1[0]
			x3 = ((x3>>32)*(x3&0xffffffff) + p0[1]) ^ p1[1]
			p0, p1 = &s0[uint8(x4>>4)], &s1[uint8(x4>>36)]
			x4 = ((x4>>32)*(x4&0xffffffff) + p0[0]) ^ p1[0]
			x5 = ((x5>>32)*(x5&0xffffffff) + p0[1]) ^ p1[1]
			p0, p1 = &s0[uint8(x6>>4)], &s1[uint8(x6>>36)]
			x6 = ((x6>>32)*(x6&0xffffffff) + p0[0]) ^ p1[0]
			x7 = ((x7>>32)*(x7&0xffffffff) + p0[1]) ^ p1[1]
		}
		s0, s1, s2 = s2, s0, s1
		w &= 255

		*b = [8]uint64{x0, x1, x2, x3, x4, x5, x6, x7}
	}
	c.s0, c.s1, c.s2 = s0, s1, s2
	c.w = w
	salsa(last, 2)
}

// salsa applies the Salsa20 core with the given number of rounds to a
// block stored in shuffled order, adding the input back as Salsa20 does.
func salsa(b *[8]uint64, rounds int) {
	// Shuffled word 2m and 2m+1 are in b[m]; see the layout note above.
	j0, j5 := uint32(b[0]), uint32(b[0]>>32)
	j10, j15 := uint32(b[1]), uint32(b[1]>>32)
	j4, j9 := uint32(b[2]), uint32(b[2]>>32)
	j14, j3 := uint32(b[3]), uint32(b[3]>>32)
	j8, j13 := uint32(b[4]), uint32(b[4]>>32)
	j2, j7 := uint32(b[5]), uint32(b[5]>>32)
	j12, j1 := uint32(b[6]), uint32(b[6]>>32)
	j6, j11 := uint32(b[7]), uint32(b[7]>>32)

	x0, x1, x2, x3, x4, x5, x6, x7 := j0, j1, j2, j3, j4, j5, j6, j7
	x8, x9, x10, x11, x12, x13, x14, x15 := j8, j9, j10, j11, j12, j13, j14, j15

	for i := 0; i < rounds; i += 2 {
		// Columns.
		x4 ^= bits.RotateLeft32(x0+x12, 7)
		x8 ^= bits.RotateLeft32(x4+x0, 9)
		x12 ^= bits.RotateLeft32(x8+x4, 13)
		x0 ^= bits.RotateLeft32(x12+x8, 18)

		x9 ^= bits.RotateLeft32(x5+x1, 7)
		x13 ^= bits.RotateLeft32(x9+x5, 9)
		x1 ^= bits.RotateLeft32(x13+x9, 13)
		x5 ^= bits.RotateLeft32(x1+x13, 18)

		x14 ^= bits.RotateLeft32(x10+x6, 7)
		x2 ^= bits.RotateLeft32(x14+x10, 9)
		x6 ^= bits.RotateLeft32(x2+x14, 13)
		x10 ^= bits.RotateLeft32(x6+x2, 18)

		x3 ^= bits.RotateLeft32(x15+x11, 7)
		x7 ^= bits.RotateLeft32(x3+x15, 9)
		x11 ^= bits.RotateLeft32(x7+x3, 13)
		x15 ^= bits.RotateLeft32(x11+x7, 18)

		// Rows.
		x1 ^= bits.RotateLeft32(x0+x3, 7)
		x2 ^= bits.RotateLeft32(x1+x0, 9)
		x3 ^= bits.RotateLeft32(x2+x1, 13)
		x0 ^= bits.RotateLeft32(x3+x2, 18)

		x6 ^= bits.RotateLeft32(x5+x4, 7)
		x7 ^= bits.RotateLeft32(x6+x5, 9)
		x4 ^= bits.RotateLeft32(x7+x6, 13)
		x5 ^= bits.RotateLeft32(x4+x7, 18)

		x11 ^= bits.RotateLeft32(x10+x9, 7)
		x8 ^= bits.RotateLeft32(x11+x10, 9)
		x9 ^= bits.RotateLeft32(x8+x11, 13)
		x10 ^= bits.RotateLeft32(x9+x8, 18)

		x12 ^= bits.RotateLeft32(x15+x14, 7)
		x13 ^= bits.RotateLeft32(x12+x15, 9)
		x14 ^= bits.RotateLeft32(x13+x12, 13)
		x15 ^= bits.RotateLeft32(x14+x13, 18)
	}

	b[0] = uint64(x0+j0) | uint64(x5+j5)<<32
	b[1] = uint64(x10+j10) | uint64(x15+j15)<<32
	b[2] = uint64(x4+j4) | uint64(x9+j9)<<32
	b[3] = uint64(x14+j14) | uint64(x3+j3)<<32
	b[4] = uint64(x8+j8) | uint64(x13+j13)<<32
	b[5] = uint64(x2+j2) | uint64(x7+j7)<<32
	b[6] = uint64(x12+j12) | uint64(x1+j1)<<32
	b[7] = uint64(x6+j6) | uint64(x11+j11)<<32
}

// Fixed HMAC inputs; package variables so that using them allocates nothing.
var (
	labelPrehash   = []byte("yescrypt-prehash")
	labelClientKey = []byte("Client Key")
)

// shuffle[i] is the Salsa20 word stored at shuffled position i.
var shuffle = [16]int{0, 5, 10, 15, 4, 9, 14, 3, 8, 13, 2, 7, 12, 1, 6, 11}

// bytesToBlocks converts PBKDF2 output (64-byte blocks of little-endian
// words) into the shuffled layout.
func bytesToBlocks(dst []uint64, src []byte) {
	for off := 0; off+64 <= len(src); off += 64 {
		blk := (*[64]byte)(src[off:])
		d := (*[8]uint64)(dst[off/8:])
		for m := 0; m < 8; m++ {
			lo := binary.LittleEndian.Uint32(blk[4*shuffle[2*m]:])
			hi := binary.LittleEndian.Uint32(blk[4*shuffle[2*m+1]:])
			d[m] = uint64(lo) | uint64(hi)<<32
		}
	}
}

// blocksToBytes is the inverse of bytesToBlocks.
func blocksToBytes(dst []byte, src []uint64) {
	for off := 0; off+64 <= len(dst); off += 64 {
		blockToBytes((*[64]byte)(dst[off:]), (*[8]uint64)(src[off/8:]))
	}
}

func blockToBytes(dst *[64]byte, b *[8]uint64) {
	for m := 0; m < 8; m++ {
		binary.LittleEndian.PutUint32(dst[4*shuffle[2*m]:], uint32(b[m]))
		binary.LittleEndian.PutUint32(dst[4*shuffle[2*m+1]:], uint32(b[m]>>32))
	}
}
