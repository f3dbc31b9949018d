package debver

import (
	"math/rand/v2"
	"os/exec"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// orderings are pairs whose order dpkg documents or Debian's archive
// relies on, a < b unless want says otherwise.
var orderings = []struct {
	a, b string
	want int
}{
	{"1.0", "1.1", -1},
	{"1.0", "1.0", 0},
	{"1.2.9", "1.2.10", -1},
	{"1.002", "1.2", 0},
	{"1.0", "1.0a", -1},
	{"1.0a", "1.0b", -1},
	{"1.0a", "1.0+", -1}, // letters sort before other characters
	{"1.0+", "1.0.", -1}, // '+' (43) before '.' (46)
	{"1.0", "1.0.1", -1},
	// Epochs.
	{"1:0.9", "2.0", 1},
	{"0:1.0", "1.0", 0},
	{"1:1.0", "2:0.1", -1},
	{"2:2.4-2", "1:9.9-9", 1},
	// Tildes sort before everything, even the end of the string.
	{"1.0~rc1", "1.0", -1},
	{"1.0~rc1", "1.0~rc2", -1},
	{"1.0~~", "1.0~~a", -1},
	{"1.0~~a", "1.0~", -1},
	{"1.0~", "1.0", -1},
	{"1.0~beta1~git1", "1.0~beta1", -1},
	// Revisions.
	{"1.0-1", "1.0-2", -1},
	{"1.0", "1.0-0", 0},
	{"1.0-1", "1.0-1+deb12u1", -1},
	{"1.0-1~bpo12+1", "1.0-1", -1},
	{"1.0-1+deb12u9", "1.0-1+deb12u10", -1},
	{"1-1-1", "1-1", 1}, // upstream "1-1" against "1"
	// Versions as the Debian archive has them.
	{"1:9.2p1-2+deb12u2", "1:9.2p1-2+deb12u3", -1},
	{"2.36-9+deb12u7", "2.36-9+deb12u10", -1},
	{"3.0.11-1~deb12u2", "3.0.14-1~deb12u1", -1},
	{"3.0.15-1~deb12u1", "3.0.14-1~deb12u2", 1},
	{"0.17+2.4-2", "2:2.4-2", -1},
	{"2024a-0+deb12u1", "2025b-0+deb12u1", -1},
	{"7.88.1-10+deb12u5", "7.88.1-10+deb12u12", -1},
	{"22.01+dfsg-8", "22.01+really26.02+dfsg-0+deb12u1", -1},
}

func TestCompare(t *testing.T) {
	for _, tc := range orderings {
		if got := Compare(tc.a, tc.b); got != tc.want {
			t.Errorf("Compare(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
		if got := Compare(tc.b, tc.a); got != -tc.want {
			t.Errorf("Compare(%q, %q) = %d, want %d", tc.b, tc.a, got, -tc.want)
		}
	}
}

// The tilde example of dpkg's manual: a list in increasing order.
func TestCompareSorted(t *testing.T) {
	list := []string{"1~~", "1~~a", "1~", "1", "1a", "1.0", "1.0.0", "1:0"}
	for i := range list {
		for j := range list {
			want := 0
			switch {
			case i < j:
				want = -1
			case i > j:
				want = 1
			}
			if got := Compare(list[i], list[j]); got != want {
				t.Errorf("Compare(%q, %q) = %d, want %d", list[i], list[j], got, want)
			}
		}
	}
}

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		in      string
		want    Version
		wantErr string
	}{
		{in: "1:9.2p1-2+deb12u3", want: Version{Epoch: 1, Upstream: "9.2p1", Revision: "2+deb12u3"}},
		{in: "2.36", want: Version{Upstream: "2.36"}},
		{in: "1.2-3-4", want: Version{Upstream: "1.2-3", Revision: "4"}},
		{in: "1:2:3-4", want: Version{Epoch: 1, Upstream: "2:3", Revision: "4"}},
		{in: "1.0~rc1-0~bpo1", want: Version{Upstream: "1.0~rc1", Revision: "0~bpo1"}},
		{in: "", wantErr: "empty version"},
		{in: "1 .0", wantErr: `version "1 .0" has a blank`},
		{in: "a:1.0", wantErr: `version "a:1.0": epoch is not a number`},
		{in: ":1.0", wantErr: `version ":1.0": epoch is not a number`},
		{in: "99999999999:1", wantErr: `version "99999999999:1": epoch is too big`},
		{in: "1.0-", wantErr: `version "1.0-": empty revision`},
		{in: "1:-1", wantErr: `version "1:-1": empty upstream version`},
		{in: "abc", wantErr: `version "abc": upstream version does not start with a digit`},
		{in: "1.0_2", wantErr: `version "1.0_2": bad character '_' in upstream version`},
		{in: "1:1.0-2:3", wantErr: `version "1:1.0-2:3": bad character ':' in revision`},
		{in: "1.0-2:3", wantErr: `version "1.0-2:3": epoch is not a number`},
	} {
		got, err := Parse(tc.in)
		gotErr := ""
		if err != nil {
			gotErr = err.Error()
		}
		if gotErr != tc.wantErr {
			t.Errorf("Parse(%q) error = %q, want %q", tc.in, gotErr, tc.wantErr)
			continue
		}
		if err == nil {
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Parse(%q) (-want +got):\n%s", tc.in, diff)
			}
			if Valid(tc.in) != true {
				t.Errorf("Valid(%q) = false", tc.in)
			}
			// String gives back the version, less a zero epoch.
			if s := got.String(); Compare(s, tc.in) != 0 {
				t.Errorf("String() = %q, not equal to %q", s, tc.in)
			}
		}
	}
}

