package crontab

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// timeField describes one of the five time fields of a job.
type timeField struct {
	// name is the field's name in messages, as cron gives it.
	name string
	// low and high bound the values of the field.
	low, high int
	// names holds the names a value may be written as; names[i] stands
	// for low+i.
	names []string
}

// timeFields are the time fields in the order of a job line. Sunday is
// both 0 and 7.
var timeFields = [5]timeField{
	{name: "minute", low: 0, high: 59},
	{name: "hour", low: 0, high: 23},
	{name: "day-of-month", low: 1, high: 31},
	{name: "month", low: 1, high: 12, names: []string{
		"jan", "feb", "mar", "apr", "may", "jun",
		"jul", "aug", "sep", "oct", "nov", "dec"}},
	{name: "day-of-week", low: 0, high: 7, names: []string{
		"sun", "mon", "tue", "wed", "thu", "fri", "sat", "sun"}},
}

// check reports what is wrong with s as a value of the field: a list of
// elements separated by commas.
func (f timeField) check(s string) error {
	for elem := range strings.SplitSeq(s, ",") {
		if elem == "" {
			return errors.New("empty list element")
		}
		if err := f.checkElem(elem); err != nil {
			return err
		}
	}
	return nil
}

// checkElem checks one element of a list: "*", a value, a range "a-b",
// either of the first two with a step "/n", or a random value "a~b" whose
// bounds may be left out.
func (f timeField) checkElem(e string) error {
	body, step, stepped := strings.Cut(e, "/")
	if stepped {
		if !isDigits(step) {
			return fmt.Errorf("step %q is not a number", step)
		}
		n, err := strconv.Atoi(step)
		switch {
		case err != nil:
			return fmt.Errorf("step %s is too large", step)
		case n == 0:
			return errors.New("step 0")
		}
	}
	switch {
	case body == "*":
		return nil
	case strings.Contains(body, "~"):
		if stepped {
			return errors.New("step after a random value")
		}
		lo, hi, _ := strings.Cut(body, "~")
		a, b := f.low, f.high
		var err error
		if lo != "" {
			if a, err = f.value(lo); err != nil {
				return err
			}
		}
		if hi != "" {
			if b, err = f.value(hi); err != nil {
				return err
			}
		}
		if a > b {
			return fmt.Errorf("random range %s is backwards", body)
		}
		return nil
	case strings.Contains(body, "-"):
		lo, hi, _ := strings.Cut(body, "-")
		a, err := f.value(lo)
		if err != nil {
			return err
		}
		b, err := f.value(hi)
		if err != nil {
			return err
		}
		if a > b {
			return fmt.Errorf("range %s is backwards", body)
		}
		return nil
	}
	if _, err := f.value(body); err != nil {
		return err
	}
	if stepped {
		return errors.New("step after a single value")
	}
	return nil
}

// value returns the number s stands for: digits within the field's bounds
// or, in the month and weekday fields, a name.
func (f timeField) value(s string) (int, error) {
	switch {
	case s == "":
		return 0, errors.New("missing value")
	case isDigits(s):
		n, err := strconv.Atoi(s)
		if err != nil || n < f.low || n > f.high {
			return 0, fmt.Errorf("%s is out of range %d-%d", s, f.low, f.high)
		}
		return n, nil
	}
	for i, name := range f.names {
		if strings.EqualFold(s, name) {
			return f.low + i, nil
		}
	}
	if f.names != nil {
		return 0, fmt.Errorf("unknown name %q", s)
	}
	return 0, fmt.Errorf("%q is not a number", s)
}

// isDigits reports whether s is one or more ASCII digits.
func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
