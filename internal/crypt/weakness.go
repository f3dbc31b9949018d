package crypt

import "fmt"

// The thresholds below decide Scheme.Weak: whether an attacker who has the
// hash gets through a dictionary fast. Each names its source.
const (
	// shaMinRounds: Drepper's specification of sha-crypt sets 5000 rounds
	// as the default, and CIS benchmarks for Linux accept sha512crypt at
	// that default; fewer rounds make it cheaper than the baseline every
	// distribution ships.
	shaMinRounds = 5000
	// bcryptMinCost: the OWASP Password Storage Cheat Sheet asks for a
	// bcrypt work factor of 10 or more.
	bcryptMinCost = 10
	// sshaMinCost: NIST SP 800-63B (2017), section 5.1.1.2, asks for at
	// least 10,000 PBKDF2 iterations; 2^14 = 16,384 is the first power
	// of two above. (OWASP now asks for 210,000 iterations with SHA-512
	// and 600,000 with SHA-256; those would flag every AIX host and
	// judge AIX harder than the sha512crypt default above, so the NIST
	// figure is used.) AIX's own default is 2^6 = 64 iterations.
	sshaMinCost = 14
	// memoryHardMin: the smallest memory among the OWASP cheat sheet's
	// scrypt configurations is 8 MiB (N=2^13, r=8); libxcrypt's default
	// yescrypt (cost 5, "j9T") uses 16 MiB. Memory is 128·r·N bytes.
	memoryHardMin = 8 << 20
	// argon2MinWork: the OWASP cheat sheet's Argon2id configurations
	// trade memory against passes (m=47104 KiB t=1 down to m=7168 KiB
	// t=5); the smallest product of memory (KiB) and passes among them
	// is 7168·5.
	argon2MinWork = 7168 * 5
)

var schemeNames = map[string]string{
	"des":           "DES crypt",
	"bigcrypt":      "bigcrypt",
	"bsdi":          "BSDi extended DES",
	"md5":           "MD5 crypt",
	"apr1":          "Apache MD5 (apr1)",
	"aix-smd5":      "AIX smd5",
	"sha256":        "sha256crypt",
	"sha512":        "sha512crypt",
	"bcrypt":        "bcrypt",
	"yescrypt":      "yescrypt",
	"gost-yescrypt": "GOST yescrypt",
	"scrypt":        "scrypt",
	"aix-ssha1":     "AIX ssha1",
	"aix-ssha256":   "AIX ssha256",
	"aix-ssha512":   "AIX ssha512",
	"sunmd5":        "SunMD5",
	"sha1crypt":     "NetBSD sha1crypt",
	"nt":            "NT hash",
	"argon2i":       "Argon2i",
	"argon2d":       "Argon2d",
	"argon2id":      "Argon2id",
}

// judge fills in Name, Weak and Why for a scheme whose ID and Cost are
// set. Schemes judged by memory are handled by judgeMemory and
// judgeArgon2.
func judge(s Scheme) Scheme {
	if s.Name == "" {
		s.Name = schemeNames[s.ID]
	}
	weak := func(why string) Scheme { s.Weak, s.Why = true, why; return s }
	strong := func(why string) Scheme { s.Weak, s.Why = false, why; return s }
	switch s.ID {
	case "des":
		return weak("DES crypt uses only 8 characters and is cracked at GPU speed in days")
	case "bigcrypt":
		return weak("bigcrypt is DES crypt on each 8 characters, each block cracked on its own")
	case "bsdi":
		return weak("BSDi extended DES is DES-based; libxcrypt no longer counts it strong")
	case "md5", "apr1", "aix-smd5":
		return weak("MD5 crypt has a fixed 1000 rounds: millions of guesses a second on a GPU")
	case "sunmd5":
		return weak("SunMD5 is MD5-based; libxcrypt no longer counts it strong")
	case "sha1crypt":
		return weak("sha1crypt is SHA-1 based; libxcrypt no longer counts it strong")
	case "nt":
		return weak("NT hash is unsalted MD4: billions of guesses a second")
	case "sha256", "sha512":
		if s.Cost < shaMinRounds {
			return weak(fmt.Sprintf("%s with %d rounds, fewer than the default %d", s.Name, s.Cost, shaMinRounds))
		}
		if s.ID == "sha256" {
			return strong(fmt.Sprintf("sha256crypt with %d rounds; CIS benchmarks and libxcrypt prefer sha512crypt or yescrypt", s.Cost))
		}
		return strong(fmt.Sprintf("sha512crypt with %d rounds, at least the default %d", s.Cost, shaMinRounds))
	case "bcrypt":
		if s.Name == "bcrypt ($2x$)" {
			return weak("$2x$ marks bcrypt made with crypt_blowfish's sign extension bug")
		}
		if s.Cost < bcryptMinCost {
			return weak(fmt.Sprintf("bcrypt cost %d, below OWASP's minimum of %d", s.Cost, bcryptMinCost))
		}
		return strong(fmt.Sprintf("bcrypt cost %d, at least OWASP's minimum of %d", s.Cost, bcryptMinCost))
	case "aix-ssha1":
		return weak("AIX ssha1 is PBKDF2 with SHA-1, the weakest of the ssha family; ssha512 is the strong choice")
	case "aix-ssha256", "aix-ssha512":
		if s.Cost < sshaMinCost {
			return weak(fmt.Sprintf("%s with 2^%d iterations, fewer than NIST's 10,000 (cost %d)", s.Name, s.Cost, sshaMinCost))
		}
		return strong(fmt.Sprintf("%s with 2^%d iterations, at least NIST's 10,000", s.Name, s.Cost))
	}
	return s
}

// judgeMemory judges yescrypt and scrypt by the memory they make each
// guess use.
func judgeMemory(s Scheme, nlog2 uint32, r uint64) Scheme {
	s.Name = schemeNames[s.ID]
	// 128·r·N bytes; past 2^63 (r and N from a hostile field) it is
	// more than any host has and certainly not weak.
	mem := uint64(1) << 63
	if nlog2 < 32 && r < 1<<24 {
		mem = 128 * r << nlog2
	}
	if mem < memoryHardMin {
		s.Weak = true
		s.Why = fmt.Sprintf("%s using %s a guess, below OWASP's smallest scrypt setting of 8 MiB", s.Name, sizeString(mem))
		return s
	}
	s.Why = fmt.Sprintf("%s using %s a guess: memory-hard", s.Name, sizeString(mem))
	return s
}

// judgeArgon2 judges Argon2 by memory (KiB) times passes.
func judgeArgon2(s Scheme, m uint64) Scheme {
	s.Name = schemeNames[s.ID]
	if m*uint64(s.Cost) < argon2MinWork {
		s.Weak = true
		s.Why = fmt.Sprintf("%s with %d KiB and %d passes, below OWASP's minimum", s.Name, m, s.Cost)
		return s
	}
	s.Why = fmt.Sprintf("%s with %d KiB and %d passes: memory-hard", s.Name, m, s.Cost)
	return s
}

func sizeString(b uint64) string {
	switch {
	case b >= 1<<30:
		return fmt.Sprintf("%d GiB", b>>30)
	case b >= 1<<20:
		return fmt.Sprintf("%d MiB", b>>20)
	default:
		return fmt.Sprintf("%d KiB", b>>10)
	}
}
