package rules

import (
	"fmt"
	"path"
	"strings"

	"bastion/internal/host"
	"bastion/internal/inventory"
	"bastion/internal/rule"
	"bastion/internal/severity"
)

// service describes a rule that flags a service the site does not allow.
type service struct {
	id, title string
	sev       severity.Level
	// names the start is known by (service, daemon, port names).
	names []string
	// internalOnly limits the rule to services inetd or xinetd serve itself.
	internalOnly bool
	// always flags the start even without a listening port (IMNSearch).
	always    bool
	rationale string
	refs      []string
}

// services are the services the method names one by one, each with its own
// rationale. The first seed's listings (inittab, rc.tcpip, inetd.conf) are
// the source of the AIX names; the Linux names are their counterparts.
var services = []service{
	{id: "SVC-INETD-INTERNAL", title: "inetd serves echo, discard, chargen, daytime or time", sev: severity.Medium,
		names: []string{"echo", "discard", "chargen", "daytime", "time"}, internalOnly: true,
		rationale: "Obsolete test services that inetd answers itself; UDP echo and chargen can be looped into each other and reflect attacks (Securing AIX Network Services, the inetd.conf entries).",
		refs:      []string{"CIS AIX 5.3/6.1 1.3.26, 1.3.31, 1.3.37-1.3.40", "STIG AIX7-00-003071"}},
	{id: "SVC-TELNET", title: "telnet is enabled", sev: severity.High,
		names:     []string{"telnet", "telnetd", "in.telnetd", "telnetd-ssl"},
		rationale: "telnet sends passwords and sessions in clear text; replace it with SSH (Securing AIX Network Services; Securing Network Services: services, use SSH and SCP instead).",
		refs:      []string{"CIS AIX 5.3/6.1 1.3.24", "STIG GEN003850", "V-215258"}},
	{id: "SVC-FTP", title: "FTP is enabled", sev: severity.High,
		names:     []string{"ftp", "ftpd", "in.ftpd", "vsftpd", "proftpd", "pure-ftpd", "wu-ftpd"},
		rationale: "FTP is, with sendmail, the most commonly exploited service on Unix servers; it sends passwords in clear text, and should be disabled unless it is absolutely necessary (Securing AIX Network Services, Improving FTP security).",
		refs:      []string{"CIS AIX 5.3/6.1 1.3.35", "STIG GEN004800", "STIG AIX7-00-002060"}},
	{id: "SVC-RSERVICES", title: "rsh, rlogin or rexec is enabled", sev: severity.High,
		names:     []string{"shell", "login", "exec", "rshd", "rlogind", "rexecd", "in.rshd", "in.rlogind", "in.rexecd"},
		rationale: "The r-services trust host names (.rhosts, hosts.equiv) or send passwords in clear text (Securing AIX Network Services, the inetd.conf entries).",
		refs:      []string{"CIS AIX 5.3/6.1 1.3.25, 1.3.27, 1.3.32", "STIG GEN003820, GEN003840", "STIG AIX7-00-002058"}},
	{id: "SVC-KRSERVICES", title: "Kerberos rsh or rlogin is enabled", sev: severity.Medium,
		names:     []string{"kshell", "klogin", "krshd", "krlogind"},
		rationale: "Kerberised r-services are only as safe as a Kerberos set-up most hosts do not have; without one they are needless remote entry points.",
		refs:      []string{"CIS AIX 5.3/6.1 1.3.45, 1.3.46"}},
	{id: "SVC-TALK", title: "talk is enabled", sev: severity.Medium,
		names:     []string{"talk", "ntalk", "talkd", "in.talkd", "in.ntalkd"},
		rationale: "talk writes to users' terminals from the network, can be spoofed, and has a history of overflows.",
		refs:      []string{"CIS AIX 5.3/6.1 1.3.33, 1.3.34", "V-215375"}},
	{id: "SVC-TFTP", title: "TFTP is enabled", sev: severity.High,
		names:     []string{"tftp", "tftpd", "in.tftpd"},
		rationale: "TFTP reads and writes files without any authentication.",
		refs:      []string{"CIS AIX 5.3/6.1 1.3.48", "V-215334"}},
	{id: "SVC-BOOTPS", title: "the BOOTP server is enabled", sev: severity.Medium,
		names:     []string{"bootps", "bootpd"},
		rationale: "bootpd hands boot information to any client that asks; only network-install servers need it.",
		refs:      []string{"STIG AIX0300"}},
	{id: "SVC-FINGER", title: "finger is enabled", sev: severity.Medium,
		names:     []string{"finger", "fingerd", "in.fingerd"},
		rationale: "finger tells anyone the user names of the host, valuable to potential crackers, as the AIX inetd.conf itself warns.",
		refs:      []string{"CIS AIX 5.3/6.1 1.3.51", "STIG AIX7-00-003084"}},
	{id: "SVC-RPC-INFO", title: "an informational RPC service is enabled", sev: severity.Medium,
		names:     []string{"rstatd", "rusersd", "rwalld", "sprayd", "pcnfsd", "ssalld", "rquotad", "rpc.rstatd", "rpc.rusersd", "rpc.rwalld", "rpc.sprayd", "rpc.pcnfsd", "rpc.ssalld", "rpc.rquotad", "rexd", "rpc.rexd"},
		rationale: "rstatd, rusersd, rwalld, sprayd, pcnfsd and ssalld leak statistics and users, write to every terminal, flood, or hand out credentials; they run from inetd.conf by default on AIX 4.3.3.",
		refs:      []string{"CIS AIX 5.3/6.1 1.3.41-1.3.44, 1.3.47"}},
	{id: "SVC-CDE-RPC", title: "a CDE network service is enabled", sev: severity.High,
		names:     []string{"ttdbserver", "rpc.ttdbserver", "cmsd", "rpc.cmsd", "dtspc", "dtspcd"},
		rationale: "The ToolTalk database server, calendar manager and subprocess control run as root and have had repeated remote-root flaws.",
		refs:      []string{"CIS AIX 5.3/6.1 1.3.28, 1.3.29, 1.3.38"}},
	{id: "SVC-INSTSRV", title: "the network-install server is enabled", sev: severity.Medium,
		names:     []string{"instsrv"},
		rationale: "instsrv runs install scripts for remote clients; it is needed only during a network installation.",
		refs:      []string{"CIS AIX 5.3/6.1 1.3.52", "CIS AIX 7.2 4.1.5.11"}},
	{id: "SVC-X11", title: "X, XDMCP or the CDE login is started", sev: severity.Medium,
		names:     []string{"X11", "X", "xdmcp", "dtlogin", "dtgreet", "rc.dt", "dt", "gdm", "gdm3", "lightdm", "sddm", "xdm"},
		rationale: "A graphical desktop on a server starts many more services and makes it next to impossible to secure; XDMCP logins are cleartext (Securing Network Services: don't run graphical interfaces on a server box).",
		refs:      []string{"CIS AIX 5.3/6.1 1.3.4"}},
	{id: "SVC-IMNSEARCH", title: "the documentation search server is started", sev: severity.Low,
		names: []string{"httpdlite", "imnss", "imq_start", "imqss"}, always: true,
		rationale: "The documentation search web server and its search engine are not needed on a server.",
		refs:      []string{"CIS AIX 5.3/6.1 2.12.4"}},
	{id: "SVC-WRITESRV", title: "writesrv is started", sev: severity.Medium,
		names:     []string{"writesrv"},
		rationale: "writesrv lets remote users write to local terminals.",
		refs:      []string{"CIS AIX 5.3/6.1 2.12.6", "CIS AIX 7.1 3.1.2.1"}},
	{id: "SVC-SENDMAIL-DAEMON", title: "sendmail runs as a daemon on a host that is not a mail server", sev: severity.Medium,
		names:     []string{"sendmail"},
		rationale: "A host that does not receive mail should not run sendmail with -bd; queue runs from cron still send its mail (Securing AIX Network Services, Disabling SMTP service; Securing Network Services, sendmail -bd).",
		refs:      []string{"CIS AIX 5.3/6.1 1.3.6"}},
	{id: "SVC-SNMP", title: "the SNMP agent is started", sev: severity.Medium,
		names:     []string{"snmpd", "snmp", "dpid2", "smux", "hostmibd", "snmpmibd", "aixmibd"},
		rationale: "SNMP agents with default communities leak the configuration, or allow changes, to anyone.",
		refs:      []string{"CIS AIX 5.3/6.1 1.3.7, 1.3.18-1.3.21", "STIG AIX7-00-003048, 003058, 003060"}},
	{id: "SVC-PORTMAP", title: "the RPC portmapper is started", sev: severity.Medium,
		names:     []string{"portmap", "rpcbind", "sunrpc"},
		rationale: "The portmapper lists every RPC service to anyone and forwards calls; run it only where RPC services are needed (Securing Network Services: block RPC port 111).",
		refs:      []string{"STIG GEN003815"}},
	{id: "SVC-ROUTING", title: "a routing daemon is started on a host that is not a router", sev: severity.Medium,
		names:     []string{"routed", "gated", "route", "mrouted"},
		rationale: "Unauthenticated routing protocols let anyone inject routes.",
		refs:      []string{"CIS AIX 5.3/6.1 1.3.12, 1.3.13"}},
	{id: "SVC-RWHOD", title: "rwhod is started", sev: severity.Low,
		names:     []string{"rwhod", "who"},
		rationale: "rwhod broadcasts user and host details; the AIX rc.tcpip itself calls it a time waster.",
		refs:      []string{"CIS AIX 5.3/6.1 1.3.15"}},
	{id: "SVC-TIMED", title: "timed is started", sev: severity.Low,
		names:     []string{"timed"},
		rationale: "timed synchronises time without authentication; use NTP.",
		refs:      []string{"CIS AIX 5.3/6.1 1.3.16"}},
	{id: "SVC-NFS", title: "NFS daemons run on a host that is not an NFS server", sev: severity.Medium,
		names:     []string{"nfsd", "nfs", "rpc.mountd", "mountd", "rpc.statd", "status", "rpc.lockd", "nlockmgr", "keyserv"},
		rationale: "The NFS server, mount, status and lock daemons expose file systems and have a history of remote-root flaws; run them only on NFS servers.",
		refs:      []string{"CIS AIX 5.3/6.1 1.3.5"}},
}

