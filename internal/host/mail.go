package host

import (
	"bytes"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"strings"

	"bastion/internal/parse"
	"bastion/internal/parse/crontab"
	"bastion/internal/parse/idfile"
	"bastion/internal/parse/osrelease"
	"bastion/internal/parse/postfix"
	"bastion/internal/parse/sendmailcf"
	"bastion/internal/target"
)

// The mail transfer agents bastion reads the configuration of.
const (
	MTASendmail = "sendmail"
	MTAPostfix  = "postfix"
	MTAExim     = "exim"
)

// Where the mail transfer agents keep their configuration.
const (
	sendmailCFPath    = "/etc/mail/sendmail.cf"
	sendmailCFOldPath = "/etc/sendmail.cf" // AIX 4 and before
	sendmailMCPath    = "/etc/mail/sendmail.mc"
	postfixMainPath   = "/etc/postfix/main.cf"
	postfixMasterPath = "/etc/postfix/master.cf"
	// EximDebconfPath is the file Debian's exim4 is configured through;
	// update-exim4.conf builds exim's own configuration from it.
	EximDebconfPath = "/etc/exim4/update-exim4.conf.conf"
)

// What the gaps of the mail set-up say could not be checked.
const (
	whatMail        = "mail set-up"
	whatAliases     = "mail aliases file"
	whatForward     = ".forward files"
	whatRootCrontab = "root's crontab (mail queue runs)"
	whatMailOwners  = "owners of mail files"
)

// mtaNames maps the names a start of a mail transfer agent goes by (its
// program, its unit or script) to the agent.
var mtaNames = map[string]string{
	"sendmail": MTASendmail, "sendmail-mta": MTASendmail, "sm-mta": MTASendmail,
	"postfix": MTAPostfix, "master": MTAPostfix, "postmulti": MTAPostfix,
	"exim": MTAExim, "exim4": MTAExim,
}

// Mail is the mail set-up of a host: which mail transfer agent runs and
// whether it takes mail from the network, its configuration (sendmail.cf
// with its .mc source, class R and access map; postfix's main.cf and
// master.cf; the Debian configuration of exim), the aliases files, the
// users' .forward files, and root's crontab, where queue runs belong when
// sendmail does not run as a daemon.
type Mail struct {
	// MTA is the mail transfer agent: MTASendmail, MTAPostfix, MTAExim,
	// or "" when the host has none.
	MTA string
	// Started says whether an enabled start runs MTA: yes, no (only
	// disabled starts), or unknown (no start found; MTA was chosen from
	// the configuration files present).
	Started Answer
	// StartedBy are the starts of MTA, enabled ones first.
	StartedBy []Source
	// Receives says whether MTA takes mail from the network: sendmail or
	// exim started with -bd, postfix's master with an smtpd service of
	// type inet. It is no when MTA is not started, unknown when the
	// start does not say (a script, arguments in a variable).
	Receives Answer
	// Note says how MTA was chosen, and names other mail transfer agents
	// that are also started.
	Note string

	// Sendmail, Postfix and Exim hold the configuration of MTA; only the
	// one of MTA is set.
	Sendmail *Sendmail
	Postfix  *Postfix
	Exim     *Exim

	// Aliases are the aliases files that exist: those the configuration
	// of MTA names, and the usual places (/etc/mail/aliases,
	// /etc/aliases).
	Aliases []MailFile
	// HomesRead reports whether /etc/passwd was read, so that the homes
	// could be searched for .forward files; Forwards are those found.
	HomesRead bool
	Forwards  []MailFile
	// OwnersKnown reports whether the owners of the target's files are
	// its own: on the live host, or an offline root whose top directory
	// belongs to root. A copy made without keeping owners has every file
	// owned by whoever made it, and owners then say nothing.
	OwnersKnown bool
	// RootCrontab is root's crontab when it exists, or ""; QueueRun is a
	// job that runs sendmail -q, if any: in root's crontab, or on Linux
	// in the system crontabs (/etc/crontab, /etc/cron.d).
	RootCrontab string
	QueueRun    *Source
}

