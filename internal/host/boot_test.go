package host

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// pbkdf2 is a made-up string in the form grub-mkpasswd-pbkdf2 prints.
const pbkdf2 = "grub.pbkdf2.sha512.10000.4E1C0B6A9F2D7E33.0D9C8B7A6F5E4D3C2B1A09F8E7D6C5B4"

// systemdRoot is a Debian 12 root that boots with systemd, with its
// rescue and emergency units and ctrl-alt-del.target as packaged.
func systemdRoot(files map[string]string) map[string]string {
	m := debianRoot(map[string]string{
		"sbin/init":                                        "->/lib/systemd/systemd",
		"lib/systemd/systemd":                              "",
		"lib/systemd/systemd-sulogin-shell":                "",
		"lib/systemd/system/rescue.service":                "[Unit]\nDescription=Rescue Shell\n\n[Service]\nEnvironment=HOME=/root\nExecStart=-/lib/systemd/systemd-sulogin-shell rescue\nType=idle\n",
		"lib/systemd/system/emergency.service":             "[Service]\nExecStart=-/lib/systemd/systemd-sulogin-shell emergency\n",
		"lib/systemd/system/ctrl-alt-del.target":           "->reboot.target",
		"lib/systemd/system/reboot.target":                 "[Unit]\nDescription=System Reboot\n",
		"lib/systemd/system/getty@.service":                "[Service]\nExecStart=-/sbin/agetty -o '-p -- \\\\u' --noclear - $TERM\n",
		"etc/systemd/system/getty.target.wants/getty@tty1": "->/lib/systemd/system/getty@.service",
		"etc/systemd/system.conf":                          "[Manager]\n#LogLevel=info\n#CtrlAltDelBurstAction=reboot-force\n",
	})
	for k, v := range files {
		if v == "<none>" {
			delete(m, k)
			continue
		}
		m[k] = v
	}
	return m
}

// debianGrub is a grub.cfg of Debian 12 with a password from 40_custom.
const debianGrub = "### BEGIN /etc/grub.d/00_header ###\nset default=\"0\"\n### END /etc/grub.d/00_header ###\n\n" +
	"### BEGIN /etc/grub.d/10_linux ###\nmenuentry 'Debian GNU/Linux' --unrestricted {\n\tlinux /vmlinuz root=/dev/sda1 ro quiet\n\tpassword alice plain\n}\n### END /etc/grub.d/10_linux ###\n\n" +
	"### BEGIN /etc/grub.d/40_custom ###\nset superusers=\"root\"\npassword_pbkdf2 root " + pbkdf2 + "\n### END /etc/grub.d/40_custom ###\n"

