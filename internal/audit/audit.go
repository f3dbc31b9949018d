// Package audit runs the rule catalogue on a host: every applicable rule,
// concurrently, each within a time budget, with waivers applied and a
// hardening index that explains what each finding cost.
package audit

import (
	"context"
	"fmt"
	"runtime"
	"sort"
	"sync"
	"time"

	"bastion/internal/rule"
	"bastion/internal/severity"
	"bastion/internal/target"
)

// SchemaVersion is the version of the JSON form of a Result.
const SchemaVersion = 1

// Status is how a rule ended.
type Status string

// Rule statuses.
const (
	Pass      Status = "pass"      // checked, nothing found
	Fail      Status = "fail"      // findings
	Undecided Status = "undecided" // the host model lacks what the rule needs
	Skipped   Status = "skipped"   // not for this platform
	Error     Status = "error"     // the check failed (or panicked)
	Timeout   Status = "timeout"   // the check ran out of time
)

// RuleResult is how one rule ended.
type RuleResult struct {
	Rule     string        `json:"rule"`
	Status   Status        `json:"status"`
	Reason   string        `json:"reason,omitempty"`
	Findings int           `json:"findings"`
	Duration time.Duration `json:"duration_ns"`
}

// Finding is a rule finding with what it cost the index and its waiver.
type Finding struct {
	rule.Finding
	// Cost is the points of the hardening index this finding took.
	Cost float64 `json:"cost"`
	// Waived holds the waiver that covers the finding; WaiverExpired says
	// the waiver has expired, and so no longer applies.
	Waived        *Waiver `json:"waived,omitempty"`
	WaiverExpired bool    `json:"waiver_expired,omitempty"`
}

// Waiver is the part of a policy waiver a report shows.
type Waiver struct {
	Reason  string `json:"reason"`
	Expires string `json:"expires"`
	Line    int    `json:"line,omitempty"`
}

// Result is the outcome of an audit.
type Result struct {
	SchemaVersion int             `json:"schema_version"`
	Target        string          `json:"target"`
	Platform      target.Platform `json:"platform"`
	Policy        string          `json:"policy"`
	FailOn        severity.Level  `json:"fail_on"`
	Index         int             `json:"index"`
	Findings      []Finding       `json:"findings"`
	Rules         []RuleResult    `json:"rules"`
	Gaps          []target.Gap    `json:"gaps"`
}

// Failed reports whether a finding that is not waived is at or above the
// policy's threshold.
func (r *Result) Failed() bool {
	for _, f := range r.Findings {
		if (f.Waived == nil || f.WaiverExpired) && f.Severity >= r.FailOn {
			return true
		}
	}
	return false
}

// Options tune a run.
type Options struct {
	// Budget is the time each rule may take (default 5s).
	Budget time.Duration
	// Only, when set, limits the run to these rule ids.
	Only map[string]bool
	// Now is the time waivers are judged against (default time.Now).
	Now time.Time
}

// Run runs every applicable rule of the catalogue on the host in c.
func Run(ctx context.Context, c *rule.Context, opt Options) *Result {
	if opt.Budget == 0 {
		opt.Budget = 5 * time.Second
	}
	if opt.Now.IsZero() {
		opt.Now = time.Now()
	}
	rules := rule.All()
	res := &Result{
		SchemaVersion: SchemaVersion,
		Target:        c.Inventory.Target,
		Platform:      c.Facts.Platform,
		Policy:        c.Policy.Source,
		FailOn:        c.Policy.FailOn,
		Gaps:          c.Facts.Gaps,
	}
	type out struct {
		rr   RuleResult
		fs   []rule.Finding
		rule *rule.Rule
	}
	results := make([]out, len(rules))
	sem := make(chan struct{}, runtime.GOMAXPROCS(0)*2)
	var wg sync.WaitGroup
	for i, r := range rules {
		if opt.Only != nil && !opt.Only[r.ID] {
			results[i].rule = nil
			continue
		}
		results[i].rule = r
		if !r.AppliesTo(c.Facts.Platform.OS) {
			results[i].rr = RuleResult{Rule: r.ID, Status: Skipped, Reason: "not for " + string(c.Facts.Platform.OS)}
			continue
		}
		wg.Add(1)
		sem <- struct{}{}
		go func(i int, r *rule.Rule) {
			defer wg.Done()
			defer func() { <-sem }()
			rr, fs := runOne(ctx, c, r, opt.Budget)
			results[i].rr, results[i].fs = rr, fs
		}(i, r)
	}
	wg.Wait()
	for _, o := range results {
		if o.rule == nil {
			continue
		}
		res.Rules = append(res.Rules, o.rr)
		for _, f := range o.fs {
			af := Finding{Finding: f}
			if w, expired := c.Policy.Waive(f.Rule, f.Target(), opt.Now); w != nil {
				af.Waived = &Waiver{Reason: w.Reason, Expires: w.Expires.Format("2006-01-02"), Line: w.Line}
				af.WaiverExpired = expired
			}
			res.Findings = append(res.Findings, af)
		}
	}
	sortFindings(res.Findings)
	res.Index = score(res.Findings)
	if res.Findings == nil {
		res.Findings = []Finding{}
	}
	if res.Gaps == nil {
		res.Gaps = []target.Gap{}
	}
	return res
}

// runOne runs one check within its budget. A check that panics is an error;
// one that runs out of time is a timeout; both keep what they reported.
func runOne(ctx context.Context, c *rule.Context, r *rule.Rule, budget time.Duration) (RuleResult, []rule.Finding) {
	start := time.Now()
	rep := rule.NewReport(r)
	done := make(chan error, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				done <- fmt.Errorf("check panicked: %v", p)
			}
		}()
		done <- r.Check(c, rep)
	}()
	rr := RuleResult{Rule: r.ID}
	timer := time.NewTimer(budget)
	defer timer.Stop()
	select {
	case err := <-done:
		switch reason, und := rule.IsUndecided(err); {
		case und:
			rr.Status, rr.Reason = Undecided, reason
		case err != nil:
			rr.Status, rr.Reason = Error, err.Error()
		}
	case <-timer.C:
		rr.Status, rr.Reason = Timeout, fmt.Sprintf("no answer within %v", budget)
	case <-ctx.Done():
		rr.Status, rr.Reason = Error, ctx.Err().Error()
	}
	fs := rep.Findings()
	rr.Findings = len(fs)
	rr.Duration = time.Since(start)
	if rr.Status == "" {
		rr.Status = Pass
		if len(fs) > 0 {
			rr.Status = Fail
		}
	}
	return rr, fs
}

// sortFindings orders findings worst first, then by topic and place.
func sortFindings(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if a.Severity != b.Severity {
			return a.Severity > b.Severity
		}
		if ea, eb := exposureRank[a.Exposure], exposureRank[b.Exposure]; ea != eb {
			return ea < eb
		}
		if a.Topic != b.Topic {
			return a.Topic < b.Topic
		}
		if a.Rule != b.Rule {
			return a.Rule < b.Rule
		}
		if a.Where.File != b.Where.File {
			return a.Where.File < b.Where.File
		}
		return a.Where.Line < b.Where.Line
	})
}
