package host

import (
	"bytes"
	"compress/gzip"

	"github.com/pierrec/lz4/v4"
	"io"
	"io/fs"
	"path"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"bastion/internal/debver"
	"bastion/internal/parse/aptlists"
	"bastion/internal/parse/dpkg"
	"bastion/internal/parse/instfix"
	"bastion/internal/parse/oslevel"
	"bastion/internal/parse/updateinfo"
	"bastion/internal/rpmver"
	"bastion/internal/target"
)

// Files and captures the patch model reads.
const (
	DpkgStatusPath = "/var/lib/dpkg/status" // Debian: installed packages
	AptListsDir    = "/var/lib/apt/lists"   // Debian: the archives' package lists
	DpkgLogPath    = "/var/log/dpkg.log"    // Debian: installs and upgrades
	// CaptureInstfix is "instfix -i" on AIX: every fix, level and service
	// pack the fix database knows. CaptureInstfixK is "instfix -ik KEYWORD"
	// for each fix bastion requires, one after another.
	CaptureInstfix  = "instfix-i"
	CaptureInstfixK = "instfix-ik"
	// CaptureUpdateinfo is "dnf updateinfo list" (or "yum updateinfo
	// list") on Red Hat and its derivatives.
	CaptureUpdateinfo = "updateinfo-list"
)

// The package managers Patches reads.
const (
	ManagerDpkg = "dpkg" // Debian and its derivatives: dpkg's status, apt's lists
	ManagerAIX  = "aix"  // AIX: captured instfix and oslevel output
	// ManagerUpdateinfo is Red Hat and its derivatives: captured dnf or
	// yum updateinfo output.
	ManagerUpdateinfo = "updateinfo"
)

const whatPatches = "pending updates"

// Patches is what the host says about updates: on Debian and its
// derivatives, the installed packages that have a newer version in apt's
// package lists and whether a security archive offers it, how old the
// lists are and when a package was last installed or upgraded; on Red Hat
// and its derivatives, the updates captured updateinfo output lists; on
// AIX, the level and what the fix database says of the fixes and levels
// captured instfix output names.
type Patches struct {
	// Manager is ManagerDpkg, ManagerUpdateinfo or ManagerAIX, or "" when
	// bastion has no way to read this host's updates.
	Manager string
	// Problem says why pending updates could not be worked out, or "".
	Problem string

	// Installed is the number of installed packages dpkg's status lists.
	Installed int
	// Lists are apt's package lists, read or not.
	Lists []AptList
	// Pending are the installed packages with a newer version in a list,
	// by name and architecture.
	Pending []Pending

	// ListsTime is when apt last fetched its lists: on a live host the
	// newest modification time of a Release or InRelease file, or the
	// newest Date written in one when that is later; on an offline root
	// the newest Date alone, as the copy's file times may say when it
	// was copied. ListsFrom is that file (with the line of the Date field
	// when the date comes from it). ListsProblem says why it is unknown.
	ListsTime    time.Time
	ListsFrom    Source
	ListsProblem string
	// LastChange is the newest install or upgrade dpkg's log records,
	// LastChangeFrom its line and LastChangeText the line itself.
	// LogsFrom is the oldest time the logs read go back to, LogsRead the
	// logs read. LastChange is zero when the logs record none;
	// ChangeProblem says why the logs could not be read.
	LastChange     time.Time
	LastChangeFrom Source
	LastChangeText string
	LogsFrom       time.Time
	LogsRead       []string
	ChangeProblem  string
	// Newest is the newest time the files read record (a Date of a
	// Release file, a line of dpkg's log): the "now" of an offline root.
	Newest time.Time

	// Level is the AIX level from captured oslevel output, LevelFrom the
	// line it was read from; nil when none was captured.
	Level     *oslevel.Level
	LevelFrom Source
	// Fixes are the answers of captured instfix output; FixesProblem says
	// why there are none.
	Fixes        []Fix
	FixesProblem string
}

