// Package logrotate reads the configuration of logrotate: /etc/logrotate.conf
// and the files it includes, usually every file of /etc/logrotate.d.
//
// A file holds directives, one a line ("weekly", "rotate 4", "include
// /etc/logrotate.d"), and blocks: one or more log file names or glob
// patterns, over one or more lines, then "{", the directives for those files
// one a line, and "}" on a line of its own. Directives outside a block are
// global: they apply to the blocks that follow them. A name may be quoted
// with double or single quotes when it holds blanks. The scripts of
// postrotate, prerotate, firstaction, lastaction and preremove run to a line
// "endscript" and are shell text, not directives. Lines whose first
// non-blank character is '#' are comments.
//
// Every line is kept and every directive and name records its line, so that
// a finding can name the line and a fix can add a file without touching the
// others. Bad lines are reported and the rest of the file is still read.
package logrotate

import (
	"io"
	"path"
	"strconv"
	"strings"

	"bastion/internal/parse"
)

// File is one parsed logrotate configuration file.
type File struct {
	// Name is the name the file was parsed under, used in error messages.
	Name string
	// Lines holds every physical line as read, without line endings.
	Lines []string
	// Globals are the directives written outside blocks, in file order,
	// include lines left out.
	Globals []Option
	// Includes are the include lines, in file order.
	Includes []Include
	// Blocks are the blocks of log files, in file order.
	Blocks []Block
}

// Option is one directive: a keyword and its arguments.
type Option struct {
	Line int
	// Name is the keyword in lower case ("rotate", "weekly").
	Name string
	// Args are the words after the keyword.
	Args []string
}

// Include is an "include path" line: a file, or a directory whose files
// are read in name order.
type Include struct {
	Line int
	Path string
}

// Block is one block of log files and their directives.
type Block struct {
	// Line is the line of the first name; Open the line of "{"; EndLine
	// the line of "}", or 0 when the block is not closed.
	Line, Open, EndLine int
	// Patterns are the file names and glob patterns, in order.
	Patterns []Pattern
	// Options are the directives inside the block, in order; the lines
	// of scripts are not among them.
	Options []Option
	// Scripts are the scripts of the block.
	Scripts []Script
}

// Pattern is a log file name or glob pattern as written, quotes removed.
type Pattern struct {
	Line int
	Path string
}

// Script is a postrotate (or prerotate, firstaction, lastaction,
// preremove) script: the lines from its keyword to endscript.
type Script struct {
	// Name is the keyword that opens it.
	Name string
	// Line is the keyword's line; EndLine the endscript line, or 0 when
	// the file ends first.
	Line, EndLine int
}

// Bytes returns the file text: every line as read, each ended by "\n".
func (f *File) Bytes() []byte { return parse.JoinLines(f.Lines) }

// Option returns the last directive of the block with one of the names
// given, and whether there is one.
func (b *Block) Option(names ...string) (Option, bool) {
	for i := len(b.Options) - 1; i >= 0; i-- {
		for _, n := range names {
			if b.Options[i].Name == n {
				return b.Options[i], true
			}
		}
	}
	return Option{}, false
}

// Match returns the first pattern of the block that names the file p, and
// whether there is one. Patterns are shell globs, whose '*' and '?' do not
// match '/'.
func (b *Block) Match(p string) (Pattern, bool) {
	for _, pt := range b.Patterns {
		if Matches(pt.Path, p) {
			return pt, true
		}
	}
	return Pattern{}, false
}

// Matches reports whether the pattern, a name or a shell glob, names the
// file p. A malformed pattern matches only itself.
func Matches(pattern, p string) bool {
	if pattern == p {
		return true
	}
	ok, err := path.Match(pattern, p)
	return err == nil && ok
}

// Frequencies are the directives that say how often a file is rotated.
var Frequencies = []string{"hourly", "daily", "weekly", "monthly", "yearly", "size"}

// scriptWords open a script that runs to endscript.
var scriptWords = map[string]bool{
	"postrotate": true, "prerotate": true, "firstaction": true, "lastaction": true, "preremove": true,
}

