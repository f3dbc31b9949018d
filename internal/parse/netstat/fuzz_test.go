package netstat

import (
	"errors"
	"strings"
	"testing"

	"bastion/internal/parse"
)

func FuzzParse(f *testing.F) {
	f.Add(aix73)
	f.Add("Proto Recv-Q Send-Q  Local Address          Foreign Address        (state)\ntcp4       0      0  *.23                   *.*                    LISTEN\n")
	f.Add("F10002000008ABB0 tcp4       0      0  *.13               *.*                LISTEN\r\n")
	f.Add("f1000f0000140600 udp        0      0  *.111              *.*       IDLE\n")
	f.Fuzz(func(t *testing.T, in string) {
		socks, err := Parse(strings.NewReader(in), "fuzz")
		nLines := len(parse.SplitLines([]byte(in)))
		for _, s := range socks {
			if s.Line < 1 || s.Line > nLines {
				t.Errorf("socket line %d outside 1..%d", s.Line, nLines)
			}
			if s.LocalPort < 0 || s.LocalPort > 65535 || s.ForeignPort < 0 || s.ForeignPort > 65535 {
				t.Errorf("ports %d and %d out of range", s.LocalPort, s.ForeignPort)
			}
			if !s.TCP() && !s.UDP() {
				t.Errorf("protocol %q", s.Proto)
			}
			if s.UDP() && s.State != "" {
				t.Errorf("UDP socket with state %q", s.State)
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
