package rules

import (
	"fmt"
	"io/fs"
	"net/netip"
	"path"
	"regexp"
	"strconv"
	"strings"

	"bastion/internal/host"
	"bastion/internal/inventory"
	"bastion/internal/parse/postfix"
	"bastion/internal/parse/sendmailcf"
	"bastion/internal/remedy"
	"bastion/internal/rule"
	"bastion/internal/severity"
	"bastion/internal/target"
)

// This file holds the mail rules: the open relay, what the SMTP dialogue
// gives away (version in the greeting and in HELP, VRFY and EXPN), where the
// server listens, sendmail's log level, the aliases and mail log files, and
// the users' .forward files; and the fix of SVC-SENDMAIL-DAEMON, which adds
// the queue run to root's crontab.

// The method's safe values.
const (
	mailSafeGreeting  = "$j Mail Server Ready; $b"
	mailSafeBanner    = "$myhostname ESMTP"
	mailSafeLogLevel  = 9
	mailQueueRunLine  = "10,40 * * * * /usr/lib/sendmail -q > /dev/null 2>&1"
	mailQueueRunNote  = "# process the outgoing mail queue twice an hour (added by bastion: sendmail no longer runs as a daemon)"
	mailEximLoopbacks = "127.0.0.1 ; ::1"
)

// mailOf returns the mail set-up, or an undecided error when the host has
// no mail transfer agent bastion found and its start-up files could not
// all be read. ok is false when there is nothing to check.
func mailOf(c *rule.Context) (m *host.Mail, ok bool, err error) {
	m = c.Facts.Mail
	if m == nil {
		return nil, false, rule.Undecided("the mail set-up was not read")
	}
	if m.MTA == "" {
		if why := startGaps(c); why != "" {
			return m, false, rule.Undecided("a start-up file could not be read (%s)", why)
		}
		return m, false, nil
	}
	return m, true, nil
}

// mailSMTPOf is mailOf for the rules about the SMTP dialogue: there is
// nothing to check when the mail transfer agent takes no mail from the
// network, and nothing can be said when its configuration could not be
// read.
func mailSMTPOf(c *rule.Context) (*host.Mail, bool, error) {
	m, ok, err := mailOf(c)
	if !ok || m.Receives == host.AnswerNo {
		return m, false, err
	}
	return m, true, mailConfigProblem(m)
}

// mailConfigProblem returns an undecided error when the configuration of the
// mail transfer agent could not be read.
func mailConfigProblem(m *host.Mail) error {
	switch {
	case m.Sendmail != nil && m.Sendmail.CF == nil:
		return rule.Undecided("%s", m.Sendmail.Problem)
	case m.Postfix != nil && m.Postfix.Main == nil:
		return rule.Undecided("%s", m.Postfix.Problem)
	case m.Postfix != nil && m.Postfix.Master == nil && m.Postfix.Problem != "":
		return rule.Undecided("%s", m.Postfix.Problem)
	case m.Exim != nil && m.Exim.Fields == nil:
		return rule.Undecided("%s", m.Exim.Problem)
	}
	return nil
}

// mailServer reports whether the policy lets the host receive mail.
func mailServer(c *rule.Context, m *host.Mail) bool {
	names := []string{"smtp", m.MTA}
	switch m.MTA {
	case host.MTAPostfix:
		names = append(names, "master")
	case host.MTAExim:
		names = append(names, "exim4")
	}
	return c.Policy.Allows(names...)
}

// mtaStart returns the first enabled start of the mail transfer agent.
func mtaStart(c *rule.Context, m *host.Mail) *host.Start {
	for _, src := range m.StartedBy {
		for i := range c.Facts.Starts {
			if st := &c.Facts.Starts[i]; st.Source == src && st.Enabled {
				return st
			}
		}
	}
	return nil
}

// mtaExposure is how reachable the mail transfer agent is: from the rows
// its start explains or, when they show it neither running nor configured
// to (no row, or none seen), from the sockets its processes are seen
// holding.
func mtaExposure(c *rule.Context, m *host.Mail) rule.Exposure {
	e := rule.Unknown
	if st := mtaStart(c, m); st != nil {
		e = exposure(c, st)
	} else if m.Receives == host.AnswerNo {
		e = rule.Dormant
	}
	if (e == rule.Dormant || e == rule.Unknown) && m.Receives != host.AnswerNo {
		if seen, ok := mtaSeenExposure(c, m); ok {
			return seen
		}
	}
	return e
}

// mtaProcesses are the programs of each mail transfer agent that hold its
// listening sockets.
var mtaProcesses = map[string][]string{
	host.MTASendmail: {"sendmail"},
	host.MTAPostfix:  {"master"},
	host.MTAExim:     {"exim4", "exim"},
}

// mtaSeenExposure is how reachable the sockets the mail transfer agent's
// processes are seen holding are, and whether they hold any. A start does
// not always explain them: Debian's postfix.service runs /bin/true, and
// postfix@-.service, which a systemd generator enables, starts master, so
// the inventory has the port as unexplained.
func mtaSeenExposure(c *rule.Context, m *host.Mail) (rule.Exposure, bool) {
	e, seen := rule.Local, false
	for _, r := range c.Inventory.Rows {
		if (r.State != inventory.Listening && r.State != inventory.Unexplained) || !mtaHolds(m.MTA, r) {
			continue
		}
		seen = true
		for _, a := range r.Addresses {
			if !loopback(a) {
				e = rule.Public
			}
		}
	}
	return e, seen
}

// mtaHolds reports whether a process of the mail transfer agent holds the
// row's socket: by its program's path, or by its command name when the path
// is not known. A master that is not postfix's is another program's.
func mtaHolds(mta string, r inventory.Row) bool {
	progs := []string{r.Daemon}
	if len(r.Processes) > 0 {
		progs = progs[:0]
		for _, p := range r.Processes {
			if p.Exe != "" {
				progs = append(progs, p.Exe)
			} else {
				progs = append(progs, p.Command)
			}
		}
	}
	for _, p := range progs {
		n := path.Base(p)
		for _, want := range mtaProcesses[mta] {
			if p != "" && n == want && (n != "master" || !strings.Contains(p, "/") || strings.Contains(p, "postfix")) {
				return true
			}
		}
	}
	return false
}

// mailLoc is a finding location.
func mailLoc(src host.Source) rule.Location { return rule.Location{File: src.File, Line: src.Line} }

// mailFindingKey identifies a finding's place and text, to report each once.
func mailFindingKey(l rule.Location, found string) string { return l.String() + "\x00" + found }

// ---------------------------------------------------------------------------
// Networks and domains that are too broad to relay for.

// relayPrivateNets are address ranges of one site: relaying for one of them,
// or for part of one, is a local decision.
var relayPrivateNets = []netip.Prefix{
	netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("172.16.0.0/12"),
	netip.MustParsePrefix("192.168.0.0/16"), netip.MustParsePrefix("100.64.0.0/10"),
	netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("169.254.0.0/16"),
	netip.MustParsePrefix("fc00::/7"), netip.MustParsePrefix("fe80::/10"), netip.MustParsePrefix("::1/128"),
}

