package secret

import (
	"strings"
	"testing"
)

func TestRedact(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"", "(empty)"},
		{"public", "p… (6 characters)"},
		{"private", "p… (7 characters)"},
		{"gated_password", "g… (14 characters)"},
		{"abcd", "a… (4 characters)"},
		{"abc", "… (3 characters)"},
		{"x", "… (1 character)"},
		{"ü-secret", "ü… (8 characters)"},
		{" padded", "… (7 characters)"},
		{"\tsecret", "… (7 characters)"},
		{"\x00secret", "… (7 characters)"},
		{"\xffsecret", "… (7 characters)"},
	}
	for _, tt := range tests {
		if got := Redact(tt.in); got != tt.want {
			t.Errorf("Redact(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestRedactNeverShowsTheSecret(t *testing.T) {
	for _, s := range []string{"ab", "abc", "abcd", "public", "n0t-s0-s3cret", "ééé"} {
		got := Redact(s)
		if strings.Contains(got, s) {
			t.Errorf("Redact(%q) = %q shows the secret", s, got)
		}
	}
}
