// Package report renders bastion's results. Every format carries the same
// content: text for people (a table, colour on a terminal), JSON for
// programs (a versioned schema, documented in docs/JSON.md).
package report

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"bastion/internal/inventory"
)

// Options tune the text rendering.
type Options struct {
	Color bool
	Quiet bool
	Wide  bool
}

// JSON writes v as indented JSON.
func JSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// ANSI colours, used only when Options.Color is set.
const (
	red    = "\x1b[31m"
	yellow = "\x1b[33m"
	green  = "\x1b[32m"
	dim    = "\x1b[2m"
	bold   = "\x1b[1m"
	reset  = "\x1b[0m"
)

func paint(on bool, color, s string) string {
	if !on || s == "" {
		return s
	}
	return color + s + reset
}

func stateColor(s inventory.State) string {
	switch s {
	case inventory.Unexplained:
		return red + bold
	case inventory.Listening:
		return yellow
	case inventory.NotListening, inventory.Predicted:
		return green
	}
	return dim
}

// reachText renders who can reach a row: "anywhere", "local:10.0.0.0/8",
// "loopback", "none", "unknown", "-" for a disabled row.
func reachText(r *inventory.Reach) string {
	if r == nil {
		return "-"
	}
	if r.Reach == "local" && len(r.Sources) > 0 {
		s := string(r.Reach) + ":" + strings.Join(r.Sources[:min(len(r.Sources), 2)], ",")
		if len(r.Sources) > 2 {
			s += ",..."
		}
		return s
	}
	return string(r.Reach)
}

// Services writes the services table, a summary and the coverage gaps.
func Services(w io.Writer, inv *inventory.Inventory, o Options) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	head := []string{"PORT", "PROTO", "NAME", "DAEMON", "STARTED FROM", "REACH", "STATE"}
	if o.Wide {
		head = append(head, "ADDRESS", "PROCESS", "PACKAGE", "PROTECTIONS")
	}
	fmt.Fprintln(tw, paint(o.Color, bold, strings.Join(head, "\t")))
	for _, r := range inv.Rows {
		port := strconv.Itoa(r.Port)
		if r.Port == 0 {
			port = "dynamic"
		}
		daemon := r.Daemon
		if r.SpawnedBy != "" {
			daemon += " (spawned by " + r.SpawnedBy + ")"
		}
		from := "-"
		if r.StartedFrom != nil {
			from = r.StartedFrom.String()
		}
		// Pad before colouring, so escape codes do not upset the columns.
		state := paint(o.Color, stateColor(r.State), string(r.State))
		cols := []string{port, r.Proto, orDash(r.Name), orDash(daemon), from, reachText(r.Reach), state}
		if o.Wide {
			cols = append(cols, orDash(strings.Join(r.Addresses, ",")), orDash(procs(r)), orDash(r.Package), orDash(r.Protections.Short()))
		}
		fmt.Fprintln(tw, strings.Join(cols, "\t"))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if o.Wide {
		notes(w, inv, o)
	} else {
		unexplained(w, inv, o)
	}
	if o.Quiet {
		return nil
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, summary(inv))
	if len(inv.Gaps) > 0 {
		fmt.Fprintf(w, "\n%s\n", paint(o.Color, bold, "Not seen (coverage gaps):"))
		for _, g := range inv.Gaps {
			loc := g.Path
			if g.Line > 0 {
				loc += ":" + strconv.Itoa(g.Line)
			}
			fmt.Fprintf(w, "  %s: %s (%s)\n", loc, g.Reason, g.What)
		}
	}
	return nil
}

// unexplained lists the process behind every unexplained row, which the
// narrow table has no room for.
func unexplained(w io.Writer, inv *inventory.Inventory, o Options) {
	first := true
	for _, r := range inv.Rows {
		if r.State != inventory.Unexplained {
			continue
		}
		if first {
			fmt.Fprintf(w, "\n%s\n", paint(o.Color, red+bold, "Unexplained listeners:"))
			first = false
		}
		who := procs(r)
		if who == "" {
			who = "no process in view (kernel, another PID namespace, or not enough privilege)"
		}
		fmt.Fprintf(w, "  %d/%s on %s: %s\n", r.Port, r.Proto, orDash(strings.Join(r.Addresses, ",")), who)
	}
}

// notes prints every row's note in wide mode.
func notes(w io.Writer, inv *inventory.Inventory, o Options) {
	first := true
	for _, r := range inv.Rows {
		text := r.Note
		if r.Why != "" {
			text = strings.TrimPrefix(text+"; disabled: "+r.Why, "; ")
		}
		if text == "" {
			continue
		}
		if first {
			fmt.Fprintf(w, "\n%s\n", paint(o.Color, bold, "Notes:"))
			first = false
		}
		port := strconv.Itoa(r.Port)
		if r.Port == 0 {
			port = "dynamic"
		}
		fmt.Fprintf(w, "  %s/%s %s: %s\n", port, r.Proto, r.Name, text)
	}
}

func procs(r inventory.Row) string {
	var out []string
	for _, p := range r.Processes {
		s := p.Command
		if len(p.Cmdline) > 0 {
			s = strings.Join(p.Cmdline, " ")
		}
		if p.PID != 0 {
			s = fmt.Sprintf("pid %d %s", p.PID, s)
		}
		out = append(out, strings.TrimSpace(s))
	}
	return strings.Join(out, ", ")
}

func summary(inv *inventory.Inventory) string {
	n := map[inventory.State]int{}
	for _, r := range inv.Rows {
		n[r.State]++
	}
	src := "no live or captured state: rows are predicted from configuration"
	if inv.Observed {
		src = "state " + inv.ObservedFrom
	}
	parts := []string{}
	for _, s := range []inventory.State{inventory.Listening, inventory.Unexplained, inventory.NotListening, inventory.Predicted, inventory.Disabled} {
		if n[s] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n[s], s))
		}
	}
	if len(parts) == 0 {
		parts = append(parts, "no services found")
	}
	return fmt.Sprintf("%s (%s): %s; %s", inv.Target, orDash(inv.Platform.Name), strings.Join(parts, ", "), src)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
