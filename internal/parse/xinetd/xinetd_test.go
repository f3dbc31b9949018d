package xinetd

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"

	"bastion/internal/parse"
)

func attr(line int, key, op string, values ...string) Attr {
	return Attr{Line: line, Key: key, Op: op, Values: values}
}

func parseFixture(t *testing.T, name string) *File {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	f, err := Parse(strings.NewReader(string(data)), "/etc/"+name)
	if err != nil {
		t.Fatalf("Parse(%s): %v", name, err)
	}
	if got, want := string(f.Bytes()), strings.ReplaceAll(string(data), "\r\n", "\n"); got != want {
		t.Errorf("Bytes() does not give %s back", name)
	}
	return f
}

// service parses a one-service file from testdata/xinetd.d.
func service(t *testing.T, name string) Block {
	t.Helper()
	f := parseFixture(t, "xinetd.d/"+name)
	if f.Defaults != nil || len(f.Includes) != 0 || len(f.Services) != 1 {
		t.Fatalf("%s: got %+v, want one service block", name, f)
	}
	return f.Services[0]
}

func TestParseMainConf(t *testing.T) {
	f := parseFixture(t, "xinetd.conf")
	want := &File{
		Name:  "/etc/xinetd.conf",
		Lines: f.Lines,
		Defaults: &Block{Line: 6, EndLine: 40, Attrs: []Attr{
			attr(12, "disabled", "=", "finger"),
			attr(13, "disabled", "+=", "rexec", "rlogin", "rsh"),
			attr(16, "log_type", "=", "SYSLOG", "daemon", "info"),
			attr(17, "log_on_failure", "=", "HOST"),
			attr(18, "log_on_success", "=", "PID", "HOST", "DURATION", "EXIT"),
			attr(25, "cps", "=", "50", "10"),
			attr(26, "instances", "=", "50"),
			attr(27, "per_source", "=", "10"),
			attr(33, "v6only", "=", "no"),
			attr(38, "groups", "=", "yes"),
			attr(39, "umask", "=", "002"),
		}},
		Includes: []Include{{Line: 42, Dir: true, Path: "/etc/xinetd.d"}},
	}
	if diff := cmp.Diff(want, f); diff != "" {
		t.Errorf("file (-want +got):\n%s", diff)
	}
	if got, _ := f.Defaults.Get("disabled"); !cmp.Equal(got, []string{"finger", "rexec", "rlogin", "rsh"}) {
		t.Errorf(`Defaults.Get("disabled") = %q`, got)
	}
}

