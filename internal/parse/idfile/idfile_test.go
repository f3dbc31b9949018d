package idfile

import (
	"bytes"
	"encoding/hex"
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

const passwd = `root:!:0:0::/:/usr/bin/ksh
daemon:!:1:1::/etc:
# comment
+@netgroup
bin:!:2:2::/bin:
`

func TestParse(t *testing.T) {
	f, err := Parse(strings.NewReader(passwd), "passwd")
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]int{"root": 0, "daemon": 1, "bin": 2} {
		if id, ok := f.ID(name); !ok || id != want {
			t.Errorf("ID(%s) = %d, %v", name, id, ok)
		}
	}
	if _, ok := f.ID("nobody"); ok {
		t.Error("found an absent name")
	}
	g, err := Parse(strings.NewReader("system:!:0:root\nstaff:!:1:\n"), "group")
	if id, ok := g.ID("system"); err != nil || !ok || id != 0 {
		t.Errorf("group system = %d %v %v", id, ok, err)
	}
	if e := g.Entries[0]; e.Home != "" || e.Shell != "" {
		t.Errorf("group entry has a home or shell: %+v", e)
	}
}

// The sixth and seventh fields of passwd are the home and the shell; a
// line that stops early leaves them empty.
func TestHomeAndShell(t *testing.T) {
	f, err := Parse(strings.NewReader(passwd+"alice:!:1000:1::/home/alice:/usr/bin/ksh\nshort:x:7:7\n"), "passwd")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][2]string{
		"root":   {"/", "/usr/bin/ksh"},
		"daemon": {"/etc", ""},
		"alice":  {"/home/alice", "/usr/bin/ksh"},
		"short":  {"", ""},
	}
	for _, e := range f.Entries {
		w, ok := want[e.Name]
		if !ok {
			continue
		}
		if e.Home != w[0] || e.Shell != w[1] {
			t.Errorf("%s: home %q shell %q, want %q %q", e.Name, e.Home, e.Shell, w[0], w[1])
		}
		delete(want, e.Name)
	}
	if len(want) > 0 {
		t.Errorf("entries not found: %v", want)
	}
}

func TestErrors(t *testing.T) {
	f, err := Parse(strings.NewReader("root:x:0\nbad\n:x:1\nx:y:z\nok:x:5:\n"), "passwd")
	msg := ""
	if err != nil {
		msg = err.Error()
	}
	for _, want := range []string{"passwd:2: want name:password:id", "passwd:3: empty name", "passwd:4: id is not a number"} {
		if !strings.Contains(msg, want) {
			t.Errorf("errors %q lack %q", msg, want)
		}
	}
	if id, ok := f.ID("ok"); !ok || id != 5 {
		t.Error("good lines lost")
	}
}

// linuxPasswd is /etc/passwd of a Debian host in the form useradd writes,
// with a NIS compat tail and an account left with a hash in the file.
const linuxPasswd = `root:x:0:0:root:/root:/bin/bash
daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
alice:x:1000:1000:Alice Liddell,,,:/home/alice:/bin/bash
legacy:$1$Qm0s7Aps$kqvB4lG6oW0c9Pb6H9hmA/:1001:100::/home/legacy:/bin/sh
toor::0:0:spare root:/root:/bin/sh
odd:x:1002:staff:bad gid:/home/odd:/bin/sh
+@admins
-bob
+
`

// linuxGroup is /etc/group in the form groupadd writes.
const linuxGroup = `root:x:0:
sudo:x:27:alice,bob
users:x:100:,alice,,bob,
docker:!:998:alice
`

