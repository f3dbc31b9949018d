package updateinfo

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

// dnfRHEL9 is "dnf updateinfo list" on a RHEL 9 host.
const dnfRHEL9 = `Updating Subscription Management repositories.
Last metadata expiration check: 0:41:07 ago on Tue 11 Jun 2024 08:02:11 AM UTC.
RHSA-2024:3501 Important/Sec. openssh-8.7p1-38.el9_4.1.x86_64
RHSA-2024:3501 Important/Sec. openssh-server-8.7p1-38.el9_4.1.x86_64
RHBA-2024:2871 bugfix         tzdata-2024a-2.el9.noarch
RHSA-2024:2962 Moderate/Sec.  bind-libs-32:9.16.23-15.el9_4.1.x86_64
`

// yumRHEL7 is "yum updateinfo list security" on a RHEL 7 host.
const yumRHEL7 = `Loaded plugins: product-id, search-disabled-repos, subscription-manager
RHSA-2019:1228 Important/Sec. openssh-7.4p1-21.el7.x86_64
updateinfo list done
`

// dnf5Fedora is "dnf updateinfo list" of dnf 5.
const dnf5Fedora = `Updating and loading repositories:
Repositories loaded.
Name                   Type        Severity Package                       Issued
FEDORA-2024-0b2f2e1a8b bugfix      None     tzdata-2024a-5.fc40.noarch    2024-06-05 01:23:45
FEDORA-2024-77c1d0e9aa security    Moderate curl-8.6.0-8.fc40.x86_64      2024-06-07 02:10:00
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
		want    []Advisory
		wantErr []string
	}{
		{
			name: "dnf", in: dnfRHEL9,
			want: []Advisory{
				{3, "RHSA-2024:3501", "Important/Sec.", true, "Important", "openssh", "8.7p1-38.el9_4.1", "x86_64", "openssh-8.7p1-38.el9_4.1.x86_64"},
				{4, "RHSA-2024:3501", "Important/Sec.", true, "Important", "openssh-server", "8.7p1-38.el9_4.1", "x86_64", "openssh-server-8.7p1-38.el9_4.1.x86_64"},
				{5, "RHBA-2024:2871", "bugfix", false, "", "tzdata", "2024a-2.el9", "noarch", "tzdata-2024a-2.el9.noarch"},
				{6, "RHSA-2024:2962", "Moderate/Sec.", true, "Moderate", "bind-libs", "32:9.16.23-15.el9_4.1", "x86_64", "bind-libs-32:9.16.23-15.el9_4.1.x86_64"},
			},
		},
		{
			name: "yum", in: yumRHEL7,
			want: []Advisory{{2, "RHSA-2019:1228", "Important/Sec.", true, "Important", "openssh", "7.4p1-21.el7", "x86_64", "openssh-7.4p1-21.el7.x86_64"}},
		},
		{
			name: "dnf5", in: dnf5Fedora,
			want: []Advisory{
				{4, "FEDORA-2024-0b2f2e1a8b", "bugfix", false, "", "tzdata", "2024a-5.fc40", "noarch", "tzdata-2024a-5.fc40.noarch"},
				{5, "FEDORA-2024-77c1d0e9aa", "security", true, "Moderate", "curl", "8.6.0-8.fc40", "x86_64", "curl-8.6.0-8.fc40.x86_64"},
			},
		},
		{
			name: "errors", in: "Error: something\nRHSA-2024:1 Important/Sec.\nnoadvisory bugfix a-1-2.x86_64\nRHSA-2024:1 odd a-1-2.x86_64\nRHSA-2024:1 bugfix a-1.x86_64\r\n# note\n\nRHSA-2024:2 bugfix b-1-2.noarch\n",
			want: []Advisory{{8, "RHSA-2024:2", "bugfix", false, "", "b", "1-2", "noarch", "b-1-2.noarch"}},
			wantErr: []string{
				`u:1: not an advisory line (want ID TYPE PACKAGE): "Error: something"`,
				`u:2: not an advisory line (want ID TYPE PACKAGE): "RHSA-2024:1 Important/Sec."`,
				`u:3: not an advisory name: "noadvisory bugfix a-1-2.x86_64"`,
				`u:4: unknown advisory type odd: "RHSA-2024:1 odd a-1-2.x86_64"`,
				`u:5: not a package name-version-release.arch: "RHSA-2024:1 bugfix a-1.x86_64"`,
			},
		},
		{name: "empty", in: ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := Parse(strings.NewReader(tc.in), "u")
			if f == nil {
				t.Fatalf("nil File, error %v", err)
			}
			if diff := cmp.Diff(tc.want, f.Advisories); diff != "" {
				t.Errorf("advisories (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.wantErr, errStrings(err)); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
			if !bytes.Equal(f.Bytes(), parsetest.Normalize([]byte(tc.in))) {
				t.Errorf("Bytes() = %q", f.Bytes())
			}
		})
	}
	if _, err := Parse(iotest.ErrReader(errors.New("boom")), "u"); err == nil {
		t.Error("a read error gave no error")
	}
}

func TestSplitNEVRA(t *testing.T) {
	for in, want := range map[string][3]string{
		"openssh-server-8.7p1-38.el9_4.1.x86_64": {"openssh-server", "8.7p1-38.el9_4.1", "x86_64"},
		"bind-libs-32:9.16.23-15.el9.x86_64":     {"bind-libs", "32:9.16.23-15.el9", "x86_64"},
		"a-1-2.noarch":                           {"a", "1-2", "noarch"},
		"a-1.x86_64":                             {},
		"-1-2.x86_64":                            {},
		"a--2.x86_64":                            {},
		"a-1-.x86_64":                            {},
		"a-1-2.":                                 {},
		"noarch":                                 {},
	} {
		n, v, a, ok := SplitNEVRA(in)
		if ok != (want[0] != "") || [3]string{n, v, a} != want {
			t.Errorf("SplitNEVRA(%q) = %q, %q, %q, %v", in, n, v, a, ok)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add(dnfRHEL9)
	f.Add(yumRHEL7)
	f.Add(dnf5Fedora)
	f.Fuzz(func(t *testing.T, in string) {
		file, err := Parse(strings.NewReader(in), "u")
		if file == nil {
			t.Fatalf("nil File, error %v", err)
		}
		n := len(file.Lines)
		parsetest.CheckErrors(t, err, "u", n)
		prev := 0
		for _, a := range file.Advisories {
			if a.Line <= prev || a.Line > n || a.Package == "" || a.Version == "" || a.Arch == "" {
				t.Fatalf("advisory %+v out of order or range 1..%d", a, n)
			}
			prev = a.Line
			if a.Package+"-"+a.Version+"."+a.Arch != a.NEVRA {
				t.Fatalf("split %+v does not give back %q", a, a.NEVRA)
			}
		}
	})
}
