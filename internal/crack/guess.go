package crack

import (
	"bytes"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Kind names the kind of guess that matched a hash. A report shows the kind
// instead of the password: "the password is the user name" says what is
// wrong without handing the password to whoever reads the report.
type Kind string

// The kinds of guess. The account-derived kinds come from Guesses; the list
// kinds from the built-in list and the user's wordlist.
const (
	// KindEmpty is a hash of the empty password. An empty password field
	// (no hash at all) is a different finding, made elsewhere; this is a
	// field that holds a real hash of "".
	KindEmpty Kind = "empty password"
	// KindName is the user name as it is, lower-case, capitalised or
	// upper-case.
	KindName Kind = "user name"
	// KindNameReversed is the user name spelt backwards ("toor").
	KindNameReversed Kind = "user name reversed"
	// KindNameDigits is the user name followed by digits, a year or "!".
	KindNameDigits Kind = "user name with digits"
	// KindNameDoubled is the user name written twice.
	KindNameDoubled Kind = "user name doubled"
	// KindGecos is a word of the account's GECOS (comment) field.
	KindGecos Kind = "GECOS word"
	// KindHost is the host name, or its first label, with or without
	// digits.
	KindHost Kind = "host name"
	// KindCommon is a password of the built-in list; Match.Rank gives its
	// position.
	KindCommon Kind = "common password"
	// KindWordlist is a word of the wordlist given by the user.
	KindWordlist Kind = "wordlist"
)

// Guess is one password to try and the kind of guess it is. Word may be the
// password of an account, so String and GoString show its length only.
type Guess struct {
	Word []byte
	Kind Kind
}

// String describes the guess without its word.
func (g Guess) String() string {
	return string(g.Kind) + " guess (" + strconv.Itoa(len(g.Word)) + " bytes)"
}

// GoString is String: %#v must not show the word either.
func (g Guess) GoString() string { return "crack.Guess{" + g.String() + "}" }

// nameSuffixes are appended to the user name (as it is and capitalised):
// the digit runs and punctuation that password rules push people to add.
// Recent years are added by suffixes.
var nameSuffixes = []string{"1", "12", "123", "1234", "12345", "123456", "01", "!", "1!", "123!"}

// hostSuffixes are appended to the short host name.
var hostSuffixes = []string{"1", "12", "123", "1234", "01"}

// years is how many years, counting back from the current one, are tried
// after the user name and the host name.
const years = 6

// maxGecosWords bounds the guesses taken from one GECOS field: it is free
// text and may be long, and each guess can cost tens of milliseconds.
const maxGecosWords = 8

// minGecosWord is the shortest GECOS word tried; shorter ones ("Jr",
// initials, room numbers) are not worth a guess.
const minGecosWord = 3

// clock gives the current year for the year suffixes; tests fix it.
var clock = time.Now

// Guesses returns the guesses derived from an account and the host name, in
// the order they are tried, without duplicates (a word that two rules give
// is kept with the kind of the first): the empty password; the user name as
// it is, capitalised, upper-case and lower-case; reversed; followed by
// digits, "!" and recent years; doubled; the words of the GECOS field in
// lower case and capitalised; the host name, its first label and that label
// capitalised, alone and followed by digits and recent years.
//
// The words are new slices that the caller owns. The hash of the account is
// not read.
func Guesses(a Account, host string) []Guess {
	var gs guessList
	gs.add(KindEmpty, "")

	name := a.Name
	if name != "" {
		bases := []string{name, capitalise(name)}
		gs.add(KindName, name)
		gs.add(KindName, capitalise(name))
		gs.add(KindName, strings.ToUpper(name))
		gs.add(KindName, strings.ToLower(name))
		gs.add(KindNameReversed, reverse(name))
		for _, b := range bases {
			for _, s := range nameSuffixes {
				gs.add(KindNameDigits, b+s)
			}
		}
		y := clock().Year()
		for _, b := range bases {
			for i := range years {
				gs.add(KindNameDigits, b+strconv.Itoa(y-i))
			}
		}
		gs.add(KindNameDoubled, name+name)
	}

	var words []string
	for _, w := range gecosWords(a.Gecos) {
		if len(words) == maxGecosWords {
			break
		}
		words = append(words, w)
	}
	for _, w := range words {
		gs.add(KindGecos, strings.ToLower(w))
		gs.add(KindGecos, capitalise(strings.ToLower(w)))
	}

	host = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(host)), ".")
	if host != "" {
		short, _, _ := strings.Cut(host, ".")
		gs.add(KindHost, host)
		gs.add(KindHost, short)
		gs.add(KindHost, capitalise(short))
		for _, s := range hostSuffixes {
			gs.add(KindHost, short+s)
		}
		y := clock().Year()
		for i := range years {
			gs.add(KindHost, short+strconv.Itoa(y-i))
		}
	}
	return gs.list
}

// guessList builds a list of guesses without duplicates. The lists are a
// few dozen guesses long, so a linear search is cheaper than a map, and it
// keeps no string copy of a word that may turn out to be the password.
type guessList struct {
	list []Guess
}

func (gl *guessList) add(k Kind, w string) {
	for _, g := range gl.list {
		if string(g.Word) == w {
			return
		}
	}
	gl.list = append(gl.list, Guess{Word: []byte(w), Kind: k})
}

// gecosWords splits a GECOS field into words: runs of letters (of any
// script) at least minGecosWord runes long. The field's commas separate
// the name, room, work and home telephone; digits and punctuation are not
// part of a word, so telephone numbers give nothing.
func gecosWords(gecos string) []string {
	f := strings.FieldsFunc(gecos, func(r rune) bool { return !unicode.IsLetter(r) })
	out := f[:0]
	for _, w := range f {
		if utf8.RuneCountInString(w) >= minGecosWord {
			out = append(out, w)
		}
	}
	return out
}

// capitalise returns s with its first rune in upper case.
func capitalise(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// reverse returns s spelt backwards: rune by rune when s is valid UTF-8,
// byte by byte otherwise.
func reverse(s string) string {
	if !utf8.ValidString(s) {
		b := []byte(s)
		for i, j := 0, len(b)-1; i < j; i, j = i+1, j-1 {
			b[i], b[j] = b[j], b[i]
		}
		return string(b)
	}
	r := []rune(s)
	for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
		r[i], r[j] = r[j], r[i]
	}
	return string(r)
}

// wipe overwrites a word that may have been a password.
func wipe(b []byte) {
	clear(b)
}

// wipeGuesses wipes the words of guesses made by Guesses.
func wipeGuesses(gs []Guess) {
	for _, g := range gs {
		wipe(g.Word)
	}
}

// indexWord returns the index of the first guess whose word is w, or -1.
func indexWord(gs []Guess, w []byte) int {
	for i, g := range gs {
		if bytes.Equal(g.Word, w) {
			return i
		}
	}
	return -1
}
