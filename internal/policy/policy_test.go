package policy

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"bastion/internal/severity"
)

func TestDefault(t *testing.T) {
	want := &Policy{Source: "built-in default", FailOn: severity.High, PasswordMinLength: 12}
	if diff := cmp.Diff(want, Default()); diff != "" {
		t.Errorf("Default mismatch (-want +got):\n%s", diff)
	}
	d := Default()
	for _, n := range []string{"ssh", "sshd", "cron"} {
		if !d.Allows(n) {
			t.Errorf("Default().Allows(%q) = false", n)
		}
	}
	for _, n := range []string{"telnet", "ftp", "smtp", "syslog", "syslogd", "rsyslogd", "sunrpc", "X11"} {
		if d.Allows(n) {
			t.Errorf("Default().Allows(%q) = true", n)
		}
	}
	// A nil policy is the default.
	var nilPolicy *Policy
	if !nilPolicy.Allows("sshd") || nilPolicy.Allows("telnet") {
		t.Error("a nil policy does not act as the default")
	}
	if w, _ := nilPolicy.Waive("A", "b", time.Now()); w != nil {
		t.Error("a nil policy waives")
	}
}

func TestAllows(t *testing.T) {
	p := &Policy{
		Roles:    []string{"mail-server", "x-display"},
		Services: []string{"ftp", "ntp.service", "Gopher"},
	}
	tests := []struct {
		names []string
		want  bool
		by    string
	}{
		// Direct names.
		{[]string{"ftp"}, true, "services"},
		{[]string{"ntp"}, true, "services"},
		{[]string{"gopher"}, true, "services"},
		// Roles, by port name, daemon and unit.
		{[]string{"smtp"}, true, "role mail-server"},
		{[]string{"sendmail"}, true, "role mail-server"},
		{[]string{"postfix.service"}, true, "role mail-server"},
		{[]string{"/usr/sbin/sendmail"}, true, "role mail-server"},
		{[]string{"X11"}, true, "role x-display"},
		{[]string{"x11"}, true, "role x-display"},
		{[]string{"dtspc"}, true, "role x-display"},
		// The base set.
		{[]string{"ssh"}, true, "base set"},
		{[]string{"ssh.socket"}, true, "base set"},
		{[]string{"sshd@"}, true, "base set"},
		{[]string{"sshd@0-10.0.0.1:22-10.0.0.2:4242.service"}, true, "base set"},
		{[]string{"cron"}, true, "base set"},
		// Any of the names.
		{[]string{"unknown-port", "", "sendmail"}, true, "role mail-server"},
		{[]string{"telnet", "telnetd"}, false, ""},
		// Negatives.
		{nil, false, ""},
		{[]string{""}, false, ""},
		{[]string{"/"}, false, ""},
		{[]string{"sbin/ftp"}, false, ""},
		{[]string{"914c/g"}, false, ""},
		{[]string{"ftpd"}, false, ""},
		{[]string{"in.ftpd"}, false, ""},
		{[]string{"syslog", "syslogd"}, false, ""},
		{[]string{"sunrpc", "portmap"}, false, ""},
		{[]string{"smtp-relay"}, false, ""},
	}
	for _, tt := range tests {
		if got := p.Allows(tt.names...); got != tt.want {
			t.Errorf("Allows(%q) = %v, want %v", tt.names, got, tt.want)
		}
		by, ok := p.AllowedBy(tt.names...)
		if by != tt.by || ok != tt.want {
			t.Errorf("AllowedBy(%q) = %q, %v; want %q, %v", tt.names, by, ok, tt.by, tt.want)
		}
	}
}

