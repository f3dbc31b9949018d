package host

import (
	"bytes"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"bastion/internal/parse/cronlog"
	"bastion/internal/parse/crontab"
	"bastion/internal/parse/idfile"
	"bastion/internal/parse/userlist"
	"bastion/internal/target"
)

// Where cron and at keep their files.
const (
	aixCronDir      = "/var/adm/cron"            // AIX: the allow and deny files, the log
	cronSpoolDir    = "/var/spool/cron/crontabs" // AIX and Debian: user crontabs
	atSpoolDir      = "/var/spool/cron/atjobs"   // AIX and Debian: queued at jobs
	redHatCronSpool = "/var/spool/cron"          // Red Hat: user crontabs
	redHatAtSpool   = "/var/spool/at"            // Red Hat: queued at jobs
	systemCrontab   = "/etc/crontab"             // Linux: the system crontab
	cronDDir        = "/etc/cron.d"              // Linux: more system crontabs
	cronLogConfPath = "/etc/cronlog.conf"        // AIX: where cron logs
)

const whatCron = "cron and at"

// The services Cron describes.
const (
	CronService = "cron"
	AtService   = "at"
)

// The kinds of CronTable.
const (
	CronUserTable   = "user crontab"   // a user's crontab in the spool directory
	CronSystemTable = "system crontab" // /etc/crontab or a file of /etc/cron.d
	CronAtJob       = "at job"         // a queued at job
)

// The layouts of a spool directory, which say what its packaged owner
// and mode are.
const (
	CronLayoutAIX    = "aix"    // /var/spool/cron/crontabs and atjobs on AIX
	CronLayoutDebian = "debian" // the same directories on Debian and its derivatives
	CronLayoutRedHat = "redhat" // /var/spool/cron and /var/spool/at
	CronLayoutCronD  = "cron.d" // /etc/cron.d
)

// aixCronPath is where this package looks for programs a job names
// without a directory on AIX when its crontab sets no PATH: the start of
// AIX's default PATH. linuxCronPath is the PATH Vixie cron and cronie give
// jobs.
var (
	aixCronPath   = []string{"/usr/bin", "/etc", "/usr/sbin", "/usr/ucb", "/sbin"}
	linuxCronPath = []string{"/usr/bin", "/bin"}
)

// Cron is cron and at: who may use them (the allow and deny files), where
// their jobs are kept (the spool directories, with owner and mode), the
// crontabs and queued at jobs with the programs each job runs, and cron's
// own log on AIX. Every file is described as found in the target, present
// or not, so that a rule can tell a missing file from an unreadable one.
type Cron struct {
	// Installed says, for CronService and AtService, whether the host has
	// the service: AIX always has both; on Linux, a start of the daemon,
	// its spool directory, /etc/crontab or its program shows it.
	Installed map[string]bool
	// Lists are the allow and deny files, in the order cron.allow,
	// cron.deny, at.allow, at.deny.
	Lists []CronList
	// Spools are the directories jobs are kept in: user crontabs, at
	// jobs and, on Linux, /etc/cron.d.
	Spools []CronSpool
	// Tables are the crontabs and at jobs read, in spool order.
	Tables []CronTable
	// Log is cron's own log on AIX; nil on Linux, where cron logs
	// through syslog.
	Log *CronLog
	// SearchPath is where a program named without a directory is looked
	// for when its crontab sets no PATH.
	SearchPath []string
}

// List returns the allow (or deny) file of a service.
func (c *Cron) List(service string, allow bool) *CronList {
	for i := range c.Lists {
		if l := &c.Lists[i]; l.Service == service && l.Allow == allow {
			return l
		}
	}
	return nil
}

// FileState is a file or directory as found in the target, links
// followed: cron's files and directories, the account databases.
type FileState struct {
	Path string
	// Exists reports whether it is in the target; Mode, UID and GID are
	// its mode, owner and group then (UID and GID -1 when unknown), and
	// Owner and Group the names the target's /etc/passwd and /etc/group
	// give them ("" when they name none).
	Exists       bool
	Mode         fs.FileMode
	UID, GID     int
	Owner, Group string
	// Problem says why it could not be looked at, or "".
	Problem string
}

