// Package apply makes a plan's changes on a target, and undoes them. Every
// file is replaced atomically (target.WriteAtomic), the journal records the
// originals before the first change, and a step that fails puts back every
// file the run had already changed. Undo restores every byte and every mode,
// owner and group from the journal, refusing where a file changed after the
// run.
package apply

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os/exec"
	"strings"
	"time"

	"bastion/internal/journal"
	"bastion/internal/parse/idfile"
	"bastion/internal/remedy"
	"bastion/internal/target"
)

// Options tune a run.
type Options struct {
	// Commands runs the plan's commands (live hosts only; never on an
	// offline root).
	Commands bool
	// Log receives one line per step, for the person watching.
	Log io.Writer
	// Now is the run's start time (default time.Now).
	Now time.Time
	// Hook, when set, is called before and after every step with its
	// name; tests use it to stop a run at a chosen point.
	Hook func(point string)
}

func (o *Options) logf(format string, args ...any) {
	if o.Log != nil {
		fmt.Fprintf(o.Log, format+"\n", args...)
	}
}

func (o *Options) hook(point string) {
	if o.Hook != nil {
		o.Hook(point)
	}
}

// Apply makes the plan's changes on t, recording them in the journal j
// first. On a step that fails, the files already changed are put back and
// the run is marked rolled back.
func Apply(ctx context.Context, t *target.Target, j *journal.Store, plan *remedy.Plan, opt Options) (*journal.Run, error) {
	if opt.Now.IsZero() {
		opt.Now = time.Now()
	}
	files, steps, err := plan.Compile(t.ReadFile)
	if err != nil {
		return nil, fmt.Errorf("the plan does not fit the target as it is now (nothing was changed):\n%w", err)
	}
	run := &journal.Run{ID: journal.NewID(opt.Now), Started: opt.Now, Target: t.String(), Live: t.Live(), Plan: plan}
	originals := map[string][]byte{}
	ids := newIDs(t)
	for _, fd := range files {
		if !fd.Changed() {
			continue
		}
		before, err := t.Meta(fd.Path)
		if err != nil {
			return nil, err
		}
		rec := journal.File{Path: fd.Path, Kind: fd.Kind, Before: before, After: before}
		switch {
		case !before.Exists || before.Mode.IsRegular():
		case before.Mode&fs.ModeSymlink != 0 && fd.Kind == remedy.KindRemove:
			// A start link: undo makes the link again.
			if rec.Link, err = t.Readlink(fd.Path); err != nil {
				return nil, err
			}
		case before.Mode&fs.ModeSymlink != 0:
			return nil, fmt.Errorf("%s: is a symbolic link; bastion does not write through links (nothing was changed)", fd.Path)
		default:
			return nil, fmt.Errorf("%s: not a regular file (nothing was changed)", fd.Path)
		}
		if before.Exists && rec.Link == "" {
			data, err := t.ReadFile(fd.Path)
			if err != nil {
				return nil, err
			}
			originals[fd.Path] = data
			rec.BeforeHash = journal.Hash(data)
		}
		switch fd.Kind {
		case remedy.KindRemove:
			rec.After = target.Meta{UID: -1, GID: -1}
		case remedy.KindCreate:
			rec.After = target.Meta{Exists: true, Mode: fd.Mode, UID: -1, GID: -1}
			if rec.After.Mode == 0 {
				rec.After.Mode = 0o644
			}
			if rec.After.UID, rec.After.GID, err = ids.lookup(fd.Owner, fd.Group); err != nil {
				return nil, err
			}
			rec.AfterHash = journal.Hash(fd.After)
			rec.MadeDirs = missingDirs(t, fd.Path)
		default:
			rec.AfterHash = journal.Hash(fd.After)
		}
		run.Files = append(run.Files, rec)
	}
	afters := map[string][]byte{}
	for _, fd := range files {
		afters[fd.Path] = fd.After
	}
	// Mode and owner changes of files the plan does not otherwise write.
	for _, st := range steps {
		if st.Kind != remedy.KindChmod && st.Kind != remedy.KindChown {
			continue
		}
		i := fileIndex(run.Files, st.Path)
		if i < 0 {
			before, err := t.Meta(st.Path)
			if err != nil {
				return nil, err
			}
			if !before.Exists {
				return nil, fmt.Errorf("%s: cannot change the mode or owner of a file that does not exist (nothing was changed)", st.Path)
			}
			if !before.Mode.IsRegular() {
				return nil, fmt.Errorf("%s: not a regular file; bastion changes the mode or owner of regular files only (nothing was changed)", st.Path)
			}
			run.Files = append(run.Files, journal.File{Path: st.Path, Kind: "meta", Before: before, After: before})
			i = len(run.Files) - 1
		}
		f := &run.Files[i]
		if st.Kind == remedy.KindChmod {
			// As chmod(1) with an octal mode: the setuid, setgid and
			// sticky bits are set or cleared too.
			f.After.Mode = f.After.Mode&^modeBits | st.Mode&modeBits
		} else {
			uid, gid, err := ids.lookup(st.Owner, st.Group)
			if err != nil {
				return nil, err
			}
			if st.Owner != "" {
				f.After.UID = uid
			}
			if st.Group != "" {
				f.After.GID = gid
			}
		}
	}
	for _, st := range steps {
		if st.Kind == remedy.KindCommand {
			run.Steps = append(run.Steps, journal.Step{Step: st, Inverse: Inverse(st.Argv)})
		}
	}
	if err := j.Begin(run, originals); err != nil {
		return nil, fmt.Errorf("%w (nothing was changed)", err)
	}
	opt.hook("prepared")
	run.Status = journal.Applying
	if err := j.Save(run); err != nil {
		return run, err
	}
	for i, f := range run.Files {
		opt.hook(fmt.Sprintf("before file %d", i))
		if err := j.Event(run, "begin file %d %s", i, f.Path); err != nil {
			return run, rollback(t, j, run, i, err, opt)
		}
		if err := write(t, f, afters[f.Path]); err != nil {
			return run, rollback(t, j, run, i, err, opt)
		}
		opt.logf("changed %s", f.Path)
		opt.hook(fmt.Sprintf("after file %d", i))
		if err := j.Event(run, "end file %d", i); err != nil {
			return run, rollback(t, j, run, i, err, opt)
		}
	}
	var failed []string
	for i, st := range run.Steps {
		if !t.Live() || !opt.Commands {
			note := st.Offline
			if note == "" {
				note = "not run"
			}
			opt.logf("not run on %s: %s (%s)", t, strings.Join(st.Argv, " "), note)
			j.Event(run, "skip step %d: %s", i, strings.Join(st.Argv, " "))
			continue
		}
		opt.hook(fmt.Sprintf("before step %d", i))
		j.Event(run, "begin step %d: %s", i, strings.Join(st.Argv, " "))
		out, err := exec.CommandContext(ctx, st.Argv[0], st.Argv[1:]...).CombinedOutput()
		if err != nil {
			failed = append(failed, fmt.Sprintf("%s: %v: %s", strings.Join(st.Argv, " "), err, bytes.TrimSpace(out)))
			j.Event(run, "fail step %d: %v", i, err)
			continue
		}
		opt.logf("ran %s", strings.Join(st.Argv, " "))
		j.Event(run, "end step %d", i)
	}
	run.Status = journal.Applied
	if len(failed) > 0 {
		run.Note = "commands that failed (the files are changed; run them by hand or undo): " + strings.Join(failed, "; ")
	}
	if err := j.Save(run); err != nil {
		return run, err
	}
	j.Event(run, "end run")
	opt.hook("done")
	return run, nil
}

