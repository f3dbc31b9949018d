package hostsaccess

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
	f, err := Parse(strings.NewReader(string(data)), "/etc/"+name)
	if err != nil {
		t.Fatalf("Parse(%s): %v", name, err)
	}
	if string(f.Bytes()) != string(data) {
		t.Errorf("Bytes() does not give %s back", name)
	}
	return f
}

func mustParse(t *testing.T, name, text string) *File {
	t.Helper()
	f, err := Parse(strings.NewReader(text), name)
	if err != nil {
		t.Fatalf("Parse(%q): %v", text, err)
	}
	return f
}

func errorStrings(err error) []string {
	var out []string
	for _, e := range parse.List(err) {
		out = append(out, e.Error())
	}
	return out
}

func TestParseFixtures(t *testing.T) {
	allow := parseFixture(t, "hosts.allow")
	want := []Rule{
		{Line: 3, LastLine: 3, Daemons: []string{"sshd"}, Clients: []string{"10.0.0.0/255.0.0.0", "LOCAL"}},
		{Line: 4, LastLine: 4, Daemons: []string{"sshd"}, Clients: []string{"[2001:db8:100::]/48"}},
		{Line: 5, LastLine: 5, Daemons: []string{"in.telnetd"}, Clients: []string{"192.168.10.", "EXCEPT", "192.168.10.66"}},
		{Line: 6, LastLine: 7, Daemons: []string{"vsftpd"}, Clients: []string{".corp.example.com", "EXCEPT", "kiosk.corp.example.com"}},
		{Line: 8, LastLine: 8, Daemons: []string{"ALL"}, Clients: []string{"127.0.0.1", "[::1]"}},
		{
			Line: 9, LastLine: 9, Daemons: []string{"in.tftpd"}, Clients: []string{"10.9.0.0/16"},
			Options: []Option{{"spawn", "/usr/bin/logger -t tftpd %a: %d"}, {"allow", ""}},
		},
		{Line: 10, LastLine: 10, Daemons: []string{"sendmail"}, Clients: []string{"ALL"}, Options: []Option{{"severity", "mail.info"}}},
	}
	if diff := cmp.Diff(want, allow.Rules); diff != "" {
		t.Errorf("hosts.allow (-want +got):\n%s", diff)
	}
	deny := parseFixture(t, "hosts.deny")
	want = []Rule{
		{Line: 2, LastLine: 2, Daemons: []string{"in.fingerd"}, Clients: []string{"ALL"}, Options: []Option{{"twist", `/bin/echo "421 finger is off"`}}},
		{Line: 3, LastLine: 3, Daemons: []string{"ALL"}, Clients: []string{"ALL"}},
	}
	if diff := cmp.Diff(want, deny.Rules); diff != "" {
		t.Errorf("hosts.deny (-want +got):\n%s", diff)
	}
}

