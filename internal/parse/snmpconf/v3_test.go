package snmpconf

import (
	"errors"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"

	"bastion/internal/parse"
)

func TestParseV3Default(t *testing.T) {
	data := readFixture(t, "aix-snmpdv3.conf")
	f, err := ParseV3(strings.NewReader(string(data)), "/etc/snmpdv3.conf")
	if err != nil {
		t.Fatalf("ParseV3: %v", err)
	}
	if string(f.Bytes()) != string(data) {
		t.Errorf("Bytes() does not give the file back")
	}
	want := []V3Community{{Line: 23, Name: "public", SecurityName: "public", SecurityLevel: "noAuthNoPriv",
		Address: "0.0.0.0", Mask: "0.0.0.0", StorageType: "-"}}
	if diff := cmp.Diff(want, f.Communities); diff != "" {
		t.Errorf("communities (-want +got):\n%s", diff)
	}
	if !f.Communities[0].AnyHost() {
		t.Errorf("the stock community must be usable from any host")
	}
	wantSmux := []Smux{
		{Line: 30, OID: "1.3.6.1.4.1.2.3.1.2.1.2", Password: "gated_password"},
		{Line: 31, OID: "1.3.6.1.4.1.2.3.1.2.3.1.1", Password: "muxatmd_password"},
	}
	if diff := cmp.Diff(wantSmux, f.Smux); diff != "" {
		t.Errorf("smux (-want +got):\n%s", diff)
	}
	wantEntries := []Entry{
		{Line: 8, Keyword: "VACM_GROUP", Fields: []string{"group1", "SNMPv1", "public", "-"}, Secret: []int{2}},
		{Line: 10, Keyword: "VACM_VIEW", Fields: []string{"defaultView", "internet", "-", "included", "-"}},
		{Line: 11, Keyword: "VACM_VIEW", Fields: []string{"defaultView", "1.3.6.1.4.1.2.6.191", "-", "excluded", "-"}},
		{Line: 13, Keyword: "VACM_VIEW", Fields: []string{"defaultView", "snmpModules", "-", "excluded", "-"}},
		{Line: 15, Keyword: "VACM_ACCESS", Fields: []string{"group1", "-", "-", "noAuthNoPriv", "SNMPv1", "defaultView", "-", "defaultView", "-"}},
		{Line: 17, Keyword: "NOTIFY", Fields: []string{"notify1", "traptag", "trap", "-"}},
		{Line: 19, Keyword: "TARGET_ADDRESS", Fields: []string{"Target1", "UDP", "127.0.0.1", "traptag", "trapparms1", "-", "-", "-"}},
		{Line: 21, Keyword: "TARGET_PARAMETERS", Fields: []string{"trapparms1", "SNMPv1", "SNMPv1", "public", "noAuthNoPriv", "-"}, Secret: []int{3}},
		{Line: 23, Keyword: "COMMUNITY", Fields: []string{"public", "public", "noAuthNoPriv", "0.0.0.0", "0.0.0.0", "-"}, Secret: []int{0, 1}},
		{Line: 25, Keyword: "DEFAULT_SECURITY", Fields: []string{"no-access", "-", "-"}},
		{Line: 27, Keyword: "logging", Fields: []string{"file=/usr/tmp/snmpdv3.log", "enabled"}},
		{Line: 28, Keyword: "logging", Fields: []string{"size=100000", "level=0"}},
		{Line: 30, Keyword: "smux", Fields: []string{"1.3.6.1.4.1.2.3.1.2.1.2", "gated_password"}, Secret: []int{1}},
		{Line: 31, Keyword: "smux", Fields: []string{"1.3.6.1.4.1.2.3.1.2.3.1.1", "muxatmd_password"}, Secret: []int{1}},
	}
	if diff := cmp.Diff(wantEntries, f.Entries); diff != "" {
		t.Errorf("entries (-want +got):\n%s", diff)
	}
}

func TestParseV3Users(t *testing.T) {
	f, err := ParseV3(strings.NewReader(string(readFixture(t, "aix-snmpdv3-users.conf"))), "snmpdv3.conf")
	if err != nil {
		t.Fatalf("ParseV3: %v", err)
	}
	want := []V3Community{
		{Line: 10, Name: "m0nitorRO", SecurityName: "m0nitorRO", SecurityLevel: "noAuthNoPriv",
			Address: "192.0.2.0", Mask: "255.255.255.0", StorageType: "nonVolatile"},
		{Line: 11, Name: "loc4lOnly", SecurityName: "-", SecurityLevel: "-", Address: "127.0.0.1", Mask: "-", StorageType: "-"},
	}
	if diff := cmp.Diff(want, f.Communities); diff != "" {
		t.Errorf("communities (-want +got):\n%s", diff)
	}
	secrets := map[int][]int{}
	for _, e := range f.Entries {
		if e.Secret != nil {
			secrets[e.Line] = e.Secret
		}
	}
	wantSecrets := map[int][]int{
		2:  {3},    // USM_USER u1: the auth key (no privacy key)
		3:  {3, 5}, // USM_USER u2: both keys
		6:  {2},    // VACM_GROUP for SNMPv2c: the community's security name
		10: {0, 1},
		11: {0}, // the "-" security name is no secret
		13: {1}, // DEFAULT_SECURITY password
	}
	if diff := cmp.Diff(wantSecrets, secrets); diff != "" {
		t.Errorf("secret fields by line (-want +got):\n%s", diff)
	}
	// An unknown keyword keeps every field, '#' included.
	last := f.Entries[len(f.Entries)-1]
	if last.Keyword != "VACM_CONTEXT" || len(last.Fields) != 1 || last.Fields[0] != "ctx#1" {
		t.Errorf("last entry = %#v, want VACM_CONTEXT ctx#1", last)
	}
}

