package rmsock

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"bastion/internal/parse"
)

// capture is what the documented loop prints on an AIX 7.2 host.
const capture = `# rmsock f1000f0000287bc0 tcpcb
The socket 0xf1000f0000287808 is being held by proccess 21496092 (sshd).
# rmsock f1000f000017f3c0 tcpcb
The socket 0xf1000f000017f008 is being held by proccess 4063360 (sendmail).
# rmsock f1000e0000180bb8 tcpcb
The socket 0xf1000e0000180808 is being held by Kernel/Kernel Extension.
# rmsock f1000f0000140600 inpcb
The socket 0xf1000f0000140208 is being held by proccess 3604640 (portmap).
# rmsock f1000f000017be00 inpcb
Wait for exiting processes to be cleaned up before removing the socket
# rmsock f1000f0005582e00 inpcb
rmsock : Unable to read kernel address f1000f0005582e00, errno = 22
# rmsock f1000f0005583600 inpcb
It is not a socket
`

func TestParse(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []Holder
	}{
		{
			name: "documented loop",
			in:   capture,
			want: []Holder{
				{Line: 2, PCB: "f1000f0000287bc0", Kind: "tcpcb", Socket: "f1000f0000287808", PID: 21496092, Command: "sshd", Held: true},
				{Line: 4, PCB: "f1000f000017f3c0", Kind: "tcpcb", Socket: "f1000f000017f008", PID: 4063360, Command: "sendmail", Held: true},
				{Line: 6, PCB: "f1000e0000180bb8", Kind: "tcpcb", Socket: "f1000e0000180808", Held: true, Kernel: true, Message: "The socket 0xf1000e0000180808 is being held by Kernel/Kernel Extension."},
				{Line: 8, PCB: "f1000f0000140600", Kind: "inpcb", Socket: "f1000f0000140208", PID: 3604640, Command: "portmap", Held: true},
				{Line: 10, PCB: "f1000f000017be00", Kind: "inpcb", Message: "Wait for exiting processes to be cleaned up before removing the socket"},
				{Line: 12, PCB: "f1000f0005582e00", Kind: "inpcb", Message: "rmsock : Unable to read kernel address f1000f0005582e00, errno = 22"},
				{Line: 14, PCB: "f1000f0005583600", Kind: "inpcb", Message: "It is not a socket"},
			},
		},
		{
			name: "sh -x trace, dollar prompt, CRLF, blank lines",
			in: "+ rmsock F1000F0000287BC0 tcpcb\r\n" +
				"The socket 0xF1000F0000287808 is being held by proccess 21496092 (sshd).\r\n" +
				"\r\n" +
				"$ /usr/sbin/rmsock 0xf1000f00002883c0 tcpcb 2>&1\r\n" +
				"The socket 0xf1000f0000288008 is being held by process 2490704 (inetd).\r\n" +
				"++ rmsock f1000f000017e3c0 tcpcb\n" +
				"   The socket 0xf1000f000017e008 is being held by proccess 21496092 (sshd).   \n",
			want: []Holder{
				{Line: 2, PCB: "f1000f0000287bc0", Kind: "tcpcb", Socket: "f1000f0000287808", PID: 21496092, Command: "sshd", Held: true},
				{Line: 5, PCB: "f1000f00002883c0", Kind: "tcpcb", Socket: "f1000f0000288008", PID: 2490704, Command: "inetd", Held: true},
				{Line: 7, PCB: "f1000f000017e3c0", Kind: "tcpcb", Socket: "f1000f000017e008", PID: 21496092, Command: "sshd", Held: true},
			},
		},
		{
			name: "bare commands, removed socket, comments and other commands",
			in: "# capture of rmsock results on aixhost01\n" +
				"# netstat -Aan | grep LISTEN\n" +
				"rmsock f1000e000258d3b8 tcpcb\n" +
				"socket 0x258d008 is removed.\n" +
				"rmsock 70054edc socket\n" +
				"The socket 0x70054edc is being held by proccess 1234 (my daemon (x)).\n" +
				"+ echo done\n",
			want: []Holder{
				{Line: 4, PCB: "f1000e000258d3b8", Kind: "tcpcb", Socket: "258d008", Message: "socket 0x258d008 is removed."},
				{Line: 6, PCB: "70054edc", Kind: "socket", Socket: "70054edc", PID: 1234, Command: "my daemon (x)", Held: true},
			},
		},
		{
			name: "command without output",
			in: "# rmsock f1000f0000287bc0 tcpcb\n" +
				"# rmsock f1000f00002883c0 tcpcb\n" +
				"The socket 0xf1000f0000288008 is being held by proccess 2490704 (inetd).\n",
			want: []Holder{
				{Line: 3, PCB: "f1000f00002883c0", Kind: "tcpcb", Socket: "f1000f0000288008", PID: 2490704, Command: "inetd", Held: true},
			},
		},
		{name: "empty", in: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(strings.NewReader(tt.in), "rmsock.out")
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
	const cmd = "# rmsock f1000f0000287bc0 tcpcb\n"
	const res = "The socket 0xf1000f0000287808 is being held by proccess 21496092 (sshd).\n"
	tests := []struct {
		name string
		in   string // a good command and result follow
		line int    // the bad line
		want string
	}{
		{"result first", res, 1, "no rmsock command before this result"},
		{"second result", cmd + res + "It is not a socket\n", 3, "no rmsock command before this result"},
		// A bad command line swallows its result, which gives no
		// further error.
		{"missing type", "# rmsock f1000f0000287bc0\n" + res, 1, "rmsock command needs an address and an address type, found 1 arguments"},
		{"bad address", "# rmsock PCB tcpcb\n" + res, 1, `rmsock address "PCB" is not hexadecimal`},
		{"bad type", "# rmsock f1000f0000287bc0 tcp\n" + res, 1, `unknown rmsock address type "tcp"`},
		{"bad socket address", cmd + "The socket f1000f0000287808 is being held by proccess 1 (sshd).\n", 2, `socket address "f1000f0000287808" is not hexadecimal`},
		{"not process", cmd + "The socket 0xf1000f0000287808 is being held by user 1 (sshd).\n", 2, `expected "process" after "held by", found "user"`},
		{"bad PID", cmd + "The socket 0xf1000f0000287808 is being held by proccess x (sshd).\n", 2, `process ID "x" is not a number`},
		{"no name", cmd + "The socket 0xf1000f0000287808 is being held by proccess 12.\n", 2, `expected the command name in parentheses after the process ID, found ""`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.in + cmd + res
			last := strings.Count(in, "\n")
			got, err := Parse(strings.NewReader(in), "rmsock.out")
			if err == nil {
				t.Fatalf("Parse returned no error; holders %+v", got)
			}
			if n := len(got); n == 0 || got[n-1].Line != last {
				t.Errorf("the result after the bad line is missing: got %+v", got)
			}
			prefix := fmt.Sprintf("rmsock.out:%d: ", tt.line)
			if err.Error() != prefix+tt.want {
				t.Errorf("error = %q, want %q", err, prefix+tt.want)
			}
			if list := parse.List(err); len(list) != 1 || list[0].Line != tt.line {
				t.Errorf("parse.List(err) = %v, want one error at line %d", list, tt.line)
			}
		})
	}
}

func TestParseReadError(t *testing.T) {
	boom := errors.New("boom")
	got, err := Parse(iotest.ErrReader(boom), "rmsock.out")
	if got != nil || !errors.Is(err, boom) {
		t.Fatalf("Parse = %v, %v; want nil and an error wrapping boom", got, err)
	}
}

func TestIsProcess(t *testing.T) {
	for w, want := range map[string]bool{
		"process": true, "proccess": true, "procccess": true,
		"proess": false, "processes": false, "Process": false, "": false,
	} {
		if got := isProcess(w); got != want {
			t.Errorf("isProcess(%q) = %v, want %v", w, got, want)
		}
	}
}