// relayBroadPrefix says why a network is too broad to relay for: every
// address, or a range of Internet (not private) addresses wider than a /16
// (IPv4) or a /32 (IPv6). It returns "" for a network that is not.
func relayBroadPrefix(p netip.Prefix) string {
	p = p.Masked()
	if p.Bits() == 0 {
		return "every address"
	}
	bits := p.Bits()
	if p.Addr().Is4In6() {
		bits -= 96
		p = netip.PrefixFrom(p.Addr().Unmap(), max(bits, 0))
	}
	for _, r := range relayPrivateNets {
		if r.Bits() <= p.Bits() && r.Contains(p.Addr()) {
			return ""
		}
	}
	switch {
	case p.Addr().Is4() && p.Bits() < 8:
		return fmt.Sprintf("%d bits of prefix: a large part of the Internet", p.Bits())
	case p.Addr().Is4() && p.Bits() < 16:
		return "a wide range of Internet addresses"
	case p.Addr().Is6() && p.Bits() < 32:
		return "a wide range of IPv6 Internet addresses"
	}
	return ""
}

// relayBroadNet says why a network as postfix or exim write it ("0.0.0.0/0",
// "[::]/0", "0/0", "192.0.2.0/24", "192.0.2.7") is too broad, or "".
func relayBroadNet(s string) string {
	s = strings.TrimSpace(s)
	if s == "0/0" || s == "*" {
		return "every address"
	}
	if strings.HasPrefix(s, "[") {
		if i := strings.IndexByte(s, ']'); i > 0 {
			s = s[1:i] + s[i+1:]
		}
	}
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return "" // a single address, a map or a file: not a range
	}
	return relayBroadPrefix(p)
}

// relayBroadName says why a member of sendmail's class R, or the key of an
// access map entry (its tag removed), lets sendmail relay too widely: an
// empty name or "." (every domain), a single label such as "com" (a whole
// top-level domain), or a partial address that covers a wide range of
// Internet addresses ("192"). It returns "" for a name that does not.
func relayBroadName(key string) string {
	k := strings.ToLower(strings.TrimSuffix(strings.TrimSpace(key), "."))
	switch {
	case k == "" || k == "*" || k == ".":
		return "every domain"
	case strings.HasPrefix(k, "ipv6:"):
		return ""
	case strings.Trim(k, "0123456789.") == "":
		octets := strings.Split(k, ".")
		if len(octets) >= 4 {
			return ""
		}
		addr := make([]string, 4)
		for i := range addr {
			addr[i] = "0"
			if i < len(octets) {
				addr[i] = octets[i]
			}
		}
		p, err := netip.ParsePrefix(strings.Join(addr, ".") + "/" + strconv.Itoa(8*len(octets)))
		if err != nil {
			return ""
		}
		return relayBroadPrefix(p)
	case !strings.Contains(k, ".") && k != "localhost" && k != "localdomain":
		return "a name without a dot, which covers every domain under ." + k
	}
	return ""
}

// sendmailAccessTags are the tags of access map keys that bear on relaying.
var sendmailAccessTags = map[string]bool{"connect": true, "to": true, "from": true}

// sendmailAccessKey splits the tag off an access map key: "Connect:10.1"
// gives "connect" and "10.1"; an untagged key gives "" and the key. ok is
// false for a tag that does not bear on relaying.
func sendmailAccessKey(k string) (tag, key string, ok bool) {
	t, rest, found := strings.Cut(k, ":")
	if !found || strings.ContainsAny(t, "@.") || t == "" {
		return "", k, true
	}
	t = strings.ToLower(t)
	return t, rest, sendmailAccessTags[t]
}

// ---------------------------------------------------------------------------
// Postfix.

// pfValue is a parameter as one smtpd service sees it.
type pfValue struct {
	raw, value string
	src        host.Source
	// override reports a master.cf -o; set reports that the parameter
	// has a value at all (written, or a built-in default).
	override, set bool
}

// pfParam returns the value of a main.cf parameter for an smtpd service:
// the service's -o override, or main.cf's last definition, or the default.
func pfParam(p *host.Postfix, s postfix.MasterService, name string) pfValue {
	if v, ok := s.Setting(name); ok && s.Line > 0 {
		return pfValue{raw: v, value: p.Main.Expand(v), src: host.Source{File: p.MasterPath, Line: s.Line}, override: true, set: true}
	}
	v, ok := p.Main.Value(name)
	if prm, found := p.Main.Get(name); found {
		return pfValue{raw: prm.Value, value: v, src: host.Source{File: p.MainPath, Line: prm.Line}, set: true}
	}
	return pfValue{raw: v, value: v, src: host.Source{File: p.MainPath}, set: ok}
}

// smtpdName names an smtpd service for a finding.
func smtpdName(s postfix.MasterService) string {
	return s.Service + " (" + s.Type + ")"
}

// postfixLoopback reports whether an smtpd service listens on a loopback
// address only.
func postfixLoopback(s postfix.MasterService) bool {
	h, _ := s.Addr()
	return h != "" && loopback(h)
}

// postfixList splits a postfix list (restrictions, networks, domains,
// interfaces) on commas and blanks.
func postfixList(list string) []string {
	return strings.FieldsFunc(list, func(r rune) bool {
		return r == ',' || r == ' ' || r == '\t' || r == '\n' || r == '\r'
	})
}

// postfixStoppers are the restrictions that stop relaying for a client the
// earlier ones did not permit, and the ones smtpd requires before it
// starts (smtpd_check.c).
var postfixStoppers = map[string]bool{
	"reject_unauth_destination": true, "defer_unauth_destination": true,
	"reject": true, "defer": true, "defer_if_permit": true, "check_relay_domains": true,
}

// postfixPermits walks a restriction list as smtpd does for a client
// outside the site relaying to a domain outside it, and returns what lets
// it through ("permit", "permit_mynetworks", "the end of the list"), or ""
// when a restriction stops it first. broad says whether mynetworks is too
// broad, so that permit_mynetworks lets anyone through.
func postfixPermits(list string, broad bool) string {
	for _, t := range postfixList(strings.ToLower(list)) {
		switch {
		case t == "permit":
			return "permit"
		case t == "permit_mynetworks" && broad:
			return "permit_mynetworks"
		case postfixStoppers[t]:
			return ""
		}
	}
	return "the end of the list"
}

// postfixHasStopper reports whether a list holds a restriction smtpd
// requires.
func postfixHasStopper(list string) bool {
	for _, t := range postfixList(strings.ToLower(list)) {
		if postfixStoppers[t] {
			return true
		}
	}
	return false
}

// pfSet returns the change that sets a main.cf parameter: its last
// definition replaced (continuation lines removed), or a line appended.
func pfSet(p *host.Postfix, name, value string) remedy.Change {
	line := name + " = " + value
	prm, ok := p.Main.Get(name)
	if !ok {
		return remedy.AppendLines(p.MainPath, line)
	}
	edits := []remedy.Edit{{Op: remedy.OpReplace, Line: prm.Line, Old: p.Main.Lines[prm.Line-1], New: []string{line}}}
	for l := prm.Line + 1; l <= prm.EndLine && l <= len(p.Main.Lines); l++ {
		edits = append(edits, remedy.Edit{Op: remedy.OpDelete, Line: l, Old: p.Main.Lines[l-1]})
	}
	return remedy.EditLines(p.MainPath, edits...)
}

// reloadPostfix is the command that makes postfix read main.cf again.
func reloadPostfix(id string) remedy.Change {
	return remedy.Command(id, "make postfix read main.cf again", "postfix", "reload").WhenOffline("read when postfix next starts")
}

// ---------------------------------------------------------------------------
// Sendmail.

