package firewall

import (
	"fmt"
	"net/netip"
	"slices"
	"sort"
	"strings"
)

// Reach says who can open a connection to a socket.
type Reach string

// The answers Evaluate gives.
const (
	// Anywhere: some path lets the packet in with no restriction on its
	// source, or from a large part of the public address space.
	Anywhere Reach = "anywhere"
	// Local: only sources in some networks get in; Verdict.Sources names
	// them.
	Local Reach = "local"
	// Loopback: the socket listens on a loopback address, which only the
	// host itself can reach, whatever the filter says.
	Loopback Reach = "loopback"
	// None: the filter lets no new connection in.
	None Reach = "none"
	// Unknown: a rule the model does not understand could decide.
	Unknown Reach = "unknown"
)

// Verdict is Evaluate's answer for one socket.
type Verdict struct {
	// Reach says who can open a connection.
	Reach Reach
	// Sources holds the networks that get in, when Reach is Local (and,
	// when Reach is Unknown, those that might).
	Sources []netip.Prefix
	// Why explains the answer in one line.
	Why string
	// Where names the deciding rule ("file:line", "nft table ...
	// handle N"), the chain whose policy decides, or the listen address
	// ("listen 127.0.0.1"). It is empty when no chain decides: a family
	// without an input chain lets everything in.
	Where string
}

// publicLimit is how many public source addresses an accept may let in
// and still count as reaching some networks only: a /8 of IPv4, a /32 of
// IPv6 (one allocation of a registry). Beyond that the socket counts as
// reachable from anywhere: "! -s 10.0.0.0/8 -j ACCEPT" opens it to the
// world, "-s 203.0.113.0/24 -j ACCEPT" to one network.
var publicLimit = map[Family]float64{IPv4: 1 << 24, IPv6: 1 << 96}

// maxDepth bounds how deep jumps may nest; the kernel refuses loops, but a
// hand-made file may hold one.
const maxDepth = 32

// Evaluate says who can open a new connection to proto ("tcp", "udp"; a
// trailing "6" as ss and netstat write it is ignored) and port on a
// socket bound to listen (0.0.0.0, ::, 127.0.0.1 or a specific address).
// A nil rs means the host has no packet filter.
func Evaluate(rs *Ruleset, proto string, listen netip.Addr, port int) Verdict {
	return rs.Evaluate(proto, listen, port)
}

// Evaluate says who can open a new connection to proto and port on a
// socket bound to listen; see the package function Evaluate. It may be
// called on a nil *Ruleset.
//
// A socket bound to 127.0.0.0/8 or ::1 (or ::ffff:127.0.0.1) is Loopback
// whatever the filter. An IPv4 socket is judged by the ip family's
// chains, a socket bound to a specific IPv6 address by the ip6 family's,
// and one bound to "::" by both, since Linux hands it IPv4 connections
// too unless bindv6only is set; the answer is then the wider of the two.
// An invalid listen address counts as "::".
//
// Within a family, every base chain of the input hook sees the packet in
// order of priority, and the packet gets in only if each of them accepts
// it.
//
// Rules the model does not understand are judged conservatively. Each
// such rule that could match the packet may match it or not (and a
// verdict not understood, or a jump to a missing chain, may accept, drop
// or go on); the chains are run for every combination. Sources let in by
// every run are certain, those let in by some run only are not, and make
// the answer Unknown unless the certain ones already make it Anywhere. A
// rule not understood therefore does not matter when every way it can go
// ends the same: a later rule or the policy drops (or accepts) what it
// lets pass. A blocklist not understood ahead of an accept does matter:
// it could hold every address. When there are too many combinations to
// try, the answer is Unknown.
func (rs *Ruleset) Evaluate(proto string, listen netip.Addr, port int) Verdict {
	proto = normProto(strings.TrimSuffix(strings.ToLower(proto), "6"))
	if !listen.IsValid() {
		listen = netip.IPv6Unspecified()
	}
	listen = listen.WithZone("")
	if u := listen.Unmap(); u.IsLoopback() {
		return Verdict{Reach: Loopback, Why: "listens on a loopback address, which only the host itself can reach", Where: "listen " + listen.String()}
	}
	if rs == nil {
		return Verdict{Reach: Anywhere, Why: "no packet filter: every connection is let in", Where: "listen " + listen.String()}
	}
	type job struct {
		fam   Family
		daddr netip.Addr // invalid: any address of the host
	}
	var jobs []job
	switch u := listen.Unmap(); {
	case u.Is4() && u.IsUnspecified():
		jobs = []job{{IPv4, netip.Addr{}}}
	case u.Is4():
		jobs = []job{{IPv4, u}}
	case u.IsUnspecified():
		jobs = []job{{IPv6, netip.Addr{}}, {IPv4, netip.Addr{}}}
	default:
		jobs = []job{{IPv6, u}}
	}
	var results []famResult
	for _, j := range jobs {
		results = append(results, rs.evalFamily(j.fam, proto, port, j.daddr))
	}
	return combine(results)
}

