package host

import (
	"bytes"
	"io/fs"
	"path"
	"strings"

	"bastion/internal/parse/systemd"
)

// unitDirs are the systemd unit directories in the order systemd searches
// them; the first file of a name wins.
var unitDirs = []string{
	"/etc/systemd/system",
	"/run/systemd/system",
	"/usr/local/lib/systemd/system",
	"/usr/lib/systemd/system",
	"/lib/systemd/system",
}

// unitFile is a unit found in the unit directories.
type unitFile struct {
	name   string // unit name
	path   string // file it is read from
	masked bool
	unit   *systemd.Unit
	drops  []*systemd.Unit // drop-ins, in order
}

// systemdUnits finds every service and socket unit, which of them are
// enabled (linked into a .wants or .requires directory) and which masked.
func (b *builder) systemdUnits() (units map[string]*unitFile, enabled map[string]string) {
	units = map[string]*unitFile{}
	aliases := map[string]string{}
	enabled = map[string]string{} // unit -> the link that enables it
	dropDirs := map[string][]string{}
	for _, dir := range unitDirs {
		ents, err := b.t.ReadDir(dir)
		if err != nil {
			if !isNotExist(err) {
				b.gap(dir, "systemd units", err)
			}
			continue
		}
		for _, e := range ents {
			name := e.Name()
			full := path.Join(dir, name)
			if e.IsDir() && (strings.HasSuffix(name, ".wants") || strings.HasSuffix(name, ".requires")) {
				b.wants(full, enabled)
				continue
			}
			if strings.HasSuffix(name, ".d") && isUnitName(strings.TrimSuffix(name, ".d")) {
				u := strings.TrimSuffix(name, ".d")
				dropDirs[u] = append(dropDirs[u], full)
				continue
			}
			if !isUnitName(name) {
				continue
			}
			if _, seen := units[name]; seen {
				continue
			}
			uf := &unitFile{name: name, path: full}
			if e.Type()&fs.ModeSymlink != 0 {
				dest, err := b.t.Readlink(full)
				if err == nil {
					switch {
					case dest == "/dev/null":
						uf.masked = true
					case path.Base(dest) != name && isUnitName(path.Base(dest)):
						aliases[name] = path.Base(dest)
						continue
					}
				}
			}
			units[name] = uf
		}
	}
	for a, u := range aliases {
		if _, ok := units[a]; !ok {
			if l, ok := enabled[a]; ok {
				enabled[u] = l
			}
		}
	}
	for name, uf := range units {
		file := uf.path
		if uf.masked {
			// Read the vendor file it masks, to name the program it stops.
			file = b.vendorUnit(name)
			if file == "" {
				continue
			}
		}
		data := b.read(file, "systemd unit "+name, false)
		if data == nil {
			delete(units, name)
			continue
		}
		u, err := systemd.Parse(bytes.NewReader(data), file)
		b.parseGaps(err, "systemd unit "+name)
		uf.unit = u
		uf.drops = b.dropIns(dropDirs[name])
	}
	return units, enabled
}

// vendorUnit returns the first unit file of a name that is not a mask.
func (b *builder) vendorUnit(name string) string {
	for _, dir := range unitDirs {
		p := path.Join(dir, name)
		if dest, err := b.t.Readlink(p); err == nil && dest == "/dev/null" {
			continue
		}
		if fi, err := b.t.Stat(p); err == nil && fi.Mode().IsRegular() {
			return p
		}
	}
	return ""
}

// wants records the units linked in a .wants or .requires directory.
func (b *builder) wants(dir string, enabled map[string]string) {
	ents, err := b.t.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range ents {
		name := e.Name()
		if !isUnitName(name) {
			continue
		}
		if _, ok := enabled[name]; !ok {
			enabled[name] = path.Join(dir, name)
		}
		// An instance (getty@tty1.service) enables its template.
		if i := strings.IndexByte(name, '@'); i > 0 {
			tmpl := name[:i+1] + path.Ext(name)
			if _, ok := enabled[tmpl]; !ok {
				enabled[tmpl] = path.Join(dir, name)
			}
		}
	}
}

