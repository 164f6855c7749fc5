package retrieval

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/kgmem/kgmem/graph"
)

// testTable builds an entity table from "type:label@lang|label@lang…"
// lines; the ID is the first label.
func testTable(lines ...string) *entityTable {
	var recs []entityRec
	for _, l := range lines {
		typ, rest, _ := strings.Cut(l, ":")
		e := graph.Entity{Type: graph.EntityType(typ)}
		for i, lab := range strings.Split(rest, "|") {
			text, lang, _ := strings.Cut(lab, "@")
			if i == 0 {
				e.ID, e.Key = text, lang+":"+text
			}
			e.Labels = append(e.Labels, graph.Label{Text: text, Lang: lang, Count: 1})
		}
		recs = append(recs, newEntityRec(&e))
	}
	return newEntityTable(recs)
}

// spans renders spans as "text=type:entity,entity" for comparison.
func spans(ss []Span) string {
	var parts []string
	for _, s := range ss {
		var ids []string
		for _, e := range s.Entities {
			ids = append(ids, e.ID)
		}
		parts = append(parts, fmt.Sprintf("%s=%s:%s", s.Text, s.Type, strings.Join(ids, ",")))
	}
	return strings.Join(parts, " ")
}

func TestSpot(t *testing.T) {
	table := testTable(
		"term:file@en|archivo@es",
		"term:file name@en|nombre de archivo@es",
		"term:name@en|nombre@es",
		"term:file name extension@en",
		"term:extension@en",
		"term:point of sale@en|punto de venta@es",
		"product:Lumen Notes@en",
		"term:sync@en",
		"term:syncing@en",
		"term:last synced@en",
		"placeholder:%s@en",
		"term:fichier@fr",
		"term:数据库@zh",
	)
	sp := newSpotter("en", table)
	tests := []struct {
		text string
		want string
	}{
		{"Rename the file", "file=term:file"},
		{"Rename the Files", "Files=term:file"},
		{"Change the file name.", "file name=term:file name"},
		{"Change the file name extension", "file name extension=term:file name extension"},
		// Longest first: "file name" wins over "name extension"'s parts.
		{"file name extensions", "file name extensions=term:file name extension"},
		{"The file. Name it", "file=term:file Name=term:name"},
		{"Open the point of sale", "point of sale=term:point of sale"},
		{"Lumen Notes syncs", "Lumen Notes=product:Lumen Notes syncs=term:sync,syncing"},
		// A label with the words' lemmas wins over a longer one that
		// shares only their stems.
		{"Your last sync failed", "sync=term:sync,syncing"},
		{"Your last synced note", "last synced=term:last synced"},
		{"Save %s to 3 files at 10:30", "%s=placeholder:%s 3=number: files=term:file 10:30=number:"},
		{"Visit https://example.com/file now", "https://example.com/file=url:"},
		{"nothing here", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := spans(sp.Spot(tt.text)); got != tt.want {
			t.Errorf("Spot(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
	if n := sp.Labels(); n != 11 {
		t.Errorf("English spotter has %d labels, want 11", n)
	}
	zh := newSpotter("zh", table)
	if got := spans(zh.Spot("打开数据库文件")); got != "数据库=term:数据库" {
		t.Errorf("zh Spot = %q", got)
	}
}

func TestSpotOffsets(t *testing.T) {
	sp := newSpotter("en", testTable("term:file name@en"))
	text := "Ünïcode: the File  Name"
	ss := sp.Spot(text)
	if len(ss) != 1 {
		t.Fatalf("Spot(%q) = %v, want one span", text, ss)
	}
	if got := text[ss[0].Start:ss[0].End]; got != "File  Name" || ss[0].Text != got {
		t.Errorf("span = %q (Text %q), want %q", got, ss[0].Text, "File  Name")
	}
}

// TestSpotNested: SpotNested adds the labels inside a longer term's span,
// marked Inner, and none inside a name's.
func TestSpotNested(t *testing.T) {
	sp := newSpotter("en", testTable(
		"term:file name extension@en",
		"term:file name@en",
		"term:extension@en",
		"term:file@en",
		"name:Sync Now@en",
		"term:sync@en",
	))
	tests := []struct{ text, spot, nested string }{
		{"Change the file name extension.", "file name extension=term:file name extension",
			"file name extension=term:file name extension file name=term:file name extension=term:extension"},
		{"Click Sync Now.", "Sync Now=name:Sync Now", "Sync Now=name:Sync Now"},
		{"Open the file.", "file=term:file", "file=term:file"},
	}
	for _, tt := range tests {
		if got := spans(sp.Spot(tt.text)); got != tt.spot {
			t.Errorf("Spot(%q) = %s, want %s", tt.text, got, tt.spot)
		}
		ss := sp.SpotNested(tt.text)
		if got := spans(ss); got != tt.nested {
			t.Errorf("SpotNested(%q) = %s, want %s", tt.text, got, tt.nested)
		}
		top := sp.Spot(tt.text)
		for _, s := range ss {
			inner := !slices.ContainsFunc(top, func(o Span) bool { return o.Start == s.Start && o.End == s.End })
			if s.Inner != inner {
				t.Errorf("SpotNested(%q): %q Inner = %v", tt.text, s.Text, s.Inner)
			}
		}
	}
}
