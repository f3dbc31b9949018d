package dpkg

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"

	"bastion/internal/parse"
)

const statusBookworm = `Package: openssh-server
Status: install ok installed
Priority: optional
Section: net
Installed-Size: 1997
Maintainer: Debian OpenSSH Maintainers <debian-ssh@lists.debian.org>
Architecture: amd64
Multi-Arch: foreign
Source: openssh
Version: 1:9.2p1-2+deb12u3
Replaces: openssh-client (<< 1:7.9p1-8), ssh (<< 1:6.5p1-5), ssh-krb5 (<< 1:6.5p1-1)
Provides: ssh-server
Depends: libc6 (>= 2.36), libcom-err2 (>= 1.43.9), openssh-client (= 1:9.2p1-2+deb12u3), openssh-sftp-server, procps, ucf, runit-helper (>= 2.14.0~), debconf (>= 0.5) | debconf-2.0
Recommends: default-logind | logind | libpam-systemd, ncurses-term, xauth
Suggests: molly-guard, monkeysphere, ssh-askpass, ufw
Conflicts: sftp
Conffiles:
 /etc/default/ssh 500e3cf069fe9a7b9936108eb9d9c035
 /etc/init.d/ssh 3649a6fe8c18ad1d5245fd91737de507
 /etc/pam.d/sshd 8b4c7a12b031424b2a9946881da59812
 /etc/ssh/moduli 9b8b0d5d12ab2e5d4c6a8d6a7cf4f4f0 obsolete
Description: secure shell (SSH) server, for secure access from remote machines
 This is the portable version of OpenSSH, a free implementation of
 the Secure Shell protocol as specified by the IETF secsh working
 group.
 .
 This package provides the sshd server.
Homepage: https://www.openssh.com/

Package: libc6
Status: install ok installed
Priority: optional
Section: libs
Installed-Size: 12987
Maintainer: GNU Libc Maintainers <debian-glibc@lists.debian.org>
Architecture: amd64
Multi-Arch: same
Source: glibc
Version: 2.36-9+deb12u7
Depends: libgcc-s1
Description: GNU C Library: Shared libraries
 Contains the standard libraries that are used by nearly all programs on
 the system.

Package: telnetd
Status: deinstall ok config-files
Priority: optional
Section: net
Installed-Size: 103
Maintainer: Debian QA Group <packages@qa.debian.org>
Architecture: amd64
Source: inetutils (2:2.4-2)
Version: 0.17+2.4-2
Conffiles:
 /etc/xinetd.d/telnet 0b2b6e5e8f4e0f3bbcd4f3ab9a0a9d0f
Description: transitional dummy package for inetutils-telnetd

Package: bsdutils
Essential: yes
Status: hold ok installed
Priority: required
Section: utils
Installed-Size: 335
Maintainer: util-linux packagers <util-linux@packages.debian.org>
Architecture: amd64
Source: util-linux (2.38.1-5)
Version: 1:2.38.1-5+deb12u1
Description: basic utilities from 4.4BSD-Lite
`

