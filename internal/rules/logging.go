package rules

import (
	"fmt"
	"path"
	"strings"

	"bastion/internal/host"
	"bastion/internal/remedy"
	"bastion/internal/rule"
	"bastion/internal/severity"
	"bastion/internal/target"
)

// syslogGap reports whether a syslog configuration could not be read.
func syslogGap(c *rule.Context) bool {
	for _, g := range c.Facts.Gaps {
		if strings.Contains(g.Path, "syslog") && g.Line == 0 {
			return true
		}
	}
	return false
}

// syslogOf returns the logging model, or an undecided error when the host
// has no syslog configuration bastion could read.
func syslogOf(c *rule.Context) (*host.Syslog, error) {
	s := c.Facts.Syslog
	if s == nil || s.Daemon == "" {
		for _, g := range c.Facts.Gaps {
			if strings.Contains(g.Path, "syslog") && g.Line == 0 {
				return nil, rule.Undecided("%s: %s", g.Path, g.Reason)
			}
		}
		return nil, rule.Undecided("no syslog daemon or configuration found (LOG-NOTHING reports it)")
	}
	if s.Logs == host.AnswerUnknown {
		return s, rule.Undecided("the configuration uses parts bastion does not model")
	}
	return s, nil
}

// logDir is where the method puts log files: /var/adm on AIX.
func logDir(c *rule.Context) string {
	if c.Facts.Platform.OS == target.AIX {
		return "/var/adm"
	}
	return "/var/log"
}

// configOf is the main configuration file of the syslog daemon.
func configOf(s *host.Syslog) string {
	if len(s.Configs) > 0 {
		return s.Configs[0]
	}
	return ""
}

// hasFile reports whether a log file exists in the target.
func hasFile(s *host.Syslog, p string) bool {
	for _, f := range s.Files {
		if f.Path == p && f.Exists {
			return true
		}
	}
	return false
}

// reloadSyslog is the command that makes the syslog daemon read its
// configuration again.
func reloadSyslog(c *rule.Context, id string, s *host.Syslog) remedy.Change {
	if c.Facts.Platform.OS == target.AIX {
		return remedy.Command(id, "make syslogd read syslog.conf again", "refresh", "-s", "syslogd").WhenOffline("read when syslogd next starts")
	}
	unit := map[string]string{host.DaemonRsyslogd: "rsyslog", host.DaemonSyslogNG: "syslog-ng"}[s.Daemon]
	if unit == "" {
		unit = "syslog"
	}
	return remedy.Command(id, "make the syslog daemon read its configuration again", "systemctl", "restart", unit).WhenOffline("read when it next starts")
}

// logTo adds a rule line and, where the daemon does not create files, the
// file with mode 0640.
func logTo(c *rule.Context, id, why string, s *host.Syslog, selector, file string) []remedy.Change {
	conf := configOf(s)
	if conf == "" || s.Daemon == host.DaemonSyslogNG {
		return nil
	}
	out := []remedy.Change{remedy.AppendLines(conf, selector+"\t\t\t\t"+file).For(id, why)}
	if s.CreatesFiles != host.AnswerYes {
		group := "root"
		if c.Facts.Platform.OS == target.AIX {
			group = "system"
		}
		out = append(out, remedy.CreateFile(file, "", 0o640, "root", group).For(id, "syslogd does not create a missing log file"))
	}
	return append(out, reloadSyslog(c, id, s))
}

// logged reports whether messages of a facility go to a file, a log host
// or the AIX error log.
func logged(s *host.Syslog, facility string) bool {
	for _, f := range s.Facilities {
		if f.Facility != facility {
			continue
		}
		for _, d := range f.Destinations {
			switch d.Kind {
			case "file", "dynamic-file", "remote", "errlog", "program", "module":
				return true
			}
		}
	}
	return false
}

