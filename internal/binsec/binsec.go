// Package binsec reports the memory protections an executable was built
// with, in the manner of checksec: position independence (PIE), a
// non-executable stack (NX), RELRO, stack canaries, FORTIFY_SOURCE, the
// library search paths baked into it (RPATH, RUNPATH) and whether its symbol
// table was stripped.
//
// ELF files (Linux and the BSDs) are read with debug/elf; XCOFF files (AIX)
// are read by hand, since the standard library's XCOFF reader is internal.
// Only the headers and the few tables a question needs are read, through an
// io.ReaderAt, because bastion inspects the executable of every listening
// daemon and must not read whole binaries to do so. The input is treated as
// hostile: every size is checked against the file before anything is
// allocated, and a panic inside a decoder becomes an error.
package binsec

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
)

// State is the answer to a yes-or-no question about a binary that may not
// be answerable.
type State int

// The values of State. The zero value is Unknown so that a Report nobody
// filled in claims nothing.
const (
	Unknown State = iota
	No
	Yes
)

// String returns "unknown", "no" or "yes".
func (s State) String() string {
	switch s {
	case No:
		return "no"
	case Yes:
		return "yes"
	}
	return "unknown"
}

// The values of Report.Format.
const (
	FormatELF   = "elf"
	FormatXCOFF = "xcoff"
)

// The values of Report.Type.
const (
	TypeExec = "exec" // fixed-address executable (ET_EXEC, XCOFF F_EXEC)
	TypePIE  = "pie"  // position-independent executable
	TypeDSO  = "dso"  // shared object that is not a PIE (checksec's "DSO")
	TypeRel  = "rel"  // relocatable object, not linked yet
	TypeCore = "core" // core dump
)

// The values of Report.RELRO.
const (
	RELROFull    = "full"
	RELROPartial = "partial"
	RELRONone    = "none"
)

// The values of Report.SED, the stack execution disable request an XCOFF
// executable carries in its file header (what "sedmgr -d" shows on AIX).
const (
	SEDSystem  = "system"  // no request: the system-wide sedmgr mode decides
	SEDRequest = "request" // the file asks for a non-executable stack and data
	SEDExempt  = "exempt"  // the file asks to be exempt
)

// Report is what Inspect found out about one binary.
type Report struct {
	// Format is FormatELF, FormatXCOFF, or "" when the file is neither.
	Format string
	// Type is one of the Type constants, "" when unknown. It tells a PIE
	// from a shared library, which checksec shows as "DSO".
	Type string
	// PIE is Yes for a position-independent executable and for a shared
	// object (whose code is position independent and loaded at a random
	// address as well); Type tells the two apart. It is No for a
	// fixed-address executable and Unknown where the format has no such
	// notion (XCOFF) or for an object file.
	PIE State
	// NX is Yes when the stack is marked non-executable: for ELF, a
	// PT_GNU_STACK header without PF_X. A missing PT_GNU_STACK is No, as
	// checksec reports it, since many kernels then map the stack
	// executable. For XCOFF it follows SED: Yes for "request", No for
	// "exempt", Unknown for "system".
	NX State
	// RELRO is RELROFull (PT_GNU_RELRO and immediate binding),
	// RELROPartial (PT_GNU_RELRO only), RELRONone, or "" where it does not
	// apply (XCOFF).
	RELRO string
	// Canary is Yes when __stack_chk_fail, __stack_chk_guard or a similar
	// stack protector symbol is referenced, found in the dynamic symbols
	// first and the full symbol table second. Unknown when the binary has
	// no symbol table at all (a stripped static binary). A static glibc
	// binary has Yes even when the program itself was built without a
	// protector, because libc's own copy of __stack_chk_fail is linked in;
	// checksec reports the same.
	Canary State
	// Fortify is Yes when any checked function of glibc's FORTIFY_SOURCE
	// set (__memcpy_chk and the like) is referenced.
	Fortify State
	// FortifiedFuncs counts the distinct checked functions referenced;
	// FortifiableFuncs counts those plus the distinct unchecked functions
	// that have a checked variant, as checksec's "Fortified" and
	// "Fortifiable" do. For a static binary they come from the whole
	// symbol table, libc's own copies included.
	FortifiedFuncs, FortifiableFuncs int
	// RPath and RunPath are the entries of DT_RPATH and DT_RUNPATH, split
	// at ':'. An empty entry is kept: the loader reads it as the current
	// directory. For XCOFF, RPath is the default library search path
	// recorded in the loader section (ld -blibpath, or the -L paths).
	RPath, RunPath []string
	// Stripped is true when the file has no symbol table (.symtab for ELF,
	// none in the XCOFF header).
	Stripped bool
	// Static is true when the program loads no shared libraries: no
	// program interpreter and no DT_NEEDED entry for ELF, no imported
	// module for XCOFF.
	Static bool
	// Go is true for an executable built by the Go toolchain. Go code does
	// not use stack canaries or FORTIFY_SOURCE (its runtime bounds-checks
	// memory instead), so such a binary reports Canary and Fortify No,
	// as checksec does, unless C code linked into it references them.
	Go bool
	// SED is one of the SED constants for XCOFF, "" for ELF.
	SED string
	// Problems lists what could not be read or decided, in plain words.
	Problems []string
}

