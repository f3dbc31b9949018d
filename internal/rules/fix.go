package rules

import (
	"fmt"
	"path"
	"regexp"
	"strings"

	"bastion/internal/host"
	"bastion/internal/remedy"
	"bastion/internal/rule"
	"bastion/internal/target"
)

// fixStart turns off the start a finding is about, the way its mechanism
// wants it done, and says what to run afterwards:
//
//   - inetd.conf: comment the line, then have inetd re-read it;
//   - rc.tcpip, rc.nfs: comment the start line, then stop the subsystem;
//   - inittab: set the action to off (a '#' would not disable it), or for an
//     entry "disabled" with '#', replace the '#' with ':';
//   - xinetd: set disable = yes, then have xinetd re-read it;
//   - systemd: disable and mask the unit; offline, remove the enabling link;
//   - SysV: remove the start link.
func fixStart(c *rule.Context, f rule.Finding) []remedy.Change {
	s := f.Start
	if s == nil || s.Text == "" && s.Kind != host.KindSystemd && s.Kind != host.KindSysV {
		return nil
	}
	aix := c.Facts.Platform.OS == target.AIX
	id := f.Rule
	why := "turn off " + serviceName(c, s)
	switch s.Kind {
	case host.KindInetd:
		reload := remedy.Command(id, "make inetd read inetd.conf again (with the commented line, what chsubserver -d -r inetd does)", "refresh", "-s", "inetd")
		if !aix {
			reload = remedy.Command(id, "make inetd read inetd.conf again", "pkill", "-HUP", "-x", "inetd")
		}
		return []remedy.Change{
			remedy.CommentLine(s.Source.File, s.Source.Line, s.Text, "#").For(id, why),
			reload.WhenOffline("inetd reads the file when it next starts"),
		}
	case host.KindRC:
		desc := "stop the running subsystem (with the commented line, what chrctcp -d " + s.ID + " does)"
		if fs := filesetAdvice(c, s.ID); fs != "" {
			desc += "; " + fs
		}
		return []remedy.Change{
			remedy.CommentLine(s.Source.File, s.Source.Line, s.Text, "#").For(id, why),
			remedy.Command(id, desc, "stopsrc", "-s", s.ID).WhenOffline("not started at next boot"),
		}
	case host.KindInittab:
		if f.Data["fix"] == "colon" {
			return []remedy.Change{
				remedy.ReplaceLine(s.Source.File, s.Source.Line, s.Text, ":"+strings.TrimPrefix(s.Text, "#")).For(id, "disable the entry with a leading ':'"),
				remedy.Command(id, "make init read /etc/inittab again", "telinit", "q").WhenOffline("read at next boot"),
			}
		}
		off, ok := inittabOff(s.Text)
		if !ok {
			return nil
		}
		out := []remedy.Change{
			remedy.ReplaceLine(s.Source.File, s.Source.Line, s.Text, off).For(id, why+": inittab action off"),
			remedy.Command(id, "make init read /etc/inittab again", "telinit", "q").WhenOffline("not started at next boot"),
		}
		if sub := srcSubsystem(s.Text); sub != "" {
			out = append(out, remedy.Command(id, "stop the running subsystem", "stopsrc", "-s", sub).WhenOffline("not started at next boot"))
		}
		return out
	case host.KindXinetd:
		if s.AltLine == 0 {
			return nil
		}
		var edit remedy.Change
		if strings.Contains(s.AltText, "disable") {
			edit = remedy.ReplaceLine(s.Source.File, s.AltLine, s.AltText, xinetdDisable(s.AltText))
		} else {
			edit = remedy.InsertAfter(s.Source.File, s.AltLine, "\tdisable\t\t= yes")
		}
		return []remedy.Change{
			edit.For(id, why),
			remedy.Command(id, "make xinetd read its configuration again", "pkill", "-HUP", "-x", "xinetd").WhenOffline("read when xinetd next starts"),
		}
	case host.KindSystemd:
		unit := s.Source.Unit
		var out []remedy.Change
		if s.EnabledBy != "" {
			out = append(out, remedy.RemoveFile(s.EnabledBy).For(id, why+": remove the link that enables "+unit))
		}
		out = append(out,
			remedy.Command(id, "stop and disable the unit", "systemctl", "disable", "--now", unit).WhenOffline("not started at next boot"),
			remedy.Command(id, "mask the unit so nothing starts it", "systemctl", "mask", unit).WhenOffline("run on the host to mask the unit"))
		return out
	case host.KindSysV:
		name := path.Base(s.ID)
		var out []remedy.Change
		if s.EnabledBy != "" {
			out = append(out, remedy.RemoveFile(s.EnabledBy).For(id, why+": remove the start link"))
		}
		return append(out, remedy.Command(id, "stop and disable the script", "update-rc.d", name, "disable").WhenOffline("not started at next boot"))
	}
	return nil
}

// inittabOff returns an inittab line with its action set to off.
func inittabOff(line string) (string, bool) {
	parts := strings.SplitN(line, ":", 4)
	if len(parts) != 4 || parts[0] == "" {
		return "", false
	}
	parts[2] = "off"
	return strings.Join(parts, ":"), true
}

var startsrcRE = regexp.MustCompile(`startsrc\s+-s\s*(\S+)`)

// srcSubsystem returns the subsystem an inittab command starts with
// startsrc, if it does.
func srcSubsystem(line string) string {
	if m := startsrcRE.FindStringSubmatch(line); m != nil {
		return m[1]
	}
	return ""
}

var disableRE = regexp.MustCompile(`^(\s*disable\s*=\s*)\S+(.*)$`)

// xinetdDisable rewrites a "disable = no" line to "disable = yes", keeping
// its spacing.
func xinetdDisable(line string) string {
	if m := disableRE.FindStringSubmatch(line); m != nil {
		return m[1] + "yes" + m[2]
	}
	return "\tdisable\t\t= yes"
}

// snmpFileset holds the SNMP daemons; CIS advises removing it on AIX 7.2 and
// later where SNMP is not needed, rather than commenting their lines.
var snmpFileset = map[string]bool{"snmpd": true, "dpid2": true, "hostmibd": true, "snmpmibd": true, "aixmibd": true}

// filesetAdvice says when removing a fileset is the better fix, by AIX level.
func filesetAdvice(c *rule.Context, subsystem string) string {
	p := c.Facts.Platform
	if p.OS != target.AIX || !snmpFileset[subsystem] || !atLeast(p.Version, 7, 2) {
		return ""
	}
	return "on AIX 7.2 and later, removing the fileset bos.net.tcp.snmpd (installp -u) takes SNMP off for good"
}

// atLeast reports whether a version "M.N[.x]" is at least major.minor.
func atLeast(version string, major, minor int) bool {
	var m, n int
	if _, err := fmt.Sscanf(version, "%d.%d", &m, &n); err != nil {
		return false
	}
	return m > major || m == major && n >= minor
}
