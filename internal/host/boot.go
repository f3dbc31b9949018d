package host

import (
	"bytes"
	"io/fs"
	"path"
	"regexp"
	"strings"

	"bastion/internal/parse"
	"bastion/internal/parse/grubcfg"
	"bastion/internal/parse/inittab"
	"bastion/internal/parse/shellwords"
	"bastion/internal/parse/systemd"
	"bastion/internal/target"
)

// CaptureIPLink is captured `ip -o link` output (Linux), which names the
// network interfaces of the host an offline root was copied from.
const CaptureIPLink = "ip-o-link"

// The init systems Boot tells apart.
const (
	InitSystemd = "systemd"
	InitSysV    = "sysvinit"
	InitUpstart = "upstart"
)

// Files and directories the boot model reads.
const (
	grubDDir          = "/etc/grub.d"
	sysconfigInit     = "/etc/sysconfig/init"
	systemConf        = "/etc/systemd/system.conf"
	upstartCADConf    = "/etc/init/control-alt-delete.conf"
	upstartCADOver    = "/etc/init/control-alt-delete.override"
	sysClassNet       = "/sys/class/net"
	procNetWireless   = "/proc/net/wireless"
	nmConnectionsDir  = "/etc/NetworkManager/system-connections"
	wpaSupplicantDir  = "/etc/wpa_supplicant"
	iwdDir            = "/var/lib/iwd"
	ifupdownInterface = "/etc/network/interfaces"
)

const whatBoot = "boot loader, single-user mode and console"

// grubConfigs are where grub.cfg is looked for, the one GRUB reads first;
// grub.cfg files under the EFI system partition come after them.
var grubConfigs = []string{"/boot/grub/grub.cfg", "/boot/grub2/grub.cfg"}

// Boot is what stands between someone at the console and root: the boot
// loader's password, what single-user and rescue modes ask for, what
// Ctrl-Alt-Del does, automatic logins on the console, and wireless
// interfaces, which reach the host from outside its room.
type Boot struct {
	// Init is the init system (InitSystemd, InitSysV, InitUpstart), ""
	// when not known; InitFrom says how it was told.
	Init     string
	InitFrom string
	// GRUB is the GRUB 2 configuration; nil when the host has no
	// grub.cfg bastion found.
	GRUB *GRUB
	// SingleUser are the ways into single-user or rescue mode and what
	// each runs; SingleProblem says why they are not known.
	SingleUser    []SingleUser
	SingleProblem string
	// CtrlAltDel are the ways the Ctrl-Alt-Del key combination reboots
	// the host, active or not; CADProblem says why they are not known.
	CtrlAltDel []CtrlAltDel
	CADProblem string
	// Autologins are console or display logins that need no password.
	Autologins []Autologin
	// Wireless are the wireless interfaces and configurations.
	Wireless Wireless
}

// GRUB is the configuration GRUB 2 reads at boot, and the /etc/grub.d
// scripts grub-mkconfig makes it from.
type GRUB struct {
	// Config is the grub.cfg in force; Sourced the files it sources
	// while GRUB reads it (user.cfg, custom.cfg). Problem says why Config
	// could not be read.
	Config  FileState
	Sourced []FileState
	Problem string
	// Generated reports that Config carries grub-mkconfig's
	// "### BEGIN /etc/grub.d/..." section marks.
	Generated bool
	// Superusers are the users of the last "set superusers=" GRUB runs
	// while reading its configuration (inside an if or not); none means
	// anyone may edit entries and use the GRUB shell. SuperusersFrom is
	// its line, and SuperusersBy the /etc/grub.d script whose section of
	// Config holds that line ("" when it is outside any section, or in a
	// sourced file).
	Superusers     []string
	SuperusersFrom Source
	SuperusersBy   string
	// Passwords are the password and password_pbkdf2 commands GRUB runs
	// while reading its configuration, in order.
	Passwords []GRUBPassword
	// Scripts are the /etc/grub.d scripts that set superusers or a
	// password.
	Scripts []GRUBScript
	// Cleartext are the plain password commands of every file read,
	// menu entry bodies included: each holds a password in clear text.
	Cleartext []Source
}

// GRUBPassword is one password or password_pbkdf2 command. The password or
// hash itself is never kept.
type GRUBPassword struct {
	User string
	// Hashed reports password_pbkdf2; a plain password command holds
	// the password in clear text.
	Hashed bool
	// Unset reports a password given as a variable nothing sets (Red
	// Hat's ${GRUB2_PASSWORD} without user.cfg): GRUB skips it.
	Unset bool
	From  Source
}

// GRUBScript is a script of /etc/grub.d that writes a password into
// grub.cfg.
type GRUBScript struct {
	Path string
	// Executable reports whether grub-mkconfig runs it (it skips scripts
	// that are not executable).
	Executable bool
	// Superusers is the line that sets superusers, zero when none.
	Superusers Source
	Passwords  []GRUBPassword
}