var _ = rule.Register(rule.Rule{
	ID: "LOG-NOTHING", Title: "the syslog configuration logs nothing", Severity: severity.High, Topic: "logging",
	Rationale:   "Monitoring the messages of the system's daemons is the key to keeping it secure, and AIX's default syslog.conf discards them all (Securing AIX Network Services, The syslogd daemon; Securing Network Services, System Logging).",
	Remediation: "Log at least errors, mail, auth and daemon messages to files, as the method's example syslog.conf does, and create the files.",
	Check: func(c *rule.Context, rep *rule.Report) error {
		if s := c.Facts.Syslog; s != nil && s.Daemon == "" && !syslogGap(c) && c.Facts.Platform.OS != target.Unknown {
			if s.Journald != nil && s.Journald.Persistent == host.AnswerYes {
				return nil // the journal keeps the logs
			}
			rep.Add(rule.Finding{
				Where:    rule.Location{File: "/etc/syslog.conf"},
				Found:    "no syslog daemon is started or configured, and no journal is kept on disk",
				Expected: "a syslog daemon logging to files, or a persistent journal",
				Exposure: rule.Host,
			})
			return nil
		}
		s, err := syslogOf(c)
		if err != nil {
			return err
		}
		if s.Logs == host.AnswerNo {
			rep.Add(rule.Finding{
				Where:    rule.Location{File: configOf(s)},
				Service:  s.Daemon,
				Found:    s.Daemon + ": every rule is commented out or discards its messages",
				Expected: "errors, auth, mail and daemon messages logged to files",
				Exposure: rule.Host,
			})
		}
		return nil
	},
	Fix: func(c *rule.Context, f rule.Finding) []remedy.Change {
		s := c.Facts.Syslog
		conf, dir := configOf(s), logDir(c)
		if conf == "" || s.Daemon == host.DaemonSyslogNG {
			return nil
		}
		lines := []string{
			"# added by bastion: the method's starting point",
			"*.err\t\t\t\t\t" + dir + "/errorlog",
			"mail.info\t\t\t\t" + dir + "/mail.log",
			"auth.info;authpriv.info\t\t\t" + dir + "/auth.log",
			"daemon.info\t\t\t\t" + dir + "/daemon.log",
		}
		if c.Facts.Platform.OS == target.AIX {
			lines = append(lines[:1], append([]string{"*.alert\t\t\t\t\terrlog"}, lines[1:]...)...)
		}
		out := []remedy.Change{remedy.AppendLines(conf, lines...).For(f.Rule, "log what the system's daemons report")}
		if s.CreatesFiles != host.AnswerYes {
			group := "root"
			if c.Facts.Platform.OS == target.AIX {
				group = "system"
			}
			for _, n := range []string{"errorlog", "mail.log", "auth.log", "daemon.log"} {
				if !hasFile(s, path.Join(dir, n)) {
					out = append(out, remedy.CreateFile(path.Join(dir, n), "", 0o640, "root", group).For(f.Rule, "syslogd does not create a missing log file"))
				}
			}
		}
		return append(out, reloadSyslog(c, f.Rule, s))
	},
})

// facilityRule flags a facility whose messages are not logged.
func facilityRule(id, title, facility, file string, sev severity.Level, rationale string) {
	rule.Register(rule.Rule{
		ID: id, Title: title, Severity: sev, Topic: "logging",
		Rationale:   rationale,
		Remediation: fmt.Sprintf("Add a rule that logs %s messages at info or above to a file readable by root only.", facility),
		Check: func(c *rule.Context, rep *rule.Report) error {
			s, err := syslogOf(c)
			if err != nil {
				return err
			}
			if s.Logs == host.AnswerNo || logged(s, facility) {
				return nil // LOG-NOTHING says it once
			}
			rep.Add(rule.Finding{
				Where:    rule.Location{File: configOf(s)},
				Service:  s.Daemon,
				Found:    fmt.Sprintf("no rule logs %s.info", facility),
				Expected: fmt.Sprintf("%s messages logged to a file", facility),
				Exposure: rule.Host,
			})
			return nil
		},
		Fix: func(c *rule.Context, f rule.Finding) []remedy.Change {
			sel := facility + ".info"
			if facility == "auth" {
				sel = "auth.info;authpriv.info"
			}
			return logTo(c, f.Rule, "log "+facility+" messages", c.Facts.Syslog, sel, path.Join(logDir(c), file))
		},
	})
}

