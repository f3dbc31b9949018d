package binsec

import (
	"debug/elf"
	"fmt"
)

// maxDynamic caps the dynamic segment read; a real one holds a few dozen
// entries.
const maxDynamic = 1 << 20

// dynInfo is what the dynamic segment says.
type dynInfo struct {
	needed    int
	bindNow   bool
	pieFlag   bool // DF_1_PIE
	debug     bool // DT_DEBUG, which executables have and libraries lack
	rpath     []uint64
	runpath   []uint64
	strtab    uint64 // DT_STRTAB, a virtual address
	strsz     uint64
	hasStrtab bool
}

func inspectELF(rd *reader, rep *Report) error {
	f, err := elf.NewFile(rd.r)
	if err != nil {
		rep.problem("cannot read the ELF headers: %v", err)
		return err
	}
	var interp, gnuStack, relro bool
	var stackExec bool
	var dynProg *elf.Prog
	for _, p := range f.Progs {
		switch p.Type {
		case elf.PT_INTERP:
			interp = true
		case elf.PT_GNU_STACK:
			gnuStack = true
			stackExec = p.Flags&elf.PF_X != 0
		case elf.PT_GNU_RELRO:
			relro = true
		case elf.PT_DYNAMIC:
			if dynProg == nil {
				dynProg = p
			}
		}
	}
	dyn := readDynamic(rd, f, dynProg, rep)

	// Type and PIE, decided as checksec does: a fixed-address executable is
	// not a PIE; a shared object is a PIE when it has a program interpreter,
	// the DF_1_PIE flag or a DT_DEBUG entry, and is a plain shared library
	// (checksec's "DSO") otherwise.
	switch f.Type {
	case elf.ET_EXEC:
		rep.Type, rep.PIE = TypeExec, No
	case elf.ET_DYN:
		rep.PIE = Yes
		if interp || dyn.pieFlag || dyn.debug {
			rep.Type = TypePIE
		} else {
			rep.Type = TypeDSO
		}
	case elf.ET_REL:
		rep.Type = TypeRel
	case elf.ET_CORE:
		rep.Type = TypeCore
	}
	rep.Static = !interp && dyn.needed == 0 && (rep.Type == TypeExec || rep.Type == TypePIE)

	switch {
	case len(f.Progs) == 0:
		// An object file or a core has no program headers to decide by.
	case gnuStack && !stackExec:
		rep.NX = Yes
	default:
		rep.NX = No
	}

	switch {
	case relro && dyn.bindNow:
		rep.RELRO = RELROFull
	case relro:
		rep.RELRO = RELROPartial
	default:
		rep.RELRO = RELRONone
	}

	if len(dyn.rpath)+len(dyn.runpath) > 0 {
		strs := dynStrings(rd, f, dyn, rep)
		rep.RPath = pathList(strs, dyn.rpath, "DT_RPATH", rep)
		rep.RunPath = pathList(strs, dyn.runpath, "DT_RUNPATH", rep)
	}

	var dynsym, symtab *elf.Section
	for _, s := range f.Sections {
		switch {
		case s.Type == elf.SHT_DYNSYM && dynsym == nil:
			dynsym = s
		case s.Type == elf.SHT_SYMTAB && symtab == nil:
			symtab = s
		case s.Name == ".go.buildinfo" || s.Name == ".note.go.buildid":
			rep.Go = true
		}
	}
	rep.Stripped = symtab == nil
	symbolsELF(rd, f, dynsym, symtab, rep)
	return nil
}

// readDynamic decodes the dynamic segment. It reads the segment through
// the program header rather than the .dynamic section so that a file whose
// section headers were removed is still understood.
func readDynamic(rd *reader, f *elf.File, p *elf.Prog, rep *Report) dynInfo {
	var d dynInfo
	if p == nil {
		return d
	}
	data, err := rd.read(p.Off, p.Filesz, maxDynamic)
	if err != nil {
		rep.problem("cannot read the dynamic segment: %v", err)
		return d
	}
	size := 8
	if f.Class == elf.ELFCLASS64 {
		size = 16
	}
	for i := 0; i+size <= len(data); i += size {
		var tag, val uint64
		if size == 16 {
			tag = f.ByteOrder.Uint64(data[i:])
			val = f.ByteOrder.Uint64(data[i+8:])
		} else {
			tag = uint64(f.ByteOrder.Uint32(data[i:]))
			val = uint64(f.ByteOrder.Uint32(data[i+4:]))
		}
		switch elf.DynTag(tag) {
		case elf.DT_NULL:
			return d
		case elf.DT_NEEDED:
			d.needed++
		case elf.DT_BIND_NOW:
			d.bindNow = true
		case elf.DT_FLAGS:
			if elf.DynFlag(val)&elf.DF_BIND_NOW != 0 {
				d.bindNow = true
			}
		case elf.DT_FLAGS_1:
			if elf.DynFlag1(val)&elf.DF_1_NOW != 0 {
				d.bindNow = true
			}
			if elf.DynFlag1(val)&elf.DF_1_PIE != 0 {
				d.pieFlag = true
			}
		case elf.DT_DEBUG:
			d.debug = true
		case elf.DT_RPATH:
			d.rpath = append(d.rpath, val)
		case elf.DT_RUNPATH:
			d.runpath = append(d.runpath, val)
		case elf.DT_STRTAB:
			d.strtab, d.hasStrtab = val, true
		case elf.DT_STRSZ:
			d.strsz = val
		}
	}
	return d
}

