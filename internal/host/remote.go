package host

import (
	"bytes"
	"io/fs"
	"path"
	"sort"
	"strings"

	"bastion/internal/parse"
	"bastion/internal/target"
)

const (
	securettyPath   = "/etc/securetty"
	hostsEquivPath  = "/etc/hosts.equiv"
	shostsEquivPath = "/etc/shosts.equiv"
	whatRemote      = "remote login"
)

// The kinds of TrustFile.
const (
	TrustHostsEquiv = "hosts.equiv" // /etc/hosts.equiv or /etc/shosts.equiv
	TrustRhosts     = "rhosts"      // ~/.rhosts or ~/.shosts
	TrustNetrc      = "netrc"       // ~/.netrc
)

// Remote is how users log in from the network, beside sshd: the
// terminals root may log in on, and the r-services' trust files.
type Remote struct {
	// Securetty is /etc/securetty as found; TTYs its entries.
	Securetty FileState
	TTYs      []Entry
	// Trust are the trust files found: /etc/hosts.equiv,
	// /etc/shosts.equiv, and each home's .rhosts, .shosts and .netrc.
	Trust []TrustFile
	// Text holds the lines of /etc/hosts.equiv and /etc/shosts.equiv,
	// for the fix that comments out their entries.
	Text map[string][]string
	// HomesRead reports whether the homes of /etc/passwd were known, so
	// that the absence of trust files in them means something.
	HomesRead bool
}

// Entry is one meaningful line of a list file.
type Entry struct {
	Line int    `json:"line"`
	Text string `json:"text"`
}

// TrustFile is a file that lets hosts or users in without a password
// (hosts.equiv, .rhosts), or keeps passwords for other hosts (.netrc).
type TrustFile struct {
	FileState
	Kind string
	// User is the account whose home holds it, "" for the system files.
	User string
	// Entries are its meaningful lines. A .netrc's are not kept (they
	// hold passwords); Passwords counts its password tokens instead.
	Entries   []Entry
	Passwords int
	// Wildcard is the first line that trusts every host or every user
	// ("+"), 0 when none does.
	Wildcard int
	// Link is where the file points when it is a symbolic link; such a
	// file is not read (it could point at any file of the host).
	Link string
}

// maxTrustFile is the largest trust file read; a bigger one is no trust
// file a person wrote.
const maxTrustFile = 1 << 20

// remote builds Facts.Remote.
func (b *builder) remote() {
	r := &Remote{Text: map[string][]string{}}
	b.f.Remote = r
	scan := b.fileScan()
	r.Securetty = scan.state(securettyPath, whatRemote)
	if r.Securetty.Exists && r.Securetty.Problem == "" {
		if data := b.read(securettyPath, whatRemote, true); data != nil {
			lines, err := parse.ReadLines(bytes.NewReader(data), securettyPath)
			b.parseGaps(err, whatRemote)
			for i, l := range lines {
				if t := strings.TrimSpace(l); t != "" && t[0] != '#' {
					r.TTYs = append(r.TTYs, Entry{Line: i + 1, Text: t})
				}
			}
		}
	}
	for _, p := range []string{hostsEquivPath, shostsEquivPath} {
		b.trustFile(r, scan, p, TrustHostsEquiv, "")
	}
	var users []Account
	if b.f.Accounts != nil {
		users = b.f.Accounts.Users
		r.HomesRead = len(users) > 0
	}
	seen := map[string]bool{}
	for _, u := range users {
		home := path.Clean("/" + u.Home)
		if u.Home == "" || seen[home] || home == "/nonexistent" || home == "/dev/null" {
			continue
		}
		seen[home] = true
		for _, n := range []string{".rhosts", ".shosts"} {
			b.trustFile(r, scan, path.Join(home, n), TrustRhosts, u.Name)
		}
		b.trustFile(r, scan, path.Join(home, ".netrc"), TrustNetrc, u.Name)
	}
	sort.SliceStable(r.Trust, func(i, j int) bool { return r.Trust[i].Path < r.Trust[j].Path })
}

// trustFile records a trust file when it exists. A symbolic link is
// recorded with where it points and not followed, unless it points at
// /dev/null (the usual way to keep a user from creating the file); any
// other file that is not a regular file is a problem, not read.
func (b *builder) trustFile(r *Remote, scan *fileScan, p, kind, user string) {
	if fi, err := b.t.Lstat(p); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		dest, _ := b.t.Readlink(p)
		if dest != "/dev/null" {
			r.Trust = append(r.Trust, TrustFile{FileState: FileState{Path: p, Exists: true, UID: -1, GID: -1}, Kind: kind, User: user, Link: dest})
		}
		return
	}
	st := scan.state(p, whatRemote)
	if !st.Exists && st.Problem == "" {
		return
	}
	tf := TrustFile{FileState: st, Kind: kind, User: user}
	if fi, err := b.t.Stat(p); err == nil && fi.Size() > maxTrustFile {
		tf.Problem = "larger than 1 MiB: not read"
		b.t.AddGap(target.Gap{Path: p, What: whatRemote, Reason: tf.Problem})
	}
	if tf.Problem == "" {
		data, err := b.t.ReadFile(p)
		if err != nil {
			tf.Problem = target.Reason(err)
			b.gap(p, whatRemote, err)
		} else {
			lines := b.trustEntries(&tf, data)
			if kind == TrustHostsEquiv {
				r.Text[p] = lines
			}
		}
	}
	r.Trust = append(r.Trust, tf)
}

// trustEntries reads the lines of a trust file: for hosts.equiv and
// .rhosts "host [user]" lines, where "+" trusts every host or user; for
// .netrc only the count of passwords, never their text.
func (b *builder) trustEntries(tf *TrustFile, data []byte) []string {
	lines, _ := parse.ReadLines(bytes.NewReader(data), tf.Path)
	for i, l := range lines {
		t := strings.TrimSpace(l)
		if t == "" || t[0] == '#' {
			continue
		}
		if tf.Kind == TrustNetrc {
			for _, w := range strings.Fields(t) {
				if w == "password" || w == "passwd" {
					tf.Passwords++
				}
			}
			continue
		}
		tf.Entries = append(tf.Entries, Entry{Line: i + 1, Text: t})
		if f := strings.Fields(t); tf.Wildcard == 0 && (f[0] == "+" || len(f) > 1 && f[1] == "+") {
			tf.Wildcard = i + 1
		}
	}
	return lines
}
