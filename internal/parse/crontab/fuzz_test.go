package crontab

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"bastion/internal/parse"
	"bastion/internal/parse/parsetest"
)

func FuzzParse(f *testing.F) {
	for _, name := range []string{"aix-root", "debian-crontab", "cron.d-sysstat", "user-vixie"} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, s := range []string{
		"10,40 * * * * /usr/lib/sendmail -q > /dev/null 2>&1\n",
		"MAILTO=\"\"\r\n@reboot root sh -c 'su - x -c \"/usr/bin/y\"'\r\n",
		"*/0 * * * * x\n0~30 * * jan-dec/2 mon-fri x%in%put\n",
		"0 0 * * * root run-parts --report /etc/cron.daily",
		"\"N = 'v'\n=\n- * * * *\n@every x\n60 24 0 13 8 x\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		for _, system := range []bool{false, true} {
			parseFn := Parse
			if system {
				parseFn = ParseSystem
			}
			file, err := parseFn(bytes.NewReader(in), "crontab")
			if file == nil {
				t.Fatalf("no File (err %v)", err)
			}
			n := len(file.Lines)
			for _, j := range file.Jobs {
				if j.Line < 1 || j.Line > n {
					t.Errorf("job line %d outside 1..%d", j.Line, n)
				}
				if j.Command == "" || system != (j.User != "") {
					t.Errorf("job %+v: empty command or wrong user", j)
				}
				_ = j.Input()
				_ = j.Programs()
			}
			for _, a := range file.Env {
				if a.Line < 1 || a.Line > n || a.Name == "" {
					t.Errorf("setting %+v: line outside 1..%d or no name", a, n)
				}
			}
			if got, want := file.Bytes(), parsetest.Normalize(in); !bytes.Equal(got, want) {
				t.Errorf("Bytes() = %q, want %q", got, want)
			}
			for _, pe := range parse.List(err) {
				var target *parse.Error
				if !errors.As(pe, &target) || pe.Line < 1 || pe.Line > n || pe.File != "crontab" {
					t.Errorf("error %v: want a *parse.Error within 1..%d", pe, n)
				}
			}
		}
	})
}