// famResult is what one family's chains let in.
type famResult struct {
	fam Family
	// sure holds the sources that get in whatever the rules not
	// understood do, maybe those that get in for some choice of what
	// they do (a superset of sure).
	sure, maybe addrSet
	// events records what rules and policies did when no rule that is
	// not understood matches, for the explanation; uncertain holds the
	// rules not understood that the packet meets, with the sources they
	// could match.
	events    []event
	uncertain []event
	// note says on which interfaces or addresses only the packet gets
	// in, "" when on all.
	note string
	// noChain reports a family without a base input chain; tooMany one
	// whose rules tell apart more cases than can be tried, or jump
	// deeper than maxDepth.
	noChain, tooMany bool
}

// event is one rule or policy acting on a set of sources.
type event struct {
	kind   string // "accept", "drop", "uncertain"
	set    addrSet
	where  string
	text   string
	policy bool
}

// packet is one case of the packet: the protocol and port asked about,
// and one choice of the properties the rules tell apart.
type packet struct {
	proto string
	port  int
	iface string // never "lo"
	daddr netip.Addr
	sport int
}

// maxRuns bounds how many times one family's chains are run for one
// socket: once per case and per choice of what the rules not understood
// do.
const maxRuns = 1 << 14

// Choices for a rule not understood.
const (
	choiceNoMatch = iota // it does not match
	choiceMatch          // it matches; an unknown verdict accepts
	choiceDrop           // it matches and its unknown verdict drops
)

type evaluator struct {
	fam    Family
	chains map[string]*Chain // by table and name
	pkt    packet
	// choice says what each rule not understood does in this run.
	choice map[*Rule]int
	// record asks for events to be kept.
	record bool
	events []event
	// tooDeep reports jumps nested deeper than maxDepth, or more rules
	// visited than the budget allows.
	tooDeep bool
	// budget counts down the rules that may still be visited, over all
	// the runs for one socket.
	budget *int
	// srcs holds the sources each rule matches, shared by the runs.
	srcs map[*Rule]addrSet
}

// maxSteps bounds how many rules all the runs for one socket and family
// visit together. Chains that jump twice to a chain that jumps twice...
// would otherwise take time exponential in their depth.
const maxSteps = 1 << 20

