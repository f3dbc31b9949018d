package remedy

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"testing"
)

// fuzzEdits turns script into edits of a file of n lines: three bytes an
// edit (operation and rule, line, variant). Most replaced and deleted lines
// carry their real text; some are stale or past the end.
func fuzzEdits(lines []line, script []byte) []Change {
	n := len(lines)
	var out []Change
	for i := 0; i+2 < len(script); i += 3 {
		op, ln, v := script[i], int(script[i+1]), script[i+2]
		rule := fmt.Sprintf("R%d", op/4%3)
		var news []string
		for j := range 1 + int(v>>1)%3 {
			if v&8 != 0 && j == 0 {
				news = append(news, "")
				continue
			}
			news = append(news, fmt.Sprintf("new %d.%d", ln, j))
		}
		var e Edit
		switch op % 4 {
		case 0, 1:
			ln = 1 + ln%(n+1)
			old := "stale"
			if v&1 == 0 && ln <= n {
				old = lines[ln-1].text
			}
			if op%4 == 0 {
				e = Edit{Op: OpReplace, Line: ln, Old: old, New: news}
			} else {
				e = Edit{Op: OpDelete, Line: ln, Old: old}
			}
		case 2:
			e = Edit{Op: OpInsert, Line: ln % (n + 2), New: news}
		case 3:
			e = Edit{Op: OpAppend, New: news}
		}
		out = append(out, EditLines("/f", e).For(rule, "fuzz"))
	}
	return out
}

func FuzzApply(f *testing.F) {
	f.Add([]byte("ftp stream tcp nowait root /usr/sbin/ftpd ftpd\ntelnet stream tcp nowait root /usr/sbin/telnetd telnetd\n"),
		[]byte{0, 1, 0, 2, 0, 0, 3, 0, 0})
	f.Add([]byte("a\r\nb\r\nc"), []byte{1, 2, 0, 2, 3, 2, 0, 0, 8})
	f.Add([]byte(""), []byte{2, 0, 4, 3, 0, 2})
	f.Add([]byte("x\n\ny\n"), []byte{0, 1, 0, 4, 1, 0, 1, 0, 0, 1, 2, 0})
	f.Fuzz(func(t *testing.T, content, script []byte) {
		if len(script) > 300 {
			script = script[:300]
		}
		lines := splitLines(content)
		changes := fuzzEdits(lines, script)
		var p Plan
		p.Add(changes...)
		read := func(string) ([]byte, error) { return content, nil }
		files, err := p.Files(read)
		if err != nil {
			// A plan refused by Files is refused by WriteDiff too.
			if werr := p.WriteDiff(&bytes.Buffer{}, read); werr == nil {
				t.Fatalf("Files failed (%v) but WriteDiff did not", err)
			}
			return
		}
		if len(changes) == 0 {
			if len(files) != 0 {
				t.Fatalf("no changes gave files %v", files)
			}
			return
		}
		if len(files) != 1 {
			t.Fatalf("got %d files", len(files))
		}
		fd := files[0]
		if !bytes.Equal(fd.Before, content) {
			t.Fatalf("Before differs from the content")
		}

		// The edits that took effect, merged as the plan merges them.
		touched := map[int]bool{}
		var kept []Edit
		for _, c := range changes {
			e := c.Edits[0]
			dup := false
			for _, k := range kept {
				if sameEdit(k, e) {
					dup = true
				}
			}
			if !dup {
				kept = append(kept, e)
			}
			if e.Op == OpReplace || e.Op == OpDelete {
				touched[e.Line] = true
			}
		}
		added := 0
		for _, e := range kept {
			added += len(e.New)
		}
		after := splitLines(fd.After)
		if want := len(lines) - len(touched) + added; len(after) != want {
			t.Fatalf("after has %d lines, want %d\nbefore %q\nafter %q", len(after), want, content, fd.After)
		}

		// Lines not edited are unchanged and in order.
		j := 0
		for i, l := range lines {
			if touched[i+1] {
				continue
			}
			for j < len(after) && after[j].text != l.text {
				j++
			}
			if j == len(after) {
				t.Fatalf("line %d %q is missing or out of order in %q", i+1, l.text, fd.After)
			}
			j++
		}

		// Byte for byte, the difference removes only the edited lines,
		// and the last line when it had no newline and now needs one.
		oldNo := 0
		for _, d := range fd.diff {
			if d.op == '+' {
				continue
			}
			oldNo++
			if d.op == '-' && !touched[oldNo] && (oldNo != len(lines) || hasNewline(lines[oldNo-1].eol)) {
				t.Fatalf("line %d %q changed though not edited: %q -> %q", oldNo, lines[oldNo-1].text, content, fd.After)
			}
		}

		// A file that ended in a newline still does; one that did not
		// still does not, unless its last line went or the new last
		// line is empty.
		if len(fd.After) > 0 {
			ends := fd.After[len(fd.After)-1] == '\n'
			noFinal := len(content) > 0 && content[len(content)-1] != '\n'
			switch {
			case !noFinal && !ends:
				t.Fatalf("final newline lost: %q -> %q", content, fd.After)
			case noFinal && !touched[len(lines)] && after[len(after)-1].text != "" && ends:
				t.Fatalf("final newline added: %q -> %q", content, fd.After)
			}
		}

		// The diff, applied to the old content, gives the new content.
		var diff bytes.Buffer
		if err := p.WriteDiff(&diff, read); err != nil {
			t.Fatalf("WriteDiff: %v", err)
		}
		got, err := applyUnified(content, diff.Bytes())
		if err != nil {
			t.Fatalf("apply diff: %v\n%s", err, diff.Bytes())
		}
		if !bytes.Equal(got, fd.After) {
			t.Fatalf("diff applied gives %q, want %q\n%s", got, fd.After, diff.Bytes())
		}
	})
}

