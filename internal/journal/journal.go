// Package journal records what bastion does to a host, before it does it:
// the run, the original bytes and metadata of every file it will touch, and
// the start and end of every step. A run cut off at any point can be undone
// from its journal, because every file is either as it was or as planned
// (files are replaced by rename) and the journal holds both.
//
// A journal lives in a state directory (/var/lib/bastion on a live host,
// the same path inside an offline root, or a directory given by the user):
//
//	runs/RUN-ID/run.json    the run: target, plan, files, steps, status
//	runs/RUN-ID/events      one line per step start and end, synced each time
//	runs/RUN-ID/before/N    the original bytes of file N
package journal

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sort"
	"strings"
	"time"

	"bastion/internal/remedy"
	"bastion/internal/target"
)

// SchemaVersion is the version of run.json.
const SchemaVersion = 1

// Status is where a run stands.
type Status string

// Run statuses.
const (
	Prepared   Status = "prepared"    // originals saved, nothing changed yet
	Applying   Status = "applying"    // changing files
	Applied    Status = "applied"     // every step done
	Failed     Status = "failed"      // a step failed; the files were put back
	RolledBack Status = "rolled-back" // a step failed and the run was undone
)

// File is one file a run touches: its state before and what the run makes it.
type File struct {
	Path string `json:"path"`
	// Kind is edit, create, remove, or meta (mode or owner only).
	Kind   remedy.Kind `json:"kind"`
	Before target.Meta `json:"before"`
	// BeforeHash and AfterHash are SHA-256 of the content before and after
	// ("" for a file that does not exist then).
	BeforeHash string      `json:"before_sha256,omitempty"`
	AfterHash  string      `json:"after_sha256,omitempty"`
	After      target.Meta `json:"after"`
	// Backup names the copy of the original bytes in before/.
	Backup string `json:"backup,omitempty"`
	// Link is the text of a symbolic link the run removes (a start link);
	// undo makes the link again.
	Link string `json:"link,omitempty"`
	// MadeDirs are directories the run created to hold the file, parents
	// first; undo removes them again.
	MadeDirs []string `json:"made_dirs,omitempty"`
}

// Step is a command or a mode change a run takes after writing the files.
type Step struct {
	remedy.Step
	// Inverse is the command that undoes it, when there is one.
	Inverse []string `json:"inverse,omitempty"`
}

// Run is one application of a plan.
type Run struct {
	SchemaVersion int       `json:"schema_version"`
	ID            string    `json:"id"`
	Started       time.Time `json:"started"`
	Target        string    `json:"target"`
	Live          bool      `json:"live"`
	Status        Status    `json:"status"`
	Files         []File    `json:"files"`
	Steps         []Step    `json:"steps,omitempty"`
	// Plan is the plan the run applied.
	Plan *remedy.Plan `json:"plan"`
	// Note says what went wrong, for failed runs.
	Note string `json:"note,omitempty"`
	// CreatedDirs are state directories the journal created, removed when
	// the last run is undone.
	CreatedDirs []string `json:"created_dirs,omitempty"`
}

// Hash returns the SHA-256 of data, hex-encoded.
func Hash(data []byte) string {
	h := sha256.Sum256(data)
	return hex.EncodeToString(h[:])
}

// Store is a state directory.
type Store struct {
	root *os.Root
	dir  string
	// created lists directories made to hold the store.
	created []string
}

// Open opens (creating it if need be) the state directory dir on the machine
// bastion runs on.
func Open(dir string) (*Store, error) {
	var created []string
	for p := dir; ; p = parentDir(p) {
		if _, err := os.Stat(p); err == nil || p == "/" || p == "." {
			break
		}
		created = append([]string{p}, created...)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("state directory %s: %w", dir, err)
	}
	r, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("state directory %s: %w", dir, err)
	}
	return &Store{root: r, dir: dir, created: created}, nil
}

func parentDir(p string) string {
	i := strings.LastIndexByte(strings.TrimRight(p, "/"), '/')
	if i <= 0 {
		return "/"
	}
	return p[:i]
}

// Dir is the state directory.
func (s *Store) Dir() string { return s.dir }

// Close releases the directory.
func (s *Store) Close() error { return s.root.Close() }

// NewID makes a run id: the time, and a few random characters.
func NewID(now time.Time) string {
	var b [3]byte
	rand.Read(b[:])
	return now.UTC().Format("20060102T150405Z") + "-" + hex.EncodeToString(b[:])
}

// Begin records a run before anything is changed: it saves the original
// bytes of every file and writes run.json with status Prepared, all synced
// to disk. When it fails (a full or read-only state directory), it removes
// what it wrote and says so: the run must not start.
func (s *Store) Begin(r *Run, originals map[string][]byte) (err error) {
	r.SchemaVersion = SchemaVersion
	r.Status = Prepared
	r.CreatedDirs = s.created
	dir := "runs/" + r.ID
	defer func() {
		if err != nil {
			s.root.RemoveAll(dir)
			s.removeEmptyDir("runs")
			err = fmt.Errorf("cannot record the run in %s: %w", s.dir, err)
		}
	}()
	if err := s.root.MkdirAll(dir+"/before", 0o700); err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	for i := range r.Files {
		f := &r.Files[i]
		data, ok := originals[f.Path]
		if !ok || !f.Before.Exists {
			continue
		}
		f.Backup = fmt.Sprintf("%d", i)
		if err := s.writeSynced(dir+"/before/"+f.Backup, data); err != nil {
			return err
		}
	}
	if err := s.Save(r); err != nil {
		return err
	}
	return s.Event(r, "begin run")
}

