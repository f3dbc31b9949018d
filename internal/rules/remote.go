package rules

import (
	"fmt"
	"strings"

	"bastion/internal/host"
	"bastion/internal/parse/sshdconfig"
	"bastion/internal/remedy"
	"bastion/internal/rule"
	"bastion/internal/severity"
	"bastion/internal/target"
)

// remoteSeed names the sections of the method the remote-login rules
// follow.
const remoteSeed = "AIX Security Basics (system accounts kept off the network, remote root logins closed) and Securing Linux (the r-services replaced by SSH)"

// sshOf returns the SSH server's configuration; nil and no error when the
// host has no SSH server, and an undecided error when its configuration
// could not be read.
func sshOf(c *rule.Context) (*sshdconfig.Config, error) {
	s := c.Facts.SSH
	if s == nil || !s.Installed {
		return nil, nil
	}
	if s.Config == nil {
		return nil, rule.Undecided("%s could not be read: %s", s.Path, s.Problem)
	}
	return s.Config, nil
}

// sshWhere is where a setting was made: the deciding directive, or the
// main file when sshd's default applies.
func sshWhere(c *rule.Context, s sshdconfig.Setting) rule.Location {
	if s.Where != nil {
		return rule.Location{File: s.Where.File, Line: s.Where.Line}
	}
	return rule.Location{File: c.Facts.SSH.Path}
}

// sshSetting describes a setting for a finding: "PermitRootLogin yes" or
// "PermitRootLogin yes (sshd's default)".
func sshSetting(s sshdconfig.Setting) string {
	name := s.Keyword
	if in, ok := sshdconfig.Lookup(s.Keyword); ok {
		name = in.Name
	}
	out := name + " " + s.Value()
	if s.Default {
		out += " (sshd's default)"
	}
	return out
}

// sshCheck reports the global value of keyword and every Match block
// that overrides it when bad says the value is wrong.
func sshCheck(c *rule.Context, rep *rule.Report, keyword, expected string, bad func(string) bool) error {
	cfg, err := sshOf(c)
	if cfg == nil {
		return err
	}
	s := cfg.Effective(keyword, nil)
	if bad(s.Value()) {
		rep.Add(rule.Finding{
			Where: sshWhere(c, s), Service: "ssh",
			Found: sshSetting(s), Expected: expected, Exposure: rule.Public,
			Data: map[string]string{"keyword": keyword},
		})
	}
	for _, d := range cfg.Overrides(keyword) {
		v := sshdconfig.Setting{Keyword: d.Keyword, Args: d.Args, Where: &d}
		if !bad(v.Value()) {
			continue
		}
		rep.Add(rule.Finding{
			Where: rule.Location{File: d.File, Line: d.Line}, Service: "ssh",
			Found:    fmt.Sprintf("%s for connections matching %q (%s:%d)", sshSetting(v), matchText(c, d.Match), d.Match.File, d.Match.Line),
			Expected: expected, Exposure: rule.Public,
			Data: map[string]string{"keyword": keyword},
		})
	}
	return nil
}

// matchText is the text of a Match line.
func matchText(c *rule.Context, m *sshdconfig.Match) string {
	if m == nil {
		return ""
	}
	if lines := c.Facts.SSH.Text[m.File]; m.Line >= 1 && m.Line <= len(lines) {
		return strings.TrimSpace(lines[m.Line-1])
	}
	return "Match"
}

// sshSet returns the change that makes keyword value: the deciding line
// replaced, or, for a default, the line added at the top of the main
// file, where sshd reads it before anything else.
func sshSet(c *rule.Context, f rule.Finding, value, why string) []remedy.Change {
	kw := f.Data["keyword"]
	if kw == "" {
		return nil
	}
	name := kw
	if in, ok := sshdconfig.Lookup(kw); ok {
		name = in.Name
	}
	line := name + " " + value
	if f.Where.Line == 0 {
		return []remedy.Change{remedy.InsertAfter(c.Facts.SSH.Path, 0, line).For(f.Rule, why)}
	}
	lines := c.Facts.SSH.Text[f.Where.File]
	if f.Where.Line > len(lines) {
		return nil
	}
	old := lines[f.Where.Line-1]
	indent := old[:len(old)-len(strings.TrimLeft(old, " \t"))]
	return []remedy.Change{remedy.ReplaceLine(f.Where.File, f.Where.Line, old, indent+line).For(f.Rule, why)}
}

