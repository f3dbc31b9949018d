// Package rule is the vocabulary of the audit: a Rule is a declaration (id,
// title, severity, rationale, references, platforms, a check and perhaps a
// fix), a Finding is what a rule found on a host. Rules read the host model
// (host.Facts and the services inventory) through a Context; they open no
// file and run no command. The catalogue itself lives in internal/rules.
package rule

import (
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"sync"

	"bastion/internal/host"
	"bastion/internal/inventory"
	"bastion/internal/policy"
	"bastion/internal/remedy"
	"bastion/internal/severity"
	"bastion/internal/target"
)

// Context is what a check reads: the host model, its services inventory,
// and the site policy.
type Context struct {
	Facts     *host.Facts
	Inventory *inventory.Inventory
	Policy    *policy.Policy
}

// Rule is one check of the catalogue.
type Rule struct {
	// ID is stable and unique: TOPIC-AREA-NAME, upper case ("SVC-INETD-TELNET").
	ID    string
	Title string
	// Severity is the severity of a finding of this rule, unless the
	// finding sets its own.
	Severity severity.Level
	// Topic groups rules in reports: services, inittab, network, syslog...
	Topic string
	// Rationale says why, in one or two sentences, citing the method.
	Rationale string
	// Remediation says how to fix it, in words.
	Remediation string
	// References are benchmark and guide ids (CIS, STIG).
	References []string
	// Platforms the rule applies to; empty means every platform.
	Platforms []target.OS
	// Check reports findings through r. It returns Undecided(...) when the
	// host model lacks what it needs to decide.
	Check func(c *Context, r *Report) error
	// Fix returns the changes that remedy a finding, or nil when there is
	// no safe automatic fix for it.
	Fix func(c *Context, f Finding) []remedy.Change
}

// AppliesTo reports whether the rule applies to an operating system.
func (r *Rule) AppliesTo(os target.OS) bool {
	if len(r.Platforms) == 0 {
		return true
	}
	for _, p := range r.Platforms {
		if p == os {
			return true
		}
	}
	return false
}

// Exposure says how reachable the thing a finding is about is. It weighs the
// finding in the hardening index.
type Exposure string

// Exposures, most exposed first.
const (
	// Public: listening on an address other hosts reach.
	Public Exposure = "public"
	// Unknown: configured to run; no live state says whether it listens.
	Unknown Exposure = "unknown"
	// Host: a setting of the whole host (network options, logging).
	Host Exposure = "host"
	// Local: listening on loopback only.
	Local Exposure = "local"
	// Dormant: in a start-up file but not running now, or not effective.
	Dormant Exposure = "dormant"
)

// Location is what a finding is about: a file and line, a unit, or a key
// (a network option, a sysctl).
type Location struct {
	File string `json:"file,omitempty"`
	Line int    `json:"line,omitempty"`
	Unit string `json:"unit,omitempty"`
	Key  string `json:"key,omitempty"`
}

// String renders "file:line", "unit (file:line)" or the key.
func (l Location) String() string {
	s := l.File
	if l.Line > 0 {
		s += ":" + strconv.Itoa(l.Line)
	}
	switch {
	case l.Unit != "" && s != "":
		s = l.Unit + " (" + s + ")"
	case l.Unit != "":
		s = l.Unit
	}
	if l.Key != "" {
		if s != "" {
			return l.Key + " (" + s + ")"
		}
		return l.Key
	}
	return s
}

// Finding is what a rule found on a host.
type Finding struct {
	Rule     string         `json:"rule"`
	Title    string         `json:"title"`
	Topic    string         `json:"topic"`
	Severity severity.Level `json:"severity"`
	Where    Location       `json:"where"`
	// Service names the service the finding is about, when it is one.
	Service string `json:"service,omitempty"`
	// Found is what is there; Expected what should be; Fix the fix in words.
	Found    string   `json:"found"`
	Expected string   `json:"expected"`
	Fix      string   `json:"fix"`
	Exposure Exposure `json:"exposure"`
	// Start is the start-up entry the finding is about, for remedies.
	Start *host.Start `json:"-"`
	// Data carries rule-specific values from the check to its fix.
	Data map[string]string `json:"-"`
}

// Target is what a waiver matches: the location of the finding, or the
// service when it has no location.
func (f Finding) Target() string {
	if s := f.Where.String(); s != "" {
		return s
	}
	return f.Service
}

// Report collects the findings of one check. It is safe for concurrent use,
// and keeps what a check added even if the check then fails or times out.
type Report struct {
	rule     *Rule
	mu       sync.Mutex
	findings []Finding
}

// NewReport returns an empty report for a rule.
func NewReport(r *Rule) *Report { return &Report{rule: r} }

// Add records a finding, filling in the rule's id, title, topic, severity
// and fix text where the finding leaves them empty.
func (r *Report) Add(f Finding) {
	if f.Rule == "" {
		f.Rule = r.rule.ID
	}
	if f.Title == "" {
		f.Title = r.rule.Title
	}
	if f.Topic == "" {
		f.Topic = r.rule.Topic
	}
	if f.Severity == 0 {
		f.Severity = r.rule.Severity
	}
	if f.Fix == "" {
		f.Fix = r.rule.Remediation
	}
	if f.Exposure == "" {
		f.Exposure = Host
	}
	r.mu.Lock()
	r.findings = append(r.findings, f)
	r.mu.Unlock()
}

// Findings returns a copy of what was added so far.
func (r *Report) Findings() []Finding {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Finding(nil), r.findings...)
}

// undecided is the error of a check that cannot decide.
type undecided struct{ reason string }

func (u undecided) Error() string { return "cannot decide: " + u.reason }

// Undecided returns the error a check returns when the host model lacks
// what it needs: the reason says what is missing.
func Undecided(format string, args ...any) error {
	return undecided{fmt.Sprintf(format, args...)}
}

// IsUndecided reports whether err is from Undecided, and its reason.
func IsUndecided(err error) (string, bool) {
	var u undecided
	if errors.As(err, &u) {
		return u.reason, true
	}
	return "", false
}

var (
	regMu    sync.Mutex
	registry = map[string]*Rule{}
	idRE     = regexp.MustCompile(`^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$`)
)

// Register adds a rule to the catalogue and returns it. It panics on a
// duplicate or malformed id, or a rule without the required fields: the
// catalogue is code, and such a mistake must fail every test.
func Register(r Rule) *Rule {
	switch {
	case !idRE.MatchString(r.ID):
		panic("rule: malformed id " + strconv.Quote(r.ID))
	case r.Title == "" || r.Rationale == "" || r.Remediation == "" || r.Topic == "":
		panic("rule: " + r.ID + " needs a title, topic, rationale and remediation")
	case r.Severity < severity.Info || r.Severity > severity.Critical:
		panic("rule: " + r.ID + " has no severity")
	case r.Check == nil:
		panic("rule: " + r.ID + " has no check")
	}
	regMu.Lock()
	defer regMu.Unlock()
	if _, dup := registry[r.ID]; dup {
		panic("rule: duplicate id " + r.ID)
	}
	p := &r
	registry[r.ID] = p
	return p
}

// All returns every registered rule, sorted by id.
func All() []*Rule {
	regMu.Lock()
	defer regMu.Unlock()
	out := make([]*Rule, 0, len(registry))
	for _, r := range registry {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Lookup returns the rule with an id.
func Lookup(id string) (*Rule, bool) {
	regMu.Lock()
	defer regMu.Unlock()
	r, ok := registry[id]
	return r, ok
}
