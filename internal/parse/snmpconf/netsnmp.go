package snmpconf

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"bastion/internal/parse"
	"bastion/internal/secret"
)

// NetSNMPFile is a parsed snmpd.conf of the net-snmp agent (Linux and
// others).
type NetSNMPFile struct {
	// Name is the name the file was parsed under, used in error messages.
	Name string
	// Lines holds every physical line as read, without line endings.
	Lines []string
	// Entries holds every directive in file order, whatever its name.
	Entries []Entry
	// Communities holds the directives that let an SNMPv1 or SNMPv2c
	// community in: rocommunity, rwcommunity, rocommunity6,
	// rwcommunity6, authcommunity, com2sec, com2sec6 and com2secunix.
	Communities []NetSNMPCommunity
	// Users holds the rouser and rwuser directives (SNMPv3 users).
	Users []NetSNMPUser
	// Groups holds the group directives.
	Groups []Group
	// Accesses holds the access directives.
	Accesses []Access
	// AgentAddresses holds the listening addresses of every
	// agentAddress directive, in order.
	AgentAddresses []AgentAddress
	// Includes holds the includeFile, includeDir and includeSearch
	// directives.
	Includes []Include
	// TrapSinks holds the trapsink, trap2sink and informsink directives.
	TrapSinks []TrapSink
}

// NetSNMPCommunity is one directive of net-snmp that lets a community in.
type NetSNMPCommunity struct {
	// Line is the 1-based line number of the directive.
	Line int
	// Directive is the directive name in lower case: rocommunity,
	// rwcommunity, rocommunity6, rwcommunity6, authcommunity, com2sec,
	// com2sec6 or com2secunix.
	Directive string
	// Name is the community, a secret.
	Name string
	// Source is where requests may come from: "default" (any host, the
	// value when not written), a host, a network "addr/mask" or
	// "addr/bits", possibly after a '!' that denies it; for com2secunix,
	// a socket path.
	Source string
	// Write reports a community that may set values: rwcommunity,
	// rwcommunity6, an authcommunity whose types include write, or a
	// com2sec whose security name a group of this file puts in a
	// community model (v1 or v2c) with an access directive whose write
	// view is not none.
	Write bool
	// View is the view the community may read: the one after -V, or for
	// com2sec the read view of the first access directive that reaches
	// it through a group. Empty when none is named.
	View string
	// OID restricts the community to a MIB subtree (the form that names
	// an OID instead of -V VIEW); empty when not written.
	OID string
	// Context is the SNMPv3 context (or, for com2sec, the -Cn context);
	// empty when not written.
	Context string
	// SecName is the security name com2sec maps the community to;
	// empty for the other directives.
	SecName string
}

// String describes the community directive, the community redacted.
func (c NetSNMPCommunity) String() string {
	access := "read-only"
	if c.Write {
		access = "read-write"
	}
	return fmt.Sprintf("line %d: %s %s from %s %s view %s",
		c.Line, c.Directive, secret.Redact(c.Name), c.Source, access, orDash(c.View))
}

// GoString returns the community directive in Go syntax, the community
// redacted.
func (c NetSNMPCommunity) GoString() string {
	return fmt.Sprintf("snmpconf.NetSNMPCommunity{Line:%d, Directive:%q, Name:%q, Source:%q, Write:%t, View:%q, OID:%q, Context:%q, SecName:%q}",
		c.Line, c.Directive, secret.Redact(c.Name), c.Source, c.Write, c.View, c.OID, c.Context, c.SecName)
}

// AnySource reports a community usable from every address: the source
// "default" (or the IPv4 or IPv6 network of every address).
func (c NetSNMPCommunity) AnySource() bool {
	switch c.Source {
	case "default", "0.0.0.0/0", "0.0.0.0/0.0.0.0", "::/0":
		return true
	}
	return false
}

// The security levels of NetSNMPUser.Level and Access.Level.
const (
	NoAuth = "noauth"
	Auth   = "auth"
	Priv   = "priv"
)

// netSNMPLevels maps the security levels net-snmp reads, in lower case, to
// NoAuth, Auth or Priv.
var netSNMPLevels = map[string]string{
	"noauth": NoAuth, "noauthnopriv": NoAuth,
	"auth": Auth, "authnopriv": Auth,
	"priv": Priv, "authpriv": Priv,
}

