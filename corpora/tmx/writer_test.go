package tmx

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// write writes units with opts and returns the document.
func write(t testing.TB, opts WriterOptions, units []*corpora.Unit) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := NewWriter(&buf, opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range units {
		if err := w.Write(u); err != nil {
			t.Fatalf("Write(%q): %v", u.Source.Plain(), err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// golden compares got with testdata/name, or rewrites it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s (run go test -update if the change is right):\n%s", path, got)
	}
}

func seg(spans ...any) corpora.Segment {
	var s corpora.Segment
	for _, sp := range spans {
		switch sp := sp.(type) {
		case string:
			s.Append(sp)
		case *corpora.Code:
			s.AppendCode(sp)
		}
	}
	return s
}

func attrs(kv ...string) []corpora.Attr {
	var a []corpora.Attr
	for i := 0; i+1 < len(kv); i += 2 {
		a = append(a, corpora.Attr{Name: kv[i], Value: kv[i+1]})
	}
	return a
}

var (
	en = language.English
	es = language.Spanish
	de = language.German
)

// featureUnits use every field the writer writes, and TMX's own codes.
func featureUnits() []*corpora.Unit {
	created := time.Date(2024, 3, 1, 12, 30, 0, 0, time.UTC)
	return []*corpora.Unit{
		{
			SourceLang: en, TargetLang: es,
			Source: corpora.Text("Hello, world"), Target: corpora.Text("Hola, mundo"),
			ID: "greeting-1", Context: "menu", Domain: "software", Status: corpora.StatusApproved,
			Created: created, Changed: created.Add(time.Hour), CreatedBy: "ana", ChangedBy: "luis",
			Notes: []string{"a <note> & \"quotes\"", "line one\nline two"},
			Props: []corpora.Prop{{Type: "x-project", Value: "demo"}, {Type: "x-comment", Value: "nota", Lang: "es"}},
		},
		{
			SourceLang: en, TargetLang: es,
			Source: seg("Press ", &corpora.Code{Kind: corpora.CodeOpen, Element: "bpt", ID: "1", Attrs: attrs("x", "1", "type", "bold"), Native: "&lt;b&gt;"},
				"Save", &corpora.Code{Kind: corpora.CodeClose, Element: "ept", ID: "1", Native: "&lt;/b&gt;"},
				" or ", &corpora.Code{Kind: corpora.CodeStandalone, Element: "ph", ID: "2", Attrs: attrs("type", "image", "assoc", "p"), Native: `&lt;img alt="<sub>Save icon</sub>"/&gt;`},
				"\ttab, CR\r, ", &corpora.Code{Kind: corpora.CodeOpen, Element: "hi", ID: "3", Attrs: attrs("type", "em"), Paired: true},
				"now", &corpora.Code{Kind: corpora.CodeClose, Element: "hi", ID: "3", Paired: true},
				&corpora.Code{Kind: corpora.CodeStandalone, Element: "it", ID: "4", Attrs: attrs("type", "italic", "pos", "begin"), Native: "&lt;i&gt;"},
				&corpora.Code{Kind: corpora.CodeStandalone, Element: "ut", Native: "{\\field}"},
				" 1 < 2 > 0 & ]]>"),
			Target: seg("Pulse ", &corpora.Code{Kind: corpora.CodeOpen, Element: "bpt", ID: "1", Attrs: attrs("x", "1", "type", "bold"), Native: "&lt;b&gt;"},
				"Guardar", &corpora.Code{Kind: corpora.CodeClose, Element: "ept", ID: "1", Native: "&lt;/b&gt;"},
				&corpora.Code{Kind: corpora.CodeStandalone, Element: "ph", ID: "2", Native: ""}),
		},
		// Another source language than the header's, and no target yet.
		{SourceLang: de, TargetLang: es, Source: corpora.Text("Guten Tag"), Status: corpora.StatusUntranslated},
		// TargetLang from the options.
		{SourceLang: en, Source: corpora.Text("tuid with \"quotes\""), Target: corpora.Text("x"), ID: "a\"b\nc"},
	}
}

// foreignUnits carry codes as other formats' readers make them.
func foreignUnits() []*corpora.Unit {
	return []*corpora.Unit{
		{ // XLIFF 1.2 <g> and <x/>, IDs that are not numbers
			SourceLang: en, TargetLang: de,
			Source: seg(&corpora.Code{Kind: corpora.CodeOpen, Element: "g", ID: "b1", Attrs: attrs("ctype", "bold"), Paired: true},
				"bold", &corpora.Code{Kind: corpora.CodeClose, Element: "g", ID: "b1", Paired: true},
				" and ", &corpora.Code{Kind: corpora.CodeStandalone, Element: "x", ID: "img7", Attrs: attrs("ctype", "image", "equiv-text", "[img]")}),
			Target: seg(&corpora.Code{Kind: corpora.CodeStandalone, Element: "x", ID: "img7"},
				" und ", &corpora.Code{Kind: corpora.CodeOpen, Element: "g", ID: "b1", Paired: true},
				"fett", &corpora.Code{Kind: corpora.CodeClose, Element: "g", ID: "b1", Paired: true}),
		},
		{ // isolated codes (<bx/>, <ex/>), a pair with no IDs, XLIFF <it pos="open">
			SourceLang: en, TargetLang: de,
			Source: seg(&corpora.Code{Kind: corpora.CodeOpen, Element: "bx", ID: "5"}, "start ",
				&corpora.Code{Kind: corpora.CodeOpen, Element: "pc"}, "mid", &corpora.Code{Kind: corpora.CodeClose, Element: "pc"},
				" end", &corpora.Code{Kind: corpora.CodeClose, Element: "ex", ID: "6"},
				&corpora.Code{Kind: corpora.CodeStandalone, Element: "it", ID: "7", Attrs: attrs("pos", "close"), Native: "&lt;/a&gt;"}),
			Target: corpora.Text("x"),
		},
		{ // <hi> pairs that cross cannot be <hi>; bad Native is escaped
			SourceLang: en, TargetLang: de,
			Source: seg(&corpora.Code{Kind: corpora.CodeOpen, Element: "hi", ID: "1", Paired: true}, "a",
				&corpora.Code{Kind: corpora.CodeOpen, Element: "hi", ID: "2", Paired: true}, "b",
				&corpora.Code{Kind: corpora.CodeClose, Element: "hi", ID: "1", Paired: true}, "c",
				&corpora.Code{Kind: corpora.CodeClose, Element: "hi", ID: "2", Paired: true},
				&corpora.Code{Kind: corpora.CodeStandalone, Element: "ph", ID: "3", Native: "<b>raw</b>"},
				&corpora.Code{Kind: corpora.CodeStandalone, Element: "ph", ID: "4", Native: "&nbsp;"},
				&corpora.Code{Kind: corpora.CodeStandalone, Element: "ph", ID: "5", Native: "a<sub>ok</sub>"}),
			Target: corpora.Text("x"),
		},
	}
}

func TestWriterGolden(t *testing.T) {
	opts := WriterOptions{
		SourceLang: en, TargetLang: es, AdminLang: language.Spanish, DataType: "html", ToolVersion: "test",
		Created: time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC),
		Notes:   []string{"header note"}, Props: []corpora.Prop{{Type: "x-origin", Value: "tests"}},
	}
	tests := []struct {
		name  string
		opts  WriterOptions
		units []*corpora.Unit
	}{
		{"features.tmx.golden", opts, featureUnits()},
		{"foreign.tmx.golden", WriterOptions{}, foreignUnits()},
		{"empty.tmx.golden", WriterOptions{SourceLang: en}, nil},
		{"ImportTest2C.tmx.golden", WriterOptions{}, readFile(t, kit(t, "ImportTest2C.tmx"), corpora.ReadOptions{})},
		{"ImportTest2A.tmx.golden", WriterOptions{}, readFile(t, kit(t, "ImportTest2A.tmx"), corpora.ReadOptions{})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := write(t, tt.opts, tt.units)
			golden(t, tt.name, out)
			if len(tt.units) == 0 {
				return
			}
			// What was written reads back, and writes the same again.
			first := read(out, corpora.ReadOptions{Name: tt.name})
			if first.err != nil {
				t.Fatalf("read back: %v", first.err)
			}
			if len(first.units) != len(tt.units) {
				t.Fatalf("read back %d units, want %d", len(first.units), len(tt.units))
			}
			again := write(t, tt.opts, first.units)
			if !bytes.Equal(again, out) {
				t.Errorf("writing what was read gives another document:\n%s", again)
			}
		})
	}
}

