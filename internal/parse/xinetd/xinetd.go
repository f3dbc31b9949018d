// Package xinetd reads the configuration of the xinetd super-server:
// /etc/xinetd.conf and the per-service files of /etc/xinetd.d, made of a
// defaults block, service blocks of "attribute operator values" lines, and
// include and includedir directives.
//
// Every line of a file is kept, and every block and attribute records its
// line, so that a service can be disabled by editing one line. The parser
// reads what xinetd itself reads (whole-line '#' comments, the operators =,
// += and -=) and is a little more lenient about layout: the opening brace of
// a block may also end the line of its header.
package xinetd

import (
	"io"
	"slices"
	"strconv"
	"strings"

	"bastion/internal/parse"
)

// File is one parsed xinetd configuration file.
type File struct {
	// Name is the name the file was parsed under, used in error messages.
	Name string
	// Lines holds every physical line as read, without line endings.
	Lines []string
	// Defaults is the defaults block, or nil if the file has none.
	Defaults *Block
	// Services holds the service blocks in file order.
	Services []Block
	// Includes holds the include and includedir directives in file order.
	Includes []Include
}

// Include is an include (a file) or includedir (a directory) directive.
// xinetd reads the regular files of an included directory in byte order of
// their names, skipping the names IncludedName rejects.
type Include struct {
	// Line is the 1-based line number of the directive.
	Line int
	// Dir reports includedir rather than include.
	Dir bool
	// Path is the file or directory as written.
	Path string
}

// IncludedName reports whether xinetd reads a file of this name from an
// includedir directory: it skips names that contain a dot (which also
// leaves out package manager copies such as tftp.rpmsave) or end with '~'.
func IncludedName(name string) bool {
	return name != "" && !strings.Contains(name, ".") && !strings.HasSuffix(name, "~")
}

// Block is a service or defaults block.
type Block struct {
	// Line is the line of the "service NAME" or "defaults" header.
	Line int
	// EndLine is the line of the closing brace, or 0 when the file ended
	// before it.
	EndLine int
	// Name is the service name; it is empty for the defaults block.
	Name string
	// Attrs holds the attribute lines of the block in order.
	Attrs []Attr
}

// Attr is one "key op values" line of a block.
type Attr struct {
	// Line is the 1-based line number of the attribute.
	Line int
	// Key is the attribute name, such as disable or server_args.
	Key string
	// Op is the operator: "=", "+=" or "-=".
	Op string
	// Values holds the words after the operator, split on blanks.
	Values []string
}

// listAttrs are the attributes xinetd treats as lists that += and -= may
// change. For every other attribute the first "=" wins, and += and -= are
// ignored (xinetd warns about them).
var listAttrs = map[string]bool{
	"log_on_success": true,
	"log_on_failure": true,
	"only_from":      true,
	"no_access":      true,
	"env":            true,
	"passenv":        true,
	"disabled":       true,
	"enabled":        true,
}

// isList reports whether key is a list attribute in b. log_type is one in
// the defaults block only.
func (b Block) isList(key string) bool {
	return listAttrs[key] || (b.Name == "" && key == "log_type")
}

// Get returns the values of attribute key as xinetd computes them from the
// block alone, and whether the block sets it. For list attributes
// (only_from, no_access, log_on_success, log_on_failure, env, passenv, and
// in the defaults block disabled, enabled and log_type), "=", "+=" and "-="
// apply in order, and in the defaults block "=" adds as "+=" does. For other
// attributes the first "=" wins. A service's list attributes start from the
// defaults in xinetd; Get does not merge them.
func (b Block) Get(key string) ([]string, bool) {
	list := b.isList(key)
	var vals []string
	found := false
	for _, a := range b.Attrs {
		if a.Key != key {
			continue
		}
		if !list {
			if a.Op == "=" {
				return slices.Clone(a.Values), true
			}
			continue
		}
		found = true
		op := a.Op
		if op == "=" && b.Name == "" {
			op = "+="
		}
		switch op {
		case "=":
			vals = slices.Clone(a.Values)
		case "+=":
			vals = append(vals, a.Values...)
		case "-=":
			vals = slices.DeleteFunc(vals, func(v string) bool { return slices.Contains(a.Values, v) })
		}
	}
	return vals, found
}

// Value returns the first value of attribute key, or "".
func (b Block) Value(key string) string {
	if v, _ := b.Get(key); len(v) > 0 {
		return v[0]
	}
	return ""
}

// Disabled reports whether the block's own disable attribute turns the
// service off. As in xinetd, "disable = no" leaves it on, any other single
// value (yes, or a value xinetd cannot parse) turns it off, and a disable
// line with no value or several values is ignored.
func (b Block) Disabled() bool {
	v, ok := b.Get("disable")
	return ok && len(v) == 1 && v[0] != "no"
}

