package snmpconf

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"

	"bastion/internal/parse"
)

func TestParseV1Default(t *testing.T) {
	data := readFixture(t, "aix-snmpd.conf")
	f, err := ParseV1(strings.NewReader(string(data)), "/etc/snmpd.conf")
	if err != nil {
		t.Fatalf("ParseV1: %v", err)
	}
	if string(f.Bytes()) != string(data) {
		t.Errorf("Bytes() does not give the file back")
	}
	wantCommunities := []V1Community{
		{Line: 12, Name: "public", Address: "0.0.0.0", Mask: "0.0.0.0", Access: ReadOnly},
		{Line: 13, Name: "private", Address: "127.0.0.1", Mask: "255.255.255.255", Access: ReadWrite},
	}
	if diff := cmp.Diff(wantCommunities, f.Communities); diff != "" {
		t.Errorf("communities (-want +got):\n%s", diff)
	}
	if !f.Communities[0].AnyHost() || f.Communities[0].Writable() {
		t.Errorf("public: want any host, read-only")
	}
	if f.Communities[1].AnyHost() || !f.Communities[1].Writable() {
		t.Errorf("private: want one host, writable")
	}
	if diff := cmp.Diff([]View{{Line: 16, Name: "1.17.2", Subtrees: []string{"system", "enterprises", "view"}}}, f.Views); diff != "" {
		t.Errorf("views (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]Trap{{Line: 18, Community: "public", Address: "127.0.0.1", View: "1.2.3", Mask: "fe"}}, f.Traps); diff != "" {
		t.Errorf("traps (-want +got):\n%s", diff)
	}
	wantSmux := []Smux{
		{Line: 22, OID: "1.3.6.1.4.1.2.3.1.2.1.2", Password: "gated_password"},
		{Line: 23, OID: "1.3.6.1.4.1.2.3.1.2.2.1.1.2", Password: "dpid_password"},
		{Line: 24, OID: "1.3.6.1.4.1.2.3.1.2.1.3", Password: "xmtopas_pw"},
	}
	if diff := cmp.Diff(wantSmux, f.Smux); diff != "" {
		t.Errorf("smux (-want +got):\n%s", diff)
	}
	wantEntries := []Entry{
		{Line: 9, Keyword: "logging", Fields: []string{"file=/usr/tmp/snmpd.log", "enabled"}},
		{Line: 10, Keyword: "logging", Fields: []string{"size=100000", "level=0"}},
		{Line: 12, Keyword: "community", Fields: []string{"public"}, Secret: []int{0}},
		{Line: 13, Keyword: "community", Fields: []string{"private", "127.0.0.1", "255.255.255.255", "readWrite"}, Secret: []int{0}},
		{Line: 16, Keyword: "view", Fields: []string{"1.17.2", "system", "enterprises", "view"}},
		{Line: 18, Keyword: "trap", Fields: []string{"public", "127.0.0.1", "1.2.3", "fe"}, Secret: []int{0}},
		{Line: 22, Keyword: "smux", Fields: []string{"1.3.6.1.4.1.2.3.1.2.1.2", "gated_password"}, Secret: []int{1}},
		{Line: 23, Keyword: "smux", Fields: []string{"1.3.6.1.4.1.2.3.1.2.2.1.1.2", "dpid_password"}, Secret: []int{1}},
		{Line: 24, Keyword: "smux", Fields: []string{"1.3.6.1.4.1.2.3.1.2.1.3", "xmtopas_pw"}, Secret: []int{1}},
	}
	if diff := cmp.Diff(wantEntries, f.Entries); diff != "" {
		t.Errorf("entries (-want +got):\n%s", diff)
	}
}

func TestParseV1Hardened(t *testing.T) {
	f, err := ParseV1(strings.NewReader(string(readFixture(t, "aix-snmpd-hardened.conf"))), "snmpd.conf")
	if err != nil {
		t.Fatalf("ParseV1: %v", err)
	}
	want := []V1Community{
		{Line: 8, Name: "n3tw0rkM0n", Address: "192.0.2.0", Mask: "255.255.255.0", Access: ReadOnly, View: "1.17.2"},
		{Line: 9, Name: "l0calRW", Address: "127.0.0.1", Mask: "255.255.255.255", Access: ReadWrite},
		{Line: 10, Name: "v6mon", Address: "2001:db8::10", Mask: "128", Access: ReadOnly},
		{Line: 11, Name: "nohosts", Address: "nms.example.org", Mask: "255.255.255.255", Access: ReadOnly},
		{Line: 12, Name: "lockedOut", Address: "0.0.0.0", Mask: "0.0.0.0", Access: NoAccess, View: "1.17.2"},
	}
	if diff := cmp.Diff(want, f.Communities); diff != "" {
		t.Errorf("communities (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]Trap{{Line: 16, Community: "tr4pC0mm", Address: "nms.example.org", View: "1.17.2"}}, f.Traps); diff != "" {
		t.Errorf("traps (-want +got):\n%s", diff)
	}
	wantSmux := []Smux{{Line: 18, OID: "1.3.6.1.4.1.2.3.1.2.1.2", Password: "g4ted_s3cret", Address: "127.0.0.1", Mask: "255.255.255.255"}}
	if diff := cmp.Diff(wantSmux, f.Smux); diff != "" {
		t.Errorf("smux (-want +got):\n%s", diff)
	}
	wantKeywords := []string{"3 logging", "4 logging", "8 community", "9 community", "10 community",
		"11 community", "12 community", "14 view", "16 trap", "17 sysLocation", "18 smux"}
	if diff := cmp.Diff(wantKeywords, keywords(f.Entries)); diff != "" {
		t.Errorf("entries (-want +got):\n%s", diff)
	}
}

func TestParseV1Forms(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []V1Community
	}{
		{"minimal entry", "community c0mm\n", []V1Community{{1, "c0mm", "0.0.0.0", "0.0.0.0", ReadOnly, ""}}},
		{"address without mask", "community c0mm 10.1.1.1\n", []V1Community{{1, "c0mm", "10.1.1.1", "255.255.255.255", ReadOnly, ""}}},
		{"explicit any host, write only", "community c0mm 0.0.0.0 0.0.0.0 WriteOnly\n",
			[]V1Community{{1, "c0mm", "0.0.0.0", "0.0.0.0", WriteOnly, ""}}},
		{"IPv6 prefix length", "community c0mm 2001:db8:: 32 readonly\n",
			[]V1Community{{1, "c0mm", "2001:db8::", "32", ReadOnly, ""}}},
		{"keyword case, tabs, CRLF, comment", "\tCOMMUNITY\tc0mm\t127.0.0.1 # local\r\n",
			[]V1Community{{1, "c0mm", "127.0.0.1", "255.255.255.255", ReadOnly, ""}}},
		{"hash inside a name", "community c0#mm\n", []V1Community{{1, "c0#mm", "0.0.0.0", "0.0.0.0", ReadOnly, ""}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := ParseV1(strings.NewReader(tt.in), "snmpd.conf")
			if err != nil {
				t.Fatalf("ParseV1: %v", err)
			}
			if diff := cmp.Diff(tt.want, f.Communities); diff != "" {
				t.Errorf("communities (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseV1Errors(t *testing.T) {
	tests := []struct {
		name, line, want string
	}{
		{"community without name", "community", "snmpd.conf:2: community entry has no name"},
		{"community with a comment for name", "community # none", "snmpd.conf:2: community entry has no name"},
		{"permission where the address belongs", "community tr1p0li readWrite",
			`snmpd.conf:2: community entry has the permission "readWrite" where its address belongs: the address and netmask come first`},
		{"bad address", "community s3cr3t 10.0.0.256", `snmpd.conf:2: community entry has a bad address "10.0.0.256"`},
		{"bad address characters", "community s3cr3t host!name", `snmpd.conf:2: community entry has a bad address "host!name"`},
		{"bad netmask", "community s3cr3t 10.0.0.0 255.255.0", `snmpd.conf:2: community entry has a bad netmask "255.255.0"`},
		{"prefix length too long", "community s3cr3t 2001:db8:: 129", `snmpd.conf:2: community entry has a bad netmask "129"`},
		{"unknown permission", "community s3cr3t 10.0.0.1 255.255.255.255 rw",
			`snmpd.conf:2: community entry has the unknown permission "rw": want readOnly, writeOnly, readWrite or none`},
		{"view without name", "view", "snmpd.conf:2: view entry has no name"},
		{"view without subtree", "view 1.17.2", "snmpd.conf:2: view 1.17.2 lists no MIB subtree"},
		{"trap without community", "trap", "snmpd.conf:2: trap entry has no community"},
		{"trap without address", "trap tr4pC0mm", "snmpd.conf:2: trap entry has no address"},
		{"trap with a bad address", "trap tr4pC0mm 1.2.3", `snmpd.conf:2: trap entry has a bad address "1.2.3"`},
		{"smux without OID", "smux", "snmpd.conf:2: smux entry has no object identifier"},
		{"smux without password", "smux 1.3.6.1.4.1.2.3.1.2.1.2 # gated", "snmpd.conf:2: smux entry for 1.3.6.1.4.1.2.3.1.2.1.2 has no password"},
		{"smux with a bad OID", "smux 1..3 s3cr3t", `snmpd.conf:2: smux entry has a bad object identifier "1..3"`},
		{"smux with a bad address", "smux 1.3.6.1 s3cr3t 300.1.1.1", `snmpd.conf:2: smux entry for 1.3.6.1 has a bad address "300.1.1.1"`},
		{"smux with a bad netmask", "smux 1.3.6.1 s3cr3t 127.0.0.1 x", `snmpd.conf:2: smux entry for 1.3.6.1 has a bad netmask "x"`},
		{"smux with too many fields", "smux 1.3.6.1 s3cr3t 127.0.0.1 255.0.0.0 extra",
			"snmpd.conf:2: smux entry for 1.3.6.1 has 5 fields, want at most 4 (OID, password, address, netmask)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := "logging size=100000 level=0\n" + tt.line + "\ncommunity g00d\n"
			f, err := ParseV1(strings.NewReader(in), "snmpd.conf")
			if f == nil || err == nil {
				t.Fatalf("ParseV1 = %v, %v; want a file and an error", f, err)
			}
			if got := err.Error(); got != tt.want {
				t.Errorf("error = %q, want %q", got, tt.want)
			}
			list := parse.List(err)
			if len(list) != 1 || list[0].Line != 2 || list[0].File != "snmpd.conf" {
				t.Errorf("parse.List(err) = %v, want one error at snmpd.conf:2", list)
			}
			if diff := cmp.Diff([]string{"1 logging", "3 community"}, keywords(f.Entries)); diff != "" {
				t.Errorf("entries (-want +got):\n%s", diff)
			}
			if len(f.Communities) != 1 || f.Communities[0].Line != 3 {
				t.Errorf("communities = %v, want the one at line 3", f.Communities)
			}
			if string(f.Bytes()) != in {
				t.Errorf("Bytes() = %q, want the input back", f.Bytes())
			}
		})
	}
}

func TestParseV1Unreadable(t *testing.T) {
	f, err := ParseV1(iotest.ErrReader(errors.New("input/output error")), "snmpd.conf")
	if f != nil || err == nil || !strings.HasPrefix(err.Error(), "snmpd.conf: ") {
		t.Errorf("ParseV1(failing reader) = %v, %v; want nil and an error naming the file", f, err)
	}
}

func TestV1FileString(t *testing.T) {
	f, _ := ParseV1(strings.NewReader(string(readFixture(t, "aix-snmpd.conf"))), "/etc/snmpd.conf")
	want := "/etc/snmpd.conf: AIX SNMPv1 snmpd.conf, 24 lines, 9 entries, 2 communities, 1 views, 1 traps, 3 smux"
	if got := f.String(); got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	if got := fmt.Sprintf("%v|%#v", *f, f); got != want+"|"+want {
		t.Errorf("formatted file = %q", got)
	}
	wantLines := []string{
		"line 12: community p… (6 characters) address 0.0.0.0 mask 0.0.0.0 readOnly view -",
		"line 13: community p… (7 characters) address 127.0.0.1 mask 255.255.255.255 readWrite view -",
		"line 18: trap p… (6 characters) to 127.0.0.1 view 1.2.3 mask fe",
		"line 22: smux 1.3.6.1.4.1.2.3.1.2.1.2 password g… (14 characters) address - mask -",
		`line 13: community "p… (7 characters)" 127.0.0.1 255.255.255.255 readWrite`,
		`snmpconf.Entry{Line:18, Keyword:"trap", Fields:[]string{"p… (6 characters)", "127.0.0.1", "1.2.3", "fe"}, Secret:[]int{0}}`,
	}
	got := []string{f.Communities[0].String(), f.Communities[1].String(), f.Traps[0].String(),
		f.Smux[0].String(), f.Entries[3].String(), f.Entries[5].GoString()}
	if diff := cmp.Diff(wantLines, got); diff != "" {
		t.Errorf("String (-want +got):\n%s", diff)
	}
}
