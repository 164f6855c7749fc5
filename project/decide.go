package project

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/corpora/formats"
)

// decide finds a job's previous translation, reads what it needs of the
// job's files and sets its action.
func (p *Plan) decide(j *Job) {
	j.Prev = p.prevOf(j)
	if j.Format == formats.Text {
		p.decideText(j)
		return
	}
	src, err := readUnits(j.Source, j.Format, p.SourceLang, p.TargetLang)
	if err != nil {
		j.fail(err)
		return
	}
	if src.units == 0 {
		j.Action, j.Reason = Skip, "no messages to translate"
		return
	}
	if p.Retranslate || j.Prev == "" || j.Prev == j.Source {
		j.Action = Translate
		if !p.Retranslate && j.Prev == j.Source && src.missing == 0 && j.Prev == j.Out {
			j.Action, j.Reason = Skip, "translated"
		}
		j.Units, j.Words, j.Missing = src.units, src.words, src.missing
		if p.Retranslate {
			j.Missing = src.units
		}
		return
	}
	prev, err := readUnits(j.Prev, formats.FromName(j.Prev), p.SourceLang, p.TargetLang)
	if err != nil {
		j.fail(err)
		return
	}
	j.Units, j.Words, j.Missing = prev.units, prev.words, prev.missing
	absent := 0
	for k := range src.keys {
		if _, ok := prev.keys[k]; !ok {
			absent++
		}
	}
	switch {
	case absent == 0 && prev.missing == 0 && j.Prev == j.Out:
		j.Action, j.Reason = Skip, "translated"
	default:
		// What the translation there is lacks is translated; what it has
		// is kept, as it is.
		j.Action = Update
	}
	if absent > 0 {
		hint := "update it from its source first"
		if j.Format == formats.PO {
			hint = fmt.Sprintf("msgmerge --update %s %s first", j.Prev, j.Source)
		}
		j.Notes = append(j.Notes, fmt.Sprintf("%d units of %s are not in %s: %s, or translate it anew with --retranslate",
			absent, j.Source, j.Prev, hint))
	}
}

// decideText decides a plain-text job: a text translation holds no
// source to match units by, so it is translated when it is older than its
// source.
func (p *Plan) decideText(j *Job) {
	src, err := readUnits(j.Source, j.Format, p.SourceLang, p.TargetLang)
	if err != nil {
		j.fail(err)
		return
	}
	j.Units, j.Words, j.Missing = src.units, src.words, src.units
	j.Action = Translate
	if p.Retranslate || j.Prev == "" || !newer(j.Prev, j.Source) {
		return
	}
	j.Missing = 0
	if j.Prev == j.Out {
		j.Action, j.Reason = Skip, "translated (newer than its source)"
	} else {
		j.Action, j.Reason = Copy, "translated in the input tree"
	}
}

func (j *Job) fail(err error) {
	j.Action, j.Err, j.Reason = Fail, err, err.Error()
}

// prevOf returns the translation there is of a job: its output, or the
// file at the output's place in the input tree; "" when there is none.
func (p *Plan) prevOf(j *Job) string {
	if exists(j.Out) {
		return j.Out
	}
	if p.OmegaT != nil {
		return ""
	}
	rel, err := filepath.Rel(p.Out, j.Out)
	if err != nil {
		return ""
	}
	if in := p.inPath(filepath.ToSlash(rel)); in != j.Source && exists(in) {
		return in
	}
	return ""
}

func exists(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.Mode().IsRegular()
}

// newer reports whether file a was changed after file b.
func newer(a, b string) bool {
	sa, err := os.Stat(a)
	if err != nil {
		return false
	}
	sb, err := os.Stat(b)
	if err != nil {
		return false
	}
	return !sa.ModTime().Before(sb.ModTime())
}

// contents is what a plan reads of a file: its units, words and how many
// units have no translation, and the keys of the units (context and
// source) that are translated (true) or not (false).
type contents struct {
	units, words, missing int
	keys                  map[string]bool
}

// readUnits reads a file in a language pair, untranslated units too.
func readUnits(path string, format formats.Format, from, to language.Tag) (contents, error) {
	c := contents{keys: map[string]bool{}}
	f, err := formats.Open(path, formats.Options{Format: format, ReadOptions: corpora.ReadOptions{
		Name: path, SourceLang: from, TargetLang: to, Untranslated: true}})
	if err != nil {
		return c, err
	}
	defer f.Close()
	err = corpora.Each(context.Background(), f, func(u *corpora.Unit) error {
		c.units++
		c.words += unitWords(u)
		done := !u.Target.IsEmpty()
		if !done {
			c.missing++
		}
		c.keys[u.Context+"\x04"+u.Source.Plain()] = done
		return nil
	})
	if err != nil {
		return c, err
	}
	// A catalog may hold no message yet; other files without a unit in
	// the pair declare other languages.
	if c.units == 0 && format != formats.PO {
		return c, fmt.Errorf("%s: %w (%s to %s); check the languages the file declares", path, corpora.ErrNotBilingual, from, to)
	}
	return c, nil
}

// unitWords counts the source words of a unit, its plural too.
func unitWords(u *corpora.Unit) int {
	n := corpora.CountWords(u.Source.Plain())
	if g := u.Gettext; g != nil {
		n += corpora.CountWords(g.SourcePlural.Plain())
	}
	return n
}
