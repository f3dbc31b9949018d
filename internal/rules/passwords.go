package rules

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"bastion/internal/crypt"
	"bastion/internal/host"
	"bastion/internal/remedy"
	"bastion/internal/rule"
	"bastion/internal/severity"
	"bastion/internal/target"
)

// weakMethods are the algorithm names of login.defs' ENCRYPT_METHOD,
// pam_unix's arguments and AIX's pwd_algorithm that give weak hashes.
var weakMethods = map[string]string{
	"des": "DES crypt", "md5": "MD5 crypt", "bigcrypt": "bigcrypt (DES)", "crypt": "DES crypt",
	"smd5": "AIX smd5", "ssha1": "AIX ssha1",
}

// pamUnixMethods are pam_unix's arguments that choose the algorithm.
var pamUnixMethods = []string{"md5", "bigcrypt", "sha256", "sha512", "blowfish", "gost_yescrypt", "yescrypt"}

// linuxMethod is the ENCRYPT_METHOD bastion sets: yescrypt where the
// distribution's libxcrypt has it (Debian 11, Ubuntu 22.04, Fedora 35 and
// later), SHA512 elsewhere.
func linuxMethod(c *rule.Context) (loginDefs, pamArg string) {
	p := c.Facts.Platform
	v, _ := strconv.Atoi(strings.Split(p.Version, ".")[0])
	if p.Distro == "debian" && v >= 11 || p.Distro == "ubuntu" && v >= 22 || p.Distro == "fedora" && v >= 35 {
		return "YESCRYPT", "yescrypt"
	}
	return "SHA512", "sha512"
}

var _ = rule.Register(rule.Rule{
	ID: "ACCT-ALGORITHM", Title: "new passwords are hashed with a weak algorithm", Severity: severity.High, Topic: "accounts",
	Rationale:   "The algorithm set for new passwords decides how every password changed from now on is stored; DES crypt (the default when nothing is set: login.defs without ENCRYPT_METHOD, AIX without pwd_algorithm) and MD5 crypt fall to offline guessing (" + acctSeed + ").",
	Remediation: "Linux: ENCRYPT_METHOD YESCRYPT (or SHA512) in /etc/login.defs and the same argument to pam_unix in the password stack. AIX: pwd_algorithm = ssha512 in the usw stanza of /etc/security/login.cfg. bastion makes these edits; existing hashes change only when their passwords do (see ACCT-HASH-WEAK).",
	References:  []string{"CIS Debian 12 5.3.3.4.3", "CIS Debian 12 7.1.3", "CIS AIX 7 3.3.1"},
	Check: func(c *rule.Context, rep *rule.Report) error {
		a, err := accountsOf(c)
		if err != nil {
			return err
		}
		if c.Facts.Platform.OS == target.AIX {
			s, ok := a.LoginCfg["pwd_algorithm"]
			v := strings.ToLower(s.Value)
			if !ok || v == "" {
				v = "crypt"
			}
			if name, weak := weakMethods[v]; weak {
				where := rule.Location{File: "/etc/security/login.cfg", Line: s.Source.Line}
				found := "pwd_algorithm = " + v + " (" + name + ")"
				if !ok {
					found = "pwd_algorithm not set, so " + name
				}
				rep.Add(rule.Finding{Where: where, Found: found, Expected: "pwd_algorithm = ssha512", Exposure: rule.Host, Data: map[string]string{"aix": "1"}})
			}
			return nil
		}
		s, ok := a.LoginDefs["ENCRYPT_METHOD"]
		method := strings.ToLower(s.Value)
		if !ok {
			method = "des"
			if md5, ok := a.LoginDefs["MD5_CRYPT_ENAB"]; ok && strings.EqualFold(md5.Value, "yes") {
				method = "md5"
			}
		}
		if name, weak := weakMethods[method]; weak {
			f := rule.Finding{Where: rule.Location{File: "/etc/login.defs", Line: s.Source.Line}, Expected: "ENCRYPT_METHOD YESCRYPT or SHA512", Exposure: rule.Host, Data: map[string]string{"logindefs": "1"}}
			f.Found = "ENCRYPT_METHOD " + s.Value + " (" + name + ")"
			if !ok {
				f.Found = "ENCRYPT_METHOD not set, so " + name + " for chpasswd and newusers"
			}
			rep.Add(f)
		}
		if a.PAM == nil {
			return nil
		}
		if l, ok := host.Module(a.PAM.Password, "pam_unix"); ok {
			// pam_unix takes the last algorithm written.
			m := ""
			for _, arg := range l.Args {
				for _, known := range pamUnixMethods {
					if arg == known {
						m = arg
					}
				}
			}
			if name, weak := weakMethods[m]; weak {
				rep.Add(rule.Finding{
					Where: rule.Location{File: l.Source.File, Line: l.Source.Line},
					Found: "pam_unix hashes new passwords with " + m + " (" + name + ")", Expected: "pam_unix with yescrypt or sha512",
					Exposure: rule.Host, Data: map[string]string{"pam": m},
				})
			}
		}
		return nil
	},
	Fix: func(c *rule.Context, f rule.Finding) []remedy.Change {
		a := c.Facts.Accounts
		defs, arg := linuxMethod(c)
		switch {
		case f.Data["aix"] != "":
			return aixStanzaSet(c, "/etc/security/login.cfg", "usw", f.Rule, "hash new passwords with ssha512", map[string]string{"pwd_algorithm": "ssha512"})
		case f.Data["logindefs"] != "":
			return loginDefsSet(c, f.Rule, "hash new passwords with "+defs, "ENCRYPT_METHOD", defs)
		case f.Data["pam"] != "":
			lines := a.PAM.Text[f.Where.File]
			if f.Where.Line > len(lines) {
				return nil
			}
			old := lines[f.Where.Line-1]
			words := strings.Fields(old)
			for i, w := range words {
				if w == f.Data["pam"] {
					words[i] = arg
				}
			}
			return []remedy.Change{remedy.ReplaceLine(f.Where.File, f.Where.Line, old, strings.Join(words, " ")).For(f.Rule, "pam_unix hashes new passwords with "+arg)}
		}
		return nil
	},
})

