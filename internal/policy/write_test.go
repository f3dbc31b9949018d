package policy

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"bastion/internal/severity"
)

// aixDefault reads the services table of the default AIX 4.3.3 host from
// the acceptance data.
func aixDefault(t *testing.T) []InitService {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "acceptance", "aix433-ports-default.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	var out []InitService
	for i, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		if i == 0 {
			continue // header
		}
		f := strings.Split(line, "\t")
		if len(f) != 5 {
			t.Fatalf("acceptance line %d: %q", i+1, line)
		}
		out = append(out, InitService{Name: f[2], Daemon: f[3], StartedFrom: f[4], Listening: true})
	}
	return out
}

func TestWriteRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		in   InitInput
	}{
		{"aix default", InitInput{Host: "aix433", Platform: "aix 4.3.3", Services: aixDefault(t), Date: time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC)}},
		{"empty", InitInput{}},
		{"awkward names", InitInput{Services: []InitService{
			{Name: "yes", Daemon: "/usr/sbin/yesd"},
			{Name: "null"},
			{Name: "123"},
			{Name: "-dash"},
			{Name: "a#b", Daemon: "x\ny", StartedFrom: "/etc/a\r\n#b: c"},
			{Name: "'quote"},
			{Name: "[x]"},
			{Name: "", Daemon: "/usr/local/sbin/mydaemon -d"},
			{Name: "bad name", Daemon: "/usr/sbin/bad"},
			{Name: "ünïcode", Daemon: "\xff\xfe"},
			{Name: "", Daemon: ""},
		}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := Write(&b, tt.in); err != nil {
				t.Fatalf("Write: %v", err)
			}
			p, err := Load(bytes.NewReader(b.Bytes()), "init.yaml")
			if err != nil {
				t.Fatalf("Load of Write's output: %v\n%s", err, b.String())
			}
			for _, s := range tt.in.Services {
				name := s.Name
				if name == "" {
					name = daemonBase(s.Daemon)
				}
				if name == "" || checkName(name) != "" {
					continue
				}
				if !p.Allows(name) {
					t.Errorf("policy does not allow %q", name)
				}
			}
			if p.FailOn != severity.High || p.Router || len(p.Roles) != 0 || len(p.Waivers) != 0 {
				t.Errorf("policy = %+v", p)
			}

			// Uncommenting the suggested roles and the example waiver
			// still gives a policy.
			text := regexp.MustCompile(`(?m)^#(  - |    )`).ReplaceAllString(b.String(), "$1")
			p, err = Load(strings.NewReader(text), "edited.yaml")
			if err != nil {
				t.Fatalf("Load of the edited output: %v\n%s", err, text)
			}
			if len(p.Waivers) != 1 {
				t.Errorf("edited policy has %d waivers, want 1", len(p.Waivers))
			}
		})
	}
}

func TestWriteAIXRoles(t *testing.T) {
	var b bytes.Buffer
	if err := Write(&b, InitInput{Host: "aix433", Services: aixDefault(t)}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"#  - mail-server      # receives mail over SMTP: smtp\n",
		"#  - nfs-client       # mounts file systems over NFS: sunrpc, rpc.statd\n",
		"#  - x-display        # runs a graphical display or CDE desktop: xdmcp, X11, dtspc, dtlogin\n",
		"#  - snmp-managed     # answers SNMP queries from a management station: snmp, smux, dpid2\n",
		"#  - log-host         # receives syslog messages from other hosts: syslog\n",
		"#  - web-server       # serves HTTP: httpd\n",
		"#  - nfs-server       # exports file systems over NFS: sunrpc, rpc.statd\n",
		"  - ftp            # /usr/sbin/ftpd from /etc/inetd.conf; listening\n",
		"  - X11            # /usr/lpp/X11/bin/X (spawned by /etc/rc.dt) from /etc/inittab; listening\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "nis-") {
		t.Errorf("the portmapper alone suggests a NIS role:\n%s", out)
	}
	// Each service once, in the order first seen.
	if n := strings.Count(out, "\n  - echo "); n != 1 {
		t.Errorf("echo listed %d times", n)
	}
}

func TestWrite(t *testing.T) {
	in := InitInput{
		Host:     "web1",
		Platform: "debian 12",
		Date:     time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC),
		Services: []InitService{
			{Name: "ssh", Daemon: "/usr/sbin/sshd", StartedFrom: "ssh.service", Listening: true},
			{Name: "http", Daemon: "/usr/sbin/nginx", StartedFrom: "nginx.service", Listening: true},
			{Name: "http", Daemon: "/usr/sbin/nginx", StartedFrom: "nginx.service", Listening: true},
			{Name: "telnet", Daemon: "/usr/sbin/in.telnetd", StartedFrom: "/etc/inetd.conf:7"},
			{Name: "telnet", Daemon: "/usr/sbin/in.telnetd", StartedFrom: "/etc/xinetd.d/telnet:3"},
			{Name: "49213", Listening: true},
		},
	}
	want := `# bastion policy for web1 (debian 12), written on 2026-01-15 by "bastion init".
#
# It allows every service the host runs or is configured to run now.
# Decide what services this host is going to run, delete the others from
# this file, and turn them off: a service the policy does not allow is a
# finding. docs/policy.example.yaml describes every key.
version: 1

# Roles stand for the services of a kind of server. Roles that cover some
# of the services below; uncomment the ones this host has, and delete the
# services they cover from the list:
roles:
#  - web-server       # serves HTTP: http

# Services this host may run, besides its roles and the base set that
# every policy allows (ssh, sshd, cron, crond, atd). Each line names the daemon,
# the file that starts it, and whether it was seen listening.
services:
  - ssh     # /usr/sbin/sshd from ssh.service; listening
  - http    # /usr/sbin/nginx from nginx.service; listening
  - telnet  # /usr/sbin/in.telnetd from /etc/inetd.conf:7; /usr/sbin/in.telnetd from /etc/xinetd.d/telnet:3; not seen listening
  - "49213" # started by nothing bastion knows; listening

# Services meant to be reachable from anywhere; the others should answer
# only the networks that use them.
public:

# The host this one sends its syslog messages to.
# log_host: loghost.example.com

# Whether this host forwards packets between networks.
router: false

# Whether SSH logins must use keys (password logins then fail the audit).
ssh_keys_only: false

# The shortest password the host's password rules should accept.
password_min_length: 12

# The least severity of a finding that fails a run: info, low, medium,
# high or critical.
fail_on: high

# Waivers accept the findings of a rule on a target until a date; each
# needs a reason and an expiry date. The rule is a rule id or a prefix
# ending in *; the target is a file (which covers its lines), file:line,
# a directory ending in /, a unit or a service, and empty means any.
waivers:
#  - rule: SVC-INETD-*
#    target: /etc/inetd.conf
#    reason: the billing system needs ftp until it moves to sftp
#    expires: 2026-04-15
`
	var b bytes.Buffer
	if err := Write(&b, in); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, b.String()); diff != "" {
		t.Errorf("Write mismatch (-want +got):\n%s", diff)
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriteError(t *testing.T) {
	if err := Write(failWriter{}, InitInput{}); err == nil || err.Error() != "disk full" {
		t.Errorf("Write = %v, want the writer's error", err)
	}
}
