package snmpconf

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// normalize is what Bytes must give back for in: line endings made "\n",
// and a final newline added to a last line without one.
func normalize(in []byte) []byte {
	if len(in) == 0 {
		return nil
	}
	var out []byte
	for _, l := range bytes.SplitAfter(in, []byte("\n")) {
		if len(l) == 0 {
			continue
		}
		l = bytes.TrimSuffix(l, []byte("\n"))
		l = bytes.TrimSuffix(l, []byte("\r"))
		out = append(out, l...)
		out = append(out, '\n')
	}
	return out
}

// keywords returns the line and keyword of each entry, for compact wants.
func keywords(entries []Entry) []string {
	var out []string
	for _, e := range entries {
		out = append(out, itoa(e.Line)+" "+e.Keyword)
	}
	return out
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}
