package osrelease

import (
	"errors"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"

	"bastion/internal/parse"
)

const debian12 = `PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
NAME="Debian GNU/Linux"
VERSION_ID="12"
VERSION="12 (bookworm)"
VERSION_CODENAME=bookworm
ID=debian
HOME_URL="https://www.debian.org/"
SUPPORT_URL="https://www.debian.org/support"
BUG_REPORT_URL="https://bugs.debian.org/"
`

const rocky9 = `NAME="Rocky Linux"
VERSION="9.3 (Blue Onyx)"
ID="rocky"
ID_LIKE="rhel centos fedora"
VERSION_ID="9.3"
PLATFORM_ID="platform:el9"
PRETTY_NAME="Rocky Linux 9.3 (Blue Onyx)"
ANSI_COLOR="0;32"
LOGO="fedora-logo-icon"
CPE_NAME="cpe:/o:rocky:rocky:9::baseos"
HOME_URL="https://rockylinux.org/"
BUG_REPORT_URL="https://bugs.rockylinux.org/"
SUPPORT_END="2032-05-31"
ROCKY_SUPPORT_PRODUCT="Rocky-Linux-9"
ROCKY_SUPPORT_PRODUCT_VERSION="9.3"
REDHAT_SUPPORT_PRODUCT="Rocky Linux"
REDHAT_SUPPORT_PRODUCT_VERSION="9.3"
`

const sles15 = `NAME="SLES"
VERSION="15-SP5"
VERSION_ID="15.5"
PRETTY_NAME="SUSE Linux Enterprise Server 15 SP5"
ID="sles"
ID_LIKE="suse"
ANSI_COLOR="0;32"
CPE_NAME="cpe:/o:suse:sles:15:sp5"
DOCUMENTATION_URL="https://documentation.suse.com/"
`

