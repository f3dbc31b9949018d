package cli

import (
	"context"

	"github.com/spf13/cobra"

	"bastion/internal/host"
	"bastion/internal/inventory"
	"bastion/internal/report"
)

// servicesOptions are the flags of bastion services.
type servicesOptions struct {
	ConfigOnly      bool
	FailUnexplained bool
	Wide            bool
}

func newServicesCommand(g *Globals) *cobra.Command {
	var opts servicesOptions
	cmd := &cobra.Command{
		Use:   "services",
		Short: "List what listens, which daemon serves it and which line starts it",
		Long: `List every port the host listens on or is configured to listen on: the
well-known name, the daemon, the file and line (or unit) that starts it, the
package that installed it, and its state:

  listening      seen listening, and a start-up file explains it
  unexplained    seen listening, and nothing bastion knows starts it
  not-listening  configured to start, but not seen listening
  predicted      configured to start; no live or captured state to compare
  disabled       in a start-up file, but turned off

On the live host the listening sockets come from the kernel. With --root
they come from output captured on the host (see docs/CAPTURE.md); without
it, or with --config-only, the rows are predicted from configuration.`,
		Example: `  bastion services
  bastion services --root /mnt/aixcopy --format json
  bastion services --config-only --fail-unexplained`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runServices(cmd.Context(), g, opts)
		},
	}
	f := cmd.Flags()
	f.BoolVar(&opts.ConfigOnly, "config-only", false, "ignore live and captured state; predict from configuration alone")
	f.BoolVar(&opts.FailUnexplained, "fail-unexplained", false, "exit 1 when something listens that nothing explains")
	f.BoolVarP(&opts.Wide, "wide", "w", false, "add addresses, processes, packages and notes to the table")
	return cmd
}

// runServices builds and prints the services inventory.
func runServices(ctx context.Context, g *Globals, opts servicesOptions) error {
	inv, err := services(g, opts)
	if err != nil {
		return err
	}
	ro := report.Options{Color: g.color(), Quiet: g.Quiet, Wide: opts.Wide}
	if g.Format == "json" {
		err = report.JSON(g.Stdout, inv)
	} else {
		err = report.Services(g.Stdout, inv, ro)
	}
	if err != nil {
		return err
	}
	if opts.FailUnexplained {
		for _, r := range inv.Rows {
			if r.State == inventory.Unexplained {
				return errFindings
			}
		}
	}
	return nil
}

// services reads the target and builds its inventory.
func services(g *Globals, opts servicesOptions) (*inventory.Inventory, error) {
	t, err := g.openTarget()
	if err != nil {
		return nil, err
	}
	defer t.Close()
	f, err := host.Build(t, host.Options{ConfigOnly: opts.ConfigOnly, ServicesOnly: true})
	if err != nil {
		return nil, err
	}
	return inventory.Build(f, t.String()), nil
}
