package binsec

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
)

// This file builds small ELF and XCOFF files in memory, laid out as the
// linkers lay them out, for the table tests and the fuzz seeds: they reach
// the 32-bit, big-endian and section-less paths that the binaries gcc
// builds on the test machine do not.

// elfSpec describes a synthetic ELF executable.
type elfSpec struct {
	class64    bool
	bigEndian  bool
	typ        elf.Type
	interp     bool
	noStack    bool           // no PT_GNU_STACK
	stackFlags elf.ProgFlag   // flags of PT_GNU_STACK
	relro      bool           // a PT_GNU_RELRO header
	dyn        []dynEntry     // dynamic entries before DT_STRTAB, in order
	imports    []string       // undefined function symbols in .dynsym
	noSections bool           // leave out section headers (as sstrip does)
	noDynamic  bool           // no PT_DYNAMIC at all
	extraProgs []elf.ProgType // further empty program headers
}

// dynEntry is one dynamic entry: a tag with a number, or with a string
// (DT_RPATH, DT_NEEDED...) that buildELF puts in .dynstr.
type dynEntry struct {
	tag elf.DynTag
	val uint64
	str string
}

const synthBase = 0x10000 // virtual address of file offset 0

// buildELF lays the file out as: ELF header, program headers, interpreter
// name, .dynstr, .dynsym, .dynamic, .shstrtab, section headers; one PT_LOAD
// maps all of it.
func buildELF(s elfSpec) []byte {
	var bo binary.ByteOrder = binary.LittleEndian
	if s.bigEndian {
		bo = binary.BigEndian
	}
	ehsize, phentsize, shentsize, symsize, dynsize := 52, 32, 40, 16, 8
	if s.class64 {
		ehsize, phentsize, shentsize, symsize, dynsize = 64, 56, 64, 24, 16
	}

	// Program header types, in order.
	progs := []elf.ProgType{elf.PT_LOAD}
	if s.interp {
		progs = append(progs, elf.PT_INTERP)
	}
	if !s.noStack {
		progs = append(progs, elf.PT_GNU_STACK)
	}
	if s.relro {
		progs = append(progs, elf.PT_GNU_RELRO)
	}
	if !s.noDynamic {
		progs = append(progs, elf.PT_DYNAMIC)
	}
	progs = append(progs, s.extraProgs...)

	// Body: interpreter, dynstr, dynsym, dynamic, shstrtab.
	body := new(bytes.Buffer)
	off := ehsize + phentsize*len(progs)
	interpOff := off + body.Len()
	interp := "/lib/ld-synthetic.so.1\x00"
	body.WriteString(interp)

	dynstrOff := off + body.Len()
	dynstr := []byte{0}
	strOff := func(str string) uint64 {
		o := len(dynstr)
		dynstr = append(dynstr, str...)
		dynstr = append(dynstr, 0)
		return uint64(o)
	}
	dynVals := make([]uint64, len(s.dyn))
	for i, d := range s.dyn {
		dynVals[i] = d.val
		if d.str != "" {
			dynVals[i] = strOff(d.str)
		}
	}
	var symNames []uint64
	for _, name := range s.imports {
		symNames = append(symNames, strOff(name))
	}
	body.Write(dynstr)

	for (off+body.Len())%8 != 0 {
		body.WriteByte(0)
	}
	dynsymOff := off + body.Len()
	sym := make([]byte, symsize) // the reserved null symbol
	body.Write(sym)
	for _, n := range symNames {
		e := make([]byte, symsize)
		info := byte(elf.STB_GLOBAL)<<4 | byte(elf.STT_FUNC)
		bo.PutUint32(e, uint32(n))
		if s.class64 {
			e[4] = info
		} else {
			e[12] = info
		}
		body.Write(e)
	}
	dynsymSize := off + body.Len() - dynsymOff

	dynOff := off + body.Len()
	putDyn := func(tag elf.DynTag, val uint64) {
		e := make([]byte, dynsize)
		if s.class64 {
			bo.PutUint64(e, uint64(tag))
			bo.PutUint64(e[8:], val)
		} else {
			bo.PutUint32(e, uint32(tag))
			bo.PutUint32(e[4:], uint32(val))
		}
		body.Write(e)
	}
	if !s.noDynamic {
		for i, d := range s.dyn {
			putDyn(d.tag, dynVals[i])
		}
		putDyn(elf.DT_STRTAB, uint64(synthBase+dynstrOff))
		putDyn(elf.DT_STRSZ, uint64(len(dynstr)))
		putDyn(elf.DT_NULL, 0)
	}
	dynSize := off + body.Len() - dynOff

	shstrOff := off + body.Len()
	shstr := "\x00.dynstr\x00.dynsym\x00.shstrtab\x00"
	body.WriteString(shstr)
	for (off+body.Len())%8 != 0 {
		body.WriteByte(0)
	}
	shOff := off + body.Len()
	total := shOff
	shnum := 0
	if !s.noSections {
		shnum = 4
		total += shnum * shentsize
	}

	out := new(bytes.Buffer)
	// ELF header.
	ident := [16]byte{0x7f, 'E', 'L', 'F', byte(elf.ELFCLASS32), byte(elf.ELFDATA2LSB), byte(elf.EV_CURRENT)}
	if s.class64 {
		ident[4] = byte(elf.ELFCLASS64)
	}
	if s.bigEndian {
		ident[5] = byte(elf.ELFDATA2MSB)
	}
	out.Write(ident[:])
	w16 := func(v uint16) { var b [2]byte; bo.PutUint16(b[:], v); out.Write(b[:]) }
	w32 := func(v uint32) { var b [4]byte; bo.PutUint32(b[:], v); out.Write(b[:]) }
	wAddr := func(v uint64) {
		if s.class64 {
			var b [8]byte
			bo.PutUint64(b[:], v)
			out.Write(b[:])
		} else {
			w32(uint32(v))
		}
	}
	machine := elf.EM_386
	if s.class64 {
		machine = elf.EM_X86_64
	}
	w16(uint16(s.typ))
	w16(uint16(machine))
	w32(uint32(elf.EV_CURRENT))
	wAddr(synthBase + uint64(ehsize)) // entry
	wAddr(uint64(ehsize))             // phoff
	if s.noSections {
		wAddr(0)
	} else {
		wAddr(uint64(shOff))
	}
	w32(0) // flags
	w16(uint16(ehsize))
	w16(uint16(phentsize))
	w16(uint16(len(progs)))
	w16(uint16(shentsize))
	w16(uint16(shnum))
	if s.noSections {
		w16(0)
	} else {
		w16(3)
	}

	// Program headers.
	for _, t := range progs {
		var poff, size uint64
		flags := elf.PF_R
		switch t {
		case elf.PT_LOAD:
			poff, size, flags = 0, uint64(total), elf.PF_R|elf.PF_W|elf.PF_X
		case elf.PT_INTERP:
			poff, size = uint64(interpOff), uint64(len(interp))
		case elf.PT_GNU_STACK:
			flags = s.stackFlags
		case elf.PT_GNU_RELRO:
			poff, size = uint64(dynOff), uint64(dynSize)
		case elf.PT_DYNAMIC:
			poff, size, flags = uint64(dynOff), uint64(dynSize), elf.PF_R|elf.PF_W
		}
		w32(uint32(t))
		if s.class64 {
			w32(uint32(flags))
			wAddr(poff)
			wAddr(synthBase + poff)
			wAddr(synthBase + poff)
			wAddr(size)
			wAddr(size)
			wAddr(8)
		} else {
			w32(uint32(poff))
			w32(uint32(synthBase + poff))
			w32(uint32(synthBase + poff))
			w32(uint32(size))
			w32(uint32(size))
			w32(uint32(flags))
			w32(8)
		}
	}
	out.Write(body.Bytes())

	if !s.noSections {
		sh := func(name uint32, typ elf.SectionType, flags elf.SectionFlag, off, size int, link uint32, entsize int) {
			w32(name)
			w32(uint32(typ))
			wAddr(uint64(flags))
			if off != 0 {
				wAddr(synthBase + uint64(off))
			} else {
				wAddr(0)
			}
			wAddr(uint64(off))
			wAddr(uint64(size))
			w32(link)
			w32(1) // info: index of the first global symbol
			wAddr(8)
			wAddr(uint64(entsize))
		}
		sh(0, elf.SHT_NULL, 0, 0, 0, 0, 0)
		sh(1, elf.SHT_STRTAB, elf.SHF_ALLOC, dynstrOff, len(dynstr), 0, 0)
		sh(9, elf.SHT_DYNSYM, elf.SHF_ALLOC, dynsymOff, dynsymSize, 1, symsize)
		sh(17, elf.SHT_STRTAB, 0, shstrOff, len(shstr), 0, 0)
	}
	return out.Bytes()
}

