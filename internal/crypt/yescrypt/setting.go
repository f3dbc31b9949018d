package yescrypt

import (
	"bytes"
	"errors"
	"math"
)

// Flag bits of a yescrypt setting, as the flavor field of "$y$" encodes them.
const (
	flagWORM    = 0x001 // scrypt plus the t parameter and pre/post hashing
	flagRW      = 0x002 // full yescrypt: read-write memory and pwxform
	flagPrehash = 0x10000000

	// flagsDefault is the only YESCRYPT_RW flavor libxcrypt computes:
	// pwxform with 6 rounds, gather 4, simple 2 and 12 KiB of S-boxes.
	flagsDefault = flagRW | 0x004 | 0x010 | 0x020 | 0x080

	flavorMask = 0x3fc
)

// Limits that crypt(3) in libxcrypt puts on its arguments.
const (
	maxPassphrase = 512 // a passphrase must be shorter than this
	outputSize    = 384 // the output buffer; setting + "$" + hash + NUL must fit
	hashChars     = 43  // 32 bytes in the crypt base-64 alphabet
)

var (
	errSetting     = errors.New("yescrypt: malformed setting")
	errPrefix      = errors.New("yescrypt: setting is not a yescrypt or scrypt setting")
	errUnsupported = errors.New("yescrypt: setting asks for an unsupported yescrypt variant")
	errParams      = errors.New("yescrypt: invalid cost parameters")
	errMemory      = errors.New("yescrypt: cost parameters need more memory than allowed")
	errWork        = errors.New("yescrypt: cost parameters need more work than allowed")
	errSalt        = errors.New("yescrypt: malformed salt")
	errTooLong     = errors.New("yescrypt: setting too long")
	errPassword    = errors.New("yescrypt: password longer than crypt(3) accepts")
	errNUL         = errors.New("yescrypt: NUL byte, which crypt(3) cannot receive")
	errNoHash      = errors.New("yescrypt: setting has no hash part to verify against")
)

// params are the cost parameters of a setting, named as in the yescrypt
// specification.
type params struct {
	flags uint32
	N     uint64 // number of blocks, a power of two
	r     uint32 // block size in units of 128 bytes
	p     uint32 // parallelism (a divider of N for YESCRYPT_RW)
	t     uint32 // extra time factor
	g     uint32 // hash upgrades; libxcrypt refuses any but 0
	NROM  uint64 // ROM size; libxcrypt never has a ROM
}

// parsed is a setting taken apart.
type parsed struct {
	params
	prefix []byte // the part of the setting the result repeats: "$y$...$salt"
	salt   []byte // decoded salt for "$y$", the salt characters for "$7$"
}

// The crypt base-64 alphabet. yescrypt packs bits little-endian: the first
// character carries the lowest six bits.
const itoa64 = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

var atoi64Table = func() (t [256]uint8) {
	for i := range t {
		t[i] = 64
	}
	for i := 0; i < len(itoa64); i++ {
		t[itoa64[i]] = uint8(i)
	}
	return t
}()

// atoi64 returns the value of character at s[i], or 64 when it is not in
// the alphabet or i is past the end (C code would read the terminating NUL).
func atoi64(s []byte, i int) uint32 {
	if i >= len(s) {
		return 64
	}
	return uint32(atoi64Table[s[i]])
}

// decodeUint32 reads yescrypt's variable-length number encoding starting at
// s[i]: the first character tells how many characters follow, so small
// values take one character. It mirrors the reference decoder, including
// its uint32 wrap-around. It returns the position after the number.
func decodeUint32(s []byte, i int, min uint32) (uint32, int, bool) {
	c := atoi64(s, i)
	i++
	if c > 63 {
		return 0, i, false
	}
	start, end, chars, bits := uint32(0), uint32(47), 1, uint32(0)
	v := min
	for c > end {
		v += (end + 1 - start) << bits
		start = end + 1
		end = start + (62-end)/2
		chars++
		bits += 6
	}
	v += (c - start) << bits
	for ; chars > 1; chars-- {
		c = atoi64(s, i)
		i++
		if c > 63 {
			return 0, i, false
		}
		bits -= 6
		v += c << bits
	}
	return v, i, true
}

