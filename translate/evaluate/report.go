package evaluate

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
)

// Report is the outcome of Run: one ConfigReport per configuration and the
// online experiment's, over the same scored pairs.
type Report struct {
	Test       string `json:"test,omitempty"` // the test file, set by the caller
	Model      string `json:"model"`
	SourceLang string `json:"source_lang"`
	TargetLang string `json:"target_lang"`
	// TestPairs is how many pairs the test file gave; ExactInMemory how
	// many of them were already in the memory (source and target);
	// ExcludedExact how many of those were left out of the scores (all of
	// them, unless AllowExact); Scored how many pairs were scored.
	TestPairs     int  `json:"test_pairs"`
	ExactInMemory int  `json:"exact_in_memory"`
	ExcludedExact int  `json:"excluded_exact"`
	AllowExact    bool `json:"allow_exact"`
	Scored        int  `json:"scored_pairs"`
	// Terms is the size of the term list (0 for none).
	Terms    int            `json:"terms"`
	Configs  []ConfigReport `json:"configs"`
	Online   *OnlineReport  `json:"online,omitempty"`
	Partial  bool           `json:"partial"`
	Excluded []ExcludedPair `json:"-"`
	// Sources and References are the scored pairs, one line each.
	Sources    []string `json:"-"`
	References []string `json:"-"`
}

// ExcludedPair is a test pair found in the memory.
type ExcludedPair struct{ Source, Reference string }

// ConfigReport is the outcome of one configuration.
type ConfigReport struct {
	Config
	Label string `json:"label"`
	// Segments is how many pairs were translated (fewer than the scored
	// pairs when Partial).
	Segments int `json:"segments"`
	Scores
	// Leverage counts segments by the band of their best memory match:
	// "100", "95-99", "85-94", "75-84", "50-74", "no match".
	Leverage map[string]Band `json:"leverage"`
	// Statuses counts segments by status: exact, fuzzy, machine.
	Statuses map[string]int `json:"statuses"`
	// Problems counts segments the pipeline's checks flagged.
	Problems          int     `json:"segments_with_problems"`
	LatencyMS         Latency `json:"latency_ms"`
	SegmentsPerSecond float64 `json:"segments_per_second"`
	Seconds           float64 `json:"seconds"`
	Partial           bool    `json:"partial,omitempty"`
	// Hypotheses are the translations, one line each.
	Hypotheses []string `json:"-"`
	status     []string
}

// Band is one TM leverage band.
type Band struct {
	Segments int     `json:"segments"`
	Share    float64 `json:"share"` // percent of the segments
}

// Latency is the time per segment, in milliseconds.
type Latency struct {
	P50 float64 `json:"p50"`
	P95 float64 `json:"p95"`
}

// OnlineReport is the outcome of the online experiment.
type OnlineReport struct {
	Config string `json:"config"`
	Block  int    `json:"block"`
	// LearnEvery is how many segments were translated between two
	// learning steps (1: learning after every segment).
	LearnEvery int `json:"learn_every"`
	Segments   int `json:"segments"`
	// Learning scores the stream translated with learning; Without the
	// same segments translated without it.
	Learning Scores         `json:"learning"`
	Without  Scores         `json:"without_learning"`
	Blocks   []OnlineBlock  `json:"blocks"`
	Statuses map[string]int `json:"statuses"`
	// LatencyMS is the time to translate one segment (a step's time over
	// its size), LearnLatencyMS the time of one learning step.
	LatencyMS      Latency  `json:"latency_ms"`
	LearnLatencyMS Latency  `json:"learn_latency_ms"`
	Partial        bool     `json:"partial,omitempty"`
	Hypotheses     []string `json:"-"`
}

// OnlineBlock is one block of the online stream: segments From to To
// (1-based, inclusive).
type OnlineBlock struct {
	From         int     `json:"from"`
	To           int     `json:"to"`
	ChrF         float64 `json:"chrf"`
	ChrFWithout  float64 `json:"chrf_without_learning"`
	Exact        int     `json:"exact"`
	ExactWithout int     `json:"exact_without_learning"`
}

// bandOrder is the order leverage bands are shown in.
var bandOrder = []string{"100", "95-99", "85-94", "75-84", "50-74", "no match"}

