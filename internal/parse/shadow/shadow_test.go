package shadow

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"bastion/internal/parse"
	"bastion/internal/parse/parsetest"
)

// The hashes below are made-up strings in the form of crypt output; they
// are the hash of nothing.
const (
	yescrypt = "$y$j9T$Fq1dW8xYc0mN3pLr5tUv7.$Zk2Hq9Ww3Ee4Rr5Tt6Yy7Uu8Ii9Oo0Pp1Aa2Ss3Dd4F"
	sha512   = "$6$Xc9vB2nM$k0Lq8Wj3Hn5Tg7Rf1Ed9Cs2Xa4Zp6Oy8Iu0Mt3Nr5Bv7Gc9Hx1Jl3Kd5Fs7Aq9We2Rt4Yu6Io8Pa0Sd2Fg4Hj6Kl8Zx0Cv"
)

// debian is /etc/shadow of a Debian 12 host in the form passwd and
// useradd write: a yescrypt root, locked system accounts, a user locked by
// "passwd -l", an account with no password, one forced to change.
var debian = "root:" + yescrypt + ":19600:0:99999:7:::\n" +
	"daemon:*:19600:0:99999:7:::\n" +
	"systemd-network:!*:19600::::::\n" +
	"alice:" + yescrypt + ":19610:0:99999:7:::\n" +
	"bob:!" + sha512 + ":19610:1:90:14:30:19800:\n" +
	"guest::19620:0:99999:7:::\n" +
	"newhire:" + sha512 + ":0:0:99999:7:::\n"

// rhel is the RHEL form: sshd with "!!", root with no last change, an
// old-form line of name and hash only, a comment and NIS compat lines.
var rhel = "# local accounts\n" +
	"root:" + sha512 + "::0:99999:7:::\n" +
	"sshd:!!:19000::::::\n" +
	"  old:" + sha512 + "\n" +
	"\n" +
	"+@staff::::::::\n" +
	"-mallory\n"