// Disabled reports whether xinetd leaves service b off, given the defaults
// block (which usually lives in xinetd.conf while services live in
// xinetd.d; defaults may be nil). A service is off when its own disable
// attribute says so, when the defaults' disabled list names its ID, or when
// the defaults have an enabled list that does not name it.
func Disabled(b Block, defaults *Block) bool {
	if b.Disabled() {
		return true
	}
	if defaults == nil {
		return false
	}
	id := b.ID()
	if en, ok := defaults.Get("enabled"); ok && !slices.Contains(en, id) {
		return true
	}
	if dis, ok := defaults.Get("disabled"); ok && slices.Contains(dis, id) {
		return true
	}
	return false
}

// ServiceDisabled reports whether service b is off given the file's own
// defaults block; see Disabled.
func (f *File) ServiceDisabled(b Block) bool { return Disabled(b, f.Defaults) }

// ID returns the service ID: the id attribute, or else the service name.
// The defaults block's disabled and enabled lists name services by ID.
func (b Block) ID() string {
	if id := b.Value("id"); id != "" {
		return id
	}
	return b.Name
}

// Port returns the port attribute, or 0 when it is absent or not a port
// number. Without it, xinetd looks the service name up in /etc/services.
func (b Block) Port() int { return number(b.Value("port"), 65535) }

// Protocol returns the protocol attribute (tcp, udp), or "".
func (b Block) Protocol() string { return b.Value("protocol") }

// SocketType returns the socket_type attribute (stream, dgram, raw,
// seqpacket), or "".
func (b Block) SocketType() string { return b.Value("socket_type") }

// Server returns the server attribute, the path of the program, or "".
func (b Block) Server() string { return b.Value("server") }

// ServerArgs returns the server_args attribute: the arguments after argv[0].
func (b Block) ServerArgs() []string {
	v, _ := b.Get("server_args")
	return v
}

// Types returns the words of the type attribute: INTERNAL, RPC, UNLISTED,
// TCPMUX or TCPMUXPLUS.
func (b Block) Types() []string {
	v, _ := b.Get("type")
	return v
}

// Bind returns the address the service listens on, from the bind attribute
// or its synonym interface (whichever comes first), or "" for every address.
func (b Block) Bind() string {
	for _, a := range b.Attrs {
		if (a.Key == "bind" || a.Key == "interface") && a.Op == "=" && len(a.Values) > 0 {
			return a.Values[0]
		}
	}
	return ""
}

// RPCNumber returns the rpc_number attribute (set for RPC services not
// listed in /etc/rpc), or 0.
func (b Block) RPCNumber() int { return number(b.Value("rpc_number"), 1<<31-1) }

// RPCVersion returns the rpc_version attribute, a version or a range such
// as "2-4", or "".
func (b Block) RPCVersion() string { return b.Value("rpc_version") }

// number parses a decimal number in 0..max, returning 0 when it is not one.
func number(s string, max int) int {
	if s == "" || strings.Trim(s, "0123456789") != "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil || n > max {
		return 0
	}
	return n
}

// Bytes returns the file text: every line as read, each ended by "\n".
func (f *File) Bytes() []byte { return parse.JoinLines(f.Lines) }

// blanks are the characters xinetd skips around words and braces.
const blanks = " \t\r\v\f"

// onlyChar reports a line holding the character c and nothing but blanks.
func onlyChar(text string, c string) bool { return strings.Trim(text, blanks) == c }

// Parse reads an xinetd configuration file from r; name is used in error
// messages. Bad lines are reported, one error per line, and the blocks and
// directives of every other line are returned along with the error.
func Parse(r io.Reader, name string) (*File, error) {
	lines, err := parse.ReadLines(r, name)
	if err != nil {
		return nil, err
	}
	p := &parser{f: &File{Name: name, Lines: lines}}
	for i, line := range lines {
		p.line(i+1, line)
	}
	p.end()
	return p.f, p.errs.Err()
}

type state int

const (
	top       state = iota // between blocks
	wantBrace              // after a header, before its '{'
	inBlock                // between '{' and '}'
)

type parser struct {
	f    *File
	errs parse.Errors
	st   state
	cur  Block
	// defaults reports that cur is a defaults block.
	defaults bool
	// drop reports that cur is a block to read but not keep: a service
	// without a name, or a second defaults block.
	drop bool
}

func (p *parser) errorf(line int, format string, args ...any) {
	p.errs.Add(p.f.Name, line, format, args...)
}

// what names the current block in messages.
func (p *parser) what() string {
	if p.defaults {
		return "defaults"
	}
	if p.cur.Name == "" {
		return "service"
	}
	return "service " + p.cur.Name
}

