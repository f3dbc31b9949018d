// Package cronlog reads /etc/cronlog.conf, the configuration of the AIX
// cron daemon's own log (AIX 6.1 and later): the file it logs to, whether
// it logs at all, and how the log is rotated.
//
// Each line that is not blank and does not start with '#' holds one
// keyword, alone or followed by "=" and a value:
//
//	logfile=/var/adm/cron/log   the log file, a full path
//	size=2m                     rotate at this size: a number and k or m
//	rotate=4                    keep this many rotated files (at least 2)
//	rotate                      keep every rotated file
//	compress                    compress rotated files
//	archive=/var/adm/cron/old   move rotated files to this directory
//	quiet                       turn cron's logging off
//
// When the file cannot be opened, cron logs to /var/adm/cron/log. AIX's
// documentation does not say which of two settings of one keyword wins;
// a keyword set again is reported and the first setting kept.
package cronlog

import (
	"io"
	"strconv"
	"strings"

	"bastion/internal/parse"
)

// DefaultLog is the file cron logs to when nothing else is set.
const DefaultLog = "/var/adm/cron/log"

// The keywords of the file.
const (
	LogFile  = "logfile"
	Size     = "size"
	Rotate   = "rotate"
	Compress = "compress"
	Archive  = "archive"
	Quiet    = "quiet"
)

// takesValue says, for each keyword, whether it needs a value ("yes"),
// may have one ("maybe") or takes none ("no").
var takesValue = map[string]string{
	LogFile: "yes", Size: "yes", Archive: "yes", Rotate: "maybe", Compress: "no", Quiet: "no",
}

// File is a parsed cronlog.conf.
type File struct {
	// Name is the name the file was parsed under, used in error messages.
	Name string
	// Lines holds every physical line as read, without line endings.
	Lines []string
	// Settings holds the keywords in file order, each keyword once.
	Settings []Setting
}

// Setting is one keyword line.
type Setting struct {
	// Line is the 1-based line number of the setting in the file.
	Line int
	// Key is the keyword, Value what follows "=" without surrounding
	// blanks ("" for a keyword written alone).
	Key   string
	Value string
}

// Get returns the setting of a keyword.
func (f *File) Get(key string) (Setting, bool) {
	for _, s := range f.Settings {
		if s.Key == key {
			return s, true
		}
	}
	return Setting{}, false
}

// Log returns the file cron logs to and the setting that names it; the
// setting is the zero Setting when the default applies.
func (f *File) Log() (string, Setting) {
	if s, ok := f.Get(LogFile); ok {
		return s.Value, s
	}
	return DefaultLog, Setting{}
}

// Bytes returns the file text: every line as read, each ended by "\n".
func (f *File) Bytes() []byte { return parse.JoinLines(f.Lines) }

// Parse reads a cronlog.conf from r; name is used in error messages. An
// unknown keyword, a missing or unexpected value, a value cron would
// refuse, or a keyword set twice is reported; every other setting is
// returned along with the error.
func Parse(r io.Reader, name string) (*File, error) {
	lines, err := parse.ReadLines(r, name)
	if err != nil {
		return nil, err
	}
	f := &File{Name: name, Lines: lines}
	var errs parse.Errors
	seen := map[string]int{}
	for i, line := range lines {
		text := strings.Trim(line, " \t")
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		key, value, hasValue := strings.Cut(text, "=")
		key, value = strings.Trim(key, " \t"), strings.Trim(value, " \t")
		n := i + 1
		if msg := check(key, value, hasValue); msg != "" {
			errs.Add(name, n, "%s", msg)
			continue
		}
		if first, dup := seen[key]; dup {
			errs.Add(name, n, "%s is set again (first at line %d, which is kept)", key, first)
			continue
		}
		seen[key] = n
		f.Settings = append(f.Settings, Setting{Line: n, Key: key, Value: value})
	}
	return f, errs.Err()
}

// check returns what is wrong with a keyword and its value, or "".
func check(key, value string, hasValue bool) string {
	want, ok := takesValue[key]
	switch {
	case !ok:
		return "unknown keyword " + strconv.Quote(key)
	case want == "yes" && value == "":
		return key + " needs a value"
	case want == "no" && hasValue:
		return key + " takes no value"
	}
	switch key {
	case LogFile, Archive:
		if !strings.HasPrefix(value, "/") || strings.ContainsAny(value, " \t") {
			return key + " must be a full path name, not " + strconv.Quote(value)
		}
	case Size:
		num := strings.TrimRight(value, "kKmM")
		if len(value)-len(num) != 1 || !digits(num) {
			return "size " + strconv.Quote(value) + " is not a number followed by k or m (cron turns rotation off)"
		}
	case Rotate:
		if hasValue && !digits(value) {
			return "rotate " + strconv.Quote(value) + " is not a number"
		}
	}
	return ""
}

func digits(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
