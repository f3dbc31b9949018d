package firewalld

import (
	"io"
	"strconv"
	"strings"

	"bastion/internal/parse"
)

// The targets of a zone: what happens to a packet that reaches the end of
// the zone's rules.
const (
	// TargetDefault rejects what is not accepted, as %%REJECT%% does, but
	// lets ICMP through. It is the target of a zone that names none.
	TargetDefault = "default"
	// TargetAccept accepts every packet: the zone is open.
	TargetAccept = "ACCEPT"
	// TargetReject rejects with an ICMP error.
	TargetReject = "%%REJECT%%"
	// TargetDrop drops silently.
	TargetDrop = "DROP"
)

// Named is an element identified by one attribute: an <interface name>,
// <service name>, <icmp-block name> or <protocol value>.
type Named struct {
	// Line is the 1-based line of the element.
	Line int
	// Name is the attribute's value.
	Name string
}

// ForwardPort is a <forward-port>: a local port whose packets are sent to
// another port or address.
type ForwardPort struct {
	Port
	// ToPort is the port to forward to, or "" for the same port.
	ToPort string
	// ToAddr is the address to forward to, or "" for this host.
	ToAddr string
}

// Zone is a parsed zone file.
type Zone struct {
	// Name is the name the file was parsed under, used in error messages.
	Name string
	// Lines holds every line as read, without line endings.
	Lines []string
	// Line is the line of the <zone> element, 0 when there is none.
	Line int
	// Version is the version attribute, if any.
	Version string
	// Target is the target attribute as written, "" when not given.
	// "REJECT" is read as TargetReject, as firewalld does.
	Target string
	// Short and Description are the zone's descriptions.
	Short, Description string
	// Interfaces are the network interfaces bound to the zone.
	Interfaces []Named
	// Sources are the source addresses bound to the zone: packets from
	// them are handled by this zone whatever interface they come in on.
	Sources []Source
	// Services are the services the zone opens, by name.
	Services []Named
	// Ports are the ports the zone opens.
	Ports []Port
	// Protocols are the IP protocols the zone accepts whole ("gre").
	Protocols []Named
	// SourcePorts are the source ports the zone accepts packets from.
	SourcePorts []Port
	// ICMPBlocks are the ICMP types the zone blocks (or, with
	// ICMPBlockInversion, the only ones it lets through).
	ICMPBlocks []Named
	// ICMPBlockInversion reports <icmp-block-inversion/>.
	ICMPBlockInversion bool
	// Masquerade reports <masquerade/>.
	Masquerade bool
	// Forward reports <forward/>: forwarding between the zone's
	// interfaces and sources.
	Forward bool
	// ForwardPorts are the zone's port forwards.
	ForwardPorts []ForwardPort
	// Rules are the zone's rich rules in file order.
	Rules []Rule
}

// Rule is a rich rule, <rule>: a source and destination, one element (a
// service, port, protocol, ...), logging, and an action.
type Rule struct {
	// Line is the 1-based line of the <rule> element.
	Line int
	// Family is ipv4, ipv6, or "" for both.
	Family string
	// Priority orders the rule among the zone's rules; rules with a
	// negative priority come before the zone's services and ports, rules
	// with a positive one after them. 0 when not given.
	Priority int
	// Source and Destination limit the rule to addresses; nil when not
	// given (any address).
	Source, Destination *Source
	// Element names what the rule matches: "service", "port",
	// "protocol", "icmp-block", "icmp-type", "masquerade",
	// "forward-port", "source-port", "tcp-mss-clamp", or "" for every
	// packet from Source to Destination.
	Element string
	// Service is the service name of a "service" element; for
	// "protocol", "icmp-block" and "icmp-type" it is the protocol or
	// ICMP type.
	Service string
	// Port is the port of a "port", "source-port" or "forward-port"
	// element.
	Port *Port
	// ForwardPort is the "forward-port" element.
	ForwardPort *ForwardPort
	// Log reports a <log> or <nflog> element, Audit an <audit> element.
	Log, Audit bool
	// Action is accept, reject, drop, mark, or "" when the rule only
	// logs or audits.
	Action string
	// RejectType is the type attribute of <reject>, such as
	// "icmp-host-prohibited".
	RejectType string
	// Limit is the rate limit of the action, such as "1/m", or "".
	Limit string
}

