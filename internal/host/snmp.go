package host

import (
	"bastion/internal/parse/idfile"
	"bytes"
	"fmt"
	"io/fs"
	"net/netip"
	"path"
	"sort"
	"strings"

	"bastion/internal/parse"
	"bastion/internal/parse/shellwords"
	"bastion/internal/parse/snmpconf"
	"bastion/internal/secret"
	"bastion/internal/target"
)

// The SNMP agents bastion reads the configuration of.
const (
	// AgentSNMPv1 is the AIX SNMPv1 agent, which reads /etc/snmpd.conf.
	AgentSNMPv1 = "snmpdv1"
	// AgentSNMPv3 is the AIX SNMPv3 agent (snmpdv3ne, the default since
	// AIX 5.3), which reads /etc/snmpdv3.conf.
	AgentSNMPv3 = "snmpdv3"
	// AgentNetSNMP is net-snmp's snmpd, which reads /etc/snmp/snmpd.conf
	// and the files it includes.
	AgentNetSNMP = "net-snmp"
)

// Where the SNMP agents keep their configuration, and the link that says
// which AIX agent runs.
const (
	snmpV1ConfPath     = "/etc/snmpd.conf"
	snmpV3ConfPath     = "/etc/snmpdv3.conf"
	netSNMPConfPath    = "/etc/snmp/snmpd.conf"
	netSNMPLocalConf   = "/etc/snmp/snmpd.local.conf"
	snmpdProgramPath   = "/usr/sbin/snmpd"
	snmpHostnamePath   = "/etc/hostname"
	snmpRCNetPath      = "/etc/rc.net"
	whatSNMP           = "SNMP agent configuration"
	whatSNMPFile       = "SNMP file owner and mode"
	snmpDefaultUDPPort = 161
	snmpAnyHost        = "any host"
)

// snmpMIBFiles are AIX's MIB definition files: the agent and the snmpinfo
// command read them.
var snmpMIBFiles = []string{"/etc/mib.defs", "/etc/mib_desc"}

// snmpAgentPrograms are the program names of SNMP agents; the subagents
// (hostmibd, snmpmibd, aixmibd, dpid2) have no configuration of their own.
var snmpAgentPrograms = map[string]bool{"snmpd": true, "snmpdv1": true, "snmpdv3": true, "snmpdv3ne": true}

// SNMP is the configuration of a host's SNMP agents: which agent runs,
// where it listens, the communities and users it lets in, who may write,
// and the files that hold its secrets and its MIB definitions.
type SNMP struct {
	// Agents are the agents that are configured: those an enabled start
	// runs, and those whose configuration file is present (or could not
	// be looked at). On AIX the SNMPv1 and SNMPv3 agents are separate
	// programs with separate files, and both are listed when present.
	Agents []SNMPAgent
	// Link is where /usr/sbin/snmpd leads on AIX (snmpv3_ssw switches
	// it between snmpdv1 and snmpdv3ne), or "" when it is not a link.
	Link string
	// HostName is the host's name as /etc/hostname or a hostname command
	// of AIX's /etc/rc.net sets it, or "" when neither does;
	// HostNameFrom is where it was read.
	HostName     string
	HostNameFrom Source
	// MIBFiles are the MIB definition files found (AIX /etc/mib.defs and
	// /etc/mib_desc), with their owner and mode.
	MIBFiles []SNMPFile
}

// Configured reports whether an SNMP agent is started or configured.
func (s *SNMP) Configured() bool { return s != nil && len(s.Agents) > 0 }

