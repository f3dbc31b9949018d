package journal

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"bastion/internal/remedy"
	"bastion/internal/target"
)

func openStore(t *testing.T, dir string) *Store {
	t.Helper()
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// newRun is a run that edits one file and creates another.
func newRun(id string) (*Run, map[string][]byte) {
	r := &Run{
		ID:      id,
		Started: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
		Target:  "root /srv/aix",
		Plan:    &remedy.Plan{Target: "root /srv/aix"},
		Files: []File{
			{Path: "/etc/inetd.conf", Kind: remedy.KindEdit, Before: target.Meta{Exists: true, Mode: 0o640, UID: 0, GID: 0},
				BeforeHash: Hash([]byte("telnet stream tcp6 nowait root /usr/sbin/telnetd telnetd -a\n"))},
			{Path: "/var/adm/auth.log", Kind: remedy.KindCreate, Before: target.Meta{UID: -1, GID: -1},
				After: target.Meta{Exists: true, Mode: 0o640}, AfterHash: Hash(nil), MadeDirs: []string{"/var/adm"}},
		},
	}
	return r, map[string][]byte{"/etc/inetd.conf": []byte("telnet stream tcp6 nowait root /usr/sbin/telnetd telnetd -a\n")}
}

func mode(t *testing.T, p string) fs.FileMode {
	t.Helper()
	fi, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Mode()
}

// Begin saves the originals and run.json, readable by root only, before
// anything changes; Save and Event record the run as it goes; Load reads
// it back as it was saved.
func TestBeginSaveEventLoad(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "var", "lib", "bastion")
	s := openStore(t, dir)
	if s.Dir() != dir {
		t.Errorf("Dir %q", s.Dir())
	}
	r, orig := newRun("20260102T030405Z-abcdef")
	if err := s.Begin(r, orig); err != nil {
		t.Fatal(err)
	}
	if r.Status != Prepared || r.SchemaVersion != SchemaVersion {
		t.Errorf("status %s, schema %d", r.Status, r.SchemaVersion)
	}
	if r.Files[0].Backup != "0" || r.Files[1].Backup != "" {
		t.Errorf("backups %q %q", r.Files[0].Backup, r.Files[1].Backup)
	}
	if want := []string{filepath.Dir(filepath.Dir(dir)), filepath.Dir(dir), dir}; strings.Join(r.CreatedDirs, ",") != strings.Join(want, ",") {
		t.Errorf("created dirs %q, want %q", r.CreatedDirs, want)
	}
	runDir := filepath.Join(dir, "runs", r.ID)
	for p, want := range map[string]fs.FileMode{
		runDir + "/before":   fs.ModeDir | 0o700,
		runDir + "/before/0": 0o600,
		runDir + "/run.json": 0o600,
		runDir + "/events":   0o600,
	} {
		if got := mode(t, p); got != want {
			t.Errorf("%s: mode %v, want %v", p, got, want)
		}
	}
	if data, _ := os.ReadFile(runDir + "/before/0"); string(data) != string(orig["/etc/inetd.conf"]) {
		t.Errorf("backup %q", data)
	}
	if _, err := os.Stat(runDir + "/run.json.tmp"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("run.json.tmp left: %v", err)
	}

	r.Status = Applying
	if err := s.Save(r); err != nil {
		t.Fatal(err)
	}
	if err := s.Event(r, "begin file %d %s", 0, "/etc/inetd.conf"); err != nil {
		t.Fatal(err)
	}
	got, err := s.Load(r.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != Applying || got.ID != r.ID || !got.Started.Equal(r.Started) || len(got.Files) != 2 ||
		got.Files[1].MadeDirs[0] != "/var/adm" || got.Files[0].Before.Mode != 0o640 || got.Files[1].Before.UID != -1 ||
		got.Plan == nil || got.Plan.Target != "root /srv/aix" {
		t.Errorf("loaded %+v", got)
	}
	events, err := s.Events(r.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(events) != 2 || !strings.HasSuffix(events[0], " begin run") || !strings.HasSuffix(events[1], " begin file 0 /etc/inetd.conf") {
		t.Errorf("events %q", events)
	}
	if _, err := time.Parse(time.RFC3339Nano, strings.Fields(events[0])[0]); err != nil {
		t.Errorf("event time: %v", err)
	}
	data, err := s.Original(r, got.Files[0])
	if err != nil || string(data) != string(orig["/etc/inetd.conf"]) {
		t.Errorf("original %q, %v", data, err)
	}
	if data, err := s.Original(r, got.Files[1]); data != nil || err != nil {
		t.Errorf("original of a created file: %q, %v", data, err)
	}
}

// A damaged or missing backup is refused, never restored.
func TestOriginalDamaged(t *testing.T) {
	dir := t.TempDir()
	s := openStore(t, dir)
	r, orig := newRun("20260102T030405Z-000001")
	if err := s.Begin(r, orig); err != nil {
		t.Fatal(err)
	}
	backup := filepath.Join(dir, "runs", r.ID, "before", "0")
	if err := os.WriteFile(backup, []byte("telnet stream tcp6 nowait root /usr/sbin/telnetd telnetd -b\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Original(r, r.Files[0]); err == nil || !strings.Contains(err.Error(), "the saved original of /etc/inetd.conf is damaged") {
		t.Errorf("damaged: %v", err)
	}
	os.Remove(backup)
	if _, err := s.Original(r, r.Files[0]); err == nil || !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), "original of /etc/inetd.conf") {
		t.Errorf("missing: %v", err)
	}
}

// List shows complete runs, newest first; a run without run.json (cut off
// before it was written), a damaged run.json and another schema are left
// out; Load says which.
func TestListLoad(t *testing.T) {
	dir := t.TempDir()
	s := openStore(t, dir)
	for _, id := range []string{"20260101T000000Z-aaaaaa", "20260301T000000Z-cccccc", "20260201T000000Z-bbbbbb"} {
		r, orig := newRun(id)
		if err := s.Begin(r, orig); err != nil {
			t.Fatal(err)
		}
	}
	runs := filepath.Join(dir, "runs")
	os.MkdirAll(filepath.Join(runs, "20260401T000000Z-cutoff", "before"), 0o700)
	os.MkdirAll(filepath.Join(runs, "20260402T000000Z-broken"), 0o700)
	os.WriteFile(filepath.Join(runs, "20260402T000000Z-broken", "run.json"), []byte("{\"schema_version\": 1, \"id\""), 0o600)
	os.MkdirAll(filepath.Join(runs, "20260403T000000Z-future"), 0o700)
	os.WriteFile(filepath.Join(runs, "20260403T000000Z-future", "run.json"), []byte(`{"schema_version": 99}`), 0o600)

	list, err := s.List()
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, r := range list {
		ids = append(ids, r.ID)
	}
	if got := strings.Join(ids, " "); got != "20260301T000000Z-cccccc 20260201T000000Z-bbbbbb 20260101T000000Z-aaaaaa" {
		t.Errorf("List: %s", got)
	}
	for id, want := range map[string]string{
		"20260401T000000Z-cutoff": "no run 20260401T000000Z-cutoff in " + dir,
		"20260402T000000Z-broken": "journal: run 20260402T000000Z-broken: unexpected end of JSON input",
		"20260403T000000Z-future": "journal: run 20260403T000000Z-future has schema version 99, want 1",
		"nothing":                 "no run nothing in " + dir,
	} {
		if _, err := s.Load(id); err == nil || err.Error() != want {
			t.Errorf("Load(%s): %v, want %s", id, err, want)
		}
	}
	empty := openStore(t, t.TempDir())
	if list, err := empty.List(); err != nil || len(list) != 0 {
		t.Errorf("an empty journal lists %v, %v", list, err)
	}
}

// Forget removes a run; the last one takes the runs directory, the journal
// of cut-off runs and the state directories the journal made with it.
func TestForget(t *testing.T) {
	base := t.TempDir()
	dir := filepath.Join(base, "var", "lib", "bastion")
	s := openStore(t, dir)
	var runs []*Run
	for _, id := range []string{"20260101T000000Z-aaaaaa", "20260201T000000Z-bbbbbb"} {
		r, orig := newRun(id)
		if err := s.Begin(r, orig); err != nil {
			t.Fatal(err)
		}
		runs = append(runs, r)
	}
	cutoff := filepath.Join(dir, "runs", "20260301T000000Z-cutoff")
	os.MkdirAll(filepath.Join(cutoff, "before"), 0o700)
	os.WriteFile(filepath.Join(cutoff, "before", "0"), []byte("partial"), 0o600)
	os.WriteFile(filepath.Join(cutoff, "run.json.tmp"), []byte("{"), 0o600)

	if err := s.Forget(runs[1]); err != nil {
		t.Fatal(err)
	}
	if list, _ := s.List(); len(list) != 1 || list[0].ID != runs[0].ID {
		t.Errorf("after Forget, List: %v", list)
	}
	if _, err := os.Stat(cutoff); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the cut-off run is left: %v", err)
	}
	if err := s.Forget(runs[0]); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(base, "var")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the state directories the journal made are left: %v", err)
	}
	// Forgetting again is harmless.
	if err := s.Forget(runs[0]); err != nil {
		t.Errorf("Forget again: %v", err)
	}
}

