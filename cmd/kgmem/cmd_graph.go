package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"text/tabwriter"

	"github.com/urfave/cli/v2"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/graph"
	"github.com/kgmem/kgmem/graph/extract"
	"github.com/kgmem/kgmem/graph/ingest"
	"github.com/kgmem/kgmem/graph/stores"
	"github.com/kgmem/kgmem/retrieval"
)

// graphFlag selects the graph store.
func graphFlag() cli.Flag {
	return &cli.StringFlag{
		Name:    "graph",
		Usage:   "graph store: embedded (one file in the data directory) or dgraph://HOST:PORT",
		EnvVars: []string{stores.EnvVar},
		Value:   stores.Default,
	}
}

func openGraph(ctx context.Context, c *cli.Context, g *globals) (graph.Store, error) {
	s, err := stores.Open(ctx, c.String("graph"), g.dataDir)
	if err != nil {
		return nil, withHint(err, "check --graph, or start a local Dgraph with scripts/dgraph-local.sh start")
	}
	return s, nil
}

// progressPhases adapts the terminal progress line to ingest.Progress.
type progressPhases struct{ p *progress }

func (pp progressPhases) Phase(name string, total int64) {
	pp.p.mu.Lock()
	pp.p.done, pp.p.total = 0, total
	pp.p.mu.Unlock()
	pp.p.SetLabel(name)
}
func (pp progressPhases) Add(n int64) { pp.p.Add(n) }

func newBuildGraphCommand(g *globals) *cli.Command {
	return &cli.Command{
		Name:      "build-graph",
		Usage:     "build the knowledge graph from translation memories, catalogs and term bases",
		ArgsUsage: "PATHS…",
		Flags: append(readFlags(),
			graphFlag(),
			&cli.StringSliceFlag{Name: "terms", Usage: "a term base (TBX, tab or CSV glossary); repeat for several"},
			&cli.IntFlag{Name: "shards", Usage: "split the search index into N indexes searched as one; default: as now (1 for a new index)"},
			&cli.StringFlag{Name: "memory-limit", Usage: "memory the build aims to stay within (such as 4GB or 512MB); beyond it extraction uses temporary files; default: a quarter of the machine's memory"},
			jsonFlag,
		),
		Action: func(c *cli.Context) error { return runBuildGraph(c, g) },
	}
}

// runBuildGraph builds the graph and brings the search index along.
func runBuildGraph(c *cli.Context, g *globals) error {
	if err := checkArgs(c); err != nil {
		return err
	}
	o, err := parseReadOptions(c)
	if err != nil {
		return err
	}
	if c.NArg() == 0 && len(c.StringSlice("terms")) == 0 {
		return usageErrorf("build-graph needs files or directories to read; run `kgmem build-graph --help`")
	}
	limit, err := memoryLimit(c.String("memory-limit"))
	if err != nil {
		return err
	}
	// The Go runtime keeps the heap within the limit, and until it
	// nears it collects garbage less often than by default (a
	// quarter less CPU for a build); extraction's tables get half
	// of the limit. GOGC, when set, still wins.
	debug.SetMemoryLimit(limit)
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	store, err := openGraph(c.Context, c, g)
	if err != nil {
		return err
	}
	defer store.Close()
	prog := newProgress(g, "reading")
	defer prog.Done()
	idx, err := retrieval.Open(c.Context, retrieval.Dir(g.dataDir), retrieval.Options{Shards: c.Int("shards"), Log: g.log, Progress: progressPhases{prog}})
	if err != nil {
		return err
	}
	defer idx.Close()
	// The search index follows the build: it is written from the
	// batches as the graph is, and finished after.
	follow := idx.Follow(store)
	defer follow.Close()
	sum, err := ingest.Run(c.Context, store, ingest.Options{
		Paths:      c.Args().Slice(),
		Terms:      c.StringSlice("terms"),
		SourceLang: o.from,
		TargetLang: o.to,
		Format:     o.format,
		Lenient:    o.lenient,
		OnSkip:     func(s corpora.Skip) { g.log.Warn(s.String()) },
		Progress:   progressPhases{prog},
		Extract:    extract.Options{MemoryLimit: limit / 2},
		// The word-alignment model is kept beside the graph, so
		// that a later build aligns new files with all it has seen.
		ModelDir: ingest.ModelDir(g.dataDir, c.String("graph")),
		Log:      g.log,
		Index:    follow,
	})
	if errors.Is(err, ingest.ErrNoLanguages) {
		return withHint(err, "pass --from and --to")
	}
	if err != nil {
		return err
	}
	isum, err := follow.Finish(c.Context)
	prog.Done()
	if err != nil {
		return err
	}
	if wantJSON(c, g) {
		return g.printJSON(struct {
			ingest.Summary
			Index retrieval.SyncSummary `json:"index"`
		}{sum, isum})
	}
	fmt.Fprintf(g.out, "read %d units and %d term entries from %d files (%d written, %d unchanged, %d units skipped) in %.1fs\n",
		sum.Units, sum.Terms, sum.Files, sum.Written, sum.Unchanged, sum.Skipped, sum.Seconds)
	fmt.Fprintf(g.out, "graph: %d segments, %d entities, %d facts\n", sum.Segments, sum.Entities, sum.Facts)
	fmt.Fprintf(g.out, "index: %d segments indexed, %d deleted in %.1fs\n", isum.Indexed, isum.Deleted, isum.Seconds)
	return nil
}

