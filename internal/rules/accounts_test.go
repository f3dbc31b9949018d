package rules

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"bastion/internal/parse/lastlog"
	"bastion/internal/policy"
	"bastion/internal/rule"
	"bastion/internal/severity"
)

// Hashes of a password no list holds, made with mkpasswd.
const (
	yescryptHash = "$y$j9T$wo8Nourz8pjlvvX.HUriM.$nUPtzsUQMnKHeZmfRhwBCpU4XjNdebXFw30bJggho28"
	md5Hash      = "$1$abcdefgh$jYnst1PmLMhYK8KS8HRpf0"
	desHash      = "ab49LMmtBxMBc"
)

// acctLinux is a Debian 12 root with sound accounts, password settings
// and SSH; files are more files as name, content pairs, "<none>" leaving
// one out.
func acctLinux(files ...string) map[string]string {
	m := map[string]string{
		"etc/os-release":   "ID=debian\nVERSION_ID=\"12\"\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n",
		"etc/passwd":       "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\nsync:x:4:65534:sync:/bin:/bin/sync\nalice:x:1000:1000:Alice:/home/alice:/bin/bash\n",
		"etc/shadow":       "<0640>root:" + yescryptHash + ":19800:1:365:14:::\ndaemon:*:19800:0:99999:7:::\nsync:*:19800:0:99999:7:::\nalice:" + yescryptHash + ":0:1:365:14:::\n",
		"etc/group":        "root:x:0:\ndaemon:x:1:\nshadow:x:42:\nalice:x:1000:\n",
		"etc/login.defs":   "PASS_MAX_DAYS\t365\nPASS_MIN_DAYS\t1\nPASS_WARN_AGE\t14\nUID_MIN\t1000\nENCRYPT_METHOD YESCRYPT\n",
		"etc/pam.d/passwd": "@include common-password\n",
		"etc/pam.d/common-password": "password\trequisite\tpam_pwquality.so retry=3 minlen=14\n" +
			"password\t[success=1 default=ignore]\tpam_unix.so obscure use_authtok yescrypt\npassword\trequisite\tpam_deny.so\npassword\trequired\tpam_permit.so\n",
		"etc/ssh/sshd_config": "Include /etc/ssh/sshd_config.d/*.conf\nPermitRootLogin no\nPasswordAuthentication no\nKbdInteractiveAuthentication no\nUsePAM yes\n",
		"etc/securetty":       "console\ntty1\n",
		"usr/sbin/nologin":    "<0755>",
		"usr/sbin/sshd":       "<0755>",
		"var/log/lastlog":     "<0644>" + string(lastlog.Encode(lastlog.Record{})),
	}
	return overlay(m, files...)
}

// acctAIX is an AIX 7.2 root with sound accounts and password settings.
func acctAIX(files ...string) map[string]string {
	m := aix(map[string]string{
		"etc/passwd":          "root:!:0:0::/:/usr/bin/ksh\ndaemon:!:1:1::/etc:\nguest:!:100:100::/home/guest:\nalice:!:1000:1::/home/alice:/usr/bin/ksh\n",
		"etc/group":           "system:!:0:root\nstaff:!:1:alice\n",
		"etc/security/passwd": "<0600>root:\n\tpassword = {ssha512}14$qG7.xj4Pv2I7/AlK$iiWBJvsbo1FK4lBqjuGxhWsSk3HKjBBpQdkl085sYjxaJVtWWIo/m5sAraHVVZhvhVUpIOVsnxob0nSwfJXV..\n\tflags =\n\ndaemon:\n\tpassword = *\n\nguest:\n\tpassword = *\n\nalice:\n\tpassword = {ssha512}14$XztvRO4DBtDEuWVd$gThPV4GEdSIgArHjK0tuEKnY/Bc8awpbLQ1Fxr8V2pdDi6TNEnm9cL0N07a.w8Gv7lFVGJQ5Q2Vs.4iUnb.H..\n\tflags = ADMCHG\n",
		"etc/security/user": "default:\n\tlogin = true\n\trlogin = true\n\tminlen = 12\n\tminalpha = 2\n\tminother = 2\n\thistsize = 8\n\tmaxage = 13\n\tpwdwarntime = 14\n\tdictionlist = /usr/share/dict/words\n\n" +
			"root:\n\tadmin = true\n\trlogin = false\n\ndaemon:\n\tadmin = true\n\texpires = 0101000070\n\nguest:\n\tlogin = false\n\trlogin = false\n",
		"etc/security/login.cfg": "default:\n\tsak_enabled = false\n\nusw:\n\tshells = /bin/sh,/usr/bin/ksh\n\tpwd_algorithm = ssha512\n",
		"etc/security/lastlog":   "root:\n\ttime_last_login = 1731000000\n\nalice:\n\ttime_last_login = 1731000500\n",
		"etc/ssh/sshd_config":    "PermitRootLogin no\n",
		"usr/sbin/sshd":          "<0755>",
	})
	return overlay(m, files...)
}