// SNMPAgent is one SNMP agent and its configuration.
type SNMPAgent struct {
	// Name is AgentSNMPv1, AgentSNMPv3 or AgentNetSNMP.
	Name string
	// Config is the agent's main configuration file.
	Config string
	// Files are the configuration files looked at, the main one first,
	// then the files it includes, with their owner and mode.
	Files []SNMPFile
	// Problem says why a configuration file that is there could not be
	// read, or is "".
	Problem string
	// Runs says whether an enabled start runs this agent: yes, no, or
	// unknown when a start runs an SNMP agent and the files do not say
	// which one (AIX without the /usr/sbin/snmpd link).
	Runs Answer
	// StartedBy are the enabled starts of the agent.
	StartedBy []Source
	// Note says how Runs was worked out, for findings ("/usr/sbin/snmpd
	// links to snmpdv3ne").
	Note string
	// Listen are the addresses the agent listens on by its configuration
	// and command line. ListenKnown is false when they cannot be told
	// (arguments from a variable). The sockets seen are in Facts.Sockets.
	Listen      []SNMPAddress
	ListenKnown bool
	// Communities are the SNMPv1 and SNMPv2c communities the agent lets
	// in, in file order.
	Communities []SNMPCommunity
	// Users are net-snmp's rouser and rwuser directives.
	Users []SNMPUser
	// NoAuthWrites are the access entries that give SNMPv3 users a write
	// view without authentication.
	NoAuthWrites []SNMPGrant
}

// SNMPAddress is an address an agent listens on.
type SNMPAddress struct {
	// Proto is udp, tcp, udp6, tcp6, unix, ...
	Proto string
	// Host is the address; "" for every interface, a path for unix.
	Host string
	Port int
	// Source is where it is set: an agentAddress line, the start's
	// arguments, or nothing for the agent's default.
	Source Source
}

// Loopback reports an address on the loopback interface only, or a local
// socket.
func (a SNMPAddress) Loopback() bool {
	if a.Proto == "unix" {
		return true
	}
	return snmpLoopbackHost(a.Host)
}

// String renders the address as "udp 127.0.0.1:161", "udp *:161".
func (a SNMPAddress) String() string {
	if a.Proto == "unix" {
		return "unix " + a.Host
	}
	h := a.Host
	if h == "" {
		h = "*"
	}
	if strings.Contains(h, ":") {
		h = "[" + h + "]"
	}
	return fmt.Sprintf("%s %s:%d", a.Proto, h, a.Port)
}

// SNMPFile is a file of an SNMP agent, as found in the target.
type SNMPFile struct {
	// Path is the file as the agent names it; Real is where it leads once
	// links are followed, the file a change of mode applies to.
	Path string
	Real string
	// Exists reports a regular file; Mode, UID and GID are its mode,
	// owner and group then. UID and GID are -1 when unknown.
	Exists   bool
	Mode     fs.FileMode
	UID, GID int
	// Group is the name of group GID in the target's /etc/group, or "".
	Group string
	// Problem says why the file could not be looked at, or is "".
	Problem string
}

// SNMPCommunity is one entry that lets an SNMPv1 or SNMPv2c community in.
// The community is a password: Name and Text are never to be shown as
// they are (secret.Redact shows a community), and are left out of JSON.
type SNMPCommunity struct {
	Source Source
	// Directive is the keyword as written: community, COMMUNITY,
	// rocommunity, rwcommunity, com2sec, ...
	Directive string
	// Name is the community.
	Name string `json:"-"`
	// Text is the original line, for a fix to check.
	Text string `json:"-"`
	// From says where the community may be used from: "any host", an
	// address and mask, a network, a host name.
	From string
	// AnyHost reports a community usable from every address; Loopback
	// one usable from the host itself only.
	AnyHost  bool
	Loopback bool
	// Write reports a community that may set values.
	Write bool
}

// String describes the community, redacted.
func (c SNMPCommunity) String() string {
	access := "read-only"
	if c.Write {
		access = "read-write"
	}
	return fmt.Sprintf("%s: %s %s, %s, from %s", c.Source, c.Directive, secret.Redact(c.Name), access, c.From)
}

// GoString describes the community in Go syntax, redacted.
func (c SNMPCommunity) GoString() string {
	return fmt.Sprintf("host.SNMPCommunity{Source:%q, Directive:%q, Name:%q, From:%q, AnyHost:%t, Loopback:%t, Write:%t}",
		c.Source.String(), c.Directive, secret.Redact(c.Name), c.From, c.AnyHost, c.Loopback, c.Write)
}

// SNMPUser is a net-snmp rouser or rwuser directive.
type SNMPUser struct {
	Source    Source
	Directive string
	Name      string
	// Level is the least security level accepted: noauth, auth or priv.
	Level string
	Write bool
	// Text is the original line, for a fix to check.
	Text string `json:"-"`
}