// logDaemons are left to the syslog rules: turning them off would stop local
// logging, when what is unwanted is only their remote reception.
var logDaemons = map[string]bool{"syslogd": true, "rsyslogd": true, "syslog-ng": true}

// named maps every name the named rules know to their rule id.
var named = map[string]string{}

func init() {
	for _, s := range services {
		for _, n := range s.names {
			if _, ok := named[n]; !ok {
				named[n] = s.id
			}
		}
		register(s)
	}
}

// register makes the rule of a named service.
func register(s service) {
	r := rule.Rule{
		ID: s.id, Title: s.title, Severity: s.sev, Topic: "services",
		Rationale:   s.rationale,
		Remediation: "Turn it off where it is started (comment the inetd.conf or rc.tcpip line, set the inittab action to off, disable and mask the unit), or allow it in the site policy if this host must offer it.",
		References:  s.refs,
	}
	want := map[string]bool{}
	for _, n := range s.names {
		want[n] = true
	}
	r.Check = func(c *rule.Context, rep *rule.Report) error {
		seen := map[host.Source]bool{} // a script's spawns share its line
		for i := range c.Facts.Starts {
			st := &c.Facts.Starts[i]
			if !st.Enabled || seen[st.Source] {
				continue
			}
			ns := names(c, st)
			if !matches(ns, want) || owner(ns) != s.id {
				continue
			}
			if s.internalOnly && !strings.Contains(st.Note, "served by") {
				continue
			}
			if !s.always && !listens(c, st) {
				continue
			}
			if c.Policy.Allows(ns...) {
				continue
			}
			seen[st.Source] = true
			rep.Add(rule.Finding{
				Where:    startLocation(st),
				Service:  serviceName(c, st),
				Found:    describe(c, st),
				Expected: "not started: the site policy does not allow it",
				Exposure: exposure(c, st),
				Start:    st,
			})
		}
		if len(rep.Findings()) == 0 {
			if why := startGaps(c); why != "" {
				return rule.Undecided("a start-up file could not be read (%s)", why)
			}
		}
		return nil
	}
	r.Fix = fixStart
	if s.id == "SVC-SENDMAIL-DAEMON" {
		// The method keeps mail leaving: a queue run from root's crontab.
		r.Fix = fixSendmailDaemon
	}
	rule.Register(r)
}

