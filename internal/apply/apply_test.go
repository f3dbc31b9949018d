package apply_test

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"

	"bastion/internal/apply"
	"bastion/internal/journal"
	"bastion/internal/remedy"
	"bastion/internal/target"
)

// handRoot builds a small root whose /etc/passwd and /etc/group name an
// account the machine running the test does not have.
func handRoot(t *testing.T) string {
	t.Helper()
	root := filepath.Join(t.TempDir(), "root")
	files := []struct {
		name, content string
		mode          fs.FileMode
		uid, gid      int
	}{
		{"etc/passwd", "root:!:0:0::/:/usr/bin/ksh\nsvc:*:4242:4343::/home/svc:/usr/bin/false\n", 0o644, 0, 0},
		{"etc/group", "system:!:0:root\nsvcgrp:!:4343:svc\n", 0o644, 0, 0},
		{"etc/a.conf", "one\ntwo\nthree\n", 0o600, 5, 6},
		{"etc/b.conf", "remove me\n", 0o644, 0, 0},
		{"etc/d.conf", "meta only\n", 0o644, 0, 0},
		{"etc/s.conf", "special bits\n", 0o2755, 0, 0},
	}
	for _, f := range files {
		p := filepath.Join(root, f.name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(f.content), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chown(p, f.uid, f.gid); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, f.mode); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink("/etc/a.conf", filepath.Join(root, "etc/a.link")); err != nil {
		t.Fatal(err)
	}
	return root
}

func handPlan() *remedy.Plan {
	why := func(c remedy.Change) remedy.Change { return c.For("TEST-HAND", "a change of every kind") }
	p := &remedy.Plan{}
	p.Add(
		why(remedy.ReplaceLine("/etc/a.conf", 2, "two", "# two")),
		why(remedy.RemoveFile("/etc/b.conf")),
		why(remedy.CreateFile("/opt/new/dir/c.conf", "created\n", 0o640, "svc", "svcgrp")),
		why(remedy.Chmod("/etc/d.conf", fs.ModeSetuid|0o750)),
		why(remedy.Chown("/etc/d.conf", "svc", "")),
		why(remedy.Chmod("/etc/s.conf", 0o640)),
		remedy.Command("TEST-HAND", "reload inetd.conf", "refresh", "-s", "inetd"),
	)
	return p
}

func openAll(t *testing.T, root, state string) (*target.Target, *journal.Store) {
	t.Helper()
	tg, err := target.Open(root)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tg.Close() })
	j, err := journal.Open(state)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { j.Close() })
	return tg, j
}

func statOf(t *testing.T, p string) (fs.FileMode, int, int) {
	t.Helper()
	fi, err := os.Lstat(p)
	if err != nil {
		t.Fatal(err)
	}
	st := fi.Sys().(*syscall.Stat_t)
	return fi.Mode(), int(st.Uid), int(st.Gid)
}

