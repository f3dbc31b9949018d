package crypt

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os/exec"
	"strings"
	"testing"
)

// These tests make hashes at test time with OpenSSL's "passwd" command and
// mkpasswd (from Debian's whois package), with random passwords and salts,
// and check that Verify accepts the password and refuses another. The test
// set-up installs both tools; a missing one fails the test rather than
// skipping it, so that the cross-check is never silently lost.

const saltChars = itoa64

// bcryptChars is bcrypt's own base-64 alphabet, which differs from
// crypt's.
const bcryptChars = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

func lookTool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		t.Fatalf("%s is not installed (Debian: apt-get install openssl whois): %v", name, err)
	}
	return p
}

// randomPassword returns a printable ASCII password that does not start
// with "-", so no tool reads it as an option.
func randomPassword(r *rand.Rand) string {
	n := 1 + r.IntN(24)
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(' ' + r.IntN(95))
	}
	if b[0] == '-' || b[0] == ' ' {
		b[0] = 'p'
	}
	return string(b)
}

func randomString(r *rand.Rand, alphabet string, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[r.IntN(len(alphabet))]
	}
	return string(b)
}

func runTool(t *testing.T, path string, args ...string) string {
	t.Helper()
	var out, errb bytes.Buffer
	cmd := exec.Command(path, args...)
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s: %v: %s", path, strings.Join(args[:len(args)-1], " "), err, errb.String())
	}
	return strings.TrimRight(out.String(), "\n")
}

// checkLive asserts that hash, just made by a tool, identifies as scheme
// id and verifies password but not a changed one.
func checkLive(t *testing.T, what, id, password, hash string) {
	t.Helper()
	f := Identify(hash)
	if f.Kind != KindHash || f.Scheme.ID != id {
		t.Errorf("%s: Identify = %v (%s), want a %s hash", what, f, f.Scheme.ID, id)
		return
	}
	v, err := NewVerifier(hash)
	if err != nil {
		t.Errorf("%s: NewVerifier: %v", what, err)
		return
	}
	if !v.Verify([]byte(password)) {
		t.Errorf("%s: password %q does not verify against %q", what, password, hash)
	}
	wrong := password + "!"
	if id == "des" && len(password) >= 8 {
		wrong = "!" + password[1:]
	}
	if v.Verify([]byte(wrong)) {
		t.Errorf("%s: wrong password %q verifies against %q", what, wrong, hash)
	}
}

func TestOpenSSLPasswd(t *testing.T) {
	openssl := lookTool(t, "openssl")
	r := rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))
	for i := 0; i < 4; i++ {
		pw := randomPassword(r)
		salt8 := randomString(r, saltChars, 1+r.IntN(8))
		salt16 := randomString(r, saltChars, 1+r.IntN(16))
		rounds := 1000 + r.IntN(9000)
		cases := []struct {
			id   string
			args []string
			pre  string
		}{
			{"md5", []string{"-1", "-salt", salt8}, ""},
			{"apr1", []string{"-apr1", "-salt", salt8}, ""},
			{"aix-smd5", []string{"-aixmd5", "-salt", salt8}, "{smd5}"},
			{"sha256", []string{"-5", "-salt", salt16}, ""},
			{"sha512", []string{"-6", "-salt", salt16}, ""},
			{"sha256", []string{"-5", "-salt", fmt.Sprintf("rounds=%d$%s", rounds, salt16)}, ""},
			{"sha512", []string{"-6", "-salt", fmt.Sprintf("rounds=%d$%s", rounds, salt16)}, ""},
		}
		for _, c := range cases {
			args := append(append([]string{"passwd"}, c.args...), pw)
			h := c.pre + runTool(t, openssl, args...)
			checkLive(t, "openssl "+strings.Join(c.args, " "), c.id, pw, h)
		}
	}
}

func TestMkpasswd(t *testing.T) {
	mkpasswd := lookTool(t, "mkpasswd")
	r := rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))
	for i := 0; i < 3; i++ {
		pw := randomPassword(r)
		bsalt := randomString(r, bcryptChars, 21) + string(".Oeu"[r.IntN(4)])
		rounds := fmt.Sprint(1000 + r.IntN(9000))
		cases := []struct {
			id   string
			args []string
		}{
			{"des", []string{"-m", "descrypt", "-S", randomString(r, saltChars, 2)}},
			{"bsdi", []string{"-m", "bsdicrypt"}},
			{"md5", []string{"-m", "md5crypt", "-S", randomString(r, saltChars, 8)}},
			{"sha256", []string{"-m", "sha256crypt", "-S", randomString(r, saltChars, 8+r.IntN(9))}},
			{"sha512", []string{"-m", "sha512crypt", "-S", randomString(r, saltChars, 8+r.IntN(9))}},
			{"sha256", []string{"-m", "sha256crypt", "-R", rounds}},
			{"sha512", []string{"-m", "sha512crypt", "-R", rounds}},
			{"bcrypt", []string{"-m", "bcrypt", "-R", "4", "-S", bsalt}},
			{"bcrypt", []string{"-m", "bcrypt-a", "-R", "5"}},
			{"nt", []string{"-m", "nt"}},
		}
		for _, c := range cases {
			h := runTool(t, mkpasswd, append(c.args, pw)...)
			checkLive(t, "mkpasswd "+strings.Join(c.args, " "), c.id, pw, h)
		}
	}
	// Schemes this package identifies but leaves to another package, or
	// does not verify.
	for _, c := range []struct{ method, id string }{
		{"yescrypt", "yescrypt"},
		{"gost-yescrypt", "gost-yescrypt"},
		{"scrypt", "scrypt"},
		{"sunmd5", "sunmd5"},
	} {
		h := runTool(t, mkpasswd, "-m", c.method, randomPassword(r))
		if f := Identify(h); f.Kind != KindHash || f.Scheme.ID != c.id {
			t.Errorf("mkpasswd -m %s: Identify(%q) = %v (%s), want %s", c.method, h, f, f.Scheme.ID, c.id)
		}
	}
}

// TestMkpasswdEightBit checks passwords with UTF-8 characters, whose bytes
// have the top bit set, for the schemes that hash them as bytes.
func TestMkpasswdEightBit(t *testing.T) {
	mkpasswd := lookTool(t, "mkpasswd")
	pw := "Grüße, 密码 ü"
	for _, c := range []struct {
		id     string
		method string
	}{
		{"des", "descrypt"},
		{"bsdi", "bsdicrypt"},
		{"md5", "md5crypt"},
		{"sha256", "sha256crypt"},
		{"sha512", "sha512crypt"},
		{"bcrypt", "bcrypt"},
		{"nt", "nt"},
	} {
		args := []string{"-m", c.method}
		if c.id == "bcrypt" {
			args = append(args, "-R", "4")
		}
		h := runTool(t, mkpasswd, append(args, pw)...)
		checkLive(t, "mkpasswd -m "+c.method+" (8-bit)", c.id, pw, h)
	}
}