// MailFile is a file of the mail set-up as found in the target: an
// aliases file, a .forward file, sendmail's help file.
type MailFile struct {
	Path string
	// Real is the path once links are followed, where a change of its
	// mode or owner must be made.
	Real string
	// User is the account whose home holds a .forward file.
	User string
	// Exists reports whether the file is in the target; Mode, UID and GID
	// are its mode, owner and group then (UID and GID -1 when unknown).
	// For an aliases file, links are followed.
	Exists   bool
	Mode     fs.FileMode
	UID, GID int
	// Size is the size of the file in bytes.
	Size int64
	// Dir is the directory that holds the file once links are followed;
	// DirMode and DirUID are its mode and owner (-1 when unknown).
	Dir     string
	DirMode fs.FileMode
	DirUID  int
	// Problem says why the file could not be looked at, or "".
	Problem string
}

// Sendmail is sendmail's configuration.
type Sendmail struct {
	// CF is the sendmail.cf read, or nil when it could not be; CFPath is
	// its path, and Problem says why it was not read.
	CF      *sendmailcf.File
	CFPath  string
	Problem string
	// MC is the .mc source of the cf (/etc/mail/sendmail.mc), or nil.
	MC *sendmailcf.MC
	// RelayDomains are the members of class R, the domains and networks
	// sendmail relays for: the words of "CR" lines of the cf, and the
	// words of the files "FR" lines read, each with where it is written.
	RelayDomains []MailEntry
	// AccessMap reports that the cf declares the access map (K access);
	// AccessPath is the text file the map is built from, and Access its
	// entries.
	AccessMap  bool
	AccessPath string
	Access     []MailEntry
	// Help is the file HelpFile names, or nil when the option is not
	// set; HelpSource is the option's line, and HelpLines the file's
	// lines.
	Help       *MailFile
	HelpSource Source
	HelpLines  []string
	// Unmodelled lists what bastion does not read: class R from a
	// program or a map.
	Unmodelled []LogNote
}

// MailEntry is one word of a class file, or one entry of a map's text
// file ("Connect:10.1 RELAY").
type MailEntry struct {
	Source Source
	// Key is the word, or the key of a map entry; Value is the rest of a
	// map entry ("RELAY"), "" for a class word.
	Key   string
	Value string
	// Text is the whole line as written.
	Text string
}

// Postfix is postfix's configuration.
type Postfix struct {
	// Main is main.cf, or nil when it could not be read; MainPath is its
	// path and Problem says why it was not read.
	Main     *postfix.File
	MainPath string
	Problem  string
	// Master is master.cf, or nil when it is missing or unreadable.
	Master     *postfix.Master
	MasterPath string
	// SMTPD are the smtpd services of master.cf that are not commented
	// out (types inet and pass), and the postscreen services of type
	// inet; when master.cf is missing, the default smtp service.
	SMTPD []postfix.MasterService
}

// Exim is the configuration of Debian's exim4, from the file debconf
// writes.
type Exim struct {
	// Path is the file; Fields holds its settings by name, Lines the line
	// of each, and Text every line as written. Fields is nil when the
	// file could not be read, and Problem says why.
	Path    string
	Fields  map[string]string
	Lines   map[string]int
	Text    []string
	Problem string
}

// mail reads the mail set-up.
func (b *builder) mail() {
	m := &Mail{Started: AnswerUnknown, Receives: AnswerUnknown}
	b.f.Mail = m
	m.OwnersKnown = b.ownersKnown()
	b.chooseMTA(m)
	switch m.MTA {
	case MTASendmail:
		b.sendmail(m)
	case MTAPostfix:
		b.postfix(m)
	case MTAExim:
		b.exim(m)
	}
	if m.Started == AnswerNo {
		m.Receives = AnswerNo
	}
	b.aliasesFiles(m)
	if m.MTA != "" {
		b.forwardFiles(m)
	}
	b.rootCrontab(m)
	logs := false
	if s := b.f.Syslog; s != nil {
		for _, f := range s.Files {
			logs = logs || f.Exists
		}
	}
	if !m.OwnersKnown && (len(m.Aliases)+len(m.Forwards) > 0 || logs) {
		b.t.AddGap(target.Gap{Path: "/", What: whatMailOwners,
			Reason: "the top directory of the offline root does not belong to root: the copy did not keep owners"})
	}
}

// ownersKnown reports whether file owners in the target are the host's
// own (see Mail.OwnersKnown).
func (b *builder) ownersKnown() bool {
	if b.t.Live() {
		return true
	}
	fi, err := b.t.Stat("/")
	if err != nil {
		return false
	}
	uid, _ := fileOwner(fi)
	return uid == 0
}