// Compare agrees with dpkg itself on the table and on random versions made
// of the characters that matter, where dpkg is installed.
func TestCompareAgainstDpkg(t *testing.T) {
	dpkg, err := exec.LookPath("dpkg")
	if err != nil {
		t.Skip("dpkg is not installed")
	}
	if testing.Short() {
		t.Skip("runs dpkg a few hundred times")
	}
	pairs := [][2]string{}
	for _, tc := range orderings {
		pairs = append(pairs, [2]string{tc.a, tc.b})
	}
	r := rand.New(rand.NewPCG(1, 2))
	gen := func() string {
		const chars = "0019a.+~zB"
		var b strings.Builder
		if r.IntN(4) == 0 {
			b.WriteString([]string{"0:", "1:", "2:"}[r.IntN(3)])
		}
		b.WriteByte("0123456789"[r.IntN(10)])
		for range r.IntN(6) {
			b.WriteByte(chars[r.IntN(len(chars))])
		}
		if r.IntN(2) == 0 {
			b.WriteByte('-')
			b.WriteByte("01a~"[r.IntN(4)])
			for range r.IntN(4) {
				b.WriteByte(chars[r.IntN(len(chars))])
			}
		}
		return b.String()
	}
	for range 150 {
		pairs = append(pairs, [2]string{gen(), gen()})
	}
	for _, p := range pairs {
		if !Valid(p[0]) || !Valid(p[1]) {
			continue
		}
		lt := exec.Command(dpkg, "--compare-versions", p[0], "lt", p[1]).Run() == nil
		eq := exec.Command(dpkg, "--compare-versions", p[0], "eq", p[1]).Run() == nil
		want := 1
		switch {
		case lt:
			want = -1
		case eq:
			want = 0
		}
		if got := Compare(p[0], p[1]); got != want {
			t.Errorf("Compare(%q, %q) = %d, dpkg says %d", p[0], p[1], got, want)
		}
	}
}

func FuzzCompare(f *testing.F) {
	for _, tc := range orderings {
		f.Add(tc.a, tc.b)
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		ab, ba := Compare(a, b), Compare(b, a)
		if ab != -ba {
			t.Fatalf("Compare(%q, %q) = %d but Compare(%q, %q) = %d", a, b, ab, b, a, ba)
		}
		if Compare(a, a) != 0 {
			t.Fatalf("Compare(%q, %q) != 0", a, a)
		}
		if v, err := Parse(a); err == nil && Compare(v.String(), a) != 0 {
			t.Fatalf("Parse(%q).String() = %q compares unequal", a, v.String())
		}
	})
}
