package postfix

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"bastion/internal/parse"
)

// svc builds a service entry on one line from its eight fields and
// arguments.
func svc(line int, fields string, args ...string) MasterService {
	f := strings.Fields(fields)
	return MasterService{Line: line, EndLine: line, Service: f[0], Type: f[1],
		Private: f[2], Unpriv: f[3], Chroot: f[4], Wakeup: f[5], MaxProc: f[6], Command: f[7], Args: args}
}

// off marks an entry as commented out.
func off(s MasterService) MasterService { s.Commented = true; return s }

// upto sets the last line of an entry.
func upto(s MasterService, end int) MasterService { s.EndLine = end; return s }

// with sets the overrides of an entry.
func with(s MasterService, kv ...string) MasterService {
	for i := 0; i+1 < len(kv); i += 2 {
		s.Overrides = append(s.Overrides, Override{Name: kv[i], Value: kv[i+1]})
	}
	return s
}

func TestParseMaster(t *testing.T) {
	text := readFixture(t, "master.cf")
	m, err := ParseMaster(strings.NewReader(text), "/etc/postfix/master.cf")
	if err != nil {
		t.Fatalf("ParseMaster: %v", err)
	}
	if string(m.Bytes()) != text {
		t.Error("Bytes() does not give master.cf back")
	}
	want := []MasterService{
		svc(9, "smtp inet n - y - - smtpd"),
		off(svc(10, "smtp inet n - y - 1 postscreen")),
		off(svc(11, "smtpd pass - - y - - smtpd")),
		off(svc(12, "dnsblog unix - - y - 0 dnsblog")),
		with(upto(svc(13, "submission inet n - y - - smtpd",
			"-o", "syslog_name=postfix/submission",
			"-o", "smtpd_tls_security_level=encrypt",
			"-o", "smtpd_sasl_auth_enable=yes",
			"-o", "smtpd_client_restrictions=permit_sasl_authenticated,reject"), 18),
			"syslog_name", "postfix/submission",
			"smtpd_tls_security_level", "encrypt",
			"smtpd_sasl_auth_enable", "yes",
			"smtpd_client_restrictions", "permit_sasl_authenticated,reject"),
		off(with(upto(svc(19, "smtps inet n - y - - smtpd",
			"-o", "syslog_name=postfix/smtps",
			"-o", "smtpd_tls_wrappermode=yes",
			"-o", "smtpd_sasl_auth_enable=yes"), 22),
			"syslog_name", "postfix/smtps",
			"smtpd_tls_wrappermode", "yes",
			"smtpd_sasl_auth_enable", "yes")),
		with(upto(svc(23, "127.0.0.1:10025 inet n - n - - smtpd",
			"-o", "content_filter=",
			"-o", "smtpd_recipient_restrictions = permit_mynetworks, reject",
			"-o", "mynetworks=127.0.0.0/8"), 26),
			"content_filter", "",
			"smtpd_recipient_restrictions", "permit_mynetworks, reject",
			"mynetworks", "127.0.0.0/8"),
		svc(27, "pickup unix n - y 60 1 pickup"),
		svc(28, "cleanup unix n - y - 0 cleanup"),
		svc(29, "qmgr unix n - n 300 1 qmgr"),
		svc(30, "tlsmgr unix - - y 1000? 1 tlsmgr"),
		svc(31, "rewrite unix - - y - - trivial-rewrite"),
		with(upto(svc(32, "relay unix - - y - - smtp", "-o", "syslog_name=postfix/$service_name"), 33),
			"syslog_name", "postfix/$service_name"),
		svc(34, "postlog unix-dgram n - n - 1 postlogd"),
		upto(svc(41, "maildrop unix - n n - - pipe",
			"flags=DRXhu", "user=vmail", "argv=/usr/bin/maildrop", "-d", "${recipient}"), 42),
		off(upto(svc(43, "uucp unix - n n - - pipe",
			"flags=Fqhu", "user=uucp", "argv=uux", "-r", "-n", "-z", "-a$sender", "-", "$nexthop!rmail", "($recipient)"), 44)),
	}
	if diff := cmp.Diff(want, m.Services); diff != "" {
		t.Errorf("services (-want +got):\n%s", diff)
	}

	if got := m.Find("smtp", "inet"); len(got) != 2 || got[0].Commented || !got[1].Commented {
		t.Errorf("Find(smtp, inet) = %+v, want the active and the commented entry", got)
	}
	if got := m.Find("smtp", ""); len(got) != 2 {
		t.Errorf("Find(smtp, \"\") found %d entries, want 2", len(got))
	}
	if got := m.Find("smtp", "unix"); len(got) != 0 {
		t.Errorf("Find(smtp, unix) = %+v, want none", got)
	}
	sub := m.Find("submission", "inet")[0]
	if v, ok := sub.Setting("smtpd_tls_security_level"); !ok || v != "encrypt" {
		t.Errorf("Setting(smtpd_tls_security_level) = %q, %v", v, ok)
	}
	if v, ok := sub.Setting("smtpd_tls_auth_only"); ok {
		t.Errorf("Setting(smtpd_tls_auth_only) = %q, true; the -o is commented out", v)
	}
}

