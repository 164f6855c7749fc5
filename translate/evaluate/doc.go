// Package evaluate runs translation experiments on a test set and reports
// them: kgmem's pipeline translates every test pair under several
// configurations of the memory (ablations: the translation memory and the
// knowledge graph switched on and off), each run is scored with package
// metrics (BLEU, chrF, chrF++, TER as sacreBLEU computes them, term
// accuracy and consistency, placeholder accuracy, TM leverage) and timed;
// an online run translates the test stream in order and learns each
// reference as an approved translation before going on, to show the memory
// learning without retraining.
//
// Start with ReadPairs and Run. Run returns a Report, which WriteDir writes
// as hypothesis files, report.json, report.md (Markdown) and chart.svg;
// WriteTable prints it as a text table. Snapshot copies an embedded memory
// so that an online run does not change the user's.
//
// Test pairs whose source and reference are already in the memory would be
// translated by an exact match: Run finds them with the translation
// memory's exact-match lookup and leaves them out of the scores unless
// Options.AllowExact is set.
//
// Segments are scored on one line each, as they are written to the
// hypothesis files: a newline, tab, carriage return or backslash inside a
// segment is written as the escape \n, \t, \r or \\ (the escapes of kgmem's
// TSV files), so `kgmem eval score` on the written files gives the same
// numbers.
package evaluate
