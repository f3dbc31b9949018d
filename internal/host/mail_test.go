package host

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"bastion/internal/target"
)

// openFixture builds the facts of a fixture root.
func openFixture(t *testing.T, root string) *Facts {
	t.Helper()
	tg, err := target.Open(filepath.Join("..", "..", "testdata", "roots", root))
	if err != nil {
		t.Fatal(err)
	}
	defer tg.Close()
	return buildTarget(t, tg)
}

// mailGaps returns the gaps of the mail set-up as "path:line: reason".
func mailGaps(f *Facts) []string {
	var out []string
	for _, g := range f.Gaps {
		switch g.What {
		case whatMail, whatAliases, whatForward, whatRootCrontab, whatMailOwners:
			out = append(out, Source{File: g.Path, Line: g.Line}.String()+": "+g.Reason)
		}
	}
	return out
}

// keys lists the keys of mail entries as "file:line key".
func keys(es []MailEntry) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.Source.String()+" "+e.Key)
	}
	return out
}

// The AIX mail host: sendmail started with -bd from rc.tcpip, its cf with
// relay domains and access map, the help file, the aliases, alice's
// .forward and root's crontab.
func TestMailAIXFixture(t *testing.T) {
	f := openFixture(t, "aix72-mail")
	m := f.Mail
	if m.MTA != MTASendmail || m.Started != AnswerYes || m.Receives != AnswerYes {
		t.Fatalf("mta %q started %s receives %s (%s)", m.MTA, m.Started, m.Receives, m.Note)
	}
	if diff := cmp.Diff([]Source{{File: "/etc/rc.tcpip", Line: 14}}, m.StartedBy); diff != "" {
		t.Errorf("started by (-want +got):\n%s", diff)
	}
	s := m.Sendmail
	if s.CF == nil || s.CFPath != "/etc/mail/sendmail.cf" || !s.CF.HasFeature("promiscuous_relay") {
		t.Fatalf("cf %s %+v", s.CFPath, s.Problem)
	}
	if diff := cmp.Diff([]string{"/etc/mail/relay-domains:2 example.com", "/etc/mail/relay-domains:3 10.1", "/etc/mail/relay-domains:4 com"}, keys(s.RelayDomains)); diff != "" {
		t.Errorf("relay domains (-want +got):\n%s", diff)
	}
	if !s.AccessMap || s.AccessPath != "/etc/mail/access" || len(s.Access) != 6 || s.Access[4].Key != "Connect:192" || s.Access[4].Value != "RELAY" || s.Access[4].Source.Line != 7 {
		t.Errorf("access %v %s %+v", s.AccessMap, s.AccessPath, s.Access)
	}
	if h := s.Help; h == nil || h.Path != "/etc/mail/helpfile" || !h.Exists || h.Size == 0 || len(s.HelpLines) != 30 || s.HelpSource.Line != 96 {
		t.Errorf("help %+v %v, %d lines", h, s.HelpSource, len(s.HelpLines))
	}
	if len(m.Aliases) != 1 || m.Aliases[0].Path != "/etc/mail/aliases" || m.Aliases[0].Dir != "/etc/mail" || !m.Aliases[0].Exists {
		t.Errorf("aliases %+v", m.Aliases)
	}
	if !m.HomesRead || len(m.Forwards) != 1 || m.Forwards[0].Path != "/home/alice/.forward" || m.Forwards[0].User != "alice" {
		t.Errorf("forwards %v %+v", m.HomesRead, m.Forwards)
	}
	if m.RootCrontab != "/var/spool/cron/crontabs/root" || m.QueueRun != nil {
		t.Errorf("root crontab %q, queue run %v", m.RootCrontab, m.QueueRun)
	}
	if g := mailGaps(f); len(g) != 0 {
		t.Errorf("gaps %v", g)
	}
	h := openFixture(t, "aix72-mail-hardened").Mail
	if h.Sendmail.Help == nil || h.Sendmail.Help.Size != 0 || len(h.Forwards) != 0 || h.Sendmail.CF.HasFeature("promiscuous_relay") {
		t.Errorf("hardened: help %+v, forwards %+v", h.Sendmail.Help, h.Forwards)
	}
}

// The Debian mail host: postfix's master started by its unit, main.cf
// and master.cf with two smtpd services.
func TestMailDebianFixture(t *testing.T) {
	f := openFixture(t, "debian12-mail")
	m := f.Mail
	if m.MTA != MTAPostfix || m.Started != AnswerYes || m.Receives != AnswerYes {
		t.Fatalf("mta %q started %s receives %s (%s)", m.MTA, m.Started, m.Receives, m.Note)
	}
	p := m.Postfix
	if p.Main == nil || p.Master == nil {
		t.Fatalf("postfix %+v", p)
	}
	var svcs []string
	for _, s := range p.SMTPD {
		svcs = append(svcs, s.Service+"/"+s.Type)
	}
	if diff := cmp.Diff([]string{"smtp/inet", "submission/inet"}, svcs); diff != "" {
		t.Errorf("smtpd services (-want +got):\n%s", diff)
	}
	if v, _ := p.Main.Value("mynetworks"); v != "0.0.0.0/0" {
		t.Errorf("mynetworks %q", v)
	}
	if len(m.Aliases) != 1 || m.Aliases[0].Path != "/etc/aliases" {
		t.Errorf("aliases %+v", m.Aliases)
	}
	if len(m.Forwards) != 1 || m.Forwards[0].Path != "/home/alice/.forward" {
		t.Errorf("forwards %+v", m.Forwards)
	}
	if g := mailGaps(f); len(g) != 0 {
		t.Errorf("gaps %v", g)
	}
}

