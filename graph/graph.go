// Package graph is kgmem's knowledge graph: the entities and terms that occur
// in translated text, their labels and translations in every language, the
// facts that relate them, and the segments that mention them.
//
// Start with Store, the contract every graph store implements, and Batch,
// the unit of writing. Implementations live in subpackages: graph/embedded
// (the default: one file in the data directory) and graph/dgraph (a Dgraph
// cluster). graph/storetest is the conformance suite both pass; Open picks a
// store from a URI.
//
// Everything that is written carries provenance: the source file it came
// from. A file's contribution to a fact is replaced, not added, when the same
// file is written again, which makes writing idempotent, and DeleteSource
// removes exactly what one file said. Facts are never overwritten by newer
// knowledge: Supersede closes an old fact's validity and the old fact stays,
// visible in history.
package graph

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"time"
)

// Sentinel errors. Stores translate their backends' errors to these.
var (
	// ErrNotFound: no entity, fact or segment with that ID.
	ErrNotFound = errors.New("not found")
	// ErrConflict: a concurrent transaction won; the caller may retry.
	ErrConflict = errors.New("conflicting concurrent write")
	// ErrInvalid: the batch breaks the model's rules (an empty ID, a fact
	// without a subject…).
	ErrInvalid = errors.New("invalid graph data")
)

// EntityType is what kind of thing an entity is.
type EntityType string

const (
	TypeTerm        EntityType = "term"        // a word or multi-word term of the domain
	TypeName        EntityType = "name"        // a capitalised name not known to be more specific
	TypeProduct     EntityType = "product"     // a product or software name (CamelCase, ™)
	TypePerson      EntityType = "person"      //
	TypeOrg         EntityType = "org"         //
	TypePlace       EntityType = "place"       //
	TypeNumber      EntityType = "number"      // a number, possibly with a unit
	TypeDate        EntityType = "date"        //
	TypeVersion     EntityType = "version"     // v1.2.3
	TypeURL         EntityType = "url"         //
	TypeEmail       EntityType = "email"       //
	TypePath        EntityType = "path"        // a file path
	TypeCode        EntityType = "code"        // an acronym or identifier kept as is
	TypePlaceholder EntityType = "placeholder" // %s, {0}, ${var}
	TypeDomain      EntityType = "domain"      // a subject area or gettext domain
	TypeEngine      EntityType = "engine"      // a model translating one language pair, whose output the memory corrects
)

// Status is the normative status of a label: what a term base says of a
// translation (preferred, admitted, deprecated), or StatusNone for one
// learned from parallel text. It is kgmem's one status of terms and
// translations, and Rank its one order; fusion's priors and every choice of
// a best translation derive from Rank. (The status of a translation-memory
// segment, "approved", "draft"…, is another thing: Segment.Status.)
type Status string

const (
	StatusNone       Status = ""
	StatusPreferred  Status = "preferred"
	StatusAdmitted   Status = "admitted"
	StatusDeprecated Status = "deprecated"
)

// The ranks of the statuses, best first.
const (
	RankPreferred  = 0
	RankAdmitted   = 1
	RankNone       = 2
	RankDeprecated = 3
)

// Rank orders statuses for choosing a translation, lower first: preferred
// (RankPreferred), admitted, none, deprecated. A status graph does not
// define ("forbidden", "superseded") ranks with deprecated: nothing says it
// is safe to use. Statuses are compared as written, in lowercase.
func (s Status) Rank() int {
	switch s {
	case StatusPreferred:
		return RankPreferred
	case StatusAdmitted:
		return RankAdmitted
	case StatusNone:
		return RankNone
	}
	return RankDeprecated
}

// Authoritative reports whether a term base vouches for a translation of
// this status: it is preferred or admitted (Rank below RankNone).
func (s Status) Authoritative() bool { return s.Rank() < RankNone }

