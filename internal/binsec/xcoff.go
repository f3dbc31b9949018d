package binsec

import (
	"encoding/binary"
	"fmt"
)

// XCOFF, the object format of AIX, is big-endian throughout. These are the
// parts of its layout Inspect needs, from the XCOFF format description in
// the AIX files reference.
const (
	xcoffMagic32 = 0x01DF
	xcoffMagic64 = 0x01F7

	xcoffFileHdr32 = 20
	xcoffFileHdr64 = 24
	xcoffScnHdr32  = 40
	xcoffScnHdr64  = 72
	xcoffLdrHdr32  = 32
	xcoffLdrHdr64  = 56
	xcoffLdrSym    = 24 // a loader symbol, in both variants
	xcoffSym       = 18 // a symbol table entry, in both variants

	// f_flags of the file header.
	xcoffFExec    = 0x0002
	xcoffFDynLoad = 0x1000
	xcoffFShrObj  = 0x2000
	// The two data execution protection bits, which "sedmgr -c" sets and
	// "sedmgr -d" shows. F_DEP_2 (which binutils calls F_NONEXEC,
	// "read/write sections are non-executable") is the request for stack
	// execution disable; F_DEP_1 is the exemption from it.
	xcoffFDep1 = 0x0080
	xcoffFDep2 = 0x8000

	// s_flags of a section header: the loader section.
	xcoffSTypLoader = 0x1000

	// l_smtype of a loader symbol: imported from another module.
	xcoffLImport = 0x40
)

// isXCOFF reports whether the first bytes of a file are an XCOFF magic.
func isXCOFF(b []byte) bool {
	m := binary.BigEndian.Uint16(b)
	return m == xcoffMagic32 || m == xcoffMagic64
}

// xcoffHeader is the part of an XCOFF file header Inspect uses.
type xcoffHeader struct {
	is64   bool
	nscns  uint16
	symptr uint64
	nsyms  uint32
	opthdr uint16
	flags  uint16
}

func inspectXCOFF(rd *reader, rep *Report) error {
	be := binary.BigEndian
	hdr, err := rd.read(0, xcoffFileHdr32, xcoffFileHdr64)
	if err != nil {
		rep.problem("cannot read the XCOFF header: %v", err)
		return err
	}
	var h xcoffHeader
	h.is64 = be.Uint16(hdr) == xcoffMagic64
	h.nscns = be.Uint16(hdr[2:])
	hdrSize := uint64(xcoffFileHdr32)
	if h.is64 {
		hdrSize = xcoffFileHdr64
		if hdr, err = rd.read(0, xcoffFileHdr64, xcoffFileHdr64); err != nil {
			rep.problem("cannot read the XCOFF header: %v", err)
			return err
		}
		h.symptr = be.Uint64(hdr[8:])
		h.opthdr = be.Uint16(hdr[16:])
		h.flags = be.Uint16(hdr[18:])
		h.nsyms = be.Uint32(hdr[20:])
	} else {
		h.symptr = uint64(be.Uint32(hdr[8:]))
		h.nsyms = be.Uint32(hdr[12:])
		h.opthdr = be.Uint16(hdr[16:])
		h.flags = be.Uint16(hdr[18:])
	}

	switch {
	case h.flags&xcoffFShrObj != 0:
		rep.Type = TypeDSO
	case h.flags&(xcoffFExec|xcoffFDynLoad) != 0:
		rep.Type = TypeExec
	default:
		rep.Type = TypeRel
	}
	rep.problem("XCOFF marks no position independence: PIE not decided")

	switch h.flags & (xcoffFDep1 | xcoffFDep2) {
	case 0:
		rep.SED = SEDSystem
		rep.problem("no stack execution disable request in the XCOFF header: the system-wide sedmgr mode decides NX")
	case xcoffFDep2:
		rep.SED, rep.NX = SEDRequest, Yes
	case xcoffFDep1:
		rep.SED, rep.NX = SEDExempt, No
	default:
		rep.problem("both stack execution disable bits set in the XCOFF header (flags %#04x): NX not decided", h.flags)
	}
	rep.Stripped = h.symptr == 0 || h.nsyms == 0

	var scan symbolScan
	haveSyms := xcoffLoader(rd, h, hdrSize, rep, &scan)
	if !scan.canary && !rep.Stripped {
		// The symbol table answers for what is linked in rather than
		// imported; it counts for FORTIFY_SOURCE only when there were no
		// loader symbols to judge by.
		if err := xcoffSymbols(rd, h, &scan, !haveSyms); err != nil {
			rep.problem("cannot read the symbol table: %v", err)
		} else {
			haveSyms = true
		}
	}
	if !haveSyms {
		rep.problem("no symbol table: stack canary and FORTIFY_SOURCE cannot be decided")
		return nil
	}
	scan.fill(rep)
	return nil
}

