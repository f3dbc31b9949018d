// Package crypt knows the password hash formats found in Unix shadow files
// and AIX /etc/security/passwd: it names the format and cost of a password
// field and says whether an attacker who steals it would crack it fast
// (Identify), and it checks guessed passwords against a hash (NewVerifier),
// which the weak-password audit runs on every core at once.
//
// Everything that holds a hash keeps it to itself: no error, String or
// GoString of this package ever contains a hash, a salt or a password, so
// findings and logs can carry them safely.
//
// DES crypt, BSDi extended DES, MD5 crypt and its Apache and AIX variants,
// sha256crypt, sha512crypt, the AIX ssha family and NT hashes are computed
// by this package itself; bcrypt by golang.org/x/crypto/bcrypt; yescrypt and
// classic scrypt by the yescrypt sub-package.
package crypt

import (
	"errors"
	"fmt"
	"strings"
)

// Kind says what a password field holds.
type Kind int

const (
	// KindUnknown is a field this package cannot read: not empty, not a
	// marker it knows, and not a hash format it knows. No crypt(3) accepts
	// it either, so in practice nobody logs in with a password, but a
	// rule should say the field is odd rather than guess.
	KindUnknown Kind = iota
	// KindHash is a password hash: login by password works for whoever
	// knows the password.
	KindHash
	// KindEmpty is an empty field: no password, anyone logs in.
	KindEmpty
	// KindLocked refuses login by password: "!", "*", "!!", "*LK*",
	// "*LOCKED*", "NP", or one of those prefixes in front of a hash that
	// is kept so that unlocking restores it. Field.Scheme is set when a
	// hash is kept.
	KindLocked
	// KindShadowed says the hash lives in another file: "x" in
	// /etc/passwd (see /etc/shadow), "!" in AIX /etc/passwd (see
	// /etc/security/passwd).
	KindShadowed
)

var kindNames = [...]string{
	KindUnknown:  "unknown",
	KindHash:     "hash",
	KindEmpty:    "empty",
	KindLocked:   "locked",
	KindShadowed: "shadowed",
}

// String names the kind in lower case.
func (k Kind) String() string {
	if k >= 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Scheme describes a hash format and its cost as found in one hash. It
// never holds the hash itself.
type Scheme struct {
	// ID is a short stable identifier: "des", "bigcrypt", "bsdi", "md5",
	// "apr1", "aix-smd5", "sha256", "sha512", "bcrypt", "yescrypt",
	// "gost-yescrypt", "scrypt", "aix-ssha1", "aix-ssha256",
	// "aix-ssha512", "sunmd5", "sha1crypt", "nt", "argon2i", "argon2d",
	// "argon2id".
	ID string
	// Name is the name an administrator knows: "DES crypt", "MD5 crypt",
	// "sha512crypt", "yescrypt", "AIX ssha512".
	Name string
	// Cost is the cost parameter as the format states it: sha-crypt
	// rounds (5000 when not given), bcrypt log2 cost, AIX ssha log2
	// iterations, yescrypt and scrypt log2 N, BSDi and sunmd5 and
	// sha1crypt iterations, argon2 passes. Zero for formats with a fixed
	// cost (DES, MD5 crypt, NT).
	Cost int
	// Weak reports that an attacker with the hash cracks common passwords
	// fast; thresholds and their sources are in weakness.go.
	Weak bool
	// Why says in one line why the hash is weak or strong.
	Why string
}

// String gives the scheme's name and cost, for reports.
func (s Scheme) String() string {
	if s.ID == "" {
		return "no scheme"
	}
	if s.Cost == 0 {
		return s.Name
	}
	return fmt.Sprintf("%s (cost %d)", s.Name, s.Cost)
}

// Field is what a password field holds, without the field itself.
type Field struct {
	Kind Kind
	// Scheme is set for KindHash, and for KindLocked when a hash is kept
	// behind the lock marker.
	Scheme Scheme
	// Lock is the lock marker as found ("!", "!!", "*", "*LK*",
	// "*LOCKED*", "NP", ...), for KindLocked only. Markers are fixed
	// strings, never part of a hash.
	Lock string
}

// String describes the field for reports, e.g. "locked (!) sha512crypt".
func (f Field) String() string {
	var b strings.Builder
	b.WriteString(f.Kind.String())
	if f.Lock != "" {
		fmt.Fprintf(&b, " (%s)", f.Lock)
	}
	if f.Scheme.ID != "" {
		b.WriteString(" ")
		b.WriteString(f.Scheme.String())
	}
	return b.String()
}

// Verifier checks guessed passwords against one hash. NewVerifier parses the
// hash once (salt, cost, expected digest) so that each Verify does only the
// hashing. A Verifier is not safe for concurrent use: it keeps scratch
// buffers, so make one per goroutine.
type Verifier interface {
	// Verify reports whether password hashes to the Verifier's hash.
	// Bytes after a NUL are ignored, as crypt(3) never sees them.
	Verify(password []byte) bool
}

// Errors NewVerifier returns, wrapped in an *Error that names the scheme.
var (
	// ErrNotHash reports a field that holds no hash: empty, a lock
	// marker alone, a shadow marker.
	ErrNotHash = errors.New("field holds no password hash")
	// ErrUnknown reports a field in a format this package does not know.
	ErrUnknown = errors.New("unknown hash format")
	// ErrMalformed reports a hash that starts like a known format but
	// breaks its rules, so no password can match it.
	ErrMalformed = errors.New("malformed hash")
	// ErrUnsupported reports a known format that this package identifies
	// but cannot verify.
	ErrUnsupported = errors.New("hash format not supported for verification")
)

// Error is a hash that could not be made into a Verifier. It names the
// scheme and what is wrong, never the hash.
type Error struct {
	// Scheme is the Scheme.ID of the hash, or "" when unknown.
	Scheme string
	// Err is one of the Err* values of this package.
	Err error
	// Detail says what is wrong in a few words, e.g. "bad rounds". It is
	// written by this package and never quotes the hash.
	Detail string
	// cause is an underlying error kept for errors.Is and errors.As but
	// not printed, since another package's message might quote input.
	cause error
}

// Error gives "crypt: scheme: what is wrong (detail)".
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("crypt: ")
	if e.Scheme != "" {
		b.WriteString(e.Scheme)
		b.WriteString(": ")
	}
	b.WriteString(e.Err.Error())
	if e.Detail != "" {
		b.WriteString(" (")
		b.WriteString(e.Detail)
		b.WriteString(")")
	}
	return b.String()
}

