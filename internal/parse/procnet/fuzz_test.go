package procnet

import (
	"errors"
	"strings"
	"testing"

	"bastion/internal/parse"
)

func FuzzParse(f *testing.F) {
	for _, in := range []string{tcpTable, tcp6Table, udpTable, udp6Table} {
		f.Add(in, uint8(0))
		f.Add(in, uint8(1))
		f.Add(in, uint8(2))
		f.Add(in, uint8(3))
	}
	f.Add("0: 0100007f:0cea 00000000:0000 0a 00000000:00000000 00:00000000 00000000 0 0 1234", uint8(0))
	f.Add("   0: 00000000:0016 00000000:0000 0A\r\n\r\n", uint8(2))
	f.Fuzz(func(t *testing.T, in string, p uint8) {
		protos := []string{"tcp", "tcp6", "udp", "udp6"}
		proto := protos[int(p)%len(protos)]
		socks, err := Parse(strings.NewReader(in), "fuzz", proto)
		nLines := len(parse.SplitLines([]byte(in)))
		for _, s := range socks {
			if s.Line < 1 || s.Line > nLines {
				t.Errorf("socket line %d outside 1..%d", s.Line, nLines)
			}
			if s.Proto != proto {
				t.Errorf("socket proto %q, want %q", s.Proto, proto)
			}
			if s.Local.Addr().Is6() != strings.HasSuffix(proto, "6") || s.Remote.Addr().Is6() != strings.HasSuffix(proto, "6") {
				t.Errorf("%s socket with addresses %v and %v", proto, s.Local, s.Remote)
			}
			// Ports are uint16, so always within 0-65535.
			_ = s.Listening()
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
