package netstat

import (
	"errors"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"bastion/internal/parse"
)

// aix73 is netstat -Aan from AIX 7.3: the Internet section, a blank line,
// and the UNIX domain section with two lines per socket.
const aix73 = `Active Internet connections (including servers)
PCB/ADDR         Proto Recv-Q Send-Q  Local Address      Foreign Address    (state)
f1000f00055bcbc0 tcp        0      0  *.*                   *.*                   CLOSED
f1000f000017e3c0 tcp6       0      0  *.22                  *.*                   LISTEN
f1000f0000287bc0 tcp4       0      0  *.22                  *.*                   LISTEN
f1000f000017f3c0 tcp4       0      0  127.0.0.1.25          *.*                   LISTEN
f1000f00002d8bc0 tcp4       0     36  192.168.242.122.22    24.236.207.124.33236  ESTABLISHED
f1000f00055eabc0 tcp6       0      0  ::1.6010              *.*                   LISTEN
f1000f0000140600 udp        0      0  *.111                 *.*
f1000f000017be00 udp4       0      0  *.161                 *.*
f1000f0005582e00 udp6       0      0  ::1.514               *.*
f1000f0005583600 udp4       0      0  10.1.2.3.123          10.1.2.1.123

Active UNIX domain sockets
SADR/PCB         Type   Recv-Q Send-Q      Inode            Conn             Refs           Nextref      Addr
f1000f0000144808 dgram       0      0                0 f1000f00055a1b00                0                0
f1000f0000145580
f1000f000010a408 dgram       0      0 f1000b02a0354c20                0                0                0 /dev/SRC
f1000f000557b280
`

