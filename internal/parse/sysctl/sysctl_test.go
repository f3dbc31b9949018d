package sysctl

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"

	"bastion/internal/parse"
)

// vendor is a distribution default in /usr/lib/sysctl.d: glob patterns
// with exclusions, and settings whose failure is ignored.
const vendor = `# Kernel defaults shipped with the init system.
# Override them in /etc/sysctl.d.

# Reverse path filter on every interface but "all"
net.ipv4.conf.default.rp_filter = 2
net.ipv4.conf.*.rp_filter = 2
-net.ipv4.conf.all.rp_filter

# Unprivileged ping
-net.ipv4.ping_group_range = 0 2147483647
-net.core.default_qdisc = fq_codel

fs.protected_hardlinks = 1
`

// local is an administrator's /etc/sysctl.conf in the style CIS scripts
// write: slashes as separators, ';' comments, a value with blanks and '#'.
const local = `#
# /etc/sysctl.conf - system variables
#
; redirects
net/ipv4/conf/all/send_redirects = 0
net.ipv4.conf.default.send_redirects=0
   net.ipv4.tcp_syncookies   =   1   
net/ipv4/conf/eth0.100/forwarding = 0
kernel.core_pattern = |/usr/share/apport/apport -p%p -s%s #core
net.ipv4.ip_local_port_range = 32768	60999
kernel.domainname =
`

func TestParse(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []Setting
	}{
		{
			name: "vendor defaults",
			in:   vendor,
			want: []Setting{
				{File: "f.conf", Line: 5, Key: "net.ipv4.conf.default.rp_filter", Value: "2"},
				{File: "f.conf", Line: 6, Key: "net.ipv4.conf.*.rp_filter", Value: "2"},
				{File: "f.conf", Line: 7, Key: "net.ipv4.conf.all.rp_filter", IgnoreErrors: true, Exclude: true},
				{File: "f.conf", Line: 10, Key: "net.ipv4.ping_group_range", Value: "0 2147483647", IgnoreErrors: true},
				{File: "f.conf", Line: 11, Key: "net.core.default_qdisc", Value: "fq_codel", IgnoreErrors: true},
				{File: "f.conf", Line: 13, Key: "fs.protected_hardlinks", Value: "1"},
			},
		},
		{
			name: "local sysctl.conf",
			in:   local,
			want: []Setting{
				{File: "f.conf", Line: 5, Key: "net.ipv4.conf.all.send_redirects", Value: "0"},
				{File: "f.conf", Line: 6, Key: "net.ipv4.conf.default.send_redirects", Value: "0"},
				{File: "f.conf", Line: 7, Key: "net.ipv4.tcp_syncookies", Value: "1"},
				{File: "f.conf", Line: 8, Key: "net.ipv4.conf.eth0/100.forwarding", Value: "0"},
				{File: "f.conf", Line: 9, Key: "kernel.core_pattern", Value: "|/usr/share/apport/apport -p%p -s%s #core"},
				{File: "f.conf", Line: 10, Key: "net.ipv4.ip_local_port_range", Value: "32768\t60999"},
				{File: "f.conf", Line: 11, Key: "kernel.domainname"},
			},
		},
		{
			name: "crlf and a dash before blanks",
			in:   "- net.ipv6.conf.all.accept_ra = 0\r\n\t; x\r\n",
			want: []Setting{{File: "f.conf", Line: 1, Key: "net.ipv6.conf.all.accept_ra", Value: "0", IgnoreErrors: true}},
		},
		{name: "empty", in: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse(strings.NewReader(tt.in), "f.conf")
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if diff := cmp.Diff(tt.want, f.Settings); diff != "" {
				t.Errorf("Parse mismatch (-want +got):\n%s", diff)
			}
			if !bytes.Equal(f.Bytes(), []byte(strings.ReplaceAll(tt.in, "\r\n", "\n"))) {
				t.Errorf("Bytes = %q", f.Bytes())
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, bad, want string
	}{
		{"no equals sign", "net.ipv4.ip_forward 0", `expected "key = value", found "net.ipv4.ip_forward 0"`},
		{"no key", " = 1", "setting with no key"},
		{"dash alone", "-", "setting with no key"},
		{"blank in key", "net.ipv4.conf.all. rp_filter = 1", `key "net.ipv4.conf.all. rp_filter" holds a blank`},
		{"slashes only", "// = 1", `key "//" names no parameter`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := "net.ipv4.tcp_syncookies = 1\n" + tt.bad + "\nkernel.kptr_restrict = 2\n"
			f, err := Parse(strings.NewReader(in), "99-x.conf")
			if err == nil {
				t.Fatalf("no error; settings %+v", f.Settings)
			}
			if list := parse.List(err); len(list) != 1 || list[0].Line != 2 || list[0].Err.Error() != tt.want {
				t.Errorf("errors %v, want one at line 2: %s", list, tt.want)
			}
			if len(f.Settings) != 2 || f.Settings[0].Line != 1 || f.Settings[1].Line != 3 {
				t.Errorf("good lines around the bad one: %+v", f.Settings)
			}
		})
	}
}

