package tabular

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/language"
	"golang.org/x/text/transform"

	"github.com/kgmem/kgmem/corpora"
)

// windowSize is how much of a file the reader looks at before the first
// row to detect the delimiter and escapes.
const windowSize = 64 << 10

// Reader reads translation units from a TSV or CSV table, one row at a
// time. It is not safe for concurrent use.
type Reader struct {
	opts    corpora.ReadOptions
	max     int
	delim   rune
	rows    rowSource
	lay     *layout
	escapes bool

	pending     []string // a first row that turned out to be data
	pendingLine int
	index       int
	err         error // sticky: returned by every later Next
}

var _ corpora.Reader = (*Reader)(nil)

// NewReader returns a reader of the table in r, detecting its delimiter,
// header and escapes (see the package documentation).
func NewReader(r io.Reader, opts corpora.ReadOptions) (*Reader, error) {
	return NewReaderWith(r, opts, TableOptions{})
}

// NewReaderWith returns a reader of the table in r read as topts says. It
// reads up to the first row: an empty file, a file that is not a table or a
// bad header is an error here.
func NewReaderWith(r io.Reader, opts corpora.ReadOptions, topts TableOptions) (*Reader, error) {
	if err := checkDelim(topts.Delimiter, true); err != nil {
		return nil, err
	}
	if topts.Comment != 0 && (topts.Comment == topts.Delimiter || !validDelim(topts.Comment)) {
		return nil, fmt.Errorf("tabular: comment character %q is not usable", topts.Comment)
	}
	rd := &Reader{opts: opts, max: opts.Limits.Or().MaxUnitBytes}
	u, _, err := corpora.UTF8Reader(r)
	if err != nil {
		return nil, rd.fail(0, fmt.Errorf("read: %w", err))
	}
	br := bufio.NewReaderSize(u, windowSize)
	window, err := br.Peek(windowSize)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return nil, rd.fail(0, fmt.Errorf("read: %w", err))
	}
	if len(window) == 0 {
		return nil, rd.fail(0, errors.New("file is empty"))
	}
	if err := rd.setRows(br, window, topts); err != nil {
		return nil, err
	}
	valid, literal := scanEscapes(window)

	header, err := rd.readFirstRow(topts.Header)
	if err != nil {
		return nil, err
	}
	switch topts.Escapes {
	case EscapesOn:
		rd.escapes = true
	case EscapesAuto:
		rd.escapes = rd.delim == '\t' && (header || valid > 0) && literal == 0
	}
	return rd, nil
}

// setRows picks the delimiter (from window, the start of the file, unless
// topts names one) and the row source that splits rows with it.
func (r *Reader) setRows(br *bufio.Reader, window []byte, topts TableOptions) error {
	r.delim = topts.Delimiter
	if r.delim == 0 {
		d, line := detectDelim(window, topts.Comment)
		if d == 0 {
			if line == 0 {
				return r.fail(0, errors.New("file has no rows, only blank or comment lines"))
			}
			return r.fail(line, errors.New("first row has no tab, comma or semicolon: this is not a table of source and target columns"))
		}
		r.delim = d
	}
	if r.delim == '\t' {
		t := &tsvRows{lr: newLineReader(br, r.max)}
		if topts.Comment != 0 {
			t.comment = utf8.AppendRune(nil, topts.Comment)
		}
		r.rows = t
	} else {
		crlf := bytes.Count(window, []byte("\r\n"))
		r.rows = newCSVRows(br, r.delim, topts.Comment, r.max, crlf > 0 && crlf == bytes.Count(window, []byte("\n")))
	}
	return nil
}

// readFirstRow reads the first row and takes it as the header (which
// sets the layout) or keeps it as the first row of data; it reports
// whether there is a header.
func (r *Reader) readFirstRow(mode HeaderMode) (bool, error) {
	var first []string
	var line int
	var err error
	for {
		first, line, err = r.rows.row()
		if err == nil {
			break
		}
		if err == io.EOF {
			return false, r.fail(0, errors.New("file has no rows"))
		}
		if !r.recover(err) {
			return false, r.err
		}
	}
	header := false
	switch mode {
	case HeaderYes:
		header = true
	case HeaderAuto:
		header = looksLikeHeader(first)
	}
	if header {
		lay, err := newLayout(first, r.opts.SourceLang, r.opts.TargetLang)
		if err != nil {
			return false, r.fail(line, err)
		}
		r.lay = lay
	} else {
		r.lay = headerless()
		r.pending = append([]string(nil), first...)
		r.pendingLine = line
	}
	return header, nil
}

