package rules

import (
	"fmt"
	"io/fs"
	"strconv"
	"strings"

	"bastion/internal/host"
	"bastion/internal/remedy"
	"bastion/internal/rule"
	"bastion/internal/secret"
	"bastion/internal/severity"
	"bastion/internal/target"
)

// The SNMP rules. A community is a password: findings show one only
// through secret.Redact, and neither Found, Expected, the reasons of
// changes nor the lines a fix writes ever hold one. A fix replaces the line
// with a comment through remedy.ReplaceSecretLine, which checks it by hash
// and never shows it, in the diff or in a saved plan.

// snmpSection is the method's section the SNMP rules follow.
const snmpSection = "AIX Security Basics, SNMP Service Considerations"

// snmpDefaultCommunities are communities that agents ship with or that
// are tried first: AIX's public, private and system, and the words
// scanners guess next. They are compared without regard to case.
var snmpDefaultCommunities = map[string]bool{
	"public": true, "private": true, "system": true, "community": true, "snmp": true, "snmpd": true,
	"secret": true, "password": true, "admin": true, "manager": true, "monitor": true,
	"read": true, "write": true, "test": true, "default": true,
}

// snmpGuessable says why a community is easy to guess, or "" when it is
// not.
func snmpGuessable(c *rule.Context, name string) string {
	n := strings.ToLower(name)
	switch {
	case n == "":
		return "an empty community"
	case snmpDefaultCommunities[n]:
		return "a well-known default community"
	}
	if h := strings.ToLower(c.Facts.SNMP.HostName); h != "" {
		short, _, _ := strings.Cut(h, ".")
		if n == h || n == short {
			return "the host's own name"
		}
	}
	return ""
}

// snmpProblem returns why a configuration or file of an SNMP agent could
// not be read, or "".
func snmpProblem(s *host.SNMP) string {
	for _, a := range s.Agents {
		if a.Problem != "" {
			return a.Problem
		}
	}
	return ""
}

// snmpAgent says which agent reads a file and whether it runs, for a
// finding's Found text.
func snmpAgent(a *host.SNMPAgent) string {
	prog := a.Name
	if a.Name == host.AgentNetSNMP {
		prog = "snmpd"
	}
	var what string
	switch a.Runs {
	case host.AnswerYes:
		what = prog + " reads this file and is started"
	case host.AnswerNo:
		what = prog + " reads this file but is not started"
	default:
		what = prog + " reads this file, if it is the agent that runs"
	}
	if a.Note != "" && a.Name != host.AgentNetSNMP {
		what += " (" + a.Note + ")"
	}
	return what
}

// snmpSeen returns the addresses of the sockets seen on the agent's
// ports, and whether socket state was observed at all.
func snmpSeen(c *rule.Context, a *host.SNMPAgent) (addrs []string, observed bool) {
	if !c.Facts.Observed {
		return nil, false
	}
	ports := map[int]bool{}
	for _, l := range a.Listen {
		if l.Port > 0 {
			ports[l.Port] = true
		}
	}
	if len(ports) == 0 {
		ports[161] = true
	}
	for _, so := range c.Facts.Sockets {
		if ports[so.Port] && (so.Command == "" || strings.HasPrefix(so.Command, "snmp")) {
			addrs = append(addrs, so.Address)
		}
	}
	return addrs, true
}

// snmpReach is how reachable an agent is: from the sockets seen, or from
// where its configuration makes it listen.
func snmpReach(c *rule.Context, a *host.SNMPAgent) rule.Exposure {
	if a.Runs == host.AnswerNo {
		return rule.Dormant
	}
	if addrs, observed := snmpSeen(c, a); observed {
		if len(addrs) == 0 {
			return rule.Dormant // configured, but not running now
		}
		for _, ad := range addrs {
			if !loopback(ad) {
				return rule.Public
			}
		}
		return rule.Local
	}
	if !a.ListenKnown {
		return rule.Unknown
	}
	e := rule.Local
	for _, l := range a.Listen {
		if !l.Loopback() {
			e = rule.Public
		}
	}
	if e == rule.Public && a.Runs == host.AnswerUnknown {
		return rule.Unknown
	}
	return e
}

// snmpExposure is how exposed a community (or nil for the agent itself)
// is: a community usable from any host, or from some, on an agent that
// listens on a public address is public; one usable from the host itself
// only is local.
func snmpExposure(c *rule.Context, a *host.SNMPAgent, com *host.SNMPCommunity) rule.Exposure {
	e := snmpReach(c, a)
	if e == rule.Public && com != nil && com.Loopback {
		return rule.Local
	}
	return e
}

