package tbx

import (
	"bytes"
	"fmt"
	"io"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora"
)

// Next returns the next translation unit, or io.EOF after the last. Each
// concept gives one unit per pair of a source term and a target term:
//
//   - the source language is opts.SourceLang; when that is undefined, the
//     file's xml:lang if the concept has a term in it, else the language of
//     the concept's first term;
//   - the target languages are those that match opts.TargetLang (all the
//     others when it is undefined).
//
// A concept with no term in the source or in a target language gives no
// unit, except that with opts.Untranslated and opts.TargetLang a concept
// with source terms and none in the target language gives one unit per
// source term with an empty Target and StatusUntranslated (what a catalog
// with untranslated entries, written as TBX, holds). If the file has
// concepts but none gives a unit, Next returns a *corpora.ParseError
// wrapping corpora.ErrNotBilingual instead of io.EOF.
//
// The unit's ID is the concept's id, Domain its subject field, Context the
// source term's context (TBX's context data category; a gettext msgctxt
// written as TBX), Notes the notes of the concept and of both terms. Unit.Status stays
// StatusUnspecified: a term's status is not a review state. It is kept in
// Props instead, with the other facts about the terms; each Prop's Lang
// says which term it is about, the target's coming first:
// "term-status" (preferred, admitted, deprecated), "part-of-speech",
// "term-type", "grammatical-gender", "context", "source" and "definition"
// (a concept-level definition has no Lang). Created, Changed, CreatedBy
// and ChangedBy come from the target term's transactions, else from its
// language section's, else from the concept's.
func (r *Reader) Next() (*corpora.Unit, error) {
	// Pairs are made one at a time: an entry with thousands of terms in
	// each language must not become millions of units in memory.
	for {
		if e := r.cur; e != nil {
			for ; r.si < len(e.Terms); r.si, r.ti = r.si+1, 0 {
				if !r.isSource(e.Terms[r.si].Lang) {
					continue
				}
				for ; r.ti < len(e.Terms); r.ti++ {
					t := e.Terms[r.ti].Lang
					if r.isSource(t) || !corpora.LangMatches(r.opts.TargetLang, t) {
						continue
					}
					u := r.unit(e, r.si, r.ti)
					r.ti++
					return u, nil
				}
				if r.untranslated {
					u := r.unit(e, r.si, -1)
					r.si++
					return u, nil
				}
			}
			r.cur = nil
		}
		e, err := r.nextEntry()
		if err == io.EOF && r.units == 0 && r.entries > 0 {
			return nil, &corpora.ParseError{File: r.opts.Name, Offset: -1,
				Err: fmt.Errorf("no entry has terms in both %s: %w", r.pairName(), corpora.ErrNotBilingual)}
		}
		if err != nil {
			return nil, err
		}
		r.startUnits(e)
	}
}

func (r *Reader) pairName() string {
	name := func(t language.Tag, def string) string {
		if t == language.Und {
			return def
		}
		return t.String()
	}
	return name(r.opts.SourceLang, "the source language") + " and " + name(r.opts.TargetLang, "another language")
}

// startUnits makes e the entry Next pairs terms from, and picks its source
// language.
func (r *Reader) startUnits(e *entry) {
	r.cur, r.si, r.ti = e, 0, 0
	r.pickSource(e)
	r.untranslated = false
	if r.opts.Untranslated && r.opts.TargetLang != language.Und {
		r.untranslated = true
		for _, t := range e.Terms {
			if !r.isSource(t.Lang) && corpora.LangMatches(r.opts.TargetLang, t.Lang) {
				r.untranslated = false
			}
		}
	}
}

// pickSource sets isSource for the entry e.
func (r *Reader) pickSource(e *entry) {
	want := r.opts.SourceLang
	if want != language.Und {
		r.isSource = func(t language.Tag) bool { return corpora.LangMatches(want, t) }
		return
	}
	if r.lang != language.Und {
		for _, t := range e.Terms {
			if corpora.LangMatches(r.lang, t.Lang) {
				doc := r.lang
				r.isSource = func(t language.Tag) bool { return corpora.LangMatches(doc, t) }
				return
			}
		}
	}
	first := e.Terms[0].Lang
	r.isSource = func(t language.Tag) bool { return t == first }
}

