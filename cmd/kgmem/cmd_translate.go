package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/plugins"
	"github.com/kgmem/kgmem/plugins/host"
)

// translateBatch is how many input lines are sent to the model at once.
const translateBatch = 256

// translateOptions are the parsed flags of `kgmem translate`.
type translateOptions struct {
	model    string
	from, to string
	texts    []string // from the arguments; nil reads stdin
	json     bool
}

func newTranslateCommand(g *globals) *cli.Command {
	return &cli.Command{
		Name:      "translate",
		Usage:     "translate TEXT, or each line of stdin, with a model",
		ArgsUsage: "[TEXT…]",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "model", Aliases: []string{"m"}, Usage: "model to translate with (see `kgmem plugins list`)"},
			&cli.StringFlag{Name: "from", Usage: "source language (BCP-47 or a locale)"},
			&cli.StringFlag{Name: "to", Usage: "target language"},
			pluginDirFlag,
			jsonFlag,
		},
		Action: func(c *cli.Context) error {
			o := translateOptions{model: c.String("model"), json: wantJSON(c, g)}
			if o.model == "" || c.String("from") == "" || c.String("to") == "" {
				return usageErrorf("translate needs --model, --from and --to; run `kgmem plugins list` for the models")
			}
			for _, f := range []struct {
				name string
				dst  *string
			}{{"from", &o.from}, {"to", &o.to}} {
				tag, err := corpora.ParseLang(c.String(f.name))
				if err != nil {
					return usageErrorf("--%s: %v", f.name, err)
				}
				*f.dst = tag.String()
			}
			if c.NArg() > 0 {
				o.texts = c.Args().Slice()
			}
			h, err := newHost(c, g)
			if err != nil {
				return err
			}
			defer h.Close()
			return runTranslate(c.Context, g, o, h)
		},
	}
}

// translation is one line of `translate --json`.
type translation struct {
	Source      string   `json:"source"`
	Translation string   `json:"translation"`
	Score       *float64 `json:"score,omitempty"`
}

func runTranslate(ctx context.Context, g *globals, o translateOptions, h *host.Host) error {
	m, err := h.Start(ctx, o.model)
	if err != nil {
		return modelError(err)
	}
	if d := m.Description(); !d.Supports(o.from, o.to) {
		return withHint(fmt.Errorf("model %q does not translate %s to %s", o.model, o.from, o.to),
			"run `kgmem plugins describe "+o.model+"` for its language pairs")
	}
	out := bufio.NewWriter(g.out)
	defer out.Flush()
	var results []translation
	flush := func(lines []string) error {
		if len(lines) == 0 {
			return nil
		}
		req := &plugins.TranslateRequest{SourceLang: o.from, TargetLang: o.to, Items: make([]plugins.Item, len(lines))}
		for i, l := range lines {
			req.Items[i] = plugins.Item{ID: strconv.Itoa(i), Source: l}
		}
		resp, err := m.Translate(ctx, req)
		if err != nil {
			return err
		}
		for i, r := range resp.Results {
			if o.json {
				results = append(results, translation{Source: lines[i], Translation: r.Translation, Score: r.Score})
				continue
			}
			// One line in, one line out, whatever the model returns.
			fmt.Fprintln(out, strings.ReplaceAll(r.Translation, "\n", " "))
		}
		return out.Flush()
	}
	if o.texts != nil {
		if err := flush(o.texts); err != nil {
			return err
		}
	} else if err := eachLine(ctx, g.in, translateBatch, flush); err != nil {
		return err
	}
	if o.json {
		if results == nil {
			results = []translation{}
		}
		return g.printJSON(results)
	}
	return nil
}

// eachLine calls fn with batches of up to n lines of r. Reading happens
// in a goroutine so that Ctrl-C ends a wait for input at a terminal.
func eachLine(ctx context.Context, r io.Reader, n int, fn func([]string) error) error {
	type batch struct {
		lines []string
		err   error
	}
	batches := make(chan batch)
	go func() {
		defer close(batches)
		sc := bufio.NewScanner(r)
		sc.Buffer(make([]byte, 64<<10), 16<<20)
		var lines []string
		send := func(b batch) bool {
			select {
			case batches <- b:
				return true
			case <-ctx.Done():
				return false
			}
		}
		for sc.Scan() {
			lines = append(lines, strings.TrimRight(sc.Text(), "\r"))
			if len(lines) == n {
				if !send(batch{lines: lines}) {
					return
				}
				lines = nil
			}
		}
		if err := sc.Err(); err != nil {
			send(batch{err: fmt.Errorf("read stdin: %w", err)})
			return
		}
		send(batch{lines: lines})
	}()
	for {
		select {
		case b, ok := <-batches:
			if !ok {
				return nil
			}
			if b.err != nil {
				return b.err
			}
			if err := fn(b.lines); err != nil {
				return err
			}
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}