// Protected reports whether GRUB asks for a password before an entry is
// edited or its shell used: superusers are set and one of them has a
// password. It returns the superusers that have one.
func (g *GRUB) Protected() []string {
	var out []string
	for _, u := range g.Superusers {
		for _, p := range g.Passwords {
			if p.User == u && !p.Unset {
				out = append(out, u)
				break
			}
		}
	}
	return out
}

// Script returns the /etc/grub.d script at p, if it sets a password.
func (g *GRUB) Script(p string) (GRUBScript, bool) {
	for _, s := range g.Scripts {
		if s.Path == p {
			return s, true
		}
	}
	return GRUBScript{}, false
}

// SingleUser is one way into single-user or rescue mode: a systemd unit
// (rescue.service, emergency.service), the inittab entry of run level S,
// or Red Hat 6's SINGLE setting.
type SingleUser struct {
	// Name is the unit, "inittab S" or "SINGLE".
	Name string
	// From is the line that says what runs (an ExecStart, an inittab
	// entry, a SINGLE= line); zero when nothing says, and Text is its
	// text. Program is what runs.
	From    Source
	Text    string
	Program string
	// Masked reports a systemd unit that cannot be started.
	Masked bool
	// Sulogin reports that what runs asks for root's password (sulogin,
	// systemd-sulogin-shell).
	Sulogin bool
	// Force reports sulogin --force, or SYSTEMD_SULOGIN_FORCE set for
	// the unit: with root's password locked, sulogin then starts a root
	// shell without asking. ForceFrom is its line, ForceText its text.
	Force     bool
	ForceFrom Source
	ForceText string
	// Vendor reports that From is in a file the package manager owns
	// (/usr/lib, /lib), which a fix should not edit.
	Vendor bool
	// SuloginShell is the target's systemd-sulogin-shell, or its
	// sulogin, for a fix to run; "" when neither was found.
	SuloginShell string
}

// CtrlAltDel is one way the Ctrl-Alt-Del key combination acts.
type CtrlAltDel struct {
	// Kind is "systemd" (ctrl-alt-del.target), "burst" (systemd's
	// CtrlAltDelBurstAction, for seven presses within two seconds),
	// "inittab" (a ctrlaltdel entry) or "upstart"
	// (control-alt-delete.conf).
	Kind string
	// Active reports that pressing the keys reboots or halts the host;
	// Action says what happens.
	Active bool
	Action string
	// From is the file or line that sets it; Text the line's text,
	// where a fix edits it.
	From Source
	Text string
}

// Autologin is a console or display login that needs no password.
type Autologin struct {
	// Kind is "getty" (a getty with --autologin), "gdm" or "lightdm".
	Kind string
	User string
	From Source
	Text string
}

// Wireless is what says the host has wireless networking.
type Wireless struct {
	// Observed reports that the interfaces themselves were seen (live
	// /sys/class/net, or captured ip -o link output); ObservedFrom says
	// where.
	Observed     bool
	ObservedFrom string
	// Interfaces are the wireless interfaces seen.
	Interfaces []WirelessItem
	// Configs are the wireless network configurations in the root:
	// NetworkManager connections, wpa_supplicant networks, iwd networks,
	// ifupdown wireless stanzas.
	Configs []WirelessItem
}

// WirelessItem is a wireless interface or configuration.
type WirelessItem struct {
	// Name is the interface or the configuration's name; What says what
	// it is ("interface", "NetworkManager wifi connection").
	Name string
	What string
	From Source
}

// boot builds Facts.Boot.
func (b *builder) boot() {
	bt := &Boot{}
	b.f.Boot = bt
	if b.f.Platform.OS != target.Linux {
		return
	}
	bt.Init, bt.InitFrom = b.initSystem()
	bt.GRUB = b.grub()
	b.singleUser(bt)
	b.ctrlAltDel(bt)
	b.autologins(bt)
	bt.Wireless = b.wireless()
}

// initSystem says which init system the root boots with: the program
// /sbin/init leads to, or, in a copy without it, what is installed.
func (b *builder) initSystem() (string, string) {
	p, err := b.t.Resolve("/sbin/init")
	switch {
	case p != "" && path.Base(p) == "systemd":
		return InitSystemd, "/sbin/init is " + p
	case err == nil && (b.t.Exists("/etc/init/rcS.conf") || b.t.Exists("/sbin/initctl") && b.t.Exists("/etc/init")):
		return InitUpstart, "/sbin/init with /etc/init jobs"
	case err == nil:
		return InitSysV, "/sbin/init is " + p
	}
	for _, q := range []string{"/usr/lib/systemd/systemd", "/lib/systemd/systemd"} {
		if b.t.Exists(q) {
			return InitSystemd, q + " is installed"
		}
	}
	if b.t.Exists(inittabPath) {
		return InitSysV, inittabPath + " is there"
	}
	return "", ""
}

