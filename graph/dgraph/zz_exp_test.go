package dgraph

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"testing"
	"time"
)

func TestZZExp(t *testing.T) {
	addr := os.Getenv("KGMEM_DGRAPH_ADDR")
	if addr == "" {
		t.Skip()
	}
	ctx := context.Background()
	s, err := Open(ctx, addr, Options{Namespace: fmt.Sprintf("exp%d", time.Now().UnixNano())})
	if err != nil {
		t.Fatal(err)
	}
	txn := s.dg.NewTxn()
	var ws []write
	for i := 0; i < 3000; i++ {
		ws = append(ws, newNode(fmt.Sprint("e", i), predEID, s.sp.key(fmt.Sprint("E", i)), vals{predType: "term"}, nil))
	}
	uids, err := s.mutate(ctx, txn, ws)
	if err != nil {
		t.Fatal(err)
	}
	txn.Commit(ctx)
	full := func(n string, i int) map[string]any {
		return map[string]any{"uid": fmt.Sprint("_:f", i), predFID: s.sp.key(fmt.Sprint(n, i)),
			predSubject:  ref{uids[fmt.Sprint("e", i%3000)]},
			predLabelKey: fmt.Sprint(s.sp.prefix, n, "k", i), predLabelFold: fmt.Sprint(s.sp.prefix, n, "f", i),
			predFiles: []string{s.sp.prefix + "file"}, predLiteral + "@en": fmt.Sprint("term", i),
			predPred: "label", predLang: "en", predWeight: 0.5, predCount: 3,
			predSources: `[{"file":"large.tmx","count":1}]`, predValidFrom: time.Now().UTC().Format(time.RFC3339Nano)}
	}
	variants := map[string]func(m map[string]any) map[string]any{
		"fid-only": func(m map[string]any) map[string]any { return map[string]any{"uid": m["uid"], predFID: m[predFID]} },
		"full":     func(m map[string]any) map[string]any { return m },
		"noindex": func(m map[string]any) map[string]any {
			delete(m, predLabelKey)
			delete(m, predLabelFold)
			delete(m, predFiles)
			return m
		},
		"blob": func(m map[string]any) map[string]any {
			out := map[string]any{"uid": m["uid"], predFID: m[predFID], predSubject: m[predSubject], predLabelKey: m[predLabelKey], predLabelFold: m[predLabelFold], predFiles: m[predFiles], predPred: m[predPred]}
			b, _ := json.Marshal(m)
			out[predSources] = string(b)
			return out
		},
		"scalars-only": func(m map[string]any) map[string]any {
			delete(m, predLabelKey)
			delete(m, predLabelFold)
			delete(m, predFiles)
			delete(m, predSubject)
			return m
		},
	}
	for _, name := range []string{"fid-only", "full", "noindex", "blob", "scalars-only", "full"} {
		txn := s.dg.NewTxn()
		var ws []write
		for i := 0; i < 6000; i++ {
			ws = append(ws, write{set: variants[name](full(name+time.Now().String(), i))})
		}
		c0, t0 := alphaCPU(t), time.Now()
		if _, err := s.mutate(ctx, txn, ws); err != nil {
			t.Fatal(err)
		}
		txn.Commit(ctx)
		t.Logf("%s: %v alpha cpu %.2fs", name, time.Since(t0), alphaCPU(t)-c0)
	}
}
