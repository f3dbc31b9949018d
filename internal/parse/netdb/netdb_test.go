package netdb

import (
	"strings"
	"testing"

	"bastion/internal/parse"

	"github.com/google/go-cmp/cmp"
)

// An excerpt in the style of AIX 7.2's /etc/services: IBM prolog, tabs
// and spaces mixed, trailing blanks, and the two out-of-range ports AIX
// ships.
const aixServices = `# IBM_PROLOG_BEGIN_TAG 
# This is an automatically generated prolog. 
#  
# bos72V src/bos/etc/services/services 1.42.4.3 
# IBM_PROLOG_END_TAG 
#
# COMPONENT_NAME: TCPIP services
#
echo		  7/tcp
discard		  9/tcp		sink null
ftp		 21/tcp
telnet		 23/tcp
smtp		 25/tcp		mail
xdmcp		177/udp
rmc		657/tcp
rmc		657/udp
instsrv		1234/tcp	# AIX Network Installation Tool
writesrv	1334/tcp
writesrv	1334/udp
X11		6000/tcp	# X Window System   
sco_printer	70000/tcp
sco_s5_port	70001/tcp
filenet-tms	32768/tcp	# Filenet TMS
filenet-tms	32768/udp	# Filenet TMS
`

// An excerpt in the style of Debian netbase, with aliases and CRLF endings.
const netbaseServices = "# Network services, Internet style\r\n" +
	"#\r\n" +
	"tcpmux\t\t1/tcp\t\t\t\t# TCP port service multiplexer\r\n" +
	"echo\t\t7/tcp\r\n" +
	"echo\t\t7/udp\r\n" +
	"discard\t\t9/tcp\t\tsink null\r\n" +
	"discard\t\t9/udp\t\tsink null\r\n" +
	"chargen\t\t19/tcp\t\tttytst source\r\n" +
	"ftp\t\t21/tcp\r\n" +
	"fsp\t\t21/udp\t\tfspd\r\n" +
	"ssh\t\t22/tcp\t\t\t\t# SSH Remote Login Protocol\r\n" +
	"\r\n" +
	"sunrpc\t\t111/tcp\t\tportmapper\t# RPC 4.0 portmapper\r\n" +
	"sunrpc\t\t111/udp\t\tportmapper\r\n" +
	"#\r\n" +
	"# Services added for the Debian GNU/Linux distribution\r\n" +
	"sieve\t\t4190/tcp\t\t\t# ManageSieve Protocol"

const rpcFile = `# This file contains user readable names that can be used in place of rpc
# program numbers.

portmapper	100000	portmap sunrpc rpcbind
rstatd		100001	rstat rstat_svc rup perfmeter
nfs		100003	nfsprog
ypserv		100004	ypprog
mountd		100005	mount showmount
ypbind		100007
walld		100008	rwall shutdown
nlockmgr	100021
status		100024   # rpc.statd
rquotad		100011	rquotaprog quota rquota
`

