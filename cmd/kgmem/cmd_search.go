package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/graph"
	"github.com/kgmem/kgmem/retrieval"
)

func newSearchCommand(g *globals) *cli.Command {
	return &cli.Command{
		Name:  "search",
		Usage: "look up the translation memory and the entities of the graph",
		Subcommands: []*cli.Command{
			{
				Name:      "tm",
				Usage:     "find past translations of sentences (fuzzy matches, scored as CAT tools score them)",
				ArgsUsage: "[TEXT]  (without TEXT: one sentence per line from stdin, answers in order)",
				Flags: append(searchFlags(),
					&cli.IntFlag{Name: "min", Value: retrieval.DefaultMin, Usage: "lowest score shown (1-101)"},
					&cli.IntFlag{Name: "limit", Value: retrieval.DefaultLimit, Usage: "most matches per sentence"},
					&cli.BoolFlag{Name: "context", Usage: "with stdin, take the lines before and after each sentence as its document context (101 % matches)"},
					&cli.StringFlag{Name: "prev", Usage: "with TEXT, the source sentence before it, for 101 % matches"},
					&cli.StringFlag{Name: "next", Usage: "with TEXT, the source sentence after it"},
				),
				Action: func(c *cli.Context) error {
					o, err := parseSearchOptions(c, g)
					if err != nil {
						return err
					}
					if n := c.Int("min"); n < 0 || n > 101 {
						return usageErrorf("--min %d: give a score from 1 to 101", n)
					}
					if c.Int("limit") < 1 {
						return usageErrorf("--limit must be at least 1")
					}
					return withSearch(c, g, o, func(s *searcher) error {
						return runSearchTM(c.Context, s, tmOptions{
							min: max(c.Int("min"), 1), limit: c.Int("limit"), context: c.Bool("context"),
							prev: c.String("prev"), next: c.String("next"), hasContext: c.IsSet("prev") || c.IsSet("next"),
						})
					})
				},
			},
			{
				Name:      "entity",
				Usage:     "find the known entities and terms of sentences, with their translations and facts",
				ArgsUsage: "[TEXT]  (without TEXT: one sentence per line from stdin, answers in order)",
				Flags: append(searchFlags(),
					&cli.IntFlag{Name: "hops", Value: 1, Usage: "how far to follow neighbours: 1 or 2"},
					&cli.IntFlag{Name: "limit", Value: 5, Usage: "facts and neighbours shown per entity"},
				),
				Action: func(c *cli.Context) error {
					o, err := parseSearchOptions(c, g)
					if err != nil {
						return err
					}
					if h := c.Int("hops"); h < 1 || h > 2 {
						return usageErrorf("--hops %d: use 1 or 2", h)
					}
					return withSearch(c, g, o, func(s *searcher) error {
						return runSearchEntity(c.Context, s, retrieval.ExpandOptions{
							SourceLang: s.from, TargetLang: s.to, Hops: c.Int("hops"),
							Facts: c.Int("limit"), Neighbours: c.Int("limit"),
						})
					})
				},
			},
		},
	}
}

// searchFlags are the flags both search commands take.
func searchFlags() []cli.Flag {
	return []cli.Flag{
		graphFlag(),
		&cli.StringFlag{Name: "from", Usage: "language of the sentences; default: the index's source language if it has one"},
		&cli.StringFlag{Name: "to", Usage: "language of the translations; default: every language"},
		jsonFlag,
	}
}

type searchOptions struct {
	from, to string
	text     string // "" reads stdin
	json     bool
}

func parseSearchOptions(c *cli.Context, g *globals) (searchOptions, error) {
	o := searchOptions{json: wantJSON(c, g)}
	for _, f := range []struct {
		name string
		dst  *string
	}{{"from", &o.from}, {"to", &o.to}} {
		if s := c.String(f.name); s != "" {
			tag, err := corpora.ParseLang(s)
			if err != nil {
				return o, usageErrorf("--%s: %v", f.name, err)
			}
			*f.dst = tag.String()
		}
	}
	switch c.NArg() {
	case 0:
	case 1:
		o.text = c.Args().First()
	default:
		return o, usageErrorf("give the sentence as one argument (quote it), or none to read stdin; run `%s --help`", c.Command.HelpName)
	}
	return o, nil
}

