package lslpp

import (
	"errors"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"

	"bastion/internal/parse"
)

const lslppW = `  File                                        Fileset               Type
  ----------------------------------------------------------------------------
  /usr/sbin/ftpd                              bos.net.tcp.client    File
  /usr/sbin/inetd                             bos.net.tcp.client    File
  /usr/lib/sendmail                           bos.net.tcp.client    Symlink
  /usr/sbin/snmpd                             bos.net.tcp.snmpd     Symlink
  /usr/sbin/sshd                              openssh.base.server   File
`

// Several paths in one call print one heading; a path no fileset owns
// prints a message instead of a row.
const lslppWMixed = `  File                                        Fileset               Type
  ----------------------------------------------------------------------------
  /usr/sbin/telnetd                           bos.net.tcp.server_core File
lslpp: 0504-132  Fileset /usr/local/sbin/in.proftpd not installed.
  /etc/rc.tcpip                               bos.net.tcp.client_core File
  /usr/lpp/diagnostics/bin/a_very_long_path_name_that_fills_the_column bos.diag.rte File
`

const lslppWC = `#Path:Fileset:Type
/usr/sbin/ftpd:bos.net.tcp.ftpd:File
/usr/lib/sendmail:bos.net.tcp.sendmail:Symlink
`

func TestParse(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    []Owner
		wantErr []string
	}{
		{
			name: "table",
			in:   lslppW,
			want: []Owner{
				{Line: 3, Path: "/usr/sbin/ftpd", Fileset: "bos.net.tcp.client", Type: "File"},
				{Line: 4, Path: "/usr/sbin/inetd", Fileset: "bos.net.tcp.client", Type: "File"},
				{Line: 5, Path: "/usr/lib/sendmail", Fileset: "bos.net.tcp.client", Type: "Symlink"},
				{Line: 6, Path: "/usr/sbin/snmpd", Fileset: "bos.net.tcp.snmpd", Type: "Symlink"},
				{Line: 7, Path: "/usr/sbin/sshd", Fileset: "openssh.base.server", Type: "File"},
			},
		},
		{
			name: "not installed message and wide columns",
			in:   lslppWMixed,
			want: []Owner{
				{Line: 3, Path: "/usr/sbin/telnetd", Fileset: "bos.net.tcp.server_core", Type: "File"},
				{Line: 5, Path: "/etc/rc.tcpip", Fileset: "bos.net.tcp.client_core", Type: "File"},
				{Line: 6, Path: "/usr/lpp/diagnostics/bin/a_very_long_path_name_that_fills_the_column", Fileset: "bos.diag.rte", Type: "File"},
			},
		},
		{
			name: "colon form",
			in:   lslppWC,
			want: []Owner{
				{Line: 2, Path: "/usr/sbin/ftpd", Fileset: "bos.net.tcp.ftpd", Type: "File"},
				{Line: 3, Path: "/usr/lib/sendmail", Fileset: "bos.net.tcp.sendmail", Type: "Symlink"},
			},
		},
		{
			name: "path with a space or a colon",
			in:   "  /usr/lpp/X11/Xamples/odd name      X11.samples.rte     File\r\n/opt/a:b:x.rte:File\n",
			want: []Owner{
				{Line: 1, Path: "/usr/lpp/X11/Xamples/odd name", Fileset: "X11.samples.rte", Type: "File"},
				{Line: 2, Path: "/opt/a:b", Fileset: "x.rte", Type: "File"},
			},
		},
		{
			name: "bad rows",
			in: "  File   Fileset   Type\n" +
				"  usr/sbin/ftpd    bos.net.tcp.client    File\n" +
				"  /usr/sbin/ftpd    bos.net.tcp.client\n" +
				"/usr/sbin/ftpd:bos.net.tcp.client\n" +
				"/usr/sbin/ftpd::File\n" +
				"/usr/sbin/ftpd:bos.net.tcp.client:\n" +
				"  /usr/sbin/inetd   bos.net.tcp.client   File\n",
			want: []Owner{{Line: 7, Path: "/usr/sbin/inetd", Fileset: "bos.net.tcp.client", Type: "File"}},
			wantErr: []string{
				`lslpp-w:2: not a "path fileset type" row: "usr/sbin/ftpd    bos.net.tcp.client    File"`,
				`lslpp-w:3: not a "path fileset type" row: "/usr/sbin/ftpd    bos.net.tcp.client"`,
				`lslpp-w:4: not a "path fileset type" row: "/usr/sbin/ftpd:bos.net.tcp.client"`,
				`lslpp-w:5: not a "path fileset type" row: "/usr/sbin/ftpd::File"`,
				`lslpp-w:6: not a "path fileset type" row: "/usr/sbin/ftpd:bos.net.tcp.client:"`,
			},
		},
		{
			name: "only heading and message",
			in:   "  File                                        Fileset               Type\n  ----------------------------------------------------------------------------\nlslpp: 0504-132  Fileset /opt/freeware/sbin/nginx not installed.\n",
		},
		{name: "empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(strings.NewReader(tt.in), "lslpp-w")
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Parse() mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantErr, errStrings(err)); diff != "" {
				t.Errorf("Parse() errors mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

const lslppLc = `#Package Name:Fileset:Level:State:PTF Id:Fix State:Type:Description:Destination Dir.:Uninstaller:Message Catalog:Message Set:Message Number:Parent:Automatic:EFIX Locked:Install Path:Build Date
bos:bos.rte:7.2.5.101: : :C:F:Base Operating System Runtime: : : : : : :0:0:/:2045
bos.net:bos.net.tcp.client:7.2.5.100: : :C:F:TCP/IP Client Support: : : : : : :0:0:/:2045
bos.net:bos.net.tcp.snmpd:7.2.5.0: : :C: :TCP/IP SNMP Server Application : : : : : : :1:0:/:2037
bos.net:bos.net.tcp.telnetd:7.2.5.0: : :A: :TCP/IP telnetd Application : : : : : : :1:0:/:2037
openssh.base:openssh.base.server:9.2.112.2400: : :C: :Open Secure Shell Server: : : : : : :0:0:/:
bash:bash-5.1.4-2:5.1.4-2: : :C:R:The GNU Bourne Again shell (bash) version 5.1.4: :/bin/rpm -e bash: : : : :0: :(none):Fri Aug 13 04:33:12 EDT 2021
`

func TestParseL(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    []Fileset
		wantErr []string
	}{
		{
			name: "filesets and an rpm",
			in:   lslppLc,
			want: []Fileset{
				{Line: 2, Package: "bos", Name: "bos.rte", Level: "7.2.5.101", State: "C", Type: "F", Description: "Base Operating System Runtime"},
				{Line: 3, Package: "bos.net", Name: "bos.net.tcp.client", Level: "7.2.5.100", State: "C", Type: "F", Description: "TCP/IP Client Support"},
				{Line: 4, Package: "bos.net", Name: "bos.net.tcp.snmpd", Level: "7.2.5.0", State: "C", Description: "TCP/IP SNMP Server Application"},
				{Line: 5, Package: "bos.net", Name: "bos.net.tcp.telnetd", Level: "7.2.5.0", State: "A", Description: "TCP/IP telnetd Application"},
				{Line: 6, Package: "openssh.base", Name: "openssh.base.server", Level: "9.2.112.2400", State: "C", Description: "Open Secure Shell Server"},
				{Line: 7, Package: "bash", Name: "bash-5.1.4-2", Level: "5.1.4-2", State: "C", Type: "R", Description: "The GNU Bourne Again shell (bash) version 5.1.4"},
			},
		},
		{
			name: "state in its own column, short row, message",
			in: "#Package Name:Fileset:Level:State:PTF Id:Fix State:Type:Description\r\n" +
				"bos.net:bos.net.tcp.ftpd:5.3.12.0:B: : : :TCP/IP ftp Server Application\r\n" +
				"lslpp: 0504-132  Fileset bos.net.sctp not installed.\r\n",
			want: []Fileset{
				{Line: 2, Package: "bos.net", Name: "bos.net.tcp.ftpd", Level: "5.3.12.0", State: "B", Description: "TCP/IP ftp Server Application"},
			},
		},
		{
			name: "bad rows",
			in: "bos.net:bos.net.tcp.client:7.2.5.100: : :C:F\n" +
				"bos.net: :7.2.5.100: : :C:F:TCP/IP Client Support:\n" +
				"bos.net:bos.net.tcp.client: : : :C:F:TCP/IP Client Support:\n" +
				"just some text\n" +
				"bos.net:bos.net.nfs.client:7.2.5.0: : :C:F:Network File System Client: : : : : : :0:0:/:2037\n",
			want: []Fileset{
				{Line: 5, Package: "bos.net", Name: "bos.net.nfs.client", Level: "7.2.5.0", State: "C", Type: "F", Description: "Network File System Client"},
			},
			wantErr: []string{
				"lslpp-Lc:1: 7 colon-separated fields, want at least 8",
				"lslpp-Lc:2: no fileset name",
				`lslpp-Lc:3: fileset "bos.net.tcp.client" has no level`,
				"lslpp-Lc:4: 1 colon-separated fields, want at least 8",
			},
		},
		{name: "empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseL(strings.NewReader(tt.in), "lslpp-Lc")
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParseL() mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantErr, errStrings(err)); diff != "" {
				t.Errorf("ParseL() errors mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestUnreadable(t *testing.T) {
	bad := errors.New("input/output error")
	if got, err := Parse(iotest.ErrReader(bad), "lslpp-w"); got != nil || !errors.Is(err, bad) {
		t.Errorf("Parse() = %v, %v; want nil, %v", got, err, bad)
	}
	if got, err := ParseL(iotest.ErrReader(bad), "lslpp-Lc"); got != nil || !errors.Is(err, bad) {
		t.Errorf("ParseL() = %v, %v; want nil, %v", got, err, bad)
	}
}

// errStrings returns the messages of every line error in err.
func errStrings(err error) []string {
	var out []string
	for _, e := range parse.List(err) {
		out = append(out, e.Error())
	}
	return out
}