// WriteDir writes the report to dir (created if needed): src.txt and
// ref.txt (the scored pairs), hyp-NAME.txt per configuration and
// hyp-online.txt, excluded.tsv (the pairs found in the memory),
// report.json, report.md and chart.svg.
func WriteDir(dir string, r *Report) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("write the report: %w", err)
	}
	write := func(name string, fn func(io.Writer) error) error {
		path := filepath.Join(dir, name)
		f, err := os.Create(path)
		if err != nil {
			return fmt.Errorf("write the report: %w", err)
		}
		if err := fn(f); err != nil {
			f.Close()
			return fmt.Errorf("write %s: %w", path, err)
		}
		if err := f.Close(); err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
		return nil
	}
	lines := func(ls []string) func(io.Writer) error {
		return func(w io.Writer) error {
			for _, l := range ls {
				if _, err := io.WriteString(w, l+"\n"); err != nil {
					return err
				}
			}
			return nil
		}
	}
	files := []struct {
		name string
		fn   func(io.Writer) error
	}{
		{"src.txt", lines(r.Sources)},
		{"ref.txt", lines(r.References)},
		{"excluded.tsv", func(w io.Writer) error {
			if _, err := io.WriteString(w, "source\ttarget\n"); err != nil {
				return err
			}
			for _, e := range r.Excluded {
				if _, err := fmt.Fprintf(w, "%s\t%s\n", e.Source, e.Reference); err != nil {
					return err
				}
			}
			return nil
		}},
		{"report.json", func(w io.Writer) error { return WriteJSON(w, r) }},
		{"report.md", func(w io.Writer) error { return Markdown(w, r) }},
		{"chart.svg", func(w io.Writer) error { return Chart(w, r) }},
	}
	for _, c := range r.Configs {
		files = append(files, struct {
			name string
			fn   func(io.Writer) error
		}{"hyp-" + c.Name + ".txt", lines(c.Hypotheses)})
	}
	if r.Online != nil {
		files = append(files, struct {
			name string
			fn   func(io.Writer) error
		}{"hyp-online.txt", lines(r.Online.Hypotheses)})
	}
	for _, f := range files {
		if err := write(f.name, f.fn); err != nil {
			return err
		}
	}
	return nil
}

// WriteJSON writes r as indented JSON.
func WriteJSON(w io.Writer, r *Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}

// pct formats an optional percentage.
func pct(f *float64) string {
	if f == nil {
		return "n/a"
	}
	return fmt.Sprintf("%.1f", *f)
}

// pctUnit formats an optional percentage with its unit.
func pctUnit(f *float64) string {
	if f == nil {
		return "n/a"
	}
	return pct(f) + " %"
}

// Summary is one sentence saying what was scored.
func (r *Report) Summary() string {
	var b strings.Builder
	fmt.Fprintf(&b, "model %s, %s → %s: %d test pairs", r.Model, r.SourceLang, r.TargetLang, r.TestPairs)
	switch {
	case r.ExactInMemory == 0:
		fmt.Fprintf(&b, ", none of them already in the memory")
	case r.AllowExact:
		fmt.Fprintf(&b, ", %d of them already in the memory (source and target) and scored all the same (--allow-exact)", r.ExactInMemory)
	default:
		fmt.Fprintf(&b, ", %d of them already in the memory (source and target) and left out", r.ExcludedExact)
	}
	fmt.Fprintf(&b, "; %d scored", r.Scored)
	if r.Terms > 0 {
		fmt.Fprintf(&b, "; term list of %d terms", r.Terms)
	}
	if r.Partial {
		b.WriteString("; PARTIAL: interrupted before the end")
	}
	b.WriteString(".")
	return b.String()
}