// snmpListening says where an agent listens, for a finding's Found text.
func snmpListening(c *rule.Context, a *host.SNMPAgent) string {
	addrs, observed := snmpSeen(c, a)
	switch {
	case observed && len(addrs) > 0:
		return "seen listening on " + strings.Join(addrs, ", ")
	case observed:
		return "not seen listening"
	case !a.ListenKnown:
		return "listening addresses unknown"
	}
	var ls []string
	for _, l := range a.Listen {
		ls = append(ls, l.String())
	}
	return "listens on " + strings.Join(ls, ", ")
}

// snmpWhere says which agent reads a file, whether it runs, and where it
// listens when it does.
func snmpWhere(c *rule.Context, a *host.SNMPAgent) string {
	if a.Runs == host.AnswerNo {
		return snmpAgent(a)
	}
	return snmpAgent(a) + ", " + snmpListening(c, a)
}

// snmpAccess names what a community may do.
func snmpAccess(com *host.SNMPCommunity) string {
	if com.Write {
		return "read-write"
	}
	return "read-only"
}

// snmpReload makes the agent read its configuration again, on a live host.
func snmpReload(c *rule.Context, id string, a *host.SNMPAgent) []remedy.Change {
	if a.Runs == host.AnswerNo {
		return nil
	}
	if c.Facts.Platform.OS == target.AIX {
		return []remedy.Change{remedy.Command(id, "make the SNMP agent read its configuration again", "refresh", "-s", "snmpd").WhenOffline("read when snmpd next starts")}
	}
	return []remedy.Change{remedy.Command(id, "make snmpd read its configuration again", "systemctl", "restart", "snmpd").WhenOffline("read when snmpd next starts")}
}

// snmpRemovedLine is what replaces a net-snmp line a fix takes out. It is
// the same whichever rule asks, so that two rules fixing one line agree,
// and it holds no community.
func snmpRemovedLine(directive string) string {
	return "# bastion removed a " + directive + " line here: a default or guessable community, or write access without a real secret"
}

// snmpRemoveLine takes out the community or user line a finding is at,
// replacing it with a comment that does not repeat the secret.
func snmpRemoveLine(c *rule.Context, id, why string, where rule.Location) []remedy.Change {
	s := c.Facts.SNMP
	if s == nil {
		return nil
	}
	for i := range s.Agents {
		a := &s.Agents[i]
		text, directive := "", ""
		at := func(src host.Source) bool { return src.File == where.File && src.Line == where.Line }
		for _, com := range a.Communities {
			if at(com.Source) {
				text, directive = com.Text, com.Directive
			}
		}
		for _, u := range a.Users {
			if at(u.Source) {
				text, directive = u.Text, u.Directive
			}
		}
		if text == "" {
			continue
		}
		// The line holds the community: replace it by a comment that does
		// not, checked by hash, so no output shows the secret.
		ch := remedy.ReplaceSecretLine(where.File, where.Line, text, snmpRemovedLine(directive))
		return append([]remedy.Change{ch.For(id, why)}, snmpReload(c, id, a)...)
	}
	return nil
}

// snmpCommunityFinding is a finding about a community.
func snmpCommunityFinding(c *rule.Context, a *host.SNMPAgent, com *host.SNMPCommunity, found, expected string) rule.Finding {
	return rule.Finding{
		Where:    rule.Location{File: com.Source.File, Line: com.Source.Line},
		Service:  "snmp",
		Found:    found,
		Expected: expected,
		Exposure: snmpExposure(c, a, com),
	}
}