// dropIns returns the parsed drop-in files found in a unit's ".d"
// directories, in the order systemd applies them: sorted by file name across
// the directories, an earlier directory shadowing a later file of the same
// name.
func (b *builder) dropIns(dirs []string) []*systemd.Unit {
	seen := map[string]string{}
	for _, d := range dirs {
		ents, err := b.t.ReadDir(d)
		if err != nil {
			continue
		}
		for _, e := range ents {
			if strings.HasSuffix(e.Name(), ".conf") {
				if _, ok := seen[e.Name()]; !ok {
					seen[e.Name()] = path.Join(d, e.Name())
				}
			}
		}
	}
	var out []*systemd.Unit
	for _, n := range sortedKeys(seen) {
		p := seen[n]
		if data := b.read(p, "systemd drop-in "+p, false); data != nil {
			u, err := systemd.Parse(bytes.NewReader(data), p)
			b.parseGaps(err, "systemd drop-in "+p)
			if u != nil {
				out = append(out, u)
			}
		}
	}
	return out
}

func isUnitName(n string) bool {
	return strings.HasSuffix(n, ".service") || strings.HasSuffix(n, ".socket")
}

// stack returns the unit followed by its drop-ins.
func (uf *unitFile) stack() []*systemd.Unit {
	if uf.unit == nil {
		return nil
	}
	return append([]*systemd.Unit{uf.unit}, uf.drops...)
}

// systemd turns service and socket units into Starts.
func (b *builder) systemd() (native map[string]bool) {
	units, enabled := b.systemdUnits()
	native = map[string]bool{}
	for _, name := range sortedKeys(units) {
		uf := units[name]
		native[strings.TrimSuffix(strings.TrimSuffix(name, ".service"), ".socket")] = true
		s := Start{Kind: KindSystemd, Source: Source{File: uf.path, Unit: name}, ID: name}
		s.EnabledBy, s.Enabled = enabled[name]
		switch {
		case uf.masked:
			s.Enabled, s.Why = false, "masked"
		case !s.Enabled:
			s.Why = "not enabled"
		}
		if uf.masked && uf.unit == nil {
			continue
		}
		if strings.HasSuffix(name, ".service") {
			if strings.HasSuffix(name, "@.service") {
				continue // a template runs only per connection of its socket
			}
			a, ok := systemd.StackAssignment("Service", "ExecStart", uf.stack()...)
			if !ok {
				continue
			}
			argv := systemd.ExecArgv(a.Value)
			if len(argv) == 0 {
				continue
			}
			s.Source.File, s.Source.Line = a.File, a.Line
			s.Program, s.Args = argv[0], argv[1:]
			b.add(s)
			continue
		}
		b.socketUnit(s, uf, units)
	}
	return native
}

// socketUnit adds one Start per network listener of a socket unit.
func (b *builder) socketUnit(s Start, uf *unitFile, units map[string]*unitFile) {
	base := strings.TrimSuffix(uf.name, ".socket")
	svc := base + ".service"
	if v, ok := systemd.StackValue("Socket", "Service", uf.stack()...); ok && v != "" {
		svc = v
	} else if v, ok := systemd.StackValue("Socket", "Accept", uf.stack()...); ok && isTrue(v) {
		svc = base + "@.service"
	}
	if su, ok := units[svc]; ok && su.unit != nil {
		if a, ok := systemd.StackAssignment("Service", "ExecStart", su.stack()...); ok {
			if argv := systemd.ExecArgv(a.Value); len(argv) > 0 {
				s.Program, s.Args = argv[0], argv[1:]
			}
		}
	}
	s.Holder = "systemd"
	s.Note = "socket-activated: systemd listens and starts " + svc
	for _, key := range []string{"ListenStream", "ListenDatagram"} {
		proto := "tcp"
		if key == "ListenDatagram" {
			proto = "udp"
		}
		for _, a := range systemd.StackAssignments("Socket", key, uf.stack()...) {
			l, err := systemd.ParseListen(a.Value)
			if err != nil {
				b.t.AddGap(gapAt(a.File, a.Line, "systemd socket "+uf.name, err))
				continue
			}
			if l.Unix || l.Vsock {
				continue
			}
			ls := s
			ls.Source.File, ls.Source.Line = a.File, a.Line
			ls.Proto, ls.Port, ls.Address = proto, l.Port, l.Address
			ls.IPv6 = strings.Contains(l.Address, ":") || l.Address == ""
			b.add(ls)
		}
	}
}

func isTrue(v string) bool {
	switch strings.ToLower(v) {
	case "yes", "true", "1", "on":
		return true
	}
	return false
}
