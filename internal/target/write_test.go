//go:build linux

package target

import (
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"
)

func openRoot(t *testing.T, root string) *Target {
	t.Helper()
	tg, err := Open(root)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tg.Close() })
	return tg
}

func ownerOf(t *testing.T, p string) (fs.FileMode, int, int, uint64) {
	t.Helper()
	fi, err := os.Lstat(p)
	if err != nil {
		t.Fatal(err)
	}
	st := fi.Sys().(*syscall.Stat_t)
	return fi.Mode(), int(st.Uid), int(st.Gid), st.Ino
}

// names lists a directory.
func names(t *testing.T, dir string) string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range ents {
		out = append(out, e.Name())
	}
	return strings.Join(out, " ")
}

// WriteAtomic replaces a file by rename: the new content with the mode
// (setuid and setgid bits included), owner, group and user attributes of
// the old file, no temporary file left, and a reader of the old file still
// reads the old content.
func TestWriteAtomicKeepsMeta(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("changing a file's owner needs root")
	}
	root, _ := mkroot(t)
	tg := openRoot(t, root)
	p := filepath.Join(root, "etc/inittab")
	if err := os.Chown(p, 1, 1); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(p, 0o750|fs.ModeSetuid|fs.ModeSetgid); err != nil {
		t.Fatal(err)
	}
	xattr := true
	if err := unix.Setxattr(p, "user.bastion", []byte("label"), 0); errors.Is(err, unix.ENOTSUP) {
		xattr = false
		t.Log("no user attributes on this file system: not checked")
	} else if err != nil {
		t.Fatal(err)
	}
	old, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer old.Close()
	_, _, _, ino := ownerOf(t, p)

	m, err := tg.Meta("/etc/inittab")
	if err != nil {
		t.Fatal(err)
	}
	if !m.Exists || m.UID != 1 || m.GID != 1 || m.Mode != 0o750|fs.ModeSetuid|fs.ModeSetgid {
		t.Fatalf("Meta %+v", m)
	}
	if err := tg.WriteAtomic("/etc/inittab", []byte("new\n"), m); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(p); string(data) != "new\n" {
		t.Errorf("content %q", data)
	}
	mode, uid, gid, ino2 := ownerOf(t, p)
	if mode != 0o750|fs.ModeSetuid|fs.ModeSetgid || uid != 1 || gid != 1 {
		t.Errorf("mode %v owner %d:%d", mode, uid, gid)
	}
	if ino2 == ino {
		t.Error("the file was written in place, not replaced")
	}
	buf := make([]byte, 16)
	if n, _ := old.Read(buf); string(buf[:n]) != "init\n" {
		t.Errorf("a reader of the old file reads %q", buf[:n])
	}
	if xattr {
		n, err := unix.Getxattr(p, "user.bastion", buf)
		if err != nil || string(buf[:n]) != "label" {
			t.Errorf("user attribute: %q, %v", buf[:n], err)
		}
	}
	if got := names(t, filepath.Join(root, "etc")); strings.Contains(got, TempPrefix) {
		t.Errorf("temporary file left: %s", got)
	}
	// The cached metadata is not stale.
	if m, _ := tg.Meta("/etc/inittab"); m.Mode != mode {
		t.Errorf("Meta after the write: %+v", m)
	}
}

// A new file gets the mode, owner and group asked for, or 0644 when none
// is.
func TestWriteAtomicNew(t *testing.T) {
	root, _ := mkroot(t)
	tg := openRoot(t, root)
	if err := tg.WriteAtomic("/etc/new", []byte("a\n"), Meta{UID: -1, GID: -1}); err != nil {
		t.Fatal(err)
	}
	if mode, _, _, _ := ownerOf(t, filepath.Join(root, "etc/new")); mode != 0o644 {
		t.Errorf("mode %v", mode)
	}
	if os.Geteuid() != 0 {
		return
	}
	if err := tg.WriteAtomic("/etc/mail/new", []byte("b\n"), Meta{Exists: true, Mode: 0o640, UID: 2, GID: 3}); err != nil {
		t.Fatal(err)
	}
	if mode, uid, gid, _ := ownerOf(t, filepath.Join(root, "etc/mail/new")); mode != 0o640 || uid != 2 || gid != 3 {
		t.Errorf("mode %v owner %d:%d", mode, uid, gid)
	}
}

// WriteAtomic does not write through a final link, and a link on the way
// does not lead out of the root.
func TestWriteAtomicLinks(t *testing.T) {
	root, outside := mkroot(t)
	tg := openRoot(t, root)
	before := names(t, filepath.Join(root, "usr/sbin"))
	err := tg.WriteAtomic("/usr/lib/sendmail", []byte("replaced\n"), Meta{Exists: true, Mode: 0o755, UID: -1, GID: -1})
	if err == nil || !strings.Contains(err.Error(), "write /usr/lib/sendmail: is a symbolic link") {
		t.Errorf("write through a link: %v", err)
	}
	if l, _ := os.Readlink(filepath.Join(root, "usr/lib/sendmail")); l != "/usr/sbin/sendmail" {
		t.Errorf("the link became %q", l)
	}
	if data, _ := os.ReadFile(filepath.Join(root, "usr/sbin/sendmail")); string(data) != "sendmail\n" {
		t.Errorf("the file behind the link became %q", data)
	}
	if got := names(t, filepath.Join(root, "usr/lib")) + names(t, filepath.Join(root, "usr/sbin")); strings.Contains(got, TempPrefix) || names(t, filepath.Join(root, "usr/sbin")) != before {
		t.Errorf("left: %s", got)
	}
	// A link to a directory inside the root is followed inside it.
	if err := tg.WriteAtomic("/etc/mail/etc/via-link", []byte("x\n"), Meta{UID: -1, GID: -1}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "etc/via-link")); err != nil {
		t.Errorf("write through a directory link inside the root: %v", err)
	}
	// A link to a directory outside leads nowhere outside.
	tg.WriteAtomic("/etc/dir-escape/planted", []byte("x\n"), Meta{UID: -1, GID: -1})
	if _, err := os.Stat(filepath.Join(outside, "planted")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a write left the root: %v", err)
	}
}