// modeBits are the bits of a mode a chmod sets.
const modeBits = fs.ModePerm | fs.ModeSetuid | fs.ModeSetgid | fs.ModeSticky

// missingDirs returns the directories above path that do not exist, parents
// first.
func missingDirs(t *target.Target, path string) []string {
	var out []string
	for d := parentOf(path); d != "/" && d != ""; d = parentOf(d) {
		if t.Exists(d) {
			break
		}
		out = append([]string{d}, out...)
	}
	return out
}

func parentOf(p string) string {
	i := strings.LastIndexByte(p, '/')
	if i <= 0 {
		return "/"
	}
	return p[:i]
}

// write makes one journal file what the run wants.
func write(t *target.Target, f journal.File, after []byte) error {
	for _, d := range f.MadeDirs {
		if err := t.MkdirAll(d, 0o755); err != nil {
			return err
		}
	}
	switch {
	case !f.After.Exists:
		return t.Remove(f.Path)
	case f.Kind == "meta":
		return t.SetMeta(f.Path, f.After)
	}
	return t.WriteAtomic(f.Path, after, f.After)
}

// rollback puts back the files of a run after file i failed: files 0 to i,
// which the run got to. The files after i are not the run's business yet.
func rollback(t *target.Target, j *journal.Store, run *journal.Run, i int, cause error, opt Options) error {
	opt.logf("failed: %v; putting the files back", cause)
	begun := *run
	begun.Files = run.Files[:i+1]
	if _, err := Undo(context.Background(), t, j, &begun, UndoOptions{Log: opt.Log, keep: true}); err != nil {
		run.Status, run.Note = journal.Failed, fmt.Sprintf("%v; undo after it failed too: %v", cause, err)
		j.Save(run)
		return fmt.Errorf("%w; and putting the files back failed: %v (see bastion history)", cause, err)
	}
	run.Status, run.Note = journal.RolledBack, cause.Error()
	j.Save(run)
	return fmt.Errorf("%w (every file was put back)", cause)
}

func fileIndex(files []journal.File, path string) int {
	for i, f := range files {
		if f.Path == path {
			return i
		}
	}
	return -1
}

// ids turns owner and group names into numbers, from the target's own
// /etc/passwd and /etc/group.
type ids struct {
	t             *target.Target
	passwd, group *idfile.File
}

func newIDs(t *target.Target) *ids { return &ids{t: t} }

func (x *ids) load(name string) *idfile.File {
	data, err := x.t.ReadFile(name)
	if err != nil {
		return &idfile.File{}
	}
	f, _ := idfile.Parse(bytes.NewReader(data), name)
	if f == nil {
		return &idfile.File{}
	}
	return f
}

func (x *ids) lookup(owner, group string) (uid, gid int, err error) {
	uid, gid = -1, -1
	if owner != "" {
		if x.passwd == nil {
			x.passwd = x.load("/etc/passwd")
		}
		id, ok := x.passwd.ID(owner)
		if !ok && owner == "root" {
			id, ok = 0, true
		}
		if !ok {
			return 0, 0, fmt.Errorf("owner %q is not in the target's /etc/passwd (nothing was changed)", owner)
		}
		uid = id
	}
	if group != "" {
		if x.group == nil {
			x.group = x.load("/etc/group")
		}
		id, ok := x.group.ID(group)
		if !ok && (group == "root" || group == "system") {
			id, ok = 0, true
		}
		if !ok {
			return 0, 0, fmt.Errorf("group %q is not in the target's /etc/group (nothing was changed)", group)
		}
		gid = id
	}
	return uid, gid, nil
}

// ErrChanged reports a file that changed after the run, so undo leaves it.
var ErrChanged = errors.New("changed since the run")
