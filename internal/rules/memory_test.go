package rules

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"bastion/internal/remedy"
	"bastion/internal/rule"
)

// sysctlGood sets every memory parameter as the rules want it.
const sysctlGood = "kernel.randomize_va_space = 2\nkernel.kptr_restrict = 1\nkernel.dmesg_restrict = 1\nkernel.yama.ptrace_scope = 1\n" +
	"fs.suid_dumpable = 0\nfs.protected_symlinks = 1\nfs.protected_hardlinks = 1\n"

func init() {
	for _, p := range paramRules {
		var bad strings.Builder
		for _, w := range p.params {
			v := "0"
			if w.ok("0") {
				v = "2"
			}
			fmt.Fprintf(&bad, "%s = %s\n", w.key, v)
		}
		cases[p.id] = ruleCase{
			fires: bootLinux("etc/sysctl.d/60-hardening.conf", bad.String()),
			quiet: bootLinux(),
			// An unreadable sysctl.conf: what the boot sets is not known.
			undecided: bootLinux("etc/sysctl.conf", "<dir>", "etc/sysctl.d/60-hardening.conf", "<none>"),
		}
	}
	cases["MEM-NX"] = ruleCase{
		fires:     bootLinux("var/lib/bastion/capture/proc/cpuinfo", "processor\t: 0\nflags\t\t: fpu pae sse2 lm\n"),
		quiet:     bootLinux(),
		undecided: bootLinux("var/lib/bastion/capture/proc/cpuinfo", "<none>"),
	}
	sed := func(text string) map[string]string {
		return aix(map[string]string{"var/lib/bastion/capture/sedmgr": text})
	}
	cases["MEM-AIX-SED"] = ruleCase{
		fires:     sed("Stack Execution Disable (SED) mode: select\nSED configured in kernel: select\nSED monitoring: on\n"),
		quiet:     sed("Stack Execution Disable (SED) mode: setidfiles\nSED configured in kernel: all\n"),
		undecided: aix(nil),
	}
}

// The parameter checks weigh the value now and at boot, with the kernel's
// default when nothing sets it, and say where the value in force is set.
func TestCheckParam(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files []string
		rule  string
		want  []string // "where: found"
	}{
		{"default suits", []string{"etc/sysctl.d/60-hardening.conf", "<none>"}, "MEM-ASLR", nil},
		{"default does not", []string{"etc/sysctl.d/60-hardening.conf", "<none>"}, "MEM-KPTR",
			[]string{"kernel.kptr_restrict: nothing sets it at boot, so it is 0 after a reboot"}},
		{"2 is as good as 1", []string{"etc/sysctl.d/60-hardening.conf", "kernel.kptr_restrict = 2\n"}, "MEM-KPTR", nil},
		{"ptrace 3", []string{"etc/sysctl.d/60-hardening.conf", "kernel.yama.ptrace_scope = 3\n"}, "MEM-PTRACE", nil},
		{"bad now, good at boot", []string{"var/lib/bastion/capture/sysctl-a", "kernel.randomize_va_space = 1\n"}, "MEM-ASLR",
			[]string{"kernel.randomize_va_space (/var/lib/bastion/capture/sysctl-a:1): kernel.randomize_va_space = 1 now (/var/lib/bastion/capture/sysctl-a:1)"}},
		{"sysctl.conf undoes sysctl.d", []string{"etc/sysctl.conf", "# local\nfs.protected_hardlinks=0\n"}, "MEM-PROTECTED-LINKS",
			[]string{"fs.protected_hardlinks (/etc/sysctl.conf:2): set to 0 at boot by /etc/sysctl.conf:2"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, fs := outcome(t, tc.rule, context(t, bootLinux(tc.files...), nil))
			var got []string
			for _, f := range fs {
				got = append(got, f.Where.String()+": "+f.Found)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
		})
	}
}

// The fix edits the line in force when it is an /etc line naming the key,
// and otherwise adds a file of /etc/sysctl.d that sysctl applies after it.
func TestFixParam(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files []string
		rule  string
		want  []string
	}{
		{"line in /etc", []string{"etc/sysctl.conf", "# local\nkernel.randomize_va_space=0\n"}, "MEM-ASLR",
			[]string{"edit /etc/sysctl.conf: replace line 2", "run sysctl -w kernel.randomize_va_space=2"}},
		{"vendor file", []string{"usr/lib/sysctl.d/50-coredump.conf", "fs.suid_dumpable=2\n", "etc/sysctl.d/60-hardening.conf", "<none>"}, "MEM-SUID-DUMP",
			[]string{"create /etc/sysctl.d/60-bastion-fs.suid_dumpable.conf", "run sysctl -w fs.suid_dumpable=0"}},
		{"vendor file sorting late", []string{"usr/lib/sysctl.d/70-app.conf", "fs.suid_dumpable=1\n", "etc/sysctl.d/60-hardening.conf", "<none>"}, "MEM-SUID-DUMP",
			[]string{"create /etc/sysctl.d/99-bastion-fs.suid_dumpable.conf", "run sysctl -w fs.suid_dumpable=0"}},
		{"glob in /etc", []string{"etc/sysctl.d/60-hardening.conf", "fs.protected_*links = 0\n"}, "MEM-PROTECTED-LINKS",
			[]string{"create /etc/sysctl.d/60-bastion-fs.protected_symlinks.conf", "run sysctl -w fs.protected_symlinks=1",
				"create /etc/sysctl.d/60-bastion-fs.protected_hardlinks.conf", "run sysctl -w fs.protected_hardlinks=1"}},
		{"only now", []string{"var/lib/bastion/capture/sysctl-a", "kernel.dmesg_restrict = 0\n"}, "MEM-DMESG",
			[]string{"run sysctl -w kernel.dmesg_restrict=1"}},
		{"now, and nothing at boot", []string{"var/lib/bastion/capture/sysctl-a", "kernel.dmesg_restrict = 0\n", "etc/sysctl.d/60-hardening.conf", "<none>"}, "MEM-DMESG",
			[]string{"create /etc/sysctl.d/60-bastion-kernel.dmesg_restrict.conf", "run sysctl -w kernel.dmesg_restrict=1"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := context(t, bootLinux(tc.files...), nil)
			_, fs := outcome(t, tc.rule, c)
			r, _ := rule.Lookup(tc.rule)
			var got []string
			for _, f := range fs {
				for _, ch := range r.Fix(c, f) {
					got = append(got, changeWords(ch))
				}
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("changes (-want +got):\n%s", diff)
			}
		})
	}
}

// changeWords describes a change in a few words.
func changeWords(c remedy.Change) string {
	switch c.Kind {
	case remedy.KindCommand:
		return "run " + strings.Join(c.Argv, " ")
	case remedy.KindCreate:
		return "create " + c.Path
	}
	return c.String()
}

// A SED mode set for the next boot but not yet running is reported, with
// no command to run: a reboot is what is left.
func TestSEDWaitingForReboot(t *testing.T) {
	c := context(t, aix(map[string]string{"var/lib/bastion/capture/sedmgr": "Stack Execution Disable (SED) mode: setidfiles\nSED configured in kernel: select\n"}), nil)
	_, fs := outcome(t, "MEM-AIX-SED", c)
	if len(fs) != 1 || !strings.Contains(fs[0].Found, "reboots") {
		t.Fatalf("findings %+v", fs)
	}
	r, _ := rule.Lookup("MEM-AIX-SED")
	if ch := r.Fix(c, fs[0]); len(ch) != 0 {
		t.Errorf("fix %+v, want none", ch)
	}
}
