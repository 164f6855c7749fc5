package main

import (
	"bufio"
	"context"
	"encoding/json"

	"github.com/urfave/cli/v2"

	"github.com/kgmem/kgmem/internal/lineio"
	"github.com/kgmem/kgmem/internal/textout"
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
		jsonFlag(),
	}
}

type searchOptions struct {
	from, to string
	text     string // "" reads stdin
	json     bool
}

func parseSearchOptions(c *cli.Context, g *globals) (searchOptions, error) {
	o := searchOptions{json: wantJSON(c, g)}
	var err error
	if o.from, err = langFlag(c, "from"); err != nil {
		return o, err
	}
	if o.to, err = langFlag(c, "to"); err != nil {
		return o, err
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

// searcher is what a search command works with: the memory and the
// languages.
type searcher struct {
	g        *globals
	mem      memoryService
	from, to string
	text     string
	json     bool
}

// withSearch opens the memory (its index brought up to date with the
// graph) and runs fn.
func withSearch(c *cli.Context, g *globals, o searchOptions, fn func(*searcher) error) error {
	mem, err := openService(c, g, openOptions{}, nil)
	if err != nil {
		return err
	}
	defer mem.Close()
	return fn(&searcher{g: g, mem: mem, from: o.from, to: o.to, text: o.text, json: o.json})
}

// eachQuery calls fn for TEXT, or for every line of stdin, in order.
// With lookahead, a line is answered once the next has been read, so that
// fn gets the lines around it (prev and next; "" at the start and end).
func (s *searcher) eachQuery(ctx context.Context, lookahead bool, fn func(text, prev, next string) error) error {
	if s.text != "" {
		return fn(s.text, "", "")
	}
	var prev, cur string
	pending := false
	err := lineio.Each(ctx, s.g.in, 256, func(lines []string) error {
		for _, line := range lines {
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
		return nil
	})
	if err == nil && pending {
		err = fn(cur, prev, "")
	}
	return err
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
		ms, err := s.mem.SearchTM(ctx, q)
		if err != nil {
			return err
		}
		if s.json {
			err = enc.Encode(tmAnswer{Query: text, Matches: ms})
		} else {
			err = textout.Matches(w, text, ms)
		}
		if err != nil {
			return err
		}
		return w.Flush()
	})
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
		found, err := s.mem.SearchEntities(ctx, text, o)
		if err != nil {
			return err
		}
		if s.json {
			err = enc.Encode(entityAnswer{Query: text, Spans: found})
		} else {
			err = textout.Found(w, text, found)
		}
		if err != nil {
			return err
		}
		return w.Flush()
	})
}
