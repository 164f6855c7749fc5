// Package metrics scores machine translation the way the field does, so
// that numbers kgmem reports can be compared with published ones: BLEU,
// chrF and chrF++ and TER computed exactly as sacreBLEU 2.x computes them by
// default, plus the measures that matter for a translation memory —
// terminology exact-match accuracy and consistency (WMT21 terminology task),
// placeholder and inline-tag survival, and TM leverage bands.
//
// Start with [CorpusBLEU], [CorpusChrF], [CorpusChrFPP] and [CorpusTER]:
// each takes the hypotheses and one or more reference sets, one string per
// hypothesis in each set (sacreBLEU's layout). [BLEU], [ChrF] and [TER] hold
// the non-default options; their zero values are sacreBLEU's defaults.
// [SentenceBLEU] is sacreBLEU's sentence_bleu (exponential smoothing with
// effective order).
//
// Terminology is measured by a [TermMatcher] built from a term list
// ([ReadTerms] reads TSV and CSV lists); placeholders by
// [PlaceholderAccuracy]; leverage by [Leverage].
//
// Everything here is pure computation over strings: no I/O except the
// readers [ReadSegments] and [ReadTerms], and every value is safe for
// concurrent use.
//
// Where sacreBLEU's behaviour is subtle it is reproduced, not improved:
// Python's notion of whitespace (which includes U+001C–U+001F), Python's
// full Unicode lowercasing, sacreBLEU's choice of the shortest of equally
// close reference lengths, its dropping of empty references when several are
// given, its error on a segment with no reference at all, and TER's
// tercom-style shift search with a beam of 25 and at most 1000 shift
// candidates per sentence.
package metrics

import "errors"

// Sentinel errors callers branch on.
var (
	// ErrNoSegments: there is nothing to score.
	ErrNoSegments = errors.New("no segments to score")
	// ErrLengthMismatch: hypotheses, references or sources differ in
	// number of segments.
	ErrLengthMismatch = errors.New("different numbers of segments")
	// ErrNoReference: a segment's references are all empty. sacreBLEU
	// refuses such a segment too ("Empty or None reference sentence found").
	ErrNoReference = errors.New("segment has no reference")
	// ErrBadOption: an option has a value the metric does not know.
	ErrBadOption = errors.New("bad metric option")
)

// implTag ends every signature in place of sacreBLEU's version key: these
// are reimplementations that reproduce sacreBLEU 2.x, not sacreBLEU itself.
const implTag = "impl:kgmem"
