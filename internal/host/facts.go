// Package host builds the Facts: the typed model of a host that the rest of
// bastion reads. It reads files through a target.Target, hands them to the
// parsers, and records what it could not see as coverage gaps. Nothing after
// this package opens a file.
package host

import (
	"bastion/internal/binsec"
	"fmt"
	"path"
	"strconv"

	"bastion/internal/parse"
	"bastion/internal/parse/idfile"
	"bastion/internal/parse/netdb"
	"bastion/internal/target"
)

// Kind says which start-up mechanism a Start comes from.
type Kind string

// The start-up mechanisms bastion reads.
const (
	KindInittab Kind = "inittab" // /etc/inittab entry
	KindRC      Kind = "rc"      // a line of an rc script (/etc/rc.tcpip, /etc/rc.nfs)
	KindInetd   Kind = "inetd"   // an /etc/inetd.conf line
	KindXinetd  Kind = "xinetd"  // an xinetd service block
	KindSystemd Kind = "systemd" // a systemd service or socket unit
	KindSysV    Kind = "sysv"    // a SysV init script linked into a run level
)

// Source is where a Start is written: a file and line, and for systemd the
// unit name.
type Source struct {
	File string `json:"file"`
	Line int    `json:"line,omitempty"`
	Unit string `json:"unit,omitempty"`
}

// String renders the source as "file:line", or "unit (file)" for units.
func (s Source) String() string {
	switch {
	case s.Unit != "" && s.Line > 0:
		return fmt.Sprintf("%s (%s:%d)", s.Unit, s.File, s.Line)
	case s.Unit != "":
		return fmt.Sprintf("%s (%s)", s.Unit, s.File)
	case s.Line > 0:
		return s.File + ":" + strconv.Itoa(s.Line)
	}
	return s.File
}

// RPCProgram is an ONC RPC program a start registers with the portmapper.
type RPCProgram struct {
	Number   int    `json:"number"`
	Versions string `json:"versions,omitempty"`
	Name     string `json:"name,omitempty"`
}

// Start is one place that starts, or would start, a program: an inittab
// entry, an rc script line, an inetd.conf line, an xinetd service, a systemd
// unit, a SysV link. Disabled ones are kept, with the reason, because an
// administrator wants to see them too.
type Start struct {
	Kind   Kind
	Source Source
	// ID names the entry in its own terms: inittab identifier, inetd service
	// name, unit name, init script name, SRC subsystem.
	ID string
	// Program is the program as written; Resolved is where it leads inside
	// the target once symbolic links are followed.
	Program  string
	Resolved string
	Args     []string
	// Enabled reports whether it starts at boot; Why says why not.
	Enabled bool
	Why     string

	// Service, Proto, Port, Address and IPv6 are set where the start itself
	// says where it listens (inetd and xinetd lines, systemd sockets). Port
	// 0 with Service set means "look Service up in /etc/services".
	Service string
	Proto   string
	Port    int
	Address string
	IPv6    bool
	// RPC is set for RPC services started by a super-server.
	RPC *RPCProgram
	// Holder is the program that holds the listening socket when it is not
	// Program itself (inetd for its services, systemd for socket units).
	Holder string
	// Via is the script that spawns Program, for programs started by a
	// script bastion knows (the CDE start-up script).
	Via string
	// Requires names the super-server that must run for this start to
	// listen ("inetd", "xinetd"); RequiresOK reports whether something
	// starts it.
	Requires   string
	RequiresOK bool
	// Note is anything else worth saying ("started through SRC on demand").
	Note string

	// Text is the original text of the source line, so that a fix can tell
	// whether the file changed since it was read.
	Text string
	// AltLine and AltText are a second line a fix needs: for xinetd the
	// service's "disable" line, or the line that opens its block.
	AltLine int
	AltText string
	// EnabledBy is the link that enables a systemd unit or SysV script.
	EnabledBy string
}

// Name returns the program's base name.
func (s Start) Name() string { return path.Base(s.Program) }

// Socket is a listening socket seen on the host, live or in captured output.
type Socket struct {
	Proto   string   `json:"proto"` // tcp or udp
	Address string   `json:"address"`
	Port    int      `json:"port"`
	IPv6    bool     `json:"ipv6,omitempty"`
	PID     int      `json:"pid,omitempty"`
	Command string   `json:"command,omitempty"` // process name
	Exe     string   `json:"exe,omitempty"`
	Cmdline []string `json:"cmdline,omitempty"`

	inode uint64 // socket inode, while the owner is looked up
}

// RPCPort is a registration seen in rpcinfo -p output.
type RPCPort struct {
	Program int
	Version int
	Proto   string
	Port    int
	Service string
}

