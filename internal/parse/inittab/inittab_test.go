package inittab

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"

	"bastion/internal/parse"
)

// aix433 is the network-related part of a default AIX 4.3.3 inittab, with
// the header comments AIX writes and a few entries an administrator
// changed.
const aix433 = `: @(#)49 1.28 src/bos/etc/inittab/inittab, cmdoper, bos433
:
: COMPONENT_NAME: CMDOPER
:
: Note - initdefault and sysinit should be the first and second entry.
:
init:2:initdefault:
brc::sysinit:/sbin/rc.boot 3 >/dev/console 2>&1 # Phase 3 of system boot
powerfail::powerfail:/etc/rc.powerfail 2>&1 | alog -tboot > /dev/console # Power Failure Detection
rc:2:wait:/etc/rc 2>&1 | alog -tboot > /dev/console # Multi-User checks
srcmstr:2:respawn:/usr/sbin/srcmstr # System Resource Controller
rcnetw:2:wait:/etc/rc.netware #start Netware
cnsview:2:wait:/usr/bin/cnsview -c "daemon start" >/dev/console 2>&1 # Start cnsview daemon
rctcpip:2:wait:/etc/rc.tcpip > /dev/console 2>&1 # Start TCP/IP daemons
rcnfs:2:wait:/etc/rc.nfs > /dev/console 2>&1 # Start NFS Daemons
piobe:2:wait:/usr/lib/lpd/pio/etc/pioinit >/dev/null 2>&1  # pb cleanup
qdaemon:2:wait:/usr/bin/startsrc -sqdaemon
writesrv:2:off:/usr/bin/startsrc -swritesrv
:httpdlite:2:once:/usr/IMNSearch/httpdlite/httpdlite -r /etc/IMNSearch/httpdlite/httpdlite.conf & >/dev/console 2>&1
#imnss:2:once:/usr/IMNSearch/bin/imnss -start imnhelp >/dev/console 2>&1
cons:0123456789:respawn:/usr/sbin/getty /dev/console
l2:2:wait:/etc/rc.d/rc 2
`

