package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"bastion/internal/host"
	"bastion/internal/inventory"
	"bastion/internal/target"
)

func sample() *inventory.Inventory {
	return &inventory.Inventory{
		SchemaVersion: inventory.SchemaVersion,
		Target:        "root /x",
		Platform:      target.Platform{OS: target.AIX, Name: "AIX 4.3.3"},
		Observed:      true,
		ObservedFrom:  "captured netstat",
		Rows: []inventory.Row{
			{Port: 177, Proto: "udp", Name: "xdmcp", Daemon: "/usr/dt/bin/dtlogin", SpawnedBy: "/etc/rc.dt",
				StartedFrom: &host.Source{File: "/etc/inittab", Line: 40}, State: inventory.Listening,
				Addresses: []string{"*"}, Processes: []inventory.Process{{PID: 7490, Command: "dtlogin"}}, Package: "X11.Dt.rte"},
			{Port: 54666, Proto: "tcp", State: inventory.Unexplained, Addresses: []string{"0.0.0.0"},
				Processes: []inventory.Process{{PID: 1, Command: "bd", Cmdline: []string{"./bd", "-l"}}}},
			{Proto: "udp", Name: "rstatd", Daemon: "/usr/sbin/rpc.rstatd", State: inventory.Disabled,
				StartedFrom: &host.Source{File: "/etc/inetd.conf", Line: 3}, Why: "commented out", Dynamic: true},
		},
		Gaps: []target.Gap{{Path: "/etc/services", Line: 64, What: "port names", Reason: "port 70000 out of range"}},
	}
}

func TestServicesText(t *testing.T) {
	var b bytes.Buffer
	if err := Services(&b, sample(), Options{Wide: true}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"/usr/dt/bin/dtlogin (spawned by /etc/rc.dt)", "/etc/inittab:40", "X11.Dt.rte", "pid 7490 dtlogin",
		"pid 1 ./bd -l", "dynamic", "disabled: commented out",
		"root /x (AIX 4.3.3): 1 listening, 1 unexplained, 1 disabled; state captured netstat",
		"/etc/services:64: port 70000 out of range (port names)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	b.Reset()
	if err := Services(&b, sample(), Options{Quiet: true, Color: true}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "coverage gaps") || !strings.Contains(b.String(), "\x1b[31m") {
		t.Errorf("quiet coloured output:\n%s", b.String())
	}
}

func TestJSONRoundTrip(t *testing.T) {
	var b bytes.Buffer
	if err := JSON(&b, sample()); err != nil {
		t.Fatal(err)
	}
	var got inventory.Inventory
	if err := json.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Rows) != 3 || got.Rows[0].StartedFrom.Line != 40 || got.Rows[2].Why != "commented out" || got.Gaps[0].Line != 64 {
		t.Errorf("round trip lost data: %+v", got)
	}
	if !strings.Contains(b.String(), `"schema_version": 1`) {
		t.Error("no schema_version")
	}
}
