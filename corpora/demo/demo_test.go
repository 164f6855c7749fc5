package demo

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/kgmem/kgmem/internal/testenv"
)

// The corpus is checked with encoding/xml alone, not with kgmem's own
// readers, so that a bug in a reader cannot hide a bug in the data.

const xmlNS = "http://www.w3.org/XML/1998/namespace"

type tmxFile struct {
	Version string    `xml:"version,attr"`
	Header  tmxHeader `xml:"header"`
	TUs     []tmxTU   `xml:"body>tu"`
}

type tmxHeader struct {
	CreationTool        string `xml:"creationtool,attr"`
	CreationToolVersion string `xml:"creationtoolversion,attr"`
	Datatype            string `xml:"datatype,attr"`
	Segtype             string `xml:"segtype,attr"`
	OTMF                string `xml:"o-tmf,attr"`
	AdminLang           string `xml:"adminlang,attr"`
	SrcLang             string `xml:"srclang,attr"`
	CreationDate        string `xml:"creationdate,attr"`
}

type tmxTU struct {
	TUID         string    `xml:"tuid,attr"`
	CreationDate string    `xml:"creationdate,attr"`
	ChangeDate   string    `xml:"changedate,attr"`
	Props        []tmxProp `xml:"prop"`
	TUVs         []tmxTUV  `xml:"tuv"`
}

type tmxProp struct {
	Type  string `xml:"type,attr"`
	Value string `xml:",chardata"`
}

type tmxTUV struct {
	Lang string `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
	Seg  struct {
		Inner string `xml:",innerxml"`
	} `xml:"seg"`
}

// segment is a TMX <seg> split into its text and its inline codes.
type segment struct {
	Text  string   // the text outside the inline codes
	Codes []string // "bpt 1 bold", "ept 1", "ph lb", in document order
}

// unit is a translation unit of lumen.tmx, checked for its shape.
type unit struct {
	ID, Domain       string
	SrcLang, TgtLang string
	Src, Tgt         segment
}

// parseSeg splits the inner XML of a <seg> into text and codes, and checks
// that every <bpt> has a matching <ept>.
func parseSeg(inner string) (segment, error) {
	var seg segment
	var text strings.Builder
	d := xml.NewDecoder(strings.NewReader("<seg>" + inner + "</seg>"))
	open := map[string]bool{}
	depth := 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return seg, err
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			depth++
			if depth != 2 {
				continue
			}
			attr := func(name string) string {
				for _, a := range tok.Attr {
					if a.Name.Local == name {
						return a.Value
					}
				}
				return ""
			}
			switch name := tok.Name.Local; name {
			case "bpt":
				i := attr("i")
				if i == "" || open[i] {
					return seg, fmt.Errorf("<bpt i=%q> is missing its i or reuses an open one", i)
				}
				open[i] = true
				seg.Codes = append(seg.Codes, "bpt "+i+" "+attr("type"))
			case "ept":
				i := attr("i")
				if !open[i] {
					return seg, fmt.Errorf("<ept i=%q> has no <bpt> before it", i)
				}
				delete(open, i)
				seg.Codes = append(seg.Codes, "ept "+i)
			case "ph", "it":
				seg.Codes = append(seg.Codes, name+" "+attr("type"))
			default:
				return seg, fmt.Errorf("unexpected <%s> in <seg>", name)
			}
		case xml.EndElement:
			depth--
		case xml.CharData:
			if depth == 1 {
				text.Write(tok)
			}
		}
	}
	if len(open) > 0 {
		return seg, fmt.Errorf("%d <bpt> without <ept>", len(open))
	}
	seg.Text = text.String()
	return seg, nil
}

func readDemoFile(t *testing.T, name string) []byte {
	t.Helper()
	data, err := fs.ReadFile(Files, name)
	if err != nil {
		t.Fatalf("read embedded %s: %v", name, err)
	}
	return data
}

// checkWellFormed reads every token of an XML file; xml.Unmarshal alone
// would stop at the end of the root element.
func checkWellFormed(t *testing.T, name string) {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(readDemoFile(t, name)))
	roots := 0
	depth := 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			line, col := d.InputPos()
			t.Fatalf("%s is not well-formed at %d:%d: %v", name, line, col, err)
		}
		switch tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				roots++
			}
			depth++
		case xml.EndElement:
			depth--
		}
	}
	if roots != 1 {
		t.Fatalf("%s has %d root elements, want 1", name, roots)
	}
}

func loadTMX(t *testing.T) (tmxFile, []unit) {
	t.Helper()
	checkWellFormed(t, TMX)
	var f tmxFile
	if err := xml.Unmarshal(readDemoFile(t, TMX), &f); err != nil {
		t.Fatalf("unmarshal %s: %v", TMX, err)
	}
	units := make([]unit, 0, len(f.TUs))
	for _, tu := range f.TUs {
		u := unit{ID: tu.TUID}
		for _, p := range tu.Props {
			if p.Type == "x-domain" {
				u.Domain = p.Value
			}
		}
		if len(tu.TUVs) != 2 {
			t.Errorf("tu %q has %d tuvs, want 2 (en and es)", tu.TUID, len(tu.TUVs))
			continue
		}
		var err error
		u.SrcLang, u.TgtLang = tu.TUVs[0].Lang, tu.TUVs[1].Lang
		if u.Src, err = parseSeg(tu.TUVs[0].Seg.Inner); err != nil {
			t.Errorf("tu %q: English <seg>: %v", tu.TUID, err)
		}
		if u.Tgt, err = parseSeg(tu.TUVs[1].Seg.Inner); err != nil {
			t.Errorf("tu %q: Spanish <seg>: %v", tu.TUID, err)
		}
		units = append(units, u)
	}
	return f, units
}

type tbxFile struct {
	XMLName xml.Name `xml:"urn:iso:std:iso:30042:ed-2 tbx"`
	Type    string   `xml:"type,attr"`
	Style   string   `xml:"style,attr"`
	Lang    string   `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
	Header  struct {
		SourceDesc []struct {
			P []string `xml:"p"`
		} `xml:"fileDesc>sourceDesc"`
	} `xml:"tbxHeader"`
	Concepts []tbxConcept `xml:"text>body>conceptEntry"`
}

