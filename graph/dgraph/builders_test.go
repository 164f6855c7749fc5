package dgraph

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dgraph-io/dgo/v230"
	"github.com/dgraph-io/dgo/v230/protos/api"

	"github.com/kgmem/kgmem/graph"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from %s:\n%s", name, path, got)
	}
}

func TestSchemaGolden(t *testing.T) {
	golden(t, "schema.golden", schemaText())
}

func TestSchemaMissing(t *testing.T) {
	var all []serverPred
	for _, p := range schema {
		sp := serverPred{Predicate: p.Name, Type: p.Type, Index: p.Index != "", Reverse: p.Reverse, Upsert: p.Upsert, Lang: p.Lang, List: p.List}
		if p.Index != "" {
			sp.Tokenizer = []string{p.Index}
		}
		all = append(all, sp)
	}
	answer := func(ps []serverPred) []byte {
		b, err := json.Marshal(map[string]any{"schema": ps})
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	changed := func(f func(p *serverPred)) []serverPred {
		out := append([]serverPred(nil), all...)
		f(&out[0])
		return out
	}
	tests := []struct {
		name string
		ps   []serverPred
		want int
	}{
		{"all there", all, 0},
		{"one missing", all[1:], 1},
		{"no upsert", changed(func(p *serverPred) { p.Upsert = false }), 1},
		{"other tokenizer", changed(func(p *serverPred) { p.Tokenizer = []string{"hash"} }), 1},
		{"two tokenizers", changed(func(p *serverPred) { p.Tokenizer = []string{"exact", "term"} }), 1},
		{"list", changed(func(p *serverPred) { p.List = true }), 1},
		{"empty server", nil, len(schema)},
	}
	for _, tt := range tests {
		got, err := schemaMissing(answer(tt.ps))
		if err != nil || len(got) != tt.want || (tt.want == 1 && got[0].Name != schema[0].Name && tt.name != "one missing") {
			t.Errorf("schemaMissing(%s) = %v, %v; want %d predicates", tt.name, got, err, tt.want)
		}
	}
	if _, err := schemaMissing([]byte("{")); err == nil {
		t.Errorf("schemaMissing(bad JSON) succeeded")
	}
}

// TestQueriesCarryNoData: values reach Dgraph only as variables, whatever
// they contain.
func TestQueriesCarryNoData(t *testing.T) {
	hostile := []string{`"}) { uid } #`, `$v0`, "a\nb", `\"`, `@filter(eq(kg.eid, "x"))`, "ns/e1"}
	q := lookupQuery(hostile, hostile[3:], hostile[:2], hostile[2:3])
	text := q.String()
	for _, h := range hostile {
		if strings.Contains(text, h) && h != "$v0" {
			t.Errorf("query text contains the value %q:\n%s", h, text)
		}
	}
	if len(q.vars) != len(hostile)+len(hostile[3:])+3 || q.vars["$v0"] != hostile[0] || q.vars["$v1"] != hostile[1] {
		t.Errorf("vars = %q", q.vars)
	}
	golden(t, "lookup.golden", text+"\n")
}

func TestSpace(t *testing.T) {
	if _, err := newSpace("a/b"); err == nil {
		t.Errorf("newSpace(a/b) succeeded")
	}
	sp, err := newSpace("t1")
	if err != nil {
		t.Fatal(err)
	}
	other, _ := newSpace("t1x")
	if k := other.key("e1"); k >= sp.prefix && k <= sp.hi {
		t.Errorf("key %q of namespace t1x is in t1's range [%q, %q]", k, sp.prefix, sp.hi)
	}
	if k := sp.key("e1"); k < sp.prefix || k > sp.hi {
		t.Errorf("key %q is outside its namespace's range", k)
	}
	tests := []struct {
		text, lang string
		inRange    bool
	}{
		{"file", "en", true},
		{"file", "es-ES", true},
		{"file", "", true},
		{"files", "en", false},
		{"fil", "en", false},
		{"file\x00x", "en", true}, // a NUL in a label: in range, rejected by the literal check
	}
	lo, hi := sp.anyLangRange("file")
	for _, tt := range tests {
		k := sp.labelKey(tt.text, tt.lang)
		if got := k >= lo && k <= hi; got != tt.inRange {
			t.Errorf("labelKey(%q, %q) in anyLangRange(file) = %v, want %v", tt.text, tt.lang, got, tt.inRange)
		}
	}
	all := sp.fileKeys("a.tmx")
	if len(all) != fileShards || len(slices.Compact(slices.Sorted(slices.Values(all)))) != fileShards {
		t.Errorf("fileKeys(a.tmx) = %q, want %d distinct keys", all, fileShards)
	}
	shards := map[string]bool{}
	for i := range 1000 {
		k := sp.fileKey("a.tmx", fmt.Sprintf("e%d", i))
		if !slices.Contains(all, k) || k != sp.fileKey("a.tmx", fmt.Sprintf("e%d", i)) {
			t.Fatalf("fileKey(a.tmx, e%d) = %q, not one of fileKeys(a.tmx) or not stable", i, k)
		}
		shards[k] = true
		// A file whose name ends like a shard suffix is another file.
		if k2 := sp.fileKey("a.tmx\x0000", fmt.Sprintf("e%d", i)); slices.Contains(all, k2) {
			t.Errorf("fileKey(a.tmx NUL 00, e%d) = %q is one of a.tmx's keys", i, k2)
		}
	}
	if len(shards) != fileShards {
		t.Errorf("1000 IDs fell into %d shards, want all %d", len(shards), fileShards)
	}
	if sp.labelKey("file", "es") != sp.labelKey("file", "ES-mx") {
		t.Errorf("labelKey does not key by base language")
	}
	if sp.foldKey("STRASSE", "de") != sp.foldKey("Straße", "de-AT") {
		t.Errorf("foldKey does not fold")
	}
}

func TestLiteralPred(t *testing.T) {
	tests := []struct{ lang, want string }{
		{"es", "kg.literal@es"},
		{"es-ES", "kg.literal@es-ES"},
		{"zh-Hant-TW", "kg.literal@zh-Hant-TW"},
		{"", "kg.literal"},
		{"pt_BR", "kg.literal"},
		{`x"y`, "kg.literal"},
		{"a b", "kg.literal"},
		{"-es", "kg.literal"},
	}
	for _, tt := range tests {
		if got := literalPred(tt.lang); got != tt.want {
			t.Errorf("literalPred(%q) = %q, want %q", tt.lang, got, tt.want)
		}
	}
}

func TestDiff(t *testing.T) {
	old := vals{"kg.a": "x", "kg.b": 2, "kg.r": ref{UID: "0x1"}}
	tests := []struct {
		name               string
		new                vals
		oldFiles, newFiles []string
		want               write
	}{
		{"unchanged", vals{"kg.a": "x", "kg.b": 2, "kg.r": ref{UID: "0x1"}}, []string{"f"}, []string{"f"}, write{}},
		{"changed", vals{"kg.a": "y", "kg.b": 2, "kg.r": ref{UID: "0x2"}}, nil, nil,
			write{set: map[string]any{"uid": "0x9", "kg.a": "y", "kg.r": ref{UID: "0x2"}}}},
		{"removed", vals{"kg.a": "x"}, nil, nil,
			write{del: map[string]any{"uid": "0x9", "kg.b": nil, "kg.r": nil}}},
		{"files", vals{"kg.a": "x", "kg.b": 2, "kg.r": ref{UID: "0x1"}}, []string{"f", "g"}, []string{"g", "h"},
			write{set: map[string]any{"uid": "0x9", predFiles: []string{"h"}}, del: map[string]any{"uid": "0x9", predFiles: []string{"f"}}}},
	}
	for _, tt := range tests {
		if got := diff("0x9", old, tt.new, tt.oldFiles, tt.newFiles); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("diff(%s) = %+v, want %+v", tt.name, got, tt.want)
		}
	}
}

