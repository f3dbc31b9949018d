package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"path"
	"time"

	"github.com/spf13/cobra"

	"bastion/internal/inventory"
	"bastion/internal/policy"
)

// initOptions are the flags of bastion init.
type initOptions struct {
	Out   string
	Force bool
}

func newInitCommand(g *Globals) *cobra.Command {
	var opts initOptions
	cmd := &cobra.Command{
		Use:   "init",
		Short: "Write a site policy that allows exactly what the host runs now",
		Long: `Write a commented site policy (YAML) that allows every service the host
runs or is configured to run now, for the administrator to cut down: decide
what services you are going to run, and turn off everything else.`,
		Example: `  bastion init --out /etc/bastion/policy.yaml
  bastion init --root /mnt/aixcopy > site.yaml`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runInit(cmd.Context(), g, opts)
		},
	}
	cmd.Flags().StringVarP(&opts.Out, "out", "o", "", "write the policy to `FILE` instead of standard output")
	cmd.Flags().BoolVar(&opts.Force, "force", false, "overwrite FILE if it exists")
	return cmd
}

func runInit(ctx context.Context, g *Globals, opts initOptions) error {
	c, res, err := auditHost(ctx, g, auditOptions{})
	if err != nil {
		return err
	}
	in := initInput(c.Inventory)
	// Services the audit flags that have no port of their own (a search
	// engine started from inittab) run now too.
	listed := map[string]bool{}
	for _, s := range in.Services {
		listed[s.Name] = true
	}
	for _, f := range res.Findings {
		if f.Topic != "services" || f.Start == nil || f.Service == "" || listed[f.Service] {
			continue
		}
		listed[f.Service] = true
		in.Services = append(in.Services, policy.InitService{Name: f.Service, Daemon: f.Start.Program, StartedFrom: f.Where.String()})
	}
	if opts.Out == "" {
		return writePolicy(g.Stdout, in)
	}
	flags := os.O_WRONLY | os.O_CREATE | os.O_EXCL
	if opts.Force {
		flags = os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	}
	f, err := os.OpenFile(opts.Out, flags, 0o644)
	if err != nil {
		return fmt.Errorf("write policy: %w", err)
	}
	if err := writePolicy(f, in); err != nil {
		f.Close()
		return fmt.Errorf("write policy: %w", err)
	}
	return f.Close()
}

// initInput lists the services of the inventory that run or would run.
func initInput(inv *inventory.Inventory) policy.InitInput {
	in := policy.InitInput{Host: inv.Target, Platform: inv.Platform.Name, Date: time.Now()}
	for _, r := range inv.Rows {
		if r.State == inventory.Disabled {
			continue
		}
		from := "nothing known starts it"
		if r.StartedFrom != nil {
			from = r.StartedFrom.String()
		}
		name := r.Name
		if name == "" {
			name = path.Base(r.Daemon)
		}
		if name == "" || name == "." {
			continue
		}
		in.Services = append(in.Services, policy.InitService{
			Name: name, Daemon: r.Daemon, StartedFrom: from,
			Listening: r.State == inventory.Listening || r.State == inventory.Unexplained,
		})
	}
	return in
}

func writePolicy(w io.Writer, in policy.InitInput) error { return policy.Write(w, in) }
