package idfile

import (
	"bytes"
	"strings"
	"testing"

	"bastion/internal/parse"
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
	for _, want := range []string{"passwd:2: want name:password:id", "passwd:3: empty name", "passwd:4: id \"z\""} {
		if !strings.Contains(msg, want) {
			t.Errorf("errors %q lack %q", msg, want)
		}
	}
	if id, ok := f.ID("ok"); !ok || id != 5 {
		t.Error("good lines lost")
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(passwd))
	f.Add([]byte("a:b:-1\n::\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := Parse(bytes.NewReader(data), "f")
		if file == nil {
			t.Fatalf("nil file: %v", err)
		}
		for _, e := range file.Entries {
			if e.Line < 1 || e.Line > len(file.Lines) || e.ID < 0 || e.Name == "" {
				t.Fatalf("bad entry %+v", e)
			}
			if strings.Contains(e.Home, ":") || strings.Contains(e.Shell, ":") ||
				!strings.Contains(file.Lines[e.Line-1], e.Home) || !strings.Contains(file.Lines[e.Line-1], e.Shell) {
				t.Fatalf("home or shell not a field of its line: %+v", e)
			}
		}
		for _, e := range parse.List(err) {
			if e.Line < 1 || e.Line > len(file.Lines) {
				t.Fatalf("error line %d", e.Line)
			}
		}
	})
}