// TestWriterFeatures checks what the feature units read back as.
func TestWriterFeatures(t *testing.T) {
	units := featureUnits()
	res := read(write(t, WriterOptions{SourceLang: en, TargetLang: es}, units), corpora.ReadOptions{})
	if res.err != nil {
		t.Fatal(res.err)
	}
	got := res.units
	u := got[0]
	if u.ID != "greeting-1" || u.Context != "menu" || u.Domain != "software" || u.Status != corpora.StatusApproved ||
		!u.Created.Equal(units[0].Created) || !u.Changed.Equal(units[0].Changed) || u.CreatedBy != "ana" || u.ChangedBy != "luis" {
		t.Errorf("unit 0 = %+v", u)
	}
	if strings.Join(u.Notes, "|") != strings.Join(units[0].Notes, "|") {
		t.Errorf("notes = %q", u.Notes)
	}
	wantProps := append(append([]corpora.Prop(nil), units[0].Props...),
		corpora.Prop{Type: PropDomain, Value: "software"}, corpora.Prop{Type: PropContext, Value: "menu"}, corpora.Prop{Type: PropStatus, Value: "approved"})
	if len(u.Props) != len(wantProps) {
		t.Fatalf("props = %+v, want %+v", u.Props, wantProps)
	}
	for i := range wantProps {
		if u.Props[i] != wantProps[i] {
			t.Errorf("prop %d = %+v, want %+v", i, u.Props[i], wantProps[i])
		}
	}
	// TMX's own codes come back exactly.
	for _, i := range []int{1} {
		if d := diffUnit(&corpora.Unit{Source: got[i].Source, Target: got[i].Target}, &corpora.Unit{Source: units[i].Source, Target: units[i].Target}); d != "" {
			t.Errorf("unit %d: %s", i, d)
		}
	}
	if got[2].SourceLang != de || got[2].Source.Plain() != "Guten Tag" || !got[2].Target.IsEmpty() || got[2].Status != corpora.StatusUntranslated {
		t.Errorf("unit 2 = %+v", got[2])
	}
	if got[3].TargetLang != es || got[3].ID != "a\"b\nc" {
		t.Errorf("unit 3 = %+v", got[3])
	}
}

