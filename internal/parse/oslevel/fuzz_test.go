package oslevel

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"bastion/internal/parse"
)

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"4.3.3.0\n", "7.2.0.0\n", "7200-05-03-2148\n", "5300-12\n", "4330-08\n",
		"6100-06-CSP-1216\n", "\r\n7300-02-01-2346\r\n", "7200-05--2148\n", "oslevel: not found\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		n := len(parse.SplitLines(data))
		for _, parser := range []func([]byte) (Level, error){
			func(b []byte) (Level, error) { return Parse(bytes.NewReader(b), "oslevel") },
			func(b []byte) (Level, error) { return ParseBosLevel(bytes.NewReader(b), "oslevel") },
		} {
			l, err := parser(data)
			if err != nil {
				for _, e := range parse.List(err) {
					var pe *parse.Error
					if !errors.As(e, &pe) || pe.Err == nil || pe.File != "oslevel" {
						t.Fatalf("error %v is not a *parse.Error for oslevel", e)
					}
					if pe.Line < 0 || pe.Line > n {
						t.Errorf("error %v: line %d outside 0..%d", pe, pe.Line, n)
					}
				}
				if l != (Level{}) {
					t.Errorf("level %+v returned with error %v", l, err)
				}
				continue
			}
			if l.Line < 1 || l.Line > n {
				t.Errorf("level at line %d outside 1..%d", l.Line, n)
			}
			if l.Raw == "" || l.Raw != strings.TrimSpace(l.Raw) || !bytes.Contains(data, []byte(l.Raw)) {
				t.Errorf("Raw %q not a trimmed part of the input", l.Raw)
			}
			if l.Form < Base || l.Form > SP || l.Version == "" {
				t.Errorf("incomplete level %+v", l)
			}
			if s := l.String(); !strings.HasPrefix(s, "AIX "+l.Version) {
				t.Errorf("String() = %q, want prefix AIX %s", s, l.Version)
			}
		}
	})
}
