package ss

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

// tulpn is ss -tulpn from iproute2 6.x: the header runs "Port" and
// "Process" together, and rows without an owner end in spaces.
const tulpn = `Netid State  Recv-Q Send-Q      Local Address:Port  Peer Address:PortProcess                                       
udp   UNCONN 0      0              127.0.0.53%lo:53         0.0.0.0:*    users:(("systemd-resolve",pid=641,fd=13))    
udp   UNCONN 0      0                    0.0.0.0:111        0.0.0.0:*    users:(("rpcbind",pid=598,fd=5),("systemd",pid=1,fd=97))
udp   UNCONN 0      0                       [::]:111           [::]:*    users:(("rpcbind",pid=598,fd=7),("systemd",pid=1,fd=99))
udp   UNCONN 0      0      [fe80::5054:ff:fe12:3456]%enp1s0:546 [::]:*    users:(("NetworkManager",pid=702,fd=26))
tcp   LISTEN 0      4096           127.0.0.53%lo:53         0.0.0.0:*    users:(("systemd-resolve",pid=641,fd=14))    
tcp   LISTEN 0      128                  0.0.0.0:22         0.0.0.0:*    users:(("sshd",pid=812,fd=3),("sshd",pid=900,fd=3))
tcp   LISTEN 0      100                127.0.0.1:25         0.0.0.0:*    users:(("master",pid=1377,fd=13))            
tcp   LISTEN 0      4096                       *:9100             *:*    users:(("node_exporter",pid=733,fd=3))       
tcp   LISTEN 0      128                     [::]:22            [::]:*    users:(("sshd",pid=812,fd=4))                
tcp   LISTEN 0      511       [::ffff:127.0.0.1]:8080             *:*    users:(("java",pid=2210,fd=41))              
tcp   LISTEN 0      128                  0.0.0.0:2024       0.0.0.0:*                                                 
`

func pids(name string, pidFD ...int) []Process {
	var out []Process
	for i := 0; i < len(pidFD); i += 2 {
		out = append(out, Process{Name: name, PID: pidFD[i], FD: pidFD[i+1]})
	}
	return out
}

func addr(s string) netip.Addr { return netip.MustParseAddr(s) }

