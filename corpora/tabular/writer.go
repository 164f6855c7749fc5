package tabular

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora"
)

// WriterOptions say how to write a table. The zero value writes TSV with a
// header and escapes.
type WriterOptions struct {
	// Delimiter separates cells: 0 or '\t' writes TSV, any other rune CSV
	// (RFC 4180 quoting) with that separator.
	Delimiter rune
	// Columns names the columns in order: the Col* constants for unit
	// fields, any other name for the property of that type. Nil takes
	// source and target, then id, domain, context, note and status when the
	// first unit written has them, then its properties. Fields without a
	// column are not written; languages only with SourceLang and TargetLang
	// or the ColSourceLang and ColTargetLang columns.
	Columns []string
	// SourceLang and TargetLang, when both are set, name the source and
	// target columns in the header ("en", "es" instead of "source",
	// "target"), so that the file carries its languages. Units in other
	// languages are then refused; "en" covers "en-US" (see
	// corpora.LangMatches).
	SourceLang, TargetLang language.Tag
	// NoHeader leaves out the header row.
	NoHeader bool
	// Escapes: for TSV, EscapesAuto and EscapesOn write tabs, line breaks
	// and backslashes in cells as \t, \n, \r and \\; EscapesOff writes cells
	// as they are and refuses those that hold a tab or a line break. CSV
	// quotes cells instead and escapes only with EscapesOn.
	Escapes EscapeMode
}

// Writer writes units as rows of a TSV or CSV table. Inline codes are not
// kept: cells hold each segment's plain text. A unit's notes are joined by
// line breaks into one cell. It is not safe for concurrent use.
type Writer struct {
	opts    WriterOptions
	bw      *bufio.Writer
	csv     *csv.Writer
	escapes bool
	cols    []string
	roles   []role
	started bool
	wrote   bool // a row has been written
	row     []string
	n       int
	err     error
}

var _ corpora.Writer = (*Writer)(nil)

// NewWriter returns a writer of a table to w.
func NewWriter(w io.Writer, opts WriterOptions) (*Writer, error) {
	if opts.Delimiter == 0 {
		opts.Delimiter = '\t'
	}
	if err := checkDelim(opts.Delimiter, false); err != nil {
		return nil, err
	}
	wr := &Writer{opts: opts, bw: bufio.NewWriter(w)}
	if opts.Delimiter == '\t' {
		wr.escapes = opts.Escapes != EscapesOff
	} else {
		wr.escapes = opts.Escapes == EscapesOn
		wr.csv = csv.NewWriter(wr.bw)
		wr.csv.Comma = opts.Delimiter
	}
	if opts.Columns != nil {
		if err := wr.setColumns(opts.Columns); err != nil {
			return nil, err
		}
	}
	return wr, nil
}

// usableColumn reports whether name can be added to cols as a property
// column, and if not, why.
func usableColumn(name string, cols []string) (bool, string) {
	if name == "" || strings.ContainsAny(name, "\t\r\n,;\"") || strings.TrimSpace(name) != name {
		return false, "is empty or holds a delimiter, quote, line break or outer space"
	}
	for _, c := range cols {
		if c == name {
			return false, "is named twice"
		}
	}
	switch r, _ := classify(name); {
	case r == roleLang:
		return false, fmt.Sprintf("is a language code; name it %q or %q and set SourceLang and TargetLang", ColSource, ColTarget)
	case r != roleNone && hasRole(cols, r):
		return false, "means the same as another column"
	}
	return true, ""
}

// hasRole reports whether one of cols has role r.
func hasRole(cols []string, r role) bool {
	for _, c := range cols {
		if cr, _ := classify(c); cr == r {
			return true
		}
	}
	return false
}

// setColumns checks the column names and keeps their roles.
func (w *Writer) setColumns(cols []string) error {
	var src, tgt bool
	for i, c := range cols {
		if ok, why := usableColumn(c, cols[:i]); !ok {
			return fmt.Errorf("tabular: column name %q %s", c, why)
		}
		r, _ := classify(c)
		switch r {
		case roleSource:
			src = true
		case roleTarget:
			tgt = true
		}
		w.roles = append(w.roles, r)
	}
	if !src || !tgt {
		return fmt.Errorf("tabular: columns %q need a %q and a %q column", cols, ColSource, ColTarget)
	}
	w.cols = cols
	return nil
}

// columnsFor picks the columns for the first unit.
func columnsFor(u *corpora.Unit) []string {
	cols := []string{ColSource, ColTarget}
	if u.ID != "" {
		cols = append(cols, ColID)
	}
	if u.Domain != "" {
		cols = append(cols, ColDomain)
	}
	// A catalog's entries are told apart by their msgctxt, which the
	// first entry may not have.
	if u.Context != "" || u.Gettext != nil {
		cols = append(cols, ColContext)
	}
	if len(u.Notes) > 0 {
		cols = append(cols, ColNote)
	}
	if u.Status != corpora.StatusUnspecified {
		cols = append(cols, ColStatus)
	}
	for _, p := range u.Props {
		// A property named like a field ("comment") would read back as
		// that field: leave it out.
		if r, _ := classify(p.Type); r != roleNone {
			continue
		}
		if ok, _ := usableColumn(p.Type, cols); ok {
			cols = append(cols, p.Type)
		}
	}
	return cols
}

