package host

import (
	"path/filepath"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"bastion/internal/target"
)

// ftpAIXRoot is an AIX root whose inetd starts ftpd with args.
func ftpAIXRoot(args string, extra map[string]string) map[string]string {
	files := map[string]string{
		"etc/inittab":    "init:2:initdefault:\nrctcpip:23456789:wait:/etc/rc.tcpip > /dev/console 2>&1\n",
		"etc/rc.tcpip":   "start /usr/sbin/inetd \"$src_running\"\n",
		"etc/services":   "ftp\t\t21/tcp\n",
		"etc/inetd.conf": "ftp     stream  tcp6    nowait  root    /usr/sbin/ftpd         ftpd" + args + "\n",
	}
	for k, v := range extra {
		files[k] = v
	}
	return files
}

// ftpDebianRoot is a Debian root whose systemd starts program with args.
func ftpDebianRoot(execStart string, extra map[string]string) map[string]string {
	unit := "ftpd.service"
	files := map[string]string{
		"etc/os-release":                 "ID=debian\nVERSION_ID=12\n",
		"etc/services":                   "ftp\t\t21/tcp\n",
		"usr/lib/systemd/system/" + unit: "[Service]\nExecStart=" + execStart + "\n",
		"etc/systemd/system/multi-user.target.wants/" + unit: "->/usr/lib/systemd/system/" + unit,
		"etc/passwd": "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n" +
			"ftp:x:102:105::/srv/ftp:/usr/sbin/nologin\nbackup:x:600:600::/var/backups:/bin/sh\n" +
			"svc:x:1200:1200::/var/lib/svc:/usr/sbin/nologin\nalice:x:1000:1000::/home/alice:/bin/bash\n",
	}
	for k, v := range extra {
		files[k] = v
	}
	return files
}

func ftpRefusedNames(f *FTP) []string {
	var out []string
	for _, a := range f.Refused() {
		out = append(out, a.Name)
	}
	return out
}

func ftpListPaths(f *FTP) []string {
	var out []string
	for _, l := range f.Lists {
		out = append(out, l.Path)
	}
	return out
}

// On AIX, FTP must refuse root, the method's administrative accounts that
// exist, and every account below UID 200.
func TestFTPAccountsAIX(t *testing.T) {
	f := build(t, ftpAIXRoot("", map[string]string{"etc/passwd": fixture(t, "aix72-mail", "etc/passwd")})).FTP
	if !f.AccountsRead || f.SystemUIDMax != 199 {
		t.Fatalf("%+v", f)
	}
	want := []string{"root", "daemon", "bin", "sys", "adm", "uucp", "guest", "nobody", "lpd", "lp", "invscout", "ipsec", "nuucp", "pconsole", "esaadmin"}
	if d := cmp.Diff(want, ftpRefusedNames(f)); d != "" {
		t.Errorf("refused (-want +got):\n%s", d)
	}
	if a := f.Account("alice"); a == nil || a.Refuse || a.Home != "/home/alice" || a.Shell != "/usr/bin/ksh" || a.Line != 18 {
		t.Errorf("alice %+v", a)
	}
	if a := f.Account("ipsec"); a.Why != "one of AIX's administrative accounts" {
		t.Errorf("ipsec %+v", a)
	}
}

// On Linux, the system UIDs end where login.defs says; a shell that lets
// nobody log in makes a system account too.
func TestFTPAccountsLinux(t *testing.T) {
	f := build(t, ftpDebianRoot("/usr/sbin/vsftpd", map[string]string{"etc/vsftpd.conf": "anonymous_enable=NO\n"})).FTP
	if d := cmp.Diff([]string{"root", "daemon", "ftp", "backup", "svc"}, ftpRefusedNames(f)); d != "" {
		t.Errorf("default (-want +got):\n%s", d)
	}
	f = build(t, ftpDebianRoot("/usr/sbin/vsftpd", map[string]string{"etc/vsftpd.conf": "anonymous_enable=NO\n",
		"etc/login.defs": "# shadow settings\nUID_MIN\t\t\t 1000\nSYS_UID_MAX\t\t  499\n"})).FTP
	if d := cmp.Diff([]string{"root", "daemon", "ftp", "svc"}, ftpRefusedNames(f)); d != "" {
		t.Errorf("SYS_UID_MAX 499 (-want +got):\n%s", d)
	}
	if f.SystemUIDMax != 499 || f.SystemUIDFrom != (Source{File: "/etc/login.defs", Line: 3}) {
		t.Errorf("max %d from %v", f.SystemUIDMax, f.SystemUIDFrom)
	}
	if f.Account("svc").Why != "shell /usr/sbin/nologin allows no log-in" {
		t.Errorf("svc %+v", f.Account("svc"))
	}
	f = build(t, ftpDebianRoot("/usr/sbin/vsftpd", map[string]string{"etc/vsftpd.conf": "anonymous_enable=NO\n",
		"etc/login.defs": "UID_MIN 700\n"})).FTP
	if f.SystemUIDMax != 699 || !f.Account("backup").Refuse {
		t.Errorf("UID_MIN 700: max %d", f.SystemUIDMax)
	}
}

