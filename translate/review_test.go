package translate_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/internal/testenv"
	"github.com/kgmem/kgmem/memory"
	"github.com/kgmem/kgmem/plugins"
	"github.com/kgmem/kgmem/translate"
)

// TestTranslateFileReview translates documents with the QA checks of
// package qa as the reviewer (memory.Reviewer, as kgmem translate does)
// and the memory model without a memory, which leaves sources as they
// are: every sentence comes back unchanged, which the checks report. Such
// units are marked for review, with a note per problem — a PO translator
// comment and fuzzy even under --approve, an XLIFF note from kgmem-qa and
// a state that needs review — and the outputs pass msgfmt --check and
// xmllint. Translating the output again replaces the notes rather than
// adding to them.
func TestTranslateFileReview(t *testing.T) {
	msgfmt := testenv.Tool(t, "msgfmt", "apt-get install gettext")
	xmllint := testenv.Tool(t, "xmllint", "apt-get install libxml2-utils")
	tr := translate.New(startModel(t, "memory"), nil, translate.Options{SourceLang: "en", TargetLang: "es"})
	ctx := context.Background()
	run := func(t *testing.T, in, out string, approve, retranslate bool) map[string]translate.Result {
		t.Helper()
		rs := map[string]translate.Result{}
		_, err := tr.TranslateFile(ctx, translate.FileOptions{In: in, Out: out, SourceLang: english, TargetLang: spanish,
			Approve: approve, Retranslate: retranslate, Review: memory.Reviewer(nil)},
			func(u *corpora.Unit, r translate.Result) error { rs[unitKey(u)] = r; return nil })
		if err != nil {
			t.Fatalf("TranslateFile(%s): %v", in, err)
		}
		return rs
	}
	unchanged := func(r translate.Result) bool {
		for _, p := range r.Checks.Problems {
			if p.Kind == "unchanged" {
				return true
			}
		}
		return false
	}
	for _, name := range []string{"ui.po", "ui-1.2.xlf", "ui-2.0.xlf"} {
		for _, approve := range []bool{false, true} {
			t.Run(name+map[bool]string{false: "", true: "/approve"}[approve], func(t *testing.T) {
				out := filepath.Join(t.TempDir(), name)
				rs := run(t, filepath.Join("testdata", "docs", name), out, approve, false)
				var r translate.Result
				for _, x := range rs {
					if x.Source == "Delete Note" {
						r = x
					}
				}
				if !unchanged(r) {
					t.Fatalf("Delete Note → %q, problems %v; want it reported unchanged", r.Translation, r.Checks.Problems)
				}
				problems := 0
				for _, r := range rs {
					problems += len(r.Checks.Problems)
				}
				outb, err := os.ReadFile(out)
				if err != nil {
					t.Fatal(err)
				}
				var tool *exec.Cmd
				if strings.HasSuffix(name, ".po") {
					tool = exec.Command(msgfmt, "--check", "-o", os.DevNull, out)
					if n := strings.Count(string(outb), "# "+translate.NotePrefix); n != problems {
						t.Errorf("%s: %d translator comments of kgmem qa, want one per problem (%d):\n%s", out, n, problems, outb)
					}
				} else {
					tool = exec.Command(xmllint, "--noout", out)
					if n := strings.Count(string(outb), translate.ReviewAuthor); n != len(flaggedUnits(rs)) {
						t.Errorf("%s: %d notes of kgmem-qa, want one per unit with problems (%d):\n%s", out, n, len(flaggedUnits(rs)), outb)
					}
				}
				if b, err := tool.CombinedOutput(); err != nil {
					t.Errorf("%s: %v\n%s", tool, err, b)
				}
				for _, u := range readUnits(t, out, english, spanish) {
					r, ok := rs[unitKey(u)]
					if !ok {
						continue
					}
					switch {
					case len(r.Checks.Problems) > 0 && u.Status != corpora.StatusMachine && u.Status != corpora.StatusDraft:
						t.Errorf("%s: %q has problems %v but is %s, want it marked for review", out, u.Source.Plain(), r.Checks.Problems, u.Status)
					case len(r.Checks.Problems) == 0 && approve && u.Status != corpora.StatusApproved && u.Status != corpora.StatusTranslated:
						t.Errorf("%s: %q has no problem but is %s under --approve", out, u.Source.Plain(), u.Status)
					}
				}
				// Again, on the output: one note per problem still.
				if !strings.HasSuffix(name, ".po") {
					return
				}
				again := filepath.Join(t.TempDir(), name)
				rs = run(t, out, again, approve, true)
				problems = 0
				for _, r := range rs {
					problems += len(r.Checks.Problems)
				}
				b, _ := os.ReadFile(again)
				if n := strings.Count(string(b), "# "+translate.NotePrefix); n != problems {
					t.Errorf("%s translated again: %d translator comments of kgmem qa, want %d:\n%s", out, n, problems, b)
				}
			})
		}
	}
}

