package rpcinfo

import (
	"errors"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"bastion/internal/parse"
)

// linux is rpcinfo -p on a Debian NFS server.
const linux = `   program vers proto   port  service
    100000    4   tcp    111  portmapper
    100000    2   udp    111  portmapper
    100005    1   udp  20048  mountd
    100024    1   tcp  46311  status
    100003    3   tcp   2049  nfs
    100227    3   tcp   2049  nfs_acl
    100021    4   udp  39473  nlockmgr
`

// aix is rpcinfo -p on AIX 7.2, where some programs have no /etc/rpc name.
const aix = "   program vers proto   port  service\r\n" +
	"    100000    4   udp    111  portmapper\r\n" +
	"    100024    1   udp  32785  status\r\n" +
	"    100133    1   udp  32785\r\n" +
	"    200001    1   tcp  32786\r\n" +
	"    100068    5   udp  32790  cmsd\r\n"

func TestParse(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []Entry
	}{
		{
			name: "linux",
			in:   linux,
			want: []Entry{
				{Line: 2, Program: 100000, Version: 4, Proto: "tcp", Port: 111, Service: "portmapper"},
				{Line: 3, Program: 100000, Version: 2, Proto: "udp", Port: 111, Service: "portmapper"},
				{Line: 4, Program: 100005, Version: 1, Proto: "udp", Port: 20048, Service: "mountd"},
				{Line: 5, Program: 100024, Version: 1, Proto: "tcp", Port: 46311, Service: "status"},
				{Line: 6, Program: 100003, Version: 3, Proto: "tcp", Port: 2049, Service: "nfs"},
				{Line: 7, Program: 100227, Version: 3, Proto: "tcp", Port: 2049, Service: "nfs_acl"},
				{Line: 8, Program: 100021, Version: 4, Proto: "udp", Port: 39473, Service: "nlockmgr"},
			},
		},
		{
			name: "aix without some names",
			in:   aix,
			want: []Entry{
				{Line: 2, Program: 100000, Version: 4, Proto: "udp", Port: 111, Service: "portmapper"},
				{Line: 3, Program: 100024, Version: 1, Proto: "udp", Port: 32785, Service: "status"},
				{Line: 4, Program: 100133, Version: 1, Proto: "udp", Port: 32785},
				{Line: 5, Program: 200001, Version: 1, Proto: "tcp", Port: 32786},
				{Line: 6, Program: 100068, Version: 5, Proto: "udp", Port: 32790, Service: "cmsd"},
			},
		},
		{
			name: "no header, blank lines",
			in:   "\n    100000    2   tcp    111  portmapper\n\n",
			want: []Entry{{Line: 2, Program: 100000, Version: 2, Proto: "tcp", Port: 111, Service: "portmapper"}},
		},
		{name: "header only", in: "   program vers proto   port  service\n"},
		{name: "empty", in: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(strings.NewReader(tt.in), "rpcinfo-p.out")
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("Parse mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	const good = "    100000    4   tcp    111  portmapper\n"
	tests := []struct {
		name string
		bad  string
		want string
	}{
		{"portmapper down", "rpcinfo: can't contact portmapper: RPC: Remote system error - Connection refused", "rpcinfo failed: rpcinfo: can't contact portmapper: RPC: Remote system error - Connection refused"},
		{"too few fields", "    100000    4   tcp", "expected program, version, protocol, port and service, found 3 fields"},
		{"too many fields", "    100000    4   tcp    111  portmapper rpcbind", "found 6 fields"},
		{"bad program", "    rpcbind    4   tcp    111  portmapper", `program "rpcbind" is not a number from 0 to 4294967295`},
		{"negative version", "    100000   -4   tcp    111  portmapper", `version "-4" is not a number`},
		{"bad proto", "    100000    4   TCP/IP    111  portmapper", `protocol "TCP/IP" is not a word`},
		{"port too large", "    100000    4   tcp  70000  portmapper", `port "70000" is not a number from 0 to 65535`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := good + tt.bad + "\n" + good
			got, err := Parse(strings.NewReader(in), "rpcinfo.out")
			if err == nil {
				t.Fatalf("Parse returned no error; entries %+v", got)
			}
			if len(got) != 2 || got[0].Line != 1 || got[1].Line != 3 {
				t.Errorf("good lines around the bad one: got %+v", got)
			}
			if want := "rpcinfo.out:2: "; !strings.HasPrefix(err.Error(), want) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %q, want prefix %q containing %q", err, want, tt.want)
			}
			if list := parse.List(err); len(list) != 1 || list[0].Line != 2 {
				t.Errorf("parse.List(err) = %v, want one error at line 2", list)
			}
		})
	}
}

func TestParseReadError(t *testing.T) {
	boom := errors.New("boom")
	got, err := Parse(iotest.ErrReader(boom), "rpcinfo.out")
	if got != nil || !errors.Is(err, boom) {
		t.Fatalf("Parse = %v, %v; want nil and an error wrapping boom", got, err)
	}
}
