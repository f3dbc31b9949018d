package aptlists

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/google/go-cmp/cmp"

	"bastion/internal/parse"
	"bastion/internal/parse/parsetest"
)

// inReleaseSecurity is the start of an InRelease file of Debian's security
// archive, with the checksum list cut short and a made-up signature.
const inReleaseSecurity = `-----BEGIN PGP SIGNED MESSAGE-----
Hash: SHA256

Origin: Debian
Label: Debian-Security
Suite: stable-security
Version: 12
Codename: bookworm-security
Date: Sat, 08 Jun 2024 08:14:27 UTC
Valid-Until: Sat, 15 Jun 2024 08:14:27 UTC
Acquire-By-Hash: yes
Architectures: amd64 arm64 armhf i386 ppc64el
Components: updates/main updates/contrib updates/non-free-firmware updates/non-free
Description: Debian 12 - Security Updates
SHA256:
 0a3f4c2b9d1e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a   123456 main/binary-amd64/Packages
 1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5b6c7d8e9f0a1b2c    34567 main/binary-amd64/Packages.xz
-----BEGIN PGP SIGNATURE-----

iQIzBAEBCAAdFiEEexampleexampleexampleexampleexampleAAoJEExample
=abcd
-----END PGP SIGNATURE-----
`

// releaseBackports is an unsigned Release file of a backports archive.
const releaseBackports = `Origin: Debian Backports
Label: Debian Backports
Suite: stable-backports
Codename: bookworm-backports
Date: Mon, 3 Jun 2024 20:11:03 +0000
NotAutomatic: yes
ButAutomaticUpgrades: yes
Components: main contrib non-free non-free-firmware
`

func errStrings(err error) []string {
	var out []string
	for _, e := range parse.List(err) {
		out = append(out, e.Error())
	}
	return out
}