// NetSNMPUser is a rouser or rwuser directive:
// "rouser [-s MODEL] USER [noauth|auth|priv [OID | -V VIEW [CONTEXT]]]".
type NetSNMPUser struct {
	// Line is the 1-based line number of the directive.
	Line int
	// Directive is "rouser" or "rwuser".
	Directive string
	// Name is the user (security) name.
	Name string
	// Model is the security model after -s; "usm" when not written.
	Model string
	// Level is the lowest security level accepted: NoAuth, Auth or Priv
	// (Auth when not written).
	Level string
	// Write reports an rwuser.
	Write bool
	// View, OID and Context restrict the user as for a community.
	View    string
	OID     string
	Context string
}

// Group is a group directive: "group NAME MODEL SECNAME" puts the security
// name SecName, in the model Model (v1, v2c, usm, tsm or ksm), in the
// group Name.
type Group struct {
	Line    int
	Name    string
	Model   string
	SecName string
}

// Access is an access directive: "access GROUP CONTEXT MODEL LEVEL PREFIX
// READ WRITE NOTIFY" gives the group the views Read, Write and Notify
// ("none" for no view).
type Access struct {
	Line    int
	Group   string
	Context string
	// Model is any, v1, v2c, usm, tsm or ksm.
	Model string
	// Level is NoAuth, Auth or Priv.
	Level string
	// Prefix is exact or prefix (how Context is matched).
	Prefix string
	Read   string
	Write  string
	Notify string
}

// AgentAddress is one listening address of an agentAddress directive,
// "[transport:]address" as snmpd(8) describes it.
type AgentAddress struct {
	// Line is the 1-based line number of the directive.
	Line int
	// Spec is the address as written, such as "udp:127.0.0.1:161".
	Spec string
	// Transport is the transport in lower case: udp, tcp, udp6, tcp6,
	// unix, dtlsudp, tlstcp, ... (the aliases udpv6, udpipv6, tcpv6 and
	// tcpipv6 made udp6 and tcp6). When none is written it is udp, or
	// udp6 for an address in brackets, or unix for a path.
	Transport string
	// Host is the host name or address, brackets removed; empty for every
	// interface. For the unix transport it is the socket path.
	Host string
	// Port is the port: 161 when not written, 0 for transports without
	// ports.
	Port int
}

// AllInterfaces reports an address that listens on every interface.
func (a AgentAddress) AllInterfaces() bool {
	if a.Transport == "unix" {
		return false
	}
	switch a.Host {
	case "", "0.0.0.0", "::", "*":
		return true
	}
	return false
}

// Loopback reports an address that listens on the loopback interface
// only.
func (a AgentAddress) Loopback() bool {
	if a.Transport == "unix" {
		return false
	}
	return a.Host == "localhost" || a.Host == "::1" || strings.HasPrefix(a.Host, "127.")
}

// Include is an includeFile, includeDir or includeSearch directive.
type Include struct {
	Line int
	// Directive is "includefile", "includedir" or "includesearch".
	Directive string
	Path      string
}

// TrapSink is a trapsink, trap2sink or informsink directive: "trapsink
// [options] HOST [COMMUNITY [PORT]]".
type TrapSink struct {
	Line int
	// Directive is "trapsink", "trap2sink" or "informsink".
	Directive string
	Host      string
	// Community is the community of the notifications, a secret; empty
	// when not written (the last trapcommunity is used then).
	Community string
	// Port is the port as written; empty for the default (162).
	Port string
}

// String describes the trap sink, its community redacted.
func (t TrapSink) String() string {
	return fmt.Sprintf("line %d: %s %s community %s port %s",
		t.Line, t.Directive, t.Host, secret.Redact(t.Community), orDash(t.Port))
}

// GoString returns the trap sink in Go syntax, its community redacted.
func (t TrapSink) GoString() string {
	return fmt.Sprintf("snmpconf.TrapSink{Line:%d, Directive:%q, Host:%q, Community:%q, Port:%q}",
		t.Line, t.Directive, t.Host, secret.Redact(t.Community), t.Port)
}

