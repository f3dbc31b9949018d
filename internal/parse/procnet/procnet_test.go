package procnet

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"bastion/internal/parse"
)

const tcpHeader = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode                                                     \n"

const tcpTable = tcpHeader +
	"   0: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 21453 1 0000000000000000 100 0 0 10 0                     \n" +
	"   1: 3500007F:0035 00000000:0000 0A 00000000:00000000 00:00000000 00000000   101        0 20582 1 0000000000000000 100 0 0 10 5                     \n" +
	"   2: 0F02000A:0016 0A01A8C0:D3B2 01 00000000:00000000 02:0009C4D2 00000000     0        0 48213 4 0000000000000000 20 4 31 10 -1                    \n" +
	"   3: 0100007F:1F90 0100007F:9C40 06 00000000:00000000 03:00001389 00000000     0        0 0 3 0000000000000000                                      \n"

const tcp6Table = "  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n" +
	"   0: 00000000000000000000000000000000:0016 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 21464 1 0000000000000000 100 0 0 10 0\n" +
	"   1: 00000000000000000000000001000000:0277 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 23011 1 0000000000000000 100 0 0 10 0\n" +
	"   2: 0000000000000000FFFF00000100007F:1F90 0000000000000000FFFF00000100007F:A2F4 01 00000000:00000000 00:00000000 00000000  1000        0 91822 1 0000000000000000 20 4 30 10 -1\n" +
	"   3: B80D0120000000000000000010000000:01BB 000080FE000000000000000001000000:C350 01 00000000:00000000 00:00000000 00000000    33        0 77310 1 0000000000000000 20 4 30 10 -1\n"

const udpTable = "   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops            \n" +
	"  283: 3500007F:0035 00000000:0000 07 00000000:00000000 00:00000000 00000000   101        0 20581 2 0000000000000000 0          \n" +
	"  418: 0F02000A:0044 0202000A:0043 01 00000000:00000000 00:00000000 00000000     0        0 19930 2 0000000000000000 0          \n" +
	" 1082: 00000000:006F 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 17302 2 0000000000000000 0          \n"

const udp6Table = "  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n" +
	" 3397: 00000000000000000000000001000000:1F93 00000000000000000000000000000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 9581 2 0000000000000000 0\n" +
	" 3562: 000080FE000000000000000001000000:0222 00000000000000000000000000000000:0000 07 00000000:00000000 00:00000000 00000000   998        0 30120 2 0000000000000000 0\n"

func ap(s string) netip.AddrPort { return netip.MustParseAddrPort(s) }

