package instfix

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"

	"bastion/internal/parse"
	"bastion/internal/parse/parsetest"
)

// listAIX72 is "instfix -i | grep -E 'ML|SP'" on an AIX 7.2 host whose
// last service pack was not installed whole.
const listAIX72 = `    All filesets for 7200-00_AIX_ML were found.
    All filesets for 7200-01_AIX_ML were found.
    All filesets for 7200-04_AIX_ML were found.
    Not all filesets for 7200-05_AIX_ML were found.
    All filesets for 72-05-022136_SP were found.
    Not all filesets for 72-05-032148_SP were found.
`

// askedAIX433 is "instfix -ik IY04477" and "instfix -ivk IY11111" on AIX
// 4.3.3, one after the other.
const askedAIX433 = `# instfix -ik IY04477
    Not all filesets for IY04477 were found.
IY11111 Abstract: example fix

    Fileset bos.net.tcp.client:4.3.3.10 is applied on the system.
    All filesets for IY11111 were found.
    There was no data for IY99999 in the fix database.
`

func errStrings(err error) []string {
	var out []string
	for _, e := range parse.List(err) {
		out = append(out, e.Error())
	}
	return out
}

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		name    string
		in      string
		want    []Fix
		wantErr []string
	}{
		{
			name: "levels and service packs", in: listAIX72,
			want: []Fix{
				{1, "7200-00_AIX_ML", ML, All},
				{2, "7200-01_AIX_ML", ML, All},
				{3, "7200-04_AIX_ML", ML, All},
				{4, "7200-05_AIX_ML", ML, Partial},
				{5, "72-05-022136_SP", SP, All},
				{6, "72-05-032148_SP", SP, Partial},
			},
		},
		{
			name: "fixes asked for", in: askedAIX433,
			want: []Fix{
				{2, "IY04477", APAR, Partial},
				{6, "IY11111", APAR, All},
				{7, "IY99999", APAR, NoData},
			},
		},
		{
			name: "crlf, no final newline", in: "All filesets for 4330-02_AIX_ML were found.\r\n\r\nAll filesets for IY04477 were found.",
			want: []Fix{{1, "4330-02_AIX_ML", ML, All}, {3, "IY04477", APAR, All}},
		},
		{
			name: "errors", in: "instfix: not found\n    All filesets for  were found.\nAll filesets for two words were found.\nAll filesets for IY1 were found\nAll filesets for IY2 were found.\n",
			want: []Fix{{5, "IY2", APAR, All}},
			wantErr: []string{
				`f:1: not an instfix answer: "instfix: not found"`,
				`f:2: bad fix keyword ""`,
				`f:3: bad fix keyword "two words"`,
				`f:4: not an instfix answer: "All filesets for IY1 were found"`,
			},
		},
		{
			name: "sentence ends overlap", in: "All filesets for were found.\n",
			wantErr: []string{`f:1: not an instfix answer: "All filesets for were found."`},
		},
		{name: "empty", in: ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := Parse(strings.NewReader(tc.in), "f")
			if f == nil {
				t.Fatalf("nil File, error %v", err)
			}
			if diff := cmp.Diff(tc.want, f.Fixes); diff != "" {
				t.Errorf("fixes (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.wantErr, errStrings(err)); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
			if !bytes.Equal(f.Bytes(), parsetest.Normalize([]byte(tc.in))) {
				t.Errorf("Bytes() = %q", f.Bytes())
			}
		})
	}
	if _, err := Parse(iotest.ErrReader(errors.New("boom")), "f"); err == nil {
		t.Error("a read error gave no error")
	}
}

func TestFind(t *testing.T) {
	f, _ := Parse(strings.NewReader(askedAIX433+"    All filesets for IY04477 were found.\n"), "f")
	if fx, ok := f.Find("iy04477"); !ok || fx.State != All || fx.Line != 8 {
		t.Errorf("Find(iy04477) = %+v, %v: want the later answer", fx, ok)
	}
	if _, ok := f.Find("IY00000"); ok {
		t.Error("Find found a fix not asked about")
	}
}

func TestNames(t *testing.T) {
	for s, want := range map[State]string{All: "all filesets found", Partial: "not all filesets found", NoData: "not in the fix database", 0: "unknown"} {
		if s.String() != want {
			t.Errorf("State(%d) = %q", s, s.String())
		}
	}
	for k, want := range map[Kind]string{APAR: "APAR", ML: "maintenance level", SP: "service pack", 0: "unknown"} {
		if k.String() != want {
			t.Errorf("Kind(%d) = %q", k, k.String())
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add(listAIX72)
	f.Add(askedAIX433)
	f.Add("All filesets for were found.\nThere was no data for  in the fix database.\n")
	f.Fuzz(func(t *testing.T, in string) {
		file, err := Parse(strings.NewReader(in), "f")
		if file == nil {
			t.Fatalf("nil File, error %v", err)
		}
		n := len(file.Lines)
		parsetest.CheckErrors(t, err, "f", n)
		prev := 0
		for _, fx := range file.Fixes {
			if fx.Line <= prev || fx.Line > n || fx.Keyword == "" || strings.ContainsAny(fx.Keyword, " \t") || fx.State == 0 || fx.Kind == 0 {
				t.Fatalf("fix %+v out of order or range 1..%d", fx, n)
			}
			prev = fx.Line
			if !strings.Contains(file.Lines[fx.Line-1], fx.Keyword) {
				t.Fatalf("fix %+v not on its line %q", fx, file.Lines[fx.Line-1])
			}
		}
		if !bytes.Equal(file.Bytes(), parsetest.Normalize([]byte(in))) {
			for _, l := range file.Lines {
				if strings.HasSuffix(l, "\r") {
					return
				}
			}
			t.Fatalf("Bytes() = %q", file.Bytes())
		}
	})
}