func TestParse(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    *Release
		wantErr []string
	}{
		{
			name: "debian 12",
			in:   debian12,
			want: &Release{
				Fields: map[string]string{
					"PRETTY_NAME":      "Debian GNU/Linux 12 (bookworm)",
					"NAME":             "Debian GNU/Linux",
					"VERSION_ID":       "12",
					"VERSION":          "12 (bookworm)",
					"VERSION_CODENAME": "bookworm",
					"ID":               "debian",
					"HOME_URL":         "https://www.debian.org/",
					"SUPPORT_URL":      "https://www.debian.org/support",
					"BUG_REPORT_URL":   "https://bugs.debian.org/",
				},
				Lines: map[string]int{
					"PRETTY_NAME": 1, "NAME": 2, "VERSION_ID": 3, "VERSION": 4, "VERSION_CODENAME": 5,
					"ID": 6, "HOME_URL": 7, "SUPPORT_URL": 8, "BUG_REPORT_URL": 9,
				},
				ID:              "debian",
				VersionID:       "12",
				VersionCodename: "bookworm",
				PrettyName:      "Debian GNU/Linux 12 (bookworm)",
				Name:            "Debian GNU/Linux",
			},
		},
		{
			name: "sles 15",
			in:   sles15,
			want: &Release{
				Fields: map[string]string{
					"NAME": "SLES", "VERSION": "15-SP5", "VERSION_ID": "15.5",
					"PRETTY_NAME": "SUSE Linux Enterprise Server 15 SP5", "ID": "sles", "ID_LIKE": "suse",
					"ANSI_COLOR": "0;32", "CPE_NAME": "cpe:/o:suse:sles:15:sp5",
					"DOCUMENTATION_URL": "https://documentation.suse.com/",
				},
				Lines: map[string]int{
					"NAME": 1, "VERSION": 2, "VERSION_ID": 3, "PRETTY_NAME": 4, "ID": 5, "ID_LIKE": 6,
					"ANSI_COLOR": 7, "CPE_NAME": 8, "DOCUMENTATION_URL": 9,
				},
				ID:         "sles",
				IDLike:     []string{"suse"},
				VersionID:  "15.5",
				PrettyName: "SUSE Linux Enterprise Server 15 SP5",
				Name:       "SLES",
			},
		},
		{
			name: "quoting, escapes, comments, repeats",
			in: "# This file is part of an image build.\n" +
				"\n" +
				"  NAME='Example OS'  \r\n" +
				`PRETTY_NAME="Example \"Quoted\" \$HOME \` + "`x\\`" + ` back\\slash \n kept"` + "\n" +
				"ID=example\\ os\n" +
				"ID=example\n" +
				"EMPTY=\n" +
				"EMPTY_QUOTED=\"\"\n" +
				"BARE_SPACE=two words\n" +
				"SINGLE='no \\\"escapes\\\" here'\n",
			want: &Release{
				Fields: map[string]string{
					"NAME":         "Example OS",
					"PRETTY_NAME":  "Example \"Quoted\" $HOME `x` back\\slash \\n kept",
					"ID":           "example",
					"EMPTY":        "",
					"EMPTY_QUOTED": "",
					"BARE_SPACE":   "two words",
					"SINGLE":       `no \"escapes\" here`,
				},
				Lines: map[string]int{
					"NAME": 3, "PRETTY_NAME": 4, "ID": 6, "EMPTY": 7, "EMPTY_QUOTED": 8, "BARE_SPACE": 9, "SINGLE": 10,
				},
				ID:         "example",
				PrettyName: "Example \"Quoted\" $HOME `x` back\\slash \\n kept",
				Name:       "Example OS",
			},
		},
		{
			name: "bad lines",
			in: "ID=debian\n" +
				"just words\n" +
				"1ID=x\n" +
				"ID LIKE=x\n" +
				"=x\n" +
				"NAME=\"unterminated\n" +
				"NAME='unterminated\n" +
				"NAME=\"a\"b\n" +
				"NAME='a'b\n" +
				"NAME=a\"b\"\n" +
				"NAME=trailing\\\n" +
				"VERSION_ID=\"12\"\n",
			want: &Release{
				Fields:    map[string]string{"ID": "debian", "VERSION_ID": "12"},
				Lines:     map[string]int{"ID": 1, "VERSION_ID": 12},
				ID:        "debian",
				VersionID: "12",
			},
			wantErr: []string{
				`os-release:2: not a KEY=value assignment: "just words"`,
				`os-release:3: bad variable name "1ID"`,
				`os-release:4: bad variable name "ID LIKE"`,
				`os-release:5: bad variable name ""`,
				"os-release:6: unterminated double quote in value of NAME",
				"os-release:7: unterminated single quote in value of NAME",
				"os-release:8: text after closing quote in value of NAME",
				"os-release:9: text after closing quote in value of NAME",
				"os-release:10: unexpected quote in value of NAME",
				"os-release:11: backslash at end of line in value of NAME",
			},
		},
		{
			name: "empty",
			want: &Release{Fields: map[string]string{}, Lines: map[string]int{}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(strings.NewReader(tt.in), "os-release")
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Parse() mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantErr, errStrings(err)); diff != "" {
				t.Errorf("Parse() errors mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseIDLike(t *testing.T) {
	got, err := Parse(strings.NewReader(rocky9), "os-release")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"rhel", "centos", "fedora"}, got.IDLike); diff != "" {
		t.Errorf("IDLike mismatch (-want +got):\n%s", diff)
	}
	if got.ID != "rocky" || got.VersionID != "9.3" || got.Fields["PLATFORM_ID"] != "platform:el9" {
		t.Errorf("Parse() = %+v", got)
	}
}

func TestUnreadable(t *testing.T) {
	bad := errors.New("input/output error")
	if got, err := Parse(iotest.ErrReader(bad), "os-release"); got != nil || !errors.Is(err, bad) {
		t.Errorf("Parse() = %v, %v; want nil, %v", got, err, bad)
	}
}

func TestParseRedHatRelease(t *testing.T) {
	tests := []struct {
		line, name, version string
		ok                  bool
	}{
		{"Red Hat Enterprise Linux release 9.4 (Plow)\n", "Red Hat Enterprise Linux", "9.4", true},
		{"Red Hat Enterprise Linux Server release 7.9 (Maipo)", "Red Hat Enterprise Linux Server", "7.9", true},
		{"Red Hat Enterprise Linux Server release 6.10 (Santiago)", "Red Hat Enterprise Linux Server", "6.10", true},
		{"CentOS Linux release 7.9.2009 (Core)", "CentOS Linux", "7.9.2009", true},
		{"CentOS release 6.10 (Final)", "CentOS", "6.10", true},
		{"CentOS Stream release 9", "CentOS Stream", "9", true},
		{"Rocky Linux release 9.3 (Blue Onyx)", "Rocky Linux", "9.3", true},
		{"AlmaLinux release 8.9 (Midnight Oncilla)", "AlmaLinux", "8.9", true},
		{"Fedora release 39 (Thirty Nine)", "Fedora", "39", true},
		{"Red Hat Linux release 9 (Shrike)", "Red Hat Linux", "9", true},
		{"Debian GNU/Linux 12", "", "", false},
		{"release 9.4", "", "", false},
		{" release 9.4", "", "", false},
		{"Foo release ", "", "", false},
		{"Foo release (Bar)", "", "", false},
		{"", "", "", false},
	}
	for _, tt := range tests {
		name, version, ok := ParseRedHatRelease(tt.line)
		if name != tt.name || version != tt.version || ok != tt.ok {
			t.Errorf("ParseRedHatRelease(%q) = %q, %q, %v; want %q, %q, %v", tt.line, name, version, ok, tt.name, tt.version, tt.ok)
		}
	}
}

func TestParseDebianVersion(t *testing.T) {
	tests := []struct {
		in, version, codename string
		ok                    bool
	}{
		{"12.5\n", "12.5", "", true},
		{"11.9", "11.9", "", true},
		{"6.0.10\n", "6.0.10", "", true},
		{"bookworm/sid\n", "", "bookworm", true},
		{"trixie/sid", "", "trixie", true},
		{"testing/unstable\n", "", "testing", true},
		{"", "", "", false},
		{"\n", "", "", false},
		{"12.5 extra", "", "", false},
		{"12.5\n13\n", "", "", false},
		{"sid", "", "", false},
		{"Bookworm/sid", "", "", false},
		{"/sid", "", "", false},
		{"bookworm/", "", "", false},
		{"12a", "", "", false},
	}
	for _, tt := range tests {
		version, codename, ok := ParseDebianVersion(tt.in)
		if version != tt.version || codename != tt.codename || ok != tt.ok {
			t.Errorf("ParseDebianVersion(%q) = %q, %q, %v; want %q, %q, %v", tt.in, version, codename, ok, tt.version, tt.codename, tt.ok)
		}
	}
}

// errStrings returns the messages of every line error in err.
func errStrings(err error) []string {
	var out []string
	for _, e := range parse.List(err) {
		out = append(out, e.Error())
	}
	return out
}
