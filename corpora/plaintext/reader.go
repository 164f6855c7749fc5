package plaintext

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kgmem/kgmem/corpora"
)

// Properties a Reader records on each unit so that a Writer can put the
// document back together.
const (
	// PropParagraph is the 0-based index of the unit's paragraph.
	PropParagraph = "x-paragraph"
	// PropSpaceAfter is the white space that followed the sentence, up to
	// the next sentence or the end of the file: a space, a line break, the
	// blank lines between paragraphs.
	PropSpaceAfter = "x-space-after"
	// PropSpaceBefore is the white space before the first sentence of the
	// file; only the first unit has it, and only when there is some.
	PropSpaceBefore = "x-space-before"
)

// Reader reads a plain-text document as units, one sentence each, a
// paragraph at a time: memory holds one paragraph, which may be at most
// Limits.MaxUnitBytes long. Units have only a source, in
// ReadOptions.SourceLang, whose rules split the sentences (see Split).
// It is not safe for concurrent use.
type Reader struct {
	opts  corpora.ReadOptions
	max   int
	br    *bufio.Reader
	line  int // lines read
	buf   []byte
	queue []*corpora.Unit

	next     []byte // the first line of the next paragraph, if read
	nextLine int
	eof      bool
	lead     string // white space before the first paragraph
	para     int    // index of the next paragraph
	index    int
	err      error
}

var _ corpora.Reader = (*Reader)(nil)

// errLongLine reports a line over the limit; it has been consumed.
var errLongLine = errors.New("line too long")

// NewReader returns a reader of the text in r, which may be UTF-8 or
// UTF-16 with or without a byte order mark. An empty file, or one of only
// white space, is an error.
func NewReader(r io.Reader, opts corpora.ReadOptions) (*Reader, error) {
	rd := &Reader{opts: opts, max: opts.Limits.Or().MaxUnitBytes}
	u, _, err := corpora.UTF8Reader(r)
	if err != nil {
		return nil, rd.fail(0, fmt.Errorf("read: %w", err))
	}
	rd.br = bufio.NewReaderSize(u, 64<<10)
	if _, err := rd.br.Peek(1); err != nil {
		if err == io.EOF {
			return nil, rd.fail(0, errors.New("file is empty"))
		}
		return nil, rd.fail(0, fmt.Errorf("read: %w", err))
	}
	// White space before the first paragraph.
	var lead strings.Builder
	for {
		l, err := rd.readLine()
		if err == io.EOF {
			return nil, rd.fail(0, errors.New("file has no text, only white space"))
		}
		if err != nil {
			if errors.Is(err, errLongLine) {
				// Leave the long line to Next, which reports it.
				rd.next, rd.nextLine = nil, rd.line
				break
			}
			return nil, rd.err
		}
		if !isBlank(string(l)) {
			rd.next, rd.nextLine = append([]byte(nil), l...), rd.line
			break
		}
		if lead.Len()+len(l) > rd.max {
			return nil, rd.fail(rd.line, fmt.Errorf("white space before the text is longer than the %d-byte limit: %w", rd.max, corpora.ErrTooLarge))
		}
		lead.Write(l)
	}
	rd.lead = lead.String()
	return rd, nil
}

// fail records a fatal error at line and returns it.
func (r *Reader) fail(line int, err error) error {
	r.err = &corpora.ParseError{File: r.opts.Name, Line: line, Offset: -1, Err: err}
	return r.err
}

// readLine returns the next line with its line break, valid until the next
// call; io.EOF at the end, errLongLine (wrapped, the line skipped) for a
// line over the limit, or a *corpora.ParseError.
func (r *Reader) readLine() ([]byte, error) {
	r.buf = r.buf[:0]
	n, long, acc := 0, false, false
	var (
		frag []byte
		err  error
	)
	for {
		frag, err = r.br.ReadSlice('\n')
		n += len(frag)
		if n > r.max {
			long = true
		}
		if !long && (acc || err == bufio.ErrBufferFull) {
			r.buf = append(r.buf, frag...)
			acc = true
		}
		if err != bufio.ErrBufferFull {
			break
		}
	}
	if err != nil && err != io.EOF {
		return nil, r.fail(r.line+1, fmt.Errorf("read: %w", err))
	}
	if n == 0 {
		return nil, io.EOF
	}
	r.line++
	if long {
		return nil, fmt.Errorf("line is longer than the %d-byte limit: %w: %w", r.max, corpora.ErrTooLarge, errLongLine)
	}
	if acc {
		return r.buf, nil
	}
	return frag, nil
}

// Next returns the next sentence, or io.EOF after the last.
func (r *Reader) Next() (*corpora.Unit, error) {
	for len(r.queue) == 0 {
		if r.err != nil {
			return nil, r.err
		}
		if r.eof && r.next == nil {
			r.err = io.EOF
			return nil, io.EOF
		}
		if err := r.paragraph(); err != nil {
			var pe *corpora.ParseError
			skippable := errors.As(err, &pe) && r.err == nil
			if skippable && r.opts.Lenient {
				r.opts.Skipped(corpora.Skip{File: r.opts.Name, Line: pe.Line, Reason: pe.Err.Error()})
				continue
			}
			if skippable {
				pe.Skippable = true
			}
			if r.err == nil {
				r.err = err
			}
			return nil, r.err
		}
	}
	u := r.queue[0]
	r.queue[0] = nil
	r.queue = r.queue[1:]
	return u, nil
}

