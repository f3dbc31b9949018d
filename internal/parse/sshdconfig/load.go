package sshdconfig

import (
	"bytes"
	"path"
	"strings"

	"bastion/internal/parse"
)

// FS is how Load reads files: bastion passes its reader of the target.
type FS interface {
	ReadFile(name string) ([]byte, error)
	// Glob returns the absolute names matching a pattern, in lexical
	// order; none (and no error) when nothing matches.
	Glob(pattern string) ([]string, error)
}

// MaxDepth is how deep sshd follows nested Includes.
const MaxDepth = 16

// Config is a main sshd_config with every file it includes.
type Config struct {
	// Files are the files read, the main one first, each once.
	Files []*File
	// Directives are the directives of every file, flattened in the
	// order sshd sees them: an Include line is followed by the
	// directives of the files it names. A directive of an included file
	// that comes before any Match line of that file sits in the block
	// of the Include line; a Match block of an included file has that
	// block as its Parent.
	Directives []Directive
}

// Load reads the main file name and the files it includes. It returns the
// Config with an error listing every problem: lines in error (see Parse),
// keywords that may not appear in a Match block, include loops, includes
// nested deeper than sshd allows, and files that cannot be read. A glob
// that matches nothing is not an error, as for sshd. When the main file
// cannot be read Load returns a nil Config.
func Load(fsys FS, name string) (*Config, error) {
	l := &loader{fsys: fsys, files: map[string]*File{}, cfg: &Config{}, refused: map[*File]map[int]bool{}}
	f, err := l.read(name)
	if f == nil {
		return nil, err
	}
	l.errs.Append(err)
	l.walk(f, nil, []string{name})
	return l.cfg, l.errs.Err()
}

type loader struct {
	fsys  FS
	files map[string]*File
	cfg   *Config
	errs  parse.Errors
	// refused holds the Match-block lines already reported, so that a
	// file included twice is reported once.
	refused map[*File]map[int]bool
}

// read parses a file once; a later Include of it reuses the result, as
// sshd caches what it included.
func (l *loader) read(name string) (*File, error) {
	if f, ok := l.files[name]; ok {
		return f, nil
	}
	data, err := l.fsys.ReadFile(name)
	if err != nil {
		return nil, &parse.Error{File: name, Err: err}
	}
	f, err := Parse(bytes.NewReader(data), name)
	if f != nil {
		l.files[name] = f
		l.cfg.Files = append(l.cfg.Files, f)
	}
	return f, err
}

// walk appends the directives of f, included from within block (nil for
// the global section), following its Includes. stack holds the files
// being included, the main one first.
func (l *loader) walk(f *File, block *Match, stack []string) {
	// The blocks of this inclusion of f: copies of the file's own, with
	// the includer's block as parent. The same file included twice gets
	// two sets.
	blocks := map[*Match]*Match{}
	for _, d := range f.Directives {
		switch {
		case d.Match == nil:
			d.Match = block
		case blocks[d.Match] != nil:
			d.Match = blocks[d.Match]
		default:
			m := *d.Match
			m.Parent = block
			blocks[d.Match] = &m
			d.Match = &m
		}
		if d.Keyword != "match" && d.Keyword != "include" && d.Match != nil && !d.Match.Applies(nil) {
			// sshd reads Match blocks once at start-up without a
			// connection, and refuses there what a block may not
			// hold. A "Match all" block is active then, so it may
			// hold anything.
			if ok, known := allowedInMatch(d.Name); known && !ok && !l.refused[f][d.Line] {
				l.errs.Add(d.File, d.Line, "%s is not allowed within a Match block", d.Name)
				if l.refused[f] == nil {
					l.refused[f] = map[int]bool{}
				}
				l.refused[f][d.Line] = true
			}
		}
		l.cfg.Directives = append(l.cfg.Directives, d)
		if d.Keyword == "include" {
			l.include(d, stack)
		}
	}
}

// include follows one Include line.
func (l *loader) include(d Directive, stack []string) {
	for _, arg := range d.Args {
		if arg == "" {
			l.errs.Add(d.File, d.Line, "empty Include argument")
			continue
		}
		pattern := arg
		if !strings.HasPrefix(arg, "/") && !strings.HasPrefix(arg, "~") {
			pattern = path.Join(Dir, arg)
		}
		names, err := l.fsys.Glob(pattern)
		if err != nil {
			l.errs.Add(d.File, d.Line, "include %q: %v", pattern, err)
			continue
		}
		for _, name := range names {
			if loop(stack, name) {
				l.errs.Add(d.File, d.Line, "include loop: %s includes itself (%s)", name, strings.Join(append(stack, name), " -> "))
				continue
			}
			if len(stack) > MaxDepth {
				l.errs.Add(d.File, d.Line, "includes nested more than %d deep at %s", MaxDepth, name)
				continue
			}
			f, err := l.read(name)
			l.errs.Append(err)
			if f == nil {
				continue
			}
			l.walk(f, d.Match, append(stack[:len(stack):len(stack)], name))
		}
	}
}

func loop(stack []string, name string) bool {
	for _, s := range stack {
		if s == name {
			return true
		}
	}
	return false
}
