package host

import (
	"bytes"
	"io/fs"
	"path"
	"strconv"
	"strings"

	"bastion/internal/parse/directive"
	"bastion/internal/parse/idfile"
	"bastion/internal/parse/proftpd"
	"bastion/internal/parse/userlist"
	"bastion/internal/parse/vsftpd"
	"bastion/internal/target"
)

// The FTP server families bastion reads the set-up of. A family is named
// by what its members read: the BSD-derived ftpd (AIX ftpd, in.ftpd,
// wu-ftpd) reads /etc/ftpusers and lets anyone in as the ftp account;
// the others have their own configuration.
const (
	FTPDaemonFtpd     = "ftpd"
	FTPDaemonVsftpd   = "vsftpd"
	FTPDaemonProftpd  = "proftpd"
	FTPDaemonPureFTPd = "pure-ftpd"
)

// ftpFamilies maps the base names of FTP server programs to their family.
var ftpFamilies = map[string]string{
	"ftpd": FTPDaemonFtpd, "in.ftpd": FTPDaemonFtpd, "wu-ftpd": FTPDaemonFtpd, "wu.ftpd": FTPDaemonFtpd,
	"in.wuftpd": FTPDaemonFtpd, "tnftpd": FTPDaemonFtpd,
	"vsftpd":  FTPDaemonVsftpd,
	"proftpd": FTPDaemonProftpd, "in.proftpd": FTPDaemonProftpd,
	"pure-ftpd": FTPDaemonPureFTPd, "pure-ftpd-wrapper": FTPDaemonPureFTPd, "pure-ftpd-mysql": FTPDaemonPureFTPd,
	"pure-ftpd-ldap": FTPDaemonPureFTPd, "pure-ftpd-postgresql": FTPDaemonPureFTPd,
}

// FTPFamily returns the FTP server family of a program path or name, or ""
// for a program that is not an FTP server.
func FTPFamily(program string) string { return ftpFamilies[path.Base(program)] }

// Files of the FTP set-up.
const (
	ftpusersPath        = "/etc/ftpusers"
	ftpRHELFtpusersPath = "/etc/vsftpd/ftpusers"
	ftpPasswdPath       = "/etc/passwd"
	ftpLoginDefsPath    = "/etc/login.defs"
	ftpVsftpdConf       = "/etc/vsftpd.conf"
	ftpRHELVsftpdConf   = "/etc/vsftpd/vsftpd.conf"
	ftpProftpdConf      = "/etc/proftpd/proftpd.conf"
	ftpProftpdConfOld   = "/etc/proftpd.conf"
	ftpPAMDir           = "/etc/pam.d"
	ftpPureNoAnonymous  = "/etc/pure-ftpd/conf/NoAnonymous"
	ftpMaxIncludeDepth  = 4
)

// What gaps of the FTP set-up say could not be checked.
const (
	whatFTPConfig   = "FTP server configuration"
	whatFTPUserList = "users refused FTP"
	whatFTPAccounts = "accounts"
)

// ftpAIXSystemAccounts are AIX's administrative accounts that the method
// lists for /etc/ftpusers, root aside.
var ftpAIXSystemAccounts = []string{"daemon", "bin", "sys", "adm", "uucp", "guest", "nobody", "lpd", "invscout",
	"imnadm", "ipsec", "nwroot", "nwuser", "nwprint", "nwldap", "ldap", "nuucp", "netinst"}

// ftpAIXSystemUIDMax is the highest UID lunar counts as a system account on
// AIX.
const ftpAIXSystemUIDMax = 199

// ftpAnonymousAccounts are the account names the BSD-derived ftpd serves
// without a password.
var ftpAnonymousAccounts = []string{"ftp", "anonymous"}

// FTP is the FTP set-up: the FTP servers that are started, the lists of
// users they refuse (or admit), the accounts of the host, and how anyone
// may log in without a password. It is read only when an FTP server is
// started; Servers is empty otherwise.
type FTP struct {
	// Servers are the enabled starts of FTP servers, in start order.
	Servers []FTPServer
	// Lists are the user lists the servers read, in the order first
	// named, one per path.
	Lists []FTPUserList
	// Accounts are the accounts of /etc/passwd in file order;
	// AccountsRead reports whether the file was read.
	Accounts     []FTPAccount
	AccountsRead bool
	// SystemUIDMax is the highest UID of a system account: 199 on AIX,
	// as lunar counts; on Linux SYS_UID_MAX of /etc/login.defs (or
	// UID_MIN less one), 999 when it sets neither. SystemUIDFrom is the
	// line that sets it.
	SystemUIDMax  int
	SystemUIDFrom Source
}