func TestParse(t *testing.T) {
	tests := []struct {
		name  string
		proto string
		in    string
		want  []Socket
	}{
		{
			name:  "tcp",
			proto: "tcp",
			in:    tcpTable,
			want: []Socket{
				{Line: 2, Proto: "tcp", Local: ap("0.0.0.0:22"), Remote: ap("0.0.0.0:0"), State: 0x0A, UID: 0, Inode: 21453},
				{Line: 3, Proto: "tcp", Local: ap("127.0.0.53:53"), Remote: ap("0.0.0.0:0"), State: 0x0A, UID: 101, Inode: 20582},
				{Line: 4, Proto: "tcp", Local: ap("10.0.2.15:22"), Remote: ap("192.168.1.10:54194"), State: 0x01, UID: 0, Inode: 48213},
				{Line: 5, Proto: "tcp", Local: ap("127.0.0.1:8080"), Remote: ap("127.0.0.1:40000"), State: 0x06, UID: 0, Inode: 0},
			},
		},
		{
			name:  "tcp6",
			proto: "tcp6",
			in:    tcp6Table,
			want: []Socket{
				{Line: 2, Proto: "tcp6", Local: ap("[::]:22"), Remote: ap("[::]:0"), State: 0x0A, Inode: 21464},
				{Line: 3, Proto: "tcp6", Local: ap("[::1]:631"), Remote: ap("[::]:0"), State: 0x0A, Inode: 23011},
				{Line: 4, Proto: "tcp6", Local: ap("[::ffff:127.0.0.1]:8080"), Remote: ap("[::ffff:127.0.0.1]:41716"), State: 0x01, UID: 1000, Inode: 91822},
				{Line: 5, Proto: "tcp6", Local: ap("[2001:db8::10]:443"), Remote: ap("[fe80::1]:50000"), State: 0x01, UID: 33, Inode: 77310},
			},
		},
		{
			name:  "udp",
			proto: "udp",
			in:    udpTable,
			want: []Socket{
				{Line: 2, Proto: "udp", Local: ap("127.0.0.53:53"), Remote: ap("0.0.0.0:0"), State: 0x07, UID: 101, Inode: 20581},
				{Line: 3, Proto: "udp", Local: ap("10.0.2.15:68"), Remote: ap("10.0.2.2:67"), State: 0x01, Inode: 19930},
				{Line: 4, Proto: "udp", Local: ap("0.0.0.0:111"), Remote: ap("0.0.0.0:0"), State: 0x07, Inode: 17302},
			},
		},
		{
			name:  "udp6",
			proto: "udp6",
			in:    udp6Table,
			want: []Socket{
				{Line: 2, Proto: "udp6", Local: ap("[::1]:8083"), Remote: ap("[::]:0"), State: 0x07, Inode: 9581},
				{Line: 3, Proto: "udp6", Local: ap("[fe80::1]:546"), Remote: ap("[::]:0"), State: 0x07, UID: 998, Inode: 30120},
			},
		},
		{
			name:  "crlf and blank lines",
			proto: "tcp",
			in: "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\r\n" +
				"\r\n" +
				"   0: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 21453 1 0000000000000000 100 0 0 10 0\r\n",
			want: []Socket{
				{Line: 3, Proto: "tcp", Local: ap("0.0.0.0:22"), Remote: ap("0.0.0.0:0"), State: 0x0A, Inode: 21453},
			},
		},
		{
			name:  "no header, lower-case hex, tabs",
			proto: "tcp",
			in:    "0:\t0100007f:0cea 00000000:0000 0a 00000000:00000000 00:00000000 00000000 0 0 1234",
			want: []Socket{
				{Line: 1, Proto: "tcp", Local: ap("127.0.0.1:3306"), Remote: ap("0.0.0.0:0"), State: 0x0A, Inode: 1234},
			},
		},
		{
			name:  "header only",
			proto: "udp",
			in:    "   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n",
		},
		{name: "empty", proto: "tcp6", in: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(strings.NewReader(tt.in), "/proc/net/"+tt.proto, tt.proto)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateEmpty(), cmp.Comparer(func(a, b netip.AddrPort) bool { return a == b })); diff != "" {
				t.Errorf("Parse mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	const good = "   0: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 21453 1 0000000000000000 100 0 0 10 0\n"
	tests := []struct {
		name  string
		proto string
		bad   string
		want  string
	}{
		{"no slot colon", "tcp", "   0 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 1", "expected a slot number"},
		{"slot not a number", "tcp", "   x: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 1", "expected a slot number"},
		{"missing local", "tcp", "   0:", "missing local address"},
		{"ipv6 address in tcp table", "tcp", "   0: 00000000000000000000000000000000:0016 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 1", "bad local address"},
		{"ipv4 address in tcp6 table", "tcp6", "   0: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 1", "bad local address"},
		{"bad hex in address", "tcp", "   0: 0000G000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 1", `bad local address "0000G000:0016"`},
		{"short port", "tcp", "   0: 00000000:016 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 1", "bad local address"},
		{"bad hex in port", "udp", "   0: 00000000:00Z6 00000000:0000 07 00000000:00000000 00:00000000 00000000 0 0 1", "bad local address"},
		{"missing remote", "tcp", "   0: 00000000:0016", "missing remote address"},
		{"bad remote", "tcp", "   0: 00000000:0016 00000000-0000 0A 00000000:00000000 00:00000000 00000000 0 0 1", "bad remote address"},
		{"bad ipv6 word", "udp6", "   0: 00000000000000000000000000000000:0016 0000000000000000000000000000000x:0000 07 00000000:00000000 00:00000000 00000000 0 0 1", "bad remote address"},
		{"missing state", "tcp", "   0: 00000000:0016 00000000:0000", "missing state"},
		{"bad state", "tcp", "   0: 00000000:0016 00000000:0000 A 00000000:00000000 00:00000000 00000000 0 0 1", `bad state "A"`},
		{"missing uid", "tcp", "   0: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000", "missing uid"},
		{"missing uid after retrnsmt", "tcp", "   0: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000", "missing uid"},
		{"bad uid", "tcp", "   0: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000 -1 0 1", `bad uid "-1"`},
		{"uid too large", "tcp", "   0: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000 4294967296 0 1", "bad uid"},
		{"missing timeout", "tcp", "   0: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0", "missing inode"},
		{"missing inode", "tcp", "   0: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0", "missing inode"},
		{"bad inode", "tcp", "   0: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 12a", `bad inode "12a"`},
		{"inode overflows", "tcp", "   0: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 18446744073709551616", "bad inode"},
		{"long field is cut short", "tcp", "   0: " + strings.Repeat("F", 60) + " x", `bad local address "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF..."`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := tcpHeader + good + tt.bad + "\n" + good
			if strings.HasSuffix(tt.proto, "6") {
				in = tt.bad + "\n"
			}
			got, err := Parse(strings.NewReader(in), "tcp", tt.proto)
			if err == nil {
				t.Fatalf("Parse returned no error; sockets %v", got)
			}
			line := 3
			if strings.HasSuffix(tt.proto, "6") {
				line = 1
			} else if len(got) != 2 || got[0].Line != 2 || got[1].Line != 4 {
				t.Errorf("good lines around the bad one: got %+v", got)
			}
			prefix := fmt.Sprintf("tcp:%d: ", line)
			if !strings.HasPrefix(err.Error(), prefix) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %q, want prefix %q containing %q", err, prefix, tt.want)
			}
			list := parse.List(err)
			if len(list) != 1 || list[0].Line != line {
				t.Errorf("parse.List(err) = %v, want one error at line %d", list, line)
			}
		})
	}
}

func TestParseUnknownProto(t *testing.T) {
	got, err := Parse(strings.NewReader(tcpTable), "/proc/net/raw", "raw")
	if err == nil || got != nil {
		t.Fatalf("Parse(raw) = %v, %v; want nil and an error", got, err)
	}
	if want := `/proc/net/raw: unknown protocol "raw"`; err.Error() != want {
		t.Errorf("error = %q, want %q", err, want)
	}
}

func TestParseReadError(t *testing.T) {
	boom := errors.New("boom")
	got, err := Parse(iotest.ErrReader(boom), "/proc/net/tcp", "tcp")
	if got != nil || !errors.Is(err, boom) {
		t.Fatalf("Parse = %v, %v; want nil and an error wrapping boom", got, err)
	}
}

func TestListening(t *testing.T) {
	tests := []struct {
		s    Socket
		want bool
	}{
		{Socket{Proto: "tcp", State: 0x0A}, true},
		{Socket{Proto: "tcp6", State: 0x0A}, true},
		{Socket{Proto: "tcp", State: 0x01}, false},
		{Socket{Proto: "tcp", State: 0x07}, false},
		{Socket{Proto: "udp", State: 0x07, Remote: ap("0.0.0.0:0")}, true},
		{Socket{Proto: "udp6", State: 0x07, Remote: ap("[::]:0")}, true},
		{Socket{Proto: "udp", State: 0x07, Remote: ap("10.0.2.2:67")}, false},
		{Socket{Proto: "udp", State: 0x01, Remote: ap("10.0.2.2:67")}, false},
		{Socket{Proto: "udp", State: 0x0A}, false},
		{Socket{Proto: "raw", State: 0x07}, false},
	}
	for _, tt := range tests {
		if got := tt.s.Listening(); got != tt.want {
			t.Errorf("%+v.Listening() = %v, want %v", tt.s, got, tt.want)
		}
	}
}

func BenchmarkParse(b *testing.B) {
	var sb strings.Builder
	sb.WriteString(tcpHeader)
	rows := strings.Split(strings.TrimSuffix(tcpTable[len(tcpHeader):], "\n"), "\n")
	for i := 0; i < 500; i++ {
		sb.WriteString(rows[i%len(rows)])
		sb.WriteByte('\n')
	}
	in := sb.String()
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		socks, err := Parse(strings.NewReader(in), "/proc/net/tcp", "tcp")
		if err != nil || len(socks) != 500 {
			b.Fatalf("Parse: %d sockets, %v", len(socks), err)
		}
	}
}
