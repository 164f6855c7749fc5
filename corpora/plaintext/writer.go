package plaintext

import (
	"bufio"
	"io"
	"strings"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora"
)

// WriterOptions say what a Writer writes.
type WriterOptions struct {
	// Source writes each unit's source. By default a unit's target is
	// written, or its source when the target is empty.
	Source bool
	// Lang is the language of the text written. Chinese and Japanese put
	// no space between sentences: spaces a Reader recorded between the
	// sentences of a paragraph are dropped for them, and one is put back
	// between sentences that had none when writing another language.
	Lang language.Tag
}

// Writer writes units as a plain-text document, joining them with the
// white space a Reader recorded (PropSpaceAfter, PropSpaceBefore), so that
// the document keeps its paragraphs and line breaks. Units without those
// properties are written one per line. It is not safe for concurrent use.
type Writer struct {
	opts     WriterOptions
	bw       *bufio.Writer
	cjk      bool
	started  bool
	pending  string // white space owed after the last unit written
	prevPara string
	prevText string
	// prevTranslated: the last unit was written from its target.
	prevTranslated bool
	err            error
}

var _ corpora.Writer = (*Writer)(nil)

// NewWriter returns a writer of a plain-text document to w.
func NewWriter(w io.Writer, opts WriterOptions) (*Writer, error) {
	base, _ := opts.Lang.Base()
	b := base.String()
	return &Writer{opts: opts, bw: bufio.NewWriter(w), cjk: b == "zh" || b == "ja"}, nil
}

// Write writes one sentence.
func (w *Writer) Write(u *corpora.Unit) error {
	if w.err != nil {
		return w.err
	}
	text := u.Target.Plain()
	translated := !w.opts.Source && text != ""
	if !translated {
		text = u.Source.Plain()
	}
	para, hasPara := u.Prop(PropParagraph)
	if !w.started {
		w.started = true
		before, _ := u.Prop(PropSpaceBefore)
		if strings.HasPrefix(before+text, "\ufeff") {
			// A reader drops a byte order mark at the start of a file:
			// write one to be dropped instead of the text's U+FEFF.
			w.bw.WriteString("\ufeff")
		}
		w.bw.WriteString(before)
	} else {
		w.bw.WriteString(w.separator(para, hasPara, text, translated || w.prevTranslated))
	}
	if _, err := w.bw.WriteString(text); err != nil {
		w.err = err
		return err
	}
	if after, ok := u.Prop(PropSpaceAfter); ok {
		w.pending = after
	} else {
		w.pending = "\n"
	}
	w.prevPara, w.prevText, w.prevTranslated = para, text, translated
	if !hasPara {
		w.prevPara = "\x00none"
	}
	return nil
}

// separator adjusts the white space owed after the previous unit to what
// comes next. Spacing between sentences changes only next to a
// translation: sources go back as they were.
func (w *Writer) separator(para string, hasPara bool, text string, translated bool) string {
	sep := w.pending
	if !hasPara || w.prevPara == "\x00none" {
		return sep
	}
	if para != w.prevPara {
		// A new paragraph needs a blank line, whatever was recorded.
		if strings.Count(sep, "\n") < 2 {
			return "\n\n"
		}
		return sep
	}
	if strings.Contains(sep, "\n") || !translated {
		return sep
	}
	if w.cjk {
		return ""
	}
	if sep == "" && !strings.HasSuffix(w.prevText, " ") && !strings.HasPrefix(text, " ") && !endsCJK(w.prevText) {
		return " "
	}
	return sep
}

// endsCJK reports whether s ends in a CJK full stop, after which no space
// is needed whatever the language.
func endsCJK(s string) bool {
	for _, t := range []string{"。", "！", "？", "」", "』", "）"} {
		if strings.HasSuffix(s, t) {
			return true
		}
	}
	return false
}

// Close writes the white space after the last unit and flushes; it does
// not close the underlying writer.
func (w *Writer) Close() error {
	if w.err != nil {
		return w.err
	}
	w.bw.WriteString(w.pending)
	w.pending = ""
	if err := w.bw.Flush(); err != nil {
		w.err = err
		return err
	}
	return nil
}
