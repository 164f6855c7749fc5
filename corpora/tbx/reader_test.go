package tbx_test

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/corpora/tbx"
	"github.com/kgmem/kgmem/internal/testenv"
)

// readAll reads every entry of a file, failing the test on an error.
func readAll(t testing.TB, r *tbx.Reader) []*corpora.TermEntry {
	t.Helper()
	var out []*corpora.TermEntry
	for {
		e, err := r.NextTerm()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatalf("NextTerm: %v", err)
		}
		out = append(out, e)
	}
}

func openSample(t testing.TB, elem ...string) []byte {
	t.Helper()
	data, err := os.ReadFile(testenv.SharedData(t, elem...))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func countTerms(es []*corpora.TermEntry) int {
	n := 0
	for _, e := range es {
		n += len(e.Terms)
	}
	return n
}

func findEntry(es []*corpora.TermEntry, id string) *corpora.TermEntry {
	for _, e := range es {
		if e.ID == id {
			return e
		}
	}
	return nil
}

func TestReadSamples(t *testing.T) {
	en, es := language.English, language.Spanish
	tests := []struct {
		path                  []string
		version               tbx.Version
		dialect, style        string
		entries, terms, units int // units: Next with the languages undefined
		id                    string
		check                 func(t *testing.T, e *corpora.TermEntry)
	}{
		{
			path: []string{"formats", "omegat", "glossaries", "sampleTBXfile.tbx"}, version: tbx.V2008, dialect: "TBX",
			entries: 1, terms: 2, units: 1, id: "eid-Oracle-67",
			check: func(t *testing.T, e *corpora.TermEntry) {
				want := corpora.TermEntry{ID: "eid-Oracle-67", Domain: "manufacturing", Definition: "A value between 0 and 1 used in ...",
					Terms: []corpora.Term{
						{Lang: en, Text: "alpha smoothing factor", PartOfSpeech: "noun"},
						{Lang: language.Hungarian, Text: "hu translation", PartOfSpeech: "noun"},
					}}
				checkEntry(t, e, want)
			},
		},
		{
			path: []string{"formats", "ltac-tbx", "test_files", "core_structure_good.tbx"}, version: tbx.V2019, dialect: "TBX-Core", style: "dca",
			entries: 45, terms: 113, units: 92, id: "c6",
			check: func(t *testing.T, e *corpora.TermEntry) {
				// The note of the English langSec goes to its term.
				want := corpora.TermEntry{ID: "c6", Terms: []corpora.Term{
					{Lang: en, Text: "main-sequence", Note: "G-Source: http://www.skyofplenty.com/?page_id=374"},
					{Lang: es, Text: "de secuencia principal"},
				}}
				checkEntry(t, e, want)
			},
		},
		{
			path: []string{"formats", "ltac-tbx", "test_files", "min_good.tbx"}, version: tbx.V2019, dialect: "TBX-Min", style: "dca",
			entries: 45, terms: 113, units: 92, id: "c2",
			check: func(t *testing.T, e *corpora.TermEntry) {
				want := corpora.TermEntry{ID: "c2", Domain: "Stellar Birth",
					Note: "G-Source: http://www.cfht.hawaii.edu/Instruments/Spectroscopy/Espadons/www.ast.obs-mip.fr/users/donati/press/fuori_eng.html",
					Terms: []corpora.Term{
						{Lang: en, Text: "circumstellar accretion disk", PartOfSpeech: "noun", Status: corpora.TermPreferred},
						{Lang: en, Text: "accretion disc", PartOfSpeech: "noun", Status: corpora.TermAdmitted},
						{Lang: en, Text: "circumstellar disk", PartOfSpeech: "noun", Status: corpora.TermAdmitted},
						{Lang: es, Text: "disco de acreción", PartOfSpeech: "noun", Status: corpora.TermPreferred},
						{Lang: es, Text: "disco de acrecimiento", PartOfSpeech: "noun", Status: corpora.TermAdmitted},
					}}
				checkEntry(t, e, want)
			},
		},
		{
			path: []string{"formats", "ltac-tbx", "test_files", "basic_good.tbx"}, version: tbx.V2019, dialect: "TBX-Basic", style: "dca",
			entries: 45, terms: 113, units: 92, id: "c1",
			check: func(t *testing.T, e *corpora.TermEntry) {
				if e.Domain != "General" || len(e.Terms) != 3 {
					t.Fatalf("c1 = %+v", e)
				}
				g := e.Terms[1]
				if g.Text != "galactic cluster" || g.Status != corpora.TermDeprecated ||
					g.Definition != "A group of stars formed together in the spiral arms of a galaxy." ||
					!strings.HasPrefix(g.Note, "Another name for an open star cluster. They are often termed Galactic Clusters because") ||
					!strings.HasSuffix(g.Note, "\nN-Source: http://www.delscope.demon.co.uk/astronomy/glossary.htm#G") {
					t.Errorf("galactic cluster = %+v", g)
				}
				if d := e.Terms[2].Definition; !strings.HasPrefix(d, "Una acumulación de una docena") {
					t.Errorf("Spanish definition = %q", d)
				}
			},
		},
		{
			path: []string{"formats", "ltac-tbx", "basic_dialect", "Example_Astronomy_DCA_VALID.tbx"}, version: tbx.V2019, dialect: "TBX-Basic", style: "dca",
			entries: 45, terms: 113, units: 92, id: "c1",
			check: func(t *testing.T, e *corpora.TermEntry) {
				// supersededTerm-admn-sts is a kind of deprecated.
				if e.Terms[0].Status != corpora.TermPreferred || e.Terms[1].Status != corpora.TermDeprecated {
					t.Errorf("statuses = %v, %v", e.Terms[0].Status, e.Terms[1].Status)
				}
			},
		},
		{
			path: []string{"formats", "ltac-tbx", "basic_dialect", "Example_Astronomy_DCT_VALID.tbx"}, version: tbx.V2019, dialect: "TBX-Basic", style: "dct",
			entries: 45, terms: 113, units: 92, id: "c45",
			check: func(t *testing.T, e *corpora.TermEntry) {
				want := corpora.TermEntry{ID: "c45", Domain: "General",
					Note: "G-Source: http://www.dorlingkindersley-uk.co.uk/static/clipart/uk/dk/sci_space/image_sci_space013.jpg",
					Terms: []corpora.Term{
						{Lang: en, Text: "black dwarf", PartOfSpeech: "noun", Definition: "A degenerate star that has cooled until it is no longer visible.",
							Context: "Banprupt though it is, a white swarf still has a high surface temperature when it is first formed; up to 100,000 degrees C in some cases and it continues to radiate. Gradually it fades, and must end up as a cold, dead black dwarf; but at the moment no white dwarf with a surface temperature of below 3,000 degrees C has been found, and it may be that the universe is not yet old enough for any black dwarfs to have been formed."},
						{Lang: es, Text: "enana negra", PartOfSpeech: "noun", Definition: "Una estrella creada cuando una enana blanca se enfría lo suficiente como para dejar de emitir calor o luz en cantidad significativa.",
							Context: "No se conoce, todavía, la cantidad de Enanas Negras que pueblan en realidad nuestro Universo. El tiempo estimado para que una Enana Blanca se enfríe lo suficiente para volverse Negra, se estima entre diez y cien mil millones de años, y nuestro Universo no es aún lo bastante viejo, nada más que para que existan algunas enanas blancas que se han enfriado lo suficiente para alcanzar la etapa de enanas negras."},
					}}
				checkEntry(t, e, want)
			},
		},
	}
	for _, tt := range tests {
		name := tt.path[len(tt.path)-1]
		t.Run(name, func(t *testing.T) {
			data := openSample(t, tt.path...)
			r, err := tbx.NewReader(bytes.NewReader(data), corpora.ReadOptions{Name: name})
			if err != nil {
				t.Fatal(err)
			}
			if r.Version() != tt.version || r.Dialect() != tt.dialect || r.Style() != tt.style {
				t.Errorf("version, dialect, style = %v, %q, %q; want %v, %q, %q", r.Version(), r.Dialect(), r.Style(), tt.version, tt.dialect, tt.style)
			}
			es := readAll(t, r)
			if len(es) != tt.entries || countTerms(es) != tt.terms {
				t.Errorf("%d entries, %d terms; want %d, %d", len(es), countTerms(es), tt.entries, tt.terms)
			}
			for i, e := range es {
				if e.Origin.Index != i || e.Origin.File != name || e.Origin.Line == 0 {
					t.Errorf("entry %d origin = %+v", i, e.Origin)
					break
				}
			}
			e := findEntry(es, tt.id)
			if e == nil {
				t.Fatalf("no entry %q", tt.id)
			}
			tt.check(t, e)

			units := readUnits(t, data, corpora.ReadOptions{Name: name})
			if len(units) != tt.units {
				t.Errorf("Next gave %d units, want %d", len(units), tt.units)
			}
		})
	}
}

func checkEntry(t *testing.T, got *corpora.TermEntry, want corpora.TermEntry) {
	t.Helper()
	g := *got
	g.Origin = corpora.Origin{}
	if !entriesEqual(&g, &want) {
		t.Errorf("entry =\n%+v\nwant\n%+v", g, want)
	}
}

func entriesEqual(a, b *corpora.TermEntry) bool {
	if a.ID != b.ID || a.Domain != b.Domain || a.Definition != b.Definition || a.Note != b.Note || len(a.Terms) != len(b.Terms) {
		return false
	}
	for i := range a.Terms {
		if a.Terms[i] != b.Terms[i] {
			return false
		}
	}
	return true
}

func readUnits(t testing.TB, data []byte, opts corpora.ReadOptions) []*corpora.Unit {
	t.Helper()
	r, err := tbx.NewReader(bytes.NewReader(data), opts)
	if err != nil {
		t.Fatal(err)
	}
	var out []*corpora.Unit
	for {
		u, err := r.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatalf("Next: %v", err)
		}
		out = append(out, u)
	}
}

