package target

import (
	"bytes"
	"strings"

	"bastion/internal/parse/oslevel"
	"bastion/internal/parse/osrelease"
)

// OS is the operating system family of a target.
type OS string

// The operating systems bastion knows.
const (
	Linux   OS = "linux"
	AIX     OS = "aix"
	Unknown OS = "unknown"
)

// Platform says what a target runs, as read from its files alone.
type Platform struct {
	OS OS `json:"os"`
	// Distro is the os-release ID on Linux ("debian", "rhel") and "aix"
	// on AIX.
	Distro string `json:"distro,omitempty"`
	// Version is the distribution version, or the AIX level ("4.3.3",
	// "7.2"); TL and SP detail is in Name.
	Version string `json:"version,omitempty"`
	// Name is the human name ("Debian GNU/Linux 12 (bookworm)", "AIX 7.2
	// TL5 SP3").
	Name string `json:"name,omitempty"`
	// From is the file the answer came from.
	From string `json:"from,omitempty"`
}

// aixMarkers are files and directories only an AIX root has.
var aixMarkers = []string{"/usr/lpp/bos", "/etc/objrepos", "/usr/lib/objrepos", "/etc/rc.tcpip"}

// Detect works out the platform of a target from its files.
func Detect(t *Target) Platform {
	for _, m := range aixMarkers {
		if t.Exists(m) {
			return detectAIX(t, m)
		}
	}
	for _, name := range []string{"/etc/os-release", "/usr/lib/os-release"} {
		data, err := t.ReadFile(name)
		if err != nil {
			continue
		}
		rel, _ := osrelease.Parse(bytes.NewReader(data), name)
		if rel == nil || rel.ID == "" {
			continue
		}
		p := Platform{OS: Linux, Distro: rel.ID, Version: rel.VersionID, Name: rel.PrettyName, From: name}
		if p.Name == "" {
			p.Name = strings.TrimSpace(rel.Name + " " + rel.VersionID)
		}
		return p
	}
	if data, err := t.ReadFile("/etc/redhat-release"); err == nil {
		if name, ver, ok := osrelease.ParseRedHatRelease(strings.TrimSpace(string(data))); ok {
			return Platform{OS: Linux, Distro: "rhel", Version: ver, Name: name + " " + ver, From: "/etc/redhat-release"}
		}
	}
	if data, err := t.ReadFile("/etc/debian_version"); err == nil {
		v := strings.TrimSpace(string(data))
		return Platform{OS: Linux, Distro: "debian", Version: v, Name: "Debian " + v, From: "/etc/debian_version"}
	}
	if t.Exists("/proc/net") || t.Exists("/etc/systemd") {
		return Platform{OS: Linux, Name: "Linux", From: "/etc"}
	}
	return Platform{OS: Unknown, Name: "unknown"}
}

// detectAIX reads the AIX level from captured oslevel output when present.
func detectAIX(t *Target, marker string) Platform {
	p := Platform{OS: AIX, Distro: "aix", Name: "AIX", From: marker}
	for _, name := range []string{CaptureOSLevel, "oslevel"} {
		data, err := t.Capture(name)
		if err != nil {
			continue
		}
		lvl, err := oslevel.Parse(bytes.NewReader(data), CapturePath(name))
		if err != nil {
			t.AddGap(Gap{Path: CapturePath(name), What: "AIX level", Reason: err.Error()})
			continue
		}
		p.Version = lvl.Version
		p.Name = lvl.String()
		p.From = CapturePath(name)
		return p
	}
	const bosLevel = "/usr/lpp/bos/aix_release.level"
	if data, err := t.ReadFile(bosLevel); err == nil {
		if lvl, err := oslevel.ParseBosLevel(bytes.NewReader(data), bosLevel); err == nil {
			p.Version, p.Name, p.From = lvl.Version, lvl.String(), bosLevel
			return p
		}
	}
	t.AddGap(Gap{Path: CapturePath(CaptureOSLevel), What: "AIX level", Reason: "not there"})
	return p
}
