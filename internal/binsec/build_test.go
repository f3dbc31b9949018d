package binsec

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// The tests in this file build binaries with the machine's gcc and go and
// check the reports against what the build flags promise.

// program copies and prints a buffer whose size the compiler can see, so
// that _FORTIFY_SOURCE has calls to replace and -fstack-protector-strong
// has a frame to protect.
const program = `#include <stdio.h>
#include <string.h>

int main(int argc, char **argv) {
	char buf[16];
	char out[32];
	strcpy(buf, argc > 1 ? argv[1] : "x");
	memcpy(out, buf, strlen(buf) + 1);
	printf("%s %s\n", buf, out);
	return 0;
}
`

func runCmd(t *testing.T, name string, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command(name, args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.String(), err
}

// gccBuild compiles program with flags into dir and returns the output's
// path. The test fails when gcc is missing: the test set-up installs it.
func gccBuild(t *testing.T, dir, name string, flags ...string) string {
	t.Helper()
	if _, err := exec.LookPath("gcc"); err != nil {
		t.Fatalf("gcc is needed to build the test binaries: %v", err)
	}
	src := filepath.Join(dir, "prog.c")
	if _, err := os.Stat(src); err != nil {
		if err := os.WriteFile(src, []byte(program), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out := filepath.Join(dir, name)
	args := append(append([]string{}, flags...), "-o", out, src)
	if msg, err := runCmd(t, "gcc", args...); err != nil {
		t.Fatalf("gcc %s: %v\n%s", strings.Join(args, " "), err, msg)
	}
	return out
}

func inspectFile(t *testing.T, path string) *Report {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rep, err := Inspect(f, path)
	if err != nil {
		t.Fatalf("Inspect: %v", err)
	}
	return rep
}

// countOpts leaves the fortify counts, which depend on the compiler's
// choices, to the per-case bounds.
var countOpts = cmp.Options{cmpopts.EquateEmpty(), cmpopts.IgnoreFields(Report{}, "FortifiedFuncs", "FortifiableFuncs")}

func TestGCCVariants(t *testing.T) {
	dir := t.TempDir()
	// -U_FORTIFY_SOURCE first: some distributions' gcc defines it, and
	// some enable the stack protector or immediate binding by default, so
	// every variant says what it wants.
	tests := []struct {
		name  string
		flags []string
		want  Report
		// Bounds on the fortify counts.
		minFortified, maxFortified, minFortifiable int
	}{{
		name:  "all off",
		flags: []string{"-U_FORTIFY_SOURCE", "-no-pie", "-fno-stack-protector", "-z", "norelro", "-z", "execstack", "-O0"},
		want:  Report{Format: "elf", Type: TypeExec, PIE: No, NX: No, RELRO: RELRONone, Canary: No, Fortify: No},
		// strcpy, memcpy and printf, none checked.
		minFortifiable: 3,
	}, {
		name: "all on",
		flags: []string{"-U_FORTIFY_SOURCE", "-fPIE", "-pie", "-fstack-protector-strong", "-D_FORTIFY_SOURCE=2", "-O2",
			"-Wl,-z,relro,-z,now"},
		want:         Report{Format: "elf", Type: TypePIE, PIE: Yes, NX: Yes, RELRO: RELROFull, Canary: Yes, Fortify: Yes},
		minFortified: 1, maxFortified: 3, minFortifiable: 1,
	}, {
		name:  "partial RELRO",
		flags: []string{"-U_FORTIFY_SOURCE", "-fPIE", "-pie", "-fno-stack-protector", "-Wl,-z,relro,-z,lazy"},
		want:  Report{Format: "elf", Type: TypePIE, PIE: Yes, NX: Yes, RELRO: RELROPartial, Canary: No, Fortify: No},
	}, {
		name:  "static",
		flags: []string{"-static", "-no-pie", "-Wl,-z,relro"},
		// libc's own __stack_chk_fail is linked in: checksec says the
		// same. A static binary has no dynamic section, so no BIND_NOW.
		want: Report{Format: "elf", Type: TypeExec, PIE: No, NX: Yes, RELRO: RELROPartial, Canary: Yes, Fortify: No, Static: true},
	}, {
		name:  "static and stripped",
		flags: []string{"-static", "-no-pie", "-s"},
		want: Report{Format: "elf", Type: TypeExec, PIE: No, NX: Yes, RELRO: RELROPartial, Static: true, Stripped: true,
			Problems: []string{"no symbol table: stack canary and FORTIFY_SOURCE cannot be decided"}},
	}, {
		name: "stripped",
		flags: []string{"-U_FORTIFY_SOURCE", "-s", "-fPIE", "-pie", "-fstack-protector-strong", "-D_FORTIFY_SOURCE=2", "-O2",
			"-Wl,-z,relro,-z,now"},
		// The dynamic symbols survive stripping.
		want:         Report{Format: "elf", Type: TypePIE, PIE: Yes, NX: Yes, RELRO: RELROFull, Canary: Yes, Fortify: Yes, Stripped: true},
		minFortified: 1, maxFortified: 3, minFortifiable: 1,
	}, {
		name:  "rpath",
		flags: []string{"-U_FORTIFY_SOURCE", "-fPIE", "-pie", "-fno-stack-protector", "-Wl,-z,relro,-z,now", "-Wl,--disable-new-dtags,-rpath,/opt/x"},
		want: Report{Format: "elf", Type: TypePIE, PIE: Yes, NX: Yes, RELRO: RELROFull, Canary: No, Fortify: No,
			RPath: []string{"/opt/x"}},
	}, {
		name:  "runpath",
		flags: []string{"-U_FORTIFY_SOURCE", "-fPIE", "-pie", "-fno-stack-protector", "-Wl,-z,relro,-z,now", "-Wl,--enable-new-dtags,-rpath,/opt/x:/opt/y"},
		want: Report{Format: "elf", Type: TypePIE, PIE: Yes, NX: Yes, RELRO: RELROFull, Canary: No, Fortify: No,
			RunPath: []string{"/opt/x", "/opt/y"}},
	}, {
		name:  "shared library",
		flags: []string{"-U_FORTIFY_SOURCE", "-shared", "-fPIC", "-fno-stack-protector", "-Wl,-z,relro,-z,now"},
		want:  Report{Format: "elf", Type: TypeDSO, PIE: Yes, NX: Yes, RELRO: RELROFull, Canary: No, Fortify: No},
	}}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := gccBuild(t, dir, "variant"+string(rune('a'+i)), tt.flags...)
			got := inspectFile(t, path)
			if diff := cmp.Diff(&tt.want, got, countOpts); diff != "" {
				t.Errorf("gcc %s: report mismatch (-want +got):\n%s", strings.Join(tt.flags, " "), diff)
			}
			if tt.want.Fortify != Unknown {
				if got.FortifiedFuncs < tt.minFortified || (tt.maxFortified > 0 && got.FortifiedFuncs > tt.maxFortified) ||
					(tt.maxFortified == 0 && got.FortifiedFuncs != 0) {
					t.Errorf("FortifiedFuncs = %d, want %d..%d", got.FortifiedFuncs, tt.minFortified, tt.maxFortified)
				}
				if got.FortifiableFuncs < tt.minFortifiable || got.FortifiableFuncs < got.FortifiedFuncs {
					t.Errorf("FortifiableFuncs = %d, want at least %d and at least FortifiedFuncs", got.FortifiableFuncs, tt.minFortifiable)
				}
			}
		})
	}
}

