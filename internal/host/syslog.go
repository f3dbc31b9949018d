package host

import (
	"bytes"
	"io/fs"
	"path"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"bastion/internal/parse/syslogconf"
	"bastion/internal/parse/syslogng"
	"bastion/internal/parse/systemd"
	"bastion/internal/target"
)

// Answer is a yes, no or unknown answer, for what the files of a host do
// not always settle.
type Answer string

// The answers.
const (
	AnswerYes     Answer = "yes"
	AnswerNo      Answer = "no"
	AnswerUnknown Answer = "unknown"
)

// The syslog daemons bastion reads the configuration of, by program name.
const (
	DaemonSyslogd  = "syslogd"   // AIX, and sysklogd on Linux: /etc/syslog.conf
	DaemonRsyslogd = "rsyslogd"  // /etc/rsyslog.conf and the files it includes
	DaemonSyslogNG = "syslog-ng" // /etc/syslog-ng/syslog-ng.conf
)

// Configuration files of the syslog daemons and of journald.
const (
	syslogConfPath   = "/etc/syslog.conf"
	rsyslogConfPath  = "/etc/rsyslog.conf"
	syslogNGConfPath = "/etc/syslog-ng/syslog-ng.conf"
	journaldConfPath = "/etc/systemd/journald.conf"
	journalDir       = "/var/log/journal"
)

// SyslogFacilities are the facilities Syslog.Facilities answers for, in
// order; "*" stands for messages of every facility.
var SyslogFacilities = []string{"auth", "authpriv", "mail", "daemon", "kern", "cron", "*"}

// SyslogLevel is the priority Syslog.Facilities is computed for.
const SyslogLevel = "info"

// Syslog is the system logging set-up of a host: which syslog daemon runs
// and from where, what its configuration logs where, the log hosts it
// forwards to, whether it receives messages from other hosts, the files it
// writes with their owner and mode, and journald's storage.
type Syslog struct {
	// Daemon is the syslog daemon: DaemonSyslogd, DaemonRsyslogd,
	// DaemonSyslogNG, or "" when the host has none.
	Daemon string
	// Started says whether an enabled start runs Daemon: yes, no (only
	// disabled starts), or unknown (no start found; Daemon was chosen from
	// the configuration files present).
	Started Answer
	// StartedBy are the starts of Daemon, enabled ones first.
	StartedBy []Source
	// Args are the arguments of the first enabled start.
	Args []string
	// Note says how Daemon was chosen, and names other syslog daemons
	// that are also started.
	Note string
	// Configs are the configuration files read, in the order the daemon
	// reads them (an included file where it is included).
	Configs []string
	// Rules are the rules of the configuration in the order the daemon
	// applies them. For syslog-ng, a rule is a log path and one of its
	// destinations.
	Rules []LogRule
	// Facilities says, for each of SyslogFacilities, where messages of
	// that facility at SyslogLevel are logged.
	Facilities []FacilityLog
	// Logs says whether the configuration logs anything at all: yes when
	// some rule sends some message somewhere, no when none does (AIX's
	// default file, whose rules are all commented out), unknown when
	// only parts bastion does not model could.
	Logs Answer
	// Remote are the log hosts the configuration forwards messages to.
	Remote []LogDestination
	// Reception says whether the daemon receives messages from other
	// hosts.
	Reception LogReception
	// Files are the files the rules write to, with their state in the
	// target, sorted by path.
	Files []LogFile
	// CreatesFiles says whether the daemon creates a log file that is
	// missing. AIX syslogd does not: a rule whose file is missing logs
	// nothing.
	CreatesFiles Answer
	// FileSettings are the settings for the files the daemon creates:
	// rsyslog's $FileCreateMode, $FileOwner and $FileGroup (or the
	// omfile module's parameters), syslog-ng's perm, owner and group
	// options, in file order.
	FileSettings []LogSetting
	// Unmodelled lists the parts of the configuration whose effect
	// bastion does not work out: rsyslog if-then blocks and rule sets,
	// syslog-ng filters other than facility and level, includes that
	// could not be followed.
	Unmodelled []LogNote
	// Journald is the journal's set-up on a host run by systemd, or nil.
	Journald *Journald
}

// LogRule is one rule of the configuration.
type LogRule struct {
	// Source is where the rule is written. For syslog-ng, the log
	// statement.
	Source Source
	// Filter is the filter as written: "auth,authpriv.*", a property
	// filter, "" for an action with no filter; for syslog-ng, the log
	// path's filters as "filter(f_auth) filter(f_x)".
	Filter string
	// Action is the action as written.
	Action string
	// Ruleset is the rsyslog rule set of the rule, "" for the default.
	Ruleset string
	// Dest is where the rule sends what it takes.
	Dest LogDestination
}

// LogDestination is where a rule sends messages.
type LogDestination struct {
	// Kind is file, dynamic-file, remote, user, all-users, errlog, pipe,
	// program, discard, module, or other.
	Kind string
	// Target is the file or pipe path, log host, user list, program or
	// module.
	Target string
	// Port and Protocol are those of a log host: the port as written or
	// the default, 514; udp, tcp, tls or relp.
	Port     int
	Protocol string
	// Source is where the destination is written.
	Source Source
}

