package xliff

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/internal/testenv"
)

// fillDoc12 has what Fill must handle in 1.2: a target to replace, units
// without target (indented with tabs, with CRLF), a segmented unit with and
// one without a target, a prefixed namespace, a comment and an entity
// reference to keep.
const fillDoc12 = "<?xml version='1.0' encoding='utf-8'?>\r\n" +
	"<!-- kept as it is -->\r\n" +
	"<xliff version=\"1.2\" xmlns=\"urn:oasis:names:tc:xliff:document:1.2\" xmlns:okp=\"okapi-framework:xliff-extensions\">\r\n" +
	"<file original=\"app.po\" source-language=\"en\" datatype=\"po\" okp:inputEncoding=\"UTF-8\">\r\n" +
	"<body>\r\n" +
	"\t<trans-unit id=\"replace\" approved=\"yes\">\r\n" +
	"\t\t<source xml:lang=\"en\">Save <g id=\"1\" ctype=\"bold\">all</g> files&#x21;</source>\r\n" +
	"\t\t<target xml:lang=\"fr\" state='needs-translation' state-qualifier=\"exact-match\">old</target>\r\n" +
	"\t\t<note>Keep &amp; this</note>\r\n" +
	"\t</trans-unit>\r\n" +
	"\t<trans-unit id=\"insert\">\r\n" +
	"\t\t<source>Open <ph id=\"p1\">%s</ph></source>\r\n" +
	"\t\t<note>no target yet</note>\r\n" +
	"\t</trans-unit>\r\n" +
	"\t<trans-unit id=\"untouched\"><source>Not in the map</source></trans-unit>\r\n" +
	"\t<trans-unit id=\"seg\">\r\n" +
	"\t\t<source>One. Two.</source>\r\n" +
	"\t\t<seg-source><mrk mtype=\"seg\" mid=\"1\">One.</mrk> <mrk mtype=\"seg\" mid=\"2\">Two.</mrk></seg-source>\r\n" +
	"\t\t<target><mrk mtype=\"seg\" mid=\"1\">Un.</mrk> <mrk mtype=\"seg\" mid=\"2\">Deux.</mrk></target>\r\n" +
	"\t</trans-unit>\r\n" +
	"\t<trans-unit id=\"seg-new\">\r\n" +
	"\t\t<source>Three. <x id=\"1\"/>Four.</source>\r\n" +
	"\t\t<seg-source><mrk mtype=\"seg\" mid=\"a\">Three.</mrk> <x id=\"1\"/><mrk mtype=\"seg\" mid=\"b\">Four.</mrk></seg-source>\r\n" +
	"\t</trans-unit>\r\n" +
	"\t<trans-unit id=\"no\" translate=\"no\"><source>Do not</source></trans-unit>\r\n" +
	"</body>\r\n" +
	"</file>\r\n" +
	"</xliff>\r\n"

const fillDoc2 = `<xlf:xliff xmlns:xlf="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en">
  <xlf:file id="f">
    <xlf:unit id="u1">
      <xlf:segment id="s1">
        <xlf:source>Hello <xlf:pc id="1">world</xlf:pc>.</xlf:source>
      </xlf:segment>
      <xlf:ignorable><xlf:source> </xlf:source></xlf:ignorable>
      <xlf:segment state="initial">
        <xlf:source>Bye.</xlf:source>
        <xlf:target/>
      </xlf:segment>
    </xlf:unit>
    <xlf:unit id="u2">
      <xlf:segment><xlf:source>Alone<xlf:ph id="1"/></xlf:source><xlf:target>old</xlf:target></xlf:segment>
    </xlf:unit>
  </xlf:file>
</xlf:xliff>
`

// seg builds a segment of text and codes.
func seg(parts ...any) corpora.Segment {
	var s corpora.Segment
	for _, p := range parts {
		switch p := p.(type) {
		case string:
			s.Append(p)
		case *corpora.Code:
			s.AppendCode(p)
		}
	}
	return s
}

