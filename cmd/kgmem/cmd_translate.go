package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"github.com/urfave/cli/v2"
	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/fusion"
	"github.com/kgmem/kgmem/graph"
	"github.com/kgmem/kgmem/graph/extract"
	"github.com/kgmem/kgmem/graph/ingest"
	"github.com/kgmem/kgmem/graph/stores"
	"github.com/kgmem/kgmem/plugins"
	"github.com/kgmem/kgmem/plugins/host"
	"github.com/kgmem/kgmem/retrieval"
	"github.com/kgmem/kgmem/translate"
)

// translateBatch is how many input lines go through the pipeline at once.
const translateBatch = 256

// translateOptions are the parsed flags of `kgmem translate`.
type translateOptions struct {
	model          string
	from, to       string
	texts          []string // from the arguments; nil reads stdin
	in, out        string
	json, explain  bool
	minMatch       int
	noTM, noKG     bool
	learn, approve bool
	retranslate    bool
}

func newTranslateCommand(g *globals) *cli.Command {
	return &cli.Command{
		Name:  "translate",
		Usage: "translate TEXT, each line of stdin, or a document (--in/--out), with the memory and a model",
		Description: "Each segment is looked up in the translation memory and the knowledge graph; the\n" +
			"memory found is weighted and budgeted (see --explain) and passed to the model.\n" +
			"Placeholders, inline codes, escaped newlines and accelerators are protected and\n" +
			"checked. Each output has a status: exact, fuzzy NN % or machine (shown with\n" +
			"--explain or --json). Documents: XLIFF 1.2/2.x (filled in place), PO (machine\n" +
			"output marked fuzzy unless --approve), TMX, TSV, plain text.",
		ArgsUsage: "[TEXT…]",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "model", Aliases: []string{"m"}, Usage: "model to translate with (see `kgmem plugins list`)"},
			&cli.StringFlag{Name: "from", Usage: "source language (BCP-47 or a locale)"},
			&cli.StringFlag{Name: "to", Usage: "target language"},
			graphFlag(),
			&cli.IntFlag{Name: "min-match", Value: fusion.DefaultOptions().MinMatch, Usage: "lowest fuzzy-match score used, in percent"},
			&cli.BoolFlag{Name: "no-tm", Usage: "do not use the translation memory (ablation)"},
			&cli.BoolFlag{Name: "no-kg", Usage: "do not use the knowledge graph's terms and facts (ablation)"},
			&cli.StringFlag{Name: "in", Usage: "a document to translate", TakesFile: true},
			&cli.StringFlag{Name: "out", Usage: "where to write the translated document", TakesFile: true},
			&cli.BoolFlag{Name: "explain", Usage: "show, per segment, its status and the memory kept and dropped, and why (on stderr)"},
			&cli.BoolFlag{Name: "retranslate", Usage: "with --in: translate units that already have a target too (for evaluation)"},
			&cli.BoolFlag{Name: "approve", Usage: "mark the translations approved (PO: not fuzzy; XLIFF: final)"},
			&cli.BoolFlag{Name: "learn", Usage: "learn the translations that are approved (all with --approve, else only exact matches)"},
			pluginDirFlag,
			jsonFlag,
		},
		Action: func(c *cli.Context) error {
			o := translateOptions{model: c.String("model"), json: wantJSON(c, g), explain: c.Bool("explain"),
				in: c.String("in"), out: c.String("out"), minMatch: c.Int("min-match"),
				noTM: c.Bool("no-tm"), noKG: c.Bool("no-kg"), learn: c.Bool("learn"), approve: c.Bool("approve"),
				retranslate: c.Bool("retranslate")}
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
			switch {
			case (o.in == "") != (o.out == ""):
				return usageErrorf("--in and --out go together: translate --in FILE --out FILE")
			case o.in != "" && c.NArg() > 0:
				return usageErrorf("give either TEXT or --in FILE, not both")
			case o.minMatch < 1 || o.minMatch > 100:
				return usageErrorf("--min-match %d: use a percentage from 1 to 100", o.minMatch)
			}
			if c.NArg() > 0 {
				o.texts = c.Args().Slice()
			}
			h, err := newHost(c, g)
			if err != nil {
				return err
			}
			defer h.Close()
			var mem *memory
			if !(o.noTM && o.noKG) || o.learn {
				mem, err = openMemory(c.Context, c, g)
				if err != nil {
					return err
				}
				defer mem.Close()
			}
			return runTranslate(c.Context, g, o, h, mem)
		},
	}
}

