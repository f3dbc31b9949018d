package cli

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"bastion/internal/inventory"
)

// snapshot records every entry of a tree: kind, mode, owner, group, and
// content or link target.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, err := os.Lstat(p)
		if err != nil {
			return err
		}
		st := fi.Sys().(*syscall.Stat_t)
		rel, _ := filepath.Rel(dir, p)
		v := fi.Mode().String() + " " + strconv.Itoa(int(st.Uid)) + ":" + strconv.Itoa(int(st.Gid))
		switch {
		case fi.Mode()&fs.ModeSymlink != 0:
			l, _ := os.Readlink(p)
			v += " -> " + l
		case fi.Mode().IsRegular():
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			v += " " + string(data)
		}
		out[rel] = v
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func diffSnapshots(a, b map[string]string) []string {
	var out []string
	for k, v := range a {
		if w, ok := b[k]; !ok {
			out = append(out, "removed "+k)
		} else if v != w {
			out = append(out, "changed "+k)
		}
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			out = append(out, "added "+k)
		}
	}
	sort.Strings(out)
	return out
}

// Applying the plan to a copy of the default AIX host, under the policy of
// what the hardened host kept, leaves exactly the hardened host's six rows;
// undo then leaves the tree byte-identical, modes and owners included.
func TestApplyUndoAIXDefault(t *testing.T) {
	root := copyRoot(t, aixDefault)
	// Modes git does not keep, to check they survive.
	os.Chmod(filepath.Join(root, "etc/inetd.conf"), 0o640)
	os.Chmod(filepath.Join(root, "etc/inittab"), 0o600)
	before := snapshot(t, root)
	pol := writeFile(t, "policy.yaml", "version: 1\nservices: [ftp, telnet, smtp, portmap, syslog]\n")

	out, errs, code := run(t, "harden", "--apply", "--yes", "--root", root, "--policy", pol)
	if code != ExitOK {
		t.Fatalf("apply: exit %d\n%s\n%s", code, out, errs)
	}
	if !strings.Contains(out, "Applied run") || !strings.Contains(out, "Verify:") {
		t.Errorf("apply output:\n%s", out)
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
		t.Errorf("after apply, predicted rows\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	after := snapshot(t, root)
	if after["etc/inetd.conf"][:10] != "-rw-r-----" || after["etc/inittab"][:10] != "-rw-------" {
		t.Errorf("modes not kept: %q %q", after["etc/inetd.conf"][:10], after["etc/inittab"][:10])
	}
	hist, _, _ := run(t, "history", "--root", root)
	if !strings.Contains(hist, "applied") {
		t.Errorf("history:\n%s", hist)
	}
	out, errs, code = run(t, "undo", "--root", root)
	if code != ExitOK || !strings.Contains(out, "Undid run") {
		t.Fatalf("undo: exit %d\n%s\n%s", code, out, errs)
	}
	if d := diffSnapshots(before, snapshot(t, root)); len(d) > 0 {
		t.Errorf("after undo the tree differs:\n%s", strings.Join(d, "\n"))
	}
}

// Undo refuses, and changes nothing, when a file changed after the run;
// --force restores it anyway.
func TestUndoRefusesChangedFile(t *testing.T) {
	root := copyRoot(t, aixDefault)
	before := snapshot(t, root)
	if _, errs, code := run(t, "harden", "--apply", "--yes", "--root", root, "--rule", "SVC-TELNET"); code != ExitOK {
		t.Fatalf("apply: %s", errs)
	}
	p := filepath.Join(root, "etc/inetd.conf")
	data, _ := os.ReadFile(p)
	os.WriteFile(p, append(data, []byte("# edited by hand\n")...), 0o644)
	edited := snapshot(t, root)
	_, errs, code := run(t, "undo", "--root", root)
	if code != ExitError || !strings.Contains(errs, "/etc/inetd.conf") || !strings.Contains(errs, "changed since the run") {
		t.Errorf("undo of a changed file: exit %d, %q", code, errs)
	}
	if d := diffSnapshots(edited, snapshot(t, root)); len(d) > 0 {
		t.Errorf("a refused undo changed: %v", d)
	}
	if _, errs, code := run(t, "undo", "--root", root, "--force"); code != ExitOK {
		t.Fatalf("undo --force: %s", errs)
	}
	if d := diffSnapshots(before, snapshot(t, root)); len(d) > 0 {
		t.Errorf("after undo --force: %v", d)
	}
}

// A plan saved for one root is refused on another, and a plan whose file
// changed since it was made changes nothing.
func TestApplySavedPlan(t *testing.T) {
	root := copyRoot(t, aixDefault)
	planFile := filepath.Join(t.TempDir(), "plan.json")
	if _, errs, code := run(t, "harden", "--root", root, "--rule", "SVC-TELNET", "--out", planFile); code != ExitOK {
		t.Fatalf("save plan: %s", errs)
	}
	other := copyRoot(t, aixDefault)
	before := snapshot(t, other)
	_, errs, code := run(t, "harden", "--apply", "--yes", "--root", other, "--plan", planFile)
	if code != ExitError || !strings.Contains(errs, "the plan was made for root "+root) {
		t.Errorf("plan for another root: exit %d %q", code, errs)
	}
	if d := diffSnapshots(before, snapshot(t, other)); len(d) > 0 {
		t.Errorf("refused plan changed %v", d)
	}
	p := filepath.Join(root, "etc/inetd.conf")
	data, _ := os.ReadFile(p)
	os.WriteFile(p, bytes.Replace(data, []byte("telnetd -a"), []byte("telnetd -a -n"), 1), 0o644)
	before = snapshot(t, root)
	_, errs, code = run(t, "harden", "--apply", "--yes", "--root", root, "--plan", planFile)
	if code != ExitError || !strings.Contains(errs, "/etc/inetd.conf:13: expected") || !strings.Contains(errs, "nothing was changed") {
		t.Errorf("stale plan: exit %d %q", code, errs)
	}
	if d := diffSnapshots(before, snapshot(t, root)); len(d) > 0 {
		t.Errorf("stale plan changed %v", d)
	}
	if _, errs, code := run(t, "harden", "--apply", "--root", root); code != ExitError || !strings.Contains(errs, "--yes") {
		t.Errorf("apply without a terminal and without --yes: exit %d %q", code, errs)
	}
}