// FacilityLog is where messages of one facility are logged.
type FacilityLog struct {
	// Facility is a facility name, or "*" for messages of every facility.
	Facility string
	// Destinations are where rules send its messages, in rule order.
	Destinations []LogDestination
	// Uncertain are the rules and blocks that may send its messages
	// somewhere, or stop them, depending on more than the facility and
	// priority.
	Uncertain []Source
}

// LogReception says whether the syslog daemon receives messages from other
// hosts.
type LogReception struct {
	// Listens is yes when the daemon, as configured and started, takes
	// messages from the network; no when it does not; unknown when the
	// files do not settle it.
	Listens Answer
	// Inputs are the listeners the configuration opens.
	Inputs []LogInput
	// Note explains the answer.
	Note string
}

// LogInput is a port the syslog daemon listens on.
type LogInput struct {
	// Proto is udp, tcp, tls or relp; Port is 0 when the configuration
	// names it by a service name.
	Proto  string
	Port   int
	Source Source
}

// LogFile is a file a rule writes to, as found in the target.
type LogFile struct {
	Path string
	// Sources are the rules that write it.
	Sources []Source
	// Exists reports whether the file is in the target; Mode, UID and GID
	// are its mode, owner and group then. UID and GID are -1 when unknown.
	Exists   bool
	Mode     fs.FileMode
	UID, GID int
	// CreateMode, CreateOwner and CreateGroup are what the daemon gives
	// the file when it creates it: the setting in effect at its first
	// rule, or the daemon's default mode (rsyslog 0644, syslog-ng 0600).
	// They are "" when unknown or when the daemon creates no file.
	CreateMode, CreateOwner, CreateGroup string
	// Problem says why the file could not be looked at, or "".
	Problem string
}

// OthersCanRead reports whether the file exists and every user may read
// it.
func (f LogFile) OthersCanRead() bool { return f.Exists && f.Mode.Perm()&0o004 != 0 }

// LogSetting is a setting of the files a daemon creates.
type LogSetting struct {
	// Name is the setting as written: FileCreateMode, filecreatemode, perm.
	Name   string
	Value  string
	Source Source
}

// LogNote is a part of the configuration bastion reads over.
type LogNote struct {
	Source Source
	What   string
}

// Journald is the set-up of the systemd journal.
type Journald struct {
	// Configs are the configuration files read, in order.
	Configs []string
	// Storage is the Storage= setting, "auto" when not set; StorageSource
	// is where it is set.
	Storage       string
	StorageSource Source
	// Persistent is yes when the journal is kept on disk across reboots:
	// Storage=persistent, or auto with /var/log/journal present.
	Persistent Answer
	// ForwardToSyslog is the ForwardToSyslog= setting, or "" when not set.
	ForwardToSyslog string
}

const whatSyslog = "system logging set-up"

// syslogDaemons maps program base names to the daemon they are.
var syslogDaemons = map[string]string{
	"syslogd":   DaemonSyslogd,
	"rsyslogd":  DaemonRsyslogd,
	"syslog-ng": DaemonSyslogNG,
}

// syslog reads the system logging configuration.
func (b *builder) syslog() {
	s := &Syslog{Started: AnswerUnknown, Logs: AnswerNo, CreatesFiles: AnswerUnknown}
	b.f.Syslog = s
	b.chooseSyslogDaemon(s)
	conf := syslogConfArg(s.Args)
	required := s.Started == AnswerYes
	switch s.Daemon {
	case DaemonSyslogd:
		if conf == "" {
			conf = syslogConfPath
		}
		b.bsdSyslog(s, conf, required, false)
	case DaemonRsyslogd:
		if conf == "" {
			conf = rsyslogConfPath
		}
		b.bsdSyslog(s, conf, required, true)
	case DaemonSyslogNG:
		if conf == "" {
			conf = syslogNGConfPath
		}
		b.syslogNG(s, conf, required)
	default:
		s.Started = AnswerNo
		s.Reception = LogReception{Listens: AnswerNo, Note: "no syslog daemon"}
		for _, fac := range SyslogFacilities {
			s.Facilities = append(s.Facilities, FacilityLog{Facility: fac})
		}
	}
	b.logFiles(s)
	b.journald(s)
}

