package lssrc

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"bastion/internal/parse"
)

// all is lssrc -a from an AIX 7.2 host (shortened).
const all = `Subsystem         Group            PID          Status 
 syslogd          ras              3932286      active
 sendmail         mail             4063360      active
 portmap          portmap          3604640      active
 inetd            tcpip            2490704      active
 snmpd            tcpip            4128918      active
 xntpd            tcpip                         inoperative
 cthags           cthags                        inoperative
 ctrmc            rsct             5505126      active
 pmperfrec                                      inoperative
 clcomd           caa              6881362      active
 writesrv         spooler                       inoperative
 lpd              spooler                       inoperative
 sshd             ssh              21496092     active
 aso                               7274836      active
`

// longInetd is lssrc -ls inetd.
const longInetd = `Subsystem         Group            PID          Status
 inetd            tcpip            2490704      active

Debug         Not active

Signal        Purpose
 SIGALRM      Establishes socket connections for failed services.
 SIGHUP       Rereads the configuration database and reconfigures services.

 SIGCHLD      Restarts the service in case the service ends abnormally.

Service       Command                  Description              Status
 caa_cfg      /usr/sbin/clusterconf    clusterconf              active
 xmquery      /usr/bin/xmtopas         xmtopas -p3              active
 time         internal                                          active
 ftp          /usr/sbin/ftpd           ftpd                     active
 telnet       /usr/sbin/telnetd        telnetd -a               active
`

