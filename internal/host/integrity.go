package host

import (
	"bytes"
	"io"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strings"
	"time"

	"bastion/internal/parse/aideconf"
	"bastion/internal/parse/crontab"
	"bastion/internal/parse/logrotate"
	"bastion/internal/parse/shellwords"
	"bastion/internal/parse/systemd"
	"bastion/internal/target"
)

const whatIntegrity = "integrity checking, backups and log rotation"

// The kinds of Tool.
const (
	ToolChecker = "integrity checker"
	ToolBackup  = "backup tool"
)

// The kinds of Schedule.
const (
	ScheduleCron    = "cron"          // a crontab job, or a script cron runs
	ScheduleTimer   = "systemd timer" // a service an enabled timer starts
	ScheduleService = "service"       // a daemon started at boot that runs all the time
)

// The kinds of RotatedBy.
const (
	RotatedByLogrotate = "logrotate"     // a block of logrotate's configuration
	RotatedBySyslog    = "syslog option" // AIX syslogd's rotate option on the rule
	RotatedByJob       = "cron job"      // a job that moves, compresses or empties the file
)

// Integrity is what keeps a host's files trustworthy and recoverable: the
// integrity checkers (AIDE, Tripwire, Samhain, AIX Trusted Execution and
// TCB) and the backup tools, each with where it is installed, configured
// and scheduled and when it last ran as far as the host records it; and
// the rotation of the files syslog writes.
type Integrity struct {
	// Now is the time ages are measured from: the clock on a live host;
	// on an offline root the newest time the files read record (the log
	// files syslog writes, the records of the tools' runs), which NowFrom
	// names. It is zero when an offline root records no time.
	Now     time.Time
	NowFrom string
	// Checkers and Backups are the tools of each kind that are installed,
	// configured or scheduled, in a fixed order; built-in checkers
	// (trustchk, tcbck) only when scheduled.
	Checkers []Tool
	Backups  []Tool
	// Rotation is the rotation of the files syslog writes.
	Rotation Rotation
	// Problems are the places that could hold a schedule and could not
	// be read: crontabs, the scripts they run, timer units. A tool not
	// found scheduled may be scheduled there.
	Problems []string
}

// Tool is an integrity checker or a backup tool.
type Tool struct {
	// Name is the tool's name ("aide", "restic"); Kind is ToolChecker or
	// ToolBackup.
	Name string
	Kind string
	// Builtin marks a checker that comes with the system (AIX trustchk
	// and tcbck): it counts only when scheduled.
	Builtin bool
	// Program is where the tool's program is, or "" when none of the
	// places it is installed holds it.
	Program string
	// Config is the tool's configuration file, when it has one; its Path
	// is "" otherwise.
	Config ToolFile
	// Database is the baseline an integrity checker compares the files
	// with, nil for tools that have none.
	Database *ToolFile
	// Schedules are the jobs, timers and starts that run the tool.
	Schedules []Schedule
	// LastRun is the newest run the host records, zero when none is
	// known; LastRunFrom says which file records it.
	LastRun     time.Time
	LastRunFrom string
	// Problems are what could not be read about the tool.
	Problems []string
}

// InPlace reports whether the tool is set up to work: a built-in checker
// that is scheduled, or a tool that is installed and, when it has a
// configuration file, configured.
func (t *Tool) InPlace() bool {
	if t.Builtin {
		return len(t.Schedules) > 0
	}
	return t.Program != "" && (t.Config.Path == "" || t.Config.Exists)
}

// ToolFile is a file a tool reads or writes, as found in the target.
type ToolFile struct {
	Path string
	// Source is the setting that names the file; its File is "" when the
	// tool's default applies.
	Source Source
	// Exists reports whether the file is in the target, ModTime its
	// modification time then.
	Exists  bool
	ModTime time.Time
	// Problem says why it could not be looked at, or "".
	Problem string
}

// Schedule is a place that runs a tool.
type Schedule struct {
	// Kind is ScheduleCron, ScheduleTimer or ScheduleService.
	Kind string
	// Source is where the tool's run is written: the crontab line, the
	// line of the script cron runs, the ExecStart line of the service a
	// timer starts, or the start of a daemon.
	Source Source
	// Via is what runs Source when it is not a crontab line itself: the
	// job that runs the script, the timer that starts the service.
	Via string
	// Command is the tool's command as written.
	Command string
}

// Rotation is how the files syslog writes are rotated.
type Rotation struct {
	// Logrotate is logrotate's set-up, nil when the host has neither its
	// program nor its configuration.
	Logrotate *Logrotate
	// Files are the files syslog writes, in the order of Syslog.Files.
	Files []RotatedFile
}

// Logrotate is logrotate's set-up.
type Logrotate struct {
	// Program is where logrotate is, or "".
	Program string
	// Configs are the configuration files read, main files first.
	Configs []string
	// DropInDir is the directory the main configuration includes, where
	// packages put their files ("" when it includes none).
	DropInDir string
	// Schedules are the jobs and timers that run logrotate.
	Schedules []Schedule
	// Problems are the files of its configuration that could not be read.
	Problems []string
}

// RotatedFile is a file syslog writes and what rotates it.
type RotatedFile struct {
	Path string
	// Source is the first rule that writes the file, and Text that
	// line as written ("" when it could not be read again).
	Source Source
	Text   string
	// By are what rotate the file: logrotate blocks (which work only when
	// logrotate runs), rotate options of the syslog rules, jobs.
	By []RotatedBy
}

// RotatedBy is one thing that rotates a log file.
type RotatedBy struct {
	// Kind is RotatedByLogrotate, RotatedBySyslog or RotatedByJob.
	Kind   string
	Source Source
	// What says how, in a few words ("weekly, rotate 4").
	What string
}

// toolSpec says how bastion recognises a tool.
type toolSpec struct {
	name    string
	kind    string
	builtin bool
	os      target.OS // the one platform it is looked for on; "" for both
	// progs are the base names of the programs whose run is the tool's
	// run; paths where its program is installed; configs its
	// configuration files, the first found being the one read; daemons
	// the programs whose enabled start runs it all the time.
	progs, paths, configs, daemons []string
	// works says whether a run with these arguments does the tool's work
	// (a check, a backup) rather than, say, a restore; nil: every run.
	works func(args []string) bool
}

