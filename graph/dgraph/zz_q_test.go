package dgraph

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"
)

func TestZZQuery(t *testing.T) {
	addr := os.Getenv("KGMEM_DGRAPH_ADDR")
	if addr == "" {
		t.Skip()
	}
	ctx := context.Background()
	var ids []string
	for i := 0; i < 6000; i++ {
		ids = append(ids, fmt.Sprintf("f%024d", i))
	}
	for _, bs := range []int{50, 200, 500, 1000} {
		s, err := Open(ctx, addr, Options{Namespace: "q", BatchSize: bs})
		if err != nil {
			t.Fatal(err)
		}
		txn := s.dg.NewReadOnlyTxn()
		c0, t0 := alphaCPU(t), time.Now()
		if _, _, _, err := s.lookup(ctx, txn, nil, ids, nil); err != nil {
			t.Fatal(err)
		}
		t.Logf("batch %d: %v, alpha cpu %.2fs", bs, time.Since(t0), alphaCPU(t)-c0)
	}
}
