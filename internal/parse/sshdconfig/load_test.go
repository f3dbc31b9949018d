package sshdconfig

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"bastion/internal/parse"
)

// mapFS is a target made of named texts; a name in bad fails to read.
type mapFS struct {
	files map[string]string
	bad   map[string]bool
	reads map[string]int
}

func (m mapFS) ReadFile(name string) ([]byte, error) {
	if m.reads != nil {
		m.reads[name]++
	}
	if m.bad[name] {
		return nil, fs.ErrPermission
	}
	s, ok := m.files[name]
	if !ok {
		return nil, fs.ErrNotExist
	}
	return []byte(s), nil
}

func (m mapFS) Glob(pattern string) ([]string, error) {
	if _, err := path.Match(pattern, ""); err != nil {
		return nil, err
	}
	var out []string
	for name := range m.files {
		if ok, _ := path.Match(pattern, name); ok {
			out = append(out, name)
		}
	}
	for name := range m.bad {
		if ok, _ := path.Match(pattern, name); ok {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out, nil
}

// where lists directives as "file:line keyword [match line]" for compact
// comparisons.
func where(ds []Directive) []string {
	var out []string
	for _, d := range ds {
		s := fmt.Sprintf("%s:%d %s", path.Base(d.File), d.Line, d.Keyword)
		for m := d.Match; m != nil; m = m.Parent {
			s += fmt.Sprintf(" <%s:%d", path.Base(m.File), m.Line)
		}
		out = append(out, s)
	}
	return out
}

func TestLoad(t *testing.T) {
	fsys := mapFS{files: map[string]string{
		"/etc/ssh/sshd_config": `Include sshd_config.d/*.conf
PermitRootLogin no
Match User root
	Include /etc/ssh/root.conf
	X11Forwarding no
Match all
	Include sshd_config.d/20-b.conf
`,
		// Lexical order: 10-a before 20-b; not-conf is not matched.
		"/etc/ssh/sshd_config.d/20-b.conf": "MaxAuthTries 3\n",
		"/etc/ssh/sshd_config.d/10-a.conf": "PasswordAuthentication no\nMatch Address 10.0.0.0/8\n\tPermitRootLogin yes\n",
		"/etc/ssh/sshd_config.d/not-conf":  "Port 1\n",
		"/etc/ssh/root.conf":               "Banner /etc/issue\nMatch Address 192.0.2.0/24\n\tMaxSessions 1\n",
	}, reads: map[string]int{}}
	cfg, err := Load(fsys, "/etc/ssh/sshd_config")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"sshd_config:1 include",
		"10-a.conf:1 passwordauthentication",
		"10-a.conf:2 match <10-a.conf:2",
		"10-a.conf:3 permitrootlogin <10-a.conf:2",
		"20-b.conf:1 maxauthtries",
		// Back in the main file's global section.
		"sshd_config:2 permitrootlogin",
		"sshd_config:3 match <sshd_config:3",
		"sshd_config:4 include <sshd_config:3",
		// Before its own Match, root.conf sits in the includer's block;
		// its own block has that block as parent.
		"root.conf:1 banner <sshd_config:3",
		"root.conf:2 match <root.conf:2 <sshd_config:3",
		"root.conf:3 maxsessions <root.conf:2 <sshd_config:3",
		"sshd_config:5 x11forwarding <sshd_config:3",
		"sshd_config:6 match <sshd_config:6",
		"sshd_config:7 include <sshd_config:6",
		"20-b.conf:1 maxauthtries <sshd_config:6",
	}
	if diff := cmp.Diff(want, where(cfg.Directives)); diff != "" {
		t.Errorf("directives (-want +got):\n%s", diff)
	}
	var names []string
	for _, f := range cfg.Files {
		names = append(names, f.Name)
	}
	wantFiles := []string{"/etc/ssh/sshd_config", "/etc/ssh/sshd_config.d/10-a.conf", "/etc/ssh/sshd_config.d/20-b.conf", "/etc/ssh/root.conf"}
	if diff := cmp.Diff(wantFiles, names); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
	if n := fsys.reads["/etc/ssh/sshd_config.d/20-b.conf"]; n != 1 {
		t.Errorf("20-b.conf read %d times", n)
	}
	// The two inclusions of 20-b.conf are in different blocks.
	if cfg.Directives[4].Match != nil || cfg.Directives[14].Match == nil {
		t.Error("an included file shares its blocks between inclusions")
	}
}

func TestLoadErrors(t *testing.T) {
	files := map[string]string{
		"/etc/ssh/sshd_config": `Include /etc/ssh/none/*.conf /etc/ssh/missing.conf
Include /etc/ssh/bad.conf
Include /etc/ssh/unreadable.conf
Include /etc/ssh/loop.conf
Include [
PermitRootLogin no
Match User x
	Include /etc/ssh/inmatch.conf
	Port 2222
	PasswordAuthentication no
Match all
	Port 2200
`,
		"/etc/ssh/bad.conf":     "PermitRootLogin maybe\nX11Forwarding yes\n",
		"/etc/ssh/loop.conf":    "Include /etc/ssh/loop2.conf\n",
		"/etc/ssh/loop2.conf":   "Include /etc/ssh/loop.conf\n",
		"/etc/ssh/inmatch.conf": "Ciphers aes128-ctr\nMatch all\n\tHostKey /k\n",
	}
	fsys := mapFS{files: files, bad: map[string]bool{"/etc/ssh/unreadable.conf": true}}
	cfg, err := Load(fsys, "/etc/ssh/sshd_config")
	if cfg == nil {
		t.Fatalf("nil config: %v", err)
	}
	var got []string
	for _, e := range parse.List(err) {
		got = append(got, e.Error())
	}
	want := []string{
		`/etc/ssh/bad.conf:1: PermitRootLogin: unsupported value "maybe"`,
		`/etc/ssh/unreadable.conf: permission denied`,
		`/etc/ssh/loop2.conf:1: include loop: /etc/ssh/loop.conf includes itself (/etc/ssh/sshd_config -> /etc/ssh/loop.conf -> /etc/ssh/loop2.conf -> /etc/ssh/loop.conf)`,
		`/etc/ssh/sshd_config:5: include "/etc/ssh/[": syntax error in pattern`,
		`/etc/ssh/inmatch.conf:1: Ciphers is not allowed within a Match block`,
		`/etc/ssh/inmatch.conf:3: HostKey is not allowed within a Match block`,
		`/etc/ssh/sshd_config:9: Port is not allowed within a Match block`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
	// What could be read is there.
	if s := cfg.Effective("X11Forwarding", nil); s.Value() != "yes" || s.Where.File != "/etc/ssh/bad.conf" {
		t.Errorf("X11Forwarding = %+v", s)
	}
	if s := cfg.Effective("Port", nil); s.Value() != "2200" {
		t.Errorf("Port = %+v", s)
	}
}

func TestLoadDepth(t *testing.T) {
	files := map[string]string{"/etc/ssh/sshd_config": "Include f1\n"}
	for i := 1; i <= 20; i++ {
		files[fmt.Sprintf("/etc/ssh/f%d", i)] = fmt.Sprintf("Include f%d\nMaxSessions %d\n", i+1, i)
	}
	cfg, err := Load(mapFS{files: files}, "/etc/ssh/sshd_config")
	if err == nil || !strings.Contains(err.Error(), "/etc/ssh/f16:1: includes nested more than 16 deep at /etc/ssh/f17") {
		t.Fatalf("error %v", err)
	}
	if n := len(cfg.Files); n != 17 {
		t.Errorf("%d files read, want the main one and 16 levels", n)
	}
	// The deepest file read wins: first in the order sshd sees them.
	if s := cfg.Effective("MaxSessions", nil); s.Value() != "16" {
		t.Errorf("MaxSessions = %q", s.Value())
	}
}

func TestLoadMissingMain(t *testing.T) {
	cfg, err := Load(mapFS{}, "/etc/ssh/sshd_config")
	var pe *parse.Error
	if cfg != nil || !errors.As(err, &pe) || pe.File != "/etc/ssh/sshd_config" || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("got %v, %v", cfg, err)
	}
}
