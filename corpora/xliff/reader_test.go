package xliff

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/internal/testenv"
)

// readAll reads every unit of a document.
func readAll(t testing.TB, data []byte, opts corpora.ReadOptions) ([]*corpora.Unit, error) {
	t.Helper()
	r, err := NewReader(bytes.NewReader(data), opts)
	if err != nil {
		return nil, err
	}
	var us []*corpora.Unit
	for {
		u, err := r.Next()
		if err == io.EOF {
			return us, nil
		}
		if err != nil {
			return us, err
		}
		us = append(us, u)
	}
}

// sample returns the bytes of a file of the shared OmegaT data.
func sample(t testing.TB, elem ...string) []byte {
	t.Helper()
	p := testenv.SharedData(t, append([]string{"formats", "omegat"}, elem...)...)
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// codeString describes a segment's codes compactly for comparisons:
// kind/element/id, with native content in brackets.
func codeString(s corpora.Segment) string {
	var parts []string
	for _, c := range s.Codes() {
		p := c.Kind.String()[:1] + "/" + c.Element + "/" + c.ID
		if c.Native != "" {
			p += "[" + c.Native + "]"
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, " ")
}

func TestReadSamples(t *testing.T) {
	type want struct {
		index    int
		id       string
		src, tgt string
		codes    string // of the target, or of the source when the target has none
		status   corpora.Status
		context  string
		notes    string
	}
	tests := []struct {
		path       []string
		version    string
		count      int
		srcL, trgL string
		units      []want
		props      map[int]map[string]string
	}{
		{
			path: []string{"filters", "xliff", "filters3", "file-XLIFFFilter-tags.xlf"}, version: "1.2", count: 10, srcL: "en", trgL: "be",
			units: []want{
				{index: 0, src: "source", tgt: "Link to http://localhost.", codes: "o/mrk/ c/mrk/", status: corpora.StatusUnspecified},
				{index: 1, id: "7", context: "7", src: "About Gandalf", tgt: "About Gandalf", codes: "o/bpt/1[&lt;b&gt;] c/ept/1[&lt;/b&gt;]"},
				{index: 2, tgt: "Tags translation zz2z -NONTRANSLATED", codes: "o/bpt/1[&lt;i&gt;] c/ept/1[&lt;/i&gt;] o/bpt/2[&lt;ig&gt;] c/ept/2[&lt;/ig&gt;] s/it/[&lt;bbb]", src: "source"},
				{index: 6, src: "source", tgt: "one  three", codes: "s/ph/[two]"},
				{index: 8, src: "source", tgt: "Nested tags: before  after", codes: "o/g/0 o/g/1 s/x/2 c/g/1 c/g/0"},
			},
		},
		{
			path: []string{"filters", "xliff", "filters3", "file-xliff-BUGS1221.xlf"}, version: "1.2", count: 7, srcL: "de-DE", trgL: "en-GB",
			units: []want{
				{index: 0, id: "P33F30884-sub1#0", src: "ENTWURF", tgt: "DRAFT", status: corpora.StatusTranslated},
				{index: 1, id: "P3E6DCAE8-tu1", src: "", tgt: "", codes: "s/x/1", status: corpora.StatusTranslated},
				{index: 4, id: "P3953B09A-tu1#1", src: "/", tgt: "/", status: corpora.StatusTranslated},
			},
			props: map[int]map[string]string{
				0: {PropFile: "word/header1.xml", PropUnit: "P33F30884-sub1", PropSegment: "0", PropState: "translated", PropDatatype: "x-undefined"},
				4: {PropFile: "word/footer1.xml", PropSegment: "1"},
			},
		},
		{
			path: []string{"filters", "xliff", "filters3", "file-XLIFFFilter-cdata-bugs418.xlf"}, version: "1.2", count: 4, srcL: "en", trgL: "be",
			units: []want{
				{index: 0, id: "id1", src: "This is test2", status: corpora.StatusUntranslated},
				{index: 2, id: "id3", src: "This is <test", tgt: "tr1=This is <test"},
			},
			props: map[int]map[string]string{0: {PropFile: "text3.txt"}, 2: {PropFile: "text.txt"}},
		},
		{
			path: []string{"filters", "xliff", "filters3", "file-XLIFFFilter-properties.xlf"}, version: "1.2", count: 2, srcL: "en", trgL: "be",
			units: []want{
				{index: 0, src: "This is test", tgt: "tr1=This is test", notes: "foo"},
				{index: 1, src: "test2", tgt: "tr2=test2", notes: "bar", context: "baz"},
			},
		},
		{
			path: []string{"filters", "xliff", "filters3", "file-xliff-RFE1506.xliff"}, version: "1.2", count: 5, srcL: "en", trgL: "ja",
			units: []want{
				{index: 0, id: "5078", src: "1.0.1", tgt: "1.0.1", status: corpora.StatusUntranslated},
				{index: 1, id: "5086", src: "foo", tgt: "bar", status: corpora.StatusApproved},
				{index: 2, id: "5088", src: "Organization", tgt: "組織", status: corpora.StatusApproved},
			},
		},
		{
			path: []string{"filters", "xliff", "filters3", "file-XLIFFFilter-SMP.xlf"}, version: "1.2", count: 1, srcL: "en", trgL: "be",
			units: []want{{index: 0, src: "source", tgt: "𝐅𝐈𝐑𝐒𝐓𝐌𝐀𝐑𝐊 𝐌𝐀𝐑𝐊2𝐂𝐔𝐒𝐓𝐎𝐌", codes: "o/mrk/ c/mrk/ o/mrk/ c/mrk/"}},
		},
		{
			// The fourth trans-unit is translate="no".
			path: []string{"filters", "xliff", "filters4-xliff1", "en-ca.xlf"}, version: "1.2", count: 3, srcL: "en", trgL: "ca",
			units: []want{{index: 2, id: "3", src: "This is a house", tgt: "Això és una casa"}},
		},
		{
			// "xx" is no language; Added_2 is translate="no".
			path: []string{"filters", "xliff", "filters4-xliff1", "en-xx.xlf"}, version: "1.2", count: 7, srcL: "en", trgL: "und",
			units: []want{
				{index: 1, id: "example_02", src: "foo", tgt: "bar", status: corpora.StatusApproved},
				{index: 3, id: "satisfaction_00_masc", src: "Are you satisfied?", status: corpora.StatusUntranslated, notes: "Adressed to ALL respondents."},
				{index: 6, id: "Added_1", src: "Added and translated", status: corpora.StatusUntranslated},
			},
		},
		{
			path: []string{"filters", "xliff", "filters4-xliff1", "file-XLIFFFilter1-multiple-file-tag.xlf"}, version: "1.2", count: 2, srcL: "en", trgL: "be",
			units: []want{{index: 0, id: "id1", src: "This is text3", status: corpora.StatusUntranslated}, {index: 1, id: "id2", src: "test2", status: corpora.StatusUntranslated}},
			props: map[int]map[string]string{0: {PropFile: "text3.txt"}, 1: {PropFile: "text.txt"}},
		},
		{
			// paragraph-12 is translate="no".
			path: []string{"filters", "xliff", "filters4-xliff2", "ex.9.5.xlf"}, version: "2.0", count: 7, srcL: "en", trgL: "und",
			units: []want{
				{index: 0, id: "title-2", context: "title", src: "Birds in Oregon", status: corpora.StatusUntranslated},
				{index: 2, id: "title-5", context: "title", src: "High Altitude Birds", tgt: "Oiseaux de haute altitude", codes: "o/sc/1"},
				{index: 6, id: "title-11", context: "title", src: "Desert Birds", status: corpora.StatusUntranslated},
			},
			props: map[int]map[string]string{2: {PropFile: "groups", PropUnit: "title-5", PropSegment: "seg-title5"}},
		},
		{
			path: []string{"filters", "xliff", "filters4-xliff2", "ex.14.5.xlf"}, version: "2.0", count: 2, srcL: "en", trgL: "pt",
			units: []want{
				{index: 0, id: "1", src: "It was a unique\n          bill..\n        ", codes: "o/mrk/m1 c/mrk/m1", status: corpora.StatusUntranslated},
				{index: 1, id: "g1", src: "Many birds have unique bills.", status: corpora.StatusUntranslated},
			},
		},
		{
			// UTF-8 with BOM, version 1.0, <alt-trans> that are not units.
			path: []string{"tmx", "TMXComplianceKit", "ExportTest1E.xlf"}, version: "1.0", count: 4, srcL: "en-US", trgL: "fr-CA",
			units: []want{
				{index: 0, id: "1", context: "id100", src: "Text with 3 spaces [   ] and 2 [  ]", tgt: "Text with 3 spaces [   ] and 2 [  ]"},
				{index: 2, id: "3", context: "id102", src: "<=lt, >=gt, &=amp, {=obrace, }=cbrace", tgt: "<=lt, >=gt, &=amp, {=obrace, }=cbrace"},
				{index: 3, id: "4", context: "id103", src: "é=eacute, \u00a0=nbsp, ¤=curr, ÿ=yumlaut, ©=copy, §=para", tgt: "é=eacute, \u00a0=nbsp, ¤=curr, ÿ=yumlaut, ©=copy, §=para"},
			},
		},
	}
	for _, tt := range tests {
		name := tt.path[len(tt.path)-1]
		t.Run(name, func(t *testing.T) {
			data := sample(t, tt.path...)
			r, err := NewReader(bytes.NewReader(data), corpora.ReadOptions{Name: name})
			if err != nil {
				t.Fatal(err)
			}
			if r.Version() != tt.version {
				t.Errorf("Version() = %q, want %q", r.Version(), tt.version)
			}
			us, err := readAll(t, data, corpora.ReadOptions{Name: name})
			if err != nil {
				t.Fatal(err)
			}
			if len(us) != tt.count {
				t.Fatalf("read %d units, want %d", len(us), tt.count)
			}
			for i, u := range us {
				if u.Origin.Index != i || u.Origin.File != name || u.Origin.Line == 0 {
					t.Errorf("unit %d: Origin = %+v", i, u.Origin)
				}
				if u.SourceLang.String() != tt.srcL || u.TargetLang.String() != tt.trgL {
					t.Errorf("unit %d: languages %v>%v, want %s>%s", i, u.SourceLang, u.TargetLang, tt.srcL, tt.trgL)
				}
			}
			for _, w := range tt.units {
				u := us[w.index]
				if u.ID != w.id || u.Source.Plain() != w.src || u.Target.Plain() != w.tgt || u.Context != w.context {
					t.Errorf("unit %d = id %q ctx %q %q → %q, want id %q ctx %q %q → %q", w.index, u.ID, u.Context, u.Source.Plain(), u.Target.Plain(), w.id, w.context, w.src, w.tgt)
				}
				seg := u.Target
				if !seg.HasCodes() {
					seg = u.Source
				}
				if got := codeString(seg); got != w.codes {
					t.Errorf("unit %d codes = %q, want %q", w.index, got, w.codes)
				}
				if u.Status != w.status {
					t.Errorf("unit %d Status = %v, want %v", w.index, u.Status, w.status)
				}
				if got := strings.Join(u.Notes, "|"); got != w.notes {
					t.Errorf("unit %d Notes = %q, want %q", w.index, got, w.notes)
				}
			}
			for i, props := range tt.props {
				for typ, want := range props {
					if got, _ := us[i].Prop(typ); got != want {
						t.Errorf("unit %d Prop(%q) = %q, want %q", i, typ, got, want)
					}
				}
			}
		})
	}
}

// TestReadInvalidContent: the sample's target holds U+0008, which XML 1.0
// does not allow.
func TestReadInvalidContent(t *testing.T) {
	data := sample(t, "filters", "xliff", "filters3", "file-XLIFFFilter-invalid-content.xlf")
	_, err := readAll(t, data, corpora.ReadOptions{Name: "bad.xlf"})
	var pe *corpora.ParseError
	if !errors.As(err, &pe) {
		t.Fatalf("error = %v, want a *corpora.ParseError", err)
	}
	if pe.Line != 7 || pe.File != "bad.xlf" || !strings.Contains(pe.Error(), "illegal character code U+0008") {
		t.Errorf("error = %v, want bad.xlf:7: illegal character code U+0008", err)
	}
}

const doc2 = `<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.1" srcLang="en-US" trgLang="es">
  <file id="f1">
    <notes><note>file note, not a unit's</note></notes>
    <unit id="u1" name="greeting">
      <notes>
        <note category="x">Say hello</note>
      </notes>
      <originalData>
        <data id="d1">&lt;b&gt;</data>
        <data id="d2">&lt;/b&gt;</data>
        <data id="d3">&lt;br/&gt;<cp hex="0001"/></data>
      </originalData>
      <segment id="s1" state="final">
        <source><pc id="1" dataRefStart="d1" dataRefEnd="d2">Hello</pc> world<ph id="2" dataRef="d3"/>!</source>
        <target><pc id="1" dataRefStart="d1" dataRefEnd="d2">Hola</pc> mundo<ph id="2" dataRef="d3"/>!</target>
      </segment>
      <ignorable>
        <source> </source>
      </ignorable>
      <segment>
        <source>Bell<cp hex="0007"/> <sc id="3" type="fmt"/>on<ec startRef="3"/> <sm id="m1" type="term"/>off<em startRef="m1"/></source>
        <target>Campana<cp hex="0007"/></target>
      </segment>
    </unit>
    <group id="g" translate="no">
      <unit id="u2"><segment><source>Not to translate</source></segment></unit>
    </group>
    <unit id="u3">
      <segment state="translated" subState="kgmem:mt"><source>Machine</source><target>Máquina</target></segment>
    </unit>
  </file>
</xliff>
`

func TestRead2(t *testing.T) {
	us, err := readAll(t, []byte(doc2), corpora.ReadOptions{Name: "doc2.xlf"})
	if err != nil {
		t.Fatal(err)
	}
	if len(us) != 3 {
		t.Fatalf("read %d units, want 3", len(us))
	}
	u := us[0]
	if u.ID != "u1#s1" || u.Context != "greeting" || u.Status != corpora.StatusApproved || strings.Join(u.Notes, "|") != "Say hello" {
		t.Errorf("unit 0 = %q %q %v %q", u.ID, u.Context, u.Status, u.Notes)
	}
	if got, want := codeString(u.Target), "o/pc/1[&lt;b&gt;] c/pc/1[&lt;/b&gt;] s/ph/2[&lt;br/&gt;<cp hex=\"0001\"></cp>]"; got != want {
		t.Errorf("unit 0 target codes = %q, want %q", got, want)
	}
	if u.Source.Plain() != "Hello world!" || u.Target.Plain() != "Hola mundo!" {
		t.Errorf("unit 0 = %q → %q", u.Source.Plain(), u.Target.Plain())
	}
	if k := KeyOf(u); k != (Key{File: "f1", Unit: "u1", Segment: "s1"}) {
		t.Errorf("KeyOf(unit 0) = %v", k)
	}
	u = us[1]
	if u.ID != "u1##2" || u.Source.Plain() != "Bell\a on off" || u.Target.Plain() != "Campana\a" {
		t.Errorf("unit 1 = %q %q → %q", u.ID, u.Source.Plain(), u.Target.Plain())
	}
	if got, want := codeString(u.Source), "o/sc/3 c/ec/3 o/sm/m1 c/em/m1"; got != want {
		t.Errorf("unit 1 source codes = %q, want %q", got, want)
	}
	if c := u.Source.Codes()[0]; len(c.Attrs) != 1 || c.Attrs[0] != (corpora.Attr{Name: "type", Value: "fmt"}) {
		t.Errorf("sc attrs = %v", c.Attrs)
	}
	if u.Status != corpora.StatusUnspecified || u.SourceLang != language.AmericanEnglish || u.TargetLang != language.Spanish {
		t.Errorf("unit 1 status %v langs %v>%v", u.Status, u.SourceLang, u.TargetLang)
	}
	if us[2].ID != "u3" || us[2].Status != corpora.StatusMachine {
		t.Errorf("unit 2 = %q %v", us[2].ID, us[2].Status)
	}
}

const doc12 = `<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2" xmlns:x="urn:example">
  <file original="a.properties" source-language="en" target-language="de" datatype="javapropertyresourcebundle">
    <header><note>header note</note></header>
    <body>
      <group id="g1" translate="no">
        <trans-unit id="skip"><source>Skip</source></trans-unit>
      </group>
      <group id="g2">
        <trans-unit id="a" resname="key.a" x:custom="1">
          <source>Open <g id="1" ctype="bold">the <x id="2"/> file</g></source>
          <target state="needs-review-translation" state-qualifier="leveraged-mt">Öffne <g id="1" ctype="bold">die <x id="2"/> Datei</g></target>
          <alt-trans><target>Not a unit</target></alt-trans>
          <context-group purpose="location"><context context-type="sourcefile">a.java</context></context-group>
          <note from="dev">First</note>
          <note>Second</note>
        </trans-unit>
        <trans-unit id="b">
          <source>Two. Three.</source>
          <seg-source><mrk mtype="seg" mid="1">Two.</mrk> <mrk mtype="seg" mid="2">Three.</mrk></seg-source>
          <target state="signed-off"><mrk mtype="seg" mid="1">Zwei.</mrk> <mrk mtype="seg" mid="2">Drei.</mrk></target>
        </trans-unit>
      </group>
    </body>
  </file>
</xliff>
`

func TestRead12(t *testing.T) {
	us, err := readAll(t, []byte(doc12), corpora.ReadOptions{Name: "doc12.xlf"})
	if err != nil {
		t.Fatal(err)
	}
	if len(us) != 3 {
		t.Fatalf("read %d units, want 3", len(us))
	}
	u := us[0]
	if u.ID != "a" || u.Context != "key.a" || u.Status != corpora.StatusMachine || u.Origin.Line != 10 {
		t.Errorf("unit 0 = %q %q %v line %d", u.ID, u.Context, u.Status, u.Origin.Line)
	}
	if got := strings.Join(u.Notes, "|"); got != "First|Second" {
		t.Errorf("notes = %q", got)
	}
	if v, _ := u.Prop("context:sourcefile"); v != "a.java" {
		t.Errorf("context prop = %q", v)
	}
	if got, want := codeString(u.Target), "o/g/1 s/x/2 c/g/1"; got != want {
		t.Errorf("codes = %q, want %q", got, want)
	}
	if c := u.Target.Codes()[0]; !c.Paired || len(c.Attrs) != 1 || c.Attrs[0].Name != "ctype" {
		t.Errorf("g code = %+v", c)
	}
	for i, want := range [][3]string{{"b#1", "Two.", "Zwei."}, {"b#2", "Three.", "Drei."}} {
		u := us[i+1]
		if u.ID != want[0] || u.Source.Plain() != want[1] || u.Target.Plain() != want[2] || u.Status != corpora.StatusApproved {
			t.Errorf("segment %d = %q %q → %q %v, want %q", i, u.ID, u.Source.Plain(), u.Target.Plain(), u.Status, want)
		}
	}
}

func TestReadLanguageFilter(t *testing.T) {
	for _, tt := range []struct {
		src, trg string
		want     int
	}{
		{"", "", 3}, {"en", "", 3}, {"en", "de", 3}, {"fr", "", 0}, {"en", "de-AT", 0}, {"", "fr", 0},
	} {
		opts := corpora.ReadOptions{}
		if tt.src != "" {
			opts.SourceLang = corpora.MustParseLang(tt.src)
		}
		if tt.trg != "" {
			opts.TargetLang = corpora.MustParseLang(tt.trg)
		}
		us, err := readAll(t, []byte(doc12), opts)
		if err != nil || len(us) != tt.want {
			t.Errorf("read with %s>%s: %d units, %v; want %d", tt.src, tt.trg, len(us), err, tt.want)
		}
	}
}

// hostile wraps units in a 1.2 document.
func hostile(units string) string {
	return "<xliff version=\"1.2\">\n<file original=\"f\" source-language=\"en\">\n<body>\n" + units + "</body>\n</file>\n</xliff>\n"
}

func TestReadHostile(t *testing.T) {
	deep := "<xliff version=\"1.2\">\n<file original=\"f\" source-language=\"en\"><body><trans-unit id=\"1\"><source>" +
		strings.Repeat("<g id=\"1\">", 200000) + "x"
	bomb := `<?xml version="1.0"?>
<!DOCTYPE xliff [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
<xliff version="1.2"><file original="f" source-language="en"><body>
<trans-unit id="1"><source>&b;</source></trans-unit></body></file></xliff>`
	tests := []struct {
		name, in string
		opts     corpora.ReadOptions
		line     int
		msg      string
	}{
		{"empty", "", corpora.ReadOptions{}, 1, "file is empty"},
		{"blank", "  \n\n", corpora.ReadOptions{}, 3, "no root element"},
		{"not xliff", "<?xml version=\"1.0\"?>\n<tmx version=\"1.4\"/>", corpora.ReadOptions{}, 2, "root element is <tmx>, not <xliff>"},
		{"version", "<xliff version=\"3.0\"/>", corpora.ReadOptions{}, 1, `XLIFF version "3.0" is not supported`},
		{"no source-language", "<xliff version=\"1.2\">\n<file original=\"f\">", corpora.ReadOptions{}, 2, "<file> has no source-language"},
		{"bad source-language", "<xliff version=\"1.2\">\n<file original=\"f\" source-language=\"e n\">", corpora.ReadOptions{}, 2, "<file> source-language"},
		{"no srcLang", "<xliff xmlns=\"urn:oasis:names:tc:xliff:document:2.0\" version=\"2.0\">", corpora.ReadOptions{}, 1, "<xliff> has no srcLang"},
		{"truncated", strings.TrimSuffix(hostile(""), "</body>\n</file>\n</xliff>\n") + "<trans-unit id=\"1\"><source>abc", corpora.ReadOptions{}, 4, "truncated"},
		{"truncated tag", strings.TrimSuffix(hostile(""), "</body>\n</file>\n</xliff>\n") + "<trans-unit id=\"1\"><sou", corpora.ReadOptions{}, 4, "truncated"},
		{"mismatched", hostile("<trans-unit id=\"1\"><source>a</target></trans-unit>\n"), corpora.ReadOptions{}, 4, "element <source> closed by </target>"},
		{"no source", hostile("<trans-unit id=\"1\">\n<target>a</target>\n</trans-unit>\n"), corpora.ReadOptions{}, 6, `<trans-unit id="1"> has no <source>`},
		{"entity bomb", bomb, corpora.ReadOptions{}, 4, "invalid character entity &b;"},
		{"deep", deep, corpora.ReadOptions{}, 2, "nested more than 256 deep"},
		{"too large", hostile("<trans-unit id=\"1\"><source>0123456789abcdef</source></trans-unit>\n"), corpora.ReadOptions{Limits: corpora.Limits{MaxUnitBytes: 8}}, 4, "more than 8 bytes"},
		{"bad utf-8", hostile("<trans-unit id=\"1\"><source>a\xff\xfeb</source></trans-unit>\n"), corpora.ReadOptions{}, 4, "invalid UTF-8"},
		{"bad cp", "<xliff xmlns=\"urn:oasis:names:tc:xliff:document:2.0\" version=\"2.0\" srcLang=\"en\">\n<file id=\"f\"><unit id=\"u\"><segment>\n<source>a<cp hex=\"D800\"/></source>\n</segment></unit></file></xliff>", corpora.ReadOptions{}, 3, `<cp> hex="D800" is not a Unicode code point`},
		{"random", "\x00\x01\x02\xff\xfe\x10garbage<<<>>>", corpora.ReadOptions{}, 1, ""},
		{"utf-16 declared, utf-8 bytes", "<?xml version=\"1.0\" encoding=\"UTF-16\"?><xliff/>", corpora.ReadOptions{}, 1, "not UTF-16"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opts.Name = "in.xlf"
			_, err := readAll(t, []byte(tt.in), tt.opts)
			var pe *corpora.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error = %v (%T), want a *corpora.ParseError", err, err)
			}
			if pe.File != "in.xlf" || (tt.line != 0 && pe.Line != tt.line) || !strings.Contains(pe.Error(), tt.msg) {
				t.Errorf("error = %v, want in.xlf:%d: …%s…", err, tt.line, tt.msg)
			}
			if strings.Contains(tt.name, "large") && !errors.Is(err, corpora.ErrTooLarge) {
				t.Errorf("error = %v, want ErrTooLarge", err)
			}
		})
	}
}

