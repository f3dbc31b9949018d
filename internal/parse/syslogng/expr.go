package syslogng

import (
	"fmt"
	"strings"

	"bastion/internal/parse/syslogconf"
)

// node is a parsed filter expression.
type node interface{}

type callNode struct{ d Driver }
type notNode struct{ x node }
type binNode struct {
	and  bool
	l, r node
}

// cmpNode is a comparison of templates ("${HOST}" == "x"), which bastion
// does not evaluate.
type cmpNode struct{}

// exprParser parses a filter expression: calls joined with and, or, not
// and parentheses, "and" binding tighter than "or".
type exprParser struct {
	toks  []token
	i     int
	calls []Driver
}

func (e *exprParser) peek() (token, bool) {
	if e.i >= len(e.toks) {
		return token{}, false
	}
	return e.toks[e.i], true
}

// line is the line of the current token, or def past the end.
func (e *exprParser) line(def int) int {
	if t, ok := e.peek(); ok {
		return t.line
	}
	if len(e.toks) > 0 {
		return e.toks[len(e.toks)-1].line
	}
	return def
}

func (e *exprParser) keyword(w string) bool {
	t, ok := e.peek()
	return ok && t.kind == tWord && strings.EqualFold(t.text, w)
}

func (e *exprParser) parse() (node, string) {
	n, msg := e.or()
	if msg != "" {
		return nil, msg
	}
	if t, ok := e.peek(); ok {
		return nil, "unexpected " + describe(t) + " in the expression"
	}
	return n, ""
}

func (e *exprParser) or() (node, string) {
	l, msg := e.and()
	for msg == "" && e.keyword("or") {
		e.i++
		var r node
		r, msg = e.and()
		l = binNode{false, l, r}
	}
	return l, msg
}

func (e *exprParser) and() (node, string) {
	l, msg := e.unary()
	for msg == "" && e.keyword("and") {
		e.i++
		var r node
		r, msg = e.unary()
		l = binNode{true, l, r}
	}
	return l, msg
}

func (e *exprParser) unary() (node, string) {
	t, ok := e.peek()
	switch {
	case !ok:
		return nil, "the expression ends too soon"
	case t.kind == tWord && strings.EqualFold(t.text, "not"):
		e.i++
		x, msg := e.unary()
		return notNode{x}, msg
	case t.is("("):
		e.i++
		x, msg := e.or()
		if msg != "" {
			return nil, msg
		}
		if c, ok := e.peek(); !ok || !c.is(")") {
			return nil, "missing ) in the expression"
		}
		e.i++
		return x, ""
	case t.kind == tString:
		// A template comparison: "${HOST}" == "x", or a bare string.
		e.i++
		if op, ok := e.peek(); ok && op.kind == tWord && !isBoolWord(op.text) {
			e.i++
			if v, ok := e.peek(); ok && (v.kind == tString || v.kind == tWord) && !isBoolWord(v.text) {
				e.i++
			} else {
				return nil, "comparison " + describe(op) + " without a right-hand side"
			}
		}
		return cmpNode{}, ""
	case t.kind == tWord:
		sub := &parser{f: &File{}, toks: e.toks, i: e.i}
		d, ok := sub.call()
		e.i = sub.i
		if !ok || sub.errs.Len() > 0 {
			return nil, "bad call " + describe(t)
		}
		e.calls = append(e.calls, d)
		return callNode{d}, ""
	}
	return nil, "unexpected " + describe(t) + " in the expression"
}

func isBoolWord(s string) bool {
	s = strings.ToLower(s)
	return s == "and" || s == "or" || s == "not"
}

// Match is the answer to "does this path take the message": yes, no, or
// unknown when it depends on something other than facility and level.
type Match string

// The answers.
const (
	Yes     Match = "yes"
	No      Match = "no"
	Unknown Match = "unknown"
)

func not(m Match) Match {
	switch m {
	case Yes:
		return No
	case No:
		return Yes
	}
	return Unknown
}

