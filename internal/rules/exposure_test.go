package rules

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"bastion/internal/firewall"
	"bastion/internal/policy"
	"bastion/internal/rule"
)

const captureDir = "var/lib/bastion/capture/"

// ssLine is a line of captured ss -tulpn output.
func ssLine(proto, addr, port, proc string) string {
	state := "LISTEN"
	if proto == "udp" {
		state = "UNCONN"
	}
	return proto + "   " + state + " 0      128   " + addr + ":" + port + "   0.0.0.0:*    users:((\"" + proc + "\",pid=700,fd=3))\n"
}

// fwLinux is a Debian root with captured sockets (ss lines) and, unless
// ipt is "", captured iptables-save output; files are more files.
func fwLinux(ss, ipt string, files ...string) map[string]string {
	m := map[string]string{
		"etc/os-release":        "ID=debian\nVERSION_ID=\"12\"\n",
		captureDir + "ss-tulpn": "Netid State  Recv-Q Send-Q Local Address:Port  Peer Address:PortProcess\n" + ss,
	}
	if ipt != "" {
		m[captureDir+"iptables-save"] = ipt
	}
	for i := 0; i+1 < len(files); i += 2 {
		m[files[i]] = files[i+1]
	}
	return m
}

// Rulesets in iptables-save form.
const (
	iptOpen      = "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n"
	iptDropSSH   = "*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n-A INPUT -i lo -j ACCEPT\n-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT\n-A INPUT -s 10.0.0.0/8 -p tcp -m tcp --dport 5432 -j ACCEPT\nCOMMIT\n"
	iptAcceptOne = "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n-A INPUT -p tcp -m tcp --dport 23 -j DROP\nCOMMIT\n"
)

// elfExec is the smallest ELF executable debug/elf reads: a fixed-address
// (not PIE) x86-64 program with one loadable segment and no
// PT_GNU_STACK, so its stack is executable, with no RELRO and no symbols.
func elfExec() string {
	b := make([]byte, 64+56)
	copy(b, "\x7fELF\x02\x01\x01")
	le := binary.LittleEndian
	le.PutUint16(b[16:], 2)  // ET_EXEC
	le.PutUint16(b[18:], 62) // x86-64
	le.PutUint32(b[20:], 1)
	le.PutUint64(b[24:], 0x400078)
	le.PutUint64(b[32:], 64) // program headers
	le.PutUint16(b[52:], 64)
	le.PutUint16(b[54:], 56)
	le.PutUint16(b[56:], 1)
	ph := b[64:]
	le.PutUint32(ph[0:], 1) // PT_LOAD
	le.PutUint32(ph[4:], 5) // R+X
	le.PutUint64(ph[16:], 0x400000)
	le.PutUint64(ph[24:], 0x400000)
	le.PutUint64(ph[32:], uint64(len(b)))
	le.PutUint64(ph[40:], uint64(len(b)))
	le.PutUint64(ph[48:], 0x1000)
	return string(b)
}

func init() {
	daemon := func(exe string) []string {
		return []string{
			"usr/lib/systemd/system/food.service", "[Service]\nExecStart=/usr/sbin/food\n",
			"etc/systemd/system/multi-user.target.wants/food.service", "->/usr/lib/systemd/system/food.service",
			"usr/sbin/food", exe,
		}
	}
	for id, tc := range map[string]ruleCase{
		"FW-NONE": {
			fires:     fwLinux(ssLine("tcp", "0.0.0.0", "2222", "sshd"), iptOpen),
			quiet:     fwLinux(ssLine("tcp", "0.0.0.0", "2222", "sshd"), iptDropSSH),
			undecided: fwLinux(ssLine("tcp", "0.0.0.0", "2222", "sshd"), ""),
		},
		"FW-REACH-UNINTENDED": {
			fires:     fwLinux(ssLine("tcp", "0.0.0.0", "5432", "postgres"), iptOpen),
			quiet:     fwLinux(ssLine("tcp", "0.0.0.0", "5432", "postgres"), iptDropSSH),
			undecided: fwLinux(ssLine("tcp", "0.0.0.0", "5432", "postgres"), ""),
		},
		"FW-REACH-RISKY": {
			fires:     fwLinux(ssLine("udp", "0.0.0.0", "111", "rpcbind"), iptOpen),
			quiet:     fwLinux(ssLine("udp", "127.0.0.1", "111", "rpcbind"), iptOpen),
			undecided: fwLinux(ssLine("udp", "0.0.0.0", "111", "rpcbind"), ""),
		},
		"FW-DEFAULT-ACCEPT": {
			fires:     fwLinux(ssLine("tcp", "0.0.0.0", "22", "sshd"), iptAcceptOne),
			quiet:     fwLinux(ssLine("tcp", "0.0.0.0", "22", "sshd"), iptDropSSH),
			undecided: fwLinux(ssLine("tcp", "0.0.0.0", "22", "sshd"), ""),
		},
		"MEM-DAEMON-PROTECTIONS": {
			fires:     fwLinux(ssLine("tcp", "0.0.0.0", "7777", "food"), iptOpen, daemon("<0755>"+elfExec())...),
			quiet:     fwLinux(ssLine("tcp", "0.0.0.0", "7777", "food"), iptOpen, daemon("<0755>#!/bin/sh\n")...),
			undecided: map[string]string{"etc/os-release": "ID=debian\nVERSION_ID=\"12\"\n"},
		},
	} {
		cases[id] = tc
	}
}