// EffectiveTarget returns Target, or TargetDefault when it is not given.
func (z *Zone) EffectiveTarget() string {
	if z.Target == "" {
		return TargetDefault
	}
	return z.Target
}

// Bytes returns the file's text: its lines, each ended by a newline.
func (z *Zone) Bytes() []byte { return parse.JoinLines(z.Lines) }

// ParseZone reads a zone file. The root element must be <zone>. An element
// or attribute firewalld does not know, a missing or bad attribute (a port
// that is not a number, range or name, a protocol other than tcp, udp,
// sctp and dccp, an address that is not one, an unknown target) and a rich
// rule with more than one element or action are reported as
// "name:line: what is wrong", and the Zone then holds everything else. An
// XML syntax error ends the file: the elements started before it are
// returned with the error, although firewalld itself refuses to load such
// a zone. A file that cannot be read gives a nil Zone.
func ParseZone(r io.Reader, name string) (*Zone, error) {
	doc, err := readXML(r, name)
	if doc == nil {
		return nil, err
	}
	z := &Zone{Name: name, Lines: doc.lines}
	c := &checker{name: name}
	c.errs.Append(err)
	root := doc.root
	if root == nil {
		return z, c.errs.Err()
	}
	if root.name != "zone" {
		c.add(root.line, "root element is <%s>, want <zone>", root.name)
		return z, c.errs.Err()
	}
	z.Line = root.line
	c.attrs(root, "version", "target", "name", "ingress-priority", "egress-priority")
	z.Version, _ = root.attr("version")
	if t, ok := root.attr("target"); ok {
		switch t {
		case "REJECT":
			z.Target = TargetReject
		case TargetDefault, TargetAccept, TargetReject, TargetDrop:
			z.Target = t
		default:
			c.add(root.line, "unknown zone target %q", t)
		}
	}
	for _, n := range root.children {
		switch n.name {
		case "short":
			c.attrs(n)
			c.leaf(n)
			z.Short = strings.TrimSpace(n.text.String())
		case "description":
			c.attrs(n)
			c.leaf(n)
			z.Description = strings.TrimSpace(n.text.String())
		case "interface":
			if v, ok := c.named(n, "name"); ok {
				z.Interfaces = append(z.Interfaces, v)
			}
		case "source":
			if s, ok := c.source(n, false, true); ok {
				z.Sources = append(z.Sources, s)
			}
		case "service":
			if v, ok := c.named(n, "name"); ok {
				z.Services = append(z.Services, v)
			}
		case "port":
			if p, ok := c.port(n); ok {
				z.Ports = append(z.Ports, p)
			}
		case "source-port":
			if p, ok := c.port(n); ok {
				z.SourcePorts = append(z.SourcePorts, p)
			}
		case "protocol":
			if v, ok := c.named(n, "value"); ok {
				z.Protocols = append(z.Protocols, v)
			}
		case "icmp-block":
			if v, ok := c.named(n, "name"); ok {
				z.ICMPBlocks = append(z.ICMPBlocks, v)
			}
		case "icmp-block-inversion":
			c.attrs(n)
			c.leaf(n)
			z.ICMPBlockInversion = true
		case "masquerade":
			c.attrs(n)
			c.leaf(n)
			z.Masquerade = true
		case "forward":
			c.attrs(n)
			c.leaf(n)
			z.Forward = true
		case "forward-port":
			if fp, ok := c.forwardPort(n); ok {
				z.ForwardPorts = append(z.ForwardPorts, fp)
			}
		case "rule":
			if r, ok := c.rule(n); ok {
				z.Rules = append(z.Rules, r)
			}
		default:
			c.add(n.line, "unknown element <%s> in <zone>", n.name)
		}
	}
	return z, c.errs.Err()
}

