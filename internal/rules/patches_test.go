package rules

import (
	"bytes"
	"compress/gzip"
	"github.com/pierrec/lz4/v4"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"bastion/internal/host"
	"bastion/internal/policy"
	"bastion/internal/rule"
	"bastion/internal/target"
)

// The list names of a Debian 12 host's archives.
const (
	patchLists   = "var/lib/apt/lists/"
	patchMain    = patchLists + "deb.debian.org_debian_dists_bookworm_"
	patchUpdates = patchLists + "deb.debian.org_debian_dists_bookworm-updates_"
	patchSec     = patchLists + "deb.debian.org_debian-security_dists_bookworm-security_"
)

// patchRelease is an InRelease file of an archive.
func patchRelease(label, codename, date string) string {
	return "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\nOrigin: Debian\nLabel: " + label +
		"\nCodename: " + codename + "\nDate: " + date + "\nSHA256:\n 00aa 1234 main/binary-amd64/Packages\n" +
		"-----BEGIN PGP SIGNATURE-----\n\nabc\n-----END PGP SIGNATURE-----\n"
}

// patchStanza is a stanza of dpkg's status, or of a Packages list when
// status is "".
func patchStanza(pkg, version, status string) string {
	s := "Package: " + pkg + "\n"
	if status != "" {
		s += "Status: " + status + "\n"
	}
	return s + "Architecture: amd64\nVersion: " + version + "\nDescription: " + pkg + "\n"
}

// debPatch is a Debian 12 root with dpkg's status and apt's three lists:
// installed are "name version" pairs, security and updates the versions
// the security and updates archives offer; the lists are dated listsDate
// and dpkg's log ends with logTail.
func debPatch(installed, security, updates []string, listsDate, logTail string) map[string]string {
	files := map[string]string{
		"etc/os-release":                         "ID=debian\nVERSION_ID=12\n",
		"etc/services":                           "ssh 22/tcp\n",
		patchMain + "InRelease":                  patchRelease("Debian", "bookworm", "Sat, 10 Feb 2024 09:41:18 UTC"),
		patchMain + "main_binary-amd64_Packages": "",
		patchSec + "InRelease":                   patchRelease("Debian-Security", "bookworm-security", listsDate),
		patchUpdates + "InRelease":               patchRelease("Debian", "bookworm-updates", listsDate),
		"var/log/dpkg.log":                       "2024-06-01 10:00:00 upgrade bash:amd64 5.2.15-2+b1 5.2.15-2+b2\n" + logTail,
	}
	var status, sec, upd []string
	for _, p := range installed {
		f := strings.Fields(p)
		status = append(status, patchStanza(f[0], f[1], "install ok installed"))
	}
	for _, p := range security {
		f := strings.Fields(p)
		sec = append(sec, patchStanza(f[0], f[1], ""))
	}
	for _, p := range updates {
		f := strings.Fields(p)
		upd = append(upd, patchStanza(f[0], f[1], ""))
	}
	files["var/lib/dpkg/status"] = strings.Join(status, "\n")
	files[patchSec+"main_binary-amd64_Packages"] = strings.Join(sec, "\n")
	files[patchUpdates+"main_binary-amd64_Packages"] = strings.Join(upd, "\n")
	return files
}

// patchAIX is an AIX root with captured oslevel and instfix output.
func patchAIX(level, instfixI, instfixK string) map[string]string {
	extra := map[string]string{}
	for name, v := range map[string]string{"oslevel-s": level, "instfix-i": instfixI, "instfix-ik": instfixK} {
		if v != "" {
			extra["var/lib/bastion/capture/"+name] = v
		}
	}
	return aix(extra)
}

func without(files map[string]string, names ...string) map[string]string {
	out := map[string]string{}
	for k, v := range files {
		out[k] = v
	}
	for _, n := range names {
		delete(out, n)
	}
	return out
}

