package ss

import (
	"errors"
	"strings"
	"testing"

	"bastion/internal/parse"
)

func FuzzParse(f *testing.F) {
	f.Add(tulpn)
	f.Add("LISTEN 0      5         127.0.0.1:8081 0.0.0.0:* users:((\"python3\",pid=5483,fd=3))\n")
	f.Add("udp    UNCONN     0      0                      *:111                   *:*      users:((\"rpcbind\",1021,6))\r\n")
	f.Add("tcp   LISTEN 0      128          127.0.0.1:631        0.0.0.0:*    users:((\"tmux: server\",pid=1500,fd=6),(\"a,b\",pid=3,fd=4))\n")
	f.Add("u_str LISTEN 0      4096   /run/systemd/private 13541 * 0\nraw   UNCONN 0      0      *%enp1s0:58 *:*\n")
	f.Fuzz(func(t *testing.T, in string) {
		socks, err := Parse(strings.NewReader(in), "fuzz")
		nLines := len(parse.SplitLines([]byte(in)))
		for _, s := range socks {
			if s.Line < 1 || s.Line > nLines {
				t.Errorf("socket line %d outside 1..%d", s.Line, nLines)
			}
			if s.Port < 0 || s.Port > 65535 {
				t.Errorf("port %d out of range", s.Port)
			}
			if s.Local == "*" && s.LocalAddr.IsValid() {
				t.Errorf("wildcard %q with address %v", s.Local, s.LocalAddr)
			}
			for _, p := range s.Processes {
				if p.PID < 0 || p.FD < 0 {
					t.Errorf("process %+v with a negative number", p)
				}
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
