// Package firewalld reads the configuration of firewalld, the firewall
// daemon of Red Hat, SUSE and Fedora systems, to say which ports a host
// opens and to whom:
//
//   - /etc/firewalld/firewalld.conf, the daemon's settings (ParseConf):
//     the default zone and the back end (nftables or iptables);
//   - zone files, /etc/firewalld/zones/NAME.xml overriding
//     /usr/lib/firewalld/zones/NAME.xml (ParseZone): which interfaces and
//     source addresses a zone covers, its target (what happens to packets
//     nothing in the zone accepts), the services and ports it opens and
//     its rich rules;
//   - service files, /etc/firewalld/services/NAME.xml overriding
//     /usr/lib/firewalld/services/NAME.xml (ParseService): the ports a
//     service name stands for.
//
// A zone or service is named by its file name without ".xml"; the files
// do not hold their own names. Every parser keeps the original lines of its
// file and reports problems as "file:line: what is wrong", together with
// everything it could read.
package firewalld

import (
	"io"
	"strings"

	"bastion/internal/parse"
)

// Firewalld's own defaults for settings firewalld.conf leaves out.
const (
	// FallbackZone is the zone firewalld uses when DefaultZone is unset.
	FallbackZone = "public"
	// FallbackBackend is the back end firewalld uses when FirewallBackend
	// is unset (since firewalld 0.6).
	FallbackBackend = "nftables"
)

// Setting is one "Key=value" line of firewalld.conf.
type Setting struct {
	// Line is the 1-based line number.
	Line int
	// Key is the setting's name, such as DefaultZone.
	Key string
	// Value is the value with surrounding blanks removed.
	Value string
}

// Conf is a parsed firewalld.conf.
type Conf struct {
	// Name is the name the file was parsed under, used in error messages.
	Name string
	// Lines holds every line as read, without line endings.
	Lines []string
	// Settings holds the settings in file order, repeated keys included.
	Settings []Setting
}

// ParseConf reads firewalld.conf as firewalld does: blank lines and lines
// starting with '#' are skipped, every other line is "Key=value", blanks
// around the key and the value being ignored. A line without '=' or with
// an empty key is reported as "name:line: what is wrong", and the Conf
// then holds every other setting. A file that cannot be read gives a nil
// Conf.
func ParseConf(r io.Reader, name string) (*Conf, error) {
	lines, err := parse.ReadLines(r, name)
	if err != nil {
		return nil, err
	}
	c := &Conf{Name: name, Lines: lines}
	var errs parse.Errors
	for i, l := range lines {
		n := i + 1
		t := strings.TrimSpace(l)
		if t == "" || t[0] == '#' {
			continue
		}
		key, value, ok := strings.Cut(t, "=")
		key = strings.TrimSpace(key)
		switch {
		case !ok:
			errs.Add(name, n, "expected Key=value, found %q", clip(t))
			continue
		case key == "":
			errs.Add(name, n, "setting with no name")
			continue
		case strings.ContainsAny(key, " \t"):
			errs.Add(name, n, "setting name %q holds a blank", clip(key))
			continue
		}
		c.Settings = append(c.Settings, Setting{Line: n, Key: key, Value: strings.TrimSpace(value)})
	}
	return c, errs.Err()
}

// Get returns the last setting of key, the one firewalld keeps.
func (c *Conf) Get(key string) (Setting, bool) {
	for i := len(c.Settings) - 1; i >= 0; i-- {
		if c.Settings[i].Key == key {
			return c.Settings[i], true
		}
	}
	return Setting{}, false
}

// DefaultZone returns the zone for interfaces and sources no zone claims:
// DefaultZone, or FallbackZone when it is unset or empty.
func (c *Conf) DefaultZone() string {
	if s, ok := c.Get("DefaultZone"); ok && s.Value != "" {
		return s.Value
	}
	return FallbackZone
}

// Backend returns FirewallBackend, or FallbackBackend when it is unset or
// empty.
func (c *Conf) Backend() string {
	if s, ok := c.Get("FirewallBackend"); ok && s.Value != "" {
		return s.Value
	}
	return FallbackBackend
}

// Bytes returns the file's text: its lines, each ended by a newline.
func (c *Conf) Bytes() []byte { return parse.JoinLines(c.Lines) }

// clip shortens s for an error message.
func clip(s string) string {
	const max = 60
	if len(s) <= max {
		return s
	}
	return s[:max] + "..."
}
