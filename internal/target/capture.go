package target

import (
	"errors"
	"io/fs"
	"path"
)

// CaptureDir is where an offline root keeps the output of commands run on
// the host it was copied from, so that live state (sockets, subsystems,
// network options) can be audited from a copy. docs/CAPTURE.md lists the
// files and the commands that make them.
const CaptureDir = "/var/lib/bastion/capture"

// Names of captured command output inside CaptureDir.
const (
	CaptureNetstat = "netstat-Aan" // AIX: netstat -Aan
	CaptureRmsock  = "rmsock"      // AIX: rmsock PCB tcpcb|inpcb for each PCB, command line first
	CaptureRPCInfo = "rpcinfo-p"   // rpcinfo -p
	CaptureLssrc   = "lssrc-a"     // AIX: lssrc -a
	CaptureNo      = "no-a"        // AIX: no -a
	CaptureOSLevel = "oslevel-s"   // AIX: oslevel -s, or oslevel
	CaptureLslpp   = "lslpp-w"     // AIX: lslpp -w for the daemons' executables
	CaptureSS      = "ss-tulpn"    // Linux: ss -tulpn
	CaptureProcNet = "proc/net"    // Linux: a copy of /proc/net/{tcp,tcp6,udp,udp6}
)

// Capture returns the captured output stored under CaptureDir as name. On the
// live host the same directory is read, so output captured by hand on a
// system bastion cannot query itself (AIX without root) is used as well.
func (t *Target) Capture(name string) ([]byte, error) {
	return t.ReadFile(CapturePath(name))
}

// CapturePath is the target path of a captured output file.
func CapturePath(name string) string { return path.Join(CaptureDir, name) }

// Exists reports whether name exists in the target (following links).
func (t *Target) Exists(name string) bool {
	_, err := t.Stat(name)
	return err == nil
}

// IsNotExist reports whether err says a file is not there.
func IsNotExist(err error) bool { return err != nil && errors.Is(err, fs.ErrNotExist) }
