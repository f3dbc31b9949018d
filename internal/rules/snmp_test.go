package rules

import (
	"bytes"
	stdcontext "context"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"bastion/internal/audit"
	"bastion/internal/host"
	"bastion/internal/inventory"
	"bastion/internal/policy"
	"bastion/internal/remedy"
	"bastion/internal/report"
	"bastion/internal/rule"
	"bastion/internal/target"
)

// snmpAIX is an AIX root whose rc.tcpip starts snmpd, with /usr/sbin/snmpd
// a link to agent, and more files (name, content pairs).
func snmpAIX(agent string, files ...string) map[string]string {
	m := aix(map[string]string{
		"etc/rc.tcpip":   "start /usr/sbin/inetd \"$src_running\"\nstart /usr/sbin/snmpd \"$src_running\"\n",
		"usr/sbin/snmpd": "->/usr/sbin/" + agent,
	})
	for i := 0; i+1 < len(files); i += 2 {
		m[files[i]] = files[i+1]
	}
	return m
}

// snmpDebian is a Debian root whose systemd starts net-snmp's snmpd with
// /etc/snmp/snmpd.conf holding conf.
func snmpDebian(conf string) map[string]string {
	return map[string]string{
		"etc/os-release": "ID=debian\nVERSION_ID=12\n", "etc/services": "snmp 161/udp\n",
		"usr/lib/systemd/system/snmpd.service": "[Service]\nExecStart=/usr/sbin/snmpd -LOw -u Debian-snmp -g Debian-snmp -I -smux,mteTrigger -f -p /run/snmpd.pid\n" +
			"[Install]\nWantedBy=multi-user.target\n",
		"etc/systemd/system/multi-user.target.wants/snmpd.service": "->/usr/lib/systemd/system/snmpd.service",
		"etc/snmp/snmpd.conf": conf,
	}
}

func init() {
	const (
		v3Public     = "COMMUNITY public public noAuthNoPriv 0.0.0.0 0.0.0.0 -\n"
		v3Restricted = "COMMUNITY Hq7Vd3Rw9Lm2Xs8K Hq7Vd3Rw9Lm2Xs8K noAuthNoPriv 10.20.30.5 255.255.255.255 -\n"
	)
	for id, tc := range map[string]struct{ fires, quiet, undecided map[string]string }{
		"SNMP-COMMUNITY-DEFAULT": {
			snmpAIX("snmpdv3ne", "etc/snmpdv3.conf", v3Public),
			snmpAIX("snmpdv3ne", "etc/snmpdv3.conf", v3Restricted),
			snmpAIX("snmpdv3ne", "etc/snmpdv3.conf", "<dir>"),
		},
		"SNMP-WRITE-ANY": {
			snmpAIX("snmpdv1", "etc/snmpd.conf", "community Wq8Zt3Lm5Rx2 0.0.0.0 0.0.0.0 readWrite\n"),
			snmpAIX("snmpdv1", "etc/snmpd.conf", "community Wq8Zt3Lm5Rx2 0.0.0.0 0.0.0.0 readOnly\n"),
			snmpAIX("snmpdv1", "etc/snmpd.conf", "<dir>"),
		},
		"SNMP-WRITE-NOAUTH": {
			snmpDebian("rwuser scripts noauth\n"),
			snmpDebian("rwuser scripts authpriv\n"),
			snmpDebian("<dir>"),
		},
		"SNMP-CONF-MODE": {
			snmpDebian("agentaddress 127.0.0.1\n"),
			snmpDebian("<0600>agentaddress 127.0.0.1\n"),
			snmpDebian("<dir>"),
		},
		"SNMP-MIB-MODE": {
			snmpAIX("snmpdv3ne", "etc/snmpdv3.conf", "<0600>"+v3Restricted, "etc/mib.defs", "iso 1\n"),
			snmpAIX("snmpdv3ne", "etc/snmpdv3.conf", "<0600>"+v3Restricted, "etc/mib.defs", "<0640>iso 1\n"),
			snmpAIX("snmpdv3ne", "etc/snmpdv3.conf", "<0600>"+v3Restricted, "etc/mib.defs", "<dir>"),
		},
	} {
		cases[id] = ruleCase{fires: tc.fires, quiet: tc.quiet, undecided: tc.undecided}
	}
}

