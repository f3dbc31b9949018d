package remedy

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// memReader returns a read function over files held in memory.
func memReader(files map[string]string) func(string) ([]byte, error) {
	return func(p string) ([]byte, error) {
		s, ok := files[p]
		if !ok {
			return nil, fmt.Errorf("open %s: %w", p, fs.ErrNotExist)
		}
		return []byte(s), nil
	}
}

// result is the part of a FileDiff a test compares.
type result struct {
	Path   string
	Kind   Kind
	Before *string
	After  *string
	Rules  []string
}

func results(files []FileDiff) []result {
	var out []result
	for _, f := range files {
		r := result{Path: f.Path, Kind: f.Kind, Rules: f.Rules}
		if f.Before != nil {
			s := string(f.Before)
			r.Before = &s
		}
		if f.After != nil {
			s := string(f.After)
			r.After = &s
		}
		out = append(out, r)
	}
	return out
}

func ptr(s string) *string { return &s }

const inetdConf = "ftp stream tcp6 nowait root /usr/sbin/ftpd ftpd\n" +
	"telnet stream tcp6 nowait root /usr/sbin/telnetd telnetd -a\n" +
	"shell stream tcp6 nowait root /usr/sbin/rshd rshd\n" +
	"login stream tcp6 nowait root /usr/sbin/rlogind rlogind\n"

const (
	ftpLine    = "ftp stream tcp6 nowait root /usr/sbin/ftpd ftpd"
	telnetLine = "telnet stream tcp6 nowait root /usr/sbin/telnetd telnetd -a"
	shellLine  = "shell stream tcp6 nowait root /usr/sbin/rshd rshd"
	loginLine  = "login stream tcp6 nowait root /usr/sbin/rlogind rlogind"
)