func init() {
	unreadable := acctLinux("etc/passwd", "<dir>")
	aixSecUser := func(from, to string) map[string]string {
		u := acctAIX()["etc/security/user"]
		return acctAIX("etc/security/user", strings.Replace(u, from, to, 1))
	}
	keysOnly := &policy.Policy{SSHKeysOnly: true, PasswordMinLength: 12}
	for id, tc := range map[string]ruleCase{
		"ACCT-HASH-EXPOSED": {
			fires: acctLinux("etc/shadow", "<0644>"+strings.TrimPrefix(acctLinux()["etc/shadow"], "<0640>")),
			quiet: acctLinux(), undecided: unreadable,
		},
		"ACCT-EMPTY-PASSWORD": {
			fires: acctLinux("etc/shadow", "<0640>root:"+yescryptHash+":19800:1:365:14:::\nalice::0:1:365:14:::\n"),
			quiet: acctLinux(), undecided: acctLinux("etc/shadow", "<dir>"),
		},
		"ACCT-UID0": {
			fires: acctLinux("etc/passwd", "root:x:0:0::/root:/bin/bash\ntoor:x:0:0::/root:/bin/bash\n"),
			quiet: acctLinux(), undecided: unreadable,
		},
		"ACCT-DUPLICATE": {
			fires: acctLinux("etc/passwd", acctLinux()["etc/passwd"]+"bob:x:1000:1000::/home/bob:/bin/bash\n"),
			quiet: acctLinux(), undecided: unreadable,
		},
		"ACCT-SYSTEM-LOGIN": {
			fires: acctLinux("etc/passwd", "root:x:0:0::/root:/bin/bash\ngames:x:5:60:games:/usr/games:/bin/sh\n"),
			quiet: acctLinux(), undecided: acctLinux("etc/shadow", "<dir>"),
		},
		"ACCT-HASH-WEAK": {
			fires: acctLinux("etc/shadow", "<0640>root:"+yescryptHash+":19800:1:365:14:::\nalice:"+md5Hash+":0:1:365:14:::\n"),
			quiet: acctLinux(), undecided: acctLinux("etc/shadow", "<dir>"),
		},
		"ACCT-ALGORITHM": {
			fires: acctAIX("etc/security/login.cfg", "usw:\n\tpwd_algorithm = smd5\n"),
			quiet: acctAIX(), undecided: unreadable,
		},
		"PASS-QUALITY": {
			fires: acctLinux("etc/pam.d/common-password", "password\t[success=1 default=ignore]\tpam_unix.so obscure yescrypt\npassword\trequisite\tpam_deny.so\n"),
			quiet: acctLinux(), undecided: acctLinux("etc/pam.d/common-password", "<dir>"),
		},
		"PASS-QUALITY-AIX": {
			fires: aixSecUser("\tminlen = 12", "\tminlen = 8"),
			quiet: acctAIX(), undecided: acctAIX("etc/passwd", "<dir>"),
		},
		"PASS-AGING": {
			fires: acctLinux("etc/login.defs", "PASS_MAX_DAYS\t99999\nPASS_MIN_DAYS\t1\nPASS_WARN_AGE\t14\nENCRYPT_METHOD YESCRYPT\n"),
			quiet: acctLinux(), undecided: unreadable,
		},
		"ACCT-NOT-PREEXPIRED": {
			fires: acctLinux("etc/shadow", "<0640>root:"+yescryptHash+":19800:1:365:14:::\nalice:"+yescryptHash+":19810:1:365:14:::\n"),
			quiet: acctLinux(), undecided: acctLinux("var/log/lastlog", "<none>"),
		},
		"ACCT-UNUSED": {
			fires: acctAIX("etc/security/lastlog", "root:\n\ttime_last_login = 1731000000\n\nalice:\n\ttime_last_login = 1600000000\n"),
			quiet: acctAIX(), undecided: acctAIX("etc/security/lastlog", "<none>"),
		},
		"SSH-ROOT-LOGIN": {
			fires: acctLinux("etc/ssh/sshd_config", "PermitRootLogin yes\n"),
			quiet: acctLinux(), undecided: acctLinux("etc/ssh/sshd_config", "<dir>"),
		},
		"SSH-EMPTY-PASSWORDS": {
			fires: acctLinux("etc/ssh/sshd_config", "Match Address 10.0.0.0/8\n\tPermitEmptyPasswords yes\n"),
			quiet: acctLinux(), undecided: acctLinux("etc/ssh/sshd_config", "<dir>"),
		},
		"SSH-PASSWORD-AUTH": {
			fires:       acctLinux("etc/ssh/sshd_config", "PermitRootLogin no\nUsePAM yes\n"),
			firesPolicy: keysOnly,
			quiet:       acctLinux(), quietPolicy: keysOnly,
			undecided: acctLinux("etc/ssh/sshd_config", "<dir>"),
		},
		"SSH-PROTOCOL1": {
			fires: acctLinux("etc/ssh/sshd_config", "Protocol 2,1\n"),
			quiet: acctLinux(), undecided: acctLinux("etc/ssh/sshd_config", "<dir>"),
		},
		"SSH-WEAK-CRYPTO": {
			fires: acctLinux("etc/ssh/sshd_config.d/old.conf", "Ciphers +aes128-cbc\n"),
			quiet: acctLinux(), undecided: acctLinux("etc/ssh/sshd_config", "<dir>"),
		},
		"LOGIN-ROOT-RLOGIN": {
			fires: aixSecUser("\trlogin = false\n\ndaemon", "\n\ndaemon"),
			quiet: acctAIX(), undecided: acctAIX("etc/passwd", "<dir>"),
		},
		"LOGIN-SECURETTY": {
			fires: acctLinux("etc/securetty", "console\npts/0\n"),
			quiet: acctLinux(), undecided: acctLinux("etc/securetty", "<dir>"),
		},
		"ACCT-TRUST-FILES": {
			fires: acctLinux("home/alice/.rhosts", "build01.example.com alice\n"),
			quiet: acctLinux(), undecided: acctLinux("home/alice/.rhosts", "<dir>"),
		},
	} {
		cases[id] = tc
	}
}

