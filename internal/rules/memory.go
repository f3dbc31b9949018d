package rules

import (
	"fmt"
	"path"
	"slices"
	"strconv"
	"strings"

	"bastion/internal/host"
	"bastion/internal/parse/sysctl"
	"bastion/internal/remedy"
	"bastion/internal/rule"
	"bastion/internal/severity"
	"bastion/internal/target"
)

// memSeed names the step of the method the memory rules follow.
const memSeed = "the method's step \"protect against buffer overflows\", in today's form"

// paramWant is what a memory rule wants of one kernel parameter.
type paramWant struct {
	key string
	// ok reports an acceptable value; want is the value a fix sets and
	// expect says in words what is acceptable.
	ok     func(v string) bool
	want   string
	expect string
	// def is the value the kernel uses when nothing sets the parameter
	// at boot, or "" when it depends on how the kernel was built.
	def string
}

// is accepts one value.
func is(want string) func(string) bool { return func(v string) bool { return v == want } }

// atLeastOne accepts a number of 1 or more.
func atLeastOne(v string) bool {
	n, err := strconv.Atoi(v)
	return err == nil && n >= 1
}

// paramRule is a rule over memory-protection kernel parameters.
type paramRule struct {
	id, title string
	sev       severity.Level
	params    []paramWant
	rationale string
	refs      []string
}

var paramRules = []paramRule{
	{id: "MEM-ASLR", title: "address space layout randomisation is not complete", sev: severity.High,
		params:    []paramWant{{key: "kernel.randomize_va_space", ok: is("2"), want: "2", expect: "2", def: "2"}},
		rationale: "With randomize_va_space below 2 the stack, the libraries or the heap sit at addresses an attacker can predict, which is what a buffer overflow exploit needs to jump into them (" + memSeed + ").",
		refs:      []string{"CIS Debian 12 1.5.3", "STIG RHEL-09-213070"}},
	{id: "MEM-KPTR", title: "kernel pointers are shown to users", sev: severity.Medium,
		params:    []paramWant{{key: "kernel.kptr_restrict", ok: atLeastOne, want: "1", expect: "1 or 2", def: "0"}},
		rationale: "Kernel addresses in /proc (kallsyms, modules) undo the kernel's own address randomisation for any local user writing an exploit; kptr_restrict hides them from users without CAP_SYSLOG (" + memSeed + ").",
		refs:      []string{"STIG RHEL-09-213025"}},
	{id: "MEM-DMESG", title: "users may read the kernel log", sev: severity.Low,
		params:    []paramWant{{key: "kernel.dmesg_restrict", ok: is("1"), want: "1", expect: "1"}},
		rationale: "The kernel log holds addresses and hardware details that help a local exploit; dmesg_restrict keeps it for users with CAP_SYSLOG (" + memSeed + ").",
		refs:      []string{"STIG RHEL-09-213010"}},
	{id: "MEM-PTRACE", title: "any process may trace another of the same user", sev: severity.Medium,
		params:    []paramWant{{key: "kernel.yama.ptrace_scope", ok: atLeastOne, want: "1", expect: "1, 2 or 3"}},
		rationale: "With Yama's ptrace_scope at 0 a compromised process can attach to every other process of its user and read its memory (keys, passwords) or change its code; 1 limits tracing to a process's own descendants (" + memSeed + ").",
		refs:      []string{"CIS Debian 12 1.5.2", "STIG RHEL-09-213080"}},
	{id: "MEM-SUID-DUMP", title: "set-user-ID programs may dump core", sev: severity.Medium,
		params:    []paramWant{{key: "fs.suid_dumpable", ok: is("0"), want: "0", expect: "0", def: "0"}},
		rationale: "A core dump of a set-user-ID or set-group-ID program holds what the program read with its privileges (password hashes, keys); suid_dumpable 0 keeps such programs from dumping core (" + memSeed + ").",
		refs:      []string{"CIS Debian 12 1.5.1"}},
	{id: "MEM-PROTECTED-LINKS", title: "links in world-writable directories are not protected", sev: severity.Medium,
		params: []paramWant{
			{key: "fs.protected_symlinks", ok: is("1"), want: "1", expect: "1", def: "0"},
			{key: "fs.protected_hardlinks", ok: is("1"), want: "1", expect: "1", def: "0"},
		},
		rationale: "Without the link protections a user can plant a symbolic link in /tmp, or a hard link to a file they cannot write, and wait for a privileged program to write through it: the classic temporary-file race (" + memSeed + ").",
		refs:      []string{"STIG RHEL-09-213030", "STIG RHEL-09-213035"}},
}