var toolSpecs = []toolSpec{
	{name: "aide", kind: ToolChecker, progs: []string{"aide", "aide.wrapper", "dailyaidecheck"},
		paths:   []string{"/usr/bin/aide", "/usr/sbin/aide", "/opt/freeware/bin/aide", "/usr/local/bin/aide"},
		configs: []string{"/etc/aide/aide.conf", "/etc/aide.conf", "/opt/freeware/etc/aide.conf", "/usr/local/etc/aide.conf"},
		works: func(a []string) bool {
			return !hasArg(a, "--init", "-i", "--config-check", "-D", "--version", "-v", "--help", "-h")
		}},
	{name: "tripwire", kind: ToolChecker, progs: []string{"tripwire"},
		paths:   []string{"/usr/sbin/tripwire", "/usr/local/sbin/tripwire", "/opt/freeware/sbin/tripwire"},
		configs: []string{"/etc/tripwire/twcfg.txt", "/etc/tripwire/tw.cfg", "/usr/local/etc/tripwire/twcfg.txt"},
		works: func(a []string) bool {
			return hasArg(a, "--check", "-mc") || hasOptValue(a, "-m", "c") || hasOptValue(a, "--mode", "check")
		}},
	{name: "samhain", kind: ToolChecker, progs: []string{"samhain"}, daemons: []string{"samhain"},
		paths:   []string{"/usr/sbin/samhain", "/usr/local/sbin/samhain"},
		configs: []string{"/etc/samhainrc", "/etc/samhain/samhainrc", "/usr/local/etc/samhainrc"},
		works:   func(a []string) bool { return !hasOptValue(a, "-t", "init") && !hasArg(a, "--set-checksum-test=init") }},
	{name: "trustchk", kind: ToolChecker, builtin: true, os: target.AIX, progs: []string{"trustchk"},
		paths: []string{"/usr/sbin/trustchk"}, works: func(a []string) bool { return hasFlag(a, 'n') || hasFlag(a, 't') || hasFlag(a, 'y') }},
	{name: "tcbck", kind: ToolChecker, builtin: true, os: target.AIX, progs: []string{"tcbck"},
		paths: []string{"/usr/bin/tcbck"}, works: func(a []string) bool { return hasFlag(a, 'n') || hasFlag(a, 't') || hasFlag(a, 'y') }},

	{name: "mksysb", kind: ToolBackup, os: target.AIX, progs: []string{"mksysb"}, paths: []string{"/usr/bin/mksysb"}},
	{name: "savevg", kind: ToolBackup, os: target.AIX, progs: []string{"savevg"}, paths: []string{"/usr/bin/savevg"}},
	{name: "backup", kind: ToolBackup, progs: []string{"backup"}, paths: []string{"/usr/sbin/backup"}},
	{name: "restic", kind: ToolBackup, progs: []string{"restic"}, paths: []string{"/usr/bin/restic", "/usr/local/bin/restic"},
		works: func(a []string) bool { return hasArg(a, "backup") }},
	{name: "borg", kind: ToolBackup, progs: []string{"borg", "borgbackup"}, paths: []string{"/usr/bin/borg", "/usr/local/bin/borg"},
		works: func(a []string) bool { return hasArg(a, "create") }},
	{name: "borgmatic", kind: ToolBackup, progs: []string{"borgmatic"}, paths: []string{"/usr/bin/borgmatic", "/usr/local/bin/borgmatic"},
		works: func(a []string) bool {
			return !anyOf(firstOperand(a), "list", "rlist", "info", "rinfo", "extract", "check", "mount", "umount", "restore",
				"config", "export-tar", "compact", "prune", "break-lock", "key", "bootstrap", "init", "rcreate", "transfer", "delete", "rdelete", "borg")
		}},
	{name: "rsnapshot", kind: ToolBackup, progs: []string{"rsnapshot"}, paths: []string{"/usr/bin/rsnapshot", "/usr/local/bin/rsnapshot"},
		configs: []string{"/etc/rsnapshot.conf", "/usr/local/etc/rsnapshot.conf"},
		works: func(a []string) bool {
			op := firstOperand(a)
			return op != "" && !anyOf(op, "configtest", "du", "diff", "version", "help", "version-only", "check-config-version", "upgrade-config-file", "get-latest-snapshot")
		}},
	{name: "duplicity", kind: ToolBackup, progs: []string{"duplicity"}, paths: []string{"/usr/bin/duplicity"},
		works: func(a []string) bool {
			return !anyOf(firstOperand(a), "restore", "verify", "collection-status", "list-current-files", "cleanup",
				"remove-older-than", "remove-all-but-n-full", "remove-all-inc-of-but-n-full")
		}},
	{name: "duply", kind: ToolBackup, progs: []string{"duply"}, paths: []string{"/usr/bin/duply"},
		works: func(a []string) bool { return argContains(a, "backup", "full", "incr") }},
	{name: "rdiff-backup", kind: ToolBackup, progs: []string{"rdiff-backup"}, paths: []string{"/usr/bin/rdiff-backup"},
		works: func(a []string) bool {
			return !hasArg(a, "-r", "--restore-as-of", "--remove-older-than", "--list-increments", "--verify", "restore", "verify", "remove", "list")
		}},
	{name: "rear", kind: ToolBackup, progs: []string{"rear"}, paths: []string{"/usr/sbin/rear"},
		works: func(a []string) bool { return hasArg(a, "mkbackup", "mkbackuponly") }},
	{name: "amanda", kind: ToolBackup, progs: []string{"amdump"}, daemons: []string{"amandad"}, paths: []string{"/usr/sbin/amdump", "/usr/sbin/amandad", "/usr/lib/amanda/amandad"}},
	{name: "bacula", kind: ToolBackup, daemons: []string{"bacula-fd"}, paths: []string{"/usr/sbin/bacula-fd"}},
	{name: "bareos", kind: ToolBackup, daemons: []string{"bareos-fd"}, paths: []string{"/usr/sbin/bareos-fd"}},
	{name: "tar", kind: ToolBackup, progs: []string{"tar", "gtar"}, works: tarCreates},
	{name: "dump", kind: ToolBackup, progs: []string{"dump", "xfsdump"}},
}

// rotateProgs are the programs whose run on a log file, in a job, rotates
// or empties it.
var rotateProgs = map[string]bool{"mv": true, "cp": true, "gzip": true, "compress": true, "bzip2": true, "xz": true, "zstd": true, "truncate": true}

// The AIX script that cron runs to keep sendmail's log, and that log.
const (
	smdemonCleanu = "smdemon.cleanu"
	sendmailLog   = "/var/spool/mqueue/log"
)

// logrotatePaths are where logrotate's program is; logrotateConf its
// main configuration.
var logrotatePaths = []string{"/usr/sbin/logrotate", "/usr/bin/logrotate", "/opt/freeware/sbin/logrotate"}

const logrotateConf = "/etc/logrotate.conf"

// cronDirs are the directories of scripts that cron runs on Linux, through
// run-parts or anacron.
var cronDirs = []string{"/etc/cron.hourly", "/etc/cron.daily", "/etc/cron.weekly", "/etc/cron.monthly"}

// timerStampDir is where systemd records when a persistent timer last
// elapsed.
const timerStampDir = "/var/lib/systemd/timers"

// maxScript is the largest script read for the tools it runs; maxLog the
// most of a log read, from its end, for the times it records.
const (
	maxScript = 256 << 10
	maxLog    = 256 << 10
)

// call is one run of a program found in a schedule.
type call struct {
	sched   Schedule
	prog    string // base name
	args    []string
	assigns map[string]string // NAME=value words before the program
	// out is the file the command's output is written to (">" or ">>"),
	// and trunc the files it empties with ">".
	out   string
	trunc []string
}

// integScan carries what reading the integrity model needs.
type integScan struct {
	b       *builder
	in      *Integrity
	calls   []call
	scanned map[string]bool
	stats   map[string]cronStat
	lrFiles map[string]*logrotate.File
	// newest is the newest time seen in the files read, and where.
	newest     time.Time
	newestFrom string
}