// String describes the file without quoting any of it (the file and a
// pointer to it both format this way).
func (f NetSNMPFile) String() string {
	return fileString("net-snmp snmpd.conf", f.Name, len(f.Lines), len(f.Entries),
		"communities", len(f.Communities), "users", len(f.Users),
		"agent addresses", len(f.AgentAddresses), "includes", len(f.Includes))
}

// GoString describes the file without quoting any of it.
func (f NetSNMPFile) GoString() string { return f.String() }

// Bytes returns the file text: every line as read, each ended by "\n".
func (f *NetSNMPFile) Bytes() []byte { return parse.JoinLines(f.Lines) }

// Listening returns where snmpd listens by this file: its agentAddress
// addresses, or when it has none snmpd's default, UDP port 161 on every
// IPv4 interface. (Addresses given on snmpd's command line replace both.)
func (f *NetSNMPFile) Listening() []AgentAddress {
	if len(f.AgentAddresses) > 0 {
		return f.AgentAddresses
	}
	return []AgentAddress{{Spec: "udp:161", Transport: "udp", Port: 161}}
}

// ParseNetSNMP reads a net-snmp snmpd.conf from r; name is used in error
// messages. Directive names are matched in any case, as net-snmp does;
// a word may be quoted with double or single quotes, a backslash escapes
// the next character, and a word starting with '#' starts a comment that
// runs to the end of the line. Directives that are not read into a typed
// value are kept in Entries. A directive snmpd could not use is reported
// and skipped.
func ParseNetSNMP(r io.Reader, name string) (*NetSNMPFile, error) {
	lines, err := parse.ReadLines(r, name)
	if err != nil {
		return nil, err
	}
	f := &NetSNMPFile{Name: name, Lines: lines}
	var errs parse.Errors
	for i, line := range lines {
		n := i + 1
		words, msg := netSNMPWords(line)
		if msg != "" {
			errs.Add(name, n, "%s", msg)
			continue
		}
		if len(words) == 0 {
			continue
		}
		if words[0] == "" {
			errs.Add(name, n, "directive name is empty")
			continue
		}
		e := Entry{Line: n, Keyword: words[0]}
		if len(words) > 1 {
			e.Fields = words[1:]
		}
		e.Secret = netSNMPSecrets(strings.ToLower(e.Keyword), e.Fields)
		if msg := f.directive(n, e.Keyword, e.Fields); msg != "" {
			errs.Add(name, n, "%s", msg)
			continue
		}
		f.Entries = append(f.Entries, e)
	}
	f.resolveCom2Sec()
	return f, errs.Err()
}