func TestParseServices(t *testing.T) {
	type summary struct {
		Line, EndLine              int
		Name, ID                   string
		Disabled                   bool
		Port                       int
		Protocol, SocketType       string
		Server                     string
		ServerArgs, Types          []string
		Bind                       string
		RPCNumber                  int
		RPCVersion, User, Wait     string
		OnlyFrom                   []string
		OnlyFromSet, LogFailureSet bool
	}
	sum := func(b Block) summary {
		only, onlySet := b.Get("only_from")
		_, logSet := b.Get("log_on_failure")
		return summary{
			Line: b.Line, EndLine: b.EndLine, Name: b.Name, ID: b.ID(), Disabled: b.Disabled(),
			Port: b.Port(), Protocol: b.Protocol(), SocketType: b.SocketType(), Server: b.Server(),
			ServerArgs: b.ServerArgs(), Types: b.Types(), Bind: b.Bind(),
			RPCNumber: b.RPCNumber(), RPCVersion: b.RPCVersion(), User: b.Value("user"), Wait: b.Value("wait"),
			OnlyFrom: only, OnlyFromSet: onlySet, LogFailureSet: logSet,
		}
	}
	tests := []struct {
		file string
		want summary
	}{
		{"tftp", summary{Line: 6, EndLine: 18, Name: "tftp", ID: "tftp", Protocol: "udp", SocketType: "dgram",
			Server: "/usr/sbin/in.tftpd", ServerArgs: []string{"-s", "/var/lib/tftpboot"}, User: "root", Wait: "yes"}},
		{"telnet", summary{Line: 4, EndLine: 13, Name: "telnet", ID: "telnet", Disabled: true, SocketType: "stream",
			Server: "/usr/sbin/in.telnetd", User: "root", Wait: "no", LogFailureSet: true}},
		{"echo-stream", summary{Line: 3, EndLine: 27, Name: "echo", ID: "echo-stream", Disabled: true, SocketType: "stream",
			Types: []string{"INTERNAL"}, Wait: "no"}},
		{"rquotad", summary{Line: 2, EndLine: 16, Name: "rquotad", ID: "rquotad", Protocol: "udp", SocketType: "dgram",
			Server: "/usr/sbin/rpc.rquotad", Types: []string{"RPC", "UNLISTED"}, RPCNumber: 100011, RPCVersion: "1-2",
			User: "root", Wait: "yes", OnlyFrom: []string{"192.0.2.0/24", "203.0.113.9"}, OnlyFromSet: true}},
		{"nrpe", summary{Line: 3, EndLine: 17, Name: "nrpe", ID: "nrpe", Port: 5666, SocketType: "stream",
			Server: "/usr/sbin/nrpe", ServerArgs: []string{"-c", "/etc/nagios/nrpe.cfg", "--inetd"}, Types: []string{"UNLISTED"},
			Bind: "192.0.2.20", User: "nagios", Wait: "no",
			OnlyFrom: []string{"127.0.0.1", "::1", "192.0.2.10"}, OnlyFromSet: true, LogFailureSet: true}},
		{"rsync", summary{Line: 4, EndLine: 15, Name: "rsync", ID: "rsync", SocketType: "stream", Server: "/usr/bin/rsync",
			ServerArgs: []string{"--daemon"}, Bind: "127.0.0.1", User: "root", Wait: "no", LogFailureSet: true}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, sum(service(t, tt.file))); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}

	// The attributes keep their lines, so that one can be edited.
	telnet := service(t, "telnet")
	wantAttrs := []Attr{
		attr(6, "flags", "=", "REUSE"),
		attr(7, "socket_type", "=", "stream"),
		attr(8, "wait", "=", "no"),
		attr(9, "user", "=", "root"),
		attr(10, "server", "=", "/usr/sbin/in.telnetd"),
		attr(11, "log_on_failure", "+=", "USERID"),
		attr(12, "disable", "=", "yes"),
	}
	if diff := cmp.Diff(wantAttrs, telnet.Attrs); diff != "" {
		t.Errorf("telnet attributes (-want +got):\n%s", diff)
	}
}

