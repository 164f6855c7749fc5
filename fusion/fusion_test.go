package fusion

import (
	"math"
	"strings"
	"testing"

	"github.com/kgmem/kgmem/graph"
)

func TestSoftmax(t *testing.T) {
	tests := []struct {
		scores []float64
		tau    float64
		want   []float64
	}{
		{[]float64{1}, 1, []float64{1}},
		{[]float64{1, 1}, 0.1, []float64{0.5, 0.5}},
		{[]float64{math.Log(3), 0}, 1, []float64{0.75, 0.25}},
		// A lower temperature sharpens: 5 points apart at τ=0.05 is e^1.
		{[]float64{0.95, 0.90}, 0.05, []float64{math.E / (math.E + 1), 1 / (math.E + 1)}},
		{nil, 1, nil},
	}
	for _, tt := range tests {
		got := softmax(tt.scores, tt.tau)
		if len(got) != len(tt.want) {
			t.Fatalf("softmax(%v, %v) = %v, want %v", tt.scores, tt.tau, got, tt.want)
		}
		for i := range got {
			if math.Abs(got[i]-tt.want[i]) > 1e-9 {
				t.Errorf("softmax(%v, %v) = %v, want %v", tt.scores, tt.tau, got, tt.want)
			}
		}
	}
}

func TestMatchWeights(t *testing.T) {
	tests := []struct {
		name    string
		matches []Match
		opts    Options
		want    []string // kept targets, by weight
		heavier bool     // first weight strictly above the second
	}{
		{
			name:    "higher fuzzy score gets more attention",
			matches: []Match{{Source: "Open the file", Target: "Abrir el archivo", Score: 80}, {Source: "Open a file", Target: "Abra un archivo", Score: 95}},
			want:    []string{"Abra un archivo", "Abrir el archivo"}, heavier: true,
		},
		{
			name:    "below the minimum is dropped",
			matches: []Match{{Source: "Save", Target: "Guardar", Score: 60}, {Source: "Open a file", Target: "Abra un archivo", Score: 90}},
			want:    []string{"Abra un archivo"},
		},
		{
			name:    "duplicates collapse",
			matches: []Match{{Source: "Open", Target: "Abrir", Score: 100}, {Source: "Open", Target: "Abrir", Score: 100}},
			want:    []string{"Abrir"},
		},
		{
			name:    "approved wins a tie",
			matches: []Match{{Source: "Open", Target: "Abre", Score: 100}, {Source: "Open", Target: "Abrir", Score: 100, Status: "approved"}},
			want:    []string{"Abrir", "Abre"}, heavier: true,
		},
		{
			name: "K caps the matches",
			matches: []Match{{Source: "a b", Target: "1", Score: 99}, {Source: "a c", Target: "2", Score: 98},
				{Source: "a d", Target: "3", Score: 97}, {Source: "a e", Target: "4", Score: 96}},
			opts: Options{MaxMatches: 2},
			want: []string{"1", "2"}, heavier: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mc := Fuse(Input{Query: "Open a file", Matches: tt.matches}, tt.opts)
			var got []string
			sum := 0.0
			for _, m := range mc.Matches {
				got = append(got, m.Target)
				sum += m.Weight
			}
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Fatalf("Fuse matches = %q, want %q", got, tt.want)
			}
			if len(mc.Matches) > 0 && sum > 1+1e-9 {
				t.Errorf("weights sum to %v > 1", sum)
			}
			if tt.heavier && !(mc.Matches[0].Weight > mc.Matches[1].Weight) {
				t.Errorf("weights %v, %v: want the first heavier", mc.Matches[0].Weight, mc.Matches[1].Weight)
			}
			if len(mc.Explanation) != len(tt.matches) {
				t.Errorf("explanation has %d decisions, want one per match (%d): %+v", len(mc.Explanation), len(tt.matches), mc.Explanation)
			}
		})
	}
}

