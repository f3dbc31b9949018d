package host

import (
	"bytes"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"bastion/internal/parse/inittab"
	"bastion/internal/parse/noopts"
	"bastion/internal/parse/rcscript"
	"bastion/internal/parse/shellwords"
	"bastion/internal/parse/stanza"
	"bastion/internal/parse/sysctl"
	"bastion/internal/target"
)

// Files read for network options.
const (
	nextbootPath = "/etc/tunables/nextboot"
	rcNetPath    = "/etc/rc.net"
)

// SysctlKeys are the kernel parameters whose current value is read on a live
// Linux host: those the rules check. Values set at boot are read for every
// key the sysctl files name.
var SysctlKeys = []string{
	"net.ipv4.tcp_syncookies",
	"net.ipv4.conf.all.accept_redirects",
	"net.ipv4.conf.default.accept_redirects",
	"net.ipv4.conf.all.secure_redirects",
	"net.ipv4.conf.default.secure_redirects",
	"net.ipv4.conf.all.send_redirects",
	"net.ipv4.conf.default.send_redirects",
	"net.ipv4.conf.all.accept_source_route",
	"net.ipv4.conf.default.accept_source_route",
	"net.ipv4.conf.all.rp_filter",
	"net.ipv4.conf.default.rp_filter",
	"net.ipv4.conf.all.log_martians",
	"net.ipv4.conf.default.log_martians",
	"net.ipv6.conf.all.accept_redirects",
	"net.ipv6.conf.default.accept_redirects",
	"net.ipv6.conf.all.accept_source_route",
	"net.ipv6.conf.default.accept_source_route",
	"net.ipv4.icmp_echo_ignore_broadcasts",
	"net.ipv4.icmp_ignore_bogus_error_responses",
	"net.ipv4.ip_forward",
	"net.ipv6.conf.all.forwarding",
	"kernel.randomize_va_space",
	"kernel.kptr_restrict",
	"kernel.dmesg_restrict",
	"kernel.yama.ptrace_scope",
	"fs.suid_dumpable",
	"fs.protected_symlinks",
	"fs.protected_hardlinks",
}

// NetOptions are the network options of a host: on AIX the tunables of the
// no command, on Linux the sysctl parameters, each with its current value
// and the value the host sets at boot.
type NetOptions struct {
	// CurrentFrom says where current values came from ("captured
	// /var/lib/bastion/capture/no-a", "live /proc/sys"), or is empty when
	// none were available.
	CurrentFrom string `json:"current_from,omitempty"`
	// Options maps an option's name (an AIX tunable such as
	// "ipsendredirects", or a sysctl key in its dotted form) to what is
	// known of it.
	Options map[string]Option `json:"options"`
}

// Option is what is known of one network option.
type Option struct {
	Name string `json:"name"`
	// Current is the value in the running kernel, when CurrentKnown;
	// CurrentFrom names where it was read ("file:line" of a capture, or a
	// /proc/sys path).
	Current      string `json:"current,omitempty"`
	CurrentKnown bool   `json:"current_known"`
	CurrentFrom  string `json:"current_from,omitempty"`
	// Boot is the value the host sets at boot, when BootSet; BootFrom is
	// the line that sets it. An option with BootSet false gets the
	// kernel's default at boot. On AIX 5.2 and later Boot may be
	// "DEFAULT", as nextboot writes it.
	Boot     string `json:"boot,omitempty"`
	BootSet  bool   `json:"boot_set"`
	BootFrom Source `json:"boot_from,omitzero"`
	// BootSettings lists every line that sets the option at boot, in the
	// order the boot applies them. BootFrom is the one in force.
	BootSettings []BootSetting `json:"boot_settings,omitempty"`
}

// BootSetting is one line that sets an option at boot.
type BootSetting struct {
	Value string `json:"value"`
	From  Source `json:"from"`
}

// Get returns what is known of the option called name, and whether anything
// is: a current value or a value set at boot. Without either it returns an
// Option holding only the name.
func (n *NetOptions) Get(name string) (Option, bool) {
	if n != nil {
		if o, ok := n.Options[name]; ok {
			return o, true
		}
	}
	return Option{Name: name}, false
}

// Names returns the names of the options known, sorted.
func (n *NetOptions) Names() []string {
	if n == nil {
		return nil
	}
	return sortedKeys(n.Options)
}

// update changes the option called name through fn, creating it if needed.
func (n *NetOptions) update(name string, fn func(*Option)) {
	o, ok := n.Options[name]
	if !ok {
		o = Option{Name: name}
	}
	fn(&o)
	n.Options[name] = o
}

// setCurrent records the current value of an option.
func (n *NetOptions) setCurrent(name, value, from string) {
	n.update(name, func(o *Option) {
		o.Current, o.CurrentKnown, o.CurrentFrom = value, true, from
	})
}