func (rs *Ruleset) evalFamily(fam Family, proto string, port int, daddr netip.Addr) famResult {
	res := famResult{fam: fam}
	chains := rs.Families[fam]
	var bases []*Chain
	byName := map[string]*Chain{}
	for i := range chains {
		c := &chains[i]
		byName[c.Table+"\x00"+c.Name] = c
		if c.Hook == "input" && (c.Type == "" || c.Type == "filter") {
			bases = append(bases, c)
		}
	}
	if len(bases) == 0 {
		res.noChain = true
		res.sure, res.maybe = universe(fam), universe(fam)
		return res
	}
	sort.SliceStable(bases, func(i, j int) bool { return bases[i].Priority < bases[j].Priority })
	seen := reachable(bases, byName)

	cs := cases(seen, fam, daddr)
	runs := len(cs.ifaces) * len(cs.daddrs) * len(cs.sports)
	ifaceIn, daddrIn := map[string]bool{}, map[netip.Addr]bool{}
	budget := maxSteps
	srcs := map[*Rule]addrSet{}
	for _, ifc := range cs.ifaces {
		for _, da := range cs.daddrs {
			for _, sp := range cs.sports {
				pkt := packet{proto, port, ifc, da, sp}
				probe := &evaluator{fam: fam, chains: byName, pkt: pkt, srcs: srcs}
				// The rules not understood that could match this
				// packet, and how many things each may do.
				var rel []*Rule
				var kinds []int
				combos := 1
				for _, c := range seen {
					for j := range c.Rules {
						r := &c.Rules[j]
						n := probe.uncertainChoices(c, r)
						if n == 0 {
							continue
						}
						src, _ := probe.match(r)
						rel, kinds = append(rel, r), append(kinds, n)
						res.uncertain = append(res.uncertain, event{"uncertain", src, r.Where, r.Text, false})
						combos *= n
						if combos > maxRuns {
							break
						}
					}
				}
				if runs += combos; runs > maxRuns {
					res.tooMany = true
					res.maybe = universe(fam)
					return res
				}
				var sure, maybe addrSet
				for k := 0; k < combos; k++ {
					ev := &evaluator{fam: fam, chains: byName, pkt: pkt, choice: map[*Rule]int{}, record: k == 0, budget: &budget, srcs: srcs}
					for i, x := 0, k; i < len(rel); i++ {
						ev.choice[rel[i]] = x % kinds[i]
						x /= kinds[i]
					}
					in := universe(fam)
					for _, b := range bases {
						in = ev.base(b, in)
					}
					if ev.tooDeep {
						res.tooMany = true
						res.maybe = universe(fam)
						return res
					}
					if k == 0 {
						sure = in
						res.events = append(res.events, ev.events...)
					} else {
						sure = sure.intersect(in)
					}
					maybe = maybe.union(in)
				}
				res.sure = res.sure.union(sure)
				res.maybe = res.maybe.union(maybe)
				if !maybe.empty() {
					ifaceIn[ifc], daddrIn[da] = true, true
				}
			}
		}
	}
	res.note = cs.restriction(ifaceIn, daddrIn)
	return res
}

// reachable lists the base chains and the chains they jump or go to,
// directly or not: the chains an incoming packet can meet. The rules of
// other chains (forward, output, nat) do not matter here.
func reachable(bases []*Chain, byName map[string]*Chain) []*Chain {
	out := slices.Clone(bases)
	in := map[*Chain]bool{}
	for _, b := range bases {
		in[b] = true
	}
	for i := 0; i < len(out); i++ {
		for _, r := range out[i].Rules {
			verdict, target, _ := strings.Cut(r.Verdict, ":")
			if verdict != "jump" && verdict != "goto" {
				continue
			}
			if c, ok := byName[out[i].Table+"\x00"+target]; ok && !in[c] {
				in[c] = true
				out = append(out, c)
			}
		}
	}
	return out
}

// uncertainChoices says how many things a rule may do to the packet when
// the model does not understand it: 2 (match or not) for a match not
// understood, 3 (go on, accept or drop) for a verdict not understood or a
// jump to a chain that is missing, 0 for a rule that is understood, that
// cannot match, or that has no verdict.
func (ev *evaluator) uncertainChoices(c *Chain, r *Rule) int {
	if r.Verdict == "" {
		return 0
	}
	if _, ok := ev.match(r); !ok {
		return 0
	}
	switch {
	case r.Verdict == "unknown" || ev.missingTarget(c, r):
		return 3
	case r.Unknown:
		return 2
	}
	return 0
}

// missingTarget reports a jump or goto to a chain the table does not have.
func (ev *evaluator) missingTarget(c *Chain, r *Rule) bool {
	verdict, target, _ := strings.Cut(r.Verdict, ":")
	if verdict != "jump" && verdict != "goto" {
		return false
	}
	_, ok := ev.chains[c.Table+"\x00"+target]
	return !ok
}

// caseSet holds the values of the packet's interface, destination
// address and source port that the chains tell apart: one of each class.
type caseSet struct {
	ifaces []string
	// ifaceLabels shows each interface tried as the report does.
	ifaceLabels map[string]string
	daddrs      []netip.Addr
	// daddrLabels names the prefix of a rule that a destination tried
	// starts; destinations no rule names have no label.
	daddrLabels map[netip.Addr]netip.Prefix
	sports      []int
}