// SNMPGrant is an access entry (net-snmp access, AIX VACM_ACCESS) that
// gives a group of SNMPv3 users a write view without authentication.
type SNMPGrant struct {
	Source Source
	Group  string
	Model  string
	// Write is the write view.
	Write string
	// Members are the user names the group holds, where known.
	Members []string
	Text    string `json:"-"`
}

// snmp reads the SNMP agents' configuration.
func (b *builder) snmp() {
	s := &SNMP{}
	b.f.SNMP = s
	s.HostName, s.HostNameFrom = b.snmpHostName()
	if b.f.Platform.OS == target.AIX {
		b.snmpAIX(s)
	} else {
		b.snmpNetSNMP(s)
	}
	if s.Configured() && b.f.Platform.OS == target.AIX {
		for _, p := range snmpMIBFiles {
			if f, ok := b.snmpFile(p, false); ok {
				s.MIBFiles = append(s.MIBFiles, f)
			}
		}
	}
}

// snmpStarts returns the enabled starts of an SNMP agent (not of its
// subagents).
func (b *builder) snmpStarts() []*Start {
	var enabled []*Start
	for i := range b.f.Starts {
		st := &b.f.Starts[i]
		names := []string{path.Base(st.Program), strings.TrimSuffix(st.ID, ".service")}
		if st.Resolved != "" {
			names = append(names, path.Base(st.Resolved))
		}
		agent := false
		for _, n := range names {
			if snmpAgentPrograms[n] {
				agent = true
			}
		}
		if agent && st.Enabled {
			enabled = append(enabled, st)
		}
	}
	return enabled
}

// snmpAIX reads the two AIX agents: which one /usr/sbin/snmpd is, and
// both configuration files.
func (b *builder) snmpAIX(s *SNMP) {
	starts := b.snmpStarts()
	// Which agent the starts run: the program they name, through links.
	runs := ""
	for _, st := range starts {
		p := st.Resolved
		if p == "" {
			p = st.Program
		}
		switch path.Base(p) {
		case "snmpdv1":
			runs = AgentSNMPv1
		case "snmpdv3", "snmpdv3ne":
			runs = AgentSNMPv3
		}
	}
	if l, err := b.t.Readlink(snmpdProgramPath); err == nil {
		s.Link = l
	}
	note := ""
	switch {
	case s.Link != "":
		note = snmpdProgramPath + " links to " + s.Link
	case !snmpAtLeast(b.f.Platform.Version, 5, 3) && b.f.Platform.Version != "":
		// Before AIX 5.3 there is only the SNMPv1 agent.
		if runs == "" && len(starts) > 0 {
			runs = AgentSNMPv1
		}
		note = "AIX " + b.f.Platform.Version + " has only the SNMPv1 agent"
	default:
		note = snmpdProgramPath + " is not a link in the files read: the agent is snmpdv3ne by default since AIX 5.3, unless snmpv3_ssw -1 chose snmpdv1"
	}
	for _, ag := range []struct{ name, conf string }{{AgentSNMPv1, snmpV1ConfPath}, {AgentSNMPv3, snmpV3ConfPath}} {
		a := SNMPAgent{Name: ag.name, Config: ag.conf, Note: note, ListenKnown: true}
		switch {
		case len(starts) == 0:
			a.Runs = AnswerNo
			a.Note = "no enabled start runs an SNMP agent"
		case runs == ag.name:
			a.Runs = AnswerYes
		case runs != "":
			a.Runs = AnswerNo
		default:
			a.Runs = AnswerUnknown
		}
		if a.Runs != AnswerNo {
			for _, st := range starts {
				a.StartedBy = append(a.StartedBy, st.Source)
			}
		}
		// Both AIX agents take requests on UDP port 161 of every
		// interface; neither has a setting that limits it.
		a.Listen = []SNMPAddress{{Proto: "udp", Port: snmpDefaultUDPPort}}
		data, present := b.snmpRead(&a, ag.conf)
		if !present && a.Runs != AnswerYes {
			continue
		}
		if data != nil {
			if ag.name == AgentSNMPv1 {
				b.snmpV1(&a, data)
			} else {
				b.snmpV3(&a, data)
			}
		}
		s.Agents = append(s.Agents, a)
	}
}

