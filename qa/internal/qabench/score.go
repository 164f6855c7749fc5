package main

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// pairHash names a pair in the labels file without its text.
func pairHash(source, target string) string {
	h := sha256.Sum256([]byte(source + "\x00" + target))
	return hex.EncodeToString(h[:8])
}

// readLabels reads the verdicts on findings the pairs had before any
// plant: hash<TAB>class<TAB>real|false<TAB>note. The verdict is on the
// pair and the class, whichever tool reported it.
func readLabels(path string) (map[string]bool, error) {
	labels := map[string]bool{}
	if path == "" {
		return labels, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		ln := sc.Text()
		if ln == "" || strings.HasPrefix(ln, "#") {
			continue
		}
		cells := strings.Split(ln, "\t")
		if len(cells) < 3 || cells[2] != "real" && cells[2] != "false" {
			return nil, fmt.Errorf("%s:%d: want hash, class, real or false, note", path, n)
		}
		labels[cells[0]+"\t"+cells[1]] = cells[2] == "real"
	}
	return labels, sc.Err()
}

// tally counts one tool's findings of one class.
type tally struct {
	Planted  int `json:"planted"`  // planted errors of the kind
	Found    int `json:"found"`    // of them, flagged with the class
	TP       int `json:"tp"`       // findings that are right: planted, or a real issue the pair had
	FP       int `json:"fp"`       // findings that are wrong
	Unjudged int `json:"unjudged"` // findings the pair had, with no verdict yet (counted as wrong)
	Prior    int `json:"prior"`    // findings the pair had that are real issues (in TP)
}

func (t tally) recall() float64 {
	if t.Planted == 0 {
		return 0
	}
	return float64(t.Found) / float64(t.Planted)
}

func (t tally) precision() float64 {
	if t.TP+t.FP+t.Unjudged == 0 {
		return 0
	}
	return float64(t.TP) / float64(t.TP+t.FP+t.Unjudged)
}

// scoreSet compares the findings on the planted set with the truth.
func scoreSet(out, labelsPath string) error {
	var ts []truth
	if err := readJSON(filepath.Join(out, "truth.json"), &ts); err != nil {
		return err
	}
	base, err := readResults(filepath.Join(out, "baseline"))
	if err != nil {
		return err
	}
	got, err := readResults(filepath.Join(out, "planted"))
	if err != nil {
		return err
	}
	labels, err := readLabels(labelsPath)
	if err != nil {
		return err
	}
	score := map[string]map[string]*tally{}
	for _, tool := range tools {
		score[tool] = map[string]*tally{}
		for _, k := range kinds {
			score[tool][k] = &tally{}
		}
	}
	// Sources whose translation a plant changed: a consistency finding
	// on any unit of such a source is the plant's doing.
	changed := map[string]bool{}
	for _, t := range ts {
		if t.Kind != "" {
			changed[looseSource(t.Source)] = true
		}
	}
	todo := map[string][]string{}
	var wrong, missed strings.Builder
	untouched := 0
	for _, t := range ts {
		if t.Kind == "" && len(t.Accept) == 0 {
			untouched++
		}
		for _, tool := range tools {
			if t.Kind != "" {
				score[tool][t.Kind].Planted++
				if got.has(tool, t.File, t.Source, t.Kind) {
					score[tool][t.Kind].Found++
				} else {
					fmt.Fprintf(&missed, "%s\t%s\t%s\t%q\t%q\t%q\n", tool, t.Kind, t.Note, t.Source, t.OrigTarget, t.Target)
				}
			}
			seen := map[string]bool{}
			for _, f := range got.of(t.File, t.Source) {
				if f.Tool != tool {
					continue
				}
				c := score[tool][f.Class]
				if c == nil {
					return fmt.Errorf("%s finding of class %q, which no kind has", tool, f.Class)
				}
				baseFile := t.File
				if t.Added {
					baseFile = t.BaseFile // "" for a unit that copies no pair of the baseline
				}
				switch {
				case t.Kind != "" && has(acceptedFor(t.Kind), f.Class):
					c.TP++
				case has(t.Accept, f.Class), f.Class == kindConsistency && changed[looseSource(t.Source)]:
					c.TP++
				case baseFile != "" && base.has(tool, baseFile, t.Source, f.Class):
					key := pairHash(t.Source, t.OrigTarget) + "\t" + f.Class
					real, judged := labels[key]
					switch {
					case !judged:
						c.Unjudged++
						if !seen[key] {
							todo[key] = append(todo[key], fmt.Sprintf("%s %s: %s", tool, f.Check, f.Message), t.Source, t.OrigTarget)
						}
					case real:
						c.TP++
						c.Prior++
					default:
						c.FP++
						fmt.Fprintf(&wrong, "%s\t%s\tjudged false\t%s\t%q\t%q\n", tool, f.Class, f.Message, t.Source, t.Target)
					}
				default:
					c.FP++
					fmt.Fprintf(&wrong, "%s\t%s\tplanted %s\t%s\t%q\t%q\n", tool, f.Class, t.Kind, f.Message, t.Source, t.Target)
				}
				seen[pairHash(t.Source, t.OrigTarget)+"\t"+f.Class] = true
			}
		}
	}
	if err := writeJSON(filepath.Join(out, "score.json"), score); err != nil {
		return err
	}
	if err := writeTodo(filepath.Join(out, "labels-todo.tsv"), todo); err != nil {
		return err
	}
	// What each tool got wrong and missed, for a person to read.
	if err := os.WriteFile(filepath.Join(out, "wrong.tsv"), []byte(wrong.String()), 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(out, "missed.tsv"), []byte(missed.String()), 0o644); err != nil {
		return err
	}
	printTable(score, untouched, len(ts))
	return nil
}

