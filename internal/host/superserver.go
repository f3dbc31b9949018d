package host

import (
	"bytes"
	"path"
	"sort"
	"strconv"
	"strings"

	"bastion/internal/knowledge"
	"bastion/internal/parse/directive"
	"bastion/internal/parse/inetd"
	"bastion/internal/parse/netdb"
	"bastion/internal/parse/xinetd"
)

const (
	inetdConf  = "/etc/inetd.conf"
	inetdDir   = "/etc/inetd.d"
	xinetdConf = "/etc/xinetd.conf"
	xinetdDir  = "/etc/xinetd.d"
)

// netdb reads /etc/services and /etc/rpc.
func (b *builder) netdb() {
	if data := b.read("/etc/services", "port names", true); data != nil {
		s, err := netdb.ParseServices(bytes.NewReader(data), "/etc/services")
		b.parseGaps(err, "port names")
		b.f.Services = s
	}
	if data := b.read("/etc/rpc", "RPC program names", false); data != nil {
		r, err := netdb.ParseRPC(bytes.NewReader(data), "/etc/rpc")
		b.parseGaps(err, "RPC program names")
		b.f.RPCNames = r
	}
}

// inetd reads /etc/inetd.conf and, where inetutils uses it, /etc/inetd.d.
func (b *builder) inetd() {
	files := []string{inetdConf}
	if ents, err := b.t.ReadDir(inetdDir); err == nil {
		for _, e := range ents {
			if !e.IsDir() && !strings.HasPrefix(e.Name(), ".") {
				files = append(files, path.Join(inetdDir, e.Name()))
			}
		}
	}
	for _, name := range files {
		data := b.read(name, "services started by inetd", false)
		if data == nil {
			continue
		}
		f, err := inetd.Parse(bytes.NewReader(data), name)
		b.parseGaps(err, "services started by inetd")
		if f == nil {
			continue
		}
		for _, e := range f.Entries {
			b.inetdEntry(name, e, f.Lines[e.Line-1])
		}
	}
}

func (b *builder) inetdEntry(file string, e inetd.Entry, text string) {
	s := Start{
		Kind:     KindInetd,
		Source:   Source{File: file, Line: e.Line},
		ID:       e.Service,
		Program:  e.Daemon(),
		Args:     e.Args,
		Enabled:  !e.Commented,
		Service:  e.Service,
		Proto:    e.Transport(),
		Address:  e.Host,
		IPv6:     e.IPv6(),
		Holder:   "inetd",
		Requires: "inetd",
		Text:     text,
	}
	if e.Commented {
		s.Why = "commented out"
	}
	if e.Wait == "SRC" {
		s.Note = "inetd starts it through SRC (wait field SRC)"
	}
	if e.RPC() {
		s.RPC = &RPCProgram{Number: e.RPCProgram, Versions: e.RPCVersions, Name: e.Service}
		if e.RPCName != "" {
			s.RPC.Name = e.RPCName
			s.ID = e.RPCName
			if b.f.RPCNames != nil {
				if p, ok := b.f.RPCNames.ByName(e.RPCName); ok {
					s.RPC.Number = p.Number
				}
			}
		}
		s.Service = ""
	}
	b.add(s)
}

// xinetd reads /etc/xinetd.conf and the files of its include directories.
func (b *builder) xinetd() {
	data := b.read(xinetdConf, "services started by xinetd", false)
	files := []string{}
	var defaults *xinetd.Block
	var blocks []xinetd.Block
	var blockFiles []string
	lines := map[string][]string{}
	parseOne := func(name string, data []byte) *xinetd.File {
		f, err := xinetd.Parse(bytes.NewReader(data), name)
		b.parseGaps(err, "services started by xinetd")
		if f == nil {
			return nil
		}
		lines[name] = f.Lines
		if f.Defaults != nil {
			defaults = f.Defaults
		}
		for _, s := range f.Services {
			blocks = append(blocks, s)
			blockFiles = append(blockFiles, name)
		}
		return f
	}
	if data != nil {
		if f := parseOne(xinetdConf, data); f != nil {
			for _, inc := range f.Includes {
				if !inc.Dir {
					files = append(files, inc.Path)
					continue
				}
				ents, err := b.t.ReadDir(inc.Path)
				if err != nil {
					continue
				}
				for _, e := range ents {
					// xinetd skips names with a dot or ending in '~'.
					n := e.Name()
					if e.IsDir() || strings.Contains(n, ".") || strings.HasSuffix(n, "~") {
						continue
					}
					files = append(files, path.Join(inc.Path, n))
				}
			}
		}
	} else if ents, err := b.t.ReadDir(xinetdDir); err == nil {
		for _, e := range ents {
			if !e.IsDir() && !strings.Contains(e.Name(), ".") {
				files = append(files, path.Join(xinetdDir, e.Name()))
			}
		}
	}
	for _, name := range files {
		if d := b.read(name, "services started by xinetd", false); d != nil {
			parseOne(name, d)
		}
	}
	for i, blk := range blocks {
		b.xinetdService(blockFiles[i], blk, defaults, lines[blockFiles[i]])
	}
}

