package retrieval

import (
	"sort"
	"strconv"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	unitok "github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/whitespace"
	"github.com/blevesearch/bleve/v2/mapping"
	index "github.com/blevesearch/bleve_index_api"

	"github.com/kgmem/kgmem/analysis"
	"github.com/kgmem/kgmem/langtag"
)

// indexedLangs are the languages with a field of their own in the
// indexes, analysed with the language's analyser. Text in any other
// language goes to the "und" fields, analysed with Bleve's standard
// analyser.
var indexedLangs = []string{"en", "es", "de", "fr", "it", "pt", "nl", "ru", "zh", "ja", "ko", "und"}

// fieldLang returns the language suffix of the fields a text in lang is
// indexed in.
func fieldLang(lang string) string {
	b := langtag.Base(lang)
	for _, l := range indexedLangs {
		if l == b {
			return b
		}
	}
	return "und"
}

// Field names. Analysed text fields carry the language suffix.
const (
	fSource     = "src_" // + lang: the source words, language analyser (concordance)
	fTarget     = "tgt_" // + lang: the target text, language analyser (concordance)
	fSourceLang = "sl"   // base source language (keyword)
	fTargetLang = "tl"   // base target language (keyword)
	fHash       = "h"    // exactKey of the source (keyword): the 100 % fast path
	fWords      = "w_"   // + length bucket: the lexical keys Similarity compares, stop words kept (candidates)
	fAllWords   = "wa"   // the lexical keys again, all lengths in one field; no longer read (see docs/retrieval.md)
	fNorm       = "n"    // normKey of the source (keyword): texts alike but for case, punctuation, numbers…
	fFile       = "f"    // the source files the segment came from (keyword)
	fData       = "d"    // stored record (record.encode), not indexed
	fLabel      = "lab_" // + lang: entity labels, language analyser
	fName       = "nm_"  // + lang: entity labels, words lowercased, for fuzzy lookup
	fExact      = "ex_"  // + lang: folded whole labels (keyword)
	fType       = "type" // entity type (keyword)
	wordsName   = "kgmem_words"
	keysName    = "kgmem_keys"
	scoringBM25 = index.BM25Scoring
)

// tmMapping is the mapping of the translation-memory index: one document
// per segment, ID = segment ID.
func tmMapping() *mapping.IndexMappingImpl {
	m := bleve.NewIndexMapping()
	m.ScoringModel = scoringBM25
	m.StoreDynamic = false
	m.IndexDynamic = false
	m.DocValuesDynamic = false
	// The keys are already tokens: lowercased words, and placeholders and
	// numbers by kind. Splitting at spaces is all their analysis.
	if err := m.AddCustomAnalyzer(keysName, map[string]any{
		"type":      custom.Name,
		"tokenizer": whitespace.Name,
	}); err != nil {
		panic("retrieval: keys analyser: " + err.Error())
	}
	doc := bleve.NewDocumentStaticMapping()
	for b := range lengthBuckets {
		doc.AddFieldMappingsAt(wordsField(b), textField(keysName))
	}
	doc.AddFieldMappingsAt(fAllWords, textField(keysName))
	for _, l := range indexedLangs {
		an := analysis.For(l).Name
		doc.AddFieldMappingsAt(fSource+l, textField(an))
		doc.AddFieldMappingsAt(fTarget+l, textField(an))
	}
	doc.AddFieldMappingsAt(fNorm, keywordField())
	doc.AddFieldMappingsAt(fSourceLang, keywordField())
	doc.AddFieldMappingsAt(fTargetLang, keywordField())
	doc.AddFieldMappingsAt(fHash, keywordField())
	doc.AddFieldMappingsAt(fFile, keywordField())
	doc.AddFieldMappingsAt(fData, storedField())
	m.DefaultMapping = doc
	return m
}

// entityMapping is the mapping of the entity index: one document per
// entity, ID = entity ID, with its labels per language.
func entityMapping() *mapping.IndexMappingImpl {
	m := bleve.NewIndexMapping()
	m.ScoringModel = scoringBM25
	m.StoreDynamic = false
	m.IndexDynamic = false
	m.DocValuesDynamic = false
	// Fuzzy lookup of names compares the words as written (lowercased),
	// not stems: FuzzyQuery terms are not analysed.
	if err := m.AddCustomAnalyzer(wordsName, map[string]any{
		"type":          custom.Name,
		"tokenizer":     unitok.Name,
		"token_filters": []string{lowercase.Name},
	}); err != nil {
		panic("retrieval: words analyser: " + err.Error())
	}
	doc := bleve.NewDocumentStaticMapping()
	for _, l := range indexedLangs {
		doc.AddFieldMappingsAt(fLabel+l, textField(analysis.For(l).Name))
		doc.AddFieldMappingsAt(fName+l, textField(wordsName))
		doc.AddFieldMappingsAt(fExact+l, keywordField())
	}
	doc.AddFieldMappingsAt(fType, keywordField())
	doc.AddFieldMappingsAt(fData, storedField())
	m.DefaultMapping = doc
	return m
}

func textField(analyzer string) *mapping.FieldMapping {
	f := bleve.NewTextFieldMapping()
	f.Analyzer = analyzer
	f.Store = false
	f.IncludeTermVectors = false
	f.IncludeInAll = false
	f.DocValues = false
	return f
}

func keywordField() *mapping.FieldMapping {
	f := bleve.NewKeywordFieldMapping()
	f.Store = false
	f.IncludeTermVectors = false
	f.IncludeInAll = false
	f.DocValues = false
	return f
}

func storedField() *mapping.FieldMapping {
	f := bleve.NewTextFieldMapping()
	f.Index = false
	f.Store = true
	f.IncludeTermVectors = false
	f.IncludeInAll = false
	f.DocValues = false
	return f
}

// lengthBuckets are the ranges of source length (in tokens, as Similarity
// counts them) that have a source field of their own: bucket b holds
// lengths lengthBuckets[b] to lengthBuckets[b+1]-1. A lookup searches only
// the buckets that can hold a match of its minimum score (the score is at
// most 100·min(n,m)/max(n,m)), which keeps long segments that share words
// with a short query from crowding out the short ones that match it.
var lengthBuckets = []int{0, 1, 2, 3, 4, 5, 7, 9, 12, 16, 22, 30, 42, 59, 83, 117}

// bucketOf returns the length bucket of a source of n tokens.
func bucketOf(n int) int {
	b := sort.SearchInts(lengthBuckets, n+1) - 1
	return max(b, 0)
}

// bucketsFor returns the buckets a query of n tokens must search to find
// every match scoring at least minScore.
func bucketsFor(n, minScore int) (lo, hi int) {
	if n == 0 {
		return 0, 0
	}
	minLen := (n*minScore + 99) / 100
	maxLen := len(lengthBuckets) * 1000 // unbounded
	if minScore > 0 {
		maxLen = n * 100 / minScore
	}
	return bucketOf(minLen), bucketOf(maxLen)
}

// wordsField is the field of the lexical keys of a bucket.
func wordsField(bucket int) string {
	return fWords + strconv.Itoa(bucket)
}
