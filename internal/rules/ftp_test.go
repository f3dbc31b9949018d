package rules

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"bastion/internal/host"
	"bastion/internal/inventory"
	"bastion/internal/policy"
	"bastion/internal/remedy"
	"bastion/internal/rule"
	"bastion/internal/target"
)

// ftpdLineText is AIX's inetd.conf line for ftpd, as installed.
const ftpdLineText = "ftp     stream  tcp6    nowait  root    /usr/sbin/ftpd         ftpd"

// ftpAIX is an AIX root whose inetd starts ftpd with args, with a few
// accounts and an /etc/ftpusers that refuses the system ones; extra are
// more files, or "" to leave one out.
func ftpAIX(args string, extra ...string) map[string]string {
	m := aix(map[string]string{
		"etc/inetd.conf": ftpdLineText + args + "\n",
		"etc/passwd":     "root:!:0:0::/:/usr/bin/ksh\ndaemon:!:1:1::/etc:\nbin:!:2:2::/bin:\nguest:!:100:100::/home/guest:\nalice:!:1000:1::/home/alice:/usr/bin/ksh\n",
		"etc/ftpusers":   "<0640>root\ndaemon\nbin\nguest\n",
	})
	for i := 0; i+1 < len(extra); i += 2 {
		if extra[i+1] == "" {
			delete(m, extra[i])
			continue
		}
		m[extra[i]] = extra[i+1]
	}
	return m
}

// ftpDebian is a Debian root whose systemd starts vsftpd with conf.
func ftpDebian(conf string, extra ...string) map[string]string {
	m := map[string]string{
		"etc/os-release": "ID=debian\nVERSION_ID=12\n", "etc/services": "ftp 21/tcp\n",
		"usr/lib/systemd/system/vsftpd.service":                     "[Service]\nExecStart=/usr/sbin/vsftpd /etc/vsftpd.conf\n",
		"etc/systemd/system/multi-user.target.wants/vsftpd.service": "->/usr/lib/systemd/system/vsftpd.service",
		"etc/vsftpd.conf": conf,
		"etc/passwd":      "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\nftp:x:102:105:ftp daemon,,,:/srv/ftp:/usr/sbin/nologin\nalice:x:1000:1000::/home/alice:/bin/bash\n",
		"etc/ftpusers":    "<0640>root\ndaemon\nftp\n",
	}
	for i := 0; i+1 < len(extra); i += 2 {
		m[extra[i]] = extra[i+1]
	}
	return m
}

func init() {
	withFTP := "etc/passwd"
	ftpAccount := "root:!:0:0::/:/usr/bin/ksh\ndaemon:!:1:1::/etc:\nbin:!:2:2::/bin:\nguest:!:100:100::/home/guest:\nftp:*:210:210::/home/ftp:/bin/false\n"
	permsQuiet := ftpAIX("")
	if os.Geteuid() != 0 {
		// The files the test writes are the test user's: only root
		// can give a quiet case of the owner check.
		permsQuiet = aix(nil)
	}
	for id, tc := range map[string]struct{ fires, quiet, undecided map[string]string }{
		"FTP-USERS-MISSING":    {ftpAIX("", "etc/ftpusers", ""), ftpAIX(""), ftpAIX("", "etc/ftpusers", "<dir>")},
		"FTP-USERS-INCOMPLETE": {ftpAIX("", "etc/ftpusers", "<0640>root\ndaemon\n"), ftpAIX(""), ftpAIX("", "etc/passwd", "<dir>")},
		"FTP-USERS-PERMS":      {ftpAIX("", "etc/ftpusers", "<0664>root\ndaemon\nbin\nguest\n"), permsQuiet, ftpAIX("", "etc/ftpusers", "<dir>")},
		"FTP-FTPD-OPTIONS":     {ftpAIX(""), ftpAIX(" -l -u077"), undecidable},
		"FTP-ANONYMOUS": {
			ftpAIX("", withFTP, ftpAccount, "home/ftp/pub/README", "files\n"),
			ftpAIX("", withFTP, ftpAccount, "home/ftp/pub/README", "files\n", "etc/ftpusers", "<0640>root\ndaemon\nbin\nguest\nftp\n"),
			ftpAIX("", withFTP, "<dir>"),
		},
		"FTP-CLEARTEXT": {ftpDebian("anonymous_enable=NO\n"), ftpDebian("anonymous_enable=NO\nssl_enable=YES\n"), ftpDebian("<dir>")},
	} {
		cases[id] = ruleCase{fires: tc.fires, quiet: tc.quiet, undecided: tc.undecided}
	}
}