// snmpRead looks at a configuration file and reads it. present reports a
// file that is there (readable or not).
func (b *builder) snmpRead(a *SNMPAgent, name string) (data []byte, present bool) {
	f, ok := b.snmpFile(name, true)
	if !ok {
		return nil, false
	}
	a.Files = append(a.Files, f)
	if f.Problem != "" {
		a.Problem = joinNote(a.Problem, name+": "+f.Problem)
		return nil, true
	}
	data, err := b.t.ReadFile(name)
	if err != nil {
		a.Problem = joinNote(a.Problem, name+": "+target.Reason(err))
		b.gap(name, whatSNMP, err)
		return nil, true
	}
	return data, true
}

// snmpFile looks a file up in the target. ok is false when it is not
// there; a file that is there but not a regular file, or cannot be
// looked at, comes back with Problem set and a gap recorded.
func (b *builder) snmpFile(name string, conf bool) (SNMPFile, bool) {
	f := SNMPFile{Path: name, Real: name, UID: -1, GID: -1}
	what := whatSNMPFile
	if conf {
		what = whatSNMP
	}
	if r, err := b.t.Resolve(name); err == nil {
		f.Real = r
	}
	fi, err := b.t.Stat(name)
	switch {
	case err != nil && isNotExist(err):
		return f, false
	case err != nil:
		f.Problem = target.Reason(err)
		b.gap(name, what, err)
	case !fi.Mode().IsRegular():
		f.Problem = "not a regular file"
		b.t.AddGap(target.Gap{Path: name, What: what, Reason: f.Problem})
	default:
		f.Exists, f.Mode = true, fi.Mode()
		f.UID, f.GID = fileOwner(fi)
		f.Group = b.groupName(f.GID)
	}
	return f, true
}

// groupName returns the name of a group id in the target's /etc/group.
func (b *builder) groupName(gid int) string {
	if gid < 0 {
		return ""
	}
	if b.groups == nil {
		b.groups = &idfile.File{}
		if data, err := b.t.ReadFile("/etc/group"); err == nil {
			if f, _ := idfile.Parse(bytes.NewReader(data), "/etc/group"); f != nil {
				b.groups = f
			}
		}
	}
	for _, e := range b.groups.Entries {
		if e.ID == gid {
			return e.Name
		}
	}
	return ""
}

// snmpV1 reads the AIX SNMPv1 agent's /etc/snmpd.conf.
func (b *builder) snmpV1(a *SNMPAgent, data []byte) {
	f, err := snmpconf.ParseV1(bytes.NewReader(data), a.Config)
	b.parseGaps(err, whatSNMP)
	if f == nil {
		return
	}
	for _, c := range f.Communities {
		if c.Access == snmpconf.NoAccess {
			continue // lets nothing in
		}
		com := SNMPCommunity{
			Source: Source{File: a.Config, Line: c.Line}, Directive: "community", Name: c.Name,
			Text: snmpLine(f.Lines, c.Line), AnyHost: c.AnyHost(), Write: c.Writable(),
		}
		com.From, com.Loopback = snmpFrom(c.Address, c.Mask, com.AnyHost)
		a.Communities = append(a.Communities, com)
	}
}

