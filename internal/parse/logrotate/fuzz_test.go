package logrotate

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"bastion/internal/parse/parsetest"
)

func FuzzParse(f *testing.F) {
	for _, name := range []string{"logrotate.conf", "rsyslog", "apache2", "quoted"} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		file, err := Parse(bytes.NewReader(in), "logrotate.conf")
		if file == nil {
			t.Fatalf("Parse returned no file (err %v)", err)
		}
		n := len(file.Lines)
		in1 := func(what string, l int) {
			if l < 1 || l > n {
				t.Errorf("%s line %d outside 1..%d", what, l, n)
			}
		}
		for _, o := range file.Globals {
			in1("global", o.Line)
			if o.Name == "" || o.Name == "include" {
				t.Errorf("global %+v", o)
			}
		}
		for _, inc := range file.Includes {
			in1("include", inc.Line)
		}
		for _, b := range file.Blocks {
			in1("block", b.Line)
			in1("open", b.Open)
			if len(b.Patterns) == 0 {
				t.Errorf("block at %d without names", b.Line)
			}
			if b.EndLine != 0 && b.EndLine <= b.Open {
				t.Errorf("block closes at %d before it opens at %d", b.EndLine, b.Open)
			}
			for _, p := range b.Patterns {
				in1("name", p.Line)
				if p.Line > b.Open {
					t.Errorf("name at %d after '{' at %d", p.Line, b.Open)
				}
			}
			for _, o := range b.Options {
				in1("option", o.Line)
			}
		}
		if got, want := file.Bytes(), parsetest.Normalize(in); !bytes.Equal(got, want) {
			t.Errorf("Bytes() = %q, want %q", got, want)
		}
		parsetest.CheckErrors(t, err, "logrotate.conf", n)
	})
}