// Markdown writes r as Markdown tables: quality, leverage and speed per
// configuration, and the online experiment block by block. It writes no
// title, so that the tables can go under any heading.
func Markdown(w io.Writer, r *Report) error {
	var b strings.Builder
	b.WriteString(r.Summary() + "\n\n")
	b.WriteString("| config | what | segments | BLEU | chrF | chrF++ | TER | term acc. % | term cons. % | placeholders % | exact | fuzzy | machine |\n")
	b.WriteString("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n")
	for _, c := range r.Configs {
		name := "`" + c.Name + "`"
		if c.Partial {
			name += " (partial)"
		}
		fmt.Fprintf(&b, "| %s | %s | %d | %.2f | %.2f | %.2f | %.2f | %s | %s | %s | %d | %d | %d |\n",
			name, c.Label, c.Segments, c.BLEU, c.ChrF, c.ChrFPP, c.TER, pct(c.TermAccuracy), pct(c.TermConsistency),
			pct(c.PlaceholderAccuracy), c.Statuses["exact"], c.Statuses["fuzzy"], c.Statuses["machine"])
	}
	b.WriteString("\nTM leverage (share of segments by best match, %) and speed:\n\n")
	b.WriteString("| config | 100 | 95–99 | 85–94 | 75–84 | 50–74 | no match | p50 ms/seg | p95 ms/seg | segments/s |\n")
	b.WriteString("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n")
	for _, c := range r.Configs {
		fmt.Fprintf(&b, "| `%s` |", c.Name)
		for _, band := range bandOrder {
			fmt.Fprintf(&b, " %.1f |", c.Leverage[band].Share)
		}
		fmt.Fprintf(&b, " %.2f | %.2f | %.1f |\n", c.LatencyMS.P50, c.LatencyMS.P95, c.SegmentsPerSecond)
	}
	if on := r.Online; on != nil {
		if on.LearnEvery <= 1 {
			fmt.Fprintf(&b, "\nOnline (config `%s`): each segment translated, then its reference learned as an approved translation; ", on.Config)
		} else {
			fmt.Fprintf(&b, "\nOnline (config `%s`): segments translated %d at a time, then their references learned as approved translations; ", on.Config, on.LearnEvery)
		}
		fmt.Fprintf(&b, "chrF per block of %d segments, with learning and without (the same stream on the memory as it was).", on.Block)
		if on.Partial {
			b.WriteString(" PARTIAL.")
		}
		b.WriteString("\n\n| segments | chrF with learning | chrF without | exact with | exact without |\n")
		b.WriteString("| --- | ---: | ---: | ---: | ---: |\n")
		for _, k := range on.Blocks {
			fmt.Fprintf(&b, "| %d–%d | %.2f | %.2f | %d | %d |\n", k.From, k.To, k.ChrF, k.ChrFWithout, k.Exact, k.ExactWithout)
		}
		fmt.Fprintf(&b, "| all %d | %.2f | %.2f | %d | %d |\n", on.Segments, on.Learning.ChrF, on.Without.ChrF,
			on.Statuses["exact"], sumExactWithout(on.Blocks))
		fmt.Fprintf(&b, "\nWhole stream: BLEU %.2f with learning, %.2f without; term accuracy %s with, %s without. "+
			"Translate per segment p50 %.2f ms, p95 %.2f ms; learning step p50 %.2f ms, p95 %.2f ms.\n",
			on.Learning.BLEU, on.Without.BLEU, pctUnit(on.Learning.TermAccuracy), pctUnit(on.Without.TermAccuracy),
			on.LatencyMS.P50, on.LatencyMS.P95, on.LearnLatencyMS.P50, on.LearnLatencyMS.P95)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func sumExactWithout(bs []OnlineBlock) int {
	n := 0
	for _, b := range bs {
		n += b.ExactWithout
	}
	return n
}

// WriteTable writes r as aligned text columns, for a terminal.
func WriteTable(w io.Writer, r *Report) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "config\tsegments\tBLEU\tchrF\tchrF++\tTER\tterms %\tplaceh. %\t100\t95-99\t85-94\t75-84\t50-74\tno match\tp50 ms\tp95 ms\tseg/s\t")
	for _, c := range r.Configs {
		name := c.Name
		if c.Partial {
			name += "*"
		}
		fmt.Fprintf(tw, "%s\t%d\t%.2f\t%.2f\t%.2f\t%.2f\t%s\t%s\t", name, c.Segments, c.BLEU, c.ChrF, c.ChrFPP, c.TER,
			pct(c.TermAccuracy), pct(c.PlaceholderAccuracy))
		for _, band := range bandOrder {
			fmt.Fprintf(tw, "%d\t", c.Leverage[band].Segments)
		}
		fmt.Fprintf(tw, "%.2f\t%.2f\t%.1f\t\n", c.LatencyMS.P50, c.LatencyMS.P95, c.SegmentsPerSecond)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if on := r.Online; on != nil {
		fmt.Fprintf(w, "\nonline (%s, learning every %d segments, blocks of %d): chrF with learning / without\n", on.Config, on.LearnEvery, on.Block)
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "segments\tchrF learning\tchrF without\texact learning\texact without\t")
		for _, k := range on.Blocks {
			fmt.Fprintf(tw, "%d-%d\t%.2f\t%.2f\t%d\t%d\t\n", k.From, k.To, k.ChrF, k.ChrFWithout, k.Exact, k.ExactWithout)
		}
		fmt.Fprintf(tw, "all %d\t%.2f\t%.2f\t%d\t%d\t\n", on.Segments, on.Learning.ChrF, on.Without.ChrF, on.Statuses["exact"], sumExactWithout(on.Blocks))
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	_, err := fmt.Fprintln(w, r.Summary())
	return err
}
