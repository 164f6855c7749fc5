package corpora

import (
	"fmt"
	"unicode/utf8"

	"golang.org/x/text/language"
)

// Reader streams translation units from one file.
// Next returns io.EOF after the last unit. Readers are not safe for
// concurrent use.
type Reader interface {
	Next() (*Unit, error)
}

// TermReader streams the entries of a term base. Next returns io.EOF after
// the last entry.
type TermReader interface {
	NextTerm() (*TermEntry, error)
}

// Writer writes translation units to one file. Close flushes and writes the
// file's trailer; it does not close the underlying io.Writer.
type Writer interface {
	Write(u *Unit) error
	Close() error
}

// Limits guard readers against hostile input. A zero field takes the
// default DefaultLimits gives.
type Limits struct {
	// MaxDepth is the deepest element nesting an XML reader accepts.
	MaxDepth int
	// MaxUnitBytes is the most text one unit (or term entry) may hold,
	// markup included: what a reader holds in memory at once.
	MaxUnitBytes int
	// MaxSegmentBytes is the most text one segment (a source, a target, a
	// plural form, a term) may hold. It bounds the work every later step
	// does per segment (alignment, matching, indexing); a unit with a
	// longer segment is an error, or a skip with ReadOptions.Lenient.
	MaxSegmentBytes int
	// MaxEntries is the most strings a binary catalog (MO) may declare.
	MaxEntries int
}

// DefaultLimits returns limits generous for real files and small enough to
// stop a hostile one before it exhausts memory. The longest segment of the
// shared gettext memory (software messages, help texts included) is under
// 5 KiB; 64 KiB leaves room for long paragraphs.
func DefaultLimits() Limits {
	return Limits{MaxDepth: 256, MaxUnitBytes: 8 << 20, MaxSegmentBytes: 64 << 10, MaxEntries: 10_000_000}
}

// Or returns l with zero fields taken from DefaultLimits.
func (l Limits) Or() Limits {
	d := DefaultLimits()
	if l.MaxDepth == 0 {
		l.MaxDepth = d.MaxDepth
	}
	if l.MaxUnitBytes == 0 {
		l.MaxUnitBytes = d.MaxUnitBytes
	}
	if l.MaxSegmentBytes == 0 {
		l.MaxSegmentBytes = d.MaxSegmentBytes
	}
	if l.MaxEntries == 0 {
		l.MaxEntries = d.MaxEntries
	}
	return l
}

// CheckUnit checks what every reader checks of a unit it built: that its
// text is valid UTF-8 (a byte that is not must never become U+FFFD in
// stored data) and that no segment is longer than l.MaxSegmentBytes
// (after Or). The error says what is wrong; the reader adds where.
func (l Limits) CheckUnit(u *Unit) error {
	l = l.Or()
	segs := []struct {
		what string
		seg  Segment
	}{{"source", u.Source}, {"target", u.Target}}
	if g := u.Gettext; g != nil {
		segs = append(segs, struct {
			what string
			seg  Segment
		}{"msgid_plural", g.SourcePlural})
		for _, t := range g.TargetPlurals {
			segs = append(segs, struct {
				what string
				seg  Segment
			}{"plural form", t})
		}
	}
	for _, s := range segs {
		n := 0
		for _, sp := range s.seg.Spans {
			n += len(sp.Text)
			if !utf8.ValidString(sp.Text) {
				return fmt.Errorf("the %s is not valid UTF-8; convert the file to UTF-8 or fix the byte", s.what)
			}
		}
		if n > l.MaxSegmentBytes {
			return fmt.Errorf("the %s is %d bytes, more than the %d-byte limit on a segment: %w", s.what, n, l.MaxSegmentBytes, ErrTooLarge)
		}
	}
	strs := append([]string{u.ID, u.Context, u.Domain, u.CreatedBy, u.ChangedBy}, u.Notes...)
	for _, p := range u.Props {
		strs = append(strs, p.Type, p.Value)
	}
	for _, s := range strs {
		if !utf8.ValidString(s) {
			return fmt.Errorf("%q is not valid UTF-8; convert the file to UTF-8 or fix the byte", s)
		}
	}
	return nil
}

// ReadOptions configure a reader. The zero value reads every language pair
// the file holds, strictly.
type ReadOptions struct {
	// Name is the file name used in errors and Unit.Origin.
	Name string
	// SourceLang and TargetLang select a language pair (see LangMatches);
	// language.Und takes what the file declares. A multilingual TMX yields one
	// unit per target language that matches.
	SourceLang language.Tag
	TargetLang language.Tag
	// Lenient skips a bad unit, reports it to OnSkip and goes on, instead of
	// failing. Errors that leave nothing to resynchronise on (a broken
	// header, truncated XML) still fail.
	Lenient bool
	// OnSkip is told about every unit left out; may be nil.
	OnSkip func(Skip)
	// Untranslated makes a reader of a format whose units may lack the
	// target language (TMX) also return them, with an empty Target in
	// TargetLang and StatusUntranslated: what a document to be translated
	// holds. It needs TargetLang.
	Untranslated bool
	Limits       Limits
}

// Skipped reports a skip to OnSkip, if set.
func (o *ReadOptions) Skipped(s Skip) {
	if o.OnSkip != nil {
		o.OnSkip(s)
	}
}

// CheckEntry is CheckUnit for a term entry: its terms are segments.
func (l Limits) CheckEntry(e *TermEntry) error {
	l = l.Or()
	for _, t := range e.Terms {
		for _, s := range []string{t.Text, t.Definition, t.Context, t.Note, t.Source, t.PartOfSpeech} {
			if !utf8.ValidString(s) {
				return fmt.Errorf("the term %q is not valid UTF-8; convert the file to UTF-8 or fix the byte", t.Text)
			}
		}
		if len(t.Text) > l.MaxSegmentBytes {
			return fmt.Errorf("a term is %d bytes, more than the %d-byte limit on a segment: %w", len(t.Text), l.MaxSegmentBytes, ErrTooLarge)
		}
	}
	for _, s := range []string{e.ID, e.Domain, e.Definition, e.Note} {
		if !utf8.ValidString(s) {
			return fmt.Errorf("%q is not valid UTF-8; convert the file to UTF-8 or fix the byte", s)
		}
	}
	return nil
}
