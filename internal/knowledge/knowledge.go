// Package knowledge is bastion's knowledge base of network daemons: which
// ports and RPC programs each one serves, which programs a start-up script
// spawns, and the risk of each in one line. The inventory uses it to say
// what a configured program will listen on and to name what it sees.
package knowledge

import (
	"path"
	"sort"
	"strings"
)

// Port is a port a daemon listens on.
type Port struct {
	// Proto is "tcp" or "udp".
	Proto string
	// Number is the port, or 0 when the port is chosen at run time (an RPC
	// program registered with the portmapper, or an ephemeral port).
	Number int
	// Name is the row name to use for this port when /etc/services has no
	// name for it (always for dynamic ports).
	Name string
	// Service is the /etc/services name to look the port up by, when the
	// number is not fixed here ("writesrv" on AIX, where releases differ).
	Service string
	// Directive names a setting of the daemon's own configuration file that
	// sets the port ("Port" for httpdlite); Number is then the default.
	Directive string
	// Only says when the daemon listens on this port, if not always
	// ("with -bd", "with remote reception enabled").
	Only string
}

// RPC is an ONC RPC program a daemon serves through the portmapper.
type RPC struct {
	Program  int
	Versions string
	Proto    []string
}

// Daemon is one program that serves the network, or that bastion needs to
// recognise when it starts others.
type Daemon struct {
	// Names are the program base names that identify the daemon.
	Names []string
	// Path is the usual full path of the program on AIX, used when only an
	// SRC subsystem name or a spawn relation is known.
	Path string
	// Subsystem is the AIX System Resource Controller subsystem name.
	Subsystem string
	// Title says what the daemon is, in a few words.
	Title string
	// Ports are the ports it listens on.
	Ports []Port
	// RPC lists the RPC programs it registers.
	RPC []RPC
	// DaemonFlag is the argument without which it does not listen
	// ("-bd" for sendmail); empty when it always listens.
	DaemonFlag string
	// Spawns lists the full paths of programs this one starts that listen on
	// their own (the CDE start-up script spawns dtlogin, X and dtgreet).
	Spawns []string
	// SuperServer marks inetd and xinetd, whose ports come from their
	// configuration.
	SuperServer bool
	// Risk is the risk of running it, in one line.
	Risk string
}

var (
	byName      = map[string]*Daemon{}
	bySubsystem = map[string]*Daemon{}
	byPath      = map[string]*Daemon{}
)

func init() {
	for i := range daemons {
		d := &daemons[i]
		for _, n := range d.Names {
			if _, dup := byName[n]; dup {
				panic("knowledge: duplicate daemon name " + n)
			}
			byName[n] = d
		}
		if d.Subsystem != "" {
			bySubsystem[d.Subsystem] = d
		}
		if d.Path != "" {
			byPath[d.Path] = d
		}
	}
}

// Lookup returns the daemon whose program is prog (a path or a base name).
func Lookup(prog string) (*Daemon, bool) {
	if d, ok := byPath[prog]; ok {
		return d, true
	}
	d, ok := byName[path.Base(prog)]
	return d, ok
}

// Subsystem returns the daemon of an AIX SRC subsystem.
func Subsystem(name string) (*Daemon, bool) {
	d, ok := bySubsystem[name]
	return d, ok
}

// All returns every daemon, sorted by first name.
func All() []*Daemon {
	out := make([]*Daemon, len(daemons))
	for i := range daemons {
		out[i] = &daemons[i]
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Names[0] < out[j].Names[0] })
	return out
}

// Listens reports whether the daemon listens when started with args.
func (d *Daemon) Listens(args []string) bool {
	if d.DaemonFlag == "" {
		return true
	}
	for _, a := range args {
		if strings.Contains(a, d.DaemonFlag) {
			return true
		}
	}
	return false
}

// Program returns the path to report for the daemon: the configured path
// when known, else the usual path, else the first name.
func (d *Daemon) Program(configured string) string {
	switch {
	case configured != "":
		return configured
	case d.Path != "":
		return d.Path
	}
	return d.Names[0]
}

// internal holds the services inetd and xinetd serve themselves.
var internal = map[string]string{
	"echo":    "echoes what it is sent; UDP echo and chargen loop into each other and reflect attacks",
	"discard": "obsolete test service; a denial-of-service vehicle",
	"daytime": "leaks the clock and reflects UDP attacks; obsolete",
	"chargen": "classic UDP amplification and loop attack",
	"time":    "obsolete time protocol that reflects UDP attacks; use NTP",
}

// InternalRisk returns the risk of a service inetd or xinetd serves itself
// (echo, discard, daytime, chargen, time), and whether it is one.
func InternalRisk(service string) (string, bool) {
	r, ok := internal[strings.TrimSuffix(strings.TrimSuffix(service, "-stream"), "-dgram")]
	return r, ok
}

// groups are AIX SRC groups whose members bastion knows.
var groups = map[string][]string{
	"nfs": {"biod", "nfsd", "rpc.mountd", "rpc.statd", "rpc.lockd"},
	"yp":  {"ypserv", "ypbind", "yppasswdd"},
}

// Group returns the subsystems an AIX SRC group starts, as far as known.
func Group(name string) []string { return groups[name] }
