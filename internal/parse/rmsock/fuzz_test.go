package rmsock

import (
	"errors"
	"strings"
	"testing"

	"bastion/internal/parse"
)

func FuzzParse(f *testing.F) {
	f.Add(capture)
	f.Add("+ rmsock F1000F0000287BC0 tcpcb\r\nThe socket 0xF1000F0000287808 is being held by proccess 21496092 (sshd).\r\n")
	f.Add("rmsock f1000e000258d3b8 tcpcb\nsocket 0x258d008 is removed.\n")
	f.Add("$ /usr/sbin/rmsock 0xf1000f00002883c0 tcpcb 2>&1\nThe socket 0xf1000f0000288008 is being held by process 2490704 (my daemon (x)).\n")
	f.Add("It is not a socket\n# rmsock f1 tcp\nx\n")
	f.Fuzz(func(t *testing.T, in string) {
		holders, err := Parse(strings.NewReader(in), "fuzz")
		nLines := len(parse.SplitLines([]byte(in)))
		for _, h := range holders {
			if h.Line < 1 || h.Line > nLines {
				t.Errorf("holder line %d outside 1..%d", h.Line, nLines)
			}
			if h.PCB == "" || !kinds[h.Kind] {
				t.Errorf("holder without a command: %+v", h)
			}
			if h.PID < 0 || (h.PID != 0 && !h.Held) {
				t.Errorf("holder %+v with a PID but not held", h)
			}
			if !h.Held && h.Message == "" {
				t.Errorf("holder %+v neither held nor with a message", h)
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