func TestFtpdOptions(t *testing.T) {
	for _, tc := range []struct {
		args    []string
		logging bool
		umask   string
	}{
		{nil, false, ""},
		{[]string{"-l", "-u077"}, true, "077"},
		{[]string{"-lu", "022"}, true, "022"},
		{[]string{"-t", "60", "-l"}, true, ""},
		{[]string{"-ul"}, false, "l"},
		{[]string{"-d", "--", "-l"}, false, ""},
		{[]string{"x", "-l"}, false, ""},
	} {
		l, u := ftpdOptions(tc.args)
		if l != tc.logging || u != tc.umask {
			t.Errorf("%q: %v %q", tc.args, l, u)
		}
	}
}

// ftpd: its options, /etc/ftpusers with its mode and names, and the ftp
// account as a way in when its home exists and the list does not refuse
// it.
func TestFTPFtpd(t *testing.T) {
	passwd := "root:!:0:0::/:/usr/bin/ksh\nftp:*:210:210::/home/ftp:/bin/false\n"
	f := build(t, ftpAIXRoot(" -l -u077", map[string]string{"etc/passwd": passwd, "etc/ftpusers": "root\n"})).FTP
	if len(f.Servers) != 1 {
		t.Fatalf("servers %+v", f.Servers)
	}
	s := f.Servers[0]
	if s.Daemon != FTPDaemonFtpd || !s.Logging || s.Umask != "077" || len(s.Anonymous) != 0 || s.TLS != AnswerUnknown {
		t.Errorf("server %+v", s)
	}
	l := f.List("/etc/ftpusers")
	if l == nil || !l.Exists || !l.Deny || l.Mode.Perm() != 0o644 || !l.Has("root") || l.Names[0].Line != 1 || len(l.ReadBy) != 1 {
		t.Errorf("list %+v", l)
	}
	if !f.Account("ftp").Refuse || f.Account("ftp").Why != "the account anonymous FTP users log in as" {
		t.Errorf("ftp %+v", f.Account("ftp"))
	}
	f = build(t, ftpAIXRoot("", map[string]string{"etc/passwd": passwd, "etc/ftpusers": "root\n", "home/ftp/pub/x": "x"})).FTP
	if a := f.Servers[0].Anonymous; len(a) != 1 || a[0].Source != (Source{File: "/etc/passwd", Line: 2}) || a[0].Account != "ftp" {
		t.Errorf("anonymous %+v", a)
	}
	f = build(t, ftpAIXRoot("", map[string]string{"etc/passwd": passwd, "etc/ftpusers": "root\nftp\n", "home/ftp/pub/x": "x"})).FTP
	if a := f.Servers[0].Anonymous; len(a) != 0 {
		t.Errorf("refused, yet anonymous %+v", a)
	}
	// A list that is a directory is a gap, and so is a missing passwd.
	f2 := build(t, ftpAIXRoot("", map[string]string{"etc/ftpusers/x": "x"}))
	if l := f2.FTP.List("/etc/ftpusers"); l.Exists || l.Problem == "" || len(gapsFor(f2, whatFTPUserList)) != 1 {
		t.Errorf("directory list %+v", l)
	}
	if f2.FTP.AccountsRead || len(gapsFor(f2, whatFTPAccounts)) != 1 {
		t.Errorf("missing passwd read")
	}
}

// An FTP line inetd does not run, or a commented one, is no FTP server.
func TestFTPNotStarted(t *testing.T) {
	files := ftpAIXRoot("", nil)
	files["etc/rc.tcpip"] = "#start /usr/sbin/inetd \"$src_running\"\n"
	f := build(t, files)
	if len(f.FTP.Servers) != 0 || len(gapsFor(f, whatFTPAccounts)) != 0 {
		t.Errorf("servers %+v", f.FTP.Servers)
	}
	files = ftpAIXRoot("", nil)
	files["etc/inetd.conf"] = "#" + files["etc/inetd.conf"]
	if f := build(t, files); len(f.FTP.Servers) != 0 {
		t.Errorf("servers %+v", f.FTP.Servers)
	}
}

