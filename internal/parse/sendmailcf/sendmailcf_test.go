package sendmailcf

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"

	"bastion/internal/parse"
)

func readFixture(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func parseFixture(t *testing.T, name string) *File {
	t.Helper()
	text := readFixture(t, name)
	f, err := Parse(strings.NewReader(text), "/etc/mail/sendmail.cf")
	if err != nil {
		t.Fatalf("Parse(%s): %v", name, err)
	}
	if got := string(f.Bytes()); got != text {
		t.Errorf("Bytes() does not give %s back", name)
	}
	return f
}

// opt builds an option set on one line.
func opt(line int, name, value string) Option {
	return Option{Line: line, EndLine: line, Name: name, Value: value}
}

func TestParseLinux(t *testing.T) {
	f := parseFixture(t, "linux.cf")

	if f.Version != "10/Berkeley" {
		t.Errorf("Version = %q, want 10/Berkeley", f.Version)
	}
	wantOpts := []Option{
		{Line: 27, EndLine: 27, Name: "DontBlameSendmail", Value: "safe", Commented: true},
		opt(66, "AliasFile", "/etc/mail/aliases"),
		opt(69, "DaemonPortOptions", "Port=smtp,Addr=127.0.0.1, Name=MTA"),
		opt(70, "DaemonPortOptions", "Port=submission, Name=MSA, M=Ea"),
		opt(73, "PrivacyOptions", "authwarnings,novrfy,noexpn,restrictqrun"),
		opt(76, "HelpFile", "/etc/mail/helpfile"),
		opt(79, "LogLevel", "9"),
		opt(82, "SmtpGreetingMessage", "$j Sendmail $v/$Z; $b"),
		{Line: 85, EndLine: 85, Name: "Timeout.initial", Value: "5m", Commented: true},
		opt(86, "Timeout.connect", "1m"),
	}
	if diff := cmp.Diff(wantOpts, f.Options); diff != "" {
		t.Errorf("options (-want +got):\n%s", diff)
	}

	wantClasses := []Class{
		{Line: 29, EndLine: 29, Name: "w", Words: []string{"localhost"}},
		{Line: 31, EndLine: 31, Name: "w", File: "/etc/mail/local-host-names", Format: "%[^#]"},
		{Line: 40, EndLine: 40, Name: "O", Words: []string{"@", "%", "!"}},
		{Line: 43, EndLine: 43, Name: ".", Words: []string{"."}},
		{Line: 46, EndLine: 46, Name: "Accept", Words: []string{"OK", "RELAY"}},
		{Line: 49, EndLine: 49, Name: "R", File: "/etc/mail/relay-domains", Optional: true, Format: "%[^#]"},
		{Line: 92, EndLine: 92, Name: "t", Words: []string{"root"}},
		{Line: 93, EndLine: 93, Name: "t", Words: []string{"daemon"}},
	}
	if diff := cmp.Diff(wantClasses, f.Classes); diff != "" {
		t.Errorf("classes (-want +got):\n%s", diff)
	}

	wantMacros := []Macro{
		{Line: 37, EndLine: 37, Name: "S"},
		{Line: 55, EndLine: 55, Name: "M"},
		{Line: 56, EndLine: 56, Name: "MTAHost", Value: "[127.0.0.1]"},
		{Line: 59, EndLine: 59, Name: "Z", Value: "8.18.1"},
	}
	if diff := cmp.Diff(wantMacros, f.Macros); diff != "" {
		t.Errorf("macros (-want +got):\n%s", diff)
	}

	wantFeatures := []Feature{
		{Line: 15, Name: "cfhead", File: "cfhead.m4", Version: "8.122"},
		{Line: 16, Name: "cf", File: "cf.m4", Version: "8.33"},
		{Line: 18, Name: "linux", File: "linux.m4", Version: "8.14"},
		{Line: 19, Name: "access_db", File: "access_db.m4", Version: "8.28"},
		{Line: 20, Name: "use_cw_file", File: "use_cw_file.m4", Version: "8.12"},
		{Line: 21, Name: "proto", File: "proto.m4", Version: "8.762"},
	}
	if diff := cmp.Diff(wantFeatures, f.Features); diff != "" {
		t.Errorf("features (-want +got):\n%s", diff)
	}

	wantMaps := []Map{{Line: 52, EndLine: 52, Name: "access", Type: "hash",
		Args: []string{"-T<TMPF>", "-o", "/etc/mail/access.db"}}}
	if diff := cmp.Diff(wantMaps, f.Maps); diff != "" {
		t.Errorf("maps (-want +got):\n%s", diff)
	}

	wantRulesets := []Ruleset{
		{Line: 108, Name: "canonify", Number: "3"},
		{Line: 114, Name: "check_rcpt"},
		{Line: 118, Number: "0"},
	}
	if diff := cmp.Diff(wantRulesets, f.Rulesets); diff != "" {
		t.Errorf("rulesets (-want +got):\n%s", diff)
	}
	wantRules := []Rule{
		{Line: 111, EndLine: 111, Ruleset: "canonify", LHS: "$@", RHS: "$@ <@>"},
		{Line: 112, EndLine: 112, Ruleset: "canonify", LHS: "$*", RHS: "$: $1 <@>", Comment: "mark addresses"},
		{Line: 115, EndLine: 115, Ruleset: "check_rcpt", LHS: "$*", RHS: `$: $1 $| $>"Local_check_rcpt" $1`},
		{Line: 116, EndLine: 116, Ruleset: "check_rcpt", LHS: "$* $| $#$*", RHS: "$#$2"},
		{Line: 119, EndLine: 119, Ruleset: "0", LHS: "<@>", RHS: "$#local $: <@>", Comment: "special case error msgs"},
	}
	if diff := cmp.Diff(wantRules, f.Rules); diff != "" {
		t.Errorf("rules (-want +got):\n%s", diff)
	}

	wantMailers := []Mailer{
		{Line: 122, EndLine: 124, Name: "local", Text: strings.Join(f.Lines[121:124], "\n")},
		{Line: 125, EndLine: 127, Name: "prog", Text: strings.Join(f.Lines[124:127], "\n")},
	}
	if diff := cmp.Diff(wantMailers, f.Mailers); diff != "" {
		t.Errorf("mailers (-want +got):\n%s", diff)
	}

	// Lookups.
	if o, ok := f.Option("smtpgreetingmessage"); !ok || o.Line != 82 {
		t.Errorf("Option(smtpgreetingmessage) = %+v, %v; want line 82", o, ok)
	}
	if o, ok := f.Option("DaemonPortOptions"); !ok || o.Line != 70 {
		t.Errorf("Option(DaemonPortOptions) = %+v, %v; want the last, line 70", o, ok)
	}
	if got := f.AllOptions("DaemonPortOptions"); len(got) != 2 || got[0].Line != 69 {
		t.Errorf("AllOptions(DaemonPortOptions) = %+v, want lines 69 and 70", got)
	}
	if _, ok := f.Option("DontBlameSendmail"); ok {
		t.Error("Option(DontBlameSendmail) found a commented-out option")
	}
	if _, ok := f.Option("MaxMessageSize"); ok {
		t.Error("Option(MaxMessageSize) found an option that is not there")
	}
	if m, ok := f.Macro("Z"); !ok || m.Value != "8.18.1" {
		t.Errorf("Macro(Z) = %+v, %v", m, ok)
	}
	if _, ok := f.Macro("j"); ok {
		t.Error("Macro(j) found the commented-out #Dj line")
	}
	if got := f.Class("w"); len(got) != 2 || got[1].File != "/etc/mail/local-host-names" {
		t.Errorf("Class(w) = %+v", got)
	}
	if !f.HasFeature("access_db") || f.HasFeature("promiscuous_relay") {
		t.Errorf("HasFeature: access_db %v, promiscuous_relay %v; want true, false",
			f.HasFeature("access_db"), f.HasFeature("promiscuous_relay"))
	}
}

func TestParseAIX433Relay(t *testing.T) {
	f := parseFixture(t, "aix433-relay.cf")
	wantFeatures := []Feature{
		{Line: 13, Name: "cfhead", File: "cfhead.m4", Version: "8.23"},
		{Line: 14, Name: "cf", File: "cf.m4", Version: "8.29"},
		{Line: 16, Name: "aix4", File: "aix4.m4", Version: "8.9"},
		{Line: 17, Name: "generic", File: "generic.m4", Version: "8.10"},
		{Line: 18, Name: "promiscuous_relay", File: "promiscuous_relay.m4", Version: "8.2"},
		{Line: 19, Name: "accept_unresolvable_domains", File: "accept_unresolvable_domains.m4", Version: "8.6"},
		{Line: 20, Name: "proto", File: "proto.m4", Version: "8.243"},
	}
	if diff := cmp.Diff(wantFeatures, f.Features); diff != "" {
		t.Errorf("features (-want +got):\n%s", diff)
	}
	if !f.HasFeature("promiscuous_relay") {
		t.Error("HasFeature(promiscuous_relay) = false")
	}
	wantClasses := []Class{
		{Line: 26, EndLine: 26, Name: "w", File: "/etc/mail/sendmail.cw", Optional: true},
		{Line: 29, EndLine: 29, Name: "R", File: "/etc/mail/relay-domains", Optional: true},
	}
	if diff := cmp.Diff(wantClasses, f.Classes); diff != "" {
		t.Errorf("classes (-want +got):\n%s", diff)
	}
	if o, ok := f.Option("PrivacyOptions"); !ok || o.Value != "authwarnings" {
		t.Errorf("Option(PrivacyOptions) = %+v, %v", o, ok)
	}
	if f.Version != "8/Berkeley" {
		t.Errorf("Version = %q", f.Version)
	}
}

func TestParseForms(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want *File
	}{
		{
			name: "old single-letter options",
			in:   "OL9\nOp goaway\nOH/etc/sendmail.hf\nOg1\n",
			want: &File{Options: []Option{
				{Line: 1, EndLine: 1, Name: "L", Value: "9", Short: true},
				{Line: 2, EndLine: 2, Name: "p", Value: "goaway", Short: true},
				{Line: 3, EndLine: 3, Name: "H", Value: "/etc/sendmail.hf", Short: true},
				{Line: 4, EndLine: 4, Name: "g", Value: "1", Short: true},
			}},
		},
		{
			name: "trailing comments and escapes",
			in:   "O LogLevel=9 # raised for the audit\nO SmtpGreetingMessage=$j ready\\# 1\t# note\nDXa$#b#c\n",
			want: &File{
				Options: []Option{
					opt(1, "LogLevel", "9"),
					opt(2, "SmtpGreetingMessage", "$j ready# 1"),
				},
				Macros: []Macro{{Line: 3, EndLine: 3, Name: "X", Value: "a$#b"}},
			},
		},
		{
			name: "dollar dollar before a hash is a literal dollar",
			in:   "DXcost $$# note\n",
			want: &File{Macros: []Macro{{Line: 1, EndLine: 1, Name: "X", Value: "cost $$"}}},
		},
		{
			name: "continued option and class",
			in:   "O PrivacyOptions=goaway,\n\trestrictqrun # and this\nCw a\n  b\n",
			want: &File{
				Options: []Option{{Line: 1, EndLine: 2, Name: "PrivacyOptions", Value: "goaway,\n\trestrictqrun"}},
				Classes: []Class{{Line: 3, EndLine: 4, Name: "w", Words: []string{"a", "b"}}},
			},
		},
		{
			name: "long option without a value and spaces around equals",
			in:   "O HelpFile\nO LogLevel = 12\nO Timeout.queuewarn.normal=4h\n",
			want: &File{Options: []Option{
				opt(1, "HelpFile", ""),
				opt(2, "LogLevel", "12"),
				opt(3, "Timeout.queuewarn.normal", "4h"),
			}},
		},
		{
			name: "class and macro names in braces",
			in:   "C{w}host1\nD{j}mail.example.com\nCwhost2 host3\nD{daemon_flags}CC\n",
			want: &File{
				Classes: []Class{
					{Line: 1, EndLine: 1, Name: "w", Words: []string{"host1"}},
					{Line: 3, EndLine: 3, Name: "w", Words: []string{"host2", "host3"}},
				},
				Macros: []Macro{
					{Line: 2, EndLine: 2, Name: "j", Value: "mail.example.com"},
					{Line: 4, EndLine: 4, Name: "daemon_flags", Value: "CC"},
				},
			},
		},
		{
			name: "file class forms",
			in: "F{VirtHost}-o /etc/mail/virtual-domains\n" +
				"Fw|/usr/local/bin/list-hosts --all\n" +
				"F{Relay}@ldap:-k (objectClass=relay) -v cn\n" +
				"Fx\"/etc/mail/with space\" %s\n" +
				"Fy/etc/mail/back\\ slash\n" +
				"Fz/etc/mail/a\\b\n",
			want: &File{Classes: []Class{
				{Line: 1, EndLine: 1, Name: "VirtHost", File: "/etc/mail/virtual-domains", Optional: true},
				{Line: 2, EndLine: 2, Name: "w", File: "|/usr/local/bin/list-hosts"},
				{Line: 3, EndLine: 3, Name: "Relay", File: "@ldap:-k (objectClass=relay) -v cn"},
				{Line: 4, EndLine: 4, Name: "x", File: "/etc/mail/with space", Format: "%s"},
				{Line: 5, EndLine: 5, Name: "y", File: "/etc/mail/back slash"},
				{Line: 6, EndLine: 6, Name: "z", File: `/etc/mail/a\b`},
			}},
		},
		{
			name: "rules across several rulesets",
			in:   "S1\nR$*\t$@ $1\nSLocal_check_mail\nR$+\t\t$: $1\t\tkeep\nSfive=5\nR$*\t$#error\n",
			want: &File{
				Rulesets: []Ruleset{{Line: 1, Number: "1"}, {Line: 3, Name: "Local_check_mail"}, {Line: 5, Name: "five", Number: "5"}},
				Rules: []Rule{
					{Line: 2, EndLine: 2, Ruleset: "1", LHS: "$*", RHS: "$@ $1"},
					{Line: 4, EndLine: 4, Ruleset: "Local_check_mail", LHS: "$+", RHS: "$: $1", Comment: "keep"},
					{Line: 6, EndLine: 6, Ruleset: "five", LHS: "$*", RHS: "$#error"},
				},
			},
		},
		{
			name: "other line types are kept in Lines only",
			in: "Pbulk=-60\nH?D?Date: $a\nEPATH=/usr/bin\nQmqueue, P=/var/spool/mqueue\n" +
				"Xfilter, S=local:/run/filter.sock\n\n   \n",
			want: &File{},
		},
		{
			name: "comments that are not features",
			in: "#####  $Id$  #####\n#####  $Id: sendmail.mc,v 1.2 $  #####\n#####  setup for linux  #####\n" +
				"##### @(#)\n#O is for options\n#O =x\n# continued comment\n\tstill comment\n",
			want: &File{},
		},
		{
			name: "feature without a version",
			in:   "#####  $Id: nouucp.m4 $  #####\n",
			want: &File{Features: []Feature{{Line: 1, Name: "nouucp", File: "nouucp.m4"}}},
		},
		{
			name: "crlf and blank-only lines",
			in:   "O LogLevel=9\r\n  \r\nDZ8.18.1\r\n",
			want: &File{
				Options: []Option{opt(1, "LogLevel", "9")},
				Macros:  []Macro{{Line: 3, EndLine: 3, Name: "Z", Value: "8.18.1"}},
			},
		},
		{
			name: "leading blank-only lines",
			in:   "  \n\t\nDZ1\n",
			want: &File{Macros: []Macro{{Line: 3, EndLine: 3, Name: "Z", Value: "1"}}},
		},
	}
	ignore := cmp.FilterPath(func(p cmp.Path) bool {
		switch p.String() {
		case "Name", "Lines":
			return true
		}
		return false
	}, cmp.Ignore())
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(strings.NewReader(tt.in), "sendmail.cf")
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if diff := cmp.Diff(tt.want, got, ignore); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestOptionLookup(t *testing.T) {
	in := "OL9\nO LogLevel=12\nOp goaway\nO PrivacyOptions=restrictqrun\n#O HelpFile=/etc/mail/helpfile\nOH\nOg1\n"
	f, err := Parse(strings.NewReader(in), "sendmail.cf")
	if err != nil {
		t.Fatal(err)
	}
	if o, ok := f.Option("loglevel"); !ok || o.Value != "12" || o.Short {
		t.Errorf("Option(loglevel) = %+v, %v; want the long form on line 2", o, ok)
	}
	if o, ok := f.Option("L"); !ok || o.Line != 1 {
		t.Errorf("Option(L) = %+v, %v; want line 1", o, ok)
	}
	if got := f.AllOptions("PrivacyOptions"); len(got) != 2 || got[0].Name != "p" || got[1].Value != "restrictqrun" {
		t.Errorf("AllOptions(PrivacyOptions) = %+v", got)
	}
	if o, ok := f.Option("HelpFile"); !ok || o.Line != 6 || o.Value != "" {
		t.Errorf("Option(HelpFile) = %+v, %v; want OH on line 6", o, ok)
	}
	if o, ok := f.Option("g"); !ok || o.Long() != "" {
		t.Errorf("Option(g) = %+v, %v; want the letter with no long name", o, ok)
	}
	for _, tt := range []struct {
		o    Option
		want string
	}{
		{Option{Name: "p", Short: true}, "PrivacyOptions"},
		{Option{Name: "O", Short: true}, "DaemonPortOptions"},
		{Option{Name: "SmtpGreetingMessage"}, "SmtpGreetingMessage"},
		{Option{Name: "pp", Short: true}, ""},
		{Option{Name: "W", Short: true}, ""},
	} {
		if got := tt.o.Long(); got != tt.want {
			t.Errorf("%+v.Long() = %q, want %q", tt.o, got, tt.want)
		}
	}
	if got := (Ruleset{Name: "parse", Number: "0"}).ID(); got != "parse" {
		t.Errorf("ID() = %q, want parse", got)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		line string
		want string // the whole message for line 2
	}{
		{"unknown line type", "Zfoo", `sendmail.cf:2: unknown line type "Z"`},
		{"option without name", "O", "sendmail.cf:2: option line without a name"},
		{"option blank only", "O   ", "sendmail.cf:2: option line without a name"},
		{"option equals only", "O =9", "sendmail.cf:2: option line without a name"},
		{"option two blanks", "O  LogLevel=9", "sendmail.cf:2: more than one blank between O and the option name"},
		{"option tab", "O\tLogLevel=9", "sendmail.cf:2: tab after O: a long option name must follow one space"},
		{"option name with blank", "O Log Level=9", `sendmail.cf:2: bad option name "Log Level"`},
		{"option name with dash", "O Log-Level=9", `sendmail.cf:2: bad option name "Log-Level"`},
		{"option control letter", "O\x01x", `sendmail.cf:2: bad option letter "\x01"`},
		{"class without name", "C", "sendmail.cf:2: class line: missing name"},
		{"class blank name", "C w", "sendmail.cf:2: class line: missing name"},
		{"class unbalanced brace", "C{VirtHost a b", `sendmail.cf:2: class line: unbalanced { in name "{VirtHost a b"`},
		{"class empty braces", "C{}x", "sendmail.cf:2: class line: empty name {}"},
		{"class bad character", "C{a-b}x", `sendmail.cf:2: class line: bad character "-" in name {a-b}`},
		{"macro without name", "D", "sendmail.cf:2: macro line: missing name"},
		{"file class without name", "F", "sendmail.cf:2: file class line: missing name"},
		{"file class without file", "F{R}", "sendmail.cf:2: file class line without a file"},
		{"file class optional without file", "FR-o", "sendmail.cf:2: file class line without a file"},
		{"file class -o joined to path", "FR-o/etc/mail/relay-domains", "sendmail.cf:2: file class line without a file"},
		{"file class empty quoted file", `Fw"" %s`, "sendmail.cf:2: file class line without a file"},
		{"file class open quote", `Fw"/etc/mail/a b`, `sendmail.cf:2: unbalanced quote or backslash in file name "\"/etc/mail/a b"`},
		{"file class trailing backslash", `Fw/etc/mail/a\`, `sendmail.cf:2: unbalanced quote or backslash in file name "/etc/mail/a\\"`},
		{"mailer without name", "M, P=/bin/mail", "sendmail.cf:2: mailer line without a name"},
		{"mailer alone", "M", "sendmail.cf:2: mailer line without a name"},
		{"ruleset without name", "S", "sendmail.cf:2: ruleset line without a name or number"},
		{"ruleset bad name", "S9x", `sendmail.cf:2: bad ruleset "9x": want a number, a name or name=number`},
		{"ruleset bad number", "Sparse=zero", `sendmail.cf:2: bad ruleset "parse=zero": want a number, a name or name=number`},
		{"ruleset name with empty number", "Sparse=", `sendmail.cf:2: bad ruleset "parse=": want a number, a name or name=number`},
		{"ruleset number only after equals", "S=5", `sendmail.cf:2: bad ruleset "=5": want a number, a name or name=number`},
		{"ruleset bad character", "Scheck-rcpt", `sendmail.cf:2: bad ruleset "check-rcpt": want a number, a name or name=number`},
		{"rule without tab", "R$* $@ $1", "sendmail.cf:2: rule line without a tab after the pattern"},
		{"map without class", "Kaccess", "sendmail.cf:2: map line without a name and a class"},
		{"map alone", "K", "sendmail.cf:2: map line without a name and a class"},
		{"version not a number", "VBerkeley", `sendmail.cf:2: version line "VBerkeley" does not start with a number`},
		{"version empty", "V", `sendmail.cf:2: version line "V" does not start with a number`},
		{"precedence without equals", "Pbulk", "sendmail.cf:2: precedence line without '='"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := "Stest\n" + tt.line + "\nO LogLevel=9\n"
			f, err := Parse(strings.NewReader(in), "sendmail.cf")
			if f == nil {
				t.Fatalf("Parse returned no file (err %v)", err)
			}
			if err == nil {
				t.Fatalf("Parse: no error, want %q", tt.want)
			}
			if got := err.Error(); got != tt.want {
				t.Errorf("error = %q, want %q", got, tt.want)
			}
			list := parse.List(err)
			if len(list) != 1 || list[0].Line != 2 || list[0].File != "sendmail.cf" {
				t.Errorf("parse.List(err) = %+v, want one error at sendmail.cf:2", list)
			}
			// The good lines around the bad one are still read.
			if len(f.Rulesets) != 1 || len(f.Options) != 1 || f.Options[0].Line != 3 {
				t.Errorf("rulesets %+v, options %+v; want line 1 and line 3", f.Rulesets, f.Options)
			}
			if string(f.Bytes()) != in {
				t.Errorf("Bytes() = %q, want the input back", f.Bytes())
			}
		})
	}
}

func TestParseErrorsOutOfPlace(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"rule before any ruleset", "O LogLevel=9\nR$*\t$@ $1\n", "sendmail.cf:2: rule line before any S line"},
		{"indented first line", "\tA=mail -d $u\nO LogLevel=9\n", "sendmail.cf:1: indented line continues no line"},
		{"indented line after empty line", "O LogLevel=9\n\n \n\tA=mail -d $u\n", "sendmail.cf:4: indented line continues no line"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse(strings.NewReader(tt.in), "sendmail.cf")
			if f == nil || err == nil || err.Error() != tt.want {
				t.Fatalf("Parse = %v, %v; want error %q", f, err, tt.want)
			}
			if len(f.Options) != 1 {
				t.Errorf("options = %+v, want the good line", f.Options)
			}
		})
	}

	// Several bad lines are all reported, in order.
	in := "Zx\nO LogLevel=9\nR$*\t$@\nV\n"
	f, err := Parse(strings.NewReader(in), "sendmail.cf")
	var lines []int
	for _, e := range parse.List(err) {
		lines = append(lines, e.Line)
	}
	if diff := cmp.Diff([]int{1, 3, 4}, lines); diff != "" || len(f.Options) != 1 {
		t.Errorf("error lines (-want +got):\n%s\noptions %+v", diff, f.Options)
	}
}

func TestParseEmptyAndUnreadable(t *testing.T) {
	f, err := Parse(strings.NewReader(""), "sendmail.cf")
	if err != nil || f == nil || len(f.Options) != 0 || len(f.Bytes()) != 0 {
		t.Errorf("Parse(empty) = %+v, %v; want an empty file", f, err)
	}
	f, err = Parse(iotest.ErrReader(errors.New("input/output error")), "sendmail.cf")
	if f != nil || err == nil || !strings.HasPrefix(err.Error(), "sendmail.cf: ") {
		t.Errorf("Parse(failing reader) = %v, %v; want nil and an error naming the file", f, err)
	}
	m, err := ParseMC(iotest.ErrReader(errors.New("input/output error")), "sendmail.mc")
	if m != nil || err == nil || !strings.HasPrefix(err.Error(), "sendmail.mc: ") {
		t.Errorf("ParseMC(failing reader) = %v, %v; want nil and an error naming the file", m, err)
	}
	m, err = ParseMC(strings.NewReader(""), "sendmail.mc")
	if err != nil || m == nil || len(m.Calls) != 0 || len(m.Bytes()) != 0 {
		t.Errorf("ParseMC(empty) = %+v, %v; want an empty file", m, err)
	}
}
