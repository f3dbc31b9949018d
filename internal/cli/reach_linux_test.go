package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"bastion/internal/inventory"
)

// reachHelperEnv makes the test binary, run inside a network namespace,
// listen on a port and print bastion services' JSON for this host.
const reachHelperEnv = "BASTION_REACH_HELPER_PORT"

// TestReachHelper is not a test: it is the process that listens and audits
// inside the namespace TestLiveReach makes.
func TestReachHelper(t *testing.T) {
	port := os.Getenv(reachHelperEnv)
	if port == "" {
		return // run directly: nothing to do
	}
	ln, err := net.Listen("tcp4", "0.0.0.0:"+port)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(3)
	}
	defer ln.Close()
	os.Exit(Main(context.Background(), []string{"services", "--format", "json"}, os.Stdout, os.Stderr) % 2)
}

// ipNetns runs ip netns exec NS and the command, failing the test on error.
func ipNetns(t *testing.T, ns string, stdin string, args ...string) []byte {
	t.Helper()
	cmd := exec.Command("ip", append([]string{"netns", "exec", ns}, args...)...)
	cmd.Stdin = strings.NewReader(stdin)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("ip netns exec %s %s: %v: %s", ns, strings.Join(args, " "), err, stderr.String())
	}
	return out
}

// reachOf runs bastion services inside the namespace with a listener on
// port, and returns the reach of the listener's row.
func reachOf(t *testing.T, ns string, port int) *inventory.Reach {
	t.Helper()
	cmd := exec.Command("ip", "netns", "exec", ns, os.Args[0], "-test.run=^TestReachHelper$", "-test.count=1")
	cmd.Env = append(os.Environ(), reachHelperEnv+"="+strconv.Itoa(port))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("bastion services in %s: %v: %s", ns, err, stderr.String())
	}
	var inv inventory.Inventory
	if i := bytes.IndexByte(out, '{'); i >= 0 {
		out = out[i:]
	}
	if j := bytes.LastIndexByte(out, '}'); j >= 0 {
		out = out[:j+1]
	}
	if err := json.Unmarshal(out, &inv); err != nil {
		t.Fatalf("services JSON: %v\n%s", err, out)
	}
	for _, r := range inv.Rows {
		if r.Port == port && r.Proto == "tcp" {
			if r.Reach == nil {
				t.Fatalf("row %d/tcp has no reach", port)
			}
			return r.Reach
		}
	}
	t.Fatalf("no row for the listener on %d/tcp:\n%s", port, out)
	return nil
}

// On this host, in a network namespace the test makes (never the host's
// own filter), a listener is reachable from anywhere until the test loads
// nftables rules that drop its port.
func TestLiveReach(t *testing.T) {
	if os.Getuid() != 0 {
		t.Skip("needs root to make a network namespace")
	}
	for _, tool := range []string{"ip", "nft"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is missing: the test set-up installs iproute2 and nftables", tool)
		}
	}
	ns := fmt.Sprintf("bastion-reach-%d", rand.IntN(1_000_000))
	if out, err := exec.Command("ip", "netns", "add", ns).CombinedOutput(); err != nil {
		t.Fatalf("ip netns add: %v: %s", err, out)
	}
	t.Cleanup(func() { exec.Command("ip", "netns", "delete", ns).Run() })
	ipNetns(t, ns, "", "ip", "link", "set", "lo", "up")
	port := 20000 + rand.IntN(20000)

	before := reachOf(t, ns, port)
	if before.Reach != "anywhere" {
		t.Errorf("without rules: reach %+v, want anywhere", before)
	}
	rules := fmt.Sprintf("table inet bastiontest {\n\tchain input {\n\t\ttype filter hook input priority 0; policy accept;\n\t\ttcp dport %d drop\n\t}\n}\n", port)
	ipNetns(t, ns, rules, "nft", "-f", "-")
	after := reachOf(t, ns, port)
	if after.Reach != "none" || !strings.Contains(after.Where, "bastiontest") {
		t.Errorf("with a drop rule: reach %+v, want none, decided by the bastiontest table", after)
	}
	// The host's own ruleset is untouched: the table exists only inside
	// the namespace.
	if out, _ := exec.Command("nft", "list", "tables").Output(); bytes.Contains(out, []byte("bastiontest")) {
		t.Errorf("the test's table leaked into the host's ruleset")
	}
}
