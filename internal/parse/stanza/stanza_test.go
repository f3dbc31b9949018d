package stanza

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"bastion/internal/parse"
)

// nextboot is /etc/tunables/nextboot of an AIX 7.2 host whose network
// options were set with no -p, with a tunable listed twice by hand.
const nextboot = `# IBM_PROLOG_BEGIN_TAG
# This is an automatically generated prolog.
# IBM_PROLOG_END_TAG

info:
	AIX_level = "7.2.5.0"
	Kernel_type = "MP64"
	Last_validation = "2024-03-04 10:22:31 CET (current, reboot)"

no:
	clean_partial_conns = "1"
	ipignoreredirects = "1"
	tcp_pmtu_discover = "0"
	clean_partial_conns = "0"

vmo:
	minperm% = "3"
`

// secUser is part of /etc/security/user: '*' comments, unquoted values,
// empty values, lists.
const secUser = `*
* Sample stanzas:
*
default:
	admin = false
	sugroups = ALL
	admgroups =
	auth1 = SYSTEM,NONE
	SYSTEM = "compat"
	maxrepeats = 8

root:
	admin = true
	rlogin = false	# no remote root
`

// loginCfg is part of /etc/security/login.cfg: a herald with escapes and a
// port stanza named by its device path.
const loginCfg = `default:
	herald = "Authorized use only.\n\r\"login\": "
	sak_enabled = false

/dev/console:
	logindisable = 0

usw:
	shells = /bin/sh,/bin/bsh,/bin/csh,/bin/ksh,/usr/bin/sh
	maxlogins = 32767
`

