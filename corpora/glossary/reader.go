// Package glossary reads and writes term lists kept as delimited text:
// OmegaT's tab-separated glossaries (source<TAB>target<TAB>comment, with
// "#" comment lines), CSV glossaries with RFC 4180 quoting, and term lists
// with a header row that names the columns, such as TICO-19's
// (id,sourceLang,targetLang,sourceString,targetString and
// stringID,sourceLang,targetLang,pos,description,sourceString,targetString).
//
// Start with [NewReader], or [NewReaderOptions] to force the delimiter or
// the header: [Reader.NextTerm] returns one [corpora.TermEntry] per line,
// [Reader.Next] one translation unit per pair of source and target term.
// [NewWriter] writes a glossary back.
//
// The text may be UTF-8, with or without a byte order mark, or UTF-16 with
// or without one. Blank lines and lines that start with "#" are skipped, in
// CSV files too (quote a cell that starts with "#"). Cells are trimmed of
// surrounding white space. Rows whose term cells are all empty (as
// spreadsheets leave at the end of a sheet) are skipped; a row with a source
// but no target is an error. A file of zero bytes is an error that wraps
// [ErrEmptyFile], as every kgmem reader fails on an empty file; a file of
// only comments (the line OmegaT writes in a new glossary) is a valid, empty
// glossary.
package glossary

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"strings"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora"
)

// ErrEmptyFile is wrapped by the error for a file of zero bytes. OmegaT
// treats such a glossary as empty, not broken: callers that do the same
// test for it with errors.Is.
var ErrEmptyFile = errors.New("file is empty")

// HeaderMode says whether a glossary's first row names its columns.
type HeaderMode uint8

const (
	// HeaderAuto takes the first row as a header when every cell in it is a
	// column name (source, target, term, translation, comment, note, pos,
	// definition, description, domain, id, sourceLang, targetLang, …) or a
	// language code ("en", "es-419"), and the row names at least two term
	// columns.
	HeaderAuto HeaderMode = iota
	// HeaderYes takes the first row as a header; cells that name no column
	// become properties of the units.
	HeaderYes
	// HeaderNo reads every row as an entry: source, target, comment.
	HeaderNo
)

// Options configure a Reader beyond corpora.ReadOptions.
type Options struct {
	corpora.ReadOptions
	// Delimiter separates cells: '\t', ',' or ';'. Zero takes it from the
	// extension of Name (.csv: comma; .tab, .tsv, .txt, .utf8: tab) and,
	// when the name says nothing, from the first lines of the file.
	// Quoting (RFC 4180) applies to comma and semicolon files only: in
	// OmegaT's tab-separated format a quote is just a character.
	Delimiter rune
	// Header says whether the first row names the columns.
	Header HeaderMode
}

// column roles
type role uint8

const (
	colIgnore role = iota
	colSource
	colTarget
	colLang // a term in the column's language
	colComment
	colPOS
	colDefinition
	colDomain
	colSourceLang
	colTargetLang
	colID
	colStatus
	colOther // kept as a unit property named by the header
)

type column struct {
	role role
	lang language.Tag // for colLang
	name string       // the header cell
}

// columnNames maps a header cell, lowercased without spaces, '_' or '-', to
// its role.
var columnNames = map[string]role{
	"source": colSource, "src": colSource, "sourceterm": colSource, "sourcestring": colSource, "sourcetext": colSource, "term": colSource, "original": colSource,
	"target": colTarget, "tgt": colTarget, "targetterm": colTarget, "targetstring": colTarget, "targettext": colTarget, "translation": colTarget,
	"comment": colComment, "comments": colComment, "note": colComment, "notes": colComment, "remark": colComment, "remarks": colComment,
	"pos": colPOS, "partofspeech": colPOS,
	"definition": colDefinition, "description": colDefinition, "desc": colDefinition, "def": colDefinition,
	"domain": colDomain, "subject": colDomain, "subjectfield": colDomain,
	"sourcelang": colSourceLang, "sourcelanguage": colSourceLang, "srclang": colSourceLang,
	"targetlang": colTargetLang, "targetlanguage": colTargetLang, "tgtlang": colTargetLang, "trglang": colTargetLang,
	"id": colID, "stringid": colID, "termid": colID, "entryid": colID, "conceptid": colID,
	"status": colStatus, "termstatus": colStatus,
}

