package translate_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kgmem/kgmem/graph"
	"github.com/kgmem/kgmem/retrieval"
	"github.com/kgmem/kgmem/translate"
)

// TestLearnRoundTrip is the promise of learning: the very next translate
// uses an approved pair. A sentence the memory does not have is machine
// translated; once its approved translation is learned it comes back as an
// exact match with that translation, from the learned source.
func TestLearnRoundTrip(t *testing.T) {
	ctx := context.Background()
	mem := demoMemory(t)
	model := startModel(t, "memory")
	opts := translate.Options{SourceLang: "en", TargetLang: "es", Explain: true}

	const (
		src = "The quarterly report lives in the archive notebook."
		tgt = "El informe trimestral está en el cuaderno del archivo."
	)
	before := translateOne(t, translate.New(model, mem.memory(), opts), src)
	if before.Status != translate.StatusMachine || before.Translation == tgt {
		t.Fatalf("before learning: Translate(%q) = %q (%s), want a machine translation", src, before.Translation, before.Status)
	}

	sum, err := mem.learner().Learn(ctx, "en", "es", []translate.Pair{
		{Source: src, Target: tgt, Origin: "test"},
		{Source: "  ", Target: "nothing to learn"}, // skipped: no source
	})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Pairs != 2 || sum.Segments != 1 || sum.Superseded != 0 || sum.ModelAccepted != -1 {
		t.Errorf("Learn = %+v, want 2 pairs, 1 segment, nothing superseded, no model", sum)
	}
	// "notebook" → "cuaderno" is a known term translation the pair confirms.
	if sum.Labels == 0 {
		t.Errorf("Learn counted no term translations; the pair translates notebook as cuaderno")
	}
	if sum.Index == nil || sum.Index.Indexed != 1 || sum.Index.Rebuilt {
		t.Errorf("Learn index summary = %+v, want 1 segment indexed incrementally", sum.Index)
	}

	after := translateOne(t, translate.New(model, mem.memory(), opts), src)
	if after.Status != translate.StatusExact || after.Translation != tgt || after.Score != 100 {
		t.Fatalf("after learning: Translate(%q) = %q (%s %d), want %q (exact)", src, after.Translation, after.Status, after.Score, tgt)
	}
	if !after.Checks.PlaceholdersIntact || len(after.Checks.Problems) != 0 {
		t.Errorf("after learning: checks %+v", after.Checks)
	}
	if after.Memory == nil || len(after.Memory.Matches) == 0 {
		t.Fatalf("after learning: no match in the memory context")
	}
	if got, want := after.Memory.Matches[0].Origin, sum.Source+"#1"; got != want {
		t.Errorf("after learning: match origin %q, want %q", got, want)
	}
	if got := after.Memory.Matches[0].Status; got != "approved" {
		t.Errorf("after learning: match status %q, want approved", got)
	}

	// Learning the same pair again adds nothing new to translate with.
	if _, err := mem.learner().Learn(ctx, "en", "es", []translate.Pair{{Source: src, Target: tgt}}); err != nil {
		t.Fatal(err)
	}
	if again := translateOne(t, translate.New(model, mem.memory(), opts), src); again.Translation != tgt || again.Status != translate.StatusExact {
		t.Errorf("after learning twice: %q (%s)", again.Translation, again.Status)
	}
}

