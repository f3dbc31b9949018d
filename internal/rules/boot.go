package rules

import (
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"strings"

	"bastion/internal/crypt"
	"bastion/internal/host"
	"bastion/internal/remedy"
	"bastion/internal/rule"
	"bastion/internal/severity"
	"bastion/internal/target"
)

// bootSeed names the step of the method the boot and console rules follow.
const bootSeed = "the method's step \"physical security\""

// bootOf returns the boot model, or an undecided error off Linux.
func bootOf(c *rule.Context) (*host.Boot, error) {
	b := c.Facts.Boot
	if c.Facts.Platform.OS != target.Linux || b == nil {
		return nil, rule.Undecided("the boot loader, single-user mode and console are read on Linux only")
	}
	return b, nil
}

// grubOf returns the GRUB model, or an undecided error when there is none
// or its grub.cfg could not be read.
func grubOf(c *rule.Context) (*host.GRUB, error) {
	b, err := bootOf(c)
	if err != nil {
		return nil, err
	}
	g := b.GRUB
	switch {
	case g == nil:
		return nil, rule.Undecided("no grub.cfg in /boot/grub, /boot/grub2 or the EFI system partition: the host boots with another loader, or /boot is not in the root")
	case g.Problem != "":
		return nil, rule.Undecided("%s could not be read: %s", g.Config.Path, g.Problem)
	}
	return g, nil
}

const grubPasswordHow = "Make a hash with grub-mkpasswd-pbkdf2 (grub2-mkpasswd-pbkdf2), put `set superusers=\"root\"` and `password_pbkdf2 root HASH` in /etc/grub.d/40_custom (on Red Hat, grub2-setpassword does it through user.cfg), " +
	"then run update-grub (grub2-mkconfig -o /boot/grub2/grub.cfg). Give entries anyone may boot the --unrestricted option: editing them still needs the password. bastion does not choose the password."

var _ = rule.Register(rule.Rule{
	ID: "BOOT-GRUB-PASSWORD", Title: "the boot loader has no password", Severity: severity.High, Topic: "boot",
	Rationale: "Without GRUB superusers and a password, anyone at the console can edit a boot entry (init=/bin/sh, or single with a broken sulogin) or use the GRUB shell, and is root without a password: " + bootSeed + ". " +
		"A password written into grub.cfg by hand is lost the next time grub-mkconfig runs, which every kernel update does.",
	Remediation: grubPasswordHow,
	References:  []string{"CIS Debian 12 1.4.1", "STIG RHEL-09-212010"},
	Platforms:   []target.OS{target.Linux},
	Check: func(c *rule.Context, rep *rule.Report) error {
		g, err := grubOf(c)
		if err != nil {
			return err
		}
		if users := g.Protected(); len(users) == 0 {
			where := rule.Location{File: g.Config.Path}
			found := "no GRUB superuser with a password: anyone at the console may edit the boot entries and use the GRUB shell"
			if len(g.Superusers) > 0 {
				where = rule.Location{File: g.SuperusersFrom.File, Line: g.SuperusersFrom.Line}
				found = fmt.Sprintf("superusers %s are set but none of them has a password GRUB knows", strings.Join(g.Superusers, ", "))
			}
			for _, s := range g.Scripts {
				if s.Executable && s.Superusers.Line > 0 && len(s.Passwords) > 0 {
					found += fmt.Sprintf("; %s sets one, but %s was not generated since (run update-grub)", s.Superusers, g.Config.Path)
					break
				}
			}
			rep.Add(rule.Finding{Where: where, Found: found, Expected: "set superusers with a password_pbkdf2 password for one of them", Exposure: rule.Host})
			return nil
		}
		if g.SuperusersFrom.File != g.Config.Path || !g.Generated {
			return nil
		}
		s, ok := g.Script(g.SuperusersBy)
		if g.SuperusersBy != "" && ok && s.Executable && s.Superusers.Line > 0 {
			return nil
		}
		why := "outside the sections grub-mkconfig writes"
		if g.SuperusersBy != "" {
			why = "in the section of " + g.SuperusersBy + ", which no longer sets it"
		}
		rep.Add(rule.Finding{
			Where:    rule.Location{File: g.SuperusersFrom.File, Line: g.SuperusersFrom.Line},
			Found:    "the password is written into " + g.Config.Path + " " + why + ": the next update-grub, run by every kernel update, removes it",
			Expected: "the superusers and password in /etc/grub.d/40_custom (or 01_users), from which grub-mkconfig writes them",
			Exposure: rule.Host,
		})
		return nil
	},
})