// dynStrings returns the dynamic string table: the part of the file that
// DT_STRTAB and DT_STRSZ point at, found through the PT_LOAD segments, or
// else the section the .dynamic section links to.
func dynStrings(rd *reader, f *elf.File, d dynInfo, rep *Report) []byte {
	if d.hasStrtab && d.strsz > 0 {
		for _, p := range f.Progs {
			if p.Type != elf.PT_LOAD || d.strtab < p.Vaddr || d.strtab-p.Vaddr >= p.Filesz {
				continue
			}
			n := min(d.strsz, p.Filesz-(d.strtab-p.Vaddr))
			data, err := rd.read(p.Off+(d.strtab-p.Vaddr), n, MaxTable)
			if err == nil {
				return data
			}
			break
		}
	}
	for _, s := range f.Sections {
		if s.Type != elf.SHT_DYNAMIC {
			continue
		}
		if int(s.Link) < len(f.Sections) && s.Link > 0 {
			if data, err := sectionData(rd, f.Sections[s.Link]); err == nil {
				return data
			}
		}
		break
	}
	rep.problem("cannot find the dynamic string table")
	return nil
}

// pathList resolves the string offsets of DT_RPATH or DT_RUNPATH entries
// and splits each at ':'.
func pathList(strs []byte, offs []uint64, tag string, rep *Report) []string {
	var out []string
	for _, o := range offs {
		if strs == nil {
			return out
		}
		if o >= uint64(len(strs)) {
			rep.problem("%s string offset %d is past the string table", tag, o)
			continue
		}
		out = append(out, splitPath(cstring(strs[o:]))...)
	}
	return out
}

// sectionData reads a section's bytes from the file, refusing a size past
// the end of the file or above MaxTable.
func sectionData(rd *reader, s *elf.Section) ([]byte, error) {
	if s.Type == elf.SHT_NOBITS {
		return nil, fmt.Errorf("section %s has no data in the file", s.Name)
	}
	if s.Flags&elf.SHF_COMPRESSED != 0 {
		return nil, fmt.Errorf("section %s is compressed", s.Name)
	}
	return rd.read(s.Offset, s.FileSize, MaxTable)
}

// symbolsELF answers the canary and fortify questions from the dynamic
// symbols and, failing those, the full symbol table.
//
// For FORTIFY_SOURCE a dynamic binary is judged by the functions it imports
// (the undefined entries of .dynsym), since what a library exports is not
// what it calls; a static one by every function in its symbol table.
func symbolsELF(rd *reader, f *elf.File, dynsym, symtab *elf.Section, rep *Report) {
	var scan symbolScan
	read := func(s *elf.Section, what string, fortify func(undef bool, typ elf.SymType) bool) bool {
		if s == nil {
			return false
		}
		if err := scanELFSymbols(rd, f, s, &scan, fortify); err != nil {
			rep.problem("cannot read the %s: %v", what, err)
			return false
		}
		return true
	}
	haveDyn := read(dynsym, "dynamic symbols", func(undef bool, _ elf.SymType) bool { return undef })
	if haveDyn && scan.canary {
		scan.fill(rep)
		return
	}
	var fortifyFromSymtab func(bool, elf.SymType) bool
	if !haveDyn {
		fortifyFromSymtab = func(_ bool, typ elf.SymType) bool {
			return typ == elf.STT_FUNC || typ == elf.STT_GNU_IFUNC || typ == elf.STT_NOTYPE
		}
	} else {
		fortifyFromSymtab = func(bool, elf.SymType) bool { return false }
	}
	haveSym := read(symtab, "symbol table", fortifyFromSymtab)
	if !haveDyn && !haveSym {
		if rep.Go {
			// A static Go binary stripped of its symbols: Go code uses
			// neither canaries nor checked libc functions, and a static
			// Go binary normally has no C code linked in.
			rep.Canary, rep.Fortify = No, No
			return
		}
		rep.problem("no symbol table: stack canary and FORTIFY_SOURCE cannot be decided")
		return
	}
	scan.fill(rep)
}

// scanELFSymbols feeds every name of a symbol table section to scan. The
// entries are decoded by hand rather than with (*elf.File).Symbols, which
// would allocate a string and a struct for each.
func scanELFSymbols(rd *reader, f *elf.File, s *elf.Section, scan *symbolScan, fortify func(undef bool, typ elf.SymType) bool) error {
	if int(s.Link) >= len(f.Sections) || s.Link == 0 {
		return fmt.Errorf("section %s links to no string table", s.Name)
	}
	data, err := sectionData(rd, s)
	if err != nil {
		return err
	}
	strs, err := sectionData(rd, f.Sections[s.Link])
	if err != nil {
		return err
	}
	size := elf.Sym32Size
	if f.Class == elf.ELFCLASS64 {
		size = elf.Sym64Size
	}
	bo := f.ByteOrder
	// The first entry is the reserved null symbol.
	for i := size; i+size <= len(data); i += size {
		e := data[i : i+size]
		nameOff := bo.Uint32(e)
		var info byte
		var shndx uint16
		if size == elf.Sym64Size {
			info, shndx = e[4], bo.Uint16(e[6:])
		} else {
			info, shndx = e[12], bo.Uint16(e[14:])
		}
		if uint64(nameOff) >= uint64(len(strs)) {
			continue
		}
		undef := elf.SectionIndex(shndx) == elf.SHN_UNDEF
		scan.add(cstring(strs[nameOff:]), fortify(undef, elf.ST_TYPE(info)))
	}
	return nil
}