// xcoffLoader finds the loader section and reads from it the default
// library search path, whether any module is imported, and the names of
// the imported symbols, which it feeds to scan. It reports whether it read
// the loader symbols.
func xcoffLoader(rd *reader, h xcoffHeader, hdrSize uint64, rep *Report, scan *symbolScan) bool {
	be := binary.BigEndian
	scnSize := uint64(xcoffScnHdr32)
	if h.is64 {
		scnSize = xcoffScnHdr64
	}
	scns, err := rd.read(hdrSize+uint64(h.opthdr), uint64(h.nscns)*scnSize, MaxTable)
	if err != nil {
		rep.problem("cannot read the section headers: %v", err)
		return false
	}
	var off, size uint64
	found := false
	for i := uint64(0); i+scnSize <= uint64(len(scns)); i += scnSize {
		s := scns[i : i+scnSize]
		if h.is64 {
			if be.Uint32(s[64:])&0xffff == xcoffSTypLoader {
				size, off, found = be.Uint64(s[24:]), be.Uint64(s[32:]), true
			}
		} else if be.Uint32(s[36:])&0xffff == xcoffSTypLoader {
			size, off, found = uint64(be.Uint32(s[16:])), uint64(be.Uint32(s[20:])), true
		}
		if found {
			break
		}
	}
	if !found {
		// Without a loader section nothing is loaded at run time.
		rep.Static = rep.Type == TypeExec
		return false
	}
	ldr, err := rd.read(off, size, MaxTable)
	if err != nil {
		rep.problem("cannot read the loader section: %v", err)
		return false
	}
	var nsyms, istlen, nimpid, stlen uint32
	var impoff, stoff, symoff uint64
	if h.is64 {
		if len(ldr) < xcoffLdrHdr64 {
			rep.problem("loader section shorter than its header")
			return false
		}
		nsyms, istlen, nimpid, stlen = be.Uint32(ldr[4:]), be.Uint32(ldr[12:]), be.Uint32(ldr[16:]), be.Uint32(ldr[20:])
		impoff, stoff, symoff = be.Uint64(ldr[24:]), be.Uint64(ldr[32:]), be.Uint64(ldr[40:])
	} else {
		if len(ldr) < xcoffLdrHdr32 {
			rep.problem("loader section shorter than its header")
			return false
		}
		nsyms, istlen, nimpid = be.Uint32(ldr[4:]), be.Uint32(ldr[12:]), be.Uint32(ldr[16:])
		impoff, stlen, stoff = uint64(be.Uint32(ldr[20:])), be.Uint32(ldr[24:]), uint64(be.Uint32(ldr[28:]))
		symoff = xcoffLdrHdr32
	}

	// The import file IDs: each is three NUL-terminated strings (path,
	// base, member). The first holds the default library search path in
	// its path; the others name the modules the program imports from.
	if ids, ok := within(ldr, impoff, uint64(istlen)); ok {
		var fields [][]byte
		for len(ids) > 0 && len(fields) < 3 {
			s := cstring(ids)
			fields = append(fields, s)
			ids = ids[min(len(s)+1, len(ids)):]
		}
		if len(fields) > 0 && len(fields[0]) > 0 {
			rep.RPath = splitPath(fields[0])
		}
	} else {
		rep.problem("loader import table (%d bytes at %d) is outside the loader section", istlen, impoff)
	}
	rep.Static = rep.Type == TypeExec && nimpid <= 1

	strs, ok := within(ldr, stoff, uint64(stlen))
	if !ok {
		rep.problem("loader string table (%d bytes at %d) is outside the loader section", stlen, stoff)
		strs = nil
	}
	syms, ok := within(ldr, symoff, uint64(nsyms)*xcoffLdrSym)
	if !ok {
		rep.problem("loader symbol table (%d entries at %d) is outside the loader section", nsyms, symoff)
		return false
	}
	for i := 0; i+xcoffLdrSym <= len(syms); i += xcoffLdrSym {
		e := syms[i : i+xcoffLdrSym]
		var name []byte
		if h.is64 {
			name = xcoffLdrString(strs, be.Uint32(e[8:]))
		} else if be.Uint32(e) != 0 {
			name = cstring(e[:8])
		} else {
			name = xcoffLdrString(strs, be.Uint32(e[4:]))
		}
		scan.add(name, e[14]&xcoffLImport != 0)
	}
	return true
}

