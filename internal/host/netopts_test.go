package host

import (
	"os"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"bastion/internal/target"
)

const noCapture = "/var/lib/bastion/capture/no-a"

// netGaps returns the gaps about network options as "path: reason".
func netGaps(f *Facts) []string {
	var out []string
	for _, g := range f.Gaps {
		if strings.Contains(g.What, "network options") {
			out = append(out, g.Path+": "+g.Reason)
		}
	}
	return out
}

// An AIX 5.3 host: current values from the capture; boot values from
// rc.net, then nextboot, then the scripts inittab runs, in that order.
func TestNetOptionsAIX(t *testing.T) {
	f := build(t, map[string]string{
		"var/lib/bastion/capture/oslevel": "5.3.0.0\n",
		"var/lib/bastion/capture/no-a": "" +
			"         clean_partial_conns = 1\n" +
			"                ipforwarding = 1\n" +
			"             ipsendredirects = 0\n",
		"etc/services": "ftp 21/tcp\n",
		"etc/rc.net": "#!/bin/ksh\n" +
			"if [ -f /usr/sbin/no ] ; then\n" +
			"\t/usr/sbin/no -o ipforwarding=1 >>/dev/null 2>&1\n" +
			"\t/usr/sbin/no -o rfc1323=1\n" +
			"fi\n",
		"etc/tunables/nextboot": "info:\n" +
			"\tAIX_level = \"5.3.12.4\"\n" +
			"\n" +
			"no:\n" +
			"\tclean_partial_conns = \"0\"\n" +
			"\tipforwarding = \"0\"\n" +
			"\ttcp_pmtu_discover = \"0\"\n" +
			"\tclean_partial_conns = \"1\"\n",
		"etc/inittab": "init:2:initdefault:\n" +
			"brc::sysinit:/sbin/rc.boot 3 >/dev/console 2>&1 # Phase 3 of system boot\n" +
			"no:2:once:/etc/netopts.sh > /dev/console 2>&1\n" +
			"rctcpip:2:wait:/etc/rc.tcpip > /dev/console 2>&1 # Start TCP/IP daemons\n" +
			":old:2:once:/etc/old.sh\n" +
			"l3:3:wait:/usr/sbin/no -o bcastping=1\n" +
			"pmtu:2:once:/usr/sbin/no -p -o udp_pmtu_discover=0\n" +
			"kshno:2:once:/usr/bin/ksh /etc/more.sh\n" +
			"local:2:once:/etc/local.sh\n" +
			"srcmstr:2:respawn:/usr/sbin/srcmstr # System Resource Controller\n",
		"etc/netopts.sh": "#!/bin/ksh\n" +
			"no -o clean_partial_conns=1\n" +
			"#/usr/sbin/no -o ipsendredirects=1\n" +
			"if [ -x /usr/sbin/no ]; then /usr/sbin/no -p -o ipsendredirects=0; fi\n",
		"etc/rc.tcpip": "/usr/sbin/no -o ipignoreredirects=1 > /dev/null 2>&1\n",
		"etc/old.sh":   "no -o ipsrcroutesend=1\n",
		"etc/more.sh":  "v=0\nno -o directed_broadcast=$v -o bcastping=0\n",
		// A script that sets no option: its broken line is no gap.
		"etc/local.sh": "echo \"unclosed\n",
		// A program, not a script.
		"usr/sbin/srcmstr": "\x7fELF\x00\x00\nno -o ipforwarding=1\n",
	})
	n := f.NetOptions
	if n == nil {
		t.Fatal("no NetOptions")
	}
	if n.CurrentFrom != "captured "+noCapture {
		t.Errorf("CurrentFrom %q", n.CurrentFrom)
	}
	src := func(file string, line int) Source { return Source{File: file, Line: line} }
	boot := func(v string, s Source) BootSetting { return BootSetting{Value: v, From: s} }
	want := map[string]Option{
		"clean_partial_conns": {
			Name: "clean_partial_conns", Current: "1", CurrentKnown: true, CurrentFrom: noCapture + ":1",
			Boot: "1", BootSet: true, BootFrom: src("/etc/netopts.sh", 2),
			BootSettings: []BootSetting{
				// The first occurrence in nextboot wins; the script runs later.
				boot("0", src("/etc/tunables/nextboot", 5)),
				boot("1", src("/etc/netopts.sh", 2)),
			},
		},
		"ipforwarding": {
			Name: "ipforwarding", Current: "1", CurrentKnown: true, CurrentFrom: noCapture + ":2",
			Boot: "0", BootSet: true, BootFrom: src("/etc/tunables/nextboot", 6),
			BootSettings: []BootSetting{
				boot("1", src("/etc/rc.net", 3)),
				boot("0", src("/etc/tunables/nextboot", 6)),
			},
		},
		"ipsendredirects": {
			Name: "ipsendredirects", Current: "0", CurrentKnown: true, CurrentFrom: noCapture + ":3",
			Boot: "0", BootSet: true, BootFrom: src("/etc/netopts.sh", 4),
			BootSettings: []BootSetting{boot("0", src("/etc/netopts.sh", 4))},
		},
		"rfc1323": {
			Name: "rfc1323", Boot: "1", BootSet: true, BootFrom: src("/etc/rc.net", 4),
			BootSettings: []BootSetting{boot("1", src("/etc/rc.net", 4))},
		},
		"tcp_pmtu_discover": {
			Name: "tcp_pmtu_discover", Boot: "0", BootSet: true, BootFrom: src("/etc/tunables/nextboot", 7),
			BootSettings: []BootSetting{boot("0", src("/etc/tunables/nextboot", 7))},
		},
		"ipignoreredirects": {
			Name: "ipignoreredirects", Boot: "1", BootSet: true, BootFrom: src("/etc/rc.tcpip", 1),
			BootSettings: []BootSetting{boot("1", src("/etc/rc.tcpip", 1))},
		},
		"udp_pmtu_discover": {
			Name: "udp_pmtu_discover", Boot: "0", BootSet: true, BootFrom: src("/etc/inittab", 7),
			BootSettings: []BootSetting{boot("0", src("/etc/inittab", 7))},
		},
		"directed_broadcast": {
			Name: "directed_broadcast", Boot: "0", BootSet: true, BootFrom: src("/etc/more.sh", 2),
			BootSettings: []BootSetting{boot("0", src("/etc/more.sh", 2))},
		},
		// Set at run level 3 only, which this host does not boot to,
		// and in a script run from a level-2 entry.
		"bcastping": {
			Name: "bcastping", Boot: "0", BootSet: true, BootFrom: src("/etc/more.sh", 2),
			BootSettings: []BootSetting{boot("0", src("/etc/more.sh", 2))},
		},
	}
	if diff := cmp.Diff(want, n.Options); diff != "" {
		t.Errorf("options (-want +got):\n%s", diff)
	}
	// The disabled entry's script sets nothing.
	if o, ok := n.Get("ipsrcroutesend"); ok || o.Name != "ipsrcroutesend" {
		t.Errorf("Get(ipsrcroutesend) = %+v, %v", o, ok)
	}
	if g := netGaps(f); len(g) != 0 {
		t.Errorf("gaps %v", g)
	}
}

