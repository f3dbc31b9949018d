//go:build linux

package cli

import (
	"bytes"
	"context"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"bastion/internal/inventory"
)

// The distribution's inetd (openbsd-inetd, installed by scripts/deps.sh)
// and the environment variable that marks the re-executed test binary
// running inside its own namespaces.
const (
	inetdBinary = "/usr/sbin/inetd"
	inetdNSEnv  = "BASTION_TEST_INETD_NAMESPACE"
	inetdTest   = "TestInetdLiveApplyUndo"
	discardAddr = "127.0.0.1:9"
)

// inetdConf serves discard on loopback only; the entry is line 2.
const inetdConf = "# inetd.conf of the bastion integration test: one internal service on loopback\n" +
	"127.0.0.1:discard\tstream\ttcp\tnowait\troot\tinternal\n"

// bastion harden --apply on the live host, with a real inetd serving discard
// on loopback: the entry is commented, inetd re-reads its configuration and
// stops listening on 9/tcp; bastion undo puts the file back byte for byte,
// inetd re-reads it and listens again.
//
// bastion works on the live host here (no --root), so the test runs in a
// re-executed copy of the test binary inside new mount, network and PID
// namespaces: /etc and /var/lib are overlays whose writes go to a tmpfs (the
// host's /etc/inetd.conf and /var/lib/bastion are never written), loopback
// is the namespace's own (no port of the host is used), and the namespace's
// /proc shows only its own processes, so the fix's "pkill -HUP -x inetd"
// reaches the test's inetd and no other. Everything in the namespace dies
// with it.
func TestInetdLiveApplyUndo(t *testing.T) {
	if os.Getenv(inetdNSEnv) != "" {
		inetdInNamespace(t)
		return
	}
	if os.Geteuid() != 0 {
		t.Skip("needs root: it makes mount, network and PID namespaces and runs bastion on the live host inside them")
	}
	if _, err := os.Stat(inetdBinary); err != nil {
		t.Skipf("%s is missing (scripts/deps.sh installs openbsd-inetd): %v", inetdBinary, err)
	}
	hostConf, hostConfErr := os.ReadFile("/etc/inetd.conf")
	_, hostJournalErr := os.Lstat("/var/lib/bastion")

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^"+inetdTest+"$", "-test.v", "-test.count=1", "-test.timeout=50s")
	cmd.Env = append(os.Environ(), inetdNSEnv+"=1")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.SysProcAttr = &syscall.SysProcAttr{
		Cloneflags: syscall.CLONE_NEWNS | syscall.CLONE_NEWNET | syscall.CLONE_NEWPID,
		Pdeathsig:  syscall.SIGKILL,
	}
	// Pdeathsig follows the thread that started the child.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	start := time.Now()
	if err := cmd.Start(); err != nil {
		if errors.Is(err, syscall.EPERM) || errors.Is(err, syscall.EINVAL) || errors.Is(err, syscall.ENOSPC) {
			t.Skipf("cannot make mount, network and PID namespaces here: %v", err)
		}
		t.Fatal(err)
	}
	err := cmd.Wait()
	t.Logf("in the namespaces (%s):\n%s", time.Since(start).Round(time.Millisecond), out.String())
	switch {
	case err != nil:
		t.Fatalf("the test in the namespaces failed: %v", err)
	case strings.Contains(out.String(), "--- SKIP: "+inetdTest):
		t.Skip("skipped in the namespaces (see the log)")
	case !strings.Contains(out.String(), "--- PASS: "+inetdTest):
		t.Fatal("the test did not run in the namespaces")
	}

	// The host's files are as they were.
	conf, confErr := os.ReadFile("/etc/inetd.conf")
	if !bytes.Equal(conf, hostConf) || (confErr == nil) != (hostConfErr == nil) {
		t.Errorf("the host's /etc/inetd.conf changed")
	}
	if _, err := os.Lstat("/var/lib/bastion"); (err == nil) != (hostJournalErr == nil) {
		t.Errorf("the host's /var/lib/bastion appeared or went away")
	}
}

