package tmx

import (
	"bytes"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora"
)

// expectedLines reads a Compliance Kit result file: one segment per line,
// in UTF-8 (with or without BOM) or UTF-16.
func expectedLines(t *testing.T, path string) []string {
	t.Helper()
	u, _, err := corpora.UTF8Reader(bytes.NewReader(mustRead(t, path)))
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(u)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(strings.ReplaceAll(string(b), "\r\n", "\n"), "\n"), "\n")
	return lines
}

// TestComplianceKitImport reads each ImportTest*.tmx of the LISA TMX
// Compliance Kit that has documented results and compares the plain text
// of every language with them: ImportTestX.txt holds the source language's
// segments (en-us), ImportTestX_xx-yy.txt those of language xx-yy, one per
// line, in <tu> order.
func TestComplianceKitImport(t *testing.T) {
	results, err := filepath.Glob(filepath.Join(kit(t, "."), "ImportTest*.txt"))
	if err != nil || len(results) == 0 {
		t.Fatalf("no result files: %v", err)
	}
	byTest := map[string][]string{}
	for _, p := range results {
		base := strings.TrimSuffix(filepath.Base(p), ".txt")
		test, _, _ := strings.Cut(base, "_")
		byTest[test] = append(byTest[test], p)
	}
	if len(byTest) != 9 {
		t.Errorf("%d tests with results, want 9 (1A to 1I)", len(byTest))
	}
	for test, files := range byTest {
		t.Run(test, func(t *testing.T) {
			units := readFile(t, kit(t, test+".tmx"), corpora.ReadOptions{Name: test + ".tmx"})
			// The source of each <tu> once, and the targets by language.
			var sources []string
			targets := map[string][]string{}
			lastLine := -1
			for _, u := range units {
				if u.Origin.Line != lastLine {
					sources = append(sources, u.Source.Plain())
					lastLine = u.Origin.Line
				}
				lang := strings.ToLower(u.TargetLang.String())
				targets[lang] = append(targets[lang], u.Target.Plain())
				if !strings.EqualFold(u.SourceLang.String(), "en-us") {
					t.Errorf("unit %d source language %s, want en-US", u.Origin.Index, u.SourceLang)
				}
			}
			for _, f := range files {
				base := strings.TrimSuffix(filepath.Base(f), ".txt")
				got := sources
				if _, lang, ok := strings.Cut(base, "_"); ok {
					got = targets[lang]
				}
				want := expectedLines(t, f)
				if strings.Join(got, "\n") != strings.Join(want, "\n") {
					t.Errorf("%s:\n got %q\nwant %q", filepath.Base(f), got, want)
				}
			}
		})
	}
}

