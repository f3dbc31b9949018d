package rule

import (
	"errors"
	"fmt"
	"testing"

	"bastion/internal/severity"
	"bastion/internal/target"
)

func valid(id string) Rule {
	return Rule{ID: id, Title: "t", Topic: "x", Rationale: "r", Remediation: "m", Severity: severity.Low,
		Check: func(*Context, *Report) error { return nil }}
}

func TestRegister(t *testing.T) {
	r := Register(valid("RULE-TEST-ONE"))
	if got, ok := Lookup("RULE-TEST-ONE"); !ok || got != r {
		t.Fatal("Lookup after Register")
	}
	mustPanic := func(name string, r Rule) {
		t.Helper()
		defer func() {
			if recover() == nil {
				t.Errorf("%s: Register did not panic", name)
			}
		}()
		Register(r)
	}
	mustPanic("duplicate", valid("RULE-TEST-ONE"))
	mustPanic("lower case", valid("rule-test"))
	mustPanic("no dash", valid("RULE"))
	noCheck := valid("RULE-TEST-TWO")
	noCheck.Check = nil
	mustPanic("no check", noCheck)
	noSev := valid("RULE-TEST-THREE")
	noSev.Severity = 0
	mustPanic("no severity", noSev)
	noWhy := valid("RULE-TEST-FOUR")
	noWhy.Rationale = ""
	mustPanic("no rationale", noWhy)
	all := All()
	for i := 1; i < len(all); i++ {
		if all[i-1].ID >= all[i].ID {
			t.Error("All is not sorted")
		}
	}
}

func TestAppliesTo(t *testing.T) {
	r := valid("X-Y")
	if !r.AppliesTo(target.AIX) {
		t.Error("a rule without platforms applies everywhere")
	}
	r.Platforms = []target.OS{target.Linux}
	if r.AppliesTo(target.AIX) || !r.AppliesTo(target.Linux) {
		t.Error("platform filter")
	}
}

func TestLocationAndReport(t *testing.T) {
	for _, tc := range []struct {
		l    Location
		want string
	}{
		{Location{File: "/etc/inetd.conf", Line: 13}, "/etc/inetd.conf:13"},
		{Location{File: "/lib/systemd/system/x.service", Unit: "x.service"}, "x.service (/lib/systemd/system/x.service)"},
		{Location{Unit: "x.socket"}, "x.socket"},
		{Location{Key: "ipforwarding"}, "ipforwarding"},
		{Location{Key: "k", File: "/etc/tunables/nextboot", Line: 4}, "k (/etc/tunables/nextboot:4)"},
	} {
		if got := tc.l.String(); got != tc.want {
			t.Errorf("%+v = %q, want %q", tc.l, got, tc.want)
		}
	}
	r := valid("RULE-TEST-REPORT")
	rep := NewReport(&r)
	rep.Add(Finding{Where: Location{File: "/a", Line: 1}})
	rep.Add(Finding{Severity: severity.Critical, Service: "telnet", Exposure: Public})
	fs := rep.Findings()
	if fs[0].Rule != "RULE-TEST-REPORT" || fs[0].Severity != severity.Low || fs[0].Fix != "m" || fs[0].Exposure != Host || fs[0].Topic != "x" {
		t.Errorf("defaults not filled: %+v", fs[0])
	}
	if fs[1].Severity != severity.Critical || fs[1].Target() != "telnet" || fs[0].Target() != "/a:1" {
		t.Errorf("own values lost: %+v", fs[1])
	}
	err := fmt.Errorf("wrap: %w", Undecided("no %s", "capture"))
	if reason, ok := IsUndecided(err); !ok || reason != "no capture" {
		t.Errorf("IsUndecided = %q, %v", reason, ok)
	}
	if _, ok := IsUndecided(errors.New("x")); ok {
		t.Error("a plain error is undecided")
	}
}