// grub reads the grub.cfg in force, what it sources, and the /etc/grub.d
// scripts that set passwords. It returns nil when there is no grub.cfg.
func (b *builder) grub() *GRUB {
	cands := append([]string(nil), grubConfigs...)
	if ents, err := b.t.ReadDir("/boot/efi/EFI"); err == nil {
		for _, e := range ents {
			cands = append(cands, path.Join("/boot/efi/EFI", e.Name(), "grub.cfg"))
		}
	}
	scan := b.fileScan()
	var g *GRUB
	for _, c := range cands {
		st := scan.state(c, whatBoot)
		if st.Exists || st.Problem != "" {
			g = &GRUB{Config: st}
			break
		}
	}
	if g == nil {
		return nil
	}
	g.Problem = g.Config.Problem
	if g.Problem == "" {
		e := &grubEval{b: b, g: g, scan: scan, vars: map[string]string{}, seen: map[string]bool{}}
		if f := e.file(g.Config.Path, 0); f == nil {
			g.Problem = "could not be read"
		} else {
			at := g.SuperusersFrom
			if at.File != g.Config.Path {
				at = Source{}
			}
			g.Generated, g.SuperusersBy = grubSections(f.Lines, at)
		}
	}
	g.Scripts = b.grubScripts(g)
	return g
}

// grubEval follows GRUB through its configuration: assignments, the
// superusers, passwords and sourced files, in order.
type grubEval struct {
	b    *builder
	g    *GRUB
	scan *fileScan
	vars map[string]string
	seen map[string]bool
}

// file reads and evaluates one file; it returns nil when the file could
// not be read.
func (e *grubEval) file(name string, depth int) *grubcfg.File {
	e.seen[name] = true
	data := e.b.read(name, whatBoot, true)
	if data == nil {
		return nil
	}
	f, err := grubcfg.Parse(bytes.NewReader(data), name)
	e.b.parseGaps(err, whatBoot)
	if f == nil {
		return nil
	}
	dir := path.Dir(name)
	for _, c := range f.Commands {
		if c.Name == "password" {
			e.g.Cleartext = append(e.g.Cleartext, Source{File: name, Line: c.Line})
		}
		if c.Deferred() {
			continue
		}
		src := Source{File: name, Line: c.Line}
		if n, v, ok := c.Assignment(); ok {
			e.vars[n] = v
			if n == "superusers" {
				e.g.Superusers, e.g.SuperusersFrom = grubcfg.Users(v), src
			}
			continue
		}
		if user, secret, ok := c.Password(); ok {
			p := GRUBPassword{User: user, Hashed: c.Hashed(), From: src}
			if v, ok := grubcfg.VarRef(secret); ok {
				p.Unset = e.vars[v] == ""
			}
			e.g.Passwords = append(e.g.Passwords, p)
			continue
		}
		if (c.Name == "source" || c.Name == ".") && len(c.Args) == 1 && depth < 3 {
			p := grubPath(c.Args[0], dir)
			if p == "" || e.seen[p] {
				continue
			}
			st := e.scan.state(p, whatBoot)
			if !st.Exists && st.Problem == "" {
				// Sourced only "if [ -f ... ]": a missing file is
				// the usual case.
				e.seen[p] = true
				continue
			}
			e.g.Sourced = append(e.g.Sourced, st)
			if st.Problem == "" {
				e.file(p, depth+1)
			}
		}
	}
	return f
}

// grubPath turns the path a source command names into a path of the
// target: $prefix and $config_directory are the directory of the file
// that sources it. Other variables, and relative paths, give "".
func grubPath(p, dir string) string {
	for _, v := range []string{"${prefix}", "$prefix", "${config_directory}", "$config_directory"} {
		if rest, ok := strings.CutPrefix(p, v); ok {
			p = dir + rest
			break
		}
	}
	if !strings.HasPrefix(p, "/") || strings.Contains(p, "$") {
		return ""
	}
	return path.Clean(p)
}

// grubSection matches grub-mkconfig's section marks.
var grubSection = regexp.MustCompile(`^### (BEGIN|END) (/\S+) ###`)

// grubSections reports whether grub.cfg lines carry grub-mkconfig's
// section marks, and which script's section holds the line of at (when at
// is in the same file; the caller passes its source).
func grubSections(lines []string, at Source) (generated bool, by string) {
	cur := ""
	for i, l := range lines {
		if m := grubSection.FindStringSubmatch(l); m != nil {
			generated = true
			if m[1] == "BEGIN" {
				cur = m[2]
			} else {
				cur = ""
			}
			continue
		}
		if i+1 == at.Line && cur != "" {
			by = cur
		}
	}
	return generated, by
}