var _ = rule.Register(rule.Rule{
	ID: "BOOT-GRUB-CLEARTEXT", Title: "a GRUB password is written in clear text", Severity: severity.High, Topic: "boot",
	Rationale:   "A `password` line holds the password itself: anyone who reads the file, a backup or a copy of /boot has it, and the same password is often root's elsewhere. password_pbkdf2 holds only a salted hash (" + bootSeed + ").",
	Remediation: "Choose a new password (the old one has been on disk in clear), make its hash with grub-mkpasswd-pbkdf2, replace the line with `password_pbkdf2 USER HASH`, regenerate grub.cfg and keep it mode 0600.",
	References:  []string{"CIS Debian 12 1.4.1"},
	Platforms:   []target.OS{target.Linux},
	Check: func(c *rule.Context, rep *rule.Report) error {
		g, err := grubOf(c)
		if err != nil {
			return err
		}
		modes := map[string]host.FileState{g.Config.Path: g.Config}
		for _, s := range g.Sourced {
			modes[s.Path] = s
		}
		for _, src := range g.Cleartext {
			found := "a password line holds a GRUB password in clear text"
			if st, ok := modes[src.File]; ok && st.Perm()&0o004 != 0 {
				found += ", in a file every user can read"
			}
			rep.Add(rule.Finding{
				Where:    rule.Location{File: src.File, Line: src.Line},
				Found:    found,
				Expected: "password_pbkdf2 with a hash from grub-mkpasswd-pbkdf2",
				Exposure: rule.Host,
			})
		}
		return nil
	},
})

var _ = rule.Register(rule.Rule{
	ID: "BOOT-GRUB-PERMS", Title: "the boot loader's configuration is open to users", Severity: severity.Medium, Topic: "boot",
	Rationale:   "grub.cfg and the files it sources hold the password hashes and every kernel option; a user who reads them can attack the hash offline, one who writes them owns the next boot (" + bootSeed + ").",
	Remediation: "chown root:root and chmod 0600 grub.cfg, user.cfg and custom.cfg. bastion does that. (On the EFI system partition modes come from the mount options.)",
	References:  []string{"CIS Debian 12 1.4.2", "STIG RHEL-09-212025"},
	Platforms:   []target.OS{target.Linux},
	Check: func(c *rule.Context, rep *rule.Report) error {
		g, err := grubOf(c)
		if err != nil {
			return err
		}
		for _, st := range append([]host.FileState{g.Config}, g.Sourced...) {
			if !st.Exists || st.Problem != "" || strings.HasPrefix(st.Path, "/boot/efi/") {
				continue
			}
			if st.Perm()&0o077 == 0 && st.OwnedBy("root") {
				continue
			}
			rep.Add(rule.Finding{
				Where:    rule.Location{File: st.Path},
				Found:    fmt.Sprintf("%s is %s", st.Path, cronState(st)),
				Expected: "mode 0600 or stricter, owner root",
				Exposure: rule.Host,
				Data:     map[string]string{"path": st.Path, "chown": fmt.Sprint(!st.OwnedBy("root"))},
			})
		}
		return nil
	},
	Fix: func(c *rule.Context, f rule.Finding) []remedy.Change {
		p := f.Data["path"]
		if p == "" {
			return nil
		}
		out := []remedy.Change{remedy.Chmod(p, fs.FileMode(0o600)).For(f.Rule, "only root may read the boot loader's configuration")}
		if f.Data["chown"] == "true" {
			out = append(out, remedy.Chown(p, "root", "root").For(f.Rule, "root owns the boot loader's configuration"))
		}
		return out
	},
})