func TestParseAIX(t *testing.T) {
	f, err := Parse(strings.NewReader(aix433), "inittab")
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	want := []Entry{
		{Line: 7, EndLine: 7, ID: "init", RunLevels: "2", Action: "initdefault"},
		{Line: 8, EndLine: 8, ID: "brc", Action: "sysinit", Command: "/sbin/rc.boot 3 >/dev/console 2>&1 # Phase 3 of system boot"},
		{Line: 9, EndLine: 9, ID: "powerfail", Action: "powerfail", Command: "/etc/rc.powerfail 2>&1 | alog -tboot > /dev/console # Power Failure Detection"},
		{Line: 10, EndLine: 10, ID: "rc", RunLevels: "2", Action: "wait", Command: "/etc/rc 2>&1 | alog -tboot > /dev/console # Multi-User checks"},
		{Line: 11, EndLine: 11, ID: "srcmstr", RunLevels: "2", Action: "respawn", Command: "/usr/sbin/srcmstr # System Resource Controller"},
		{Line: 12, EndLine: 12, ID: "rcnetw", RunLevels: "2", Action: "wait", Command: "/etc/rc.netware #start Netware"},
		{Line: 13, EndLine: 13, ID: "cnsview", RunLevels: "2", Action: "wait", Command: `/usr/bin/cnsview -c "daemon start" >/dev/console 2>&1 # Start cnsview daemon`},
		{Line: 14, EndLine: 14, ID: "rctcpip", RunLevels: "2", Action: "wait", Command: "/etc/rc.tcpip > /dev/console 2>&1 # Start TCP/IP daemons"},
		{Line: 15, EndLine: 15, ID: "rcnfs", RunLevels: "2", Action: "wait", Command: "/etc/rc.nfs > /dev/console 2>&1 # Start NFS Daemons"},
		{Line: 16, EndLine: 16, ID: "piobe", RunLevels: "2", Action: "wait", Command: "/usr/lib/lpd/pio/etc/pioinit >/dev/null 2>&1  # pb cleanup"},
		{Line: 17, EndLine: 17, ID: "qdaemon", RunLevels: "2", Action: "wait", Command: "/usr/bin/startsrc -sqdaemon"},
		{Line: 18, EndLine: 18, ID: "writesrv", RunLevels: "2", Action: "off", Command: "/usr/bin/startsrc -swritesrv"},
		{Line: 19, EndLine: 19, ID: "httpdlite", RunLevels: "2", Action: "once", Disabled: true,
			Command: "/usr/IMNSearch/httpdlite/httpdlite -r /etc/IMNSearch/httpdlite/httpdlite.conf & >/dev/console 2>&1"},
		{Line: 20, EndLine: 20, ID: "#imnss", RunLevels: "2", Action: "once", HashPrefixed: true,
			Command: "/usr/IMNSearch/bin/imnss -start imnhelp >/dev/console 2>&1"},
		{Line: 21, EndLine: 21, ID: "cons", RunLevels: "0123456789", Action: "respawn", Command: "/usr/sbin/getty /dev/console"},
		{Line: 22, EndLine: 22, ID: "l2", RunLevels: "2", Action: "wait", Command: "/etc/rc.d/rc 2"},
	}
	if diff := cmp.Diff(want, f.Entries); diff != "" {
		t.Errorf("entries (-want +got):\n%s", diff)
	}
	if f.Name != "inittab" || len(f.Lines) != 22 {
		t.Errorf("Name %q, %d lines; want inittab, 22", f.Name, len(f.Lines))
	}
	if got := string(f.Bytes()); got != aix433 {
		t.Errorf("Bytes() differs from the input:\n%s", got)
	}

	active := map[string]bool{}
	for _, e := range f.Entries {
		active[e.ID] = e.Active()
	}
	wantActive := map[string]bool{
		"init": true, "brc": true, "powerfail": true, "rc": true, "srcmstr": true, "rcnetw": true,
		"cnsview": true, "rctcpip": true, "rcnfs": true, "piobe": true, "qdaemon": true,
		"writesrv": false, "httpdlite": false, "#imnss": true, "cons": true, "l2": true,
	}
	if diff := cmp.Diff(wantActive, active); diff != "" {
		t.Errorf("Active (-want +got):\n%s", diff)
	}
}

func TestEntryArgvComment(t *testing.T) {
	tests := []struct {
		command string
		argv    []string
		comment string
	}{
		{"/usr/IMNSearch/httpdlite/httpdlite -r /etc/IMNSearch/httpdlite/httpdlite.conf & >/dev/console 2>&1",
			[]string{"/usr/IMNSearch/httpdlite/httpdlite", "-r", "/etc/IMNSearch/httpdlite/httpdlite.conf"}, ""},
		{"/etc/rc.tcpip > /dev/console 2>&1 # Start TCP/IP daemons", []string{"/etc/rc.tcpip"}, "Start TCP/IP daemons"},
		{"/etc/rc.netware #start Netware", []string{"/etc/rc.netware"}, "start Netware"},
		{`/usr/bin/cnsview -c "daemon start" >/dev/console 2>&1 # Start cnsview daemon`,
			[]string{"/usr/bin/cnsview", "-c", "daemon start"}, "Start cnsview daemon"},
		{"/usr/bin/startsrc -sqdaemon", []string{"/usr/bin/startsrc", "-sqdaemon"}, ""},
		{"/sbin/rc.boot 3 >/dev/console 2>&1 # Phase 3 of system boot", []string{"/sbin/rc.boot", "3"}, "Phase 3 of system boot"},
		{"", nil, ""},
	}
	for _, tt := range tests {
		e := Entry{Command: tt.command}
		if diff := cmp.Diff(tt.argv, e.Argv()); diff != "" {
			t.Errorf("Argv of %q (-want +got):\n%s", tt.command, diff)
		}
		if got := e.Comment(); got != tt.comment {
			t.Errorf("Comment of %q = %q, want %q", tt.command, got, tt.comment)
		}
	}
}

