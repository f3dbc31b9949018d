// Package target is the only part of bastion that touches a system. A Target
// is either the live local host or an offline root directory (a mounted disk
// image, a container root, a copied AIX tree). It offers read access to
// files confined to the root, captured command output stored inside the
// root, and a record of what could not be seen (coverage gaps).
//
// Every path a caller passes is a path as the target sees it ("/etc/inittab").
// Resolution happens component by component inside the root: ".." never
// climbs above the root, and symbolic links, absolute ones included, are
// resolved against the root, never against the machine bastion runs on.
// The final open goes through os.Root, which refuses to leave the root even
// if the tree changes underneath.
package target

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
)

// Target is a host bastion reads: the live machine, or an offline root.
type Target struct {
	root *os.Root
	dir  string
	live bool

	mu   sync.Mutex
	gaps map[string]Gap

	// dirs caches an os.Root per resolved directory, so that reading many
	// files of one directory costs one openat each instead of a walk from
	// the top; stats caches lstat results. A run reads a target that does
	// not change under it, and every read still goes through os.Root.
	cacheMu sync.Mutex
	dirs    map[string]*os.Root
	stats   map[string]statResult
}

type statResult struct {
	fi  fs.FileInfo
	err error
}

// Local returns the live local host. Reads go to "/" and live state (sockets,
// processes) comes from the running kernel.
func Local() (*Target, error) {
	r, err := os.OpenRoot("/")
	if err != nil {
		return nil, fmt.Errorf("open /: %w", err)
	}
	return newTarget(r, "/", true), nil
}

// Open returns an offline target rooted at dir. Nothing outside dir is read.
func Open(dir string) (*Target, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("root %s: %w", dir, err)
	}
	fi, err := os.Stat(abs)
	if err != nil {
		return nil, fmt.Errorf("root %s: %w", dir, errors.Unwrap(err))
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("root %s: not a directory", dir)
	}
	r, err := os.OpenRoot(abs)
	if err != nil {
		return nil, fmt.Errorf("root %s: %w", dir, err)
	}
	return newTarget(r, abs, false), nil
}

func newTarget(r *os.Root, dir string, live bool) *Target {
	return &Target{root: r, dir: dir, live: live, gaps: map[string]Gap{},
		dirs: map[string]*os.Root{}, stats: map[string]statResult{}}
}

// Close releases the root directory.
func (t *Target) Close() error {
	t.cacheMu.Lock()
	for _, r := range t.dirs {
		r.Close()
	}
	t.dirs = map[string]*os.Root{}
	t.cacheMu.Unlock()
	return t.root.Close()
}

// dirRoot returns an os.Root for the resolved root-relative directory dir.
func (t *Target) dirRoot(dir string) (*os.Root, error) {
	if dir == "" || dir == "." {
		return t.root, nil
	}
	t.cacheMu.Lock()
	defer t.cacheMu.Unlock()
	if r, ok := t.dirs[dir]; ok {
		return r, nil
	}
	r, err := t.root.OpenRoot(dir)
	if err != nil {
		return nil, err
	}
	t.dirs[dir] = r
	return r, nil
}

// split2 splits a resolved root-relative path into its directory and name.
func split2(rel string) (dir, name string) {
	i := strings.LastIndexByte(rel, '/')
	if i < 0 {
		return ".", rel
	}
	return rel[:i], rel[i+1:]
}

// lstat is a cached lstat of a resolved root-relative path.
func (t *Target) lstat(rel string) (fs.FileInfo, error) {
	t.cacheMu.Lock()
	if r, ok := t.stats[rel]; ok {
		t.cacheMu.Unlock()
		return r.fi, r.err
	}
	t.cacheMu.Unlock()
	var fi fs.FileInfo
	dir, name := split2(rel)
	r, err := t.dirRoot(dir)
	if err == nil {
		fi, err = r.Lstat(name)
	}
	t.cacheMu.Lock()
	t.stats[rel] = statResult{fi, err}
	t.cacheMu.Unlock()
	return fi, err
}

