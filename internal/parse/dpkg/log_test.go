package dpkg

import (
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/google/go-cmp/cmp"

	"bastion/internal/parse"
)

// logBookworm is part of /var/log/dpkg.log of a Debian 12 host: an
// upgrade run, a package installed, one removed.
const logBookworm = `2024-03-01 10:22:31 startup archives unpack
2024-03-01 10:22:33 upgrade openssh-server:amd64 1:9.2p1-2+deb12u1 1:9.2p1-2+deb12u2
2024-03-01 10:22:33 status half-configured openssh-server:amd64 1:9.2p1-2+deb12u1
2024-03-01 10:22:34 status installed openssh-server:amd64 1:9.2p1-2+deb12u2
2024-03-01 10:22:35 trigproc man-db:amd64 2.11.2-2 <none>
2024-03-02 08:00:01 install tzdata:all <none> 2024a-0+deb12u1
2024-03-02 08:00:02 conffile /etc/default/tzdata keep
2024-04-10 16:45:12 remove telnet:amd64 0.17+2.4-2 <none>
`

func TestParseLog(t *testing.T) {
	at := func(s string) time.Time {
		t.Helper()
		v, err := time.Parse(logTime, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, tc := range []struct {
		name       string
		in         string
		want       []LogEntry
		newest     string
		newestLine int
		oldest     string
		lines      int
		last       int // line of LastChange, 0 for none
		wantErr    []string
	}{
		{
			name: "bookworm", in: logBookworm, lines: 8, newest: "2024-04-10 16:45:12", newestLine: 8, oldest: "2024-03-01 10:22:31", last: 6,
			want: []LogEntry{
				{Line: 2, Time: at("2024-03-01 10:22:33"), Action: "upgrade", Package: "openssh-server", Arch: "amd64", From: "1:9.2p1-2+deb12u1", To: "1:9.2p1-2+deb12u2"},
				{Line: 6, Time: at("2024-03-02 08:00:01"), Action: "install", Package: "tzdata", Arch: "all", From: "<none>", To: "2024a-0+deb12u1"},
				{Line: 8, Time: at("2024-04-10 16:45:12"), Action: "remove", Package: "telnet", Arch: "amd64", From: "0.17+2.4-2", To: "<none>"},
			},
		},
		{
			name: "errors, crlf, out of order", in: "garbage\r\n2024-13-01 00:00:00 install a b c\r\n2024-01-02 00:00:00\r\n2024-01-03 00:00:00 upgrade x:amd64 1\r\n\r\n2024-01-05 00:00:00 purge y 1 <none>\r\n2024-01-04 00:00:00 status installed y 1\r\nshort\r\n",
			lines: 8, newest: "2024-01-05 00:00:00", newestLine: 6, oldest: "2024-01-03 00:00:00",
			want: []LogEntry{{Line: 6, Time: at("2024-01-05 00:00:00"), Action: "purge", Package: "y", From: "1", To: "<none>"}},
			wantErr: []string{
				`log:1: no time stamp: "garbage"`,
				`log:2: no time stamp: "2024-13-01 00:00:00 install a b c"`,
				"log:3: no action after the time stamp",
				"log:4: upgrade line without a package and two versions",
				`log:8: no time stamp: "short"`,
			},
		},
		{name: "empty", in: ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l, err := ParseLog(strings.NewReader(tc.in), "log")
			if diff := cmp.Diff(tc.want, l.Entries); diff != "" {
				t.Errorf("entries (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.wantErr, errStrings(err)); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
			var newest, oldest time.Time
			if tc.newest != "" {
				newest, oldest = at(tc.newest), at(tc.oldest)
			}
			if !l.Oldest.Equal(oldest) {
				t.Errorf("oldest %v, want %v", l.Oldest, oldest)
			}
			if !l.Newest.Equal(newest) || l.NewestLine != tc.newestLine || l.Lines != tc.lines {
				t.Errorf("newest %v at %d, %d lines; want %v at %d, %d", l.Newest, l.NewestLine, l.Lines, newest, tc.newestLine, tc.lines)
			}
			e, ok := l.LastChange()
			if ok != (tc.last != 0) || e.Line != tc.last {
				t.Errorf("LastChange() = line %d, %v; want %d", e.Line, ok, tc.last)
			}
		})
	}
}

func TestParseLogLimits(t *testing.T) {
	var b strings.Builder
	for range 60 {
		b.WriteString("bad\n")
	}
	_, err := ParseLog(strings.NewReader(b.String()), "log")
	errs := errStrings(err)
	if len(errs) != 51 || errs[50] != "log:60: 10 more errors not shown" {
		t.Errorf("%d errors, last %q", len(errs), errs[len(errs)-1])
	}
	r := io.MultiReader(strings.NewReader(logBookworm), iotest.ErrReader(errors.New("boom")))
	l, err := ParseLog(r, "log")
	if len(l.Entries) != 3 || err == nil || !strings.Contains(err.Error(), "log:9: read: boom") {
		t.Errorf("read error: %d entries, %v", len(l.Entries), err)
	}
}

func FuzzParseLog(f *testing.F) {
	f.Add([]byte(logBookworm))
	f.Add([]byte("garbage\r\n2024-13-01 00:00:00 install a b c\r\n2024-01-02 00:00:00\r\n"))
	f.Add([]byte("2024-01-05 00:00:00 purge y 1 <none>\n2024-01-04 00:00:00 install :x <none> 1"))
	f.Fuzz(func(t *testing.T, data []byte) {
		l, err := ParseLog(strings.NewReader(string(data)), "log")
		n := len(parse.SplitLines(data))
		if l.Lines != n {
			t.Fatalf("%d lines read, %d in the input", l.Lines, n)
		}
		checkErr(t, err, "log", n)
		prev := 0
		for _, e := range l.Entries {
			if e.Line <= prev || e.Line > n || e.Time.After(l.Newest) {
				t.Fatalf("entry %+v out of order, range 1..%d or after the newest %v", e, n, l.Newest)
			}
			prev = e.Line
		}
		if last, ok := l.LastChange(); ok && last.Action != ActionInstall && last.Action != ActionUpgrade {
			t.Fatalf("LastChange() = %+v", last)
		}
	})
}
