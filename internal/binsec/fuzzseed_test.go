package binsec

import (
	"bytes"
	"debug/elf"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the checked-in fuzz seeds")

type seed struct {
	name string
	data []byte
}

// fuzzSeeds are the seeds of FuzzInspect: small well-formed files of each
// kind and truncated ones. They are checked in under testdata/fuzz so that
// a plain "go test" runs them; TestFuzzSeeds keeps the two in step.
func fuzzSeeds() []seed {
	pie := buildELF(elfSpec{class64: true, typ: elf.ET_DYN, interp: true, stackFlags: elf.PF_R | elf.PF_W, relro: true,
		dyn: []dynEntry{
			{tag: elf.DT_NEEDED, str: "libc.so.6"},
			{tag: elf.DT_RUNPATH, str: "/opt/x:"},
			{tag: elf.DT_FLAGS_1, val: uint64(elf.DF_1_NOW | elf.DF_1_PIE)},
		},
		imports: []string{"__stack_chk_fail", "__memcpy_chk", "strcpy"}})
	exec32 := buildELF(elfSpec{bigEndian: true, typ: elf.ET_EXEC, interp: true, stackFlags: elf.PF_R | elf.PF_W | elf.PF_X,
		dyn:     []dynEntry{{tag: elf.DT_NEEDED, str: "libc.so.6"}, {tag: elf.DT_RPATH, str: "/a:/b"}, {tag: elf.DT_DEBUG}},
		imports: []string{"printf"}})
	bare := buildELF(elfSpec{class64: true, typ: elf.ET_EXEC, noSections: true, noDynamic: true, stackFlags: elf.PF_R})
	xc32 := buildXCOFF(xcoffSpec{flags: xcoffFExec | xcoffFDep2, libpath: "/usr/lib:/lib", modules: []string{"libc.a shr.o"},
		loaderSym: []xcoffSymSpec{{name: "__stack_chk_fail", imported: true}, {name: "strcpy", imported: true}},
		symtab:    []string{".main", "a_long_symbol"}})
	xc64 := buildXCOFF(xcoffSpec{is64: true, flags: xcoffFExec | xcoffFDep1, libpath: "/usr/lib", modules: []string{"libc.a shr_64.o"},
		loaderSym: []xcoffSymSpec{{name: "__memcpy_chk", imported: true}}, symtab: []string{".main"}})
	return []seed{
		{"elf64_pie", pie},
		{"elf64_pie_truncated", pie[:len(pie)/2]},
		{"elf64_header_only", pie[:64]},
		{"elf32be_exec", exec32},
		{"elf64_no_sections", bare},
		{"xcoff32_request", xc32},
		{"xcoff64_exempt", xc64},
		{"xcoff64_truncated", xc64[:len(xc64)/2]},
		{"text", []byte("#!/bin/sh\nexec /usr/sbin/daemon\n")},
	}
}

func encodeSeed(data []byte) []byte {
	return fmt.Appendf(nil, "go test fuzz v1\n[]byte(%q)\n", data)
}

func TestFuzzSeeds(t *testing.T) {
	dir := filepath.Join("testdata", "fuzz", "FuzzInspect")
	for _, s := range fuzzSeeds() {
		path := filepath.Join(dir, s.name)
		want := encodeSeed(s.data)
		if *update {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, want, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Errorf("%v (run go test -run TestFuzzSeeds -update)", err)
			continue
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s is out of date (run go test -run TestFuzzSeeds -update)", path)
		}
	}
}
