package lslpp

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"bastion/internal/parse"
)

// checkErr asserts that err holds only *parse.Error values naming file and a
// line within the n lines of the input.
func checkErr(t *testing.T, err error, file string, n int) {
	t.Helper()
	for _, e := range parse.List(err) {
		var pe *parse.Error
		if !errors.As(e, &pe) || pe.Err == nil {
			t.Fatalf("error %v is not a *parse.Error", e)
		}
		if pe.File != file {
			t.Errorf("error %v names file %q, want %q", pe, pe.File, file)
		}
		if pe.Line < 1 || pe.Line > n {
			t.Errorf("error %v: line %d outside 1..%d", pe, pe.Line, n)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(lslppW))
	f.Add([]byte(lslppWMixed))
	f.Add([]byte(lslppWC))
	f.Add([]byte("  /a b  x.rte  File\n/opt/a:b:x.rte:File\n/x::File\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		owners, err := Parse(bytes.NewReader(data), "lslpp-w")
		n := len(parse.SplitLines(data))
		checkErr(t, err, "lslpp-w", n)
		prev := 0
		for _, o := range owners {
			if o.Line <= prev || o.Line > n {
				t.Errorf("owner %q at line %d (previous %d, %d lines)", o.Path, o.Line, prev, n)
			}
			prev = o.Line
			if !strings.HasPrefix(o.Path, "/") || o.Fileset == "" || o.Type == "" {
				t.Errorf("incomplete owner %+v", o)
			}
		}
	})
}

func FuzzParseL(f *testing.F) {
	f.Add([]byte(lslppLc))
	f.Add([]byte("bos.net:bos.net.tcp.ftpd:5.3.12.0:B: : : :TCP/IP ftp\r\nlslpp: 0504-132  Fileset x not installed.\r\n"))
	f.Add([]byte("a:b:c:d\n: : : : : : : \n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		sets, err := ParseL(bytes.NewReader(data), "lslpp-Lc")
		n := len(parse.SplitLines(data))
		checkErr(t, err, "lslpp-Lc", n)
		prev := 0
		for _, s := range sets {
			if s.Line <= prev || s.Line > n {
				t.Errorf("fileset %q at line %d (previous %d, %d lines)", s.Name, s.Line, prev, n)
			}
			prev = s.Line
			if s.Name == "" || s.Level == "" {
				t.Errorf("incomplete fileset %+v", s)
			}
		}
	})
}