func TestNextUnits(t *testing.T) {
	data := openSample(t, "formats", "ltac-tbx", "test_files", "min_good.tbx")
	units := readUnits(t, data, corpora.ReadOptions{Name: "min_good.tbx", SourceLang: language.English, TargetLang: language.Spanish})
	if len(units) != 92 {
		t.Fatalf("%d units, want 92", len(units))
	}
	// c2 has three English and two Spanish terms: six units, English first.
	var c2 []*corpora.Unit
	for _, u := range units {
		if u.ID == "c2" {
			c2 = append(c2, u)
		}
	}
	if len(c2) != 6 {
		t.Fatalf("c2 gave %d units, want 6", len(c2))
	}
	u := c2[1]
	if u.Source.Plain() != "circumstellar accretion disk" || u.Target.Plain() != "disco de acrecimiento" ||
		u.SourceLang != language.English || u.TargetLang != language.Spanish || u.Domain != "Stellar Birth" ||
		u.Status != corpora.StatusUnspecified || u.Origin.Line != 42 || u.Origin.File != "min_good.tbx" {
		t.Errorf("unit = %+v", u)
	}
	wantProps := []corpora.Prop{
		{Type: "term-status", Value: "admitted", Lang: "es"},
		{Type: "part-of-speech", Value: "noun", Lang: "es"},
		{Type: "term-status", Value: "preferred", Lang: "en"},
		{Type: "part-of-speech", Value: "noun", Lang: "en"},
	}
	if len(u.Props) != len(wantProps) {
		t.Fatalf("props = %+v, want %+v", u.Props, wantProps)
	}
	for i := range wantProps {
		if u.Props[i] != wantProps[i] {
			t.Errorf("prop %d = %+v, want %+v", i, u.Props[i], wantProps[i])
		}
	}
	if s, _ := u.Prop("term-status"); s != "admitted" {
		t.Errorf(`Prop("term-status") = %q, want the target's "admitted"`, s)
	}
	if len(u.Notes) != 1 || !strings.HasPrefix(u.Notes[0], "G-Source:") {
		t.Errorf("notes = %q", u.Notes)
	}
	for i, u := range units {
		if u.Origin.Index != i {
			t.Fatalf("unit %d has index %d", i, u.Origin.Index)
		}
	}

	// The other direction.
	back := readUnits(t, data, corpora.ReadOptions{SourceLang: language.Spanish, TargetLang: language.English})
	if len(back) != 92 || back[0].SourceLang != language.Spanish || back[0].Source.Plain() != "cúmulo abierto" {
		t.Errorf("es→en: %d units, first %+v", len(back), back[0])
	}

	// No Zulu–Spanish pair: an error that says so.
	r, err := tbx.NewReader(bytes.NewReader(data), corpora.ReadOptions{Name: "min_good.tbx", SourceLang: language.Zulu, TargetLang: language.Spanish})
	if err != nil {
		t.Fatal(err)
	}
	_, err = r.Next()
	var pe *corpora.ParseError
	if !errors.As(err, &pe) || !errors.Is(err, corpora.ErrNotBilingual) {
		t.Errorf("zu→es: err = %v, want a ParseError wrapping ErrNotBilingual", err)
	}
}

