package rcscript

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"

	"bastion/internal/parse"
)

// rcTCPIP is an AIX 4.3.3 /etc/rc.tcpip: a start function and its set-up,
// then the daemon section as the default installation ships it.
const rcTCPIP = `#! /bin/bsh
# rc.tcpip - starts the TCP/IP daemons at boot time
#
# start - start a daemon through SRC when srcmstr runs, else directly
#	$1: path of the daemon
#	$2: not empty when SRC should be used
#	$3: arguments for the daemon
start()
{
	[ -x $1 ] || return 0
	subsys=` + "`basename $1`" + `
	if [ -n "$2" ] ; then
		startsrc -s $subsys -a "$3"
	else
		$1 $3 &
		echo "\t$subsys"
	fi
}

# Use SRC when srcmstr is up.
if [ -n "` + "`ps -e | awk '$NF == \\\"srcmstr\\\" {print $1}'`" + `" ] ; then
	src_running=1
else
	src_running=""
fi

echo "Starting tcpip daemons:"
trap 'echo "Finished starting tcpip daemons."' 0

# Start up dhcpcd daemon 
#start /usr/sbin/dhcpcd "$src_running"

# Start up autoconf6 process
#start /usr/sbin/autoconf6 "" 

# Start up ndpd-host daemon
#start /usr/sbin/ndpd-host "$src_running"

# Start up the ndpd-router daemon
#start /usr/sbin/ndpd-router "$src_running"

# Start up syslog daemon (for error and event logging)
start /usr/sbin/syslogd "$src_running"

# Start up print daemon 
#start /usr/sbin/lpd "$src_running"

# Start up routing daemon (only start ONE)
#start /usr/sbin/routed "$src_running" -q
#start /usr/sbin/gated "$src_running"

# Start up the sendmail daemon.

qpi=30m  # 30 minute interval

start /usr/lib/sendmail "$src_running" "-bd -q${qpi}"

# Start up Portmapper
start /usr/sbin/portmap "$src_running"

# Start up socket-based daemons
start /usr/sbin/inetd "$src_running"

# Start up Domain Name daemon
#start /usr/sbin/named "$src_running"

# Start up time daemon
#start /usr/sbin/timed "$src_running"

# Start up Network Time Protocol (NTP) daemon
#start /usr/sbin/xntpd "$src_running"

# Start up rwhod daemon (a time waster)
#start /usr/sbin/rwhod "$src_running"

# Start up the Simple Network Management Protocol (SNMP) daemon
start /usr/sbin/snmpd "$src_running"

# Start up the DHCP Server
#start /usr/sbin/dhcpsd "$src_running"

# Start up the DHCP Relay Agent
#start /usr/sbin/dhcprd "$src_running"

# Start up the DPID2 daemon
start /usr/sbin/dpid2 "$src_running"

# Start up the mrouted daemon
#start /usr/sbin/mrouted "$src_running"
# Start up the atm subagnet daemon muxatmd
#start /usr/sbin/muxatmd "$src_running"
/usr/lpp/x_st_mgr/bin/x_st_mgrd -b /usr/lpp/x_st_mgr/bin/ -s x_st_mgrd
`

// lineOf returns the number of the first line of text that contains s.
func lineOf(t *testing.T, text, s string) int {
	t.Helper()
	for i, l := range strings.Split(text, "\n") {
		if strings.Contains(l, s) {
			return i + 1
		}
	}
	t.Fatalf("no line contains %q", s)
	return 0
}

// tcpip returns the Start of an rc.tcpip start line.
func tcpip(t *testing.T, text, line string, commented bool, args ...string) Start {
	t.Helper()
	fields := strings.Fields(strings.TrimLeft(line, "#"))
	p := fields[1]
	s := Start{
		Line:      lineOf(t, text, line),
		Commented: commented,
		Form:      FormTCPIP,
		Path:      p,
		Program:   p,
		Subsystem: p[strings.LastIndexByte(p, '/')+1:],
		ArgString: strings.Join(args, " "),
	}
	if len(args) > 0 {
		s.Argv = args
	}
	return s
}

