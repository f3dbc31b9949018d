package cli

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"bastion/internal/report"
	"bastion/internal/rule"
)

func errUnknownRule(id string) error {
	return fmt.Errorf("unknown rule %q (bastion rules lists them)", id)
}

func newRulesCommand(g *Globals) *cobra.Command {
	return &cobra.Command{
		Use:   "rules",
		Short: "List the rule catalogue",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			rules := rule.All()
			if g.Format == "json" {
				return report.JSON(g.Stdout, ruleDocs(rules))
			}
			tw := tabwriter.NewWriter(g.Stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tSEVERITY\tTOPIC\tPLATFORMS\tTITLE")
			for _, r := range rules {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", r.ID, r.Severity, r.Topic, platforms(r), r.Title)
			}
			return tw.Flush()
		},
	}
}

func newExplainCommand(g *Globals) *cobra.Command {
	return &cobra.Command{
		Use:               "explain ID",
		Short:             "Print one rule in full: why, how to fix, references",
		Args:              cobra.ExactArgs(1),
		ValidArgsFunction: completeRuleIDs,
		RunE: func(cmd *cobra.Command, args []string) error {
			r, ok := rule.Lookup(strings.ToUpper(args[0]))
			if !ok {
				return usageError{errUnknownRule(args[0])}
			}
			if g.Format == "json" {
				return report.JSON(g.Stdout, ruleDocs([]*rule.Rule{r})[0])
			}
			w := g.Stdout
			fmt.Fprintf(w, "%s: %s\n\n", r.ID, r.Title)
			fmt.Fprintf(w, "Severity:   %s\nTopic:      %s\nPlatforms:  %s\nFixable:    %v\n\n", r.Severity, r.Topic, platforms(r), r.Fix != nil)
			fmt.Fprintf(w, "Why:\n  %s\n\nFix:\n  %s\n", r.Rationale, r.Remediation)
			if len(r.References) > 0 {
				fmt.Fprintf(w, "\nReferences:\n  %s\n", strings.Join(r.References, "\n  "))
			}
			return nil
		},
	}
}

func platforms(r *rule.Rule) string {
	if len(r.Platforms) == 0 {
		return "all"
	}
	var s []string
	for _, p := range r.Platforms {
		s = append(s, string(p))
	}
	return strings.Join(s, ",")
}

// ruleDoc is the JSON form of a rule.
type ruleDoc struct {
	ID          string   `json:"id"`
	Title       string   `json:"title"`
	Severity    string   `json:"severity"`
	Topic       string   `json:"topic"`
	Platforms   string   `json:"platforms"`
	Rationale   string   `json:"rationale"`
	Remediation string   `json:"remediation"`
	References  []string `json:"references,omitempty"`
	Fixable     bool     `json:"fixable"`
}

func ruleDocs(rules []*rule.Rule) []ruleDoc {
	out := make([]ruleDoc, 0, len(rules))
	for _, r := range rules {
		out = append(out, ruleDoc{r.ID, r.Title, r.Severity.String(), r.Topic, platforms(r), r.Rationale, r.Remediation, r.References, r.Fix != nil})
	}
	return out
}
