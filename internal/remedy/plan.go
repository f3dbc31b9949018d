package remedy

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"slices"
	"strings"
)

// SchemaVersion is the version of the JSON form of a Plan. A plan file of
// another version is refused.
const SchemaVersion = 1

// Plan is the changes for one run, in the order they were added. The zero
// Plan is empty and ready to use.
type Plan struct {
	// Target names the host or root the plan was made for ("local host
	// NAME", "root DIR"); a plan is applied only there.
	Target  string
	Changes []Change
}

// Add appends changes to the plan.
func (p *Plan) Add(changes ...Change) {
	p.Changes = append(p.Changes, changes...)
}

// FileDiff is what a plan does to the content of one file.
type FileDiff struct {
	// Path is the file's path on the target.
	Path string
	// Kind is KindEdit, KindCreate or KindRemove.
	Kind Kind
	// Before is the current content (nil for a file to create), and After
	// the new content (nil for a file to remove). Edits that leave a file
	// as it is give equal Before and After.
	Before []byte
	After  []byte
	// Mode, Owner and Group are those of a file to create.
	Mode  fs.FileMode
	Owner string
	Group string
	// Rules are the ids of the rules that change the file, in the order
	// of the plan.
	Rules []string

	diff []diffLine
}

// Changed reports whether the file's content changes.
func (d FileDiff) Changed() bool {
	return d.Kind != KindEdit || !bytes.Equal(d.Before, d.After)
}

// ruleReason is one rule's reason for a step.
type ruleReason struct {
	rule, reason string
}

// step is something to do after the files are changed: a chmod, a chown or
// a command, with the rules that asked for it.
type step struct {
	argv     []string
	why      []ruleReason
	liveOnly bool
	offline  string
	// change is the change that asked for the step (the first one, when
	// several rules asked for the same).
	change *Change
}

// Step is something a plan does after it has changed the files' content: a
// mode or owner change, or a command, once, with every rule that asked for
// it.
type Step struct {
	// Kind is KindChmod, KindChown, KindCreate (the mode and owner of a
	// created file) or KindCommand.
	Kind  Kind
	Path  string
	Mode  fs.FileMode
	Owner string
	Group string
	// Argv is the command, or the equivalent command of a mode or owner
	// change, as the diff shows it.
	Argv []string
	// Rules are the rules that asked for the step.
	Rules []string
	// LiveOnly steps do not run on an offline root; Offline says what
	// happens there instead.
	LiveOnly bool
	Offline  string
}

// Compile checks the plan as Files does and returns, besides what it does
// to each file, the steps to take after the files are written, in order:
// modes and owners first, then commands.
func (p *Plan) Compile(read func(path string) ([]byte, error)) ([]FileDiff, []Step, error) {
	files, steps, err := p.compile(read)
	if err != nil {
		return nil, nil, err
	}
	out := make([]Step, 0, len(steps))
	for _, st := range steps {
		s := Step{Argv: st.argv, LiveOnly: st.liveOnly, Offline: st.offline}
		if c := st.change; c != nil {
			s.Kind, s.Path, s.Mode, s.Owner, s.Group = c.Kind, c.Path, c.Mode, c.Owner, c.Group
		}
		if s.Kind == KindChmod || s.Kind == KindCreate && s.Argv[0] == "chmod" {
			s.Kind, s.Owner, s.Group = KindChmod, "", ""
		} else if s.Kind == KindChown || s.Kind == KindCreate {
			s.Kind, s.Mode = KindChown, 0
		}
		for _, w := range st.why {
			if !slices.Contains(s.Rules, w.rule) {
				s.Rules = append(s.Rules, w.rule)
			}
		}
		out = append(out, s)
	}
	return files, out, nil
}

// pathChanges is what the plan does to one path.
type pathChanges struct {
	edits   *fileEdits
	create  *Change
	creates []string // rules of the create
	removes []string // rules of the remove
	mode    *Change  // first change that sets the mode
	owner   *Change  // first change that sets the owner
	group   *Change  // first change that sets the group
}

