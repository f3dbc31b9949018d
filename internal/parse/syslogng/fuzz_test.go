package syslogng

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"bastion/internal/parse"
)

func FuzzParse(f *testing.F) {
	data, err := os.ReadFile(filepath.Join("testdata", "debian-syslog-ng.conf"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	for _, s := range []string{
		"source s { network(transport(\"udp\") port(514)); };\nlog { source(s); destination { file(\"/x\"); }; flags(final); };\n",
		"filter f { not (facility(auth) or level(err .. emerg)) and \"${HOST}\" == \"a\"; };\n",
		"@version: 4.2\n@include \"scl.conf\"\noptions { perm(0640); };\n",
		"log { source(s); log { filter(f); destination(d); }; junction { channel { }; }; };\n",
		"destination d { file(\"/var/log/\nx\" perm(0600)) };\r\nfilter f { facility(",
		"template t { template(\"$MSG\\n\"); };\nblock source b() { system(); };\n}}};(",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		const name = "syslog-ng.conf"
		file, err := Parse(bytes.NewReader(in), name)
		if file == nil {
			t.Fatalf("Parse returned no file (err %v)", err)
		}
		n := len(file.Lines)
		inRange := func(what string, l int) {
			if l < 1 || l > n {
				t.Errorf("%s line %d outside 1..%d", what, l, n)
			}
		}
		var drivers func(ds []Driver)
		drivers = func(ds []Driver) {
			for _, d := range ds {
				inRange("driver", d.Line)
				drivers(d.Options)
			}
		}
		for _, objs := range [][]Object{file.Sources, file.Destinations} {
			for _, o := range objs {
				inRange("object", o.Line)
				drivers(o.Drivers)
				for _, tg := range o.Targets() {
					inRange("target", tg.Line)
				}
				for _, l := range o.Listeners() {
					inRange("listener", l.Line)
					if l.Port < 0 || l.Port > 65535 {
						t.Errorf("listener port %d", l.Port)
					}
				}
			}
		}
		drivers(file.Options)
		for _, x := range file.Filters {
			inRange("filter", x.Line)
			drivers(x.Calls)
		}
		for _, l := range file.Logs {
			inRange("log", l.Line)
			inRange("log end", l.EndLine)
			if l.EndLine < l.Line {
				t.Errorf("log at line %d ends at line %d", l.Line, l.EndLine)
			}
		}
		for _, b := range file.Blocks {
			inRange("block", b.Line)
			inRange("block end", b.EndLine)
		}
		for _, inc := range file.Includes {
			inRange("include", inc.Line)
		}
		for _, fac := range []string{"auth", "*"} {
			rs := file.Route(fac, "info")
			if len(rs) != len(file.Logs) {
				t.Errorf("Route gave %d answers for %d logs", len(rs), len(file.Logs))
			}
			for _, r := range rs {
				if r.Match != Yes && r.Match != No && r.Match != Unknown {
					t.Errorf("match %q", r.Match)
				}
			}
		}
		if got, want := file.Bytes(), parse.JoinLines(parse.SplitLines(in)); !bytes.Equal(got, want) {
			t.Errorf("Bytes() = %q, want %q", got, want)
		}
		for _, pe := range parse.List(err) {
			var target *parse.Error
			if !errors.As(pe, &target) || pe.Line < 1 || pe.Line > n || pe.File != name {
				t.Errorf("error %v: want a *parse.Error within 1..%d", pe, n)
			}
		}
	})
}