func TestParseRCTCPIP(t *testing.T) {
	f, err := Parse(strings.NewReader(rcTCPIP), "rc.tcpip")
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	c := func(line string, args ...string) Start { return tcpip(t, rcTCPIP, line, true, args...) }
	a := func(line string, args ...string) Start { return tcpip(t, rcTCPIP, line, false, args...) }
	want := []Start{
		c(`#start /usr/sbin/dhcpcd "$src_running"`),
		c(`#start /usr/sbin/autoconf6 ""`),
		c(`#start /usr/sbin/ndpd-host "$src_running"`),
		c(`#start /usr/sbin/ndpd-router "$src_running"`),
		a(`start /usr/sbin/syslogd "$src_running"`),
		c(`#start /usr/sbin/lpd "$src_running"`),
		c(`#start /usr/sbin/routed "$src_running" -q`, "-q"),
		c(`#start /usr/sbin/gated "$src_running"`),
		a(`start /usr/lib/sendmail "$src_running"`, "-bd", "-q30m"),
		a(`start /usr/sbin/portmap "$src_running"`),
		a(`start /usr/sbin/inetd "$src_running"`),
		c(`#start /usr/sbin/named "$src_running"`),
		c(`#start /usr/sbin/timed "$src_running"`),
		c(`#start /usr/sbin/xntpd "$src_running"`),
		c(`#start /usr/sbin/rwhod "$src_running"`),
		a(`start /usr/sbin/snmpd "$src_running"`),
		c(`#start /usr/sbin/dhcpsd "$src_running"`),
		c(`#start /usr/sbin/dhcprd "$src_running"`),
		a(`start /usr/sbin/dpid2 "$src_running"`),
		c(`#start /usr/sbin/mrouted "$src_running"`),
		c(`#start /usr/sbin/muxatmd "$src_running"`),
	}
	if diff := cmp.Diff(want, f.Starts); diff != "" {
		t.Errorf("starts (-want +got):\n%s", diff)
	}

	var active []string
	for _, s := range f.Starts {
		if !s.Commented {
			active = append(active, s.Subsystem+" "+s.ArgString)
		}
	}
	wantActive := []string{"syslogd ", "sendmail -bd -q30m", "portmap ", "inetd ", "snmpd ", "dpid2 "}
	if diff := cmp.Diff(wantActive, active); diff != "" {
		t.Errorf("active set (-want +got):\n%s", diff)
	}

	wantCommands := []Command{{
		Line:    lineOf(t, rcTCPIP, "x_st_mgrd -b"),
		Program: "/usr/lpp/x_st_mgr/bin/x_st_mgrd",
		Argv:    []string{"/usr/lpp/x_st_mgr/bin/x_st_mgrd", "-b", "/usr/lpp/x_st_mgr/bin/", "-s", "x_st_mgrd"},
	}}
	if diff := cmp.Diff(wantCommands, f.Commands); diff != "" {
		t.Errorf("commands (-want +got):\n%s", diff)
	}

	// The function body's assignment (subsys) is not a top-level one;
	// src_running takes the last value assigned.
	wantVars := map[string]string{"src_running": "", "qpi": "30m"}
	if diff := cmp.Diff(wantVars, f.Vars); diff != "" {
		t.Errorf("vars (-want +got):\n%s", diff)
	}
	if !bytes.Equal(f.Bytes(), []byte(rcTCPIP)) {
		t.Error("Bytes() differs from the input")
	}
	if f.Name != "rc.tcpip" || len(f.Lines) != strings.Count(rcTCPIP, "\n") {
		t.Errorf("Name %q, %d lines", f.Name, len(f.Lines))
	}
}

