// Command tmcompare compares the fuzzy matches several tools found for the
// same queries against the same memory: kgmem's (`kgmem search tm
// --json`), translate-toolkit's `pretranslate --tm` (a PO file) and
// translate-toolkit's `tmserver` (JSON lines in the same shape as kgmem's,
// written by the client in scripts/bench-retrieval.sh). It prints Markdown
// tables of speed, match rate and best-match recall. It is run by
// scripts/bench-retrieval.sh; it is not part of kgmem.
//
// Best-match recall is judged with one yardstick for every tool: the best
// match of an exhaustive scan of the memory with retrieval.Similarity (the
// CAT convention). A tool recalls it when its suggestion is the
// translation of a memory segment with that best score.
//
// A tool may answer only a sample of the queries (tmserver needs seconds
// for a long one): its row is computed over the queries it answered, and
// a second table compares every tool on that sample.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/corpora/formats"
	"github.com/kgmem/kgmem/retrieval"
)

func main() {
	memory := flag.String("memory", "", "the memory (TSV, TMX, PO…)")
	queries := flag.String("queries", "", "the queries, one per line")
	pre := flag.String("pretranslate", "", "pretranslate's output PO")
	preSecs := flag.Float64("pretranslate-seconds", 0, "how long pretranslate took")
	kg := flag.String("kgmem", "", "kgmem search tm --json output")
	kgSecs := flag.Float64("kgmem-seconds", 0, "how long kgmem search tm took")
	tms := flag.String("tmserver", "", "tmserver answers, as JSON lines {query, matches: [{target}]} (optional)")
	tmsSecs := flag.Float64("tmserver-seconds", 0, "how long the tmserver queries took")
	tmdbSecs := flag.Float64("tmdb-seconds", 0, "how long build_tmdb took (reported only)")
	min := flag.Int("min", 75, "the minimum score the tools were run with")
	flag.Parse()
	if err := run(*memory, *queries, *pre, *kg, *tms, *preSecs, *kgSecs, *tmsSecs, *tmdbSecs, *min); err != nil {
		fmt.Fprintln(os.Stderr, "tmcompare:", err)
		os.Exit(1)
	}
}

type unit struct{ source, target string }

func readUnits(path string) ([]unit, error) {
	f, err := formats.Open(path, formats.Options{ReadOptions: corpora.ReadOptions{SourceLang: language.English, TargetLang: language.Spanish}})
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []unit
	for {
		u, err := f.Next()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		out = append(out, unit{u.Source.Plain(), u.Target.Plain()})
	}
}

func readLines(path string) ([]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return strings.Split(strings.TrimRight(string(b), "\n"), "\n"), nil
}

// tool is what one tool answered: the top suggestion's target per query
// ("" for none), for the queries it was asked.
type tool struct {
	name    string
	seconds float64
	asked   map[string]bool
	answer  map[string]string
}

// readPO reads pretranslate's output: every query is asked; the msgstr is
// the suggestion.
func readPO(name, path string, secs float64, qs []string) (*tool, error) {
	units, err := readUnits(path)
	if err != nil {
		return nil, err
	}
	t := &tool{name: name, seconds: secs, asked: map[string]bool{}, answer: map[string]string{}}
	for _, q := range qs {
		t.asked[q] = true
	}
	for _, u := range units {
		if u.target != "" {
			t.answer[u.source] = u.target
		}
	}
	return t, nil
}