// rootPassword says what root's password field holds, and where; known is
// false when the account databases could not tell.
func rootPassword(c *rule.Context) (kind crypt.Kind, from host.Source, known bool) {
	a := c.Facts.Accounts
	if a == nil || a.Passwd.Problem != "" || a.Shadow.Problem != "" {
		return 0, host.Source{}, false
	}
	u, ok := a.User("root")
	if !ok || u.NoShadow || u.Password.Kind == crypt.KindUnknown || u.Password.Kind == crypt.KindShadowed {
		return 0, host.Source{}, false
	}
	return u.Password.Kind, u.HashFrom, true
}

var _ = rule.Register(rule.Rule{
	ID: "BOOT-SINGLE-USER", Title: "single-user or rescue mode does not ask for root's password", Severity: severity.High, Topic: "boot",
	Rationale: "Single-user, rescue and emergency modes give a root shell on the console. Unless they run sulogin (systemd-sulogin-shell) and root has a password, whoever can reboot the host or press keys at its console is root (" + bootSeed + ").",
	Remediation: "systemd: rescue.service and emergency.service run systemd-sulogin-shell, without SYSTEMD_SULOGIN_FORCE; sysvinit: an inittab entry `~~:S:wait:/sbin/sulogin`; Red Hat 6: SINGLE=/sbin/sulogin in /etc/sysconfig/init. " +
		"Give root a password, or lock it (sulogin then refuses) rather than leave it empty.",
	References: []string{"CIS Debian 12 5.4.2.x", "STIG RHEL-09-611195", "CIS RHEL 6 1.5.4"},
	Platforms:  []target.OS{target.Linux},
	Check: func(c *rule.Context, rep *rule.Report) error {
		b, err := bootOf(c)
		if err != nil {
			return err
		}
		if len(b.SingleUser) == 0 {
			return rule.Undecided("%s", b.SingleProblem)
		}
		kind, rootFrom, rootKnown := rootPassword(c)
		usesSulogin := false
		for _, s := range b.SingleUser {
			if s.Masked {
				continue
			}
			where := rule.Location{File: s.From.File, Line: s.From.Line, Unit: s.From.Unit}
			if !s.Sulogin {
				found := fmt.Sprintf("%s runs %s: a root shell without a password", s.Name, s.Program)
				if s.Program == "" {
					found = "no inittab entry runs sulogin in single-user mode (run level S)"
				}
				rep.Add(rule.Finding{Where: where, Found: found, Expected: "sulogin (systemd-sulogin-shell), which asks for root's password", Exposure: rule.Host,
					Data: map[string]string{"fix": "sulogin", "name": s.Name, "at": s.From.String()}})
				continue
			}
			usesSulogin = true
			if s.Force && (!rootKnown || kind == crypt.KindLocked) {
				rep.Add(rule.Finding{
					Where:    rule.Location{File: s.ForceFrom.File, Line: s.ForceFrom.Line, Unit: s.ForceFrom.Unit},
					Found:    s.Name + " forces sulogin (--force, SYSTEMD_SULOGIN_FORCE): with root's password locked it starts a root shell without asking",
					Expected: "sulogin without --force",
					Exposure: rule.Host,
					Data:     map[string]string{"fix": "force", "name": s.Name, "at": s.From.String()},
				})
			}
		}
		if !usesSulogin {
			return nil
		}
		if !rootKnown {
			return rule.Undecided("root's password could not be read, so whether sulogin asks for one is not known")
		}
		if kind == crypt.KindEmpty {
			rep.Add(rule.Finding{
				Where:    rule.Location{File: rootFrom.File, Line: rootFrom.Line},
				Found:    "root has no password: sulogin lets anyone at the console in with an empty one",
				Expected: "a password for root, or root locked",
				Exposure: rule.Host,
			})
		}
		return nil
	},
	Fix: fixSingleUser,
})

