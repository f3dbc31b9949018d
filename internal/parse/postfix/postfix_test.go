package postfix

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
	f, err := Parse(strings.NewReader(text), "/etc/postfix/main.cf")
	if err != nil {
		t.Fatalf("Parse(%s): %v", name, err)
	}
	if got := string(f.Bytes()); got != text {
		t.Errorf("Bytes() does not give %s back", name)
	}
	return f
}

// param builds a parameter on one line.
func param(line int, name, value string) Param {
	return Param{Line: line, EndLine: line, Name: name, Value: value}
}

func TestParseMain(t *testing.T) {
	f := parseFixture(t, "main.cf")
	want := []Param{
		param(4, "compatibility_level", "3.6"),
		param(7, "myhostname", "mail.example.org"),
		param(8, "mydomain", "example.org"),
		param(9, "myorigin", "$mydomain"),
		param(10, "smtpd_banner", "$myhostname ESMTP $mail_name (Debian/GNU)"),
		param(13, "inet_interfaces", "all"),
		{Line: 14, EndLine: 15, Name: "mynetworks", Value: "127.0.0.0/8 [::1]/128\t192.0.2.0/24"},
		param(16, "mydestination", "$myhostname, localhost.$mydomain, localhost"),
		{Line: 18, EndLine: 23, Name: "smtpd_relay_restrictions",
			Value: "permit_mynetworks,    permit_sasl_authenticated,    defer_unauth_destination"},
		param(26, "smtpd_tls_cert_file", "/etc/ssl/certs/mail.pem"),
		param(27, "smtpd_tls_key_file", "/etc/ssl/private/mail.key"),
		param(28, "smtpd_tls_security_level", "may"),
		param(29, "smtp_tls_session_cache_database", "btree:${data_directory}/smtp_scache"),
		param(31, "alias_maps", "hash:/etc/aliases"),
		param(32, "disable_vrfy_command", "yes"),
	}
	if diff := cmp.Diff(want, f.Params); diff != "" {
		t.Errorf("params (-want +got):\n%s", diff)
	}

	values := map[string]string{
		"smtpd_banner":             "mail.example.org ESMTP Postfix (Debian/GNU)",
		"myorigin":                 "example.org",
		"mydestination":            "mail.example.org, localhost.example.org, localhost",
		"relay_domains":            "",     // the default at level 3.6
		"mynetworks_style":         "host", // the default at level 3.6
		"disable_vrfy_command":     "yes",
		"smtpd_relay_restrictions": "permit_mynetworks,    permit_sasl_authenticated,    defer_unauth_destination",
		// data_directory is defined nowhere: left as written.
		"smtp_tls_session_cache_database":           "btree:${data_directory}/smtp_scache",
		"smtpd_relay_before_recipient_restrictions": "yes",
	}
	for name, want := range values {
		if got, ok := f.Value(name); !ok || got != want {
			t.Errorf("Value(%s) = %q, %v; want %q", name, got, ok, want)
		}
	}
	if got, ok := f.Value("virtual_alias_maps"); ok {
		t.Errorf("Value(virtual_alias_maps) = %q, true; want not set", got)
	}
	if p, ok := f.Get("smtpd_banner"); !ok || p.Line != 10 {
		t.Errorf("Get(smtpd_banner) = %+v, %v", p, ok)
	}
	if _, ok := f.Get("relay_domains"); ok {
		t.Error("Get(relay_domains) found a default: Get must read the file only")
	}
}

