package rules

import (
	"fmt"
	"hash/fnv"
	"strconv"
	"strings"

	"bastion/internal/host"
	"bastion/internal/remedy"
	"bastion/internal/rule"
	"bastion/internal/severity"
	"bastion/internal/target"
)

// setting is one network option a rule wants, on one platform.
type setting struct {
	os   target.OS
	key  string
	want string
	// def is the value the kernel uses when nothing sets the option at boot,
	// or "" when it is not known.
	def string
}

// netRule describes a rule over network options (AIX no, Linux sysctl).
type netRule struct {
	id, title string
	sev       severity.Level
	settings  []setting
	// unlessRouter leaves the settings alone on a host the policy says
	// forwards packets.
	unlessRouter bool
	rationale    string
	refs         []string
}

// netRules are the first seed's "no" settings and their Linux sysctl
// equivalents (the reference's AIX option to sysctl table), with the values
// the kernels use when nothing sets them.
var netRules = []netRule{
	{id: "NET-SYN-FLOOD", title: "no protection against SYN floods", sev: severity.Medium,
		settings:  []setting{{target.AIX, "clean_partial_conns", "1", "0"}, {target.Linux, "net.ipv4.tcp_syncookies", "1", "1"}},
		rationale: "clean_partial_conns=1 (Linux tcp_syncookies=1) protects against SYN flood attacks (Securing AIX Network Services, Setting Network Options).",
		refs:      []string{"CIS AIX 5.3/6.1 1.6.x", "STIG GEN003612"}},
	{id: "NET-REDIRECTS-ACCEPT", title: "ICMP redirects are accepted", sev: severity.Medium,
		settings: []setting{{target.AIX, "ipignoreredirects", "1", "0"},
			{target.Linux, "net.ipv4.conf.all.accept_redirects", "0", "1"}, {target.Linux, "net.ipv4.conf.default.accept_redirects", "0", "1"},
			{target.Linux, "net.ipv6.conf.all.accept_redirects", "0", "1"}, {target.Linux, "net.ipv6.conf.default.accept_redirects", "0", "1"},
			{target.Linux, "net.ipv4.conf.all.secure_redirects", "0", "1"}, {target.Linux, "net.ipv4.conf.default.secure_redirects", "0", "1"}},
		rationale: "Accepted ICMP redirects let anyone on the path change the host's routes; ipignoreredirects=1 (Securing AIX Network Services, Setting Network Options).",
		refs:      []string{"STIG GEN003609", "CIS Linux 3.3.2, 3.3.3"}},
	{id: "NET-REDIRECTS-SEND", title: "the host sends ICMP redirects", sev: severity.Low,
		settings: []setting{{target.AIX, "ipsendredirects", "0", "1"},
			{target.Linux, "net.ipv4.conf.all.send_redirects", "0", "1"}, {target.Linux, "net.ipv4.conf.default.send_redirects", "0", "1"}},
		unlessRouter: true,
		rationale:    "A host that is not a router has no business sending redirects; ipsendredirects=0 (Securing AIX Network Services, Setting Network Options).",
		refs:         []string{"CIS Linux 3.2.2"}},
	{id: "NET-SOURCE-ROUTE", title: "source-routed packets are accepted or sent", sev: severity.Medium,
		settings: []setting{{target.AIX, "ipsrcroutesend", "0", "1"}, {target.AIX, "ipsrcrouteforward", "0", "1"}, {target.AIX, "ip6srcrouteforward", "0", "1"},
			{target.Linux, "net.ipv4.conf.all.accept_source_route", "0", "0"}, {target.Linux, "net.ipv4.conf.default.accept_source_route", "0", ""},
			{target.Linux, "net.ipv6.conf.all.accept_source_route", "0", "0"}, {target.Linux, "net.ipv6.conf.default.accept_source_route", "0", ""}},
		rationale: "Source routing lets a sender choose the path and reach hosts a filter would stop: protection against illegal access via source routing (Securing AIX Network Services, Setting Network Options).",
		refs:      []string{"STIG GEN007940", "CIS Linux 3.3.1"}},
	{id: "NET-PMTU", title: "path MTU discovery is on", sev: severity.Low,
		settings:  []setting{{target.AIX, "tcp_pmtu_discover", "0", "1"}, {target.AIX, "udp_pmtu_discover", "0", "1"}},
		rationale: "The AIX method turns TCP and UDP path MTU discovery off with tcp_pmtu_discover=0 and udp_pmtu_discover=0 (Securing AIX Network Services, Setting Network Options).",
		refs:      []string{"CIS AIX 5.3/6.1 1.6.x"}},
	{id: "NET-RP-FILTER", title: "reverse-path filtering is off", sev: severity.Low,
		settings:  []setting{{target.Linux, "net.ipv4.conf.all.rp_filter", "1", "0"}, {target.Linux, "net.ipv4.conf.default.rp_filter", "1", "0"}},
		rationale: "Reverse-path filtering drops packets whose source could not be reached back through the interface they came in on: spoofed sources.",
		refs:      []string{"CIS Linux 3.3.7"}},
	{id: "NET-LOG-MARTIANS", title: "packets with impossible addresses are not logged", sev: severity.Low,
		settings:  []setting{{target.Linux, "net.ipv4.conf.all.log_martians", "1", "0"}, {target.Linux, "net.ipv4.conf.default.log_martians", "1", "0"}},
		rationale: "Logging martian packets shows spoofing attempts in the system log.",
		refs:      []string{"CIS Linux 3.3.4"}},
	{id: "NET-BROADCAST-ECHO", title: "the host answers broadcast pings", sev: severity.Low,
		settings:  []setting{{target.AIX, "bcastping", "0", "0"}, {target.Linux, "net.ipv4.icmp_echo_ignore_broadcasts", "1", "1"}},
		rationale: "Answering broadcast pings makes the host part of smurf amplification attacks.",
		refs:      []string{"CIS Linux 3.3.5"}},
	{id: "NET-FORWARDING", title: "the host forwards packets but is not a router", sev: severity.Medium,
		settings: []setting{{target.AIX, "ipforwarding", "0", "0"},
			{target.Linux, "net.ipv4.ip_forward", "0", "0"}, {target.Linux, "net.ipv6.conf.all.forwarding", "0", "0"}},
		unlessRouter: true,
		rationale:    "A host that forwards packets joins networks its owner meant to keep apart; only routers should.",
		refs:         []string{"STIG AIX7-00-002064", "CIS Linux 3.2.1"}},
}

