package policy

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/netip"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"bastion/internal/parse"
	"bastion/internal/severity"
)

// The keys of a policy file, in the order Write puts them.
const (
	keyVersion  = "version"
	keyRoles    = "roles"
	keyServices = "services"
	keyPublic   = "public"
	keyLogHost  = "log_host"
	keyRouter   = "router"
	keySSHKeys  = "ssh_keys_only"
	keyPassLen  = "password_min_length"
	keyFailOn   = "fail_on"
	keyWaivers  = "waivers"
)

var topKeys = []string{keyVersion, keyRoles, keyServices, keyPublic, keyLogHost, keyRouter, keySSHKeys, keyPassLen, keyFailOn, keyWaivers}

// The range password_min_length accepts: below 6 no password policy is
// meaningful; above 128 no system's tools take it.
const (
	minPasswordLength = 6
	maxPasswordLength = 128
)

// The keys of a waiver.
const (
	keyRule    = "rule"
	keyTarget  = "target"
	keyReason  = "reason"
	keyExpires = "expires"
)

// dateLayout is the form of a waiver's expiry date.
const dateLayout = "2006-01-02"

// ruleRE is a rule id, or a prefix of one ending in "*".
var ruleRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*\*?$`)

// yamlLineRE finds the line in an error of the YAML parser.
var yamlLineRE = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// LoadFile reads the policy file at path. See Load.
func LoadFile(path string) (*Policy, error) {
	f, err := os.Open(path)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = fmt.Errorf("%s: %w", pe.Op, pe.Err)
		}
		return nil, &parse.Error{File: path, Err: err}
	}
	defer f.Close()
	return Load(f, path)
}

// Load reads a policy from r; name is the file name used as its Source and
// in errors. Any problem makes Load return a nil Policy and an error listing
// every problem found, each a *parse.Error ("name:line: what is wrong"; line
// 0 when the problem is the file as a whole), which parse.List returns one
// by one. Keys left out take their defaults: no roles, services or waivers,
// fail_on high, router false, ssh_keys_only false, password_min_length 12.
func Load(r io.Reader, name string) (*Policy, error) {
	data, err := parse.ReadAll(r, name)
	if err != nil {
		return nil, err
	}
	root, err := decode(data, name)
	if err != nil {
		return nil, err
	}
	l := &loader{name: name}
	p := l.policy(root)
	if err := l.errs.Err(); err != nil {
		return nil, err
	}
	return p, nil
}

// decode parses data as one YAML document and returns its top node.
func decode(data []byte, name string) (*yaml.Node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, parse.Errorf(name, 0, "empty policy: want at least %q", "version: 1")
		}
		return nil, yamlError(name, err)
	}
	var more yaml.Node
	switch err := dec.Decode(&more); {
	case err == nil:
		return nil, parse.Errorf(name, more.Line, "a second YAML document: a policy is one document")
	case !errors.Is(err, io.EOF):
		return nil, yamlError(name, err)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 {
		return nil, parse.Errorf(name, doc.Line, "want one YAML document")
	}
	return doc.Content[0], nil
}

// parserProblems are the errors of the YAML parser (as against its
// scanner). The YAML package reports their lines counting from 0, and none
// for the first line; yamlError counts them from 1 like the others.
var parserProblems = map[string]bool{
	"did not find expected ',' or ']'":       true,
	"did not find expected ',' or '}'":       true,
	"did not find expected '-' indicator":    true,
	"did not find expected <document start>": true,
	"did not find expected <stream-start>":   true,
	"did not find expected key":              true,
	"did not find expected node content":     true,
	"found duplicate %TAG directive":         true,
	"found duplicate %YAML directive":        true,
	"found incompatible YAML document":       true,
	"found undefined tag handle":             true,
}

// yamlError turns an error of the YAML parser into a *parse.Error.
func yamlError(name string, err error) error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 0
	if m := yamlLineRE.FindStringSubmatch(err.Error()); m != nil {
		if n, err := strconv.Atoi(m[1]); err == nil {
			line, msg = n, m[2]
		}
	}
	if parserProblems[msg] {
		line++
	}
	return parse.Errorf(name, line, "invalid YAML: %s", msg)
}

// loader reads the node tree of one policy file and collects its errors.
type loader struct {
	name string
	errs parse.Errors
}

func (l *loader) errorf(n *yaml.Node, format string, args ...any) {
	l.errs.Add(l.name, n.Line, format, args...)
}

// item is a string of a list, with its line.
type item struct {
	value string
	line  int
}

func (l *loader) policy(root *yaml.Node) *Policy {
	p := &Policy{Source: l.name, FailOn: severity.High, PasswordMinLength: DefaultPasswordMinLength}
	if root.Kind == yaml.ScalarNode && root.ShortTag() == "!!null" {
		l.errorf(root, "empty policy: want at least %q", "version: 1")
		return nil
	}
	if root.Kind != yaml.MappingNode {
		l.errorf(root, "want a mapping of keys such as version and services, got %s", describe(root))
		return nil
	}
	var public []item
	var roleLines []item
	seen := map[string]int{}
	for k, v := range l.pairs(root, seen, "", topKeys) {
		switch k.Value {
		case keyVersion:
			l.version(v)
		case keyRoles:
			roleLines = l.names(keyRoles, "a role name", v, checkNothing)
			for _, it := range roleLines {
				if lookupRole(it.value) == nil {
					l.errs.Add(l.name, it.line, "roles: unknown role %q: want one of %s", it.value, strings.Join(RoleNames(), ", "))
					continue
				}
				p.Roles = append(p.Roles, it.value)
			}
		case keyServices:
			for _, it := range l.names(keyServices, "a service name", v, checkName) {
				p.Services = append(p.Services, it.value)
			}
		case keyPublic:
			public = l.names(keyPublic, "a service name", v, checkName)
			for _, it := range public {
				p.Public = append(p.Public, it.value)
			}
		case keyLogHost:
			if s, ok := l.str(keyLogHost, "a host name", v); ok {
				if !validHost(s) {
					l.errorf(v, "log_host: invalid host %q: want a host name or an IP address", s)
				}
				p.LogHost = s
			}
		case keyRouter:
			b, _ := l.boolean(keyRouter, v)
			p.Router = p.Router || b
		case keySSHKeys:
			p.SSHKeysOnly, _ = l.boolean(keySSHKeys, v)
		case keyPassLen:
			n, err := strconv.Atoi(v.Value)
			if v.Kind != yaml.ScalarNode || v.ShortTag() != "!!int" || err != nil || n < minPasswordLength || n > maxPasswordLength {
				l.errorf(v, "%s: want a number from %d to %d, got %s", keyPassLen, minPasswordLength, maxPasswordLength, describe(v))
			} else {
				p.PasswordMinLength = n
			}
		case keyFailOn:
			if s, ok := l.str(keyFailOn, "a severity", v); ok {
				lv, err := severity.Parse(s)
				if err != nil {
					l.errorf(v, "fail_on: %v", err)
				}
				p.FailOn = lv
			}
		case keyWaivers:
			p.Waivers = l.waivers(v)
		}
	}
	if _, ok := seen[keyVersion]; !ok {
		l.errorf(root, "missing version: a policy starts with %q", "version: 1")
	}
	for _, r := range p.Roles {
		if lookupRole(r).router {
			p.Router = true
		}
	}
	for _, it := range public {
		if !p.Allows(it.value) {
			l.errs.Add(l.name, it.line, "public: %q is not allowed by services, roles or the base set", it.value)
		}
	}
	return p
}

// pairs yields the key and value nodes of mapping m, reporting keys that
// are not strings, unknown or repeated. seen records the line of each key;
// what names the mapping in messages ("" for the top level).
func (l *loader) pairs(m *yaml.Node, seen map[string]int, what string, known []string) func(yield func(k, v *yaml.Node) bool) {
	return func(yield func(k, v *yaml.Node) bool) {
		for i := 0; i+1 < len(m.Content); i += 2 {
			k, v := m.Content[i], m.Content[i+1]
			if k.Kind != yaml.ScalarNode || k.ShortTag() != "!!str" {
				l.errorf(k, "%swant a key such as %s, got %s", what, known[0], describe(k))
				continue
			}
			if !isKnown(k.Value, known) {
				l.errorf(k, "%sunknown key %q: want %s", what, k.Value, oneOf(known))
				continue
			}
			if first, ok := seen[k.Value]; ok {
				l.errorf(k, "%sduplicate key %q (first at line %d)", what, k.Value, first)
				continue
			}
			seen[k.Value] = k.Line
			if v.Kind == yaml.AliasNode {
				l.errorf(v, "%s%s: aliases are not supported", what, k.Value)
				continue
			}
			if !yield(k, v) {
				return
			}
		}
	}
}

func isKnown(k string, known []string) bool {
	for _, s := range known {
		if s == k {
			return true
		}
	}
	return false
}

// oneOf lists keys as "a, b or c".
func oneOf(keys []string) string {
	if len(keys) == 1 {
		return keys[0]
	}
	return strings.Join(keys[:len(keys)-1], ", ") + " or " + keys[len(keys)-1]
}

func (l *loader) version(v *yaml.Node) {
	switch {
	case v.Kind != yaml.ScalarNode || v.ShortTag() != "!!int":
		l.errorf(v, "version: want %d, got %s", Version, describe(v))
	case v.Value != strconv.Itoa(Version):
		l.errorf(v, "version: unsupported version %s: want %d", v.Value, Version)
	}
}

// str reads a string scalar.
func (l *loader) boolean(key string, v *yaml.Node) (bool, bool) {
	if v.Kind == yaml.ScalarNode && v.ShortTag() == "!!bool" {
		if b, err := strconv.ParseBool(strings.ToLower(v.Value)); err == nil {
			return b, true
		}
	}
	l.errorf(v, "%s: want true or false, got %s", key, describe(v))
	return false, false
}

// str returns a string value, or records an error naming what was wanted.
func (l *loader) str(key, want string, v *yaml.Node) (string, bool) {
	if v.Kind != yaml.ScalarNode || v.ShortTag() != "!!str" {
		l.errorf(v, "%s: want %s, got %s", key, want, describe(v))
		return "", false
	}
	return v.Value, true
}

// checkName returns what is wrong with a service name, or "".
func checkName(s string) string {
	if s == "" {
		return "empty name"
	}
	if !utf8.ValidString(s) {
		return fmt.Sprintf("invalid name %q: not UTF-8", s)
	}
	for _, r := range s {
		if unicode.IsSpace(r) || unicode.IsControl(r) {
			return fmt.Sprintf("invalid name %q: no spaces or control characters", s)
		}
	}
	return ""
}

func checkNothing(string) string { return "" }

// names reads a list of strings (null is an empty list), reporting items
// that are not strings, fail check, or repeat an earlier item.
func (l *loader) names(key, want string, v *yaml.Node, check func(string) string) []item {
	if v.Kind == yaml.ScalarNode && v.ShortTag() == "!!null" {
		return nil
	}
	if v.Kind != yaml.SequenceNode {
		l.errorf(v, "%s: want a list of %ss, got %s", key, strings.TrimPrefix(want, "a "), describe(v))
		return nil
	}
	var out []item
	first := map[string]int{}
	for _, n := range v.Content {
		s, ok := l.str(key, want, n)
		if !ok {
			continue
		}
		if msg := check(s); msg != "" {
			l.errorf(n, "%s: %s", key, msg)
			continue
		}
		if line, ok := first[s]; ok {
			l.errorf(n, "%s: duplicate %q (first at line %d)", key, s, line)
			continue
		}
		first[s] = n.Line
		out = append(out, item{s, n.Line})
	}
	return out
}

var waiverKeys = []string{keyRule, keyTarget, keyReason, keyExpires}

func (l *loader) waivers(v *yaml.Node) []Waiver {
	if v.Kind == yaml.ScalarNode && v.ShortTag() == "!!null" {
		return nil
	}
	if v.Kind != yaml.SequenceNode {
		l.errorf(v, "waivers: want a list of waivers, got %s", describe(v))
		return nil
	}
	var out []Waiver
	first := map[[2]string]int{}
	for _, n := range v.Content {
		w, ok := l.waiver(n)
		if !ok {
			continue
		}
		key := [2]string{w.Rule, w.Target}
		if line, ok := first[key]; ok {
			target := "every target"
			if w.Target != "" {
				target = fmt.Sprintf("target %q", w.Target)
			}
			l.errorf(n, "waivers: duplicate waiver for rule %q and %s (first at line %d)", w.Rule, target, line)
			continue
		}
		first[key] = n.Line
		out = append(out, w)
	}
	return out
}

func (l *loader) waiver(n *yaml.Node) (Waiver, bool) {
	w := Waiver{Line: n.Line}
	if n.Kind != yaml.MappingNode {
		l.errorf(n, "waivers: want a waiver (a mapping with rule, reason and expires), got %s", describe(n))
		return w, false
	}
	before := l.errs.Len()
	seen := map[string]int{}
	for k, v := range l.pairs(n, seen, "waiver: ", waiverKeys) {
		if k.Value == keyExpires && v.Kind == yaml.ScalarNode && v.ShortTag() == "!!timestamp" {
			// An unquoted date; its text is checked below like a string.
			v = &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: v.Value, Line: v.Line}
		}
		want := "a string"
		if k.Value == keyExpires {
			want = "a date, YYYY-MM-DD"
		}
		s, ok := l.str("waiver: "+k.Value, want, v)
		if !ok {
			continue
		}
		switch k.Value {
		case keyRule:
			switch {
			case s == "*":
				l.errorf(v, "waiver: rule: %q would waive every rule: name a rule or a prefix such as SVC-INETD-*", s)
			case !ruleRE.MatchString(s):
				l.errorf(v, "waiver: rule: invalid rule %q: want a rule id, or a prefix of one ending in *", s)
			}
			w.Rule = s
		case keyTarget:
			if strings.IndexFunc(s, unicode.IsControl) >= 0 {
				l.errorf(v, "waiver: target: invalid target %q: no control characters", s)
			}
			w.Target = s
		case keyReason:
			if strings.TrimSpace(s) == "" {
				l.errorf(v, "waiver: empty reason: say why the finding is accepted")
			}
			w.Reason = s
		case keyExpires:
			t, err := time.Parse(dateLayout, s)
			if err != nil {
				l.errorf(v, "waiver: expires: invalid date %q: want YYYY-MM-DD", s)
			}
			w.Expires = t
		}
	}
	if _, ok := seen[keyRule]; !ok {
		l.errorf(n, "waiver: missing rule")
	}
	if _, ok := seen[keyReason]; !ok {
		l.errorf(n, "waiver: missing reason: say why the finding is accepted")
	}
	if _, ok := seen[keyExpires]; !ok {
		l.errorf(n, "waiver: missing expires: a date, YYYY-MM-DD, after which the finding counts again")
	}
	return w, l.errs.Len() == before
}

// validHost reports whether s is an IP address or a host name.
func validHost(s string) bool {
	if _, err := netip.ParseAddr(s); err == nil {
		return true
	}
	s = strings.TrimSuffix(s, ".")
	if s == "" || len(s) > 253 {
		return false
	}
	for _, label := range strings.Split(s, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for _, c := range label {
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
				return false
			}
		}
	}
	return true
}

// describe says what kind of value a node holds, for messages.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "a list"
	case yaml.MappingNode:
		return "a mapping"
	case yaml.AliasNode:
		return "an alias"
	case yaml.DocumentNode:
		return "a document"
	}
	v := n.Value
	if len(v) > 40 {
		v = v[:40] + "..."
	}
	switch n.ShortTag() {
	case "!!null":
		return "null"
	case "!!str":
		return fmt.Sprintf("a string (%q)", v)
	case "!!int", "!!float":
		return fmt.Sprintf("a number (%s)", v)
	case "!!bool":
		return fmt.Sprintf("a boolean (%s)", v)
	case "!!timestamp":
		return fmt.Sprintf("a timestamp (%s)", v)
	}
	return fmt.Sprintf("a value tagged %s", n.ShortTag())
}
