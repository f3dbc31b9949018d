package crypt

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

const (
	sha512Default = "$6$16charsaltvalue1$/PyuBHWWJvH2GwfshBMkNo5w5bT4Cp.IZ9DZeaTqvYromd.kxz5PrJ3YBewjmVRHCkLr6U/Ml66KwYHIhz2mn."
	md5Hash       = "$1$saltsalt$qjXMvbEw8oaL.CzflDtaK/"
	bcrypt10      = "$2b$10$abcdefghijklmnopqrstuu5Lo0g67CiD3M4RpN1BmBb4Crp5w7dbK"
	desHash       = "abJnggxhB/yWI"
	ssha512Cost6  = "{ssha512}06$bJbkFGJAB30L2e23$bXiXjyH5YGIyoWWmEVwq67nCU5t7GLy9HkCzrodRCQCx3r9VvG98o7O3V0r9cVrX3LPPGuHqT5LLn0oGCuI1.."
)

// scheme is the part of a Scheme the table checks; Why is checked only
// for being set.
type scheme struct {
	ID   string
	Name string
	Cost int
	Weak bool
}

type field struct {
	Kind   Kind
	Scheme scheme
	Lock   string
}

func short(f Field) field {
	return field{f.Kind, scheme{f.Scheme.ID, f.Scheme.Name, f.Scheme.Cost, f.Scheme.Weak}, f.Lock}
}

