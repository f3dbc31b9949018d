package systemd

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestExecArgv(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"/usr/sbin/sshd -D $SSHD_OPTS", []string{"/usr/sbin/sshd", "-D", "$SSHD_OPTS"}},
		{"/usr/sbin/vsftpd /etc/vsftpd/vsftpd.conf", []string{"/usr/sbin/vsftpd", "/etc/vsftpd/vsftpd.conf"}},
		{"-/usr/sbin/in.telnetd", []string{"/usr/sbin/in.telnetd"}},
		{"  /usr/sbin/cupsd -l  ", []string{"/usr/sbin/cupsd", "-l"}},
		{"/usr/sbin/rpc.mountd      --manage-gids  \t-p 20048", []string{"/usr/sbin/rpc.mountd", "--manage-gids", "-p", "20048"}},
		{"+/usr/lib/systemd/systemd-networkd", []string{"/usr/lib/systemd/systemd-networkd"}},
		{"!!/usr/sbin/ntpd -u ntp:ntp -g", []string{"/usr/sbin/ntpd", "-u", "ntp:ntp", "-g"}},
		{"!/usr/bin/foo", []string{"/usr/bin/foo"}},
		{":/bin/echo $HOME", []string{"/bin/echo", "$HOME"}},
		{"-@/usr/sbin/xinetd xinetd -stayalive -dontfork", []string{"/usr/sbin/xinetd", "-stayalive", "-dontfork"}},
		{"@/usr/sbin/agetty", []string{"/usr/sbin/agetty"}},
		{"|echo hello", []string{"echo", "hello"}},
		{`/bin/sh -c "exec /usr/sbin/snmpd -LOw -u Debian-snmp -g Debian-snmp -I -smux,mteTrigger,mteTriggerConf -f -p /run/snmpd.pid"`,
			[]string{"/bin/sh", "-c", "exec /usr/sbin/snmpd -LOw -u Debian-snmp -g Debian-snmp -I -smux,mteTrigger,mteTriggerConf -f -p /run/snmpd.pid"}},
		{`/usr/bin/logger 'two words' "it's" a"b c"d`, []string{"/usr/bin/logger", "two words", "it's", "ab cd"}},
		{`/usr/bin/printf "%s\n" x`, []string{"/usr/bin/printf", "%s\n", "x"}},
		{`/bin/echo one\stwo a\ b \x41\101\u00e9 \q`, []string{"/bin/echo", "one two", "a b", "AAé", "q"}},
		{`/bin/printf \a\b\f\r\v\t \U0001F600 \U0011FFFF`, []string{"/bin/printf", "\a\b\f\r\v\t", "\U0001F600", "U0011FFFF"}},
		{`/bin/echo "" end`, []string{"/bin/echo", "", "end"}},
		{`/bin/echo \xZZ \u12 \777`, []string{"/bin/echo", "xZZ", "u12", "777"}},
		{`/usr/bin/find /tmp -name core -exec rm {} \; ; /bin/true`, []string{"/usr/bin/find", "/tmp", "-name", "core", "-exec", "rm", "{}", ";"}},
		{`/bin/echo ";"`, []string{"/bin/echo", ";"}},
		{`/usr/bin/foo "unterminated quote`, []string{"/usr/bin/foo", "unterminated quote"}},
		{`/usr/bin/foo trailing\`, []string{"/usr/bin/foo", "trailing"}},
		{"/usr/sbin/in.tftpd -s %I", []string{"/usr/sbin/in.tftpd", "-s", "%I"}},
		{"", nil},
		{"-", nil},
		{";", nil},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, ExecArgv(tt.in)); diff != "" {
				t.Errorf("ExecArgv(%q) (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}