// flaggedUnits returns the sources of the results with problems.
func flaggedUnits(rs map[string]translate.Result) []string {
	var out []string
	for k, r := range rs {
		if len(r.Checks.Problems) > 0 {
			out = append(out, k)
		}
	}
	return out
}

// TestTermUsedAcrossMarks checks that a required term counts as used when
// the keyboard accelerator lands inside it ("cuader_no") or an inline code
// touches it: neither is a problem to note.
func TestTermUsedAcrossMarks(t *testing.T) {
	mem := demoMemory(t)
	tr := translate.New(startModel(t, "memory"), mem.memory(), translate.Options{SourceLang: "en", TargetLang: "es"})
	r := translateOne(t, tr, "Move to _Notebook…")
	if !strings.Contains(strings.ReplaceAll(r.Translation, "_", ""), "cuaderno") {
		t.Fatalf("Move to _Notebook… → %q, want the term base's cuaderno in it", r.Translation)
	}
	for _, p := range r.Checks.Problems {
		if p.Kind == "term" {
			t.Errorf("Move to _Notebook… → %q: %s", r.Translation, p)
		}
	}
}

// fixedModel answers every item with the same translation.
type fixedModel string

func (m fixedModel) Translate(_ context.Context, req *plugins.TranslateRequest) (*plugins.TranslateResponse, error) {
	resp := &plugins.TranslateResponse{}
	for _, it := range req.Items {
		resp.Results = append(resp.Results, plugins.Result{ID: it.ID, Translation: string(m)})
	}
	return resp, nil
}

// TestDeprecatedTermFlagged: a translation that uses a term's deprecated
// translation (the demo glossary's libreta for notebook) is flagged; one
// that uses the preferred one is not.
func TestDeprecatedTermFlagged(t *testing.T) {
	mem := demoMemory(t)
	for _, tc := range []struct {
		out  string
		want int
	}{{"Cambie el nombre de la libreta ahora", 1}, {"Cambie el nombre del cuaderno ahora", 0}} {
		tr := translate.New(fixedModel(tc.out), mem.memory(), translate.Options{SourceLang: "en", TargetLang: "es"})
		r := translateOne(t, tr, "Rename the notebook quickly now")
		if r.Checks.DeprecatedUsed != tc.want {
			t.Errorf("%q: deprecated_used = %d, want %d (problems %v)", tc.out, r.Checks.DeprecatedUsed, tc.want, r.Checks.Problems)
		}
		flagged := false
		for _, p := range r.Checks.Problems {
			flagged = flagged || p.Kind == "deprecated" && strings.Contains(p.Detail, "libreta")
		}
		if flagged != (tc.want > 0) {
			t.Errorf("%q: problems %v", tc.out, r.Checks.Problems)
		}
	}
}

