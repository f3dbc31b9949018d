package vsftpd

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"

	"bastion/internal/parse"
)

func parseFixture(t *testing.T, name string) *File {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	f, err := Parse(strings.NewReader(string(data)), "/etc/vsftpd.conf")
	if err != nil {
		t.Fatalf("Parse(%s): %v", name, err)
	}
	if string(f.Bytes()) != string(data) {
		t.Errorf("Bytes() does not give %s back", name)
	}
	return f
}

func TestParseDebian(t *testing.T) {
	f := parseFixture(t, "debian.conf")
	want := []Option{
		{5, "listen", "NO"},
		{6, "listen_ipv6", "YES"},
		{9, "anonymous_enable", "NO"},
		{10, "local_enable", "YES"},
		{18, "dirmessage_enable", "YES"},
		{19, "use_localtime", "YES"},
		{20, "xferlog_enable", "YES"},
		{21, "connect_from_port_20", "YES"},
		{25, "secure_chroot_dir", "/var/run/vsftpd/empty"},
		{26, "pam_service_name", "vsftpd"},
		{27, "rsa_cert_file", "/etc/ssl/certs/ssl-cert-snakeoil.pem"},
		{28, "rsa_private_key_file", "/etc/ssl/private/ssl-cert-snakeoil.key"},
		{29, "ssl_enable", "NO"},
	}
	if diff := cmp.Diff(want, f.Options); diff != "" {
		t.Errorf("options (-want +got):\n%s", diff)
	}
}

// effective is what a rule reads of one option: its value and whether the
// file sets it.
type effective struct {
	Value bool
	Set   bool
}

func bools(f *File, names ...string) map[string]effective {
	m := map[string]effective{}
	for _, n := range names {
		v, set := f.Bool(n)
		m[n] = effective{v, set}
	}
	return m
}

func TestBoolAndDefaults(t *testing.T) {
	names := []string{"anonymous_enable", "local_enable", "write_enable", "anon_upload_enable",
		"userlist_enable", "userlist_deny", "listen", "listen_ipv6", "ssl_enable",
		"force_local_logins_ssl", "xferlog_enable", "chroot_local_user"}
	tests := []struct {
		file string
		want map[string]effective
	}{
		{"debian.conf", map[string]effective{
			"anonymous_enable": {false, true}, "local_enable": {true, true},
			"write_enable": {false, false}, "anon_upload_enable": {false, false},
			"userlist_enable": {false, false}, "userlist_deny": {true, false},
			"listen": {false, true}, "listen_ipv6": {true, true}, "ssl_enable": {false, true},
			"force_local_logins_ssl": {true, false}, "xferlog_enable": {true, true},
			"chroot_local_user": {false, false},
		}},
		{"rhel.conf", map[string]effective{
			"anonymous_enable": {false, true}, "local_enable": {true, true},
			"write_enable": {true, true}, "anon_upload_enable": {false, false},
			"userlist_enable": {true, true}, "userlist_deny": {true, false},
			"listen": {false, true}, "listen_ipv6": {true, true}, "ssl_enable": {false, false},
			"force_local_logins_ssl": {true, false}, "xferlog_enable": {true, true},
			"chroot_local_user": {false, false},
		}},
		{"hardened.conf", map[string]effective{
			"anonymous_enable": {false, true}, "local_enable": {true, true},
			"write_enable": {true, true}, "anon_upload_enable": {false, false},
			"userlist_enable": {true, true}, "userlist_deny": {false, true},
			"listen": {true, true}, "listen_ipv6": {false, true}, "ssl_enable": {true, true},
			"force_local_logins_ssl": {true, true}, "xferlog_enable": {true, true},
			"chroot_local_user": {true, true},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			f := parseFixture(t, tt.file)
			if diff := cmp.Diff(tt.want, bools(f, names...)); diff != "" {
				t.Errorf("Bool (-want +got):\n%s", diff)
			}
		})
	}

	// An empty file: every option takes its compiled-in default, and
	// anonymous FTP is on.
	empty, err := Parse(strings.NewReader(""), "vsftpd.conf")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]effective{}
	for _, n := range names {
		b, ok := ParseBool(Defaults[n])
		if !ok {
			t.Fatalf("Defaults[%q] = %q is not a boolean", n, Defaults[n])
		}
		want[n] = effective{b, false}
	}
	if !want["anonymous_enable"].Value {
		t.Errorf("anonymous_enable must default to YES")
	}
	if diff := cmp.Diff(want, bools(empty, names...)); diff != "" {
		t.Errorf("defaults (-want +got):\n%s", diff)
	}
	if v, set := empty.Value("userlist_file"); v != "/etc/vsftpd.user_list" || set {
		t.Errorf("Value(userlist_file) = %q, %v; want the default", v, set)
	}
	if v, set := empty.Value("banner_file"); v != "" || set {
		t.Errorf("Value(banner_file) = %q, %v; want empty, not set", v, set)
	}
	if b, set := empty.Bool("no_such_option"); b || set {
		t.Errorf("Bool(no_such_option) = %v, %v; want false, false", b, set)
	}
	for n, v := range Defaults {
		if _, ok := ParseBool(v); ok != IsBool(n) {
			t.Errorf("Defaults[%q] = %q does not fit the option's type", n, v)
		}
	}
}

