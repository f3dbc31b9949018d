package rules

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"bastion/internal/policy"
	"bastion/internal/remedy"
	"bastion/internal/rule"
)

// grubHash is a made-up string in the form grub-mkpasswd-pbkdf2 prints.
const grubHash = "grub.pbkdf2.sha512.10000.4E1C0B6A9F2D7E33.0D9C8B7A6F5E4D3C2B1A09F8E7D6C5B4"

// bootGrub is a generated grub.cfg whose password comes from 40_custom.
const bootGrub = "### BEGIN /etc/grub.d/10_linux ###\nmenuentry 'Debian GNU/Linux' --unrestricted {\n\tlinux /vmlinuz root=/dev/sda1 ro quiet\n}\n### END /etc/grub.d/10_linux ###\n" +
	"### BEGIN /etc/grub.d/40_custom ###\nset superusers=\"root\"\npassword_pbkdf2 root " + grubHash + "\n### END /etc/grub.d/40_custom ###\n"

// bootLinux is a Debian 12 root that boots with systemd, hardened as the
// boot and memory rules want it; files are more files as name, content
// pairs, "<none>" leaving one out.
func bootLinux(files ...string) map[string]string {
	m := map[string]string{
		"etc/os-release":                         "ID=debian\nVERSION_ID=\"12\"\n",
		"etc/services":                           "ssh 22/tcp\n",
		"etc/passwd":                             "root:x:0:0:root:/root:/bin/bash\n",
		"etc/shadow":                             "<0640>root:" + yescryptHash + ":19800:0:99999:7:::\n",
		"etc/group":                              "root:x:0:\n",
		"sbin/init":                              "->/lib/systemd/systemd",
		"lib/systemd/systemd":                    "",
		"lib/systemd/systemd-sulogin-shell":      "",
		"lib/systemd/system/rescue.service":      "[Service]\nExecStart=-/lib/systemd/systemd-sulogin-shell rescue\n",
		"lib/systemd/system/emergency.service":   "[Service]\nExecStart=-/lib/systemd/systemd-sulogin-shell emergency\n",
		"lib/systemd/system/ctrl-alt-del.target": "->reboot.target",
		"lib/systemd/system/reboot.target":       "[Unit]\nDescription=System Reboot\n",
		"etc/systemd/system/ctrl-alt-del.target": "->/dev/null",
		"lib/systemd/system/getty@.service":      "[Service]\nExecStart=-/sbin/agetty -o '-p -- \\\\u' --noclear - $TERM\n",
		"etc/systemd/system.conf":                "[Manager]\n#LogLevel=info\nCtrlAltDelBurstAction=none\n",
		"boot/grub/grub.cfg":                     "<0600>" + bootGrub,
		"etc/grub.d/40_custom":                   "<0755>#!/bin/sh\nexec tail -n +3 $0\nset superusers=\"root\"\npassword_pbkdf2 root " + grubHash + "\n",
		"etc/sysctl.d/60-hardening.conf":         sysctlGood,
		"var/lib/bastion/capture/proc/cpuinfo":   "processor\t: 0\nflags\t\t: fpu pae sse2 nx lm\n",
		"var/lib/bastion/capture/ip-o-link":      "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT\n2: enp1s0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc fq_codel state UP mode DEFAULT\n",
	}
	return overlay(m, files...)
}

// noInit is a Debian root whose init system nothing shows.
var noInit = bootLinux("sbin/init", "<none>", "lib/systemd/systemd", "<none>")

