// Package retrieval finds what kgmem remembers about a new sentence: past
// translations that resemble it (fuzzy matches, scored the way CAT tools
// score them) and the known entities and terms it names, with what the
// knowledge graph says about each.
//
// Start with Open, which opens the index directory of a data directory
// (Dir), and Index.CatchUp, which brings the index up to date with the
// graph store it is derived from (Sync does both for a build). Then
// Index.Lookup finds fuzzy matches, Index.Spotter spots entities in a
// sentence and Expand reads an entity's translations, facts and neighbours
// from the graph; Index.Entities does both. Similarity is the match score
// on its own.
//
// The index is Bleve: the translation memory in one or several shards
// and an entity-label index, in a generation directory that a rebuild
// replaces whole. Lookups read the shards' posting lists directly, in
// parallel (candidates.go: each candidate's score is bounded before it is
// read, and a lookup stops when no candidate left can make the results);
// concordance search goes through a Bleve index alias. The graph store is
// the system of record; see docs/retrieval.md for the layout, the scoring
// and the consistency rules.
package retrieval