// readJSONL reads one JSON object per query: {"query", "matches":
// [{"target"}]}, best first.
func readJSONL(name, path string, secs float64) (*tool, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	t := &tool{name: name, seconds: secs, asked: map[string]bool{}, answer: map[string]string{}}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 1<<20), 1<<26)
	for sc.Scan() {
		var a struct {
			Query   string `json:"query"`
			Matches []struct {
				Target string `json:"target"`
			} `json:"matches"`
		}
		if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		t.asked[a.Query] = true
		if len(a.Matches) > 0 {
			t.answer[a.Query] = a.Matches[0].Target
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return t, nil
}

// best is the exhaustive best match of a query: its score and the
// targets of the memory segments that reach it.
type best struct {
	score   int
	targets map[string]bool
}

func run(memPath, qPath, prePath, kgPath, tmsPath string, preSecs, kgSecs, tmsSecs, tmdbSecs float64, min int) error {
	mem, err := readUnits(memPath)
	if err != nil {
		return err
	}
	qs, err := readLines(qPath)
	if err != nil {
		return err
	}
	pre, err := readPO("translate-toolkit pretranslate --tm", prePath, preSecs, qs)
	if err != nil {
		return err
	}
	kg, err := readJSONL("kgmem search tm", kgPath, kgSecs)
	if err != nil {
		return err
	}
	tools := []*tool{pre, kg}
	var tms *tool
	if tmsPath != "" {
		if tms, err = readJSONL("translate-toolkit tmserver (build_tmdb)", tmsPath, tmsSecs); err != nil {
			return err
		}
		tools = append(tools, tms)
	}
	bests := exhaustiveBests(mem, qs, min)
	fmt.Printf("Memory: %d units; queries: %d; minimum score %d.\n\n", len(mem), len(qs), min)
	table(tools, qs, bests, min)
	printAgreement(pre, kg, qs, bests, min)
	if tms != nil {
		printSample(tools, tms, kg, qs, bests, min, tmdbSecs)
	}
	return nil
}

// exhaustiveBests scores every memory unit against every query with
// retrieval's Similarity and returns each query's best.
func exhaustiveBests(mem []unit, qs []string, min int) map[string]best {
	prepared := make([]*retrieval.Prepared, len(mem))
	for i, m := range mem {
		prepared[i] = retrieval.Prepare(m.source)
	}
	bests := make(map[string]best, len(qs))
	for _, q := range qs {
		b := best{score: -1, targets: map[string]bool{}}
		pq := retrieval.Prepare(q)
		for i, m := range mem {
			s := pq.Score(prepared[i], max(b.score, min))
			if s < 0 {
				continue
			}
			if s > b.score {
				b = best{score: s, targets: map[string]bool{}}
			}
			if s == b.score {
				b.targets[m.target] = true
			}
		}
		bests[q] = b
	}
	return bests
}

// printAgreement prints how many queries have a best match, how often
// pretranslate and kgmem agree, and how much faster kgmem is.
func printAgreement(pre, kg *tool, qs []string, bests map[string]best, min int) {
	agree := 0
	for _, q := range qs {
		if pt, ok := pre.answer[q]; ok && pt == kg.answer[q] {
			agree++
		}
	}
	withBest := 0
	for _, q := range qs {
		if bests[q].score >= min {
			withBest++
		}
	}
	fmt.Printf("\nQueries whose exhaustive best match (Similarity) scores ≥ %d: %d. pretranslate and kgmem suggest the same translation for %d queries. kgmem is %.1f× faster than pretranslate.\n",
		min, withBest, agree, pre.seconds/kg.seconds)
}

// printSample prints the table again over the queries tmserver was asked,
// and its speed.
func printSample(tools []*tool, tms, kg *tool, qs []string, bests map[string]best, min int, tmdbSecs float64) {
	var sample []string
	for _, q := range qs {
		if tms.asked[q] {
			sample = append(sample, q)
		}
	}
	fmt.Printf("\nOn the %d queries tmserver was asked (every %.0fth):\n\n", len(sample), float64(len(qs))/float64(max(len(sample), 1)))
	table(tools, sample, bests, min)
	if tmdbSecs > 0 {
		fmt.Printf("\nbuild_tmdb took %.1f s to load the memory.", tmdbSecs)
	}
	if n := len(sample); n > 0 && tms.seconds > 0 {
		fmt.Printf(" tmserver answered %.3f queries/s; kgmem is %.0f× faster.\n", float64(n)/tms.seconds, (float64(len(kg.asked))/kg.seconds)/(float64(n)/tms.seconds))
	}
}

// table prints one row per tool over those of the queries qs it was
// asked; the speed is over everything it was asked.
func table(tools []*tool, qs []string, bests map[string]best, min int) {
	pct := func(a, b int) string { return fmt.Sprintf("%.1f %%", 100*float64(a)/float64(max(b, 1))) }
	fmt.Println("| tool | queries | seconds | segments/s | suggestions ≥ min | best match recalled |")
	fmt.Println("| --- | ---: | ---: | ---: | ---: | ---: |")
	for _, t := range tools {
		var asked, matched, withBest, recalled int
		for _, q := range qs {
			if !t.asked[q] {
				continue
			}
			asked++
			a, ok := t.answer[q]
			if ok {
				matched++
			}
			if b := bests[q]; b.score >= min {
				withBest++
				if ok && b.targets[a] {
					recalled++
				}
			}
		}
		if asked == 0 {
			continue
		}
		// Speed is always over everything the tool was asked.
		total := len(t.asked)
		rate := float64(total) / t.seconds
		prec := 0
		if rate < 10 {
			prec = 3
		}
		fmt.Printf("| %s | %d | %.1f | %.*f | %s | %s |\n", t.name, asked, t.seconds, prec, rate,
			pct(matched, asked), pct(recalled, withBest))
	}
}