// snmpV3 reads the AIX SNMPv3 agent's /etc/snmpdv3.conf: the communities,
// and through VACM_GROUP and VACM_ACCESS, who may write.
func (b *builder) snmpV3(a *SNMPAgent, data []byte) {
	f, err := snmpconf.ParseV3(bytes.NewReader(data), a.Config)
	b.parseGaps(err, whatSNMP)
	if f == nil {
		return
	}
	type group struct{ model, secName string }
	type access struct {
		line                     int
		group, level, model, wrt string
	}
	groups := map[string][]group{}
	var accesses []access
	for _, e := range f.Entries {
		switch strings.ToLower(e.Keyword) {
		case "vacm_group":
			if len(e.Fields) >= 3 {
				groups[e.Fields[0]] = append(groups[e.Fields[0]], group{model: strings.ToLower(e.Fields[1]), secName: e.Fields[2]})
			}
		case "vacm_access":
			if len(e.Fields) >= 7 {
				accesses = append(accesses, access{line: e.Line, group: e.Fields[0], level: strings.ToLower(e.Fields[3]),
					model: strings.ToLower(e.Fields[4]), wrt: e.Fields[6]})
			}
		}
	}
	community := func(m string) bool { return m == "snmpv1" || m == "snmpv2c" }
	// writes reports whether a group gives the security name, in a
	// community model, a write view.
	writes := func(secName string) bool {
		for name, gs := range groups {
			for _, g := range gs {
				if g.secName != secName || !community(g.model) {
					continue
				}
				for _, ac := range accesses {
					if ac.group == name && (ac.model == "-" || ac.model == g.model) && ac.wrt != "-" {
						return true
					}
				}
			}
		}
		return false
	}
	for _, c := range f.Communities {
		secName := c.SecurityName
		if secName == "-" {
			secName = c.Name
		}
		com := SNMPCommunity{
			Source: Source{File: a.Config, Line: c.Line}, Directive: "COMMUNITY", Name: c.Name,
			Text: snmpLine(f.Lines, c.Line), Write: writes(secName),
		}
		addr, mask := c.Address, c.Mask
		if addr == "-" {
			addr = "0.0.0.0"
		}
		if mask == "-" {
			// Left to the agent: as the SNMPv1 agent does, any host
			// for the address 0.0.0.0, that one host otherwise.
			mask = "255.255.255.255"
			if addr == "0.0.0.0" {
				mask = "0.0.0.0"
			}
		}
		com.AnyHost = mask == "0.0.0.0" || mask == "0" || c.AnyHost()
		com.From, com.Loopback = snmpFrom(addr, mask, com.AnyHost)
		a.Communities = append(a.Communities, com)
	}
	for _, ac := range accesses {
		if ac.level != "noauthnopriv" || ac.model != "usm" || ac.wrt == "-" {
			continue
		}
		g := SNMPGrant{Source: Source{File: a.Config, Line: ac.line}, Group: ac.group, Model: "USM", Write: ac.wrt,
			Text: snmpLine(f.Lines, ac.line)}
		for _, m := range groups[ac.group] {
			if m.model == "usm" {
				g.Members = append(g.Members, m.secName)
			}
		}
		a.NoAuthWrites = append(a.NoAuthWrites, g)
	}
}

// snmpFrom describes where a community with an address and mask may be
// used from, and whether that is the host itself only.
func snmpFrom(addr, mask string, anyHost bool) (string, bool) {
	if anyHost {
		return snmpAnyHost, false
	}
	from := addr
	if mask != "" {
		from += "/" + mask
	}
	ip, err := netip.ParseAddr(addr)
	if err != nil {
		return from, addr == "localhost"
	}
	if !ip.IsLoopback() {
		return from, false
	}
	// A loopback address with a mask that keeps to 127.0.0.0/8 (or ::1).
	if m, err := netip.ParseAddr(mask); err == nil && m.Is4() {
		b := m.As4()
		return from, b[0] == 255
	}
	return from, true
}

// snmpLoopbackHost reports a host name or address, or an "addr/mask"
// network, that is the host itself.
func snmpLoopbackHost(h string) bool {
	if h == "localhost" {
		return true
	}
	if p, err := netip.ParsePrefix(h); err == nil {
		return p.Addr().IsLoopback() && (p.Addr().Is6() || p.Bits() >= 8)
	}
	addr, mask, found := strings.Cut(h, "/")
	if ip, err := netip.ParseAddr(addr); err == nil {
		if !found {
			return ip.IsLoopback()
		}
		if m, err := netip.ParseAddr(mask); err == nil && m.Is4() {
			return ip.IsLoopback() && m.As4()[0] == 255
		}
	}
	return false
}

// snmpLine returns line n (1-based) of lines, or "".
func snmpLine(lines []string, n int) string {
	if n < 1 || n > len(lines) {
		return ""
	}
	return lines[n-1]
}

