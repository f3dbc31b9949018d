// Package remedy holds the changes that fix findings and the plan that
// collects them for one run.
//
// A Change is data: one step of a fix, such as an edit of some lines of a
// file, a file to create or remove, a chmod or chown, or a command to run
// afterwards. Every change names the rule it comes from and says why in one
// line. Rules build changes with the helpers of this package (CommentLine,
// ReplaceLine, DeleteLine, InsertAfter, AppendLines, CreateFile, RemoveFile,
// Chmod, Chown, Command) and For, so a remedy reads as one line per step:
//
//	remedy.CommentLine(s.File, s.Line, s.Text, "#").For(id, "telnet sends passwords in clear text")
//	remedy.Command(id, "reload inetd.conf", "refresh", "-s", "inetd").WhenOffline("read when inetd next starts")
//
// The helpers know nothing of any service or file format: what a rule
// passes is what the plan does.
//
// Edits of a file are line operations on the file's original lines: line
// numbers always refer to the file as it was read, whatever the order in
// which the edits were added, and a replaced or deleted line carries the
// text it is expected to have, so a plan made from an older copy of a file
// is refused instead of applied to the wrong line.
//
// A Plan collects the changes of a run. Plan.Files checks them against the
// current content of each file and computes each file's new content;
// Plan.WriteDiff renders the plan as a unified diff that GNU patch accepts
// (paths relative to the target root, for "patch -p1 -d ROOT"), followed
// by the commands to run afterwards as shell comments. A plan is JSON, so
// it can be saved, reviewed and applied later.
package remedy

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"path"
	"strings"
)

// Kind is what a change does.
type Kind string

// The kinds of change.
const (
	// KindEdit edits lines of an existing file (Path, Edits).
	KindEdit Kind = "edit"
	// KindCreate creates a file that does not exist (Path, Content, Mode,
	// and optionally Owner and Group).
	KindCreate Kind = "create"
	// KindRemove removes a file (Path).
	KindRemove Kind = "remove"
	// KindChmod sets the mode of a file (Path, Mode).
	KindChmod Kind = "chmod"
	// KindChown sets the owner, the group, or both of a file (Path, Owner,
	// Group).
	KindChown Kind = "chown"
	// KindCommand runs a command after the files are changed (Argv, and
	// LiveOnly and Offline for a command that only makes sense on a
	// running host).
	KindCommand Kind = "command"
)

// EditOp is what an edit does to a file's lines.
type EditOp string

// The edit operations. Line numbers count from 1 and refer to the original
// lines of the file.
const (
	// OpReplace replaces line Line, whose text must be Old, with the
	// lines New.
	OpReplace EditOp = "replace"
	// OpDelete deletes line Line, whose text must be Old.
	OpDelete EditOp = "delete"
	// OpInsert inserts the lines New after line Line; Line 0 inserts at
	// the top of the file.
	OpInsert EditOp = "insert"
	// OpAppend adds the lines New at the end of the file; Line is 0.
	OpAppend EditOp = "append"
)

// Edit is one line operation on a file. Old and the lines of New are text
// without line endings; the file's own line endings are kept.
type Edit struct {
	Op   EditOp
	Line int
	// Old is the current text of the line a replace or delete changes,
	// as parse.SplitLines returns it.
	Old string
	// OldSHA256, for a line that holds a secret (an SNMP community), takes
	// Old's place: the line is checked by its hash, and no output (diff,
	// plan file, error) ever shows its text.
	OldSHA256 string
	// New holds the lines a replace, insert or append writes.
	New []string
}

// Change is one step of a fix. Which fields apply depends on Kind (see the
// Kind constants); the others are empty.
type Change struct {
	Kind Kind
	// Rule is the id of the rule the change fixes, and Reason says why in
	// one line.
	Rule   string
	Reason string

	// Path is the absolute, clean path of the file on the target
	// ("/etc/inetd.conf"), for every kind but KindCommand.
	Path string
	// Edits are the line operations of a KindEdit change.
	Edits []Edit
	// Content is the whole content of a file KindCreate creates.
	Content string
	// Mode is the mode of a created file, or the mode KindChmod sets: the
	// permission bits and, if wanted, fs.ModeSetuid, fs.ModeSetgid and
	// fs.ModeSticky.
	Mode fs.FileMode
	// Owner and Group are user and group names for KindCreate and
	// KindChown; empty leaves that one as it is.
	Owner string
	Group string

	// Argv is the command of a KindCommand change.
	Argv []string
	// LiveOnly marks a command that is run only on a live host; Offline
	// then says what happens on an offline root instead ("takes effect
	// at next boot").
	LiveOnly bool
	Offline  string
}

