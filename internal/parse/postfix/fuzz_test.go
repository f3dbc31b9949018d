package postfix

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"bastion/internal/parse/parsetest"
)

func addFixtures(f *testing.F, names ...string) {
	for _, name := range names {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
}

func FuzzParse(f *testing.F) {
	addFixtures(f, "main.cf", "relay-main.cf")
	for _, s := range []string{
		"a = $b${b}$(b)\nb = ${c?{x}:{y}} $$ $\n  ${c:z}\nc = $a\n",
		"compatibility_level = 3.6\r\nmynetworks = 0/0 # all\r\n",
		"  orphan\n# c\n\tmore\nx\n= y\nz = ${{$a} <level {2} ? {p} : {q}}",
		"a = $a$a$a$a\nb = ${a?{${a?{$b}}}}\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		file, err := Parse(bytes.NewReader(in), "main.cf")
		if file == nil {
			t.Fatalf("Parse returned no file (err %v)", err)
		}
		n := len(file.Lines)
		for _, p := range file.Params {
			if p.Line < 1 || p.EndLine < p.Line || p.EndLine > n {
				t.Errorf("parameter lines %d..%d outside 1..%d", p.Line, p.EndLine, n)
			}
			if p.Name == "" {
				t.Errorf("parameter with no name at line %d", p.Line)
			}
			if v, ok := file.Value(p.Name); !ok || len(v) > maxExpand {
				t.Errorf("Value(%q) = %d bytes, %v", p.Name, len(v), ok)
			}
		}
		if got, want := file.Bytes(), parsetest.Normalize(in); !bytes.Equal(got, want) {
			t.Errorf("Bytes() = %q, want %q", got, want)
		}
		parsetest.CheckErrors(t, err, "main.cf", n)
	})
}

func FuzzParseMaster(f *testing.F) {
	addFixtures(f, "master.cf")
	for _, s := range []string{
		"smtp inet n - y - - smtpd -vo a=1 -n x\r\n\t-o { b = c } {}\r\n",
		"#smtps inet n - y - - smtpd\n#  -o a=1\n#  flags=R\n# prose\n",
		"  orphan\nx tcp n - y - - x\ny inet y - y - - y\nz unix - - - 1? - z -o\n",
		"p unix - n n - - pipe argv=/bin/{a b} { x\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		m, err := ParseMaster(bytes.NewReader(in), "master.cf")
		if m == nil {
			t.Fatalf("ParseMaster returned no file (err %v)", err)
		}
		n := len(m.Lines)
		last := 0
		for _, s := range m.Services {
			if s.Line < 1 || s.EndLine < s.Line || s.EndLine > n {
				t.Errorf("service lines %d..%d outside 1..%d", s.Line, s.EndLine, n)
			}
			if s.Line <= last {
				t.Errorf("service at line %d after one at line %d", s.Line, last)
			}
			last = s.Line
			if !masterTypes[s.Type] || s.Service == "" || s.Command == "" {
				t.Errorf("bad service %+v", s)
			}
			_, _ = s.Addr()
		}
		if got, want := m.Bytes(), parsetest.Normalize(in); !bytes.Equal(got, want) {
			t.Errorf("Bytes() = %q, want %q", got, want)
		}
		parsetest.CheckErrors(t, err, "master.cf", n)
	})
}
