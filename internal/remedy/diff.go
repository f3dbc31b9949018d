package remedy

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// contextLines is how many unchanged lines a hunk shows around a change.
const contextLines = 3

// secretFiles are files whose every line may hold a secret: password
// hashes, SNMP communities. Their hunks show no context lines, so that a
// diff never shows a line it does not change (patch applies such hunks by
// their line numbers); a changed line holding a secret is hidden anyway.
var secretFiles = map[string]bool{
	"/etc/shadow": true, "/etc/gshadow": true, "/etc/security/passwd": true, "/etc/passwd": true,
	"/etc/snmpd.conf": true, "/etc/snmpdv3.conf": true, "/etc/snmp/snmpd.conf": true,
	"/etc/snmp/snmpd.local.conf": true, "/var/lib/snmp/snmpd.conf": true,
}

// holdsSecrets reports whether a file's diff must show no context: a
// file of secretFiles, or one in which a hashed edit hides a line.
func holdsSecrets(f FileDiff) bool {
	if secretFiles[f.Path] {
		return true
	}
	for _, d := range f.diff {
		if d.text == secretLineText {
			return true
		}
	}
	return false
}

// WriteDiff checks the plan as Files does and writes it to w for review: a
// unified diff of every file it edits, creates or removes, with paths
// relative to the target root ("--- a/etc/inetd.conf", "+++
// b/etc/inetd.conf"; "/dev/null" for a file created or removed), so that
// "patch -p1 -d ROOT" applies it. Then come the steps that a diff cannot
// say, as shell comments that patch ignores: the modes and owners of files,
// the commands to run, and for a live-only command what happens on an
// offline root instead:
//
//	# then run: refresh -s inetd  (SVC-INETD-TELNET: reload inetd.conf)
//	#   on an offline root, not run: read when inetd next starts
//
// Identical steps from several rules are written once, naming every rule.
// An empty plan writes nothing.
func (p *Plan) WriteDiff(w io.Writer, read func(path string) ([]byte, error)) error {
	files, steps, err := p.compile(read)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	var first []step
	for _, f := range files {
		if !f.Changed() {
			continue
		}
		if len(f.diff) == 0 {
			// An empty file to create or remove has no lines, so
			// no hunk of a diff can say it.
			why := make([]ruleReason, 0, len(f.Rules))
			for _, r := range f.Rules {
				why = append(why, ruleReason{rule: r, reason: "empty file"})
			}
			argv := []string{"touch", f.Path}
			if f.Kind == KindRemove {
				argv = []string{"rm", f.Path}
			}
			first = append(first, step{argv: argv, why: why})
			continue
		}
		writeFileDiff(bw, f)
	}
	steps = append(first, steps...)
	if len(steps) > 0 {
		fmt.Fprintf(bw, "# after the patch, on the target (file paths are under the root for an offline root):\n")
	}
	for _, s := range steps {
		fmt.Fprintf(bw, "# then run: %s  (%s)\n", shellJoin(s.argv), whyText(s.why))
		if s.liveOnly {
			note := s.offline
			if note == "" {
				note = "nothing happens until it is run on the live host"
			}
			fmt.Fprintf(bw, "#   on an offline root, not run: %s\n", note)
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write diff: %w", err)
	}
	return nil
}

// whyText renders the rules and reasons of a step: "A, B: reason" when they
// share a reason, "A: one; B: other" when not.
func whyText(why []ruleReason) string {
	var parts []string
	for i := 0; i < len(why); {
		j := i
		var rules []string
		for j < len(why) && why[j].reason == why[i].reason {
			rules = append(rules, why[j].rule)
			j++
		}
		parts = append(parts, strings.Join(rules, ", ")+": "+why[i].reason)
		i = j
	}
	return strings.Join(parts, "; ")
}

// writeFileDiff writes the headers and hunks of one file.
func writeFileDiff(w *bufio.Writer, f FileDiff) {
	rel := f.Path[1:]
	oldName, newName := diffName("a/"+rel), diffName("b/"+rel)
	switch f.Kind {
	case KindCreate:
		oldName = "/dev/null"
	case KindRemove:
		newName = "/dev/null"
	}
	fmt.Fprintf(w, "--- %s\n+++ %s\n", oldName, newName)
	ctx := contextLines
	if holdsSecrets(f) {
		ctx = 0
	}
	writeHunks(w, f.diff, ctx)
}

// writeHunks writes the hunks of diff with ctx lines of context.
func writeHunks(w *bufio.Writer, diff []diffLine, ctx int) {
	// oldBefore[i] and newBefore[i] count the old and new lines before
	// diff[i].
	oldBefore := make([]int, len(diff)+1)
	newBefore := make([]int, len(diff)+1)
	for i, d := range diff {
		oldBefore[i+1], newBefore[i+1] = oldBefore[i], newBefore[i]
		if d.op != '+' {
			oldBefore[i+1]++
		}
		if d.op != '-' {
			newBefore[i+1]++
		}
	}
	for k := 0; k < len(diff); {
		if diff[k].op == ' ' {
			k++
			continue
		}
		start := max(0, k-ctx)
		end := k
		for {
			for end < len(diff) && diff[end].op != ' ' {
				end++
			}
			j := end
			for j < len(diff) && diff[j].op == ' ' {
				j++
			}
			if j < len(diff) && j-end <= 2*ctx {
				end = j
				continue
			}
			break
		}
		stop := min(len(diff), end+ctx)
		oldCount := oldBefore[stop] - oldBefore[start]
		newCount := newBefore[stop] - newBefore[start]
		fmt.Fprintf(w, "@@ -%s +%s @@\n", hunkRange(oldBefore[start], oldCount), hunkRange(newBefore[start], newCount))
		for _, d := range diff[start:stop] {
			w.WriteByte(d.op)
			w.WriteString(d.text)
			w.WriteString(d.eol)
			if !hasNewline(d.eol) {
				w.WriteString("\n\\ No newline at end of file\n")
			}
		}
		k = stop
	}
}

// hunkRange writes the range of a hunk header as diff does: the first line
// and the count, the count left out when it is 1, and for an empty range
// the line before it.
func hunkRange(before, n int) string {
	switch n {
	case 0:
		return fmt.Sprintf("%d,0", before)
	case 1:
		return strconv.Itoa(before + 1)
	}
	return fmt.Sprintf("%d,%d", before+1, n)
}

// diffName returns a file name for a diff header, quoted as patch reads
// quoted names when it holds a space, a quote, a backslash or a control
// character.
func diffName(name string) string {
	if !strings.ContainsFunc(name, func(r rune) bool {
		return r == ' ' || r == '"' || r == '\\' || r < 0x20 || r == 0x7f
	}) {
		return name
	}
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c == '\t':
			b.WriteString(`\t`)
		case c == '\n':
			b.WriteString(`\n`)
		case c < 0x20 || c == 0x7f:
			fmt.Fprintf(&b, `\%03o`, c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// shellJoin returns argv as a POSIX shell would read it back, quoting the
// words that need it.
func shellJoin(argv []string) string {
	words := make([]string, len(argv))
	for i, a := range argv {
		words[i] = shellQuote(a)
	}
	return strings.Join(words, " ")
}

func shellQuote(s string) string {
	if s == "" {
		return "''"
	}
	safe := true
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("_@%+=:,./-", r)) {
			safe = false
			break
		}
	}
	if safe {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