// memoryLimit parses --memory-limit: a number of bytes with an optional
// unit (KB, MB, GB, TB, powers of 1024; KiB… too), or "" for a quarter
// of the machine's memory.
func memoryLimit(s string) (int64, error) {
	if s == "" {
		var si syscall.Sysinfo_t
		if err := syscall.Sysinfo(&si); err != nil || si.Totalram == 0 {
			return 4 << 30, nil
		}
		return int64(si.Totalram) * int64(si.Unit) / 4, nil
	}
	num := strings.TrimRight(s, "KMGTiBb ")
	unit := strings.ToUpper(strings.TrimSpace(s[len(num):]))
	n, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
	shift, ok := map[string]int{"": 0, "B": 0, "K": 10, "KB": 10, "KIB": 10, "M": 20, "MB": 20, "MIB": 20, "G": 30, "GB": 30, "GIB": 30, "T": 40, "TB": 40, "TIB": 40}[unit]
	if err != nil || !ok || n <= 0 {
		return 0, usageErrorf("--memory-limit %q: give a size such as 4GB or 512MB", s)
	}
	limit := int64(n * float64(int64(1)<<shift))
	if limit < 64<<20 {
		return 0, usageErrorf("--memory-limit %q is less than 64MB, too little to build in", s)
	}
	return limit, nil
}

func newGraphCommand(g *globals) *cli.Command {
	return &cli.Command{
		Name:  "graph",
		Usage: "look into the knowledge graph",
		Subcommands: []*cli.Command{
			{
				Name:      "show",
				Usage:     "show the entities with a label, their translations, facts and neighbours",
				ArgsUsage: "LABEL…",
				Flags: []cli.Flag{
					graphFlag(),
					&cli.StringFlag{Name: "from", Value: "en", Usage: "language of the labels"},
					&cli.StringFlag{Name: "to", Usage: "language of the translations to show; default: all"},
					&cli.IntFlag{Name: "limit", Value: 10, Usage: "facts and neighbours shown per entity"},
					jsonFlag,
				},
				Action: func(c *cli.Context) error {
					if c.NArg() == 0 {
						return usageErrorf("graph show needs at least one label; run `kgmem graph show --help`")
					}
					store, err := openGraph(c.Context, c, g)
					if err != nil {
						return err
					}
					defer store.Close()
					return runGraphShow(c.Context, g, store, c.Args().Slice(), c.String("from"), c.String("to"), c.Int("limit"), wantJSON(c, g))
				},
			},
			{
				Name:  "stats",
				Usage: "count segments, entities, labels and facts by predicate",
				Flags: []cli.Flag{graphFlag(), jsonFlag},
				Action: func(c *cli.Context) error {
					store, err := openGraph(c.Context, c, g)
					if err != nil {
						return err
					}
					defer store.Close()
					st, err := store.Stats(c.Context)
					if err != nil {
						return err
					}
					if wantJSON(c, g) {
						return g.printJSON(st)
					}
					tw := tabwriter.NewWriter(g.out, 0, 4, 2, ' ', tabwriter.AlignRight)
					fmt.Fprintf(tw, "%d\tsegments\t\n%d\tentities\t\n%d\tlabels\t\n%d\tfacts\t\n%d\tsource files\t\n", st.Segments, st.Entities, st.Labels, st.Facts, st.Sources)
					preds := make([]string, 0, len(st.ByPredicate))
					for p := range st.ByPredicate {
						preds = append(preds, p)
					}
					sort.Strings(preds)
					for _, p := range preds {
						fmt.Fprintf(tw, "%d\t  %s\t\n", st.ByPredicate[p], p)
					}
					return tw.Flush()
				},
			},
		},
	}
}

// shownTranslation is a translation in `graph show`.
type shownTranslation struct {
	Text   string       `json:"text"`
	Lang   string       `json:"lang"`
	Score  float64      `json:"score"`
	Count  int          `json:"count"`
	Status graph.Status `json:"status"`
}

type shownFact struct {
	Predicate string  `json:"predicate"`
	Object    string  `json:"object,omitempty"`
	Label     string  `json:"label,omitempty"` // the object entity's label, or the literal
	Lang      string  `json:"lang,omitempty"`
	Weight    float64 `json:"weight"`
	Count     int     `json:"count"`
}

type shownEntity struct {
	Label        string             `json:"label"`
	Entity       string             `json:"entity"`
	Type         graph.EntityType   `json:"type"`
	Key          string             `json:"key"`
	Labels       []graph.Label      `json:"labels"`
	Translations []shownTranslation `json:"translations"`
	Facts        []shownFact        `json:"facts"`
	Neighbours   []shownFact        `json:"neighbours"`
}

