package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"bastion/internal/inventory"
)

// run runs bastion with args and returns stdout, stderr and the exit code.
func run(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(context.Background(), args, &out, &errb)
	return out.String(), errb.String(), code
}

// servicesJSON runs "bastion services --format json" and decodes it.
func servicesJSON(t *testing.T, args ...string) *inventory.Inventory {
	t.Helper()
	out, errs, code := run(t, append([]string{"services", "--format", "json"}, args...)...)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var inv inventory.Inventory
	if err := json.Unmarshal([]byte(out), &inv); err != nil {
		t.Fatalf("decode: %v\n%s", err, out)
	}
	if inv.SchemaVersion != inventory.SchemaVersion {
		t.Errorf("schema_version %d", inv.SchemaVersion)
	}
	return &inv
}

// tsvRow is a row of the acceptance tables.
type tsvRow struct {
	Port                           int
	Proto, Name, Daemon, StartedAt string
}

func (r tsvRow) String() string {
	return fmt.Sprintf("%d/%s %s %s %s", r.Port, r.Proto, r.Name, r.Daemon, r.StartedAt)
}

func readTSV(t *testing.T, name string) []tsvRow {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "..", "testdata", "acceptance", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var rows []tsvRow
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		if n == 1 {
			continue // header
		}
		c := strings.Split(sc.Text(), "\t")
		if len(c) != 5 {
			t.Fatalf("%s:%d: want 5 columns", name, n)
		}
		port, err := strconv.Atoi(c[0])
		if err != nil {
			t.Fatalf("%s:%d: %v", name, n, err)
		}
		rows = append(rows, tsvRow{port, c[1], c[2], c[3], c[4]})
	}
	return rows
}

// asTSV renders an inventory row in the acceptance table's terms.
func asTSV(r inventory.Row) tsvRow {
	d := r.Daemon
	if r.SpawnedBy != "" {
		d += " (spawned by " + r.SpawnedBy + ")"
	}
	from := ""
	if r.StartedFrom != nil {
		from = r.StartedFrom.File
	}
	return tsvRow{r.Port, r.Proto, r.Name, d, from}
}

// rowsIn returns the inventory rows in the given states, as TSV rows.
func rowsIn(inv *inventory.Inventory, states ...inventory.State) map[tsvRow]inventory.Row {
	out := map[tsvRow]inventory.Row{}
	for _, r := range inv.Rows {
		for _, s := range states {
			if r.State == s {
				out[asTSV(r)] = r
			}
		}
	}
	return out
}

const (
	aixDefault  = "../../testdata/roots/aix433-default"
	aixHardened = "../../testdata/roots/aix433-hardened"
	debian      = "../../testdata/roots/debian12-server"
)

