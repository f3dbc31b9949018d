package sysvrc

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseLinkName(t *testing.T) {
	tests := []struct {
		name string
		want Link
		ok   bool
	}{
		{"S20ssh", Link{Start: true, Order: 20, Script: "ssh"}, true},
		{"K08autofs", Link{Start: false, Order: 8, Script: "autofs"}, true},
		{"S99webmin", Link{Start: true, Order: 99, Script: "webmin"}, true},
		{"S01ssh", Link{Start: true, Order: 1, Script: "ssh"}, true},
		{"S00xinetd", Link{Start: true, Order: 0, Script: "xinetd"}, true},
		{"K90network", Link{Start: false, Order: 90, Script: "network"}, true},
		{"S55sshd", Link{Start: true, Order: 55, Script: "sshd"}, true},
		{"S12rsyslog.sh", Link{Start: true, Order: 12, Script: "rsyslog.sh"}, true},
		{"S100late", Link{Start: true, Order: 100, Script: "late"}, true},
		{"S1234x", Link{Start: true, Order: 123, Script: "4x"}, true},
		{"Ssshd", Link{Start: true, Order: -1, Script: "sshd"}, true},
		{"Ksshd", Link{Start: false, Order: -1, Script: "sshd"}, true},
		{"README", Link{}, false},
		{"S20", Link{}, false},
		{"S", Link{}, false},
		{"K", Link{}, false},
		{"", Link{}, false},
		{"s20ssh", Link{}, false},
		{".S20ssh", Link{}, false},
		{"S20ssh~", Link{}, false},
		{"S20ssh.rpmsave", Link{}, false},
		{"K25sshd.rpmnew", Link{}, false},
		{"S20ssh.dpkg-old", Link{}, false},
		{"S20my script", Link{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := ParseLinkName(tt.name)
			if ok != tt.ok {
				t.Fatalf("ParseLinkName(%q) ok = %v, want %v", tt.name, ok, tt.ok)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParseLinkName(%q) (-want +got):\n%s", tt.name, diff)
			}
		})
	}
}

func TestParseRunlevelDir(t *testing.T) {
	tests := []struct {
		dir, want string
		ok        bool
	}{
		{"rc2.d", "2", true},
		{"rc0.d", "0", true},
		{"rc6.d", "6", true},
		{"rcS.d", "S", true},
		{"rc9.d", "9", true}, // AIX has rc2.d to rc9.d
		{"/etc/rc3.d", "3", true},
		{"/etc/rc.d/rc5.d", "5", true},
		{"/etc/rc.d/rc2.d/", "2", true},
		{"rc.d", "", false},
		{"init.d", "", false},
		{"rcs.d", "", false},
		{"rc10.d", "", false},
		{"rc2.dpkg", "", false},
		{"xc2.d", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.dir, func(t *testing.T) {
			got, ok := ParseRunlevelDir(tt.dir)
			if got != tt.want || ok != tt.ok {
				t.Errorf("ParseRunlevelDir(%q) = %q, %v; want %q, %v", tt.dir, got, ok, tt.want, tt.ok)
			}
		})
	}
}