// chooseSyslogDaemon works out which syslog daemon the host runs: the one
// an enabled start runs, or else the one whose configuration is present.
func (b *builder) chooseSyslogDaemon(s *Syslog) {
	enabled := map[string][]Start{}
	disabled := map[string][]Start{}
	for _, st := range b.f.Starts {
		d, ok := syslogDaemons[path.Base(st.Program)]
		if !ok {
			continue
		}
		if st.Enabled {
			enabled[d] = append(enabled[d], st)
		} else {
			disabled[d] = append(disabled[d], st)
		}
	}
	order := []string{DaemonRsyslogd, DaemonSyslogNG, DaemonSyslogd}
	if b.f.Platform.OS == target.AIX {
		order = []string{DaemonSyslogd, DaemonRsyslogd, DaemonSyslogNG}
	}
	for _, d := range order {
		if len(enabled[d]) == 0 {
			continue
		}
		if s.Daemon == "" {
			s.Daemon, s.Started, s.Args = d, AnswerYes, enabled[d][0].Args
			continue
		}
		s.Note = joinNote(s.Note, d+" is started too ("+enabled[d][0].Source.String()+")")
	}
	if s.Daemon == "" {
		for _, d := range order {
			if len(disabled[d]) > 0 {
				s.Daemon, s.Started = d, AnswerNo
				s.Note = "every start of " + d + " is disabled"
				break
			}
		}
	}
	if s.Daemon == "" {
		confs := map[string]string{DaemonSyslogd: syslogConfPath, DaemonRsyslogd: rsyslogConfPath, DaemonSyslogNG: syslogNGConfPath}
		for _, d := range order {
			if _, err := b.t.Stat(confs[d]); err == nil {
				s.Daemon = d
				s.Note = "no start of a syslog daemon found; chosen because " + confs[d] + " exists"
				break
			}
		}
	}
	for _, st := range append(enabled[s.Daemon], disabled[s.Daemon]...) {
		s.StartedBy = append(s.StartedBy, st.Source)
	}
}

// syslogConfArg returns the configuration file a daemon's arguments name
// with -f FILE, -fFILE or --cfgfile=FILE, or "".
func syslogConfArg(args []string) string {
	for i, a := range args {
		var v string
		switch {
		case (a == "-f" || a == "--cfgfile") && i+1 < len(args):
			v = args[i+1]
		case strings.HasPrefix(a, "--cfgfile="):
			v = strings.TrimPrefix(a, "--cfgfile=")
		case strings.HasPrefix(a, "-f") && len(a) > 2 && !strings.HasPrefix(a, "--"):
			v = a[2:]
		}
		if strings.HasPrefix(v, "/") {
			return v
		}
	}
	return ""
}

// hasFlag reports whether a start's arguments hold the single-letter flag
// c, alone or among other flags ("-r", "-dr").
func hasFlag(args []string, c byte) bool {
	for _, a := range args {
		if len(a) > 1 && a[0] == '-' && a[1] != '-' && strings.IndexByte(a[1:], c) >= 0 {
			return true
		}
	}
	return false
}

// bsdItem is a rule, directive or block of an rsyslog or syslog.conf
// file, kept in the order the daemon reads them across included files.
type bsdItem struct {
	file  string
	rule  *syslogconf.Rule
	dir   *syslogconf.Directive
	block *syslogconf.Block
	mod   *syslogconf.Module
	input *syslogconf.Input
	line  int
}

// maxIncludeDepth bounds nested includes, which may loop.
const maxIncludeDepth = 8

// bsdSyslog reads /etc/syslog.conf or rsyslog's configuration and fills in
// the model. rsyslog reads included files at the place of the include.
func (b *builder) bsdSyslog(s *Syslog, conf string, required, rsyslog bool) {
	var items []bsdItem
	read := b.bsdFile(s, conf, required, rsyslog, 0, &items)
	if rsyslog {
		s.CreatesFiles = AnswerYes
	} else if b.f.Platform.OS == target.AIX {
		s.CreatesFiles = AnswerNo
	}
	mode, owner, group := "", "", ""
	if rsyslog {
		mode = "0644"
	}
	modules := map[string]bool{}
	var inputs []bsdItem
	// create holds the create mode, owner and group in effect at each rule.
	create := map[*syslogconf.Rule][3]string{}
	for _, it := range items {
		src := Source{File: it.file, Line: it.line}
		switch {
		case it.dir != nil:
			switch strings.ToLower(it.dir.Name) {
			case "filecreatemode":
				mode = it.dir.Args
			case "fileowner":
				owner = it.dir.Args
			case "filegroup":
				group = it.dir.Args
			default:
				continue
			}
			s.FileSettings = append(s.FileSettings, LogSetting{Name: it.dir.Name, Value: it.dir.Args, Source: src})
		case it.mod != nil:
			modules[it.mod.Name] = true
			if it.mod.Name == "omfile" {
				for _, k := range []string{"filecreatemode", "fileowner", "filegroup"} {
					v, ok := it.mod.Params[k]
					if !ok {
						continue
					}
					switch k {
					case "filecreatemode":
						mode = v
					case "fileowner":
						owner = v
					case "filegroup":
						group = v
					}
					s.FileSettings = append(s.FileSettings, LogSetting{Name: k, Value: v, Source: src})
				}
			}
		case it.input != nil:
			inputs = append(inputs, it)
		case it.block != nil:
			switch it.block.Kind {
			case "if", "foreach", "call", "actions", "ruleset":
				s.Unmodelled = append(s.Unmodelled, LogNote{Source: src,
					What: "rules inside " + it.block.Kind + " (lines " + strconv.Itoa(it.block.Line) + "-" + strconv.Itoa(it.block.EndLine) + ") are not modelled"})
			case "program", "host":
				s.Unmodelled = append(s.Unmodelled, LogNote{Source: src,
					What: "rules after a BSD " + it.block.Kind + " line apply to some messages only; not modelled"})
			}
		case it.rule != nil:
			r := it.rule
			d := LogDestination{Kind: string(r.Kind), Target: r.Target, Port: r.Port, Protocol: r.Protocol, Source: src}
			if r.Kind == syslogconf.KindRemote && d.Port == 0 {
				d.Port = 514
			}
			s.Rules = append(s.Rules, LogRule{Source: src, Filter: r.Filter, Action: r.Action, Ruleset: r.Ruleset, Dest: d})
			fm, fo, fg := mode, owner, group
			if v, ok := r.Params["filecreatemode"]; ok {
				fm = v
			}
			if v, ok := r.Params["fileowner"]; ok {
				fo = v
			}
			if v, ok := r.Params["filegroup"]; ok {
				fg = v
			}
			create[r] = [3]string{fm, fo, fg}
		}
	}
	b.bsdFacilities(s, items)
	b.bsdReception(s, rsyslog, inputs, modules)
	if !read {
		s.Logs = AnswerUnknown
		s.Note = joinNote(s.Note, conf+" could not be read")
	} else if s.Logs == AnswerNo && len(s.Unmodelled) > 0 {
		s.Logs = AnswerUnknown
	}
	// Files, with the create settings in effect at their first rule.
	for _, it := range items {
		if it.rule == nil || it.rule.Kind != syslogconf.KindFile {
			continue
		}
		s.addFile(it.rule.Target, Source{File: it.file, Line: it.line}, create[it.rule])
	}
}