// AptList is one of apt's package lists.
type AptList struct {
	// Path is the list's path in the target; Release the Release or
	// InRelease file that describes its archive ("" when none does).
	Path    string
	Release string
	// Suite names the archive ("bookworm-security (stable-security)").
	Suite string
	// Security reports a security archive: its Release file says so, or
	// the list's name holds "security".
	Security bool
	// NotAutomatic reports an archive apt installs from only when asked
	// (backports); its versions do not count as pending updates, except,
	// with ButAutomaticUpgrades, for packages installed from it.
	NotAutomatic, ButAutomaticUpgrades bool
	// Compression is the suffix of a list kept compressed ("" for plain).
	Compression string
	// Read reports that the list was read; Problem says why not.
	Read    bool
	Problem string
}

// Pending is an installed package with a newer version in apt's lists,
// or a package captured updateinfo output lists.
type Pending struct {
	Package string
	Arch    string
	// Installed is the installed version; Source the stanza of dpkg's
	// status that says so. From updateinfo output Installed is "" and
	// Source the first line that names the package.
	Installed string
	Source    Source
	// Advisories are the advisories that name the package (updateinfo).
	Advisories []string
	// Held reports a package on hold, which apt upgrades only when told.
	Held bool
	// Candidate is the newest version in any list, and CandidateList that
	// list.
	Candidate     string
	CandidateList string
	// Security reports that a security archive offers a version newer
	// than the installed one: SecurityVersion, in SecurityList of
	// SecuritySuite.
	Security        bool
	SecurityVersion string
	SecurityList    string
	SecuritySuite   string
}

// Fix is an answer of captured instfix output.
type Fix struct {
	Keyword string
	Kind    instfix.Kind
	State   instfix.State
	Source  Source
	Text    string
}

// Fix returns the last answer about a keyword, or false.
func (p *Patches) Fix(keyword string) (Fix, bool) {
	for i := len(p.Fixes) - 1; i >= 0; i-- {
		if strings.EqualFold(p.Fixes[i].Keyword, keyword) {
			return p.Fixes[i], true
		}
	}
	return Fix{}, false
}

// SecurityKnown reports whether security updates can be told apart: from
// updateinfo output always, from apt's lists when at least one security
// archive's list was read.
func (p *Patches) SecurityKnown() bool {
	if p.Manager == ManagerUpdateinfo {
		return true
	}
	for _, l := range p.Lists {
		if l.Security && l.Read {
			return true
		}
	}
	return false
}

// patches builds Facts.Patches.
func (b *builder) patches() {
	p := &Patches{}
	b.f.Patches = p
	switch {
	case b.f.Platform.OS == target.AIX:
		p.Manager = ManagerAIX
		b.aixFixes(p)
	case b.f.Platform.OS == target.Linux && b.t.Exists(DpkgStatusPath):
		p.Manager = ManagerDpkg
		ents, err := b.t.ReadDir(AptListsDir)
		if err != nil && !isNotExist(err) {
			b.gap(AptListsDir, whatPatches, err)
		}
		rels := map[string]*aptlists.File{}
		for _, e := range ents {
			if aptlists.IsRelease(e.Name()) {
				if f := b.release(path.Join(AptListsDir, e.Name())); f != nil {
					rels[e.Name()] = f
				}
			}
		}
		b.aptPending(p, ents, err, rels)
		b.aptListsTime(p, rels)
		b.dpkgLastChange(p)
	case b.f.Platform.OS == target.Linux && b.t.Exists(target.CapturePath(CaptureUpdateinfo)):
		p.Manager = ManagerUpdateinfo
		b.updateinfo(p)
	default:
		p.Problem = "bastion reads pending updates from dpkg and apt (Debian and its derivatives), from captured dnf or yum updateinfo list output (" +
			target.CapturePath(CaptureUpdateinfo) + ") and from captured instfix output (AIX) only"
	}
}

// installedPkg is an installed package as dpkg's status gives it.
type installedPkg struct {
	name, arch, version string
	line                int
	held                bool
}