func TestFiles(t *testing.T) {
	const ic = "/etc/inetd.conf"
	tests := []struct {
		name    string
		files   map[string]string
		changes []Change
		want    []result
	}{
		{
			name:    "comment a line",
			files:   map[string]string{ic: inetdConf},
			changes: []Change{CommentLine(ic, 2, telnetLine, "#").For("A", "telnet")},
			want: []result{{Path: ic, Kind: KindEdit, Before: ptr(inetdConf), Rules: []string{"A"},
				After: ptr(ftpLine + "\n#" + telnetLine + "\n" + shellLine + "\n" + loginLine + "\n")}},
		},
		{
			name:  "first and last lines",
			files: map[string]string{ic: inetdConf},
			changes: []Change{
				ReplaceLine(ic, 4, loginLine, "#login").For("A", "x"),
				ReplaceLine(ic, 1, ftpLine, "#ftp").For("B", "x"),
			},
			want: []result{{Path: ic, Kind: KindEdit, Before: ptr(inetdConf), Rules: []string{"A", "B"},
				After: ptr("#ftp\n" + telnetLine + "\n" + shellLine + "\n#login\n")}},
		},
		{
			name:  "delete, and replace with several lines",
			files: map[string]string{ic: inetdConf},
			changes: []Change{
				DeleteLine(ic, 3, shellLine).For("A", "x"),
				EditLines(ic, Edit{Op: OpReplace, Line: 2, Old: telnetLine, New: []string{"# telnet is off", "#" + telnetLine}}).For("B", "x"),
			},
			want: []result{{Path: ic, Kind: KindEdit, Before: ptr(inetdConf), Rules: []string{"A", "B"},
				After: ptr(ftpLine + "\n# telnet is off\n#" + telnetLine + "\n" + loginLine + "\n")}},
		},
		{
			name:  "inserts at the top, in the middle, after the last line, and appends",
			files: map[string]string{"/f": "a\nb\n"},
			changes: []Change{
				AppendLines("/f", "z1", "z2").For("A", "x"),
				InsertAfter("/f", 2, "after b").For("A", "x"),
				InsertAfter("/f", 1, "after a").For("A", "x"),
				InsertAfter("/f", 0, "top").For("A", "x"),
				InsertAfter("/f", 1, "after a again").For("B", "x"),
			},
			want: []result{{Path: "/f", Kind: KindEdit, Before: ptr("a\nb\n"), Rules: []string{"A", "B"},
				After: ptr("top\na\nafter a\nafter a again\nb\nafter b\nz1\nz2\n")}},
		},
		{
			name:  "replace and insert after the same line",
			files: map[string]string{"/f": "a\nb\n"},
			changes: []Change{
				InsertAfter("/f", 1, "new").For("A", "x"),
				ReplaceLine("/f", 1, "a", "A").For("B", "x"),
			},
			want: []result{{Path: "/f", Kind: KindEdit, Before: ptr("a\nb\n"), Rules: []string{"A", "B"},
				After: ptr("A\nnew\nb\n")}},
		},
		{
			name:    "append to a file without a final newline",
			files:   map[string]string{"/f": "a\nb"},
			changes: []Change{AppendLines("/f", "c").For("A", "x")},
			want: []result{{Path: "/f", Kind: KindEdit, Before: ptr("a\nb"), Rules: []string{"A"},
				After: ptr("a\nb\nc")}},
		},
		{
			name:    "replace the last line of a file without a final newline",
			files:   map[string]string{"/f": "a\nb"},
			changes: []Change{ReplaceLine("/f", 2, "b", "#b").For("A", "x")},
			want: []result{{Path: "/f", Kind: KindEdit, Before: ptr("a\nb"), Rules: []string{"A"},
				After: ptr("a\n#b")}},
		},
		{
			name:    "delete the last line of a file without a final newline: the line before is kept as it is",
			files:   map[string]string{"/f": "a\nb"},
			changes: []Change{DeleteLine("/f", 2, "b").For("A", "x")},
			want: []result{{Path: "/f", Kind: KindEdit, Before: ptr("a\nb"), Rules: []string{"A"},
				After: ptr("a\n")}},
		},
		{
			name:    "a file without a final newline that would end in an empty line gets one",
			files:   map[string]string{"/f": "a\nb"},
			changes: []Change{AppendLines("/f", "").For("A", "x")},
			want: []result{{Path: "/f", Kind: KindEdit, Before: ptr("a\nb"), Rules: []string{"A"},
				After: ptr("a\nb\n\n")}},
		},
		{
			name:    "delete every line",
			files:   map[string]string{"/f": "a\n"},
			changes: []Change{DeleteLine("/f", 1, "a").For("A", "x")},
			want: []result{{Path: "/f", Kind: KindEdit, Before: ptr("a\n"), Rules: []string{"A"},
				After: ptr("")}},
		},
		{
			name:    "a last line ending in a carriage return keeps it",
			files:   map[string]string{"/f": "a\n\r"},
			changes: []Change{ReplaceLine("/f", 1, "a", "A").For("A", "x")},
			want: []result{{Path: "/f", Kind: KindEdit, Before: ptr("a\n\r"), Rules: []string{"A"},
				After: ptr("A\n\r")}},
		},
		{
			name:    "a line ending in a carriage return that is no longer last gets a newline",
			files:   map[string]string{"/f": "a\r\nb\r"},
			changes: []Change{ReplaceLine("/f", 2, "b", "B").For("A", "x"), AppendLines("/f", "c").For("A", "x")},
			want: []result{{Path: "/f", Kind: KindEdit, Before: ptr("a\r\nb\r"), Rules: []string{"A"},
				After: ptr("a\r\nB\r\nc\r")}},
		},
		{
			name:    "append to an empty file",
			files:   map[string]string{"/f": ""},
			changes: []Change{AppendLines("/f", "a", "b").For("A", "x")},
			want: []result{{Path: "/f", Kind: KindEdit, Before: ptr(""), Rules: []string{"A"},
				After: ptr("a\nb\n")}},
		},
		{
			name:  "CRLF file keeps CRLF",
			files: map[string]string{"/f": "a\r\nb\r\nc\r\n"},
			changes: []Change{
				ReplaceLine("/f", 2, "b", "B").For("A", "x"),
				InsertAfter("/f", 0, "top").For("A", "x"),
				AppendLines("/f", "end").For("A", "x"),
			},
			want: []result{{Path: "/f", Kind: KindEdit, Before: ptr("a\r\nb\r\nc\r\n"), Rules: []string{"A"},
				After: ptr("top\r\na\r\nB\r\nc\r\nend\r\n")}},
		},
		{
			name:  "mixed endings: each line keeps its own, new lines take the first",
			files: map[string]string{"/f": "a\nb\r\nc"},
			changes: []Change{
				ReplaceLine("/f", 2, "b", "B").For("A", "x"),
				InsertAfter("/f", 2, "new").For("A", "x"),
			},
			want: []result{{Path: "/f", Kind: KindEdit, Before: ptr("a\nb\r\nc"), Rules: []string{"A"},
				After: ptr("a\nB\r\nnew\nc")}},
		},
		{
			name:  "identical edits from two findings are merged",
			files: map[string]string{ic: inetdConf},
			changes: []Change{
				CommentLine(ic, 2, telnetLine, "#").For("A", "telnet"),
				CommentLine(ic, 2, telnetLine, "#").For("B", "clear text"),
				AppendLines(ic, "# end").For("A", "x"),
				AppendLines(ic, "# end").For("B", "x"),
			},
			want: []result{{Path: ic, Kind: KindEdit, Before: ptr(inetdConf), Rules: []string{"A", "B"},
				After: ptr(ftpLine + "\n#" + telnetLine + "\n" + shellLine + "\n" + loginLine + "\n# end\n")}},
		},
		{
			name:    "create",
			files:   map[string]string{},
			changes: []Change{CreateFile("/etc/ftpusers", "root\n", 0o600, "root", "system").For("A", "x")},
			want:    []result{{Path: "/etc/ftpusers", Kind: KindCreate, After: ptr("root\n"), Rules: []string{"A"}}},
		},
		{
			name:  "identical creates are merged",
			files: map[string]string{},
			changes: []Change{
				CreateFile("/etc/ftpusers", "root\n", 0o600, "", "").For("A", "x"),
				CreateFile("/etc/ftpusers", "root\n", 0o600, "", "").For("B", "x"),
			},
			want: []result{{Path: "/etc/ftpusers", Kind: KindCreate, After: ptr("root\n"), Rules: []string{"A", "B"}}},
		},
		{
			name:    "remove",
			files:   map[string]string{"/etc/hosts.equiv": "+\n"},
			changes: []Change{RemoveFile("/etc/hosts.equiv").For("A", "x")},
			want:    []result{{Path: "/etc/hosts.equiv", Kind: KindRemove, Before: ptr("+\n"), Rules: []string{"A"}}},
		},
		{
			name:  "modes, owners and commands change no content",
			files: map[string]string{},
			changes: []Change{
				Chmod("/etc/inetd.conf", 0o600).For("A", "x"),
				Chown("/etc/inetd.conf", "root", "system").For("A", "x"),
				Command("A", "reload", "refresh", "-s", "inetd"),
			},
		},
		{
			name:  "files are sorted by path",
			files: map[string]string{"/b": "x\n", "/a": "x\n"},
			changes: []Change{
				ReplaceLine("/b", 1, "x", "y").For("A", "x"),
				ReplaceLine("/a", 1, "x", "y").For("A", "x"),
			},
			want: []result{
				{Path: "/a", Kind: KindEdit, Before: ptr("x\n"), After: ptr("y\n"), Rules: []string{"A"}},
				{Path: "/b", Kind: KindEdit, Before: ptr("x\n"), After: ptr("y\n"), Rules: []string{"A"}},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var p Plan
			p.Add(tt.changes...)
			files, err := p.Files(memReader(tt.files))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, results(files)); diff != "" {
				t.Errorf("Files (-want +got):\n%s", diff)
			}
		})
	}
}

