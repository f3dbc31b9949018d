package crypt

import (
	"strconv"
	"strings"
)

// Source says which file a password field was read from, where the same
// text means different things: "x" is the shadow marker of /etc/passwd,
// "!" is AIX's marker for "see /etc/security/passwd" in its /etc/passwd but
// a lock everywhere else.
type Source int

const (
	// AnyFile is a field of unknown origin: "x" is read as the shadow
	// marker and "!" as a lock.
	AnyFile Source = iota
	// ShadowFile is /etc/shadow, BSD's master.passwd, Solaris' shadow or
	// the password attribute of AIX's /etc/security/passwd: the file
	// that holds the hashes, where "x" is no marker but a field no
	// crypt(3) accepts.
	ShadowFile
	// PasswdFile is /etc/passwd on Linux, BSD and Solaris.
	PasswdFile
	// AIXPasswdFile is /etc/passwd on AIX, where "!" says the password is
	// in /etc/security/passwd.
	AIXPasswdFile
)

// Identify says what a password field holds, reading it as a field of
// unknown origin (see IdentifyIn). It never fails: a field it cannot read
// is KindUnknown.
func Identify(field string) Field {
	return IdentifyIn(field, AnyFile)
}

// IdentifyIn says what a password field read from src holds.
func IdentifyIn(field string, src Source) Field {
	switch field {
	case "":
		return Field{Kind: KindEmpty}
	case "x":
		if src == AnyFile || src == PasswdFile {
			return Field{Kind: KindShadowed}
		}
		return Field{Kind: KindUnknown}
	case "!":
		if src == AIXPasswdFile {
			return Field{Kind: KindShadowed}
		}
	case "NP", "UP", "*NP*":
		// Solaris: no password, or one not yet set; login by password
		// is refused.
		return Field{Kind: KindLocked, Lock: field}
	}
	if s, _, ok := identifyHash(field); ok {
		return Field{Kind: KindHash, Scheme: s}
	}
	marker := lockMarker(field)
	if marker == "" {
		return Field{Kind: KindUnknown}
	}
	f := Field{Kind: KindLocked, Lock: marker}
	if s, _, ok := identifyHash(field[len(marker):]); ok {
		f.Scheme = s
	}
	return f
}

// lockMarker returns the lock marker field starts with: "*LOCKED*"
// (FreeBSD's pw lock), "*LK*" (Solaris' passwd -l), or a run of "!" and
// "*" ("!" from passwd -l and usermod -L, "!!" from RHEL's useradd and
// passwd -l, "*" for accounts never meant to log in by password, "!*"
// from systemd). Neither "!" nor "*" can start a hash.
func lockMarker(field string) string {
	for _, m := range []string{"*LOCKED*", "*LK*"} {
		if strings.HasPrefix(field, m) {
			return m
		}
	}
	i := 0
	for i < len(field) && (field[i] == '!' || field[i] == '*') {
		i++
	}
	return field[:i]
}

// guessScheme names the scheme a field's prefix claims, for errors about
// a field that does not parse as that scheme.
func guessScheme(field string) string {
	_, id, _ := identifyHash(field)
	return id
}

// identifyHash recognises a hash. id is the scheme its prefix claims even
// when ok is false because the rest does not follow that scheme's rules.
func identifyHash(h string) (s Scheme, id string, ok bool) {
	switch {
	case strings.HasPrefix(h, "$1$"):
		return md5Like("md5", h[3:], false)
	case strings.HasPrefix(h, "$apr1$"):
		return md5Like("apr1", h[6:], false)
	case strings.HasPrefix(h, "{smd5}"):
		return md5Like("aix-smd5", h[6:], true)
	case strings.HasPrefix(h, "$5$"):
		return shaLike("sha256", h[3:], 43)
	case strings.HasPrefix(h, "$6$"):
		return shaLike("sha512", h[3:], 86)
	case strings.HasPrefix(h, "$2"):
		return bcryptLike(h)
	case strings.HasPrefix(h, "$y$"):
		return yescryptLike("yescrypt", h[3:])
	case strings.HasPrefix(h, "$gy$"):
		return yescryptLike("gost-yescrypt", h[4:])
	case strings.HasPrefix(h, "$7$"):
		return scryptLike(h[3:])
	case strings.HasPrefix(h, "$md5"):
		return sunMD5Like(h[4:])
	case strings.HasPrefix(h, "$3$"):
		return ntLike(h[3:])
	case strings.HasPrefix(h, "$sha1$"):
		return sha1cryptLike(h[6:])
	case strings.HasPrefix(h, "$argon2"):
		return argon2Like(h[1:])
	case strings.HasPrefix(h, "{ssha"):
		return sshaLike(h)
	case strings.HasPrefix(h, "_"):
		id = "bsdi"
		if len(h) != 20 || !isB64(h[1:]) || decode24LE(h[1:5]) == 0 {
			return Scheme{}, id, false
		}
		if _, ok := decodeDESBlock(h[9:]); !ok {
			return Scheme{}, id, false
		}
		return judge(Scheme{ID: id, Cost: int(decode24LE(h[1:5]))}), id, true
	case len(h) == 13 && isB64(h):
		if _, ok := decodeDESBlock(h[2:]); !ok {
			return Scheme{}, "des", false
		}
		return judge(Scheme{ID: "des"}), "des", true
	case len(h) > 13 && (len(h)-13)%11 == 0 && len(h) <= 13+15*11 && isB64(h):
		// Up to 16 blocks, for passwords of up to 128 characters.
		for p := 2; p < len(h); p += 11 {
			if _, ok := decodeDESBlock(h[p : p+11]); !ok {
				return Scheme{}, "bigcrypt", false
			}
		}
		return judge(Scheme{ID: "bigcrypt"}), "bigcrypt", true
	}
	return Scheme{}, "", false
}