// aptPending works out the pending updates from dpkg's status and apt's
// lists.
func (b *builder) aptPending(p *Patches, ents []fs.DirEntry, dirErr error, rels map[string]*aptlists.File) {
	data := b.read(DpkgStatusPath, whatPatches, true)
	if data == nil {
		p.Problem = DpkgStatusPath + " could not be read"
		return
	}
	pkgs, err := dpkg.ParseStatus(bytes.NewReader(data), DpkgStatusPath)
	b.parseGaps(err, whatPatches)
	installed := map[string][]installedPkg{}
	for _, pk := range pkgs {
		if !pk.Installed() || pk.Version == "" {
			continue
		}
		want := parseStatusWant(pk.Status)
		installed[pk.Name] = append(installed[pk.Name], installedPkg{name: pk.Name, arch: pk.Architecture, version: pk.Version, line: pk.Line, held: want == "hold"})
		p.Installed++
	}
	if dirErr != nil {
		p.Problem = "apt's package lists (" + AptListsDir + ") could not be read: " + target.Reason(dirErr)
		return
	}
	var releases []string
	for _, e := range ents {
		if aptlists.IsRelease(e.Name()) {
			releases = append(releases, e.Name())
		}
	}
	for _, e := range ents {
		comp, ok := aptlists.PackagesList(e.Name())
		if !ok {
			continue
		}
		l := AptList{Path: path.Join(AptListsDir, e.Name()), Compression: comp, Security: strings.Contains(e.Name(), "security")}
		if r := aptlists.ReleaseFor(e.Name(), releases); r != "" {
			l.Release = path.Join(AptListsDir, r)
			if f := rels[r]; f != nil {
				l.Suite = f.Suite()
				l.Security = l.Security || f.Security()
				l.NotAutomatic = f.NotAutomatic()
				l.ButAutomaticUpgrades = f.ButAutomaticUpgrades()
			}
		}
		p.Lists = append(p.Lists, l)
	}
	if len(p.Lists) == 0 {
		p.Problem = "apt has no package lists in " + AptListsDir + " (apt-get update was never run, or the lists were removed)"
		return
	}
	names := make(map[string]bool, len(installed))
	for n := range installed {
		names[n] = true
	}
	entries := b.scanLists(p, names)
	read := 0
	for _, l := range p.Lists {
		if l.Read {
			read++
		}
	}
	if read == 0 {
		p.Problem = "none of apt's package lists could be read"
		if p.Lists[0].Problem != "" {
			p.Problem += " (" + p.Lists[0].Problem + ")"
		}
		return
	}
	// The newest version each package has in the archives apt upgrades
	// from on its own: an installed version above it came from an archive
	// such as backports, whose upgrades apt then follows when the archive
	// says ButAutomaticUpgrades.
	automatic := map[string]string{}
	for i, l := range p.Lists {
		if !l.Read || l.NotAutomatic {
			continue
		}
		for _, e := range entries[i] {
			if v, ok := automatic[e.Package]; !ok || debver.Compare(e.Version, v) > 0 {
				automatic[e.Package] = e.Version
			}
		}
	}
	pend := map[string]*Pending{}
	for i, l := range p.Lists {
		if !l.Read || l.NotAutomatic && !l.ButAutomaticUpgrades {
			continue
		}
		for _, e := range entries[i] {
			for _, in := range installed[e.Package] {
				if in.arch != e.Architecture && in.arch != "all" && e.Architecture != "all" && e.Architecture != "" {
					continue
				}
				if debver.Compare(e.Version, in.version) <= 0 {
					continue
				}
				if v, ok := automatic[e.Package]; l.NotAutomatic && ok && debver.Compare(in.version, v) <= 0 {
					continue // installed from the ordinary archives: backports are not followed
				}
				key := in.name + ":" + in.arch
				pd := pend[key]
				if pd == nil {
					pd = &Pending{Package: in.name, Arch: in.arch, Installed: in.version, Held: in.held,
						Source: Source{File: DpkgStatusPath, Line: in.line}}
					pend[key] = pd
				}
				if pd.Candidate == "" || debver.Compare(e.Version, pd.Candidate) > 0 {
					pd.Candidate, pd.CandidateList = e.Version, l.Path
				}
				if l.Security && (pd.SecurityVersion == "" || debver.Compare(e.Version, pd.SecurityVersion) > 0) {
					pd.Security, pd.SecurityVersion, pd.SecurityList, pd.SecuritySuite = true, e.Version, l.Path, l.Suite
				}
			}
		}
	}
	for _, pd := range pend {
		p.Pending = append(p.Pending, *pd)
	}
	sort.Slice(p.Pending, func(i, j int) bool {
		a, c := p.Pending[i], p.Pending[j]
		if a.Source.Line != c.Source.Line {
			return a.Source.Line < c.Source.Line
		}
		return a.Arch < c.Arch
	})
}

