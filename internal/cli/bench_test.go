package cli

import (
	"io"
	"testing"
)

// BenchmarkServicesLive times "bastion services" on this machine, live:
// every start-up file, the kernel's socket tables, the process table and
// the package database. bench/services.sh times the built binary.
func BenchmarkServicesLive(b *testing.B) {
	g := &Globals{Format: "json", Color: "never", Stdout: io.Discard, Stderr: io.Discard}
	for b.Loop() {
		if err := runServices(b.Context(), g, servicesOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkServicesAIXRoot times the inventory of the AIX fixture root.
func BenchmarkServicesAIXRoot(b *testing.B) {
	g := &Globals{Root: aixDefault, Format: "json", Color: "never", Stdout: io.Discard, Stderr: io.Discard}
	for b.Loop() {
		if err := runServices(b.Context(), g, servicesOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAuditLive times "bastion audit" on this machine, live: every
// rule of every topic, with the packet filter, the package lists and the
// daemons' executables read. bench/audit.sh times the built binary.
func BenchmarkAuditLive(b *testing.B) {
	g := &Globals{Format: "json", Color: "never", Stdout: io.Discard, Stderr: io.Discard}
	for b.Loop() {
		if err := runAudit(b.Context(), g, auditOptions{}); err != nil && err != errFindings {
			b.Fatal(err)
		}
	}
}