// grubScripts reads the /etc/grub.d scripts that mention superusers or a
// password. The scripts are shell; the text they emit is GRUB script, and
// reading the whole script as GRUB script finds its commands. Parse
// errors of shell lines are no gap.
func (b *builder) grubScripts(g *GRUB) []GRUBScript {
	ents, err := b.t.ReadDir(grubDDir)
	if err != nil {
		if !isNotExist(err) {
			b.gap(grubDDir, whatBoot, err)
		}
		return nil
	}
	var out []GRUBScript
	for _, ent := range ents {
		p := path.Join(grubDDir, ent.Name())
		fi, err := b.t.Stat(p)
		if err != nil || !fi.Mode().IsRegular() || ent.Name() == "README" {
			continue
		}
		data := b.read(p, whatBoot, false)
		if data == nil || !bytes.Contains(data, []byte("superusers")) && !bytes.Contains(data, []byte("password")) {
			continue
		}
		f, _ := grubcfg.Parse(bytes.NewReader(data), p)
		if f == nil {
			continue
		}
		s := GRUBScript{Path: p, Executable: fi.Mode()&0o111 != 0}
		for _, c := range f.Commands {
			if c.Name == "password" {
				g.Cleartext = append(g.Cleartext, Source{File: p, Line: c.Line})
			}
			if c.Deferred() {
				continue
			}
			if n, v, ok := c.Assignment(); ok && n == "superusers" && len(grubcfg.Users(v)) > 0 {
				s.Superusers = Source{File: p, Line: c.Line}
			}
			if user, _, ok := c.Password(); ok {
				s.Passwords = append(s.Passwords, GRUBPassword{User: user, Hashed: c.Hashed(), From: Source{File: p, Line: c.Line}})
			}
		}
		if s.Superusers.Line > 0 || len(s.Passwords) > 0 {
			out = append(out, s)
		}
	}
	return out
}

// singleUser reads what single-user and rescue modes run.
func (b *builder) singleUser(bt *Boot) {
	switch bt.Init {
	case InitSystemd:
		shell := ""
		for _, p := range []string{"/usr/lib/systemd/systemd-sulogin-shell", "/lib/systemd/systemd-sulogin-shell", "/usr/sbin/sulogin", "/sbin/sulogin"} {
			if b.t.Exists(p) {
				shell = p
				break
			}
		}
		for _, unit := range []string{"rescue.service", "emergency.service"} {
			s, ok := b.suloginUnit(unit)
			if !ok {
				bt.SingleProblem = "no " + unit + " in the systemd unit directories"
				continue
			}
			s.SuloginShell = shell
			bt.SingleUser = append(bt.SingleUser, s)
		}
	case InitSysV:
		b.inittabSingle(bt)
	case InitUpstart:
		b.sysconfigSingle(bt)
	default:
		bt.SingleProblem = "the init system is not known"
	}
}

// unitStack finds a unit in the unit directories and reads it with its
// drop-ins. It reports whether the unit exists and whether it is masked.
func (b *builder) unitStack(unit string) (stack []*systemd.Unit, found, masked bool) {
	var file string
	var dropDirs []string
	for _, dir := range unitDirs {
		p := path.Join(dir, unit)
		dropDirs = append(dropDirs, p+".d")
		if file != "" || masked {
			continue
		}
		fi, err := b.t.Lstat(p)
		if err != nil {
			continue
		}
		if fi.Mode()&fs.ModeSymlink != 0 {
			if dest, err := b.t.Readlink(p); err == nil && dest == "/dev/null" {
				masked = true
				continue
			}
			if fi, err = b.t.Stat(p); err != nil {
				continue
			}
		}
		if fi.Mode().IsRegular() && fi.Size() == 0 {
			// systemd takes an empty unit file as a mask.
			masked = true
			continue
		}
		file = p
	}
	if masked {
		return nil, true, true
	}
	if file == "" {
		return nil, false, false
	}
	data := b.read(file, "systemd unit "+unit, true)
	if data == nil {
		return nil, true, false
	}
	u, err := systemd.Parse(bytes.NewReader(data), file)
	b.parseGaps(err, "systemd unit "+unit)
	if u == nil {
		return nil, true, false
	}
	return append([]*systemd.Unit{u}, b.dropIns(dropDirs)...), true, false
}

// suloginUnit reads what a rescue or emergency unit runs.
func (b *builder) suloginUnit(unit string) (SingleUser, bool) {
	s := SingleUser{Name: unit}
	stack, found, masked := b.unitStack(unit)
	if !found {
		return s, false
	}
	if masked {
		s.Masked = true
		return s, true
	}
	a, ok := systemd.StackAssignment("Service", "ExecStart", stack...)
	if !ok || a.Value == "" {
		// Nothing to run: the unit fails to start, and no shell opens.
		s.Sulogin = true
		return s, true
	}
	s.From = Source{File: a.File, Line: a.Line, Unit: unit}
	s.Vendor = isVendorUnitPath(a.File)
	if a.End == a.Line {
		s.Text = lineOf(stack, a.File, a.Line)
	}
	argv := systemd.ExecArgv(a.Value)
	if len(argv) > 0 {
		s.Program = argv[0]
	}
	s.Sulogin, s.Force = asksPassword(argv)
	if s.Force {
		s.ForceFrom, s.ForceText = s.From, s.Text
	}
	for _, env := range systemd.StackAssignments("Service", "Environment", stack...) {
		for _, kv := range systemd.ExecArgv(env.Value) {
			if v, ok := strings.CutPrefix(kv, "SYSTEMD_SULOGIN_FORCE="); ok && isTrue(v) {
				s.Force = true
				s.ForceFrom = Source{File: env.File, Line: env.Line, Unit: unit}
				s.ForceText = ""
				if env.End == env.Line {
					s.ForceText = lineOf(stack, env.File, env.Line)
				}
			}
		}
	}
	return s, true
}