// parseStatusWant returns the first word of a dpkg Status ("install",
// "hold", "deinstall").
func parseStatusWant(status string) string {
	w, _, _ := strings.Cut(strings.TrimSpace(status), " ")
	return w
}

// release reads a Release or InRelease file, or records a gap.
func (b *builder) release(name string) *aptlists.File {
	data := b.read(name, whatPatches, false)
	if data == nil {
		return nil
	}
	f, err := aptlists.Parse(bytes.NewReader(data), name)
	b.parseGaps(err, whatPatches)
	return f
}

// scanLists reads the lists in parallel and returns, for each list, the
// stanzas of the installed packages. A list that cannot be read gets its
// Problem and a gap.
func (b *builder) scanLists(p *Patches, names map[string]bool) [][]aptlists.Entry {
	out := make([][]aptlists.Entry, len(p.Lists))
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(p.Lists)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				out[i] = b.scanList(&p.Lists[i], names)
			}
		}()
	}
	for i := range p.Lists {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	return out
}

// scanList reads one list: plain, gzip- or lz4-compressed (apt's choice
// in Debian's container images). Lists kept with another compression (xz,
// zstd) are left unread, as gaps.
func (b *builder) scanList(l *AptList, names map[string]bool) []aptlists.Entry {
	switch l.Compression {
	case "", ".gz", ".lz4":
	default:
		l.Problem = "kept compressed (" + l.Compression + "); bastion reads plain, gzip and lz4 lists"
		b.t.AddGap(target.Gap{Path: l.Path, What: whatPatches, Reason: l.Problem})
		return nil
	}
	f, err := b.t.Open(l.Path)
	if err != nil {
		l.Problem = target.Reason(err)
		b.gap(l.Path, whatPatches, err)
		return nil
	}
	defer f.Close()
	var r io.Reader = f
	if l.Compression == ".gz" {
		zr, err := gzip.NewReader(f)
		if err != nil {
			l.Problem = "not gzip data"
			b.t.AddGap(target.Gap{Path: l.Path, What: whatPatches, Reason: l.Problem})
			return nil
		}
		defer zr.Close()
		r = zr
	}
	if l.Compression == ".lz4" {
		r = lz4.NewReader(f)
	}
	entries, err := aptlists.ScanPackages(r, l.Path, names)
	b.parseGaps(err, whatPatches)
	l.Read = true
	return entries
}

// aptListsTime finds when apt last fetched its lists.
func (b *builder) aptListsTime(p *Patches, rels map[string]*aptlists.File) {
	names := make([]string, 0, len(rels))
	for n := range rels {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		f, name := rels[n], path.Join(AptListsDir, n)
		if fl, ok := f.Get("Date"); ok && f.Date.After(p.ListsTime) {
			p.ListsTime, p.ListsFrom = f.Date, Source{File: name, Line: fl.Line}
		}
		if !b.f.Live {
			continue
		}
		if fi, err := b.t.Stat(name); err == nil && fi.ModTime().After(p.ListsTime) {
			p.ListsTime, p.ListsFrom = fi.ModTime(), Source{File: name}
		}
	}
	if p.ListsTime.IsZero() {
		p.ListsProblem = "no Release or InRelease file with a date in " + AptListsDir
		return
	}
	p.Newest = later(p.Newest, p.ListsTime)
}

// dpkgLogs are dpkg's log and its last rotation, which logrotate leaves
// uncompressed; older rotations are compressed and not read.
var dpkgLogs = []string{DpkgLogPath, DpkgLogPath + ".1"}

// dpkgLastChange finds the newest install or upgrade in dpkg's logs.
func (b *builder) dpkgLastChange(p *Patches) {
	for _, name := range dpkgLogs {
		f, err := b.t.Open(name)
		if err != nil {
			if !isNotExist(err) {
				b.gap(name, whatPatches, err)
			}
			continue
		}
		l, err := dpkg.ParseLog(f, name)
		f.Close()
		b.parseGaps(err, whatPatches)
		p.LogsRead = append(p.LogsRead, name)
		if l.NewestLine > 0 {
			p.Newest = later(p.Newest, b.logTime(l.Newest))
			if first := b.logTime(l.Oldest); p.LogsFrom.IsZero() || first.Before(p.LogsFrom) {
				p.LogsFrom = first
			}
		}
		if e, ok := l.LastChange(); ok {
			if t := b.logTime(e.Time); t.After(p.LastChange) {
				p.LastChange = t
				p.LastChangeFrom = Source{File: name, Line: e.Line}
				p.LastChangeText = e.Action + " " + e.Package + " " + e.From + " " + e.To
			}
		}
	}
	if len(p.LogsRead) == 0 {
		p.ChangeProblem = "dpkg's log (" + DpkgLogPath + ") is not there"
	}
}

