package cli

import (
	"context"
	"time"

	"github.com/spf13/cobra"

	"bastion/internal/audit"
	"bastion/internal/host"
	"bastion/internal/inventory"
	"bastion/internal/policy"
	"bastion/internal/report"
	"bastion/internal/rule"
	_ "bastion/internal/rules" // the catalogue registers itself
)

// auditOptions are the flags of bastion audit.
type auditOptions struct {
	Policy     string
	ConfigOnly bool
	Rules      []string
	Budget     time.Duration
}

func addAuditFlags(cmd *cobra.Command, opts *auditOptions) {
	f := cmd.Flags()
	f.StringVar(&opts.Policy, "policy", "", "site policy `FILE` (default: the built-in policy for a general-purpose server)")
	f.BoolVar(&opts.ConfigOnly, "config-only", false, "ignore live and captured state; judge configuration alone")
	f.StringSliceVar(&opts.Rules, "rule", nil, "run only the rule `ID` (repeatable)")
	f.DurationVar(&opts.Budget, "rule-timeout", 5*time.Second, "time each rule may take")
	_ = cmd.MarkFlagFilename("policy", "yaml", "yml")
	_ = cmd.RegisterFlagCompletionFunc("rule", completeRuleIDs)
}

func completeRuleIDs(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	var ids []string
	for _, r := range rule.All() {
		ids = append(ids, r.ID+"\t"+r.Title)
	}
	return ids, cobra.ShellCompDirectiveNoFileComp
}

func newAuditCommand(g *Globals) *cobra.Command {
	var opts auditOptions
	cmd := &cobra.Command{
		Use:   "audit",
		Short: "Check the host against every rule and report what is unsafe",
		Long: `Run every rule that applies to the host (live, or --root DIR) and report
the findings grouped by topic, worst first, each at its file and line, with a
hardening index (0-100) that shows what each finding cost.

A finding on a service listening on a public address weighs more than one on
a service bound to loopback or a line that starts nothing now. Waivers in the
site policy keep findings in the report but take them out of the index and
the exit status until they expire.

` + exitHelp,
		Example: `  bastion audit
  bastion audit --root /mnt/aixcopy --policy site.yaml
  bastion audit --format json --rule SVC-TELNET`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runAudit(cmd.Context(), g, opts)
		},
	}
	addAuditFlags(cmd, &opts)
	return cmd
}

// loadPolicy reads the site policy, or returns the built-in one.
func loadPolicy(file string) (*policy.Policy, error) {
	if file == "" {
		return policy.Default(), nil
	}
	return policy.LoadFile(file)
}

// auditHost builds the host model and runs the catalogue on it.
func auditHost(ctx context.Context, g *Globals, opts auditOptions) (*rule.Context, *audit.Result, error) {
	pol, err := loadPolicy(opts.Policy)
	if err != nil {
		return nil, nil, err
	}
	only, err := ruleFilter(opts.Rules)
	if err != nil {
		return nil, nil, err
	}
	t, err := g.openTarget()
	if err != nil {
		return nil, nil, err
	}
	defer t.Close()
	f, err := host.Build(t, host.Options{ConfigOnly: opts.ConfigOnly})
	if err != nil {
		return nil, nil, err
	}
	c := &rule.Context{Facts: f, Inventory: inventory.Build(f, t.String()), Policy: pol}
	res := audit.Run(ctx, c, audit.Options{Budget: opts.Budget, Only: only})
	return c, res, nil
}

// ruleFilter turns --rule values into a set, refusing unknown ids.
func ruleFilter(ids []string) (map[string]bool, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	only := map[string]bool{}
	for _, id := range ids {
		if _, ok := rule.Lookup(id); !ok {
			return nil, usageError{errUnknownRule(id)}
		}
		only[id] = true
	}
	return only, nil
}

func runAudit(ctx context.Context, g *Globals, opts auditOptions) error {
	_, res, err := auditHost(ctx, g, opts)
	if err != nil {
		return err
	}
	if g.Format == "json" {
		err = report.JSON(g.Stdout, res)
	} else {
		err = report.Audit(g.Stdout, res, report.Options{Color: g.color(), Quiet: g.Quiet})
	}
	if err != nil {
		return err
	}
	if res.Failed() {
		return errFindings
	}
	return nil
}
