package textout

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/kgmem/kgmem/graph"
	"github.com/kgmem/kgmem/memory"
	"github.com/kgmem/kgmem/retrieval"
)

// Matches writes the translation-memory matches of one query: the query,
// then each match's score, band, source, target and origin.
func Matches(w io.Writer, text string, ms []retrieval.Match) error {
	ew := &errWriter{w: w}
	fmt.Fprintf(ew, "%s\n", text)
	if len(ms) == 0 {
		fmt.Fprintf(ew, "  (no match)\n")
		return ew.err
	}
	for _, m := range ms {
		fmt.Fprintf(ew, "  %3d%%  %-5s  %s\n", m.Score, m.Band, m.Source)
		fmt.Fprintf(ew, "               → %s\n", m.Target)
		if m.Origin != "" {
			fmt.Fprintf(ew, "               (%s)\n", m.Origin)
		}
	}
	return ew.err
}

// Found writes the entities and terms found in one query: each span with
// what the graph knows of it, its translations, facts and neighbours.
func Found(w io.Writer, text string, found []retrieval.Found) error {
	ew := &errWriter{w: w}
	fmt.Fprintf(ew, "%s\n", text)
	if len(found) == 0 {
		fmt.Fprintf(ew, "  (nothing known)\n")
		return ew.err
	}
	for _, f := range found {
		kind := string(f.Type)
		if f.Pattern && len(f.Info) == 0 {
			fmt.Fprintf(ew, "  %q [%s]\n", f.Text, kind)
			continue
		}
		for i, info := range f.Info {
			if i == 0 {
				fmt.Fprintf(ew, "  %q [%s] %s  %s\n", f.Text, info.Type, info.Label, info.ID)
			} else {
				fmt.Fprintf(ew, "    or [%s] %s  %s\n", info.Type, info.Label, info.ID)
			}
			var ts []string
			for _, t := range info.Translations {
				ts = append(ts, translation(t.Text, t.Lang, t.Count, t.Probability, string(t.Status)))
			}
			if len(ts) > 0 {
				fmt.Fprintf(ew, "      translations: %s\n", strings.Join(ts, ", "))
			}
			for _, fact := range info.Facts {
				fmt.Fprintf(ew, "      %s: %s\n", fact.Predicate, fact.Value)
			}
			neighbours(ew, info.Neighbours, "      ")
		}
	}
	return ew.err
}

// translation renders a translation of an entity: "cuaderno@es (33×,
// p=1.00, preferred)".
func translation(text, lang string, count int, p float64, status string) string {
	s := fmt.Sprintf("%s@%s (%d×, p=%.2f", text, lang, count, p)
	if status != "" {
		s += ", " + status
	}
	return s + ")"
}

// neighbours writes neighbours and theirs, each level indented further.
func neighbours(w io.Writer, ns []retrieval.NeighbourInfo, indent string) {
	for _, n := range ns {
		dir := n.Predicate
		if n.Incoming {
			dir = "←" + dir
		}
		fmt.Fprintf(w, "%s%s %s (%.2f, %d×)\n", indent, dir, n.Label, n.Weight, n.Count)
		neighbours(w, n.Neighbours, indent+"  ")
	}
}

// Entities writes entities of the graph: label, type and id, then their
// translations, facts and neighbours.
func Entities(w io.Writer, shown []memory.EntityView) error {
	ew := &errWriter{w: w}
	for _, se := range shown {
		fmt.Fprintf(ew, "%s  [%s]  %s\n", se.Label, se.Type, se.Entity)
		var ts []string
		for _, t := range se.Translations {
			ts = append(ts, translation(t.Text, t.Lang, t.Count, t.Score, string(t.Status)))
		}
		if len(ts) > 0 {
			fmt.Fprintf(ew, "  translations: %s\n", strings.Join(ts, ", "))
		}
		for _, f := range se.Facts {
			fmt.Fprintf(ew, "  %s: %s\n", f.Predicate, f.Label)
		}
		for _, n := range se.Neighbours {
			fmt.Fprintf(ew, "  %s %s (%.2f, %d×)\n", n.Predicate, n.Label, n.Weight, n.Count)
		}
		for _, e := range se.Engines {
			fmt.Fprintf(ew, "  engine %s: %s@%s missed in %d pairs, written in %d\n", e.Engine, e.Target, e.Lang, e.Missed, e.Agreed)
		}
	}
	return ew.err
}

// GraphStats writes a graph's counts as a right-aligned table, the facts
// by predicate in the order of their names.
func GraphStats(w io.Writer, st graph.Stats) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
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
}
