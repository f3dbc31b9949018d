package sysvrc

import (
	"strings"
	"testing"

	"bastion/internal/parse"

	"github.com/google/go-cmp/cmp"
)

// Debian's /etc/init.d/ssh: tabs after the colons, an empty Default-Stop.
const debianSSH = "#! /bin/sh\n" +
	"\n" +
	"### BEGIN INIT INFO\n" +
	"# Provides:\t\tsshd\n" +
	"# Required-Start:\t$remote_fs $syslog\n" +
	"# Required-Stop:\t$remote_fs $syslog\n" +
	"# Default-Start:\t2 3 4 5\n" +
	"# Default-Stop:\t\t\n" +
	"# Short-Description:\tOpenBSD Secure Shell server\n" +
	"### END INIT INFO\n" +
	"\n" +
	"set -e\n" +
	"\n" +
	"# /etc/init.d/ssh: start and stop the OpenBSD \"secure shell(tm)\" daemon\n" +
	"\n" +
	"test -x /usr/sbin/sshd || exit 0\n"

// Debian's /etc/init.d/vsftpd: a continued description and a quoted DAEMON.
const debianVsftpd = `#!/bin/sh

### BEGIN INIT INFO
# Provides:		vsftpd
# Required-Start:	$network $remote_fs $syslog
# Required-Stop:	$network $remote_fs $syslog
# Default-Start:	2 3 4 5
# Default-Stop:		0 1 6
# Short-Description:	Very secure FTP server
# Description:		Provides a lightweight, efficient FTP server written
#			for security.
### END INIT INFO

set -e

DAEMON="/usr/sbin/vsftpd"
NAME="vsftpd"
PATH="/sbin:/bin:/usr/sbin:/usr/bin"
LOGFILE="/var/log/vsftpd.log"
CHROOT="/var/run/vsftpd/empty"

test -x "${DAEMON}" || exit 0
`

// Debian's rsync script: extension fields, Should-Start, a description
// continued with spaces, CRLF line endings.
const debianRsync = "#! /bin/sh\r\n" +
	"\r\n" +
	"### BEGIN INIT INFO\r\n" +
	"# Provides:          rsyncd\r\n" +
	"# Required-Start:    $remote_fs $syslog\r\n" +
	"# Required-Stop:     $remote_fs $syslog\r\n" +
	"# Should-Start:      $named autofs\r\n" +
	"# Default-Start:     2 3 4 5\r\n" +
	"# Default-Stop:\r\n" +
	"# X-Interactive:     true\r\n" +
	"# Short-Description: fast remote file copy program daemon\r\n" +
	"# Description:       rsync is a program that allows files to be copied to and\r\n" +
	"#                    from remote machines in much the same way as rcp.\r\n" +
	"#                    This provides rsyncd daemon functionality.\r\n" +
	"### END INIT INFO   \r\n" +
	"\r\n" +
	"set -e\r\n" +
	"\r\n" +
	"# /etc/init.d/rsync: start and stop the rsync daemon\r\n" +
	"\r\n" +
	"DAEMON=/usr/bin/rsync\r\n" +
	"RSYNC_ENABLE=false\r\n"

// A Red Hat script: chkconfig comments before the block, exec= after it.
const redhatVsftpd = `#!/bin/bash
#
# vsftpd      This shell script takes care of starting and stopping
#             standalone vsftpd.
#
# chkconfig: - 60 50
# description: Vsftpd is a ftp daemon, which is the program \
#              that answers incoming ftp service requests.
# processname: vsftpd
# config: /etc/vsftpd/vsftpd.conf

### BEGIN INIT INFO
# Provides: vsftpd
# Required-Start: $local_fs $network $named $remote_fs $syslog
# Required-Stop: $local_fs $network $named $remote_fs $syslog
# Short-Description: Very Secure Ftp Daemon
# Description: vsftpd is a Very Secure FTP daemon. It was written completely from
#              scratch
### END INIT INFO

# Source function library.
. /etc/rc.d/init.d/functions

RETVAL=0
prog="vsftpd"
exec="/usr/sbin/vsftpd"
`