func TestNextTransactions(t *testing.T) {
	data := openSample(t, "formats", "ltac-tbx", "basic_dialect", "Example_Astronomy_DCT_VALID.tbx")
	units := readUnits(t, data, corpora.ReadOptions{SourceLang: language.English, TargetLang: language.Spanish})
	u := units[0]
	if u.ID != "c1" || u.Created.Format("2006-01-02") != "2010-04-17" || u.CreatedBy != "Tommy" ||
		u.Changed.Format("2006-01-02") != "2010-04-17" || u.ChangedBy != "Tommy" {
		t.Errorf("c1 history = %v %q %v %q", u.Created, u.CreatedBy, u.Changed, u.ChangedBy)
	}
	if c, _ := u.Prop("context"); !strings.HasPrefix(c, "M7 es uno de los cúmulos abiertos") {
		t.Errorf("context = %q", c)
	}
	if c, _ := u.Prop("context"); u.Context == "" || u.Context == c {
		t.Errorf("Unit.Context = %q, want the English term's context, not the Spanish one's", u.Context)
	}
}

// doc wraps entries in a TBX 2019 document of the given dialect; the body
// starts on line 4.
func doc(dialect, body string) string {
	return "<?xml version=\"1.0\"?>\n<tbx type=\"" + dialect + "\" style=\"dca\" xml:lang=\"en\" xmlns=\"urn:iso:std:iso:30042:ed-2\">\n" +
		"<tbxHeader><fileDesc><sourceDesc><p>t</p></sourceDesc></fileDesc></tbxHeader><text><body>\n" +
		body + "\n</body></text></tbx>\n"
}