// TestLearnSupersedesTerm learns a new preferred translation of a term of
// the term base: the old preferred label is closed (valid_to set) and kept
// in the history, and the next translate uses the new one as the term
// constraint.
func TestLearnSupersedesTerm(t *testing.T) {
	ctx := context.Background()
	mem := demoMemory(t)
	ents, err := mem.store.EntitiesByLabel(ctx, "notebook", "en", true)
	if err != nil || len(ents) == 0 {
		t.Fatalf("EntitiesByLabel(notebook) = %v, %v; the demo glossary has it", ents, err)
	}
	notebook := ents[0].ID
	preferred := func(history bool) []graph.Fact {
		fs, err := mem.store.Facts(ctx, notebook, graph.FactQuery{Predicate: graph.PredLabel, Lang: "es", History: history})
		if err != nil {
			t.Fatal(err)
		}
		return slices.DeleteFunc(fs, func(f graph.Fact) bool { return f.Status != graph.StatusPreferred })
	}
	if fs := preferred(false); len(fs) != 1 || fs[0].Literal != "cuaderno" {
		t.Fatalf("preferred Spanish labels of notebook before learning = %+v, want cuaderno", fs)
	}

	start := time.Now()
	sum, err := mem.learner().Learn(ctx, "en", "es", []translate.Pair{{Source: "notebook", Target: "bloc", Origin: "test"}})
	if err != nil {
		t.Fatal(err)
	}
	end := time.Now()
	if sum.Superseded != 1 {
		t.Errorf("Learn(notebook → bloc).Superseded = %d, want 1", sum.Superseded)
	}

	if fs := preferred(false); len(fs) != 1 || fs[0].Literal != "bloc" || !fs[0].ValidTo.IsZero() {
		t.Errorf("current preferred labels after learning = %+v, want bloc, valid", fs)
	}
	var old, next *graph.Fact
	hist := preferred(true)
	for i := range hist {
		switch hist[i].Literal {
		case "cuaderno":
			old = &hist[i]
		case "bloc":
			next = &hist[i]
		}
	}
	if old == nil || next == nil {
		t.Fatalf("history of the preferred labels = %+v, want cuaderno and bloc", hist)
	}
	if old.ValidTo.Before(start) || old.ValidTo.After(end) || old.Valid(end) {
		t.Errorf("superseded label %q: valid_to %v, want the time of learning (%v to %v)", old.Literal, old.ValidTo, start, end)
	}
	if !next.ValidTo.IsZero() || !next.ValidFrom.Equal(old.ValidTo) || !next.Valid(end) {
		t.Errorf("new label %q: valid %v to %v, want from %v on", next.Literal, next.ValidFrom, next.ValidTo, old.ValidTo)
	}

	// The next translate: the term constraint is the new translation, and
	// the echo of it by the memory model uses it.
	model := startModel(t, "memory")
	tr := translate.New(model, mem.memory(), translate.Options{SourceLang: "en", TargetLang: "es", Explain: true})
	r := translateOne(t, tr, "Rename the notebook quickly now")
	var term string
	for _, tm := range r.Memory.Terms {
		if tm.Source == "notebook" {
			term = tm.Target
			if !tm.Required {
				t.Errorf("term notebook → %s is not required", tm.Target)
			}
		}
	}
	if term != "bloc" {
		t.Errorf("term constraint for notebook = %q, want bloc (terms %+v)", term, r.Memory.Terms)
	}
	if !strings.Contains(r.Translation, "bloc") || strings.Contains(r.Translation, "cuaderno") {
		t.Errorf("Translate = %q, want it to use bloc, not cuaderno", r.Translation)
	}
	if r.Checks.TermsRequired == 0 || r.Checks.TermsUsed != r.Checks.TermsRequired {
		t.Errorf("checks = %+v, want every required term used", r.Checks)
	}

	// Learning the same preferred translation again supersedes nothing.
	sum, err = mem.learner().Learn(ctx, "en", "es", []translate.Pair{{Source: "notebook", Target: "bloc"}})
	if err != nil || sum.Superseded != 0 {
		t.Errorf("Learn(notebook → bloc) again = %+v, %v; want nothing superseded", sum, err)
	}
}

// TestLearnForgetsCachedTerms learns a new preferred translation while a
// memory that has already read the term is in use, as a long-running
// translator (or `eval run --online`) does: told through Learner.Forget,
// the memory's next lookup uses the new translation.
func TestLearnForgetsCachedTerms(t *testing.T) {
	ctx := context.Background()
	mem := demoMemory(t)
	im := mem.memory()
	tr := translate.New(startModel(t, "memory"), im, translate.Options{SourceLang: "en", TargetLang: "es", Explain: true})
	term := func() string {
		r := translateOne(t, tr, "Rename the notebook quickly now")
		for _, tm := range r.Memory.Terms {
			if tm.Source == "notebook" {
				return tm.Target
			}
		}
		return ""
	}
	if got := term(); got != "cuaderno" {
		t.Fatalf("term for notebook before learning = %q, want cuaderno", got)
	}
	l := mem.learner()
	l.Forget = []translate.Forgetter{im}
	if _, err := l.Learn(ctx, "en", "es", []translate.Pair{{Source: "notebook", Target: "bloc", Origin: "test"}}); err != nil {
		t.Fatal(err)
	}
	if got := term(); got != "bloc" {
		t.Errorf("term for notebook after learning = %q, want bloc", got)
	}
}

// failingStore is a store whose entities cannot be read: Entity returns
// err, or the context's error once it is cancelled. Every other read finds
// nothing and every write succeeds.
type failingStore struct {
	graph.Store // nil: Learn must not need the other methods
	err         error
	entityReads int
}

func (s *failingStore) Entity(ctx context.Context, id string) (graph.Entity, error) {
	s.entityReads++
	if err := ctx.Err(); err != nil {
		return graph.Entity{}, err
	}
	return graph.Entity{}, s.err
}

func (s *failingStore) EntitiesByLabel(context.Context, string, string, bool) ([]graph.Entity, error) {
	return nil, nil
}
func (s *failingStore) SetSourceState(context.Context, graph.SourceState) error { return nil }
func (s *failingStore) Upsert(context.Context, *graph.Batch) error              { return nil }

// oneSpan spots "notebook" in every sentence as the entity term:notebook.
type oneSpan struct{}

