package dpkg

import (
	"bytes"
	"errors"
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

func FuzzParseStatus(f *testing.F) {
	f.Add([]byte(statusBookworm))
	f.Add([]byte("Package: a1\nStatus: install ok installed\n \t\nPackage: b2\n"))
	f.Add([]byte("Status: install ok installed\n\n orphan\nbad line\nSource: a (1\n"))
	f.Add([]byte("Package: p\r\nPackage: q\r\n\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		pkgs, err := ParseStatus(bytes.NewReader(data), "status")
		n := len(parse.SplitLines(data))
		checkErr(t, err, "status", n)
		prev := 0
		for _, p := range pkgs {
			if p.Line < 1 || p.Line > n || p.Line <= prev {
				t.Errorf("package %q at line %d (previous %d, %d lines)", p.Name, p.Line, prev, n)
			}
			prev = p.Line
			if p.Name == "" {
				t.Errorf("package at line %d has no name", p.Line)
			}
		}
	})
}

func FuzzParseList(f *testing.F) {
	f.Add([]byte(listOpensshServer))
	f.Add([]byte("/.\nusr/bin/x\n\n/usr/bin/y\r\n/usr/bin/z"))
	f.Add([]byte("/.\n/usr/share/doc/x/a file with spaces\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		paths, err := ParseList(bytes.NewReader(data), "x.list")
		lines := parse.SplitLines(data)
		checkErr(t, err, "x.list", len(lines))
		if len(paths)+len(parse.List(err)) != len(lines) {
			t.Errorf("%d paths and %d errors for %d lines", len(paths), len(parse.List(err)), len(lines))
		}
		// ListContains must find exactly the listed paths it is asked for.
		var ask []string
		for i, p := range paths {
			if i%3 == 0 {
				ask = append(ask, p)
			}
		}
		ask = append(ask, "/usr/sbin/sshd")
		found, err := ListContains(bytes.NewReader(data), ask)
		if err != nil {
			t.Fatalf("ListContains() error = %v", err)
		}
		listed := map[string]bool{}
		for _, p := range paths {
			listed[p] = true
		}
		seen := map[string]bool{}
		for _, p := range found {
			if !listed[p] || seen[p] {
				t.Errorf("ListContains() found %q: listed %v, repeated %v", p, listed[p], seen[p])
			}
			seen[p] = true
		}
		for _, p := range ask {
			if listed[p] && !seen[p] {
				t.Errorf("ListContains() missed %q", p)
			}
		}
	})
}