func TestFillGolden(t *testing.T) {
	g := func(k corpora.CodeKind, id string) *corpora.Code {
		return &corpora.Code{Kind: k, Element: "g", ID: id, Paired: true}
	}
	tests := []struct {
		name   string
		in     string
		tr     map[Key]Translation
		opts   FillOptions
		filled int
		miss   []Key
	}{
		{
			name: "fill-1.2.xlf", in: fillDoc12, opts: FillOptions{TargetLang: corpora.MustParseLang("fr")},
			tr: map[Key]Translation{
				{File: "app.po", Unit: "replace"}:               {Target: seg("Enregistrer ", g(corpora.CodeOpen, "1"), "tous", g(corpora.CodeClose, "1"), " les fichiers !")},
				{File: "app.po", Unit: "insert"}:                {Target: seg("Ouvrir ", &corpora.Code{Kind: corpora.CodeStandalone, ID: "p1", Element: "ph"}, " <maintenant>"), Status: corpora.StatusApproved},
				{File: "app.po", Unit: "seg", Segment: "2"}:     {Target: corpora.Text("Deux !"), Status: corpora.StatusMachine},
				{File: "app.po", Unit: "seg-new", Segment: "b"}: {Target: corpora.Text("Quatre."), State: "signed-off"},
				{File: "app.po", Unit: "no"}:                    {Target: corpora.Text("Non")},
				{File: "other.po", Unit: "replace"}:             {Target: corpora.Text("x")},
			},
			filled: 4,
			miss:   []Key{{File: "app.po", Unit: "no"}, {File: "other.po", Unit: "replace"}},
		},
		{
			name: "fill-2.0.xlf", in: fillDoc2, opts: FillOptions{TargetLang: corpora.MustParseLang("de")},
			tr: map[Key]Translation{
				{File: "f", Unit: "u1", Segment: "s1"}: {Target: seg("Hallo ", &corpora.Code{Kind: corpora.CodeOpen, Element: "pc", ID: "1", Paired: true}, "Welt", &corpora.Code{Kind: corpora.CodeClose, Element: "pc", ID: "1", Paired: true}, ".")},
				{File: "f", Unit: "u1", Segment: "#2"}: {Target: corpora.Text("Tschüss."), Status: corpora.StatusApproved},
				{File: "f", Unit: "u2"}:                {Target: seg("Allein", &corpora.Code{Kind: corpora.CodeStandalone, ID: "1"}), Status: corpora.StatusDraft},
			},
			filled: 3,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			st, err := Fill(strings.NewReader(tt.in), &out, tt.tr, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			golden(t, tt.name, out.Bytes())
			if st.Filled != tt.filled || len(st.Missing) != len(tt.miss) {
				t.Fatalf("stats = %+v, want %d filled, missing %v", st, tt.filled, tt.miss)
			}
			for i := range tt.miss {
				if st.Missing[i] != tt.miss[i] {
					t.Errorf("Missing[%d] = %v, want %v", i, st.Missing[i], tt.miss[i])
				}
			}
			// What was filled reads back.
			us, err := readAll(t, out.Bytes(), corpora.ReadOptions{})
			if err != nil {
				t.Fatalf("reading the output: %v", err)
			}
			for _, u := range us {
				tr, ok := tt.tr[KeyOf(u)]
				if !ok {
					k := KeyOf(u)
					k.Segment = ""
					tr, ok = tt.tr[k]
				}
				if !ok {
					continue
				}
				if u.Target.Plain() != tr.Target.Plain() || len(u.Target.Codes()) != len(tr.Target.Codes()) {
					t.Errorf("unit %s target = %q [%s], want %q", u.ID, u.Target.Plain(), codeString(u.Target), tr.Target.Plain())
				}
				want := tr.Status
				if want == corpora.StatusUnspecified {
					want = corpora.StatusTranslated
				}
				if tr.State == "signed-off" {
					want = corpora.StatusApproved
				}
				if u.Status != want {
					t.Errorf("unit %s status = %v, want %v", u.ID, u.Status, want)
				}
			}
		})
	}
}

// validSamples are the shared XLIFF files that are well-formed.
func validSamples(t *testing.T) map[string][]byte {
	t.Helper()
	dir := testenv.SharedData(t, "formats", "omegat")
	files, _ := filepath.Glob(filepath.Join(dir, "filters", "xliff", "*", "*.xl*"))
	files = append(files, filepath.Join(dir, "tmx", "TMXComplianceKit", "ExportTest1E.xlf"))
	m := map[string][]byte{}
	for _, f := range files {
		if strings.Contains(f, "invalid-content") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		m[filepath.Base(f)] = b
	}
	if len(m) < 10 {
		t.Fatalf("found only %d samples", len(m))
	}
	return m
}

