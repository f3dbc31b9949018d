package policy

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"bastion/internal/parse"
)

func FuzzLoad(f *testing.F) {
	f.Add([]byte("version: 1\n"))
	f.Add([]byte("version: 1\nroles: [mail-server, router]\nservices: [ftp, X11]\npublic: [smtp]\n"))
	f.Add([]byte("version: 1\nwaivers:\n  - rule: SVC-*\n    target: /etc/inetd.conf\n    reason: r\n    expires: 2030-01-01\n"))
	f.Add([]byte("version: 1\nservices: &a [ftp]\npublic: *a\n<<: {x: 1}\n"))
	if example, err := os.ReadFile(filepath.Join("..", "..", "docs", "policy.example.yaml")); err == nil {
		f.Add(example)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Load(bytes.NewReader(data), "fuzz.yaml")
		if err != nil {
			if p != nil {
				t.Fatalf("Load returned a policy and an error: %v", err)
			}
			for _, e := range parse.List(err) {
				var pe *parse.Error
				if !errors.As(e, &pe) || pe.File != "fuzz.yaml" || pe.Line < 0 || pe.Err == nil {
					t.Fatalf("error %q is not a *parse.Error of fuzz.yaml with a line", e)
				}
			}
			// parse.List wraps errors that are not *parse.Error; check
			// the tree itself.
			checkTree(t, err)
			return
		}
		if p == nil {
			t.Fatal("Load returned neither a policy nor an error")
		}
		for _, w := range p.Waivers {
			if w.Rule == "" || w.Reason == "" || w.Expires.IsZero() || w.Line <= 0 {
				t.Fatalf("incomplete waiver %+v", w)
			}
		}
		for _, s := range p.Public {
			if !p.Allows(s) {
				t.Fatalf("public %q is not allowed", s)
			}
		}
	})
}

// checkTree fails unless err is a *parse.Error or a join of them.
func checkTree(t *testing.T, err error) {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range j.Unwrap() {
			checkTree(t, e)
		}
		return
	}
	if _, ok := err.(*parse.Error); !ok {
		t.Fatalf("error %q (%T) is not a *parse.Error", err, err)
	}
}
