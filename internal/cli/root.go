// Package cli is bastion's command line: one file per command, each with a
// constructor that builds the cobra command, an options struct that owns its
// flags, and a run function that does the work and that tests call directly.
//
// Output rules: reports go to stdout; diagnostics go to stderr, prefixed
// "bastion: ", lowercase, without a final period.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"bastion/internal/target"
)

// Exit codes, the same for every command.
const (
	ExitOK       = 0 // nothing at or above the failure threshold
	ExitFindings = 1 // something at or above the threshold was found
	ExitError    = 2 // bastion could not do what was asked
)

// exitHelp is printed in the root command's help.
const exitHelp = `Exit status:
  0  success, nothing to report at or above the threshold
  1  something was found at or above the threshold (for services: an
     unexplained listener, with --fail-unexplained)
  2  error: bad flags, unreadable root, bad input`

// Version is set at build time with -ldflags "-X bastion/internal/cli.Version=...".
var Version = ""

func version() string {
	if Version != "" {
		return Version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

// Globals are the flags every command shares.
type Globals struct {
	Root   string
	Format string
	Color  string
	Quiet  bool

	Stdout io.Writer
	Stderr io.Writer
	// isTTY reports whether stdout is a terminal; tests set it.
	isTTY bool
}

// errFindings makes Main exit with ExitFindings without printing an error.
var errFindings = errors.New("findings at or above the threshold")

// usageError is an error in how bastion was called.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// Main runs bastion with args and returns the exit code.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	g := &Globals{Stdout: stdout, Stderr: stderr}
	if f, ok := stdout.(*os.File); ok {
		g.isTTY = term.IsTerminal(int(f.Fd()))
	}
	root := NewRoot(g)
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	switch {
	case err == nil:
		return ExitOK
	case errors.Is(err, errFindings):
		return ExitFindings
	}
	fmt.Fprintf(stderr, "bastion: %v\n", err)
	return ExitError
}

// NewRoot builds the command tree.
func NewRoot(g *Globals) *cobra.Command {
	root := &cobra.Command{
		Use:   "bastion",
		Short: "Audit and harden the network services of Unix and AIX hosts",
		Long: `bastion audits and hardens the network services of Unix and AIX hosts:
what listens and which line starts it, what is unsafe, and how to fix it.
It reads the live host, or an offline copy of one with --root, and never
changes anything unless asked.

` + exitHelp,
		Version:       version(),
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			switch g.Format {
			case "text", "json":
			default:
				return usageError{fmt.Errorf("--format %q: want text or json", g.Format)}
			}
			switch g.Color {
			case "auto", "always", "never":
			default:
				return usageError{fmt.Errorf("--color %q: want auto, always or never", g.Color)}
			}
			return nil
		},
	}
	pf := root.PersistentFlags()
	pf.StringVar(&g.Root, "root", "", "audit the offline root directory `DIR` instead of the live host")
	pf.StringVar(&g.Format, "format", "text", "output format: text or json")
	pf.StringVar(&g.Color, "color", "auto", "colour: auto (when stdout is a terminal), always or never")
	pf.BoolVarP(&g.Quiet, "quiet", "q", false, "print only the report, no summary or gaps")
	_ = root.RegisterFlagCompletionFunc("format", cobra.FixedCompletions([]string{"text", "json"}, cobra.ShellCompDirectiveNoFileComp))
	_ = root.RegisterFlagCompletionFunc("color", cobra.FixedCompletions([]string{"auto", "always", "never"}, cobra.ShellCompDirectiveNoFileComp))
	_ = root.MarkPersistentFlagDirname("root")
	root.SetVersionTemplate("bastion {{.Version}}\n")
	root.AddCommand(newServicesCommand(g))
	root.AddCommand(newAuditCommand(g))
	root.AddCommand(newPasswordsCommand(g))
	root.AddCommand(newHardenCommand(g))
	root.AddCommand(newRulesCommand(g))
	root.AddCommand(newExplainCommand(g))
	root.AddCommand(newInitCommand(g))
	root.AddCommand(newUndoCommand(g))
	root.AddCommand(newHistoryCommand(g))
	root.AddCommand(newVersionCommand(g))
	return root
}

// openTarget opens the live host, or the offline root given with --root.
func (g *Globals) openTarget() (*target.Target, error) {
	if g.Root == "" {
		return target.Local()
	}
	return target.Open(g.Root)
}

// targetName names the target in reports: "this host" or the root.
func (g *Globals) targetName() string {
	if g.Root == "" {
		return "this host"
	}
	return g.Root
}

// color reports whether to colour the output.
func (g *Globals) color() bool {
	switch g.Color {
	case "always":
		return true
	case "never":
		return false
	}
	return g.isTTY && os.Getenv("NO_COLOR") == "" && os.Getenv("TERM") != "dumb"
}

func newVersionCommand(g *Globals) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version of bastion",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			_, err := fmt.Fprintf(g.Stdout, "bastion %s\n", version())
			return err
		},
	}
}
