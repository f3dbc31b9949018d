package sshdconfig

import (
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// These tests hold Effective against the real thing: sshd -T prints the
// configuration sshd would use, and -C names the connection to test the
// Match blocks with.

const sshd = "/usr/sbin/sshd"

// osFS reads the files of this machine, for comparing with sshd.
type osFS struct{}

func (osFS) ReadFile(name string) ([]byte, error) { return os.ReadFile(name) }
func (osFS) Glob(pattern string) ([]string, error) {
	m, err := filepath.Glob(pattern)
	slices.Sort(m)
	return m, err
}

// needSshd fails the test unless sshd can run in test mode, and returns a
// temporary directory holding a fresh host key "key". sshd refuses even
// -T without its privilege separation directory; a machine where sshd
// never ran lacks it, so it is made (as root) and removed afterwards.
func needSshd(t *testing.T) string {
	t.Helper()
	if _, err := os.Stat(sshd); err != nil {
		t.Fatalf("%s is needed (package openssh-server): %v", sshd, err)
	}
	const privsep = "/run/sshd"
	if _, err := os.Stat(privsep); errors.Is(err, fs.ErrNotExist) {
		if err := os.Mkdir(privsep, 0o755); err != nil {
			t.Fatalf("sshd -T needs %s, which cannot be made (run the tests as root): %v", privsep, err)
		}
		t.Cleanup(func() { os.Remove(privsep) })
	}
	dir := t.TempDir()
	if out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", filepath.Join(dir, "key")).CombinedOutput(); err != nil {
		t.Fatalf("ssh-keygen: %v: %s", err, out)
	}
	return dir
}

// sshdT runs sshd -T on a configuration, with a connection specification
// unless spec is empty, and returns what it prints by keyword, the values
// of a keyword printed on several lines joined with blanks.
func sshdT(t *testing.T, cfg, spec string) (map[string]string, error) {
	t.Helper()
	args := []string{"-T", "-f", cfg}
	if spec != "" {
		args = append(args, "-C", spec)
	}
	out, err := exec.Command(sshd, args...).CombinedOutput()
	if err != nil {
		return nil, errors.New(strings.TrimSpace(string(out)))
	}
	got := map[string]string{}
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		k, v, _ := strings.Cut(l, " ")
		if got[k] != "" {
			v = got[k] + " " + v
		}
		got[k] = v
	}
	return got, nil
}

// writeFiles writes files under dir; "{dir}" in their text becomes dir.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, text := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(strings.ReplaceAll(text, "{dir}", dir)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// sshdMain uses every feature: two Ports, an Include of a conf.d whose
// files have Match blocks of their own, an Include inside a Match block,
// list modifiers, times with units, key=value, quotes, aliases, Match on
// every attribute sshd -C can give, negations and "Match all".
const sshdMain = `# main file
Port 22
Port 2222
HostKey {dir}/key
PidFile none
PermitRootLogin no
Include {dir}/conf.d/*.conf
PasswordAuthentication yes
Ciphers +aes128-cbc,3des-cbc
MACs -hmac-sha1*,umac-64*
KexAlgorithms ^diffie-hellman-group14-sha1
HostKeyAlgorithms -ssh-rsa*,ecdsa*
PubkeyAcceptedAlgorithms +ssh-rsa
CASignatureAlgorithms ssh-ed25519,rsa-sha2-*
LoginGraceTime 1m30s
ClientAliveInterval 5m
MaxAuthTries 3
LogLevel verbose
AllowUsers root alice bob
AllowUsers carol
DenyGroups nogroup
X11Forwarding=yes
Banner "/etc/issue.net"
AllowTcpForwarding all
Compression delayed
ChallengeResponseAuthentication no
Protocol 1
AcceptEnv LANG LC_*
IPQoS af11
IPQoS cs1 af21

Match User root Address 10.0.0.0/8,!10.1.0.0/16
	PermitRootLogin yes
	PasswordAuthentication no
	Include {dir}/match.d/*.conf
Match Address 192.0.2.0/24
	PermitRootLogin without-password
	MaxAuthTries 2
	AllowUsers root
	IPQoS throughput
Match Group root
	X11Forwarding no
	Banner none
	PermitRootLogin forced-commands-only
Match Host *.example.com,!bad.example.com
	PermitEmptyPasswords yes
	AuthenticationMethods publickey,password
Match User=alice
	AllowTcpForwarding local
	ForceCommand /usr/bin/printf "%s\n" 'hi there'
	ChrootDirectory /srv/%u
Match LocalAddress 198.51.100.1 LocalPort 2222
	PubkeyAuthentication no
Match all
	PermitTunnel yes
	PasswordAuthentication no
`

var sshdIncluded = map[string]string{
	// The main file's PermitRootLogin no comes first and wins.
	"conf.d/10-first.conf": `PermitRootLogin yes
UsePAM yes
PermitEmptyPasswords no
Match User bob
	PasswordAuthentication no
	ClientAliveCountMax 0
	KbdInteractiveAuthentication yes
`,
	// Back in the global section: the block of 10-first ended with it.
	"conf.d/20-second.conf": `StrictModes no
HostbasedAuthentication no
MaxSessions 4
`,
	"conf.d/ignored.txt": "PermitRootLogin yes\n",
	// Included inside "Match User root Address ...": its own block
	// applies only when that one does too.
	"match.d/x.conf": `X11Forwarding yes
Match LocalPort 2222
	MaxSessions 1
	PermitUserRC no
`,
}