func TestParseServices(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []Service
		errs []string
	}{
		{
			name: "aix",
			in:   aixServices,
			want: []Service{
				{Line: 9, Name: "echo", Port: 7, Proto: "tcp"},
				{Line: 10, Name: "discard", Port: 9, Proto: "tcp", Aliases: []string{"sink", "null"}},
				{Line: 11, Name: "ftp", Port: 21, Proto: "tcp"},
				{Line: 12, Name: "telnet", Port: 23, Proto: "tcp"},
				{Line: 13, Name: "smtp", Port: 25, Proto: "tcp", Aliases: []string{"mail"}},
				{Line: 14, Name: "xdmcp", Port: 177, Proto: "udp"},
				{Line: 15, Name: "rmc", Port: 657, Proto: "tcp"},
				{Line: 16, Name: "rmc", Port: 657, Proto: "udp"},
				{Line: 17, Name: "instsrv", Port: 1234, Proto: "tcp"},
				{Line: 18, Name: "writesrv", Port: 1334, Proto: "tcp"},
				{Line: 19, Name: "writesrv", Port: 1334, Proto: "udp"},
				{Line: 20, Name: "X11", Port: 6000, Proto: "tcp"},
				{Line: 23, Name: "filenet-tms", Port: 32768, Proto: "tcp"},
				{Line: 24, Name: "filenet-tms", Port: 32768, Proto: "udp"},
			},
			errs: []string{
				"services:21: port 70000 out of range (0-65535)",
				"services:22: port 70001 out of range (0-65535)",
			},
		},
		{
			name: "netbase",
			in:   netbaseServices,
			want: []Service{
				{Line: 3, Name: "tcpmux", Port: 1, Proto: "tcp"},
				{Line: 4, Name: "echo", Port: 7, Proto: "tcp"},
				{Line: 5, Name: "echo", Port: 7, Proto: "udp"},
				{Line: 6, Name: "discard", Port: 9, Proto: "tcp", Aliases: []string{"sink", "null"}},
				{Line: 7, Name: "discard", Port: 9, Proto: "udp", Aliases: []string{"sink", "null"}},
				{Line: 8, Name: "chargen", Port: 19, Proto: "tcp", Aliases: []string{"ttytst", "source"}},
				{Line: 9, Name: "ftp", Port: 21, Proto: "tcp"},
				{Line: 10, Name: "fsp", Port: 21, Proto: "udp", Aliases: []string{"fspd"}},
				{Line: 11, Name: "ssh", Port: 22, Proto: "tcp"},
				{Line: 13, Name: "sunrpc", Port: 111, Proto: "tcp", Aliases: []string{"portmapper"}},
				{Line: 14, Name: "sunrpc", Port: 111, Proto: "udp", Aliases: []string{"portmapper"}},
				{Line: 17, Name: "sieve", Port: 4190, Proto: "tcp"},
			},
		},
		{
			name: "bad lines",
			in: "ftp\n" +
				"ftp 21\n" +
				"ftp 21/\n" +
				"ftp /tcp\n" +
				"ftp twenty-one/tcp\n" +
				"ftp -21/tcp\n" +
				"ftp 21/tcp/udp\n" +
				"big 99999999999999999999999/tcp\n" +
				"ok 0/tcp\n" +
				"top 65535/udp\n" +
				"over 65536/udp\n" +
				strings.Repeat("x", 70) + "\n",
			want: []Service{
				{Line: 9, Name: "ok", Port: 0, Proto: "tcp"},
				{Line: 10, Name: "top", Port: 65535, Proto: "udp"},
			},
			errs: []string{
				"services:1: service ftp has no port/protocol",
				`services:2: "21" is not port/protocol`,
				`services:3: "21/" is not port/protocol`,
				`services:4: invalid port ""`,
				`services:5: invalid port "twenty-one"`,
				`services:6: invalid port "-21"`,
				`services:7: "21/tcp/udp" is not port/protocol`,
				"services:8: port 99999999999999999999999 out of range (0-65535)",
				"services:11: port 65536 out of range (0-65535)",
				"services:12: service " + strings.Repeat("x", 60) + "... has no port/protocol",
			},
		},
		{
			name: "empty",
			in:   "",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := ParseServices(strings.NewReader(tt.in), "services")
			if s == nil {
				t.Fatalf("ParseServices returned nil with %v", err)
			}
			if diff := cmp.Diff(tt.want, s.Entries); diff != "" {
				t.Errorf("entries (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.errs, errorLines(err)); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
			if got, want := string(s.Bytes()), normalise(tt.in); got != want {
				t.Errorf("Bytes() = %q, want %q", got, want)
			}
		})
	}
}

func TestServicesLookup(t *testing.T) {
	aix, _ := ParseServices(strings.NewReader(aixServices), "services")
	deb, err := ParseServices(strings.NewReader(netbaseServices), "services")
	if err != nil {
		t.Fatal(err)
	}
	byPort := []struct {
		s     *Services
		port  int
		proto string
		want  string
		line  int
	}{
		{aix, 1334, "tcp", "writesrv", 18},
		{aix, 1334, "udp", "writesrv", 19},
		{aix, 177, "udp", "xdmcp", 14},
		{aix, 177, "tcp", "", 0},
		{aix, 6000, "tcp", "X11", 20},
		{aix, 32768, "tcp", "filenet-tms", 23},
		{aix, 657, "", "rmc", 15},
		{aix, 70000, "tcp", "", 0},
		{deb, 21, "", "ftp", 9},
		{deb, 21, "udp", "fsp", 10},
		{deb, 22, "TCP", "", 0},
		{deb, 4190, "tcp", "sieve", 17},
	}
	for _, tt := range byPort {
		got, ok := tt.s.ByPort(tt.port, tt.proto)
		if got.Name != tt.want || got.Line != tt.line || ok != (tt.want != "") {
			t.Errorf("ByPort(%d, %q) = %+v, %v; want %s at line %d", tt.port, tt.proto, got, ok, tt.want, tt.line)
		}
	}
	byName := []struct {
		s           *Services
		name, proto string
		port, line  int
	}{
		{deb, "ssh", "tcp", 22, 11},
		{deb, "ssh", "udp", 0, 0},
		{deb, "sink", "udp", 9, 7},
		{deb, "null", "", 9, 6},
		{deb, "portmapper", "", 111, 13},
		{deb, "fspd", "udp", 21, 10},
		{deb, "SSH", "", 0, 0},
		{aix, "mail", "tcp", 25, 13},
		{aix, "sco_printer", "", 0, 0},
		{aix, "rmc", "udp", 657, 16},
	}
	for _, tt := range byName {
		got, ok := tt.s.ByName(tt.name, tt.proto)
		if got.Port != tt.port || got.Line != tt.line || ok != (tt.line != 0) {
			t.Errorf("ByName(%q, %q) = %+v, %v; want port %d at line %d", tt.name, tt.proto, got, ok, tt.port, tt.line)
		}
	}

	// A value built by hand, not parsed, is indexed on first use too.
	lit := &Services{Entries: []Service{{Line: 1, Name: "telnet", Port: 23, Proto: "tcp"}}}
	if got, ok := lit.ByPort(23, "tcp"); !ok || got.Name != "telnet" {
		t.Errorf("ByPort on a literal = %+v, %v", got, ok)
	}
	var empty Services
	if _, ok := empty.ByName("ftp", ""); ok {
		t.Error("ByName on an empty Services found something")
	}
}