// Unwrap gives the Err* value and any underlying cause.
func (e *Error) Unwrap() []error {
	if e.cause != nil {
		return []error{e.Err, e.cause}
	}
	return []error{e.Err}
}

func malformed(scheme, detail string) error {
	return &Error{Scheme: scheme, Err: ErrMalformed, Detail: detail}
}

// NewVerifier parses hash once for repeated Verify calls. hash is a password
// field as Identify takes it; a hash kept behind a lock marker ("!$6$...")
// is verified as the hash itself, since unlocking the account restores it.
// The error is an *Error; it never contains the hash.
func NewVerifier(hash string) (Verifier, error) {
	f := Identify(hash)
	switch f.Kind {
	case KindHash:
	case KindLocked:
		if f.Scheme.ID == "" {
			return nil, &Error{Err: ErrNotHash, Detail: "locked"}
		}
		hash = hash[len(f.Lock):]
	case KindUnknown:
		if id := guessScheme(hash); id != "" {
			return nil, malformed(id, "")
		}
		return nil, &Error{Err: ErrUnknown}
	default:
		return nil, &Error{Err: ErrNotHash, Detail: f.Kind.String()}
	}
	var v Verifier
	var err error
	switch f.Scheme.ID {
	case "des":
		v, err = newDESVerifier(hash)
	case "bsdi":
		v, err = newBSDIVerifier(hash)
	case "bigcrypt":
		v, err = newBigcryptVerifier(hash)
	case "md5", "apr1", "aix-smd5":
		v, err = newMD5Verifier(f.Scheme.ID, hash)
	case "sha256", "sha512":
		v, err = newSHAVerifier(f.Scheme.ID, hash)
	case "bcrypt":
		v, err = newBcryptVerifier(hash)
	case "aix-ssha1", "aix-ssha256", "aix-ssha512":
		v, err = newSSHAVerifier(f.Scheme.ID, hash)
	case "nt":
		v, err = newNTVerifier(hash)
	case "yescrypt", "scrypt", "gost-yescrypt":
		v, err = newYescryptVerifier(f.Scheme.ID, hash)
	default:
		return nil, &Error{Scheme: f.Scheme.ID, Err: ErrUnsupported}
	}
	if err != nil {
		return nil, err
	}
	return v, nil
}

// cutNUL returns password up to its first NUL byte: crypt(3) takes a C
// string, so a login never sends what follows.
func cutNUL(password []byte) []byte {
	for i, c := range password {
		if c == 0 {
			return password[:i]
		}
	}
	return password
}

// redacted is embedded in every Verifier so that printing one with any verb
// (%v, %+v, %#v, %s, %x) shows only the scheme, never the salt or digest it
// holds.
type redacted struct{ scheme string }

// Format prints the scheme name only.
func (r redacted) Format(f fmt.State, verb rune) {
	fmt.Fprintf(f, "crypt.Verifier(%s)", r.scheme)
}
