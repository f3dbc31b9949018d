package yescrypt

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"math/big"
	"os/exec"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestLibxcryptVectors(t *testing.T) {
	defaults := 0
	for _, v := range libxcryptVectors {
		if v.heavy && (testing.Short() || raceEnabled) {
			continue
		}
		got, err := Hash([]byte(v.password), []byte(v.setting))
		if err != nil {
			t.Errorf("Hash(%q, %q): %v", v.password, v.setting, err)
			continue
		}
		if diff := cmp.Diff(v.hash, string(got)); diff != "" {
			t.Errorf("Hash(%q, %q) mismatch (-libxcrypt +got):\n%s", v.password, v.setting, diff)
		}
		// A whole hash works as its own setting, unless crypt's output
		// buffer could not hold it and a second hash. One 16 MiB default
		// is enough to show that for the default cost.
		if strings.HasPrefix(v.hash, "$y$j9T$") {
			if defaults++; defaults > 1 {
				continue
			}
		}
		got, err = Hash([]byte(v.password), []byte(v.hash))
		if len(v.hash)+1+hashChars+1 > outputSize {
			if !errors.Is(err, errTooLong) {
				t.Errorf("Hash(%q, %q) = %q, %v; want %v", v.password, v.hash, got, err, errTooLong)
			}
		} else if err != nil || string(got) != v.hash {
			t.Errorf("Hash(%q, %q) = %q, %v; want the hash back", v.password, v.hash, got, err)
		}
	}
}

// sample picks about a dozen non-heavy vectors of every kind, with only a
// few at the 16 MiB default cost so that the race detector stays quick.
func sample() (out []int) {
	defaults := 0
	for i, v := range libxcryptVectors {
		if v.heavy {
			continue
		}
		if strings.HasPrefix(v.hash, "$y$j9T$") {
			if defaults < 2 {
				out = append(out, i)
			}
			defaults++
			continue
		}
		if i%7 == 0 {
			out = append(out, i)
		}
	}
	return out
}

func TestVerify(t *testing.T) {
	for _, i := range sample() {
		v := libxcryptVectors[i]
		if !Verify(v.hash, []byte(v.password)) {
			t.Errorf("Verify(%q, %q) = false", v.hash, v.password)
		}
		if Verify(v.hash, []byte(v.password+"x")) {
			t.Errorf("Verify(%q, %q) = true", v.hash, v.password+"x")
		}
		// The setting alone has no hash part, so nothing matches it.
		if v.setting != v.hash && Verify(v.setting, []byte(v.password)) {
			t.Errorf("Verify(%q, %q) = true", v.setting, v.password)
		}
	}
	if Verify("$y$j9T$abc", []byte("password")) {
		t.Error("Verify accepted a malformed setting")
	}
}

// knownErrors are all the errors the package returns; none quotes input.
var knownErrors = []error{errSetting, errPrefix, errUnsupported, errParams, errMemory,
	errWork, errSalt, errTooLong, errPassword, errNUL, errNoHash}