// named reads an element identified by one attribute.
func (c *checker) named(n *node, attr string) (Named, bool) {
	c.attrs(n, attr)
	c.leaf(n)
	v, ok := c.need(n, attr)
	return Named{Line: n.line, Name: v}, ok
}

// port reads a <port> or <source-port>.
func (c *checker) port(n *node, extra ...string) (Port, bool) {
	c.attrs(n, append([]string{"port", "protocol"}, extra...)...)
	c.leaf(n)
	port, ok1 := c.need(n, "port")
	proto, ok2 := c.need(n, "protocol")
	if !ok1 || !ok2 {
		return Port{}, false
	}
	if msg := checkPort(port); msg != "" {
		c.add(n.line, "%s in <%s>", msg, n.name)
		return Port{}, false
	}
	if !protocols[proto] {
		c.add(n.line, "protocol %q in <%s> is not tcp, udp, sctp or dccp", proto, n.name)
		return Port{}, false
	}
	return Port{Line: n.line, Port: port, Protocol: proto}, true
}

// forwardPort reads a <forward-port>.
func (c *checker) forwardPort(n *node) (ForwardPort, bool) {
	p, ok := c.port(n, "to-port", "to-addr")
	if !ok {
		return ForwardPort{}, false
	}
	fp := ForwardPort{Port: p}
	fp.ToPort, _ = n.attr("to-port")
	fp.ToAddr, _ = n.attr("to-addr")
	if fp.ToPort != "" {
		if msg := checkPort(fp.ToPort); msg != "" {
			c.add(n.line, "%s in to-port of <forward-port>", msg)
			return ForwardPort{}, false
		}
	}
	if fp.ToAddr != "" {
		if _, ok := parsePrefix(fp.ToAddr); !ok || strings.Contains(fp.ToAddr, "/") {
			c.add(n.line, "bad to-addr %q in <forward-port>", fp.ToAddr)
			return ForwardPort{}, false
		}
	}
	return fp, true
}

// source reads a <source> or <destination>: exactly one of address, mac
// (sources only) and ipset, and in a rich rule an invert attribute.
func (c *checker) source(n *node, inRule, macAllowed bool) (Source, bool) {
	allowed := []string{"address", "ipset"}
	if macAllowed {
		allowed = append(allowed, "mac")
	}
	if inRule {
		allowed = append(allowed, "invert")
	}
	c.attrs(n, allowed...)
	c.leaf(n)
	s := Source{Line: n.line}
	set := 0
	if v, ok := n.attr("address"); ok {
		set++
		if _, good := parsePrefix(v); !good {
			c.add(n.line, "bad address %q in <%s>", v, n.name)
			return Source{}, false
		}
		s.Address = v
	}
	if v, ok := n.attr("mac"); ok && macAllowed {
		set++
		if !checkMAC(v) {
			c.add(n.line, "bad MAC address %q in <%s>", v, n.name)
			return Source{}, false
		}
		s.MAC = v
	}
	if v, ok := n.attr("ipset"); ok {
		set++
		if v == "" {
			c.add(n.line, "empty ipset in <%s>", n.name)
			return Source{}, false
		}
		s.IPSet = v
	}
	if set != 1 {
		c.add(n.line, "<%s> needs exactly one of address, mac and ipset", n.name)
		return Source{}, false
	}
	if v, ok := n.attr("invert"); ok && inRule {
		b, err := strconv.ParseBool(strings.ToLower(v))
		if err != nil {
			c.add(n.line, "bad invert %q in <%s>", v, n.name)
			return Source{}, false
		}
		s.Invert = b
	}
	return s, true
}

// ruleElements are the elements a rich rule may match on, one at most.
var ruleElements = map[string]bool{
	"service": true, "port": true, "protocol": true, "icmp-block": true,
	"icmp-type": true, "masquerade": true, "forward-port": true,
	"source-port": true, "tcp-mss-clamp": true,
}

// ruleActions are the actions a rich rule may take, one at most.
var ruleActions = map[string]bool{"accept": true, "reject": true, "drop": true, "mark": true}