var _ = rule.Register(rule.Rule{
	ID: "SNMP-COMMUNITY-DEFAULT", Title: "an SNMP community is a default or guessable one", Severity: severity.High, Topic: "snmp",
	Rationale: "Default SNMP passwords should be changed: an agent that takes a default community such as public, private or system, " +
		"an empty one or the host's name lets anybody read the system's and network's details, or change them (" + snmpSection + ").",
	Remediation: "Remove the community line; the fix replaces it with a comment, checked by its hash, and the diff shows it as " +
		"a line holding a secret, never its text (so that hunk is for reading: apply it with bastion harden --apply). If the host must answer SNMPv1 or SNMPv2c, add a " +
		"community of your own: a long random string, read-only, restricted to the management stations (AIX: community NAME ADDRESS " +
		"255.255.255.255 readOnly; snmpdv3.conf: COMMUNITY with the station's address and mask and a VACM_ACCESS without a write " +
		"view; net-snmp: rocommunity NAME ADDRESS -V VIEW), or better an SNMPv3 user with authPriv. Then refresh the agent.",
	References: []string{"STIG AIX7-00-001135", "CIS AIX 7.2 L2 (SNMP private and system communities)"},
	Check: func(c *rule.Context, rep *rule.Report) error {
		s := c.Facts.SNMP
		if !s.Configured() {
			return nil
		}
		for i := range s.Agents {
			a := &s.Agents[i]
			for j := range a.Communities {
				com := &a.Communities[j]
				why := snmpGuessable(c, com.Name)
				if why == "" {
					continue
				}
				f := snmpCommunityFinding(c, a, com,
					fmt.Sprintf("%s %s is %s, %s, from %s; %s", com.Directive, secret.Redact(com.Name), why,
						snmpAccess(com), com.From, snmpWhere(c, a)),
					"no default, empty or guessable community: a long random one restricted to the management stations, or SNMPv3 users with authPriv")
				rep.Add(f)
			}
		}
		if len(rep.Findings()) == 0 {
			if why := snmpProblem(s); why != "" {
				return rule.Undecided("an SNMP configuration could not be read (%s)", why)
			}
		}
		return nil
	},
	Fix: func(c *rule.Context, f rule.Finding) []remedy.Change {
		return snmpRemoveLine(c, f.Rule, "take out a default or guessable SNMP community", f.Where)
	},
})

var _ = rule.Register(rule.Rule{
	ID: "SNMP-WRITE-ANY", Title: "an SNMP community may change settings from any host", Severity: severity.High, Topic: "snmp",
	Rationale: "Unauthorised changes must be prevented: a community with write access (readWrite or writeOnly, rwcommunity, or a " +
		"group with a write view) that any host may use lets anyone who learns or guesses it, and SNMPv1 sends it in clear text, " +
		"change the system's and network's configuration (" + snmpSection + ").",
	Remediation: "Remove the line; the fix replaces it with a comment, checked by its hash, and the diff shows it as a line " +
		"holding a secret, never its text. Where a management station must write, give it a community " +
		"of its own restricted to its address, or better an SNMPv3 user with authPriv; otherwise make communities read-only.",
	References: []string{"STIG AIX7-00-001135", "CIS AIX 7.2 L2 (SNMP private and system communities)"},
	Check: func(c *rule.Context, rep *rule.Report) error {
		s := c.Facts.SNMP
		if !s.Configured() {
			return nil
		}
		for i := range s.Agents {
			a := &s.Agents[i]
			for j := range a.Communities {
				com := &a.Communities[j]
				if !com.Write || !com.AnyHost {
					continue
				}
				rep.Add(snmpCommunityFinding(c, a, com,
					fmt.Sprintf("%s %s may write, from any host; %s", com.Directive, secret.Redact(com.Name), snmpWhere(c, a)),
					"no write access from any host: read-only communities, write only for the management stations"))
			}
		}
		if len(rep.Findings()) == 0 {
			if why := snmpProblem(s); why != "" {
				return rule.Undecided("an SNMP configuration could not be read (%s)", why)
			}
		}
		return nil
	},
	Fix: func(c *rule.Context, f rule.Finding) []remedy.Change {
		return snmpRemoveLine(c, f.Rule, "take out SNMP write access any host may use", f.Where)
	},
})

var _ = rule.Register(rule.Rule{
	ID: "SNMP-WRITE-NOAUTH", Title: "SNMPv3 users may change settings without authentication", Severity: severity.High, Topic: "snmp",
	Rationale: "Unauthorised changes must be prevented: an rwuser with noauth, or an access entry that gives a write view at the " +
		"noAuthNoPriv level, lets anyone who knows a user name, which is not a secret, write without any password (" + snmpSection + ").",
	Remediation: "Require authentication and privacy for writing: rwuser NAME authpriv (net-snmp), and authPriv in the access " +
		"entry's level (net-snmp access, AIX VACM_ACCESS), with the users' keys set. The fix replaces a noauth rwuser line with a " +
		"comment; an access entry is left to the administrator.",
	References: []string{"STIG AIX7-00-001135"},
	Check: func(c *rule.Context, rep *rule.Report) error {
		s := c.Facts.SNMP
		if !s.Configured() {
			return nil
		}
		for i := range s.Agents {
			a := &s.Agents[i]
			for _, u := range a.Users {
				if !u.Write || u.Level != "noauth" {
					continue
				}
				rep.Add(rule.Finding{
					Where:    rule.Location{File: u.Source.File, Line: u.Source.Line},
					Service:  "snmp",
					Found:    fmt.Sprintf("%s %s may write without authentication; %s", u.Directive, u.Name, snmpWhere(c, a)),
					Expected: "SNMPv3 users that write authenticate (authpriv)",
					Exposure: snmpExposure(c, a, nil),
				})
			}
			for _, g := range a.NoAuthWrites {
				rep.Add(rule.Finding{
					Where:   rule.Location{File: g.Source.File, Line: g.Source.Line},
					Service: "snmp",
					Found: fmt.Sprintf("group %s (%s users: %s) has the write view %s at the noAuthNoPriv level; %s",
						g.Group, g.Model, strings.Join(g.Members, ", "), g.Write, snmpWhere(c, a)),
					Expected: "write views only at the authPriv level",
					Exposure: snmpExposure(c, a, nil),
				})
			}
		}
		if len(rep.Findings()) == 0 {
			if why := snmpProblem(s); why != "" {
				return rule.Undecided("an SNMP configuration could not be read (%s)", why)
			}
		}
		return nil
	},
	Fix: func(c *rule.Context, f rule.Finding) []remedy.Change {
		return snmpRemoveLine(c, f.Rule, "take out an SNMPv3 user that writes without authentication", f.Where)
	},
})

