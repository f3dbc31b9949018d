package proftpd

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
	for _, name := range []string{"debian-anonymous.conf", "virtual.conf"} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, s := range []string{
		"<Anonymous ~ftp>\n<Limit WRITE>\n</Anonymous>\n</Limit>\n",
		"ServerName \"a \\\" b\nPort 21 \\\n# x \\\n",
		"< >\n<\n</x y>\n<a>b>\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		file, err := Parse(bytes.NewReader(in), "proftpd.conf")
		if file == nil {
			t.Fatalf("Parse returned no file (err %v)", err)
		}
		n := len(file.Lines)
		for _, d := range file.Directives {
			if d.Line < 1 || d.Line > n {
				t.Errorf("directive line %d outside 1..%d", d.Line, n)
			}
			if d.Name == "" {
				t.Errorf("directive with no name at line %d", d.Line)
			}
		}
		for _, s := range file.Sections {
			if s.Line < 1 || s.Line > n || s.EndLine < 0 || s.EndLine > n || (s.EndLine != 0 && s.EndLine <= s.Line) {
				t.Errorf("section %+v: lines outside 1..%d", s, n)
			}
			_ = file.Within(s)
		}
		_ = file.Anonymous()
		_ = file.Includes()
		if got, want := file.Bytes(), parsetest.Normalize(in); !bytes.Equal(got, want) {
			t.Errorf("Bytes() = %q, want %q", got, want)
		}
		for _, pe := range parse.List(err) {
			var target *parse.Error
			if !errors.As(pe, &target) || pe.Line < 1 || pe.Line > n || pe.File != "proftpd.conf" {
				t.Errorf("error %v: want a *parse.Error within 1..%d", pe, n)
			}
		}
	})
}