// Delimiter returns the delimiter the reader uses.
func (r *Reader) Delimiter() rune { return r.delim }

// Header reports whether the first row was taken as a header.
func (r *Reader) Header() bool { return r.lay.header }

// Escapes reports whether backslash escapes are decoded.
func (r *Reader) Escapes() bool { return r.escapes }

// fail records a fatal error at line and returns it.
func (r *Reader) fail(line int, err error) error {
	r.err = &corpora.ParseError{File: r.opts.Name, Line: line, Offset: -1, Err: err}
	return r.err
}

// recover handles an error from a row source or from building a unit:
// a bad row is skipped and reported when reading leniently (true), anything
// else becomes the reader's sticky error (false).
func (r *Reader) recover(err error) bool {
	var be *badRow
	if errors.As(err, &be) {
		if r.opts.Lenient {
			r.opts.Skipped(corpora.Skip{File: r.opts.Name, Line: be.line, Reason: be.err.Error()})
			return true
		}
		r.fail(be.line, be.err)
		r.err.(*corpora.ParseError).Skippable = true
		return false
	}
	var pe *corpora.ParseError
	if errors.As(err, &pe) {
		if pe.File == "" {
			pe.File = r.opts.Name
		}
		r.err = pe
		return false
	}
	r.fail(0, fmt.Errorf("read: %w", err))
	return false
}

// Next returns the next unit, or io.EOF after the last.
func (r *Reader) Next() (*corpora.Unit, error) {
	for r.err == nil {
		var (
			cells []string
			line  int
			err   error
		)
		if r.pending != nil {
			cells, line = r.pending, r.pendingLine
			r.pending = nil
		} else {
			cells, line, err = r.rows.row()
		}
		if err == io.EOF {
			r.err = io.EOF
			break
		}
		if err == nil {
			var u *corpora.Unit
			u, err = r.unit(cells, line)
			if err == nil {
				if u == nil {
					continue
				}
				r.index++
				return u, nil
			}
		}
		r.recover(err)
	}
	return nil, r.err
}

// badRow is a row that can be left out: reading may go on after it.
type badRow struct {
	line int
	err  error
}

func (e *badRow) Error() string { return fmt.Sprintf("line %d: %v", e.line, e.err) }

func badRowf(line int, format string, args ...any) error {
	return &badRow{line: line, err: fmt.Errorf(format, args...)}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}

// unit builds the unit of one row; nil for a blank row or one in another
// language pair.
func (r *Reader) unit(cells []string, line int) (*corpora.Unit, error) {
	if err := r.checkRow(cells, line); err != nil {
		return nil, err
	}
	l := r.lay
	src, tgt := r.cell(cells, l.source), r.cell(cells, l.target)
	if strings.TrimSpace(src) == "" {
		if strings.TrimSpace(tgt) == "" {
			return nil, nil
		}
		return nil, badRowf(line, "row has a target but an empty source")
	}
	u := &corpora.Unit{
		SourceLang: r.opts.SourceLang,
		TargetLang: r.opts.TargetLang,
		ID:         r.cell(cells, l.id),
		Domain:     r.cell(cells, l.domain),
		Context:    r.cell(cells, l.context),
		Origin:     corpora.Origin{File: r.opts.Name, Line: line, Index: r.index},
	}
	if tgt == "" {
		u.Source = corpora.Text(src)
	} else {
		// One allocation for both segments' spans; capped so that
		// appending to one cannot overwrite the other.
		spans := []corpora.Span{{Text: src}, {Text: tgt}}
		u.Source.Spans, u.Target.Spans = spans[0:1:1], spans[1:2:2]
	}
	if keep, err := r.rowLanguages(u, cells, line); err != nil || !keep {
		return nil, err
	}
	if s := strings.TrimSpace(r.cell(cells, l.status)); s != "" {
		st, ok := corpora.ParseStatus(strings.ToLower(s))
		if !ok {
			return nil, badRowf(line, "status %q is not one of unspecified, untranslated, draft, machine, translated, approved", s)
		}
		u.Status = st
	}
	r.rowNotes(u, cells)
	if err := r.opts.Limits.CheckUnit(u); err != nil {
		return nil, &badRow{line, err}
	}
	return u, nil
}