// A plan with a change of every kind is applied as planned, journaled, and
// undone byte for byte; undo removes the journal and the state directories
// it created.
func TestApplyUndoRoundTrip(t *testing.T) {
	root := handRoot(t)
	if err := unix.Setxattr(filepath.Join(root, "etc/a.conf"), "user.bastion.test", []byte("kept"), 0); err != nil &&
		!errors.Is(err, unix.ENOTSUP) {
		t.Fatal(err)
	}
	before := snapshot(t, root)
	state := filepath.Join(t.TempDir(), "state", "bastion")
	tg, j := openAll(t, root, state)
	var log strings.Builder
	var points []string
	run, err := apply.Apply(context.Background(), tg, j, handPlan(), apply.Options{
		Log:  &log,
		Hook: func(p string) { points = append(points, p) },
	})
	if err != nil {
		t.Fatal(err)
	}
	if run.Status != journal.Applied {
		t.Errorf("status %s", run.Status)
	}
	if want := "prepared,before file 0,after file 0,before file 1,after file 1,before file 2,after file 2,before file 3,after file 3,before file 4,after file 4,done"; strings.Join(points, ",") != want {
		t.Errorf("hook points %q", points)
	}
	if !strings.Contains(log.String(), "not run on root "+root+": refresh -s inetd") {
		t.Errorf("log:\n%s", log.String())
	}

	after := snapshot(t, root)
	if got := after["etc/a.conf"]; got != header(before["etc/a.conf"])+"\none\n# two\nthree\n" {
		t.Errorf("a.conf: %q (mode, owner and attributes must be kept)", got)
	}
	if _, ok := after["etc/b.conf"]; ok {
		t.Error("b.conf not removed")
	}
	if got := after["opt/new/dir/c.conf"]; got != "-rw-r----- 4242:4343\ncreated\n" {
		t.Errorf("c.conf: %q (owner and group from the target's passwd and group)", got)
	}
	if got := after["etc/d.conf"]; got != "urwxr-x--- 4242:0\nmeta only\n" {
		t.Errorf("d.conf: %q", got)
	}
	if got := after["etc/s.conf"]; got != "-rw-r----- 0:0\nspecial bits\n" {
		t.Errorf("s.conf: %q (chmod 0640 clears setgid, as chmod(1) does)", got)
	}
	if after["etc/a.link"] != before["etc/a.link"] {
		t.Errorf("the link changed: %q", after["etc/a.link"])
	}

	runs, err := j.List()
	if err != nil || len(runs) != 1 || runs[0].ID != run.ID || runs[0].Status != journal.Applied {
		t.Fatalf("journal lists %v, %v", runs, err)
	}
	events, err := j.Events(run.ID)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, e := range events {
		_, what, _ := strings.Cut(e, " ")
		kinds = append(kinds, strings.Join(strings.Fields(what)[:2], " "))
	}
	if want := []string{"begin run", "begin file", "end file", "begin file", "end file", "begin file", "end file",
		"begin file", "end file", "begin file", "end file", "skip step", "end run"}; !slices.Equal(kinds, want) {
		t.Errorf("events:\n%s", strings.Join(events, "\n"))
	}

	restored, err := apply.Undo(context.Background(), tg, j, runs[0], apply.UndoOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(restored) != 5 {
		t.Errorf("restored %v", restored)
	}
	if d := diffSnapshots(before, snapshot(t, root)); len(d) > 0 {
		t.Errorf("after undo the tree differs:\n%s", strings.Join(d, "\n"))
	}
	if _, err := os.Stat(filepath.Dir(state)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the state directories the journal created are left: %v", err)
	}
}

// The plan for the Debian host removes systemd start links, creates sysctl
// files and tightens the modes of log files; undo puts back the links as
// links and the modes of the logs, though the logs grew in between.
func TestApplyUndoDebian(t *testing.T) {
	root := copyTree(t, "../../testdata/roots/debian12-server", t.TempDir())
	before := snapshot(t, root)
	plan, err := buildPlan(context.Background(), root, "version: 1\nservices: [ssh]\n")
	if err != nil {
		t.Fatal(err)
	}
	tg, j := openAll(t, root, filepath.Join(t.TempDir(), "state"))
	run, err := apply.Apply(context.Background(), tg, j, plan, apply.Options{})
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	var logs []string
	for _, f := range run.Files {
		kinds[string(f.Kind)]++
		if f.Kind == "meta" {
			logs = append(logs, f.Path)
		}
		if f.Kind == remedy.KindRemove && f.Link == "" {
			t.Errorf("%s: a start link the run removes, recorded without its text", f.Path)
		}
	}
	if kinds["remove"] == 0 || kinds["create"] == 0 || kinds["edit"] == 0 || kinds["meta"] == 0 {
		t.Fatalf("the plan should change files of every kind: %v", kinds)
	}
	// The logs grow.
	grown := map[string]string{}
	for _, l := range logs {
		p := filepath.Join(root, l)
		f, err := os.OpenFile(p, os.O_WRONLY|os.O_APPEND, 0)
		if err != nil {
			t.Fatal(err)
		}
		f.WriteString("Nov 22 10:00:00 host daemon: a new line\n")
		f.Close()
		grown[strings.TrimPrefix(l, "/")] = snapshot(t, filepath.Dir(p))[filepath.Base(p)]
	}
	if _, err := apply.Undo(context.Background(), tg, j, run, apply.UndoOptions{}); err != nil {
		t.Fatal(err)
	}
	after := snapshot(t, root)
	for l := range grown {
		// The content is the grown log's; the mode is the original.
		if got, want := after[l], header(before[l])+"\n"+strings.SplitN(grown[l], "\n", 2)[1]; got != want {
			t.Errorf("%s after undo: %q, want %q", l, got, want)
		}
		after[l] = before[l]
	}
	if d := diffSnapshots(before, after); len(d) > 0 {
		t.Errorf("after undo the tree differs:\n%s", strings.Join(d, "\n"))
	}
}

// A step that fails puts back every file the run had changed, and says so.
func TestApplyRollsBack(t *testing.T) {
	root := handRoot(t)
	ro := filepath.Join(root, "etc/ro")
	if err := os.Mkdir(ro, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(ro, "e.conf"), []byte("on a read-only file system\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := mount(t, "--bind", ro, ro); err != nil {
		t.Skipf("cannot make a read-only file system here: %v", err)
	}
	if err := mount(t, "-o", "remount,ro,bind", ro); err != nil {
		t.Skipf("cannot make a read-only file system here: %v", err)
	}
	before := snapshot(t, root)
	tg, j := openAll(t, root, filepath.Join(t.TempDir(), "state"))
	p := &remedy.Plan{}
	p.Add(
		remedy.ReplaceLine("/etc/a.conf", 1, "one", "# one").For("TEST-A", "first"),
		remedy.CreateFile("/etc/new/f.conf", "new\n", 0o644, "", "").For("TEST-F", "second"),
		remedy.ReplaceLine("/etc/ro/e.conf", 1, "on a read-only file system", "# changed").For("TEST-E", "third"),
		remedy.ReplaceLine("/etc/d.conf", 1, "meta only", "# never reached").For("TEST-D", "fourth"),
	)
	run, err := apply.Apply(context.Background(), tg, j, p, apply.Options{})
	if err == nil || !strings.Contains(err.Error(), "write /etc/ro/e.conf: read-only file system") ||
		!strings.Contains(err.Error(), "every file was put back") {
		t.Fatalf("err = %v", err)
	}
	if run == nil || run.Status != journal.RolledBack || !strings.Contains(run.Note, "read-only file system") {
		t.Fatalf("run %+v", run)
	}
	if d := diffSnapshots(before, snapshot(t, root)); len(d) > 0 {
		t.Errorf("after the rollback the tree differs:\n%s", strings.Join(d, "\n"))
	}
	runs, _ := j.List()
	if len(runs) != 1 || runs[0].Status != journal.RolledBack {
		t.Errorf("journal lists %v", runs)
	}
}

// When a file changes under a run, the run stops, and the rollback puts
// back every other file and names the one it leaves.
func TestApplyRollbackLeavesChangedFile(t *testing.T) {
	root := handRoot(t)
	tg, j := openAll(t, root, filepath.Join(t.TempDir(), "state"))
	p := &remedy.Plan{}
	p.Add(
		remedy.ReplaceLine("/etc/a.conf", 1, "one", "# one").For("TEST-A", "first"),
		remedy.ReplaceLine("/etc/d.conf", 1, "meta only", "# meta only").For("TEST-D", "second"),
	)
	before := snapshot(t, root)
	d := filepath.Join(root, "etc/d.conf")
	run, err := apply.Apply(context.Background(), tg, j, p, apply.Options{Hook: func(p string) {
		if p == "before file 1" {
			// The second file becomes a link, which bastion does not
			// write through.
			os.Rename(d, d+".real")
			os.Symlink("d.conf.real", d)
		}
	}})
	if err == nil || !strings.Contains(err.Error(), "write /etc/d.conf: is a symbolic link") ||
		!strings.Contains(err.Error(), "putting the files back failed: changed since the run: /etc/d.conf (left as it is)") {
		t.Fatalf("err = %v", err)
	}
	if run == nil || run.Status != journal.Failed || !strings.Contains(run.Note, "/etc/d.conf") {
		t.Fatalf("run %+v", run)
	}
	after := snapshot(t, root)
	if after["etc/a.conf"] != before["etc/a.conf"] {
		t.Errorf("a.conf not put back: %q", after["etc/a.conf"])
	}
	if after["etc/d.conf.real"] != before["etc/d.conf"] {
		t.Errorf("the file behind the link changed: %q", after["etc/d.conf.real"])
	}
}

// A plan that writes through a link, or changes what is not a regular
// file, is refused before anything is changed.
func TestApplyRefusesLinks(t *testing.T) {
	root := handRoot(t)
	if err := os.Mkdir(filepath.Join(root, "etc/dir.conf"), 0o755); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, root)
	for _, c := range []struct {
		change remedy.Change
		want   string
	}{
		{remedy.ReplaceLine("/etc/a.link", 1, "one", "# one"), "/etc/a.link: is a symbolic link; bastion does not write through links (nothing was changed)"},
		{remedy.Chmod("/etc/a.link", 0o600), "/etc/a.link: not a regular file; bastion changes the mode or owner of regular files only (nothing was changed)"},
		{remedy.Chown("/etc/dir.conf", "svc", ""), "/etc/dir.conf: not a regular file"},
	} {
		state := filepath.Join(t.TempDir(), "state")
		tg, j := openAll(t, root, state)
		p := &remedy.Plan{}
		p.Add(remedy.ReplaceLine("/etc/d.conf", 1, "meta only", "# meta only").For("TEST-D", "first"), c.change.For("TEST-L", "link"))
		if _, err := apply.Apply(context.Background(), tg, j, p, apply.Options{}); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v", c.change, err)
		}
		if d := diffSnapshots(before, snapshot(t, root)); len(d) > 0 {
			t.Errorf("%s: the tree changed:\n%s", c.change, strings.Join(d, "\n"))
		}
		if left, _ := os.ReadDir(state); len(left) > 0 {
			t.Errorf("%s: the state directory keeps %v", c.change, left)
		}
	}
}