// applyUnified applies a unified diff of one file, as WriteDiff writes it,
// to old, checking every context and removed line and every hunk count.
func applyUnified(old, diff []byte) ([]byte, error) {
	var oldLines [][]byte
	for l := range bytes.Lines(old) {
		oldLines = append(oldLines, l)
	}
	dl := bytes.SplitAfter(diff, []byte("\n"))
	var out bytes.Buffer
	pos := 0 // old lines copied or consumed so far
	for i := 0; i < len(dl); {
		l := string(dl[i])
		switch {
		case l == "" || strings.HasPrefix(l, "--- ") || strings.HasPrefix(l, "+++ ") || strings.HasPrefix(l, "#"):
			i++
			continue
		case !strings.HasPrefix(l, "@@ "):
			return nil, fmt.Errorf("unexpected line %q", l)
		}
		var oldStart, oc, newStart, nc int
		if err := parseHunk(l, &oldStart, &oc, &newStart, &nc); err != nil {
			return nil, err
		}
		// The lines before a hunk: an empty range names the line
		// before it.
		start, newBefore := oldStart-1, newStart-1
		if oc == 0 {
			start = oldStart
		}
		if nc == 0 {
			newBefore = newStart
		}
		if start < pos || start > len(oldLines) {
			return nil, fmt.Errorf("hunk %q starts at %d, after %d lines", l, start, pos)
		}
		for _, o := range oldLines[pos:start] {
			out.Write(o)
		}
		if written := bytes.Count(out.Bytes(), []byte("\n")); newBefore != written {
			return nil, fmt.Errorf("hunk %q: new range starts after line %d, but %d lines come before it", l, newBefore, written)
		}
		pos = start
		i++
		gotOld, gotNew := 0, 0
		for i < len(dl) && len(dl[i]) > 0 && strings.ContainsRune(" -+", rune(dl[i][0])) && !(gotOld == oc && gotNew == nc) {
			op, body := dl[i][0], dl[i][1:]
			i++
			if i < len(dl) && bytes.HasPrefix(dl[i], []byte("\\ No newline at end of file")) {
				body = bytes.TrimSuffix(body, []byte("\n"))
				i++
			}
			switch op {
			case ' ', '-':
				if pos >= len(oldLines) || !bytes.Equal(oldLines[pos], body) {
					return nil, fmt.Errorf("hunk %q: old line %d is not %q", l, pos+1, body)
				}
				pos++
				gotOld++
				if op == ' ' {
					out.Write(body)
					gotNew++
				}
			case '+':
				out.Write(body)
				gotNew++
			}
		}
		if gotOld != oc || gotNew != nc {
			return nil, fmt.Errorf("hunk %q has %d old and %d new lines", l, gotOld, gotNew)
		}
	}
	for _, o := range oldLines[pos:] {
		out.Write(o)
	}
	return out.Bytes(), nil
}

// parseHunk reads "@@ -l,s +l,s @@", where ",s" may be left out for 1.
func parseHunk(h string, oldStart, oc, newStart, nc *int) error {
	f := strings.Fields(h)
	if len(f) != 4 || f[0] != "@@" || f[3] != "@@" || !strings.HasPrefix(f[1], "-") || !strings.HasPrefix(f[2], "+") {
		return fmt.Errorf("bad hunk header %q", h)
	}
	rng := func(s string, start, n *int) error {
		a, b, ok := strings.Cut(s, ",")
		var err error
		if *start, err = strconv.Atoi(a); err != nil {
			return fmt.Errorf("bad hunk header %q", h)
		}
		*n = 1
		if ok {
			if *n, err = strconv.Atoi(b); err != nil {
				return fmt.Errorf("bad hunk header %q", h)
			}
		}
		return nil
	}
	if err := rng(f[1][1:], oldStart, oc); err != nil {
		return err
	}
	return rng(f[2][1:], newStart, nc)
}