// TestFilesOrder checks that the order edits are added in does not change
// the result: line numbers refer to the original file.
func TestFilesOrder(t *testing.T) {
	files := map[string]string{"/f": "1\n2\n3\n4\n5\n"}
	changes := []Change{
		DeleteLine("/f", 1, "1").For("A", "x"),
		ReplaceLine("/f", 2, "2", "two").For("A", "x"),
		InsertAfter("/f", 2, "2.5").For("A", "x"),
		DeleteLine("/f", 4, "4").For("A", "x"),
		ReplaceLine("/f", 5, "5", "five").For("A", "x"),
		InsertAfter("/f", 0, "0").For("A", "x"),
	}
	const want = "0\ntwo\n2.5\n3\nfive\n"
	for i := range changes {
		// Rotate the list, and reverse it.
		for _, order := range [][]Change{
			append(append([]Change{}, changes[i:]...), changes[:i]...),
			reversed(append(append([]Change{}, changes[i:]...), changes[:i]...)),
		} {
			var p Plan
			p.Add(order...)
			got, err := p.Files(memReader(files))
			if err != nil {
				t.Fatal(err)
			}
			if string(got[0].After) != want {
				t.Errorf("order %v: got %q, want %q", order, got[0].After, want)
			}
		}
	}
}

func reversed(cs []Change) []Change {
	out := make([]Change, len(cs))
	for i, c := range cs {
		out[len(cs)-1-i] = c
	}
	return out
}

