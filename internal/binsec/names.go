package binsec

import (
	"bytes"
	"strings"
)

// canaryNames are the symbols a stack-protected program refers to: the
// failure handler and the guard value of GCC and Clang (libc or libssp),
// the i386 PIC variant of the handler, Intel's compiler's cookie, and the
// canary word of IBM's compilers on AIX.
var canaryNames = map[string]bool{
	"__stack_chk_fail":        true,
	"__stack_chk_fail_local":  true,
	"__stack_chk_guard":       true,
	"__intel_security_cookie": true,
	"__ssp_canary_word":       true,
}

// fortifyBase lists the functions glibc has a checked variant of, which
// _FORTIFY_SOURCE substitutes when it can see the size of the destination:
// a call to memcpy becomes a call to __memcpy_chk. The list is glibc's as of
// 2.41 (libssp, which GCC uses where the libc has none, has a subset).
var fortifyBase = strings.Fields(`
	asprintf confstr dprintf explicit_bzero fdelt fgets fgets_unlocked
	fgetws fgetws_unlocked fprintf fread fread_unlocked fwprintf getcwd
	getdomainname getgroups gethostname getlogin_r gets getwd
	inet_ntop inet_pton longjmp
	mbsnrtowcs mbsrtowcs mbstowcs memcpy memmove mempcpy memset
	obstack_printf obstack_vprintf poll ppoll pread pread64 printf
	ptsname_r read readlink readlinkat realpath recv recvfrom snprintf
	sprintf stpcpy stpncpy strcat strcpy strlcat strlcpy strncat strncpy
	swprintf syslog ttyname_r vasprintf vdprintf vfprintf vfwprintf
	vprintf vsnprintf vsprintf vswprintf vsyslog vwprintf wcpcpy wcpncpy
	wcrtomb wcscat wcscpy wcslcat wcslcpy wcsncat wcsncpy wcsnrtombs
	wcsrtombs wcstombs wctomb wmemcpy wmemmove wmempcpy wmemset wprintf
`)

// fortify maps both the plain and the checked name of every function of
// fortifyBase to its plain name and whether the name is the checked one.
var fortify = func() map[string]fortifyName {
	m := make(map[string]fortifyName, 2*len(fortifyBase))
	for _, b := range fortifyBase {
		m[b] = fortifyName{base: b}
		m["__"+b+"_chk"] = fortifyName{base: b, checked: true}
	}
	return m
}()

type fortifyName struct {
	base    string
	checked bool
}

// symbolScan gathers, name by name, what the canary and fortify questions
// need from a symbol table, without keeping the names.
type symbolScan struct {
	canary    bool
	goRuntime bool
	checked   map[string]bool
	unchecked map[string]bool
}

// add looks at one symbol name. A version suffix ("memcpy@GLIBC_2.14", as
// the full symbol table of a dynamic binary writes imported names) is cut
// off first. fortify says whether the name counts for FORTIFY_SOURCE:
// the callers pass false for the names a shared library defines, which
// are what it offers rather than what it calls.
func (s *symbolScan) add(name []byte, forFortify bool) {
	if i := bytes.IndexByte(name, '@'); i >= 0 {
		name = name[:i]
	}
	if len(name) == 0 {
		return
	}
	// Indexing with string(name) does not allocate.
	if canaryNames[string(name)] {
		s.canary = true
	}
	if string(name) == "runtime.buildVersion" {
		s.goRuntime = true
	}
	if !forFortify {
		return
	}
	f, ok := fortify[string(name)]
	if !ok {
		return
	}
	if f.checked {
		if s.checked == nil {
			s.checked = make(map[string]bool)
		}
		s.checked[f.base] = true
	} else {
		if s.unchecked == nil {
			s.unchecked = make(map[string]bool)
		}
		s.unchecked[f.base] = true
	}
}

// fill sets the canary and fortify fields of rep from what was scanned.
func (s *symbolScan) fill(rep *Report) {
	if s.goRuntime {
		rep.Go = true
	}
	rep.Canary = No
	if s.canary {
		rep.Canary = Yes
	}
	rep.FortifiedFuncs = len(s.checked)
	rep.FortifiableFuncs = len(s.checked) + len(s.unchecked)
	rep.Fortify = No
	if rep.FortifiedFuncs > 0 {
		rep.Fortify = Yes
	}
}
