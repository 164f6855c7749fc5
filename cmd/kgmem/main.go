// Command kgmem is long-term memory for machine translation: it builds a
// knowledge graph and a translation memory from the files a localisation
// team already has, and translates with them through model plugins.
//
// Each command lives in a file of its own (cmd_corpus.go, …): it parses
// flags, calls library packages and prints their results (as JSON, or as
// internal/textout renders them for people); errors become exit codes in
// errors.go.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args, &streams{in: os.Stdin, out: os.Stdout, err: os.Stderr})
	stop()
	os.Exit(code)
}
