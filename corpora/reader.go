package corpora

import (
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
// default in DefaultLimits.
type Limits struct {
	// MaxDepth is the deepest element nesting an XML reader accepts.
	MaxDepth int
	// MaxUnitBytes is the most text one unit (or term entry) may hold.
	MaxUnitBytes int
	// MaxEntries is the most strings a binary catalog (MO) may declare.
	MaxEntries int
}

// DefaultLimits are generous for real files and small enough to stop a
// hostile one before it exhausts memory.
var DefaultLimits = Limits{MaxDepth: 256, MaxUnitBytes: 8 << 20, MaxEntries: 10_000_000}

// Or returns l with zero fields taken from DefaultLimits.
func (l Limits) Or() Limits {
	if l.MaxDepth == 0 {
		l.MaxDepth = DefaultLimits.MaxDepth
	}
	if l.MaxUnitBytes == 0 {
		l.MaxUnitBytes = DefaultLimits.MaxUnitBytes
	}
	if l.MaxEntries == 0 {
		l.MaxEntries = DefaultLimits.MaxEntries
	}
	return l
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
