// Package lsfilt reads the output of the AIX lsfilt command, captured to a
// file: the filter rules of AIX IP Security, the packet filter of AIX.
//
// lsfilt -v 4 (and -v 6, or no -v for both) prints each rule as a block of
// "name : value" lines under a "Rule N:" line, inside a section per IP
// version:
//
//	Beginning of IPv4 filter rules.
//	Rule 2:
//	Rule action         : permit
//	Source Address      : 10.0.0.0
//	Source Mask         : 255.0.0.0
//	...
//	Protocol            : tcp
//	Source Port         : any 0
//	Destination Port    : eq  22
//	Direction           : inbound
//	...
//	Rule 0:
//	Rule action         : deny
//	...
//	Description         : Default Rule
//	End of IPv4 filter rules.
//
// ICMP rules print "ICMP type" and "ICMP code" in place of the ports. The
// place of the rules IKE tunnels add while running is printed as a rule
// holding only "*** Dynamic filter placement rule for IKE tunnels ***".
//
// lsfilt -v 4 -O prints the same rules one a line, fields separated by '|':
//
//	2|permit|10.0.0.0|255.0.0.0|0.0.0.0|0.0.0.0|yes|tcp|any|0|eq|22|both|inbound|no|all packets|0|all|0|||ssh from the LAN
//
// The rules are applied in the order printed: the first rule that matches a
// packet decides, and rule 0, printed last, is the default rule that
// matches every packet no other rule matched. Parse reads both forms, and
// a file may mix them.
package lsfilt

import (
	"fmt"
	"io"
	"net/netip"
	"strconv"
	"strings"

	"bastion/internal/parse"
)

// The actions lsfilt prints for plain filter rules. Stateful rules (IF,
// ELSE, ENDIF) and shun rules print other words, kept as written.
const (
	ActionPermit = "permit"
	ActionDeny   = "deny"
)

// The directions of a rule.
const (
	DirInbound  = "inbound"
	DirOutbound = "outbound"
	DirBoth     = "both"
)

// Port is a port (or, for ICMP, type or code) condition: an operation and
// a value.
type Port struct {
	// Op is any, eq, neq, lt, gt, le or ge.
	Op string
	// Value is the number compared with; 0 for any.
	Value int
}

// ops are the operations a Port may have.
var ops = map[string]bool{"any": true, "eq": true, "neq": true, "lt": true, "gt": true, "le": true, "ge": true}

// Match reports whether port number n meets the condition.
func (p Port) Match(n int) bool {
	switch p.Op {
	case "any":
		return true
	case "eq":
		return n == p.Value
	case "neq":
		return n != p.Value
	case "lt":
		return n < p.Value
	case "gt":
		return n > p.Value
	case "le":
		return n <= p.Value
	case "ge":
		return n >= p.Value
	}
	return false
}

// String returns "any" or the operation and value, "eq 22".
func (p Port) String() string {
	if p.Op == "any" {
		return "any"
	}
	return p.Op + " " + strconv.Itoa(p.Value)
}

// Net is an address and mask of a rule. A packet's address matches when it
// equals Addr in every bit set in Mask, so a zero Mask matches every
// address.
type Net struct {
	// Addr is the address as printed.
	Addr netip.Addr
	// Mask is the mask: as printed for IPv4 (a dotted mask, which need
	// not be contiguous), built from the prefix length for IPv6.
	Mask netip.Addr
}

// Any reports a zero mask: every address matches.
func (n Net) Any() bool {
	if !n.Mask.IsValid() {
		return false
	}
	for _, b := range n.Mask.AsSlice() {
		if b != 0 {
			return false
		}
	}
	return true
}

// Bits returns the prefix length of the mask, or -1 when its bits are not
// contiguous.
func (n Net) Bits() int {
	bits, ok := 0, true
	for _, b := range n.Mask.AsSlice() {
		for i := 7; i >= 0; i-- {
			set := b&(1<<i) != 0
			switch {
			case set && !ok:
				return -1
			case set:
				bits++
			default:
				ok = false
			}
		}
	}
	return bits
}

