package lastlog

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestLookup(t *testing.T) {
	when := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	var file []byte
	file = append(file, Encode(Record{Time: when, Line: "pts/0", Host: "10.1.2.3"})...) // uid 0
	file = append(file, make([]byte, RecordSize)...)                                    // uid 1: never
	file = append(file, Encode(Record{Time: when.Add(time.Hour), Line: "tty1"})...)     // uid 2
	file = append(file, Encode(Record{Line: "x\x01y"})[:10]...)                         // uid 3: cut short
	r := bytes.NewReader(file)
	for _, c := range []struct {
		uid     int
		want    Record
		wantErr string
	}{
		{uid: 0, want: Record{Time: when, Line: "pts/0", Host: "10.1.2.3"}},
		{uid: 1, want: Record{}},
		{uid: 2, want: Record{Time: when.Add(time.Hour), Line: "tty1"}},
		{uid: 3, wantErr: "lastlog: the record of uid 3 is cut short (10 of 292 bytes)"},
		{uid: 4, want: Record{}}, // past the end: never
		{uid: 1000000, want: Record{}},
		{uid: -1, wantErr: "lastlog: uid -1 out of range"},
	} {
		got, err := Lookup(r, "lastlog", c.uid)
		if c.wantErr != "" {
			if err == nil || err.Error() != c.wantErr {
				t.Errorf("uid %d: err %v, want %q", c.uid, err, c.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("uid %d: %v", c.uid, err)
			continue
		}
		if diff := cmp.Diff(c.want, got); diff != "" {
			t.Errorf("uid %d (-want +got):\n%s", c.uid, diff)
		}
		if got.Never() != c.want.Time.IsZero() {
			t.Errorf("uid %d: Never() = %v", c.uid, got.Never())
		}
	}
}

func TestUnprintable(t *testing.T) {
	rec := Encode(Record{Time: time.Unix(100, 0), Line: "a\x1b[31mb"})
	got, err := Lookup(bytes.NewReader(rec), "l", 0)
	if err != nil {
		t.Fatal(err)
	}
	if strings.ContainsRune(got.Line, 0x1b) || got.Line != "a?[31mb" {
		t.Errorf("Line = %q, want escape replaced", got.Line)
	}
}

func FuzzLookup(f *testing.F) {
	f.Add(Encode(Record{Time: time.Unix(1700000000, 0), Line: "pts/1", Host: "h"}), 0)
	f.Add(make([]byte, 3*RecordSize), 2)
	f.Add([]byte{1, 2, 3}, 0)
	f.Fuzz(func(t *testing.T, data []byte, uid int) {
		rec, err := Lookup(bytes.NewReader(data), "f", uid)
		if err == nil && (len(rec.Line) > lineSize || len(rec.Host) > hostSize) {
			t.Fatalf("record fields too long: %+v", rec)
		}
	})
}