// logTime places a time written in dpkg's log, which is local time without
// a zone: in the host's zone on a live host, as UTC on an offline root
// (whose zone is not read; hours do not matter to ages counted in days).
func (b *builder) logTime(t time.Time) time.Time {
	if !b.f.Live {
		return t
	}
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, time.Local)
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// aixFixes reads the level and captured instfix output of an AIX host.
func (b *builder) aixFixes(p *Patches) {
	for _, name := range []string{target.CaptureOSLevel, "oslevel"} {
		data, err := b.t.Capture(name)
		if err != nil {
			continue
		}
		lvl, err := oslevel.Parse(bytes.NewReader(data), target.CapturePath(name))
		if err != nil {
			continue // the platform's detection recorded the gap
		}
		p.Level, p.LevelFrom = &lvl, Source{File: target.CapturePath(name), Line: lvl.Line}
		break
	}
	read := false
	// instfix -ik last: its answers are the ones asked for, and Fix
	// returns the last answer.
	for _, name := range []string{CaptureInstfix, CaptureInstfixK} {
		data, err := b.t.Capture(name)
		file := target.CapturePath(name)
		if err != nil {
			if !isNotExist(err) {
				b.gap(file, whatPatches, err)
			}
			continue
		}
		read = true
		f, err := instfix.Parse(bytes.NewReader(data), file)
		b.parseGaps(err, "required fixes")
		if f == nil {
			continue
		}
		for _, fx := range f.Fixes {
			p.Fixes = append(p.Fixes, Fix{Keyword: fx.Keyword, Kind: fx.Kind, State: fx.State,
				Source: Source{File: file, Line: fx.Line}, Text: f.Lines[fx.Line-1]})
		}
	}
	if !read {
		p.FixesProblem = "no captured instfix output (" + target.CapturePath(CaptureInstfixK) + ", " + target.CapturePath(CaptureInstfix) + ")"
		b.t.AddGap(target.Gap{Path: target.CapturePath(CaptureInstfix), What: "required fixes", Reason: "not there"})
	}
}

// updateinfo reads captured dnf or yum updateinfo output: each package it
// names has an update waiting, a security update when a security advisory
// names it.
func (b *builder) updateinfo(p *Patches) {
	file := target.CapturePath(CaptureUpdateinfo)
	data, err := b.t.Capture(CaptureUpdateinfo)
	if err != nil {
		b.gap(file, whatPatches, err)
		p.Problem = file + " could not be read: " + target.Reason(err)
		return
	}
	f, err := updateinfo.Parse(bytes.NewReader(data), file)
	b.parseGaps(err, whatPatches)
	if f == nil {
		p.Problem = file + " could not be read"
		return
	}
	idx := map[string]int{}
	for _, a := range f.Advisories {
		key := a.Package + "." + a.Arch
		i, ok := idx[key]
		if !ok {
			i = len(p.Pending)
			idx[key] = i
			p.Pending = append(p.Pending, Pending{Package: a.Package, Arch: a.Arch, Source: Source{File: file, Line: a.Line}, Candidate: a.Version, CandidateList: file})
		}
		pd := &p.Pending[i]
		if rpmver.Compare(a.Version, pd.Candidate) > 0 {
			pd.Candidate = a.Version // the newest advisory's version
		}
		id := a.ID
		if a.Severity != "" {
			id += " (" + a.Severity + ")"
		}
		if !patchHas(pd.Advisories, id) {
			pd.Advisories = append(pd.Advisories, id)
		}
		if a.Security && (!pd.Security || rpmver.Compare(a.Version, pd.SecurityVersion) > 0) {
			pd.Security, pd.SecurityVersion, pd.SecurityList, pd.SecuritySuite = true, a.Version, file, id
		}
	}
}

// patchHas reports whether list holds s.
func patchHas(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
