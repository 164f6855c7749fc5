package extract

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"flag"
	"hash/crc32"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/graph"
	"github.com/kgmem/kgmem/internal/testenv"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// smallPairs is a tiny parallel corpus whose alignment is easy to check.
var smallPairs = [][2]string{
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
}

// trainKept trains an extractor that keeps its model on the units of each
// file, continuing from prior with the files in counted already counted.
func trainKept(t testing.TB, prior *Model, counted []string, files map[string][]*corpora.Unit) *Extractor {
	t.Helper()
	x := New("en", "es", Options{})
	if err := x.Continue(prior, counted); err != nil {
		t.Fatal(err)
	}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		for _, u := range files[name] {
			x.Add(name, u)
		}
	}
	train(t, x)
	return x
}

func smallUnits() []*corpora.Unit {
	var us []*corpora.Unit
	for _, p := range smallPairs {
		us = append(us, unit(p[0], p[1]))
	}
	return us
}

func marshal(t testing.TB, m *Model) []byte {
	t.Helper()
	b, err := m.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestModelGolden pins the file format: the model of the small corpus
// encodes to testdata/small.kgm byte for byte (go test -update rewrites
// it), and that file decodes to the same model.
func TestModelGolden(t *testing.T) {
	x := trainKept(t, nil, nil, map[string][]*corpora.Unit{"small.tsv": smallUnits()})
	m := x.Model().WithSources(ModelSource{Name: "/corpus/small.tsv", Hash: "0123abcd"})
	got := marshal(t, m)
	golden := filepath.Join("testdata", "small.kgm")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("MarshalBinary = %d bytes, differs from %s (%d bytes); run go test -update if the change is meant", len(got), golden, len(want))
	}
	var back Model
	if err := back.UnmarshalBinary(want); err != nil {
		t.Fatalf("UnmarshalBinary(%s) = %v", golden, err)
	}
	if !bytes.Equal(marshal(t, &back), want) {
		t.Errorf("decoding and encoding %s changed it", golden)
	}
	if s, tg := back.Words(); s == 0 || tg == 0 || back.Pairs() == 0 {
		t.Errorf("decoded model has %d+%d words and %d pairs", s, tg, back.Pairs())
	}
	tests := []struct {
		src, tgt string
		min      float64
	}{
		{"file", "archivo", 0.4},
		{"folder", "carpeta", 0.4},
		{"evolution", "evolution", 0.3},
	}
	for _, tt := range tests {
		if fwd, bwd := back.Prob(tt.src, tt.tgt); fwd < tt.min || bwd < tt.min {
			t.Errorf("Prob(%q, %q) = %.3f, %.3f; want both ≥ %.1f", tt.src, tt.tgt, fwd, bwd, tt.min)
		}
	}
	if fwd, bwd := back.Prob("file", "no-such-word"); fwd != 0 || bwd != 0 {
		t.Errorf("Prob of an unknown word = %v, %v; want 0, 0", fwd, bwd)
	}
}

// TestModelFileRoundTrip writes a model of real data to a file and reads it
// back.
func TestModelFileRoundTrip(t *testing.T) {
	units := readPairs(t, testenv.SharedData(t, "tatoeba", "en-es.tsv"), false)[:3000]
	x := trainKept(t, nil, nil, map[string][]*corpora.Unit{"tatoeba.tsv": units})
	m := x.Model().WithSources(ModelSource{Name: "/data/tatoeba.tsv", Hash: "h1"}, ModelSource{Name: "/data/a.tsv", Hash: "h0"})
	path := filepath.Join(t.TempDir(), "models", ModelFileName("en", "es"))
	if err := WriteModelFile(path, m); err != nil {
		t.Fatal(err)
	}
	got, err := ReadModelFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(marshal(t, got), marshal(t, m)) {
		t.Error("ReadModelFile(WriteModelFile(m)) differs from m")
	}
	if want := []ModelSource{{"/data/a.tsv", "h0"}, {"/data/tatoeba.tsv", "h1"}}; !reflect.DeepEqual(got.Sources, want) {
		t.Errorf("Sources = %v, want %v", got.Sources, want)
	}
	// A second write replaces the file and leaves no temporary files,
	// also none that a killed write left behind.
	if err := os.WriteFile(path+".tmp123", []byte("half a model"), 0o644); err != nil {
		t.Fatal(err)
	}
	m2 := m.WithSources(ModelSource{Name: "/data/a.tsv", Hash: "h2"})
	if err := WriteModelFile(path, m2); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("model directory holds %d files after a write, want 1", len(entries))
	}
	if got, err := ReadModelFile(path); err != nil || got.Sources[0].Hash != "h2" {
		t.Errorf("after the second write: %v, %v", got, err)
	}
	if _, err := ReadModelFile(filepath.Join(t.TempDir(), "none.kgm")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("ReadModelFile(missing) = %v, want fs.ErrNotExist", err)
	}
	if name := ModelFileName("pt-BR", "x/y"); name != "align.pt-BR.x_y.kgm" {
		t.Errorf("ModelFileName = %q", name)
	}
}