func TestTermConflicts(t *testing.T) {
	q := "Delete the notebook"
	span := Span{11, 19}
	tests := []struct {
		name        string
		terms       []TermCandidate
		want        string // chosen target, "" for none
		required    bool
		suggestions []string
	}{
		{
			name: "term-base preferred beats frequent",
			terms: []TermCandidate{
				{Span: span, Source: "notebook", Target: "libreta", Count: 40, Probability: 0.9},
				{Span: span, Source: "notebook", Target: "cuaderno", Status: graph.StatusPreferred, Count: 2, Probability: 1},
			},
			want: "cuaderno", required: true, suggestions: []string{"libreta"},
		},
		{
			name: "of two term-base translations, the one in the text's register",
			terms: []TermCandidate{
				{Span: span, Source: "notebook", Target: "abre tu cuaderno", Status: graph.StatusPreferred, Count: 3, Probability: 1, Unfit: true},
				{Span: span, Source: "notebook", Target: "abra su cuaderno", Status: graph.StatusPreferred, Count: 1, Probability: 1},
			},
			want: "abra su cuaderno", required: true, suggestions: []string{"abre tu cuaderno"},
		},
		{
			name: "off the register, a term base's still beats a learned one",
			terms: []TermCandidate{
				{Span: span, Source: "notebook", Target: "abre tu cuaderno", Status: graph.StatusPreferred, Count: 1, Probability: 1, Unfit: true},
				{Span: span, Source: "notebook", Target: "abra su cuaderno", Count: 40, Probability: 0.9},
			},
			want: "abre tu cuaderno", required: true, suggestions: []string{"abra su cuaderno"},
		},
		{
			name: "approved beats frequent",
			terms: []TermCandidate{
				{Span: span, Source: "notebook", Target: "libreta", Count: 40, Probability: 0.9},
				{Span: span, Source: "notebook", Target: "bloc", Status: graph.StatusAdmitted, Count: 1, Probability: 1},
			},
			want: "bloc", required: true, suggestions: []string{"libreta"},
		},
		{
			name: "frequent beats rare",
			terms: []TermCandidate{
				{Span: span, Source: "notebook", Target: "bloc", Count: 3, Probability: 0.6},
				{Span: span, Source: "notebook", Target: "libreta", Count: 40, Probability: 0.9},
			},
			want: "libreta", suggestions: []string{"bloc"},
		},
		{
			name: "deprecated is never the target, even if preferred elsewhere is missing",
			terms: []TermCandidate{
				{Span: span, Source: "notebook", Target: "notebook", Status: graph.StatusDeprecated, Count: 90, Probability: 1},
				{Span: span, Source: "notebook", Target: "libreta", Count: 4, Probability: 0.7},
			},
			want: "libreta",
		},
		{
			name: "only deprecated: nothing offered",
			terms: []TermCandidate{
				{Span: span, Source: "notebook", Target: "notebook", Status: graph.StatusDeprecated, Count: 90, Probability: 1},
			},
		},
		{
			name:  "uncertain learned translation is not offered",
			terms: []TermCandidate{{Span: span, Source: "notebook", Target: "el", Count: 1, Probability: 0.1}},
		},
		{
			name: "uncertain translations follow the suggestions",
			terms: []TermCandidate{
				{Span: span, Source: "notebook", Target: "cuaderno", Count: 2, Probability: 0.2},
				{Span: span, Source: "notebook", Target: "libreta", Count: 40, Probability: 0.9},
				{Span: span, Source: "notebook", Target: "bloc", Count: 3, Probability: 0.6},
				{Span: span, Source: "notebook", Target: "libreta", Count: 1, Probability: 0.1},
			},
			want: "libreta", suggestions: []string{"bloc", "cuaderno"},
		},
		{
			name: "an uncertain translation the engine keeps missing is offered",
			terms: []TermCandidate{
				{Span: span, Source: "notebook", Target: "cuaderno", Count: 34, Probability: 0.28, EngineMissed: 18},
				{Span: span, Source: "notebook", Target: "libreta", Count: 16, Probability: 0.13},
			},
			want: "cuaderno", suggestions: []string{"libreta"},
		},
		{
			name:  "but not on too little evidence",
			terms: []TermCandidate{{Span: span, Source: "notebook", Target: "cuaderno", Count: 34, Probability: 0.28, EngineMissed: 9}},
		},
		{
			name:  "nor for a term the engine often gets right",
			terms: []TermCandidate{{Span: span, Source: "notebook", Target: "cuaderno", Count: 34, Probability: 0.28, EngineMissed: 18, EngineAgreed: 7}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mc := Fuse(Input{Query: q, Terms: tt.terms}, Options{})
			if tt.want == "" {
				if len(mc.Terms) != 0 {
					t.Fatalf("Fuse terms = %+v, want none", mc.Terms)
				}
				return
			}
			if len(mc.Terms) != 1 {
				t.Fatalf("Fuse terms = %+v, want one", mc.Terms)
			}
			got := mc.Terms[0]
			if got.Target != tt.want || got.Required != tt.required {
				t.Errorf("Fuse term = %q required=%v, want %q required=%v", got.Target, got.Required, tt.want, tt.required)
			}
			var sug []string
			for _, s := range got.Suggestions {
				sug = append(sug, s.Target)
				if s.Status == graph.StatusDeprecated {
					t.Errorf("deprecated %q offered as a suggestion", s.Target)
				}
			}
			if strings.Join(sug, "|") != strings.Join(tt.suggestions, "|") {
				t.Errorf("suggestions = %q, want %q", sug, tt.suggestions)
			}
			for _, d := range mc.Explanation {
				if d.Reason == "" {
					t.Errorf("decision without a reason: %+v", d)
				}
			}
		})
	}
}