// msg is a message as filters see it: its facility and level.
type msg struct {
	fac   string
	level int
}

// evalState carries what one evaluation has learnt: the filters being
// evaluated (to stop filters that refer to each other) and the answers of
// filters already evaluated (so that chains of references stay cheap).
type evalState struct {
	seen map[string]bool
	done map[string]answer
}

type answer struct {
	m   Match
	why string
}

func newEvalState() *evalState {
	return &evalState{seen: map[string]bool{}, done: map[string]answer{}}
}

// eval evaluates a filter expression for a message.
func (f *File) eval(n node, m msg, st *evalState) (Match, string) {
	switch n := n.(type) {
	case callNode:
		return f.evalCall(n.d, m, st)
	case notNode:
		r, why := f.eval(n.x, m, st)
		return not(r), why
	case binNode:
		l, lwhy := f.eval(n.l, m, st)
		r, rwhy := f.eval(n.r, m, st)
		stop := No // and: any No decides
		if !n.and {
			stop = Yes
		}
		switch {
		case l == stop:
			return l, ""
		case r == stop:
			return r, ""
		case l == Unknown:
			return Unknown, lwhy
		case r == Unknown:
			return Unknown, rwhy
		}
		return l, ""
	case cmpNode:
		return Unknown, "a template comparison decides"
	}
	return Unknown, "the filter could not be parsed"
}

func (f *File) evalCall(d Driver, m msg, st *evalState) (Match, string) {
	switch d.Driver {
	case "facility":
		for _, a := range d.Args {
			fac, ok := syslogconf.Facility(a)
			if !ok {
				return Unknown, fmt.Sprintf("facility(%s) names a facility bastion does not know", a)
			}
			if fac == m.fac {
				return Yes, ""
			}
		}
		return No, ""
	case "level", "priority":
		for _, a := range joinRanges(d.Args) {
			lo, hi, ok := levelRange(a)
			if !ok {
				return Unknown, fmt.Sprintf("%s(%s) names a level bastion does not know", d.Driver, a)
			}
			if m.level >= lo && m.level <= hi {
				return Yes, ""
			}
		}
		return No, ""
	case "filter":
		if len(d.Args) != 1 {
			return Unknown, "filter() does not name one filter"
		}
		return f.evalFilter(d.Args[0], m, st)
	}
	return Unknown, d.Driver + "() decides"
}

// evalFilter evaluates the named filter for a message.
func (f *File) evalFilter(name string, m msg, st *evalState) (Match, string) {
	if a, ok := st.done[name]; ok {
		return a.m, a.why
	}
	x, ok := f.Filter(name)
	switch {
	case !ok:
		return Unknown, "filter " + name + " is not defined in this file"
	case x.expr == nil:
		return Unknown, "filter " + name + " could not be parsed"
	case st.seen[name]:
		return Unknown, "filter " + name + " refers to itself"
	}
	st.seen[name] = true
	r, why := f.eval(x.expr, m, st)
	delete(st.seen, name)
	st.done[name] = answer{r, why}
	return r, why
}

// joinRanges joins the words of a range written with blanks around its
// dots ("err", "..", "emerg") into one ("err..emerg").
func joinRanges(args []string) []string {
	var out []string
	for _, a := range args {
		if n := len(out); n > 0 && (strings.HasPrefix(a, "..") || strings.HasSuffix(out[n-1], "..")) {
			out[n-1] += a
			continue
		}
		out = append(out, a)
	}
	return out
}

// levelRange reads "info" or "info..emerg" as an inclusive range of
// levels, 0 (emerg) to 7 (debug).
func levelRange(s string) (lo, hi int, ok bool) {
	a, b, isRange := strings.Cut(s, "..")
	lo, ok = syslogconf.Level(a)
	if !ok {
		return 0, 0, false
	}
	if !isRange {
		return lo, lo, true
	}
	hi, ok = syslogconf.Level(b)
	if !ok {
		return 0, 0, false
	}
	if lo > hi {
		lo, hi = hi, lo
	}
	return lo, hi, true
}