// Barred reports whether a translation of this status must never be
// offered as a target: it is deprecated, or of a status graph does not
// define (Rank is RankDeprecated).
func (s Status) Barred() bool { return s.Rank() == RankDeprecated }

// Predicates of the facts kgmem writes. A store accepts any predicate; these
// are the ones the rest of kgmem reads.
const (
	// PredLabel: the entity is called Literal in Lang. Labels in the
	// source language name the entity; labels in another language are its
	// translations. Status, Count and Weight (alignment probability) apply.
	PredLabel = "label"
	// PredCooccurs: the entities occur in the same segments; Weight is the
	// positive pointwise mutual information, Count the segments.
	PredCooccurs = "cooccurs"
	// PredSubterm: the subject's label is contained in the object's
	// ("file" is a subterm of "file name").
	PredSubterm = "subterm_of"
	// PredVariant: the subject is an inflectional or case variant of the
	// object.
	PredVariant = "variant_of"
	// PredDomain: the entity is used in the domain (object: a TypeDomain
	// entity).
	PredDomain = "in_domain"
	// PredDefinition: Literal defines the entity (from a term base).
	PredDefinition = "definition"
	// PredPartOfSpeech: Literal is the entity's part of speech.
	PredPartOfSpeech = "part_of_speech"
	// PredEngineMissed: in Count pairs of the memory, the approved
	// translation renders the subject (a term) as Literal (in Lang) and
	// the engine Object (a TypeEngine entity, see EngineID), translating
	// the pair's source, did not write Literal: a correction the memory
	// makes of that engine.
	PredEngineMissed = "engine_missed"
	// PredEngineAgreed: as PredEngineMissed, for the pairs where the
	// engine did write Literal.
	PredEngineAgreed = "engine_agreed"
	// PredEnginePostEdit: the subject, a TypeEngine entity, wrote words
	// that the approved translations of Count pairs of the memory replace.
	// Literal is the words with their context and the replacement,
	// separated by a tab (see translate.PostEdit).
	PredEnginePostEdit = "engine_post_edit"
	// PredEngineSeen: the engine's output of Count pairs has the words
	// with context Literal (a post-edit's key).
	PredEngineSeen = "engine_phrase_seen"
	// PredEngineKept: of those, the approved translations of Count pairs
	// kept the words as the engine wrote them.
	PredEngineKept = "engine_phrase_kept"
)

// EngineID returns the ID of the TypeEngine entity of a model translating
// from sourceLang into targetLang.
func EngineID(model, sourceLang, targetLang string) string {
	return EntityID(TypeEngine, EngineKey(model, sourceLang, targetLang))
}

// EngineKey is the key of an engine entity: "apertium:en>es".
func EngineKey(model, sourceLang, targetLang string) string {
	return model + ":" + strings.ToLower(sourceLang) + ">" + strings.ToLower(targetLang)
}

// Source is one file's contribution to a fact or segment.
type Source struct {
	File  string   `json:"file"`
	Count int      `json:"count"`           // how many times the file said it
	Units []string `json:"units,omitempty"` // a sample of unit IDs (at most MaxSourceUnits)
	// Origin is who approved what a learn batch or a term edit wrote: the
	// file it was learned from, "api:KEY", "cli". Empty for build-graph's
	// files, which are their own origin.
	Origin string `json:"origin,omitempty"`
}

// MaxSourceUnits is how many unit IDs a Source keeps as examples.
const MaxSourceUnits = 8

// Entity is a thing or concept the graph knows. Its ID is derived from its
// type and key, so the same entity found in two files is one entity.
type Entity struct {
	ID   string     `json:"id"`
	Type EntityType `json:"type"`
	// Key is what identifies the entity within its type, usually its
	// source-language label normalised ("en:file").
	Key string `json:"key"`
	// Labels are the entity's current label facts, filled in by reads.
	Labels []Label `json:"labels,omitempty"`
}