func init() {
	for _, p := range paramRules {
		registerParam(p)
	}
}

func registerParam(p paramRule) {
	rule.Register(rule.Rule{
		ID: p.id, Title: p.title, Severity: p.sev, Topic: "memory",
		Rationale: p.rationale,
		Remediation: "Set the parameter now (sysctl -w) and at every boot, in the sysctl file whose line is in force or a file of /etc/sysctl.d that comes after it. " +
			"bastion edits the line in force when it is under /etc, or adds a file of /etc/sysctl.d.",
		References: p.refs,
		Platforms:  []target.OS{target.Linux},
		Check: func(c *rule.Context, rep *rule.Report) error {
			m := c.Facts.Memory
			if c.Facts.Platform.OS != target.Linux || m == nil {
				return rule.Undecided("kernel parameters are read on Linux only")
			}
			unknown := ""
			for _, w := range p.params {
				f, ok := checkParam(m, w)
				if !ok {
					unknown = w.key
					continue
				}
				if f != nil {
					rep.Add(*f)
				}
			}
			switch {
			case unknown == "":
				return nil
			case m.BootProblem != "":
				return rule.Undecided("what the boot sets %s to is not known: a sysctl file could not be read (%s)", unknown, m.BootProblem)
			case m.CurrentFrom != "":
				return rule.Undecided("the kernel has no %s (%s), and nothing sets it at boot", unknown, m.CurrentFrom)
			}
			return rule.Undecided("nothing sets %s at boot and the kernel's own default depends on how it was built: audit the live host or capture sysctl -a", unknown)
		},
		Fix: fixParam,
	})
}

// checkParam compares one parameter with what a rule wants, now and at
// boot. ok is false when neither is known.
func checkParam(m *host.Memory, w paramWant) (*rule.Finding, bool) {
	o := m.Param(w.key)
	boot, bootKnown := o.Boot, o.BootSet
	if !bootKnown && w.def != "" && m.BootProblem == "" {
		boot, bootKnown = w.def, true
	}
	if !o.CurrentKnown && !bootKnown {
		return nil, false
	}
	var problems []string
	where := rule.Location{Key: w.key}
	data := map[string]string{"key": w.key, "want": w.want}
	if o.CurrentKnown && !w.ok(o.Current) {
		problems = append(problems, fmt.Sprintf("%s = %s now (%s)", w.key, o.Current, o.CurrentFrom))
		where.File, where.Line = splitFrom(o.CurrentFrom)
		data["now"] = "true"
	}
	if bootKnown && !w.ok(boot) {
		if o.BootSet {
			problems = append(problems, fmt.Sprintf("set to %s at boot by %s", boot, o.BootFrom))
			where.File, where.Line = o.BootFrom.File, o.BootFrom.Line
			data["file"], data["line"] = o.BootFrom.File, strconv.Itoa(o.BootFrom.Line)
		} else {
			problems = append(problems, fmt.Sprintf("nothing sets it at boot, so it is %s after a reboot", boot))
		}
		data["boot"] = "true"
	}
	if len(problems) == 0 {
		return nil, true
	}
	if !o.BootSet {
		// Nothing sets it at boot: a fix writes the value for the next
		// boot too, whatever the kernel's default.
		data["boot"] = "true"
	}
	return &rule.Finding{
		Where:    where,
		Found:    strings.Join(problems, "; "),
		Expected: fmt.Sprintf("%s = %s, now and at every boot", w.key, w.expect),
		Exposure: rule.Host,
		Data:     data,
	}, true
}