// Contains reports whether addr matches the address and mask. An address
// of the other IP version never matches.
func (n Net) Contains(addr netip.Addr) bool {
	addr = addr.Unmap()
	if !n.Addr.IsValid() || addr.BitLen() != n.Addr.BitLen() {
		return false
	}
	a, r, m := addr.AsSlice(), n.Addr.AsSlice(), n.Mask.AsSlice()
	for i := range a {
		if a[i]&m[i] != r[i]&m[i] {
			return false
		}
	}
	return true
}

// String returns "any" for a zero mask, the address alone for a full
// mask, "10.0.0.0/8" for a contiguous mask and "10.0.0.0/255.0.255.0"
// otherwise.
func (n Net) String() string {
	switch bits := n.Bits(); {
	case n.Any():
		return "any"
	case bits == n.Addr.BitLen():
		return n.Addr.String()
	case bits >= 0:
		return n.Addr.String() + "/" + strconv.Itoa(bits)
	}
	return n.Addr.String() + "/" + n.Mask.String()
}

// Attr is a "name : value" line of a rule that Rule has no field for.
type Attr struct {
	Line       int
	Key, Value string
}

// Rule is one filter rule.
type Rule struct {
	// Line is the 1-based line of the "Rule N:" line, or of the -O line.
	Line int
	// Version is 4 or 6: from the section the rule is in, or else from
	// its addresses. 0 for a dynamic placeholder outside any section.
	Version int
	// Number is the rule's ID; 0 is the default rule.
	Number int
	// Dynamic marks the placeholder where IKE tunnels insert their rules.
	// Such a rule has only Line, Version, Number and Log.
	Dynamic bool
	// Action is permit or deny, or another action word as printed.
	Action string
	// Source and Destination are the addresses and masks the rule
	// matches.
	Source, Destination Net
	// SourceRouting reports that the rule also applies to source-routed
	// packets.
	SourceRouting bool
	// Protocol is all, tcp, udp, icmp, icmpv6, tcp/ack, ospf, ipip, esp,
	// ah, or a protocol number, as printed.
	Protocol string
	// SourcePort and DestPort are the port conditions; for ICMP they are
	// the ICMP type and code conditions.
	SourcePort, DestPort Port
	// Scope is both, local (traffic of this host) or route (forwarded
	// traffic); "" when not printed.
	Scope string
	// Direction is inbound, outbound or both.
	Direction string
	// Log reports that matching packets are logged.
	Log bool
	// Fragment is the fragmentation control as printed, such as
	// "all packets".
	Fragment string
	// Tunnel is the ID of the tunnel the packets must come through, or 0.
	Tunnel int
	// Interface is the interface the rule applies to, or "all".
	Interface string
	// AutoGenerated reports a rule lsfilt marks "Auto-Generated : yes"
	// (the -O form does not print it).
	AutoGenerated bool
	// Expiration is the expiration time in seconds; 0 for none.
	Expiration int
	// PatternType and Pattern are the pattern the packet contents must
	// hold, as printed; empty for none.
	PatternType, Pattern string
	// Description is the rule's description.
	Description string
	// Other holds the lines of the rule this package does not know.
	Other []Attr
}

// IsDefault reports the default rule, rule 0: what happens to a packet no
// other rule matches.
func (r Rule) IsDefault() bool { return r.Number == 0 && !r.Dynamic }

// File is a parsed lsfilt output.
type File struct {
	// Name is the name the file was parsed under, used in error messages.
	Name string
	// Lines holds every line as read, without line endings.
	Lines []string
	// Rules holds the rules in the order printed, which is the order
	// they are applied in.
	Rules []Rule
}

// Bytes returns the file's text: its lines, each ended by a newline.
func (f *File) Bytes() []byte { return parse.JoinLines(f.Lines) }

// Default returns the default rule of IP version version (4 or 6; 0 for
// any).
func (f *File) Default(version int) (Rule, bool) {
	for _, r := range f.Rules {
		if r.IsDefault() && (version == 0 || r.Version == version) {
			return r, true
		}
	}
	return Rule{}, false
}