// sulogin is the line single-user mode should run.
const suloginPath = "/sbin/sulogin"

// forceRE matches SYSTEMD_SULOGIN_FORCE and its value; forceArgRE the
// --force option of sulogin.
var (
	forceRE    = regexp.MustCompile(`SYSTEMD_SULOGIN_FORCE=[^\s"']*`)
	forceArgRE = regexp.MustCompile(`\s+(--force|-e)\b`)
)

// fixSingleUser makes single-user mode run sulogin, without --force.
func fixSingleUser(c *rule.Context, f rule.Finding) []remedy.Change {
	var s *host.SingleUser
	for i := range c.Facts.Boot.SingleUser {
		// Two entries may share a name (two run-level S lines of
		// inittab): the one the finding is about is the one at its place.
		if x := &c.Facts.Boot.SingleUser[i]; x.Name == f.Data["name"] && (f.Data["at"] == "" || x.From.String() == f.Data["at"]) {
			s = x
		}
	}
	if s == nil {
		return nil
	}
	switch f.Data["fix"] {
	case "force":
		if s.ForceText == "" {
			return nil
		}
		repl := forceRE.ReplaceAllString(s.ForceText, "SYSTEMD_SULOGIN_FORCE=0")
		if repl == s.ForceText {
			repl = forceArgRE.ReplaceAllString(s.ForceText, "")
		}
		out := []remedy.Change{remedy.ReplaceLine(s.ForceFrom.File, s.ForceFrom.Line, s.ForceText, repl).For(f.Rule, "sulogin must not open a shell without a password")}
		return append(out, reloadFor(f.Rule, s))
	case "sulogin":
		switch s.Name {
		case "inittab S":
			if s.Text == "" {
				return []remedy.Change{
					remedy.AppendLines(s.From.File, "~~:S:wait:"+suloginPath).For(f.Rule, "ask for root's password in single-user mode"),
					remedy.Command(f.Rule, "make init read /etc/inittab again", "telinit", "q").WhenOffline("read at next boot"),
				}
			}
			parts := strings.SplitN(s.Text, ":", 4)
			if len(parts) != 4 {
				return nil
			}
			parts[3] = suloginPath
			return []remedy.Change{
				remedy.ReplaceLine(s.From.File, s.From.Line, s.Text, strings.Join(parts, ":")).For(f.Rule, "ask for root's password in single-user mode"),
				remedy.Command(f.Rule, "make init read /etc/inittab again", "telinit", "q").WhenOffline("read at next boot"),
			}
		case "SINGLE":
			if s.Text == "" {
				return []remedy.Change{remedy.AppendLines(s.From.File, "SINGLE="+suloginPath).For(f.Rule, "ask for root's password in single-user mode")}
			}
			return []remedy.Change{remedy.ReplaceLine(s.From.File, s.From.Line, s.Text, "SINGLE="+suloginPath).For(f.Rule, "ask for root's password in single-user mode")}
		}
		// A systemd unit.
		if s.SuloginShell == "" {
			return nil
		}
		mode := strings.TrimSuffix(s.Name, ".service")
		exec := "ExecStart=-" + s.SuloginShell + " " + mode
		if path.Base(s.SuloginShell) == "sulogin" {
			exec = `ExecStart=-/bin/sh -c "` + s.SuloginShell + `; /usr/bin/systemctl --fail --no-block default"`
		}
		why := s.Name + " asks for root's password"
		if !s.Vendor && s.Text != "" {
			return []remedy.Change{remedy.ReplaceLine(s.From.File, s.From.Line, s.Text, exec).For(f.Rule, why), reloadFor(f.Rule, s)}
		}
		// Named to sort after the drop-ins a site writes (override.conf,
		// 50-*.conf): systemd applies them in name order, the last
		// ExecStart winning.
		drop := path.Join("/etc/systemd/system", s.Name+".d", "zz-bastion-sulogin.conf")
		if s.From.File == drop {
			return nil // bastion's own drop-in is in force already
		}
		return []remedy.Change{
			remedy.CreateFile(drop, "# set by bastion ("+f.Rule+")\n[Service]\nExecStart=\n"+exec+"\n", 0o644, "root", "root").For(f.Rule, why),
			reloadFor(f.Rule, s),
		}
	}
	return nil
}