func TestDisabledWithDefaults(t *testing.T) {
	main := parseFixture(t, "xinetd.conf")
	blk := func(name string, attrs ...Attr) Block { return Block{Name: name, Attrs: attrs} }
	tests := []struct {
		name     string
		b        Block
		defaults *Block
		want     bool
	}{
		{"tftp file, no defaults", service(t, "tftp"), nil, false},
		{"telnet file disable = yes", service(t, "telnet"), main.Defaults, true},
		{"rsync file with defaults", service(t, "rsync"), main.Defaults, false},
		{"finger in the defaults disabled list", blk("finger", attr(3, "disable", "=", "no")), main.Defaults, true},
		{"rsh by += in the disabled list", blk("rsh"), main.Defaults, true},
		{"disabled list names the ID, not the name", blk("echo", attr(3, "id", "=", "echo-stream")),
			&Block{Attrs: []Attr{attr(2, "disabled", "=", "echo-stream")}}, true},
		{"name does not match when the ID differs", blk("echo", attr(3, "id", "=", "echo-stream")),
			&Block{Attrs: []Attr{attr(2, "disabled", "=", "echo")}}, false},
		{"removed from the disabled list", blk("finger"),
			&Block{Attrs: []Attr{attr(2, "disabled", "=", "finger", "rsh"), attr(3, "disabled", "-=", "finger")}}, false},
		{"enabled list without the service", blk("telnet"),
			&Block{Attrs: []Attr{attr(2, "enabled", "=", "tftp", "rsync")}}, true},
		{"enabled list with the service", blk("tftp", attr(3, "disable", "=", "no")),
			&Block{Attrs: []Attr{attr(2, "enabled", "=", "tftp"), attr(3, "enabled", "=", "rsync")}}, false},
		{"empty enabled list", blk("tftp"), &Block{Attrs: []Attr{attr(2, "enabled", "=")}}, true},
		{"disable = Yes is a bad value, which disables", blk("x", attr(2, "disable", "=", "Yes")), nil, true},
		{"disable with two values is ignored", blk("x", attr(2, "disable", "=", "yes", "please")), nil, false},
		{"disable without a value is ignored", blk("x", attr(2, "disable", "=")), nil, false},
		{"the first disable wins", blk("x", attr(2, "disable", "=", "no"), attr(3, "disable", "=", "yes")), nil, false},
		{"disable += is ignored", blk("x", attr(2, "disable", "+=", "yes")), nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Disabled(tt.b, tt.defaults); got != tt.want {
				t.Errorf("Disabled = %v, want %v", got, tt.want)
			}
			f := &File{Defaults: tt.defaults}
			if got := f.ServiceDisabled(tt.b); got != tt.want {
				t.Errorf("ServiceDisabled = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestGet(t *testing.T) {
	svc := Block{Name: "x", Attrs: []Attr{
		attr(2, "only_from", "=", "10.0.0.0/8"),
		attr(3, "server_args", "=", "-a", "-b"),
		attr(4, "only_from", "+=", "192.0.2.1", "192.0.2.2"),
		attr(5, "server_args", "=", "-c"),
		attr(6, "only_from", "-=", "10.0.0.0/8", "192.0.2.9"),
		attr(7, "log_type", "=", "SYSLOG", "daemon"),
		attr(8, "log_type", "+=", "info"),
		attr(9, "port", "+=", "23"),
		attr(10, "no_access", "=", "a"),
		attr(11, "no_access", "=", "b"),
		attr(12, "env", "-=", "A=1"),
	}}
	defs := Block{Attrs: []Attr{
		attr(2, "log_type", "=", "SYSLOG"),
		attr(3, "log_type", "=", "authpriv"),
		attr(4, "only_from", "=", "a"),
		attr(5, "only_from", "=", "b"),
	}}
	tests := []struct {
		b      Block
		key    string
		want   []string
		wantOK bool
	}{
		{svc, "only_from", []string{"192.0.2.1", "192.0.2.2"}, true},
		{svc, "server_args", []string{"-a", "-b"}, true}, // first "=" wins
		{svc, "log_type", []string{"SYSLOG", "daemon"}, true},
		{svc, "port", nil, false}, // "+=" does not set a single-valued attribute
		{svc, "no_access", []string{"b"}, true},
		{svc, "env", nil, true},
		{svc, "user", nil, false},
		{defs, "log_type", []string{"SYSLOG", "authpriv"}, true}, // "=" adds in defaults
		{defs, "only_from", []string{"a", "b"}, true},
	}
	for _, tt := range tests {
		got, ok := tt.b.Get(tt.key)
		if diff := cmp.Diff(tt.want, got); diff != "" || ok != tt.wantOK {
			t.Errorf("%q Get(%q) = %q, %v; want %q, %v", tt.b.Name, tt.key, got, ok, tt.want, tt.wantOK)
		}
	}
	if got := svc.Value("server_args"); got != "-a" {
		t.Errorf(`Value("server_args") = %q, want "-a"`, got)
	}
	if got := svc.Value("user"); got != "" {
		t.Errorf(`Value("user") = %q, want ""`, got)
	}
}

func TestNumbers(t *testing.T) {
	for _, tt := range []struct {
		port, rpc string
		wantPort  int
		wantRPC   int
	}{
		{"23", "100011", 23, 100011},
		{"0", "0", 0, 0},
		{"65536", "99999999999999999999", 0, 0},
		{"-1", "+5", 0, 0},
		{"telnet", "", 0, 0},
	} {
		b := Block{Name: "x", Attrs: []Attr{attr(2, "port", "=", tt.port), attr(3, "rpc_number", "=", tt.rpc)}}
		if b.Port() != tt.wantPort || b.RPCNumber() != tt.wantRPC {
			t.Errorf("port %q rpc_number %q: Port() = %d, RPCNumber() = %d; want %d, %d",
				tt.port, tt.rpc, b.Port(), b.RPCNumber(), tt.wantPort, tt.wantRPC)
		}
	}
	b := Block{Name: "x", Attrs: []Attr{attr(2, "interface", "=", "10.0.0.1"), attr(3, "bind", "=", "10.0.0.2")}}
	if got := b.Bind(); got != "10.0.0.1" {
		t.Errorf("Bind() = %q, want the first of bind and interface", got)
	}
}

func TestParseLayouts(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    *File
		wantErr string
	}{
		{
			name: "Debian xinetd.conf with an empty defaults block",
			in: "# Simple configuration file for xinetd\n" +
				"#\n" +
				"# Some defaults, and include /etc/xinetd.d/\n" +
				"\n" +
				"defaults\n" +
				"{\n" +
				"\n" +
				"# Please note that you need a log_type line to be able to use log_on_success\n" +
				"# and log_on_failure. The default is the following :\n" +
				"# log_type = SYSLOG daemon info\n" +
				"\n" +
				"}\n" +
				"\n" +
				"includedir /etc/xinetd.d\n",
			want: &File{
				Defaults: &Block{Line: 5, EndLine: 12},
				Includes: []Include{{Line: 14, Dir: true, Path: "/etc/xinetd.d"}},
			},
		},
		{
			name: "braces on the header line, indented braces, include, no final newline",
			in: "include /etc/xinetd.local\n" +
				"defaults {\n" +
				"  instances = 60\n" +
				"  }\n" +
				"service daytime-stream{\n" +
				"\ttype = INTERNAL\n" +
				"\tid=\n" +
				"}\n" +
				"service cvspserver\n" +
				"\t{\n" +
				"\tport\t= 2401\n" +
				"\tserver_args = -f --allow-root=/var/lib/cvs pserver\n" +
				"\t}",
			want: &File{
				Defaults: &Block{Line: 2, EndLine: 4, Attrs: []Attr{attr(3, "instances", "=", "60")}},
				Services: []Block{
					{Line: 5, EndLine: 8, Name: "daytime-stream", Attrs: []Attr{attr(6, "type", "=", "INTERNAL")}},
					{Line: 9, EndLine: 13, Name: "cvspserver", Attrs: []Attr{
						attr(11, "port", "=", "2401"),
						attr(12, "server_args", "=", "-f", "--allow-root=/var/lib/cvs", "pserver"),
					}},
				},
				Includes: []Include{{Line: 1, Path: "/etc/xinetd.local"}},
			},
			wantErr: `xinetd.conf:7: attribute "id" wants a blank before its operator`,
		},
		{
			name: "words after the service name are ignored, as xinetd ignores them",
			in:   "service telnet stream tcp\n{\n\tdisable = yes\n}\n",
			want: &File{Services: []Block{{Line: 1, EndLine: 4, Name: "telnet", Attrs: []Attr{attr(3, "disable", "=", "yes")}}}},
		},
		{
			name: "a hash inside a value is kept, as xinetd keeps it",
			in:   "service x\n{\n\tserver_args = -m #1\n\tenv += A=b  \n}\n",
			want: &File{Services: []Block{{Line: 1, EndLine: 5, Name: "x", Attrs: []Attr{
				attr(3, "server_args", "=", "-m", "#1"),
				attr(4, "env", "+=", "A=b"),
			}}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse(strings.NewReader(tt.in), "xinetd.conf")
			if gotErr := fmt.Sprint(err); (err != nil || tt.wantErr != "") && gotErr != tt.wantErr {
				t.Fatalf("Parse error = %v, want %q", err, tt.wantErr)
			}
			tt.want.Name, tt.want.Lines = "xinetd.conf", f.Lines
			if diff := cmp.Diff(tt.want, f); diff != "" {
				t.Errorf("file (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
		// services and defaults expected to survive
		services []string
		defaults bool
	}{
		{
			name:     "attribute outside a block",
			in:       "disable = yes\nservice a\n{\n}\n",
			want:     []string{`x:1: attribute "disable" outside a service or defaults block`},
			services: []string{"a"},
		},
		{
			name: "unknown directive",
			in:   "servce telnet\n",
			want: []string{`x:1: unknown directive "servce", want service, defaults, include or includedir`},
		},
		{
			name:     "unknown operator",
			in:       "service a\n{\n\tdisable : yes\n\tuser root\n\tport == 5\n}\n",
			want:     []string{`x:3: attribute "disable" has unknown operator ":": want =, += or -=`, `x:4: attribute "user" has unknown operator "root": want =, += or -=`},
			services: []string{"a"},
		},
		{
			name:     "not key op values",
			in:       "service a\n{\n\t= yes\n\tdisable\n\t+= x\n\t{\n}\n",
			want:     []string{`x:3: want key op values, got "= yes"`, `x:4: attribute "disable" has no operator: want key op values`, `x:5: want key op values, got "+= x"`, "x:6: { inside the open block of service a"},
			services: []string{"a"},
		},
		{
			name:     "no blank before the operator",
			in:       "service a\n{\n\tdisable= yes\n\tonly_from+= 10.0.0.1\n}\n",
			want:     []string{`x:3: attribute "disable" wants a blank before its operator`, `x:4: attribute "only_from" wants a blank before its operator`},
			services: []string{"a"},
		},
		{
			name:     "missing closing brace at end of file is reported at the block",
			in:       "service a\n{\n}\nservice telnet\n{\n\tdisable = no\n",
			want:     []string{"x:4: service telnet: missing } at end of file"},
			services: []string{"a", "telnet"},
		},
		{
			name:     "defaults without closing brace",
			in:       "defaults\n{\n\tinstances = 5\n",
			want:     []string{"x:1: defaults: missing } at end of file"},
			defaults: true,
		},
		{
			name: "brace without a header",
			in:   "{\n\tdisable = yes\n}\n",
			want: []string{"x:1: { without a service or defaults header", `x:2: attribute "disable" outside a service or defaults block`, "x:3: } without an open block"},
		},
		{
			name:     "service without a name",
			in:       "service\n{\n\tdisable = no\n}\nservice {\n}\nservice b\n{\n}\n",
			want:     []string{"x:1: service block without a name", "x:5: service block without a name"},
			services: []string{"b"},
		},
		{
			name: "service without a name or brace at end of file",
			in:   "service\n",
			want: []string{"x:1: service block without a name", "x:1: service: missing { on the line after the header"},
		},
		{
			name:     "header without an opening brace",
			in:       "service a\n\tdisable = no\n}\nservice b\n{\n}\nservice c\n",
			want:     []string{"x:1: service a: missing { on the line after the header", `x:2: attribute "disable" outside a service or defaults block`, "x:3: } without an open block", "x:7: service c: missing { on the line after the header"},
			services: []string{"b"},
		},
		{
			name:     "defaults header without a brace before a service",
			in:       "defaults\nservice b\n{\n}\n",
			want:     []string{"x:1: defaults: missing { on the line after the header"},
			services: []string{"b"},
		},
		{
			name:     "second defaults block",
			in:       "defaults\n{\n}\ndefaults\n{\n\tinstances = 5\n}\n",
			want:     []string{"x:4: second defaults block, which xinetd ignores (the first is at line 1)"},
			defaults: true,
		},
		{
			name: "include without a path",
			in:   "include\nincludedir\t\n",
			want: []string{"x:1: include without a file", "x:2: includedir without a directory"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse(strings.NewReader(tt.in), "x")
			if f == nil {
				t.Fatalf("Parse returned no file (err %v)", err)
			}
			var got []string
			for _, e := range parse.List(err) {
				got = append(got, e.Error())
				if e.Line < 1 || e.Line > len(f.Lines) || e.File != "x" {
					t.Errorf("error %v: line outside the file", e)
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
			var names []string
			for _, s := range f.Services {
				names = append(names, s.Name)
			}
			if diff := cmp.Diff(tt.services, names); diff != "" {
				t.Errorf("services (-want +got):\n%s", diff)
			}
			if (f.Defaults != nil) != tt.defaults {
				t.Errorf("Defaults = %+v, want present %v", f.Defaults, tt.defaults)
			}
			if string(f.Bytes()) != tt.in && string(f.Bytes()) != tt.in+"\n" {
				t.Errorf("Bytes() = %q, want the input back", f.Bytes())
			}
		})
	}
}

func TestParseUnreadable(t *testing.T) {
	f, err := Parse(iotest.ErrReader(errors.New("input/output error")), "/etc/xinetd.conf")
	if f != nil || err == nil || !strings.HasPrefix(err.Error(), "/etc/xinetd.conf: ") {
		t.Errorf("Parse(failing reader) = %v, %v; want nil and an error naming the file", f, err)
	}
}

func TestIncludedName(t *testing.T) {
	for name, want := range map[string]bool{
		"tftp": true, "echo-stream": true, "rsync": true,
		"tftp.rpmsave": false, "telnet.dpkg-old": false, "telnet~": false,
		".": false, "..": false, "": false,
	} {
		if got := IncludedName(name); got != want {
			t.Errorf("IncludedName(%q) = %v, want %v", name, got, want)
		}
	}
}