// mtaOf returns the mail transfer agent a start runs, or "".
func mtaOf(s Start) string {
	id := strings.TrimSuffix(strings.TrimSuffix(s.ID, ".service"), ".socket")
	if i := strings.IndexByte(id, '@'); i >= 0 {
		id = id[:i]
	}
	for _, p := range []string{s.Program, s.Resolved, id} {
		n := path.Base(p)
		if n == "master" && !strings.Contains(p, "postfix") {
			continue // another program's master process
		}
		if a, ok := mtaNames[n]; ok {
			return a
		}
	}
	return ""
}

// chooseMTA works out which mail transfer agent the host runs: the one an
// enabled start runs, or else one only disabled starts run, or else the
// one whose configuration is present.
func (b *builder) chooseMTA(m *Mail) {
	enabled := map[string][]Start{}
	disabled := map[string][]Start{}
	for _, st := range b.f.Starts {
		a := mtaOf(st)
		if a == "" {
			continue
		}
		if st.Enabled {
			enabled[a] = append(enabled[a], st)
		} else {
			disabled[a] = append(disabled[a], st)
		}
	}
	order := []string{MTAPostfix, MTAExim, MTASendmail}
	if b.f.Platform.OS == target.AIX {
		order = []string{MTASendmail, MTAPostfix, MTAExim}
	}
	for _, a := range order {
		if len(enabled[a]) == 0 {
			continue
		}
		if m.MTA == "" {
			m.MTA, m.Started = a, AnswerYes
			continue
		}
		m.Note = joinNote(m.Note, a+" is started too ("+enabled[a][0].Source.String()+")")
	}
	if m.MTA == "" {
		for _, a := range order {
			if len(disabled[a]) > 0 {
				m.MTA, m.Started = a, AnswerNo
				m.Note = "every start of " + a + " is disabled"
				break
			}
		}
	}
	if m.MTA == "" {
		confs := map[string][]string{
			MTASendmail: {sendmailCFPath, sendmailCFOldPath},
			MTAPostfix:  {postfixMainPath},
			MTAExim:     {EximDebconfPath, "/etc/exim4/exim4.conf.template", "/etc/exim/exim.conf"},
		}
	found:
		for _, a := range order {
			for _, p := range confs[a] {
				if _, err := b.t.Stat(p); err == nil {
					m.MTA = a
					m.Note = "no start of a mail transfer agent found; chosen because " + p + " exists"
					break found
				}
			}
		}
	}
	for _, st := range enabled[m.MTA] {
		m.StartedBy = append(m.StartedBy, st.Source)
	}
	for _, st := range disabled[m.MTA] {
		m.StartedBy = append(m.StartedBy, st.Source)
	}
	if m.Started == AnswerYes && m.MTA != MTAPostfix {
		m.Receives = daemonMode(enabled[m.MTA])
	}
}

// daemonMode says whether sendmail or exim, as started, takes mail from the
// network: yes when a start passes -bd (or sendmail's -bD), no when every
// start runs the program itself without it, unknown when a start is a
// script or its arguments are in a variable.
func daemonMode(starts []Start) Answer {
	out := AnswerNo
	for _, st := range starts {
		args := strings.Join(st.Args, " ")
		switch {
		case bdRE.MatchString(args):
			return AnswerYes
		case strings.Contains(args, "$"):
			out = AnswerUnknown
		case st.Kind == KindSysV, mtaNames[path.Base(st.Program)] == "" && mtaNames[path.Base(st.Resolved)] == "":
			out = AnswerUnknown // a script that runs it some other way
		}
	}
	return out
}

var bdRE = regexp.MustCompile(`(^|\s)-b[dD]`)

