package tabular

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/kgmem/kgmem/corpora"
)

// MosesReader reads a Moses-style parallel corpus: a source file and a
// target file where line n of one is the translation of line n of the
// other. Line pairs that are both blank are left out. It is not safe for
// concurrent use.
type MosesReader struct {
	opts  corpora.ReadOptions
	src   *lineReader
	tgt   *lineReader
	names [2]string
	file  string // Origin.File
	index int
	err   error
}

var _ corpora.Reader = (*MosesReader)(nil)

// NewMosesReader returns a reader of the line-aligned files src and tgt;
// srcName and tgtName name them in errors. Units take their languages from
// opts and their Origin.File from opts.Name, or srcName when that is empty.
// Either file may be UTF-8 or UTF-16, with or without a byte order mark.
func NewMosesReader(src, tgt io.Reader, opts corpora.ReadOptions, srcName, tgtName string) (*MosesReader, error) {
	m := &MosesReader{opts: opts, names: [2]string{srcName, tgtName}, file: opts.Name}
	if m.file == "" {
		m.file = srcName
	}
	max := opts.Limits.Or().MaxUnitBytes
	for i, r := range []io.Reader{src, tgt} {
		u, _, err := corpora.UTF8Reader(r)
		if err != nil {
			return nil, m.fail(i, 0, fmt.Errorf("read: %w", err))
		}
		br := bufio.NewReaderSize(u, 64<<10)
		head, err := br.Peek(1)
		if len(head) == 0 {
			if err != nil && err != io.EOF {
				return nil, m.fail(i, 0, fmt.Errorf("read: %w", err))
			}
			return nil, m.fail(i, 0, errors.New("file is empty"))
		}
		if i == 0 {
			m.src = newLineReader(br, max)
		} else {
			m.tgt = newLineReader(br, max)
		}
	}
	return m, nil
}

// fail records a fatal error in file i (0 source, 1 target) and returns it.
func (m *MosesReader) fail(i, line int, err error) error {
	m.err = &corpora.ParseError{File: m.names[i], Line: line, Offset: -1, Err: err}
	return m.err
}

// Next returns the next unit, or io.EOF after the last line pair.
func (m *MosesReader) Next() (*corpora.Unit, error) {
	for m.err == nil {
		var (
			text [2]string
			bad  [2]error
			eof  [2]bool
		)
		for i, lr := range []*lineReader{m.src, m.tgt} {
			b, err := lr.next()
			switch err {
			case nil:
				if err := checkText(b); err != nil {
					bad[i] = err
				} else {
					text[i] = string(b)
				}
			case io.EOF:
				eof[i] = true
			case errLongLine:
				bad[i] = fmt.Errorf("line is longer than the %d-byte limit: %w", lr.max, corpora.ErrTooLarge)
			default:
				return nil, m.fail(i, lr.line+1, fmt.Errorf("read: %w", err))
			}
		}
		switch {
		case eof[0] && eof[1]:
			m.err = io.EOF
			return nil, io.EOF
		case eof[0] || eof[1]:
			short, long := 0, 1
			if eof[1] {
				short, long = 1, 0
			}
			return nil, m.fail(short, m.lines(short)+1, fmt.Errorf("%s ends after %s but %s goes on: the files are not line-aligned",
				name(m.names[short]), plural(m.lines(short), "line", "lines"), name(m.names[long])))
		}
		line := m.src.line
		var err error
		i := 0
		switch {
		case bad[0] != nil:
			err = bad[0]
		case bad[1] != nil:
			err, i = bad[1], 1
		case strings.TrimSpace(text[0]) == "" && strings.TrimSpace(text[1]) == "":
			continue
		case strings.TrimSpace(text[0]) == "":
			err = errors.New("source line is blank but the target line is not")
		}
		u := &corpora.Unit{
			SourceLang: m.opts.SourceLang,
			TargetLang: m.opts.TargetLang,
			Source:     corpora.Text(text[0]),
			Target:     corpora.Text(text[1]),
			Origin:     corpora.Origin{File: m.file, Line: line, Index: m.index},
		}
		if err == nil {
			err = m.opts.Limits.CheckUnit(u)
		}
		if err != nil {
			if !m.opts.Lenient {
				m.fail(i, line, err)
				m.err.(*corpora.ParseError).Skippable = true
				return nil, m.err
			}
			m.opts.Skipped(corpora.Skip{File: m.names[i], Line: line, Reason: err.Error()})
			continue
		}
		m.index++
		return u, nil
	}
	return nil, m.err
}

// lines returns how many lines file i has given.
func (m *MosesReader) lines(i int) int {
	if i == 0 {
		return m.src.line
	}
	return m.tgt.line
}

func name(s string) string {
	if s == "" {
		return "<input>"
	}
	return s
}

// MosesWriter writes units as a Moses-style pair of line-aligned files.
// It is not safe for concurrent use.
type MosesWriter struct {
	src, tgt *bufio.Writer
	n        int
}

// bom is the byte order mark. A reader drops one at the start of a file,
// so a writer whose file would start with U+FEFF writes a BOM first, to be
// dropped in its place.
const bom = "\ufeff"

var _ corpora.Writer = (*MosesWriter)(nil)

// NewMosesWriter returns a writer of the sources of units to src and their
// targets to tgt, one per line.
func NewMosesWriter(src, tgt io.Writer) *MosesWriter {
	return &MosesWriter{src: bufio.NewWriter(src), tgt: bufio.NewWriter(tgt)}
}

// Write writes one unit's plain source and target text as a line in each
// file. A segment with a line break cannot be written: it would break the
// alignment.
func (w *MosesWriter) Write(u *corpora.Unit) error {
	s, t := u.Source.Plain(), u.Target.Plain()
	if strings.TrimSpace(s) == "" {
		return fmt.Errorf("tabular: unit %d has a blank source, which a Moses corpus cannot hold", w.n)
	}
	for _, x := range []string{s, t} {
		if strings.ContainsAny(x, "\r\n\u2028\u2029\x85") {
			return fmt.Errorf("tabular: unit %d holds a line break, which a Moses corpus cannot hold; split the unit or replace the break", w.n)
		}
	}
	if w.n == 0 {
		if strings.HasPrefix(s, bom) {
			w.src.WriteString(bom)
		}
		if strings.HasPrefix(t, bom) {
			w.tgt.WriteString(bom)
		}
	}
	w.src.WriteString(s)
	w.src.WriteByte('\n')
	w.tgt.WriteString(t)
	if err := w.tgt.WriteByte('\n'); err != nil {
		return err
	}
	w.n++
	return nil
}

// Close flushes both files; it does not close them.
func (w *MosesWriter) Close() error {
	return errors.Join(w.src.Flush(), w.tgt.Flush())
}