// The keys of the "name : value" form, lower-cased, and what they set.
const (
	kAction = iota
	kSrcAddr
	kSrcMask
	kDstAddr
	kDstMask
	kSrcRouting
	kProtocol
	kSrcPort
	kDstPort
	kScope
	kDirection
	kLog
	kFragment
	kTunnel
	kInterface
	kAuto
	kExpiration
	kPatternType
	kPattern
	kDescription
	nKeys
)

var keys = map[string]int{
	"rule action":         kAction,
	"source address":      kSrcAddr,
	"source mask":         kSrcMask,
	"destination address": kDstAddr,
	"destination mask":    kDstMask,
	"source routing":      kSrcRouting,
	"protocol":            kProtocol,
	"source port":         kSrcPort,
	"icmp type":           kSrcPort,
	"destination port":    kDstPort,
	"icmp code":           kDstPort,
	"scope":               kScope,
	"direction":           kDirection,
	"logging control":     kLog,
	"fragment control":    kFragment,
	"tunnel id number":    kTunnel,
	"interface":           kInterface,
	"auto-generated":      kAuto,
	"expiration time":     kExpiration,
	"pattern type":        kPatternType,
	"pattern":             kPattern,
	"description":         kDescription,
}

// required are the keys a rule must have; the others default to what
// lsfilt would print for a rule made without them.
var required = []struct {
	key  int
	name string
}{
	{kAction, "Rule action"},
	{kSrcAddr, "Source Address"},
	{kSrcMask, "Source Mask"},
	{kDstAddr, "Destination Address"},
	{kDstMask, "Destination Mask"},
	{kProtocol, "Protocol"},
	{kSrcPort, "Source Port"},
	{kDstPort, "Destination Port"},
	{kDirection, "Direction"},
}

// dynamicMarker is the text of the IKE placeholder rule, without its stars.
const dynamicMarker = "dynamic filter placement rule for ike tunnels"

// pending is a rule of the "name : value" form being read.
type pending struct {
	rule   Rule
	values [nKeys]string
	lines  [nKeys]int
	bad    bool
}

// parser holds the state of one Parse.
type parser struct {
	name    string
	f       *File
	errs    parse.Errors
	version int      // IP version of the current section, or 0
	cur     *pending // the rule being read, or nil
}

// Parse reads lsfilt output in either form. Every problem is reported as
// "name:line: what is wrong": a line that is neither a section line, a
// "Rule N:" line, a "name : value" line of a rule nor a '|'-separated rule,
// a rule that lacks one of its essential lines (action, addresses, masks,
// protocol, ports, direction), a line given twice in a rule, and a value
// that is not what lsfilt prints (an address, mask, port operation,
// direction, scope, yes or no, or number). A rule with any such problem is
// left out; the File holds every other one. A file that cannot be read
// gives a nil File.
func Parse(r io.Reader, name string) (*File, error) {
	lines, err := parse.ReadLines(r, name)
	if err != nil {
		return nil, err
	}
	p := &parser{name: name, f: &File{Name: name, Lines: lines}}
	for i, l := range lines {
		p.line(i+1, strings.Trim(l, " \t"))
	}
	p.finish()
	return p.f, p.errs.Err()
}

