package host

import (
	"bytes"
	"path"
	"strings"

	"bastion/internal/parse"
	"bastion/internal/parse/pam"
)

const (
	pamDir           = "/etc/pam.d"
	pamConfPath      = "/etc/pam.conf"
	pwqualityPath    = "/etc/security/pwquality.conf"
	pwqualityDir     = "/etc/security/pwquality.conf.d"
	passwdqcPath     = "/etc/passwdqc.conf"
	pamMaxDepth      = 8
	pamPasswdService = "passwd"
)

// PAM is what Linux-PAM does when a user changes a password: the
// password stack of the passwd service with every file it includes, and
// the settings of pwquality.conf that pam_pwquality reads.
type PAM struct {
	// Found reports that the host has a PAM configuration (/etc/pam.d or
	// /etc/pam.conf); From names what was read.
	Found bool
	From  string
	// Password is the flattened password stack of the passwd service (or
	// "other" when passwd has none), in the order PAM runs it.
	Password []PAMLine
	// Login is the flattened auth stack of the login service.
	Login []PAMLine
	// Quality are the settings of pwquality.conf and its .d files (the
	// later file wins), by name.
	Quality map[string]Setting
	// Problems are what could not be read, as "file: reason".
	Problems []string
	// Text holds the lines of each PAM file read, for the fixes.
	Text map[string][]string
}

// PAMLine is one module of a stack, with where it is written.
type PAMLine struct {
	Source   Source
	Type     string
	Control  string
	Module   string // the module's name without directory and ".so": "pam_unix"
	Args     []string
	Optional bool // "-type": skipped when the module is missing
}

// Arg returns the value of a "key=value" argument ("" for a bare flag);
// the last one written wins, as the modules read their arguments in
// order.
func (l PAMLine) Arg(key string) (string, bool) {
	val, found := "", false
	for _, a := range l.Args {
		k, v, _ := strings.Cut(a, "=")
		if k == key {
			val, found = v, true
		}
	}
	return val, found
}

// Module returns the first line of a stack calling one of the modules
// named.
func Module(stack []PAMLine, names ...string) (PAMLine, bool) {
	for _, l := range stack {
		for _, n := range names {
			if l.Module == n {
				return l, true
			}
		}
	}
	return PAMLine{}, false
}

// pam builds Accounts.PAM.
func (b *builder) pam(a *Accounts) {
	p := &PAM{Quality: map[string]Setting{}, Text: map[string][]string{}}
	a.PAM = p
	files := map[string]*pam.File{}
	load := func(name string, conf bool) *pam.File {
		if f, ok := files[name]; ok {
			return f
		}
		data, err := b.t.ReadFile(name)
		if err != nil {
			if !isNotExist(err) {
				p.Problems = append(p.Problems, name+": "+err.Error())
				b.gap(name, whatAccounts, err)
			}
			files[name] = nil
			return nil
		}
		var f *pam.File
		if conf {
			f, err = pam.ParseConf(bytes.NewReader(data), name)
		} else {
			f, err = pam.Parse(bytes.NewReader(data), name)
		}
		b.parseGaps(err, whatAccounts)
		files[name] = f
		if f != nil {
			p.Text[name] = f.Lines
		}
		return f
	}
	if fi, err := b.t.Stat(pamDir); err == nil && fi.IsDir() {
		p.Found, p.From = true, pamDir
		svc := pamPasswdService
		if !b.t.Exists(path.Join(pamDir, svc)) {
			svc = "other"
		}
		p.Password = b.pamStack(load, path.Join(pamDir, svc), "password", 0)
		p.Login = b.pamStack(load, path.Join(pamDir, "login"), "auth", 0)
	} else if conf := load(pamConfPath, true); conf != nil {
		p.Found, p.From = true, pamConfPath
		for _, want := range []string{pamPasswdService, "other"} {
			for _, r := range conf.Rules {
				if r.Service == want && r.Type == "password" {
					p.Password = append(p.Password, pamLine(pamConfPath, r))
				}
			}
			if len(p.Password) > 0 {
				break
			}
		}
		for _, r := range conf.Rules {
			if r.Service == "login" && r.Type == "auth" {
				p.Login = append(p.Login, pamLine(pamConfPath, r))
			}
		}
	}
	b.pwquality(p)
}

// pamLine converts a parsed rule.
func pamLine(file string, r pam.Rule) PAMLine {
	return PAMLine{Source: Source{File: file, Line: r.Line}, Type: r.Type, Control: r.Control, Module: r.ModuleName(), Args: r.Args, Optional: r.Optional}
}

// pamStack flattens the lines of one type of a pam.d file, following
// include and substack controls (lines of that type of the named file)
// and Debian's @include (every line of the named file).
func (b *builder) pamStack(load func(string, bool) *pam.File, name, typ string, depth int) []PAMLine {
	if depth > pamMaxDepth {
		return nil
	}
	f := load(name, false)
	if f == nil {
		return nil
	}
	var out []PAMLine
	for _, it := range f.Items {
		switch {
		case it.Include != nil:
			out = append(out, b.pamStack(load, pamPath(it.Include.Name), typ, depth+1)...)
		case it.Rule != nil && it.Rule.Type == typ:
			r := *it.Rule
			if r.Control == "include" || r.Control == "substack" {
				out = append(out, b.pamStack(load, pamPath(r.Module), typ, depth+1)...)
				continue
			}
			out = append(out, pamLine(name, r))
		}
	}
	return out
}

// pamPath resolves the name an include gives.
func pamPath(name string) string {
	if strings.HasPrefix(name, "/") {
		return name
	}
	return path.Join(pamDir, name)
}

// pwquality reads pwquality.conf's .d files in name order and then
// pwquality.conf, as libpwquality does, a later value winning: "name =
// value" lines and bare flags such as enforce_for_root.
func (b *builder) pwquality(p *PAM) {
	var names []string
	if ents, err := b.t.ReadDir(pwqualityDir); err == nil {
		for _, e := range ents {
			if strings.HasSuffix(e.Name(), ".conf") && !e.IsDir() {
				names = append(names, path.Join(pwqualityDir, e.Name()))
			}
		}
	}
	names = append(names, pwqualityPath)
	for _, n := range names {
		data := b.read(n, whatAccounts, false)
		if data == nil {
			continue
		}
		lines, err := parse.ReadLines(bytes.NewReader(data), n)
		b.parseGaps(err, whatAccounts)
		for i, l := range lines {
			t := strings.TrimSpace(l)
			if t == "" || t[0] == '#' {
				continue
			}
			k, v, _ := strings.Cut(t, "=")
			p.Quality[strings.TrimSpace(k)] = Setting{Value: strings.TrimSpace(v), Source: Source{File: n, Line: i + 1}}
		}
	}
}