func TestMasterServiceAddr(t *testing.T) {
	tests := []struct {
		typ, service string
		host, port   string
	}{
		{"inet", "smtp", "", "smtp"},
		{"inet", "127.0.0.1:smtp", "127.0.0.1", "smtp"},
		{"inet", "[::1]:2525", "::1", "2525"},
		{"inet", "mail.example.org:submission", "mail.example.org", "submission"},
		{"inet", "[::1]", "::1", ""},
		{"inet", "[::1", "[:", "1"},
		{"unix", "pickup", "", ""},
	}
	for _, tt := range tests {
		host, port := MasterService{Type: tt.typ, Service: tt.service}.Addr()
		if host != tt.host || port != tt.port {
			t.Errorf("Addr of %s %s = %q, %q; want %q, %q", tt.service, tt.typ, host, port, tt.host, tt.port)
		}
	}
	s := MasterService{Overrides: []Override{{"a", "1"}, {"b", "2"}, {"a", "3"}}}
	if v, ok := s.Setting("a"); !ok || v != "3" {
		t.Errorf("Setting(a) = %q, %v; want the last, 3", v, ok)
	}
}

func TestParseMasterForms(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []MasterService
	}{
		{"option value in the same argument",
			"smtp inet n - y - - smtpd -osmtpd_banner=x -v\n",
			[]MasterService{with(svc(1, "smtp inet n - y - - smtpd", "-osmtpd_banner=x", "-v"), "smtpd_banner", "x")}},
		{"combined flags and options with values",
			"smtp inet n - y - - smtpd -vo a=1 -n name -t inet -o b=2\n",
			[]MasterService{with(svc(1, "smtp inet n - y - - smtpd", "-vo", "a=1", "-n", "name", "-t", "inet", "-o", "b=2"), "a", "1", "b", "2")}},
		{"options stop at the first other argument",
			"x unix - n n - - pipe flags=R -o a=1\n",
			[]MasterService{svc(1, "x unix - n n - - pipe", "flags=R", "-o", "a=1")}},
		{"options stop at --",
			"x unix - n n - - pipe -- -o a=1\n",
			[]MasterService{svc(1, "x unix - n n - - pipe", "--", "-o", "a=1")}},
		{"a lone dash is not an option",
			"x unix - n n - - pipe - -o a=1\n",
			[]MasterService{svc(1, "x unix - n n - - pipe", "-", "-o", "a=1")}},
		{"braced arguments",
			"x unix - n n - - pipe flags=R { argv=/usr/bin/x -a b } {}\n",
			[]MasterService{svc(1, "x unix - n n - - pipe", "flags=R", "argv=/usr/bin/x -a b", "")}},
		{"braces inside a word",
			"x unix - n n - - pipe argv=/bin/{a b}\n",
			[]MasterService{svc(1, "x unix - n n - - pipe", "argv=/bin/{a b}")}},
		{"continuation after comment and empty lines",
			"smtp inet n - y - - smtpd\n# note\n\n  -o a=1\n",
			[]MasterService{with(upto(svc(1, "smtp inet n - y - - smtpd", "-o", "a=1"), 4), "a", "1")}},
		{"fields split over lines",
			"smtp inet n\n  - y - - smtpd\n",
			[]MasterService{upto(svc(1, "smtp inet n - y - - smtpd"), 2)}},
		{"commented with blank after the hash and several hashes",
			"# smtp inet n - y - - smtpd\n##pickup unix n - y 60 1 pickup\n",
			[]MasterService{off(svc(1, "smtp inet n - y - - smtpd")), off(svc(2, "pickup unix n - y 60 1 pickup"))}},
		{"commented argument lines need a commented entry just before",
			"# intro\n#  -o a=1\nsmtp inet n - y - - smtpd\n#  -o b=2\n",
			[]MasterService{svc(3, "smtp inet n - y - - smtpd")}},
		{"commented entry ends at a prose comment",
			"#smtps inet n - y - - smtpd\n#  -o a=1\n#  see the manual\n#  -o b=2\n",
			[]MasterService{off(with(upto(svc(1, "smtps inet n - y - - smtpd", "-o", "a=1"), 2), "a", "1"))}},
		{"commented entry ends at an empty comment",
			"#smtps inet n - y - - smtpd\n#   \n#  -o a=1\n",
			[]MasterService{off(svc(1, "smtps inet n - y - - smtpd"))}},
		{"commented entry ends at an empty line",
			"#smtps inet n - y - - smtpd\n\n#  -o a=1\n",
			[]MasterService{off(svc(1, "smtps inet n - y - - smtpd"))}},
		{"bad commented lines are comments",
			"#smtp inet y - y - - smtpd\n#smtp inet n - y - - smtpd -o\n#x unix a b c d e f\n",
			nil},
		{"commented entry between active lines",
			"smtp inet n - y - - smtpd\n#submission inet n - y - - smtpd\n  -o a=1\n",
			[]MasterService{with(upto(svc(1, "smtp inet n - y - - smtpd", "-o", "a=1"), 3), "a", "1"),
				off(svc(2, "submission inet n - y - - smtpd"))}},
		{"crlf and tabs",
			"smtp\tinet\tn\t-\ty\t-\t-\tsmtpd\r\n\t-o a=1\r\n",
			[]MasterService{with(upto(svc(1, "smtp inet n - y - - smtpd", "-o", "a=1"), 2), "a", "1")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := ParseMaster(strings.NewReader(tt.in), "master.cf")
			if err != nil {
				t.Fatalf("ParseMaster: %v", err)
			}
			if diff := cmp.Diff(tt.want, m.Services); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseMasterErrors(t *testing.T) {
	tests := []struct {
		name string
		line string
		want string // the whole message for line 2
	}{
		{"service only", "smtp", "master.cf:2: missing type field"},
		{"no command", "smtp inet n - y - -", "master.cf:2: missing command field"},
		{"no maxproc", "smtp inet n - y -", "master.cf:2: missing maxproc field"},
		{"bad type", "smtp tcp n - y - - smtpd", `master.cf:2: bad type "tcp": want inet, unix, unix-dgram, fifo or pass`},
		{"bad private", "smtp inet no - y - - smtpd", `master.cf:2: bad private field "no": want y, n or -`},
		{"bad unpriv", "smtp inet n Y y - - smtpd", `master.cf:2: bad unpriv field "Y": want y, n or -`},
		{"bad chroot", "smtp inet n - yes - - smtpd", `master.cf:2: bad chroot field "yes": want y, n or -`},
		{"private inet", "smtp inet y - y - - smtpd", "master.cf:2: inet service cannot be private"},
		{"bad wakeup", "pickup unix n - y 1m 1 pickup", `master.cf:2: bad wakeup field "1m": want seconds, seconds followed by ?, or -`},
		{"wakeup question mark only", "pickup unix n - y ? 1 pickup", `master.cf:2: bad wakeup field "?": want seconds, seconds followed by ?, or -`},
		{"bad maxproc", "smtp inet n - y - many smtpd", `master.cf:2: bad maxproc field "many": want a number or -`},
		{"negative maxproc", "smtp inet n - y - -1 smtpd", `master.cf:2: bad maxproc field "-1": want a number or -`},
		{"-o without value", "smtp inet n - y - - smtpd -o", "master.cf:2: option -o without a value"},
		{"-n without value", "smtp inet n - y - - smtpd -n", "master.cf:2: option -n without a value"},
		{"-o not name=value", "smtp inet n - y - - smtpd -o smtpd_banner", `master.cf:2: -o "smtpd_banner" is not name=value`},
		{"-o without name", "smtp inet n - y - - smtpd -o =x", `master.cf:2: -o "=x" is not name=value`},
		{"open brace", "smtp inet n - y - - smtpd -o { a = b", `master.cf:2: missing '}' in argument "{ a = b"`},
		{"text after brace", "smtp inet n - y - - smtpd -o {a=b}c", `master.cf:2: text after '}' in argument "{a=b}c"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := "cleanup unix n - y - 0 cleanup\n" + tt.line + "\nqmgr unix n - n 300 1 qmgr\n"
			m, err := ParseMaster(strings.NewReader(in), "master.cf")
			if m == nil {
				t.Fatalf("ParseMaster returned no file (err %v)", err)
			}
			if err == nil || err.Error() != tt.want {
				t.Fatalf("error = %v, want %q", err, tt.want)
			}
			list := parse.List(err)
			if len(list) != 1 || list[0].Line != 2 || list[0].File != "master.cf" {
				t.Errorf("parse.List(err) = %+v, want one error at master.cf:2", list)
			}
			if len(m.Services) != 2 || m.Services[0].Line != 1 || m.Services[1].Line != 3 {
				t.Errorf("services = %+v, want lines 1 and 3", m.Services)
			}
			if string(m.Bytes()) != in {
				t.Errorf("Bytes() = %q, want the input back", m.Bytes())
			}
		})
	}

	in := "# header\n  -o a=1\n\t-o b=2\nsmtp inet n - y - - smtpd\n"
	m, err := ParseMaster(strings.NewReader(in), "master.cf")
	if err == nil || err.Error() != "master.cf:2: continuation line follows no service" {
		t.Errorf("error = %v, want master.cf:2: continuation line follows no service", err)
	}
	if diff := cmp.Diff([]MasterService{svc(4, "smtp inet n - y - - smtpd")}, m.Services); diff != "" {
		t.Errorf("services (-want +got):\n%s", diff)
	}
}