// inetdInNamespace is the test proper, run as process 1 of its namespaces.
func inetdInNamespace(t *testing.T) {
	if os.Getpid() != 1 {
		t.Fatalf("pid %d: not in a new PID namespace; refusing to change the live host", os.Getpid())
	}
	isolate(t)

	if err := os.WriteFile("/etc/inetd.conf", []byte(inetdConf), 0o644); err != nil {
		t.Fatal(err)
	}
	var log bytes.Buffer
	inetd := exec.Command(inetdBinary, "-d") // -d: debug, in the foreground
	inetd.Stdout, inetd.Stderr = &log, &log
	if err := inetd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		inetd.Process.Kill()
		inetd.Wait()
		t.Logf("inetd -d said:\n%s", log.String())
	})
	pid := inetd.Process.Pid
	if !waitListening(true) {
		t.Fatalf("inetd does not accept on %s", discardAddr)
	}

	// Before: 9/tcp listens, explained by the inetd.conf line, held by inetd.
	row := discardRow(t)
	if row.State != inventory.Listening || row.StartedFrom == nil ||
		row.StartedFrom.File != "/etc/inetd.conf" || row.StartedFrom.Line != 2 {
		t.Fatalf("before apply: 9/tcp is %s from %v; want listening from /etc/inetd.conf:2", row.State, row.StartedFrom)
	}
	if !hasPID(row, pid) {
		t.Errorf("before apply: inetd (pid %d) not among the processes %+v", pid, row.Processes)
	}
	if len(row.Addresses) != 1 || row.Addresses[0] != "127.0.0.1" {
		t.Errorf("before apply: addresses %v", row.Addresses)
	}

	out, errs, code := run(t, "harden", "--apply", "--yes", "--rule", "SVC-INETD-INTERNAL")
	if code != ExitOK || !strings.Contains(out, "Applied run") {
		t.Fatalf("apply: exit %d\n%s\n%s", code, out, errs)
	}
	if !strings.Contains(errs, "changed /etc/inetd.conf") || !strings.Contains(errs, "ran pkill -HUP -x inetd") {
		t.Errorf("apply did not change the file and reload inetd:\n%s\n%s", out, errs)
	}
	if !waitListening(false) {
		t.Errorf("after apply, inetd still accepts on %s", discardAddr)
	}
	if err := inetd.Process.Signal(syscall.Signal(0)); err != nil {
		t.Errorf("after apply, inetd is gone (it should only have re-read its configuration): %v", err)
	}
	data, _ := os.ReadFile("/etc/inetd.conf")
	if want := strings.Replace(inetdConf, "\n127.0.0.1:discard", "\n#127.0.0.1:discard", 1); string(data) != want {
		t.Errorf("after apply, /etc/inetd.conf is\n%s\nwant\n%s", data, want)
	}
	row = discardRow(t)
	if row.State != inventory.Disabled || row.StartedFrom == nil || row.StartedFrom.Line != 2 || len(row.Processes) != 0 {
		t.Errorf("after apply: 9/tcp is %s from %v held by %+v; want disabled at /etc/inetd.conf:2", row.State, row.StartedFrom, row.Processes)
	}
	if hist, _, _ := run(t, "history"); !strings.Contains(hist, "applied") {
		t.Errorf("history after apply:\n%s", hist)
	}

	out, errs, code = run(t, "undo")
	if code != ExitOK || !strings.Contains(out, "Undid run") {
		t.Fatalf("undo: exit %d\n%s\n%s", code, out, errs)
	}
	if !strings.Contains(errs, "restored /etc/inetd.conf") || !strings.Contains(errs, "ran pkill -HUP -x inetd") {
		t.Errorf("undo did not restore the file and reload inetd:\n%s\n%s", out, errs)
	}
	if !waitListening(true) {
		t.Errorf("after undo, inetd does not accept on %s", discardAddr)
	}
	if data, _ := os.ReadFile("/etc/inetd.conf"); string(data) != inetdConf {
		t.Errorf("after undo, /etc/inetd.conf is\n%s\nwant\n%s", data, inetdConf)
	}
	row = discardRow(t)
	if row.State != inventory.Listening || row.StartedFrom == nil || row.StartedFrom.Line != 2 || !hasPID(row, pid) {
		t.Errorf("after undo: 9/tcp is %s from %v held by %+v; want listening from /etc/inetd.conf:2 by pid %d", row.State, row.StartedFrom, row.Processes, pid)
	}
}