// reseal fixes the length and checksum of a model file after an edit, so
// that the decoder's structural checks are reached.
func reseal(b []byte) []byte {
	b = append([]byte(nil), b...)
	binary.LittleEndian.PutUint64(b[len(modelMagic)+8:], uint64(len(b)-modelHeaderLen-4))
	binary.LittleEndian.PutUint32(b[len(b)-4:], crc32.Checksum(b[:len(b)-4], castagnoli))
	return b
}

// TestModelFileErrors feeds damaged model files to ReadModelFile: each
// gives an error that names the file, says what is wrong and what to do,
// and never a panic.
func TestModelFileErrors(t *testing.T) {
	good, err := os.ReadFile(filepath.Join("testdata", "small.kgm"))
	if err != nil {
		t.Fatal(err)
	}
	body := modelHeaderLen
	// The body starts with the two languages: "\x02en\x02es".
	if string(good[body:body+6]) != "\x02en\x02es" {
		t.Fatalf("unexpected start of body %q", good[body:body+6])
	}
	flip := func(i int) []byte {
		b := append([]byte(nil), good...)
		b[i] ^= 0x40
		return b
	}
	version := append([]byte(nil), good...)
	binary.LittleEndian.PutUint32(version[len(modelMagic):], 2)
	bigCount := reseal(append(append(append([]byte(nil), good[:body+6]...), 0xff, 0xff, 0xff, 0xff, 0x0f), good[body+7:]...))
	tests := []struct {
		name string
		data []byte
		want string
		is   error
	}{
		{"empty", nil, "file is empty", ErrModelCorrupt},
		{"not a model", []byte("source\ttarget\n"), "not an alignment model", ErrModelCorrupt},
		{"header only", good[:modelHeaderLen-3], "truncated in the header", ErrModelCorrupt},
		{"truncated", good[:len(good)/2], "truncated: the header says", ErrModelCorrupt},
		{"no checksum", good[:len(good)-2], "truncated", ErrModelCorrupt},
		{"trailing bytes", append(append([]byte(nil), good...), 0), "has trailing bytes", ErrModelCorrupt},
		{"flipped byte", flip(len(good) / 2), "checksum mismatch", ErrModelCorrupt},
		{"newer version", version, "format version 2", ErrModelVersion},
		{"huge count", bigCount, "does not fit", ErrModelCorrupt},
		{"bad string length", reseal(append(append(append([]byte(nil), good[:body]...), 0xff, 0xff, 0x03), good[body+1:]...)), "does not fit", ErrModelCorrupt},
		{"body cut short", reseal(good[:len(good)-9]), "", ErrModelCorrupt},
	}
	dir := t.TempDir()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(tt.name, " ", "-")+".kgm")
			if err := os.WriteFile(path, tt.data, 0o644); err != nil {
				t.Fatal(err)
			}
			m, err := ReadModelFile(path)
			if err == nil {
				t.Fatalf("ReadModelFile(%s) = %v, nil; want an error", tt.name, m)
			}
			msg := err.Error()
			if !errors.Is(err, tt.is) || !strings.Contains(msg, path) || !strings.Contains(msg, tt.want) ||
				!strings.Contains(msg, "delete it and rerun build-graph") {
				t.Errorf("ReadModelFile(%s) = %q; want %v naming the file, saying %q and what to do", tt.name, msg, tt.is, tt.want)
			}
			// Reading the head alone finds the same damage, but for a body
			// whose cells are cut short under a valid checksum: only
			// decoding the cells finds that.
			if tt.name == "body cut short" {
				return
			}
			_, _, _, err = ReadModelSources(path)
			if err == nil || !errors.Is(err, tt.is) || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "delete it and rerun build-graph") {
				t.Errorf("ReadModelSources(%s) = %v; want %v naming the file and what to do", tt.name, err, tt.is)
			}
		})
	}
	goodPath := filepath.Join(dir, "good.kgm")
	if err := os.WriteFile(goodPath, good, 0o644); err != nil {
		t.Fatal(err)
	}
	whole, err := ReadModelFile(goodPath)
	if err != nil {
		t.Fatal(err)
	}
	src, tgt, sources, err := ReadModelSources(goodPath)
	if err != nil || src != whole.SourceLang || tgt != whole.TargetLang || !reflect.DeepEqual(sources, whole.Sources) {
		t.Errorf("ReadModelSources = %s, %s, %v, %v; want %s, %s, %v", src, tgt, sources, err, whole.SourceLang, whole.TargetLang, whole.Sources)
	}
	// Structurally wrong bodies with a valid checksum.
	m := new(Model)
	if err := m.UnmarshalBinary(good); err != nil {
		t.Fatal(err)
	}
	structural := []struct {
		name string
		edit func(m *Model)
		want string
	}{
		{"unsorted words", func(m *Model) { m.src[1], m.src[2] = m.src[2], m.src[1] }, "out of order"},
		{"empty word", func(m *Model) { m.tgt[1] = "" }, "out of order"},
		{"negative total", func(m *Model) { m.srcTotal[1] = -1 }, "invalid total"},
		{"NaN count", func(m *Model) { m.cells[3].fwd = float32(math.NaN()) }, "invalid count"},
		{"repeated cell", func(m *Model) { m.cells[1] = m.cells[0] }, "repeats"},
		{"word out of range", func(m *Model) { m.cells[len(m.cells)-1].t = uint32(len(m.tgt)) }, "outside the vocabulary"},
	}
	for _, tt := range structural {
		t.Run(tt.name, func(t *testing.T) {
			c := *m
			c.src, c.tgt = append([]string(nil), m.src...), append([]string(nil), m.tgt...)
			c.srcTotal = append([]float64(nil), m.srcTotal...)
			c.cells = append([]modelCell(nil), m.cells...)
			tt.edit(&c)
			err := new(Model).UnmarshalBinary(marshal(t, &c))
			if !errors.Is(err, ErrModelCorrupt) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("UnmarshalBinary(%s) = %v, want %q", tt.name, err, tt.want)
			}
		})
	}
}