// line reads one line of the file.
func (p *parser) line(n int, t string) {
	lower := strings.ToLower(t)
	switch {
	case t == "":
		return
	case strings.HasPrefix(lower, "beginning of ipv4 filter rules"),
		strings.HasPrefix(lower, "beginning of ipv6 filter rules"),
		strings.HasPrefix(lower, "end of ipv4 filter rules"),
		strings.HasPrefix(lower, "end of ipv6 filter rules"):
		p.finish()
		p.version = 0
		if strings.HasPrefix(lower, "beginning") {
			p.version = int(lower[len("beginning of ipv")] - '0')
		}
		return
	case isRuleLine(lower):
		p.finish()
		num, _ := number(strings.TrimSpace(t[len("rule ") : len(t)-1]))
		p.cur = &pending{rule: Rule{Line: n, Version: p.version, Number: num}}
		return
	case strings.HasPrefix(t, "***"):
		if strings.Trim(lower, "* ") != dynamicMarker {
			p.errs.Add(p.name, n, "unexpected line %q", clip(t))
			return
		}
		if p.cur == nil {
			p.errs.Add(p.name, n, "dynamic filter placement line outside a rule")
			return
		}
		p.cur.rule.Dynamic = true
		return
	case isPacked(t):
		p.finish()
		p.packed(n, t)
		return
	}
	key, value, ok := strings.Cut(t, ":")
	if !ok {
		p.errs.Add(p.name, n, "unexpected line %q", clip(t))
		return
	}
	key = strings.TrimSpace(key)
	value = strings.TrimSpace(value)
	if p.cur == nil {
		p.errs.Add(p.name, n, "%q outside a rule", clip(key))
		return
	}
	k, known := keys[strings.ToLower(key)]
	if !known {
		p.cur.rule.Other = append(p.cur.rule.Other, Attr{Line: n, Key: key, Value: value})
		return
	}
	if p.cur.lines[k] != 0 {
		p.errs.Add(p.name, n, "second %q line in rule %d", key, p.cur.rule.Number)
		p.cur.bad = true
		return
	}
	p.cur.values[k], p.cur.lines[k] = value, n
}

// isRuleLine reports a "Rule N:" line, given in lower case.
func isRuleLine(lower string) bool {
	rest, ok := strings.CutPrefix(lower, "rule ")
	if !ok || !strings.HasSuffix(rest, ":") {
		return false
	}
	_, ok = number(strings.TrimSpace(strings.TrimSuffix(rest, ":")))
	return ok
}

// isPacked reports a line of the -O form: a rule number followed by '|'.
func isPacked(t string) bool {
	num, _, ok := strings.Cut(t, "|")
	_, isNum := number(strings.TrimSpace(num))
	return ok && isNum
}

// finish checks the rule being read and adds it to the file.
func (p *parser) finish() {
	c := p.cur
	p.cur = nil
	if c == nil || c.bad {
		return
	}
	r := c.rule
	if r.Dynamic {
		if c.lines[kLog] != 0 {
			v := &values{p: p, bad: false}
			r.Log = v.yesNo(c.values[kLog], c.lines[kLog], "Logging control")
			if v.bad {
				return
			}
		}
		p.f.Rules = append(p.f.Rules, r)
		return
	}
	var missing []string
	for _, req := range required {
		if c.lines[req.key] == 0 {
			missing = append(missing, req.name)
		}
	}
	if len(missing) > 0 {
		p.errs.Add(p.name, r.Line, "rule %d lacks %s", r.Number, strings.Join(missing, ", "))
		return
	}
	v := &values{p: p}
	at := func(k int) (string, int) { return c.values[k], c.lines[k] }
	r.Action = v.word(c.values[kAction], c.lines[kAction], "rule action")
	r.Source = v.net(at(kSrcAddr))(at(kSrcMask))
	r.Destination = v.net(at(kDstAddr))(at(kDstMask))
	r.Protocol = v.word(c.values[kProtocol], c.lines[kProtocol], "protocol")
	r.SourcePort = v.port(at(kSrcPort))
	r.DestPort = v.port(at(kDstPort))
	r.Direction = v.direction(at(kDirection))
	if c.lines[kSrcRouting] != 0 {
		r.SourceRouting = v.yesNo(c.values[kSrcRouting], c.lines[kSrcRouting], "source routing")
	}
	if c.lines[kScope] != 0 {
		r.Scope = v.scope(at(kScope))
	}
	if c.lines[kLog] != 0 {
		r.Log = v.yesNo(c.values[kLog], c.lines[kLog], "logging control")
	}
	r.Fragment = c.values[kFragment]
	if c.lines[kTunnel] != 0 {
		r.Tunnel = v.count(c.values[kTunnel], c.lines[kTunnel], "tunnel ID")
	}
	r.Interface = "all"
	if c.lines[kInterface] != 0 {
		r.Interface = v.word(c.values[kInterface], c.lines[kInterface], "interface")
	}
	if c.lines[kAuto] != 0 {
		r.AutoGenerated = v.yesNo(c.values[kAuto], c.lines[kAuto], "auto-generated")
	}
	if c.lines[kExpiration] != 0 {
		r.Expiration = v.count(c.values[kExpiration], c.lines[kExpiration], "expiration time")
	}
	r.PatternType = c.values[kPatternType]
	r.Pattern = c.values[kPattern]
	r.Description = c.values[kDescription]
	p.add(r, v.bad, r.Line)
}

