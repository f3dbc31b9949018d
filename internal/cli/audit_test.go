package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"bastion/internal/audit"
)

func auditJSON(t *testing.T, wantCode int, args ...string) *audit.Result {
	t.Helper()
	out, errs, code := run(t, append([]string{"audit", "--format", "json"}, args...)...)
	if wantCode >= 0 && code != wantCode || code == ExitError {
		t.Fatalf("exit %d, want %d: %s", code, wantCode, errs)
	}
	var res audit.Result
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("decode: %v", err)
	}
	return &res
}

// The audit of the default AIX 4.3.3 host names every insecure service of
// the method's listings at its file and line.
func TestAuditAIXDefault(t *testing.T) {
	res := auditJSON(t, ExitFindings, "--root", aixDefault)
	got := map[string]bool{}
	for _, f := range res.Findings {
		got[fmt.Sprintf("%s %s", f.Rule, f.Where)] = true
	}
	for _, want := range []string{
		"SVC-FTP /etc/inetd.conf:12", "SVC-TELNET /etc/inetd.conf:13",
		"SVC-RSERVICES /etc/inetd.conf:14", "SVC-RSERVICES /etc/inetd.conf:16", "SVC-RSERVICES /etc/inetd.conf:18",
		"SVC-KRSERVICES /etc/inetd.conf:15", "SVC-KRSERVICES /etc/inetd.conf:17",
		"SVC-BOOTPS /etc/inetd.conf:21", "SVC-TFTP /etc/inetd.conf:31", "SVC-TALK /etc/inetd.conf:33",
		"SVC-RPC-INFO /etc/inetd.conf:34", "SVC-RPC-INFO /etc/inetd.conf:35", "SVC-RPC-INFO /etc/inetd.conf:36",
		"SVC-RPC-INFO /etc/inetd.conf:37", "SVC-RPC-INFO /etc/inetd.conf:38", "SVC-RPC-INFO /etc/inetd.conf:53",
		"SVC-INETD-INTERNAL /etc/inetd.conf:40", "SVC-INETD-INTERNAL /etc/inetd.conf:49",
		"SVC-CDE-RPC /etc/inetd.conf:52", "SVC-CDE-RPC /etc/inetd.conf:55", "SVC-CDE-RPC /etc/inetd.conf:56",
		"SVC-INSTSRV /etc/inetd.conf:54",
		"SVC-SENDMAIL-DAEMON /etc/rc.tcpip:57", "SVC-PORTMAP /etc/rc.tcpip:60",
		"SVC-SNMP /etc/rc.tcpip:78", "SVC-SNMP /etc/rc.tcpip:87",
		"SVC-WRITESRV /etc/inittab:24", "SVC-IMNSEARCH /etc/inittab:26", "SVC-IMNSEARCH /etc/inittab:28",
		"SVC-X11 /etc/inittab:40", "SVC-NFS /etc/rc.nfs:39",
	} {
		if !got[want] {
			t.Errorf("missing finding %s", want)
		}
	}
	if res.Index < 0 || res.Index > 20 {
		t.Errorf("index %d for the default host", res.Index)
	}
	total := 0.0
	for _, f := range res.Findings {
		total += f.Cost
		if f.Exposure == "" || f.Found == "" || f.Expected == "" {
			t.Errorf("incomplete finding %+v", f)
		}
	}
	if d := 100 - total - float64(res.Index); d > 1 || d < -1 {
		t.Errorf("costs add up to %.1f, index %d", total, res.Index)
	}
	// A listening public service costs more than a dormant line of the same severity.
	cost := map[string]float64{}
	for _, f := range res.Findings {
		cost[fmt.Sprintf("%s %s", f.Rule, f.Where)] = f.Cost
	}
	if cost["SVC-TELNET /etc/inetd.conf:13"] <= cost["SVC-TFTP /etc/inetd.conf:31"] {
		t.Errorf("listening telnet costs %.1f, dormant tftp %.1f", cost["SVC-TELNET /etc/inetd.conf:13"], cost["SVC-TFTP /etc/inetd.conf:31"])
	}
}