// splitFrom splits a "file:line" source into its parts; a plain path
// (a /proc/sys file) has line 0.
func splitFrom(s string) (string, int) {
	if i := strings.LastIndexByte(s, ':'); i > 0 {
		if n, err := strconv.Atoi(s[i+1:]); err == nil {
			return s[:i], n
		}
	}
	return s, 0
}

// fixParam sets a parameter at boot, by editing the line in force when it
// is an /etc line naming the key, or by adding a file of /etc/sysctl.d
// that sysctl applies after the file in force; and now, on a live host.
func fixParam(c *rule.Context, f rule.Finding) []remedy.Change {
	key, want := f.Data["key"], f.Data["want"]
	if key == "" {
		return nil
	}
	now := remedy.Command(f.Rule, "set it now", "sysctl", "-w", key+"="+want).WhenOffline("applied at next boot")
	if f.Data["boot"] == "" {
		return []remedy.Change{now}
	}
	why := fmt.Sprintf("set %s to %s at boot", key, want)
	file := f.Data["file"]
	line, _ := strconv.Atoi(f.Data["line"])
	old, exact := sysctlLine(c.Facts.Memory, file, line, key)
	if exact && strings.HasPrefix(file, "/etc/") {
		return []remedy.Change{remedy.ReplaceLine(file, line, old, key+" = "+want).For(f.Rule, why), now}
	}
	// A line naming the key wins over any glob pattern, wherever it is;
	// against a line naming it too, a new file must come after the file
	// in force.
	name := "60-bastion-" + key + ".conf"
	if exact && path.Base(file) >= name {
		name = "99-bastion-" + key + ".conf"
		if path.Base(file) >= name {
			return []remedy.Change{now}
		}
	}
	return []remedy.Change{
		remedy.CreateFile(path.Join("/etc/sysctl.d", name), "# set by bastion ("+f.Rule+")\n"+key+" = "+want+"\n", 0o644, "root", "root").For(f.Rule, why),
		now,
	}
}

// sysctlLine returns line n of a sysctl file when it sets key itself (not
// through a glob pattern).
func sysctlLine(m *host.Memory, file string, n int, key string) (string, bool) {
	if file == "" {
		return "", false
	}
	lines := m.Text[file]
	if n < 1 || n > len(lines) {
		return "", false
	}
	k, _, ok := strings.Cut(lines[n-1], "=")
	if !ok {
		return "", false
	}
	k = strings.TrimLeft(strings.TrimSpace(k), "-")
	return lines[n-1], sysctl.Normalize(strings.TrimSpace(k)) == key
}

var _ = rule.Register(rule.Rule{
	ID: "MEM-NX", Title: "the processor does not mark pages no-execute", Severity: severity.High, Topic: "memory",
	Rationale: "Without the NX (Execute Disable) bit, code an attacker writes into a buffer on the stack or heap runs: non-executable memory is the first line of the " + memSeed + ". " +
		"The flag is missing when the firmware turns Execute Disable off, or in a virtual machine whose CPU model hides it.",
	Remediation: "Turn on Execute Disable (XD, NX, \"No-Execute Memory Protection\") in the firmware setup, or give the virtual machine a CPU model with nx; then reboot.",
	References:  []string{"STIG RHEL-09-213110"},
	Platforms:   []target.OS{target.Linux},
	Check: func(c *rule.Context, rep *rule.Report) error {
		m := c.Facts.Memory
		if c.Facts.Platform.OS != target.Linux || m == nil {
			return rule.Undecided("the CPU's flags are read on Linux only")
		}
		nx := m.NX
		if !nx.Known {
			return rule.Undecided("%s; audit the live host or capture /proc/cpuinfo", nx.Problem)
		}
		if !nx.Supported {
			rep.Add(rule.Finding{
				Where:    rule.Location{File: nx.From.File, Line: nx.From.Line},
				Found:    "the processor's flags have no nx: no page is protected from execution",
				Expected: "nx among the flags of /proc/cpuinfo",
				Exposure: rule.Host,
			})
		}
		return nil
	},
})