// add appends a rule read without errors, taking its version from its
// addresses when no section gave one, and checking that its addresses are
// of that version.
func (p *parser) add(r Rule, bad bool, line int) {
	if bad {
		return
	}
	v := 4
	if r.Source.Addr.Is6() {
		v = 6
	}
	if r.Destination.Addr.BitLen() != r.Source.Addr.BitLen() {
		p.errs.Add(p.name, line, "rule %d mixes IPv4 and IPv6 addresses", r.Number)
		return
	}
	if r.Version == 0 {
		r.Version = v
	} else if r.Version != v {
		p.errs.Add(p.name, line, "rule %d has IPv%d addresses in the IPv%d rules", r.Number, v, r.Version)
		return
	}
	p.f.Rules = append(p.f.Rules, r)
}

// packed reads a rule of the -O form.
func (p *parser) packed(n int, t string) {
	f := strings.Split(t, "|")
	num, _ := number(strings.TrimSpace(f[0])) // isPacked checked it
	if len(f) >= 2 && strings.Trim(strings.ToLower(f[1]), "* ") == dynamicMarker {
		r := Rule{Line: n, Version: p.version, Number: num, Dynamic: true}
		v := &values{p: p}
		if len(f) >= 3 {
			r.Log = v.yesNo(f[2], n, "logging control")
		}
		if !v.bad {
			p.f.Rules = append(p.f.Rules, r)
		}
		return
	}
	const fields = 22
	if len(f) < fields {
		p.errs.Add(p.name, n, "rule %d has %d fields, want %d", num, len(f), fields)
		return
	}
	v := &values{p: p}
	r := Rule{Line: n, Version: p.version, Number: num}
	r.Action = v.word(f[1], n, "rule action")
	r.Source = v.net(f[2], n)(f[3], n)
	r.Destination = v.net(f[4], n)(f[5], n)
	r.SourceRouting = v.yesNo(f[6], n, "source routing")
	r.Protocol = v.word(f[7], n, "protocol")
	r.SourcePort = v.port(f[8]+" "+f[9], n)
	r.DestPort = v.port(f[10]+" "+f[11], n)
	r.Scope = v.scope(f[12], n)
	r.Direction = v.direction(f[13], n)
	r.Log = v.yesNo(f[14], n, "logging control")
	r.Fragment = strings.TrimSpace(f[15])
	r.Tunnel = v.count(f[16], n, "tunnel ID")
	r.Interface = v.word(f[17], n, "interface")
	r.Expiration = v.count(f[18], n, "expiration time")
	r.PatternType = strings.TrimSpace(f[19])
	r.Pattern = f[20]
	// The description is last and may itself hold '|'.
	r.Description = strings.TrimSpace(strings.Join(f[21:], "|"))
	p.add(r, v.bad, n)
}

// values checks the values of one rule, reporting each bad one.
type values struct {
	p   *parser
	bad bool
}

func (v *values) fail(line int, format string, args ...any) {
	v.p.errs.Add(v.p.name, line, format, args...)
	v.bad = true
}

// word returns s trimmed, which must be one non-empty word.
func (v *values) word(s string, line int, what string) string {
	s = strings.TrimSpace(s)
	if s == "" || strings.ContainsAny(s, " \t") {
		v.fail(line, "bad %s %q", what, clip(s))
		return ""
	}
	return s
}

func (v *values) yesNo(s string, line int, what string) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "yes":
		return true
	case "no":
		return false
	}
	v.fail(line, "%s %q is not yes or no", what, clip(s))
	return false
}

func (v *values) count(s string, line int, what string) int {
	n, ok := number(strings.TrimSpace(s))
	if !ok {
		v.fail(line, "bad %s %q", what, clip(s))
	}
	return n
}