// How the mail transfer agent is chosen, and whether it takes mail from
// the network.
func TestMailChoice(t *testing.T) {
	aix := func(rc string, extra map[string]string) map[string]string {
		files := map[string]string{
			"etc/inittab":  "init:2:initdefault:\nrctcpip:2:wait:/etc/rc.tcpip\n",
			"etc/rc.tcpip": rc + "\n",
			"etc/passwd":   "root:!:0:0::/:/usr/bin/ksh\n",
		}
		for k, v := range extra {
			files[k] = v
		}
		return files
	}
	cf := map[string]string{"etc/mail/sendmail.cf": "V10/Berkeley\nO LogLevel=9\n"}
	debian := func(unit, exec string, extra map[string]string) map[string]string {
		files := map[string]string{
			"etc/os-release":                 "ID=debian\nVERSION_ID=12\n",
			"etc/passwd":                     "root:x:0:0:root:/root:/bin/bash\n",
			"usr/lib/systemd/system/" + unit: "[Service]\nExecStart=" + exec + "\n",
			"etc/systemd/system/multi-user.target.wants/" + unit: "->/usr/lib/systemd/system/" + unit,
		}
		for k, v := range extra {
			files[k] = v
		}
		return files
	}
	for _, tc := range []struct {
		name              string
		files             map[string]string
		mta               string
		started, receives Answer
	}{
		{"sendmail -bd", aix(`start /usr/lib/sendmail "$src_running" "-bd -q30m"`, cf), MTASendmail, AnswerYes, AnswerYes},
		{"sendmail queue only", aix(`start /usr/lib/sendmail "$src_running" "-q30m"`, cf), MTASendmail, AnswerYes, AnswerNo},
		{"sendmail commented", aix(`#start /usr/lib/sendmail "$src_running" "-bd -q30m"`, cf), MTASendmail, AnswerNo, AnswerNo},
		{"sendmail.cf alone", aix(`start /usr/sbin/inetd "$src_running"`, cf), MTASendmail, AnswerUnknown, AnswerUnknown},
		{"nothing", aix(`start /usr/sbin/inetd "$src_running"`, nil), "", AnswerUnknown, AnswerUnknown},
		{"postfix", debian("postfix.service", "/usr/lib/postfix/sbin/master", map[string]string{
			"etc/postfix/main.cf": "inet_interfaces = all\n", "etc/postfix/master.cf": "smtp inet n - y - - smtpd\n"}), MTAPostfix, AnswerYes, AnswerYes},
		{"postfix without smtpd", debian("postfix.service", "/usr/lib/postfix/sbin/master", map[string]string{
			"etc/postfix/main.cf": "inet_interfaces = all\n", "etc/postfix/master.cf": "#smtp inet n - y - - smtpd\npickup unix n - y 60 1 pickup\n"}), MTAPostfix, AnswerYes, AnswerNo},
		{"postfix without master.cf", debian("postfix@-.service", "/usr/sbin/postmulti -i - -p start", map[string]string{
			"etc/postfix/main.cf": "inet_interfaces = all\n"}), MTAPostfix, AnswerYes, AnswerYes},
		{"exim", debian("exim4.service", "/usr/sbin/exim4 -bd -q30m", map[string]string{
			EximDebconfPath[1:]: "dc_eximconfig_configtype='internet'\ndc_local_interfaces=''\ndc_relay_nets='192.0.2.0/24 ; 0.0.0.0/0'\n"}), MTAExim, AnswerYes, AnswerYes},
		{"sendmail with arguments in a variable", debian("sendmail.service", "/usr/sbin/sendmail-mta $DAEMON_ARGS", map[string]string{
			"etc/mail/sendmail.cf": "V10/Berkeley\n"}), MTASendmail, AnswerYes, AnswerUnknown},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := build(t, tc.files).Mail
			if m.MTA != tc.mta || m.Started != tc.started || m.Receives != tc.receives {
				t.Errorf("mta %q started %s receives %s, want %q %s %s (%s)", m.MTA, m.Started, m.Receives, tc.mta, tc.started, tc.receives, m.Note)
			}
		})
	}
	m := build(t, debian("exim4.service", "/usr/sbin/exim4 -bd", map[string]string{
		EximDebconfPath[1:]: "# written by debconf\ndc_local_interfaces='127.0.0.1 ; ::1'\ndc_relay_nets=''\n"})).Mail
	if x := m.Exim; x == nil || x.Fields["dc_local_interfaces"] != "127.0.0.1 ; ::1" || x.Lines["dc_relay_nets"] != 3 || len(x.Text) != 3 {
		t.Errorf("exim %+v", x)
	}
	if p := build(t, debian("postfix.service", "/usr/lib/postfix/sbin/master", map[string]string{"etc/postfix/main.cf": ""})).Mail.Postfix; len(p.SMTPD) != 1 || p.SMTPD[0].Service != "smtp" || p.Master != nil {
		t.Errorf("postfix without master.cf: %+v", p)
	}
}