// FTPServer is one enabled start of an FTP server and what its
// configuration says.
type FTPServer struct {
	// Daemon is the family: FTPDaemonFtpd, FTPDaemonVsftpd,
	// FTPDaemonProftpd or FTPDaemonPureFTPd.
	Daemon string
	// Start is the start that runs it.
	Start Start
	// Configs are the configuration files read, the main one first.
	// ConfigProblem says why the main one could not be read, or "".
	Configs       []string
	ConfigProblem string
	// Logging and Umask are ftpd's -l and -u options: whether it logs
	// each session, and the umask given ("" when -u is not given, and
	// ftpd uses its default, 027).
	Logging bool
	Umask   string
	// Anonymous are the ways the configuration lets users in without a
	// password.
	Anonymous []FTPAnonymous
	// TLS says whether the server offers FTPS: yes, no, or unknown where
	// bastion does not read it; TLSSource is the setting that says so
	// (line 0 for a compiled-in default).
	TLS       Answer
	TLSSource Source
	// Lists are the paths of the user lists the server reads (see
	// FTP.Lists).
	Lists []string
	// NoList says why the server reads no list of users it refuses, when
	// it reads none.
	NoList string
}

// Name describes the server and where it is started, for findings.
func (s FTPServer) Name() string {
	where := s.Start.Source.Unit
	if where == "" {
		where = s.Start.Source.String()
	}
	return path.Base(s.Start.Program) + " (" + where + ")"
}

// FTPAnonymous is one way a server lets users log in without a password.
type FTPAnonymous struct {
	// Source is where it is configured: a vsftpd.conf line (line 0 when
	// the option is unset and the compiled-in default applies), a
	// proftpd <Anonymous> section, the /etc/passwd line of the account
	// ftpd serves, or the start of a server configured by its arguments.
	Source Source
	// What says how, in a few words.
	What string
	// Option and Text are the vsftpd option and its line as written, for
	// a fix; Text is "" for a default or a command-line setting.
	Option string
	Text   string
	// Account is the account anonymous users become, for ftpd.
	Account string
}

// FTPUserList is a list of user names an FTP server reads: users it
// refuses (ftpusers, vsftpd's user_list by default), or the only users it
// admits.
type FTPUserList struct {
	Path string
	// Deny reports that the users listed are refused; otherwise only
	// they are admitted.
	Deny bool
	// ReadBy says which servers read it and what makes them read it.
	ReadBy []string
	// Exists reports whether the file is in the target; Mode, UID and GID
	// are its mode, owner and group then (UID and GID -1 when unknown).
	Exists   bool
	Mode     fs.FileMode
	UID, GID int
	// Names are the names listed, in file order.
	Names []FTPListName
	// Problem says why the file could not be looked at, or "".
	Problem string
}

// FTPListName is one user name of a list.
type FTPListName struct {
	Line int
	Name string
	// Text is the line as written.
	Text string
}

// Has reports whether the list names the user.
func (l *FTPUserList) Has(name string) bool {
	for _, n := range l.Names {
		if n.Name == name {
			return true
		}
	}
	return false
}

// FTPAccount is an account of /etc/passwd. The password field is not
// kept.
type FTPAccount struct {
	Line  int
	Name  string
	UID   int
	Home  string
	Shell string
	// Refuse reports that FTP must refuse the account: root, a system
	// account, or an account anonymous users log in as. Why says which.
	Refuse bool
	Why    string
}

// List returns the user list at a path, or nil.
func (f *FTP) List(p string) *FTPUserList {
	for i := range f.Lists {
		if f.Lists[i].Path == p {
			return &f.Lists[i]
		}
	}
	return nil
}

// Account returns the first account of a name, or nil.
func (f *FTP) Account(name string) *FTPAccount {
	for i := range f.Accounts {
		if f.Accounts[i].Name == name {
			return &f.Accounts[i]
		}
	}
	return nil
}