// isVendorUnitPath reports a unit file the package manager owns.
func isVendorUnitPath(p string) bool {
	return strings.HasPrefix(p, "/usr/lib/") || strings.HasPrefix(p, "/lib/")
}

// lineOf returns line n of the unit file called name in a stack.
func lineOf(stack []*systemd.Unit, name string, n int) string {
	for _, u := range stack {
		if u.Name == name && n >= 1 && n <= len(u.Lines) {
			return u.Lines[n-1]
		}
	}
	return ""
}

// shellNames are the shells a command may run sulogin through.
var shellNames = map[string]bool{"sh": true, "bash": true, "dash": true, "ksh": true, "zsh": true}

// asksPassword reports whether a command asks for root's password: it
// runs sulogin or systemd-sulogin-shell, itself or as the first command
// of "sh -c '...'". force reports sulogin's --force (-e).
func asksPassword(argv []string) (sulogin, force bool) {
	if len(argv) == 0 {
		return false, false
	}
	switch path.Base(argv[0]) {
	case "systemd-sulogin-shell":
		return true, false
	case "sulogin":
		for _, a := range argv[1:] {
			if a == "--force" || a == "-e" {
				force = true
			}
		}
		return true, force
	}
	if shellNames[path.Base(argv[0])] {
		for i := 1; i+1 < len(argv); i++ {
			if argv[i] == "-c" {
				inner, _ := shellwords.Split(argv[i+1])
				return asksPassword(inner)
			}
		}
	}
	return false, false
}

// inittabSingle reads the sysvinit inittab entries of run level S.
func (b *builder) inittabSingle(bt *Boot) {
	f := b.linuxInittab()
	if f == nil {
		bt.SingleProblem = inittabPath + " could not be read"
		return
	}
	found := false
	for _, e := range f.Entries {
		if !e.Active() || !strings.ContainsAny(e.RunLevels, "Ss") || e.Action == "initdefault" {
			continue
		}
		argv := e.Argv()
		if len(argv) == 0 {
			continue
		}
		sulogin, force := asksPassword(argv)
		if !sulogin && !shellNames[path.Base(argv[0])] {
			continue // something else that runs in S (a getty is not a shell)
		}
		found = true
		s := SingleUser{Name: "inittab S", From: Source{File: inittabPath, Line: e.Line}, Text: f.Lines[e.Line-1], Program: argv[0], Sulogin: sulogin, Force: force}
		if force {
			s.ForceFrom, s.ForceText = s.From, s.Text
		}
		bt.SingleUser = append(bt.SingleUser, s)
	}
	if !found {
		bt.SingleUser = append(bt.SingleUser, SingleUser{Name: "inittab S", From: Source{File: inittabPath}})
	}
}

// linuxInittab reads /etc/inittab in the sysvinit form, or returns nil.
func (b *builder) linuxInittab() *inittab.File {
	data := b.read(inittabPath, whatBoot, true)
	if data == nil {
		return nil
	}
	f, err := inittab.ParseLinux(bytes.NewReader(data), inittabPath)
	b.parseGaps(err, whatBoot)
	return f
}

// sysconfigSingle reads SINGLE= of /etc/sysconfig/init, which Red Hat 6
// runs in single-user mode: /sbin/sulogin or /sbin/sushell (no password).
// Without the setting Red Hat 6 runs sushell.
func (b *builder) sysconfigSingle(bt *Boot) {
	data := b.read(sysconfigInit, whatBoot, true)
	if data == nil {
		bt.SingleProblem = sysconfigInit + " could not be read"
		return
	}
	lines := parse.SplitLines(data)
	s := SingleUser{Name: "SINGLE", From: Source{File: sysconfigInit}, Program: "/sbin/sushell"}
	for i, l := range lines {
		if v, ok := strings.CutPrefix(strings.TrimSpace(l), "SINGLE="); ok {
			s.From.Line, s.Text = i+1, l
			s.Program = strings.Trim(strings.TrimSpace(v), `"'`)
		}
	}
	s.Sulogin, s.Force = asksPassword([]string{s.Program})
	bt.SingleUser = append(bt.SingleUser, s)
}

