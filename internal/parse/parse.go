// Package parse holds what every file-format parser of bastion shares: the
// error that names a file and line, and a size-capped line reader that keeps
// the original text of every line.
//
// The formats themselves live in sub-packages, one per format family. Each
// parser takes an io.Reader and the name to report, keeps the original lines
// so that an edit of one entry changes one line, and reports bad input as
// "file:line: what is wrong" instead of panicking. A parser that finds bad
// lines still returns what it could parse, together with an error listing
// every bad line, so that one odd line never hides the rest of a file.
package parse

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
)

// MaxSize is the most bytes a parser reads from one file. Configuration files
// are small; anything larger is refused rather than read into memory.
const MaxSize = 16 << 20

// ErrTooLarge reports a file larger than MaxSize.
var ErrTooLarge = fmt.Errorf("file larger than %d bytes", MaxSize)

// Error is a problem at one line of one file. Line 0 means the file as a
// whole (it could not be read, or was too large).
type Error struct {
	File string
	Line int
	Err  error
}

func (e *Error) Error() string {
	if e.Line <= 0 {
		return fmt.Sprintf("%s: %v", e.File, e.Err)
	}
	return fmt.Sprintf("%s:%d: %v", e.File, e.Line, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error for a line of a file with a formatted message.
func Errorf(file string, line int, format string, args ...any) *Error {
	return &Error{File: file, Line: line, Err: fmt.Errorf(format, args...)}
}

// Errors collects the line errors of one parse. Its Err method returns nil
// when nothing was added, or an error that joins every *Error in order.
type Errors struct {
	list []error
}

// Add records an error at a line.
func (es *Errors) Add(file string, line int, format string, args ...any) {
	es.list = append(es.list, Errorf(file, line, format, args...))
}

// Append records an existing error as it is.
func (es *Errors) Append(err error) {
	if err != nil {
		es.list = append(es.list, err)
	}
}

// Len reports how many errors were recorded.
func (es *Errors) Len() int { return len(es.list) }

// Err returns nil, or all recorded errors joined with errors.Join.
func (es *Errors) Err() error {
	if len(es.list) == 0 {
		return nil
	}
	return errors.Join(es.list...)
}

// List returns every *Error within err, which may be a single *Error or one
// made by errors.Join (as Errors.Err makes). Other errors are returned as an
// *Error with no line.
func List(err error) []*Error {
	if err == nil {
		return nil
	}
	var out []*Error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range j.Unwrap() {
			out = append(out, List(e)...)
		}
		return out
	}
	var pe *Error
	if errors.As(err, &pe) {
		return []*Error{pe}
	}
	return []*Error{{Err: err}}
}

// ReadLines reads at most MaxSize bytes from r and returns its lines without
// their line endings ("\n" or "\r\n"). A final line without a newline is
// kept. The text is returned as read; line i+1 of the file is lines[i].
func ReadLines(r io.Reader, name string) ([]string, error) {
	data, err := ReadAll(r, name)
	if err != nil {
		return nil, err
	}
	return SplitLines(data), nil
}

// ReadAll reads at most MaxSize bytes from r, or fails with ErrTooLarge.
func ReadAll(r io.Reader, name string) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxSize+1))
	if err != nil {
		return nil, &Error{File: name, Err: fmt.Errorf("read: %w", err)}
	}
	if len(data) > MaxSize {
		return nil, &Error{File: name, Err: ErrTooLarge}
	}
	return data, nil
}

// SplitLines splits data into lines without their endings ("\n", or
// "\r\n"). It allocates the strings and the slice, nothing more: it runs on
// every file bastion reads.
func SplitLines(data []byte) []string {
	if len(data) == 0 {
		return nil
	}
	lines := make([]string, 0, bytes.Count(data, []byte{'\n'})+1)
	for len(data) > 0 {
		i := bytes.IndexByte(data, '\n')
		var line []byte
		if i < 0 {
			line, data = data, nil
		} else {
			line, data = data[:i], data[i+1:]
		}
		if n := len(line); n > 0 && line[n-1] == '\r' {
			line = line[:n-1]
		}
		lines = append(lines, string(line))
	}
	return lines
}

// JoinLines is the inverse of SplitLines for text that ended in a newline:
// it joins lines with "\n" and ends the result with "\n".
func JoinLines(lines []string) []byte {
	if len(lines) == 0 {
		return nil
	}
	var b strings.Builder
	for _, l := range lines {
		b.WriteString(l)
		b.WriteByte('\n')
	}
	return []byte(b.String())
}

// Fields splits s around runs of spaces and tabs only (not other Unicode
// space), as the Unix configuration files bastion reads do.
func Fields(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '\t' })
}

// StripComment returns s up to the first '#', and whether one was found.
func StripComment(s string) (string, bool) {
	if i := strings.IndexByte(s, '#'); i >= 0 {
		return s[:i], true
	}
	return s, false
}
