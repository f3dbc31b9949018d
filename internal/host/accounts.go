package host

import (
	"bytes"
	"path"
	"strconv"
	"strings"
	"time"

	"bastion/internal/crypt"
	"bastion/internal/parse"
	"bastion/internal/parse/directive"
	"bastion/internal/parse/idfile"
	"bastion/internal/parse/lastlog"
	"bastion/internal/parse/shadow"
	"bastion/internal/parse/stanza"
	"bastion/internal/target"
)

// Where the account databases are.
const (
	passwdPath       = "/etc/passwd"
	shadowPath       = "/etc/shadow"
	groupPath        = "/etc/group"
	loginDefsPath    = "/etc/login.defs"
	aixSecUserPath   = "/etc/security/user"
	aixSecPasswdPath = "/etc/security/passwd"
	aixLoginCfgPath  = "/etc/security/login.cfg"
	aixLastlogPath   = "/etc/security/lastlog"
	linuxLastlogPath = "/var/log/lastlog"
)

const whatAccounts = "accounts and passwords"

// linuxUIDMin is the first UID useradd gives a person on Linux when
// /etc/login.defs does not say (shadow-utils' default).
const linuxUIDMin = 1000

// Accounts is the host's accounts and their passwords: /etc/passwd and
// /etc/group, where the hashes are kept (/etc/shadow on Linux,
// /etc/security/passwd on AIX), the password settings (login.defs, AIX's
// /etc/security/user and login.cfg, PAM), and the last login of each
// account where the host records it.
type Accounts struct {
	// Passwd, Group and Shadow are the files as found; Shadow is
	// /etc/security/passwd on AIX.
	Passwd, Group, Shadow FileState
	// Users are the accounts of /etc/passwd in file order.
	Users []Account
	// Groups are the groups of /etc/group in file order.
	Groups []idfile.Entry
	// NIS are the lines of /etc/passwd that pull in NIS accounts ('+'
	// and '-' lines).
	NIS []Source
	// UIDMin is the first UID of a person's account: from login.defs on
	// Linux (UIDFrom says where), 200 on AIX.
	UIDMin  int
	UIDFrom Source
	// LoginDefs are the settings of /etc/login.defs by upper-case name.
	LoginDefs map[string]Setting
	// AIXDefault are the attributes of the default stanza of
	// /etc/security/user; LoginCfg the usw stanza of
	// /etc/security/login.cfg.
	AIXDefault map[string]Setting
	LoginCfg   map[string]Setting
	// LastLogFrom names the file last logins come from, "" when the host
	// keeps none bastion can read.
	LastLogFrom string
	// PAM and the password-quality settings, see PAM.
	PAM *PAM
	// Text holds the lines of the files a fix edits (/etc/passwd,
	// /etc/security/user, login.defs, login.cfg), by path. A passwd line
	// may hold a hash: a fix of one is made by its digest, never shown.
	Text map[string][]string
	// Nologin is the target's shell that refuses log-ins, "" when it has
	// none of the usual ones.
	Nologin string
}

// Setting is one value of a settings file with where it was set.
type Setting struct {
	Value  string `json:"value"`
	Source Source `json:"source"`
}

