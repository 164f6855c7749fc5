package main

import (
	"bufio"
	"io"

	"github.com/urfave/cli/v2"

	"github.com/kgmem/kgmem/internal/cmdline"
	"github.com/kgmem/kgmem/internal/lineio"
	"github.com/kgmem/kgmem/internal/textout"
	"github.com/kgmem/kgmem/memory"
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
					ask := func(mem memory.Service, text, prev, next string) ([]retrieval.Match, error) {
						q := retrieval.Query{Text: text, SourceLang: o.from, TargetLang: o.to, Min: max(c.Int("min"), 1), Limit: c.Int("limit")}
						switch {
						case o.text != "" && (c.IsSet("prev") || c.IsSet("next")):
							q.Context = &retrieval.Context{Prev: c.String("prev"), Next: c.String("next")}
						case o.text == "" && c.Bool("context"):
							q.Context = &retrieval.Context{Prev: prev, Next: next}
						}
						return mem.SearchTM(c.Context, q)
					}
					return answerEach(c, g, o, c.Bool("context"), ask,
						func(text string, ms []retrieval.Match) any { return tmAnswer{Query: text, Matches: ms} }, textout.Matches)
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
					eo := retrieval.ExpandOptions{SourceLang: o.from, TargetLang: o.to, Hops: c.Int("hops"), Facts: c.Int("limit"), Neighbours: c.Int("limit")}
					ask := func(mem memory.Service, text, _, _ string) ([]retrieval.Found, error) {
						return mem.SearchEntities(c.Context, text, eo)
					}
					return answerEach(c, g, o, false, ask,
						func(text string, found []retrieval.Found) any { return entityAnswer{Query: text, Spans: found} }, textout.Found)
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
	if o.from, o.to, err = cmdline.LangStrings(c); err != nil {
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

// answerEach answers TEXT, or every line of stdin in order, with ask, and
// prints each answer as soon as it has it: with --json one object a line
// (what toJSON makes of it), else as text. With around, a line of stdin
// is asked about with the lines before and after it (prev and next; ""
// at the start and end), once the next has been read.
func answerEach[A any](c *cli.Context, g *globals, o searchOptions, around bool, ask func(mem memory.Service, text, prev, next string) (A, error),
	toJSON func(text string, a A) any, print func(w io.Writer, text string, a A) error) error {
	return withService(c, g, memory.Options{}, nil, func(mem memory.Service) error {
		w := bufio.NewWriter(g.out)
		defer w.Flush()
		enc := lineEncoder(w)
		each := func(text, prev, next string) error {
			a, err := ask(mem, text, prev, next)
			if err != nil {
				return err
			}
			if o.json {
				err = enc.Encode(toJSON(text, a))
			} else {
				err = print(w, text, a)
			}
			if err != nil {
				return err
			}
			return w.Flush()
		}
		if o.text != "" {
			return each(o.text, "", "")
		}
		return lineio.EachLine(c.Context, g.in, 256, around, each)
	})
}

// tmAnswer is the JSON answer to one query of `search tm`.
type tmAnswer struct {
	Query   string            `json:"query"`
	Matches []retrieval.Match `json:"matches"`
}

// entityAnswer is the JSON answer to one query of `search entity`.
type entityAnswer struct {
	Query string            `json:"query"`
	Spans []retrieval.Found `json:"spans"`
}
