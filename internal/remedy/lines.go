package remedy

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"slices"
	"strings"

	"bastion/internal/parse"
)

// line is one line of a file: its text, and its ending ("\n" or "\r\n";
// "" or "\r" for a last line without a newline).
type line struct {
	text string
	eol  string
	// secret marks a line a hashed edit removes: diffs do not show it.
	secret bool
}

// hasNewline reports whether a line ending ends the line with a newline.
func hasNewline(eol string) bool {
	return strings.HasSuffix(eol, "\n")
}

// splitLines splits data into lines that join back to data exactly. The
// text of each line is what parse.SplitLines gives for it.
func splitLines(data []byte) []line {
	var out []line
	for len(data) > 0 {
		i := bytes.IndexByte(data, '\n')
		if i < 0 {
			text, eol := data, ""
			if text[len(text)-1] == '\r' {
				text, eol = text[:len(text)-1], "\r"
			}
			out = append(out, line{text: string(text), eol: eol})
			break
		}
		text, eol := data[:i], "\n"
		if len(text) > 0 && text[len(text)-1] == '\r' {
			text, eol = text[:len(text)-1], "\r\n"
		}
		out = append(out, line{text: string(text), eol: eol})
		data = data[i+1:]
	}
	return out
}

// sourced is an edit with the rules that asked for it: identical edits from
// several findings are one edit with several rules.
type sourced struct {
	edit  Edit
	rules []string
}

func (s *sourced) addRule(rule string) {
	if !slices.Contains(s.rules, rule) {
		s.rules = append(s.rules, rule)
	}
}

// fileEdits gathers the edits of one file by position.
type fileEdits struct {
	path string
	// at holds the replace or delete of each line.
	at map[int]*sourced
	// after holds the inserts after each line (0 is the top), in the
	// order they were added.
	after map[int][]*sourced
	// appends holds the appends, in the order they were added.
	appends []*sourced
	rules   []string
}

func newFileEdits(path string) *fileEdits {
	return &fileEdits{path: path, at: map[int]*sourced{}, after: map[int][]*sourced{}}
}

func sameEdit(a, b Edit) bool {
	return a.Op == b.Op && a.Line == b.Line && a.Old == b.Old && a.OldSHA256 == b.OldSHA256 && slices.Equal(a.New, b.New)
}

// describe returns how an edit reads in a conflict message.
func describe(e Edit) string {
	if e.Op == OpDelete {
		return "delete"
	}
	return fmt.Sprintf("%s with %q", e.Op, strings.Join(e.New, "\\n"))
}

// add records edit e of rule; a different edit of a line that already has
// one is a conflict, an identical one is merged.
func (f *fileEdits) add(rule string, e Edit) error {
	if !slices.Contains(f.rules, rule) {
		f.rules = append(f.rules, rule)
	}
	switch e.Op {
	case OpReplace, OpDelete:
		if prev, ok := f.at[e.Line]; ok {
			if sameEdit(prev.edit, e) {
				prev.addRule(rule)
				return nil
			}
			return parse.Errorf(f.path, e.Line, "conflicting edits from %s (%s) and %s (%s)",
				strings.Join(prev.rules, ", "), describe(prev.edit), rule, describe(e))
		}
		f.at[e.Line] = &sourced{edit: e, rules: []string{rule}}
	case OpInsert:
		f.after[e.Line] = addInsert(f.after[e.Line], rule, e)
	case OpAppend:
		f.appends = addInsert(f.appends, rule, e)
	}
	return nil
}

func addInsert(list []*sourced, rule string, e Edit) []*sourced {
	for _, s := range list {
		if sameEdit(s.edit, e) {
			s.addRule(rule)
			return list
		}
	}
	return append(list, &sourced{edit: e, rules: []string{rule}})
}

// diffLine is one line of a file difference: ' ' (kept), '-' (removed) or
// '+' (added), with its text and line ending.
type diffLine struct {
	op   byte
	text string
	eol  string
}

