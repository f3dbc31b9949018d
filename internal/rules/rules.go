// Package rules is bastion's catalogue of checks, one file per topic. Each
// rule is one registered value (see internal/rule); its test gives a host
// where it fires, one where it does not, and one where it cannot decide.
//
// This file holds what the service rules share: which starts a rule is
// about, how exposed each is, and what the services inventory says of it.
package rules

import (
	"net/netip"
	"path"
	"strconv"
	"strings"

	"bastion/internal/host"
	"bastion/internal/inventory"
	"bastion/internal/rule"
)

// names returns every name a start is known by: its id, its service, its
// program's base name (as written and as resolved), its RPC name, and the
// names of the inventory rows it explains.
func names(c *rule.Context, s *host.Start) []string {
	out := []string{s.ID, strings.TrimSuffix(strings.TrimSuffix(s.ID, ".service"), ".socket")}
	if s.Service != "" {
		out = append(out, s.Service)
	}
	for _, p := range []string{s.Program, s.Resolved} {
		if p != "" {
			out = append(out, path.Base(p))
		}
	}
	if s.RPC != nil && s.RPC.Name != "" {
		out = append(out, s.RPC.Name)
	}
	for _, r := range rowsOf(c, s) {
		if r.Name != "" {
			out = append(out, r.Name)
		}
	}
	return out
}

// rowsOf returns the inventory rows a start explains.
func rowsOf(c *rule.Context, s *host.Start) []inventory.Row {
	var out []inventory.Row
	for _, r := range c.Inventory.Rows {
		if r.StartedFrom != nil && *r.StartedFrom == s.Source && (s.Via == "" || r.SpawnedBy == s.Via && r.Daemon == daemonOf(s)) {
			out = append(out, r)
		}
	}
	return out
}

func daemonOf(s *host.Start) string {
	if s.Resolved != "" {
		return s.Resolved
	}
	return s.Program
}

// listens reports whether a start has inventory rows that are not disabled:
// it listens, or is configured to.
func listens(c *rule.Context, s *host.Start) bool {
	for _, r := range rowsOf(c, s) {
		if r.State != inventory.Disabled {
			return true
		}
	}
	return false
}

// exposure works out how reachable what a start opens is, from its rows.
func exposure(c *rule.Context, s *host.Start) rule.Exposure {
	rows := rowsOf(c, s)
	best := rule.Dormant
	rank := map[rule.Exposure]int{rule.Public: 0, rule.Unknown: 1, rule.Local: 2, rule.Dormant: 3}
	for _, r := range rows {
		var e rule.Exposure
		switch r.State {
		case inventory.Listening, inventory.Unexplained:
			e = rule.Local
			for _, a := range r.Addresses {
				if !loopback(a) {
					e = rule.Public
				}
			}
		case inventory.Predicted:
			e = rule.Unknown
			if s.Address != "" && loopback(s.Address) {
				e = rule.Local
			}
		default:
			e = rule.Dormant
		}
		if rank[e] < rank[best] {
			best = e
		}
	}
	if len(rows) == 0 && !c.Facts.Observed && s.Enabled {
		return rule.Unknown
	}
	return best
}

// loopback reports whether a listen address is loopback only.
func loopback(a string) bool {
	a = strings.Trim(a, "[]")
	if i := strings.IndexByte(a, '%'); i >= 0 {
		a = a[:i]
	}
	if a == "localhost" {
		return true
	}
	ip, err := netip.ParseAddr(a)
	return err == nil && ip.IsLoopback()
}

// loopbackOnly reports whether every row of a start that is seen listening
// listens on loopback only, and at least one is.
func loopbackOnly(c *rule.Context, s *host.Start) bool {
	seen := false
	for _, r := range rowsOf(c, s) {
		if r.State != inventory.Listening {
			continue
		}
		for _, a := range r.Addresses {
			if !loopback(a) {
				return false
			}
			seen = true
		}
	}
	return seen
}

// startGaps returns why start-up files could not be read, if any were not:
// a service rule that finds nothing cannot then say the host is clean.
func startGaps(c *rule.Context) string {
	for _, g := range c.Facts.Gaps {
		if strings.HasPrefix(g.What, "services started") || strings.HasPrefix(g.What, "daemons started") ||
			strings.HasPrefix(g.What, "systemd unit") {
			if g.Reason == "not there" && g.Line == 0 && g.Path != "/etc/inittab" {
				continue
			}
			if g.Line > 0 {
				continue // a bad line: the rest of the file was read
			}
			return g.Path + ": " + g.Reason
		}
	}
	return ""
}

// startLocation is where a finding about a start points.
func startLocation(s *host.Start) rule.Location {
	return rule.Location{File: s.Source.File, Line: s.Source.Line, Unit: s.Source.Unit}
}

// describe says what a start is, for a finding's Found text.
func describe(c *rule.Context, s *host.Start) string {
	var ports []string
	for _, r := range rowsOf(c, s) {
		if r.State == inventory.Disabled {
			continue
		}
		p := r.Proto
		if r.Port > 0 {
			p = strconv.Itoa(r.Port) + "/" + r.Proto
		}
		ports = append(ports, p+" "+string(r.State))
	}
	what := daemonOf(s)
	if s.Service != "" && s.Service != path.Base(what) {
		what = s.Service + " (" + what + ")"
	}
	if s.Via != "" {
		what += " spawned by " + s.Via
	}
	if len(ports) > 0 {
		what += ": " + strings.Join(ports, ", ")
	}
	return what
}
