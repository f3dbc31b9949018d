package syslogconf

import (
	"strings"
)

// Selector is one "facility[,facility].priority" part of a rule's filter.
type Selector struct {
	// Facilities are the facility names as written ("auth", "local7",
	// "*" for every facility).
	Facilities []string
	// Priority is the priority name as written without its operator
	// ("info", "err"), "*" for every priority, or "none".
	Priority string
	// Op is the operator before the priority: "" (this priority and every
	// more severe one), "=" (this priority only), "!" (not this priority
	// nor any more severe one) or "!=" (not this priority).
	Op string
}

// String renders the selector as written in a configuration file.
func (s Selector) String() string {
	return strings.Join(s.Facilities, ",") + "." + s.Op + s.Priority
}

// facilities maps every facility name syslog daemons accept to its
// canonical name. security is the old name of auth.
var facilities = map[string]string{
	"kern": "kern", "user": "user", "mail": "mail", "daemon": "daemon",
	"auth": "auth", "security": "auth", "syslog": "syslog", "lpr": "lpr",
	"news": "news", "uucp": "uucp", "cron": "cron", "authpriv": "authpriv",
	"ftp": "ftp", "ntp": "ntp", "audit": "audit", "alert": "alert",
	"clock": "clock", "mark": "mark", "caa": "caa", "aso": "aso",
	"local0": "local0", "local1": "local1", "local2": "local2", "local3": "local3",
	"local4": "local4", "local5": "local5", "local6": "local6", "local7": "local7",
}

// AllFacilities are the canonical facilities a message may carry; "*" in a
// selector stands for all of them.
var AllFacilities = []string{
	"kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news", "uucp",
	"cron", "authpriv", "ftp", "local0", "local1", "local2", "local3",
	"local4", "local5", "local6", "local7",
}

// priorities maps priority names to their level, 0 (emerg) to 7 (debug).
var priorities = map[string]int{
	"emerg": 0, "panic": 0, "alert": 1, "crit": 2, "err": 3, "error": 3,
	"warning": 4, "warn": 4, "notice": 5, "info": 6, "debug": 7,
}

// Facility returns the canonical name of a facility ("security" gives
// "auth"), and whether the name is known.
func Facility(name string) (string, bool) {
	f, ok := facilities[strings.ToLower(name)]
	return f, ok
}

// Level returns the level of a priority name, 0 for emerg to 7 for debug,
// and whether the name is known.
func Level(name string) (int, bool) {
	l, ok := priorities[strings.ToLower(name)]
	return l, ok
}

// Matches reports whether the rule acts on messages of the facility and
// priority given. The selectors apply in order, as syslogd and rsyslogd
// apply them: a plain priority adds it and every more severe one, "="
// adds one priority, "none" removes every priority of the facilities it
// names, "!" and "!=" remove what the plain and "=" forms would add.
//
// facility "*" asks whether the rule acts on messages of every facility.
// A rule with a property filter reports false: whether it matches depends
// on the message, not on its facility. An action with no filter at all
// matches everything. An unknown facility or priority matches nothing.
func (r Rule) Matches(facility, priority string) bool {
	if r.Property {
		return false
	}
	level, ok := Level(priority)
	if !ok {
		return false
	}
	if r.Filter == "" {
		return true
	}
	if facility == "*" {
		for _, f := range AllFacilities {
			if !r.matches(f, level) {
				return false
			}
		}
		return true
	}
	fac, ok := Facility(facility)
	if !ok {
		return false
	}
	return r.matches(fac, level)
}

// matches evaluates the selectors for a canonical facility and a level.
func (r Rule) matches(fac string, level int) bool {
	var mask uint8 // bit n: level n is logged
	for _, s := range r.Selectors {
		if !s.names(fac) {
			continue
		}
		var bits uint8
		switch p := strings.ToLower(s.Priority); p {
		case "none":
			mask = 0
			continue
		case "*":
			bits = 0xff
		default:
			l, ok := priorities[p]
			if !ok {
				continue
			}
			if strings.Contains(s.Op, "=") {
				bits = 1 << l
			} else {
				bits = uint8(1<<(l+1) - 1)
			}
		}
		if strings.HasPrefix(s.Op, "!") {
			mask &^= bits
		} else {
			mask |= bits
		}
	}
	return mask&(1<<level) != 0
}

// names reports whether the selector names the canonical facility fac.
func (s Selector) names(fac string) bool {
	for _, f := range s.Facilities {
		if f == "*" && fac != "mark" {
			return true
		}
		if c, ok := Facility(f); ok && c == fac {
			return true
		}
	}
	return false
}

// parseSelectors parses "fac,fac.pri;fac.pri" and returns the selectors or
// what is wrong with them.
func parseSelectors(text string) ([]Selector, string) {
	var out []Selector
	for _, part := range strings.Split(text, ";") {
		if part == "" {
			return nil, "empty selector in " + quote(text)
		}
		dot := strings.LastIndexByte(part, '.')
		if dot < 0 {
			return nil, "selector " + quote(part) + " has no '.' between facility and priority"
		}
		var s Selector
		for _, f := range strings.Split(part[:dot], ",") {
			if f == "" {
				return nil, "empty facility in selector " + quote(part)
			}
			if _, ok := Facility(f); !ok && f != "*" {
				return nil, "unknown facility " + quote(f)
			}
			s.Facilities = append(s.Facilities, f)
		}
		pri := part[dot+1:]
		switch {
		case strings.HasPrefix(pri, "!="):
			s.Op = "!="
		case strings.HasPrefix(pri, "!"):
			s.Op = "!"
		case strings.HasPrefix(pri, "="):
			s.Op = "="
		}
		s.Priority = pri[len(s.Op):]
		switch p := strings.ToLower(s.Priority); {
		case p == "":
			return nil, "selector " + quote(part) + " has no priority"
		case p == "none" && s.Op != "":
			return nil, "priority none takes no operator in " + quote(part)
		case p == "*" || p == "none":
		default:
			if _, ok := priorities[p]; !ok {
				return nil, "unknown priority " + quote(s.Priority)
			}
		}
		out = append(out, s)
	}
	return out, ""
}

// isSelector reports whether word is made only of the characters a
// selector may hold and names a facility and priority.
func isSelector(word string) bool {
	if word == "" || !strings.Contains(word, ".") {
		return false
	}
	c := word[0]
	if !(c == '*' || isLetter(c)) {
		return false
	}
	for i := 0; i < len(word); i++ {
		c := word[i]
		if !(isLetter(c) || isDigit(c) || strings.IndexByte("*,.;=!_-", c) >= 0) {
			return false
		}
	}
	return true
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
