// Package inventory builds the listening-services table: every port a host
// listens on or is configured to listen on, the daemon behind it, the line
// that starts it, the package that installed it, and its state. It joins
// what the configuration says (host.Starts and the knowledge base) with what
// the host shows (host.Sockets), and flags what nothing explains.
package inventory

import (
	"fmt"
	"path"
	"sort"
	"strings"

	"bastion/internal/host"
	"bastion/internal/knowledge"
	"bastion/internal/parse/netdb"
	"bastion/internal/target"
)

// SchemaVersion is the version of the JSON form of an Inventory. It changes
// when a field is removed or changes meaning; new fields do not change it.
const SchemaVersion = 1

// State says how a row stands.
type State string

// The states of a row.
const (
	// Listening: seen listening, and a start-up file explains it.
	Listening State = "listening"
	// Unexplained: seen listening, and nothing bastion knows starts it.
	Unexplained State = "unexplained"
	// NotListening: configured to start, but not seen listening.
	NotListening State = "not-listening"
	// Predicted: configured to start; no live or captured state to check.
	Predicted State = "predicted"
	// Disabled: present in a start-up file but turned off.
	Disabled State = "disabled"
)

func (s State) rank() int {
	switch s {
	case Unexplained, Listening:
		return 0
	case NotListening, Predicted:
		return 1
	}
	return 2
}

// Process is a process holding a listening socket.
type Process struct {
	PID     int      `json:"pid"`
	Command string   `json:"command,omitempty"`
	Exe     string   `json:"exe,omitempty"`
	Cmdline []string `json:"cmdline,omitempty"`
}

// Row is one port and protocol, or one configured service with a dynamic
// port.
type Row struct {
	// Port is 0 when the port is chosen at run time and was not seen.
	Port  int    `json:"port"`
	Proto string `json:"proto"`
	// Name is the well-known name of the port, or of the service when the
	// port is dynamic.
	Name string `json:"name"`
	// Daemon is the program that serves the port; SpawnedBy the script
	// that starts it, when a script does.
	Daemon    string `json:"daemon"`
	SpawnedBy string `json:"spawned_by,omitempty"`
	// StartedFrom is the file and line (or unit) that starts the daemon;
	// nil when nothing does (unexplained rows).
	StartedFrom *host.Source `json:"started_from,omitempty"`
	StartKind   string       `json:"start_kind,omitempty"`
	State       State        `json:"state"`
	// Dynamic marks a port assigned at run time (RPC, ephemeral).
	Dynamic   bool             `json:"dynamic_port,omitempty"`
	RPC       *host.RPCProgram `json:"rpc,omitempty"`
	Addresses []string         `json:"addresses,omitempty"`
	Processes []Process        `json:"processes,omitempty"`
	Package   string           `json:"package,omitempty"`
	Risk      string           `json:"risk,omitempty"`
	Note      string           `json:"note,omitempty"`
	Why       string           `json:"why_disabled,omitempty"`
	// Reach says who can connect to the port, and why; Protections are
	// the memory protections of its executable. Neither is set for a
	// disabled row.
	Reach       *Reach       `json:"reach,omitempty"`
	Protections *Protections `json:"protections,omitempty"`
	start       *host.Start  // the start the row comes from
}

// Inventory is the services table of one host.
type Inventory struct {
	SchemaVersion int             `json:"schema_version"`
	Target        string          `json:"target"`
	Platform      target.Platform `json:"platform"`
	// Observed reports whether live or captured socket state was used;
	// ObservedFrom says which.
	Observed     bool         `json:"observed"`
	ObservedFrom string       `json:"observed_from,omitempty"`
	Rows         []Row        `json:"rows"`
	Gaps         []target.Gap `json:"gaps"`
}

// expect is a port a start is expected to listen on.
type expect struct {
	s       *host.Start
	proto   string
	port    int
	name    string
	daemon  string
	holder  string // process expected to hold the socket
	rpc     *host.RPCProgram
	dynamic bool
	only    string
	risk    string
	used    bool
}

