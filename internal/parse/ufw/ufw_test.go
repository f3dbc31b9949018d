package ufw

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"bastion/internal/parse"
)

func parseFixture(t *testing.T, name string) *File {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	f, err := Parse(strings.NewReader(string(data)), name)
	if err != nil {
		t.Fatalf("Parse(%s): %v", name, err)
	}
	if string(f.Bytes()) != string(data) {
		t.Errorf("Bytes() does not give %s back", name)
	}
	return f
}

func TestParseFixtures(t *testing.T) {
	conf := parseFixture(t, "ufw.conf")
	want := []Var{{5, "ENABLED", "yes"}, {8, "LOGLEVEL", "low"}}
	if diff := cmp.Diff(want, conf.Vars); diff != "" {
		t.Errorf("ufw.conf (-want +got):\n%s", diff)
	}
	if !conf.Enabled() {
		t.Error("Enabled() = false, want true")
	}

	def := parseFixture(t, "default-ufw")
	want = []Var{
		{5, "IPV6", "yes"},
		{8, "DEFAULT_INPUT_POLICY", "DROP"},
		{9, "DEFAULT_OUTPUT_POLICY", "ACCEPT"},
		{10, "DEFAULT_FORWARD_POLICY", "DROP"},
		{11, "DEFAULT_APPLICATION_POLICY", "SKIP"},
		{14, "MANAGE_BUILTINS", "no"},
		{17, "IPT_SYSCTL", "/etc/ufw/sysctl.conf"},
		{20, "IPT_MODULES", ""},
	}
	if diff := cmp.Diff(want, def.Vars); diff != "" {
		t.Errorf("default-ufw (-want +got):\n%s", diff)
	}
	if !def.IPv6() {
		t.Error("IPv6() = false, want true")
	}
	if p, ok := def.DefaultInputPolicy(); p != "DROP" || !ok {
		t.Errorf("DefaultInputPolicy() = %q, %v; want DROP, true", p, ok)
	}
	if p, ok := def.Policy("DEFAULT_APPLICATION_POLICY"); ok {
		t.Errorf("Policy(DEFAULT_APPLICATION_POLICY) = %q, true; SKIP is not a packet policy", p)
	}
}

