package target

import (
	"errors"
	"os"
	"strings"

	"golang.org/x/sys/unix"
)

// copyXattrs copies the extended attributes (ACLs, SELinux labels) of the
// file base in dir, if it exists, to the open file dst.
func copyXattrs(dir *os.Root, base string, dst *os.File) error {
	src, err := dir.Open(base)
	if err != nil {
		return nil // a new file has none
	}
	defer src.Close()
	fd := int(src.Fd())
	size, err := unix.Flistxattr(fd, nil)
	if err != nil || size <= 0 {
		return nil // none, or not supported here
	}
	buf := make([]byte, size)
	n, err := unix.Flistxattr(fd, buf)
	if err != nil {
		return nil
	}
	for _, name := range strings.Split(strings.TrimRight(string(buf[:n]), "\x00"), "\x00") {
		if name == "" {
			continue
		}
		vsize, err := unix.Fgetxattr(fd, name, nil)
		if err != nil {
			continue
		}
		val := make([]byte, vsize)
		vn, err := unix.Fgetxattr(fd, name, val)
		if err != nil {
			continue
		}
		if err := unix.Fsetxattr(int(dst.Fd()), name, val[:vn], 0); err != nil &&
			!errors.Is(err, unix.ENOTSUP) && !errors.Is(err, unix.EPERM) {
			return err
		}
	}
	return nil
}