// A write that fails half way (the file system is full) removes its
// temporary file and leaves the old file as it was.
func TestWriteAtomicFull(t *testing.T) {
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=8k", "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a small file system here: %v: %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", dir).Run() })
	if err := os.WriteFile(filepath.Join(dir, "conf"), []byte("old\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tg := openRoot(t, dir)
	err := tg.WriteAtomic("/conf", []byte(strings.Repeat("x", 64<<10)), Meta{Exists: true, Mode: 0o644, UID: -1, GID: -1})
	if err == nil || !strings.Contains(err.Error(), "write /conf: ") || !strings.Contains(err.Error(), "no space left on device") {
		t.Errorf("err = %v", err)
	}
	if data, _ := os.ReadFile(filepath.Join(dir, "conf")); string(data) != "old\n" {
		t.Errorf("the file became %d bytes", len(data))
	}
	if got := names(t, dir); got != "conf" {
		t.Errorf("left: %s", got)
	}
}

// RemoveTemps removes the temporary files of one file, and no others.
func TestRemoveTemps(t *testing.T) {
	root, _ := mkroot(t)
	tg := openRoot(t, root)
	etc := filepath.Join(root, "etc")
	for _, n := range []string{TempPrefix + "inittab-0a1b2c3d4e5f", TempPrefix + "inittab-ffffffffffff", TempPrefix + "rc.tcpip-000000000000"} {
		os.WriteFile(filepath.Join(etc, n), []byte("partial"), 0o600)
	}
	gone, err := tg.RemoveTemps("/etc/inittab")
	if err != nil || len(gone) != 2 {
		t.Errorf("RemoveTemps: %v, %v", gone, err)
	}
	if got := names(t, etc); strings.Contains(got, TempPrefix+"inittab") || !strings.Contains(got, TempPrefix+"rc.tcpip") {
		t.Errorf("left: %s", got)
	}
	if gone, err := tg.RemoveTemps("/etc/inittab"); err != nil || len(gone) != 0 {
		t.Errorf("again: %v, %v", gone, err)
	}
}

// SetMeta, Remove, Symlink and RemoveDir change one entry, never through a
// final link.
func TestSetMetaRemoveSymlink(t *testing.T) {
	root, _ := mkroot(t)
	tg := openRoot(t, root)
	if err := tg.SetMeta("/usr/lib/sendmail", Meta{Exists: true, Mode: 0o700, UID: -1, GID: -1}); err == nil ||
		!strings.Contains(err.Error(), "is a symbolic link") {
		t.Errorf("SetMeta through a link: %v", err)
	}
	if mode, _, _, _ := ownerOf(t, filepath.Join(root, "usr/sbin/sendmail")); mode != 0o755 {
		t.Errorf("the file behind the link became %v", mode)
	}
	if err := tg.SetMeta("/etc/inittab", Meta{Exists: true, Mode: 0o600 | fs.ModeSetgid, UID: -1, GID: -1}); err != nil {
		t.Fatal(err)
	}
	if mode, _, _, _ := ownerOf(t, filepath.Join(root, "etc/inittab")); mode != 0o600|fs.ModeSetgid {
		t.Errorf("mode %v", mode)
	}
	if err := tg.Remove("/usr/lib/sendmail"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "usr/sbin/sendmail")); err != nil {
		t.Errorf("Remove of a link removed what it points to: %v", err)
	}
	if err := tg.Symlink("/usr/sbin/sendmail", "/usr/lib/sendmail", Meta{Exists: true, Mode: fs.ModeSymlink | 0o777, UID: -1, GID: -1}); err != nil {
		t.Fatal(err)
	}
	if l, err := os.Readlink(filepath.Join(root, "usr/lib/sendmail")); l != "/usr/sbin/sendmail" {
		t.Errorf("Symlink: %q, %v", l, err)
	}
	if err := tg.Symlink("/elsewhere", "/usr/lib/sendmail", Meta{UID: -1, GID: -1}); err == nil {
		t.Error("Symlink over an existing entry")
	}
	if err := tg.RemoveDir("/etc/mail"); err == nil {
		t.Error("RemoveDir of a directory that is not empty")
	}
	if err := tg.MkdirAll("/var/adm", 0o755); err != nil {
		t.Fatal(err)
	}
	if err := tg.RemoveDir("/var/adm"); err != nil || tg.Exists("/var/adm") {
		t.Errorf("RemoveDir: %v", err)
	}
}
