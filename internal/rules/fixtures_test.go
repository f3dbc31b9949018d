package rules

import (
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"

	"bastion/internal/policy"
	"bastion/internal/remedy"
	"bastion/internal/rule"
)

// overlay sets files, given as name, content pairs, in a file tree; the
// content "<none>" takes the file out.
func overlay(m map[string]string, files ...string) map[string]string {
	for i := 0; i+1 < len(files); i += 2 {
		if files[i+1] == "<none>" {
			delete(m, files[i])
			continue
		}
		m[files[i]] = files[i+1]
	}
	return m
}

// findingsOf runs the rules keep selects, of those that apply to the
// target's platform, and returns their findings as "RULE file[:line]",
// sorted, with the findings themselves.
func findingsOf(t *testing.T, c *rule.Context, keep func(*rule.Rule) bool) ([]string, []rule.Finding) {
	t.Helper()
	var got []string
	var all []rule.Finding
	for _, r := range rule.All() {
		if !keep(r) || !r.AppliesTo(c.Facts.Platform.OS) {
			continue
		}
		_, fs := outcome(t, r.ID, c)
		for _, f := range fs {
			got = append(got, f.Rule+" "+f.Where.String())
			all = append(all, f)
		}
	}
	sort.Strings(got)
	return got, all
}

// fixtureCase is a fixture root and the findings expected on it, under a
// policy (nil: the built-in default).
type fixtureCase struct {
	root string
	pol  *policy.Policy
	want []string
}

// findFunc runs a topic's rules; see findingsOf.
type findFunc func(*testing.T, *rule.Context) ([]string, []rule.Finding)

// checkFixtures checks each fixture root, copied by copyRoot, has exactly
// the findings listed, each complete.
func checkFixtures(t *testing.T, cases []fixtureCase, copyRoot func(*testing.T, string) string, find findFunc) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.root, func(t *testing.T) {
			got, fs := find(t, mailContext(t, copyRoot(t, tc.root), orDefault(tc.pol)))
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
			for _, f := range fs {
				if f.Found == "" || f.Expected == "" || f.Exposure == "" {
					t.Errorf("incomplete finding %+v", f)
				}
			}
		})
	}
}

// checkFixed makes every fix of each fixture root's findings in a copy,
// as one plan, and checks exactly the findings listed are left.
func checkFixed(t *testing.T, cases []fixtureCase, copyRoot func(*testing.T, string) string, find findFunc) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.root, func(t *testing.T) {
			dir := copyRoot(t, tc.root)
			pol := orDefault(tc.pol)
			c := mailContext(t, dir, pol)
			_, fs := find(t, c)
			var p remedy.Plan
			for _, f := range fs {
				r, _ := rule.Lookup(f.Rule)
				if r.Fix != nil {
					p.Add(r.Fix(c, f)...)
				}
			}
			mailApplyPlan(t, dir, &p)
			got, _ := find(t, mailContext(t, dir, pol))
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("after the fixes (-want +got):\n%s", diff)
			}
		})
	}
}

// orDefault returns the policy, or the built-in default for nil.
func orDefault(p *policy.Policy) *policy.Policy {
	if p == nil {
		return policy.Default()
	}
	return p
}