// TestContinueWithoutModel: keeping the model changes nothing the
// extractor learns.
func TestContinueWithoutModel(t *testing.T) {
	units := readPairs(t, testenv.SharedData(t, "tatoeba", "en-es.tsv"), false)[20000:24000]
	plain := New("en", "es", Options{})
	for _, u := range units {
		plain.Add("t.tsv", u)
	}
	train(t, plain)
	kept := trainKept(t, nil, nil, map[string][]*corpora.Unit{"t.tsv": units})
	// The kept model is pruned, and the units are aligned with it: a few
	// near ties may go the other way.
	same, diff := compareTop(plain.Terms(), kept.Terms())
	t.Logf("keeping the model: %d terms' best translation unchanged, %d changed", same, diff)
	if diff*50 > same {
		t.Errorf("keeping the model changed %d of %d best translations", diff, same+diff)
	}
	if kept.Model() == nil || plain.Model() != nil {
		t.Errorf("Model() = %v with Continue, %v without", kept.Model() != nil, plain.Model() != nil)
	}
	if err := New("en", "fr", Options{}).Continue(kept.Model(), nil); err == nil {
		t.Error("Continue with a model of another language pair: no error")
	}
}

// TestContinueCounted: a file the model has counted is not counted again,
// and its translations come out as when the model was made.
func TestContinueCounted(t *testing.T) {
	all := readPairs(t, testenv.SharedData(t, "tatoeba", "en-es.tsv"), false)
	a, b := all[30000:34000], all[34000:35000]
	first := trainKept(t, nil, nil, map[string][]*corpora.Unit{"a": a})
	m := first.Model().WithSources(ModelSource{"a", "ha"})
	again := trainKept(t, m, []string{"a"}, map[string][]*corpora.Unit{"a": a})
	if !bytes.Equal(marshal(t, again.Model()), marshal(t, m)) {
		t.Error("training again on a counted file changed the model")
	}
	if !reflect.DeepEqual(first.Terms(), again.Terms()) {
		same, diff := compareTop(first.Terms(), again.Terms())
		t.Errorf("re-aligning a counted file with the stored model changed %d of %d best translations", diff, same+diff)
	}
	// A new file adds its counts: every word's total grows by what the
	// new file holds, and the sources stay the caller's to add.
	more := trainKept(t, m, []string{"a"}, map[string][]*corpora.Unit{"a": a, "b": b})
	mm := more.Model()
	if !reflect.DeepEqual(mm.Sources, m.Sources) {
		t.Errorf("merged Sources = %v, want %v", mm.Sources, m.Sources)
	}
	if mm.srcTotal[0] <= m.srcTotal[0] || len(mm.src) < len(m.src) {
		t.Errorf("merged model: NULL total %.1f → %.1f, %d → %d source words", m.srcTotal[0], mm.srcTotal[0], len(m.src), len(mm.src))
	}
}