// Forget keeps a state directory that holds something else.
func TestForgetKeepsOtherFiles(t *testing.T) {
	base := t.TempDir()
	dir := filepath.Join(base, "state")
	s := openStore(t, dir)
	r, orig := newRun("20260101T000000Z-aaaaaa")
	if err := s.Begin(r, orig); err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(filepath.Join(dir, "capture"), 0o755)
	os.WriteFile(filepath.Join(dir, "capture", "netstat-Aan"), []byte("Active Internet connections\n"), 0o644)
	if err := s.Forget(r); err != nil {
		t.Fatal(err)
	}
	ents, err := os.ReadDir(dir)
	if err != nil || len(ents) != 1 || ents[0].Name() != "capture" {
		t.Errorf("state directory: %v, %v", ents, err)
	}
}

// Prune removes the journal of runs cut off before run.json, keeps the
// others and anything that is not a run directory, and is harmless when
// there is nothing to prune.
func TestPrune(t *testing.T) {
	dir := t.TempDir()
	s := openStore(t, dir)
	if gone, err := s.Prune(); err != nil || len(gone) > 0 {
		t.Errorf("Prune of an empty journal: %v, %v", gone, err)
	}
	for _, id := range []string{"20260101T000000Z-cut1", "20260102T000000Z-cut2"} {
		os.MkdirAll(filepath.Join(dir, "runs", id, "before"), 0o700)
	}
	gone, err := s.Prune()
	if err != nil || strings.Join(gone, " ") != "20260101T000000Z-cut1 20260102T000000Z-cut2" {
		t.Errorf("Prune: %v, %v", gone, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "runs")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("an empty runs directory is left: %v", err)
	}

	r, orig := newRun("20260201T000000Z-aaaaaa")
	if err := s.Begin(r, orig); err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(filepath.Join(dir, "runs", "20260301T000000Z-cut3"), 0o700)
	os.WriteFile(filepath.Join(dir, "runs", "README"), []byte("kept\n"), 0o644)
	gone, err = s.Prune()
	if err != nil || strings.Join(gone, " ") != "20260301T000000Z-cut3" {
		t.Errorf("Prune: %v, %v", gone, err)
	}
	if _, err := s.Load(r.ID); err != nil {
		t.Errorf("a complete run was pruned: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "runs", "README")); err != nil {
		t.Errorf("a file in runs was pruned: %v", err)
	}
}

// Begin that cannot write the journal says where and why, and leaves
// nothing behind.
func TestBeginFails(t *testing.T) {
	dir := t.TempDir()
	s := openStore(t, dir)
	// runs is a file: nothing can be made under it, and it is kept.
	if err := os.WriteFile(filepath.Join(dir, "runs"), []byte("in the way\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r, orig := newRun("20260101T000000Z-aaaaaa")
	err := s.Begin(r, orig)
	if err == nil || !strings.Contains(err.Error(), "cannot record the run in "+dir) || !strings.Contains(err.Error(), "not a directory") {
		t.Errorf("Begin: %v", err)
	}
	if data, _ := os.ReadFile(filepath.Join(dir, "runs")); string(data) != "in the way\n" {
		t.Errorf("the file in the way changed: %q", data)
	}
	os.Remove(filepath.Join(dir, "runs"))

	// The backup cannot be written: before/0 is a directory.
	os.MkdirAll(filepath.Join(dir, "runs", r.ID, "before", "0", "x"), 0o700)
	if err := s.Begin(r, orig); err == nil || !strings.Contains(err.Error(), "cannot record the run in "+dir) {
		t.Errorf("Begin: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "runs")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a failed Begin left its journal: %v", err)
	}
}

// Open refuses a state directory that is a file, or under one.
func TestOpenNotADirectory(t *testing.T) {
	file := filepath.Join(t.TempDir(), "state")
	os.WriteFile(file, nil, 0o600)
	for _, dir := range []string{file, filepath.Join(file, "sub")} {
		if s, err := Open(dir); err == nil {
			s.Close()
			t.Errorf("%s: opened", dir)
		} else if !strings.Contains(err.Error(), "state directory "+dir) || !strings.Contains(err.Error(), "not a directory") {
			t.Errorf("%s: %v", dir, err)
		}
	}
}

func TestNewIDHash(t *testing.T) {
	now := time.Date(2026, 11, 22, 17, 39, 0, 0, time.FixedZone("CET", 3600))
	a, b := NewID(now), NewID(now)
	if !strings.HasPrefix(a, "20261122T163900Z-") || len(a) != len("20261122T163900Z-")+6 || a == b {
		t.Errorf("NewID: %q %q", a, b)
	}
	if got := Hash([]byte("")); got != "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" {
		t.Errorf("Hash: %s", got)
	}
}