// sendmail reads sendmail.cf, its .mc source, the relay domains, the access
// map and the help file.
func (b *builder) sendmail(m *Mail) {
	s := &Sendmail{}
	m.Sendmail = s
	s.CFPath = b.sendmailCF(m)
	data := b.read(s.CFPath, whatMail, m.Started == AnswerYes)
	if data == nil {
		s.Problem = s.CFPath + " could not be read"
		if _, err := b.t.Stat(s.CFPath); isNotExist(err) {
			s.Problem = s.CFPath + " is not there"
		}
	} else {
		cf, err := sendmailcf.Parse(bytes.NewReader(data), s.CFPath)
		b.parseGaps(err, whatMail)
		s.CF = cf
	}
	if data := b.read(sendmailMCPath, whatMail, false); data != nil {
		mc, err := sendmailcf.ParseMC(bytes.NewReader(data), sendmailMCPath)
		b.parseGaps(err, whatMail)
		s.MC = mc
	}
	cf := s.CF
	if cf == nil {
		return
	}
	// Class R: the relay domains.
	for _, c := range cf.Class("R") {
		src := Source{File: s.CFPath, Line: c.Line}
		switch {
		case c.File == "":
			for _, w := range c.Words {
				s.RelayDomains = append(s.RelayDomains, MailEntry{Source: src, Key: w, Text: cf.Lines[c.Line-1]})
			}
		case strings.HasPrefix(c.File, "|") || strings.Contains(c.File, "@"):
			s.Unmodelled = append(s.Unmodelled, LogNote{Source: src, What: "class R is read from " + c.File + "; not modelled"})
		default:
			s.RelayDomains = append(s.RelayDomains, b.classFile(c.File, !c.Optional, c.Format != "")...)
		}
	}
	// The access map, from the text file makemap builds it from.
	for _, k := range cf.Maps {
		if k.Name != "access" {
			continue
		}
		s.AccessMap = true
		if len(k.Args) > 0 {
			p := k.Args[len(k.Args)-1]
			if strings.HasPrefix(p, "/") {
				s.AccessPath = strings.TrimSuffix(strings.TrimSuffix(p, ".db"), ".dir")
			}
		}
	}
	if s.AccessPath != "" {
		s.Access = b.mapFile(s.AccessPath)
	}
	// The help file.
	if o, ok := cf.Option("HelpFile"); ok {
		s.HelpSource = Source{File: s.CFPath, Line: o.Line}
		h := &MailFile{Path: o.Value, UID: -1, GID: -1, DirUID: -1}
		s.Help = h
		if strings.HasPrefix(h.Path, "/") {
			b.statMailFile(h, whatMail, true)
			if h.Exists {
				if data := b.read(h.Path, whatMail, false); data != nil {
					s.HelpLines = parse.SplitLines(data)
				}
			}
		}
	}
}

// sendmailCF returns the sendmail.cf the daemon reads: the file a start
// names with -C, or the platform's place.
func (b *builder) sendmailCF(m *Mail) string {
	for _, st := range b.f.Starts {
		if !st.Enabled || mtaOf(st) != MTASendmail {
			continue
		}
		for i, a := range st.Args {
			switch {
			case a == "-C" && i+1 < len(st.Args) && strings.HasPrefix(st.Args[i+1], "/"):
				return st.Args[i+1]
			case strings.HasPrefix(a, "-C/"):
				return a[2:]
			}
		}
	}
	p := b.f.Platform
	if p.OS == target.AIX {
		var major int
		if _, err := fmt.Sscanf(p.Version, "%d", &major); err == nil && major < 5 {
			return sendmailCFOldPath
		}
		if _, err := b.t.Stat(sendmailCFPath); isNotExist(err) {
			if _, err := b.t.Stat(sendmailCFOldPath); err == nil {
				return sendmailCFOldPath
			}
		}
	}
	return sendmailCFPath
}

// classFile reads the words of a file an F line fills a class from. Lines
// that start with '#' are skipped, as sendmail does; with a scanf format,
// what follows a '#' is dropped too (the usual "%[^\#]").
func (b *builder) classFile(p string, required, format bool) []MailEntry {
	data := b.read(p, whatMail, required)
	if data == nil {
		return nil
	}
	var out []MailEntry
	for i, l := range parse.SplitLines(data) {
		if strings.HasPrefix(l, "#") {
			continue
		}
		text := l
		if format {
			text, _, _ = strings.Cut(text, "#")
		}
		for _, w := range parse.Fields(text) {
			out = append(out, MailEntry{Source: Source{File: p, Line: i + 1}, Key: w, Text: l})
		}
	}
	return out
}

// mapFile reads the text file a map is built from: "key value" lines, with
// '#' comment lines, as makemap reads them.
func (b *builder) mapFile(p string) []MailEntry {
	data := b.read(p, whatMail, false)
	if data == nil {
		return nil
	}
	var out []MailEntry
	for i, l := range parse.SplitLines(data) {
		t := strings.TrimSpace(l)
		if t == "" || t[0] == '#' {
			continue
		}
		fields := parse.Fields(t)
		out = append(out, MailEntry{Source: Source{File: p, Line: i + 1}, Key: fields[0],
			Value: strings.TrimSpace(t[len(fields[0]):]), Text: l})
	}
	return out
}