// openRel opens a resolved root-relative path through its directory's
// root. It opens without blocking, so that a FIFO cannot hang a read, and
// refuses anything but a regular file or a directory: a FIFO, a socket or
// a device (a link to /dev/zero) is no file bastion reads.
func (t *Target) openRel(rel string) (*os.File, error) {
	if rel == "." {
		return t.root.Open(".")
	}
	dir, name := split2(rel)
	r, err := t.dirRoot(dir)
	if err != nil {
		return nil, err
	}
	f, err := r.OpenFile(name, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if !fi.Mode().IsRegular() && !fi.IsDir() {
		f.Close()
		return nil, ErrNotRegular
	}
	return f, nil
}

// ErrNotRegular says a path is a FIFO, a socket or a device, which bastion
// does not read.
var ErrNotRegular = errors.New("not a regular file")

// MaxReadFile is the most ReadFile reads: no configuration file is near
// it, and a bigger file is not read whole (the package lists are
// streamed through Open).
const MaxReadFile = 64 << 20

// Live reports whether the target is the running local host.
func (t *Target) Live() bool { return t.live }

// Dir returns the directory the target is rooted at ("/" when live).
func (t *Target) Dir() string { return t.dir }

// String names the target for people: "local host" or "root DIR".
func (t *Target) String() string {
	if t.live {
		return "local host"
	}
	return "root " + t.dir
}

// ReadFile returns the contents of the named file, following links inside
// the target.
func (t *Target) ReadFile(name string) ([]byte, error) {
	rel, err := t.resolve(name, true)
	if err != nil {
		return nil, pathErr("open", name, err)
	}
	f, err := t.openRel(rel)
	if err != nil {
		return nil, pathErr("open", name, err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxReadFile+1))
	if err != nil {
		return nil, pathErr("read", name, err)
	}
	if len(data) > MaxReadFile {
		return nil, pathErr("read", name, fmt.Errorf("larger than %d MiB", MaxReadFile>>20))
	}
	return data, nil
}

// Open opens the named file for reading, following links inside the target.
func (t *Target) Open(name string) (*os.File, error) {
	rel, err := t.resolve(name, true)
	if err != nil {
		return nil, pathErr("open", name, err)
	}
	f, err := t.openRel(rel)
	if err != nil {
		return nil, pathErr("open", name, err)
	}
	return f, nil
}

// Stat returns the file information of name, following links.
func (t *Target) Stat(name string) (fs.FileInfo, error) { return t.stat("stat", name, true) }

// Lstat returns the file information of name without following a final link.
func (t *Target) Lstat(name string) (fs.FileInfo, error) { return t.stat("lstat", name, false) }

func (t *Target) stat(op, name string, follow bool) (fs.FileInfo, error) {
	rel, err := t.resolve(name, follow)
	if err != nil {
		return nil, pathErr(op, name, err)
	}
	fi, err := t.lstat(rel)
	if err != nil {
		return nil, pathErr(op, name, err)
	}
	return fi, nil
}

// Readlink returns the text of the symbolic link name, as stored.
func (t *Target) Readlink(name string) (string, error) {
	rel, err := t.resolve(name, false)
	if err != nil {
		return "", pathErr("readlink", name, err)
	}
	dir, base := split2(rel)
	r, err := t.dirRoot(dir)
	if err != nil {
		return "", pathErr("readlink", name, err)
	}
	s, err := r.Readlink(base)
	if err != nil {
		return "", pathErr("readlink", name, err)
	}
	return s, nil
}

// ReadDir lists the named directory, sorted by name.
func (t *Target) ReadDir(name string) ([]fs.DirEntry, error) {
	f, err := t.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	ents, err := f.ReadDir(-1)
	if err != nil {
		return nil, pathErr("readdir", name, err)
	}
	sort.Slice(ents, func(i, j int) bool { return ents[i].Name() < ents[j].Name() })
	return ents, nil
}

// Resolve returns the path that name leads to inside the target once every
// symbolic link is followed. When a component does not exist, it returns the
// path resolved so far joined with the rest, and an error that matches
// fs.ErrNotExist, so a caller can still name a program whose file is absent
// from an offline copy.
func (t *Target) Resolve(name string) (string, error) {
	rel, err := t.resolve(name, true)
	if rel == "" {
		return "", pathErr("resolve", name, err)
	}
	p := "/" + rel
	if rel == "." {
		p = "/"
	}
	if err != nil {
		return p, pathErr("resolve", name, err)
	}
	return p, nil
}

// maxLinks is how many symbolic links one resolution may follow, as Linux.
const maxLinks = 40

var errLoop = errors.New("too many levels of symbolic links")

// resolve walks name one component at a time inside the root and returns the
// root-relative path with every link followed ("." for the root itself).
// With followLast false a final symbolic link is left as it is. On a missing
// component it returns the partial path joined with the rest and the error.
func (t *Target) resolve(name string, followLast bool) (string, error) {
	todo := split(name)
	var cur []string
	links := 0
	for len(todo) > 0 {
		c := todo[0]
		todo = todo[1:]
		switch c {
		case ".":
			continue
		case "..":
			if len(cur) > 0 {
				cur = cur[:len(cur)-1]
			}
			continue
		}
		next := append(cur[:len(cur):len(cur)], c)
		rel := strings.Join(next, "/")
		if len(todo) == 0 && !followLast {
			cur = next
			break
		}
		fi, err := t.lstat(rel)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				rest := path.Clean("/" + strings.Join(append(next, todo...), "/"))
				return strings.TrimPrefix(rest, "/"), fs.ErrNotExist
			}
			return "", unwrapPath(err)
		}
		if fi.Mode()&fs.ModeSymlink != 0 {
			links++
			if links > maxLinks {
				return "", errLoop
			}
			dest, err := t.readlinkRel(rel)
			if err != nil {
				return "", unwrapPath(err)
			}
			if strings.HasPrefix(dest, "/") {
				cur = cur[:0]
			}
			todo = append(split(dest), todo...)
			continue
		}
		if len(todo) > 0 && !fi.IsDir() {
			return "", errors.New("not a directory")
		}
		cur = next
	}
	if len(cur) == 0 {
		return ".", nil
	}
	return strings.Join(cur, "/"), nil
}

// split breaks a path into its non-empty components.
func split(p string) []string {
	parts := strings.Split(p, "/")
	out := parts[:0]
	for _, s := range parts {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// unwrapPath strips the root-relative path from an os error, so messages
// name the target path instead.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func pathErr(op, name string, err error) error {
	return &fs.PathError{Op: op, Path: name, Err: unwrapPath(err)}
}

func (t *Target) readlinkRel(rel string) (string, error) {
	dir, name := split2(rel)
	r, err := t.dirRoot(dir)
	if err != nil {
		return "", err
	}
	return r.Readlink(name)
}