// loginDefsSet sets a login.defs value: its line replaced, or the line
// appended.
func loginDefsSet(c *rule.Context, ruleID, why, name, value string) []remedy.Change {
	a := c.Facts.Accounts
	const file = "/etc/login.defs"
	if s, ok := a.LoginDefs[name]; ok {
		lines := a.Text[file]
		if s.Source.Line > len(lines) {
			return nil
		}
		return []remedy.Change{remedy.ReplaceLine(file, s.Source.Line, lines[s.Source.Line-1], name+"\t"+value).For(ruleID, why)}
	}
	if _, ok := a.Text[file]; !ok {
		return nil
	}
	return []remedy.Change{remedy.AppendLines(file, name+"\t"+value).For(ruleID, why)}
}

// qualityModules are the PAM modules that check a new password's
// quality.
var qualityModules = []string{"pam_pwquality", "pam_cracklib", "pam_passwdqc"}

var _ = rule.Register(rule.Rule{
	ID: "PASS-QUALITY", Title: "password quality is not enforced when passwords change", Severity: severity.Medium, Topic: "accounts",
	Rationale:   "Users pick passwords an attacker guesses first unless the system refuses them: a password-quality module (pam_pwquality, pam_cracklib or pam_passwdqc) in the password stack with a dictionary check and a sensible minimum length is the method's second critical step (" + acctSeed + ").",
	Remediation: "Add pam_pwquality (package libpam-pwquality, or pam_passwdqc) as requisite before pam_unix in the password stack (Debian: pam-auth-update does it), with minlen at least the policy's password_min_length (default 12) in /etc/security/pwquality.conf, and keep dictcheck on. bastion does not edit PAM stacks: a mistake there locks everyone out.",
	References:  []string{"CIS Debian 12 5.3.3.2", "NIST SP 800-63B 5.1.1.2"},
	Platforms:   []target.OS{target.Linux},
	Check: func(c *rule.Context, rep *rule.Report) error {
		a, err := accountsOf(c)
		if err != nil {
			return err
		}
		p := a.PAM
		if p == nil || !p.Found {
			return rule.Undecided("the host has no PAM configuration bastion can read")
		}
		if len(p.Problems) > 0 {
			return rule.Undecided("PAM files could not be read: %s", strings.Join(p.Problems, "; "))
		}
		min := c.Policy.PasswordMinLength
		where := func(l host.PAMLine) rule.Location { return rule.Location{File: l.Source.File, Line: l.Source.Line} }
		l, ok := host.Module(p.Password, qualityModules...)
		if !ok {
			at := rule.Location{File: pamDirOr(p)}
			if p.From != "/etc/pam.conf" {
				at.File += "/passwd"
			}
			if u, ok := host.Module(p.Password, "pam_unix"); ok {
				at = where(u)
			}
			rep.Add(rule.Finding{Where: at, Found: "no password-quality module in the password stack", Expected: "pam_pwquality, pam_cracklib or pam_passwdqc before pam_unix", Exposure: rule.Host})
			return nil
		}
		if l.Control == "optional" || l.Control == "sufficient" {
			rep.Add(rule.Finding{Where: where(l), Found: l.Module + " is " + l.Control + ", so a weak password is accepted anyway", Expected: "requisite or required", Exposure: rule.Host})
		}
		switch l.Module {
		case "pam_pwquality":
			length, at := 8, where(l) // libpwquality's default minlen
			if s, ok := p.Quality["minlen"]; ok {
				if n, err := strconv.Atoi(s.Value); err == nil {
					length, at = n, rule.Location{File: s.Source.File, Line: s.Source.Line}
				}
			}
			if v, ok := l.Arg("minlen"); ok {
				if n, err := strconv.Atoi(v); err == nil {
					length, at = n, where(l)
				}
			}
			if length < min {
				rep.Add(rule.Finding{Where: at, Found: fmt.Sprintf("pam_pwquality accepts passwords of %d characters", length), Expected: fmt.Sprintf("minlen = %d or more", min), Exposure: rule.Host})
			}
			dict, at := "1", where(l)
			if s, ok := p.Quality["dictcheck"]; ok {
				dict, at = s.Value, rule.Location{File: s.Source.File, Line: s.Source.Line}
			}
			if v, ok := l.Arg("dictcheck"); ok {
				dict, at = v, where(l)
			}
			if dict == "0" {
				rep.Add(rule.Finding{Where: at, Found: "pam_pwquality's dictionary check is off (dictcheck = 0)", Expected: "dictcheck = 1", Exposure: rule.Host})
			}
		case "pam_cracklib":
			length := 9 // pam_cracklib's default minlen
			if v, ok := l.Arg("minlen"); ok {
				if n, err := strconv.Atoi(v); err == nil {
					length = n
				}
			}
			if length < min {
				rep.Add(rule.Finding{Where: where(l), Found: fmt.Sprintf("pam_cracklib accepts passwords of %d characters (fewer with credits)", length), Expected: fmt.Sprintf("minlen=%d or more", min), Exposure: rule.Host})
			}
		case "pam_passwdqc":
			spec := "disabled,24,11,8,7" // passwdqc's default min=
			if v, ok := l.Arg("min"); ok {
				spec = v
			}
			shortest := 0
			for _, part := range strings.Split(spec, ",") {
				if n, err := strconv.Atoi(part); err == nil && (shortest == 0 || n < shortest) {
					shortest = n
				}
			}
			if shortest > 0 && shortest < min {
				rep.Add(rule.Finding{Where: where(l), Found: fmt.Sprintf("pam_passwdqc accepts passwords of %d characters (min=%s)", shortest, spec), Expected: fmt.Sprintf("no class below %d characters", min), Exposure: rule.Host})
			}
		}
		return nil
	},
})

