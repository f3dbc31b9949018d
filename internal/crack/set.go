package crack

import (
	"bytes"
	"hash/maphash"
)

// wordSet finds words in a list by a 64-bit hash of each word. It is used
// instead of a map keyed by string because a string key is a copy of the
// word that cannot be wiped, and a wordlist may hold the password being
// looked for; it is also smaller than a string map for a million words.
//
// Two different words with the same hash (which maphash makes a matter of
// chance, not of input) only cost a duplicate: the second word is kept but
// not indexed, so a later copy of it is not recognised as one.
type wordSet struct {
	seed maphash.Seed
	m    map[uint64]int
}

func newWordSet() *wordSet {
	return &wordSet{seed: maphash.MakeSeed(), m: make(map[uint64]int)}
}

// find returns the index in words of w, or -1. words is the list the
// indexes given to add refer to.
func (s *wordSet) find(words [][]byte, w []byte) int {
	i, ok := s.m[maphash.Bytes(s.seed, w)]
	if !ok || !bytes.Equal(words[i], w) {
		return -1
	}
	return i
}

// add records that w is at index i, unless a word with its hash is known.
func (s *wordSet) add(w []byte, i int) {
	h := maphash.Bytes(s.seed, w)
	if _, ok := s.m[h]; !ok {
		s.m[h] = i
	}
}
