package dpkg

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"

	"bastion/internal/parse"
)

// ParseList reads a /var/lib/dpkg/info/<package>.list file: one absolute
// path per line, the first being "/." for the root directory. It returns the
// paths as written, "/." included. A line that is not an absolute path is
// reported as a line error and left out.
func ParseList(r io.Reader, name string) ([]string, error) {
	lines, err := parse.ReadLines(r, name)
	if err != nil {
		return nil, err
	}
	var errs parse.Errors
	out := make([]string, 0, len(lines))
	for i, line := range lines {
		if !strings.HasPrefix(line, "/") {
			if line == "" {
				errs.Add(name, i+1, "empty line")
			} else {
				errs.Add(name, i+1, "not an absolute path: %q", clip(line))
			}
			continue
		}
		out = append(out, line)
	}
	if len(out) == 0 {
		out = nil
	}
	return out, errs.Err()
}

// PackageFromListName returns the package a .list file belongs to, from the
// file's name: "openssh-server.list" gives "openssh-server" and
// "libc6:amd64.list" (a multi-arch package) gives "libc6". A name with a
// directory is reduced to its last element. Other names (the .md5sums,
// .conffiles and maintainer scripts beside the lists) report false.
func PackageFromListName(file string) (pkg string, ok bool) {
	base := path.Base(file)
	stem, found := strings.CutSuffix(base, ".list")
	if !found {
		return "", false
	}
	pkg, arch, multi := strings.Cut(stem, ":")
	if !validPackage(pkg) {
		return "", false
	}
	if multi && !validArch(arch) {
		return "", false
	}
	return pkg, true
}

// validPackage reports whether s is a Debian package name: lowercase
// letters, digits, '+', '-' and '.', at least two long, starting with a
// letter or digit.
func validPackage(s string) bool {
	if len(s) < 2 || !isLowerAlnum(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if !isLowerAlnum(c) && c != '+' && c != '-' && c != '.' {
			return false
		}
	}
	return true
}

// validArch reports whether s is a Debian architecture name ("amd64",
// "i386", "arm64", "powerpc-linux-gnu" style names included).
func validArch(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !isLowerAlnum(c) && c != '-' {
			return false
		}
	}
	return true
}

func isLowerAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || '0' <= c && c <= '9'
}

// Index maps installed paths to the packages that list them. Directories are
// listed by many packages; regular files by one, except where packages
// divert or share a file. The zero Index is ready to use.
type Index struct {
	first map[string]string   // path -> first package that listed it
	more  map[string][]string // path -> further packages, rarely used
}

// Add records that pkg installed each of paths. The "/." entry that starts
// every list is skipped.
func (ix *Index) Add(pkg string, paths []string) {
	if ix.first == nil {
		ix.first = make(map[string]string, len(paths))
	}
	for _, p := range paths {
		if p == "/." {
			continue
		}
		prev, ok := ix.first[p]
		switch {
		case !ok:
			ix.first[p] = pkg
		case prev == pkg:
		default:
			if ix.more == nil {
				ix.more = make(map[string][]string)
			}
			if !contains(ix.more[p], pkg) {
				ix.more[p] = append(ix.more[p], pkg)
			}
		}
	}
}

// Owner returns the first package added that lists path, trying path as
// given and then its merged-/usr aliases (see Aliases).
func (ix *Index) Owner(path string) (pkg string, ok bool) {
	if pkg, ok = ix.first[path]; ok {
		return pkg, true
	}
	for _, a := range Aliases(path) {
		if pkg, ok = ix.first[a]; ok {
			return pkg, true
		}
	}
	return "", false
}

// Owners returns every package that lists path exactly, in the order they
// were added.
func (ix *Index) Owners(path string) []string {
	pkg, ok := ix.first[path]
	if !ok {
		return nil
	}
	return append([]string{pkg}, ix.more[path]...)
}

// Len reports how many distinct paths the index holds.
func (ix *Index) Len() int { return len(ix.first) }

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// ListContains scans a .list file for lines equal to any of paths and
// returns those found, each once, in the order they appear in the file. It
// reads line by line without keeping the file, so finding the owner of a few
// executables does not need an Index of every installed path. Matching is
// exact; pass Aliases too where /usr may be merged. It reads at most
// parse.MaxSize bytes and fails with parse.ErrTooLarge beyond that.
func ListContains(r io.Reader, paths []string) (found []string, err error) {
	if len(paths) == 0 {
		return nil, nil
	}
	var (
		want  [][]byte
		names []string
	)
	for _, p := range paths {
		if !contains(names, p) {
			names = append(names, p)
			want = append(want, []byte(p))
		}
	}
	hit := make([]bool, len(want))
	br := bufio.NewReaderSize(io.LimitReader(r, parse.MaxSize+1), 8*1024)
	var (
		total int
		long  []byte // a line longer than the buffer, assembled
	)
	for {
		chunk, rerr := br.ReadSlice('\n')
		total += len(chunk)
		if total > parse.MaxSize {
			return found, parse.ErrTooLarge
		}
		line := chunk
		if errors.Is(rerr, bufio.ErrBufferFull) {
			long = append(long, chunk...)
			continue
		}
		if long != nil {
			long = append(long, chunk...)
			line, long = long, nil
		}
		line = bytes.TrimSuffix(line, []byte("\n"))
		line = bytes.TrimSuffix(line, []byte("\r"))
		for i, w := range want {
			if !hit[i] && len(w) == len(line) && bytes.Equal(w, line) {
				hit[i] = true
				found = append(found, names[i])
			}
		}
		if rerr == io.EOF {
			return found, nil
		}
		if rerr != nil {
			return found, fmt.Errorf("read: %w", rerr)
		}
	}
}

// usrMerged are the top-level directories that merged-/usr systems make
// symbolic links to their /usr counterparts.
var usrMerged = []string{"/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"}

// Aliases returns the other names a path has on a merged-/usr system, where
// /bin, /sbin and /lib* are links into /usr: "/usr/sbin/sshd" gives
// "/sbin/sshd" and "/bin/ls" gives "/usr/bin/ls". A package may list a file
// under either name, depending on when it was built. The path is cleaned
// first; relative paths and paths outside those directories have no
// aliases.
func Aliases(p string) []string {
	if !strings.HasPrefix(p, "/") {
		return nil
	}
	p = path.Clean(p)
	for _, dir := range usrMerged {
		if rest, ok := underDir(p, "/usr"+dir); ok {
			return []string{dir + rest}
		}
		if rest, ok := underDir(p, dir); ok {
			return []string{"/usr" + dir + rest}
		}
	}
	return nil
}

// underDir reports whether p is dir or lies below it, and returns the part
// after dir ("" or "/...").
func underDir(p, dir string) (string, bool) {
	rest, ok := strings.CutPrefix(p, dir)
	if !ok || (rest != "" && rest[0] != '/') {
		return "", false
	}
	return rest, true
}
