package rules

import (
	"fmt"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"bastion/internal/host"
	"bastion/internal/remedy"
	"bastion/internal/rule"
	"bastion/internal/severity"
	"bastion/internal/target"
)

// integSeed and backupSeed name the steps of the method these rules follow.
const (
	integSeed  = "the method's step \"use system-integrity checking\""
	backupSeed = "the method's step \"keep backups\""
)

// integStaleAfter is how long since its last run makes a scheduled check or
// backup stale: it should run daily, and a week allows for a missed run or
// a weekly schedule.
const integStaleAfter = 7 * 24 * time.Hour

// integOf returns the integrity model, or an undecided error when the
// platform, and so which tools it would have, is not known.
func integOf(c *rule.Context) (*host.Integrity, error) {
	in := c.Facts.Integrity
	if osName := c.Facts.Platform.OS; in == nil || osName != target.AIX && osName != target.Linux {
		return nil, rule.Undecided("the platform is not known, so neither are the tools it would have")
	}
	return in, nil
}

// integUndecided joins what a check could not look at into one undecided
// error, or returns nil.
func integUndecided(problems []string) error {
	if len(problems) == 0 {
		return nil
	}
	return rule.Undecided("could not be read: %s", strings.Join(problems, "; "))
}

// integCrontab is where a site schedules the host's own jobs: /etc/crontab
// on Linux, root's crontab on AIX.
func integCrontab(c *rule.Context) string {
	if c.Facts.Platform.OS == target.AIX {
		return "/var/spool/cron/crontabs/root"
	}
	return "/etc/crontab"
}

// integWhere is the location of a schedule for a finding.
func integWhere(s host.Schedule) rule.Location {
	return rule.Location{File: s.Source.File, Line: s.Source.Line, Unit: s.Source.Unit}
}

// integNowLabel names the time ages are measured from.
func integNowLabel(c *rule.Context, in *host.Integrity) string {
	if c.Facts.Live {
		return "today"
	}
	return "the newest time the root records (" + in.NowFrom + ")"
}

// integDays is a duration in whole days.
func integDays(d time.Duration) int { return int(d.Hours() / 24) }

// integToolNames lists the names of tools.
func integToolNames(ts []host.Tool) string {
	var names []string
	for _, t := range ts {
		names = append(names, t.Name)
	}
	return strings.Join(names, ", ")
}

var _ = rule.Register(rule.Rule{
	ID: "INTEG-CHECKER-NONE", Title: "no file integrity checker is installed and configured", Severity: severity.Medium, Topic: "integrity",
	Rationale: "An intruder who gains root replaces programs and changes configuration files; only a comparison with a baseline taken when the host was known to be good shows what was changed (" + integSeed + "). " +
		"AIDE, Tripwire and Samhain keep such a baseline; AIX has its own in Trusted Execution (trustchk) and the Trusted Computing Base (tcbck), which count once their checks are scheduled.",
	Remediation: "Linux: install AIDE (apt-get install aide; dnf install aide), review its configuration, make the database (aideinit, or aide --init and move aide.db.new to aide.db) and keep a copy off the host. " +
		"AIX: schedule trustchk -n ALL (Trusted Execution) from root's crontab, or install AIDE from the AIX Toolbox.",
	References: []string{"NIST SP 800-53 SI-7", "CIS Debian Linux 12: Ensure AIDE is installed"},
	Check: func(c *rule.Context, rep *rule.Report) error {
		in, err := integOf(c)
		if err != nil {
			return err
		}
		var problems, partial []string
		where := "/etc/aide.conf"
		if c.Facts.Platform.Distro == "debian" || c.Facts.Platform.Distro == "ubuntu" {
			where = "/etc/aide/aide.conf"
		}
		if c.Facts.Platform.OS == target.AIX {
			where = integCrontab(c)
			problems = append(problems, in.Problems...) // a check may be scheduled there
		}
		for i := range in.Checkers {
			t := &in.Checkers[i]
			if t.InPlace() {
				return nil
			}
			problems = append(problems, t.Problems...)
			switch {
			case t.Program != "" && t.Config.Path != "" && !t.Config.Exists:
				partial = append(partial, fmt.Sprintf("%s is installed (%s) but %s does not exist", t.Name, t.Program, t.Config.Path))
				where = t.Config.Path
			case t.Program == "" && len(t.Schedules) > 0:
				partial = append(partial, fmt.Sprintf("%s is scheduled (%s) but not installed", t.Name, t.Schedules[0].Source))
			case t.Program == "" && t.Config.Exists:
				partial = append(partial, fmt.Sprintf("%s is configured (%s) but not installed", t.Name, t.Config.Path))
			}
		}
		if len(problems) > 0 {
			return integUndecided(problems)
		}
		found := "no integrity checker is installed and configured"
		if len(partial) > 0 {
			found += ": " + strings.Join(partial, "; ")
		}
		expected := "AIDE (or Tripwire or Samhain) installed and configured, its database made, a check scheduled daily"
		if c.Facts.Platform.OS == target.AIX {
			expected = "trustchk -n ALL scheduled in root's crontab, or AIDE from the AIX Toolbox installed and configured"
		}
		rep.Add(rule.Finding{Where: rule.Location{File: where}, Found: found, Expected: expected, Exposure: rule.Host})
		return nil
	},
})