func TestInitSystem(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"systemd link", systemdRoot(nil), InitSystemd},
		{"systemd without /sbin/init", debianRoot(map[string]string{"usr/lib/systemd/systemd": ""}), InitSystemd},
		{"sysvinit", debianRoot(map[string]string{"sbin/init": "ELF", "etc/inittab": "id:2:initdefault:\n"}), InitSysV},
		{"upstart", debianRoot(map[string]string{"sbin/init": "ELF", "etc/init/rcS.conf": "start on startup\n"}), InitUpstart},
		{"nothing", debianRoot(nil), ""},
	} {
		if got := build(t, tc.files).Boot.Init; got != tc.want {
			t.Errorf("%s: init %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestGRUBDebian(t *testing.T) {
	f := build(t, systemdRoot(map[string]string{
		"boot/grub/grub.cfg":   debianGrub,
		"etc/grub.d/40_custom": "#!/bin/sh\nexec tail -n +3 $0\n# custom\nset superusers=\"root\"\npassword_pbkdf2 root " + pbkdf2 + "\n",
		"etc/grub.d/10_linux":  "#!/bin/sh\necho 'menuentry'\n",
		"etc/grub.d/README":    "password here is ignored\n",
	}))
	g := f.Boot.GRUB
	if g == nil {
		t.Fatal("no GRUB")
	}
	want := &GRUB{
		Config:    g.Config,
		Generated: true,
		// The password inside the menu entry runs only when the entry
		// is chosen: not one GRUB knows while reading.
		Superusers: []string{"root"}, SuperusersFrom: Source{File: "/boot/grub/grub.cfg", Line: 13}, SuperusersBy: "/etc/grub.d/40_custom",
		Passwords: []GRUBPassword{{User: "root", Hashed: true, From: Source{File: "/boot/grub/grub.cfg", Line: 14}}},
		Scripts: []GRUBScript{{Path: "/etc/grub.d/40_custom", Superusers: Source{File: "/etc/grub.d/40_custom", Line: 4},
			Passwords: []GRUBPassword{{User: "root", Hashed: true, From: Source{File: "/etc/grub.d/40_custom", Line: 5}}}}},
		Cleartext: []Source{{File: "/boot/grub/grub.cfg", Line: 8}},
	}
	if diff := cmp.Diff(want, g); diff != "" {
		t.Errorf("GRUB (-want +got):\n%s", diff)
	}
	if g.Config.Path != "/boot/grub/grub.cfg" || !g.Config.Exists || g.Config.Perm() != 0o644 {
		t.Errorf("config %+v", g.Config)
	}
	if diff := cmp.Diff([]string{"root"}, g.Protected()); diff != "" {
		t.Errorf("Protected: %s", diff)
	}
}

// Red Hat keeps the hash in user.cfg, which the 01_users block sources;
// without user.cfg the password is a variable nothing sets.
func TestGRUBRedHat(t *testing.T) {
	cfg := "### BEGIN /etc/grub.d/01_users ###\nif [ -f ${prefix}/user.cfg ]; then\n  source ${prefix}/user.cfg\n  if [ -n \"${GRUB2_PASSWORD}\" ]; then\n" +
		"    set superusers=\"root\"\n    export superusers\n    password_pbkdf2 root ${GRUB2_PASSWORD}\n  fi\nfi\n### END /etc/grub.d/01_users ###\n" +
		"### BEGIN /etc/grub.d/41_custom ###\nif [ -f  ${config_directory}/custom.cfg ]; then\n  source ${config_directory}/custom.cfg\nelif [ -z \"${config_directory}\" -a -f  $prefix/custom.cfg ]; then\n  source $prefix/custom.cfg\nfi\n### END /etc/grub.d/41_custom ###\n"
	files := map[string]string{
		"etc/os-release":        "ID=rhel\nVERSION_ID=9.3\n",
		"boot/grub2/grub.cfg":   cfg,
		"boot/grub2/user.cfg":   "GRUB2_PASSWORD=" + pbkdf2 + "\n",
		"boot/grub2/custom.cfg": "password ops plain\n",
	}
	g := build(t, files).Boot.GRUB
	if g == nil {
		t.Fatal("no GRUB")
	}
	if diff := cmp.Diff([]string{"root"}, g.Protected()); diff != "" || g.SuperusersBy != "/etc/grub.d/01_users" {
		t.Errorf("Protected %s, by %q", diff, g.SuperusersBy)
	}
	var sourced []string
	for _, s := range g.Sourced {
		sourced = append(sourced, s.Path)
	}
	if diff := cmp.Diff([]string{"/boot/grub2/user.cfg", "/boot/grub2/custom.cfg"}, sourced); diff != "" {
		t.Errorf("sourced (-want +got):\n%s", diff)
	}
	wantPw := []GRUBPassword{
		{User: "root", Hashed: true, From: Source{File: "/boot/grub2/grub.cfg", Line: 7}},
		{User: "ops", From: Source{File: "/boot/grub2/custom.cfg", Line: 1}},
	}
	if diff := cmp.Diff(wantPw, g.Passwords); diff != "" {
		t.Errorf("passwords (-want +got):\n%s", diff)
	}

	delete(files, "boot/grub2/user.cfg")
	g = build(t, files).Boot.GRUB
	if len(g.Protected()) != 0 || !g.Passwords[0].Unset {
		t.Errorf("without user.cfg: protected %v, %+v", g.Protected(), g.Passwords)
	}
}

func TestGRUBProblems(t *testing.T) {
	f := build(t, systemdRoot(nil))
	if f.Boot.GRUB != nil {
		t.Errorf("GRUB without grub.cfg: %+v", f.Boot.GRUB)
	}
	f = build(t, systemdRoot(map[string]string{"boot/grub/grub.cfg/x": ""}))
	if g := f.Boot.GRUB; g == nil || g.Problem == "" {
		t.Errorf("unreadable grub.cfg: %+v", g)
	}
	// A password written by hand outside the generated sections.
	f = build(t, systemdRoot(map[string]string{
		"boot/grub/grub.cfg": "### BEGIN /etc/grub.d/00_header ###\nset default=0\n### END /etc/grub.d/00_header ###\nset superusers=root\npassword_pbkdf2 root " + pbkdf2 + "\n",
	}))
	if g := f.Boot.GRUB; !g.Generated || g.SuperusersBy != "" || len(g.Protected()) != 1 || len(g.Scripts) != 0 {
		t.Errorf("hand-written: %+v", g)
	}
	// An EFI system partition's grub.cfg when /boot/grub has none.
	f = build(t, systemdRoot(map[string]string{"boot/efi/EFI/redhat/grub.cfg": "set superusers=\"\"\n"}))
	if g := f.Boot.GRUB; g == nil || g.Config.Path != "/boot/efi/EFI/redhat/grub.cfg" || len(g.Superusers) != 0 || g.SuperusersFrom.Line != 1 {
		t.Errorf("EFI: %+v", g)
	}
}

func TestSingleUserSystemd(t *testing.T) {
	f := build(t, systemdRoot(nil))
	want := []SingleUser{
		{Name: "rescue.service", From: Source{File: "/lib/systemd/system/rescue.service", Line: 6, Unit: "rescue.service"}, Text: "ExecStart=-/lib/systemd/systemd-sulogin-shell rescue",
			Program: "/lib/systemd/systemd-sulogin-shell", Sulogin: true, Vendor: true, SuloginShell: "/lib/systemd/systemd-sulogin-shell"},
		{Name: "emergency.service", From: Source{File: "/lib/systemd/system/emergency.service", Line: 2, Unit: "emergency.service"}, Text: "ExecStart=-/lib/systemd/systemd-sulogin-shell emergency",
			Program: "/lib/systemd/systemd-sulogin-shell", Sulogin: true, Vendor: true, SuloginShell: "/lib/systemd/systemd-sulogin-shell"},
	}
	if diff := cmp.Diff(want, f.Boot.SingleUser); diff != "" || f.Boot.SingleProblem != "" {
		t.Errorf("packaged units (-want +got):\n%s%s", diff, f.Boot.SingleProblem)
	}

	f = build(t, systemdRoot(map[string]string{
		"etc/systemd/system/rescue.service.d/override.conf": "[Service]\nExecStart=\nExecStart=-/bin/bash\n",
		"etc/systemd/system/emergency.service.d/force.conf": "[Service]\nEnvironment=SYSTEMD_SULOGIN_FORCE=1\n",
		"etc/systemd/system/emergency.service.d/old.conf":   "[Service]\nExecStart=\nExecStart=-/bin/sh -c \"/sbin/sulogin; /bin/systemctl --fail --no-block default\"\n",
	}))
	r, e := f.Boot.SingleUser[0], f.Boot.SingleUser[1]
	if r.Sulogin || r.Program != "/bin/bash" || r.Vendor || r.From.String() != "rescue.service (/etc/systemd/system/rescue.service.d/override.conf:3)" || r.Text != "ExecStart=-/bin/bash" {
		t.Errorf("rescue override %+v", r)
	}
	if !e.Sulogin || !e.Force || e.ForceFrom.Line != 2 || e.ForceFrom.File != "/etc/systemd/system/emergency.service.d/force.conf" || e.ForceText != "Environment=SYSTEMD_SULOGIN_FORCE=1" {
		t.Errorf("emergency %+v", e)
	}

	f = build(t, systemdRoot(map[string]string{"etc/systemd/system/rescue.service": "->/dev/null", "lib/systemd/system/emergency.service": "<none>"}))
	if len(f.Boot.SingleUser) != 1 || !f.Boot.SingleUser[0].Masked || f.Boot.SingleProblem == "" {
		t.Errorf("masked and missing: %+v %q", f.Boot.SingleUser, f.Boot.SingleProblem)
	}
}

func TestSingleUserSysVAndUpstart(t *testing.T) {
	sysv := func(inittab string) *Boot {
		return build(t, debianRoot(map[string]string{"sbin/init": "ELF", "etc/inittab": inittab})).Boot
	}
	b := sysv("id:2:initdefault:\nsi::sysinit:/etc/init.d/rcS\n~~:S:wait:/sbin/sulogin --force\n1:2345:respawn:/sbin/getty 38400 tty1\nca:12345:ctrlaltdel:/sbin/shutdown -t1 -a -r now\n")
	want := []SingleUser{{Name: "inittab S", From: Source{File: "/etc/inittab", Line: 3}, Text: "~~:S:wait:/sbin/sulogin --force", Program: "/sbin/sulogin",
		Sulogin: true, Force: true, ForceFrom: Source{File: "/etc/inittab", Line: 3}, ForceText: "~~:S:wait:/sbin/sulogin --force"}}
	if diff := cmp.Diff(want, b.SingleUser); diff != "" {
		t.Errorf("sulogin entry (-want +got):\n%s", diff)
	}
	wantCAD := []CtrlAltDel{{Kind: "inittab", Active: true, Action: "/sbin/shutdown -t1 -a -r now", From: Source{File: "/etc/inittab", Line: 5}, Text: "ca:12345:ctrlaltdel:/sbin/shutdown -t1 -a -r now"}}
	if diff := cmp.Diff(wantCAD, b.CtrlAltDel); diff != "" {
		t.Errorf("ctrlaltdel (-want +got):\n%s", diff)
	}
	b = sysv("id:2:initdefault:\n~:S:wait:/bin/sh\n")
	if s := b.SingleUser; len(s) != 1 || s[0].Sulogin || s[0].From.Line != 2 {
		t.Errorf("shell entry %+v", s)
	}
	b = sysv("id:2:initdefault:\n#~~:S:wait:/sbin/sulogin\n")
	if s := b.SingleUser; len(s) != 1 || s[0].Sulogin || s[0].From != (Source{File: "/etc/inittab"}) {
		t.Errorf("no entry %+v", s)
	}

	up := func(files map[string]string) *Boot {
		m := map[string]string{"etc/redhat-release": "Red Hat Enterprise Linux Server release 6.10 (Santiago)\n", "sbin/init": "ELF", "etc/init/rcS.conf": "start on startup\n"}
		for k, v := range files {
			m[k] = v
		}
		return build(t, m).Boot
	}
	b = up(map[string]string{"etc/sysconfig/init": "BOOTUP=color\nSINGLE=/sbin/sushell\n", "etc/init/control-alt-delete.conf": "exec /sbin/shutdown -r now\n"})
	if s := b.SingleUser; len(s) != 1 || s[0].Sulogin || s[0].From.Line != 2 || s[0].Text != "SINGLE=/sbin/sushell" {
		t.Errorf("upstart sushell %+v", s)
	}
	if c := b.CtrlAltDel; len(c) != 1 || !c[0].Active || c[0].From.File != "/etc/init/control-alt-delete.conf" {
		t.Errorf("upstart ctrl-alt-del %+v", c)
	}
	b = up(map[string]string{"etc/sysconfig/init": "SINGLE=/sbin/sulogin\n", "etc/init/control-alt-delete.conf": "exec /sbin/shutdown -r now\n",
		"etc/init/control-alt-delete.override": "exec /usr/bin/logger -p authpriv.notice -t init \"Ctrl-Alt-Del was pressed and ignored\"\n"})
	if s := b.SingleUser; len(s) != 1 || !s[0].Sulogin {
		t.Errorf("upstart sulogin %+v", s)
	}
	if c := b.CtrlAltDel; len(c) != 1 || c[0].Active {
		t.Errorf("upstart override %+v", c)
	}
}

func TestCtrlAltDelSystemd(t *testing.T) {
	b := build(t, systemdRoot(nil)).Boot
	want := []CtrlAltDel{
		{Kind: "systemd", Active: true, Action: "reboot.target", From: Source{File: "/lib/systemd/system/ctrl-alt-del.target"}},
		{Kind: "burst", Active: true, Action: "reboot-force", From: Source{File: "/etc/systemd/system.conf", Line: 3}, Text: "#CtrlAltDelBurstAction=reboot-force"},
	}
	if diff := cmp.Diff(want, b.CtrlAltDel); diff != "" {
		t.Errorf("packaged (-want +got):\n%s", diff)
	}
	b = build(t, systemdRoot(map[string]string{
		"etc/systemd/system/ctrl-alt-del.target": "->/dev/null",
		"etc/systemd/system.conf.d/50-keys.conf": "[Manager]\nCtrlAltDelBurstAction=none\n",
	})).Boot
	for _, c := range b.CtrlAltDel {
		if c.Active {
			t.Errorf("hardened: %+v", c)
		}
	}
	if len(b.CtrlAltDel) != 2 || b.CtrlAltDel[1].From != (Source{File: "/etc/systemd/system.conf.d/50-keys.conf", Line: 2}) {
		t.Errorf("hardened %+v", b.CtrlAltDel)
	}
	// An empty unit file masks as a link to /dev/null does; a
	// system.conf that never mentions the burst action is an older
	// systemd without it.
	b = build(t, systemdRoot(map[string]string{"etc/systemd/system/ctrl-alt-del.target": "", "etc/systemd/system.conf": "[Manager]\n"})).Boot
	if len(b.CtrlAltDel) != 1 || b.CtrlAltDel[0].Active {
		t.Errorf("empty mask %+v", b.CtrlAltDel)
	}
}

func TestAutologins(t *testing.T) {
	b := build(t, systemdRoot(map[string]string{
		"etc/systemd/system/getty@tty1.service.d/autologin.conf":      "[Service]\nExecStart=\nExecStart=-/sbin/agetty --autologin root --noclear %I $TERM\n",
		"etc/systemd/system/serial-getty@ttyS0.service.d/serial.conf": "[Service]\nTTYVTDisallocate=no\n",
		"etc/gdm3/daemon.conf":     "[daemon]\nAutomaticLoginEnable = true\nAutomaticLogin = alice\n\n[security]\n",
		"etc/lightdm/lightdm.conf": "[Seat:*]\n#autologin-user=\nautologin-user=kiosk\n",
	})).Boot
	want := []Autologin{
		{Kind: "getty", User: "root", From: Source{File: "/etc/systemd/system/getty@tty1.service.d/autologin.conf", Line: 3, Unit: "getty@tty1.service"},
			Text: "ExecStart=-/sbin/agetty --autologin root --noclear %I $TERM"},
		{Kind: "gdm", User: "alice", From: Source{File: "/etc/gdm3/daemon.conf", Line: 2}, Text: "AutomaticLoginEnable = true"},
		{Kind: "lightdm", User: "kiosk", From: Source{File: "/etc/lightdm/lightdm.conf", Line: 3}, Text: "autologin-user=kiosk"},
	}
	if diff := cmp.Diff(want, b.Autologins); diff != "" {
		t.Errorf("autologins (-want +got):\n%s", diff)
	}
	b = build(t, debianRoot(map[string]string{"sbin/init": "ELF", "etc/inittab": "1:2345:respawn:/sbin/mingetty --autologin=ops tty1\n2:23:respawn:/sbin/getty 38400 tty2\n"})).Boot
	if a := b.Autologins; len(a) != 1 || a[0].User != "ops" || a[0].From.Line != 1 {
		t.Errorf("inittab autologin %+v", a)
	}
	if got := autologinUser([]string{"/sbin/agetty", "-a", "root", "tty1"}); got != "root" {
		t.Errorf("agetty -a: %q", got)
	}
	if got := autologinUser([]string{"/bin/login", "-a", "root"}); got != "" {
		t.Errorf("login -a: %q", got)
	}
}

func TestWireless(t *testing.T) {
	f := build(t, systemdRoot(map[string]string{
		"var/lib/bastion/capture/ip-o-link": "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000\\    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n" +
			"2: enp1s0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc fq_codel state UP mode DEFAULT group default qlen 1000\\    link/ether 52:54:00:12:34:56 brd ff:ff:ff:ff:ff:ff\n" +
			"3: wlp2s0: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DORMANT group default qlen 1000\\    link/ether 3c:a9:f4:00:11:22 brd ff:ff:ff:ff:ff:ff\n",
		"etc/NetworkManager/system-connections/Office.nmconnection": "[connection]\nid=Office\ntype=wifi\n\n[wifi-security]\npsk=not-printed\n",
		"etc/NetworkManager/system-connections/Wired.nmconnection":  "[connection]\nid=Wired\ntype=ethernet\n",
		"etc/wpa_supplicant/wpa_supplicant.conf":                    "ctrl_interface=/run/wpa_supplicant\nnetwork = {\n\tssid=\"lab\"\n}\n",
		"var/lib/iwd/Home.psk":                                      "[Security]\nPassphrase=not-printed\n",
		"etc/network/interfaces":                                    "auto lo\niface lo inet loopback\niface wlan0 inet dhcp\n\twpa-ssid lab\n",
		"etc/wpa_supplicant/broken.conf":                            "network={\npsk=not-printed\n",
	}))
	b := f.Boot
	want := Wireless{
		Observed: true, ObservedFrom: "captured /var/lib/bastion/capture/ip-o-link",
		Interfaces: []WirelessItem{{Name: "wlp2s0", What: "wireless interface", From: Source{File: "/var/lib/bastion/capture/ip-o-link", Line: 3}}},
		Configs: []WirelessItem{
			{Name: "Office.nmconnection", What: "NetworkManager wifi connection", From: Source{File: "/etc/NetworkManager/system-connections/Office.nmconnection", Line: 3}},
			{Name: "broken.conf", What: "wpa_supplicant network", From: Source{File: "/etc/wpa_supplicant/broken.conf", Line: 1}},
			{Name: "wpa_supplicant.conf", What: "wpa_supplicant network", From: Source{File: "/etc/wpa_supplicant/wpa_supplicant.conf", Line: 2}},
			{Name: "Home", What: "iwd network", From: Source{File: "/var/lib/iwd/Home.psk"}},
			{Name: "interfaces", What: "ifupdown wireless setting wpa-ssid", From: Source{File: "/etc/network/interfaces", Line: 4}},
		},
	}
	if diff := cmp.Diff(want, b.Wireless, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("wireless (-want +got):\n%s", diff)
	}
	for _, g := range f.Gaps {
		if strings.Contains(g.Reason, "not-printed") {
			t.Errorf("gap shows a key: %+v", g)
		}
	}
	if b := build(t, systemdRoot(nil)).Boot; b.Wireless.Observed || len(b.Wireless.Configs) != 0 {
		t.Errorf("bare root: %+v", b.Wireless)
	}
}

// AIX has none of this: the boot model stays empty.
func TestBootAIX(t *testing.T) {
	b := build(t, map[string]string{"usr/lpp/bos": "", "etc/inittab": "init:2:initdefault:\n"}).Boot
	if b == nil || b.Init != "" || b.GRUB != nil || len(b.SingleUser) != 0 {
		t.Errorf("AIX boot %+v", b)
	}
}