// The hardened host under the policy of what it kept has no service
// findings at or above the threshold.
func TestAuditAIXHardened(t *testing.T) {
	pol := writeFile(t, "policy.yaml", "version: 1\nservices: [ftp, telnet, smtp, portmap, syslog]\n")
	// The modes the hardened host has, which git does not keep.
	root := copyRoot(t, aixHardened)
	for _, f := range []string{"etc/ftpusers", "var/adm/auth.log", "var/adm/daemon.log", "var/adm/errorlog", "var/adm/mail.log"} {
		if err := os.Chmod(filepath.Join(root, f), 0o640); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []string{"var/spool/cron/crontabs/root", "var/adm/cron/cron.allow", "var/adm/cron/at.allow", "var/adm/cron/log"} {
		if err := os.Chmod(filepath.Join(root, f), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	res := auditJSON(t, ExitOK, "--root", root, "--policy", pol)
	for _, f := range res.Findings {
		if f.Topic == "services" {
			t.Errorf("service finding on the hardened host: %s %s", f.Rule, f.Where)
		}
	}
	if res.Index < 80 {
		for _, f := range res.Findings {
			t.Logf("%s %s", f.Rule, f.Where)
		}
		t.Errorf("index %d", res.Index)
	}
}

func TestAuditWaiver(t *testing.T) {
	pol := writeFile(t, "policy.yaml", `version: 1
fail_on: high
waivers:
  - rule: SVC-UNEXPLAINED
    target: 54666/tcp
    reason: known test listener
    expires: 2999-01-01
  - rule: SVC-TFTP
    reason: until the install server moves
    expires: 2000-01-01
`)
	res := auditJSON(t, ExitFindings, "--root", debian, "--policy", pol)
	seen := 0
	for _, f := range res.Findings {
		switch f.Rule {
		case "SVC-UNEXPLAINED":
			seen++
			if f.Waived == nil || f.WaiverExpired || f.Cost != 0 {
				t.Errorf("unexplained listener not waived: %+v", f)
			}
		case "SVC-TFTP":
			seen++
			if f.Waived == nil || !f.WaiverExpired || f.Cost == 0 {
				t.Errorf("expired waiver still applies: %+v", f)
			}
		}
	}
	if seen != 2 {
		t.Errorf("saw %d of the 2 waived findings", seen)
	}
	out, _, _ := run(t, "audit", "--root", debian, "--policy", pol, "--color", "never")
	if !strings.Contains(out, "waiver expired on 2000-01-01") || !strings.Contains(out, "waived until 2999-01-01: known test listener") {
		t.Errorf("text report does not show the waivers:\n%s", out)
	}
}

func TestAuditBadPolicy(t *testing.T) {
	pol := writeFile(t, "bad.yaml", "version: 1\nroles: [mail-server, spaceship]\n")
	out, errs, code := run(t, "audit", "--root", aixDefault, "--policy", pol)
	if code != ExitError || out != "" || !strings.Contains(errs, "bad.yaml:2:") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errs)
	}
	_, errs, code = run(t, "audit", "--root", aixDefault, "--rule", "NO-SUCH-RULE")
	if code != ExitError || !strings.Contains(errs, "unknown rule") {
		t.Errorf("unknown rule: exit %d, %q", code, errs)
	}
}

func TestRulesAndExplain(t *testing.T) {
	out, _, code := run(t, "rules")
	if code != ExitOK || !strings.Contains(out, "SVC-TELNET") || !strings.Contains(out, "SEVERITY") {
		t.Errorf("rules: %d\n%s", code, out)
	}
	out, _, code = run(t, "explain", "svc-telnet")
	if code != ExitOK || !strings.Contains(out, "SVC-TELNET: telnet is enabled") || !strings.Contains(out, "Why:") || !strings.Contains(out, "CIS") {
		t.Errorf("explain: %d\n%s", code, out)
	}
	if _, errs, code := run(t, "explain", "NOPE-X"); code != ExitError || !strings.Contains(errs, "unknown rule") {
		t.Errorf("explain of an unknown rule: %d %q", code, errs)
	}
}

func TestInit(t *testing.T) {
	out, errs, code := run(t, "init", "--root", aixDefault)
	if code != ExitOK {
		t.Fatalf("init: %d %s", code, errs)
	}
	pol := writeFile(t, "init.yaml", out)
	// The policy init writes allows everything that runs now.
	res := auditJSON(t, -1, "--root", aixDefault, "--policy", pol)
	for _, f := range res.Findings {
		if f.Topic == "services" && f.Rule != "SVC-INITTAB-HASH" && f.Rule != "SVC-UNEXPLAINED" {
			t.Errorf("finding under the init policy: %s %s (%s)", f.Rule, f.Where, f.Service)
		}
	}
}