// md5Like checks "salt$hash" (or, for AIX, also "$1$salt$hash").
func md5Like(id, rest string, aix bool) (Scheme, string, bool) {
	if aix {
		rest = strings.TrimPrefix(rest, "$1$")
	}
	salt, enc, ok := strings.Cut(rest, "$")
	if !ok || len(salt) > 8 || strings.ContainsAny(salt, "$\n:") || len(enc) != 22 {
		return Scheme{}, id, false
	}
	if _, ok := decodeGroups(enc, 16, md5Groups); !ok {
		return Scheme{}, id, false
	}
	return judge(Scheme{ID: id}), id, true
}

func shaLike(id, rest string, chars int) (Scheme, string, bool) {
	rounds, salt, enc, ok := parseSHACrypt(rest)
	if !ok || strings.ContainsAny(salt, "\n:") || len(enc) != chars {
		return Scheme{}, id, false
	}
	groups, size := sha512Groups, 64
	if id == "sha256" {
		groups, size = sha256Groups, 32
	}
	if _, ok := decodeGroups(enc, size, groups); !ok {
		return Scheme{}, id, false
	}
	return judge(Scheme{ID: id, Cost: rounds}), id, true
}

// bcryptLike checks "$2$", "$2a$", "$2b$", "$2x$" or "$2y$", two digits
// of cost, and 53 characters of salt and hash.
func bcryptLike(h string) (Scheme, string, bool) {
	const id = "bcrypt"
	rest := h[2:]
	minor := byte(0)
	if len(rest) > 0 && rest[0] != '$' {
		minor = rest[0]
		rest = rest[1:]
	}
	switch minor {
	case 0, 'a', 'b', 'x', 'y':
	default:
		return Scheme{}, "", false
	}
	if len(rest) != 1+2+1+53 || rest[0] != '$' || rest[3] != '$' || !isDigit(rest[1]) || !isDigit(rest[2]) || !isB64(rest[4:]) {
		return Scheme{}, id, false
	}
	cost := int(rest[1]-'0')*10 + int(rest[2]-'0')
	if cost < 4 || cost > 31 {
		return Scheme{}, id, false
	}
	s := Scheme{ID: id, Cost: cost}
	if minor == 'x' {
		s.Name = "bcrypt ($2x$)"
	}
	return judge(s), id, true
}

// decodeVarB64 reads one of yescrypt's variable-length numbers: the
// first character says how many follow, as libxcrypt's decode64_uint32
// writes them. It returns the value plus min and the characters used.
func decodeVarB64(s string, min uint32) (uint32, int, bool) {
	if s == "" {
		return 0, 0, false
	}
	c := uint32(atoi64[s[0]])
	if c > 63 {
		return 0, 0, false
	}
	var start, end, chars, bits uint32 = 0, 47, 1, 0
	v := uint64(min)
	for c > end {
		v += uint64(end+1-start) << bits
		start = end + 1
		end = start + (62-end)/2
		chars++
		bits += 6
	}
	v += uint64(c-start) << bits
	if int(chars) > len(s) {
		return 0, 0, false
	}
	for i := 1; i < int(chars); i++ {
		d := uint32(atoi64[s[i]])
		if d > 63 {
			return 0, 0, false
		}
		bits -= 6
		v += uint64(d) << bits
	}
	if v > 1<<32-1 {
		return 0, 0, false
	}
	return uint32(v), int(chars), true
}

// yescryptLike checks "$y$" or "$gy$" followed by parameters (flavour,
// log2 N, r, then optional ones), "$", salt, "$" and a 43-character hash.
func yescryptLike(id, rest string) (Scheme, string, bool) {
	params, after, ok := strings.Cut(rest, "$")
	if !ok {
		return Scheme{}, id, false
	}
	salt, enc, ok := strings.Cut(after, "$")
	if !ok || !isB64(params) || !isB64(salt) || len(enc) != 43 || !isB64(enc) {
		return Scheme{}, id, false
	}
	_, n1, ok1 := decodeVarB64(params, 0)
	if !ok1 {
		return Scheme{}, id, false
	}
	nlog2, n2, ok2 := decodeVarB64(params[n1:], 1)
	if !ok2 || nlog2 > 63 {
		return Scheme{}, id, false
	}
	r, _, ok3 := decodeVarB64(params[n1+n2:], 1)
	if !ok3 {
		return Scheme{}, id, false
	}
	return judgeMemory(Scheme{ID: id, Cost: int(nlog2)}, nlog2, uint64(r)), id, true
}

