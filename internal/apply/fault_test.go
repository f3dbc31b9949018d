package apply_test

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"bastion/internal/apply"
	"bastion/internal/journal"
	"bastion/internal/remedy"
	"bastion/internal/target"
)

// childEnv carries the child's instructions (a childSpec as JSON) when the
// test binary runs itself as TestHelperApply.
const childEnv = "BASTION_APPLY_CHILD"

// childSpec says what a child does: build the plan for Root and apply it,
// killing itself with SIGKILL as Mode says.
type childSpec struct {
	Root string `json:"root"`
	// Mode is one of
	//   calibrate   apply to the end and print every hook point with its
	//               time since Apply was called
	//   hook        SIGKILL at the hook point Point
	//   hook-delay  at Point, start a timer of Delay that sends SIGKILL,
	//               and let the run go on
	//   timer       start a timer of Delay that sends SIGKILL just before
	//               Apply is called
	//   ready       print "ready" just before Apply is called; the parent
	//               kills the child
	Mode  string        `json:"mode"`
	Point string        `json:"point,omitempty"`
	Delay time.Duration `json:"delay,omitempty"`
}

// hookTime is one hook point of a calibration run.
type hookTime struct {
	Point string        `json:"point"`
	At    time.Duration `json:"at"`
}

// TestHelperApply is the child process of TestApplyKilled; run on its own
// it does nothing.
func TestHelperApply(t *testing.T) {
	raw := os.Getenv(childEnv)
	if raw == "" {
		return
	}
	var spec childSpec
	if err := json.Unmarshal([]byte(raw), &spec); err != nil {
		fmt.Fprintln(os.Stderr, "child:", err)
		os.Exit(2)
	}
	if err := runChild(spec); err != nil {
		fmt.Fprintln(os.Stderr, "child:", err)
		os.Exit(1)
	}
	os.Exit(0)
}

func killSelf() {
	syscall.Kill(os.Getpid(), syscall.SIGKILL)
	select {} // the signal is on its way
}

func runChild(spec childSpec) error {
	ctx := context.Background()
	plan, err := buildPlan(ctx, spec.Root, hardenPolicy)
	if err != nil {
		return err
	}
	tg, err := target.Open(spec.Root)
	if err != nil {
		return err
	}
	defer tg.Close()
	j, err := journal.Open(filepath.Join(spec.Root, stateDir))
	if err != nil {
		return err
	}
	defer j.Close()
	var times []hookTime
	var start time.Time
	opt := apply.Options{}
	switch spec.Mode {
	case "calibrate":
		opt.Hook = func(p string) { times = append(times, hookTime{p, time.Since(start)}) }
	case "hook":
		opt.Hook = func(p string) {
			if p == spec.Point {
				killSelf()
			}
		}
	case "hook-delay":
		opt.Hook = func(p string) {
			if p == spec.Point {
				time.AfterFunc(spec.Delay, killSelf)
			}
		}
	case "timer":
		time.AfterFunc(spec.Delay, killSelf)
	case "ready":
		fmt.Println("ready")
	default:
		return fmt.Errorf("unknown mode %q", spec.Mode)
	}
	start = time.Now()
	if _, err := apply.Apply(ctx, tg, j, plan, opt); err != nil {
		return err
	}
	if spec.Mode == "calibrate" {
		times = append(times, hookTime{"returned", time.Since(start)})
		return json.NewEncoder(os.Stdout).Encode(times)
	}
	return nil
}

// child starts the test binary as a child with spec. A child that hangs
// is stopped with SIGTERM after a while, which no test takes for a kill.
func child(t *testing.T, spec childSpec) *exec.Cmd {
	data, _ := json.Marshal(spec)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestHelperApply$", "-test.count=1")
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	cmd.Env = append(os.Environ(), childEnv+"="+string(data))
	return cmd
}

// killed reports whether a child's Wait error says SIGKILL ended it.
func killed(err error) bool {
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		return false
	}
	ws, ok := ee.Sys().(syscall.WaitStatus)
	return ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL
}

// expectation is what the tree may look like while a run of the plan is
// cut off.
type expectation struct {
	pristine map[string]string
	// planned holds, for every file the plan touches, its entry after a
	// complete run ("" when the run removes it).
	planned map[string]string
	// madeDirs are directories the run may create.
	madeDirs map[string]string
	points   []hookTime
}