// integrity builds Facts.Integrity.
func (b *builder) integrity() {
	in := &Integrity{}
	b.f.Integrity = in
	osName := b.f.Platform.OS
	if osName != target.AIX && osName != target.Linux {
		return
	}
	s := &integScan{b: b, in: in, scanned: map[string]bool{}, stats: map[string]cronStat{}}
	s.cronCalls()
	if osName == target.Linux {
		s.cronDirCalls()
		s.timerCalls()
	}
	for _, spec := range toolSpecs {
		if spec.os != "" && spec.os != osName {
			continue
		}
		t, ok := s.tool(spec)
		if !ok {
			continue
		}
		if t.Kind == ToolChecker {
			in.Checkers = append(in.Checkers, t)
		} else {
			in.Backups = append(in.Backups, t)
		}
	}
	s.rotation()
	if b.f.Live {
		in.Now, in.NowFrom = time.Now(), "the clock"
	} else {
		in.Now, in.NowFrom = s.newest, s.newestFrom
	}
}

// problem records that p could not be read.
func (s *integScan) problem(p string, err error) {
	s.in.Problems = append(s.in.Problems, p+": "+target.Reason(err))
	s.b.gap(p, whatIntegrity, err)
}

// seen records a time a file records, for the reference time of an
// offline root.
func (s *integScan) seen(t time.Time, from string) {
	if t.After(s.newest) {
		s.newest, s.newestFrom = t, from
	}
}

// stat looks a file up once, links followed.
func (s *integScan) stat(p string) (fs.FileInfo, error) {
	if st, ok := s.stats[p]; ok {
		return st.fi, st.err
	}
	fi, err := s.b.t.Stat(p)
	s.stats[p] = cronStat{fi, err}
	return fi, err
}

// file describes a file a tool uses and records its time.
func (s *integScan) file(p string, src Source) ToolFile {
	f := ToolFile{Path: p, Source: src}
	fi, err := s.stat(p)
	switch {
	case err == nil && fi.IsDir():
		f.Problem = "a directory, not a file"
		s.b.t.AddGap(target.Gap{Path: p, What: whatIntegrity, Reason: f.Problem})
	case err == nil:
		// A configuration file's time says when it was copied as much
		// as when it was written: it is not taken for "now".
		f.Exists, f.ModTime = true, fi.ModTime()
	case !isNotExist(err):
		f.Problem = target.Reason(err)
		s.b.gap(p, whatIntegrity, err)
	}
	return f
}

// firstFound returns the first of paths in the target, or "".
func (s *integScan) firstFound(paths []string) string {
	for _, p := range paths {
		if fi, err := s.stat(p); err == nil && !fi.IsDir() {
			return p
		}
	}
	return ""
}

// ---- Schedules ----

// cronCalls finds the runs of programs in crontabs and the scripts their
// jobs run.
func (s *integScan) cronCalls() {
	cr := s.b.f.Cron
	if cr == nil {
		return
	}
	for _, sp := range cr.Spools {
		if sp.Service == CronService && sp.Problem != "" {
			s.in.Problems = append(s.in.Problems, sp.Path+": "+sp.Problem)
		}
	}
	for _, t := range cr.Tables {
		if t.Kind == CronAtJob {
			continue // a job queued once is no schedule
		}
		if t.Problem != "" {
			s.in.Problems = append(s.in.Problems, t.Path+": "+t.Problem)
			continue
		}
		for _, j := range t.Jobs {
			cmd := jobCommand(j, t.Kind == CronSystemTable)
			sched := Schedule{Kind: ScheduleCron, Source: j.Source}
			s.addCalls(cmd, sched, 0)
			for _, p := range j.Programs {
				if p.Dir && p.Problem != "" {
					s.in.Problems = append(s.in.Problems, p.Problem) // the scripts run-parts runs are not known
				}
				if p.Dir || !p.Exists || p.Path == "" {
					continue
				}
				via := j.Source.String()
				if p.Via != "" {
					via = p.Via + " (run by " + via + ")"
				}
				s.script(p.Path, via)
			}
		}
	}
}

// cronDirCalls finds the runs of programs in the scripts of the
// /etc/cron.daily directories and the like, which cron runs through
// run-parts or anacron.
func (s *integScan) cronDirCalls() {
	if cr := s.b.f.Cron; cr == nil || !cr.Installed[CronService] {
		return
	}
	for _, dir := range cronDirs {
		ents, err := s.b.t.ReadDir(dir)
		if err != nil {
			if !isNotExist(err) {
				s.problem(dir, err)
			}
			continue
		}
		for _, e := range ents {
			n := e.Name()
			if strings.HasPrefix(n, ".") || !runPartsNameRE.MatchString(n) {
				continue
			}
			p := path.Join(dir, n)
			if fi, err := s.stat(p); err != nil || !fi.Mode().IsRegular() || fi.Mode()&0o111 == 0 {
				continue
			}
			s.script(p, dir)
		}
	}
}

// jobCommand returns the shell command of a crontab job line.
func jobCommand(j CronJob, system bool) string {
	var f *crontab.File
	if system {
		f, _ = crontab.ParseSystem(strings.NewReader(j.Text), j.Source.File)
	} else {
		f, _ = crontab.Parse(strings.NewReader(j.Text), j.Source.File)
	}
	if f == nil || len(f.Jobs) == 0 {
		return ""
	}
	return f.Jobs[0].ShellCommand()
}

// script reads a script a schedule runs and records the programs it runs,
// each at its own line. Programs (not scripts), and scripts already read,
// are left alone: Debian names the scripts of /etc/cron.daily after the
// programs they run, so only the content tells them apart.
func (s *integScan) script(p, via string) {
	if s.scanned[p] || housekeeping[path.Base(p)] {
		return
	}
	s.scanned[p] = true
	fi, err := s.stat(p)
	if err != nil || !fi.Mode().IsRegular() || fi.Size() > maxScript {
		if err != nil && !isNotExist(err) {
			s.problem(p, err)
		}
		return
	}
	data, err := s.readScript(p)
	if err != nil {
		s.problem(p, err)
		return
	}
	if data == nil {
		return
	}
	text := string(data)
	// Scripts name programs through variables ("tripwire=/usr/sbin/tripwire"
	// then "$tripwire --check"): values set by plain assignments are
	// substituted, read in order and without regard to branches.
	vars := map[string]string{}
	for _, c := range shellCommands(text) {
		if assignsOnly(c.words) {
			for _, w := range c.words {
				name, v, _ := strings.Cut(w, "=")
				if v = shellwords.Expand(v, vars); staticPath(v) || v == "" {
					vars[name] = v
				}
			}
			continue
		}
		for i, w := range c.words {
			c.words[i] = shellwords.Expand(w, vars)
		}
		line := 1 + strings.Count(text[:c.offset], "\n")
		sched := Schedule{Kind: ScheduleCron, Source: Source{File: p, Line: line}, Via: via}
		s.commandCalls(c, sched, 0)
	}
}

// assignsOnly reports a command that only sets variables.
func assignsOnly(words []string) bool {
	for _, w := range words {
		if name, _, ok := strings.Cut(w, "="); !ok || !shellwords.IsName(name) {
			return false
		}
	}
	return len(words) > 0
}

// housekeeping are scripts packages schedule that archive the package
// manager's own state (Debian's dpkg-db-backup tars /etc/alternatives and
// dpkg's status into /var/backups): they run tar, but are no backup of the
// host.
var housekeeping = map[string]bool{"dpkg-db-backup": true}

// readScript reads a script, or returns nil for a program: a file with a
// NUL byte in its first kilobyte. A program is not read further.
func (s *integScan) readScript(p string) ([]byte, error) {
	f, err := s.b.t.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	head := make([]byte, 1024)
	n, err := io.ReadFull(f, head)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return nil, err
	}
	if bytes.IndexByte(head[:n], 0) >= 0 {
		return nil, nil
	}
	rest, err := io.ReadAll(io.LimitReader(f, maxScript))
	if err != nil {
		return nil, err
	}
	return append(head[:n], rest...), nil
}