// bsdFile reads one syslog.conf or rsyslog file and, for rsyslog, the
// files it includes, appending what it holds to items in reading order.
// It reports whether the file was read.
func (b *builder) bsdFile(s *Syslog, name string, required, rsyslog bool, depth int, items *[]bsdItem) bool {
	for _, c := range s.Configs {
		if c == name {
			s.Unmodelled = append(s.Unmodelled, LogNote{Source: Source{File: name}, What: "included more than once; read once"})
			return true
		}
	}
	data := b.read(name, whatSyslog, required)
	if data == nil {
		return false
	}
	s.Configs = append(s.Configs, name)
	f, err := syslogconf.Parse(bytes.NewReader(data), name)
	b.parseGaps(err, whatSyslog)
	if f == nil {
		return true
	}
	type entry struct {
		it  bsdItem
		inc *syslogconf.Include
	}
	var es []entry
	add := func(line int, it bsdItem) {
		it.file, it.line = name, line
		es = append(es, entry{it: it})
	}
	for i := range f.Rules {
		add(f.Rules[i].Line, bsdItem{rule: &f.Rules[i]})
	}
	for i := range f.Directives {
		add(f.Directives[i].Line, bsdItem{dir: &f.Directives[i]})
	}
	for i := range f.Blocks {
		add(f.Blocks[i].Line, bsdItem{block: &f.Blocks[i]})
	}
	for i := range f.Modules {
		add(f.Modules[i].Line, bsdItem{mod: &f.Modules[i]})
	}
	for i := range f.Inputs {
		add(f.Inputs[i].Line, bsdItem{input: &f.Inputs[i]})
	}
	for i := range f.Includes {
		es = append(es, entry{it: bsdItem{file: name, line: f.Includes[i].Line}, inc: &f.Includes[i]})
	}
	sort.SliceStable(es, func(i, j int) bool { return es[i].it.line < es[j].it.line })
	for _, e := range es {
		if e.inc == nil {
			*items = append(*items, e.it)
			continue
		}
		src := Source{File: name, Line: e.inc.Line}
		if !rsyslog {
			continue
		}
		if depth >= maxIncludeDepth {
			s.Unmodelled = append(s.Unmodelled, LogNote{Source: src, What: "includes nested too deep; not followed"})
			continue
		}
		for _, p := range b.includeFiles(s, src, e.inc.Pattern, false) {
			b.bsdFile(s, p, false, rsyslog, depth+1, items)
		}
	}
	return true
}

// includeFiles returns the files an include names: a file, every file of
// a directory (a pattern ending in '/'), or the files of a directory whose
// names match a glob. A relative pattern is taken from dir, or from the
// root when dir is "".
func (b *builder) includeFiles(s *Syslog, src Source, pattern string, skipHidden bool) []string {
	if !strings.HasPrefix(pattern, "/") {
		pattern = "/" + pattern
	}
	dir, base := path.Split(pattern)
	dir = path.Clean(dir)
	if strings.ContainsAny(dir, "*?[") {
		s.Unmodelled = append(s.Unmodelled, LogNote{Source: src, What: "include " + pattern + " has a pattern in a directory name; not followed"})
		return nil
	}
	if base != "" && !strings.ContainsAny(base, "*?[") {
		fi, err := b.t.Stat(pattern)
		if err != nil || !fi.IsDir() {
			return []string{pattern}
		}
		dir, base = pattern, ""
	}
	ents, err := b.t.ReadDir(dir)
	if err != nil {
		if !isNotExist(err) {
			b.gap(dir, whatSyslog, err)
		}
		return nil
	}
	var out []string
	for _, e := range ents {
		n := e.Name()
		if e.IsDir() || (skipHidden && (strings.HasPrefix(n, ".") || strings.HasSuffix(n, "~"))) {
			continue
		}
		if base != "" {
			ok, err := path.Match(base, n)
			if err != nil {
				s.Unmodelled = append(s.Unmodelled, LogNote{Source: src, What: "include pattern " + pattern + " is malformed"})
				return nil
			}
			if !ok {
				continue
			}
		}
		out = append(out, path.Join(dir, n))
	}
	return out
}