// restriction says on which interfaces or to which addresses only the
// packet gets in, when that is not all of them.
func (cs caseSet) restriction(ifaceIn map[string]bool, daddrIn map[netip.Addr]bool) string {
	if len(ifaceIn) == 0 {
		return ""
	}
	var notes []string
	if len(ifaceIn) < len(cs.ifaces) {
		var names []string
		for _, i := range cs.ifaces {
			if ifaceIn[i] {
				names = append(names, cs.ifaceLabels[i])
			}
		}
		notes = append(notes, "arriving on "+strings.Join(names, ", "))
	}
	// Addresses are worth a note only when the packet gets in to some
	// that rules name and to no other.
	var addrs []string
	for _, a := range cs.daddrs {
		if !daddrIn[a] {
			continue
		}
		label, named := cs.daddrLabels[a]
		if !named {
			addrs = nil
			break
		}
		addrs = append(addrs, label.String())
	}
	if len(addrs) > 0 && len(daddrIn) < len(cs.daddrs) {
		notes = append(notes, "sent to "+strings.Join(addrs, ", "))
	}
	if len(notes) == 0 {
		return ""
	}
	return "only for packets " + strings.Join(notes, " and ")
}

// otherIface stands for an interface no rule names.
const otherIface = "\x00other"

// cases lists the values of the packet's interface, destination address
// and source port that the chains tell apart. daddr is the listen address,
// or invalid for a socket bound to every address.
//
// An interface pattern with a wildcard is tried as the name made of its
// part before the wildcard.
func cases(chains []*Chain, fam Family, daddr netip.Addr) caseSet {
	cs := caseSet{
		ifaceLabels: map[string]string{otherIface: "other interfaces"},
		daddrLabels: map[netip.Addr]netip.Prefix{},
	}
	var dsts []netip.Prefix
	portBounds := map[int]bool{1: true}
	for _, c := range chains {
		for _, r := range c.Rules {
			if r.InIface != "" {
				name := wildcardPrefix(r.InIface)
				if _, seen := cs.ifaceLabels[name]; name != "lo" && !seen {
					cs.ifaces = append(cs.ifaces, name)
					cs.ifaceLabels[name] = r.InIface
				}
			}
			if !daddr.IsValid() {
				for _, p := range r.Dst {
					if p.IsValid() && famOf(p.Addr(), fam) {
						dsts = append(dsts, p.Masked())
					}
				}
			}
			for _, pr := range r.SPorts {
				portBounds[pr.From] = true
				if pr.To < 65535 {
					portBounds[pr.To+1] = true
				}
			}
		}
	}
	cs.ifaces = append(cs.ifaces, otherIface)
	if daddr.IsValid() {
		cs.daddrs = []netip.Addr{daddr}
	} else {
		// One address of every stretch between the prefixes' edges.
		edges := map[netip.Addr]bool{universe(fam)[0].lo: true}
		for _, p := range dsts {
			edges[p.Addr()] = true
			if old, named := cs.daddrLabels[p.Addr()]; !named || p.Bits() > old.Bits() {
				// The narrowest prefix starting there names it.
				cs.daddrLabels[p.Addr()] = p
			}
			if n := lastAddr(p).Next(); n.IsValid() {
				edges[n] = true
			}
		}
		for a := range edges {
			cs.daddrs = append(cs.daddrs, a)
		}
		slices.SortFunc(cs.daddrs, func(a, b netip.Addr) int { return a.Compare(b) })
	}
	for p := range portBounds {
		if p >= 1 && p <= 65535 {
			cs.sports = append(cs.sports, p)
		}
	}
	sort.Ints(cs.sports)
	return cs
}

// wildcardPrefix returns the part of an interface pattern before its
// trailing "+" or "*", or the name itself.
func wildcardPrefix(name string) string {
	if strings.HasSuffix(name, "+") || strings.HasSuffix(name, "*") {
		return name[:len(name)-1]
	}
	return name
}

// base runs a base chain and applies its policy to what falls through.
func (ev *evaluator) base(c *Chain, in addrSet) addrSet {
	if in.empty() {
		return in
	}
	acc, ret := ev.run(c, in, 0)
	if ret.empty() {
		return acc
	}
	if c.Policy == "drop" {
		ev.note("drop", ret, c.Where, "policy drop of chain "+c.Name, true)
		return acc
	}
	ev.note("accept", ret, c.Where, "policy accept of chain "+c.Name, true)
	return acc.union(ret)
}

func (ev *evaluator) note(kind string, s addrSet, where, text string, policy bool) {
	if ev.record && !s.empty() {
		ev.events = append(ev.events, event{kind, s, where, text, policy})
	}
}