// timerCalls finds the programs the services of enabled systemd timers
// run.
func (s *integScan) timerCalls() {
	files := map[string]string{} // unit name -> the file systemd reads
	masked := map[string]bool{}
	enabled := map[string]string{} // timer -> the link that enables it
	for _, dir := range unitDirs {
		ents, err := s.b.t.ReadDir(dir)
		if err != nil {
			if !isNotExist(err) {
				s.problem(dir, err)
			}
			continue
		}
		for _, e := range ents {
			n := e.Name()
			full := path.Join(dir, n)
			if e.IsDir() && (strings.HasSuffix(n, ".wants") || strings.HasSuffix(n, ".requires")) {
				links, err := s.b.t.ReadDir(full)
				if err != nil {
					continue
				}
				for _, l := range links {
					if strings.HasSuffix(l.Name(), ".timer") {
						if _, ok := enabled[l.Name()]; !ok {
							enabled[l.Name()] = path.Join(full, l.Name())
						}
					}
				}
				continue
			}
			if !strings.HasSuffix(n, ".timer") && !strings.HasSuffix(n, ".service") {
				continue
			}
			if _, ok := files[n]; ok {
				continue
			}
			files[n] = full
			if e.Type()&fs.ModeSymlink != 0 {
				if dest, err := s.b.t.Readlink(full); err == nil && dest == "/dev/null" {
					masked[n] = true
				}
			}
		}
	}
	unitFile := func(name string) string {
		if masked[name] {
			return ""
		}
		if f, ok := files[name]; ok {
			return f
		}
		if i := strings.IndexByte(name, '@'); i > 0 {
			tmpl := name[:i+1] + path.Ext(name)
			if !masked[tmpl] {
				return files[tmpl]
			}
		}
		return ""
	}
	for _, timer := range sortedKeys(enabled) {
		tf := unitFile(timer)
		if tf == "" {
			continue
		}
		tu := s.unit(tf)
		if tu == nil {
			continue
		}
		svc := strings.TrimSuffix(timer, ".timer") + ".service"
		if v, ok := tu.Value("Timer", "Unit"); ok && v != "" {
			svc = v
		}
		sf := unitFile(svc)
		if sf == "" {
			continue
		}
		su := s.unit(sf)
		if su == nil {
			continue
		}
		var dirs []string
		for _, d := range unitDirs {
			dirs = append(dirs, path.Join(d, svc+".d"))
		}
		stack := append([]*systemd.Unit{su}, s.b.dropIns(dirs)...)
		stamp := path.Join(timerStampDir, "stamp-"+timer)
		for _, a := range systemd.StackAssignments("Service", "ExecStart", stack...) {
			argv := systemd.ExecArgv(a.Value)
			if len(argv) == 0 {
				continue
			}
			sched := Schedule{Kind: ScheduleTimer, Source: Source{File: a.File, Line: a.Line, Unit: svc}, Via: timer + " (" + tf + ")"}
			before := len(s.calls)
			s.commandCalls(command{words: argv}, sched, 0)
			for i := before; i < len(s.calls); i++ {
				if s.calls[i].out == "" {
					s.calls[i].out = stamp // when the timer last started the service
				}
			}
			if path.IsAbs(argv[0]) {
				s.script(argv[0], timer)
			}
		}
	}
}

// unit reads and parses a unit file, or records why it could not.
func (s *integScan) unit(p string) *systemd.Unit {
	data, err := s.b.t.ReadFile(p)
	if err != nil {
		if !isNotExist(err) {
			s.problem(p, err)
		}
		return nil
	}
	u, err := systemd.Parse(bytes.NewReader(data), p)
	s.b.parseGaps(err, whatIntegrity)
	return u
}

// addCalls records the runs of programs in a shell command line.
func (s *integScan) addCalls(cmd string, sched Schedule, depth int) {
	for _, c := range shellCommands(cmd) {
		s.commandCalls(c, sched, depth)
	}
}

// maxShellDepth bounds how deep command strings given to shells are
// followed.
const maxShellDepth = 4

// commandCalls records the run of one simple command, looking through the
// programs that run another (nice, nohup, env, timeout, ...) and into the
// command strings of shells and su.
func (s *integScan) commandCalls(c command, sched Schedule, depth int) {
	prog, args, assigns := unwrapCmd(c.words)
	if prog == "" {
		return
	}
	base := path.Base(prog)
	if integShells[base] || base == "su" {
		for i, a := range args {
			if (a == "-c" || a == "--command") && i+1 < len(args) && depth < maxShellDepth {
				s.addCalls(args[i+1], sched, depth+1)
				break
			}
		}
		return
	}
	cl := call{sched: sched, prog: base, args: args, assigns: assigns}
	cl.sched.Command = strings.Join(append([]string{prog}, args...), " ")
	for _, r := range c.redirs {
		if !path.IsAbs(r.target) || strings.HasPrefix(r.target, "/dev/") || strings.ContainsAny(r.target, "$`*?[") {
			continue
		}
		switch r.op {
		case ">", ">|", "1>", "&>":
			cl.out = r.target
			cl.trunc = append(cl.trunc, r.target)
		case ">>", "1>>", "&>>":
			cl.out = r.target
		}
	}
	s.calls = append(s.calls, cl)
}

// integShells are the shells whose -c command is followed.
var integShells = map[string]bool{"sh": true, "bash": true, "ksh": true, "ksh93": true, "dash": true, "zsh": true, "bsh": true}

// shellReserved may come before a command.
var shellReserved = map[string]bool{
	"if": true, "then": true, "else": true, "elif": true, "do": true, "while": true, "until": true,
	"!": true, "{": true, "}": true, "fi": true, "done": true, "esac": true, "time": true,
}

// cmdWrappers run the command given after their options; withArg are their
// options that take a value, and operands the words they take before the
// command.
var cmdWrappers = map[string]struct {
	withArg  []string
	operands int
}{
	"nice": {[]string{"-n", "--adjustment"}, 0}, "nohup": {}, "exec": {[]string{"-a"}, 0}, "command": {},
	"ionice":  {[]string{"-c", "-n", "-p", "-t", "--class", "--classdata"}, 0},
	"env":     {[]string{"-u", "--unset", "-C", "--chdir"}, 0},
	"timeout": {[]string{"-s", "--signal", "-k", "--kill-after"}, 1},
	"chrt":    {nil, 1}, "flock": {[]string{"-w", "--timeout", "-E", "--conflict-exit-code"}, 1},
	"sudo": {[]string{"-u", "--user", "-g", "--group"}, 0}, "runuser": {[]string{"-u", "-g"}, 0},
	"setsid": {}, "stdbuf": {[]string{"-i", "-o", "-e"}, 0},
}