// rcNFS is an /etc/rc.nfs in the form of AIX 4.1, whose start function
// takes the subsystem name first and the daemon's path second.
const rcNFS = `#!/bin/bsh
# rc.nfs - start the NFS and NIS daemons
#
# start subsystem path [args]: through SRC when srcmstr runs, otherwise
# run path with args in the background.
start()
{
	daemon=$1
	default_path=$2
	shift; shift
	default_args=$*
	if [ -n "$src_running" ] ; then
		startsrc -s $daemon
	else
		$default_path $default_args &
	fi
}	# end of start

if [ -n "` + "`ps -e | awk '$NF == \"srcmstr\" {print $1}'`" + `" ] ; then
	src_running=1
else
	src_running=""
fi

# Is / local?  Do not start statd and lockd on a diskless client.
REMOTE_ROOT="N"
/usr/sbin/mount | /usr/bin/grep ' / *jfs ' > /dev/null 2>&1 || REMOTE_ROOT="Y"

# Uncomment to set the NIS domain name before NIS starts.
#if [ -x /usr/bin/domainname ]; then
#	/usr/bin/domainname example
#fi

if [ -s /sbin/helpers/nfsmnthelp ]; then
	/sbin/helpers/nfsmnthelp B 0
fi

#if [ -x /usr/lib/netsvc/yp/ypbind ]; then
#	start ypbind /usr/lib/netsvc/yp/ypbind
#fi

#if [ -x /usr/sbin/keyserv ]; then
#	start keyserv /usr/sbin/keyserv
#fi

dspmsg cmdnfs.cat -s 8 1 "starting nfs services:\n"
if [ -x /usr/sbin/biod ]; then
	start biod /usr/sbin/biod 6
fi

# Become an NFS server when /etc/exports exists.
if [ -x /usr/sbin/nfsd -a -f /etc/exports ]; then
	> /etc/xtab
	/usr/sbin/exportfs -a
	start nfsd /usr/sbin/nfsd 8
	start rpc.mountd /usr/sbin/rpc.mountd
fi

# start up status monitor and locking daemon if present
if [ -x /usr/sbin/rpc.statd -a $REMOTE_ROOT = "N" ]; then
	start rpc.statd /usr/sbin/rpc.statd
fi
[ -x /usr/sbin/rpc.lockd -a $REMOTE_ROOT = "N" ] && start rpc.lockd /usr/sbin/rpc.lockd

#DIR=/etc
#if [ -x /usr/lib/netsvc/yp/rpc.yppasswdd -a -f $DIR/passwd ]; then
#	start rpc.yppasswdd /usr/lib/netsvc/yp/rpc.yppasswdd /etc/passwd -m
#fi
`

func TestParseRCNFS(t *testing.T) {
	f, err := Parse(strings.NewReader(rcNFS), "rc.nfs")
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	nfs := func(line string, commented bool, sub, prog, args string) Start {
		s := Start{
			Line: lineOf(t, rcNFS, line), Commented: commented, Form: FormNFS,
			Path: prog, Program: prog, Subsystem: sub, ArgString: args,
		}
		if args != "" {
			s.Argv = strings.Fields(args)
		}
		return s
	}
	want := []Start{
		nfs("start ypbind", true, "ypbind", "/usr/lib/netsvc/yp/ypbind", ""),
		nfs("start keyserv", true, "keyserv", "/usr/sbin/keyserv", ""),
		nfs("start biod", false, "biod", "/usr/sbin/biod", "6"),
		nfs("start nfsd", false, "nfsd", "/usr/sbin/nfsd", "8"),
		nfs("start rpc.mountd", false, "rpc.mountd", "/usr/sbin/rpc.mountd", ""),
		nfs("start rpc.statd", false, "rpc.statd", "/usr/sbin/rpc.statd", ""),
		nfs("start rpc.lockd", false, "rpc.lockd", "/usr/sbin/rpc.lockd", ""),
		nfs("start rpc.yppasswdd", true, "rpc.yppasswdd", "/usr/lib/netsvc/yp/rpc.yppasswdd", "/etc/passwd -m"),
	}
	if diff := cmp.Diff(want, f.Starts); diff != "" {
		t.Errorf("starts (-want +got):\n%s", diff)
	}
	wantCommands := []Command{
		{Line: lineOf(t, rcNFS, "/usr/bin/domainname example"), Commented: true, Program: "/usr/bin/domainname", Argv: []string{"/usr/bin/domainname", "example"}},
		{Line: lineOf(t, rcNFS, "nfsmnthelp B 0"), Program: "/sbin/helpers/nfsmnthelp", Argv: []string{"/sbin/helpers/nfsmnthelp", "B", "0"}},
		{Line: lineOf(t, rcNFS, "exportfs -a"), Program: "/usr/sbin/exportfs", Argv: []string{"/usr/sbin/exportfs", "-a"}},
	}
	if diff := cmp.Diff(wantCommands, f.Commands); diff != "" {
		t.Errorf("commands (-want +got):\n%s", diff)
	}
	// Conditions are not evaluated: the last assignment wins.
	wantVars := map[string]string{"src_running": "", "REMOTE_ROOT": "Y"}
	if diff := cmp.Diff(wantVars, f.Vars); diff != "" {
		t.Errorf("vars (-want +got):\n%s", diff)
	}
}