// A sendmail -q job in root's crontab is found, with its line.
func TestMailQueueRun(t *testing.T) {
	for crontab, line := range map[string]int{
		"0 3 * * * /usr/sbin/skulker\n10,40 * * * * /usr/lib/sendmail -q > /dev/null 2>&1\n": 2,
		"*/15 * * * * sendmail -oi -q15m\n":                                                  1,
		"0 3 * * * /usr/sbin/skulker\n# 10,40 * * * * /usr/lib/sendmail -q\n":                0,
		"0 * * * * /usr/sbin/sendmail-queue-report\n":                                        0,
	} {
		m := build(t, map[string]string{
			"etc/inittab": "init:2:initdefault:\n", "var/spool/cron/crontabs/root": crontab,
		}).Mail
		got := 0
		if m.QueueRun != nil {
			got = m.QueueRun.Line
		}
		if m.RootCrontab != "/var/spool/cron/crontabs/root" || got != line {
			t.Errorf("%q: crontab %q, queue run at %d, want %d", crontab, m.RootCrontab, got, line)
		}
	}
}

// On Linux a queue run may come with the sendmail package, in /etc/cron.d.
func TestMailQueueRunSystem(t *testing.T) {
	m := build(t, map[string]string{
		"etc/os-release":               "ID=debian\n",
		"var/spool/cron/crontabs/root": "0 3 * * * /usr/local/sbin/backup\n",
		"etc/cron.d/sendmail":          "*/20 * * * * smmsp test -x /etc/init.d/sendmail && /usr/share/sendmail/sendmail cron-msp\n10,40 * * * * root /usr/sbin/sendmail -q\n",
	}).Mail
	if m.RootCrontab != "/var/spool/cron/crontabs/root" || m.QueueRun == nil || *m.QueueRun != (Source{File: "/etc/cron.d/sendmail", Line: 2}) {
		t.Errorf("root crontab %q, queue run %v", m.RootCrontab, m.QueueRun)
	}
}

// Where the help file, the cf, the passwd or an aliases file cannot be
// read, the gap says so and the model says what it lacks.
func TestMailGaps(t *testing.T) {
	f := build(t, map[string]string{
		"etc/inittab":      "init:2:initdefault:\nrctcpip:2:wait:/etc/rc.tcpip\n",
		"etc/rc.tcpip":     "start /usr/lib/sendmail \"$src_running\" \"-bd -q30m\"\n",
		"etc/aliases":      "->/etc/aliases",
		"etc/mail/aliases": "root: alice\n",
	})
	m := f.Mail
	if m.Sendmail.CF != nil || !strings.Contains(m.Sendmail.Problem, "not there") {
		t.Errorf("sendmail %+v", m.Sendmail)
	}
	if len(m.Aliases) != 2 || m.Aliases[0].Path != "/etc/mail/aliases" || m.Aliases[1].Problem == "" {
		t.Errorf("aliases %+v", m.Aliases)
	}
	if m.HomesRead {
		t.Error("homes read without /etc/passwd")
	}
	all := strings.Join(mailGaps(f), "\n")
	for _, want := range []string{"/etc/mail/sendmail.cf: not there", "/etc/passwd: not there", "/etc/aliases:"} {
		if !strings.Contains(all, want) {
			t.Errorf("gaps lack %q:\n%s", want, all)
		}
	}
	// A link to a file already looked at is not looked at twice.
	m = build(t, map[string]string{"etc/inittab": "init:2:initdefault:\n", "etc/aliases": "->/etc/mail/aliases", "etc/mail/aliases": "x: y\n"}).Mail
	if len(m.Aliases) != 1 {
		t.Errorf("aliases through a link: %+v", m.Aliases)
	}
}

// Owners count only when the root directory belongs to root: a copy made
// without keeping owners has every file owned by whoever made it.
func TestMailOwnersKnown(t *testing.T) {
	tg := tree(t, map[string]string{"etc/inittab": "init:2:initdefault:\n", "etc/mail/aliases": "root: alice\n"})
	chmod(t, tg, "etc/mail/aliases", 0o666)
	f := buildTarget(t, tg)
	if got, want := f.Mail.OwnersKnown, os.Geteuid() == 0; got != want {
		t.Errorf("owners known %v, want %v", got, want)
	}
	a := f.Mail.Aliases
	if len(a) != 1 || a[0].Mode.Perm() != 0o666 || a[0].UID != os.Geteuid() || a[0].DirUID != os.Geteuid() || a[0].Real != "/etc/mail/aliases" {
		t.Errorf("aliases %+v", a)
	}
	if !f.Mail.OwnersKnown && len(gapsFor(f, whatMailOwners)) != 1 {
		t.Errorf("no gap for unknown owners: %v", f.Gaps)
	}
}