// TestComplianceKitStructure checks the kit files that have no result
// file: language selection, inline codes, notes, props and header.
func TestComplianceKitStructure(t *testing.T) {
	enUS, enGB := language.AmericanEnglish, language.BritishEnglish
	tests := []struct {
		file string
		opts corpora.ReadOptions
		n    int
		want []pair
	}{
		{file: "ImportTest1J.tmx", n: 2, want: []pair{
			{"en-US", "en-GB", "First entry in US English", "First entry in UK English", false},
			{"en-US", "en-GB", "Second entry in US English", "Second entry in UK English", false},
		}},
		// The file's comment: "For import with source=en-us and
		// target=en-gb, only first and second entries should be imported".
		{file: "ImportTest1J_many.tmx", opts: corpora.ReadOptions{SourceLang: enUS, TargetLang: enGB}, n: 2, want: []pair{
			{"en-US", "en-GB", "First entry in US English", "First entry in UK English", false},
			{"en-US", "en-GB", "Second entry in US English", "Second entry in UK English", false},
		}},
		// Without a pair, the third <tu> has the header's srclang, es-es.
		{file: "ImportTest1J_many.tmx", n: 3, want: []pair{
			{"en-US", "en-GB", "First entry in US English", "First entry in UK English", false},
			{"en-US", "en-GB", "Second entry in US English", "Second entry in UK English", false},
			{"es-ES", "en-US", "[not to import] Third entry in Spanish", "[not to import] Third entry in US English", false},
		}},
		// <tu srclang> overrides the header's.
		{file: "ImportTest1K.tmx", n: 2, want: []pair{
			{"de-DE", "en-GB", "First Entry - German", "First Entry - UK English", false},
			{"fr-CA", "en-GB", "Second Entry - French Canadian", "Second Entry - UK English", false},
		}},
		{file: "ImportTest1L.tmx", n: 2, want: []pair{
			{"en-US", "fr", "Text of the segment.", "Texte du segment.", false},
			{"en-US", "en-GB", "Text of the segment.", "Text of the segment.", false},
		}},
		// UTF-16LE, through encoding/xml; and the same in UTF-8.
		{file: "ImportTest2A.tmx", n: 7, want: importTest2A},
		{file: "ImportTest2A-0index.tmx", n: 7, want: importTest2A0},
		{file: "ImportTest2B.tmx", n: 7, want: []pair{
			{"en-US", "fr-CA", `The big {bpt 1 [x=1 type=bold] {\b }black{ept 1 }} {bpt 2 [x=2 type=ulined] {\ul }cat{ept 2 }} sleeps.`,
				`Le gros {bpt 2 [x=2 type=ulined] {\ul }chat{ept 2 }} {bpt 1 [x=1 type=bold] {\b }noir{ept 1 }} dors.`, true},
		}},
		// <sub> text stays in the code; <hi> text is part of the segment.
		{file: "ImportTest2C.tmx", n: 2, want: []pair{
			{"en-US", "fr",
				`{it 1 [pos=begin type=italic] &lt;I&gt;}{bpt 1 [x=2 type=bold] &lt;B&gt;}Click {ph 3 [type=image assoc=b] &lt;IMG SRC="here.png" ALT="<sub>Start Here!</sub>"&gt;} to {hi 4 [type=verb]}start{hi/ 4}.{ept 1 &lt;/B&gt;}`,
				`{it 1 [pos=begin type=italic] &lt;I&gt;}{bpt 1 [x=2 type=bold] &lt;B&gt;}Cliquez {ph 3 [type=image assoc=b] &lt;IMG SRC="here.png" ALT="<sub>Commencez ici !</sub>"&gt;} pour {hi 4 [type=verb]}commencer{hi/ 4}.{ept 1 &lt;/B&gt;}`, true},
			{"en-US", "en-GB", "Click  to start.", "Click  to start.", false},
		}},
		{file: "ExportTest1A.tmx", n: 4, want: []pair{
			{"en-US", "fr-CA", "Text with 3 spaces [   ] and 2 [  ]", "Texte avec 3 espaces [   ] et 2 [  ]", false},
			{"en-US", "fr-CA", "Text with 1 tab [\t] and 2 [\t\t]", "Texte avec 1 tab [\t] et 2 [\t\t]", false},
			{"en-US", "fr-CA", "<=lt, >=gt, &=amp, {=obrace, }=cbrace", "<=lt, >=gt, &=amp, {=obrace, }=cbrace", false},
			{"en-US", "fr-CA", "é=eacute, \u00a0=nbsp, ¤=curr, ÿ=yumlaut, ©=copy, §=para", "é=eacute, \u00a0=nbsp, ¤=curr, ÿ=yumlaut, ©=copy, §=para", false},
		}},
		{file: "ExportTest1B.tmx", n: 2, want: []pair{
			{"en-US", "fr-CA", `<=lt, >=gt, &=amp, '=apos, "=quot, {=obrace, }=cbrace`, `<=lt, >=gt, &=amp, '=apos, "=quot, {=obrace, }=cbrace`, false},
		}},
		{file: "ExportTest1C.tmx", n: 4},
		{file: "ExportTest1D.tmx", n: 4},
		{file: "ExportTest1E.tmx", n: 4},
		{file: "ExportTest2A.tmx", n: 6, want: []pair{
			{"en-US", "fr-CA", "The big black cat sleeps.", "Le gros chat noir dors.", false},
			{"en-US", "fr-CA", "The big black cat sleeps.", "Le gros chat noir dors.", false},
		}},
	}
	for _, tt := range tests {
		name := tt.file
		if tt.opts.SourceLang != language.Und {
			name += "/pair"
		}
		t.Run(name, func(t *testing.T) {
			opts := tt.opts
			opts.Name = tt.file
			units := readFile(t, kit(t, tt.file), opts)
			if len(units) != tt.n {
				t.Fatalf("read %d units, want %d", len(units), tt.n)
			}
			checkPairs(t, units, tt.want)
		})
	}
}

