package knowledge

import "testing"

// seedDaemons are the programs of the AIX tutorial's port table and of its
// inittab, rc.tcpip and inetd.conf listings, plus the common Linux daemons
// the inventory must know.
var seedDaemons = []string{
	// port table
	"inetd", "ftpd", "telnetd", "sendmail", "bootpd", "portmap", "snmpd", "dtlogin", "dpid2",
	"rexecd", "rlogind", "rshd", "syslogd", "talkd", "krlogind", "krshd", "rpc.statd", "instsrv",
	"writesrv", "X", "dtspcd", "dtgreet", "rpc.ttdbserver", "rpc.cmsd", "httpdlite",
	// inittab
	"mkatmpvc", "atmsvcd", "srcmstr", "rc.netware", "cnsview", "pioinit", "qdaemon", "logsymptom",
	"diagd", "imnss", "imq_start", "pmd", "getty", "rc.dt",
	// rc.tcpip
	"dhcpcd", "autoconf6", "ndpd-host", "ndpd-router", "lpd", "routed", "gated", "named", "timed",
	"xntpd", "rwhod", "dhcpsd", "dhcprd", "mrouted", "muxatmd", "x_st_mgrd",
	// inetd.conf
	"tftpd", "rpc.rstatd", "rpc.rusersd", "rpc.rwalld", "rpc.sprayd", "rpc.pcnfsd", "rpc.ssalld",
	// Linux
	"sshd", "master", "exim4", "vsftpd", "proftpd", "rpcbind", "nfsd", "smbd", "nmbd", "cupsd",
	"avahi-daemon", "ntpd", "chronyd", "rsyslogd", "xinetd", "in.telnetd", "in.tftpd", "in.fingerd",
}

func TestCoverage(t *testing.T) {
	for _, n := range seedDaemons {
		if _, ok := Lookup(n); !ok {
			t.Errorf("no knowledge of %s", n)
		}
	}
	if _, ok := Lookup("/usr/sbin/no-such-daemon"); ok {
		t.Error("Lookup found a daemon that does not exist")
	}
}

func TestEntries(t *testing.T) {
	for _, d := range All() {
		if len(d.Names) == 0 || d.Title == "" || d.Risk == "" {
			t.Errorf("%v: names, title and risk are required", d.Names)
		}
		for _, p := range d.Ports {
			if p.Proto != "tcp" && p.Proto != "udp" {
				t.Errorf("%s: port proto %q", d.Names[0], p.Proto)
			}
			if p.Number < 0 || p.Number > 65535 {
				t.Errorf("%s: port %d", d.Names[0], p.Number)
			}
			if p.Number == 0 && p.Name == "" && p.Service == "" {
				t.Errorf("%s: a dynamic port needs a name", d.Names[0])
			}
		}
		for _, s := range d.Spawns {
			if _, ok := Lookup(s); !ok {
				t.Errorf("%s spawns unknown %s", d.Names[0], s)
			}
		}
	}
}

func TestLookups(t *testing.T) {
	d, ok := Subsystem("writesrv")
	if !ok || d.Path != "/usr/sbin/writesrv" {
		t.Errorf("Subsystem(writesrv) = %v, %v", d, ok)
	}
	d, _ = Lookup("/usr/lib/sendmail")
	if d == nil || d.Names[0] != "sendmail" {
		t.Fatalf("Lookup(/usr/lib/sendmail) = %v", d)
	}
	if d.Listens([]string{"-q30m"}) {
		t.Error("sendmail without -bd listens")
	}
	if !d.Listens([]string{"-bd", "-q30m"}) || !d.Listens([]string{"-bd -q30m"}) {
		t.Error("sendmail with -bd does not listen")
	}
	if d.Program("") != "/usr/sbin/sendmail" || d.Program("/usr/lib/sendmail") != "/usr/lib/sendmail" {
		t.Error("Program")
	}
}
