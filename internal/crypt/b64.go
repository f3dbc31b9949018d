package crypt

// itoa64 is the alphabet of crypt(3)'s base-64: "." is 0, "z" is 63. It
// differs from RFC 4648 in order and in its two extra characters.
const itoa64 = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// atoi64 maps a character to its itoa64 value, or 0xff outside the
// alphabet.
var atoi64 = func() (t [256]byte) {
	for i := range t {
		t[i] = 0xff
	}
	for i := 0; i < len(itoa64); i++ {
		t[itoa64[i]] = byte(i)
	}
	return t
}()

// isB64 reports whether every byte of s is in the itoa64 alphabet.
func isB64(s string) bool {
	for i := 0; i < len(s); i++ {
		if atoi64[s[i]] == 0xff {
			return false
		}
	}
	return true
}

// b64Group is one group of a digest's encoding: up to three digest bytes,
// taken as the big-endian number idx[0]<<16 | idx[1]<<8 | idx[2] (a -1
// index contributes zero), written as n characters, least significant six
// bits first. MD5 crypt and sha-crypt write their digests as such groups
// in a scrambled byte order.
type b64Group struct {
	idx [3]int
	n   int
}

// encodeGroups appends the encoding of digest in the order of groups.
func encodeGroups(dst, digest []byte, groups []b64Group) []byte {
	for _, g := range groups {
		var w uint32
		for _, i := range g.idx {
			w <<= 8
			if i >= 0 {
				w |= uint32(digest[i])
			}
		}
		for k := 0; k < g.n; k++ {
			dst = append(dst, itoa64[w&63])
			w >>= 6
		}
	}
	return dst
}

// decodeGroups turns an encoded digest back into size bytes. ok is false
// unless s is exactly the canonical encoding of those bytes: any other
// string is never what crypt(3) writes, so no password can match it.
func decodeGroups(s string, size int, groups []b64Group) (digest []byte, ok bool) {
	digest = make([]byte, size)
	p := 0
	for _, g := range groups {
		if p+g.n > len(s) {
			return nil, false
		}
		var w uint32
		for k := g.n - 1; k >= 0; k-- {
			c := atoi64[s[p+k]]
			if c == 0xff {
				return nil, false
			}
			w = w<<6 | uint32(c)
		}
		p += g.n
		for j := 2; j >= 0; j-- {
			if i := g.idx[j]; i >= 0 {
				digest[i] = byte(w)
			}
			w >>= 8
		}
	}
	if p != len(s) {
		return nil, false
	}
	if string(encodeGroups(nil, digest, groups)) != s {
		return nil, false
	}
	return digest, true
}

// encodeLE3 appends the itoa64 encoding of b in groups of three bytes taken
// as the big-endian number b0<<16|b1<<8|b2, four characters a group, least
// significant first; a short last group is padded with zero bytes and cut to
// chars. AIX's ssha hashes are written this way.
func encodeLE3(dst []byte, b []byte, chars int) []byte {
	for i := 0; chars > 0; i += 3 {
		var w uint32
		for j := 0; j < 3; j++ {
			w <<= 8
			if i+j < len(b) {
				w |= uint32(b[i+j])
			}
		}
		for k := 0; k < 4 && chars > 0; k++ {
			dst = append(dst, itoa64[w&63])
			w >>= 6
			chars--
		}
	}
	return dst
}

// decode24LE decodes up to four itoa64 characters as a number, least
// significant character first, as BSDi's count and salt are written.
func decode24LE(s string) uint32 {
	var v uint32
	for i := len(s) - 1; i >= 0; i-- {
		v = v<<6 | uint32(atoi64[s[i]]&63)
	}
	return v
}