func isKnown(err error) bool {
	for _, e := range knownErrors {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

func TestLibxcryptRefused(t *testing.T) {
	for _, v := range libxcryptRefused {
		got, err := Hash([]byte(v.password), []byte(v.setting))
		if err == nil {
			t.Errorf("Hash(%q, %q) = %q; libxcrypt refuses it", v.password, v.setting, got)
			continue
		}
		if !isKnown(err) {
			t.Errorf("Hash(%q, %q): unexpected error %v", v.password, v.setting, err)
		}
		if _, err := NewVerifier(v.setting); err == nil {
			t.Errorf("NewVerifier(%q) succeeded", v.setting)
		}
	}
}

func TestRefusedBeyondLibxcrypt(t *testing.T) {
	tests := []struct {
		name, setting string
		password      string
		want          error
	}{
		{"other algorithm", "$1$abcd", "password", errPrefix},
		{"sha512crypt", "$6$saltsalt$", "password", errPrefix},
		{"gost-yescrypt", "$gy$j9T$abcd", "password", errUnsupported},
		{"NUL in setting", "$y$j2.$ab\x00cd", "password", errNUL},
		{"NUL in password", "$y$j2.$abcd", "pass\x00word", errNUL},
		{"2 GiB", "$y$jGT$abcd", "password", errMemory},
		{"scrypt 2 GiB", "$7$HU..../....salt", "password", errMemory},
		{"huge p grows B", "$7$2/........2salt", "password", errMemory}, // p = 2^26
		{"huge p grows S-boxes", ySetting(47, 14, 1, 2048, 0), "password", errMemory},
		{"huge t", ySetting(47, 8, 1, 1, 1<<30), "password", errWork},
		{"huge p, little memory", ySetting(0, 12, 1, 60000, 0), "password", errWork},
		{"N above 2^32", ySetting(47, 33, 1, 1, 0), "password", errParams},
		{"r*p too large", ySetting(0, 4, 1<<15, 1<<15, 0), "password", errParams},
	}
	for _, tc := range tests {
		_, err := Hash([]byte(tc.password), []byte(tc.setting))
		if !errors.Is(err, tc.want) {
			t.Errorf("%s: Hash(%q) error = %v, want %v", tc.name, tc.setting, err, tc.want)
		}
	}
}

// TestLimitsBeforeAllocation checks that settings over the limits are
// refused before any large allocation.
func TestLimitsBeforeAllocation(t *testing.T) {
	for _, s := range []string{"$y$jGT$abcd", "$7$HU..../....salt", "$7$2/........2salt",
		ySetting(47, 14, 1, 2048, 0), ySetting(47, 8, 1, 1, 1<<30), ySetting(0, 12, 1, 60000, 0)} {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, err := Hash([]byte("password"), []byte(s))
		runtime.ReadMemStats(&after)
		if err == nil {
			t.Errorf("Hash(%q) succeeded", s)
		}
		if grown := after.TotalAlloc - before.TotalAlloc; grown > 1<<20 {
			t.Errorf("Hash(%q) allocated %d bytes before refusing", s, grown)
		}
	}
}

func TestLimitsAcceptStrongestStandardCosts(t *testing.T) {
	for _, s := range []string{"$y$jFT$abcd", "$7$GU..../....salt"} {
		ps, err := parseLimited([]byte(s), &defaultLimits)
		if err != nil {
			t.Errorf("%q: %v", s, err)
			continue
		}
		if v, _ := ps.sizes(); v != MaxMemory {
			t.Errorf("%q: block array %d bytes, want exactly MaxMemory", s, v)
		}
	}
}

func TestErrorsDoNotQuoteSecrets(t *testing.T) {
	const secret = "Zq9SecretPart"
	settings := []string{
		"$y$j9T$" + secret + "!$" + secret,
		"$y$j9T$" + secret + "$" + secret + "$",
		"$y$q9T$" + secret,
		"$7$2/..../...." + secret + "!" + secret,
		"$gy$j9T$" + secret,
		"$y$jGT$" + secret,
		"$5$" + secret,
	}
	for _, s := range settings {
		for _, pw := range []string{secret, strings.Repeat(secret, 50)} {
			_, err := Hash([]byte(pw), []byte(s))
			if err == nil {
				t.Fatalf("Hash(%q) succeeded", s)
			}
			if strings.Contains(err.Error(), secret) {
				t.Errorf("error %q quotes its input", err)
			}
			if _, err := NewVerifier(s); err == nil || strings.Contains(err.Error(), secret) {
				t.Errorf("NewVerifier(%q) error = %v", s, err)
			}
		}
	}
}

func TestVerifier(t *testing.T) {
	for _, i := range sample() {
		v := libxcryptVectors[i]
		ver, err := NewVerifier(v.hash)
		if err != nil {
			t.Errorf("NewVerifier(%q): %v", v.hash, err)
			continue
		}
		// Alternate right and wrong guesses: reused buffers must not carry
		// anything from one guess to the next.
		for _, guess := range []string{v.password, v.password + "1", v.password, "", v.password} {
			if got, want := ver.Verify([]byte(guess)), guess == v.password; got != want {
				t.Errorf("%q: Verify(%q) = %v, want %v", v.hash, guess, got, want)
			}
		}
	}
}

func TestNewVerifierNeedsHashPart(t *testing.T) {
	for _, s := range []string{
		"$y$j9T$abcd",
		"$y$j9T$abcd$",
		"$y$j9T$abcd$short",
		"$y$j9T$abcd$3TxK0kx/JYCEwv0PvcSzJrF40nSxBRGFKIuxe.YiwgDx",
		"$7$2/..../....salt",
	} {
		if _, err := NewVerifier(s); !errors.Is(err, errNoHash) {
			t.Errorf("NewVerifier(%q) error = %v, want %v", s, err, errNoHash)
		}
	}
}

func TestVerifierDoesNotAllocate(t *testing.T) {
	ver, err := NewVerifier("$y$j75$dEGP$DPvy7TUeiUeZBQOj1LN1wdbw3Miox4c95nLTWW.fO23")
	if err != nil {
		t.Fatal(err)
	}
	pw := []byte("password")
	allocs := testing.AllocsPerRun(3, func() {
		if !ver.Verify(pw) {
			t.Fatal("Verify failed")
		}
	})
	if allocs != 0 {
		t.Errorf("Verify allocates %v times per call", allocs)
	}
}

// TestMkpasswd hashes random passwords under random settings with
// libxcrypt (through mkpasswd) and checks Hash agrees.
func TestMkpasswd(t *testing.T) {
	path, err := exec.LookPath("mkpasswd")
	if err != nil {
		t.Fatalf("mkpasswd (package whois) is needed: %v", err)
	}
	prefixes := []string{"$y$j9T$", "$y$j75$", "$y$j5.$", "$y$j7T..$", "$y$/7T/.$", "$y$.7T$", "$7$6/..../....", "$7$8U..../....", "$7$5/....0...."}
	runs := 2 * len(prefixes)
	if testing.Short() {
		runs = len(prefixes)
	}
	for i := 0; i < runs; i++ {
		setting := prefixes[i%len(prefixes)]
		if strings.HasPrefix(setting, "$7$") {
			setting += randomString(t, itoa64, 0, 32)
		} else {
			var salt [64]byte
			n := randomInt(t, 65)
			rand.Read(salt[:n])
			setting = string(encodeBytes([]byte(setting), salt[:n]))
		}
		password := randomString(t, "abcXYZ019 !$%:;*-\\'\"\tä€😀", 0, 40)
		out, err := exec.Command(path, "--", password, setting).Output()
		if err != nil {
			t.Fatalf("mkpasswd for setting %q: %v", setting, err)
		}
		want := strings.TrimSuffix(string(out), "\n")
		got, err := Hash([]byte(password), []byte(setting))
		if err != nil || string(got) != want {
			t.Errorf("Hash(%q, %q) = %q, %v; libxcrypt says %q", password, setting, got, err, want)
		}
	}
}

func randomInt(t *testing.T, n int) int {
	v, err := rand.Int(rand.Reader, big.NewInt(int64(n)))
	if err != nil {
		t.Fatal(err)
	}
	return int(v.Int64())
}

func randomString(t *testing.T, alphabet string, min, max int) string {
	runes := []rune(alphabet)
	n := min + randomInt(t, max-min+1)
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteRune(runes[randomInt(t, len(runes))])
	}
	return b.String()
}

// encodeBytes appends the yescrypt salt encoding of b (what libxcrypt's
// gensalt writes), written independently of the decoder under test.
func encodeBytes(dst, b []byte) []byte {
	for i := 0; i < len(b); i += 3 {
		var v uint32
		n := min(3, len(b)-i)
		for k := 0; k < n; k++ {
			v |= uint32(b[i+k]) << (8 * k)
		}
		for bits := 0; bits < 8*n; bits += 6 {
			dst = append(dst, itoa64[v>>bits&63])
		}
	}
	return dst
}

func TestDecodeSaltRoundTrip(t *testing.T) {
	for n := 0; n <= 64; n++ {
		b := make([]byte, n)
		rand.Read(b)
		got, ok := decodeSalt(encodeBytes(nil, b))
		if !ok || !bytes.Equal(got, b) {
			t.Errorf("%d bytes: decodeSalt = %x, %v; want %x", n, got, ok, b)
		}
	}
	if _, ok := decodeSalt(encodeBytes(nil, make([]byte, 65))); ok {
		t.Error("decodeSalt accepted 65 bytes")
	}
}

// maxEncodable is the largest number encodeUint32 can write (less min):
// one to six characters hold 48 + 8·64 + 4·64² + 2·64³ + 64⁴ + 64⁵ values.
const maxEncodable = 48 + 8<<6 + 4<<12 + 2<<18 + 1<<24 + 1<<30 - 1

// encodeUint32 is yescrypt's variable-length number encoding, written
// from its description: the first character's range says how many
// characters follow. It panics beyond maxEncodable.
func encodeUint32(v, min uint32) string {
	v -= min
	if v > maxEncodable {
		panic("number too large to encode")
	}
	start, end, chars, bits := uint32(0), uint32(47), 1, uint32(0)
	for {
		count := (end + 1 - start) << bits
		if v < count {
			break
		}
		v -= count
		start = end + 1
		end = start + (62-end)/2
		chars++
		bits += 6
	}
	out := []byte{itoa64[start+v>>bits]}
	for ; chars > 1; chars-- {
		bits -= 6
		out = append(out, itoa64[v>>bits&63])
	}
	return string(out)
}

// ySetting builds a "$y$" setting with salt "abcd" from its fields.
func ySetting(flavor, nlog2, r, p, t uint32) string {
	s := "$y$" + encodeUint32(flavor, 0) + encodeUint32(nlog2, 1) + encodeUint32(r, 1)
	var have uint32
	if p != 1 {
		have |= 1
	}
	if t != 0 {
		have |= 2
	}
	if have != 0 {
		s += encodeUint32(have, 1)
	}
	if p != 1 {
		s += encodeUint32(p, 2)
	}
	if t != 0 {
		s += encodeUint32(t, 1)
	}
	return s + "$abcd"
}

func TestDecodeUint32(t *testing.T) {
	values := []uint32{0, 1, 47, 48, 49, 559, 560, 561, 17000, 1 << 20, 1<<30 - 1, 1 << 30, maxEncodable}
	for _, min := range []uint32{0, 1, 2} {
		for _, want := range values {
			want += min
			enc := encodeUint32(want, min)
			got, next, ok := decodeUint32([]byte(enc+"$"), 0, min)
			if !ok || got != want || next != len(enc) {
				t.Errorf("decodeUint32(%q, min %d) = %d, %d, %v; want %d, %d", enc, min, got, next, ok, want, len(enc))
			}
		}
	}
	if _, _, ok := decodeUint32([]byte("z"), 0, 0); ok {
		t.Error("decodeUint32 accepted a truncated number")
	}
}

// TestScryptRFC7914 checks the classic scrypt core against the test
// vectors of RFC 7914 (first 32 bytes of each).
func TestScryptRFC7914(t *testing.T) {
	tests := []struct {
		password, salt string
		N              uint64
		r, p           uint32
		want           string
	}{
		{"", "", 16, 1, 1, "77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442"},
		{"password", "NaCl", 1024, 8, 16, "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b373162"},
	}
	for _, tc := range tests {
		ps := &params{N: tc.N, r: tc.r, p: tc.p}
		if err := ps.check(); err != nil {
			t.Fatal(err)
		}
		var out [32]byte
		newState(ps).kdf([]byte(tc.password), []byte(tc.salt), ps, &out)
		if got := hex.EncodeToString(out[:]); got != tc.want {
			t.Errorf("scrypt(%q, %q, %d, %d, %d) = %s, want %s", tc.password, tc.salt, tc.N, tc.r, tc.p, got, tc.want)
		}
	}
}

func BenchmarkVerifyDefault(b *testing.B) {
	ver, err := NewVerifier("$y$j9T$kEbKHIBH3uKb/izCKKoau1$SFh7UYJRFbG0Bv8XALrEkuHBeXO36yvOnyw6VhEdkM3")
	if err != nil {
		b.Fatal(err)
	}
	pw := []byte("password")
	b.ReportAllocs()
	for b.Loop() {
		if !ver.Verify(pw) {
			b.Fatal("Verify failed")
		}
	}
}

func BenchmarkHashDefault(b *testing.B) {
	setting := []byte("$y$j9T$kEbKHIBH3uKb/izCKKoau1")
	pw := []byte("password")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Hash(pw, setting); err != nil {
			b.Fatal(err)
		}
	}
}

// TestLibxcryptHuge checks libxcrypt's strongest standard costs, which
// use exactly MaxMemory each.
func TestLibxcryptHuge(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("needs 1 GiB per hash and several seconds")
	}
	for _, v := range libxcryptHuge {
		got, err := Hash([]byte(v.password), []byte(v.setting))
		if err != nil || string(got) != v.hash {
			t.Errorf("Hash(%q, %q) = %q, %v; libxcrypt says %q", v.password, v.setting, got, err, v.hash)
		}
		runtime.GC() // hand the gigabyte back before the next one
	}
}