// start writes the header.
func (w *Writer) start(u *corpora.Unit) error {
	w.started = true
	if w.cols == nil {
		if u == nil {
			u = &corpora.Unit{}
		}
		if err := w.setColumns(columnsFor(u)); err != nil {
			return err
		}
	}
	if w.opts.NoHeader {
		return nil
	}
	hdr := append([]string(nil), w.cols...)
	if w.opts.SourceLang != language.Und && w.opts.TargetLang != language.Und {
		for i, r := range w.roles {
			switch r {
			case roleSource:
				hdr[i] = w.opts.SourceLang.String()
			case roleTarget:
				hdr[i] = w.opts.TargetLang.String()
			}
		}
	}
	return w.writeRow(hdr, false)
}

// Write writes one unit as a row.
func (w *Writer) Write(u *corpora.Unit) error {
	if w.err != nil {
		return w.err
	}
	if !w.started {
		if err := w.start(u); err != nil {
			w.err = err
			return err
		}
	}
	src := u.Source.Plain()
	if strings.TrimSpace(src) == "" {
		return fmt.Errorf("tabular: unit %d has an empty source, which a table cannot hold", w.n)
	}
	if w.opts.SourceLang != language.Und && w.opts.TargetLang != language.Und {
		if (u.SourceLang != language.Und && !corpora.LangMatches(w.opts.SourceLang, u.SourceLang)) ||
			(u.TargetLang != language.Und && !corpora.LangMatches(w.opts.TargetLang, u.TargetLang)) {
			return fmt.Errorf("tabular: unit %d is %s→%s but the table's header says %s→%s",
				w.n, u.SourceLang, u.TargetLang, w.opts.SourceLang, w.opts.TargetLang)
		}
	}
	if u.Context != "" && w.opts.Columns == nil && !slices.Contains(w.roles, roleContext) {
		// Two units with one source may differ only by their context:
		// leaving it out would merge them. Columns says which to keep.
		return fmt.Errorf("tabular: unit %d has a context (%q), but the columns, chosen from the first unit, have none; set WriterOptions.Columns to include %q", w.n, u.Context, ColContext)
	}
	w.row = w.row[:0]
	for i, c := range w.cols {
		var v string
		switch w.roles[i] {
		case roleSource:
			v = src
		case roleTarget:
			v = u.Target.Plain()
		case roleSourceLang:
			if u.SourceLang != language.Und {
				v = u.SourceLang.String()
			}
		case roleTargetLang:
			if u.TargetLang != language.Und {
				v = u.TargetLang.String()
			}
		case roleID:
			v = u.ID
		case roleDomain:
			v = u.Domain
		case roleContext:
			v = u.Context
		case roleNote:
			v = strings.Join(u.Notes, "\n")
		case roleStatus:
			if u.Status != corpora.StatusUnspecified {
				v = u.Status.String()
			}
		default:
			v, _ = u.Prop(c)
		}
		w.row = append(w.row, v)
	}
	if err := w.writeRow(w.row, true); err != nil {
		return fmt.Errorf("tabular: unit %d: %w", w.n, err)
	}
	w.n++
	return nil
}

// writeRow writes cells, escaping them when asked.
func (w *Writer) writeRow(cells []string, data bool) error {
	if !w.wrote {
		w.wrote = true
		if len(cells) > 0 && strings.HasPrefix(cells[0], bom) {
			w.bw.WriteString(bom)
		}
	}
	if w.csv != nil {
		if data && w.escapes {
			for i := range cells {
				cells[i] = escape(cells[i])
			}
		}
		if err := w.csv.Write(cells); err != nil {
			w.err = err
			return err
		}
		return nil
	}
	for i, c := range cells {
		if data {
			if w.escapes {
				c = escape(c)
			} else if strings.ContainsAny(c, "\t\r\n") {
				return errors.New("cell holds a tab or a line break; write with escapes on")
			}
		}
		if i > 0 {
			w.bw.WriteByte('\t')
		}
		w.bw.WriteString(c)
	}
	if err := w.bw.WriteByte('\n'); err != nil {
		w.err = err
		return err
	}
	return nil
}

// Close writes the header if no unit was written (so the file is an empty
// table, not an empty file) and flushes. It does not close the underlying
// writer.
func (w *Writer) Close() error {
	if w.err != nil {
		return w.err
	}
	if !w.started {
		if err := w.start(nil); err != nil {
			return err
		}
	}
	if w.csv != nil {
		w.csv.Flush()
		if err := w.csv.Error(); err != nil {
			return err
		}
	}
	return w.bw.Flush()
}