// rcLocal holds the startsrc forms and other commands a site's own
// start-up script uses.
const rcLocal = `#!/usr/bin/ksh
# rc.local - site start-up
/usr/bin/startsrc -s rpc.statd
startsrc -s sendmail -a "-bd -q30m"
startsrc -g nfs > /dev/null 2>&1
startsrc -sqdaemon
	#  startsrc -s snmpd
startsrc -t ftp      # an inetd subserver, not a subsystem
[ -x /usr/sbin/xntpd ] && startsrc -s xntpd -a "-x"
startsrc -a -v -s $app
startsrc -e "LANG=C" -s writesrv -a -d -a -v
sbindir=/usr/local/sbin
start $sbindir/sshd "$src_running"
start $bindir/ftpd "$src_running" "-l -u${umask}"
start /usr/sbin/xntpd "$src_running" "-x"
start /usr/sbin/routed "$src_running" -q -s
/usr/sbin/no -o clean_partial_conns=1
/usr/sbin/no -o tcp_pmtu_discover=0 ; /usr/sbin/no -o udp_pmtu_discover=0
exec /opt/app/bin/appd -c /etc/app.conf &
nohup $sbindir/agentd >/dev/null 2>&1 &
LIBPATH=/opt/app/lib /opt/app/bin/helper -d
export umask=027 BINDIR=/opt/bin
/usr/bin/echo "done"; /bin/sleep 1; /usr/sbin/stopsrc -s lpd
if [ -x /opt/mon/bin/mond ]; then /opt/mon/bin/mond -p 4000; fi
# /opt/old/bin/oldd was removed
# "/usr/lib/sendmail -bi" rebuilds the aliases
when=` + "`date`" + `
cmd=$(which tool)
`