// Account is one line of /etc/passwd with what the other databases say
// of it.
type Account struct {
	Name        string
	UID, GID    int
	Gecos       string
	Home, Shell string
	Source      Source // the line of /etc/passwd
	// Password is what the account's password field holds: the shadow
	// entry (AIX: the password attribute of /etc/security/passwd) when
	// /etc/passwd defers to it, else /etc/passwd's own field.
	Password crypt.Field
	// Hash is that field when it holds a hash, for the weak-password
	// audit. It is never printed: not in findings, reports or errors.
	Hash string `json:"-"`
	// HashFrom is where Password was read.
	HashFrom Source
	// InPasswd is what /etc/passwd's own second field holds.
	InPasswd crypt.Field
	// EmptyLine is the text of the line holding an empty password field
	// (which holds no secret), for the fix that locks the account.
	EmptyLine string
	// NoShadow says /etc/passwd defers to a shadow entry the shadow file
	// lacks (or there is no shadow file at all).
	NoShadow bool
	// AgingFrom is the shadow line the aging fields come from.
	AgingFrom Source
	// The aging fields of the shadow entry, in days (LastChange since
	// 1970-01-01; 0: change at next login); -1 when not set or not known.
	LastChange, MinDays, MaxDays, WarnDays, Inactive, Expire int
	// AIXFlags are the flags attribute of /etc/security/passwd: ADMCHG,
	// ADMIN, NOCHECK.
	AIXFlags []string
	// Attrs are the account's attributes of /etc/security/user (AIX): the
	// user's stanza over the default stanza.
	Attrs map[string]Setting
	// Duplicate reports a name an earlier line of /etc/passwd already
	// uses: the system uses only the first, and the password databases
	// are joined to that one.
	Duplicate bool
	// LoginShell reports whether the shell lets a person log in.
	LoginShell bool
	// System reports a system account: a UID below UIDMin (root
	// included), or one of AIX's administrative accounts.
	System bool
	// LastLogin is the last login the host recorded, zero when it
	// recorded none (Never says whether the record was read).
	LastLogin time.Time
	Never     bool
}

// Attr returns an AIX /etc/security/user attribute of the account, or the
// system default value given when neither stanza sets it.
func (a Account) Attr(name, def string) Setting {
	if s, ok := a.Attrs[name]; ok {
		return s
	}
	return Setting{Value: def}
}

// User returns the account named name.
func (a *Accounts) User(name string) (*Account, bool) {
	for i := range a.Users {
		if a.Users[i].Name == name {
			return &a.Users[i], true
		}
	}
	return nil, false
}

// noLoginShells are the shells that let nobody log in.
var noLoginShells = map[string]bool{"nologin": true, "false": true, "true": true, "sync": true, "shutdown": true, "halt": true}

// IsLoginShell reports whether a shell (as /etc/passwd gives it) lets a
// person log in. An empty shell is /bin/sh on both AIX and Linux.
func IsLoginShell(shell string) bool {
	shell = strings.TrimSpace(shell)
	if shell == "" {
		return true
	}
	return shell != "/dev/null" && !noLoginShells[path.Base(shell)]
}

// accounts builds Facts.Accounts.
func (b *builder) accounts() {
	a := &Accounts{LoginDefs: map[string]Setting{}, Text: map[string][]string{}}
	for _, n := range []string{"/usr/sbin/nologin", "/sbin/nologin"} {
		if b.t.Exists(n) {
			a.Nologin = n
			break
		}
	}
	b.f.Accounts = a
	aix := b.f.Platform.OS == target.AIX
	scan := b.fileScan()
	a.Passwd = scan.state(passwdPath, whatAccounts)
	a.Group = scan.state(groupPath, whatAccounts)
	if aix {
		a.Shadow = scan.state(aixSecPasswdPath, whatAccounts)
	} else {
		a.Shadow = scan.state(shadowPath, whatAccounts)
	}
	b.loginDefs(a)
	if aix {
		a.UIDMin = ftpAIXSystemUIDMax + 1
		a.AIXDefault = b.aixStanza(aixSecUserPath, "default")
		a.LoginCfg = b.aixStanza(aixLoginCfgPath, "usw")
	}
	if data := b.read(groupPath, whatAccounts, false); data != nil {
		g, err := idfile.Parse(bytes.NewReader(data), groupPath)
		b.parseGaps(err, whatAccounts)
		if g != nil {
			a.Groups = g.Entries
		}
	}
	data := b.read(passwdPath, whatAccounts, true)
	if data == nil {
		return
	}
	p, err := idfile.Parse(bytes.NewReader(data), passwdPath)
	b.parseGaps(err, whatAccounts)
	if p == nil {
		return
	}
	a.Text[passwdPath] = p.Lines
	for _, n := range p.NIS {
		a.NIS = append(a.NIS, Source{File: passwdPath, Line: n})
	}
	system := map[string]bool{}
	if aix {
		for _, n := range ftpAIXSystemAccounts {
			system[n] = true
		}
	}
	names := map[string]bool{}
	for _, e := range p.Entries {
		u := Account{
			Duplicate: names[e.Name],
			Name:      e.Name, UID: e.ID, GID: e.GID, Gecos: e.Gecos, Home: e.Home, Shell: strings.TrimSpace(e.Shell),
			Source:     Source{File: passwdPath, Line: e.Line},
			InPasswd:   crypt.Identify(e.Password),
			LastChange: -1, MinDays: -1, MaxDays: -1, WarnDays: -1, Inactive: -1, Expire: -1,
		}
		if aix && e.Password == "!" {
			// AIX: the password is in /etc/security/passwd.
			u.InPasswd = crypt.Field{Kind: crypt.KindShadowed}
		}
		u.Password, u.HashFrom = u.InPasswd, u.Source
		if u.InPasswd.Kind == crypt.KindHash || u.InPasswd.Kind == crypt.KindLocked && strings.HasPrefix(e.Password, "!") && len(e.Password) > 1 {
			u.Hash = e.Password
		}
		if u.Password.Kind == crypt.KindEmpty {
			u.EmptyLine = p.Lines[e.Line-1]
		}
		names[e.Name] = true
		u.LoginShell = IsLoginShell(u.Shell)
		u.System = e.ID < a.UIDMin || system[e.Name]
		a.Users = append(a.Users, u)
	}
	if aix {
		b.aixPasswords(a)
		b.aixUserAttrs(a)
	} else {
		b.shadowPasswords(a)
	}
	b.lastLogins(a)
	b.pam(a)
}

