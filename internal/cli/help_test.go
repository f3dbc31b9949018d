package cli

import (
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// Every command has a short description and a help text that runs.
func TestHelpEverywhere(t *testing.T) {
	root := NewRoot(&Globals{})
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if c.Short == "" {
			t.Errorf("%s has no short description", c.CommandPath())
		}
		args := append(strings.Fields(c.CommandPath())[1:], "--help")
		out, errs, code := run(t, args...)
		if code != ExitOK || !strings.Contains(out, "Usage:") || errs != "" {
			t.Errorf("%s --help: exit %d, stderr %q", c.CommandPath(), code, errs)
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
}

func TestVersion(t *testing.T) {
	for _, args := range [][]string{{"--version"}, {"version"}} {
		out, _, code := run(t, args...)
		if code != ExitOK || !strings.HasPrefix(out, "bastion ") {
			t.Errorf("%v: exit %d, %q", args, code, out)
		}
	}
}

func TestCompletion(t *testing.T) {
	for _, sh := range []string{"bash", "zsh", "fish", "powershell"} {
		out, _, code := run(t, "completion", sh)
		if code != ExitOK || !strings.Contains(out, "bastion") {
			t.Errorf("completion %s: exit %d", sh, code)
		}
	}
}