// ctrlAltDel reads what the Ctrl-Alt-Del keys do.
func (b *builder) ctrlAltDel(bt *Boot) {
	switch bt.Init {
	case InitSystemd:
		b.systemdCAD(bt)
	case InitSysV:
		f := b.linuxInittab()
		if f == nil {
			bt.CADProblem = inittabPath + " could not be read"
			return
		}
		for _, e := range f.Entries {
			if e.Action == "ctrlaltdel" {
				bt.CtrlAltDel = append(bt.CtrlAltDel, CtrlAltDel{Kind: "inittab", Active: e.Active(), Action: e.Command,
					From: Source{File: inittabPath, Line: e.Line}, Text: f.Lines[e.Line-1]})
			}
		}
	case InitUpstart:
		if !b.t.Exists(upstartCADConf) {
			return
		}
		c := CtrlAltDel{Kind: "upstart", Active: true, Action: "shutdown -r now", From: Source{File: upstartCADConf}}
		if data, err := b.t.ReadFile(upstartCADOver); err == nil {
			// An override that runs no shutdown replaces the job's
			// command.
			c.Active = bytes.Contains(data, []byte("shutdown"))
			c.From.File = upstartCADOver
		}
		bt.CtrlAltDel = append(bt.CtrlAltDel, c)
	default:
		bt.CADProblem = "the init system is not known"
	}
}

// systemDropDirs are the drop-in directories of system.conf, as systemd
// reads them.
var systemDropDirs = []string{"/etc/systemd/system.conf.d", "/run/systemd/system.conf.d", "/usr/local/lib/systemd/system.conf.d", "/usr/lib/systemd/system.conf.d"}

// systemdCAD reads ctrl-alt-del.target and CtrlAltDelBurstAction.
func (b *builder) systemdCAD(bt *Boot) {
	for _, dir := range unitDirs {
		p := path.Join(dir, "ctrl-alt-del.target")
		fi, err := b.t.Lstat(p)
		if err != nil {
			continue
		}
		c := CtrlAltDel{Kind: "systemd", Active: true, Action: "ctrl-alt-del.target", From: Source{File: p}}
		if fi.Mode()&fs.ModeSymlink != 0 {
			dest, _ := b.t.Readlink(p)
			c.Active = dest != "/dev/null"
			c.Action = path.Base(dest)
		} else if fi.Mode().IsRegular() && fi.Size() == 0 {
			c.Active = false
		}
		bt.CtrlAltDel = append(bt.CtrlAltDel, c)
		break
	}
	// systemd 232 and later reboot at once when the keys are pressed
	// seven times within two seconds, masked target or not. system.conf
	// lists every setting its systemd knows, commented out: its mention
	// of CtrlAltDelBurstAction says this systemd has it.
	data := b.read(systemConf, whatBoot, false)
	if data == nil {
		return
	}
	conf, err := systemd.Parse(bytes.NewReader(data), systemConf)
	b.parseGaps(err, whatBoot)
	if conf == nil {
		return
	}
	stack := append([]*systemd.Unit{conf}, b.dropIns(systemDropDirs)...)
	if a, ok := systemd.StackAssignment("Manager", "CtrlAltDelBurstAction", stack...); ok && a.Value != "" {
		bt.CtrlAltDel = append(bt.CtrlAltDel, CtrlAltDel{Kind: "burst", Active: a.Value != "none", Action: a.Value,
			From: Source{File: a.File, Line: a.Line}, Text: lineOf(stack, a.File, a.Line)})
		return
	}
	for i, l := range conf.Lines {
		if strings.Contains(l, "CtrlAltDelBurstAction") {
			bt.CtrlAltDel = append(bt.CtrlAltDel, CtrlAltDel{Kind: "burst", Active: true, Action: "reboot-force",
				From: Source{File: systemConf, Line: i + 1}, Text: l})
			return
		}
	}
}

// gettyPrograms are the gettys that can log a user in without a password.
var gettyPrograms = map[string]bool{"agetty": true, "getty": true, "mingetty": true}

// gettyUnits are the systemd templates and units that run a getty.
var gettyUnits = []string{"getty@.service", "serial-getty@.service", "console-getty.service", "container-getty@.service"}

// autologins finds gettys, GDM and LightDM set to log a user in without a
// password.
func (b *builder) autologins(bt *Boot) {
	switch bt.Init {
	case InitSystemd:
		b.gettyAutologins(bt)
	case InitSysV:
		if f := b.linuxInittab(); f != nil {
			for _, e := range f.Entries {
				if !e.Active() {
					continue
				}
				if user := autologinUser(e.Argv()); user != "" {
					bt.Autologins = append(bt.Autologins, Autologin{Kind: "getty", User: user, From: Source{File: inittabPath, Line: e.Line}, Text: f.Lines[e.Line-1]})
				}
			}
		}
	}
	b.displayAutologins(bt)
}