// matches reports whether any name is wanted.
func matches(ns []string, want map[string]bool) bool {
	for _, n := range ns {
		if want[n] {
			return true
		}
	}
	return false
}

// owner returns the named rule that claims a start: the first of its names
// (id, service, program) that a named rule knows. A start is about one
// thing, so one rule reports it.
func owner(ns []string) string {
	for _, n := range ns {
		if id, ok := named[n]; ok {
			return id
		}
	}
	return ""
}

// serviceName is the name a finding gives the service of a start.
func serviceName(c *rule.Context, s *host.Start) string {
	for _, r := range rowsOf(c, s) {
		if r.Name != "" {
			return r.Name
		}
	}
	if s.Service != "" {
		return s.Service
	}
	return path.Base(daemonOf(s))
}

var _ = rule.Register(rule.Rule{
	ID: "SVC-NOT-ALLOWED", Title: "a service runs that the site policy does not allow", Severity: severity.Medium, Topic: "services",
	Rationale:   "Decide what services you are going to run, and turn off everything else (Securing Network Services, Steps to Securing Services).",
	Remediation: "Turn the service off where it is started, or add it to the site policy (bastion init writes one listing what runs now).",
	Check: func(c *rule.Context, rep *rule.Report) error {
		for i := range c.Facts.Starts {
			st := &c.Facts.Starts[i]
			if !st.Enabled || !listens(c, st) {
				continue
			}
			ns := names(c, st)
			if owner(ns) != "" || c.Policy.Allows(ns...) || loopbackOnly(c, st) || matches(ns, logDaemons) {
				continue
			}
			rep.Add(rule.Finding{
				Where:    startLocation(st),
				Service:  serviceName(c, st),
				Found:    describe(c, st),
				Expected: "only the services the site policy allows",
				Exposure: exposure(c, st),
				Start:    st,
			})
		}
		if len(rep.Findings()) == 0 {
			if why := startGaps(c); why != "" {
				return rule.Undecided("a start-up file could not be read (%s)", why)
			}
		}
		return nil
	},
	Fix: fixStart,
})

