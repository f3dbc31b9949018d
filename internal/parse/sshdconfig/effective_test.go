package sshdconfig

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// policy is a host whose policy wants keys only, with the exceptions that
// creep in: root with a password from the admin network, a legacy
// partner with weak algorithms, and a Debian drop-in.
var policy = mapFS{files: map[string]string{
	"/etc/ssh/sshd_config": `Include /etc/ssh/sshd_config.d/*.conf
PermitRootLogin prohibit-password
PasswordAuthentication no
ChallengeResponseAuthentication no
Ciphers +aes128-cbc,3des-cbc
MACs -umac-*
KexAlgorithms ^diffie-hellman-group1-sha1
Protocol 2,1
LoginGraceTime 2m
AllowGroups ssh-users
AllowGroups admins
AllowTcpForwarding all
IPQoS af21

Match Address 10.0.0.0/8,!10.9.0.0/16
	PermitRootLogin yes
	PasswordAuthentication yes
Match User partner
	PasswordAuthentication yes
	PermitRootLogin prohibit-password
	AllowGroups partners
	IPQoS cs1
	IPQoS af11 cs0
Match Group wheel
	PermitRootLogin without-password
`,
	"/etc/ssh/sshd_config.d/50-cloud.conf": "PasswordAuthentication yes\nPermitEmptyPasswords yes\n",
}}

func TestEffective(t *testing.T) {
	cfg, err := Load(policy, "/etc/ssh/sshd_config")
	if err != nil {
		t.Fatal(err)
	}
	admin := &Conn{User: "root", Addr: "10.1.2.3"}
	lab := &Conn{User: "root", Addr: "10.9.0.1"}
	partner := &Conn{User: "partner", Addr: "10.1.2.3"}
	wheel := &Conn{User: "ops", Addr: "192.0.2.1", Groups: []string{"ops", "wheel"}}
	tests := []struct {
		kw    string
		conn  *Conn
		value string
		dflt  bool
		line  int // of Where, in its file
	}{
		// The drop-in is included first: its value wins over the main
		// file's, the trap Debian 12 users fall into.
		{"PasswordAuthentication", nil, "yes", false, 1},
		{"PasswordAuthentication", lab, "yes", false, 1},
		{"PasswordAuthentication", admin, "yes", false, 17},
		{"PermitEmptyPasswords", admin, "yes", false, 2},
		{"PermitRootLogin", nil, "prohibit-password", false, 2},
		{"PermitRootLogin", admin, "yes", false, 16},
		{"PermitRootLogin", lab, "prohibit-password", false, 2},
		// The first matching block wins, not the most specific one.
		{"PermitRootLogin", partner, "yes", false, 16},
		{"PermitRootLogin", wheel, "prohibit-password", false, 25},
		{"permitrootlogin", &Conn{User: "ops", Addr: "192.0.2.1"}, "prohibit-password", false, 2},
		// An alias asks for its keyword.
		{"KbdInteractiveAuthentication", nil, "no", false, 4},
		{"ChallengeResponseAuthentication", admin, "no", false, 4},
		{"LoginGraceTime", nil, "120", false, 9},
		{"MaxAuthTries", nil, "6", true, 0},
		{"ClientAliveInterval", admin, "0", true, 0},
		{"X11Forwarding", nil, "no", true, 0},
		{"Banner", nil, "none", true, 0},
		{"Port", nil, "22", true, 0},
		{"AllowUsers", nil, "", true, 0},
		// Directives that add up: all the global ones, or all those of
		// the matching blocks instead.
		{"AllowGroups", nil, "ssh-users admins", false, 10},
		{"AllowGroups", partner, "partners", false, 21},
		{"AllowTcpForwarding", nil, "yes", false, 12},
		// IPQoS: the last one wins.
		{"IPQoS", nil, "af21 af21", false, 13},
		{"IPQoS", partner, "af11 cs0", false, 23},
		{"Protocol", nil, "2,1", false, 8},
		{"NoSuchKeyword", nil, "", true, 0},
	}
	for _, tc := range tests {
		s := cfg.Effective(tc.kw, tc.conn)
		if s.Value() != tc.value || s.Default != tc.dflt {
			t.Errorf("%s for %+v = %q (default %v), want %q (default %v)", tc.kw, tc.conn, s.Value(), s.Default, tc.value, tc.dflt)
			continue
		}
		if tc.dflt {
			if s.Where != nil || s.From != nil {
				t.Errorf("%s: default with a directive %+v", tc.kw, s.Where)
			}
			continue
		}
		if s.Where == nil || s.Where.Line != tc.line || s.Where.Keyword != Canonical(tc.kw) {
			t.Errorf("%s for %+v from %+v, want line %d", tc.kw, tc.conn, s.Where, tc.line)
		}
	}
	if s := cfg.Effective("protocol", nil); !s.Ignored {
		t.Error("Protocol not marked ignored")
	}
	if s := cfg.Effective("allowgroups", nil); len(s.From) != 2 || s.From[1].Line != 11 {
		t.Errorf("AllowGroups from %v", s.From)
	}
	if n, ok := cfg.Effective("logingracetime", nil).Int(); !ok || n != 120 {
		t.Errorf("LoginGraceTime Int = %d, %v", n, ok)
	}
	if _, ok := cfg.Effective("banner", nil).Int(); ok {
		t.Error("Banner none is a number")
	}
}