// Refused returns the accounts FTP must refuse, in /etc/passwd order with
// root first.
func (f *FTP) Refused() []FTPAccount {
	var root, rest []FTPAccount
	for _, a := range f.Accounts {
		switch {
		case !a.Refuse:
		case a.Name == "root":
			root = append(root, a)
		default:
			rest = append(rest, a)
		}
	}
	return append(root, rest...)
}

// ftp reads the FTP set-up.
func (b *builder) ftp() {
	f := &FTP{}
	b.f.FTP = f
	seen := map[Source]bool{}
	for _, s := range b.f.Starts {
		if !s.Enabled || s.Requires != "" && !s.RequiresOK || seen[s.Source] {
			continue
		}
		fam := FTPFamily(s.Program)
		if fam == "" && s.Resolved != "" {
			fam = FTPFamily(s.Resolved)
		}
		if fam == "" {
			continue
		}
		seen[s.Source] = true
		f.Servers = append(f.Servers, FTPServer{Daemon: fam, Start: s, TLS: AnswerUnknown})
	}
	if len(f.Servers) == 0 {
		return
	}
	b.ftpAccounts(f)
	for i := range f.Servers {
		srv := &f.Servers[i]
		switch srv.Daemon {
		case FTPDaemonFtpd:
			b.ftpd(f, srv)
		case FTPDaemonVsftpd:
			b.vsftpd(f, srv)
		case FTPDaemonProftpd:
			b.proftpd(f, srv)
		case FTPDaemonPureFTPd:
			b.pureFTPd(f, srv)
		}
	}
	for i := range f.Lists {
		b.ftpList(&f.Lists[i])
	}
	// The ftp account serves anonymous users unless a list refuses it.
	for i := range f.Servers {
		srv := &f.Servers[i]
		if srv.Daemon != FTPDaemonFtpd {
			continue
		}
		for _, name := range ftpAnonymousAccounts {
			a := f.Account(name)
			if a == nil || !b.ftpHomeExists(a.Home) || ftpRefuses(f, srv, name) {
				continue
			}
			srv.Anonymous = append(srv.Anonymous, FTPAnonymous{
				Source:  Source{File: ftpPasswdPath, Line: a.Line},
				What:    "account " + name + " with home directory " + a.Home,
				Account: name,
			})
		}
	}
}

// ftpArgs returns a start's arguments without the program name that
// inetd.conf writes first.
func ftpArgs(s Start) []string {
	if s.Kind == KindInetd && len(s.Args) > 0 {
		return s.Args[1:]
	}
	return s.Args
}

// ftpRefuses reports whether a list of refused users the server reads
// names the user.
func ftpRefuses(f *FTP, srv *FTPServer, name string) bool {
	for _, p := range srv.Lists {
		if l := f.List(p); l != nil && l.Deny && l.Has(name) {
			return true
		}
	}
	return false
}

// ftpHomeExists reports whether a home directory exists in the target.
func (b *builder) ftpHomeExists(home string) bool {
	if !strings.HasPrefix(home, "/") || home == "/" {
		return false
	}
	fi, err := b.t.Stat(home)
	return err == nil && fi.IsDir()
}

// ftpUseList records that a server reads the list at p.
func (f *FTP) ftpUseList(srv *FTPServer, p string, deny bool, why string) {
	l := f.List(p)
	if l == nil {
		f.Lists = append(f.Lists, FTPUserList{Path: p, Deny: deny, UID: -1, GID: -1})
		l = &f.Lists[len(f.Lists)-1]
	}
	l.ReadBy = append(l.ReadBy, why)
	for _, q := range srv.Lists {
		if q == p {
			return
		}
	}
	srv.Lists = append(srv.Lists, p)
}