// TestApplyKilled kills the run of a real plan with SIGKILL at every hook
// point, and at random times inside the steps (from a timer in the run, from
// a timer started at a hook point, and from the parent); after every kill,
// each file the plan touches is either as it was or as planned, with its
// mode, owner and attributes, and undo (twice) leaves the tree
// byte-identical to the fixture.
func TestApplyKilled(t *testing.T) {
	exp := expect(t)

	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv("BASTION_FAULT_SEED"); s != "" {
		var err error
		if seed, err = strconv.ParseUint(s, 10, 64); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("seed %d (BASTION_FAULT_SEED=%d repeats the random kills)", seed, seed)
	rng := rand.New(rand.NewPCG(seed, 0))

	// Every hook point of the plan, then random kills.
	var specs []childSpec
	for _, h := range exp.points {
		if h.Point != "returned" {
			specs = append(specs, childSpec{Mode: "hook", Point: h.Point})
		}
	}
	random := 30
	if testing.Short() {
		random = 1
	}
	total := exp.points[len(exp.points)-1].At
	for range random {
		// A timer from a hook point that goes off before the next one:
		// inside the writing of a file or of the journal.
		i := rng.IntN(len(exp.points) - 2)
		gap := exp.points[i+1].At - exp.points[i].At
		specs = append(specs, childSpec{Mode: "hook-delay", Point: exp.points[i].Point, Delay: time.Duration(rng.Int64N(int64(gap) + 1))})
		// A timer from the call of Apply, which compiles the plan and
		// writes the journal before the first hook point.
		specs = append(specs, childSpec{Mode: "timer", Delay: time.Duration(rng.Int64N(int64(total) + 1))})
		// The parent kills the child.
		specs = append(specs, childSpec{Mode: "ready", Delay: time.Duration(rng.Int64N(int64(total) + 1))})
	}

	var mu sync.Mutex
	tally := map[string]int{}
	count := func(what string) {
		mu.Lock()
		tally[what]++
		mu.Unlock()
	}
	t.Run("kill", func(t *testing.T) {
		for n, spec := range specs {
			name := fmt.Sprintf("%03d-%s-%s-%s", n, spec.Mode, strings.ReplaceAll(spec.Point, " ", "-"), spec.Delay)
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				spec.Root = copyRoot(t, t.TempDir())
				for _, what := range killAndUndo(t, spec, exp) {
					count(what)
				}
			})
		}
	})
	var keys []string
	for k := range tally {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "\n  %4d %s", tally[k], k)
	}
	t.Logf("%d runs:%s", len(specs), b.String())
}

