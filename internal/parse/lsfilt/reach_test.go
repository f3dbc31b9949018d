package lsfilt

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestInbound(t *testing.T) {
	f := parseFixture(t, "lsfilt-v.out")
	numbers := func(rules []Rule) []int {
		var out []int
		for _, r := range rules {
			out = append(out, r.Number)
		}
		return out
	}
	tests := []struct {
		version int
		proto   string
		port    int
		want    []int
	}{
		{4, "tcp", 22, []int{3, 6, 7, 0}},
		{4, "6", 22, []int{3, 6, 7, 0}}, // the protocol by number
		{4, "tcp", 23, []int{0}},
		{4, "udp", 4001, []int{1, 0}}, // rule 1 asks for a source port too
		{6, "tcp", 2000, []int{2, 0}},
		{6, "tcp", 22, []int{0}},
		{0, "tcp", 22, []int{3, 6, 7, 0}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, numbers(f.Inbound(tt.version, tt.proto, tt.port))); diff != "" {
			t.Errorf("Inbound(%d, %s, %d) (-want +got):\n%s", tt.version, tt.proto, tt.port, diff)
		}
	}
}

func TestSummary(t *testing.T) {
	listing := parseFixture(t, "lsfilt-v.out")
	packed := parseFixture(t, "lsfilt-v4-O.out")
	const tail = "|both|inbound|no|all packets|0|all|0|||\n"
	open, err := Parse(strings.NewReader(
		"3|deny|203.0.113.0|255.255.255.0|0.0.0.0|0.0.0.0|yes|tcp|any|0|eq|22"+tail+
			"4|permit|203.0.113.9|255.255.255.255|0.0.0.0|0.0.0.0|yes|tcp|any|0|eq|22"+tail+
			"5|deny|198.51.100.0|255.255.255.0|0.0.0.0|0.0.0.0|yes|tcp|any|0|eq|22"+tail+
			"6|permit|192.0.2.0|255.255.255.0|0.0.0.0|0.0.0.0|yes|tcp|any|0|eq|22"+tail+
			"0|permit|0.0.0.0|0.0.0.0|0.0.0.0|0.0.0.0|yes|all|any|0|any|0"+tail), "open.out")
	if err != nil {
		t.Fatal(err)
	}
	stateful, err := Parse(strings.NewReader(
		"3|if|0.0.0.0|0.0.0.0|0.0.0.0|0.0.0.0|yes|tcp|any|0|eq|21"+tail+
			"0|deny|0.0.0.0|0.0.0.0|0.0.0.0|0.0.0.0|yes|all|any|0|any|0"+tail), "if.out")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		f       *File
		version int
		proto   string
		port    int
		want    string
	}{
		{listing, 4, "tcp", 22, "only 10.0.0.0/8 on en0 and 192.168.0.0/16 (but 192.168.7.0/24 denied first)"},
		{listing, 4, "tcp", 23, "no one"},
		{listing, 6, "tcp", 2000, "everyone"},
		{packed, 4, "tcp", 22, "only 172.16.0.0/12 on en1"},
		{packed, 4, "tcp", 23, "no one"},
		{packed, 4, "tcp", 5432, "only any host to 10.1.1.5 with a pattern"},
		{open, 4, "tcp", 22, "everyone except 203.0.113.0/24 and 198.51.100.0/24 (but 203.0.113.9 allowed first)"},
		{open, 4, "tcp", 80, "everyone"},
		{stateful, 4, "tcp", 21, "depends on if rule 3"},
		{&File{}, 4, "tcp", 22, "everyone"},
	}
	for _, tt := range tests {
		if got := tt.f.Summary(tt.version, tt.proto, tt.port); got != tt.want {
			t.Errorf("%s: Summary(%d, %s, %d) = %q, want %q", tt.f.Name, tt.version, tt.proto, tt.port, got, tt.want)
		}
	}
}