func init() {
	for _, n := range netRules {
		registerNet(n)
	}
}

func registerNet(n netRule) {
	var platforms []target.OS
	for _, s := range n.settings {
		if len(platforms) == 0 || platforms[len(platforms)-1] != s.os {
			platforms = append(platforms, s.os)
		}
	}
	rule.Register(rule.Rule{
		ID: n.id, Title: n.title, Severity: n.sev, Topic: "network",
		Rationale:   n.rationale,
		Remediation: "Set the option now (no -o, sysctl -w) and at every boot (/etc/tunables/nextboot, a boot-time script run from /etc/inittab before AIX 5.2, or /etc/sysctl.d).",
		References:  n.refs,
		Platforms:   platforms,
		Check: func(c *rule.Context, rep *rule.Report) error {
			if n.unlessRouter && c.Policy.Router {
				return nil
			}
			known := 0
			for _, s := range n.settings {
				if s.os != c.Facts.Platform.OS {
					continue
				}
				f, ok := checkSetting(c, s)
				if !ok {
					continue
				}
				known++
				if f != nil {
					rep.Add(*f)
				}
			}
			if known == 0 {
				return rule.Undecided("no current or boot-time value of the options is known (capture no -a, or audit the live host)")
			}
			return nil
		},
		Fix: fixNetOption,
	})
}

