package lssrc

import (
	"errors"
	"strings"
	"testing"

	"bastion/internal/parse"
)

var fuzzSeeds = []string{
	all,
	longInetd,
	" inetd            tcpip            2490704      active\n aso                               7274836      active\n",
	"Subsystem         Group            PID          Status\r\n odd              42                            inoperative\r\n",
	"0513-085 The dhcpsd Subsystem is not on file.\n",
	"Service       Command                  Description              Status\n odd                                    odd  args                active\n ftp active\n",
}

// checkErrors checks that every error is a *parse.Error of the fuzz file
// with a line within the input.
func checkErrors(t *testing.T, err error, nLines int) {
	t.Helper()
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
}

func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		subs, err := Parse(strings.NewReader(in), "fuzz")
		nLines := len(parse.SplitLines([]byte(in)))
		for _, s := range subs {
			if s.Line < 1 || s.Line > nLines {
				t.Errorf("subsystem line %d outside 1..%d", s.Line, nLines)
			}
			if s.Name == "" || s.Status == "" || s.PID < 0 || isNumber(s.Status) {
				t.Errorf("bad subsystem %+v", s)
			}
		}
		checkErrors(t, err, nLines)
	})
}

func FuzzParseSubservers(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		subs, err := ParseSubservers(strings.NewReader(in), "fuzz")
		nLines := len(parse.SplitLines([]byte(in)))
		for _, s := range subs {
			if s.Line < 1 || s.Line > nLines {
				t.Errorf("subserver line %d outside 1..%d", s.Line, nLines)
			}
			if s.Service == "" || s.Status == "" || strings.TrimSpace(s.Description) != s.Description {
				t.Errorf("bad subserver %+v", s)
			}
		}
		checkErrors(t, err, nLines)
	})
}
