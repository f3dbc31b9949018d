package firewall

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"bastion/internal/parse/iptsave"
	"bastion/internal/parse/nftjson"
)

// The live tests load rules into a network namespace of their own, read
// them back with the real tools and check what Evaluate makes of them.
// They never touch the rules of the namespace the test runs in: every
// command that changes rules runs through "ip netns exec".

// netns makes a network namespace that is deleted when the test ends.
func netns(t *testing.T) string {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("network namespaces are Linux only")
	}
	if os.Geteuid() != 0 {
		t.Skip("making a network namespace needs root")
	}
	if _, err := exec.LookPath("ip"); err != nil {
		t.Fatalf("ip (Debian package iproute2) is not installed: %v", err)
	}
	name := fmt.Sprintf("bastion-fw-%08x", rand.Uint32())
	if out, err := exec.Command("ip", "netns", "add", name).CombinedOutput(); err != nil {
		t.Fatalf("ip netns add %s: %v\n%s", name, err, out)
	}
	t.Cleanup(func() {
		if out, err := exec.Command("ip", "netns", "delete", name).CombinedOutput(); err != nil {
			t.Errorf("ip netns delete %s: %v\n%s", name, err, out)
		}
	})
	return name
}

// inNetns runs a command inside the namespace with stdin and returns its
// standard output.
func inNetns(t *testing.T, ns, stdin string, args ...string) []byte {
	t.Helper()
	cmd := exec.Command("ip", append([]string{"netns", "exec", ns}, args...)...)
	cmd.Stdin = strings.NewReader(stdin)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return out
}

func TestLiveNFT(t *testing.T) {
	if _, err := exec.LookPath("nft"); err != nil {
		t.Fatalf("nft is not installed (Debian package nftables): %v", err)
	}
	ns := netns(t)
	rules := filepath.Join(t.TempDir(), "rules.nft")
	const text = `table inet bastion_test {
	set lan {
		type ipv4_addr
		flags interval
		elements = { 10.0.0.0/8, 192.168.0.0/16 }
	}
	chain input {
		type filter hook input priority filter; policy accept;
		iif "lo" accept
		ct state established,related accept
		tcp dport 8081 counter drop
		ip saddr @lan tcp dport { 5432, 6379 } accept
		tcp dport { 5432, 6379 } reject with tcp reset
		udp dport 5000-5010 drop
	}
}
`
	if err := os.WriteFile(rules, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	inNetns(t, ns, "", "nft", "-f", rules)
	out := inNetns(t, ns, "", "nft", "-j", "list", "ruleset")
	src, err := nftjson.Parse(bytes.NewReader(out), "nft -j list ruleset")
	if err != nil {
		t.Fatalf("nftjson.Parse: %v\n%s", err, out)
	}
	rs, err := FromNFT(src)
	if err != nil {
		t.Fatal(err)
	}
	check(t, rs,
		query{proto: "tcp", listen: "0.0.0.0", port: 8081, reach: None, why: "tcp dport 8081 counter drop"},
		query{proto: "tcp", listen: "::", port: 8081, reach: None},
		query{proto: "tcp", listen: "0.0.0.0", port: 8082, reach: Anywhere, why: "policy accept"},
		query{proto: "tcp", listen: "::", port: 6379, reach: Local, sources: []string{"10.0.0.0/8", "192.168.0.0/16"}},
		query{proto: "udp", listen: "0.0.0.0", port: 5005, reach: None},
		query{proto: "udp", listen: "0.0.0.0", port: 5011, reach: Anywhere},
	)
	// The deciding rule is named by its handle, as "nft -a" shows it.
	v := rs.Evaluate("tcp", netip.MustParseAddr("0.0.0.0"), 8081)
	if !strings.HasPrefix(v.Where, "nft table inet bastion_test chain input handle ") {
		t.Errorf("where %q", v.Where)
	}
}

func TestLiveIPTables(t *testing.T) {
	for _, tool := range []string{"iptables-restore", "iptables-save", "ip6tables-restore", "ip6tables-save"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed (Debian package iptables)", tool)
		}
	}
	ns := netns(t)
	const v4 = `*filter
:INPUT ACCEPT [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
:db - [0:0]
-A INPUT -i lo -j ACCEPT
-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A INPUT -p tcp -m tcp --dport 8081 -j DROP
-A INPUT -p tcp -m multiport --dports 5432,5433 -j db
-A db -s 10.0.0.0/8 -j ACCEPT
-A db -p tcp -j REJECT --reject-with tcp-reset
COMMIT
`
	const v6 = `*filter
:INPUT ACCEPT [0:0]
-A INPUT -p tcp -m tcp --dport 8081 -j DROP
-A INPUT -s fd00::/8 -p tcp -m multiport --dports 5432,5433 -j ACCEPT
-A INPUT -p tcp -m multiport --dports 5432,5433 -j DROP
COMMIT
`
	inNetns(t, ns, v4, "iptables-restore")
	saved4 := inNetns(t, ns, "", "iptables-save")
	f4, err := iptsave.Parse(bytes.NewReader(saved4), "iptables-save")
	if err != nil {
		t.Fatalf("iptsave.Parse: %v\n%s", err, saved4)
	}
	rs, err := FromIPTables(f4, nil)
	if err != nil {
		t.Fatal(err)
	}
	check(t, rs,
		query{proto: "tcp", listen: "0.0.0.0", port: 8081, reach: None, why: "--dport 8081 -j DROP"},
		query{proto: "tcp", listen: "0.0.0.0", port: 8082, reach: Anywhere, why: "policy accept of chain INPUT"},
		query{proto: "tcp", listen: "0.0.0.0", port: 5433, reach: Local, sources: []string{"10.0.0.0/8"}},
		// No IPv6 rules were read: "::" is open over IPv6.
		query{proto: "tcp", listen: "::", port: 8081, reach: Anywhere, why: "no ip6 input chain"},
	)

	inNetns(t, ns, v6, "ip6tables-restore")
	saved6 := inNetns(t, ns, "", "ip6tables-save")
	f6, err := iptsave.Parse(bytes.NewReader(saved6), "ip6tables-save")
	if err != nil {
		t.Fatalf("iptsave.Parse: %v\n%s", err, saved6)
	}
	rs, err = FromIPTables(f4, f6)
	if err != nil {
		t.Fatal(err)
	}
	check(t, rs,
		query{proto: "tcp", listen: "::", port: 8081, reach: None},
		query{proto: "tcp", listen: "::", port: 5433, reach: Local, sources: []string{"fd00::/8", "10.0.0.0/8"}, why: "IPv6: accepted from fd00::/8 only"},
		query{proto: "tcp", listen: "2001:db8::1", port: 8082, reach: Anywhere, why: "policy accept"},
	)
	// The deciding line is the line of iptables-save's output.
	v := rs.Evaluate("tcp", netip.MustParseAddr("0.0.0.0"), 8081)
	n := 0
	if _, err := fmt.Sscanf(v.Where, "iptables-save:%d", &n); err != nil || n < 1 || !strings.Contains(f4.Lines[n-1], "--dport 8081 -j DROP") {
		t.Errorf("where %q does not name the DROP line", v.Where)
	}
}