// scryptLike checks "$7$": one character of log2 N, five of r, five of p
// (30-bit numbers, least significant character first), salt, "$", hash.
func scryptLike(rest string) (Scheme, string, bool) {
	const id = "scrypt"
	if len(rest) < 11 || !isB64(rest[:11]) {
		return Scheme{}, id, false
	}
	nlog2 := uint32(atoi64[rest[0]])
	r := decode30(rest[1:6])
	p := decode30(rest[6:11])
	salt, enc, ok := strings.Cut(rest[11:], "$")
	if !ok || nlog2 < 1 || r == 0 || p == 0 || strings.ContainsAny(salt, "$\n:") || len(enc) != 43 || !isB64(enc) {
		return Scheme{}, id, false
	}
	return judgeMemory(Scheme{ID: id, Cost: int(nlog2)}, nlog2, uint64(r)), id, true
}

func decode30(s string) uint32 {
	var v uint32
	for i := len(s) - 1; i >= 0; i-- {
		v = v<<6 | uint32(atoi64[s[i]])
	}
	return v
}

// sunMD5Like checks Solaris' "$md5$salt$hash" and
// "$md5,rounds=N$salt$hash", also with "$$" before the hash.
func sunMD5Like(rest string) (Scheme, string, bool) {
	const id = "sunmd5"
	extra := 0
	switch {
	case strings.HasPrefix(rest, "$"):
		rest = rest[1:]
	case strings.HasPrefix(rest, ",rounds="):
		num, after, ok := strings.Cut(rest[len(",rounds="):], "$")
		n, err := strconv.ParseUint(num, 10, 32)
		if !ok || err != nil {
			return Scheme{}, id, false
		}
		extra, rest = int(n), after
	default:
		return Scheme{}, "", false
	}
	salt, enc, ok := strings.Cut(rest, "$")
	enc = strings.TrimPrefix(enc, "$")
	if !ok || strings.ContainsAny(salt, "\n:") || len(enc) != 22 || !isB64(enc) {
		return Scheme{}, id, false
	}
	// SunMD5 runs 4096 basic rounds plus those the hash names.
	return judge(Scheme{ID: id, Cost: 4096 + extra}), id, true
}

// ntLike checks "$3$$" and 32 lower-case hex digits.
func ntLike(rest string) (Scheme, string, bool) {
	const id = "nt"
	if len(rest) != 33 || rest[0] != '$' {
		return Scheme{}, id, false
	}
	for i := 1; i < len(rest); i++ {
		c := rest[i]
		if !isDigit(c) && (c < 'a' || c > 'f') {
			return Scheme{}, id, false
		}
	}
	return judge(Scheme{ID: id}), id, true
}

// sha1cryptLike checks NetBSD's "$sha1$rounds$salt$hash".
func sha1cryptLike(rest string) (Scheme, string, bool) {
	const id = "sha1crypt"
	parts := strings.Split(rest, "$")
	if len(parts) != 3 || len(parts[2]) != 28 || !isB64(parts[2]) || parts[1] == "" || !isB64(parts[1]) {
		return Scheme{}, id, false
	}
	n, err := strconv.ParseUint(parts[0], 10, 32)
	if err != nil || n == 0 {
		return Scheme{}, id, false
	}
	return judge(Scheme{ID: id, Cost: int(n)}), id, true
}

// argon2Like checks "argon2id$v=19$m=65536,t=3,p=4$salt$hash" (the part
// after the first "$"; "v=" may be missing).
func argon2Like(rest string) (Scheme, string, bool) {
	parts := strings.Split(rest, "$")
	id := parts[0]
	switch id {
	case "argon2i", "argon2d", "argon2id":
	default:
		return Scheme{}, "", false
	}
	parts = parts[1:]
	if len(parts) == 4 && strings.HasPrefix(parts[0], "v=") {
		parts = parts[1:]
	}
	if len(parts) != 3 || parts[1] == "" || parts[2] == "" {
		return Scheme{}, id, false
	}
	var m, t, p uint64
	for _, kv := range strings.Split(parts[0], ",") {
		k, v, _ := strings.Cut(kv, "=")
		n, err := strconv.ParseUint(v, 10, 32)
		if err != nil {
			return Scheme{}, id, false
		}
		switch k {
		case "m":
			m = n
		case "t":
			t = n
		case "p":
			p = n
		}
	}
	if m == 0 || t == 0 || p == 0 {
		return Scheme{}, id, false
	}
	return judgeArgon2(Scheme{ID: id, Cost: int(t)}, m), id, true
}

func sshaLike(h string) (Scheme, string, bool) {
	for id, p := range sshaSchemes {
		if !strings.HasPrefix(h, p.prefix) {
			continue
		}
		cost, _, enc, ok := parseSSHA(h[len(p.prefix):], p.chars)
		if !ok || !sshaCanonical(enc, p.size) {
			return Scheme{}, id, false
		}
		return judge(Scheme{ID: id, Cost: cost}), id, true
	}
	return Scheme{}, "", false
}