// Build makes the inventory of a host from its Facts.
func Build(f *host.Facts, targetName string) *Inventory {
	inv := &Inventory{
		SchemaVersion: SchemaVersion,
		Target:        targetName,
		Platform:      f.Platform,
		Observed:      f.Observed,
		ObservedFrom:  f.ObservedFrom,
		Gaps:          f.Gaps,
	}
	if inv.Gaps == nil {
		inv.Gaps = []target.Gap{}
	}
	var exps []*expect
	for i := range f.Starts {
		exps = append(exps, expectations(f, &f.Starts[i])...)
	}
	rows := matchSockets(f, exps)
	rows = append(rows, unmatched(f, exps)...)
	for i := range rows {
		finish(f, &rows[i])
	}
	addReach(f, rows)
	sort.SliceStable(rows, func(i, j int) bool {
		a, b := rows[i], rows[j]
		if a.State.rank() != b.State.rank() {
			return a.State.rank() < b.State.rank()
		}
		if (a.Port == 0) != (b.Port == 0) {
			return b.Port == 0
		}
		if a.Port != b.Port {
			return a.Port < b.Port
		}
		if a.Proto != b.Proto {
			return a.Proto < b.Proto
		}
		return a.Name < b.Name
	})
	inv.Rows = rows
	if inv.Rows == nil {
		inv.Rows = []Row{}
	}
	return inv
}

// expectations returns the ports a start is expected to listen on.
func expectations(f *host.Facts, s *host.Start) []*expect {
	daemon := s.Resolved
	if daemon == "" {
		daemon = s.Program
	}
	if s.Proto != "" {
		// The start says where it listens: inetd, xinetd, systemd sockets.
		e := &expect{s: s, proto: s.Proto, port: s.Port, daemon: daemon, holder: s.Holder, rpc: s.RPC}
		switch {
		case s.RPC != nil:
			e.dynamic = true
			e.name = s.ID
			if len(s.Args) > 0 && s.Args[0] != "" {
				e.name = path.Base(s.Args[0])
			}
		case e.port == 0 && s.Service != "":
			if svc, ok := lookupService(f, s.Service, s.Proto); ok {
				e.port = svc.Port
				e.name = svc.Name
			} else {
				e.name = s.Service
				e.dynamic = true
			}
		default:
			e.name = s.Service
		}
		if e.name == "" && e.port > 0 {
			e.name = portName(f, e.port, e.proto)
		}
		if r, ok := knowledge.InternalRisk(s.Service); ok && s.Holder != "systemd" && strings.Contains(s.Note, "served by") {
			e.risk = r
		}
		return []*expect{e}
	}
	d, ok := knowledge.Lookup(s.Program)
	if !ok && s.Resolved != "" {
		d, ok = knowledge.Lookup(s.Resolved)
	}
	if !ok || d.SuperServer || !d.Listens(s.Args) {
		return nil
	}
	var out []*expect
	for _, p := range d.Ports {
		e := &expect{s: s, proto: p.Proto, port: p.Number, daemon: daemon, holder: path.Base(s.Program), only: p.Only, risk: d.Risk}
		if p.Directive != "" {
			if n, ok := f.PortDirectives[s.Program]; ok {
				e.port = n
			}
		}
		if p.Service != "" {
			if svc, ok := lookupService(f, p.Service, p.Proto); ok {
				e.port, e.name = svc.Port, svc.Name
			} else {
				e.name = p.Service
			}
		}
		switch {
		case e.port == 0:
			e.dynamic = true
			if e.name == "" {
				e.name = p.Name
			}
		case e.name == "":
			e.name = portName(f, e.port, e.proto)
			if e.name == "" {
				e.name = p.Name
			}
		}
		if len(d.RPC) > 0 && e.dynamic {
			e.rpc = &host.RPCProgram{Number: d.RPC[0].Program, Versions: d.RPC[0].Versions, Name: p.Name}
		}
		out = append(out, e)
	}
	return out
}

// lookupService finds a service by name (or alias) in /etc/services.
func lookupService(f *host.Facts, name, proto string) (netdb.Service, bool) {
	if f.Services == nil {
		return netdb.Service{}, false
	}
	return f.Services.ByName(name, proto)
}