// TestFactRoundTrip: what Upsert would write for a fact reads back as the
// same vals, so a rewrite writes nothing.
func TestFactRoundTrip(t *testing.T) {
	n := factNode{
		Subject: &entityNode{UID: "0x1"}, Pred: graph.PredLabel, Literal: `"}) { uid } #`, LiteralPred: literalPred("es-ES"),
		Lang: "es-ES", Status: "preferred", Weight: 0.8, Count: 10, Sources: `[{"file":"a","count":10}]`,
		ValidFrom: time.Date(2026, 1, 2, 3, 4, 5, 123456789, time.UTC), LabelKey: "ns/x\x00es",
	}
	v, err := n.vals()
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	// Dgraph answers a uid edge with the node, and kg.literal@* with the
	// tagged key.
	b = []byte(strings.Replace(string(b), `"kg.subject":{"uid":"0x1"}`, `"kg.subject":{"uid":"0x1","kg.eid":"ns/e1"}`, 1))
	var back factNode
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if got, err := back.vals(); err != nil || !reflect.DeepEqual(got, v) {
		t.Errorf("vals after a round trip = %v, %v; want %v", got, err, v)
	}
	if back.Status != n.Status || back.Weight != n.Weight || back.Count != n.Count || back.Sources != n.Sources || !back.ValidFrom.Equal(n.ValidFrom) {
		t.Errorf("fields after a round trip = %+v, want %+v", back, n)
	}
	f, err := back.fact(space{prefix: "ns/"}, "")
	if err != nil || f.Subject != "e1" || f.Literal != n.Literal || f.Lang != "es-ES" || f.Sources[0].Count != 10 {
		t.Errorf("fact() = %+v, %v", f, err)
	}
}