func TestFillEmptyIsIdentity(t *testing.T) {
	inputs := validSamples(t)
	inputs["doc12"] = []byte(doc12)
	inputs["doc2"] = []byte(doc2)
	inputs["fillDoc12"] = []byte(fillDoc12)
	inputs["utf-16le"] = toUTF16(t, strings.Replace(fillDoc12, "encoding='utf-8'", "encoding='UTF-16'", 1), true, true)
	inputs["utf-16be no bom"] = toUTF16(t, fillDoc2, false, false)
	latin1, _ := charmap.ISO8859_1.NewEncoder().Bytes([]byte(strings.Replace(doc12, `encoding="UTF-8"`, `encoding="ISO-8859-1"`, 1)))
	inputs["latin-1"] = latin1
	for name, in := range inputs {
		for _, tr := range []map[Key]Translation{nil, {}} {
			var out bytes.Buffer
			st, err := Fill(bytes.NewReader(in), &out, tr, FillOptions{Name: name})
			if err != nil {
				t.Errorf("Fill(%s) error: %v", name, err)
				continue
			}
			if !bytes.Equal(out.Bytes(), in) {
				t.Errorf("Fill(%s, empty map) changed the document", name)
			}
			if st.Filled != 0 || len(st.Missing) != 0 {
				t.Errorf("Fill(%s) stats = %+v", name, st)
			}
		}
	}
}

// TestFillOneUnit: filling one unit changes only that unit's lines.
func TestFillOneUnit(t *testing.T) {
	in := sample(t, "filters", "xliff", "filters4-xliff1", "en-ca.xlf")
	var out bytes.Buffer
	k := Key{File: "/home/marc/Escriptori/Test1.en", Unit: "2"}
	st, err := Fill(bytes.NewReader(in), &out, map[Key]Translation{k: {Target: corpora.Text("Això és una altra prova, <revisada>")}}, FillOptions{})
	if err != nil || st.Filled != 1 {
		t.Fatalf("Fill = %+v, %v", st, err)
	}
	a, b := strings.Split(string(in), "\n"), strings.Split(out.String(), "\n")
	if len(a) != len(b) {
		t.Fatalf("output has %d lines, input %d", len(b), len(a))
	}
	var changed []int
	for i := range a {
		if a[i] != b[i] {
			changed = append(changed, i+1)
		}
	}
	if len(changed) != 1 || changed[0] != 11 || b[10] != `<target xml:lang="ca" state="translated">Això és una altra prova, &lt;revisada&gt;</target>` {
		t.Errorf("changed lines %v: %q", changed, b[10])
	}
}

func TestFillUTF16(t *testing.T) {
	tr := map[Key]Translation{{File: "a.properties", Unit: "a"}: {Target: corpora.Text("Öffnen")}}
	var want bytes.Buffer
	if _, err := Fill(strings.NewReader(doc12), &want, tr, FillOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, little := range []bool{true, false} {
		in := toUTF16(t, strings.Replace(doc12, `encoding="UTF-8"`, `encoding="UTF-16"`, 1), little, true)
		var out bytes.Buffer
		if _, err := Fill(bytes.NewReader(in), &out, tr, FillOptions{}); err != nil {
			t.Fatal(err)
		}
		wantUTF16 := toUTF16(t, strings.Replace(want.String(), `encoding="UTF-8"`, `encoding="UTF-16"`, 1), little, true)
		if !bytes.Equal(out.Bytes(), wantUTF16) {
			t.Errorf("UTF-16 (little endian %v) output is not the UTF-8 output in UTF-16", little)
		}
	}
	// A charset the text of the translation does not fit in.
	latin1, _ := charmap.ISO8859_1.NewEncoder().Bytes([]byte(strings.Replace(doc12, `encoding="UTF-8"`, `encoding="ISO-8859-1"`, 1)))
	var out bytes.Buffer
	tr = map[Key]Translation{{File: "a.properties", Unit: "a"}: {Target: corpora.Text("Öffnen ✓")}}
	if _, err := Fill(bytes.NewReader(latin1), &out, tr, FillOptions{}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(out.Bytes(), []byte("\xd6ffnen &#10003;</target>")) {
		t.Errorf("latin-1 output lacks the translation in latin-1: %q", out.Bytes())
	}
	us, err := readAll(t, out.Bytes(), corpora.ReadOptions{})
	if err != nil || us[0].Target.Plain() != "Öffnen ✓" {
		t.Errorf("latin-1 output reads back as %v, %v", us, err)
	}
}

func TestFillErrors(t *testing.T) {
	tr := map[Key]Translation{{File: "f", Unit: "u1"}: {Target: corpora.Text("x")}, {File: "f", Unit: "u2"}: {Target: corpora.Text("x")}}
	tests := []struct {
		name, in string
		line     int
		msg      string
	}{
		{"empty", "", 1, "file is empty"},
		{"not xliff", "<tmx/>", 1, "not <xliff>"},
		{"no trgLang", fillDoc2, 1, "no trgLang"},
		{"truncated", strings.Replace(fillDoc2, `srcLang="en"`, `srcLang="en" trgLang="de"`, 1)[:300], 7, "truncated"},
		{"truncated unit", strings.Replace(fillDoc2, `srcLang="en"`, `srcLang="en" trgLang="de"`, 1)[:620], 16, "truncated"},
		{"charset", `<?xml version="1.0" encoding="x-no-such"?><xliff/>`, 0, `unsupported encoding "x-no-such"`},
		{"long declaration", "<?xml version=\"1.0\"" + strings.Repeat(" ", 5000) + "?><xliff/>", 0, "does not end"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Fill(strings.NewReader(tt.in), &bytes.Buffer{}, tr, FillOptions{Name: "in.xlf"})
			var pe *corpora.ParseError
			if !errors.As(err, &pe) || pe.File != "in.xlf" || pe.Line != tt.line || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("Fill error = %v, want in.xlf:%d: …%s…", err, tt.line, tt.msg)
			}
		})
	}
}