// sendmailSet returns the change that sets a sendmail option to line ("O
// LogLevel=9"): its last line replaced when it is one line, or a new line
// after the last option line, or at the end of the file.
func sendmailSet(s *host.Sendmail, name, line string) remedy.Change {
	cf := s.CF
	if o, ok := cf.Option(name); ok && o.Line == o.EndLine {
		return remedy.ReplaceLine(s.CFPath, o.Line, cf.Lines[o.Line-1], line)
	}
	last := 0
	for _, o := range cf.Options {
		if !o.Commented && o.EndLine > last {
			last = o.EndLine
		}
	}
	if last == 0 {
		return remedy.AppendLines(s.CFPath, line)
	}
	return remedy.InsertAfter(s.CFPath, last, line)
}

// sendmailMCSet returns the change that makes the .mc source define the
// m4 macro name as value, so that a rebuild of the cf keeps a fix: its last
// define replaced when it is alone on one line, or a define added after
// it, or before the first MAILER line. There is none when the host has no
// .mc.
func sendmailMCSet(s *host.Sendmail, name, value string) []remedy.Change {
	mc := s.MC
	if mc == nil {
		return nil
	}
	line := "define(`" + name + "', `" + value + "')dnl"
	var last *sendmailcf.Call
	for _, d := range mc.Find("define") {
		if d.Arg(0) == name {
			last = &d
		}
	}
	switch {
	case last != nil && last.Line == last.EndLine && strings.Count(mc.Lines[last.Line-1], "(") == 1:
		return []remedy.Change{remedy.ReplaceLine(mc.Name, last.Line, mc.Lines[last.Line-1], line)}
	case last != nil:
		return []remedy.Change{remedy.InsertAfter(mc.Name, last.EndLine, line)}
	}
	if ms := mc.Find("MAILER"); len(ms) > 0 {
		return []remedy.Change{remedy.InsertAfter(mc.Name, ms[0].Line-1, line)}
	}
	return []remedy.Change{remedy.AppendLines(mc.Name, line)}
}

// reloadSendmail is the command that makes the sendmail daemon read its
// configuration again.
func reloadSendmail(c *rule.Context, id string) remedy.Change {
	if c.Facts.Platform.OS == target.AIX {
		return remedy.Command(id, "make sendmail read sendmail.cf again", "refresh", "-s", "sendmail").WhenOffline("read when sendmail next starts")
	}
	return remedy.Command(id, "make sendmail read sendmail.cf again", "systemctl", "restart", "sendmail").WhenOffline("read when sendmail next starts")
}

// sendmailLevel returns the format level of a cf file (the number of its V
// line), or 0.
func sendmailLevel(cf *sendmailcf.File) int {
	n, _ := strconv.Atoi(strings.SplitN(cf.Version, "/", 2)[0])
	return n
}

// sendmailGreeting returns the SMTP greeting sendmail gives and where it is
// set: SmtpGreetingMessage; for a cf below level 7 without it, the old $e
// macro; else sendmail's built-in "$j Sendmail $v ready at $b".
func sendmailGreeting(s *host.Sendmail) (text string, src host.Source, how string) {
	if o, ok := s.CF.Option("SmtpGreetingMessage"); ok {
		return o.Value, host.Source{File: s.CFPath, Line: o.Line}, "option"
	}
	if d, ok := s.CF.Macro("e"); ok && sendmailLevel(s.CF) < 7 {
		return d.Value, host.Source{File: s.CFPath, Line: d.Line}, "macro"
	}
	return "$j Sendmail $v ready at $b", host.Source{File: s.CFPath}, "default"
}

var (
	// sendmailVersionRE finds the version macros of sendmail ($v, the
	// program; $Z, the cf) or a version written out.
	sendmailVersionRE = regexp.MustCompile(`\$[vZ]|\$\{[vZ]\}|(?i)sendmail\s+v?\d+\.\d+|\b\d+\.\d+\.\d+\b`)
	// postfixVersionRE finds postfix's version parameter or a version
	// written out.
	postfixVersionRE = regexp.MustCompile(`\$\{?\(?mail_version\b|\b\d+\.\d+\.\d+\b`)
)

// sendmailPrivacy returns the PrivacyOptions flags of every line, added up
// as sendmail adds them, and the last line.
func sendmailPrivacy(cf *sendmailcf.File) (map[string]bool, *sendmailcf.Option) {
	flags := map[string]bool{}
	var last *sendmailcf.Option
	for _, o := range cf.AllOptions("PrivacyOptions") {
		for _, f := range strings.FieldsFunc(strings.ToLower(o.Value), func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\n' }) {
			flags[f] = true
		}
		last = &o
	}
	return flags, last
}

// ---------------------------------------------------------------------------
// The rules.

var _ = rule.Register(rule.Rule{
	ID: "MAIL-RELAY-OPEN", Title: "the mail server relays mail for anyone (open relay)", Severity: severity.Critical, Topic: "mail",
	Rationale:   "An open relay accepts mail from outside the organisation for addresses outside it: the most common way spammers send mail to thousands of addresses, all from your server. AIX 4.3.3's sendmail was built with FEATURE(`promiscuous_relay'); relay-domains, the access map and postfix's mynetworks can open it as wide (Securing AIX Network Services, Closing the open relay).",
	Remediation: "sendmail: rebuild sendmail.cf from an .mc without FEATURE(`promiscuous_relay') (m4 ../m4/cf.m4 > sendmail.cf), and list in /etc/mail/relay-domains and the access map (RELAY) only the site's own domains and networks. postfix: list only the site's networks in mynetworks, and put reject_unauth_destination after permit_mynetworks and permit_sasl_authenticated in smtpd_relay_restrictions, never a bare permit before it. exim: list only the site's networks in dc_relay_nets.",
	Check: func(c *rule.Context, rep *rule.Report) error {
		m, ok, err := mailSMTPOf(c)
		if !ok || err != nil {
			return err
		}
		e := mtaExposure(c, m)
		switch m.MTA {
		case host.MTASendmail:
			sendmailRelay(c, m, e, rep)
		case host.MTAPostfix:
			postfixRelay(m, e, rep)
		case host.MTAExim:
			x := m.Exim
			for _, n := range strings.Split(x.Fields["dc_relay_nets"], ";") {
				if why := relayBroadNet(n); why != "" {
					rep.Add(rule.Finding{
						Where:    rule.Location{File: x.Path, Line: x.Lines["dc_relay_nets"]},
						Service:  "exim",
						Found:    fmt.Sprintf("dc_relay_nets holds %s (%s): exim relays for clients there", strings.TrimSpace(n), why),
						Expected: "dc_relay_nets lists only the site's own networks",
						Exposure: e,
						Data:     map[string]string{"fix": "exim-relay-nets"},
					})
				}
			}
		}
		return nil
	},
	Fix: func(c *rule.Context, f rule.Finding) []remedy.Change {
		m := c.Facts.Mail
		id := f.Rule
		switch f.Data["fix"] {
		case "comment":
			out := []remedy.Change{remedy.CommentLine(f.Data["file"], f.Where.Line, f.Data["old"], "#").For(id, "stop relaying for "+f.Data["key"])}
			if f.Data["rebuild"] != "" {
				out = append(out, remedy.Command(id, "rebuild the access map from its text file", "sh", "-c", f.Data["rebuild"]).WhenOffline("run makemap on the host before sendmail next starts"))
			}
			return append(out, reloadSendmail(c, id))
		case "replace":
			return []remedy.Change{
				remedy.ReplaceLine(f.Data["file"], f.Where.Line, f.Data["old"], f.Data["new"]).For(id, "stop relaying for "+f.Data["key"]),
				reloadSendmail(c, id),
			}
		case "mc-feature":
			s := m.Sendmail
			var out []remedy.Change
			for _, call := range s.MC.Find("FEATURE") {
				if call.Arg(0) == "promiscuous_relay" && call.Line == call.EndLine {
					out = append(out, remedy.CommentLine(s.MC.Name, call.Line, s.MC.Lines[call.Line-1], "dnl ").For(id, "build sendmail.cf without promiscuous relaying"))
				}
			}
			if len(out) == 0 {
				return nil
			}
			if c.Facts.Platform.OS == target.Linux && s.MC.Name == "/etc/mail/sendmail.mc" && path.Dir(s.CFPath) == "/etc/mail" {
				out = append(out, remedy.Command(id, "rebuild sendmail.cf from sendmail.mc", "make", "-C", "/etc/mail").WhenOffline("rebuild sendmail.cf (make -C /etc/mail) on the host"))
				out = append(out, reloadSendmail(c, id))
			}
			return out
		case "postfix-mynetworks":
			p := m.Postfix
			return []remedy.Change{pfSet(p, "mynetworks", f.Data["new"]).For(id, "relay only for the site's networks"), reloadPostfix(id)}
		case "exim-relay-nets":
			x := m.Exim
			var keep []string
			for _, n := range strings.Split(x.Fields["dc_relay_nets"], ";") {
				if n = strings.TrimSpace(n); n != "" && relayBroadNet(n) == "" {
					keep = append(keep, n)
				}
			}
			return eximSet(x, id, "dc_relay_nets", strings.Join(keep, " ; "), "relay only for the site's networks")
		}
		return nil
	},
})

