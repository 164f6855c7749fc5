// Command kgmem-load is a closed-loop load generator for kgmem serve and
// for the servers it is compared with: N clients each send a request,
// wait for the answer and send the next, for a time or a number of
// requests, at each of several numbers of clients. It sends kgmem's own
// TM search, translate and learn calls in a mix (90/9/1, say), or GET
// requests to any URL template — translate-toolkit's tmserver, Apertium
// APy, or kgmem's compatible endpoints for them — so that every server is
// measured by the same program. It reports the answers per second, the
// latency percentiles of the successful ones and the errors by status, as
// a Markdown table or (--json) a JSON document, and, given the server's
// PID, its memory and CPU.
//
//	kgmem-load --url http://127.0.0.1:8080 --queries dev.tsv --clients 1,8,32,128 \
//	    --duration 30s --mix search=90,translate=9,learn=1 --pid $(pidof kgmem)
//	kgmem-load --queries dev.tsv --mix tmserver --tmserver 'http://127.0.0.1:8888/tmserver/en/es/unit/{path}'
//
// Learn requests approve the query set's pairs, each with a mark of the
// run and a number appended, so that every learn adds a new pair.
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// Bounds of a run: every run ends.
const (
	maxDuration = 24 * time.Hour
	maxRequests = 100_000_000
	maxClients  = 10_000
)

// run parses the arguments, runs the levels and writes the report; it
// returns the exit code: 0, 1 when a level had errors (with --fail-on-error)
// or failed to run, 2 for wrong usage.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cfg, opts, err := parseArgs(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "kgmem-load:", err)
		return 2
	}
	g := newGenerator(cfg)
	rep := &report{Mix: opts.mix}
	var targets []string
	for _, m := range cfg.mix {
		t := cfg.base
		switch m.op {
		case opTMServer:
			t = cfg.tmserver
		case opAPy:
			t = cfg.apy
		}
		if m.weight > 0 && !slices.Contains(targets, t) {
			targets = append(targets, t)
		}
	}
	rep.Target = strings.Join(targets, " ")
	errorsSeen := 0
	for _, c := range cfg.clients {
		if ctx.Err() != nil {
			break
		}
		fmt.Fprintf(stderr, "kgmem-load: %d clients…\n", c)
		l := g.runLevel(ctx, c)
		rep.Levels = append(rep.Levels, l)
		fmt.Fprintf(stderr, "kgmem-load: %d clients: %.0f answers/s, p99 %.2f ms, %d errors\n",
			c, l.Total.PerSecond, l.Total.P99, l.Total.Requests-l.Total.OK)
		errorsSeen += l.Total.Requests - l.Total.OK
	}
	if opts.json {
		if err := writeJSON(stdout, rep); err != nil {
			fmt.Fprintln(stderr, "kgmem-load:", err)
			return 1
		}
	} else {
		writeTable(stdout, rep)
	}
	if opts.report != "" {
		if err := writeReportFile(opts.report, rep); err != nil {
			fmt.Fprintln(stderr, "kgmem-load:", err)
			return 1
		}
	}
	if ctx.Err() != nil {
		fmt.Fprintln(stderr, "kgmem-load: interrupted")
		return 130
	}
	if opts.failOnError && errorsSeen > 0 {
		return 1
	}
	return 0
}

// options are the flags that do not go into config.
type options struct {
	mix         string
	json        bool
	report      string
	failOnError bool
}

func writeJSON(w io.Writer, rep *report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(rep)
}

// writeReportFile writes the JSON report to path.
func writeReportFile(path string, rep *report) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("write the report: %w", err)
	}
	if err := writeJSON(f, rep); err != nil {
		f.Close()
		return fmt.Errorf("write the report %s: %w", path, err)
	}
	return f.Close()
}