// Perm returns the permission bits of the mode with the setuid, setgid
// and sticky bits, as chmod sets them.
func (f FileState) Perm() fs.FileMode {
	return f.Mode & (fs.ModePerm | fs.ModeSetuid | fs.ModeSetgid | fs.ModeSticky)
}

// OwnedBy reports whether the owner is one of the users named, or is not
// known. The name root also matches user ID 0.
func (f FileState) OwnedBy(names ...string) bool {
	if f.UID < 0 {
		return true
	}
	for _, n := range names {
		if n == f.Owner || n == "root" && f.UID == 0 {
			return true
		}
	}
	return false
}

// GroupIn reports whether the group is one of the groups named, or is not
// known. Groups are told apart by the names the target's /etc/group gives
// them; a group ID it does not name matches root and system when it is 0.
func (f FileState) GroupIn(names ...string) bool {
	if f.GID < 0 {
		return true
	}
	for _, n := range names {
		if n == f.Group || f.Group == "" && (n == "root" || n == "system") && f.GID == 0 {
			return true
		}
	}
	return false
}

// OwnerName is the owner's name, or its number when the target names it
// not.
func (f FileState) OwnerName() string { return idName(f.Owner, f.UID) }

// GroupName is the group's name, or its number.
func (f FileState) GroupName() string { return idName(f.Group, f.GID) }

func idName(name string, id int) string {
	switch {
	case name != "":
		return name
	case id < 0:
		return "?"
	}
	return strconv.Itoa(id)
}

// CronList is an allow or deny file of cron or at.
type CronList struct {
	FileState
	// Service is CronService or AtService; Allow tells an allow file from
	// a deny file.
	Service string
	Allow   bool
	// Names are the user names it lists.
	Names []string
}

// CronSpool is a directory that holds crontabs or at jobs.
type CronSpool struct {
	FileState
	// Service is CronService or AtService; Kind is the kind of table it
	// holds (CronUserTable, CronSystemTable, CronAtJob); Layout says whose
	// packaging it follows (CronLayoutAIX, ...).
	Service string
	Kind    string
	Layout  string
}

// CronTable is a crontab or a queued at job.
type CronTable struct {
	FileState
	// Kind is CronUserTable, CronSystemTable or CronAtJob.
	Kind string
	// User is the user whose jobs these are: the name of a user crontab,
	// the owner of an at job. A system crontab names the user on each
	// line, and User is "". UserKnown reports whether the target's
	// /etc/passwd names User.
	User      string
	UserKnown bool
	// Jobs are the job lines; for an at job, which is a shell script, the
	// lines that run a program named by its full path.
	Jobs []CronJob
}

// CronJob is one job line and the programs it runs.
type CronJob struct {
	Source Source
	// Text is the line as written.
	Text string
	// User is the user the job runs as.
	User string
	// Programs are the programs it runs, as far as they can be named
	// without running anything (see crontab.Programs), with the scripts
	// of each directory it hands to run-parts.
	Programs []CronProgram
}

// CronProgram is a program a job runs, and what lets others change it.
type CronProgram struct {
	// Name is the program as the command names it: "/tmp/x.sh",
	// "run-parts", or a run-parts directory with a final slash
	// ("/etc/cron.daily/").
	Name string
	// Path is where it is in the target: Name, the file a name without a
	// directory is found as on the job's PATH, a run-parts directory
	// without its final slash, or a script run-parts runs. It is "" for a
	// name found nowhere on the PATH.
	Path string
	// Via is the run-parts directory a script is run from, or "".
	Via string
	// Dir marks a run-parts directory itself.
	Dir bool
	// Exists reports whether Path is in the target.
	Exists bool
	// Writable are the program itself and the directories above it (as
	// named and once links are followed) that its group or every user
	// may write to, nearest first. A program that does not exist is
	// still at risk when a directory above it is writable.
	Writable []CronWritable
	// Problem says why the program or a directory above it could not be
	// looked at, or "".
	Problem string
}

// CronWritable is a file or directory that users other than its owner may
// write to.
type CronWritable struct {
	Path string
	Dir  bool
	Mode fs.FileMode
}

// World reports whether every user may write to it.
func (w CronWritable) World() bool { return w.Mode&0o002 != 0 }

