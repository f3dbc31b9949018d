package hostsaccess

import (
	"net/netip"
	"strconv"
	"strings"
)

// sumStep is a rule that may apply to the daemon, for Summary.
type sumStep struct {
	grant   bool     // what the rule decides when it matches
	clients []string // its client list
	note    string   // what else the decision hangs on, or ""
}

// sumEntry is a group of clients Summary names, with what they get.
type sumEntry struct {
	grant bool
	text  string
}

// Summary says in words who may reach the daemon through the two files,
// for a report: "everyone", "no one", "only 10.0.0.0/8 and LOCAL",
// "everyone except .example.com". Patterns are named as written, except
// that networks are written as prefixes ("10.0.0.0/255.0.0.0" and "10."
// both as "10.0.0.0/8"). A rule whose daemon pattern names a local
// address, or with an aclexec option, adds a note to the clients it names.
//
// The phrase follows the order of the rules: clients granted by a rule
// before one that denies them are noted ("everyone except 10.0.0.0/8 (but
// 10.1.0.0/16 allowed first)"). It is a summary for people; Allowed gives
// the exact answer for one client.
func Summary(allow, deny *File, daemon string) string {
	var steps []sumStep
	server := serverMatch(daemon)
	for _, t := range []struct {
		f       *File
		inAllow bool
	}{{allow, true}, {deny, false}} {
		if t.f == nil {
			continue
		}
		for _, r := range t.f.Rules {
			m := listMatch(r.Daemons, server)
			if m == no {
				continue
			}
			s := sumStep{clients: r.Clients}
			switch v := r.verdict(t.inAllow); v {
			case Depends:
				s.grant, s.note = true, "if its aclexec command agrees"
			default:
				s.grant = v == Granted
			}
			if m == maybe {
				s.note = "on some local addresses"
			}
			steps = append(steps, s)
		}
	}
	final, entries := summarize(steps)
	return phrase(final, entries)
}

// summarize reads the steps in order into the verdict of clients no rule
// names and the entries naming the others.
func summarize(steps []sumStep) (final bool, entries []sumEntry) {
	// kind[i] says what step i is: a rule naming some clients, a rule
	// for everyone, or one for everyone except some.
	const (
		some = iota
		everyone
		everyoneExcept
	)
	kind := make([]int, len(steps))
	for i, s := range steps {
		head, rest := cutExcept(s.clients)
		for _, tok := range head {
			if strings.EqualFold(tok, "ALL") && s.note == "" {
				kind[i] = everyone
				if len(rest) > 0 {
					kind[i] = everyoneExcept
				}
			}
		}
	}
	// For "ALL EXCEPT y", y is left to the rules after it: from the end
	// backwards, tell for each suffix of the steps the verdict of the
	// clients it does not name, and whether it names any.
	sufFinal := make([]bool, len(steps)+1)
	sufNames := make([]bool, len(steps)+1)
	sufFinal[len(steps)] = true
	for i := len(steps) - 1; i >= 0; i-- {
		switch kind[i] {
		case some:
			sufFinal[i], sufNames[i] = sufFinal[i+1], true
		case everyone:
			sufFinal[i], sufNames[i] = steps[i].grant, false
		case everyoneExcept:
			sufFinal[i] = steps[i].grant
			sufNames[i] = sufNames[i+1] || sufFinal[i+1] != steps[i].grant
		}
	}
	for i, s := range steps {
		switch kind[i] {
		case some:
			head, rest := cutExcept(s.clients)
			if len(rest) == 0 && s.note == "" {
				// One entry a pattern, so that the phrase
				// lists them all at one level.
				for _, tok := range head {
					entries = append(entries, sumEntry{s.grant, describePattern(tok)})
				}
				continue
			}
			text := describe(s.clients)
			if s.note != "" {
				text += " (" + s.note + ")"
			}
			entries = append(entries, sumEntry{s.grant, text})
			continue
		case everyoneExcept:
			_, rest := cutExcept(s.clients)
			y := describe(rest)
			switch {
			case sufNames[i+1]:
				entries = append(entries, sumEntry{!s.grant, y + " (depending on later rules)"})
			case sufFinal[i+1] != s.grant:
				entries = append(entries, sumEntry{sufFinal[i+1], y})
			}
		}
		return s.grant, entries
	}
	return true, entries
}

