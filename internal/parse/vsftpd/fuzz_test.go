package vsftpd

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
	for _, name := range []string{"debian.conf", "rhel.conf", "hardened.conf"} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, s := range []string{"listen = YES\n", "  #x\n=\nlisten_port=0x15\n", "anonymous_enable=\xff\r\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		file, err := Parse(bytes.NewReader(in), "vsftpd.conf")
		if file == nil {
			t.Fatalf("Parse returned no file (err %v)", err)
		}
		n := len(file.Lines)
		for _, o := range file.Options {
			if o.Line < 1 || o.Line > n {
				t.Errorf("option line %d outside 1..%d", o.Line, n)
			}
			if o.Name == "" {
				t.Errorf("option with no name at line %d", o.Line)
			}
			if IsBool(o.Name) {
				if _, ok := ParseBool(o.Value); !ok {
					t.Errorf("boolean option %s kept with value %q", o.Name, o.Value)
				}
			}
			_, _ = file.Bool(o.Name)
		}
		if got, want := file.Bytes(), parsetest.Normalize(in); !bytes.Equal(got, want) {
			t.Errorf("Bytes() = %q, want %q", got, want)
		}
		for _, pe := range parse.List(err) {
			var target *parse.Error
			if !errors.As(pe, &target) || pe.Line < 1 || pe.Line > n || pe.File != "vsftpd.conf" {
				t.Errorf("error %v: want a *parse.Error within 1..%d", pe, n)
			}
		}
	})
}
