package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kgmem/kgmem/graph"
	"github.com/kgmem/kgmem/graph/embedded"
	"github.com/kgmem/kgmem/internal/testenv"
	"github.com/kgmem/kgmem/memory"
	"github.com/kgmem/kgmem/retrieval"
	"github.com/kgmem/kgmem/translate"
)

// learnJSON runs `kgmem learn --json` in-process and parses its summaries.
func learnJSON(t *testing.T, dataDir string, args ...string) []translate.LearnSummary {
	t.Helper()
	code, out, stderr := kgmemAt(t, dataDir, "", append([]string{"learn", "--json"}, args...)...)
	if code != exitOK {
		t.Fatalf("learn %v: exit %d: %s", args, code, stderr)
	}
	var sums []translate.LearnSummary
	if err := json.Unmarshal([]byte(out), &sums); err != nil {
		t.Fatalf("learn --json %v: %v\n%s", args, err, out)
	}
	return sums
}

// TestLearnCommandRoundTrip: a sentence the memory lacks is machine
// translated; `kgmem learn --source --target` makes its approved
// translation the very next translate's exact match.
func TestLearnCommandRoundTrip(t *testing.T) {
	bin, _ := pluginBins(t)
	dir := demoGraph(t)
	const (
		src = "Your quarterly report is in the archive notebook."
		tgt = "Su informe trimestral está en el cuaderno del archivo."
	)
	args := []string{"-m", "memory", "--from", "en", "--to", "es", src}
	if r := translateJSON(t, bin, dir, args...)[0]; r.Status != translate.StatusMachine {
		t.Fatalf("before learn: %q is %s, want machine", src, r.Status)
	}

	code, out, stderr := kgmemAt(t, dir, "", "learn", "--from", "en", "--to", "es", "--source", src, "--target", tgt)
	if code != exitOK || !strings.HasPrefix(out, "learned 1 pairs en→es as learn:") {
		t.Fatalf("learn: exit %d, %q, %s", code, out, stderr)
	}
	r := translateJSON(t, bin, dir, args...)[0]
	if r.Status != translate.StatusExact || r.Translation != tgt {
		t.Fatalf("after learn: %q = %q (%s), want %q exact", src, r.Translation, r.Status, tgt)
	}
	if m := r.Memory.Matches; len(m) == 0 || !strings.HasPrefix(m[0].Origin, "learn:") || !strings.HasSuffix(m[0].Origin, "#1") || m[0].Status != "approved" {
		t.Errorf("after learn: matches %+v, want the learned pair first (learn:…#1, approved)", m)
	}
}