// Save writes run.json atomically.
func (s *Store) Save(r *Run) error {
	data, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	dir := "runs/" + r.ID
	tmp := dir + "/run.json.tmp"
	if err := s.writeSynced(tmp, append(data, '\n')); err != nil {
		return err
	}
	if err := s.root.Rename(tmp, dir+"/run.json"); err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	return s.syncDir(dir)
}

// Event appends a line to the run's event log and syncs it.
func (s *Store) Event(r *Run, format string, args ...any) error {
	f, err := s.root.OpenFile("runs/"+r.ID+"/events", os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	line := time.Now().UTC().Format(time.RFC3339Nano) + " " + fmt.Sprintf(format, args...) + "\n"
	if _, err := f.WriteString(line); err != nil {
		f.Close()
		return fmt.Errorf("journal: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("journal: %w", err)
	}
	return f.Close()
}

// Events returns the run's event lines.
func (s *Store) Events(id string) ([]string, error) {
	data, err := s.root.ReadFile("runs/" + id + "/events")
	if err != nil {
		return nil, err
	}
	var out []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		out = append(out, sc.Text())
	}
	return out, nil
}

// Original returns the saved original bytes of a file of a run.
func (s *Store) Original(r *Run, f File) ([]byte, error) {
	if f.Backup == "" {
		return nil, nil
	}
	data, err := s.root.ReadFile("runs/" + r.ID + "/before/" + f.Backup)
	if err != nil {
		return nil, fmt.Errorf("journal: original of %s: %w", f.Path, err)
	}
	if Hash(data) != f.BeforeHash {
		return nil, fmt.Errorf("journal: the saved original of %s is damaged", f.Path)
	}
	return data, nil
}

// Load reads a run.
func (s *Store) Load(id string) (*Run, error) {
	data, err := s.root.ReadFile("runs/" + id + "/run.json")
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("no run %s in %s", id, s.dir)
		}
		return nil, fmt.Errorf("journal: %w", err)
	}
	var r Run
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("journal: run %s: %w", id, err)
	}
	if r.SchemaVersion != SchemaVersion {
		return nil, fmt.Errorf("journal: run %s has schema version %d, want %d", id, r.SchemaVersion, SchemaVersion)
	}
	return &r, nil
}

// List returns every run, newest first.
func (s *Store) List() ([]*Run, error) {
	d, err := s.root.Open("runs")
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("journal: %w", err)
	}
	names, err := d.Readdirnames(-1)
	d.Close()
	if err != nil {
		return nil, fmt.Errorf("journal: %w", err)
	}
	sort.Sort(sort.Reverse(sort.StringSlice(names)))
	var out []*Run
	for _, n := range names {
		r, err := s.Load(n)
		if err != nil {
			continue // a run cut off before run.json: nothing was changed
		}
		out = append(out, r)
	}
	return out, nil
}

// Forget removes a run's journal (after it has been undone), the journal
// of runs cut off before their run.json (see Prune), and the state
// directories the journal created when no run is left.
func (s *Store) Forget(r *Run) error {
	if err := s.root.RemoveAll("runs/" + r.ID); err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	if _, err := s.Prune(); err != nil {
		return err
	}
	if _, err := s.root.Lstat("runs"); err == nil {
		return nil // other runs are left
	}
	for i := len(r.CreatedDirs) - 1; i >= 0; i-- {
		os.Remove(r.CreatedDirs[i]) // only if empty
	}
	return nil
}

// Prune removes the journal of every run cut off before its run.json was
// written, and the runs directory when nothing is left in it; it returns
// the ids of the runs it removed. Such a run changed nothing on the target
// (Apply changes a file only after Begin has written run.json), and List
// does not show it. Prune is for undo: not to be run while bastion applies
// a plan with the same state directory.
func (s *Store) Prune() ([]string, error) {
	d, err := s.root.Open("runs")
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("journal: %w", err)
	}
	names, err := d.Readdirnames(-1)
	d.Close()
	if err != nil {
		return nil, fmt.Errorf("journal: %w", err)
	}
	sort.Strings(names)
	var gone []string
	for _, n := range names {
		if fi, err := s.root.Lstat("runs/" + n); err != nil || !fi.IsDir() {
			continue
		}
		if _, err := s.root.Lstat("runs/" + n + "/run.json"); !errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err := s.root.RemoveAll("runs/" + n); err != nil {
			return gone, fmt.Errorf("journal: %w", err)
		}
		gone = append(gone, n)
	}
	s.removeEmptyDir("runs")
	return gone, nil
}

// removeEmptyDir removes the directory name if it is empty.
func (s *Store) removeEmptyDir(name string) {
	if fi, err := s.root.Lstat(name); err == nil && fi.IsDir() {
		s.root.Remove(name) // fails when not empty
	}
}

func (s *Store) writeSynced(name string, data []byte) error {
	f, err := s.root.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return fmt.Errorf("journal: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("journal: %w", err)
	}
	return f.Close()
}

func (s *Store) syncDir(name string) error {
	d, err := s.root.Open(name)
	if err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	defer d.Close()
	d.Sync()
	return nil
}