// TestFillOddPlaces: units whose parts are in unusual places.
func TestFillOddPlaces(t *testing.T) {
	in := hostile(`<trans-unit id="a"><note>before</note><source>A</source></trans-unit>
<trans-unit><source>no id</source></trans-unit>
<group translate="no"><group><trans-unit id="b"><source>B</source></trans-unit></group></group>
<trans-unit id="c"><source>C</source><target/></trans-unit>
`)
	tr := map[Key]Translation{
		{File: "f", Unit: "a"}: {Target: corpora.Text("a")},
		{File: "f", Unit: ""}:  {Target: corpora.Text("?")},
		{File: "f", Unit: "b"}: {Target: corpora.Text("b")},
		{File: "f", Unit: "c"}: {Target: corpora.Text("c")},
	}
	var out bytes.Buffer
	st, err := Fill(strings.NewReader(in), &out, tr, FillOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := hostile(`<trans-unit id="a"><note>before</note><source>A</source><target state="translated">a</target></trans-unit>
<trans-unit><source>no id</source></trans-unit>
<group translate="no"><group><trans-unit id="b"><source>B</source></trans-unit></group></group>
<trans-unit id="c"><source>C</source><target state="translated">c</target></trans-unit>
`)
	if out.String() != want {
		t.Errorf("Fill output:\n%s\nwant:\n%s", out.String(), want)
	}
	if st.Filled != 2 || len(st.Missing) != 2 || st.Missing[0].Unit != "" || st.Missing[1].Unit != "b" {
		t.Errorf("stats = %+v", st)
	}
}

// TestFillKeepsWhatItDoesNotFill fills one unit of a document whose units
// repeat an id: the approved unit with the same id, and every other unit,
// stay byte for byte; the filled target gets the target language in place
// of the "xx" it had, and the state asked for.
func TestFillKeepsWhatItDoesNotFill(t *testing.T) {
	head := `<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
  <file original="ui" source-language="en" target-language="es" datatype="plaintext">
    <body>
      <trans-unit id="a" approved="yes">
        <source>Delete Note</source>
        <target xml:lang="es" state="final">Eliminar nota</target>
      </trans-unit>
`
	repeated := `      <trans-unit id="a">
        <source>Open the file</source>
        <target xml:lang="xx"/>
      </trans-unit>
`
	tail := `      <trans-unit id="b" approved="yes">
        <source>Sync now</source>
        <target state="signed-off">Sincronizar ahora</target>
      </trans-unit>
    </body>
  </file>
</xliff>
`
	doc := head + repeated + tail
	units, err := readAll(t, []byte(doc), corpora.ReadOptions{})
	if err != nil || len(units) != 3 {
		t.Fatalf("read %d units, %v", len(units), err)
	}
	if k := KeyOf(units[1]); k != (Key{File: "ui", Unit: "a", Repeat: 1}) || KeyOf(units[0]).Repeat != 0 {
		t.Fatalf("keys of the units with id a: %v and %v", KeyOf(units[0]), k)
	}
	tr := map[Key]Translation{KeyOf(units[1]): {Target: corpora.Text("Abrir el archivo"), Status: corpora.StatusMachine}}
	var out bytes.Buffer
	st, err := Fill(strings.NewReader(doc), &out, tr, FillOptions{})
	if err != nil || st.Filled != 1 {
		t.Fatalf("Fill = %+v, %v", st, err)
	}
	want := head + `      <trans-unit id="a">
        <source>Open the file</source>
        <target xml:lang="es" state="needs-review-translation" state-qualifier="mt-suggestion">Abrir el archivo</target>
      </trans-unit>
` + tail
	if out.String() != want {
		t.Errorf("Fill wrote:\n%s\nwant:\n%s", out.String(), want)
	}
}