// unwrap returns the program a simple command runs, its arguments and the
// assignments before it, looking through cmdWrappers. The program is "" when
// it cannot be named without expanding anything.
func unwrapCmd(words []string) (prog string, args []string, assigns map[string]string) {
	assigns = map[string]string{}
	for len(words) > 0 {
		w := words[0]
		if name, v, ok := strings.Cut(w, "="); ok && shellwords.IsName(name) {
			assigns[name] = v
			words = words[1:]
			continue
		}
		if shellReserved[w] {
			words = words[1:]
			continue
		}
		if w == "" || strings.ContainsAny(w, "$`*?[~") {
			return "", nil, nil
		}
		wr, ok := cmdWrappers[path.Base(w)]
		if !ok {
			return w, words[1:], assigns
		}
		if w == "command" && hasArg(words[1:2], "-v", "-V") {
			return "", nil, nil // it only says what the name is
		}
		rest := words[1:]
	options:
		for len(rest) > 0 && strings.HasPrefix(rest[0], "-") {
			o := rest[0]
			rest = rest[1:]
			if o == "--" {
				break
			}
			for _, a := range wr.withArg {
				if o == a && len(rest) > 0 {
					rest = rest[1:]
					continue options
				}
			}
		}
		for i := 0; i < wr.operands && len(rest) > 0; i++ {
			rest = rest[1:]
		}
		words = rest
	}
	return "", nil, nil
}

// command is a simple command of a shell text: its words, its
// redirections and where it starts.
type command struct {
	words  []string
	redirs []redirect
	offset int
}

type redirect struct{ op, target string }

// commands splits shell text into simple commands. It reads loosely: a
// case pattern or a here-document may give words that are no command.
func shellCommands(text string) []command {
	toks, _ := shellwords.Tokens(text)
	var out []command
	cur := command{offset: -1}
	pending := ""
	flush := func() {
		if len(cur.words) > 0 {
			out = append(out, cur)
		}
		cur, pending = command{offset: -1}, ""
	}
	for _, t := range toks {
		switch t.Kind {
		case shellwords.Word:
			if cur.offset < 0 {
				cur.offset = t.Offset
			}
			if pending != "" {
				cur.redirs = append(cur.redirs, redirect{op: pending, target: t.Text})
				pending = ""
				continue
			}
			cur.words = append(cur.words, t.Text)
		case shellwords.Redirect:
			if cur.offset < 0 {
				cur.offset = t.Offset
			}
			pending = t.Text
		case shellwords.Operator:
			flush()
		}
	}
	flush()
	return out
}

// ---- Tools ----

// tool builds the model of one tool, and reports whether the host has it
// at all.
func (s *integScan) tool(spec toolSpec) (Tool, bool) {
	t := Tool{Name: spec.name, Kind: spec.kind, Builtin: spec.builtin}
	if !spec.builtin {
		t.Program = s.firstFound(spec.paths)
	}
	var calls []call
	for _, c := range s.calls {
		if anyOf(c.prog, spec.progs...) && (spec.works == nil || c.prog == "dailyaidecheck" || spec.works(c.args)) {
			calls = append(calls, c)
			t.Schedules = append(t.Schedules, c.sched)
		}
	}
	for _, st := range s.b.f.Starts {
		if st.Enabled && anyOf(path.Base(st.Program), spec.daemons...) {
			t.Schedules = append(t.Schedules, Schedule{Kind: ScheduleService, Source: st.Source, Command: strings.Join(append([]string{st.Program}, st.Args...), " ")})
		}
	}
	if len(spec.configs) > 0 {
		p := configArg(calls, spec.name)
		if p == "" {
			p = s.firstFound(spec.configs)
		}
		if p == "" {
			p = spec.configs[0]
		}
		t.Config = s.file(p, Source{})
		if t.Config.Problem != "" {
			t.Problems = append(t.Problems, p+": "+t.Config.Problem)
		}
	}
	if spec.builtin && len(t.Schedules) == 0 {
		return t, false
	}
	if t.Program == "" && len(t.Schedules) == 0 && !t.Config.Exists && t.Config.Problem == "" {
		return t, false
	}
	r := &runLog{s: s}
	switch spec.name {
	case "aide":
		s.aide(&t, r)
	case "tripwire":
		s.tripwire(&t, r)
	case "samhain":
		// The database's place is built into the program: Debian's, or
		// that of a build from source.
		dbPath := s.firstFound([]string{"/var/lib/samhain/samhain_file", "/usr/local/var/lib/samhain/samhain_file"})
		if dbPath == "" {
			dbPath = "/var/lib/samhain/samhain_file"
		}
		db := s.file(dbPath, Source{})
		t.Database = &db
		for _, p := range []string{"/var/log/samhain/samhain.log", "/var/log/samhain_log"} {
			r.mtime(p)
		}
	case "trustchk":
		db := s.file("/etc/security/tsd/tsd.dat", Source{})
		t.Database = &db
	case "tcbck":
		db := s.file("/etc/security/sysck.cfg", Source{})
		t.Database = &db
	case "rsnapshot":
		s.rsnapshot(&t, calls, r)
	}
	for _, c := range calls {
		s.callRuns(spec.name, c, r)
	}
	t.LastRun, t.LastRunFrom = r.last, r.from
	t.Problems = append(t.Problems, r.problems...)
	return t, true
}

// configArg returns the configuration file the runs of a tool name with
// -c or --config, when they all name the same one.
func configArg(calls []call, tool string) string {
	found := ""
	for _, c := range calls {
		p := optValue(c.args, "-c", "--config", "--cfgfile")
		if tool == "samhain" || tool == "tripwire" {
			p = "" // their -c is not a configuration file alone
		}
		if p == "" || !path.IsAbs(p) {
			continue
		}
		if found != "" && found != p {
			return ""
		}
		found = p
	}
	return found
}

// runs collects the records of a tool's runs and keeps the newest.
type runLog struct {
	s        *integScan
	last     time.Time
	from     string
	problems []string
}

func (r *runLog) add(t time.Time, from string) {
	if t.IsZero() {
		return
	}
	r.s.seen(t, from)
	if t.After(r.last) {
		r.last, r.from = t, from
	}
}

// mtime records the modification time of a file (or directory) that a
// run writes.
func (r *runLog) mtime(p string) {
	fi, err := r.s.stat(p)
	switch {
	case err == nil:
		r.add(fi.ModTime(), p)
	case !isNotExist(err):
		r.problems = append(r.problems, p+": "+target.Reason(err))
		r.s.b.gap(p, whatIntegrity, err)
	}
}

// logTimes records the newest time a log file holds, as found by
// parseTime in its lines. When no line gives one, the file's modification
// time stands for the last run if onlyDone is false; if it is true the
// lines record finished runs only (rsnapshot's "completed"), and a log
// without one records no run. Only the end of a long log is read.
func (r *runLog) logTimes(p string, parseTime func(line string) (time.Time, bool), onlyDone bool) {
	fi, err := r.s.stat(p)
	if err != nil || fi.IsDir() {
		r.mtime(p)
		return
	}
	r.s.seen(fi.ModTime(), p)
	data, err := r.s.tail(p, fi.Size())
	if err != nil {
		r.problems = append(r.problems, p+": "+target.Reason(err))
		r.s.b.gap(p, whatIntegrity, err)
		return
	}
	var newest time.Time
	for _, line := range strings.Split(string(data), "\n") {
		if t, ok := parseTime(line); ok && t.After(newest) {
			newest = t
		}
	}
	if newest.IsZero() {
		if onlyDone {
			return
		}
		newest = fi.ModTime()
	}
	r.add(newest, p)
}

// tail reads at most maxLog bytes from the end of a file.
func (s *integScan) tail(p string, size int64) ([]byte, error) {
	f, err := s.b.t.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if size > maxLog {
		if _, err := f.Seek(size-maxLog, io.SeekStart); err != nil {
			return nil, err
		}
	}
	data, err := io.ReadAll(io.LimitReader(f, maxLog))
	if err != nil {
		return nil, err
	}
	if size > maxLog {
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			data = data[i+1:]
		}
	}
	return data, nil
}