// destination turns the action of a rule into a destination.
func destination(r *syslogconf.Rule, src Source) LogDestination {
	d := LogDestination{Kind: string(r.Kind), Target: r.Target, Port: r.Port, Protocol: r.Protocol, Source: src}
	if r.Kind == syslogconf.KindRemote && d.Port == 0 {
		d.Port = 514
	}
	return d
}

// blockKinds are the rsyslog statements whose rules may route messages of
// any facility in a way bastion does not work out.
var blockKinds = map[string]bool{"if": true, "foreach": true, "call": true, "actions": true, "program": true, "host": true}

// bsdFacilities works out where each facility is logged, and whether
// anything is logged at all, from rules in reading order. A discarding
// rule stops the messages it takes from reaching later rules.
func (b *builder) bsdFacilities(s *Syslog, items []bsdItem) {
	uncertain := false
	for _, it := range items {
		if it.block != nil && blockKinds[it.block.Kind] {
			uncertain = true
		}
	}
	for _, fac := range SyslogFacilities {
		fl := FacilityLog{Facility: fac}
		facs := []string{fac}
		if fac == "*" {
			facs = syslogconf.AllFacilities
		}
		stopped := map[string]bool{}
		for _, it := range items {
			src := Source{File: it.file, Line: it.line}
			if it.block != nil && blockKinds[it.block.Kind] {
				fl.Uncertain = append(fl.Uncertain, src)
				continue
			}
			r := it.rule
			if r == nil || r.Ruleset != "" {
				continue
			}
			if r.Property {
				fl.Uncertain = append(fl.Uncertain, src)
				continue
			}
			all := true
			for _, f := range facs {
				if stopped[f] || !r.Matches(f, SyslogLevel) {
					all = false
				}
			}
			if r.Kind == syslogconf.KindDiscard {
				for _, f := range facs {
					if r.Matches(f, SyslogLevel) {
						stopped[f] = true
					}
				}
				continue
			}
			if all {
				fl.Destinations = append(fl.Destinations, destination(r, src))
			}
		}
		s.Facilities = append(s.Facilities, fl)
	}
	s.Logs = AnswerNo
	for _, it := range items {
		if r := it.rule; r != nil && r.Kind != syslogconf.KindDiscard && logsSomething(r) {
			s.Logs = AnswerYes
			return
		}
	}
	if uncertain {
		s.Logs = AnswerUnknown
	}
}

// logsSomething reports whether a rule takes any message at all.
func logsSomething(r *syslogconf.Rule) bool {
	if r.Property || r.Filter == "" {
		return true
	}
	for _, f := range syslogconf.AllFacilities {
		for _, p := range []string{"emerg", "alert", "crit", "err", "warning", "notice", "info", "debug"} {
			if r.Matches(f, p) {
				return true
			}
		}
	}
	return false
}

// networkInputs maps the rsyslog input modules that listen on the network
// to their transport.
var networkInputs = map[string]string{
	"imudp": "udp", "imtcp": "tcp", "imptcp": "tcp", "imrelp": "relp", "imgssapi": "tcp", "imdtls": "dtls",
}