func entry(id, inner string) string {
	return `<conceptEntry id="` + id + `">` + inner + `</conceptEntry>`
}

const enEs = `<langSec xml:lang="en"><termSec><term>cat</term></termSec></langSec><langSec xml:lang="es"><termSec><term>gato</term></termSec></langSec>`

func TestBadInput(t *testing.T) {
	utf16 := func(s string) string {
		out, _ := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().String(s)
		return out
	}
	deep := doc("TBX-Core", entry("d", strings.Repeat("<note>", 100000)))
	tests := []struct {
		name, in string
		line     int
		msg      string
	}{
		{"empty", "", 0, "file is empty"},
		{"blank", "  \n\n ", 0, "file is empty"},
		{"bom only", "\xEF\xBB\xBF", 0, "file is empty"},
		{"random", "\x00\x01\x02garbage\xff", 1, ""},
		{"not xml", "hello world", 1, "text before the root element"},
		{"other root", `<?xml version="1.0"?><tmx version="1.4"><body/></tmx>`, 1, "the root element is <tmx>, not <tbx> or <martif>"},
		{"comment only", `<!-- nothing -->`, 1, "no root element"},
		{"truncated", doc("TBX-Core", entry("c1", enEs))[:200], 4, "truncated"},
		{"unclosed", doc("TBX-Core", entry("c1", `<langSec xml:lang="en"><termSec><term>cat</termSec></langSec>`)), 4, "element <term> closed by </termSec>"},
		{"entity bomb", "<!DOCTYPE tbx [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]>\n" +
			"<tbx type=\"TBX-Core\" style=\"dca\" xml:lang=\"en\"><tbxHeader><fileDesc><sourceDesc><p>&b;</p></sourceDesc></fileDesc></tbxHeader></tbx>", 2, "invalid character entity &b;"},
		{"deep", deep, 4, "nested more than 256 deep"},
		{"bad utf-8", doc("TBX-Core", entry("c1", "<note>\xff\xfe</note>"+enEs)), 4, "invalid UTF-8"},
		{"no type", `<tbx style="dca" xml:lang="en"><tbxHeader/><text><body/></text></tbx>`, 1, "<tbx> has no type attribute"},
		{"no lang", `<tbx type="TBX-Core" style="dca"><tbxHeader/><text><body/></text></tbx>`, 1, "<tbx> has no xml:lang"},
		{"bad style", `<tbx type="TBX-Core" style="dcx" xml:lang="en"><tbxHeader/><text><body/></text></tbx>`, 1, `<tbx style="dcx"> names no style; use "dca" or "dct"`},
		{"no header", `<tbx type="TBX-Core" style="dca" xml:lang="en"><text><body/></text></tbx>`, 1, "<tbx> has no <tbxHeader>"},
		{"no text", `<tbx type="TBX-Core" style="dca" xml:lang="en"><tbxHeader/></tbx>`, 1, "<tbx> has no <text> element"},
		{"header text", "<tbx type=\"TBX-Core\" style=\"dca\" xml:lang=\"en\"><tbxHeader><fileDesc>\n<sourceDesc>loose</sourceDesc></fileDesc></tbxHeader><text><body/></text></tbx>", 2, "text in <sourceDesc> must be inside a <p>"},
		{"no id", doc("TBX-Core", `<conceptEntry>`+enEs+`</conceptEntry>`), 4, "<conceptEntry> has no id"},
		{"no langSec", doc("TBX-Core", entry("c1", "<note>n</note>")), 4, "<conceptEntry> has no <langSec>"},
		{"term outside langSec", doc("TBX-Core", entry("c1", "<term>cat</term>"+enEs)), 4, "<term> is outside a <termSec> in a <langSec>"},
		{"termSec outside langSec", doc("TBX-Core", entry("c1", "<termSec><term>cat</term></termSec>")), 4, "<termSec> must be inside a <langSec>"},
		{"langSec no lang", doc("TBX-Core", entry("c1", `<langSec><termSec><term>cat</term></termSec></langSec>`)), 4, "<langSec> has no xml:lang; add one"},
		{"langSec bad lang", doc("TBX-Core", entry("c1", `<langSec xml:lang="e!n"><termSec><term>cat</term></termSec></langSec>`)), 4, `<langSec xml:lang="e!n">`},
		{"langSec no terms", doc("TBX-Core", entry("c1", "<langSec xml:lang=\"en\">\n<note>x</note></langSec>")), 4, `<langSec xml:lang="en"> has no terms`},
		{"term not first", doc("TBX-Core", entry("c1", "<langSec xml:lang=\"en\"><termSec>\n<note>x</note><term>cat</term></termSec></langSec>")), 5, "<term> must come first in <termSec>, before <note>"},
		{"two terms", doc("TBX-Core", entry("c1", "<langSec xml:lang=\"en\"><termSec><term>cat</term>\n<term>dog</term></termSec></langSec>")), 5, "only one <term> per <termSec>"},
		{"empty term", doc("TBX-Core", entry("c1", `<langSec xml:lang="en"><termSec><term> </term></termSec></langSec>`)), 4, "<term> is empty"},
		{"no type on admin", doc("TBX-Core", entry("c1", "<langSec xml:lang=\"en\"><termSec><term>cat</term>\n<admin>x</admin></termSec></langSec>")), 5, "<admin> has no type attribute"},
		{"two descrips", doc("TBX-Core", entry("c1", "<descripGrp><descrip type=\"a\">x</descrip>\n<descrip type=\"b\">y</descrip></descripGrp>"+enEs)), 5, "only one <descrip> per <descripGrp>"},
		{"note after langSec", doc("TBX-Core", entry("c1", enEs+"\n<note>late</note>")), 5, "<note> must come before the first <langSec>"},
		{"termNote at concept", doc("TBX-Core", entry("c1", `<termNote type="partOfSpeech">noun</termNote>`+enEs)), 4, "only allowed in a <termSec>"},
		{"2008 names in 2019", doc("TBX-Core", entry("c1", `<langSet xml:lang="en"><tig><term>cat</term></tig></langSet>`)), 4, "<langSet> is TBX 2008, TBX 2019 calls it <langSec>"},
		{"termEntry in 2019", doc("TBX-Core", `<termEntry id="c1">`+enEs+`</termEntry>`), 4, "<termEntry> is not allowed in <body>; only <conceptEntry> is"},
		{"min: xref", doc("TBX-Min", entry("c1", `<langSec xml:lang="en"><termSec><term>cat</term><xref type="error" target="x">x</xref></termSec></langSec>`)), 4, `<xref type="error"> is not a data category of TBX-Min`},
		{"min: bad usageStatus", doc("TBX-Min", entry("c1", `<langSec xml:lang="en"><termSec><term>cat</term><termNote type="usageStatus">bogus</termNote></termSec></langSec>`)), 4, `<termNote type="usageStatus"> has value "bogus", which TBX-Min does not allow`},
		{"basic: definition at term", doc("TBX-Basic", entry("c1", `<langSec xml:lang="en"><termSec><term>cat</term><descrip type="definition">d</descrip></termSec></langSec>`)), 4, `<descrip type="definition"> is not allowed at term level in TBX-Basic; it goes at concept level or at language level`},
		{"basic: source at concept", doc("TBX-Basic", entry("c1", `<admin type="source">s</admin>`+enEs)), 4, `<admin type="source"> is not allowed at concept level in TBX-Basic`},
		{"basic: pos", doc("TBX-Basic", entry("c1", `<langSec xml:lang="en"><termSec><term>cat</term><termNote type="partOfSpeech">nominal</termNote></termSec></langSec>`)), 4, `has value "nominal"`},
		{"basic: transac type", doc("TBX-Basic", entry("c1", `<transacGrp><transac type="theWrongType">creation</transac></transacGrp>`+enEs)), 4, `<transac type="theWrongType"> is not a data category of TBX-Basic`},
		{"basic: dct in dca", doc("TBX-Basic", entry("c1", `<min:subjectField xmlns:min="http://www.tbxinfo.net/ns/min">x</min:subjectField>`+enEs)), 4, `<min:subjectField> is a DCT-style element, but the file declares style="dca"`},
		{"too large", doc("TBX-Core", entry("c1", `<note>`+strings.Repeat("x", 9<<20)+`</note>`+enEs)), 4, "the entry holds more than"},
		{"after root", doc("TBX-Core", entry("c1", enEs)) + "<tbx/>", 6, "after the end of <tbx>"},
		{"utf-16 truncated", utf16(doc("TBX-Core", entry("c1", enEs)))[:300], 3, "truncated"},
		{"martif langSet no lang", `<martif type="TBX" xml:lang="en"><martifHeader/><text><body>` + "\n" + `<termEntry><langSet><tig><term>x</term></tig></langSet></termEntry></body></text></martif>`, 2, "<langSet> has no xml:lang"},
		{"martif ntig", `<martif type="TBX" xml:lang="en"><martifHeader/><text><body>` + "\n" + `<termEntry><langSet xml:lang="en"><ntig><note>x</note></ntig></langSet></termEntry></body></text></martif>`, 2, "<termGrp> must come first in <ntig>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := readErr(tt.in, corpora.ReadOptions{Name: "bad.tbx"})
			var pe *corpora.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("err = %v (%T), want a *corpora.ParseError", err, err)
			}
			if pe.File != "bad.tbx" || pe.Line != tt.line || !strings.Contains(pe.Err.Error(), tt.msg) {
				t.Errorf("err = %v;\nwant line %d and %q", err, tt.line, tt.msg)
			}
		})
	}
}