// decodeFixed30 reads five characters holding a 30-bit little-endian
// number, the field format of "$7$" settings.
func decodeFixed30(s []byte, i int) (uint32, int, bool) {
	var v uint32
	for bits := uint32(0); bits < 30; bits += 6 {
		c := atoi64(s, i)
		i++
		if c > 63 {
			return 0, i, false
		}
		v |= c << bits
	}
	return v, i, true
}

// decodeSalt decodes a "$y$" salt: groups of four characters give three
// bytes, a final group of two or three characters gives one or two bytes
// whose unused high bits must be zero, and at most 64 bytes are allowed.
func decodeSalt(s []byte) ([]byte, bool) {
	out := make([]byte, 0, 64)
	for i := 0; i < len(s); {
		var v, bits uint32
		for ; i < len(s) && bits < 24; i++ {
			c := atoi64(s, i)
			if c > 63 {
				return nil, false
			}
			v |= c << bits
			bits += 6
		}
		if bits < 12 {
			return nil, false
		}
		for ; bits >= 8; bits -= 8 {
			if len(out) == cap(out) {
				return nil, false
			}
			out = append(out, byte(v))
			v >>= 8
		}
		if v != 0 {
			return nil, false
		}
	}
	return out, true
}

// encodeHash appends the 43-character encoding of a 32-byte hash.
func encodeHash(dst []byte, h *[32]byte) []byte {
	for i := 0; i < len(h); i += 3 {
		var v uint32
		n := 0
		for ; n < 3 && i+n < len(h); n++ {
			v |= uint32(h[i+n]) << (8 * n)
		}
		for bits := 0; bits < 8*n; bits += 6 {
			dst = append(dst, itoa64[v&63])
			v >>= 6
		}
	}
	return dst
}

// saltChar reports whether c may appear in a "$7$" salt, as libxcrypt
// checks it.
func saltChar(c byte) bool {
	return c == '$' || atoi64Table[c] < 64
}

// parseSetting takes a setting (or a whole hash) apart the way
// libxcrypt's crypt() does before it computes anything, and checks the
// parameters the way its yescrypt_kdf does. Errors never quote the
// setting, which may be a password hash.
func parseSetting(setting []byte) (*parsed, error) {
	if bytes.IndexByte(setting, 0) >= 0 {
		return nil, errNUL
	}
	if len(setting)+1+hashChars+1 > outputSize {
		return nil, errTooLong
	}
	var ps parsed
	ps.p = 1
	var i int
	switch {
	case bytes.HasPrefix(setting, []byte("$7$")):
		// libxcrypt's scrypt front end checks the characters after the
		// fixed-width fields: any character outside the alphabet must
		// follow a '$'.
		for j := 3 + 1 + 5*2; j < len(setting); j++ {
			if !saltChar(setting[j]) {
				if setting[j-1] == '$' {
					break
				}
				return nil, errSalt
			}
		}
		nlog2 := atoi64(setting, 3)
		if nlog2 < 1 || nlog2 > 63 {
			return nil, errSetting
		}
		ps.N = 1 << nlog2
		var ok bool
		if ps.r, i, ok = decodeFixed30(setting, 4); !ok {
			return nil, errSetting
		}
		if ps.p, i, ok = decodeFixed30(setting, i); !ok {
			return nil, errSetting
		}
	case bytes.HasPrefix(setting, []byte("$y$")):
		var err error
		if i, err = ps.parseY(setting); err != nil {
			return nil, err
		}
	case bytes.HasPrefix(setting, []byte("$gy$")):
		return nil, errUnsupported
	default:
		return nil, errPrefix
	}

	// The salt runs to the last '$', or to the end when there is none, so
	// a whole hash works as a setting.
	saltStr := setting[i:]
	if j := bytes.LastIndexByte(saltStr, '$'); j >= 0 {
		saltStr = saltStr[:j]
	}
	ps.prefix = setting[:i+len(saltStr)]
	if setting[1] == '7' {
		ps.salt = saltStr
	} else {
		var ok bool
		if ps.salt, ok = decodeSalt(saltStr); !ok {
			return nil, errSalt
		}
	}
	if err := ps.check(); err != nil {
		return nil, err
	}
	return &ps, nil
}

