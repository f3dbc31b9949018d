package proftpd

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

func parseFixture(t *testing.T, name string) *File {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	f, err := Parse(strings.NewReader(string(data)), "/etc/proftpd/proftpd.conf")
	if err != nil {
		t.Fatalf("Parse(%s): %v", name, err)
	}
	if string(f.Bytes()) != string(data) {
		t.Errorf("Bytes() does not give %s back", name)
	}
	return f
}

// dir builds a directive for the want tables; sections is a
// slash-separated path of section names ("" for the top level).
func dir(line int, sections, name string, args ...string) Directive {
	d := Directive{Line: line, Name: name}
	if len(args) > 0 {
		d.Args = args
	}
	if sections != "" {
		d.Section = strings.Split(sections, "/")
	}
	return d
}

func TestParseDebianAnonymous(t *testing.T) {
	f := parseFixture(t, "debian-anonymous.conf")
	want := []Directive{
		dir(6, "", "Include", "/etc/proftpd/modules.conf"),
		dir(8, "", "UseIPv6", "on"),
		dir(10, "IfModule", "IdentLookups", "off"),
		dir(13, "", "ServerName", "Debian"),
		dir(14, "", "ServerType", "standalone"),
		dir(15, "", "DeferWelcome", "off"),
		dir(16, "", "DefaultServer", "on"),
		dir(17, "", "ShowSymlinks", "on"),
		dir(19, "", "TimeoutNoTransfer", "600"),
		dir(20, "", "TimeoutStalled", "600"),
		dir(21, "", "TimeoutIdle", "1200"),
		dir(23, "", "DisplayLogin", "welcome.msg"),
		dir(24, "", "DisplayChdir", ".message", "true"),
		dir(25, "", "ListOptions", "-l"),
		dir(26, "", "DenyFilter", `\*.*/`),
		dir(29, "", "Port", "21"),
		dir(30, "", "MaxInstances", "30"),
		dir(31, "", "User", "proftpd"),
		dir(32, "", "Group", "nogroup"),
		dir(33, "", "Umask", "022", "022"),
		dir(34, "", "AllowOverwrite", "on"),
		dir(36, "", "TransferLog", "/var/log/proftpd/xferlog"),
		dir(37, "", "SystemLog", "/var/log/proftpd/proftpd.log"),
		dir(40, "IfModule", "DelayEngine", "on"),
		dir(46, "Anonymous", "User", "ftp"),
		dir(47, "Anonymous", "Group", "nogroup"),
		dir(49, "Anonymous", "UserAlias", "anonymous", "ftp"),
		dir(50, "Anonymous", "DirFakeUser", "on", "ftp"),
		dir(51, "Anonymous", "DirFakeGroup", "on", "ftp"),
		dir(52, "Anonymous", "RequireValidShell", "off"),
		dir(53, "Anonymous", "MaxClients", "10"),
		dir(54, "Anonymous", "DisplayLogin", "welcome.msg"),
		dir(55, "Anonymous", "DisplayChdir", ".message"),
		dir(60, "Anonymous/Directory/Limit", "DenyAll"),
		dir(66, "Anonymous/Directory", "Umask", "022", "022"),
		dir(68, "Anonymous/Directory/Limit", "DenyAll"),
		dir(71, "Anonymous/Directory/Limit", "AllowAll"),
	}
	if diff := cmp.Diff(want, f.Directives); diff != "" {
		t.Errorf("directives (-want +got):\n%s", diff)
	}
	wantSections := []Section{
		{Line: 9, EndLine: 11, Name: "IfModule", Args: []string{"mod_ident.c"}},
		{Line: 39, EndLine: 41, Name: "IfModule", Args: []string{"mod_delay.c"}},
		{Line: 45, EndLine: 74, Name: "Anonymous", Args: []string{"~ftp"}},
		{Line: 58, EndLine: 62, Name: "Directory", Args: []string{"*"}},
		{Line: 59, EndLine: 61, Name: "Limit", Args: []string{"WRITE"}},
		{Line: 65, EndLine: 73, Name: "Directory", Args: []string{"incoming"}},
		{Line: 67, EndLine: 69, Name: "Limit", Args: []string{"READ", "WRITE"}},
		{Line: 70, EndLine: 72, Name: "Limit", Args: []string{"STOR"}},
	}
	if diff := cmp.Diff(wantSections, f.Sections); diff != "" {
		t.Errorf("sections (-want +got):\n%s", diff)
	}

	anon := f.Anonymous()
	if len(anon) != 1 || anon[0].Line != 45 || anon[0].Args[0] != "~ftp" {
		t.Fatalf("Anonymous() = %+v, want the section at line 45", anon)
	}
	var lines []int
	for _, d := range f.Within(anon[0]) {
		lines = append(lines, d.Line)
	}
	if diff := cmp.Diff([]int{46, 47, 49, 50, 51, 52, 53, 54, 55, 60, 66, 68, 71}, lines); diff != "" {
		t.Errorf("Within(anonymous) lines (-want +got):\n%s", diff)
	}
	if got := f.Includes(); len(got) != 1 || got[0].Args[0] != "/etc/proftpd/modules.conf" {
		t.Errorf("Includes() = %+v, want modules.conf only (the tls.conf line is a comment)", got)
	}
	if got := f.Find("displaylogin"); len(got) != 2 || got[0].Line != 23 || got[1].Line != 54 {
		t.Errorf("Find(displaylogin) = %+v, want lines 23 and 54", got)
	}
}

