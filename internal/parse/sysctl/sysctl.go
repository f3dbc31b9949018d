// Package sysctl reads the Linux kernel parameter files applied at boot,
// /etc/sysctl.conf and the sysctl.d directories, and works out which value
// of a parameter is in force once every file has been applied.
//
// A file holds "key = value" lines. Blank lines and lines whose first
// non-blank character is '#' or ';' are comments. Blanks around the key and
// the value are dropped; the value is the rest of the line, '#' included. A
// key may use '/' instead of '.' as its separator (see Normalize). A '-'
// before the key asks for a failure to set it to be ignored; a line of only
// "-key" takes key out of the glob patterns of other lines. A key may be a
// glob pattern such as "net.ipv4.conf.*.rp_filter"; it is kept as written.
//
// Every line of a file is kept so that one setting can be changed by
// editing its own line.
package sysctl

import (
	"io"
	"path"
	"sort"
	"strings"

	"bastion/internal/parse"
)

// Setting is one "key = value" line, or one "-key" exclusion.
type Setting struct {
	// File is the name of the file the line is in.
	File string
	// Line is the 1-based line number.
	Line int
	// Key is the parameter in its dotted form (see Normalize), or a glob
	// pattern in that form.
	Key string
	// Value is the text after '=', without surrounding blanks.
	Value string
	// IgnoreErrors reports a key written with a leading '-': a failure
	// to set it is not an error.
	IgnoreErrors bool
	// Exclude reports a "-key" line with no value, which takes key out
	// of every glob pattern.
	Exclude bool
}

// File is a parsed sysctl file with its original lines.
type File struct {
	// Name is the name the file was parsed under; Settings carry it too.
	Name string
	// Lines holds every line as read, without line endings.
	Lines []string
	// Settings holds the settings in file order.
	Settings []Setting
}

// Parse reads a sysctl.conf or sysctl.d file. A line with no '=' (other
// than a "-key" exclusion), a setting with no key, and a key holding a blank
// are reported, each as "name:line: what is wrong", and the File then holds
// every other setting. A file that cannot be read gives a nil File.
func Parse(r io.Reader, name string) (*File, error) {
	lines, err := parse.ReadLines(r, name)
	if err != nil {
		return nil, err
	}
	f := &File{Name: name, Lines: lines}
	var errs parse.Errors
	for i, l := range lines {
		n := i + 1
		t := strings.Trim(l, " \t")
		if t == "" || t[0] == '#' || t[0] == ';' {
			continue
		}
		key, value, ok := strings.Cut(t, "=")
		key, value = strings.Trim(key, " \t"), strings.Trim(value, " \t")
		s := Setting{File: name, Line: n, Value: value}
		if rest, found := strings.CutPrefix(key, "-"); found {
			s.IgnoreErrors, s.Exclude = true, !ok
			key = strings.TrimLeft(rest, " \t")
		}
		switch {
		case !ok && !s.Exclude:
			errs.Add(name, n, "expected \"key = value\", found %q", t)
			continue
		case key == "":
			errs.Add(name, n, "setting with no key")
			continue
		case strings.ContainsAny(key, " \t"):
			errs.Add(name, n, "key %q holds a blank", key)
			continue
		}
		s.Key = Normalize(key)
		if s.Key == "" {
			errs.Add(name, n, "key %q names no parameter", key)
			continue
		}
		f.Settings = append(f.Settings, s)
	}
	return f, errs.Err()
}

// Bytes returns the file's text: its lines, each ended by a newline.
func (f *File) Bytes() []byte { return parse.JoinLines(f.Lines) }

// Normalize returns key in its dotted form, the one sysctl prints. As in
// sysctl.d(5), the first separator decides: when it is a dot the key is
// already dotted, and a '/' in it stands for a dot inside one name (an
// interface called "eth0.100" is written "eth0/100"); when it is a slash
// the key is a path under /proc/sys, and slashes and dots are swapped.
// Leading slashes are dropped. "net/ipv4/ip_forward" gives
// "net.ipv4.ip_forward", and "net/ipv4/conf/eth0.100/forwarding" gives
// "net.ipv4.conf.eth0/100.forwarding".
func Normalize(key string) string {
	key = strings.TrimLeft(key, "/")
	if i := strings.IndexAny(key, "./"); i >= 0 && key[i] == '/' {
		key = swap(key)
	}
	return key
}

