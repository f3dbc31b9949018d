package inventory

import (
	"fmt"
	"net/netip"
	"path"
	"strings"

	"bastion/internal/binsec"
	"bastion/internal/firewall"
	"bastion/internal/host"
	"bastion/internal/parse/hostsaccess"
	"bastion/internal/parse/lsfilt"
	"bastion/internal/target"
)

// Reach says who can open a connection to a row's port: from anywhere,
// from some networks only (local), from this host only (loopback), from
// nowhere (none), or unknown; why, and the rule or address that decides.
type Reach struct {
	Reach   firewall.Reach `json:"reach"`
	Sources []string       `json:"sources,omitempty"`
	Why     string         `json:"why"`
	Where   string         `json:"where,omitempty"`
}

// Protections are the memory protections of the row's executable, as
// checksec reports them.
type Protections struct {
	Executable string `json:"executable"`
	PIE        string `json:"pie"`
	NX         string `json:"nx"`
	RELRO      string `json:"relro"`
	Canary     string `json:"canary"`
	Fortify    string `json:"fortify"`
	// Go marks a Go program, which has no canaries and needs none.
	Go bool `json:"go,omitempty"`
}

// Short renders the protections for a table: "PIE NX RELRO canary
// fortify", a missing one prefixed with "no-".
func (p *Protections) Short() string {
	if p == nil {
		return ""
	}
	flag := func(name, v string) string {
		switch v {
		case "yes", "full":
			return name
		case "partial":
			return name + "(partial)"
		case "unknown", "":
			return name + "?"
		}
		return "no-" + name
	}
	return strings.Join([]string{flag("PIE", p.PIE), flag("NX", p.NX), flag("RELRO", p.RELRO), flag("canary", p.Canary), flag("fortify", p.Fortify)}, " ")
}

// reachOrder ranks reaches, widest first, to combine the answers for a
// row's addresses.
var reachOrder = map[firewall.Reach]int{firewall.Anywhere: 0, firewall.Unknown: 1, firewall.Local: 2, firewall.Loopback: 3, firewall.None: 4}

// addReach works out who can reach each row that listens or is predicted
// to.
func addReach(f *host.Facts, rows []Row) {
	for i := range rows {
		r := &rows[i]
		if r.State == Disabled {
			continue
		}
		r.Reach = rowReach(f, r)
		r.Protections = rowProtections(f, r)
	}
}

// rowReach works out the reach of one row.
func rowReach(f *host.Facts, r *Row) *Reach {
	if r.Port == 0 {
		return &Reach{Reach: firewall.Unknown, Why: "the port is chosen at run time"}
	}
	addrs := r.Addresses
	assumed := false
	if len(addrs) == 0 {
		if r.start != nil && r.start.Address != "" {
			addrs = []string{r.start.Address}
		} else {
			addrs, assumed = []string{"0.0.0.0", "::"}, true
		}
	}
	var best *Reach
	for _, a := range addrs {
		ip, ok := parseListen(a)
		if !ok {
			continue
		}
		v := addrReach(f, r, ip)
		if best == nil || reachOrder[v.Reach] < reachOrder[best.Reach] {
			best = v
		}
	}
	if best == nil {
		return &Reach{Reach: firewall.Unknown, Why: "the listen address is not known"}
	}
	best = wrappers(f, r, best)
	if assumed && best.Reach != firewall.Loopback {
		best.Why += " (if it listens on every address, as configured)"
	}
	return best
}

// parseListen reads a listen address as the inventory writes it: "*",
// "0.0.0.0", "::", "[::1]", "10.0.0.5%eth0".
func parseListen(a string) (netip.Addr, bool) {
	a = strings.Trim(a, "[]")
	if a == "*" || a == "" {
		return netip.IPv4Unspecified(), true
	}
	if i := strings.IndexByte(a, '%'); i >= 0 {
		a = a[:i]
	}
	ip, err := netip.ParseAddr(a)
	return ip, err == nil
}

// addrReach is the reach of one listen address.
func addrReach(f *host.Facts, r *Row, ip netip.Addr) *Reach {
	if ip.IsLoopback() {
		return &Reach{Reach: firewall.Loopback, Why: "listens on " + ip.String() + " only", Where: ip.String()}
	}
	fw := f.Firewall
	if f.Platform.OS == target.AIX {
		if fw == nil || !fw.Known {
			return &Reach{Reach: firewall.Unknown, Why: "the IP security filter rules were not captured (lsfilt)"}
		}
		file := fw.AIX4
		if ip.Is6() && !ip.Is4In6() {
			file = fw.AIX6
		}
		return aixReach(file, r.Proto, r.Port)
	}
	if fw == nil || !fw.Known {
		return &Reach{Reach: firewall.Unknown, Why: "the packet filter was not read (no nft or iptables-save, no capture)"}
	}
	v := firewall.Evaluate(fw.Rules, r.Proto, ip, r.Port)
	out := &Reach{Reach: v.Reach, Why: v.Why, Where: v.Where}
	for _, p := range v.Sources {
		out.Sources = append(out.Sources, p.String())
	}
	return out
}