func TestReadLenient(t *testing.T) {
	in := hostile(`<trans-unit id="1"><source>one</source></trans-unit>
<trans-unit id="2">
<target>no source</target>
</trans-unit>
<trans-unit id="3"><source>three</source></trans-unit>
<trans-unit id="4"><source>0123456789 0123456789 0123456789</source></trans-unit>
<trans-unit id="5"><source>five</source></trans-unit>
`)
	var skips []corpora.Skip
	opts := corpora.ReadOptions{Name: "l.xlf", Lenient: true, OnSkip: func(s corpora.Skip) { skips = append(skips, s) }, Limits: corpora.Limits{MaxUnitBytes: 20}}
	us, err := readAll(t, []byte(in), opts)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, u := range us {
		ids = append(ids, u.ID)
	}
	if got := strings.Join(ids, ","); got != "1,3,5" {
		t.Errorf("units = %s, want 1,3,5", got)
	}
	if len(skips) != 2 || skips[0].Line != 7 || !strings.Contains(skips[0].Reason, "has no <source>") ||
		skips[1].Line != 9 || !strings.Contains(skips[1].Reason, "more than 20 bytes") || skips[0].File != "l.xlf" {
		t.Errorf("skips = %+v", skips)
	}
	if us[2].Origin.Index != 2 {
		t.Errorf("index of unit 5 = %d, want 2", us[2].Origin.Index)
	}
	// Strictly, the bad unit fails the read.
	opts.Lenient = false
	if _, err := readAll(t, []byte(in), opts); err == nil || !strings.Contains(err.Error(), "l.xlf:7") {
		t.Errorf("strict read error = %v, want l.xlf:7", err)
	}
}

