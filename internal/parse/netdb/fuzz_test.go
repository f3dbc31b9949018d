package netdb

import (
	"errors"
	"strings"
	"testing"

	"bastion/internal/parse"
)

func FuzzParseServices(f *testing.F) {
	for _, s := range []string{
		aixServices, netbaseServices,
		"ftp\nftp 21\nftp 21/\nftp /tcp\nftp -21/tcp\nbig 70000/tcp\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		const name = "services"
		s, err := ParseServices(strings.NewReader(in), name)
		if s == nil {
			t.Fatalf("ParseServices returned nil with %v", err)
		}
		n := len(s.Lines)
		if got, want := string(s.Bytes()), normalise(in); got != want {
			t.Fatalf("Bytes() = %q, want %q", got, want)
		}
		prev := 0
		for _, e := range s.Entries {
			if e.Line <= prev || e.Line > n {
				t.Fatalf("entry %q at line %d of %d (after %d)", e.Name, e.Line, n, prev)
			}
			prev = e.Line
			if e.Port < 0 || e.Port > 65535 || e.Name == "" || e.Proto == "" {
				t.Fatalf("bad entry %+v", e)
			}
			got, ok := s.ByPort(e.Port, e.Proto)
			if !ok || got.Line > e.Line || got.Port != e.Port || got.Proto != e.Proto {
				t.Fatalf("ByPort(%d, %q) = %+v, %v for %+v", e.Port, e.Proto, got, ok, e)
			}
			got, ok = s.ByName(e.Name, "")
			if !ok || got.Line > e.Line {
				t.Fatalf("ByName(%q) = %+v, %v for %+v", e.Name, got, ok, e)
			}
		}
		checkErrors(t, err, name, n)
	})
}

func FuzzParseRPC(f *testing.F) {
	for _, s := range []string{
		rpcFile,
		"portmapper\nneg -1\nbig 4294967296\nmax 4294967295 top\r\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		const name = "rpc"
		r, err := ParseRPC(strings.NewReader(in), name)
		if r == nil {
			t.Fatalf("ParseRPC returned nil with %v", err)
		}
		n := len(r.Lines)
		if got, want := string(r.Bytes()), normalise(in); got != want {
			t.Fatalf("Bytes() = %q, want %q", got, want)
		}
		prev := 0
		for _, e := range r.Entries {
			if e.Line <= prev || e.Line > n {
				t.Fatalf("entry %q at line %d of %d (after %d)", e.Name, e.Line, n, prev)
			}
			prev = e.Line
			if e.Number < 0 || e.Number > 1<<32-1 || e.Name == "" {
				t.Fatalf("bad entry %+v", e)
			}
			got, ok := r.ByNumber(e.Number)
			if !ok || got.Line > e.Line || got.Number != e.Number {
				t.Fatalf("ByNumber(%d) = %+v, %v for %+v", e.Number, got, ok, e)
			}
			got, ok = r.ByName(e.Name)
			if !ok || got.Line > e.Line {
				t.Fatalf("ByName(%q) = %+v, %v for %+v", e.Name, got, ok, e)
			}
		}
		checkErrors(t, err, name, n)
	})
}

// checkErrors fails unless every error within err is a *parse.Error for a
// line of the file.
func checkErrors(t *testing.T, err error, name string, lines int) {
	t.Helper()
	for _, e := range parse.List(err) {
		if e.File != name || e.Line < 1 || e.Line > lines {
			t.Fatalf("error %q outside the file (%d lines)", e, lines)
		}
		var pe *parse.Error
		if !errors.As(e, &pe) {
			t.Fatalf("error %q is not a *parse.Error", e)
		}
	}
}
