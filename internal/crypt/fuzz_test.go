package crypt

import (
	"errors"
	"strings"
	"testing"
)

// FuzzIdentify checks that Identify never panics and that what it returns
// holds together: a hash has a named, judged scheme; only a lock keeps a
// scheme otherwise; printing never shows the field; and a field Identify
// calls a hash is one NewVerifier accepts or knowingly leaves alone.
func FuzzIdentify(f *testing.F) {
	for _, v := range generated {
		f.Add(v.hash)
	}
	for _, s := range []string{"", "x", "!", "!!", "*", "*LK*", "!" + sha512Default, "$6$rounds=1$s$", "{ssha512}06$", "_J9..", "$y$j9T$$"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got := Identify(in)
		if got.Kind < KindUnknown || got.Kind > KindShadowed {
			t.Fatalf("Identify(%q) kind %d out of range", in, got.Kind)
		}
		switch got.Kind {
		case KindHash:
			if got.Scheme.ID == "" || got.Scheme.Name == "" || got.Scheme.Why == "" || got.Lock != "" {
				t.Errorf("Identify(%q) = %+v: a hash needs a named, judged scheme and no lock", in, got)
			}
		case KindLocked:
			if got.Lock == "" || !strings.HasPrefix(in, got.Lock) && got.Lock != in {
				t.Errorf("Identify(%q) = %+v: a lock needs its marker", in, got)
			}
		default:
			if got.Scheme.ID != "" || got.Lock != "" {
				t.Errorf("Identify(%q) = %+v: only hashes and locks carry more", in, got)
			}
		}
		if got.Scheme.Cost < 0 {
			t.Errorf("Identify(%q): negative cost %d", in, got.Scheme.Cost)
		}
		// Lock markers are fixed strings and may be printed; what
		// follows them may be a hash and may not. (A rest of only
		// punctuation can match the printed marker by chance; every
		// hash has letters or digits.)
		rest := strings.TrimPrefix(in, got.Lock)
		if len(rest) >= 12 && strings.ContainsAny(rest, itoa64[2:]) && strings.Contains(got.String()+got.Scheme.Why, rest) {
			t.Errorf("Identify(%q) prints the field: %q", in, got.String())
		}
		for _, src := range []Source{ShadowFile, PasswdFile, AIXPasswdFile} {
			other := IdentifyIn(in, src)
			if in != "x" && in != "!" && other != got {
				t.Errorf("IdentifyIn(%q, %d) = %+v, differs from Identify's %+v", in, src, other, got)
			}
		}
		if got.Kind == KindHash && !costly(got.Scheme) {
			v, err := NewVerifier(in)
			if err != nil && !errors.Is(err, ErrUnsupported) {
				t.Errorf("Identify(%q) says hash, NewVerifier says %v", in, err)
			}
			if err == nil && v.Verify([]byte("fuzz")) != v.Verify([]byte("fuzz")) {
				t.Errorf("Verify on %q is not deterministic", in)
			}
		}
	})
}

// costly reports whether a scheme's cost would make a fuzz iteration
// slow. Real hosts use such costs, so NewVerifier accepts them; the fuzz
// targets skip them.
func costly(s Scheme) bool {
	switch s.ID {
	case "sha256", "sha512":
		return s.Cost > 20000
	case "bcrypt":
		return s.Cost > 6
	case "aix-ssha1", "aix-ssha256", "aix-ssha512":
		return s.Cost > 12
	case "bsdi":
		return s.Cost > 10000
	case "yescrypt", "gost-yescrypt", "scrypt":
		return s.Cost > 10
	}
	return false
}

// FuzzNewVerifier checks that NewVerifier and Verify never panic on any
// input, and that errors never quote the input.
func FuzzNewVerifier(f *testing.F) {
	for _, v := range generated {
		f.Add(v.hash, []byte(v.password))
	}
	for _, v := range published {
		f.Add(v.hash, []byte(v.password))
	}
	f.Add("$6$rounds=1000$s$", []byte("pw"))
	f.Add("!$1$saltsalt$qjXMvbEw8oaL.CzflDtaK/", []byte("password\x00tail"))
	f.Fuzz(func(t *testing.T, hash string, password []byte) {
		if costly(Identify(hash).Scheme) {
			t.Skip("cost too high for fuzzing")
		}
		v, err := NewVerifier(hash)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("NewVerifier(%q) error %T, want *Error", hash, err)
			}
			if len(hash) >= 8 && strings.Contains(err.Error(), hash) {
				t.Errorf("error %q quotes the hash", err)
			}
			return
		}
		first := v.Verify(password)
		if v.Verify(password) != first {
			t.Errorf("Verify(%q) on %q is not deterministic", password, hash)
		}
		// crypt(3) never sees bytes after a NUL.
		if v.Verify(append(append([]byte{}, password...), 0, 'x')) != first {
			t.Errorf("Verify(%q) on %q depends on what follows a NUL", password, hash)
		}
	})
}