func TestIdentify(t *testing.T) {
	tests := []struct {
		in   string
		want field
	}{
		// Fields that hold no hash.
		{"", field{Kind: KindEmpty}},
		{"x", field{Kind: KindShadowed}},
		{"*", field{Kind: KindLocked, Lock: "*"}},
		{"!", field{Kind: KindLocked, Lock: "!"}},
		{"!!", field{Kind: KindLocked, Lock: "!!"}},
		{"!*", field{Kind: KindLocked, Lock: "!*"}},
		{"*LK*", field{Kind: KindLocked, Lock: "*LK*"}},
		{"*LOCKED*", field{Kind: KindLocked, Lock: "*LOCKED*"}},
		{"NP", field{Kind: KindLocked, Lock: "NP"}},
		{"*NP*", field{Kind: KindLocked, Lock: "*NP*"}},
		{"UP", field{Kind: KindLocked, Lock: "UP"}},
		{"!not a hash", field{Kind: KindLocked, Lock: "!"}},

		// Locks in front of a kept hash.
		{"!" + sha512Default, field{KindLocked, scheme{"sha512", "sha512crypt", 5000, false}, "!"}},
		{"!!" + md5Hash, field{KindLocked, scheme{"md5", "MD5 crypt", 0, true}, "!!"}},
		{"*LK*" + sha512Default, field{KindLocked, scheme{"sha512", "sha512crypt", 5000, false}, "*LK*"}},
		{"*LOCKED*" + bcrypt10, field{KindLocked, scheme{"bcrypt", "bcrypt", 10, false}, "*LOCKED*"}},
		{"*" + desHash, field{KindLocked, scheme{"des", "DES crypt", 0, true}, "*"}},

		// Every scheme.
		{desHash, field{Kind: KindHash, Scheme: scheme{"des", "DES crypt", 0, true}}},
		{"abJnggxhB/yWIhAyA1wNll32", field{Kind: KindHash, Scheme: scheme{"bigcrypt", "bigcrypt", 0, true}}},
		{"_J9../o7zuotunc5B81M", field{Kind: KindHash, Scheme: scheme{"bsdi", "BSDi extended DES", 725, true}}},
		{md5Hash, field{Kind: KindHash, Scheme: scheme{"md5", "MD5 crypt", 0, true}}},
		{"$apr1$Xy1.zW$XETpB5.XFKkrnwJ3dRy9A.", field{Kind: KindHash, Scheme: scheme{"apr1", "Apache MD5 (apr1)", 0, true}}},
		{"{smd5}aixsalt1$KkG235nJDQJd7r4NAFQ6F.", field{Kind: KindHash, Scheme: scheme{"aix-smd5", "AIX smd5", 0, true}}},
		{"{smd5}$1$JVDbGx8K$T9h8HK4LZxeLPMTAxCfpc1", field{Kind: KindHash, Scheme: scheme{"aix-smd5", "AIX smd5", 0, true}}},
		{"$5$shortsalt$9fVMh0Mqx7d6Q1.ujTGXp6sWTvFXDffoqEHrwrlzDG/", field{Kind: KindHash, Scheme: scheme{"sha256", "sha256crypt", 5000, false}}},
		{"$5$rounds=1000$abcdefghijkl$JOW72OBqdJ2MM1w7ntXlX7HbTd4LIrtvzPy34T/0Fo.", field{Kind: KindHash, Scheme: scheme{"sha256", "sha256crypt", 1000, true}}},
		{sha512Default, field{Kind: KindHash, Scheme: scheme{"sha512", "sha512crypt", 5000, false}}},
		{"$6$rounds=656000$yLgulAlRv8EBNLOz$WSJWvFe8hn9e2yDcmWas3Ts9siJtri8KmpCs0zZUz3SN4Y1AONBO0EnHfiVaGN74QjpOhqifFd94WJ/F8hHhB/", field{Kind: KindHash, Scheme: scheme{"sha512", "sha512crypt", 656000, false}}},
		// Fewer rounds than the minimum are clamped to it.
		{"$6$rounds=10$roundstoolow$kUMsbe306n21p9R.FRkW3IGn.S9NPN0x50YhH1xhLsPuWGsUSklZt58jaTfF4ZEQpyUNGc0dqbpBYYBaHHrsX.", field{Kind: KindHash, Scheme: scheme{"sha512", "sha512crypt", 1000, true}}},
		{"$6$rounds=99999999999999999999999$s$kUMsbe306n21p9R.FRkW3IGn.S9NPN0x50YhH1xhLsPuWGsUSklZt58jaTfF4ZEQpyUNGc0dqbpBYYBaHHrsX.", field{Kind: KindHash, Scheme: scheme{"sha512", "sha512crypt", 999999999, false}}},
		{bcrypt10, field{Kind: KindHash, Scheme: scheme{"bcrypt", "bcrypt", 10, false}}},
		{"$2y$12$abcdefghijklmnopqrstuunYdhHrPrQsWwVD7FJZar2U048CuDd2m", field{Kind: KindHash, Scheme: scheme{"bcrypt", "bcrypt", 12, false}}},
		{"$2a$05$dq8lk6egRz6.vHY57iN7WOEUTeqYZ2wspONqrpLkbEO1FN/yFtlWi", field{Kind: KindHash, Scheme: scheme{"bcrypt", "bcrypt", 5, true}}},
		{"$2x$10$abcdefghijklmnopqrstuuj7m4XYqbm74SxoBcXyw8to0CQ061DVG", field{Kind: KindHash, Scheme: scheme{"bcrypt", "bcrypt ($2x$)", 10, true}}},
		{"$y$j9T$mTSSlyfxr1UNth8FWitul/$HKJ/AZdtjE/aKErAmfg1.Sb6d4g2m.GI.lqPQVeMsCD", field{Kind: KindHash, Scheme: scheme{"yescrypt", "yescrypt", 12, false}}},
		{"$y$j75$njBemz1yoN032zQB5siFE.$klvUqh/biR7bZJiNWEd3OHHVUxTUoX1gd0g1JVPiAI5", field{Kind: KindHash, Scheme: scheme{"yescrypt", "yescrypt", 10, true}}},
		{"$y$jFT$EPaUliKARUyXfCCWF.wR7/$RG9sSWdKgaJoPUW8/FaHraTR8bniBiV4Hv/G7qdh0fB", field{Kind: KindHash, Scheme: scheme{"yescrypt", "yescrypt", 18, false}}},
		{"$gy$j9T$y9c0ZVYv17wGU/r81X7pW/$dF4br3fgvtIVimGYNg8d8y5QulIPD8o1mgAqLeq9c0D", field{Kind: KindHash, Scheme: scheme{"gost-yescrypt", "GOST yescrypt", 12, false}}},
		{"$7$CU..../....SchgICPq50EuzdytZ/RiX.$5niXUmN2/D9TbwSC/IZBIpHrlBVlQwwQDNmOBSCvyvC", field{Kind: KindHash, Scheme: scheme{"scrypt", "scrypt", 14, false}}},
		{"$md5,rounds=47728$OXJqEq2Q$$2HlM22ZvncF.2TCvJaSrf.", field{Kind: KindHash, Scheme: scheme{"sunmd5", "SunMD5", 4096 + 47728, true}}},
		{"$md5$abcdefgh$$iExobWJIazoiKIDQnza6r/", field{Kind: KindHash, Scheme: scheme{"sunmd5", "SunMD5", 4096, true}}},
		{"$3$$8846f7eaee8fb117ad06bdd830b7586c", field{Kind: KindHash, Scheme: scheme{"nt", "NT hash", 0, true}}},
		{"$sha1$24680$abcdefgh$K1yjH35mDXLwrESQTYHbzphYzqRC", field{Kind: KindHash, Scheme: scheme{"sha1crypt", "NetBSD sha1crypt", 24680, true}}},
		{"$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXo", field{Kind: KindHash, Scheme: scheme{"argon2id", "Argon2id", 3, false}}},
		{"$argon2i$m=4096,t=1,p=1$c2FsdHNhbHQ$YWJjZGVmZ2hpamtsbW5vcA", field{Kind: KindHash, Scheme: scheme{"argon2i", "Argon2i", 1, true}}},
		{"{ssha1}06$bJbkFGJAB30L2e23$dCESGOsP7jaIIAJ1QAcmaGeG.kr", field{Kind: KindHash, Scheme: scheme{"aix-ssha1", "AIX ssha1", 6, true}}},
		{"{ssha256}06$aJckFGJAB30LTe10$ohUsB7LBPlgclE3hJg9x042DLJvQyxVCX.nZZLEz.g2", field{Kind: KindHash, Scheme: scheme{"aix-ssha256", "AIX ssha256", 6, true}}},
		{ssha512Cost6, field{Kind: KindHash, Scheme: scheme{"aix-ssha512", "AIX ssha512", 6, true}}},
		{"{ssha512}14$abcdefghijklmnop$TSShCAOpdby5aaWOlMSQuYklqtGgx1HXdr78pgVtWUBB.TSnwOwtjrg3RMnAm0aFzF.EF3JYGJkuPr2lwJ3h..", field{Kind: KindHash, Scheme: scheme{"aix-ssha512", "AIX ssha512", 14, false}}},

		// Garbage and broken hashes.
		{"hello", field{Kind: KindUnknown}},
		{"$6$", field{Kind: KindUnknown}},
		{"$6$saltonly", field{Kind: KindUnknown}},
		{"$6$rounds=$s$kUMsbe306n21p9R.FRkW3IGn.S9NPN0x50YhH1xhLsPuWGsUSklZt58jaTfF4ZEQpyUNGc0dqbpBYYBaHHrsX.", field{Kind: KindUnknown}},
		{"$6$rounds=12a$s$kUMsbe306n21p9R.FRkW3IGn.S9NPN0x50YhH1xhLsPuWGsUSklZt58jaTfF4ZEQpyUNGc0dqbpBYYBaHHrsX.", field{Kind: KindUnknown}},
		{"$6$salt$tooshort", field{Kind: KindUnknown}},
		{"$1$saltsaltX$qjXMvbEw8oaL.CzflDtaK/", field{Kind: KindUnknown}},
		{"$2b$03$abcdefghijklmnopqrstuu5Lo0g67CiD3M4RpN1BmBb4Crp5w7dbK", field{Kind: KindUnknown}},
		{"$2z$10$abcdefghijklmnopqrstuu5Lo0g67CiD3M4RpN1BmBb4Crp5w7dbK", field{Kind: KindUnknown}},
		{"{ssha512}06$salt$short", field{Kind: KindUnknown}},
		{"{ssha512}40$bJbkFGJAB30L2e23$bXiXjyH5YGIyoWWmEVwq67nCU5t7GLy9HkCzrodRCQCx3r9VvG98o7O3V0r9cVrX3LPPGuHqT5LLn0oGCuI1..", field{Kind: KindUnknown}},
		{"{ssha256}06$aJckFGJAB30LTe10$ohUsB7LBPlgclE3hJg9x042DLJvQyxVCX.nZZLEz.h2", field{Kind: KindUnknown}}, // padding bits set
		{"{sblowfish}10$x$y", field{Kind: KindUnknown}},
		{"$3$$8846F7EAEE8FB117AD06BDD830B7586C", field{Kind: KindUnknown}},
		{"abJnggxhB/yW", field{Kind: KindUnknown}},
		{"abJnggxhB/yW:", field{Kind: KindUnknown}},
		{"_J9../o7zuotunc5B81", field{Kind: KindUnknown}},
		{" $1$saltsalt$qjXMvbEw8oaL.CzflDtaK/", field{Kind: KindUnknown}},
	}
	for _, tc := range tests {
		got := Identify(tc.in)
		if diff := cmp.Diff(tc.want, short(got)); diff != "" {
			t.Errorf("Identify(%q) mismatch (-want +got):\n%s", tc.in, diff)
		}
		if got.Scheme.ID != "" && got.Scheme.Why == "" {
			t.Errorf("Identify(%q): Scheme.Why is empty", tc.in)
		}
	}
}

