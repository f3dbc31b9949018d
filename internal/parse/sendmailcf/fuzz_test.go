package sendmailcf

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
	if len(in) == 0 {
		return nil
	}
	var out []byte
	for _, l := range bytes.SplitAfter(in, []byte("\n")) {
		if len(l) == 0 {
			continue
		}
		l = bytes.TrimSuffix(l, []byte("\n"))
		l = bytes.TrimSuffix(l, []byte("\r"))
		out = append(out, l...)
		out = append(out, '\n')
	}
	return out
}

// checkErrors fails unless every error in err is a *parse.Error for file
// name at a line within 1..n.
func checkErrors(t *testing.T, err error, name string, n int) {
	t.Helper()
	for _, pe := range parse.List(err) {
		var target *parse.Error
		if !errors.As(pe, &target) || pe.Line < 1 || pe.Line > n || pe.File != name {
			t.Errorf("error %v: want a *parse.Error of %s within 1..%d", pe, name, n)
		}
	}
}

// checkSpan fails unless 1 <= line <= end <= n.
func checkSpan(t *testing.T, what string, line, end, n int) {
	t.Helper()
	if line < 1 || end < line || end > n {
		t.Errorf("%s lines %d..%d outside 1..%d", what, line, end, n)
	}
}

func addFixtures(f *testing.F, names ...string) {
	for _, name := range names {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
}

func FuzzParse(f *testing.F) {
	addFixtures(f, "linux.cf", "aix433-relay.cf")
	for _, s := range []string{
		"OL9\r\nOp goaway\r\nO SmtpGreetingMessage=$j Sendmail $v/$Z; $b # x\\#\n",
		"C{w}a b\n\tc\nF{R}-o \"/etc/mail/a b\" %[^\\#]\nFw|/bin/x y\nFx@ldap:-k x\n",
		"Scheck_rcpt\nR$*\t\t$#error $@ 5.7.1\t\tdeny\nSparse=0\nR$+\t$: $1\n",
		"#####  @(#)promiscuous_relay.m4\t8.2 (Berkeley) 5/19/1998  #####\n#O HelpFile=/x\n",
		"\n\tx\n  \nZ\nV\nK\nD{\nC{}\nR\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		file, err := Parse(bytes.NewReader(in), "sendmail.cf")
		if file == nil {
			t.Fatalf("Parse returned no file (err %v)", err)
		}
		n := len(file.Lines)
		for _, o := range file.Options {
			checkSpan(t, "option", o.Line, o.EndLine, n)
			_ = o.Long()
			if o.Name == "" {
				t.Errorf("option with no name at line %d", o.Line)
			}
		}
		for _, c := range file.Classes {
			checkSpan(t, "class", c.Line, c.EndLine, n)
		}
		for _, m := range file.Macros {
			checkSpan(t, "macro", m.Line, m.EndLine, n)
		}
		for _, m := range file.Mailers {
			checkSpan(t, "mailer", m.Line, m.EndLine, n)
		}
		for _, r := range file.Rules {
			checkSpan(t, "rule", r.Line, r.EndLine, n)
		}
		for _, m := range file.Maps {
			checkSpan(t, "map", m.Line, m.EndLine, n)
		}
		for _, r := range file.Rulesets {
			checkSpan(t, "ruleset", r.Line, r.Line, n)
		}
		for _, ft := range file.Features {
			checkSpan(t, "feature", ft.Line, ft.Line, n)
			_ = file.HasFeature(ft.Name)
		}
		_, _ = file.Option("LogLevel")
		if got, want := file.Bytes(), normalize(in); !bytes.Equal(got, want) {
			t.Errorf("Bytes() = %q, want %q", got, want)
		}
		checkErrors(t, err, "sendmail.cf", n)
	})
}

func FuzzParseMC(f *testing.F) {
	addFixtures(f, "linux.mc", "relay.mc")
	for _, s := range []string{
		"define(`x', ``a' `b'')dnl\r\nFOO(a (b, c) d, e)\n",
		"define(x, a # note, c)\n)\nLOCAL_CONFIG\nCwx\n",
		"`open\nFEATURE(`x\n",
		"FEATURE(x (y)\n8dnl\nxdnl(",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		m, err := ParseMC(bytes.NewReader(in), "sendmail.mc")
		if m == nil {
			t.Fatalf("ParseMC returned no file (err %v)", err)
		}
		n := len(m.Lines)
		for _, c := range m.Calls {
			checkSpan(t, "call", c.Line, c.EndLine, n)
			if c.Name == "" {
				t.Errorf("call with no name at line %d", c.Line)
			}
		}
		_ = m.HasFeature("promiscuous_relay")
		_, _ = m.Define("confSMTP_LOGIN_MSG")
		if got, want := m.Bytes(), normalize(in); !bytes.Equal(got, want) {
			t.Errorf("Bytes() = %q, want %q", got, want)
		}
		checkErrors(t, err, "sendmail.mc", n)
	})
}