func TestParse(t *testing.T) {
	date := func(s string) time.Time {
		t.Helper()
		d, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	for _, tc := range []struct {
		name     string
		in       string
		signed   bool
		fields   []Field
		date     time.Time
		until    time.Time
		security bool
		suite    string
		wantErr  []string
	}{
		{
			name: "security InRelease", in: inReleaseSecurity, signed: true,
			fields: []Field{
				{4, "Origin", "Debian"}, {5, "Label", "Debian-Security"}, {6, "Suite", "stable-security"},
				{7, "Version", "12"}, {8, "Codename", "bookworm-security"},
				{9, "Date", "Sat, 08 Jun 2024 08:14:27 UTC"}, {10, "Valid-Until", "Sat, 15 Jun 2024 08:14:27 UTC"},
				{11, "Acquire-By-Hash", "yes"}, {12, "Architectures", "amd64 arm64 armhf i386 ppc64el"},
				{13, "Components", "updates/main updates/contrib updates/non-free-firmware updates/non-free"},
				{14, "Description", "Debian 12 - Security Updates"}, {15, "SHA256", ""},
			},
			date: date("2024-06-08T08:14:27Z"), until: date("2024-06-15T08:14:27Z"),
			security: true, suite: "bookworm-security (stable-security)",
		},
		{
			name: "backports Release", in: releaseBackports,
			fields: []Field{
				{1, "Origin", "Debian Backports"}, {2, "Label", "Debian Backports"}, {3, "Suite", "stable-backports"},
				{4, "Codename", "bookworm-backports"}, {5, "Date", "Mon, 3 Jun 2024 20:11:03 +0000"},
				{6, "NotAutomatic", "yes"}, {7, "ButAutomaticUpgrades", "yes"},
				{8, "Components", "main contrib non-free non-free-firmware"},
			},
			date: date("2024-06-03T20:11:03Z"), suite: "bookworm-backports (stable-backports)",
		},
		{
			name: "ubuntu security by suite, crlf", in: "Origin: Ubuntu\r\nLabel: Ubuntu\r\nSuite: jammy-security\r\n",
			fields:   []Field{{1, "Origin", "Ubuntu"}, {2, "Label", "Ubuntu"}, {3, "Suite", "jammy-security"}},
			security: true, suite: "jammy-security",
		},
		{
			name: "old debian security suite", in: "Label: Debian-Security\nSuite: oldoldstable\nCodename: stretch/updates\n",
			fields:   []Field{{1, "Label", "Debian-Security"}, {2, "Suite", "oldoldstable"}, {3, "Codename", "stretch/updates"}},
			security: true, suite: "stretch/updates (oldoldstable)",
		},
		{
			name: "dash-escaped signed line", in: "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\n- -Odd: x\nSuite: a\n-----BEGIN PGP SIGNATURE-----\n-----END PGP SIGNATURE-----\n",
			signed: true,
			fields: []Field{{5, "Suite", "a"}}, suite: "a",
			wantErr: []string{`r:4: not a field (want "Name: value"): "-Odd: x"`},
		},
		{
			name: "errors", in: " lost\nbad line\nDate: yesterday\nValid-Until: Sat, 15 Jun 2024 08:14:27 UTC\n\nSuite: second\n",
			fields: []Field{{3, "Date", "yesterday"}, {4, "Valid-Until", "Sat, 15 Jun 2024 08:14:27 UTC"}, {6, "Suite", "second"}},
			until:  date("2024-06-15T08:14:27Z"), suite: "second",
			wantErr: []string{
				"r:1: continuation line outside a field",
				`r:2: not a field (want "Name: value"): "bad line"`,
				`r:3: Date "yesterday" is not a date`,
				"r:6: a second paragraph: a Release file has one",
			},
		},
		{
			name: "signature never starts", in: "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\nSuite: x\n",
			signed: true, fields: []Field{{4, "Suite", "x"}}, suite: "x",
			wantErr: []string{"r:4: clear-signed text without a signature"},
		},
		{
			name: "unsigned, one field", in: "Suite: x\n",
			fields: []Field{{1, "Suite", "x"}}, suite: "x",
		},
		{
			name: "text after the signature", in: "-----BEGIN PGP SIGNED MESSAGE-----\n\nSuite: x\n-----BEGIN PGP SIGNATURE-----\n-----END PGP SIGNATURE-----\nSuite: y\nmore\n",
			signed: true, fields: []Field{{3, "Suite", "x"}}, suite: "x",
			wantErr: []string{"r:6: text after the signature"},
		},
		{
			name: "signature left open", in: "-----BEGIN PGP SIGNED MESSAGE-----\n\nSuite: x\n-----BEGIN PGP SIGNATURE-----\nabc\n",
			signed: true, fields: []Field{{3, "Suite", "x"}}, suite: "x",
			wantErr: []string{"r:5: signature not closed"},
		},
		{name: "empty", in: ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := Parse(strings.NewReader(tc.in), "r")
			if f == nil {
				t.Fatalf("nil File, error %v", err)
			}
			if diff := cmp.Diff(tc.wantErr, errStrings(err)); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.fields, f.Fields); diff != "" {
				t.Errorf("fields (-want +got):\n%s", diff)
			}
			if f.Signed != tc.signed || !f.Date.Equal(tc.date) || !f.ValidUntil.Equal(tc.until) {
				t.Errorf("signed %v date %v until %v, want %v %v %v", f.Signed, f.Date, f.ValidUntil, tc.signed, tc.date, tc.until)
			}
			if f.Security() != tc.security || f.Suite() != tc.suite {
				t.Errorf("Security() = %v, Suite() = %q; want %v, %q", f.Security(), f.Suite(), tc.security, tc.suite)
			}
			if !bytes.Equal(f.Bytes(), parsetest.Normalize([]byte(tc.in))) {
				t.Errorf("Bytes() = %q", f.Bytes())
			}
		})
	}
	f, _ := Parse(strings.NewReader(releaseBackports), "r")
	if !f.NotAutomatic() || !f.ButAutomaticUpgrades() {
		t.Error("backports: NotAutomatic and ButAutomaticUpgrades not seen")
	}
	if _, err := Parse(iotest.ErrReader(errors.New("boom")), "r"); err == nil {
		t.Error("a read error gave no error")
	}
}

