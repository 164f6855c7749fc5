// Package xmlread is the XML tokenizer every XML format of kgmem reads
// through (TMX, TBX, XLIFF): encoding/xml with UTF-16 and declared charsets
// handled, a nesting limit, and errors that name the file, line and column.
package xmlread

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"golang.org/x/text/encoding/ianaindex"

	"github.com/kgmem/kgmem/corpora"
)

// Decoder reads XML tokens. It is not safe for concurrent use.
type Decoder struct {
	d      *xml.Decoder
	name   string
	limits corpora.Limits
	depth  int
	// Encoding is the byte encoding the input was found in.
	Encoding corpora.Encoding

	// guard marks bytes of a UTF-8 input that are not UTF-8 (nil for
	// other encodings); see utf8Guard. A bad byte outside a unit
	// (between BeginUnit and EndUnit) fails Token, unless keepInvalid.
	guard       *utf8Guard
	inUnit      bool
	unitFrom    int64
	keepInvalid bool
}

// New returns a decoder of r, which may be UTF-8 or UTF-16 with or without a
// byte order mark, or any charset its XML declaration names. name is the
// file name used in errors.
func New(r io.Reader, name string, limits corpora.Limits) (*Decoder, error) {
	u, enc, err := corpora.UTF8Reader(r)
	if err != nil {
		return nil, &corpora.ParseError{File: name, Offset: 0, Err: err}
	}
	var guard *utf8Guard
	if br, ok := u.(*bufio.Reader); ok && (enc == corpora.UTF8 || enc == corpora.UTF8BOM) && !declaresOtherCharset(br) {
		guard = &utf8Guard{r: br}
		u = guard
	}
	d := xml.NewDecoder(u)
	d.Strict = true
	d.CharsetReader = func(label string, in io.Reader) (io.Reader, error) {
		l := strings.ToLower(label)
		if strings.HasPrefix(l, "utf-16") || l == "utf16" || l == "ucs-2" {
			// Already transcoded by UTF8Reader.
			if enc != corpora.UTF16LE && enc != corpora.UTF16BE {
				return nil, fmt.Errorf("the XML declaration says %s but the bytes are not UTF-16", label)
			}
			return in, nil
		}
		if l == "utf-8" || l == "utf8" || l == "us-ascii" || l == "ascii" {
			return in, nil
		}
		e, err := ianaindex.IANA.Encoding(label)
		if err != nil || e == nil {
			return nil, fmt.Errorf("unsupported encoding %q; convert the file to UTF-8", label)
		}
		dec := e.NewDecoder().Reader(in)
		if _, err := e.NewEncoder().String("\uFFFD"); err == nil {
			return dec, nil // U+FFFD may be in the text itself
		}
		return &replacementGuard{r: dec, label: label}, nil
	}
	return &Decoder{d: d, name: name, limits: limits.Or(), Encoding: enc, guard: guard}, nil
}

// BeginUnit starts a unit at offset from (where its start tag begins, as
// Offset gave it before the tag was read): bytes that are not UTF-8 from
// there on belong to the unit, and EndUnit reports them instead of Token.
func (d *Decoder) BeginUnit(from int64) {
	d.inUnit, d.unitFrom = true, from
}

// EndUnit ends the unit BeginUnit started, at the current offset, and
// reports the line of the first byte in it that was not UTF-8. A unit
// with one must not be returned: its text holds '?' for the byte.
func (d *Decoder) EndUnit() (line int, bad bool) {
	d.inUnit = false
	if d.guard == nil || d.keepInvalid {
		return 0, false
	}
	return d.guard.take(d.unitFrom, d.d.InputOffset())
}

// InvalidUTF8Error is the error for a byte that is not UTF-8 at a line.
func (d *Decoder) InvalidUTF8Error(line int) error {
	return fmt.Errorf("invalid UTF-8 on line %d; convert the file to UTF-8 or fix the byte", line)
}

// KeepInvalidUTF8 makes the decoder accept bytes that are not UTF-8
// anywhere (as '?'), for a caller that copies the file's own bytes rather
// than the text it decodes (xliff.Fill).
func (d *Decoder) KeepInvalidUTF8() { d.keepInvalid = true }

// checkGuard fails on a byte that was not UTF-8 before offset to and
// outside any unit.
func (d *Decoder) checkGuard(to int64) error {
	if d.guard == nil || d.inUnit || d.keepInvalid {
		return nil
	}
	if line, bad := d.guard.take(-1, to); bad {
		return &corpora.ParseError{File: d.name, Line: line, Offset: -1, Err: d.InvalidUTF8Error(line)}
	}
	return nil
}