// goCommand returns the go command that runs this test.
func goCommand(t *testing.T) string {
	t.Helper()
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command is needed: %v", err)
	}
	return gobin
}

// goBuild builds a tiny Go program for goos/goarch with extra flags.
func goBuild(t *testing.T, goos, goarch string, flags ...string) string {
	t.Helper()
	gobin := goCommand(t)
	dir := t.TempDir()
	files := map[string]string{
		"go.mod":  "module tiny\n\ngo 1.21\n",
		"main.go": "package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(\"listening\") }\n",
	}
	for n, c := range files {
		if err := os.WriteFile(filepath.Join(dir, n), []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out := filepath.Join(dir, "tiny")
	cmd := exec.Command(gobin, append(append([]string{"build"}, flags...), "-o", out, ".")...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS="+goos, "GOARCH="+goarch, "GOFLAGS=", "GOWORK=off")
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, msg)
	}
	return out
}

func TestGoBinary(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("builds a Linux ELF binary")
	}
	// A static Go binary: no interpreter, no canary (Go does not use
	// one), a non-executable stack.
	got := inspectFile(t, goBuild(t, runtime.GOOS, runtime.GOARCH, "-buildmode=exe"))
	want := Report{Format: "elf", Type: TypeExec, PIE: No, NX: Yes, RELRO: RELRONone, Canary: No, Fortify: No, Static: true, Go: true}
	if got.Type == TypePIE { // some platforms link every executable as a PIE
		want.Type, want.PIE = TypePIE, Yes
	}
	if diff := cmp.Diff(&want, got, reportOpts); diff != "" {
		t.Errorf("go build: report mismatch (-want +got):\n%s", diff)
	}

	// Stripped of its symbols, it is still known as Go, and canary and
	// fortify stay No rather than becoming unknown.
	got = inspectFile(t, goBuild(t, runtime.GOOS, runtime.GOARCH, "-buildmode=exe", "-ldflags=-s -w"))
	want.Stripped = true
	if diff := cmp.Diff(&want, got, reportOpts); diff != "" {
		t.Errorf("go build -ldflags=-s -w: report mismatch (-want +got):\n%s", diff)
	}
}

