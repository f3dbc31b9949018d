package host

import (
	"bytes"
	"path"
	"slices"
	"strconv"
	"strings"

	"bastion/internal/parse"
	"bastion/internal/parse/sysctl"
	"bastion/internal/target"
)

// Captured command output the memory model reads (see target.CaptureDir).
const (
	CaptureSysctl  = "sysctl-a"     // Linux: sysctl -a
	CaptureCPUInfo = "proc/cpuinfo" // Linux: a copy of /proc/cpuinfo
	CaptureSedmgr  = "sedmgr"       // AIX: sedmgr, without arguments
)

// MemoryKeys are the kernel parameters of the memory protections: address
// space layout randomisation, the kernel pointers and log a user may read,
// who may trace whom, core dumps of set-user-ID programs, and the link
// protections of sticky directories. Each is also one of SysctlKeys, so
// the network-options model reads them with the rest.
var MemoryKeys = []string{
	"kernel.randomize_va_space",
	"kernel.kptr_restrict",
	"kernel.dmesg_restrict",
	"kernel.yama.ptrace_scope",
	"fs.suid_dumpable",
	"fs.protected_symlinks",
	"fs.protected_hardlinks",
}

const (
	whatMemory = "memory protections"
	procCPU    = "/proc/cpuinfo"
)

// Memory is what the host does against buffer overflows and what a user
// may learn of, or do to, the memory of other processes: on Linux the
// kernel parameters of MemoryKeys (now and at boot) and the CPU's
// no-execute support; on AIX the Stack Execution Disable mode.
type Memory struct {
	// Params holds each of MemoryKeys as the network-options model knows
	// it, with the current value taken from a captured sysctl -a on an
	// offline root. A key that nothing sets and whose value nobody saw
	// is there with only its name.
	Params map[string]Option
	// CurrentFrom says where current values came from, "" when none
	// were available.
	CurrentFrom string
	// BootProblem names a sysctl file or directory that could not be
	// read: a key no readable file sets may still be set at boot.
	BootProblem string
	// Text holds the lines of the sysctl files that set one of the keys
	// at boot, by path, so that a fix can change the line in force.
	Text map[string][]string
	// NX is the CPU's no-execute support (Linux).
	NX NX
	// SED is the Stack Execution Disable set-up (AIX).
	SED SED
}

// Param returns what is known of one of MemoryKeys.
func (m *Memory) Param(key string) Option {
	if o, ok := m.Params[key]; ok {
		return o
	}
	return Option{Name: key}
}

// NX is whether the processor marks pages no-execute, as /proc/cpuinfo
// says.
type NX struct {
	// Known reports that the CPU's description was read and says;
	// Supported is the answer.
	Known, Supported bool
	// Arch is the processor family the answer rests on: "x86" (the nx
	// flag), "arm64" or "power" (no-execute pages are part of the
	// architecture).
	Arch string
	// From is the line of cpuinfo the answer comes from.
	From Source
	// Problem says why it is not known.
	Problem string
}

// The SED modes of AIX, weakest first.
const (
	SEDOff        = "off"
	SEDSelect     = "select"
	SEDSetidfiles = "setidfiles"
	SEDAll        = "all"
)

// SED is AIX's Stack Execution Disable set-up, from captured sedmgr output.
type SED struct {
	// Mode is the system-wide mode sedmgr reports as set, which the next
	// boot uses (sedmgr -m takes effect at a reboot); Kernel the mode the
	// running kernel was configured with. Each is "" when the output does
	// not say, and From is the line that does.
	Mode, Kernel         string
	ModeFrom, KernelFrom Source
	// Monitor reports SED in monitoring mode (sedmgr -o on): violations
	// are logged and the process goes on. MonitorFrom is its line.
	Monitor     bool
	MonitorFrom Source
	// Problem says why the mode is not known.
	Problem string
}

// memory builds Facts.Memory.
func (b *builder) memory() {
	m := &Memory{Params: map[string]Option{}, Text: map[string][]string{}}
	b.f.Memory = m
	switch b.f.Platform.OS {
	case target.AIX:
		m.SED = b.sedmgr()
	case target.Linux:
		b.kernelParams(m)
		m.NX = b.cpuNX()
	}
}

// kernelParams takes the memory keys from the network-options model, adds
// current values from a captured sysctl -a where the host is not live,
// and keeps the lines of the files that set them at boot.
func (b *builder) kernelParams(m *Memory) {
	n := b.f.NetOptions
	for _, key := range MemoryKeys {
		o, _ := n.Get(key)
		m.Params[key] = o
	}
	if n != nil {
		m.CurrentFrom = n.CurrentFrom
	}
	if !b.f.Live && m.CurrentFrom == "" {
		b.capturedSysctl(m)
	}
	for _, g := range b.t.Gaps() {
		if g.Line == 0 && g.What == whatBootNetOpts && isSysctlPath(g.Path) {
			m.BootProblem = g.Path + ": " + g.Reason
			break
		}
	}
	for _, key := range MemoryKeys {
		o := m.Params[key]
		if !o.BootSet {
			continue
		}
		if _, done := m.Text[o.BootFrom.File]; done {
			continue
		}
		if data, err := b.t.ReadFile(o.BootFrom.File); err == nil {
			m.Text[o.BootFrom.File] = parse.SplitLines(data)
		}
	}
}

// isSysctlPath reports whether p is a file or directory sysctl reads at
// boot.
func isSysctlPath(p string) bool {
	if p == sysctl.Conf {
		return true
	}
	for _, d := range sysctl.Dirs {
		if p == d || path.Dir(p) == d {
			return true
		}
	}
	return false
}

