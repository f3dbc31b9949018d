package firewall

import (
	"errors"
	"net/netip"
	"strconv"
	"strings"

	"bastion/internal/parse/iptsave"
)

// FromIPTables builds the model of the filter tables in iptables-save
// (v4) and ip6tables-save (v6) output. A nil file, or one without a
// filter table, leaves its family without chains, so that every packet of
// that family gets in: a host with IPv4 rules and no IPv6 rules is open
// over IPv6. The model holds the filter table's INPUT chain and every
// chain of the user; the other built-in chains are kept with their hooks
// but do not see incoming packets.
//
// ufw keeps its rules in the same format; this models them too, but its
// files (/etc/ufw/user.rules and the rest) hold only ufw's own chains, not
// the INPUT chain that jumps to them. The output of iptables-save on the
// running host has both.
func FromIPTables(v4, v6 *iptsave.File) (*Ruleset, error) {
	if v4 == nil && v6 == nil {
		return nil, errors.New("no iptables rules")
	}
	rs := &Ruleset{Source: "iptables", Families: map[Family][]Chain{}}
	for _, in := range []struct {
		f   *iptsave.File
		fam Family
	}{{v4, IPv4}, {v6, IPv6}} {
		if in.f == nil {
			continue
		}
		var tab *iptsave.Table
		for i := range in.f.Tables {
			if in.f.Tables[i].Name == "filter" {
				// iptables-restore replaces a table given twice.
				tab = &in.f.Tables[i]
			}
		}
		if tab == nil {
			continue
		}
		rs.Families[in.fam] = iptChains(in.f, tab, in.fam)
	}
	return rs, nil
}

// hooks gives the hook of each built-in chain of the filter table.
var hooks = map[string]string{"INPUT": "input", "FORWARD": "forward", "OUTPUT": "output"}

func iptChains(f *iptsave.File, tab *iptsave.Table, fam Family) []Chain {
	names := map[string]bool{}
	var chains []Chain
	add := func(name, policy string, line int) {
		if names[name] {
			return
		}
		names[name] = true
		c := Chain{Name: name, Table: "filter", Type: "filter", Hook: hooks[name], Where: f.Name}
		if line > 0 {
			c.Where = f.Name + ":" + strconv.Itoa(line)
		}
		if c.Hook != "" {
			// A built-in chain not declared keeps the kernel's
			// default policy, accept.
			c.Policy = "accept"
			if strings.EqualFold(policy, "DROP") {
				c.Policy = "drop"
			}
		}
		chains = append(chains, c)
	}
	for _, c := range tab.Chains {
		add(c.Name, c.Policy, c.Line)
	}
	for _, r := range tab.Rules {
		add(r.Chain, "", 0)
	}
	for i := range chains {
		for _, r := range tab.ChainRules(chains[i].Name) {
			chains[i].Rules = append(chains[i].Rules, iptRule(f, r, names, fam)...)
		}
	}
	return chains
}

// targets lists the targets that do not end a rule's evaluation: they
// log, mark or change the packet and let it go on.
var targets = map[string]bool{
	"LOG": true, "NFLOG": true, "ULOG": true, "MARK": true, "CONNMARK": true,
	"CT": true, "NOTRACK": true, "TCPMSS": true, "TRACE": true, "AUDIT": true,
	"SET": true, "CLASSIFY": true, "DSCP": true, "TOS": true, "TTL": true,
	"HL": true, "SECMARK": true, "CONNSECMARK": true, "CHECKSUM": true,
	"LED": true, "IDLETIMER": true, "TEE": true,
}

// iptRule converts one rule of the filter table for the family fam.
func iptRule(f *iptsave.File, r iptsave.Rule, chains map[string]bool, fam Family) []Rule {
	b := &builder{r: Rule{Where: f.Name + ":" + strconv.Itoa(r.Line)}}
	if r.Line >= 1 && r.Line <= len(f.Lines) {
		b.r.Text = strings.TrimSpace(f.Lines[r.Line-1])
	}
	for _, o := range r.Options {
		iptOption(b, o, fam)
	}
	switch t := r.Target; {
	case t == "":
	case t == "ACCEPT":
		b.r.Verdict = "accept"
	case t == "DROP" || t == "TARPIT":
		b.r.Verdict = "drop"
	case t == "REJECT":
		b.r.Verdict = "reject"
	case t == "RETURN":
		b.r.Verdict = "return"
	case chains[t] && r.Goto:
		b.r.Verdict = "goto:" + t
	case chains[t]:
		b.r.Verdict = "jump:" + t
	case targets[t]:
	default:
		// QUEUE, NFQUEUE, a NAT target out of place, or one not
		// known: what it does to the packet is not known.
		b.r.Verdict = "unknown"
	}
	return b.rules(fam)
}

