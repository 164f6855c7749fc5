package evaluate

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/corpora/formats"
)

// Pair is one test pair: a source segment and its reference translation.
type Pair struct {
	ID        string
	Source    corpora.Segment
	Reference string
	// Prev and Next are the source texts around the pair in the test file,
	// for in-context matches.
	Prev, Next string
}

// ErrNoLanguages is returned by ReadPairs when neither the caller nor the
// file names the languages.
var ErrNoLanguages = errors.New("the test file does not say its languages")

// ReadPairs reads the test pairs of a bilingual file in any format package
// formats reads (TSV with a source/target header or two columns, TMX,
// XLIFF, PO…), in order. Units without a source or a target (or only
// white space) are skipped.
// from and to select the language pair; language.Und takes what the file
// declares. With limit > 0, reading stops after limit pairs. It returns
// the languages of the pairs too.
func ReadPairs(ctx context.Context, path string, from, to language.Tag, limit int) (pairs []Pair, sourceLang, targetLang string, err error) {
	f, err := formats.OpenContext(ctx, path, formats.Options{ReadOptions: corpora.ReadOptions{Name: path, SourceLang: from, TargetLang: to}})
	if err != nil {
		return nil, "", "", err
	}
	defer f.Close()
	var units []*corpora.Unit
	for limit <= 0 || len(units) < limit {
		if err := ctx.Err(); err != nil {
			return nil, "", "", err
		}
		u, err := f.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, "", "", err
		}
		if strings.TrimSpace(u.Source.Plain()) == "" || strings.TrimSpace(u.Target.Plain()) == "" {
			continue
		}
		units = append(units, u)
	}
	if len(units) == 0 {
		return nil, "", "", &corpora.ParseError{File: path, Offset: -1, Err: errors.New("has no pairs with a source and a target")}
	}
	sourceLang, targetLang = from.String(), to.String()
	if from == language.Und {
		sourceLang = units[0].SourceLang.String()
	}
	if to == language.Und {
		targetLang = units[0].TargetLang.String()
	}
	if sourceLang == "und" || targetLang == "und" {
		return nil, "", "", fmt.Errorf("read %s: %w", path, ErrNoLanguages)
	}
	pairs = make([]Pair, len(units))
	for i, u := range units {
		pairs[i] = Pair{ID: u.ID, Source: u.Source, Reference: u.Target.Plain()}
		if i > 0 {
			pairs[i].Prev = units[i-1].Source.Plain()
		}
		if i+1 < len(units) {
			pairs[i].Next = units[i+1].Source.Plain()
		}
	}
	return pairs, sourceLang, targetLang, nil
}

// Line returns s on one line: newlines, tabs, carriage returns and
// backslashes written as the escapes \n, \t, \r and \\.
func Line(s string) string {
	if !strings.ContainsAny(s, "\\\n\t\r") {
		return s
	}
	return lineEscaper.Replace(s)
}

var lineEscaper = strings.NewReplacer(`\`, `\\`, "\n", `\n`, "\t", `\t`, "\r", `\r`)