func init() {
	const fresh, old = "Tue, 11 Jun 2024 05:58:01 UTC", "Tue, 21 May 2024 06:02:55 UTC"
	installed := []string{"openssh-server 1:9.2p1-2+deb12u2", "tzdata 2024a-0+deb12u1"}
	current := []string{"openssh-server 1:9.2p1-2+deb12u3", "tzdata 2024b-0+deb12u1"}
	sec := []string{"openssh-server 1:9.2p1-2+deb12u3"}
	upd := []string{"tzdata 2024b-0+deb12u1"}
	recent := "2024-06-12 15:40:02 upgrade tzdata:all 2024a-0+deb12u1 2024b-0+deb12u1\n"
	behind := debPatch(installed, sec, upd, fresh, "")
	clean := debPatch(current, sec, upd, fresh, recent)
	cases["PATCH-PENDING-SECURITY"] = ruleCase{
		fires: behind, quiet: clean,
		// No security archive among the lists: security updates cannot be
		// told apart.
		undecided: without(behind, patchSec+"InRelease", patchSec+"main_binary-amd64_Packages"),
	}
	cases["PATCH-PENDING"] = ruleCase{
		fires: behind, quiet: clean,
		undecided: without(behind, patchLists[:len(patchLists)-1], patchMain+"InRelease", patchMain+"main_binary-amd64_Packages",
			patchSec+"InRelease", patchSec+"main_binary-amd64_Packages", patchUpdates+"InRelease", patchUpdates+"main_binary-amd64_Packages"),
	}
	stale := debPatch(installed, sec, upd, old, "2024-06-12 15:40:02 remove telnetd:amd64 0.17+2.4-2 <none>\n")
	noDates := without(stale, "var/log/dpkg.log")
	for _, n := range []string{patchMain, patchSec, patchUpdates} {
		noDates[n+"InRelease"] = "Origin: Debian\n"
	}
	cases["PATCH-STALE"] = ruleCase{fires: stale, quiet: clean, undecided: noDates}

	cases["PATCH-AIX-APAR"] = ruleCase{
		fires:     patchAIX("4330-01\n", "", "    Not all filesets for IY04477 were found.\n"),
		quiet:     patchAIX("4330-01\n", "", "    All filesets for IY04477 were found.\n"),
		undecided: patchAIX("4.3.3.0\n", "", ""),
	}
	cases["PATCH-AIX-PARTIAL"] = ruleCase{
		fires:     patchAIX("7200-05-03-2148\n", "    All filesets for 7200-04_AIX_ML were found.\n    Not all filesets for 7200-05_AIX_ML were found.\n", ""),
		quiet:     patchAIX("7200-05-03-2148\n", "    All filesets for 7200-04_AIX_ML were found.\n    All filesets for 7200-05_AIX_ML were found.\n", ""),
		undecided: patchAIX("7200-05-03-2148\n", "", ""),
	}
}

// patchFindings runs every rule of the patches topic and returns the
// findings as "RULE file[:line]", with the findings themselves.
func patchFindings(t *testing.T, c *rule.Context) ([]string, []rule.Finding) {
	t.Helper()
	return findingsOf(t, c, func(r *rule.Rule) bool { return r.Topic == "patches" })
}

