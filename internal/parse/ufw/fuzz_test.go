package ufw

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"bastion/internal/parse/parsetest"
)

func FuzzParse(f *testing.F) {
	for _, name := range []string{"ufw.conf", "default-ufw"} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		file, err := Parse(bytes.NewReader(in), "ufw.conf")
		if file == nil {
			t.Fatalf("Parse returned no file (err %v)", err)
		}
		n := len(file.Lines)
		for _, v := range file.Vars {
			if v.Line < 1 || v.Line > n {
				t.Errorf("variable line %d outside 1..%d", v.Line, n)
			}
			if !validName(v.Name) {
				t.Errorf("variable with a bad name %q kept", v.Name)
			}
		}
		_, _ = file.DefaultInputPolicy()
		_ = file.Enabled()
		if got, want := file.Bytes(), parsetest.Normalize(in); !bytes.Equal(got, want) {
			t.Errorf("Bytes() = %q, want %q", got, want)
		}
		parsetest.CheckErrors(t, err, "ufw.conf", n)
	})
}
