package systemd

import (
	"strings"
	"testing"

	"bastion/internal/parse"

	"github.com/google/go-cmp/cmp"
)

// Debian's ssh.service.
const sshService = `[Unit]
Description=OpenBSD Secure Shell server
Documentation=man:sshd(8) man:sshd_config(5)
After=network.target auditd.service
ConditionPathExists=!/etc/ssh/sshd_not_to_be_run

[Service]
EnvironmentFile=-/etc/default/ssh
ExecStartPre=/usr/sbin/sshd -t
ExecStart=/usr/sbin/sshd -D $SSHD_OPTS
ExecReload=/usr/sbin/sshd -t
ExecReload=/bin/kill -HUP $MAINPID
KillMode=process
Restart=on-failure
RestartPreventExitStatus=255
Type=notify
RuntimeDirectory=sshd
RuntimeDirectoryMode=0755

[Install]
WantedBy=multi-user.target
Alias=sshd.service
`

// Debian's ssh.socket, the inetd-style alternative to ssh.service.
const sshSocket = `[Unit]
Description=OpenBSD Secure Shell server socket
Before=sockets.target
ConditionPathExists=!/etc/ssh/sshd_not_to_be_run

[Socket]
ListenStream=22
Accept=yes

[Install]
WantedBy=sockets.target
`

// A drop-in that moves ssh.socket to a loopback port.
const sshSocketDropIn = `# /etc/systemd/system/ssh.socket.d/listen.conf
[Socket]
ListenStream=
ListenStream=127.0.0.1:2222
`

// The RHEL vsftpd.service.
const vsftpdService = "[Unit]\r\n" +
	"Description=Vsftpd ftp daemon\r\n" +
	"After=network.target\r\n" +
	"\r\n" +
	"[Service]\r\n" +
	"Type=forking\r\n" +
	"ExecStart=/usr/sbin/vsftpd /etc/vsftpd/vsftpd.conf\r\n" +
	"\r\n" +
	"[Install]\r\n" +
	"WantedBy=multi-user.target\r\n"

// openSUSE's telnet.socket and telnet@.service.
const telnetSocket = `[Unit]
Description=Telnet Server Activation Socket
Documentation=man:telnetd(8)

[Socket]
ListenStream=23
Accept=true

[Install]
WantedBy=sockets.target
`

const telnetService = `[Unit]
Description=Telnet Server
After=local-fs.target

[Service]
ExecStart=-/usr/sbin/in.telnetd
StandardInput=socket
`

// cups.socket with its Unix socket and a TCP port added by the site.
const cupsSocket = `[Unit]
Description=CUPS Scheduler
PartOf=cups.service

[Socket]
ListenStream=/run/cups/cups.sock
ListenStream=631
	ListenDatagram = 0.0.0.0:631   

[Install]
WantedBy=sockets.target
`

// A unit with continuation lines, comments inside them, ';' comments, a
// repeated section and an indented key.
const continuedService = "\uFEFF; nfs-mountd with a long command line\n" +
	"[Unit]\n" +
	"Description=NFS Mount Daemon\n" +
	"[Service]\n" +
	"ExecStart=/usr/sbin/rpc.mountd \\\n" +
	"    --manage-gids \\\n" +
	"# the port the firewall allows\n" +
	"\t-p 20048\n" +
	"# a comment ending in a backslash continues nothing \\\n" +
	"Type=forking\n" +
	"[Unit]\n" +
	"  After=rpcbind.socket\n" +
	"Environment=A=1 \\\\\n" +
	"Documentation=man:rpc.mountd(8) \\"

