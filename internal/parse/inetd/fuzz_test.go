package inetd

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"bastion/internal/parse"
)

// normalize is what Bytes must give back for input: line endings made
// "\n", and a final newline added to a last line without one.
func normalize(in []byte) []byte {
	if len(in) == 0 {
		return nil
	}
	lines := bytes.SplitAfter(in, []byte("\n"))
	var out []byte
	for _, l := range lines {
		if len(l) == 0 {
			continue
		}
		l = bytes.TrimSuffix(l, []byte("\n"))
		l = bytes.TrimSuffix(l, []byte("\r"))
		out = append(out, l...)
		out = append(out, '\n')
	}
	return out
}

func FuzzParse(f *testing.F) {
	for _, name := range []string{"aix433.conf", "aix72.conf", "debian-openbsd.conf", "inetutils.conf"} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, s := range []string{
		"ftp\tstream\ttcp6\tnowait\troot\t/usr/sbin/ftpd\tftpd\r\n",
		"127.0.0.1:\nswat stream tcp nowait.400 root /usr/sbin/swat swat\n*:\n",
		"#<off># telnet stream tcp nowait root /usr/sbin/tcpd /usr/sbin/in.telnetd",
		"rstatd/1-3 dgram rpc/udp wait root /usr/sbin/rpc.rstatd rstatd\n",
		"rsync stream tcp,rcvbuf=64k,sndbuf=1m nowait root /usr/bin/rsync rsyncd --daemon\n",
		"cmsd sunrpc_udp udp wait root /usr/dt/bin/rpc.cmsd cmsd 100068 2-5\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		file, err := Parse(bytes.NewReader(in), "inetd.conf")
		if file == nil {
			t.Fatalf("Parse returned no file (err %v)", err)
		}
		n := len(file.Lines)
		for _, e := range file.Entries {
			if e.Line < 1 || e.Line > n {
				t.Errorf("entry line %d outside 1..%d", e.Line, n)
			}
			_ = e.Daemon()
			_ = e.Transport()
		}
		if got, want := file.Bytes(), normalize(in); !bytes.Equal(got, want) {
			t.Errorf("Bytes() = %q, want %q", got, want)
		}
		for _, pe := range parse.List(err) {
			var target *parse.Error
			if !errors.As(pe, &target) || pe.Line < 1 || pe.Line > n || pe.File != "inetd.conf" {
				t.Errorf("error %v: want a *parse.Error within 1..%d", pe, n)
			}
		}
	})
}
