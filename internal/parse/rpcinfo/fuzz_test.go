package rpcinfo

import (
	"errors"
	"strings"
	"testing"

	"bastion/internal/parse"
)

func FuzzParse(f *testing.F) {
	f.Add(linux)
	f.Add(aix)
	f.Add("rpcinfo: can't contact portmapper: RPC: Remote system error - Connection refused\n")
	f.Add("    100000    4   tcp  70000  portmapper\n\n    100000\n")
	f.Fuzz(func(t *testing.T, in string) {
		entries, err := Parse(strings.NewReader(in), "fuzz")
		nLines := len(parse.SplitLines([]byte(in)))
		for _, e := range entries {
			if e.Line < 1 || e.Line > nLines {
				t.Errorf("entry line %d outside 1..%d", e.Line, nLines)
			}
			if e.Port < 0 || e.Port > 65535 {
				t.Errorf("port %d out of range", e.Port)
			}
			if e.Program < 0 || e.Version < 0 || e.Proto == "" {
				t.Errorf("bad entry %+v", e)
			}
		}
		for _, e := range parse.List(err) {
			var pe *parse.Error
			if !errors.As(e, &pe) || pe.File != "fuzz" {
				t.Errorf("error %v is not a *parse.Error of the file", e)
				continue
			}
			if pe.Line < 1 || pe.Line > nLines {
				t.Errorf("error line %d outside 1..%d: %v", pe.Line, nLines, e)
			}
		}
	})
}