func TestParseOpenRelay(t *testing.T) {
	f := parseFixture(t, "relay-main.cf")
	want := []Param{
		param(2, "myhostname", "gw.example.net"),
		param(3, "smtpd_banner", "$myhostname ESMTP $mail_name ($mail_version)"),
		// A '#' after a value is part of the value.
		param(4, "mynetworks", "0.0.0.0/0    # everyone, for the scanners"),
		param(5, "smtpd_recipient_restrictions", "permit_mynetworks, reject_unauth_destination"),
		param(6, "relay_domains", "$mydestination, *.example.net"),
		{Line: 7, EndLine: 8, Name: "mynetworks", Value: "0.0.0.0/0  ::/0"},
	}
	if diff := cmp.Diff(want, f.Params); diff != "" {
		t.Errorf("params (-want +got):\n%s", diff)
	}
	// The last definition wins.
	if p, _ := f.Get("mynetworks"); p.Line != 7 {
		t.Errorf("Get(mynetworks) = %+v, want the definition on line 7", p)
	}
	// No compatibility_level: the level 0 defaults.
	values := map[string]string{
		"smtpd_banner":             "gw.example.net ESMTP Postfix (3.x)",
		"relay_domains":            "gw.example.net, localhost.$mydomain, localhost, *.example.net",
		"mynetworks_style":         "subnet",
		"smtpd_relay_restrictions": "",
		"compatibility_level":      "0",
	}
	for name, want := range values {
		if got, ok := f.Value(name); !ok || got != want {
			t.Errorf("Value(%s) = %q, %v; want %q", name, got, ok, want)
		}
	}
	// The caller can complete the defaults.
	f.Defaults["mydomain"] = "example.net"
	if got, _ := f.Value("relay_domains"); got != "gw.example.net, localhost.example.net, localhost, *.example.net" {
		t.Errorf("Value(relay_domains) with mydomain = %q", got)
	}
}