func TestParseForms(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []Rule
	}{
		{
			name: "commas, blanks, CRLF",
			in:   "sshd,in.rlogind\t vsftpd : 10.0.0.1,10.0.0.2 ,\t.example.com\r\n",
			want: []Rule{{Line: 1, LastLine: 1, Daemons: []string{"sshd", "in.rlogind", "vsftpd"}, Clients: []string{"10.0.0.1", "10.0.0.2", ".example.com"}}},
		},
		{
			name: "continued comment and continued rule",
			in:   "# a comment \\\nsshd: ALL\nsshd:\\\n\\\n 10.0.0.1\n",
			want: []Rule{{Line: 3, LastLine: 5, Daemons: []string{"sshd"}, Clients: []string{"10.0.0.1"}}},
		},
		{
			name: "daemon@host, user@host and netgroups",
			in:   "sshd@10.0.0.1 sshd@[2001:db8::1]: root@10.0.0.0/8 @admins KNOWN@ALL\n",
			want: []Rule{{
				Line: 1, LastLine: 1, Daemons: []string{"sshd@10.0.0.1", "sshd@[2001:db8::1]"},
				Clients: []string{"root@10.0.0.0/8", "@admins", "KNOWN@ALL"},
			}},
		},
		{
			name: "option forms",
			in:   "ALL: ALL: severity = auth.notice : rfc931 : nice:keepalive: setenv TERM vt100 :umask 022: banners /etc/banners: DENY\n",
			want: []Rule{{
				Line: 1, LastLine: 1, Daemons: []string{"ALL"}, Clients: []string{"ALL"},
				Options: []Option{
					{"severity", "auth.notice"}, {"rfc931", ""}, {"nice", ""}, {"keepalive", ""},
					{"setenv", "TERM vt100"}, {"umask", "022"}, {"banners", "/etc/banners"}, {"deny", ""},
				},
			}},
		},
		{name: "blank and comment lines", in: "\n  \t\n#sshd: ALL\n"},
		{name: "empty", in: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := mustParse(t, "hosts.allow", tt.in)
			if diff := cmp.Diff(tt.want, f.Rules, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("rules (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	in := strings.Join([]string{
		"sshd ALL",                                 // 1: no colon
		": ALL",                                    // 2: no daemon
		"sshd :",                                   // 3: no client
		"  # sshd: ALL",                            // 4: not a comment
		"sshd: EXCEPT 10.0.0.1",                    // 5
		"sshd EXCEPT: 10.0.0.1 EXCEPT",             // 6
		"sshd: 10.0.0.1/255.0.0.0",                 // 7: host bits outside mask
		"sshd: 10.0.0.0/255.0.0.300",               // 8
		"sshd: 10.0.0.1/255.255.255.255",           // 9
		"sshd: [2001:db8::/32",                     // 10
		"sshd: [10.0.0.1]/8 [2001:db8::]/129",      // 11
		"sshd: 10.0.0.0/33 root@10.0.0.0/8x",       // 12
		"sshd: ALL: bogus",                         // 13
		"sshd: ALL: spawn",                         // 14
		"sshd: ALL: allow yes",                     // 15
		"sshd: ALL: deny : severity auth.info",     // 16
		"sshd: ALL: (/usr/sbin/safe_finger -l @%h", // 17
		"sshd: ALL: allow :",                       // 18
		"sshd: ALL: spawn x :: allow",              // 19
		"sshd@10.0.0.0/1.2.3.4: ALL",               // 20
		"sshd: 10.0.0.1",                           // 21: fine
	}, "\n") + "\n"
	f, err := Parse(strings.NewReader(in), "hosts.allow")
	if f == nil {
		t.Fatal("Parse returned no file")
	}
	want := []string{
		`hosts.allow:1: missing ":" separator`,
		`hosts.allow:2: empty daemon list`,
		`hosts.allow:3: empty client list`,
		`hosts.allow:4: '#' after leading blanks starts a rule, not a comment`,
		`hosts.allow:5: EXCEPT with nothing before it in the client list`,
		`hosts.allow:6: EXCEPT with nothing after it in the daemon list`,
		`hosts.allow:6: EXCEPT with nothing after it in the client list`,
		`hosts.allow:7: "10.0.0.1/255.0.0.0" has address bits outside its mask and matches nothing`,
		`hosts.allow:8: bad mask in "10.0.0.0/255.0.0.300"`,
		`hosts.allow:9: mask 255.255.255.255 is refused by TCP wrappers in "10.0.0.1/255.255.255.255": write the address alone`,
		`hosts.allow:10: unterminated '[' in "[2001:db8::/32"`,
		`hosts.allow:11: bad IPv6 address in "[10.0.0.1]/8"`,
		`hosts.allow:11: bad prefix length in "[2001:db8::]/129"`,
		`hosts.allow:12: bad mask length in "10.0.0.0/33"`,
		`hosts.allow:12: bad mask in "10.0.0.0/8x"`,
		`hosts.allow:13: unknown option "bogus"`,
		`hosts.allow:14: option spawn needs a value`,
		`hosts.allow:15: option allow takes no value`,
		`hosts.allow:16: option deny must be the last`,
		`hosts.allow:17: unknown option "(/usr/sbin/safe_finger"`,
		`hosts.allow:18: ':' at the end of the options`,
		`hosts.allow:19: empty option`,
		`hosts.allow:20: "10.0.0.0/1.2.3.4" has address bits outside its mask and matches nothing`,
	}
	if diff := cmp.Diff(want, errorStrings(err)); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
	var lines []int
	var bad []int
	for _, r := range f.Rules {
		lines = append(lines, r.Line)
		if r.BadOptions {
			bad = append(bad, r.Line)
		}
	}
	if diff := cmp.Diff([]int{4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21}, lines); diff != "" {
		t.Errorf("rules kept (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]int{13, 14, 15, 16, 17, 18, 19}, bad); diff != "" {
		t.Errorf("rules with bad options (-want +got):\n%s", diff)
	}
}

func TestParseLastLine(t *testing.T) {
	tests := []struct {
		in    string
		rules int
		errs  []string
	}{
		{"sshd: ALL\nvsftpd: ALL", 1, []string{"hosts.deny:2: last line has no newline: TCP wrappers ignore it"}},
		{"sshd: ALL\nvsftpd: \\\nALL", 1, []string{"hosts.deny:2: last line has no newline: TCP wrappers ignore it"}},
		{"sshd: ALL\nvsftpd: ALL\\\n", 1, []string{"hosts.deny:2: last line has no newline: TCP wrappers ignore it"}},
		{"sshd: ALL\n# the end", 1, nil},
		{"sshd: ALL\n", 1, nil},
	}
	for _, tt := range tests {
		f, err := Parse(strings.NewReader(tt.in), "hosts.deny")
		if len(f.Rules) != tt.rules {
			t.Errorf("%q: %d rules, want %d", tt.in, len(f.Rules), tt.rules)
		}
		if diff := cmp.Diff(tt.errs, errorStrings(err)); diff != "" {
			t.Errorf("%q: errors (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestParseUnreadable(t *testing.T) {
	f, err := Parse(iotest.ErrReader(errors.New("input/output error")), "hosts.allow")
	if f != nil {
		t.Errorf("Parse returned a file for an unreadable input")
	}
	var pe *parse.Error
	if !errors.As(err, &pe) || pe.File != "hosts.allow" || pe.Line != 0 {
		t.Errorf("error %v: want a *parse.Error for the whole file", err)
	}
}
