package pam

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"bastion/internal/parse"
	"bastion/internal/parse/parsetest"
)

func FuzzParse(f *testing.F) {
	for _, s := range []string{debianAuth, debianPassword, debianSSHD, rhelSystemAuth, pamConf} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, conf := range []bool{false, true} {
			parser := Parse
			if conf {
				parser = ParseConf
			}
			file, err := parser(bytes.NewReader(data), "pam")
			if file == nil {
				if !errors.Is(err, parse.ErrTooLarge) {
					t.Fatalf("nil file: %v", err)
				}
				return
			}
			n := len(file.Lines)
			if diff := cmp.Diff(parse.SplitLines(data), file.Lines, cmpopts.EquateEmpty()); diff != "" {
				t.Fatalf("lines (-want +got):\n%s", diff)
			}
			for _, r := range file.Rules {
				checkRule(t, file, r, conf)
			}
			for _, in := range file.Includes {
				if in.Line < 1 || in.Line > n || in.Name == "" || strings.ContainsAny(in.Name, "#") {
					t.Fatalf("bad include %+v", in)
				}
			}
			checkItems(t, file)
			parsetest.CheckErrors(t, err, "pam", n)
			// The same input parses the same way twice.
			again, err2 := parser(bytes.NewReader(data), "pam")
			if diff := cmp.Diff(file, again); diff != "" || len(parse.List(err)) != len(parse.List(err2)) {
				t.Fatalf("second parse differs:\n%s", diff)
			}
		}
	})
}

// checkRule checks what holds for every rule a parse returns.
func checkRule(t *testing.T, f *File, r Rule, conf bool) {
	t.Helper()
	if r.Line < 1 || r.Line > len(f.Lines) {
		t.Fatalf("rule line %d outside 1..%d", r.Line, len(f.Lines))
	}
	// The first line of a rule holds words before any comment.
	if text, _ := parse.StripComment(f.Lines[r.Line-1]); strings.Trim(text, " \t\\") == "" {
		t.Fatalf("rule %+v starts at a line without one: %q", r, f.Lines[r.Line-1])
	}
	if !types[r.Type] || (conf != (r.Service != "")) || r.Module == "" {
		t.Fatalf("bad rule %+v", r)
	}
	if !keywords[r.Control] && !(strings.HasPrefix(r.Control, "[") && strings.HasSuffix(r.Control, "]") && len(r.Control) > 2) {
		t.Fatalf("bad control in %+v", r)
	}
	for _, w := range append([]string{r.Service, r.Type, r.Control, r.Module}, r.Args...) {
		if strings.ContainsAny(w, "#\n") {
			t.Fatalf("word %q of %+v holds a comment or newline", w, r)
		}
	}
	if got := r.ModuleName(); strings.Contains(got, "/") || !strings.Contains(r.Module, got) {
		t.Fatalf("ModuleName() = %q for %q", got, r.Module)
	}
}