// bsdReception works out whether the daemon receives messages from other
// hosts.
func (b *builder) bsdReception(s *Syslog, rsyslog bool, inputs []bsdItem, modules map[string]bool) {
	r := &s.Reception
	switch {
	case rsyslog:
		var notes []string
		for _, it := range inputs {
			in := it.input
			proto, ok := networkInputs[in.Type]
			if !ok {
				continue
			}
			src := Source{File: it.file, Line: it.line}
			if !modules[in.Type] {
				notes = append(notes, in.Type+" at "+src.String()+" is not loaded")
				continue
			}
			port := in.Port
			if port == 0 && in.Params["port"] == "" && in.Type == "imudp" {
				port = 514
			}
			r.Inputs = append(r.Inputs, LogInput{Proto: proto, Port: port, Source: src})
		}
		r.Listens = AnswerNo
		if len(r.Inputs) > 0 {
			r.Listens = AnswerYes
		}
		r.Note = strings.Join(notes, "; ")
	case b.f.Platform.OS == target.AIX:
		src := Source{}
		if len(s.StartedBy) > 0 {
			src = s.StartedBy[0]
		}
		switch {
		case s.Started == AnswerUnknown:
			r.Listens, r.Note = AnswerUnknown, "no start of syslogd found"
		case hasFlag(s.Args, 'r'):
			r.Listens, r.Note = AnswerNo, "started with -r: syslogd ignores messages from other hosts"
		default:
			r.Listens = AnswerYes
			r.Inputs = []LogInput{{Proto: "udp", Port: 514, Source: src}}
			r.Note = "AIX syslogd takes messages from other hosts on 514/udp unless started with -r; flags set in the SRC definition (chssys) are not in these files"
		}
	default:
		switch {
		case s.Started == AnswerUnknown:
			r.Listens, r.Note = AnswerUnknown, "no start of syslogd found"
		case strings.Contains(strings.Join(s.Args, " "), "$"):
			r.Listens, r.Note = AnswerUnknown, "syslogd's arguments come from a variable"
		case hasFlag(s.Args, 'r'):
			r.Listens, r.Note = AnswerYes, "started with -r"
			if len(s.StartedBy) > 0 {
				r.Inputs = []LogInput{{Proto: "udp", Port: 514, Source: s.StartedBy[0]}}
			}
		default:
			r.Listens, r.Note = AnswerNo, "syslogd takes messages from other hosts only with -r"
		}
	}
	if s.Started == AnswerNo {
		r.Listens = AnswerNo
		r.Note = joinNote(r.Note, s.Daemon+" is not started")
	}
	for _, rule := range s.Rules {
		if rule.Dest.Kind == string(syslogconf.KindRemote) {
			s.Remote = append(s.Remote, rule.Dest)
		}
	}
}

// addFile records that the rule at src writes the file p; create holds
// the create mode, owner and group in effect there.
func (s *Syslog) addFile(p string, src Source, create [3]string) {
	for i := range s.Files {
		if s.Files[i].Path == p {
			s.Files[i].Sources = append(s.Files[i].Sources, src)
			return
		}
	}
	s.Files = append(s.Files, LogFile{Path: p, Sources: []Source{src}, UID: -1, GID: -1,
		CreateMode: create[0], CreateOwner: create[1], CreateGroup: create[2]})
}

// logFiles looks up every file the rules write in the target.
func (b *builder) logFiles(s *Syslog) {
	sort.SliceStable(s.Files, func(i, j int) bool { return s.Files[i].Path < s.Files[j].Path })
	for i := range s.Files {
		f := &s.Files[i]
		if !strings.HasPrefix(f.Path, "/") {
			f.Problem = "not an absolute path"
			continue
		}
		fi, err := b.t.Stat(f.Path)
		if err != nil {
			if !isNotExist(err) {
				f.Problem = target.Reason(err)
				b.gap(f.Path, "log file owner and mode", err)
			}
			continue
		}
		f.Exists, f.Mode = true, fi.Mode()
		f.UID, f.GID = fileOwner(fi)
	}
}

// fileOwner returns the numeric owner and group of a file, or -1 and -1
// where the platform does not give them. It reads the Uid and Gid fields
// of the system's stat structure (syscall.Stat_t on Linux and AIX)
// without naming the type, which some platforms lack.
func fileOwner(fi fs.FileInfo) (uid, gid int) {
	v := reflect.ValueOf(fi.Sys())
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return -1, -1
		}
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return -1, -1
	}
	field := func(name string) int {
		switch f := v.FieldByName(name); {
		case f.CanUint():
			return int(f.Uint())
		case f.CanInt():
			return int(f.Int())
		}
		return -1
	}
	return field("Uid"), field("Gid")
}

// ngConf is syslog-ng's configuration across its included files, merged
// into one: objects share one name space, and log paths run in the order
// the files are read.
type ngConf struct {
	merged *syslogng.File
	// logFile and objFile name the file each log path (by index) and each
	// destination and source (by name) comes from.
	logFile []string
	objFile map[string]string
	// options are the global options with the file of each.
	options []ngOption
}

type ngOption struct {
	file string
	d    syslogng.Driver
}

// ngIncludeDir is where syslog-ng looks for included files named without
// a directory, after the configuration's own directory.
const ngIncludeDir = "/usr/share/syslog-ng/include"

