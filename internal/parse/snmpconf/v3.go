package snmpconf

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"bastion/internal/parse"
	"bastion/internal/secret"
)

// V3File is a parsed /etc/snmpdv3.conf of the AIX SNMPv3 agent (snmpdv3,
// the default agent since AIX 5.3).
type V3File struct {
	// Name is the name the file was parsed under, used in error messages.
	Name string
	// Lines holds every physical line as read, without line endings.
	Lines []string
	// Entries holds every entry in file order, whatever its keyword.
	Entries []Entry
	// Communities holds the COMMUNITY entries.
	Communities []V3Community
	// Smux holds the smux entries.
	Smux []Smux
}

// V3Community is a COMMUNITY entry of the AIX SNMPv3 agent: "COMMUNITY
// communityName securityName securityLevel netAddr netMask storageType".
// Each field is as written, "-" standing for the agent's default, except
// SecurityLevel, which is spelled the usual way whatever its case.
type V3Community struct {
	// Line is the 1-based line number of the entry.
	Line int
	// Name is the community name, a secret.
	Name string
	// SecurityName is the security name the community maps to, which
	// VACM_GROUP entries put in a group (in the stock file, the community
	// name again, so it is treated as a secret too).
	SecurityName string
	// SecurityLevel is noAuthNoPriv, authNoPriv, authPriv or "-".
	SecurityLevel string
	// Address and Mask are the hosts the community may be used from:
	// 0.0.0.0 and 0.0.0.0 let in any host.
	Address string
	Mask    string
	// StorageType is the storage type (nonVolatile, permanent, readOnly).
	StorageType string
}

// AnyHost reports a community usable from every address: a netmask of
// 0.0.0.0 (or an IPv6 prefix length of 0).
func (c V3Community) AnyHost() bool { return c.Mask == "0.0.0.0" || c.Mask == "0" }

// String describes the community, its names redacted.
func (c V3Community) String() string {
	return fmt.Sprintf("line %d: COMMUNITY %s security name %s %s address %s mask %s",
		c.Line, secret.Redact(c.Name), redactField(c.SecurityName), c.SecurityLevel, c.Address, c.Mask)
}

// GoString returns the community in Go syntax, its names redacted.
func (c V3Community) GoString() string {
	return fmt.Sprintf("snmpconf.V3Community{Line:%d, Name:%q, SecurityName:%q, SecurityLevel:%q, Address:%q, Mask:%q, StorageType:%q}",
		c.Line, secret.Redact(c.Name), redactField(c.SecurityName), c.SecurityLevel, c.Address, c.Mask, c.StorageType)
}

// redactField redacts a field that holds a secret unless it is the "-"
// placeholder of the AIX SNMPv3 file.
func redactField(s string) string {
	if s == "-" {
		return s
	}
	return secret.Redact(s)
}

// String describes the file without quoting any of it (the file and a
// pointer to it both format this way).
func (f V3File) String() string {
	return fileString("AIX SNMPv3 snmpdv3.conf", f.Name, len(f.Lines), len(f.Entries),
		"communities", len(f.Communities), "smux", len(f.Smux))
}

// GoString describes the file without quoting any of it.
func (f V3File) GoString() string { return f.String() }

// Bytes returns the file text: every line as read, each ended by "\n".
func (f *V3File) Bytes() []byte { return parse.JoinLines(f.Lines) }

// v3Fields is the number of fields each fixed-form keyword of snmpdv3.conf
// takes after the keyword (IBM's snmpdv3.conf file reference).
var v3Fields = map[string]int{
	"vacm_group":            4, // groupName securityModel securityName storageType
	"vacm_view":             5, // viewName viewSubtree viewMask viewType storageType
	"vacm_access":           9, // group contextPrefix match level model read write notify storage
	"community":             6, // name securityName securityLevel netAddr netMask storageType
	"usm_user":              8, // userName engineID authProto authKey privProto privKey keyType storageType
	"target_address":        8, // name tDomain tAddress tagList params timeout retryCount storageType
	"target_parameters":     6, // name mpModel securityModel securityName securityLevel storageType
	"notify":                4, // notifyName tag type storageType
	"notify_filter_profile": 3, // targetParamsName profileName storageType
	"notify_filter":         5, // profileName filterSubtree filterMask filterType storageType
	"default_security":      3, // securityPosture password privacy
}

