package hostsaccess

import (
	"net/netip"
	"strconv"
)

// Verdict is what TCP wrappers decide for a client.
type Verdict int

// The verdicts.
const (
	// Granted: the daemon serves the client.
	Granted Verdict = iota + 1
	// Denied: the wrappers refuse the connection (or, with the twist
	// option, hand it to another command instead of the daemon).
	Denied
	// Depends: the address alone does not decide. The outcome depends
	// on the client's host name (patterns such as ".example.com", LOCAL,
	// KNOWN, PARANOID, or a host name), or on what else only the running
	// wrappers learn: a netgroup, the ident user name, a file of
	// patterns, the local address of daemon@host, or an aclexec
	// command.
	Depends
)

// String returns "granted", "denied" or "depends on name lookups".
func (v Verdict) String() string {
	switch v {
	case Granted:
		return "granted"
	case Denied:
		return "denied"
	case Depends:
		return "depends on name lookups"
	}
	return "invalid"
}

// verdict returns what the rule decides when it matches, from the file it
// is in and its options.
func (r Rule) verdict(inAllow bool) Verdict {
	if r.BadOptions {
		return Denied
	}
	v, checked := Denied, false
	if inAllow {
		v = Granted
	}
	for _, o := range r.Options {
		switch o.Name {
		case "allow":
			v = Granted
		case "deny", "twist":
			v = Denied
		case "aclexec":
			checked = true
		}
	}
	if checked && v == Granted {
		return Depends
	}
	return v
}

// location returns "file:line" for a rule of f.
func location(f *File, r Rule) string { return f.Name + ":" + strconv.Itoa(r.Line) }

// Allowed decides, as TCP wrappers would, whether the daemon (its process
// name, argv[0], such as "sshd" or "in.telnetd") serves a client connecting
// from address client, knowing the address only. allow and deny are the
// parsed hosts.allow and hosts.deny; nil stands for a missing file, which
// the wrappers treat as empty.
//
// The first rule of hosts.allow that matches grants access, then the first
// rule of hosts.deny that matches denies it, and with no match access is
// granted; the options allow, deny and twist, and an option TCP wrappers
// refuse, change what a matching rule decides. where is "file:line" of the
// rule that decides, or "" when no rule matches and the default grants.
//
// When a rule may or may not match depending on what the address cannot
// tell (see Depends), the verdict is Depends and where names the first such
// rule, unless the rules after it decide the same way it would: that
// verdict is then returned with the location of the rule that decides
// whatever the lookups say.
func Allowed(allow, deny *File, daemon string, client netip.Addr) (v Verdict, where string) {
	type step struct {
		v     Verdict
		where string
	}
	var pending []step // rules that may match, in order
	final := step{Granted, ""}
	server, cl := serverMatch(daemon), clientMatch(client)
walk:
	for _, t := range []struct {
		f       *File
		inAllow bool
	}{{allow, true}, {deny, false}} {
		if t.f == nil {
			continue
		}
		for _, r := range t.f.Rules {
			m := listMatch(r.Daemons, server)
			if m != no {
				m = and(m, listMatch(r.Clients, cl))
			}
			if m == no {
				continue
			}
			s := step{r.verdict(t.inAllow), location(t.f, r)}
			if m == yes {
				final = s
				break walk
			}
			pending = append(pending, s)
		}
	}
	// Fold from the last rule that may match back to the first: each
	// decides if it matches, and leaves the decision to what follows if
	// not.
	for i := len(pending) - 1; i >= 0; i-- {
		if p := pending[i]; p.v != final.v {
			final = step{Depends, p.where}
		}
	}
	return final.v, final.where
}
