package syslogconf

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"bastion/internal/parse"
)

// normalize is what Bytes must give back for input: line endings made
// "\n", and a final newline added to a last line without one.
func normalize(in []byte) []byte {
	return parse.JoinLines(parse.SplitLines(in))
}

func FuzzParse(f *testing.F) {
	for _, name := range []string{"aix-default.conf", "aix-hardened.conf", "debian-rsyslog.conf", "rhel-rsyslog.conf"} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, s := range []string{
		"*.*;auth,authpriv.none\t-/var/log/syslog\n& stop\n",
		"if $msg contains 'x' then {\n action(type=\"omfile\" file=\"/x\")\n} else /y\n",
		"module(load=\"imudp\") input(type=\"imudp\" port=[\"514\", \"10514\"])\n",
		":msg, contains, \"a\\\"b\" @@[::1]:514\n/* open",
		"template(name=\"t\" type=\"list\") {\n property(name=\"msg\")\n",
		"$RuleSet r\r\n*.=info;mail.!err\t|/dev/xconsole\r\nruleset(name=\"r\"\n)\n{ }\n",
		"*.=debug;\\\n\tauth,authpriv.none;\\\n\tmail.none\t-/var/log/debug\nlocal0.*;\\\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		const name = "rsyslog.conf"
		file, err := Parse(bytes.NewReader(in), name)
		if file == nil {
			t.Fatalf("Parse returned no file (err %v)", err)
		}
		n := len(file.Lines)
		inRange := func(what string, l int) {
			if l < 1 || l > n {
				t.Errorf("%s line %d outside 1..%d", what, l, n)
			}
		}
		for _, r := range file.Rules {
			inRange("rule", r.Line)
			inRange("rule end", r.EndLine)
			if r.EndLine < r.Line {
				t.Errorf("rule at line %d ends at line %d", r.Line, r.EndLine)
			}
			if r.Kind == "" {
				t.Errorf("rule at line %d has no kind", r.Line)
			}
			if r.Port < 0 || r.Port > 65535 {
				t.Errorf("rule at line %d has port %d", r.Line, r.Port)
			}
			_ = r.Matches("auth", "info")
			_ = r.Matches("*", "debug")
		}
		for _, d := range file.Directives {
			inRange("directive", d.Line)
		}
		for _, m := range file.Modules {
			inRange("module", m.Line)
		}
		for _, in := range file.Inputs {
			inRange("input", in.Line)
		}
		for _, inc := range file.Includes {
			inRange("include", inc.Line)
		}
		for _, b := range file.Blocks {
			inRange("block", b.Line)
			inRange("block end", b.EndLine)
			if b.EndLine < b.Line {
				t.Errorf("block at line %d ends at line %d", b.Line, b.EndLine)
			}
		}
		if got, want := file.Bytes(), normalize(in); !bytes.Equal(got, want) {
			t.Errorf("Bytes() = %q, want %q", got, want)
		}
		for _, pe := range parse.List(err) {
			var target *parse.Error
			if !errors.As(pe, &target) || pe.Line < 1 || pe.Line > n || pe.File != name {
				t.Errorf("error %v: want a *parse.Error within 1..%d", pe, n)
			}
		}
	})
}
