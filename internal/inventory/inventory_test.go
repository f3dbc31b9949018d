package inventory

import (
	"strings"
	"testing"

	"bastion/internal/host"
	"bastion/internal/parse/netdb"
)

func services(t *testing.T, text string) *netdb.Services {
	t.Helper()
	s, err := netdb.ParseServices(strings.NewReader(text), "services")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func rowFor(inv *Inventory, port int, proto string) *Row {
	for i, r := range inv.Rows {
		if r.Port == port && r.Proto == proto {
			return &inv.Rows[i]
		}
	}
	return nil
}

func TestExplain(t *testing.T) {
	src := func(f string, l int) host.Source { return host.Source{File: f, Line: l} }
	f := &host.Facts{
		Services: services(t, "ssh 22/tcp\nsmtp 25/tcp\ntelnet 23/tcp\n"),
		Observed: true, ObservedFrom: "test",
		Starts: []host.Start{
			// sshd moved to 2222: explained by its process.
			{Kind: host.KindSystemd, Source: src("ssh.service", 3), ID: "ssh.service", Program: "/usr/sbin/sshd", Enabled: true},
			// telnet commented out but still running: explained, with a warning.
			{Kind: host.KindInetd, Source: src("/etc/inetd.conf", 5), ID: "telnet", Program: "/usr/sbin/in.telnetd", Service: "telnet", Proto: "tcp", Holder: "inetd", Why: "commented out"},
			// sendmail without -bd does not listen.
			{Kind: host.KindRC, Source: src("/etc/rc.tcpip", 9), ID: "sendmail", Program: "/usr/sbin/sendmail", Args: []string{"-q30m"}, Enabled: true},
			// An RPC service found through rpcinfo.
			{Kind: host.KindInetd, Source: src("/etc/inetd.conf", 7), ID: "rstatd", Program: "/usr/sbin/rpc.rstatd", Args: []string{"rstatd", "100001", "1-3"},
				Proto: "udp", Holder: "inetd", Enabled: true, RPC: &host.RPCProgram{Number: 100001, Versions: "1-3"}},
			// A configured daemon that is not running.
			{Kind: host.KindRC, Source: src("/etc/rc.tcpip", 12), ID: "snmpd", Program: "/usr/sbin/snmpd", Enabled: true},
		},
		Sockets: []host.Socket{
			{Proto: "tcp", Address: "*", Port: 2222, PID: 10, Command: "sshd", Exe: "/usr/sbin/sshd"},
			{Proto: "tcp", Address: "*", Port: 23, PID: 11, Command: "inetd"},
			{Proto: "udp", Address: "*", Port: 40001, PID: 11, Command: "inetd"},
			{Proto: "tcp", Address: "127.0.0.1", Port: 54666, PID: 12, Command: "bd"},
		},
		RPCPorts: []host.RPCPort{{Program: 100001, Version: 3, Proto: "udp", Port: 40001}},
		Owners:   map[string]string{"/usr/sbin/sshd": "openssh-server"},
	}
	inv := Build(f, "test")
	tests := []struct {
		port  int
		proto string
		state State
		name  string
		note  string
	}{
		{2222, "tcp", Listening, "ssh", "does not predict port 2222"},
		{23, "tcp", Listening, "telnet", "still running although its start is disabled"},
		{40001, "udp", Listening, "rstatd", "RPC program 100001"},
		{54666, "tcp", Unexplained, "", "nothing bastion knows starts this"},
		{161, "udp", NotListening, "snmpd", "not seen listening"},
	}
	for _, tc := range tests {
		r := rowFor(inv, tc.port, tc.proto)
		if r == nil {
			t.Errorf("no row %d/%s", tc.port, tc.proto)
			continue
		}
		if r.State != tc.state || r.Name != tc.name || !strings.Contains(r.Note, tc.note) {
			t.Errorf("%d/%s: state %s name %q note %q; want %s %q %q", tc.port, tc.proto, r.State, r.Name, r.Note, tc.state, tc.name, tc.note)
		}
	}
	if r := rowFor(inv, 25, "tcp"); r != nil {
		t.Errorf("sendmail without -bd has a row: %+v", r)
	}
	if r := rowFor(inv, 2222, "tcp"); r.Package != "openssh-server" || r.Risk == "" {
		t.Errorf("ssh row lacks package or risk: %+v", r)
	}
	// Worst first: observed rows, then configured, then disabled.
	last := -1
	for _, r := range inv.Rows {
		if r.State.rank() < last {
			t.Errorf("rows out of order at %d/%s", r.Port, r.Proto)
		}
		last = r.State.rank()
	}
}

func TestPredictedWithoutState(t *testing.T) {
	f := &host.Facts{
		Services: services(t, "syslog 514/udp\n"),
		Starts: []host.Start{
			{Kind: host.KindRC, Source: host.Source{File: "/etc/rc.tcpip", Line: 1}, ID: "syslogd", Program: "/usr/sbin/syslogd", Enabled: true},
			{Kind: host.KindRC, Source: host.Source{File: "/etc/rc.nfs", Line: 2}, ID: "rpc.statd", Program: "/usr/sbin/rpc.statd", Enabled: true},
		},
	}
	inv := Build(f, "test")
	if r := rowFor(inv, 514, "udp"); r == nil || r.State != Predicted || r.Name != "syslog" {
		t.Errorf("syslog row %+v", r)
	}
	r := rowFor(inv, 0, "tcp")
	if r == nil || !r.Dynamic || r.Name != "rpc.statd" || r.State != Predicted || !strings.Contains(r.Note, "portmapper") {
		t.Errorf("rpc.statd row %+v", r)
	}
	if len(inv.Gaps) != 0 || inv.Rows == nil {
		t.Errorf("gaps %v rows %v", inv.Gaps, inv.Rows)
	}
}
