package snmpconf

import (
	"fmt"
	"io"
	"net/netip"
	"strconv"
	"strings"

	"bastion/internal/parse"
	"bastion/internal/secret"
)

// V1File is a parsed /etc/snmpd.conf of the AIX SNMPv1 agent (snmpdv1).
type V1File struct {
	// Name is the name the file was parsed under, used in error messages.
	Name string
	// Lines holds every physical line as read, without line endings.
	Lines []string
	// Entries holds every entry in file order, whatever its keyword.
	Entries []Entry
	// Communities holds the community entries.
	Communities []V1Community
	// Views holds the view entries.
	Views []View
	// Traps holds the trap entries.
	Traps []Trap
	// Smux holds the smux entries.
	Smux []Smux
}

// The permissions of an SNMPv1 community, as V1Community.Access holds them.
const (
	ReadOnly  = "readOnly"
	WriteOnly = "writeOnly"
	ReadWrite = "readWrite"
	NoAccess  = "none"
)

// V1Community is a "community" entry of the AIX SNMPv1 agent:
// "community name [address [netmask [permissions [view]]]]".
type V1Community struct {
	// Line is the 1-based line number of the entry.
	Line int
	// Name is the community name, a secret.
	Name string
	// Address is the host or network the community may be used from:
	// 0.0.0.0 (with netmask 0.0.0.0, any host) when not written.
	Address string
	// Mask is the netmask applied to Address: when not written, 0.0.0.0
	// for the address 0.0.0.0 and 255.255.255.255 (one host) for any
	// other IPv4 address or host name, as IBM documents; for an IPv6
	// address the agent takes a prefix length, and 128 is assumed.
	Mask string
	// Access is ReadOnly, WriteOnly, ReadWrite or NoAccess, whatever the
	// case it is written in; ReadOnly when not written.
	Access string
	// View is the MIB view the community may see; empty when not written,
	// which means the whole MIB (iso.3).
	View string
}

// Writable reports a community that may set values (readWrite or
// writeOnly).
func (c V1Community) Writable() bool { return c.Access == ReadWrite || c.Access == WriteOnly }

// AnyHost reports a community usable from every address: a netmask of
// 0.0.0.0 (or an IPv6 prefix length of 0).
func (c V1Community) AnyHost() bool { return c.Mask == "0.0.0.0" || c.Mask == "0" }

// String describes the community, its name redacted.
func (c V1Community) String() string {
	return fmt.Sprintf("line %d: community %s address %s mask %s %s view %s",
		c.Line, secret.Redact(c.Name), c.Address, c.Mask, c.Access, orDash(c.View))
}

// GoString returns the community in Go syntax, its name redacted.
func (c V1Community) GoString() string {
	return fmt.Sprintf("snmpconf.V1Community{Line:%d, Name:%q, Address:%q, Mask:%q, Access:%q, View:%q}",
		c.Line, secret.Redact(c.Name), c.Address, c.Mask, c.Access, c.View)
}

// View is a "view" entry of the AIX SNMPv1 agent: the MIB subtrees a view
// name stands for.
type View struct {
	// Line is the 1-based line number of the entry.
	Line int
	// Name is the view name (an object identifier such as 1.17.2).
	Name string
	// Subtrees holds the MIB subtrees of the view.
	Subtrees []string
}

// Trap is a "trap" entry of the AIX SNMPv1 agent: a host sent traps with
// a community: "trap community address [view [trapmask]]".
type Trap struct {
	// Line is the 1-based line number of the entry.
	Line int
	// Community is the community the traps carry, a secret.
	Community string
	// Address is the host traps are sent to.
	Address string
	// View and Mask are the view and trap mask; empty when not written.
	View string
	Mask string
}

// String describes the trap destination, its community redacted.
func (t Trap) String() string {
	return fmt.Sprintf("line %d: trap %s to %s view %s mask %s",
		t.Line, secret.Redact(t.Community), t.Address, orDash(t.View), orDash(t.Mask))
}

// GoString returns the trap destination in Go syntax, its community
// redacted.
func (t Trap) GoString() string {
	return fmt.Sprintf("snmpconf.Trap{Line:%d, Community:%q, Address:%q, View:%q, Mask:%q}",
		t.Line, secret.Redact(t.Community), t.Address, t.View, t.Mask)
}

// String describes the file without quoting any of it (the file and a
// pointer to it both format this way).
func (f V1File) String() string {
	return fileString("AIX SNMPv1 snmpd.conf", f.Name, len(f.Lines), len(f.Entries),
		"communities", len(f.Communities), "views", len(f.Views), "traps", len(f.Traps), "smux", len(f.Smux))
}

// GoString describes the file without quoting any of it.
func (f V1File) GoString() string { return f.String() }

// Bytes returns the file text: every line as read, each ended by "\n".
func (f *V1File) Bytes() []byte { return parse.JoinLines(f.Lines) }