// snmpAtLeast reports whether a version "M.N..." is at least major.minor.
func snmpAtLeast(v string, major, minor int) bool {
	var m, n int
	if _, err := fmt.Sscanf(v, "%d.%d", &m, &n); err != nil {
		return false
	}
	return m > major || m == major && n >= minor
}

// snmpdArgs is what net-snmp snmpd's command line says about its
// configuration.
type snmpdArgs struct {
	// confs are the files named with -c; noDefault is -C (read no
	// other configuration file).
	confs     []string
	noDefault bool
	// addrs are listening addresses given as arguments; they replace
	// agentAddress.
	addrs []string
	// unknown reports arguments taken from a variable.
	unknown bool
}

// parseSnmpdArgs reads net-snmp snmpd's arguments.
func parseSnmpdArgs(args []string) snmpdArgs {
	var out snmpdArgs
	// Options that take the next word as their value.
	withValue := map[string]bool{"-g": true, "-I": true, "-m": true, "-M": true, "-p": true,
		"-u": true, "-x": true, "-Y": true}
	for i := 0; i < len(args); i++ {
		w := args[i]
		if strings.ContainsAny(w, "$`") {
			out.unknown = true
			continue
		}
		switch {
		case w == "-c" && i+1 < len(args):
			i++
			for _, p := range strings.Split(args[i], ",") {
				if p != "" {
					out.confs = append(out.confs, p)
				}
			}
		case strings.HasPrefix(w, "-c") && len(w) > 2:
			for _, p := range strings.Split(w[2:], ",") {
				if p != "" {
					out.confs = append(out.confs, p)
				}
			}
		case w == "-C":
			out.noDefault = true
		case strings.HasPrefix(w, "-L"):
			// -Lf FILE, -LF PRI FILE, -Ls FACILITY, -LS PRI FACILITY,
			// -LE PRI, -LO PRI; a value may be attached to the option.
			switch w {
			case "-Lf", "-Ls", "-LE", "-LO", "-LN":
				i++
			case "-LF", "-LS":
				i += 2
			default:
				if len(w) > 3 && (w[2] == 'F' || w[2] == 'S') {
					i++
				}
			}
		case withValue[w]:
			i++
		case strings.HasPrefix(w, "-"):
		default:
			out.addrs = append(out.addrs, w)
		}
	}
	return out
}

// snmpNetSNMP reads net-snmp's configuration.
func (b *builder) snmpNetSNMP(s *SNMP) {
	starts := b.snmpStarts()
	a := SNMPAgent{Name: AgentNetSNMP, Config: netSNMPConfPath, Runs: AnswerNo, ListenKnown: true}
	var args snmpdArgs
	if len(starts) > 0 {
		a.Runs = AnswerYes
		for _, st := range starts {
			a.StartedBy = append(a.StartedBy, st.Source)
		}
		args = parseSnmpdArgs(starts[0].Args)
		a.Note = "started by " + starts[0].Source.String()
	} else {
		a.Note = "no enabled start runs snmpd"
	}
	confs := []string{netSNMPConfPath, netSNMPLocalConf}
	if args.noDefault {
		confs = nil
	}
	for _, c := range args.confs {
		if !strings.HasPrefix(c, "/") {
			c = path.Join("/etc/snmp", c)
		}
		confs = append(confs, c)
	}
	if len(confs) > 0 {
		a.Config = confs[0]
	}
	nf := &netSNMPFiles{seen: map[string]bool{}, com2sec: map[int]string{}}
	present := false
	for _, c := range confs {
		if b.netSNMPFile(&a, nf, c, 0) {
			present = true
		}
	}
	if !present && a.Runs != AnswerYes {
		return
	}
	b.netSNMPResolve(&a, nf)
	// Where it listens: the command line, or the configuration, or the
	// default of every IPv4 interface.
	switch {
	case args.unknown:
		a.ListenKnown = false
		a.Note = joinNote(a.Note, "snmpd's arguments come from a variable")
	case len(args.addrs) > 0:
		src := Source{}
		if len(starts) > 0 {
			src = starts[0].Source
		}
		for _, spec := range args.addrs {
			for _, one := range strings.Split(spec, ",") {
				f, err := snmpconf.ParseNetSNMP(strings.NewReader("agentAddress "+one+"\n"), src.File)
				if err != nil || f == nil || len(f.AgentAddresses) == 0 {
					a.ListenKnown = false
					continue
				}
				aa := f.AgentAddresses[0]
				a.Listen = append(a.Listen, SNMPAddress{Proto: aa.Transport, Host: aa.Host, Port: aa.Port, Source: src})
			}
		}
	case len(nf.addrs) > 0:
		a.Listen = nf.addrs
	default:
		a.Listen = []SNMPAddress{{Proto: "udp", Port: snmpDefaultUDPPort}}
	}
	s.Agents = append(s.Agents, a)
}