func TestParseV3Forms(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"comments in column 1 with # and *", "# comment\n* comment\n\nDEFAULT_SECURITY no-access - -\n", []string{"4 DEFAULT_SECURITY"}},
		{"keyword in any case", "community c0mm c0mm - - - -\n", []string{"1 community"}},
		{"trailing comment after all the fields", "NOTIFY n1 tag trap - # traps\n", []string{"1 NOTIFY"}},
		{"CRLF and tabs", "VACM_GROUP\tg1\tSNMPv1\tc0mm\t-\r\n", []string{"1 VACM_GROUP"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := ParseV3(strings.NewReader(tt.in), "snmpdv3.conf")
			if err != nil {
				t.Fatalf("ParseV3: %v", err)
			}
			if diff := cmp.Diff(tt.want, keywords(f.Entries)); diff != "" {
				t.Errorf("entries (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseV3Errors(t *testing.T) {
	tests := []struct {
		name, line, want string
	}{
		{"indented comment", "  # VACM_GROUP g SNMPv1 c -", "snmpdv3.conf:2: comment does not start in column 1 (the agent reads it as an entry)"},
		{"indented star comment", "\t* note", "snmpdv3.conf:2: comment does not start in column 1 (the agent reads it as an entry)"},
		{"too few fields", "COMMUNITY s3cr3t s3cr3t noAuthNoPriv 0.0.0.0",
			`snmpdv3.conf:2: COMMUNITY entry has 4 fields, want 6 (write "-" for a default)`},
		{"too many fields", "VACM_GROUP g1 SNMPv1 s3cr3t - extra",
			`snmpdv3.conf:2: VACM_GROUP entry has 5 fields, want 4 (write "-" for a default)`},
		{"keyword alone", "USM_USER", `snmpdv3.conf:2: USM_USER entry has 0 fields, want 8 (write "-" for a default)`},
		{"community without name", "COMMUNITY - s3cr3t noAuthNoPriv 0.0.0.0 0.0.0.0 -", "snmpdv3.conf:2: COMMUNITY entry has no community name"},
		{"bad security level", "COMMUNITY s3cr3t s3cr3t none 0.0.0.0 0.0.0.0 -",
			`snmpdv3.conf:2: COMMUNITY entry has the unknown security level "none": want noAuthNoPriv, authNoPriv or authPriv`},
		{"bad address", "COMMUNITY s3cr3t s3cr3t noAuthNoPriv 999.0.0.1 0.0.0.0 -", `snmpdv3.conf:2: COMMUNITY entry has a bad address "999.0.0.1"`},
		{"bad netmask", "COMMUNITY s3cr3t s3cr3t noAuthNoPriv 10.0.0.0 255.255.0.0.0 -", `snmpdv3.conf:2: COMMUNITY entry has a bad netmask "255.255.0.0.0"`},
		{"smux without password", "smux 1.3.6.1.4.1.2.3.1.2.1.2", "snmpdv3.conf:2: smux entry for 1.3.6.1.4.1.2.3.1.2.1.2 has no password"},
		{"smux with too many fields", "smux 1.3.6.1 s3cr3t 127.0.0.1 255.255.255.255 x",
			"snmpdv3.conf:2: smux entry for 1.3.6.1 has 5 fields, want at most 4 (OID, password, address, netmask)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := "DEFAULT_SECURITY no-access - -\n" + tt.line + "\nlogging size=100000 level=0\n"
			f, err := ParseV3(strings.NewReader(in), "snmpdv3.conf")
			if f == nil || err == nil {
				t.Fatalf("ParseV3 = %v, %v; want a file and an error", f, err)
			}
			if got := err.Error(); got != tt.want {
				t.Errorf("error = %q, want %q", got, tt.want)
			}
			list := parse.List(err)
			if len(list) != 1 || list[0].Line != 2 || list[0].File != "snmpdv3.conf" {
				t.Errorf("parse.List(err) = %v, want one error at snmpdv3.conf:2", list)
			}
			if diff := cmp.Diff([]string{"1 DEFAULT_SECURITY", "3 logging"}, keywords(f.Entries)); diff != "" {
				t.Errorf("entries (-want +got):\n%s", diff)
			}
			if len(f.Communities) != 0 || len(f.Smux) != 0 {
				t.Errorf("the bad line was kept: %v %v", f.Communities, f.Smux)
			}
			if string(f.Bytes()) != in {
				t.Errorf("Bytes() = %q, want the input back", f.Bytes())
			}
		})
	}
}

func TestParseV3Unreadable(t *testing.T) {
	f, err := ParseV3(iotest.ErrReader(errors.New("input/output error")), "snmpdv3.conf")
	if f != nil || err == nil || !strings.HasPrefix(err.Error(), "snmpdv3.conf: ") {
		t.Errorf("ParseV3(failing reader) = %v, %v; want nil and an error naming the file", f, err)
	}
}