// reloadFor is the command that makes the init system read a change.
func reloadFor(id string, s *host.SingleUser) remedy.Change {
	if s.From.Unit != "" || s.ForceFrom.Unit != "" {
		return remedy.Command(id, "make systemd read the unit again", "systemctl", "daemon-reload").WhenOffline("read at next boot")
	}
	return remedy.Command(id, "make init read /etc/inittab again", "telinit", "q").WhenOffline("read at next boot")
}

// The files the Ctrl-Alt-Del fixes write.
const (
	cadTarget   = "/etc/systemd/system/ctrl-alt-del.target"
	upstartOver = "/etc/init/control-alt-delete.override"
	burstDropIn = "/etc/systemd/system.conf.d/60-bastion-ctrl-alt-del.conf"
)

var _ = rule.Register(rule.Rule{
	ID: "BOOT-CTRL-ALT-DEL", Title: "Ctrl-Alt-Del at the console reboots the host", Severity: severity.Medium, Topic: "boot",
	Rationale: "Anyone at the console, or with a remote console, can reboot the host with three keys and no login: a denial of service, and a way into the boot loader and single-user mode (" + bootSeed + "). " +
		"systemd also reboots at once when the keys are pressed seven times within two seconds, unless CtrlAltDelBurstAction=none.",
	Remediation: "systemd: mask ctrl-alt-del.target (systemctl mask ctrl-alt-del.target) and set CtrlAltDelBurstAction=none in /etc/systemd/system.conf; sysvinit: comment out the ctrlaltdel entry of /etc/inittab; Red Hat 6: an /etc/init/control-alt-delete.override that only logs. bastion does each.",
	References:  []string{"STIG RHEL-09-211045", "STIG RHEL-09-211050", "STIG RHEL-06-000286"},
	Platforms:   []target.OS{target.Linux},
	Check: func(c *rule.Context, rep *rule.Report) error {
		b, err := bootOf(c)
		if err != nil {
			return err
		}
		if b.Init == "" {
			return rule.Undecided("%s", b.CADProblem)
		}
		for i, cad := range b.CtrlAltDel {
			if !cad.Active {
				continue
			}
			var found, expected string
			switch cad.Kind {
			case "systemd":
				found, expected = "ctrl-alt-del.target is "+cad.Action+": pressing Ctrl-Alt-Del reboots the host", "ctrl-alt-del.target masked"
			case "burst":
				found, expected = "CtrlAltDelBurstAction is "+cad.Action+": pressing Ctrl-Alt-Del seven times within two seconds reboots the host, masked target or not", "CtrlAltDelBurstAction=none"
			case "inittab":
				found, expected = "init runs "+cad.Action+" when Ctrl-Alt-Del is pressed", "no active ctrlaltdel entry"
			default:
				found, expected = "upstart's control-alt-delete job reboots the host", "an override that only logs the key press"
			}
			rep.Add(rule.Finding{
				Where: rule.Location{File: cad.From.File, Line: cad.From.Line}, Found: found, Expected: expected, Exposure: rule.Host,
				Data: map[string]string{"index": fmt.Sprint(i)},
			})
		}
		return nil
	},
	Fix: func(c *rule.Context, f rule.Finding) []remedy.Change {
		var cad *host.CtrlAltDel
		for i := range c.Facts.Boot.CtrlAltDel {
			if fmt.Sprint(i) == f.Data["index"] {
				cad = &c.Facts.Boot.CtrlAltDel[i]
			}
		}
		if cad == nil {
			return nil
		}
		switch cad.Kind {
		case "systemd":
			if c.Facts.Live || cad.From.File == cadTarget {
				// systemctl mask links the unit to /dev/null.
				return []remedy.Change{remedy.Command(f.Rule, "mask ctrl-alt-del.target", "systemctl", "mask", "ctrl-alt-del.target").
					WhenOffline("run systemctl mask ctrl-alt-del.target on the host")}
			}
			// An empty unit file masks the unit as a link to /dev/null
			// does, and a plan can write one into an offline root.
			return []remedy.Change{
				remedy.CreateFile(cadTarget, "", 0o644, "root", "root").For(f.Rule, "mask ctrl-alt-del.target"),
				remedy.Command(f.Rule, "make systemd read its units again", "systemctl", "daemon-reload").WhenOffline("read at next boot"),
			}
		case "burst":
			reexec := remedy.Command(f.Rule, "make systemd read system.conf again", "systemctl", "daemon-reexec").WhenOffline("read at next boot")
			if strings.HasPrefix(cad.From.File, "/etc/") && cad.Text != "" {
				return []remedy.Change{remedy.ReplaceLine(cad.From.File, cad.From.Line, cad.Text, "CtrlAltDelBurstAction=none").For(f.Rule, "ignore bursts of Ctrl-Alt-Del"), reexec}
			}
			return []remedy.Change{
				remedy.CreateFile(burstDropIn, "# set by bastion ("+f.Rule+")\n[Manager]\nCtrlAltDelBurstAction=none\n", 0o644, "root", "root").For(f.Rule, "ignore bursts of Ctrl-Alt-Del"),
				reexec,
			}
		case "inittab":
			return []remedy.Change{
				remedy.CommentLine(cad.From.File, cad.From.Line, cad.Text, "#").For(f.Rule, "Ctrl-Alt-Del does nothing"),
				remedy.Command(f.Rule, "make init read /etc/inittab again", "telinit", "q").WhenOffline("read at next boot"),
			}
		case "upstart":
			if cad.From.File == upstartOver {
				return nil
			}
			return []remedy.Change{remedy.CreateFile(upstartOver, "# set by bastion ("+f.Rule+")\nexec /usr/bin/logger -p authpriv.notice -t init \"Ctrl-Alt-Del was pressed and ignored\"\n", 0o644, "root", "root").
				For(f.Rule, "Ctrl-Alt-Del only logs")}
		}
		return nil
	},
})

