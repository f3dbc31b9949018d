package firewalld

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"sort"
	"strings"

	"bastion/internal/parse"
)

// node is an element of an XML file with the line its start tag begins on.
type node struct {
	name     string
	line     int
	attrs    []xml.Attr
	children []*node
	text     strings.Builder
}

// attr returns the value of the attribute called name.
func (n *node) attr(name string) (string, bool) {
	for _, a := range n.attrs {
		if a.Name.Local == name && a.Name.Space == "" {
			return a.Value, true
		}
	}
	return "", false
}

// document is a parsed XML file: its lines and its root element.
type document struct {
	lines []string
	root  *node
}

// readXML reads an XML file into a tree of nodes. Lines are counted from
// the offset of each start tag, so that an element is reported at the line
// its '<' is on even when its attributes run over several lines. A syntax
// error ends the reading; the tree built so far is returned with it.
func readXML(r io.Reader, name string) (*document, error) {
	data, err := parse.ReadAll(r, name)
	if err != nil {
		return nil, err
	}
	doc := &document{lines: parse.SplitLines(data)}
	// starts[i] is the offset of the first byte of line i+1.
	starts := []int{0}
	for i, c := range data {
		if c == '\n' {
			starts = append(starts, i+1)
		}
	}
	lineAt := func(off int64) int {
		return sort.Search(len(starts), func(i int) bool { return int64(starts[i]) > off })
	}
	d := xml.NewDecoder(bytes.NewReader(data))
	// The files are written in UTF-8; accept a declaration naming
	// another encoding without converting, rather than failing.
	d.CharsetReader = func(_ string, in io.Reader) (io.Reader, error) { return in, nil }
	var stack []*node
	for {
		off := d.InputOffset()
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var se *xml.SyntaxError
			line, _ := d.InputPos()
			if errors.As(err, &se) {
				line = se.Line
			}
			if line < 1 {
				line = 1
			}
			if n := len(doc.lines); line > n && n > 0 {
				line = n
			}
			return doc, parse.Errorf(name, line, "xml: %s", xmlMessage(err))
		}
		switch t := tok.(type) {
		case xml.StartElement:
			n := &node{name: t.Name.Local, line: lineAt(off), attrs: t.Attr}
			if len(stack) == 0 {
				if doc.root != nil {
					return doc, parse.Errorf(name, n.line, "xml: a second root element <%s>", n.name)
				}
				doc.root = n
			} else {
				p := stack[len(stack)-1]
				p.children = append(p.children, n)
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text.Write(t)
			} else if trimmed := bytes.TrimLeft(t, " \t\r\n"); len(trimmed) > 0 {
				at := off + int64(len(t)-len(trimmed))
				return doc, parse.Errorf(name, lineAt(at), "xml: text outside the root element")
			}
		}
	}
	if doc.root == nil {
		// An empty file has no line to point at: the error is the
		// file's as a whole (line 0).
		return doc, parse.Errorf(name, len(doc.lines), "xml: no root element")
	}
	return doc, nil
}

// xmlMessage returns the text of an encoding/xml error without the
// "XML syntax error on line N" prefix that the file:line form replaces.
func xmlMessage(err error) string {
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		return se.Msg
	}
	return err.Error()
}

// checker collects the errors of one file.
type checker struct {
	name string
	errs parse.Errors
}

func (c *checker) add(line int, format string, args ...any) {
	c.errs.Add(c.name, line, format, args...)
}

// attrs checks that n has no attributes other than those allowed.
func (c *checker) attrs(n *node, allowed ...string) {
	for _, a := range n.attrs {
		if a.Name.Space != "" {
			continue
		}
		ok := false
		for _, name := range allowed {
			if a.Name.Local == name {
				ok = true
				break
			}
		}
		if !ok {
			c.add(n.line, "unknown attribute %s of <%s>", a.Name.Local, n.name)
		}
	}
}

// need returns the attribute called attr of n, reporting it if missing or
// empty.
func (c *checker) need(n *node, attr string) (string, bool) {
	v, ok := n.attr(attr)
	if !ok || strings.TrimSpace(v) == "" {
		c.add(n.line, "<%s> without %s", n.name, attr)
		return "", false
	}
	return v, true
}

// leaf reports child elements of n, which should have none.
func (c *checker) leaf(n *node) {
	for _, ch := range n.children {
		c.add(ch.line, "unexpected <%s> inside <%s>", ch.name, n.name)
	}
}