// apply checks the edits against the lines of data and returns the new
// content and the line-by-line difference. Every mismatch and out-of-range
// line is reported.
func (f *fileEdits) apply(data []byte) ([]byte, []diffLine, error) {
	lines := splitLines(data)
	n := len(lines)
	var errs parse.Errors
	for _, ln := range slices.Sorted(maps.Keys(f.at)) {
		e := f.at[ln].edit
		switch {
		case e.OldSHA256 != "" && ln > n:
			errs.Add(f.path, ln, "expected a line (it holds a secret), found end of file (%s)", strings.Join(f.at[ln].rules, ", "))
		case e.OldSHA256 != "":
			if sum := sha256.Sum256([]byte(lines[ln-1].text)); hex.EncodeToString(sum[:]) != e.OldSHA256 {
				errs.Add(f.path, ln, "the line is not the one the plan was made for (it holds a secret, so neither is shown) (%s)", strings.Join(f.at[ln].rules, ", "))
			}
			lines[ln-1].secret = true
		case ln > n:
			errs.Add(f.path, ln, "expected %q, found end of file (%s)", e.Old, strings.Join(f.at[ln].rules, ", "))
		case lines[ln-1].text != e.Old:
			errs.Add(f.path, ln, "expected %q, found %q (%s)", e.Old, lines[ln-1].text, strings.Join(f.at[ln].rules, ", "))
		}
	}
	for _, ln := range slices.Sorted(maps.Keys(f.after)) {
		if ln > n {
			errs.Add(f.path, ln, "insert after line %d of a file of %d lines (%s)", ln, n, strings.Join(f.after[ln][0].rules, ", "))
		}
	}
	if err := errs.Err(); err != nil {
		return nil, nil, err
	}

	// Lay out the new file: each item is an original line kept (old and
	// new set), removed (old only) or an added line (new only, with the
	// ending it should take, "" for the file's usual one).
	type item struct {
		old    *line
		new    string
		hasNew bool
		eol    string
	}
	var items []item
	lastOld := -1 // the item of the original last line
	inserts := func(list []*sourced) {
		for _, s := range list {
			for _, t := range s.edit.New {
				items = append(items, item{new: t, hasNew: true})
			}
		}
	}
	inserts(f.after[0])
	for i := range lines {
		l := &lines[i]
		if i == n-1 {
			lastOld = len(items)
		}
		if s, ok := f.at[i+1]; ok {
			items = append(items, item{old: l})
			if s.edit.Op == OpReplace {
				for _, t := range s.edit.New {
					items = append(items, item{new: t, hasNew: true, eol: l.eol})
				}
			}
		} else {
			items = append(items, item{old: l, new: l.text, hasNew: true, eol: l.eol})
		}
		inserts(f.after[i+1])
	}
	inserts(f.appends)

	// Line endings: a line keeps its own, and added lines take the file's
	// usual one. A file whose last line had no newline still ends without
	// one when that line, its replacement, or lines added after it end the
	// file; not when the last line was deleted (the line before it keeps
	// its newline), nor when the file would end in an empty line (which
	// without a newline would be no line at all).
	usual := "\n"
	for _, l := range lines {
		if hasNewline(l.eol) {
			usual = l.eol
			break
		}
	}
	last := -1
	for i := range items {
		if items[i].hasNew {
			switch items[i].eol {
			case "":
				items[i].eol = usual
			case "\r":
				items[i].eol = "\r\n"
			}
			last = i
		}
	}
	if n > 0 && !hasNewline(lines[n-1].eol) && last >= lastOld && (items[last].new != "" || lines[n-1].eol != "") {
		items[last].eol = lines[n-1].eol
	}

	var after bytes.Buffer
	var diff []diffLine
	for _, it := range items {
		if it.hasNew {
			after.WriteString(it.new)
			after.WriteString(it.eol)
		}
		switch {
		case it.old != nil && it.hasNew && it.old.eol == it.eol:
			diff = append(diff, diffLine{' ', it.new, it.eol})
		default:
			if it.old != nil {
				text := it.old.text
				if it.old.secret {
					// Never shown: this hunk will not apply with patch;
					// bastion harden --apply checks the line by its hash.
					text = secretLineText
				}
				diff = append(diff, diffLine{'-', text, it.old.eol})
			}
			if it.hasNew {
				diff = append(diff, diffLine{'+', it.new, it.eol})
			}
		}
	}
	if after.Len() == 0 {
		return []byte{}, sortRuns(diff), nil
	}
	return after.Bytes(), sortRuns(diff), nil
}

// secretLineText stands in a diff for a removed line that holds a secret.
const secretLineText = "(a line holding a secret, not shown)"

// sortRuns puts, in every run of changed lines, the removed lines before
// the added ones, as diff tools show them. The order of removed lines among
// themselves, and of added lines, is kept.
func sortRuns(diff []diffLine) []diffLine {
	for i := 0; i < len(diff); {
		if diff[i].op == ' ' {
			i++
			continue
		}
		j := i
		for j < len(diff) && diff[j].op != ' ' {
			j++
		}
		slices.SortStableFunc(diff[i:j], func(a, b diffLine) int {
			return rank(a.op) - rank(b.op)
		})
		i = j
	}
	return diff
}

func rank(op byte) int {
	if op == '-' {
		return 0
	}
	return 1
}

// wholeFile returns the difference that adds (op '+') or removes (op '-')
// every line of data.
func wholeFile(op byte, data []byte) []diffLine {
	var diff []diffLine
	for _, l := range splitLines(data) {
		diff = append(diff, diffLine{op, l.text, l.eol})
	}
	return diff
}
