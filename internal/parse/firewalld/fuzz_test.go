package firewalld

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"bastion/internal/parse"
	"bastion/internal/parse/parsetest"
)

// checkErrors is parsetest.CheckErrors, except that an empty file may have
// an error of the whole file (line 0): it has no line to point at.
func checkErrors(t *testing.T, err error, name string, n int) {
	t.Helper()
	if n == 0 {
		for _, pe := range parse.List(err) {
			if pe.File != name || pe.Line != 0 {
				t.Errorf("error %v of an empty file: want one of the whole file", pe)
			}
		}
		return
	}
	parsetest.CheckErrors(t, err, name, n)
}

// FuzzParse feeds the same input to the three parsers: the XML ones share
// their reader, and firewalld.conf takes anything.
func FuzzParse(f *testing.F) {
	for _, name := range []string{"firewalld.conf", "public.xml", "backoffice.xml", "ssh.xml", "monitoring.xml"} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		want := parsetest.Normalize(in)

		c, err := ParseConf(bytes.NewReader(in), "firewalld.conf")
		if c == nil {
			t.Fatalf("ParseConf returned nothing (err %v)", err)
		}
		for _, s := range c.Settings {
			if s.Line < 1 || s.Line > len(c.Lines) || s.Key == "" {
				t.Errorf("bad setting %+v", s)
			}
		}
		_, _ = c.DefaultZone(), c.Backend()
		if got := c.Bytes(); !bytes.Equal(got, want) {
			t.Errorf("Conf.Bytes() = %q, want %q", got, want)
		}
		checkErrors(t, err, "firewalld.conf", len(c.Lines))

		z, err := ParseZone(bytes.NewReader(in), "zone.xml")
		if z == nil {
			t.Fatalf("ParseZone returned nothing (err %v)", err)
		}
		n := len(z.Lines)
		for _, r := range z.Rules {
			if r.Line < 1 || r.Line > n {
				t.Errorf("rule line %d outside 1..%d", r.Line, n)
			}
		}
		for _, p := range z.Ports {
			if lo, hi, ok := p.Range(); p.Line < 1 || p.Line > n || ok && (lo < 1 || hi > 65535 || lo > hi) {
				t.Errorf("bad port kept: %+v", p)
			}
		}
		for _, s := range z.Sources {
			_ = s.String()
		}
		_ = z.Reach("tcp", 22, map[string]*Service{"ssh": {Ports: []Port{{1, "22", "tcp"}}}})
		if got := z.Bytes(); !bytes.Equal(got, want) {
			t.Errorf("Zone.Bytes() = %q, want %q", got, want)
		}
		checkErrors(t, err, "zone.xml", n)

		s, err := ParseService(bytes.NewReader(in), "service.xml")
		if s == nil {
			t.Fatalf("ParseService returned nothing (err %v)", err)
		}
		_ = s.Opens("tcp", 22, map[string]*Service{"x": s})
		if got := s.Bytes(); !bytes.Equal(got, want) {
			t.Errorf("Service.Bytes() = %q, want %q", got, want)
		}
		checkErrors(t, err, "service.xml", len(s.Lines))
	})
}