func TestParseVirtual(t *testing.T) {
	f := parseFixture(t, "virtual.conf")
	want := []Directive{
		dir(2, "", "ServerName", `Example "main" site`),
		dir(3, "", "ServerType", "standalone"),
		dir(4, "", "Port", "21"),
		dir(5, "", "DefaultRoot", "~", "!adm"),
		dir(6, "", "Include", "/etc/proftpd/conf.d/*.conf"),
		dir(9, "Global", "RequireValidShell", "off"),
		dir(10, "Global", "AllowOverwrite", "off"),
		dir(11, "Global", "PassivePorts", "49152", "65534"),
		dir(16, "VirtualHost", "ServerName", "Public mirror"),
		dir(17, "VirtualHost", "ServerAdmin", "ftp-admin@example.org"),
		dir(18, "VirtualHost", "MaxLoginAttempts", "3"),
		dir(20, "VirtualHost/Anonymous", "User", "ftp"),
		dir(21, "VirtualHost/Anonymous", "Group", "ftp"),
		dir(22, "VirtualHost/Anonymous", "UserAlias", "anonymous", "ftp"),
		dir(23, "VirtualHost/Anonymous", "AnonRequirePassword", "off"),
		dir(25, "VirtualHost/Anonymous/Limit", "Order", "allow,deny"),
		dir(26, "VirtualHost/Anonymous/Limit", "Allow", "from", "192.0.2.0/24"),
		dir(27, "VirtualHost/Anonymous/Limit", "Deny", "from", "all"),
		dir(31, "VirtualHost/Anonymous/Directory/Limit", "AllowAll"),
		dir(38, "virtualhost", "serverName", "IPv6 only"),
	}
	if diff := cmp.Diff(want, f.Directives); diff != "" {
		t.Errorf("directives (-want +got):\n%s", diff)
	}
	wantSections := []Section{
		{Line: 8, EndLine: 13, Name: "Global"},
		{Line: 15, EndLine: 35, Name: "VirtualHost", Args: []string{"192.0.2.20", "ftp.example.org"}},
		{Line: 19, EndLine: 34, Name: "Anonymous", Args: []string{"/srv/ftp/public"}},
		{Line: 24, EndLine: 28, Name: "Limit", Args: []string{"LOGIN"}},
		{Line: 29, EndLine: 33, Name: "Directory", Args: []string{"uploads/*"}},
		{Line: 30, EndLine: 32, Name: "Limit", Args: []string{"STOR", "MKD"}},
		{Line: 37, EndLine: 39, Name: "virtualhost", Args: []string{"[2001:db8::20]"}},
	}
	if diff := cmp.Diff(wantSections, f.Sections); diff != "" {
		t.Errorf("sections (-want +got):\n%s", diff)
	}
	if got := f.Anonymous(); len(got) != 1 || got[0].Args[0] != "/srv/ftp/public" {
		t.Errorf("Anonymous() = %+v", got)
	}
	if got := f.Find("servername"); len(got) != 3 {
		t.Errorf("Find(servername) found %d directives, want 3", len(got))
	}
}

