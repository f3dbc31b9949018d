package apply

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"os/exec"
	"strings"

	"bastion/internal/journal"
	"bastion/internal/target"
)

// UndoOptions tune an undo.
type UndoOptions struct {
	// Force restores files that changed after the run as well.
	Force bool
	// Commands runs the inverse commands (live hosts only).
	Commands bool
	Log      io.Writer
	// keep leaves the journal in place (a rollback inside Apply).
	keep bool
}

// Undo puts every file of a run back as it was before the run, byte for
// byte, with its mode, owner and group; then, on a live host, runs the
// inverse of each command. A file that is neither as the run left it nor as
// it was before changed after the run: undo refuses (naming every such
// file) and changes nothing, unless Force. Undo of a run that was cut off
// restores what the run had changed and leaves what it had not. When every
// file is back, the run's journal is removed.
func Undo(ctx context.Context, t *target.Target, j *journal.Store, run *journal.Run, opt UndoOptions) ([]string, error) {
	logf := func(format string, args ...any) {
		if opt.Log != nil {
			fmt.Fprintf(opt.Log, format+"\n", args...)
		}
	}
	type todo struct {
		f        journal.File
		original []byte
		restore  bool
	}
	var plan []todo
	var changed []string
	for i := len(run.Files) - 1; i >= 0; i-- {
		f := run.Files[i]
		state, err := stateOf(t, f)
		if err != nil {
			return nil, err
		}
		switch state {
		case "before":
			plan = append(plan, todo{f: f})
		case "after":
			orig, err := j.Original(run, f)
			if err != nil {
				return nil, err
			}
			plan = append(plan, todo{f: f, original: orig, restore: true})
		default:
			if !opt.Force {
				changed = append(changed, f.Path)
				continue
			}
			orig, err := j.Original(run, f)
			if err != nil {
				return nil, err
			}
			plan = append(plan, todo{f: f, original: orig, restore: true})
		}
	}
	if len(changed) > 0 && !opt.keep {
		return nil, fmt.Errorf("%w: %s (undo changed nothing; --force restores them anyway)", ErrChanged, strings.Join(changed, ", "))
	}
	var restored []string
	for _, td := range plan {
		if _, err := t.RemoveTemps(td.f.Path); err != nil && !target.IsNotExist(err) {
			return restored, err
		}
		if !td.restore {
			if !td.f.Before.Exists {
				// A run cut off after making the directories of a
				// file it creates, before the file itself.
				removeDirs(t, td.f.MadeDirs)
			}
			continue
		}
		var err error
		switch {
		case !td.f.Before.Exists:
			err = t.Remove(td.f.Path)
			if target.IsNotExist(err) {
				err = nil
			}
			if err == nil {
				removeDirs(t, td.f.MadeDirs)
			}
		case td.f.Kind == "meta":
			err = t.SetMeta(td.f.Path, td.f.Before)
		case td.f.Before.Mode&fs.ModeSymlink != 0:
			if err = t.Remove(td.f.Path); target.IsNotExist(err) {
				err = nil
			}
			if err == nil {
				err = t.Symlink(td.f.Link, td.f.Path, td.f.Before)
			}
		default:
			err = t.WriteAtomic(td.f.Path, td.original, td.f.Before)
		}
		if err != nil {
			return restored, fmt.Errorf("restore %s: %w", td.f.Path, err)
		}
		logf("restored %s", td.f.Path)
		restored = append(restored, td.f.Path)
	}
	if t.Live() && opt.Commands {
		for i := len(run.Steps) - 1; i >= 0; i-- {
			inv := run.Steps[i].Inverse
			if len(inv) == 0 {
				continue
			}
			if out, err := exec.CommandContext(ctx, inv[0], inv[1:]...).CombinedOutput(); err != nil {
				logf("could not run %s: %v: %s", strings.Join(inv, " "), err, bytes.TrimSpace(out))
			} else {
				logf("ran %s", strings.Join(inv, " "))
			}
		}
	}
	if opt.keep {
		// A rollback puts back what it can, and names what it cannot.
		if len(changed) > 0 {
			return restored, fmt.Errorf("%w: %s (left as it is)", ErrChanged, strings.Join(changed, ", "))
		}
		return restored, nil
	}
	if err := j.Forget(run); err != nil {
		return restored, err
	}
	return restored, nil
}

// removeDirs removes the directories a run made, children first, each only
// when it is empty.
func removeDirs(t *target.Target, dirs []string) {
	for i := len(dirs) - 1; i >= 0; i-- {
		t.RemoveDir(dirs[i])
	}
}

// stateOf says whether a file is as before the run, as after it, or neither.
// A file whose mode or owner alone the run changes ("meta", a log file that
// grows) is judged by its mode and owner; a link by its text.
func stateOf(t *target.Target, f journal.File) (string, error) {
	m, err := t.Meta(f.Path)
	if err != nil {
		return "", err
	}
	content := "" // the hash of a file's content, or the text of a link
	switch {
	case !m.Exists:
	case m.Mode.IsRegular() && f.Kind != "meta":
		data, err := t.ReadFile(f.Path)
		if err != nil {
			return "", err
		}
		content = journal.Hash(data)
	case m.Mode&fs.ModeSymlink != 0:
		l, err := t.Readlink(f.Path)
		if err != nil {
			return "", err
		}
		content = "link " + l
	}
	same := func(want target.Meta, wantContent string) bool {
		if want.Exists != m.Exists {
			return false
		}
		if !m.Exists {
			return true
		}
		// A meta file has no content hashes, and its content is not read.
		if want.Mode.Type() != m.Mode.Type() || content != wantContent {
			return false
		}
		if m.Mode&fs.ModeSymlink != 0 {
			return true // a link's mode means nothing
		}
		return want.Mode.Perm() == m.Mode.Perm() &&
			(want.UID < 0 || m.UID < 0 || want.UID == m.UID) && (want.GID < 0 || m.GID < 0 || want.GID == m.GID)
	}
	before := f.BeforeHash
	if f.Link != "" {
		before = "link " + f.Link
	}
	switch {
	case same(f.After, f.AfterHash):
		return "after", nil
	case same(f.Before, before):
		return "before", nil
	}
	return "changed", nil
}

// Inverse returns the command that undoes a command of a plan, or nil when
// there is none to run (the file restore is the undo).
func Inverse(argv []string) []string {
	if len(argv) == 0 {
		return nil
	}
	join := strings.Join(argv, " ")
	switch {
	case strings.HasPrefix(join, "systemctl disable --now "):
		return append([]string{"systemctl", "enable", "--now"}, argv[3:]...)
	case strings.HasPrefix(join, "systemctl mask "):
		return append([]string{"systemctl", "unmask"}, argv[2:]...)
	case strings.HasPrefix(join, "stopsrc -s "):
		return append([]string{"startsrc", "-s"}, argv[2:]...)
	case strings.HasPrefix(join, "update-rc.d ") && argv[len(argv)-1] == "disable":
		return append(append([]string{}, argv[:len(argv)-1]...), "enable")
	case join == "refresh -s inetd", join == "refresh -s syslogd", join == "telinit q",
		strings.HasPrefix(join, "pkill -HUP "), strings.HasPrefix(join, "systemctl restart "):
		// Re-reading the restored file is the inverse of re-reading the
		// changed one.
		return argv
	}
	return nil
}