func TestParseForms(t *testing.T) {
	tests := []struct {
		name  string
		input string
		want  []Entry
	}{
		{
			name:  "AIX 5.3 run levels",
			input: "rctcpip:23456789:wait:/etc/rc.tcpip > /dev/console 2>&1 # Start TCP/IP daemons\n",
			want:  []Entry{{Line: 1, EndLine: 1, ID: "rctcpip", RunLevels: "23456789", Action: "wait", Command: "/etc/rc.tcpip > /dev/console 2>&1 # Start TCP/IP daemons"}},
		},
		{
			name:  "command with colons",
			input: "xcatd:2:once:/opt/xcat/sbin/xcatd -p host:3001 # a:b\n",
			want:  []Entry{{Line: 1, EndLine: 1, ID: "xcatd", RunLevels: "2", Action: "once", Command: "/opt/xcat/sbin/xcatd -p host:3001 # a:b"}},
		},
		{
			name:  "CRLF, tabs and trailing blanks",
			input: "audit:2:boot:audit start > /dev/console 2>&1 # Start audit \t\r\n\t\r\nsrcmstr :2 : respawn\t:/usr/sbin/srcmstr\r\n",
			want: []Entry{
				{Line: 1, EndLine: 1, ID: "audit", RunLevels: "2", Action: "boot", Command: "audit start > /dev/console 2>&1 # Start audit"},
				{Line: 3, EndLine: 3, ID: "srcmstr", RunLevels: "2", Action: "respawn", Command: "/usr/sbin/srcmstr"},
			},
		},
		{
			name:  "continuation",
			input: "tsm:2:once:/usr/tivoli/tsm/client/ba/bin/dsmcad \\\n  -optfile=/etc/dsm.opt \\\n  >/dev/null 2>&1\nl2:2:wait:/etc/rc.d/rc 2\n",
			want: []Entry{
				{Line: 1, EndLine: 3, ID: "tsm", RunLevels: "2", Action: "once", Command: "/usr/tivoli/tsm/client/ba/bin/dsmcad   -optfile=/etc/dsm.opt   >/dev/null 2>&1"},
				{Line: 4, EndLine: 4, ID: "l2", RunLevels: "2", Action: "wait", Command: "/etc/rc.d/rc 2"},
			},
		},
		{
			name:  "continuation at end of file",
			input: "l2:2:wait:/etc/rc.d/rc 2 \\",
			want:  []Entry{{Line: 1, EndLine: 1, ID: "l2", RunLevels: "2", Action: "wait", Command: `/etc/rc.d/rc 2 \`}},
		},
		{
			name:  "disabled with colon and action off",
			input: ":dt:2:wait:/etc/rc.dt\nxmlcd:2:off:/usr/sbin/xmlcd\n: dt is CDE\n:\n",
			want: []Entry{
				{Line: 1, EndLine: 1, ID: "dt", RunLevels: "2", Action: "wait", Command: "/etc/rc.dt", Disabled: true},
				{Line: 2, EndLine: 2, ID: "xmlcd", RunLevels: "2", Action: "off", Command: "/usr/sbin/xmlcd"},
			},
		},
		{
			name:  "disabled entry does not clash with the active one",
			input: ":rcnfs:2:wait:/etc/rc.nfs.old\nrcnfs:2:wait:/etc/rc.nfs > /dev/console 2>&1\n",
			want: []Entry{
				{Line: 1, EndLine: 1, ID: "rcnfs", RunLevels: "2", Action: "wait", Command: "/etc/rc.nfs.old", Disabled: true},
				{Line: 2, EndLine: 2, ID: "rcnfs", RunLevels: "2", Action: "wait", Command: "/etc/rc.nfs > /dev/console 2>&1"},
			},
		},
		{
			name:  "comment text that is not an entry",
			input: ": Licensed Materials - Property of IBM: see: the notice\n:a:b:c:d\n",
			want:  nil,
		},
		{
			name:  "ondemand levels",
			input: "od:abc:ondemand:/usr/local/bin/od\nss:sS:wait:/sbin/single\nhd:2:hold:/usr/sbin/hd\n",
			want: []Entry{
				{Line: 1, EndLine: 1, ID: "od", RunLevels: "abc", Action: "ondemand", Command: "/usr/local/bin/od"},
				{Line: 2, EndLine: 2, ID: "ss", RunLevels: "sS", Action: "wait", Command: "/sbin/single"},
				{Line: 3, EndLine: 3, ID: "hd", RunLevels: "2", Action: "hold", Command: "/usr/sbin/hd"},
			},
		},
		{
			name:  "fourteen character identifier",
			input: "abcdefghijklmn:2:once:/bin/true\n",
			want:  []Entry{{Line: 1, EndLine: 1, ID: "abcdefghijklmn", RunLevels: "2", Action: "once", Command: "/bin/true"}},
		},
		{
			name:  "empty file",
			input: "",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse(strings.NewReader(tt.input), "inittab")
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if diff := cmp.Diff(tt.want, f.Entries); diff != "" {
				t.Errorf("entries (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseLinux(t *testing.T) {
	const input = `# /etc/inittab: init(8) configuration.
# The default runlevel.
id:2:initdefault:

# Boot-time system configuration/initialization script.
si::sysinit:/etc/init.d/rcS

~~:S:wait:/sbin/sulogin --force-sulogin
l2:2:wait:/etc/init.d/rc 2
ca:12345:ctrlaltdel:/sbin/shutdown -t1 -a -r now
kb::kbrequest:/bin/echo "Keyboard Request--edit /etc/inittab to let this work."
pf::powerwait:/etc/init.d/powerfail start
pn::powerfailnow:/etc/init.d/powerfail now
po::powerokwait:/etc/init.d/powerfail stop
1:2345:respawn:/sbin/getty --noclear 38400 tty1
  #2:23:respawn:/sbin/getty 38400 tty2
#T0:23:respawn:/sbin/getty -L ttyS0 9600 vt100
T1:AB:ondemand:/sbin/getty -L ttyS1 9600 vt100
`
	f, err := ParseLinux(strings.NewReader(input), "inittab")
	if err != nil {
		t.Fatalf("ParseLinux: %v", err)
	}
	want := []Entry{
		{Line: 3, EndLine: 3, ID: "id", RunLevels: "2", Action: "initdefault"},
		{Line: 6, EndLine: 6, ID: "si", Action: "sysinit", Command: "/etc/init.d/rcS"},
		{Line: 8, EndLine: 8, ID: "~~", RunLevels: "S", Action: "wait", Command: "/sbin/sulogin --force-sulogin"},
		{Line: 9, EndLine: 9, ID: "l2", RunLevels: "2", Action: "wait", Command: "/etc/init.d/rc 2"},
		{Line: 10, EndLine: 10, ID: "ca", RunLevels: "12345", Action: "ctrlaltdel", Command: "/sbin/shutdown -t1 -a -r now"},
		{Line: 11, EndLine: 11, ID: "kb", Action: "kbrequest", Command: `/bin/echo "Keyboard Request--edit /etc/inittab to let this work."`},
		{Line: 12, EndLine: 12, ID: "pf", Action: "powerwait", Command: "/etc/init.d/powerfail start"},
		{Line: 13, EndLine: 13, ID: "pn", Action: "powerfailnow", Command: "/etc/init.d/powerfail now"},
		{Line: 14, EndLine: 14, ID: "po", Action: "powerokwait", Command: "/etc/init.d/powerfail stop"},
		{Line: 15, EndLine: 15, ID: "1", RunLevels: "2345", Action: "respawn", Command: "/sbin/getty --noclear 38400 tty1"},
		{Line: 18, EndLine: 18, ID: "T1", RunLevels: "AB", Action: "ondemand", Command: "/sbin/getty -L ttyS1 9600 vt100"},
	}
	if diff := cmp.Diff(want, f.Entries); diff != "" {
		t.Errorf("entries (-want +got):\n%s", diff)
	}
	if e, ok := f.Lookup("1"); !ok || e.Line != 15 {
		t.Errorf("Lookup(1) = %+v, %v", e, ok)
	}
	if got := string(f.Bytes()); got != input {
		t.Errorf("Bytes() differs from the input")
	}
}

func TestLinuxDiffers(t *testing.T) {
	// Lines that one dialect accepts and the other rejects.
	tests := []struct {
		input        string
		aixErr       string
		linuxErr     string
		aixEntries   int
		linuxEntries int
	}{
		{"ca::ctrlaltdel:/sbin/shutdown -r now\n", `inittab:1: unknown action "ctrlaltdel"`, "", 0, 1},
		{"hd:2:hold:/x\n", "", `inittab:1: unknown action "hold"`, 1, 0},
		{"# a comment\n", "inittab:1: want 4 colon-separated fields, got 1 ('#' does not start a comment in an AIX inittab)", "", 0, 0},
		{":x:2:once:/x\n", "", "inittab:1: empty identifier", 1, 0},
		{"x:A:once:/x\n", `inittab:1: run levels "A": invalid level 'A'`, "", 0, 1},
		{"a:2:once:/x \\\nb:2:once:/y\n", "", "", 1, 2},
	}
	for _, tt := range tests {
		fa, errA := Parse(strings.NewReader(tt.input), "inittab")
		fl, errL := ParseLinux(strings.NewReader(tt.input), "inittab")
		if got := errString(errA); got != tt.aixErr {
			t.Errorf("Parse(%q) error %q, want %q", tt.input, got, tt.aixErr)
		}
		if got := errString(errL); got != tt.linuxErr {
			t.Errorf("ParseLinux(%q) error %q, want %q", tt.input, got, tt.linuxErr)
		}
		if len(fa.Entries) != tt.aixEntries || len(fl.Entries) != tt.linuxEntries {
			t.Errorf("%q: %d AIX and %d Linux entries, want %d and %d", tt.input, len(fa.Entries), len(fl.Entries), tt.aixEntries, tt.linuxEntries)
		}
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func TestParseErrors(t *testing.T) {
	const input = `init:2:initdefault:
brc::sysinit
:2:wait:/etc/rc.tcpip
abcdefghijklmno:2:once:/bin/true
rc:2x:wait:/etc/rc
srcmstr:2:respwan:/usr/sbin/srcmstr
#rctcpip disabled by admin
rc:2:wait:/etc/rc
rcnfs:2:wait:/etc/rc.nfs
init:3:initdefault:
`
	f, err := Parse(strings.NewReader(input), "inittab")
	wantErrs := []string{
		"inittab:2: want 4 colon-separated fields, got 3",
		"inittab:4: identifier \"abcdefghijklmno\" longer than 14 characters",
		"inittab:5: run levels \"2x\": invalid level 'x'",
		"inittab:6: unknown action \"respwan\"",
		"inittab:7: want 4 colon-separated fields, got 1 ('#' does not start a comment in an AIX inittab)",
		"inittab:10: duplicate identifier \"init\" (first at line 1)",
	}
	// Line 3 starts with ':' and is a comment, not an entry with an empty
	// identifier.
	var got []string
	for _, e := range parse.List(err) {
		got = append(got, e.Error())
	}
	if diff := cmp.Diff(wantErrs, got); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
	var ids []string
	for _, e := range f.Entries {
		ids = append(ids, e.ID)
	}
	if diff := cmp.Diff([]string{"init", "rc", "rcnfs"}, ids); diff != "" {
		t.Errorf("good entries (-want +got):\n%s", diff)
	}
	if e, ok := f.Lookup("rc"); !ok || e.Line != 8 {
		t.Errorf("Lookup(rc) = %+v, %v; want the entry at line 8", e, ok)
	}
	if _, ok := f.Lookup("srcmstr"); ok {
		t.Errorf("Lookup(srcmstr) found a bad entry")
	}

	fl, err := ParseLinux(strings.NewReader("x::sysinit:/a\n:y::\n"), "inittab")
	if got := errString(err); got != "inittab:2: empty identifier" {
		t.Errorf("ParseLinux error %q", got)
	}
	if len(fl.Entries) != 1 {
		t.Errorf("ParseLinux entries %+v", fl.Entries)
	}
}

func TestLookupDisabledOnly(t *testing.T) {
	f, err := Parse(strings.NewReader(":httpdlite:2:once:/usr/IMNSearch/httpdlite/httpdlite\n"), "inittab")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := f.Lookup("httpdlite"); ok {
		t.Error("Lookup returned an entry commented out with ':'")
	}
	if len(f.Entries) != 1 || !f.Entries[0].Disabled || f.Entries[0].Active() {
		t.Errorf("entries %+v", f.Entries)
	}
}

func TestReadError(t *testing.T) {
	f, err := Parse(iotest.ErrReader(errors.New("boom")), "inittab")
	if f != nil || err == nil || !strings.HasPrefix(err.Error(), "inittab: ") {
		t.Errorf("Parse of a failing reader = %v, %v", f, err)
	}
	f, err = ParseLinux(io.LimitReader(neverEnding('a'), parse.MaxSize+1), "inittab")
	if f != nil || !errors.Is(err, parse.ErrTooLarge) {
		t.Errorf("ParseLinux of a large file = %v, %v", f, err)
	}
}

type neverEnding byte

func (b neverEnding) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(b)
	}
	return len(p), nil
}

func FuzzParse(f *testing.F) {
	f.Add(aix433)
	f.Add("a:2:once:/x \\\n  -y\\\n")
	f.Add("# c\r\n:x:2:off:/y\r\nx:2:once:/z\r")
	f.Fuzz(func(t *testing.T, input string) {
		for _, p := range []func(io.Reader, string) (*File, error){Parse, ParseLinux} {
			file, err := p(strings.NewReader(input), "inittab")
			if file == nil {
				t.Fatalf("nil File, error %v", err)
			}
			n := len(file.Lines)
			for _, e := range file.Entries {
				if e.Line < 1 || e.EndLine < e.Line || e.EndLine > n {
					t.Fatalf("entry lines %d-%d out of 1..%d", e.Line, e.EndLine, n)
				}
				e.Argv()
				e.Comment()
			}
			if got, want := file.Bytes(), normalise(input); !bytes.Equal(got, want) {
				t.Fatalf("Bytes() = %q, want %q", got, want)
			}
			for _, pe := range parse.List(err) {
				if pe.File != "inittab" || pe.Line < 1 || pe.Line > n {
					t.Fatalf("error %v out of range 1..%d", pe, n)
				}
			}
		}
	})
}

// normalise returns input as parse.SplitLines and parse.JoinLines give it
// back: "\r\n" endings become "\n", a final "\r" is dropped, and the text
// ends in a newline.
func normalise(input string) []byte {
	if input == "" {
		return nil
	}
	s := strings.ReplaceAll(input, "\r\n", "\n")
	if !strings.HasSuffix(s, "\n") {
		s = strings.TrimSuffix(s, "\r") + "\n"
	}
	return []byte(s)
}