// postfix reads main.cf and master.cf.
func (b *builder) postfix(m *Mail) {
	p := &Postfix{MainPath: postfixMainPath, MasterPath: postfixMasterPath}
	m.Postfix = p
	data := b.read(p.MainPath, whatMail, m.Started == AnswerYes)
	if data == nil {
		p.Problem = p.MainPath + " could not be read"
		if _, err := b.t.Stat(p.MainPath); isNotExist(err) {
			p.Problem = p.MainPath + " is not there"
		}
	} else {
		f, err := postfix.Parse(bytes.NewReader(data), p.MainPath)
		b.parseGaps(err, whatMail)
		p.Main = f
	}
	data = b.read(p.MasterPath, whatMail, false)
	switch {
	case data != nil:
		ms, err := postfix.ParseMaster(bytes.NewReader(data), p.MasterPath)
		b.parseGaps(err, whatMail)
		p.Master = ms
		for _, s := range ms.Services {
			if s.Commented {
				continue
			}
			if s.Command == "smtpd" && (s.Type == "inet" || s.Type == "pass") || s.Command == "postscreen" && s.Type == "inet" {
				p.SMTPD = append(p.SMTPD, s)
			}
		}
	case !b.t.Exists(p.MasterPath):
		// Postfix does not run without master.cf; what it would run is
		// the one smtp service every master.cf starts with.
		p.SMTPD = []postfix.MasterService{{Service: "smtp", Type: "inet", Private: "n", Unpriv: "-", Chroot: "-",
			Wakeup: "-", MaxProc: "-", Command: "smtpd"}}
	default:
		p.Problem = joinNote(p.Problem, p.MasterPath+" could not be read")
	}
	if m.Started == AnswerYes {
		m.Receives = AnswerNo
		if p.Master == nil && p.Problem != "" {
			m.Receives = AnswerUnknown
		}
		for _, s := range p.SMTPD {
			if s.Type == "inet" {
				m.Receives = AnswerYes
			}
		}
	}
}

// exim reads the settings Debian's exim4 is built from.
func (b *builder) exim(m *Mail) {
	e := &Exim{Path: EximDebconfPath}
	m.Exim = e
	data := b.read(e.Path, whatMail, false)
	if data == nil {
		e.Problem = e.Path + " could not be read"
		if _, err := b.t.Stat(e.Path); isNotExist(err) {
			e.Problem = e.Path + " is not there: exim's own configuration file is not modelled"
		}
		return
	}
	rel, err := osrelease.Parse(bytes.NewReader(data), e.Path)
	b.parseGaps(err, whatMail)
	if rel != nil {
		e.Fields, e.Lines = rel.Fields, rel.Lines
	}
	e.Text = parse.SplitLines(data)
}

// statMailFile fills in the state of a file and of its directory, links
// followed.
func (b *builder) statMailFile(f *MailFile, what string, follow bool) {
	var fi fs.FileInfo
	var err error
	if follow {
		fi, err = b.t.Stat(f.Path)
	} else {
		fi, err = b.t.Lstat(f.Path)
	}
	if err != nil {
		if !isNotExist(err) {
			f.Problem = target.Reason(err)
			b.gap(f.Path, what, err)
		}
		return
	}
	f.Exists, f.Mode, f.Size = true, fi.Mode(), fi.Size()
	f.UID, f.GID = fileOwner(fi)
	f.Real = f.Path
	if follow {
		if r, err := b.t.Resolve(f.Path); err == nil {
			f.Real = r
		}
	}
	f.Dir = path.Dir(f.Real)
	if di, err := b.t.Stat(f.Dir); err == nil {
		f.DirMode = di.Mode()
		f.DirUID, _ = fileOwner(di)
	} else {
		b.gap(f.Dir, what, err)
	}
}

// aliasPathRE finds the files of a map list: "hash:/etc/aliases",
// "/etc/mail/aliases", "lmdb:/etc/aliases".
var aliasPathRE = regexp.MustCompile(`(?:^|[\s,])(?:[a-z0-9]+:)?(/[^\s,]+)`)