// langCode matches the language codes a header may hold: a two-letter
// code, or a two- or three-letter one with a region or script ("en",
// "es-419", "pt_BR", "fil-PH"). A bare three-letter code is not taken:
// too many short words are one ("kde", "koo").
var langCode = regexp.MustCompile(`^([A-Za-z]{2}|[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})+)$`)

func normName(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	return strings.NewReplacer(" ", "", "_", "", "-", "").Replace(s)
}

// Reader reads a glossary, one line at a time. It is not safe for
// concurrent use.
type Reader struct {
	rr       *recordReader
	opts     Options
	cols     []column
	header   []string
	first    []string // the first record, when it is not a header
	rowLangs bool     // the header has sourceLang or targetLang columns
	firstAt  int
	err      error
	entries  int
	units    int
	pending  []*corpora.Unit
}

var (
	_ corpora.Reader     = (*Reader)(nil)
	_ corpora.TermReader = (*Reader)(nil)
)

// NewReader returns a reader of the glossary r, choosing the delimiter from
// the extension of opts.Name or the content and detecting a header row.
func NewReader(r io.Reader, opts corpora.ReadOptions) (*Reader, error) {
	return NewReaderOptions(r, Options{ReadOptions: opts})
}

// DelimiterFor returns the delimiter a file name's extension implies, or 0.
func DelimiterFor(name string) rune {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".csv":
		return ','
	case ".tab", ".tsv", ".txt", ".utf8":
		return '\t'
	}
	return 0
}

// NewReaderOptions is NewReader with a delimiter and header mode of the
// caller's choosing.
func NewReaderOptions(r io.Reader, opts Options) (*Reader, error) {
	u, _, err := corpora.UTF8Reader(r)
	if err != nil {
		return nil, &corpora.ParseError{File: opts.Name, Offset: -1, Err: err}
	}
	br := bufio.NewReaderSize(u, 64<<10)
	head, err := br.Peek(32 << 10)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return nil, &corpora.ParseError{File: opts.Name, Offset: -1, Err: err}
	}
	if len(head) == 0 {
		return nil, &corpora.ParseError{File: opts.Name, Offset: -1, Err: ErrEmptyFile}
	}
	delim := opts.Delimiter
	if delim == 0 {
		delim = DelimiterFor(opts.Name)
	}
	if delim == 0 {
		delim = rune(sniffDelimiter(head))
	}
	if delim != '\t' && delim != ',' && delim != ';' && delim != '|' {
		return nil, fmt.Errorf("glossary: delimiter %q is not a tab, comma, semicolon or bar", delim)
	}
	opts.Delimiter = delim
	gr := &Reader{
		rr:   &recordReader{br: br, delim: byte(delim), quoted: delim != '\t', max: opts.Limits.Or().MaxUnitBytes},
		opts: opts,
	}
	if err := gr.readHeader(); err != nil {
		return nil, err
	}
	return gr, nil
}

// Delimiter returns the delimiter the reader splits cells at.
func (r *Reader) Delimiter() rune { return r.opts.Delimiter }

// Header returns the header row, or nil when the file has none.
func (r *Reader) Header() []string { return r.header }

func (r *Reader) errorf(line int, format string, args ...any) *corpora.ParseError {
	return &corpora.ParseError{File: r.opts.Name, Line: line, Offset: -1, Err: fmt.Errorf(format, args...)}
}

// convert turns a record reader's error into a ParseError, and says
// whether reading can go on past it.
func (r *Reader) convert(err error) (*corpora.ParseError, bool) {
	switch e := err.(type) {
	case *recordError:
		if e.err == errLineTooLong {
			return r.errorf(e.line, "the line is longer than %d bytes: %w", r.rr.max, corpora.ErrTooLarge), true
		}
		return r.errorf(e.line, "the line is not valid UTF-8; save the glossary as UTF-8 or UTF-16"), true
	case *fatalError:
		if e.err == errLineTooLong {
			return r.errorf(e.line, "a quoted cell is longer than %d bytes: %w", r.rr.max, corpora.ErrTooLarge), false
		}
		return r.errorf(e.line, "%w", e.err), false
	case *corpora.ParseError:
		return e, false
	}
	return r.errorf(r.rr.line, "%w", err), false
}