// setBoot records a line that sets an option at boot. Lines must be given in
// the order the boot applies them: the last one given is in force.
func (n *NetOptions) setBoot(name, value string, from Source) {
	n.update(name, func(o *Option) {
		o.Boot, o.BootSet, o.BootFrom = value, true, from
		o.BootSettings = append(o.BootSettings, BootSetting{Value: value, From: from})
	})
}

const (
	whatNetOpts     = "network options"
	whatBootNetOpts = "network options set at boot"
)

// netOptions reads the network options: current values from captured no -a
// output (AIX) or /proc/sys (live Linux), unless opt.ConfigOnly, and the
// values set at boot from the files that set them.
func (b *builder) netOptions(opt Options) {
	n := &NetOptions{Options: map[string]Option{}}
	b.f.NetOptions = n
	if b.f.Platform.OS == target.AIX {
		if !opt.ConfigOnly {
			b.aixCurrentNo(n)
		}
		b.aixBootNo(n)
		return
	}
	if !opt.ConfigOnly {
		b.linuxCurrentSysctl(n)
	}
	b.linuxBootSysctl(n)
}

// aixCurrentNo reads every option of the captured no -a output. bastion runs
// no commands, so the live host is read from its capture directory too.
func (b *builder) aixCurrentNo(n *NetOptions) {
	name := target.CapturePath(target.CaptureNo)
	data, err := b.t.Capture(target.CaptureNo)
	if err != nil {
		if isNotExist(err) {
			b.t.AddGap(target.Gap{Path: name, What: whatNetOpts, Reason: "no captured no -a output"})
		} else {
			b.gap(name, whatNetOpts, err)
		}
		return
	}
	f, err := noopts.Parse(bytes.NewReader(data), name)
	b.parseGaps(err, whatNetOpts)
	if f == nil {
		return
	}
	for _, o := range f.Options {
		n.setCurrent(o.Name, o.Value, Source{File: name, Line: o.Line}.String())
	}
	n.CurrentFrom = "captured " + name
}

// aixBootNo reads the no settings applied at boot, in the order AIX applies
// them, the last one winning:
//
//  1. `no -o` lines of /etc/rc.net, which the configuration manager runs
//     while it configures the network;
//  2. the no stanza of /etc/tunables/nextboot, which tunrestore -R applies
//     (AIX 5.2 and later; the file does not exist before). IBM documents
//     that, outside compatibility mode, nextboot overrides no commands in
//     the scripts run while the system boots; that it comes after rc.net
//     but before the scripts of step 3 is this model's assumption;
//  3. `no -o` lines of the scripts /etc/inittab runs (rc.tcpip and any
//     script an administrator added, such as one made with
//     `mkitab -i brc no:2:once:...`), and `no` commands inittab runs itself,
//     in the order of their entries.
//
// Compatibility mode (the pre520tune attribute of sys0, kept in the ODM) is
// not read: nextboot is taken to apply on every level from 5.2 on.
func (b *builder) aixBootNo(n *NetOptions) {
	b.noScript(n, rcNetPath)
	if v := b.f.Platform.Version; !aixBefore(v, 5, 2) {
		// Before 5.2 there is no nextboot; from 5.2 on, and when the
		// level is unknown, its absence is a gap.
		if data := b.read(nextbootPath, whatBootNetOpts, true); data != nil {
			f, err := stanza.Parse(bytes.NewReader(data), nextbootPath)
			b.parseGaps(err, whatBootNetOpts)
			if f != nil {
				if s, ok := f.Stanza("no"); ok {
					seen := map[string]bool{}
					for _, a := range s.Attrs {
						// The first occurrence of a tunable wins.
						if !seen[a.Name] {
							seen[a.Name] = true
							n.setBoot(a.Name, a.Value, Source{File: nextbootPath, Line: a.Line})
						}
					}
				}
			}
		}
	}
	data := b.read(inittabPath, whatBootNetOpts, true)
	if data == nil {
		// Without inittab, rc.tcpip is still the likeliest place.
		b.noScript(n, rcTCPIPPath)
		return
	}
	f, err := inittab.Parse(bytes.NewReader(data), inittabPath)
	b.parseGaps(err, whatBootNetOpts)
	if f == nil {
		return
	}
	level := ""
	for _, e := range f.Entries {
		if e.Active() && e.Action == "initdefault" {
			level = e.RunLevels
			break
		}
	}
	done := map[string]bool{rcNetPath: true}
	for _, e := range f.Entries {
		if !runsAtBoot(e, level) {
			continue
		}
		argv := e.Argv()
		if len(argv) == 0 {
			continue
		}
		if path.Base(argv[0]) == "no" {
			for _, kv := range noSettings(argv[1:]) {
				n.setBoot(kv[0], kv[1], Source{File: inittabPath, Line: e.Line})
			}
			continue
		}
		script := scriptOf(argv)
		if script == "" || done[script] {
			continue
		}
		done[script] = true
		b.noScript(n, script)
	}
}