// For returns c with its rule id and reason set.
func (c Change) For(rule, reason string) Change {
	c.Rule = rule
	c.Reason = reason
	return c
}

// WhenOffline returns c marked as a command that runs only on a live host;
// note says what happens on an offline root instead ("takes effect at next
// boot").
func (c Change) WhenOffline(note string) Change {
	c.LiveOnly = true
	c.Offline = note
	return c
}

// EditLines returns a change that applies edits to the file at path.
func EditLines(path string, edits ...Edit) Change {
	return Change{Kind: KindEdit, Path: path, Edits: edits}
}

// ReplaceLine returns a change that replaces line number line of the file
// at path, whose text must be old, with replacement.
func ReplaceLine(path string, line int, old, replacement string) Change {
	return EditLines(path, Edit{Op: OpReplace, Line: line, Old: old, New: []string{replacement}})
}

// CommentLine returns a change that puts prefix in front of line number
// line of the file at path, whose text must be old. The prefix is the
// caller's: "#" for files that take "#" comments.
func CommentLine(path string, line int, old, prefix string) Change {
	return ReplaceLine(path, line, old, prefix+old)
}

// DeleteLine returns a change that deletes line number line of the file at
// path, whose text must be old.
func DeleteLine(path string, line int, old string) Change {
	return EditLines(path, Edit{Op: OpDelete, Line: line, Old: old})
}

// InsertAfter returns a change that inserts lines after line number line
// of the file at path; line 0 inserts at the top.
func InsertAfter(path string, line int, lines ...string) Change {
	return EditLines(path, Edit{Op: OpInsert, Line: line, New: lines})
}

// AppendLines returns a change that adds lines at the end of the file at
// path.
func AppendLines(path string, lines ...string) Change {
	return EditLines(path, Edit{Op: OpAppend, New: lines})
}

// CreateFile returns a change that creates the file at path, which must not
// exist, with content and mode, owned by owner and group (empty names leave
// the defaults of whoever applies the plan).
func CreateFile(path, content string, mode fs.FileMode, owner, group string) Change {
	return Change{Kind: KindCreate, Path: path, Content: content, Mode: mode, Owner: owner, Group: group}
}

// RemoveFile returns a change that removes the file at path.
func RemoveFile(path string) Change {
	return Change{Kind: KindRemove, Path: path}
}

// Chmod returns a change that sets the mode of the file at path.
func Chmod(path string, mode fs.FileMode) Change {
	return Change{Kind: KindChmod, Path: path, Mode: mode}
}

// Chown returns a change that sets the owner and group of the file at path;
// an empty name leaves that one unchanged.
func Chown(path, owner, group string) Change {
	return Change{Kind: KindChown, Path: path, Owner: owner, Group: group}
}

// Command returns a change for rule that runs argv after the files are
// changed; desc says what it does ("reload inetd.conf") and is the change's
// reason.
func Command(rule, desc string, argv ...string) Change {
	return Change{Kind: KindCommand, Rule: rule, Reason: desc, Argv: argv}
}

// modeBits is every mode bit a change may set.
const modeBits = fs.ModePerm | fs.ModeSetuid | fs.ModeSetgid | fs.ModeSticky

// octal returns m as chmod writes it: "0644", "4755".
func octal(m fs.FileMode) string {
	v := uint32(m.Perm())
	if m&fs.ModeSetuid != 0 {
		v |= 0o4000
	}
	if m&fs.ModeSetgid != 0 {
		v |= 0o2000
	}
	if m&fs.ModeSticky != 0 {
		v |= 0o1000
	}
	return fmt.Sprintf("%04o", v)
}

