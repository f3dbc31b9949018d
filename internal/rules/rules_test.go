package rules

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"bastion/internal/host"
	"bastion/internal/inventory"
	"bastion/internal/policy"
	"bastion/internal/rule"
	"bastion/internal/target"
)

// root writes a file tree; a value "->X" makes a link to X, "<dir>" a
// directory (a file bastion expects but cannot read as one), and a value
// starting "<0640>" a file of that mode.
func root(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		var err error
		mode := os.FileMode(0o644)
		if strings.HasPrefix(content, "<0") && len(content) >= 6 && content[5] == '>' {
			m, _ := strconv.ParseUint(content[1:5], 8, 32)
			mode, content = os.FileMode(m), content[6:]
		}
		switch {
		case content == "<dir>":
			err = os.MkdirAll(p, 0o755)
		case strings.HasPrefix(content, "->"):
			err = os.Symlink(content[2:], p)
		default:
			if err = os.WriteFile(p, []byte(content), mode); err == nil {
				err = os.Chmod(p, mode)
			}
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// context builds the host model of a tree.
func context(t *testing.T, files map[string]string, pol *policy.Policy) *rule.Context {
	t.Helper()
	tg, err := target.Open(root(t, files))
	if err != nil {
		t.Fatal(err)
	}
	defer tg.Close()
	f, err := host.Build(tg, host.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if pol == nil {
		pol = policy.Default()
	}
	return &rule.Context{Facts: f, Inventory: inventory.Build(f, "test"), Policy: pol}
}

// outcome runs one rule and says how it ended: "fires", "quiet" or
// "undecided", with the findings.
func outcome(t *testing.T, id string, c *rule.Context) (string, []rule.Finding) {
	t.Helper()
	r, ok := rule.Lookup(id)
	if !ok {
		t.Fatalf("no rule %s", id)
	}
	rep := rule.NewReport(r)
	err := r.Check(c, rep)
	if _, und := rule.IsUndecided(err); und {
		return "undecided", rep.Findings()
	}
	if err != nil {
		t.Fatalf("%s: %v", id, err)
	}
	if len(rep.Findings()) > 0 {
		return "fires", rep.Findings()
	}
	return "quiet", nil
}

// aix is a minimal AIX root: inetd started from rc.tcpip, run from inittab.
func aix(extra map[string]string) map[string]string {
	files := map[string]string{
		"etc/inittab":  "init:2:initdefault:\nrctcpip:2:wait:/etc/rc.tcpip > /dev/console 2>&1 # Start TCP/IP daemons\n",
		"etc/rc.tcpip": "start /usr/sbin/inetd \"$src_running\"\n",
		"etc/services": "echo 7/tcp\nftp 21/tcp\ntelnet 23/tcp\nsmtp 25/tcp\ntftp 69/udp\nfinger 79/tcp\nbootps 67/udp\nsunrpc 111/tcp\nsunrpc 111/udp\nsnmp 161/udp\nsmux 199/tcp\nxdmcp 177/udp\nexec 512/tcp\nlogin 513/tcp\nwho 513/udp\nshell 514/tcp\nsyslog 514/udp\nntalk 518/udp\nroute 520/udp\ntimed 525/udp\nklogin 543/tcp\nkshell 544/tcp\ninstsrv 1234/tcp\nwritesrv 2401/tcp\ndtspc 6112/tcp\nnfsd 2049/tcp\n",
	}
	for k, v := range extra {
		files[k] = v
	}
	return files
}

// inetdLine returns a root whose inetd.conf holds one line.
func inetdLine(line string) map[string]string {
	return aix(map[string]string{"etc/inetd.conf": line + "\n"})
}

// rcLine returns a root whose rc.tcpip starts one more daemon.
func rcLine(line string) map[string]string {
	return aix(map[string]string{"etc/rc.tcpip": "start /usr/sbin/inetd \"$src_running\"\n" + line + "\n"})
}

// inittabLine returns a root whose inittab has one more entry.
func inittabLine(line string) map[string]string {
	return aix(map[string]string{"etc/inittab": "init:2:initdefault:\nrctcpip:2:wait:/etc/rc.tcpip > /dev/console 2>&1\n" + line + "\n"})
}

// undecidable is a root whose inittab cannot be read: nothing can say what
// the host starts.
var undecidable = aix(map[string]string{"etc/inittab": "<dir>"})

// cases gives, for every rule, a host where it fires and one where it does
// not; undecided defaults to the root whose inittab cannot be read.
// ruleCase is the cases of one rule: a root where it fires, one where it
// is quiet, one where it cannot decide, and the policies those are judged
// under (nil: the built-in default).
type ruleCase struct {
	fires, quiet, undecided map[string]string
	quietPolicy             *policy.Policy
	firesPolicy             *policy.Policy
}

var cases = map[string]ruleCase{
	"SVC-INETD-INTERNAL":  {fires: inetdLine("echo stream tcp nowait root internal"), quiet: inetdLine("#echo stream tcp nowait root internal")},
	"SVC-TELNET":          {fires: inetdLine("telnet stream tcp6 nowait root /usr/sbin/telnetd telnetd -a"), quiet: inetdLine("#telnet stream tcp6 nowait root /usr/sbin/telnetd telnetd -a")},
	"SVC-FTP":             {fires: inetdLine("ftp stream tcp6 nowait root /usr/sbin/ftpd ftpd"), quietPolicy: &policy.Policy{Services: []string{"ftp"}}},
	"SVC-RSERVICES":       {fires: inetdLine("shell stream tcp6 nowait root /usr/sbin/rshd rshd"), quiet: inetdLine("#shell stream tcp6 nowait root /usr/sbin/rshd rshd")},
	"SVC-KRSERVICES":      {fires: inetdLine("klogin stream tcp nowait root /usr/sbin/krlogind krlogind"), quiet: inetdLine("#klogin stream tcp nowait root /usr/sbin/krlogind krlogind")},
	"SVC-TALK":            {fires: inetdLine("ntalk dgram udp wait root /usr/sbin/talkd talkd"), quiet: inetdLine("#ntalk dgram udp wait root /usr/sbin/talkd talkd")},
	"SVC-TFTP":            {fires: inetdLine("tftp dgram udp6 SRC nobody /usr/sbin/tftpd tftpd -n"), quiet: inetdLine("#tftp dgram udp6 SRC nobody /usr/sbin/tftpd tftpd -n")},
	"SVC-BOOTPS":          {fires: inetdLine("bootps dgram udp wait root /usr/sbin/bootpd bootpd /etc/bootptab"), quiet: inetdLine("#bootps dgram udp wait root /usr/sbin/bootpd bootpd /etc/bootptab")},
	"SVC-FINGER":          {fires: inetdLine("finger stream tcp nowait nobody /usr/sbin/fingerd fingerd"), quiet: inetdLine("#finger stream tcp nowait nobody /usr/sbin/fingerd fingerd")},
	"SVC-RPC-INFO":        {fires: inetdLine("rstatd sunrpc_udp udp wait root /usr/sbin/rpc.rstatd rstatd 100001 1-3"), quiet: inetdLine("#rstatd sunrpc_udp udp wait root /usr/sbin/rpc.rstatd rstatd 100001 1-3")},
	"SVC-CDE-RPC":         {fires: inetdLine("cmsd sunrpc_udp udp wait root /usr/dt/bin/rpc.cmsd cmsd 100068 2-5"), quiet: inetdLine("#cmsd sunrpc_udp udp wait root /usr/dt/bin/rpc.cmsd cmsd 100068 2-5")},
	"SVC-INSTSRV":         {fires: inetdLine("instsrv stream tcp nowait netinst /home/netinst/bin/instsrv instsrv -r /tmp/log"), quiet: inetdLine("#instsrv stream tcp nowait netinst /home/netinst/bin/instsrv instsrv")},
	"SVC-X11":             {fires: inittabLine("dt:2:wait:/etc/rc.dt"), quiet: inittabLine("dt:2:off:/etc/rc.dt")},
	"SVC-IMNSEARCH":       {fires: inittabLine("imnss:2:once:/usr/IMNSearch/bin/imnss -start imnhelp >/dev/console 2>&1"), quiet: inittabLine(":imnss:2:once:/usr/IMNSearch/bin/imnss -start imnhelp")},
	"SVC-WRITESRV":        {fires: inittabLine("writesrv:2:wait:/usr/bin/startsrc -swritesrv"), quiet: inittabLine("writesrv:2:off:/usr/bin/startsrc -swritesrv")},
	"SVC-SENDMAIL-DAEMON": {fires: rcLine(`start /usr/lib/sendmail "$src_running" "-bd -q30m"`), quiet: rcLine(`start /usr/lib/sendmail "$src_running" "-q30m"`)},
	"SVC-SNMP":            {fires: rcLine(`start /usr/sbin/snmpd "$src_running"`), quiet: rcLine(`#start /usr/sbin/snmpd "$src_running"`)},
	"SVC-PORTMAP":         {fires: rcLine(`start /usr/sbin/portmap "$src_running"`), quietPolicy: &policy.Policy{Roles: []string{"nfs-server"}}},
	"SVC-ROUTING":         {fires: rcLine(`start /usr/sbin/routed "$src_running" -q`), quiet: rcLine(`#start /usr/sbin/routed "$src_running" -q`)},
	"SVC-RWHOD":           {fires: rcLine(`start /usr/sbin/rwhod "$src_running"`), quiet: rcLine(`#start /usr/sbin/rwhod "$src_running"`)},
	"SVC-TIMED":           {fires: rcLine(`start /usr/sbin/timed "$src_running"`), quiet: rcLine(`#start /usr/sbin/timed "$src_running"`)},
	"SVC-NFS": {fires: aix(map[string]string{"etc/inittab": "rcnfs:2:wait:/etc/rc.nfs\n", "etc/rc.nfs": "start nfsd /usr/sbin/nfsd 8\n"}),
		quietPolicy: &policy.Policy{Roles: []string{"nfs-server"}}},
	"SVC-NOT-ALLOWED":  {fires: rcLine(`start /usr/sbin/named "$src_running"`), quietPolicy: &policy.Policy{Roles: []string{"name-server"}}},
	"SVC-INITTAB-HASH": {fires: inittabLine("#httpdlite:2:once:/usr/IMNSearch/httpdlite/httpdlite -r /etc/h.conf"), quiet: inittabLine(":httpdlite:2:once:/usr/IMNSearch/httpdlite/httpdlite -r /etc/h.conf")},
	"SVC-DISABLED-RUNNING": {
		fires: aix(map[string]string{"etc/inetd.conf": "#telnet stream tcp6 nowait root /usr/sbin/telnetd telnetd -a\n",
			"var/lib/bastion/capture/netstat-Aan": "PCB/ADDR Proto Recv-Q Send-Q Local Address Foreign Address (state)\nf1000 tcp4 0 0 *.23 *.* LISTEN\n"}),
		quiet: aix(map[string]string{"etc/inetd.conf": "#telnet stream tcp6 nowait root /usr/sbin/telnetd telnetd -a\n",
			"var/lib/bastion/capture/netstat-Aan": "PCB/ADDR Proto Recv-Q Send-Q Local Address Foreign Address (state)\n"}),
		undecided: aix(nil),
	},
	"SVC-UNEXPLAINED": {
		fires:     aix(map[string]string{"var/lib/bastion/capture/netstat-Aan": "PCB/ADDR Proto Recv-Q Send-Q Local Address Foreign Address (state)\nf1000 tcp4 0 0 *.54666 *.* LISTEN\n"}),
		quiet:     aix(map[string]string{"var/lib/bastion/capture/netstat-Aan": "PCB/ADDR Proto Recv-Q Send-Q Local Address Foreign Address (state)\n"}),
		undecided: aix(nil),
	},
}

// netCases makes the cases of the network-option rules: the options set the
// wrong way now (captured no -a, or sysctl.d), then the right way now and at
// boot, then a host whose platform nothing says.
func netCases() {
	for _, n := range netRules {
		var noBad, noGood, inittab, sysBad, sysGood strings.Builder
		aixRule := false
		for _, s := range n.settings {
			bad := "1"
			if s.want == "1" {
				bad = "0"
			}
			switch s.os {
			case target.AIX:
				aixRule = true
				fmt.Fprintf(&noBad, "%20s = %s\n", s.key, bad)
				fmt.Fprintf(&noGood, "%20s = %s\n", s.key, s.want)
				fmt.Fprintf(&inittab, "n%d:2:once:/usr/sbin/no -o %s=%s\n", inittab.Len(), s.key, s.want)
			case target.Linux:
				fmt.Fprintf(&sysBad, "%s = %s\n", s.key, bad)
				fmt.Fprintf(&sysGood, "%s = %s\n", s.key, s.want)
			}
		}
		tc := cases[n.id]
		if aixRule {
			tc.fires = aix(map[string]string{"var/lib/bastion/capture/no-a": noBad.String()})
			tc.quiet = aix(map[string]string{"var/lib/bastion/capture/no-a": noGood.String(),
				"etc/inittab": "init:2:initdefault:\nbrc::sysinit:/sbin/rc.boot 3\n" + inittab.String()})
		} else {
			linux := map[string]string{"etc/os-release": "ID=debian\nVERSION_ID=12\n", "etc/services": "ssh 22/tcp\n"}
			tc.fires, tc.quiet = map[string]string{}, map[string]string{}
			for k, v := range linux {
				tc.fires[k], tc.quiet[k] = v, v
			}
			tc.fires["etc/sysctl.d/50-x.conf"] = sysBad.String()
			tc.quiet["etc/sysctl.d/50-x.conf"] = sysGood.String()
		}
		tc.undecided = map[string]string{"etc/services": "ssh 22/tcp\n"}
		cases[n.id] = tc
	}
}

// aixLog is an AIX root whose syslogd, started from rc.tcpip with args,
// reads conf; files are more files (log files).
func aixLog(args, conf string, files ...string) map[string]string {
	m := aix(map[string]string{
		"etc/rc.tcpip":    "start /usr/sbin/inetd \"$src_running\"\nstart /usr/sbin/syslogd \"$src_running\"" + args + "\n",
		"etc/syslog.conf": conf,
	})
	for i := 0; i+1 < len(files); i += 2 {
		m[files[i]] = files[i+1]
	}
	return m
}

func init() {
	const all = "*.err /var/adm/errorlog\nauth.info;authpriv.info /var/adm/auth.log\nmail.info /var/adm/mail.log\n*.info @loghost\n"
	logs := []string{"var/adm/errorlog", "<0640>", "var/adm/auth.log", "<0640>", "var/adm/mail.log", "<0640>"}
	quiet := aixLog(` "-r"`, all, logs...)
	broken := aixLog("", "<dir>")
	debian := func(storage string) map[string]string {
		return map[string]string{
			"etc/os-release": "ID=debian\nVERSION_ID=12\n", "etc/services": "ssh 22/tcp\n",
			"usr/lib/systemd/system/cron.service":                     "[Service]\nExecStart=/usr/sbin/cron -f\n",
			"etc/systemd/system/multi-user.target.wants/cron.service": "->/usr/lib/systemd/system/cron.service",
			"etc/systemd/journald.conf":                               "[Journal]\nStorage=" + storage + "\n",
		}
	}
	for id, tc := range map[string]struct{ fires, quiet, undecided map[string]string }{
		"LOG-NOTHING":          {aixLog("", "#*.err /var/adm/errorlog\n#mail.info /var/adm/mail.log\n"), quiet, broken},
		"LOG-AUTH":             {aixLog("", "*.err /var/adm/errorlog\n", "var/adm/errorlog", "<0640>"), quiet, broken},
		"LOG-MAIL":             {aixLog("", "*.err /var/adm/errorlog\n", "var/adm/errorlog", "<0640>"), quiet, broken},
		"LOG-FILE-MISSING":     {aixLog("", all), quiet, broken},
		"LOG-FILE-READABLE":    {aixLog("", all, "var/adm/errorlog", "", "var/adm/auth.log", "", "var/adm/mail.log", ""), quiet, broken},
		"LOG-REMOTE-HOST":      {aixLog("", "*.err /var/adm/errorlog\n", "var/adm/errorlog", "<0640>"), quiet, broken},
		"LOG-RECEPTION":        {aixLog("", all, logs...), quiet, broken},
		"LOG-JOURNAL-VOLATILE": {debian("volatile"), debian("persistent"), aix(nil)},
	} {
		cases[id] = ruleCase{fires: tc.fires, quiet: tc.quiet, undecided: tc.undecided}
	}
}

// Every rule has a case where it fires, one where it does not, and one
// where it cannot decide.
func TestEveryRule(t *testing.T) {
	netCases()
	for _, r := range rule.All() {
		tc, ok := cases[r.ID]
		if !ok {
			t.Errorf("%s has no test cases", r.ID)
			continue
		}
		t.Run(r.ID, func(t *testing.T) {
			got, fs := outcome(t, r.ID, context(t, tc.fires, tc.firesPolicy))
			if got != "fires" {
				t.Errorf("firing case: %s", got)
			}
			for _, f := range fs {
				if f.Rule != r.ID || f.Where.String() == "" || f.Found == "" || f.Expected == "" || f.Fix == "" {
					t.Errorf("incomplete finding %+v", f)
				}
			}
			quiet := tc.quiet
			if quiet == nil {
				quiet = tc.fires
			}
			pol := tc.quietPolicy
			if pol != nil {
				p := *policy.Default()
				p.Roles, p.Services, p.SSHKeysOnly = pol.Roles, pol.Services, pol.SSHKeysOnly
				pol = &p
			}
			if got, fs := outcome(t, r.ID, context(t, quiet, pol)); got != "quiet" {
				t.Errorf("quiet case: %s %+v", got, fs)
			}
			und := tc.undecided
			if und == nil {
				und = undecidable
			}
			if got, _ := outcome(t, r.ID, context(t, und, nil)); got != "undecided" {
				t.Errorf("undecidable case: %s", got)
			}
		})
	}
}

// Every fixable finding of the firing cases has a fix that touches the
// start it is about.
func TestFixes(t *testing.T) {
	netCases()
	for id, tc := range cases {
		r, _ := rule.Lookup(id)
		if r == nil || r.Fix == nil {
			continue
		}
		pol := tc.firesPolicy
		if id == "LOG-REMOTE-HOST" {
			// Which log host to use is the site's to say.
			p := *policy.Default()
			p.LogHost = "loghost.example.net"
			pol = &p
		}
		c := context(t, tc.fires, pol)
		_, fs := outcome(t, id, c)
		for _, f := range fs {
			changes := r.Fix(c, f)
			if len(changes) == 0 {
				t.Errorf("%s: no fix for %s", id, f.Where)
				continue
			}
			if f.Topic == "services" && changes[0].Path != f.Where.File {
				t.Errorf("%s: fix edits %s, finding is at %s", id, changes[0].Path, f.Where.File)
			}
		}
	}
}

func TestInittabOff(t *testing.T) {
	for in, want := range map[string]string{
		"writesrv:2:wait:/usr/bin/startsrc -swritesrv": "writesrv:2:off:/usr/bin/startsrc -swritesrv",
		"dt:2:wait:/etc/rc.dt":                         "dt:2:off:/etc/rc.dt",
		"x:2:once:/bin/a b:c:d":                        "x:2:off:/bin/a b:c:d",
	} {
		if got, ok := inittabOff(in); !ok || got != want {
			t.Errorf("inittabOff(%q) = %q", in, got)
		}
	}
	if _, ok := inittabOff("bad"); ok {
		t.Error("inittabOff accepted a line without fields")
	}
	if got := xinetdDisable("\tdisable\t= no"); got != "\tdisable\t= yes" {
		t.Errorf("xinetdDisable = %q", got)
	}
	if srcSubsystem("writesrv:2:wait:/usr/bin/startsrc -swritesrv") != "writesrv" {
		t.Error("srcSubsystem")
	}
}

func TestFilesetAdvice(t *testing.T) {
	c := &rule.Context{Facts: &host.Facts{Platform: target.Platform{OS: target.AIX, Version: "7.2"}}}
	if filesetAdvice(c, "snmpd") == "" || filesetAdvice(c, "sendmail") != "" {
		t.Error("7.2 advice")
	}
	c.Facts.Platform.Version = "5.3"
	if filesetAdvice(c, "snmpd") != "" {
		t.Error("advice on 5.3")
	}
	if !atLeast("7.3", 7, 2) || atLeast("4.3.3", 7, 2) || atLeast("x", 1, 0) {
		t.Error("atLeast")
	}
}

// Debian's snmpd reads its configuration as group Debian-snmp: 0640 with
// that group is right, 0640 with another group is not.
func TestSNMPConfAgentGroup(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to give the file a group")
	}
	files := map[string]string{
		"etc/os-release":      "ID=debian\nVERSION_ID=12\n",
		"etc/services":        "snmp 161/udp\n",
		"etc/group":           "root:x:0:\nDebian-snmp:x:106:\n",
		"etc/snmp/snmpd.conf": "<0640>agentaddress 127.0.0.1\nrouser authPrivUser authpriv\n",
	}
	for gid, want := range map[int]string{106: "quiet", 0: "fires"} {
		dir := root(t, files)
		if err := os.Chown(filepath.Join(dir, "etc/snmp/snmpd.conf"), 0, gid); err != nil {
			t.Fatal(err)
		}
		tg, err := target.Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		f, _ := host.Build(tg, host.Options{})
		tg.Close()
		c := &rule.Context{Facts: f, Inventory: inventory.Build(f, "test"), Policy: policy.Default()}
		if got, _ := outcome(t, "SNMP-CONF-MODE", c); got != want {
			t.Errorf("group %d: %s, want %s", gid, got, want)
		}
	}
}