// searcher is what a search command works with: the graph, the index
// brought up to date with it, and the languages.
type searcher struct {
	g        *globals
	store    graph.Store
	index    *retrieval.Index
	from, to string
	text     string
	json     bool
}

// withSearch opens the graph and the index, catches the index up with
// the graph, and runs fn.
func withSearch(c *cli.Context, g *globals, o searchOptions, fn func(*searcher) error) error {
	ctx := c.Context
	store, err := openGraph(ctx, c, g)
	if err != nil {
		return err
	}
	defer store.Close()
	prog := newProgress(g, "indexing")
	x, err := openIndex(ctx, g, 0, progressPhases{prog})
	if err != nil {
		return err
	}
	defer x.Close()
	err = catchUp(ctx, g, x, store)
	prog.Done()
	if err != nil {
		return err
	}
	s := &searcher{g: g, store: store, index: x, from: o.from, to: o.to, text: o.text, json: o.json}
	if s.from == "" {
		s.from = defaultSourceLang(x)
	}
	return fn(s)
}

// openIndex opens the search index of the data directory.
func openIndex(ctx context.Context, g *globals, shards int, p retrieval.Progress) (*retrieval.Index, error) {
	x, err := retrieval.Open(ctx, retrieval.Dir(g.dataDir), retrieval.Options{
		Shards:   shards,
		Progress: p,
		Log:      g.log,
	})
	if err != nil {
		return nil, withHint(err, "wait for the other kgmem command to finish")
	}
	return x, nil
}

// catchUp brings the index up to date with the graph before a search: a
// build that was interrupted, or that ran without indexing, is caught up
// here.
func catchUp(ctx context.Context, g *globals, x *retrieval.Index, store graph.Store) error {
	sum, err := x.CatchUp(ctx, store)
	if err != nil {
		return fmt.Errorf("bring the search index up to date: %w", err)
	}
	if !sum.UpToDate() {
		g.log.Info("search index brought up to date", "rebuilt", sum.Rebuilt, "files", sum.Changed, "removed", sum.Removed,
			"segments", sum.Indexed, "deleted", sum.Deleted, "seconds", fmt.Sprintf("%.1f", sum.Seconds))
	}
	return nil
}

// defaultSourceLang is the index's only source language, or "en".
func defaultSourceLang(x *retrieval.Index) string {
	st := x.Stats()
	if len(st.Pairs) == 1 {
		for l := range st.Pairs {
			return l
		}
	}
	return "en"
}

// eachQuery calls fn for TEXT, or for every line of stdin, answering
// each line before reading the next. With lookahead, each line is
// answered once the next has been read, so that fn gets the lines around
// it (prev and next; "" at the start and end).
func (s *searcher) eachQuery(ctx context.Context, lookahead bool, fn func(text, prev, next string) error) error {
	if s.text != "" {
		return fn(s.text, "", "")
	}
	sc := bufio.NewScanner(s.g.in)
	sc.Buffer(make([]byte, 0, 64*1024), 16<<20)
	var prev, cur string
	pending := false
	for sc.Scan() {
		if err := ctx.Err(); err != nil {
			return err
		}
		line := strings.TrimRight(sc.Text(), "\r")
		if !lookahead {
			if err := fn(line, "", ""); err != nil {
				return err
			}
			continue
		}
		if pending {
			if err := fn(cur, prev, line); err != nil {
				return err
			}
			prev = cur
		}
		cur, pending = line, true
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("read stdin: %w", err)
	}
	if pending {
		return fn(cur, prev, "")
	}
	return nil
}

type tmOptions struct {
	min, limit int
	context    bool
	prev, next string
	hasContext bool
}

// tmAnswer is the JSON answer to one query of `search tm`.
type tmAnswer struct {
	Query   string            `json:"query"`
	Matches []retrieval.Match `json:"matches"`
}