func TestEffectiveLists(t *testing.T) {
	cfg, err := Load(policy, "/etc/ssh/sshd_config")
	if err != nil {
		t.Fatal(err)
	}
	ciphers := cfg.Effective("ciphers", nil)
	want := append(append([]string{}, defCiphers...), "aes128-cbc", "3des-cbc")
	if diff := cmp.Diff(want, ciphers.Args); diff != "" {
		t.Errorf("ciphers (-want +got):\n%s", diff)
	}
	if weak := ciphers.Enabled("*-cbc", "arcfour*"); !cmp.Equal(weak, []string{"aes128-cbc", "3des-cbc"}) {
		t.Errorf("weak ciphers %v", weak)
	}
	macs := cfg.Effective("macs", &Conn{User: "root"}).Args
	if strings.Contains(strings.Join(macs, ","), "umac") || len(macs) != len(defMACs)-4 {
		t.Errorf("macs %v", macs)
	}
	kex := cfg.Effective("KexAlgorithms", nil)
	if kex.Args[0] != "diffie-hellman-group1-sha1" || len(kex.Args) != len(defKex)+1 {
		t.Errorf("kex %v", kex.Args)
	}
	if got := cfg.Effective("HostKeyAlgorithms", nil); !got.Default || len(got.Enabled("ssh-rsa", "ssh-dss")) != 0 {
		t.Errorf("host key algorithms %+v", got)
	}
}

func TestAssemble(t *testing.T) {
	def := []string{"a-ctr", "b-ctr", "c-gcm"}
	all := []string{"x-cbc", "y-cbc", "a-ctr", "b-ctr", "c-gcm"}
	tests := []struct {
		spec string
		want []string
	}{
		{"", def},
		{"+x-cbc", []string{"a-ctr", "b-ctr", "c-gcm", "x-cbc"}},
		{"+*-cbc", []string{"a-ctr", "b-ctr", "c-gcm", "x-cbc", "y-cbc"}},
		{"+a-ctr", def},
		{"-b-ctr", []string{"a-ctr", "c-gcm"}},
		{"-*-ctr,x-cbc", []string{"c-gcm"}},
		{"^y-cbc,c-gcm", []string{"y-cbc", "c-gcm", "a-ctr", "b-ctr"}},
		{"x-cbc,a-ctr", []string{"x-cbc", "a-ctr"}},
		{"x-cbc,x-cbc", []string{"x-cbc"}},
		{"*-cbc", []string{"x-cbc", "y-cbc"}},
		// Unknown names are kept (a newer sshd may know them); unknown
		// patterns and negations are dropped.
		{"new-alg,z*,!a-ctr", []string{"new-alg"}},
	}
	for _, tc := range tests {
		if diff := cmp.Diff(tc.want, Assemble(tc.spec, def, all)); diff != "" {
			t.Errorf("Assemble(%q) (-want +got):\n%s", tc.spec, diff)
		}
	}
	// The default is not modified.
	if !cmp.Equal(def, []string{"a-ctr", "b-ctr", "c-gcm"}) {
		t.Errorf("default changed: %v", def)
	}
}