func TestParse(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []Stanza
	}{
		{
			name: "nextboot",
			in:   nextboot,
			want: []Stanza{
				{Line: 5, Name: "info", Attrs: []Attr{
					{Line: 6, Name: "AIX_level", Value: "7.2.5.0", Quoted: true},
					{Line: 7, Name: "Kernel_type", Value: "MP64", Quoted: true},
					{Line: 8, Name: "Last_validation", Value: "2024-03-04 10:22:31 CET (current, reboot)", Quoted: true},
				}},
				{Line: 10, Name: "no", Attrs: []Attr{
					{Line: 11, Name: "clean_partial_conns", Value: "1", Quoted: true},
					{Line: 12, Name: "ipignoreredirects", Value: "1", Quoted: true},
					{Line: 13, Name: "tcp_pmtu_discover", Value: "0", Quoted: true},
					{Line: 14, Name: "clean_partial_conns", Value: "0", Quoted: true},
				}},
				{Line: 16, Name: "vmo", Attrs: []Attr{
					{Line: 17, Name: "minperm%", Value: "3", Quoted: true},
				}},
			},
		},
		{
			name: "security user",
			in:   secUser,
			want: []Stanza{
				{Line: 4, Name: "default", Attrs: []Attr{
					{Line: 5, Name: "admin", Value: "false"},
					{Line: 6, Name: "sugroups", Value: "ALL"},
					{Line: 7, Name: "admgroups"},
					{Line: 8, Name: "auth1", Value: "SYSTEM,NONE"},
					{Line: 9, Name: "SYSTEM", Value: "compat", Quoted: true},
					{Line: 10, Name: "maxrepeats", Value: "8"},
				}},
				{Line: 12, Name: "root", Attrs: []Attr{
					{Line: 13, Name: "admin", Value: "true"},
					{Line: 14, Name: "rlogin", Value: "false"},
				}},
			},
		},
		{
			name: "login.cfg",
			in:   loginCfg,
			want: []Stanza{
				{Line: 1, Name: "default", Attrs: []Attr{
					{Line: 2, Name: "herald", Value: `Authorized use only.\n\r\"login\": `, Quoted: true},
					{Line: 3, Name: "sak_enabled", Value: "false"},
				}},
				{Line: 5, Name: "/dev/console", Attrs: []Attr{
					{Line: 6, Name: "logindisable", Value: "0"},
				}},
				{Line: 8, Name: "usw", Attrs: []Attr{
					{Line: 9, Name: "shells", Value: "/bin/sh,/bin/bsh,/bin/csh,/bin/ksh,/usr/bin/sh"},
					{Line: 10, Name: "maxlogins", Value: "32767"},
				}},
			},
		},
		{
			name: "crlf, header comment, quoted value with a hash",
			in:   "no:   # network options\r\n    tcp_sendspace = \"262144\"   # CIS\r\n\tnote = \"a#b\"\r\n\tpath = /x#y\r\n",
			want: []Stanza{
				{Line: 1, Name: "no", Attrs: []Attr{
					{Line: 2, Name: "tcp_sendspace", Value: "262144", Quoted: true},
					{Line: 3, Name: "note", Value: "a#b", Quoted: true},
					{Line: 4, Name: "path", Value: "/x#y"},
				}},
			},
		},
		{name: "empty", in: ""},
		{name: "comments only", in: "*\n# x\n\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse(strings.NewReader(tt.in), "nextboot")
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if diff := cmp.Diff(tt.want, f.Stanzas, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("Parse mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLookup(t *testing.T) {
	f, err := Parse(strings.NewReader(nextboot), "nextboot")
	if err != nil {
		t.Fatal(err)
	}
	no, ok := f.Stanza("no")
	if !ok || no.Line != 10 {
		t.Fatalf("Stanza(no) = %+v, %v", no, ok)
	}
	// The first occurrence wins.
	if a, ok := no.Get("clean_partial_conns"); !ok || a != (Attr{Line: 11, Name: "clean_partial_conns", Value: "1", Quoted: true}) {
		t.Errorf("Get(clean_partial_conns) = %+v, %v", a, ok)
	}
	if a, ok := no.Get("AIX_level"); ok {
		t.Errorf("Get found an attribute of another stanza: %+v", a)
	}
	if s, ok := f.Stanza("nfso"); ok {
		t.Errorf("Stanza(nfso) = %+v", s)
	}
	if !bytes.Equal(f.Bytes(), []byte(nextboot)) {
		t.Error("Bytes does not give the input back")
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		in   string
		line int
		want string
	}{
		{"attribute before any stanza", "\tipforwarding = \"0\"\nno:\n\tipsendredirects = \"0\"\n", 1, "attribute ipforwarding outside a stanza"},
		{"neither", "no:\n\tipforwarding\n\tipsendredirects = \"0\"\n", 2, `expected "name:" or "attribute = value", found "ipforwarding"`},
		{"unterminated quote", "no:\n\tipforwarding = \"0\n\tipsendredirects = \"0\"\n", 2, "unterminated quote in the value of ipforwarding"},
		{"escaped final quote", "no:\n\tipforwarding = \"0\\\"\n\tipsendredirects = \"0\"\n", 2, "unterminated quote in the value of ipforwarding"},
		{"text after the quote", "no:\n\tipforwarding = \"0\" 1\n\tipsendredirects = \"0\"\n", 2, `text "1" after the closing quote of ipforwarding`},
		{"no attribute name", "no:\n\t= \"0\"\n\tipsendredirects = \"0\"\n", 2, "attribute with no name"},
		{"blank in attribute name", "no:\n\tip forwarding = 0\n\tipsendredirects = \"0\"\n", 2, `attribute name "ip forwarding" holds a blank or a quote`},
		{"no stanza name", "no:\n:\n\tipsendredirects = \"0\"\n", 2, "stanza with no name"},
		{"blank in stanza name", "no:\nnext boot:\n\tipsendredirects = \"0\"\n", 2, `stanza name "next boot" holds a blank or a colon`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse(strings.NewReader(tt.in), "nextboot")
			if err == nil {
				t.Fatalf("no error; stanzas %+v", f.Stanzas)
			}
			if list := parse.List(err); len(list) != 1 || list[0].Line != tt.line || list[0].Err.Error() != tt.want {
				t.Errorf("errors %v, want one at line %d: %s", list, tt.line, tt.want)
			}
			// The good attribute after the bad line is kept.
			s, ok := f.Stanza("no")
			if !ok {
				t.Fatalf("stanza no lost: %+v", f.Stanzas)
			}
			if a, ok := s.Get("ipsendredirects"); !ok || a.Line != 3 {
				t.Errorf("good attribute after the bad line: %+v, %v", a, ok)
			}
		})
	}
}

func TestParseReadError(t *testing.T) {
	boom := errors.New("boom")
	f, err := Parse(iotest.ErrReader(boom), "nextboot")
	if f != nil || !errors.Is(err, boom) {
		t.Errorf("Parse = %v, %v", f, err)
	}
}

func FuzzParse(f *testing.F) {
	f.Add(nextboot)
	f.Add(secUser)
	f.Add(loginCfg)
	f.Add("a = 1\nx:\n b = \"\\\"\n c = \"d\" e\n:\n")
	f.Fuzz(func(t *testing.T, input string) {
		file, err := Parse(strings.NewReader(input), "nextboot")
		if file == nil {
			t.Fatalf("nil File, error %v", err)
		}
		n := len(file.Lines)
		for _, s := range file.Stanzas {
			if s.Line < 1 || s.Line > n || s.Name == "" {
				t.Fatalf("stanza %+v out of 1..%d", s, n)
			}
			for _, a := range s.Attrs {
				if a.Line <= s.Line || a.Line > n || a.Name == "" {
					t.Fatalf("attribute %+v of stanza at %d out of range ..%d", a, s.Line, n)
				}
			}
		}
		for _, pe := range parse.List(err) {
			if pe.File != "nextboot" || pe.Line < 1 || pe.Line > n {
				t.Fatalf("error %v out of range 1..%d", pe, n)
			}
		}
		if got, want := file.Bytes(), normalise(input); !bytes.Equal(got, want) {
			t.Fatalf("Bytes() = %q, want %q", got, want)
		}
		for _, l := range file.Lines {
			if strings.HasSuffix(l, "\r") {
				// A lone '\r' before the end of a line is dropped
				// when the text is read again.
				return
			}
		}
		// Parsing what Bytes gives back gives the same result.
		again, err2 := Parse(bytes.NewReader(file.Bytes()), "nextboot")
		if diff := cmp.Diff(file.Stanzas, again.Stanzas); diff != "" {
			t.Fatalf("round trip (-first +second):\n%s", diff)
		}
		if diff := cmp.Diff(file.Lines, again.Lines); diff != "" {
			t.Fatalf("lines after round trip (-first +second):\n%s", diff)
		}
		if len(parse.List(err)) != len(parse.List(err2)) {
			t.Fatalf("errors differ after round trip: %v, then %v", err, err2)
		}
	})
}

// normalise returns input as parse.SplitLines and parse.JoinLines give it
// back: "\r\n" endings become "\n", a final "\r" is dropped, and the text
// ends in a newline.
func normalise(input string) []byte {
	if input == "" {
		return nil
	}
	s := strings.ReplaceAll(input, "\r\n", "\n")
	if !strings.HasSuffix(s, "\n") {
		s = strings.TrimSuffix(s, "\r") + "\n"
	}
	return []byte(s)
}