// vsftpd: the compiled-in default of anonymous_enable, the lists of the
// Debian and Red Hat layouts, command-line settings, and a missing
// configuration.
func TestFTPVsftpd(t *testing.T) {
	f := build(t, ftpDebianRoot("/usr/sbin/vsftpd", map[string]string{"etc/vsftpd.conf": "listen=YES\n"})).FTP
	s := f.Servers[0]
	if s.Daemon != FTPDaemonVsftpd || len(s.Anonymous) != 1 || s.Anonymous[0].Source != (Source{File: "/etc/vsftpd.conf"}) ||
		s.TLS != AnswerNo || s.TLSSource != (Source{File: "/etc/vsftpd.conf"}) {
		t.Errorf("defaults %+v", s)
	}
	if d := cmp.Diff([]string{"/etc/ftpusers"}, ftpListPaths(f)); d != "" {
		t.Errorf("lists (-want +got):\n%s", d)
	}

	// Red Hat: the configuration and lists under /etc/vsftpd, PAM's list.
	f = build(t, ftpDebianRoot("/usr/sbin/vsftpd /etc/vsftpd/vsftpd.conf", map[string]string{
		"etc/vsftpd/vsftpd.conf": "anonymous_enable=NO\nuserlist_enable=YES\nssl_enable=YES\npam_service_name=vsftpd\n",
		"etc/pam.d/vsftpd":       "#%PAM-1.0\nsession    optional     pam_keyinit.so    force revoke\nauth       required\tpam_listfile.so item=user sense=deny file=/etc/vsftpd/ftpusers onerr=succeed\nauth       required\tpam_shells.so\n",
	})).FTP
	s = f.Servers[0]
	if len(s.Anonymous) != 0 || s.TLS != AnswerYes || s.TLSSource != (Source{File: "/etc/vsftpd/vsftpd.conf", Line: 3}) {
		t.Errorf("rhel %+v", s)
	}
	if d := cmp.Diff([]string{"/etc/vsftpd/user_list", "/etc/vsftpd/ftpusers"}, ftpListPaths(f)); d != "" {
		t.Errorf("rhel lists (-want +got):\n%s", d)
	}
	if !f.Lists[0].Deny || !f.Lists[1].Deny || f.Lists[0].Exists {
		t.Errorf("rhel lists %+v", f.Lists)
	}

	// Red Hat's build reads /etc/vsftpd/vsftpd.conf when started without
	// one.
	f = build(t, ftpDebianRoot("/usr/sbin/vsftpd", map[string]string{"etc/vsftpd/vsftpd.conf": "anonymous_enable=NO\n"})).FTP
	if s := f.Servers[0]; s.Configs[0] != "/etc/vsftpd/vsftpd.conf" || len(s.Anonymous) != 0 || s.ConfigProblem != "" {
		t.Errorf("rhel default %+v", s)
	}

	// A PAM service without pam_listfile and no user list: no list.
	f = build(t, ftpDebianRoot("/usr/sbin/vsftpd", map[string]string{
		"etc/vsftpd.conf": "anonymous_enable=NO\n", "etc/pam.d/ftp": "auth required pam_unix.so\n",
	})).FTP
	if len(f.Lists) != 0 || f.Servers[0].NoList == "" {
		t.Errorf("no list %+v", f.Servers[0])
	}

	// Settings on the command line override the file.
	f = build(t, ftpDebianRoot("/usr/sbin/vsftpd -oanonymous_enable=NO -ossl_enable=YES", map[string]string{
		"etc/vsftpd.conf": "anonymous_enable=YES\nssl_enable=NO\n",
	})).FTP
	if s := f.Servers[0]; len(s.Anonymous) != 0 || s.TLS != AnswerYes || s.TLSSource.File != "/usr/lib/systemd/system/ftpd.service" {
		t.Errorf("overrides %+v", s)
	}

	// A missing configuration is a gap.
	h := build(t, ftpDebianRoot("/usr/sbin/vsftpd", nil))
	if h.FTP.Servers[0].ConfigProblem == "" || len(gapsFor(h, whatFTPConfig)) != 1 {
		t.Errorf("missing configuration %+v", h.FTP.Servers[0])
	}
}