// Label is a name or translation of an entity in one language: a view of a
// PredLabel fact.
type Label struct {
	Text   string  `json:"text"`
	Lang   string  `json:"lang"`
	Status Status  `json:"status,omitempty"`
	Count  int     `json:"count"`
	Weight float64 `json:"weight"`
}

// EntityID returns the stable ID of the entity with the given type and key.
func EntityID(t EntityType, key string) string {
	return "e" + hashID(string(t), key)
}

// Fact is a statement about an entity: a relation to another entity
// (Object) or a literal value (Literal in Lang). Its ID is derived from
// subject, predicate, object, literal and language, so the same statement
// from two files is one fact with two Sources.
type Fact struct {
	ID        string  `json:"id"`
	Subject   string  `json:"subject"`
	Predicate string  `json:"predicate"`
	Object    string  `json:"object,omitempty"`
	Literal   string  `json:"literal,omitempty"`
	Lang      string  `json:"lang,omitempty"`
	Status    Status  `json:"status,omitempty"`
	Weight    float64 `json:"weight"`
	// Count is the sum of the Sources' counts; stores compute it.
	Count   int      `json:"count"`
	Sources []Source `json:"sources,omitempty"`
	// ValidFrom is when the fact was first written (set by the store when
	// zero). ValidTo is when a newer fact superseded it; zero while valid.
	ValidFrom time.Time `json:"valid_from"`
	ValidTo   time.Time `json:"valid_to,omitzero"`
}

// FactID returns the stable ID of a fact.
func FactID(subject, predicate, object, literal, lang string) string {
	return "f" + hashID(subject, predicate, object, literal, strings.ToLower(lang))
}

// Valid reports whether the fact holds at time t.
func (f *Fact) Valid(t time.Time) bool {
	return !t.Before(f.ValidFrom) && (f.ValidTo.IsZero() || t.Before(f.ValidTo))
}

// Mention is a span of a segment's text that names an entity.
type Mention struct {
	Entity string `json:"entity"`
	Side   Side   `json:"side"`
	Start  int    `json:"start"` // byte offsets into the side's text
	End    int    `json:"end"`
}

// Side says which text of a segment a mention is in.
type Side string

const (
	SideSource Side = "source"
	SideTarget Side = "target"
)

// Segment is one translation unit in the graph: the system of record the
// search indexes are rebuilt from.
type Segment struct {
	ID         string `json:"id"`
	SourceLang string `json:"source_lang"`
	TargetLang string `json:"target_lang"`
	Source     string `json:"source"`
	Target     string `json:"target"`
	Domain     string `json:"domain,omitempty"`
	// Context is the key that told apart units with the same source in
	// the file the segment first came from (gettext msgctxt, XLIFF
	// resname, TMX context prop): an exact match in another context is
	// not exact.
	Context string    `json:"context,omitempty"`
	Status  string    `json:"status,omitempty"` // corpora.Status name
	Changed time.Time `json:"changed,omitzero"`
	// Prev and Next are the source texts of the neighbouring units in the
	// file, for in-context (101 %) matches.
	Prev     string    `json:"prev,omitempty"`
	Next     string    `json:"next,omitempty"`
	Mentions []Mention `json:"mentions,omitempty"`
	Sources  []Source  `json:"sources,omitempty"`
}

// SegmentID returns the stable ID of a segment: the same pair in the same
// languages is one segment wherever it occurs.
func SegmentID(sourceLang, targetLang, source, target string) string {
	return "s" + hashID(strings.ToLower(sourceLang), strings.ToLower(targetLang), source, target)
}

func hashID(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:12])
}

// Batch is a set of writes from one source file, applied atomically by
// Upsert. Facts and segments carry their contribution from that file in
// their Sources (one Source, File == Batch.Source); the store replaces that
// file's earlier contribution, so writing the same batch twice changes
// nothing.
type Batch struct {
	Source   string
	Entities []Entity
	Facts    []Fact
	Segments []Segment
}

