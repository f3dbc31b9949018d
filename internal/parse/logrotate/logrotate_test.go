package logrotate

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"bastion/internal/parse"
)

func read(t *testing.T, name string) *File {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	f, err := Parse(strings.NewReader(string(data)), name)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if got := string(f.Bytes()); got != string(data) {
		t.Errorf("Bytes() = %q, want the input", got)
	}
	return f
}

// The main file: global directives, comments and an include.
func TestMainFile(t *testing.T) {
	f := read(t, "logrotate.conf")
	want := []Option{{Line: 6, Name: "weekly", Args: []string{}}, {Line: 9, Name: "rotate", Args: []string{"4"}}, {Line: 12, Name: "create", Args: []string{}}}
	if diff := cmp.Diff(want, f.Globals); diff != "" {
		t.Errorf("globals (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]Include{{Line: 21, Path: "/etc/logrotate.d"}}, f.Includes); diff != "" {
		t.Errorf("includes (-want +got):\n%s", diff)
	}
	if len(f.Blocks) != 0 {
		t.Errorf("blocks: %+v", f.Blocks)
	}
}

// Debian's rsyslog file: names over many lines, "{" on a line of its own,
// and a script whose lines are not directives.
func TestNamesOverLines(t *testing.T) {
	f := read(t, "rsyslog")
	if len(f.Blocks) != 1 {
		t.Fatalf("%d blocks, want 1", len(f.Blocks))
	}
	b := f.Blocks[0]
	if b.Line != 1 || b.Open != 14 || b.EndLine != 25 || len(b.Patterns) != 13 {
		t.Errorf("block lines %d %d %d, %d names", b.Line, b.Open, b.EndLine, len(b.Patterns))
	}
	if b.Patterns[7] != (Pattern{Line: 8, Path: "/var/log/auth.log"}) {
		t.Errorf("name 8 = %+v", b.Patterns[7])
	}
	var names []string
	for _, o := range b.Options {
		names = append(names, o.Name)
	}
	if diff := cmp.Diff([]string{"rotate", "weekly", "missingok", "notifempty", "compress", "delaycompress", "sharedscripts"}, names); diff != "" {
		t.Errorf("options (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]Script{{Name: "postrotate", Line: 22, EndLine: 24}}, b.Scripts); diff != "" {
		t.Errorf("scripts (-want +got):\n%s", diff)
	}
	if o, ok := b.Option("daily", "weekly"); !ok || o.Line != 16 {
		t.Errorf("Option(daily, weekly) = %+v, %v", o, ok)
	}
	if _, ok := b.Option("daily"); ok {
		t.Error("Option(daily) found one")
	}
	if p, ok := b.Match("/var/log/kern.log"); !ok || p.Line != 7 {
		t.Errorf("Match(kern.log) = %+v, %v", p, ok)
	}
	if _, ok := b.Match("/var/log/kern.log.1"); ok {
		t.Error("a rotated copy matches")
	}
}

// Globs, scripts with shell text and braces in them, quoted names.
func TestGlobsScriptsQuotes(t *testing.T) {
	f := read(t, "apache2")
	b := f.Blocks[0]
	for p, want := range map[string]bool{
		"/var/log/apache2/access.log": true, "/var/log/apache2/error.log": true,
		"/var/log/apache2/old/x.log": false, "/var/log/apache2/access.log.1": false,
	} {
		if _, got := b.Match(p); got != want {
			t.Errorf("Match(%s) = %v", p, got)
		}
	}
	if len(b.Scripts) != 2 || b.EndLine != 20 {
		t.Errorf("scripts %+v, end %d", b.Scripts, b.EndLine)
	}
	if o, _ := b.Option("create"); !cmp.Equal(o.Args, []string{"640", "root", "adm"}) {
		t.Errorf("create = %+v", o)
	}
	q := read(t, "quoted").Blocks[0]
	want := []Pattern{{Line: 1, Path: "/var/log/my app/app.log"}, {Line: 1, Path: "/var/log/other.log"}}
	if diff := cmp.Diff(want, q.Patterns); diff != "" {
		t.Errorf("quoted names (-want +got):\n%s", diff)
	}
	if o, _ := q.Option("su"); !cmp.Equal(o.Args, []string{"root", "adm"}) {
		t.Errorf("su = %+v", o)
	}
}

func TestMatches(t *testing.T) {
	for _, tc := range []struct {
		pattern, path string
		want          bool
	}{
		{"/var/log/syslog", "/var/log/syslog", true},
		{"/var/log/*.log", "/var/log/auth.log", true},
		{"/var/log/*.log", "/var/log/sub/auth.log", false},
		{"/var/log/*/*.log", "/var/log/sub/auth.log", true},
		{"/var/log/mail.?", "/var/log/mail.1", true},
		{"/var/log/[", "/var/log/[", true},
		{"/var/log/[", "/var/log/x", false},
	} {
		if got := Matches(tc.pattern, tc.path); got != tc.want {
			t.Errorf("Matches(%q, %q) = %v", tc.pattern, tc.path, got)
		}
	}
}

// Every bad line is reported once, and the good parts are kept.
func TestBadLines(t *testing.T) {
	in := strings.Join([]string{
		"rotate four",            // 1: not a number
		"frobnicate",             // 2: unknown
		"}",                      // 3: no block
		"/var/log/a.log",         // 4: names, then a directive: no block
		"weekly",                 // 5: fine
		"/var/log/b.log {",       // 6
		"\tsize 10 MB",           // 7: too many arguments
		"\tsize lots",            // 8: not a size
		"\tinclude /etc/x",       // 9: include in a block
		"\t/var/log/c.log",       // 10: names in a block
		"\tendscript",            // 11: no script
		"\tweekly 9",             // 12: no such weekday
		"\tmaxage -1",            // 13: negative
		"\trotate -1",            // 14: fine: -1 keeps every file
		"} trailing",             // 15: text after '}'
		"{",                      // 16: no names
		"}",                      // 17
		"\"/var/log/unclosed {",  // 18: unclosed quote
		"/var/log/d.log { daily", // 19: text after '{'
		"\tpostrotate",           // 20: not closed
		"\t\tkill -HUP 1",        // 21
	}, "\n")
	f, err := Parse(strings.NewReader(in), "bad.conf")
	if f == nil {
		t.Fatal("no file")
	}
	var lines []int
	for _, pe := range parse.List(err) {
		if pe.File != "bad.conf" {
			t.Errorf("error %v names the wrong file", pe)
		}
		lines = append(lines, pe.Line)
	}
	if diff := cmp.Diff([]int{1, 2, 3, 4, 7, 8, 9, 10, 11, 12, 13, 15, 16, 18, 19, 20, 19}, lines); diff != "" {
		t.Errorf("error lines (-want +got):\n%s\n%v", diff, err)
	}
	if len(f.Globals) != 1 || f.Globals[0].Name != "weekly" {
		t.Errorf("globals %+v", f.Globals)
	}
	if len(f.Blocks) != 2 || f.Blocks[0].Patterns[0].Path != "/var/log/b.log" || f.Blocks[1].EndLine != 0 {
		t.Fatalf("blocks %+v", f.Blocks)
	}
	if o, ok := f.Blocks[0].Option("rotate"); !ok || o.Args[0] != "-1" {
		t.Errorf("rotate -1 lost: %+v", o)
	}
}

func TestUnreadable(t *testing.T) {
	f, err := Parse(strings.NewReader(strings.Repeat("x", parse.MaxSize+1)), "big")
	if f != nil || err == nil {
		t.Errorf("Parse of an oversized file = %v, %v", f, err)
	}
}

// A script opens whatever follows its keyword and ends at a line whose
// first word is endscript; no line of a script, read or not, reaches an
// error.
func TestScriptEdges(t *testing.T) {
	const conf = "/var/log/mysql.log {\n\tdaily\n\tpostrotate # flush\n\t\tMYSQL_PWD=Hunter2secret mysqladmin flush-logs\n\tendscript  # reload\n}\n" +
		"/var/log/local0.log {\n\tweekly\n}\n" +
		"/var/log/other.log {\n\tMYSQL_PWD=Hunter2secret\n}\n"
	f, err := Parse(strings.NewReader(conf), "mysql")
	if err == nil || strings.Contains(err.Error(), "Hunter2") {
		t.Errorf("error %v: want one for line 11 that does not quote it", err)
	}
	if f == nil || len(f.Blocks) != 3 {
		t.Fatalf("blocks: %+v", f)
	}
	if got := f.Blocks[0].Scripts; len(got) != 1 || got[0].Line != 3 || got[0].EndLine != 5 {
		t.Errorf("script %+v, want lines 3 to 5", got)
	}
	if f.Blocks[1].Line != 7 {
		t.Errorf("second block at line %d, want 7", f.Blocks[1].Line)
	}
}
