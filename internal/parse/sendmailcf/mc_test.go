package sendmailcf

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"bastion/internal/parse"
)

func parseMCFixture(t *testing.T, name string) *MC {
	t.Helper()
	text := readFixture(t, name)
	m, err := ParseMC(strings.NewReader(text), "/etc/mail/sendmail.mc")
	if err != nil {
		t.Fatalf("ParseMC(%s): %v", name, err)
	}
	if got := string(m.Bytes()); got != text {
		t.Errorf("Bytes() does not give %s back", name)
	}
	return m
}

// call builds a call on one line.
func call(line int, name string, args ...string) Call {
	return Call{Line: line, EndLine: line, Name: name, Args: args}
}

func TestParseMCLinux(t *testing.T) {
	m := parseMCFixture(t, "linux.mc")
	want := []Call{
		call(1, "divert", "-1"),
		call(4, "include", "/usr/share/sendmail-cf/m4/cf.m4"),
		call(5, "VERSIONID", "mail relay for the office"),
		call(6, "OSTYPE", "linux"),
		call(8, "define", "confSMTP_LOGIN_MSG", "$j; $b"),
		call(9, "define", "confDEF_USER_ID", "`8:12'"),
		{Line: 10, EndLine: 11, Name: "define", Args: []string{"confPRIVACY_FLAGS", "authwarnings,goaway,restrictqrun"}},
		call(12, "define", "confLOG_LEVEL", "9"),
		call(13, "undefine", "UUCP_RELAY"),
		call(14, "FEATURE", "no_default_msa", "dnl"),
		call(15, "FEATURE", "smrsh", "/usr/sbin/smrsh"),
		call(16, "FEATURE", "local_procmail", "", "procmail -t -Y -a $h -d $u"),
		call(17, "FEATURE", "access_db", "hash -T<TMPF> -o /etc/mail/access.db"),
		call(19, "DAEMON_OPTIONS", "Port=smtp,Addr=127.0.0.1, Name=MTA"),
		call(20, "MAILER", "smtp"),
		call(21, "MAILER", "procmail"),
		{Line: 22, EndLine: 22, Name: "LOCAL_CONFIG"},
	}
	if diff := cmp.Diff(want, m.Calls); diff != "" {
		t.Errorf("calls (-want +got):\n%s", diff)
	}
	if m.HasFeature("promiscuous_relay") {
		t.Error("HasFeature(promiscuous_relay) = true for a feature commented out with dnl")
	}
	if !m.HasFeature("access_db") {
		t.Error("HasFeature(access_db) = false")
	}
	if v, ok := m.Define("confSMTP_LOGIN_MSG"); !ok || v != "$j; $b" {
		t.Errorf("Define(confSMTP_LOGIN_MSG) = %q, %v", v, ok)
	}
	if v, ok := m.Define("confMAX_DAEMON_CHILDREN"); ok {
		t.Errorf("Define(confMAX_DAEMON_CHILDREN) = %q, true; want not defined", v)
	}
	if got := m.Find("MAILER"); len(got) != 2 || got[1].Arg(0) != "procmail" {
		t.Errorf("Find(MAILER) = %+v", got)
	}
}

func TestParseMCRelay(t *testing.T) {
	m := parseMCFixture(t, "relay.mc")
	want := []Call{
		call(1, "divert", "-1"),
		call(6, "divert", "0"),
		call(7, "include", "../m4/cf.m4"),
		call(8, "VERSIONID", "@(#)aix433.mc\t8.1 (Berkeley) 3/30/2000"),
		call(9, "OSTYPE", "aix43"),
		call(10, "DOMAIN", "generic"),
		call(11, "FEATURE", "mailertable"),
		call(12, "FEATURE", "promiscuous_relay"),
		call(13, "FEATURE", "accept_unresolvable_domains"),
		call(14, "MAILER", "local"),
		call(15, "MAILER", "smtp"),
	}
	if diff := cmp.Diff(want, m.Calls); diff != "" {
		t.Errorf("calls (-want +got):\n%s", diff)
	}
	if !m.HasFeature("promiscuous_relay") {
		t.Error("HasFeature(promiscuous_relay) = false")
	}
}

