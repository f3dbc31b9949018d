package sendmailcf

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"bastion/internal/parse/parsetest"
)

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
		if got, want := file.Bytes(), parsetest.Normalize(in); !bytes.Equal(got, want) {
			t.Errorf("Bytes() = %q, want %q", got, want)
		}
		parsetest.CheckErrors(t, err, "sendmail.cf", n)
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
		if got, want := m.Bytes(), parsetest.Normalize(in); !bytes.Equal(got, want) {
			t.Errorf("Bytes() = %q, want %q", got, want)
		}
		parsetest.CheckErrors(t, err, "sendmail.mc", n)
	})
}