// fromOctal is the inverse of octal for values up to 07777.
func fromOctal(v uint64) fs.FileMode {
	m := fs.FileMode(v & 0o777)
	if v&0o4000 != 0 {
		m |= fs.ModeSetuid
	}
	if v&0o2000 != 0 {
		m |= fs.ModeSetgid
	}
	if v&0o1000 != 0 {
		m |= fs.ModeSticky
	}
	return m
}

// ownerSpec returns owner and group as chown writes them ("root:system",
// "root", ":system").
func ownerSpec(owner, group string) string {
	if group == "" {
		return owner
	}
	return owner + ":" + group
}

// String describes c in a few words, without its rule and reason:
// "edit /etc/inetd.conf: replace line 14", "chmod 0600 /etc/ftpusers".
func (c Change) String() string {
	switch c.Kind {
	case KindEdit:
		parts := make([]string, 0, len(c.Edits))
		for _, e := range c.Edits {
			parts = append(parts, e.String())
		}
		return "edit " + c.Path + ": " + strings.Join(parts, ", ")
	case KindCreate:
		s := fmt.Sprintf("create %s (%d bytes, mode %s", c.Path, len(c.Content), octal(c.Mode))
		if c.Owner != "" || c.Group != "" {
			s += ", owner " + ownerSpec(c.Owner, c.Group)
		}
		return s + ")"
	case KindRemove:
		return "remove " + c.Path
	case KindChmod:
		return "chmod " + octal(c.Mode) + " " + c.Path
	case KindChown:
		return "chown " + ownerSpec(c.Owner, c.Group) + " " + c.Path
	case KindCommand:
		s := "run " + shellJoin(c.Argv)
		if c.LiveOnly {
			s += " (live only)"
		}
		return s
	}
	return fmt.Sprintf("%s %s", c.Kind, c.Path)
}

// String describes e: "replace line 14", "insert 2 lines after line 3".
func (e Edit) String() string {
	switch e.Op {
	case OpReplace:
		if len(e.New) == 1 {
			return fmt.Sprintf("replace line %d", e.Line)
		}
		return fmt.Sprintf("replace line %d with %s", e.Line, count(len(e.New), "line"))
	case OpDelete:
		return fmt.Sprintf("delete line %d", e.Line)
	case OpInsert:
		if e.Line == 0 {
			return fmt.Sprintf("insert %s at the top", count(len(e.New), "line"))
		}
		return fmt.Sprintf("insert %s after line %d", count(len(e.New), "line"), e.Line)
	case OpAppend:
		return fmt.Sprintf("append %s", count(len(e.New), "line"))
	}
	return fmt.Sprintf("%s line %d", e.Op, e.Line)
}

func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// label names c in an error: "edit /etc/inetd.conf", "run refresh -s inetd".
func (c Change) label() string {
	switch {
	case c.Kind == KindCommand && len(c.Argv) > 0:
		return "run " + shellJoin(c.Argv)
	case c.Kind == KindCommand:
		return "run"
	case c.Path == "":
		return string(c.Kind)
	}
	return fmt.Sprintf("%s %s", c.Kind, c.Path)
}