// isolate makes the namespace's mounts private, gives it its own /proc,
// puts writable overlays on /etc and /var/lib whose changes stay in a
// tmpfs, and brings its loopback up.
func isolate(t *testing.T) {
	t.Helper()
	mount := func(source, target, fstype string, flags uintptr, data string) {
		t.Helper()
		if err := syscall.Mount(source, target, fstype, flags, data); err != nil {
			t.Fatalf("mount %s on %s: %v", fstype, target, err)
		}
	}
	mount("", "/", "", syscall.MS_REC|syscall.MS_PRIVATE, "")
	mount("proc", "/proc", "proc", syscall.MS_NOSUID|syscall.MS_NODEV|syscall.MS_NOEXEC, "")
	scratch := filepath.Join(t.TempDir(), "scratch")
	if err := os.Mkdir(scratch, 0o700); err != nil {
		t.Fatal(err)
	}
	mount("tmpfs", scratch, "tmpfs", 0, "mode=0700")
	var over []string
	t.Cleanup(func() { // before t.TempDir removes the directory
		for i := len(over) - 1; i >= 0; i-- {
			syscall.Unmount(over[i], syscall.MNT_DETACH)
		}
		syscall.Unmount(scratch, syscall.MNT_DETACH)
	})
	for _, dir := range []string{"/etc", "/var/lib"} {
		upper := filepath.Join(scratch, dir, "upper")
		work := filepath.Join(scratch, dir, "work")
		for _, d := range []string{upper, work} {
			if err := os.MkdirAll(d, 0o755); err != nil {
				t.Fatal(err)
			}
		}
		mount("overlay", dir, "overlay", 0, "lowerdir="+dir+",upperdir="+upper+",workdir="+work)
		over = append(over, dir)
	}
	if err := loopbackUp(); err != nil {
		t.Fatalf("bring up lo: %v", err)
	}
}

// loopbackUp sets the up flag of lo, as "ip link set lo up" does.
func loopbackUp() error {
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_DGRAM|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		return err
	}
	defer syscall.Close(fd)
	var ifr struct { // struct ifreq: a name, then a union whose first member here is the flags
		name  [syscall.IFNAMSIZ]byte
		flags uint16
		_     [24]byte
	}
	copy(ifr.name[:], "lo")
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, uintptr(fd), syscall.SIOCGIFFLAGS, uintptr(unsafe.Pointer(&ifr))); e != 0 {
		return e
	}
	ifr.flags |= syscall.IFF_UP
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, uintptr(fd), syscall.SIOCSIFFLAGS, uintptr(unsafe.Pointer(&ifr))); e != 0 {
		return e
	}
	return nil
}

// waitListening waits up to five seconds for discardAddr to accept (want)
// or to refuse (!want) a connection, and says whether it did.
func waitListening(want bool) bool {
	deadline := time.Now().Add(5 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", discardAddr, 200*time.Millisecond)
		if err == nil {
			c.Close()
		}
		if (err == nil) == want {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// discardRow returns the live inventory's 9/tcp row.
func discardRow(t *testing.T) inventory.Row {
	t.Helper()
	inv := servicesJSON(t, "-w")
	if !inv.Observed || !strings.HasPrefix(inv.ObservedFrom, "live") {
		t.Fatalf("live state not read: %q", inv.ObservedFrom)
	}
	for _, r := range inv.Rows {
		if r.Port == 9 && r.Proto == "tcp" {
			if r.Name != "discard" {
				t.Errorf("9/tcp is named %q", r.Name)
			}
			return r
		}
	}
	t.Fatalf("no 9/tcp row in %+v", inv.Rows)
	return inventory.Row{}
}

func hasPID(r inventory.Row, pid int) bool {
	for _, p := range r.Processes {
		if p.PID == pid {
			return true
		}
	}
	return false
}