func init() {
	facilityRule("LOG-AUTH", "authentication messages are not logged", "auth", "auth.log", severity.Medium,
		"Log-in attempts, su and remote logins are reported to the auth and authpriv facilities; unlogged, an attack leaves no trace (Securing AIX Network Services, The syslogd daemon).")
	facilityRule("LOG-MAIL", "mail messages are not logged", "mail", "mail.log", severity.Low,
		"Without mail logging, unauthorised use of the SMTP service cannot be traced (AIX Security Basics, Mail Service Considerations).")
}

var _ = rule.Register(rule.Rule{
	ID: "LOG-FILE-MISSING", Title: "a log file syslogd writes to does not exist", Severity: severity.Medium, Topic: "logging",
	Rationale:   "syslogd will not write to a file that does not already exist, so a rule whose file is missing logs nothing (Securing AIX Network Services, Configuration of the syslog.conf file).",
	Remediation: "Create the file (touch it), owned by root, mode 0640.",
	Check: func(c *rule.Context, rep *rule.Report) error {
		s, err := syslogOf(c)
		if err != nil {
			return err
		}
		if s.CreatesFiles == host.AnswerYes {
			return nil
		}
		for _, f := range s.Files {
			if f.Exists || f.Problem != "" {
				continue
			}
			src := host.Source{}
			if len(f.Sources) > 0 {
				src = f.Sources[0]
			}
			rep.Add(rule.Finding{
				Where:    rule.Location{File: src.File, Line: src.Line},
				Service:  s.Daemon,
				Found:    f.Path + " does not exist; messages for it are lost",
				Expected: f.Path + " present, owned by root, mode 0640",
				Exposure: rule.Host,
				Data:     map[string]string{"file": f.Path},
			})
		}
		return nil
	},
	Fix: func(c *rule.Context, f rule.Finding) []remedy.Change {
		group := "root"
		if c.Facts.Platform.OS == target.AIX {
			group = "system"
		}
		return []remedy.Change{
			remedy.CreateFile(f.Data["file"], "", 0o640, "root", group).For(f.Rule, "syslogd does not create a missing log file"),
			reloadSyslog(c, f.Rule, c.Facts.Syslog),
		}
	},
})

var _ = rule.Register(rule.Rule{
	ID: "LOG-FILE-READABLE", Title: "a log file is readable by every user", Severity: severity.Medium, Topic: "logging",
	Rationale:   "Log files tell an intruder who logs in, from where and what failed; only authorised users should read them (Securing AIX Network Services, Configuration of the syslog.conf file).",
	Remediation: "chmod o-rwx on the file (0640).",
	Check: func(c *rule.Context, rep *rule.Report) error {
		s, err := syslogOf(c)
		if err != nil {
			return err
		}
		for _, f := range s.Files {
			if !f.Exists || !f.OthersCanRead() {
				continue
			}
			rep.Add(rule.Finding{
				Where:    rule.Location{File: f.Path},
				Service:  s.Daemon,
				Found:    fmt.Sprintf("%s has mode %04o", f.Path, f.Mode.Perm()),
				Expected: "mode 0640 or tighter",
				Exposure: rule.Host,
				Data:     map[string]string{"file": f.Path},
			})
		}
		return nil
	},
	Fix: func(c *rule.Context, f rule.Finding) []remedy.Change {
		return []remedy.Change{remedy.Chmod(f.Data["file"], 0o640).For(f.Rule, "keep the log from other users")}
	},
})

