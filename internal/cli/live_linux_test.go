//go:build linux

package cli

import (
	"net"
	"os"
	"strings"
	"testing"

	"bastion/internal/inventory"
)

// A listener this test opens on loopback, on a port nothing starts, shows as
// unexplained with this process's pid and command line.
func TestServicesLiveUnexplained(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	port := ln.Addr().(*net.TCPAddr).Port
	inv := servicesJSON(t)
	if !inv.Observed || !strings.HasPrefix(inv.ObservedFrom, "live") {
		t.Fatalf("live state not read: %+v", inv.ObservedFrom)
	}
	var row *inventory.Row
	for i, r := range inv.Rows {
		if r.Port == port && r.Proto == "tcp" {
			row = &inv.Rows[i]
		}
	}
	if row == nil {
		t.Fatalf("no row for the test listener on port %d", port)
	}
	if row.State != inventory.Unexplained || row.StartedFrom != nil {
		t.Errorf("state %s, started from %v; want unexplained", row.State, row.StartedFrom)
	}
	if len(row.Addresses) != 1 || row.Addresses[0] != "127.0.0.1" {
		t.Errorf("addresses %v", row.Addresses)
	}
	found := false
	for _, p := range row.Processes {
		if p.PID == os.Getpid() {
			found = true
			if len(p.Cmdline) == 0 || p.Exe == "" {
				t.Errorf("process without command line or executable: %+v", p)
			}
		}
	}
	if !found {
		t.Errorf("pid %d not among %+v", os.Getpid(), row.Processes)
	}
	// A UDP socket too.
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	uport := pc.LocalAddr().(*net.UDPAddr).Port
	inv = servicesJSON(t)
	for _, r := range inv.Rows {
		if r.Port == uport && r.Proto == "udp" {
			if r.State != inventory.Unexplained || len(r.Processes) == 0 || r.Processes[0].PID != os.Getpid() {
				t.Errorf("udp row %+v", r)
			}
			return
		}
	}
	t.Errorf("no row for the udp socket on port %d", uport)
}