func TestGet(t *testing.T) {
	f := parseFixture(t, "hardened.conf")
	// anonymous_enable is set twice; the last setting wins.
	o, ok := f.Get("anonymous_enable")
	if !ok || o.Line != 25 || o.Value != "no" {
		t.Errorf("Get(anonymous_enable) = %+v, %v; want line 25, value no", o, ok)
	}
	if v, set := f.Value("userlist_file"); v != "/etc/vsftpd/allowed_users" || !set {
		t.Errorf("Value(userlist_file) = %q, %v", v, set)
	}
	if v, _ := f.Value("ftpd_banner"); v != "Authorised users only. Activity is logged." {
		t.Errorf("Value(ftpd_banner) = %q", v)
	}
	if _, ok := f.Get("Anonymous_Enable"); ok {
		t.Errorf("Get matched an option name in another case")
	}
}

func TestParseForms(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []Option
	}{
		{"booleans in every spelling", "listen=yes\nlisten_ipv6=True\nssl_enable=1\nhide_ids=false\ncheck_shell=0\nsession_support=No\n",
			[]Option{{1, "listen", "yes"}, {2, "listen_ipv6", "True"}, {3, "ssl_enable", "1"},
				{4, "hide_ids", "false"}, {5, "check_shell", "0"}, {6, "session_support", "No"}}},
		{"leading blanks before an option", "  listen=YES\n\tlocal_umask=077\n",
			[]Option{{1, "listen", "YES"}, {2, "local_umask", "077"}}},
		{"blank lines and CRLF", "\r\n   \r\nlisten=NO\r\n", []Option{{3, "listen", "NO"}}},
		{"no final newline", "listen=NO", []Option{{1, "listen", "NO"}}},
		{"value with '=' and blanks inside", "ftpd_banner=Hello = world\n", []Option{{1, "ftpd_banner", "Hello = world"}}},
		{"empty string option unsets it", "banner_file=\n", []Option{{1, "banner_file", ""}}},
		{"unknown option is kept", "reverse_lookup_enable=NO\n", []Option{{1, "reverse_lookup_enable", "NO"}}},
		{"trailing comment text is part of a string value", "ftpd_banner=Hi # there\n", []Option{{1, "ftpd_banner", "Hi # there"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse(strings.NewReader(tt.in), "vsftpd.conf")
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if diff := cmp.Diff(tt.want, f.Options); diff != "" {
				t.Errorf("options (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, line, want string
	}{
		{"blanks around =", "anonymous_enable = NO", `vsftpd.conf:2: blank before '=' in "anonymous_enable = NO": vsftpd does not recognise the option`},
		{"blank before =", "listen =YES", `vsftpd.conf:2: blank before '=' in "listen =YES": vsftpd does not recognise the option`},
		{"blank after =", "ftpd_banner= Welcome", `vsftpd.conf:2: blank after '=' in "ftpd_banner= Welcome": vsftpd keeps it in the value`},
		{"no =", "listen YES", `vsftpd.conf:2: want option=value, no '=' in "listen YES"`},
		{"bare word", "listen", `vsftpd.conf:2: want option=value, no '=' in "listen"`},
		{"no name", "=YES", "vsftpd.conf:2: want option=value, no option name before '='"},
		{"blank inside name", "anon enable=YES", `vsftpd.conf:2: option name "anon enable" holds a blank`},
		{"indented comment", "  # listen=YES", "vsftpd.conf:2: indented comment: vsftpd reads a comment only with '#' in the first column"},
		{"empty boolean", "anonymous_enable=", "vsftpd.conf:2: option anonymous_enable has no value"},
		{"empty number", "listen_port=", "vsftpd.conf:2: option listen_port has no value"},
		{"bad boolean", "anonymous_enable=off", `vsftpd.conf:2: option anonymous_enable wants YES or NO, got "off"`},
		{"trailing blank on boolean", "listen=YES ", `vsftpd.conf:2: option listen wants YES or NO, got "YES "`},
		{"trailing comment on boolean", "listen=YES # standalone", `vsftpd.conf:2: option listen wants YES or NO, got "YES # standalone"`},
		{"bad number", "max_clients=ten", `vsftpd.conf:2: option max_clients wants a number, got "ten"`},
		{"negative number", "listen_port=-21", `vsftpd.conf:2: option listen_port wants a number, got "-21"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := "listen=NO\n" + tt.line + "\nlocal_enable=YES\n"
			f, err := Parse(strings.NewReader(in), "vsftpd.conf")
			if f == nil || err == nil {
				t.Fatalf("Parse = %v, %v; want a file and an error", f, err)
			}
			if got := err.Error(); got != tt.want {
				t.Errorf("error = %q, want %q", got, tt.want)
			}
			list := parse.List(err)
			if len(list) != 1 || list[0].Line != 2 || list[0].File != "vsftpd.conf" {
				t.Errorf("parse.List(err) = %+v, want one error at vsftpd.conf:2", list)
			}
			want := []Option{{1, "listen", "NO"}, {3, "local_enable", "YES"}}
			if diff := cmp.Diff(want, f.Options); diff != "" {
				t.Errorf("options (-want +got):\n%s", diff)
			}
			if string(f.Bytes()) != in {
				t.Errorf("Bytes() = %q, want the input back", f.Bytes())
			}
		})
	}
}

func TestParseUnreadable(t *testing.T) {
	f, err := Parse(iotest.ErrReader(errors.New("input/output error")), "vsftpd.conf")
	if f != nil || err == nil || !strings.HasPrefix(err.Error(), "vsftpd.conf: ") {
		t.Errorf("Parse(failing reader) = %v, %v; want nil and an error naming the file", f, err)
	}
}