// sendmailRelay finds what makes sendmail relay for anyone.
func sendmailRelay(c *rule.Context, m *host.Mail, e rule.Exposure, rep *rule.Report) {
	s := m.Sendmail
	mcFix := ""
	if s.MC != nil {
		for _, call := range s.MC.Find("FEATURE") {
			if call.Arg(0) == "promiscuous_relay" && call.Line == call.EndLine {
				mcFix = "mc-feature"
			}
		}
	}
	for _, ft := range s.CF.Features {
		if ft.Name != "promiscuous_relay" {
			continue
		}
		rep.Add(rule.Finding{
			Where:    rule.Location{File: s.CFPath, Line: ft.Line},
			Service:  "sendmail",
			Found:    "sendmail.cf was built with FEATURE(`promiscuous_relay'): sendmail relays mail from anyone to anywhere",
			Expected: "a sendmail.cf built without promiscuous_relay",
			Exposure: e,
			Data:     map[string]string{"fix": mcFix},
		})
	}
	if s.MC != nil {
		for _, call := range s.MC.Find("FEATURE") {
			if call.Arg(0) != "promiscuous_relay" {
				continue
			}
			rep.Add(rule.Finding{
				Where:    rule.Location{File: s.MC.Name, Line: call.Line},
				Service:  "sendmail",
				Found:    "the .mc source asks for FEATURE(`promiscuous_relay'): a sendmail.cf built from it relays mail from anyone to anywhere",
				Expected: "no FEATURE(`promiscuous_relay') in the .mc",
				Exposure: e,
				Data:     map[string]string{"fix": mcFix},
			})
		}
	}
	// Class R: what is broad is taken off its line.
	lineBroad := map[host.Source][]string{}
	for _, r := range s.RelayDomains {
		if relayBroadName(r.Key) != "" {
			lineBroad[r.Source] = append(lineBroad[r.Source], r.Key)
		}
	}
	for _, r := range s.RelayDomains {
		why := relayBroadName(r.Key)
		if why == "" {
			continue
		}
		data := map[string]string{"file": r.Source.File, "old": r.Text, "key": r.Key}
		if r.Source.File != s.CFPath {
			// A class file: keep the other words of the line.
			var keep []string
			for _, w := range strings.Fields(r.Text) {
				if relayBroadName(w) == "" {
					keep = append(keep, w)
				}
			}
			if len(keep) == 0 {
				data["fix"] = "comment"
			} else {
				data["fix"], data["new"] = "replace", strings.Join(keep, " ")
			}
			data["key"] = strings.Join(lineBroad[r.Source], ", ")
		}
		rep.Add(rule.Finding{
			Where:    mailLoc(r.Source),
			Service:  "sendmail",
			Found:    fmt.Sprintf("class R (the relay domains) holds %q, %s: sendmail relays for it", r.Key, why),
			Expected: "class R lists only the site's own domains and networks",
			Exposure: e,
			Data:     data,
		})
	}
	if !s.AccessMap {
		return
	}
	mapType := "hash"
	for _, k := range s.CF.Maps {
		if k.Name == "access" && k.Type != "" {
			mapType = k.Type
		}
	}
	for _, a := range s.Access {
		v := strings.Fields(a.Value)
		if len(v) == 0 || !strings.EqualFold(v[0], "RELAY") {
			continue
		}
		tag, key, ok := sendmailAccessKey(a.Key)
		if !ok {
			continue
		}
		why := relayBroadName(key)
		if why == "" {
			continue
		}
		what := "clients"
		switch tag {
		case "to":
			what = "recipients"
		case "from":
			what = "senders"
		case "":
			what = "clients and recipients"
		}
		data := map[string]string{"fix": "comment", "file": a.Source.File, "old": a.Text, "key": a.Key}
		if mapType == "hash" || mapType == "btree" || mapType == "dbm" {
			data["rebuild"] = "makemap " + mapType + " " + s.AccessPath + " < " + s.AccessPath
		}
		rep.Add(rule.Finding{
			Where:    mailLoc(a.Source),
			Service:  "sendmail",
			Found:    fmt.Sprintf("the access map gives RELAY to %q, %s: sendmail relays for %s there", a.Key, why, what),
			Expected: "RELAY only for the site's own domains and networks",
			Exposure: e,
			Data:     data,
		})
	}
}