// The problems of the patch fixtures are found where they are written, and
// the hardened twins have none.
func TestPatchFixtures(t *testing.T) {
	const lists = "/var/lib/apt/lists/"
	for _, tc := range []struct {
		root string
		want []string
	}{
		{"debian12-patches", []string{
			"PATCH-PENDING /var/lib/dpkg/status:53",
			"PATCH-PENDING-SECURITY /var/lib/dpkg/status:1",
			"PATCH-PENDING-SECURITY /var/lib/dpkg/status:21",
			"PATCH-PENDING-SECURITY /var/lib/dpkg/status:32",
			"PATCH-PENDING-SECURITY /var/lib/dpkg/status:42",
			"PATCH-STALE " + lists + "deb.debian.org_debian-security_dists_bookworm-security_InRelease:9",
			"PATCH-STALE /var/log/dpkg.log:2",
		}},
		{"debian12-patches-hardened", nil},
		{"aix72-patches", []string{
			"PATCH-AIX-PARTIAL /var/lib/bastion/capture/instfix-i:6",
			"PATCH-AIX-PARTIAL /var/lib/bastion/capture/instfix-i:9",
		}},
		{"aix72-patches-hardened", nil},
	} {
		t.Run(tc.root, func(t *testing.T) {
			c := mailContext(t, mailCopy(t, tc.root, nil), policy.Default())
			got, _ := patchFindings(t, c)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
			// Every rule of the topic decides on these roots.
			for _, r := range rule.All() {
				if r.Topic != "patches" || !r.AppliesTo(c.Facts.Platform.OS) {
					continue
				}
				if res, _ := outcome(t, r.ID, c); res == "undecided" {
					rep := rule.NewReport(r)
					t.Errorf("%s undecided: %v", r.ID, r.Check(c, rep))
				}
			}
		})
	}
}

// What the Debian fixture's findings say: the SSH server first and public,
// the versions, the held package, the ages counted to the root's newest
// recorded time; and the backports archive (NotAutomatic) offers nothing.
func TestPatchFindingsText(t *testing.T) {
	c := mailContext(t, mailCopy(t, "debian12-patches", nil), policy.Default())
	_, fs := outcome(t, "PATCH-PENDING-SECURITY", c)
	var order []string
	for _, f := range fs {
		order = append(order, f.Data["package"]+" "+string(f.Exposure))
	}
	want := []string{"openssh-server public", "libc6 host", "openssh-client host", "curl host"}
	if diff := cmp.Diff(want, order); diff != "" {
		t.Errorf("order and exposure (-want +got):\n%s", diff)
	}
	if len(fs) > 0 {
		f := fs[0]
		if f.Found != "openssh-server 1:9.2p1-2+deb12u2 is installed; bookworm-security (stable-security) offers 1:9.2p1-2+deb12u3; it serves /usr/sbin/sshd (22/tcp)" {
			t.Errorf("Found = %q", f.Found)
		}
		if f.Expected != "openssh-server 1:9.2p1-2+deb12u3 or later installed" {
			t.Errorf("Expected = %q", f.Expected)
		}
	}
	for _, f := range fs {
		if f.Data["package"] == "curl" && f.Data["update"] != "7.88.1-10+deb12u6" {
			t.Errorf("curl: the backports version counted: %+v", f.Data)
		}
	}
	_, fs = outcome(t, "PATCH-PENDING", c)
	if len(fs) != 1 || fs[0].Found != "2 installed packages have a newer version in apt's lists: tzdata 2024a-0+deb12u1 -> 2024b-0+deb12u1, nano 7.2-1 -> 7.2-1+deb12u1" || fs[0].Data["count"] != "2" {
		t.Errorf("PATCH-PENDING: %+v", fs)
	}
	_, fs = outcome(t, "PATCH-STALE", c)
	var found []string
	for _, f := range fs {
		found = append(found, f.Found)
	}
	wantStale := []string{
		"apt's package lists were last fetched on 2024-05-21, 22 days before the newest time the root's package data records",
		"the last package install or upgrade was on 2024-03-01 (upgrade bash 5.2.15-2+b1 5.2.15-2+b2), 103 days before the newest time the root's package data records, and updates are waiting",
	}
	if diff := cmp.Diff(wantStale, found); diff != "" {
		t.Errorf("PATCH-STALE (-want +got):\n%s", diff)
	}
	p := c.Facts.Patches
	var held []string
	for _, pd := range p.Pending {
		if pd.Held {
			held = append(held, pd.Package)
		}
	}
	if p.Installed != 7 || len(p.Lists) != 4 || !cmp.Equal(held, []string{"nano"}) {
		t.Errorf("installed %d, %d lists, held %v", p.Installed, len(p.Lists), held)
	}
}