func TestParseMainForms(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []Param
	}{
		{"no blanks around equals", "a=b\n", []Param{param(1, "a", "b")}},
		{"empty value", "relayhost =\nrelayhost =   \n", []Param{param(1, "relayhost", ""), param(2, "relayhost", "")}},
		{"equals in value", "x = a=b = c\n", []Param{param(1, "x", "a=b = c")}},
		{"indented comment is a comment", "a = 1\n   # not a continuation\n", []Param{param(1, "a", "1")}},
		{"continuation after comment and empty lines", "a = 1\n#\n\n\t2\n", []Param{{Line: 1, EndLine: 4, Name: "a", Value: "1\t2"}}},
		{"blank-only lines", "  \n\t\na = 1\n \t \n", []Param{param(3, "a", "1")}},
		{"crlf", "a = 1\r\nb = 2\r\n", []Param{param(1, "a", "1"), param(2, "b", "2")}},
		{"name with dots and slashes", "smtp/inet.x = 1\n", []Param{param(1, "smtp/inet.x", "1")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse(strings.NewReader(tt.in), "main.cf")
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if diff := cmp.Diff(tt.want, f.Params); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseMainErrors(t *testing.T) {
	tests := []struct {
		name string
		line string
		want string // the whole message for line 2
	}{
		{"no equals", "mynetworks 0.0.0.0/0", `main.cf:2: missing '=' after parameter name "mynetworks"`},
		{"name only", "mynetworks", `main.cf:2: missing '=' after parameter name "mynetworks"`},
		{"two words before equals", "my networks = x", `main.cf:2: missing '=' after parameter name "my"`},
		{"no name", "= 0.0.0.0/0", "main.cf:2: missing parameter name before '='"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := "a = 1\n" + tt.line + "\nb = 2\n"
			f, err := Parse(strings.NewReader(in), "main.cf")
			if f == nil {
				t.Fatalf("Parse returned no file (err %v)", err)
			}
			if err == nil || err.Error() != tt.want {
				t.Fatalf("error = %v, want %q", err, tt.want)
			}
			list := parse.List(err)
			if len(list) != 1 || list[0].Line != 2 || list[0].File != "main.cf" {
				t.Errorf("parse.List(err) = %+v, want one error at main.cf:2", list)
			}
			if diff := cmp.Diff([]Param{param(1, "a", "1"), param(3, "b", "2")}, f.Params); diff != "" {
				t.Errorf("params (-want +got):\n%s", diff)
			}
			if string(f.Bytes()) != in {
				t.Errorf("Bytes() = %q, want the input back", f.Bytes())
			}
		})
	}

	// Continuation lines with nothing before them: one error, and all of
	// them skipped.
	in := "# header\n  permit_mynetworks,\n  reject\na = 1\n"
	f, err := Parse(strings.NewReader(in), "main.cf")
	if err == nil || err.Error() != "main.cf:2: continuation line follows no parameter" {
		t.Errorf("error = %v, want main.cf:2: continuation line follows no parameter", err)
	}
	if diff := cmp.Diff([]Param{param(4, "a", "1")}, f.Params); diff != "" {
		t.Errorf("params (-want +got):\n%s", diff)
	}
}

func TestExpand(t *testing.T) {
	in := strings.Join([]string{
		"a = A",
		"b = $a-${a}-$(a)",
		"empty =",
		"loop1 = x$loop2",
		"loop2 = y$loop1",
		"self = $self",
		"c = ${a?set}|${empty?set}|${nothere?set}",
		"d = ${a:unset}|${empty:unset}|${nothere:unset}",
		"e = ${a?{yes}:{no}}|${empty?{yes}:{no}}|${a?{$b}}|${empty:{$a}}",
		"f = $$a cost $$5",
		"g = ${{$a} == {A} ? {x} : {y}}",
		"h = ${a", "i = $-x $", "j = ${a!x} ${a?{x}:y} ${a?{x}:{y}z} ${a:{x}:{y}} ${a?{x} } ${a?{x}}z ${a?{x",
		"nested = ${a?${b}}",
	}, "\n")
	f, err := Parse(strings.NewReader(in), "main.cf")
	if err != nil {
		t.Fatal(err)
	}
	f.Defaults = map[string]string{"a": "default is not used", "dflt": "D$a"}
	tests := []struct{ in, want string }{
		{"$b", "A-A-A"},
		{"$loop1", "xy$loop1"},
		{"$self", "$self"},
		{"$c", "set||"},
		{"$d", "|unset|unset"},
		{"$e", "yes|no|A-A-A|A"},
		{"$f", "$a cost $5"},
		{"$g", "${{$a} == {A} ? {x} : {y}}"},
		{"$h", "${a"},
		{"$(a?{x)", "$(a?{x)"},
		{"$(a?x)", "x"},
		{"$i", "$-x $"},
		{"$j", "${a!x} ${a?{x}:y} ${a?{x}:{y}z} ${a:{x}:{y}} x xz ${a?{x"},
		{"$nested", "A-A-A"},
		{"$dflt and ${unknown}", "DA and ${unknown}"},
		{"plain text", "plain text"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := f.Expand(tt.in); got != tt.want {
			t.Errorf("Expand(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestExpandBounded(t *testing.T) {
	// Each parameter doubles the one after it: the full expansion would
	// be 2^40 bytes long.
	var b strings.Builder
	for i := 0; i < 40; i++ {
		b.WriteString("p" + string(rune('a'+i/26)) + string(rune('a'+i%26)) + " = ")
		next := "p" + string(rune('a'+(i+1)/26)) + string(rune('a'+(i+1)%26))
		b.WriteString("$" + next + "$" + next + "\n")
	}
	b.WriteString("pbo = " + strings.Repeat("x", 1000) + "\n")
	f, err := Parse(strings.NewReader(b.String()), "main.cf")
	if err != nil {
		t.Fatal(err)
	}
	if got := f.Expand("$paa"); len(got) != maxExpand || strings.Trim(got, "x") != "" {
		t.Errorf("Expand gave %d bytes, want %d x", len(got), maxExpand)
	}
	// A long text is cut, and nothing is written after the cut.
	if got := f.Expand(strings.Repeat("x", maxExpand) + "y$$"); len(got) != maxExpand || strings.Trim(got, "x") != "" {
		t.Errorf("Expand of a long text gave %d bytes, want %d x", len(got), maxExpand)
	}
	// The same with empty values: nothing to write, but a bounded number
	// of steps.
	f.Params[len(f.Params)-1].Value = ""
	if got := f.Expand("$paa"); got != "" {
		t.Errorf("Expand of empty values = %q", got[:min(len(got), 40)])
	}
	// Deep chains stop at maxDepth and keep the rest as written.
	b.Reset()
	for i := 0; i < maxDepth+10; i++ {
		b.WriteString("q" + itoa(i) + " = $q" + itoa(i+1) + "\n")
	}
	f, err = Parse(strings.NewReader(b.String()), "main.cf")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := f.Expand("$q0"), "$q"+itoa(maxDepth); got != want {
		t.Errorf("Expand(deep chain) = %q, want %q", got, want)
	}
	if got := f.Expand("${q0?{x}}"); got != "x" {
		t.Errorf("Expand(conditional on a deep chain) = %q, want x", got)
	}
	// Deeply nested conditionals stop at maxDepth too.
	nested := strings.Repeat("${q0?{", maxDepth+5) + "x" + strings.Repeat("}}", maxDepth+5)
	if got, want := f.Expand(nested), strings.Repeat("${q0?{", 5)+"x"+strings.Repeat("}}", 5); got != want {
		t.Errorf("Expand(nested conditionals) = %q, want %q", got, want)
	}
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}

func TestDefaultsFor(t *testing.T) {
	relay1 := "permit_mynetworks, permit_sasl_authenticated, defer_unauth_destination"
	type row struct{ Style, RelayDomains, RelayRestrictions, Before string }
	tests := []struct {
		compat string
		want   row
	}{
		{"", row{"subnet", "$mydestination", "", "no"}},
		{"0", row{"subnet", "$mydestination", "", "no"}},
		{"1", row{"subnet", "$mydestination", relay1, "no"}},
		{"2", row{"host", "", relay1, "no"}},
		{" 2 ", row{"host", "", relay1, "no"}},
		{"3.5", row{"host", "", relay1, "no"}},
		{"3.6", row{"host", "", relay1, "yes"}},
		{"3.10", row{"host", "", relay1, "yes"}},
		{"3.6.1", row{"host", "", relay1, "yes"}},
		{"10", row{"host", "", relay1, "yes"}},
		{"bogus", row{"subnet", "$mydestination", "", "no"}},
		{"1.2.3.4", row{"subnet", "$mydestination", "", "no"}},
		{"-1", row{"subnet", "$mydestination", "", "no"}},
		{"+2", row{"subnet", "$mydestination", "", "no"}},
		{"2.", row{"subnet", "$mydestination", "", "no"}},
	}
	for _, tt := range tests {
		d := DefaultsFor(tt.compat)
		got := row{d["mynetworks_style"], d["relay_domains"], d["smtpd_relay_restrictions"],
			d["smtpd_relay_before_recipient_restrictions"]}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("DefaultsFor(%q) (-want +got):\n%s", tt.compat, diff)
		}
	}
	d := DefaultsFor("")
	fixed := map[string]string{
		"compatibility_level":          "0",
		"smtpd_banner":                 "$myhostname ESMTP $mail_name",
		"inet_interfaces":              "all",
		"disable_vrfy_command":         "no",
		"mail_name":                    "Postfix",
		"mail_version":                 "3.x",
		"smtpd_recipient_restrictions": "",
	}
	for k, want := range fixed {
		if d[k] != want {
			t.Errorf("DefaultsFor(\"\")[%s] = %q, want %q", k, d[k], want)
		}
	}
	// Each call returns a map of its own.
	d["smtpd_banner"] = "changed"
	if DefaultsFor("")["smtpd_banner"] == "changed" {
		t.Error("DefaultsFor returned a shared map")
	}
}

func TestParseEmptyAndUnreadable(t *testing.T) {
	f, err := Parse(strings.NewReader(""), "main.cf")
	if err != nil || f == nil || len(f.Params) != 0 || len(f.Bytes()) != 0 || f.Defaults == nil {
		t.Errorf("Parse(empty) = %+v, %v; want an empty file with defaults", f, err)
	}
	f, err = Parse(iotest.ErrReader(errors.New("input/output error")), "main.cf")
	if f != nil || err == nil || !strings.HasPrefix(err.Error(), "main.cf: ") {
		t.Errorf("Parse(failing reader) = %v, %v; want nil and an error naming the file", f, err)
	}
	m, err := ParseMaster(strings.NewReader(""), "master.cf")
	if err != nil || m == nil || len(m.Services) != 0 || len(m.Bytes()) != 0 {
		t.Errorf("ParseMaster(empty) = %+v, %v; want an empty file", m, err)
	}
	m, err = ParseMaster(iotest.ErrReader(errors.New("input/output error")), "master.cf")
	if m != nil || err == nil || !strings.HasPrefix(err.Error(), "master.cf: ") {
		t.Errorf("ParseMaster(failing reader) = %v, %v; want nil and an error naming the file", m, err)
	}
}
