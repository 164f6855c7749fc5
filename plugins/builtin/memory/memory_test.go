package memory

import (
	"context"
	"fmt"
	"testing"

	"github.com/kgmem/kgmem/plugins"
)

func TestTranslate(t *testing.T) {
	file := plugins.TermConstraint{SourceSpan: plugins.Span{Start: 9, End: 13}, Source: "file", Target: "archivo", Required: true}
	folder := plugins.TermConstraint{SourceSpan: plugins.Span{Start: 9, End: 15}, Source: "folder", Target: "carpeta", Required: true}
	tests := []struct {
		name      string
		item      plugins.Item
		want      string
		wantScore float64
		wantTerms string
		wantUsed  int // UsedMatch
	}{
		{"exact match", plugins.Item{Source: "Open the file", Terms: []plugins.TermConstraint{file},
			FuzzyMatches: []plugins.FuzzyMatch{{Source: "Open the file", Target: "Abra el archivo", Score: 100}}},
			"Abra el archivo", 1, "[0]", 0},
		// The match's differing word is found in its target through a term
		// sent without a span (a suggestion about the match, not the item).
		{"repair with a term", plugins.Item{Source: "Open the folder", Terms: []plugins.TermConstraint{folder, {Source: "file", Target: "archivo"}},
			FuzzyMatches: []plugins.FuzzyMatch{{Source: "Open the file", Target: "Abra el archivo", Score: 80}}},
			"Abra el carpeta", 0.72, "[0]", 0},
		{"repair a number", plugins.Item{Source: "Delete 12 files",
			FuzzyMatches: []plugins.FuzzyMatch{{Source: "Delete 3 files", Target: "Borre 3 archivos", Score: 85}, {Source: "x", Target: "y", Score: 90}}},
			"Borre 12 archivos", 0.765, "[]", 0},
		{"low match: glossary", plugins.Item{Source: "Open the file", Terms: []plugins.TermConstraint{file},
			FuzzyMatches: []plugins.FuzzyMatch{{Source: "Close the window now", Target: "Cierre la ventana ya", Score: 40}}},
			"Open the archivo", 0.5 * 4 / 13, "[0]", plugins.NoMatch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := Model{}.Translate(context.Background(), &plugins.TranslateRequest{Items: []plugins.Item{tt.item}})
			if err != nil {
				t.Fatal(err)
			}
			r := resp.Results[0]
			if r.Translation != tt.want || r.Score == nil || fmt.Sprintf("%.3f", *r.Score) != fmt.Sprintf("%.3f", tt.wantScore) || fmt.Sprint(r.HonouredTerms) != tt.wantTerms {
				s := -1.0
				if r.Score != nil {
					s = *r.Score
				}
				t.Errorf("Translate(%q) = %q score %.3f terms %v, want %q %.3f %s", tt.item.Source, r.Translation, s, r.HonouredTerms, tt.want, tt.wantScore, tt.wantTerms)
			}
			if r.UsedMatch == nil || *r.UsedMatch != tt.wantUsed {
				t.Errorf("Translate(%q): UsedMatch %v, want %d", tt.item.Source, r.UsedMatch, tt.wantUsed)
			}
		})
	}
}