// snmpRoots are the fixture roots with SNMP agents, and the modes their
// files have on a host (git keeps only the executable bit).
var snmpRoots = map[string]map[string]fs.FileMode{
	"aix72-mail":             {"etc/snmpd.conf": 0o644, "etc/snmpdv3.conf": 0o644, "etc/mib.defs": 0o644},
	"aix72-mail-hardened":    {"etc/snmpd.conf": 0o600, "etc/snmpdv3.conf": 0o600, "etc/mib.defs": 0o640},
	"debian12-mail":          {"etc/snmp/snmpd.conf": 0o644, "etc/snmp/snmpd.conf.d/monitoring.conf": 0o600},
	"debian12-mail-hardened": {"etc/snmp/snmpd.conf": 0o600},
}

// snmpCommunities are the communities written in the fixtures: none may
// be shown in full.
var snmpCommunities = []string{"public", "private", "system", "opsW8rite77", "Tr8vQ2pLx5Wd", "Hq7Vd3Rw9Lm2Xs8KpT4n", "gated_password"}

// snmpCopyRoot copies a fixture root into a temporary directory, links kept,
// and gives its SNMP files the modes of snmpRoots.
func snmpCopyRoot(t *testing.T, name string) string {
	t.Helper()
	src := filepath.Join("..", "..", "testdata", "roots", name)
	dst := t.TempDir()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		out := filepath.Join(dst, rel)
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			l, err := os.Readlink(p)
			if err != nil {
				return err
			}
			return os.Symlink(l, out)
		case d.IsDir():
			return os.MkdirAll(out, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(out, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	for f, mode := range snmpRoots[name] {
		if err := os.Chmod(filepath.Join(dst, f), mode); err != nil {
			t.Fatal(err)
		}
	}
	return dst
}

// snmpPolicy loads the fixtures' policy.
func snmpPolicy(t *testing.T) *policy.Policy {
	t.Helper()
	p, err := policy.LoadFile(filepath.Join("..", "..", "testdata", "policies", "mailhost.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// snmpHostContext builds the host model of a root directory.
func snmpHostContext(t *testing.T, dir string, pol *policy.Policy) *rule.Context {
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
	return &rule.Context{Facts: f, Inventory: inventory.Build(f, tg.String()), Policy: pol}
}

// snmpFindings runs the SNMP rules and renders each finding as
// "RULE file:line exposure".
func snmpFindings(t *testing.T, c *rule.Context) ([]string, []rule.Finding) {
	t.Helper()
	var out []string
	var all []rule.Finding
	for _, r := range rule.All() {
		if !strings.HasPrefix(r.ID, "SNMP-") || !r.AppliesTo(c.Facts.Platform.OS) {
			continue
		}
		rep := rule.NewReport(r)
		if err := r.Check(c, rep); err != nil {
			t.Errorf("%s: %v", r.ID, err)
		}
		for _, f := range rep.Findings() {
			out = append(out, f.Rule+" "+f.Where.String()+" "+string(f.Exposure))
			all = append(all, f)
		}
	}
	sort.Strings(out)
	return out, all
}

// The problem twins have each SNMP problem found at its file and line,
// with the exposure of the agent that reads it; the hardened twins have
// none.
func TestSNMPFixtures(t *testing.T) {
	pol := snmpPolicy(t)
	want := map[string][]string{
		"aix72-mail": {
			// snmpdv1 does not run: /usr/sbin/snmpd links to snmpdv3ne.
			"SNMP-COMMUNITY-DEFAULT /etc/snmpd.conf:13 dormant",
			"SNMP-COMMUNITY-DEFAULT /etc/snmpd.conf:14 dormant",
			"SNMP-COMMUNITY-DEFAULT /etc/snmpd.conf:15 dormant",
			"SNMP-WRITE-ANY /etc/snmpd.conf:14 dormant",
			// snmpdv3ne runs and listens on every interface.
			"SNMP-COMMUNITY-DEFAULT /etc/snmpdv3.conf:25 public",
			"SNMP-WRITE-ANY /etc/snmpdv3.conf:26 public",
			"SNMP-WRITE-NOAUTH /etc/snmpdv3.conf:17 public",
			"SNMP-CONF-MODE /etc/snmpd.conf host",
			"SNMP-CONF-MODE /etc/snmpdv3.conf host",
			"SNMP-MIB-MODE /etc/mib.defs host",
		},
		"debian12-mail": {
			// No agentAddress: every interface.
			"SNMP-COMMUNITY-DEFAULT /etc/snmp/snmpd.conf:19 public",
			"SNMP-COMMUNITY-DEFAULT /etc/snmp/snmpd.conf:20 public",
			"SNMP-WRITE-ANY /etc/snmp/snmpd.conf:20 public",
			"SNMP-WRITE-ANY /etc/snmp/snmpd.conf.d/monitoring.conf:2 public",
			"SNMP-WRITE-NOAUTH /etc/snmp/snmpd.conf.d/monitoring.conf:8 public",
			"SNMP-CONF-MODE /etc/snmp/snmpd.conf host",
		},
		"aix72-mail-hardened":    nil,
		"debian12-mail-hardened": nil,
	}
	for name, w := range want {
		t.Run(name, func(t *testing.T) {
			c := snmpHostContext(t, snmpCopyRoot(t, name), pol)
			got, fs := snmpFindings(t, c)
			sort.Strings(w)
			if diff := cmp.Diff(w, got); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
			for _, f := range fs {
				if f.Service != "snmp" || f.Found == "" || f.Expected == "" {
					t.Errorf("incomplete finding %+v", f)
				}
			}
		})
	}
	// The findings on a file say which agent reads it and whether it runs.
	c := snmpHostContext(t, snmpCopyRoot(t, "aix72-mail"), pol)
	_, fs := snmpFindings(t, c)
	for _, f := range fs {
		switch f.Where.File {
		case "/etc/snmpd.conf":
			if f.Where.Line > 0 && !strings.Contains(f.Found, "snmpdv1 reads this file but is not started (/usr/sbin/snmpd links to /usr/sbin/snmpdv3ne)") {
				t.Errorf("v1 finding does not say the file is not in use: %s", f.Found)
			}
		case "/etc/snmpdv3.conf":
			if f.Where.Line > 0 && !strings.Contains(f.Found, "snmpdv3 reads this file and is started") {
				t.Errorf("v3 finding does not say the file is in use: %s", f.Found)
			}
		}
	}
}

// snmpVocabulary are words of bastion's own output that are also
// communities: an exposure is "public".
var snmpVocabulary = regexp.MustCompile(`exposure public|"exposure": "public"`)

// snmpLeaks returns the lines of out that show a community in full, as a
// word of its own.
func snmpLeaks(out string, communities []string) []string {
	out = snmpVocabulary.ReplaceAllString(out, "")
	var bad []string
	for _, com := range communities {
		re := regexp.MustCompile(`(^|[^A-Za-z0-9_])` + regexp.QuoteMeta(com) + `($|[^A-Za-z0-9_])`)
		for _, l := range strings.Split(out, "\n") {
			if re.MatchString(l) {
				bad = append(bad, com+": "+l)
			}
		}
	}
	return bad
}

// No output of an audit or of its plan shows a community in full: the
// text and JSON reports, the findings, gaps and reasons, and the diff
// apart from the file lines it removes or comments out.
func TestSNMPSecretsNotShown(t *testing.T) {
	pol := snmpPolicy(t)
	for name := range snmpRoots {
		t.Run(name, func(t *testing.T) {
			dir := snmpCopyRoot(t, name)
			c := snmpHostContext(t, dir, pol)
			res := audit.Run(stdcontext.Background(), c, audit.Options{})
			var text, js bytes.Buffer
			if err := report.Audit(&text, res, report.Options{}); err != nil {
				t.Fatal(err)
			}
			if err := report.JSON(&js, res); err != nil {
				t.Fatal(err)
			}
			// "system" is a word of other rules' output; the other
			// communities may appear nowhere.
			common := []string{"system"}
			words := []string{}
			for _, com := range snmpCommunities {
				if com != "system" {
					words = append(words, com)
				}
			}
			for _, l := range snmpLeaks(text.String()+js.String(), words) {
				t.Errorf("community in the report: %s", l)
			}
			// The SNMP findings' own texts show none, "system" included.
			for _, f := range res.Findings {
				if !strings.HasPrefix(f.Rule, "SNMP-") {
					continue
				}
				for _, l := range snmpLeaks(f.Found+"\n"+f.Expected+"\n"+f.Fix+"\n"+f.Title, append(words, common...)) {
					t.Errorf("community in %s: %s", f.Rule, l)
				}
			}
			if !strings.HasSuffix(name, "-hardened") && !strings.Contains(text.String(), "(6 characters)") {
				t.Errorf("no redacted community in the report:\n%s", text.String())
			}
			// The plan: reasons, commands and the lines it adds.
			plan := &remedy.Plan{}
			for _, f := range res.Findings {
				if r, ok := rule.Lookup(f.Rule); ok && r.Fix != nil && strings.HasPrefix(f.Rule, "SNMP-") {
					plan.Add(r.Fix(c, f.Finding)...)
				}
			}
			for _, ch := range plan.Changes {
				for _, l := range snmpLeaks(ch.Reason+"\n"+strings.Join(ch.Argv, " "), append(words, common...)) {
					t.Errorf("community in a change: %s", l)
				}
			}
			var diff bytes.Buffer
			read := func(p string) ([]byte, error) { return os.ReadFile(filepath.Join(dir, p)) }
			if err := plan.WriteDiff(&diff, read); err != nil {
				t.Fatal(err)
			}
			removed := map[string]bool{}
			for _, l := range strings.Split(diff.String(), "\n") {
				if strings.HasPrefix(l, "-") && !strings.HasPrefix(l, "---") {
					removed[l[1:]] = true
				}
			}
			for _, l := range strings.Split(diff.String(), "\n") {
				switch {
				case strings.HasPrefix(l, "#"):
					// Comments of the diff: the commands and why.
				case strings.HasPrefix(l, "+") && !strings.HasPrefix(l, "+++"):
					if removed[strings.TrimPrefix(l[1:], "#")] {
						continue // a line commented out: the file's own text
					}
				default:
					continue // the file's own lines, as they are
				}
				for _, b := range snmpLeaks(l, append(words, common...)) {
					t.Errorf("community in the diff: %s", b)
				}
			}
		})
	}
}

// The plan for each problem twin, applied, leaves a host without default
// communities or write access for anyone, and with tight modes.
func TestSNMPFixApplied(t *testing.T) {
	pol := snmpPolicy(t)
	for _, name := range []string{"aix72-mail", "debian12-mail"} {
		t.Run(name, func(t *testing.T) {
			dir := snmpCopyRoot(t, name)
			c := snmpHostContext(t, dir, pol)
			_, fs := snmpFindings(t, c)
			plan := &remedy.Plan{}
			for _, f := range fs {
				r, _ := rule.Lookup(f.Rule)
				plan.Add(r.Fix(c, f)...)
			}
			read := func(p string) ([]byte, error) { return os.ReadFile(filepath.Join(dir, p)) }
			files, steps, err := plan.Compile(read)
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range files {
				if err := os.WriteFile(filepath.Join(dir, d.Path), d.After, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			for _, ch := range plan.Changes {
				if ch.Kind == remedy.KindChmod {
					if err := os.Chmod(filepath.Join(dir, ch.Path), ch.Mode); err != nil {
						t.Fatal(err)
					}
				}
			}
			if len(steps) == 0 {
				t.Error("no steps (modes, reload)")
			}
			got, _ := snmpFindings(t, snmpHostContext(t, dir, pol))
			// What is left has no automatic fix: an access entry is
			// the administrator's to change.
			var left []string
			for _, g := range got {
				if !strings.HasPrefix(g, "SNMP-WRITE-NOAUTH /etc/snmpdv3.conf:17") {
					left = append(left, g)
				}
			}
			if len(left) > 0 {
				t.Errorf("left after the fix: %v", left)
			}
			// A fixed net-snmp line is a comment without the community.
			if name == "debian12-mail" {
				data, err := os.ReadFile(filepath.Join(dir, "etc/snmp/snmpd.conf"))
				if err != nil {
					t.Fatal(err)
				}
				if l := snmpLeaks(string(data), []string{"public", "private"}); len(l) > 0 {
					t.Errorf("fixed file still holds %v", l)
				}
			}
		})
	}
}

// The host's name is a guessable community, whether /etc/hostname or
// AIX's rc.net sets it.
func TestSNMPHostNameCommunity(t *testing.T) {
	for _, files := range []map[string]string{
		snmpAIX("snmpdv3ne", "etc/snmpdv3.conf", "COMMUNITY mailhub mailhub noAuthNoPriv 0.0.0.0 0.0.0.0 -\n",
			"etc/rc.net", "#/bin/hostname other\n/bin/hostname mailhub.example.org >>$LOGFILE 2>&1\n"),
		snmpDebian("rocommunity MailHub 10.0.0.0/8\n"),
	} {
		if _, ok := files["etc/os-release"]; ok {
			files["etc/hostname"] = "mailhub\n"
		}
		got, fs := outcome(t, "SNMP-COMMUNITY-DEFAULT", context(t, files, nil))
		if got != "fires" || !strings.Contains(fs[0].Found, "the host's own name") {
			t.Errorf("%s %+v", got, fs)
		}
	}
	// Without a known name the comparison is skipped.
	files := snmpDebian("rocommunity mailhub 10.0.0.0/8\n")
	if got, _ := outcome(t, "SNMP-COMMUNITY-DEFAULT", context(t, files, nil)); got != "quiet" {
		t.Errorf("no host name: %s", got)
	}
}

// An empty community and one restricted to the host itself are found, the
// latter as local only; a community with no access at all is not.
func TestSNMPCommunityForms(t *testing.T) {
	c := context(t, snmpDebian("rocommunity \"\" default\nrwcommunity private 127.0.0.1\n"), nil)
	got, fs := outcome(t, "SNMP-COMMUNITY-DEFAULT", c)
	if got != "fires" || len(fs) != 2 || !strings.Contains(fs[0].Found, "an empty community") || fs[1].Exposure != rule.Local {
		t.Errorf("%s %+v", got, fs)
	}
	if got, fs := outcome(t, "SNMP-WRITE-ANY", c); got != "quiet" {
		t.Errorf("loopback write: %s %+v", got, fs)
	}
	c = context(t, snmpAIX("snmpdv1", "etc/snmpd.conf", "community public 0.0.0.0 0.0.0.0 none\n"), nil)
	if got, fs := outcome(t, "SNMP-COMMUNITY-DEFAULT", c); got != "quiet" {
		t.Errorf("no-access community: %s %+v", got, fs)
	}
	// No agent started and no configuration: nothing to say.
	if got, _ := outcome(t, "SNMP-COMMUNITY-DEFAULT", context(t, aix(nil), nil)); got != "quiet" {
		t.Errorf("no SNMP: %s", got)
	}
}

// Which AIX agent runs decides how exposed each file's findings are.
func TestSNMPAIXAgent(t *testing.T) {
	v1 := "community public\n"
	v3 := "COMMUNITY public public noAuthNoPriv 0.0.0.0 0.0.0.0 -\n"
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  map[string]rule.Exposure
	}{
		{"v1 linked", snmpAIX("snmpdv1", "etc/snmpd.conf", v1, "etc/snmpdv3.conf", v3),
			map[string]rule.Exposure{"/etc/snmpd.conf": rule.Public, "/etc/snmpdv3.conf": rule.Dormant}},
		{"no link", aix(map[string]string{"etc/rc.tcpip": "start /usr/sbin/snmpd \"$src_running\"\n", "etc/snmpd.conf": v1, "etc/snmpdv3.conf": v3}),
			map[string]rule.Exposure{"/etc/snmpd.conf": rule.Unknown, "/etc/snmpdv3.conf": rule.Unknown}},
		{"not started", aix(map[string]string{"etc/rc.tcpip": "#start /usr/sbin/snmpd \"$src_running\"\n", "etc/snmpdv3.conf": v3}),
			map[string]rule.Exposure{"/etc/snmpdv3.conf": rule.Dormant}},
		{"AIX 4.3.3", aix(map[string]string{"etc/rc.tcpip": "start /usr/sbin/snmpd \"$src_running\"\n", "etc/snmpd.conf": v1,
			"var/lib/bastion/capture/oslevel-s": "4.3.3.0\n"}),
			map[string]rule.Exposure{"/etc/snmpd.conf": rule.Public}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, fs := outcome(t, "SNMP-COMMUNITY-DEFAULT", context(t, tc.files, nil))
			got := map[string]rule.Exposure{}
			for _, f := range fs {
				got[f.Where.File] = f.Exposure
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("exposures (-want +got):\n%s", diff)
			}
		})
	}
}

// A net-snmp agent on loopback only is local; one whose listening
// addresses come from a variable is unknown; a captured socket state wins.
func TestSNMPNetSNMPExposure(t *testing.T) {
	c := context(t, snmpDebian("agentAddress udp:127.0.0.1:161,udp6:[::1]:161\nrocommunity public default\n"), nil)
	if _, fs := outcome(t, "SNMP-COMMUNITY-DEFAULT", c); len(fs) != 1 || fs[0].Exposure != rule.Local {
		t.Errorf("loopback agent: %+v", fs)
	}
	files := snmpDebian("rocommunity public default\n")
	files["usr/lib/systemd/system/snmpd.service"] = "[Service]\nExecStart=/usr/sbin/snmpd $SNMPDOPTS\n[Install]\nWantedBy=multi-user.target\n"
	if _, fs := outcome(t, "SNMP-COMMUNITY-DEFAULT", context(t, files, nil)); len(fs) != 1 || fs[0].Exposure != rule.Unknown {
		t.Errorf("variable arguments: %+v", fs)
	}
	files = snmpDebian("rocommunity public default\n")
	files["usr/lib/systemd/system/snmpd.service"] = "[Service]\nExecStart=/usr/sbin/snmpd -f udp:127.0.0.1:161\n[Install]\nWantedBy=multi-user.target\n"
	if _, fs := outcome(t, "SNMP-COMMUNITY-DEFAULT", context(t, files, nil)); len(fs) != 1 || fs[0].Exposure != rule.Local {
		t.Errorf("address on the command line: %+v", fs)
	}
}

// Every remedy of the SNMP rules names its rule and a reason.
func TestSNMPFixReasons(t *testing.T) {
	c := snmpHostContext(t, snmpCopyRoot(t, "debian12-mail"), snmpPolicy(t))
	_, fs := snmpFindings(t, c)
	for _, f := range fs {
		r, _ := rule.Lookup(f.Rule)
		for _, ch := range r.Fix(c, f) {
			if ch.Rule != f.Rule || ch.Reason == "" {
				t.Errorf("%s: change %s without rule or reason", f.Rule, ch)
			}
		}
	}
}

// Captured socket state decides the exposure when there is some: the
// agent's port seen open on every address is public, not seen is dormant.
func TestSNMPSeenSockets(t *testing.T) {
	const head = "PCB/ADDR Proto Recv-Q Send-Q Local Address Foreign Address (state)\n"
	for netstat, want := range map[string]rule.Exposure{
		head + "f1000 udp4 0 0 *.161 *.*\n": rule.Public,
		head:                                rule.Dormant,
	} {
		files := snmpAIX("snmpdv3ne", "etc/snmpdv3.conf", "COMMUNITY public public noAuthNoPriv 0.0.0.0 0.0.0.0 -\n",
			"var/lib/bastion/capture/netstat-Aan", netstat)
		_, fs := outcome(t, "SNMP-COMMUNITY-DEFAULT", context(t, files, nil))
		if len(fs) != 1 || fs[0].Exposure != want {
			t.Errorf("%q: %+v", netstat, fs)
		}
	}
}