// portName is the /etc/services name of a port. Ports from 32768 up are in
// the range kernels hand out at random, so a name registered there says
// nothing about what listens: none is given.
func portName(f *host.Facts, port int, proto string) string {
	if f.Services == nil || port >= 32768 {
		return ""
	}
	if s, ok := f.Services.ByPort(port, proto); ok {
		return s.Name
	}
	return ""
}

// group is the observed sockets of one port and protocol.
type group struct {
	proto string
	port  int
	socks []host.Socket
}

// matchSockets explains each observed listening port.
func matchSockets(f *host.Facts, exps []*expect) []Row {
	groups := map[string]*group{}
	var order []string
	for _, s := range f.Sockets {
		k := fmt.Sprintf("%s/%d", s.Proto, s.Port)
		g, ok := groups[k]
		if !ok {
			g = &group{proto: s.Proto, port: s.Port}
			groups[k] = g
			order = append(order, k)
		}
		g.socks = append(g.socks, s)
	}
	rpcByPort := map[string]int{}
	for _, r := range f.RPCPorts {
		rpcByPort[fmt.Sprintf("%s/%d", r.Proto, r.Port)] = r.Program
	}
	var rows []Row
	for _, k := range order {
		g := groups[k]
		e, how := explain(g, exps, rpcByPort[k])
		row := Row{Port: g.port, Proto: g.proto}
		for _, s := range g.socks {
			row.Addresses = appendUniq(row.Addresses, s.Address)
			if s.PID != 0 || s.Command != "" {
				row.Processes = appendProc(row.Processes, Process{PID: s.PID, Command: s.Command, Exe: s.Exe, Cmdline: s.Cmdline})
			}
		}
		if e == nil {
			row.State = Unexplained
			row.Name = portName(f, g.port, g.proto)
			row.Note = "nothing bastion knows starts this; find out what it is"
			if len(row.Processes) == 0 && f.ObservedFrom != "" {
				row.Note += "; no process in view holds it (the kernel, another PID namespace, or not enough privilege to see it)"
			}
			for _, p := range row.Processes {
				switch {
				case p.Exe != "":
					row.Daemon = p.Exe
				case p.Command != "" && row.Daemon == "":
					row.Daemon = p.Command
				}
			}
			if d, ok := knowledge.Lookup(row.Daemon); ok {
				row.Risk = d.Risk
			}
			rows = append(rows, row)
			continue
		}
		e.used = true
		// Other starts that would open the same port for the same program
		// (a socket unit and its service, two Listen lines) are the same
		// listener, not a missing one.
		for _, o := range exps {
			if !o.dynamic && o.proto == e.proto && o.port == e.port && o.daemon == e.daemon && o.s.Enabled {
				o.used = true
			}
		}
		fromExpect(&row, e)
		row.State = Listening
		if !e.s.Enabled {
			row.Note = joinNote(row.Note, "still running although its start is disabled ("+e.s.Why+"): the change has not taken effect yet")
		}
		if how != "" {
			row.Note = joinNote(row.Note, how)
		}
		rows = append(rows, row)
	}
	return rows
}

// explain finds the expectation that accounts for an observed group, and
// says how when it is not the plain fixed-port match.
func explain(g *group, exps []*expect, rpcProg int) (*expect, string) {
	procs := map[string]bool{}
	exes := map[string]bool{}
	for _, s := range g.socks {
		if s.Command != "" {
			procs[s.Command] = true
		}
		if s.Exe != "" {
			exes[s.Exe] = true
			procs[path.Base(s.Exe)] = true
		}
	}
	// pick prefers enabled starts, then one whose holder is the process.
	pick := func(ok func(e *expect) bool) *expect {
		var best *expect
		score := -1
		for _, e := range exps {
			if !ok(e) {
				continue
			}
			sc := 0
			if e.s.Enabled {
				sc += 2
			}
			if procs[e.holder] || procs[path.Base(e.daemon)] {
				sc++
			}
			if sc > score {
				best, score = e, sc
			}
		}
		return best
	}
	if e := pick(func(e *expect) bool { return !e.dynamic && e.proto == g.proto && e.port == g.port && !e.used }); e != nil {
		return e, ""
	}
	if rpcProg != 0 {
		if e := pick(func(e *expect) bool { return e.rpc != nil && e.rpc.Number == rpcProg && e.proto == g.proto }); e != nil {
			return e, fmt.Sprintf("RPC program %d, port from the portmapper", rpcProg)
		}
	}
	if len(procs) > 0 {
		if e := pick(func(e *expect) bool {
			return e.dynamic && e.proto == g.proto && (procs[e.holder] || procs[path.Base(e.daemon)] || exes[e.daemon])
		}); e != nil {
			return e, "port chosen at run time"
		}
		if e := pick(func(e *expect) bool {
			return e.proto == g.proto && e.s.Enabled && (exes[e.daemon] || procs[path.Base(e.daemon)])
		}); e != nil {
			return e, fmt.Sprintf("the configuration does not predict port %d for it", g.port)
		}
	}
	return nil, ""
}