// unit makes the unit of the source term si and the target term ti (-1
// for none: an untranslated unit in opts.TargetLang).
func (r *Reader) unit(e *entry, si, ti int) *corpora.Unit {
	s, t := &e.Terms[si], &corpora.Term{Lang: r.opts.TargetLang}
	h := e.extra[si].hist
	terms := []int{si}
	if ti >= 0 {
		t, h = &e.Terms[ti], e.extra[ti].hist
		terms = []int{ti, si}
	}
	u := &corpora.Unit{
		SourceLang: s.Lang,
		TargetLang: t.Lang,
		Source:     corpora.Text(s.Text),
		Target:     corpora.Text(t.Text),
		ID:         e.ID,
		Context:    s.Context,
		Domain:     e.Domain,
		Origin:     corpora.Origin{File: r.opts.Name, Line: e.Origin.Line, Index: r.units},
	}
	if ti < 0 {
		u.Status = corpora.StatusUntranslated
	}
	r.units++
	for _, n := range []string{e.Note, s.Note, t.Note} {
		if n != "" {
			u.Notes = append(u.Notes, n)
		}
	}
	h.merge(e.hist)
	u.Created, u.CreatedBy, u.Changed, u.ChangedBy = h.created, h.createdBy, h.changed, h.changedBy

	add := func(typ, value string, lang language.Tag) {
		if value == "" {
			return
		}
		p := corpora.Prop{Type: typ, Value: value}
		if lang != language.Und {
			p.Lang = lang.String()
		}
		u.Props = append(u.Props, p)
	}
	for _, i := range terms {
		term, x := &e.Terms[i], &e.extra[i]
		if term.Status != corpora.TermUnspecified {
			add("term-status", term.Status.String(), term.Lang)
		}
		add("part-of-speech", term.PartOfSpeech, term.Lang)
		add("term-type", x.termType, term.Lang)
		add("grammatical-gender", x.gender, term.Lang)
		add("context", term.Context, term.Lang)
		add("source", term.Source, term.Lang)
		add("definition", term.Definition, term.Lang)
	}
	add("definition", e.Definition, language.Und)
	return u
}

// Sniff reports whether head, the first bytes of a file, look like TBX: an
// XML document whose root element is <martif> or <tbx>. head may be UTF-16
// or start with a byte order mark, and may end in the middle of a tag.
func Sniff(head []byte) bool {
	u, _, err := corpora.UTF8Reader(bytes.NewReader(head))
	if err != nil {
		return false
	}
	text, err := io.ReadAll(u)
	if err != nil && len(text) == 0 {
		return false
	}
	name := rootName(text)
	if i := bytes.IndexByte(name, ':'); i >= 0 {
		name = name[i+1:]
	}
	return string(name) == "martif" || string(name) == "tbx"
}

// rootName returns the name of the first element in text, skipping the XML
// declaration, comments, processing instructions and a DOCTYPE, or nil.
func rootName(text []byte) []byte {
	for {
		text = bytes.TrimLeft(text, " \t\r\n")
		if len(text) < 2 || text[0] != '<' {
			return nil
		}
		var end int
		switch {
		case bytes.HasPrefix(text, []byte("<?")):
			if end = bytes.Index(text, []byte("?>")); end >= 0 {
				end++
			}
		case bytes.HasPrefix(text, []byte("<!--")):
			if end = bytes.Index(text, []byte("-->")); end >= 0 {
				end += 2
			}
		case bytes.HasPrefix(text, []byte("<!")):
			// A DOCTYPE may hold an internal subset in brackets.
			depth := 0
			end = -1
			for i, c := range text {
				if c == '[' {
					depth++
				} else if c == ']' {
					depth--
				} else if c == '>' && depth <= 0 {
					end = i
					break
				}
			}
		default:
			name := text[1:]
			if i := bytes.IndexAny(name, " \t\r\n/>"); i >= 0 {
				name = name[:i]
			}
			return name
		}
		if end < 0 {
			return nil
		}
		text = text[end+1:]
	}
}