// keywords are the directives logrotate knows, with the number of
// arguments each takes: the least and the most (-1: no limit).
var keywords = map[string][2]int{
	"addextension":     {1, 1},
	"allowhardlink":    {0, 0},
	"compress":         {0, 0},
	"compresscmd":      {1, 1},
	"compressext":      {1, 1},
	"compressoptions":  {0, -1},
	"copy":             {0, 0},
	"copytruncate":     {0, 0},
	"create":           {0, 3},
	"createolddir":     {0, 3},
	"daily":            {0, 0},
	"dateext":          {0, 0},
	"dateformat":       {1, 1},
	"dateyesterday":    {0, 0},
	"delaycompress":    {0, 0},
	"endscript":        {0, 0},
	"extension":        {1, 1},
	"firstaction":      {0, 0},
	"hourly":           {0, 0},
	"ifempty":          {0, 0},
	"ignoreduplicates": {0, 0},
	"include":          {1, 1},
	"lastaction":       {0, 0},
	"mail":             {1, 1},
	"mailfirst":        {0, 0},
	"maillast":         {0, 0},
	"maxage":           {1, 1},
	"maxsize":          {1, 1},
	"minage":           {1, 1},
	"minsize":          {1, 1},
	"missingok":        {0, 0},
	"monthly":          {0, 0},
	"noallowhardlink":  {0, 0},
	"nocompress":       {0, 0},
	"nocopy":           {0, 0},
	"nocopytruncate":   {0, 0},
	"nocreate":         {0, 0},
	"nocreateolddir":   {0, 0},
	"nodateext":        {0, 0},
	"nodelaycompress":  {0, 0},
	"nomail":           {0, 0},
	"nomissingok":      {0, 0},
	"noolddir":         {0, 0},
	"norenamecopy":     {0, 0},
	"nosharedscripts":  {0, 0},
	"noshred":          {0, 0},
	"notifempty":       {0, 0},
	"olddir":           {1, 1},
	"postrotate":       {0, 0},
	"preremove":        {0, 0},
	"prerotate":        {0, 0},
	"renamecopy":       {0, 0},
	"rotate":           {1, 1},
	"sharedscripts":    {0, 0},
	"shred":            {0, 0},
	"shredcycles":      {1, 1},
	"size":             {1, 1},
	"start":            {1, 1},
	"su":               {1, 2},
	"tabooext":         {1, -1},
	"taboopat":         {1, -1},
	"uncompresscmd":    {1, 1},
	"weekly":           {0, 1},
	"yearly":           {0, 0},
}

// Parse reads a logrotate configuration file from r; name is used in error
// messages. Bad lines are reported, one error each, and everything else is
// returned along with the error. A file that cannot be read returns nil.
func Parse(r io.Reader, name string) (*File, error) {
	lines, err := parse.ReadLines(r, name)
	if err != nil {
		return nil, err
	}
	p := &parser{f: &File{Name: name, Lines: lines}}
	p.run()
	return p.f, p.errs.Err()
}

type parser struct {
	f    *File
	errs parse.Errors
	// pending are names read outside a block and not yet followed by
	// "{"; block is the open block, or nil; script the open script.
	pending []Pattern
	block   *Block
	script  *Script
}

func (p *parser) run() {
	for i, line := range p.f.Lines {
		p.line(i+1, line)
	}
	if p.script != nil {
		p.errs.Add(p.f.Name, p.script.Line, "%s without endscript", p.script.Name)
		p.endScript(0)
	}
	if p.block != nil {
		p.errs.Add(p.f.Name, p.block.Open, "block opened here is not closed")
		p.closeBlock(0)
	}
	if len(p.pending) > 0 {
		p.errs.Add(p.f.Name, p.pending[0].Line, "log file names without a block")
		p.pending = nil
	}
}

func (p *parser) line(n int, line string) {
	text := strings.TrimSpace(line)
	if p.script != nil {
		// logrotate looks at the first word only: "endscript # reload".
		if f := strings.Fields(text); len(f) > 0 && f[0] == "endscript" {
			p.endScript(n)
		}
		return
	}
	if text == "" || text[0] == '#' {
		return
	}
	words, msg := split(text)
	if msg != "" {
		p.errs.Add(p.f.Name, n, "%s", msg)
		return
	}
	if len(words) == 0 {
		return
	}
	first := words[0]
	switch {
	case first.text == "}" && !first.quoted:
		if p.block == nil {
			p.errs.Add(p.f.Name, n, "'}' without a block")
			return
		}
		if len(words) > 1 {
			p.errs.Add(p.f.Name, n, "text after '}'")
		}
		p.closeBlock(n)
		return
	case first.text == "{" && !first.quoted || isName(first):
		p.names(n, words)
		return
	}
	if len(p.pending) > 0 {
		p.errs.Add(p.f.Name, p.pending[0].Line, "log file names without a block")
		p.pending = nil
	}
	p.directive(n, words)
}

// names reads a line of log file names, which may end in "{".
func (p *parser) names(n int, words []word) {
	if p.block != nil {
		p.errs.Add(p.f.Name, n, "log file names inside a block")
		return
	}
	for i, w := range words {
		if w.text == "{" && !w.quoted {
			if i != len(words)-1 {
				p.errs.Add(p.f.Name, n, "text after '{'")
			}
			if len(p.pending) == 0 {
				p.errs.Add(p.f.Name, n, "'{' without log file names")
			}
			p.block = &Block{Open: n, Patterns: p.pending}
			if len(p.pending) > 0 {
				p.block.Line = p.pending[0].Line
			} else {
				p.block.Line = n
			}
			p.pending = nil
			return
		}
		if w.text == "" {
			p.errs.Add(p.f.Name, n, "empty log file name")
			continue
		}
		p.pending = append(p.pending, Pattern{Line: n, Path: w.text})
	}
}