var _ = rule.Register(rule.Rule{
	ID: "INTEG-CHECKER-UNSCHEDULED", Title: "an integrity checker is configured but nothing runs it", Severity: severity.Medium, Topic: "integrity",
	Rationale: "A baseline nobody compares against finds nothing: the check has to run on its own, daily, and its report go to someone who reads it (" + integSeed + ").",
	Remediation: "Schedule the check: Debian's aide package does so with /etc/cron.daily/dailyaidecheck or the dailyaidecheck timer; elsewhere add a daily job (0 5 * * * /usr/sbin/aide --check) or a systemd timer, " +
		"and send its output to someone who reads it. Which hour suits the host is the site's to say, so bastion does not write the job.",
	References: []string{"NIST SP 800-53 SI-7(1)", "CIS Debian Linux 12: Ensure filesystem integrity is regularly checked"},
	Check: func(c *rule.Context, rep *rule.Report) error {
		in, err := integOf(c)
		if err != nil {
			return err
		}
		var problems []string
		for i := range in.Checkers {
			t := &in.Checkers[i]
			if !t.InPlace() || t.Builtin || len(t.Schedules) > 0 {
				continue
			}
			if len(in.Problems) > 0 {
				problems = append(problems, in.Problems...)
				continue
			}
			where := t.Config.Path
			if where == "" {
				where = t.Program
			}
			rep.Add(rule.Finding{
				Where:    rule.Location{File: where},
				Found:    fmt.Sprintf("%s is installed (%s) and configured, but no cron job, systemd timer or service runs it", t.Name, t.Program),
				Expected: "a check run daily by cron or a systemd timer, its report read",
				Exposure: rule.Host,
			})
		}
		return integUndecided(problems)
	},
})

var _ = rule.Register(rule.Rule{
	ID: "INTEG-DB-MISSING", Title: "an integrity checker's database does not exist", Severity: severity.Medium, Topic: "integrity",
	Rationale: "An integrity checker compares the files with the database made when the host was known to be good; without it every check fails and nothing is compared (" + integSeed + ").",
	Remediation: "Make the database while the host is in a known good state (aideinit, or aide --init and move aide.db.new to the name the configuration reads; tripwire --init; samhain -t init; trustchk and tcbck use the databases AIX installs), " +
		"and keep a copy where an intruder cannot change it.",
	References: []string{"NIST SP 800-53 SI-7"},
	Check: func(c *rule.Context, rep *rule.Report) error {
		in, err := integOf(c)
		if err != nil {
			return err
		}
		var problems []string
		for i := range in.Checkers {
			t := &in.Checkers[i]
			db := t.Database
			if !t.InPlace() || db == nil {
				continue
			}
			if db.Problem != "" {
				problems = append(problems, db.Path+": "+db.Problem)
				continue
			}
			if db.Exists {
				continue
			}
			where := rule.Location{File: db.Source.File, Line: db.Source.Line}
			if where.File == "" {
				where.File = db.Path
			}
			rep.Add(rule.Finding{
				Where:    where,
				Found:    fmt.Sprintf("%s reads its database from %s, which does not exist: every check fails", t.Name, db.Path),
				Expected: "a database made from the host in a known good state, a copy kept off the host",
				Exposure: rule.Host,
			})
		}
		return integUndecided(problems)
	},
})