func TestFilesErrors(t *testing.T) {
	const ic = "/etc/inetd.conf"
	tests := []struct {
		name    string
		files   map[string]string
		changes []Change
		want    []string // each must appear in the error
	}{
		{
			name:    "stale replace",
			files:   map[string]string{ic: inetdConf},
			changes: []Change{CommentLine(ic, 2, "telnet stream tcp nowait root /usr/sbin/telnetd telnetd", "#").For("A", "x")},
			want:    []string{`/etc/inetd.conf:2: expected "telnet stream tcp nowait root /usr/sbin/telnetd telnetd", found "telnet stream tcp6 nowait root /usr/sbin/telnetd telnetd -a"`},
		},
		{
			name:    "stale delete past the end",
			files:   map[string]string{ic: inetdConf},
			changes: []Change{DeleteLine(ic, 9, "x").For("A", "x")},
			want:    []string{`/etc/inetd.conf:9: expected "x", found end of file`},
		},
		{
			name:    "insert past the end",
			files:   map[string]string{ic: inetdConf},
			changes: []Change{InsertAfter(ic, 5, "x").For("A", "x")},
			want:    []string{`/etc/inetd.conf:5: insert after line 5 of a file of 4 lines`},
		},
		{
			name:  "every stale line is reported",
			files: map[string]string{ic: inetdConf},
			changes: []Change{
				DeleteLine(ic, 1, "x").For("A", "x"),
				DeleteLine(ic, 3, "y").For("A", "x"),
			},
			want: []string{`/etc/inetd.conf:1: expected "x"`, `/etc/inetd.conf:3: expected "y"`},
		},
		{
			name:  "conflicting edits of one line",
			files: map[string]string{ic: inetdConf},
			changes: []Change{
				CommentLine(ic, 2, telnetLine, "#").For("SVC-TELNET", "x"),
				DeleteLine(ic, 2, telnetLine).For("SVC-OTHER", "x"),
			},
			want: []string{`/etc/inetd.conf:2: conflicting edits from SVC-TELNET (replace with "#telnet`, `and SVC-OTHER (delete)`},
		},
		{
			name:  "conflicting replaces",
			files: map[string]string{ic: inetdConf},
			changes: []Change{
				ReplaceLine(ic, 1, ftpLine, "#"+ftpLine).For("A", "x"),
				ReplaceLine(ic, 1, ftpLine, ":"+ftpLine).For("B", "x"),
			},
			want: []string{"/etc/inetd.conf:1: conflicting edits from A", "and B"},
		},
		{
			name:    "edit of a missing file",
			files:   map[string]string{},
			changes: []Change{AppendLines("/etc/x", "y").For("A", "x")},
			want:    []string{"edit /etc/x: open /etc/x: file does not exist"},
		},
		{
			name:    "create of an existing file",
			files:   map[string]string{"/etc/x": ""},
			changes: []Change{CreateFile("/etc/x", "y\n", 0o644, "", "").For("A", "x")},
			want:    []string{"create /etc/x: file exists"},
		},
		{
			name:    "remove of a missing file",
			files:   map[string]string{},
			changes: []Change{RemoveFile("/etc/x").For("A", "x")},
			want:    []string{"remove /etc/x: open /etc/x: file does not exist"},
		},
		{
			name:  "conflicting creates",
			files: map[string]string{},
			changes: []Change{
				CreateFile("/etc/x", "a\n", 0o644, "", "").For("A", "x"),
				CreateFile("/etc/x", "b\n", 0o644, "", "").For("B", "x"),
			},
			want: []string{"/etc/x: conflicting creates from A and B"},
		},
		{
			name:  "create and edit",
			files: map[string]string{},
			changes: []Change{
				CreateFile("/etc/x", "a\n", 0o644, "", "").For("A", "x"),
				AppendLines("/etc/x", "b").For("B", "x"),
			},
			want: []string{"/etc/x: conflicting changes: created by A and edited by B"},
		},
		{
			name:  "edit and remove",
			files: map[string]string{"/etc/x": "a\n"},
			changes: []Change{
				AppendLines("/etc/x", "b").For("A", "x"),
				RemoveFile("/etc/x").For("B", "x"),
			},
			want: []string{"/etc/x: conflicting changes: edited by A and removed by B"},
		},
		{
			name:  "chmod of a removed file",
			files: map[string]string{"/etc/x": "a\n"},
			changes: []Change{
				RemoveFile("/etc/x").For("A", "x"),
				Chmod("/etc/x", 0o600).For("B", "x"),
			},
			want: []string{"/etc/x: conflicting changes: removed by A and given a mode or owner by B"},
		},
		{
			name:  "conflicting modes",
			files: map[string]string{},
			changes: []Change{
				CreateFile("/etc/x", "a\n", 0o644, "", "").For("A", "x"),
				Chmod("/etc/x", 0o600).For("B", "x"),
			},
			want: []string{"/etc/x: conflicting modes from A (create /etc/x (2 bytes, mode 0644)) and B (chmod 0600 /etc/x)"},
		},
		{
			name:  "conflicting owners",
			files: map[string]string{},
			changes: []Change{
				Chown("/etc/x", "root", "").For("A", "x"),
				Chown("/etc/x", "bin", "bin").For("B", "x"),
			},
			want: []string{"/etc/x: conflicting owners from A"},
		},
		{
			name:  "invalid changes",
			files: map[string]string{"/f": "a\n"},
			changes: []Change{
				ReplaceLine("/f", 1, "a", "b"),
				ReplaceLine("f", 1, "a", "b").For("A", "x"),
				ReplaceLine("/f/../g", 1, "a", "b").For("A", "x"),
				ReplaceLine("/f", 0, "a", "b").For("A", "x"),
				ReplaceLine("/f", 1, "a", "b\nc").For("A", "x"),
				DeleteLine("/f", 1, "a").For("A", "two\nlines"),
				EditLines("/f").For("A", "x"),
				AppendLines("/f").For("A", "x"),
				InsertAfter("/f", -1, "x").For("A", "x"),
				Chmod("/f", fs.ModeDir|0o755).For("A", "x"),
				Chown("/f", "", "").For("A", "x"),
				Chown("/f", "a:b", "").For("A", "x"),
				Command("A", "x"),
				Command("A", "x", "echo", "a\nb"),
				{Kind: "rename", Rule: "A", Reason: "x", Path: "/f"},
				{Kind: KindRemove, Rule: "A", Reason: "x", Path: "/f", Content: "x"},
			},
			want: []string{
				"edit /f: no rule id",
				`A: edit f: path "f" is not an absolute, clean file path`,
				`A: edit /f/../g: path "/f/../g" is not an absolute, clean file path`,
				"A: edit /f: replace line 0: line numbers start at 1",
				`A: edit /f: replace line 1: new line "b\nc" has a line ending in it`,
				"A: edit /f: reason must be one non-empty line",
				"A: edit /f: no line edits",
				"A: edit /f: append 0 lines: an append has new lines and no old text",
				"A: edit /f: insert 1 line after line -1: negative line number",
				"A: chmod /f: mode drwxr-xr-x has bits other than permissions",
				"A: chown /f: neither owner nor group",
				`A: chown /f: bad owner or group name "a:b"`,
				"A: run: no command",
				`A: run echo 'a`,
				`A: rename /f: unknown change kind "rename"`,
				"A: remove /f: only a create has content",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var p Plan
			p.Add(tt.changes...)
			files, err := p.Files(memReader(tt.files))
			if err == nil {
				t.Fatalf("Files succeeded: %v", results(files))
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error does not contain %q:\n%v", w, err)
				}
			}
			if files != nil {
				t.Errorf("Files returned files with an error")
			}
			var buf strings.Builder
			if err2 := p.WriteDiff(&buf, memReader(tt.files)); err2 == nil || buf.Len() != 0 {
				t.Errorf("WriteDiff: err %v, wrote %q", err2, buf.String())
			}
		})
	}
}

