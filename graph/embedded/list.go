package embedded

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/kgmem/kgmem/graph"
)

var _ graph.Lister = (*Store)(nil)

// EachEntity calls fn for every entity, in ID order, without its labels.
func (s *Store) EachEntity(ctx context.Context, fn func(*graph.Entity) error) error {
	return eachRecord(ctx, s, bEntities, fn)
}

// EachFact calls fn for every fact, superseded ones included, in ID order.
func (s *Store) EachFact(ctx context.Context, fn func(*graph.Fact) error) error {
	return eachRecord(ctx, s, bFacts, fn)
}

// eachRecord calls fn for every record of a bucket, in key order, reading
// pages of records in short transactions so that writers are not held up.
func eachRecord[T any](ctx context.Context, s *Store, bucket []byte, fn func(*T) error) error {
	var after []byte
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		var page []T
		err := s.db.View(func(tx *bolt.Tx) error {
			c := tx.Bucket(bucket).Cursor()
			var k, v []byte
			if after == nil {
				k, v = c.First()
			} else {
				k, v = c.Seek(after)
				if k != nil && bytes.Equal(k, after) {
					k, v = c.Next()
				}
			}
			for ; k != nil && len(page) < segmentPage; k, v = c.Next() {
				var x T
				if err := json.Unmarshal(v, &x); err != nil {
					return fmt.Errorf("graph file is damaged: %s record %q: %w", bucket, k, err)
				}
				page = append(page, x)
				after = append(after[:0], k...)
			}
			return nil
		})
		if err != nil {
			return err
		}
		for i := range page {
			if err := fn(&page[i]); err != nil {
				return err
			}
		}
		if len(page) < segmentPage {
			return nil
		}
	}
}