// accessModes maps the permissions of a community, in lower case, to the
// form V1Community.Access holds (the agent reads them in any case).
var accessModes = map[string]string{
	"readonly": ReadOnly, "writeonly": WriteOnly, "readwrite": ReadWrite, "none": NoAccess,
}

// ParseV1 reads an AIX /etc/snmpd.conf (SNMPv1 agent) from r; name is used
// in error messages. Comments start with '#', at the start of a line or
// after a field. Entries with other keywords (logging, snmpd, sysLocation,
// ...) are kept in Entries only. A community, view, trap or smux entry the
// agent could not use is reported and skipped.
func ParseV1(r io.Reader, name string) (*V1File, error) {
	lines, err := parse.ReadLines(r, name)
	if err != nil {
		return nil, err
	}
	f := &V1File{Name: name, Lines: lines}
	var errs parse.Errors
	for i, line := range lines {
		n := i + 1
		words := beforeComment(parse.Fields(line), 0)
		if len(words) == 0 {
			continue
		}
		e := Entry{Line: n, Keyword: words[0], Fields: words[1:]}
		if len(e.Fields) == 0 {
			e.Fields = nil
		}
		var msg string
		switch strings.ToLower(e.Keyword) {
		case "community":
			e.Secret = secretIf(e.Fields, 0)
			var c V1Community
			if c, msg = parseV1Community(n, e.Fields); msg == "" {
				f.Communities = append(f.Communities, c)
			}
		case "view":
			if len(e.Fields) == 0 {
				msg = "view entry has no name"
			} else if len(e.Fields) == 1 {
				msg = "view " + e.Fields[0] + " lists no MIB subtree"
			} else {
				f.Views = append(f.Views, View{Line: n, Name: e.Fields[0], Subtrees: e.Fields[1:]})
			}
		case "trap":
			e.Secret = secretIf(e.Fields, 0)
			var t Trap
			if t, msg = parseTrap(n, e.Fields); msg == "" {
				f.Traps = append(f.Traps, t)
			}
		case "smux":
			e.Secret = secretIf(e.Fields, 1)
			var s Smux
			if s, msg = parseSmux(n, e.Fields); msg == "" {
				f.Smux = append(f.Smux, s)
			}
		}
		if msg != "" {
			errs.Add(name, n, "%s", msg)
			continue
		}
		f.Entries = append(f.Entries, e)
	}
	return f, errs.Err()
}

// secretIf returns []int{i} when fields has an index i, else nil.
func secretIf(fields []string, i int) []int {
	if i < len(fields) {
		return []int{i}
	}
	return nil
}

// parseV1Community reads the fields of a community entry.
func parseV1Community(line int, fields []string) (V1Community, string) {
	if len(fields) == 0 {
		return V1Community{}, "community entry has no name"
	}
	c := V1Community{Line: line, Name: fields[0], Address: "0.0.0.0", Access: ReadOnly}
	if len(fields) > 1 {
		c.Address = fields[1]
		if _, isMode := accessModes[strings.ToLower(c.Address)]; isMode {
			return V1Community{}, "community entry has the permission " + strconv.Quote(c.Address) +
				" where its address belongs: the address and netmask come first"
		}
		if !validHost(c.Address) {
			return V1Community{}, "community entry has a bad address " + strconv.Quote(c.Address)
		}
	}
	switch {
	case len(fields) > 2:
		c.Mask = fields[2]
		if !validMask(c.Mask) {
			return V1Community{}, "community entry has a bad netmask " + strconv.Quote(c.Mask)
		}
	case c.Address == "0.0.0.0":
		c.Mask = "0.0.0.0"
	default:
		c.Mask = "255.255.255.255"
		if a, err := netip.ParseAddr(c.Address); err == nil && a.Is6() {
			c.Mask = "128"
		}
	}
	if len(fields) > 3 {
		mode, ok := accessModes[strings.ToLower(fields[3])]
		if !ok {
			return V1Community{}, "community entry has the unknown permission " + strconv.Quote(fields[3]) +
				": want readOnly, writeOnly, readWrite or none"
		}
		c.Access = mode
	}
	if len(fields) > 4 {
		// Fields after the view are ignored by the agent.
		c.View = fields[4]
	}
	return c, ""
}

// parseTrap reads the fields of a trap entry.
func parseTrap(line int, fields []string) (Trap, string) {
	switch {
	case len(fields) == 0:
		return Trap{}, "trap entry has no community"
	case len(fields) == 1:
		return Trap{}, "trap entry has no address"
	}
	t := Trap{Line: line, Community: fields[0], Address: fields[1]}
	if !validHost(t.Address) {
		return Trap{}, "trap entry has a bad address " + strconv.Quote(t.Address)
	}
	if len(fields) > 2 {
		t.View = fields[2]
	}
	if len(fields) > 3 {
		t.Mask = fields[3]
	}
	return t, ""
}
