package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"bastion/internal/apply"
	"bastion/internal/audit"
	"bastion/internal/journal"
	"bastion/internal/remedy"
	"bastion/internal/report"
	"bastion/internal/target"
)

// applyOptions are the flags that change a target.
type applyOptions struct {
	Apply    bool
	Yes      bool
	PlanFile string
	StateDir string
}

func addApplyFlags(cmd *cobra.Command, o *applyOptions) {
	f := cmd.Flags()
	f.BoolVar(&o.Apply, "apply", false, "make the changes (journaled; bastion undo puts them back)")
	f.BoolVarP(&o.Yes, "yes", "y", false, "do not ask before applying")
	f.StringVar(&o.PlanFile, "plan", "", "apply the saved plan `FILE` (from --out) instead of a new one")
	_ = cmd.MarkFlagFilename("plan", "json")
}

func addStateFlag(cmd *cobra.Command, dir *string) {
	cmd.Flags().StringVar(dir, "state-dir", "", "journal `DIR` (default /var/lib/bastion on the target: inside --root for an offline root)")
}

// identity names a target for plans: the host name of a live host, the
// directory of a root.
func identity(t *target.Target) string {
	if t.Live() {
		h, _ := os.Hostname()
		return "local host " + h
	}
	return t.String()
}

// openJournal opens the state directory of a target.
func openJournal(t *target.Target, dir string) (*journal.Store, error) {
	if dir == "" {
		p, err := t.Resolve("/var/lib/bastion")
		if err != nil && !target.IsNotExist(err) {
			return nil, err
		}
		dir = filepath.Join(t.Dir(), p)
	}
	return journal.Open(dir)
}

// checkPrivilege refuses to change a live host without root.
func checkPrivilege(t *target.Target) error {
	if t.Live() && os.Geteuid() != 0 {
		return fmt.Errorf("changing the live host needs root: it writes files under /etc owned by root and runs refresh, stopsrc or systemctl (run as root, or use --root on a copy)")
	}
	return nil
}

// confirm asks on a terminal; without one, --yes is required.
func confirm(g *Globals, question string) error {
	in := os.Stdin
	if !term.IsTerminal(int(in.Fd())) {
		return usageError{fmt.Errorf("not asking on a non-terminal: add --yes to apply")}
	}
	fmt.Fprintf(g.Stderr, "%s [y/N] ", question)
	answer, _ := bufio.NewReader(in).ReadString('\n')
	if a := strings.ToLower(strings.TrimSpace(answer)); a != "y" && a != "yes" {
		return fmt.Errorf("not applied")
	}
	return nil
}

// runApply applies a plan to the target and audits again.
func runApply(ctx context.Context, g *Globals, opts hardenOptions, plan *remedy.Plan, before *audit.Result) error {
	t, err := g.openTarget()
	if err != nil {
		return err
	}
	defer t.Close()
	if plan.Target != "" && plan.Target != identity(t) {
		return fmt.Errorf("the plan was made for %s, not %s (nothing was changed)", plan.Target, identity(t))
	}
	if err := checkPrivilege(t); err != nil {
		return err
	}
	if len(plan.Changes) == 0 {
		fmt.Fprintln(g.Stdout, "Nothing to change.")
		return nil
	}
	if !opts.Yes {
		if err := plan.WriteDiff(g.Stdout, t.ReadFile); err != nil {
			return err
		}
		if err := confirm(g, fmt.Sprintf("Apply these changes to %s?", t)); err != nil {
			return err
		}
	}
	j, err := openJournal(t, opts.StateDir)
	if err != nil {
		return err
	}
	defer j.Close()
	run, err := apply.Apply(ctx, t, j, plan, apply.Options{Commands: true, Log: g.Stderr})
	if err != nil {
		return err
	}
	fmt.Fprintf(g.Stdout, "Applied run %s: %d files changed; bastion undo --run %s puts them back.\n", run.ID, len(run.Files), run.ID)
	if !t.Live() {
		fmt.Fprintln(g.Stdout, "Offline root: no command was run; the changes take effect at next boot.")
	}
	if run.Note != "" {
		fmt.Fprintln(g.Stdout, run.Note)
	}
	// Verify: audit again and say what is gone and what remains. Captured
	// state in an offline root predates the run, so there only the
	// configuration is judged.
	vo := opts.auditOptions
	vo.ConfigOnly = vo.ConfigOnly || !t.Live()
	_, after, err := auditHost(ctx, g, vo)
	if err != nil {
		return err
	}
	return verify(g, before, after)
}