func TestAllowsRoles(t *testing.T) {
	for name, services := range Roles() {
		p := &Policy{Roles: []string{name}}
		for _, s := range services {
			if by, ok := p.AllowedBy(s); !ok || by != "role "+name {
				t.Errorf("role %s: AllowedBy(%q) = %q, %v", name, s, by, ok)
			}
		}
		if p.Allows("telnet") {
			t.Errorf("role %s allows telnet", name)
		}
	}
	// The roles the policy format promises, with a sample of their names.
	want := map[string][]string{
		"mail-server":     {"smtp", "sendmail", "postfix", "exim", "master", "submission", "smtps"},
		"ftp-server":      {"ftp", "ftpd", "vsftpd", "proftpd", "pure-ftpd"},
		"nfs-server":      {"nfs", "nfsd", "mountd", "rpc.mountd", "statd", "rpc.statd", "status", "lockd", "rpc.lockd", "nlockmgr", "portmap", "rpcbind", "sunrpc", "biod"},
		"nfs-client":      {"biod", "rpc.statd", "rpc.lockd", "portmap", "rpcbind", "sunrpc"},
		"name-server":     {"domain", "named", "unbound", "dnsmasq"},
		"print-server":    {"printer", "lpd", "cupsd", "ipp", "qdaemon", "piobe"},
		"x-display":       {"X11", "X", "xdmcp", "dtlogin", "dtgreet", "dtspc"},
		"web-server":      {"http", "https", "httpd", "apache2", "nginx"},
		"time-server":     {"ntp", "ntpd", "xntpd", "chronyd"},
		"snmp-managed":    {"snmp", "snmpd", "smux", "dpid2"},
		"log-host":        {"syslog", "syslogd", "rsyslogd"},
		"nis-server":      {"ypserv", "rpc.yppasswdd"},
		"dhcp-server":     {"bootps", "dhcpd", "dhcpsd"},
		"file-server-smb": {"netbios-ns", "netbios-dgm", "netbios-ssn", "microsoft-ds", "smbd", "nmbd"},
		"router":          {},
	}
	roles := Roles()
	for name, names := range want {
		got, ok := roles[name]
		if !ok {
			t.Errorf("no role %s", name)
			continue
		}
		for _, n := range names {
			if !slices.Contains(got, n) {
				t.Errorf("role %s does not allow %s", name, n)
			}
		}
		if RoleTitle(name) == "" {
			t.Errorf("role %s has no title", name)
		}
	}
	if RoleTitle("nope") != "" {
		t.Error("RoleTitle of an unknown role is not empty")
	}
	if p := (&Policy{Roles: []string{"router"}}); p.Allows("route", "routed", "router") {
		t.Error("the router role allows a routing daemon")
	}
}

func TestRolesTable(t *testing.T) {
	names := RoleNames()
	if !slices.IsSorted(names) || len(names) != len(roleTable) {
		t.Errorf("RoleNames = %q", names)
	}
	for _, r := range roleTable {
		if (len(r.services) == 0) != r.router {
			t.Errorf("role %s: %d services, router %v", r.name, len(r.services), r.router)
		}
		if len(slices.Compact(slices.Sorted(slices.Values(r.services)))) != len(r.services) {
			t.Errorf("role %s lists a service twice", r.name)
		}
		for _, s := range r.services {
			if checkName(s) != "" || normalize(s) != strings.ToLower(s) {
				t.Errorf("role %s: service %q is not in normal form", r.name, s)
			}
		}
	}
	// Roles returns a copy.
	Roles()["mail-server"][0] = "telnet"
	if (&Policy{Roles: []string{"mail-server"}}).Allows("telnet") {
		t.Error("changing the map of Roles changed a role")
	}
	// Base returns a copy, without any syslog daemon (receiving remote
	// syslog is a service that must be allowed by name).
	b := Base()
	b[0] = "telnet"
	if Default().Allows("telnet") {
		t.Error("changing the slice of Base changed the base set")
	}
	for _, s := range Base() {
		if strings.Contains(s, "syslog") {
			t.Errorf("base set holds %s", s)
		}
	}
}