// readErr reads in to the end and returns the first error.
func readErr(in string, opts corpora.ReadOptions) error {
	r, err := tbx.NewReader(strings.NewReader(in), opts)
	if err != nil {
		return err
	}
	for {
		if _, err := r.NextTerm(); err != nil {
			if err == io.EOF {
				return nil
			}
			return err
		}
	}
}

func TestLenient(t *testing.T) {
	in := doc("TBX-Basic", entry("c1", enEs)+"\n"+
		entry("c2", `<langSec xml:lang="en"><termSec><term>dog</term><termNote type="partOfSpeech">nominal</termNote><note><hi>x</hi></note></termSec></langSec>`)+"\n"+
		entry("c3", `<langSec xml:lang="en"><termSec><term>bird</term></termSec></langSec><langSec xml:lang="es"><termSec><term>pájaro</term></termSec></langSec>`))
	var skips []corpora.Skip
	opts := corpora.ReadOptions{Name: "l.tbx", Lenient: true, OnSkip: func(s corpora.Skip) { skips = append(skips, s) }}
	r, err := tbx.NewReader(strings.NewReader(in), opts)
	if err != nil {
		t.Fatal(err)
	}
	es := readAll(t, r)
	if len(es) != 2 || es[0].ID != "c1" || es[1].ID != "c3" || es[1].Origin.Line != 6 {
		t.Errorf("entries = %+v", es)
	}
	if len(skips) != 1 || skips[0].Line != 5 || skips[0].File != "l.tbx" ||
		!strings.Contains(skips[0].Reason, `conceptEntry "c2": <termNote type="partOfSpeech"> has value "nominal"`) {
		t.Errorf("skips = %+v", skips)
	}
	// Strict: the same file fails at c2.
	if err := readErr(in, corpora.ReadOptions{Name: "l.tbx"}); err == nil || !strings.Contains(err.Error(), "l.tbx:5 (unit \"c2\")") {
		t.Errorf("strict err = %v", err)
	}
}

