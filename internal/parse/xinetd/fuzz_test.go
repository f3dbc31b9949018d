package xinetd

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"bastion/internal/parse"
)

// normalize is what Bytes must give back for input: line endings made
// "\n", and a final newline added to a last line without one.
func normalize(in []byte) []byte {
	var out []byte
	for _, l := range bytes.SplitAfter(in, []byte("\n")) {
		if len(l) == 0 {
			continue
		}
		l = bytes.TrimSuffix(l, []byte("\n"))
		l = bytes.TrimSuffix(l, []byte("\r"))
		out = append(out, l...)
		out = append(out, '\n')
	}
	return out
}

func FuzzParse(f *testing.F) {
	for _, name := range []string{"xinetd.conf", "xinetd.d/tftp", "xinetd.d/telnet", "xinetd.d/echo-stream",
		"xinetd.d/rquotad", "xinetd.d/nrpe", "xinetd.d/rsync"} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, s := range []string{
		"defaults {\n  instances = 60\n  }\nservice daytime-stream{\n\ttype = INTERNAL\n\tid=\n}\n",
		"service\n{\n\tdisable = no\n}\nservice {\n}\n{\n}\n",
		"service a\n\tdisable = no\n}\nservice c",
		"defaults\n{\n}\ndefaults\n{\n\tinstances = 5\n",
		"include\nincludedir /etc/xinetd.d\r\nservice x\r\n{\r\n\tonly_from -= a\r\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		file, err := Parse(bytes.NewReader(in), "xinetd.conf")
		if file == nil {
			t.Fatalf("Parse returned no file (err %v)", err)
		}
		n := len(file.Lines)
		inRange := func(what string, l int) {
			if l < 1 || l > n {
				t.Errorf("%s line %d outside 1..%d", what, l, n)
			}
		}
		blocks := file.Services
		if file.Defaults != nil {
			blocks = append(blocks, *file.Defaults)
		}
		for _, b := range blocks {
			inRange("block", b.Line)
			if b.EndLine != 0 && b.EndLine <= b.Line {
				t.Errorf("block at line %d ends at line %d", b.Line, b.EndLine)
			}
			if b.EndLine != 0 {
				inRange("block end", b.EndLine)
			}
			for _, a := range b.Attrs {
				if a.Line <= b.Line || (b.EndLine != 0 && a.Line >= b.EndLine) {
					t.Errorf("attribute at line %d outside its block %d..%d", a.Line, b.Line, b.EndLine)
				}
				inRange("attribute", a.Line)
				if a.Op != "=" && a.Op != "+=" && a.Op != "-=" {
					t.Errorf("attribute at line %d has operator %q", a.Line, a.Op)
				}
			}
			if b.Name == "" && file.Defaults != nil && b.Line != file.Defaults.Line {
				t.Errorf("service block at line %d has no name", b.Line)
			}
			_ = file.ServiceDisabled(b)
			_, _ = b.Port(), b.RPCNumber()
		}
		for _, inc := range file.Includes {
			inRange("include", inc.Line)
		}
		if got, want := file.Bytes(), normalize(in); !bytes.Equal(got, want) {
			t.Errorf("Bytes() = %q, want %q", got, want)
		}
		for _, pe := range parse.List(err) {
			var target *parse.Error
			if !errors.As(pe, &target) || pe.Line < 1 || pe.Line > n || pe.File != "xinetd.conf" {
				t.Errorf("error %v: want a *parse.Error within 1..%d", pe, n)
			}
		}
	})
}