func TestParse(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []Section
	}{
		{
			name: "ssh.service",
			in:   sshService,
			want: []Section{
				{Line: 1, Name: "Unit", Entries: []Entry{
					{Line: 2, End: 2, Key: "Description", Value: "OpenBSD Secure Shell server"},
					{Line: 3, End: 3, Key: "Documentation", Value: "man:sshd(8) man:sshd_config(5)"},
					{Line: 4, End: 4, Key: "After", Value: "network.target auditd.service"},
					{Line: 5, End: 5, Key: "ConditionPathExists", Value: "!/etc/ssh/sshd_not_to_be_run"},
				}},
				{Line: 7, Name: "Service", Entries: []Entry{
					{Line: 8, End: 8, Key: "EnvironmentFile", Value: "-/etc/default/ssh"},
					{Line: 9, End: 9, Key: "ExecStartPre", Value: "/usr/sbin/sshd -t"},
					{Line: 10, End: 10, Key: "ExecStart", Value: "/usr/sbin/sshd -D $SSHD_OPTS"},
					{Line: 11, End: 11, Key: "ExecReload", Value: "/usr/sbin/sshd -t"},
					{Line: 12, End: 12, Key: "ExecReload", Value: "/bin/kill -HUP $MAINPID"},
					{Line: 13, End: 13, Key: "KillMode", Value: "process"},
					{Line: 14, End: 14, Key: "Restart", Value: "on-failure"},
					{Line: 15, End: 15, Key: "RestartPreventExitStatus", Value: "255"},
					{Line: 16, End: 16, Key: "Type", Value: "notify"},
					{Line: 17, End: 17, Key: "RuntimeDirectory", Value: "sshd"},
					{Line: 18, End: 18, Key: "RuntimeDirectoryMode", Value: "0755"},
				}},
				{Line: 20, Name: "Install", Entries: []Entry{
					{Line: 21, End: 21, Key: "WantedBy", Value: "multi-user.target"},
					{Line: 22, End: 22, Key: "Alias", Value: "sshd.service"},
				}},
			},
		},
		{
			name: "ssh.socket",
			in:   sshSocket,
			want: []Section{
				{Line: 1, Name: "Unit", Entries: []Entry{
					{Line: 2, End: 2, Key: "Description", Value: "OpenBSD Secure Shell server socket"},
					{Line: 3, End: 3, Key: "Before", Value: "sockets.target"},
					{Line: 4, End: 4, Key: "ConditionPathExists", Value: "!/etc/ssh/sshd_not_to_be_run"},
				}},
				{Line: 6, Name: "Socket", Entries: []Entry{
					{Line: 7, End: 7, Key: "ListenStream", Value: "22"},
					{Line: 8, End: 8, Key: "Accept", Value: "yes"},
				}},
				{Line: 10, Name: "Install", Entries: []Entry{
					{Line: 11, End: 11, Key: "WantedBy", Value: "sockets.target"},
				}},
			},
		},
		{
			name: "drop-in",
			in:   sshSocketDropIn,
			want: []Section{
				{Line: 2, Name: "Socket", Entries: []Entry{
					{Line: 3, End: 3, Key: "ListenStream", Value: ""},
					{Line: 4, End: 4, Key: "ListenStream", Value: "127.0.0.1:2222"},
				}},
			},
		},
		{
			name: "vsftpd.service with CRLF",
			in:   vsftpdService,
			want: []Section{
				{Line: 1, Name: "Unit", Entries: []Entry{
					{Line: 2, End: 2, Key: "Description", Value: "Vsftpd ftp daemon"},
					{Line: 3, End: 3, Key: "After", Value: "network.target"},
				}},
				{Line: 5, Name: "Service", Entries: []Entry{
					{Line: 6, End: 6, Key: "Type", Value: "forking"},
					{Line: 7, End: 7, Key: "ExecStart", Value: "/usr/sbin/vsftpd /etc/vsftpd/vsftpd.conf"},
				}},
				{Line: 9, Name: "Install", Entries: []Entry{
					{Line: 10, End: 10, Key: "WantedBy", Value: "multi-user.target"},
				}},
			},
		},
		{
			name: "telnet@.service",
			in:   telnetService,
			want: []Section{
				{Line: 1, Name: "Unit", Entries: []Entry{
					{Line: 2, End: 2, Key: "Description", Value: "Telnet Server"},
					{Line: 3, End: 3, Key: "After", Value: "local-fs.target"},
				}},
				{Line: 5, Name: "Service", Entries: []Entry{
					{Line: 6, End: 6, Key: "ExecStart", Value: "-/usr/sbin/in.telnetd"},
					{Line: 7, End: 7, Key: "StandardInput", Value: "socket"},
				}},
			},
		},
		{
			name: "cups.socket with tabs and trailing spaces",
			in:   cupsSocket,
			want: []Section{
				{Line: 1, Name: "Unit", Entries: []Entry{
					{Line: 2, End: 2, Key: "Description", Value: "CUPS Scheduler"},
					{Line: 3, End: 3, Key: "PartOf", Value: "cups.service"},
				}},
				{Line: 5, Name: "Socket", Entries: []Entry{
					{Line: 6, End: 6, Key: "ListenStream", Value: "/run/cups/cups.sock"},
					{Line: 7, End: 7, Key: "ListenStream", Value: "631"},
					{Line: 8, End: 8, Key: "ListenDatagram", Value: "0.0.0.0:631"},
				}},
				{Line: 10, Name: "Install", Entries: []Entry{
					{Line: 11, End: 11, Key: "WantedBy", Value: "sockets.target"},
				}},
			},
		},
		{
			name: "continuations and comments",
			in:   continuedService,
			want: []Section{
				{Line: 2, Name: "Unit", Entries: []Entry{
					{Line: 3, End: 3, Key: "Description", Value: "NFS Mount Daemon"},
				}},
				{Line: 4, Name: "Service", Entries: []Entry{
					{Line: 5, End: 8, Key: "ExecStart", Value: "/usr/sbin/rpc.mountd      --manage-gids  \t-p 20048"},
					{Line: 10, End: 10, Key: "Type", Value: "forking"},
				}},
				{Line: 11, Name: "Unit", Entries: []Entry{
					{Line: 12, End: 12, Key: "After", Value: "rpcbind.socket"},
					{Line: 13, End: 13, Key: "Environment", Value: `A=1 \\`},
					{Line: 14, End: 14, Key: "Documentation", Value: "man:rpc.mountd(8)"},
				}},
			},
		},
		{
			name: "empty file",
			in:   "",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, err := Parse(strings.NewReader(tt.in), "unit")
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if diff := cmp.Diff(tt.want, u.Sections); diff != "" {
				t.Errorf("sections (-want +got):\n%s", diff)
			}
			if u.Name != "unit" {
				t.Errorf("Name = %q, want %q", u.Name, "unit")
			}
			if got, want := string(u.Bytes()), normalise(tt.in); got != want {
				t.Errorf("Bytes() = %q, want %q", got, want)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []Section
		errs []string
	}{
		{
			name: "assignment before any section",
			in:   "Description=orphan\n[Unit]\nDescription=kept\n",
			want: []Section{{Line: 2, Name: "Unit", Entries: []Entry{
				{Line: 3, End: 3, Key: "Description", Value: "kept"},
			}}},
			errs: []string{"test.service:1: assignment to Description outside of any section"},
		},
		{
			name: "unterminated section header drops its assignments",
			in:   "[Unit]\nDescription=a\n[Service\nExecStart=/bin/false\n[Install]\nWantedBy=multi-user.target\n",
			want: []Section{
				{Line: 1, Name: "Unit", Entries: []Entry{{Line: 2, End: 2, Key: "Description", Value: "a"}}},
				{Line: 5, Name: "Install", Entries: []Entry{{Line: 6, End: 6, Key: "WantedBy", Value: "multi-user.target"}}},
			},
			errs: []string{`test.service:3: unterminated section header "[Service"`},
		},
		{
			name: "lone bracket",
			in:   "[\n",
			errs: []string{`test.service:1: unterminated section header "["`},
		},
		{
			name: "empty section name",
			in:   "[]\nA=b\n",
			errs: []string{`test.service:1: invalid section name ""`},
		},
		{
			name: "nested bracket",
			in:   "[Se[rvice]\n",
			errs: []string{`test.service:1: invalid section name "Se[rvice"`},
		},
		{
			name: "line without equals sign",
			in:   "[Service]\nExecStart /usr/sbin/sshd -D\nType=notify\n",
			want: []Section{{Line: 1, Name: "Service", Entries: []Entry{
				{Line: 3, End: 3, Key: "Type", Value: "notify"},
			}}},
			errs: []string{`test.service:2: expected [Section] or Key=Value, got "ExecStart /usr/sbin/sshd -D"`},
		},
		{
			name: "assignment without key",
			in:   "[Service]\n  = /usr/sbin/sshd\n",
			want: []Section{{Line: 1, Name: "Service"}},
			errs: []string{"test.service:2: assignment without a key"},
		},
		{
			name: "long garbage is clipped",
			in:   "[Unit]\n" + strings.Repeat("x", 100) + "\n",
			want: []Section{{Line: 1, Name: "Unit"}},
			errs: []string{`test.service:2: expected [Section] or Key=Value, got "` + strings.Repeat("x", 60) + `..."`},
		},
		{
			name: "error in a continued line names its first line",
			in:   "[Service]\nnot an \\\nassignment\nType=simple\n",
			want: []Section{{Line: 1, Name: "Service", Entries: []Entry{
				{Line: 4, End: 4, Key: "Type", Value: "simple"},
			}}},
			errs: []string{`test.service:2: expected [Section] or Key=Value, got "not an  assignment"`},
		},
		{
			name: "several errors",
			in:   "A=1\n[Unit\nB\n",
			errs: []string{
				"test.service:1: assignment to A outside of any section",
				`test.service:2: unterminated section header "[Unit"`,
				`test.service:3: expected [Section] or Key=Value, got "B"`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, err := Parse(strings.NewReader(tt.in), "test.service")
			if u == nil {
				t.Fatalf("Parse returned a nil unit with %v", err)
			}
			if diff := cmp.Diff(tt.want, u.Sections); diff != "" {
				t.Errorf("sections (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.errs, errorLines(err)); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
		})
	}
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errRead }

var errRead = &readError{}

type readError struct{}

func (*readError) Error() string { return "disk on fire" }

func TestParseReadError(t *testing.T) {
	u, err := Parse(failingReader{}, "sshd.service")
	if u != nil || err == nil {
		t.Fatalf("Parse = %v, %v; want nil and an error", u, err)
	}
	if got, want := err.Error(), "sshd.service: read: disk on fire"; got != want {
		t.Errorf("error = %q, want %q", got, want)
	}
}

func TestValues(t *testing.T) {
	socket := mustParse(t, sshSocket, "/lib/systemd/system/ssh.socket")
	dropIn := mustParse(t, sshSocketDropIn, "/etc/systemd/system/ssh.socket.d/listen.conf")
	extra := mustParse(t, "[Socket]\nListenStream=[::1]:2222\nAccept=no\n", "/etc/systemd/system/ssh.socket.d/zz-ipv6.conf")
	cups := mustParse(t, cupsSocket, "cups.socket")
	telnet := mustParse(t, telnetSocket, "telnet.socket")

	if diff := cmp.Diff([]string{"22"}, socket.Values("Socket", "ListenStream")); diff != "" {
		t.Errorf("ssh.socket ListenStream (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"127.0.0.1:2222"}, dropIn.Values("Socket", "ListenStream")); diff != "" {
		t.Errorf("drop-in ListenStream (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"/run/cups/cups.sock", "631"}, cups.Values("Socket", "ListenStream")); diff != "" {
		t.Errorf("cups.socket ListenStream (-want +got):\n%s", diff)
	}
	if got := socket.Values("Socket", "ListenDatagram"); got != nil {
		t.Errorf("ListenDatagram = %q, want nil", got)
	}
	if got := socket.Values("Service", "ListenStream"); got != nil {
		t.Errorf("ListenStream in [Service] = %q, want nil", got)
	}
	if got := socket.Values("Socket", "listenstream"); got != nil {
		t.Errorf("keys are case sensitive, got %q", got)
	}

	if v, ok := telnet.Value("Socket", "Accept"); v != "true" || !ok {
		t.Errorf("telnet.socket Accept = %q, %v; want true", v, ok)
	}
	if v, ok := telnet.Value("Socket", "BindIPv6Only"); v != "" || ok {
		t.Errorf("unset BindIPv6Only = %q, %v; want \"\", false", v, ok)
	}
	reset := mustParse(t, "[Socket]\nAccept=yes\nAccept=\n", "reset.socket")
	if v, ok := reset.Value("Socket", "Accept"); v != "" || !ok {
		t.Errorf("reset Accept = %q, %v; want \"\", true", v, ok)
	}

	// A unit file followed by its drop-ins, in the order systemd reads them.
	if diff := cmp.Diff([]string{"127.0.0.1:2222", "[::1]:2222"},
		StackValues("Socket", "ListenStream", socket, dropIn, extra)); diff != "" {
		t.Errorf("stacked ListenStream (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"22", "[::1]:2222"},
		StackValues("Socket", "ListenStream", socket, nil, extra)); diff != "" {
		t.Errorf("stacked ListenStream without reset (-want +got):\n%s", diff)
	}
	if v, ok := StackValue("Socket", "Accept", socket, dropIn, extra); v != "no" || !ok {
		t.Errorf("stacked Accept = %q, %v; want no", v, ok)
	}
	if v, ok := StackValue("Socket", "Accept"); v != "" || ok {
		t.Errorf("StackValue of no units = %q, %v", v, ok)
	}

	wantAssignments := []Assignment{
		{File: "/etc/systemd/system/ssh.socket.d/listen.conf", Entry: Entry{Line: 4, End: 4, Key: "ListenStream", Value: "127.0.0.1:2222"}},
		{File: "/etc/systemd/system/ssh.socket.d/zz-ipv6.conf", Entry: Entry{Line: 2, End: 2, Key: "ListenStream", Value: "[::1]:2222"}},
	}
	if diff := cmp.Diff(wantAssignments, StackAssignments("Socket", "ListenStream", socket, dropIn, extra)); diff != "" {
		t.Errorf("StackAssignments (-want +got):\n%s", diff)
	}
	a, ok := StackAssignment("Socket", "Accept", socket, dropIn, extra)
	wantLast := Assignment{File: "/etc/systemd/system/ssh.socket.d/zz-ipv6.conf", Entry: Entry{Line: 3, End: 3, Key: "Accept", Value: "no"}}
	if diff := cmp.Diff(wantLast, a); diff != "" || !ok {
		t.Errorf("StackAssignment (-want +got), ok=%v:\n%s", ok, diff)
	}

	// Sections repeated in one file are read as one.
	cont := mustParse(t, continuedService, "nfs-mountd.service")
	if diff := cmp.Diff([]string{"NFS Mount Daemon"}, cont.Values("Unit", "Description")); diff != "" {
		t.Errorf("Description (-want +got):\n%s", diff)
	}
	if v, _ := cont.Value("Unit", "After"); v != "rpcbind.socket" {
		t.Errorf("After in repeated [Unit] = %q", v)
	}
}

func mustParse(t *testing.T, in, name string) *Unit {
	t.Helper()
	u, err := Parse(strings.NewReader(in), name)
	if err != nil {
		t.Fatalf("Parse(%s): %v", name, err)
	}
	return u
}

// errorLines returns the text of every line error within err.
func errorLines(err error) []string {
	var out []string
	for _, e := range parse.List(err) {
		out = append(out, e.Error())
	}
	return out
}

// normalise returns text as Bytes gives it back: lines split as
// parse.SplitLines splits them, each ended by "\n".
func normalise(s string) string {
	if s == "" {
		return ""
	}
	parts := strings.Split(s, "\n")
	if parts[len(parts)-1] == "" {
		parts = parts[:len(parts)-1]
	}
	var b strings.Builder
	for _, p := range parts {
		b.WriteString(strings.TrimSuffix(p, "\r"))
		b.WriteByte('\n')
	}
	return b.String()
}