func TestParseStartsrcAndCommands(t *testing.T) {
	f, err := Parse(strings.NewReader(rcLocal), "rc.local")
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	l := func(s string) int { return lineOf(t, rcLocal, s) }
	want := []Start{
		{Line: 3, Form: FormStartsrc, Subsystem: "rpc.statd"},
		{Line: 4, Form: FormStartsrc, Subsystem: "sendmail", ArgString: "-bd -q30m", Argv: []string{"-bd", "-q30m"}},
		{Line: 5, Form: FormStartsrc, Group: "nfs"},
		{Line: 6, Form: FormStartsrc, Subsystem: "qdaemon"},
		{Line: 7, Commented: true, Form: FormStartsrc, Subsystem: "snmpd"},
		{Line: 9, Form: FormStartsrc, Subsystem: "xntpd", ArgString: "-x", Argv: []string{"-x"}},
		{Line: 10, Form: FormStartsrc, Subsystem: "$app", ArgString: "-v", Argv: []string{"-v"}},
		{Line: 11, Form: FormStartsrc, Subsystem: "writesrv", ArgString: "-d -v", Argv: []string{"-d", "-v"}},
		{Line: l("sshd"), Form: FormTCPIP, Path: "$sbindir/sshd", Program: "/usr/local/sbin/sshd", Subsystem: "sshd"},
		{Line: l("ftpd"), Form: FormTCPIP, Path: "$bindir/ftpd", Program: "$bindir/ftpd", Subsystem: "ftpd",
			ArgString: "-l -u${umask}", Argv: []string{"-l", "-u${umask}"}},
		{Line: l("start /usr/sbin/xntpd"), Form: FormTCPIP, Path: "/usr/sbin/xntpd", Program: "/usr/sbin/xntpd", Subsystem: "xntpd",
			ArgString: "-x", Argv: []string{"-x"}},
		{Line: l("routed"), Form: FormTCPIP, Path: "/usr/sbin/routed", Program: "/usr/sbin/routed", Subsystem: "routed",
			ArgString: "-q -s", Argv: []string{"-q", "-s"}},
	}
	if diff := cmp.Diff(want, f.Starts); diff != "" {
		t.Errorf("starts (-want +got):\n%s", diff)
	}
	wantCommands := []Command{
		{Line: l("clean_partial_conns"), Program: "/usr/sbin/no", Argv: []string{"/usr/sbin/no", "-o", "clean_partial_conns=1"}},
		{Line: l("tcp_pmtu"), Program: "/usr/sbin/no", Argv: []string{"/usr/sbin/no", "-o", "tcp_pmtu_discover=0"}},
		{Line: l("tcp_pmtu"), Program: "/usr/sbin/no", Argv: []string{"/usr/sbin/no", "-o", "udp_pmtu_discover=0"}},
		{Line: l("appd"), Program: "/opt/app/bin/appd", Argv: []string{"/opt/app/bin/appd", "-c", "/etc/app.conf"}},
		{Line: l("agentd"), Program: "/usr/local/sbin/agentd", Argv: []string{"/usr/local/sbin/agentd"}},
		{Line: l("helper"), Program: "/opt/app/bin/helper", Argv: []string{"/opt/app/bin/helper", "-d"}},
		{Line: l("mond"), Program: "/opt/mon/bin/mond", Argv: []string{"/opt/mon/bin/mond", "-p", "4000"}},
		{Line: l("oldd"), Commented: true, Program: "/opt/old/bin/oldd", Argv: []string{"/opt/old/bin/oldd", "was", "removed"}},
	}
	if diff := cmp.Diff(wantCommands, f.Commands); diff != "" {
		t.Errorf("commands (-want +got):\n%s", diff)
	}
	wantVars := map[string]string{"sbindir": "/usr/local/sbin", "umask": "027", "BINDIR": "/opt/bin"}
	if diff := cmp.Diff(wantVars, f.Vars); diff != "" {
		t.Errorf("vars (-want +got):\n%s", diff)
	}
}

func TestVarsInOrder(t *testing.T) {
	const input = `qpi=30m  # 30 minute interval
start /usr/lib/sendmail "$src_running" "-bd -q${qpi}"
qpi=1h
start /usr/lib/sendmail "$src_running" "-bd -q$qpi"
#qpi=5m
dir=/usr/sbin
d="$dir"/x' y'
start $dir/inetd "$src_running"
dir=` + "`pwd`" + `
start $dir/snmpd "$src_running"
`
	f, err := Parse(strings.NewReader(input), "rc.tcpip")
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	var got []string
	for _, s := range f.Starts {
		got = append(got, s.Program+" "+s.ArgString)
	}
	want := []string{"/usr/lib/sendmail -bd -q30m", "/usr/lib/sendmail -bd -q1h", "/usr/sbin/inetd ", "$dir/snmpd "}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("starts (-want +got):\n%s", diff)
	}
	wantVars := map[string]string{"qpi": "1h", "d": "/usr/sbin/x y"}
	if diff := cmp.Diff(wantVars, f.Vars); diff != "" {
		t.Errorf("vars (-want +got):\n%s", diff)
	}
}