// replacementGuard fails a read whose text holds U+FFFD, which a decoder
// of a charset that cannot hold U+FFFD writes only for a byte it could not
// decode: such a byte must not become U+FFFD in stored data.
type replacementGuard struct {
	r     io.Reader
	label string
	tail  []byte // the last bytes of the previous read, for a U+FFFD split across reads
}

func (g *replacementGuard) Read(p []byte) (int, error) {
	n, err := g.r.Read(p)
	seen := append(g.tail, p[:n]...)
	if bytes.Contains(seen, []byte("\uFFFD")) {
		return 0, fmt.Errorf("a byte is not valid %s; convert the file to UTF-8", g.label)
	}
	g.tail = append(g.tail[:0], seen[max(0, len(seen)-2):]...)
	return n, err
}

// Name returns the file name the decoder reports in errors.
func (d *Decoder) Name() string { return d.name }

// Depth returns the current element nesting depth (0 outside the root).
func (d *Decoder) Depth() int { return d.depth }

// Line returns the line the decoder is on.
func (d *Decoder) Line() int {
	l, _ := d.d.InputPos()
	return l
}

// Offset returns the number of bytes of (UTF-8) input consumed.
func (d *Decoder) Offset() int64 { return d.d.InputOffset() }

// Token returns the next token. Character data and other tokens are copies
// the caller may keep. Errors are *corpora.ParseError.
func (d *Decoder) Token() (xml.Token, error) {
	before := d.d.InputOffset()
	if err := d.checkGuard(before); err != nil {
		return nil, err
	}
	t, err := d.d.Token()
	switch t.(type) {
	case xml.Comment, xml.ProcInst, xml.Directive:
		// Their text is no data: a byte in them that is not UTF-8 harms
		// nothing (the TMX scanner lets it pass too).
		if d.guard != nil {
			d.guard.drop(before, d.d.InputOffset())
		}
	}
	if err == nil {
		// encoding/xml reuses the bytes of CharData and Comment tokens on
		// the next call; callers may keep what Token returns.
		t = xml.CopyToken(t)
	}
	if err != nil {
		if err == io.EOF {
			if d.depth > 0 {
				return nil, d.Errorf("unexpected end of file inside an element; the file is truncated")
			}
			if err := d.checkGuard(d.d.InputOffset() + 1); err != nil {
				return nil, err
			}
			return nil, io.EOF
		}
		return nil, d.wrap(err)
	}
	switch t.(type) {
	case xml.StartElement:
		d.depth++
		if d.depth > d.limits.MaxDepth {
			return nil, d.Errorf("elements nested more than %d deep: %w", d.limits.MaxDepth, corpora.ErrTooLarge)
		}
	case xml.EndElement:
		d.depth--
	}
	return t, nil
}

// Skip skips the rest of the current element, as xml.Decoder.Skip does,
// with the same limits and errors as Token.
func (d *Decoder) Skip() error {
	start := d.depth
	for {
		t, err := d.Token()
		if err != nil {
			if err == io.EOF {
				return d.Errorf("unexpected end of file; the file is truncated")
			}
			return err
		}
		if _, ok := t.(xml.EndElement); ok && d.depth < start {
			return nil
		}
	}
}

// Errorf returns a *corpora.ParseError at the current line.
func (d *Decoder) Errorf(format string, args ...any) error {
	return &corpora.ParseError{File: d.name, Line: d.Line(), Offset: -1, Err: fmt.Errorf(format, args...)}
}

func (d *Decoder) wrap(err error) error {
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		msg := se.Msg
		if msg == "unexpected EOF" {
			msg = "unexpected end of file; the file is truncated"
		}
		return &corpora.ParseError{File: d.name, Line: se.Line, Offset: -1, Err: errors.New(msg)}
	}
	return &corpora.ParseError{File: d.name, Line: d.Line(), Offset: -1, Err: err}
}

// Attr returns the value of the attribute with the given local name.
func Attr(se xml.StartElement, local string) string {
	for _, a := range se.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// Lang returns the element's xml:lang (or lang) attribute.
func Lang(se xml.StartElement) string {
	for _, a := range se.Attr {
		if a.Name.Local == "lang" && (a.Name.Space == "xml" || a.Name.Space == "http://www.w3.org/XML/1998/namespace" || a.Name.Space == "") {
			return a.Value
		}
	}
	return ""
}

// EscapeText returns s escaped for XML character data.
func EscapeText(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}