// memory is the graph store and search index of the data directory.
type memory struct {
	store graph.Store
	index *retrieval.Index
	// modelDir holds the word-alignment models build-graph keeps for the
	// graph; log is told when one cannot be read.
	modelDir string
	log      *slog.Logger
	mu       sync.Mutex
	models   map[string]translate.SpanAligner // by pair, once read
}

// openMemory opens the graph store and the search index and brings the
// index up to date with the store.
func openMemory(ctx context.Context, c *cli.Context, g *globals) (*memory, error) {
	uri := c.String("graph")
	return openMemoryAt(ctx, g, uri, g.dataDir, ingest.ModelDir(g.dataDir, uri))
}

// openMemoryAt opens the graph store uri and the search index of dataDir,
// brought up to date with the store; learning reads the alignment models
// in modelDir.
func openMemoryAt(ctx context.Context, g *globals, uri, dataDir, modelDir string) (*memory, error) {
	store, err := stores.Open(ctx, uri, dataDir)
	if err != nil {
		return nil, withHint(err, "check --graph, or start a local Dgraph with scripts/dgraph-local.sh start")
	}
	idx, err := retrieval.Open(ctx, retrieval.Dir(dataDir), retrieval.Options{})
	if err != nil {
		store.Close()
		return nil, fmt.Errorf("open the search index: %w", err)
	}
	if s, err := idx.CatchUp(ctx, store); err != nil {
		idx.Close()
		store.Close()
		return nil, fmt.Errorf("update the search index: %w", err)
	} else if !s.UpToDate() {
		g.log.Info("search index updated", "indexed", s.Indexed, "deleted", s.Deleted, "entities", s.Entities, "seconds", s.Seconds)
	}
	return &memory{store: store, index: idx, modelDir: modelDir, log: g.log}, nil
}

// aligner returns the word-alignment model build-graph kept for the
// language pair (or, when there is none for these exact tags, for the same
// base languages: a model of en-US→es-ES serves en→es), nil when there is
// none or it cannot be read; learning then counts only translations the
// graph knows. A model is read once: learning does not change it.
func (m *memory) aligner(sourceLang, targetLang string) translate.SpanAligner {
	if m.modelDir == "" {
		return nil
	}
	name := extract.ModelFileName(sourceLang, targetLang)
	m.mu.Lock()
	defer m.mu.Unlock()
	if a, ok := m.models[name]; ok {
		return a
	}
	if m.models == nil {
		m.models = map[string]translate.SpanAligner{}
	}
	m.models[name] = nil
	path := filepath.Join(m.modelDir, name)
	if _, err := os.Stat(path); err != nil {
		path = m.similarModel(sourceLang, targetLang)
		if path == "" {
			return nil
		}
	}
	model, err := extract.ReadModelFile(path)
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) && m.log != nil {
			m.log.Warn("learning without the alignment model", "err", err)
		}
		return nil
	}
	m.models[name] = model
	return model
}

// similarModel returns the first model file (by name) whose languages
// have the base languages of the pair, "" when there is none.
func (m *memory) similarModel(sourceLang, targetLang string) string {
	// Named as extract.ModelFileName names them; Glob sorts.
	paths, _ := filepath.Glob(filepath.Join(m.modelDir, "align.*.*.kgm"))
	for _, p := range paths {
		langs := strings.Split(strings.TrimSuffix(strings.TrimPrefix(filepath.Base(p), "align."), ".kgm"), ".")
		if len(langs) == 2 && graph.BaseLang(langs[0]) == graph.BaseLang(sourceLang) && graph.BaseLang(langs[1]) == graph.BaseLang(targetLang) {
			return p
		}
	}
	return ""
}

func (m *memory) Close() error {
	err := m.index.Close()
	if e := m.store.Close(); err == nil {
		err = e
	}
	return err
}

// learner returns the Learner of the memory, passing pairs on to model.
func (m *memory) learner(model plugins.Learner) *translate.Learner {
	l := &translate.Learner{Store: m.store, Index: m.index,
		Spotter: func(lang string) translate.Spotter { return m.index.Spotter(lang) },
		Aligner: m.aligner}
	if model != nil {
		l.Model = model
	}
	return l
}