// Facts is the model of one host.
type Facts struct {
	Platform target.Platform
	Starts   []Start
	// Sockets are the listening sockets; Observed reports whether any
	// socket state was available at all, and ObservedFrom says where from.
	Sockets      []Socket
	Observed     bool
	ObservedFrom string
	RPCPorts     []RPCPort
	Services     *netdb.Services
	RPCNames     *netdb.RPC
	// Owners maps a program path to the package or fileset that installed it.
	Owners map[string]string
	// PortDirectives holds ports set in a daemon's own configuration,
	// keyed by program path.
	PortDirectives map[string]int
	// NetOptions are the network options (AIX no, Linux sysctl): current
	// values and what persists across a reboot. See netopts.go.
	NetOptions *NetOptions
	// Syslog is the system logging set-up. See syslog.go.
	Syslog *Syslog
	// Mail, FTP, SNMP and Cron are those services' configurations. See
	// mail.go, ftp.go, snmp.go and cron.go.
	Mail *Mail
	FTP  *FTP
	SNMP *SNMP
	Cron *Cron
	// Accounts are the accounts, their passwords and the password
	// settings; Remote the r-services' trust files and root's terminals;
	// SSH the OpenSSH server's configuration.
	Accounts *Accounts
	Remote   *Remote
	SSH      *SSH
	// Patches are pending updates and required fixes; Memory the
	// kernel's memory protections; Boot the boot loader, single-user mode
	// and console; Integrity the integrity checkers, backups and log
	// rotation. See patches.go, memory.go, boot.go and integrity.go.
	Patches *Patches
	// Firewall is the packet filter and TCP wrappers; Binaries the
	// protections of the executables of listening daemons, by path.
	Firewall  *Firewall
	Binaries  map[string]*binsec.Report
	Memory    *Memory
	Boot      *Boot
	Integrity *Integrity
	// Live reports that the facts are of the running host, not an
	// offline root.
	Live bool
	Gaps []target.Gap
}

// Options choose what Build reads.
type Options struct {
	// ConfigOnly leaves out live and captured state: the result predicts
	// from configuration alone.
	ConfigOnly bool
	// ServicesOnly reads only what the services table needs: the starts,
	// the sockets, the package owners, the packet filter and the
	// executables, not the models of the audit's topics.
	ServicesOnly bool
}

// Build reads the target and returns its Facts. Files that cannot be read
// or parsed become gaps; only a failure to read the target at all is an
// error.
func Build(t *target.Target, opt Options) (*Facts, error) {
	f := &Facts{Owners: map[string]string{}, PortDirectives: map[string]int{}}
	f.Platform = target.Detect(t)
	f.Live = t.Live()
	b := &builder{t: t, f: f}
	// Pending updates (a scan of the package lists, the slowest read by
	// far) need nothing else: start them first.
	patched := make(chan struct{})
	go func() {
		defer close(patched)
		if !opt.ServicesOnly {
			b.patches()
		}
	}()
	// Observed state and configuration are independent: read them at once.
	done := make(chan struct{})
	go func() {
		defer close(done)
		if !opt.ConfigOnly {
			b.sockets()
		}
	}()
	b.netdb()
	if f.Platform.OS == target.AIX {
		b.aix()
	} else {
		b.linux()
	}
	b.inetd()
	b.xinetd()
	b.resolvePrograms()
	b.superServers()
	b.portDirectives()
	<-done
	// Package owners (a scan of the package database) need the starts and
	// sockets; the topic models do not need the owners: both at once. The
	// packet filter (commands on a live host) and the executables'
	// protections need only the starts and sockets too.
	owned := make(chan struct{})
	go func() {
		defer close(owned)
		b.owners()
	}()
	filtered := make(chan struct{})
	go func() {
		defer close(filtered)
		if !opt.ConfigOnly {
			b.firewall()
		} else {
			b.f.Firewall = &Firewall{}
		}
		b.binaries()
	}()
	if !opt.ServicesOnly {
		b.netOptions(opt)
		b.syslog()
		b.mail()
		b.ftp()
		b.snmp()
		b.cron()
		b.accounts()
		b.remote()
		b.ssh()
		b.memory()
		b.boot()
		b.integrity()
	}
	<-owned
	<-filtered
	<-patched
	f.Gaps = t.Gaps()
	return f, nil
}

// builder carries the target while Facts are built.
type builder struct {
	t *target.Target
	f *Facts
	// groups is the target's /etc/group, read once when needed.
	groups *idfile.File
	// scan names the owners and groups of files, made once when needed
	// (see fileScan).
	scan *fileScan
}

// read returns a file's bytes, or records a gap and returns nil. Missing
// files are gaps only when required is set.
func (b *builder) read(name, what string, required bool) []byte {
	data, err := b.t.ReadFile(name)
	if err != nil {
		if required || !target.IsNotExist(err) {
			b.t.AddGap(target.Gap{Path: name, What: what, Reason: target.Reason(err)})
		}
		return nil
	}
	return data
}

// parseGaps records every line error of a parse as a gap.
func (b *builder) parseGaps(err error, what string) {
	for _, pe := range parse.List(err) {
		b.t.AddGap(target.Gap{Path: pe.File, Line: pe.Line, What: what, Reason: pe.Err.Error()})
	}
}

func (b *builder) add(s Start) { b.f.Starts = append(b.f.Starts, s) }

func isNotExist(err error) bool { return target.IsNotExist(err) }

// gap records that what could not be checked because p could not be read.
func (b *builder) gap(p, what string, err error) {
	b.t.AddGap(target.Gap{Path: p, What: what, Reason: target.Reason(err)})
}

func gapAt(file string, line int, what string, err error) target.Gap {
	return target.Gap{Path: file, Line: line, What: what, Reason: err.Error()}
}