// verify compares the findings before and after a run.
func verify(g *Globals, before, after *audit.Result) error {
	key := func(f audit.Finding) string { return f.Rule + " " + f.Where.String() }
	remain := map[string]bool{}
	for _, f := range after.Findings {
		remain[key(f)] = true
	}
	gone := 0
	for _, f := range before.Findings {
		if !remain[key(f)] {
			gone++
		}
	}
	fmt.Fprintf(g.Stdout, "Verify: %d findings fixed, %d remain; hardening index %d -> %d.\n", gone, len(after.Findings), before.Index, after.Index)
	for _, f := range after.Findings {
		fmt.Fprintf(g.Stdout, "  remains: %s %s %s\n", f.Rule, f.Where, f.Title)
	}
	return nil
}

// loadPlan reads a plan saved with --out.
func loadPlan(file string) (*remedy.Plan, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var p remedy.Plan
	if err := json.Unmarshal(data, &p); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	return &p, nil
}

// undoOptions are the flags of bastion undo.
type undoOptions struct {
	Run      string
	Force    bool
	StateDir string
}

func newUndoCommand(g *Globals) *cobra.Command {
	var opts undoOptions
	cmd := &cobra.Command{
		Use:   "undo",
		Short: "Put back every change of the last run (or --run ID), byte for byte",
		Long: `Restore every file a run changed, byte for byte with its mode, owner and
group, from the journal; then, on a live host, run the inverse of each command
(startsrc for stopsrc, systemctl enable for disable, refresh again). Undo
refuses, naming them, where files changed after the run, unless --force. A
run that was cut off is undone as far as it went.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runUndo(cmd.Context(), g, opts)
		},
	}
	cmd.Flags().StringVar(&opts.Run, "run", "", "undo the run `ID` (bastion history lists them)")
	cmd.Flags().BoolVar(&opts.Force, "force", false, "restore files that changed after the run as well")
	addStateFlag(cmd, &opts.StateDir)
	return cmd
}

func runUndo(ctx context.Context, g *Globals, opts undoOptions) error {
	t, err := g.openTarget()
	if err != nil {
		return err
	}
	defer t.Close()
	if err := checkPrivilege(t); err != nil {
		return err
	}
	j, err := openJournal(t, opts.StateDir)
	if err != nil {
		return err
	}
	defer j.Close()
	var run *journal.Run
	if opts.Run != "" {
		if run, err = j.Load(opts.Run); err != nil {
			return err
		}
	} else {
		runs, err := j.List()
		if err != nil {
			return err
		}
		if len(runs) == 0 {
			// A run cut off before its record was written changed nothing;
			// its directory is all that is left of it.
			if ids, err := j.Prune(); err == nil && len(ids) > 0 {
				fmt.Fprintf(g.Stdout, "No run to undo: removed the journal of %d runs cut off before they changed anything.\n", len(ids))
				return nil
			}
			return fmt.Errorf("no run to undo in %s", j.Dir())
		}
		run = runs[0]
	}
	restored, err := apply.Undo(ctx, t, j, run, apply.UndoOptions{Force: opts.Force, Commands: true, Log: g.Stderr})
	if err != nil {
		return err
	}
	fmt.Fprintf(g.Stdout, "Undid run %s: %d files restored.\n", run.ID, len(restored))
	return nil
}

func newHistoryCommand(g *Globals) *cobra.Command {
	var stateDir string
	cmd := &cobra.Command{
		Use:   "history",
		Short: "List the runs that changed this target",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			t, err := g.openTarget()
			if err != nil {
				return err
			}
			defer t.Close()
			j, err := openJournal(t, stateDir)
			if err != nil {
				return err
			}
			defer j.Close()
			runs, err := j.List()
			if err != nil {
				return err
			}
			if g.Format == "json" {
				if runs == nil {
					runs = []*journal.Run{}
				}
				return writeJSON(g, runs)
			}
			tw := tabwriter.NewWriter(g.Stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "RUN\tSTARTED\tSTATUS\tFILES\tNOTE")
			for _, r := range runs {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\n", r.ID, r.Started.Local().Format("2006-01-02 15:04"), r.Status, len(r.Files), r.Note)
			}
			return tw.Flush()
		},
	}
	addStateFlag(cmd, &stateDir)
	return cmd
}

func writeJSON(g *Globals, v any) error { return report.JSON(g.Stdout, v) }