func TestParse(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []Socket
	}{
		{
			name: "aix 7.3",
			in:   aix73,
			want: []Socket{
				{Line: 3, PCB: "f1000f00055bcbc0", Proto: "tcp", Local: "*", Foreign: "*", State: "CLOSED"},
				{Line: 4, PCB: "f1000f000017e3c0", Proto: "tcp6", Local: "*", LocalPort: 22, Foreign: "*", State: "LISTEN"},
				{Line: 5, PCB: "f1000f0000287bc0", Proto: "tcp4", Local: "*", LocalPort: 22, Foreign: "*", State: "LISTEN"},
				{Line: 6, PCB: "f1000f000017f3c0", Proto: "tcp4", Local: "127.0.0.1", LocalPort: 25, Foreign: "*", State: "LISTEN"},
				{Line: 7, PCB: "f1000f00002d8bc0", Proto: "tcp4", Local: "192.168.242.122", LocalPort: 22, Foreign: "24.236.207.124", ForeignPort: 33236, State: "ESTABLISHED"},
				{Line: 8, PCB: "f1000f00055eabc0", Proto: "tcp6", Local: "::1", LocalPort: 6010, Foreign: "*", State: "LISTEN"},
				{Line: 9, PCB: "f1000f0000140600", Proto: "udp", Local: "*", LocalPort: 111, Foreign: "*"},
				{Line: 10, PCB: "f1000f000017be00", Proto: "udp4", Local: "*", LocalPort: 161, Foreign: "*"},
				{Line: 11, PCB: "f1000f0005582e00", Proto: "udp6", Local: "::1", LocalPort: 514, Foreign: "*"},
				{Line: 12, PCB: "f1000f0005583600", Proto: "udp4", Local: "10.1.2.3", LocalPort: 123, Foreign: "10.1.2.1", ForeignPort: 123},
			},
		},
		{
			name: "aix 5.3, crlf, no blank line before unix section",
			in: "Active Internet connections (including servers)\r\n" +
				"PCB/ADDR         Proto Recv-Q Send-Q  Local Address      Foreign Address    (state)\r\n" +
				"F10002000008ABB0 tcp4       0      0  *.13               *.*                LISTEN\r\n" +
				"f100020000287bb0 tcp4       0      0  192.168.9.230.702  192.168.9.230.3277 ESTABLISHED\r\n" +
				"f100020000094e00 udp4       0      0  *.32852            *.*\r\n" +
				"Active UNIX domain sockets\r\n" +
				"SADR/PCB         Type   Recv-Q Send-Q      Inode            Conn             Refs           Nextref      Addr\r\n" +
				"f10002000123b008 stream      0      0 f10001002736a020                0                0                0 /tmp/dpi_socket\r\n" +
				"f100020001c67800\r\n",
			want: []Socket{
				{Line: 3, PCB: "f10002000008abb0", Proto: "tcp4", Local: "*", LocalPort: 13, Foreign: "*", State: "LISTEN"},
				{Line: 4, PCB: "f100020000287bb0", Proto: "tcp4", Local: "192.168.9.230", LocalPort: 702, Foreign: "192.168.9.230", ForeignPort: 3277, State: "ESTABLISHED"},
				{Line: 5, PCB: "f100020000094e00", Proto: "udp4", Local: "*", LocalPort: 32852, Foreign: "*"},
			},
		},
		{
			name: "two captures in one file",
			in: "Active Internet connections (including servers)\n" +
				"f1000f0000287bc0 tcp4       0      0  *.22               *.*                LISTEN\n" +
				"Active UNIX domain sockets\n" +
				"f1000f0000144808 dgram       0      0                0 f1000f00055a1b00                0                0\n" +
				"Active Internet connections (including servers)\n" +
				"PCB/ADDR         Proto Recv-Q Send-Q  Local Address      Foreign Address    (state)\n" +
				"f1000f000017f3c0 tcp4       0      0  *.25               *.*                LISTEN\n",
			want: []Socket{
				{Line: 2, PCB: "f1000f0000287bc0", Proto: "tcp4", Local: "*", LocalPort: 22, Foreign: "*", State: "LISTEN"},
				{Line: 7, PCB: "f1000f000017f3c0", Proto: "tcp4", Local: "*", LocalPort: 25, Foreign: "*", State: "LISTEN"},
			},
		},
		{
			name: "netstat -an without PCB column",
			in: "Active Internet connections (including servers)\n" +
				"Proto Recv-Q Send-Q  Local Address          Foreign Address        (state)\n" +
				"tcp4       0      0  *.23                   *.*                    LISTEN\n" +
				"udp4       0      0  *.69                   *.*\n",
			want: []Socket{
				{Line: 3, Proto: "tcp4", Local: "*", LocalPort: 23, Foreign: "*", State: "LISTEN"},
				{Line: 4, Proto: "udp4", Local: "*", LocalPort: 69, Foreign: "*"},
			},
		},
		{name: "empty", in: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(strings.NewReader(tt.in), "netstat-Aan.out")
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
	const good = "f1000f0000287bc0 tcp4       0      0  *.22               *.*                LISTEN\n"
	tests := []struct {
		name string
		bad  string
		want string
	}{
		{"unknown protocol", "f1000f0000287bc0 raw        0      0  *.*                *.*", `expected a PCB address and a protocol, found "f1000f0000287bc0 raw"`},
		{"lone word", "garbage", `expected a PCB address and a protocol, found "garbage"`},
		{"PCB not hex", "(PCB) tcp4       0      0  *.22               *.*                LISTEN", `PCB address "(PCB)" is not hexadecimal`},
		{"missing state", "f1000f0000287bc0 tcp4       0      0  *.22               *.*", "missing TCP state"},
		{"too few fields", "f1000f0000287bc0 udp4       0      0  *.22", "expected 5 fields from the protocol on, found 4"},
		{"extra field", "f1000f0000140600 udp        0      0  *.111              *.*       IDLE", `unexpected field "IDLE" at the end`},
		{"bad queue", "f1000f0000287bc0 tcp4       0      -  *.22               *.*                LISTEN", `queue size "-" is not a number`},
		{"no port", "f1000f0000287bc0 tcp4       0      0  *                  *.*                LISTEN", `local address "*" has no port`},
		{"service name", "f1000f0000287bc0 tcp4       0      0  loopback.smtp      *.*                LISTEN", `local port "smtp" in "loopback.smtp" is not a number from 0 to 65535`},
		{"truncated foreign", "f1000f0000287bc0 tcp4       0      0  10.1.2.3.22        10.1.2.4.          ESTABLISHED", `foreign port "" in "10.1.2.4."`},
		{"port too large", "f1000f0000287bc0 tcp4       0      0  *.70000            *.*                LISTEN", `port "70000"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := good + tt.bad + "\n" + good
			got, err := Parse(strings.NewReader(in), "netstat.out")
			if err == nil {
				t.Fatalf("Parse returned no error; sockets %+v", got)
			}
			if len(got) != 2 || got[0].Line != 1 || got[1].Line != 3 {
				t.Errorf("good lines around the bad one: got %+v", got)
			}
			if !strings.HasPrefix(err.Error(), "netstat.out:2: ") || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %q, want prefix %q containing %q", err, "netstat.out:2: ", tt.want)
			}
			if list := parse.List(err); len(list) != 1 || list[0].Line != 2 {
				t.Errorf("parse.List(err) = %v, want one error at line 2", list)
			}
		})
	}
}

func TestParseReadError(t *testing.T) {
	boom := errors.New("boom")
	got, err := Parse(iotest.ErrReader(boom), "netstat.out")
	if got != nil || !errors.Is(err, boom) {
		t.Fatalf("Parse = %v, %v; want nil and an error wrapping boom", got, err)
	}
}

func TestListening(t *testing.T) {
	tests := []struct {
		s    Socket
		want bool
	}{
		{Socket{Proto: "tcp4", Foreign: "*", State: "LISTEN"}, true},
		{Socket{Proto: "tcp", Foreign: "*", State: "CLOSED"}, false},
		{Socket{Proto: "tcp6", Foreign: "::1", ForeignPort: 40000, State: "ESTABLISHED"}, false},
		{Socket{Proto: "udp", Foreign: "*"}, true},
		{Socket{Proto: "udp6", Foreign: "*"}, true},
		{Socket{Proto: "udp4", Foreign: "10.1.2.1", ForeignPort: 123}, false},
		{Socket{Proto: "raw", Foreign: "*"}, false},
	}
	for _, tt := range tests {
		if got := tt.s.Listening(); got != tt.want {
			t.Errorf("%+v.Listening() = %v, want %v", tt.s, got, tt.want)
		}
	}
}
