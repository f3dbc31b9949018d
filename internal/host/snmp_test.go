package host

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"bastion/internal/target"
)

// snmpFixture builds the facts of a fixture root as it is checked in.
func snmpFixture(t *testing.T, name string) *Facts {
	t.Helper()
	tg, err := target.Open(filepath.Join("..", "..", "testdata", "roots", name))
	if err != nil {
		t.Fatal(err)
	}
	defer tg.Close()
	return buildTarget(t, tg)
}

// snmpAgentOf returns the agent of a name.
func snmpAgentOf(t *testing.T, s *SNMP, name string) *SNMPAgent {
	t.Helper()
	for i := range s.Agents {
		if s.Agents[i].Name == name {
			return &s.Agents[i]
		}
	}
	t.Fatalf("no agent %s among %d", name, len(s.Agents))
	return nil
}

// snmpCommunityList renders the communities of an agent, redacted, with their
// reach and access.
func snmpCommunityList(a *SNMPAgent) []string {
	var out []string
	for _, c := range a.Communities {
		out = append(out, fmt.Sprintf("%v any=%t lo=%t", c, c.AnyHost, c.Loopback))
	}
	return out
}

// AIX 7.2 with both agents' files: the link says snmpdv3ne runs, so the
// SNMPv1 file is present but not in use.
func TestSNMPAIXFixture(t *testing.T) {
	f := snmpFixture(t, "aix72-mail")
	s := f.SNMP
	if s.Link != "/usr/sbin/snmpdv3ne" {
		t.Errorf("link %q", s.Link)
	}
	v1, v3 := snmpAgentOf(t, s, AgentSNMPv1), snmpAgentOf(t, s, AgentSNMPv3)
	if v1.Runs != AnswerNo || v3.Runs != AnswerYes || len(v3.StartedBy) != 1 || v3.StartedBy[0].String() != "/etc/rc.tcpip:20" {
		t.Errorf("v1 runs %s, v3 runs %s by %v", v1.Runs, v3.Runs, v3.StartedBy)
	}
	if !strings.Contains(v3.Note, "links to /usr/sbin/snmpdv3ne") {
		t.Errorf("note %q", v3.Note)
	}
	want := []string{
		"/etc/snmpd.conf:13: community p… (6 characters), read-only, from any host any=true lo=false",
		"/etc/snmpd.conf:14: community p… (7 characters), read-write, from any host any=true lo=false",
		"/etc/snmpd.conf:15: community s… (6 characters), read-write, from 127.0.0.1/255.255.255.255 any=false lo=true",
	}
	if diff := cmp.Diff(want, snmpCommunityList(v1)); diff != "" {
		t.Errorf("v1 communities (-want +got):\n%s", diff)
	}
	want = []string{
		"/etc/snmpdv3.conf:25: COMMUNITY p… (6 characters), read-only, from any host any=true lo=false",
		"/etc/snmpdv3.conf:26: COMMUNITY o… (11 characters), read-write, from any host any=true lo=false",
	}
	if diff := cmp.Diff(want, snmpCommunityList(v3)); diff != "" {
		t.Errorf("v3 communities (-want +got):\n%s", diff)
	}
	if len(v3.NoAuthWrites) != 1 || v3.NoAuthWrites[0].Source.Line != 17 || v3.NoAuthWrites[0].Group != "admins" ||
		!cmp.Equal(v3.NoAuthWrites[0].Members, []string{"netadmin"}) {
		t.Errorf("no-auth writes %+v", v3.NoAuthWrites)
	}
	if len(v3.Listen) != 1 || v3.Listen[0].String() != "udp *:161" {
		t.Errorf("listen %v", v3.Listen)
	}
	if len(s.MIBFiles) != 1 || s.MIBFiles[0].Path != "/etc/mib.defs" || !s.MIBFiles[0].Exists {
		t.Errorf("MIB files %+v", s.MIBFiles)
	}
	if len(v1.Files) != 1 || !v1.Files[0].Exists || v1.Files[0].Mode.Perm() == 0 {
		t.Errorf("v1 files %+v", v1.Files)
	}
	// Nothing a person reads shows a community.
	for _, text := range []string{fmt.Sprintf("%v", *s), fmt.Sprintf("%+v", *s), fmt.Sprintf("%#v", *s)} {
		for _, com := range []string{"public", "private", "opsW8rite77"} {
			if strings.Contains(text, com) {
				t.Errorf("%s shown in %s", com, text)
			}
		}
	}
}

