package graph

import "context"

// Lister is implemented by stores that can list everything they hold, for
// backups and exports. Listing reads one consistent snapshot where the
// store has them (the embedded store reads in pages: a write between pages
// is seen by the pages after it).
type Lister interface {
	// EachEntity calls fn for every entity, in ID order, without its
	// labels (they are facts), until fn returns an error.
	EachEntity(ctx context.Context, fn func(*Entity) error) error
	// EachFact calls fn for every fact, superseded ones included, in ID
	// order, until fn returns an error.
	EachFact(ctx context.Context, fn func(*Fact) error) error
}

// Checker is implemented by stores that can verify their own storage (the
// embedded store walks its file's pages and checks its indexes). Check
// returns nil when the store is sound, or an error that lists what is
// wrong.
type Checker interface {
	Check(ctx context.Context) error
}
