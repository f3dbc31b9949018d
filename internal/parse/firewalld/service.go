package firewalld

import (
	"io"
	"strings"

	"bastion/internal/parse"
)

// Service is a parsed service file: what a service name in a zone opens.
type Service struct {
	// Name is the name the file was parsed under, used in error messages.
	Name string
	// Lines holds every line as read, without line endings.
	Lines []string
	// Line is the line of the <service> element, 0 when there is none.
	Line int
	// Version is the version attribute, if any.
	Version string
	// Short and Description are the service's descriptions.
	Short, Description string
	// Ports are the ports the service opens.
	Ports []Port
	// Protocols are IP protocols the service accepts whole.
	Protocols []Named
	// SourcePorts are source ports the service accepts packets from.
	SourcePorts []Port
	// Helpers are the connection-tracking helpers the service loads,
	// from <helper name> or the older <module name>.
	Helpers []Named
	// IPv4 and IPv6 are the destination addresses of <destination>: when
	// set, the service opens its ports only to packets for them.
	IPv4, IPv6 string
	// Includes are the other services this one includes, whose ports it
	// opens too.
	Includes []Named
}

// Bytes returns the file's text: its lines, each ended by a newline.
func (s *Service) Bytes() []byte { return parse.JoinLines(s.Lines) }

// ParseService reads a service file. The root element must be <service>.
// Unknown elements and attributes and bad ports are reported as
// "name:line: what is wrong", and the Service then holds everything else;
// an XML syntax error ends the file. A file that cannot be read gives a
// nil Service.
func ParseService(r io.Reader, name string) (*Service, error) {
	doc, err := readXML(r, name)
	if doc == nil {
		return nil, err
	}
	s := &Service{Name: name, Lines: doc.lines}
	c := &checker{name: name}
	c.errs.Append(err)
	root := doc.root
	if root == nil {
		return s, c.errs.Err()
	}
	if root.name != "service" {
		c.add(root.line, "root element is <%s>, want <service>", root.name)
		return s, c.errs.Err()
	}
	s.Line = root.line
	c.attrs(root, "version", "name")
	s.Version, _ = root.attr("version")
	for _, n := range root.children {
		switch n.name {
		case "short":
			c.attrs(n)
			c.leaf(n)
			s.Short = strings.TrimSpace(n.text.String())
		case "description":
			c.attrs(n)
			c.leaf(n)
			s.Description = strings.TrimSpace(n.text.String())
		case "port":
			// Old service files name a whole protocol as a port
			// with no number: <port protocol="gre" port=""/>.
			if port, _ := n.attr("port"); port == "" {
				if proto, _ := n.attr("protocol"); proto != "" && !protocols[proto] {
					c.attrs(n, "port", "protocol")
					c.leaf(n)
					s.Protocols = append(s.Protocols, Named{Line: n.line, Name: proto})
					continue
				}
			}
			if p, ok := c.port(n); ok {
				s.Ports = append(s.Ports, p)
			}
		case "source-port":
			if p, ok := c.port(n); ok {
				s.SourcePorts = append(s.SourcePorts, p)
			}
		case "protocol":
			if v, ok := c.named(n, "value"); ok {
				s.Protocols = append(s.Protocols, v)
			}
		case "module", "helper":
			if v, ok := c.named(n, "name"); ok {
				s.Helpers = append(s.Helpers, v)
			}
		case "include":
			if v, ok := c.named(n, "service"); ok {
				s.Includes = append(s.Includes, v)
			}
		case "destination":
			c.attrs(n, "ipv4", "ipv6")
			c.leaf(n)
			s.IPv4, _ = n.attr("ipv4")
			s.IPv6, _ = n.attr("ipv6")
			for _, a := range []string{s.IPv4, s.IPv6} {
				if _, ok := parsePrefix(a); a != "" && !ok {
					c.add(n.line, "bad address %q in <destination>", a)
				}
			}
			if s.IPv4 == "" && s.IPv6 == "" {
				c.add(n.line, "<destination> without ipv4 or ipv6")
			}
		default:
			c.add(n.line, "unknown element <%s> in <service>", n.name)
		}
	}
	return s, c.errs.Err()
}

// Opens reports whether the service, or a service it includes, opens port
// number port of protocol proto ("tcp", "udp", ...), either through a port
// or by accepting the whole protocol. services holds the other definitions
// by name, for includes; an include that is not there is skipped.
func (s *Service) Opens(proto string, port int, services map[string]*Service) bool {
	return s.opens(proto, port, services, map[*Service]bool{})
}

func (s *Service) opens(proto string, port int, services map[string]*Service, seen map[*Service]bool) bool {
	if s == nil || seen[s] {
		return false
	}
	seen[s] = true
	for _, p := range s.Ports {
		if p.Contains(proto, port) {
			return true
		}
	}
	for _, p := range s.Protocols {
		if p.Name == proto {
			return true
		}
	}
	for _, inc := range s.Includes {
		if services[inc.Name].opens(proto, port, services, seen) {
			return true
		}
	}
	return false
}