// loginDefs reads /etc/login.defs (Linux) and the UID range it sets.
func (b *builder) loginDefs(a *Accounts) {
	a.UIDMin = linuxUIDMin
	data := b.read(loginDefsPath, whatAccounts, false)
	if data == nil {
		return
	}
	d, err := directive.Parse(bytes.NewReader(data), loginDefsPath)
	b.parseGaps(err, whatAccounts)
	if d == nil {
		return
	}
	a.Text[loginDefsPath] = d.Lines
	for _, dv := range d.Directives {
		a.LoginDefs[strings.ToUpper(dv.Name)] = Setting{Value: strings.Trim(strings.TrimSpace(dv.Value), `"`), Source: Source{File: loginDefsPath, Line: dv.Line}}
	}
	if s, ok := a.LoginDefs["UID_MIN"]; ok {
		if n, err := strconv.Atoi(s.Value); err == nil && n > 0 {
			a.UIDMin, a.UIDFrom = n, s.Source
		}
	}
}

// shadowPasswords joins /etc/shadow to the accounts whose /etc/passwd
// field defers to it ("x"), and takes the aging fields of every entry.
func (b *builder) shadowPasswords(a *Accounts) {
	if !a.Shadow.Exists || a.Shadow.Problem != "" {
		for i := range a.Users {
			a.Users[i].NoShadow = a.Users[i].InPasswd.Kind == crypt.KindShadowed && a.Shadow.Problem == ""
		}
		return
	}
	data := b.read(shadowPath, whatAccounts, true)
	if data == nil {
		return
	}
	s, err := shadow.Parse(bytes.NewReader(data), shadowPath)
	b.parseGaps(err, whatAccounts)
	if s == nil {
		return
	}
	for i := range a.Users {
		u := &a.Users[i]
		if u.Duplicate {
			continue
		}
		e, ok := s.Lookup(u.Name)
		if !ok {
			u.NoShadow = u.InPasswd.Kind == crypt.KindShadowed
			continue
		}
		u.LastChange, u.MinDays, u.MaxDays, u.WarnDays, u.Inactive, u.Expire = e.LastChange, e.Min, e.Max, e.Warn, e.Inactive, e.Expire
		u.AgingFrom = Source{File: shadowPath, Line: e.Line}
		if u.InPasswd.Kind != crypt.KindShadowed {
			continue // /etc/passwd's own field is the one used
		}
		u.Password, u.HashFrom, u.Hash = crypt.Identify(e.Hash), Source{File: shadowPath, Line: e.Line}, ""
		switch {
		case u.Password.Kind == crypt.KindHash || u.Password.Kind == crypt.KindLocked && u.Password.Scheme.ID != "":
			u.Hash = e.Hash
		case u.Password.Kind == crypt.KindEmpty:
			u.EmptyLine = s.Lines[e.Line-1]
		}
	}
}