// aliasesFiles finds the aliases files that exist and looks them up.
func (b *builder) aliasesFiles(m *Mail) {
	var paths []string
	add := func(p string) {
		p = path.Clean(p)
		for _, q := range paths {
			if q == p {
				return
			}
		}
		paths = append(paths, p)
	}
	if s := m.Sendmail; s != nil && s.CF != nil {
		for _, o := range s.CF.AllOptions("AliasFile") {
			for _, mt := range aliasPathRE.FindAllStringSubmatch(o.Value, -1) {
				add(mt[1])
			}
		}
	}
	if p := m.Postfix; p != nil && p.Main != nil {
		for _, name := range []string{"alias_maps", "alias_database"} {
			v, _ := p.Main.Value(name)
			for _, mt := range aliasPathRE.FindAllStringSubmatch(v, -1) {
				add(mt[1])
			}
		}
	}
	add("/etc/mail/aliases")
	add("/etc/aliases")
	seen := map[string]bool{}
	for _, p := range paths {
		p = strings.TrimSuffix(p, ".db")
		real, err := b.t.Resolve(p)
		if err != nil {
			real = p
		}
		if seen[real] {
			continue // a link to a file already looked at
		}
		seen[real] = true
		f := MailFile{Path: p, UID: -1, GID: -1, DirUID: -1}
		b.statMailFile(&f, whatAliases, true)
		if f.Exists || f.Problem != "" {
			m.Aliases = append(m.Aliases, f)
		}
	}
}

// forwardFiles looks for a .forward file in the home of every account.
func (b *builder) forwardFiles(m *Mail) {
	data := b.read("/etc/passwd", whatForward, true)
	if data == nil {
		return
	}
	pw, err := idfile.Parse(bytes.NewReader(data), "/etc/passwd")
	b.parseGaps(err, whatForward)
	if pw == nil {
		return
	}
	m.HomesRead = true
	seen := map[string]bool{}
	for _, e := range pw.Entries {
		if !strings.HasPrefix(e.Home, "/") {
			continue
		}
		p := path.Join(e.Home, ".forward")
		if seen[p] {
			continue
		}
		seen[p] = true
		f := MailFile{Path: p, User: e.Name, UID: -1, GID: -1, DirUID: -1}
		b.statMailFile(&f, whatForward, false)
		if f.Exists || f.Problem != "" {
			m.Forwards = append(m.Forwards, f)
		}
	}
}

// rootCrontabs are where root's crontab lives: AIX and Debian, then Red Hat.
var rootCrontabs = []string{"/var/spool/cron/crontabs/root", "/var/spool/cron/root"}

// rootCrontab finds root's crontab and a job that runs the mail queue:
// in root's crontab, or on Linux in /etc/crontab and /etc/cron.d, where a
// sendmail package puts its own.
func (b *builder) rootCrontab(m *Mail) {
	aix := b.f.Platform.OS == target.AIX
	for _, p := range rootCrontabs {
		if aix && p != rootCrontabs[0] {
			break
		}
		data := b.read(p, whatRootCrontab, false)
		if data == nil {
			continue
		}
		m.RootCrontab = p
		f, err := crontab.Parse(bytes.NewReader(data), p)
		b.parseGaps(err, whatRootCrontab)
		m.QueueRun = queueRun(f)
		break
	}
	if aix || m.QueueRun != nil {
		return
	}
	system := []string{"/etc/crontab"}
	if ents, err := b.t.ReadDir("/etc/cron.d"); err == nil {
		for _, e := range ents {
			if !e.IsDir() && !strings.HasPrefix(e.Name(), ".") {
				system = append(system, path.Join("/etc/cron.d", e.Name()))
			}
		}
	}
	for _, p := range system {
		data := b.read(p, whatRootCrontab, false)
		if data == nil {
			continue
		}
		f, _ := crontab.ParseSystem(bytes.NewReader(data), p)
		if m.QueueRun = queueRun(f); m.QueueRun != nil {
			return
		}
	}
}

// queueRun returns the first job of a crontab that runs sendmail's queue.
func queueRun(f *crontab.File) *Source {
	if f == nil {
		return nil
	}
	for _, j := range f.Jobs {
		if queueRunRE.MatchString(j.ShellCommand()) {
			return &Source{File: f.Name, Line: j.Line}
		}
	}
	return nil
}

// queueRunRE matches a command that runs sendmail's queue: "sendmail -q",
// "/usr/lib/sendmail -q", "sendmail -oi -q15m".
var queueRunRE = regexp.MustCompile(`(^|[\s/;&|(])(sendmail|sendmail-mta)(\s+-\S+)*\s+-q`)