// gettyAutologins reads the getty units, their drop-ins and the drop-ins
// of their instances (getty@tty1.service.d).
func (b *builder) gettyAutologins(bt *Boot) {
	instances := map[string]bool{}
	for _, dir := range []string{"/etc/systemd/system", "/run/systemd/system"} {
		ents, err := b.t.ReadDir(dir)
		if err != nil {
			continue
		}
		for _, e := range ents {
			name, ok := strings.CutSuffix(e.Name(), ".d")
			if !ok || !e.IsDir() {
				continue
			}
			for _, tmpl := range gettyUnits {
				if at := strings.IndexByte(tmpl, '@'); at > 0 && strings.HasPrefix(name, tmpl[:at+1]) && name != tmpl && strings.HasSuffix(name, ".service") {
					instances[name] = true
				}
			}
		}
	}
	seen := map[Source]bool{}
	check := func(unit string, stack []*systemd.Unit) {
		a, ok := systemd.StackAssignment("Service", "ExecStart", stack...)
		if !ok || seen[Source{File: a.File, Line: a.Line}] {
			return
		}
		if user := autologinUser(systemd.ExecArgv(a.Value)); user != "" {
			seen[Source{File: a.File, Line: a.Line}] = true
			al := Autologin{Kind: "getty", User: user, From: Source{File: a.File, Line: a.Line, Unit: unit}}
			if a.End == a.Line {
				al.Text = lineOf(stack, a.File, a.Line)
			}
			bt.Autologins = append(bt.Autologins, al)
		}
	}
	for _, unit := range gettyUnits {
		if stack, _, _ := b.unitStack(unit); stack != nil {
			check(unit, stack)
		}
	}
	for _, inst := range sortedKeys(instances) {
		at := strings.IndexByte(inst, '@')
		tmpl := inst[:at+1] + ".service"
		stack, _, _ := b.unitStack(tmpl)
		if stack == nil {
			continue
		}
		var dirs []string
		for _, dir := range unitDirs {
			dirs = append(dirs, path.Join(dir, tmpl)+".d", path.Join(dir, inst)+".d")
		}
		check(inst, append(stack[:1:1], b.dropIns(dirs)...))
	}
}

// autologinUser returns the user a getty command line logs in without a
// password (agetty --autologin USER or -a USER, mingetty --autologin
// USER), or "".
func autologinUser(argv []string) string {
	if len(argv) == 0 || !gettyPrograms[path.Base(argv[0])] {
		return ""
	}
	for i, a := range argv[1:] {
		if v, ok := strings.CutPrefix(a, "--autologin="); ok {
			return v
		}
		if (a == "--autologin" || a == "-a") && i+2 < len(argv) {
			return argv[i+2]
		}
	}
	return ""
}

// displayConfigs are the GDM and LightDM files that may turn on automatic
// login, with the section and keys that do.
var displayConfigs = []struct {
	kind, file, section string
	keys                []string
}{
	{"gdm", "/etc/gdm3/daemon.conf", "daemon", []string{"AutomaticLoginEnable", "TimedLoginEnable"}},
	{"gdm", "/etc/gdm3/custom.conf", "daemon", []string{"AutomaticLoginEnable", "TimedLoginEnable"}},
	{"gdm", "/etc/gdm/custom.conf", "daemon", []string{"AutomaticLoginEnable", "TimedLoginEnable"}},
	{"lightdm", "/etc/lightdm/lightdm.conf", "", []string{"autologin-user"}},
}

// displayAutologins reads the display managers' automatic logins.
func (b *builder) displayAutologins(bt *Boot) {
	for _, dc := range displayConfigs {
		data := b.read(dc.file, whatBoot, false)
		if data == nil {
			continue
		}
		u, err := systemd.Parse(bytes.NewReader(data), dc.file)
		b.parseGaps(err, whatBoot)
		if u == nil {
			continue
		}
		for _, sec := range u.Sections {
			if dc.section != "" && !strings.EqualFold(sec.Name, dc.section) {
				continue
			}
			user := ""
			for _, e := range sec.Entries {
				if e.Key == "AutomaticLogin" || e.Key == "TimedLogin" {
					user = e.Value
				}
			}
			for _, e := range sec.Entries {
				for _, k := range dc.keys {
					if e.Key != k || e.End != e.Line {
						continue
					}
					switch {
					case dc.kind == "gdm" && isTrue(e.Value):
						bt.Autologins = append(bt.Autologins, Autologin{Kind: dc.kind, User: user, From: Source{File: dc.file, Line: e.Line}, Text: u.Lines[e.Line-1]})
					case dc.kind == "lightdm" && e.Value != "":
						bt.Autologins = append(bt.Autologins, Autologin{Kind: dc.kind, User: e.Value, From: Source{File: dc.file, Line: e.Line}, Text: u.Lines[e.Line-1]})
					}
				}
			}
		}
	}
}

