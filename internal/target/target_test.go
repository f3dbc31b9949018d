package target

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// mkroot builds a root with links that try to leave it, next to a file that
// must never be read ("outside/secret").
func mkroot(t *testing.T) (root, outside string) {
	t.Helper()
	base := t.TempDir()
	root = filepath.Join(base, "root")
	outside = filepath.Join(base, "outside")
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(filepath.Join(root, "etc/mail"), 0o755))
	must(os.MkdirAll(filepath.Join(root, "usr/sbin"), 0o755))
	must(os.MkdirAll(filepath.Join(root, "usr/lib"), 0o755))
	must(os.MkdirAll(outside, 0o755))
	must(os.WriteFile(filepath.Join(outside, "secret"), []byte("outside\n"), 0o644))
	must(os.WriteFile(filepath.Join(root, "secret"), []byte("inside\n"), 0o644))
	must(os.WriteFile(filepath.Join(root, "etc/inittab"), []byte("init\n"), 0o644))
	must(os.WriteFile(filepath.Join(root, "usr/sbin/sendmail"), []byte("sendmail\n"), 0o755))
	// An absolute link, as AIX has it: /usr/lib/sendmail -> /usr/sbin/sendmail.
	must(os.Symlink("/usr/sbin/sendmail", filepath.Join(root, "usr/lib/sendmail")))
	// Links that try to get out.
	must(os.Symlink("../../outside/secret", filepath.Join(root, "etc/rel-escape")))
	must(os.Symlink(filepath.Join(outside, "secret"), filepath.Join(root, "etc/abs-escape")))
	must(os.Symlink("/../../../secret", filepath.Join(root, "etc/dotdot-abs")))
	must(os.Symlink(outside, filepath.Join(root, "etc/dir-escape")))
	must(os.Symlink("/etc", filepath.Join(root, "etc/mail/etc")))
	must(os.Symlink("loop2", filepath.Join(root, "etc/loop1")))
	must(os.Symlink("loop1", filepath.Join(root, "etc/loop2")))
	return root, outside
}

func TestConfinement(t *testing.T) {
	root, outside := mkroot(t)
	tg, err := Open(root)
	if err != nil {
		t.Fatal(err)
	}
	defer tg.Close()

	tests := []struct {
		name string
		want string // content, or "" for an error
		err  error  // error the read must match, when want is ""
	}{
		{"/etc/inittab", "init\n", nil},
		{"etc/inittab", "init\n", nil},
		{"/usr/lib/sendmail", "sendmail\n", nil},
		{"/../../secret", "inside\n", nil},
		{"/etc/../../../secret", "inside\n", nil},
		{"/etc/mail/etc/inittab", "init\n", nil},
		{"/etc/dotdot-abs", "inside\n", nil},
		// ../../outside/secret from /etc climbs to / and stops there.
		{"/etc/rel-escape", "", fs.ErrNotExist},
		// An absolute link to the host's directory resolves inside the root.
		{"/etc/abs-escape", "", fs.ErrNotExist},
		{"/etc/dir-escape/secret", "", fs.ErrNotExist},
		{"/etc/loop1", "", errLoop},
		{"/etc/inittab/x", "", nil},
	}
	for _, tc := range tests {
		got, err := tg.ReadFile(tc.name)
		if tc.want != "" {
			if err != nil || string(got) != tc.want {
				t.Errorf("ReadFile(%q) = %q, %v; want %q", tc.name, got, err, tc.want)
			}
			continue
		}
		if err == nil {
			t.Errorf("ReadFile(%q) = %q, want an error", tc.name, got)
			continue
		}
		if string(got) == "outside\n" {
			t.Errorf("ReadFile(%q) read outside the root", tc.name)
		}
		if tc.err != nil && !errors.Is(err, tc.err) {
			t.Errorf("ReadFile(%q) error %v, want %v", tc.name, err, tc.err)
		}
		var pe *fs.PathError
		if !errors.As(err, &pe) || pe.Path != tc.name {
			t.Errorf("ReadFile(%q) error %v does not name the target path", tc.name, err)
		}
		if pe != nil && filepath.IsAbs(pe.Err.Error()) {
			t.Errorf("error %q names a host path", err)
		}
	}
	_ = outside
}

func TestResolve(t *testing.T) {
	root, _ := mkroot(t)
	tg, err := Open(root)
	if err != nil {
		t.Fatal(err)
	}
	defer tg.Close()
	got, err := tg.Resolve("/usr/lib/sendmail")
	if err != nil || got != "/usr/sbin/sendmail" {
		t.Errorf("Resolve = %q, %v", got, err)
	}
	// A link whose target is absent still resolves to the path it names.
	if err := os.Symlink("/usr/sbin/absent", filepath.Join(root, "usr/lib/absent")); err != nil {
		t.Fatal(err)
	}
	got, err = tg.Resolve("/usr/lib/absent")
	if !errors.Is(err, fs.ErrNotExist) || got != "/usr/sbin/absent" {
		t.Errorf("Resolve(absent) = %q, %v", got, err)
	}
	got, err = tg.Resolve("/etc/dir-escape/secret")
	if !errors.Is(err, fs.ErrNotExist) || filepath.Dir(got) == filepath.Dir(root) {
		t.Errorf("Resolve(dir-escape) = %q, %v", got, err)
	}
	got, err = tg.Resolve("/")
	if err != nil || got != "/" {
		t.Errorf("Resolve(/) = %q, %v", got, err)
	}
}