// rule reads a <rule>. A rule with an error is dropped whole, since half a
// rule could say the opposite of the whole one.
func (c *checker) rule(n *node) (Rule, bool) {
	before := c.errs.Len()
	r := Rule{Line: n.line}
	c.attrs(n, "family", "priority")
	if v, ok := n.attr("family"); ok {
		if v != "ipv4" && v != "ipv6" {
			c.add(n.line, "rule family %q is not ipv4 or ipv6", v)
		}
		r.Family = v
	}
	if v, ok := n.attr("priority"); ok {
		p, err := strconv.Atoi(v)
		if err != nil || p < -32768 || p > 32767 {
			c.add(n.line, "bad rule priority %q", v)
		}
		r.Priority = p
	}
	for _, ch := range n.children {
		switch {
		case ch.name == "source" || ch.name == "destination":
			if (ch.name == "source" && r.Source != nil) || (ch.name == "destination" && r.Destination != nil) {
				c.add(ch.line, "second <%s> in a rule", ch.name)
				continue
			}
			s, ok := c.source(ch, true, ch.name == "source")
			if !ok {
				continue
			}
			if ch.name == "source" {
				r.Source = &s
			} else {
				r.Destination = &s
			}
		case ruleElements[ch.name]:
			if r.Element != "" {
				c.add(ch.line, "second element <%s> in a rule that has <%s>", ch.name, r.Element)
				continue
			}
			r.Element = ch.name
			c.ruleElement(ch, &r)
		case ch.name == "log" || ch.name == "nflog":
			c.attrs(ch, "prefix", "level", "group", "queue-size")
			r.Log = true
			c.limitOnly(ch)
		case ch.name == "audit":
			c.attrs(ch)
			r.Audit = true
			c.limitOnly(ch)
		case ruleActions[ch.name]:
			if r.Action != "" {
				c.add(ch.line, "second action <%s> in a rule that has <%s>", ch.name, r.Action)
				continue
			}
			r.Action = ch.name
			switch ch.name {
			case "reject":
				c.attrs(ch, "type")
				r.RejectType, _ = ch.attr("type")
			case "mark":
				c.attrs(ch, "set")
				c.need(ch, "set")
			default:
				c.attrs(ch)
			}
			r.Limit = c.limitOnly(ch)
		default:
			c.add(ch.line, "unknown element <%s> in <rule>", ch.name)
		}
	}
	// firewalld refuses a rule with an address and no family.
	if r.Family == "" {
		for _, s := range []*Source{r.Source, r.Destination} {
			if s != nil && s.Address != "" {
				c.add(n.line, "rule with address %s needs a family", s.Address)
				break
			}
		}
	}
	return r, c.errs.Len() == before
}

// ruleElement reads the element of a rich rule into r.
func (c *checker) ruleElement(n *node, r *Rule) {
	switch n.name {
	case "service", "icmp-block", "icmp-type":
		if v, ok := c.named(n, "name"); ok {
			r.Service = v.Name
		}
	case "protocol":
		if v, ok := c.named(n, "value"); ok {
			r.Service = v.Name
		}
	case "port", "source-port":
		if p, ok := c.port(n); ok {
			r.Port = &p
		}
	case "forward-port":
		if fp, ok := c.forwardPort(n); ok {
			r.ForwardPort = &fp
			r.Port = &fp.Port
		}
	case "masquerade":
		c.attrs(n)
		c.leaf(n)
	case "tcp-mss-clamp":
		c.attrs(n, "value")
		c.leaf(n)
	}
}

// limitOnly checks that n holds at most one <limit value="..."/> and
// returns its value.
func (c *checker) limitOnly(n *node) string {
	limit := ""
	for _, ch := range n.children {
		if ch.name != "limit" {
			c.add(ch.line, "unexpected <%s> inside <%s>", ch.name, n.name)
			continue
		}
		c.attrs(ch, "value", "burst")
		c.leaf(ch)
		if v, ok := c.need(ch, "value"); ok {
			limit = v
		}
	}
	return limit
}