func TestParseValues(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []Var
	}{
		{"bare", "ENABLED=yes\n", []Var{{1, "ENABLED", "yes"}}},
		{"double quotes", `DEFAULT_INPUT_POLICY="DROP"`, []Var{{1, "DEFAULT_INPUT_POLICY", "DROP"}}},
		{"single quotes", "IPT_MODULES='nf_conntrack_ftp nf_nat_ftp'\n", []Var{{1, "IPT_MODULES", "nf_conntrack_ftp nf_nat_ftp"}}},
		{"empty", "IPT_MODULES=\n", []Var{{1, "IPT_MODULES", ""}}},
		{"escapes in double quotes", `A="a\"b\\c\$d\ne"`, []Var{{1, "A", `a"b\c$d\ne`}}},
		{"backslash in a bare word", `A=a\ b`, []Var{{1, "A", "a b"}}},
		{"parts joined", `A="x"'y'z`, []Var{{1, "A", "xyz"}}},
		{"comment after the value", "ENABLED=no   # off for now\n", []Var{{1, "ENABLED", "no"}}},
		{"hash inside a word", "A=a#b\n", []Var{{1, "A", "a#b"}}},
		{"export and blanks", "  export\tIPV6=no\r\n", []Var{{1, "IPV6", "no"}}},
		{"expansion kept", "A=$HOME/x\n", []Var{{1, "A", "$HOME/x"}}},
		{"comments and blank lines", "#ENABLED=yes\n\n   # x=y\n", nil},
		{"repeated", "IPV6=no\nIPV6=yes\n", []Var{{1, "IPV6", "no"}, {2, "IPV6", "yes"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse(strings.NewReader(tt.in), "ufw.conf")
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if diff := cmp.Diff(tt.want, f.Vars, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("vars (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	in := strings.Join([]string{
		"ENABLED=yes",                // 1
		"ENABLED yes",                // 2: no '='
		"ENABLED =yes",               // 3: blank in the name
		"1X=2",                       // 4: name starts with a digit
		`DEFAULT_INPUT_POLICY="DROP`, // 5: open quote
		"A='x",                       // 6: open quote
		"ENABLED=yes no",             // 7: a command, not an assignment
		"A=$(id)",                    // 8: command substitution
		`A=b\`,                       // 9: trailing backslash
		"IPV6=yes",                   // 10
	}, "\n") + "\n"
	f, err := Parse(strings.NewReader(in), "/etc/default/ufw")
	if f == nil {
		t.Fatal("Parse returned no file")
	}
	want := []string{
		`/etc/default/ufw:2: not a NAME=value assignment: "ENABLED yes"`,
		`/etc/default/ufw:3: bad variable name "ENABLED "`,
		`/etc/default/ufw:4: bad variable name "1X"`,
		`/etc/default/ufw:5: unterminated double quote in the value of DEFAULT_INPUT_POLICY`,
		`/etc/default/ufw:6: unterminated single quote in the value of A`,
		`/etc/default/ufw:7: text after the value in the value of ENABLED`,
		`/etc/default/ufw:8: shell syntax ( in the value of A`,
		`/etc/default/ufw:9: backslash at the end of the line in the value of A`,
	}
	var got []string
	for _, e := range parse.List(err) {
		got = append(got, e.Error())
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]Var{{1, "ENABLED", "yes"}, {10, "IPV6", "yes"}}, f.Vars); diff != "" {
		t.Errorf("vars kept (-want +got):\n%s", diff)
	}
}

func TestSettings(t *testing.T) {
	tests := []struct {
		in          string
		enabled     bool
		ipv6        bool
		policy      string
		policyKnown bool
	}{
		{"", false, false, "", false},
		{"ENABLED=no\nIPV6=no\n", false, false, "", false},
		{"ENABLED=YES\nIPV6=Yes\nDEFAULT_INPUT_POLICY=accept\n", true, true, "ACCEPT", true},
		{"ENABLED=yes\nENABLED=no\n", false, false, "", false},
		{"ENABLED=true\nDEFAULT_INPUT_POLICY=\"DENY\"\n", false, false, "", false},
		{"DEFAULT_INPUT_POLICY='REJECT'\n", false, false, "REJECT", true},
	}
	for _, tt := range tests {
		f, err := Parse(strings.NewReader(tt.in), "ufw.conf")
		if err != nil {
			t.Fatalf("Parse(%q): %v", tt.in, err)
		}
		if got := f.Enabled(); got != tt.enabled {
			t.Errorf("%q: Enabled() = %v, want %v", tt.in, got, tt.enabled)
		}
		if got := f.IPv6(); got != tt.ipv6 {
			t.Errorf("%q: IPv6() = %v, want %v", tt.in, got, tt.ipv6)
		}
		if p, ok := f.DefaultInputPolicy(); p != tt.policy || ok != tt.policyKnown {
			t.Errorf("%q: DefaultInputPolicy() = %q, %v; want %q, %v", tt.in, p, ok, tt.policy, tt.policyKnown)
		}
	}
	f, _ := Parse(strings.NewReader("ENABLED=maybe\n"), "ufw.conf")
	if v, ok := f.Bool("ENABLED"); v || ok {
		t.Errorf("Bool(maybe) = %v, %v; want false, false", v, ok)
	}
	if _, ok := f.Get("LOGLEVEL"); ok {
		t.Error("Get(LOGLEVEL) found a variable that is not set")
	}
}

func TestParseUnreadable(t *testing.T) {
	f, err := Parse(iotest.ErrReader(errors.New("input/output error")), "ufw.conf")
	if f != nil {
		t.Errorf("Parse returned a file for an unreadable input")
	}
	var pe *parse.Error
	if !errors.As(err, &pe) || pe.File != "ufw.conf" || pe.Line != 0 {
		t.Errorf("error %v: want a *parse.Error for the whole file", err)
	}
}
