package apply_test

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"

	"bastion/internal/audit"
	"bastion/internal/host"
	"bastion/internal/inventory"
	"bastion/internal/policy"
	"bastion/internal/remedy"
	"bastion/internal/rule"
	_ "bastion/internal/rules"
	"bastion/internal/target"
)

// aixDefault is the default AIX 4.3.3 host; hardenPolicy keeps what the
// hardened host kept, so that the plan touches every start-up file.
const (
	aixDefault   = "../../testdata/roots/aix433-default"
	hardenPolicy = "version: 1\nservices: [ftp, telnet, smtp, portmap, syslog]\n"
	stateDir     = "var/lib/bastion"
)

// copyRoot copies the fixture root into a fresh directory (cp -a keeps the
// absolute link usr/lib/sendmail) and gives some files a mode, owner and
// extended attribute git does not keep, so that the tests see them kept.
func copyRoot(t testing.TB, dir string) string {
	t.Helper()
	dst := copyTree(t, aixDefault, dir)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.Chmod(filepath.Join(dst, "etc/inetd.conf"), 0o640))
	must(os.Chmod(filepath.Join(dst, "etc/inittab"), 0o600))
	must(os.Chown(filepath.Join(dst, "etc/rc.tcpip"), 2, 3))
	must(os.Chmod(filepath.Join(dst, "etc/rc.tcpip"), 0o750|fs.ModeSetgid))
	// Where the file system has user attributes, one of the changed files
	// carries one.
	if err := unix.Setxattr(filepath.Join(dst, "etc/inittab"), "user.bastion.test", []byte("kept"), 0); err != nil &&
		!errors.Is(err, unix.ENOTSUP) {
		t.Fatal(err)
	}
	return dst
}

// copyTree copies the tree src to dir/root.
func copyTree(t testing.TB, src, dir string) string {
	t.Helper()
	dst := filepath.Join(dir, "root")
	if out, err := exec.Command("cp", "-a", src, dst).CombinedOutput(); err != nil {
		t.Fatalf("cp: %v: %s", err, out)
	}
	return dst
}

// buildPlan audits the root under the policy and collects the fix of every
// finding, as bastion harden does.
func buildPlan(ctx context.Context, root, pol string) (*remedy.Plan, error) {
	p, err := policy.Load(strings.NewReader(pol), "policy.yaml")
	if err != nil {
		return nil, err
	}
	t, err := target.Open(root)
	if err != nil {
		return nil, err
	}
	defer t.Close()
	f, err := host.Build(t, host.Options{})
	if err != nil {
		return nil, err
	}
	c := &rule.Context{Facts: f, Inventory: inventory.Build(f, t.String()), Policy: p}
	res := audit.Run(ctx, c, audit.Options{})
	plan := &remedy.Plan{Target: t.String()}
	for _, fd := range res.Findings {
		r, ok := rule.Lookup(fd.Rule)
		if !ok || r.Fix == nil {
			continue
		}
		plan.Add(r.Fix(c, fd.Finding)...)
	}
	if len(plan.Changes) == 0 {
		return nil, fmt.Errorf("%s: the plan is empty", root)
	}
	return plan, nil
}

// snapshot records every entry of a tree: kind, mode, owner and group, user
// attributes, and the content or link target.
func snapshot(t testing.TB, dir string) map[string]string {
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
			l, err := os.Readlink(p)
			if err != nil {
				return err
			}
			v += " -> " + l
		case fi.Mode().IsRegular():
			v += xattrs(p)
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			v += "\n" + string(data)
		}
		out[rel] = v
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// xattrs renders the user attributes of a file.
func xattrs(p string) string {
	buf := make([]byte, 4096)
	n, err := unix.Llistxattr(p, buf)
	if err != nil || n <= 0 {
		return ""
	}
	var names []string
	for _, name := range strings.Split(strings.TrimRight(string(buf[:n]), "\x00"), "\x00") {
		if strings.HasPrefix(name, "user.") {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	var b strings.Builder
	for _, name := range names {
		val := make([]byte, 4096)
		vn, err := unix.Lgetxattr(p, name, val)
		if err != nil {
			vn = 0
		}
		fmt.Fprintf(&b, " %s=%q", name, val[:vn])
	}
	return b.String()
}

// diffSnapshots names the entries that differ between two snapshots.
func diffSnapshots(a, b map[string]string) []string {
	var out []string
	for k, v := range a {
		if w, ok := b[k]; !ok {
			out = append(out, "removed "+k)
		} else if v != w {
			out = append(out, "changed "+k+": "+firstDiff(v, w))
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

func firstDiff(a, b string) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	cut := func(s string) string {
		s = s[i:]
		if len(s) > 40 {
			s = s[:40]
		}
		return s
	}
	return fmt.Sprintf("at byte %d: %q vs %q", i, cut(a), cut(b))
}

// mount runs mount(8) and registers the unmount; it reports whether
// mounting is permitted here.
func mount(t *testing.T, args ...string) error {
	t.Helper()
	out, err := exec.Command("mount", args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("mount %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(string(out)))
	}
	if slices.Contains(args, "-o") && strings.HasPrefix(args[slices.Index(args, "-o")+1], "remount") {
		return nil
	}
	dir := args[len(args)-1]
	t.Cleanup(func() {
		if out, err := exec.Command("umount", dir).CombinedOutput(); err != nil {
			t.Errorf("umount %s: %v: %s", dir, err, out)
		}
	})
	return nil
}
