package metrics

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kgmem/kgmem/internal/testenv"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// readTSV returns columns of a shared-data TSV file (first n rows; all when
// n is 0), skipping a header whose first cell is header.
func readTSV(t testing.TB, file string, n int, header string, cols ...int) [][]string {
	t.Helper()
	f, err := os.Open(testenv.SharedData(t, file))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := make([][]string, len(cols))
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() && (n == 0 || len(out[0]) < n) {
		rec := strings.Split(sc.Text(), "\t")
		if header != "" && rec[0] == header {
			continue
		}
		for i, c := range cols {
			out[i] = append(out[i], rec[c])
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// tatoebaPairs builds n hypothesis/reference pairs in Spanish from
// Tatoeba, spread over the whole file (which is sorted by length): the
// reference is one sentence's translation, the hypothesis the next
// sentence's. Neighbouring Tatoeba sentences are often paraphrases, so
// scores land in a realistic range.
func tatoebaPairs(t testing.TB, n int) (hyps, refs []string) {
	t.Helper()
	es := readTSV(t, "tatoeba/en-es.tsv", 0, "", 1)[0]
	stride := max(1, (len(es)-1)/n)
	for i := 0; len(hyps) < n && i+1 < len(es); i += stride {
		refs = append(refs, es[i])
		hyps = append(hyps, es[i+1])
	}
	return hyps, refs
}

// sharedScores are regression values over the shared data. They are this
// package's own output (the sacreBLEU facts are in the other tests), kept
// so that a change in behaviour shows up as a diff.
type sharedScores struct {
	Tatoeba struct {
		Segments int     `json:"segments"`
		BLEU     string  `json:"bleu"`
		ChrF     string  `json:"chrf"`
		ChrFPP   string  `json:"chrfpp"`
		TER      string  `json:"ter"`
		TERSent  float64 `json:"-"`
	} `json:"tatoeba_5000_neighbours_spread"`
	TICO struct {
		Segments          int    `json:"segments"`
		Terms             int    `json:"terms"`
		PairsRefAsHyp     int    `json:"term_pairs"`
		AccuracyRefAsHyp  string `json:"term_accuracy_reference_as_hypothesis"`
		AccuracySrcAsHyp  string `json:"term_accuracy_source_as_hypothesis"`
		ConsistencyTerms  int    `json:"consistency_terms"`
		ConsistencyOfRefs string `json:"term_consistency_of_references"`
	} `json:"tico19_dev"`
	Gettext struct {
		Segments             int    `json:"segments"`
		WithPlaceholders     int    `json:"with_placeholders"`
		ReferenceAccuracy    string `json:"placeholder_accuracy_of_references"`
		UntranslatedAccuracy string `json:"placeholder_accuracy_of_sources"`
	} `json:"gettext_dev"`
}

func TestSharedDataGolden(t *testing.T) {
	var got sharedScores
	f4 := func(x float64) string { return fmt.Sprintf("%.4f", x) }

	hyps, refs := tatoebaPairs(t, 5000)
	got.Tatoeba.Segments = len(hyps)
	b, err := CorpusBLEU(hyps, refs)
	mustNoErr(t, err)
	c, err := CorpusChrF(hyps, refs)
	mustNoErr(t, err)
	cpp, err := CorpusChrFPP(hyps, refs)
	mustNoErr(t, err)
	ter, err := CorpusTER(hyps, refs)
	mustNoErr(t, err)
	got.Tatoeba.BLEU, got.Tatoeba.ChrF, got.Tatoeba.ChrFPP, got.Tatoeba.TER = f4(b.Score), f4(c.Score), f4(cpp.Score), f4(ter.Score)

	tico := readTSV(t, "tico19/en-es.dev.tsv", 0, "", 0, 1)
	tf, err := os.Open(testenv.SharedData(t, "tico19/g_en_es-419.csv"))
	mustNoErr(t, err)
	terms, err := ReadTerms(tf, "g_en_es-419.csv")
	tf.Close()
	mustNoErr(t, err)
	m := NewTermMatcher(terms)
	got.TICO.Segments, got.TICO.Terms = len(tico[0]), len(m.Terms())
	acc, err := m.Accuracy(tico[0], tico[1], tico[1])
	mustNoErr(t, err)
	if acc.Score != 100 {
		t.Errorf("term accuracy of the references themselves = %v, want 100", acc.Score)
	}
	got.TICO.PairsRefAsHyp, got.TICO.AccuracyRefAsHyp = acc.Total, f4(acc.Score)
	acc, err = m.Accuracy(tico[0], tico[1], tico[0])
	mustNoErr(t, err)
	got.TICO.AccuracySrcAsHyp = f4(acc.Score)
	cons, err := m.Consistency(tico[0], tico[1])
	mustNoErr(t, err)
	got.TICO.ConsistencyTerms, got.TICO.ConsistencyOfRefs = cons.Total, f4(cons.Score)

	gt := readTSV(t, "gettext/en-es.dev.tsv", 0, "domain", 1, 2)
	got.Gettext.Segments = len(gt[0])
	ph, err := PlaceholderAccuracy(gt[0], gt[1])
	mustNoErr(t, err)
	got.Gettext.WithPlaceholders, got.Gettext.ReferenceAccuracy = ph.Segments, f4(ph.Score)
	ph, err = PlaceholderAccuracy(gt[0], gt[0])
	mustNoErr(t, err)
	if ph.Score != 100 {
		t.Errorf("placeholder accuracy of the sources themselves = %v, want 100", ph.Score)
	}
	got.Gettext.UntranslatedAccuracy = f4(ph.Score)

	gotJSON, err := json.MarshalIndent(got, "", "  ")
	mustNoErr(t, err)
	gotJSON = append(gotJSON, '\n')
	golden := filepath.Join("testdata", "shared.golden.json")
	if *update {
		mustNoErr(t, os.MkdirAll("testdata", 0o755))
		mustNoErr(t, os.WriteFile(golden, gotJSON, 0o644))
	}
	want, err := os.ReadFile(golden)
	mustNoErr(t, err)
	if string(want) != string(gotJSON) {
		t.Errorf("scores over the shared data changed (rerun with -update if intended):\n got %s\nwant %s", gotJSON, want)
	}
}