// validate reports what is wrong with c on its own, before any file is
// read.
func (c Change) validate() error {
	if c.Rule == "" {
		return fmt.Errorf("%s: no rule id", c.label())
	}
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%s: %s: %s", c.Rule, c.label(), fmt.Sprintf(format, args...))
	}
	if c.Reason == "" || strings.ContainsAny(c.Reason, "\r\n") {
		return bad("reason must be one non-empty line")
	}
	if c.Kind != KindCommand {
		if !path.IsAbs(c.Path) || path.Clean(c.Path) != c.Path || c.Path == "/" || strings.ContainsAny(c.Path, "\r\n\t") {
			return bad("path %q is not an absolute, clean file path", c.Path)
		}
	} else if c.Path != "" {
		return bad("a command has no path")
	}
	if c.Kind != KindEdit && len(c.Edits) > 0 {
		return bad("only an edit has line edits")
	}
	if c.Kind != KindCreate && c.Content != "" {
		return bad("only a create has content")
	}
	if c.Kind != KindCreate && c.Kind != KindChmod && c.Mode != 0 {
		return bad("only a create or chmod has a mode")
	}
	if c.Kind != KindCreate && c.Kind != KindChown && (c.Owner != "" || c.Group != "") {
		return bad("only a create or chown has an owner or group")
	}
	if c.Kind != KindCommand && (len(c.Argv) > 0 || c.LiveOnly || c.Offline != "") {
		return bad("only a command has argv or live-only")
	}
	for _, name := range []string{c.Owner, c.Group} {
		if strings.ContainsAny(name, ": \t\r\n") {
			return bad("bad owner or group name %q", name)
		}
	}
	switch c.Kind {
	case KindEdit:
		if len(c.Edits) == 0 {
			return bad("no line edits")
		}
		for _, e := range c.Edits {
			if err := e.validate(); err != nil {
				return bad("%v", err)
			}
		}
	case KindCreate, KindChmod:
		if c.Mode&^modeBits != 0 {
			return bad("mode %v has bits other than permissions, setuid, setgid and sticky", c.Mode)
		}
	case KindRemove:
	case KindChown:
		if c.Owner == "" && c.Group == "" {
			return bad("neither owner nor group")
		}
	case KindCommand:
		if len(c.Argv) == 0 || c.Argv[0] == "" {
			return bad("no command")
		}
		for _, a := range c.Argv {
			if strings.ContainsAny(a, "\r\n") {
				return bad("command word %q has a line ending in it", a)
			}
		}
		if c.Offline != "" && !c.LiveOnly {
			return bad("offline note on a command that is not live only")
		}
		if strings.ContainsAny(c.Offline, "\r\n") {
			return bad("offline note must be one line")
		}
	default:
		return bad("unknown change kind %q", c.Kind)
	}
	return nil
}

// validate reports what is wrong with e on its own.
func (e Edit) validate() error {
	for _, l := range e.New {
		if strings.ContainsAny(l, "\r\n") {
			return fmt.Errorf("%s: new line %q has a line ending in it", e, l)
		}
	}
	if strings.Contains(e.Old, "\n") {
		return fmt.Errorf("%s: old text %q has a newline in it", e, e.Old)
	}
	if e.OldSHA256 != "" && (e.Old != "" || e.Op != OpReplace && e.Op != OpDelete) {
		return fmt.Errorf("%s: a hashed old line goes with a replace or delete, without old text", e)
	}
	switch e.Op {
	case OpReplace:
		if e.Line < 1 {
			return fmt.Errorf("%s: line numbers start at 1", e)
		}
		if len(e.New) == 0 {
			return fmt.Errorf("%s: no new lines (delete the line instead)", e)
		}
	case OpDelete:
		if e.Line < 1 {
			return fmt.Errorf("%s: line numbers start at 1", e)
		}
		if len(e.New) > 0 {
			return fmt.Errorf("%s: a delete has no new lines", e)
		}
	case OpInsert:
		if e.Line < 0 {
			return fmt.Errorf("%s: negative line number", e)
		}
		if len(e.New) == 0 || e.Old != "" {
			return fmt.Errorf("%s: an insert has new lines and no old text", e)
		}
	case OpAppend:
		if e.Line != 0 {
			return fmt.Errorf("%s: an append has no line number", e)
		}
		if len(e.New) == 0 || e.Old != "" {
			return fmt.Errorf("%s: an append has new lines and no old text", e)
		}
	default:
		return fmt.Errorf("unknown edit operation %q", e.Op)
	}
	return nil
}

// ReplaceSecretLine replaces line of path, which holds a secret, with
// replacement. The line is checked by its SHA-256 instead of its text, and
// diffs show it hidden, so the secret never appears in a plan or its output.
func ReplaceSecretLine(path string, line int, old, replacement string) Change {
	sum := sha256.Sum256([]byte(old))
	return EditLines(path, Edit{Op: OpReplace, Line: line, OldSHA256: hex.EncodeToString(sum[:]), New: []string{replacement}})
}