// directive reads the typed value of one directive, or says what is wrong
// with it. It never quotes a secret.
func (f *NetSNMPFile) directive(line int, kw string, args []string) string {
	dir := strings.ToLower(kw)
	switch dir {
	case "rocommunity", "rwcommunity", "rocommunity6", "rwcommunity6":
		if len(args) == 0 {
			return kw + " has no community"
		}
		c := NetSNMPCommunity{Line: line, Directive: dir, Name: args[0], Source: "default",
			Write: strings.HasPrefix(dir, "rw")}
		if msg := restrict(kw, args[1:], &c.Source, &c.View, &c.OID, &c.Context); msg != "" {
			return msg
		}
		f.Communities = append(f.Communities, c)
	case "authcommunity":
		if len(args) < 2 {
			return kw + " wants TYPES COMMUNITY [SOURCE [OID | -V VIEW [CONTEXT]]]"
		}
		c := NetSNMPCommunity{Line: line, Directive: dir, Name: args[1], Source: "default"}
		for _, t := range strings.Split(args[0], ",") {
			if strings.EqualFold(t, "write") {
				c.Write = true
			}
		}
		if msg := restrict(kw, args[2:], &c.Source, &c.View, &c.OID, &c.Context); msg != "" {
			return msg
		}
		f.Communities = append(f.Communities, c)
	case "com2sec", "com2sec6", "com2secunix":
		c := NetSNMPCommunity{Line: line, Directive: dir}
		if len(args) > 0 && args[0] == "-Cn" {
			if len(args) < 2 {
				return kw + " has -Cn without a context"
			}
			c.Context, args = args[1], args[2:]
		}
		if len(args) != 3 {
			return kw + " wants [-Cn CONTEXT] SECNAME SOURCE COMMUNITY, got " + strconv.Itoa(len(args)) + " words after the options"
		}
		c.SecName, c.Source, c.Name = args[0], args[1], args[2]
		f.Communities = append(f.Communities, c)
	case "rouser", "rwuser":
		u := NetSNMPUser{Line: line, Directive: dir, Model: "usm", Level: Auth, Write: dir == "rwuser"}
		if len(args) > 0 && args[0] == "-s" {
			if len(args) < 2 {
				return kw + " has -s without a security model"
			}
			u.Model, args = args[1], args[2:]
		}
		if len(args) == 0 {
			return kw + " has no user"
		}
		u.Name = args[0]
		if len(args) > 1 {
			level, ok := netSNMPLevels[strings.ToLower(args[1])]
			if !ok {
				return kw + " " + u.Name + " has the unknown security level " + strconv.Quote(args[1]) + ": want noauth, auth or priv"
			}
			u.Level = level
			var source string
			if msg := restrict(kw, append([]string{"default"}, args[2:]...), &source, &u.View, &u.OID, &u.Context); msg != "" {
				return msg
			}
		}
		f.Users = append(f.Users, u)
	case "group":
		if len(args) != 3 {
			return kw + " wants NAME MODEL SECNAME, got " + strconv.Itoa(len(args)) + " words"
		}
		g := Group{Line: line, Name: args[0], Model: strings.ToLower(args[1]), SecName: args[2]}
		if !oneOf(g.Model, "v1", "v2c", "usm", "tsm", "ksm") {
			return kw + " " + g.Name + " has the unknown security model " + strconv.Quote(args[1]) + ": want v1, v2c, usm, tsm or ksm"
		}
		f.Groups = append(f.Groups, g)
	case "access":
		if len(args) != 8 {
			return kw + " wants GROUP CONTEXT MODEL LEVEL PREFIX READ WRITE NOTIFY, got " + strconv.Itoa(len(args)) + " words"
		}
		a := Access{Line: line, Group: args[0], Context: args[1], Model: strings.ToLower(args[2]),
			Prefix: strings.ToLower(args[4]), Read: args[5], Write: args[6], Notify: args[7]}
		if !oneOf(a.Model, "any", "v1", "v2c", "usm", "tsm", "ksm") {
			return kw + " for " + a.Group + " has the unknown security model " + strconv.Quote(args[2]) + ": want any, v1, v2c, usm, tsm or ksm"
		}
		level, ok := netSNMPLevels[strings.ToLower(args[3])]
		if !ok {
			return kw + " for " + a.Group + " has the unknown security level " + strconv.Quote(args[3]) + ": want noauth, auth or priv"
		}
		a.Level = level
		if !oneOf(a.Prefix, "exact", "prefix") {
			return kw + " for " + a.Group + " has " + strconv.Quote(args[4]) + " where exact or prefix belongs"
		}
		f.Accesses = append(f.Accesses, a)
	case "agentaddress":
		if len(args) == 0 {
			return kw + " has no address"
		}
		if len(args) > 1 {
			return kw + " wants one comma-separated list of addresses, got " + strconv.Itoa(len(args)) + " words"
		}
		var addrs []AgentAddress
		for _, spec := range strings.Split(args[0], ",") {
			a, msg := parseAgentAddress(line, kw, spec)
			if msg != "" {
				return msg
			}
			addrs = append(addrs, a)
		}
		f.AgentAddresses = append(f.AgentAddresses, addrs...)
	case "includefile", "includedir", "includesearch":
		if len(args) != 1 {
			return kw + " wants one path, got " + strconv.Itoa(len(args)) + " words"
		}
		f.Includes = append(f.Includes, Include{Line: line, Directive: dir, Path: args[0]})
	case "trapsink", "trap2sink", "informsink":
		t := TrapSink{Line: line, Directive: dir}
		for len(args) > 0 && oneOf(args[0], "-profile", "-name", "-tag", "-s") {
			if len(args) < 2 {
				return kw + " has " + args[0] + " without a value"
			}
			args = args[2:]
		}
		switch len(args) {
		case 0:
			return kw + " has no host"
		case 3:
			t.Port = args[2]
			if p, err := strconv.Atoi(t.Port); err != nil || !isDigits(t.Port) || p < 1 || p > 65535 {
				return kw + " has the bad port " + strconv.Quote(t.Port)
			}
			fallthrough
		case 2:
			t.Community = args[1]
			fallthrough
		case 1:
			t.Host = args[0]
		default:
			return kw + " wants [options] HOST [COMMUNITY [PORT]], got " + strconv.Itoa(len(args)) + " words after the options"
		}
		f.TrapSinks = append(f.TrapSinks, t)
	}
	return ""
}