// expect runs the plan to the end once, as a child that records the hook
// points, and returns what the tree may look like while a run is cut off.
func expect(t *testing.T) *expectation {
	t.Helper()
	root := copyRoot(t, t.TempDir())
	pristine := snapshot(t, root)
	plan, err := buildPlan(context.Background(), root, hardenPolicy)
	if err != nil {
		t.Fatal(err)
	}
	tg, err := target.Open(root)
	if err != nil {
		t.Fatal(err)
	}
	files, _, err := plan.Compile(tg.ReadFile)
	tg.Close()
	if err != nil {
		t.Fatal(err)
	}
	exp := &expectation{pristine: pristine, planned: map[string]string{}, madeDirs: map[string]string{}}
	// Three runs, of which the one of median length sets the times; the
	// last leaves the applied tree.
	var calibrations [][]hookTime
	for i := range 3 {
		if i > 0 {
			root = copyRoot(t, t.TempDir())
		}
		cmd := child(t, childSpec{Root: root, Mode: "calibrate"})
		var stderr strings.Builder
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("calibration run: %v\n%s", err, stderr.String())
		}
		var points []hookTime
		if err := json.Unmarshal(out, &points); err != nil {
			t.Fatalf("calibration run: %v: %s", err, out)
		}
		calibrations = append(calibrations, points)
	}
	sort.Slice(calibrations, func(a, b int) bool {
		return calibrations[a][len(calibrations[a])-1].At < calibrations[b][len(calibrations[b])-1].At
	})
	exp.points = calibrations[1]
	applied := snapshot(t, root)

	// The hook points: prepared, before and after each file, done.
	var want []string
	want = append(want, "prepared")
	changed := 0
	for _, fd := range files {
		if !fd.Changed() {
			continue
		}
		want = append(want, fmt.Sprintf("before file %d", changed), fmt.Sprintf("after file %d", changed))
		changed++
	}
	want = append(want, "done", "returned")
	var got []string
	for _, h := range exp.points {
		got = append(got, h.Point)
	}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("hook points\n%q\nwant\n%q", got, want)
	}
	if changed < 9 {
		t.Fatalf("the plan changes %d files, want at least 9", changed)
	}
	t.Logf("the plan changes %d files; %d hook points; a run takes %v", changed, len(got)-1, exp.points[len(exp.points)-1].At)

	// The state a complete run leaves is the plan's content, with the
	// original mode, owner and attributes of an edited file and the
	// planned ones of a created file.
	for _, fd := range files {
		if !fd.Changed() {
			continue
		}
		rel := strings.TrimPrefix(fd.Path, "/")
		got, ok := applied[rel]
		switch fd.Kind {
		case remedy.KindRemove:
			if ok {
				t.Fatalf("%s: not removed by a complete run", rel)
			}
		case remedy.KindEdit:
			if want := header(pristine[rel]) + "\n" + string(fd.After); got != want {
				t.Fatalf("%s after a complete run:\n%s\nwant\n%s", rel, got, want)
			}
		case remedy.KindCreate:
			if want := fd.Mode.String() + " 0:0\n" + string(fd.After); got != want {
				t.Fatalf("%s after a complete run:\n%q\nwant\n%q", rel, got, want)
			}
			for d := path.Dir(rel); d != "."; d = path.Dir(d) {
				if _, ok := pristine[d]; !ok {
					exp.madeDirs[d] = applied[d]
				}
			}
		}
		exp.planned[rel] = got
	}
	if len(exp.madeDirs) == 0 {
		t.Fatal("the plan creates no directory; the test wants one")
	}
	// Nothing else changed but the journal.
	for k, v := range applied {
		if _, ok := exp.planned[k]; ok || exp.madeDirs[k] != "" || inJournal(k) {
			continue
		}
		if pristine[k] != v {
			t.Fatalf("a complete run changed %s, which the plan does not touch", k)
		}
	}
	return exp
}

// header is the first line of a snapshot entry: mode, owner, attributes.
func header(entry string) string {
	h, _, _ := strings.Cut(entry, "\n")
	return h
}

func inJournal(rel string) bool {
	return rel == stateDir+"/runs" || strings.HasPrefix(rel, stateDir+"/runs/")
}

