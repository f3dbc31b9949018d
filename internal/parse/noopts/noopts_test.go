package noopts

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"

	"bastion/internal/parse"
)

// aix433 is part of `no -a` on AIX 4.3.3 with the options the seed hardens.
const aix433 = `                 bcastping = 0
       clean_partial_conns = 0
        directed_broadcast = 0
           icmpaddressmask = 0
        ip6srcrouteforward = 1
              ipforwarding = 0
         ipignoreredirects = 0
           ipsendredirects = 1
         ipsrcrouteforward = 1
            ipsrcrouterecv = 0
            ipsrcroutesend = 1
`

// aix72 is `no -F -a` on AIX 7.2: CRLF line ends from a copy through a
// Windows share, the restricted options under their own heading, a value
// with braces and one with blanks around it.
const aix72 = "                 arpqsize = 1024\r\n" +
	"           ndd_event_name = {all}\r\n" +
	"        tcp_ephemeral_low = 32768\r\n" +
	"            tcp_tcpsecure = 7   \r\n" +
	"\r\n" +
	"##Restricted tunables\r\n" +
	"   dgd_flush_cached_route = 0\r\n" +
	"             tcp_inpcb_hashtab_siz = 24499\r\n"

func TestParse(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []Option
	}{
		{
			name: "aix 4.3.3",
			in:   aix433,
			want: []Option{
				{Line: 1, Name: "bcastping", Value: "0"},
				{Line: 2, Name: "clean_partial_conns", Value: "0"},
				{Line: 3, Name: "directed_broadcast", Value: "0"},
				{Line: 4, Name: "icmpaddressmask", Value: "0"},
				{Line: 5, Name: "ip6srcrouteforward", Value: "1"},
				{Line: 6, Name: "ipforwarding", Value: "0"},
				{Line: 7, Name: "ipignoreredirects", Value: "0"},
				{Line: 8, Name: "ipsendredirects", Value: "1"},
				{Line: 9, Name: "ipsrcrouteforward", Value: "1"},
				{Line: 10, Name: "ipsrcrouterecv", Value: "0"},
				{Line: 11, Name: "ipsrcroutesend", Value: "1"},
			},
		},
		{
			name: "aix 7.2 with restricted options",
			in:   aix72,
			want: []Option{
				{Line: 1, Name: "arpqsize", Value: "1024"},
				{Line: 2, Name: "ndd_event_name", Value: "{all}"},
				{Line: 3, Name: "tcp_ephemeral_low", Value: "32768"},
				{Line: 4, Name: "tcp_tcpsecure", Value: "7"},
				{Line: 7, Name: "dgd_flush_cached_route", Value: "0"},
				{Line: 8, Name: "tcp_inpcb_hashtab_siz", Value: "24499"},
			},
		},
		{name: "empty", in: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse(strings.NewReader(tt.in), "no-a")
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if diff := cmp.Diff(tt.want, f.Options); diff != "" {
				t.Errorf("Parse mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestGet(t *testing.T) {
	f, err := Parse(strings.NewReader(aix433), "no-a")
	if err != nil {
		t.Fatal(err)
	}
	if o, ok := f.Get("ipsendredirects"); !ok || o != (Option{Line: 8, Name: "ipsendredirects", Value: "1"}) {
		t.Errorf("Get(ipsendredirects) = %+v, %v", o, ok)
	}
	if o, ok := f.Get("tcp_tcpsecure"); ok {
		t.Errorf("Get of an option not listed = %+v", o)
	}
	if !bytes.Equal(f.Bytes(), []byte(aix433)) {
		t.Error("Bytes does not give the input back")
	}
}

func TestParseErrors(t *testing.T) {
	const good = "       clean_partial_conns = 1\n"
	tests := []struct {
		name string
		bad  string
		want string
	}{
		{"no equals sign", "       clean_partial_conns 1", `expected "name = value", found "clean_partial_conns 1"`},
		{"no name", "   = 1", `expected "name = value", found "= 1"`},
		{"long listing", "clean_partial_conns       0      0      0      0      1      boolean           D", `expected "name = value"`},
		{"name with a blank", "  tcp sendspace = 16384", `option name "tcp sendspace" has characters other than letters, digits and '_'`},
		{"no value", "         ipsendredirects = ", "option ipsendredirects has no value"},
		{"listed again", "       clean_partial_conns = 0", "option clean_partial_conns listed again (first at line 1)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := good + tt.bad + "\n" + "         ipsendredirects = 0\n"
			f, err := Parse(strings.NewReader(in), "no-a")
			if err == nil {
				t.Fatalf("no error; options %+v", f.Options)
			}
			want := []Option{{Line: 1, Name: "clean_partial_conns", Value: "1"}, {Line: 3, Name: "ipsendredirects", Value: "0"}}
			if diff := cmp.Diff(want, f.Options); diff != "" {
				t.Errorf("good lines around the bad one (-want +got):\n%s", diff)
			}
			if !strings.HasPrefix(err.Error(), "no-a:2: ") || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q, want no-a:2: ... %q", err, tt.want)
			}
			if list := parse.List(err); len(list) != 1 || list[0].Line != 2 {
				t.Errorf("parse.List = %v, want one error at line 2", list)
			}
		})
	}
}

func TestParseReadError(t *testing.T) {
	boom := errors.New("boom")
	f, err := Parse(iotest.ErrReader(boom), "no-a")
	if f != nil || !errors.Is(err, boom) {
		t.Errorf("Parse = %v, %v", f, err)
	}
}

func FuzzParse(f *testing.F) {
	f.Add(aix433)
	f.Add(aix72)
	f.Add("a = \nb=1\nb = 2\n=\n#x\n c d = e\n")
	f.Fuzz(func(t *testing.T, input string) {
		file, err := Parse(strings.NewReader(input), "no-a")
		if file == nil {
			t.Fatalf("nil File, error %v", err)
		}
		n := len(file.Lines)
		seen := map[string]bool{}
		for _, o := range file.Options {
			if o.Line < 1 || o.Line > n {
				t.Fatalf("option line %d out of 1..%d", o.Line, n)
			}
			if o.Name == "" || o.Value == "" || seen[o.Name] {
				t.Fatalf("bad option %+v", o)
			}
			seen[o.Name] = true
			if got, ok := file.Get(o.Name); !ok || got != o {
				t.Fatalf("Get(%q) = %+v, %v", o.Name, got, ok)
			}
		}
		for _, pe := range parse.List(err) {
			if pe.File != "no-a" || pe.Line < 1 || pe.Line > n {
				t.Fatalf("error %v out of range 1..%d", pe, n)
			}
		}
	})
}