// restrict reads "[SOURCE [OID | -V VIEW [CONTEXT]]]", the part common to
// the community and user directives, into its arguments.
func restrict(kw string, args []string, source, view, oid, context *string) string {
	if len(args) == 0 {
		return ""
	}
	*source = args[0]
	rest := args[1:]
	if len(rest) == 0 {
		return ""
	}
	if rest[0] == "-V" {
		if len(rest) < 2 {
			return kw + " has -V without a view name"
		}
		*view, rest = rest[1], rest[2:]
	} else {
		*oid, rest = rest[0], rest[1:]
	}
	switch len(rest) {
	case 0:
	case 1:
		*context = rest[0]
	default:
		return kw + " has " + strconv.Itoa(len(rest)) + " words after the view, want at most a context"
	}
	return ""
}

// resolveCom2Sec sets Write and View of each com2sec community from the
// group and access directives of the file.
func (f *NetSNMPFile) resolveCom2Sec() {
	for i := range f.Communities {
		c := &f.Communities[i]
		if !strings.HasPrefix(c.Directive, "com2sec") {
			continue
		}
		for _, g := range f.Groups {
			if g.SecName != c.SecName || (g.Model != "v1" && g.Model != "v2c") {
				continue
			}
			for _, a := range f.Accesses {
				if a.Group != g.Name || (a.Model != "any" && a.Model != g.Model) {
					continue
				}
				if c.View == "" {
					c.View = a.Read
				}
				if a.Write != "none" && a.Write != "" {
					c.Write = true
				}
			}
		}
	}
}

// transports maps the transport specifiers net-snmp knows, in lower case,
// to the name AgentAddress.Transport holds.
var transports = map[string]string{
	"udp": "udp", "tcp": "tcp", "udp6": "udp6", "udpv6": "udp6", "udpipv6": "udp6",
	"tcp6": "tcp6", "tcpv6": "tcp6", "tcpipv6": "tcp6", "unix": "unix", "ipx": "ipx",
	"pvc": "pvc", "aal5pvc": "pvc", "ssh": "ssh", "dtlsudp": "dtlsudp", "dtls": "dtlsudp",
	"tlstcp": "tlstcp", "tls": "tlstcp", "dtlssctp": "dtlssctp", "sctp": "sctp",
	"callback": "callback", "alias": "alias",
}

// ipTransports are the transports whose address is host[:port].
var ipTransports = map[string]bool{
	"udp": true, "tcp": true, "udp6": true, "tcp6": true, "ssh": true,
	"dtlsudp": true, "tlstcp": true, "dtlssctp": true, "sctp": true,
}

// parseAgentAddress reads one listening address.
func parseAgentAddress(line int, kw, spec string) (AgentAddress, string) {
	a := AgentAddress{Line: line, Spec: spec}
	if spec == "" {
		return a, kw + " has an empty address in its list"
	}
	rest := spec
	if t, after, ok := strings.Cut(spec, ":"); ok {
		if name, known := transports[strings.ToLower(t)]; known {
			a.Transport, rest = name, after
		}
	}
	if a.Transport == "" && strings.HasPrefix(rest, "/") {
		a.Transport = "unix"
	}
	if a.Transport != "" && !ipTransports[a.Transport] {
		a.Host = rest
		return a, ""
	}
	a.Port = 161
	port := ""
	bracketed := false
	switch {
	case isDigits(rest):
		port = rest
	case strings.HasPrefix(rest, "["):
		end := strings.IndexByte(rest, ']')
		if end < 0 {
			return a, kw + " " + strconv.Quote(spec) + " has no ']' after its IPv6 address"
		}
		a.Host, bracketed = rest[1:end], true
		if after := rest[end+1:]; after != "" {
			p, ok := strings.CutPrefix(after, ":")
			if !ok {
				return a, kw + " " + strconv.Quote(spec) + " has text after its IPv6 address"
			}
			port = p
			if port == "" {
				return a, kw + " " + strconv.Quote(spec) + " has an empty port"
			}
		}
	case strings.Count(rest, ":") > 1:
		// An IPv6 address without brackets, and so without a port.
		a.Host = rest
	default:
		host, p, hasPort := strings.Cut(rest, ":")
		a.Host = host
		if hasPort {
			port = p
			if port == "" {
				return a, kw + " " + strconv.Quote(spec) + " has an empty port"
			}
		}
	}
	if port != "" {
		p, err := strconv.Atoi(port)
		if err != nil || !isDigits(port) || p < 1 || p > 65535 {
			return a, kw + " " + strconv.Quote(spec) + " has the bad port " + strconv.Quote(port)
		}
		a.Port = p
	}
	if a.Transport == "" {
		a.Transport = "udp"
		if bracketed {
			a.Transport = "udp6"
		}
	}
	return a, ""
}