func TestMultiLineQuotes(t *testing.T) {
	const input = `USAGE="usage: rc.tcpip
	starts the daemons;
	start /usr/sbin/fake is not a line"
start /usr/sbin/inetd \
	"$src_running"
echo 'it'"'"'s
fine' ; start /usr/sbin/snmpd "$src_running"
# it's a comment with a quote
start /usr/sbin/syslogd "$src_running"
`
	f, err := Parse(strings.NewReader(input), "rc.tcpip")
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	var got []string
	for _, s := range f.Starts {
		got = append(got, s.Subsystem+"@"+string(rune('0'+s.Line)))
	}
	want := []string{"inetd@4", "snmpd@6", "syslogd@9"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("starts (-want +got):\n%s", diff)
	}
}

func TestFunctionsAndCases(t *testing.T) {
	const input = `#!/bin/ksh
function start_all {
	start /usr/sbin/inetd "$src_running"
	/usr/sbin/hidden -d
}
stop() { /usr/sbin/stopper; start /usr/sbin/nope "$src_running"; }
start_one()
{
	if [ -x /usr/sbin/x ]; then
		{ start /usr/sbin/x "$src_running"; }
	fi
}
# start() {
case "$1" in
start)
	start
	;;
'start'|restart) start ;;
stop)	/usr/sbin/stopper ;;
esac
start /usr/sbin/after "$src_running"
`
	f, err := Parse(strings.NewReader(input), "rc.script")
	var msgs []string
	for _, e := range parse.List(err) {
		msgs = append(msgs, e.Error())
	}
	wantErrs := []string{"rc.script:16: start without a daemon path", "rc.script:18: start without a daemon path"}
	if diff := cmp.Diff(wantErrs, msgs); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
	var starts []string
	for _, s := range f.Starts {
		starts = append(starts, s.Program)
	}
	if diff := cmp.Diff([]string{"/usr/sbin/after"}, starts); diff != "" {
		t.Errorf("starts (-want +got):\n%s", diff)
	}
	var cmds []string
	for _, c := range f.Commands {
		cmds = append(cmds, c.Program)
	}
	if diff := cmp.Diff([]string{"/usr/sbin/stopper"}, cmds); diff != "" {
		t.Errorf("commands (-want +got):\n%s", diff)
	}
}

func TestLinuxInitScript(t *testing.T) {
	// A script with its own start function that takes no path is not an
	// rc.tcpip-style script: a bare "start" is no error there.
	const input = `#!/bin/sh
DAEMON=/usr/sbin/sshd
start() {
	$DAEMON -D &
}
case "$1" in
	start)
		start
		;;
	*)
		echo "usage: $0 start" ;;
esac
`
	f, err := Parse(strings.NewReader(input), "sshd")
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if len(f.Starts) != 0 || len(f.Commands) != 0 {
		t.Errorf("starts %+v, commands %+v", f.Starts, f.Commands)
	}
	if f.Vars["DAEMON"] != "/usr/sbin/sshd" {
		t.Errorf("vars %v", f.Vars)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name   string
		input  string
		errs   []string
		starts int
	}{
		{
			name:   "start without path",
			input:  "start /usr/sbin/inetd \"$src_running\"\nstart\nstart \"$src_running\"\nstart \"\" -q\n#start\n",
			errs:   []string{"rc.tcpip:2: start without a daemon path", "rc.tcpip:3: start without a daemon path", "rc.tcpip:4: start without a daemon path"},
			starts: 1,
		},
		{
			name:   "unterminated quote at end of file",
			input:  "start /usr/sbin/inetd \"$src_running\"\nstart /usr/sbin/snmpd \"$src_running\" \"-c public\nstart /usr/sbin/dpid2 \"$src_running\"\n",
			errs:   []string{"rc.tcpip:2: unterminated quote"},
			starts: 2,
		},
		{
			name:   "quote open for too many lines",
			input:  "echo \"a\n" + strings.Repeat("start /usr/sbin/x \"$src_running\" y\n", maxJoin) + "\"\n",
			errs:   []string{"rc.tcpip:1: unterminated quote", fmt.Sprintf("rc.tcpip:%d: unterminated quote", maxJoin+2)},
			starts: maxJoin,
		},
		{
			name:  "continuation over too many lines",
			input: strings.Repeat("start /usr/sbin/x \"$src_running\" \\\n", maxJoin+1) + "-q\n",
			// Lines 1 and 2 start texts longer than maxJoin lines; the
			// one from line 3 fits.
			errs: []string{
				fmt.Sprintf("rc.tcpip:1: line continued by backslashes over more than %d lines", maxJoin),
				fmt.Sprintf("rc.tcpip:2: line continued by backslashes over more than %d lines", maxJoin),
			},
			starts: 1,
		},
		{
			name:  "continuation at end of file",
			input: "start /usr/sbin/inetd \"$src_running\" \\",
		},
		{
			name:   "prose comments are not errors",
			input:  "# start -\n# start the daemon, don't wait\n#start\n# start up status monitor\n",
			starts: 0,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse(strings.NewReader(tt.input), "rc.tcpip")
			var msgs []string
			for _, e := range parse.List(err) {
				msgs = append(msgs, e.Error())
			}
			if diff := cmp.Diff(tt.errs, msgs); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
			if tt.starts != 0 && len(f.Starts) != tt.starts {
				t.Errorf("%d starts, want %d: %+v", len(f.Starts), tt.starts, f.Starts)
			}
		})
	}
}

