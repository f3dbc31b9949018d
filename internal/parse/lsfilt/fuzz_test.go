package lsfilt

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"bastion/internal/parse/parsetest"
)

func FuzzParse(f *testing.F) {
	for _, name := range []string{"lsfilt-v.out", "lsfilt-v4-O.out"} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		file, err := Parse(bytes.NewReader(in), "lsfilt.out")
		if file == nil {
			t.Fatalf("Parse returned no file (err %v)", err)
		}
		n := len(file.Lines)
		for _, r := range file.Rules {
			if r.Line < 1 || r.Line > n {
				t.Errorf("rule line %d outside 1..%d", r.Line, n)
			}
			if r.Dynamic {
				continue
			}
			if !r.Source.Addr.IsValid() || !r.Destination.Addr.IsValid() || r.Version != 4 && r.Version != 6 {
				t.Errorf("rule %d kept with bad addresses or version: %+v", r.Number, r)
			}
			if !ops[r.SourcePort.Op] || !ops[r.DestPort.Op] {
				t.Errorf("rule %d kept with bad port operations", r.Number)
			}
			_ = r.String()
		}
		_ = file.Summary(4, "tcp", 22)
		_ = file.Summary(6, "udp", 53)
		if got, want := file.Bytes(), parsetest.Normalize(in); !bytes.Equal(got, want) {
			t.Errorf("Bytes() = %q, want %q", got, want)
		}
		parsetest.CheckErrors(t, err, "lsfilt.out", n)
	})
}