func TestParseMCForms(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []Call
	}{
		{"nested parentheses", "FOO(a (b, c) d, e)\n", []Call{call(1, "FOO", "a (b, c) d", "e")}},
		{"blanks before arguments dropped, after kept", "FEATURE( \n\t`x' , y )\n",
			[]Call{{Line: 1, EndLine: 2, Name: "FEATURE", Args: []string{"x ", "y "}}}},
		{"empty parentheses", "LOCAL_DOMAIN()\n", []Call{call(1, "LOCAL_DOMAIN", "")}},
		{"quotes nest", "define(`x', ``a' `b'')\n", []Call{call(1, "define", "x", "`a' `b'")}},
		{"quoted parts joined", "define(`conf'`X', a`,'b)\n", []Call{call(1, "define", "confX", "a,b")}},
		{"comment inside arguments", "define(x, a # note, c)\n)\n",
			[]Call{{Line: 1, EndLine: 2, Name: "define", Args: []string{"x", "a # note, c)\n"}}}},
		{"quoted text at top level is not a call", "`FEATURE(promiscuous_relay)'\n", nil},
		{"comment at top level", "# FEATURE(promiscuous_relay)\n", nil},
		{"dnl to end of line", "dnl FEATURE(promiscuous_relay)\nMAILER(smtp)", []Call{call(2, "MAILER", "smtp")}},
		{"dnl after digits", "8dnl FEATURE(x)\n", nil},
		{"longer word is not dnl", "xdnl FEATURE(x)\n", []Call{call(1, "FEATURE", "x")}},
		{"name and parenthesis must touch", "FEATURE (x)\n", nil},
		{"bare section macros", "LOCAL_RULE_0\nMAILER_DEFINITIONS\nLOCAL_config\nSOMETHING\n",
			[]Call{{Line: 1, EndLine: 1, Name: "LOCAL_RULE_0"}, {Line: 2, EndLine: 2, Name: "MAILER_DEFINITIONS"}}},
		{"stray closing quote", "it's FEATURE(x)\n", []Call{call(1, "FEATURE", "x")}},
		{"calls inside arguments are not listed", "ifdef(`X', `FEATURE(y)')\n", []Call{call(1, "ifdef", "X", "FEATURE(y)")}},
		{"crlf", "OSTYPE(linux)dnl\r\nMAILER(smtp)\r\n", []Call{call(1, "OSTYPE", "linux"), call(2, "MAILER", "smtp")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := ParseMC(strings.NewReader(tt.in), "sendmail.mc")
			if err != nil {
				t.Fatalf("ParseMC: %v", err)
			}
			if diff := cmp.Diff(tt.want, m.Calls); diff != "" {
				t.Errorf("calls (-want +got):\n%s", diff)
			}
		})
	}
}

func TestMCDefine(t *testing.T) {
	in := "define(`confLOG_LEVEL', `9')\ndefine(`confLOG_LEVEL', `14')\ndefine(`a', `1')\nundefine(`a')\ndefine(`b')\n"
	m, err := ParseMC(strings.NewReader(in), "sendmail.mc")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		want string
		ok   bool
	}{
		{"confLOG_LEVEL", "14", true},
		{"a", "", false},
		{"b", "", true},
		{"c", "", false},
	} {
		if v, ok := m.Define(tt.name); v != tt.want || ok != tt.ok {
			t.Errorf("Define(%s) = %q, %v; want %q, %v", tt.name, v, ok, tt.want, tt.ok)
		}
	}
	if got := (Call{Args: []string{"x"}}).Arg(1); got != "" {
		t.Errorf("Arg(1) = %q, want empty", got)
	}
	if got := (Call{Args: []string{"x"}}).Arg(-1); got != "" {
		t.Errorf("Arg(-1) = %q, want empty", got)
	}
}

func TestParseMCErrors(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"open quote at top level", "MAILER(smtp)\n`FEATURE(x)\nMAILER(local)\n", "sendmail.mc:2: unterminated quote"},
		{"open quote in arguments", "MAILER(smtp)\ndefine(`x',\n `abc)\nMAILER(local)\n",
			"sendmail.mc:3: unterminated quote in the arguments of define"},
		{"open parenthesis", "MAILER(smtp)\nFEATURE(x\nMAILER(local)\n", "sendmail.mc:2: arguments of FEATURE not closed"},
		{"open inner parenthesis", "MAILER(smtp)\nFEATURE(x (y)\n", "sendmail.mc:2: arguments of FEATURE not closed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := ParseMC(strings.NewReader(tt.in), "sendmail.mc")
			if m == nil {
				t.Fatalf("ParseMC returned no file (err %v)", err)
			}
			if err == nil || err.Error() != tt.want {
				t.Fatalf("error = %v, want %q", err, tt.want)
			}
			list := parse.List(err)
			if len(list) != 1 || list[0].File != "sendmail.mc" {
				t.Errorf("parse.List(err) = %+v, want one error", list)
			}
			// What came before the bad text is still returned.
			if len(m.Calls) != 1 || m.Calls[0].Name != "MAILER" || m.Calls[0].Line != 1 {
				t.Errorf("calls = %+v, want MAILER on line 1", m.Calls)
			}
			if string(m.Bytes()) != tt.in {
				t.Errorf("Bytes() = %q, want the input back", m.Bytes())
			}
		})
	}
}