func TestSegmentRoundTrip(t *testing.T) {
	sg := graph.Segment{
		ID: "s1", SourceLang: "en", TargetLang: "es", Source: "a", Target: "b", Status: "approved",
		Changed:  time.Date(2026, 3, 15, 11, 15, 0, 0, time.FixedZone("CET", 3600)),
		Mentions: []graph.Mention{{Entity: "e1", Side: graph.SideSource, Start: 0, End: 1}},
		Sources:  []graph.Source{{File: "f", Count: 1}},
	}
	data, err := encodeSegment(sg)
	if err != nil {
		t.Fatal(err)
	}
	got, err := (&segmentNode{SID: "ns/s1", Data: data}).segment(space{prefix: "ns/"})
	if err != nil {
		t.Fatal(err)
	}
	want := sg
	want.Changed = sg.Changed.UTC()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("segment round trip = %+v, want %+v", got, want)
	}
}

func TestEncodeWrites(t *testing.T) {
	str := func(s string) *api.Value { return &api.Value{Val: &api.Value_StrVal{StrVal: s}} }
	ws := []write{
		{set: map[string]any{"uid": "_:f0", predSubject: ref{UID: "_:e0"}, predObject: ref{UID: "_:e1"}}},
		{del: map[string]any{"uid": "0x5", predFiles: []string{"ns/a"}, predLiteral + "@es": nil}},
		{set: map[string]any{"uid": "_:e0", predLiteral + "@es-ES": "[1, 2]", "kg.n": 3, "kg.w": 0.5, predComplete: true, predFiles: []string{"a", "b"}}},
	}
	mu, err := encodeWrites(ws, map[string]string{"_:e0": "0x10"})
	if err != nil {
		t.Fatal(err)
	}
	wantSet := []*api.NQuad{
		{Subject: "_:f0", Predicate: predObject, ObjectId: "_:e1"},
		{Subject: "_:f0", Predicate: predSubject, ObjectId: "0x10"},
		{Subject: "0x10", Predicate: predComplete, ObjectValue: &api.Value{Val: &api.Value_BoolVal{BoolVal: true}}},
		{Subject: "0x10", Predicate: predFiles, ObjectValue: str("a")},
		{Subject: "0x10", Predicate: predFiles, ObjectValue: str("b")},
		{Subject: "0x10", Predicate: predLiteral, Lang: "es-ES", ObjectValue: str("[1, 2]")},
		{Subject: "0x10", Predicate: "kg.n", ObjectValue: &api.Value{Val: &api.Value_IntVal{IntVal: 3}}},
		{Subject: "0x10", Predicate: "kg.w", ObjectValue: &api.Value{Val: &api.Value_DoubleVal{DoubleVal: 0.5}}},
	}
	wantDel := []*api.NQuad{
		{Subject: "0x5", Predicate: predFiles, ObjectValue: str("ns/a")},
		{Subject: "0x5", Predicate: predLiteral, Lang: "es", ObjectValue: starAll},
	}
	if !reflect.DeepEqual(mu.Set, wantSet) {
		t.Errorf("encodeWrites(…).Set = %v, want %v", mu.Set, wantSet)
	}
	if !reflect.DeepEqual(mu.Del, wantDel) {
		t.Errorf("encodeWrites(…).Del = %v, want %v", mu.Del, wantDel)
	}
	if mu, err := encodeWrites([]write{{}}, nil); mu != nil || err != nil {
		t.Errorf("encodeWrites(nothing) = %v, %v", mu, err)
	}
	if _, err := encodeWrites([]write{{set: map[string]any{"uid": "0x1", "kg.x": struct{}{}}}}, nil); err == nil {
		t.Errorf("encodeWrites(a value of an unknown type) succeeded")
	}
}

