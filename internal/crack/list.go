package crack

import (
	"bufio"
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"

	"bastion/internal/parse"
)

// common is the built-in list: one password a line, most common first. It
// is kept to a few hundred lines on purpose: against a slow scheme such as
// yescrypt each guess costs tens of milliseconds per account.
//
//go:embed common.txt
var common string

// builtin is the built-in list split once into words. Run reads it and never
// changes it; Builtin hands out copies.
var builtin = sync.OnceValue(func() [][]byte {
	var out [][]byte
	for _, l := range strings.Split(common, "\n") {
		l = strings.TrimSuffix(l, "\r")
		if l != "" {
			out = append(out, []byte(l))
		}
	}
	return out
})

// Builtin returns the built-in list of common passwords, most common first.
// The slices are new on every call; the caller may change them.
func Builtin() [][]byte {
	b := builtin()
	out := make([][]byte, len(b))
	for i, w := range b {
		out[i] = bytes.Clone(w)
	}
	return out
}

// MaxWords is the most words ReadWordlist keeps. At a thousand guesses a
// second (a fast scheme) a million words already take a quarter of an hour
// per account; with yescrypt they take hours.
const MaxWords = 1 << 20

// MaxWordLen is the longest word ReadWordlist keeps, in bytes. Longer lines
// are skipped: they are not passwords anyone types.
const MaxWordLen = 256

// maxWords is MaxWords, lowered by tests.
var maxWords = MaxWords

// ErrTooManyWords reports a wordlist with more than MaxWords different
// words. ReadWordlist returns the first MaxWords words with it.
var ErrTooManyWords = fmt.Errorf("more than %d words", MaxWords)

// arenaSize is the size of the blocks ReadWordlist packs words into, so that
// a million words are a few dozen allocations rather than a million.
const arenaSize = 64 << 10

// ReadWordlist reads a wordlist, one word a line, as password-cracking
// tools write them. A word is the line without its "\n" or "\r\n", spaces
// kept (they may be part of a password). Blank lines, lines longer than
// MaxWordLen bytes and lines holding a NUL byte (which no crypt(3) password
// can contain) are skipped without an error; so are repeated words, which
// keep their first position. At most MaxWords words are kept: past that,
// the words read so far are returned with an error wrapping
// ErrTooManyWords.
//
// The words are read line by line, so a long file costs the memory of its
// distinct words, not of the file. Errors name the file, never a word.
func ReadWordlist(r io.Reader, name string) ([][]byte, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	var (
		words [][]byte
		seen  = newWordSet()
		arena []byte
		long  bool // the current line is too long and is being skipped
	)
	for {
		line, err := br.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			// A line longer than the buffer: far beyond MaxWordLen.
			long = true
			continue
		}
		if len(line) > 0 && !long {
			w := bytes.TrimSuffix(line, []byte("\n"))
			w = bytes.TrimSuffix(w, []byte("\r"))
			if len(w) > 0 && len(w) <= MaxWordLen && bytes.IndexByte(w, 0) < 0 && seen.find(words, w) < 0 {
				if len(words) == maxWords {
					return words, &parse.Error{File: name, Err: fmt.Errorf("%w: the rest is ignored", ErrTooManyWords)}
				}
				if cap(arena)-len(arena) < len(w) {
					arena = make([]byte, 0, arenaSize)
				}
				start := len(arena)
				arena = append(arena, w...)
				word := arena[start:len(arena):len(arena)]
				seen.add(word, len(words))
				words = append(words, word)
			}
		}
		long = false
		if err == io.EOF {
			return words, nil
		}
		if err != nil {
			return words, &parse.Error{File: name, Err: fmt.Errorf("read: %w", err)}
		}
	}
}