// postfixRelay finds what makes postfix relay for anyone, service by
// service.
func postfixRelay(m *host.Mail, e rule.Exposure, rep *rule.Report) {
	p := m.Postfix
	seen := map[string]bool{}
	add := func(f rule.Finding) {
		if k := mailFindingKey(f.Where, f.Found); !seen[k] {
			seen[k] = true
			rep.Add(f)
		}
	}
	for _, s := range p.SMTPD {
		if s.Command != "smtpd" {
			continue // postscreen hands clients to an smtpd pass service
		}
		exp := e
		if postfixLoopback(s) {
			exp = rule.Local
		}
		nets := pfParam(p, s, "mynetworks")
		var broad []string
		var keep []string
		for _, n := range postfixList(nets.value) {
			if why := relayBroadNet(n); why != "" {
				broad = append(broad, n+" ("+why+")")
			} else {
				keep = append(keep, n)
			}
		}
		relay := pfParam(p, s, "smtpd_relay_restrictions")
		rcpt := pfParam(p, s, "smtpd_recipient_restrictions")
		if !postfixHasStopper(relay.value) && !postfixHasStopper(rcpt.value) {
			continue // smtpd refuses to start
		}
		var via string
		var list pfValue
		if strings.TrimSpace(relay.value) != "" {
			a, b := postfixPermits(relay.value, len(broad) > 0), postfixPermits(rcpt.value, len(broad) > 0)
			if a == "" || b == "" {
				continue
			}
			via, list = a, relay
			if a == "the end of the list" {
				via, list = b, rcpt
			}
		} else {
			via = postfixPermits(rcpt.value, len(broad) > 0)
			if via == "" {
				continue
			}
			list = rcpt
		}
		name := smtpdName(s)
		if via == "permit_mynetworks" {
			data := map[string]string{}
			if !nets.override && nets.src.Line > 0 {
				if len(keep) == 0 {
					keep = []string{"127.0.0.0/8", "[::ffff:127.0.0.0]/104", "[::1]/128"}
				}
				data = map[string]string{"fix": "postfix-mynetworks", "new": strings.Join(keep, " ")}
			}
			add(rule.Finding{
				Where:    mailLoc(nets.src),
				Service:  "postfix",
				Found:    fmt.Sprintf("mynetworks holds %s, and permit_mynetworks comes before reject_unauth_destination: %s relays for anyone", strings.Join(broad, ", "), name),
				Expected: "mynetworks lists only the site's own networks",
				Exposure: exp,
				Data:     data,
			})
			continue
		}
		add(rule.Finding{
			Where:    mailLoc(list.src),
			Service:  "postfix",
			Found:    fmt.Sprintf("the restrictions that decide relaying (%q) let a client through by %s before any reject_unauth_destination: %s relays for anyone", strings.TrimSpace(list.value), via, name),
			Expected: "reject_unauth_destination (or defer_unauth_destination) before any permit other than permit_mynetworks and permit_sasl_authenticated",
			Exposure: exp,
		})
	}
	if v, ok := p.Main.Value("relay_domains"); ok {
		src := host.Source{File: p.MainPath}
		if prm, found := p.Main.Get("relay_domains"); found {
			src.Line = prm.Line
		}
		for _, d := range postfixList(v) {
			if strings.ContainsAny(d, ":/$") {
				continue // a map, a file or a reference left as written
			}
			if why := relayBroadName(strings.TrimPrefix(d, "*.")); why != "" {
				add(rule.Finding{
					Where:    mailLoc(src),
					Service:  "postfix",
					Found:    fmt.Sprintf("relay_domains holds %q, %s: postfix relays mail to it for anyone", d, why),
					Expected: "relay_domains lists only domains this host is a backup or gateway for",
					Exposure: e,
				})
			}
		}
	}
}

// eximSet returns the changes that set a debconf setting of exim and build
// exim's configuration again.
func eximSet(x *host.Exim, id, name, value, why string) []remedy.Change {
	line := name + "='" + value + "'"
	var edit remedy.Change
	if n := x.Lines[name]; n > 0 && n <= len(x.Text) {
		edit = remedy.ReplaceLine(x.Path, n, x.Text[n-1], line)
	} else {
		edit = remedy.AppendLines(x.Path, line)
	}
	return []remedy.Change{
		edit.For(id, why),
		remedy.Command(id, "build exim's configuration from the debconf settings", "update-exim4.conf").WhenOffline("run update-exim4.conf on the host"),
		remedy.Command(id, "restart exim", "systemctl", "restart", "exim4").WhenOffline("read when exim next starts"),
	}
}

var _ = rule.Register(rule.Rule{
	ID: "MAIL-BANNER-VERSION", Title: "the SMTP greeting shows the mail server's version", Severity: severity.Medium, Topic: "mail",
	Rationale:   "Keep the version of the SMTP service private: attackers use it to pick the vulnerabilities to try; alter the greeting to something generic (AIX Security Basics, SMTP Service Considerations). sendmail's default greeting carries $v (its version) and $Z (the cf's); postfix's $mail_version does the same.",
	Remediation: "sendmail: O SmtpGreetingMessage=$j Mail Server Ready; $b (and confSMTP_LOGIN_MSG in the .mc). postfix: smtpd_banner = $myhostname ESMTP. Then connect to port 25 to see the greeting.",
	References:  []string{"STIG GEN004560"},
	Check: func(c *rule.Context, rep *rule.Report) error {
		m, ok, err := mailSMTPOf(c)
		if !ok || err != nil {
			return err
		}
		e := mtaExposure(c, m)
		switch m.MTA {
		case host.MTASendmail:
			s := m.Sendmail
			text, src, how := sendmailGreeting(s)
			if !sendmailVersionRE.MatchString(text) {
				return nil
			}
			found := fmt.Sprintf("the greeting is %q", text)
			switch how {
			case "macro":
				found = fmt.Sprintf("the greeting is the old $e macro, %q", text)
			case "default":
				found = fmt.Sprintf("no SmtpGreetingMessage: sendmail greets with its default, %q", text)
			}
			rep.Add(rule.Finding{Where: mailLoc(src), Service: "sendmail", Found: found + ", which shows the version",
				Expected: "O SmtpGreetingMessage=" + mailSafeGreeting, Exposure: e, Data: map[string]string{"fix": "sendmail-" + how}})
		case host.MTAPostfix:
			p := m.Postfix
			seen := map[string]bool{}
			for _, s := range p.SMTPD {
				if s.Command != "smtpd" {
					continue
				}
				b := pfParam(p, s, "smtpd_banner")
				if !postfixVersionRE.MatchString(b.raw) {
					continue
				}
				where := mailLoc(b.src)
				if seen[where.String()] {
					continue
				}
				seen[where.String()] = true
				data := map[string]string{}
				if !b.override {
					data["fix"] = "postfix"
				}
				exp := e
				if postfixLoopback(s) {
					exp = rule.Local
				}
				rep.Add(rule.Finding{Where: where, Service: "postfix",
					Found:    fmt.Sprintf("smtpd_banner = %s shows the version (%s)", b.raw, smtpdName(s)),
					Expected: "smtpd_banner = " + mailSafeBanner, Exposure: exp, Data: data})
			}
		case host.MTAExim:
			return rule.Undecided("exim's greeting is smtp_banner in its own configuration, which bastion does not read (its default shows $version_number)")
		}
		return nil
	},
	Fix: func(c *rule.Context, f rule.Finding) []remedy.Change {
		m := c.Facts.Mail
		id, why := f.Rule, "greet without the version"
		switch f.Data["fix"] {
		case "sendmail-option", "sendmail-default":
			s := m.Sendmail
			out := []remedy.Change{sendmailSet(s, "SmtpGreetingMessage", "O SmtpGreetingMessage="+mailSafeGreeting).For(id, why)}
			for _, ch := range sendmailMCSet(s, "confSMTP_LOGIN_MSG", mailSafeGreeting) {
				out = append(out, ch.For(id, why+" when sendmail.cf is next built"))
			}
			return append(out, reloadSendmail(c, id))
		case "sendmail-macro":
			s := m.Sendmail
			d, _ := s.CF.Macro("e")
			if d.Line != d.EndLine {
				return nil
			}
			return []remedy.Change{remedy.ReplaceLine(s.CFPath, d.Line, s.CF.Lines[d.Line-1], "De"+mailSafeGreeting).For(id, why), reloadSendmail(c, id)}
		case "postfix":
			return []remedy.Change{pfSet(m.Postfix, "smtpd_banner", mailSafeBanner).For(id, why), reloadPostfix(id)}
		}
		return nil
	},
})

