package sysvrc

import (
	"errors"
	"strings"
	"testing"

	"bastion/internal/parse"
)

func FuzzParseLSB(f *testing.F) {
	for _, s := range []string{
		debianSSH, debianVsftpd, debianRsync, redhatVsftpd, handWritten,
		"#!/bin/sh\n### BEGIN INIT INFO\n# Provides: portmap\n\nDAEMON=/sbin/portmap\n",
		"### BEGIN INIT INFO\n#\tstray\n# free text\nX: y\n### END INIT INFO\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		const name = "init.d/fuzz"
		h, err := ParseLSB(strings.NewReader(in), name)
		n := len(parse.SplitLines([]byte(in)))
		if h == nil {
			if err != nil {
				t.Fatalf("ParseLSB returned no header with %v", err)
			}
			if strings.Contains(in, beginMark) && strings.Count(in, "\n") < 1<<20 {
				for _, l := range parse.SplitLines([]byte(in)) {
					if strings.TrimSpace(l) == beginMark {
						t.Fatalf("block at %q missed", l)
					}
				}
			}
			return
		}
		if h.Line < 1 || h.Line > n {
			t.Fatalf("header at line %d of %d", h.Line, n)
		}
		if h.End != 0 && (h.End <= h.Line || h.End > n) {
			t.Fatalf("block %d-%d of %d lines", h.Line, h.End, n)
		}
		if (h.Daemon == "") != (h.DaemonLine == 0) || h.DaemonLine < 0 || h.DaemonLine > n {
			t.Fatalf("daemon %q at line %d of %d", h.Daemon, h.DaemonLine, n)
		}
		if h.Daemon != "" && !strings.HasPrefix(h.Daemon, "/") {
			t.Fatalf("daemon %q is not absolute", h.Daemon)
		}
		if h.Fields == nil {
			t.Fatal("nil Fields")
		}
		for _, e := range parse.List(err) {
			if e.File != name || e.Line < 1 || e.Line > n {
				t.Fatalf("error %q outside the file (%d lines)", e, n)
			}
			var pe *parse.Error
			if !errors.As(e, &pe) {
				t.Fatalf("error %q is not a *parse.Error", e)
			}
		}
		// The link and directory name parsers must cope with anything.
		if l, ok := ParseLinkName(in); ok && (l.Script == "" || l.Order < -1) {
			t.Fatalf("ParseLinkName(%q) = %+v", in, l)
		}
		ParseRunlevelDir(in)
	})
}