func TestRetry(t *testing.T) {
	s := &Store{opts: Options{MaxRetries: 3, RetryBackoff: time.Microsecond}.withDefaults()}
	ctx := context.Background()
	other := errors.New("boom")
	tests := []struct {
		name      string
		errs      []error // returned by successive attempts; nil after the list
		wantCalls int
		want      error
	}{
		{"first time", nil, 1, nil},
		{"after two aborts", []error{dgo.ErrAborted, dgo.ErrAborted}, 3, nil},
		{"wrapped abort", []error{errors.Join(errors.New("commit"), dgo.ErrAborted)}, 2, nil},
		{"always aborted", []error{dgo.ErrAborted, dgo.ErrAborted, dgo.ErrAborted, dgo.ErrAborted, dgo.ErrAborted}, 4, graph.ErrConflict},
		{"other error", []error{other}, 1, other},
	}
	for _, tt := range tests {
		calls := 0
		err := s.retry(ctx, "op", func(context.Context) error {
			calls++
			if calls <= len(tt.errs) {
				return tt.errs[calls-1]
			}
			return nil
		})
		if calls != tt.wantCalls || !errors.Is(err, tt.want) || (tt.want == nil && err != nil) {
			t.Errorf("retry(%s) = %v after %d calls, want %v after %d", tt.name, err, calls, tt.want, tt.wantCalls)
		}
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	s.opts.RetryBackoff = time.Hour
	if err := s.retry(cancelled, "op", func(context.Context) error { return dgo.ErrAborted }); !errors.Is(err, context.Canceled) {
		t.Errorf("retry with a cancelled context = %v, want context.Canceled", err)
	}
}

func TestValidate(t *testing.T) {
	e := graph.EntityID(graph.TypeTerm, "en:x")
	ok := graph.NewLabel(e, "x", "en", "", 1, "f", 1, "")
	nan := ok
	nan.Weight = float64(0) / func() float64 { return 0 }()
	tests := []struct {
		name string
		b    graph.Batch
		want error
	}{
		{"good", graph.Batch{Facts: []graph.Fact{ok}}, nil},
		{"NaN weight", graph.Batch{Facts: []graph.Fact{nan}}, graph.ErrInvalid},
		{"no predicate", graph.Batch{Facts: []graph.Fact{{ID: "f", Subject: e}}}, graph.ErrInvalid},
	}
	for _, tt := range tests {
		if err := validate(&tt.b); !errors.Is(err, tt.want) || (tt.want == nil && err != nil) {
			t.Errorf("validate(%s) = %v, want %v", tt.name, err, tt.want)
		}
	}
}