// translations merges an entity's labels in the target language by text:
// best status, summed counts, highest weight; best first.
func translations(labels []graph.Label, to, from string) []shownTranslation {
	byText := map[string]*shownTranslation{}
	var out []*shownTranslation
	for _, l := range labels {
		if to != "" && !graph.LangCovers(to, l.Lang) {
			continue
		}
		if to == "" && graph.LangCovers(from, l.Lang) {
			continue
		}
		t := byText[l.Text]
		if t == nil {
			t = &shownTranslation{Text: l.Text, Lang: l.Lang, Status: l.Status}
			byText[l.Text] = t
			out = append(out, t)
		}
		t.Count += l.Count
		t.Score = max(t.Score, l.Weight)
		if l.Status.Rank() < t.Status.Rank() {
			t.Status = l.Status
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Status.Rank() != b.Status.Rank() {
			return a.Status.Rank() < b.Status.Rank()
		}
		if a.Count != b.Count {
			return a.Count > b.Count
		}
		return a.Score > b.Score
	})
	res := make([]shownTranslation, len(out))
	for i, t := range out {
		res[i] = *t
	}
	return res
}

// displayLabel is the label of an entity in lang, or its key.
func displayLabel(e graph.Entity, lang string) string {
	for _, l := range e.Labels {
		if graph.LangCovers(lang, l.Lang) {
			return l.Text
		}
	}
	return e.Key
}

func runGraphShow(ctx context.Context, g *globals, store graph.Store, labels []string, from, to string, limit int, asJSON bool) error {
	shown := []shownEntity{}
	for _, label := range labels {
		es, err := store.EntitiesByLabel(ctx, label, from, true)
		if err != nil {
			return err
		}
		rankEntities(es, label, from)
		for _, e := range es {
			se := shownEntity{Label: label, Entity: e.ID, Type: e.Type, Key: e.Key, Labels: e.Labels,
				Translations: translations(e.Labels, to, from), Facts: []shownFact{}, Neighbours: []shownFact{}}
			facts, err := store.Facts(ctx, e.ID, graph.FactQuery{Limit: 0})
			if err != nil {
				return err
			}
			for _, f := range facts {
				if f.Predicate == graph.PredLabel || f.Object != "" || len(se.Facts) >= limit {
					continue
				}
				se.Facts = append(se.Facts, shownFact{Predicate: f.Predicate, Label: f.Literal, Lang: f.Lang, Weight: f.Weight, Count: f.Count})
			}
			ns, err := store.Neighbours(ctx, e.ID, limit)
			if err != nil {
				return err
			}
			for _, n := range ns {
				dir := n.Fact.Predicate
				if n.Fact.Object == e.ID {
					dir = "←" + dir
				}
				se.Neighbours = append(se.Neighbours, shownFact{Predicate: dir, Object: n.Entity.ID,
					Label: displayLabel(n.Entity, from), Weight: n.Fact.Weight, Count: n.Fact.Count})
			}
			shown = append(shown, se)
		}
		if len(es) == 0 && !asJSON {
			fmt.Fprintf(g.out, "%s: not in the graph\n", label)
		}
	}
	if asJSON {
		return g.printJSON(shown)
	}
	for _, se := range shown {
		fmt.Fprintf(g.out, "%s  [%s]  %s\n", se.Label, se.Type, se.Entity)
		var ts []string
		for _, t := range se.Translations {
			s := fmt.Sprintf("%s@%s (%d×, p=%.2f", t.Text, t.Lang, t.Count, t.Score)
			if t.Status != "" {
				s += ", " + string(t.Status)
			}
			ts = append(ts, s+")")
		}
		if len(ts) > 0 {
			fmt.Fprintf(g.out, "  translations: %s\n", strings.Join(ts, ", "))
		}
		for _, f := range se.Facts {
			fmt.Fprintf(g.out, "  %s: %s\n", f.Predicate, f.Label)
		}
		for _, n := range se.Neighbours {
			fmt.Fprintf(g.out, "  %s %s (%.2f, %d×)\n", n.Predicate, n.Label, n.Weight, n.Count)
		}
	}
	return nil
}

// rankEntities orders the entities found for a label: those with the label
// exactly as written first ("file" before the code "FILE"), then the most
// used (the largest label count in the language).
func rankEntities(es []graph.Entity, label, lang string) {
	score := func(e graph.Entity) (exact bool, count int) {
		for _, l := range e.Labels {
			if !graph.LangCovers(lang, l.Lang) {
				continue
			}
			if l.Text == label {
				exact = true
			}
			count = max(count, l.Count)
		}
		return exact, count
	}
	sort.SliceStable(es, func(i, j int) bool {
		ei, ci := score(es[i])
		ej, cj := score(es[j])
		if ei != ej {
			return ei
		}
		return ci > cj
	})
}