var importTest2A = []pair{
	{"en-US", "fr-CA", "The big {bpt 1 [x=1 type=bold] &lt;b&gt;}black{ept 1 &lt;/b&gt;} {bpt 2 [x=2 type=ulined] &lt;u&gt;}cat{ept 2 &lt;/u&gt;} sleeps.",
		"Le gros {bpt 2 [x=2 type=ulined] &lt;u&gt;}chat{ept 2 &lt;/u&gt;} {bpt 1 [x=1 type=bold] &lt;b&gt;}noir{ept 1 &lt;/b&gt;} dors.", true},
	{"en-US", "fr-CA", `Test for special characters = <=lt, >=gt, &=amp, "=quot.`, `Test pour caractères spéciaux = <=lt, >=gt, &=amp, "=quot.`, false},
	{"en-US", "fr-CA", "Nested formatting = {bpt 1 [type=bold x=1] &lt;b&gt;}{bpt 2 [x=2 type=italic] &lt;i&gt;}{bpt 3 [type=ulined x=3] &lt;u&gt;}Bold+Italic+Underlined{ept 3 &lt;/u&gt;}, Bold+Italic{ept 2 &lt;/i&gt;}, Bold{ept 1 &lt;/b&gt;}.",
		"Format en gigogne = {bpt 1 [type=bold x=1] &lt;b&gt;}{bpt 2 [type=italic x=2] &lt;i&gt;}{bpt 3 [type=ulined x=3] &lt;u&gt;}gras+italique+souligné{ept 3 &lt;/u&gt;}, gras+italique{ept 2 &lt;/i&gt;}, gras{ept 1 &lt;/b&gt;}.", true},
	{"en-US", "fr-CA", "First {it 1 [pos=begin type=bold] &lt;b&gt;}sentence.", "Première {it 1 [type=bold pos=begin] &lt;b&gt;}phrase.", true},
	{"en-US", "fr-CA", "Second{it 1 [type=bold pos=end] &lt;/b&gt;} sentence.", "Seconde{it 1 [pos=end type=bold] &lt;/b&gt;} phrase.", true},
	{"en-US", "fr-CA", `Picture: {ph 1 [type=image assoc=p] &lt;img src="img.png"/&gt;}`, `Image: {ph 1 [type=image assoc=p] &lt;img src="img.png"/&gt;}`, true},
	// Target before source in the file.
	{"en-US", "fr-CA", "Some text with {hi 1 [type=special-part]}a part highlighted{hi/ 1}.", "Du texte avec {hi 1 [type=special-part]}une portion délimitée{hi/ 1}.", true},
}

// importTest2A0 is ImportTest2A with x counted from 0.
var importTest2A0 = func() []pair {
	p := append([]pair(nil), importTest2A[:1]...)
	p[0].source = strings.NewReplacer("x=1", "x=0", "x=2", "x=1").Replace(p[0].source)
	p[0].target = strings.NewReplacer("x=1", "x=0", "x=2", "x=1").Replace(p[0].target)
	return p
}()