var _ = rule.Register(rule.Rule{
	ID: "SVC-INITTAB-HASH", Title: "an inittab entry is 'commented out' with '#', which does not disable it", Severity: severity.Medium, Topic: "services",
	Rationale:   "Unlike most AIX configuration files, /etc/inittab entries can NOT be disabled with a '#': init runs them under an identifier that starts with '#'. Use a leading ':' or the action off (Securing AIX Network Services, The services in /etc/inittab).",
	Remediation: "Replace the leading '#' with ':', or set the action to off with chitab.",
	Platforms:   nil,
	Check: func(c *rule.Context, rep *rule.Report) error {
		for i := range c.Facts.Starts {
			st := &c.Facts.Starts[i]
			if st.Kind != host.KindInittab || !strings.HasPrefix(st.ID, "#") || !st.Enabled {
				continue
			}
			rep.Add(rule.Finding{
				Where:    startLocation(st),
				Service:  strings.TrimPrefix(st.ID, "#"),
				Found:    fmt.Sprintf("entry %q runs %s", st.ID, daemonOf(st)),
				Expected: "a leading ':' or the action off",
				Exposure: exposure(c, st),
				Start:    st,
				Data:     map[string]string{"fix": "colon"},
			})
		}
		if len(rep.Findings()) == 0 {
			for _, g := range c.Facts.Gaps {
				if g.Path == "/etc/inittab" && g.Line == 0 {
					return rule.Undecided("/etc/inittab: %s", g.Reason)
				}
			}
		}
		return nil
	},
	Fix: fixStart,
})

