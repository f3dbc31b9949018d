package cronlog

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"bastion/internal/parse"
)

func TestParseFixtures(t *testing.T) {
	tests := []struct {
		file    string
		want    []Setting
		log     string
		logLine int
	}{
		{"aix-commented", nil, DefaultLog, 0},
		{"rotated", []Setting{
			{Line: 2, Key: LogFile, Value: "/var/log/cron/cron.log"},
			{Line: 3, Key: Size, Value: "2m"},
			{Line: 4, Key: Rotate, Value: "4"},
			{Line: 5, Key: Archive, Value: "/var/log/cron/old"},
			{Line: 6, Key: Compress},
		}, "/var/log/cron/cron.log", 2},
		{"quiet", []Setting{{Line: 2, Key: Quiet}}, DefaultLog, 0},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			f, err := Parse(strings.NewReader(string(data)), tt.file)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if diff := cmp.Diff(tt.want, f.Settings); diff != "" {
				t.Errorf("settings (-want +got):\n%s", diff)
			}
			if log, s := f.Log(); log != tt.log || s.Line != tt.logLine {
				t.Errorf("Log() = %q at line %d, want %q at line %d", log, s.Line, tt.log, tt.logLine)
			}
			if got := string(f.Bytes()); got != string(data) {
				t.Errorf("Bytes() = %q, want the input", got)
			}
		})
	}
}

func TestBadLines(t *testing.T) {
	in := strings.Join([]string{
		"logfile = /var/adm/cron/log ", // 1: blanks around "=" and after the value are not part of it
		"verbose",                      // 2: unknown
		"logfile=/tmp/other",           // 3: set again
		"size=30",                      // 4: no unit
		"size=1g",                      // 5: unknown unit
		"rotate=many",                  // 6
		"quiet=yes",                    // 7
		"archive=old",                  // 8: not a full path
		"size",                         // 9: no value
		"\tcompress\t",                 // 10: fine
		"rotate",                       // 11: fine
	}, "\n")
	f, err := Parse(strings.NewReader(in), "cronlog.conf")
	if f == nil {
		t.Fatal("no file")
	}
	var lines []int
	for _, pe := range parse.List(err) {
		if pe.File != "cronlog.conf" {
			t.Errorf("error %v names the wrong file", pe)
		}
		lines = append(lines, pe.Line)
	}
	if diff := cmp.Diff([]int{2, 3, 4, 5, 6, 7, 8, 9}, lines); diff != "" {
		t.Errorf("error lines (-want +got):\n%s\n%v", diff, err)
	}
	want := []Setting{{Line: 1, Key: LogFile, Value: "/var/adm/cron/log"}, {Line: 10, Key: Compress}, {Line: 11, Key: Rotate}}
	if diff := cmp.Diff(want, f.Settings); diff != "" {
		t.Errorf("settings (-want +got):\n%s", diff)
	}
	if !strings.Contains(err.Error(), "cronlog.conf:3: logfile is set again (first at line 1, which is kept)") {
		t.Errorf("err = %v", err)
	}
}

func TestTooLarge(t *testing.T) {
	big := strings.Repeat("#\n", parse.MaxSize/2+1)
	if f, err := Parse(strings.NewReader(big), "cronlog.conf"); f != nil || err == nil {
		t.Errorf("Parse of an oversized file = %v, %v", f, err)
	}
}
