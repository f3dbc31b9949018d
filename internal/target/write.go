package target

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
)

// Meta is what a file keeps across a change: whether it exists, its mode,
// owner and group. UID and GID are -1 when the platform does not say.
type Meta struct {
	Exists bool        `json:"exists"`
	Mode   fs.FileMode `json:"mode"`
	UID    int         `json:"uid"`
	GID    int         `json:"gid"`
}

// TempPrefix starts the name of every temporary file bastion writes next to
// a file it replaces; a run cut off before its rename leaves one behind,
// which undo removes.
const TempPrefix = ".bastion-tmp-"

// Meta returns the metadata of a file (not following a final link).
func (t *Target) Meta(name string) (Meta, error) {
	fi, err := t.Lstat(name)
	if errors.Is(err, fs.ErrNotExist) {
		return Meta{UID: -1, GID: -1}, nil
	}
	if err != nil {
		return Meta{}, err
	}
	uid, gid := owner(fi)
	return Meta{Exists: true, Mode: fi.Mode(), UID: uid, GID: gid}, nil
}

// parent resolves the directory of name and returns its root and the base
// name. The directory must exist; the base name must not be a link (bastion
// never writes through a link).
func (t *Target) parent(name string) (*os.Root, string, error) {
	dir, base := split2(strings.TrimPrefix(cleanTarget(name), "/"))
	if base == "" || base == "." || base == ".." {
		return nil, "", fmt.Errorf("%s: not a file name", name)
	}
	rel, err := t.resolve("/"+dir, true)
	if err != nil {
		return nil, "", pathErr("open", "/"+dir, err)
	}
	r, err := t.dirRoot(rel)
	if err != nil {
		return nil, "", pathErr("open", "/"+dir, err)
	}
	return r, base, nil
}

func cleanTarget(name string) string {
	parts := split(name)
	return "/" + strings.Join(parts, "/")
}

// invalidate forgets cached metadata after a write.
func (t *Target) invalidate() {
	t.cacheMu.Lock()
	t.stats = map[string]statResult{}
	t.cacheMu.Unlock()
}

// WriteAtomic replaces (or creates) the file name with data: it writes a
// temporary file in the same directory with the given mode, owner and group
// (and, where the platform has them, the extended attributes of the file it
// replaces), flushes it to disk, renames it over name and flushes the
// directory. A reader, or a crash, sees the old file or the new one, never a
// mix. A final symbolic link is refused rather than followed.
func (t *Target) WriteAtomic(name string, data []byte, m Meta) error {
	t.invalidate()
	defer t.invalidate()
	dir, base, err := t.parent(name)
	if err != nil {
		return err
	}
	if fi, err := dir.Lstat(base); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		return fmt.Errorf("write %s: is a symbolic link; bastion does not write through links", name)
	}
	var suffix [6]byte
	rand.Read(suffix[:])
	tmp := TempPrefix + base + "-" + hex.EncodeToString(suffix[:])
	f, err := dir.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("write %s: %w", name, unwrapPath(err))
	}
	fail := func(err error) error {
		f.Close()
		dir.Remove(tmp)
		return fmt.Errorf("write %s: %w", name, unwrapPath(err))
	}
	if _, err := f.Write(data); err != nil {
		return fail(err)
	}
	if m.UID >= 0 && m.GID >= 0 {
		if err := f.Chown(m.UID, m.GID); err != nil && !errors.Is(err, fs.ErrPermission) {
			return fail(err)
		}
	}
	if err := copyXattrs(dir, base, f); err != nil {
		return fail(err)
	}
	mode := m.Mode.Perm() | m.Mode&(fs.ModeSetuid|fs.ModeSetgid|fs.ModeSticky)
	if !m.Exists && m.Mode == 0 {
		mode = 0o644
	}
	if err := f.Chmod(mode); err != nil {
		return fail(err)
	}
	if err := f.Sync(); err != nil {
		return fail(err)
	}
	if err := f.Close(); err != nil {
		dir.Remove(tmp)
		return fmt.Errorf("write %s: %w", name, unwrapPath(err))
	}
	if err := dir.Rename(tmp, base); err != nil {
		dir.Remove(tmp)
		return fmt.Errorf("write %s: %w", name, unwrapPath(err))
	}
	return syncDir(dir)
}

