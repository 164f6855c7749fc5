package qa

import (
	"fmt"
	"slices"

	"golang.org/x/text/language"
)

// LengthBucket bounds the ratio of target to source length, in
// characters, for sources of From to To characters (To 0: no upper
// limit).
type LengthBucket struct {
	From int     `json:"from"`
	To   int     `json:"to"`
	Min  float64 `json:"min"`
	Max  float64 `json:"max"`
}

// LengthBounds are the length check's bounds for one language pair: a
// target is an outlier when its length divided by the source's is below
// Min or above Max of the bucket of the source's length. Short sources
// swing widely ("OK" → "Aceptar") and get wider bounds; sources shorter
// than the first bucket are not checked.
type LengthBounds struct {
	Pair    string         `json:"pair"` // "en-es"
	Buckets []LengthBucket `json:"buckets"`
	// Measured says whether the bounds come from a memory of the pair
	// (see MeasureLengths) or are the wide default.
	Measured bool `json:"measured"`
}

// Bucket returns the bucket of a source of ls characters.
func (b LengthBounds) Bucket(ls int) (LengthBucket, bool) {
	for _, k := range b.Buckets {
		if ls >= k.From && (k.To == 0 || ls <= k.To) {
			return k, true
		}
	}
	return LengthBucket{}, false
}

// LengthLimits are the bounds of every language pair the length check
// knows, and the bounds of the others.
type LengthLimits struct {
	// Pairs maps "source-target" language subtags ("en-es") to bounds.
	Pairs map[string]LengthBounds
	// Default is for the other pairs.
	Default LengthBounds
}

// LengthTail is the share of a memory's pairs that the measured bounds
// leave outside at each end of every bucket: 0.1 % below Min, 0.1 %
// above Max.
const LengthTail = 0.001

// lengthEdges are the source lengths at which measured buckets start.
var lengthEdges = []int{4, 11, 21, 41, 81}

// DefaultLengths returns the bounds kgmem ships. English→Spanish is
// measured on the shared gettext memory (48,076 software strings of
// Debian's catalogs) with MeasureLengths and LengthTail. Other pairs get
// wide bounds for sources of more than 20 characters, which only catch a
// target cut to a quarter of the source or four times as long; measure
// a memory of the pair for better ones.
func DefaultLengths() *LengthLimits {
	return &LengthLimits{
		Pairs: map[string]LengthBounds{
			"en-es": {Pair: "en-es", Measured: true, Buckets: []LengthBucket{
				{From: 4, To: 10, Min: 0.5, Max: 4.5},
				{From: 11, To: 20, Min: 0.545, Max: 3.364},
				{From: 21, To: 40, Min: 0.7, Max: 2.357},
				{From: 41, To: 80, Min: 0.732, Max: 2.071},
				{From: 81, Min: 0.71, Max: 1.917},
			}},
		},
		Default: LengthBounds{Pair: "*", Buckets: []LengthBucket{{From: 21, Min: 0.25, Max: 4}}},
	}
}

// Bounds returns the bounds of a language pair.
func (l *LengthLimits) Bounds(src, tgt language.Tag) LengthBounds {
	sb, _ := src.Base()
	tb, _ := tgt.Base()
	key := sb.String() + "-" + tb.String()
	if b, ok := l.Pairs[key]; ok {
		return b
	}
	b := l.Default
	b.Pair = key
	return b
}

// MeasureLengths returns the bounds that leave the share tail of a
// memory's pairs below Min and the same share above Max, in each bucket
// of source length (4–10, 11–20, 21–40, 41–80, 81 and more
// characters). lengths holds the source and target length, in
// characters, of each pair; pairs with an empty side are left out. Every
// bucket needs enough pairs that its tails hold at least one: 1/tail.
func MeasureLengths(pair string, lengths [][2]int, tail float64) (LengthBounds, error) {
	b := LengthBounds{Pair: pair, Measured: true}
	if tail <= 0 || tail >= 0.5 {
		return b, fmt.Errorf("measure lengths of %s: tail %g is not between 0 and 0.5", pair, tail)
	}
	for i, from := range lengthEdges {
		to := 0
		if i+1 < len(lengthEdges) {
			to = lengthEdges[i+1] - 1
		}
		var rs []float64
		for _, l := range lengths {
			if l[0] >= from && (to == 0 || l[0] <= to) && l[1] > 0 {
				rs = append(rs, float64(l[1])/float64(l[0]))
			}
		}
		if float64(len(rs)) < 1/tail {
			span := fmt.Sprintf("%d to %d", from, to)
			if to == 0 {
				span = fmt.Sprintf("%d or more", from)
			}
			return b, fmt.Errorf("measure lengths of %s: %d pairs with sources of %s characters; at least %.0f are needed", pair, len(rs), span, 1/tail)
		}
		slices.Sort(rs)
		b.Buckets = append(b.Buckets, LengthBucket{From: from, To: to,
			Min: rs[int(tail*float64(len(rs)))], Max: rs[min(len(rs)-1, int((1-tail)*float64(len(rs))))]})
	}
	return b, nil
}