// compareTop counts the terms of a that b has with the same best
// translation, and those it has with another.
func compareTop(a, b []Term) (same, diff int) {
	best := map[string]string{}
	for _, t := range b {
		if len(t.Translations) > 0 {
			best[t.Entity] = t.Translations[0].Text
		}
	}
	for _, t := range a {
		if len(t.Translations) == 0 {
			continue
		}
		if got, ok := best[t.Entity]; ok && got == t.Translations[0].Text {
			same++
		} else {
			diff++
		}
	}
	return same, diff
}

// readGold reads testdata/tatoeba-gold.tsv: English term → accepted
// Spanish translations.
func readGold(t testing.TB) map[string][]string {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "tatoeba-gold.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string][]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		src, tgts, ok := strings.Cut(line, "\t")
		if !ok {
			t.Fatalf("gold line %q has no tab", line)
		}
		out[src] = strings.Split(tgts, "|")
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// fileTranslations counts, for every term (by key), the translations
// (by their key in the target analyser) that x's alignment finds in the
// units of file.
func fileTranslations(x *Extractor, file string) map[string]map[string]int {
	fi, ok := x.fileIdx[file]
	out := map[string]map[string]int{}
	if !ok || x.byFile[fi].first < 0 {
		return out
	}
	f := x.byFile[fi]
	units, ments := x.units.reader(f.unitPos), x.mentions.reader(f.mentionPos)
	var r unitRec
	var ms []mention
	for n := f.first; n <= f.last; n++ {
		u, err := units.next()
		if err != nil {
			panic(err)
		}
		m, err := ments.next()
		if err != nil {
			panic(err)
		}
		if err := decodeUnit(u, &r); err != nil {
			panic(err)
		}
		if ms, err = decodeMentions(m, x.sel, ms); err != nil {
			panic(err)
		}
		if r.file != fi {
			continue
		}
		for _, m := range ms {
			if m.tStart < 0 || m.c.typ != graph.TypeTerm {
				continue
			}
			if out[m.c.key] == nil {
				out[m.c.key] = map[string]int{}
			}
			out[m.c.key][x.tgtAn.Key(r.tgt[m.tStart:m.tEnd])]++
		}
	}
	return out
}

// top returns the most frequent translation (the smallest of equals).
func top(trans map[string]int) string {
	best, bn := "", 0
	for k, n := range trans {
		if n > bn || (n == bn && k < best) {
			best, bn = k, n
		}
	}
	return best
}

func total(trans map[string]int) int {
	n := 0
	for _, c := range trans {
		n += c
	}
	return n
}

// freqByKey returns the frequency of every selected term, by key.
func freqByKey(x *Extractor) map[string]int {
	out := map[string]int{}
	for _, c := range x.cands {
		if c.selected && c.key != "" {
			out[c.key] = max(out[c.key], c.freq)
		}
	}
	return out
}

// precisionAt1 scores the most frequent translation of each gold term in
// trans (by term key): a hit when it is one of the accepted translations
// up to inflection. It returns the hits and the misses.
func precisionAt1(x *Extractor, trans map[string]map[string]int, gold map[string][]string, terms []string) (int, []string) {
	hits := 0
	var misses []string
	for _, src := range terms {
		got := ""
		if c := x.cands[x.stemKey(src)]; c != nil {
			got = top(trans[c.key])
		}
		hit := false
		for _, want := range gold[src] {
			if got != "" && got == x.tgtAn.Key(want) {
				hit = true
			}
		}
		if hit {
			hits++
		} else {
			misses = append(misses, src+" → "+got)
		}
	}
	return hits, misses
}

// TestIncrementalTatoeba builds from Tatoeba's first N pairs and keeps the
// model in a file; then, for each of several disjoint second files of the
// next M pairs, a second run that continues from the stored model and reads
// only that file. Compared are the translations each run's alignment finds
// in the second file for the terms frequent in both parts: against the
// hand-written gold (precision@1 of the most frequent one), and against a
// single run over the N+M pairs. The incremental run must be as good as the
// single run, and clearly better than a run over the M pairs alone.
func TestIncrementalTatoeba(t *testing.T) {
	if testing.Short() {
		t.Skip("trains on 40k pairs several times")
	}
	n, m, files, minCount := 40000, 500, 4, 2
	for _, v := range []struct {
		env string
		dst *int
	}{{"KGMEM_INCR_N", &n}, {"KGMEM_INCR_M", &m}, {"KGMEM_INCR_FILES", &files}, {"KGMEM_INCR_MIN", &minCount}} {
		if i, err := strconv.Atoi(os.Getenv(v.env)); err == nil {
			*v.dst = i
		}
	}
	all := readPairs(t, testenv.SharedData(t, "tatoeba", "en-es.tsv"), false)
	a := all[:n]
	gold := readGold(t)

	// Run 1: the first N pairs; keep the model in a file.
	first := trainKept(t, nil, nil, map[string][]*corpora.Unit{"first.tsv": a})
	path := filepath.Join(t.TempDir(), ModelFileName("en", "es"))
	if err := WriteModelFile(path, first.Model().WithSources(ModelSource{"first.tsv", "h1"})); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(path); err == nil {
		ws, wt := first.Model().Words()
		t.Logf("model after %d pairs: %d+%d words, %d word pairs, %d bytes", n, ws, wt, first.Model().Pairs(), st.Size())
	}
	firstFreq := freqByKey(first)
	firstGold := map[string]bool{}
	for src := range gold {
		if c := first.cands[first.stemKey(src)]; c != nil && c.selected && c.freq >= minCount {
			firstGold[src] = true
		}
	}
	first = nil

	type score struct{ hits, terms, agree, common int }
	var incrS, batchS, aloneS score
	for f := 0; f < files; f++ {
		b := all[n+f*m : n+(f+1)*m]
		// Run 2: this file only, from the stored model.
		stored, err := ReadModelFile(path)
		if err != nil {
			t.Fatal(err)
		}
		incr := trainKept(t, stored, nil, map[string][]*corpora.Unit{"second.tsv": b})
		// One run over all N+M pairs, and one over the M pairs alone.
		batch := New("en", "es", Options{})
		for _, u := range a {
			batch.Add("first.tsv", u)
		}
		for _, u := range b {
			batch.Add("second.tsv", u)
		}
		train(t, batch)
		alone := New("en", "es", Options{})
		for _, u := range b {
			alone.Add("second.tsv", u)
		}
		train(t, alone)

		// What each run learned from the new pairs: the translations its
		// alignment finds for each term in the second file.
		tIncr := fileTranslations(incr, "second.tsv")
		tBatch := fileTranslations(batch, "second.tsv")
		tAlone := fileTranslations(alone, "second.tsv")
		var terms []string
		for src := range firstGold {
			if c := alone.cands[alone.stemKey(src)]; c != nil && total(tAlone[c.key]) >= minCount {
				terms = append(terms, src)
			}
		}
		sort.Strings(terms)
		for _, r := range []struct {
			x     *Extractor
			trans map[string]map[string]int
			s     *score
			name  string
		}{{incr, tIncr, &incrS, "incremental"}, {batch, tBatch, &batchS, "one run"}, {alone, tAlone, &aloneS, "new pairs alone"}} {
			hits, misses := precisionAt1(r.x, r.trans, gold, terms)
			r.s.hits += hits
			r.s.terms += len(terms)
			t.Logf("file %d, %s: %d of %d gold terms; misses: %s", f+1, r.name, hits, len(terms), strings.Join(misses, "; "))
		}
		// Every term frequent in both parts: is its most frequent
		// translation in the new pairs the one a single run finds?
		for key, trans := range tBatch {
			if firstFreq[key] < minCount || total(trans) < minCount {
				continue
			}
			want := top(trans)
			for _, r := range []struct {
				trans map[string]map[string]int
				s     *score
			}{{tIncr, &incrS}, {tAlone, &aloneS}} {
				r.s.common++
				if top(r.trans[key]) == want {
					r.s.agree++
				}
			}
		}
	}
	p := func(s score) float64 { return float64(s.hits) / float64(max(s.terms, 1)) }
	ag := func(s score) float64 { return float64(s.agree) / float64(max(s.common, 1)) }
	t.Logf("first file: %d pairs; %d second files of %d pairs each; terms occurring ≥ %d times in both", n, files, m, minCount)
	t.Logf("precision@1 of the most frequent translation in the second file, %d gold terms over all files:", incrS.terms)
	t.Logf("  incremental (stored model + EM on the new pairs): %.3f", p(incrS))
	t.Logf("  one run over the first and second file:           %.3f", p(batchS))
	t.Logf("  the second file alone:                            %.3f", p(aloneS))
	t.Logf("same most frequent translation as one run, %d terms over all files: incremental %.3f, second file alone %.3f", incrS.common, ag(incrS), ag(aloneS))
	if incrS.terms < 100 {
		t.Errorf("only %d gold terms to score", incrS.terms)
	}
	if p(incrS) < p(batchS) {
		t.Errorf("incremental precision@1 %.3f < one run over all pairs %.3f", p(incrS), p(batchS))
	}
	if p(incrS) < p(aloneS)+0.05 || ag(incrS) < ag(aloneS)+0.05 {
		t.Errorf("incremental (precision@1 %.3f, agreement %.3f) is not clearly better than the second file alone (%.3f, %.3f)", p(incrS), ag(incrS), p(aloneS), ag(aloneS))
	}
}

// FuzzModel feeds the model decoder arbitrary bytes: it must never panic,
// fail only with ErrModelCorrupt or ErrModelVersion, and what it accepts
// must survive an encode-decode round trip.
func FuzzModel(f *testing.F) {
	if good, err := os.ReadFile(filepath.Join("testdata", "small.kgm")); err == nil {
		f.Add(good)
		f.Add(good[:len(good)/2])
	}
	x := New("en", "es", Options{})
	if err := x.Continue(nil, nil); err == nil {
		for _, p := range smallPairs[:3] {
			x.Add("s", unit(p[0], p[1]))
		}
		_ = x.Train(context.Background())
		if b, err := x.Model().WithSources(ModelSource{"s", "h"}).MarshalBinary(); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(modelMagic))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzDecode(t, data)
		// Almost every mutation breaks the checksum: the same bytes with
		// the length and checksum fixed reach the body's checks.
		if len(data) >= modelHeaderLen+4 {
			fuzzDecode(t, reseal(data))
		}
	})
}

func fuzzDecode(t *testing.T, data []byte) {
	var m Model
	err := m.UnmarshalBinary(data)
	if err != nil {
		if !errors.Is(err, ErrModelCorrupt) && !errors.Is(err, ErrModelVersion) {
			t.Fatalf("UnmarshalBinary error %v wraps neither ErrModelCorrupt nor ErrModelVersion", err)
		}
		return
	}
	// Numbers may have been written in a longer form than needed, so
	// compare encodings, not the input.
	enc, err := m.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	var again Model
	if err := again.UnmarshalBinary(enc); err != nil {
		t.Fatalf("a decoded model encodes to bytes that do not decode: %v", err)
	}
	if enc2, _ := again.MarshalBinary(); !bytes.Equal(enc, enc2) {
		t.Fatalf("encode(decode(encode(m))) differs from encode(m)")
	}
	for _, c := range m.cells {
		m.Prob(m.src[c.s], m.tgt[c.t])
	}
}