// packagesSecurity is part of a Packages list of a security archive.
const packagesSecurity = `Package: openssh-server
Source: openssh
Version: 1:9.2p1-2+deb12u3
Installed-Size: 1997
Maintainer: Debian OpenSSH Maintainers <debian-ssh@lists.debian.org>
Architecture: amd64
Depends: libc6 (>= 2.36), openssh-client (= 1:9.2p1-2+deb12u3)
Description: secure shell (SSH) server, for secure access from remote machines
Description-md5: 842ff8f8ad4ba7fd0ddc6bcb8db23e5a
Section: net
Priority: optional
Filename: pool/updates/main/o/openssh/openssh-server_9.2p1-2+deb12u3_amd64.deb
Size: 456464
SHA256: 11aa22bb33cc44dd55ee66ff77aa88bb99cc00dd11ee22ff33aa44bb55cc66dd

Package: libc6
Source: glibc (2.36-9+deb12u7)
Version: 2.36-9+deb12u7
Architecture: amd64
Description: GNU C Library: Shared libraries
 Contains the standard libraries that are used by nearly all programs on
 the system.

Package: tzdata
Version: 2024a-0+deb12u1
Architecture: all
`

func TestScanPackages(t *testing.T) {
	for _, tc := range []struct {
		name    string
		in      string
		want    map[string]bool
		out     []Entry
		wantErr []string
	}{
		{
			name: "all", in: packagesSecurity,
			out: []Entry{
				{Line: 1, Package: "openssh-server", Version: "1:9.2p1-2+deb12u3", Architecture: "amd64", Source: "openssh"},
				{Line: 16, Package: "libc6", Version: "2.36-9+deb12u7", Architecture: "amd64", Source: "glibc"},
				{Line: 24, Package: "tzdata", Version: "2024a-0+deb12u1", Architecture: "all"},
			},
		},
		{
			name: "wanted only", in: packagesSecurity, want: map[string]bool{"tzdata": true, "bash": true},
			out: []Entry{{Line: 24, Package: "tzdata", Version: "2024a-0+deb12u1", Architecture: "all"}},
		},
		{
			name: "crlf, blank lines with spaces, no final newline", in: "\r\nPackage: a1\r\nVersion: 1\r\n \t\r\nPackage: b2\r\nVersion: 2",
			out: []Entry{{Line: 2, Package: "a1", Version: "1"}, {Line: 5, Package: "b2", Version: "2"}},
		},
		{
			name: "errors", in: "Version: 1\n\nPackage: a1\nPackage: a2\nVersion: 1\n\nPackage: no-version\n\nPackage: two words\nVersion: 3\n",
			out: []Entry{{Line: 3, Package: "a1", Version: "1"}},
			wantErr: []string{
				"p:1: stanza has no Package field",
				"p:4: second Package field in a stanza",
				"p:7: package no-version has no Version field",
				`p:9: bad package name "two words"`,
				"p:9: stanza has no Package field",
			},
		},
		{
			name: "unwanted stanza without version is no error", in: "Package: other\n\nPackage: a1\nVersion: 1\n", want: map[string]bool{"a1": true},
			out: []Entry{{Line: 3, Package: "a1", Version: "1"}},
		},
		{
			name: "overlong line skipped", in: "Package: a1\nDepends: " + strings.Repeat("x", scanBuffer+10) + "\nVersion: 1\n",
			out: []Entry{{Line: 1, Package: "a1", Version: "1"}},
		},
		{name: "empty", in: ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ScanPackages(strings.NewReader(tc.in), "p", tc.want)
			if diff := cmp.Diff(tc.out, got); diff != "" {
				t.Errorf("entries (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.wantErr, errStrings(err)); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
		})
	}
}

func TestScanPackagesErrors(t *testing.T) {
	// Too many errors are counted, not listed.
	got, err := ScanPackages(strings.NewReader(strings.Repeat("Version: 1\n\n", maxErrors+5)), "p", nil)
	errs := errStrings(err)
	if len(got) != 0 || len(errs) != maxErrors+1 || errs[maxErrors] != fmt.Sprintf("p:%d: 5 more errors not shown", 2*(maxErrors+5)) {
		t.Errorf("got %d entries, %d errors, last %q", len(got), len(errs), errs[len(errs)-1])
	}
	// A read error keeps what came before it.
	r := io.MultiReader(strings.NewReader("Package: a1\nVersion: 1\n\nPackage: b2\n"), iotest.ErrReader(errors.New("boom")))
	got, err = ScanPackages(r, "p", nil)
	if len(got) != 1 || got[0].Package != "a1" || err == nil || !strings.Contains(err.Error(), "read: boom") {
		t.Errorf("read error: %+v, %v", got, err)
	}
}

func TestNames(t *testing.T) {
	for name, want := range map[string]struct {
		comp string
		ok   bool
	}{
		"deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages":     {"", true},
		"deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages.lz4": {".lz4", true},
		"deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages.gz":  {".gz", true},
		"deb.debian.org_debian_dists_bookworm_InRelease":                      {"", false},
		"deb.debian.org_debian_dists_bookworm_main_i18n_Translation-en":       {"", false},
		"lock": {"", false},
	} {
		comp, ok := PackagesList(name)
		if comp != want.comp || ok != want.ok {
			t.Errorf("PackagesList(%q) = %q, %v", name, comp, ok)
		}
	}
	if !IsRelease("x_dists_bookworm_InRelease") || !IsRelease("x_dists_bookworm_Release") || IsRelease("x_Release.gpg") {
		t.Error("IsRelease")
	}
	releases := []string{
		"deb.debian.org_debian_dists_bookworm_InRelease",
		"deb.debian.org_debian_dists_bookworm_Release",
		"deb.debian.org_debian_dists_bookworm-updates_InRelease",
		"security.debian.org_debian-security_dists_bookworm-security_Release",
		"ftp.example.org_repo_._Release",
		"bad-name",
	}
	for list, want := range map[string]string{
		"deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages":                        "deb.debian.org_debian_dists_bookworm_InRelease",
		"deb.debian.org_debian_dists_bookworm-updates_main_binary-amd64_Packages":                "deb.debian.org_debian_dists_bookworm-updates_InRelease",
		"security.debian.org_debian-security_dists_bookworm-security_main_binary-amd64_Packages": "security.debian.org_debian-security_dists_bookworm-security_Release",
		"ftp.example.org_repo_._Packages":                                                        "ftp.example.org_repo_._Release",
		"other.example.org_dists_x_main_binary-amd64_Packages":                                   "",
	} {
		if got := ReleaseFor(list, releases); got != want {
			t.Errorf("ReleaseFor(%q) = %q, want %q", list, got, want)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add(inReleaseSecurity)
	f.Add(releaseBackports)
	f.Add("-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\n- -Odd: x\nSuite: a\n-----BEGIN PGP SIGNATURE-----\n")
	f.Fuzz(func(t *testing.T, in string) {
		file, err := Parse(strings.NewReader(in), "r")
		if file == nil {
			t.Fatalf("nil File, error %v", err)
		}
		n := len(file.Lines)
		parsetest.CheckErrors(t, err, "r", n)
		prev := 0
		for _, fl := range file.Fields {
			if fl.Line <= prev || fl.Line > n || fl.Name == "" {
				t.Fatalf("field %+v out of order or range 1..%d", fl, n)
			}
			prev = fl.Line
		}
		if !bytes.Equal(file.Bytes(), parsetest.Normalize([]byte(in))) {
			for _, l := range file.Lines {
				if strings.HasSuffix(l, "\r") {
					return // a lone '\r' before a line end is not kept
				}
			}
			t.Fatalf("Bytes() = %q", file.Bytes())
		}
	})
}

func FuzzScanPackages(f *testing.F) {
	f.Add(packagesSecurity)
	f.Add("Version: 1\n\nPackage: a1\nPackage: a2\nVersion: 1\n\nPackage: two words\n")
	f.Add("\r\nPackage: a1\r\nVersion: 1\r\n \t\r\nPackage: b2\r\nVersion: 2")
	f.Fuzz(func(t *testing.T, in string) {
		all, err := ScanPackages(strings.NewReader(in), "p", nil)
		n := len(parse.SplitLines([]byte(in)))
		parsetest.CheckErrors(t, err, "p", n)
		prev := 0
		want := map[string]bool{}
		for _, e := range all {
			if e.Line <= prev || e.Line > n || e.Package == "" || e.Version == "" {
				t.Fatalf("entry %+v out of order or range 1..%d", e, n)
			}
			prev = e.Line
			if len(want) < 2 {
				want[e.Package] = true
			}
		}
		// Asking for some packages gives their stanzas, as scanning all does.
		some, _ := ScanPackages(strings.NewReader(in), "p", want)
		var filtered []Entry
		for _, e := range all {
			if want[e.Package] {
				filtered = append(filtered, e)
			}
		}
		if diff := cmp.Diff(filtered, some); diff != "" {
			t.Fatalf("wanted entries differ (-all +some):\n%s", diff)
		}
	})
}

// realList is the largest Packages list apt keeps on this host, made plain
// with apt's own helper when it is kept compressed; "" when there is none.
func realList(b *testing.B) string {
	b.Helper()
	const dir = "/var/lib/apt/lists"
	ents, _ := os.ReadDir(dir)
	best, size := "", int64(0)
	for _, e := range ents {
		if _, ok := PackagesList(e.Name()); !ok {
			continue
		}
		if fi, err := e.Info(); err == nil && fi.Size() > size {
			best, size = filepath.Join(dir, e.Name()), fi.Size()
		}
	}
	if best == "" {
		return ""
	}
	if comp, _ := PackagesList(filepath.Base(best)); comp == "" {
		return best
	}
	helper := "/usr/lib/apt/apt-helper"
	if _, err := os.Stat(helper); err != nil {
		return ""
	}
	out := filepath.Join(b.TempDir(), "Packages")
	data, err := exec.Command(helper, "cat-file", best).Output()
	if err != nil {
		b.Logf("apt-helper cat-file %s: %v", best, err)
		return ""
	}
	if err := os.WriteFile(out, data, 0o644); err != nil {
		b.Fatal(err)
	}
	return out
}

// BenchmarkScanPackages scans the host's real list for a few hundred
// package names, as an audit does for the installed packages.
func BenchmarkScanPackages(b *testing.B) {
	p := realList(b)
	if p == "" {
		b.Skip("no apt package list on this host")
	}
	fi, _ := os.Stat(p)
	want := map[string]bool{}
	// The names of the first stanzas stand in for the installed packages.
	f, err := os.Open(p)
	if err != nil {
		b.Fatal(err)
	}
	all, _ := ScanPackages(f, p, nil)
	f.Close()
	for i, e := range all {
		if i%50 == 0 {
			want[e.Package] = true
		}
	}
	b.SetBytes(fi.Size())
	b.ReportMetric(float64(len(want)), "wanted")
	b.ResetTimer()
	for b.Loop() {
		f, err := os.Open(p)
		if err != nil {
			b.Fatal(err)
		}
		got, err := ScanPackages(f, p, want)
		f.Close()
		if err != nil || len(got) < len(want) {
			b.Fatalf("%d entries for %d names, error %v", len(got), len(want), err)
		}
	}
}