// ftpList looks a user list up in the target and reads its names.
func (b *builder) ftpList(l *FTPUserList) {
	fi, err := b.t.Stat(l.Path)
	switch {
	case err != nil && isNotExist(err):
		return
	case err != nil:
		l.Problem = target.Reason(err)
		b.gap(l.Path, whatFTPUserList, err)
		return
	case fi.IsDir():
		l.Problem = "a directory, not a file"
		b.t.AddGap(target.Gap{Path: l.Path, What: whatFTPUserList, Reason: l.Problem})
		return
	}
	l.Exists, l.Mode = true, fi.Mode()
	l.UID, l.GID = fileOwner(fi)
	data := b.read(l.Path, whatFTPUserList, true)
	if data == nil {
		l.Problem = "could not be read"
		return
	}
	u, err := userlist.Parse(bytes.NewReader(data), l.Path)
	b.parseGaps(err, whatFTPUserList)
	if u == nil {
		return
	}
	for _, n := range u.Names {
		l.Names = append(l.Names, FTPListName{Line: n.Line, Name: n.Name, Text: u.Lines[n.Line-1]})
	}
}

// ftpAccounts reads /etc/passwd and works out which accounts FTP must
// refuse: root; on AIX the method's administrative accounts and every
// account with a UID below 200; on Linux every account with a system UID
// or a shell that allows no log-in; and the accounts anonymous users log
// in as.
func (b *builder) ftpAccounts(f *FTP) {
	aix := b.f.Platform.OS == target.AIX
	f.SystemUIDMax = ftpAIXSystemUIDMax
	if !aix {
		f.SystemUIDMax, f.SystemUIDFrom = b.ftpSystemUIDMax()
	}
	data := b.read(ftpPasswdPath, whatFTPAccounts, true)
	if data == nil {
		return
	}
	p, err := idfile.Parse(bytes.NewReader(data), ftpPasswdPath)
	b.parseGaps(err, whatFTPAccounts)
	if p == nil {
		return
	}
	f.AccountsRead = true
	listed := map[string]bool{}
	for _, n := range ftpAIXSystemAccounts {
		listed[n] = true
	}
	anonymous := map[string]bool{}
	for _, n := range ftpAnonymousAccounts {
		anonymous[n] = true
	}
	for _, e := range p.Entries {
		fields := strings.Split(p.Lines[e.Line-1], ":")
		a := FTPAccount{Line: e.Line, Name: e.Name, UID: e.ID}
		if len(fields) > 5 {
			a.Home = fields[5]
		}
		if len(fields) > 6 {
			a.Shell = strings.TrimSpace(fields[6])
		}
		switch {
		case e.Name == "root" || e.ID == 0:
			a.Refuse, a.Why = true, "UID 0"
		case aix && listed[e.Name]:
			a.Refuse, a.Why = true, "one of AIX's administrative accounts"
		case e.ID <= f.SystemUIDMax:
			a.Refuse, a.Why = true, "system UID "+strconv.Itoa(e.ID)
		case !aix && ftpNoLoginShell(a.Shell):
			a.Refuse, a.Why = true, "shell "+a.Shell+" allows no log-in"
		case anonymous[e.Name]:
			a.Refuse, a.Why = true, "the account anonymous FTP users log in as"
		}
		f.Accounts = append(f.Accounts, a)
	}
}

// ftpNoLoginShell reports whether a shell is one that lets nobody log in.
func ftpNoLoginShell(shell string) bool {
	switch path.Base(shell) {
	case "nologin", "false", "true", "sync", "shutdown", "halt":
		return true
	}
	return shell == "/dev/null"
}

// ftpSystemUIDMax reads the highest system UID from /etc/login.defs.
func (b *builder) ftpSystemUIDMax() (int, Source) {
	data := b.read(ftpLoginDefsPath, whatFTPAccounts, false)
	if data == nil {
		return 999, Source{}
	}
	d, err := directive.Parse(bytes.NewReader(data), ftpLoginDefsPath)
	b.parseGaps(err, whatFTPAccounts)
	if d == nil {
		return 999, Source{}
	}
	if v, ok := d.Last("SYS_UID_MAX"); ok {
		if n, err := strconv.Atoi(strings.TrimSpace(v.Value)); err == nil && n >= 0 {
			return n, Source{File: ftpLoginDefsPath, Line: v.Line}
		}
	}
	if v, ok := d.Last("UID_MIN"); ok {
		if n, err := strconv.Atoi(strings.TrimSpace(v.Value)); err == nil && n > 0 {
			return n - 1, Source{File: ftpLoginDefsPath, Line: v.Line}
		}
	}
	return 999, Source{}
}