// looseSource is a source without accelerator markers and outer space.
func looseSource(s string) string {
	return strings.TrimSpace(strings.NewReplacer("_", "", "&", "", "~", "").Replace(s))
}

// writeTodo lists the findings still to be judged, with the pair's text,
// for a person to label.
func writeTodo(path string, todo map[string][]string) error {
	keys := make([]string, 0, len(todo))
	for k := range todo {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		v := todo[k]
		fmt.Fprintf(&b, "%s\t?\t%q\t%q\t%q\n", k, v[0], v[1], v[2])
	}
	if len(keys) > 0 {
		fmt.Fprintf(os.Stderr, "%d findings the pairs already had are not judged yet: see %s\n", len(keys), path)
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

// printTable prints recall and precision per kind and overall, in
// Markdown.
func printTable(score map[string]map[string]*tally, untouched, units int) {
	fmt.Printf("%d units: %d with a planted error or an added unit, %d left as they were.\n\n", units, units-untouched, untouched)
	fmt.Println("| check | planted | kgmem recall | kgmem precision | pofilter recall | pofilter precision |")
	fmt.Println("| --- | ---: | ---: | ---: | ---: | ---: |")
	cell := func(t *tally) (string, string) {
		p := "–"
		if t.TP+t.FP+t.Unjudged > 0 {
			p = fmt.Sprintf("%.2f (%d/%d)", t.precision(), t.TP, t.TP+t.FP+t.Unjudged)
		}
		return fmt.Sprintf("%.2f (%d/%d)", t.recall(), t.Found, t.Planted), p
	}
	sum := map[string]*tally{}
	for _, tool := range tools {
		sum[tool] = &tally{}
	}
	for _, k := range kinds {
		kr, kp := cell(score[toolKgmem][k])
		pr, pp := cell(score[toolPofilter][k])
		fmt.Printf("| %s | %d | %s | %s | %s | %s |\n", k, score[toolKgmem][k].Planted, kr, kp, pr, pp)
		for _, tool := range tools {
			t := score[tool][k]
			s := sum[tool]
			s.Planted += t.Planted
			s.Found += t.Found
			s.TP += t.TP
			s.FP += t.FP
			s.Unjudged += t.Unjudged
			s.Prior += t.Prior
		}
	}
	kr, kp := cell(sum[toolKgmem])
	pr, pp := cell(sum[toolPofilter])
	fmt.Printf("| **all** | %d | **%s** | **%s** | %s | %s |\n", sum[toolKgmem].Planted, kr, kp, pr, pp)
	fmt.Println()
	for _, tool := range tools {
		s := sum[tool]
		fmt.Printf("%s: %d of its right findings are real issues the data already had; %d findings are wrong, %d not judged yet (counted wrong).\n",
			tool, s.Prior, s.FP, s.Unjudged)
	}
}