func TestParseFields(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []Entry
		nis  []int
	}{
		{
			name: "linux passwd",
			in:   linuxPasswd,
			want: []Entry{
				{Line: 1, Name: "root", Password: "x", ID: 0, GID: 0, Gecos: "root", Home: "/root", Shell: "/bin/bash"},
				{Line: 2, Name: "daemon", Password: "x", ID: 1, GID: 1, Gecos: "daemon", Home: "/usr/sbin", Shell: "/usr/sbin/nologin"},
				{Line: 3, Name: "alice", Password: "x", ID: 1000, GID: 1000, Gecos: "Alice Liddell,,,", Home: "/home/alice", Shell: "/bin/bash"},
				{Line: 4, Name: "legacy", Password: "$1$Qm0s7Aps$kqvB4lG6oW0c9Pb6H9hmA/", ID: 1001, GID: 100, Home: "/home/legacy", Shell: "/bin/sh"},
				{Line: 5, Name: "toor", Password: "", ID: 0, GID: 0, Gecos: "spare root", Home: "/root", Shell: "/bin/sh"},
				{Line: 6, Name: "odd", Password: "x", ID: 1002, GID: -1, Gecos: "bad gid", Home: "/home/odd", Shell: "/bin/sh"},
			},
			nis: []int{7, 8, 9},
		},
		{
			name: "linux group",
			in:   linuxGroup,
			want: []Entry{
				{Line: 1, Name: "root", Password: "x", ID: 0, GID: -1},
				{Line: 2, Name: "sudo", Password: "x", ID: 27, GID: -1, Members: []string{"alice", "bob"}},
				{Line: 3, Name: "users", Password: "x", ID: 100, GID: -1, Members: []string{"alice", "bob"}},
				{Line: 4, Name: "docker", Password: "!", ID: 998, GID: -1, Members: []string{"alice"}},
			},
		},
		{
			name: "aix passwd",
			in:   passwd,
			want: []Entry{
				{Line: 1, Name: "root", Password: "!", ID: 0, GID: 0, Home: "/", Shell: "/usr/bin/ksh"},
				{Line: 2, Name: "daemon", Password: "!", ID: 1, GID: 1, Home: "/etc"},
				{Line: 5, Name: "bin", Password: "!", ID: 2, GID: 2, Home: "/bin"},
			},
			nis: []int{4},
		},
		{
			name: "short lines",
			in:   "three:x:5\nfive:x:6:7:gecos\n",
			want: []Entry{
				{Line: 1, Name: "three", Password: "x", ID: 5, GID: -1},
				{Line: 2, Name: "five", Password: "x", ID: 6, GID: 7, Gecos: "gecos"},
			},
		},
		{name: "empty", in: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse(strings.NewReader(tt.in), "passwd")
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if diff := cmp.Diff(tt.want, f.Entries, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("entries (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.nis, f.NIS, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("NIS lines (-want +got):\n%s", diff)
			}
		})
	}
}

// Every bad line is reported with its file and line, and no message holds
// the password field, whatever field it ends up in on a broken line.
func TestErrorsHidePassword(t *testing.T) {
	const secret = "$6$pepper$S3cr3tHashValueXYZ"
	tests := []struct {
		in   string
		line int
		want string
	}{
		{"alice:" + secret + "\n", 1, "want name:password:id, got 2 fields"},
		{"x:x:0:0::/:/bin/sh\n:" + secret + ":5:5::/:/bin/sh\n", 2, "empty name"},
		{"alice:" + secret + ":abc:100::/home/alice:/bin/sh\n", 1, "id is not a number"},
		{"alice:x:" + secret + ":100::/home/alice:/bin/sh\n", 1, "id is not a number"},
		{"alice:x:-7:100::/home/alice:/bin/sh\n", 1, "id is negative"},
		{"hunter2\n", 1, "want name:password:id, got 1 fields"},
	}
	for _, tt := range tests {
		f, err := Parse(strings.NewReader(tt.in), "/etc/passwd")
		if f == nil {
			t.Fatalf("%q: nil file", tt.in)
		}
		list := parse.List(err)
		if len(list) != 1 || list[0].File != "/etc/passwd" || list[0].Line != tt.line || list[0].Err.Error() != tt.want {
			t.Errorf("%q: errors %v, want one at line %d: %s", tt.in, list, tt.line, tt.want)
		}
		if msg := fmt.Sprint(err); strings.Contains(msg, "pepper") || strings.Contains(msg, "hunter2") {
			t.Errorf("%q: error shows the password field: %s", tt.in, msg)
		}
	}
}

