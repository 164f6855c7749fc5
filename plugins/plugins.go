// Package plugins is kgmem's contract with translation models: the Model
// interface a model implements, and the requests and responses that carry,
// with each sentence, the memory kgmem found for it.
//
// Models run as separate processes spoken to over gRPC with HashiCorp
// go-plugin; the wire protocol is proto/kgmem/model/v1/model.proto. Start
// with Model. A third-party model in Go implements Model and calls
// plugins/sdk.Serve; kgmem runs models with plugins/host. The built-in
// models (memory, apertium, openai) live under plugins/builtin.
package plugins

import (
	"context"
	"errors"
	"fmt"

	"github.com/kgmem/kgmem/langtag"
)

//go:generate sh proto/generate.sh

// ProtocolVersion is the major version of the model protocol, sent in the
// go-plugin handshake. It equals the protocol_version line of model.proto;
// minor changes to the protocol are additive and keep it.
const ProtocolVersion = 1

// Versions of the code generators the committed protobuf code was made
// with; `go generate` must use the same to keep the code unchanged.
const (
	ProtocGenGoVersion     = "v1.36.12"
	ProtocGenGoGRPCVersion = "v1.3.0"
)

// ExecutablePrefix starts the file name of every third-party model in the
// plugin directory: kgmem-model-NAME.
const ExecutablePrefix = "kgmem-model-"

// ErrUnimplemented is returned by the host for an optional method the model
// does not implement (it answered gRPC UNIMPLEMENTED).
var ErrUnimplemented = errors.New("not implemented by the model")

// Model is a translation model. Implementations must be safe for
// concurrent use: the host may send several batches at once.
type Model interface {
	// Describe says what the model is and what it can use.
	Describe(ctx context.Context, req *DescribeRequest) (*DescribeResponse, error)
	// Translate translates a batch, returning one Result per Item, in order.
	Translate(ctx context.Context, req *TranslateRequest) (*TranslateResponse, error)
}

// Learner is implemented by a Model that adapts to approved translations.
// It is optional.
type Learner interface {
	Learn(ctx context.Context, req *LearnRequest) (*LearnResponse, error)
}

// DescribeRequest asks a model to describe itself. It has no fields yet.
type DescribeRequest struct{}

// DescribeResponse describes a model.
type DescribeResponse struct {
	Name        string         `json:"name"`
	Version     string         `json:"version,omitempty"`
	Description string         `json:"description,omitempty"`
	Pairs       []LanguagePair `json:"pairs,omitempty"`
	// AnyPair is true when the model takes any language pair.
	AnyPair      bool         `json:"any_pair,omitempty"`
	Capabilities Capabilities `json:"capabilities"`
}

// Supports reports whether the model translates from source to target
// (BCP-47 tags, compared on their language subtag when the exact pair is
// not listed).
func (d *DescribeResponse) Supports(source, target string) bool {
	if d.AnyPair {
		return true
	}
	for _, p := range d.Pairs {
		if p.Source == source && p.Target == target {
			return true
		}
	}
	for _, p := range d.Pairs {
		if langtag.Base(p.Source) == langtag.Base(source) && langtag.Base(p.Target) == langtag.Base(target) {
			return true
		}
	}
	return false
}

// LanguagePair is a source and a target language (BCP-47 tags).
type LanguagePair struct {
	Source string `json:"source"`
	Target string `json:"target"`
}

// Capabilities say which parts of the memory a model uses.
type Capabilities struct {
	FuzzyMatches bool `json:"fuzzy_matches,omitempty"`
	Terms        bool `json:"terms,omitempty"`
	Facts        bool `json:"facts,omitempty"`
	Context      bool `json:"context,omitempty"`
	Learn        bool `json:"learn,omitempty"`
	// PreferredBatchSize is how many items the model wants per call; 0
	// lets the host choose.
	PreferredBatchSize int `json:"preferred_batch_size,omitempty"`
	// RegisterLanguages are the target languages (base subtags: "es") in
	// which the model follows TranslateRequest.Register.
	RegisterLanguages []string `json:"register_languages,omitempty"`
}

// TranslateRequest is a batch of items in one language pair.
type TranslateRequest struct {
	SourceLang string `json:"source_lang"`
	TargetLang string `json:"target_lang"`
	Items      []Item `json:"items"`
	// Register is the form of address the translations use where the
	// target language has several: RegisterFormal or RegisterInformal;
	// empty leaves it to the model. A model that cannot choose ignores it.
	Register string `json:"register,omitempty"`
}

// Registers of a TranslateRequest.
const (
	RegisterFormal   = "formal"   // Spanish usted, French vous, German Sie
	RegisterInformal = "informal" // tú, tu, du
)

// DefaultRegister is the register of a translation into lang whose
// request names none, where kgmem has one: software addresses its user
// as usted in Spanish. The built-in Apertium model writes it; the
// pipeline prefers the term translations that use it.
func DefaultRegister(lang string) string {
	if langtag.Base(lang) == "es" {
		return RegisterFormal
	}
	return ""
}

