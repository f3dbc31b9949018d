package host

import (
	"bytes"
	"path"

	"bastion/internal/knowledge"
	"bastion/internal/parse"
	"bastion/internal/parse/sysvrc"
)

// linux reads systemd units and SysV init links.
func (b *builder) linux() {
	native := b.systemd()
	b.sysv(native)
}

// sysvLevels are the multi-user run levels a SysV script must be linked into
// to start at boot.
var sysvLevels = map[string]bool{"2": true, "3": true, "4": true, "5": true}

// sysv reads /etc/init.d scripts and the /etc/rcN.d links that start them.
// Scripts shadowed by a native systemd unit of the same name are left out,
// as systemd does.
func (b *builder) sysv(native map[string]bool) {
	initDir := "/etc/init.d"
	ents, err := b.t.ReadDir(initDir)
	if err != nil {
		initDir = "/etc/rc.d/init.d"
		if ents, err = b.t.ReadDir(initDir); err != nil {
			return
		}
	}
	links := map[string]string{} // script -> first S link in a multi-user level
	for _, base := range []string{"/etc", "/etc/rc.d"} {
		dirs, err := b.t.ReadDir(base)
		if err != nil {
			continue
		}
		for _, d := range dirs {
			level, ok := sysvrc.ParseRunlevelDir(d.Name())
			if !ok || !sysvLevels[level] {
				continue
			}
			ls, err := b.t.ReadDir(path.Join(base, d.Name()))
			if err != nil {
				continue
			}
			for _, l := range ls {
				lk, ok := sysvrc.ParseLinkName(l.Name())
				if !ok || !lk.Start {
					continue
				}
				if _, seen := links[lk.Script]; !seen {
					links[lk.Script] = path.Join(base, d.Name(), l.Name())
				}
			}
		}
	}
	for _, e := range ents {
		name := e.Name()
		if e.IsDir() || native[name] || name == "README" || name == "skeleton" || name == "rc" || name == "rcS" {
			continue
		}
		script := path.Join(initDir, name)
		s := Start{Kind: KindSysV, Source: Source{File: script}, ID: name}
		if l, ok := links[name]; ok {
			s.Enabled = true
			s.Source = Source{File: l}
			s.EnabledBy = l
		} else {
			s.Why = "not linked into run levels 2-5"
		}
		if data := b.read(script, "init script "+script, false); data != nil {
			h, err := sysvrc.ParseLSB(bytes.NewReader(data), script)
			b.parseGaps(err, "init script "+script)
			if h != nil && h.Daemon != "" {
				s.Program = h.Daemon
			} else if d, _ := sysvrc.Daemon(parse.SplitLines(data)); d != "" {
				s.Program = d
			}
		}
		if s.Program == "" {
			if d, ok := knowledge.Lookup(name); ok {
				s.Program = d.Program("")
			} else {
				continue
			}
		}
		b.add(s)
	}
}