// ftpd reads the options of the BSD-derived ftpd: -l logs each session,
// -u sets the umask of uploaded files; -t and -T take a value too. It
// reads /etc/ftpusers.
func (b *builder) ftpd(f *FTP, srv *FTPServer) {
	srv.Logging, srv.Umask = ftpdOptions(ftpArgs(srv.Start))
	f.ftpUseList(srv, ftpusersPath, true, srv.Name())
}

// ftpdOptions reads -l and -u from ftpd's arguments, the way getopt does.
func ftpdOptions(args []string) (logging bool, umask string) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" || !strings.HasPrefix(a, "-") || a == "-" {
			break
		}
		for j := 1; j < len(a); j++ {
			c := a[j]
			if c != 'u' && c != 't' && c != 'T' {
				logging = logging || c == 'l'
				continue
			}
			v := a[j+1:]
			if v == "" && i+1 < len(args) {
				i++
				v = args[i]
			}
			if c == 'u' {
				umask = v
			}
			break
		}
	}
	return logging, umask
}

// vsftpd reads vsftpd's configuration: the file its arguments name (or
// /etc/vsftpd.conf, or Red Hat's /etc/vsftpd/vsftpd.conf), then the -o
// settings of its arguments, which override the file.
func (b *builder) vsftpd(f *FTP, srv *FTPServer) {
	conf := ""
	var overrides []string
	for _, a := range ftpArgs(srv.Start) {
		switch {
		case strings.HasPrefix(a, "-o"):
			overrides = append(overrides, a[2:])
		case !strings.HasPrefix(a, "-"):
			conf = a
		}
	}
	if conf == "" {
		conf = ftpVsftpdConf
		if !b.t.Exists(conf) && b.t.Exists(ftpRHELVsftpdConf) {
			conf = ftpRHELVsftpdConf // Red Hat's build reads it by default
		}
	}
	srv.Configs = []string{conf}
	data, err := b.t.ReadFile(conf)
	if err != nil {
		srv.ConfigProblem = target.Reason(err)
		b.gap(conf, whatFTPConfig, err)
		return
	}
	v, err := vsftpd.Parse(bytes.NewReader(data), conf)
	b.parseGaps(err, whatFTPConfig)
	if v == nil {
		srv.ConfigProblem = "could not be parsed"
		return
	}
	// An option's value and where it comes from: the start for a -o
	// setting, the file's line, or the compiled-in default (line 0).
	startSrc := srv.Start.Source
	get := func(name string) (value string, src Source, text string) {
		for i := len(overrides) - 1; i >= 0; i-- {
			if k, val, ok := strings.Cut(overrides[i], "="); ok && k == name {
				return val, startSrc, ""
			}
		}
		if o, ok := v.Get(name); ok {
			return o.Value, Source{File: conf, Line: o.Line}, v.Lines[o.Line-1]
		}
		val, _ := v.Value(name)
		return val, Source{File: conf}, ""
	}
	isTrue := func(value string) bool {
		b, ok := vsftpd.ParseBool(value)
		return ok && b
	}
	if val, src, text := get("anonymous_enable"); isTrue(val) {
		what := "anonymous_enable=" + val
		switch {
		case src.Line == 0:
			what = "anonymous_enable is not set, and vsftpd's compiled-in default is YES"
		case src == startSrc:
			what = "-oanonymous_enable=" + val + " on its command line"
		}
		srv.Anonymous = append(srv.Anonymous, FTPAnonymous{Source: src, What: what, Option: "anonymous_enable", Text: text})
	}
	val, src, _ := get("ssl_enable")
	srv.TLS, srv.TLSSource = AnswerNo, src
	if isTrue(val) {
		srv.TLS = AnswerYes
	}
	// The lists: user_list when userlist_enable is on, and the list PAM's
	// pam_listfile reads for vsftpd's PAM service.
	if val, src, _ := get("userlist_enable"); isTrue(val) {
		file, fileSrc, _ := get("userlist_file")
		if fileSrc.Line == 0 && fileSrc != startSrc && path.Dir(conf) == "/etc/vsftpd" {
			file = "/etc/vsftpd/user_list" // as Red Hat builds it
		}
		deny, _, _ := get("userlist_deny")
		f.ftpUseList(srv, file, isTrue(deny), srv.Name()+", userlist_enable at "+src.String())
	}
	pamService, _, _ := get("pam_service_name")
	if pamService == "" {
		pamService = "ftp"
	}
	fallback := ftpusersPath
	if path.Dir(conf) == "/etc/vsftpd" {
		fallback = ftpRHELFtpusersPath
	}
	if !b.ftpPAMLists(f, srv, pamService, fallback) {
		srv.ConfigProblem = path.Join(ftpPAMDir, pamService) + " could not be read"
	} else if len(srv.Lists) == 0 {
		srv.NoList = "vsftpd reads no list of refused users: userlist_enable is off and " + path.Join(ftpPAMDir, pamService) + " has no pam_listfile line"
	}
}