// The hardened AIX twin: one restricted, read-only community per file.
func TestSNMPAIXHardenedFixture(t *testing.T) {
	s := snmpFixture(t, "aix72-mail-hardened").SNMP
	for _, a := range s.Agents {
		if len(a.Communities) != 1 || a.Communities[0].AnyHost || a.Communities[0].Write || a.Communities[0].From != "10.20.30.5/255.255.255.255" {
			t.Errorf("%s: %v", a.Name, snmpCommunityList(&a))
		}
		if len(a.NoAuthWrites) > 0 {
			t.Errorf("%s: %+v", a.Name, a.NoAuthWrites)
		}
	}
}

// Debian 12 with snmpd enabled: the main file, its drop-in directory, and
// the default of every interface.
func TestSNMPNetSNMPFixture(t *testing.T) {
	s := snmpFixture(t, "debian12-mail").SNMP
	a := snmpAgentOf(t, s, AgentNetSNMP)
	if a.Runs != AnswerYes || a.Config != "/etc/snmp/snmpd.conf" || len(a.Files) != 2 || a.Files[1].Path != "/etc/snmp/snmpd.conf.d/monitoring.conf" {
		t.Errorf("agent %+v", a)
	}
	want := []string{
		"/etc/snmp/snmpd.conf:19: rocommunity p… (6 characters), read-only, from any host any=true lo=false",
		"/etc/snmp/snmpd.conf:20: rwcommunity p… (7 characters), read-write, from any host any=true lo=false",
		"/etc/snmp/snmpd.conf.d/monitoring.conf:2: com2sec T… (12 characters), read-write, from any host any=true lo=false",
	}
	if diff := cmp.Diff(want, snmpCommunityList(a)); diff != "" {
		t.Errorf("communities (-want +got):\n%s", diff)
	}
	if len(a.Users) != 2 || a.Users[1].Name != "scripts" || a.Users[1].Level != "noauth" || !a.Users[1].Write {
		t.Errorf("users %+v", a.Users)
	}
	if len(a.Listen) != 1 || a.Listen[0].String() != "udp *:161" || a.Listen[0].Loopback() {
		t.Errorf("listen %v", a.Listen)
	}
	if len(s.MIBFiles) != 0 {
		t.Errorf("MIB files on Linux: %+v", s.MIBFiles)
	}
	h := snmpAgentOf(t, snmpFixture(t, "debian12-mail-hardened").SNMP, AgentNetSNMP)
	if len(h.Communities) != 0 || len(h.Listen) != 1 || !h.Listen[0].Loopback() || h.Listen[0].Source.Line != 13 {
		t.Errorf("hardened %+v", h)
	}
}

// snmpDebianRoot is a Debian root whose systemd starts snmpd with the given
// command line.
func snmpDebianRoot(cmdline string, extra map[string]string) map[string]string {
	m := map[string]string{
		"etc/os-release":                                           "ID=debian\nVERSION_ID=12\n",
		"usr/lib/systemd/system/snmpd.service":                     "[Service]\nExecStart=" + cmdline + "\n[Install]\nWantedBy=multi-user.target\n",
		"etc/systemd/system/multi-user.target.wants/snmpd.service": "->/usr/lib/systemd/system/snmpd.service",
	}
	for k, v := range extra {
		m[k] = v
	}
	return m
}

// com2sec, group and access lines in different files still make a
// writable community; includeFile, includeSearch, -c and -C are followed.
func TestSNMPNetSNMPIncludes(t *testing.T) {
	f := build(t, snmpDebianRoot("/usr/sbin/snmpd -f -c /etc/snmp/extra.conf", map[string]string{
		"etc/snmp/snmpd.conf":        "com2sec writer default Zz9Yy8Xx7\nincludeFile local/groups.conf\nincludeSearch users.conf\n",
		"etc/snmp/local/groups.conf": "group wg v2c writer\naccess wg \"\" any noauth exact all all none\n",
		"etc/snmp/users.conf":        "group ug usm ops\naccess ug \"\" usm noauth exact all all none\n",
		"etc/snmp/extra.conf":        "rocommunity Qq1Ww2Ee3 10.1.2.0/24\n",
	}))
	a := snmpAgentOf(t, f.SNMP, AgentNetSNMP)
	var files []string
	for _, fl := range a.Files {
		files = append(files, fl.Path)
	}
	if diff := cmp.Diff([]string{"/etc/snmp/snmpd.conf", "/etc/snmp/local/groups.conf", "/etc/snmp/users.conf", "/etc/snmp/extra.conf"}, files); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
	if len(a.Communities) != 2 || !a.Communities[0].Write || !a.Communities[0].AnyHost || a.Communities[1].Write || a.Communities[1].From != "10.1.2.0/24" {
		t.Errorf("communities %v", snmpCommunityList(a))
	}
	if len(a.NoAuthWrites) != 1 || a.NoAuthWrites[0].Source.File != "/etc/snmp/users.conf" || !cmp.Equal(a.NoAuthWrites[0].Members, []string{"ops"}) {
		t.Errorf("no-auth writes %+v", a.NoAuthWrites)
	}
	// -C: only the file of -c.
	f = build(t, snmpDebianRoot("/usr/sbin/snmpd -C -c /etc/snmp/only.conf", map[string]string{
		"etc/snmp/snmpd.conf": "rocommunity public\n",
		"etc/snmp/only.conf":  "agentAddress tcp:10.0.0.1:1161\n",
	}))
	a = snmpAgentOf(t, f.SNMP, AgentNetSNMP)
	if a.Config != "/etc/snmp/only.conf" || len(a.Communities) != 0 || len(a.Listen) != 1 || a.Listen[0].String() != "tcp 10.0.0.1:1161" {
		t.Errorf("-C: %+v", a)
	}
}

