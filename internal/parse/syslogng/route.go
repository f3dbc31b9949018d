package syslogng

import (
	"strconv"
	"strings"

	"bastion/internal/parse/syslogconf"
)

// Route is the answer of one log path for a message of some facility and
// level.
type Route struct {
	// Log is the log statement.
	Log Log
	// Match says whether the path takes the message: yes, no, or unknown
	// when a filter other than facility() and level() decides, or the
	// path names objects this file does not define.
	Match Match
	// Why explains a no or unknown answer.
	Why string
	// Destinations are the destination objects of the path that this file
	// defines, in the order the path names them.
	Destinations []Object
	// Missing names the destinations the path names that this file does
	// not define (they may come from an included file).
	Missing []string
}

// Route says, for each log path in order, whether a message of facility
// and level sent by a program on this host reaches its destinations.
// facility "*" asks about messages of every facility: yes when the path
// takes them all, no when it leaves one out.
//
// Only facility() and level() (or priority()) filters and filter()
// references are evaluated, joined with and, or and not; any other filter
// function makes the answer unknown. A path whose sources read nothing
// local (system(), internal(), unix-dgram() and the like) answers no.
// flags(final) stops later paths from taking what a path took, and
// flags(fallback) paths take only what no other path took. Nested log
// statements and junctions make the answer unknown.
func (f *File) Route(facility, level string) []Route {
	lvl, ok := syslogconf.Level(level)
	if !ok {
		out := make([]Route, len(f.Logs))
		for i, l := range f.Logs {
			out[i] = Route{Log: l, Match: Unknown, Why: "unknown level " + strconv.Quote(level)}
			f.destinations(&out[i])
		}
		return out
	}
	if facility == "*" {
		var all [][]Route
		for _, fac := range syslogconf.AllFacilities {
			all = append(all, f.route(fac, lvl))
		}
		out := all[0]
		for i := range out {
			for _, rs := range all[1:] {
				r := rs[i]
				switch {
				case out[i].Match == No:
				case r.Match == No:
					out[i].Match, out[i].Why = No, r.Why
				case r.Match == Unknown && out[i].Match == Yes:
					out[i].Match, out[i].Why = Unknown, r.Why
				}
			}
		}
		return out
	}
	fac, ok := syslogconf.Facility(facility)
	if !ok {
		out := make([]Route, len(f.Logs))
		for i, l := range f.Logs {
			out[i] = Route{Log: l, Match: Unknown, Why: "unknown facility " + strconv.Quote(facility)}
			f.destinations(&out[i])
		}
		return out
	}
	return f.route(fac, lvl)
}

func (f *File) route(fac string, level int) []Route {
	m := msg{fac: fac, level: level}
	out := make([]Route, len(f.Logs))
	// taken is what the paths so far did with the message: Yes once a
	// path took it, Unknown when one may have.
	taken, final := No, No
	for i, l := range f.Logs {
		r := Route{Log: l}
		f.destinations(&r)
		r.Match, r.Why = f.pathMatch(l, m)
		if l.Flag("fallback") {
			out[i] = r
			continue
		}
		switch {
		case final == Yes && r.Match != No:
			r.Match, r.Why = No, "an earlier log path with flags(final) takes it"
		case final == Unknown && r.Match == Yes:
			r.Match, r.Why = Unknown, "an earlier log path with flags(final) may take it"
		}
		if r.Match == Yes || (r.Match == Unknown && taken == No) {
			taken = r.Match
		}
		if l.Flag("final") && (r.Match == Yes || (r.Match == Unknown && final == No)) {
			final = r.Match
		}
		out[i] = r
	}
	for i, l := range f.Logs {
		if !l.Flag("fallback") || out[i].Match == No {
			continue
		}
		switch taken {
		case Yes:
			out[i].Match, out[i].Why = No, "a fallback path, and another path takes it"
		case Unknown:
			out[i].Match, out[i].Why = Unknown, "a fallback path, and another path may take it"
		}
	}
	return out
}

func (f *File) destinations(r *Route) {
	for _, name := range r.Log.Destinations {
		if d, ok := f.Destination(name); ok {
			r.Destinations = append(r.Destinations, d)
		} else {
			r.Missing = append(r.Missing, name)
		}
	}
}