func TestParseRPC(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []Program
		errs []string
	}{
		{
			name: "rpc",
			in:   rpcFile,
			want: []Program{
				{Line: 4, Name: "portmapper", Number: 100000, Aliases: []string{"portmap", "sunrpc", "rpcbind"}},
				{Line: 5, Name: "rstatd", Number: 100001, Aliases: []string{"rstat", "rstat_svc", "rup", "perfmeter"}},
				{Line: 6, Name: "nfs", Number: 100003, Aliases: []string{"nfsprog"}},
				{Line: 7, Name: "ypserv", Number: 100004, Aliases: []string{"ypprog"}},
				{Line: 8, Name: "mountd", Number: 100005, Aliases: []string{"mount", "showmount"}},
				{Line: 9, Name: "ypbind", Number: 100007},
				{Line: 10, Name: "walld", Number: 100008, Aliases: []string{"rwall", "shutdown"}},
				{Line: 11, Name: "nlockmgr", Number: 100021},
				{Line: 12, Name: "status", Number: 100024},
				{Line: 13, Name: "rquotad", Number: 100011, Aliases: []string{"rquotaprog", "quota", "rquota"}},
			},
		},
		{
			name: "bad lines",
			in: "portmapper\n" +
				"portmapper one-hundred-thousand\n" +
				"neg -1\n" +
				"big 4294967296\n" +
				"max 4294967295 top\r\n" +
				"\t  # only a comment\n",
			want: []Program{
				{Line: 5, Name: "max", Number: 4294967295, Aliases: []string{"top"}},
			},
			errs: []string{
				"rpc:1: program portmapper has no number",
				`rpc:2: invalid program number "one-hundred-thousand"`,
				`rpc:3: invalid program number "-1"`,
				"rpc:4: program number 4294967296 out of range (0-4294967295)",
			},
		},
		{
			name: "empty",
			in:   "",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := ParseRPC(strings.NewReader(tt.in), "rpc")
			if r == nil {
				t.Fatalf("ParseRPC returned nil with %v", err)
			}
			if diff := cmp.Diff(tt.want, r.Entries); diff != "" {
				t.Errorf("entries (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.errs, errorLines(err)); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
			if got, want := string(r.Bytes()), normalise(tt.in); got != want {
				t.Errorf("Bytes() = %q, want %q", got, want)
			}
		})
	}
}

func TestRPCLookup(t *testing.T) {
	r, err := ParseRPC(strings.NewReader(rpcFile+"portmap2 100000\n"), "rpc")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		num  int
		line int
	}{
		{"portmapper", 100000, 4},
		{"rpcbind", 100000, 4},
		{"sunrpc", 100000, 4},
		{"showmount", 100005, 8},
		{"nlockmgr", 100021, 11},
		{"portmap2", 100000, 14},
		{"nfsd", 0, 0},
	} {
		got, ok := r.ByName(tt.name)
		if got.Number != tt.num || got.Line != tt.line || ok != (tt.line != 0) {
			t.Errorf("ByName(%q) = %+v, %v; want %d at line %d", tt.name, got, ok, tt.num, tt.line)
		}
	}
	for _, tt := range []struct {
		num  int
		name string
	}{
		{100000, "portmapper"},
		{100003, "nfs"},
		{100024, "status"},
		{100099, ""},
	} {
		got, ok := r.ByNumber(tt.num)
		if got.Name != tt.name || ok != (tt.name != "") {
			t.Errorf("ByNumber(%d) = %+v, %v; want %q", tt.num, got, ok, tt.name)
		}
	}
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errDisk{} }

type errDisk struct{}

func (errDisk) Error() string { return "input/output error" }

func TestReadError(t *testing.T) {
	if s, err := ParseServices(failingReader{}, "services"); s != nil || err == nil || err.Error() != "services: read: input/output error" {
		t.Errorf("ParseServices = %v, %v", s, err)
	}
	if r, err := ParseRPC(failingReader{}, "rpc"); r != nil || err == nil || err.Error() != "rpc: read: input/output error" {
		t.Errorf("ParseRPC = %v, %v", r, err)
	}
}

// errorLines returns the text of every line error within err.
func errorLines(err error) []string {
	var out []string
	for _, e := range parse.List(err) {
		out = append(out, e.Error())
	}
	return out
}

// normalise returns text as Bytes gives it back: lines split as
// parse.SplitLines splits them, each ended by "\n".
func normalise(s string) string {
	if s == "" {
		return ""
	}
	parts := strings.Split(s, "\n")
	if parts[len(parts)-1] == "" {
		parts = parts[:len(parts)-1]
	}
	var b strings.Builder
	for _, p := range parts {
		b.WriteString(strings.TrimSuffix(p, "\r"))
		b.WriteByte('\n')
	}
	return b.String()
}