// Remove removes the file name and flushes its directory.
func (t *Target) Remove(name string) error {
	t.invalidate()
	defer t.invalidate()
	dir, base, err := t.parent(name)
	if err != nil {
		return err
	}
	if err := dir.Remove(base); err != nil {
		return fmt.Errorf("remove %s: %w", name, unwrapPath(err))
	}
	return syncDir(dir)
}

// Symlink makes name a symbolic link whose text is link, with the owner
// and group of m, where nothing is; it puts back a link bastion removed.
func (t *Target) Symlink(link, name string, m Meta) error {
	t.invalidate()
	defer t.invalidate()
	dir, base, err := t.parent(name)
	if err != nil {
		return err
	}
	if err := dir.Symlink(link, base); err != nil {
		return fmt.Errorf("symlink %s: %w", name, unwrapPath(err))
	}
	if m.UID >= 0 && m.GID >= 0 {
		if err := dir.Lchown(base, m.UID, m.GID); err != nil && !errors.Is(err, fs.ErrPermission) {
			return fmt.Errorf("chown %s: %w", name, unwrapPath(err))
		}
	}
	return syncDir(dir)
}

// SetMeta sets the mode, owner and group of an existing file (not through a
// final link).
func (t *Target) SetMeta(name string, m Meta) error {
	t.invalidate()
	defer t.invalidate()
	dir, base, err := t.parent(name)
	if err != nil {
		return err
	}
	fi, err := dir.Lstat(base)
	if err != nil {
		return fmt.Errorf("chmod %s: %w", name, unwrapPath(err))
	}
	if fi.Mode()&fs.ModeSymlink != 0 {
		return fmt.Errorf("chmod %s: is a symbolic link", name)
	}
	if m.UID >= 0 && m.GID >= 0 {
		if err := dir.Lchown(base, m.UID, m.GID); err != nil && !errors.Is(err, fs.ErrPermission) {
			return fmt.Errorf("chown %s: %w", name, unwrapPath(err))
		}
	}
	if err := dir.Chmod(base, m.Mode.Perm()|m.Mode&(fs.ModeSetuid|fs.ModeSetgid|fs.ModeSticky)); err != nil {
		return fmt.Errorf("chmod %s: %w", name, unwrapPath(err))
	}
	return nil
}

// MkdirAll creates a directory and its parents inside the target.
func (t *Target) MkdirAll(name string, perm fs.FileMode) error {
	t.invalidate()
	defer t.invalidate()
	if err := t.root.MkdirAll(strings.TrimPrefix(cleanTarget(name), "/"), perm); err != nil {
		return fmt.Errorf("mkdir %s: %w", name, unwrapPath(err))
	}
	return nil
}

// RemoveTemps removes temporary files bastion left in the directory of name
// (a run cut off between writing and renaming), and returns their names.
func (t *Target) RemoveTemps(name string) ([]string, error) {
	t.invalidate()
	defer t.invalidate()
	dir, base, err := t.parent(name)
	if err != nil {
		return nil, err
	}
	f, err := dir.Open(".")
	if err != nil {
		return nil, err
	}
	names, err := f.Readdirnames(-1)
	f.Close()
	if err != nil {
		return nil, err
	}
	var gone []string
	for _, n := range names {
		if strings.HasPrefix(n, TempPrefix+base+"-") {
			if err := dir.Remove(n); err != nil {
				return gone, err
			}
			gone = append(gone, n)
		}
	}
	return gone, nil
}

// syncDir flushes a directory, so that a rename in it survives a crash.
func syncDir(dir *os.Root) error {
	d, err := dir.Open(".")
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, errSyncUnsupported) {
		return fmt.Errorf("sync directory: %w", err)
	}
	return nil
}

// RemoveDir removes an empty directory; it fails on one that is not empty.
func (t *Target) RemoveDir(name string) error {
	t.invalidate()
	defer t.invalidate()
	dir, base, err := t.parent(name)
	if err != nil {
		return err
	}
	if err := dir.Remove(base); err != nil {
		return fmt.Errorf("remove %s: %w", name, unwrapPath(err))
	}
	return syncDir(dir)
}
