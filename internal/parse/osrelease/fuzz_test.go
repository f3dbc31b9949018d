package osrelease

import (
	"bytes"
	"errors"
	"sort"
	"strings"
	"testing"

	"bastion/internal/parse"
)

// quote writes v in double quotes with the escapes os-release(5) allows.
func quote(v string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(v); i++ {
		if strings.IndexByte("\"\\$`", v[i]) >= 0 {
			b.WriteByte('\\')
		}
		b.WriteByte(v[i])
	}
	b.WriteByte('"')
	return b.String()
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(debian12))
	f.Add([]byte(rocky9))
	f.Add([]byte(sles15))
	f.Add([]byte("# c\n  NAME='Example OS'  \r\nPRETTY_NAME=\"a \\\"b\\\" \\$c \\n\"\nID=a\\ b\nX=\"u\nY='u\nZ=\"a\"b\n1A=x\nno\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rel, err := Parse(bytes.NewReader(data), "os-release")
		n := len(parse.SplitLines(data))
		for _, e := range parse.List(err) {
			var pe *parse.Error
			if !errors.As(e, &pe) || pe.Err == nil || pe.File != "os-release" {
				t.Fatalf("error %v is not a *parse.Error for os-release", e)
			}
			if pe.Line < 1 || pe.Line > n {
				t.Errorf("error %v: line %d outside 1..%d", pe, pe.Line, n)
			}
		}
		if rel == nil {
			t.Fatal("Parse() returned no Release for readable input")
		}
		for k, line := range rel.Lines {
			if line < 1 || line > n {
				t.Errorf("%s at line %d outside 1..%d", k, line, n)
			}
		}
		if len(rel.Lines) != len(rel.Fields) || rel.ID != rel.Fields["ID"] {
			t.Errorf("fields and lines disagree: %v %v", rel.Fields, rel.Lines)
		}
		// Writing the fields back, quoted, must give them again, unless
		// a value holds a line break, which os-release cannot carry on
		// one line.
		keys := make([]string, 0, len(rel.Fields))
		for k, v := range rel.Fields {
			if strings.ContainsAny(v, "\r\n") {
				return
			}
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var b strings.Builder
		for _, k := range keys {
			b.WriteString(k + "=" + quote(rel.Fields[k]) + "\n")
		}
		again, err := Parse(strings.NewReader(b.String()), "again")
		if err != nil {
			t.Fatalf("reparse of %q: %v", b.String(), err)
		}
		for _, k := range keys {
			// Leading and trailing space of a bare value is trimmed,
			// and quoting keeps it, so compare the values as parsed.
			if again.Fields[k] != rel.Fields[k] {
				t.Errorf("%s: %q became %q", k, rel.Fields[k], again.Fields[k])
			}
		}
	})
}

func FuzzParseRedHatRelease(f *testing.F) {
	for _, s := range []string{
		"Red Hat Enterprise Linux release 9.4 (Plow)",
		"CentOS Linux release 7.9.2009 (Core)",
		"Rocky Linux release 9.3 (Blue Onyx)",
		"CentOS Stream release 9",
		"release 9",
		"12.5",
		"bookworm/sid",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		name, version, ok := ParseRedHatRelease(s)
		if ok && (name == "" || version == "" || !strings.Contains(s, version) || !strings.Contains(s, name)) {
			t.Errorf("ParseRedHatRelease(%q) = %q, %q, true", s, name, version)
		}
		if !ok && (name != "" || version != "") {
			t.Errorf("ParseRedHatRelease(%q) = %q, %q, false", s, name, version)
		}
		version, codename, ok := ParseDebianVersion(s)
		if ok == (version == "" && codename == "") || (version != "" && codename != "") {
			t.Errorf("ParseDebianVersion(%q) = %q, %q, %v", s, version, codename, ok)
		}
	})
}