// An offline root's file times do not count: a copy made today gives the
// same answers as one with the files' original times.
func TestPatchFixturesDoNotAge(t *testing.T) {
	dir := mailCopy(t, "debian12-patches", nil)
	old := time.Date(2024, 6, 12, 16, 0, 0, 0, time.UTC)
	now := time.Now()
	before, _ := patchFindings(t, mailContext(t, dir, policy.Default()))
	for _, stamp := range []time.Time{old, now} {
		err := filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
			if err != nil || fi.Mode()&os.ModeSymlink != 0 {
				return err
			}
			return os.Chtimes(p, stamp, stamp)
		})
		if err != nil {
			t.Fatal(err)
		}
		got, _ := patchFindings(t, mailContext(t, dir, policy.Default()))
		if diff := cmp.Diff(before, got); diff != "" {
			t.Errorf("file times %v changed the findings (-before +after):\n%s", stamp, diff)
		}
	}
}

// Lists kept compressed: gzip and lz4 are read, other compressions are
// gaps, and with no list read the pending rules cannot decide.
func TestPatchCompressedLists(t *testing.T) {
	const fresh = "Tue, 11 Jun 2024 05:58:01 UTC"
	files := debPatch([]string{"openssh-server 1:9.2p1-2+deb12u2"}, []string{"openssh-server 1:9.2p1-2+deb12u3"}, nil, fresh, "")
	plain := map[string]string{}
	for k, v := range files {
		plain[k] = v
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(files[patchSec+"main_binary-amd64_Packages"]))
	zw.Close()
	delete(files, patchSec+"main_binary-amd64_Packages")
	files[patchSec+"main_binary-amd64_Packages.gz"] = gz.String()
	c := context(t, files, nil)
	if got, fs := outcome(t, "PATCH-PENDING-SECURITY", c); got != "fires" || len(fs) != 1 {
		t.Errorf("gzip list: %s %+v", got, fs)
	}

	lz := map[string]string{}
	for k, v := range plain {
		if strings.HasSuffix(k, "_Packages") {
			var buf bytes.Buffer
			zw := lz4.NewWriter(&buf)
			zw.Write([]byte(v))
			zw.Close()
			k, v = k+".lz4", buf.String()
		}
		lz[k] = v
	}
	c = context(t, lz, nil)
	if got, fs := outcome(t, "PATCH-PENDING-SECURITY", c); got != "fires" || len(fs) != 1 {
		t.Errorf("lz4 lists: %s %+v", got, fs)
	}

	xz := map[string]string{}
	for k, v := range files {
		if strings.HasSuffix(k, "_Packages") || strings.HasSuffix(k, "_Packages.gz") {
			k, v = strings.TrimSuffix(k, ".gz")+".xz", "\xfd7zXZ\x00 not read"
		}
		xz[k] = v
	}
	c = context(t, xz, nil)
	if got, _ := outcome(t, "PATCH-PENDING-SECURITY", c); got != "undecided" {
		t.Errorf("xz lists: %s, want undecided", got)
	}
	if !strings.Contains(c.Facts.Patches.Problem, "kept compressed (.xz)") {
		t.Errorf("Problem = %q", c.Facts.Patches.Problem)
	}
	gap := false
	for _, g := range c.Facts.Gaps {
		if strings.HasSuffix(g.Path, "_Packages.xz") && strings.Contains(g.Reason, "kept compressed") {
			gap = true
		}
	}
	if !gap {
		t.Errorf("no gap for the xz lists: %+v", c.Facts.Gaps)
	}
}