// phrase words the outcome. Only entries before the last one of the
// opposite verdict change anything for anyone, so later ones that agree
// with the final verdict are left out.
func phrase(final bool, entries []sumEntry) string {
	last := -1
	for i, e := range entries {
		if e.grant != final {
			last = i
		}
	}
	var contrary, first []string
	for i, e := range entries {
		switch {
		case e.grant != final:
			contrary = append(contrary, e.text)
		case i < last:
			first = append(first, e.text)
		}
	}
	var s string
	switch {
	case final && len(contrary) == 0:
		return "everyone"
	case !final && len(contrary) == 0:
		return "no one"
	case len(contrary) == 1 && strings.HasPrefix(contrary[0], "everyone") && len(first) == 0:
		// A rule for every client, under a condition ("everyone (on
		// some local addresses)").
		if final {
			return "no one" + strings.TrimPrefix(contrary[0], "everyone")
		}
		return contrary[0]
	case final:
		s = "everyone except " + join(contrary)
	default:
		s = "only " + join(contrary)
	}
	if len(first) > 0 {
		if final {
			s += " (but " + join(first) + " allowed first)"
		} else {
			s += " (but " + join(first) + " denied first)"
		}
	}
	return s
}

// cutExcept splits a list at its first EXCEPT.
func cutExcept(list []string) (head, rest []string) {
	for i, tok := range list {
		if isExcept(tok) {
			return list[:i], list[i+1:]
		}
	}
	return list, nil
}

// describe names the clients of a list, with its exceptions.
func describe(list []string) string {
	head, rest := cutExcept(list)
	var items []string
	for _, tok := range head {
		items = append(items, describePattern(tok))
	}
	s := join(items)
	if len(rest) == 0 {
		return s
	}
	if len(items) > 1 {
		s = "(" + s + ")"
	}
	return s + " except " + describe(rest)
}

// describePattern names one pattern, writing networks as prefixes.
func describePattern(tok string) string {
	if strings.EqualFold(tok, "ALL") {
		return "everyone"
	}
	if isNetForm(tok) {
		p, problem := parseNet(tok)
		if problem != "" {
			return tok
		}
		bits := 0
		for _, b := range p.mask {
			for ; b&0x80 != 0; b <<= 1 {
				bits++
			}
		}
		pre, err := p.net.Prefix(bits)
		if err != nil || !prefixMaskEqual(p.mask, bits) {
			return tok
		}
		if pre.IsSingleIP() {
			return pre.Addr().String()
		}
		return pre.String()
	}
	// "192.168." is the network 192.168.0.0/16.
	if t, ok := strings.CutSuffix(tok, "."); ok {
		parts := strings.Split(t, ".")
		if len(parts) <= 3 {
			var b [4]byte
			for i, part := range parts {
				n, err := strconv.Atoi(part)
				if err != nil || n < 0 || n > 255 || part != strconv.Itoa(n) {
					return tok
				}
				b[i] = byte(n)
			}
			return netip.PrefixFrom(netip.AddrFrom4(b), 8*len(parts)).String()
		}
	}
	return tok
}

// prefixMaskEqual reports whether mask is the mask of a prefix of bits.
func prefixMaskEqual(mask []byte, bits int) bool {
	want := prefixMask(len(mask), bits)
	for i := range mask {
		if mask[i] != want[i] {
			return false
		}
	}
	return true
}

// join joins items as "a", "a and b", "a, b and c".
func join(items []string) string {
	if len(items) <= 1 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}
