package cronlog

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
	for _, name := range []string{"aix-commented", "rotated", "quiet"} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, s := range []string{"logfile=\nsize=9q\n", "rotate=2\r\nrotate\n quiet = \n", "=\n#x\n\xff=\xff"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		file, err := Parse(bytes.NewReader(in), "cronlog.conf")
		if file == nil {
			t.Fatalf("Parse returned no file (err %v)", err)
		}
		n := len(file.Lines)
		seen := map[string]bool{}
		for _, s := range file.Settings {
			if s.Line < 1 || s.Line > n {
				t.Errorf("setting line %d outside 1..%d", s.Line, n)
			}
			if seen[s.Key] || takesValue[s.Key] == "" {
				t.Errorf("setting %q returned twice or unknown", s.Key)
			}
			seen[s.Key] = true
		}
		if log, _ := file.Log(); len(log) == 0 || log[0] != '/' {
			t.Errorf("Log() = %q, not a full path", log)
		}
		if got, want := file.Bytes(), parsetest.Normalize(in); !bytes.Equal(got, want) {
			t.Errorf("Bytes() = %q, want %q", got, want)
		}
		for _, pe := range parse.List(err) {
			var target *parse.Error
			if !errors.As(pe, &target) || pe.Line < 1 || pe.Line > n || pe.File != "cronlog.conf" {
				t.Errorf("error %v: want a *parse.Error within 1..%d", pe, n)
			}
		}
	})
}
