package audit

import (
	"math"

	"bastion/internal/rule"
	"bastion/internal/severity"
)

// The hardening index starts at 100. Each finding, worst first, takes a
// share of what is left: its weight (by severity) times its exposure factor,
// in percent. The points it took are its Cost, so the costs of all findings
// add up to 100 minus the index, and a report can show what each one cost.
// A waived finding costs nothing; one whose waiver expired costs in full.

// Weights by severity: the percentage of the remaining index a finding of
// full exposure takes.
var Weights = map[severity.Level]float64{
	severity.Critical: 25,
	severity.High:     12,
	severity.Medium:   6,
	severity.Low:      2,
	severity.Info:     0,
}

// Factors by exposure: a service listening on a public address weighs in
// full; a line that starts nothing now weighs a fifth of that.
var Factors = map[rule.Exposure]float64{
	rule.Public:  1.0,
	rule.Unknown: 0.8,
	rule.Host:    0.7,
	rule.Local:   0.4,
	rule.Dormant: 0.2,
}

var exposureRank = map[rule.Exposure]int{rule.Public: 0, rule.Unknown: 1, rule.Host: 2, rule.Local: 3, rule.Dormant: 4}

// score sets each finding's Cost and returns the index, 0 to 100.
func score(fs []Finding) int {
	left := 100.0
	for i := range fs {
		f := &fs[i]
		if f.Waived != nil && !f.WaiverExpired {
			continue
		}
		share := Weights[f.Severity] * Factors[f.Exposure] / 100
		f.Cost = math.Round(left*share*100) / 100
		left -= f.Cost
	}
	return int(math.Round(left))
}
