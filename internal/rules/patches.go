package rules

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"bastion/internal/host"
	"bastion/internal/inventory"
	"bastion/internal/parse/instfix"
	"bastion/internal/parse/oslevel"
	"bastion/internal/rule"
	"bastion/internal/severity"
	"bastion/internal/target"
)

// patchSeed is the method's step these rules come from.
const patchSeed = "the method's step \"update and patch\""

// The ages past which package data counts as stale.
const (
	listsStaleAfter   = 7 * 24 * time.Hour
	upgradeStaleAfter = 30 * 24 * time.Hour
)

// requiredFix is a fix the method requires by name on the AIX release it
// applies to. More are added by adding rows: the check needs nothing else.
type requiredFix struct {
	// APAR is the fix as instfix -k names it.
	APAR string
	// Release is the AIX release it applies to, as the platform's
	// version says it ("4.3.3").
	Release string
	// Level is the maintenance level keyword that includes the fix
	// ("4330-02_AIX_ML"), and TL its number: a host at that level or later
	// has it. "" and 0 when no level includes it.
	Level string
	TL    int
	// Program is the daemon the fix repairs, for the exposure.
	Program string
	// Why says what the fix closes.
	Why string
}

// requiredFixes are the fixes the method names.
var requiredFixes = []requiredFix{
	{
		APAR: "IY04477", Release: "4.3.3", Level: "4330-02_AIX_ML", TL: 2, Program: "/usr/sbin/ftpd",
		Why: "ftpd of AIX 4.3.3 can be made to give a remote user root (IBM ERS-SVA-E01-1999:004.1)",
	},
}

// patchesOf returns the patch model, or why the rules cannot decide.
func patchesOf(c *rule.Context) (*host.Patches, error) {
	p := c.Facts.Patches
	if p == nil {
		return nil, rule.Undecided("no update information was read")
	}
	return p, nil
}

// pendingOf returns the patch model when pending updates are known.
func pendingOf(c *rule.Context) (*host.Patches, error) {
	p, err := patchesOf(c)
	if err != nil {
		return nil, err
	}
	if p.Problem != "" {
		return nil, rule.Undecided("%s", p.Problem)
	}
	return p, nil
}

// patchNow is the time ages are measured to: now on a live host; on an
// offline root the newest time its package data records, so that a copy
// audited later does not age. It says which in words.
func patchNow(c *rule.Context, p *host.Patches) (time.Time, string) {
	if c.Facts.Live {
		return time.Now(), "today"
	}
	return p.Newest, "the newest time the root's package data records"
}

// days is a duration in whole days.
func days(d time.Duration) int { return int(d.Hours() / 24) }

// packageDaemon is a daemon a package installed that listens, or is set
// to, and how reachable it is.
type packageDaemon struct {
	daemon string
	ports  []string
	public bool
}

