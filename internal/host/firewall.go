package host

import (
	"bytes"
	"context"
	"errors"
	"path"
	"strings"

	"bastion/internal/binsec"
	"bastion/internal/firewall"
	"bastion/internal/parse/hostsaccess"
	"bastion/internal/parse/iptsave"
	"bastion/internal/parse/lsfilt"
	"bastion/internal/parse/nftjson"
	"bastion/internal/parse/ufw"
	"bastion/internal/target"
)

const (
	whatFirewall   = "the packet filter"
	hostsAllowPath = "/etc/hosts.allow"
	hostsDenyPath  = "/etc/hosts.deny"
	ufwConfPath    = "/etc/ufw/ufw.conf"
)

// iptablesTables are the tables iptables-nft makes in nftables; any
// other table, or one of family inet, is nftables' own.
var iptablesTables = map[string]bool{"filter": true, "nat": true, "mangle": true, "raw": true, "security": true}

// Firewall is the host's packet filter and the other gates in front of
// its services: TCP wrappers and, on AIX, IP security filter rules.
type Firewall struct {
	// Known reports that the filter's state was read (live, or from a
	// capture); From says from what ("nft -j list ruleset", a capture).
	Known bool
	From  string
	// Rules is the input filtering as one model, nil when the host has
	// no packet filter loaded (or Known is false).
	Rules *firewall.Ruleset
	// Manager names the front end that manages the rules, when its
	// configuration says it is on: "ufw", "firewalld".
	Manager string
	// AIX is the IP security filter rules of an AIX host (lsfilt),
	// version 4 and 6.
	AIX4, AIX6 *lsfilt.File
	// Allow and Deny are /etc/hosts.allow and /etc/hosts.deny, nil when
	// absent.
	Allow, Deny *hostsaccess.File
	// Problems say what could not be read.
	Problems []string
}

// Filtering reports whether a packet filter with an input chain that can
// drop anything is loaded.
func (fw *Firewall) Filtering() bool {
	if fw == nil {
		return false
	}
	// AIX: a filter that denies something; the default rule alone,
	// permitting everything, filters nothing.
	for _, f := range []*lsfilt.File{fw.AIX4, fw.AIX6} {
		if f == nil {
			continue
		}
		for _, r := range f.Rules {
			if r.Action == lsfilt.ActionDeny {
				return true
			}
		}
	}
	if fw.Rules == nil {
		return false
	}
	for _, chains := range fw.Rules.Families {
		for _, c := range chains {
			if c.Hook == "input" && (c.Policy == "drop" || len(c.Rules) > 0) {
				return true
			}
		}
	}
	return false
}

// firewall builds Facts.Firewall.
func (b *builder) firewall() {
	fw := &Firewall{}
	b.f.Firewall = fw
	fw.Allow = b.hostsAccess(hostsAllowPath)
	fw.Deny = b.hostsAccess(hostsDenyPath)
	if b.f.Platform.OS == target.AIX {
		b.lsfilt(fw)
		return
	}
	if data := b.read(ufwConfPath, whatFirewall, false); data != nil {
		if u, _ := ufw.Parse(bytes.NewReader(data), ufwConfPath); u != nil && u.Enabled() {
			fw.Manager = "ufw"
		}
	}
	if b.t.Exists("/etc/firewalld/firewalld.conf") && b.enabledUnit("firewalld.service") {
		fw.Manager = "firewalld"
	}
	ctx := context.Background()
	nftData, nftErr := b.t.Query(ctx, target.CaptureNFT)
	v4Data, v4Err := b.t.Query(ctx, target.CaptureIPTables)
	v6Data, _ := b.t.Query(ctx, target.CaptureIP6Tables)
	var nftRS, iptRS *firewall.Ruleset
	native := false
	if nftErr == nil {
		fw.Known, fw.From = true, "nft -j list ruleset"
		rs, err := nftjson.Parse(bytes.NewReader(nftData), target.CapturePath(target.CaptureNFT))
		b.parseGaps(err, whatFirewall)
		if rs != nil {
			for _, t := range rs.Tables {
				if t.Family == "inet" || !iptablesTables[t.Name] {
					native = true
				}
			}
			if nftRS, err = firewall.FromNFT(rs); err != nil {
				fw.Problems = append(fw.Problems, err.Error())
			}
		}
	} else if !errors.Is(nftErr, target.ErrNoQuery) && !target.IsNotExist(nftErr) {
		fw.Problems = append(fw.Problems, nftErr.Error())
	}
	if v4Err == nil {
		v4, err := iptsave.Parse(bytes.NewReader(v4Data), target.CapturePath(target.CaptureIPTables))
		b.parseGaps(err, whatFirewall)
		var v6 *iptsave.File
		if v6Data != nil {
			v6, err = iptsave.Parse(bytes.NewReader(v6Data), target.CapturePath(target.CaptureIP6Tables))
			b.parseGaps(err, whatFirewall)
		}
		if iptablesActive(v4) || iptablesActive(v6) {
			if iptRS, err = firewall.FromIPTables(v4, v6); err != nil {
				fw.Problems = append(fw.Problems, err.Error())
			}
		}
		if !fw.Known {
			fw.Known, fw.From = true, "iptables-save"
		}
	} else if !errors.Is(v4Err, target.ErrNoQuery) && !target.IsNotExist(v4Err) {
		fw.Problems = append(fw.Problems, v4Err.Error())
	}
	switch {
	case iptRS != nil && native:
		fw.Rules, fw.From = firewall.Merge(iptRS, nftRS), "iptables-save and nft -j list ruleset"
	case iptRS != nil:
		fw.Rules, fw.From = iptRS, "iptables-save"
	case nftRS != nil:
		// Tables named like iptables' with no iptables-save behind
		// them are nftables' own.
		fw.Rules = nftRS
	}
	if fw.Rules != nil && fw.Manager != "" {
		fw.Rules.Source = fw.Manager
	}
	if !fw.Known && len(fw.Problems) == 0 {
		b.t.AddGap(target.Gap{Path: target.CapturePath(target.CaptureNFT), What: whatFirewall, Reason: "no nft or iptables-save on the host, and no capture of their output"})
	}
	for _, p := range fw.Problems {
		b.t.AddGap(target.Gap{Path: "packet filter", What: whatFirewall, Reason: p})
	}
}