// checkRow checks the shape and size of a row.
func (r *Reader) checkRow(cells []string, line int) error {
	l := r.lay
	if l.header && len(cells) != l.n {
		return badRowf(line, "row has %s but the header names %s", plural(len(cells), "cell", "cells"), plural(l.n, "column", "columns"))
	}
	if len(cells) < 2 {
		what := "a tab"
		if r.delim != '\t' {
			what = fmt.Sprintf("%q", r.delim)
		}
		return badRowf(line, "row has 1 cell; a parallel table needs at least 2 (source and target) separated by %s", what)
	}
	size := 0
	for _, c := range cells {
		size += len(c)
	}
	if size > r.max {
		return &badRow{line, fmt.Errorf("row holds %d bytes, more than the %d-byte limit: %w", size, r.max, corpora.ErrTooLarge)}
	}
	return nil
}

// cell returns cell i of a row (escapes decoded), or "" for column -1.
func (r *Reader) cell(cells []string, i int) string {
	if i < 0 {
		return ""
	}
	if r.escapes {
		return unescape(cells[i])
	}
	return cells[i]
}

// rowLanguages sets the unit's languages from the header and the
// language columns; keep is false for a row in another language pair.
func (r *Reader) rowLanguages(u *corpora.Unit, cells []string, line int) (keep bool, err error) {
	l := r.lay
	if l.srcLang != language.Und {
		u.SourceLang = l.srcLang
	}
	if l.tgtLang != language.Und {
		u.TargetLang = l.tgtLang
	}
	for _, lc := range []struct {
		col  int
		dst  *language.Tag
		want language.Tag
		what string
	}{{l.srcLangCol, &u.SourceLang, r.opts.SourceLang, "source"}, {l.tgtLangCol, &u.TargetLang, r.opts.TargetLang, "target"}} {
		v := strings.TrimSpace(r.cell(cells, lc.col))
		if v == "" {
			continue
		}
		t, err := corpora.ParseLang(v)
		if err != nil {
			return false, badRowf(line, "%s language: %v", lc.what, err)
		}
		if !corpora.LangMatches(lc.want, t) {
			return false, nil // another language pair
		}
		*lc.dst = t
	}
	return true, nil
}

// rowNotes gives the unit the row's notes and properties: the note
// columns of a header, else every cell after the first two.
func (r *Reader) rowNotes(u *corpora.Unit, cells []string) {
	l := r.lay
	if l.header {
		for _, i := range l.notes {
			if n := r.cell(cells, i); n != "" {
				u.Notes = append(u.Notes, n)
			}
		}
	} else {
		for i := 2; i < len(cells); i++ {
			if n := r.cell(cells, i); n != "" {
				u.Notes = append(u.Notes, n)
			}
		}
	}
	for _, p := range l.props {
		if v := r.cell(cells, p.idx); v != "" {
			u.Props = append(u.Props, corpora.Prop{Type: p.name, Value: v})
		}
	}
}

// rowSource yields the cells of one row at a time. Errors are io.EOF, a
// *badRow that reading can go on after, or a fatal error.
type rowSource interface {
	row() (cells []string, line int, err error)
}

// tsvRows splits lines at tabs; quotes are text.
type tsvRows struct {
	lr      *lineReader
	comment []byte // prefix of lines that are not rows; nil for none
	cells   []string
}

func (t *tsvRows) row() ([]string, int, error) {
	for {
		b, err := t.lr.next()
		switch err {
		case nil:
		case errLongLine:
			return nil, 0, &badRow{t.lr.line, fmt.Errorf("line is longer than the %d-byte limit: %w", t.lr.max, corpora.ErrTooLarge)}
		default:
			return nil, 0, err
		}
		if len(bytes.TrimSpace(b)) == 0 {
			continue
		}
		if t.comment != nil && bytes.HasPrefix(b, t.comment) {
			continue
		}
		if err := checkText(b); err != nil {
			return nil, 0, &badRow{t.lr.line, err}
		}
		s := string(b)
		t.cells = t.cells[:0]
		for {
			i := strings.IndexByte(s, '\t')
			if i < 0 {
				break
			}
			t.cells = append(t.cells, s[:i])
			s = s[i+1:]
		}
		t.cells = append(t.cells, s)
		return t.cells, t.lr.line, nil
	}
}

// checkText rejects bytes that are not text.
func checkText(b []byte) error {
	if !utf8.Valid(b) {
		return errors.New("line is not valid UTF-8; convert the file to UTF-8 or UTF-16")
	}
	if bytes.IndexByte(b, 0) >= 0 {
		return errors.New("line holds a NUL byte: this is not a text file")
	}
	return nil
}

// errBudget stops encoding/csv when one record grows past the limit.
var errBudget = errors.New("record too long")

// budgetReader fails once it has returned more bytes than its budget since
// the last reset, so a CSV record with an unclosed quote cannot take all
// memory.
type budgetReader struct {
	r    io.Reader
	left int
}

