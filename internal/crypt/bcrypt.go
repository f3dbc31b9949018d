package crypt

import (
	"golang.org/x/crypto/bcrypt"
)

// bcryptVerifier checks bcrypt through golang.org/x/crypto/bcrypt, which
// reads "$2a$", "$2b$", "$2y$" and "$2x$" alike and computes what "$2b$"
// defines. That is what every minor version gives for passwords of 7-bit
// characters up to 72 bytes long; beyond that two kinds of hashes can
// differ and then Verify misses the password:
//   - "$2x$" hashes were made by crypt_blowfish before 1.1 with its sign
//     extension bug, which changes the key for 8-bit characters;
//   - "$2a$" hashes made by crypt_blowfish 1.1 and later (libxcrypt, some
//     Linux distributions) of passwords with 8-bit characters carry a
//     countermeasure bit that no other implementation sets.
//
// Passwords longer than 72 bytes are cut there, as every bcrypt cuts them.
type bcryptVerifier struct {
	redacted
	hash []byte
}

func newBcryptVerifier(hash string) (*bcryptVerifier, error) {
	if _, err := bcrypt.Cost([]byte(hash)); err != nil {
		return nil, &Error{Scheme: "bcrypt", Err: ErrMalformed, cause: err}
	}
	return &bcryptVerifier{redacted: redacted{"bcrypt"}, hash: []byte(hash)}, nil
}

func (v *bcryptVerifier) Verify(password []byte) bool {
	pw := cutNUL(password)
	if len(pw) > 72 {
		pw = pw[:72]
	}
	return bcrypt.CompareHashAndPassword(v.hash, pw) == nil
}
