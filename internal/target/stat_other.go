//go:build !unix

package target

import (
	"errors"
	"io/fs"
)

func owner(fs.FileInfo) (uid, gid int) { return -1, -1 }

var errSyncUnsupported = errors.New("sync unsupported")