// syslogNG reads syslog-ng's configuration and fills in the model.
func (b *builder) syslogNG(s *Syslog, conf string, required bool) {
	c := &ngConf{merged: &syslogng.File{Name: conf}, objFile: map[string]string{}}
	read := b.ngFile(s, c, conf, required, 0)
	m := c.merged
	s.CreatesFiles = AnswerYes
	mode, owner, group := "0600", "", ""
	for _, opt := range c.options {
		o := opt.d
		v := ""
		if len(o.Args) > 0 {
			v = o.Args[0]
		}
		switch o.Driver {
		case "perm":
			mode = v
		case "owner":
			owner = v
		case "group":
			group = v
		default:
			continue
		}
		s.FileSettings = append(s.FileSettings, LogSetting{Name: o.Driver, Value: v, Source: Source{File: opt.file, Line: o.Line}})
	}
	dest := func(t syslogng.Target, file string) LogDestination {
		d := LogDestination{Kind: t.Kind, Source: Source{File: file, Line: t.Line}}
		switch t.Kind {
		case "remote":
			d.Target, d.Port, d.Protocol = t.Host, t.Port, t.Transport
		case "user", "all-users":
			d.Target = t.User
		case "program":
			d.Target = t.Command
		default:
			d.Target = t.Path
		}
		return d
	}
	usedSources := map[string]bool{}
	seenRemote := map[Source]bool{}
	for i, l := range m.Logs {
		src := Source{File: c.logFile[i], Line: l.Line}
		var filters []string
		for _, f := range l.Filters {
			filters = append(filters, "filter("+f+")")
		}
		for _, name := range l.Sources {
			usedSources[name] = true
		}
		if l.Nested {
			s.Unmodelled = append(s.Unmodelled, LogNote{Source: src, What: "nested log paths, junctions or conditions are not modelled"})
		}
		for _, name := range l.Destinations {
			o, ok := m.Destination(name)
			if !ok {
				s.Unmodelled = append(s.Unmodelled, LogNote{Source: src, What: "destination " + name + " is not defined in the files read"})
				continue
			}
			for _, t := range o.Targets() {
				d := dest(t, c.objFile[name])
				s.Rules = append(s.Rules, LogRule{Source: src, Filter: strings.Join(filters, " "), Action: driverText(o, t.Line), Dest: d})
				if d.Kind == "remote" && !seenRemote[d.Source] {
					seenRemote[d.Source] = true
					s.Remote = append(s.Remote, d)
				}
				if t.Kind == "file" {
					fm, fo, fg := mode, owner, group
					if t.Perm != "" {
						fm = t.Perm
					}
					if t.Owner != "" {
						fo = t.Owner
					}
					if t.Group != "" {
						fg = t.Group
					}
					s.addFile(t.Path, d.Source, [3]string{fm, fo, fg})
				}
			}
		}
	}
	// Where each facility goes.
	for _, fac := range SyslogFacilities {
		fl := FacilityLog{Facility: fac}
		for i, r := range m.Route(fac, SyslogLevel) {
			switch r.Match {
			case syslogng.Yes:
				for _, o := range r.Destinations {
					for _, t := range o.Targets() {
						fl.Destinations = append(fl.Destinations, dest(t, c.objFile[o.Name]))
					}
				}
			case syslogng.Unknown:
				fl.Uncertain = append(fl.Uncertain, Source{File: c.logFile[i], Line: r.Log.Line})
			}
		}
		s.Facilities = append(s.Facilities, fl)
	}
	s.Logs = AnswerNo
	if !read {
		s.Logs = AnswerUnknown
		s.Note = joinNote(s.Note, conf+" could not be read")
	}
levels:
	for _, p := range []string{"emerg", "alert", "crit", "err", "warning", "notice", "info", "debug"} {
		for _, f := range syslogconf.AllFacilities {
			for _, r := range m.Route(f, p) {
				if r.Match == syslogng.Yes && len(r.Destinations) > 0 {
					s.Logs = AnswerYes
					break levels
				}
				if r.Match == syslogng.Unknown {
					s.Logs = AnswerUnknown
				}
			}
		}
	}
	// Reception: the network sources log paths use.
	r := &s.Reception
	r.Listens = AnswerNo
	var unused []string
	for _, o := range m.Sources {
		ls := o.Listeners()
		if len(ls) == 0 {
			continue
		}
		if !usedSources[o.Name] {
			unused = append(unused, o.Name)
			continue
		}
		for _, l := range ls {
			r.Inputs = append(r.Inputs, LogInput{Proto: l.Transport, Port: l.Port, Source: Source{File: c.objFile[o.Name], Line: l.Line}})
		}
		r.Listens = AnswerYes
	}
	if len(unused) > 0 {
		r.Note = "network sources no log path uses (syslog-ng does not open them): " + strings.Join(unused, ", ")
	}
	for name := range usedSources {
		if _, ok := m.Source(name); !ok && r.Listens == AnswerNo {
			r.Listens = AnswerUnknown
			r.Note = joinNote(r.Note, "source "+name+" is not defined in the files read")
		}
	}
	if s.Started == AnswerNo {
		r.Listens = AnswerNo
		r.Note = joinNote(r.Note, s.Daemon+" is not started")
	}
}

// driverText renders the driver of o written at line.
func driverText(o syslogng.Object, line int) string {
	for _, d := range o.Drivers {
		if d.Line == line {
			return d.String()
		}
	}
	return ""
}