// pamDirOr is where the PAM configuration is.
func pamDirOr(p *host.PAM) string {
	if p.From != "" {
		return p.From
	}
	return "/etc/pam.d"
}

// aixQuality are the password rules of AIX's /etc/security/user checked,
// with the least value each should have and the value bastion sets.
// minalpha, minother and histsize follow CIS AIX 7 (section 3.2);
// minlen is the policy's.
var aixQuality = []struct {
	attr, what string
	least      int
}{
	{"minlen", "the shortest password", 0},
	{"minalpha", "letters a password needs", 2},
	{"minother", "non-letters a password needs", 2},
	{"histsize", "earlier passwords that may not be reused", 5},
}

var _ = rule.Register(rule.Rule{
	ID: "PASS-QUALITY-AIX", Title: "AIX password rules accept weak passwords", Severity: severity.Medium, Topic: "accounts",
	Rationale:   "AIX checks new passwords against the rules of /etc/security/user, and ships them all off: minlen 0, no letters or other characters required, no history and no dictionary (" + acctSeed + ").",
	Remediation: "In the default stanza of /etc/security/user: minlen at least the policy's password_min_length (12 by default; DES crypt keeps only 8 characters, so set pwd_algorithm too), minalpha 2, minother 2, histsize 5 or more, and dictionlist naming a word list. bastion sets the numbers (chsec -f /etc/security/user -s default -a minlen=12 ...); the word list is the site's.",
	References:  []string{"CIS AIX 7 3.2.1", "CIS AIX 7 3.2.5"},
	Platforms:   []target.OS{target.AIX},
	Check: func(c *rule.Context, rep *rule.Report) error {
		a, err := accountsOf(c)
		if err != nil {
			return err
		}
		for _, q := range aixQuality {
			least := q.least
			if q.attr == "minlen" {
				least = c.Policy.PasswordMinLength
			}
			s, ok := a.AIXDefault[q.attr]
			n, _ := strconv.Atoi(s.Value)
			if ok && n >= least {
				continue
			}
			at := rule.Location{File: "/etc/security/user", Line: s.Source.Line}
			rep.Add(rule.Finding{
				Where: at, Found: fmt.Sprintf("%s = %d (%s)", q.attr, n, q.what), Expected: fmt.Sprintf("%s = %d or more", q.attr, least), Exposure: rule.Host,
				Data: map[string]string{"attr": q.attr, "value": strconv.Itoa(least)},
			})
		}
		if s := a.AIXDefault["dictionlist"]; strings.TrimSpace(s.Value) == "" {
			rep.Add(rule.Finding{Where: rule.Location{File: "/etc/security/user", Line: s.Source.Line}, Found: "dictionlist is empty: no dictionary check", Expected: "dictionlist naming a word list", Exposure: rule.Host})
		}
		return nil
	},
	Fix: func(c *rule.Context, f rule.Finding) []remedy.Change {
		if f.Data["attr"] == "" {
			return nil
		}
		return aixStanzaSet(c, "/etc/security/user", "default", f.Rule, "AIX password rule "+f.Data["attr"], map[string]string{f.Data["attr"]: f.Data["value"]})
	},
})