func (b *budgetReader) Read(p []byte) (int, error) {
	if b.left <= 0 {
		return 0, errBudget
	}
	if len(p) > b.left {
		p = p[:b.left]
	}
	n, err := b.r.Read(p)
	b.left -= n
	return n, err
}

// csvRows reads RFC 4180 records.
type csvRows struct {
	cr     *csv.Reader
	budget *budgetReader
	max    int
	line   int // line of the last record, for errors with none
}

// csvSlack covers what encoding/csv reads ahead of the record it parses.
const csvSlack = 16 << 10

// newCSVRows reads records of r; crlf says that the file's lines all end
// in "\r\n", whose carriage returns are then line ends, also in cells.
func newCSVRows(r io.Reader, delim, comment rune, max int, crlf bool) *csvRows {
	b := &budgetReader{r: r}
	var in io.Reader = b
	if !crlf {
		in = transform.NewReader(b, newCRKeeper(delim, comment))
	}
	cr := csv.NewReader(in)
	cr.Comma = delim
	cr.Comment = comment
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	return &csvRows{cr: cr, budget: b, max: max}
}

func (c *csvRows) row() ([]string, int, error) {
	for {
		c.budget.left = c.max + csvSlack
		rec, err := c.cr.Read()
		if err == io.EOF {
			return nil, 0, io.EOF
		}
		line := c.line + 1
		if len(rec) > 0 {
			line, _ = c.cr.FieldPos(0)
		}
		if errors.Is(err, errBudget) {
			return nil, 0, &corpora.ParseError{Line: line, Offset: -1,
				Err: fmt.Errorf("record is longer than the %d-byte limit (a quote that is never closed?): %w", c.max, corpora.ErrTooLarge)}
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			c.line = pe.Line
			return nil, 0, &badRow{pe.StartLine, csvMessage(pe)}
		}
		if err != nil {
			return nil, 0, err
		}
		c.line = line
		blank := true
		for i, f := range rec {
			f = keepCR(f)
			rec[i] = f
			if err := checkText([]byte(f)); err != nil {
				return nil, 0, &badRow{line, err}
			}
			if strings.TrimSpace(f) != "" {
				blank = false
			}
		}
		if blank {
			continue
		}
		return rec, line, nil
	}
}

// csvMessage says what is wrong with a record in words a user can act on.
func csvMessage(pe *csv.ParseError) error {
	switch {
	case errors.Is(pe.Err, csv.ErrBareQuote):
		return fmt.Errorf("line %d, column %d: a '\"' inside a cell that is not quoted; quote the cell and double the '\"'", pe.Line, pe.Column)
	case errors.Is(pe.Err, csv.ErrQuote):
		if pe.Line != pe.StartLine {
			return fmt.Errorf("quoted cell that starts here is not closed properly (line %d, column %d)", pe.Line, pe.Column)
		}
		return fmt.Errorf("column %d: '\"' in a quoted cell must be doubled, and the cell must end at its closing '\"'", pe.Column)
	}
	return fmt.Errorf("line %d: %v", pe.Line, pe.Err)
}

// detectDelim picks the delimiter from the first row of window: a tab,
// else a comma, else a semicolon. It returns 0 and the row's line when there
// is none, or 0 and 0 when window has no row.
func detectDelim(window []byte, comment rune) (rune, int) {
	line := 0
	for len(window) > 0 {
		var l []byte
		if i := bytes.IndexByte(window, '\n'); i >= 0 {
			l, window = window[:i], window[i+1:]
		} else {
			l, window = window, nil
		}
		line++
		if len(bytes.TrimSpace(l)) == 0 {
			continue
		}
		if comment != 0 && bytes.HasPrefix(l, utf8.AppendRune(nil, comment)) {
			continue
		}
		switch {
		case bytes.IndexByte(l, '\t') >= 0:
			return '\t', line
		case bytes.IndexByte(l, ',') >= 0:
			return ',', line
		case bytes.IndexByte(l, ';') >= 0:
			return ';', line
		}
		return 0, line
	}
	return 0, 0
}

// validDelim reports whether r can separate cells.
func validDelim(r rune) bool {
	return r != 0 && r != '"' && r != '\r' && r != '\n' && utf8.ValidRune(r) && r != utf8.RuneError
}

// checkDelim checks a delimiter option; zero is allowed when detecting.
func checkDelim(d rune, zeroOK bool) error {
	if d == 0 && zeroOK {
		return nil
	}
	if !validDelim(d) {
		return fmt.Errorf("tabular: %q cannot be a delimiter", d)
	}
	return nil
}