// Sticky reports whether it is a directory with the sticky bit, in which
// users may add files but not remove or rename those of others (/tmp).
func (w CronWritable) Sticky() bool { return w.Dir && w.Mode&fs.ModeSticky != 0 }

// CronLog is the AIX cron daemon's log.
type CronLog struct {
	FileState
	// Quiet is set when cronlog.conf turns logging off.
	Quiet bool
	// Source is the line of cronlog.conf that names the file or turns
	// logging off; its File is "" when cron's default applies. Text is
	// that line as written.
	Source Source
	Text   string
}

// cronScan carries what reading cron needs besides the builder: the
// target's user and group names and the files already looked at.
type cronScan struct {
	b      *builder
	users  map[int]string
	groups map[int]string
	known  map[string]bool // user names in /etc/passwd
	stats  map[string]cronStat
	debian bool
}

type cronStat struct {
	fi  fs.FileInfo
	err error
}

// cron reads cron and at.
func (b *builder) cron() {
	c := &Cron{Installed: map[string]bool{}}
	b.f.Cron = c
	osName := b.f.Platform.OS
	if osName != target.AIX && osName != target.Linux {
		return
	}
	s := &cronScan{b: b, stats: map[string]cronStat{}}
	s.ids()
	s.debian = osName == target.Linux && (b.f.Platform.Distro == "debian" || b.f.Platform.Distro == "ubuntu" || b.t.Exists(cronSpoolDir))
	listDir := "/etc"
	c.SearchPath = linuxCronPath
	if osName == target.AIX {
		listDir, c.SearchPath = aixCronDir, aixCronPath
	}
	for _, l := range []struct {
		service, name string
		allow         bool
	}{{CronService, "cron.allow", true}, {CronService, "cron.deny", false}, {AtService, "at.allow", true}, {AtService, "at.deny", false}} {
		c.Lists = append(c.Lists, s.list(path.Join(listDir, l.name), l.service, l.allow))
	}
	switch {
	case osName == target.AIX:
		c.Spools = []CronSpool{
			{FileState: FileState{Path: cronSpoolDir}, Service: CronService, Kind: CronUserTable, Layout: CronLayoutAIX},
			{FileState: FileState{Path: atSpoolDir}, Service: AtService, Kind: CronAtJob, Layout: CronLayoutAIX},
		}
	default:
		cronDir, atDir, layout := redHatCronSpool, redHatAtSpool, CronLayoutRedHat
		if s.debian {
			cronDir, atDir, layout = cronSpoolDir, atSpoolDir, CronLayoutDebian
		}
		c.Spools = []CronSpool{
			{FileState: FileState{Path: cronDir}, Service: CronService, Kind: CronUserTable, Layout: layout},
			{FileState: FileState{Path: cronDDir}, Service: CronService, Kind: CronSystemTable, Layout: CronLayoutCronD},
			{FileState: FileState{Path: atDir}, Service: AtService, Kind: CronAtJob, Layout: layout},
		}
		if _, err := s.stat(systemCrontab); err == nil || !isNotExist(err) {
			c.Tables = append(c.Tables, s.table(systemCrontab, CronSystemTable, "", c.SearchPath))
		}
	}
	for i := range c.Spools {
		sp := &c.Spools[i]
		for _, name := range s.spool(sp) {
			p := path.Join(sp.Path, name)
			user := ""
			if sp.Kind == CronUserTable {
				user = name
			}
			c.Tables = append(c.Tables, s.table(p, sp.Kind, user, c.SearchPath))
		}
	}
	c.Installed[CronService], c.Installed[AtService] = true, true
	if osName == target.Linux {
		c.Installed[CronService] = s.installed(c, CronService, []string{"cron", "crond"}, []string{"/usr/sbin/cron", "/usr/sbin/crond", systemCrontab})
		c.Installed[AtService] = s.installed(c, AtService, []string{"atd"}, []string{"/usr/bin/at", "/usr/sbin/atd"})
	}
	if osName == target.AIX {
		c.Log = s.log()
	}
}