// ngFile reads one syslog-ng file and the files it includes, merging them
// into c. It reports whether the file was read.
func (b *builder) ngFile(s *Syslog, c *ngConf, name string, required bool, depth int) bool {
	for _, p := range s.Configs {
		if p == name {
			return true
		}
	}
	data := b.read(name, whatSyslog, required)
	if data == nil {
		return false
	}
	s.Configs = append(s.Configs, name)
	f, err := syslogng.Parse(bytes.NewReader(data), name)
	b.parseGaps(err, whatSyslog)
	if f == nil {
		return true
	}
	m := c.merged
	for _, o := range f.Sources {
		m.Sources = append(m.Sources, o)
		c.objFile[o.Name] = name
	}
	for _, o := range f.Destinations {
		m.Destinations = append(m.Destinations, o)
		c.objFile[o.Name] = name
	}
	m.Filters = append(m.Filters, f.Filters...)
	m.Options = append(m.Options, f.Options...)
	for _, o := range f.Options {
		c.options = append(c.options, ngOption{file: name, d: o})
	}
	// Log paths, with those of included files where they are included.
	logs := f.Logs
	for _, inc := range f.Includes {
		for len(logs) > 0 && logs[0].Line < inc.Line {
			m.Logs = append(m.Logs, logs[0])
			c.logFile = append(c.logFile, name)
			logs = logs[1:]
		}
		src := Source{File: name, Line: inc.Line}
		if depth >= maxIncludeDepth {
			s.Unmodelled = append(s.Unmodelled, LogNote{Source: src, What: "includes nested too deep; not followed"})
			continue
		}
		for _, p := range b.ngInclude(s, src, name, inc.Path) {
			b.ngFile(s, c, p, false, depth+1)
		}
	}
	for _, l := range logs {
		m.Logs = append(m.Logs, l)
		c.logFile = append(c.logFile, name)
	}
	return true
}

// ngInclude returns the files an @include names. A name without a
// directory is looked up next to the including file, then in syslog-ng's
// include directory; the library of configuration snippets (scl.conf)
// lives there and defines no log paths.
func (b *builder) ngInclude(s *Syslog, src Source, from, p string) []string {
	if !strings.HasPrefix(p, "/") {
		for _, dir := range []string{path.Dir(from), ngIncludeDir} {
			full := path.Join(dir, p)
			if strings.ContainsAny(path.Base(full), "*?[") {
				if files := b.includeFiles(s, src, full, true); len(files) > 0 {
					return files
				}
				continue
			}
			if _, err := b.t.Stat(full); err == nil {
				return b.includeFiles(s, src, full, true)
			}
		}
		return nil
	}
	return b.includeFiles(s, src, p, true)
}

// journaldDropInDirs are the directories of journald.conf drop-ins, in
// the order systemd searches them.
var journaldDropInDirs = []string{
	"/etc/systemd/journald.conf.d",
	"/run/systemd/journald.conf.d",
	"/usr/local/lib/systemd/journald.conf.d",
	"/usr/lib/systemd/journald.conf.d",
	"/lib/systemd/journald.conf.d",
}

const whatJournal = "journal storage"

// journald reads journald's configuration on a host run by systemd.
func (b *builder) journald(s *Syslog) {
	if b.f.Platform.OS == target.AIX {
		return
	}
	inUse := false
	for _, st := range b.f.Starts {
		if st.Kind == KindSystemd {
			inUse = true
			break
		}
	}
	mains := []string{journaldConfPath, "/run/systemd/journald.conf", "/usr/local/lib/systemd/journald.conf", "/usr/lib/systemd/journald.conf"}
	for _, p := range append(mains, "/usr/lib/systemd/systemd-journald", "/lib/systemd/systemd-journald") {
		if inUse {
			break
		}
		if _, err := b.t.Stat(p); err == nil {
			inUse = true
		}
	}
	if !inUse {
		return
	}
	j := &Journald{Storage: "auto"}
	s.Journald = j
	var units []*systemd.Unit
	// The first main file found is read; drop-ins amend it.
	for _, p := range mains {
		if _, err := b.t.Stat(p); isNotExist(err) {
			continue
		}
		if data := b.read(p, whatJournal, false); data != nil {
			u, err := systemd.Parse(bytes.NewReader(data), p)
			b.parseGaps(err, whatJournal)
			if u != nil {
				units = append(units, u)
				j.Configs = append(j.Configs, p)
			}
		}
		break
	}
	for _, u := range b.dropIns(journaldDropInDirs) {
		units = append(units, u)
		j.Configs = append(j.Configs, u.Name)
	}
	if a, ok := systemd.StackAssignment("Journal", "Storage", units...); ok && a.Value != "" {
		j.Storage = strings.ToLower(a.Value)
		j.StorageSource = Source{File: a.File, Line: a.Line}
	}
	if a, ok := systemd.StackAssignment("Journal", "ForwardToSyslog", units...); ok {
		j.ForwardToSyslog = a.Value
	}
	switch j.Storage {
	case "persistent":
		j.Persistent = AnswerYes
	case "volatile", "none":
		j.Persistent = AnswerNo
	case "auto":
		fi, err := b.t.Stat(journalDir)
		switch {
		case err == nil && fi.IsDir():
			j.Persistent = AnswerYes
		case err == nil || isNotExist(err):
			j.Persistent = AnswerNo
		default:
			j.Persistent = AnswerUnknown
			b.gap(journalDir, whatJournal, err)
		}
	default:
		j.Persistent = AnswerUnknown
	}
}
