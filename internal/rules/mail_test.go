package rules

import (
	"errors"
	"io/fs"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
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

// sendmailHost is an AIX root whose rc.tcpip starts sendmail as a daemon,
// with a cf made of the given option lines (the method's safe values where
// one is left out) and more files.
func sendmailHost(opts map[string]string, extra map[string]string) map[string]string {
	o := map[string]string{
		"PrivacyOptions":      "goaway",
		"LogLevel":            "9",
		"HelpFile":            "/etc/mail/helpfile",
		"SmtpGreetingMessage": "$j Mail Server Ready; $b",
	}
	for k, v := range opts {
		o[k] = v
	}
	cf := "V10/Berkeley\n# Hosts for which relaying is permitted ($=R)\nFR-o /etc/mail/relay-domains\nO AliasFile=/etc/mail/aliases\n"
	names := make([]string, 0, len(o))
	for k := range o {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		if o[k] != "-" {
			cf += "O " + k + "=" + o[k] + "\n"
		}
	}
	files := rcLine(`start /usr/lib/sendmail "$src_running" "-bd -q30m"`)
	files["etc/mail/sendmail.cf"] = cf
	files["etc/mail/helpfile"] = ""
	files["etc/mail/relay-domains"] = "example.com\n"
	for k, v := range extra {
		files[k] = v
	}
	return files
}

// mailNoCF is a root whose rc.tcpip starts sendmail, whose cf is missing.
var mailNoCF = rcLine(`start /usr/lib/sendmail "$src_running" "-bd -q30m"`)

// postfixHost is a Debian root whose postfix runs with the given main.cf
// (and master.cf, when not empty).
func postfixHost(main, master string) map[string]string {
	files := map[string]string{
		"etc/os-release": "ID=debian\nVERSION_ID=12\n", "etc/services": "smtp 25/tcp\n",
		"etc/passwd":                             "root:x:0:0:root:/root:/bin/bash\n",
		"usr/lib/systemd/system/postfix.service": "[Service]\nExecStart=/usr/lib/postfix/sbin/master\n",
		"etc/systemd/system/multi-user.target.wants/postfix.service": "->/usr/lib/systemd/system/postfix.service",
		"etc/postfix/main.cf": main,
	}
	if !strings.Contains(main, "compatibility_level") && main != "<dir>" {
		files["etc/postfix/main.cf"] += "compatibility_level = 3.6\n"
	}
	if master != "" {
		files["etc/postfix/master.cf"] = master
	}
	return files
}

func init() {
	mailLog := func(mode string) map[string]string {
		return aixLog("", "mail.info /var/adm/mail.log\n", "var/adm/mail.log", mode)
	}
	passwd := "root:!:0:0::/:/usr/bin/ksh\nalice:!:1000:1::/home/alice:/usr/bin/ksh\n"
	for id, tc := range map[string]struct{ fires, quiet, undecided map[string]string }{
		"MAIL-RELAY-OPEN": {
			sendmailHost(nil, map[string]string{"etc/mail/relay-domains": "example.com\ncom\n"}),
			sendmailHost(nil, nil), mailNoCF},
		"MAIL-BANNER-VERSION": {
			sendmailHost(map[string]string{"SmtpGreetingMessage": "$j Sendmail $v/$Z; $b"}, nil),
			sendmailHost(nil, nil), mailNoCF},
		"MAIL-VRFY": {
			sendmailHost(map[string]string{"PrivacyOptions": "authwarnings"}, nil),
			sendmailHost(map[string]string{"PrivacyOptions": "authwarnings,noexpn,novrfy"}, nil), mailNoCF},
		"MAIL-LISTEN-ALL": {
			postfixHost("inet_interfaces = all\n", ""),
			postfixHost("inet_interfaces = loopback-only\n", ""),
			postfixHost("<dir>", "")},
		"MAIL-SENDMAIL-LOGLEVEL": {
			sendmailHost(map[string]string{"LogLevel": "5"}, nil),
			sendmailHost(nil, nil), mailNoCF},
		"MAIL-SENDMAIL-HELP": {
			sendmailHost(nil, map[string]string{"etc/mail/helpfile": "smtp\tThis is sendmail version $v\n"}),
			sendmailHost(nil, nil), mailNoCF},
		"MAIL-ALIASES-PERMS": {
			aix(map[string]string{"etc/mail/aliases": "<0666>root: alice\n"}),
			aix(map[string]string{"etc/mail/aliases": "<0644>root: alice\n"}),
			aix(map[string]string{"etc/aliases": "->/etc/aliases"})},
		"MAIL-LOG-PERMS": {mailLog("<0664>"), mailLog("<0640>"), aixLog("", "<dir>")},
		"MAIL-FORWARD": {
			sendmailHost(nil, map[string]string{"etc/passwd": passwd, "home/alice/.forward": "alice@example.net\n"}),
			sendmailHost(nil, map[string]string{"etc/passwd": passwd}),
			sendmailHost(nil, map[string]string{"etc/passwd": "<dir>"})},
	} {
		cases[id] = ruleCase{fires: tc.fires, quiet: tc.quiet, undecided: tc.undecided}
	}
}

// mailHostPolicy is the policy of the mail fixtures.
func mailHostPolicy(t *testing.T) *policy.Policy {
	t.Helper()
	p, err := policy.LoadFile(filepath.Join("..", "..", "testdata", "policies", "mailhost.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// mailCopy copies a fixture root into a temporary directory and sets
// the modes git does not keep.
func mailCopy(t *testing.T, name string, modes map[string]os.FileMode) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "root")
	if out, err := exec.Command("cp", "-a", filepath.Join("..", "..", "testdata", "roots", name), dst).CombinedOutput(); err != nil {
		t.Fatalf("cp: %v: %s", err, out)
	}
	for p, m := range modes {
		if err := os.Chmod(filepath.Join(dst, p), m); err != nil {
			t.Fatal(err)
		}
	}
	return dst
}

// mailContext builds the host model of a root directory.
func mailContext(t *testing.T, dir string, pol *policy.Policy) *rule.Context {
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

// mailFindings runs every MAIL- rule and returns the findings as
// "RULE file[:line]", with the findings themselves.
func mailFindings(t *testing.T, c *rule.Context) ([]string, []rule.Finding) {
	t.Helper()
	return findingsOf(t, c, func(r *rule.Rule) bool { return strings.HasPrefix(r.ID, "MAIL-") })
}

// The problems of the mail fixtures are found where they are written, and
// the hardened twins have none.
func TestMailFixtures(t *testing.T) {
	pol := mailHostPolicy(t)
	for _, tc := range []struct {
		root  string
		modes map[string]os.FileMode
		pol   *policy.Policy
		want  []string
	}{
		{"aix72-mail", map[string]os.FileMode{"etc/mail/aliases": 0o666}, pol, []string{
			"MAIL-ALIASES-PERMS /etc/mail/aliases",
			"MAIL-BANNER-VERSION /etc/mail/sendmail.cf:109",
			"MAIL-FORWARD /home/alice/.forward",
			"MAIL-RELAY-OPEN /etc/mail/access:7",
			"MAIL-RELAY-OPEN /etc/mail/relay-domains:4",
			"MAIL-RELAY-OPEN /etc/mail/sendmail.cf:35",
			"MAIL-SENDMAIL-HELP /etc/mail/helpfile",
			"MAIL-SENDMAIL-LOGLEVEL /etc/mail/sendmail.cf:99",
			"MAIL-VRFY /etc/mail/sendmail.cf:93",
		}},
		{"aix72-mail-hardened", map[string]os.FileMode{"etc/mail/aliases": 0o644}, pol, nil},
		{"debian12-mail", map[string]os.FileMode{"etc/aliases": 0o664}, pol, []string{
			"MAIL-ALIASES-PERMS /etc/aliases",
			"MAIL-BANNER-VERSION /etc/postfix/main.cf:9",
			"MAIL-FORWARD /home/alice/.forward",
			"MAIL-RELAY-OPEN /etc/postfix/main.cf:43",
			"MAIL-VRFY /etc/postfix/main.cf",
		}},
		// Not a mail server: postfix should not listen on every interface.
		{"debian12-mail", map[string]os.FileMode{"etc/aliases": 0o644}, policy.Default(), []string{
			"MAIL-BANNER-VERSION /etc/postfix/main.cf:9",
			"MAIL-FORWARD /home/alice/.forward",
			"MAIL-LISTEN-ALL /etc/postfix/main.cf:46",
			"MAIL-RELAY-OPEN /etc/postfix/main.cf:43",
			"MAIL-VRFY /etc/postfix/main.cf",
		}},
		{"debian12-mail-hardened", map[string]os.FileMode{"etc/aliases": 0o644}, pol, nil},
	} {
		t.Run(tc.root, func(t *testing.T) {
			c := mailContext(t, mailCopy(t, tc.root, tc.modes), tc.pol)
			got, fs := mailFindings(t, c)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("MAIL- findings (-want +got):\n%s", diff)
			}
			for _, f := range fs {
				if f.Found == "" || f.Expected == "" || f.Exposure == "" {
					t.Errorf("incomplete finding %+v", f)
				}
			}
		})
	}
}

// mailApplyPlan makes the changes of a plan in a root directory: new file
// contents, then modes.
func mailApplyPlan(t *testing.T, dir string, p *remedy.Plan) {
	t.Helper()
	read := func(name string) ([]byte, error) { return os.ReadFile(filepath.Join(dir, name)) }
	files, steps, err := p.Compile(read)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		path := filepath.Join(dir, f.Path)
		switch {
		case f.After == nil:
			err = os.Remove(path)
		default:
			err = os.WriteFile(path, f.After, 0o644)
		}
		if err != nil {
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
}

// The fixes of the problem fixtures make one plan without conflicts, and
// once made, leave only the findings that have no safe fix: the cf built
// with promiscuous_relay (rebuilt from an .mc the host does not have) and
// the .forward files.
func TestMailFixturesFixed(t *testing.T) {
	for _, tc := range []struct {
		root  string
		modes map[string]os.FileMode
		pol   *policy.Policy
		left  []string
	}{
		{"aix72-mail", map[string]os.FileMode{"etc/mail/aliases": 0o666}, mailHostPolicy(t),
			[]string{"MAIL-FORWARD /home/alice/.forward", "MAIL-RELAY-OPEN /etc/mail/sendmail.cf:35"}},
		{"debian12-mail", map[string]os.FileMode{"etc/aliases": 0o664}, policy.Default(),
			[]string{"MAIL-FORWARD /home/alice/.forward"}},
	} {
		t.Run(tc.root, func(t *testing.T) {
			dir := mailCopy(t, tc.root, tc.modes)
			c := mailContext(t, dir, tc.pol)
			_, fs := mailFindings(t, c)
			var p remedy.Plan
			for _, f := range fs {
				r, _ := rule.Lookup(f.Rule)
				if r.Fix != nil {
					p.Add(r.Fix(c, f)...)
				}
			}
			mailApplyPlan(t, dir, &p)
			got, _ := mailFindings(t, mailContext(t, dir, tc.pol))
			if diff := cmp.Diff(tc.left, got); diff != "" {
				t.Errorf("after the fixes (-want +got):\n%s", diff)
			}
		})
	}
}

// SVC-SENDMAIL-DAEMON comments the start and, where root has a crontab
// without one, adds the method's queue run to it.
func TestSendmailDaemonFix(t *testing.T) {
	start := `start /usr/lib/sendmail "$src_running" "-bd -q30m"`
	for _, tc := range []struct {
		name    string
		crontab string
		want    bool
	}{
		{"crontab without a queue run", "0 3 * * * /usr/sbin/skulker\n", true},
		{"crontab with a queue run", "0 3 * * * /usr/sbin/skulker\n10,40 * * * * /usr/lib/sendmail -q > /dev/null 2>&1\n", false},
		{"no crontab", "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			files := rcLine(start)
			if tc.crontab != "" {
				files["var/spool/cron/crontabs/root"] = tc.crontab
			}
			c := context(t, files, nil)
			got, fs := outcome(t, "SVC-SENDMAIL-DAEMON", c)
			if got != "fires" || len(fs) != 1 {
				t.Fatalf("SVC-SENDMAIL-DAEMON %s %v", got, fs)
			}
			r, _ := rule.Lookup("SVC-SENDMAIL-DAEMON")
			changes := r.Fix(c, fs[0])
			if len(changes) == 0 || changes[0].Path != "/etc/rc.tcpip" || changes[0].Kind != remedy.KindEdit {
				t.Fatalf("fix does not start with the rc.tcpip edit: %+v", changes)
			}
			var cron *remedy.Change
			for i := range changes {
				if changes[i].Path == "/var/spool/cron/crontabs/root" {
					cron = &changes[i]
				}
			}
			if (cron != nil) != tc.want {
				t.Fatalf("crontab change %+v, want one: %v", cron, tc.want)
			}
			if cron == nil {
				return
			}
			if e := cron.Edits; len(e) != 1 || e[0].Op != remedy.OpAppend || e[0].New[1] != "10,40 * * * * /usr/lib/sendmail -q > /dev/null 2>&1" {
				t.Errorf("crontab edit %+v", cron.Edits)
			}
			// Once made, the host has its queue run and no daemon.
			dir := root(t, files)
			var p remedy.Plan
			p.Add(changes...)
			mailApplyPlan(t, dir, &p)
			c = mailContext(t, dir, policy.Default())
			if got, _ := outcome(t, "SVC-SENDMAIL-DAEMON", c); got != "quiet" || c.Facts.Mail.QueueRun == nil {
				t.Errorf("after the fix: %s, queue run %v", got, c.Facts.Mail.QueueRun)
			}
		})
	}
}

func TestBroadNet(t *testing.T) {
	for in, broad := range map[string]bool{
		"0.0.0.0/0": true, "0/0": true, "[::]/0": true, "::/0": true, "[::ffff:0.0.0.0]/96": true,
		"8.0.0.0/8": true, "4.0.0.0/6": true, "2001:db8::/16": true,
		"10.0.0.0/8": false, "172.16.0.0/12": false, "192.168.0.0/16": false, "192.0.2.0/24": false,
		"127.0.0.0/8": false, "[::1]/128": false, "[fe80::]/10": false, "2001:db8::/48": false,
		"192.0.2.7": false, "hash:/etc/postfix/network_table": false, "/etc/postfix/nets": false,
	} {
		if got := relayBroadNet(in) != ""; got != broad {
			t.Errorf("relayBroadNet(%q) = %q", in, relayBroadNet(in))
		}
	}
	if relayBroadPrefix(netip.MustParsePrefix("10.0.0.0/7")) == "" {
		t.Error("10.0.0.0/7 reaches beyond the private range")
	}
}

func TestBroadRelayName(t *testing.T) {
	for in, broad := range map[string]bool{
		"": true, ".": true, "com": true, "COM.": true, "192": true, "0": true,
		"example.com": false, "localhost": false, "10": false, "10.1": false, "192.168": false,
		"192.0.2": false, "127.0.0.1": false, "IPv6:2001:db8": false, "mail.example.com": false,
	} {
		if got := relayBroadName(in) != ""; got != broad {
			t.Errorf("relayBroadName(%q) = %q", in, relayBroadName(in))
		}
	}
	for in, want := range map[string][3]string{
		"Connect:10.1":           {"connect", "10.1", "true"},
		"To:example.com":         {"to", "example.com", "true"},
		"example.com":            {"", "example.com", "true"},
		"user@example.com":       {"", "user@example.com", "true"},
		"Spam:abuse@":            {"spam", "abuse@", "false"},
		"GreetPause:192.0.2.1":   {"greetpause", "192.0.2.1", "false"},
		"From:spammer@x.example": {"from", "spammer@x.example", "true"},
	} {
		tag, key, ok := sendmailAccessKey(in)
		if tag != want[0] || key != want[1] || (ok && want[2] != "true") || (!ok && want[2] == "true") {
			t.Errorf("sendmailAccessKey(%q) = %q %q %v", in, tag, key, ok)
		}
	}
}

// Postfix relays for anyone only when both restriction lists let a
// stranger through; master.cf -o overrides count for their service.
func TestPostfixRelay(t *testing.T) {
	const master = "smtp inet n - y - - smtpd\n"
	for _, tc := range []struct {
		name, main, master string
		want               []string
	}{
		{"wide mynetworks", "mynetworks = 0.0.0.0/0\n", master, []string{"MAIL-RELAY-OPEN /etc/postfix/main.cf:1"}},
		{"narrow mynetworks", "mynetworks = 127.0.0.0/8 192.0.2.0/24\n", master, nil},
		{"bare permit first", "mynetworks = 127.0.0.0/8\nsmtpd_relay_restrictions = permit, reject_unauth_destination\nsmtpd_recipient_restrictions = permit\n", master,
			[]string{"MAIL-RELAY-OPEN /etc/postfix/main.cf:2"}},
		{"recipient list closes", "mynetworks = 0.0.0.0/0\nsmtpd_recipient_restrictions = reject_unauth_destination\n", master, nil},
		{"empty relay list, permissive recipient list", "mynetworks = 0.0.0.0/0\nsmtpd_relay_restrictions =\nsmtpd_recipient_restrictions = permit_mynetworks, reject_unauth_destination\n", master,
			[]string{"MAIL-RELAY-OPEN /etc/postfix/main.cf:1"}},
		{"old compatibility level", "mynetworks = 0/0\nsmtpd_recipient_restrictions = permit_mynetworks, check_relay_domains\ncompatibility_level = 0\n", master,
			[]string{"MAIL-RELAY-OPEN /etc/postfix/main.cf:1"}},
		{"no restriction that stops relaying", "mynetworks = 0.0.0.0/0\nsmtpd_relay_restrictions = permit_mynetworks\n", master, nil},
		{"override opens one service", "mynetworks = 127.0.0.0/8\n", master + "2525 inet n - y - - smtpd\n  -o mynetworks=0.0.0.0/0\n",
			[]string{"MAIL-RELAY-OPEN /etc/postfix/master.cf:2"}},
		{"override closes one service", "mynetworks = 0.0.0.0/0\n", "submission inet n - y - - smtpd\n  -o smtpd_relay_restrictions=permit_sasl_authenticated,reject\n", nil},
		{"relay_domains with a top-level domain", "relay_domains = example.com, net\n", master, []string{"MAIL-RELAY-OPEN /etc/postfix/main.cf:1"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := context(t, postfixHost(tc.main, tc.master), mailServerPolicy())
			_, fs := outcome(t, "MAIL-RELAY-OPEN", c)
			var got []string
			for _, f := range fs {
				got = append(got, f.Rule+" "+f.Where.String())
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s\n%+v", diff, fs)
			}
			r, _ := rule.Lookup("MAIL-RELAY-OPEN")
			for _, f := range fs {
				changes := r.Fix(c, f)
				if strings.Contains(f.Where.File, "master.cf") && len(changes) != 0 {
					t.Errorf("a fix of an override: %+v", changes)
				}
			}
		})
	}
}

// mailServerPolicy is a policy whose host is a mail server.
func mailServerPolicy() *policy.Policy {
	p := *policy.Default()
	p.Roles = []string{"mail-server"}
	return &p
}

// Postfix findings follow the smtpd services: an override of the banner or
// of VRFY in master.cf counts for its service, a service on loopback is
// local, and only main.cf settings are fixed.
func TestPostfixOverrides(t *testing.T) {
	main := "smtpd_banner = $myhostname ESMTP\ndisable_vrfy_command = yes\n"
	master := "smtp inet n - y - - smtpd\n127.0.0.1:10025 inet n - n - - smtpd\n  -o { smtpd_banner = $myhostname ESMTP $mail_name ($mail_version) }\n  -o disable_vrfy_command=no\n"
	c := context(t, postfixHost(main, master), mailServerPolicy())
	for _, id := range []string{"MAIL-BANNER-VERSION", "MAIL-VRFY"} {
		got, fs := outcome(t, id, c)
		if got != "fires" || len(fs) != 1 || fs[0].Where.String() != "/etc/postfix/master.cf:2" || fs[0].Exposure != rule.Local {
			t.Errorf("%s: %s %+v", id, got, fs)
			continue
		}
		r, _ := rule.Lookup(id)
		if ch := r.Fix(c, fs[0]); len(ch) != 0 {
			t.Errorf("%s: fix of an override %+v", id, ch)
		}
	}
	// Listening: a loopback service does not count.
	c = context(t, postfixHost("inet_interfaces = all\n", "127.0.0.1:smtp inet n - y - - smtpd\n"), nil)
	if got, fs := outcome(t, "MAIL-LISTEN-ALL", c); got != "quiet" {
		t.Errorf("MAIL-LISTEN-ALL with a loopback service: %s %+v", got, fs)
	}
}

// A main.cf setting is replaced where it is last set, continuation lines
// and all, or appended.
func TestPfSet(t *testing.T) {
	c := context(t, postfixHost("mynetworks = 0.0.0.0/0\n    192.0.2.0/24\nbiff = no\nmynetworks = 0/0\n  ::/0\n", ""), nil)
	p := c.Facts.Mail.Postfix
	var plan remedy.Plan
	plan.Add(pfSet(p, "mynetworks", "127.0.0.0/8").For("X", "x"), pfSet(p, "disable_vrfy_command", "yes").For("X", "x"))
	files, err := plan.Files(func(string) ([]byte, error) {
		return []byte(strings.Join(p.Main.Lines, "\n") + "\n"), nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := "mynetworks = 0.0.0.0/0\n    192.0.2.0/24\nbiff = no\nmynetworks = 127.0.0.0/8\ncompatibility_level = 3.6\ndisable_vrfy_command = yes\n"
	if got := string(files[0].After); got != want {
		t.Errorf("main.cf:\n%s\nwant\n%s", got, want)
	}
}

// Sendmail's greeting comes from SmtpGreetingMessage, the old $e macro of
// a cf below level 7, or its built-in default, which shows the version.
func TestSendmailGreeting(t *testing.T) {
	for _, tc := range []struct {
		name, cf string
		fires    bool
		where    string
	}{
		{"option", "V10/Berkeley\nO SmtpGreetingMessage=$j Sendmail $v/$Z; $b\n", true, "/etc/mail/sendmail.cf:2"},
		{"old macro", "V6/Berkeley\nDe$j Sendmail $v ready at $b\n", true, "/etc/mail/sendmail.cf:2"},
		{"old macro hidden", "V6/Berkeley\nDe$j ready at $b\n", false, ""},
		{"default", "V10/Berkeley\nO LogLevel=9\n", true, "/etc/mail/sendmail.cf"},
		{"macro ignored at level 10", "V10/Berkeley\nDe$j ready\n", true, "/etc/mail/sendmail.cf"},
		{"written out", "V10/Berkeley\nO SmtpGreetingMessage=$j Sendmail 8.15.2 ready\n", true, "/etc/mail/sendmail.cf:2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			files := sendmailHost(map[string]string{"SmtpGreetingMessage": "-"}, nil)
			files["etc/mail/sendmail.cf"] = tc.cf
			c := context(t, files, mailServerPolicy())
			got, fs := outcome(t, "MAIL-BANNER-VERSION", c)
			if (got == "fires") != tc.fires || tc.fires && fs[0].Where.String() != tc.where {
				t.Fatalf("%s %+v", got, fs)
			}
			if !tc.fires {
				return
			}
			r, _ := rule.Lookup("MAIL-BANNER-VERSION")
			var p remedy.Plan
			p.Add(r.Fix(c, fs[0])...)
			files2, err := p.Files(func(string) ([]byte, error) { return []byte(tc.cf), nil })
			if err != nil {
				t.Fatal(err)
			}
			if after := string(files2[0].After); sendmailVersionRE.MatchString(after) {
				t.Errorf("after the fix:\n%s", after)
			}
		})
	}
}

// The fixes of sendmail settings change the .mc too, so that a rebuild of
// the cf keeps them, and take promiscuous_relay out of it.
func TestSendmailMC(t *testing.T) {
	mc := "divert(-1)dnl\ninclude(`/usr/share/sendmail-cf/m4/cf.m4')dnl\nOSTYPE(`linux')dnl\ndefine(`confLOG_LEVEL', `5')dnl\ndefine(`confPRIVACY_FLAGS',\n\t`authwarnings,restrictqrun')dnl\nFEATURE(`promiscuous_relay')dnl\nMAILER(smtp)dnl\n"
	cf := "V10/Berkeley\n#####  $Id: promiscuous_relay.m4,v 8.13 2013-11-22 20:51:11 ca Exp $  #####\nO LogLevel=5\nO PrivacyOptions=authwarnings\nO SmtpGreetingMessage=$j Sendmail $v/$Z; $b\nO HelpFile=/etc/mail/helpfile\n"
	files := map[string]string{
		"etc/os-release": "ID=debian\nVERSION_ID=12\n", "etc/services": "smtp 25/tcp\n",
		"usr/lib/systemd/system/sendmail.service":                     "[Service]\nExecStart=/usr/sbin/sendmail-mta -L sm-mta -bd -q10m\n",
		"etc/systemd/system/multi-user.target.wants/sendmail.service": "->/usr/lib/systemd/system/sendmail.service",
		"etc/mail/sendmail.cf":                                        cf, "etc/mail/sendmail.mc": mc, "etc/mail/helpfile": "",
	}
	dir := root(t, files)
	c := mailContext(t, dir, mailServerPolicy())
	var p remedy.Plan
	n := 0
	for _, id := range []string{"MAIL-RELAY-OPEN", "MAIL-BANNER-VERSION", "MAIL-VRFY", "MAIL-SENDMAIL-LOGLEVEL"} {
		got, fs := outcome(t, id, c)
		if got != "fires" {
			t.Errorf("%s: %s", id, got)
		}
		r, _ := rule.Lookup(id)
		for _, f := range fs {
			n++
			p.Add(r.Fix(c, f)...)
		}
	}
	if n != 5 { // the relay at the cf and at the .mc
		t.Errorf("%d findings", n)
	}
	read := func(name string) ([]byte, error) { return os.ReadFile(filepath.Join(dir, name)) }
	fds, steps, err := p.Compile(read)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, f := range fds {
		got[f.Path] = string(f.After)
	}
	wantMC := "divert(-1)dnl\ninclude(`/usr/share/sendmail-cf/m4/cf.m4')dnl\nOSTYPE(`linux')dnl\ndefine(`confLOG_LEVEL', `9')dnl\ndefine(`confPRIVACY_FLAGS',\n\t`authwarnings,restrictqrun')dnl\n" +
		"define(`confPRIVACY_FLAGS', `authwarnings,restrictqrun,goaway')dnl\ndnl FEATURE(`promiscuous_relay')dnl\n" +
		"define(`confSMTP_LOGIN_MSG', `$j Mail Server Ready; $b')dnl\nMAILER(smtp)dnl\n"
	if diff := cmp.Diff(wantMC, got["/etc/mail/sendmail.mc"]); diff != "" {
		t.Errorf("sendmail.mc (-want +got):\n%s", diff)
	}
	wantCF := "V10/Berkeley\n#####  $Id: promiscuous_relay.m4,v 8.13 2013-11-22 20:51:11 ca Exp $  #####\nO LogLevel=9\nO PrivacyOptions=authwarnings,goaway\nO SmtpGreetingMessage=$j Mail Server Ready; $b\nO HelpFile=/etc/mail/helpfile\n"
	if diff := cmp.Diff(wantCF, got["/etc/mail/sendmail.cf"]); diff != "" {
		t.Errorf("sendmail.cf (-want +got):\n%s", diff)
	}
	var cmds []string
	for _, s := range steps {
		cmds = append(cmds, strings.Join(s.Argv, " "))
	}
	if diff := cmp.Diff([]string{"make -C /etc/mail", "systemctl restart sendmail"}, cmds); diff != "" {
		t.Errorf("commands (-want +got):\n%s", diff)
	}
}

// The help file: emptied when it has text, created empty when HelpFile
// names a file that is missing; without HelpFile, HELP shows the version
// and there is no safe fix.
func TestSendmailHelp(t *testing.T) {
	missing := sendmailHost(nil, nil)
	delete(missing, "etc/mail/helpfile")
	for _, tc := range []struct {
		name  string
		files map[string]string
		where string
		fix   remedy.Kind
	}{
		{"text", sendmailHost(nil, map[string]string{"etc/mail/helpfile": "smtp\tThis is sendmail version $v\nhelp\tHELP [ <topic> ]\n"}), "/etc/mail/helpfile", remedy.KindEdit},
		{"missing", missing, "/etc/mail/sendmail.cf:5", remedy.KindCreate},
		{"no HelpFile", sendmailHost(map[string]string{"HelpFile": "-"}, nil), "/etc/mail/sendmail.cf", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := root(t, tc.files)
			c := mailContext(t, dir, mailServerPolicy())
			got, fs := outcome(t, "MAIL-SENDMAIL-HELP", c)
			if got != "fires" || fs[0].Where.String() != tc.where {
				t.Fatalf("%s %+v", got, fs)
			}
			r, _ := rule.Lookup("MAIL-SENDMAIL-HELP")
			changes := r.Fix(c, fs[0])
			if tc.fix == "" {
				if len(changes) != 0 {
					t.Errorf("a fix without a help file: %+v", changes)
				}
				return
			}
			if len(changes) != 1 || changes[0].Kind != tc.fix || changes[0].Path != "/etc/mail/helpfile" {
				t.Fatalf("changes %+v", changes)
			}
			var p remedy.Plan
			p.Add(changes...)
			mailApplyPlan(t, dir, &p)
			if data, err := os.ReadFile(filepath.Join(dir, "etc/mail/helpfile")); err != nil || len(data) != 0 {
				t.Errorf("help file after the fix: %q %v", data, err)
			}
			if got, _ := outcome(t, "MAIL-SENDMAIL-HELP", mailContext(t, dir, mailServerPolicy())); got != "quiet" {
				t.Errorf("after the fix: %s", got)
			}
		})
	}
}

// The mail log files are those the syslog rules name the mail facility
// for; their mode is fixed to what LOG-FILE-READABLE asks when others may
// read them, so that the two fixes agree.
func TestMailLogPerms(t *testing.T) {
	for _, tc := range []struct {
		conf, mode string
		want       fs.FileMode
	}{
		{"mail.info /var/adm/mail.log\n", "<0666>", 0o640},
		{"mail.info /var/adm/mail.log\n", "<0620>", 0o600},
		{"mail,news.* /var/adm/mail.log\n", "<0660>", 0o640},
		{"*.info;mail.none /var/adm/mail.log\n", "<0666>", 0},
	} {
		c := context(t, aixLog("", tc.conf, "var/adm/mail.log", tc.mode), nil)
		got, fs := outcome(t, "MAIL-LOG-PERMS", c)
		if tc.want == 0 {
			if got != "quiet" {
				t.Errorf("%q: %s %+v", tc.conf, got, fs)
			}
			continue
		}
		if got != "fires" {
			t.Fatalf("%q %s: %s", tc.conf, tc.mode, got)
		}
		r, _ := rule.Lookup("MAIL-LOG-PERMS")
		var p remedy.Plan
		p.Add(r.Fix(c, fs[0])...)
		if tc.mode == "<0666>" {
			l, _ := rule.Lookup("LOG-FILE-READABLE")
			_, lfs := outcome(t, "LOG-FILE-READABLE", c)
			for _, f := range lfs {
				p.Add(l.Fix(c, f)...)
			}
		}
		_, steps, err := p.Compile(func(string) ([]byte, error) { return nil, errors.New("no file edits expected") })
		if err != nil {
			t.Fatalf("%q %s: %v", tc.conf, tc.mode, err)
		}
		if len(steps) != 1 || steps[0].Mode != tc.want {
			t.Errorf("%q %s: steps %+v", tc.conf, tc.mode, steps)
		}
	}
	// Owners: root's, unless the syslog configuration gives the file to
	// the daemon's own user.
	if os.Geteuid() == 0 {
		for conf, want := range map[string]string{
			"mail.* /var/log/mail.log\n":                    "fires",
			"$FileOwner syslog\nmail.* /var/log/mail.log\n": "quiet",
		} {
			dir := root(t, map[string]string{"etc/os-release": "ID=debian\n", "etc/rsyslog.conf": conf, "var/log/mail.log": "<0640>"})
			if err := os.Chown(filepath.Join(dir, "var/log/mail.log"), 104, 4); err != nil {
				t.Fatal(err)
			}
			c := mailContext(t, dir, policy.Default())
			got, fs := outcome(t, "MAIL-LOG-PERMS", c)
			if got != want {
				t.Errorf("%q: %s %+v", conf, got, fs)
				continue
			}
			if got == "fires" {
				r, _ := rule.Lookup("MAIL-LOG-PERMS")
				if ch := r.Fix(c, fs[0]); len(ch) != 1 || ch[0].Kind != remedy.KindChown || ch[0].Owner != "root" {
					t.Errorf("fix %+v", ch)
				}
			}
		}
	}
	if !namesMail("mail.info") || !namesMail("auth.info;mail,news.err") || namesMail("*.info;mail.none") || namesMail("*.err") || !namesMail("filter(f_mail)") {
		t.Error("namesMail")
	}
}