// integStale reports the scheduled tools whose last recorded run is older
// than integStaleAfter. It is undecided when none of them records a run.
func integStale(c *rule.Context, rep *rule.Report, tools []host.Tool, expected string) error {
	in := c.Facts.Integrity
	var unknown []string
	known := 0
	for i := range tools {
		t := &tools[i]
		if len(t.Schedules) == 0 || t.Kind == host.ToolChecker && !t.InPlace() {
			continue
		}
		if t.LastRun.IsZero() || in.Now.IsZero() {
			unknown = append(unknown, t.Name)
			continue
		}
		known++
		age := in.Now.Sub(t.LastRun)
		if age <= integStaleAfter {
			continue
		}
		rep.Add(rule.Finding{
			Where: integWhere(t.Schedules[0]),
			Found: fmt.Sprintf("%s last ran on %s (recorded by %s), %d days before %s", t.Name, t.LastRun.Format("2006-01-02"), t.LastRunFrom,
				integDays(age), integNowLabel(c, in)),
			Expected: expected,
			Exposure: rule.Host,
		})
	}
	if known == 0 && len(unknown) > 0 {
		return rule.Undecided("the host records no run of %s", strings.Join(unknown, ", "))
	}
	return nil
}

var _ = rule.Register(rule.Rule{
	ID: "INTEG-STALE", Title: "a scheduled integrity check has not run for more than 7 days", Severity: severity.Medium, Topic: "integrity",
	Rationale: "A check that is scheduled but does not run (cron stopped, the job failing, a timer disabled) leaves changes unseen as surely as no check at all (" + integSeed + "). " +
		"bastion takes the last run from what the tool writes: AIDE's report, Tripwire's report files, the file a job's output goes to, a persistent timer's stamp. On an offline root the newest time the root records stands for today.",
	Remediation: "Find out why the check does not run (the cron or timer logs, the job's mail), fix it, and run the check by hand once.",
	References:  []string{"NIST SP 800-53 SI-7(1)"},
	Check: func(c *rule.Context, rep *rule.Report) error {
		in, err := integOf(c)
		if err != nil {
			return err
		}
		return integStale(c, rep, in.Checkers, "a check run at least weekly, daily preferably")
	},
})

var _ = rule.Register(rule.Rule{
	ID: "BACKUP-NONE", Title: "no backup is scheduled", Severity: severity.Medium, Topic: "integrity",
	Rationale: "Backups are what a host is rebuilt from after an intrusion or a lost disk, and what shows how files looked before an intruder changed them; they have to run on their own (" + backupSeed + "). " +
		"bastion looks for backup tools run by cron, the scripts cron runs, systemd timers, and backup clients started at boot (Bacula, Bareos, Amanda). A backup made from outside the host (a VM snapshot, a server that pulls the files) is not seen: waive the finding then.",
	Remediation: "AIX: schedule mksysb of rootvg (and savevg of other volume groups) to a file or tape kept off the host. Linux: schedule a backup tool (restic, borg, rsnapshot, a Bacula or Bareos client) to a repository on another host. " +
		"Test a restore.",
	References: []string{"NIST SP 800-53 CP-9"},
	Check: func(c *rule.Context, rep *rule.Report) error {
		in, err := integOf(c)
		if err != nil {
			return err
		}
		var idle []host.Tool
		for _, t := range in.Backups {
			if len(t.Schedules) > 0 {
				return nil
			}
			if t.Program != "" {
				idle = append(idle, t)
			}
		}
		if len(in.Problems) > 0 {
			return integUndecided(in.Problems)
		}
		found := "no cron job, systemd timer or started service runs a backup tool"
		if len(idle) > 0 {
			found += " (installed but not scheduled: " + integToolNames(idle) + ")"
		}
		expected := "a backup scheduled daily or weekly to storage off the host"
		if c.Facts.Platform.OS == target.AIX {
			expected = "mksysb of rootvg, and savevg of other volume groups, scheduled to storage off the host"
		}
		rep.Add(rule.Finding{Where: rule.Location{File: integCrontab(c)}, Found: found, Expected: expected, Exposure: rule.Host})
		return nil
	},
})

