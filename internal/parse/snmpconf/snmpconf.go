// Package snmpconf reads the configuration files of SNMP agents: on AIX,
// /etc/snmpd.conf of the SNMPv1 agent (ParseV1) and /etc/snmpdv3.conf of
// the SNMPv3 agent (ParseV3); on Linux, net-snmp's snmpd.conf
// (ParseNetSNMP).
//
// These files hold secrets: community names, which are passwords in
// SNMPv1 and SNMPv2c, SMUX passwords and USM keys. The parsers keep them
// whole so that rules can compare them ("is the community public?"), but
// every String, GoString and error this package produces shows a secret
// only through secret.Redact, and never quotes a line that holds one.
//
// Every line of a file is kept as an Entry (keyword and fields) so that
// nothing is lost, and the directives rules ask about are read into typed
// values as well: the communities, who may write, where the agent listens.
package snmpconf

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"bastion/internal/secret"
)

// Entry is one directive line, in any of the three formats.
type Entry struct {
	// Line is the 1-based line number of the entry in the file.
	Line int
	// Keyword is the first word of the line as written, such as
	// "community", "COMMUNITY" or "rocommunity".
	Keyword string
	// Fields holds the words after the keyword (a trailing comment
	// removed; for net-snmp, quotes removed).
	Fields []string
	// Secret lists the indexes in Fields that hold a secret: a
	// community, a password, a key. String and GoString redact them.
	Secret []int
}

// IsSecret reports whether Fields[i] holds a secret.
func (e Entry) IsSecret(i int) bool {
	for _, s := range e.Secret {
		if s == i {
			return true
		}
	}
	return false
}

// redacted returns Fields with every secret field redacted.
func (e Entry) redacted() []string {
	out := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		if e.IsSecret(i) {
			out[i] = secret.Redact(f)
		} else {
			out[i] = f
		}
	}
	return out
}

// String returns the entry as "line N: keyword fields...", secrets
// redacted.
func (e Entry) String() string {
	words := append([]string{e.Keyword}, e.redacted()...)
	for i, w := range words {
		if w == "" || strings.ContainsAny(w, " \t\"") {
			words[i] = strconv.Quote(w)
		}
	}
	return fmt.Sprintf("line %d: %s", e.Line, strings.Join(words, " "))
}

// GoString returns the entry in Go syntax, secrets redacted.
func (e Entry) GoString() string {
	return fmt.Sprintf("snmpconf.Entry{Line:%d, Keyword:%q, Fields:%#v, Secret:%#v}",
		e.Line, e.Keyword, e.redacted(), e.Secret)
}

// Smux is a "smux" entry of an AIX agent: a SMUX subagent (such as gated,
// dpid2 or hostmibd) allowed to register the MIB subtree OID with the
// password Password.
type Smux struct {
	// Line is the 1-based line number of the entry.
	Line int
	// OID is the subagent's object identifier.
	OID string
	// Password is the SMUX password, a secret.
	Password string
	// Address and Mask restrict the hosts the subagent may connect
	// from; empty when not written.
	Address string
	Mask    string
}

// String describes the entry, the password redacted.
func (s Smux) String() string {
	return fmt.Sprintf("line %d: smux %s password %s address %s mask %s",
		s.Line, s.OID, secret.Redact(s.Password), orDash(s.Address), orDash(s.Mask))
}

// GoString returns the entry in Go syntax, the password redacted.
func (s Smux) GoString() string {
	return fmt.Sprintf("snmpconf.Smux{Line:%d, OID:%q, Password:%q, Address:%q, Mask:%q}",
		s.Line, s.OID, secret.Redact(s.Password), s.Address, s.Mask)
}

// parseSmux reads the fields of a smux entry (a trailing comment already
// removed), the same in both AIX agents:
// "smux OID password [address [netmask]]".
func parseSmux(line int, fields []string) (Smux, string) {
	switch {
	case len(fields) == 0:
		return Smux{}, "smux entry has no object identifier"
	case len(fields) == 1:
		return Smux{}, "smux entry for " + fields[0] + " has no password"
	case len(fields) > 4:
		return Smux{}, "smux entry for " + fields[0] + " has " + strconv.Itoa(len(fields)) + " fields, want at most 4 (OID, password, address, netmask)"
	}
	s := Smux{Line: line, OID: fields[0], Password: fields[1]}
	if !validOID(s.OID) {
		return Smux{}, "smux entry has a bad object identifier " + strconv.Quote(s.OID)
	}
	if len(fields) > 2 {
		s.Address = fields[2]
		if !validHost(s.Address) {
			return Smux{}, "smux entry for " + s.OID + " has a bad address " + strconv.Quote(s.Address)
		}
	}
	if len(fields) > 3 {
		s.Mask = fields[3]
		if !validMask(s.Mask) {
			return Smux{}, "smux entry for " + s.OID + " has a bad netmask " + strconv.Quote(s.Mask)
		}
	}
	return s, ""
}

// beforeComment returns fields up to the first one that starts with '#'
// (a trailing comment), leaving the first keep fields alone.
func beforeComment(fields []string, keep int) []string {
	for i := keep; i < len(fields); i++ {
		if strings.HasPrefix(fields[i], "#") {
			return fields[:i]
		}
	}
	return fields
}

// validOID reports an object identifier as the AIX agents take it: dotted
// numbers ("1.3.6.1.4.1.2.3.1.2.1.2", with an optional leading dot) or a
// MIB name with an optional numeric instance ("iso.3", "enterprises").
func validOID(s string) bool {
	s = strings.TrimPrefix(s, ".")
	if s == "" {
		return false
	}
	for _, part := range strings.Split(s, ".") {
		if part == "" {
			return false
		}
		for i := 0; i < len(part); i++ {
			c := part[i]
			if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '-' || c == '_') {
				return false
			}
		}
	}
	return true
}

// validHost reports an IPv4 or IPv6 address or a host name.
func validHost(s string) bool {
	if _, err := netip.ParseAddr(s); err == nil {
		return true
	}
	if s == "" || len(s) > 255 {
		return false
	}
	numeric := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9', c == '.':
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c == '-', c == '_':
			numeric = false
		default:
			return false
		}
	}
	// Digits and dots alone that are not an IPv4 address are a mistyped
	// address, not a host name.
	return !numeric
}

// validMask reports a netmask in dotted IPv4 form or an IPv6 prefix length
// (0 to 128).
func validMask(s string) bool {
	if a, err := netip.ParseAddr(s); err == nil {
		return a.Is4()
	}
	n, err := strconv.Atoi(s)
	return err == nil && isDigits(s) && n >= 0 && n <= 128
}

// isDigits reports a non-empty string of ASCII digits.
func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// orDash returns s, or "-" for the empty string.
func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// fileString describes a parsed file without quoting any of it.
func fileString(kind, name string, lines, entries int, counts ...any) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s, %d lines, %d entries", name, kind, lines, entries)
	for i := 0; i+1 < len(counts); i += 2 {
		fmt.Fprintf(&b, ", %d %s", counts[i+1], counts[i])
	}
	return b.String()
}