// v3Secrets returns the indexes of the fields of an snmpdv3.conf entry
// that hold a secret ("-" placeholders aside).
func v3Secrets(keyword string, fields []string) []int {
	var idx []int
	add := func(i int) {
		if i < len(fields) && fields[i] != "-" {
			idx = append(idx, i)
		}
	}
	communityModel := func(i int) bool {
		return i < len(fields) && (strings.EqualFold(fields[i], "SNMPv1") || strings.EqualFold(fields[i], "SNMPv2c"))
	}
	switch strings.ToLower(keyword) {
	case "community":
		add(0)
		add(1)
	case "vacm_group":
		// For the community-based models the security name is the
		// one a COMMUNITY entry maps its community to.
		if communityModel(1) {
			add(2)
		}
	case "target_parameters":
		// For SNMPv1 and SNMPv2c traps the security name is the trap
		// community.
		if communityModel(2) {
			add(3)
		}
	case "usm_user":
		add(3) // authKey
		add(5) // privKey
	case "default_security":
		add(1) // password of the default users
	case "smux":
		add(1)
	}
	return idx
}

// securityLevels maps the security levels, in lower case, to their usual
// spelling.
var securityLevels = map[string]string{
	"noauthnopriv": "noAuthNoPriv", "authnopriv": "authNoPriv", "authpriv": "authPriv",
}

// ParseV3 reads an AIX /etc/snmpdv3.conf (SNMPv3 agent) from r; name is
// used in error messages. A comment starts with '#' or '*' in the first
// column; elsewhere the two characters may be part of names. Each entry
// of a known keyword must have all its fields ("-" for a default); a
// trailing comment after them is allowed, as the stock smux lines have
// one. Entries the agent would discard are reported and skipped; entries
// with other keywords (logging, ...) are kept as they are.
func ParseV3(r io.Reader, name string) (*V3File, error) {
	lines, err := parse.ReadLines(r, name)
	if err != nil {
		return nil, err
	}
	f := &V3File{Name: name, Lines: lines}
	var errs parse.Errors
	for i, line := range lines {
		n := i + 1
		if strings.HasPrefix(line, "#") || strings.HasPrefix(line, "*") {
			continue
		}
		words := parse.Fields(line)
		if len(words) == 0 {
			continue
		}
		if strings.HasPrefix(words[0], "#") || strings.HasPrefix(words[0], "*") {
			errs.Add(name, n, "comment does not start in column 1 (the agent reads it as an entry)")
			continue
		}
		e := Entry{Line: n, Keyword: words[0]}
		fields := words[1:]
		key := strings.ToLower(e.Keyword)
		var msg string
		if want, ok := v3Fields[key]; ok {
			if got := len(beforeComment(fields, want)); got != want {
				msg = e.Keyword + " entry has " + strconv.Itoa(got) + " fields, want " + strconv.Itoa(want) + ` (write "-" for a default)`
			}
			fields = beforeComment(fields, want)
		} else if key == "smux" {
			fields = beforeComment(fields, 2)
		}
		if len(fields) > 0 {
			e.Fields = fields
		}
		e.Secret = v3Secrets(e.Keyword, e.Fields)
		if msg == "" {
			switch key {
			case "community":
				var c V3Community
				if c, msg = parseV3Community(n, e.Fields); msg == "" {
					f.Communities = append(f.Communities, c)
				}
			case "smux":
				var s Smux
				if s, msg = parseSmux(n, e.Fields); msg == "" {
					f.Smux = append(f.Smux, s)
				}
			}
		}
		if msg != "" {
			errs.Add(name, n, "%s", msg)
			continue
		}
		f.Entries = append(f.Entries, e)
	}
	return f, errs.Err()
}

// parseV3Community reads the six fields of a COMMUNITY entry.
func parseV3Community(line int, fields []string) (V3Community, string) {
	c := V3Community{Line: line, Name: fields[0], SecurityName: fields[1], SecurityLevel: fields[2],
		Address: fields[3], Mask: fields[4], StorageType: fields[5]}
	if c.Name == "-" {
		return V3Community{}, "COMMUNITY entry has no community name"
	}
	if c.SecurityLevel != "-" {
		level, ok := securityLevels[strings.ToLower(c.SecurityLevel)]
		if !ok {
			return V3Community{}, "COMMUNITY entry has the unknown security level " + strconv.Quote(c.SecurityLevel) +
				": want noAuthNoPriv, authNoPriv or authPriv"
		}
		c.SecurityLevel = level
	}
	if c.Address != "-" && !validHost(c.Address) {
		return V3Community{}, "COMMUNITY entry has a bad address " + strconv.Quote(c.Address)
	}
	if c.Mask != "-" && !validMask(c.Mask) {
		return V3Community{}, "COMMUNITY entry has a bad netmask " + strconv.Quote(c.Mask)
	}
	return c, ""
}