// capturedSysctl reads the current values of the memory keys from captured
// sysctl -a output, "key = value" lines. A missing capture is no gap: an
// offline Linux root has no current values unless someone captured them.
func (b *builder) capturedSysctl(m *Memory) {
	name := target.CapturePath(CaptureSysctl)
	data, err := b.t.Capture(CaptureSysctl)
	if err != nil {
		if !isNotExist(err) {
			b.gap(name, whatMemory, err)
		}
		return
	}
	f, err := sysctl.Parse(bytes.NewReader(data), name)
	b.parseGaps(err, whatMemory)
	if f == nil {
		return
	}
	for _, s := range f.Settings {
		if s.Exclude || !slices.Contains(MemoryKeys, s.Key) {
			continue
		}
		o := m.Params[s.Key]
		o.Current, o.CurrentKnown = s.Value, true
		o.CurrentFrom = Source{File: name, Line: s.Line}.String()
		m.Params[s.Key] = o
	}
	m.CurrentFrom = "captured " + name
}

// cpuNX reads the no-execute support from /proc/cpuinfo on the live host,
// or from a copy of it captured from the host of an offline root.
func (b *builder) cpuNX() NX {
	name := procCPU
	var data []byte
	var err error
	if b.f.Live {
		data, err = b.t.ReadFile(procCPU)
	} else {
		name = target.CapturePath(CaptureCPUInfo)
		data, err = b.t.Capture(CaptureCPUInfo)
	}
	switch {
	case err != nil && isNotExist(err) && !b.f.Live:
		return NX{Problem: "no captured /proc/cpuinfo (" + name + ")"}
	case err != nil:
		b.gap(name, whatMemory, err)
		return NX{Problem: name + ": " + target.Reason(err)}
	}
	return cpuInfoNX(parse.SplitLines(data), name)
}

// cpuInfoNX reads the no-execute support from the lines of a cpuinfo file.
// On x86 the first "flags" line lists "nx" when the processor has it and
// the firmware has not turned it off. On 64-bit ARM and on POWER,
// no-execute pages are part of the architecture; their cpuinfo has no
// such flag.
func cpuInfoNX(lines []string, name string) NX {
	for i, l := range lines {
		key, value, ok := strings.Cut(l, ":")
		if !ok {
			continue
		}
		key, value = strings.ToLower(strings.TrimSpace(key)), strings.TrimSpace(value)
		from := Source{File: name, Line: i + 1}
		switch {
		case key == "flags":
			return NX{Known: true, Supported: slices.Contains(strings.Fields(value), "nx"), Arch: "x86", From: from}
		case key == "cpu architecture":
			if n, err := strconv.Atoi(value); err == nil && n >= 8 {
				return NX{Known: true, Supported: true, Arch: "arm64", From: from}
			}
		case key == "cpu" && strings.HasPrefix(value, "POWER"):
			return NX{Known: true, Supported: true, Arch: "power", From: from}
		}
	}
	return NX{Problem: name + " names no processor feature bastion knows (x86 flags, ARMv8, POWER)"}
}

// sedmgr reads the SED mode from captured sedmgr output. bastion runs no
// commands, so the live host is read from its capture directory too.
func (b *builder) sedmgr() SED {
	name := target.CapturePath(CaptureSedmgr)
	data, err := b.t.Capture(CaptureSedmgr)
	if err != nil {
		reason := target.Reason(err)
		if isNotExist(err) {
			reason = "no captured sedmgr output"
		}
		b.t.AddGap(target.Gap{Path: name, What: whatMemory, Reason: reason})
		return SED{Problem: name + ": " + reason}
	}
	s := parseSedmgr(parse.SplitLines(data), name)
	if s.Problem != "" {
		b.t.AddGap(target.Gap{Path: name, What: whatMemory, Reason: s.Problem})
	}
	return s
}

// sedModes are the modes sedmgr -m sets.
var sedModes = map[string]bool{SEDOff: true, SEDSelect: true, SEDSetidfiles: true, SEDAll: true}

// parseSedmgr reads the lines sedmgr prints without arguments:
//
//	Stack Execution Disable (SED) mode: select
//	SED configured in kernel: select
//
// and a monitoring line when monitoring is on. A mode that is not one of
// sedmgr's is a problem, as is output that gives no mode at all.
func parseSedmgr(lines []string, name string) SED {
	var s SED
	for i, l := range lines {
		key, value, ok := strings.Cut(l, ":")
		if !ok {
			continue
		}
		key = strings.ToLower(key)
		value = strings.ToLower(strings.TrimSpace(value))
		from := Source{File: name, Line: i + 1}
		word := value
		if f := strings.Fields(value); len(f) > 0 {
			word = f[0]
		}
		switch {
		case strings.Contains(key, "monitor"):
			s.Monitor, s.MonitorFrom = word == "on" || word == "enabled", from
		case !strings.HasPrefix(strings.TrimSpace(key), "sed ") && !strings.Contains(key, "stack execution"):
		case !sedModes[word]:
			s.Problem = from.String() + ": unknown SED mode " + strconv.Quote(word)
		case strings.Contains(key, "kernel"):
			s.Kernel, s.KernelFrom = word, from
		case strings.Contains(key, "mode"):
			s.Mode, s.ModeFrom = word, from
		}
	}
	if s.Problem == "" && s.Mode == "" && s.Kernel == "" {
		s.Problem = "no SED mode in the output"
	}
	return s
}
