// Package policy holds the site's intent for a host: which services it may
// run, which findings are accepted for a while, and how bad a finding must
// be to fail a run. The method bastion follows starts here: decide what
// services the host is going to run, and turn off everything else. A policy
// is that decision written down.
//
// A policy is a YAML file. Every key but version is optional:
//
//	version: 1                # required; the format version
//	roles: [mail-server]      # what the host is for; see Roles
//	services: [ftp, ntp]      # further service names the host may run
//	public: [smtp]            # services meant to be reachable from anywhere
//	log_host: loghost.example.com  # where this host sends its syslog
//	router: false             # the host forwards packets
//	ssh_keys_only: false      # SSH logins must use keys, never passwords
//	password_min_length: 12   # the shortest password the host should accept
//	fail_on: high             # least severity that fails a run
//	waivers:                  # findings accepted until a date
//	  - rule: SVC-INETD-*     # a rule id, or a prefix ending in *
//	    target: /etc/inetd.conf   # what the finding is about; empty is any
//	    reason: billing needs ftp until it moves
//	    expires: 2026-06-30   # YYYY-MM-DD, required
//
// The lists (roles, services, public, waivers) may be empty or null. A
// service name is a well-known port name as /etc/services spells it (smtp,
// X11), an inetd or xinetd service name, an RPC program name, a daemon's
// base name (sendmail) or a systemd unit name (postfix, with or without
// ".service"). Every policy also allows the base set (see Base): SSH and a
// few local daemons that do not listen.
//
// log_host names the host this one sends its logs to; it does not let this
// host receive logs from others. Receiving remote syslog is a service like
// any other, allowed by the log-host role or the service name syslog.
//
// Loading is strict: an unknown key, a value of the wrong type, an unknown
// role or severity, a bad date, a waiver without a reason or expiry, or a
// duplicate entry is an error naming the file and line, and a policy with
// any error is not returned at all, so that a mistyped policy cannot let a
// run pass. docs/policy.schema.json describes the same format for editors.
package policy

import (
	"path"
	"strings"
	"time"

	"bastion/internal/severity"
)

// DefaultSource is the Source of the built-in default policy.
const DefaultSource = "built-in default"

// Version is the policy format version this package reads and writes.
const Version = 1

// Policy is the site's intent for one host.
type Policy struct {
	// Source is the file the policy came from, or DefaultSource.
	Source string
	// Roles are the roles of the host, each a key of Roles().
	Roles []string
	// Services are service names allowed explicitly, beyond the roles and
	// the base set.
	Services []string
	// Public are the services meant to be reachable from anywhere; the
	// others should be reachable only from the networks that use them.
	Public []string
	// LogHost is the remote syslog host the site uses, or "".
	LogHost string
	// Router reports that the host forwards packets. Load sets it for the
	// router key or the router role.
	Router bool
	// SSHKeysOnly says SSH logins must use keys: password and
	// keyboard-interactive authentication should be off.
	SSHKeysOnly bool
	// PasswordMinLength is the shortest password the host's password
	// rules should accept; DefaultPasswordMinLength when not set.
	PasswordMinLength int
	// FailOn is the least severity of a finding that fails a run.
	FailOn severity.Level
	// Waivers accept findings until a date, in file order.
	Waivers []Waiver
}

// Waiver accepts the findings of a rule on a target until a date.
type Waiver struct {
	// Rule is a rule id ("SVC-INETD-TELNET"), or a prefix ending in "*"
	// ("SVC-INETD-*") that matches every rule id starting with it.
	Rule string
	// Target is what the findings are about (see Waiver.Matches), or ""
	// for every target.
	Target string
	// Reason says why the finding is accepted; it is required.
	Reason string
	// Expires is the date (midnight UTC) on which the waiver stops
	// applying; it is required.
	Expires time.Time
	// Line is the line of the waiver in its policy file, or 0.
	Line int
}

// Default returns the built-in policy for a general-purpose server: no
// roles, only the base set allowed, failing on high.
func Default() *Policy {
	return &Policy{Source: DefaultSource, FailOn: severity.High, PasswordMinLength: DefaultPasswordMinLength}
}

// DefaultPasswordMinLength is the shortest password bastion expects a
// host to accept when the policy does not say: twelve characters, the
// length current guidance (CIS benchmarks for Linux and AIX 7, NIST SP
// 800-63B's advice to allow and encourage long passphrases) settles on
// for passwords that are not the only factor.
const DefaultPasswordMinLength = 12

// Allows reports whether any of names is allowed, directly under services,
// through a role, or by the base set. The names are the ways one service
// can be known: a row's port name, an inetd service name, a daemon's base
// name, a unit name. See AllowedBy for how names are compared.
func (p *Policy) Allows(names ...string) bool {
	_, ok := p.AllowedBy(names...)
	return ok
}