// checkSetting compares one option with what a rule wants, now and at boot.
// ok is false when neither is known.
func checkSetting(c *rule.Context, s setting) (*rule.Finding, bool) {
	o, _ := c.Facts.NetOptions.Get(s.key)
	boot, bootKnown := o.Boot, o.BootSet
	if !bootKnown && s.def != "" {
		boot, bootKnown = s.def, true
	}
	if boot == "DEFAULT" {
		boot = s.def
	}
	if !o.CurrentKnown && !bootKnown {
		return nil, false
	}
	var problems []string
	where := rule.Location{Key: s.key}
	if o.CurrentKnown && o.Current != s.want {
		problems = append(problems, fmt.Sprintf("%s = %s now (%s)", s.key, o.Current, o.CurrentFrom))
	}
	if bootKnown && boot != s.want {
		if o.BootSet {
			problems = append(problems, fmt.Sprintf("set to %s at boot by %s", boot, o.BootFrom))
			where.File, where.Line = o.BootFrom.File, o.BootFrom.Line
		} else {
			problems = append(problems, fmt.Sprintf("nothing sets it at boot, so it is %s after a reboot", boot))
		}
	}
	if len(problems) == 0 {
		return nil, true
	}
	return &rule.Finding{
		Where:    where,
		Found:    strings.Join(problems, "; "),
		Expected: fmt.Sprintf("%s = %s, now and at every boot", s.key, s.want),
		Exposure: rule.Host,
		Data:     map[string]string{"key": s.key, "want": s.want, "now": strconv.FormatBool(o.CurrentKnown && o.Current != s.want)},
	}, true
}

// fixNetOption sets an option at boot and, on a live host, now.
func fixNetOption(c *rule.Context, f rule.Finding) []remedy.Change {
	key, want := f.Data["key"], f.Data["want"]
	if key == "" {
		return nil
	}
	why := fmt.Sprintf("set %s to %s at boot", key, want)
	if c.Facts.Platform.OS == target.Linux {
		file := "/etc/sysctl.d/60-bastion-" + key + ".conf"
		return []remedy.Change{
			remedy.CreateFile(file, "# set by bastion ("+f.Rule+")\n"+key+" = "+want+"\n", 0o644, "root", "root").For(f.Rule, why),
			remedy.Command(f.Rule, "set it now", "sysctl", "-w", key+"="+want).WhenOffline("applied at next boot"),
		}
	}
	now := remedy.Command(f.Rule, "set it now", "no", "-o", key+"="+want).WhenOffline("applied at next boot")
	// AIX 5.2 and later keep boot values in /etc/tunables/nextboot.
	if nb := nextbootStanza(c); nb != nil {
		// no -p sets the value now and in nextboot, as the edit does.
		return []remedy.Change{
			remedy.InsertAfter(nb.File, nb.Line, "\t"+key+" = \""+want+"\"").For(f.Rule, why),
			remedy.Command(f.Rule, "set it now and at boot", "no", "-p", "-o", key+"="+want).WhenOffline("applied at next boot"),
		}
	}
	// Before 5.2, the method runs "no -o" from inittab at every boot.
	brc := inittabEntry(c, "brc")
	if brc == nil {
		return []remedy.Change{now}
	}
	id := inittabID(key)
	line := fmt.Sprintf("%s:2:once:/usr/sbin/no -o %s=%s >/dev/console 2>&1 # set by bastion", id, key, want)
	return []remedy.Change{
		remedy.InsertAfter(brc.Source.File, brc.Source.Line, line).For(f.Rule, why),
		now,
	}
}

// nextbootStanza returns a line inside the no: stanza of
// /etc/tunables/nextboot (one of its settings), when the host has one; a new
// setting goes after it.
func nextbootStanza(c *rule.Context) *host.Source {
	for _, name := range c.Facts.NetOptions.Names() {
		o, _ := c.Facts.NetOptions.Get(name)
		for _, b := range o.BootSettings {
			if b.From.File == "/etc/tunables/nextboot" {
				return &host.Source{File: b.From.File, Line: b.From.Line}
			}
		}
	}
	return nil
}

// inittabEntry returns the inittab start with an identifier.
func inittabEntry(c *rule.Context, id string) *host.Start {
	for i := range c.Facts.Starts {
		if s := &c.Facts.Starts[i]; s.Kind == host.KindInittab && s.ID == id {
			return s
		}
	}
	return nil
}

// inittabID makes a short, stable inittab identifier for an option (at most
// 14 characters, as inittab allows).
func inittabID(key string) string {
	h := fnv.New32a()
	h.Write([]byte(key))
	return fmt.Sprintf("bno%08x", h.Sum32())
}
