package snmpconf

import (
	"bytes"
	"errors"
	"testing"

	"bastion/internal/parse"
	"bastion/internal/parse/parsetest"
)

// checkCommon checks what every parser of this package promises: lines in
// range, secret indexes within the fields, the text given back, and
// errors that are *parse.Error values at a line of the file.
func checkCommon(t *testing.T, name string, in []byte, lines []string, entries []Entry, bytesOut []byte, err error) {
	t.Helper()
	n := len(lines)
	for _, e := range entries {
		if e.Keyword == "" {
			t.Errorf("entry with no keyword at line %d", e.Line)
		}
		if e.Line < 1 || e.Line > n {
			t.Errorf("entry line %d outside 1..%d", e.Line, n)
		}
		for _, i := range e.Secret {
			if i < 0 || i >= len(e.Fields) {
				t.Errorf("entry at line %d: secret index %d outside its %d fields", e.Line, i, len(e.Fields))
			}
		}
		_ = e.String()
		_ = e.GoString()
	}
	if want := parsetest.Normalize(in); !bytes.Equal(bytesOut, want) {
		t.Errorf("Bytes() = %q, want %q", bytesOut, want)
	}
	for _, pe := range parse.List(err) {
		var target *parse.Error
		if !errors.As(pe, &target) || pe.Line < 1 || pe.Line > n || pe.File != name {
			t.Errorf("error %v: want a *parse.Error of %s within 1..%d", pe, name, n)
		}
	}
}

func inRange(t *testing.T, what string, line, n int) {
	t.Helper()
	if line < 1 || line > n {
		t.Errorf("%s line %d outside 1..%d", what, line, n)
	}
}

func FuzzParseV1(f *testing.F) {
	for _, name := range []string{"aix-snmpd.conf", "aix-snmpd-hardened.conf"} {
		f.Add(readFixture(f, name))
	}
	f.Add([]byte(badV1))
	f.Add([]byte("community\ncommunity a 2001:db8:: 129 none\r\nview x\nsmux 1. p\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		file, err := ParseV1(bytes.NewReader(in), "snmpd.conf")
		if file == nil {
			t.Fatalf("ParseV1 returned no file (err %v)", err)
		}
		checkCommon(t, "snmpd.conf", in, file.Lines, file.Entries, file.Bytes(), err)
		n := len(file.Lines)
		for _, c := range file.Communities {
			inRange(t, "community", c.Line, n)
			if c.Name == "" || c.Address == "" || c.Mask == "" || accessModes[lower(c.Access)] != c.Access {
				t.Errorf("community %#v has an empty or odd field", c)
			}
			_ = c.String()
		}
		for _, v := range file.Views {
			inRange(t, "view", v.Line, n)
		}
		for _, tr := range file.Traps {
			inRange(t, "trap", tr.Line, n)
			_ = tr.String()
		}
		for _, s := range file.Smux {
			inRange(t, "smux", s.Line, n)
			_ = s.String()
		}
		_ = file.String()
	})
}

func FuzzParseV3(f *testing.F) {
	for _, name := range []string{"aix-snmpdv3.conf", "aix-snmpdv3-users.conf"} {
		f.Add(readFixture(f, name))
	}
	f.Add([]byte(badV3))
	f.Add([]byte("COMMUNITY - - - - - -\n*x\n #y\nsmux 1.3 p # c\nVACM_GROUP g SNMPv2c\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		file, err := ParseV3(bytes.NewReader(in), "snmpdv3.conf")
		if file == nil {
			t.Fatalf("ParseV3 returned no file (err %v)", err)
		}
		checkCommon(t, "snmpdv3.conf", in, file.Lines, file.Entries, file.Bytes(), err)
		n := len(file.Lines)
		for _, c := range file.Communities {
			inRange(t, "community", c.Line, n)
			_ = c.String()
			_ = c.GoString()
		}
		for _, s := range file.Smux {
			inRange(t, "smux", s.Line, n)
		}
		_ = file.String()
	})
}

func FuzzParseNetSNMP(f *testing.F) {
	for _, name := range []string{"debian-snmpd.conf", "rhel-snmpd.conf", "risky-snmpd.conf"} {
		f.Add(readFixture(f, name))
	}
	f.Add([]byte(badNetSNMP))
	f.Add([]byte("agentaddress [::1]:,udp6:::1,tcp:x:0\ncom2sec -Cn\nrouser -s\n'a\\'b' \"c\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		file, err := ParseNetSNMP(bytes.NewReader(in), "snmpd.conf")
		if file == nil {
			t.Fatalf("ParseNetSNMP returned no file (err %v)", err)
		}
		checkCommon(t, "snmpd.conf", in, file.Lines, file.Entries, file.Bytes(), err)
		n := len(file.Lines)
		for _, c := range file.Communities {
			inRange(t, "community", c.Line, n)
			_ = c.String()
			_ = c.AnySource()
		}
		for _, u := range file.Users {
			inRange(t, "user", u.Line, n)
		}
		for _, a := range file.AgentAddresses {
			inRange(t, "agent address", a.Line, n)
			if a.Port < 0 || a.Port > 65535 || a.Transport == "" {
				t.Errorf("agent address %#v: bad port or no transport", a)
			}
			_ = a.AllInterfaces()
			_ = a.Loopback()
		}
		for _, l := range file.Listening() {
			_ = l.AllInterfaces()
		}
		for _, s := range file.TrapSinks {
			inRange(t, "trap sink", s.Line, n)
			_ = s.String()
		}
		_ = file.String()
	})
}

func lower(s string) string { return string(bytes.ToLower([]byte(s))) }