var _ = rule.Register(rule.Rule{
	ID: "MAIL-VRFY", Title: "the SMTP server answers VRFY or EXPN", Severity: severity.Medium, Topic: "mail",
	Rationale:   "VRFY and EXPN tell anyone which user names exist and where aliases lead: a list of accounts to attack and addresses to spam. sendmail answers them unless PrivacyOptions has goaway, or noexpn and novrfy; postfix answers VRFY unless disable_vrfy_command = yes.",
	Remediation: "sendmail: add goaway to PrivacyOptions (confPRIVACY_FLAGS in the .mc). postfix: disable_vrfy_command = yes.",
	References:  []string{"STIG GEN004680"},
	Check: func(c *rule.Context, rep *rule.Report) error {
		m, ok, err := mailSMTPOf(c)
		if !ok || err != nil {
			return err
		}
		e := mtaExposure(c, m)
		switch m.MTA {
		case host.MTASendmail:
			s := m.Sendmail
			flags, last := sendmailPrivacy(s.CF)
			if flags["goaway"] || flags["noexpn"] && flags["novrfy"] {
				return nil
			}
			var missing, answers []string
			for _, f := range []string{"novrfy", "noexpn"} {
				if !flags[f] {
					missing = append(missing, f)
					answers = append(answers, strings.ToUpper(strings.TrimPrefix(f, "no")))
				}
			}
			where, set := rule.Location{File: s.CFPath}, "no PrivacyOptions"
			if last != nil {
				where.Line = last.Line
				var all []string
				for _, o := range s.CF.AllOptions("PrivacyOptions") {
					all = append(all, o.Value)
				}
				set = "PrivacyOptions=" + strings.Join(all, ",")
			}
			rep.Add(rule.Finding{Where: where, Service: "sendmail",
				Found:    fmt.Sprintf("%s: no goaway, and no %s; sendmail answers %s", set, strings.Join(missing, " or "), strings.Join(answers, " and ")),
				Expected: "PrivacyOptions with goaway (or noexpn and novrfy)", Exposure: e, Data: map[string]string{"fix": "sendmail"}})
		case host.MTAPostfix:
			p := m.Postfix
			seen := map[string]bool{}
			for _, s := range p.SMTPD {
				if s.Command != "smtpd" {
					continue
				}
				v := pfParam(p, s, "disable_vrfy_command")
				if strings.EqualFold(strings.TrimSpace(v.value), "yes") {
					continue
				}
				where := mailLoc(v.src)
				if seen[where.String()] {
					continue
				}
				seen[where.String()] = true
				val := strings.TrimSpace(v.value)
				if val == "" {
					val = "no"
				}
				data := map[string]string{}
				if !v.override {
					data["fix"] = "postfix"
				}
				exp := e
				if postfixLoopback(s) {
					exp = rule.Local
				}
				rep.Add(rule.Finding{Where: where, Service: "postfix",
					Found:    fmt.Sprintf("disable_vrfy_command = %s: %s answers VRFY", val, smtpdName(s)),
					Expected: "disable_vrfy_command = yes", Exposure: exp, Data: data})
			}
		}
		return nil
	},
	Fix: func(c *rule.Context, f rule.Finding) []remedy.Change {
		m := c.Facts.Mail
		id, why := f.Rule, "refuse VRFY and EXPN"
		switch f.Data["fix"] {
		case "sendmail":
			s := m.Sendmail
			_, last := sendmailPrivacy(s.CF)
			var change remedy.Change
			if last != nil && last.Line == last.EndLine {
				v := strings.TrimSpace(last.Value)
				if v != "" {
					v += ","
				}
				change = remedy.ReplaceLine(s.CFPath, last.Line, s.CF.Lines[last.Line-1], "O PrivacyOptions="+v+"goaway")
			} else {
				change = sendmailSet(s, "PrivacyOptions", "O PrivacyOptions=goaway")
				if last != nil {
					// Sendmail adds up PrivacyOptions lines.
					change = remedy.InsertAfter(s.CFPath, last.EndLine, "O PrivacyOptions=goaway")
				}
			}
			out := []remedy.Change{change.For(id, why)}
			mcFlags := "authwarnings,goaway"
			if s.MC != nil {
				if v, ok := s.MC.Define("confPRIVACY_FLAGS"); ok && strings.TrimSpace(v) != "" {
					mcFlags = strings.Join(strings.Fields(v), "") + ",goaway"
				}
			}
			for _, ch := range sendmailMCSet(s, "confPRIVACY_FLAGS", mcFlags) {
				out = append(out, ch.For(id, why+" when sendmail.cf is next built"))
			}
			return append(out, reloadSendmail(c, id))
		case "postfix":
			return []remedy.Change{pfSet(m.Postfix, "disable_vrfy_command", "yes").For(id, why), reloadPostfix(id)}
		}
		return nil
	},
})

var _ = rule.Register(rule.Rule{
	ID: "MAIL-LISTEN-ALL", Title: "the mail server listens on every interface of a host that is not a mail server", Severity: severity.Medium, Topic: "mail",
	Rationale:   "A host that does not receive mail should not accept SMTP connections from the network; it can still send mail and deliver it locally (AIX Security Basics, Mail Service Considerations: disable sendmail and Postfix unless required; Securing AIX Network Services, Disabling SMTP service).",
	Remediation: "postfix: inet_interfaces = loopback-only, then restart postfix. exim: dc_local_interfaces='127.0.0.1 ; ::1', update-exim4.conf, restart exim4. (sendmail: SVC-SENDMAIL-DAEMON.) Or give the host the mail-server role in the site policy.",
	References:  []string{"CIS AIX 7 4.7.4.3"},
	Check: func(c *rule.Context, rep *rule.Report) error {
		m, ok, err := mailOf(c)
		if !ok || err != nil {
			return err
		}
		if mailServer(c, m) || m.Receives == host.AnswerNo || m.MTA == host.MTASendmail {
			return nil
		}
		if err := mailConfigProblem(m); err != nil {
			return err
		}
		e := mtaExposure(c, m)
		switch m.MTA {
		case host.MTAPostfix:
			p := m.Postfix
			v := pfParam(p, postfix.MasterService{}, "inet_interfaces")
			var public []string
			for _, a := range postfixList(v.value) {
				if a != "loopback-only" && !loopback(a) {
					public = append(public, a)
				}
			}
			if len(public) == 0 {
				return nil
			}
			var open []string
			for _, s := range p.SMTPD {
				if s.Type == "inet" && !postfixLoopback(s) {
					open = append(open, s.Service)
				}
			}
			if len(open) == 0 {
				return nil
			}
			rep.Add(rule.Finding{Where: mailLoc(v.src), Service: "postfix",
				Found:    fmt.Sprintf("inet_interfaces = %s: postfix takes mail from the network (%s)", strings.TrimSpace(v.value), strings.Join(open, ", ")),
				Expected: "inet_interfaces = loopback-only on a host that is not a mail server", Exposure: e, Data: map[string]string{"fix": "postfix"}})
		case host.MTAExim:
			x := m.Exim
			v := strings.TrimSpace(x.Fields["dc_local_interfaces"])
			var public []string
			for _, a := range strings.Split(v, ";") {
				if a = strings.TrimSpace(a); a != "" && !loopback(a) {
					public = append(public, a)
				}
			}
			if v != "" && len(public) == 0 {
				return nil
			}
			found := "dc_local_interfaces is empty: exim listens on every interface"
			if v != "" {
				found = "dc_local_interfaces holds " + strings.Join(public, ", ") + ": exim takes mail from the network"
			}
			rep.Add(rule.Finding{Where: rule.Location{File: x.Path, Line: x.Lines["dc_local_interfaces"]}, Service: "exim",
				Found: found, Expected: "dc_local_interfaces='" + mailEximLoopbacks + "' on a host that is not a mail server",
				Exposure: e, Data: map[string]string{"fix": "exim"}})
		}
		return nil
	},
	Fix: func(c *rule.Context, f rule.Finding) []remedy.Change {
		m := c.Facts.Mail
		id, why := f.Rule, "take mail from this host only"
		switch f.Data["fix"] {
		case "postfix":
			return []remedy.Change{
				pfSet(m.Postfix, "inet_interfaces", "loopback-only").For(id, why),
				remedy.Command(id, "restart postfix (a change of inet_interfaces needs a stop and start)", "systemctl", "restart", "postfix").WhenOffline("read when postfix next starts"),
			}
		case "exim":
			return eximSet(m.Exim, id, "dc_local_interfaces", mailEximLoopbacks, why)
		}
		return nil
	},
})