// xcoffSpec describes a synthetic XCOFF file.
type xcoffSpec struct {
	is64      bool
	flags     uint16
	noLoader  bool
	libpath   string
	modules   []string // imported modules, as "base member"
	loaderSym []xcoffSymSpec
	symtab    []string // names in the symbol table; none means stripped
}

type xcoffSymSpec struct {
	name     string
	imported bool
}

// buildXCOFF lays the file out as: file header, one section header (the
// loader section), the loader section (header, symbols, import IDs, string
// table), the symbol table and its string table.
func buildXCOFF(s xcoffSpec) []byte {
	be := binary.BigEndian
	fileHdr, scnHdr, ldrHdr := xcoffFileHdr32, xcoffScnHdr32, xcoffLdrHdr32
	if s.is64 {
		fileHdr, scnHdr, ldrHdr = xcoffFileHdr64, xcoffScnHdr64, xcoffLdrHdr64
	}
	nscns := 1
	if s.noLoader {
		nscns = 0
	}
	ldrOff := fileHdr + nscns*scnHdr

	// Loader section.
	var strs []byte
	addStr := func(n string) uint32 {
		var l [2]byte
		be.PutUint16(l[:], uint16(len(n)+1))
		strs = append(strs, l[:]...)
		o := len(strs)
		strs = append(strs, n...)
		strs = append(strs, 0)
		return uint32(o)
	}
	syms := new(bytes.Buffer)
	for _, ls := range s.loaderSym {
		e := make([]byte, xcoffLdrSym)
		if s.is64 {
			be.PutUint32(e[8:], addStr(ls.name))
		} else if len(ls.name) <= 8 {
			copy(e, ls.name)
		} else {
			be.PutUint32(e[4:], addStr(ls.name))
		}
		if ls.imported {
			e[14] = xcoffLImport
			be.PutUint32(e[16:], 1)
		}
		syms.Write(e)
	}
	ids := new(bytes.Buffer)
	ids.WriteString(s.libpath + "\x00\x00\x00")
	for _, m := range s.modules {
		base, member, _ := bytes.Cut([]byte(m), []byte(" "))
		ids.WriteString("\x00" + string(base) + "\x00" + string(member) + "\x00")
	}
	symOff := ldrHdr
	impOff := symOff + syms.Len()
	stOff := impOff + ids.Len()
	ldr := make([]byte, ldrHdr)
	version := uint32(1)
	if s.is64 {
		version = 2
	}
	be.PutUint32(ldr[0:], version)
	be.PutUint32(ldr[4:], uint32(len(s.loaderSym)))
	be.PutUint32(ldr[12:], uint32(ids.Len()))
	be.PutUint32(ldr[16:], uint32(1+len(s.modules)))
	if s.is64 {
		be.PutUint32(ldr[20:], uint32(len(strs)))
		be.PutUint64(ldr[24:], uint64(impOff))
		be.PutUint64(ldr[32:], uint64(stOff))
		be.PutUint64(ldr[40:], uint64(symOff))
		be.PutUint64(ldr[48:], uint64(stOff+len(strs)))
	} else {
		be.PutUint32(ldr[20:], uint32(impOff))
		be.PutUint32(ldr[24:], uint32(len(strs)))
		be.PutUint32(ldr[28:], uint32(stOff))
	}
	ldr = append(ldr, syms.Bytes()...)
	ldr = append(ldr, ids.Bytes()...)
	ldr = append(ldr, strs...)
	if s.noLoader {
		ldr = nil
	}

	// Symbol table and its string table.
	symtabOff := ldrOff + len(ldr)
	symtab := new(bytes.Buffer)
	stab := []byte{0, 0, 0, 0}
	for _, n := range s.symtab {
		e := make([]byte, xcoffSym)
		o := uint32(len(stab))
		stab = append(stab, n...)
		stab = append(stab, 0)
		switch {
		case s.is64:
			be.PutUint32(e[8:], o)
		case len(n) <= 8:
			copy(e, n)
		default:
			be.PutUint32(e[4:], o)
		}
		e[16] = 2 // C_EXT
		symtab.Write(e)
	}
	be.PutUint32(stab, uint32(len(stab)))

	out := make([]byte, fileHdr)
	if s.is64 {
		be.PutUint16(out, xcoffMagic64)
	} else {
		be.PutUint16(out, xcoffMagic32)
	}
	be.PutUint16(out[2:], uint16(nscns))
	if len(s.symtab) > 0 {
		if s.is64 {
			be.PutUint64(out[8:], uint64(symtabOff))
			be.PutUint32(out[20:], uint32(len(s.symtab)))
		} else {
			be.PutUint32(out[8:], uint32(symtabOff))
			be.PutUint32(out[12:], uint32(len(s.symtab)))
		}
	}
	be.PutUint16(out[18:], s.flags)

	if !s.noLoader {
		sh := make([]byte, scnHdr)
		copy(sh, ".loader")
		if s.is64 {
			be.PutUint64(sh[24:], uint64(len(ldr)))
			be.PutUint64(sh[32:], uint64(ldrOff))
			be.PutUint32(sh[64:], xcoffSTypLoader)
		} else {
			be.PutUint32(sh[16:], uint32(len(ldr)))
			be.PutUint32(sh[20:], uint32(ldrOff))
			be.PutUint32(sh[36:], xcoffSTypLoader)
		}
		out = append(out, sh...)
	}
	out = append(out, ldr...)
	if len(s.symtab) > 0 {
		out = append(out, symtab.Bytes()...)
		out = append(out, stab...)
	}
	return out
}
