//go:build !linux

package target

import "os"

// copyXattrs is a no-op where bastion does not copy extended attributes
// yet (AIX extended ACLs among them): mode, owner and group are kept.
func copyXattrs(*os.Root, string, *os.File) error { return nil }