func TestIdentifyIn(t *testing.T) {
	tests := []struct {
		in   string
		src  Source
		want Kind
	}{
		{"x", AnyFile, KindShadowed},
		{"x", PasswdFile, KindShadowed},
		{"x", ShadowFile, KindUnknown},
		{"x", AIXPasswdFile, KindUnknown},
		{"!", AnyFile, KindLocked},
		{"!", ShadowFile, KindLocked},
		{"!", PasswdFile, KindLocked},
		{"!", AIXPasswdFile, KindShadowed},
		{"*", AIXPasswdFile, KindLocked},
		{"*", ShadowFile, KindLocked}, // AIX /etc/security/passwd too
		{"", AIXPasswdFile, KindEmpty},
		{"", ShadowFile, KindEmpty},
		{ssha512Cost6, ShadowFile, KindHash},
		{desHash, AIXPasswdFile, KindHash},
	}
	for _, tc := range tests {
		if got := IdentifyIn(tc.in, tc.src).Kind; got != tc.want {
			t.Errorf("IdentifyIn(%q, %d) = %v, want %v", tc.in, tc.src, got, tc.want)
		}
	}
}

// TestEveryVectorIdentifies checks Identify against every known-good
// vector: each is a hash, of the scheme its prefix names.
func TestEveryVectorIdentifies(t *testing.T) {
	var all []string
	for _, v := range generated {
		all = append(all, v.hash)
	}
	for _, v := range published {
		all = append(all, v.hash)
	}
	for _, h := range all {
		f := Identify(h)
		if f.Kind != KindHash || f.Scheme.ID == "" || f.Scheme.Name == "" || f.Scheme.Why == "" {
			t.Errorf("Identify(%q) = %+v, want a named hash", h, f)
		}
	}
}

func TestKindString(t *testing.T) {
	got := []string{KindUnknown.String(), KindHash.String(), KindEmpty.String(), KindLocked.String(), KindShadowed.String(), Kind(99).String()}
	want := []string{"unknown", "hash", "empty", "locked", "shadowed", "Kind(99)"}
	if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("Kind.String mismatch (-want +got):\n%s", diff)
	}
}

func TestFieldString(t *testing.T) {
	tests := map[string]string{
		"":            "empty",
		"x":           "shadowed",
		"!" + md5Hash: "locked (!) MD5 crypt",
		sha512Default: "hash sha512crypt (cost 5000)",
		"!!":          "locked (!!)",
		"what":        "unknown",
		"{ssha1}06$bJbkFGJAB30L2e23$dCESGOsP7jaIIAJ1QAcmaGeG.kr": "hash AIX ssha1 (cost 6)",
	}
	for in, want := range tests {
		if got := Identify(in).String(); got != want {
			t.Errorf("Identify(%q).String() = %q, want %q", in, got, want)
		}
	}
}
