package oslevel

import (
	"errors"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"

	"bastion/internal/parse"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    Level
		str     string
		wantErr string
	}{
		{
			name: "base 4.3.3",
			in:   "4.3.3.0\n",
			want: Level{Line: 1, Raw: "4.3.3.0", Form: Base, Version: "4.3.3", Major: 4, Minor: 3},
			str:  "AIX 4.3.3",
		},
		{
			name: "base 7.2",
			in:   "7.2.0.0\n",
			want: Level{Line: 1, Raw: "7.2.0.0", Form: Base, Version: "7.2", Major: 7, Minor: 2},
			str:  "AIX 7.2",
		},
		{
			name: "service pack 7.2",
			in:   "7200-05-03-2148\n",
			want: Level{Line: 1, Raw: "7200-05-03-2148", Form: SP, Version: "7.2", Major: 7, Minor: 2, TL: 5, SP: 3, Build: "2148"},
			str:  "AIX 7.2 TL5 SP3",
		},
		{
			name: "service pack 7.3 after blank lines, crlf",
			in:   "\r\n  \r\n7300-02-01-2346\r\n",
			want: Level{Line: 3, Raw: "7300-02-01-2346", Form: SP, Version: "7.3", Major: 7, Minor: 3, TL: 2, SP: 1, Build: "2346"},
			str:  "AIX 7.3 TL2 SP1",
		},
		{
			name: "service pack without build",
			in:   "5300-06-03\n",
			want: Level{Line: 1, Raw: "5300-06-03", Form: SP, Version: "5.3", Major: 5, Minor: 3, TL: 6, SP: 3},
			str:  "AIX 5.3 TL6 SP3",
		},
		{
			name: "concluding service pack",
			in:   "6100-06-CSP-1216\n",
			want: Level{Line: 1, Raw: "6100-06-CSP-1216", Form: SP, Version: "6.1", Major: 6, Minor: 1, TL: 6, CSP: true, Build: "1216"},
			str:  "AIX 6.1 TL6 CSP",
		},
		{
			name: "technology level",
			in:   "5300-12\n",
			want: Level{Line: 1, Raw: "5300-12", Form: TL, Version: "5.3", Major: 5, Minor: 3, TL: 12},
			str:  "AIX 5.3 TL12",
		},
		{
			name: "maintenance level of 4.3.3",
			in:   "4330-08\n",
			want: Level{Line: 1, Raw: "4330-08", Form: TL, Version: "4.3.3", Major: 4, Minor: 3, TL: 8},
			str:  "AIX 4.3.3 ML8",
		},
		{
			name: "later lines ignored",
			in:   "7100-05-10-2220\nsomething else\n",
			want: Level{Line: 1, Raw: "7100-05-10-2220", Form: SP, Version: "7.1", Major: 7, Minor: 1, TL: 5, SP: 10, Build: "2220"},
			str:  "AIX 7.1 TL5 SP10",
		},
		{name: "empty", in: "", wantErr: "oslevel: no level found"},
		{name: "blank", in: "\n \n", wantErr: "oslevel: no level found"},
		{name: "words", in: "\noslevel: not found\n", wantErr: `oslevel:2: not an oslevel, oslevel -r or oslevel -s level: "oslevel: not found"`},
		{name: "bad base", in: "7.2.x.0\n", wantErr: `oslevel:1: not a V.R.M.F level: "7.2.x.0"`},
		{name: "one field", in: "7\n", wantErr: `oslevel:1: not an oslevel, oslevel -r or oslevel -s level: "7"`},
		{name: "five dotted fields", in: "7.2.0.0.0\n", wantErr: `oslevel:1: not a V.R.M.F level: "7.2.0.0.0"`},
		{name: "release not four digits", in: "720-05\n", wantErr: `oslevel:1: release is not four digits: "720-05"`},
		{name: "bad tl", in: "7200-xx-03-2148\n", wantErr: `oslevel:1: technology level is not a number: "7200-xx-03-2148"`},
		{name: "bad sp", in: "7200-05--2148\n", wantErr: `oslevel:1: service pack is not a number: "7200-05--2148"`},
		{name: "bad build", in: "7200-05-03-21480\n", wantErr: `oslevel:1: build is not four digits (YYWW): "7200-05-03-21480"`},
		{name: "too many fields", in: "7200-05-03-2148-1\n", wantErr: `oslevel:1: not an oslevel, oslevel -r or oslevel -s level: "7200-05-03-2148-1"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(strings.NewReader(tt.in), "oslevel")
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("Parse() error = %v, want %q", err, tt.wantErr)
				}
				if diff := cmp.Diff(Level{}, got); diff != "" {
					t.Errorf("Parse() on error returned a level:\n%s", diff)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse() error = %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Parse() mismatch (-want +got):\n%s", diff)
			}
			if s := got.String(); s != tt.str {
				t.Errorf("String() = %q, want %q", s, tt.str)
			}
		})
	}
}

func TestParseBosLevel(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    Level
		wantErr string
	}{
		{
			name: "7.2",
			in:   "7.2.0.0\n",
			want: Level{Line: 1, Raw: "7.2.0.0", Form: Base, Version: "7.2", Major: 7, Minor: 2},
		},
		{
			name: "5.3 after a blank line",
			in:   "\n5.3.0.0\n",
			want: Level{Line: 2, Raw: "5.3.0.0", Form: Base, Version: "5.3", Major: 5, Minor: 3},
		},
		{name: "service pack form is not a bos level", in: "7200-05-03-2148\n", wantErr: `aix_release.level:1: not a V.R.M.F level: "7200-05-03-2148"`},
		{name: "empty", in: "", wantErr: "aix_release.level: no level found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseBosLevel(strings.NewReader(tt.in), "aix_release.level")
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("ParseBosLevel() error = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseBosLevel() error = %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParseBosLevel() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestErrorLines(t *testing.T) {
	_, err := Parse(strings.NewReader("\n\nbad\n"), "oslevel")
	list := parse.List(err)
	if len(list) != 1 || list[0].Line != 3 || list[0].File != "oslevel" {
		t.Errorf("Parse() error = %#v, want one error at oslevel:3", list)
	}
}

func TestUnreadable(t *testing.T) {
	bad := errors.New("input/output error")
	if _, err := Parse(iotest.ErrReader(bad), "oslevel"); !errors.Is(err, bad) {
		t.Errorf("Parse() error = %v, want %v", err, bad)
	}
	if _, err := ParseBosLevel(iotest.ErrReader(bad), "aix_release.level"); !errors.Is(err, bad) {
		t.Errorf("ParseBosLevel() error = %v, want %v", err, bad)
	}
}

func TestFormString(t *testing.T) {
	for f, want := range map[Form]string{Base: "oslevel", TL: "oslevel -r", SP: "oslevel -s", 0: "Form(0)"} {
		if got := f.String(); got != want {
			t.Errorf("Form(%d).String() = %q, want %q", int(f), got, want)
		}
	}
}