// usedModel answers every item with the same translation, and says it
// was built on the match used (nil: it does not say).
type usedModel struct {
	out  string
	used *int
}

func (m usedModel) Translate(_ context.Context, req *plugins.TranslateRequest) (*plugins.TranslateResponse, error) {
	resp := &plugins.TranslateResponse{}
	for _, it := range req.Items {
		resp.Results = append(resp.Results, plugins.Result{ID: it.ID, Translation: m.out, UsedMatch: m.used})
	}
	return resp, nil
}

// TestLabelFollowsUsedMatch: a model's translation is fuzzy only when the
// model says it built on a match (scored as that match), machine when it
// says it did not; a model that does not say (or names no match it was
// given) is labelled by the best match offered.
func TestLabelFollowsUsedMatch(t *testing.T) {
	mem := demoMemory(t)
	const src = "To rename a template, right-click it in the sidebar and choose Rename."
	for _, tc := range []struct {
		name   string
		used   *int
		status string
	}{
		{"does not say", nil, translate.StatusFuzzy},
		{"no match", plugins.Used(plugins.NoMatch), translate.StatusMachine},
		{"the second match", plugins.Used(1), translate.StatusFuzzy},
		{"a match it was not given", plugins.Used(99), translate.StatusFuzzy},
	} {
		tr := translate.New(usedModel{"Para cambiar el nombre de una plantilla", tc.used}, mem.memory(),
			translate.Options{SourceLang: "en", TargetLang: "es", Explain: true})
		r := translateOne(t, tr, src)
		if r.Status != tc.status {
			t.Errorf("%s: status %s, want %s", tc.name, r.Status, tc.status)
		}
		if r.Memory == nil || len(r.Memory.Matches) < 2 {
			t.Fatalf("%s: the demo memory offered %v, want at least two matches", tc.name, r.Memory)
		}
		want := r.Memory.Matches[0].Score
		if tc.used != nil && *tc.used == 1 {
			want = r.Memory.Matches[1].Score
		}
		if r.Score != want {
			t.Errorf("%s: score %d, want %d", tc.name, r.Score, want)
		}
	}
}

// TestDemoPageHonest translates the quick start's demo page with Apertium
// and the demo memory: a sentence labelled fuzzy is a repaired match, not
// Apertium's own translation of it, and no translation has the double
// spaces Apertium leaves where it drops a word.
func TestDemoPageHonest(t *testing.T) {
	model := startModel(t, "apertium")
	mem := demoMemory(t)
	b, err := os.ReadFile(filepath.Join(testenv.RepoRoot(t), "corpora", "demo", "sample.txt"))
	if err != nil {
		t.Fatal(err)
	}
	var segs []translate.Segment
	for _, line := range strings.Split(string(b), "\n") {
		for _, s := range regexp.MustCompile(`[^.]+(?:\.|$)`).FindAllString(line, -1) {
			if s = strings.TrimSpace(s); s != "" {
				segs = append(segs, translate.Segment{ID: fmt.Sprint(len(segs)), Source: corpora.Text(s)})
			}
		}
	}
	opts := translate.Options{SourceLang: "en", TargetLang: "es"}
	with, err := translate.New(model, mem.memory(), opts).Translate(context.Background(), segs)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := translate.New(model, nil, opts).Translate(context.Background(), segs)
	if err != nil {
		t.Fatal(err)
	}
	fuzzy := 0
	for i, r := range with {
		if r.Status == translate.StatusFuzzy {
			fuzzy++
			if r.Translation == raw[i].Translation {
				t.Errorf("%q: labelled %s but is Apertium's own translation %q", r.Source, r.Label(), r.Translation)
			}
		}
		if strings.Contains(r.Translation, "  ") {
			t.Errorf("%q → %q: double space", r.Source, r.Translation)
		}
	}
	if fuzzy == 0 {
		t.Errorf("no sentence of the demo page is a repaired match: %d segments", len(segs))
	}
}