// Aging limits: at most a year between changes (CIS Debian 12 5.4.1.1,
// which NIST SP 800-63B would drop altogether for strong passwords), at
// least a day (so the history cannot be cycled through), a week's warning.
const (
	maxPassDays  = 365
	minPassDays  = 1
	warnPassDays = 7
)

var _ = rule.Register(rule.Rule{
	ID: "PASS-AGING", Title: "passwords never expire, or can be changed back at once", Severity: severity.Low, Topic: "accounts",
	Rationale:   "A password that never expires is good forever once it leaks; a minimum age of 0 lets a user cycle through the history straight back to the old password. NIST SP 800-63B advises against forced periodic changes for strong, checked passwords; the CIS benchmarks still want a limit, so this rule is low.",
	Remediation: "Linux: PASS_MAX_DAYS 365, PASS_MIN_DAYS 1, PASS_WARN_AGE 7 in /etc/login.defs (for new accounts), and chage -M 365 -m 1 for existing ones. AIX: maxage (weeks) 13 to 52, pwdwarntime 7, in the default stanza of /etc/security/user. bastion edits login.defs and /etc/security/user.",
	References:  []string{"CIS Debian 12 5.4.1.1", "CIS Debian 12 5.4.1.2", "CIS AIX 7 3.2.2"},
	Check: func(c *rule.Context, rep *rule.Report) error {
		a, err := accountsOf(c)
		if err != nil {
			return err
		}
		if c.Facts.Platform.OS == target.AIX {
			s, ok := a.AIXDefault["maxage"]
			if n, _ := strconv.Atoi(s.Value); !ok || n == 0 || n > 52 {
				rep.Add(rule.Finding{Where: rule.Location{File: "/etc/security/user", Line: s.Source.Line}, Found: fmt.Sprintf("maxage = %d weeks (0: never expires)", n), Expected: "maxage = 13 to 52 weeks", Exposure: rule.Host, Data: map[string]string{"attr": "maxage", "value": "13"}})
			}
			s, ok = a.AIXDefault["pwdwarntime"]
			if n, _ := strconv.Atoi(s.Value); !ok || n < warnPassDays {
				rep.Add(rule.Finding{Where: rule.Location{File: "/etc/security/user", Line: s.Source.Line}, Found: fmt.Sprintf("pwdwarntime = %d days", n), Expected: fmt.Sprintf("pwdwarntime = %d or more", warnPassDays), Exposure: rule.Host, Data: map[string]string{"attr": "pwdwarntime", "value": strconv.Itoa(warnPassDays)}})
			}
			return nil
		}
		for _, lim := range []struct {
			name     string
			def      int
			bad      func(int) bool
			expected string
			fix      int
		}{
			{"PASS_MAX_DAYS", 99999, func(n int) bool { return n > maxPassDays || n < 0 }, fmt.Sprintf("%d or fewer", maxPassDays), maxPassDays},
			{"PASS_MIN_DAYS", 0, func(n int) bool { return n < minPassDays }, fmt.Sprintf("%d or more", minPassDays), minPassDays},
			{"PASS_WARN_AGE", 7, func(n int) bool { return n < warnPassDays }, fmt.Sprintf("%d or more", warnPassDays), warnPassDays},
		} {
			s, ok := a.LoginDefs[lim.name]
			n := lim.def
			if ok {
				n, _ = strconv.Atoi(s.Value)
			}
			if !lim.bad(n) {
				continue
			}
			found := fmt.Sprintf("%s %d", lim.name, n)
			if !ok {
				found += " (the default: not set)"
			}
			rep.Add(rule.Finding{Where: rule.Location{File: "/etc/login.defs", Line: s.Source.Line}, Found: found, Expected: lim.name + " " + lim.expected, Exposure: rule.Host, Data: map[string]string{"defs": lim.name, "value": strconv.Itoa(lim.fix)}})
		}
		for _, u := range a.Users {
			if u.System || u.Duplicate || u.Password.Kind != crypt.KindHash || u.MaxDays >= 0 && u.MaxDays <= maxPassDays {
				continue
			}
			if u.MaxDays < 0 && !a.Shadow.Exists {
				continue
			}
			at := u.AgingFrom
			if at.File == "" {
				at = u.HashFrom
			}
			rep.Add(rule.Finding{Where: rule.Location{File: at.File, Line: at.Line}, Found: fmt.Sprintf("%s: password never expires (maximum age %d days)", u.Name, u.MaxDays), Expected: fmt.Sprintf("chage -M %d %s", maxPassDays, u.Name), Exposure: rule.Dormant})
		}
		return shadowUnread(a)
	},
	Fix: func(c *rule.Context, f rule.Finding) []remedy.Change {
		switch {
		case f.Data["defs"] != "":
			return loginDefsSet(c, f.Rule, "password aging", f.Data["defs"], f.Data["value"])
		case f.Data["attr"] != "":
			return aixStanzaSet(c, "/etc/security/user", "default", f.Rule, "password aging", map[string]string{f.Data["attr"]: f.Data["value"]})
		}
		return nil
	},
})