func parseArgs(args []string, stderr io.Writer) (config, options, error) {
	fs := flag.NewFlagSet("kgmem-load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg config
	var o options
	var clients, queries string
	var limitQueries int
	fs.StringVar(&cfg.base, "url", "http://127.0.0.1:8080", "URL of the kgmem server (search, translate, learn)")
	fs.StringVar(&cfg.key, "key", os.Getenv("KGMEM_API_KEY"), "API key, sent as a bearer token (default $KGMEM_API_KEY)")
	fs.StringVar(&queries, "queries", "", "TSV file of queries: source TAB target a line, or a header naming the source and target columns (required)")
	fs.IntVar(&limitQueries, "limit-queries", 0, "use the first N queries only (0: all)")
	fs.StringVar(&o.mix, "mix", "search", "operations and their weights: search, translate, learn, tmserver, apy (search=90,translate=9,learn=1)")
	fs.StringVar(&clients, "clients", "1,8,32,128", "numbers of concurrent clients, one level each")
	fs.DurationVar(&cfg.duration, "duration", 30*time.Second, "length of each level (0: until --requests)")
	fs.IntVar(&cfg.requests, "requests", 0, "requests of each level (0: until --duration)")
	fs.DurationVar(&cfg.warmup, "warmup", 2*time.Second, "requests sent before each level and not counted")
	fs.DurationVar(&cfg.timeout, "timeout", time.Minute, "longest wait for one answer")
	fs.StringVar(&cfg.from, "from", "en", "source language")
	fs.StringVar(&cfg.to, "to", "es", "target language")
	fs.StringVar(&cfg.model, "model", "", "model of translate requests (default: the server's)")
	fs.IntVar(&cfg.segments, "segments", 1, "segments per translate request")
	fs.IntVar(&cfg.min, "min", 75, "lowest score of a TM search")
	fs.IntVar(&cfg.limit, "limit", 1, "matches a TM search returns")
	fs.StringVar(&cfg.tmserver, "tmserver", "", "URL template of tmserver-style GETs: {path} is the query escaped for a path, {query} for a query string, {from} {to} the languages")
	fs.StringVar(&cfg.apy, "apy", "", "URL template of APy-style GETs ({query}, {path}, {from}, {to} as for --tmserver)")
	fs.IntVar(&cfg.pid, "pid", 0, "process ID of the server: sample its memory (RSS) and its and its models' CPU")
	fs.DurationVar(&cfg.rssEvery, "rss-every", time.Second, "how often to sample the server's RSS")
	fs.BoolVar(&o.json, "json", false, "write the report as JSON")
	fs.StringVar(&o.report, "report", "", "also write the JSON report to this file")
	fs.BoolVar(&o.failOnError, "fail-on-error", false, "exit 1 when any request failed")
	if err := fs.Parse(args); err != nil {
		return cfg, o, err
	}
	if fs.NArg() > 0 {
		return cfg, o, fmt.Errorf("unexpected argument %q; flags only (kgmem-load -h)", fs.Arg(0))
	}
	var err error
	if cfg.mix, err = parseMix(o.mix); err != nil {
		return cfg, o, err
	}
	for _, m := range cfg.mix {
		switch {
		case m.op == opTMServer && m.weight > 0 && cfg.tmserver == "":
			return cfg, o, errors.New("--mix has tmserver: give its URL template with --tmserver")
		case m.op == opAPy && m.weight > 0 && cfg.apy == "":
			return cfg, o, errors.New("--mix has apy: give its URL template with --apy")
		}
	}
	for _, c := range strings.Split(clients, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(c))
		if err != nil || n < 1 || n > maxClients {
			return cfg, o, fmt.Errorf("--clients: %q is not a number of clients from 1 to %d", c, maxClients)
		}
		cfg.clients = append(cfg.clients, n)
	}
	switch {
	case cfg.duration < 0 || cfg.duration > maxDuration:
		return cfg, o, fmt.Errorf("--duration: from 0 to %s", maxDuration)
	case cfg.requests < 0 || cfg.requests > maxRequests:
		return cfg, o, fmt.Errorf("--requests: from 0 to %d", maxRequests)
	case cfg.duration == 0 && cfg.requests == 0:
		return cfg, o, errors.New("give --duration or --requests: a level must end")
	case cfg.warmup < 0 || cfg.warmup > maxDuration:
		return cfg, o, fmt.Errorf("--warmup: from 0 to %s", maxDuration)
	case cfg.timeout <= 0:
		return cfg, o, errors.New("--timeout: a duration above 0")
	case cfg.segments < 1 || cfg.segments > 10_000:
		return cfg, o, errors.New("--segments: from 1 to 10000")
	case cfg.rssEvery <= 0:
		return cfg, o, errors.New("--rss-every: a duration above 0")
	case queries == "":
		return cfg, o, errors.New("--queries is required: a TSV file of sentences (such as the shared gettext dev set)")
	}
	if cfg.queries, err = readQueryFile(queries, limitQueries); err != nil {
		return cfg, o, err
	}
	b := make([]byte, 4)
	rand.Read(b)
	cfg.runID = "load " + hex.EncodeToString(b)
	return cfg, o, nil
}