// aixPasswords joins /etc/security/passwd to the accounts whose
// /etc/passwd field is "!" (AIX's mark for "see /etc/security/passwd").
func (b *builder) aixPasswords(a *Accounts) {
	if !a.Shadow.Exists || a.Shadow.Problem != "" {
		return
	}
	data := b.read(aixSecPasswdPath, whatAccounts, true)
	if data == nil {
		return
	}
	f, err := stanza.Parse(bytes.NewReader(data), aixSecPasswdPath)
	b.secretGaps(err, whatAccounts)
	if f == nil {
		return
	}
	for i := range a.Users {
		u := &a.Users[i]
		if u.InPasswd.Kind != crypt.KindShadowed || u.Duplicate {
			continue
		}
		st, ok := f.Stanza(u.Name)
		if !ok {
			u.NoShadow = true
			continue
		}
		pw, ok := st.Get("password")
		if !ok {
			u.NoShadow = true
			continue
		}
		u.Password, u.HashFrom, u.Hash = crypt.Identify(pw.Value), Source{File: aixSecPasswdPath, Line: pw.Line}, ""
		switch u.Password.Kind {
		case crypt.KindHash:
			u.Hash = pw.Value
		case crypt.KindEmpty:
			u.EmptyLine = f.Lines[pw.Line-1]
		}
		if fl, ok := st.Get("flags"); ok {
			for _, w := range strings.FieldsFunc(fl.Value, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' }) {
				u.AIXFlags = append(u.AIXFlags, strings.ToUpper(w))
			}
		}
		if lu, ok := st.Get("lastupdate"); ok {
			if n, err := strconv.ParseInt(lu.Value, 10, 64); err == nil && n > 0 {
				u.LastChange = int(n / 86400)
			}
		}
	}
}

// secretGaps records the errors of a file that holds hashes as gaps that
// name the line only: the parsers' messages may quote it.
func (b *builder) secretGaps(err error, what string) {
	for _, pe := range parse.List(err) {
		b.t.AddGap(target.Gap{Path: pe.File, Line: pe.Line, What: what, Reason: "malformed line (not shown: it may hold a password hash)"})
	}
}

// aixStanza returns the attributes of one stanza of an AIX stanza file.
func (b *builder) aixStanza(name, stanzaName string) map[string]Setting {
	out := map[string]Setting{}
	data := b.read(name, whatAccounts, false)
	if data == nil {
		return out
	}
	f, err := stanza.Parse(bytes.NewReader(data), name)
	b.parseGaps(err, whatAccounts)
	if f == nil {
		return out
	}
	b.f.Accounts.Text[name] = f.Lines
	if st, ok := f.Stanza(stanzaName); ok {
		for _, at := range st.Attrs {
			out[at.Name] = Setting{Value: at.Value, Source: Source{File: name, Line: at.Line}}
		}
	}
	return out
}

// aixUserAttrs gives each account its /etc/security/user attributes: its
// own stanza over the default stanza.
func (b *builder) aixUserAttrs(a *Accounts) {
	data := b.read(aixSecUserPath, whatAccounts, false)
	var f *stanza.File
	if data != nil {
		var err error
		f, err = stanza.Parse(bytes.NewReader(data), aixSecUserPath)
		b.parseGaps(err, whatAccounts)
		if f != nil {
			a.Text[aixSecUserPath] = f.Lines
		}
	}
	for i := range a.Users {
		u := &a.Users[i]
		u.Attrs = map[string]Setting{}
		for k, v := range a.AIXDefault {
			u.Attrs[k] = v
		}
		if f == nil {
			continue
		}
		if st, ok := f.Stanza(u.Name); ok {
			for _, at := range st.Attrs {
				u.Attrs[at.Name] = Setting{Value: at.Value, Source: Source{File: aixSecUserPath, Line: at.Line}}
			}
		}
	}
}