// ids reads the target's user and group names.
func (s *cronScan) ids() {
	s.users, s.groups, s.known = map[int]string{}, map[int]string{}, map[string]bool{}
	for _, f := range []struct {
		name string
		ids  map[int]string
	}{{"/etc/passwd", s.users}, {"/etc/group", s.groups}} {
		data, err := s.b.t.ReadFile(f.name)
		if err != nil {
			continue
		}
		parsed, _ := idfile.Parse(bytes.NewReader(data), f.name)
		if parsed == nil {
			continue
		}
		for _, e := range parsed.Entries {
			if _, dup := f.ids[e.ID]; !dup {
				f.ids[e.ID] = e.Name
			}
			if f.name == "/etc/passwd" {
				s.known[e.Name] = true
			}
		}
	}
}

// stat looks a file up once, links followed.
func (s *cronScan) stat(p string) (fs.FileInfo, error) {
	if st, ok := s.stats[p]; ok {
		return st.fi, st.err
	}
	fi, err := s.b.t.Stat(p)
	s.stats[p] = cronStat{fi, err}
	return fi, err
}

// file describes a file as found; a missing file is not a problem, any
// other failure is, and a gap.
func (s *cronScan) file(p string, dir bool) FileState {
	f := FileState{Path: p, UID: -1, GID: -1}
	fi, err := s.stat(p)
	switch {
	case isNotExist(err):
		return f
	case err != nil:
		f.Problem = target.Reason(err)
		s.b.gap(p, whatCron, err)
		return f
	}
	f.Exists, f.Mode = true, fi.Mode()
	f.UID, f.GID = fileOwner(fi)
	if f.UID >= 0 {
		f.Owner = s.users[f.UID]
	}
	if f.GID >= 0 {
		f.Group = s.groups[f.GID]
	}
	switch {
	case dir && !fi.IsDir():
		f.Problem = "not a directory"
	case !dir && !fi.Mode().IsRegular():
		f.Problem = "not a regular file"
	}
	if f.Problem != "" {
		s.b.t.AddGap(target.Gap{Path: p, What: whatCron, Reason: f.Problem})
	}
	return f
}

// list reads an allow or deny file.
func (s *cronScan) list(p, service string, allow bool) CronList {
	l := CronList{FileState: s.file(p, false), Service: service, Allow: allow}
	if !l.Exists || l.Problem != "" {
		return l
	}
	data, err := s.b.t.ReadFile(p)
	if err != nil {
		l.Problem = target.Reason(err)
		s.b.gap(p, whatCron, err)
		return l
	}
	f, err := userlist.Parse(bytes.NewReader(data), p)
	s.b.parseGaps(err, whatCron)
	if f != nil {
		for _, n := range f.Names {
			l.Names = append(l.Names, n.Name)
		}
	}
	return l
}

// spool describes a spool directory and returns the names of the tables
// in it.
func (s *cronScan) spool(sp *CronSpool) []string {
	sp.FileState = s.file(sp.Path, true)
	if !sp.Exists || sp.Problem != "" {
		return nil
	}
	ents, err := s.b.t.ReadDir(sp.Path)
	if err != nil {
		sp.Problem = target.Reason(err)
		s.b.gap(sp.Path, whatCron, err)
		return nil
	}
	var out []string
	for _, e := range ents {
		n := e.Name()
		switch {
		case strings.HasPrefix(n, "."):
			continue // at's sequence and lock files, editors' files
		case sp.Kind == CronSystemTable && !s.cronDName(n):
			continue // cron skips these names
		case sp.Kind != CronUserTable && e.IsDir():
			continue // Red Hat's /var/spool/at/spool
		case sp.Layout == CronLayoutRedHat && sp.Kind == CronUserTable && e.IsDir():
			continue
		}
		out = append(out, n)
	}
	return out
}

// runPartsNameRE is the names Debian's run-parts runs and Debian's cron
// reads in /etc/cron.d, unless told otherwise.
var runPartsNameRE = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

// cronDName reports whether cron reads a file of /etc/cron.d (and
// run-parts runs a script) of this name: on Debian, names of letters,
// digits, '_' and '-' only; elsewhere, names that are not backups or
// package manager leftovers.
func (s *cronScan) cronDName(n string) bool {
	if s.debian {
		return runPartsNameRE.MatchString(n)
	}
	if strings.HasPrefix(n, ".") || strings.HasSuffix(n, "~") || strings.HasSuffix(n, ",") {
		return false
	}
	for _, suffix := range []string{".rpmsave", ".rpmorig", ".rpmnew", ".swp", ".cfsaved", ".dpkg-old", ".dpkg-new", ".dpkg-dist"} {
		if strings.HasSuffix(n, suffix) {
			return false
		}
	}
	return true
}

