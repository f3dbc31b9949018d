package cli

import (
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/crypto/bcrypt"
)

// pwAccount is an account of a shadow file the test writes: its password
// and the tool that hashes it.
type pwAccount struct {
	name, password string
	hash           func(t *testing.T, password string) string
	want           string // the kind of guess that finds it, "" for none
}

// strong is a password no list and no rule of bastion's holds.
func strong(t *testing.T) string {
	b := make([]byte, 12)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("Zq%x!", b)
}

// tool runs a hashing tool of the platform and returns its one line.
func tool(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).Output()
	if err != nil {
		t.Fatalf("%s %s: %v (the test set-up installs openssl and whois)", name, strings.Join(args, " "), err)
	}
	return strings.TrimSpace(string(out))
}

func openssl(flag string) func(*testing.T, string) string {
	return func(t *testing.T, pw string) string { return tool(t, "openssl", "passwd", flag, pw) }
}

func mkpasswd(method string, extra ...string) func(*testing.T, string) string {
	return func(t *testing.T, pw string) string {
		return tool(t, "mkpasswd", append(append([]string{"-m", method}, extra...), pw)...)
	}
}

func goBcrypt(t *testing.T, pw string) string {
	h, err := bcrypt.GenerateFromPassword([]byte(pw), 5)
	if err != nil {
		t.Fatal(err)
	}
	return string(h)
}

// aixSSHA256 makes an AIX {ssha256} hash: PBKDF2-HMAC-SHA256 over the salt
// as written, 2^cost iterations, in crypt's base-64 by groups of three
// bytes, least significant six bits first.
func aixSSHA256(t *testing.T, pw string) string {
	const itoa64 = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	salt := "Kx9ab7Qd3Lm2Zp0w"
	dk, err := pbkdf2.Key(sha256.New, pw, []byte(salt), 1<<6, 32)
	if err != nil {
		t.Fatal(err)
	}
	var enc []byte
	for i, chars := 0, 43; chars > 0; i += 3 {
		var w uint32
		for j := 0; j < 3; j++ {
			w <<= 8
			if i+j < len(dk) {
				w |= uint32(dk[i+j])
			}
		}
		for k := 0; k < 4 && chars > 0; k, chars = k+1, chars-1 {
			enc = append(enc, itoa64[w&63])
			w >>= 6
		}
	}
	return "{ssha256}06$" + salt + "$" + string(enc)
}

// pwRoot writes a Linux or AIX root whose accounts have the passwords
// given, hashed by the tools given; it returns the root and every hash.
func pwRoot(t *testing.T, aix bool, accounts []pwAccount) (string, []string) {
	t.Helper()
	dir := t.TempDir()
	var passwd, shadow, secPasswd strings.Builder
	var hashes []string
	for i, a := range accounts {
		h := a.hash(t, a.password)
		hashes = append(hashes, h)
		if aix {
			fmt.Fprintf(&passwd, "%s:!:%d:1:%s:/home/%s:/usr/bin/ksh\n", a.name, 1000+i, a.name, a.name)
			fmt.Fprintf(&secPasswd, "%s:\n\tpassword = %s\n\tlastupdate = 1700000000\n\tflags =\n\n", a.name, h)
		} else {
			fmt.Fprintf(&passwd, "%s:x:%d:%d:%s,,,:/home/%s:/bin/bash\n", a.name, 1000+i, 1000+i, a.name, a.name)
			fmt.Fprintf(&shadow, "%s:%s:19800:0:99999:7:::\n", a.name, h)
		}
	}
	files := map[string]string{"etc/hostname": "bastionhost\n", "etc/passwd": "root:x:0:0::/root:/bin/bash\n" + passwd.String()}
	if aix {
		files["etc/passwd"] = "root:!:0:0::/:/usr/bin/ksh\n" + passwd.String()
		files["etc/security/passwd"] = "root:\n\tpassword = *\n\n" + secPasswd.String()
		files["etc/rc.tcpip"] = "\n"
	} else {
		files["etc/os-release"] = "ID=debian\nVERSION_ID=\"12\"\n"
		files["etc/shadow"] = "root:*:19800:0:99999:7:::\n" + shadow.String()
	}
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir, hashes
}

