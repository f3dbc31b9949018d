package report

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"bastion/internal/audit"
	"bastion/internal/severity"
)

var sevColor = map[severity.Level]string{
	severity.Critical: red + bold,
	severity.High:     red,
	severity.Medium:   yellow,
	severity.Low:      green,
	severity.Info:     dim,
}

// Audit writes an audit result for people: the index, the findings grouped
// by topic (the topic with the worst finding first), what each cost, then
// what could not be checked.
func Audit(w io.Writer, res *audit.Result, o Options) error {
	fmt.Fprintf(w, "%s %s (%s), policy: %s\n", paint(o.Color, bold, "bastion audit:"), res.Target, orDash(res.Platform.Name), res.Policy)
	fmt.Fprintf(w, "Hardening index: %s/100  (%d findings; each takes a share of what is left, by severity and exposure)\n",
		paint(o.Color, bold, fmt.Sprint(res.Index)), len(res.Findings))

	topics := map[string][]audit.Finding{}
	var order []string
	for _, f := range res.Findings {
		if _, ok := topics[f.Topic]; !ok {
			order = append(order, f.Topic)
		}
		topics[f.Topic] = append(topics[f.Topic], f)
	}
	for _, t := range order {
		fmt.Fprintf(w, "\n%s\n", paint(o.Color, bold, strings.ToUpper(t)))
		for _, f := range topics[t] {
			sev := fmt.Sprintf("%-8s", strings.ToUpper(f.Severity.String()))
			fmt.Fprintf(w, "  %s %s  %s\n", paint(o.Color, sevColor[f.Severity], sev), f.Rule, f.Title)
			if loc := f.Where.String(); loc != "" {
				fmt.Fprintf(w, "           at:       %s\n", loc)
			}
			fmt.Fprintf(w, "           found:    %s\n", f.Found)
			fmt.Fprintf(w, "           expected: %s\n", f.Expected)
			cost := fmt.Sprintf("cost %.1f points (%s, exposure %s)", f.Cost, f.Severity, f.Exposure)
			switch {
			case f.Waived != nil && f.WaiverExpired:
				cost += fmt.Sprintf("; waiver expired on %s, no longer applies", f.Waived.Expires)
			case f.Waived != nil:
				cost = fmt.Sprintf("waived until %s: %s", f.Waived.Expires, f.Waived.Reason)
			}
			fmt.Fprintf(w, "           %s\n", paint(o.Color, dim, cost))
		}
	}
	if len(res.Findings) == 0 {
		fmt.Fprintln(w, "\nNo findings.")
	}
	if o.Quiet {
		return nil
	}
	n := map[audit.Status]int{}
	var notRun []audit.RuleResult
	for _, r := range res.Rules {
		n[r.Status]++
		if r.Status != audit.Pass && r.Status != audit.Fail && r.Status != audit.Skipped {
			notRun = append(notRun, r)
		}
	}
	var parts []string
	for _, s := range []audit.Status{audit.Fail, audit.Pass, audit.Undecided, audit.Error, audit.Timeout, audit.Skipped} {
		if n[s] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n[s], s))
		}
	}
	fmt.Fprintf(w, "\nRules: %d (%s). Fails at %s and above.\n", len(res.Rules), strings.Join(parts, ", "), res.FailOn)
	if len(notRun) > 0 || len(res.Gaps) > 0 {
		fmt.Fprintf(w, "\n%s\n", paint(o.Color, bold, "Not checked:"))
		sort.Slice(notRun, func(i, j int) bool { return notRun[i].Rule < notRun[j].Rule })
		for _, r := range notRun {
			fmt.Fprintf(w, "  %s %s: %s\n", r.Rule, r.Status, r.Reason)
		}
		for _, g := range res.Gaps {
			loc := g.Path
			if g.Line > 0 {
				loc = fmt.Sprintf("%s:%d", g.Path, g.Line)
			}
			fmt.Fprintf(w, "  %s: %s (%s)\n", loc, g.Reason, g.What)
		}
	}
	return nil
}
