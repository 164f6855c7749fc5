package retrieval

import (
	"context"
	"fmt"
	"maps"
	"time"

	"github.com/kgmem/kgmem/graph"
)

// CatchUpEntities brings the index up to date after a small write that
// changed the labels of known entities and wrote no segment, such as a
// term added or deprecated: ids are the entities written. When the only
// change to the store since the index was last brought up to date is new
// source files without units, it reads again only those entities;
// otherwise it is CatchUp.
func (x *Index) CatchUpEntities(ctx context.Context, store graph.Store, ids []string) (SyncSummary, error) {
	start := time.Now()
	sum, ok, err := x.catchUpEntities(ctx, store, ids, start)
	if err != nil || ok {
		return sum, err
	}
	return x.CatchUp(ctx, store)
}

func (x *Index) catchUpEntities(ctx context.Context, store graph.Store, ids []string, start time.Time) (SyncSummary, bool, error) {
	x.wmu.Lock()
	defer x.wmu.Unlock()
	if x.tm == nil || x.opts.Shards > 0 && x.man.Shards != x.opts.Shards {
		return SyncSummary{}, false, nil
	}
	states, err := store.SourceStates(ctx)
	if err != nil {
		return SyncSummary{}, false, fmt.Errorf("read source states: %w", err)
	}
	changed := map[string]graph.SourceState{}
	for _, s := range states {
		old, known := x.man.Sources[s.File]
		switch {
		case known && sameState(old, s):
		case known || s.Units != 0:
			return SyncSummary{}, false, nil // segments to index
		default:
			changed[s.File] = s
		}
	}
	if len(states) < len(x.man.Sources) {
		return SyncSummary{}, false, nil // removed files
	}
	want := make(map[string]bool, len(ids))
	for _, id := range ids {
		want[id] = true
	}
	n, err := x.updateEntities(ctx, store, want)
	if err != nil {
		return SyncSummary{}, true, err
	}
	man := x.man
	man.Sources = make(map[string]graph.SourceState, len(x.man.Sources)+len(changed))
	maps.Copy(man.Sources, x.man.Sources)
	maps.Copy(man.Sources, changed)
	man.Entities = x.table.len()
	if err := x.writeManifest(man); err != nil {
		return SyncSummary{}, true, err
	}
	x.publish(man)
	return SyncSummary{Changed: len(changed), Entities: n, Seconds: time.Since(start).Seconds()}, true, nil
}