// The weak-password audit finds exactly the accounts whose password is on
// its lists, for every scheme the platforms' tools make, and no output
// holds a password or a hash.
func TestPasswords(t *testing.T) {
	linux := []pwAccount{
		{"alice", "letmein", openssl("-1"), "common password"},
		{"bob", "bob123", openssl("-5"), "user name with digits"},
		{"carol", "lorac", openssl("-6"), "user name reversed"},
		{"dave", "123456", mkpasswd("descrypt"), "common password"},
		{"erin", "qwerty", mkpasswd("bcrypt", "-R", "5"), "common password"},
		{"frank", "frankfrank", mkpasswd("yescrypt"), "user name doubled"},
		{"grace", "bastionhost", mkpasswd("sha512crypt"), "host name"},
		{"heidi", "Heidi", mkpasswd("md5crypt"), "user name"},
		{"ivan", "welcome", goBcrypt, "common password"},
		{"judy", "Zebra-Quartz-91", mkpasswd("sha256crypt"), "wordlist"},
		{"mallory", strong(t), mkpasswd("yescrypt"), ""},
		{"niaj", strong(t), mkpasswd("sha512crypt", "-R", "20000"), ""},
		{"olivia", strong(t), openssl("-1"), ""},
		{"peggy", strong(t), mkpasswd("descrypt"), ""},
		{"rupert", strong(t), goBcrypt, ""},
	}
	aix := []pwAccount{
		{"alice", "changeme", func(t *testing.T, pw string) string { return "{smd5}" + tool(t, "openssl", "passwd", "-aixmd5", pw) }, "common password"},
		{"bob", "bob", aixSSHA256, "user name"},
		{"carol", "admin", mkpasswd("descrypt"), "common password"},
		{"dave", strong(t), aixSSHA256, ""},
		{"erin", strong(t), func(t *testing.T, pw string) string { return "{smd5}" + tool(t, "openssl", "passwd", "-aixmd5", pw) }, ""},
	}
	wordlist := filepath.Join(t.TempDir(), "words.txt")
	if err := os.WriteFile(wordlist, []byte("alpha\r\nZebra-Quartz-91\n\nomega\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name     string
		aix      bool
		accounts []pwAccount
	}{{"linux", false, linux}, {"aix", true, aix}} {
		t.Run(tc.name, func(t *testing.T) {
			dir, hashes := pwRoot(t, tc.aix, tc.accounts)
			out, errs, code := run(t, "passwords", "--root", dir, "--format", "json", "--wordlist", wordlist)
			if code != ExitFindings {
				t.Fatalf("exit %d, want %d: %s", code, ExitFindings, errs)
			}
			var rep passwordsReport
			if err := json.Unmarshal([]byte(out), &rep); err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
			var got, want []string
			for _, m := range rep.Guessed {
				got = append(got, m.Account+": "+string(m.Kind))
			}
			for _, a := range tc.accounts {
				if a.want != "" {
					want = append(want, a.name+": "+a.want)
				}
			}
			sort.Strings(got)
			sort.Strings(want)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("guessed accounts (-want +got):\n%s", diff)
			}
			if len(rep.Skipped) != 0 || rep.Accounts != len(tc.accounts) {
				t.Errorf("accounts %d, skipped %+v; want %d, none", rep.Accounts, rep.Skipped, len(tc.accounts))
			}
			text := ""
			if tc.aix { // the text form once, on the cheap hashes
				text, _, _ = run(t, "passwords", "--root", dir, "--wordlist", wordlist)
				if !strings.Contains(text, "3 of 5 accounts have a password an attacker would guess first") || !strings.Contains(text, "bob") {
					t.Errorf("text report:\n%s", text)
				}
			}
			for _, output := range []string{out, text, errs} {
				for i, a := range tc.accounts {
					if strings.Contains(output, a.password) && a.password != a.name && a.password != "bastionhost" {
						t.Errorf("the password of %s appears in the output", a.name)
					}
					// No hash, nor its salt-and-digest part.
					h := hashes[i]
					if strings.Contains(output, h) || len(h) > 16 && strings.Contains(output, h[len(h)-16:]) {
						t.Errorf("the hash of %s appears in the output", a.name)
					}
				}
			}
		})
	}
}

// A root whose passwords are all strong exits 0; --dry-run counts the
// work without doing it; a missing wordlist is an error.
func TestPasswordsQuiet(t *testing.T) {
	dir, _ := pwRoot(t, false, []pwAccount{{"alice", strong(t), openssl("-6"), ""}})
	out, errs, code := run(t, "passwords", "--root", dir)
	if code != ExitOK || !strings.Contains(out, "0 of 1 accounts") {
		t.Errorf("exit %d, out %q, err %q", code, out, errs)
	}
	out, _, code = run(t, "passwords", "--root", dir, "--dry-run")
	if code != ExitOK || !strings.Contains(out, "1 accounts with a password") {
		t.Errorf("dry run: exit %d, out %q", code, out)
	}
	_, errs, code = run(t, "passwords", "--root", dir, "--wordlist", filepath.Join(dir, "missing"))
	if code != ExitError || !strings.Contains(errs, "wordlist") {
		t.Errorf("missing wordlist: exit %d, err %q", code, errs)
	}
}