func (b *builder) xinetdService(file string, blk xinetd.Block, defaults *xinetd.Block, lines []string) {
	proto := blk.Protocol()
	if proto == "" {
		if blk.SocketType() == "dgram" {
			proto = "udp"
		} else {
			proto = "tcp"
		}
	}
	s := Start{
		Kind:     KindXinetd,
		Source:   Source{File: file, Line: blk.Line},
		ID:       blk.Name,
		Program:  blk.Server(),
		Args:     blk.ServerArgs(),
		Enabled:  !xinetd.Disabled(blk, defaults),
		Service:  blk.Name,
		Proto:    strings.TrimSuffix(proto, "6"),
		IPv6:     strings.HasSuffix(proto, "6"),
		Port:     blk.Port(),
		Address:  blk.Bind(),
		Holder:   "xinetd",
		Requires: "xinetd",
		Text:     lines[blk.Line-1],
	}
	// A fix sets "disable = yes": on the service's disable line when it has
	// one, else after the line that opens the block.
	s.AltLine = blk.Line
	for _, a := range blk.Attrs {
		if a.Key == "disable" {
			s.AltLine = a.Line
		}
	}
	if s.AltLine == blk.Line && !strings.Contains(lines[blk.Line-1], "{") && blk.Line < len(lines) {
		s.AltLine = blk.Line + 1
	}
	s.AltText = lines[s.AltLine-1]
	if !s.Enabled {
		s.Why = "disabled in its xinetd configuration"
	}
	for _, t := range blk.Types() {
		if strings.EqualFold(t, "RPC") {
			s.RPC = &RPCProgram{Number: blk.RPCNumber(), Versions: blk.RPCVersion(), Name: blk.Name}
			if s.RPC.Number == 0 && b.f.RPCNames != nil {
				if p, ok := b.f.RPCNames.ByName(blk.Name); ok {
					s.RPC.Number = p.Number
				}
			}
			s.Service = ""
		}
	}
	b.add(s)
}

// superServers marks services of inetd and xinetd whose super-server nothing
// starts, and names the program of inetd's internal services.
func (b *builder) superServers() {
	running := map[string]string{} // "inetd"/"xinetd" -> program path
	for _, s := range b.f.Starts {
		if !s.Enabled || s.Requires != "" {
			continue
		}
		d, ok := knowledge.Lookup(s.Program)
		if !ok || !d.SuperServer {
			continue
		}
		kind := "inetd"
		if d.Names[0] == "xinetd" {
			kind = "xinetd"
		}
		if _, seen := running[kind]; !seen {
			running[kind] = s.Resolved
			if running[kind] == "" {
				running[kind] = s.Program
			}
		}
	}
	for i := range b.f.Starts {
		s := &b.f.Starts[i]
		if s.Requires == "" {
			continue
		}
		prog, ok := running[s.Requires]
		s.RequiresOK = ok
		if s.Program == "" {
			// internal service: the super-server itself serves it.
			s.Program = prog
			if s.Program == "" {
				s.Program = s.Requires
				if d, ok := knowledge.Lookup(s.Requires); ok && d.Path != "" && b.f.Platform.OS == "aix" {
					s.Program = d.Path
				}
			}
			s.Resolved = ""
			s.Note = joinNote(s.Note, "served by "+s.Requires+" itself")
		}
		if !ok && s.Enabled {
			s.Enabled = false
			s.Why = "nothing starts " + s.Requires + " at boot"
		}
	}
}

// resolvePrograms follows links of every program path inside the target.
func (b *builder) resolvePrograms() {
	for i := range b.f.Starts {
		s := &b.f.Starts[i]
		if !strings.HasPrefix(s.Program, "/") {
			continue
		}
		if p, _ := b.t.Resolve(s.Program); p != "" {
			s.Resolved = p
		}
	}
}

// portDirectives reads the port a daemon's own configuration sets, for the
// daemons the knowledge base says have such a setting.
func (b *builder) portDirectives() {
	for _, s := range b.f.Starts {
		d, ok := knowledge.Lookup(s.Program)
		if !ok {
			continue
		}
		for _, p := range d.Ports {
			if p.Directive == "" {
				continue
			}
			for _, conf := range configArgs(s.Args) {
				data := b.read(conf, "port of "+s.Program, false)
				if data == nil {
					continue
				}
				v, _, err := directiveValue(data, conf, p.Directive)
				if err != nil {
					b.parseGaps(err, "port of "+s.Program)
					continue
				}
				if n, err := strconv.Atoi(v); err == nil && n > 0 && n < 65536 {
					b.f.PortDirectives[s.Program] = n
				}
			}
		}
	}
}

// configArgs returns the absolute paths among a command's arguments that
// follow a configuration flag (-r, -f, -c, -C) or look like a .conf file.
func configArgs(args []string) []string {
	var out []string
	for i, a := range args {
		if !strings.HasPrefix(a, "/") {
			continue
		}
		prev := ""
		if i > 0 {
			prev = args[i-1]
		}
		if prev == "-r" || prev == "-f" || prev == "-c" || prev == "-C" || strings.HasSuffix(a, ".conf") {
			out = append(out, a)
		}
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// directiveValue returns the value of the last "key value" line of a
// directive-style configuration file.
func directiveValue(data []byte, name, key string) (string, int, error) {
	f, err := directive.Parse(bytes.NewReader(data), name)
	if f == nil {
		return "", 0, err
	}
	d, ok := f.Last(key)
	if !ok {
		return "", 0, nil
	}
	return d.Value, d.Line, nil
}