func TestReadUTF16(t *testing.T) {
	for _, enc := range []string{"utf-16le", "utf-16be"} {
		data := toUTF16(t, doc12, enc == "utf-16le", true)
		us, err := readAll(t, data, corpora.ReadOptions{})
		if err != nil || len(us) != 3 || us[0].Target.Plain() != "Öffne die  Datei" {
			t.Errorf("%s: %d units, %v", enc, len(us), err)
		}
	}
}

func TestSniff(t *testing.T) {
	tests := []struct {
		head string
		want bool
	}{
		{`<?xml version="1.0"?><xliff version="1.2">`, true},
		{"\uFEFF<?xml version=\"1.0\"?>\n<!-- c -->\n<xliff", true},
		{`<x:xliff xmlns:x="urn:oasis:names:tc:xliff:document:2.0" version="2.0">`, true},
		{`<!DOCTYPE x [<!ENTITY a "b">]><xliff version="1.2">`, true},
		{`<?xml version="1.0"?><tmx version="1.4">`, false},
		{"msgid \"\"\nmsgstr \"\"", false},
		{"", false},
		{"xliff", false},
	}
	for _, tt := range tests {
		if got := Sniff([]byte(tt.head)); got != tt.want {
			t.Errorf("Sniff(%q) = %v, want %v", tt.head, got, tt.want)
		}
	}
	if !Sniff(toUTF16(t, `<?xml version="1.0" encoding="UTF-16"?><xliff version="1.2">`, true, true)) {
		t.Error("Sniff(UTF-16LE XLIFF) = false")
	}
	if !Sniff(toUTF16(t, `<xliff version="1.2">`, false, false)) {
		t.Error("Sniff(UTF-16BE XLIFF without BOM) = false")
	}
	files, _ := filepath.Glob(filepath.Join(testenv.SharedData(t, "formats", "omegat", "filters", "xliff"), "*", "*.xl*"))
	for _, f := range files {
		b, _ := os.ReadFile(f)
		if len(b) > 4096 {
			b = b[:4096]
		}
		if !Sniff(b) {
			t.Errorf("Sniff(%s) = false", filepath.Base(f))
		}
	}
}

// TestReadManyPieces: text broken up by many comments is read in linear
// time (appending each piece to a string would copy the text each time).
func TestReadManyPieces(t *testing.T) {
	in := hostile(`<trans-unit id="1"><source>` + strings.Repeat("ab<!---->", 300000) + `</source></trans-unit>`)
	us, err := readAll(t, []byte(in), corpora.ReadOptions{Limits: corpora.Limits{MaxSegmentBytes: 1 << 20}})
	if err != nil || len(us) != 1 || len(us[0].Source.Plain()) != 600000 {
		t.Fatalf("read %d units, %v", len(us), err)
	}
	var out bytes.Buffer
	if _, err := Fill(strings.NewReader(in), &out, map[Key]Translation{{File: "f", Unit: "1"}: {Target: corpora.Text("x")}}, FillOptions{}); err != nil {
		t.Fatal(err)
	}
}
