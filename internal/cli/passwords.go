package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"bastion/internal/crack"
	"bastion/internal/crypt"
	"bastion/internal/host"
)

// passwordsOptions are the flags of bastion passwords.
type passwordsOptions struct {
	Wordlist  string
	NoBuiltin bool
	Workers   int
	DryRun    bool
	// progress is where the progress bar goes; nil for none. Tests set it.
	progress io.Writer
}

func newPasswordsCommand(g *Globals) *cobra.Command {
	var opts passwordsOptions
	cmd := &cobra.Command{
		Use:   "passwords",
		Short: "Find accounts whose password an attacker would guess first",
		Long: `Try the passwords an attacker tries first against every password hash of
the target: a short list of the most common passwords shipped with bastion,
guesses made from each account (its name, reversed, doubled, with digits,
the words of its GECOS field, the host name), and, with --wordlist, a list
of your own. Every hash scheme of Linux and AIX is checked with its real
algorithm: DES, MD5, SHA-256 and SHA-512 crypt, bcrypt, yescrypt, scrypt,
AIX smd5 and ssha. The work runs on every core.

Only the account and the kind of guess that matched are reported: never a
password, never a hash. Nothing is written anywhere; locked accounts are
not tried. Exit status 1 means a password was guessed.`,
		Example: `  bastion passwords
  bastion passwords --root /mnt/aixcopy --wordlist /srv/lists/site-words.txt
  bastion passwords --dry-run`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if f, ok := g.Stderr.(*os.File); ok && !g.Quiet && term.IsTerminal(int(f.Fd())) {
				opts.progress = f
			}
			return runPasswords(cmd.Context(), g, opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Wordlist, "wordlist", "", "also try the words of this file, one a line")
	f.BoolVar(&opts.NoBuiltin, "no-builtin", false, "do not try bastion's list of common passwords")
	f.IntVar(&opts.Workers, "workers", 0, "guesses checked at once (default: one per core)")
	f.BoolVar(&opts.DryRun, "dry-run", false, "say how many accounts and guesses there are, and stop")
	return cmd
}

// passwordsReport is the JSON form of the result (schema version 1).
type passwordsReport struct {
	Version  int                `json:"version"`
	Target   string             `json:"target"`
	Accounts int                `json:"accounts"`
	Hashes   int                `json:"hashes"`
	Guesses  int64              `json:"guesses"`
	Tried    int64              `json:"tried"`
	Seconds  float64            `json:"seconds"`
	Guessed  []passwordsGuessed `json:"guessed"`
	Skipped  []crack.Skip       `json:"skipped"`
	DryRun   bool               `json:"dry_run,omitempty"`
}

type passwordsGuessed struct {
	Account string     `json:"account"`
	Source  string     `json:"source"`
	Kind    crack.Kind `json:"kind"`
	Rank    int        `json:"rank,omitempty"`
	From    string     `json:"from,omitempty"`
}

// runPasswords runs the weak-password audit.
func runPasswords(ctx context.Context, g *Globals, opts passwordsOptions) error {
	if opts.Workers < 0 {
		return usageError{fmt.Errorf("--workers must be 0 or more, got %d", opts.Workers)}
	}
	var words [][]byte
	if opts.Wordlist != "" {
		f, err := os.Open(opts.Wordlist)
		if err != nil {
			return fmt.Errorf("wordlist: %w", err)
		}
		words, err = crack.ReadWordlist(f, opts.Wordlist)
		f.Close()
		if err != nil {
			return err
		}
	}
	t, err := g.openTarget()
	if err != nil {
		return err
	}
	facts, err := host.Build(t, host.Options{ConfigOnly: true})
	hostName := ""
	if data, herr := t.ReadFile("/etc/hostname"); herr == nil {
		hostName = strings.TrimSpace(string(data))
	}
	t.Close()
	if err != nil {
		return err
	}
	accounts := crackable(facts.Accounts)
	copts := crack.Options{Words: words, Host: hostName, Workers: opts.Workers, NoBuiltin: opts.NoBuiltin}
	plan := crack.Count(accounts, copts)
	rep := passwordsReport{Version: 1, Target: g.targetName(), Accounts: plan.Accounts, Hashes: plan.Hashes, Guesses: plan.Guesses, Guessed: []passwordsGuessed{}, Skipped: []crack.Skip{}}
	if facts.Accounts == nil || !facts.Accounts.Passwd.Exists {
		return fmt.Errorf("%s: no accounts to check (/etc/passwd could not be read)", rep.Target)
	}
	if sh := facts.Accounts.Shadow; sh.Problem != "" {
		return fmt.Errorf("%s: %s could not be read (%s): the hashes are not known; run as root", rep.Target, sh.Path, sh.Problem)
	}
	if opts.DryRun {
		rep.DryRun = true
		return writePasswords(g, rep)
	}
	if opts.progress != nil {
		bar := newProgressBar(opts.progress, "guesses")
		copts.Progress = bar.update
		defer bar.done()
	}
	start := time.Now()
	res, err := crack.Run(ctx, accounts, func(h string) (crack.Verifier, error) { return crypt.NewVerifier(h) }, copts)
	rep.Seconds = time.Since(start).Seconds()
	if err != nil {
		return err
	}
	rep.Tried = res.Tried
	for _, m := range res.Matches {
		rep.Guessed = append(rep.Guessed, passwordsGuessed{Account: m.Account, Source: m.Source, Kind: m.Kind, Rank: m.Rank, From: m.From})
	}
	rep.Skipped = append(rep.Skipped, res.Skipped...)
	if err := writePasswords(g, rep); err != nil {
		return err
	}
	if len(rep.Guessed) > 0 {
		return errFindings
	}
	return nil
}

// crackable returns the accounts whose password someone can log in
// with, with the relative cost of one guess of their scheme.
func crackable(a *host.Accounts) []crack.Account {
	if a == nil {
		return nil
	}
	var out []crack.Account
	for _, u := range a.Users {
		if u.Duplicate || u.Password.Kind != crypt.KindHash || u.Hash == "" {
			continue
		}
		out = append(out, crack.Account{Name: u.Name, Gecos: u.Gecos, Hash: u.Hash, Source: u.HashFrom.String(), Cost: guessCost(u.Password.Scheme)})
	}
	return out
}

// guessCost is the rough cost of one guess of a scheme, in units of one
// MD5 crypt guess, to order the work cheapest first.
func guessCost(s crypt.Scheme) float64 {
	switch s.ID {
	case "des", "bsdi", "nt":
		return 0.1
	case "md5", "apr1", "aix-smd5", "sunmd5":
		return 1
	case "sha256", "sha512":
		return float64(max(s.Cost, 1000)) / 1000 * 2
	case "aix-ssha1", "aix-ssha256", "aix-ssha512":
		return float64(uint64(1)<<min(s.Cost, 31)) / 500
	case "bcrypt":
		return float64(uint64(1)<<min(s.Cost, 31)) / 16
	}
	return 500 // yescrypt, scrypt and the unknown: the dearest
}

// writePasswords prints the result.
func writePasswords(g *Globals, rep passwordsReport) error {
	if g.Format == "json" {
		enc := json.NewEncoder(g.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	w := g.Stdout
	if rep.DryRun {
		_, err := fmt.Fprintf(w, "%s: %d accounts with a password (%d distinct hashes), %d guesses to try on %d cores\n",
			rep.Target, rep.Accounts, rep.Hashes, rep.Guesses, runtime.NumCPU())
		return err
	}
	if len(rep.Guessed) > 0 {
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "ACCOUNT\tHASH FROM\tGUESSED FROM")
		for _, m := range rep.Guessed {
			kind := string(m.Kind)
			if m.Rank > 0 {
				kind += fmt.Sprintf(" (number %d of the list)", m.Rank)
			}
			if m.From != "" {
				kind += " of " + m.From
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\n", m.Account, m.Source, kind)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		fmt.Fprintln(w)
	}
	for _, s := range rep.Skipped {
		fmt.Fprintf(w, "not checked: %s (%s): %s\n", s.Account, s.Source, s.Reason)
	}
	_, err := fmt.Fprintf(w, "%s: %d of %d accounts have a password an attacker would guess first (%d guesses in %.1fs)\n",
		rep.Target, len(rep.Guessed), rep.Accounts, rep.Tried, rep.Seconds)
	return err
}

// progressBar draws "guesses  1234/5000  24%" on one terminal line.
type progressBar struct {
	w    io.Writer
	what string
}

func newProgressBar(w io.Writer, what string) *progressBar { return &progressBar{w: w, what: what} }

func (p *progressBar) update(done, total int64) {
	pct := int64(100)
	if total > 0 {
		pct = done * 100 / total
	}
	const width = 30
	fill := int(pct * width / 100)
	fmt.Fprintf(p.w, "\r%s [%s%s] %d/%d %3d%%", p.what, strings.Repeat("#", fill), strings.Repeat(".", width-fill), done, total, pct)
}

func (p *progressBar) done() { fmt.Fprint(p.w, "\r\x1b[K") }
