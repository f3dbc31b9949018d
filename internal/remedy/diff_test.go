package remedy

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// numbered returns the lines "1" to "n", each ended by a newline.
func numbered(n int) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "%d\n", i)
	}
	return b.String()
}

func TestWriteDiff(t *testing.T) {
	tests := []struct {
		name    string
		files   map[string]string
		changes []Change
		want    string
	}{
		{
			name:    "empty plan",
			changes: nil,
			want:    "",
		},
		{
			name:    "one line in the middle",
			files:   map[string]string{"/etc/f": numbered(10)},
			changes: []Change{CommentLine("/etc/f", 5, "5", "#").For("A", "x")},
			want: `--- a/etc/f
+++ b/etc/f
@@ -2,7 +2,7 @@
 2
 3
 4
-5
+#5
 6
 7
 8
`,
		},
		{
			name:  "changes six lines apart share a hunk, seven apart do not",
			files: map[string]string{"/a": numbered(30), "/b": numbered(30)},
			changes: []Change{
				DeleteLine("/a", 5, "5").For("A", "x"),
				DeleteLine("/a", 12, "12").For("A", "x"),
				DeleteLine("/b", 5, "5").For("A", "x"),
				DeleteLine("/b", 13, "13").For("A", "x"),
			},
			want: `--- a/a
+++ b/a
@@ -2,14 +2,12 @@
 2
 3
 4
-5
 6
 7
 8
 9
 10
 11
-12
 13
 14
 15
--- a/b
+++ b/b
@@ -2,7 +2,6 @@
 2
 3
 4
-5
 6
 7
 8
@@ -10,7 +9,6 @@
 10
 11
 12
-13
 14
 15
 16
`,
		},
		{
			name:  "insert at the top and append at the end",
			files: map[string]string{"/f": "a\nb\n"},
			changes: []Change{
				InsertAfter("/f", 0, "top").For("A", "x"),
				AppendLines("/f", "end").For("A", "x"),
			},
			want: `--- a/f
+++ b/f
@@ -1,2 +1,4 @@
+top
 a
 b
+end
`,
		},
		{
			name:    "insert into an empty file",
			files:   map[string]string{"/f": ""},
			changes: []Change{AppendLines("/f", "a").For("A", "x")},
			want: `--- a/f
+++ b/f
@@ -0,0 +1 @@
+a
`,
		},
		{
			name:    "no final newline on a context line",
			files:   map[string]string{"/f": "a\nb\nc"},
			changes: []Change{ReplaceLine("/f", 1, "a", "A").For("A", "x")},
			want: `--- a/f
+++ b/f
@@ -1,3 +1,3 @@
-a
+A
 b
 c
\ No newline at end of file
`,
		},
		{
			name:    "appending to a file without a final newline changes its last line",
			files:   map[string]string{"/f": "a\nb"},
			changes: []Change{AppendLines("/f", "c").For("A", "x")},
			want: `--- a/f
+++ b/f
@@ -1,2 +1,3 @@
 a
-b
\ No newline at end of file
+b
+c
\ No newline at end of file
`,
		},
		{
			name:    "CRLF lines are written as they are",
			files:   map[string]string{"/f": "a\r\nb\r\n"},
			changes: []Change{ReplaceLine("/f", 2, "b", "B").For("A", "x")},
			want:    "--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\r\n-b\r\n+B\r\n",
		},
		{
			name:    "an edit that changes nothing is not written",
			files:   map[string]string{"/f": "a\n"},
			changes: []Change{ReplaceLine("/f", 1, "a", "a").For("A", "x")},
			want:    "",
		},
		{
			name:  "create and remove",
			files: map[string]string{"/etc/hosts.equiv": "+\n", "/etc/empty": ""},
			changes: []Change{
				CreateFile("/etc/ftpusers", "root\nbin\n", 0o600, "root", "").For("FTP", "deny system accounts"),
				RemoveFile("/etc/hosts.equiv").For("TRUST", "no host trust"),
				CreateFile("/etc/new", "", 0o600, "", "").For("NEW", "empty file"),
				RemoveFile("/etc/empty").For("OLD", "empty file"),
			},
			want: `--- /dev/null
+++ b/etc/ftpusers
@@ -0,0 +1,2 @@
+root
+bin
--- a/etc/hosts.equiv
+++ /dev/null
@@ -1 +0,0 @@
-+
# after the patch, on the target (file paths are under the root for an offline root):
# then run: rm /etc/empty  (OLD: empty file)
# then run: touch /etc/new  (NEW: empty file)
# then run: chmod 0600 /etc/ftpusers  (FTP: deny system accounts)
# then run: chown root /etc/ftpusers  (FTP: deny system accounts)
# then run: chmod 0600 /etc/new  (NEW: empty file)
`,
		},
		{
			name:  "steps: modes and owners first, identical steps merged, live-only notes",
			files: map[string]string{},
			changes: []Change{
				Command("SVC-TELNET", "reload inetd.conf", "refresh", "-s", "inetd").WhenOffline("read when inetd next starts"),
				Chmod("/etc/inetd.conf", 0o600).For("PERM", "only root reads it"),
				Command("SVC-FTP", "reload inetd.conf", "refresh", "-s", "inetd").WhenOffline("read when inetd next starts"),
				Command("SVC-X", "reload again", "refresh", "-s", "inetd").WhenOffline("read when inetd next starts"),
				Chmod("/etc/inetd.conf", 0o600).For("PERM2", "same mode"),
				Chown("/etc/inetd.conf", "", "system").For("PERM", "group"),
				Command("LOG", "make the log file", "touch", "/var/adm/auth log"),
				Command("LIVE", "stop it now", "stopsrc", "-s", "snmpd").WhenOffline(""),
			},
			want: `# after the patch, on the target (file paths are under the root for an offline root):
# then run: chmod 0600 /etc/inetd.conf  (PERM: only root reads it; PERM2: same mode)
# then run: chgrp system /etc/inetd.conf  (PERM: group)
# then run: refresh -s inetd  (SVC-TELNET, SVC-FTP: reload inetd.conf; SVC-X: reload again)
#   on an offline root, not run: read when inetd next starts
# then run: touch '/var/adm/auth log'  (LOG: make the log file)
# then run: stopsrc -s snmpd  (LIVE: stop it now)
#   on an offline root, not run: nothing happens until it is run on the live host
`,
		},
		{
			name:    "a path that needs quoting",
			files:   map[string]string{"/etc/my file": "a\n"},
			changes: []Change{ReplaceLine("/etc/my file", 1, "a", "b").For("A", "x")},
			want: `--- "a/etc/my file"
+++ "b/etc/my file"
@@ -1 +1 @@
-a
+b
`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var p Plan
			p.Add(tt.changes...)
			var b strings.Builder
			if err := p.WriteDiff(&b, memReader(tt.files)); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, b.String()); diff != "" {
				t.Errorf("WriteDiff (-want +got):\n%s", diff)
			}
		})
	}
}

func TestShellJoin(t *testing.T) {
	for _, tt := range []struct {
		argv []string
		want string
	}{
		{[]string{"refresh", "-s", "inetd"}, "refresh -s inetd"},
		{[]string{"chitab", "writesrv:2:off:/usr/sbin/writesrv"}, "chitab writesrv:2:off:/usr/sbin/writesrv"},
		{[]string{"echo", ""}, "echo ''"},
		{[]string{"echo", "it's", "$HOME"}, `echo 'it'\''s' '$HOME'`},
	} {
		if got := shellJoin(tt.argv); got != tt.want {
			t.Errorf("shellJoin(%q) = %q, want %q", tt.argv, got, tt.want)
		}
	}
}

func TestDiffName(t *testing.T) {
	for in, want := range map[string]string{
		"a/etc/inetd.conf": "a/etc/inetd.conf",
		"a/etc/my file":    `"a/etc/my file"`,
		`a/x"y\z`:          `"a/x\"y\\z"`,
		"a/x\x01":          `"a/x\001"`,
	} {
		if got := diffName(in); got != want {
			t.Errorf("diffName(%q) = %s, want %s", in, got, want)
		}
	}
}