// Len returns the number of items in the batch.
func (b *Batch) Len() int { return len(b.Entities) + len(b.Facts) + len(b.Segments) }

// FactQuery selects facts of an entity.
type FactQuery struct {
	// Predicate keeps only facts with this predicate; "" keeps all.
	Predicate string
	// Lang keeps only literal facts in languages it covers (a prefix match
	// on BCP-47 subtags: "es" covers "es-ES"); "" keeps all.
	Lang string
	// History includes superseded facts.
	History bool
	// Limit caps the number of facts returned (highest Count first, then
	// Weight); 0 means no limit.
	Limit int
}

// Neighbour is an entity linked to another by a fact, in either direction.
type Neighbour struct {
	Entity Entity `json:"entity"`
	Fact   Fact   `json:"fact"`
}

// Stats counts what a store holds.
type Stats struct {
	Segments int `json:"segments"`
	Entities int `json:"entities"`
	// Labels counts the current labels; ByPredicate counts every fact,
	// superseded ones included.
	Labels      int            `json:"labels"`
	Facts       int            `json:"facts"`
	ByPredicate map[string]int `json:"by_predicate"`
	Sources     int            `json:"sources"`
}

// SourceState records how far a source file has been written, so that a
// build killed halfway can tell on its next run that the file must be
// written again, and a finished file that has not changed can be skipped.
type SourceState struct {
	File     string    `json:"file"`
	Hash     string    `json:"hash"` // content hash of the file when written
	Units    int       `json:"units"`
	Complete bool      `json:"complete"`
	Updated  time.Time `json:"updated"`
}

// Store is a knowledge-graph store. Implementations are safe for concurrent
// use.
type Store interface {
	// Upsert applies a batch atomically and idempotently.
	Upsert(ctx context.Context, b *Batch) error
	// Entity returns the entity with the given ID, with its current labels,
	// or ErrNotFound.
	Entity(ctx context.Context, id string) (Entity, error)
	// EntitiesByLabel returns the entities with a current label equal to
	// text in a language lang covers ("es" covers "es-ES"). With fold, the
	// comparison ignores case (Unicode simple folding).
	EntitiesByLabel(ctx context.Context, text, lang string, fold bool) ([]Entity, error)
	// Facts returns the facts whose subject is the entity.
	Facts(ctx context.Context, entity string, q FactQuery) ([]Fact, error)
	// Neighbours returns the entities linked to the entity by a current
	// fact with an entity object, in either direction, highest weight
	// first, at most limit (0: all).
	Neighbours(ctx context.Context, entity string, limit int) ([]Neighbour, error)
	// Supersede closes the validity of fact old at next.ValidFrom (now, if
	// zero) and upserts next, attributed to source. The old fact stays and
	// is returned by Facts with History.
	Supersede(ctx context.Context, old string, next Fact, source string) error
	// DeleteSource removes everything the source file contributed: its
	// Sources entries, and the facts, segments and entities left with none.
	DeleteSource(ctx context.Context, file string) error
	// Segments calls fn for every segment, in ID order, until fn returns
	// an error.
	Segments(ctx context.Context, fn func(*Segment) error) error
	// Segment returns one segment or ErrNotFound.
	Segment(ctx context.Context, id string) (Segment, error)
	// SetSourceState records the state of a source file.
	SetSourceState(ctx context.Context, s SourceState) error
	// SourceStates returns the states of all source files, by file name.
	SourceStates(ctx context.Context) ([]SourceState, error)
	// Stats counts what the store holds.
	Stats(ctx context.Context) (Stats, error)
	// Close releases the store.
	Close() error
}

// ParallelWriter is implemented by a store that applies independent
// batches faster when several are in flight, such as a server that
// applies one batch while it receives the next. Batches are independent
// when no item is in two of them and every entity a fact refers to is
// already stored.
type ParallelWriter interface {
	// WriteParallelism is how many Upserts of independent batches to keep
	// in flight; 1 or less means one at a time.
	WriteParallelism() int
}
