package memory

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/corpora/formats"
	"github.com/kgmem/kgmem/corpora/tbx"
	"github.com/kgmem/kgmem/graph"
	"github.com/kgmem/kgmem/internal/outfile"
)

// ExportFilter selects what an export writes. Empty fields select all.
type ExportFilter struct {
	// SourceLang and TargetLang keep the segments (and the term
	// translations) whose languages they cover ("es" covers "es-ES").
	SourceLang, TargetLang string
	// Origin keeps what came from a source whose name matches it: a file
	// name or path (a glob: "*.po", "learn:*", "api:*"), or a learn batch.
	Origin string
	// Status keeps segments with this status (approved, translated…).
	Status string
	// Since and Until keep segments changed in [Since, Until).
	Since, Until time.Time
}

// ExportSummary is what an export wrote.
type ExportSummary struct {
	Path    string `json:"path"`
	Format  string `json:"format"`
	Written int    `json:"written"`
	// Merged counts units the format keyed together (a PO file holds one
	// entry per source text).
	Merged int `json:"merged"`
}

// Provenance props an exported TMX unit carries.
const (
	PropSources = "x-kgmem-sources" // the files or learn batches the pair came from
	PropOrigins = "x-kgmem-origins" // who approved a learned pair (a file, api:KEY)
	PropSegment = "x-kgmem-segment" // the segment's ID in the graph
)

func (f ExportFilter) keepSources(srcs []graph.Source) bool {
	if f.Origin == "" {
		return true
	}
	for _, s := range srcs {
		if matchOrigin(f.Origin, s.File) || (s.Origin != "" && matchOrigin(f.Origin, s.Origin)) {
			return true
		}
	}
	return false
}

// matchOrigin reports whether a source name matches the filter: equal, a
// glob match of the name or of its base name.
func matchOrigin(pattern, name string) bool {
	if pattern == name {
		return true
	}
	if ok, _ := filepath.Match(pattern, name); ok {
		return true
	}
	ok, _ := filepath.Match(pattern, filepath.Base(name))
	return ok
}

func (f ExportFilter) keepSegment(sg *graph.Segment) bool {
	switch {
	case f.SourceLang != "" && !graph.LangCovers(f.SourceLang, sg.SourceLang):
	case f.TargetLang != "" && !graph.LangCovers(f.TargetLang, sg.TargetLang):
	case f.Status != "" && !strings.EqualFold(f.Status, sg.Status):
	case !f.Since.IsZero() && sg.Changed.Before(f.Since):
	case !f.Until.IsZero() && !sg.Changed.Before(f.Until):
	default:
		return f.keepSources(sg.Sources)
	}
	return false
}

// ExportTM writes the translation memory to path, in the format its
// extension names (TMX, TSV, CSV, XLIFF, PO; "-" is stdout with format).
// TMX units carry their status, change date and provenance (PropSources,
// PropOrigins, PropSegment) as props.
func (m *Memory) ExportTM(ctx context.Context, path string, format formats.Format, f ExportFilter) (ExportSummary, error) {
	sum := ExportSummary{Path: path}
	var segs []graph.Segment
	err := m.store.Segments(ctx, func(sg *graph.Segment) error {
		if f.keepSegment(sg) {
			segs = append(segs, *sg)
		}
		return nil
	})
	if err != nil {
		return sum, fmt.Errorf("export: read the segments: %w", err)
	}
	// The languages a file's header names: the filter's, or the first
	// segment's.
	from, to := tagOf(f.SourceLang), tagOf(f.TargetLang)
	if len(segs) > 0 {
		if from == language.Und {
			from = tagOf(segs[0].SourceLang)
		}
		if to == language.Und {
			to = tagOf(segs[0].TargetLang)
		}
	}
	w, err := formats.Create(path, formats.WriteOptions{Format: format, SourceLang: from, TargetLang: to, Original: "kgmem memory " + m.manifest.ID})
	if err != nil {
		return sum, err
	}
	sum.Format = string(w.Format)
	for i := range segs {
		if err := w.Write(exportUnit(&segs[i])); err != nil {
			w.Abort()
			return sum, fmt.Errorf("export to %s: %w", path, err)
		}
		sum.Written++
	}
	if err := w.Close(); err != nil {
		return sum, err
	}
	sum.Merged = w.Merged
	sum.Written -= w.Merged
	return sum, nil
}