func TestParseReadError(t *testing.T) {
	boom := errors.New("boom")
	f, err := Parse(iotest.ErrReader(boom), "f.conf")
	if f != nil || !errors.Is(err, boom) {
		t.Errorf("Parse = %v, %v", f, err)
	}
}

func TestNormalize(t *testing.T) {
	for in, want := range map[string]string{
		"kernel.domainname":                   "kernel.domainname",
		"kernel/domainname":                   "kernel.domainname",
		"/net/ipv4/ip_forward":                "net.ipv4.ip_forward",
		"net/ipv4/conf/enp3s0.200/forwarding": "net.ipv4.conf.enp3s0/200.forwarding",
		"net.ipv4.conf.enp3s0/200.forwarding": "net.ipv4.conf.enp3s0/200.forwarding",
		"vm.swappiness":                       "vm.swappiness",
		"nodots":                              "nodots",
	} {
		if got := Normalize(in); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", in, got, want)
		}
	}
	if got := ProcPath("net.ipv4.conf.enp3s0/200.forwarding"); got != "/proc/sys/net/ipv4/conf/enp3s0.200/forwarding" {
		t.Errorf("ProcPath = %q", got)
	}
}

func mustParse(t *testing.T, name, text string) *File {
	t.Helper()
	f, err := Parse(strings.NewReader(text), name)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestEffectiveAndResolve(t *testing.T) {
	vend := mustParse(t, "/usr/lib/sysctl.d/50-default.conf", vendor)
	hard := mustParse(t, "/etc/sysctl.d/60-hardening.conf",
		"net.ipv4.tcp_syncookies = 1\nnet.ipv4.conf.*.rp_filter = 1\nnet.ipv4.conf.default.rp_filter = 1\nnet.ipv4.tcp_syncookies = 2\n")
	conf := mustParse(t, "/etc/sysctl.conf", "net.ipv4.tcp_syncookies = 0\n")

	eff := Effective(vend, hard, nil, conf)
	want := map[string]Setting{
		"net.ipv4.conf.default.rp_filter": {File: "/etc/sysctl.d/60-hardening.conf", Line: 3, Key: "net.ipv4.conf.default.rp_filter", Value: "1"},
		"net.ipv4.conf.*.rp_filter":       {File: "/etc/sysctl.d/60-hardening.conf", Line: 2, Key: "net.ipv4.conf.*.rp_filter", Value: "1"},
		"net.ipv4.ping_group_range":       {File: "/usr/lib/sysctl.d/50-default.conf", Line: 10, Key: "net.ipv4.ping_group_range", Value: "0 2147483647", IgnoreErrors: true},
		"net.core.default_qdisc":          {File: "/usr/lib/sysctl.d/50-default.conf", Line: 11, Key: "net.core.default_qdisc", Value: "fq_codel", IgnoreErrors: true},
		"fs.protected_hardlinks":          {File: "/usr/lib/sysctl.d/50-default.conf", Line: 13, Key: "fs.protected_hardlinks", Value: "1"},
		"net.ipv4.tcp_syncookies":         {File: "/etc/sysctl.conf", Line: 1, Key: "net.ipv4.tcp_syncookies", Value: "0"},
	}
	if diff := cmp.Diff(want, eff); diff != "" {
		t.Errorf("Effective (-want +got):\n%s", diff)
	}

	tests := []struct {
		key       string
		wantFile  string
		wantLine  int
		wantValue string
		found     bool
	}{
		// /etc/sysctl.conf is applied last.
		{"net.ipv4.tcp_syncookies", "/etc/sysctl.conf", 1, "0", true},
		// The later file's glob pattern.
		{"net.ipv4.conf.eth0.rp_filter", "/etc/sysctl.d/60-hardening.conf", 2, "1", true},
		// "-key" keeps the glob away from "all".
		{"net.ipv4.conf.all.rp_filter", "", 0, "", false},
		// A line naming the key wins over a later glob.
		{"net.ipv4.conf.default.rp_filter", "/etc/sysctl.d/60-hardening.conf", 3, "1", true},
		// A glob matches one name, not across dots.
		{"net.ipv4.conf.eth0.100.rp_filter", "", 0, "", false},
		{"net.ipv4.conf.eth0/100.rp_filter", "/etc/sysctl.d/60-hardening.conf", 2, "1", true},
		{"kernel.kptr_restrict", "", 0, "", false},
	}
	for _, tt := range tests {
		s, ok := Resolve(tt.key, vend, hard, conf)
		if ok != tt.found || s.File != tt.wantFile || s.Line != tt.wantLine || s.Value != tt.wantValue {
			t.Errorf("Resolve(%s) = %+v, %v; want %s:%d %q, %v", tt.key, s, ok, tt.wantFile, tt.wantLine, tt.wantValue, tt.found)
		}
	}
	// An explicit line wins even over an exclusion.
	ex := mustParse(t, "/etc/sysctl.d/70-all.conf", "net.ipv4.conf.all.rp_filter = 1\n")
	if s, ok := Resolve("net.ipv4.conf.all.rp_filter", vend, ex); !ok || s.File != "/etc/sysctl.d/70-all.conf" {
		t.Errorf("explicit after exclusion: %+v, %v", s, ok)
	}
}

func TestOrder(t *testing.T) {
	got := Order(map[string][]string{
		"/etc/sysctl.d":           {"99-sysctl.conf", "10-local.conf", "README", ".hidden.conf", "50-default.conf"},
		"/run/sysctl.d":           {"20-run.conf"},
		"/usr/local/lib/sysctl.d": {"10-local.conf"},
		"/usr/lib/sysctl.d":       {"50-default.conf", "50-pid-max.conf", "30-vendor.conf"},
		// On a merged /usr, /lib is /usr/lib: the same names are shadowed.
		"/lib/sysctl.d": {"50-default.conf", "50-pid-max.conf", "30-vendor.conf", "40-lib-only.conf"},
		"/opt/sysctl.d": {"00-ignored.conf"},
	})
	want := []string{
		"/etc/sysctl.d/10-local.conf",
		"/run/sysctl.d/20-run.conf",
		"/usr/lib/sysctl.d/30-vendor.conf",
		"/lib/sysctl.d/40-lib-only.conf",
		"/etc/sysctl.d/50-default.conf",
		"/usr/lib/sysctl.d/50-pid-max.conf",
		"/etc/sysctl.d/99-sysctl.conf",
		"/etc/sysctl.conf",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Order (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"/etc/sysctl.conf"}, Order(nil)); diff != "" {
		t.Errorf("Order(nil) (-want +got):\n%s", diff)
	}
}

func FuzzParse(f *testing.F) {
	f.Add(vendor)
	f.Add(local)
	f.Add("-\n=\n-a\nb c = d\n/ = x\n;\n")
	f.Fuzz(func(t *testing.T, input string) {
		file, err := Parse(strings.NewReader(input), "f.conf")
		if file == nil {
			t.Fatalf("nil File, error %v", err)
		}
		n := len(file.Lines)
		for _, s := range file.Settings {
			if s.Line < 1 || s.Line > n || s.Key == "" || s.File != "f.conf" {
				t.Fatalf("setting %+v out of 1..%d", s, n)
			}
			if s.Exclude && !s.IgnoreErrors {
				t.Fatalf("exclusion without '-': %+v", s)
			}
			if Normalize(s.Key) != s.Key {
				t.Fatalf("key %q is not normalised", s.Key)
			}
			Resolve(s.Key, file)
		}
		Effective(file)
		for _, pe := range parse.List(err) {
			if pe.File != "f.conf" || pe.Line < 1 || pe.Line > n {
				t.Fatalf("error %v out of range 1..%d", pe, n)
			}
		}
	})
}