// xcoffLdrString returns the loader string at off: the bytes after a
// two-byte length, up to that length or a NUL.
func xcoffLdrString(strs []byte, off uint32) []byte {
	if off < 2 || uint64(off) >= uint64(len(strs)) {
		return nil
	}
	n := uint64(binary.BigEndian.Uint16(strs[off-2:]))
	end := min(uint64(off)+n, uint64(len(strs)))
	return cstring(strs[off:end])
}

// xcoffSymbols feeds the names of the symbol table to scan. Function entry
// points carry a leading '.', which is cut off. fortify says whether the
// names count for FORTIFY_SOURCE, which they do only when there were no
// loader symbols to judge by.
func xcoffSymbols(rd *reader, h xcoffHeader, scan *symbolScan, fortify bool) error {
	be := binary.BigEndian
	n := uint64(h.nsyms) * xcoffSym
	syms, err := rd.read(h.symptr, n, MaxTable)
	if err != nil {
		return err
	}
	// The string table follows the symbol table: a four-byte length that
	// counts itself, then the strings. Offsets are from its start.
	var strs []byte
	if lb, err := rd.read(h.symptr+n, 4, 4); err == nil {
		if l := uint64(be.Uint32(lb)); l > 4 {
			if strs, err = rd.read(h.symptr+n, l, MaxTable); err != nil {
				return fmt.Errorf("string table: %w", err)
			}
		}
	}
	for i := 0; i+xcoffSym <= len(syms); i += xcoffSym {
		e := syms[i : i+xcoffSym]
		var name []byte
		switch {
		case h.is64:
			name = strAt(strs, uint64(be.Uint32(e[8:])))
		case be.Uint32(e) != 0:
			name = cstring(e[:8])
		default:
			name = strAt(strs, uint64(be.Uint32(e[4:])))
		}
		if len(name) > 0 && name[0] == '.' {
			name = name[1:]
		}
		scan.add(name, fortify)
		// Skip the auxiliary entries that follow this one.
		i += int(e[17]) * xcoffSym
	}
	return nil
}

// strAt returns the NUL-terminated string at off in strs, or nil.
func strAt(strs []byte, off uint64) []byte {
	if off >= uint64(len(strs)) {
		return nil
	}
	return cstring(strs[off:])
}

// within returns b[off:off+n] when that lies inside b.
func within(b []byte, off, n uint64) ([]byte, bool) {
	if off > uint64(len(b)) || n > uint64(len(b))-off {
		return nil, false
	}
	return b[off : off+n], true
}

// splitPath splits a search path at ':', keeping empty entries.
func splitPath(p []byte) []string {
	var out []string
	start := 0
	for i := 0; i <= len(p); i++ {
		if i == len(p) || p[i] == ':' {
			out = append(out, string(p[start:i]))
			start = i + 1
		}
	}
	return out
}