func init() {
	grubUnreadable := bootLinux("boot/grub/grub.cfg", "<dir>")
	for id, tc := range map[string]ruleCase{
		"BOOT-GRUB-PASSWORD": {
			fires:     bootLinux("boot/grub/grub.cfg", "<0600>### BEGIN /etc/grub.d/10_linux ###\nmenuentry 'Debian' {\n\tlinux /vmlinuz\n}\n### END /etc/grub.d/10_linux ###\n"),
			quiet:     bootLinux(),
			undecided: grubUnreadable,
		},
		"BOOT-GRUB-CLEARTEXT": {
			fires:     bootLinux("boot/grub/grub.cfg", "<0600>set superusers=root\npassword root Cleartext-1\n"),
			quiet:     bootLinux(),
			undecided: grubUnreadable,
		},
		"BOOT-GRUB-PERMS": {
			fires:     bootLinux("boot/grub/grub.cfg", "<0444>"+bootGrub),
			quiet:     bootLinux(),
			undecided: grubUnreadable,
		},
		"BOOT-SINGLE-USER": {
			fires:     bootLinux("etc/systemd/system/rescue.service.d/override.conf", "[Service]\nExecStart=\nExecStart=-/bin/bash\n"),
			quiet:     bootLinux(),
			undecided: noInit,
		},
		"BOOT-CTRL-ALT-DEL": {
			fires:     bootLinux("etc/systemd/system/ctrl-alt-del.target", "<none>", "etc/systemd/system.conf", "[Manager]\n#CtrlAltDelBurstAction=reboot-force\n"),
			quiet:     bootLinux(),
			undecided: noInit,
		},
		"BOOT-CONSOLE-AUTOLOGIN": {
			fires:     bootLinux("etc/systemd/system/getty@tty1.service.d/autologin.conf", "[Service]\nExecStart=\nExecStart=-/sbin/agetty --autologin root --noclear %I $TERM\n"),
			quiet:     bootLinux(),
			undecided: noInit,
		},
		"BOOT-WIRELESS": {
			fires:       bootLinux("var/lib/bastion/capture/ip-o-link", "3: wlan0: <BROADCAST,MULTICAST,UP> mtu 1500 qdisc noqueue state DOWN mode DORMANT\n"),
			quiet:       bootLinux("var/lib/bastion/capture/ip-o-link", "3: wlan0: <BROADCAST,MULTICAST,UP> mtu 1500 qdisc noqueue state DOWN mode DORMANT\n"),
			quietPolicy: &policy.Policy{Services: []string{"wireless"}},
			undecided:   bootLinux("var/lib/bastion/capture/ip-o-link", "<none>"),
		},
	} {
		cases[id] = tc
	}
}

// bootRule reports the rules of this file and memory.go: the boot topic,
// and the kernel and processor protections of the memory topic.
func bootRule(id string) bool {
	if strings.HasPrefix(id, "BOOT-") || id == "MEM-NX" || id == "MEM-AIX-SED" {
		return true
	}
	for _, p := range paramRules {
		if p.id == id {
			return true
		}
	}
	return false
}

// bootFindings runs the rules of bootRule and returns the findings as
// "RULE where".
func bootFindings(t *testing.T, c *rule.Context) ([]string, []rule.Finding) {
	t.Helper()
	return findingsOf(t, c, func(r *rule.Rule) bool { return bootRule(r.ID) })
}

// bootModes are the modes the fixtures' files have on a host (git keeps
// only the executable bit).
var bootModes = map[string]map[string]os.FileMode{
	"debian12-boot":          {"boot/grub/grub.cfg": 0o444, "boot/grub/custom.cfg": 0o644, "etc/shadow": 0o640},
	"debian12-boot-hardened": {"boot/grub/grub.cfg": 0o600, "etc/shadow": 0o640},
}