// TestGoXCOFF reads a real XCOFF executable: the Go toolchain's build of a
// tiny program for AIX.
func TestGoXCOFF(t *testing.T) {
	got := inspectFile(t, goBuild(t, "aix", "ppc64"))
	want := Report{
		Format: "xcoff", Type: TypeExec, SED: SEDSystem, Canary: No, Fortify: No, Go: true,
		// Go's linker records the default AIX library path.
		RPath: []string{"/usr/lib", "/lib"},
		Problems: []string{
			"XCOFF marks no position independence: PIE not decided",
			"no stack execution disable request in the XCOFF header: the system-wide sedmgr mode decides NX",
		},
	}
	if diff := cmp.Diff(&want, got, countOpts); diff != "" {
		t.Errorf("report mismatch (-want +got):\n%s", diff)
	}
}

// TestGCCXCOFF reads the gcc-built AIX executables the Go distribution
// carries as test data for its own XCOFF reader, when they are there.
func TestGCCXCOFF(t *testing.T) {
	goroot, err := runCmd(t, goCommand(t), "env", "GOROOT")
	if err != nil {
		t.Fatalf("go env GOROOT: %v\n%s", err, goroot)
	}
	for _, n := range []string{"gcc-ppc32-aix-dwarf2-exec", "gcc-ppc64-aix-dwarf2-exec"} {
		path := filepath.Join(strings.TrimSpace(goroot), "src", "internal", "xcoff", "testdata", n)
		if _, err := os.Stat(path); err != nil {
			t.Skipf("no AIX test executables in the Go distribution: %v", err)
		}
		got := inspectFile(t, path)
		if got.Format != "xcoff" || got.Type != TypeExec || got.Static || got.Stripped || got.SED != SEDSystem || got.Canary != No {
			t.Errorf("%s: %+v", n, got)
		}
		if l := len(got.RPath); l < 2 || got.RPath[l-2] != "/usr/lib" || got.RPath[l-1] != "/lib" {
			t.Errorf("%s: RPath %q, want it to end with /usr/lib, /lib", n, got.RPath)
		}
	}
}

// TestSystemBinary inspects a daemon of this machine and checks the report
// against what readelf says about the same file.
func TestSystemBinary(t *testing.T) {
	path := "/usr/sbin/sshd"
	if _, err := os.Stat(path); err != nil {
		path = "/bin/ls"
	}
	got := inspectFile(t, path)
	if got.Format != "elf" || got.PIE == Unknown || got.NX == Unknown || got.RELRO == "" || got.Canary == Unknown || len(got.Problems) > 0 {
		t.Errorf("%s: implausible report %+v", path, got)
	}
	if _, err := exec.LookPath("readelf"); err != nil {
		t.Skip("no readelf to compare with")
	}
	out, err := runCmd(t, "readelf", "-W", "-h", "-l", "-d", path)
	if err != nil {
		t.Fatalf("readelf: %v\n%s", err, out)
	}
	relro := RELRONone
	if strings.Contains(out, "GNU_RELRO") {
		relro = RELROPartial
		if strings.Contains(out, "BIND_NOW") || strings.Contains(out, "Flags: NOW") {
			relro = RELROFull
		}
	}
	if got.RELRO != relro {
		t.Errorf("RELRO = %q, readelf says %q", got.RELRO, relro)
	}
	pie := No
	if strings.Contains(out, "Type:                              DYN") {
		pie = Yes
	}
	if got.PIE != pie {
		t.Errorf("PIE = %v, readelf says %v", got.PIE, pie)
	}
	nx := No
	for _, l := range strings.Split(out, "\n") {
		if f := strings.Fields(l); len(f) > 0 && f[0] == "GNU_STACK" {
			nx = Yes
			if strings.Contains(l, "RWE") {
				nx = No
			}
		}
	}
	if got.NX != nx {
		t.Errorf("NX = %v, readelf says %v", got.NX, nx)
	}
	syms, err := runCmd(t, "readelf", "-W", "--dyn-syms", path)
	if err != nil {
		t.Fatalf("readelf: %v", err)
	}
	if canary := strings.Contains(syms, "__stack_chk_fail"); canary != (got.Canary == Yes) {
		t.Errorf("Canary = %v, readelf finds __stack_chk_fail: %v", got.Canary, canary)
	}
}