// compile checks every change, merges identical ones, finds conflicts,
// reads the files the plan changes and computes their new content.
func (p *Plan) compile(read func(path string) ([]byte, error)) ([]FileDiff, []step, error) {
	var errs []error
	paths := map[string]*pathChanges{}
	at := func(path string) *pathChanges {
		pc, ok := paths[path]
		if !ok {
			pc = &pathChanges{}
			paths[path] = pc
		}
		return pc
	}
	// Modes and owners come first, then the commands, which may read the
	// files; each list keeps the order of the plan.
	var fileSteps, cmdSteps []step
	addStep := func(list *[]step, s step) {
		for i := range *list {
			o := &(*list)[i]
			if slices.Equal(o.argv, s.argv) && o.liveOnly == s.liveOnly && o.offline == s.offline {
				for _, w := range s.why {
					if !slices.Contains(o.why, w) {
						o.why = append(o.why, w)
					}
				}
				return
			}
		}
		*list = append(*list, s)
	}
	claim := func(slot **Change, c *Change, same func(a, b *Change) bool, what string) {
		if *slot == nil {
			*slot = c
			return
		}
		if !same(*slot, c) {
			errs = append(errs, fmt.Errorf("%s: conflicting %s from %s (%s) and %s (%s)",
				c.Path, what, (*slot).Rule, *slot, c.Rule, c))
		}
	}
	sameMode := func(a, b *Change) bool { return a.Mode == b.Mode }
	sameOwner := func(a, b *Change) bool { return a.Owner == b.Owner }
	sameGroup := func(a, b *Change) bool { return a.Group == b.Group }

	for i := range p.Changes {
		c := &p.Changes[i]
		if err := c.validate(); err != nil {
			errs = append(errs, err)
			continue
		}
		why := []ruleReason{{c.Rule, c.Reason}}
		switch c.Kind {
		case KindEdit:
			pc := at(c.Path)
			if pc.edits == nil {
				pc.edits = newFileEdits(c.Path)
			}
			for _, e := range c.Edits {
				if err := pc.edits.add(c.Rule, e); err != nil {
					errs = append(errs, err)
				}
			}
		case KindCreate:
			pc := at(c.Path)
			if pc.create != nil && (pc.create.Content != c.Content || pc.create.Mode != c.Mode ||
				pc.create.Owner != c.Owner || pc.create.Group != c.Group) {
				errs = append(errs, fmt.Errorf("%s: conflicting creates from %s and %s", c.Path, pc.create.Rule, c.Rule))
				continue
			}
			if pc.create == nil {
				pc.create = c
			}
			if !slices.Contains(pc.creates, c.Rule) {
				pc.creates = append(pc.creates, c.Rule)
			}
			claim(&pc.mode, c, sameMode, "modes")
			addStep(&fileSteps, step{argv: []string{"chmod", octal(c.Mode), c.Path}, why: why, change: c})
			if c.Owner != "" {
				claim(&pc.owner, c, sameOwner, "owners")
			}
			if c.Group != "" {
				claim(&pc.group, c, sameGroup, "groups")
			}
			if c.Owner != "" || c.Group != "" {
				addStep(&fileSteps, step{argv: chownArgv(c), why: why, change: c})
			}
		case KindRemove:
			pc := at(c.Path)
			if !slices.Contains(pc.removes, c.Rule) {
				pc.removes = append(pc.removes, c.Rule)
			}
		case KindChmod:
			claim(&at(c.Path).mode, c, sameMode, "modes")
			addStep(&fileSteps, step{argv: []string{"chmod", octal(c.Mode), c.Path}, why: why, change: c})
		case KindChown:
			pc := at(c.Path)
			if c.Owner != "" {
				claim(&pc.owner, c, sameOwner, "owners")
			}
			if c.Group != "" {
				claim(&pc.group, c, sameGroup, "groups")
			}
			addStep(&fileSteps, step{argv: chownArgv(c), why: why, change: c})
		case KindCommand:
			addStep(&cmdSteps, step{argv: c.Argv, why: why, liveOnly: c.LiveOnly, offline: c.Offline, change: c})
		}
	}

	var files []FileDiff
	for _, path := range slices.Sorted(maps.Keys(paths)) {
		pc := paths[path]
		switch {
		case pc.create != nil && pc.edits != nil:
			errs = append(errs, fmt.Errorf("%s: conflicting changes: created by %s and edited by %s",
				path, strings.Join(pc.creates, ", "), strings.Join(pc.edits.rules, ", ")))
			continue
		case pc.create != nil && pc.removes != nil:
			errs = append(errs, fmt.Errorf("%s: conflicting changes: created by %s and removed by %s",
				path, strings.Join(pc.creates, ", "), strings.Join(pc.removes, ", ")))
			continue
		case pc.removes != nil && pc.edits != nil:
			errs = append(errs, fmt.Errorf("%s: conflicting changes: edited by %s and removed by %s",
				path, strings.Join(pc.edits.rules, ", "), strings.Join(pc.removes, ", ")))
			continue
		case pc.removes != nil && (pc.mode != nil || pc.owner != nil || pc.group != nil):
			errs = append(errs, fmt.Errorf("%s: conflicting changes: removed by %s and given a mode or owner by %s",
				path, strings.Join(pc.removes, ", "), firstRule(pc.mode, pc.owner, pc.group)))
			continue
		}
		switch {
		case pc.edits != nil:
			before, err := read(path)
			if err != nil {
				errs = append(errs, fmt.Errorf("edit %s: %w", path, err))
				continue
			}
			after, diff, err := pc.edits.apply(before)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			files = append(files, FileDiff{Path: path, Kind: KindEdit, Before: before, After: after,
				Rules: pc.edits.rules, diff: diff})
		case pc.create != nil:
			_, err := read(path)
			switch {
			case err == nil:
				errs = append(errs, fmt.Errorf("create %s: file exists", path))
				continue
			case !errors.Is(err, fs.ErrNotExist):
				errs = append(errs, fmt.Errorf("create %s: %w", path, err))
				continue
			}
			c := pc.create
			after := []byte(c.Content)
			files = append(files, FileDiff{Path: path, Kind: KindCreate, After: after,
				Mode: c.Mode, Owner: c.Owner, Group: c.Group, Rules: pc.creates, diff: wholeFile('+', after)})
		case pc.removes != nil:
			before, err := read(path)
			if err != nil {
				errs = append(errs, fmt.Errorf("remove %s: %w", path, err))
				continue
			}
			files = append(files, FileDiff{Path: path, Kind: KindRemove, Before: before,
				Rules: pc.removes, diff: wholeFile('-', before)})
		}
	}
	if len(errs) > 0 {
		return nil, nil, errors.Join(errs...)
	}
	return files, append(fileSteps, cmdSteps...), nil
}