// table reads a crontab or an at job and follows the programs its jobs
// run.
func (s *cronScan) table(p, kind, user string, searchPath []string) CronTable {
	t := CronTable{FileState: s.file(p, false), Kind: kind, User: user}
	if kind == CronAtJob {
		t.User = t.Owner
		if i := strings.IndexByte(path.Base(p), '.'); i > 0 && s.known[path.Base(p)[:i]] {
			t.User = path.Base(p)[:i] // AIX names a job user.time.queue
		}
	}
	t.UserKnown = s.known[t.User]
	if !t.Exists || t.Problem != "" {
		return t
	}
	data, err := s.b.t.ReadFile(p)
	if err != nil {
		t.Problem = target.Reason(err)
		s.b.gap(p, whatCron, err)
		return t
	}
	if kind == CronAtJob {
		t.Jobs = s.atJob(p, t.User, data)
		return t
	}
	var f *crontab.File
	if kind == CronSystemTable {
		f, err = crontab.ParseSystem(bytes.NewReader(data), p)
	} else {
		f, err = crontab.Parse(bytes.NewReader(data), p)
	}
	s.b.parseGaps(err, whatCron)
	if f == nil {
		t.Problem = "could not be parsed"
		return t
	}
	for _, j := range f.Jobs {
		job := CronJob{Source: Source{File: p, Line: j.Line}, Text: f.Lines[j.Line-1], User: user}
		if j.User != "" {
			job.User = j.User
		}
		dirs := searchPath
		for _, a := range f.Env {
			if a.Name == "PATH" && a.Line < j.Line {
				dirs = strings.Split(a.Value, ":")
			}
		}
		for _, name := range j.Programs() {
			job.Programs = append(job.Programs, s.programs(name, dirs)...)
		}
		t.Jobs = append(t.Jobs, job)
	}
	return t
}

// atJob reads the programs of an at job, a shell script written by at:
// the environment of the user who queued it, a cd to the directory it was
// queued from, then the user's commands. It is read loosely, line by
// line, and only programs named by their full path are followed: the
// script sets its own PATH, and a line may be part of a construct that
// spans lines.
func (s *cronScan) atJob(p, user string, data []byte) []CronJob {
	var jobs []CronJob
	for i, line := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
		line = strings.TrimSuffix(line, "\r")
		text := strings.TrimLeft(line, " \t")
		if text == "" || text[0] == '#' || text[0] == ':' {
			continue
		}
		job := CronJob{Source: Source{File: p, Line: i + 1}, Text: line, User: user}
		for _, name := range crontab.Programs(text) {
			if strings.HasPrefix(name, "/") && !strings.HasSuffix(name, "/") {
				job.Programs = append(job.Programs, s.programs(name, nil)...)
			}
		}
		if len(job.Programs) > 0 {
			jobs = append(jobs, job)
		}
	}
	return jobs
}

// programs looks up a program a job names: a path, a name to find on the
// PATH, or a run-parts directory (a final slash), whose scripts are
// followed too.
func (s *cronScan) programs(name string, searchPath []string) []CronProgram {
	if strings.HasSuffix(name, "/") {
		dir := path.Clean(name)
		out := []CronProgram{s.check(CronProgram{Name: name, Path: dir, Dir: true})}
		ents, err := s.b.t.ReadDir(dir)
		if err != nil {
			if !isNotExist(err) {
				out[0].Problem = target.Reason(err)
				s.b.gap(dir, whatCron, err)
			}
			return out
		}
		for _, e := range ents {
			p := path.Join(dir, e.Name())
			if !s.cronDName(e.Name()) {
				continue
			}
			if fi, err := s.stat(p); err != nil || !fi.Mode().IsRegular() || fi.Mode()&0o111 == 0 {
				continue // run-parts runs executable files only
			}
			out = append(out, s.check(CronProgram{Name: p, Path: p, Via: dir}))
		}
		return out
	}
	p := name
	if !strings.HasPrefix(name, "/") {
		p = ""
		for _, d := range searchPath {
			if !strings.HasPrefix(d, "/") {
				continue
			}
			if _, err := s.stat(path.Join(d, name)); err == nil {
				p = path.Join(d, name)
				break
			}
		}
		if p == "" {
			return []CronProgram{{Name: name}}
		}
	}
	return []CronProgram{s.check(CronProgram{Name: name, Path: path.Clean(p)})}
}

