package aptlists

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strings"

	"bastion/internal/parse"
)

// Entry is one stanza of a Packages file, reduced to what bastion needs.
type Entry struct {
	// Line is the line of the stanza's Package field.
	Line int
	// Package, Version and Architecture are those fields as written.
	Package      string
	Version      string
	Architecture string
	// Source is the source package's name, without the version that may
	// follow it in parentheses; "" when the stanza has no Source field.
	Source string
}

// maxErrors is the most line errors ScanPackages reports from one file: a
// file that is not a Packages file at all gives one error per line
// otherwise.
const maxErrors = 50

// scanBuffer is the read buffer of ScanPackages. A longer line is skipped
// (no field bastion reads is that long).
const scanBuffer = 64 << 10

// ScanPackages streams a Packages file and returns the stanzas of the
// packages want names (all of them when want is nil), in file order. Only
// the Package, Version, Architecture and Source fields are looked at, and
// only at the start of a line, and only from the Package field on (the
// archive software writes it first): the rest is skipped without being
// copied,
// so that a list of tens of megabytes is read in a few tens of
// milliseconds. A stanza without a Package field or, for a wanted package,
// without a Version, and a second Package field in one stanza are reported
// as "name:line: what is wrong" (the first maxErrors of them); a read error
// ends the scan and is returned with what was read before it.
func ScanPackages(r io.Reader, name string, want map[string]bool) ([]Entry, error) {
	br := bufio.NewReaderSize(r, scanBuffer)
	var (
		out     []Entry
		errs    parse.Errors
		cur     Entry
		open    bool // a stanza has started
		named   bool // the stanza's Package field was read
		keep    bool // the stanza is of a wanted package
		start   int  // the line the stanza started at
		n       int
		dropped int
	)
	report := func(line int, format string, args ...any) {
		if errs.Len() < maxErrors {
			errs.Add(name, line, format, args...)
		} else {
			dropped++
		}
	}
	finish := func() {
		switch {
		case !open:
		case !named:
			report(start, "stanza has no Package field")
		case keep && cur.Version == "":
			report(cur.Line, "package %s has no Version field", cur.Package)
		case keep:
			out = append(out, cur)
		}
		cur, open, named, keep = Entry{}, false, false, false
	}
	for {
		line, err := br.ReadSlice('\n')
		long := err == bufio.ErrBufferFull
		for err == bufio.ErrBufferFull {
			// Skip the rest of a line longer than the buffer.
			_, err = br.ReadSlice('\n')
		}
		if len(line) == 0 && err != nil {
			if err != io.EOF {
				finish()
				errs.Append(&parse.Error{File: name, Line: n + 1, Err: fmt.Errorf("read: %w", err)})
				return out, errs.Err()
			}
			break
		}
		n++
		if k := len(line); k > 0 && line[k-1] == '\n' {
			line = line[:k-1]
		}
		if k := len(line); k > 0 && line[k-1] == '\r' {
			line = line[:k-1]
		}
		switch {
		case blank(line):
			finish()
		case line[0] == ' ' || line[0] == '\t' || long:
			// A continuation (Description, Conffiles) or an overlong
			// line: nothing bastion reads.
		default:
			if !open {
				open, start = true, n
			}
			if !keep && len(line) > 0 && line[0] != 'P' {
				break // only the Package field matters until it is found
			}
			key, value, ok := cutField(line)
			if !ok {
				break
			}
			switch key {
			case "Package":
				if named {
					report(n, "second Package field in a stanza")
					break
				}
				if len(value) == 0 || bytes.ContainsAny(value, " \t") {
					report(n, "bad package name %q", clip(string(value)))
					break
				}
				named = true
				if want == nil {
					keep = true
				} else {
					keep = want[string(value)] // no copy for a map look-up
				}
				if keep {
					cur.Package, cur.Line = string(value), n
				}
			case "Version":
				if keep {
					cur.Version = string(value)
				}
			case "Architecture":
				if keep {
					cur.Architecture = string(value)
				}
			case "Source":
				if keep {
					src, _, _ := strings.Cut(string(value), " ")
					cur.Source = src
				}
			}
		}
		if err != nil {
			if err != io.EOF {
				finish()
				errs.Append(&parse.Error{File: name, Line: n, Err: fmt.Errorf("read: %w", err)})
				return out, errs.Err()
			}
			break
		}
	}
	finish()
	if dropped > 0 {
		errs.Add(name, n, "%d more errors not shown", dropped)
	}
	return out, errs.Err()
}

// blank reports a line of blanks only, which ends a stanza. Most lines
// are told apart by their first byte.
func blank(line []byte) bool {
	for _, c := range line {
		if c != ' ' && c != '\t' && c != '\r' && c != '\v' && c != '\f' {
			return false
		}
	}
	return true
}

// cutField splits "Name: value" for the four names ScanPackages reads;
// others report false. Packages files are written by the archive software
// and use these spellings only.
func cutField(line []byte) (string, []byte, bool) {
	i := bytes.IndexByte(line, ':')
	if i <= 0 {
		return "", nil, false
	}
	var key string
	switch string(line[:i]) { // no copy for a switch on a conversion
	case "Package":
		key = "Package"
	case "Version":
		key = "Version"
	case "Architecture":
		key = "Architecture"
	case "Source":
		key = "Source"
	default:
		return "", nil, false
	}
	return key, bytes.Trim(line[i+1:], " \t"), true
}

// Compressions are the suffixes apt gives a list it keeps compressed
// (Acquire::GzipIndexes, or an image that stores lz4 lists).
var Compressions = []string{".gz", ".lz4", ".xz", ".zst", ".bz2", ".lzma"}

// PackagesList reports whether a file name of /var/lib/apt/lists is a
// Packages list ("..._binary-amd64_Packages"), and with which compression
// suffix it is kept ("" for a plain file).
func PackagesList(base string) (compression string, ok bool) {
	for _, c := range Compressions {
		if strings.HasSuffix(base, "_Packages"+c) {
			return c, true
		}
	}
	return "", strings.HasSuffix(base, "_Packages")
}

// IsRelease reports whether a file name of /var/lib/apt/lists is a
// Release or InRelease file.
func IsRelease(base string) bool {
	return strings.HasSuffix(base, "_InRelease") || strings.HasSuffix(base, "_Release")
}

// ReleaseFor returns, of the Release and InRelease file names given, the
// one that describes a list: apt names a list after the archive's Release
// file with the component and architecture added
// ("host_debian_dists_bookworm_InRelease" describes
// "host_debian_dists_bookworm_main_binary-amd64_Packages"). The longest
// match wins, and an InRelease file over a Release file of the same
// archive. It returns "" when none matches.
func ReleaseFor(list string, releases []string) string {
	best, bestStem := "", -1
	for _, r := range releases {
		stem, ok := strings.CutSuffix(r, "InRelease")
		if !ok {
			if stem, ok = strings.CutSuffix(r, "Release"); !ok {
				continue
			}
		}
		if !strings.HasSuffix(stem, "_") || !strings.HasPrefix(list, stem) {
			continue
		}
		if len(stem) > bestStem || len(stem) == bestStem && strings.HasSuffix(r, "InRelease") {
			best, bestStem = r, len(stem)
		}
	}
	return best
}