// unmatched turns expectations no observed socket accounts for into rows.
func unmatched(f *host.Facts, exps []*expect) []Row {
	var rows []Row
	seen := map[string]bool{}
	for _, e := range exps {
		if e.used {
			continue
		}
		key := fmt.Sprintf("%s/%d/%s/%s/%v/%s", e.proto, e.port, e.name, e.daemon, e.s.Enabled, e.s.Source)
		if seen[key] {
			continue
		}
		seen[key] = true
		row := Row{Port: e.port, Proto: e.proto}
		fromExpect(&row, e)
		switch {
		case !e.s.Enabled:
			row.State = Disabled
			row.Why = e.s.Why
		case f.Observed:
			row.State = NotListening
			row.Note = joinNote(row.Note, notSeen(f, e))
		default:
			row.State = Predicted
		}
		if e.only != "" && row.State != Disabled {
			row.Note = joinNote(row.Note, "listens only "+e.only)
		}
		rows = append(rows, row)
	}
	return rows
}

// notSeen says why an expected port is not among the observed ones.
func notSeen(f *host.Facts, e *expect) string {
	switch {
	case e.rpc != nil:
		return fmt.Sprintf("RPC program %d is not registered with the portmapper in the observed state", e.rpc.Number)
	case strings.Contains(e.s.Note, "SRC"):
		return "not seen listening: inetd hands it to SRC, which starts it on demand"
	case e.dynamic:
		return "not seen listening"
	}
	return "not seen listening: not running, or its configuration moves it"
}

// fromExpect fills a row from the expectation that explains it.
func fromExpect(row *Row, e *expect) {
	s := e.s
	row.Name = e.name
	row.Daemon = e.daemon
	row.SpawnedBy = s.Via
	src := s.Source
	row.StartedFrom = &src
	row.StartKind = string(s.Kind)
	row.RPC = e.rpc
	row.Risk = e.risk
	row.Note = s.Note
	row.start = s
	if e.dynamic && row.Port == 0 {
		row.Dynamic = true
		if e.rpc != nil {
			row.Note = joinNote(row.Note, fmt.Sprintf("RPC program %d version %s: the portmapper assigns its port at start", e.rpc.Number, orDash(e.rpc.Versions)))
		} else {
			row.Note = joinNote(row.Note, "port chosen at run time")
		}
	} else if e.dynamic {
		row.Dynamic = true
	}
	if row.Name == "" {
		row.Name = path.Base(row.Daemon)
	}
}

// finish adds the package and risk of the row's daemon.
func finish(f *host.Facts, row *Row) {
	if row.Risk == "" {
		if d, ok := knowledge.Lookup(row.Daemon); ok {
			row.Risk = d.Risk
		} else if row.start != nil {
			if d, ok := knowledge.Lookup(row.start.Program); ok {
				row.Risk = d.Risk
			}
		}
	}
	if pkg, ok := f.Owners[row.Daemon]; ok {
		row.Package = pkg
	} else if row.start != nil {
		if pkg, ok := f.Owners[row.start.Program]; ok {
			row.Package = pkg
		}
	}
	for _, p := range row.Processes {
		if pkg, ok := f.Owners[p.Exe]; ok && row.Package == "" {
			row.Package = pkg
		}
	}
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func joinNote(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + "; " + b
}

func appendUniq(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

func appendProc(list []Process, p Process) []Process {
	for _, x := range list {
		if x.PID == p.PID && x.Command == p.Command {
			return list
		}
	}
	return append(list, p)
}