// ftpPAMLists records the lists pam_listfile reads for a PAM service.
// Without a PAM file for the service, the server is taken to read fallback
// through PAM, as the distributions configure it. It reports whether the
// PAM file could be read, or was not there.
func (b *builder) ftpPAMLists(f *FTP, srv *FTPServer, service, fallback string) bool {
	name := path.Join(ftpPAMDir, service)
	data, err := b.t.ReadFile(name)
	switch {
	case err != nil && isNotExist(err):
		f.ftpUseList(srv, fallback, true, srv.Name()+", through PAM as the distributions set it up")
		return true
	case err != nil:
		b.gap(name, whatFTPConfig, err)
		return false
	}
	for i, line := range strings.Split(string(data), "\n") {
		l, ok := ftpPAMListfile(line)
		if !ok {
			continue
		}
		src := Source{File: name, Line: i + 1}
		f.ftpUseList(srv, l.file, l.deny, srv.Name()+", through pam_listfile at "+src.String())
	}
	return true
}

type ftpPAMList struct {
	file string
	deny bool
}

// ftpPAMListfile reads a PAM line that calls pam_listfile with item=user.
func ftpPAMListfile(line string) (ftpPAMList, bool) {
	line = strings.TrimSpace(line)
	if line == "" || line[0] == '#' {
		return ftpPAMList{}, false
	}
	words := strings.Fields(line)
	at := -1
	for i, w := range words {
		if strings.HasSuffix(w, "pam_listfile.so") {
			at = i
			break
		}
	}
	if at < 0 {
		return ftpPAMList{}, false
	}
	var l ftpPAMList
	user := false
	for _, w := range words[at+1:] {
		k, v, _ := strings.Cut(w, "=")
		switch k {
		case "item":
			user = v == "user"
		case "sense":
			l.deny = v == "deny"
		case "file":
			l.file = v
		}
	}
	return l, user && strings.HasPrefix(l.file, "/")
}

// proftpd reads ProFTPD's configuration and the files it includes.
func (b *builder) proftpd(f *FTP, srv *FTPServer) {
	conf := ""
	args := ftpArgs(srv.Start)
	for i, a := range args {
		if (a == "-c" || a == "--config") && i+1 < len(args) {
			conf = args[i+1]
		} else if v, ok := strings.CutPrefix(a, "--config="); ok {
			conf = v
		}
	}
	if conf == "" {
		conf = ftpProftpdConf
		if !b.t.Exists(conf) && b.t.Exists(ftpProftpdConfOld) {
			conf = ftpProftpdConfOld
		}
	}
	data, err := b.t.ReadFile(conf)
	if err != nil {
		srv.Configs = []string{conf}
		srv.ConfigProblem = target.Reason(err)
		b.gap(conf, whatFTPConfig, err)
		return
	}
	var files []*proftpd.File
	b.proftpdFile(srv, conf, data, 0, &files)
	useFtpusers := true
	var tls *proftpd.Directive
	tlsFile := ""
	srv.TLS, srv.TLSSource = AnswerNo, Source{File: conf}
	for _, pf := range files {
		for _, d := range pf.Find("UseFtpUsers") {
			useFtpusers = len(d.Args) == 0 || !strings.EqualFold(d.Args[0], "off")
		}
		for _, d := range pf.Find("TLSEngine") {
			if len(d.Args) > 0 && strings.EqualFold(d.Args[0], "on") {
				srv.TLS, srv.TLSSource = AnswerYes, Source{File: pf.Name, Line: d.Line}
			} else if srv.TLS != AnswerYes {
				tls, tlsFile = &d, pf.Name
			}
		}
		for _, s := range pf.Anonymous() {
			srv.Anonymous = append(srv.Anonymous, FTPAnonymous{
				Source: Source{File: pf.Name, Line: s.Line},
				What:   "<Anonymous " + strings.Join(s.Args, " ") + "> section",
			})
		}
	}
	if srv.TLS == AnswerNo && tls != nil {
		srv.TLSSource = Source{File: tlsFile, Line: tls.Line}
	}
	if useFtpusers {
		f.ftpUseList(srv, ftpusersPath, true, srv.Name()+", UseFtpUsers on")
	} else {
		srv.NoList = "UseFtpUsers off: proftpd reads no list of refused users"
	}
}