// The default AIX 4.3.3 host lists every row of the seed's port table as
// listening, explained by the right file.
func TestServicesAIXDefault(t *testing.T) {
	inv := servicesJSON(t, "--root", aixDefault)
	if !inv.Observed || inv.Platform.OS != "aix" || inv.Platform.Version != "4.3.3" {
		t.Errorf("observed %v, platform %+v", inv.Observed, inv.Platform)
	}
	got := rowsIn(inv, inventory.Listening)
	want := readTSV(t, "aix433-ports-default.tsv")
	if len(want) != 39 {
		t.Fatalf("acceptance table has %d rows", len(want))
	}
	for _, w := range want {
		if _, ok := got[w]; !ok {
			t.Errorf("missing listening row %v", w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d listening rows, want %d", len(got), len(want))
	}
	// Every started_from carries a line number, and every row a fileset.
	for _, r := range inv.Rows {
		if r.State == inventory.Listening && (r.StartedFrom == nil || r.StartedFrom.Line == 0) {
			t.Errorf("%d/%s has no start line", r.Port, r.Proto)
		}
	}
	// Rows the seed's table lacks but the files configure say why.
	why := map[string]string{}
	for _, r := range inv.Rows {
		if r.State == inventory.NotListening {
			why[r.Name] = r.Note
		}
	}
	for name, want := range map[string]string{
		"tftp":    "SRC",
		"rstatd":  "RPC program 100001",
		"rusersd": "RPC program 100002",
		"pcnfsd":  "RPC program 150001",
		"sprayd":  "portmapper",
	} {
		if !strings.Contains(why[name], want) {
			t.Errorf("%s: note %q does not say %q", name, why[name], want)
		}
	}
	for _, r := range inv.Rows {
		if r.Name == "ftp" && r.Package != "bos.net.tcp.client" {
			t.Errorf("ftp package %q", r.Package)
		}
	}
}

// dynamicPorts are the seed table's ports that no file fixes: RPC programs
// and ephemeral ports.
var dynamicPorts = map[int]bool{1001: true, 1002: true, 32768: true, 32769: true, 32772: true, 32785: true}

// From configuration alone, every row whose port a file fixes is predicted,
// and the others are listed as services with a dynamic port.
func TestServicesAIXDefaultConfigOnly(t *testing.T) {
	inv := servicesJSON(t, "--root", aixDefault, "--config-only")
	if inv.Observed {
		t.Error("config-only run used observed state")
	}
	got := rowsIn(inv, inventory.Predicted)
	for _, w := range readTSV(t, "aix433-ports-default.tsv") {
		if !dynamicPorts[w.Port] {
			if _, ok := got[w]; !ok {
				t.Errorf("not predicted: %v", w)
			}
			continue
		}
		d := w
		d.Port = 0
		r, ok := got[d]
		if !ok || !r.Dynamic {
			t.Errorf("not listed as a dynamic-port service: %v", w)
		}
	}
	for _, r := range inv.Rows {
		if r.State == inventory.Listening || r.State == inventory.NotListening {
			t.Errorf("config-only run has a %s row: %+v", r.State, r)
		}
	}
}

// The hardened host lists exactly the seed's six rows as listening, and
// predicts the same six from configuration alone.
func TestServicesAIXHardened(t *testing.T) {
	want := readTSV(t, "aix433-ports-hardened.tsv")
	for _, tc := range []struct {
		args  []string
		state inventory.State
	}{
		{[]string{"--root", aixHardened}, inventory.Listening},
		{[]string{"--root", aixHardened, "--config-only"}, inventory.Predicted},
	} {
		inv := servicesJSON(t, tc.args...)
		got := rowsIn(inv, tc.state, inventory.Unexplained, inventory.Listening, inventory.Predicted, inventory.NotListening)
		var gotList, wantList []string
		for r := range got {
			gotList = append(gotList, r.String())
		}
		for _, w := range want {
			wantList = append(wantList, w.String())
		}
		sort.Strings(gotList)
		sort.Strings(wantList)
		if strings.Join(gotList, "\n") != strings.Join(wantList, "\n") {
			t.Errorf("%v: rows\n%s\nwant\n%s", tc.args, strings.Join(gotList, "\n"), strings.Join(wantList, "\n"))
		}
		for _, r := range got {
			if r.State != tc.state {
				t.Errorf("%v: %d/%s is %s, want %s", tc.args, r.Port, r.Proto, r.State, tc.state)
			}
		}
	}
}

// The Debian fixture covers systemd units and sockets, masks, drop-ins,
// xinetd, inetd behind tcpd, SysV links, dpkg ownership and an unexplained
// listener.
func TestServicesDebian(t *testing.T) {
	inv := servicesJSON(t, "--root", debian)
	if inv.Platform.OS != "linux" || inv.Platform.Distro != "debian" || inv.Platform.Version != "12" {
		t.Errorf("platform %+v", inv.Platform)
	}
	type key struct {
		port  int
		proto string
		state inventory.State
	}
	rows := map[key]inventory.Row{}
	for _, r := range inv.Rows {
		rows[key{r.Port, r.Proto, r.State}] = r
	}
	check := func(port int, proto string, state inventory.State, daemon, from, pkg string) {
		t.Helper()
		r, ok := rows[key{port, proto, state}]
		if !ok {
			t.Errorf("no %s row for %d/%s", state, port, proto)
			return
		}
		src := ""
		if r.StartedFrom != nil {
			src = r.StartedFrom.String()
		}
		if r.Daemon != daemon || !strings.Contains(src, from) || r.Package != pkg {
			t.Errorf("%d/%s: daemon %q from %q package %q; want %q from %q package %q", port, proto, r.Daemon, src, r.Package, daemon, from, pkg)
		}
	}
	check(22, "tcp", inventory.Listening, "/usr/sbin/sshd", "ssh.service", "openssh-server")
	check(22, "tcp", inventory.Disabled, "/usr/sbin/sshd", "ssh.socket", "openssh-server")
	check(25, "tcp", inventory.Listening, "/usr/lib/postfix/sbin/master", "postfix.service", "postfix")
	check(69, "udp", inventory.Listening, "/usr/sbin/in.tftpd", "/etc/xinetd.d/tftp:4", "tftpd-hpa")
	check(79, "tcp", inventory.Listening, "/usr/sbin/in.fingerd", "/etc/inetd.conf:17", "fingerd")
	check(9, "tcp", inventory.Listening, "/usr/sbin/inetd", "/etc/inetd.conf:8", "openbsd-inetd")
	check(111, "udp", inventory.Listening, "/usr/sbin/rpcbind", "rpcbind", "rpcbind")
	check(161, "udp", inventory.Listening, "/usr/sbin/snmpd", "snmpd.service.d/override.conf:3", "snmpd")
	// Packages are looked up for what starts, not for what is turned off.
	check(21, "tcp", inventory.Disabled, "/usr/sbin/vsftpd", "vsftpd.service", "")
	check(23, "tcp", inventory.Disabled, "/usr/sbin/in.telnetd", "/etc/inetd.conf:14", "")
	check(7, "tcp", inventory.Disabled, "/usr/sbin/xinetd", "/etc/xinetd.d/echo", "xinetd")
	r := rows[key{54666, "tcp", inventory.Unexplained}]
	if len(r.Processes) != 1 || r.Processes[0].PID != 31337 || r.StartedFrom != nil {
		t.Errorf("unexplained row: %+v", r)
	}
	if r := rows[key{21, "tcp", inventory.Disabled}]; r.Why != "masked" {
		t.Errorf("vsftpd why %q", r.Why)
	}
	for _, r := range inv.Rows {
		if r.State == inventory.NotListening {
			t.Errorf("unexpected not-listening row %+v", r)
		}
	}
}

func TestServicesFailUnexplained(t *testing.T) {
	_, _, code := run(t, "services", "--root", debian, "--fail-unexplained", "-q")
	if code != ExitFindings {
		t.Errorf("exit %d with an unexplained listener, want %d", code, ExitFindings)
	}
	_, _, code = run(t, "services", "--root", aixHardened, "--fail-unexplained", "-q")
	if code != ExitOK {
		t.Errorf("exit %d without one, want %d", code, ExitOK)
	}
}

func TestServicesText(t *testing.T) {
	out, _, code := run(t, "services", "--root", debian, "--color", "never")
	if code != ExitOK {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{
		"PORT", "STARTED FROM", "/etc/xinetd.d/tftp:4", "unexplained",
		"Unexplained listeners:", "54666/tcp on 0.0.0.0: pid 31337 bd",
		"8 listening, 1 unexplained",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("text output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "\x1b[") {
		t.Error("colour with --color never")
	}
	out, _, _ = run(t, "services", "--root", debian, "--color", "always", "-q")
	if !strings.Contains(out, "\x1b[31m") || strings.Contains(out, "listening, 1 unexplained") {
		t.Errorf("--color always -q: want colour and no summary:\n%s", out)
	}
}

func TestServicesErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"services", "--root", "/nonexistent/root"}, "root /nonexistent/root"},
		{[]string{"services", "--format", "xml"}, `--format "xml"`},
		{[]string{"services", "--color", "blue"}, `--color "blue"`},
		{[]string{"services", "extra"}, "unknown command"},
		{[]string{"nosuch"}, "unknown command"},
	} {
		out, errs, code := run(t, tc.args...)
		if code != ExitError || !strings.Contains(errs, tc.want) || out != "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 2 and %q", tc.args, code, out, errs, tc.want)
		}
	}
}

// writeFile writes a file into a temporary directory and returns its path.
func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}