// iptablesActive reports whether iptables-save output holds a rule or a
// policy other than ACCEPT.
func iptablesActive(f *iptsave.File) bool {
	if f == nil {
		return false
	}
	for _, l := range f.Lines {
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, "-A ") || strings.HasPrefix(t, "-I ") || strings.HasPrefix(t, ":") && strings.Contains(t, " DROP") {
			return true
		}
	}
	return false
}

// enabledUnit reports whether a systemd unit starts at boot.
func (b *builder) enabledUnit(name string) bool {
	for _, s := range b.f.Starts {
		if s.Kind == KindSystemd && s.ID == name && s.Enabled {
			return true
		}
	}
	return false
}

// hostsAccess reads a TCP wrappers file; nil when absent.
func (b *builder) hostsAccess(name string) *hostsaccess.File {
	data := b.read(name, whatFirewall, false)
	if data == nil {
		return nil
	}
	f, err := hostsaccess.Parse(bytes.NewReader(data), name)
	b.parseGaps(err, whatFirewall)
	return f
}

// lsfilt reads AIX's captured filter rules.
func (b *builder) lsfilt(fw *Firewall) {
	for _, c := range []struct {
		name string
		dst  **lsfilt.File
	}{{target.CaptureLsfilt4, &fw.AIX4}, {target.CaptureLsfilt6, &fw.AIX6}} {
		data, err := b.t.Capture(c.name)
		if err != nil {
			if !target.IsNotExist(err) {
				fw.Problems = append(fw.Problems, err.Error())
			}
			continue
		}
		fw.Known, fw.From = true, "lsfilt"
		f, perr := lsfilt.Parse(bytes.NewReader(data), target.CapturePath(c.name))
		b.parseGaps(perr, whatFirewall)
		*c.dst = f
	}
	if !fw.Known {
		b.t.AddGap(target.Gap{Path: target.CapturePath(target.CaptureLsfilt4), What: whatFirewall, Reason: "no captured lsfilt output: which addresses reach the services is not known"})
	}
}

// binaries inspects the executables of the listening sockets and of the
// enabled starts: PIE, NX, RELRO, canary, fortify.
func (b *builder) binaries() {
	b.f.Binaries = map[string]*binsec.Report{}
	seen := map[string]bool{}
	var paths []string
	for _, s := range b.f.Sockets {
		if s.Exe != "" && !seen[s.Exe] {
			seen[s.Exe] = true
			paths = append(paths, s.Exe)
		}
	}
	for _, s := range b.f.Starts {
		p := s.Resolved
		if p == "" {
			p = s.Program
		}
		if path.Base(p) == "tcpd" && len(s.Args) > 0 {
			p = s.Args[0] // the daemon tcpd runs
		}
		if s.Enabled && strings.HasPrefix(p, "/") && !seen[p] {
			seen[p] = true
			paths = append(paths, p)
		}
	}
	for _, p := range paths {
		fh, err := b.t.Open(p)
		if err != nil {
			continue
		}
		rep, err := binsec.Inspect(fh, p)
		fh.Close()
		if err == nil && rep != nil {
			b.f.Binaries[p] = rep
		}
	}
}