// netSNMPFiles gathers what net-snmp's files say, across includes: the
// directives whose meaning depends on other files (com2sec, group,
// access) are resolved once every file is read.
type netSNMPFiles struct {
	seen     map[string]bool
	groups   []netSNMPGroup
	accesses []netSNMPAccess
	// com2sec maps the index in the agent's Communities of each com2sec
	// line to the security name it maps its community to.
	com2sec map[int]string
	addrs   []SNMPAddress
}

type netSNMPGroup struct {
	snmpconf.Group
	file string
}

type netSNMPAccess struct {
	snmpconf.Access
	file, text string
}

// netSNMPFile reads one net-snmp file and the files it includes. It
// reports whether the file is there.
func (b *builder) netSNMPFile(a *SNMPAgent, nf *netSNMPFiles, name string, depth int) bool {
	if nf.seen[name] {
		return true
	}
	nf.seen[name] = true
	data, present := b.snmpRead(a, name)
	if data == nil {
		return present
	}
	f, err := snmpconf.ParseNetSNMP(bytes.NewReader(data), name)
	b.parseGaps(err, whatSNMP)
	if f == nil {
		return true
	}
	for _, c := range f.Communities {
		com := SNMPCommunity{
			Source: Source{File: name, Line: c.Line}, Directive: c.Directive, Name: c.Name,
			Text: snmpLine(f.Lines, c.Line), AnyHost: c.AnySource(), Write: c.Write,
		}
		if kw := snmpEntryKeyword(f.Entries, c.Line); kw != "" {
			com.Directive = kw
		}
		switch {
		case com.AnyHost:
			com.From = snmpAnyHost
		case c.Directive == "com2secunix":
			com.From, com.Loopback = "local socket "+c.Source, true
		default:
			com.From, com.Loopback = c.Source, snmpLoopbackHost(c.Source)
		}
		if strings.HasPrefix(c.Directive, "com2sec") {
			nf.com2sec[len(a.Communities)] = c.SecName
		}
		a.Communities = append(a.Communities, com)
	}
	for _, u := range f.Users {
		a.Users = append(a.Users, SNMPUser{Source: Source{File: name, Line: u.Line}, Directive: u.Directive,
			Name: u.Name, Level: u.Level, Write: u.Write, Text: snmpLine(f.Lines, u.Line)})
	}
	for _, g := range f.Groups {
		nf.groups = append(nf.groups, netSNMPGroup{Group: g, file: name})
	}
	for _, ac := range f.Accesses {
		nf.accesses = append(nf.accesses, netSNMPAccess{Access: ac, file: name, text: snmpLine(f.Lines, ac.Line)})
	}
	for _, aa := range f.AgentAddresses {
		nf.addrs = append(nf.addrs, SNMPAddress{Proto: aa.Transport, Host: aa.Host, Port: aa.Port, Source: Source{File: name, Line: aa.Line}})
	}
	for _, inc := range f.Includes {
		if depth >= maxIncludeDepth {
			b.t.AddGap(target.Gap{Path: name, Line: inc.Line, What: whatSNMP, Reason: "includes nested too deep; not followed"})
			continue
		}
		for _, p := range b.netSNMPInclude(name, inc) {
			b.netSNMPFile(a, nf, p, depth+1)
		}
	}
	return true
}