// lastLogins reads when each account last logged in: AIX's
// /etc/security/lastlog (a stanza per user), Linux's /var/log/lastlog (a
// record per UID).
func (b *builder) lastLogins(a *Accounts) {
	if b.f.Platform.OS == target.AIX {
		data := b.read(aixLastlogPath, whatAccounts, false)
		if data == nil {
			return
		}
		f, err := stanza.Parse(bytes.NewReader(data), aixLastlogPath)
		b.parseGaps(err, whatAccounts)
		if f == nil {
			return
		}
		a.LastLogFrom = aixLastlogPath
		for i := range a.Users {
			u := &a.Users[i]
			u.Never = true
			if st, ok := f.Stanza(u.Name); ok {
				if at, ok := st.Get("time_last_login"); ok {
					if n, err := strconv.ParseInt(at.Value, 10, 64); err == nil && n > 0 {
						u.LastLogin, u.Never = time.Unix(n, 0).UTC(), false
					}
				}
			}
		}
		return
	}
	fh, err := b.t.Open(linuxLastlogPath)
	if err != nil {
		if !isNotExist(err) {
			b.gap(linuxLastlogPath, whatAccounts, err)
		}
		return
	}
	defer fh.Close()
	a.LastLogFrom = linuxLastlogPath
	for i := range a.Users {
		u := &a.Users[i]
		rec, err := lastlog.Lookup(fh, linuxLastlogPath, u.UID)
		if err != nil {
			b.t.AddGap(target.Gap{Path: linuxLastlogPath, What: whatAccounts, Reason: err.Error()})
			a.LastLogFrom = ""
			return
		}
		u.LastLogin, u.Never = rec.Time, rec.Never()
	}
}

// fileScan returns a scanner that describes files with the owner and
// group names of the target, made on the first call: /etc/passwd and
// /etc/group are read once for every topic that describes files.
func (b *builder) fileScan() *fileScan {
	if b.scan != nil {
		return b.scan
	}
	s := &fileScan{b: b, users: map[int]string{}, groups: map[int]string{}}
	b.scan = s
	if data := b.read(passwdPath, whatAccounts, false); data != nil {
		if p, _ := idfile.Parse(bytes.NewReader(data), passwdPath); p != nil {
			for _, e := range p.Entries {
				if _, ok := s.users[e.ID]; !ok {
					s.users[e.ID] = e.Name
				}
			}
		}
	}
	if data := b.read(groupPath, whatAccounts, false); data != nil {
		if g, _ := idfile.Parse(bytes.NewReader(data), groupPath); g != nil {
			for _, e := range g.Entries {
				if _, ok := s.groups[e.ID]; !ok {
					s.groups[e.ID] = e.Name
				}
			}
		}
	}
	return s
}

// fileScan describes files as found in the target.
type fileScan struct {
	b             *builder
	users, groups map[int]string
}

// state describes a regular file, links followed; a missing file is not a
// problem, any other failure is, and a gap.
func (s *fileScan) state(p, what string) FileState {
	f := FileState{Path: p, UID: -1, GID: -1}
	fi, err := s.b.t.Stat(p)
	switch {
	case isNotExist(err):
		return f
	case err != nil:
		f.Problem = target.Reason(err)
		s.b.gap(p, what, err)
		return f
	}
	f.Exists, f.Mode = true, fi.Mode()
	f.UID, f.GID = fileOwner(fi)
	f.Owner, f.Group = s.users[f.UID], s.groups[f.GID]
	if !fi.Mode().IsRegular() {
		f.Problem = "not a regular file"
		s.b.t.AddGap(target.Gap{Path: p, What: what, Reason: f.Problem})
	}
	return f
}
