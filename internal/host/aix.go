package host

import (
	"bytes"
	"path"
	"strings"

	"bastion/internal/knowledge"
	"bastion/internal/parse/inittab"
	"bastion/internal/parse/rcscript"
)

// Files read on AIX.
const (
	inittabPath = "/etc/inittab"
	rcTCPIPPath = "/etc/rc.tcpip"
	rcNFSPath   = "/etc/rc.nfs"
)

// notScripts are inittab commands that run rc-style scripts bastion does not
// read for start lines: the boot phases and the run-level dispatcher.
var notScripts = map[string]bool{"/etc/rc": true, "/sbin/rc.boot": true, "/etc/rc.d/rc": true}

// aix reads /etc/inittab and the rc scripts it runs.
func (b *builder) aix() {
	data := b.read(inittabPath, "services started from /etc/inittab", true)
	scripts := map[string]Start{} // script path -> the inittab start that runs it
	if data != nil {
		f, err := inittab.Parse(bytes.NewReader(data), inittabPath)
		b.parseGaps(err, "services started from /etc/inittab")
		if f != nil {
			for _, e := range f.Entries {
				b.inittabEntry(e, f.Lines[e.Line-1], scripts)
			}
		}
	}
	// rc.tcpip and rc.nfs are read even when inittab does not run them, so a
	// disabled script's daemons still show, as disabled.
	for _, p := range []string{rcTCPIPPath, rcNFSPath} {
		if _, ok := scripts[p]; !ok {
			scripts[p] = Start{Enabled: false, Why: "no active /etc/inittab entry runs " + p}
		}
	}
	for _, p := range sortedKeys(scripts) {
		b.rcScript(p, scripts[p])
	}
}

// inittabEntry turns one inittab entry into Starts.
func (b *builder) inittabEntry(e inittab.Entry, text string, scripts map[string]Start) {
	argv := e.Argv()
	if len(argv) == 0 {
		return
	}
	s := Start{
		Kind:    KindInittab,
		Source:  Source{File: inittabPath, Line: e.Line},
		ID:      e.ID,
		Program: argv[0],
		Args:    argv[1:],
		Enabled: e.Active(),
		Text:    text,
	}
	switch {
	case e.Disabled:
		s.Why = "commented out with a leading ':'"
	case e.Action == "off":
		s.Why = "action is off"
	}
	if e.HashPrefixed {
		s.Note = "a leading '#' does not disable an inittab entry; init runs it under the identifier " + e.ID
	}
	if path.Base(argv[0]) == "startsrc" {
		if sub, group := srcTarget(argv[1:]); sub != "" {
			s.ID = e.ID
			s.Note = joinNote(s.Note, "started through SRC: startsrc -s "+sub)
			if d, ok := knowledge.Subsystem(sub); ok {
				s.Program = d.Program("")
			} else {
				s.Program = sub
			}
			s.Args = nil
		} else if group != "" {
			s.Note = joinNote(s.Note, "starts the SRC group "+group)
		}
	}
	prog := s.Program
	if strings.HasPrefix(prog, "/etc/rc.") && !notScripts[prog] {
		if d, ok := knowledge.Lookup(prog); ok && len(d.Spawns) > 0 {
			b.add(s)
			for _, child := range d.Spawns {
				c := s
				c.Program, c.Args, c.Via = child, nil, prog
				b.add(c)
			}
			return
		}
		if prev, ok := scripts[prog]; !ok || !prev.Enabled {
			scripts[prog] = s
		}
	}
	b.add(s)
}

// srcTarget returns the subsystem or group a startsrc command line names:
// "-s name", "-sname", "-g group".
func srcTarget(args []string) (sub, group string) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "-s" && i+1 < len(args):
			return args[i+1], ""
		case strings.HasPrefix(a, "-s") && len(a) > 2:
			return a[2:], ""
		case a == "-g" && i+1 < len(args):
			return "", args[i+1]
		case strings.HasPrefix(a, "-g") && len(a) > 2:
			return "", a[2:]
		}
	}
	return "", ""
}

// rcScript reads the start lines of an rc script run by the inittab entry
// parent.
func (b *builder) rcScript(p string, parent Start) {
	data := b.read(p, "daemons started from "+p, p == rcTCPIPPath)
	if data == nil {
		return
	}
	f, err := rcscript.Parse(bytes.NewReader(data), p)
	b.parseGaps(err, "daemons started from "+p)
	if f == nil {
		return
	}
	var starts []rcscript.Start
	for _, st := range f.Starts {
		if st.Subsystem == "" && st.Group != "" {
			// startsrc -g GROUP: one start per member subsystem.
			for _, sub := range knowledge.Group(st.Group) {
				m := st
				m.Subsystem, m.Group = sub, ""
				starts = append(starts, m)
			}
			continue
		}
		starts = append(starts, st)
	}
	for _, st := range starts {
		prog := st.Program
		if prog == "" {
			if d, ok := knowledge.Subsystem(st.Subsystem); ok {
				prog = d.Program("")
			} else {
				prog = st.Subsystem
			}
		}
		s := Start{
			Kind:    KindRC,
			Source:  Source{File: p, Line: st.Line},
			ID:      st.Subsystem,
			Program: prog,
			Args:    st.Argv,
			Enabled: !st.Commented && parent.Enabled,
			Text:    f.Lines[st.Line-1],
		}
		switch {
		case st.Commented:
			s.Why = "commented out"
		case !parent.Enabled:
			s.Why = scriptOff(p, parent)
		}
		b.add(s)
	}
	for _, c := range f.Commands {
		if len(c.Argv) == 0 {
			continue
		}
		if _, ok := knowledge.Lookup(c.Program); !ok {
			continue
		}
		s := Start{
			Kind:    KindRC,
			Source:  Source{File: p, Line: c.Line},
			ID:      path.Base(c.Program),
			Program: c.Program,
			Args:    c.Argv[1:],
			Enabled: !c.Commented && parent.Enabled,
			Text:    f.Lines[c.Line-1],
		}
		if c.Commented {
			s.Why = "commented out"
		} else if !parent.Enabled {
			s.Why = scriptOff(p, parent)
		}
		b.add(s)
	}
}

func joinNote(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}

// scriptOff says why the lines of script p do not run: the inittab entry
// that runs it is disabled, or nothing runs it.
func scriptOff(p string, parent Start) string {
	if parent.Source.File == "" {
		return parent.Why
	}
	return "the /etc/inittab entry " + parent.ID + " that runs " + p + " is disabled"
}