// callRuns records what a run of a tool leaves behind: the file its output
// goes to, and the files and directories the tool writes.
func (s *integScan) callRuns(tool string, c call, r *runLog) {
	if c.out != "" {
		r.mtime(c.out)
	}
	switch tool {
	case "restic":
		repo := optValue(c.args, "-r", "--repo")
		if repo == "" {
			repo = c.assigns["RESTIC_REPOSITORY"]
		}
		if path.IsAbs(repo) && staticPath(repo) {
			r.mtime(path.Join(repo, "snapshots"))
		}
	case "borg":
		for _, a := range c.args {
			if repo, _, ok := strings.Cut(a, "::"); ok && path.IsAbs(repo) && staticPath(repo) {
				r.mtime(repo)
				break
			}
		}
	case "tar":
		if f := tarFile(c.args); path.IsAbs(f) && staticPath(f) && !strings.HasPrefix(f, "/dev/") {
			r.mtime(f)
		}
	case "dump", "backup":
		if hasFlag(c.args, 'u') {
			r.logTimes("/etc/dumpdates", dumpdatesTime, false)
		}
	case "mksysb":
		if hasFlag(c.args, 'i') {
			r.mtime("/image.data")
		}
		if op := lastOperand(c.args); path.IsAbs(op) && staticPath(op) && !strings.HasPrefix(op, "/dev/") {
			r.mtime(op)
		}
	case "savevg":
		vg := lastOperand(c.args)
		if (hasFlag(c.args, 'i') || hasFlag(c.args, 'm')) && vg != "" && staticPath(vg) && !strings.Contains(vg, "/") {
			r.mtime(path.Join("/tmp/vgdata", vg, vg+".data"))
		}
		if f := optValue(c.args, "-f"); path.IsAbs(f) && staticPath(f) && !strings.HasPrefix(f, "/dev/") {
			r.mtime(f)
		}
	}
}

// aide reads AIDE's configuration for its database and its reports.
func (s *integScan) aide(t *Tool, r *runLog) {
	db := aideDefaultDB
	src := Source{File: t.Config.Path}
	reports := []string{"/var/log/aide/aide.log"}
	if t.Config.Exists {
		var settings []aideSetting
		s.aideFile(t, t.Config.Path, map[string]string{}, 0, &settings)
		for _, st := range settings {
			switch st.Name {
			case "database", "database_in":
				if p, ok := aideconf.FilePath(st.Value); ok {
					db, src = p, Source{File: st.file, Line: st.Line}
				}
			case "report_url":
				if p, ok := aideconf.FilePath(st.Value); ok {
					reports = append(reports, p)
				}
			}
		}
	}
	f := s.file(db, src)
	t.Database = &f
	for _, p := range reports {
		r.logTimes(p, aideTime, false)
	}
}

// aideDefaultDB is the database AIDE reads when its configuration names
// none.
const aideDefaultDB = "/var/lib/aide/aide.db"

// aideSetting is a setting of AIDE's configuration and its file.
type aideSetting struct {
	aideconf.Setting
	file string
}

// aideFile reads one file of AIDE's configuration and those it includes,
// appending its settings in the order AIDE reads them.
func (s *integScan) aideFile(t *Tool, p string, defines map[string]string, depth int, out *[]aideSetting) map[string]string {
	data, err := s.b.t.ReadFile(p)
	if err != nil {
		if !isNotExist(err) || depth == 0 {
			t.Problems = append(t.Problems, p+": "+target.Reason(err))
			s.b.gap(p, whatIntegrity, err)
		}
		return defines
	}
	f, err := aideconf.ParseWith(bytes.NewReader(data), p, defines)
	s.b.parseGaps(err, whatIntegrity)
	if f == nil {
		return defines
	}
	sets, incs := f.Settings, f.Includes
	for len(sets) > 0 || len(incs) > 0 {
		if len(incs) == 0 || len(sets) > 0 && sets[0].Line < incs[0].Line {
			*out = append(*out, aideSetting{Setting: sets[0], file: p})
			sets = sets[1:]
			continue
		}
		inc := incs[0]
		incs = incs[1:]
		if depth >= 4 || !path.IsAbs(inc.Path) {
			continue
		}
		for _, name := range s.aideIncluded(inc) {
			s.aideFile(t, name, f.Defines, depth+1, out)
		}
	}
	return f.Defines
}

// aideIncluded returns the files an @@include or @@x_include reads: the
// file, or the files of the directory whose names match the pattern.
// Executable files of @@x_include are run by AIDE; their output is not
// known here.
func (s *integScan) aideIncluded(inc aideconf.Include) []string {
	fi, err := s.stat(inc.Path)
	if err != nil {
		return nil
	}
	if !fi.IsDir() {
		if inc.Execute && fi.Mode()&0o111 != 0 {
			return nil
		}
		return []string{inc.Path}
	}
	re, err := regexp.Compile(inc.Pattern)
	if err != nil {
		return nil
	}
	ents, err := s.b.t.ReadDir(inc.Path)
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range ents {
		p := path.Join(inc.Path, e.Name())
		if e.IsDir() || !re.MatchString(e.Name()) {
			continue
		}
		if fi, err := s.stat(p); err != nil || inc.Execute && fi.Mode()&0o111 != 0 {
			continue
		}
		out = append(out, p)
	}
	return out
}

// aideTime reads the time of a run from a line of AIDE's report:
// "Start timestamp: 2024-02-27 06:25:01 +0000 (AIDE 0.18.6)".
func aideTime(line string) (time.Time, bool) {
	rest, ok := strings.CutPrefix(strings.TrimSpace(line), "Start timestamp:")
	if !ok {
		return time.Time{}, false
	}
	f := strings.Fields(rest)
	if len(f) < 3 {
		return time.Time{}, false
	}
	t, err := time.Parse("2006-01-02 15:04:05 -0700", f[0]+" "+f[1]+" "+f[2])
	return t, err == nil
}

// tripwire reads Tripwire's text configuration for its database and
// reports. Reports are named after the time of the run.
func (s *integScan) tripwire(t *Tool, r *runLog) {
	vars := map[string]string{}
	dbSrc := Source{File: t.Config.Path}
	db, report := "/var/lib/tripwire/$(HOSTNAME).twd", "/var/lib/tripwire/report/$(HOSTNAME)-$(DATE).twr"
	if t.Config.Exists && strings.HasSuffix(t.Config.Path, ".txt") {
		if data := s.b.read(t.Config.Path, whatIntegrity, false); data != nil {
			for i, line := range strings.Split(string(data), "\n") {
				k, v, ok := strings.Cut(line, "=")
				k, v = strings.TrimSpace(k), strings.TrimSpace(v)
				if !ok || k == "" || strings.HasPrefix(k, "#") {
					continue
				}
				vars[k] = v
				switch k {
				case "DBFILE":
					db, dbSrc = v, Source{File: t.Config.Path, Line: i + 1}
				case "REPORTFILE":
					report = v
				}
			}
		}
	}
	if data, err := s.b.t.ReadFile("/etc/hostname"); err == nil {
		if h := strings.TrimSpace(string(data)); h != "" {
			vars["HOSTNAME"] = h
		}
	}
	dbs := s.twMatches(twExpand(db, vars))
	switch {
	case len(dbs) > 0:
		f := s.file(dbs[0], dbSrc)
		t.Database = &f
	default:
		f := ToolFile{Path: twExpand(db, vars), Source: dbSrc}
		if !strings.Contains(f.Path, "*") {
			f = s.file(f.Path, dbSrc)
		}
		t.Database = &f
	}
	for _, p := range s.twMatches(twExpand(report, vars)) {
		if m := twReportRE.FindStringSubmatch(path.Base(p)); m != nil {
			if tm, err := time.Parse("20060102-150405", m[1]); err == nil {
				r.add(tm, p)
				continue
			}
		}
		r.mtime(p)
	}
}