// autologinRE matches a getty's automatic login option and its user.
var autologinRE = regexp.MustCompile(`\s+(--autologin(=|\s+)|-a\s+)\S+`)

var _ = rule.Register(rule.Rule{
	ID: "BOOT-CONSOLE-AUTOLOGIN", Title: "the console logs a user in without a password", Severity: severity.High, Topic: "boot",
	Rationale: "A getty run with --autologin, or a display manager with automatic login, gives whoever sits at the console (or a serial or remote console) a shell as that user, with no password and no record of who it was (" + bootSeed + "). " +
		"/etc/securetty only says where root may log in; it does not stop this.",
	Remediation: "Remove --autologin from the getty units' drop-ins and from /etc/inittab, set AutomaticLoginEnable=false (GDM) and remove autologin-user (LightDM). bastion edits those lines.",
	References:  []string{"STIG RHEL-09-271095", "CIS Debian 12 1.7.x"},
	Platforms:   []target.OS{target.Linux},
	Check: func(c *rule.Context, rep *rule.Report) error {
		b, err := bootOf(c)
		if err != nil {
			return err
		}
		for i, a := range b.Autologins {
			var found string
			switch a.Kind {
			case "getty":
				where := "a console"
				if a.From.Unit != "" {
					where = a.From.Unit
				}
				found = fmt.Sprintf("a getty logs %s in on %s without a password", a.User, where)
			case "gdm":
				found = "GDM logs " + orSomeone(a.User) + " in without a password"
			default:
				found = "LightDM logs " + orSomeone(a.User) + " in without a password"
			}
			rep.Add(rule.Finding{
				Where: rule.Location{File: a.From.File, Line: a.From.Line, Unit: a.From.Unit}, Found: found, Expected: "a login prompt", Exposure: rule.Host,
				Data: map[string]string{"index": fmt.Sprint(i)},
			})
		}
		if b.Init == "" && len(b.Autologins) == 0 {
			return rule.Undecided("the init system is not known, so neither are its gettys")
		}
		return nil
	},
	Fix: func(c *rule.Context, f rule.Finding) []remedy.Change {
		var a *host.Autologin
		for i := range c.Facts.Boot.Autologins {
			if fmt.Sprint(i) == f.Data["index"] {
				a = &c.Facts.Boot.Autologins[i]
			}
		}
		if a == nil || a.Text == "" {
			return nil
		}
		why := "no login without a password on the console"
		switch a.Kind {
		case "getty":
			repl := autologinRE.ReplaceAllString(a.Text, "")
			if repl == a.Text {
				return nil
			}
			reload := remedy.Command(f.Rule, "make systemd read the unit again", "systemctl", "daemon-reload").WhenOffline("read at next boot")
			if a.From.Unit == "" {
				reload = remedy.Command(f.Rule, "make init read /etc/inittab again", "telinit", "q").WhenOffline("read at next boot")
			}
			return []remedy.Change{remedy.ReplaceLine(a.From.File, a.From.Line, a.Text, repl).For(f.Rule, why), reload}
		case "gdm":
			key, _, _ := strings.Cut(a.Text, "=")
			return []remedy.Change{remedy.ReplaceLine(a.From.File, a.From.Line, a.Text, key+"=false").For(f.Rule, why)}
		default:
			return []remedy.Change{remedy.CommentLine(a.From.File, a.From.Line, a.Text, "#").For(f.Rule, why)}
		}
	},
})