// record returns the next record, skipping bad ones in lenient mode.
func (r *Reader) record() ([]string, int, error) {
	for {
		cells, line, err := r.rr.next()
		if err == nil || err == io.EOF {
			return cells, line, err
		}
		pe, goOn := r.convert(err)
		if !goOn || !r.opts.Lenient {
			pe.Skippable = goOn
			return nil, line, pe
		}
		r.opts.Skipped(corpora.Skip{File: r.opts.Name, Line: pe.Line, Reason: pe.Err.Error()})
	}
}

// readHeader reads the first record and decides whether it is a header.
func (r *Reader) readHeader() error {
	cells, line, err := r.record()
	if err == io.EOF {
		return nil // only comments and blank lines: an empty glossary
	}
	if err != nil {
		return err
	}
	cols, isHeader := r.headerColumns(cells)
	switch r.opts.Header {
	case HeaderYes:
		isHeader = true
	case HeaderNo:
		isHeader = false
	}
	if !isHeader {
		r.first, r.firstAt = cells, line
		r.cols = []column{{role: colSource}, {role: colTarget}, {role: colComment}}
		return nil
	}
	r.header = make([]string, len(cells))
	for i, c := range cells {
		r.header[i] = strings.TrimSpace(c)
	}
	terms := 0
	for _, c := range cols {
		if c.role == colSource || c.role == colTarget || c.role == colLang {
			terms++
		}
	}
	if terms == 0 {
		return r.errorf(line, "the header names no term column; name them source and target, or by language code")
	}
	r.cols = cols
	for _, c := range cols {
		r.rowLangs = r.rowLangs || c.role == colSourceLang || c.role == colTargetLang
	}
	return nil
}

// headerColumns maps the cells of a row to columns and says whether the row
// looks like a header.
func (r *Reader) headerColumns(cells []string) ([]column, bool) {
	cols := make([]column, len(cells))
	known, nonEmpty, source, target, langs := 0, 0, 0, 0, 0
	for i, c := range cells {
		c = strings.TrimSpace(c)
		if c == "" {
			continue
		}
		nonEmpty++
		if ro, ok := columnNames[normName(c)]; ok {
			cols[i] = column{role: ro, name: c}
			known++
			switch ro {
			case colSource:
				source++
			case colTarget:
				target++
			}
			continue
		}
		if langCode.MatchString(c) {
			if tag, err := corpora.ParseLang(c); err == nil {
				cols[i] = column{role: colLang, lang: tag, name: c}
				known++
				langs++
				continue
			}
		}
		cols[i] = column{role: colOther, name: c}
	}
	// A source column may come with language columns; the first language
	// column is then the target.
	if source == 1 && target == 0 {
		for i := range cols {
			if cols[i].role == colLang {
				cols[i].role = colTarget
				target++
				langs--
				break
			}
		}
	}
	isHeader := known == nonEmpty && source+target+langs >= 2
	if langs >= 2 {
		// Language columns must name different languages.
		seen := map[language.Tag]bool{}
		for _, c := range cols {
			if c.role == colLang {
				if seen[c.lang] {
					isHeader = false
				}
				seen[c.lang] = true
			}
		}
	}
	if source >= 1 && target >= 1 && known*2 >= nonEmpty {
		isHeader = true
	}
	return cols, isHeader
}

// NextTerm returns the entry of the next line, or io.EOF after the last.
// Its terms are the source term, then the targets; a line without a target
// is an error (in lenient mode: skipped and reported).
func (r *Reader) NextTerm() (*corpora.TermEntry, error) {
	e, err := r.nextEntry()
	if err != nil {
		return nil, err
	}
	return &e.TermEntry, nil
}

// entry is a term entry with what units need beside it.
type entry struct {
	corpora.TermEntry
	props []corpora.Prop
}