// iptOption records one option of a rule.
func iptOption(b *builder, o iptsave.Option, fam Family) {
	arg := ""
	if len(o.Args) > 0 {
		arg = o.Args[0]
	}
	switch o.Name {
	case "-p":
		b.proto([]string{arg}, o.Not)
		return
	case "-s", "-d":
		ps, ok := addrList(arg)
		if !ok || (o.Not && len(ps) > 1) {
			b.unknown()
			return
		}
		if o.Name == "-s" {
			b.src(ps, o.Not)
		} else {
			b.dst(ps, o.Not)
		}
		return
	case "-i":
		b.iface([]string{arg}, o.Not)
		return
	case "-o":
		// INPUT has no output interface; a chain reached from
		// elsewhere might.
		b.unknown()
		return
	case "-f", "--fragment":
		// The first packet of a connection is no later fragment.
		if !o.Not {
			b.never = true
		}
		return
	case "-4", "--ipv4":
		if fam != IPv4 {
			b.never = true
		}
		return
	case "-6", "--ipv6":
		if fam != IPv6 {
			b.never = true
		}
		return
	case "-m", "-j", "-g", "-c":
		return
	}
	if strings.HasPrefix(o.Module, "target:") {
		// An option of the target (--reject-with, --log-prefix).
		return
	}
	module := normProto(o.Module) // "-p 6 --dport 22" loads tcp
	if portOptions[o.Name] && !hasPorts(module) && len(b.protos) == 1 && hasPorts(b.protos[0]) {
		// "-m addrtype ... -p tcp --dport 22": the option belongs
		// to the protocol's match, which -p loaded, not to the
		// module named last.
		module = b.protos[0]
	}
	switch module {
	case "tcp", "udp", "sctp", "dccp", "udplite":
		switch o.Name {
		case "--dport", "--destination-port":
			b.proto([]string{module}, false)
			portOption(b, arg, o.Not, b.dport)
		case "--sport", "--source-port":
			b.proto([]string{module}, false)
			portOption(b, arg, o.Not, b.sport)
		case "--syn":
			// Only the first packet of a connection is a SYN.
			b.proto([]string{"tcp"}, false)
			if o.Not {
				b.never = true
			}
		case "--tcp-flags":
			b.proto([]string{"tcp"}, false)
			if len(o.Args) != 2 {
				b.unknown()
				return
			}
			mask, ok1 := parseFlags(o.Args[0])
			comp, ok2 := parseFlags(o.Args[1])
			if !ok1 || !ok2 {
				b.unknown()
				return
			}
			if (synFlags&mask == comp) == o.Not {
				b.never = true
			}
		default:
			b.unknown()
		}
	case "multiport":
		switch o.Name {
		case "--dports", "--destination-ports":
			portOption(b, arg, o.Not, b.dport)
		case "--sports", "--source-ports":
			portOption(b, arg, o.Not, b.sport)
		default:
			b.unknown()
		}
	case "conntrack", "state":
		if o.Name != "--ctstate" && o.Name != "--state" {
			b.unknown()
			return
		}
		b.state(strings.Split(arg, ","), o.Not)
	case "comment":
	case "limit", "hashlimit", "connlimit":
		b.r.Sometimes = true
	case "recent":
		switch o.Name {
		case "--rcheck", "--update":
			b.r.Sometimes = true
		case "--set", "--remove", "--name", "--rsource", "--rdest", "--seconds",
			"--hitcount", "--rttl", "--reap", "--mask":
			// --set and --remove always match; the rest qualify.
		default:
			b.unknown()
		}
	case "addrtype":
		// The packet is sent from a remote unicast address to one of
		// the host's own.
		switch o.Name {
		case "--dst-type":
			typeOption(b, arg, o.Not, "LOCAL")
		case "--src-type":
			typeOption(b, arg, o.Not, "UNICAST")
		case "--limit-iface-in", "--limit-iface-out":
		default:
			b.unknown()
		}
	case "pkttype":
		if o.Name != "--pkt-type" {
			b.unknown()
			return
		}
		typeOption(b, arg, o.Not, "UNICAST", "HOST")
	case "iprange":
		lo, hi, ok := strings.Cut(arg, "-")
		ps, ok2 := rangeArg(lo, hi)
		switch {
		case !ok || !ok2:
			b.unknown()
		case o.Name == "--src-range":
			b.src(ps, o.Not)
		case o.Name == "--dst-range":
			b.dst(ps, o.Not)
		default:
			b.unknown()
		}
	default:
		b.unknown()
	}
}

// portOptions lists the options of the tcp and udp matches.
var portOptions = map[string]bool{
	"--dport": true, "--destination-port": true, "--sport": true, "--source-port": true,
	"--syn": true, "--tcp-flags": true,
}

// portOption records a list of ports written "22", "1000:2000" or
// "22,80,1000:2000".
func portOption(b *builder, arg string, not bool, set func([]PortRange, bool)) {
	var out []PortRange
	for _, p := range strings.Split(arg, ",") {
		lo, hi, isRange := strings.Cut(p, ":")
		if !isRange {
			hi = lo
		}
		if lo == "" {
			lo = "0"
		}
		if hi == "" {
			hi = "65535"
		}
		l, ok1 := parsePort(lo)
		h, ok2 := parsePort(hi)
		if !ok1 || !ok2 || l > h {
			// A service name, or a range backwards.
			b.unknown()
			return
		}
		out = append(out, PortRange{l, h})
	}
	set(out, not)
}

// typeOption judges a match of a type the packet has one of (want): the
// rule never matches when the list and the negation say the packet's type
// is out.
func typeOption(b *builder, arg string, not bool, want ...string) {
	in := false
	for _, t := range strings.Split(arg, ",") {
		for _, w := range want {
			if strings.EqualFold(t, w) {
				in = true
			}
		}
	}
	if in == not {
		b.never = true
	}
}

// addrList reads "-s 10.0.0.0/8" or a comma-separated list of them.
// Host names are not resolved.
func addrList(s string) ([]netip.Prefix, bool) {
	var out []netip.Prefix
	for _, a := range strings.Split(s, ",") {
		p, ok := parseAddrOrPrefix(a)
		if !ok {
			return nil, false
		}
		out = append(out, p)
	}
	return out, true
}

func rangeArg(lo, hi string) ([]netip.Prefix, bool) {
	l, err1 := netip.ParseAddr(lo)
	h, err2 := netip.ParseAddr(hi)
	if err1 != nil || err2 != nil {
		return nil, false
	}
	return rangePrefixes(l, h)
}