// listeningPackages maps each package that installed a daemon the
// services table shows listening (or set to listen, where nothing was
// observed) to those daemons.
func listeningPackages(c *rule.Context) map[string][]packageDaemon {
	out := map[string][]packageDaemon{}
	if c.Inventory == nil {
		return out
	}
	idx := map[string]int{} // package + daemon -> index in out[package]
	for _, r := range c.Inventory.Rows {
		if r.Package == "" {
			continue
		}
		switch r.State {
		case inventory.Listening, inventory.Unexplained, inventory.Predicted:
		default:
			continue
		}
		public := r.State == inventory.Predicted || len(r.Addresses) == 0
		for _, a := range r.Addresses {
			if !loopback(a) {
				public = true
			}
		}
		port := r.Proto
		if r.Port > 0 {
			port = strconv.Itoa(r.Port) + "/" + r.Proto
		}
		key := r.Package + "\x00" + r.Daemon
		i, ok := idx[key]
		if !ok {
			i = len(out[r.Package])
			idx[key] = i
			out[r.Package] = append(out[r.Package], packageDaemon{daemon: r.Daemon})
		}
		d := &out[r.Package][i]
		d.public = d.public || public
		if port != "" && !patchHas(d.ports, port) {
			d.ports = append(d.ports, port)
		}
	}
	return out
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

// daemonsText says which daemons of a package listen: "/usr/sbin/sshd
// (22/tcp)".
func daemonsText(ds []packageDaemon) string {
	var parts []string
	for _, d := range ds {
		s := d.daemon
		if len(d.ports) > 0 {
			s += " (" + strings.Join(d.ports, ", ") + ")"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, ", ")
}

var _ = rule.Register(rule.Rule{
	ID: "PATCH-PENDING-SECURITY", Title: "an installed package has a security update waiting", Severity: severity.High, Topic: "patches",
	Rationale:   "A security update fixes a flaw that is published, with the fix itself showing where it is; until it is installed the host runs code anyone can look up an exploit for. The packages of daemons that listen are named first: their flaws are reachable from the network (" + patchSeed + "). On Debian and its derivatives pending updates are worked out from dpkg's status and apt's own package lists, as apt would see them (apt's pinning preferences are not read); on Red Hat and its derivatives they are read from captured dnf updateinfo list output.",
	Remediation: "Debian: apt-get update && apt-get upgrade (or apt-get install --only-upgrade PACKAGE), then restart the daemons the packages serve (needrestart or checkrestart shows them); install unattended-upgrades so that security updates are installed daily. Red Hat: dnf upgrade --security (dnf-automatic for daily security updates).",
	References:  []string{"NIST SP 800-53 SI-2", "CIS Controls v8 7.3"},
	Platforms:   []target.OS{target.Linux},
	Check: func(c *rule.Context, rep *rule.Report) error {
		p, err := pendingOf(c)
		if err != nil {
			return err
		}
		if !p.SecurityKnown() {
			return rule.Undecided("no list of a security archive was read from %s: security updates cannot be told apart (is the security archive in apt's sources?)", host.AptListsDir)
		}
		daemons := listeningPackages(c)
		var sec []host.Pending
		for _, pd := range p.Pending {
			if pd.Security {
				sec = append(sec, pd)
			}
		}
		// Packages of listening daemons first, then in status-file order.
		sort.SliceStable(sec, func(i, j int) bool {
			return len(daemons[sec[i].Package]) > 0 && len(daemons[sec[j].Package]) == 0
		})
		for _, pd := range sec {
			f := rule.Finding{
				Where:    rule.Location{File: pd.Source.File, Line: pd.Source.Line},
				Found:    fmt.Sprintf("%s %s is installed; %s offers %s", pd.Package, pd.Installed, pd.SecuritySuite, pd.SecurityVersion),
				Expected: fmt.Sprintf("%s %s or later installed", pd.Package, pd.SecurityVersion),
				Exposure: rule.Host,
				Data:     map[string]string{"package": pd.Package, "installed": pd.Installed, "update": pd.SecurityVersion},
			}
			switch {
			case pd.Installed == "":
				f.Found = fmt.Sprintf("%s has a security update waiting: %s, advisories %s", pd.Package, pd.SecurityVersion, strings.Join(pd.Advisories, ", "))
			case pd.SecuritySuite == "":
				f.Found = fmt.Sprintf("%s %s is installed; the security list %s offers %s", pd.Package, pd.Installed, pd.SecurityList, pd.SecurityVersion)
			}
			if ds := daemons[pd.Package]; len(ds) > 0 {
				f.Found += "; it serves " + daemonsText(ds)
				f.Data["daemons"] = daemonsText(ds)
				f.Exposure = rule.Local
				for _, d := range ds {
					if d.public {
						f.Exposure = rule.Public
					}
				}
			}
			if pd.Held {
				f.Found += "; the package is on hold, so apt-get upgrade leaves it"
			}
			rep.Add(f)
		}
		return nil
	},
})

// pendingShown is how many packages PATCH-PENDING names.
const pendingShown = 10

var _ = rule.Register(rule.Rule{
	ID: "PATCH-PENDING", Title: "installed packages have updates waiting", Severity: severity.Low, Topic: "patches",
	Rationale:   "Updates that are not security updates still fix bugs, some of which are security bugs nobody labelled as such, and a host that falls behind has a bigger, riskier upgrade ahead (" + patchSeed + "). One finding counts them; PATCH-PENDING-SECURITY names the security updates one by one.",
	Remediation: "apt-get update && apt-get upgrade at a regular maintenance time; unattended-upgrades can take the stable updates too.",
	References:  []string{"NIST SP 800-53 SI-2"},
	Platforms:   []target.OS{target.Linux},
	Check: func(c *rule.Context, rep *rule.Report) error {
		p, err := pendingOf(c)
		if err != nil {
			return err
		}
		var other []host.Pending
		for _, pd := range p.Pending {
			if !pd.Security {
				other = append(other, pd)
			}
		}
		if len(other) == 0 {
			return nil
		}
		var names []string
		for i, pd := range other {
			if i == pendingShown {
				names = append(names, fmt.Sprintf("and %d more", len(other)-pendingShown))
				break
			}
			if pd.Installed == "" {
				names = append(names, pd.Package+" "+pd.Candidate)
				continue
			}
			names = append(names, fmt.Sprintf("%s %s -> %s", pd.Package, pd.Installed, pd.Candidate))
		}
		where := "in apt's lists"
		if p.Manager == host.ManagerUpdateinfo {
			where = "(dnf updateinfo)"
		}
		noun := "packages have"
		if len(other) == 1 {
			noun = "package has"
		}
		rep.Add(rule.Finding{
			Where:    rule.Location{File: other[0].Source.File, Line: other[0].Source.Line},
			Found:    fmt.Sprintf("%d installed %s a newer version %s: %s", len(other), noun, where, strings.Join(names, ", ")),
			Expected: "no updates waiting",
			Exposure: rule.Host,
			Data:     map[string]string{"count": strconv.Itoa(len(other))},
		})
		return nil
	},
})

var _ = rule.Register(rule.Rule{
	ID: "PATCH-STALE", Title: "package lists or upgrades are out of date", Severity: severity.Medium, Topic: "patches",
	Rationale:   "A host learns of security updates only when apt fetches its lists, and gets them only when packages are upgraded: lists older than 7 days hide the updates published since, and no upgrade for 30 days while updates are waiting means nobody is patching (" + patchSeed + "). On an offline root the newest time its package data records stands for today.",
	Remediation: "Let apt fetch its lists daily (apt-daily.timer, or APT::Periodic::Update-Package-Lists \"1\") and upgrade regularly: apt-get update && apt-get upgrade, or unattended-upgrades for security updates.",
	References:  []string{"NIST SP 800-53 SI-2(2)", "CIS Controls v8 7.3"},
	Platforms:   []target.OS{target.Linux},
	Check: func(c *rule.Context, rep *rule.Report) error {
		p, err := patchesOf(c)
		if err != nil {
			return err
		}
		if p.Manager != host.ManagerDpkg {
			if p.Problem != "" {
				return rule.Undecided("%s", p.Problem)
			}
			return rule.Undecided("the age of package data is read from apt's lists and dpkg's log only")
		}
		now, nowText := patchNow(c, p)
		if now.IsZero() {
			return rule.Undecided("neither apt's lists nor dpkg's log record a time")
		}
		var why []string
		decided := false
		if p.ListsTime.IsZero() {
			why = append(why, p.ListsProblem)
		} else {
			decided = true
			if age := now.Sub(p.ListsTime); age > listsStaleAfter {
				rep.Add(rule.Finding{
					Where:    rule.Location{File: p.ListsFrom.File, Line: p.ListsFrom.Line},
					Found:    fmt.Sprintf("apt's package lists were last fetched on %s, %d days before %s", p.ListsTime.Format("2006-01-02"), days(age), nowText),
					Expected: "lists fetched within the last 7 days",
					Exposure: rule.Host, Data: map[string]string{"what": "lists"},
				})
			}
		}
		// An old upgrade matters only while updates wait (or nobody can
		// tell whether they do): a host with nothing to upgrade is current.
		waiting := p.Problem != "" || len(p.Pending) > 0
		switch {
		case p.ChangeProblem != "":
			why = append(why, p.ChangeProblem)
		case !p.LastChange.IsZero():
			decided = true
			if age := now.Sub(p.LastChange); age > upgradeStaleAfter && waiting {
				rep.Add(rule.Finding{
					Where:    rule.Location{File: p.LastChangeFrom.File, Line: p.LastChangeFrom.Line},
					Found:    fmt.Sprintf("the last package install or upgrade was on %s (%s), %d days before %s, and updates are waiting", p.LastChange.Format("2006-01-02"), p.LastChangeText, days(age), nowText),
					Expected: "packages upgraded within the last 30 days",
					Exposure: rule.Host, Data: map[string]string{"what": "upgrade"},
				})
			}
		case !p.LogsFrom.IsZero():
			decided = true
			if age := now.Sub(p.LogsFrom); age > upgradeStaleAfter && waiting {
				rep.Add(rule.Finding{
					Where:    rule.Location{File: p.LogsRead[0]},
					Found:    fmt.Sprintf("dpkg's log records no install or upgrade since it begins on %s, %d days before %s, and updates are waiting", p.LogsFrom.Format("2006-01-02"), days(age), nowText),
					Expected: "packages upgraded within the last 30 days",
					Exposure: rule.Host, Data: map[string]string{"what": "upgrade"},
				})
			}
		default:
			why = append(why, "dpkg's log records nothing")
		}
		if !decided {
			return rule.Undecided("%s", strings.Join(why, "; "))
		}
		return nil
	},
})

// programListens reports how a program is reachable, from the services
// table: Public when it listens (or is set to) beyond loopback.
func programListens(c *rule.Context, program string) rule.Exposure {
	e := rule.Host
	if c.Inventory == nil {
		return e
	}
	for _, r := range c.Inventory.Rows {
		if r.Daemon != program {
			continue
		}
		switch r.State {
		case inventory.Listening, inventory.Unexplained, inventory.Predicted:
			return rule.Public
		}
	}
	return e
}

var _ = rule.Register(rule.Rule{
	ID: "PATCH-AIX-APAR", Title: "a fix the method requires is not installed", Severity: severity.High, Topic: "patches",
	Rationale:   "Some flaws were bad enough that the method names their fix: IY04477 on AIX 4.3.3, whose ftpd could be made to give a remote user root (" + patchSeed + "; the first seed's FTP section). Each fix is checked only on the AIX release it applies to; a host at the maintenance level that includes it has it.",
	Remediation: "Install the fix: instfix -k APAR -d DEVICE (or the maintenance level that includes it, with suma -x -a RqType=ML and install_all_updates), then check with instfix -ik APAR. Capture the answer for an offline root: instfix -ik APAR > /var/lib/bastion/capture/instfix-ik.",
	References:  []string{"IBM ERS-SVA-E01-1999:004.1", "NIST SP 800-53 SI-2"},
	Platforms:   []target.OS{target.AIX},
	Check: func(c *rule.Context, rep *rule.Report) error {
		p, err := patchesOf(c)
		if err != nil {
			return err
		}
		release := c.Facts.Platform.Version
		if release == "" {
			return rule.Undecided("the AIX level is not known: capture oslevel -s")
		}
		var why []string
		for _, fx := range requiredFixes {
			if fx.Release != release {
				continue
			}
			f, problem := checkRequiredFix(p, fx)
			if problem != "" {
				why = append(why, problem)
				continue
			}
			if f == nil {
				continue
			}
			f.Exposure = programListens(c, fx.Program)
			rep.Add(*f)
		}
		if len(why) > 0 && len(rep.Findings()) == 0 {
			return rule.Undecided("%s", strings.Join(why, "; "))
		}
		return nil
	},
})

// checkRequiredFix decides one required fix: a finding when it is missing,
// nil when it is installed, or why it cannot be told.
func checkRequiredFix(p *host.Patches, fx requiredFix) (*rule.Finding, string) {
	expected := "instfix -ik " + fx.APAR + ": all filesets found"
	if a, ok := p.Fix(fx.APAR); ok {
		if a.State == instfix.All {
			return nil, ""
		}
		return &rule.Finding{
			Where:    rule.Location{File: a.Source.File, Line: a.Source.Line},
			Found:    fmt.Sprintf("%s: %s; %s", fx.APAR, a.State, fx.Why),
			Expected: expected,
			Data:     map[string]string{"apar": fx.APAR},
		}, ""
	}
	if fx.Level != "" {
		if ml, ok := p.Fix(fx.Level); ok && ml.State == instfix.All {
			return nil, ""
		}
	}
	if l := p.Level; l != nil && fx.TL > 0 && (l.Form == oslevel.TL || l.Form == oslevel.SP) {
		if l.TL >= fx.TL {
			return nil, ""
		}
		return &rule.Finding{
			Where:    rule.Location{File: p.LevelFrom.File, Line: p.LevelFrom.Line},
			Found:    fmt.Sprintf("%s is below the level %s that brings %s, and no instfix output shows %s; %s", l, fx.Level, fx.APAR, fx.APAR, fx.Why),
			Expected: expected,
			Data:     map[string]string{"apar": fx.APAR},
		}, ""
	}
	if p.FixesProblem != "" {
		return nil, p.FixesProblem + ", and the level says nothing of " + fx.APAR
	}
	return nil, "no captured instfix output names " + fx.APAR + " (instfix -ik " + fx.APAR + ")"
}

var _ = rule.Register(rule.Rule{
	ID: "PATCH-AIX-PARTIAL", Title: "a maintenance level or service pack is installed only in part", Severity: severity.Medium, Topic: "patches",
	Rationale:   "instfix says \"Not all filesets for ... were found\" when an update of a technology level or service pack stopped part way or some filesets were left behind: the host claims a level whose fixes it does not all have, and later updates build on a mix (" + patchSeed + ").",
	Remediation: "Find the filesets below the level with oslevel -rl (or oslevel -sl) and instfix -icqk KEYWORD | grep ':-:', then finish the update: install_all_updates -d DEVICE, or smitty update_all; check with instfix -i | grep -E 'ML|SP'.",
	References:  []string{"NIST SP 800-53 SI-2"},
	Platforms:   []target.OS{target.AIX},
	Check: func(c *rule.Context, rep *rule.Report) error {
		p, err := patchesOf(c)
		if err != nil {
			return err
		}
		if p.FixesProblem != "" {
			return rule.Undecided("%s", p.FixesProblem)
		}
		levels := false
		for _, fx := range p.Fixes {
			if fx.Kind != instfix.ML && fx.Kind != instfix.SP {
				continue
			}
			levels = true
			if fx.State != instfix.Partial {
				continue
			}
			rep.Add(rule.Finding{
				Where:    rule.Location{File: fx.Source.File, Line: fx.Source.Line},
				Found:    fmt.Sprintf("not all filesets of the %s %s are installed", fx.Kind, fx.Keyword),
				Expected: "every fileset of the level at the level",
				Exposure: rule.Host,
				Data:     map[string]string{"keyword": fx.Keyword},
			})
		}
		if !levels {
			return rule.Undecided("the captured instfix output lists no maintenance level or service pack (capture instfix -i)")
		}
		return nil
	},
})