// killAndUndo runs a child that is killed as spec says, checks the tree,
// undoes the run (twice) and checks the tree is the fixture again. It
// returns what it saw, for the tally.
func killAndUndo(t *testing.T, spec childSpec, exp *expectation) []string {
	cmd := child(t, spec)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	var err error
	if spec.Mode == "ready" {
		out, perr := cmd.StdoutPipe()
		if perr != nil {
			t.Fatal(perr)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		line, _ := bufio.NewReader(out).ReadString('\n')
		if line == "ready\n" {
			timer := time.AfterFunc(spec.Delay, func() { cmd.Process.Kill() })
			defer timer.Stop()
		}
		err = cmd.Wait()
	} else {
		err = cmd.Run()
	}
	var seen []string
	switch {
	case killed(err):
		seen = append(seen, "killed")
	case err == nil && spec.Mode != "hook":
		seen = append(seen, "finished before the kill")
	default:
		t.Fatalf("child: %v\n%s", err, stderr.String())
	}

	// (a) Every file the plan touches is as it was or as planned; nothing
	// else changed but the journal, directories the run makes, and
	// temporary files next to a file the plan touches.
	cut := snapshot(t, spec.Root)
	nAfter, temps := 0, 0
	for k, v := range cut {
		base := path.Base(k)
		switch {
		case inJournal(k):
		case strings.HasPrefix(base, target.TempPrefix):
			if !tempOf(k, exp.planned) {
				t.Errorf("stray temporary file %s", k)
			}
			temps++
		case exp.madeDirs[k] != "":
			if v != exp.madeDirs[k] {
				t.Errorf("%s: %s, want %s", k, header(v), header(exp.madeDirs[k]))
			}
		default:
			planned, touched := exp.planned[k]
			switch {
			case v == exp.pristine[k]:
			case touched && v == planned:
				nAfter++
			case touched:
				t.Errorf("%s is neither as it was nor as planned:\n%s", k, v)
			default:
				t.Errorf("%s changed, and the plan does not touch it: %s", k, diffSnapshots(map[string]string{k: exp.pristine[k]}, map[string]string{k: v}))
			}
		}
	}
	for k := range exp.pristine {
		if _, ok := cut[k]; !ok && exp.planned[k] != "" {
			t.Errorf("%s is gone", k)
		}
	}
	if temps > 0 {
		seen = append(seen, "temporary file left")
	}
	switch {
	case nAfter == 0:
		seen = append(seen, "no file changed yet")
	case nAfter == len(exp.planned):
		seen = append(seen, "every file changed")
	default:
		seen = append(seen, "some files changed")
	}

	// (b) Undo puts the tree back.
	ctx := context.Background()
	tg, err := target.Open(spec.Root)
	if err != nil {
		t.Fatal(err)
	}
	defer tg.Close()
	j, err := journal.Open(filepath.Join(spec.Root, stateDir))
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	runs, err := j.List()
	if err != nil {
		t.Fatal(err)
	}
	var run *journal.Run
	switch len(runs) {
	case 0:
		if spec.Mode == "hook" {
			t.Errorf("killed at %q, the journal lists no run", spec.Point)
		}
		// Cut off before run.json: nothing may have changed, and only
		// the run's directory is left, which Prune removes.
		if nAfter > 0 || temps > 0 {
			t.Errorf("no run in the journal, yet %d files changed and %d temporary files are left", nAfter, temps)
		}
		gone, err := j.Prune()
		if err != nil {
			t.Fatal(err)
		}
		if len(gone) > 0 {
			seen = append(seen, "cut off before run.json")
		} else {
			seen = append(seen, "cut off before the journal")
		}
	case 1:
		run = runs[0]
		seen = append(seen, "status "+string(run.Status))
		if spec.Mode == "hook" {
			// Killed at a hook point, the run is exactly there.
			status, files := journal.Applying, 0
			switch {
			case spec.Point == "prepared":
				status = journal.Prepared
			case spec.Point == "done":
				status, files = journal.Applied, len(exp.planned)
			default:
				var i int
				var when string
				fmt.Sscanf(spec.Point, "%s file %d", &when, &i)
				files = i
				if when == "after" {
					files++
				}
			}
			if run.Status != status || nAfter != files || temps > 0 {
				t.Errorf("killed at %q: status %s, %d files changed, %d temporary files; want %s, %d, none",
					spec.Point, run.Status, nAfter, temps, status, files)
			}
		}
		if _, err := apply.Undo(ctx, tg, j, run, apply.UndoOptions{}); err != nil {
			t.Fatalf("undo: %v", err)
		}
	default:
		t.Fatalf("%d runs in the journal", len(runs))
	}
	if d := diffSnapshots(exp.pristine, snapshot(t, spec.Root)); len(d) > 0 {
		t.Errorf("after undo the tree differs from the fixture (%s):\n%s", strings.Join(seen, ", "), strings.Join(d, "\n"))
	}

	// (c) Undo again is harmless: no run is left, and undoing the same
	// run again restores nothing and changes nothing.
	if runs, err := j.List(); err != nil || len(runs) > 0 {
		t.Errorf("after undo, the journal lists %d runs (%v)", len(runs), err)
	}
	if gone, err := j.Prune(); err != nil || len(gone) > 0 {
		t.Errorf("after undo, prune removed %v (%v)", gone, err)
	}
	if run != nil {
		restored, err := apply.Undo(ctx, tg, j, run, apply.UndoOptions{})
		if err != nil || len(restored) > 0 {
			t.Errorf("a second undo: restored %v, %v", restored, err)
		}
	}
	if d := diffSnapshots(exp.pristine, snapshot(t, spec.Root)); len(d) > 0 {
		t.Errorf("after a second undo the tree differs from the fixture:\n%s", strings.Join(d, "\n"))
	}
	if t.Failed() {
		t.Logf("the kill left: %s", strings.Join(seen, ", "))
	}
	return seen
}

// tempOf reports whether rel is a temporary file of a file the plan
// touches.
func tempOf(rel string, planned map[string]string) bool {
	for p := range planned {
		if path.Dir(p) == path.Dir(rel) && strings.HasPrefix(path.Base(rel), target.TempPrefix+path.Base(p)+"-") {
			return true
		}
	}
	return false
}
