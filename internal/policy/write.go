package policy

import (
	"bytes"
	"fmt"
	"io"
	"path"
	"slices"
	"strings"
	"time"
	"unicode"

	"go.yaml.in/yaml/v3"
)

// InitInput is what "bastion init" knows of a host when it writes a first
// policy.
type InitInput struct {
	// Host and Platform name the host in the header ("web1", "aix 7.2").
	Host     string
	Platform string
	// Services are the services the host runs or is configured to run,
	// one per row of the services table; rows of the same name are listed
	// once.
	Services []InitService
	// Date is the day the policy is written, shown in the header; the
	// example waiver expires three months after it. With the zero time the
	// header shows no date and the example a fixed one.
	Date time.Time
}

// InitService is one service a host runs or is configured to run.
type InitService struct {
	// Name is the service name (a row's port or service name); when it is
	// empty the daemon's base name is used.
	Name string
	// Daemon is the program that serves it.
	Daemon string
	// StartedFrom is the file (and line) or unit that starts it, or "".
	StartedFrom string
	// Listening reports that the service was seen listening.
	Listening bool
}

// Write writes a commented policy that allows every service in in, for an
// administrator to cut down to what the host is for. Each service is on
// its own line with a comment naming its daemon and the file that starts
// it; the roles that cover some of the services are suggested in comments,
// and a commented example shows the form of a waiver. What Write writes
// loads with Load, and the policy allows every service of in.
func Write(w io.Writer, in InitInput) error {
	var b bytes.Buffer
	entries, skipped := group(in.Services)

	host := clean(in.Host)
	if host == "" {
		host = "this host"
	}
	if p := clean(in.Platform); p != "" {
		host += " (" + p + ")"
	}
	fmt.Fprintf(&b, "# bastion policy for %s", host)
	if !in.Date.IsZero() {
		fmt.Fprintf(&b, ", written on %s", in.Date.Format(dateLayout))
	}
	b.WriteString(` by "bastion init".
#
# It allows every service the host runs or is configured to run now.
# Decide what services this host is going to run, delete the others from
# this file, and turn them off: a service the policy does not allow is a
# finding. docs/policy.example.yaml describes every key.
version: 1

# Roles stand for the services of a kind of server. Roles that cover some
# of the services below; uncomment the ones this host has, and delete the
# services they cover from the list:
roles:
`)
	for _, s := range suggest(entries) {
		fmt.Fprintf(&b, "#  - %-16s # %s: %s\n", s.role, RoleTitle(s.role), strings.Join(s.covers, ", "))
	}
	fmt.Fprintf(&b, `
# Services this host may run, besides its roles and the base set that
# every policy allows (%s). Each line names the daemon,
# the file that starts it, and whether it was seen listening.
services:
`, strings.Join(base, ", "))
	width := 0
	for _, e := range entries {
		width = max(width, len(e.quoted))
	}
	for _, e := range entries {
		fmt.Fprintf(&b, "  - %-*s # %s\n", width, e.quoted, e.comment())
	}
	for _, s := range skipped {
		fmt.Fprintf(&b, "  # not listed: %q cannot be a service name\n", s)
	}
	expires := "2030-01-01"
	if !in.Date.IsZero() {
		expires = in.Date.AddDate(0, 3, 0).Format(dateLayout)
	}
	fmt.Fprintf(&b, `
# Services meant to be reachable from anywhere; the others should answer
# only the networks that use them.
public:

# The host this one sends its syslog messages to.
# log_host: loghost.example.com

# Whether this host forwards packets between networks.
router: false

# Whether SSH logins must use keys (password logins then fail the audit).
ssh_keys_only: false

# The shortest password the host's password rules should accept.
password_min_length: 12

# The least severity of a finding that fails a run: info, low, medium,
# high or critical.
fail_on: high

# Waivers accept the findings of a rule on a target until a date; each
# needs a reason and an expiry date. The rule is a rule id or a prefix
# ending in *; the target is a file (which covers its lines), file:line,
# a directory ending in /, a unit or a service, and empty means any.
waivers:
#  - rule: SVC-INETD-*
#    target: /etc/inetd.conf
#    reason: the billing system needs ftp until it moves to sftp
#    expires: %s
`, expires)
	_, err := w.Write(b.Bytes())
	return err
}