// wireless finds wireless interfaces (live: /sys/class/net; offline:
// captured ip -o link) and wireless configurations in the root.
func (b *builder) wireless() Wireless {
	var w Wireless
	if b.f.Live {
		if ents, err := b.t.ReadDir(sysClassNet); err == nil {
			w.Observed, w.ObservedFrom = true, "live "+sysClassNet
			for _, e := range ents {
				for _, sub := range []string{"wireless", "phy80211"} {
					p := path.Join(sysClassNet, e.Name(), sub)
					if b.t.Exists(p) {
						w.Interfaces = append(w.Interfaces, WirelessItem{Name: e.Name(), What: "wireless interface", From: Source{File: p}})
						break
					}
				}
			}
		} else {
			b.gap(sysClassNet, whatBoot, err)
		}
		// /proc/net/wireless lists interfaces that drivers using the
		// old wireless extensions register.
		if data, err := b.t.ReadFile(procNetWireless); err == nil {
			for i, l := range parse.SplitLines(data) {
				name, _, ok := strings.Cut(strings.TrimSpace(l), ":")
				if i >= 2 && ok && name != "" && !w.hasInterface(name) {
					w.Interfaces = append(w.Interfaces, WirelessItem{Name: name, What: "wireless interface", From: Source{File: procNetWireless, Line: i + 1}})
				}
			}
		}
	} else {
		name := target.CapturePath(CaptureIPLink)
		if data, err := b.t.Capture(CaptureIPLink); err == nil {
			w.Observed, w.ObservedFrom = true, "captured "+name
			for i, l := range parse.SplitLines(data) {
				if iface := ipLinkName(l); wirelessName(iface) && !w.hasInterface(iface) {
					w.Interfaces = append(w.Interfaces, WirelessItem{Name: iface, What: "wireless interface", From: Source{File: name, Line: i + 1}})
				}
			}
		} else if !isNotExist(err) {
			b.gap(name, whatBoot, err)
		}
	}
	w.Configs = b.wirelessConfigs()
	return w
}

func (w *Wireless) hasInterface(name string) bool {
	for _, i := range w.Interfaces {
		if i.Name == name {
			return true
		}
	}
	return false
}

// ipLinkName returns the interface an `ip -o link` line is about
// ("3: wlp2s0: <BROADCAST,...> ..."), without an "@parent" suffix.
func ipLinkName(line string) string {
	_, rest, ok := strings.Cut(line, ": ")
	if !ok {
		return ""
	}
	name, _, ok := strings.Cut(rest, ":")
	if !ok {
		return ""
	}
	name, _, _ = strings.Cut(strings.TrimSpace(name), "@")
	return name
}

// wirelessName reports an interface name the kernel or udev gives
// wireless devices: wlan0, and the predictable wlp2s0, wlx..., wlo1.
func wirelessName(n string) bool { return strings.HasPrefix(n, "wl") }

// wirelessConfigs finds wireless network configurations. Their files hold
// the networks' keys: only the lines that name a wireless network are
// looked at, and no parse error is reported, since one could show a line.
func (b *builder) wirelessConfigs() []WirelessItem {
	var out []WirelessItem
	files := func(dir string) []string {
		ents, err := b.t.ReadDir(dir)
		if err != nil {
			if !isNotExist(err) {
				b.gap(dir, whatBoot, err)
			}
			return nil
		}
		var ps []string
		for _, e := range ents {
			if !e.IsDir() {
				ps = append(ps, path.Join(dir, e.Name()))
			}
		}
		return ps
	}
	for _, p := range files(nmConnectionsDir) {
		data := b.read(p, whatBoot, false)
		section := ""
		for i, l := range parse.SplitLines(data) {
			t := strings.TrimSpace(l)
			if strings.HasPrefix(t, "[") {
				section = strings.Trim(t, "[]")
				continue
			}
			if v, ok := strings.CutPrefix(t, "type="); ok && section == "connection" && (v == "wifi" || v == "802-11-wireless") {
				out = append(out, WirelessItem{Name: path.Base(p), What: "NetworkManager wifi connection", From: Source{File: p, Line: i + 1}})
			}
		}
	}
	wpa := files(wpaSupplicantDir)
	if b.t.Exists("/etc/wpa_supplicant.conf") {
		wpa = append(wpa, "/etc/wpa_supplicant.conf")
	}
	for _, p := range wpa {
		if !strings.HasSuffix(p, ".conf") {
			continue
		}
		for i, l := range parse.SplitLines(b.read(p, whatBoot, false)) {
			if t := strings.ReplaceAll(strings.TrimSpace(l), " ", ""); strings.HasPrefix(t, "network={") {
				out = append(out, WirelessItem{Name: path.Base(p), What: "wpa_supplicant network", From: Source{File: p, Line: i + 1}})
			}
		}
	}
	for _, p := range files(iwdDir) {
		switch path.Ext(p) {
		case ".psk", ".open", ".8021x":
			out = append(out, WirelessItem{Name: strings.TrimSuffix(path.Base(p), path.Ext(p)), What: "iwd network", From: Source{File: p}})
		}
	}
	ifaces := append([]string{ifupdownInterface}, files(ifupdownInterface+".d")...)
	for _, p := range ifaces {
		for i, l := range parse.SplitLines(b.read(p, whatBoot, false)) {
			f := parse.Fields(l)
			if len(f) == 0 {
				continue
			}
			switch f[0] {
			case "wpa-ssid", "wpa-conf", "wpa-roam", "wireless-essid":
				out = append(out, WirelessItem{Name: path.Base(p), What: "ifupdown wireless setting " + f[0], From: Source{File: p, Line: i + 1}})
			}
		}
	}
	return out
}