// acctRoots are the account fixtures with the modes their files have on
// a host (git keeps only the executable bit), and a lastlog to write for
// the hardened Debian twin, whose person has UID 1000.
var acctRoots = map[string]map[string]os.FileMode{
	"debian12-accounts":          {"etc/shadow": 0o644, "home/alice/.rhosts": 0o644, "home/bob/.netrc": 0o600},
	"debian12-accounts-hardened": {"etc/shadow": 0o640},
	"aix72-accounts":             {"etc/security/passwd": 0o644},
	"aix72-accounts-hardened":    {"etc/security/passwd": 0o600},
}

// acctCopy copies a fixture root and sets the modes its files have on a
// host; the hardened Debian twin gets a lastlog recording alice's login.
func acctCopy(t *testing.T, name string) string {
	t.Helper()
	dir := mailCopy(t, name, acctRoots[name])
	if name == "debian12-accounts-hardened" {
		ll := make([]byte, 1001*lastlog.RecordSize)
		copy(ll[1000*lastlog.RecordSize:], lastlog.Encode(lastlog.Record{Time: mustUnix(1731000000), Line: "pts/0", Host: "192.0.2.9"}))
		copy(ll, lastlog.Encode(lastlog.Record{Time: mustUnix(1731000100), Line: "tty1"}))
		if err := os.MkdirAll(filepath.Join(dir, "var/log"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "var/log/lastlog"), ll, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// acctFindings runs every rule of the account and remote-login topics and
// returns the findings as "RULE file[:line]".
func acctFindings(t *testing.T, c *rule.Context) ([]string, []rule.Finding) {
	t.Helper()
	return findingsOf(t, c, func(r *rule.Rule) bool { return r.Topic == "accounts" || r.Topic == "remote login" })
}

// The problems of the account fixtures are found where they are written,
// and the hardened twins have none.
func TestAccountFixtures(t *testing.T) {
	checkFixtures(t, []fixtureCase{
		{root: "debian12-accounts", want: []string{
			"ACCT-ALGORITHM /etc/login.defs:35",
			"ACCT-ALGORITHM /etc/pam.d/common-password:5",
			"ACCT-DUPLICATE /etc/passwd:13",
			"ACCT-DUPLICATE /etc/passwd:16",
			"ACCT-EMPTY-PASSWORD /etc/shadow:14",
			"ACCT-HASH-EXPOSED /etc/passwd:14",
			"ACCT-HASH-EXPOSED /etc/shadow",
			"ACCT-HASH-WEAK /etc/passwd:14",
			"ACCT-HASH-WEAK /etc/shadow:10",
			"ACCT-HASH-WEAK /etc/shadow:11",
			"ACCT-HASH-WEAK /etc/shadow:12",
			"ACCT-NOT-PREEXPIRED /etc/passwd:14",
			"ACCT-NOT-PREEXPIRED /etc/shadow:10",
			"ACCT-NOT-PREEXPIRED /etc/shadow:11",
			"ACCT-NOT-PREEXPIRED /etc/shadow:12",
			"ACCT-SYSTEM-LOGIN /etc/passwd:6",
			"ACCT-TRUST-FILES /etc/hosts.equiv:3",
			"ACCT-TRUST-FILES /home/alice/.rhosts",
			"ACCT-TRUST-FILES /home/bob/.netrc",
			"ACCT-UID0 /etc/passwd:8",
			"LOGIN-SECURETTY /etc/securetty:6",
			"LOGIN-SECURETTY /etc/securetty:7",
			"PASS-AGING /etc/login.defs:23",
			"PASS-AGING /etc/login.defs:24",
			"PASS-AGING /etc/shadow:10",
			"PASS-AGING /etc/shadow:11",
			"PASS-AGING /etc/shadow:12",
			"PASS-AGING /etc/shadow:13",
			"PASS-QUALITY /etc/pam.d/common-password:5",
			"SSH-EMPTY-PASSWORDS /etc/ssh/sshd_config:16",
			"SSH-PROTOCOL1 /etc/ssh/sshd_config:9",
			"SSH-ROOT-LOGIN /etc/ssh/sshd_config:11",
			"SSH-WEAK-CRYPTO /etc/ssh/sshd_config.d/legacy.conf:2",
			"SSH-WEAK-CRYPTO /etc/ssh/sshd_config.d/legacy.conf:3",
			"SSH-WEAK-CRYPTO /etc/ssh/sshd_config.d/legacy.conf:4",
		}},
		{root: "debian12-accounts-hardened", want: nil},
		{root: "aix72-accounts", want: []string{
			"ACCT-ALGORITHM /etc/security/login.cfg",
			"ACCT-EMPTY-PASSWORD /etc/security/passwd:22",
			"ACCT-HASH-EXPOSED /etc/passwd:14",
			"ACCT-HASH-EXPOSED /etc/security/passwd",
			"ACCT-HASH-WEAK /etc/passwd:14",
			"ACCT-HASH-WEAK /etc/security/passwd:2",
			"ACCT-HASH-WEAK /etc/security/passwd:31",
			"ACCT-HASH-WEAK /etc/security/passwd:36",
			"ACCT-HASH-WEAK /etc/security/passwd:41",
			"ACCT-HASH-WEAK /etc/security/passwd:46",
			"ACCT-NOT-PREEXPIRED /etc/security/passwd:36",
			"ACCT-NOT-PREEXPIRED /etc/security/passwd:46",
			"ACCT-SYSTEM-LOGIN /etc/security/user:6",
			"ACCT-TRUST-FILES /.rhosts",
			"ACCT-TRUST-FILES /etc/hosts.equiv:1",
			"ACCT-UID0 /etc/passwd:11",
			"ACCT-UNUSED /etc/passwd:14",
			"LOGIN-ROOT-RLOGIN /etc/security/user:9",
			"PASS-AGING /etc/security/user:20",
			"PASS-AGING /etc/security/user:26",
			"PASS-QUALITY-AIX /etc/security/user:24",
			"PASS-QUALITY-AIX /etc/security/user:28",
			"PASS-QUALITY-AIX /etc/security/user:29",
			"PASS-QUALITY-AIX /etc/security/user:30",
			"PASS-QUALITY-AIX /etc/security/user:33",
			"SSH-ROOT-LOGIN /etc/ssh/sshd_config:9",
		}},
		{root: "aix72-accounts-hardened", want: nil},
	}, acctCopy, acctFindings)
}

// The fixes of the problem fixtures make one plan without conflicts, and
// once made leave only the findings that need a person: new passwords,
// UIDs, PAM stacks, a .netrc.
func TestAccountFixturesFixed(t *testing.T) {
	checkFixed(t, []fixtureCase{
		{root: "debian12-accounts", want: []string{
			"ACCT-DUPLICATE /etc/passwd:13",
			"ACCT-DUPLICATE /etc/passwd:16",
			"ACCT-HASH-EXPOSED /etc/passwd:14",
			"ACCT-HASH-WEAK /etc/passwd:14",
			"ACCT-HASH-WEAK /etc/shadow:10",
			"ACCT-HASH-WEAK /etc/shadow:11",
			"ACCT-HASH-WEAK /etc/shadow:12",
			"ACCT-NOT-PREEXPIRED /etc/passwd:14",
			"ACCT-NOT-PREEXPIRED /etc/shadow:10",
			"ACCT-NOT-PREEXPIRED /etc/shadow:11",
			"ACCT-NOT-PREEXPIRED /etc/shadow:12",
			"ACCT-SYSTEM-LOGIN /etc/passwd:6",
			"ACCT-TRUST-FILES /home/bob/.netrc",
			"ACCT-UID0 /etc/passwd:8",
			"PASS-AGING /etc/shadow:10",
			"PASS-AGING /etc/shadow:11",
			"PASS-AGING /etc/shadow:12",
			"PASS-AGING /etc/shadow:13",
			"PASS-QUALITY /etc/pam.d/common-password:5",
			"SSH-WEAK-CRYPTO /etc/ssh/sshd_config.d/legacy.conf:2",
			"SSH-WEAK-CRYPTO /etc/ssh/sshd_config.d/legacy.conf:3",
			"SSH-WEAK-CRYPTO /etc/ssh/sshd_config.d/legacy.conf:4",
		}},
		{root: "aix72-accounts", want: []string{
			"ACCT-HASH-EXPOSED /etc/passwd:14",
			"ACCT-HASH-WEAK /etc/passwd:14",
			"ACCT-HASH-WEAK /etc/security/passwd:2",
			"ACCT-HASH-WEAK /etc/security/passwd:31",
			"ACCT-HASH-WEAK /etc/security/passwd:36",
			"ACCT-HASH-WEAK /etc/security/passwd:41",
			"ACCT-HASH-WEAK /etc/security/passwd:46",
			"ACCT-NOT-PREEXPIRED /etc/security/passwd:36",
			"ACCT-NOT-PREEXPIRED /etc/security/passwd:46",
			"ACCT-UID0 /etc/passwd:11",
			"ACCT-UNUSED /etc/passwd:14",
			"PASS-QUALITY-AIX /etc/security/user:33",
		}},
	}, acctCopy, acctFindings)
}

// mustUnix is a time from seconds since 1970, in UTC.
func mustUnix(sec int64) time.Time { return time.Unix(sec, 0).UTC() }

// libpwquality reads pwquality.conf.d first and pwquality.conf last, a

// later value winning.
func TestPWQualityOrder(t *testing.T) {
	files := acctLinux(
		"etc/pam.d/common-password", "password\trequisite\tpam_pwquality.so retry=3\npassword\t[success=1 default=ignore]\tpam_unix.so obscure use_authtok yescrypt\n",
		"etc/security/pwquality.conf", "minlen = 14\n",
		"etc/security/pwquality.conf.d/50-vendor.conf", "minlen = 8\n",
	)
	if got, fs := outcome(t, "PASS-QUALITY", context(t, files, nil)); got != "quiet" {
		t.Errorf("pwquality.conf's minlen 14 should win: %s %+v", got, fs)
	}
	files["etc/security/pwquality.conf"] = "# defaults\n"
	if got, fs := outcome(t, "PASS-QUALITY", context(t, files, nil)); got != "fires" || len(fs) != 1 || fs[0].Where.File != "/etc/security/pwquality.conf.d/50-vendor.conf" {
		t.Errorf("the .d file's minlen 8 with nothing after it: %s %+v", got, fs)
	}
}

// pam_unix takes the last algorithm written.
func TestPAMUnixLastMethod(t *testing.T) {
	files := acctLinux("etc/pam.d/common-password", "password\trequisite\tpam_pwquality.so minlen=14\npassword\t[success=1 default=ignore]\tpam_unix.so md5 yescrypt\n")
	if got, fs := outcome(t, "ACCT-ALGORITHM", context(t, files, nil)); got != "quiet" {
		t.Errorf("md5 then yescrypt: %s %+v", got, fs)
	}
	files["etc/pam.d/common-password"] = "password\trequisite\tpam_pwquality.so minlen=14\npassword\t[success=1 default=ignore]\tpam_unix.so yescrypt md5\n"
	if got, _ := outcome(t, "ACCT-ALGORITHM", context(t, files, nil)); got != "fires" {
		t.Errorf("yescrypt then md5: %s", got)
	}
}

// On AIX an empty password field is locked with "*": "!" would mean "see

// /etc/security/passwd", where an old hash may still be.
func TestAIXLockWithStar(t *testing.T) {
	files := acctAIX("etc/passwd", "root:!:0:0::/:/usr/bin/ksh\nalice::1000:1::/home/alice:/usr/bin/ksh\n")
	c := context(t, files, nil)
	_, fs := outcome(t, "ACCT-EMPTY-PASSWORD", c)
	if len(fs) != 1 {
		t.Fatalf("findings %+v", fs)
	}
	r, _ := rule.Lookup("ACCT-EMPTY-PASSWORD")
	ch := r.Fix(c, fs[0])
	if len(ch) != 1 || ch[0].Edits[0].New[0] != "alice:*:1000:1::/home/alice:/usr/bin/ksh" {
		t.Errorf("fix %+v", ch)
	}
}

// A native nftables table named like iptables' ("table ip filter") is the

// An input chain that accepts by default is no problem when another input

// chain of the family drops what it lets by (Docker's iptables beside an

// A malformed line of /etc/security/passwd is a gap that names the line,
// never its text: the line may hold a hash.
func TestAIXPasswdGapHidesLine(t *testing.T) {
	files := acctAIX()
	files["etc/security/passwd"] += "\nbob:\n\tpassword VtdIxTp9D0/dA\n"
	c := context(t, files, nil)
	found := false
	for _, g := range c.Facts.Gaps {
		if strings.Contains(g.Reason, "VtdIxTp9D0") {
			t.Errorf("gap shows the line: %+v", g)
		}
		found = found || g.Path == "/etc/security/passwd" && g.Line > 0
	}
	if !found {
		t.Errorf("no gap for the malformed line: %+v", c.Facts.Gaps)
	}
}

// Protocol 1 on Linux, whose OpenSSH ignores it, is low; a .netrc's
// "passwd" token counts as a password.
func TestProtocolSeverityAndNetrc(t *testing.T) {
	c := context(t, acctLinux("etc/ssh/sshd_config", "Protocol 2,1\n", "home/alice/.netrc", "<0600>machine h login a passwd x\n"), nil)
	if _, fs := outcome(t, "SSH-PROTOCOL1", c); len(fs) != 1 || fs[0].Severity != severity.Low {
		t.Errorf("SSH-PROTOCOL1: %+v", fs)
	}
	if _, fs := outcome(t, "ACCT-TRUST-FILES", c); len(fs) != 1 || !strings.Contains(fs[0].Found, "1 password") {
		t.Errorf("ACCT-TRUST-FILES: %+v", fs)
	}
}