// parseY reads the parameter fields of a "$y$" setting and returns the
// position where the salt starts.
func (ps *parsed) parseY(s []byte) (int, error) {
	flavor, i, ok := decodeUint32(s, 3, 0)
	if !ok {
		return 0, errSetting
	}
	switch {
	case flavor < flagRW:
		ps.flags = flavor
	case flavor <= flagRW+(flavorMask>>2):
		ps.flags = flagRW + (flavor-flagRW)<<2
	default:
		return 0, errSetting
	}
	var nlog2 uint32
	if nlog2, i, ok = decodeUint32(s, i, 1); !ok || nlog2 > 63 {
		return 0, errSetting
	}
	ps.N = 1 << nlog2
	if ps.r, i, ok = decodeUint32(s, i, 1); !ok {
		return 0, errSetting
	}
	if i < len(s) && s[i] != '$' {
		// Optional fields, present as the bits of "have" say.
		var have uint32
		if have, i, ok = decodeUint32(s, i, 1); !ok {
			return 0, errSetting
		}
		if have&1 != 0 {
			if ps.p, i, ok = decodeUint32(s, i, 2); !ok {
				return 0, errSetting
			}
		}
		if have&2 != 0 {
			if ps.t, i, ok = decodeUint32(s, i, 1); !ok {
				return 0, errSetting
			}
		}
		if have&4 != 0 {
			if ps.g, i, ok = decodeUint32(s, i, 1); !ok {
				return 0, errSetting
			}
		}
		if have&8 != 0 {
			var romLog2 uint32
			if romLog2, i, ok = decodeUint32(s, i, 1); !ok || romLog2 > 63 {
				return 0, errSetting
			}
			ps.NROM = 1 << romLog2
		}
	}
	if i >= len(s) || s[i] != '$' {
		return 0, errSetting
	}
	return i + 1, nil
}

// check applies the parameter checks of libxcrypt's (optimised) yescrypt
// implementation, so that exactly the settings it refuses are refused.
func (ps *params) check() error {
	if ps.g != 0 {
		return errUnsupported // hash upgrades are not implemented upstream either
	}
	switch ps.flags & 3 {
	case 0:
		if ps.flags != 0 || ps.t != 0 || ps.NROM != 0 {
			return errParams
		}
	case flagWORM:
		if ps.flags != flagWORM || ps.NROM != 0 {
			return errParams
		}
	case flagRW:
		if ps.flags != flagsDefault {
			return errUnsupported
		}
	default:
		return errParams
	}
	if ps.NROM != 0 {
		return errUnsupported // needs a ROM, which crypt(3) never has
	}
	r, p, N := uint64(ps.r), uint64(ps.p), ps.N
	if r*p >= 1<<30 || N > math.MaxUint32 || N&(N-1) != 0 || N <= 3 || r < 1 || p < 1 {
		return errParams
	}
	if r > math.MaxUint64/256/p || N > math.MaxUint64/128/r {
		return errParams
	}
	if ps.flags&flagRW != 0 && N/p <= 3 {
		return errParams
	}
	return nil
}

// prehashed reports whether a YESCRYPT_RW computation starts with a
// smaller yescrypt run over the password (N/64 blocks), which libxcrypt
// does for large settings so that the cost of a guess is more front-loaded.
func (ps *params) prehashed() bool {
	N, p, r := ps.N, uint64(ps.p), uint64(ps.r)
	return ps.flags&flagRW != 0 && N/p >= 0x100 && N/p*r >= 0x20000
}
