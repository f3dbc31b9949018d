package rules

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"bastion/internal/firewall"
	"bastion/internal/host"
	"bastion/internal/inventory"
	"bastion/internal/rule"
	"bastion/internal/severity"
	"bastion/internal/target"
)

// fwSeed names the step of the method the exposure rules follow.
const fwSeed = "Securing Linux, step 3 (restrict access to the services you run: a packet filter in front of everything else)"

// firewallOf returns the packet-filter facts, or an undecided error when
// the filter's state could not be read.
func firewallOf(c *rule.Context) (*host.Firewall, error) {
	fw := c.Facts.Firewall
	if fw == nil || !fw.Known {
		if c.Facts.Platform.OS == target.AIX {
			return nil, rule.Undecided("the IP security filter rules were not captured (lsfilt -v 4 into %s)", target.CapturePath(target.CaptureLsfilt4))
		}
		return nil, rule.Undecided("the packet filter could not be read: run as root, or capture nft -j list ruleset or iptables-save into %s", target.CaptureDir)
	}
	return fw, nil
}

// rowListens reports whether a row was seen listening.
func rowListens(r inventory.Row) bool {
	return r.State == inventory.Listening || r.State == inventory.Unexplained
}

// rowWhere is where a row's finding points: the line that starts the
// daemon, or the port for a listener nothing starts.
func rowWhere(r inventory.Row) rule.Location {
	if r.StartedFrom != nil {
		return rule.Location{File: r.StartedFrom.File, Line: r.StartedFrom.Line, Unit: r.StartedFrom.Unit}
	}
	return rule.Location{Key: fmt.Sprintf("%d/%s", r.Port, r.Proto)}
}

// rowName names a row for a finding: "ssh (22/tcp, /usr/sbin/sshd)".
func rowName(r inventory.Row) string {
	name := r.Name
	if name == "" {
		name = "port"
	}
	out := fmt.Sprintf("%s (%d/%s", name, r.Port, r.Proto)
	if r.Daemon != "" {
		out += ", " + r.Daemon
	}
	return out + ")"
}

var _ = rule.Register(rule.Rule{
	ID: "FW-NONE", Title: "no packet filter, and services listen on network addresses", Severity: severity.High, Topic: "firewall",
	Rationale:   "Without a packet filter, every service that listens on a network address answers the whole network, including the ones nobody meant to expose and the ones started tomorrow; the filter is the method's layer in front of everything else (" + fwSeed + ").",
	Remediation: "Load a packet filter that drops by default and accepts only the services the policy opens to everyone, from the networks that use them: nftables (a table inet filter with an input chain, policy drop, accepting lo, established and related, and the listed ports), ufw or firewalld on Linux; IP security filter rules (genfilt, mkfilt -v 4 -u) on AIX. bastion does not load one: a filter written without the site's networks locks administrators out.",
	References:  []string{"CIS Debian 12 4.1.1", "CIS AIX 7 4.4"},
	Check: func(c *rule.Context, rep *rule.Report) error {
		fw, err := firewallOf(c)
		if err != nil {
			return err
		}
		if fw.Filtering() {
			return nil
		}
		var open []string
		for _, r := range c.Inventory.Rows {
			if rowListens(r) && r.Reach != nil && r.Reach.Reach == firewall.Anywhere {
				open = append(open, fmt.Sprintf("%d/%s", r.Port, r.Proto))
			}
		}
		if len(open) == 0 {
			return nil
		}
		rep.Add(rule.Finding{
			Where:    rule.Location{Key: "packet filter (" + fw.From + ")"},
			Found:    fmt.Sprintf("no packet filter is loaded; %d listening ports answer every address: %s", len(open), strings.Join(open, ", ")),
			Expected: "a packet filter that drops by default and accepts only what the policy opens to everyone",
			Exposure: rule.Public,
		})
		return nil
	},
})