// run follows the sources in through a chain and returns those it
// accepts and those that come back to the caller (by return or by
// falling off the end).
func (ev *evaluator) run(c *Chain, in addrSet, depth int) (acc, ret addrSet) {
	cur := in
	for i := range c.Rules {
		if cur.empty() {
			break
		}
		r := &c.Rules[i]
		if r.Verdict == "" {
			continue
		}
		if *ev.budget--; *ev.budget < 0 {
			ev.tooDeep = true
			return acc, ret
		}
		src, ok := ev.match(r)
		if !ok {
			continue
		}
		m := cur.intersect(src)
		if m.empty() {
			continue
		}
		verdict, target, _ := strings.Cut(r.Verdict, ":")
		if choice, uncertain := ev.choice[r]; uncertain {
			switch {
			case choice == choiceNoMatch:
				continue
			case choice == choiceDrop:
				verdict = "drop"
			case verdict == "unknown" || ev.missingTarget(c, r):
				verdict = "accept"
			}
		}
		rest := cur.minus(src)
		if r.Sometimes {
			// Some packets match and some do not: both go on.
			rest = cur
		}
		switch verdict {
		case "accept":
			acc = acc.union(m)
			ev.note("accept", m, r.Where, r.Text, false)
		case "drop", "reject":
			ev.note("drop", m, r.Where, r.Text, false)
		case "return":
			ret = ret.union(m)
		case "jump", "goto":
			tc, found := ev.chains[c.Table+"\x00"+target]
			if !found {
				// Only in a run that chose "go on" for a missing
				// chain, which the choice above turned away.
				rest = rest.union(m)
				break
			}
			if depth >= maxDepth {
				ev.tooDeep = true
				return acc, ret
			}
			a, back := ev.run(tc, m, depth+1)
			acc = acc.union(a)
			if verdict == "jump" {
				rest = rest.union(back)
			} else {
				ret = ret.union(back)
			}
		default:
			// An "unknown" verdict never gets here: it is a rule
			// not understood, and the choice above replaced it.
			rest = rest.union(m)
		}
		cur = rest
	}
	return acc, ret.union(cur)
}

// match reports whether the rule can match the packet, and for which
// sources. It looks at every match the model knows; Unknown and Sometimes
// are left to the caller.
func (ev *evaluator) match(r *Rule) (addrSet, bool) {
	p := ev.pkt
	if r.Proto != "" || r.ProtoNot {
		if (normProto(r.Proto) == p.proto || normProto(r.Proto) == "") == r.ProtoNot {
			return nil, false
		}
	}
	if len(r.DPorts) > 0 {
		if !hasPorts(p.proto) || portIn(r.DPorts, p.port) == r.DPortsNot {
			return nil, false
		}
	}
	if len(r.SPorts) > 0 {
		if !hasPorts(p.proto) || portIn(r.SPorts, p.sport) == r.SPortsNot {
			return nil, false
		}
	}
	if r.InIface != "" && ifaceMatch(r.InIface, p.iface) == r.InIfaceNot {
		return nil, false
	}
	if len(r.State) > 0 && slices.Contains(r.State, "new") == r.StateNot {
		return nil, false
	}
	if len(r.Dst) > 0 {
		in := false
		if p.daddr.IsValid() {
			for _, d := range r.Dst {
				if d.Contains(p.daddr) {
					in = true
				}
			}
		}
		if in == r.DstNot {
			return nil, false
		}
	}
	src, ok := ev.srcs[r]
	if !ok {
		src = universe(ev.fam)
		if len(r.Src) > 0 {
			s := setOf(r.Src, ev.fam)
			if r.SrcNot {
				src = src.minus(s)
			} else {
				src = src.intersect(s)
			}
		}
		ev.srcs[r] = src
	}
	return src, !src.empty()
}

func portIn(rs []PortRange, p int) bool {
	for _, r := range rs {
		if r.Contains(p) {
			return true
		}
	}
	return false
}

// ifaceMatch matches an interface name against a pattern, which may end
// in the wildcard "+" or "*". The placeholder for unnamed interfaces
// matches no pattern.
func ifaceMatch(pattern, name string) bool {
	if name == otherIface {
		return false
	}
	if w := wildcardPrefix(pattern); w != pattern {
		return strings.HasPrefix(name, w)
	}
	return pattern == name
}