// ftpFindings runs the FTP rules on a context and returns each finding as
// "RULE file:line".
func ftpFindings(t *testing.T, c *rule.Context) ([]string, []rule.Finding) {
	t.Helper()
	var got []string
	var all []rule.Finding
	for _, r := range rule.All() {
		if r.Topic != "ftp" || !r.AppliesTo(c.Facts.Platform.OS) {
			continue
		}
		rep := rule.NewReport(r)
		if err := r.Check(c, rep); err != nil {
			t.Errorf("%s: %v", r.ID, err)
			continue
		}
		for _, f := range rep.Findings() {
			if os.Geteuid() != 0 && f.Rule == "FTP-USERS-PERMS" && f.Data["mode"] == "" {
				continue // the copy is the test user's, not root's
			}
			got = append(got, f.Rule+" "+f.Where.String())
			all = append(all, f)
		}
	}
	slices.Sort(got)
	return got, all
}

// ftpCopy copies a fixture root and gives its user lists a mode: git keeps
// only the executable bit.
func ftpCopy(t *testing.T, name string, mode os.FileMode, lists ...string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "root")
	if out, err := exec.Command("cp", "-a", filepath.Join("..", "..", "testdata", "roots", name), dst).CombinedOutput(); err != nil {
		t.Fatalf("cp: %v: %s", err, out)
	}
	for _, l := range lists {
		p := filepath.Join(dst, l)
		if err := os.Chmod(p, mode); err != nil {
			t.Fatal(err)
		}
		if os.Geteuid() == 0 {
			if err := os.Lchown(p, 0, 0); err != nil {
				t.Fatal(err)
			}
		}
	}
	return dst
}