// lastLogKnown returns an undecided error when the host's last logins
// could not be read.
func lastLogKnown(a *host.Accounts) error {
	if a.LastLogFrom == "" {
		return rule.Undecided("the host's record of last logins (/var/log/lastlog, /etc/security/lastlog) could not be read")
	}
	return nil
}

var _ = rule.Register(rule.Rule{
	ID: "ACCT-NOT-PREEXPIRED", Title: "an account that never logged in has a password its user did not choose", Severity: severity.Info, Topic: "accounts",
	Rationale:   "A new account's first password is set by an administrator and often shared or guessable; until its user logs in and changes it, it is a way in nobody owns. Pre-expiring it (passwd -e, pwdadm -f ADMCHG) makes the first login change it.",
	Remediation: "Expire the password of accounts that never logged in: passwd -e NAME on Linux, pwdadm -f ADMCHG NAME on AIX; or lock accounts nobody uses.",
	References:  []string{"CIS AIX 7 3.4.6"},
	Check: func(c *rule.Context, rep *rule.Report) error {
		a, err := accountsOf(c)
		if err != nil {
			return err
		}
		if err := lastLogKnown(a); err != nil {
			return err
		}
		aix := c.Facts.Platform.OS == target.AIX
		for _, u := range a.Users {
			if u.System || u.Duplicate || u.Password.Kind != crypt.KindHash || !u.Never {
				continue
			}
			if !aix && u.LastChange == 0 || aix && hasFlag(u.AIXFlags, "ADMCHG") {
				continue
			}
			rep.Add(rule.Finding{Where: rule.Location{File: u.HashFrom.File, Line: u.HashFrom.Line}, Found: u.Name + " never logged in and need not change the password first", Expected: "the password expired until first use", Exposure: rule.Dormant})
		}
		return nil
	},
})