// judge turns one family's result into a verdict.
func (r famResult) judge() Verdict {
	switch {
	case r.noChain:
		return Verdict{Reach: Anywhere, Why: fmt.Sprintf("no %s input chain: every %s connection is let in", r.fam, famName(r.fam))}
	case r.tooMany:
		return Verdict{Reach: Unknown, Why: fmt.Sprintf("the %s rules branch too much to follow: too many cases of interface, address and port, too many rules not understood, or jumps nested deeper than %d or taken too often", r.fam, maxDepth)}
	case r.maybe.empty():
		e, ok := r.biggest("drop")
		if !ok {
			return Verdict{Reach: None, Why: "no path lets the connection in"}
		}
		return Verdict{Reach: None, Why: "dropped by " + e.text, Where: e.where}
	}
	sureReach := r.classify(r.sure)
	if r.sure.equal(r.maybe) || sureReach == Anywhere {
		e := r.firstAccept(r.sure)
		v := Verdict{Reach: sureReach, Where: e.where}
		if sureReach == Local {
			v.Sources = r.sure.prefixes()
			v.Why = "accepted from " + prefixList(v.Sources) + " only, by " + e.text
		} else {
			v.Why = "accepted by " + e.text
		}
		if r.note != "" {
			v.Why += " (" + r.note + ")"
		}
		return v
	}
	e := r.firstUncertain(r.maybe.minus(r.sure))
	v := Verdict{Reach: Unknown, Where: e.where, Sources: r.maybe.prefixes()}
	if r.classify(r.maybe) == Anywhere {
		v.Sources = nil
	}
	v.Why = "a match the model does not understand may let in " + summary(r.maybe.minus(r.sure), r.fam) + ": " + e.text
	return v
}

// classify says whether accepted sources make a socket reachable from
// anywhere or from some networks only.
func (r famResult) classify(s addrSet) Reach {
	if s.empty() {
		return None
	}
	if s.minus(nonPublic[r.fam]).size() > publicLimit[r.fam] {
		return Anywhere
	}
	return Local
}

// firstAccept is the first accept by a rule whose sources meet s, or,
// failing that, the first accept by a policy.
func (r famResult) firstAccept(s addrSet) event {
	var pol *event
	for i, e := range r.events {
		if e.kind != "accept" || e.set.intersect(s).empty() {
			continue
		}
		if !e.policy {
			return e
		}
		if pol == nil {
			pol = &r.events[i]
		}
	}
	if pol != nil {
		return *pol
	}
	return event{text: "the rules"}
}

func (r famResult) firstUncertain(s addrSet) event {
	for _, e := range r.uncertain {
		if !e.set.intersect(s).empty() {
			return e
		}
	}
	return event{text: "a rule not understood"}
}

// biggest is the event of a kind that acted on the most sources.
func (r famResult) biggest(kind string) (event, bool) {
	var best event
	found := false
	for _, e := range r.events {
		if e.kind == kind && (!found || e.set.size() > best.set.size()) {
			best, found = e, true
		}
	}
	return best, found
}

func famName(f Family) string {
	if f == IPv6 {
		return "IPv6"
	}
	return "IPv4"
}

func prefixList(ps []netip.Prefix) string {
	const show = 4
	var parts []string
	for i, p := range ps {
		if i == show {
			parts = append(parts, fmt.Sprintf("and %d more", len(ps)-show))
			break
		}
		parts = append(parts, p.String())
	}
	return strings.Join(parts, ", ")
}

// summary names a set of sources briefly.
func summary(s addrSet, fam Family) string {
	if s.equal(universe(fam)) {
		return "any " + famName(fam) + " source"
	}
	return prefixList(s.prefixes())
}

// reachOrder ranks answers for a socket judged by two families: the wider
// one wins, and an unknown one outranks a narrower known one.
var reachOrder = map[Reach]int{None: 0, Local: 1, Unknown: 2, Anywhere: 3}

// combine merges the verdicts of the families a socket is judged by.
func combine(results []famResult) Verdict {
	var best Verdict
	var sources []netip.Prefix
	for i, r := range results {
		v := r.judge()
		if len(results) > 1 {
			v.Why = famName(r.fam) + ": " + v.Why
		}
		if v.Reach == Local || v.Reach == Unknown {
			sources = append(sources, v.Sources...)
		}
		if i == 0 || reachOrder[v.Reach] > reachOrder[best.Reach] {
			best = v
		}
	}
	if best.Reach == Local || best.Reach == Unknown {
		best.Sources = sources
	}
	return best
}