func TestOverlappingTerms(t *testing.T) {
	q := "Resolve the sync conflict"
	mc := Fuse(Input{Query: q, Terms: []TermCandidate{
		{Span: Span{12, 16}, Source: "sync", Target: "sincronización", Status: graph.StatusPreferred},
		{Span: Span{12, 25}, Source: "sync conflict", Target: "conflicto de sincronización", Status: graph.StatusPreferred},
		{Span: Span{17, 25}, Source: "conflict", Target: "conflicto", Count: 9, Probability: 0.9},
	}}, Options{})
	if len(mc.Terms) != 1 || mc.Terms[0].Source != "sync conflict" {
		t.Fatalf("Fuse terms = %+v, want only the longest span", mc.Terms)
	}
	n := 0
	for _, d := range mc.Explanation {
		if !d.Kept && strings.Contains(d.Reason, "overlaps") {
			n++
		}
	}
	if n != 2 {
		t.Errorf("%d overlap decisions, want 2: %+v", n, mc.Explanation)
	}
}

func TestBudget(t *testing.T) {
	long := strings.Repeat("word ", 60)
	in := Input{
		Query: "Open the notebook",
		Matches: []Match{
			{Source: "Open the notebook now", Target: "Abra el cuaderno ahora", Score: 90},
			{Source: "Open the " + long, Target: "Abra el " + long, Score: 75},
		},
		Terms: []TermCandidate{
			{Span: Span{9, 17}, Source: "notebook", Target: "cuaderno", Status: graph.StatusPreferred},
			{Span: Span{0, 4}, Source: "Open", Target: "Abrir", Count: 5, Probability: 0.8},
		},
		Facts: []Fact{{Subject: "notebook", Predicate: "definition", Object: long, Hops: 1, Weight: 1}},
	}
	tests := []struct {
		name                  string
		budget                int
		matches, terms, facts int
	}{
		{"everything fits", 10000, 2, 2, 1},
		{"facts go first", 250, 2, 2, 0},
		{"then extra matches", 60, 1, 2, 0},
		{"then learned terms", 20, 1, 1, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mc := Fuse(in, Options{TokenBudget: tt.budget})
			if len(mc.Matches) != tt.matches || len(mc.Terms) != tt.terms || len(mc.Facts) != tt.facts {
				t.Errorf("budget %d: %d matches, %d terms, %d facts (%d tokens); want %d, %d, %d",
					tt.budget, len(mc.Matches), len(mc.Terms), len(mc.Facts), mc.Tokens, tt.matches, tt.terms, tt.facts)
			}
			if tt.budget < 10000 && mc.Tokens > tt.budget && len(mc.Matches)+len(mc.Terms)+len(mc.Facts) > 1 {
				t.Errorf("context of %d tokens exceeds the budget %d", mc.Tokens, tt.budget)
			}
		})
	}
	// The required term survives a budget that the learned one does not.
	mc := Fuse(in, Options{TokenBudget: 20})
	if len(mc.Terms) != 1 || !mc.Terms[0].Required {
		t.Errorf("under a tight budget terms = %+v, want the required one", mc.Terms)
	}
	// An exact match stays, whatever its length; a fuzzy one that long
	// goes.
	huge := strings.Repeat("word ", 10000)
	for _, tc := range []struct {
		score int
		kept  bool
	}{{100, true}, {101, true}, {99, false}} {
		mc := Fuse(Input{Query: huge, Matches: []Match{{Source: huge, Target: huge, Score: tc.score}}}, Options{TokenBudget: 800})
		if best, ok := mc.Best(); ok != tc.kept || ok && best.Score != tc.score {
			t.Errorf("a %d %% match of 10000 words under a budget of 800: kept %v, want %v", tc.score, ok, tc.kept)
		}
	}
}