func (oneSpan) Spot(text string) []retrieval.Span {
	i := strings.Index(text, "notebook")
	if i < 0 {
		return nil
	}
	return []retrieval.Span{{Start: i, End: i + len("notebook"), Text: "notebook", Type: graph.TypeTerm,
		Entities: []retrieval.EntityRef{{ID: "term:notebook", Type: graph.TypeTerm, Label: "notebook"}}}}
}

// TestLearnStoreErrors: a store that fails to read a spotted entity, or a
// cancelled context, fails Learn instead of learning less in silence. An
// entity that is not found (deleted since it was indexed) is skipped.
func TestLearnStoreErrors(t *testing.T) {
	pairs := []translate.Pair{{Source: "Open the notebook", Target: "Abra el cuaderno"}}
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	ioErr := errors.New("read graph.db: input/output error")
	tests := []struct {
		name    string
		ctx     context.Context
		err     error
		wantErr error // nil: Learn succeeds
	}{
		{"I/O error", context.Background(), ioErr, ioErr},
		{"cancelled", cancelled, nil, context.Canceled},
		{"not found", context.Background(), fmt.Errorf("entity term:notebook: %w", graph.ErrNotFound), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			store := &failingStore{err: tt.err}
			l := &translate.Learner{Store: store, Spotter: func(string) translate.Spotter { return oneSpan{} }}
			sum, err := l.Learn(tt.ctx, "en", "es", pairs)
			if tt.wantErr == nil {
				if err != nil || sum.Segments != 1 {
					t.Fatalf("Learn = %+v, %v; want 1 segment, no error", sum, err)
				}
				if store.entityReads != 1 {
					t.Errorf("Learn read %d entities, want 1", store.entityReads)
				}
				return
			}
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Learn error = %v, want %v", err, tt.wantErr)
			}
		})
	}
}

// TestLearnKeepsSettledTranslation: an approved pair of a bare term is a
// term decision only where the memory has not settled on another
// translation. Against a translation seen minSettled times or more it is
// one more use of the term (Contested), not the new preferred one; a
// translation seen once gives way to it; a source in capitals (a function
// name, a constant) is not the lower-case term at all.
func TestLearnKeepsSettledTranslation(t *testing.T) {
	ctx := context.Background()
	mem := demoMemory(t)
	term := func(key, label, translation string, count int) string {
		id := graph.EntityID(graph.TypeTerm, "en:"+key)
		b := &graph.Batch{Source: "settled.tmx",
			Entities: []graph.Entity{{ID: id, Type: graph.TypeTerm, Key: "en:" + key}},
			Facts: []graph.Fact{
				graph.NewLabel(id, label, "en", graph.StatusNone, 1, "settled.tmx", count, ""),
				graph.NewLabel(id, translation, "es", graph.StatusNone, 0.9, "settled.tmx", count, ""),
			}}
		if err := mem.store.Upsert(ctx, b); err != nil {
			t.Fatal(err)
		}
		return id
	}
	lines := term("lines", "lines", "líneas", 40)
	bin := term("wastebasket", "wastebasket", "cesto", 1)
	labels := func(id string) map[string]graph.Status {
		fs, err := mem.store.Facts(ctx, id, graph.FactQuery{Predicate: graph.PredLabel, Lang: "es"})
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]graph.Status{}
		for _, f := range fs {
			out[f.Literal] = f.Status
		}
		return out
	}

	tests := []struct {
		pair                  translate.Pair
		superseded, contested int
		id, preferred         string // the term's preferred label after, "" for none
	}{
		{translate.Pair{Source: "Lines", Target: "Renglones"}, 0, 1, lines, ""},
		{translate.Pair{Source: "LINES", Target: "RENGLONES"}, 0, 0, lines, ""},
		// The capital is the label's, not the term's: the term is "wastebasket".
		{translate.Pair{Source: "Wastebasket", Target: "Papelera"}, 1, 0, bin, "papelera"},
		// Agrees with the memory's translation: one more use of it, not
		// a term base's decision.
		{translate.Pair{Source: "Lines", Target: "Líneas"}, 0, 0, lines, ""},
	}
	for _, tt := range tests {
		sum, err := mem.learner().Learn(ctx, "en", "es", []translate.Pair{tt.pair})
		if err != nil {
			t.Fatal(err)
		}
		if sum.Superseded != tt.superseded || sum.Contested != tt.contested {
			t.Errorf("Learn(%q → %q): superseded %d, contested %d; want %d, %d",
				tt.pair.Source, tt.pair.Target, sum.Superseded, sum.Contested, tt.superseded, tt.contested)
		}
		var preferred []string
		for text, st := range labels(tt.id) {
			if st == graph.StatusPreferred {
				preferred = append(preferred, text)
			}
		}
		if want := []string{tt.preferred}; (tt.preferred == "" && len(preferred) != 0) || (tt.preferred != "" && !slices.Equal(preferred, want)) {
			t.Errorf("after Learn(%q → %q): preferred labels %q, want %q", tt.pair.Source, tt.pair.Target, preferred, tt.preferred)
		}
	}
}