// twReportRE finds the time in the name of a Tripwire report.
var twReportRE = regexp.MustCompile(`(\d{8}-\d{6})\.twr$`)

// twExpand substitutes $(NAME) variables; those it does not know become
// '*', to be matched against the directory.
func twExpand(s string, vars map[string]string) string {
	for i := 0; i < 8 && strings.Contains(s, "$("); i++ {
		start := strings.Index(s, "$(")
		end := strings.IndexByte(s[start:], ')')
		if end < 0 {
			break
		}
		v, ok := vars[s[start+2:start+end]]
		if !ok {
			v = "*"
		}
		s = s[:start] + v + s[start+end+1:]
	}
	return s
}

// twMatches returns the files a path with '*' in its base name matches, or
// the path itself when it exists.
func (s *integScan) twMatches(p string) []string {
	if !path.IsAbs(p) {
		return nil
	}
	dir, base := path.Split(p)
	if !strings.Contains(base, "*") {
		if _, err := s.stat(p); err == nil {
			return []string{p}
		}
		return nil
	}
	ents, err := s.b.t.ReadDir(path.Clean(dir))
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range ents {
		if ok, _ := path.Match(base, e.Name()); ok && !e.IsDir() {
			out = append(out, path.Join(dir, e.Name()))
		}
	}
	return out
}

// rsnapshot reads rsnapshot's configuration for its log and snapshots.
func (s *integScan) rsnapshot(t *Tool, calls []call, r *runLog) {
	if !t.Config.Exists {
		return
	}
	data := s.b.read(t.Config.Path, whatIntegrity, false)
	if data == nil {
		return
	}
	var logfile, root string
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Split(line, "\t")
		if len(f) < 2 || strings.HasPrefix(f[0], "#") {
			continue
		}
		v := ""
		for _, x := range f[1:] {
			if x != "" {
				v = x
				break
			}
		}
		switch f[0] {
		case "logfile":
			logfile = v
		case "snapshot_root":
			root = v
		}
	}
	if path.IsAbs(logfile) {
		r.logTimes(logfile, rsnapshotTime, true)
	}
	if path.IsAbs(root) {
		for _, c := range calls {
			if level := firstOperand(c.args); level != "" && staticPath(level) && !strings.Contains(level, "/") {
				r.mtime(path.Join(root, level+".0"))
			}
		}
	}
}

