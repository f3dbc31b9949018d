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
	"bastion/internal/target"
)

// hardenOptions are the flags of bastion harden.
type hardenOptions struct {
	auditOptions
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
diff applies with "patch -p1 -d ROOT". Nothing is written to the target.`,
		Example: `  bastion harden --root /mnt/aixcopy --policy site.yaml > fix.patch
  bastion harden --rule SVC-TELNET --out plan.json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runHarden(cmd.Context(), g, opts)
		},
	}
	addAuditFlags(cmd, &opts.auditOptions)
	cmd.Flags().StringVar(&opts.Out, "out", "", "also save the plan as JSON in `FILE`, for review and a later apply")
	return cmd
}

func runHarden(ctx context.Context, g *Globals, opts hardenOptions) error {
	c, res, err := auditHost(ctx, g, opts.auditOptions)
	if err != nil {
		return err
	}
	plan := buildPlan(c, res.Findings)
	t, err := g.openTarget()
	if err != nil {
		return err
	}
	defer t.Close()
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
	return plan.WriteDiff(g.Stdout, readFrom(t))
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

// readFrom reads files of the plan from the target.
func readFrom(t *target.Target) func(string) ([]byte, error) {
	return t.ReadFile
}