func TestFactWeights(t *testing.T) {
	mc := Fuse(Input{Query: "wash your hands", Facts: []Fact{
		{Subject: "hand", Predicate: "cooccurs", Object: "soap", Hops: 2, Weight: 0.5},
		{Subject: "hand", Predicate: "cooccurs", Object: "wash", Hops: 1, Weight: 0.5},
		{Subject: "hand", Predicate: "cooccurs", Object: "wash", Hops: 1, Weight: 0.5},
	}}, Options{})
	if len(mc.Facts) != 2 || mc.Facts[0].Object != "wash" || !(mc.Facts[0].Weight > mc.Facts[1].Weight) {
		t.Errorf("facts = %+v, want the one-hop fact that shares a word first, duplicate dropped", mc.Facts)
	}
}

func TestTokens(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{
		{"", 0},
		{"one two three", 4},
		{"Open %s, now!", 7},
	}
	for _, tt := range tests {
		if got := Tokens(tt.in); got != tt.want {
			t.Errorf("Tokens(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

func TestStatusPrior(t *testing.T) {
	tests := []struct {
		s    graph.Status
		want float64
	}{
		{graph.StatusPreferred, 3},
		{graph.StatusAdmitted, 2},
		{graph.StatusNone, 0},
		{graph.StatusDeprecated, 0},
		{"forbidden", 0},
	}
	for _, tt := range tests {
		if got := StatusPrior(tt.s); got != tt.want {
			t.Errorf("StatusPrior(%q) = %v, want %v", tt.s, got, tt.want)
		}
	}
	// The priors follow graph's one order: a better rank never has a
	// lower prior.
	all := []graph.Status{graph.StatusPreferred, graph.StatusAdmitted, graph.StatusNone, graph.StatusDeprecated}
	for _, a := range all {
		for _, b := range all {
			if a.Rank() < b.Rank() && StatusPrior(a) < StatusPrior(b) {
				t.Errorf("StatusPrior(%q) = %v < StatusPrior(%q) = %v, but %q ranks first", a, StatusPrior(a), b, StatusPrior(b), a)
			}
		}
	}
}

func TestFuseBarsStatusesGraphDoesNotDefine(t *testing.T) {
	span := Span{0, 8}
	mc := Fuse(Input{Query: "notebook", Terms: []TermCandidate{
		{Span: span, Source: "notebook", Target: "libreta", Status: "forbidden", Count: 50, Probability: 1},
		{Span: span, Source: "notebook", Target: "cuaderno", Count: 5, Probability: 0.9},
	}}, Options{})
	if len(mc.Terms) != 1 || mc.Terms[0].Target != "cuaderno" || mc.Terms[0].Required {
		t.Fatalf("Fuse terms = %+v, want cuaderno alone, not required", mc.Terms)
	}
}