func TestParseStatus(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    []Package
		wantErr []string
	}{
		{
			name: "bookworm",
			in:   statusBookworm,
			want: []Package{
				{Line: 1, Name: "openssh-server", Version: "1:9.2p1-2+deb12u3", Architecture: "amd64", Status: "install ok installed", Source: "openssh"},
				{Line: 30, Name: "libc6", Version: "2.36-9+deb12u7", Architecture: "amd64", Status: "install ok installed", Source: "glibc"},
				{Line: 45, Name: "telnetd", Version: "0.17+2.4-2", Architecture: "amd64", Status: "deinstall ok config-files", Source: "inetutils", SourceVersion: "2:2.4-2"},
				{Line: 58, Name: "bsdutils", Version: "1:2.38.1-5+deb12u1", Architecture: "amd64", Status: "hold ok installed", Source: "util-linux", SourceVersion: "2.38.1-5"},
			},
		},
		{
			name: "crlf and extra blank lines, no source",
			in:   "\r\n\r\nPackage: inetutils-inetd\r\nStatus: install ok installed\r\nArchitecture: amd64\r\nVersion: 2:2.4-2\r\n\r\n\r\n",
			want: []Package{
				{Line: 3, Name: "inetutils-inetd", Version: "2:2.4-2", Architecture: "amd64", Status: "install ok installed"},
			},
		},
		{
			name: "whitespace-only line separates stanzas",
			in:   "Package: a1\nStatus: install ok installed\n \t\nPackage: b2\nStatus: purge ok not-installed\n",
			want: []Package{
				{Line: 1, Name: "a1", Status: "install ok installed"},
				{Line: 4, Name: "b2", Status: "purge ok not-installed"},
			},
		},
		{
			name: "field names are case-insensitive",
			in:   "package: xinetd\nSTATUS: install ok installed\nversion: 1:2.3.15.3-1\n",
			want: []Package{{Line: 1, Name: "xinetd", Version: "1:2.3.15.3-1", Status: "install ok installed"}},
		},
		{
			name:    "stanza without Package",
			in:      "Status: install ok installed\nVersion: 1.0\n\nPackage: ok1\n",
			want:    []Package{{Line: 4, Name: "ok1"}},
			wantErr: []string{"status:1: stanza has no Package field"},
		},
		{
			name: "bad line, then its continuation, then good fields",
			in:   "Package: rsh-server\nthis is not a field\n continued\nVersion: 0.17-24\n",
			want: []Package{{Line: 1, Name: "rsh-server", Version: "0.17-24"}},
			wantErr: []string{
				`status:2: not a field (want "Name: value"): "this is not a field"`,
			},
		},
		{
			name:    "continuation at stanza start",
			in:      " orphan\nPackage: p1\n",
			want:    []Package{{Line: 2, Name: "p1"}},
			wantErr: []string{"status:1: continuation line outside a field"},
		},
		{
			name: "bad field names",
			in:   "Package: p1\n: empty name\n#Comment: no\n-Dash: no\nSpa ce: no\n",
			want: []Package{{Line: 1, Name: "p1"}},
			wantErr: []string{
				`status:2: not a field (want "Name: value"): ": empty name"`,
				`status:3: not a field (want "Name: value"): "#Comment: no"`,
				`status:4: not a field (want "Name: value"): "-Dash: no"`,
				`status:5: not a field (want "Name: value"): "Spa ce: no"`,
			},
		},
		{
			name: "duplicate field, bad status, bad source",
			in:   "Package: p2\nPackage: p3\nVersion: 1\nVersion: 2\nStatus: install ok\nSource: a b c\n",
			want: []Package{{Line: 1, Name: "p2", Version: "1", Status: "install ok"}},
			wantErr: []string{
				`status:2: duplicate field "Package"`,
				`status:4: duplicate field "Version"`,
				`status:5: status "install ok" is not three words`,
				`status:6: bad source "a b c"`,
			},
		},
		{
			name:    "package name with spaces",
			in:      "Package: two words\nVersion: 1\n",
			wantErr: []string{`status:1: bad package name "two words"`, "status:1: stanza has no Package field"},
		},
		{
			name:    "empty package name",
			in:      "Package:\nVersion: 1\n",
			wantErr: []string{`status:1: bad package name ""`, "status:1: stanza has no Package field"},
		},
		{
			name: "empty input",
			in:   "",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseStatus(strings.NewReader(tt.in), "status")
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParseStatus() mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantErr, errStrings(err)); diff != "" {
				t.Errorf("ParseStatus() errors mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestInstalled(t *testing.T) {
	tests := []struct {
		status string
		want   bool
	}{
		{"install ok installed", true},
		{"hold ok installed", true},
		{"deinstall ok config-files", false},
		{"install ok half-installed", false},
		{"install reinstreq half-installed", false},
		{"purge ok not-installed", false},
		{"install ok unpacked", false},
		{"installed", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := (Package{Status: tt.status}).Installed(); got != tt.want {
			t.Errorf("Installed(%q) = %v, want %v", tt.status, got, tt.want)
		}
	}
}

const listOpensshServer = `/.
/etc
/etc/default
/etc/default/ssh
/etc/init.d
/etc/init.d/ssh
/etc/pam.d
/etc/pam.d/sshd
/etc/ssh
/etc/ssh/moduli
/lib
/lib/systemd
/lib/systemd/system
/lib/systemd/system/rescue-ssh.target
/lib/systemd/system/ssh.service
/lib/systemd/system/ssh.socket
/lib/systemd/system/ssh@.service
/usr
/usr/lib
/usr/lib/openssh
/usr/lib/openssh/sshd-session
/usr/sbin
/usr/sbin/sshd
/usr/share/doc/openssh-server
/usr/share/man/man8/sshd.8.gz
`

func TestParseList(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    []string
		wantErr []string
	}{
		{
			name: "openssh-server",
			in:   listOpensshServer,
			want: strings.Split(strings.TrimSuffix(listOpensshServer, "\n"), "\n"),
		},
		{
			name: "names with spaces, no final newline",
			in:   "/.\n/usr/share/doc/x/a file with spaces\n/usr/bin/x",
			want: []string{"/.", "/usr/share/doc/x/a file with spaces", "/usr/bin/x"},
		},
		{
			name: "relative and empty lines",
			in:   "/.\nusr/bin/x\n\n/usr/bin/y\n",
			want: []string{"/.", "/usr/bin/y"},
			wantErr: []string{
				`x.list:2: not an absolute path: "usr/bin/x"`,
				"x.list:3: empty line",
			},
		},
		{name: "empty file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseList(strings.NewReader(tt.in), "x.list")
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParseList() mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantErr, errStrings(err)); diff != "" {
				t.Errorf("ParseList() errors mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestUnreadable(t *testing.T) {
	bad := errors.New("input/output error")
	if got, err := ParseStatus(iotest.ErrReader(bad), "status"); got != nil || !errors.Is(err, bad) {
		t.Errorf("ParseStatus() = %v, %v; want nil, %v", got, err, bad)
	}
	if got, err := ParseList(iotest.ErrReader(bad), "x.list"); got != nil || !errors.Is(err, bad) {
		t.Errorf("ParseList() = %v, %v; want nil, %v", got, err, bad)
	}
	if _, err := ListContains(iotest.ErrReader(bad), []string{"/x"}); !errors.Is(err, bad) {
		t.Errorf("ListContains() error = %v, want %v", err, bad)
	}
	big := io.LimitReader(zeros{}, parse.MaxSize+10)
	if _, err := ParseStatus(big, "status"); !errors.Is(err, parse.ErrTooLarge) {
		t.Errorf("ParseStatus(too large) error = %v", err)
	}
	big = io.LimitReader(zeros{}, parse.MaxSize+10)
	if _, err := ListContains(big, []string{"/x"}); !errors.Is(err, parse.ErrTooLarge) {
		t.Errorf("ListContains(too large) error = %v", err)
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = '\n'
	}
	return len(p), nil
}

func TestPackageFromListName(t *testing.T) {
	tests := []struct {
		file string
		want string
		ok   bool
	}{
		{"openssh-server.list", "openssh-server", true},
		{"libc6:amd64.list", "libc6", true},
		{"libstdc++6:i386.list", "libstdc++6", true},
		{"/var/lib/dpkg/info/xinetd.list", "xinetd", true},
		{"g++-12.list", "g++-12", true},
		{"openssh-server.md5sums", "", false},
		{"openssh-server.postinst", "", false},
		{"openssh-server.conffiles", "", false},
		{".list", "", false},
		{"x.list", "", false},
		{"libc6:.list", "", false},
		{"libc6:AMD64.list", "", false},
		{"Upper.list", "", false},
		{"-dash.list", "", false},
		{"format", "", false},
		{"a b.list", "", false},
	}
	for _, tt := range tests {
		got, ok := PackageFromListName(tt.file)
		if got != tt.want || ok != tt.ok {
			t.Errorf("PackageFromListName(%q) = %q, %v; want %q, %v", tt.file, got, ok, tt.want, tt.ok)
		}
	}
}

func TestAliases(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"/usr/sbin/sshd", []string{"/sbin/sshd"}},
		{"/sbin/sshd", []string{"/usr/sbin/sshd"}},
		{"/bin/login", []string{"/usr/bin/login"}},
		{"/usr/bin/login", []string{"/bin/login"}},
		{"/lib/systemd/system/ssh.service", []string{"/usr/lib/systemd/system/ssh.service"}},
		{"/usr/lib/systemd/system/ssh.service", []string{"/lib/systemd/system/ssh.service"}},
		{"/lib64/ld-linux-x86-64.so.2", []string{"/usr/lib64/ld-linux-x86-64.so.2"}},
		{"/usr/libx32/x", []string{"/libx32/x"}},
		{"/usr/lib32/x", []string{"/lib32/x"}},
		{"/bin", []string{"/usr/bin"}},
		{"/usr/sbin/", []string{"/sbin"}},
		{"//usr//sbin/./inetd", []string{"/sbin/inetd"}},
		{"/usr/sbin/../bin/x", []string{"/bin/x"}},
		{"/binaries/x", nil},
		{"/usr/libexec/x", nil},
		{"/usr/local/sbin/x", nil},
		{"/etc/ssh/sshd_config", nil},
		{"/usr", nil},
		{"/", nil},
		{"sbin/sshd", nil},
		{"", nil},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, Aliases(tt.in)); diff != "" {
			t.Errorf("Aliases(%q) mismatch (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestIndex(t *testing.T) {
	var ix Index
	if _, ok := ix.Owner("/usr/sbin/sshd"); ok {
		t.Fatal("zero Index found an owner")
	}
	server, err := ParseList(strings.NewReader(listOpensshServer), "openssh-server.list")
	if err != nil {
		t.Fatal(err)
	}
	ix.Add("openssh-server", server)
	ix.Add("openssh-client", []string{"/.", "/etc", "/etc/ssh", "/usr/bin/ssh", "/usr/bin/ssh"})
	ix.Add("inetutils-inetd", []string{"/.", "/etc", "/sbin/inetutils-inetd"})
	ix.Add("openssh-client", []string{"/etc/ssh"})

	tests := []struct {
		path string
		want string
		ok   bool
	}{
		{"/usr/sbin/sshd", "openssh-server", true},
		{"/sbin/sshd", "openssh-server", true},                 // merged-/usr alias
		{"/usr/sbin/inetutils-inetd", "inetutils-inetd", true}, // listed under /sbin
		{"/usr/lib/systemd/system/ssh.service", "openssh-server", true},
		{"/bin/ssh", "openssh-client", true},
		{"/etc/ssh", "openssh-server", true},
		{"/.", "", false},
		{"/usr/sbin/telnetd", "", false},
	}
	for _, tt := range tests {
		got, ok := ix.Owner(tt.path)
		if got != tt.want || ok != tt.ok {
			t.Errorf("Owner(%q) = %q, %v; want %q, %v", tt.path, got, ok, tt.want, tt.ok)
		}
	}
	if diff := cmp.Diff([]string{"openssh-server", "openssh-client", "inetutils-inetd"}, ix.Owners("/etc")); diff != "" {
		t.Errorf("Owners(/etc) mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"openssh-server", "openssh-client"}, ix.Owners("/etc/ssh")); diff != "" {
		t.Errorf("Owners(/etc/ssh) mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"openssh-client"}, ix.Owners("/usr/bin/ssh")); diff != "" {
		t.Errorf("Owners(/usr/bin/ssh) mismatch (-want +got):\n%s", diff)
	}
	if got := ix.Owners("/sbin/sshd"); got != nil {
		t.Errorf("Owners(/sbin/sshd) = %v, want nil (exact only)", got)
	}
	if got, want := ix.Len(), len(server)-1+1+1; got != want {
		t.Errorf("Len() = %d, want %d", got, want)
	}
}

func TestListContains(t *testing.T) {
	long := "/usr/share/doc/" + strings.Repeat("x", 100*1024)
	tests := []struct {
		name  string
		in    string
		paths []string
		want  []string
	}{
		{
			name:  "daemon and alias",
			in:    listOpensshServer,
			paths: []string{"/sbin/sshd", "/usr/sbin/sshd", "/usr/sbin/inetd"},
			want:  []string{"/usr/sbin/sshd"},
		},
		{
			name:  "file order, each once",
			in:    listOpensshServer + "/usr/sbin/sshd\n",
			paths: []string{"/usr/sbin/sshd", "/etc/ssh", "/usr/sbin/sshd"},
			want:  []string{"/etc/ssh", "/usr/sbin/sshd"},
		},
		{
			name:  "whole lines only",
			in:    "/.\n/usr/sbin/sshd-keygen\n /usr/sbin/sshd\n/usr/sbin/ssh\n",
			paths: []string{"/usr/sbin/sshd"},
		},
		{
			name:  "crlf and no final newline",
			in:    "/.\r\n/usr/sbin/in.tftpd\r\n/usr/sbin/in.telnetd",
			paths: []string{"/usr/sbin/in.telnetd", "/usr/sbin/in.tftpd"},
			want:  []string{"/usr/sbin/in.tftpd", "/usr/sbin/in.telnetd"},
		},
		{
			name:  "line longer than the read buffer",
			in:    "/.\n" + long + "\n/usr/sbin/vsftpd\n",
			paths: []string{long, "/usr/sbin/vsftpd"},
			want:  []string{long, "/usr/sbin/vsftpd"},
		},
		{
			name:  "no paths",
			in:    listOpensshServer,
			paths: nil,
		},
		{
			name:  "empty file",
			paths: []string{"/usr/sbin/sshd"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ListContains(strings.NewReader(tt.in), tt.paths)
			if err != nil {
				t.Fatalf("ListContains() error = %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ListContains() mismatch (-want +got):\n%s", diff)
			}
		})
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

// syntheticList returns a .list file of n lines like a large package's,
// with the daemon near the end.
func syntheticList(n int) string {
	var b strings.Builder
	b.WriteString("/.\n/usr\n/usr/share\n/usr/share/doc\n")
	for i := 4; i < n-1; i++ {
		fmt.Fprintf(&b, "/usr/share/doc/example-server/examples/conf.d/%04d-module.conf\n", i)
	}
	b.WriteString("/usr/sbin/example-serverd\n")
	return b.String()
}

func BenchmarkListContains(b *testing.B) {
	list := syntheticList(2000)
	want := append([]string{"/usr/sbin/example-serverd"}, Aliases("/usr/sbin/example-serverd")...)
	b.SetBytes(int64(len(list)))
	b.ReportAllocs()
	for b.Loop() {
		found, err := ListContains(strings.NewReader(list), want)
		if err != nil || len(found) != 1 {
			b.Fatal(found, err)
		}
	}
}

func BenchmarkIndexOwner(b *testing.B) {
	list := syntheticList(2000)
	b.SetBytes(int64(len(list)))
	b.ReportAllocs()
	for b.Loop() {
		paths, err := ParseList(strings.NewReader(list), "example-server.list")
		if err != nil {
			b.Fatal(err)
		}
		var ix Index
		ix.Add("example-server", paths)
		if pkg, ok := ix.Owner("/usr/sbin/example-serverd"); !ok || pkg != "example-server" {
			b.Fatal(pkg, ok)
		}
	}
}
