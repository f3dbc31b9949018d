package userlist

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"

	"bastion/internal/parse"
)

func names(first int, list ...string) []Name {
	var out []Name
	for i, n := range list {
		out = append(out, Name{Line: first + i, Name: n})
	}
	return out
}

func TestParseFixtures(t *testing.T) {
	tests := []struct {
		file string
		want []Name
	}{
		{"aix-ftpusers", names(1, "root", "daemon", "bin", "sys", "adm", "uucp", "guest", "nobody",
			"lpd", "invscout", "imnadm", "ipsec", "nuucp", "netinst")},
		{"debian-ftpusers", names(3, "root", "daemon", "bin", "sys", "sync", "games", "man", "lp",
			"mail", "news", "uucp", "nobody")},
		{"rhel-user_list", names(5, "root", "bin", "daemon", "adm", "lp", "sync", "shutdown", "halt",
			"mail", "news", "uucp", "operator", "games", "nobody")},
		{"aix-cron.allow", names(1, "root", "adm")},
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
			if diff := cmp.Diff(tt.want, f.Names); diff != "" {
				t.Errorf("names (-want +got):\n%s", diff)
			}
			want := strings.ReplaceAll(string(data), "\r\n", "\n")
			if got := string(f.Bytes()); got != want {
				t.Errorf("Bytes() = %q, want %q", got, want)
			}
			if !f.Has("root") || f.Has("Root") || f.Has("") {
				t.Errorf("Has: root must be listed, Root and the empty name not")
			}
		})
	}
}

func TestParseForms(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []Name
	}{
		{"empty", "", nil},
		{"only comments and blanks", "# deny list\n\n   \n\t# indented comment\n", nil},
		{"blanks around a name", "  root\t\n\tdaemon  \n", names(1, "root", "daemon")},
		{"no final newline", "root\nbin", names(1, "root", "bin")},
		{"comment marker glued to a name", "#root\nbin\n", names(2, "bin")},
		{"CRLF", "root\r\n\r\nbin\r\n", []Name{{1, "root"}, {3, "bin"}}},
		{"the characters user names may hold", "a.b_c-d\nmachine$\nuser@example\nJoe99\n",
			names(1, "a.b_c-d", "machine$", "user@example", "Joe99")},
		{"a name listed twice", "root\nroot\n", names(1, "root", "root")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse(strings.NewReader(tt.in), "ftpusers")
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if diff := cmp.Diff(tt.want, f.Names); diff != "" {
				t.Errorf("names (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, line, want string
	}{
		{"two names", "root daemon", "cron.deny:2: want one user name, got 2 words"},
		{"trailing comment", "root # the superuser", "cron.deny:2: want one user name, got 4 words"},
		{"passwd line", "root:x:0:0:root:/root:/bin/bash", `cron.deny:2: user name "root:x:0:0:root:/root:/bin/bash" has the character ':', which no user name can hold`},
		{"comma list", "root,bin", `cron.deny:2: user name "root,bin" has the character ',', which no user name can hold`},
		{"quoted", `"root"`, `cron.deny:2: user name "\"root\"" has the character '"', which no user name can hold`},
		{"path", "/root", `cron.deny:2: user name "/root" has the character '/', which no user name can hold`},
		{"hash inside", "ro#ot", `cron.deny:2: user name "ro#ot" has the character '#', which no user name can hold`},
		{"control character", "ro\x01ot", `cron.deny:2: user name "ro\x01ot" has a character that is not printable ASCII at byte 3`},
		{"not ASCII", "jürgen", `cron.deny:2: user name "j\u00fcrgen" has a character that is not printable ASCII at byte 2`},
		{"leading hyphen", "-root", `cron.deny:2: user name "-root" starts with '-', which no user name can`},
		{"leading plus", "+@admins", `cron.deny:2: user name "+@admins" starts with '+', which no user name can`},
		{"leading tilde", "~root", `cron.deny:2: user name "~root" starts with '~', which no user name can`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := "adm\n" + tt.line + "\nuucp\n"
			f, err := Parse(strings.NewReader(in), "cron.deny")
			if f == nil || err == nil {
				t.Fatalf("Parse = %v, %v; want a file and an error", f, err)
			}
			if got := err.Error(); got != tt.want {
				t.Errorf("error = %q, want %q", got, tt.want)
			}
			list := parse.List(err)
			if len(list) != 1 || list[0].Line != 2 || list[0].File != "cron.deny" {
				t.Errorf("parse.List(err) = %+v, want one error at cron.deny:2", list)
			}
			if diff := cmp.Diff([]Name{{1, "adm"}, {3, "uucp"}}, f.Names); diff != "" {
				t.Errorf("names (-want +got):\n%s", diff)
			}
			if string(f.Bytes()) != in {
				t.Errorf("Bytes() = %q, want the input back", f.Bytes())
			}
		})
	}
}

func TestParseSeveralErrors(t *testing.T) {
	_, err := Parse(strings.NewReader("root bin\nok\nx:y\n"), "at.deny")
	list := parse.List(err)
	if len(list) != 2 || list[0].Line != 1 || list[1].Line != 3 {
		t.Errorf("parse.List(err) = %v, want errors at lines 1 and 3", list)
	}
}

func TestParseUnreadable(t *testing.T) {
	f, err := Parse(iotest.ErrReader(errors.New("input/output error")), "ftpusers")
	if f != nil || err == nil || !strings.HasPrefix(err.Error(), "ftpusers: ") {
		t.Errorf("Parse(failing reader) = %v, %v; want nil and an error naming the file", f, err)
	}
}
