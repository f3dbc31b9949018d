package hostsaccess

import (
	"bytes"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"bastion/internal/parse/parsetest"
)

func FuzzParse(f *testing.F) {
	for _, name := range []string{"hosts.allow", "hosts.deny"} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	clients := []netip.Addr{
		netip.MustParseAddr("10.1.2.3"),
		netip.MustParseAddr("2001:db8::1"),
		{},
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		file, err := Parse(bytes.NewReader(in), "hosts.allow")
		if file == nil {
			t.Fatalf("Parse returned no file (err %v)", err)
		}
		n := len(file.Lines)
		for _, r := range file.Rules {
			if r.Line < 1 || r.LastLine < r.Line || r.LastLine > n {
				t.Errorf("rule lines %d..%d outside 1..%d", r.Line, r.LastLine, n)
			}
			if len(r.Daemons) == 0 || len(r.Clients) == 0 {
				t.Errorf("rule of line %d kept with an empty list", r.Line)
			}
			for _, o := range r.Options {
				if _, known := options[o.Name]; !known && !r.BadOptions {
					t.Errorf("unknown option %q kept without BadOptions", o.Name)
				}
			}
		}
		for _, daemon := range []string{"sshd", "in.telnetd"} {
			for _, c := range clients {
				for _, files := range [][2]*File{{file, nil}, {nil, file}} {
					v, where := Allowed(files[0], files[1], daemon, c)
					if v != Granted && v != Denied && v != Depends {
						t.Errorf("Allowed gave verdict %d", v)
					}
					if where != "" {
						line, err := strconv.Atoi(strings.TrimPrefix(where, "hosts.allow:"))
						if err != nil || line < 1 || line > n {
							t.Errorf("Allowed gave location %q", where)
						}
					} else if v != Granted {
						t.Errorf("Allowed gave %v with no location", v)
					}
				}
			}
			if s := Summary(file, nil, daemon); s == "" {
				t.Error("Summary gave nothing")
			}
			_ = Summary(nil, file, daemon)
		}
		if got, want := file.Bytes(), parsetest.Normalize(in); !bytes.Equal(got, want) {
			t.Errorf("Bytes() = %q, want %q", got, want)
		}
		parsetest.CheckErrors(t, err, "hosts.allow", n)
	})
}