// TestWriterForeignCodes checks how codes of other formats are mapped.
func TestWriterForeignCodes(t *testing.T) {
	res := read(write(t, WriterOptions{}, foreignUnits()), corpora.ReadOptions{})
	if res.err != nil {
		t.Fatal(res.err)
	}
	want := []pair{
		{"en", "de", "{bpt 1 [type=bold]}bold{ept 1} and {ph 2 [type=image]}", "{ph 2} und {bpt 1}fett{ept 1}", true},
		{"en", "de", "{it 5 [pos=begin]}start {bpt 1}mid{ept 1} end{it 6 [pos=end]}{it 7 [pos=end] &lt;/a&gt;}", "x", true},
		{"en", "de", "{bpt 1}a{hi 2}b{ept 1}c{hi/ 2}{ph 3 &lt;b&gt;raw&lt;/b&gt;}{ph 4 &amp;nbsp;}{ph 5 a<sub>ok</sub>}", "x", true},
	}
	checkPairs(t, res.units, want)
}

// TestWriterControlCharacters: characters XML cannot hold (a gettext
// catalog's U+0007, its msgctxt separator U+0004 in an ID) are written as
// <ph type="x-ctrl"> in segments and as escapes elsewhere, and read back as
// they were; text that reads like such an escape stays as it is.
func TestWriterControlCharacters(t *testing.T) {
	units := []*corpora.Unit{
		{SourceLang: en, TargetLang: de, ID: "verb\x04Tag", Context: "verb\x01", Source: corpora.Text("\atimed out\x00\v\x1f"),
			Target: corpora.Text("\ax\uffffy"), Notes: []string{"bell \a"}, CreatedBy: "a\x02", Props: []corpora.Prop{{Type: "x-\x03", Value: "\x04"}}},
		{SourceLang: en, TargetLang: de, Source: corpora.Text("&#x7; is not a bell"), Target: corpora.Text("&#x26;#x7; neither"), Notes: []string{"&#x7;"}, ID: "&#x4;"},
	}
	out := write(t, WriterOptions{}, units)
	if !bytes.Contains(out, []byte(`<ph type="x-ctrl">&amp;#x7;</ph>timed out`)) {
		t.Errorf("no <ph type=\"x-ctrl\"> for U+0007 in:\n%s", out)
	}
	res := read(out, corpora.ReadOptions{})
	if res.err != nil || len(res.units) != len(units) {
		t.Fatalf("read back %d units, %v", len(res.units), res.err)
	}
	for i, u := range res.units {
		w := units[i]
		if u.ID != w.ID || u.Context != w.Context || !u.Source.Equal(w.Source) || !u.Target.Equal(w.Target) || u.CreatedBy != w.CreatedBy ||
			strings.Join(u.Notes, "|") != strings.Join(w.Notes, "|") {
			t.Errorf("unit %d read back as %+v, want %+v", i, u, w)
		}
		if v, ok := u.Prop("x-\x03"); i == 0 && (!ok || v != "\x04") {
			t.Errorf("unit %d prop x-\\x03 = %q, %v; want \\x04", i, v, ok)
		}
	}
}