func (p *parser) line(lineNo int, line string) {
	text := strings.TrimLeft(line, blanks)
	if text == "" || text[0] == '#' {
		return
	}
	switch p.st {
	case wantBrace:
		if onlyChar(text, "{") {
			p.st = inBlock
			return
		}
		p.errorf(p.cur.Line, "%s: missing { on the line after the header", p.what())
		p.st = top
		p.top(lineNo, text)
	case inBlock:
		if onlyChar(text, "}") {
			p.cur.EndLine = lineNo
			p.close()
			return
		}
		if onlyChar(text, "{") {
			p.errorf(lineNo, "{ inside the open block of %s", p.what())
			return
		}
		a, msg := parseAttr(text)
		if msg != "" {
			p.errorf(lineNo, "%s", msg)
			return
		}
		a.Line = lineNo
		p.cur.Attrs = append(p.cur.Attrs, a)
	default:
		p.top(lineNo, text)
	}
}

// top handles a line outside any block.
func (p *parser) top(lineNo int, text string) {
	fields := parse.Fields(text) // not empty: text starts with a non-blank
	switch fields[0] {
	case "service", "defaults":
		words := fields[1:]
		brace := false
		if n := len(words); n > 0 && strings.HasSuffix(words[n-1], "{") {
			brace = true
			words[n-1] = strings.TrimSuffix(words[n-1], "{")
			if words[n-1] == "" {
				words = words[:n-1]
			}
		}
		p.cur = Block{Line: lineNo}
		p.defaults = fields[0] == "defaults"
		p.drop = false
		if p.defaults {
			if p.f.Defaults != nil {
				p.errorf(lineNo, "second defaults block, which xinetd ignores (the first is at line %d)", p.f.Defaults.Line)
				p.drop = true
			}
		} else if len(words) == 0 {
			p.errorf(lineNo, "service block without a name")
			p.drop = true
		} else {
			p.cur.Name = words[0]
		}
		if brace {
			p.st = inBlock
		} else {
			p.st = wantBrace
		}
	case "include", "includedir":
		dir := fields[0] == "includedir"
		if len(fields) < 2 {
			if dir {
				p.errorf(lineNo, "includedir without a directory")
			} else {
				p.errorf(lineNo, "include without a file")
			}
			return
		}
		p.f.Includes = append(p.f.Includes, Include{Line: lineNo, Dir: dir, Path: fields[1]})
	default:
		switch {
		case onlyChar(text, "{"):
			p.errorf(lineNo, "{ without a service or defaults header")
		case onlyChar(text, "}"):
			p.errorf(lineNo, "} without an open block")
		default:
			if a, msg := parseAttr(text); msg == "" {
				p.errorf(lineNo, "attribute %q outside a service or defaults block", a.Key)
			} else {
				p.errorf(lineNo, "unknown directive %q, want service, defaults, include or includedir", fields[0])
			}
		}
	}
}

// close ends the current block and keeps it unless it is to be dropped.
func (p *parser) close() {
	p.st = top
	if p.drop {
		return
	}
	if p.defaults {
		b := p.cur
		p.f.Defaults = &b
		return
	}
	p.f.Services = append(p.f.Services, p.cur)
}

// end checks the state at the end of the file.
func (p *parser) end() {
	switch p.st {
	case wantBrace:
		p.errorf(p.cur.Line, "%s: missing { on the line after the header", p.what())
	case inBlock:
		p.errorf(p.cur.Line, "%s: missing } at end of file", p.what())
		p.close()
	}
}

// parseAttr parses "key op values" as xinetd does: the key runs to the
// first blank or '=', a blank must come before the operator, and the values
// are the blank-separated words after it.
func parseAttr(text string) (Attr, string) {
	var a Attr
	s := strings.TrimLeft(text, blanks)
	i := strings.IndexAny(s, blanks+"=")
	if i == 0 {
		return a, "want key op values, got " + strconv.Quote(s)
	}
	if i < 0 {
		i = len(s)
	}
	a.Key = s[:i]
	if i < len(s) && s[i] == '=' {
		key := strings.TrimRight(a.Key, "+-")
		if key == "" {
			return a, "want key op values, got " + strconv.Quote(s)
		}
		return a, "attribute " + strconv.Quote(key) + " wants a blank before its operator"
	}
	rest := strings.TrimLeft(s[i:], blanks)
	switch {
	case rest == "":
		return a, "attribute " + strconv.Quote(a.Key) + " has no operator: want key op values"
	case strings.HasPrefix(rest, "+="):
		a.Op = "+="
	case strings.HasPrefix(rest, "-="):
		a.Op = "-="
	case strings.HasPrefix(rest, "="):
		a.Op = "="
	default:
		op := parse.Fields(rest)[0]
		return a, "attribute " + strconv.Quote(a.Key) + " has unknown operator " + strconv.Quote(op) + ": want =, += or -="
	}
	a.Values = parse.Fields(rest[len(a.Op):])
	return a, ""
}