var _ = rule.Register(rule.Rule{
	ID: "BACKUP-STALE", Title: "a scheduled backup has not run for more than 7 days", Severity: severity.Medium, Topic: "integrity",
	Rationale: "A backup job that fails quietly is found out on the day a restore is needed (" + backupSeed + "). " +
		"bastion takes the last run from what the backup writes where the host can see it: rsnapshot's log and snapshots, a local restic or borg repository, /etc/dumpdates, the archive tar or mksysb writes, /image.data, the file a job's output goes to, a persistent timer's stamp. " +
		"On an offline root the newest time the root records stands for today.",
	Remediation: "Find out why the backup does not run or fails (its log, the job's mail), fix it, run it by hand once and test a restore.",
	References:  []string{"NIST SP 800-53 CP-9"},
	Check: func(c *rule.Context, rep *rule.Report) error {
		in, err := integOf(c)
		if err != nil {
			return err
		}
		return integStale(c, rep, in.Backups, "a backup run at least weekly")
	},
})

// integRotateFile is the file bastion writes in logrotate's directory for
// the files syslog writes that nothing rotates.
const integRotateFile = "syslog-extra"

// aixSyslogRotates reports whether an AIX level's syslogd takes the
// rotate option, which came with AIX 5.3; an unknown level is taken as not.
func aixSyslogRotates(version string) bool {
	major, rest, _ := strings.Cut(version, ".")
	minor, _, _ := strings.Cut(rest, ".")
	ma, err1 := strconv.Atoi(major)
	mi, err2 := strconv.Atoi(minor)
	return err1 == nil && err2 == nil && (ma > 5 || ma == 5 && mi >= 3)
}

// integAIXRotate is what bastion adds to an AIX syslog rule: rotate at 10 MB
// and keep four old files.
const integAIXRotate = "rotate size 10m files 4"