// The problems of the boot and memory fixtures are found where they are
// written, and the hardened twins have none.
func TestBootFixtures(t *testing.T) {
	for _, tc := range []struct {
		root string
		want []string
	}{
		{"debian12-boot", []string{
			"BOOT-CONSOLE-AUTOLOGIN getty@tty1.service (/etc/systemd/system/getty@tty1.service.d/autologin.conf:4)",
			"BOOT-CTRL-ALT-DEL /etc/systemd/system.conf:12",
			"BOOT-CTRL-ALT-DEL /lib/systemd/system/ctrl-alt-del.target",
			"BOOT-GRUB-CLEARTEXT /boot/grub/custom.cfg:2",
			"BOOT-GRUB-PASSWORD /boot/grub/grub.cfg",
			"BOOT-GRUB-PERMS /boot/grub/custom.cfg",
			"BOOT-GRUB-PERMS /boot/grub/grub.cfg",
			"BOOT-SINGLE-USER emergency.service (/etc/systemd/system/emergency.service.d/force.conf:2)",
			"BOOT-SINGLE-USER rescue.service (/etc/systemd/system/rescue.service.d/override.conf:3)",
			"BOOT-WIRELESS /etc/NetworkManager/system-connections/Lab.nmconnection:4",
			"BOOT-WIRELESS /var/lib/bastion/capture/ip-o-link:3",
			"MEM-ASLR kernel.randomize_va_space (/etc/sysctl.conf:6)",
			"MEM-DMESG kernel.dmesg_restrict (/var/lib/bastion/capture/sysctl-a:6)",
			"MEM-KPTR kernel.kptr_restrict (/var/lib/bastion/capture/sysctl-a:7)",
			"MEM-NX /var/lib/bastion/capture/proc/cpuinfo:18",
			"MEM-PROTECTED-LINKS fs.protected_symlinks (/etc/sysctl.conf:9)",
			"MEM-PTRACE kernel.yama.ptrace_scope (/var/lib/bastion/capture/sysctl-a:9)",
			"MEM-SUID-DUMP fs.suid_dumpable (/usr/lib/sysctl.d/50-coredump.conf:5)",
		}},
		{"debian12-boot-hardened", nil},
		{"aix72-boot", []string{"MEM-AIX-SED /var/lib/bastion/capture/sedmgr:1"}},
		{"aix72-boot-hardened", nil},
	} {
		t.Run(tc.root, func(t *testing.T) {
			c := mailContext(t, mailCopy(t, tc.root, bootModes[tc.root]), policy.Default())
			got, fs := bootFindings(t, c)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
			for _, f := range fs {
				if f.Found == "" || f.Expected == "" || f.Exposure == "" {
					t.Errorf("incomplete finding %+v", f)
				}
				// The fixture's clear-text GRUB password and Wi-Fi key
				// appear in no finding.
				if s := f.Found + f.Expected + f.Where.String(); strings.Contains(s, "Lab-Rack") || strings.Contains(s, "not-a-real-key") {
					t.Errorf("finding shows a secret: %+v", f)
				}
			}
			// Every rule of the topics decides on the fixtures.
			for _, r := range rule.All() {
				if bootRule(r.ID) && r.AppliesTo(c.Facts.Platform.OS) {
					if got, _ := outcome(t, r.ID, c); got == "undecided" {
						t.Errorf("%s is undecided", r.ID)
					}
				}
			}
		})
	}
}

// The fixes of the Debian fixture make one plan without conflicts, and
// once made leave only what needs a person (a GRUB password, the firmware,
// the wireless card) or a reboot (the values the captured sysctl -a shows
// for the running kernel).
func TestBootFixturesFixed(t *testing.T) {
	dir := mailCopy(t, "debian12-boot", bootModes["debian12-boot"])
	c := mailContext(t, dir, policy.Default())
	_, fs := bootFindings(t, c)
	var p remedy.Plan
	for _, f := range fs {
		r, _ := rule.Lookup(f.Rule)
		if r.Fix == nil {
			continue
		}
		for _, ch := range r.Fix(c, f) {
			// As apply does, make the directories a new file needs.
			if ch.Kind == remedy.KindCreate {
				if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, ch.Path)), 0o755); err != nil {
					t.Fatal(err)
				}
			}
			p.Add(ch)
		}
	}
	mailApplyPlan(t, dir, &p)
	got, _ := bootFindings(t, mailContext(t, dir, policy.Default()))
	want := []string{
		"BOOT-GRUB-CLEARTEXT /boot/grub/custom.cfg:2",
		"BOOT-GRUB-PASSWORD /boot/grub/grub.cfg",
		"BOOT-WIRELESS /etc/NetworkManager/system-connections/Lab.nmconnection:4",
		"BOOT-WIRELESS /var/lib/bastion/capture/ip-o-link:3",
		"MEM-ASLR kernel.randomize_va_space (/var/lib/bastion/capture/sysctl-a:8)",
		"MEM-DMESG kernel.dmesg_restrict (/var/lib/bastion/capture/sysctl-a:6)",
		"MEM-KPTR kernel.kptr_restrict (/var/lib/bastion/capture/sysctl-a:7)",
		"MEM-NX /var/lib/bastion/capture/proc/cpuinfo:18",
		"MEM-PROTECTED-LINKS fs.protected_symlinks (/var/lib/bastion/capture/sysctl-a:4)",
		"MEM-PTRACE kernel.yama.ptrace_scope (/var/lib/bastion/capture/sysctl-a:9)",
		"MEM-SUID-DUMP fs.suid_dumpable (/var/lib/bastion/capture/sysctl-a:5)",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("after the fixes (-want +got):\n%s", diff)
	}
}

