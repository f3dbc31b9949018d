package remedy

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// rootReader returns a read function over a directory standing for the
// target root.
func rootReader(root string) func(string) ([]byte, error) {
	return func(p string) ([]byte, error) {
		return os.ReadFile(filepath.Join(root, filepath.FromSlash(p)))
	}
}

// TestPatchAcceptsDiff writes a tree, renders a plan as a diff, and checks
// that GNU patch applies it and gives exactly the new content of every
// file.
func TestPatchAcceptsDiff(t *testing.T) {
	patch, err := exec.LookPath("patch")
	if err != nil {
		t.Skip("patch is not installed")
	}
	root := t.TempDir()
	tree := map[string]string{
		"etc/inetd.conf": "ftp\tstream\ttcp6\tnowait\troot\t/usr/sbin/ftpd\tftpd\n" +
			"telnet\tstream\ttcp6\tnowait\troot\t/usr/sbin/telnetd\ttelnetd -a\n" +
			"shell\tstream\ttcp6\tnowait\troot\t/usr/sbin/rshd\trshd\n" +
			"kshell\tstream\ttcp\tnowait\troot\t/usr/sbin/krshd\tkrshd\n" +
			"login\tstream\ttcp6\tnowait\troot\t/usr/sbin/rlogind\trlogind\n" +
			"klogin\tstream\ttcp\tnowait\troot\t/usr/sbin/krlogind\tkrlogind\n" +
			"exec\tstream\ttcp6\tnowait\troot\t/usr/sbin/rexecd\trexecd\n" +
			"comsat\tdgram\tudp\twait\troot\t/usr/sbin/comsat\tcomsat\n" +
			"uucp\tstream\ttcp\tnowait\troot\t/usr/sbin/uucpd\tuucpd\n" +
			"bootps\tdgram\tudp\twait\troot\t/usr/sbin/bootpd\tbootpd /etc/bootptab\n" +
			"finger\tstream\ttcp\tnowait\tnobody\t/usr/sbin/fingerd\tfingerd\n" +
			"systat\tstream\ttcp\tnowait\tnobody\t/usr/bin/ps\tps -ef\n" +
			"netstat\tstream\ttcp\tnowait\tnobody\t/usr/bin/netstat\tnetstat -f inet\n" +
			"tftp\tdgram\tudp6\tSRC\tnobody\t/usr/sbin/tftpd\ttftpd -n\n",
		// rc.tcpip without a final newline.
		"etc/rc.tcpip": "#!/bin/ksh\n" +
			"# start up the daemons\n" +
			"start /usr/sbin/syslogd \"$src_running\"\n" +
			"start /usr/sbin/portmap \"$src_running\"\n" +
			"start /usr/sbin/inetd \"$src_running\"\n" +
			"start /usr/sbin/sendmail \"$src_running\" \"-bd -q${qpi}\"\n" +
			"start /usr/sbin/snmpd \"$src_running\"\n" +
			"start /usr/sbin/dpid2 \"$src_running\"",
		"etc/dos.conf": "one\r\ntwo\r\nthree\r\n",
		"etc/old.conf": "obsolete\nsettings\n",
		"etc/motd":     "welcome\nold banner",
		"etc/empty":    "",
		"etc/my file":  "x\n",
	}
	for name, content := range tree {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	var plan Plan
	inetd := "/etc/inetd.conf"
	plan.Add(
		// First and last lines, adjacent lines, a deletion next to an
		// insertion, and edits added out of order.
		CommentLine(inetd, 14, "tftp\tdgram\tudp6\tSRC\tnobody\t/usr/sbin/tftpd\ttftpd -n", "#").For("SVC-TFTP", "tftp has no authentication"),
		CommentLine(inetd, 1, "ftp\tstream\ttcp6\tnowait\troot\t/usr/sbin/ftpd\tftpd", "#").For("SVC-FTP", "ftp sends passwords in clear text"),
		CommentLine(inetd, 2, "telnet\tstream\ttcp6\tnowait\troot\t/usr/sbin/telnetd\ttelnetd -a", "#").For("SVC-TELNET", "telnet sends passwords in clear text"),
		CommentLine(inetd, 3, "shell\tstream\ttcp6\tnowait\troot\t/usr/sbin/rshd\trshd", "#").For("SVC-R", "r-commands trust host names"),
		DeleteLine(inetd, 8, "comsat\tdgram\tudp\twait\troot\t/usr/sbin/comsat\tcomsat").For("SVC-COMSAT", "comsat is not needed"),
		InsertAfter(inetd, 8, "# comsat removed by bastion").For("SVC-COMSAT", "say why comsat went"),
		InsertAfter(inetd, 0, "# managed by bastion").For("NOTE", "mark the file"),
		Command("SVC-TELNET", "reload inetd.conf", "refresh", "-s", "inetd").WhenOffline("read when inetd next starts"),
		Command("SVC-FTP", "reload inetd.conf", "refresh", "-s", "inetd").WhenOffline("read when inetd next starts"),

		CommentLine("/etc/rc.tcpip", 6, "start /usr/sbin/sendmail \"$src_running\" \"-bd -q${qpi}\"", "#").For("SVC-SENDMAIL", "no mail daemon on a host that receives no mail"),
		AppendLines("/etc/rc.tcpip", "# end of rc.tcpip").For("NOTE", "mark the file"),
		ReplaceLine("/etc/rc.tcpip", 8, "start /usr/sbin/dpid2 \"$src_running\"", "#start /usr/sbin/dpid2 \"$src_running\"").For("SVC-DPID2", "no SNMP"),

		ReplaceLine("/etc/dos.conf", 2, "two", "2").For("CRLF", "keep line endings"),
		InsertAfter("/etc/dos.conf", 3, "four").For("CRLF", "keep line endings"),

		CreateFile("/etc/ftpusers", "root\ndaemon\nbin\n", 0o600, "root", "system").For("FTP-USERS", "deny ftp to system accounts"),
		CreateFile("/etc/issue.net", "authorized use only", 0o644, "", "").For("BANNER", "warn before login"),
		RemoveFile("/etc/old.conf").For("OLD", "no longer read"),
		DeleteLine("/etc/motd", 2, "old banner").For("MOTD", "no version in the banner"),
		AppendLines("/etc/empty", "first").For("EMPTY", "fill it"),
		ReplaceLine("/etc/my file", 1, "x", "y").For("SPACE", "odd name"),
		Chmod("/etc/inetd.conf", 0o600).For("PERM", "only root reads inetd.conf"),
	)
	files, err := plan.Files(rootReader(root))
	if err != nil {
		t.Fatal(err)
	}
	var diff bytes.Buffer
	if err := plan.WriteDiff(&diff, rootReader(root)); err != nil {
		t.Fatal(err)
	}
	t.Logf("diff:\n%s", diff.String())

	for _, args := range [][]string{{"--dry-run"}, nil} {
		cmd := exec.Command(patch, append([]string{"-p1", "-d", root, "--batch", "--forward"}, args...)...)
		cmd.Stdin = bytes.NewReader(diff.Bytes())
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("patch %v: %v\n%s", args, err, out)
		}
		if strings.Contains(string(out), "offset") || strings.Contains(string(out), "fuzz") {
			t.Errorf("patch %v needed an offset or fuzz:\n%s", args, out)
		}
	}
	for _, f := range files {
		got, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(f.Path)))
		if f.Kind == KindRemove {
			if !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("%s: not removed (err %v)", f.Path, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", f.Path, err)
			continue
		}
		if !bytes.Equal(got, f.After) {
			t.Errorf("%s after patch:\n%q\nwant:\n%q", f.Path, got, f.After)
		}
	}
}