// hasFlag reports whether an AIX flags list holds a flag.
func hasFlag(flags []string, f string) bool {
	for _, x := range flags {
		if x == f {
			return true
		}
	}
	return false
}

// unusedAfter is how long without a login makes an account unused.
const unusedAfter = 90 * 24 * time.Hour

var _ = rule.Register(rule.Rule{
	ID: "ACCT-UNUSED", Title: "an account with a password has not been used for 90 days", Severity: severity.Info, Topic: "accounts",
	Rationale:   "Accounts of people who left or projects that ended keep working passwords nobody watches; an intruder's use of one goes unnoticed. On an offline root the newest login recorded stands for today.",
	Remediation: "Lock accounts nobody uses (usermod -L / chuser account_locked=true), and set an inactivity limit (useradd -D -f 30; AIX maxexpired).",
	References:  []string{"CIS Debian 12 5.4.1.5", "NIST SP 800-53 AC-2(3)"},
	Check: func(c *rule.Context, rep *rule.Report) error {
		a, err := accountsOf(c)
		if err != nil {
			return err
		}
		if err := lastLogKnown(a); err != nil {
			return err
		}
		now := time.Now()
		if !c.Facts.Live {
			now = time.Time{}
			for _, u := range a.Users {
				if u.LastLogin.After(now) {
					now = u.LastLogin
				}
			}
		}
		for _, u := range a.Users {
			if u.System || u.Duplicate || !usable(u) || u.Never || now.Sub(u.LastLogin) < unusedAfter {
				continue
			}
			rep.Add(rule.Finding{
				Where:    rule.Location{File: u.HashFrom.File, Line: u.HashFrom.Line},
				Found:    fmt.Sprintf("%s last logged in on %s, %d days before %s", u.Name, u.LastLogin.Format("2006-01-02"), int(now.Sub(u.LastLogin).Hours()/24), map[bool]string{true: "today", false: "the newest login recorded"}[c.Facts.Live]),
				Expected: "accounts in use, or locked", Exposure: rule.Dormant,
			})
		}
		return nil
	},
})
