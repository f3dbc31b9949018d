package firewalld

import "strconv"

// Access is one way a zone lets in connections to a local port.
type Access struct {
	// Line is the line of the zone file that opens the port.
	Line int
	// From is the source a rich rule accepts; nil means every packet the
	// zone handles (those from its Sources, and those arriving on its
	// Interfaces, or on any interface for the default zone).
	From *Source
	// Family limits the access to ipv4 or ipv6; "" means both.
	Family string
	// Via says what opens the port: "target ACCEPT", "service ssh",
	// "port 8000-8100/tcp", "protocol udp" or "rule".
	Via string
}

// Reach returns the ways the zone accepts new connections to port number
// port of protocol proto ("tcp", "udp", "sctp", "dccp"): its target
// ACCEPT, the services and ports it opens, a protocol it accepts whole,
// and rich rules that accept such packets. services holds the service
// definitions by name (those of /usr/lib/firewalld/services overridden by
// /etc/firewalld/services); a service the zone names but services lacks
// is skipped, as is a port written as a name.
//
// Rich rules that reject or drop are not subtracted, and forwarded ports
// are not followed: the result says what the zone opens, not what a
// single packet meets first.
func (z *Zone) Reach(proto string, port int, services map[string]*Service) []Access {
	var out []Access
	if z.Target == TargetAccept {
		out = append(out, Access{Line: z.Line, Via: "target ACCEPT"})
	}
	for _, s := range z.Services {
		if services[s.Name].Opens(proto, port, services) {
			out = append(out, Access{Line: s.Line, Via: "service " + s.Name})
		}
	}
	for _, p := range z.Ports {
		if p.Contains(proto, port) {
			out = append(out, Access{Line: p.Line, Via: "port " + p.String()})
		}
	}
	for _, p := range z.Protocols {
		if p.Name == proto {
			out = append(out, Access{Line: p.Line, Via: "protocol " + p.Name})
		}
	}
	for _, r := range z.Rules {
		if r.Action != "accept" || !r.opens(proto, port, services) {
			continue
		}
		out = append(out, Access{Line: r.Line, From: r.Source, Family: r.Family, Via: "rule"})
	}
	return out
}

// opens reports whether the rule's element covers new connections to the
// port.
func (r Rule) opens(proto string, port int, services map[string]*Service) bool {
	switch r.Element {
	case "":
		return true
	case "service":
		return services[r.Service].Opens(proto, port, services)
	case "port":
		return r.Port != nil && r.Port.Contains(proto, port)
	case "protocol":
		return r.Service == proto
	}
	return false
}

// String describes the access for a report: "anyone in the zone (service
// ssh, line 12)" or "10.0.0.0/8 (rule, line 20)".
func (a Access) String() string {
	who := "anyone in the zone"
	if a.From != nil {
		who = a.From.String()
	}
	if a.Family != "" {
		who += " over " + a.Family
	}
	return who + " (" + a.Via + ", line " + strconv.Itoa(a.Line) + ")"
}