func TestOverrides(t *testing.T) {
	cfg, err := Load(policy, "/etc/ssh/sshd_config")
	if err != nil {
		t.Fatal(err)
	}
	lines := func(ds []Directive) []string {
		var out []string
		for _, d := range ds {
			out = append(out, d.Match.String()+": "+d.Name+" "+strings.Join(d.Args, " "))
		}
		return out
	}
	tests := []struct {
		kw   string
		want []string
	}{
		// without-password is prohibit-password: not an override.
		{"PermitRootLogin", []string{"Match Address 10.0.0.0/8,!10.9.0.0/16: PermitRootLogin yes"}},
		// The global value is yes, from the drop-in: nothing to report.
		{"PasswordAuthentication", nil},
		{"AllowGroups", []string{"Match User partner: AllowGroups partners"}},
		{"IPQoS", []string{"Match User partner: IPQoS af11 cs0"}},
		{"Ciphers", nil},
		{"X11Forwarding", nil},
	}
	for _, tc := range tests {
		if diff := cmp.Diff(tc.want, lines(cfg.Overrides(tc.kw))); diff != "" {
			t.Errorf("Overrides(%s) (-want +got):\n%s", tc.kw, diff)
		}
	}
}

// A "Match all" block applies to every connection: for sshd it overrides
// the global section (it is re-read for each connection), while a keyword
// a Match may not set keeps the start-up value.
func TestMatchAll(t *testing.T) {
	fsys := mapFS{files: map[string]string{"/c": `PasswordAuthentication yes
Port 2200
Match User bob
	PasswordAuthentication yes
Match all
	PasswordAuthentication no
	Port 2222
Match all
	PasswordAuthentication yes
`}}
	cfg, err := Load(fsys, "/c")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		kw    string
		conn  *Conn
		value string
	}{
		{"PasswordAuthentication", nil, "no"},
		{"PasswordAuthentication", &Conn{User: "alice"}, "no"},
		{"PasswordAuthentication", &Conn{User: "bob"}, "yes"},
		{"Port", nil, "2200 2222"},
		{"Port", &Conn{User: "bob"}, "2200 2222"},
	} {
		if got := cfg.Effective(tc.kw, tc.conn).Value(); got != tc.value {
			t.Errorf("%s for %+v = %q, want %q", tc.kw, tc.conn, got, tc.value)
		}
	}
	got := cfg.Overrides("PasswordAuthentication")
	if len(got) != 2 || got[0].Line != 4 || got[1].Line != 9 {
		t.Errorf("overrides %+v", got)
	}
}

func TestValue(t *testing.T) {
	tests := []struct {
		kw   string
		args []string
		want string
	}{
		{"permitrootlogin", []string{"Without-Password"}, "prohibit-password"},
		{"permitrootlogin", []string{"YES"}, "yes"},
		{"passwordauthentication", []string{"No"}, "no"},
		{"compression", []string{"delayed"}, "yes"},
		{"allowstreamlocalforwarding", []string{"all"}, "yes"},
		{"logingracetime", []string{"1h1m1s"}, "3661"},
		{"logingracetime", []string{"bad"}, "bad"},
		{"unusedconnectiontimeout", []string{"none"}, "none"},
		{"loglevel", []string{"verbose"}, "VERBOSE"},
		{"syslogfacility", []string{"local0"}, "LOCAL0"},
		{"ciphers", []string{"a", "b"}, "a,b"},
		{"allowusers", []string{"a", "b"}, "a b"},
		{"ipqos", []string{"af21"}, "af21 af21"},
		{"ipqos", []string{"af21", "cs1"}, "af21 cs1"},
		{"unknownkeyword", []string{"A", "b"}, "A b"},
		{"banner", nil, ""},
	}
	for _, tc := range tests {
		if got := (Setting{Keyword: tc.kw, Args: tc.args}).Value(); got != tc.want {
			t.Errorf("%s %q: Value() = %q, want %q", tc.kw, tc.args, got, tc.want)
		}
	}
}
