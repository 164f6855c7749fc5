package translate_test

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/graph/embedded"
	"github.com/kgmem/kgmem/graph/ingest"
	"github.com/kgmem/kgmem/internal/testenv"
	"github.com/kgmem/kgmem/plugins/builtin"
	"github.com/kgmem/kgmem/plugins/host"
	"github.com/kgmem/kgmem/retrieval"
	"github.com/kgmem/kgmem/translate"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// TestMain lets the test binary serve a built-in model as kgmem does
// (`kgmem plugin serve NAME`): the host starts this executable so, and the
// models run as real subprocesses through plugins/host.
func TestMain(m *testing.M) {
	if len(os.Args) == 4 && os.Args[1] == "plugin" && os.Args[2] == "serve" {
		if err := builtin.Serve(os.Args[3]); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// startModel starts a built-in model as a subprocess; it is stopped when
// the test ends.
func startModel(t *testing.T, name string) *host.Model {
	t.Helper()
	if name == "apertium" {
		testenv.Tool(t, "apertium", "apt-get install apertium apertium-eng-spa")
	}
	h, err := host.New(host.Options{PluginDir: t.TempDir(), Builtins: builtin.Names()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	m, err := h.Start(context.Background(), name)
	if err != nil {
		t.Fatalf("start model %s: %v", name, err)
	}
	return m
}

// testMemory is a graph store and its search index in a data directory of
// the test's own, built as `kgmem build-graph` builds them.
type testMemory struct {
	dir   string
	store *embedded.Store
	index *retrieval.Index
}

// buildMemory builds the graph of files (with term bases terms) into a new
// embedded store and brings a new search index up to date with it.
func buildMemory(t *testing.T, opts ingest.Options) *testMemory {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	store, err := embedded.Open(ctx, filepath.Join(dir, "graph.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	if _, err := ingest.Run(ctx, store, opts); err != nil {
		t.Fatalf("build the graph of %v: %v", opts.Paths, err)
	}
	idx, err := retrieval.Open(ctx, retrieval.Dir(dir), retrieval.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { idx.Close() })
	if _, err := idx.CatchUp(ctx, store); err != nil {
		t.Fatalf("index the graph: %v", err)
	}
	return &testMemory{dir: dir, store: store, index: idx}
}

// demoMemory builds the demo corpus: the Lumen Notes memory and glossary.
func demoMemory(t *testing.T) *testMemory {
	t.Helper()
	demo := filepath.Join(testenv.RepoRoot(t), "corpora", "demo")
	return buildMemory(t, ingest.Options{
		Paths: []string{filepath.Join(demo, "lumen.tmx")},
		Terms: []string{filepath.Join(demo, "glossary.tbx")},
	})
}

// memory returns the pipeline's Memory over m, as `kgmem translate` makes
// it for a model that uses no facts.
func (m *testMemory) memory() *translate.IndexMemory {
	im := translate.NewMemory(m.index, m.index, m.store)
	im.Spotter = m.spotter
	return im
}

func (m *testMemory) spotter(lang string) translate.Spotter { return m.index.Spotter(lang) }

// learner returns the Learner of m, as `kgmem learn` makes it.
func (m *testMemory) learner() *translate.Learner {
	return &translate.Learner{Store: m.store, Index: m.index, Spotter: m.spotter}
}

// translateOne translates one plain-text segment.
func translateOne(t *testing.T, tr *translate.Translator, text string) translate.Result {
	t.Helper()
	rs, err := tr.Translate(context.Background(), []translate.Segment{{ID: "1", Source: corpora.Text(text)}})
	if err != nil {
		t.Fatalf("Translate(%q): %v", text, err)
	}
	if len(rs) != 1 {
		t.Fatalf("Translate(%q) gave %d results, want 1", text, len(rs))
	}
	return rs[0]
}

// protectedTokens returns what must leave the pipeline exactly as it came
// in: the placeholders (printf, templates, markup, escaped newlines), the
// entity references, and the accelerator marker, sorted.
func protectedTokens(s string) []string {
	toks := translate.Placeholders(s)
	toks = append(toks, entityRef.FindAllString(s, -1)...)
	toks = append(toks, address.FindAllString(s, -1)...)
	if translate.Protect(corpora.Text(s)).HasAccelerator() {
		toks = append(toks, "accelerator")
	}
	slices.Sort(toks)
	return toks
}

func sorted(s []string) []string {
	slices.Sort(s)
	return s
}

var (
	entityRef = regexp.MustCompile(`&(?:[A-Za-z][A-Za-z0-9]*|#[0-9]+|#x[0-9A-Fa-f]+);`)
	address   = regexp.MustCompile(`https?://[^\s<>"'\\]+|[A-Za-z0-9.-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+`)
)

// gettextCategories pick the golden strings: for each, the first n
// sources of the file that match, in file order.
var gettextCategories = []struct {
	name string
	re   *regexp.Regexp
	n    int
}{
	{"printf", regexp.MustCompile(`%[-+0-9.]*[sdulf]`), 8},
	{"positional", regexp.MustCompile(`%[0-9]+\$`), 4},
	{"python", regexp.MustCompile(`%\([a-z_]+\)[sd]`), 3},
	{"gtk accelerator", regexp.MustCompile(`(^|[^_A-Za-z])_[A-Za-z]`), 8},
	{"qt accelerator", regexp.MustCompile(`(^|[^&])&[A-Za-z][a-z]+\b[^;]*$`), 3},
	{"entity", regexp.MustCompile(`&amp;`), 3},
	{"markup", regexp.MustCompile(`<[a-z]+[ >]`), 6},
	{"escaped newline", regexp.MustCompile(`\\n`), 6},
}

// gettextStrings selects the golden strings from the gettext dev set, and
// the categories it lacks (Python placeholders, Qt accelerators) from the
// gettext memory: real strings of real catalogs.
func gettextStrings(t *testing.T) []string {
	t.Helper()
	dev := testenv.SharedData(t, "gettext", "en-es.dev.tsv")
	mem := testenv.SharedData(t, "gettext", "en-es.memory.tsv")
	var out []string
	seen := map[string]bool{}
	for _, c := range gettextCategories {
		n := 0
		for _, path := range []string{dev, mem} {
			for _, row := range tsvRows(t, path) {
				src := row[1]
				if n == c.n {
					break
				}
				if seen[src] || !c.re.MatchString(src) || len(src) > 300 {
					continue
				}
				seen[src] = true
				out = append(out, src)
				n++
			}
		}
		if n < c.n {
			t.Fatalf("only %d gettext strings of category %s, want %d", n, c.name, c.n)
		}
	}
	return out
}

// tsvRows returns the rows of a shared gettext TSV (domain, source,
// target; escapes kept as written, as the catalogs have them), without
// the header.
func tsvRows(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out [][]string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for first := true; sc.Scan(); first = false {
		cols := strings.Split(sc.Text(), "\t")
		if first || len(cols) != 3 {
			continue
		}
		out = append(out, cols)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// gettextGolden is one line of testdata/gettext-*.golden.jsonl. The
// catalogs' strings are GPL/LGPL and stay in the shared data: the golden
// files name each string and its translation by a SHA-256 prefix, and keep
// only the protected tokens in clear. A test that fails prints the texts.
type gettextGolden struct {
	Source      string   `json:"source_sha256"`
	Tokens      []string `json:"tokens"`
	Status      string   `json:"status"`
	Translation string   `json:"translation_sha256"`

	source, translation string // the texts, for messages
}

// digest is the SHA-256 prefix that stands for s in a golden file.
func digest(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:8])
}

// TestGettextProtection translates real gettext strings with printf and
// Python placeholders, accelerators, entity references, markup and
// escaped newlines through model subprocesses, without and with memory,
// and checks that every protected token comes back: same multiset, and
// Checks.PlaceholdersIntact. The golden files record the outputs. For the
// deterministic memory model the whole output is compared; for Apertium
// only the protected tokens and statuses are, since its wording changes
// with the engine and the pipeline (a changed wording is logged).
func TestGettextProtection(t *testing.T) {
	srcs := gettextStrings(t)
	if len(srcs) < 40 {
		t.Fatalf("%d golden strings, want at least 40", len(srcs))
	}
	// The memory: the gettext memory's strings that carry what is
	// protected, so that fuzzy matches carry them too, and every other
	// golden string with its catalog translation, so that exact matches
	// are checked as well.
	memTSV := filepath.Join(t.TempDir(), "memory.tsv")
	inMemory := map[string]bool{}
	for i := 0; i < len(srcs); i += 2 {
		inMemory[srcs[i]] = true
	}
	writeMemorySubset(t, testenv.SharedData(t, "gettext", "en-es.memory.tsv"), memTSV, 1500, inMemory)
	mem := buildMemory(t, ingest.Options{
		Paths:      []string{memTSV},
		Terms:      []string{testenv.SharedData(t, "gettext", "en-es.iso-codes.tsv")},
		SourceLang: language.English, TargetLang: language.Spanish,
	})
	for _, tc := range []struct {
		model  string
		memory bool
		strict bool // compare the translations too
	}{
		{"memory", true, true},
		{"apertium", false, false},
		{"apertium", true, false},
	} {
		name := tc.model
		if tc.memory {
			name += "+memory"
		}
		t.Run(name, func(t *testing.T) {
			var m translate.Memory
			if tc.memory {
				m = mem.memory()
			}
			tr := translate.New(startModel(t, tc.model), m, translate.Options{SourceLang: "en", TargetLang: "es"})
			segs := make([]translate.Segment, len(srcs))
			for i, s := range srcs {
				segs[i] = translate.Segment{ID: fmt.Sprint(i), Source: corpora.Text(s)}
			}
			rs, err := tr.Translate(context.Background(), segs)
			if err != nil {
				t.Fatal(err)
			}
			got := make([]gettextGolden, len(rs))
			for i, r := range rs {
				want := protectedTokens(srcs[i])
				got[i] = gettextGolden{Source: digest(srcs[i]), Tokens: want, Status: r.Status, Translation: digest(r.Translation),
					source: srcs[i], translation: r.Translation}
				// An exact match is the catalog's own translation, used as
				// it is: its translator may write "y" for "&amp;" or leave
				// out the accelerator, so only its placeholders must agree.
				out := protectedTokens(r.Translation)
				if r.Status == translate.StatusExact {
					want, out = sorted(translate.Placeholders(srcs[i])), sorted(translate.Placeholders(r.Translation))
				}
				if !slices.Equal(out, want) {
					t.Errorf("Translate(%q) = %q (%s): protected tokens %q, want %q", srcs[i], r.Translation, r.Status, out, want)
				}
				if !r.Checks.PlaceholdersIntact {
					t.Errorf("Translate(%q) = %q: PlaceholdersIntact false (%v)", srcs[i], r.Translation, r.Checks.Problems)
				}
			}
			compareGettextGolden(t, filepath.Join("testdata", "gettext-"+strings.ReplaceAll(name, "+", "-")+".golden.jsonl"), got, tc.strict)
		})
	}
}

// writeMemorySubset writes to dst the header and the first n pairs of the
// gettext memory src whose source has something to protect, then the dev
// set's pairs of extra: segments the memory then has exactly, and whose
// neighbours ("%d hour", "%d hours") it has as fuzzy matches.
func writeMemorySubset(t *testing.T, src, dst string, n int, extra map[string]bool) {
	t.Helper()
	rows := tsvRows(t, src)
	var b strings.Builder
	b.WriteString("domain\tsource\ttarget\n")
	for _, cols := range rows {
		if n == 0 {
			break
		}
		if len(protectedTokens(cols[1])) > 0 && !extra[cols[1]] {
			b.WriteString(strings.Join(cols, "\t") + "\n")
			n--
		}
	}
	for _, cols := range tsvRows(t, testenv.SharedData(t, "gettext", "en-es.dev.tsv")) {
		if extra[cols[1]] {
			b.WriteString(strings.Join(cols, "\t") + "\n")
			delete(extra, cols[1])
		}
	}
	if err := os.WriteFile(dst, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// compareGettextGolden compares got with the golden file (one JSON object
// per line), or rewrites it under -update.
func compareGettextGolden(t *testing.T, path string, got []gettextGolden, strict bool) {
	t.Helper()
	var b strings.Builder
	for _, g := range got {
		line, err := json.Marshal(g)
		if err != nil {
			t.Fatal(err)
		}
		b.Write(line)
		b.WriteByte('\n')
	}
	if *update {
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	var want []gettextGolden
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		var g gettextGolden
		if err := json.Unmarshal([]byte(line), &g); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		want = append(want, g)
	}
	if len(want) != len(got) {
		t.Fatalf("%d strings, %s has %d; rerun with -update if the selection changed on purpose", len(got), path, len(want))
	}
	changed := 0
	for i := range got {
		g, w := got[i], want[i]
		if g.Source != w.Source || !slices.Equal(g.Tokens, w.Tokens) || g.Status != w.Status {
			t.Errorf("string %d %q: tokens %q status %s, golden: string %s tokens %q status %s", i, g.source, g.Tokens, g.Status, w.Source, w.Tokens, w.Status)
		}
		if g.Translation != w.Translation {
			if strict {
				t.Errorf("Translate(%q) = %q, which is not the golden translation (sha256 %s); rerun with -update if the change is right", g.source, g.translation, w.Translation)
			} else {
				changed++
			}
		}
	}
	if changed > 0 {
		t.Logf("%d of %d translations differ from %s (the engine's wording; tokens and statuses agree); go test -update rewrites it", changed, len(got), path)
	}
}

// TestProtectAddresses: an '&' or '_' in a URL or an e-mail address is
// part of it, not an accelerator to take out and put back elsewhere (a
// gettext string of wget's lost its "&group=" so).
func TestProtectAddresses(t *testing.T) {
	tests := []struct {
		src, model, want string
	}{
		{"See https://savannah.gnu.org/bugs/?func=additem&group=wget.", "Vea https://savannah.gnu.org/bugs/?func=additem&group=wget.",
			"Vea https://savannah.gnu.org/bugs/?func=additem&group=wget."},
		{"Write to <bug_reports@gnu.org>", "Escriba a <bug_reports@gnu.org>", "Escriba a <bug_reports@gnu.org>"},
		// A real accelerator is not put back inside an address.
		{"_Go and mail g@gnu.org", "Escriba a g@gnu.org", "_Escriba a g@gnu.org"},
	}
	for _, tt := range tests {
		p := translate.Protect(corpora.Text(tt.src))
		seg, problems := p.Restore(tt.model)
		if got := seg.Plain(); got != tt.want || len(problems) != 0 {
			t.Errorf("Protect(%q).Restore(%q) = %q, %v; want %q", tt.src, tt.model, got, problems, tt.want)
		}
	}
}