// CheckRegister returns an error for a register that is neither empty nor
// one of the two.
func CheckRegister(r string) error {
	switch r {
	case "", RegisterFormal, RegisterInformal:
		return nil
	}
	return fmt.Errorf("register %q: use %s or %s", r, RegisterFormal, RegisterInformal)
}

// Item is one segment to translate, with its memory.
type Item struct {
	// ID is chosen by the caller and echoed in the Result.
	ID string `json:"id"`
	// Source is the text. Inline codes are replaced by placeholders, each
	// listed in Placeholders, which a model copies unchanged.
	Source        string           `json:"source"`
	Placeholders  []string         `json:"placeholders,omitempty"`
	FuzzyMatches  []FuzzyMatch     `json:"fuzzy_matches,omitempty"`
	Terms         []TermConstraint `json:"terms,omitempty"`
	Facts         []Fact           `json:"facts,omitempty"`
	ContextBefore []string         `json:"context_before,omitempty"`
	ContextAfter  []string         `json:"context_after,omitempty"`
}

// FuzzyMatch is a translation-memory entry similar to the item's source.
type FuzzyMatch struct {
	Source string `json:"source"`
	Target string `json:"target"`
	// Score is the similarity in percent, 100 for an exact match.
	Score float64 `json:"score"`
	// Weight is the attention the host gives the match, 0 to 1.
	Weight float64 `json:"weight,omitempty"`
	Origin string  `json:"origin,omitempty"`
}

// Span is a half-open range of byte offsets into Item.Source.
type Span struct {
	Start int `json:"start"`
	End   int `json:"end"`
}

// TermConstraint is a source term and the translation the term base gives.
type TermConstraint struct {
	SourceSpan Span   `json:"source_span"`
	Source     string `json:"source"`
	Target     string `json:"target"`
	// Status is "preferred", "admitted", "deprecated", "forbidden" or "".
	Status string `json:"status,omitempty"`
	// Required is true when the translation must use Target.
	Required bool    `json:"required,omitempty"`
	Weight   float64 `json:"weight,omitempty"`
	EntityID string  `json:"entity_id,omitempty"`
	// Alternatives are other translations of the span that are accepted
	// too (a term base's admitted synonyms): a translation that uses one
	// of them honours the term.
	Alternatives []string `json:"alternatives,omitempty"`
	// CorrectsEngine is true when the memory has seen this model miss
	// Target, often, where its translators wrote it (kgmem learn
	// --engine): put it in even where the model's own word looks the same.
	CorrectsEngine bool `json:"corrects_engine,omitempty"`
	// Fragment is true when this is not a term but a phrase the memory's
	// approved translations share with the item and translate alike
	// (kgmem's sub-segment memory); EntityID and Status are then empty.
	// Reuse it as written: it is not a noun to inflect or reorder.
	Fragment bool `json:"fragment,omitempty"`
}

// Fact is a statement from kgmem's graph about something in the item.
type Fact struct {
	Subject   string  `json:"subject"`
	Predicate string  `json:"predicate"`
	Object    string  `json:"object"`
	Sentence  string  `json:"sentence,omitempty"`
	Weight    float64 `json:"weight,omitempty"`
}

// TranslateResponse holds one Result per Item, in the order of the items.
type TranslateResponse struct {
	Results []Result `json:"results"`
}

// Result is the translation of one Item.
type Result struct {
	ID          string `json:"id"`
	Translation string `json:"translation"`
	// Score is the model's confidence, 0 to 1, or nil when it has none.
	Score *float64 `json:"score,omitempty"`
	// HonouredTerms are indexes into Item.Terms the translation uses.
	HonouredTerms []int `json:"honoured_terms,omitempty"`
	// UsedMatch is the index into Item.FuzzyMatches of the memory match
	// the translation was built on (an exact match taken as it is, or a
	// fuzzy match repaired), -1 when the model translated without one, or
	// nil when the model does not say. The host labels a translation
	// fuzzy only when it was built on a match, so a model that says gets
	// honest labels; one that does not is labelled fuzzy whenever a
	// match good enough was offered.
	UsedMatch *int `json:"used_match,omitempty"`
}

// Used returns a UsedMatch value: i is an index into Item.FuzzyMatches,
// or NoMatch.
func Used(i int) *int { return &i }

// NoMatch is the UsedMatch index of a translation made without a match.
const NoMatch = -1

// LearnRequest gives a model approved translations.
type LearnRequest struct {
	SourceLang string            `json:"source_lang"`
	TargetLang string            `json:"target_lang"`
	Pairs      []TranslationPair `json:"pairs"`
}

// TranslationPair is an approved translation.
type TranslationPair struct {
	Source string `json:"source"`
	Target string `json:"target"`
	Origin string `json:"origin,omitempty"`
}

// LearnResponse says how many pairs the model took in.
type LearnResponse struct {
	Accepted int `json:"accepted"`
}
