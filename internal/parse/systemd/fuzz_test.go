package systemd

import (
	"errors"
	"strings"
	"testing"

	"bastion/internal/parse"
)

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		sshService, sshSocket, sshSocketDropIn, vsftpdService, telnetSocket,
		telnetService, cupsSocket, continuedService,
		"A=1\n[Unit\nB\n", "[]\nA=b\n", "[Service]\nExecStart=/bin/a \\\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		const name = "fuzz.service"
		u, err := Parse(strings.NewReader(in), name)
		if u == nil {
			t.Fatalf("Parse returned a nil unit with %v", err)
		}
		n := len(u.Lines)
		if got, want := string(u.Bytes()), normalise(in); got != want {
			t.Fatalf("Bytes() = %q, want %q", got, want)
		}
		prev := 0
		for _, s := range u.Sections {
			if s.Line < 1 || s.Line > n || s.Line <= prev {
				t.Fatalf("section %q at line %d of %d (after %d)", s.Name, s.Line, n, prev)
			}
			prev = s.Line
			for _, e := range s.Entries {
				if e.Line <= prev || e.End < e.Line || e.End > n {
					t.Fatalf("entry %q at lines %d-%d of %d (after %d)", e.Key, e.Line, e.End, n, prev)
				}
				prev = e.End
				if e.Key == "" || e.Key != strings.Trim(e.Key, space) || e.Value != strings.Trim(e.Value, space) {
					t.Fatalf("entry %q=%q not trimmed", e.Key, e.Value)
				}
				// The value readers must cope with anything.
				ExecArgv(e.Value)
				if l, err := ParseListen(e.Value); err == nil {
					if !l.Unix && !l.Vsock && (l.Port < 1 || l.Port > 65535) {
						t.Fatalf("ParseListen(%q) = port %d", e.Value, l.Port)
					}
				}
				u.Values(s.Name, e.Key)
			}
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
	})
}
