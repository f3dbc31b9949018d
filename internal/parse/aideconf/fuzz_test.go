package aideconf

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"bastion/internal/parse/parsetest"
)

func FuzzParse(f *testing.F) {
	for _, name := range []string{"debian.conf", "redhat.conf", "conditions.conf"} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		file, err := Parse(bytes.NewReader(in), "aide.conf")
		if file == nil {
			t.Fatalf("Parse returned no file (err %v)", err)
		}
		n := len(file.Lines)
		for _, s := range file.Settings {
			if s.Line < 1 || s.Line > n || !isName(s.Name) {
				t.Errorf("setting %+v", s)
			}
		}
		for _, r := range file.Rules {
			if r.Line < 1 || r.Line > n || r.Path == "" || r.Kind != '/' && r.Kind != '!' && r.Kind != '=' {
				t.Errorf("rule %+v", r)
			}
		}
		for _, inc := range file.Includes {
			if inc.Line < 1 || inc.Line > n {
				t.Errorf("include %+v", inc)
			}
		}
		if got, want := file.Bytes(), parsetest.Normalize(in); !bytes.Equal(got, want) {
			t.Errorf("Bytes() = %q, want %q", got, want)
		}
		parsetest.CheckErrors(t, err, "aide.conf", n)
	})
}
