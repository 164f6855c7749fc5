package retrieval

import (
	"maps"

	"github.com/kgmem/kgmem/graph"
)

// Sources returns the source states of the store the index was last
// brought up to date with, by file name: a process that shares the store
// with others compares them with the store's to find what the others
// wrote since (memory.Follower).
func (x *Index) Sources() map[string]graph.SourceState {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return maps.Clone(x.man.Sources)
}
