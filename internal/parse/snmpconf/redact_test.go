package snmpconf

import (
	"fmt"
	"strings"
	"testing"

	"bastion/internal/parse"
)

// formatted returns v formatted with every verb a log line or report might
// use on it.
func formatted(v any) string {
	return fmt.Sprintf("%v\n%+v\n%s\n%#v\n%q\n", v, v, v, v, v)
}

// secretsOf returns every secret field of entries.
func secretsOf(entries []Entry) []string {
	var out []string
	for _, e := range entries {
		for _, i := range e.Secret {
			out = append(out, e.Fields[i])
		}
	}
	return out
}

// checkRedacted fails if any secret appears in full in any of the texts.
func checkRedacted(t *testing.T, secrets []string, texts []string) {
	t.Helper()
	if len(secrets) == 0 {
		t.Fatal("no secrets to look for")
	}
	all := strings.Join(texts, "\n")
	for _, s := range secrets {
		if s == "" || s == "-" {
			continue
		}
		if strings.Contains(all, s) {
			t.Errorf("secret %q appears in full in the output:\n%s", s, all)
		}
	}
}

// errorTexts formats err and each error within it.
func errorTexts(err error) []string {
	if err == nil {
		return nil
	}
	out := []string{err.Error(), formatted(err)}
	for _, pe := range parse.List(err) {
		out = append(out, pe.Error(), formatted(pe), formatted(*pe))
	}
	return out
}

// Lines with secrets that the parsers refuse: the errors about them must
// not quote the secrets either.
const (
	badV1 = "community s3cretBad readWrite\n" +
		"community s3cretBad2 10.0.0.1 255.0.0 readWrite\n" +
		"trap tr4pBad\n" +
		"smux 1.3.6.1 sm0xBad 10.0.0.1 255.0.0.0 extra\n"
	badV3 = "COMMUNITY s3cretBad s3cretBad noAuthNoPriv\n" +
		"COMMUNITY s3cretBad2 s3cretBad2 bogus 0.0.0.0 0.0.0.0 -\n" +
		"USM_USER u1 - HMAC-SHA k3yBad - -\n" +
		"  # COMMUNITY c0mmentBad c0mmentBad noAuthNoPriv 0.0.0.0 0.0.0.0 -\n" +
		"smux 1.3.6.1 sm0xBad 10.0.0.1 255.0.0.0 extra\n"
	badNetSNMP = "rocommunity s3cretBad default -V\n" +
		"rwcommunity \"s3cret Bad2 default\n" +
		"com2sec name default s3cretBad3 extra\n" +
		"trapsink nms tr4pBad port\n" +
		"authcommunity read,write 4uthBad default -V v ctx extra\n"
)

func TestSecretsNeverShown(t *testing.T) {
	tests := []struct {
		file    string
		secrets []string // written into the fixture
		parse   func(string) ([]string, []string)
	}{
		{"aix-snmpd.conf", []string{"public", "private", "gated_password", "dpid_password", "xmtopas_pw"}, formatV1},
		{"aix-snmpd-hardened.conf", []string{"n3tw0rkM0n", "l0calRW", "v6mon", "nohosts", "lockedOut", "tr4pC0mm", "g4ted_s3cret"}, formatV1},
		{"aix-snmpdv3.conf", []string{"public", "gated_password", "muxatmd_password"}, formatV3},
		{"aix-snmpdv3-users.conf", []string{"9a2b4c6d8e0f1a3b5c7d9e1f2a4b6c8d", "1b3d5f7a9c2e4a6c8e0b2d4f6a8c0e2a",
			"0f1e2d3c4b5a69788796a5b4c3d2e1f0", "m0nitorRO", "loc4lOnly", "defaultP4ss"}, formatV3},
		{"debian-snmpd.conf", []string{"public"}, formatNetSNMP},
		{"rhel-snmpd.conf", []string{"public"}, formatNetSNMP},
		{"risky-snmpd.conf", []string{"private", "wr1te s3cret", "r3ad0nly", "n0tif1er", "l0calC0mm", "4nyb0dy",
			"p4ss phr4se", "pr1vPhr4se", "tr4pC0mm", "sinkC0mm", "inf0rmC0mm", "sessC0mm", "-cpr0xyC0mm"}, formatNetSNMP},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			found, texts := tt.parse(string(readFixture(t, tt.file)))
			for _, s := range tt.secrets {
				if !contains(found, s) {
					t.Errorf("secret %q of the fixture was not recognised as one", s)
				}
			}
			// The community run together with its -c option is hidden too.
			checkRedacted(t, append(append(found, tt.secrets...), "pr0xyC0mm"), texts)
		})
	}

	bad := []struct {
		name    string
		in      string
		secrets []string
		parse   func(string) ([]string, []string)
	}{
		{"bad v1 lines", badV1, []string{"s3cretBad", "s3cretBad2", "tr4pBad", "sm0xBad"}, formatV1},
		{"bad v3 lines", badV3, []string{"s3cretBad", "s3cretBad2", "k3yBad", "c0mmentBad", "sm0xBad"}, formatV3},
		{"bad net-snmp lines", badNetSNMP, []string{"s3cretBad", "s3cret Bad2", "s3cretBad3", "tr4pBad", "4uthBad"}, formatNetSNMP},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			_, texts := tt.parse(tt.in)
			if n := strings.Count(strings.Join(texts, "\n"), ":1: "); n == 0 {
				t.Fatalf("no error reported for the bad lines")
			}
			checkRedacted(t, tt.secrets, texts)
		})
	}
}