func TestReadError(t *testing.T) {
	f, err := Parse(iotest.ErrReader(errors.New("boom")), "rc.tcpip")
	if f != nil || err == nil || !strings.HasPrefix(err.Error(), "rc.tcpip: ") {
		t.Errorf("Parse of a failing reader = %v, %v", f, err)
	}
}

func TestFormString(t *testing.T) {
	got := []string{FormTCPIP.String(), FormNFS.String(), FormStartsrc.String(), Form(0).String()}
	want := []string{"start", "start-subsystem", "startsrc", "invalid"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Error(diff)
	}
}

func FuzzParse(f *testing.F) {
	f.Add(rcTCPIP)
	f.Add(rcNFS)
	f.Add(rcLocal)
	f.Add("f() {\n start\n}\r\nstart /a \"$b\" \"c\r\n")
	f.Fuzz(func(t *testing.T, input string) {
		file, err := Parse(strings.NewReader(input), "rc")
		if file == nil {
			t.Fatalf("nil File, error %v", err)
		}
		n := len(file.Lines)
		for _, s := range file.Starts {
			if s.Line < 1 || s.Line > n {
				t.Fatalf("start line %d out of 1..%d", s.Line, n)
			}
			if s.Form < FormTCPIP || s.Form > FormStartsrc {
				t.Fatalf("start with form %d", s.Form)
			}
		}
		for _, c := range file.Commands {
			if c.Line < 1 || c.Line > n || len(c.Argv) == 0 || c.Argv[0] != c.Program {
				t.Fatalf("bad command %+v (lines 1..%d)", c, n)
			}
		}
		if got, want := file.Bytes(), normalise(input); !bytes.Equal(got, want) {
			t.Fatalf("Bytes() = %q, want %q", got, want)
		}
		for _, pe := range parse.List(err) {
			if pe.File != "rc" || pe.Line < 1 || pe.Line > n {
				t.Fatalf("error %v out of range 1..%d", pe, n)
			}
		}
	})
}

// normalise returns input as parse.SplitLines and parse.JoinLines give it
// back: "\r\n" endings become "\n", a final "\r" is dropped, and the text
// ends in a newline.
func normalise(input string) []byte {
	if input == "" {
		return nil
	}
	s := strings.ReplaceAll(input, "\r\n", "\n")
	if !strings.HasSuffix(s, "\n") {
		s = strings.TrimSuffix(s, "\r") + "\n"
	}
	return []byte(s)
}
