package crontab

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestPrograms(t *testing.T) {
	tests := []struct {
		name string
		cmd  string
		want []string
	}{
		{"empty", "", nil},
		{"blanks", "  \t", nil},
		{"absolute", "/usr/sbin/skulker", []string{"/usr/sbin/skulker"}},
		{"bare name", "debian-sa1 1 1", []string{"debian-sa1"}},
		{"redirections", "/usr/lib/sendmail -q > /dev/null 2>&1", []string{"/usr/lib/sendmail"}},
		{"redirection first", ">/tmp/log /usr/bin/x", []string{"/usr/bin/x"}},
		{"sequence", "/usr/bin/a; /usr/bin/b && /usr/bin/c || /usr/bin/d & /usr/bin/e",
			[]string{"/usr/bin/a", "/usr/bin/b", "/usr/bin/c", "/usr/bin/d", "/usr/bin/e"}},
		{"pipeline", "/usr/bin/errpt -a | /usr/bin/mail -s errpt root", []string{"/usr/bin/errpt", "/usr/bin/mail"}},
		{"each once", "/usr/bin/a; /usr/bin/a", []string{"/usr/bin/a"}},
		{"relative left out", "cd /x && ./y", nil},
		{"relative path left out", "bin/run --now", nil},
		{"variable left out", "$HOME/bin/x; ${TOOLS}/y; `which z`", nil},
		{"tilde left out", "~/bin/x", nil},
		{"pattern left out", "/opt/*/bin/x", nil},
		{"empty word left out", `"" /usr/bin/x`, nil},
		{"quoted path", `"/opt/My Tools/run"`, []string{"/opt/My Tools/run"}},
		{"assignments", "LANG=C TZ=UTC /usr/bin/x", []string{"/usr/bin/x"}},
		{"assignment only", "A=1", nil},
		{"builtins", "ulimit 5000; cd /tmp; umask 022; test -f /x; [ -d /y ]; echo hi; true; :", nil},
		{"absolute test is a program", "/usr/bin/test -f /x", []string{"/usr/bin/test"}},
		{"brace group", "test -x /usr/sbin/anacron || { cd / && run-parts --report /etc/cron.daily; }",
			[]string{"run-parts", "/etc/cron.daily/"}},
		{"subshell", "( cd / && /usr/bin/x )", []string{"/usr/bin/x"}},
		{"if", "if [ -x /usr/bin/a ]; then /usr/bin/a; else /usr/bin/b; fi", []string{"/usr/bin/a", "/usr/bin/b"}},
		{"while", "while /usr/bin/check; do /usr/bin/sleep 5; done", []string{"/usr/bin/check", "/usr/bin/sleep"}},
		{"negation", "! /usr/bin/a && /usr/bin/b", []string{"/usr/bin/a", "/usr/bin/b"}},
		{"time", "time /usr/bin/a", []string{"/usr/bin/a"}},
		{"for skipped", "for f in /a /b; do /usr/bin/rm $f; done", []string{"/usr/bin/rm"}},
		{"comment", "/usr/bin/a # then /usr/bin/b", []string{"/usr/bin/a"}},
		{"exec", "exec /usr/bin/a", []string{"/usr/bin/a"}},
		{"exec with name", "exec -a name /usr/bin/a", []string{"/usr/bin/a"}},
		{"command", "command -p /usr/bin/a", []string{"/usr/bin/a"}},
		{"command -v runs nothing", "command -v debian-sa1 > /dev/null && debian-sa1 1 1", []string{"debian-sa1"}},
		{"command with -v argument", "command /usr/bin/grep -v x", []string{"/usr/bin/grep"}},
		{"nohup", "nohup /usr/bin/a &", []string{"nohup", "/usr/bin/a"}},
		{"nice", "nice -n 10 /usr/bin/a", []string{"nice", "/usr/bin/a"}},
		{"nice without command", "nice -n 5", []string{"nice"}},
		{"nice old form", "/usr/bin/nice -19 /usr/bin/a", []string{"/usr/bin/nice", "/usr/bin/a"}},
		{"env", "/usr/bin/env -i -u HOME PATH=/bin LC_ALL=C /usr/bin/a", []string{"/usr/bin/env", "/usr/bin/a"}},
		{"env double dash", "env -- /usr/bin/a", []string{"env", "/usr/bin/a"}},
		{"timeout", "timeout -s KILL --kill-after=5 1h /usr/bin/a", []string{"timeout", "/usr/bin/a"}},
		{"timeout without command", "timeout 1h", []string{"timeout"}},
		{"source", ". /etc/profile; /usr/bin/a", []string{"/etc/profile", "/usr/bin/a"}},
		{"source relative", "source ./env.sh", nil},
		{"eval", "eval /usr/bin/a '&&' /usr/bin/b", []string{"/usr/bin/a", "/usr/bin/b"}},
		{"sh script", "sh /usr/local/bin/backup.sh --full", []string{"sh", "/usr/local/bin/backup.sh"}},
		{"sh options then script", "/bin/sh -x -o errexit /opt/job.sh", []string{"/bin/sh", "/opt/job.sh"}},
		{"sh relative script", "sh backup.sh", []string{"sh"}},
		{"sh -c", `/bin/sh -c "/usr/bin/a | /usr/bin/b"`, []string{"/bin/sh", "/usr/bin/a", "/usr/bin/b"}},
		{"ksh -c", `/bin/ksh -c 'cd /srv && ./x; /usr/bin/y'`, []string{"/bin/ksh", "/usr/bin/y"}},
		{"bash -lc", `bash -lc "/opt/app/bin/run"`, []string{"bash", "/opt/app/bin/run"}},
		{"sh -c after options", `sh -e -c '/usr/bin/a'`, []string{"sh", "/usr/bin/a"}},
		{"sh double dash", "sh -- /opt/x.sh", []string{"sh", "/opt/x.sh"}},
		{"sh -c double dash", "sh -c -- /usr/bin/a", []string{"sh", "/usr/bin/a"}},
		{"sh long option", "bash --norc /opt/x.sh", []string{"bash", "/opt/x.sh"}},
		{"sh stdin", "sh -s < /opt/x.sh", []string{"sh"}},
		{"sh dash", "sh - arg", []string{"sh"}},
		{"sh empty operand", `sh ""`, []string{"sh"}},
		{"nested sh -c", `sh -c "ksh -c '/usr/bin/deep'"`, []string{"sh", "ksh", "/usr/bin/deep"}},
		{"su -c", `su - oracle -c "/home/oracle/bin/rman_backup.sh" > /tmp/rman.log 2>&1`,
			[]string{"su", "/home/oracle/bin/rman_backup.sh"}},
		{"su --command", "su db2inst1 --command=/home/db2inst1/sqllib/adm/db2start", []string{"su", "/home/db2inst1/sqllib/adm/db2start"}},
		{"su without command", "su - nobody", []string{"su"}},
		{"run-parts", "run-parts --report /etc/cron.daily", []string{"run-parts", "/etc/cron.daily/"}},
		{"run-parts options", "/bin/run-parts -u 022 --arg=x -a y /etc/cron.hourly//", []string{"/bin/run-parts", "/etc/cron.hourly/"}},
		{"run-parts root", "run-parts /", []string{"run-parts", "/"}},
		{"run-parts test", "run-parts --test /etc/cron.daily", []string{"run-parts"}},
		{"run-parts list", "run-parts --list /etc/cron.daily", []string{"run-parts"}},
		{"run-parts relative", "cd /etc && run-parts cron.daily", []string{"run-parts"}},
		{"unterminated quote", `/usr/bin/a "b c`, []string{"/usr/bin/a"}},
		{"case patterns", "case x in a) /usr/bin/a;; esac", []string{"/usr/bin/a"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, Programs(tt.cmd)); diff != "" {
				t.Errorf("Programs(%q) (-want +got):\n%s", tt.cmd, diff)
			}
		})
	}
}

func TestProgramsDepth(t *testing.T) {
	// Command strings nested deeper than maxDepth are not followed.
	cmd := "/usr/bin/bottom"
	for range maxDepth + 2 {
		cmd = "eval " + cmd
	}
	if got := Programs(cmd); got != nil {
		t.Errorf("Programs(deep) = %v, want nil", got)
	}
}