func TestParse(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []Subsystem
	}{
		{
			name: "lssrc -a",
			in:   all,
			want: []Subsystem{
				{Line: 2, Name: "syslogd", Group: "ras", PID: 3932286, Status: "active"},
				{Line: 3, Name: "sendmail", Group: "mail", PID: 4063360, Status: "active"},
				{Line: 4, Name: "portmap", Group: "portmap", PID: 3604640, Status: "active"},
				{Line: 5, Name: "inetd", Group: "tcpip", PID: 2490704, Status: "active"},
				{Line: 6, Name: "snmpd", Group: "tcpip", PID: 4128918, Status: "active"},
				{Line: 7, Name: "xntpd", Group: "tcpip", Status: "inoperative"},
				{Line: 8, Name: "cthags", Group: "cthags", Status: "inoperative"},
				{Line: 9, Name: "ctrmc", Group: "rsct", PID: 5505126, Status: "active"},
				{Line: 10, Name: "pmperfrec", Status: "inoperative"},
				{Line: 11, Name: "clcomd", Group: "caa", PID: 6881362, Status: "active"},
				{Line: 12, Name: "writesrv", Group: "spooler", Status: "inoperative"},
				{Line: 13, Name: "lpd", Group: "spooler", Status: "inoperative"},
				{Line: 14, Name: "sshd", Group: "ssh", PID: 21496092, Status: "active"},
				{Line: 15, Name: "aso", PID: 7274836, Status: "active"},
			},
		},
		{
			name: "lssrc -ls inetd",
			in:   longInetd,
			want: []Subsystem{
				{Line: 2, Name: "inetd", Group: "tcpip", PID: 2490704, Status: "active"},
			},
		},
		{
			name: "group that looks like a number, by header offsets",
			in: "Subsystem         Group            PID          Status\r\n" +
				" odd              42                            inoperative\r\n" +
				" gil                                1234         active\r\n",
			want: []Subsystem{
				{Line: 2, Name: "odd", Group: "42", Status: "inoperative"},
				{Line: 3, Name: "gil", PID: 1234, Status: "active"},
			},
		},
		{
			name: "no header",
			in: " inetd            tcpip            2490704      active\n" +
				" xntpd            tcpip                         inoperative\n" +
				" aso                               7274836      active\n" +
				" gil                                            active\n",
			want: []Subsystem{
				{Line: 1, Name: "inetd", Group: "tcpip", PID: 2490704, Status: "active"},
				{Line: 2, Name: "xntpd", Group: "tcpip", Status: "inoperative"},
				{Line: 3, Name: "aso", PID: 7274836, Status: "active"},
				{Line: 4, Name: "gil", Status: "active"},
			},
		},
		{
			name: "two lssrc -s captures, one failed",
			in: "Subsystem         Group            PID          Status\n" +
				" sendmail         mail                          inoperative\n" +
				"0513-085 The dhcpsd Subsystem is not on file.\n" +
				" stray row after the message\n" +
				"Subsystem         Group            PID          Status\n" +
				" snmpd            tcpip            4128918      active\n",
			want: []Subsystem{
				{Line: 2, Name: "sendmail", Group: "mail", Status: "inoperative"},
				{Line: 6, Name: "snmpd", Group: "tcpip", PID: 4128918, Status: "active"},
			},
		},
		{name: "header only", in: "Subsystem         Group            PID          Status\n"},
		{name: "empty", in: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(strings.NewReader(tt.in), "lssrc-a.out")
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("Parse mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	const header = "Subsystem         Group            PID          Status\n"
	const good = " inetd            tcpip            2490704      active\n"
	tests := []struct {
		name string
		in   string
		line int
		want string
	}{
		{"no status", header + good + " inetd\n" + good, 3, `subsystem "inetd" has no status`},
		{"PID as status", header + good + " inetd            tcpip            2490704\n" + good, 3, `subsystem "inetd" has no status`},
		{"too many fields", header + good + " inetd            tcp ip           2490704      active\n" + good, 3, "expected subsystem, group, PID and status, found 5 fields"},
		{"PID not a number", header + good + " inetd            tcpip            24907x4      active\n" + good, 3, `PID "24907x4" of subsystem "inetd" is not a number`},
		{"word in PID column", header + good + " inetd                             pid          active\n" + good, 3, `PID "pid" of subsystem "inetd" is not a number`},
		{"error message instead of header", "0513-085 The foo Subsystem is not on file.\n" + good + good, 1, `expected the lssrc header or a subsystem row, found "0513-085 The foo Subsystem is not on file."`},
		{"long message", strings.Repeat("x", 60) + "\n" + good + good, 1, `expected the lssrc header or a subsystem row, found "` + strings.Repeat("x", 50) + `..."`},
		{"bad row without header", good + " inetd tcpip 12x active\n" + good, 2, `PID "12x" of subsystem "inetd" is not a number`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(strings.NewReader(tt.in), "lssrc.out")
			if err == nil {
				t.Fatalf("Parse returned no error; subsystems %+v", got)
			}
			if len(got) != 2 {
				t.Errorf("got %d subsystems, want the 2 good ones: %+v", len(got), got)
			}
			want := fmt.Sprintf("lssrc.out:%d: %s", tt.line, tt.want)
			if err.Error() != want {
				t.Errorf("error = %q, want %q", err, want)
			}
			if list := parse.List(err); len(list) != 1 || list[0].Line != tt.line {
				t.Errorf("parse.List(err) = %v, want one error at line %d", list, tt.line)
			}
		})
	}
}

func TestParseSubservers(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []Subserver
	}{
		{
			name: "lssrc -ls inetd",
			in:   longInetd,
			want: []Subserver{
				{Line: 13, Service: "caa_cfg", Command: "/usr/sbin/clusterconf", Description: "clusterconf", Status: "active"},
				{Line: 14, Service: "xmquery", Command: "/usr/bin/xmtopas", Description: "xmtopas -p3", Status: "active"},
				{Line: 15, Service: "time", Command: "internal", Status: "active"},
				{Line: 16, Service: "ftp", Command: "/usr/sbin/ftpd", Description: "ftpd", Status: "active"},
				{Line: 17, Service: "telnet", Command: "/usr/sbin/telnetd", Description: "telnetd -a", Status: "active"},
			},
		},
		{
			name: "long command, description only, crlf, table ends",
			in: "Service       Command                  Description              Status\r\n" +
				" rstatd       /usr/lib/netsvc/rstat/rpc.rstatd rpc.rstatd      active\r\n" +
				" odd                                    odd  args                active\r\n" +
				"Something else\r\n" +
				" not a subserver row\r\n",
			want: []Subserver{
				{Line: 2, Service: "rstatd", Command: "/usr/lib/netsvc/rstat/rpc.rstatd", Description: "rpc.rstatd", Status: "active"},
				{Line: 3, Service: "odd", Description: "odd  args", Status: "active"},
			},
		},
		{
			name: "subsystem rows only",
			in:   all,
		},
		{name: "empty", in: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseSubservers(strings.NewReader(tt.in), "lssrc-ls-inetd.out")
			if err != nil {
				t.Fatalf("ParseSubservers: %v", err)
			}
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("ParseSubservers mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseSubserversErrors(t *testing.T) {
	in := "Service       Command                  Description              Status\n" +
		" ftp          /usr/sbin/ftpd           ftpd                     active\n" +
		" ftp          active\n" +
		" telnet       /usr/sbin/telnetd        telnetd -a               active\n"
	got, err := ParseSubservers(strings.NewReader(in), "inetd.out")
	if len(got) != 2 || got[0].Line != 2 || got[1].Line != 4 {
		t.Errorf("good lines around the bad one: got %+v", got)
	}
	want := "inetd.out:3: expected service, command, description and status, found 2 fields"
	if err == nil || err.Error() != want {
		t.Errorf("error = %v, want %q", err, want)
	}
	if list := parse.List(err); len(list) != 1 || list[0].Line != 3 {
		t.Errorf("parse.List(err) = %v, want one error at line 3", list)
	}
}

func TestParseReadError(t *testing.T) {
	boom := errors.New("boom")
	if got, err := Parse(iotest.ErrReader(boom), "lssrc.out"); got != nil || !errors.Is(err, boom) {
		t.Errorf("Parse = %v, %v; want nil and an error wrapping boom", got, err)
	}
	if got, err := ParseSubservers(iotest.ErrReader(boom), "lssrc.out"); got != nil || !errors.Is(err, boom) {
		t.Errorf("ParseSubservers = %v, %v; want nil and an error wrapping boom", got, err)
	}
}