func (r *Reader) nextEntry() (*entry, error) {
	for {
		if r.err != nil {
			return nil, r.err
		}
		var cells []string
		var line int
		if r.first != nil {
			cells, line = r.first, r.firstAt
			r.first = nil
		} else {
			var err error
			cells, line, err = r.record()
			if err != nil {
				if err != io.EOF {
					r.err = err
				}
				return nil, err
			}
		}
		e, err := r.entryOf(cells, line)
		if err == nil && e == nil {
			continue // a row with no terms at all
		}
		if err == nil {
			if cerr := r.opts.Limits.CheckEntry(&e.TermEntry); cerr != nil {
				err = r.errorf(line, "%w", cerr)
			}
		}
		if err == nil {
			r.entries++
			return e, nil
		}
		if !r.opts.Lenient {
			err.Skippable = true
			r.err = err
			return nil, err
		}
		r.opts.Skipped(corpora.Skip{File: r.opts.Name, Line: line, Reason: err.Err.Error()})
	}
}

// entryOf builds the entry of one row; nil for a row whose term cells are
// all empty.
func (r *Reader) entryOf(cells []string, line int) (*entry, *corpora.ParseError) {
	e := &entry{}
	e.Origin = corpora.Origin{File: r.opts.Name, Line: line, Index: r.entries}
	srcLang, tgtLang, err := r.rowLanguages(cells, line)
	if err != nil {
		return nil, err
	}
	row := r.rowCells(e, cells, srcLang, tgtLang)
	source, targets, pos, status := row.source, row.targets, row.pos, row.status
	if source == nil || source.Text == "" {
		if allEmpty(targets) {
			return nil, nil // a row with no terms, as spreadsheets leave at the end
		}
		return nil, r.errorf(line, "the line has a translation but no source term")
	}
	if !row.hasTarget {
		return nil, r.errorf(line, "the line has no target term; a glossary line is source%starget", delimName(r.opts.Delimiter))
	}
	source.PartOfSpeech = pos
	e.Terms = append(e.Terms, *source)
	for _, t := range targets {
		if t.Text == "" {
			continue
		}
		t.PartOfSpeech = pos
		t.Status = corpora.ParseTermStatus(status)
		e.Terms = append(e.Terms, t)
	}
	if len(e.Terms) == 1 {
		return nil, r.errorf(line, "the target term of %q is empty", source.Text)
	}
	if status != "" {
		e.props = append(e.props, corpora.Prop{Type: "status", Value: status})
	}
	return e, nil
}

// rowLanguages returns the source and target languages of a row: the
// options', or those its language columns name.
func (r *Reader) rowLanguages(cells []string, line int) (srcLang, tgtLang language.Tag, err *corpora.ParseError) {
	srcLang, tgtLang = r.opts.SourceLang, r.opts.TargetLang
	for i, col := range r.cols {
		if i >= len(cells) {
			break
		}
		v := strings.TrimSpace(cells[i])
		switch col.role {
		case colSourceLang, colTargetLang:
			if v == "" {
				continue
			}
			tag, err := corpora.ParseLang(v)
			if err != nil {
				return srcLang, tgtLang, r.errorf(line, "%s %q is not a language: %v", col.name, v, err)
			}
			if col.role == colSourceLang {
				srcLang = tag
			} else {
				tgtLang = tag
			}
		}
	}
	return srcLang, tgtLang, nil
}

// rowTerms is what the cells of a row say about its terms.
type rowTerms struct {
	source      *corpora.Term
	targets     []corpora.Term
	pos, status string
	hasTarget   bool // the row has a target cell, maybe empty
}

// rowCells reads the cells of a row: its terms, and into e its note,
// definition, domain, id and other properties.
func (r *Reader) rowCells(e *entry, cells []string, srcLang, tgtLang language.Tag) rowTerms {
	var row rowTerms
	for i, col := range r.cols {
		var v string
		if i < len(cells) {
			v = strings.TrimSpace(cells[i])
		}
		switch col.role {
		case colSource:
			if row.source == nil {
				row.source = &corpora.Term{Lang: srcLang, Text: v}
			}
		case colTarget:
			row.hasTarget = row.hasTarget || i < len(cells)
			lang := tgtLang
			if col.lang != language.Und && !r.rowLangs {
				lang = col.lang
			}
			row.targets = append(row.targets, corpora.Term{Lang: lang, Text: v})
		case colLang:
			row.hasTarget = row.hasTarget || i < len(cells) && row.source != nil
			t := corpora.Term{Lang: col.lang, Text: v}
			if row.source == nil {
				row.source = &t
			} else {
				row.targets = append(row.targets, t)
			}
		case colComment:
			e.Note = join(e.Note, v, "\n")
		case colPOS:
			row.pos = v
		case colDefinition:
			e.Definition = join(e.Definition, v, "\n")
		case colDomain:
			e.Domain = join(e.Domain, v, "; ")
		case colID:
			e.ID = v
		case colStatus:
			row.status = v
		case colOther:
			if v != "" {
				e.props = append(e.props, corpora.Prop{Type: col.name, Value: v})
			}
		}
	}
	return row
}