// Listening addresses: the command line replaces agentAddress; a variable
// makes them unknown.
func TestSNMPNetSNMPListen(t *testing.T) {
	conf := map[string]string{"etc/snmp/snmpd.conf": "agentAddress udp:0.0.0.0:161\n"}
	a := snmpAgentOf(t, build(t, snmpDebianRoot("/usr/sbin/snmpd -LOw -u Debian-snmp -Lf /var/log/snmpd.log -f udp:127.0.0.1:161,udp6:[::1]:161", conf)).SNMP, AgentNetSNMP)
	if !a.ListenKnown || len(a.Listen) != 2 || !a.Listen[0].Loopback() || !a.Listen[1].Loopback() || a.Listen[0].Source.File == "" {
		t.Errorf("command line: %+v", a.Listen)
	}
	a = snmpAgentOf(t, build(t, snmpDebianRoot("/usr/sbin/snmpd $SNMPDOPTS", conf)).SNMP, AgentNetSNMP)
	if a.ListenKnown {
		t.Errorf("variable: %+v", a.Listen)
	}
	a = snmpAgentOf(t, build(t, snmpDebianRoot("/usr/sbin/snmpd -f", conf)).SNMP, AgentNetSNMP)
	if len(a.Listen) != 1 || a.Listen[0].Loopback() || a.Listen[0].Source.Line != 1 {
		t.Errorf("agentAddress: %+v", a.Listen)
	}
}

func TestParseSnmpdArgs(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want snmpdArgs
	}{
		{strings.Fields("-LOw -u Debian-snmp -g Debian-snmp -I -smux,mteTrigger,mteTriggerConf -f -p /run/snmpd.pid"), snmpdArgs{}},
		{strings.Fields("-Lsd -Lf /dev/null -p /run/snmpd.pid -c /a.conf,b.conf udp:161 tcp:1161"),
			snmpdArgs{confs: []string{"/a.conf", "b.conf"}, addrs: []string{"udp:161", "tcp:1161"}}},
		{strings.Fields("-C -c/x.conf -LF 3 /var/log/s -LS 4 d 127.0.0.1"), snmpdArgs{confs: []string{"/x.conf"}, noDefault: true, addrs: []string{"127.0.0.1"}}},
		{strings.Fields("-f $OPTS"), snmpdArgs{unknown: true}},
	} {
		if diff := cmp.Diff(tc.want, parseSnmpdArgs(tc.args), cmp.AllowUnexported(snmpdArgs{})); diff != "" {
			t.Errorf("%v (-want +got):\n%s", tc.args, diff)
		}
	}
}

