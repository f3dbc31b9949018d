package remedy

import (
	"encoding/json"
	"io/fs"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestPlanJSONRoundTrip(t *testing.T) {
	var p Plan
	p.Add(
		CommentLine("/etc/inetd.conf", 14, telnetLine, "#").For("SVC-TELNET", "telnet sends passwords in clear text"),
		ReplaceLine("/etc/inittab", 30, "", ":").For("EMPTY", "an empty line is still checked"),
		DeleteLine("/etc/rc.tcpip", 3, "start /usr/sbin/snmpd").For("SVC-SNMP", "no SNMP"),
		InsertAfter("/etc/x", 0, "top", "").For("X", "x"),
		AppendLines("/etc/x", "end").For("X", "x"),
		// Text in another encoding keeps its bytes.
		ReplaceLine("/etc/motd", 1, "Gr\xfc\xdfe", "Gr\xfc\xdfe!").For("LATIN1", "bytes kept"),
		CreateFile("/etc/ftpusers", "root\n", 0o600, "root", "system").For("FTP", "deny root"),
		CreateFile("/etc/empty", "", 0o644, "", "").For("EMPTY", "empty file"),
		RemoveFile("/etc/hosts.equiv").For("TRUST", "no host trust"),
		Chmod("/usr/bin/rcp", fs.ModeSetuid|0o555).For("SUID", "keep the bit"),
		Chmod("/etc/zero", 0).For("ZERO", "mode zero"),
		Chown("/etc/inetd.conf", "root", "system").For("OWN", "root owns it"),
		Command("SVC-TELNET", "reload inetd.conf", "refresh", "-s", "inetd").WhenOffline("read at next boot"),
		Command("RUN", "run it", "echo", "\xff"),
	)
	data, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	var back Plan
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatalf("unmarshal %s: %v", data, err)
	}
	if diff := cmp.Diff(p, back); diff != "" {
		t.Errorf("round trip (-want +got):\n%s\njson: %s", diff, data)
	}
	// Through a pointer as well.
	data2, err := json.Marshal(&back)
	if err != nil {
		t.Fatal(err)
	}
	if string(data2) != string(data) {
		t.Errorf("marshal of the decoded plan differs:\n%s\n%s", data, data2)
	}
}

func TestPlanJSONForm(t *testing.T) {
	var p Plan
	p.Add(
		CommentLine("/etc/inetd.conf", 14, "telnet x", "#").For("SVC-TELNET", "clear text"),
		CreateFile("/etc/f", "a\xff", fs.ModeSetuid|0o750, "", "").For("F", "f"),
		Command("SVC-TELNET", "reload inetd.conf", "refresh", "-s", "inetd").WhenOffline("at next boot"),
	)
	got, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"schema_version":1,"changes":[` +
		`{"kind":"edit","rule":"SVC-TELNET","reason":"clear text","path":"/etc/inetd.conf","edits":[{"op":"replace","line":14,"old":"telnet x","new":["#telnet x"]}]},` +
		`{"kind":"create","rule":"F","reason":"f","path":"/etc/f","content":{"base64":"Yf8="},"mode":"4750"},` +
		`{"kind":"command","rule":"SVC-TELNET","reason":"reload inetd.conf","argv":["refresh","-s","inetd"],"live_only":true,"offline":"at next boot"}]}`
	if diff := cmp.Diff(want, string(got)); diff != "" {
		t.Errorf("JSON (-want +got):\n%s", diff)
	}
	if got, _ := json.Marshal(Plan{}); string(got) != `{"schema_version":1,"changes":[]}` {
		t.Errorf("empty plan: %s", got)
	}
}

func TestPlanJSONErrors(t *testing.T) {
	for _, tt := range []struct {
		in, want string
	}{
		{`{"changes":[]}`, "decode plan: no schema_version"},
		{`{"schema_version":2,"changes":[]}`, "decode plan: schema version 2, want 1"},
		{`{"schema_version":1,"changes":[],"extra":1}`, `unknown field "extra"`},
		{`{"schema_version":1,"changes":[{"kind":"edit","colour":"red"}]}`, `decode change: json: unknown field "colour"`},
		{`{"schema_version":1,"changes":[{"kind":"edit","edits":[{"op":"delete","lines":3}]}]}`, `decode edit: json: unknown field "lines"`},
		{`{"schema_version":1,"changes":[{"kind":"chmod","mode":"0999"}]}`, `mode "0999" is not an octal mode`},
		{`{"schema_version":1,"changes":[{"kind":"chmod","mode":"17777"}]}`, `mode "17777" is not an octal mode`},
		{`{"schema_version":1,"changes":[{"kind":"create","content":{"base64":"!!"}}]}`, "decode base64 text"},
		{`{"schema_version":1,"changes":[{"kind":"create","content":{"hex":"00"}}]}`, `unknown field "hex"`},
	} {
		var p Plan
		err := json.Unmarshal([]byte(tt.in), &p)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Unmarshal(%s): error %v, want %q", tt.in, err, tt.want)
		}
	}
}

// TestPlanJSONApplies checks that a plan read back from JSON renders the
// same diff as the plan that was saved.
func TestPlanJSONApplies(t *testing.T) {
	files := map[string]string{"/etc/inetd.conf": inetdConf}
	var p Plan
	p.Add(
		CommentLine("/etc/inetd.conf", 2, telnetLine, "#").For("SVC-TELNET", "telnet"),
		Command("SVC-TELNET", "reload inetd.conf", "refresh", "-s", "inetd"),
	)
	data, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	var back Plan
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	var a, b strings.Builder
	if err := p.WriteDiff(&a, memReader(files)); err != nil {
		t.Fatal(err)
	}
	if err := back.WriteDiff(&b, memReader(files)); err != nil {
		t.Fatal(err)
	}
	if a.String() != b.String() || a.Len() == 0 {
		t.Errorf("diffs differ:\n%s\n%s", a.String(), b.String())
	}
}
