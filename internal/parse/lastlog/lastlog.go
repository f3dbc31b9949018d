// Package lastlog reads Linux's /var/log/lastlog: one fixed-size record per
// UID, at offset UID × record size, holding the time, terminal and remote
// host of the account's last login. The file is sparse (the record of UID
// 65534 sits 19 MB in), so it is never read whole: Lookup reads the one
// record of one UID.
package lastlog

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"time"
)

// The layout glibc uses on Linux: a 32-bit time, a 32-byte line and a
// 256-byte host, 292 bytes in all, on every architecture (ll_time is an
// int32_t on 64-bit targets too, for compatibility).
const (
	lineSize   = 32
	hostSize   = 256
	RecordSize = 4 + lineSize + hostSize
)

// MaxUID is the highest UID Lookup reads: above it the offset would pass
// what any real lastlog holds and the request is surely a mistake.
const MaxUID = 1<<32 - 2

// Record is one account's last login.
type Record struct {
	Time time.Time // zero when the account never logged in
	Line string    // the terminal: "pts/0"
	Host string    // the remote host, or ""
}

// Never reports whether the record says the account never logged in.
func (r Record) Never() bool { return r.Time.IsZero() }

// Lookup returns the record of uid from a lastlog file. A record past the
// end of the file, or all zeros, is an account that never logged in; a
// record cut short by the end of the file is an error naming the file.
func Lookup(r io.ReaderAt, name string, uid int) (Record, error) {
	if uid < 0 || uid > MaxUID {
		return Record{}, fmt.Errorf("%s: uid %d out of range", name, uid)
	}
	var buf [RecordSize]byte
	n, err := r.ReadAt(buf[:], int64(uid)*RecordSize)
	switch {
	case n == 0 && errors.Is(err, io.EOF):
		return Record{}, nil
	case n < RecordSize && errors.Is(err, io.EOF):
		return Record{}, fmt.Errorf("%s: the record of uid %d is cut short (%d of %d bytes)", name, uid, n, RecordSize)
	case n < RecordSize:
		return Record{}, fmt.Errorf("%s: %w", name, err)
	}
	var rec Record
	if t := int32(binary.LittleEndian.Uint32(buf[:4])); t > 0 {
		rec.Time = time.Unix(int64(t), 0).UTC()
	}
	rec.Line = cString(buf[4 : 4+lineSize])
	rec.Host = cString(buf[4+lineSize:])
	return rec, nil
}

// Encode renders a record as Lookup reads it; tests and fixtures use it.
func Encode(rec Record) []byte {
	buf := make([]byte, RecordSize)
	if !rec.Time.IsZero() {
		binary.LittleEndian.PutUint32(buf[:4], uint32(rec.Time.Unix()))
	}
	copy(buf[4:4+lineSize-1], rec.Line)
	copy(buf[4+lineSize:RecordSize-1], rec.Host)
	return buf
}

// cString returns the bytes before the first NUL, with anything that is
// not printable ASCII replaced, since the file may hold anything.
func cString(b []byte) string {
	out := make([]byte, 0, len(b))
	for _, c := range b {
		if c == 0 {
			break
		}
		if c < 0x20 || c > 0x7e {
			c = '?'
		}
		out = append(out, c)
	}
	return string(out)
}