func tagOf(s string) language.Tag {
	if s == "" {
		return language.Und
	}
	return language.Make(s)
}

// exportUnit is a segment as a translation unit with its provenance.
func exportUnit(sg *graph.Segment) *corpora.Unit {
	u := &corpora.Unit{
		SourceLang: tagOf(sg.SourceLang), TargetLang: tagOf(sg.TargetLang),
		Source: corpora.Text(sg.Source), Target: corpora.Text(sg.Target),
		ID: sg.ID, Domain: sg.Domain, Changed: sg.Changed,
	}
	if st, ok := corpora.ParseStatus(sg.Status); ok {
		u.Status = st
	}
	var files, origins []string
	for _, s := range sg.Sources {
		files = append(files, s.File)
		if s.Origin != "" {
			origins = append(origins, s.Origin)
		}
	}
	u.Props = append(u.Props, corpora.Prop{Type: PropSources, Value: strings.Join(files, " ")}, corpora.Prop{Type: PropSegment, Value: sg.ID})
	if len(origins) > 0 {
		u.Props = append(u.Props, corpora.Prop{Type: PropOrigins, Value: strings.Join(origins, " ")})
	}
	return u
}

// termStatus maps a label's status to the term base's.
func termStatus(s graph.Status) corpora.TermStatus {
	switch s {
	case graph.StatusPreferred:
		return corpora.TermPreferred
	case graph.StatusAdmitted:
		return corpora.TermAdmitted
	case graph.StatusDeprecated:
		return corpora.TermDeprecated
	}
	return corpora.TermUnspecified
}

