package target

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path"
	"time"
)

// Captures of the packet filter.
const (
	CaptureNFT       = "nft-j-list-ruleset" // Linux: nft -j list ruleset
	CaptureIPTables  = "iptables-save"      // Linux: iptables-save
	CaptureIP6Tables = "ip6tables-save"     // Linux: ip6tables-save
	CaptureLsfilt4   = "lsfilt-v4"          // AIX: lsfilt -v 4
	CaptureLsfilt6   = "lsfilt-v6"          // AIX: lsfilt -v 6
)

// queries are the read-only commands Query may run on the live host, by
// the capture name their output is stored under on an offline root. Each
// only reports state: none changes anything.
var queries = map[string][]string{
	CaptureNFT:       {"nft", "-j", "list", "ruleset"},
	CaptureIPTables:  {"iptables-save"},
	CaptureIP6Tables: {"ip6tables-save"},
}

// querySearch is where Query looks for the commands: the system's own
// directories only, never the caller's PATH.
var querySearch = []string{"/usr/sbin", "/sbin", "/usr/bin", "/bin"}

// queryTimeout bounds one query, so that a hung command cannot hang an
// audit.
const queryTimeout = 3 * time.Second

// ErrNoQuery says a query's command is not installed on the live host.
var ErrNoQuery = errors.New("command not installed")

// Query returns the state a capture name stands for: on the live host the
// output of its read-only command (run with a clean environment and a
// time limit), or, when the command is not there, the captured file; on
// an offline root the captured file. A command that is not installed and
// not captured gives an error matching ErrNoQuery or fs.ErrNotExist.
func (t *Target) Query(ctx context.Context, name string) ([]byte, error) {
	argv, ok := queries[name]
	if !t.live || !ok {
		return t.Capture(name)
	}
	prog := ""
	for _, dir := range querySearch {
		p := path.Join(dir, argv[0])
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0 {
			prog = p
			break
		}
	}
	if prog == "" {
		if data, err := t.Capture(name); err == nil {
			return data, nil
		}
		return nil, fmt.Errorf("%s: %w", argv[0], ErrNoQuery)
	}
	ctx, cancel := context.WithTimeout(ctx, queryTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, prog, argv[1:]...)
	cmd.Env = []string{"PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL=C"}
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		msg := bytes.TrimSpace(stderr.Bytes())
		if len(msg) > 200 {
			msg = msg[:200]
		}
		return nil, fmt.Errorf("%s: %v: %s", prog, err, msg)
	}
	return out.Bytes(), nil
}