func TestBadSamples(t *testing.T) {
	tests := []struct {
		file       string
		line       int
		msg        string
		entries    int // read leniently
		skipLines  []int
		newFailsOK bool // the error comes from NewReader
	}{
		{"core_structure_bad.tbx", 17, "text in <sourceDesc> must be inside a <p>", 44, []int{17, 21, 27}, true},
		{"min_bad.tbx", 21, `<admin type="source"> is not a data category of TBX-Min`, 43, []int{21, 803}, false},
		{"basic_bad.tbx", 24, `<admin type="source"> is not allowed at concept level in TBX-Basic`, 43, []int{24, 140}, false},
		{"poorly_formed_xml.tbx", 42, "element <term> closed by </termSec>", -1, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data := openSample(t, "formats", "ltac-tbx", "test_files", tt.file)
			err := readErr(string(data), corpora.ReadOptions{Name: tt.file})
			var pe *corpora.ParseError
			if !errors.As(err, &pe) || pe.Line != tt.line || !strings.Contains(pe.Err.Error(), tt.msg) {
				t.Errorf("strict: err = %v; want line %d and %q", err, tt.line, tt.msg)
			}
			var skips []corpora.Skip
			r, err := tbx.NewReader(bytes.NewReader(data), corpora.ReadOptions{Name: tt.file, Lenient: true, OnSkip: func(s corpora.Skip) { skips = append(skips, s) }})
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for {
				_, err = r.NextTerm()
				if err != nil {
					break
				}
				n++
			}
			if tt.entries < 0 {
				// Malformed XML cannot be resynchronised: lenient fails too.
				if !errors.As(err, &pe) || pe.Line != tt.line {
					t.Errorf("lenient: err = %v, want the XML error", err)
				}
				return
			}
			if err != io.EOF || n != tt.entries {
				t.Errorf("lenient: %d entries, err %v; want %d and EOF", n, err, tt.entries)
			}
			var lines []int
			for _, s := range skips {
				lines = append(lines, s.Line)
			}
			if !equalInts(lines, tt.skipLines) {
				t.Errorf("lenient: skips at %v, want %v: %v", lines, tt.skipLines, skips)
			}
		})
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestEncodings(t *testing.T) {
	in := doc("TBX-Core", entry("c1", enEs))
	utf16le, _ := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().String(strings.Replace(in, `version="1.0"`, `version="1.0" encoding="UTF-16"`, 1))
	utf16be, _ := unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM).NewEncoder().String(in)
	for name, data := range map[string]string{"utf-8": in, "bom": "\xEF\xBB\xBF" + in, "utf-16le": utf16le, "utf-16be no bom": utf16be} {
		t.Run(name, func(t *testing.T) {
			r, err := tbx.NewReader(strings.NewReader(data), corpora.ReadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			es := readAll(t, r)
			if len(es) != 1 || es[0].Terms[1].Text != "gato" {
				t.Errorf("entries = %+v", es)
			}
			if !tbx.Sniff([]byte(data)) {
				t.Errorf("Sniff = false")
			}
		})
	}
}

func TestInlineMarkup(t *testing.T) {
	in := doc("TBX-Core", entry("c1", `<langSec xml:lang="en"><termSec><term>H<hi type="subscript">2</hi>O <ph id="1">{x}</ph>water</term></termSec></langSec>`+
		`<langSec xml:lang="es"><termSec><term>
			agua
		</term></termSec></langSec>`))
	r, err := tbx.NewReader(strings.NewReader(in), corpora.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	es := readAll(t, r)
	if got := es[0].Terms[0].Text; got != "H2O water" {
		t.Errorf("term = %q, want %q", got, "H2O water")
	}
	if got := es[0].Terms[1].Text; got != "agua" {
		t.Errorf("term = %q, want %q", got, "agua")
	}
}

func TestSniff(t *testing.T) {
	tests := []struct {
		head string
		want bool
	}{
		{`<?xml version="1.0"?><!DOCTYPE martif SYSTEM "x.dtd"><martif type="TBX">`, true},
		{"\xEF\xBB\xBF<?xml version='1.0'?>\n<!-- c -->\n<tbx type=\"TBX-Basic\"", true},
		{`<tmx version="1.4">`, false},
		{`source	target`, false},
		{``, false},
		{"\xff\xfe\x00", false},
	}
	for _, tt := range tests {
		if got := tbx.Sniff([]byte(tt.head)); got != tt.want {
			t.Errorf("Sniff(%q) = %v, want %v", tt.head, got, tt.want)
		}
	}
	files, _ := filepath.Glob(filepath.Join(testenv.SharedData(t, "formats", "ltac-tbx"), "*", "*.tbx"))
	for _, f := range files {
		data, _ := os.ReadFile(f)
		if len(data) > 4096 {
			data = data[:4096]
		}
		if !tbx.Sniff(data) {
			t.Errorf("Sniff(%s) = false", filepath.Base(f))
		}
	}
}