// Printing an entry or a file in any verb shows the password field only as
// its first character and its length.
func TestPrintRedacts(t *testing.T) {
	const hash = "$6$pepper$S3cr3tHashValueXYZ"
	f, err := Parse(strings.NewReader("legacy:"+hash+":1001:100:Leg Acy:/home/legacy:/bin/sh\nsudo:x:27:alice,bob\nnone::5:5::/:\n"), "passwd")
	if err != nil {
		t.Fatal(err)
	}
	e := f.Entries[0]
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%d", "%x", "%X"} {
		for _, v := range []any{e, &e, f.Entries, f, *f} {
			if out := fmt.Sprintf(verb, v); strings.Contains(out, "pepper") || strings.Contains(out, "S3cr3t") ||
				strings.Contains(out, hex.EncodeToString([]byte("pepper"))) || strings.Contains(out, strings.ToUpper(hex.EncodeToString([]byte("pepper")))) {
				t.Errorf("Sprintf(%s, %T) shows the hash: %s", verb, v, out)
			}
		}
	}
	if got, want := e.String(), "{Line:1 Name:legacy Password:$(28 chars) ID:1001 GID:100 Gecos:Leg Acy Home:/home/legacy Shell:/bin/sh Members:[]}"; got != want {
		t.Errorf("String() = %s, want %s", got, want)
	}
	if got, want := fmt.Sprintf("%#v", f.Entries[1]), `idfile.Entry{Line:2, Name:"sudo", Password:"x(1 char)", ID:27, GID:-1, Gecos:"", Home:"", Shell:"", Members:[]string{"alice", "bob"}}`; got != want {
		t.Errorf("%%#v = %s, want %s", got, want)
	}
	if got := fmt.Sprint(f.Entries[2]); !strings.Contains(got, "Password:(empty)") {
		t.Errorf("empty password printed as %s", got)
	}
	if got, want := fmt.Sprint(f), "idfile passwd: 3 lines, 3 entries"; got != want {
		t.Errorf("file printed as %q, want %q", got, want)
	}
}

func TestParseReadError(t *testing.T) {
	boom := errors.New("boom")
	if f, err := Parse(iotest.ErrReader(boom), "passwd"); f != nil || !errors.Is(err, boom) {
		t.Errorf("Parse = %v, %v", f, err)
	}
}

// secretMark replaces the password field of every line in the fuzz target's
// second pass; no error and no printed entry may contain it.
const secretMark = "$6$SeCrEtMaRk$"

func FuzzParse(f *testing.F) {
	f.Add([]byte(passwd))
	f.Add([]byte("a:b:-1\n::\n"))
	f.Add([]byte(linuxPasswd))
	f.Add([]byte(linuxGroup))
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := Parse(bytes.NewReader(data), "f")
		if file == nil {
			if !errors.Is(err, parse.ErrTooLarge) {
				t.Fatalf("nil file: %v", err)
			}
			return
		}
		for _, e := range file.Entries {
			if e.Line < 1 || e.Line > len(file.Lines) || e.ID < 0 || e.Name == "" || e.GID < -1 {
				t.Fatalf("bad entry %#v", e)
			}
			fields := strings.Split(file.Lines[e.Line-1], ":")
			if fields[0] != e.Name || fields[1] != e.Password {
				t.Fatalf("name or password not the first fields of line %d: %#v", e.Line, e)
			}
			if strings.Contains(e.Home, ":") || strings.Contains(e.Shell, ":") || strings.Contains(e.Gecos, ":") ||
				!strings.Contains(file.Lines[e.Line-1], e.Home) || !strings.Contains(file.Lines[e.Line-1], e.Shell) {
				t.Fatalf("home, shell or gecos not a field of its line: %#v", e)
			}
			if e.Members != nil && (e.GID != -1 || len(fields) != 4) {
				t.Fatalf("members on a line that is not a group line: %#v", e)
			}
			for _, m := range e.Members {
				if m == "" || strings.ContainsAny(m, ",:") {
					t.Fatalf("bad member %q in %#v", m, e)
				}
			}
		}
		for _, n := range file.NIS {
			if n < 1 || n > len(file.Lines) || !strings.ContainsAny(file.Lines[n-1][:1], "+-") {
				t.Fatalf("NIS line %d is not one", n)
			}
		}
		parsetest.CheckErrors(t, err, "f", len(file.Lines))

		// The same lines with the password field replaced by a mark.
		lines := parse.SplitLines(data)
		for i, l := range lines {
			if fields := strings.Split(l, ":"); len(fields) > 1 {
				fields[1] = secretMark
				lines[i] = strings.Join(fields, ":")
			}
		}
		marked, err := Parse(bytes.NewReader(parse.JoinLines(lines)), "f")
		if err != nil && strings.Contains(err.Error(), "SeCrEt") {
			t.Fatalf("error shows the password field: %v", err)
		}
		if marked == nil {
			return
		}
		for _, e := range marked.Entries {
			if strings.Contains(e.Name, "SeCrEt") || strings.Contains(e.Gecos, "SeCrEt") || strings.Contains(e.Home, "SeCrEt") ||
				strings.Contains(e.Shell, "SeCrEt") || strings.Contains(strings.Join(e.Members, ","), "SeCrEt") {
				continue // the mark was in the input's other fields too
			}
			if out := fmt.Sprintf("%v %#v %d", e, e, e); strings.Contains(out, "SeCrEt") {
				t.Fatalf("printed entry shows the password field: %s", out)
			}
		}
	})
}