type tbxConcept struct {
	ID       string      `xml:"id,attr"`
	Descrips []typedText `xml:"descrip"`
	LangSecs []struct {
		Lang     string `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
		TermSecs []struct {
			Term      string      `xml:"term"`
			TermNotes []typedText `xml:"termNote"`
		} `xml:"termSec"`
	} `xml:"langSec"`
}

type typedText struct {
	Type  string `xml:"type,attr"`
	Value string `xml:",chardata"`
}

type term struct {
	Text, POS, Status string
}

// concept is a conceptEntry of glossary.tbx with its terms by language.
type concept struct {
	ID, Subject, Definition string
	Terms                   map[string][]term
}

const (
	preferred  = "preferredTerm-admn-sts"
	admitted   = "admittedTerm-admn-sts"
	deprecated = "deprecatedTerm-admn-sts"
)

func loadGlossary(t *testing.T) (tbxFile, []concept) {
	t.Helper()
	checkWellFormed(t, Glossary)
	var f tbxFile
	if err := xml.Unmarshal(readDemoFile(t, Glossary), &f); err != nil {
		t.Fatalf("unmarshal %s: %v", Glossary, err)
	}
	var concepts []concept
	for _, ce := range f.Concepts {
		c := concept{ID: ce.ID, Terms: map[string][]term{}}
		for _, d := range ce.Descrips {
			switch d.Type {
			case "subjectField":
				c.Subject = d.Value
			case "definition":
				c.Definition = d.Value
			}
		}
		for _, ls := range ce.LangSecs {
			for _, ts := range ls.TermSecs {
				tm := term{Text: ts.Term}
				for _, n := range ts.TermNotes {
					switch n.Type {
					case "partOfSpeech":
						tm.POS = n.Value
					case "administrativeStatus":
						tm.Status = n.Value
					}
				}
				c.Terms[ls.Lang] = append(c.Terms[ls.Lang], tm)
			}
		}
		concepts = append(concepts, c)
	}
	return f, concepts
}

var (
	// placeholderRE matches printf conversions (with positions, flags,
	// width and precision), %% and {name} template placeholders.
	placeholderRE = regexp.MustCompile(`%%|%(?:[1-9][0-9]*\$)?[-+#0]*[0-9]*(?:\.[0-9]+)?[sdiufxXcp]|\{[A-Za-z][A-Za-z0-9_]*\}`)
	// acceleratorRE matches a gettext (_File, Ay_uda) or Qt (&Open)
	// accelerator with the letter it marks.
	acceleratorRE = regexp.MustCompile(`[_&](\p{L})`)
)

func placeholders(s string) []string {
	p := placeholderRE.FindAllString(s, -1)
	slices.Sort(p)
	return p
}

// plain lowercases s without placeholders and accelerator markers.
func plain(s string) string {
	s = placeholderRE.ReplaceAllString(s, " ")
	s = acceleratorRE.ReplaceAllString(s, "$1")
	return strings.ToLower(s)
}

var foldAccents = strings.NewReplacer("á", "a", "é", "e", "í", "i", "ó", "o", "ú", "u", "ü", "u", "ñ", "n")

// words splits Spanish text into lowercase words without accents.
func words(s string) []string {
	return strings.FieldsFunc(foldAccents.Replace(plain(s)), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// stem cuts a lowercase, accent-free Spanish word to a prefix of at least
// four letters that its inflections share: the infinitive ending of a verb
// (with the consonant that changes spelling before e: sincronizar,
// sincronicen), or the final vowel of a noun or adjective (cuaderno,
// cuadernos).
func stem(w string) string {
	if len(w) <= 4 {
		return w
	}
	for _, inf := range []string{"ar", "er", "ir"} {
		if strings.HasSuffix(w, inf) && len(w)-len(inf) >= 4 {
			w = strings.TrimSuffix(w, inf)
			if strings.ContainsAny(w[len(w)-1:], "zcg") && len(w) > 4 {
				w = w[:len(w)-1]
			}
			return w
		}
	}
	if strings.ContainsAny(w[len(w)-1:], "aeo") {
		return w[:len(w)-1]
	}
	return w
}

// extraStems lists the stems of stem-changing verbs that the prefix rule
// cannot see (cerrar: cierre la sesión).
var extraStems = map[string][]string{
	"cerrar": {"cierr"},
}

// hasTerm reports whether the Spanish words contain the term or an
// inflection of it: every word of the term longer than two letters (so not
// de, en, a) must start some word of the text with its stem.
func hasTerm(text []string, es string) bool {
	for _, w := range words(es) {
		if len(w) <= 2 {
			continue
		}
		stems := append([]string{stem(w)}, extraStems[w]...)
		found := slices.ContainsFunc(text, func(tw string) bool {
			return slices.ContainsFunc(stems, func(s string) bool { return strings.HasPrefix(tw, s) })
		})
		if !found {
			return false
		}
	}
	return true
}

// englishRE matches an English term and its regular inflections (notes,
// synced, sharing, tagged) as whole words.
func englishRE(en string) *regexp.Regexp {
	en = strings.ToLower(en)
	forms := []string{en, en + "s", en + "es", en + "d", en + "ed", en + "ing"}
	if stem, ok := strings.CutSuffix(en, "e"); ok {
		forms = append(forms, stem+"ing")
	}
	last := en[len(en)-1:]
	forms = append(forms, en+last+"ed", en+last+"ing")
	for i, f := range forms {
		forms[i] = regexp.QuoteMeta(f)
	}
	return regexp.MustCompile(`(?:^|[^\p{L}\p{N}])(?:` + strings.Join(forms, "|") + `)(?:$|[^\p{L}\p{N}])`)
}

// wholeRE matches a phrase exactly, as whole words, in lowercase text.
func wholeRE(phrase string) *regexp.Regexp {
	return regexp.MustCompile(`(?:^|[^\p{L}\p{N}])` + regexp.QuoteMeta(strings.ToLower(phrase)) + `(?:$|[^\p{L}\p{N}])`)
}

// wordDistance is the Levenshtein distance between two texts counted in
// words, the unit in which a translator sees a fuzzy match.
func wordDistance(a, b []string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

func TestNames(t *testing.T) {
	want := []string{Readme, Glossary, TMX, Catalog, Sample}
	slices.Sort(want)
	if got := Names(); !slices.Equal(got, want) {
		t.Errorf("Names() = %q, want %q", got, want)
	}
	// The embedded files are the files on disk, not stale copies.
	for _, name := range Names() {
		disk, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(disk, readDemoFile(t, name)) {
			t.Errorf("embedded %s differs from the file on disk", name)
		}
	}
}

func TestTMXHeader(t *testing.T) {
	f, _ := loadTMX(t)
	got := map[string]string{
		"version":             f.Version,
		"creationtool":        f.Header.CreationTool,
		"creationtoolversion": f.Header.CreationToolVersion,
		"datatype":            f.Header.Datatype,
		"segtype":             f.Header.Segtype,
		"o-tmf":               f.Header.OTMF,
		"adminlang":           f.Header.AdminLang,
		"srclang":             f.Header.SrcLang,
	}
	want := map[string]string{
		"version":             "1.4",
		"creationtool":        "kgmem-demo",
		"creationtoolversion": "1.0",
		"datatype":            "plaintext",
		"segtype":             "sentence",
		"o-tmf":               "kgmem",
		"adminlang":           "en-US",
		"srclang":             "en-US",
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("header %s = %q, want %q", k, got[k], w)
		}
	}
	if _, err := time.Parse("20060102T150405Z", f.Header.CreationDate); err != nil {
		t.Errorf("header creationdate %q: %v", f.Header.CreationDate, err)
	}
	if !utf8Declared(readDemoFile(t, TMX)) {
		t.Errorf("%s does not declare encoding=\"UTF-8\"", TMX)
	}
}

func utf8Declared(data []byte) bool {
	first, _, _ := bytes.Cut(data, []byte("\n"))
	return bytes.Contains(first, []byte(`encoding="UTF-8"`))
}

func TestTMXUnits(t *testing.T) {
	_, units := loadTMX(t)
	readme := string(readDemoFile(t, Readme))
	domains := map[string]int{}
	ids := map[string]bool{}
	for _, u := range units {
		domains[u.Domain]++
		if ids[u.ID] {
			t.Errorf("tuid %q is used twice", u.ID)
		}
		ids[u.ID] = true
		if u.SrcLang != "en-US" || u.TgtLang != "es-ES" {
			t.Errorf("tu %q has tuvs %q, %q, want en-US then es-ES", u.ID, u.SrcLang, u.TgtLang)
		}
		if strings.TrimSpace(u.Src.Text) == "" || strings.TrimSpace(u.Tgt.Text) == "" {
			t.Errorf("tu %q has an empty segment: %q -> %q", u.ID, u.Src.Text, u.Tgt.Text)
		}
	}
	if n := len(units); n < 300 || n > 350 {
		t.Errorf("%s has %d translation units, want 300 to 350", TMX, n)
	}
	for _, want := range []string{
		fmt.Sprintf("%d translation units", len(units)),
		fmt.Sprintf("%d user interface strings", domains["ui"]),
		fmt.Sprintf("%d user guide sentences", domains["help"]),
	} {
		if !strings.Contains(readme, want) {
			t.Errorf("%s does not say %q", Readme, want)
		}
	}
	if domains["ui"]+domains["help"] != len(units) {
		t.Errorf("x-domain counts %v: every tu needs ui or help", domains)
	}
	if domains["ui"] < 150 || domains["help"] < 100 {
		t.Errorf("x-domain counts %v, want at least 150 ui and 100 help", domains)
	}
}

func TestTMXDates(t *testing.T) {
	f, _ := loadTMX(t)
	changed := 0
	for _, tu := range f.TUs {
		created, err := time.Parse("20060102T150405Z", tu.CreationDate)
		if err != nil {
			t.Errorf("tu %q creationdate %q: %v", tu.TUID, tu.CreationDate, err)
			continue
		}
		if tu.ChangeDate == "" {
			continue
		}
		changed++
		if c, err := time.Parse("20060102T150405Z", tu.ChangeDate); err != nil || c.Before(created) {
			t.Errorf("tu %q changedate %q is not a date after creationdate %q (%v)", tu.TUID, tu.ChangeDate, tu.CreationDate, err)
		}
	}
	if changed == 0 {
		t.Errorf("no tu has a changedate")
	}
}

// TestTMXSamples pins a few units of each kind the brief asks for.
func TestTMXSamples(t *testing.T) {
	_, units := loadTMX(t)
	bySource := map[string]unit{}
	for _, u := range units {
		if _, dup := bySource[u.Src.Text]; !dup {
			bySource[u.Src.Text] = u
		}
	}
	tests := []struct {
		src, tgt, domain string
		codes            []string
	}{
		{"_File", "_Archivo", "ui", nil},
		{"Save &As…", "Guardar &como…", "ui", nil},
		{"Delete this note?", "¿Desea eliminar esta nota?", "ui", nil},
		{"Delete this notebook?", "¿Desea eliminar este cuaderno?", "ui", nil},
		{"3 notes selected", "3 notas seleccionadas", "ui", nil},
		{"{count} notes selected", "{count} notas seleccionadas", "ui", nil},
		{"Uploading %1$s (%2$d of %3$d)…", "Subiendo %1$s (%2$d de %3$d)…", "ui", nil},
		{"Sync %d%% complete", "Sincronización completada al %d%%", "ui", nil},
		{"%s shared a notebook with you.", "%s ha compartido un cuaderno con usted.", "ui", []string{"bpt 1 bold", "ept 1"}},
		{"Sync failed.Check your internet connection and try again.", "Error de sincronización.Compruebe la conexión a internet y vuelva a intentarlo.", "ui", []string{"ph lb"}},
		{"Press Ctrl+N to create a new note.", "Pulse Ctrl+N para crear una nota nueva.", "ui", []string{"bpt 1 x-kbd", "ept 1"}},
		{"Select Settings > Sync to choose which notebooks are synced to this computer.", "Seleccione Configuración > Sincronización para elegir qué cuadernos se sincronizan con este equipo.", "help", []string{"bpt 1 bold", "ept 1", "bpt 2 bold", "ept 2"}},
		{"To delete a notebook, select it in the sidebar and press Delete.", "Para eliminar un cuaderno, selecciónelo en la barra lateral y pulse Supr.", "help", nil},
		{"Northwind Labs does not read your notes or use them to show you advertising.", "Northwind Labs no lee sus notas ni las utiliza para mostrarle publicidad.", "help", nil},
	}
	for _, tt := range tests {
		u, ok := bySource[tt.src]
		if !ok {
			t.Errorf("no tu has the English text %q", tt.src)
			continue
		}
		if u.Tgt.Text != tt.tgt || u.Domain != tt.domain || !slices.Equal(u.Src.Codes, tt.codes) || !slices.Equal(u.Tgt.Codes, tt.codes) {
			t.Errorf("tu %q = %q [%s] %q %q, want %q [%s] codes %q", u.ID, u.Tgt.Text, u.Domain, u.Src.Codes, u.Tgt.Codes, tt.tgt, tt.domain, tt.codes)
		}
	}
}

// TestTMXProtectedElements checks that what a translation must keep —
// placeholders, inline codes, accelerators — is the same in both languages,
// and that the memory has enough of each to show kgmem protecting them.
func TestTMXProtectedElements(t *testing.T) {
	_, units := loadTMX(t)
	var withPlaceholders, withPositional, withTemplate, withCodes, withAccelerators int
	for _, u := range units {
		ps, pt := placeholders(u.Src.Text), placeholders(u.Tgt.Text)
		if !slices.Equal(ps, pt) {
			t.Errorf("tu %q placeholders %q -> %q, want the same: %q -> %q", u.ID, ps, pt, u.Src.Text, u.Tgt.Text)
		}
		cs, ct := slices.Sorted(slices.Values(u.Src.Codes)), slices.Sorted(slices.Values(u.Tgt.Codes))
		if !slices.Equal(cs, ct) {
			t.Errorf("tu %q inline codes %q -> %q, want the same", u.ID, u.Src.Codes, u.Tgt.Codes)
		}
		as, at := len(acceleratorRE.FindAllString(u.Src.Text, -1)), len(acceleratorRE.FindAllString(u.Tgt.Text, -1))
		if as != at || as > 1 {
			t.Errorf("tu %q has %d and %d accelerators, want one or none in both: %q -> %q", u.ID, as, at, u.Src.Text, u.Tgt.Text)
		}
		if len(ps) > 0 {
			withPlaceholders++
		}
		if strings.Contains(u.Src.Text, "$") {
			withPositional++
		}
		if strings.Contains(u.Src.Text, "{") {
			withTemplate++
		}
		if len(cs) > 0 {
			withCodes++
		}
		if as > 0 {
			withAccelerators++
		}
	}
	for _, c := range []struct {
		what     string
		got, min int
	}{
		{"placeholders", withPlaceholders, 60},
		{"positional printf placeholders", withPositional, 4},
		{"{name} placeholders", withTemplate, 15},
		{"inline codes", withCodes, 8},
		{"accelerators", withAccelerators, 8},
	} {
		if c.got < c.min {
			t.Errorf("%d units have %s, want at least %d", c.got, c.what, c.min)
		}
	}
}

// TestTMXMatchMaterial checks that fuzzy and exact matching have something
// to find: families of near duplicates, repeats across domains, and help
// sentences of user-guide length.
func TestTMXMatchMaterial(t *testing.T) {
	_, units := loadTMX(t)
	inDomain := map[string]map[string]bool{}
	tokens := make([][]string, len(units))
	for i, u := range units {
		tokens[i] = strings.Fields(u.Src.Text)
		if inDomain[u.Src.Text] == nil {
			inDomain[u.Src.Text] = map[string]bool{}
		}
		inDomain[u.Src.Text][u.Domain] = true
	}
	near := 0
	for i := range units {
		for j := range units {
			if i != j && wordDistance(tokens[i], tokens[j]) == 1 {
				near++
				break
			}
		}
	}
	if near < 60 {
		t.Errorf("%d units have a neighbour one word away, want at least 60", near)
	}
	repeats := 0
	for _, d := range inDomain {
		if d["ui"] && d["help"] {
			repeats++
		}
	}
	if repeats < 2 {
		t.Errorf("%d English texts are in both domains, want at least 2", repeats)
	}
	for _, u := range units {
		if u.Domain != "help" || inDomain[u.Src.Text]["ui"] {
			continue
		}
		if n := len(strings.Fields(u.Src.Text)); n < 10 || n > 30 {
			t.Errorf("help tu %q has %d words, want 10 to 30: %q", u.ID, n, u.Src.Text)
		}
	}
}

func TestGlossaryStructure(t *testing.T) {
	f, concepts := loadGlossary(t)
	if f.Type != "TBX-Basic" || f.Style != "dca" || f.Lang != "en" {
		t.Errorf("<tbx type=%q style=%q xml:lang=%q>, want TBX-Basic, dca, en", f.Type, f.Style, f.Lang)
	}
	if len(f.Header.SourceDesc) == 0 || len(f.Header.SourceDesc[0].P) == 0 || strings.TrimSpace(f.Header.SourceDesc[0].P[0]) == "" {
		t.Errorf("tbxHeader has no fileDesc/sourceDesc/p")
	}
	if n := len(concepts); n < 35 || n > 50 {
		t.Errorf("%s has %d concepts, want 35 to 50", Glossary, n)
	}
	if want := fmt.Sprintf("%d concepts", len(concepts)); !strings.Contains(string(readDemoFile(t, Readme)), want) {
		t.Errorf("%s does not say %q", Readme, want)
	}
	pos := []string{"noun", "verb", "adjective", "adverb", "properNoun", "other"}
	statuses := []string{preferred, admitted, deprecated}
	ids := map[string]bool{}
	senses := map[string]string{}
	count := map[string]int{}
	names := 0
	for _, c := range concepts {
		if c.ID == "" || ids[c.ID] {
			t.Errorf("concept id %q is empty or used twice", c.ID)
		}
		ids[c.ID] = true
		if strings.TrimSpace(c.Subject) == "" || strings.TrimSpace(c.Definition) == "" {
			t.Errorf("concept %q has no subjectField or definition", c.ID)
		}
		if len(c.Terms) != 2 || len(c.Terms["en"]) == 0 || len(c.Terms["es"]) == 0 {
			t.Errorf("concept %q has terms in %d languages, want en and es", c.ID, len(c.Terms))
		}
		for lang, terms := range c.Terms {
			prefs := 0
			for _, tm := range terms {
				if strings.TrimSpace(tm.Text) == "" || !slices.Contains(pos, tm.POS) || !slices.Contains(statuses, tm.Status) {
					t.Errorf("concept %q %s term %+v: want a term, a TBX-Basic partOfSpeech and administrativeStatus", c.ID, lang, tm)
				}
				if tm.Status == preferred {
					prefs++
				}
				count[lang+" "+tm.Status]++
			}
			if prefs == 0 {
				t.Errorf("concept %q has no preferred %s term", c.ID, lang)
			}
		}
		en := c.Terms["en"][0]
		if sense := en.Text + " (" + en.POS + ")"; senses[sense] != "" {
			t.Errorf("concepts %q and %q are both %s", senses[sense], c.ID, sense)
		} else {
			senses[sense] = c.ID
		}
		if en.POS == "properNoun" {
			names++
			if es := c.Terms["es"][0]; es.Text != en.Text {
				t.Errorf("concept %q: the name %q is %q in Spanish, want it unchanged", c.ID, en.Text, es.Text)
			}
		}
	}
	if count["es "+deprecated] < 3 || count["es "+admitted] < 2 {
		t.Errorf("Spanish terms by status %v, want at least 3 deprecated and 2 admitted", count)
	}
	if names < 2 {
		t.Errorf("%d product names, want at least 2", names)
	}
	for _, name := range []string{"Lumen Notes", "Northwind Cloud"} {
		if senses[name+" (properNoun)"] == "" {
			t.Errorf("%s is not a concept", name)
		}
	}
}

// usable returns the texts of the preferred and admitted terms.
func usable(terms []term) []string {
	var out []string
	for _, tm := range terms {
		if tm.Status != deprecated {
			out = append(out, tm.Text)
		}
	}
	return out
}

// TestTerminologyConsistent checks that every preferred or admitted English
// glossary term in an English segment has a Spanish preferred or admitted
// term of the same concept (or of another concept with the same English
// term, as for the noun and the verb sync) in the translation, and that
// product names are kept as they are.
func TestTerminologyConsistent(t *testing.T) {
	_, concepts := loadGlossary(t)
	_, units := loadTMX(t)
	var names []string
	allowed := map[string][]string{}
	for _, c := range concepts {
		es := usable(c.Terms["es"])
		for _, en := range usable(c.Terms["en"]) {
			if slices.Contains(es, en) {
				names = append(names, en)
				continue
			}
			allowed[strings.ToLower(en)] = append(allowed[strings.ToLower(en)], es...)
		}
	}
	enTerms := slices.Sorted(func(yield func(string) bool) {
		for en := range allowed {
			if !yield(en) {
				return
			}
		}
	})
	res := map[string]*regexp.Regexp{}
	for _, en := range enTerms {
		res[en] = englishRE(en)
	}
	checked := map[string]int{}
	for _, u := range units {
		src := plain(u.Src.Text)
		for _, name := range names {
			if strings.Contains(src, strings.ToLower(name)) {
				checked[name]++
				if !strings.Contains(u.Tgt.Text, name) {
					t.Errorf("tu %q: %q is not kept in %q", u.ID, name, u.Tgt.Text)
				}
				src = strings.ReplaceAll(src, strings.ToLower(name), " ")
			}
		}
		tgt := words(u.Tgt.Text)
		for _, en := range enTerms {
			if !res[en].MatchString(src) {
				continue
			}
			checked[en]++
			if !slices.ContainsFunc(allowed[en], func(es string) bool { return hasTerm(tgt, es) }) {
				t.Errorf("tu %q: %q has %q but %q has none of %q", u.ID, u.Src.Text, en, u.Tgt.Text, allowed[en])
			}
		}
	}
	total := 0
	for _, n := range checked {
		total += n
	}
	t.Logf("checked %d occurrences of %d glossary terms", total, len(checked))
	// Guard against a matcher that silently finds nothing.
	if total < 500 || len(checked) < 40 {
		t.Errorf("checked %d occurrences of %d terms, want at least 500 of 40", total, len(checked))
	}
	for _, en := range []string{"note", "notebook", "file", "sync", "trash", "backup", "workspace", "settings", "Lumen Notes", "Northwind Cloud"} {
		if checked[en] == 0 {
			t.Errorf("the term %q was never checked", en)
		}
	}
}

func TestNoDeprecatedTerms(t *testing.T) {
	_, concepts := loadGlossary(t)
	_, units := loadTMX(t)
	sample := strings.ToLower(string(readDemoFile(t, Sample)))
	found := 0
	for _, c := range concepts {
		for lang, terms := range c.Terms {
			for _, tm := range terms {
				if tm.Status != deprecated {
					continue
				}
				found++
				re := wholeRE(tm.Text)
				for _, u := range units {
					text := u.Src.Text
					if lang == "es" {
						text = u.Tgt.Text
					}
					if re.MatchString(strings.ToLower(text)) {
						t.Errorf("tu %q uses the deprecated %s term %q: %q", u.ID, lang, tm.Text, text)
					}
				}
				if lang == "en" && re.MatchString(sample) {
					t.Errorf("%s uses the deprecated term %q", Sample, tm.Text)
				}
			}
		}
	}
	if found == 0 {
		t.Fatal("the glossary has no deprecated terms to check")
	}
}

// sentences splits a paragraph after ., ? and !.
func sentences(par string) []string {
	var out, cur []string
	for _, w := range strings.Fields(par) {
		cur = append(cur, w)
		if strings.ContainsAny(w[len(w)-1:], ".?!") {
			out = append(out, strings.Join(cur, " "))
			cur = nil
		}
	}
	if len(cur) > 0 {
		out = append(out, strings.Join(cur, " "))
	}
	return out
}

// TestSample checks that sample.txt mixes exact matches, fuzzy matches one
// or two words away, and new sentences that use glossary terms.
func TestSample(t *testing.T) {
	_, units := loadTMX(t)
	_, concepts := loadGlossary(t)
	paragraphs := strings.Split(strings.TrimSpace(string(readDemoFile(t, Sample))), "\n\n")
	title, body := paragraphs[0], paragraphs[1:]
	if strings.Contains(title, "\n") || strings.ContainsAny(title[len(title)-1:], ".?!") {
		t.Errorf("first paragraph %q is not a one-line title", title)
	}
	if len(body) < 4 || len(body) > 6 {
		t.Errorf("%s has %d paragraphs after the title, want 4 to 6", Sample, len(body))
	}
	var ens [][]string
	memory := map[string]bool{}
	for _, u := range units {
		memory[u.Src.Text] = true
		ens = append(ens, strings.Fields(u.Src.Text))
	}
	var terms []*regexp.Regexp
	for _, c := range concepts {
		for _, en := range usable(c.Terms["en"]) {
			terms = append(terms, englishRE(en))
		}
	}
	kinds := map[string]int{}
	for _, par := range body {
		for _, s := range sentences(par) {
			best := 1 << 30
			for _, e := range ens {
				best = min(best, wordDistance(strings.Fields(s), e))
			}
			switch {
			case memory[s]:
				kinds["exact"]++
			case best <= 2:
				kinds["fuzzy"]++
			default:
				kinds["new"]++
				if !slices.ContainsFunc(terms, func(re *regexp.Regexp) bool { return re.MatchString(plain(s)) }) {
					t.Errorf("new sentence %q uses no glossary term", s)
				}
			}
		}
	}
	want := map[string]int{"exact": 7, "fuzzy": 7, "new": 6}
	for k, w := range want {
		if kinds[k] != w {
			t.Errorf("%s has %d %s sentences, want %d (all: %v)", Sample, kinds[k], k, w, kinds)
		}
	}
}

// TestCatalogMsgfmt has GNU msgfmt check the catalog's header, format
// strings and accelerators, and count its entries.
func TestCatalogMsgfmt(t *testing.T) {
	msgfmt := testenv.Tool(t, "msgfmt", "apt-get install gettext")
	cmd := exec.Command(msgfmt, "--check", "--check-accelerators=_", "--statistics", "-o", os.DevNull, Catalog)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("msgfmt --check %s: %v\n%s", Catalog, err, out)
	}
	want := "4 translated messages, 1 fuzzy translation, 21 untranslated messages."
	if got := strings.TrimSpace(string(out)); got != want {
		t.Errorf("msgfmt --statistics = %q, want %q", got, want)
	}
	po := string(readDemoFile(t, Catalog))
	for _, want := range []string{`"Language: es\n"`, "msgid_plural ", "msgstr[1] ", "#, fuzzy", "msgctxt ", "#, c-format", "#: "} {
		if !strings.Contains(po, want) {
			t.Errorf("%s has no %s", Catalog, want)
		}
	}
	if want := fmt.Sprintf("%d entries", 26); !strings.Contains(string(readDemoFile(t, Readme)), want) {
		t.Errorf("%s does not say %q", Readme, want)
	}
}

// TestTMXTranslateToolkit has an independent TMX reader, translate-toolkit's,
// read the memory and count the same units with both segments.
func TestTMXTranslateToolkit(t *testing.T) {
	_, units := loadTMX(t)
	python := testenv.ToolkitPython(t)
	const script = `
import json, sys
from translate.storage import tmx
with open(sys.argv[1], "rb") as f:
    store = tmx.tmxfile(f, sourcelanguage="en-US", targetlanguage="es-ES")
units = list(store.units)
print(json.dumps({
    "units": len(units),
    "complete": sum(1 for u in units if u.source and u.target),
    "first": [units[0].getid(), units[0].source, units[0].target],
}))
`
	out, err := exec.Command(python, "-c", script, TMX).Output()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		t.Fatalf("translate-toolkit cannot read %s: %v\n%s", TMX, err, exit.Stderr)
	} else if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Units, Complete int
		First           []string
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("decode %q: %v", out, err)
	}
	if got.Units != len(units) || got.Complete != len(units) {
		t.Errorf("translate-toolkit reads %d units, %d with source and target; want %d", got.Units, got.Complete, len(units))
	}
	if want := []string{"ui-001", "_File", "_Archivo"}; !slices.Equal(got.First, want) {
		t.Errorf("translate-toolkit's first unit = %q, want %q", got.First, want)
	}
}
