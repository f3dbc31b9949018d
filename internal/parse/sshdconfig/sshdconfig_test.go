package sshdconfig

import (
	"bytes"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"

	"bastion/internal/parse"
	"bastion/internal/parse/parsetest"
)

// debian is the head of the sshd_config Debian 12 ships, with a local
// change after it.
const debian = `
# This is the sshd server system-wide configuration file.  See
# sshd_config(5) for more information.

Include /etc/ssh/sshd_config.d/*.conf

#Port 22
#PermitRootLogin prohibit-password
KbdInteractiveAuthentication no
UsePAM yes
X11Forwarding yes
PrintMotd no
AcceptEnv LANG LC_*
Subsystem	sftp	/usr/lib/openssh/sftp-server

Match User anoncvs
	X11Forwarding no
	ForceCommand cvs server
`

func TestParse(t *testing.T) {
	anoncvs := &Match{File: "f", Line: 16, Criteria: []Criterion{{Attr: AttrUser, Patterns: "anoncvs"}}}
	tests := []struct {
		name string
		in   string
		want []Directive
	}{
		{
			name: "debian",
			in:   debian,
			want: []Directive{
				{File: "f", Line: 5, Keyword: "include", Name: "Include", Args: []string{"/etc/ssh/sshd_config.d/*.conf"}},
				{File: "f", Line: 9, Keyword: "kbdinteractiveauthentication", Name: "KbdInteractiveAuthentication", Args: []string{"no"}},
				{File: "f", Line: 10, Keyword: "usepam", Name: "UsePAM", Args: []string{"yes"}},
				{File: "f", Line: 11, Keyword: "x11forwarding", Name: "X11Forwarding", Args: []string{"yes"}},
				{File: "f", Line: 12, Keyword: "printmotd", Name: "PrintMotd", Args: []string{"no"}},
				{File: "f", Line: 13, Keyword: "acceptenv", Name: "AcceptEnv", Args: []string{"LANG", "LC_*"}},
				{File: "f", Line: 14, Keyword: "subsystem", Name: "Subsystem", Args: []string{"sftp", "/usr/lib/openssh/sftp-server"}},
				{File: "f", Line: 16, Keyword: "match", Name: "Match", Args: []string{"User", "anoncvs"}, Match: anoncvs},
				{File: "f", Line: 17, Keyword: "x11forwarding", Name: "X11Forwarding", Args: []string{"no"}, Match: anoncvs},
				{File: "f", Line: 18, Keyword: "forcecommand", Name: "ForceCommand", Args: []string{"cvs server"}, Match: anoncvs},
			},
		},
		{
			name: "case, equals signs, blanks and line ends",
			in:   "  permitrootlogin no\r\nPORT=2222\nPort = 22\nPort =23\nPort\t=\t24\nX11Forwarding= yes \f\n\t# comment\n\n",
			want: []Directive{
				{File: "f", Line: 1, Keyword: "permitrootlogin", Name: "permitrootlogin", Args: []string{"no"}},
				{File: "f", Line: 2, Keyword: "port", Name: "PORT", Args: []string{"2222"}},
				{File: "f", Line: 3, Keyword: "port", Name: "Port", Args: []string{"22"}},
				{File: "f", Line: 4, Keyword: "port", Name: "Port", Args: []string{"23"}},
				{File: "f", Line: 5, Keyword: "port", Name: "Port", Args: []string{"24"}},
				{File: "f", Line: 6, Keyword: "x11forwarding", Name: "X11Forwarding", Args: []string{"yes"}},
			},
		},
		{
			name: "quotes, escapes and comments",
			in: `AllowUsers "a b" 'c d' e\ f g"h i"j
AllowGroups x # y z
AllowGroups x#y
Banner "/etc/issue net"
AcceptEnv "" \q \\ \"
`,
			want: []Directive{
				{File: "f", Line: 1, Keyword: "allowusers", Name: "AllowUsers", Args: []string{"a b", "c d", "e f", "gh ij"}},
				{File: "f", Line: 2, Keyword: "allowgroups", Name: "AllowGroups", Args: []string{"x"}},
				{File: "f", Line: 3, Keyword: "allowgroups", Name: "AllowGroups", Args: []string{"x#y"}},
				{File: "f", Line: 4, Keyword: "banner", Name: "Banner", Args: []string{"/etc/issue net"}},
				{File: "f", Line: 5, Keyword: "acceptenv", Name: "AcceptEnv", Args: []string{"", `\q`, `\`, `"`}},
			},
		},
		{
			name: "aliases and unknown keywords",
			in:   "ChallengeResponseAuthentication no\nPubkeyAcceptedKeyTypes +ssh-rsa\nHPNDisabled yes\n",
			want: []Directive{
				{File: "f", Line: 1, Keyword: "kbdinteractiveauthentication", Name: "ChallengeResponseAuthentication", Args: []string{"no"}},
				{File: "f", Line: 2, Keyword: "pubkeyacceptedalgorithms", Name: "PubkeyAcceptedKeyTypes", Args: []string{"+ssh-rsa"}},
				{File: "f", Line: 3, Keyword: "hpndisabled", Name: "HPNDisabled", Args: []string{"yes"}},
			},
		},
		{
			name: "rest of the line",
			in:   "ForceCommand internal-sftp -d \"/x y\" # kept\nVersionAddendum  Built here # not kept\nAuthorizedKeysCommand /usr/bin/keys %u\n",
			want: []Directive{
				{File: "f", Line: 1, Keyword: "forcecommand", Name: "ForceCommand", Args: []string{`internal-sftp -d "/x y" # kept`}},
				{File: "f", Line: 2, Keyword: "versionaddendum", Name: "VersionAddendum", Args: []string{"Built here"}},
				{File: "f", Line: 3, Keyword: "authorizedkeyscommand", Name: "AuthorizedKeysCommand", Args: []string{"/usr/bin/keys %u"}},
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, err := Parse(strings.NewReader(tc.in), "f")
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, f.Directives); diff != "" {
				t.Errorf("directives (-want +got):\n%s", diff)
			}
			if !bytes.Equal(f.Bytes(), parsetest.Normalize([]byte(tc.in))) {
				t.Errorf("Bytes() = %q", f.Bytes())
			}
		})
	}
}

func TestParseMatch(t *testing.T) {
	tests := []struct {
		line  string
		words []string
		want  []Criterion
		str   string
	}{
		{"Match User root", []string{"User", "root"}, []Criterion{{AttrUser, "root"}}, "Match User root"},
		{"Match user=root,!bob address 10.0.0.0/8", []string{"user", "root,!bob", "address", "10.0.0.0/8"},
			[]Criterion{{AttrUser, "root,!bob"}, {AttrAddress, "10.0.0.0/8"}}, "Match User root,!bob Address 10.0.0.0/8"},
		{`Match Address "10.0.0.0/8,!10.1.0.0/16" # comment`, []string{"Address", "10.0.0.0/8,!10.1.0.0/16"},
			[]Criterion{{AttrAddress, "10.0.0.0/8,!10.1.0.0/16"}}, "Match Address 10.0.0.0/8,!10.1.0.0/16"},
		{"Match All", []string{"All"}, []Criterion{{Attr: AttrAll}}, "Match all"},
		{"Match all # everyone", []string{"all"}, []Criterion{{Attr: AttrAll}}, "Match all"},
		{"Match Group wheel,adm Host *.lan LocalAddress 192.0.2.1 LocalPort 2222 RDomain 1",
			[]string{"Group", "wheel,adm", "Host", "*.lan", "LocalAddress", "192.0.2.1", "LocalPort", "2222", "RDomain", "1"},
			[]Criterion{{AttrGroup, "wheel,adm"}, {AttrHost, "*.lan"}, {AttrLocalAddress, "192.0.2.1"}, {AttrLocalPort, "2222"}, {AttrRDomain, "1"}},
			"Match Group wheel,adm Host *.lan LocalAddress 192.0.2.1 LocalPort 2222 RDomain 1"},
	}
	for _, tc := range tests {
		f, err := Parse(strings.NewReader(tc.line+"\nX11Forwarding no\n"), "f")
		if err != nil {
			t.Errorf("%q: %v", tc.line, err)
			continue
		}
		m := f.Directives[0].Match
		if diff := cmp.Diff(tc.want, m.Criteria); diff != "" {
			t.Errorf("%q criteria (-want +got):\n%s", tc.line, diff)
		}
		if diff := cmp.Diff(tc.words, f.Directives[0].Args); diff != "" {
			t.Errorf("%q words (-want +got):\n%s", tc.line, diff)
		}
		if f.Directives[1].Match != m || m.Line != 1 || m.File != "f" {
			t.Errorf("%q: the next line is not in the block", tc.line)
		}
		if s := m.String(); s != tc.str {
			t.Errorf("%q: String() = %q", tc.line, s)
		}
	}
	c := Criterion{Attr: AttrUser, Patterns: "root,!bob,a*"}
	want := []Pattern{{false, "root"}, {true, "bob"}, {false, "a*"}}
	if diff := cmp.Diff(want, c.List()); diff != "" {
		t.Errorf("List (-want +got):\n%s", diff)
	}
}

func TestParseErrors(t *testing.T) {
	in := `PermitRootLogin maybe
Port
Port 0
Port=
=yes
PasswordAuthentication yes no
LoginGraceTime 2x
Banner "/etc/issue
MaxAuthTries #3
Match
Match all User root
Match User
Match Colour blue
Match Address 10.0.0.1/8
Match LocalAddress 10.0.0.0/8,,10.1.0.0/16
Match LocalPort http
Include
Ciphers +
X11Forwarding no
`
	f, err := Parse(strings.NewReader(in), "sshd_config")
	if err == nil {
		t.Fatal("no error")
	}
	parsetest.CheckErrors(t, err, "sshd_config", len(f.Lines))
	want := []string{
		`sshd_config:1: PermitRootLogin: unsupported value "maybe"`,
		`sshd_config:2: no argument after keyword "Port"`,
		`sshd_config:3: Port: unsupported value "0"`,
		`sshd_config:4: no argument after keyword "Port"`,
		`sshd_config:5: line starts with '='`,
		`sshd_config:6: PasswordAuthentication: extra arguments at end of line`,
		`sshd_config:7: LoginGraceTime: unsupported value "2x"`,
		`sshd_config:8: invalid quotes`,
		`sshd_config:9: MaxAuthTries: missing argument`,
		`sshd_config:10: no argument after keyword "Match"`,
		`sshd_config:11: 'all' cannot be combined with other Match attributes`,
		`sshd_config:12: missing Match criteria for User`,
		`sshd_config:13: unsupported Match attribute "Colour"`,
		`sshd_config:14: invalid Match Address argument "10.0.0.1/8"`,
		`sshd_config:15: invalid Match LocalAddress argument "10.0.0.0/8,,10.1.0.0/16"`,
		`sshd_config:16: invalid LocalPort "http"`,
		`sshd_config:17: no argument after keyword "Include"`,
		`sshd_config:18: Ciphers: unsupported value "+"`,
	}
	var got []string
	for _, e := range parse.List(err) {
		got = append(got, e.Error())
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
	// Good lines and lines sshd would refuse for their value are kept; a
	// bad Match still opens a block, one that never applies.
	last := f.Directives[len(f.Directives)-1]
	if last.Keyword != "x11forwarding" || last.Match == nil || last.Match.Line != 16 || last.Match.Applies(&Conn{LPort: 80}) {
		t.Errorf("last directive %+v", last)
	}
	if f.Directives[0].Keyword != "permitrootlogin" || f.Directives[0].Args[0] != "maybe" {
		t.Errorf("first directive %+v", f.Directives[0])
	}
}

func TestParseReadError(t *testing.T) {
	f, err := Parse(iotest.ErrReader(iotest.ErrTimeout), "sshd_config")
	if f != nil || err == nil || !strings.HasPrefix(err.Error(), "sshd_config: ") {
		t.Errorf("got %v, %v", f, err)
	}
	f, err = Parse(strings.NewReader(""), "empty")
	if err != nil || f == nil || len(f.Directives) != 0 {
		t.Errorf("empty file: %v, %v", f, err)
	}
}

func TestSeconds(t *testing.T) {
	for in, want := range map[string]int{"0": 0, "90": 90, "90s": 90, "2m": 120, "1h30m": 5400, "1H": 3600,
		"1d": 86400, "2w": 1209600, "1m30": 90, "10S5": 15} {
		if got, ok := Seconds(in); !ok || got != want {
			t.Errorf("Seconds(%q) = %d, %v; want %d", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "m", "2x", "-1", "1.5m", "99999999999", "9999w9999w"} {
		if got, ok := Seconds(in); ok {
			t.Errorf("Seconds(%q) = %d, want an error", in, got)
		}
	}
}

func TestLookup(t *testing.T) {
	tests := []struct {
		in, canon string
		known     bool
		match     bool
	}{
		{"PermitRootLogin", "permitrootlogin", true, true},
		{"CHALLENGERESPONSEAUTHENTICATION", "kbdinteractiveauthentication", true, true},
		{"Ciphers", "ciphers", true, false},
		{"Protocol", "protocol", true, false},
		{"NoSuchKeyword", "nosuchkeyword", false, false},
	}
	for _, tc := range tests {
		if got := Canonical(tc.in); got != tc.canon {
			t.Errorf("Canonical(%q) = %q", tc.in, got)
		}
		in, ok := Lookup(tc.in)
		if ok != tc.known || in.Match != tc.match {
			t.Errorf("Lookup(%q) = %+v, %v", tc.in, in, ok)
		}
	}
	if in, _ := Lookup("protocol"); in.Mode != Ignored || in.Note == "" {
		t.Errorf("Protocol: %+v", in)
	}
	// An alias may be global only while its keyword is not.
	if ok, known := allowedInMatch("DSAAuthentication"); ok || !known {
		t.Error("DSAAuthentication allowed in Match")
	}
	if ok, known := allowedInMatch("PubkeyAuthentication"); !ok || !known {
		t.Error("PubkeyAuthentication refused in Match")
	}
	if got := Supported("CIPHERS"); len(got) != 10 || got[0] != "3des-cbc" {
		t.Errorf("Supported(ciphers) = %v", got)
	}
	if got := Supported("port"); got != nil {
		t.Errorf("Supported(port) = %v", got)
	}
}

// Every keyword of the table that takes a value has a default that its own
// check accepts, and every alias points into the table.
func TestTable(t *testing.T) {
	for k, in := range infos {
		if strings.ToLower(in.Name) != k {
			t.Errorf("%s: Name %q", k, in.Name)
		}
		if len(in.Default) > 0 && in.Kind != List {
			if msg := check(in, in.Default[:1]); msg != "" {
				t.Errorf("%s: default %q: %s", in.Name, in.Default, msg)
			}
		}
		if in.Kind == Choice && len(in.Choices) == 0 {
			t.Errorf("%s: no choices", in.Name)
		}
	}
	for k, a := range aliases {
		if infos[a.canon] == nil {
			t.Errorf("alias %s -> %s: not in the table", k, a.canon)
		}
	}
	for _, k := range []string{"permitrootlogin", "passwordauthentication", "permitemptypasswords",
		"kbdinteractiveauthentication", "pubkeyauthentication", "hostbasedauthentication", "ignorerhosts",
		"x11forwarding", "maxauthtries", "logingracetime", "permituserenvironment", "allowtcpforwarding",
		"usepam", "loglevel", "ciphers", "macs", "kexalgorithms", "hostkeyalgorithms", "clientaliveinterval",
		"banner", "port", "listenaddress", "protocol", "permittunnel", "strictmodes", "printlastlog"} {
		if in := infos[k]; in == nil || len(in.Default) == 0 {
			t.Errorf("%s: no default", k)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(debian))
	f.Add([]byte(sshdMain))
	f.Add([]byte("Match Address \"10.0.0.0/8\nPort= =\nAllowUsers 'a\\' b\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := Parse(bytes.NewReader(data), "f")
		if file == nil {
			t.Fatalf("nil file: %v", err)
		}
		parsetest.CheckErrors(t, err, "f", len(file.Lines))
		var block *Match
		for _, d := range file.Directives {
			if d.Line < 1 || d.Line > len(file.Lines) || d.File != "f" {
				t.Fatalf("bad line %+v", d)
			}
			if d.Keyword == "" || d.Keyword != Canonical(d.Name) {
				t.Fatalf("keyword %q of %q", d.Keyword, d.Name)
			}
			if d.Keyword == "match" {
				if d.Match == nil || d.Match.Line != d.Line {
					t.Fatalf("match line without its block: %+v", d)
				}
				block = d.Match
			} else if d.Match != block {
				t.Fatalf("line %d in the wrong block", d.Line)
			}
			if d.Match != nil {
				for _, c := range d.Match.Criteria {
					if _, ok := attrNames[c.Attr]; !ok {
						t.Fatalf("criterion %+v", c)
					}
				}
				d.Match.Applies(&Conn{User: "root", Host: "h", Addr: "10.0.0.1", LAddr: "::1", LPort: 22, Groups: []string{"g"}})
			}
		}
		if !bytes.Equal(file.Bytes(), parsetest.Normalize(data)) {
			t.Fatal("Bytes differ from the input")
		}
		cfg := &Config{Files: []*File{file}, Directives: file.Directives}
		for _, kw := range []string{"permitrootlogin", "ciphers", "allowusers", "ipqos", "logingracetime"} {
			s := cfg.Effective(kw, &Conn{User: "root", Addr: "10.0.0.1"})
			s.Value()
			cfg.Overrides(kw)
		}
	})
}