// pathMatch evaluates one path's sources and filters for a message.
func (f *File) pathMatch(l Log, m msg) (Match, string) {
	if l.Nested {
		return Unknown, "the path holds nested log paths or conditions"
	}
	if !l.Flag("catchall") {
		local := No
		why := "no source of the path reads messages of this host"
		for _, name := range l.Sources {
			s, ok := f.Source(name)
			if !ok {
				local, why = Unknown, "source "+name+" is not defined in this file"
				continue
			}
			if s.local() {
				local, why = Yes, ""
				break
			}
		}
		if local != Yes {
			return local, why
		}
	}
	res, why := Yes, ""
	st := newEvalState()
	for _, name := range l.Filters {
		r, w := f.evalFilter(name, m, st)
		if r == Unknown && !strings.HasPrefix(w, "filter "+name+" ") {
			w = "filter " + name + ": " + w
		}
		if r == No {
			return No, "filter " + name + " leaves it out"
		}
		if r == Unknown && res == Yes {
			res, why = Unknown, w
		}
	}
	return res, why
}

// local reports whether a source reads messages of this host: from the
// log socket, the kernel or syslog-ng itself.
func (o Object) local() bool {
	for _, d := range o.Drivers {
		switch d.Driver {
		case "system", "internal", "unix-dgram", "unix-stream", "systemd-journal",
			"systemd-syslog", "sun-streams", "sun-stream":
			return true
		case "file":
			if len(d.Args) > 0 && (d.Args[0] == "/proc/kmsg" || d.Args[0] == "/dev/kmsg") {
				return true
			}
		}
	}
	return false
}

// Target is where a destination driver sends messages.
type Target struct {
	Line   int
	Driver string
	// Kind is file, dynamic-file (a path holding macros such as $HOST),
	// remote, user, all-users, program, pipe, or other.
	Kind string
	// Path is the file, pipe or socket path; Host the log host; Command
	// the program; User the user name of usertty().
	Path, Host, Command, User string
	// Port and Transport are those of a log host: as written, or the
	// driver's default (514, and 601 over TCP for syslog()).
	Port      int
	Transport string
	// Perm, Owner and Group are the file options as written, or "".
	Perm, Owner, Group string
}

// Targets returns where the destination's drivers send messages.
func (o Object) Targets() []Target {
	var out []Target
	for _, d := range o.Drivers {
		t := Target{Line: d.Line, Driver: d.Driver, Kind: "other"}
		arg := ""
		if len(d.Args) > 0 {
			arg = d.Args[0]
		}
		switch d.Driver {
		case "file":
			t.Kind, t.Path = "file", arg
			if strings.Contains(arg, "$") {
				t.Kind = "dynamic-file"
			}
			t.Perm, t.Owner, t.Group = d.Value("perm"), d.Value("owner"), d.Value("group")
		case "pipe":
			t.Kind, t.Path = "pipe", arg
		case "network", "udp", "tcp", "udp6", "tcp6", "syslog":
			t.Kind, t.Host = "remote", arg
			t.Transport, t.Port = transport(d)
		case "usertty":
			t.Kind, t.User = "user", arg
			if arg == "*" {
				t.Kind = "all-users"
			}
		case "program":
			t.Kind, t.Command = "program", arg
		case "unix-dgram", "unix-stream":
			t.Path = arg
		}
		out = append(out, t)
	}
	return out
}

// Listener is a port a source opens to receive messages from the network.
type Listener struct {
	Line   int
	Driver string
	// Transport is udp, tcp or tls; Port the port, as written or the
	// driver's default; Address the ip() option, "" for every address.
	Transport string
	Port      int
	Address   string
}

// Listeners returns the network ports the source's drivers open.
func (o Object) Listeners() []Listener {
	var out []Listener
	for _, d := range o.Drivers {
		switch d.Driver {
		case "network", "udp", "tcp", "udp6", "tcp6", "syslog":
			tr, port := transport(d)
			out = append(out, Listener{Line: d.Line, Driver: d.Driver, Transport: tr, Port: port,
				Address: d.Value("ip")})
		case "default-network-drivers":
			for _, l := range []Listener{{Transport: "udp", Port: 514}, {Transport: "tcp", Port: 514}, {Transport: "tcp", Port: 601}} {
				l.Line, l.Driver = d.Line, d.Driver
				out = append(out, l)
			}
		}
	}
	return out
}

// transport returns the transport and port of a network driver, with the
// defaults syslog-ng applies when they are not written.
func transport(d Driver) (string, int) {
	tr := strings.ToLower(d.Value("transport"))
	switch d.Driver {
	case "udp", "udp6":
		tr = "udp"
	case "tcp", "tcp6":
		tr = "tcp"
	}
	if tr == "" {
		tr = "tcp"
	}
	port := 514
	if d.Driver == "syslog" && tr != "udp" {
		port = 601
		if tr == "tls" {
			port = 6514
		}
	}
	for _, name := range []string{"port", "localport", "destport"} {
		if v := d.Value(name); v != "" {
			if n, err := strconv.Atoi(v); err == nil && n > 0 && n < 65536 {
				port = n
			} else {
				port = 0
			}
			break
		}
	}
	return tr, port
}