var _ = rule.Register(rule.Rule{
	ID: "SVC-UNEXPLAINED", Title: "something listens that nothing known starts", Severity: severity.High, Topic: "services",
	Rationale:   "If you see something listening on a port nothing you run explains (the method's example is port 54666), investigate: it may be a back door (Securing Network Services, The /etc/services file).",
	Remediation: "Find the process (its pid and command line are in the finding), work out what started it, and stop it or add its start-up file.",
	Check: func(c *rule.Context, rep *rule.Report) error {
		if !c.Facts.Observed {
			return rule.Undecided("no live or captured socket state")
		}
		for _, r := range c.Inventory.Rows {
			if r.State != inventory.Unexplained {
				continue
			}
			sev := severity.Medium
			if r.Port > 1023 {
				sev = severity.High
			}
			who := "no process in view"
			if len(r.Processes) > 0 {
				p := r.Processes[0]
				who = fmt.Sprintf("pid %d %s", p.PID, strings.Join(append([]string{p.Command}, p.Cmdline...), " "))
				if len(p.Cmdline) > 0 {
					who = fmt.Sprintf("pid %d %s", p.PID, strings.Join(p.Cmdline, " "))
				}
			}
			e := rule.Local
			for _, a := range r.Addresses {
				if !loopback(a) {
					e = rule.Public
				}
			}
			rep.Add(rule.Finding{
				Severity: sev,
				Where:    rule.Location{Key: fmt.Sprintf("%d/%s", r.Port, r.Proto)},
				Service:  fmt.Sprintf("%d/%s", r.Port, r.Proto),
				Found:    fmt.Sprintf("%d/%s listening on %s: %s", r.Port, r.Proto, strings.Join(r.Addresses, ","), who),
				Expected: "every listener explained by a start-up file",
				Exposure: e,
			})
		}
		return nil
	},
})

var _ = rule.Register(rule.Rule{
	ID: "SVC-DISABLED-RUNNING", Title: "a service turned off in its start-up file is still running", Severity: severity.Medium, Topic: "services",
	Rationale:   "Changes to inetd.conf take effect only when inetd re-reads it (refresh -s inetd, or a HUP), and a commented rc.tcpip line only at the next boot: until then the service still answers (Securing AIX Network Services, The services in /etc/inetd.conf).",
	Remediation: "Reload the super-server (refresh -s inetd, kill -HUP), stop the daemon (stopsrc -s, systemctl stop), or reboot.",
	Check: func(c *rule.Context, rep *rule.Report) error {
		if !c.Facts.Observed {
			return rule.Undecided("no live or captured socket state")
		}
		for _, r := range c.Inventory.Rows {
			if r.State != inventory.Listening || r.StartedFrom == nil || !strings.Contains(r.Note, "still running although its start is disabled") {
				continue
			}
			e := rule.Local
			for _, a := range r.Addresses {
				if !loopback(a) {
					e = rule.Public
				}
			}
			rep.Add(rule.Finding{
				Where:    rule.Location{File: r.StartedFrom.File, Line: r.StartedFrom.Line, Unit: r.StartedFrom.Unit},
				Service:  r.Name,
				Found:    fmt.Sprintf("%d/%s %s listens, but its start is disabled", r.Port, r.Proto, r.Name),
				Expected: "the running services match the start-up files",
				Exposure: e,
			})
		}
		return nil
	},
})