// rsnapshotTime reads the time of a completed run from a line of
// rsnapshot's log: "[2024-02-27T03:30:01] /usr/bin/rsnapshot daily:
// completed successfully", or "[27/Feb/2024:03:30:01] ..." from older
// versions. Times are local to the host and read as UTC.
func rsnapshotTime(line string) (time.Time, bool) {
	if !strings.HasPrefix(line, "[") || !strings.Contains(line, ": completed") {
		return time.Time{}, false
	}
	end := strings.IndexByte(line, ']')
	if end < 0 {
		return time.Time{}, false
	}
	for _, layout := range []string{"2006-01-02T15:04:05", "02/Jan/2006:15:04:05"} {
		if t, err := time.Parse(layout, line[1:end]); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// dumpdatesTime reads the time of a dump from a line of /etc/dumpdates:
// "/dev/sda1 0 Tue Feb 27 03:00:01 2024 +0000" (Linux), without the zone
// on AIX.
func dumpdatesTime(line string) (time.Time, bool) {
	f := strings.Fields(line)
	if len(f) < 7 {
		return time.Time{}, false
	}
	s := strings.Join(f[2:], " ")
	for _, layout := range []string{"Mon Jan 2 15:04:05 2006 -0700", "Mon Jan 2 15:04:05 2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// ---- Log rotation ----

// rotation works out what rotates each file syslog writes.
func (s *integScan) rotation() {
	sl := s.b.f.Syslog
	rot := &s.in.Rotation
	lr := s.logrotate()
	rot.Logrotate = lr
	type block struct {
		file string
		b    logrotate.Block
	}
	var blocks []block
	if lr != nil {
		for _, p := range lr.Configs {
			for _, b := range s.lrFiles[p].Blocks {
				blocks = append(blocks, block{p, b})
			}
		}
	}
	if sl == nil {
		return
	}
	lines := map[string][]string{}
	lineOf := func(src Source) string {
		if _, ok := lines[src.File]; !ok {
			if data, err := s.b.t.ReadFile(src.File); err == nil {
				lines[src.File] = strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
			} else {
				lines[src.File] = nil
			}
		}
		l := lines[src.File]
		if src.Line < 1 || src.Line > len(l) {
			return ""
		}
		return strings.TrimSuffix(l[src.Line-1], "\r")
	}
	for _, lf := range sl.Files {
		if !strings.HasPrefix(lf.Path, "/") || strings.HasPrefix(lf.Path, "/dev/") || len(lf.Sources) == 0 {
			continue
		}
		if fi, err := s.stat(lf.Path); err == nil {
			s.seen(fi.ModTime(), lf.Path)
		}
		rf := RotatedFile{Path: lf.Path, Source: lf.Sources[0]}
		rf.Text = lineOf(rf.Source)
		for _, bl := range blocks {
			if pt, ok := bl.b.Match(lf.Path); ok {
				rf.By = append(rf.By, RotatedBy{Kind: RotatedByLogrotate, Source: Source{File: bl.file, Line: pt.Line}, What: lrSummary(bl.b)})
				break
			}
		}
		if s.b.f.Platform.OS == target.AIX {
			for _, r := range sl.Rules {
				if r.Dest.Kind != "file" || r.Dest.Target != lf.Path {
					continue
				}
				opts := strings.Fields(r.Action)
				if len(opts) > 1 && hasArgFold(opts[1:], "rotate") {
					rf.By = append(rf.By, RotatedBy{Kind: RotatedBySyslog, Source: r.Source, What: strings.Join(opts[1:], " ")})
				}
			}
		}
		for _, c := range s.calls {
			switch {
			case c.prog == smdemonCleanu && lf.Path == sendmailLog:
			case rotateProgs[c.prog] && hasArg(c.args, lf.Path):
			case anyOf(lf.Path, c.trunc...):
			default:
				continue
			}
			rf.By = append(rf.By, RotatedBy{Kind: RotatedByJob, Source: c.sched.Source, What: c.sched.Command})
		}
		rot.Files = append(rot.Files, rf)
	}
}

// lrSummary says how a logrotate block rotates: its frequency and count.
func lrSummary(b logrotate.Block) string {
	var parts []string
	if o, ok := b.Option(logrotate.Frequencies...); ok {
		parts = append(parts, strings.TrimSpace(o.Name+" "+strings.Join(o.Args, " ")))
	}
	if o, ok := b.Option("rotate"); ok {
		parts = append(parts, "rotate "+strings.Join(o.Args, " "))
	}
	if len(parts) == 0 {
		return "the global settings"
	}
	return strings.Join(parts, ", ")
}

// logrotate reads logrotate's configuration, or returns nil when the
// host has neither its program nor its main configuration.
func (s *integScan) logrotate() *Logrotate {
	lr := &Logrotate{Program: s.firstFound(logrotatePaths)}
	mains := []string{logrotateConf}
	for _, c := range s.calls {
		if c.prog != "logrotate" {
			continue
		}
		lr.Schedules = append(lr.Schedules, c.sched)
		if op := lastOperand(c.args); path.IsAbs(op) && staticPath(op) && !anyOf(op, mains...) {
			mains = append(mains, op)
		}
	}
	s.lrFiles = map[string]*logrotate.File{}
	found := false
	for i, p := range mains {
		fi, err := s.stat(p)
		switch {
		case isNotExist(err):
			continue
		case err != nil:
			lr.Problems = append(lr.Problems, p+": "+target.Reason(err))
			s.b.gap(p, whatIntegrity, err)
			found = true
			continue
		}
		found = true
		if fi.IsDir() {
			lr.Problems = append(lr.Problems, p+": not a regular file")
			continue
		}
		s.lrRead(lr, p, i == 0, 0)
	}
	if !found && lr.Program == "" && len(lr.Schedules) == 0 {
		return nil
	}
	return lr
}

// lrRead reads one file of logrotate's configuration and the files it
// includes.
func (s *integScan) lrRead(lr *Logrotate, p string, main bool, depth int) {
	if _, done := s.lrFiles[p]; done {
		return
	}
	data, err := s.b.t.ReadFile(p)
	if err != nil {
		lr.Problems = append(lr.Problems, p+": "+target.Reason(err))
		s.b.gap(p, whatIntegrity, err)
		return
	}
	f, err := logrotate.Parse(bytes.NewReader(data), p)
	s.b.parseGaps(err, whatIntegrity)
	if f == nil {
		return
	}
	s.lrFiles[p] = f
	lr.Configs = append(lr.Configs, p)
	if depth >= 4 {
		return
	}
	for _, inc := range f.Includes {
		ip := inc.Path
		if !path.IsAbs(ip) {
			ip = path.Join(path.Dir(p), ip)
		}
		fi, err := s.stat(ip)
		if err != nil {
			if !isNotExist(err) {
				lr.Problems = append(lr.Problems, ip+": "+target.Reason(err))
				s.b.gap(ip, whatIntegrity, err)
			}
			continue
		}
		if !fi.IsDir() {
			s.lrRead(lr, ip, false, depth+1)
			continue
		}
		if main && lr.DropInDir == "" {
			lr.DropInDir = ip
		}
		ents, err := s.b.t.ReadDir(ip)
		if err != nil {
			lr.Problems = append(lr.Problems, ip+": "+target.Reason(err))
			s.b.gap(ip, whatIntegrity, err)
			continue
		}
		names := make([]string, 0, len(ents))
		for _, e := range ents {
			if !e.IsDir() && !lrTaboo(e.Name()) {
				names = append(names, e.Name())
			}
		}
		sort.Strings(names)
		for _, n := range names {
			s.lrRead(lr, path.Join(ip, n), false, depth+1)
		}
	}
}

// lrTabooExt are the endings of the file names logrotate skips in an
// included directory by default.
var lrTabooExt = []string{",v", ".bak", ".cfsaved", ".disabled", ".dpkg-bak", ".dpkg-del", ".dpkg-dist", ".dpkg-new", ".dpkg-old",
	".dpkg-tmp", ".rhn-cfg-tmp", ".rpmnew", ".rpmorig", ".rpmsave", ".swp", ".ucf-dist", ".ucf-new", ".ucf-old", "~"}

func lrTaboo(name string) bool {
	if strings.HasPrefix(name, ".") {
		return true
	}
	for _, ext := range lrTabooExt {
		if strings.HasSuffix(name, ext) || ext == ".rhn-cfg-tmp" && strings.Contains(name, ext) {
			return true
		}
	}
	return false
}

// ---- Words ----

func anyOf(s string, list ...string) bool {
	for _, x := range list {
		if s == x {
			return true
		}
	}
	return false
}

// hasArg reports whether args hold one of the words.
func hasArg(args []string, words ...string) bool {
	for _, a := range args {
		if anyOf(a, words...) {
			return true
		}
	}
	return false
}

// hasArgFold is hasArg ignoring case.
func hasArgFold(args []string, word string) bool {
	for _, a := range args {
		if strings.EqualFold(a, word) {
			return true
		}
	}
	return false
}

// argContains reports whether a word holds one of the parts ("backup" in
// "backup_verify").
func argContains(args []string, parts ...string) bool {
	for _, a := range args {
		for _, p := range parts {
			if strings.Contains(a, p) {
				return true
			}
		}
	}
	return false
}

// hasOptValue reports an option followed by a value: "-m c".
func hasOptValue(args []string, opt, value string) bool {
	for i := 0; i+1 < len(args); i++ {
		if args[i] == opt && args[i+1] == value {
			return true
		}
	}
	return false
}

// optValue returns the value of the first of the options given:
// "-r VALUE", "--repo VALUE" or "--repo=VALUE".
func optValue(args []string, opts ...string) string {
	for i, a := range args {
		for _, o := range opts {
			if a == o && i+1 < len(args) {
				return args[i+1]
			}
			if strings.HasPrefix(o, "--") && strings.HasPrefix(a, o+"=") {
				return a[len(o)+1:]
			}
		}
	}
	return ""
}

// firstOperand returns the first argument that is not an option.
func firstOperand(args []string) string {
	for _, a := range args {
		if !strings.HasPrefix(a, "-") {
			return a
		}
	}
	return ""
}

// lastOperand returns the last argument if it is not an option.
func lastOperand(args []string) string {
	if len(args) == 0 || strings.HasPrefix(args[len(args)-1], "-") {
		return ""
	}
	return args[len(args)-1]
}

// static reports whether w names a file as it stands.
func staticPath(w string) bool {
	return w != "" && !strings.ContainsAny(w, "$`*?[~")
}

// tarCreates reports whether tar's arguments make an archive: --create,
// or a first word of letters with 'c' and neither 'x' nor 't' ("czf",
// "-cvf").
func tarCreates(args []string) bool {
	if hasArg(args, "--create") {
		return true
	}
	if len(args) == 0 {
		return false
	}
	a := strings.TrimPrefix(args[0], "-")
	if a == "" || strings.HasPrefix(a, "-") {
		return false
	}
	for i := 0; i < len(a); i++ {
		if c := a[i]; !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return strings.Contains(a, "c") && !strings.ContainsAny(a, "xt")
}

// tarFile returns the archive tar writes: the value of --file or of the
// 'f' in a word of letters ("-czf FILE", "czf FILE"), or "".
func tarFile(args []string) string {
	if v := optValue(args, "--file", "-f"); v != "" {
		return v
	}
	for i, a := range args {
		letters := strings.TrimPrefix(a, "-")
		if strings.HasPrefix(letters, "-") || letters == "" || i+1 >= len(args) {
			continue
		}
		if i > 0 && !strings.HasPrefix(a, "-") {
			continue // only the first word may leave out the dash
		}
		if j := strings.IndexByte(letters, 'f'); j >= 0 && j == len(letters)-1 {
			return args[i+1]
		}
	}
	return ""
}