var _ = rule.Register(rule.Rule{
	ID: "FW-REACH-UNINTENDED", Title: "a service answers every address though the policy does not open it to everyone", Severity: severity.Medium, Topic: "firewall",
	Rationale:   "A service the site uses from a few networks (administration, monitoring, databases) should be reachable from those networks only; reachable from anywhere, it is one exploit or one guessed password from the whole network (" + fwSeed + ").",
	Remediation: "Restrict the port to the networks that use it in the packet filter (an accept rule with a source network, then drop), or make the daemon listen on an internal address only; if the service is meant for everyone, add it to the policy's list of services open to everyone.",
	References:  []string{"CIS Debian 12 4.3.3", "NIST SP 800-41"},
	Check: func(c *rule.Context, rep *rule.Report) error {
		if _, err := firewallOf(c); err != nil {
			return err
		}
		for _, r := range c.Inventory.Rows {
			if !rowListens(r) || r.Reach == nil || r.Reach.Reach != firewall.Anywhere || publicRow(c, r) {
				continue
			}
			rep.Add(rule.Finding{
				Where: rowWhere(r), Service: r.Name,
				Found:    fmt.Sprintf("%s is reachable from anywhere: %s", rowName(r), r.Reach.Why),
				Expected: "reachable from the networks that use it only, or open to everyone by the policy",
				Exposure: rule.Public,
			})
		}
		return nil
	},
})

// publicRow reports whether the policy marks a row's service as public.
func publicRow(c *rule.Context, r inventory.Row) bool {
	names := []string{r.Name, r.Daemon, lastPart(r.Daemon), strconv.Itoa(r.Port)}
	for _, p := range c.Policy.Public {
		for _, n := range names {
			if n != "" && strings.EqualFold(p, n) {
				return true
			}
		}
	}
	return false
}

func lastPart(p string) string {
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		return p[i+1:]
	}
	return p
}

// riskyPorts are the services the method names as never to be reachable
// from outside: NetBIOS and SMB, the RPC portmapper, LPR, X11, SNMP.
var riskyPorts = []struct {
	proto    string
	from, to int
	what     string
}{
	{"tcp", 111, 111, "the RPC portmapper"}, {"udp", 111, 111, "the RPC portmapper"},
	{"udp", 137, 138, "NetBIOS"}, {"tcp", 139, 139, "NetBIOS sessions"}, {"tcp", 445, 445, "SMB"},
	{"tcp", 515, 515, "LPR printing"}, {"tcp", 6000, 6063, "X11"}, {"udp", 161, 161, "SNMP"},
}

var _ = rule.Register(rule.Rule{
	ID: "FW-REACH-RISKY", Title: "a service the method keeps inside is reachable from anywhere", Severity: severity.High, Topic: "firewall",
	Rationale:   "NetBIOS and SMB (137-139, 445), the RPC portmapper (111), LPR (515), X11 (6000-6063) and SNMP (161) give away the host's accounts, shares, programs and configuration and have a long record of remote exploits; the method names them as the ports a filter must keep from the outside (" + fwSeed + ").",
	Remediation: "Drop these ports from outside the local networks in the packet filter, and turn the service off where nothing needs it.",
	References:  []string{"CIS Debian 12 4.3.3"},
	Check: func(c *rule.Context, rep *rule.Report) error {
		if _, err := firewallOf(c); err != nil {
			return err
		}
		for _, r := range c.Inventory.Rows {
			if !rowListens(r) || r.Reach == nil || r.Reach.Reach != firewall.Anywhere {
				continue
			}
			for _, p := range riskyPorts {
				if r.Proto == p.proto && r.Port >= p.from && r.Port <= p.to {
					rep.Add(rule.Finding{
						Where: rowWhere(r), Service: r.Name,
						Found:    fmt.Sprintf("%s, %s, is reachable from anywhere: %s", rowName(r), p.what, r.Reach.Why),
						Expected: "dropped from outside the local networks",
						Exposure: rule.Public,
					})
					break
				}
			}
		}
		return nil
	},
})