// ProFTPD: <Anonymous> sections and TLSEngine, in included files too, and
// UseFtpUsers.
func TestFTPProftpd(t *testing.T) {
	f := build(t, ftpDebianRoot("/usr/sbin/proftpd", map[string]string{
		"etc/proftpd/proftpd.conf":       "ServerName \"ftp\"\nInclude /etc/proftpd/tls.conf\nInclude /etc/proftpd/conf.d/\n",
		"etc/proftpd/tls.conf":           "<IfModule mod_tls.c>\nTLSEngine off\n</IfModule>\n",
		"etc/proftpd/conf.d/anon.conf":   "<Anonymous ~ftp>\n  User ftp\n  <Limit WRITE>\n    DenyAll\n  </Limit>\n</Anonymous>\n",
		"etc/proftpd/conf.d/.hidden.swp": "",
	})).FTP
	s := f.Servers[0]
	if s.Daemon != FTPDaemonProftpd || len(s.Anonymous) != 1 || s.Anonymous[0].Source != (Source{File: "/etc/proftpd/conf.d/anon.conf", Line: 1}) {
		t.Errorf("anonymous %+v", s.Anonymous)
	}
	if s.TLS != AnswerNo || s.TLSSource != (Source{File: "/etc/proftpd/tls.conf", Line: 2}) {
		t.Errorf("tls %v %v", s.TLS, s.TLSSource)
	}
	if !slices.Contains(s.Configs, "/etc/proftpd/conf.d/anon.conf") || slices.Contains(s.Configs, "/etc/proftpd/conf.d/.hidden.swp") {
		t.Errorf("configs %v", s.Configs)
	}
	if d := cmp.Diff([]string{"/etc/ftpusers"}, ftpListPaths(f)); d != "" {
		t.Errorf("lists (-want +got):\n%s", d)
	}
	f = build(t, ftpDebianRoot("/usr/sbin/proftpd -c /etc/ftp.conf", map[string]string{
		"etc/ftp.conf": "UseFtpUsers off\n<IfModule mod_tls.c>\nTLSEngine on\n</IfModule>\n",
	})).FTP
	if s := f.Servers[0]; s.TLS != AnswerYes || s.NoList == "" || len(f.Lists) != 0 || len(s.Anonymous) != 0 {
		t.Errorf("-c %+v", s)
	}
}

// Pure-FTPd serves the ftp account to anonymous users unless started
// with -E.
func TestFTPPureFTPd(t *testing.T) {
	home := map[string]string{"srv/ftp/x": "x"}
	if s := build(t, ftpDebianRoot("/usr/sbin/pure-ftpd -l unix", home)).FTP.Servers[0]; len(s.Anonymous) != 1 || s.Daemon != FTPDaemonPureFTPd {
		t.Errorf("without -E %+v", s)
	}
	if s := build(t, ftpDebianRoot("/usr/sbin/pure-ftpd -E -l unix", home)).FTP.Servers[0]; len(s.Anonymous) != 0 {
		t.Errorf("with -E %+v", s)
	}
	home["etc/pure-ftpd/conf/NoAnonymous"] = "yes\n"
	if s := build(t, ftpDebianRoot("/usr/sbin/pure-ftpd-wrapper", home)).FTP.Servers[0]; len(s.Anonymous) != 0 {
		t.Errorf("NoAnonymous %+v", s)
	}
}

// The fixture roots: each starts one FTP server, and every file of its
// set-up reads without a gap.
func TestFTPFixtureRoots(t *testing.T) {
	for root, daemon := range map[string]string{
		"aix72-mail": FTPDaemonFtpd, "aix72-mail-hardened": FTPDaemonFtpd,
		"debian12-mail": FTPDaemonVsftpd, "debian12-mail-hardened": FTPDaemonVsftpd,
	} {
		tg, err := target.Open(filepath.Join("..", "..", "testdata", "roots", root))
		if err != nil {
			t.Fatal(err)
		}
		f := buildTarget(t, tg)
		tg.Close()
		if len(f.FTP.Servers) != 1 || f.FTP.Servers[0].Daemon != daemon || !f.FTP.AccountsRead {
			t.Errorf("%s: %+v", root, f.FTP)
		}
		for _, what := range []string{whatFTPConfig, whatFTPUserList, whatFTPAccounts} {
			if g := gapsFor(f, what); len(g) != 0 {
				t.Errorf("%s: gaps %v", root, g)
			}
		}
		for _, l := range f.FTP.Lists {
			if !l.Exists {
				t.Errorf("%s: %s missing", root, l.Path)
			}
		}
	}
}
