package formats

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/kgmem/kgmem/corpora"
)

// FileStats are the statistics of one file.
type FileStats struct {
	File   string `json:"file"`
	Format Format `json:"format"`
	*corpora.Stats
}

// StatsReport are the statistics of files, each and in total.
type StatsReport struct {
	*corpora.Stats
	Files []FileStats `json:"files"`
}

// Progress is told about work on files: which file, and one more unit.
type Progress interface {
	SetLabel(file string)
	Add(n int64)
}

type noProgress struct{}

func (noProgress) SetLabel(string) {}
func (noProgress) Add(int64)       {}

// CountFiles reads every unit of the files (directories expanded) and
// counts units, language pairs, words and duplicates, per file and in
// total. opts apply to every file; the units skipped under Lenient are
// counted per file (opts.OnSkip is called too).
func CountFiles(ctx context.Context, args []string, opts Options, p Progress) (StatsReport, error) {
	if p == nil {
		p = noProgress{}
	}
	total := &corpora.Stats{}
	report := StatsReport{Stats: total}
	paths, err := Expand(args)
	if err != nil {
		return report, err
	}
	for _, path := range paths {
		var fs corpora.Stats
		f, skipped, err := openCounting(ctx, path, opts)
		if err != nil {
			return report, err
		}
		p.SetLabel(path)
		err = corpora.Each(ctx, f, func(u *corpora.Unit) error {
			fs.Add(u)
			total.Add(u)
			p.Add(1)
			return nil
		})
		f.Close()
		if err != nil {
			return report, err
		}
		fs.Skipped = *skipped
		total.Skipped += *skipped
		report.Files = append(report.Files, FileStats{File: path, Format: f.Format, Stats: fs.Finish()})
	}
	total.Finish()
	return report, nil
}

// openCounting opens a file and counts the units its reader skips.
func openCounting(ctx context.Context, path string, opts Options) (*File, *int, error) {
	skipped := new(int)
	onSkip := opts.OnSkip
	opts.OnSkip = func(s corpora.Skip) {
		*skipped++
		if onSkip != nil {
			onSkip(s)
		}
	}
	f, err := OpenContext(ctx, path, opts)
	return f, skipped, err
}

// ConvertSummary is what Convert wrote.
type ConvertSummary struct {
	In      string `json:"in"`
	Out     string `json:"out"`
	Format  Format `json:"format"`
	Units   int    `json:"units"`
	Skipped int    `json:"skipped"`
	// Merged counts units left out because the output format keys units
	// by their source and had one with that key already (a PO catalog).
	Merged int `json:"merged"`
}

// Convert writes every unit of in to out, in the format out's name (or
// format) says; the languages of the first unit go in the headers.
func Convert(ctx context.Context, in, out string, format Format, opts Options, p Progress) (ConvertSummary, error) {
	if p == nil {
		p = noProgress{}
	}
	sum := ConvertSummary{In: in, Out: out}
	f, skipped, err := openCounting(ctx, in, opts)
	if err != nil {
		return sum, err
	}
	defer f.Close()
	first, err := f.Next()
	if errors.Is(err, io.EOF) {
		return sum, fmt.Errorf("%s: no units to convert: %w", in, corpora.ErrNotBilingual)
	}
	if err != nil {
		return sum, err
	}
	w, err := Create(out, WriteOptions{Format: format, SourceLang: first.SourceLang, TargetLang: first.TargetLang, Original: in})
	if err != nil {
		return sum, err
	}
	sum.Format = w.Format
	n := 1
	err = w.Write(first)
	if err == nil {
		err = corpora.Each(ctx, f, func(u *corpora.Unit) error {
			n++
			p.Add(1)
			return w.Write(u)
		})
	}
	if err != nil {
		w.Abort()
		return sum, err
	}
	if err := w.Close(); err != nil {
		return sum, err
	}
	sum.Units, sum.Skipped, sum.Merged = n-w.Merged, *skipped, w.Merged
	return sum, nil
}