func (r *Report) problem(format string, args ...any) {
	r.Problems = append(r.Problems, fmt.Sprintf(format, args...))
}

// MaxTable is the most bytes Inspect reads for one table (a symbol table, a
// string table, a loader section). A real daemon's tables are far smaller;
// a larger one is reported as a problem rather than read.
const MaxTable = 64 << 20

// errNotBinary reports a file that is neither ELF nor XCOFF.
var errNotBinary = errors.New("not an ELF or XCOFF file")

// errPanic marks the error of a decoder that panicked on the file.
var errPanic = errors.New("malformed file")

// Inspect reads the protections of the binary r, naming it name in errors.
// It returns an error, together with whatever it could fill in, when the
// file is not an ELF or XCOFF file or its headers cannot be read. Anything
// it cannot decide past the headers is noted in Report.Problems instead.
// It never panics, whatever r holds.
func Inspect(r io.ReaderAt, name string) (rep *Report, err error) {
	rep = &Report{}
	defer func() {
		if p := recover(); p != nil {
			rep.problem("malformed file: %v", p)
			err = fmt.Errorf("%s: %w: %v", name, errPanic, p)
		}
	}()
	rd := &reader{r: r, size: sizeOf(r)}
	var magic [4]byte
	if n, e := r.ReadAt(magic[:], 0); n < len(magic) {
		if e == nil || e == io.EOF {
			e = errNotBinary
		}
		return rep, fmt.Errorf("%s: %w", name, e)
	}
	switch {
	case string(magic[:]) == "\x7fELF":
		rep.Format = FormatELF
		err = inspectELF(rd, rep)
	case isXCOFF(magic[:]):
		rep.Format = FormatXCOFF
		err = inspectXCOFF(rd, rep)
	default:
		err = errNotBinary
	}
	if err != nil {
		return rep, fmt.Errorf("%s: %w", name, err)
	}
	return rep, nil
}

// sizeOf returns the size of what r reads, or -1 when r cannot tell. Files,
// bytes.Reader, strings.Reader and io.SectionReader all can.
func sizeOf(r io.ReaderAt) int64 {
	switch v := r.(type) {
	case interface{ Size() int64 }:
		return v.Size()
	case interface{ Stat() (fs.FileInfo, error) }:
		if fi, err := v.Stat(); err == nil && fi.Mode().IsRegular() {
			return fi.Size()
		}
	}
	return -1
}

// reader reads checked ranges of the file.
type reader struct {
	r    io.ReaderAt
	size int64 // -1 when unknown
}

// chunk is how much read allocates at a time when the file size is
// unknown, so that a forged length costs at most this much before the
// read fails at the real end of the file.
const chunk = 1 << 20

// read returns n bytes at off. It refuses n above limit and ranges past
// the end of the file, before allocating.
func (rd *reader) read(off, n, limit uint64) ([]byte, error) {
	if n > limit {
		return nil, fmt.Errorf("%d bytes at offset %d: larger than %d", n, off, limit)
	}
	if off > 1<<62 || n > 1<<62 {
		return nil, fmt.Errorf("%d bytes at offset %d: past the end of the file", n, off)
	}
	if rd.size >= 0 && (off > uint64(rd.size) || n > uint64(rd.size)-off) {
		return nil, fmt.Errorf("%d bytes at offset %d: past the end of the file (%d bytes)", n, off, rd.size)
	}
	if rd.size >= 0 || n <= chunk {
		buf := make([]byte, n)
		if err := readFull(rd.r, buf, int64(off)); err != nil {
			return nil, err
		}
		return buf, nil
	}
	var buf []byte
	for uint64(len(buf)) < n {
		m := min(n-uint64(len(buf)), chunk)
		part := make([]byte, m)
		if err := readFull(rd.r, part, int64(off)+int64(len(buf))); err != nil {
			return nil, err
		}
		buf = append(buf, part...)
	}
	return buf, nil
}

func readFull(r io.ReaderAt, buf []byte, off int64) error {
	n, err := r.ReadAt(buf, off)
	if n == len(buf) {
		return nil
	}
	if err == nil || err == io.EOF {
		err = fmt.Errorf("%d bytes at offset %d: past the end of the file", len(buf), off)
	}
	return err
}

// cstring returns b up to its first NUL byte.
func cstring(b []byte) []byte {
	for i, c := range b {
		if c == 0 {
			return b[:i]
		}
	}
	return b
}