// snmpEntryKeyword returns the keyword of the entry at a line, as written.
func snmpEntryKeyword(es []snmpconf.Entry, line int) string {
	for _, e := range es {
		if e.Line == line {
			return e.Keyword
		}
	}
	return ""
}

// netSNMPInclude returns the files an include directive names:
// includeFile a file (relative to the including file's directory),
// includeDir the files ending in .conf of a directory, includeSearch a
// file of /etc/snmp.
func (b *builder) netSNMPInclude(from string, inc snmpconf.Include) []string {
	p := inc.Path
	switch inc.Directive {
	case "includesearch":
		if !strings.HasPrefix(p, "/") {
			p = path.Join("/etc/snmp", p)
		}
		return []string{p}
	case "includedir":
		if !strings.HasPrefix(p, "/") {
			p = path.Join(path.Dir(from), p)
		}
		ents, err := b.t.ReadDir(p)
		if err != nil {
			if !isNotExist(err) {
				b.gap(p, whatSNMP, err)
			}
			return nil
		}
		var out []string
		for _, e := range ents {
			if !e.IsDir() && strings.HasSuffix(e.Name(), ".conf") {
				out = append(out, path.Join(p, e.Name()))
			}
		}
		sort.Strings(out)
		return out
	}
	if !strings.HasPrefix(p, "/") {
		p = path.Join(path.Dir(from), p)
	}
	return []string{p}
}

// netSNMPResolve works out, across every file read, which com2sec
// communities may write and which access entries let SNMPv3 users write
// without authentication.
func (b *builder) netSNMPResolve(a *SNMPAgent, nf *netSNMPFiles) {
	for i, secName := range nf.com2sec {
		c := &a.Communities[i]
		if c.Write {
			continue
		}
		for _, g := range nf.groups {
			if g.SecName != secName || (g.Model != "v1" && g.Model != "v2c") {
				continue
			}
			for _, ac := range nf.accesses {
				if ac.Group == g.Name && (ac.Model == "any" || ac.Model == g.Model) && ac.Write != "none" && ac.Write != "" {
					c.Write = true
				}
			}
		}
	}
	v3 := map[string]bool{"usm": true, "tsm": true, "ksm": true}
	for _, ac := range nf.accesses {
		if ac.Level != snmpconf.NoAuth || ac.Write == "none" || ac.Write == "" || !(ac.Model == "any" || v3[ac.Model]) {
			continue
		}
		var members []string
		for _, g := range nf.groups {
			if g.Name == ac.Group && v3[g.Model] && (ac.Model == "any" || ac.Model == g.Model) {
				members = append(members, g.SecName)
			}
		}
		if len(members) == 0 {
			continue // only communities: their own entries say it
		}
		a.NoAuthWrites = append(a.NoAuthWrites, SNMPGrant{Source: Source{File: ac.file, Line: ac.Line}, Group: ac.Group,
			Model: ac.Model, Write: ac.Write, Members: members, Text: ac.text})
	}
}

// snmpHostName reads the host's name: /etc/hostname, or on AIX a
// hostname command of /etc/rc.net.
func (b *builder) snmpHostName() (string, Source) {
	if data, err := b.t.ReadFile(snmpHostnamePath); err == nil {
		for i, l := range parse.SplitLines(data) {
			l = strings.TrimSpace(l)
			if l == "" || strings.HasPrefix(l, "#") {
				continue
			}
			return strings.Fields(l)[0], Source{File: snmpHostnamePath, Line: i + 1}
		}
	}
	if b.f.Platform.OS != target.AIX {
		return "", Source{}
	}
	data, err := b.t.ReadFile(snmpRCNetPath)
	if err != nil {
		return "", Source{}
	}
	name, src := "", Source{}
	for i, l := range parse.SplitLines(data) {
		code, _, _ := shellwords.CutComment(l)
		argv, _ := shellwords.Split(code)
		if len(argv) < 2 || path.Base(argv[0]) != "hostname" {
			continue
		}
		if n := argv[1]; !strings.HasPrefix(n, "-") && !strings.ContainsAny(n, "$`") {
			name, src = n, Source{File: snmpRCNetPath, Line: i + 1}
		}
	}
	return name, src
}