// paragraph reads the next paragraph and the blank lines after it, and
// queues its sentences. A paragraph that is too long or not text is
// returned as a *corpora.ParseError after being skipped, so a lenient
// reader can go on; r.err is set when it cannot.
func (r *Reader) paragraph() error {
	start := r.nextLine
	var text strings.Builder
	var bad error
	badLine := 0
	addLine := func(l []byte, err error, line int) {
		switch {
		case bad != nil:
		case err != nil:
			bad, badLine = err, line
		case text.Len()+len(l) > r.max:
			bad, badLine = fmt.Errorf("paragraph is longer than the %d-byte limit: %w", r.max, corpora.ErrTooLarge), start
		default:
			if e := checkText(l); e != nil {
				bad, badLine = e, line
				return
			}
			text.Write(l)
		}
	}
	if r.next != nil {
		addLine(r.next, nil, r.nextLine)
	} else {
		addLine(nil, fmt.Errorf("line is longer than the %d-byte limit: %w", r.max, corpora.ErrTooLarge), r.nextLine)
	}
	r.next = nil
	// The rest of the paragraph.
	var gap strings.Builder
	for {
		l, err := r.readLine()
		if err == io.EOF {
			r.eof = true
			break
		}
		if err != nil && !errors.Is(err, errLongLine) {
			return err
		}
		if err == nil && isBlank(string(l)) {
			gap.Write(l)
			break
		}
		addLine(l, err, r.line)
	}
	if err := r.blankLines(&gap); err != nil {
		return err
	}
	para := r.para
	r.para++
	if bad != nil {
		return &corpora.ParseError{File: r.opts.Name, Line: badLine, Offset: -1, Err: bad}
	}
	// The white space before the next paragraph's first sentence belongs
	// after this paragraph's last.
	if r.next != nil {
		gap.WriteString(leadingSpace(r.next))
	}
	queued, index := len(r.queue), r.index
	r.queueSentences(text.String(), gap.String(), start, para)
	for _, u := range r.queue[queued:] {
		if err := r.opts.Limits.CheckUnit(u); err != nil {
			r.queue, r.index = r.queue[:queued], index
			return &corpora.ParseError{File: r.opts.Name, Line: u.Origin.Line, Offset: -1, Err: err}
		}
	}
	return nil
}

// blankLines reads the blank lines after a paragraph into gap, up to the
// next paragraph's first line (kept in r.next) or the end.
func (r *Reader) blankLines(gap *strings.Builder) error {
	for !r.eof {
		l, err := r.readLine()
		if err == io.EOF {
			r.eof = true
			break
		}
		if err != nil && !errors.Is(err, errLongLine) {
			return err
		}
		if err != nil || !isBlank(string(l)) {
			if err == nil {
				r.next = append(r.next[:0], l...)
			}
			r.nextLine = r.line
			break
		}
		if gap.Len()+len(l) > r.max {
			return r.fail(r.line, fmt.Errorf("run of blank lines is longer than the %d-byte limit: %w", r.max, corpora.ErrTooLarge))
		}
		gap.Write(l)
	}
	return nil
}

// queueSentences splits a paragraph that starts on line and queues a unit
// per sentence.
func (r *Reader) queueSentences(text, gap string, line, para int) {
	ss := Split(text, r.opts.SourceLang)
	pos, nl := 0, 0
	for i, s := range ss {
		nl += strings.Count(text[pos:s.Start], "\n")
		pos = s.Start
		after := gap
		if i+1 < len(ss) {
			after = text[s.End:ss[i+1].Start]
		} else {
			after = text[s.End:] + gap
		}
		u := &corpora.Unit{
			SourceLang: r.opts.SourceLang,
			TargetLang: r.opts.TargetLang,
			Source:     corpora.Text(s.Text),
			Origin:     corpora.Origin{File: r.opts.Name, Line: line + nl, Index: r.index},
			Props: []corpora.Prop{
				{Type: PropParagraph, Value: strconv.Itoa(para)},
				{Type: PropSpaceAfter, Value: after},
			},
		}
		if r.index == 0 {
			// Leading white space of the first line belongs before too.
			if before := r.lead + text[:s.Start]; before != "" {
				u.Props = append(u.Props, corpora.Prop{Type: PropSpaceBefore, Value: before})
			}
		}
		r.index++
		r.queue = append(r.queue, u)
	}
}

// leadingSpace returns the white space that starts b.
func leadingSpace(b []byte) string {
	i := 0
	for i < len(b) {
		c, w := utf8.DecodeRune(b[i:])
		if !unicode.IsSpace(c) {
			break
		}
		i += w
	}
	return string(b[:i])
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