func contains(list []string, s string) bool {
	for _, l := range list {
		if l == s {
			return true
		}
	}
	return false
}

// formatV1 parses an snmpd.conf and returns the secrets it read and the
// formatted text of every value and error.
func formatV1(in string) ([]string, []string) {
	f, err := ParseV1(strings.NewReader(in), "snmpd.conf")
	secrets := secretsOf(f.Entries)
	texts := append(errorTexts(err), formatted(f), formatted(*f), formatted(f.Entries),
		formatted(f.Communities), formatted(f.Views), formatted(f.Traps), formatted(f.Smux))
	for _, e := range f.Entries {
		texts = append(texts, formatted(e), formatted(&e))
	}
	for _, c := range f.Communities {
		secrets = append(secrets, c.Name)
		texts = append(texts, formatted(c), formatted(&c))
	}
	for _, tr := range f.Traps {
		secrets = append(secrets, tr.Community)
		texts = append(texts, formatted(tr), formatted(&tr))
	}
	for _, s := range f.Smux {
		secrets = append(secrets, s.Password)
		texts = append(texts, formatted(s), formatted(&s))
	}
	return secrets, texts
}

// formatV3 is formatV1 for snmpdv3.conf.
func formatV3(in string) ([]string, []string) {
	f, err := ParseV3(strings.NewReader(in), "snmpdv3.conf")
	secrets := secretsOf(f.Entries)
	texts := append(errorTexts(err), formatted(f), formatted(*f), formatted(f.Entries),
		formatted(f.Communities), formatted(f.Smux))
	for _, e := range f.Entries {
		texts = append(texts, formatted(e), formatted(&e))
	}
	for _, c := range f.Communities {
		secrets = append(secrets, c.Name, c.SecurityName)
		texts = append(texts, formatted(c), formatted(&c))
	}
	for _, s := range f.Smux {
		secrets = append(secrets, s.Password)
		texts = append(texts, formatted(s), formatted(&s))
	}
	return secrets, texts
}

// formatNetSNMP is formatV1 for net-snmp's snmpd.conf.
func formatNetSNMP(in string) ([]string, []string) {
	f, err := ParseNetSNMP(strings.NewReader(in), "snmpd.conf")
	secrets := secretsOf(f.Entries)
	texts := append(errorTexts(err), formatted(f), formatted(*f), formatted(f.Entries),
		formatted(f.Communities), formatted(f.TrapSinks), formatted(f.Users), formatted(f.Groups),
		formatted(f.Accesses), formatted(f.AgentAddresses), formatted(f.Includes))
	for _, e := range f.Entries {
		texts = append(texts, formatted(e), formatted(&e))
	}
	for _, c := range f.Communities {
		secrets = append(secrets, c.Name)
		texts = append(texts, formatted(c), formatted(&c))
	}
	for _, s := range f.TrapSinks {
		secrets = append(secrets, s.Community)
		texts = append(texts, formatted(s), formatted(&s))
	}
	return secrets, texts
}
