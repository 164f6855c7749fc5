package metrics

import "math"

// LeverageBand is one band of a translation-memory leverage analysis.
type LeverageBand struct {
	Band     string  `json:"band"` // "100", "95-99", …, "no match"
	Segments int     `json:"segments"`
	Share    float64 `json:"share"` // percent of all segments
}

// leverageBands are the usual CAT-tool bands, by lowest whole percentage.
var leverageBands = []struct {
	name string
	min  float64
}{
	{"100", 100}, {"95-99", 95}, {"85-94", 85}, {"75-84", 75}, {"50-74", 50}, {"no match", math.Inf(-1)},
}

// Leverage sorts segments into TM leverage bands by the score (0–100) of
// each one's best memory match: 100, 95–99, 85–94, 75–84, 50–74 and no
// match (below 50, negative or NaN for no match at all). Scores are
// truncated to whole percentages first, so 99.9 is a 95–99 match, not an
// exact one. All six bands are returned, in that order.
func Leverage(scores []float64) []LeverageBand {
	out := make([]LeverageBand, len(leverageBands))
	for i, b := range leverageBands {
		out[i].Band = b.name
	}
	for _, s := range scores {
		s = math.Floor(s)
		if math.IsNaN(s) {
			s = math.Inf(-1)
		}
		for i, b := range leverageBands {
			if s >= b.min {
				out[i].Segments++
				break
			}
		}
	}
	if len(scores) > 0 {
		for i := range out {
			out[i].Share = 100 * float64(out[i].Segments) / float64(len(scores))
		}
	}
	return out
}
