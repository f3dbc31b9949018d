package crypt

import (
	"bastion/internal/crypt/yescrypt"
)

// yescryptVerifier hands yescrypt ("$y$"), GOST yescrypt ("$gy$") and
// classic scrypt ("$7$") to the yescrypt package.
type yescryptVerifier struct {
	redacted
	v *yescrypt.Verifier
}

func newYescryptVerifier(id, hash string) (*yescryptVerifier, error) {
	v, err := yescrypt.NewVerifier(hash)
	if err != nil {
		// The cause is kept for errors.Is but not printed: this
		// package promises that no message quotes a hash.
		return nil, &Error{Scheme: id, Err: ErrUnsupported, cause: err}
	}
	if v == nil {
		return nil, &Error{Scheme: id, Err: ErrUnsupported}
	}
	return &yescryptVerifier{redacted: redacted{id}, v: v}, nil
}

func (v *yescryptVerifier) Verify(password []byte) bool {
	return v.v.Verify(cutNUL(password))
}