// bootActions are the inittab actions whose command init runs while the
// host comes up.
var bootActions = map[string]bool{
	"sysinit": true, "boot": true, "bootwait": true, "wait": true, "once": true, "respawn": true,
}

// runsAtBoot reports whether init runs an entry on its way to the default
// run level (empty when inittab names none).
func runsAtBoot(e inittab.Entry, level string) bool {
	if !e.Active() || !bootActions[e.Action] {
		return false
	}
	switch e.Action {
	case "sysinit", "boot", "bootwait":
		return true
	}
	return level == "" || e.RunLevels == "" || strings.ContainsAny(e.RunLevels, level)
}

// shells are the interpreters an inittab entry may run a script with.
var shells = map[string]bool{"sh": true, "bsh": true, "ksh": true, "ksh93": true, "bash": true}

// scriptOf returns the script an inittab command runs: the program itself,
// or the first operand of a shell ("/usr/bin/ksh /etc/netopts"). It returns
// "" for a shell given a command string and for a relative path.
func scriptOf(argv []string) string {
	prog := argv[0]
	if shells[path.Base(prog)] {
		prog = ""
		for _, a := range argv[1:] {
			if a == "-c" {
				return ""
			}
			if !strings.HasPrefix(a, "-") {
				prog = a
				break
			}
		}
	}
	if !strings.HasPrefix(prog, "/") {
		return ""
	}
	return prog
}

// noScript records the `no -o name=value` lines of a shell script, those
// that run no by its path (/usr/sbin/no) and those that run it by name.
// A missing script is not a gap (inittab may name one an offline copy
// lacks, and rc.net need not exist); neither is a program that is not a
// text file.
func (b *builder) noScript(n *NetOptions, name string) {
	data := b.read(name, whatBootNetOpts, false)
	if data == nil || bytes.IndexByte(data[:min(len(data), 4096)], 0) >= 0 || !noCommand.Match(data) {
		// Nothing to read, a program rather than a script, or a
		// script that runs no no command: its other lines are no
		// concern here, and their parse errors are no gap.
		return
	}
	f, err := rcscript.Parse(bytes.NewReader(data), name)
	b.parseGaps(err, whatBootNetOpts)
	if f == nil {
		return
	}
	type cmd struct {
		line int
		args []string
	}
	var cmds []cmd
	for _, c := range f.Commands {
		if !c.Commented && path.Base(c.Program) == "no" {
			cmds = append(cmds, cmd{c.Line, c.Argv[1:]})
		}
	}
	for i, l := range f.Lines {
		for _, args := range bareNo(l, f.Vars) {
			cmds = append(cmds, cmd{i + 1, args})
		}
	}
	sort.SliceStable(cmds, func(i, j int) bool { return cmds[i].line < cmds[j].line })
	for _, c := range cmds {
		for _, kv := range noSettings(c.args) {
			n.setBoot(kv[0], kv[1], Source{File: name, Line: c.line})
		}
	}
}

// noCommand finds the word "no" followed by an option, the sign of a script
// that may set network options.
var noCommand = regexp.MustCompile(`(^|[\s/;&|({])no[ \t]+-`)

// shellKeywords may come before a command on a line.
var shellKeywords = map[string]bool{
	"if": true, "then": true, "else": true, "elif": true, "do": true,
	"while": true, "until": true, "!": true, "{": true, "time": true,
}

// bareNo returns the arguments of each command on a script line that runs
// no by its name alone, as in `no -o ipforwarding=0`, with known variables
// expanded. Comment lines give nothing.
func bareNo(line string, vars map[string]string) [][]string {
	t := strings.TrimLeft(line, " \t")
	if t == "" || t[0] == '#' || !strings.Contains(t, "no") {
		return nil
	}
	toks, _ := shellwords.Tokens(t)
	var out [][]string
	var words []string
	skip := false
	flush := func() {
		for len(words) > 0 && shellKeywords[words[0]] {
			words = words[1:]
		}
		if len(words) > 0 && words[0] == "no" {
			args := make([]string, len(words)-1)
			for i, w := range words[1:] {
				args[i] = shellwords.Expand(w, vars)
			}
			out = append(out, args)
		}
		words = nil
	}
	for _, tk := range toks {
		switch tk.Kind {
		case shellwords.Word:
			if skip {
				skip = false
				continue
			}
			words = append(words, tk.Text)
		case shellwords.Redirect:
			skip = true
		case shellwords.Comment:
			flush()
			return out
		default:
			flush()
			skip = false
		}
	}
	flush()
	return out
}