// sedGood are the SED modes that protect set-user-ID programs.
var sedGood = []string{host.SEDSetidfiles, host.SEDAll}

var _ = rule.Register(rule.Rule{
	ID: "MEM-AIX-SED", Title: "Stack Execution Disable does not protect set-user-ID programs", Severity: severity.Medium, Topic: "memory",
	Rationale: "AIX's Stack Execution Disable stops code from running on the stack and heap. In the default select mode only programs that ask for it are protected; setidfiles adds every set-user-ID root and set-group-ID system program, the ones a buffer overflow is worth aiming at, and all protects everything (" + memSeed + "). " +
		"In monitoring mode a violation is only logged.",
	Remediation: "Run sedmgr -m setidfiles (or all, after checking that no program needs an executable stack: flag those with sedmgr -c exempt), turn monitoring off with sedmgr -o off, and reboot: the mode takes effect at the next boot.",
	References:  []string{"AIX Security: Stack Execution Disable protection"},
	Platforms:   []target.OS{target.AIX},
	Check: func(c *rule.Context, rep *rule.Report) error {
		m := c.Facts.Memory
		if c.Facts.Platform.OS != target.AIX || m == nil {
			return rule.Undecided("SED is an AIX facility")
		}
		s := m.SED
		if s.Mode == "" && s.Kernel == "" {
			return rule.Undecided("the SED mode is not known: %s", s.Problem)
		}
		var problems []string
		var where host.Source
		if s.Kernel != "" && !slices.Contains(sedGood, s.Kernel) {
			problems = append(problems, fmt.Sprintf("the running kernel uses SED mode %s (%s)", s.Kernel, s.KernelFrom))
			where = s.KernelFrom
		}
		if s.Mode != "" && !slices.Contains(sedGood, s.Mode) {
			problems = append(problems, fmt.Sprintf("SED mode %s is set for the next boot (%s)", s.Mode, s.ModeFrom))
			where = s.ModeFrom
		}
		if len(problems) > 0 {
			fix := "mode"
			if s.Mode != "" && slices.Contains(sedGood, s.Mode) {
				// Set for the next boot already: a reboot is what is
				// left, and no command does that for the administrator.
				fix = "reboot"
				problems = append(problems, "the mode set for the next boot takes effect when the host reboots")
			}
			rep.Add(rule.Finding{
				Where:    rule.Location{File: where.File, Line: where.Line},
				Found:    strings.Join(problems, "; "),
				Expected: "SED mode setidfiles or all, now and at boot",
				Exposure: rule.Host,
				Data:     map[string]string{"fix": fix},
			})
		}
		if s.Monitor {
			rep.Add(rule.Finding{
				Where:    rule.Location{File: s.MonitorFrom.File, Line: s.MonitorFrom.Line},
				Found:    "SED is in monitoring mode: a process that runs code on its stack is logged, not stopped",
				Expected: "monitoring off",
				Exposure: rule.Host,
				Data:     map[string]string{"fix": "monitor"},
			})
		}
		return nil
	},
	Fix: func(c *rule.Context, f rule.Finding) []remedy.Change {
		switch f.Data["fix"] {
		case "mode":
			return []remedy.Change{remedy.Command(f.Rule, "protect set-user-ID and set-group-ID programs with SED (takes effect at the next boot)", "sedmgr", "-m", host.SEDSetidfiles).
				WhenOffline("run sedmgr -m setidfiles on the host, then reboot")}
		case "monitor":
			return []remedy.Change{remedy.Command(f.Rule, "stop processes that violate SED instead of logging them", "sedmgr", "-o", "off").
				WhenOffline("run sedmgr -o off on the host")}
		}
		return nil
	},
})