func runTranslate(ctx context.Context, g *globals, o translateOptions, h *host.Host, mem *memory) error {
	m, err := h.Start(ctx, o.model)
	if err != nil {
		return modelError(err)
	}
	d := m.Description()
	if !d.Supports(o.from, o.to) {
		return withHint(fmt.Errorf("model %q does not translate %s to %s", o.model, o.from, o.to),
			"run `kgmem plugins describe "+o.model+"` for its language pairs")
	}
	var tmem translate.Memory
	if mem != nil && !(o.noTM && o.noKG) {
		im := translate.NewMemory(mem.index, mem.index, mem.store)
		if !d.Capabilities.Facts {
			// The model uses no facts: spot terms and read their labels only.
			im.Spotter = func(lang string) translate.Spotter { return mem.index.Spotter(lang) }
		}
		tmem = im
	}
	tr := translate.New(m, tmem, translate.Options{SourceLang: o.from, TargetLang: o.to, MinMatch: o.minMatch,
		NoTM: o.noTM, NoKG: o.noKG, Explain: o.explain || o.json})
	var toLearn []translate.Pair
	learnable := func(r translate.Result) {
		if o.learn && len(r.Checks.Problems) == 0 && (o.approve || r.Status == translate.StatusExact) {
			toLearn = append(toLearn, translate.Pair{Source: r.Source, Target: r.Translation, Origin: "translate"})
		}
	}
	var learner plugins.Learner
	if d.Capabilities.Learn {
		learner = m
	}
	out := bufio.NewWriter(g.out)
	defer out.Flush()

	if o.in != "" {
		from, to := language.Make(o.from), language.Make(o.to)
		var results []translate.Result
		sum, err := tr.TranslateFile(ctx, translate.FileOptions{In: o.in, Out: o.out, SourceLang: from, TargetLang: to, Approve: o.approve, Retranslate: o.retranslate},
			func(u *corpora.Unit, r translate.Result) error {
				learnable(r)
				if o.explain {
					explain(g.err, r)
				}
				if o.json {
					r.ID = u.ID
					results = append(results, r)
				}
				return nil
			})
		if err != nil {
			return err
		}
		if err := learnPairs(ctx, g, mem, learner, o, toLearn); err != nil {
			return err
		}
		if o.json {
			return g.printJSON(struct {
				translate.FileSummary
				Out      string             `json:"out"`
				Segments []translate.Result `json:"segments"`
			}{sum, o.out, results})
		}
		if !g.quiet {
			fmt.Fprintf(g.err, "%s: %d units, %d translated (%s), %d kept, %d with problems → %s\n",
				o.in, sum.Units, sum.Translated, statusCounts(sum.ByStatus), sum.Kept, sum.Problems, o.out)
		}
		return nil
	}

	var results []translate.Result
	flush := func(lines []string) error {
		if len(lines) == 0 {
			return nil
		}
		segs := make([]translate.Segment, len(lines))
		for i, l := range lines {
			segs[i] = translate.Segment{ID: strconv.Itoa(i + 1), Source: corpora.Text(l)}
			if i > 0 {
				segs[i].Prev = lines[i-1]
			}
			if i+1 < len(lines) {
				segs[i].Next = lines[i+1]
			}
		}
		rs, err := tr.Translate(ctx, segs)
		if err != nil {
			return err
		}
		for _, r := range rs {
			learnable(r)
			if o.explain {
				explain(g.err, r)
			}
			if o.json {
				results = append(results, r)
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
	if err := learnPairs(ctx, g, mem, learner, o, toLearn); err != nil {
		return err
	}
	if o.json {
		if results == nil {
			results = []translate.Result{}
		}
		return g.printJSON(results)
	}
	return nil
}

func learnPairs(ctx context.Context, g *globals, mem *memory, model plugins.Learner, o translateOptions, pairs []translate.Pair) error {
	if !o.learn || len(pairs) == 0 || mem == nil {
		return nil
	}
	s, err := mem.learner(model).Learn(ctx, o.from, o.to, pairs)
	if err != nil {
		return err
	}
	if !g.quiet {
		fmt.Fprintf(g.err, "learned %d approved translations (%d term translations counted, %d superseded)\n", s.Segments, s.Labels, s.Superseded)
	}
	return nil
}

func statusCounts(m map[string]int) string {
	var parts []string
	for _, s := range []string{translate.StatusExact, translate.StatusFuzzy, translate.StatusMachine} {
		if m[s] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", m[s], s))
		}
	}
	return strings.Join(parts, ", ")
}

// explain writes what the memory did for one segment.
func explain(w io.Writer, r translate.Result) {
	fmt.Fprintf(w, "[%s] %s\n   → %s\n", r.Label(), r.Source, r.Translation)
	if r.Memory != nil {
		for _, d := range r.Memory.Explanation {
			mark := "kept"
			if !d.Kept {
				mark = "drop"
			}
			fmt.Fprintf(w, "   %s %-5s w=%.2f  %s  (%s)\n", mark, d.Kind, d.Weight, d.Item, d.Reason)
		}
	}
	for _, p := range r.Checks.Problems {
		fmt.Fprintf(w, "   ! %s\n", p)
	}
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

// translation is one element of `translate --json`'s array.
type translation = translate.Result