func firstRule(cs ...*Change) string {
	for _, c := range cs {
		if c != nil {
			return c.Rule
		}
	}
	return ""
}

func chownArgv(c *Change) []string {
	if c.Owner == "" {
		return []string{"chgrp", c.Group, c.Path}
	}
	return []string{"chown", ownerSpec(c.Owner, c.Group), c.Path}
}

// Files checks the plan against the current content of the files it
// changes, which read returns (read must fail with an error matching
// fs.ErrNotExist for a file that does not exist), and returns what the plan
// does to each file, sorted by path.
//
// The edits of a file are grouped, whichever changes they came in; each
// replaced or deleted line must have the text the edit expects
// ("/etc/inetd.conf:14: expected "X", found "Y""); two different edits of
// one line are a conflict naming both rules, while identical edits from
// several findings are merged. The edits are applied in line order on the
// original lines, and each line keeps its ending ("\n" or "\r\n"; added
// lines take the ending of the file's first line). A file that did not end
// in a newline still does not, unless its last line is deleted or it would
// end in an empty line. Every problem of the plan is reported, joined in one
// error.
func (p *Plan) Files(read func(path string) ([]byte, error)) ([]FileDiff, error) {
	files, _, err := p.compile(read)
	return files, err
}

// Summary lists the changes of the plan by rule, in the order the rules
// first appear, one change a line with its reason.
func (p *Plan) Summary() string {
	var order []string
	byRule := map[string][]Change{}
	for _, c := range p.Changes {
		if _, ok := byRule[c.Rule]; !ok {
			order = append(order, c.Rule)
		}
		byRule[c.Rule] = append(byRule[c.Rule], c)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s from %s\n", count(len(p.Changes), "change"), count(len(order), "rule"))
	for _, rule := range order {
		name := rule
		if name == "" {
			name = "(no rule)"
		}
		fmt.Fprintf(&b, "%s\n", name)
		for _, c := range byRule[rule] {
			fmt.Fprintf(&b, "  %s: %s\n", c, c.Reason)
		}
	}
	return b.String()
}