// A required fix is checked only on the release it applies to, and a host
// at the maintenance level that brings it has it.
func TestPatchRequiredFix(t *testing.T) {
	const notAll = "    Not all filesets for IY04477 were found.\n"
	for _, tc := range []struct {
		name             string
		level, fixI, fix string
		want             string
		where            string
	}{
		{"AIX 7.2 is not concerned", "7200-05-03-2148\n", "", notAll, "quiet", ""},
		{"no data is not installed", "4330-01\n", "", "    There was no data for IY04477 in the fix database.\n", "fires", "/var/lib/bastion/capture/instfix-ik:1"},
		{"ML 2 brings it", "4330-02\n", "", "", "quiet", ""},
		{"ML 2 found whole", "4.3.3.0\n", "    All filesets for 4330-02_AIX_ML were found.\n", "", "quiet", ""},
		{"ML 2 found in part", "4.3.3.0\n", "    Not all filesets for 4330-02_AIX_ML were found.\n", "", "undecided", ""},
		{"below ML 2 and not asked", "4330-01\n", "    All filesets for 4330-01_AIX_ML were found.\n", "", "fires", "/var/lib/bastion/capture/oslevel-s:1"},
		{"no level", "", "", notAll, "undecided", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := context(t, patchAIX(tc.level, tc.fixI, tc.fix), nil)
			got, fs := outcome(t, "PATCH-AIX-APAR", c)
			if got != tc.want {
				t.Fatalf("%s, want %s (%+v)", got, tc.want, fs)
			}
			if tc.where != "" && (len(fs) != 1 || fs[0].Where.String() != tc.where) {
				t.Errorf("findings %+v, want one at %s", fs, tc.where)
			}
		})
	}
	// ftpd started from inetd makes the missing fix public.
	files := patchAIX("4330-01\n", "", notAll)
	files["etc/inetd.conf"] = "ftp stream tcp6 nowait root /usr/sbin/ftpd ftpd\n"
	if _, fs := outcome(t, "PATCH-AIX-APAR", context(t, files, nil)); len(fs) != 1 || fs[0].Exposure != rule.Public {
		t.Errorf("ftpd in inetd.conf: %+v", fs)
	}
}

// Red Hat and its derivatives: pending updates from captured updateinfo
// output, one finding per package at its first line; without the capture
// the rules say why they cannot decide.
func TestPatchRedHat(t *testing.T) {
	rhel := map[string]string{"etc/os-release": "ID=rhel\nVERSION_ID=9.4\n"}
	c := context(t, rhel, nil)
	if p := c.Facts.Patches; p.Manager != "" || !strings.Contains(p.Problem, "updateinfo-list") {
		t.Errorf("patches on RHEL without a capture: %+v", p)
	}
	for _, id := range []string{"PATCH-PENDING-SECURITY", "PATCH-PENDING", "PATCH-STALE"} {
		if got, _ := outcome(t, id, c); got != "undecided" {
			t.Errorf("%s on RHEL without a capture: %s", id, got)
		}
	}
	rhel["var/lib/bastion/capture/updateinfo-list"] = `Last metadata expiration check: 0:41:07 ago on Tue 11 Jun 2024 08:02:11 AM UTC.
RHSA-2024:3501 Important/Sec. openssh-8.7p1-38.el9_4.1.x86_64
RHSA-2024:3501 Important/Sec. openssh-server-8.7p1-38.el9_4.1.x86_64
RHBA-2024:2871 bugfix         tzdata-2024a-2.el9.noarch
RHSA-2024:3600 Moderate/Sec.  openssh-server-8.7p1-38.el9_4.3.x86_64
`
	c = context(t, rhel, nil)
	if c.Facts.Patches.Manager != host.ManagerUpdateinfo {
		t.Fatalf("manager %q", c.Facts.Patches.Manager)
	}
	_, fs := outcome(t, "PATCH-PENDING-SECURITY", c)
	var got []string
	for _, f := range fs {
		got = append(got, f.Where.String()+" "+f.Found)
	}
	want := []string{
		"/var/lib/bastion/capture/updateinfo-list:2 openssh has a security update waiting: 8.7p1-38.el9_4.1, advisories RHSA-2024:3501 (Important)",
		"/var/lib/bastion/capture/updateinfo-list:3 openssh-server has a security update waiting: 8.7p1-38.el9_4.3, advisories RHSA-2024:3501 (Important), RHSA-2024:3600 (Moderate)",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("PATCH-PENDING-SECURITY (-want +got):\n%s", diff)
	}
	if _, fs := outcome(t, "PATCH-PENDING", c); len(fs) != 1 || fs[0].Where.String() != "/var/lib/bastion/capture/updateinfo-list:4" ||
		fs[0].Found != "1 installed package has a newer version (dnf updateinfo): tzdata 2024a-2.el9" {
		t.Errorf("PATCH-PENDING: %+v", fs)
	}
	if got, _ := outcome(t, "PATCH-STALE", c); got != "undecided" {
		t.Errorf("PATCH-STALE from updateinfo: %s", got)
	}
}