// Single-user mode: root without a password, a forced sulogin with root
// locked, sysvinit without a run level S entry; and their fixes.
func TestSingleUserCases(t *testing.T) {
	emptyRoot := "<0640>root::19800:0:99999:7:::\n"
	sysv := func(inittab string, more ...string) map[string]string {
		return bootLinux(append([]string{"sbin/init", "ELF", "lib/systemd/systemd", "<none>", "etc/inittab", inittab}, more...)...)
	}
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  []string // "where: found"
		fixes []string
	}{
		{"root without a password", bootLinux("etc/shadow", emptyRoot),
			[]string{"/etc/shadow:1: root has no password: sulogin lets anyone at the console in with an empty one"}, nil},
		{"forced sulogin, root locked", bootLinux("etc/shadow", "<0640>root:!:19800:0:99999:7:::\n",
			"etc/systemd/system/emergency.service.d/force.conf", "[Service]\nEnvironment=\"SYSTEMD_SULOGIN_FORCE=1\" LANG=C\n"),
			[]string{"emergency.service (/etc/systemd/system/emergency.service.d/force.conf:2): emergency.service forces sulogin (--force, SYSTEMD_SULOGIN_FORCE): with root's password locked it starts a root shell without asking"},
			[]string{"edit /etc/systemd/system/emergency.service.d/force.conf: replace line 2", "run systemctl daemon-reload"}},
		{"forced sulogin, root has a password", bootLinux("etc/systemd/system/emergency.service.d/force.conf", "[Service]\nEnvironment=SYSTEMD_SULOGIN_FORCE=1\n"), nil, nil},
		{"vendor unit runs a shell", bootLinux("lib/systemd/system/rescue.service", "[Service]\nExecStart=-/bin/sh\n"),
			[]string{"rescue.service (/lib/systemd/system/rescue.service:2): rescue.service runs /bin/sh: a root shell without a password"},
			[]string{"create /etc/systemd/system/rescue.service.d/zz-bastion-sulogin.conf", "run systemctl daemon-reload"}},
		{"masked rescue", bootLinux("etc/systemd/system/rescue.service", "->/dev/null", "lib/systemd/system/rescue.service", "[Service]\nExecStart=-/bin/sh\n"), nil, nil},
		{"sysvinit without S", sysv("id:2:initdefault:\nsi::sysinit:/etc/init.d/rcS\n"),
			[]string{"/etc/inittab: no inittab entry runs sulogin in single-user mode (run level S)"},
			[]string{"edit /etc/inittab: append 1 line", "run telinit q"}},
		{"sysvinit S runs a shell", sysv("id:2:initdefault:\n~:S:wait:/bin/sh\n"),
			[]string{"/etc/inittab:2: inittab S runs /bin/sh: a root shell without a password"},
			[]string{"edit /etc/inittab: replace line 2", "run telinit q"}},
		{"sysvinit sulogin", sysv("id:2:initdefault:\n~~:S:wait:/sbin/sulogin\n"), nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := context(t, tc.files, nil)
			_, fs := outcome(t, "BOOT-SINGLE-USER", c)
			var got, fixes []string
			r, _ := rule.Lookup("BOOT-SINGLE-USER")
			for _, f := range fs {
				got = append(got, f.Where.String()+": "+f.Found)
				for _, ch := range r.Fix(c, f) {
					fixes = append(fixes, changeWords(ch))
				}
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.fixes, fixes); diff != "" {
				t.Errorf("fixes (-want +got):\n%s", diff)
			}
		})
	}
}