// The reach of each row follows the packet filter: a port the rules
// accept from anywhere, one from a network, one they drop, a loopback
// listener, and an IPv6 listener with no IPv6 rules.
func TestRowReach(t *testing.T) {
	ss := ssLine("tcp", "0.0.0.0", "22", "sshd") + ssLine("tcp", "0.0.0.0", "5432", "postgres") +
		ssLine("tcp", "0.0.0.0", "8080", "web") + ssLine("tcp", "127.0.0.1", "25", "exim4") + ssLine("tcp", "[::]", "9090", "prom")
	c := context(t, fwLinux(ss, iptDropSSH), policy.Default())
	got := map[int]firewall.Reach{}
	for _, r := range c.Inventory.Rows {
		if r.Reach != nil {
			got[r.Port] = r.Reach.Reach
		}
	}
	want := map[int]firewall.Reach{22: firewall.Anywhere, 5432: firewall.Local, 8080: firewall.None, 25: firewall.Loopback, 9090: firewall.Anywhere}
	for port, w := range want {
		if got[port] != w {
			t.Errorf("port %d: reach %q, want %q", port, got[port], w)
		}
	}
}

// fwCopy copies a firewall fixture: a root of testdata/roots, or
// "aix433-hardened+NAME", the hardened AIX host with the captured lsfilt
// output testdata/captures/aix-lsfilt-v4-NAME.
func fwCopy(t *testing.T, name string) string {
	t.Helper()
	root, capture, ok := strings.Cut(name, "+")
	dir := mailCopy(t, root, nil)
	if ok {
		data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "captures", "aix-lsfilt-v4-"+capture))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, captureDir, "lsfilt-v4"), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// firewallFindings runs the rules of the firewall topic.
func firewallFindings(t *testing.T, c *rule.Context) ([]string, []rule.Finding) {
	t.Helper()
	return findingsOf(t, c, func(r *rule.Rule) bool { return r.Topic == "firewall" })
}

// The firewall fixtures, with captured nftables and lsfilt output: each
// problem where it is, nothing on the filtered twins.
func TestFirewallFixtures(t *testing.T) {
	pol, err := policy.LoadFile(filepath.Join("..", "..", "testdata", "policies", "firewall.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	aixPol := &policy.Policy{Services: []string{"ftp", "telnet", "smtp", "portmap", "syslog"}, PasswordMinLength: 12}
	checkFixtures(t, []fixtureCase{
		{root: "debian12-firewall", pol: pol, want: []string{
			"FW-DEFAULT-ACCEPT nft table inet filter chain input",
			"FW-REACH-RISKY 111/tcp",
			"FW-REACH-RISKY 111/udp",
			"FW-REACH-RISKY 161/udp",
			"FW-REACH-RISKY 445/tcp",
			"FW-REACH-UNINTENDED 111/tcp",
			"FW-REACH-UNINTENDED 111/udp",
			"FW-REACH-UNINTENDED 161/udp",
			"FW-REACH-UNINTENDED 445/tcp",
			"FW-REACH-UNINTENDED 5432/tcp",
		}},
		{root: "debian12-firewall-hardened", pol: pol},
		{root: "aix433-hardened+open", pol: aixPol, want: []string{
			"FW-NONE packet filter (lsfilt)",
			"FW-REACH-RISKY /etc/rc.tcpip:60",
			"FW-REACH-RISKY /etc/rc.tcpip:60",
			"FW-REACH-UNINTENDED /etc/inetd.conf:12",
			"FW-REACH-UNINTENDED /etc/inetd.conf:13",
			"FW-REACH-UNINTENDED /etc/rc.tcpip:44",
			"FW-REACH-UNINTENDED /etc/rc.tcpip:57",
			"FW-REACH-UNINTENDED /etc/rc.tcpip:60",
			"FW-REACH-UNINTENDED /etc/rc.tcpip:60",
		}},
		{root: "aix433-hardened+closed", pol: aixPol},
	}, fwCopy, firewallFindings)
}

// filter when no iptables-save output stands behind it.
func TestNativeIPFilterTable(t *testing.T) {
	nft := `{"nftables": [{"metainfo": {"version": "1.0.6", "json_schema_version": 1}},
{"table": {"family": "ip", "name": "filter", "handle": 1}},
{"chain": {"family": "ip", "table": "filter", "name": "input", "handle": 1, "type": "filter", "hook": "input", "prio": 0, "policy": "drop"}}]}`
	files := fwLinux(ssLine("tcp", "0.0.0.0", "111", "rpcbind"), "", captureDir+"nft-j-list-ruleset", nft)
	c := context(t, files, nil)
	for _, id := range []string{"FW-NONE", "FW-REACH-RISKY"} {
		if got, fs := outcome(t, id, c); got != "quiet" {
			t.Errorf("%s: %s %+v", id, got, fs)
		}
	}
}

// nftables filter).
func TestDefaultAcceptGuarded(t *testing.T) {
	nft := `{"nftables": [{"metainfo": {"version": "1.0.6", "json_schema_version": 1}},
{"table": {"family": "inet", "name": "filter", "handle": 1}},
{"chain": {"family": "inet", "table": "filter", "name": "input", "handle": 1, "type": "filter", "hook": "input", "prio": 0, "policy": "drop"}}]}`
	docker := "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n:DOCKER - [0:0]\n-A FORWARD -o docker0 -j DOCKER\nCOMMIT\n"
	files := fwLinux(ssLine("tcp", "0.0.0.0", "22", "sshd"), docker, captureDir+"nft-j-list-ruleset", nft)
	if got, fs := outcome(t, "FW-DEFAULT-ACCEPT", context(t, files, nil)); got != "quiet" {
		t.Errorf("guarded by the nftables chain: %s %+v", got, fs)
	}
}
