package target

import (
	"errors"
	"fmt"
	"io/fs"
	"sort"
)

// Gap is something a run could not see: a file it could not read, captured
// state that is missing, a parse error that hid part of a file. Reports name
// every gap so that a clean result is never mistaken for a complete one.
type Gap struct {
	// Path is the file or source concerned, as the target sees it.
	Path string `json:"path"`
	// Line is the line of Path concerned, or 0 for the whole file.
	Line int `json:"line,omitempty"`
	// What is what could not be checked because of it.
	What string `json:"what"`
	// Reason says why, in a few words.
	Reason string `json:"reason"`
}

// AddGap records a gap. The same path, line and reason is recorded once.
func (t *Target) AddGap(g Gap) {
	t.mu.Lock()
	defer t.mu.Unlock()
	key := fmt.Sprintf("%s\x00%d\x00%s", g.Path, g.Line, g.Reason)
	if _, ok := t.gaps[key]; !ok {
		t.gaps[key] = g
	}
}

// Gaps returns the recorded gaps sorted by path and line.
func (t *Target) Gaps() []Gap {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]Gap, 0, len(t.gaps))
	for _, g := range t.gaps {
		out = append(out, g)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Path != out[j].Path {
			return out[i].Path < out[j].Path
		}
		if out[i].Line != out[j].Line {
			return out[i].Line < out[j].Line
		}
		return out[i].Reason < out[j].Reason
	})
	return out
}

// Reason turns a read error into the few words a gap reports.
func Reason(err error) string {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "not there"
	case errors.Is(err, fs.ErrPermission):
		return "permission denied"
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}