// TestAgainstSshd compares Effective with sshd -T for every keyword of the
// table that sshd prints, on connections that select different blocks.
func TestAgainstSshd(t *testing.T) {
	dir := needSshd(t)
	files := map[string]string{"sshd_config": sshdMain}
	for k, v := range sshdIncluded {
		files[k] = v
	}
	writeFiles(t, dir, files)
	cfgPath := filepath.Join(dir, "sshd_config")
	cfg, err := Load(osFS{}, cfgPath)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if n := len(cfg.Files); n != 4 {
		t.Errorf("read %d files, want 4 (main, two of conf.d, match.d)", n)
	}

	// Keywords sshd -T prints in another form, or not at all although
	// they have a default.
	skip := map[string]bool{"listenaddress": true, "gssapikexalgorithms": true, "debianbanner": true, "rdomain": true,
		"include": true, "match": true}
	specs := []struct {
		spec string
		conn *Conn
	}{
		// No connection in particular. sshd insists on a local port
		// once a Match tests it; one no block names is as good as none.
		{"lport=65535", nil},
		{"user=root,host=h,addr=192.0.2.1,lport=22", &Conn{User: "root", Host: "h", Addr: "192.0.2.1", LPort: 22}},
		{"user=root,host=h,addr=10.0.0.1,lport=2222", &Conn{User: "root", Host: "h", Addr: "10.0.0.1", LPort: 2222}},
		{"user=root,host=h,addr=10.1.0.1,lport=22", &Conn{User: "root", Host: "h", Addr: "10.1.0.1", LPort: 22}},
		{"user=alice,host=X.Example.COM,addr=2001:db8::7,lport=22", &Conn{User: "alice", Host: "X.Example.COM", Addr: "2001:db8::7", LPort: 22}},
		{"user=bob,host=bad.example.com,addr=203.0.113.9,laddr=198.51.100.1,lport=2222",
			&Conn{User: "bob", Host: "bad.example.com", Addr: "203.0.113.9", LAddr: "198.51.100.1", LPort: 2222}},
		{"user=carol,host=h,addr=203.0.113.9,laddr=198.51.100.2,lport=2222",
			&Conn{User: "carol", Host: "h", Addr: "203.0.113.9", LAddr: "198.51.100.2", LPort: 2222}},
	}
	for _, sp := range specs {
		if sp.conn != nil {
			sp.conn.Groups = groupsOf(sp.conn.User)
		}
		want, err := sshdT(t, cfgPath, sp.spec)
		if err != nil {
			t.Fatalf("sshd -T -C %q: %v", sp.spec, err)
		}
		checked := 0
		for kw, in := range infos {
			if skip[kw] || in.Mode == Ignored {
				continue
			}
			w := want[kw]
			if kw == "permitrootlogin" && w == "without-password" {
				w = "prohibit-password"
			}
			if got := cfg.Effective(kw, sp.conn).Value(); got != w {
				t.Errorf("-C %q: %s = %q, sshd says %q", sp.spec, in.Name, got, w)
			}
			checked++
		}
		if checked < 80 {
			t.Errorf("only %d keywords compared", checked)
		}
	}
}

// groupsOf returns the groups of a user of this machine, which sshd tests
// Match Group against; none for an unknown user.
func groupsOf(name string) []string {
	u, err := user.Lookup(name)
	if err != nil {
		return nil
	}
	ids, err := u.GroupIds()
	if err != nil {
		return nil
	}
	var out []string
	for _, id := range ids {
		if g, err := user.LookupGroupId(id); err == nil {
			out = append(out, g.Name)
		}
	}
	return out
}

// TestRefusedLikeSshd checks that Load reports an error exactly for the
// configurations sshd refuses to start with.
func TestRefusedLikeSshd(t *testing.T) {
	dir := needSshd(t)
	head := "HostKey {dir}/key\nPidFile none\n"
	tests := []struct {
		name string
		body string
		bad  bool
	}{
		{"good", "PermitRootLogin no\nMatch User x\n\tPasswordAuthentication no\n", false},
		{"key=value and quotes", "PermitRootLogin = \"no\"\nAllowUsers 'a b'\\ c\n", false},
		{"unknown Match keyword stays allowed", "Match all\n\tPort 2200\n", false},
		{"bad flag", "PasswordAuthentication maybe\n", true},
		{"bad choice", "PermitRootLogin sometimes\n", true},
		{"missing argument", "MaxAuthTries\n", true},
		{"extra argument", "X11Forwarding yes no\n", true},
		{"bad time", "LoginGraceTime 2x\n", true},
		{"unclosed quote", "Banner \"/etc/issue\n", true},
		{"global keyword in Match", "Match User x\n\tCiphers aes128-ctr\n", true},
		{"alias global only", "Match User x\n\tDSAAuthentication no\n", true},
		{"global keyword in included Match", "Match User x\n\tInclude {dir}/inc.conf\n", true},
		{"Match without criteria", "Match\n", true},
		{"Match all with more", "Match all User x\n", true},
		{"Match missing pattern", "Match User\n", true},
		{"Match bad attribute", "Match Colour blue\n", true},
		{"Match address host bits", "Match Address 10.0.0.1/8\n", true},
		{"Match bad port", "Match LocalPort 99999\n", true},
		{"include loop", "Include {dir}/loop.conf\n", true},
	}
	writeFiles(t, dir, map[string]string{"inc.conf": "MACs hmac-sha2-256\n", "loop.conf": "Include {dir}/loop.conf\n"})
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			name := "cfg" + strconv.Itoa(i)
			writeFiles(t, dir, map[string]string{name: head + tc.body})
			p := filepath.Join(dir, name)
			_, sshdErr := sshdT(t, p, "")
			_, err := Load(osFS{}, p)
			if (sshdErr != nil) != tc.bad {
				t.Fatalf("sshd error %v, want error %v", sshdErr, tc.bad)
			}
			if (err != nil) != tc.bad {
				t.Errorf("Load error %v, want error %v (sshd: %v)", err, tc.bad, sshdErr)
			}
		})
	}
}
