package extract

import (
	"bufio"
	"context"
	"encoding/csv"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/graph"
	"github.com/kgmem/kgmem/internal/testenv"
)

var en, es = corpora.MustParseLang("en"), corpora.MustParseLang("es")

// readPairs reads a source<TAB>target file with no escapes.
func readPairs(t testing.TB, path string, skipHeader bool) []*corpora.Unit {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []*corpora.Unit
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for n := 0; sc.Scan(); n++ {
		if n == 0 && skipHeader {
			continue
		}
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) < 2 {
			continue
		}
		src, tgt := cols[len(cols)-2], cols[len(cols)-1]
		out = append(out, &corpora.Unit{SourceLang: en, TargetLang: es, Source: corpora.Text(src), Target: corpora.Text(tgt),
			Origin: corpora.Origin{Index: n}})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// train trains x and fails the test if it cannot.
func train(t testing.TB, x *Extractor) {
	t.Helper()
	if err := x.Train(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// batchesOf returns the batches of a file, cut at maxItems.
func batchesOf(t testing.TB, x *Extractor, file string, maxItems int) []*graph.Batch {
	t.Helper()
	var out []*graph.Batch
	err := x.Batches(context.Background(), file, maxItems, func(b *graph.Batch) error {
		out = append(out, b)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func unit(src, tgt string) *corpora.Unit {
	return &corpora.Unit{SourceLang: en, TargetLang: es, Source: corpora.Text(src), Target: corpora.Text(tgt)}
}

func TestExtractSmall(t *testing.T) {
	x := New("en", "es", Options{})
	defer x.Close()
	var units []*corpora.Unit
	for _, p := range [][2]string{
		{"Open the file", "Abra el archivo"},
		{"Save the file", "Guarde el archivo"},
		{"The file is too large", "El archivo es demasiado grande"},
		{"Delete the files", "Elimine los archivos"},
		{"Rename the file", "Cambie el nombre del archivo"},
		{"Open the folder", "Abra la carpeta"},
		{"The folder is empty", "La carpeta está vacía"},
		{"Create a folder", "Cree una carpeta"},
		{"Evolution could not open %s", "Evolution no pudo abrir %s"},
		{"Restart Evolution now", "Reinicie Evolution ahora"},
		{"Evolution is running", "Evolution se está ejecutando"},
		{"Contact tracing stops the spread", "El rastreo de contactos detiene la propagación"},
		{"Contact tracing is important", "El rastreo de contactos es importante"},
		{"We need contact tracing", "Necesitamos el rastreo de contactos"},
	} {
		units = append(units, unit(p[0], p[1]))
		x.Add("small.tsv", units[len(units)-1])
	}
	train(t, x)
	tests := []struct {
		term, want string
		typ        graph.EntityType
	}{
		{"file", "archivo", graph.TypeTerm},
		{"files", "archivo", graph.TypeTerm}, // a variant finds the same entity
		{"folder", "carpeta", graph.TypeTerm},
		{"Evolution", "Evolution", graph.TypeName},
		{"contact tracing", "rastreo de contactos", graph.TypeTerm},
	}
	for _, tt := range tests {
		got, ok := x.Lookup(tt.term)
		if !ok {
			t.Errorf("Lookup(%q): not a term", tt.term)
			continue
		}
		if len(got.Translations) == 0 || got.Translations[0].Text != tt.want || got.Type != tt.typ {
			t.Errorf("Lookup(%q) = %+v, want type %s translated %q", tt.term, got, tt.typ, tt.want)
		}
	}
	bs := batchesOf(t, x, "small.tsv", 0)
	if len(bs) != 1 || len(bs[0].Segments) != 14 {
		t.Fatalf("Batches = %d batches, %d segments; want 1, 14", len(bs), len(bs[0].Segments))
	}
	var archivo *graph.Fact
	fileID := graph.EntityID(graph.TypeTerm, "en:file")
	for i, f := range bs[0].Facts {
		if f.Subject == fileID && f.Predicate == graph.PredLabel && f.Literal == "archivo" {
			archivo = &bs[0].Facts[i]
		}
	}
	if archivo == nil || archivo.Count < 4 || archivo.Lang != "es" || archivo.Sources[0].File != "small.tsv" {
		t.Errorf("label fact archivo = %+v", archivo)
	}
	// Determinism: the same input gives the same batch.
	y := New("en", "es", Options{})
	defer y.Close()
	for _, u := range units {
		y.Add("small.tsv", u)
	}
	train(t, y)
	if a, b := len(batchesOf(t, x, "small.tsv", 0)[0].Facts), len(batchesOf(t, y, "small.tsv", 0)[0].Facts); a != b {
		t.Errorf("two runs on the same input gave %d and %d facts", a, b)
	}
}

// goldTerms reads a TICO-19 term list: source term → target term.
func goldTerms(t testing.TB, path string) map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var si, ti int
	for i, h := range rows[0] {
		switch h {
		case "sourceString":
			si = i
		case "targetString":
			ti = i
		}
	}
	out := map[string]string{}
	for _, r := range rows[1:] {
		out[strings.TrimSpace(r[si])] = strings.ToLower(strings.TrimSpace(r[ti]))
	}
	return out
}

// TestTermPrecision measures precision@1 of the learned translations of the
// TICO-19 terms that occur at least three times, building from the TICO-19
// dev set with the Tatoeba pairs (the term lists are the gold standard, not
// input).
func TestTermPrecision(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 120k pairs")
	}
	x := New("en", "es", Options{})
	for _, u := range readPairs(t, testenv.SharedData(t, "tico19", "en-es.dev.tsv"), true) {
		x.Add("tico.tsv", u)
	}
	for _, u := range readPairs(t, testenv.SharedData(t, "tatoeba", "en-es.tsv"), false) {
		x.Add("tatoeba.tsv", u)
	}
	train(t, x)
	gold := goldTerms(t, testenv.SharedData(t, "tico19", "f_en-es_XX.csv"))
	for k, v := range goldTerms(t, testenv.SharedData(t, "tico19", "g_en_es-419.csv")) {
		gold[k] = v
	}
	var n, hit, near int
	var misses []string
	for src, want := range gold {
		term, ok := x.Lookup(src)
		if !ok || term.Count < 3 {
			continue
		}
		n++
		got := ""
		if len(term.Translations) > 0 {
			got = strings.ToLower(term.Translations[0].Text)
		}
		switch {
		case got == want:
			hit++
			near++
		case got != "" && x.tgtAn.Key(got) == x.tgtAn.Key(want):
			near++ // an inflection of the gold term: "vacuna" for "vacunas"
			misses = append(misses, "(inflection) "+src+" → "+got+" (want "+want+")")
		default:
			misses = append(misses, src+" → "+got+" (want "+want+")")
		}
	}
	exact := float64(hit) / float64(max(n, 1))
	p := float64(near) / float64(max(n, 1))
	t.Logf("TICO-19 terms occurring ≥ 3 times: %d; precision@1 = %.3f exact, %.3f up to inflection", n, exact, p)
	for i, m := range misses {
		if i < 40 {
			t.Logf("miss: %s", m)
		}
	}
	if n < 30 {
		t.Errorf("only %d gold terms were extracted with ≥ 3 occurrences", n)
	}
	if p < 0.6 {
		t.Errorf("precision@1 up to inflection = %.3f, want ≥ 0.6", p)
	}
}

// TestBatchesCut checks that Batches cuts the items of one batch, in
// order, into batches of maxItems.
func TestBatchesCut(t *testing.T) {
	x := New("en", "es", Options{})
	for _, u := range readPairs(t, "testdata/tatoeba-gold.tsv", true) {
		x.Add("gold.tsv", u)
	}
	train(t, x)
	whole := batchesOf(t, x, "gold.tsv", 0)
	if len(whole) != 1 {
		t.Fatalf("Batches(0) = %d batches, want 1", len(whole))
	}
	w := whole[0]
	total := w.Len()
	if len(w.Entities) == 0 || len(w.Segments) == 0 || len(w.Facts) == 0 {
		t.Fatalf("Batches(0) = %d entities, %d segments, %d facts; want some of each", len(w.Entities), len(w.Segments), len(w.Facts))
	}
	for _, n := range []int{1, 7, len(w.Entities), len(w.Entities) + 1, len(w.Entities) + len(w.Segments), total - 1, total, total + 1} {
		bs := batchesOf(t, x, "gold.tsv", n)
		if want := (total + n - 1) / n; len(bs) != want {
			t.Errorf("Batches(%d) = %d batches, want %d", n, len(bs), want)
		}
		var got graph.Batch
		for i, b := range bs {
			if b.Source != "gold.tsv" || (i < len(bs)-1 && b.Len() != n) || b.Len() == 0 || b.Len() > n {
				t.Errorf("Batches(%d)[%d] of %s has %d items", n, i, b.Source, b.Len())
			}
			got.Entities = append(got.Entities, b.Entities...)
			got.Segments = append(got.Segments, b.Segments...)
			got.Facts = append(got.Facts, b.Facts...)
		}
		got.Source = w.Source
		if !reflect.DeepEqual(&got, w) {
			t.Errorf("Batches(%d) joined differ from Batches(0)", n)
		}
	}
}