func orSomeone(user string) string {
	if user == "" {
		return "a user"
	}
	return user
}

var _ = rule.Register(rule.Rule{
	ID: "BOOT-WIRELESS", Title: "a server has wireless networking", Severity: severity.Medium, Topic: "boot",
	Rationale: "A wireless interface reaches the host from outside its locked room, past the firewall and switch ports that guard its cables; a server needs none (" + bootSeed + "). " +
		"A host that is meant to use wireless names \"wireless\" under services in the policy.",
	Remediation: "Remove the wireless configuration (NetworkManager connection, wpa_supplicant or iwd network, ifupdown stanza), turn the radio off (nmcli radio wifi off), keep the driver from loading (a blacklist line in /etc/modprobe.d), or take the card out.",
	References:  []string{"CIS Debian 12 3.1.2", "STIG RHEL-09-291040"},
	Platforms:   []target.OS{target.Linux},
	Check: func(c *rule.Context, rep *rule.Report) error {
		b, err := bootOf(c)
		if err != nil {
			return err
		}
		if c.Policy.Allows("wireless") {
			return nil
		}
		w := b.Wireless
		for _, it := range append(append([]host.WirelessItem(nil), w.Interfaces...), w.Configs...) {
			rep.Add(rule.Finding{
				Where:    rule.Location{File: it.From.File, Line: it.From.Line},
				Found:    fmt.Sprintf("%s %s", it.What, it.Name),
				Expected: "no wireless networking on a server",
				Exposure: rule.Host,
			})
		}
		if !w.Observed && len(w.Configs) == 0 {
			return rule.Undecided("the host's interfaces were not seen and the root configures no wireless network: audit the live host or capture ip -o link")
		}
		return nil
	},
})
