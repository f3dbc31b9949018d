package userlist

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"bastion/internal/parse"
	"bastion/internal/parse/parsetest"
)

func FuzzParse(f *testing.F) {
	for _, name := range []string{"aix-ftpusers", "debian-ftpusers", "rhel-user_list", "aix-cron.allow"} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, s := range []string{"root daemon\n-x\n", "a:b\n#c\n  d  \r\n", "\xff\n~\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		file, err := Parse(bytes.NewReader(in), "ftpusers")
		if file == nil {
			t.Fatalf("Parse returned no file (err %v)", err)
		}
		n := len(file.Lines)
		for _, nm := range file.Names {
			if nm.Line < 1 || nm.Line > n {
				t.Errorf("name line %d outside 1..%d", nm.Line, n)
			}
			if nm.Name == "" || check(nm.Name) != "" || !file.Has(nm.Name) {
				t.Errorf("name %q returned but not valid", nm.Name)
			}
		}
		if got, want := file.Bytes(), parsetest.Normalize(in); !bytes.Equal(got, want) {
			t.Errorf("Bytes() = %q, want %q", got, want)
		}
		for _, pe := range parse.List(err) {
			var target *parse.Error
			if !errors.As(pe, &target) || pe.Line < 1 || pe.Line > n || pe.File != "ftpusers" {
				t.Errorf("error %v: want a *parse.Error within 1..%d", pe, n)
			}
		}
	})
}
