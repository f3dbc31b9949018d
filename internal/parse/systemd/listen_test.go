package systemd

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseListen(t *testing.T) {
	tests := []struct {
		in   string
		want Listen
		all  bool
	}{
		{in: "22", want: Listen{Port: 22}, all: true},
		{in: " 631 ", want: Listen{Port: 631}, all: true},
		{in: "65535", want: Listen{Port: 65535}, all: true},
		{in: "0.0.0.0:22", want: Listen{Address: "0.0.0.0", Port: 22}, all: true},
		{in: "127.0.0.1:631", want: Listen{Address: "127.0.0.1", Port: 631}},
		{in: "192.168.10.5:53%eth0", want: Listen{Address: "192.168.10.5", Port: 53, Interface: "eth0"}},
		{in: "[::]:22", want: Listen{Address: "::", Port: 22}, all: true},
		{in: "[::1]:53", want: Listen{Address: "::1", Port: 53}},
		{in: "[0:0:0:0:0:0:0:1]:53", want: Listen{Address: "::1", Port: 53}},
		{in: "[fe80::1]:547%enp1s0", want: Listen{Address: "fe80::1", Port: 547, Interface: "enp1s0"}},
		{in: "/run/cups/cups.sock", want: Listen{Unix: true, Path: "/run/cups/cups.sock"}},
		{in: "/run/systemd/journal/stdout", want: Listen{Unix: true, Path: "/run/systemd/journal/stdout"}},
		{in: "@/org/freedesktop/systemd1/notify", want: Listen{Unix: true, Path: "@/org/freedesktop/systemd1/notify"}},
		{in: "%t/pipewire-0", want: Listen{Unix: true, Path: "%t/pipewire-0"}},
		{in: "vsock:2:1234", want: Listen{Vsock: true, Address: "2", Port: 1234}},
		{in: "vsock::22", want: Listen{Vsock: true, Port: 22}},
		{in: "vsock:host:0", want: Listen{Vsock: true, Address: "host", Port: 0}},
		{in: "vsock-stream:any:4294967294", want: Listen{Vsock: true, Address: "any", Port: 4294967294}},
		{in: "vsock-dgram:3:5000", want: Listen{Vsock: true, Address: "3", Port: 5000}},
		{in: "vsock-seqpacket:-1:7", want: Listen{Vsock: true, Address: "-1", Port: 7}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseListen(tt.in)
			if err != nil {
				t.Fatalf("ParseListen(%q): %v", tt.in, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParseListen(%q) (-want +got):\n%s", tt.in, diff)
			}
			if got.AllAddresses() != tt.all {
				t.Errorf("AllAddresses() = %v, want %v", got.AllAddresses(), tt.all)
			}
		})
	}
}

func TestParseListenErrors(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"", "empty listen address"},
		{"   ", "empty listen address"},
		{"0", "port 0 out of range (1-65535)"},
		{"70000", "port 70000 out of range (1-65535)"},
		{"99999999999999999999999", "port 99999999999999999999999 out of range (1-65535)"},
		{"127.0.0.1:0", "port 0 out of range (1-65535)"},
		{"[::]:65536", "port 65536 out of range (1-65535)"},
		{"ssh", `invalid listen address "ssh": no port`},
		{"localhost:22", `invalid IPv4 address "localhost"`},
		{"127.0.0.1", `invalid listen address "127.0.0.1": no port`},
		{"127.0.0.1:ssh", `invalid port "ssh"`},
		{"127.0.0.1:", `invalid port ""`},
		{"127.0.0.1:+22", `invalid port "+22"`},
		{"::1", `invalid listen address "::1": IPv6 address needs brackets`},
		{"::1:53", `invalid listen address "::1:53": IPv6 address needs brackets`},
		{"[::1:53", `invalid listen address "[::1:53": unterminated [`},
		{"[::1]53", `invalid listen address "[::1]53": no port`},
		{"[::1]", `invalid listen address "[::1]": no port`},
		{"[]:53", `invalid IPv6 address "[]"`},
		{"[127.0.0.1]:53", `invalid IPv6 address "[127.0.0.1]"`},
		{"[fe80::1%eth0]:53", `invalid listen address "[fe80::1%eth0]:53": unterminated [`},
		{"10.0.0.1:53%", `empty interface name in "10.0.0.1:53%"`},
		{"vsock:2", `invalid vsock address: no port after CID "2"`},
		{"vsock:guest:22", `invalid vsock CID "guest"`},
		{"vsock:+2:22", `invalid vsock CID "+2"`},
		{"vsock:2:4294967295", `invalid vsock port "4294967295"`},
		{"vsock:2:x", `invalid vsock port "x"`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseListen(tt.in)
			if err == nil {
				t.Fatalf("ParseListen(%q) = %+v, want error %q", tt.in, got, tt.want)
			}
			if err.Error() != tt.want {
				t.Errorf("ParseListen(%q) error = %q, want %q", tt.in, err, tt.want)
			}
			if got != (Listen{}) {
				t.Errorf("ParseListen(%q) = %+v with an error, want zero", tt.in, got)
			}
		})
	}
}