// entry is one service name of an InitInput, with every start of it.
type entry struct {
	name      string
	quoted    string // the name as a YAML scalar
	daemons   []string
	starts    []string
	listening bool
}

func (e *entry) comment() string {
	var parts []string
	for i, d := range e.daemons {
		switch {
		case d == "" && e.starts[i] == "":
			parts = append(parts, "started by nothing bastion knows")
		case e.starts[i] == "":
			parts = append(parts, d+", started by nothing bastion knows")
		case d == "":
			parts = append(parts, "from "+e.starts[i])
		default:
			parts = append(parts, d+" from "+e.starts[i])
		}
	}
	state := "not seen listening"
	if e.listening {
		state = "listening"
	}
	return strings.Join(parts, "; ") + "; " + state
}

// group merges services of the same name, in the order they first appear,
// and returns the names that cannot be written.
func group(services []InitService) (entries []*entry, skipped []string) {
	byName := map[string]*entry{}
	seenSkip := map[string]bool{}
	for _, s := range services {
		name := s.Name
		if name == "" {
			name = daemonBase(s.Daemon)
		}
		if name == "" {
			continue
		}
		if checkName(name) != "" {
			if !seenSkip[name] {
				seenSkip[name] = true
				skipped = append(skipped, name)
			}
			continue
		}
		e := byName[name]
		if e == nil {
			e = &entry{name: name, quoted: scalar(name)}
			byName[name] = e
			entries = append(entries, e)
		}
		d, from := clean(s.Daemon), clean(s.StartedFrom)
		dup := false
		for i := range e.daemons {
			if e.daemons[i] == d && e.starts[i] == from {
				dup = true
			}
		}
		if !dup {
			e.daemons = append(e.daemons, d)
			e.starts = append(e.starts, from)
		}
		e.listening = e.listening || s.Listening
	}
	return entries, skipped
}

// suggestion is a role that covers some services of a host.
type suggestion struct {
	role   string
	covers []string
}

// suggest returns the roles, in table order, that cover some of entries.
// The portmapper alone suggests no role: every RPC service needs it.
func suggest(entries []*entry) []suggestion {
	var out []suggestion
	for _, r := range roleTable {
		if r.router {
			continue
		}
		p := &Policy{Roles: []string{r.name}}
		var covers []string
		for _, e := range entries {
			names := []string{e.name}
			for _, d := range e.daemons {
				names = append(names, daemonBase(d))
			}
			if by, ok := p.AllowedBy(names...); ok && by != "base set" {
				covers = append(covers, e.name)
			}
		}
		if slices.ContainsFunc(covers, func(c string) bool { return !slices.Contains(rpcbind, c) }) {
			out = append(out, suggestion{r.name, covers})
		}
	}
	return out
}

// daemonBase returns the program's base name of a daemon description such
// as "/usr/dt/bin/dtlogin (spawned by /etc/rc.dt)".
func daemonBase(d string) string {
	f := strings.Fields(d)
	if len(f) == 0 {
		return ""
	}
	return path.Base(f[0])
}

// scalar returns s as a YAML scalar that reads back as the string s.
func scalar(s string) string {
	out, err := yaml.Marshal(&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s})
	if err != nil {
		return fmt.Sprintf("%q", s)
	}
	return strings.TrimSuffix(string(out), "\n")
}

// clean makes s fit on one comment line.
func clean(s string) string {
	s = strings.ToValidUTF8(s, "?")
	return strings.TrimSpace(strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return ' '
		}
		return r
	}, s))
}