func TestParse(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []Socket
	}{
		{
			name: "tulpn",
			in:   tulpn,
			want: []Socket{
				{Line: 2, Proto: "udp", State: "UNCONN", Local: "127.0.0.53%lo", LocalAddr: addr("127.0.0.53"), Iface: "lo", Port: 53, Processes: pids("systemd-resolve", 641, 13)},
				{Line: 3, Proto: "udp", State: "UNCONN", Local: "0.0.0.0", LocalAddr: addr("0.0.0.0"), Port: 111, Processes: []Process{{"rpcbind", 598, 5}, {"systemd", 1, 97}}},
				{Line: 4, Proto: "udp", State: "UNCONN", Local: "[::]", LocalAddr: addr("::"), Port: 111, Processes: []Process{{"rpcbind", 598, 7}, {"systemd", 1, 99}}},
				{Line: 5, Proto: "udp", State: "UNCONN", Local: "[fe80::5054:ff:fe12:3456]%enp1s0", LocalAddr: addr("fe80::5054:ff:fe12:3456"), Iface: "enp1s0", Port: 546, Processes: pids("NetworkManager", 702, 26)},
				{Line: 6, Proto: "tcp", State: "LISTEN", Local: "127.0.0.53%lo", LocalAddr: addr("127.0.0.53"), Iface: "lo", Port: 53, Processes: pids("systemd-resolve", 641, 14)},
				{Line: 7, Proto: "tcp", State: "LISTEN", Local: "0.0.0.0", LocalAddr: addr("0.0.0.0"), Port: 22, Processes: pids("sshd", 812, 3, 900, 3)},
				{Line: 8, Proto: "tcp", State: "LISTEN", Local: "127.0.0.1", LocalAddr: addr("127.0.0.1"), Port: 25, Processes: pids("master", 1377, 13)},
				{Line: 9, Proto: "tcp", State: "LISTEN", Local: "*", Port: 9100, Processes: pids("node_exporter", 733, 3)},
				{Line: 10, Proto: "tcp", State: "LISTEN", Local: "[::]", LocalAddr: addr("::"), Port: 22, Processes: pids("sshd", 812, 4)},
				{Line: 11, Proto: "tcp", State: "LISTEN", Local: "[::ffff:127.0.0.1]", LocalAddr: addr("::ffff:127.0.0.1"), Port: 8080, Processes: pids("java", 2210, 41)},
				{Line: 12, Proto: "tcp", State: "LISTEN", Local: "0.0.0.0", LocalAddr: addr("0.0.0.0"), Port: 2024},
			},
		},
		{
			name: "tlnp without netid and header",
			in: "LISTEN 0      5         127.0.0.1:8081 0.0.0.0:* users:((\"python3\",pid=5483,fd=3))\n" +
				"LISTEN 0      128         0.0.0.0:2024 0.0.0.0:*                                  \n",
			want: []Socket{
				{Line: 1, Proto: "tcp", State: "LISTEN", Local: "127.0.0.1", LocalAddr: addr("127.0.0.1"), Port: 8081, Processes: pids("python3", 5483, 3)},
				{Line: 2, Proto: "tcp", State: "LISTEN", Local: "0.0.0.0", LocalAddr: addr("0.0.0.0"), Port: 2024},
			},
		},
		{
			name: "ulnp with header",
			in: "State  Recv-Q Send-Q Local Address:Port Peer Address:PortProcess                           \n" +
				"UNCONN 0      0            0.0.0.0:68        0.0.0.0:*    users:((\"dhclient\",pid=488,fd=7))\r\n" +
				"UNCONN 0      0              [::1]:323          [::]:*    users:((\"chronyd\",pid=530,fd=6))\r\n",
			want: []Socket{
				{Line: 2, Proto: "udp", State: "UNCONN", Local: "0.0.0.0", LocalAddr: addr("0.0.0.0"), Port: 68, Processes: pids("dhclient", 488, 7)},
				{Line: 3, Proto: "udp", State: "UNCONN", Local: "[::1]", LocalAddr: addr("::1"), Port: 323, Processes: pids("chronyd", 530, 6)},
			},
		},
		{
			name: "old iproute2 without brackets or keys",
			in: "Netid  State      Recv-Q Send-Q     Local Address:Port       Peer Address:Port \n" +
				"udp    UNCONN     0      0                      *:111                   *:*      users:((\"rpcbind\",1021,6))\n" +
				"tcp    LISTEN     0      128                   :::22                   :::*      users:((\"sshd\",1302,4))\n" +
				"tcp    LISTEN     0      128                    *:22                    *:*      users:((\"sshd\",1302,3))\n" +
				"tcp    LISTEN     0      100      ::ffff:127.0.0.1:25                   :::*      users:((\"master\",1600,13))\n",
			want: []Socket{
				{Line: 2, Proto: "udp", State: "UNCONN", Local: "*", Port: 111, Processes: pids("rpcbind", 1021, 6)},
				{Line: 3, Proto: "tcp", State: "LISTEN", Local: "::", LocalAddr: addr("::"), Port: 22, Processes: pids("sshd", 1302, 4)},
				{Line: 4, Proto: "tcp", State: "LISTEN", Local: "*", Port: 22, Processes: pids("sshd", 1302, 3)},
				{Line: 5, Proto: "tcp", State: "LISTEN", Local: "::ffff:127.0.0.1", LocalAddr: addr("::ffff:127.0.0.1"), Port: 25, Processes: pids("master", 1600, 13)},
			},
		},
		{
			name: "names with spaces, parentheses and commas",
			in: "tcp   LISTEN 0      128          127.0.0.1:631        0.0.0.0:*    users:((\"tmux: server\",pid=1500,fd=6),(\"(sd-pam)\",pid=1200,fd=2),(\"a,b\",pid=3,fd=4))\n" +
				"tcp   ESTAB  0      0         10.0.2.15:22      10.0.2.2:53104 users:((\"sshd\",pid=2301,fd=4)) uid:0 ino:48213 sk:1 <->\n",
			want: []Socket{
				{Line: 1, Proto: "tcp", State: "LISTEN", Local: "127.0.0.1", LocalAddr: addr("127.0.0.1"), Port: 631, Processes: []Process{{"tmux: server", 1500, 6}, {"(sd-pam)", 1200, 2}, {"a,b", 3, 4}}},
				{Line: 2, Proto: "tcp", State: "ESTAB", Local: "10.0.2.15", LocalAddr: addr("10.0.2.15"), Port: 22, Processes: pids("sshd", 2301, 4)},
			},
		},
		{
			name: "no netid and an inconclusive state",
			in:   "ESTAB 0 0 10.0.2.15:22 10.0.2.2:53104\n",
			want: []Socket{
				{Line: 1, State: "ESTAB", Local: "10.0.2.15", LocalAddr: addr("10.0.2.15"), Port: 22},
			},
		},
		{
			name: "other families skipped",
			in: "Netid State  Recv-Q Send-Q Local Address:Port Peer Address:PortProcess\n" +
				"u_str LISTEN 0      4096   /run/systemd/private 13541 * 0 users:((\"systemd\",pid=1,fd=18))\n" +
				"nl    UNCONN 0      0      rtnl:kernel *\n" +
				"p_raw UNCONN 0      0      *:enp1s0 *\n" +
				"\n" +
				"raw   UNCONN 0      0      *%enp1s0:58 *:*\n",
			want: []Socket{
				{Line: 6, Proto: "raw", State: "UNCONN", Local: "*%enp1s0", Iface: "enp1s0", Port: 58},
			},
		},
		{name: "header only", in: "Netid State  Recv-Q Send-Q Local Address:Port Peer Address:PortProcess\n"},
		{name: "empty", in: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(strings.NewReader(tt.in), "ss-tulpn.txt")
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateEmpty(), cmpopts.EquateComparable(netip.Addr{})); diff != "" {
				t.Errorf("Parse mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	const good = "tcp   LISTEN 0      128                  0.0.0.0:22         0.0.0.0:*    users:((\"sshd\",pid=812,fd=3))\n"
	tests := []struct {
		name string
		bad  string
		want string
	}{
		{"unknown netid", "icmp  UNCONN 0 0 0.0.0.0:1 0.0.0.0:*", `unknown netid or state "icmp"`},
		{"short row", "tcp   LISTEN 0      128                  0.0.0.0:22", "expected at least 6 fields, found 5"},
		{"short row without netid", "LISTEN 0 128 0.0.0.0:22", "expected at least 5 fields, found 4"},
		{"unknown state", "tcp   LISTENING 0 128 0.0.0.0:22 0.0.0.0:*", `unknown state "LISTENING"`},
		{"bad queue", "tcp   LISTEN x 128 0.0.0.0:22 0.0.0.0:*", `queue size "x" is not a number`},
		{"no port", "tcp   LISTEN 0 128 0.0.0.0 0.0.0.0:*", `local address "0.0.0.0" has no port`},
		{"service name", "tcp   LISTEN 0 128 0.0.0.0:ssh 0.0.0.0:*", `local port "ssh" in "0.0.0.0:ssh" is not a number from 0 to 65535`},
		{"port too large", "tcp   LISTEN 0 128 0.0.0.0:65536 0.0.0.0:*", `port "65536"`},
		{"empty interface", "tcp   LISTEN 0 128 127.0.0.1%:22 0.0.0.0:*", "bad interface name"},
		{"not an address", "tcp   LISTEN 0 128 localhost:22 0.0.0.0:*", `local address "localhost" is not an IP address`},
		{"bad peer", "tcp   LISTEN 0 128 0.0.0.0:22 0.0.0.0", `peer address "0.0.0.0" has no port`},
		{"users without name", "tcp   LISTEN 0 128 0.0.0.0:22 0.0.0.0:* users:((sshd,pid=812,fd=3))", `users: expected ("name" at "(sshd,pid=812,fd=3))"`},
		{"users unterminated name", "tcp   LISTEN 0 128 0.0.0.0:22 0.0.0.0:* users:((\"sshd", "users: unterminated process name"},
		{"users unclosed process", "tcp   LISTEN 0 128 0.0.0.0:22 0.0.0.0:* users:((\"sshd\",pid=812,fd=3", `users: process "sshd" has no closing ")"`},
		{"users unclosed list", "tcp   LISTEN 0 128 0.0.0.0:22 0.0.0.0:* users:((\"sshd\",pid=812,fd=3)", `users: expected "," or ")" at ""`},
		{"users bad pid", "tcp   LISTEN 0 128 0.0.0.0:22 0.0.0.0:* users:((\"sshd\",pid=x,fd=3))", `users: pid "x" of process "sshd" is not a number`},
		{"users no pid", "tcp   LISTEN 0 128 0.0.0.0:22 0.0.0.0:* users:((\"sshd\",fd=3))", `users: process "sshd" lacks a pid or fd`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := good + tt.bad + "\n" + good
			got, err := Parse(strings.NewReader(in), "ss.txt")
			if err == nil {
				t.Fatalf("Parse returned no error; sockets %+v", got)
			}
			if len(got) != 2 || got[0].Line != 1 || got[1].Line != 3 {
				t.Errorf("good lines around the bad one: got %+v", got)
			}
			if !strings.HasPrefix(err.Error(), "ss.txt:2: ") || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %q, want prefix %q containing %q", err, "ss.txt:2: ", tt.want)
			}
			if list := parse.List(err); len(list) != 1 || list[0].Line != 2 {
				t.Errorf("parse.List(err) = %v, want one error at line 2", list)
			}
		})
	}
}

func TestParseManyErrors(t *testing.T) {
	in := "tcp LISTEN 0 1 0.0.0.0:x 0.0.0.0:*\nbogus\n" + tulpn
	got, err := Parse(strings.NewReader(in), "ss.txt")
	if len(got) != 11 {
		t.Errorf("got %d sockets, want 11", len(got))
	}
	var lines []string
	for _, e := range parse.List(err) {
		lines = append(lines, fmt.Sprintf("%s:%d", e.File, e.Line))
	}
	if diff := cmp.Diff([]string{"ss.txt:1", "ss.txt:2"}, lines); diff != "" {
		t.Errorf("error lines (-want +got):\n%s", diff)
	}
}

func TestParseReadError(t *testing.T) {
	boom := errors.New("boom")
	got, err := Parse(iotest.ErrReader(boom), "ss.txt")
	if got != nil || !errors.Is(err, boom) {
		t.Fatalf("Parse = %v, %v; want nil and an error wrapping boom", got, err)
	}
}
