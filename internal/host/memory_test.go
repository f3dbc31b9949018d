package host

import (
	"os"
	"runtime"
	"testing"

	"github.com/google/go-cmp/cmp"

	"bastion/internal/parse"
	"bastion/internal/target"
)

// debianRoot is a Debian 12 root with more files.
func debianRoot(files map[string]string) map[string]string {
	m := map[string]string{"etc/os-release": "ID=debian\nVERSION_ID=12\n", "etc/services": "ssh 22/tcp\n"}
	for k, v := range files {
		m[k] = v
	}
	return m
}

// Boot values come from the sysctl files in the order they apply, current
// values from a captured sysctl -a, and the lines of the files that set a
// key are kept for a fix.
func TestMemoryParams(t *testing.T) {
	f := build(t, debianRoot(map[string]string{
		"usr/lib/sysctl.d/50-default.conf":  "kernel.kptr_restrict = 1\nfs.protected_hardlinks = 1\nfs.protected_symlinks = 1\n",
		"usr/lib/sysctl.d/50-coredump.conf": "kernel.core_pattern=|/lib/systemd/systemd-coredump %P\nfs.suid_dumpable = 2\n",
		"etc/sysctl.d/90-local.conf":        "# ours\nkernel.kptr_restrict = 0\nfs.protected_*links = 0\n-fs.protected_hardlinks\n",
		"var/lib/bastion/capture/sysctl-a":  "fs.suid_dumpable = 2\nkernel.randomize_va_space = 2\nkernel.yama.ptrace_scope = 1\nnet.ipv4.ip_forward = 0\n",
	}))
	m := f.Memory
	if m == nil {
		t.Fatal("no Memory")
	}
	type got struct {
		Current, CurrentFrom, Boot, BootFrom string
	}
	want := map[string]got{
		"kernel.randomize_va_space": {Current: "2", CurrentFrom: "/var/lib/bastion/capture/sysctl-a:2"},
		"kernel.kptr_restrict":      {Boot: "0", BootFrom: "/etc/sysctl.d/90-local.conf:2"},
		"kernel.dmesg_restrict":     {},
		"kernel.yama.ptrace_scope":  {Current: "1", CurrentFrom: "/var/lib/bastion/capture/sysctl-a:3"},
		"fs.suid_dumpable":          {Current: "2", CurrentFrom: "/var/lib/bastion/capture/sysctl-a:1", Boot: "2", BootFrom: "/usr/lib/sysctl.d/50-coredump.conf:2"},
		// A line naming the key wins over the glob of a later file.
		"fs.protected_symlinks":  {Boot: "1", BootFrom: "/usr/lib/sysctl.d/50-default.conf:3"},
		"fs.protected_hardlinks": {Boot: "1", BootFrom: "/usr/lib/sysctl.d/50-default.conf:2"},
	}
	gotm := map[string]got{}
	for _, key := range MemoryKeys {
		o := m.Param(key)
		g := got{Current: o.Current, CurrentFrom: o.CurrentFrom, Boot: o.Boot}
		if o.BootSet {
			g.BootFrom = o.BootFrom.String()
		}
		gotm[key] = g
	}
	if diff := cmp.Diff(want, gotm); diff != "" {
		t.Errorf("params (-want +got):\n%s", diff)
	}
	if m.CurrentFrom != "captured /var/lib/bastion/capture/sysctl-a" || m.BootProblem != "" {
		t.Errorf("CurrentFrom %q, BootProblem %q", m.CurrentFrom, m.BootProblem)
	}
	if lines := m.Text["/etc/sysctl.d/90-local.conf"]; len(lines) != 4 || lines[1] != "kernel.kptr_restrict = 0" {
		t.Errorf("text of 90-local.conf: %q", lines)
	}
	if _, ok := m.Text["/usr/lib/sysctl.d/50-coredump.conf"]; !ok {
		t.Error("text of 50-coredump.conf not kept")
	}
}

// An unreadable sysctl file leaves the boot values in doubt.
func TestMemoryBootProblem(t *testing.T) {
	f := build(t, debianRoot(map[string]string{"etc/sysctl.conf/x": ""}))
	if f.Memory.BootProblem == "" {
		t.Error("no BootProblem for an unreadable /etc/sysctl.conf")
	}
	f = build(t, debianRoot(nil))
	if f.Memory.BootProblem != "" || f.Memory.CurrentFrom != "" || f.Memory.NX.Known {
		t.Errorf("bare root: %+v", f.Memory)
	}
}

