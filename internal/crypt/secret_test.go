package crypt

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// secretParts returns the pieces of hash that must never be printed: the
// hash itself and its last 16 characters (part of the digest in every
// format).
func secretParts(hash string) []string {
	parts := []string{hash}
	if len(hash) > 16 {
		parts = append(parts, hash[len(hash)-16:])
	}
	return parts
}

var verbs = []string{"%v", "%+v", "%#v", "%s", "%q", "%x"}

func assertNoSecret(t *testing.T, what, printed, hash string) {
	t.Helper()
	for _, p := range secretParts(hash) {
		if strings.Contains(printed, p) {
			t.Errorf("%s of %q prints %q, which contains %q", what, hash, printed, p)
		}
	}
}

// TestNothingPrintsTheHash prints every value this package returns, with
// every verb, and checks that the hash is not in the output.
func TestNothingPrintsTheHash(t *testing.T) {
	var hashes []string
	for _, v := range generated {
		hashes = append(hashes, v.hash, "!"+v.hash)
	}
	for _, v := range published {
		hashes = append(hashes, v.hash)
	}
	for _, h := range hashes {
		f := Identify(h)
		for _, verb := range verbs {
			assertNoSecret(t, "Field "+verb, fmt.Sprintf(verb, f), h)
			assertNoSecret(t, "Scheme "+verb, fmt.Sprintf(verb, f.Scheme), h)
			assertNoSecret(t, "Kind "+verb, fmt.Sprintf(verb, f.Kind), h)
		}
		v, err := NewVerifier(h)
		if err != nil {
			t.Errorf("NewVerifier: %v", err)
			continue
		}
		for _, verb := range verbs {
			out := fmt.Sprintf(verb, v)
			assertNoSecret(t, "Verifier "+verb, out, h)
			if !strings.HasPrefix(out, "crypt.Verifier(") {
				t.Errorf("Verifier %s prints %q, want the redacted form", verb, out)
			}
		}
	}
}

// TestErrorsDoNotQuoteTheHash feeds broken hashes of every format and
// checks the errors: the right kind, and no part of the input.
func TestErrorsDoNotQuoteTheHash(t *testing.T) {
	tests := []struct {
		in   string
		want error
	}{
		{"", ErrNotHash},
		{"x", ErrNotHash},
		{"!!", ErrNotHash},
		{"*LK*", ErrNotHash},
		{"secretlooking-but-unknown-value", ErrUnknown},
		{"$6$salt$secretdigestthatistooshort", ErrMalformed},
		{"$6$rounds=x$salt$secretdigestthatistooshort", ErrMalformed},
		{"$5$salt$secretdigestthatistooshort", ErrMalformed},
		{"$1$salt$secretdigestthatistooshort", ErrMalformed},
		{"$apr1$salt$secretdigestthatistooshort", ErrMalformed},
		{"{smd5}salt$secretdigestthatistooshort", ErrMalformed},
		{"$2b$10$secretdigestthatistooshort", ErrMalformed},
		{"$2b$99$abcdefghijklmnopqrstuu5Lo0g67CiD3M4RpN1BmBb4Crp5w7dbK", ErrMalformed},
		{"{ssha512}06$salt$secretdigestthatistooshort", ErrMalformed},
		{"{ssha1}99$bJbkFGJAB30L2e23$dCESGOsP7jaIIAJ1QAcmaGeG.kr", ErrMalformed},
		{"$3$$secretdigestthatistooshort", ErrMalformed},
		{"$y$j9T$salt$secretdigestthatistooshort", ErrMalformed},
		{"_J9..secretdigestthatistooshort", ErrMalformed},
		// Known formats this package does not verify.
		{"$md5$abcdefgh$$iExobWJIazoiKIDQnza6r/", ErrUnsupported},
		{"$sha1$24680$abcdefgh$K1yjH35mDXLwrESQTYHbzphYzqRC", ErrUnsupported},
		{"$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXo", ErrUnsupported},
		// Canonical-looking strings no crypt(3) writes: bits set in the
		// padding of the last character.
		{"abJnggxhB/yWJ", ErrMalformed},
		{"$1$saltsalt$qjXMvbEw8oaL.CzflDtaK9", ErrMalformed},
		{"$6$16charsaltvalue1$/PyuBHWWJvH2GwfshBMkNo5w5bT4Cp.IZ9DZeaTqvYromd.kxz5PrJ3YBewjmVRHCkLr6U/Ml66KwYHIhz2mnz", ErrMalformed},
		{"$5$shortsalt$9fVMh0Mqx7d6Q1.ujTGXp6sWTvFXDffoqEHrwrlzDGz", ErrMalformed},
		{"_J9../o7zuotunc5B81N", ErrMalformed},
		{"_...abcd5PdvOY2ueZ2", ErrMalformed},  // too short
		{"_....abcd5PdvOY2ueZ2", ErrMalformed}, // zero iterations
	}
	for _, tc := range tests {
		v, err := NewVerifier(tc.in)
		if err == nil {
			t.Errorf("NewVerifier(%q) = %v, want an error", tc.in, v)
			continue
		}
		if !errors.Is(err, tc.want) {
			t.Errorf("NewVerifier(%q) error %v, want %v", tc.in, err, tc.want)
		}
		var e *Error
		if !errors.As(err, &e) {
			t.Errorf("NewVerifier(%q) error %T, want *Error", tc.in, err)
		}
		if tc.in != "" && tc.in != "x" {
			assertNoSecret(t, "error", err.Error(), tc.in)
			assertNoSecret(t, "error %#v", fmt.Sprintf("%#v", err), tc.in)
		}
		if !strings.HasPrefix(err.Error(), "crypt: ") {
			t.Errorf("error %q does not start with the package name", err)
		}
	}
}