var _ = rule.Register(rule.Rule{
	ID: "LOG-REMOTE-HOST", Title: "logs are kept on this host only", Severity: severity.Low, Topic: "logging",
	Rationale:   "An intruder's first step is often to change the logs; a copy on a separate log host survives it (Securing Network Services, System Logging).",
	Remediation: "Forward messages to the site's log host (*.info @loghost), and name it in the policy (log_host).",
	Check: func(c *rule.Context, rep *rule.Report) error {
		s, err := syslogOf(c)
		if err != nil {
			return err
		}
		if len(s.Remote) > 0 || s.Logs == host.AnswerNo {
			return nil
		}
		rep.Add(rule.Finding{
			Where:    rule.Location{File: configOf(s)},
			Service:  s.Daemon,
			Found:    "no rule forwards messages to a log host",
			Expected: "messages copied to a remote log host",
			Exposure: rule.Host,
		})
		return nil
	},
	Fix: func(c *rule.Context, f rule.Finding) []remedy.Change {
		s := c.Facts.Syslog
		if c.Policy.LogHost == "" || configOf(s) == "" || s.Daemon == host.DaemonSyslogNG {
			return nil // which log host is the site's to say
		}
		return []remedy.Change{
			remedy.AppendLines(configOf(s), "*.info\t\t\t\t\t@"+c.Policy.LogHost).For(f.Rule, "copy messages to the log host"),
			reloadSyslog(c, f.Rule, s),
		}
	},
})

var _ = rule.Register(rule.Rule{
	ID: "LOG-RECEPTION", Title: "syslog accepts messages from the network on a host that is not a log host", Severity: severity.Medium, Topic: "logging",
	Rationale:   "A syslog daemon that receives from the network accepts forged messages and can have its disk filled by anyone who reaches port 514.",
	Remediation: "Turn off remote reception (rsyslog: remove imudp/imtcp inputs; AIX: start syslogd with -r), or allow the log-host role in the policy.",
	Check: func(c *rule.Context, rep *rule.Report) error {
		s, err := syslogOf(c)
		if err != nil {
			return err
		}
		if s.Reception.Listens == host.AnswerUnknown {
			return rule.Undecided("%s", s.Reception.Note)
		}
		if s.Reception.Listens != host.AnswerYes || c.Policy.Allows("syslog", "log-host") {
			return nil
		}
		where := rule.Location{File: configOf(s)}
		if len(s.Reception.Inputs) > 0 {
			where = rule.Location{File: s.Reception.Inputs[0].Source.File, Line: s.Reception.Inputs[0].Source.Line}
		} else if len(s.StartedBy) > 0 {
			where = rule.Location{File: s.StartedBy[0].File, Line: s.StartedBy[0].Line}
		}
		rep.Add(rule.Finding{
			Where:    where,
			Service:  "syslog",
			Found:    s.Daemon + " receives messages from other hosts: " + s.Reception.Note,
			Expected: "no remote reception unless the policy makes this a log host",
			Exposure: rule.Public,
		})
		return nil
	},
})

var _ = rule.Register(rule.Rule{
	ID: "LOG-JOURNAL-VOLATILE", Title: "the journal is lost at reboot and nothing else keeps the logs", Severity: severity.Low, Topic: "logging",
	Platforms:   []target.OS{target.Linux},
	Rationale:   "Logs that vanish at reboot cannot show what happened before it, which is when they are needed (Securing Network Services, System Logging).",
	Remediation: "Set Storage=persistent in /etc/systemd/journald.conf, or run a syslog daemon that writes files.",
	Check: func(c *rule.Context, rep *rule.Report) error {
		s := c.Facts.Syslog
		if s == nil || s.Journald == nil {
			return rule.Undecided("no journald configuration on this host")
		}
		j := s.Journald
		if j.Persistent == host.AnswerYes || s.Daemon != "" && s.Logs == host.AnswerYes {
			return nil
		}
		where := rule.Location{File: j.StorageSource.File, Line: j.StorageSource.Line}
		if where.File == "" {
			where.File = "/etc/systemd/journald.conf"
		}
		rep.Add(rule.Finding{
			Where:    where,
			Found:    "Storage=" + j.Storage + " and no syslog daemon writes log files",
			Expected: "Storage=persistent, or a syslog daemon writing files",
			Exposure: rule.Host,
		})
		return nil
	},
})
