package firewall

import (
	"math/rand/v2"
	"net/netip"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The set operations are checked against a bitmap of 64 addresses,
// 10.0.0.0 to 10.0.0.63, on random sets.
const span = 64

func addrAt(i int) netip.Addr { return netip.AddrFrom4([4]byte{10, 0, 0, byte(i)}) }

func randomSet(r *rand.Rand) (addrSet, uint64) {
	var s addrSet
	var bits uint64
	for range r.IntN(4) {
		lo := r.IntN(span)
		hi := lo + r.IntN(span-lo)
		s = append(s, addrRange{addrAt(lo), addrAt(hi)})
		for i := lo; i <= hi; i++ {
			bits |= 1 << i
		}
	}
	return s.normal(), bits
}

func bitsOf(t *testing.T, s addrSet) uint64 {
	t.Helper()
	var bits uint64
	for i, r := range s {
		if r.hi.Less(r.lo) {
			t.Fatalf("range %v-%v backwards in %v", r.lo, r.hi, s)
		}
		if i > 0 && !s[i-1].hi.Next().Less(r.lo) {
			t.Fatalf("ranges overlap or touch in %v", s)
		}
		for a := r.lo; ; a = a.Next() {
			bits |= 1 << int(a.As4()[3])
			if a == r.hi {
				break
			}
		}
	}
	return bits
}

func TestAddrSetOps(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		a, ab := randomSet(r)
		b, bb := randomSet(r)
		if got := bitsOf(t, a.union(b)); got != ab|bb {
			t.Fatalf("%v union %v = %b, want %b", a, b, got, ab|bb)
		}
		if got := bitsOf(t, a.intersect(b)); got != ab&bb {
			t.Fatalf("%v intersect %v = %b, want %b", a, b, got, ab&bb)
		}
		if got := bitsOf(t, a.minus(b)); got != ab&^bb {
			t.Fatalf("%v minus %v = %b, want %b", a, b, got, ab&^bb)
		}
		var n int
		var pbits uint64
		for _, p := range a.prefixes() {
			if p != p.Masked() {
				t.Fatalf("prefix %v not aligned", p)
			}
			pb := bitsOf(t, addrSet{rangeOf(p)})
			if pbits&pb != 0 {
				t.Fatalf("prefixes of %v overlap", a)
			}
			pbits |= pb
			n += 1 << (32 - p.Bits())
		}
		if pbits != ab || float64(n) != a.size() {
			t.Fatalf("prefixes of %v cover %b (%d), want %b (%v)", a, pbits, n, ab, a.size())
		}
	}
}

func TestPrefixes(t *testing.T) {
	tests := []struct {
		lo, hi string
		want   []string
	}{
		{"10.0.0.0", "10.255.255.255", []string{"10.0.0.0/8"}},
		{"10.0.0.1", "10.0.0.6", []string{"10.0.0.1/32", "10.0.0.2/31", "10.0.0.4/31", "10.0.0.6/32"}},
		{"0.0.0.0", "255.255.255.255", []string{"0.0.0.0/0"}},
		{"::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", []string{"::/0"}},
		{"fe80::", "febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff", []string{"fe80::/10"}},
	}
	for _, tt := range tests {
		ps, ok := rangePrefixes(netip.MustParseAddr(tt.hi), netip.MustParseAddr(tt.lo))
		var got []string
		for _, p := range ps {
			got = append(got, p.String())
		}
		if diff := cmp.Diff(tt.want, got); diff != "" || !ok {
			t.Errorf("%s-%s (-want +got):\n%s", tt.lo, tt.hi, diff)
		}
	}
	if _, ok := rangePrefixes(netip.MustParseAddr("10.0.0.1"), netip.MustParseAddr("::1")); ok {
		t.Error("a range across families was accepted")
	}
}

func TestUniverse(t *testing.T) {
	u := universe(IPv4)
	got := u.prefixes()
	if len(got) != 8 || got[0].String() != "0.0.0.0/2" || u.intersect(setOf(mustPrefixes("127.0.0.1/32"), IPv4)) != nil {
		t.Errorf("IPv4 universe %v", got)
	}
	u6 := universe(IPv6)
	if !u6.intersect(setOf(mustPrefixes("::1/128"), IPv6)).empty() || u6.intersect(setOf(mustPrefixes("2001:db8::/32"), IPv6)).empty() {
		t.Errorf("IPv6 universe %v", u6.prefixes())
	}
	// setOf keeps the prefixes of its family only.
	if s := setOf(mustPrefixes("10.0.0.0/8", "fd00::/8"), IPv6); len(s) != 1 || !s[0].lo.Is6() {
		t.Errorf("setOf kept %v", s)
	}
}