// A configuration file that cannot be read is a problem and a gap; no
// agent and no file is no SNMP at all.
func TestSNMPUnreadable(t *testing.T) {
	f := build(t, snmpDebianRoot("/usr/sbin/snmpd -f", map[string]string{"etc/snmp/snmpd.conf/x": "not a file"}))
	a := snmpAgentOf(t, f.SNMP, AgentNetSNMP)
	if a.Problem == "" || len(gapsFor(f, whatSNMP)) == 0 {
		t.Errorf("problem %q gaps %v", a.Problem, f.Gaps)
	}
	f = build(t, map[string]string{"etc/os-release": "ID=debian\nVERSION_ID=12\n"})
	if f.SNMP.Configured() {
		t.Errorf("configured: %+v", f.SNMP)
	}
	// A file without a start is configured, but does not run.
	f = build(t, map[string]string{"etc/os-release": "ID=debian\nVERSION_ID=12\n", "etc/snmp/snmpd.conf": "rocommunity x\n"})
	if a := snmpAgentOf(t, f.SNMP, AgentNetSNMP); a.Runs != AnswerNo {
		t.Errorf("runs %s", a.Runs)
	}
	// A parse error is a gap that does not quote the line.
	f = build(t, snmpDebianRoot("/usr/sbin/snmpd -f", map[string]string{"etc/snmp/snmpd.conf": "rocommunity \"S3cr3tC0mm 10.0.0.0/8\n"}))
	gs := gapsFor(f, whatSNMP)
	if len(gs) != 1 || gs[0].Line != 1 || strings.Contains(gs[0].Reason, "S3cr3tC0mm") {
		t.Errorf("gaps %+v", gs)
	}
}

// AIX: which agent runs, by the link, by the level, or not known.
func TestSNMPAIXAgents(t *testing.T) {
	base := func(extra map[string]string) map[string]string {
		m := map[string]string{
			"etc/inittab":    "rctcpip:23456789:wait:/etc/rc.tcpip > /dev/console 2>&1\n",
			"etc/rc.tcpip":   "start /usr/sbin/snmpd \"$src_running\"\n",
			"etc/snmpd.conf": "community public\n", "etc/snmpdv3.conf": "COMMUNITY public public noAuthNoPriv 0.0.0.0 0.0.0.0 -\n",
		}
		for k, v := range extra {
			m[k] = v
		}
		return m
	}
	for _, tc := range []struct {
		name   string
		files  map[string]string
		v1, v3 Answer
	}{
		{"v1 link", base(map[string]string{"usr/sbin/snmpd": "->snmpdv1"}), AnswerYes, AnswerNo},
		{"v3 link", base(map[string]string{"usr/sbin/snmpd": "->/usr/sbin/snmpdv3ne"}), AnswerNo, AnswerYes},
		{"no link", base(nil), AnswerUnknown, AnswerUnknown},
		{"AIX 4.3.3", base(map[string]string{"var/lib/bastion/capture/oslevel-s": "4.3.3.0\n"}), AnswerYes, AnswerNo},
		{"not started", base(map[string]string{"etc/rc.tcpip": "#start /usr/sbin/snmpd \"$src_running\"\n"}), AnswerNo, AnswerNo},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := build(t, tc.files)
			if f.Platform.OS != target.AIX {
				t.Fatalf("platform %+v", f.Platform)
			}
			v1, v3 := snmpAgentOf(t, f.SNMP, AgentSNMPv1), snmpAgentOf(t, f.SNMP, AgentSNMPv3)
			if v1.Runs != tc.v1 || v3.Runs != tc.v3 {
				t.Errorf("v1 %s v3 %s (%s)", v1.Runs, v3.Runs, v1.Note)
			}
		})
	}
	// A v3 community left to the agent's default mask.
	f := build(t, base(map[string]string{"etc/snmpdv3.conf": "COMMUNITY c0mm c0mm noAuthNoPriv - - -\nCOMMUNITY h0st h0st noAuthNoPriv 10.1.1.1 - -\n"}))
	v3 := snmpAgentOf(t, f.SNMP, AgentSNMPv3)
	if len(v3.Communities) != 2 || !v3.Communities[0].AnyHost || v3.Communities[1].AnyHost {
		t.Errorf("v3 %v", snmpCommunityList(v3))
	}
}

// The host's name: /etc/hostname first, then a hostname command of
// AIX's rc.net that is not commented out.
func TestSNMPHostName(t *testing.T) {
	f := build(t, map[string]string{"etc/os-release": "ID=debian\n", "etc/hostname": "# name\nmailhub\n"})
	if f.SNMP.HostName != "mailhub" || f.SNMP.HostNameFrom.String() != "/etc/hostname:2" {
		t.Errorf("%q %v", f.SNMP.HostName, f.SNMP.HostNameFrom)
	}
	f = build(t, map[string]string{
		"etc/inittab": "init:2:initdefault:\n", "etc/rc.tcpip": "\n",
		"etc/rc.net": "# /bin/hostname example\n/bin/hostname aixmail.example.org >>$LOGFILE 2>&1\nhostname -s\n",
	})
	if f.SNMP.HostName != "aixmail.example.org" || f.SNMP.HostNameFrom.Line != 2 {
		t.Errorf("%q %v", f.SNMP.HostName, f.SNMP.HostNameFrom)
	}
}