func TestParseForms(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		want     []Directive
		sections []Section
	}{
		{
			name: "quotes and escapes",
			in:   `ServerIdent on "FTP \"ready\" \\ here"` + "\n" + `AccessDenyMsg "" x` + "\n" + `A "b"c d` + "\n",
			want: []Directive{
				dir(1, "", "ServerIdent", "on", `FTP "ready" \ here`),
				dir(2, "", "AccessDenyMsg", "", "x"),
				dir(3, "", "A", "b", "c", "d"),
			},
		},
		{
			name: "backslash outside quotes is kept",
			in:   `DenyFilter \*.*/` + "\n",
			want: []Directive{dir(1, "", "DenyFilter", `\*.*/`)},
		},
		{
			name: "comments: whole line, indented, and from a word starting with #",
			in:   "# top\n   # indented\nPort 21 # the FTP port\nServerName ftp#1\n",
			want: []Directive{dir(3, "", "Port", "21"), dir(4, "", "ServerName", "ftp#1")},
		},
		{
			name: "continuation lines",
			in:   "PassivePorts 49152 \\\n 65534\nServerName \\\n\"a b\"\nUser ftp\n",
			want: []Directive{
				dir(1, "", "PassivePorts", "49152", "65534"),
				dir(3, "", "ServerName", "a b"),
				dir(5, "", "User", "ftp"),
			},
		},
		{
			name: "a comment line ending in a backslash is dropped alone",
			in:   "# old value \\\nPort 2121\n",
			want: []Directive{dir(2, "", "Port", "2121")},
		},
		{
			name: "a comment line inside a continuation is dropped",
			in:   "DefaultRoot ~ \\\n# !adm \\\nstaff\n",
			want: []Directive{dir(1, "", "DefaultRoot", "~", "staff")},
		},
		{
			name: "continuation on the last line",
			in:   "Port 21 \\",
			want: []Directive{dir(1, "", "Port", "21")},
		},
		{
			name: "CRLF and blank lines",
			in:   "\r\nPort 21\r\n\t \r\n",
			want: []Directive{dir(2, "", "Port", "21")},
		},
		{
			name: "tag forms",
			in:   "<Anonymous ~ftp >\n<Limit READ WRITE>\n</Limit >\n</anonymous>\n<Global >\n</Global>\n<Directory \"/srv/my files\">\n</Directory>\n",
			sections: []Section{
				{Line: 1, EndLine: 4, Name: "Anonymous", Args: []string{"~ftp"}},
				{Line: 2, EndLine: 3, Name: "Limit", Args: []string{"READ", "WRITE"}},
				{Line: 5, EndLine: 6, Name: "Global"},
				{Line: 7, EndLine: 8, Name: "Directory", Args: []string{"/srv/my files"}},
			},
		},
		{
			name: "tag with a comment after it",
			in:   "<Limit LOGIN> # nobody\nDenyAll\n</Limit>\n",
			want: []Directive{dir(2, "Limit", "DenyAll")},
			sections: []Section{
				{Line: 1, EndLine: 3, Name: "Limit", Args: []string{"LOGIN"}},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse(strings.NewReader(tt.in), "proftpd.conf")
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if diff := cmp.Diff(tt.want, f.Directives); diff != "" {
				t.Errorf("directives (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.sections, f.Sections); diff != "" {
				t.Errorf("sections (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		want     []string // every message, in order
		dirs     []Directive
		sections []Section
	}{
		{
			name: "unterminated quote",
			in:   "Port 21\nServerName \"FTP\nUser ftp\n",
			want: []string{"proftpd.conf:2: unterminated double quote"},
			dirs: []Directive{dir(1, "", "Port", "21"), dir(3, "", "User", "ftp")},
		},
		{
			name: "empty directive name",
			in:   "\"\" on\nPort 21\n",
			want: []string{"proftpd.conf:1: directive name is empty"},
			dirs: []Directive{dir(2, "", "Port", "21")},
		},
		{
			name: "section tag without >",
			in:   "<Anonymous ~ftp\nUser ftp\n",
			want: []string{`proftpd.conf:1: section tag "<Anonymous" does not end with '>'`},
			dirs: []Directive{dir(2, "", "User", "ftp")},
		},
		{
			name: "empty tags",
			in:   "<>\n</>\nPort 21\n",
			want: []string{
				`proftpd.conf:1: empty section tag "<>"`,
				`proftpd.conf:2: empty section tag "</>"`,
			},
			dirs: []Directive{dir(3, "", "Port", "21")},
		},
		{
			name: "tag with no name before its arguments",
			in:   "< Limit>\n",
			want: []string{`proftpd.conf:1: section tag "<" has no name`},
		},
		{
			name: "tag closed before its arguments",
			in:   "<Limit> LOGIN>\n",
			want: []string{`proftpd.conf:1: section tag "<Limit>" ends before its arguments`},
		},
		{
			name: "closing tag with arguments",
			in:   "<Limit LOGIN>\n</Limit LOGIN>\n",
			want: []string{
				"proftpd.conf:1: section <Limit> is not closed",
				"proftpd.conf:2: closing tag </Limit> takes no arguments",
			},
			sections: []Section{{Line: 1, Name: "Limit", Args: []string{"LOGIN"}}},
		},
		{
			name: "stray closing tag",
			in:   "Port 21\n</Anonymous>\n",
			want: []string{"proftpd.conf:2: closing tag </Anonymous> without an open <Anonymous> section"},
			dirs: []Directive{dir(1, "", "Port", "21")},
		},
		{
			name: "section never closed",
			in:   "<Anonymous ~ftp>\nUser ftp\n<Limit WRITE>\nDenyAll\n</Limit>\n",
			want: []string{"proftpd.conf:1: section <Anonymous> is not closed"},
			dirs: []Directive{dir(2, "Anonymous", "User", "ftp"), dir(4, "Anonymous/Limit", "DenyAll")},
			sections: []Section{
				{Line: 1, Name: "Anonymous", Args: []string{"~ftp"}},
				{Line: 3, EndLine: 5, Name: "Limit", Args: []string{"WRITE"}},
			},
		},
		{
			name: "inner section not closed before the outer one",
			in:   "<Anonymous ~ftp>\n<Directory *>\n<Limit WRITE>\nDenyAll\n</Anonymous>\nPort 21\n",
			want: []string{
				"proftpd.conf:2: section <Directory> is not closed before </Anonymous> at line 5",
				"proftpd.conf:3: section <Limit> is not closed before </Anonymous> at line 5",
			},
			dirs: []Directive{dir(4, "Anonymous/Directory/Limit", "DenyAll"), dir(6, "", "Port", "21")},
			sections: []Section{
				{Line: 1, EndLine: 5, Name: "Anonymous", Args: []string{"~ftp"}},
				{Line: 2, Name: "Directory", Args: []string{"*"}},
				{Line: 3, Name: "Limit", Args: []string{"WRITE"}},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse(strings.NewReader(tt.in), "proftpd.conf")
			if f == nil || err == nil {
				t.Fatalf("Parse = %v, %v; want a file and an error", f, err)
			}
			var got []string
			for _, pe := range parse.List(err) {
				if pe.File != "proftpd.conf" || pe.Line < 1 {
					t.Errorf("error %v has no line of proftpd.conf", pe)
				}
				got = append(got, pe.Error())
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.dirs, f.Directives); diff != "" {
				t.Errorf("directives (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.sections, f.Sections); diff != "" {
				t.Errorf("sections (-want +got):\n%s", diff)
			}
			if string(f.Bytes()) != tt.in {
				t.Errorf("Bytes() = %q, want the input back", f.Bytes())
			}
		})
	}
}

func TestWithinUnclosed(t *testing.T) {
	f, _ := Parse(strings.NewReader("<Anonymous ~ftp>\nUser ftp\nGroup ftp\n"), "proftpd.conf")
	if got := f.Within(f.Anonymous()[0]); len(got) != 2 {
		t.Errorf("Within(unclosed) = %+v, want both directives after the tag", got)
	}
}

func TestParseUnreadable(t *testing.T) {
	f, err := Parse(iotest.ErrReader(errors.New("input/output error")), "proftpd.conf")
	if f != nil || err == nil || !strings.HasPrefix(err.Error(), "proftpd.conf: ") {
		t.Errorf("Parse(failing reader) = %v, %v; want nil and an error naming the file", f, err)
	}
}