// A password written into grub.cfg by hand is lost at the next
// grub-mkconfig; one from a script grub.cfg was not made from yet is not
// in force.
func TestGRUBPasswordCases(t *testing.T) {
	handWritten := "### BEGIN /etc/grub.d/10_linux ###\nmenuentry 'Debian' {\n\tlinux /vmlinuz\n}\n### END /etc/grub.d/10_linux ###\nset superusers=root\npassword_pbkdf2 root " + grubHash + "\n"
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  []string
	}{
		{"hand-written", bootLinux("boot/grub/grub.cfg", "<0600>"+handWritten, "etc/grub.d/40_custom", "<none>"),
			[]string{"/boot/grub/grub.cfg:6: the password is written into /boot/grub/grub.cfg outside the sections grub-mkconfig writes: the next update-grub, run by every kernel update, removes it"}},
		{"script no longer sets it", bootLinux("etc/grub.d/40_custom", "<0755>#!/bin/sh\nexec tail -n +3 $0\n"),
			[]string{"/boot/grub/grub.cfg:7: the password is written into /boot/grub/grub.cfg in the section of /etc/grub.d/40_custom, which no longer sets it: the next update-grub, run by every kernel update, removes it"}},
		{"script not executable", bootLinux("etc/grub.d/40_custom", "<0644>#!/bin/sh\nexec tail -n +3 $0\nset superusers=\"root\"\npassword_pbkdf2 root "+grubHash+"\n"),
			[]string{"/boot/grub/grub.cfg:7: the password is written into /boot/grub/grub.cfg in the section of /etc/grub.d/40_custom, which no longer sets it: the next update-grub, run by every kernel update, removes it"}},
		{"not generated yet", bootLinux("boot/grub/grub.cfg", "<0600>menuentry 'Debian' {\n\tlinux /vmlinuz\n}\n"),
			[]string{"/boot/grub/grub.cfg: no GRUB superuser with a password: anyone at the console may edit the boot entries and use the GRUB shell; /etc/grub.d/40_custom:3 sets one, but /boot/grub/grub.cfg was not generated since (run update-grub)"}},
		{"superusers without a password", bootLinux("boot/grub/grub.cfg", "<0600>set superusers=\"root\"\n", "etc/grub.d/40_custom", "<none>"),
			[]string{"/boot/grub/grub.cfg:1: superusers root are set but none of them has a password GRUB knows"}},
		{"no grub.cfg", bootLinux("boot/grub/grub.cfg", "<none>"), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, fs := outcome(t, "BOOT-GRUB-PASSWORD", context(t, tc.files, nil))
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

// The fixes of Ctrl-Alt-Del and console autologin, live and offline.
func TestConsoleFixes(t *testing.T) {
	for _, tc := range []struct {
		name  string
		rule  string
		files map[string]string
		live  bool
		want  []string
	}{
		{"offline mask", "BOOT-CTRL-ALT-DEL", bootLinux("etc/systemd/system/ctrl-alt-del.target", "<none>"), false,
			[]string{"create /etc/systemd/system/ctrl-alt-del.target", "run systemctl daemon-reload"}},
		{"live mask", "BOOT-CTRL-ALT-DEL", bootLinux("etc/systemd/system/ctrl-alt-del.target", "<none>"), true,
			[]string{"run systemctl mask ctrl-alt-del.target"}},
		{"burst in a vendor drop-in", "BOOT-CTRL-ALT-DEL", bootLinux("usr/lib/systemd/system.conf.d/10-vendor.conf", "[Manager]\nCtrlAltDelBurstAction=reboot-force\n"), false,
			[]string{"create /etc/systemd/system.conf.d/60-bastion-ctrl-alt-del.conf", "run systemctl daemon-reexec"}},
		{"inittab", "BOOT-CTRL-ALT-DEL", bootLinux("sbin/init", "ELF", "lib/systemd/systemd", "<none>", "etc/inittab", "id:2:initdefault:\n~~:S:wait:/sbin/sulogin\nca:12345:ctrlaltdel:/sbin/shutdown -t1 -a -r now\n"), false,
			[]string{"edit /etc/inittab: replace line 3", "run telinit q"}},
		{"gdm and lightdm", "BOOT-CONSOLE-AUTOLOGIN", bootLinux("etc/gdm3/daemon.conf", "[daemon]\nAutomaticLoginEnable=True\nAutomaticLogin=kiosk\n", "etc/lightdm/lightdm.conf", "[Seat:*]\nautologin-user=kiosk\n"), false,
			[]string{"edit /etc/gdm3/daemon.conf: replace line 2", "edit /etc/lightdm/lightdm.conf: replace line 2"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := context(t, tc.files, nil)
			c.Facts.Live = tc.live
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
	if got := autologinRE.ReplaceAllString("ExecStart=-/sbin/agetty --autologin root --noclear %I $TERM", ""); got != "ExecStart=-/sbin/agetty --noclear %I $TERM" {
		t.Errorf("autologin removed: %q", got)
	}
	if got := autologinRE.ReplaceAllString("1:2345:respawn:/sbin/mingetty --autologin=ops tty1", ""); got != "1:2345:respawn:/sbin/mingetty tty1" {
		t.Errorf("autologin= removed: %q", got)
	}
}
