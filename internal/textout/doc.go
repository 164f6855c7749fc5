// Package textout renders kgmem's results as text for people reading a
// terminal: the tables, lists and explanations the commands print when
// --json is not given. Each function writes one kind of result to an
// io.Writer and nothing else, and returns the first error of its writes:
// it decides no exit code, reads no flags and never prints to a stream it
// was not given. Machine-readable output is the JSON encoding of the same
// results, which the commands write themselves. The server does not use
// this package.
package textout