func allEmpty(ts []corpora.Term) bool {
	for _, t := range ts {
		if t.Text != "" {
			return false
		}
	}
	return true
}

func delimName(d rune) string {
	switch d {
	case '\t':
		return "<TAB>"
	}
	return string(d)
}

func join(a, b, sep string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + sep + b
}

// Next returns the next translation unit, or io.EOF after the last. A line
// gives one unit per target term, with the source term as source. Languages
// come from the line's sourceLang and targetLang cells, else from a header
// of language codes, else from opts. When opts names languages and the
// line's are known, only matching units are returned, and a line in the
// reverse direction is reversed. If the file has entries but none gives a
// unit, Next returns a *corpora.ParseError wrapping corpora.ErrNotBilingual.
//
// The unit's Notes hold the comment; its Props the part of speech
// ("part-of-speech", with the source's Lang), the definition
// ("definition"), the status column ("term-status") and any column the
// header names but this package does not know (under the header's name).
func (r *Reader) Next() (*corpora.Unit, error) {
	for len(r.pending) == 0 {
		e, err := r.nextEntry()
		if err == io.EOF && r.units == 0 && r.entries > 0 {
			return nil, &corpora.ParseError{File: r.opts.Name, Offset: -1,
				Err: fmt.Errorf("no line has terms in %s and %s: %w", r.opts.SourceLang, r.opts.TargetLang, corpora.ErrNotBilingual)}
		}
		if err != nil {
			return nil, err
		}
		r.pending = r.unitsOf(e)
	}
	u := r.pending[0]
	r.pending[0] = nil
	r.pending = r.pending[1:]
	return u, nil
}

// matches reports whether a term's language fits what the user asked for;
// an unknown language fits anything.
func matches(want, have language.Tag) bool {
	return have == language.Und || corpora.LangMatches(want, have)
}

func (r *Reader) unitsOf(e *entry) []*corpora.Unit {
	src := e.Terms[0]
	var out []*corpora.Unit
	for _, tgt := range e.Terms[1:] {
		s, t := src, tgt
		if !matches(r.opts.SourceLang, s.Lang) || !matches(r.opts.TargetLang, t.Lang) {
			if !(matches(r.opts.SourceLang, t.Lang) && matches(r.opts.TargetLang, s.Lang)) {
				continue
			}
			s, t = t, s
		}
		out = append(out, r.unit(e, s, t))
	}
	return out
}

func (r *Reader) unit(e *entry, s, t corpora.Term) *corpora.Unit {
	u := &corpora.Unit{
		SourceLang: s.Lang,
		TargetLang: t.Lang,
		Source:     corpora.Text(s.Text),
		Target:     corpora.Text(t.Text),
		ID:         e.ID,
		Domain:     e.Domain,
		Origin:     corpora.Origin{File: r.opts.Name, Line: e.Origin.Line, Index: r.units},
	}
	r.units++
	if u.SourceLang == language.Und {
		u.SourceLang = r.opts.SourceLang
	}
	if u.TargetLang == language.Und {
		u.TargetLang = r.opts.TargetLang
	}
	if e.Note != "" {
		u.Notes = []string{e.Note}
	}
	if s.PartOfSpeech != "" {
		p := corpora.Prop{Type: "part-of-speech", Value: s.PartOfSpeech}
		if u.SourceLang != language.Und {
			p.Lang = u.SourceLang.String()
		}
		u.Props = append(u.Props, p)
	}
	if e.Definition != "" {
		u.Props = append(u.Props, corpora.Prop{Type: "definition", Value: e.Definition})
	}
	for _, p := range e.props {
		if p.Type == "status" {
			p.Type = "term-status"
			if t.Status != corpora.TermUnspecified {
				p.Value = t.Status.String()
			}
		}
		u.Props = append(u.Props, p)
	}
	return u
}
