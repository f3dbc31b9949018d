package host

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"bastion/internal/target"
)

// tree writes files into a new root. A value starting with "->" makes a
// symbolic link to the rest.
func tree(t *testing.T, files map[string]string) *target.Target {
	t.Helper()
	root := t.TempDir()
	for name, content := range files {
		p := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		var err error
		if dest, ok := strings.CutPrefix(content, "->"); ok {
			err = os.Symlink(dest, p)
		} else {
			err = os.WriteFile(p, []byte(content), 0o644)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	tg, err := target.Open(root)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tg.Close() })
	return tg
}

func build(t *testing.T, files map[string]string) *Facts {
	t.Helper()
	f, err := Build(tree(t, files), Options{})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// find returns the start with the given ID and source file.
func find(t *testing.T, f *Facts, id, file string) Start {
	t.Helper()
	for _, s := range f.Starts {
		if s.ID == id && (file == "" || s.Source.File == file) {
			return s
		}
	}
	t.Fatalf("no start %s in %s among %d starts", id, file, len(f.Starts))
	return Start{}
}

func TestAIXInittabAndRC(t *testing.T) {
	f := build(t, map[string]string{
		"etc/inittab": "init:2:initdefault:\n" +
			"rctcpip:2:wait:/etc/rc.tcpip > /dev/console 2>&1 # Start TCP/IP daemons\n" +
			":rcnfs:2:wait:/etc/rc.nfs > /dev/console 2>&1 # Start NFS Daemons\n" +
			"writesrv:2:off:/usr/bin/startsrc -swritesrv\n" +
			"#httpdlite:2:once:/usr/IMNSearch/httpdlite/httpdlite -r /etc/h.conf\n",
		"etc/rc.tcpip":      "qpi=30m\nstart /usr/lib/sendmail \"$src_running\" \"-bd -q${qpi}\"\n#start /usr/sbin/snmpd \"$src_running\"\nstart /usr/sbin/inetd \"$src_running\"\n",
		"etc/rc.nfs":        "start rpc.statd /usr/sbin/rpc.statd\n",
		"etc/h.conf":        "Port 8080\n",
		"etc/services":      "smtp 25/tcp\n",
		"usr/lib/sendmail":  "->/usr/sbin/sendmail",
		"usr/sbin/sendmail": "",
	})
	if f.Platform.OS != target.AIX {
		t.Errorf("platform %+v", f.Platform)
	}
	sm := find(t, f, "sendmail", "/etc/rc.tcpip")
	if !sm.Enabled || sm.Resolved != "/usr/sbin/sendmail" || strings.Join(sm.Args, " ") != "-bd -q30m" || sm.Source.Line != 2 {
		t.Errorf("sendmail start %+v", sm)
	}
	if s := find(t, f, "snmpd", ""); s.Enabled || s.Why != "commented out" {
		t.Errorf("snmpd %+v", s)
	}
	statd := find(t, f, "rpc.statd", "/etc/rc.nfs")
	if statd.Enabled || !strings.Contains(statd.Why, "rcnfs") {
		t.Errorf("rc.nfs start under a disabled inittab entry: %+v", statd)
	}
	ws := find(t, f, "writesrv", "/etc/inittab")
	if ws.Enabled || ws.Why != "action is off" || ws.Program != "/usr/sbin/writesrv" {
		t.Errorf("writesrv %+v", ws)
	}
	h := find(t, f, "#httpdlite", "")
	if !h.Enabled || !strings.Contains(h.Note, "does not disable") {
		t.Errorf("'#' entry %+v", h)
	}
	if f.PortDirectives["/usr/IMNSearch/httpdlite/httpdlite"] != 8080 {
		t.Errorf("port directives %v", f.PortDirectives)
	}
}

func TestSuperServerNotStarted(t *testing.T) {
	f := build(t, map[string]string{
		"etc/os-release": "ID=debian\nVERSION_ID=12\n",
		"etc/inetd.conf": "telnet stream tcp nowait root /usr/sbin/tcpd /usr/sbin/in.telnetd\n",
		"etc/services":   "telnet 23/tcp\n",
	})
	s := find(t, f, "telnet", "/etc/inetd.conf")
	if s.Enabled || s.Why != "nothing starts inetd at boot" || s.Program != "/usr/sbin/in.telnetd" {
		t.Errorf("telnet %+v", s)
	}
}

func TestSystemd(t *testing.T) {
	const lib = "usr/lib/systemd/system/"
	f := build(t, map[string]string{
		"etc/os-release":   "ID=debian\nVERSION_ID=12\n",
		"etc/services":     "ssh 22/tcp\n",
		lib + "a.service":  "[Service]\nExecStart=/usr/sbin/a -x\n",
		lib + "b.service":  "[Service]\nExecStart=/usr/sbin/b\n",
		lib + "c.service":  "[Service]\nExecStart=/usr/sbin/c\n",
		lib + "d.socket":   "[Socket]\nListenStream=127.0.0.1:2000\nListenDatagram=[::]:2001\nListenStream=/run/d.sock\nAccept=yes\n",
		lib + "d@.service": "[Service]\nExecStart=-/usr/sbin/d -i\n",
		"etc/systemd/system/multi-user.target.wants/alias.service": "->/usr/lib/systemd/system/a.service",
		"etc/systemd/system/alias.service":                         "->/usr/lib/systemd/system/a.service",
		"etc/systemd/system/b.service":                             "->/dev/null",
		"etc/systemd/system/sockets.target.wants/d.socket":         "->/usr/lib/systemd/system/d.socket",
		"etc/systemd/system/c.service.d/10-x.conf":                 "[Service]\nExecStart=\nExecStart=/usr/sbin/c2\n",
	})
	if a := find(t, f, "a.service", ""); !a.Enabled || a.Program != "/usr/sbin/a" {
		t.Errorf("a.service, enabled through an alias: %+v", a)
	}
	if b := find(t, f, "b.service", ""); b.Enabled || b.Why != "masked" || b.Program != "/usr/sbin/b" {
		t.Errorf("b.service masked: %+v", b)
	}
	if c := find(t, f, "c.service", ""); c.Enabled || c.Program != "/usr/sbin/c2" || !strings.HasSuffix(c.Source.File, "10-x.conf") {
		t.Errorf("c.service with a drop-in: %+v", c)
	}
	var socks []Start
	for _, s := range f.Starts {
		if s.ID == "d.socket" {
			socks = append(socks, s)
		}
		if s.ID == "d@.service" {
			t.Errorf("template service listed on its own: %+v", s)
		}
	}
	if len(socks) != 2 {
		t.Fatalf("d.socket starts %+v", socks)
	}
	if s := socks[0]; s.Proto != "tcp" || s.Port != 2000 || s.Address != "127.0.0.1" || s.Program != "/usr/sbin/d" || !s.Enabled || s.Source.Line != 2 {
		t.Errorf("stream listener %+v", s)
	}
	if s := socks[1]; s.Proto != "udp" || s.Port != 2001 || !s.IPv6 {
		t.Errorf("datagram listener %+v", s)
	}
}

func TestGaps(t *testing.T) {
	f := build(t, map[string]string{
		"etc/os-release": "ID=debian\n",
		"etc/inetd.conf": "telnet stream tcp nowait root\n",
	})
	var got []string
	for _, g := range f.Gaps {
		got = append(got, g.Path+":"+g.Reason)
	}
	all := strings.Join(got, "\n")
	for _, want := range []string{"/etc/services:not there", "/etc/inetd.conf:", "no live or captured socket state"} {
		if !strings.Contains(all, want) {
			t.Errorf("gaps lack %q:\n%s", want, all)
		}
	}
}

func TestSRCGroup(t *testing.T) {
	f := build(t, map[string]string{
		"etc/inittab":  "rcnfs:23456789:wait:/etc/rc.nfs > /dev/console 2>&1\n",
		"etc/rc.tcpip": "",
		"etc/rc.nfs":   "if [ -f /etc/exports ]; then\n\tstartsrc -g nfs\nfi\n",
		"etc/services": "nfsd 2049/tcp\n",
	})
	s := find(t, f, "rpc.statd", "/etc/rc.nfs")
	if !s.Enabled || s.Program != "/usr/sbin/rpc.statd" || s.Source.Line != 2 {
		t.Errorf("rpc.statd from startsrc -g nfs: %+v", s)
	}
}