// BenchmarkPatchesRealLists builds the host model of a root holding this
// host's own dpkg status and apt lists (made plain with apt's helper where
// apt keeps them compressed): the cost of the patch model on real data.
func BenchmarkPatchesRealLists(b *testing.B) {
	const lists = "/var/lib/apt/lists"
	status, err := os.ReadFile("/var/lib/dpkg/status")
	if err != nil {
		b.Skip("no dpkg status on this host")
	}
	ents, err := os.ReadDir(lists)
	if err != nil {
		b.Skip("no apt lists on this host")
	}
	dir := b.TempDir()
	put := func(name string, data []byte) {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	put("etc/os-release", []byte("ID=debian\nVERSION_ID=12\n"))
	put("var/lib/dpkg/status", status)
	size := 0
	for _, e := range ents {
		name := e.Name()
		src := filepath.Join(lists, name)
		var data []byte
		switch {
		case strings.HasSuffix(name, "_Release") || strings.HasSuffix(name, "_InRelease") || strings.HasSuffix(name, "_Packages"):
			data, err = os.ReadFile(src)
		case strings.Contains(name, "_Packages."):
			data, err = exec.Command("/usr/lib/apt/apt-helper", "cat-file", src).Output()
			name = name[:strings.LastIndex(name, ".")]
		default:
			continue
		}
		if err != nil {
			b.Skipf("%s: %v", src, err)
		}
		size += len(data)
		put(filepath.Join("var/lib/apt/lists", name), data)
	}
	b.ResetTimer()
	for b.Loop() {
		tg, err := target.Open(dir)
		if err != nil {
			b.Fatal(err)
		}
		f, err := host.Build(tg, host.Options{})
		tg.Close()
		if err != nil || f.Patches.Problem != "" {
			b.Fatalf("%v %q", err, f.Patches.Problem)
		}
		b.ReportMetric(float64(len(f.Patches.Pending)), "pending")
		b.ReportMetric(float64(size)/(1<<20), "MB-lists")
	}
}

// A package installed from backports follows backports' updates, as apt
// does for an archive that says ButAutomaticUpgrades; one installed from
// the ordinary archives does not.
func TestPatchBackportsFollowed(t *testing.T) {
	const fresh = "Tue, 11 Jun 2024 05:58:01 UTC"
	const bpo = patchLists + "deb.debian.org_debian_dists_bookworm-backports_"
	files := debPatch([]string{"git 1:2.43.0-1~bpo12+1", "curl 7.88.1-10+deb12u5"},
		nil, []string{"git 1:2.39.2-1.1", "curl 7.88.1-10+deb12u5"}, fresh, "")
	files[bpo+"InRelease"] = strings.Replace(patchRelease("Debian Backports", "bookworm-backports", fresh),
		"Date:", "NotAutomatic: yes\nButAutomaticUpgrades: yes\nDate:", 1)
	files[bpo+"main_binary-amd64_Packages"] = patchStanza("git", "1:2.45.2-1~bpo12+1", "") + "\n" + patchStanza("curl", "8.8.0-1~bpo12+1", "")
	_, fs := outcome(t, "PATCH-PENDING", context(t, files, nil))
	if len(fs) != 1 || !strings.Contains(fs[0].Found, "git 1:2.43.0-1~bpo12+1 -> 1:2.45.2-1~bpo12+1") || strings.Contains(fs[0].Found, "curl") {
		t.Errorf("PATCH-PENDING: %+v", fs)
	}
}
