// Command tmcompare compares the fuzzy matches two tools found for the
// same queries against the same memory: kgmem's (`kgmem search tm
// --json`) and translate-toolkit's (`pretranslate --tm`). It prints a
// Markdown table of speed, match rate and best-match recall. It is run by
// scripts/bench-retrieval.sh; it is not part of kgmem.
//
// Best-match recall is judged with one yardstick for both tools: the best
// match of an exhaustive scan of the memory with retrieval.Similarity (the
// CAT convention). A tool recalls it when its suggestion is the
// translation of a memory segment with that best score.
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
	min := flag.Int("min", 75, "the minimum score both tools were run with")
	flag.Parse()
	if err := run(*memory, *queries, *pre, *kg, *preSecs, *kgSecs, *min); err != nil {
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

func run(memPath, qPath, prePath, kgPath string, preSecs, kgSecs float64, min int) error {
	mem, err := readUnits(memPath)
	if err != nil {
		return err
	}
	qs, err := readLines(qPath)
	if err != nil {
		return err
	}
	// pretranslate's suggestions: the msgstr of each msgid.
	preUnits, err := readUnits(prePath)
	if err != nil {
		return err
	}
	preBy := map[string]string{}
	for _, u := range preUnits {
		if u.target != "" {
			preBy[u.source] = u.target
		}
	}
	// kgmem's: the top match of each JSON line.
	kgBy := map[string]string{}
	f, err := os.Open(kgPath)
	if err != nil {
		return err
	}
	defer f.Close()
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
			return fmt.Errorf("%s: %w", kgPath, err)
		}
		if len(a.Matches) > 0 {
			kgBy[a.Query] = a.Matches[0].Target
		}
	}
	if err := sc.Err(); err != nil {
		return err
	}

	prepared := make([]*retrieval.Prepared, len(mem))
	for i, m := range mem {
		prepared[i] = retrieval.Prepare(m.source)
	}
	// The exhaustive best of every query, and the targets that reach it.
	var withBest, preRecall, kgRecall, preMatched, kgMatched, agree int
	for _, q := range qs {
		best := -1
		targets := map[string]bool{}
		pq := retrieval.Prepare(q)
		for i, m := range mem {
			s := pq.Score(prepared[i], max(best, min))
			if s < 0 {
				continue
			}
			if s > best {
				best = s
				targets = map[string]bool{}
			}
			if s == best {
				targets[m.target] = true
			}
		}
		pt, pok := preBy[q]
		kt, kok := kgBy[q]
		if pok {
			preMatched++
		}
		if kok {
			kgMatched++
		}
		if pok && kok && pt == kt {
			agree++
		}
		if best >= min {
			withBest++
			if pok && targets[pt] {
				preRecall++
			}
			if kok && targets[kt] {
				kgRecall++
			}
		}
	}
	n := float64(len(qs))
	pct := func(a, b int) string { return fmt.Sprintf("%.1f %%", 100*float64(a)/float64(max(b, 1))) }
	fmt.Printf("Memory: %d units; queries: %d; minimum score %d.\n\n", len(mem), len(qs), min)
	fmt.Println("| tool | seconds | segments/s | suggestions ≥ min | best match recalled |")
	fmt.Println("| --- | ---: | ---: | ---: | ---: |")
	fmt.Printf("| translate-toolkit pretranslate --tm | %.1f | %.0f | %s | %s |\n", preSecs, n/preSecs, pct(preMatched, len(qs)), pct(preRecall, withBest))
	fmt.Printf("| kgmem search tm | %.1f | %.0f | %s | %s |\n", kgSecs, n/kgSecs, pct(kgMatched, len(qs)), pct(kgRecall, withBest))
	fmt.Printf("\nQueries whose exhaustive best match (Similarity) scores ≥ %d: %d. Both tools suggest the same translation for %d queries. kgmem is %.1f× faster.\n",
		min, withBest, agree, preSecs/kgSecs)
	return nil
}