// agentGroups are the groups net-snmp's agent runs as on the
// distributions; its configuration may be readable by that group.
var agentGroups = map[string]bool{"Debian-snmp": true, "snmp": true}

// snmpFileRule flags files of the SNMP agents whose mode is wider than
// max.
func snmpFileRule(id, title, what string, max uint32, sev severity.Level, platforms []target.OS, rationale, remediation string,
	files func(s *host.SNMP) []host.SNMPFile) {
	rule.Register(rule.Rule{
		ID: id, Title: title, Severity: sev, Topic: "snmp",
		Rationale:   rationale,
		Remediation: remediation,
		Platforms:   platforms,
		Check: func(c *rule.Context, rep *rule.Report) error {
			s := c.Facts.SNMP
			if !s.Configured() {
				return nil
			}
			problem := ""
			for _, f := range files(s) {
				if f.Problem != "" {
					problem = f.Path + ": " + f.Problem
				}
				if !f.Exists {
					continue
				}
				perm := uint32(f.Mode.Perm())
				allowed := max
				if agentGroups[f.Group] && max == 0o600 {
					// The agent drops to this group and reads its
					// configuration as it (Debian's snmpd: 0640
					// root:Debian-snmp by design).
					allowed = 0o640
				}
				if perm&^allowed == 0 {
					continue
				}
				found := fmt.Sprintf("%s (%s) has mode %04o", f.Path, what, perm)
				if f.Real != f.Path {
					found += " (it links to " + f.Real + ")"
				}
				rep.Add(rule.Finding{
					Where:    rule.Location{File: f.Path},
					Service:  "snmp",
					Found:    found,
					Expected: fmt.Sprintf("mode %04o or tighter", max),
					Exposure: rule.Host,
					Data:     map[string]string{"file": f.Real, "mode": fmt.Sprintf("%o", max)},
				})
			}
			if len(rep.Findings()) == 0 && problem != "" {
				return rule.Undecided("%s", problem)
			}
			return nil
		},
		Fix: func(c *rule.Context, f rule.Finding) []remedy.Change {
			file := f.Data["file"]
			if file == "" {
				return nil
			}
			mode, err := strconv.ParseUint(f.Data["mode"], 8, 32)
			if err != nil {
				return nil
			}
			return []remedy.Change{remedy.Chmod(file, fs.FileMode(mode)).For(f.Rule, "keep the file from other users")}
		},
	})
}

func init() {
	snmpFileRule("SNMP-CONF-MODE", "an SNMP agent's configuration file is open to other users", "SNMP agent configuration", 0o600, severity.Medium, nil,
		"The agents' configuration files hold the communities, SMUX passwords and keys; unauthorised reading or changes are "+
			"prevented by restricting them to mode 600 ("+snmpSection+").",
		"chmod 600 the file (snmpd reads it as root, which should own it).",
		func(s *host.SNMP) []host.SNMPFile {
			var out []host.SNMPFile
			for _, a := range s.Agents {
				out = append(out, a.Files...)
			}
			return out
		})
	snmpFileRule("SNMP-MIB-MODE", "a MIB definition file is open to other users", "MIB definitions", 0o640, severity.Low, []target.OS{target.AIX},
		"Even reading the MIB definition files can give intruders special knowledge of how to extract information about the "+
			"system and network; they should be mode 640 or less permissive ("+snmpSection+").",
		"chmod 640 /etc/mib.defs (and /etc/mib_desc where present).",
		func(s *host.SNMP) []host.SNMPFile { return s.MIBFiles })
}