var _ = rule.Register(rule.Rule{
	ID: "SSH-ROOT-LOGIN", Title: "sshd lets root log in with a password", Severity: severity.High, Topic: "remote login",
	Rationale:   "A root login with a password is the one account name every attacker knows, guessed from the whole network; administrators should log in as themselves, or as root with a key only (" + remoteSeed + ").",
	Remediation: "Set PermitRootLogin no, or prohibit-password where root logs in with keys for automation; bastion sets prohibit-password, which keeps key logins working. Check Match blocks too: the first value sshd reads for a connection wins.",
	References:  []string{"CIS Debian 12 5.1.20", "CIS AIX 7 3.6.2"},
	Check: func(c *rule.Context, rep *rule.Report) error {
		return sshCheck(c, rep, "permitrootlogin", "PermitRootLogin no or prohibit-password", func(v string) bool { return v == "yes" })
	},
	Fix: func(c *rule.Context, f rule.Finding) []remedy.Change {
		return sshSet(c, f, "prohibit-password", "root logs in over SSH with a key only")
	},
})

var _ = rule.Register(rule.Rule{
	ID: "SSH-EMPTY-PASSWORDS", Title: "sshd accepts accounts with empty passwords", Severity: severity.Critical, Topic: "remote login",
	Rationale:   "With PermitEmptyPasswords yes, any account without a password can be logged into from the network by name alone.",
	Remediation: "Set PermitEmptyPasswords no (sshd's default); bastion does.",
	References:  []string{"CIS Debian 12 5.1.19"},
	Check: func(c *rule.Context, rep *rule.Report) error {
		return sshCheck(c, rep, "permitemptypasswords", "PermitEmptyPasswords no", func(v string) bool { return v == "yes" })
	},
	Fix: func(c *rule.Context, f rule.Finding) []remedy.Change {
		return sshSet(c, f, "no", "no SSH logins to accounts without a password")
	},
})

var _ = rule.Register(rule.Rule{
	ID: "SSH-PASSWORD-AUTH", Title: "sshd accepts passwords where the policy wants keys only", Severity: severity.Medium, Topic: "remote login",
	Rationale:   "Where the site's policy says SSH logins use keys (ssh_keys_only), every password prompt sshd offers is a place to guess passwords from the network.",
	Remediation: "Set PasswordAuthentication no and KbdInteractiveAuthentication no (which PAM would otherwise use to ask for a password); bastion does, in the line that decides, or at the top of sshd_config.",
	References:  []string{"CIS Debian 12 5.1.8", "NIST SP 800-53 IA-2"},
	Check: func(c *rule.Context, rep *rule.Report) error {
		if cfg, err := sshOf(c); cfg == nil || !c.Policy.SSHKeysOnly {
			return err
		}
		if err := sshCheck(c, rep, "passwordauthentication", "PasswordAuthentication no", func(v string) bool { return v == "yes" }); err != nil {
			return err
		}
		cfg, _ := sshOf(c)
		if cfg == nil || cfg.Effective("usepam", nil).Value() != "yes" {
			return nil
		}
		return sshCheck(c, rep, "kbdinteractiveauthentication", "KbdInteractiveAuthentication no", func(v string) bool { return v == "yes" })
	},
	Fix: func(c *rule.Context, f rule.Finding) []remedy.Change {
		return sshSet(c, f, "no", "SSH logins with keys only, as the policy says")
	},
})

var _ = rule.Register(rule.Rule{
	ID: "SSH-PROTOCOL1", Title: "sshd is configured for SSH protocol 1", Severity: severity.High, Topic: "remote login",
	Rationale:   "SSH protocol 1 has broken integrity protection (the CRC-32 compensation attack) and session hijacking flaws; OpenSSH removed it in 7.4, but older builds, such as those long shipped on AIX, still honour the setting.",
	Remediation: "Set Protocol 2, or remove the line on OpenSSH 7.4 and later; bastion sets Protocol 2.",
	References:  []string{"CIS AIX 7 3.6.1", "CVE-2001-0144"},
	Check: func(c *rule.Context, rep *rule.Report) error {
		cfg, err := sshOf(c)
		if cfg == nil {
			return err
		}
		for _, d := range cfg.Directives {
			if d.Keyword != "protocol" {
				continue
			}
			for _, v := range strings.Split(strings.Join(d.Args, ","), ",") {
				if strings.TrimSpace(v) == "1" {
					f := rule.Finding{
						Where: rule.Location{File: d.File, Line: d.Line}, Service: "ssh",
						Found:    "Protocol " + strings.Join(d.Args, " "),
						Expected: "Protocol 2", Exposure: rule.Public,
						Data: map[string]string{"keyword": "protocol"},
					}
					if c.Facts.Platform.OS == target.Linux {
						// Every supported Linux distribution ships
						// OpenSSH 7.4 or later, which ignores the line.
						f.Severity = severity.Low
						f.Found += " (ignored by OpenSSH 7.4 and later, but a sign of an old configuration)"
					}
					rep.Add(f)
					break
				}
			}
		}
		return nil
	},
	Fix: func(c *rule.Context, f rule.Finding) []remedy.Change {
		return sshSet(c, f, "2", "SSH protocol 2 only")
	},
})

