package directive

import (
	"bytes"
	"strings"
	"testing"

	"bastion/internal/parse"
)

const conf = `# documentation search server
ServerRoot /usr/IMNSearch/httpdlite
Port 8080
  port	49213
<Directory /usr/docsearch/html>
</Directory>
`

func TestParse(t *testing.T) {
	f, err := Parse(strings.NewReader(conf), "httpdlite.conf")
	if err != nil {
		t.Fatal(err)
	}
	d, ok := f.Last("Port")
	if !ok || d.Value != "49213" || d.Line != 4 {
		t.Errorf("Last(Port) = %+v, %v", d, ok)
	}
	if _, ok := f.Last("Listen"); ok {
		t.Error("found a directive that is not there")
	}
	if len(f.Directives) != 5 {
		t.Errorf("got %d directives", len(f.Directives))
	}
	if !bytes.Equal(f.Bytes(), []byte(conf)) {
		t.Error("Bytes does not give the input back")
	}
}

func TestParseErrors(t *testing.T) {
	f, err := Parse(strings.NewReader("Port 80\n=bad\n9 lives\n"), "x.conf")
	if err == nil || !strings.Contains(err.Error(), "x.conf:2: ") || !strings.Contains(err.Error(), "x.conf:3: ") {
		t.Fatalf("err = %v", err)
	}
	if d, ok := f.Last("port"); !ok || d.Value != "80" {
		t.Errorf("good lines lost: %+v", f.Directives)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(conf))
	f.Add([]byte("Port\n\n#x\n<\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := Parse(bytes.NewReader(data), "f")
		if file == nil {
			t.Fatalf("nil file, err %v", err)
		}
		for _, d := range file.Directives {
			if d.Line < 1 || d.Line > len(file.Lines) {
				t.Fatalf("line %d out of range", d.Line)
			}
		}
		for _, e := range parse.List(err) {
			if e.Line < 1 || e.Line > len(file.Lines) {
				t.Fatalf("error line %d out of range", e.Line)
			}
		}
	})
}