var _ = rule.Register(rule.Rule{
	ID: "MAIL-SENDMAIL-LOGLEVEL", Title: "sendmail logs below level 9", Severity: severity.Low, Topic: "mail",
	Rationale:   "If sendmail is not configured to log at the default of level nine, the system logs may not have enough information for tracking unauthorised use of the service (AIX Security Basics, Mail Service Considerations).",
	Remediation: "O LogLevel=9 in sendmail.cf (confLOG_LEVEL in the .mc), then refresh sendmail.",
	References:  []string{"STIG GEN004440"},
	Check: func(c *rule.Context, rep *rule.Report) error {
		m, ok, err := mailOf(c)
		if !ok || err != nil || m.MTA != host.MTASendmail {
			return err
		}
		if err := mailConfigProblem(m); err != nil {
			return err
		}
		s := m.Sendmail
		o, ok := s.CF.Option("LogLevel")
		if !ok {
			return nil // sendmail's default is 9
		}
		n, err := strconv.Atoi(strings.TrimSpace(o.Value))
		if err != nil {
			return rule.Undecided("%s:%d: LogLevel %q is not a number", s.CFPath, o.Line, o.Value)
		}
		if n >= mailSafeLogLevel {
			return nil
		}
		rep.Add(rule.Finding{Where: rule.Location{File: s.CFPath, Line: o.Line}, Service: "sendmail",
			Found:    fmt.Sprintf("LogLevel=%d: sendmail logs too little to trace misuse", n),
			Expected: "LogLevel=9 or higher", Exposure: rule.Host})
		return nil
	},
	Fix: func(c *rule.Context, f rule.Finding) []remedy.Change {
		s := c.Facts.Mail.Sendmail
		id, why := f.Rule, "log enough to trace misuse of the mail service"
		out := []remedy.Change{sendmailSet(s, "LogLevel", "O LogLevel="+strconv.Itoa(mailSafeLogLevel)).For(id, why)}
		for _, ch := range sendmailMCSet(s, "confLOG_LEVEL", strconv.Itoa(mailSafeLogLevel)) {
			out = append(out, ch.For(id, why+" when sendmail.cf is next built"))
		}
		return append(out, reloadSendmail(c, id))
	},
})

var _ = rule.Register(rule.Rule{
	ID: "MAIL-SENDMAIL-HELP", Title: "sendmail's HELP command shows its version", Severity: severity.Low, Topic: "mail",
	Rationale:   "The version is also shown when a client sends HELP: the help file's smtp entry prints it, and without a help file sendmail answers \"502 Sendmail <version> -- HELP not implemented\". The easiest way to mask it is an empty HELP file (AIX Security Basics, SMTP Service Considerations).",
	Remediation: "Empty the file HelpFile names (keep the option, so that HELP answers without the version), or tailor it to list topics without the version.",
	Check: func(c *rule.Context, rep *rule.Report) error {
		m, ok, err := mailSMTPOf(c)
		if !ok || err != nil || m.MTA != host.MTASendmail {
			return err
		}
		s := m.Sendmail
		e := mtaExposure(c, m)
		h := s.Help
		switch {
		case h == nil || h.Path == "":
			rep.Add(rule.Finding{Where: rule.Location{File: s.CFPath, Line: s.HelpSource.Line}, Service: "sendmail",
				Found:    "no help file (HelpFile is not set, or empty): HELP answers \"502 Sendmail <version> -- HELP not implemented\"",
				Expected: "HelpFile naming an empty file", Exposure: e})
		case h.Problem != "":
			return rule.Undecided("%s: %s", h.Path, h.Problem)
		case !h.Exists:
			rep.Add(rule.Finding{Where: mailLoc(s.HelpSource), Service: "sendmail",
				Found:    h.Path + " does not exist: HELP answers \"502 Sendmail <version> -- HELP not implemented\"",
				Expected: h.Path + " present and empty", Exposure: e, Data: map[string]string{"fix": "create", "file": h.Path}})
		case h.Size > 0:
			data := map[string]string{"file": h.Real} // the file itself, not a link to it
			if len(s.HelpLines) > 0 {
				data["fix"] = "empty"
			}
			rep.Add(rule.Finding{Where: rule.Location{File: h.Path}, Service: "sendmail",
				Found:    fmt.Sprintf("%s (HelpFile, %s:%d) is not empty (%d bytes): HELP lists topics and the version", h.Path, s.HelpSource.File, s.HelpSource.Line, h.Size),
				Expected: "an empty help file", Exposure: e, Data: data})
		}
		return nil
	},
	Fix: func(c *rule.Context, f rule.Finding) []remedy.Change {
		s := c.Facts.Mail.Sendmail
		id, why := f.Rule, "answer HELP without the version"
		switch f.Data["fix"] {
		case "create":
			group := "root"
			if c.Facts.Platform.OS == target.AIX {
				group = "system"
			}
			return []remedy.Change{remedy.CreateFile(f.Data["file"], "", 0o444, "root", group).For(id, why)}
		case "empty":
			var edits []remedy.Edit
			for i, l := range s.HelpLines {
				edits = append(edits, remedy.Edit{Op: remedy.OpDelete, Line: i + 1, Old: l})
			}
			return []remedy.Change{remedy.EditLines(f.Data["file"], edits...).For(id, why)}
		}
		return nil
	},
})

// mailPerm is a permission mode read back from a finding's data.
func mailPerm(m uint64) fs.FileMode { return fs.FileMode(m) & fs.ModePerm }

// mailWiderThan644 reports whether a mode gives more than rw-r--r--.
func mailWiderThan644(m uint32) bool { return m&^0o644 != 0 }

var _ = rule.Register(rule.Rule{
	ID: "MAIL-ALIASES-PERMS", Title: "the aliases file can be changed by someone other than root", Severity: severity.Medium, Topic: "mail",
	Rationale:   "The aliases file should be owned by root, mode 0644 or tighter, in a directory root owns; otherwise an intruder can change it to run programs or redirect mail (AIX Security Basics, Mail Service Considerations).",
	Remediation: "chown root the file and its directory, chmod 0644 the file, then run newaliases.",
	Check: func(c *rule.Context, rep *rule.Report) error {
		m := c.Facts.Mail
		if m == nil {
			return rule.Undecided("the mail set-up was not read")
		}
		var problem string
		for _, a := range m.Aliases {
			if a.Problem != "" {
				problem = a.Path + ": " + a.Problem
				continue
			}
			var found []string
			data := map[string]string{"file": a.Real}
			if m.OwnersKnown && a.UID > 0 {
				found = append(found, fmt.Sprintf("owned by uid %d", a.UID))
				data["chown"] = "yes"
			}
			if perm := uint32(a.Mode.Perm()); mailWiderThan644(perm) {
				found = append(found, fmt.Sprintf("mode %04o", perm))
				data["mode"] = strconv.FormatUint(uint64(perm&0o644), 8)
			}
			if m.OwnersKnown && a.DirUID > 0 {
				found = append(found, fmt.Sprintf("in %s, owned by uid %d", a.Dir, a.DirUID))
				data["dir"] = a.Dir
			}
			if len(found) == 0 {
				continue
			}
			rep.Add(rule.Finding{Where: rule.Location{File: a.Path}, Service: "mail",
				Found:    a.Path + ": " + strings.Join(found, ", "),
				Expected: "owned by root, mode 0644 or tighter, in a directory owned by root", Exposure: rule.Host, Data: data})
		}
		if problem != "" && len(rep.Findings()) == 0 {
			return rule.Undecided("%s", problem)
		}
		return nil
	},
	Fix: func(c *rule.Context, f rule.Finding) []remedy.Change {
		id, file := f.Rule, f.Data["file"]
		var out []remedy.Change
		if f.Data["chown"] != "" {
			out = append(out, remedy.Chown(file, "root", "").For(id, "only root may change the aliases"))
		}
		if v := f.Data["mode"]; v != "" {
			mode, _ := strconv.ParseUint(v, 8, 32)
			out = append(out, remedy.Chmod(file, mailPerm(mode)).For(id, "only root may change the aliases"))
		}
		if d := f.Data["dir"]; d != "" {
			out = append(out, remedy.Chown(d, "root", "").For(id, "only root may replace the aliases file"))
		}
		return out
	},
})

