//go:build unix

package target

import (
	"io/fs"
	"syscall"
)

// owner returns a file's owner and group ids.
func owner(fi fs.FileInfo) (uid, gid int) {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return int(st.Uid), int(st.Gid)
	}
	return -1, -1
}

// errSyncUnsupported is what fsync of a directory returns on file systems
// that do not support it.
var errSyncUnsupported error = syscall.EINVAL