// weakSSH lists, per algorithm list, the patterns of algorithms current
// guidance (RFC 9142 for key exchange, RFC 8758 and NIST SP 800-131A for
// ciphers, RFC 6668 for MACs) says not to use.
var weakSSH = []struct {
	keyword  string
	patterns []string
}{
	{"ciphers", []string{"*-cbc", "3des-*", "arcfour*", "blowfish-*", "cast128-*", "rijndael-cbc*"}},
	{"macs", []string{"hmac-md5*", "*-96", "*-96-*", "hmac-ripemd160*"}},
	{"kexalgorithms", []string{"diffie-hellman-group1-sha1", "diffie-hellman-group14-sha1", "diffie-hellman-group-exchange-sha1", "gss-gex-sha1-*", "gss-group1-sha1-*", "gss-group14-sha1-*"}},
}

var _ = rule.Register(rule.Rule{
	ID: "SSH-WEAK-CRYPTO", Title: "sshd offers weak ciphers, MACs or key exchanges", Severity: severity.Medium, Topic: "remote login",
	Rationale:   "CBC-mode ciphers, 3DES and RC4, MD5 and truncated MACs, and SHA-1 or 1024-bit Diffie-Hellman key exchange let an attacker in the path downgrade or attack a session; clients made after 2015 never need them.",
	Remediation: "Remove the weak names from Ciphers, MACs and KexAlgorithms (a '-' list such as 'Ciphers -*-cbc' removes them from sshd's defaults), then check the clients that used them.",
	References:  []string{"CIS Debian 12 5.1.4", "CIS Debian 12 5.1.5", "CIS Debian 12 5.1.6", "RFC 9142"},
	Check: func(c *rule.Context, rep *rule.Report) error {
		cfg, err := sshOf(c)
		if cfg == nil {
			return err
		}
		for _, w := range weakSSH {
			s := cfg.Effective(w.keyword, nil)
			if bad := s.Enabled(w.patterns...); len(bad) > 0 {
				name := w.keyword
				if in, ok := sshdconfig.Lookup(w.keyword); ok {
					name = in.Name
				}
				rep.Add(rule.Finding{
					Where: sshWhere(c, s), Service: "ssh",
					Found:    fmt.Sprintf("%s enables %s", name, strings.Join(bad, ", ")),
					Expected: name + " without " + strings.Join(w.patterns, ", "),
					Exposure: rule.Public,
				})
			}
		}
		return nil
	},
})

var _ = rule.Register(rule.Rule{
	ID: "LOGIN-ROOT-RLOGIN", Title: "root may log in remotely (AIX rlogin = true)", Severity: severity.High, Topic: "remote login",
	Rationale:   "AIX's rlogin attribute decides whether an account may log in through telnet, rlogin and SSH; with it true for root, root's password can be guessed from the network and logins cannot be traced to a person (" + remoteSeed + "). AIX ships it true.",
	Remediation: "chuser rlogin=false root: administrators log in as themselves and su to root. bastion sets rlogin = false in root's stanza of /etc/security/user.",
	References:  []string{"CIS AIX 7 3.4.4"},
	Platforms:   []target.OS{target.AIX},
	Check: func(c *rule.Context, rep *rule.Report) error {
		a, err := accountsOf(c)
		if err != nil {
			return err
		}
		root, ok := a.User("root")
		if !ok {
			return nil
		}
		s := root.Attr("rlogin", "true")
		if !strings.EqualFold(s.Value, "true") {
			return nil
		}
		where := rule.Location{File: s.Source.File, Line: s.Source.Line}
		found := "rlogin = " + s.Value
		if s.Source.File == "" {
			where, found = rule.Location{File: "/etc/security/user"}, "rlogin not set, so true"
		}
		rep.Add(rule.Finding{Where: where, Found: "root: " + found, Expected: "rlogin = false for root", Exposure: rule.Public})
		return nil
	},
	Fix: func(c *rule.Context, f rule.Finding) []remedy.Change {
		return aixUserAttrChanges(c, "root", f.Rule, "no remote log-in as root", map[string]string{"rlogin": "false"})
	},
})

// networkTTY reports whether a securetty entry names a pseudo-terminal,
// which is what network logins (telnet, rlogin) get.
func networkTTY(t string) bool {
	t = strings.TrimPrefix(t, "/dev/")
	for _, p := range []string{"pts/", "pty", "ttyp", "ttyq"} {
		if strings.HasPrefix(t, p) {
			return true
		}
	}
	return false
}

