// Package sysvrc reads how SysV-style init starts services: the names of
// the start and kill links in the run-level directories (/etc/rcN.d on
// Debian and SUSE, /etc/rc.d/rcN.d on Red Hat and AIX) and the LSB comment
// block of an init script, which names the facilities the script provides
// and the run levels it starts in.
package sysvrc

import (
	"path"
	"strings"
)

// Link is what the name of an entry in a run-level directory says: whether
// init starts or stops the script, in which order, and which script.
type Link struct {
	// Start is true for an S link (start), false for a K link (kill).
	Start bool
	// Order is the sequence number (20 in S20ssh), or -1 when the name
	// has none (as in AIX's Ssshd). init runs links in name order, so
	// an unnumbered link runs after the numbered ones.
	Order int
	// Script is the rest of the name, normally the name of the script in
	// /etc/init.d.
	Script string
}

// backupSuffixes are the endings of files that package managers and editors
// leave behind and that the rc scripts of Red Hat and Debian skip.
var backupSuffixes = []string{
	"~", ".rpmsave", ".rpmorig", ".rpmnew",
	".dpkg-old", ".dpkg-dist", ".dpkg-new", ".dpkg-tmp",
}

// ParseLinkName parses the name of an entry in a run-level directory:
// "S20ssh" is a start link with order 20 for the script ssh, "K08autofs"
// a kill link. It returns false for any other name, such as README, and for
// backup files such as "S20ssh.rpmsave".
func ParseLinkName(name string) (Link, bool) {
	if len(name) < 2 || (name[0] != 'S' && name[0] != 'K') {
		return Link{}, false
	}
	for _, s := range backupSuffixes {
		if strings.HasSuffix(name, s) {
			return Link{}, false
		}
	}
	l := Link{Start: name[0] == 'S', Order: -1}
	i := 1
	for i < len(name) && i < 4 && name[i] >= '0' && name[i] <= '9' {
		i++
	}
	if i > 1 {
		l.Order = 0
		for _, c := range name[1:i] {
			l.Order = l.Order*10 + int(c-'0')
		}
	}
	l.Script = name[i:]
	if l.Script == "" || strings.ContainsAny(l.Script, "/ \t") {
		return Link{}, false
	}
	return l, true
}

// ParseRunlevelDir returns the run level of a run-level directory, given by
// its name or path: "rc2.d" gives "2", "/etc/rc.d/rc3.d" gives "3" and
// "rcS.d" gives "S". It returns false for any other name.
func ParseRunlevelDir(dir string) (level string, ok bool) {
	base := path.Base(dir)
	if len(base) != 5 || !strings.HasPrefix(base, "rc") || !strings.HasSuffix(base, ".d") {
		return "", false
	}
	c := base[2]
	if (c < '0' || c > '9') && c != 'S' {
		return "", false
	}
	return string(c), true
}