// TestLearnCommandSupersedes learns a new preferred translation of a
// glossary term: the old one is kept in the store's history with its end
// of validity, and translate uses the new one as the term constraint.
func TestLearnCommandSupersedes(t *testing.T) {
	bin, _ := pluginBins(t)
	dir := demoGraph(t)
	sums := learnJSON(t, dir, "--from", "en", "--to", "es", "--source", "notebook", "--target", "bloc")
	if len(sums) != 1 || sums[0].Superseded != 1 || sums[0].Segments != 1 || sums[0].Index == nil {
		t.Fatalf("learn notebook → bloc = %+v, want 1 superseded, 1 segment, the index caught up", sums)
	}
	if r := translateJSON(t, bin, dir, "-m", "memory", "--from", "en", "--to", "es", "Rename the notebook quickly now")[0]; termTarget(r, "notebook") != "bloc" || !strings.Contains(r.Translation, "bloc") {
		t.Errorf("after learn: %q = %q, term %q; want the new preferred bloc", r.Source, r.Translation, termTarget(r, "notebook"))
	}

	code, out, _ := kgmemAt(t, dir, "", "graph", "show", "--json", "--to", "es", "notebook")
	var shown []struct {
		Translations []struct{ Text, Status string }
	}
	if code != exitOK || json.Unmarshal([]byte(out), &shown) != nil || len(shown) != 1 || len(shown[0].Translations) == 0 {
		t.Fatalf("graph show notebook: exit %d, %s", code, out)
	}
	if best := shown[0].Translations[0]; best.Text != "bloc" || best.Status != "preferred" {
		t.Errorf("graph show notebook: best translation %+v, want bloc, preferred", best)
	}

	// The history, through the store.
	ctx := context.Background()
	store, err := embedded.Open(ctx, filepath.Join(dir, "graph.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	ents, err := store.EntitiesByLabel(ctx, "notebook", "en", true)
	if err != nil || len(ents) == 0 {
		t.Fatalf("EntitiesByLabel(notebook) = %v, %v", ents, err)
	}
	facts, err := store.Facts(ctx, ents[0].ID, graph.FactQuery{Predicate: graph.PredLabel, Lang: "es", History: true})
	if err != nil {
		t.Fatal(err)
	}
	var old *graph.Fact
	for i := range facts {
		if facts[i].Literal == "cuaderno" && facts[i].Status == graph.StatusPreferred {
			old = &facts[i]
		}
	}
	if old == nil || old.ValidTo.IsZero() {
		t.Errorf("history of the Spanish labels of notebook = %+v, want cuaderno kept with valid_to set", facts)
	}
}

// TestLearnCommandFiles learns a reviewed file passed to `kgmem learn`:
// its pairs are exact matches from then on, and the known terms they
// translate are counted.
func TestLearnCommandFiles(t *testing.T) {
	bin, _ := pluginBins(t)
	dir := demoGraph(t)
	reviewed := filepath.Join(t.TempDir(), "reviewed.tsv")
	if err := os.WriteFile(reviewed, []byte("Pin this note to the top\tFijar esta nota arriba\nUnpin all notes\tDesfijar todas las notas\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	sums := learnJSON(t, dir, "--from", "en", "--to", "es", reviewed)
	if len(sums) != 1 || sums[0].Pairs != 2 || sums[0].Segments != 2 || sums[0].Labels == 0 {
		t.Errorf("learn %s = %+v, want 2 pairs, 2 segments, the term note counted", reviewed, sums)
	}
	rs := translateJSON(t, bin, dir, "-m", "memory", "--from", "en", "--to", "es", "Pin this note to the top", "Unpin all notes")
	for i, want := range []string{"Fijar esta nota arriba", "Desfijar todas las notas"} {
		if rs[i].Status != translate.StatusExact || rs[i].Translation != want {
			t.Errorf("after learn %s: %q = %q (%s), want %q exact", reviewed, rs[i].Source, rs[i].Translation, rs[i].Status, want)
		}
	}
}

// TestLearnCommandAligns learns a translation of a known term that the
// graph lacks: the word-alignment model build-graph kept (for en-US →
// es-ES, the demo memory's languages) finds it in the pair, it becomes a
// label of the term, and the next pair that uses it counts it.
func TestLearnCommandAligns(t *testing.T) {
	dir := demoGraph(t)
	if _, err := os.Stat(filepath.Join(dir, "align.en-US.es-ES.kgm")); err != nil {
		t.Fatalf("build-graph kept no alignment model: %v", err)
	}
	translations := func() map[string]int {
		code, out, stderr := kgmemAt(t, dir, "", "graph", "show", "--json", "--to", "es", "notebook")
		var shown []struct {
			Translations []struct {
				Text  string
				Count int
			}
		}
		if code != exitOK || json.Unmarshal([]byte(out), &shown) != nil || len(shown) != 1 {
			t.Fatalf("graph show notebook: exit %d, %s %s", code, out, stderr)
		}
		got := map[string]int{}
		for _, tr := range shown[0].Translations {
			got[tr.Text] = tr.Count
		}
		return got
	}
	if n, ok := translations()["cuadernos"]; ok {
		t.Fatalf("before learning, notebook already translates as cuadernos (%d)", n)
	}
	steps := []struct {
		source, target  string
		aligned, counts int // labels_aligned; the count of cuadernos after
	}{
		{"Open the notebooks", "Abra los cuadernos", 1, 1},
		{"Sync your notebooks now", "Sincronice sus cuadernos ahora", 0, 2},
		// A deprecated translation is not learned anew.
		{"Export the notebook", "Exporte la libreta", 0, 2},
	}
	for _, st := range steps {
		sums := learnJSON(t, dir, "--from", "en", "--to", "es", "--source", st.source, "--target", st.target)
		if len(sums) != 1 || sums[0].Aligned != st.aligned {
			t.Errorf("learn %q → %q = %+v, want %d labels aligned", st.source, st.target, sums, st.aligned)
		}
		got := translations()
		if got["cuadernos"] != st.counts {
			t.Errorf("after learning %q: notebook → cuadernos counted %d times, want %d (%v)", st.source, got["cuadernos"], st.counts, got)
		}
		if got["libreta"] > 1 {
			t.Errorf("after learning %q: the deprecated libreta was counted (%v)", st.source, got)
		}
	}
}

func TestLearnCommandUsage(t *testing.T) {
	tests := []struct {
		args    []string
		wantErr string
	}{
		{[]string{"learn"}, "learn needs FILES or --source"},
		{[]string{"learn", "--from", "en", "--to", "es", "--source", "x"}, "--source and --target go together"},
		{[]string{"learn", "--source", "x", "--target", "y"}, "needs --from and --to"},
		{[]string{"learn", "--from", "en", "--to", "es", "--source", "x", "--target", "y", "f.tmx"}, "not both"},
		{[]string{"learn", "--from", "C", "--to", "es", "--source", "x", "--target", "y"}, "--from"},
	}
	for _, tt := range tests {
		code, _, stderr := kgmem(t, "", tt.args...)
		if code != exitUsage || !strings.Contains(stderr, tt.wantErr) {
			t.Errorf("kgmem %v: exit %d, %q; want %d mentioning %q", tt.args, code, stderr, exitUsage, tt.wantErr)
		}
	}
}

// TestLearnOnlyFinalWork learns a PO catalog and an XLIFF file in which
// some units are drafts, machine output or untranslated: only the final
// ones enter the memory, the others are reported as skipped, --status
// widens the choice, and every learned pair keeps the file it came from.
func TestLearnOnlyFinalWork(t *testing.T) {
	dir := demoGraph(t)
	tmp := t.TempDir()
	po := filepath.Join(tmp, "dev.es.po")
	writeFile(t, po, `msgid ""
msgstr ""
"Language: es\n"
"Content-Type: text/plain; charset=UTF-8\n"

msgid "Save the quarterly notebook"
msgstr "Guardar la libreta trimestral"

#, fuzzy
msgid "%s is still logged in"
msgstr "%s es quieto logged en"

msgid "Never translated here"
msgstr ""
`)
	xlf := filepath.Join(tmp, "review.xlf")
	writeFile(t, xlf, `<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
 <file original="ui" source-language="en" target-language="es" datatype="plaintext"><body>
  <trans-unit id="1" approved="yes"><source>Archive the old notebook</source><target>Archivar la libreta antigua</target></trans-unit>
  <trans-unit id="2"><source>Rename the shared notebook</source><target state="needs-review-translation">Renombrar la libreta compartida</target></trans-unit>
  <trans-unit id="3"><source>Export the notebook</source><target state="translated">Exportar la libreta</target></trans-unit>
 </body></file>
</xliff>
`)
	code, out, stderr := kgmemAt(t, dir, "", "learn", "--json", "--from", "en", "--to", "es", po, xlf)
	if code != exitOK {
		t.Fatalf("learn: exit %d: %s", code, stderr)
	}
	var sums []translate.LearnSummary
	if err := json.Unmarshal([]byte(out), &sums); err != nil {
		t.Fatal(err)
	}
	if len(sums) != 1 || sums[0].Pairs != 2 {
		t.Fatalf("learn = %+v, want 2 pairs learned (the PO's translated entry, the XLIFF's approved unit)", sums)
	}
	want := map[string]int{"draft": 2, "untranslated": 1, "translated": 1}
	for k, n := range want {
		if sums[0].Skipped[k] != n {
			t.Errorf("skipped = %v, want %v", sums[0].Skipped, want)
			break
		}
	}
	if !strings.Contains(stderr, "not final work") {
		t.Errorf("learn did not say what it skipped: %s", stderr)
	}
	tm := func(text string) []retrieval.Match {
		code, out, stderr := kgmemAt(t, dir, "", "search", "tm", "--json", "--from", "en", "--to", "es", "--min", "100", text)
		if code != exitOK {
			t.Fatalf("search tm %q: exit %d: %s", text, code, stderr)
		}
		var res struct{ Matches []retrieval.Match }
		if err := json.Unmarshal([]byte(out), &res); err != nil {
			t.Fatalf("search tm --json: %v\n%s", err, out)
		}
		return res.Matches
	}
	if ms := tm("%s is still logged in"); len(ms) != 0 {
		t.Errorf("a fuzzy PO entry was learned: %+v", ms)
	}
	if ms := tm("Rename the shared notebook"); len(ms) != 0 {
		t.Errorf("an XLIFF unit that needs review was learned: %+v", ms)
	}
	if ms := tm("Archive the old notebook"); len(ms) != 1 || ms[0].Target != "Archivar la libreta antigua" {
		t.Errorf("the approved XLIFF unit = %+v, want learned", ms)
	}

	// Provenance: the export names the file each learned pair came from.
	exp := filepath.Join(tmp, "out.tmx")
	if code, _, stderr := kgmemAt(t, dir, "", "export", "--origin", "learn:*", exp); code != exitOK {
		t.Fatalf("export: exit %d: %s", code, stderr)
	}
	b, err := os.ReadFile(exp)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), po) || !strings.Contains(string(b), xlf) {
		t.Errorf("the exported learned pairs do not name their files %s and %s:\n%s", po, xlf, b)
	}

	// Forgetting an origin takes back what that file approved, only.
	if code, _, stderr := kgmemAt(t, dir, "", "forget", "--origin", "*.po"); code != exitOK {
		t.Fatalf("forget --origin '*.po': exit %d: %s", code, stderr)
	}
	if ms := tm("Save the quarterly notebook"); len(ms) != 0 {
		t.Errorf("after forgetting *.po, its pair is still found: %+v", ms)
	}
	if ms := tm("Archive the old notebook"); len(ms) != 1 {
		t.Errorf("forgetting *.po took the XLIFF's pair too: %+v", ms)
	}

	// --status widens the choice.
	sums = learnJSON(t, dir, "--from", "en", "--to", "es", "--status", "translated,draft", xlf)
	if len(sums) != 1 || sums[0].Pairs != 2 || sums[0].Skipped["approved"] != 1 {
		t.Errorf("learn --status translated,draft = %+v, want 2 pairs, the approved one skipped", sums)
	}
	if code, _, stderr := kgmemAt(t, dir, "", "learn", "--status", "final", xlf); code != exitUsage || !strings.Contains(stderr, "--status") {
		t.Errorf("learn --status final: exit %d, %s; want a usage error", code, stderr)
	}
	if code, _, stderr := kgmemAt(t, dir, "", "learn", "--from", "en", "--to", "es", "--source", "Save\xff", "--target", "Guardar"); code != exitUsage || !strings.Contains(stderr, "--source: not valid UTF-8") {
		t.Errorf("learn --source with a byte that is not UTF-8: exit %d, %s; want a usage error", code, stderr)
	}
}

// TestLearnEngine: `learn --engine apertium` translates the demo memory
// with Apertium alone and records what its translators correct; `graph
// show` lists it, a translation offers the correction, and a later learn
// adds its pairs to the tally.
func TestLearnEngine(t *testing.T) {
	bin, _ := pluginBins(t)
	testenv.Tool(t, "apertium", "apt-get install apertium apertium-eng-spa")
	dir := demoGraph(t)
	kg := func(args ...string) string {
		t.Helper()
		code, out, stderr := runBin(t, bin, "", append([]string{"--data-dir", dir}, args...)...)
		if code != exitOK {
			t.Fatalf("%v: exit %d: %s", args, code, stderr)
		}
		return out
	}
	var sum memory.EngineSummary
	if err := json.Unmarshal([]byte(kg("learn", "--json", "--engine", "apertium", "--from", "en", "--to", "es")), &sum); err != nil {
		t.Fatal(err)
	}
	// Apertium writes "Clic" where the demo memory's translators wrote
	// "haga clic", in every pair.
	var click *translate.EngineTally
	for i, c := range sum.Corrections {
		if c.Source == "click" && c.Target == "haga clic" {
			click = &sum.Corrections[i]
		}
	}
	if sum.Engine != "apertium:en>es" || sum.Pairs == 0 || click == nil || click.Missed < 10 || click.Agreed != 0 {
		t.Fatalf("learn --engine: %+v; want click → haga clic missed in at least 10 pairs", sum)
	}
	show := kg("graph", "show", "click", "--to", "es")
	want := fmt.Sprintf("engine apertium:en>es: haga clic@es missed in %d pairs, written in 0", click.Missed)
	if !strings.Contains(show, want) {
		t.Errorf("graph show click:\n%s\nwant a line %q", show, want)
	}
	// The translation with Apertium is offered the correction.
	r := translateJSON(t, bin, dir, "-m", "apertium", "--from", "en", "--to", "es", "Click the blue button twice.")[0]
	offered := false
	for _, tm := range r.Memory.Terms {
		offered = offered || tm.Source == "Click" && strings.EqualFold(tm.Target, "haga clic") && tm.EngineMissed == click.Missed
	}
	if !offered {
		t.Errorf("translate: terms %+v, want the correction Click → haga clic offered", r.Memory.Terms)
	}
	// The engine's tallies are a source the graph knows: check finds the
	// memory sound.
	if out := kg("check"); !strings.HasPrefix(out, "checked ") {
		t.Errorf("check after learn --engine: %q", out)
	}
	// A learned pair Apertium gets wrong too counts at once.
	kg("learn", "--from", "en", "--to", "es", "--source", "Click the green flag.", "--target", "Haga clic en la bandera verde.")
	if show := kg("graph", "show", "click", "--to", "es"); !strings.Contains(show, fmt.Sprintf("haga clic@es missed in %d pairs", click.Missed+1)) {
		t.Errorf("after learn, graph show click:\n%s\nwant the correction missed in %d pairs", show, click.Missed+1)
	}
	// A recount replaces the counts, the learned pair's among them: it
	// is counted once.
	kg("learn", "--json", "--engine", "apertium", "--from", "en", "--to", "es")
	if show := kg("graph", "show", "click", "--to", "es"); !strings.Contains(show, fmt.Sprintf("haga clic@es missed in %d pairs", click.Missed+1)) {
		t.Errorf("after a recount, graph show click:\n%s\nwant the correction missed in %d pairs", show, click.Missed+1)
	}
	// Post-edits: the demo memory's translators quote with « » where
	// Apertium keeps the source's straight quotes; translation requotes.
	requoted := false
	for _, e := range sum.PostEdits {
		from, to := e.Describe()
		requoted = requoted || from == `"…"` && to == "«…»"
	}
	if !requoted {
		t.Errorf("learn --engine: post-edits %+v; want \"…\" → «…»", sum.PostEdits)
	}
	quote := func(s string) string {
		return translateJSON(t, bin, dir, "-m", "apertium", "--from", "en", "--to", "es", s)[0].Translation
	}
	if got := quote(`Delete "Old notes"`); !strings.Contains(got, "«") || !strings.Contains(got, "»") {
		t.Errorf(`translation of Delete "Old notes": %q, want it quoted « »`, got)
	}
	// Learned pairs add to the post-edits at once: four that requote
	// curly quotes make Apertium's “…” «…».
	if got := quote("Delete “Old notes”"); !strings.Contains(got, "“") {
		t.Fatalf("before the learned pairs, Apertium's quotes: %q", got)
	}
	for _, w := range []string{"Lumen", "Notes", "Trash", "Archive"} {
		kg("learn", "--from", "en", "--to", "es", "--source", "Open “"+w+"”", "--target", "Abrir «"+w+"»")
	}
	if got := quote("Delete “Old notes”"); !strings.Contains(got, "«") || !strings.Contains(got, "»") {
		t.Errorf("after four pairs requoting “…”, the translation is %q", got)
	}
}