// A hand-written script: odd case, a field indented like a continuation,
// a repeated field, blank lines and bare "#" lines inside the block.
const handWritten = `#!/bin/sh
### BEGIN INIT INFO
# provides: tftpd-hpa
#
#  Required-Start: $network
#    $syslog

# Default-Start: 2 3 4 5
# Default-Start: 3
#   5
# Default-Stop:
#	0 1 6
#   X-Interactive: true
# Should-Stop: $syslog
# Short-Description: TFTP server
#   see: in.tftpd(8)
# X-Start-Before: xinetd
### END INIT INFO
DAEMON=/usr/sbin/$NAME
export DAEMON=/usr/sbin/in.tftpd   # the server
`

func TestParseLSB(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want *Header
	}{
		{
			name: "debian ssh",
			in:   debianSSH,
			want: &Header{
				Line: 3, End: 10,
				Provides:         []string{"sshd"},
				RequiredStart:    []string{"$remote_fs", "$syslog"},
				RequiredStop:     []string{"$remote_fs", "$syslog"},
				DefaultStart:     []string{"2", "3", "4", "5"},
				ShortDescription: "OpenBSD Secure Shell server",
				Fields: map[string]string{
					"Provides":          "sshd",
					"Required-Start":    "$remote_fs $syslog",
					"Required-Stop":     "$remote_fs $syslog",
					"Default-Start":     "2 3 4 5",
					"Default-Stop":      "",
					"Short-Description": "OpenBSD Secure Shell server",
				},
			},
		},
		{
			name: "debian vsftpd",
			in:   debianVsftpd,
			want: &Header{
				Line: 3, End: 12,
				Provides:         []string{"vsftpd"},
				RequiredStart:    []string{"$network", "$remote_fs", "$syslog"},
				RequiredStop:     []string{"$network", "$remote_fs", "$syslog"},
				DefaultStart:     []string{"2", "3", "4", "5"},
				DefaultStop:      []string{"0", "1", "6"},
				ShortDescription: "Very secure FTP server",
				Description:      "Provides a lightweight, efficient FTP server written for security.",
				Fields: map[string]string{
					"Provides":          "vsftpd",
					"Required-Start":    "$network $remote_fs $syslog",
					"Required-Stop":     "$network $remote_fs $syslog",
					"Default-Start":     "2 3 4 5",
					"Default-Stop":      "0 1 6",
					"Short-Description": "Very secure FTP server",
					"Description":       "Provides a lightweight, efficient FTP server written for security.",
				},
				Daemon: "/usr/sbin/vsftpd", DaemonLine: 16,
			},
		},
		{
			name: "debian rsync with CRLF",
			in:   debianRsync,
			want: &Header{
				Line: 3, End: 15,
				Provides:         []string{"rsyncd"},
				RequiredStart:    []string{"$remote_fs", "$syslog"},
				RequiredStop:     []string{"$remote_fs", "$syslog"},
				ShouldStart:      []string{"$named", "autofs"},
				DefaultStart:     []string{"2", "3", "4", "5"},
				ShortDescription: "fast remote file copy program daemon",
				Description:      "rsync is a program that allows files to be copied to and from remote machines in much the same way as rcp. This provides rsyncd daemon functionality.",
				Fields: map[string]string{
					"Provides":          "rsyncd",
					"Required-Start":    "$remote_fs $syslog",
					"Required-Stop":     "$remote_fs $syslog",
					"Should-Start":      "$named autofs",
					"Default-Start":     "2 3 4 5",
					"Default-Stop":      "",
					"X-Interactive":     "true",
					"Short-Description": "fast remote file copy program daemon",
					"Description":       "rsync is a program that allows files to be copied to and from remote machines in much the same way as rcp. This provides rsyncd daemon functionality.",
				},
				Daemon: "/usr/bin/rsync", DaemonLine: 21,
			},
		},
		{
			name: "red hat vsftpd",
			in:   redhatVsftpd,
			want: &Header{
				Line: 12, End: 19,
				Provides:         []string{"vsftpd"},
				RequiredStart:    []string{"$local_fs", "$network", "$named", "$remote_fs", "$syslog"},
				RequiredStop:     []string{"$local_fs", "$network", "$named", "$remote_fs", "$syslog"},
				ShortDescription: "Very Secure Ftp Daemon",
				Description:      "vsftpd is a Very Secure FTP daemon. It was written completely from scratch",
				Fields: map[string]string{
					"Provides":          "vsftpd",
					"Required-Start":    "$local_fs $network $named $remote_fs $syslog",
					"Required-Stop":     "$local_fs $network $named $remote_fs $syslog",
					"Short-Description": "Very Secure Ftp Daemon",
					"Description":       "vsftpd is a Very Secure FTP daemon. It was written completely from scratch",
				},
				Daemon: "/usr/sbin/vsftpd", DaemonLine: 26,
			},
		},
		{
			name: "hand written",
			in:   handWritten,
			want: &Header{
				Line: 2, End: 18,
				Provides:         []string{"tftpd-hpa"},
				RequiredStart:    []string{"$network", "$syslog"},
				ShouldStop:       []string{"$syslog"},
				DefaultStart:     []string{"2", "3", "4", "5"},
				DefaultStop:      []string{"0", "1", "6"},
				ShortDescription: "TFTP server see: in.tftpd(8)",
				Fields: map[string]string{
					"Short-Description": "TFTP server see: in.tftpd(8)",
					"provides":          "tftpd-hpa",
					"Required-Start":    "$network $syslog",
					"Default-Start":     "2 3 4 5",
					"Default-Stop":      "0 1 6",
					"X-Interactive":     "true",
					"Should-Stop":       "$syslog",
					"X-Start-Before":    "xinetd",
				},
				Daemon: "/usr/sbin/in.tftpd", DaemonLine: 20,
			},
		},
		{
			name: "no block",
			in:   "#!/bin/sh\n# chkconfig: 2345 55 25\n# description: the portmapper\nexit 0\n",
		},
		{
			name: "empty",
			in:   "",
		},
		{
			name: "empty block",
			in:   "### BEGIN INIT INFO\n### END INIT INFO\n",
			want: &Header{Line: 1, End: 2, Fields: map[string]string{}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseLSB(strings.NewReader(tt.in), "init.d/x")
			if err != nil {
				t.Fatalf("ParseLSB: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParseLSB (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseLSBErrors(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want *Header
		errs []string
	}{
		{
			name: "begin without end",
			in:   "#!/bin/sh\n### BEGIN INIT INFO\n# Provides: portmap\n# Default-Start: 2 3 4 5\n\nDAEMON=/sbin/portmap\n",
			want: &Header{
				Line:         2,
				Provides:     []string{"portmap"},
				DefaultStart: []string{"2", "3", "4", "5"},
				Fields:       map[string]string{"Provides": "portmap", "Default-Start": "2 3 4 5"},
				Daemon:       "/sbin/portmap", DaemonLine: 6,
			},
			errs: []string{
				"init.d/portmap:6: line in INIT INFO block does not start with #",
				"init.d/portmap:2: ### BEGIN INIT INFO without ### END INIT INFO",
			},
		},
		{
			name: "malformed lines",
			in: "### BEGIN INIT INFO\n" +
				"#\tstray continuation\n" +
				"# Provides: nfs-kernel-server\n" +
				"# free text without a field\n" +
				"# Default Start: 2 3 4 5\n" +
				"Default-Stop: 0 1 6\n" +
				"# Short-Description:  NFS server\n" +
				"#  and its helpers\n" +
				"### END INIT INFO\n",
			want: &Header{
				Line: 1, End: 9,
				Provides:         []string{"nfs-kernel-server"},
				ShortDescription: "NFS server and its helpers",
				Fields: map[string]string{
					"Provides":          "nfs-kernel-server",
					"Short-Description": "NFS server and its helpers",
				},
			},
			errs: []string{
				`init.d/portmap:2: malformed field line "stray continuation" in INIT INFO block`,
				`init.d/portmap:4: malformed field line "free text without a field" in INIT INFO block`,
				`init.d/portmap:5: malformed field line "Default Start: 2 3 4 5" in INIT INFO block`,
				"init.d/portmap:6: line in INIT INFO block does not start with #",
			},
		},
		{
			name: "long line is clipped",
			in:   "### BEGIN INIT INFO\n# " + strings.Repeat("y", 80) + "\n### END INIT INFO\n",
			want: &Header{Line: 1, End: 3, Fields: map[string]string{}},
			errs: []string{`init.d/portmap:2: malformed field line "` + strings.Repeat("y", 60) + `..." in INIT INFO block`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseLSB(strings.NewReader(tt.in), "init.d/portmap")
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParseLSB (-want +got):\n%s", diff)
			}
			var msgs []string
			for _, e := range parse.List(err) {
				msgs = append(msgs, e.Error())
			}
			if diff := cmp.Diff(tt.errs, msgs); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
		})
	}
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errDisk{} }

type errDisk struct{}

func (errDisk) Error() string { return "input/output error" }

func TestParseLSBReadError(t *testing.T) {
	h, err := ParseLSB(failingReader{}, "init.d/ssh")
	if h != nil || err == nil {
		t.Fatalf("ParseLSB = %v, %v; want nil and an error", h, err)
	}
	if got, want := err.Error(), "init.d/ssh: read: input/output error"; got != want {
		t.Errorf("error = %q, want %q", got, want)
	}
}

func TestDaemon(t *testing.T) {
	tests := []struct {
		name  string
		lines []string
		want  string
		line  int
	}{
		{"plain", []string{"#!/bin/sh", "DAEMON=/usr/sbin/sshd"}, "/usr/sbin/sshd", 2},
		{"double quotes", []string{`DAEMON="/usr/sbin/vsftpd"`}, "/usr/sbin/vsftpd", 1},
		{"single quotes and comment", []string{`DAEMON='/usr/sbin/inetd' # the superserver`}, "/usr/sbin/inetd", 1},
		{"semicolon", []string{`DAEMON=/usr/sbin/snmpd; NAME=snmpd`}, "/usr/sbin/snmpd", 1},
		{"export", []string{"export DAEMON=/usr/sbin/xinetd"}, "/usr/sbin/xinetd", 1},
		{"readonly", []string{"readonly DAEMON=/usr/sbin/atd"}, "/usr/sbin/atd", 1},
		{"red hat exec", []string{`prog="sshd"`, `exec="/usr/sbin/sshd"`}, "/usr/sbin/sshd", 2},
		{"first wins", []string{"DAEMON=/usr/sbin/a", "DAEMON=/usr/sbin/b"}, "/usr/sbin/a", 1},
		{"variable skipped", []string{"DAEMON=/usr/sbin/$NAME", "DAEMON=/usr/sbin/named"}, "/usr/sbin/named", 2},
		{"command substitution", []string{"DAEMON=`which sshd`"}, "", 0},
		{"default expansion", []string{"DAEMON=${DAEMON:-/usr/sbin/sshd}"}, "", 0},
		{"relative", []string{"DAEMON=sshd"}, "", 0},
		{"indented", []string{"\tDAEMON=/usr/sbin/sshd"}, "", 0},
		{"command follows", []string{"DAEMON=/usr/sbin/sshd /usr/bin/true"}, "", 0},
		{"unterminated quote", []string{`DAEMON="/usr/sbin/sshd`}, "", 0},
		{"space in quotes", []string{`DAEMON="/usr/sbin/ssh d"`}, "", 0},
		{"other variable", []string{"SSHD=/usr/sbin/sshd", "DAEMON_ARGS=-q"}, "", 0},
		{"comment", []string{"# DAEMON=/usr/sbin/sshd"}, "", 0},
		{"none", nil, "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, line := Daemon(tt.lines)
			if got != tt.want || line != tt.line {
				t.Errorf("Daemon(%q) = %q, %d; want %q, %d", tt.lines, got, line, tt.want, tt.line)
			}
		})
	}
}
