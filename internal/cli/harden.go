package cli

import (
	"context"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"bastion/internal/audit"
	"bastion/internal/remedy"
	"bastion/internal/report"
	"bastion/internal/rule"
)

// hardenOptions are the flags of bastion harden.
type hardenOptions struct {
	auditOptions
	applyOptions
	Out string
}

func newHardenCommand(g *Globals) *cobra.Command {
	var opts hardenOptions
	cmd := &cobra.Command{
		Use:   "harden",
		Short: "Show the changes that would fix the findings, as a diff (changes nothing)",
		Long: `Audit the host, then build the plan of changes that fixes every finding
that has a safe remedy (or only those of --rule), and print it as a unified
diff followed by the commands to run afterwards, to review like a patch. The
diff applies with "patch -p1 -d ROOT". Nothing is written to the target.

With --apply, make the changes: after a confirmation (unless --yes), the
journal records every original first, each file is replaced atomically
(owner, group and mode kept), a failed step puts back every file changed so
far, commands run on a live host only, and the host is audited again. A file
that changed since the plan was made is not touched: the run stops before
changing anything. bastion undo puts everything back.`,
		Example: `  bastion harden --root /mnt/aixcopy --policy site.yaml > fix.patch
  bastion harden --rule SVC-TELNET --out plan.json
  bastion harden --apply --plan plan.json
  bastion harden --apply --yes --root /mnt/aixcopy`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runHarden(cmd.Context(), g, opts)
		},
	}
	addAuditFlags(cmd, &opts.auditOptions)
	addApplyFlags(cmd, &opts.applyOptions)
	addStateFlag(cmd, &opts.StateDir)
	cmd.Flags().StringVar(&opts.Out, "out", "", "also save the plan as JSON in `FILE`, for review and a later --apply --plan")
	return cmd
}

func runHarden(ctx context.Context, g *Globals, opts hardenOptions) error {
	c, res, err := auditHost(ctx, g, opts.auditOptions)
	if err != nil {
		return err
	}
	plan := buildPlan(c, res.Findings)
	if opts.PlanFile != "" {
		if !opts.Apply {
			return usageError{fmt.Errorf("--plan applies a saved plan: add --apply")}
		}
		if plan, err = loadPlan(opts.PlanFile); err != nil {
			return err
		}
	}
	t, err := g.openTarget()
	if err != nil {
		return err
	}
	defer t.Close()
	if plan.Target == "" {
		plan.Target = identity(t)
	}
	if opts.Apply {
		t.Close()
		return runApply(ctx, g, opts, plan, res)
	}
	if opts.Out != "" {
		f, err := os.OpenFile(opts.Out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return fmt.Errorf("save plan: %w", err)
		}
		if err := report.JSON(f, plan); err != nil {
			f.Close()
			return fmt.Errorf("save plan: %w", err)
		}
		if err := f.Close(); err != nil {
			return fmt.Errorf("save plan: %w", err)
		}
	}
	if g.Format == "json" {
		return report.JSON(g.Stdout, plan)
	}
	return plan.WriteDiff(g.Stdout, t.ReadFile)
}

// buildPlan collects the fixes of every finding that is not waived.
func buildPlan(c *rule.Context, findings []audit.Finding) *remedy.Plan {
	plan := &remedy.Plan{}
	for _, f := range findings {
		if f.Waived != nil && !f.WaiverExpired {
			continue
		}
		r, ok := rule.Lookup(f.Rule)
		if !ok || r.Fix == nil {
			continue
		}
		plan.Add(r.Fix(c, f.Finding)...)
	}
	return plan
}
