package shellwords

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var splitTests = []struct {
	name string
	cmd  string
	argv []string
	rest string
}{
	{"empty", "", nil, ""},
	{"blanks", " \t ", nil, ""},
	{"plain", "/usr/sbin/srcmstr", []string{"/usr/sbin/srcmstr"}, ""},
	{"tabs and spaces", "\t/usr/sbin/getty  \t/dev/console  ", []string{"/usr/sbin/getty", "/dev/console"}, ""},
	{"redirect and comment", "/etc/rc.tcpip > /dev/console 2>&1 # Start TCP/IP daemons",
		[]string{"/etc/rc.tcpip"}, "> /dev/console 2>&1 # Start TCP/IP daemons"},
	{"background", "/usr/IMNSearch/httpdlite/httpdlite -r /etc/IMNSearch/httpdlite/httpdlite.conf & >/dev/console 2>&1",
		[]string{"/usr/IMNSearch/httpdlite/httpdlite", "-r", "/etc/IMNSearch/httpdlite/httpdlite.conf"}, "& >/dev/console 2>&1"},
	{"pipe", "/etc/rc 2>&1 | alog -tboot > /dev/console # Multi-User checks", []string{"/etc/rc"}, "2>&1 | alog -tboot > /dev/console # Multi-User checks"},
	{"io number alone", "/sbin/rc.boot 3 >/dev/console", []string{"/sbin/rc.boot", "3"}, ">/dev/console"},
	{"io number attached", "cmd 2>/dev/null", []string{"cmd"}, "2>/dev/null"},
	{"digits in word are not io number", "cmd a2>x", []string{"cmd", "a2"}, ">x"},
	{"quoted digits are a word", `cmd "2">x`, []string{"cmd", "2"}, ">x"},
	{"and", "test -x /usr/sbin/foo && /usr/sbin/foo", []string{"test", "-x", "/usr/sbin/foo"}, "&& /usr/sbin/foo"},
	{"or", "a || b", []string{"a"}, "|| b"},
	{"semicolon", "a b;c", []string{"a", "b"}, ";c"},
	{"input redirect", "a <in", []string{"a"}, "<in"},
	{"function definition", "start()", []string{"start"}, "()"},
	{"comment only", "# just a comment", nil, "# just a comment"},
	{"hash inside word", "a#b c", []string{"a#b", "c"}, ""},
	{"hash after blank", "a #b c", []string{"a"}, "#b c"},
	{"double quotes", `start /usr/lib/sendmail "$src_running" "-bd -q${qpi}"`,
		[]string{"start", "/usr/lib/sendmail", "$src_running", "-bd -q${qpi}"}, ""},
	{"empty double quotes", `#start /usr/sbin/autoconf6 ""`, nil, `#start /usr/sbin/autoconf6 ""`},
	{"empty argument", `start /usr/sbin/autoconf6 ""`, []string{"start", "/usr/sbin/autoconf6", ""}, ""},
	{"single quotes keep everything", `trap 'echo "done; $x"' 0`, []string{"trap", `echo "done; $x"`, "0"}, ""},
	{"backslash escapes", `a\ b \; c\\d`, []string{"a b", ";", `c\d`}, ""},
	{"backslash in double quotes", `"a\"b\$c\d\\"`, []string{`a"b$c\d\`}, ""},
	{"adjacent quotes join", `-o"a b"'c d'e`, []string{"-oa bc de"}, ""},
	{"backquotes kept", "d=`domainname` x", []string{"d=`domainname`", "x"}, ""},
	{"backquote with operators", "if [ -d /var/yp/`domainname | cut -c1-8` ]; then",
		[]string{"if", "[", "-d", "/var/yp/`domainname | cut -c1-8`", "]"}, "; then"},
	{"dollar paren kept", `x=$(ps -e | awk '$NF == "srcmstr"') y`, []string{`x=$(ps -e | awk '$NF == "srcmstr"')`, "y"}, ""},
	{"nested dollar paren", `"$(echo "$(id -u)")" z`, []string{`$(echo "$(id -u)")`, "z"}, ""},
	{"arithmetic", "i=$((i - 1))", []string{"i=$((i - 1))"}, ""},
	{"braces kept", "${a:-x y} z", []string{"${a:-x y}", "z"}, ""},
	{"continuation", "a \\\nb", []string{"a", "b"}, ""},
	{"continuation inside word", "ab\\\ncd", []string{"abcd"}, ""},
	{"newline operator", "a\nb", []string{"a"}, "\nb"},
	{"unterminated single", "a 'b c", []string{"a", "b c"}, ""},
	{"unterminated double", `a "b c`, []string{"a", "b c"}, ""},
	{"trailing backslash", `a b\`, []string{"a", `b\`}, ""},
}

func TestSplit(t *testing.T) {
	for _, tt := range splitTests {
		t.Run(tt.name, func(t *testing.T) {
			argv, rest := Split(tt.cmd)
			if diff := cmp.Diff(tt.argv, argv); diff != "" {
				t.Errorf("Split(%q) argv (-want +got):\n%s", tt.cmd, diff)
			}
			if rest != tt.rest {
				t.Errorf("Split(%q) rest = %q, want %q", tt.cmd, rest, tt.rest)
			}
		})
	}
}

func TestTokens(t *testing.T) {
	tests := []struct {
		cmd  string
		want []Token
		err  error
	}{
		{
			cmd: `rc:2:wait:/etc/rc 2>&1 | alog -tboot > /dev/console # Multi-User checks`,
			want: []Token{
				{Word, "rc:2:wait:/etc/rc", "rc:2:wait:/etc/rc", 0},
				{Redirect, "2>&", "2>&", 18},
				{Word, "1", "1", 21},
				{Operator, "|", "|", 23},
				{Word, "alog", "alog", 25},
				{Word, "-tboot", "-tboot", 30},
				{Redirect, ">", ">", 37},
				{Word, "/dev/console", "/dev/console", 39},
				{Comment, "# Multi-User checks", "# Multi-User checks", 52},
			},
		},
		{
			cmd: "a&&b||c;;d;e&f(g)h\ni",
			want: []Token{
				{Word, "a", "a", 0}, {Operator, "&&", "&&", 1}, {Word, "b", "b", 3},
				{Operator, "||", "||", 4}, {Word, "c", "c", 6}, {Operator, ";;", ";;", 7},
				{Word, "d", "d", 9}, {Operator, ";", ";", 10}, {Word, "e", "e", 11},
				{Operator, "&", "&", 12}, {Word, "f", "f", 13}, {Operator, "(", "(", 14},
				{Word, "g", "g", 15}, {Operator, ")", ")", 16}, {Word, "h", "h", 17},
				{Operator, "\n", "\n", 18}, {Word, "i", "i", 19},
			},
		},
		{
			cmd: "a>>b<<-c<>d>|e<&f 3<g",
			want: []Token{
				{Word, "a", "a", 0}, {Redirect, ">>", ">>", 1}, {Word, "b", "b", 3},
				{Redirect, "<<-", "<<-", 4}, {Word, "c", "c", 7}, {Redirect, "<>", "<>", 8},
				{Word, "d", "d", 10}, {Redirect, ">|", ">|", 11}, {Word, "e", "e", 13},
				{Redirect, "<&", "<&", 14}, {Word, "f", "f", 16}, {Redirect, "3<", "3<", 18},
				{Word, "g", "g", 20},
			},
		},
		{
			cmd:  "#a\nb # c",
			want: []Token{{Comment, "#a", "#a", 0}, {Operator, "\n", "\n", 2}, {Word, "b", "b", 3}, {Comment, "# c", "# c", 5}},
		},
		{
			cmd:  `x "y`,
			want: []Token{{Word, "x", "x", 0}, {Word, "y", `"y`, 2}},
			err:  ErrUnterminated,
		},
		{
			cmd:  "x `y",
			want: []Token{{Word, "x", "x", 0}, {Word, "`y", "`y", 2}},
			err:  ErrUnterminated,
		},
		{
			cmd:  `x "$(y`,
			want: []Token{{Word, "x", "x", 0}, {Word, "$(y", `"$(y`, 2}},
			err:  ErrUnterminated,
		},
		{
			cmd:  `x $(echo ')`,
			want: []Token{{Word, "x", "x", 0}, {Word, "$(echo ')", "$(echo ')", 2}},
			err:  ErrUnterminated,
		},
		{
			cmd:  `x ${y`,
			want: []Token{{Word, "x", "x", 0}, {Word, "${y", "${y", 2}},
			err:  ErrUnterminated,
		},
		{
			cmd:  `x \`,
			want: []Token{{Word, "x", "x", 0}, {Word, `\`, `\`, 2}},
			err:  ErrTrailingBackslash,
		},
		{
			cmd:  `x "a\`,
			want: []Token{{Word, "x", "x", 0}, {Word, `a\`, `"a\`, 2}},
			err:  ErrUnterminated,
		},
		{
			cmd: "$(a \"$(b)\" `c` (d) 'e)' \\)) f",
			want: []Token{
				{Word, "$(a \"$(b)\" `c` (d) 'e)' \\))", "$(a \"$(b)\" `c` (d) 'e)' \\))", 0},
				{Word, "f", "f", 28},
			},
		},
		{
			cmd: "$(a `b` \"c\\\"$(d)`e`${f}\") ${g:-$(h)} \"${i}\"",
			want: []Token{
				{Word, "$(a `b` \"c\\\"$(d)`e`${f}\")", "$(a `b` \"c\\\"$(d)`e`${f}\")", 0},
				{Word, "${g:-$(h)}", "${g:-$(h)}", 26},
				{Word, "${i}", "\"${i}\"", 37},
			},
		},
		{
			cmd:  "$(a \\",
			want: []Token{{Word, "$(a \\", "$(a \\", 0}},
			err:  ErrUnterminated,
		},
		{
			cmd:  "\"`a \\` b`\"",
			want: []Token{{Word, "`a \\` b`", "\"`a \\` b`\"", 0}},
		},
	}
	for _, tt := range tests {
		got, err := Tokens(tt.cmd)
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("Tokens(%q) (-want +got):\n%s", tt.cmd, diff)
		}
		if err != tt.err {
			t.Errorf("Tokens(%q) error = %v, want %v", tt.cmd, err, tt.err)
		}
	}
}

func TestComplete(t *testing.T) {
	tests := []struct {
		cmd  string
		want bool
	}{
		{"", true},
		{"start /usr/sbin/syslogd \"$src_running\"", true},
		{`USAGE="usage:`, false},
		{"USAGE=\"usage:\n  foo\"", true},
		{`a \`, false},
		{"a \\\nb", true},
		{"# don't", true},
		{"echo don't", false},
		{"x=`date", false},
		{"x=$(date", false},
		{"x=${y", false},
		{`'\'`, true},
	}
	for _, tt := range tests {
		if got := Complete(tt.cmd); got != tt.want {
			t.Errorf("Complete(%q) = %v, want %v", tt.cmd, got, tt.want)
		}
	}
}

func TestLineEnd(t *testing.T) {
	tests := []struct {
		text string
		end  int
		err  error
	}{
		{"a\nb", 1, nil},
		{"a", -1, nil},
		{"", -1, nil},
		{"a 'b\nc' d\ne", 9, nil},
		{"a \\\nb\nc", 5, nil},
		{"# it's\nb", 6, nil},
		{"x=\"$(a\nb)\"\ny", 10, nil},
		{"a 'b\nc", -1, ErrUnterminated},
		{"a \\", -1, ErrTrailingBackslash},
	}
	for _, tt := range tests {
		end, err := LineEnd(tt.text)
		if end != tt.end || err != tt.err {
			t.Errorf("LineEnd(%q) = %d, %v; want %d, %v", tt.text, end, err, tt.end, tt.err)
		}
	}
}

func TestCutComment(t *testing.T) {
	tests := []struct {
		cmd, code, comment string
		found              bool
	}{
		{"/etc/rc.tcpip > /dev/console 2>&1 # Start TCP/IP daemons", "/etc/rc.tcpip > /dev/console 2>&1", "Start TCP/IP daemons", true},
		{"/etc/rc.netware #start Netware", "/etc/rc.netware", "start Netware", true},
		{"/usr/lib/lpd/pio/etc/pioinit >/dev/null 2>&1  # pb cleanup", "/usr/lib/lpd/pio/etc/pioinit >/dev/null 2>&1", "pb cleanup", true},
		{"/usr/sbin/getty /dev/console", "/usr/sbin/getty /dev/console", "", false},
		{`/usr/bin/cnsview -c "daemon # start"`, `/usr/bin/cnsview -c "daemon # start"`, "", false},
		{"qpi=30m\t# 30 minute interval  ", "qpi=30m", "30 minute interval", true},
		{"a;#b", "a;", "b", true},
		{"#", "", "", true},
		{"a#b", "a#b", "", false},
	}
	for _, tt := range tests {
		code, comment, found := CutComment(tt.cmd)
		if code != tt.code || comment != tt.comment || found != tt.found {
			t.Errorf("CutComment(%q) = %q, %q, %v; want %q, %q, %v", tt.cmd, code, comment, found, tt.code, tt.comment, tt.found)
		}
	}
}

func TestExpand(t *testing.T) {
	vars := map[string]string{"qpi": "30m", "sbindir": "/usr/local/sbin", "empty": "", "a_1": "A"}
	tests := []struct {
		word, want string
	}{
		{"", ""},
		{"-bd -q${qpi}", "-bd -q30m"},
		{"-q$qpi", "-q30m"},
		{"$sbindir/sshd", "/usr/local/sbin/sshd"},
		{"${sbindir}/sshd", "/usr/local/sbin/sshd"},
		{"$bindir/ssh", "$bindir/ssh"},
		{"${bindir}/ssh", "${bindir}/ssh"},
		{"$qpix", "$qpix"},
		{"$a_1.b", "A.b"},
		{"$1 $? $$ $", "$1 $? $$ $"},
		{"${empty:-/usr/sbin}", "/usr/sbin"},
		{"${empty-/usr/sbin}", ""},
		{"${qpi:-1h}", "30m"},
		{"${qpi:=1h}", "30m"},
		{"${empty:=$qpi}", "30m"},
		{"${empty:-${qpi}}", "${qpi}"},
		{"${unset:-x}", "${unset:-x}"},
		{"${#qpi}", "${#qpi}"},
		{"${qpi%m}", "${qpi%m}"},
		{"${qpi", "${qpi"},
		{"${}", "${}"},
		{"x${a_1}${qpi}y", "xA30my"},
	}
	for _, tt := range tests {
		if got := Expand(tt.word, vars); got != tt.want {
			t.Errorf("Expand(%q) = %q, want %q", tt.word, got, tt.want)
		}
	}
	if got := Expand("$qpi", nil); got != "$qpi" {
		t.Errorf("Expand with nil vars = %q, want $qpi", got)
	}
}

func TestQuote(t *testing.T) {
	tests := []struct {
		word, want string
	}{
		{"", "''"},
		{"/usr/sbin/syslogd", "/usr/sbin/syslogd"},
		{"-bd -q30m", "'-bd -q30m'"},
		{"it's", `'it'\''s'`},
		{"$x", "'$x'"},
		{"#x", "'#x'"},
	}
	for _, tt := range tests {
		if got := Quote(tt.word); got != tt.want {
			t.Errorf("Quote(%q) = %q, want %q", tt.word, got, tt.want)
		}
		argv, rest := Split(Quote(tt.word))
		if len(argv) != 1 || argv[0] != tt.word || rest != "" {
			t.Errorf("Split(Quote(%q)) = %q, %q", tt.word, argv, rest)
		}
	}
}

func TestIsName(t *testing.T) {
	for _, s := range []string{"qpi", "_x", "src_running", "A1"} {
		if !IsName(s) {
			t.Errorf("IsName(%q) = false", s)
		}
	}
	for _, s := range []string{"", "1a", "a-b", "a.b", "$a"} {
		if IsName(s) {
			t.Errorf("IsName(%q) = true", s)
		}
	}
}

func TestKindString(t *testing.T) {
	got := []string{Word.String(), Operator.String(), Redirect.String(), Comment.String(), Kind(0).String()}
	want := []string{"word", "operator", "redirect", "comment", "invalid"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Error(diff)
	}
}

func FuzzSplit(f *testing.F) {
	for _, tt := range splitTests {
		f.Add(tt.cmd)
	}
	f.Fuzz(func(t *testing.T, cmd string) {
		toks, _ := Tokens(cmd)
		last := -1
		for _, tok := range toks {
			if tok.Offset <= last || tok.Offset+len(tok.Raw) > len(cmd) || cmd[tok.Offset:tok.Offset+len(tok.Raw)] != tok.Raw {
				t.Fatalf("token %+v out of place in %q", tok, cmd)
			}
			last = tok.Offset
		}
		argv, rest := Split(cmd)
		if rest != "" {
			c := rest[0]
			if !isOperatorByte(c) && c != '#' && (c < '0' || c > '9') {
				t.Fatalf("Split(%q) rest %q does not start at an operator", cmd, rest)
			}
		}
		if !strings.ContainsAny(cmd, "'\"\\`$") {
			// Without quoting, no word can hold an operator.
			for _, w := range argv {
				if w == "" || strings.ContainsAny(w, "|&;<>()\n \t") || w[0] == '#' {
					t.Fatalf("Split(%q) word %q holds an unquoted operator", cmd, w)
				}
			}
		}
		// Quoting the words gives them back.
		quoted := make([]string, len(argv))
		for i, w := range argv {
			quoted[i] = Quote(w)
			if Expand(w, nil) != w {
				t.Fatalf("Expand(%q, nil) changed the word", w)
			}
		}
		again, rest2 := Split(strings.Join(quoted, " "))
		if rest2 != "" || len(again) != len(argv) {
			t.Fatalf("Split(%q) = %q; re-split of quoted words = %q, %q", cmd, argv, again, rest2)
		}
		if len(argv) > 0 {
			if diff := cmp.Diff(argv, again); diff != "" {
				t.Fatalf("re-split differs (-first +second):\n%s", diff)
			}
		}
		_ = Expand(cmd, map[string]string{"a": "$a", "b": "", "x": "1"})
		CutComment(cmd)
	})
}