func TestParse(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []Entry
		nis  []int
	}{
		{
			name: "debian",
			in:   debian,
			want: []Entry{
				{Line: 1, Name: "root", Hash: yescrypt, LastChange: 19600, Min: 0, Max: 99999, Warn: 7, Inactive: -1, Expire: -1},
				{Line: 2, Name: "daemon", Hash: "*", LastChange: 19600, Min: 0, Max: 99999, Warn: 7, Inactive: -1, Expire: -1},
				{Line: 3, Name: "systemd-network", Hash: "!*", LastChange: 19600, Min: -1, Max: -1, Warn: -1, Inactive: -1, Expire: -1},
				{Line: 4, Name: "alice", Hash: yescrypt, LastChange: 19610, Min: 0, Max: 99999, Warn: 7, Inactive: -1, Expire: -1},
				{Line: 5, Name: "bob", Hash: "!" + sha512, LastChange: 19610, Min: 1, Max: 90, Warn: 14, Inactive: 30, Expire: 19800},
				{Line: 6, Name: "guest", Hash: "", LastChange: 19620, Min: 0, Max: 99999, Warn: 7, Inactive: -1, Expire: -1},
				{Line: 7, Name: "newhire", Hash: sha512, LastChange: 0, Min: 0, Max: 99999, Warn: 7, Inactive: -1, Expire: -1},
			},
		},
		{
			name: "rhel",
			in:   rhel,
			want: []Entry{
				{Line: 2, Name: "root", Hash: sha512, LastChange: -1, Min: 0, Max: 99999, Warn: 7, Inactive: -1, Expire: -1},
				{Line: 3, Name: "sshd", Hash: "!!", LastChange: 19000, Min: -1, Max: -1, Warn: -1, Inactive: -1, Expire: -1},
				{Line: 4, Name: "old", Hash: sha512, LastChange: -1, Min: -1, Max: -1, Warn: -1, Inactive: -1, Expire: -1},
			},
			nis: []int{6, 7},
		},
		{
			name: "crlf and a short line",
			in:   "a:*:1:2:3\r\nb:x:\r\n",
			want: []Entry{
				{Line: 1, Name: "a", Hash: "*", LastChange: 1, Min: 2, Max: 3, Warn: -1, Inactive: -1, Expire: -1},
				{Line: 2, Name: "b", Hash: "x", LastChange: -1, Min: -1, Max: -1, Warn: -1, Inactive: -1, Expire: -1},
			},
		},
		{name: "empty", in: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse(strings.NewReader(tt.in), "/etc/shadow")
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if diff := cmp.Diff(tt.want, f.Entries, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("entries (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.nis, f.NIS, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("NIS lines (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(parse.SplitLines([]byte(tt.in)), f.Lines, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("lines (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLookup(t *testing.T) {
	f, err := Parse(strings.NewReader(debian+"alice:*:1::::::\n"), "/etc/shadow")
	if err != nil {
		t.Fatal(err)
	}
	if e, ok := f.Lookup("alice"); !ok || e.Line != 4 || e.Hash != yescrypt {
		t.Errorf("Lookup(alice) = %v, %v; want the first alice, line 4", e, ok)
	}
	if e, ok := f.Lookup("nobody"); ok {
		t.Errorf("Lookup(nobody) = %v", e)
	}
}

// Each bad line is an error at its line naming what is wrong by the
// field's place; the hash is in none of them, and the good lines around it
// are kept.
func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		line string
		want string
	}{
		{"one field", sha512, "want name:hash:..., got 1 field"},
		{"too many fields", "root:" + sha512 + ":1:2:3:4:5:6:7:8", "want at most 9 fields, got 10"},
		{"empty name", ":" + sha512 + ":19600:0:99999:7:::", "empty name"},
		{"last change", "root:" + sha512 + ":yesterday:0:99999:7:::", "field 3 (last change) is not a number"},
		{"minimum", "root:" + sha512 + ":19600:x:99999:7:::", "field 4 (minimum age) is not a number"},
		{"maximum", "root:" + sha512 + ":19600:0:-1:7:::", "field 5 (maximum age) is not a number"},
		{"warning", "root:" + sha512 + ":19600:0:99999:7 :::", "field 6 (warning period) is not a number"},
		{"inactive", "root:" + sha512 + ":19600:0:99999:7:+3::", "field 7 (inactivity period) is not a number"},
		{"expire", "root:" + sha512 + ":19600:0:99999:7::99999999999999999999:", "field 8 (expiration date) is not a number"},
		{"hash shifted into a day field", "root::" + sha512 + ":0:99999:7:::", "field 3 (last change) is not a number"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := "daemon:*:19600:0:99999:7:::\n" + tt.line + "\nbin:*:19600:0:99999:7:::\n"
			f, err := Parse(strings.NewReader(in), "shadow")
			list := parse.List(err)
			if len(list) != 1 || list[0].File != "shadow" || list[0].Line != 2 || list[0].Err.Error() != tt.want {
				t.Fatalf("errors %v, want one at shadow:2: %s", list, tt.want)
			}
			if msg := err.Error(); msg != "shadow:2: "+tt.want {
				t.Errorf("Error() = %q", msg)
			}
			if strings.Contains(err.Error(), "Xc9vB2nM") {
				t.Errorf("error shows the hash: %v", err)
			}
			if len(f.Entries) != 2 || f.Entries[0].Name != "daemon" || f.Entries[1].Name != "bin" || f.Entries[1].Line != 3 {
				t.Errorf("good lines not kept: %v", f.Entries)
			}
		})
	}
}

// No fmt verb shows more of a hash than its first character and length,
// on an entry, a pointer to one, a slice of them or the file.
func TestPrintRedacts(t *testing.T) {
	f, err := Parse(strings.NewReader(debian), "/etc/shadow")
	if err != nil {
		t.Fatal(err)
	}
	root, _ := f.Lookup("root")
	bob, _ := f.Lookup("bob")
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%d", "%x", "%X", "%10.3v"} {
		for _, v := range []any{root, &root, bob, f.Entries, f, *f, []*File{f}} {
			out := fmt.Sprintf(verb, v)
			for _, part := range []string{"j9T", "Fq1dW8", "Xc9vB2nM", "246a3954", "246A3954"} { // "$j9T" in hex too
				if strings.Contains(out, part) {
					t.Errorf("Sprintf(%s, %T) shows the hash: %s", verb, v, out)
				}
			}
		}
	}
	if got, want := root.String(), "{Line:1 Name:root Hash:$(73 chars) LastChange:19600 Min:0 Max:99999 Warn:7 Inactive:-1 Expire:-1}"; got != want {
		t.Errorf("String() = %s\nwant        %s", got, want)
	}
	if got, want := fmt.Sprintf("%#v", bob), `shadow.Entry{Line:5, Name:"bob", Hash:"!(107 chars)", LastChange:19610, Min:1, Max:90, Warn:14, Inactive:30, Expire:19800}`; got != want {
		t.Errorf("%%#v = %s\nwant  %s", got, want)
	}
	for name, want := range map[string]string{"daemon": "Hash:*(1 char)", "guest": "Hash:(empty)", "systemd-network": "Hash:!(2 chars)"} {
		if e, _ := f.Lookup(name); !strings.Contains(e.String(), want) {
			t.Errorf("%s printed as %s, want %s in it", name, e, want)
		}
	}
	if got, want := fmt.Sprint(f), "shadow /etc/shadow: 7 lines, 7 entries"; got != want {
		t.Errorf("file printed as %q, want %q", got, want)
	}
	if got := redact("\x00abc"); got != "?(4 chars)" {
		t.Errorf("redact of a control character = %q", got)
	}
}

func TestParseReadError(t *testing.T) {
	boom := errors.New("boom")
	if f, err := Parse(iotest.ErrReader(boom), "shadow"); f != nil || !errors.Is(err, boom) {
		t.Errorf("Parse = %v, %v", f, err)
	}
}

// secretMark replaces the hash field of every line in the fuzz target's
// second pass; no error and no printed entry may contain it.
const secretMark = "$6$SeCrEtMaRk$"

func FuzzParse(f *testing.F) {
	f.Add([]byte(debian))
	f.Add([]byte(rhel))
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := Parse(bytes.NewReader(data), "shadow")
		if file == nil {
			if !errors.Is(err, parse.ErrTooLarge) {
				t.Fatalf("nil file: %v", err)
			}
			return
		}
		n := len(file.Lines)
		for _, e := range file.Entries {
			if e.Line < 1 || e.Line > n || e.Name == "" {
				t.Fatalf("bad entry %#v", e)
			}
			fs := strings.Split(strings.TrimLeft(file.Lines[e.Line-1], " \t"), ":")
			if fs[0] != e.Name || fs[1] != e.Hash {
				t.Fatalf("name or hash not the first fields of line %d: %#v", e.Line, e)
			}
			for j, d := range []int{e.LastChange, e.Min, e.Max, e.Warn, e.Inactive, e.Expire} {
				if d < -1 || (d == -1) != (2+j >= len(fs) || fs[2+j] == "") {
					t.Fatalf("day field %d is %d on line %q", 3+j, d, file.Lines[e.Line-1])
				}
			}
		}
		for _, l := range file.NIS {
			if l < 1 || l > n {
				t.Fatalf("NIS line %d out of 1..%d", l, n)
			}
		}
		parsetest.CheckErrors(t, err, "shadow", n)

		// The same lines with the hash field replaced by a mark.
		lines := parse.SplitLines(data)
		for i, l := range lines {
			if fs := strings.Split(l, ":"); len(fs) > 1 {
				fs[1] = secretMark
				lines[i] = strings.Join(fs, ":")
			}
		}
		marked, err := Parse(bytes.NewReader(parse.JoinLines(lines)), "shadow")
		if err != nil && strings.Contains(err.Error(), "SeCrEt") {
			t.Fatalf("error shows the hash: %v", err)
		}
		for _, e := range marked.Entries {
			if strings.Contains(e.Name, "SeCrEt") {
				continue // the mark was in the name too
			}
			if out := fmt.Sprintf("%v %#v %d %s", e, e, e, marked); strings.Contains(out, "SeCrEt") {
				t.Fatalf("printed entry shows the hash: %s", out)
			}
		}
	})
}