// proftpdFile parses one ProFTPD file and those it includes.
func (b *builder) proftpdFile(srv *FTPServer, name string, data []byte, depth int, files *[]*proftpd.File) {
	for _, c := range srv.Configs {
		if c == name {
			return
		}
	}
	srv.Configs = append(srv.Configs, name)
	pf, err := proftpd.Parse(bytes.NewReader(data), name)
	b.parseGaps(err, whatFTPConfig)
	if pf == nil {
		return
	}
	*files = append(*files, pf)
	if depth >= ftpMaxIncludeDepth {
		return
	}
	for _, inc := range pf.Includes() {
		if len(inc.Args) == 0 {
			continue
		}
		p := inc.Args[0]
		if !strings.HasPrefix(p, "/") {
			p = path.Join(path.Dir(name), p)
		}
		for _, file := range b.ftpGlob(p) {
			if d := b.read(file, whatFTPConfig, false); d != nil {
				b.proftpdFile(srv, file, d, depth+1, files)
			}
		}
	}
}

// ftpGlob returns the files a ProFTPD Include names: a file, every file of
// a directory, or the files whose names match a pattern.
func (b *builder) ftpGlob(p string) []string {
	dir, base := path.Split(p)
	if !strings.ContainsAny(base, "*?[") {
		if fi, err := b.t.Stat(p); err == nil && fi.IsDir() {
			dir, base = p, "*"
		} else {
			return []string{p}
		}
	}
	ents, err := b.t.ReadDir(dir)
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range ents {
		n := e.Name()
		if strings.HasPrefix(n, ".") || strings.HasSuffix(n, "~") {
			continue
		}
		if ok, _ := path.Match(base, n); ok && !e.IsDir() {
			out = append(out, path.Join(dir, e.Name()))
		}
	}
	return out
}

// pureFTPd reads Pure-FTPd's set-up: it serves anonymous users as the ftp
// account unless started with -E (--noanonymous), or Debian's wrapper
// finds NoAnonymous set.
func (b *builder) pureFTPd(f *FTP, srv *FTPServer) {
	noAnon := false
	for _, a := range ftpArgs(srv.Start) {
		if a == "--noanonymous" || strings.HasPrefix(a, "-") && !strings.HasPrefix(a, "--") && strings.ContainsRune(a, 'E') {
			noAnon = true
		}
	}
	if data := b.read(ftpPureNoAnonymous, whatFTPConfig, false); data != nil {
		v := strings.ToLower(strings.TrimSpace(string(data)))
		noAnon = noAnon || v == "yes" || v == "1" || v == "on"
		srv.Configs = append(srv.Configs, ftpPureNoAnonymous)
	}
	if a := f.Account("ftp"); !noAnon && a != nil && b.ftpHomeExists(a.Home) {
		srv.Anonymous = append(srv.Anonymous, FTPAnonymous{
			Source:  srv.Start.Source,
			What:    "started without -E while the ftp account exists",
			Account: "ftp",
		})
	}
	if !b.ftpPAMLists(f, srv, "pure-ftpd", ftpusersPath) {
		srv.ConfigProblem = path.Join(ftpPAMDir, "pure-ftpd") + " could not be read"
	} else if len(srv.Lists) == 0 {
		srv.NoList = "pure-ftpd reads no list of refused users: " + path.Join(ftpPAMDir, "pure-ftpd") + " has no pam_listfile line"
	}
}
