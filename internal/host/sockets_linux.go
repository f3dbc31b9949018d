//go:build linux

package host

import (
	"os"
	"strconv"
	"strings"

	"github.com/prometheus/procfs"

	"bastion/internal/target"
)

func init() { liveSockets = readLiveSockets }

// readLiveSockets reads the kernel's socket tables through the target and
// maps each listening socket's inode to the process holding it.
func readLiveSockets(b *builder) ([]Socket, error) {
	socks, ok := b.procNet("/proc/net")
	if !ok {
		return nil, errNoProcNet
	}
	want := make(map[uint64]int, len(socks))
	for i, s := range socks {
		want[s.inode] = i
	}
	fs, err := procfs.NewFS("/proc")
	if err != nil {
		return socks, nil
	}
	procs, err := fs.AllProcs()
	if err != nil {
		return socks, nil
	}
	found := 0
	for _, p := range procs {
		targets, err := p.FileDescriptorTargets()
		if err != nil {
			continue // gone, or not ours to read
		}
		for _, t := range targets {
			if !strings.HasPrefix(t, "socket:[") {
				continue
			}
			ino, err := strconv.ParseUint(strings.TrimSuffix(t[len("socket:["):], "]"), 10, 64)
			if err != nil {
				continue
			}
			i, ok := want[ino]
			if !ok || socks[i].PID != 0 {
				continue
			}
			s := &socks[i]
			s.PID = p.PID
			s.Command, _ = p.Comm()
			s.Exe, _ = p.Executable()
			s.Cmdline, _ = p.CmdLine()
			found++
		}
		if found == len(socks) {
			break
		}
	}
	if found < len(socks) && os.Geteuid() != 0 {
		b.t.AddGap(target.Gap{Path: "/proc/*/fd", What: "processes holding sockets",
			Reason: "not running as root: the owners of other users' sockets cannot be seen"})
	}
	return socks, nil
}
