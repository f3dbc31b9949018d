package policy

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"bastion/internal/parse"
	"bastion/internal/severity"
)

func date(s string) time.Time {
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestLoad(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want *Policy
	}{
		{
			name: "minimal",
			in:   "version: 1\n",
			want: &Policy{Source: "site.yaml", FailOn: severity.High, PasswordMinLength: 12},
		},
		{
			name: "null lists",
			in:   "version: 1\nroles:\nservices: ~\npublic: null\nwaivers:\n",
			want: &Policy{Source: "site.yaml", FailOn: severity.High, PasswordMinLength: 12},
		},
		{
			name: "full",
			in: `# a comment
version: 1
roles: [mail-server, nfs-client]
services:
  - ftp
  - X11
  - "yes"
public: [smtp, ssh]
log_host: loghost.example.com
router: true
ssh_keys_only: true
password_min_length: 14
fail_on: Medium
waivers:
  - rule: SVC-INETD-*
    target: /etc/inetd.conf
    reason: billing needs ftp
    expires: 2026-06-30
  - rule: NET-SNMP-COMMUNITY
    reason: monitoring moves in june
    expires: "2026-07-01"
`,
			want: &Policy{
				Source:            "site.yaml",
				Roles:             []string{"mail-server", "nfs-client"},
				Services:          []string{"ftp", "X11", "yes"},
				Public:            []string{"smtp", "ssh"},
				LogHost:           "loghost.example.com",
				Router:            true,
				SSHKeysOnly:       true,
				PasswordMinLength: 14,
				FailOn:            severity.Medium,
				Waivers: []Waiver{
					{Rule: "SVC-INETD-*", Target: "/etc/inetd.conf", Reason: "billing needs ftp", Expires: date("2026-06-30"), Line: 15},
					{Rule: "NET-SNMP-COMMUNITY", Reason: "monitoring moves in june", Expires: date("2026-07-01"), Line: 19},
				},
			},
		},
		{
			name: "router role sets router",
			in:   "version: 1\nroles: [router]\nrouter: false\n",
			want: &Policy{Source: "site.yaml", Roles: []string{"router"}, Router: true, FailOn: severity.High, PasswordMinLength: 12},
		},
		{
			name: "log host address",
			in:   "version: 1\nlog_host: \"2001:db8::1\"\n",
			want: &Policy{Source: "site.yaml", LogHost: "2001:db8::1", FailOn: severity.High, PasswordMinLength: 12},
		},
		{
			name: "same rule, different targets",
			in: "version: 1\nwaivers:\n" +
				"  - {rule: A-1, target: /etc/a, reason: r, expires: 2030-01-01}\n" +
				"  - {rule: A-1, target: /etc/b, reason: r, expires: 2030-01-01}\n" +
				"  - {rule: A-1, reason: r, expires: 2030-01-01}\n",
			want: &Policy{Source: "site.yaml", FailOn: severity.High, PasswordMinLength: 12, Waivers: []Waiver{
				{Rule: "A-1", Target: "/etc/a", Reason: "r", Expires: date("2030-01-01"), Line: 3},
				{Rule: "A-1", Target: "/etc/b", Reason: "r", Expires: date("2030-01-01"), Line: 4},
				{Rule: "A-1", Reason: "r", Expires: date("2030-01-01"), Line: 5},
			}},
		},
		{
			name: "crlf line endings",
			in:   "version: 1\r\nservices:\r\n  - ftp\r\n",
			want: &Policy{Source: "site.yaml", Services: []string{"ftp"}, FailOn: severity.High, PasswordMinLength: 12},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Load(strings.NewReader(tt.in), "site.yaml")
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Load mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLoadErrors(t *testing.T) {
	roles := "dhcp-server, file-server-smb, ftp-server, log-host, mail-server, name-server, nfs-client, nfs-server, nis-client, nis-server, print-server, router, snmp-managed, time-server, web-server, x-display"
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"empty", "", []string{`site.yaml: empty policy: want at least "version: 1"`}},
		{"comments only", "# nothing\n", []string{`site.yaml: empty policy: want at least "version: 1"`}},
		{"null document", "---\n~\n", []string{`site.yaml:2: empty policy: want at least "version: 1"`}},
		{"list", "- version\n", []string{`site.yaml:1: want a mapping of keys such as version and services, got a list`}},
		{"scalar", "hello\n", []string{`site.yaml:1: want a mapping of keys such as version and services, got a string ("hello")`}},
		{"syntax", "version: 1\nroles: [a\n", []string{`site.yaml:2: invalid YAML: did not find expected ',' or ']'`}},
		{"bad indentation", "version: 1\nservices:\n  - ftp\n - ntp\n", []string{`site.yaml:4: invalid YAML: did not find expected key`}},
		{"first line", "[a\n", []string{`site.yaml:2: invalid YAML: did not find expected ',' or ']'`}},
		{"unclosed quote", "version: 1\nservices: [\"ftp]\n", []string{`site.yaml:2: invalid YAML: found unexpected end of stream`}},
		{"missing colon", "version: 1\nroles\nservices: [ftp]\n", []string{`site.yaml:2: invalid YAML: could not find expected ':'`}},
		{"unknown anchor", "version: 1\nservices: *nope\n", []string{`site.yaml: invalid YAML: unknown anchor 'nope' referenced`}},
		{"tab", "version: 1\nservices:\n\t- ftp\n", []string{`site.yaml:3: invalid YAML: found character that cannot start any token`}},
		{"two documents", "version: 1\n---\nversion: 1\n", []string{`site.yaml:2: a second YAML document: a policy is one document`}},
		{"missing version", "services: [ftp]\n", []string{`site.yaml:1: missing version: a policy starts with "version: 1"`}},
		{"version 2", "version: 2\n", []string{`site.yaml:1: version: unsupported version 2: want 1`}},
		{"version string", "version: \"1\"\n", []string{`site.yaml:1: version: want 1, got a string ("1")`}},
		{"version float", "version: 1.0\n", []string{`site.yaml:1: version: want 1, got a number (1.0)`}},
		{"unknown key", "version: 1\nrole: [mail-server]\n", []string{`site.yaml:2: unknown key "role": want version, roles, services, public, log_host, router, ssh_keys_only, password_min_length, fail_on or waivers`}},
		{"duplicate key", "version: 1\nservices: [ftp]\nservices: [ntp]\n", []string{`site.yaml:3: duplicate key "services" (first at line 2)`}},
		{"number key", "version: 1\n12: x\n", []string{`site.yaml:2: want a key such as version, got a number (12)`}},
		{"merge key", "version: 1\n<<: {router: true}\n", []string{`site.yaml:2: want a key such as version, got a value tagged !!merge`}},
		{"alias value", "version: 1\nservices: &s [ftp]\npublic: *s\n", []string{`site.yaml:3: public: aliases are not supported`}},
		{"alias item", "version: 1\nservices: [&s ftp, *s]\n", []string{`site.yaml:2: services: want a service name, got an alias`}},
		{"unknown role", "version: 1\nroles:\n  - mail-server\n  - mailserver\n", []string{`site.yaml:4: roles: unknown role "mailserver": want one of ` + roles}},
		{"duplicate role", "version: 1\nroles:\n  - mail-server\n  - mail-server\n", []string{`site.yaml:4: roles: duplicate "mail-server" (first at line 3)`}},
		{"roles mapping", "version: 1\nroles: {mail-server: true}\n", []string{`site.yaml:2: roles: want a list of role names, got a mapping`}},
		{"roles string", "version: 1\nroles: mail-server\n", []string{`site.yaml:2: roles: want a list of role names, got a string ("mail-server")`}},
		{"service number", "version: 1\nservices:\n  - 8080\n", []string{`site.yaml:3: services: want a service name, got a number (8080)`}},
		{"service bool", "version: 1\nservices: [true]\n", []string{`site.yaml:2: services: want a service name, got a boolean (true)`}},
		{"service null", "version: 1\nservices:\n  -\n", []string{`site.yaml:3: services: want a service name, got null`}},
		{"service space", "version: 1\nservices: [\"a b\"]\n", []string{`site.yaml:2: services: invalid name "a b": no spaces or control characters`}},
		{"service empty", "version: 1\nservices: [\"\"]\n", []string{`site.yaml:2: services: empty name`}},
		{"duplicate service", "version: 1\nservices:\n  - ftp\n  - ntp\n  - ftp\n", []string{`site.yaml:5: services: duplicate "ftp" (first at line 3)`}},
		{"public not allowed", "version: 1\nservices: [ftp]\npublic: [ftp, telnet]\n", []string{`site.yaml:3: public: "telnet" is not allowed by services, roles or the base set`}},
		{"duplicate public", "version: 1\npublic: [ssh, ssh]\n", []string{`site.yaml:2: public: duplicate "ssh" (first at line 2)`}},
		{"log host spaces", "version: 1\nlog_host: log host\n", []string{`site.yaml:2: log_host: invalid host "log host": want a host name or an IP address`}},
		{"log host null", "version: 1\nlog_host:\n", []string{`site.yaml:2: log_host: want a host name, got null`}},
		{"log host list", "version: 1\nlog_host: [a, b]\n", []string{`site.yaml:2: log_host: want a host name, got a list`}},
		{"router string", "version: 1\nrouter: \"true\"\n", []string{`site.yaml:2: router: want true or false, got a string ("true")`}},
		{"router yes", "version: 1\nrouter: yes\n", []string{`site.yaml:2: router: want true or false, got a string ("yes")`}},
		{"keys only string", "version: 1\nssh_keys_only: \"no\"\n", []string{`site.yaml:2: ssh_keys_only: want true or false, got a string ("no")`}},
		{"password length short", "version: 1\npassword_min_length: 4\n", []string{`site.yaml:2: password_min_length: want a number from 6 to 128, got a number (4)`}},
		{"password length text", "version: 1\npassword_min_length: twelve\n", []string{`site.yaml:2: password_min_length: want a number from 6 to 128, got a string ("twelve")`}},
		{"bad severity", "version: 1\nfail_on: urgent\n", []string{`site.yaml:2: fail_on: unknown severity "urgent": want info, low, medium, high or critical`}},
		{"severity number", "version: 1\nfail_on: 4\n", []string{`site.yaml:2: fail_on: want a severity, got a number (4)`}},
		{"waivers mapping", "version: 1\nwaivers:\n  rule: A\n", []string{`site.yaml:3: waivers: want a list of waivers, got a mapping`}},
		{"waiver string", "version: 1\nwaivers:\n  - SVC-A\n", []string{`site.yaml:3: waivers: want a waiver (a mapping with rule, reason and expires), got a string ("SVC-A")`}},
		{
			"waiver missing everything", "version: 1\nwaivers:\n  - target: /etc/inetd.conf\n",
			[]string{
				`site.yaml:3: waiver: missing rule`,
				`site.yaml:3: waiver: missing reason: say why the finding is accepted`,
				`site.yaml:3: waiver: missing expires: a date, YYYY-MM-DD, after which the finding counts again`,
			},
		},
		{"waiver no reason", "version: 1\nwaivers:\n  - rule: A-1\n    expires: 2030-01-01\n", []string{`site.yaml:3: waiver: missing reason: say why the finding is accepted`}},
		{"waiver empty reason", "version: 1\nwaivers:\n  - rule: A-1\n    reason: \"  \"\n    expires: 2030-01-01\n", []string{`site.yaml:4: waiver: empty reason: say why the finding is accepted`}},
		{"waiver no expiry", "version: 1\nwaivers:\n  - rule: A-1\n    reason: r\n", []string{`site.yaml:3: waiver: missing expires: a date, YYYY-MM-DD, after which the finding counts again`}},
		{"waiver bad date", "version: 1\nwaivers:\n  - rule: A-1\n    reason: r\n    expires: 2030-02-30\n", []string{`site.yaml:5: waiver: expires: invalid date "2030-02-30": want YYYY-MM-DD`}},
		{"waiver date and time", "version: 1\nwaivers:\n  - rule: A-1\n    reason: r\n    expires: 2030-01-01T10:00:00Z\n", []string{`site.yaml:5: waiver: expires: invalid date "2030-01-01T10:00:00Z": want YYYY-MM-DD`}},
		{"waiver short date", "version: 1\nwaivers:\n  - rule: A-1\n    reason: r\n    expires: 2030-1-1\n", []string{`site.yaml:5: waiver: expires: invalid date "2030-1-1": want YYYY-MM-DD`}},
		{"waiver date number", "version: 1\nwaivers:\n  - rule: A-1\n    reason: r\n    expires: 20300101\n", []string{`site.yaml:5: waiver: expires: want a date, YYYY-MM-DD, got a number (20300101)`}},
		{"waiver star", "version: 1\nwaivers:\n  - rule: \"*\"\n    reason: r\n    expires: 2030-01-01\n", []string{`site.yaml:3: waiver: rule: "*" would waive every rule: name a rule or a prefix such as SVC-INETD-*`}},
		{"waiver bad rule", "version: 1\nwaivers:\n  - rule: SVC-*-TELNET\n    reason: r\n    expires: 2030-01-01\n", []string{`site.yaml:3: waiver: rule: invalid rule "SVC-*-TELNET": want a rule id, or a prefix of one ending in *`}},
		{"waiver unknown key", "version: 1\nwaivers:\n  - rule: A-1\n    why: r\n    reason: r\n    expires: 2030-01-01\n", []string{`site.yaml:4: waiver: unknown key "why": want rule, target, reason or expires`}},
		{"waiver duplicate key", "version: 1\nwaivers:\n  - rule: A-1\n    rule: A-2\n    reason: r\n    expires: 2030-01-01\n", []string{`site.yaml:4: waiver: duplicate key "rule" (first at line 3)`}},
		{"waiver number reason", "version: 1\nwaivers:\n  - rule: A-1\n    reason: 42\n    expires: 2030-01-01\n", []string{`site.yaml:4: waiver: reason: want a string, got a number (42)`}},
		{
			"duplicate waiver", "version: 1\nwaivers:\n" +
				"  - {rule: A-1, target: /etc/a, reason: r, expires: 2030-01-01}\n" +
				"  - {rule: A-1, target: /etc/a, reason: s, expires: 2031-01-01}\n" +
				"  - {rule: B-*, reason: r, expires: 2030-01-01}\n" +
				"  - {rule: B-*, reason: r, expires: 2030-01-01}\n",
			[]string{
				`site.yaml:4: waivers: duplicate waiver for rule "A-1" and target "/etc/a" (first at line 3)`,
				`site.yaml:6: waivers: duplicate waiver for rule "B-*" and every target (first at line 5)`,
			},
		},
		{
			"every error is listed", "roles: [nope]\nservices: [1]\nfail_on: never\n",
			[]string{
				`site.yaml:1: roles: unknown role "nope": want one of ` + roles,
				`site.yaml:2: services: want a service name, got a number (1)`,
				`site.yaml:3: fail_on: unknown severity "never": want info, low, medium, high or critical`,
				`site.yaml:1: missing version: a policy starts with "version: 1"`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Load(strings.NewReader(tt.in), "site.yaml")
			if p != nil {
				t.Errorf("Load returned a policy with an error: %+v", p)
			}
			if err == nil {
				t.Fatal("Load: no error")
			}
			var got []string
			for _, e := range parse.List(err) {
				if e.File != "site.yaml" {
					t.Errorf("error %q: file %q, want site.yaml", e, e.File)
				}
				got = append(got, e.Error())
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("errors mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLoadTooLarge(t *testing.T) {
	big := strings.NewReader("version: 1\n" + strings.Repeat("#", parse.MaxSize))
	_, err := Load(big, "big.yaml")
	if !errors.Is(err, parse.ErrTooLarge) {
		t.Errorf("Load: %v, want ErrTooLarge", err)
	}
}

func TestLoadFile(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.yaml")
	if err := os.WriteFile(good, []byte("version: 1\nservices: [ftp]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	p, err := LoadFile(good)
	if err != nil {
		t.Fatalf("LoadFile: %v", err)
	}
	if p.Source != good || !p.Allows("ftp") {
		t.Errorf("LoadFile = %+v", p)
	}

	missing := filepath.Join(dir, "missing.yaml")
	_, err = LoadFile(missing)
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("LoadFile(missing): %v, want ErrNotExist", err)
	}
	if want := missing + ": open: no such file or directory"; err == nil || err.Error() != want {
		t.Errorf("LoadFile(missing) = %v, want %q", err, want)
	}
}

func TestExampleLoads(t *testing.T) {
	p, err := LoadFile(filepath.Join("..", "..", "docs", "policy.example.yaml"))
	if err != nil {
		t.Fatalf("example policy: %v", err)
	}
	if len(p.Roles) == 0 || len(p.Services) == 0 || len(p.Public) == 0 || len(p.Waivers) == 0 || p.LogHost == "" {
		t.Errorf("example policy leaves out a key: %+v", p)
	}
}