// AIX 4.3.3 had no nextboot: its absence is not a gap, but a missing no -a
// capture is, unless the run leaves captured state out.
func TestNetOptionsAIX433Gaps(t *testing.T) {
	files := map[string]string{
		"var/lib/bastion/capture/oslevel": "4.3.3.0\n",
		"etc/inittab":                     "init:2:initdefault:\n",
		"etc/rc.tcpip":                    "",
		"etc/services":                    "ftp 21/tcp\n",
	}
	f := build(t, files)
	want := []string{noCapture + ": no captured no -a output"}
	if diff := cmp.Diff(want, netGaps(f)); diff != "" {
		t.Errorf("gaps (-want +got):\n%s", diff)
	}
	if n := f.NetOptions; n == nil || n.CurrentFrom != "" || len(n.Options) != 0 {
		t.Errorf("NetOptions %+v", n)
	}

	cf, err := Build(tree(t, files), Options{ConfigOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if g := netGaps(cf); len(g) != 0 {
		t.Errorf("config-only gaps %v", g)
	}

	// From 5.2 on, a missing nextboot is a gap.
	files["var/lib/bastion/capture/oslevel"] = "7.2.0.0\n"
	f = build(t, files)
	want = []string{"/etc/tunables/nextboot: not there", noCapture + ": no captured no -a output"}
	if diff := cmp.Diff(want, netGaps(f)); diff != "" {
		t.Errorf("AIX 7.2 gaps (-want +got):\n%s", diff)
	}
}

// On Linux the sysctl files apply in the order of their names across the
// directories, an /etc file shadows a vendor file of the same name, and
// /etc/sysctl.conf comes last.
func TestNetOptionsLinux(t *testing.T) {
	f := build(t, map[string]string{
		"etc/os-release": "ID=debian\nVERSION_ID=12\n",
		"etc/services":   "ssh 22/tcp\n",
		"lib":            "->usr/lib",
		"usr/lib/sysctl.d/50-default.conf": "net.ipv4.conf.default.rp_filter = 2\n" +
			"net.ipv4.conf.*.rp_filter = 2\n" +
			"-net.ipv4.conf.all.rp_filter\n" +
			"net.ipv4.conf.*.accept_source_route = 0\n",
		"usr/lib/sysctl.d/10-vendor.conf":  "kernel.kptr_restrict = 1\n",
		"etc/sysctl.d/10-vendor.conf":      "# local copy\nkernel.kptr_restrict = 2\n",
		"usr/lib/sysctl.d/20-forward.conf": "net.ipv4.ip_forward = 1\n",
		"etc/sysctl.d/20-forward.conf":     "->/dev/null",
		"run/sysctl.d/60-run.conf":         "net.ipv4.tcp_syncookies = 2\n",
		"etc/sysctl.d/90-local.conf":       "net.ipv4.tcp_syncookies = 1\nnet/ipv4/conf/all/log_martians = 1\nvm.swappiness = 10\n",
		"etc/sysctl.d/99-sysctl.conf":      "->../sysctl.conf",
		"etc/sysctl.d/README":              "Files here end in .conf.\n",
		"etc/sysctl.conf":                  "# local settings\nnet.ipv4.tcp_syncookies = 0\n",
	})
	n := f.NetOptions
	src := func(file string, line int) Source { return Source{File: file, Line: line} }
	boot := func(v string, s Source) BootSetting { return BootSetting{Value: v, From: s} }
	want := map[string]Option{
		"net.ipv4.tcp_syncookies": {
			Name: "net.ipv4.tcp_syncookies", Boot: "0", BootSet: true, BootFrom: src("/etc/sysctl.conf", 2),
			BootSettings: []BootSetting{
				boot("2", src("/run/sysctl.d/60-run.conf", 1)),
				boot("1", src("/etc/sysctl.d/90-local.conf", 1)),
				boot("0", src("/etc/sysctl.conf", 2)),
			},
		},
		"kernel.kptr_restrict": {
			Name: "kernel.kptr_restrict", Boot: "2", BootSet: true, BootFrom: src("/etc/sysctl.d/10-vendor.conf", 2),
			BootSettings: []BootSetting{boot("2", src("/etc/sysctl.d/10-vendor.conf", 2))},
		},
		"net.ipv4.conf.default.rp_filter": {
			Name: "net.ipv4.conf.default.rp_filter", Boot: "2", BootSet: true, BootFrom: src("/usr/lib/sysctl.d/50-default.conf", 1),
			BootSettings: []BootSetting{
				boot("2", src("/usr/lib/sysctl.d/50-default.conf", 1)),
				boot("2", src("/usr/lib/sysctl.d/50-default.conf", 2)),
			},
		},
		"net.ipv4.conf.all.accept_source_route": {
			Name: "net.ipv4.conf.all.accept_source_route", Boot: "0", BootSet: true, BootFrom: src("/usr/lib/sysctl.d/50-default.conf", 4),
			BootSettings: []BootSetting{boot("0", src("/usr/lib/sysctl.d/50-default.conf", 4))},
		},
		"net.ipv4.conf.default.accept_source_route": {
			Name: "net.ipv4.conf.default.accept_source_route", Boot: "0", BootSet: true, BootFrom: src("/usr/lib/sysctl.d/50-default.conf", 4),
			BootSettings: []BootSetting{boot("0", src("/usr/lib/sysctl.d/50-default.conf", 4))},
		},
		"net.ipv4.conf.all.log_martians": {
			Name: "net.ipv4.conf.all.log_martians", Boot: "1", BootSet: true, BootFrom: src("/etc/sysctl.d/90-local.conf", 2),
			BootSettings: []BootSetting{boot("1", src("/etc/sysctl.d/90-local.conf", 2))},
		},
		// Not a key the rules read, but named by a file.
		"vm.swappiness": {
			Name: "vm.swappiness", Boot: "10", BootSet: true, BootFrom: src("/etc/sysctl.d/90-local.conf", 3),
			BootSettings: []BootSetting{boot("10", src("/etc/sysctl.d/90-local.conf", 3))},
		},
	}
	if diff := cmp.Diff(want, n.Options); diff != "" {
		t.Errorf("options (-want +got):\n%s", diff)
	}
	// "-net.ipv4.conf.all.rp_filter" keeps the glob away from "all", and
	// the /dev/null link masks the vendor file that turns forwarding on.
	for _, key := range []string{"net.ipv4.conf.all.rp_filter", "net.ipv4.ip_forward"} {
		if o, ok := n.Get(key); ok {
			t.Errorf("Get(%s) = %+v", key, o)
		}
	}
	// An offline root has no current values, and that is no gap.
	if g := netGaps(f); len(g) != 0 || n.CurrentFrom != "" {
		t.Errorf("gaps %v, current from %q", g, n.CurrentFrom)
	}
}

// The fixture roots: the hardened AIX host sets its options from the script
// inittab runs, the default one nowhere; the Debian server's sysctl.conf
// undoes a setting of its hardening file.
func TestNetOptionsFixtures(t *testing.T) {
	open := func(dir string) *Facts {
		t.Helper()
		tg, err := target.Open("../../testdata/roots/" + dir)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { tg.Close() })
		f, err := Build(tg, Options{})
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	type got struct {
		Current, CurrentFrom string
		Boot                 string
		BootSet              bool
		BootFrom             string
	}
	check := func(f *Facts, name string, want got) {
		t.Helper()
		o, _ := f.NetOptions.Get(name)
		g := got{o.Current, o.CurrentFrom, o.Boot, o.BootSet, ""}
		if o.BootSet {
			g.BootFrom = o.BootFrom.String()
		}
		if diff := cmp.Diff(want, g); diff != "" {
			t.Errorf("%s (-want +got):\n%s", name, diff)
		}
	}

	def := open("aix433-default")
	check(def, "clean_partial_conns", got{Current: "0", CurrentFrom: noCapture + ":2"})
	check(def, "ipsendredirects", got{Current: "1", CurrentFrom: noCapture + ":8"})
	if len(def.NetOptions.Names()) != 23 || len(netGaps(def)) != 0 {
		t.Errorf("default AIX: %d options, gaps %v", len(def.NetOptions.Names()), netGaps(def))
	}

	hard := open("aix433-hardened")
	for name, line := range map[string]int{
		"clean_partial_conns": 9, "ipignoreredirects": 10, "ipsendredirects": 11, "ipsrcroutesend": 12,
		"ipsrcrouteforward": 13, "ip6srcrouteforward": 14, "tcp_pmtu_discover": 15, "udp_pmtu_discover": 16,
	} {
		o, _ := hard.NetOptions.Get(name)
		if o.Current != o.Boot || !o.BootSet || o.BootFrom != (Source{File: "/etc/rc.netopts", Line: line}) {
			t.Errorf("hardened %s: %+v", name, o)
		}
	}
	check(hard, "clean_partial_conns", got{Current: "1", CurrentFrom: noCapture + ":2", Boot: "1", BootSet: true, BootFrom: "/etc/rc.netopts:9"})
	if g := netGaps(hard); len(g) != 0 {
		t.Errorf("hardened AIX gaps %v", g)
	}

	deb := open("debian12-server")
	check(deb, "net.ipv4.conf.all.rp_filter", got{Boot: "0", BootSet: true, BootFrom: "/etc/sysctl.conf:24"})
	check(deb, "net.ipv4.conf.default.rp_filter", got{Boot: "1", BootSet: true, BootFrom: "/etc/sysctl.d/99-hardening.conf:23"})
	check(deb, "net.ipv4.conf.all.log_martians", got{Boot: "1", BootSet: true, BootFrom: "/etc/sysctl.d/99-hardening.conf:26"})
	check(deb, "kernel.yama.ptrace_scope", got{})
}

// On a live Linux host the current values come from /proc/sys.
func TestNetOptionsLiveLinux(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("reads /proc/sys")
	}
	if _, err := os.Stat("/proc/sys/net/ipv4/ip_forward"); err != nil {
		t.Skip("no /proc/sys/net/ipv4/ip_forward here")
	}
	tg, err := target.Local()
	if err != nil {
		t.Fatal(err)
	}
	defer tg.Close()
	b := &builder{t: tg, f: &Facts{}}
	n := &NetOptions{Options: map[string]Option{}}
	b.linuxCurrentSysctl(n)
	o, ok := n.Get("net.ipv4.ip_forward")
	if !ok || !o.CurrentKnown || (o.Current != "0" && o.Current != "1") || o.CurrentFrom != "/proc/sys/net/ipv4/ip_forward" {
		t.Errorf("ip_forward %+v, %v", o, ok)
	}
	if n.CurrentFrom != "live /proc/sys" {
		t.Errorf("CurrentFrom %q", n.CurrentFrom)
	}
}

func TestNoSettings(t *testing.T) {
	tests := []struct {
		args []string
		want [][2]string
	}{
		{[]string{"-o", "ipforwarding=0"}, [][2]string{{"ipforwarding", "0"}}},
		{[]string{"-p", "-o", "clean_partial_conns=1"}, [][2]string{{"clean_partial_conns", "1"}}},
		{[]string{"-r", "-o", "a=1", "-o", "b=2"}, [][2]string{{"a", "1"}, {"b", "2"}}},
		{[]string{"-oa=1", "-po", "b=2", "-Fo", "c="}, [][2]string{{"a", "1"}, {"b", "2"}, {"c", ""}}},
		{[]string{"-o", "ipforwarding"}, nil},
		{[]string{"-a"}, nil},
		{[]string{"-d", "ipforwarding", "-x", "y=1", "--", "-o"}, nil},
		{[]string{"-o", "=1"}, nil},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, noSettings(tt.args), cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("noSettings(%q) (-want +got):\n%s", tt.args, diff)
		}
	}
}

func TestBareNo(t *testing.T) {
	vars := map[string]string{"v": "0"}
	tests := []struct {
		line string
		want [][]string
	}{
		{"no -o ipforwarding=$v", [][]string{{"-o", "ipforwarding=0"}}},
		{"\tif [ -x /usr/sbin/no ]; then no -p -o a=1 >/dev/null 2>&1; fi", [][]string{{"-p", "-o", "a=1"}}},
		{"no -o a=1 && no -o b=2 # no -o c=3", [][]string{{"-o", "a=1"}, {"-o", "b=2"}}},
		{"# no -o a=1", nil},
		{"echo no -o a=1", nil},
		{"/usr/sbin/no -o a=1", nil}, // found by rcscript as a command
		{"", nil},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, bareNo(tt.line, vars), cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("bareNo(%q) (-want +got):\n%s", tt.line, diff)
		}
	}
}

func TestAIXBefore(t *testing.T) {
	for v, want := range map[string]bool{"4.3.3": true, "5.1": true, "5.2": false, "5.3.0": false, "7.2": false, "": false, "x.y": false, "4": false} {
		if got := aixBefore(v, 5, 2); got != want {
			t.Errorf("aixBefore(%q, 5, 2) = %v", v, got)
		}
	}
}