func TestFilesReadError(t *testing.T) {
	boom := errors.New("permission denied")
	read := func(string) ([]byte, error) { return nil, boom }
	var p Plan
	p.Add(CreateFile("/etc/x", "", 0o644, "", "").For("A", "x"))
	_, err := p.Files(read)
	if !errors.Is(err, boom) || !strings.Contains(err.Error(), "create /etc/x: permission denied") {
		t.Errorf("got %v", err)
	}
}

func TestSummary(t *testing.T) {
	var p Plan
	p.Add(
		CommentLine("/etc/inetd.conf", 2, telnetLine, "#").For("SVC-TELNET", "telnet sends passwords in clear text"),
		CommentLine("/etc/inetd.conf", 1, ftpLine, "#").For("SVC-FTP", "ftp sends passwords in clear text"),
		Command("SVC-TELNET", "reload inetd.conf", "refresh", "-s", "inetd").WhenOffline("read at next boot"),
		CreateFile("/etc/ftpusers", "root\n", 0o600, "root", "system").For("FTP-USERS", "deny ftp to root"),
		Chmod("/usr/bin/rcp", 0o555).For("SUID", "no setuid rcp"),
		Chown("/etc/x", "", "system").For("SUID", "group"),
		RemoveFile("/etc/hosts.equiv").For("R-TRUST", "no host trust"),
		InsertAfter("/etc/x", 0, "a", "b").For("X", "x"),
	)
	want := `8 changes from 6 rules
SVC-TELNET
  edit /etc/inetd.conf: replace line 2: telnet sends passwords in clear text
  run refresh -s inetd (live only): reload inetd.conf
SVC-FTP
  edit /etc/inetd.conf: replace line 1: ftp sends passwords in clear text
FTP-USERS
  create /etc/ftpusers (5 bytes, mode 0600, owner root:system): deny ftp to root
SUID
  chmod 0555 /usr/bin/rcp: no setuid rcp
  chown :system /etc/x: group
R-TRUST
  remove /etc/hosts.equiv: no host trust
X
  edit /etc/x: insert 2 lines at the top: x
`
	if diff := cmp.Diff(want, p.Summary()); diff != "" {
		t.Errorf("Summary (-want +got):\n%s", diff)
	}
}