// noSettings returns the name and value of each "-o name=value" of a no
// command's arguments: "-o a=1", "-oa=1", and "-p -o a=1" or "-po a=1"
// (set now and in nextboot), "-r -o a=1" (set in nextboot). An "-o name"
// without a value only shows the option and gives nothing.
func noSettings(args []string) [][2]string {
	var out [][2]string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if len(a) < 2 || a[0] != '-' || a[1] == '-' {
			continue
		}
		var v string
		switch j := strings.IndexByte(a, 'o'); {
		case j < 0 || strings.Trim(a[1:j], "prFKy") != "":
			continue
		case j < len(a)-1:
			v = a[j+1:]
		case i+1 < len(args):
			i++
			v = args[i]
		}
		if name, value, ok := strings.Cut(v, "="); ok && name != "" {
			out = append(out, [2]string{name, value})
		}
	}
	return out
}

// aixBefore reports whether the AIX level v ("4.3.3", "5.1", "7.2") is
// known and lower than major.minor.
func aixBefore(v string, major, minor int) bool {
	parts := strings.SplitN(v, ".", 3)
	if len(parts) < 2 {
		return false
	}
	ma, err1 := strconv.Atoi(parts[0])
	mi, err2 := strconv.Atoi(parts[1])
	if err1 != nil || err2 != nil {
		return false
	}
	return ma < major || ma == major && mi < minor
}

// linuxCurrentSysctl reads the current value of each of SysctlKeys from
// /proc/sys on the live host. A key the kernel lacks (IPv6 turned off, no
// Yama) stays unknown without a gap. An offline root has no current values:
// there is no capture of them, and CurrentKnown says so to each rule.
func (b *builder) linuxCurrentSysctl(n *NetOptions) {
	if !b.t.Live() {
		return
	}
	for _, key := range SysctlKeys {
		p := sysctl.ProcPath(key)
		data, err := b.t.ReadFile(p)
		if err != nil {
			if !isNotExist(err) {
				b.gap(p, whatNetOpts, err)
			}
			continue
		}
		n.setCurrent(key, strings.Join(strings.Fields(string(data)), " "), p)
	}
	n.CurrentFrom = "live /proc/sys"
}

// linuxBootSysctl reads the sysctl files in the order they are applied at
// boot (see sysctl.Order) and records, for each of SysctlKeys and each key
// a file names, the value in force and every line that sets it.
func (b *builder) linuxBootSysctl(n *NetOptions) {
	listings := map[string][]string{}
	for _, dir := range sysctl.Dirs {
		ents, err := b.t.ReadDir(dir)
		if err != nil {
			if !isNotExist(err) {
				b.gap(dir, whatBootNetOpts, err)
			}
			continue
		}
		for _, e := range ents {
			if !e.IsDir() {
				listings[dir] = append(listings[dir], e.Name())
			}
		}
	}
	var files []*sysctl.File
	for _, name := range sysctl.Order(listings) {
		if name != sysctl.Conf {
			// A link to /dev/null masks a file of the same name; a
			// link to /etc/sysctl.conf (Debian's 99-sysctl.conf)
			// repeats the file applied last anyway.
			if p, _ := b.t.Resolve(name); p == "/dev/null" || p == sysctl.Conf {
				continue
			}
		}
		data := b.read(name, whatBootNetOpts, false)
		if data == nil {
			continue
		}
		f, err := sysctl.Parse(bytes.NewReader(data), name)
		b.parseGaps(err, whatBootNetOpts)
		if f != nil {
			files = append(files, f)
		}
	}
	keys := map[string]bool{}
	for _, k := range SysctlKeys {
		keys[k] = true
	}
	excluded := map[string]bool{}
	for _, f := range files {
		for _, s := range f.Settings {
			if s.Exclude {
				excluded[s.Key] = true
			} else if !sysctl.IsGlob(s.Key) {
				keys[s.Key] = true
			}
		}
	}
	for _, key := range sortedKeys(keys) {
		win, ok := sysctl.Resolve(key, files...)
		if !ok {
			continue
		}
		var all []BootSetting
		for _, f := range files {
			for _, s := range f.Settings {
				if !s.Exclude && (s.Key == key || !excluded[key] && sysctl.Match(s.Key, key)) {
					all = append(all, BootSetting{Value: s.Value, From: Source{File: s.File, Line: s.Line}})
				}
			}
		}
		n.update(key, func(o *Option) {
			o.Boot, o.BootSet, o.BootFrom = win.Value, true, Source{File: win.File, Line: win.Line}
			o.BootSettings = all
		})
	}
}