// Removing a start link (as disabling a systemd unit or a SysV script does)
// is undone by making the link again, with its text and owner, not a copy
// of what it points to.
func TestApplyUndoRemovesLinks(t *testing.T) {
	root := handRoot(t)
	wants := filepath.Join(root, "etc/systemd/system/multi-user.target.wants")
	if err := os.MkdirAll(wants, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(root, "lib/systemd/system"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "lib/systemd/system/snmpd.service"), []byte("[Service]\nExecStart=/usr/sbin/snmpd\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.Symlink("/lib/systemd/system/snmpd.service", filepath.Join(wants, "snmpd.service")))
	must(os.Lchown(filepath.Join(wants, "snmpd.service"), 7, 8))
	must(os.MkdirAll(filepath.Join(root, "etc/init.d"), 0o755))
	must(os.MkdirAll(filepath.Join(root, "etc/rc2.d"), 0o755))
	must(os.WriteFile(filepath.Join(root, "etc/init.d/nis"), []byte("#!/bin/sh\n"), 0o755))
	must(os.Symlink("../init.d/nis", filepath.Join(root, "etc/rc2.d/S20nis")))
	before := snapshot(t, root)
	tg, j := openAll(t, root, filepath.Join(t.TempDir(), "state"))
	p := &remedy.Plan{}
	p.Add(
		remedy.RemoveFile("/etc/systemd/system/multi-user.target.wants/snmpd.service").For("TEST-LINK", "disable snmpd"),
		remedy.RemoveFile("/etc/rc2.d/S20nis").For("TEST-LINK", "disable nis"),
	)
	run, err := apply.Apply(context.Background(), tg, j, p, apply.Options{})
	if err != nil {
		t.Fatal(err)
	}
	after := snapshot(t, root)
	if _, ok := after["etc/systemd/system/multi-user.target.wants/snmpd.service"]; ok {
		t.Error("the link was not removed")
	}
	if _, ok := after["etc/rc2.d/S20nis"]; ok {
		t.Error("the start link was not removed")
	}
	if after["lib/systemd/system/snmpd.service"] != before["lib/systemd/system/snmpd.service"] ||
		after["etc/init.d/nis"] != before["etc/init.d/nis"] {
		t.Error("a file behind a link changed")
	}
	if _, err := apply.Undo(context.Background(), tg, j, run, apply.UndoOptions{}); err != nil {
		t.Fatal(err)
	}
	if d := diffSnapshots(before, snapshot(t, root)); len(d) > 0 {
		t.Errorf("after undo the tree differs:\n%s", strings.Join(d, "\n"))
	}
}

// A target on a read-only file system: the run stops at the first write
// and changes nothing; with the journal inside the target, it does not
// start.
func TestApplyReadOnlyTarget(t *testing.T) {
	root := copyRoot(t, t.TempDir())
	plan, err := buildPlan(context.Background(), root, hardenPolicy)
	if err != nil {
		t.Fatal(err)
	}
	if err := mount(t, "--bind", root, root); err != nil {
		t.Skipf("cannot make a read-only file system here: %v", err)
	}
	if err := mount(t, "-o", "remount,ro,bind", root); err != nil {
		t.Skipf("cannot make a read-only file system here: %v", err)
	}
	before := snapshot(t, root)

	t.Run("journal elsewhere", func(t *testing.T) {
		tg, j := openAll(t, root, filepath.Join(t.TempDir(), "state"))
		run, err := apply.Apply(context.Background(), tg, j, plan, apply.Options{})
		if err == nil || !strings.Contains(err.Error(), "write /etc/inetd.conf: read-only file system") ||
			!strings.Contains(err.Error(), "every file was put back") {
			t.Errorf("err = %v", err)
		}
		if run == nil || run.Status != journal.RolledBack {
			t.Errorf("run %+v", run)
		}
		if d := diffSnapshots(before, snapshot(t, root)); len(d) > 0 {
			t.Errorf("the tree changed:\n%s", strings.Join(d, "\n"))
		}
	})
	t.Run("journal inside", func(t *testing.T) {
		tg, j := openAll(t, root, filepath.Join(root, stateDir))
		run, err := apply.Apply(context.Background(), tg, j, plan, apply.Options{})
		if err == nil || !strings.Contains(err.Error(), "cannot record the run in "+filepath.Join(root, stateDir)) ||
			!strings.Contains(err.Error(), "read-only file system") || !strings.Contains(err.Error(), "nothing was changed") {
			t.Errorf("err = %v", err)
		}
		if run != nil {
			t.Errorf("run %+v", run)
		}
		if d := diffSnapshots(before, snapshot(t, root)); len(d) > 0 {
			t.Errorf("the tree changed:\n%s", strings.Join(d, "\n"))
		}
	})
}

// A state directory with no room for the originals: the run does not start,
// says why, and leaves nothing in the state directory.
func TestApplyFullStateDir(t *testing.T) {
	root := copyRoot(t, t.TempDir())
	plan, err := buildPlan(context.Background(), root, hardenPolicy)
	if err != nil {
		t.Fatal(err)
	}
	state := t.TempDir()
	if err := mount(t, "-t", "tmpfs", "-o", "size=4k", "tmpfs", state); err != nil {
		t.Skipf("cannot mount a small file system here: %v", err)
	}
	before := snapshot(t, root)
	tg, j := openAll(t, root, state)
	var points []string
	run, err := apply.Apply(context.Background(), tg, j, plan, apply.Options{Hook: func(p string) { points = append(points, p) }})
	if err == nil || !strings.Contains(err.Error(), "cannot record the run in "+state) ||
		!strings.Contains(err.Error(), "no space left on device") || !strings.Contains(err.Error(), "nothing was changed") {
		t.Errorf("err = %v", err)
	}
	if run != nil || len(points) > 0 {
		t.Errorf("the run started: %+v, %v", run, points)
	}
	if d := diffSnapshots(before, snapshot(t, root)); len(d) > 0 {
		t.Errorf("the tree changed:\n%s", strings.Join(d, "\n"))
	}
	if left, _ := os.ReadDir(state); len(left) > 0 {
		t.Errorf("the state directory keeps %v", left)
	}
}

// A state directory that is a file, or under one, is refused before the
// target is touched.
func TestStateDirIsFile(t *testing.T) {
	file := filepath.Join(t.TempDir(), "state")
	if err := os.WriteFile(file, []byte("not a directory\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{file, filepath.Join(file, "bastion")} {
		j, err := journal.Open(dir)
		if err == nil {
			j.Close()
			t.Errorf("%s: opened", dir)
			continue
		}
		if !strings.Contains(err.Error(), "state directory "+dir) || !strings.Contains(err.Error(), "not a directory") {
			t.Errorf("%s: %v", dir, err)
		}
	}
	if data, _ := os.ReadFile(file); string(data) != "not a directory\n" {
		t.Errorf("the file changed: %q", data)
	}
}

// An owner or group the target's /etc/passwd or /etc/group does not name
// stops the run before anything is written, journal included; the names it
// does have are used, not those of the machine bastion runs on.
func TestApplyUnknownOwner(t *testing.T) {
	for _, c := range []struct {
		change remedy.Change
		want   string
	}{
		{remedy.CreateFile("/etc/new.conf", "x\n", 0o640, "nosuch", ""), `owner "nosuch" is not in the target's /etc/passwd`},
		{remedy.CreateFile("/etc/new.conf", "x\n", 0o640, "svc", "nosuch"), `group "nosuch" is not in the target's /etc/group`},
		{remedy.Chown("/etc/a.conf", "nosuch", ""), `owner "nosuch" is not in the target's /etc/passwd`},
	} {
		root := handRoot(t)
		before := snapshot(t, root)
		state := filepath.Join(t.TempDir(), "state")
		tg, j := openAll(t, root, state)
		p := &remedy.Plan{}
		p.Add(remedy.ReplaceLine("/etc/a.conf", 1, "one", "# one").For("TEST-A", "an edit first"), c.change.For("TEST-OWNER", "owner"))
		run, err := apply.Apply(context.Background(), tg, j, p, apply.Options{})
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "nothing was changed") {
			t.Errorf("%s: err = %v", c.change, err)
		}
		if run != nil {
			t.Errorf("%s: run %+v", c.change, run)
		}
		if d := diffSnapshots(before, snapshot(t, root)); len(d) > 0 {
			t.Errorf("%s: the tree changed:\n%s", c.change, strings.Join(d, "\n"))
		}
		if left, _ := os.ReadDir(state); len(left) > 0 {
			t.Errorf("%s: the state directory keeps %v", c.change, left)
		}
	}
}

func TestInverse(t *testing.T) {
	for _, c := range []struct {
		argv, want []string
	}{
		{[]string{"systemctl", "disable", "--now", "telnet.socket"}, []string{"systemctl", "enable", "--now", "telnet.socket"}},
		{[]string{"systemctl", "mask", "telnet.socket", "ftp.service"}, []string{"systemctl", "unmask", "telnet.socket", "ftp.service"}},
		{[]string{"stopsrc", "-s", "snmpd"}, []string{"startsrc", "-s", "snmpd"}},
		{[]string{"update-rc.d", "nfs-kernel-server", "disable"}, []string{"update-rc.d", "nfs-kernel-server", "enable"}},
		{[]string{"update-rc.d", "-f", "portmap", "remove"}, nil},
		{[]string{"refresh", "-s", "inetd"}, []string{"refresh", "-s", "inetd"}},
		{[]string{"refresh", "-s", "syslogd"}, []string{"refresh", "-s", "syslogd"}},
		{[]string{"refresh", "-s", "sendmail"}, nil},
		{[]string{"telinit", "q"}, []string{"telinit", "q"}},
		{[]string{"pkill", "-HUP", "inetd"}, []string{"pkill", "-HUP", "inetd"}},
		{[]string{"systemctl", "restart", "rsyslog"}, []string{"systemctl", "restart", "rsyslog"}},
		// A value set with no is not known before the run: no inverse.
		{[]string{"no", "-o", "ipforwarding=0"}, nil},
		{[]string{"systemctl", "disable", "telnet.socket"}, nil},
		{[]string{"stopsrc", "-g", "nfs"}, nil},
		{nil, nil},
		{[]string{}, nil},
	} {
		got := apply.Inverse(c.argv)
		if !slices.Equal(got, c.want) {
			t.Errorf("Inverse(%q) = %q, want %q", c.argv, got, c.want)
		}
	}
}