// aixReach judges a port by AIX's filter rules in the order they apply:
// a permit for any source lets everyone in, a deny for any source stops
// the rest, permits for some sources make it local.
func aixReach(f *lsfilt.File, proto string, port int) *Reach {
	if f == nil {
		return &Reach{Reach: firewall.Unknown, Why: "the filter rules of this IP version were not captured (lsfilt)"}
	}
	if len(f.Rules) == 0 {
		return &Reach{Reach: firewall.Anywhere, Why: "no IP security filter rules are active"}
	}
	var sources []string
	for _, rule := range f.Inbound(0, proto, port) {
		where := fmt.Sprintf("lsfilt rule %d (%s:%d)", rule.Number, f.Name, rule.Line)
		everyone := rule.Source.Any() && rule.Destination.Any() && (rule.Interface == "" || rule.Interface == "all")
		switch {
		case rule.Action == lsfilt.ActionPermit && !everyone:
			// Limited to a source, an interface or an address: some
			// clients only.
			sources = append(sources, aixRuleScope(rule))
			continue
		case rule.Action == lsfilt.ActionDeny && !everyone:
			continue // denies some clients: the rest go on
		}
		switch {
		case rule.Action == lsfilt.ActionPermit:
			if len(sources) > 0 {
				return &Reach{Reach: firewall.Anywhere, Sources: sources, Why: "filter rule " + fmt.Sprint(rule.Number) + " permits every source", Where: where}
			}
			return &Reach{Reach: firewall.Anywhere, Why: "filter rule " + fmt.Sprint(rule.Number) + " permits every source", Where: where}
		case rule.Action == lsfilt.ActionDeny:
			if len(sources) > 0 {
				return &Reach{Reach: firewall.Local, Sources: sources, Why: "permitted from " + strings.Join(sources, ", ") + " only; filter rule " + fmt.Sprint(rule.Number) + " denies the rest", Where: where}
			}
			return &Reach{Reach: firewall.None, Why: "filter rule " + fmt.Sprint(rule.Number) + " denies it", Where: where}
		}
	}
	if len(sources) > 0 {
		return &Reach{Reach: firewall.Local, Sources: sources, Why: "permitted from " + strings.Join(sources, ", ") + " only"}
	}
	return &Reach{Reach: firewall.Unknown, Why: "the filter rules do not decide"}
}

// wrapped are daemons that always check TCP wrappers themselves (built
// with libwrap) on the platforms bastion knows. vsftpd does only with
// tcp_wrappers=YES, so it is not one.
var wrapped = map[string]bool{"rpcbind": true, "portmap": true, "xinetd": true}

// aixRuleScope names the clients an AIX filter rule is limited to.
func aixRuleScope(r lsfilt.Rule) string {
	s := r.Source.String()
	if r.Interface != "" && r.Interface != "all" {
		s += " on " + r.Interface
	}
	if !r.Destination.Any() {
		s += " to " + r.Destination.String()
	}
	return s
}

// wrappers narrows a reach by /etc/hosts.allow and /etc/hosts.deny for a
// daemon started through tcpd, or one that reads them itself.
func wrappers(f *host.Facts, r *Row, v *Reach) *Reach {
	fw := f.Firewall
	if fw == nil || fw.Allow == nil && fw.Deny == nil || v.Reach != firewall.Anywhere && v.Reach != firewall.Local {
		return v
	}
	daemon := path.Base(r.Daemon)
	if s := r.start; s != nil && path.Base(s.Program) == "tcpd" && len(s.Args) > 0 {
		daemon = path.Base(s.Args[0])
	} else if !wrapped[daemon] {
		return v
	}
	sum := hostsaccess.Summary(fw.Allow, fw.Deny, daemon)
	switch {
	case sum == "no one":
		return &Reach{Reach: firewall.None, Why: "TCP wrappers let no one in (" + daemon + ")", Where: "/etc/hosts.allow, /etc/hosts.deny"}
	case strings.HasPrefix(sum, "only "):
		return &Reach{Reach: firewall.Local, Sources: v.Sources, Why: v.Why + "; TCP wrappers: " + sum, Where: v.Where}
	}
	return v
}

// rowProtections looks up the protections of the row's executable.
func rowProtections(f *host.Facts, r *Row) *Protections {
	var exe string
	for _, p := range r.Processes {
		if p.Exe != "" {
			exe = strings.TrimSuffix(p.Exe, " (deleted)")
			break
		}
	}
	if exe == "" && r.start != nil {
		exe = r.start.Resolved
		if exe == "" {
			exe = r.start.Program
		}
		if path.Base(exe) == "tcpd" && len(r.start.Args) > 0 && strings.HasPrefix(r.start.Args[0], "/") {
			exe = r.start.Args[0]
		}
	}
	rep := f.Binaries[exe]
	if rep == nil && len(r.Processes) > 0 && r.Processes[0].Command != "" {
		// Captured state names the process, not its file: take the
		// executable of an enabled start with that name (the first by
		// path, when several have it).
		for p, br := range f.Binaries {
			if path.Base(p) == r.Processes[0].Command && (rep == nil || p < exe) {
				exe, rep = p, br
			}
		}
	}
	if rep == nil {
		return nil
	}
	return &Protections{Executable: exe, PIE: rep.PIE.String(), NX: rep.NX.String(), RELRO: relro(rep), Canary: rep.Canary.String(), Fortify: rep.Fortify.String(), Go: rep.Go}
}

func relro(rep *binsec.Report) string {
	if rep.RELRO == "" {
		return "unknown"
	}
	return rep.RELRO
}
