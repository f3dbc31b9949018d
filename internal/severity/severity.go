// Package severity defines how bad a finding is. It is a leaf package so
// that rules, policies and reports share one ordered scale.
package severity

import (
	"fmt"
	"strings"
)

// Level is a severity, ordered from Info (least) to Critical (worst).
type Level int

// The levels, least to worst.
const (
	Info Level = iota + 1
	Low
	Medium
	High
	Critical
)

var names = [...]string{Info: "info", Low: "low", Medium: "medium", High: "high", Critical: "critical"}

// Levels lists every level, least to worst.
func Levels() []Level { return []Level{Info, Low, Medium, High, Critical} }

// String returns the lowercase name ("high").
func (l Level) String() string {
	if l < Info || l > Critical {
		return fmt.Sprintf("severity(%d)", int(l))
	}
	return names[l]
}

// Parse reads a level name, in any case.
func Parse(s string) (Level, error) {
	for _, l := range Levels() {
		if strings.EqualFold(s, names[l]) {
			return l, nil
		}
	}
	return 0, fmt.Errorf("unknown severity %q: want info, low, medium, high or critical", s)
}

// MarshalText writes the name, so JSON and YAML carry "high", not 4.
func (l Level) MarshalText() ([]byte, error) {
	if l < Info || l > Critical {
		return nil, fmt.Errorf("invalid severity %d", int(l))
	}
	return []byte(names[l]), nil
}

// UnmarshalText reads a name.
func (l *Level) UnmarshalText(b []byte) error {
	v, err := Parse(string(b))
	if err != nil {
		return err
	}
	*l = v
	return nil
}
