package parse

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
)

func TestReadLines(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"a\nb\n", []string{"a", "b"}},
		{"a\r\nb", []string{"a", "b"}},
		{"\n\n", []string{"", ""}},
	} {
		got, err := ReadLines(strings.NewReader(tc.in), "f")
		if err != nil || strings.Join(got, "|") != strings.Join(tc.want, "|") || len(got) != len(tc.want) {
			t.Errorf("ReadLines(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
	if got := JoinLines([]string{"a", "b"}); string(got) != "a\nb\n" {
		t.Errorf("JoinLines = %q", got)
	}
}

func TestTooLarge(t *testing.T) {
	_, err := ReadLines(io.LimitReader(zeros{}, MaxSize+10), "big")
	var pe *Error
	if !errors.Is(err, ErrTooLarge) || !errors.As(err, &pe) || pe.File != "big" || pe.Line != 0 {
		t.Errorf("err = %v", err)
	}
	if !strings.HasPrefix(err.Error(), "big: ") {
		t.Errorf("message %q", err)
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

func TestErrors(t *testing.T) {
	var es Errors
	if es.Err() != nil || es.Len() != 0 {
		t.Fatal("empty Errors is not nil")
	}
	es.Add("inetd.conf", 7, "want at least %d fields, got %d", 6, 3)
	es.Append(nil)
	es.Append(errors.New("plain"))
	err := es.Err()
	if es.Len() != 2 || !strings.Contains(err.Error(), "inetd.conf:7: want at least 6 fields, got 3") {
		t.Errorf("err = %v", err)
	}
	list := List(err)
	if len(list) != 2 || list[0].Line != 7 || list[1].Err.Error() != "plain" {
		t.Errorf("List = %+v", list)
	}
	if List(nil) != nil {
		t.Error("List(nil)")
	}
	if got := Fields(" a\tb  c "); len(got) != 3 {
		t.Errorf("Fields = %q", got)
	}
	if s, ok := StripComment("x # y"); s != "x " || !ok {
		t.Errorf("StripComment = %q %v", s, ok)
	}
	if !bytes.Equal(JoinLines(nil), nil) {
		t.Error("JoinLines(nil)")
	}
}