func TestWaive(t *testing.T) {
	p := &Policy{Waivers: []Waiver{
		{Rule: "SVC-INETD-TELNET", Target: "/etc/inetd.conf:14", Reason: "line", Expires: date("2030-01-01"), Line: 1},
		{Rule: "SVC-INETD-*", Target: "/etc/inetd.conf", Reason: "file", Expires: date("2030-01-01"), Line: 2},
		{Rule: "SVC-*", Reason: "any target", Expires: date("2030-01-01"), Line: 3},
		{Rule: "SVC-XINETD-*", Target: "/etc/xinetd.d/", Reason: "directory", Expires: date("2030-01-01"), Line: 4},
		{Rule: "NET-SNMP-COMMUNITY", Target: "snmpd", Reason: "unit", Expires: date("2030-01-01"), Line: 5},
		{Rule: "LOG-REMOTE", Reason: "expired", Expires: date("2025-06-01"), Line: 6},
		{Rule: "AUTH-RHOSTS", Target: "/root/.rhosts", Reason: "expired exact", Expires: date("2025-06-01"), Line: 7},
		{Rule: "AUTH-*", Reason: "in force prefix", Expires: date("2030-01-01"), Line: 8},
	}}
	now := time.Date(2026, 1, 15, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		rule, target string
		wantLine     int // 0: no waiver
		expired      bool
	}{
		{"SVC-INETD-TELNET", "/etc/inetd.conf:14", 1, false},
		{"SVC-INETD-TELNET", "/etc/inetd.conf:15", 2, false},
		{"SVC-INETD-TELNET", "/etc/inetd.conf", 2, false},
		{"SVC-INETD-FTP", "/etc/inetd.conf:3", 2, false},
		{"SVC-INETD-FTP", "/etc/inetd.conf.bak", 3, false},
		{"SVC-INETD-FTP", "/etc/inetd.conf:3:4", 3, false},
		{"SVC-INETD-FTP", "/etc/inetd.conf:", 3, false},
		{"SVC-SENDMAIL-BD", "/etc/rc.tcpip:40", 3, false},
		{"SVC-SENDMAIL-BD", "", 3, false},
		{"SVC-XINETD-TFTP", "/etc/xinetd.d/tftp", 4, false},
		{"SVC-XINETD-TFTP", "/etc/xinetd.d/tftp:7", 4, false},
		{"SVC-XINETD-TFTP", "/etc/xinetd.d/", 4, false},
		{"SVC-XINETD-TFTP", "/etc/xinetd.dx", 3, false},
		{"SVC-XINETD-TFTP", "/etc/xinetd.conf", 3, false},
		{"NET-SNMP-COMMUNITY", "snmpd", 5, false},
		{"NET-SNMP-COMMUNITY", "snmpd.service", 0, false},
		{"NET-SNMP-COMMUNITY-V1", "snmpd", 0, false},
		{"NET-SNMP", "snmpd", 0, false},
		{"svc-inetd-telnet", "/etc/inetd.conf", 0, false},
		{"LOG-REMOTE", "/etc/syslog.conf", 6, true},
		// An in-force waiver wins over a closer expired one.
		{"AUTH-RHOSTS", "/root/.rhosts", 8, false},
		{"OTHER", "/etc/inetd.conf", 0, false},
	}
	for _, tt := range tests {
		w, expired := p.Waive(tt.rule, tt.target, now)
		gotLine := 0
		if w != nil {
			gotLine = w.Line
			if !w.Matches(tt.rule, tt.target) {
				t.Errorf("Waive(%q, %q) returned line %d, which does not match", tt.rule, tt.target, w.Line)
			}
		}
		if gotLine != tt.wantLine || expired != tt.expired {
			t.Errorf("Waive(%q, %q) = line %d, expired %v; want line %d, expired %v", tt.rule, tt.target, gotLine, expired, tt.wantLine, tt.expired)
		}
	}
	// Waive returns the policy's own waiver.
	if w, _ := p.Waive("LOG-REMOTE", "x", now); w != &p.Waivers[5] {
		t.Error("Waive does not return a pointer into Policy.Waivers")
	}
}

func TestWaiverExpired(t *testing.T) {
	w := &Waiver{Rule: "A", Reason: "r", Expires: date("2026-03-01")}
	east := time.FixedZone("UTC+10", 10*3600)
	west := time.FixedZone("UTC-8", -8*3600)
	tests := []struct {
		now  time.Time
		want bool
	}{
		{time.Date(2026, 2, 28, 23, 59, 59, 0, time.UTC), false},
		{time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), true},
		{time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), true},
		{time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC), false},
		// The date is the date where the run happens.
		{time.Date(2026, 3, 1, 1, 0, 0, 0, east), true},    // 2026-02-28 15:00 UTC
		{time.Date(2026, 2, 28, 20, 0, 0, 0, west), false}, // 2026-03-01 04:00 UTC
	}
	for _, tt := range tests {
		if got := w.Expired(tt.now); got != tt.want {
			t.Errorf("Expired(%v) = %v, want %v", tt.now, got, tt.want)
		}
	}
}
