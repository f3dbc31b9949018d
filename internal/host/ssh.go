package host

import (
	"path"
	"sort"
	"strings"

	"bastion/internal/parse/sshdconfig"
	"bastion/internal/target"
)

const (
	sshdConfigPath = "/etc/ssh/sshd_config"
	whatSSH        = "the SSH server"
)

// sshdPrograms are where the platforms install sshd.
var sshdPrograms = []string{"/usr/sbin/sshd", "/usr/local/sbin/sshd", "/opt/freeware/sbin/sshd"}

// SSH is the OpenSSH server's configuration: the main file with every
// file it includes, as sshd reads them.
type SSH struct {
	// Installed reports that the host has sshd or its configuration.
	Installed bool
	// Path is the main configuration file; Config its parsed form with
	// includes, nil when it could not be read (Problem says why).
	Path    string
	Config  *sshdconfig.Config
	Problem string
	// Text holds the lines of every file read, by path, for the fixes.
	Text map[string][]string
}

// ssh builds Facts.SSH.
func (b *builder) ssh() {
	s := &SSH{Path: sshdConfigPath, Text: map[string][]string{}}
	b.f.SSH = s
	for _, p := range sshdPrograms {
		if b.t.Exists(p) {
			s.Installed = true
			break
		}
	}
	if _, err := b.t.Stat(sshdConfigPath); err != nil {
		if !isNotExist(err) {
			s.Installed, s.Problem = true, target.Reason(err)
			b.gap(sshdConfigPath, whatSSH, err)
		}
		return
	}
	s.Installed = true
	cfg, err := sshdconfig.Load(sshFS{b}, sshdConfigPath)
	b.parseGaps(err, whatSSH)
	if cfg == nil {
		s.Problem = "could not be read"
		if err != nil {
			s.Problem = err.Error()
		}
		return
	}
	s.Config = cfg
	for _, f := range cfg.Files {
		s.Text[f.Name] = f.Lines
	}
}

// sshFS reads sshd's files through the target.
type sshFS struct{ b *builder }

func (s sshFS) ReadFile(name string) ([]byte, error) { return s.b.t.ReadFile(name) }

// Glob matches the last element of a pattern in its directory, as the
// Include patterns sshd's packages use ("/etc/ssh/sshd_config.d/*.conf").
func (s sshFS) Glob(pattern string) ([]string, error) {
	dir, base := path.Split(pattern)
	if strings.ContainsAny(dir, "*?[") {
		return nil, nil // a pattern in a directory name: not followed
	}
	if !strings.ContainsAny(base, "*?[") {
		if s.b.t.Exists(pattern) {
			return []string{pattern}, nil
		}
		return nil, nil
	}
	ents, err := s.b.t.ReadDir(dir)
	if err != nil {
		if isNotExist(err) {
			return nil, nil
		}
		return nil, err
	}
	var out []string
	for _, e := range ents {
		if ok, _ := path.Match(base, e.Name()); ok {
			out = append(out, path.Join(dir, e.Name()))
		}
	}
	sort.Strings(out)
	return out, nil
}