// AllowedBy is Allows that also says why: "services", "role NAME" or
// "base set", for the first of names that is allowed.
//
// Names are compared after light normalization, the same on both sides: an
// absolute path keeps its last element (/usr/sbin/sendmail is sendmail), a unit
// suffix ".service" or ".socket" and a template instance ("@tty1", "@") are
// dropped, and ASCII letter case is ignored, so that the port name X11 in
// one /etc/services and x11 in another are the same. Nothing else is
// changed: in.ftpd and ftpd are different names (roles list both). Empty
// names allow nothing. A nil policy is the default.
func (p *Policy) AllowedBy(names ...string) (by string, ok bool) {
	if p == nil {
		p = Default()
	}
	for _, n := range names {
		n = normalize(n)
		if n == "" {
			continue
		}
		if contains(p.Services, n) {
			return "services", true
		}
		for _, name := range p.Roles {
			if r := lookupRole(name); r != nil && contains(r.services, n) {
				return "role " + r.name, true
			}
		}
		if contains(base, n) {
			return "base set", true
		}
	}
	return "", false
}

// contains reports whether list holds n, which is already normalized.
func contains(list []string, n string) bool {
	for _, s := range list {
		if normalize(s) == n {
			return true
		}
	}
	return false
}

// normalize puts a service name in the form names are compared in.
func normalize(s string) string {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "/") {
		s = path.Base(s)
		if s == "/" {
			return ""
		}
	}
	s = strings.TrimSuffix(s, ".service")
	s = strings.TrimSuffix(s, ".socket")
	if i := strings.IndexByte(s, '@'); i > 0 {
		s = s[:i]
	}
	return asciiLower(s)
}

func asciiLower(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; 'A' <= c && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if c := b[j]; 'A' <= c && c <= 'Z' {
					b[j] = c + 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

// Waive returns the waiver that applies to a finding of ruleID about
// target, or nil. An expired waiver is returned with expired true: it does
// not stop the finding, and the report says when it expired. When several
// waivers match, one in force is preferred to an expired one, then the
// most specific (an exact rule before a prefix, a longer prefix before a
// shorter; an exact target before a file for its lines, before a
// directory, before any target), then the first in the file.
func (p *Policy) Waive(ruleID, target string, now time.Time) (w *Waiver, expired bool) {
	if p == nil {
		return nil, false
	}
	bestScore := -1
	for i := range p.Waivers {
		c := &p.Waivers[i]
		rs, ok := c.ruleScore(ruleID)
		if !ok {
			continue
		}
		ts, ok := c.targetScore(target)
		if !ok {
			continue
		}
		exp := c.Expired(now)
		score := rs*8 + ts
		if !exp {
			score += 1 << 20
		}
		if score > bestScore {
			w, expired, bestScore = c, exp, score
		}
	}
	return w, expired
}

// Expired reports whether the waiver no longer applies at now: a waiver
// applies up to the end of the day before its expiry date and has expired
// on that date, taking the calendar date of now in now's time zone.
func (w *Waiver) Expired(now time.Time) bool {
	return !dateOf(now).Before(dateOf(w.Expires))
}

// Matches reports whether the waiver covers a finding of ruleID about
// target, expired or not.
//
// A finding's target is what it is about: a file path, "file:line", a unit
// name or a service name. A waiver's target matches a finding's target that
// is the same string; a file matches the file at any line
// ("/etc/inetd.conf" matches "/etc/inetd.conf:14"); a target ending in "/"
// matches everything below that directory ("/etc/xinetd.d/" matches
// "/etc/xinetd.d/telnet" and "/etc/xinetd.d/telnet:3"); and an empty target
// matches every target.
func (w *Waiver) Matches(ruleID, target string) bool {
	_, rok := w.ruleScore(ruleID)
	_, tok := w.targetScore(target)
	return rok && tok
}

// ruleScore says whether the waiver's rule matches ruleID, and how closely:
// the length of a matching prefix, or more than any prefix for an exact id.
func (w *Waiver) ruleScore(ruleID string) (int, bool) {
	const exact = 1 << 12
	if prefix, ok := strings.CutSuffix(w.Rule, "*"); ok {
		if strings.HasPrefix(ruleID, prefix) {
			return min(len(prefix), exact-1), true
		}
		return 0, false
	}
	if w.Rule != "" && w.Rule == ruleID {
		return exact, true
	}
	return 0, false
}

// targetScore says whether the waiver's target matches target, and how
// closely: 4 the same, 3 the file of a file:line, 2 a directory, 1 any.
func (w *Waiver) targetScore(target string) (int, bool) {
	t := w.Target
	switch {
	case t == "":
		return 1, true
	case t == target:
		return 4, true
	case strings.HasSuffix(t, "/"):
		if strings.HasPrefix(target, t) && len(target) > len(t) {
			return 2, true
		}
	case strings.HasPrefix(target, t) && isLineSuffix(target[len(t):]):
		return 3, true
	}
	return 0, false
}

// dateOf returns the calendar date of t, in t's time zone, as midnight UTC.
func dateOf(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// isLineSuffix reports whether s is ":N" with N a line number.
func isLineSuffix(s string) bool {
	digits, ok := strings.CutPrefix(s, ":")
	if !ok || digits == "" {
		return false
	}
	for _, c := range digits {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