func runSearchTM(ctx context.Context, s *searcher, o tmOptions) error {
	w := bufio.NewWriter(s.g.out)
	defer w.Flush()
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return s.eachQuery(ctx, o.context, func(text, prev, next string) error {
		q := retrieval.Query{Text: text, SourceLang: s.from, TargetLang: s.to, Min: o.min, Limit: o.limit}
		switch {
		case s.text != "" && o.hasContext:
			q.Context = &retrieval.Context{Prev: o.prev, Next: o.next}
		case s.text == "" && o.context:
			q.Context = &retrieval.Context{Prev: prev, Next: next}
		}
		ms, err := s.index.Lookup(ctx, q)
		if err != nil {
			return err
		}
		if ms == nil {
			ms = []retrieval.Match{}
		}
		if s.json {
			err = enc.Encode(tmAnswer{Query: text, Matches: ms})
		} else {
			err = printMatches(w, text, ms)
		}
		if err != nil {
			return err
		}
		return w.Flush()
	})
}

func printMatches(w io.Writer, text string, ms []retrieval.Match) error {
	fmt.Fprintf(w, "%s\n", text)
	if len(ms) == 0 {
		_, err := fmt.Fprintf(w, "  (no match)\n")
		return err
	}
	for _, m := range ms {
		fmt.Fprintf(w, "  %3d%%  %-5s  %s\n", m.Score, m.Band, m.Source)
		fmt.Fprintf(w, "               → %s\n", m.Target)
		if m.Origin != "" {
			fmt.Fprintf(w, "               (%s)\n", m.Origin)
		}
	}
	return nil
}

// entityAnswer is the JSON answer to one query of `search entity`.
type entityAnswer struct {
	Query string            `json:"query"`
	Spans []retrieval.Found `json:"spans"`
}

func runSearchEntity(ctx context.Context, s *searcher, o retrieval.ExpandOptions) error {
	w := bufio.NewWriter(s.g.out)
	defer w.Flush()
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return s.eachQuery(ctx, false, func(text, _, _ string) error {
		found, err := s.index.Entities(ctx, s.store, text, o)
		if err != nil {
			return err
		}
		if s.json {
			err = enc.Encode(entityAnswer{Query: text, Spans: found})
		} else {
			err = printFound(w, text, found)
		}
		if err != nil {
			return err
		}
		return w.Flush()
	})
}

func printFound(w io.Writer, text string, found []retrieval.Found) error {
	fmt.Fprintf(w, "%s\n", text)
	if len(found) == 0 {
		_, err := fmt.Fprintf(w, "  (nothing known)\n")
		return err
	}
	for _, f := range found {
		kind := string(f.Type)
		if f.Pattern && len(f.Info) == 0 {
			fmt.Fprintf(w, "  %q [%s]\n", f.Text, kind)
			continue
		}
		for i, info := range f.Info {
			if i == 0 {
				fmt.Fprintf(w, "  %q [%s] %s  %s\n", f.Text, info.Type, info.Label, info.ID)
			} else {
				fmt.Fprintf(w, "    or [%s] %s  %s\n", info.Type, info.Label, info.ID)
			}
			var ts []string
			for _, t := range info.Translations {
				s := fmt.Sprintf("%s@%s (%d×, p=%.2f", t.Text, t.Lang, t.Count, t.Probability)
				if t.Status != "" {
					s += ", " + string(t.Status)
				}
				ts = append(ts, s+")")
			}
			if len(ts) > 0 {
				fmt.Fprintf(w, "      translations: %s\n", strings.Join(ts, ", "))
			}
			for _, fact := range info.Facts {
				fmt.Fprintf(w, "      %s: %s\n", fact.Predicate, fact.Value)
			}
			printNeighbours(w, info.Neighbours, "      ")
		}
	}
	return nil
}

func printNeighbours(w io.Writer, ns []retrieval.NeighbourInfo, indent string) {
	for _, n := range ns {
		dir := n.Predicate
		if n.Incoming {
			dir = "←" + dir
		}
		fmt.Fprintf(w, "%s%s %s (%.2f, %d×)\n", indent, dir, n.Label, n.Weight, n.Count)
		printNeighbours(w, n.Neighbours, indent+"  ")
	}
}