// The audit and the hardening plan of the account fixtures, in every
// format, show no password hash and no password of a .netrc.
func TestAccountOutputsHideSecrets(t *testing.T) {
	for _, root := range []string{"debian12-accounts", "aix72-accounts"} {
		dir := filepath.Join("..", "..", "testdata", "roots", root)
		var secrets []string
		for _, name := range []string{"etc/shadow", "etc/security/passwd", "etc/passwd"} {
			data, err := os.ReadFile(filepath.Join(dir, name))
			if err != nil {
				continue
			}
			for _, l := range strings.Split(string(data), "\n") {
				field := ""
				if name == "etc/security/passwd" {
					_, field, _ = strings.Cut(l, "password = ")
				} else if f := strings.Split(l, ":"); len(f) > 1 {
					field = f[1]
				}
				if len(field) > 8 {
					secrets = append(secrets, field, field[len(field)-8:])
				}
			}
		}
		secrets = append(secrets, "Tr0ub4dor-netrc-secret")
		if len(secrets) < 6 {
			t.Fatalf("%s: only %d secrets found to look for", root, len(secrets))
		}
		for _, args := range [][]string{
			{"audit"}, {"audit", "--format", "json"}, {"harden"}, {"harden", "--format", "json"},
		} {
			out, errs, code := run(t, append(args, "--root", dir)...)
			if code == ExitError || len(out) < 200 {
				t.Fatalf("%s %v: exit %d, %d bytes: %s", root, args, code, len(out), errs)
			}
			for _, s := range secrets {
				if strings.Contains(out, s) || strings.Contains(errs, s) {
					t.Errorf("%s %v shows a secret (%d chars)", root, args, len(s))
				}
			}
		}
	}
}

// A hash kept in /etc/passwd on a line a fix would change, and a .rhosts
// that links to /etc/shadow, show in no output: that line gets no fix
// until the hash moves to the shadow file, and the link is reported, not
// followed.
func TestAccountFixesHideSecrets(t *testing.T) {
	dir := copyRoot(t, filepath.Join("..", "..", "testdata", "roots", "debian12-accounts"))
	hash := tool(t, "mkpasswd", "-m", "md5crypt", strong(t))
	passwd, err := os.ReadFile(filepath.Join(dir, "etc/passwd"))
	if err != nil {
		t.Fatal(err)
	}
	// games, a system account with a login shell, also keeps a hash in
	// /etc/passwd: the shell fix rewrites that line.
	edited := strings.Replace(string(passwd), "games:x:", "games:"+hash+":", 1)
	if edited == string(passwd) {
		t.Fatal("no games line in the fixture")
	}
	if err := os.WriteFile(filepath.Join(dir, "etc/passwd"), []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	rhosts := filepath.Join(dir, "home/alice/.rhosts")
	if err := os.Remove(rhosts); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/etc/shadow", rhosts); err != nil {
		t.Fatal(err)
	}
	shadow, err := os.ReadFile(filepath.Join(dir, "etc/shadow"))
	if err != nil {
		t.Fatal(err)
	}
	secrets := []string{hash, hash[len(hash)-10:]}
	for _, l := range strings.Split(string(shadow), "\n") {
		if f := strings.Split(l, ":"); len(f) > 1 && len(f[1]) > 8 {
			secrets = append(secrets, f[1])
		}
	}
	for _, args := range [][]string{{"audit"}, {"audit", "--format", "json"}, {"harden"}, {"harden", "--format", "json"}} {
		out, errs, code := run(t, append(args, "--root", dir)...)
		if code == ExitError {
			t.Fatalf("%v: %s", args, errs)
		}
		for _, s := range secrets {
			if strings.Contains(out+errs, s) {
				t.Errorf("%v shows a secret (%d chars)", args, len(s))
			}
		}
	}
	out, _, _ := run(t, "audit", "--root", dir, "--format", "json")
	if !strings.Contains(out, "games (UID 5) has shell /bin/sh") || !strings.Contains(out, "/home/alice/.rhosts is a symbolic link to /etc/shadow") {
		t.Errorf("the findings are missing:\n%s", out)
	}
}

// An unreadable shadow file is an error, never a clean result.
func TestPasswordsUnreadableShadow(t *testing.T) {
	dir, _ := pwRoot(t, false, []pwAccount{{"alice", strong(t), openssl("-6"), ""}})
	if err := os.Remove(filepath.Join(dir, "etc/shadow")); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "etc/shadow"), 0o700); err != nil {
		t.Fatal(err)
	}
	out, errs, code := run(t, "passwords", "--root", dir)
	if code != ExitError || !strings.Contains(errs, "/etc/shadow could not be read") {
		t.Errorf("exit %d, out %q, err %q", code, out, errs)
	}
}