var _ = rule.Register(rule.Rule{
	ID: "LOG-ROTATE-MISSING", Title: "a file syslog writes is not rotated", Severity: severity.Low, Topic: "logging",
	Rationale: "A log file that is never rotated grows until it fills its file system; then syslog, and whatever else writes there, stops recording, which an intruder can bring about on purpose. " +
		"Rotation also keeps old logs for the time the site needs them and no longer. On Linux logrotate rotates the files it is configured for when cron or a timer runs it; AIX syslogd rotates a file whose rule has the rotate option.",
	Remediation: "Linux: add the file to a logrotate block (a file in /etc/logrotate.d) and make sure cron or logrotate.timer runs logrotate daily. " +
		"AIX: add \"rotate size 10m files 4\" (or a time) to the rule in /etc/syslog.conf and refresh -s syslogd, or rotate the file from a job.",
	References: []string{"NIST SP 800-53 AU-4", "NIST SP 800-53 AU-11"},
	Check: func(c *rule.Context, rep *rule.Report) error {
		if _, err := syslogOf(c); err != nil {
			if sl := c.Facts.Syslog; sl != nil && sl.Daemon == "" && !syslogGap(c) {
				return nil // no syslog daemon writes any file (journald rotates its own)
			}
			return err
		}
		in, err := integOf(c)
		if err != nil {
			return err
		}
		lr := in.Rotation.Logrotate
		runs := lr != nil && lr.Program != "" && len(lr.Schedules) > 0
		var problems []string
		for _, rf := range in.Rotation.Files {
			covered, via := false, ""
			for _, by := range rf.By {
				if by.Kind != host.RotatedByLogrotate || runs {
					covered = true
					break
				}
				via = by.Source.String()
			}
			if covered {
				continue
			}
			found := fmt.Sprintf("nothing rotates %s", rf.Path)
			switch {
			case via != "" && lr.Program == "":
				found = fmt.Sprintf("%s is in logrotate's configuration (%s) but logrotate is not installed", rf.Path, via)
			case via != "" && len(in.Problems) > 0:
				problems = append(problems, in.Problems...)
				continue
			case via != "":
				found = fmt.Sprintf("%s is in logrotate's configuration (%s) but no cron job or timer runs logrotate", rf.Path, via)
			case lr != nil && len(lr.Problems) > 0:
				problems = append(problems, lr.Problems...)
				continue
			}
			expected := "a logrotate block for the file, logrotate run daily by cron or logrotate.timer"
			if c.Facts.Platform.OS == target.AIX {
				expected = "the rotate option on the rule (" + integAIXRotate + "), or a job that rotates the file"
			}
			rep.Add(rule.Finding{
				Where:    rule.Location{File: rf.Source.File, Line: rf.Source.Line},
				Found:    found + " (written by the rule at " + rf.Source.String() + ")",
				Expected: expected,
				Exposure: rule.Host,
				Data:     map[string]string{"file": rf.Path, "logrotate": via},
			})
		}
		return integUndecided(problems)
	},
	Fix: func(c *rule.Context, f rule.Finding) []remedy.Change {
		in := c.Facts.Integrity
		if in == nil || f.Data["logrotate"] != "" {
			return nil // logrotate itself needs installing or scheduling: the site's call
		}
		var rf *host.RotatedFile
		for i := range in.Rotation.Files {
			if in.Rotation.Files[i].Path == f.Data["file"] {
				rf = &in.Rotation.Files[i]
			}
		}
		if rf == nil {
			return nil
		}
		if c.Facts.Platform.OS == target.AIX {
			// The rule's own line, when it is one whole line without a
			// comment that the option would fall into, on an AIX whose
			// syslogd has the rotate option.
			if !aixSyslogRotates(c.Facts.Platform.Version) || rf.Text == "" || strings.ContainsAny(rf.Text, "#\\") || !strings.Contains(rf.Text, rf.Path) {
				return nil
			}
			return []remedy.Change{
				remedy.ReplaceLine(rf.Source.File, rf.Source.Line, rf.Text, rf.Text+"\t"+integAIXRotate).For(f.Rule, "syslogd rotates "+rf.Path+" at 10 MB, keeping 4 old files"),
				reloadSyslog(c, f.Rule, c.Facts.Syslog),
			}
		}
		lr := in.Rotation.Logrotate
		if lr == nil || lr.Program == "" || len(lr.Schedules) == 0 || lr.DropInDir == "" {
			return nil
		}
		name := path.Join(lr.DropInDir, integRotateFile)
		for _, p := range lr.Configs {
			if p == name {
				return nil // the site's file of that name: not bastion's to replace
			}
		}
		// One file for every file nothing rotates, the same for each
		// finding, so that the plan writes it once.
		var files []string
		for _, x := range in.Rotation.Files {
			if len(x.By) == 0 {
				files = append(files, x.Path)
			}
		}
		sort.Strings(files)
		if len(files) == 0 {
			return nil
		}
		content := "# Log files the syslog configuration writes that no other file here rotates.\n" +
			strings.Join(files, "\n") + "\n{\n\tweekly\n\trotate 4\n\tmissingok\n\tnotifempty\n\tcompress\n\tdelaycompress\n\tcopytruncate\n}\n"
		return []remedy.Change{
			remedy.CreateFile(name, content, 0o644, "root", "root").For(f.Rule, "logrotate rotates "+rf.Path+" weekly, keeping 4 old files"),
		}
	},
})