// netSNMPSecrets returns the indexes of the arguments of a net-snmp
// directive (name in lower case) that hold a secret.
func netSNMPSecrets(dir string, args []string) []int {
	var idx []int
	add := func(i int) {
		if i >= 0 && i < len(args) {
			idx = append(idx, i)
		}
	}
	switch dir {
	case "rocommunity", "rwcommunity", "rocommunity6", "rwcommunity6", "trapcommunity":
		add(0)
	case "authcommunity":
		add(1)
	case "com2sec", "com2sec6", "com2secunix":
		i := 0
		if len(args) > 0 && args[0] == "-Cn" {
			i = 2
		}
		add(i + 2)
	case "trapsink", "trap2sink", "informsink":
		i := 0
		for i < len(args) && oneOf(args[i], "-profile", "-name", "-tag", "-s") {
			i += 2
		}
		add(i + 1)
	case "createuser":
		// createUser [-e ENGINEID] NAME AUTHPROTO AUTHPASS [PRIVPROTO [PRIVPASS]]
		i := 0
		if len(args) > 0 && args[0] == "-e" {
			i = 2
		}
		add(i + 2)
		add(i + 4)
	case "usmuser":
		// usmUser STORAGE STATUS ENGINEID NAME SECNAME CLONEFROM AUTHPROTO AUTHKEY PRIVPROTO PRIVKEY ...
		add(7)
		add(9)
	default:
		// Directives that take snmpcmd(1) options (trapsess, proxy,
		// monitor and the like): the value of a community, passphrase
		// or key option, or the option with its value run together.
		for i, a := range args {
			switch a {
			case "-c", "-A", "-X", "-3m", "-3M", "-3k", "-3K":
				add(i + 1)
				continue
			}
			for _, opt := range []string{"-c", "-A", "-X"} {
				if len(a) > len(opt) && strings.HasPrefix(a, opt) {
					add(i)
				}
			}
		}
	}
	return idx
}

// netSNMPWords splits a line into words as net-snmp's copy_nword does: a
// word may be quoted with " or ', a backslash escapes the next character
// (inside quotes or not), and a word starting with '#' ends the line.
func netSNMPWords(line string) ([]string, string) {
	var words []string
	i := 0
	for {
		for i < len(line) && isSpace(line[i]) {
			i++
		}
		if i >= len(line) || line[i] == '#' {
			return words, ""
		}
		var w strings.Builder
		if q := line[i]; q == '"' || q == '\'' {
			j := i + 1
			for j < len(line) && line[j] != q {
				if line[j] == '\\' && j+1 < len(line) {
					j++
				}
				w.WriteByte(line[j])
				j++
			}
			if j >= len(line) {
				return words, "unterminated " + map[byte]string{'"': "double", '\'': "single"}[q] + " quote"
			}
			i = j + 1
		} else {
			for i < len(line) && !isSpace(line[i]) {
				if line[i] == '\\' && i+1 < len(line) {
					i++
				}
				w.WriteByte(line[i])
				i++
			}
		}
		words = append(words, w.String())
	}
}

// isSpace reports the blanks net-snmp separates words with.
func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r' }

// oneOf reports whether s is one of list.
func oneOf(s string, list ...string) bool {
	for _, l := range list {
		if s == l {
			return true
		}
	}
	return false
}