// ftpContext builds the context of a root under a policy.
func ftpContext(t *testing.T, dir string, pol *policy.Policy) *rule.Context {
	t.Helper()
	tg, err := target.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer tg.Close()
	f, err := host.Build(tg, host.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return &rule.Context{Facts: f, Inventory: inventory.Build(f, "test"), Policy: pol}
}

// The mail hosts under their policy: each problem of the problem twins is
// found at its file and line, the plan of their fixes applies and leaves
// only what has no automatic fix, and the hardened twins have no FTP
// finding.
func TestFTPFixtures(t *testing.T) {
	pol, err := policy.LoadFile(filepath.Join("..", "..", "testdata", "policies", "mailhost.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		root      string
		lists     []string
		want      []string
		afterFix  []string
		wantLines map[string]string // file:line -> text the finding points at
	}{
		{
			root:  "aix72-mail",
			lists: []string{"etc/ftpusers"},
			want: []string{
				"FTP-FTPD-OPTIONS /etc/inetd.conf:1",
				"FTP-USERS-INCOMPLETE /etc/ftpusers",
				"FTP-USERS-PERMS /etc/ftpusers",
			},
			wantLines: map[string]string{"/etc/inetd.conf:1": ftpdLineText},
		},
		{
			root:  "debian12-mail",
			lists: []string{"etc/ftpusers", "etc/vsftpd.user_list"},
			want: []string{
				"FTP-ANONYMOUS /etc/vsftpd.conf:8",
				"FTP-CLEARTEXT /etc/vsftpd.conf:20",
				"FTP-USERS-INCOMPLETE /etc/ftpusers",
				"FTP-USERS-INCOMPLETE /etc/vsftpd.user_list",
				"FTP-USERS-PERMS /etc/ftpusers",
				"FTP-USERS-PERMS /etc/vsftpd.user_list",
			},
			afterFix:  []string{"FTP-CLEARTEXT /etc/vsftpd.conf:20"},
			wantLines: map[string]string{"/etc/vsftpd.conf:8": "anonymous_enable=YES", "/etc/vsftpd.conf:20": "ssl_enable=NO"},
		},
	} {
		t.Run(tc.root, func(t *testing.T) {
			dir := ftpCopy(t, tc.root, 0o644, tc.lists...)
			c := ftpContext(t, dir, pol)
			got, findings := ftpFindings(t, c)
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("findings (-want +got):\n%s", d)
			}
			for where, text := range tc.wantLines {
				file, line, _ := strings.Cut(where, ":")
				n, _ := strconv.Atoi(line)
				data, err := os.ReadFile(filepath.Join(dir, file))
				if err != nil {
					t.Fatal(err)
				}
				if lines := strings.Split(string(data), "\n"); n > len(lines) || lines[n-1] != text {
					t.Errorf("%s is not %q", where, text)
				}
			}
			// Nothing of /etc/passwd but names reaches the output.
			for _, f := range findings {
				if strings.Contains(f.Found, ":!:") || strings.Contains(f.Found, ":x:") || strings.Contains(f.Found, ":*:") {
					t.Errorf("%s shows a passwd line: %s", f.Rule, f.Found)
				}
			}
			// Apply the plan of the fixes to the copy.
			plan := &remedy.Plan{}
			for _, f := range findings {
				r, _ := rule.Lookup(f.Rule)
				if r.Fix != nil {
					plan.Add(r.Fix(c, f)...)
				}
			}
			read := func(p string) ([]byte, error) { return os.ReadFile(filepath.Join(dir, p)) }
			diffs, steps, err := plan.Compile(read)
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range diffs {
				if err := os.WriteFile(filepath.Join(dir, d.Path), d.After, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			for _, s := range steps {
				if s.Kind == remedy.KindChmod {
					if err := os.Chmod(filepath.Join(dir, s.Path), s.Mode); err != nil {
						t.Fatal(err)
					}
				}
			}
			got, _ = ftpFindings(t, ftpContext(t, dir, pol))
			if d := cmp.Diff(tc.afterFix, got); d != "" {
				t.Errorf("after the fixes (-want +got):\n%s", d)
			}
		})
	}
	for _, tc := range []struct {
		root  string
		lists []string
	}{
		{"aix72-mail-hardened", []string{"etc/ftpusers"}},
		{"debian12-mail-hardened", []string{"etc/ftpusers", "etc/vsftpd.user_list"}},
	} {
		t.Run(tc.root, func(t *testing.T) {
			c := ftpContext(t, ftpCopy(t, tc.root, 0o640, tc.lists...), pol)
			if len(c.Facts.FTP.Servers) == 0 {
				t.Fatal("no FTP server found")
			}
			if got, _ := ftpFindings(t, c); len(got) != 0 {
				t.Errorf("findings on the hardened host: %v", got)
			}
		})
	}
}

// Without a policy that allows FTP, SVC-FTP turns ftpd off, and the fix of
// its options asks for the same change, so the plan has no conflict.
func TestFTPFixWhenFTPNotAllowed(t *testing.T) {
	c := context(t, ftpAIX(""), nil)
	plan := &remedy.Plan{}
	for _, id := range []string{"SVC-FTP", "FTP-FTPD-OPTIONS"} {
		r, _ := rule.Lookup(id)
		_, found := outcome(t, id, c)
		if len(found) != 1 {
			t.Fatalf("%s: %d findings", id, len(found))
		}
		plan.Add(r.Fix(c, found[0])...)
	}
	diffs, err := plan.Files(func(p string) ([]byte, error) {
		if p == "/etc/inetd.conf" {
			return []byte(ftpdLineText + "\n"), nil
		}
		return nil, fs.ErrNotExist
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(diffs) != 1 || string(diffs[0].After) != "#"+ftpdLineText+"\n" {
		t.Errorf("plan: %+v", diffs)
	}
}

func TestFtpdLine(t *testing.T) {
	for in, want := range map[string]string{
		ftpdLineText:                ftpdLineText + " -l -u077",
		ftpdLineText + "  ":         ftpdLineText + " -l -u077",
		ftpdLineText + " -l":        ftpdLineText + " -l -u077",
		ftpdLineText + " -u077":     ftpdLineText + " -u077 -l",
		ftpdLineText + " -u022 -l":  ftpdLineText + " -u077 -l",
		ftpdLineText + " -u 027":    ftpdLineText + " -u 077 -l",
		ftpdLineText + " -lu022":    ftpdLineText + " -lu077",
		ftpdLineText + " -t 60 -u0": ftpdLineText + " -t 60 -u077 -l",
		ftpdLineText + " -ul -l":    ftpdLineText + " -u077 -l", // "l" is -u's value
		"ftp\tstream\ttcp6\tnowait\troot\t/usr/sbin/ftpd\tftpd": "ftp\tstream\ttcp6\tnowait\troot\t/usr/sbin/ftpd\tftpd -l -u077",
	} {
		got, ok := ftpdLine(in)
		if !ok || got != want {
			t.Errorf("ftpdLine(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{ftpdLineText + " -l -u077", ftpdLineText + " -u0777 -l", "ftp stream tcp6", "#" + ftpdLineText} {
		if got, ok := ftpdLine(in); ok {
			t.Errorf("ftpdLine(%q) changed it: %q", in, got)
		}
	}
	for v, want := range map[string]bool{"077": true, "0077": true, "777": true, "027": false, "": false, "x": false} {
		if ftpUmaskTight(v) != want {
			t.Errorf("ftpUmaskTight(%q) = %v", v, !want)
		}
	}
}

// A list of the only users admitted must not name root or a system
// account; the fix deletes those lines.
func TestFTPAdmitList(t *testing.T) {
	conf := "anonymous_enable=NO\nssl_enable=YES\nuserlist_enable=YES\nuserlist_deny=NO\nuserlist_file=/etc/vsftpd.allowed\n"
	c := context(t, ftpDebian(conf, "etc/vsftpd.allowed", "<0640>alice\nroot\n"), nil)
	got, fs := outcome(t, "FTP-USERS-INCOMPLETE", c)
	if got != "fires" || len(fs) != 1 || fs[0].Where.String() != "/etc/vsftpd.allowed:2" || fs[0].Severity.String() != "high" {
		t.Fatalf("%s %+v", got, fs)
	}
	r, _ := rule.Lookup("FTP-USERS-INCOMPLETE")
	ch := r.Fix(c, fs[0])
	if len(ch) != 1 || len(ch[0].Edits) != 1 || ch[0].Edits[0].Op != remedy.OpDelete || ch[0].Edits[0].Line != 2 {
		t.Errorf("fix %+v", ch)
	}
	c = context(t, ftpDebian(conf, "etc/vsftpd.allowed", "<0640>alice\n"), nil)
	if got, fs := outcome(t, "FTP-USERS-INCOMPLETE", c); got != "quiet" {
		t.Errorf("%s %+v", got, fs)
	}
}

// vsftpd's anonymous_enable defaults to YES: unset, the finding is at the
// file and the fix appends the setting.
func TestFTPAnonymousDefault(t *testing.T) {
	c := context(t, ftpDebian("ssl_enable=YES\n"), nil)
	got, fs := outcome(t, "FTP-ANONYMOUS", c)
	if got != "fires" || len(fs) != 1 || fs[0].Where.String() != "/etc/vsftpd.conf" {
		t.Fatalf("%s %+v", got, fs)
	}
	r, _ := rule.Lookup("FTP-ANONYMOUS")
	ch := r.Fix(c, fs[0])
	if len(ch) != 2 || ch[0].Edits[0].Op != remedy.OpAppend || ch[0].Edits[0].New[0] != "anonymous_enable=NO" ||
		ch[1].Kind != remedy.KindCommand || ch[1].Argv[2] != "vsftpd.service" {
		t.Errorf("fix %+v", ch)
	}
	// Set on the command line, it is reported at the start, without a fix.
	c = context(t, ftpDebian("anonymous_enable=NO\nssl_enable=YES\n",
		"usr/lib/systemd/system/vsftpd.service", "[Service]\nExecStart=/usr/sbin/vsftpd /etc/vsftpd.conf -oanonymous_enable=YES\n"), nil)
	got, fs = outcome(t, "FTP-ANONYMOUS", c)
	if got != "fires" || fs[0].Where.File != "/usr/lib/systemd/system/vsftpd.service" || r.Fix(c, fs[0]) != nil {
		t.Errorf("command line: %s %+v", got, fs)
	}
}

// No FTP server: every FTP rule is quiet.
func TestFTPNoServer(t *testing.T) {
	c := context(t, aix(map[string]string{"etc/inetd.conf": "#" + ftpdLineText + "\n"}), nil)
	for _, r := range rule.All() {
		if r.Topic != "ftp" {
			continue
		}
		if got, fs := outcome(t, r.ID, c); got != "quiet" {
			t.Errorf("%s: %s %+v", r.ID, got, fs)
		}
	}
}

// A list of refused users that does not name root makes a high finding;
// a server that reads no list at all is reported at its configuration,
// without a fix.
func TestFTPUsersRootAndNoList(t *testing.T) {
	c := context(t, ftpAIX("", "etc/ftpusers", "<0640>daemon\nbin\nguest\n"), nil)
	got, found := outcome(t, "FTP-USERS-INCOMPLETE", c)
	if got != "fires" || len(found) != 1 || found[0].Severity.String() != "high" || !strings.Contains(found[0].Found, "root (UID 0)") {
		t.Errorf("%s %+v", got, found)
	}
	c = context(t, ftpDebian("anonymous_enable=NO\nssl_enable=YES\n", "etc/pam.d/ftp", "auth required pam_unix.so\n"), nil)
	got, found = outcome(t, "FTP-USERS-MISSING", c)
	if got != "fires" || len(found) != 1 || found[0].Where.String() != "/etc/vsftpd.conf" {
		t.Fatalf("%s %+v", got, found)
	}
	if r, _ := rule.Lookup("FTP-USERS-MISSING"); r.Fix(c, found[0]) != nil {
		t.Error("a fix for a server that reads no list")
	}
	// A missing list is created with root and the system accounts.
	c = context(t, ftpAIX("", "etc/ftpusers", ""), nil)
	_, found = outcome(t, "FTP-USERS-MISSING", c)
	r, _ := rule.Lookup("FTP-USERS-MISSING")
	ch := r.Fix(c, found[0])
	if len(ch) != 1 || ch[0].Kind != remedy.KindCreate || ch[0].Content != "root\ndaemon\nbin\nguest\n" || ch[0].Mode != 0o640 || ch[0].Group != "system" {
		t.Errorf("create %+v", ch)
	}
}
