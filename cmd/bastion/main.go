// Command bastion audits and hardens the network services of Unix and AIX
// hosts. See README.md, or run "bastion help".
package main

import (
	"context"
	"os"
	"os/signal"
	"runtime/debug"

	"bastion/internal/cli"
)

func main() {
	// A run is short and its heap small: collect garbage less often.
	debug.SetGCPercent(400)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := cli.Main(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