// mailLogs returns the log files the syslog rules send mail messages to by
// naming the mail facility.
func mailLogs(s *host.Syslog) []host.LogFile {
	want := map[string]bool{}
	for _, r := range s.Rules {
		if r.Dest.Kind != "file" || !namesMail(r.Filter) {
			continue
		}
		want[r.Dest.Target] = true
	}
	var out []host.LogFile
	for _, f := range s.Files {
		if want[f.Path] {
			out = append(out, f)
		}
	}
	return out
}

// namesMail reports whether a rule's filter names the mail facility: a
// selector "mail.info" or "mail,news.*" (not "mail.none"), or a syslog-ng
// filter whose name says mail.
func namesMail(filter string) bool {
	if strings.Contains(filter, "filter(") {
		return strings.Contains(strings.ToLower(filter), "mail")
	}
	for _, sel := range strings.Split(filter, ";") {
		facs, prio, ok := strings.Cut(strings.TrimSpace(sel), ".")
		if !ok || strings.TrimSpace(prio) == "none" {
			continue
		}
		for _, f := range strings.Split(facs, ",") {
			if strings.TrimSpace(f) == "mail" {
				return true
			}
		}
	}
	return false
}

var _ = rule.Register(rule.Rule{
	ID: "MAIL-LOG-PERMS", Title: "a mail log file is not root's or is writable by others", Severity: severity.Medium, Topic: "mail",
	Rationale:   "The mail and SMTP log files should be owned and only writable by root, mode 0644 or tighter, so that no one can change them to cover their tracks (AIX Security Basics, Mail Service Considerations).",
	Remediation: "chown root the file and chmod it to 0644 or tighter (0640 keeps it from other users too, as LOG-FILE-READABLE asks). A file the syslog configuration gives to the daemon's own user ($FileOwner) is left to that user.",
	Check: func(c *rule.Context, rep *rule.Report) error {
		s, err := syslogOf(c)
		if err != nil {
			return err
		}
		m := c.Facts.Mail
		known := m != nil && m.OwnersKnown
		for _, f := range mailLogs(s) {
			if !f.Exists {
				continue // LOG-FILE-MISSING says so
			}
			var found []string
			data := map[string]string{"file": f.Path}
			// A daemon told to give its files to another user (rsyslog's
			// $FileOwner syslog) must keep them, or it can no longer write.
			daemonOwned := f.CreateOwner != "" && f.CreateOwner != "root" && f.CreateOwner != "0"
			if known && f.UID > 0 && !daemonOwned {
				found = append(found, fmt.Sprintf("owned by uid %d", f.UID))
				data["chown"] = "yes"
			}
			if perm := uint32(f.Mode.Perm()); mailWiderThan644(perm) {
				found = append(found, fmt.Sprintf("mode %04o", perm))
				want := perm & 0o644
				if perm&0o004 != 0 {
					want = 0o640 // what LOG-FILE-READABLE sets: the two must agree
				}
				data["mode"] = strconv.FormatUint(uint64(want), 8)
			}
			if len(found) == 0 {
				continue
			}
			rep.Add(rule.Finding{Where: rule.Location{File: f.Path}, Service: s.Daemon,
				Found:    f.Path + " (mail messages): " + strings.Join(found, ", "),
				Expected: "owned by root, mode 0644 or tighter", Exposure: rule.Host, Data: data})
		}
		return nil
	},
	Fix: func(c *rule.Context, f rule.Finding) []remedy.Change {
		id, file := f.Rule, f.Data["file"]
		var out []remedy.Change
		if f.Data["chown"] != "" {
			out = append(out, remedy.Chown(file, "root", "").For(id, "only root may change the mail log"))
		}
		if v := f.Data["mode"]; v != "" {
			mode, _ := strconv.ParseUint(v, 8, 32)
			out = append(out, remedy.Chmod(file, mailPerm(mode)).For(id, "only root may change the mail log"))
		}
		return out
	},
})

var _ = rule.Register(rule.Rule{
	ID: "MAIL-FORWARD", Title: "a user has a .forward file", Severity: severity.Low, Topic: "mail",
	Rationale:   "A .forward file forwards a user's mail elsewhere: it can be used for unauthorised forwarding of mail, and for mail loops that use up the system; find and remove them (AIX Security Basics, SMTP Service Considerations).",
	Remediation: "Review each file with its user, and remove it (keeping a copy) where forwarding is not allowed. bastion does not remove them: the site policy has no setting yet that says users may not forward mail.",
	Check: func(c *rule.Context, rep *rule.Report) error {
		m, ok, err := mailOf(c)
		if !ok || err != nil {
			return err
		}
		if !m.HomesRead {
			return rule.Undecided("/etc/passwd could not be read: the homes are not known")
		}
		var problem string
		for _, f := range m.Forwards {
			if f.Problem != "" {
				problem = f.Path + ": " + f.Problem
				continue
			}
			what := fmt.Sprintf("%d bytes", f.Size)
			switch {
			case f.Mode&fs.ModeSymlink != 0:
				what = "a symbolic link"
			case !f.Mode.IsRegular():
				what = "not a regular file: " + f.Mode.String()
			}
			rep.Add(rule.Finding{Where: rule.Location{File: f.Path}, Service: "mail",
				Found:    fmt.Sprintf("%s forwards the mail of %s (%s)", f.Path, f.User, what),
				Expected: "no .forward files, unless the site allows forwarding", Exposure: rule.Host})
		}
		if problem != "" && len(rep.Findings()) == 0 {
			return rule.Undecided("%s", problem)
		}
		return nil
	},
})

// fixSendmailDaemon turns sendmail's daemon off as fixStart does and, as
// the method asks, adds the queue run to root's crontab so that mail still
// leaves: when root has a crontab that does not run sendmail -q already.
func fixSendmailDaemon(c *rule.Context, f rule.Finding) []remedy.Change {
	out := fixStart(c, f)
	m := c.Facts.Mail
	if len(out) == 0 || m == nil || m.RootCrontab == "" || m.QueueRun != nil {
		return out
	}
	why := "send queued mail without the daemon"
	if c.Facts.Platform.OS == target.AIX {
		why += " (AIX cron reads it when it next starts, or at once through crontab -e)"
	}
	return append(out, remedy.AppendLines(m.RootCrontab, mailQueueRunNote, mailQueueRunLine).For(f.Rule, why))
}