var _ = rule.Register(rule.Rule{
	ID: "FW-DEFAULT-ACCEPT", Title: "the packet filter accepts what no rule names", Severity: severity.Medium, Topic: "firewall",
	Rationale:   "A filter whose input chain accepts by default lets in every service no rule mentions, including the ones started after the rules were written; a filter should drop by default and accept what is meant (" + fwSeed + ").",
	Remediation: "Set the input chain's policy to drop (nft: policy drop; iptables -P INPUT DROP; ufw default deny incoming), after accepting lo, established connections and the services meant to be reachable.",
	References:  []string{"CIS Debian 12 4.3.5", "CIS Debian 12 4.2.7"},
	Platforms:   []target.OS{target.Linux},
	Check: func(c *rule.Context, rep *rule.Report) error {
		fw, err := firewallOf(c)
		if err != nil {
			return err
		}
		if fw.Rules == nil {
			return nil // no filter at all: FW-NONE says so
		}
		// An inet chain is in both families: report each chain once.
		// A packet must pass every input base chain of its family, so a
		// chain that accepts by default is a problem only when no other
		// one drops what it lets by.
		fams := map[string][]string{}
		chains := map[string]firewall.Chain{}
		for fam, cs := range fw.Rules.Families {
			guarded := false
			for _, ch := range cs {
				if ch.Hook == "input" && (ch.Type == "" || ch.Type == "filter") && (ch.Policy == "drop" || endsInDrop(ch)) {
					guarded = true
				}
			}
			for _, ch := range cs {
				if guarded || ch.Hook != "input" || ch.Type != "" && ch.Type != "filter" || ch.Policy != "accept" || endsInDrop(ch) {
					continue
				}
				place := chainPlace(ch)
				fams[place] = append(fams[place], string(fam))
				chains[place] = ch
			}
		}
		places := make([]string, 0, len(chains))
		for place := range chains {
			places = append(places, place)
		}
		sort.Strings(places)
		for _, place := range places {
			ch := chains[place]
			sort.Strings(fams[place])
			rep.Add(rule.Finding{
				Where:    rule.Location{Key: place},
				Found:    fmt.Sprintf("chain %s %s (%s) has policy accept, and no final rule drops the rest", ch.Table, ch.Name, strings.Join(fams[place], ", ")),
				Expected: "policy drop, or a final rule that drops or rejects",
				Exposure: rule.Public,
			})
		}
		return nil
	},
})

// chainPlace names a chain for a finding.
func chainPlace(ch firewall.Chain) string {
	if ch.Where != "" {
		return ch.Where
	}
	return "chain " + ch.Table + " " + ch.Name
}

// endsInDrop reports whether a chain's last rule drops or rejects every
// packet that reaches it.
func endsInDrop(ch firewall.Chain) bool {
	if len(ch.Rules) == 0 {
		return false
	}
	r := ch.Rules[len(ch.Rules)-1]
	return (r.Verdict == "drop" || r.Verdict == "reject") && r.Proto == "" && len(r.DPorts) == 0 && len(r.Src) == 0 &&
		len(r.Dst) == 0 && r.InIface == "" && len(r.State) == 0 && len(r.SPorts) == 0 && !r.Unknown && !r.Sometimes
}

var _ = rule.Register(rule.Rule{
	ID: "MEM-DAEMON-PROTECTIONS", Title: "a listening daemon's executable was built without memory protections", Severity: severity.Low, Topic: "memory",
	Rationale:   "A daemon that answers the network is where a buffer overflow is exploited; position-independent code (so ASLR moves it), a non-executable stack, full RELRO and stack canaries each turn a working exploit into a crash. This is the method's libsafe and Openwall step in today's form.",
	Remediation: "Install the distribution's build of the daemon (built with PIE, -z relro -z now, -fstack-protector-strong, _FORTIFY_SOURCE), or rebuild it with those flags; on AIX turn Stack Execution Disable on for it (sedmgr -m select, sedmgr -c request FILE).",
	References:  []string{"CIS Debian 12 1.5.1", "checksec"},
	Check: func(c *rule.Context, rep *rule.Report) error {
		if !c.Inventory.Observed {
			return rule.Undecided("no live or captured socket state: which daemons listen is not known")
		}
		seen := map[string]bool{}
		for _, r := range c.Inventory.Rows {
			p := r.Protections
			if !rowListens(r) || p == nil || seen[p.Executable] {
				continue
			}
			seen[p.Executable] = true
			var missing []string
			if p.PIE == "no" {
				missing = append(missing, "not position-independent (PIE)")
			}
			if p.NX == "no" {
				missing = append(missing, "executable stack")
			}
			if p.RELRO == "none" {
				missing = append(missing, "no RELRO")
			}
			if p.Canary == "no" && !p.Go { // Go checks bounds instead
				missing = append(missing, "no stack canary")
			}
			if len(missing) == 0 {
				continue
			}
			rep.Add(rule.Finding{
				Where: rule.Location{File: p.Executable}, Service: r.Name,
				Found:    fmt.Sprintf("%s, listening on %d/%s: %s", p.Executable, r.Port, r.Proto, strings.Join(missing, ", ")),
				Expected: "PIE, NX, full RELRO and a stack canary",
				Exposure: rule.Public,
			})
		}
		return nil
	},
})
