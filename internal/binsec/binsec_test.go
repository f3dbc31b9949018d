package binsec

import (
	"bytes"
	"debug/elf"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestStateString(t *testing.T) {
	for s, want := range map[State]string{Unknown: "unknown", No: "no", Yes: "yes", State(7): "unknown"} {
		if got := s.String(); got != want {
			t.Errorf("State(%d).String() = %q, want %q", int(s), got, want)
		}
	}
}

// reportOpts compares Reports treating nil and empty slices alike.
var reportOpts = cmp.Options{cmpopts.EquateEmpty()}

func TestInspectSyntheticELF(t *testing.T) {
	loadRW := elf.PF_R | elf.PF_W
	tests := []struct {
		name string
		spec elfSpec
		want Report
	}{{
		name: "64-bit PIE, full RELRO through DT_FLAGS, canary and fortify",
		spec: elfSpec{
			class64: true, typ: elf.ET_DYN, interp: true, stackFlags: loadRW, relro: true,
			dyn: []dynEntry{
				{tag: elf.DT_NEEDED, str: "libc.so.6"},
				{tag: elf.DT_FLAGS, val: uint64(elf.DF_BIND_NOW)},
				{tag: elf.DT_FLAGS_1, val: uint64(elf.DF_1_PIE)},
			},
			imports: []string{"__stack_chk_fail", "__memcpy_chk", "__printf_chk", "strcpy", "strlen"},
		},
		want: Report{
			Format: "elf", Type: TypePIE, PIE: Yes, NX: Yes, RELRO: RELROFull,
			Canary: Yes, Fortify: Yes, FortifiedFuncs: 2, FortifiableFuncs: 3, Stripped: true,
		},
	}, {
		name: "32-bit big-endian fixed executable, executable stack, no RELRO",
		spec: elfSpec{
			bigEndian: true, typ: elf.ET_EXEC, interp: true, stackFlags: loadRW | elf.PF_X,
			dyn:     []dynEntry{{tag: elf.DT_NEEDED, str: "libc.so.6"}, {tag: elf.DT_DEBUG}},
			imports: []string{"memcpy", "printf", "puts"},
		},
		want: Report{
			Format: "elf", Type: TypeExec, PIE: No, NX: No, RELRO: RELRONone,
			Canary: No, Fortify: No, FortifiableFuncs: 2, Stripped: true,
		},
	}, {
		name: "32-bit little-endian, partial RELRO, no PT_GNU_STACK",
		spec: elfSpec{
			typ: elf.ET_DYN, interp: true, noStack: true, relro: true,
			dyn:     []dynEntry{{tag: elf.DT_NEEDED, str: "libc.so.6"}},
			imports: []string{"__stack_chk_fail_local", "__strcpy_chk", "strcpy"},
		},
		want: Report{
			Format: "elf", Type: TypePIE, PIE: Yes, NX: No, RELRO: RELROPartial,
			Canary: Yes, Fortify: Yes, FortifiedFuncs: 1, FortifiableFuncs: 2, Stripped: true,
		},
	}, {
		name: "64-bit big-endian, DT_BIND_NOW, DT_FLAGS_1 NOW",
		spec: elfSpec{
			class64: true, bigEndian: true, typ: elf.ET_DYN, interp: true, stackFlags: elf.PF_R, relro: true,
			dyn: []dynEntry{
				{tag: elf.DT_NEEDED, str: "libc.so.6"},
				{tag: elf.DT_BIND_NOW},
				{tag: elf.DT_FLAGS_1, val: uint64(elf.DF_1_NOW)},
			},
			imports: []string{"__stack_chk_guard"},
		},
		want: Report{
			Format: "elf", Type: TypePIE, PIE: Yes, NX: Yes, RELRO: RELROFull,
			Canary: Yes, Fortify: No, Stripped: true,
		},
	}, {
		name: "shared object: no interpreter, no DT_DEBUG, no DF_1_PIE",
		spec: elfSpec{
			class64: true, typ: elf.ET_DYN, stackFlags: loadRW, relro: true,
			dyn: []dynEntry{{tag: elf.DT_NEEDED, str: "libc.so.6"}, {tag: elf.DT_SONAME, str: "libx.so.1"}},
		},
		want: Report{
			Format: "elf", Type: TypeDSO, PIE: Yes, NX: Yes, RELRO: RELROPartial,
			Canary: No, Fortify: No, Stripped: true,
		},
	}, {
		name: "static PIE: DT_DEBUG but no interpreter and nothing needed",
		spec: elfSpec{
			class64: true, typ: elf.ET_DYN, stackFlags: loadRW, relro: true,
			dyn: []dynEntry{{tag: elf.DT_DEBUG}, {tag: elf.DT_FLAGS_1, val: uint64(elf.DF_1_PIE | elf.DF_1_NOW)}},
		},
		want: Report{
			Format: "elf", Type: TypePIE, PIE: Yes, NX: Yes, RELRO: RELROFull,
			Canary: No, Fortify: No, Stripped: true, Static: true,
		},
	}, {
		name: "RPATH and RUNPATH split at ':' with an empty entry kept, section headers removed",
		spec: elfSpec{
			class64: true, typ: elf.ET_EXEC, interp: true, stackFlags: loadRW, noSections: true,
			dyn: []dynEntry{
				{tag: elf.DT_NEEDED, str: "libc.so.6"},
				{tag: elf.DT_RPATH, str: "/opt/a:/opt/b:"},
				{tag: elf.DT_RUNPATH, str: "$ORIGIN/../lib"},
				{tag: elf.DT_RPATH, str: "/opt/c"},
			},
		},
		want: Report{
			Format: "elf", Type: TypeExec, PIE: No, NX: Yes, RELRO: RELRONone,
			RPath: []string{"/opt/a", "/opt/b", "", "/opt/c"}, RunPath: []string{"$ORIGIN/../lib"},
			Stripped: true,
			Problems: []string{"no symbol table: stack canary and FORTIFY_SOURCE cannot be decided"},
		},
	}, {
		name: "relocatable object",
		spec: elfSpec{class64: true, typ: elf.ET_REL, noStack: true, noDynamic: true},
		want: Report{
			Format: "elf", Type: TypeRel, NX: No, RELRO: RELRONone, Stripped: true,
			Canary: No, Fortify: No,
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Inspect(bytes.NewReader(buildELF(tt.spec)), "synthetic")
			if err != nil {
				t.Fatalf("Inspect: %v", err)
			}
			if diff := cmp.Diff(&tt.want, got, reportOpts); diff != "" {
				t.Errorf("report mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestInspectSyntheticXCOFF(t *testing.T) {
	libc := []string{"libc.a shr.o"}
	imports := []xcoffSymSpec{
		{name: "__stack_chk_fail", imported: true},
		{name: "__memcpy_chk", imported: true},
		{name: "strcpy", imported: true},
		{name: "memcpy"}, // defined here, not imported: no fortify weight
		{name: "main"},
	}
	const noSED = "no stack execution disable request in the XCOFF header: the system-wide sedmgr mode decides NX"
	const noPIE = "XCOFF marks no position independence: PIE not decided"
	tests := []struct {
		name string
		spec xcoffSpec
		want Report
	}{{
		name: "64-bit executable requesting SED, canary and fortify imported",
		spec: xcoffSpec{is64: true, flags: xcoffFExec | xcoffFDep2, libpath: "/usr/lib:/lib", modules: libc, loaderSym: imports},
		want: Report{
			Format: "xcoff", Type: TypeExec, NX: Yes, SED: SEDRequest,
			Canary: Yes, Fortify: Yes, FortifiedFuncs: 1, FortifiableFuncs: 2,
			RPath: []string{"/usr/lib", "/lib"}, Stripped: true,
			Problems: []string{noPIE},
		},
	}, {
		name: "32-bit executable exempt from SED, long names in the string table",
		spec: xcoffSpec{flags: xcoffFExec | xcoffFDep1, libpath: "/opt/freeware/lib:/usr/lib", modules: libc, loaderSym: imports},
		want: Report{
			Format: "xcoff", Type: TypeExec, NX: No, SED: SEDExempt,
			Canary: Yes, Fortify: Yes, FortifiedFuncs: 1, FortifiableFuncs: 2,
			RPath: []string{"/opt/freeware/lib", "/usr/lib"}, Stripped: true,
			Problems: []string{noPIE},
		},
	}, {
		name: "shared object with no request, nothing imported that matters",
		spec: xcoffSpec{is64: true, flags: xcoffFDynLoad | xcoffFShrObj, libpath: "/usr/lib", modules: libc,
			loaderSym: []xcoffSymSpec{{name: "printf", imported: true}, {name: "exported_fn"}}},
		want: Report{
			Format: "xcoff", Type: TypeDSO, SED: SEDSystem,
			Canary: No, Fortify: No, FortifiableFuncs: 1,
			RPath: []string{"/usr/lib"}, Stripped: true,
			Problems: []string{noPIE, noSED},
		},
	}, {
		name: "static executable: canary found in the symbol table",
		spec: xcoffSpec{flags: xcoffFExec | xcoffFDep2, libpath: "/usr/lib", symtab: []string{".main", ".__stack_chk_fail", "__stack_chk_guard", "errno"}},
		want: Report{
			Format: "xcoff", Type: TypeExec, NX: Yes, SED: SEDRequest, Static: true,
			Canary: Yes, Fortify: No, RPath: []string{"/usr/lib"},
			Problems: []string{noPIE},
		},
	}, {
		name: "64-bit, no loader section, symbol table with Go's runtime",
		spec: xcoffSpec{is64: true, flags: xcoffFExec, noLoader: true, symtab: []string{"runtime.buildVersion", ".memcpy"}},
		want: Report{
			Format: "xcoff", Type: TypeExec, SED: SEDSystem, Static: true, Go: true,
			Canary: No, Fortify: No, FortifiableFuncs: 1,
			Problems: []string{noPIE, noSED},
		},
	}, {
		name: "both SED bits, stripped object file",
		spec: xcoffSpec{flags: xcoffFDep1 | xcoffFDep2, noLoader: true},
		want: Report{
			Format: "xcoff", Type: TypeRel, Stripped: true,
			Problems: []string{noPIE,
				"both stack execution disable bits set in the XCOFF header (flags 0x8080): NX not decided",
				"no symbol table: stack canary and FORTIFY_SOURCE cannot be decided"},
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Inspect(bytes.NewReader(buildXCOFF(tt.spec)), "synthetic")
			if err != nil {
				t.Fatalf("Inspect: %v", err)
			}
			if diff := cmp.Diff(&tt.want, got, reportOpts); diff != "" {
				t.Errorf("report mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestInspectErrorsNameTheFile(t *testing.T) {
	elf64 := buildELF(elfSpec{class64: true, typ: elf.ET_EXEC, interp: true,
		dyn: []dynEntry{{tag: elf.DT_NEEDED, str: "libc.so.6"}}, imports: []string{"puts"}})
	xc := buildXCOFF(xcoffSpec{is64: true, flags: xcoffFExec, libpath: "/usr/lib"})
	tests := []struct {
		name   string
		data   []byte
		format string
	}{
		{"empty", nil, ""},
		{"text", []byte("#!/bin/sh\necho hello\n"), ""},
		{"ELF magic only", []byte("\x7fELF"), "elf"},
		{"ELF header cut short", elf64[:40], "elf"},
		{"ELF program headers cut off", elf64[:70], "elf"},
		{"XCOFF header cut short", xc[:10], "xcoff"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, err := Inspect(bytes.NewReader(tt.data), "/srv/daemon")
			if err == nil {
				t.Fatalf("Inspect succeeded: %+v", rep)
			}
			if !strings.HasPrefix(err.Error(), "/srv/daemon: ") {
				t.Errorf("error %q does not start with the file name", err)
			}
			if rep == nil || rep.Format != tt.format {
				t.Errorf("report %+v, want Format %q", rep, tt.format)
			}
		})
	}
}

// TestInspectTruncatedTables cuts a file after its headers: what the
// headers say is still reported, and what lies past the end is a problem,
// not an error or a panic.
func TestInspectTruncatedTables(t *testing.T) {
	full := buildELF(elfSpec{class64: true, typ: elf.ET_DYN, interp: true, stackFlags: elf.PF_R | elf.PF_W, relro: true,
		dyn:     []dynEntry{{tag: elf.DT_NEEDED, str: "libc.so.6"}, {tag: elf.DT_FLAGS_1, val: uint64(elf.DF_1_NOW | elf.DF_1_PIE)}},
		imports: []string{"__stack_chk_fail"}})
	// Zero the dynamic symbols: every name is then the empty string.
	f, err := elf.NewFile(bytes.NewReader(full))
	if err != nil {
		t.Fatal(err)
	}
	cut := append([]byte(nil), full...)
	for _, s := range f.Sections {
		if s.Type == elf.SHT_DYNSYM {
			clear(cut[s.Offset : s.Offset+s.Size])
		}
	}
	rep, err := Inspect(bytes.NewReader(cut), "x")
	if err != nil {
		t.Fatalf("Inspect: %v", err)
	}
	if rep.PIE != Yes || rep.RELRO != RELROFull || rep.NX != Yes {
		t.Errorf("header facts lost: %+v", rep)
	}
	if rep.Canary != No {
		t.Errorf("Canary = %v with the symbols zeroed, want no", rep.Canary)
	}

	// A reader that cannot tell its size: a symbol table said to be huge is
	// refused at the real end of the data rather than allocated whole.
	big := append([]byte(nil), full...)
	for _, s := range f.Sections {
		if s.Type == elf.SHT_DYNSYM {
			setSectionSize(t, big, f, s, MaxTable-1)
		}
	}
	rep, err = Inspect(sizeless{bytes.NewReader(big)}, "x")
	if err != nil {
		t.Fatalf("Inspect: %v", err)
	}
	if len(rep.Problems) == 0 || !strings.Contains(rep.Problems[0], "dynamic symbols") {
		t.Errorf("Problems = %q, want the dynamic symbols unreadable", rep.Problems)
	}
	rep, err = Inspect(bytes.NewReader(big), "x")
	if err != nil || len(rep.Problems) == 0 || !strings.Contains(rep.Problems[0], "past the end of the file") {
		t.Errorf("with a known size: err %v, Problems %q, want the table refused as past the end", err, rep.Problems)
	}
}

// sizeless hides the Size method of a reader.
type sizeless struct{ r io.ReaderAt }

func (s sizeless) ReadAt(p []byte, off int64) (int, error) { return s.r.ReadAt(p, off) }

// setSectionSize rewrites the size field of section s's header in data.
func setSectionSize(t *testing.T, data []byte, f *elf.File, s *elf.Section, size uint64) {
	t.Helper()
	idx := -1
	for i, x := range f.Sections {
		if x == s {
			idx = i
		}
	}
	shoff := f.ByteOrder.Uint64(data[0x28:])
	shentsize := uint64(f.ByteOrder.Uint16(data[0x3a:]))
	f.ByteOrder.PutUint64(data[shoff+uint64(idx)*shentsize+0x20:], size)
}

func TestFortifyNames(t *testing.T) {
	for _, n := range []string{"memcpy", "__memcpy_chk", "printf", "__printf_chk", "read", "__read_chk"} {
		if _, ok := fortify[n]; !ok {
			t.Errorf("%s not in the fortify set", n)
		}
	}
	for _, n := range []string{"strlen", "__chk_fail", "__memcpy_chk_erms", "malloc"} {
		if _, ok := fortify[n]; ok {
			t.Errorf("%s in the fortify set", n)
		}
	}
	var s symbolScan
	for _, n := range []string{"memcpy@GLIBC_2.14", "__memcpy_chk@GLIBC_2.3.4", "__memcpy_chk", "__stack_chk_fail@GLIBC_2.4", "", "@"} {
		s.add([]byte(n), true)
	}
	var rep Report
	s.fill(&rep)
	if rep.Canary != Yes || rep.Fortify != Yes || rep.FortifiedFuncs != 1 || rep.FortifiableFuncs != 2 {
		t.Errorf("after versioned names: %+v", rep)
	}
}

// TestFortifyCoversLibc checks the fortify set against the checked
// functions the C library of this machine exports, so that a new glibc
// function is noticed.
func TestFortifyCoversLibc(t *testing.T) {
	out, err := runCmd(t, "gcc", "-print-file-name=libc.so.6")
	path := strings.TrimSpace(out)
	if err != nil || !filepath.IsAbs(path) {
		t.Skipf("no glibc shared library found (%q, %v)", path, err)
	}
	f, err := elf.Open(path)
	if err != nil {
		t.Skipf("libc: %v", err)
	}
	defer f.Close()
	syms, err := f.DynamicSymbols()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, s := range syms {
		name, _, _ := strings.Cut(s.Name, "@")
		if s.Section == elf.SHN_UNDEF || !strings.HasPrefix(name, "__") || !strings.HasSuffix(name, "_chk") {
			continue
		}
		n++
		if f, ok := fortify[name]; !ok || !f.checked {
			t.Errorf("libc exports %s, which the fortify set lacks", name)
		}
	}
	if n < 50 {
		t.Errorf("libc exports only %d checked functions; expected glibc's set", n)
	}
}

// TestInspectNeverPanics feeds prefixes and single-byte corruptions of real
// and synthetic binaries; Inspect must return, without a recovered panic.
func TestInspectNeverPanics(t *testing.T) {
	inputs := [][]byte{
		buildELF(elfSpec{class64: true, typ: elf.ET_DYN, interp: true, relro: true,
			dyn:     []dynEntry{{tag: elf.DT_NEEDED, str: "libc.so.6"}, {tag: elf.DT_RUNPATH, str: "/x"}},
			imports: []string{"__stack_chk_fail", "__memcpy_chk"}}),
		buildELF(elfSpec{bigEndian: true, typ: elf.ET_EXEC, interp: true, noSections: true,
			dyn: []dynEntry{{tag: elf.DT_RPATH, str: "/a:/b"}}}),
		buildXCOFF(xcoffSpec{flags: xcoffFExec, libpath: "/usr/lib", modules: []string{"libc.a shr.o"},
			loaderSym: []xcoffSymSpec{{name: "__stack_chk_fail", imported: true}}, symtab: []string{".main", "a_long_symbol_name"}}),
		buildXCOFF(xcoffSpec{is64: true, flags: xcoffFExec, libpath: "/usr/lib", modules: []string{"libc.a shr_64.o"},
			loaderSym: []xcoffSymSpec{{name: "printf", imported: true}}, symtab: []string{".main"}}),
	}
	for _, in := range inputs {
		for n := 0; n <= len(in); n++ {
			check(t, in[:n])
		}
		for i := range in {
			for _, v := range []byte{0x00, 0xff, 0x7f, 0x80} {
				c := append([]byte(nil), in...)
				c[i] = v
				check(t, c)
			}
		}
	}
}

// check inspects data and fails on a recovered panic or a report that
// breaks the invariants every report keeps.
func check(t *testing.T, data []byte) {
	t.Helper()
	rep, err := Inspect(bytes.NewReader(data), "input")
	if errors.Is(err, errPanic) {
		t.Fatalf("Inspect panicked on %q: %v", data, err)
	}
	if rep == nil {
		t.Fatalf("nil report for %q", data)
	}
	if err != nil && !strings.HasPrefix(err.Error(), "input: ") {
		t.Fatalf("error %q does not name the file", err)
	}
	if err == nil && rep.Format == "" {
		t.Fatalf("no error and no format for %q", data)
	}
	if rep.FortifiableFuncs < rep.FortifiedFuncs || (rep.Fortify == Yes) != (rep.FortifiedFuncs > 0) {
		t.Fatalf("fortify counts inconsistent: %+v", rep)
	}
	for _, s := range []State{rep.PIE, rep.NX, rep.Canary, rep.Fortify} {
		if s < Unknown || s > Yes {
			t.Fatalf("state out of range: %+v", rep)
		}
	}
	switch rep.RELRO {
	case "", RELRONone, RELROPartial, RELROFull:
	default:
		t.Fatalf("RELRO %q", rep.RELRO)
	}
}

// FuzzInspect's seeds are the files fuzzSeeds writes to testdata/fuzz.
func FuzzInspect(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		check(t, data)
	})
}

// BenchmarkInspect inspects /bin/ls, as bastion does for each listening
// daemon's executable.
func BenchmarkInspect(b *testing.B) {
	f, err := os.Open("/bin/ls")
	if err != nil {
		b.Skip(err)
	}
	defer f.Close()
	for b.Loop() {
		if _, err := Inspect(f, "/bin/ls"); err != nil {
			b.Fatal(err)
		}
	}
}
