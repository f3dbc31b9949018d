package audit

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"bastion/internal/host"
	"bastion/internal/inventory"
	"bastion/internal/policy"
	"bastion/internal/rule"
	"bastion/internal/severity"
	"bastion/internal/target"
)

func finding(file string, line int, e rule.Exposure) rule.Finding {
	return rule.Finding{Where: rule.Location{File: file, Line: line}, Found: "x", Expected: "y", Exposure: e}
}

// The test binary's catalogue: one rule for every way a check can end.
func init() {
	base := rule.Rule{Topic: "test", Rationale: "r", Remediation: "m", Severity: severity.High}
	add := func(id string, sev severity.Level, check func(*rule.Context, *rule.Report) error, os ...target.OS) {
		r := base
		r.ID, r.Title, r.Severity, r.Check, r.Platforms = id, id, sev, check, os
		rule.Register(r)
	}
	add("TEST-PASS", severity.High, func(*rule.Context, *rule.Report) error { return nil })
	add("TEST-FAIL", severity.High, func(c *rule.Context, r *rule.Report) error {
		r.Add(finding("/etc/inetd.conf", 13, rule.Public))
		r.Add(finding("/etc/inetd.conf", 31, rule.Dormant))
		return nil
	})
	add("TEST-LOW", severity.Low, func(c *rule.Context, r *rule.Report) error {
		r.Add(finding("/etc/x", 1, rule.Host))
		return nil
	})
	add("TEST-PANIC", severity.Medium, func(c *rule.Context, r *rule.Report) error {
		r.Add(finding("/etc/panic", 1, rule.Host))
		var m map[string]int
		m["boom"]++ // a bug in a check
		return nil
	})
	add("TEST-SLOW", severity.Medium, func(c *rule.Context, r *rule.Report) error {
		r.Add(finding("/etc/slow", 1, rule.Host))
		time.Sleep(2 * time.Second)
		return nil
	})
	add("TEST-ERROR", severity.Medium, func(*rule.Context, *rule.Report) error { return errors.New("broken model") })
	add("TEST-UNDECIDED", severity.Medium, func(*rule.Context, *rule.Report) error { return rule.Undecided("no captured no -a") })
	add("TEST-AIX-ONLY", severity.Critical, func(c *rule.Context, r *rule.Report) error {
		r.Add(finding("/etc/aix", 1, rule.Public))
		return nil
	}, target.AIX)
}

func ctx(pol *policy.Policy) *rule.Context {
	f := &host.Facts{Platform: target.Platform{OS: target.Linux}}
	return &rule.Context{Facts: f, Inventory: &inventory.Inventory{Target: "test"}, Policy: pol}
}

func TestRun(t *testing.T) {
	start := time.Now()
	res := Run(context.Background(), ctx(policy.Default()), Options{Budget: 200 * time.Millisecond})
	if time.Since(start) > 1500*time.Millisecond {
		t.Errorf("a slow rule held up the run: %v", time.Since(start))
	}
	status := map[string]RuleResult{}
	for _, r := range res.Rules {
		status[r.Rule] = r
	}
	for id, want := range map[string]Status{
		"TEST-PASS": Pass, "TEST-FAIL": Fail, "TEST-LOW": Fail, "TEST-PANIC": Error, "TEST-SLOW": Timeout,
		"TEST-ERROR": Error, "TEST-UNDECIDED": Undecided, "TEST-AIX-ONLY": Skipped,
	} {
		if got := status[id]; got.Status != want {
			t.Errorf("%s: %s (%s), want %s", id, got.Status, got.Reason, want)
		}
	}
	if r := status["TEST-PANIC"]; !strings.Contains(r.Reason, "panicked") || r.Findings != 1 {
		t.Errorf("panic result %+v: want the reason and the finding made before it", r)
	}
	if r := status["TEST-SLOW"]; r.Findings != 1 {
		t.Errorf("timeout result %+v: want the finding made before it", r)
	}
	if r := status["TEST-UNDECIDED"]; r.Reason != "no captured no -a" {
		t.Errorf("undecided reason %q", r.Reason)
	}
	// Worst first; the public listener before the dormant line.
	if len(res.Findings) < 3 || res.Findings[0].Where.Line != 13 || res.Findings[1].Where.Line != 31 {
		t.Fatalf("order: %+v", res.Findings)
	}
	if res.Findings[0].Cost <= res.Findings[1].Cost {
		t.Errorf("public finding costs %.2f, dormant %.2f", res.Findings[0].Cost, res.Findings[1].Cost)
	}
	total := 0.0
	for _, f := range res.Findings {
		total += f.Cost
	}
	if math.Abs(100-total-float64(res.Index)) > 0.6 {
		t.Errorf("costs %.2f and index %d do not add up to 100", total, res.Index)
	}
	if !res.Failed() {
		t.Error("a high finding under fail_on high did not fail the run")
	}
}

func TestWaiversAndThreshold(t *testing.T) {
	pol, err := policy.Load(strings.NewReader(`version: 1
fail_on: critical
waivers:
  - rule: TEST-FAIL
    target: /etc/inetd.conf
    reason: accepted for now
    expires: 2999-12-31
  - rule: TEST-LOW
    reason: old
    expires: 2001-01-01
`), "policy.yaml")
	if err != nil {
		t.Fatal(err)
	}
	res := Run(context.Background(), ctx(pol), Options{Budget: 100 * time.Millisecond, Only: map[string]bool{"TEST-FAIL": true, "TEST-LOW": true}})
	if len(res.Rules) != 2 {
		t.Errorf("ran %d rules, want the 2 asked for", len(res.Rules))
	}
	for _, f := range res.Findings {
		switch f.Rule {
		case "TEST-FAIL":
			if f.Waived == nil || f.WaiverExpired || f.Cost != 0 {
				t.Errorf("waived finding %+v", f)
			}
		case "TEST-LOW":
			if f.Waived == nil || !f.WaiverExpired || f.Cost == 0 {
				t.Errorf("expired waiver %+v", f)
			}
		}
	}
	if res.Failed() {
		t.Error("nothing critical, yet the run failed")
	}
	if res.Index > 100 || res.Index < 98 {
		t.Errorf("index %d with only a low finding left", res.Index)
	}
}

func TestScore(t *testing.T) {
	if got := score(nil); got != 100 {
		t.Errorf("empty score %d", got)
	}
	fs := make([]Finding, 50)
	for i := range fs {
		fs[i].Severity, fs[i].Exposure = severity.Critical, rule.Public
	}
	if got := score(fs); got < 0 || got > 1 {
		t.Errorf("50 critical public findings score %d", got)
	}
}