func (v *values) direction(s string, line int) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if s != DirInbound && s != DirOutbound && s != DirBoth {
		v.fail(line, "direction %q is not inbound, outbound or both", clip(s))
	}
	return s
}

func (v *values) scope(s string, line int) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if s != "both" && s != "local" && s != "route" {
		v.fail(line, "scope %q is not both, local or route", clip(s))
	}
	return s
}

// port reads "eq  22" or "any 0".
func (v *values) port(s string, line int) Port {
	f := parse.Fields(s)
	if len(f) != 2 || !ops[strings.ToLower(f[0])] {
		v.fail(line, "bad port condition %q", clip(strings.TrimSpace(s)))
		return Port{}
	}
	n, ok := number(f[1])
	if !ok || n > 65535 {
		v.fail(line, "bad port %q", clip(f[1]))
		return Port{}
	}
	return Port{Op: strings.ToLower(f[0]), Value: n}
}

// net reads an address, then (through the function it returns) its mask.
func (v *values) net(addr string, addrLine int) func(mask string, maskLine int) Net {
	a, err := netip.ParseAddr(strings.TrimSpace(addr))
	if err != nil || a.Zone() != "" {
		v.fail(addrLine, "bad address %q", clip(strings.TrimSpace(addr)))
	}
	return func(mask string, maskLine int) Net {
		if !a.IsValid() {
			return Net{}
		}
		m, ok := parseMask(strings.TrimSpace(mask), a.BitLen())
		if !ok {
			v.fail(maskLine, "bad mask %q for %s", clip(strings.TrimSpace(mask)), a)
			return Net{}
		}
		return Net{Addr: a, Mask: m}
	}
}

// parseMask reads a dotted IPv4 mask, or a prefix length, for an address
// of bits bits.
func parseMask(s string, bits int) (netip.Addr, bool) {
	if n, ok := number(s); ok {
		if n > bits {
			return netip.Addr{}, false
		}
		p := netip.PrefixFrom(zero(bits), n)
		return maskOf(p), true
	}
	m, err := netip.ParseAddr(s)
	if err != nil || m.BitLen() != bits || bits != 32 {
		return netip.Addr{}, false
	}
	return m, true
}

// zero returns the zero address of bits bits.
func zero(bits int) netip.Addr {
	if bits == 32 {
		return netip.IPv4Unspecified()
	}
	return netip.IPv6Unspecified()
}

// maskOf returns the mask of a prefix as an address.
func maskOf(p netip.Prefix) netip.Addr {
	b := make([]byte, p.Addr().BitLen()/8)
	for i := 0; i < p.Bits(); i++ {
		b[i/8] |= 0x80 >> (i % 8)
	}
	a, _ := netip.AddrFromSlice(b)
	return a
}

// number reads a non-negative decimal number of at most nine digits.
func number(s string) (int, bool) {
	if s == "" || len(s) > 9 {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, true
}

// clip shortens s for an error message.
func clip(s string) string {
	const max = 60
	if len(s) <= max {
		return s
	}
	return s[:max] + "..."
}

// String returns the rule in a line, for reports: "rule 2: permit tcp
// from 10.0.0.0/8 to any dst port eq 22 inbound".
func (r Rule) String() string {
	if r.Dynamic {
		return fmt.Sprintf("rule %d: placement of dynamic IKE tunnel rules", r.Number)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "rule %d: %s %s from %s to %s", r.Number, r.Action, r.Protocol, r.Source, r.Destination)
	if r.SourcePort.Op != "any" {
		fmt.Fprintf(&b, " src port %s", r.SourcePort)
	}
	if r.DestPort.Op != "any" {
		fmt.Fprintf(&b, " dst port %s", r.DestPort)
	}
	b.WriteString(" " + r.Direction)
	if r.Interface != "" && r.Interface != "all" {
		b.WriteString(" on " + r.Interface)
	}
	if r.Tunnel != 0 {
		fmt.Fprintf(&b, " through tunnel %d", r.Tunnel)
	}
	return b.String()
}
