package inetd

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"

	"bastion/internal/parse"
)

// ent builds a plain entry for the want tables.
func ent(line int, service, sock, proto, wait, user, server string, args ...string) Entry {
	return Entry{Line: line, Service: service, SocketType: sock, Proto: proto,
		Wait: wait, User: user, Server: server, Args: args}
}

// off marks an entry as commented out.
func off(e Entry) Entry { e.Commented = true; return e }

// aixRPC sets the RPC fields of an AIX sunrpc_* entry from its arguments.
func aixRPC(e Entry) Entry {
	e.RPCProgram = atoi(e.Args[1])
	e.RPCVersions = e.Args[2]
	return e
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}

func readFixture(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func parseFixture(t *testing.T, name string) *File {
	t.Helper()
	text := readFixture(t, name)
	f, err := Parse(strings.NewReader(text), "/etc/inetd.conf")
	if err != nil {
		t.Fatalf("Parse(%s): %v", name, err)
	}
	if got := string(f.Bytes()); got != text {
		t.Errorf("Bytes() does not give %s back", name)
	}
	return f
}

func TestParseAIX433Default(t *testing.T) {
	f := parseFixture(t, "aix433.conf")
	want := []Entry{
		ent(13, "ftp", "stream", "tcp6", "nowait", "root", "/usr/sbin/ftpd", "ftpd"),
		ent(14, "telnet", "stream", "tcp6", "nowait", "root", "/usr/sbin/telnetd", "telnetd", "-a"),
		ent(15, "shell", "stream", "tcp6", "nowait", "root", "/usr/sbin/rshd", "rshd"),
		ent(16, "kshell", "stream", "tcp", "nowait", "root", "/usr/sbin/krshd", "krshd"),
		ent(17, "login", "stream", "tcp6", "nowait", "root", "/usr/sbin/rlogind", "rlogind"),
		ent(18, "klogin", "stream", "tcp", "nowait", "root", "/usr/sbin/krlogind", "krlogind"),
		ent(19, "exec", "stream", "tcp6", "nowait", "root", "/usr/sbin/rexecd", "rexecd"),
		off(ent(20, "comsat", "dgram", "udp", "wait", "root", "/usr/sbin/comsat", "comsat")),
		off(ent(21, "uucp", "stream", "tcp", "nowait", "root", "/usr/sbin/uucpd", "uucpd")),
		ent(22, "bootps", "dgram", "udp", "wait", "root", "/usr/sbin/bootpd", "bootpd", "/etc/bootptab"),
		ent(23, "tftp", "dgram", "udp6", "SRC", "nobody", "/usr/sbin/tftpd", "tftpd", "-n"),
		off(ent(24, "finger", "stream", "tcp", "nowait", "nobody", "/usr/sbin/fingerd", "fingerd")),
		off(ent(25, "systat", "stream", "tcp", "nowait", "nobody", "/usr/bin/ps", "ps", "-ef")),
		off(ent(26, "netstat", "stream", "tcp", "nowait", "nobody", "/usr/bin/netstat", "netstat", "-f", "inet")),
		off(ent(27, "talk", "dgram", "udp", "wait", "root", "/usr/sbin/talkd", "talkd")),
		ent(28, "ntalk", "dgram", "udp", "wait", "root", "/usr/sbin/talkd", "talkd"),
		aixRPC(ent(29, "rstatd", "sunrpc_udp", "udp", "wait", "root", "/usr/sbin/rpc.rstatd", "rstatd", "100001", "1-3")),
		aixRPC(ent(30, "rusersd", "sunrpc_udp", "udp", "wait", "root", "/usr/lib/netsvc/rusers/rpc.rusersd", "rusersd", "100002", "1-2")),
		aixRPC(ent(31, "rwalld", "sunrpc_udp", "udp", "wait", "root", "/usr/lib/netsvc/rwall/rpc.rwalld", "rwalld", "100008", "1")),
		aixRPC(ent(32, "sprayd", "sunrpc_udp", "udp", "wait", "root", "/usr/lib/netsvc/spray/rpc.sprayd", "sprayd", "100012", "1")),
		aixRPC(ent(33, "pcnfsd", "sunrpc_udp", "udp", "wait", "root", "/usr/sbin/rpc.pcnfsd", "pcnfsd", "150001", "1-2")),
		off(aixRPC(ent(34, "rexd", "sunrpc_tcp", "tcp", "wait", "root", "/usr/sbin/rpc.rexd", "rexd", "100017", "1"))),
		ent(35, "echo", "stream", "tcp", "nowait", "root", "internal"),
		ent(36, "discard", "stream", "tcp", "nowait", "root", "internal"),
		ent(37, "chargen", "stream", "tcp", "nowait", "root", "internal"),
		ent(38, "daytime", "stream", "tcp", "nowait", "root", "internal"),
		ent(39, "time", "stream", "tcp", "nowait", "root", "internal"),
		ent(40, "echo", "dgram", "udp", "wait", "root", "internal"),
		ent(41, "discard", "dgram", "udp", "wait", "root", "internal"),
		ent(42, "chargen", "dgram", "udp", "wait", "root", "internal"),
		ent(43, "daytime", "dgram", "udp", "wait", "root", "internal"),
		ent(44, "time", "dgram", "udp", "wait", "root", "internal"),
		aixRPC(ent(45, "ttdbserver", "sunrpc_tcp", "tcp", "wait", "root", "/usr/dt/bin/rpc.ttdbserver", "rpc.ttdbserver", "100083", "1")),
		aixRPC(ent(46, "ssalld", "sunrpc_tcp", "tcp", "wait", "root", "/usr/sbin/rpc.ssalld", "rpc.ssalld", "300667", "1")),
		ent(47, "instsrv", "stream", "tcp", "nowait", "netinst", "/home/netinst/bin/instsrv", "instsrv", "-r", "/tmp/netinstalllog", "/home/netinst/scripts"),
		ent(48, "dtspc", "stream", "tcp", "nowait", "root", "/usr/dt/bin/dtspcd", "/usr/dt/bin/dtspcd"),
		aixRPC(ent(49, "cmsd", "sunrpc_udp", "udp", "wait", "root", "/usr/dt/bin/rpc.cmsd", "cmsd", "100068", "2-5")),
	}
	if diff := cmp.Diff(want, f.Entries); diff != "" {
		t.Errorf("entries (-want +got):\n%s", diff)
	}

	// The seed lists 30 services active by default, 8 of them RPC.
	active, rpc := 0, 0
	for _, e := range f.Entries {
		if e.Commented {
			continue
		}
		active++
		if e.RPC() {
			rpc++
		}
	}
	if active != 30 || rpc != 8 {
		t.Errorf("active entries = %d (RPC %d), want 30 (RPC 8)", active, rpc)
	}
}

func TestParseAIX72(t *testing.T) {
	f := parseFixture(t, "aix72.conf")
	var active []Entry
	commented := 0
	for _, e := range f.Entries {
		if e.Commented {
			commented++
			continue
		}
		active = append(active, e)
	}
	want := []Entry{
		ent(36, "daytime", "stream", "tcp", "nowait", "root", "internal"),
		ent(37, "time", "stream", "tcp", "nowait", "root", "internal"),
		ent(41, "daytime", "dgram", "udp", "wait", "root", "internal"),
		ent(42, "time", "dgram", "udp", "wait", "root", "internal"),
		ent(46, "caa_cfg", "stream", "tcp6", "nowait", "root", "/usr/sbin/clusterconf",
			"clusterconf", ">>/var/adm/ras/clusterconf.log", "2>&1"),
		ent(47, "wsmserver", "stream", "tcp", "nowait", "root", "/usr/websm/bin/wsmserver", "wsmserver", "-start"),
		ent(48, "xmquery", "dgram", "udp6", "wait", "root", "/usr/bin/xmtopas", "xmtopas", "-p3"),
	}
	if diff := cmp.Diff(want, active); diff != "" {
		t.Errorf("active entries (-want +got):\n%s", diff)
	}
	if commented != 28 {
		t.Errorf("commented entries = %d, want 28", commented)
	}

	// chsubserver matches the protocol column exactly.
	if got := f.Find("telnet", "tcp6"); len(got) != 1 || !got[0].Commented || got[0].Line != 15 {
		t.Errorf("Find(telnet, tcp6) = %+v, want the commented line 15", got)
	}
	if got := f.Find("telnet", "tcp"); len(got) != 0 {
		t.Errorf("Find(telnet, tcp) = %+v, want none", got)
	}
	if got := f.Find("time", ""); len(got) != 2 {
		t.Errorf("Find(time, \"\") found %d entries, want 2", len(got))
	}
	rq := f.Find("rquotad", "udp")
	if len(rq) != 1 || rq[0].RPCProgram != 100011 || rq[0].RPCVersions != "1" || !rq[0].RPC() {
		t.Errorf("Find(rquotad, udp) = %+v, want RPC program 100011 version 1", rq)
	}
}

func TestParseDebianOpenBSD(t *testing.T) {
	f := parseFixture(t, "debian-openbsd.conf")
	want := []Entry{
		off(ent(17, "discard", "stream", "tcp", "nowait", "root", "internal")),
		off(ent(18, "discard", "dgram", "udp", "wait", "root", "internal")),
		off(ent(19, "daytime", "stream", "tcp", "nowait", "root", "internal")),
		off(ent(20, "time", "stream", "tcp", "nowait", "root", "internal")),
		off(ent(23, "telnet", "stream", "tcp", "nowait", "root", "/usr/sbin/tcpd", "/usr/sbin/in.telnetd")),
		ent(24, "ftp", "stream", "tcp", "nowait", "root", "/usr/sbin/tcpd", "/usr/sbin/in.ftpd"),
		off(ent(27, "talk", "dgram", "udp", "wait", "nobody.tty", "/usr/sbin/in.talkd", "in.talkd")),
		off(ent(28, "ntalk", "dgram", "udp", "wait", "nobody.tty", "/usr/sbin/in.ntalkd", "in.ntalkd")),
		ent(29, "login", "stream", "tcp", "nowait", "root", "/usr/sbin/tcpd", "in.rlogind"),
		ent(34, "ident", "stream", "tcp", "nowait", "identd", "/usr/sbin/identd", "identd"),
		ent(35, "5666", "stream", "tcp", "nowait", "nagios", "/usr/sbin/tcpd", "/usr/sbin/nrpe", "-c", "/etc/nagios/nrpe.cfg", "--inetd"),
		ent(39, "tftp", "dgram", "udp4", "wait", "nobody", "/usr/sbin/tcpd", "/usr/sbin/in.tftpd", "--secure", "/srv/tftp"),
		{Line: 42, Service: "rstatd", SocketType: "dgram", Proto: "rpc/udp", Wait: "wait", User: "root",
			Server: "/usr/sbin/tcpd", Args: []string{"/usr/sbin/rpc.rstatd"}, RPCName: "rstatd", RPCVersions: "1-5"},
		{Line: 43, Commented: true, Service: "rusersd", SocketType: "dgram", Proto: "rpc/udp", Wait: "wait", User: "root",
			Server: "/usr/sbin/tcpd", Args: []string{"/usr/sbin/rpc.rusersd"}, RPCName: "rusersd", RPCVersions: "2-3"},
		{Line: 49, Service: "swat", Host: "127.0.0.1", SocketType: "stream", Proto: "tcp", Wait: "nowait", Max: 400,
			User: "root", Server: "/usr/sbin/swat", Args: []string{"swat"}},
		{Line: 50, Service: "rsync", Host: "127.0.0.1", SocketType: "stream", Proto: "tcp", SocketOptions: []string{"rcvbuf=64k"},
			Wait: "nowait", User: "root:root", Server: "/usr/bin/rsync", Args: []string{"rsyncd", "--daemon"}},
		{Line: 52, Service: "9102", Host: "::1", SocketType: "stream", Proto: "tcp6", Wait: "nowait", User: "bacula",
			Server: "/usr/sbin/bacula-fd", Args: []string{"bacula-fd", "-c", "/etc/bacula/bacula-fd.conf"}},
		ent(53, "/run/printer.sock", "stream", "unix", "nowait", "lp", "/usr/lib/cups/daemon/cups-lpd",
			"cups-lpd", "-o", "document-format=application/octet-stream"),
	}
	if diff := cmp.Diff(want, f.Entries); diff != "" {
		t.Errorf("entries (-want +got):\n%s", diff)
	}

	daemons := map[int]string{}
	for _, e := range f.Entries {
		daemons[e.Line] = e.Daemon()
	}
	wantDaemons := map[int]string{
		17: "", 18: "", 19: "", 20: "",
		23: "/usr/sbin/in.telnetd",
		24: "/usr/sbin/in.ftpd",
		27: "/usr/sbin/in.talkd",
		28: "/usr/sbin/in.ntalkd",
		29: "/usr/sbin/in.rlogind", // relative to tcpd's directory
		34: "/usr/sbin/identd",
		35: "/usr/sbin/nrpe",
		39: "/usr/sbin/in.tftpd",
		42: "/usr/sbin/rpc.rstatd",
		43: "/usr/sbin/rpc.rusersd",
		49: "/usr/sbin/swat",
		50: "/usr/bin/rsync",
		52: "/usr/sbin/bacula-fd",
		53: "/usr/lib/cups/daemon/cups-lpd",
	}
	if diff := cmp.Diff(wantDaemons, daemons); diff != "" {
		t.Errorf("Daemon() by line (-want +got):\n%s", diff)
	}
}

func TestParseInetutils(t *testing.T) {
	f := parseFixture(t, "inetutils.conf")
	want := []Entry{
		ent(14, "echo", "stream", "tcp", "nowait", "root", "internal"),
		ent(15, "echo", "dgram", "udp", "wait", "root", "internal"),
		off(ent(16, "chargen", "stream", "tcp", "nowait", "root", "internal")),
		ent(19, "ftp", "stream", "tcp", "nowait", "root", "/usr/sbin/tcpd", "/usr/sbin/ftpd"),
		ent(20, "ftp", "stream", "tcp6", "nowait", "root", "/usr/sbin/tcpd", "/usr/sbin/ftpd"),
		ent(21, "telnet", "stream", "tcp", "nowait", "root", "/usr/sbin/tcpd", "/usr/sbin/telnetd"),
		ent(24, "shell", "stream", "tcp", "nowait", "root", "/usr/sbin/tcpd", "/usr/sbin/rshd"),
		ent(25, "login", "stream", "tcp", "nowait", "root", "/usr/sbin/tcpd", "/usr/sbin/rlogind"),
		ent(26, "exec", "stream", "tcp", "nowait", "root", "/usr/sbin/tcpd", "/usr/sbin/rexecd"),
		ent(27, "talk", "dgram", "udp", "wait", "nobody.tty", "/usr/sbin/tcpd", "/usr/sbin/talkd"),
		ent(30, "finger", "stream", "tcp", "nowait", "nobody", "/usr/sbin/tcpd", "/usr/sbin/fingerd", "-l"),
		{Line: 34, Service: "tftp", SocketType: "dgram", Proto: "udp", Wait: "wait", Max: 100, User: "nobody",
			Server: "/usr/sbin/tcpd", Args: []string{"/usr/sbin/tftpd", "/srv/tftp"}},
		{Line: 37, Service: "rusersd", SocketType: "dgram", Proto: "rpc/udp", Wait: "wait", User: "root",
			Server: "/usr/sbin/tcpd", Args: []string{"/usr/sbin/rpc.rusersd"}, RPCName: "rusersd", RPCVersions: "2-3"},
	}
	if diff := cmp.Diff(want, f.Entries); diff != "" {
		t.Errorf("entries (-want +got):\n%s", diff)
	}
	if got := f.Find("ftp", ""); len(got) != 2 || got[1].IPv6() == got[0].IPv6() {
		t.Errorf("Find(ftp, \"\") = %+v, want a tcp and a tcp6 entry", got)
	}
}

func TestParseForms(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []Entry
	}{
		{
			name: "CRLF line endings and trailing blanks",
			in:   "# comment\r\nftp\tstream\ttcp6\tnowait\troot\t/usr/sbin/ftpd\tftpd -l \t\r\n\r\n",
			want: []Entry{ent(2, "ftp", "stream", "tcp6", "nowait", "root", "/usr/sbin/ftpd", "ftpd", "-l")},
		},
		{
			name: "no final newline",
			in:   "echo stream tcp nowait root internal",
			want: []Entry{ent(1, "echo", "stream", "tcp", "nowait", "root", "internal")},
		},
		{
			name: "indented entry and indented comment",
			in:   "   echo stream tcp nowait root internal\n   #chargen stream tcp nowait root internal\n",
			want: []Entry{
				ent(1, "echo", "stream", "tcp", "nowait", "root", "internal"),
				off(ent(2, "chargen", "stream", "tcp", "nowait", "root", "internal")),
			},
		},
		{
			name: "trailing comment",
			in:   "telnet stream tcp6 nowait root /usr/sbin/telnetd telnetd -a # CIS 1.3.25\n",
			want: []Entry{ent(1, "telnet", "stream", "tcp6", "nowait", "root", "/usr/sbin/telnetd", "telnetd", "-a")},
		},
		{
			name: "hash inside a word is not a comment",
			in:   "foo stream tcp nowait root /usr/local/bin/foo foo -x#1\n",
			want: []Entry{ent(1, "foo", "stream", "tcp", "nowait", "root", "/usr/local/bin/foo", "foo", "-x#1")},
		},
		{
			name: "several hashes and off marker",
			in:   "##time dgram udp wait root internal\n#<off>#time stream tcp nowait root internal\n",
			want: []Entry{
				off(ent(1, "time", "dgram", "udp", "wait", "root", "internal")),
				off(ent(2, "time", "stream", "tcp", "nowait", "root", "internal")),
			},
		},
		{
			name: "commented entries that are not valid are plain comments",
			in: "# service  socket  protocol  wait/  user    server    server program\n" +
				"#<off># telnet stream tcp nowait root\n" +
				"#ftp stream tcp6 nowait root ftpd\n" +
				"#127.0.0.1:\n" +
				"daytime stream tcp nowait root internal\n",
			want: []Entry{ent(5, "daytime", "stream", "tcp", "nowait", "root", "internal")},
		},
		{
			name: "host prefix and default host",
			in: "192.0.2.1:ftp stream tcp nowait root /usr/sbin/ftpd ftpd\n" +
				"[2001:db8::1]:telnet stream tcp6 nowait root /usr/sbin/tcpd in.telnetd\n" +
				"*:daytime stream tcp nowait root internal\n" +
				"127.0.0.1,::1:\n" +
				"#echo stream tcp nowait root internal\n" +
				"time stream tcp nowait root internal\n" +
				"10.0.0.1: discard stream tcp nowait root internal\n" +
				":chargen stream tcp nowait root internal\n" +
				"[*]:\n" +
				"echo dgram udp wait root internal\n",
			want: []Entry{
				{Line: 1, Service: "ftp", Host: "192.0.2.1", SocketType: "stream", Proto: "tcp", Wait: "nowait", User: "root", Server: "/usr/sbin/ftpd", Args: []string{"ftpd"}},
				{Line: 2, Service: "telnet", Host: "2001:db8::1", SocketType: "stream", Proto: "tcp6", Wait: "nowait", User: "root", Server: "/usr/sbin/tcpd", Args: []string{"in.telnetd"}},
				ent(3, "daytime", "stream", "tcp", "nowait", "root", "internal"),
				{Line: 5, Commented: true, Service: "echo", Host: "127.0.0.1,::1", SocketType: "stream", Proto: "tcp", Wait: "nowait", User: "root", Server: "internal"},
				{Line: 6, Service: "time", Host: "127.0.0.1,::1", SocketType: "stream", Proto: "tcp", Wait: "nowait", User: "root", Server: "internal"},
				{Line: 7, Service: "discard", Host: "10.0.0.1", SocketType: "stream", Proto: "tcp", Wait: "nowait", User: "root", Server: "internal"},
				ent(8, "chargen", "stream", "tcp", "nowait", "root", "internal"),
				ent(10, "echo", "dgram", "udp", "wait", "root", "internal"),
			},
		},
		{
			name: "unix socket keeps its path and ignores the default host",
			in:   "localhost:\n/var/run/x:y stream unix nowait root /usr/sbin/xd xd\n",
			want: []Entry{ent(2, "/var/run/x:y", "stream", "unix", "nowait", "root", "/usr/sbin/xd", "xd")},
		},
		{
			name: "socket options, max, user forms and socket types",
			in: "sane stream tcp,sndbuf=1m,rcvbuf=16384 nowait.1000 saned:saned /usr/sbin/saned saned\n" +
				"rawd raw tcp4 wait root.system /usr/sbin/rawd rawd\n" +
				"rdmd rdm udp46 wait root /usr/sbin/rdmd rdmd\n" +
				"seqd seqpacket tcp46 nowait root /usr/sbin/seqd\n",
			want: []Entry{
				{Line: 1, Service: "sane", SocketType: "stream", Proto: "tcp", SocketOptions: []string{"sndbuf=1m", "rcvbuf=16384"},
					Wait: "nowait", Max: 1000, User: "saned:saned", Server: "/usr/sbin/saned", Args: []string{"saned"}},
				ent(2, "rawd", "raw", "tcp4", "wait", "root.system", "/usr/sbin/rawd", "rawd"),
				ent(3, "rdmd", "rdm", "udp46", "wait", "root", "/usr/sbin/rdmd", "rdmd"),
				ent(4, "seqd", "seqpacket", "tcp46", "nowait", "root", "/usr/sbin/seqd"),
			},
		},
		{
			name: "RPC forms",
			in: "rquotad/1 dgram rpc/udp wait root /usr/sbin/rpc.rquotad rquotad\n" +
				"mountd/1-3 stream rpc/tcp6 nowait root /usr/sbin/rpc.mountd mountd\n" +
				"cmsd sunrpc_udp udp wait root /usr/dt/bin/rpc.cmsd cmsd 100068 2-5 -s\n",
			want: []Entry{
				{Line: 1, Service: "rquotad", SocketType: "dgram", Proto: "rpc/udp", Wait: "wait", User: "root",
					Server: "/usr/sbin/rpc.rquotad", Args: []string{"rquotad"}, RPCName: "rquotad", RPCVersions: "1"},
				{Line: 2, Service: "mountd", SocketType: "stream", Proto: "rpc/tcp6", Wait: "nowait", User: "root",
					Server: "/usr/sbin/rpc.mountd", Args: []string{"mountd"}, RPCName: "mountd", RPCVersions: "1-3"},
				{Line: 3, Service: "cmsd", SocketType: "sunrpc_udp", Proto: "udp", Wait: "wait", User: "root",
					Server: "/usr/dt/bin/rpc.cmsd", Args: []string{"cmsd", "100068", "2-5", "-s"}, RPCProgram: 100068, RPCVersions: "2-5"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse(strings.NewReader(tt.in), "inetd.conf")
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if diff := cmp.Diff(tt.want, f.Entries); diff != "" {
				t.Errorf("entries (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		line string
		want string // the whole message for line 2
	}{
		{"too few fields", "ftp stream tcp6", "inetd.conf:2: want at least 6 fields, got 3"},
		{"internal without user", "echo stream tcp nowait internal", "inetd.conf:2: want at least 6 fields, got 5"},
		{"host only with blank, too few", "10.0.0.1: ftp stream", "inetd.conf:2: want at least 6 fields, got 2"},
		{"single word", "ftp", "inetd.conf:2: want at least 6 fields, got 1"},
		{"unknown socket type", "ftp streams tcp nowait root /usr/sbin/ftpd ftpd", `inetd.conf:2: unknown socket type "streams"`},
		{"unknown protocol", "ftp stream tcp5 nowait root /usr/sbin/ftpd ftpd", `inetd.conf:2: unknown protocol "tcp5"`},
		{"unknown rpc protocol", "x/1 dgram rpc/icmp wait root /usr/sbin/x x", `inetd.conf:2: unknown protocol "rpc/icmp"`},
		{"bad socket option", "ftp stream tcp,window=1 nowait root /usr/sbin/ftpd ftpd", `inetd.conf:2: bad socket option "window=1": want sndbuf=size or rcvbuf=size`},
		{"bad buffer size", "ftp stream tcp,rcvbuf=0 nowait root /usr/sbin/ftpd ftpd", `inetd.conf:2: bad buffer size "0" in socket option "rcvbuf=0"`},
		{"bad buffer unit", "ftp stream tcp,rcvbuf=64g nowait root /usr/sbin/ftpd ftpd", `inetd.conf:2: bad buffer size "64g" in socket option "rcvbuf=64g"`},
		{"too many socket options", "ftp stream tcp,rcvbuf=1,sndbuf=1,rcvbuf=2 nowait root /usr/sbin/ftpd ftpd", "inetd.conf:2: too many socket options in protocol field"},
		{"bad wait", "ftp stream tcp nowiat root /usr/sbin/ftpd ftpd", `inetd.conf:2: bad wait field "nowiat": want wait, nowait or SRC`},
		{"bad max", "ftp stream tcp nowait.lots root /usr/sbin/ftpd ftpd", `inetd.conf:2: bad maximum "lots" in wait field "nowait.lots"`},
		{"zero max", "ftp stream tcp nowait.0 root /usr/sbin/ftpd ftpd", `inetd.conf:2: bad maximum "0" in wait field "nowait.0"`},
		{"SRC with max", "tftp dgram udp6 SRC.5 nobody /usr/sbin/tftpd tftpd -n", `inetd.conf:2: bad wait field "SRC.5": SRC takes no maximum`},
		{"relative server", "ftp stream tcp nowait root ftpd ftpd", `inetd.conf:2: server "ftpd" is neither an absolute path nor internal`},
		{"sunrpc without program", "rstatd sunrpc_udp udp wait root /usr/sbin/rpc.rstatd rstatd", "inetd.conf:2: sunrpc_udp entry has no RPC program number (want it as the second server argument)"},
		{"sunrpc with name for program", "rstatd sunrpc_udp udp wait root /usr/sbin/rpc.rstatd rstatd rstatprog 1-3", `inetd.conf:2: sunrpc_udp entry has RPC program number "rstatprog", want a positive number`},
		{"sunrpc without version", "ttdbserver sunrpc_tcp tcp wait root /usr/dt/bin/rpc.ttdbserver rpc.ttdbserver 100083", "inetd.conf:2: sunrpc_tcp entry has no RPC version (want it as the third server argument)"},
		{"sunrpc bad version", "cmsd sunrpc_udp udp wait root /usr/dt/bin/rpc.cmsd cmsd 100068 5-2", `inetd.conf:2: bad RPC version "5-2"`},
		{"rpc without versions", "rstatd dgram rpc/udp wait root /usr/sbin/rpc.rstatd rpc.rstatd", `inetd.conf:2: RPC service "rstatd" wants name/versions`},
		{"rpc bad versions", "rstatd/1-x dgram rpc/udp wait root /usr/sbin/rpc.rstatd rpc.rstatd", `inetd.conf:2: bad RPC version "1-x" in "rstatd/1-x"`},
		{"rpc empty version", "rstatd/ dgram rpc/udp wait root /usr/sbin/rpc.rstatd rpc.rstatd", `inetd.conf:2: bad RPC version "" in "rstatd/"`},
		{"port out of range", "70000 stream tcp nowait root /usr/sbin/x x", "inetd.conf:2: port 70000 out of range 1-65535"},
		{"port zero", "0 stream tcp nowait root /usr/sbin/x x", "inetd.conf:2: port 0 out of range 1-65535"},
		{"host without service", "127.0.0.1: stream tcp nowait root /usr/sbin/x x y", `inetd.conf:2: unknown socket type "tcp"`},
		{"empty address in list", "127.0.0.1,,::1:ftp stream tcp nowait root /usr/sbin/ftpd ftpd", `inetd.conf:2: empty address in host list "127.0.0.1,,::1"`},
		{"empty address in host line", "127.0.0.1,:", `inetd.conf:2: empty address in host list "127.0.0.1,"`},
		{"bad address in blank-separated host", "a,,b: ftp stream tcp nowait root /usr/sbin/ftpd ftpd", `inetd.conf:2: empty address in host list "a,,b"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := "echo stream tcp nowait root internal\n" + tt.line + "\ntime stream tcp nowait root internal\n"
			f, err := Parse(strings.NewReader(in), "inetd.conf")
			if f == nil {
				t.Fatalf("Parse returned no file (err %v)", err)
			}
			if err == nil {
				t.Fatalf("Parse: no error, want %q", tt.want)
			}
			if got := err.Error(); got != tt.want {
				t.Errorf("error = %q, want %q", got, tt.want)
			}
			list := parse.List(err)
			if len(list) != 1 || list[0].Line != 2 || list[0].File != "inetd.conf" {
				t.Errorf("parse.List(err) = %+v, want one error at inetd.conf:2", list)
			}
			// The good lines around the bad one are still returned.
			if len(f.Entries) != 2 || f.Entries[0].Line != 1 || f.Entries[1].Line != 3 {
				t.Errorf("entries = %+v, want lines 1 and 3", f.Entries)
			}
			if string(f.Bytes()) != in {
				t.Errorf("Bytes() = %q, want the input back", f.Bytes())
			}
		})
	}
}

func TestEntryMethods(t *testing.T) {
	type result struct {
		Internal, RPC, IPv6 bool
		Transport, Daemon   string
	}
	tests := []struct {
		line string
		want result
	}{
		{"echo stream tcp nowait root internal", result{Internal: true, Transport: "tcp"}},
		{"time dgram udp wait root internal", result{Internal: true, Transport: "udp"}},
		{"ftp stream tcp6 nowait root /usr/sbin/ftpd ftpd", result{IPv6: true, Transport: "tcp", Daemon: "/usr/sbin/ftpd"}},
		{"tftp dgram udp6 SRC nobody /usr/sbin/tftpd tftpd -n", result{IPv6: true, Transport: "udp", Daemon: "/usr/sbin/tftpd"}},
		{"tftp dgram udp4 wait nobody /usr/sbin/tcpd /usr/sbin/in.tftpd", result{Transport: "udp", Daemon: "/usr/sbin/in.tftpd"}},
		{"telnet stream tcp nowait root /usr/sbin/tcpd in.telnetd", result{Transport: "tcp", Daemon: "/usr/sbin/in.telnetd"}},
		{"telnet stream tcp nowait root /usr/local/libexec/tcpd in.telnetd -h", result{Transport: "tcp", Daemon: "/usr/local/libexec/in.telnetd"}},
		{"x stream tcp nowait root /usr/sbin/tcpd", result{Transport: "tcp", Daemon: "/usr/sbin/tcpd"}},
		{"x stream tcp nowait root /usr/sbin/tcpdump tcpdump", result{Transport: "tcp", Daemon: "/usr/sbin/tcpdump"}},
		{"rstatd sunrpc_udp udp wait root /usr/sbin/rpc.rstatd rstatd 100001 1-3", result{RPC: true, Transport: "udp", Daemon: "/usr/sbin/rpc.rstatd"}},
		{"ttdbserver sunrpc_tcp tcp wait root /usr/dt/bin/rpc.ttdbserver rpc.ttdbserver 100083 1", result{RPC: true, Transport: "tcp", Daemon: "/usr/dt/bin/rpc.ttdbserver"}},
		{"mountd/1-3 stream rpc/tcp6 nowait root /usr/sbin/rpc.mountd mountd", result{RPC: true, IPv6: true, Transport: "tcp", Daemon: "/usr/sbin/rpc.mountd"}},
		{"/run/x.sock stream unix nowait root /usr/sbin/xd xd", result{Transport: "", Daemon: "/usr/sbin/xd"}},
	}
	for _, tt := range tests {
		f, err := Parse(strings.NewReader(tt.line), "inetd.conf")
		if err != nil || len(f.Entries) != 1 {
			t.Fatalf("Parse(%q) = %v, %v", tt.line, f, err)
		}
		e := f.Entries[0]
		got := result{e.Internal(), e.RPC(), e.IPv6(), e.Transport(), e.Daemon()}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%q (-want +got):\n%s", tt.line, diff)
		}
	}

	// Entries built by hand without a protocol fall back on the socket type.
	for sock, want := range map[string]string{"stream": "tcp", "sunrpc_tcp": "tcp", "dgram": "udp", "sunrpc_udp": "udp", "raw": ""} {
		if got := (Entry{SocketType: sock}).Transport(); got != want {
			t.Errorf("Entry{SocketType: %q}.Transport() = %q, want %q", sock, got, want)
		}
	}
}

func TestParseEmptyAndUnreadable(t *testing.T) {
	f, err := Parse(strings.NewReader(""), "inetd.conf")
	if err != nil || f == nil || len(f.Entries) != 0 || len(f.Bytes()) != 0 {
		t.Errorf("Parse(empty) = %+v, %v; want an empty file", f, err)
	}
	f, err = Parse(iotest.ErrReader(errors.New("input/output error")), "inetd.conf")
	if f != nil || err == nil || !strings.HasPrefix(err.Error(), "inetd.conf: ") {
		t.Errorf("Parse(failing reader) = %v, %v; want nil and an error naming the file", f, err)
	}
}
