package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"bastion/internal/inventory"
)

// copyRoot copies a fixture root, links and all, into a temporary directory.
func copyRoot(t *testing.T, src string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "root")
	if out, err := exec.Command("cp", "-a", src, dst).CombinedOutput(); err != nil {
		t.Fatalf("cp: %v: %s", err, out)
	}
	return dst
}

// The plan for the default AIX host, applied with patch, turns its start-up
// files into ones from which the inventory predicts exactly the six rows of
// the hardened host, under a policy that keeps what the hardened host kept.
func TestHardenAIXDefaultEndToEnd(t *testing.T) {
	if _, err := exec.LookPath("patch"); err != nil {
		t.Fatal("patch is needed (Debian package patch): ", err)
	}
	root := copyRoot(t, aixDefault)
	pol := filepath.Join(t.TempDir(), "policy.yaml")
	if err := os.WriteFile(pol, []byte("version: 1\nservices: [ftp, telnet, smtp, portmap, syslog]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	diff, errs, code := run(t, "harden", "--root", root, "--policy", pol)
	if code != ExitOK {
		t.Fatalf("harden: exit %d: %s", code, errs)
	}
	for _, want := range []string{"--- a/etc/inetd.conf", "--- a/etc/inittab", "--- a/etc/rc.tcpip", "# then run: refresh -s inetd"} {
		if !strings.Contains(diff, want) {
			t.Errorf("plan lacks %q", want)
		}
	}
	// Nothing was written: the copy is still the fixture.
	if out, err := exec.Command("diff", "-r", "--no-dereference", aixDefault, root).CombinedOutput(); err != nil {
		t.Fatalf("harden changed the target: %s", out)
	}
	cmd := exec.Command("patch", "-p1", "-d", root)
	cmd.Stdin = strings.NewReader(diff)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("patch: %v\n%s", err, out)
	}
	inv := servicesJSON(t, "--root", root, "--config-only")
	var got, want []string
	for _, r := range inv.Rows {
		if r.State != inventory.Disabled {
			got = append(got, asTSV(r).String())
		}
	}
	for _, w := range readTSV(t, "aix433-ports-hardened.tsv") {
		want = append(want, w.String())
	}
	sort.Strings(got)
	sort.Strings(want)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("after the plan, predicted rows\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// The audit of the patched copy no longer asks for service changes.
	diff, _, _ = run(t, "harden", "--root", root, "--policy", pol, "--config-only")
	if strings.Contains(diff, "--- a/") {
		t.Errorf("a second plan still changes files:\n%s", diff)
	}
}