func TestCPUInfoNX(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		want       NX
	}{
		{"x86 with nx", "processor\t: 0\nvendor_id\t: GenuineIntel\nflags\t\t: fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush mmx fxsr sse sse2 ss syscall nx pdpe1gb rdtscp lm\nflags\t\t: fpu\n",
			NX{Known: true, Supported: true, Arch: "x86", From: Source{File: "c", Line: 3}}},
		{"x86 without", "processor\t: 0\nflags\t\t: fpu vme de pse tsc msr pae mce cx8 apic sep lm nxe\n",
			NX{Known: true, Supported: false, Arch: "x86", From: Source{File: "c", Line: 2}}},
		{"arm64", "processor\t: 0\nBogoMIPS\t: 50.00\nFeatures\t: fp asimd evtstrm aes pmull sha1 sha2 crc32 cpuid\nCPU implementer\t: 0x41\nCPU architecture: 8\n",
			NX{Known: true, Supported: true, Arch: "arm64", From: Source{File: "c", Line: 5}}},
		{"power", "processor\t: 0\ncpu\t\t: POWER9 (architected), altivec supported\nclock\t\t: 2200.000000MHz\n",
			NX{Known: true, Supported: true, Arch: "power", From: Source{File: "c", Line: 2}}},
		{"unknown", "processor\t: 0\ncpu model\t: MIPS 24Kc V7.4\n", NX{Problem: "c names no processor feature bastion knows (x86 flags, ARMv8, POWER)"}},
	} {
		if diff := cmp.Diff(tc.want, cpuInfoNX(parse.SplitLines([]byte(tc.text)), "c")); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, diff)
		}
	}
	// A captured copy is read on an offline root.
	f := build(t, debianRoot(map[string]string{"var/lib/bastion/capture/proc/cpuinfo": "processor\t: 0\nflags\t\t: fpu pae\n"}))
	if nx := f.Memory.NX; !nx.Known || nx.Supported || nx.From.String() != "/var/lib/bastion/capture/proc/cpuinfo:2" {
		t.Errorf("captured cpuinfo: %+v", nx)
	}
}

func TestSedmgr(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		want       SED
	}{
		{"default", "Stack Execution Disable (SED) mode: select\nSED configured in kernel: select\n",
			SED{Mode: SEDSelect, ModeFrom: Source{File: "s", Line: 1}, Kernel: SEDSelect, KernelFrom: Source{File: "s", Line: 2}}},
		{"changed, not rebooted, monitoring", "Stack Execution Disable (SED) mode: setidfiles\nSED configured in kernel: off\nSED monitoring: on\n",
			SED{Mode: SEDSetidfiles, ModeFrom: Source{File: "s", Line: 1}, Kernel: SEDOff, KernelFrom: Source{File: "s", Line: 2}, Monitor: true, MonitorFrom: Source{File: "s", Line: 3}}},
		{"unknown mode", "Stack Execution Disable (SED) mode: sometimes\n",
			SED{Problem: `s:1: unknown SED mode "sometimes"`}},
		{"nothing", "sedmgr: not found\n", SED{Problem: "no SED mode in the output"}},
	} {
		if diff := cmp.Diff(tc.want, parseSedmgr(parse.SplitLines([]byte(tc.text)), "s")); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, diff)
		}
	}
	aix := map[string]string{"usr/lpp/bos": "", "etc/inittab": "init:2:initdefault:\n"}
	f := build(t, aix)
	if f.Memory.SED.Problem == "" || len(gapsFor(f, whatMemory)) != 1 {
		t.Errorf("no capture: %+v, gaps %v", f.Memory.SED, gapsFor(f, whatMemory))
	}
	aix["var/lib/bastion/capture/sedmgr"] = "Stack Execution Disable (SED) mode: all\nSED configured in kernel: all\n"
	f = build(t, aix)
	if s := f.Memory.SED; s.Mode != SEDAll || s.Kernel != SEDAll || s.Problem != "" {
		t.Errorf("captured: %+v", s)
	}
}

// On a live Linux host the CPU's description is read from /proc/cpuinfo.
func TestLiveNX(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("reads /proc/cpuinfo")
	}
	if _, err := os.Stat(procCPU); err != nil {
		t.Skip("no /proc/cpuinfo")
	}
	tg, err := target.Local()
	if err != nil {
		t.Fatal(err)
	}
	defer tg.Close()
	b := &builder{t: tg, f: &Facts{Live: true}}
	nx := b.cpuNX()
	if nx.Problem == "" && nx.From.File != procCPU {
		t.Errorf("live NX %+v", nx)
	}
}
