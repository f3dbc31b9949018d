package aideconf

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"bastion/internal/parse"
)

func read(t *testing.T, name string, defines map[string]string) (*File, error) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	f, err := ParseWith(strings.NewReader(string(data)), name, defines)
	if f == nil {
		t.Fatalf("Parse: %v", err)
	}
	if got := string(f.Bytes()); got != string(data) {
		t.Errorf("Bytes() = %q, want the input", got)
	}
	return f, err
}

func TestDebian(t *testing.T) {
	f, err := read(t, "debian.conf", nil)
	if err != nil {
		t.Fatal(err)
	}
	s, ok := f.Get("database_in")
	if !ok || s != (Setting{Line: 3, Name: "database_in", Value: "file:/var/lib/aide/aide.db", Raw: "file:/var/lib/aide/aide.db"}) {
		t.Errorf("database_in = %+v, %v", s, ok)
	}
	if g, _ := f.Get("Full"); g.Value != "InodeData+StaticFile" || g.Line != 18 {
		t.Errorf("group Full = %+v", g)
	}
	want := []Rule{
		{Line: 20, Kind: '/', Path: "/etc", Groups: "Full"},
		{Line: 21, Kind: '/', Path: "/bin", Groups: "Full"},
		{Line: 22, Kind: '/', Path: "/sbin", Groups: "Full"},
		{Line: 23, Kind: '/', Path: "/usr", Groups: "Full"},
		{Line: 24, Kind: '!', Path: "/var/log"},
		{Line: 25, Kind: '=', Path: "/var/lib/aide$", Groups: "OwnerMode"},
	}
	if diff := cmp.Diff(want, f.Rules); diff != "" {
		t.Errorf("rules (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]Include{{Line: 27, Path: "/etc/aide/aide.conf.d", Pattern: "^[a-zA-Z0-9_-]+$", Execute: true}}, f.Includes); diff != "" {
		t.Errorf("includes (-want +got):\n%s", diff)
	}
}

// Variables are expanded where they are used; the last of several
// settings of a name is the one Get gives.
func TestDefines(t *testing.T) {
	f, err := read(t, "redhat.conf", nil)
	if err != nil {
		t.Fatal(err)
	}
	if s, _ := f.Get("database_in"); s.Value != "file:/var/lib/aide/aide.db.gz" || s.Raw != "file:@@{DBDIR}/aide.db.gz" || s.Line != 7 {
		t.Errorf("database_in = %+v", s)
	}
	var reports []string
	for _, s := range f.Settings {
		if s.Name == "report_url" {
			reports = append(reports, s.Value)
		}
	}
	if diff := cmp.Diff([]string{"file:/var/log/aide/aide.log", "stdout"}, reports); diff != "" {
		t.Errorf("reports (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string]string{"DBDIR": "/var/lib/aide", "LOGDIR": "/var/log/aide"}, f.Defines); diff != "" {
		t.Errorf("defines (-want +got):\n%s", diff)
	}
}

// Only the branches that hold are read; the host name comes from the
// caller.
func TestConditions(t *testing.T) {
	for host, report := range map[string]string{"web01": "file:/var/log/aide-web01.log", "db01": "file:/var/log/aide-other.log"} {
		f, err := read(t, "conditions.conf", map[string]string{"HOSTNAME": host})
		if s, _ := f.Get("database_in"); s.Value != "file:/srv/aide.db" || s.Line != 3 {
			t.Errorf("%s: database_in = %+v", host, s)
		}
		if s, _ := f.Get("report_url"); s.Value != report {
			t.Errorf("%s: report_url = %+v", host, s)
		}
		if s, ok := f.Get("verbose"); !ok || s.Line != 13 {
			t.Errorf("%s: verbose = %+v, %v", host, s, ok)
		}
		if len(f.Includes) != 1 || f.Includes[0].Line != 17 || f.Includes[0].Execute {
			t.Errorf("%s: includes %+v", host, f.Includes)
		}
		// ROOT is undefined by then: the last line's variable is reported.
		var lines []int
		for _, pe := range parse.List(err) {
			lines = append(lines, pe.Line)
		}
		if !cmp.Equal(lines, []int{19}) {
			t.Errorf("%s: error lines %v (%v)", host, lines, err)
		}
	}
}

func TestFilePath(t *testing.T) {
	for in, want := range map[string]string{
		"file:/var/lib/aide/aide.db":     "/var/lib/aide/aide.db",
		"file:///var/log/aide/aide.log":  "/var/log/aide/aide.log",
		"stdout":                         "",
		"file:relative":                  "",
		"syslog:LOG_LOCAL1":              "",
		"sql:host:port:db:user:pass:tbl": "",
	} {
		got, ok := FilePath(in)
		if got != want || ok != (want != "") {
			t.Errorf("FilePath(%q) = %q, %v", in, got, ok)
		}
	}
}

func TestBadLines(t *testing.T) {
	in := strings.Join([]string{
		"database_in=file:@@{NOPE}/aide.db", // 1: undefined variable
		"just words",                        // 2: not a setting
		"/etc",                              // 3: no attributes
		"@@define",                          // 4: no name
		"@@endif",                           // 5: no condition
		"@@else",                            // 6: no condition
		"@@frobnicate x",                    // 7: unknown
		"@@include",                         // 8: no file
		"@@ifdef X",                         // 9: not closed
		"@@ifdef",                           // 10: no argument, not closed
		"bad line inside false branch",      // 11: read over
		"x = @@{unclosed",                   // 12: read over too
	}, "\n")
	f, err := Parse(strings.NewReader(in), "aide.conf")
	if f == nil {
		t.Fatal("no file")
	}
	var lines []int
	for _, pe := range parse.List(err) {
		if pe.File != "aide.conf" {
			t.Errorf("error %v names the wrong file", pe)
		}
		lines = append(lines, pe.Line)
	}
	if diff := cmp.Diff([]int{1, 2, 3, 4, 5, 6, 7, 8, 10, 10, 9}, lines); diff != "" {
		t.Errorf("error lines (-want +got):\n%s\n%v", diff, err)
	}
	if s, _ := f.Get("database_in"); s.Value != "file:@@{NOPE}/aide.db" {
		t.Errorf("undefined variable not kept: %+v", s)
	}
}

func TestUnreadable(t *testing.T) {
	f, err := Parse(strings.NewReader(strings.Repeat("x", parse.MaxSize+1)), "big")
	if f != nil || err == nil {
		t.Errorf("Parse of an oversized file = %v, %v", f, err)
	}
}