// TermEntries calls fn with every term of the graph as a term-base entry:
// its labels in the filter's languages with their statuses; a superseded
// label is a deprecated term whose note says when it was superseded.
// Only terms with a label in the source and the target language (when
// the filter names them) are given.
func (m *Memory) TermEntries(ctx context.Context, f ExportFilter, fn func(*corpora.TermEntry) error) error {
	l, ok := m.store.(graph.Lister)
	if !ok {
		return fmt.Errorf("export terms: the graph store cannot list its entities")
	}
	var ids []string
	err := l.EachEntity(ctx, func(e *graph.Entity) error {
		if e.Type == graph.TypeTerm {
			ids = append(ids, e.ID)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, id := range ids {
		e, ok, err := m.termEntry(ctx, id, f)
		if err != nil {
			return err
		}
		if ok {
			if err := fn(e); err != nil {
				return err
			}
		}
	}
	return nil
}

// termEntry is one entity as a term-base entry; false when the filter
// leaves it out.
func (m *Memory) termEntry(ctx context.Context, id string, f ExportFilter) (*corpora.TermEntry, bool, error) {
	facts, err := m.store.Facts(ctx, id, graph.FactQuery{History: true})
	if err != nil {
		return nil, false, err
	}
	e := &corpora.TermEntry{ID: id}
	hasSrc, hasTgt, kept := f.SourceLang == "", f.TargetLang == "", false
	sort.SliceStable(facts, func(i, j int) bool { return facts[i].ValidFrom.Before(facts[j].ValidFrom) })
	for _, fc := range facts {
		switch {
		case fc.Predicate == graph.PredDefinition && fc.ValidTo.IsZero():
			e.Definition = fc.Literal
			continue
		case fc.Predicate != graph.PredLabel:
			continue
		}
		src := f.SourceLang != "" && graph.LangCovers(f.SourceLang, fc.Lang)
		tgt := f.TargetLang != "" && graph.LangCovers(f.TargetLang, fc.Lang)
		if f.SourceLang != "" && f.TargetLang != "" && !src && !tgt {
			continue
		}
		t := corpora.Term{Lang: tagOf(fc.Lang), Text: fc.Literal, Status: termStatus(fc.Status)}
		if !fc.ValidTo.IsZero() {
			t.Status = corpora.TermDeprecated
			t.Note = "superseded " + fc.ValidTo.UTC().Format(time.RFC3339)
		}
		var files []string
		for _, s := range fc.Sources {
			files = append(files, s.File)
		}
		t.Source = strings.Join(files, " ")
		hasSrc, hasTgt = hasSrc || src, hasTgt || tgt
		kept = kept || f.keepSources(fc.Sources)
		e.Terms = append(e.Terms, t)
	}
	return e, hasSrc && hasTgt && kept && len(e.Terms) > 0, nil
}

// ExportTerms writes the term base to path: TBX (TBX-Basic with statuses
// and the superseded history), or a CSV or tab glossary (preferred and
// admitted translations, one row per pair).
func (m *Memory) ExportTerms(ctx context.Context, path string, format formats.Format, f ExportFilter) (ExportSummary, error) {
	if format == formats.Auto {
		format = formats.FromName(path)
	}
	if format == formats.TBX {
		return m.exportTBX(ctx, path, f)
	}
	from, to := tagOf(f.SourceLang), tagOf(f.TargetLang)
	if from == language.Und || to == language.Und {
		return ExportSummary{Path: path}, invalidf("a glossary has one language pair: give the source and target languages")
	}
	w, err := formats.Create(path, formats.WriteOptions{Format: format, SourceLang: from, TargetLang: to})
	if err != nil {
		return ExportSummary{Path: path}, err
	}
	sum := ExportSummary{Path: path, Format: string(w.Format)}
	err = m.TermEntries(ctx, f, func(e *corpora.TermEntry) error {
		for _, s := range usable(e, from) {
			for _, t := range usable(e, to) {
				u := &corpora.Unit{SourceLang: from, TargetLang: to, Source: corpora.Text(s.Text), Target: corpora.Text(t.Text), ID: e.ID}
				u.Props = []corpora.Prop{{Type: "term-status", Value: t.Status.String()}}
				if err := w.Write(u); err != nil {
					return err
				}
				sum.Written++
			}
		}
		return nil
	})
	if err != nil {
		w.Abort()
		return sum, err
	}
	if err := w.Close(); err != nil {
		return sum, err
	}
	sum.Merged = w.Merged
	sum.Written -= w.Merged
	return sum, nil
}

// usable returns the current, not deprecated terms of an entry in lang.
func usable(e *corpora.TermEntry, lang language.Tag) []corpora.Term {
	var out []corpora.Term
	for _, t := range e.TermsIn(lang) {
		if t.Status != corpora.TermDeprecated {
			out = append(out, t)
		}
	}
	return out
}

// exportTBX writes the term base as TBX-Basic.
func (m *Memory) exportTBX(ctx context.Context, path string, f ExportFilter) (ExportSummary, error) {
	sum := ExportSummary{Path: path, Format: string(formats.TBX)}
	out, err := outfile.Create(path)
	if err != nil {
		return sum, err
	}
	tw, err := tbx.NewWriter(out, tbx.WriterOptions{Lang: tagOf(f.SourceLang), Description: "kgmem memory " + m.manifest.ID})
	if err != nil {
		out.Abort()
		return sum, err
	}
	err = m.TermEntries(ctx, f, func(e *corpora.TermEntry) error {
		sum.Written++
		return tw.WriteTerm(e)
	})
	if err == nil {
		err = tw.Close()
	}
	if err != nil {
		out.Abort()
		return sum, fmt.Errorf("export to %s: %w", path, err)
	}
	return sum, out.Commit()
}

// Export writes the translation memory (ExportTM) or, with terms, the
// term base (ExportTerms).
func (m *Memory) Export(ctx context.Context, path string, format formats.Format, terms bool, f ExportFilter) (ExportSummary, error) {
	if terms {
		return m.ExportTerms(ctx, path, format, f)
	}
	return m.ExportTM(ctx, path, format, f)
}