// TestComplianceKitHeader checks what ImportTest1L says in its header and
// at every level of its <tu>.
func TestComplianceKitHeader(t *testing.T) {
	r, err := NewReader(bytes.NewReader(mustRead(t, kit(t, "ImportTest1L.tmx"))), corpora.ReadOptions{Name: "1L"})
	if err != nil {
		t.Fatal(err)
	}
	h := r.Header()
	date := time.Date(2002, 5, 23, 9, 12, 0, 0, time.UTC)
	if h.Version != "1.4" || h.SourceLang != "en-us" || h.AdminLang != "en-us" || h.DataType != "html" ||
		h.SegType != "block" || h.OTMF != "Text" || h.CreationTool != "myTool" || h.CreationToolVersion != "v10" ||
		!h.Created.Equal(date) || !h.Changed.Equal(date) || h.CreatedBy != "ys" || h.ChangedBy != "ys" {
		t.Errorf("header = %+v", h)
	}
	if len(h.Notes) != 2 || h.Notes[1] != "Text of header note 2" {
		t.Errorf("header notes = %q", h.Notes)
	}
	if len(h.Props) != 1 || h.Props[0] != (corpora.Prop{Type: "myPropeType", Value: "Data", Lang: "en-us"}) {
		t.Errorf("header props = %+v", h.Props)
	}
	u, err := r.Next()
	if err != nil {
		t.Fatal(err)
	}
	if u.ID != "tu001" || !u.Created.Equal(date) || u.CreatedBy != "ys" || u.ChangedBy != "ys" || u.Origin.Line != 28 {
		t.Errorf("unit = %+v", u)
	}
	wantNotes := []string{"Text of tu note 1", "Text of tu note 2", "Text of tuv en note 1", "Text of tuv en note 1", "Text of tuv fr note 1", "Text of tuv fr note 1"}
	if strings.Join(u.Notes, "|") != strings.Join(wantNotes, "|") {
		t.Errorf("notes = %q, want %q", u.Notes, wantNotes)
	}
	if len(u.Props) != 4 {
		t.Errorf("props = %+v, want the <tu>'s and the two <tuv>s'", u.Props)
	}
}

// TestComplianceKitNotTMX: the kit's XLIFF file is not TMX.
func TestComplianceKitNotTMX(t *testing.T) {
	data := mustRead(t, kit(t, "ExportTest1E.xlf"))
	if Sniff(data) {
		t.Error("Sniff(ExportTest1E.xlf) = true")
	}
	res := read(data, corpora.ReadOptions{Name: "x.xlf"})
	if pe := parseError(t, res.err); pe.Line != 2 || !strings.Contains(pe.Error(), "the root element is <xliff>, not <tmx>") {
		t.Errorf("error = %v", pe)
	}
}

// TestSniff tries every sample and a few other files.
func TestSniff(t *testing.T) {
	paths, _ := filepath.Glob(filepath.Join(omegat(t), "*.tmx"))
	kitPaths, _ := filepath.Glob(filepath.Join(kit(t, "."), "*.tmx"))
	for _, p := range append(paths, kitPaths...) {
		b := mustRead(t, p)
		if len(b) > 4096 {
			b = b[:4096]
		}
		if !Sniff(b) {
			t.Errorf("Sniff(%s) = false", filepath.Base(p))
		}
	}
	for _, s := range []string{
		"", "tmx", "<tmxx>", "<xliff version='1.2'>", "<?xml version='1.0'?><!-- <tmx> --><xliff/>",
		"<!DOCTYPE martif><martif/>", "\x00\x01\x02", "<?xml version='1.0'",
	} {
		if Sniff([]byte(s)) {
			t.Errorf("Sniff(%q) = true", s)
		}
	}
	for _, s := range []string{"<tmx version='1.4'>", "\ufeff<?xml version='1.0'?>\n<!-- c -->\n<tmx>", "<!DOCTYPE tmx SYSTEM 'tmx14.dtd'>"} {
		if !Sniff([]byte(s)) {
			t.Errorf("Sniff(%q) = false", s)
		}
	}
}