func TestModeOctal(t *testing.T) {
	for _, tt := range []struct {
		mode fs.FileMode
		want string
	}{
		{0o644, "0644"},
		{0, "0000"},
		{fs.ModeSetuid | 0o755, "4755"},
		{fs.ModeSetgid | fs.ModeSticky | 0o700, "3700"},
	} {
		if got := octal(tt.mode); got != tt.want {
			t.Errorf("octal(%v) = %q, want %q", tt.mode, got, tt.want)
		}
		if back := fromOctal(mustOctal(t, tt.want)); back != tt.mode {
			t.Errorf("fromOctal(%s) = %v, want %v", tt.want, back, tt.mode)
		}
	}
}

func mustOctal(t *testing.T, s string) uint64 {
	t.Helper()
	var v uint64
	if _, err := fmt.Sscanf(s, "%o", &v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestSecretLine(t *testing.T) {
	file := "community public 0.0.0.0 0.0.0.0 readWrite\ncommunity ok 10.0.0.1\n"
	read := func(p string) ([]byte, error) { return []byte(file), nil }
	var p Plan
	p.Add(ReplaceSecretLine("/etc/snmpd.conf", 1, "community public 0.0.0.0 0.0.0.0 readWrite", "# removed").For("SNMP-X", "default community"))
	files, err := p.Files(read)
	if err != nil || string(files[0].After) != "# removed\ncommunity ok 10.0.0.1\n" {
		t.Fatalf("Files = %q, %v", files, err)
	}
	var diff bytes.Buffer
	if err := p.WriteDiff(&diff, read); err != nil {
		t.Fatal(err)
	}
	js, _ := json.Marshal(p)
	for _, out := range []string{diff.String(), string(js)} {
		if strings.Contains(out, "public") {
			t.Errorf("the secret shows:\n%s", out)
		}
	}
	if !strings.Contains(diff.String(), "-(a line holding a secret, not shown)") {
		t.Errorf("diff:\n%s", diff.String())
	}
	// A changed line is refused without showing either text.
	file = "community private 0.0.0.0 0.0.0.0 readWrite\n"
	_, err = p.Files(read)
	if err == nil || strings.Contains(err.Error(), "private") || strings.Contains(err.Error(), "public") {
		t.Errorf("stale secret line: %v", err)
	}
	var back Plan
	if err := json.Unmarshal(js, &back); err != nil || back.Changes[0].Edits[0].OldSHA256 == "" {
		t.Errorf("round trip: %v %+v", err, back)
	}
}

// A diff of a file of secrets shows only the lines it changes: no
// context line, which would show the hashes or communities around it.
func TestSecretFileNoContext(t *testing.T) {
	for _, tc := range []struct {
		path, file string
		change     Change
		want       string
	}{
		{"/etc/shadow", "root:$y$j9T$abc$def:19800::::::\neve::19810:0:99999:7:::\nbob:$6$salt$hash:19810::::::\n",
			ReplaceLine("/etc/shadow", 2, "eve::19810:0:99999:7:::", "eve:!:19810:0:99999:7:::"),
			"--- a/etc/shadow\n+++ b/etc/shadow\n@@ -2 +2 @@\n-eve::19810:0:99999:7:::\n+eve:!:19810:0:99999:7:::\n"},
		{"/etc/snmpd.local", "community Hq7Vd3 10.0.0.1\ncommunity public 0.0.0.0 0.0.0.0 readWrite\n# end\n",
			ReplaceSecretLine("/etc/snmpd.local", 2, "community public 0.0.0.0 0.0.0.0 readWrite", "# removed"),
			"--- a/etc/snmpd.local\n+++ b/etc/snmpd.local\n@@ -2 +2 @@\n-(a line holding a secret, not shown)\n+# removed\n"},
		{"/etc/motd", "one\ntwo\nthree\n", ReplaceLine("/etc/motd", 2, "two", "2"),
			"--- a/etc/motd\n+++ b/etc/motd\n@@ -1,3 +1,3 @@\n one\n-two\n+2\n three\n"},
	} {
		var p Plan
		p.Add(tc.change.For("R-1", "why"))
		var diff bytes.Buffer
		if err := p.WriteDiff(&diff, func(string) ([]byte, error) { return []byte(tc.file), nil }); err != nil {
			t.Fatal(err)
		}
		if diff.String() != tc.want {
			t.Errorf("%s: diff\n%s\nwant\n%s", tc.path, diff.String(), tc.want)
		}
	}
}