// ProcPath returns the file under /proc/sys that holds a dotted key.
func ProcPath(key string) string { return "/proc/sys/" + swap(key) }

// swap exchanges dots and slashes.
func swap(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case '.':
			return '/'
		case '/':
			return '.'
		}
		return r
	}, s)
}

// IsGlob reports whether key is a glob pattern.
func IsGlob(key string) bool { return strings.ContainsAny(key, "*?[") }

// Effective returns, for each key as written (glob patterns included), the
// setting in force once files are applied in the order given: a later file
// wins over an earlier one, and a later line over an earlier line. Exclusion
// lines set nothing and are left out. Pass the files in the order sysctl
// applies them (see Order).
func Effective(files ...*File) map[string]Setting {
	out := map[string]Setting{}
	for _, f := range files {
		if f == nil {
			continue
		}
		for _, s := range f.Settings {
			if !s.Exclude {
				out[s.Key] = s
			}
		}
	}
	return out
}

// Resolve returns the setting that gives a dotted key its value once files
// are applied in the order given. A line naming the key itself wins over
// any glob pattern, wherever it is, as systemd-sysctl applies them; among
// lines of the same kind the last wins. A glob pattern does not count for a
// key that a "-key" line excludes.
func Resolve(key string, files ...*File) (Setting, bool) {
	var exact, glob Setting
	var haveExact, haveGlob, excluded bool
	for _, f := range files {
		if f == nil {
			continue
		}
		for _, s := range f.Settings {
			switch {
			case s.Key == key && s.Exclude:
				excluded = true
			case s.Key == key:
				exact, haveExact = s, true
			case !s.Exclude && IsGlob(s.Key) && Match(s.Key, key):
				glob, haveGlob = s, true
			}
		}
	}
	switch {
	case haveExact:
		return exact, true
	case haveGlob && !excluded:
		return glob, true
	}
	return Setting{}, false
}

// Match reports whether a dotted key matches pattern, a glob pattern in the
// dotted form or a plain key. A '*' matches within one name: it does not
// reach across a dot.
func Match(pattern, key string) bool {
	ok, err := path.Match(swap(pattern), swap(key))
	return ok && err == nil
}

// Dirs are the sysctl.d directories, the one whose files take precedence
// first.
var Dirs = []string{"/etc/sysctl.d", "/run/sysctl.d", "/usr/local/lib/sysctl.d", "/usr/lib/sysctl.d", "/lib/sysctl.d"}

// Conf is /etc/sysctl.conf, which `sysctl --system` applies after every
// sysctl.d file.
const Conf = "/etc/sysctl.conf"

// Order returns the files sysctl applies at boot, in the order it applies
// them, from the names listed in each directory of Dirs (listings maps a
// directory to the base names of its entries; other directories are
// ignored). The rule, from sysctl.d(5) and `sysctl --system`:
//
//   - only names ending in ".conf" and not starting with '.' count;
//   - a name in a directory earlier in Dirs shadows the same name in a later
//     one, so that /etc/sysctl.d/x.conf replaces /usr/lib/sysctl.d/x.conf;
//   - the files left are applied sorted by base name, whatever their
//     directory;
//   - Conf comes last, whether it exists or not (a caller skips it when it
//     is missing).
//
// Since a later assignment wins, the file whose name sorts last has the
// final say among the sysctl.d files, and /etc/sysctl.conf over all of them.
func Order(listings map[string][]string) []string {
	chosen := map[string]string{}
	for _, dir := range Dirs {
		for _, n := range listings[dir] {
			if !strings.HasSuffix(n, ".conf") || strings.HasPrefix(n, ".") || strings.Contains(n, "/") {
				continue
			}
			if _, ok := chosen[n]; !ok {
				chosen[n] = path.Join(dir, n)
			}
		}
	}
	names := make([]string, 0, len(chosen))
	for n := range chosen {
		names = append(names, n)
	}
	sort.Strings(names)
	out := make([]string, 0, len(names)+1)
	for _, n := range names {
		out = append(out, chosen[n])
	}
	return append(out, Conf)
}
