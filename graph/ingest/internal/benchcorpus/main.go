// Command benchcorpus writes the corpora scripts/bench-graph.sh builds
// graphs from: N English–Spanish pairs as a TSV file (domain, source,
// target), made from the shared data as docs/bench-graph.md says. The
// first pairs are real: the gettext memory, Tatoeba and the TICO-19 dev
// set, interleaved; beyond them come variants of them, as a memory grows
// by similar sentences rather than copies (a word dropped, doubled or
// swapped with its neighbour, a number added, the case changed, two
// sentences joined; the translation marked), as the retrieval benchmark
// makes them. Every pair is distinct, and the output is the same for the
// same arguments. With -extra, M more distinct variants go to a second
// file, to add to a graph of the first. It is not part of kgmem.
//
//	go run ./graph/ingest/internal/benchcorpus -data ../shared/data -n 1000000 -out /tmp/bench/1m.tsv -extra 10000 -extra-out /tmp/bench/1m+10k.tsv
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"math/rand"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/corpora/formats"
	"github.com/kgmem/kgmem/corpora/tabular"
)

type pair struct{ domain, source, target string }

func main() {
	data := flag.String("data", "../shared/data", "the shared data directory")
	n := flag.Int("n", 100000, "pairs to write")
	out := flag.String("out", "", "the TSV file to write")
	extra := flag.Int("extra", 0, "pairs to write to -extra-out, none of them in -out")
	extraOut := flag.String("extra-out", "", "the TSV file of the extra pairs")
	flag.Parse()
	if *out == "" || (*extra > 0 && *extraOut == "") {
		fmt.Fprintln(os.Stderr, "usage: benchcorpus -data DIR -n N -out FILE [-extra M -extra-out FILE]")
		os.Exit(2)
	}
	if err := run(*data, *n, *out, *extra, *extraOut); err != nil {
		fmt.Fprintln(os.Stderr, "benchcorpus:", err)
		os.Exit(1)
	}
}

func run(data string, n int, out string, extra int, extraOut string) error {
	base, err := basePairs(data)
	if err != nil {
		return err
	}
	g := newGenerator(base)
	if err := writePairs(out, g, n); err != nil {
		return err
	}
	if extra > 0 {
		return writePairs(extraOut, g, extra)
	}
	return nil
}

// basePairs reads the real pairs: the gettext memory, Tatoeba and TICO-19,
// interleaved (one gettext pair, two Tatoeba pairs), TICO-19 last.
func basePairs(data string) ([]pair, error) {
	var sets [3][]pair
	for i, f := range []string{"gettext/en-es.memory.tsv", "tatoeba/en-es.tsv", "tico19/en-es.dev.tsv"} {
		ps, err := readPairs(filepath.Join(data, f))
		if err != nil {
			return nil, err
		}
		sets[i] = ps
	}
	var out []pair
	gt, tat := sets[0], sets[1]
	for i, j := 0, 0; i < len(gt) || j < len(tat); {
		if i < len(gt) {
			out = append(out, gt[i])
			i++
		}
		for k := 0; k < 2 && j < len(tat); k++ {
			out = append(out, tat[j])
			j++
		}
	}
	return append(out, sets[2]...), nil
}

func readPairs(path string) ([]pair, error) {
	f, err := formats.Open(path, formats.Options{ReadOptions: corpora.ReadOptions{SourceLang: language.English, TargetLang: language.Spanish}})
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []pair
	for {
		u, err := f.Next()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		out = append(out, pair{u.Domain, u.Source.Plain(), u.Target.Plain()})
	}
}

// generator hands out distinct pairs: the real ones first, then variants.
type generator struct {
	base []pair
	next int
	r    *rand.Rand
	seen map[string]bool
}

func newGenerator(base []pair) *generator {
	return &generator{base: base, r: rand.New(rand.NewSource(2)), seen: map[string]bool{}}
}

// pair returns the next distinct pair.
func (g *generator) pair() pair {
	for {
		var p pair
		if g.next < len(g.base) {
			p = g.base[g.next]
			g.next++
		} else {
			p = vary(g.r, g.base[g.r.Intn(len(g.base))], g.base[g.r.Intn(len(g.base))])
		}
		k := p.source + "\x00" + p.target
		if !g.seen[k] {
			g.seen[k] = true
			return p
		}
	}
}

// vary returns a variant of a pair.
func vary(r *rand.Rand, p, other pair) pair {
	words := strings.Fields(p.source)
	if len(words) == 0 {
		words = []string{p.source}
	}
	switch op := r.Intn(6); {
	case op == 0 && len(words) > 2:
		i := r.Intn(len(words))
		words = append(words[:i:i], words[i+1:]...)
	case op == 1 && len(words) > 1:
		i := r.Intn(len(words) - 1)
		words[i], words[i+1] = words[i+1], words[i]
	case op == 2:
		words = append(words, strconv.Itoa(r.Intn(1000)))
	case op == 3:
		words[0] = strings.ToUpper(words[0])
	case op == 4:
		return pair{domain: p.domain, source: p.source + " " + other.source, target: p.target + " " + other.target}
	default:
		i := r.Intn(len(words))
		words = append(words[:i+1:i+1], words[i:]...)
	}
	return pair{domain: p.domain, source: strings.Join(words, " "), target: p.target + " (" + strconv.Itoa(r.Intn(100)) + ")"}
}

// writePairs writes the next n pairs of g to path.
func writePairs(path string, g *generator, n int) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	w, err := tabular.NewWriter(bw, tabular.WriterOptions{Columns: []string{tabular.ColDomain, tabular.ColSource, tabular.ColTarget},
		SourceLang: language.English, TargetLang: language.Spanish})
	if err != nil {
		f.Close()
		return err
	}
	for range n {
		p := g.pair()
		u := &corpora.Unit{Source: corpora.Text(p.source), Target: corpora.Text(p.target), Domain: p.domain}
		if err := w.Write(u); err != nil {
			f.Close()
			return fmt.Errorf("write %s: %w", path, err)
		}
	}
	if err := w.Close(); err != nil {
		f.Close()
		return err
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