func TestLstatReadlinkReadDir(t *testing.T) {
	root, _ := mkroot(t)
	tg, err := Open(root)
	if err != nil {
		t.Fatal(err)
	}
	defer tg.Close()
	fi, err := tg.Lstat("/usr/lib/sendmail")
	if err != nil || fi.Mode()&fs.ModeSymlink == 0 {
		t.Errorf("Lstat = %v, %v; want a link", fi, err)
	}
	fi, err = tg.Stat("/usr/lib/sendmail")
	if err != nil || !fi.Mode().IsRegular() {
		t.Errorf("Stat = %v, %v; want a file", fi, err)
	}
	s, err := tg.Readlink("/usr/lib/sendmail")
	if err != nil || s != "/usr/sbin/sendmail" {
		t.Errorf("Readlink = %q, %v", s, err)
	}
	ents, err := tg.ReadDir("/usr")
	if err != nil || len(ents) != 2 || ents[0].Name() != "lib" || ents[1].Name() != "sbin" {
		t.Errorf("ReadDir = %v, %v", ents, err)
	}
	if _, err := tg.ReadDir("/etc/dir-escape"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("ReadDir(dir-escape) err = %v, want not exist", err)
	}
}

func TestGaps(t *testing.T) {
	root, _ := mkroot(t)
	tg, err := Open(root)
	if err != nil {
		t.Fatal(err)
	}
	defer tg.Close()
	_, err = tg.ReadFile("/etc/absent")
	if Reason(err) != "not there" {
		t.Errorf("Reason = %q", Reason(err))
	}
	if Reason(&fs.PathError{Op: "open", Path: "/x", Err: fs.ErrPermission}) != "permission denied" {
		t.Error("permission reason")
	}
	tg.AddGap(Gap{Path: "/etc/absent", What: "x", Reason: Reason(err)})
	tg.AddGap(Gap{Path: "/etc/absent", What: "x", Reason: Reason(err)})
	tg.AddGap(Gap{Path: "/etc/a", Line: 3, What: "y", Reason: "bad"})
	gaps := tg.Gaps()
	if len(gaps) != 2 || gaps[0].Path != "/etc/a" || gaps[1].Path != "/etc/absent" {
		t.Errorf("Gaps = %+v", gaps)
	}
}

func TestOpenErrors(t *testing.T) {
	if _, err := Open(filepath.Join(t.TempDir(), "nope")); err == nil {
		t.Error("Open of a missing directory succeeded")
	}
	f := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(f, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(f); err == nil {
		t.Error("Open of a file succeeded")
	}
}

func TestDetect(t *testing.T) {
	for _, tc := range []struct {
		files map[string]string
		want  Platform
	}{
		{map[string]string{"etc/os-release": "ID=debian\nVERSION_ID=\"12\"\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n"},
			Platform{OS: Linux, Distro: "debian", Version: "12", Name: "Debian GNU/Linux 12 (bookworm)", From: "/etc/os-release"}},
		{map[string]string{"etc/redhat-release": "Red Hat Enterprise Linux release 9.4 (Plow)\n"},
			Platform{OS: Linux, Distro: "rhel", Version: "9.4", Name: "Red Hat Enterprise Linux 9.4", From: "/etc/redhat-release"}},
		{map[string]string{"etc/rc.tcpip": "", "var/lib/bastion/capture/oslevel-s": "7200-05-03-2148\n"},
			Platform{OS: AIX, Distro: "aix", Version: "7.2", Name: "AIX 7.2 TL5 SP3", From: "/var/lib/bastion/capture/oslevel-s"}},
		{map[string]string{"usr/lpp/bos/aix_release.level": "7.3.0.0\n"},
			Platform{OS: AIX, Distro: "aix", Version: "7.3", Name: "AIX 7.3", From: "/usr/lpp/bos/aix_release.level"}},
		{map[string]string{"etc/rc.tcpip": ""}, Platform{OS: AIX, Distro: "aix", Name: "AIX", From: "/etc/rc.tcpip"}},
		{map[string]string{"x": ""}, Platform{OS: Unknown, Name: "unknown"}},
	} {
		root := t.TempDir()
		for n, c := range tc.files {
			p := filepath.Join(root, n)
			os.MkdirAll(filepath.Dir(p), 0o755)
			os.WriteFile(p, []byte(c), 0o644)
		}
		tg, err := Open(root)
		if err != nil {
			t.Fatal(err)
		}
		if got := Detect(tg); got != tc.want {
			t.Errorf("Detect(%v) = %+v, want %+v", tc.files, got, tc.want)
		}
		tg.Close()
	}
}

// A FIFO or a device in the target is refused at once, never read: a
// FIFO would block the audit forever, /dev/zero would never end.
func TestNoFIFOOrDevice(t *testing.T) {
	dir := t.TempDir()
	if err := syscall.Mkfifo(filepath.Join(dir, "fifo"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/dev/zero", filepath.Join(dir, "zero")); err != nil {
		t.Fatal(err)
	}
	tg, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer tg.Close()
	done := make(chan struct{})
	go func() {
		defer close(done)
		for _, name := range []string{"/fifo"} {
			if _, err := tg.ReadFile(name); !errors.Is(err, ErrNotRegular) {
				t.Errorf("ReadFile(%s): %v, want ErrNotRegular", name, err)
			}
			if _, err := tg.Open(name); !errors.Is(err, ErrNotRegular) {
				t.Errorf("Open(%s): %v, want ErrNotRegular", name, err)
			}
		}
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("reading a FIFO blocked")
	}
	// An absolute link resolves inside the root: /dev/zero is not there.
	if _, err := tg.ReadFile("/zero"); err == nil {
		t.Error("read /dev/zero through a link")
	}
	live, err := Local()
	if err != nil {
		t.Fatal(err)
	}
	defer live.Close()
	if _, err := live.ReadFile("/dev/zero"); !errors.Is(err, ErrNotRegular) {
		t.Errorf("live /dev/zero: %v, want ErrNotRegular", err)
	}
}