// directive reads a keyword line, in a block or outside.
func (p *parser) directive(n int, words []word) {
	name := strings.ToLower(words[0].text)
	args := make([]string, 0, len(words)-1)
	for _, w := range words[1:] {
		args = append(args, w.text)
	}
	limits, known := keywords[name]
	switch {
	case !known:
		// Not quoted: a script's line read as a directive may hold a
		// password.
		p.errs.Add(p.f.Name, n, "unknown directive")
		return
	case name == "endscript":
		p.errs.Add(p.f.Name, n, "endscript without a script")
		return
	case len(args) < limits[0]:
		p.errs.Add(p.f.Name, n, "%s needs an argument", name)
		return
	case limits[1] >= 0 && len(args) > limits[1] && !scriptWords[name]:
		p.errs.Add(p.f.Name, n, "%s takes at most %d argument(s)", name, limits[1])
		return
	}
	if scriptWords[name] {
		args = nil // logrotate opens the script whatever follows the word
	}
	if msg := checkArgs(name, args); msg != "" {
		p.errs.Add(p.f.Name, n, "%s", msg)
		return
	}
	if scriptWords[name] {
		if p.block == nil {
			p.errs.Add(p.f.Name, n, "%s outside a block", name)
		}
		p.script = &Script{Name: name, Line: n}
		return
	}
	o := Option{Line: n, Name: name, Args: args}
	switch {
	case name == "include" && p.block != nil:
		p.errs.Add(p.f.Name, n, "include inside a block")
	case name == "include":
		p.f.Includes = append(p.f.Includes, Include{Line: n, Path: args[0]})
	case p.block != nil:
		p.block.Options = append(p.block.Options, o)
	default:
		p.f.Globals = append(p.f.Globals, o)
	}
}

// endScript ends the open script at line n (0: the end of the file).
func (p *parser) endScript(n int) {
	p.script.EndLine = n
	if p.block != nil {
		p.block.Scripts = append(p.block.Scripts, *p.script)
	}
	p.script = nil
}

// closeBlock ends the open block at line n (0: the end of the file).
func (p *parser) closeBlock(n int) {
	p.block.EndLine = n
	if len(p.block.Patterns) > 0 {
		p.f.Blocks = append(p.f.Blocks, *p.block)
	}
	p.block = nil
}

// checkArgs reports what is wrong with the arguments of a directive, or "".
func checkArgs(name string, args []string) string {
	switch name {
	case "rotate", "start", "shredcycles", "maxage", "minage":
		if v, err := strconv.Atoi(args[0]); err != nil || v < -1 || v < 0 && name != "rotate" {
			return name + " needs a whole number, not " + strconv.Quote(clip(args[0]))
		}
	case "size", "minsize", "maxsize":
		if !validSize(args[0]) {
			return name + " needs a size such as 100k, 10M or 1G, not " + strconv.Quote(clip(args[0]))
		}
	case "weekly":
		if len(args) == 1 {
			if v, err := strconv.Atoi(args[0]); err != nil || v < 0 || v > 7 {
				return "weekly takes a weekday from 0 to 7, not " + strconv.Quote(clip(args[0]))
			}
		}
	}
	return ""
}

// validSize reports a size as logrotate reads it: digits, optionally
// after a '+', then nothing or one of k, M and G (either case).
func validSize(s string) bool {
	s = strings.TrimPrefix(s, "+")
	if s == "" {
		return false
	}
	if c := s[len(s)-1]; strings.IndexByte("kKmMgG", c) >= 0 {
		s = s[:len(s)-1]
	}
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// word is a word of a line and whether it was quoted.
type word struct {
	text   string
	quoted bool
}

// isName reports whether a word starts a line of log file names: a path,
// or a quoted name.
func isName(w word) bool {
	return w.quoted || strings.HasPrefix(w.text, "/") || strings.HasPrefix(w.text, "*")
}

// split splits a line into blank-separated words, taking text in double
// or single quotes as one word. It reports an unclosed quote.
func split(s string) ([]word, string) {
	var out []word
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t':
			i++
		case c == '"' || c == '\'':
			j := strings.IndexByte(s[i+1:], c)
			if j < 0 {
				return out, "unclosed quote"
			}
			out = append(out, word{text: s[i+1 : i+1+j], quoted: true})
			i += j + 2
		default:
			j := i
			for j < len(s) && s[j] != ' ' && s[j] != '\t' {
				j++
			}
			out = append(out, word{text: s[i:j]})
			i = j
		}
	}
	return out, ""
}

// clip shortens s for an error message.
func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "..."
	}
	return s
}