var _ = rule.Register(rule.Rule{
	ID: "LOGIN-SECURETTY", Title: "root may log in on network terminals (/etc/securetty)", Severity: severity.Medium, Topic: "remote login",
	Rationale:   "pam_securetty lets root log in only on the terminals /etc/securetty lists; a pseudo-terminal there (pts/N) lets root log in over telnet or rlogin, with its password in the clear (" + remoteSeed + ").",
	Remediation: "Keep only the console and local terminals in /etc/securetty; bastion comments out the pseudo-terminals.",
	References:  []string{"CIS RHEL 7 5.5", "STIG RHEL-07-010540"},
	Platforms:   []target.OS{target.Linux},
	Check: func(c *rule.Context, rep *rule.Report) error {
		r := c.Facts.Remote
		if r == nil {
			return rule.Undecided("the platform is not known")
		}
		if r.Securetty.Problem != "" {
			return rule.Undecided("%s could not be read: %s", r.Securetty.Path, r.Securetty.Problem)
		}
		for _, e := range r.TTYs {
			if networkTTY(e.Text) {
				rep.Add(rule.Finding{
					Where: rule.Location{File: r.Securetty.Path, Line: e.Line},
					Found: "root may log in on " + e.Text, Expected: "only the console and local terminals", Exposure: rule.Public,
					Data: map[string]string{"line": e.Text},
				})
			}
		}
		return nil
	},
	Fix: func(c *rule.Context, f rule.Finding) []remedy.Change {
		return []remedy.Change{remedy.CommentLine(f.Where.File, f.Where.Line, f.Data["line"], "#").For(f.Rule, "no root log-in on network terminals")}
	},
})

var _ = rule.Register(rule.Rule{
	ID: "ACCT-TRUST-FILES", Title: "r-services trust files or stored passwords are present", Severity: severity.High, Topic: "remote login",
	Rationale:   "hosts.equiv and .rhosts let rlogin, rsh and rcp in without a password, trusting an address anyone on the path can forge; a '+' trusts every host. .netrc keeps passwords for other hosts in the clear (" + remoteSeed + ").",
	Remediation: "Remove ~/.rhosts and ~/.shosts files and the entries of /etc/hosts.equiv, and turn off the r-services; replace .netrc passwords with keys. bastion removes .rhosts and .shosts and comments out hosts.equiv entries; a .netrc is the user's to replace.",
	References:  []string{"CIS Debian 12 7.2.10", "CIS AIX 7 3.5.3", "STIG RHEL-09-252070"},
	Check: func(c *rule.Context, rep *rule.Report) error {
		r := c.Facts.Remote
		if r == nil {
			return rule.Undecided("the platform is not known")
		}
		var problems []string
		for _, tf := range r.Trust {
			if tf.Problem != "" {
				problems = append(problems, tf.Path+": "+tf.Problem)
				continue
			}
			f := rule.Finding{Where: rule.Location{File: tf.Path}, Exposure: rule.Public, Data: map[string]string{"kind": tf.Kind}}
			switch {
			case tf.Link != "":
				// Not read: it may point at any file of the host.
				f.Found = fmt.Sprintf("%s is a symbolic link to %s", tf.Path, tf.Link)
				f.Expected = "no trust file, or a link to /dev/null"
				f.Data = nil
			case tf.Kind == host.TrustNetrc:
				if tf.Passwords == 0 {
					continue
				}
				f.Found = fmt.Sprintf("%s keeps %d password(s) for other hosts in the clear", tf.Path, tf.Passwords)
				f.Expected = "no stored passwords: keys or a credential store"
				f.Exposure = rule.Host
			case tf.Kind == host.TrustHostsEquiv && len(tf.Entries) == 0:
				continue
			default:
				f.Found = fmt.Sprintf("%s trusts %d host or user entries", tf.Path, len(tf.Entries))
				if tf.Wildcard > 0 {
					f.Where.Line = tf.Wildcard
					f.Found = fmt.Sprintf("%s trusts every host ('+' at line %d)", tf.Path, tf.Wildcard)
					f.Severity = severity.Critical
				}
				f.Expected = "no r-services trust"
			}
			rep.Add(f)
		}
		return cronUndecided(problems)
	},
	Fix: func(c *rule.Context, f rule.Finding) []remedy.Change {
		switch f.Data["kind"] {
		case host.TrustRhosts:
			return []remedy.Change{remedy.RemoveFile(f.Where.File).For(f.Rule, "no r-services trust")}
		case host.TrustHostsEquiv:
			for _, tf := range c.Facts.Remote.Trust {
				if tf.Path != f.Where.File {
					continue
				}
				var out []remedy.Change
				for _, e := range tf.Entries {
					if lines := c.Facts.Remote.Text[tf.Path]; e.Line <= len(lines) {
						out = append(out, remedy.CommentLine(tf.Path, e.Line, lines[e.Line-1], "#").For(f.Rule, "no r-services trust"))
					}
				}
				return out
			}
		}
		return nil
	},
})