// TestWriterErrors: a unit the writer cannot write is an error that leaves
// the writer usable and the document valid.
func TestWriterErrors(t *testing.T) {
	var buf bytes.Buffer
	w, _ := NewWriter(&buf, WriterOptions{})
	bad := []*corpora.Unit{
		nil,
		{SourceLang: en, TargetLang: de, Source: seg(&corpora.Code{Kind: corpora.CodeStandalone, Element: "ph", Native: "\x1b[0m"})},
		{SourceLang: en, TargetLang: de, Source: corpora.Text("invalid \xff UTF-8")},
		{SourceLang: en, TargetLang: de, Source: corpora.Text("ok"), Notes: []string{"invalid \xff UTF-8"}},
		{SourceLang: en, TargetLang: de, Source: corpora.Text("ok"), ID: "invalid \xff UTF-8"},
	}
	if err := w.Write(&corpora.Unit{SourceLang: en, TargetLang: de, Source: corpora.Text("first"), Target: corpora.Text("erste")}); err != nil {
		t.Fatal(err)
	}
	for _, u := range bad {
		if err := w.Write(u); err == nil {
			t.Errorf("Write(%+v) = nil, want an error", u)
		}
	}
	if err := w.Write(&corpora.Unit{SourceLang: en, Source: corpora.Text("no target language")}); err == nil || !strings.Contains(err.Error(), "no target language; set WriterOptions.TargetLang") {
		t.Errorf("Write without a target language: %v", err)
	}
	if err := w.Write(&corpora.Unit{SourceLang: en, TargetLang: de, Source: corpora.Text("last"), Target: corpora.Text("letzte")}); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := w.Write(&corpora.Unit{}); err == nil {
		t.Error("Write after Close = nil")
	}
	res := read(buf.Bytes(), corpora.ReadOptions{})
	if res.err != nil || len(res.units) != 2 {
		t.Fatalf("read back %d units, %v; want 2", len(res.units), res.err)
	}
	if _, err := NewWriter(nil, WriterOptions{}); err == nil {
		t.Error("NewWriter(nil) = nil error")
	}
	// No source language at all.
	w, _ = NewWriter(&bytes.Buffer{}, WriterOptions{})
	if err := w.Write(&corpora.Unit{TargetLang: de}); err == nil {
		t.Error("Write without any source language = nil")
	}
}

// samplePaths returns every TMX sample: OmegaT's and the Compliance Kit.
func samplePaths(t testing.TB) []string {
	var paths []string
	for _, pat := range []string{"*.tmx", "*/*.tmx"} {
		p, err := filepath.Glob(filepath.Join(omegat(t), pat))
		if err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p...)
	}
	if len(paths) < 40 {
		t.Fatalf("found %d samples", len(paths))
	}
	return paths
}

// TestRoundTrip reads every sample (leniently, so that files with bad
// units give their good ones), writes the units and reads them back: the
// units, with their inline codes, must be the same.
func TestRoundTrip(t *testing.T) {
	for _, path := range samplePaths(t) {
		name, _ := filepath.Rel(omegat(t), path)
		t.Run(name, func(t *testing.T) {
			res := read(mustRead(t, path), corpora.ReadOptions{Lenient: true})
			if len(res.units) == 0 {
				// empty.tmx and invalid.tmx are not
				// checked here: they have no unit to write.
				t.Logf("no units: %v", res.err)
				return
			}
			out := write(t, WriterOptions{}, res.units)
			back := read(out, corpora.ReadOptions{})
			if back.err != nil {
				t.Fatalf("read back: %v", back.err)
			}
			if d := diffUnits(back.units, res.units); d != "" {
				t.Error(d)
			}
		})
	}
}

func TestValidNative(t *testing.T) {
	tests := []struct {
		native, elem string
		want         bool
	}{
		{"", "ph", true},
		{"{\\b }", "bpt", true},
		{"&lt;b&gt;", "bpt", true},
		{`&lt;a title="<sub>t</sub>"&gt;`, "ph", true},
		{`<sub>a <ph x="1">&lt;br/&gt;</ph> <hi>b</hi></sub>`, "ph", true},
		{"<b>", "ph", false},
		{"<sub>", "ph", false},
		{"</sub>", "ph", false},
		{"&nbsp;", "ph", false},
		{"a & b", "ph", false},
		{"]]>", "ph", false},
		{"<sub><b/></sub>", "ph", false},
		{"<ph/>", "ph", false},
		{"\x01", "ph", false},
		{"<!-- c -->", "ph", true},
	}
	for _, tt := range tests {
		if got := validNative(tt.native, tt.elem); got != tt.want {
			t.Errorf("validNative(%q, %q) = %v, want %v", tt.native, tt.elem, got, tt.want)
		}
	}
}