// check looks at a program and at every directory above it, as named and
// once links are followed, for write permission of group or others. The
// program itself is named by the path its links lead to, the file whose
// mode counts.
func (s *cronScan) check(pr CronProgram) CronProgram {
	seen := map[string]bool{}
	look := func(p string, self bool) {
		if seen[p] {
			return
		}
		seen[p] = true
		fi, err := s.stat(p)
		switch {
		case err == nil:
			if self {
				pr.Exists = true
			}
			if fi.Mode()&0o022 != 0 {
				pr.Writable = append(pr.Writable, CronWritable{Path: p, Dir: fi.IsDir(), Mode: fi.Mode()})
			}
		case isNotExist(err):
		default:
			if pr.Problem == "" {
				pr.Problem = p + ": " + target.Reason(err)
			}
			s.b.gap(p, whatCron, err)
		}
	}
	real := pr.Path
	if r, err := s.b.t.Resolve(pr.Path); r != "" && (err == nil || isNotExist(err)) {
		real = r
	}
	look(real, true)
	for _, p := range []string{pr.Path, real} {
		for d := path.Dir(p); ; d = path.Dir(d) {
			look(d, false)
			if d == "/" {
				break
			}
		}
	}
	sort.SliceStable(pr.Writable, func(i, j int) bool {
		return strings.Count(pr.Writable[i].Path, "/") > strings.Count(pr.Writable[j].Path, "/")
	})
	return pr
}

// installed reports whether a Linux host has a service: a start of one of
// its daemons, its spool directory, or one of its files. The allow and deny
// files are no sign of it: a package removed but not purged leaves them.
func (s *cronScan) installed(c *Cron, service string, daemons, files []string) bool {
	for _, st := range s.b.f.Starts {
		id := strings.TrimSuffix(st.ID, ".service")
		for _, d := range daemons {
			if path.Base(st.Program) == d || id == d {
				return true
			}
		}
	}
	for _, sp := range c.Spools {
		if sp.Service == service && sp.Kind != CronSystemTable && sp.Exists {
			return true
		}
	}
	for _, f := range files {
		if _, err := s.stat(f); err == nil {
			return true
		}
	}
	return false
}

// log finds the AIX cron daemon's log: the file cronlog.conf names (or the
// file given to cron with -f), or /var/adm/cron/log.
func (s *cronScan) log() *CronLog {
	conf := cronLogConfPath
	for _, st := range s.b.f.Starts {
		if path.Base(st.Program) != "cron" || !st.Enabled {
			continue
		}
		for i, a := range st.Args {
			if a == "-f" && i+1 < len(st.Args) {
				conf = st.Args[i+1]
			}
		}
	}
	l := &CronLog{}
	logPath := cronlog.DefaultLog
	data, err := s.b.t.ReadFile(conf)
	switch {
	case err == nil:
		f, perr := cronlog.Parse(bytes.NewReader(data), conf)
		s.b.parseGaps(perr, whatCron)
		if f != nil {
			p, set := f.Log()
			logPath = p
			if set.Line > 0 {
				l.Source, l.Text = Source{File: conf, Line: set.Line}, f.Lines[set.Line-1]
			}
			if q, ok := f.Get(cronlog.Quiet); ok {
				l.Quiet, l.Source, l.Text = true, Source{File: conf, Line: q.Line}, f.Lines[q.Line-1]
			}
		}
	case !isNotExist(err):
		s.b.gap(conf, whatCron, err)
		l.FileState = FileState{Path: logPath, UID: -1, GID: -1, Problem: conf + ": " + target.Reason(err)}
		return l
	}
	l.FileState = s.file(logPath, false)
	return l
}
