package tmx

import (
	"bytes"
	"errors"
	"io"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"golang.org/x/text/encoding/charmap"

	"github.com/kgmem/kgmem/corpora"
)

// doc wraps <tu>s in a TMX document whose <body> starts on line 2.
func doc(tus string) string {
	return `<tmx version="1.4"><header srclang="en" datatype="plaintext"/>` + "\n<body>" + tus + "</body></tmx>\n"
}

// tu is a <tu> of English and German.
func tu(en, de string) string {
	return `<tu><tuv xml:lang="en"><seg>` + en + `</seg></tuv><tuv xml:lang="de"><seg>` + de + `</seg></tuv></tu>`
}

func utf16le(s string) []byte {
	u := utf16.Encode([]rune(s))
	b := []byte{0xFF, 0xFE}
	for _, c := range u {
		b = append(b, byte(c), byte(c>>8))
	}
	return b
}

// TestHostile feeds bad input and checks the error and its line. Every case
// also goes through encoding/xml (xmlread), which must fail too, on the same
// line when sameLine is set.
func TestHostile(t *testing.T) {
	deep := strings.Repeat("<hi>", 300_000)
	u16 := string(utf16le(`<tmx version="1.4"><header srclang="en"/><body>` + "\n<tu><tuv xml:lang=\"en\"><seg>abc"))
	bomb := `<?xml version="1.0"?>
<!DOCTYPE tmx [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<tmx version="1.4"><header srclang="en"/><body>
<tu><tuv xml:lang="en"><seg>&lol3;</seg></tuv><tuv xml:lang="de"><seg>x</seg></tuv></tu>
</body></tmx>`
	xxe := `<!DOCTYPE tmx [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><tmx><header srclang="en"/><body>` + "\n" + tu("&xxe;", "b") + `</body></tmx>`
	tests := []struct {
		name     string
		in       string
		limits   corpora.Limits
		line     int
		err      string
		sameLine bool
		is       error
		// xmlAccepts: encoding/xml is laxer than the scanner here.
		xmlAccepts bool
	}{
		{name: "empty", in: "", err: "file is empty", sameLine: true},
		{name: "white space", in: " \n\t\n ", err: "file is empty", sameLine: true},
		{name: "only BOM", in: "\xEF\xBB\xBF", err: "file is empty", sameLine: true},
		{name: "only UTF-16 BOM", in: "\xFF\xFE", err: "file is empty", sameLine: true},
		{name: "only prolog", in: "<?xml version='1.0'?>\n<!-- nothing -->\n", line: 3, err: "the file ends before its root element; this is not a TMX file", sameLine: true},
		{name: "not TMX", in: "<?xml version='1.0'?>\n<xliff version='1.2'/>", line: 2, err: "the root element is <xliff>, not <tmx>; this is not a TMX file", sameLine: true},
		{name: "not XML", in: "source\ttarget\n", line: 1, err: "text before the root element; this is not an XML file", sameLine: true},
		{name: "truncated in text", in: `<tmx version="1.4"><header srclang="en"/><body>` + "\n<tu><tuv xml:lang=\"en\"><seg>abc", line: 2, err: "unexpected end of file; the file is truncated", sameLine: true},
		{name: "truncated in tag", in: `<tmx version="1.4"><header srclang="en"/><body>` + "\n<tu><tuv xml:lang=\"e", line: 2, err: "unexpected end of file; the file is truncated", sameLine: true},
		{name: "truncated in comment", in: doc(tu("a", "b")) + "<!-- trailing", line: 3, err: "the file is truncated"},
		{name: "mismatched tags", in: doc("\n<tu><tuv xml:lang=\"en\"><seg>a</tuv>"), line: 3, err: "element <seg> closed by </tuv>", sameLine: true},
		{name: "end tag without start", in: "\n</tmx>", line: 2, err: "unexpected end element </tmx>", sameLine: true},
		{name: "entity bomb", in: bomb, line: 8, err: "invalid character entity &lol3;", sameLine: true},
		{name: "external entity", in: xxe, line: 2, err: "invalid character entity &xxe;", sameLine: true},
		{name: "unescaped ampersand", in: doc("\n" + tu("fish & chips", "b")), line: 3, err: "invalid character entity & (no semicolon)", sameLine: true},
		{name: "nesting 300000 deep", in: doc("\n<tu><tuv xml:lang=\"en\"><seg>" + deep), line: 3, err: "elements nested more than 256 deep: input exceeds a safety limit", is: corpora.ErrTooLarge, sameLine: true},
		{name: "nesting over a lower limit", in: doc("\n<tu><tuv xml:lang=\"en\"><seg><ph><sub><ph><sub>x</sub></ph></sub></ph></seg></tuv></tu>"), limits: corpora.Limits{MaxDepth: 8}, line: 3, err: "elements nested more than 8 deep", sameLine: true},
		{name: "invalid UTF-8", in: doc("\n" + tu("caf\xe9", "b")), line: 3, err: "invalid UTF-8", sameLine: true},
		{name: "control character", in: doc("\n" + tu("a\x01b", "b")), line: 3, err: "illegal character code U+0001", sameLine: true},
		{name: "NUL character reference", in: doc("\n" + tu("a&#0;b", "b")), line: 3, err: "illegal character code U+0000", sameLine: true},
		// encoding/xml takes it for U+FFFD.
		{name: "surrogate character reference", in: doc("\n" + tu("a&#xD800;b", "b")), line: 3, err: "illegal character code U+D800", xmlAccepts: true},
		{name: "huge character reference", in: doc("\n" + tu("a&#x110000;b", "b")), line: 3, err: "invalid character entity &#x110000;", sameLine: true},
		{name: "unescaped ]]>", in: doc("\n" + tu("a]]>b", "b")), line: 3, err: "unescaped ]]> not in CDATA section", sameLine: true},
		{name: "< in attribute", in: doc("\n<tu tuid=\"a<b\"></tu>"), line: 3, err: "unescaped < inside quoted string", sameLine: true},
		{name: "unquoted attribute", in: doc("\n<tu tuid=1></tu>"), line: 3, err: "unquoted or missing attribute value in element", sameLine: true},
		{name: "attribute without value", in: doc("\n<tu tuid></tu>"), line: 3, err: "attribute name without = in element", sameLine: true},
		{name: "bad tag name", in: doc("\n<1tu></1tu>"), line: 3, err: "expected element name after <"},
		{name: "double hyphen in comment", in: "<!-- a -- b -->\n<tmx/>", line: 1, err: `invalid sequence "--" not allowed in comments`, sameLine: true},
		{name: "declared UTF-16 in UTF-8", in: "<?xml version='1.0' encoding='utf-16'?><tmx/>", line: 1, err: "the XML declaration says utf-16 but the bytes are not UTF-16"},
		{name: "XML declaration later", in: "<tmx>\n<?xml version='1.0'?><header srclang='en'/><body/></tmx>", line: 2, err: "an XML declaration <?xml …?> after the start of the file", xmlAccepts: true},
		{name: "XML 1.1", in: "<?xml version='1.1'?>\n<tmx/>", line: 1, err: `unsupported version "1.1"; only version 1.0 is supported`},
		{name: "prefixes differ", in: doc("\n<a:tu></b:tu>"), line: 3, err: "element <a:tu> closed by </b:tu>"},
		{name: "unknown charset", in: "<?xml version='1.0' encoding='x-klingon'?><tmx/>", line: 1, err: `unsupported encoding "x-klingon"; convert the file to UTF-8`},
		{name: "UTF-16 truncated", in: string(utf16le(`<tmx version="1.4"><header srclang="en"/><body>` + "\n<tu><tuv xml:lang=\"en\"><seg>abc")), line: 2, err: "unexpected end of file; the file is truncated", sameLine: true},
		{name: "UTF-16 odd byte", in: u16[:len(u16)-1], line: 2, err: "the file is truncated", sameLine: true},
		// TMX structure.
		{name: "text in body", in: doc("\nstray text" + tu("a", "b")), line: 3, err: "text directly inside <body>; only <tu> belongs there", sameLine: true},
		{name: "element in body", in: doc("\n<tuv/>"), line: 3, err: "<body> contains <tuv>; only <tu> belongs there", sameLine: true},
		{name: "no header", in: "<tmx>\n<body/></tmx>", line: 2, err: `<tmx> has no <header> before <body>`, sameLine: true},
		{name: "no body", in: "<tmx><header srclang='en'/>\n</tmx>", line: 2, err: "<tmx> has no <body>", sameLine: true},
		{name: "two headers", in: "<tmx><header srclang='en'/>\n<header/></tmx>", line: 2, err: "<tmx> has two <header>s", sameLine: true},
		{name: "bad header srclang", in: "<tmx>\n<header srclang='12345678901'/><body/></tmx>", line: 2, err: `<header> srclang: "12345678901" is not a language tag`, sameLine: true},
		{name: "bad header date", in: "<tmx>\n<header srclang='en' creationdate='yesterday'/><body/></tmx>", line: 2, err: `<header> creationdate "yesterday" is not a TMX date (YYYYMMDDThhmmssZ)`, sameLine: true},
		{name: "unknown element in header", in: "<tmx><header srclang='en'>\n<foo/></header><body/></tmx>", line: 2, err: "<header> contains <foo>", sameLine: true},
		{name: "second root", in: doc(tu("a", "b")) + "<tmx/>", line: 3, err: "a second root element <tmx> after </tmx>", sameLine: true},
		{name: "text after root", in: doc(tu("a", "b")) + "junk", line: 3, err: "text after </tmx>", sameLine: true},
		{name: "empty body", in: doc("\n"), line: 3, err: "the file has no translation units: <body> is empty", sameLine: true},
		// One bad unit.
		{name: "tuv without lang", in: doc("\n<tu><tuv><seg>a</seg></tuv></tu>"), line: 3, err: "<tuv> has no xml:lang; add one", sameLine: true},
		{name: "bad tuv lang", in: doc("\n" + `<tu><tuv xml:lang="e n"><seg>a</seg></tuv></tu>`), line: 3, err: `<tuv> xml:lang: "e n" is not a language tag`, sameLine: true},
		{name: "bad date", in: doc("\n" + `<tu creationdate="2002"><tuv xml:lang="en"><seg>a</seg></tuv></tu>`), line: 3, err: `<tu> creationdate "2002" is not a TMX date (YYYYMMDDThhmmssZ)`, sameLine: true},
		{name: "bad tuv date", in: doc("\n" + `<tu><tuv xml:lang="en" changedate="20021301T000000Z"><seg>a</seg></tuv></tu>`), line: 3, err: `<tuv> changedate "20021301T000000Z" is not a TMX date`, sameLine: true},
		{name: "tuv without seg", in: doc("\n<tu><tuv xml:lang=\"en\">\n</tuv></tu>"), line: 4, err: `<tuv xml:lang="en"> has no <seg>`, sameLine: true},
		{name: "tuv with two segs", in: doc("\n<tu><tuv xml:lang=\"en\"><seg>a</seg>\n<seg>b</seg></tuv></tu>"), line: 4, err: `<tuv xml:lang="en"> has two <seg>s`, sameLine: true},
		{name: "tu without tuv", in: doc("\n<tu><note>n</note></tu>"), line: 3, err: "<tu> has no <tuv>", sameLine: true},
		{name: "text in tu", in: doc("\n<tu>text</tu>"), line: 3, err: "text directly inside <tu>", sameLine: true},
		{name: "element in tu", in: doc("\n<tu><seg/></tu>"), line: 3, err: "<tu> contains <seg>; only <note>, <prop> and <tuv> belong there", sameLine: true},
		{name: "element in note", in: doc("\n<tu><note><b>x</b></note></tu>"), line: 3, err: "<note> contains <b>; it may only hold text", sameLine: true},
		{name: "prop without type", in: doc("\n<tu><prop>x</prop></tu>"), line: 3, err: `<prop> has no type`, sameLine: true},
		{name: "missing source tuv", in: doc("\n" + `<tu srclang="fr">` + `<tuv xml:lang="en"><seg>a</seg></tuv></tu>`), line: 3, err: "<tu> has no <tuv> in its source language fr (the srclang of its <tu>); it has en", sameLine: true},
		{name: "no srclang", in: "<tmx><header/><body>\n" + tu("a", "b") + "</body></tmx>", line: 2, err: "no source language: neither <tu> nor <header> has srclang; add srclang to the <header>", sameLine: true},
		{name: "foreign markup in seg", in: doc("\n" + tu("a <b>bold</b>", "b")), line: 3, err: "<seg> contains <b>, which is not a TMX inline element; escape markup as &lt;b&gt; or wrap it in <ph>", sameLine: true},
		{name: "foreign markup in hi", in: doc("\n" + tu("a <hi><i>x</i></hi>", "b")), line: 3, err: "<hi> contains <i>, which is not a TMX inline element", sameLine: true},
		{name: "markup in bpt", in: doc("\n" + tu(`<bpt i="1"><b></b></bpt><ept i="1"/>`, "b")), line: 3, err: "<bpt> contains <b>; its content must be escaped text (&lt;b&gt;) or <sub>", sameLine: true},
		{name: "markup in sub", in: doc("\n" + tu(`<ph><sub><b/></sub></ph>`, "b")), line: 3, err: "<sub> contains <b>, which is not a TMX inline element", sameLine: true},
		{name: "bpt without i", in: doc("\n" + tu(`<bpt>x</bpt>`, "b")), line: 3, err: `<bpt> has no i attribute`, sameLine: true},
		{name: "ept without i", in: doc("\n" + tu(`<bpt i="1">x</bpt><ept>y</ept>`, "b")), line: 3, err: `<ept> has no i attribute`, sameLine: true},
		{name: "ept without bpt", in: doc("\n" + tu(`a<ept i="2">y</ept>`, "b")), line: 3, err: `<ept i="2"> has no <bpt i="2"> before it in its <seg>; use <it pos="end"> for a code that starts in another segment`, sameLine: true},
		{name: "bpt without ept", in: doc("\n" + tu(`a<bpt i="2">y</bpt>`, "b")), line: 3, err: `<bpt i="2"> has no <ept i="2"> after it in its <seg>; use <it pos="begin">`, sameLine: true},
		{name: "two bpt with one i", in: doc("\n" + tu(`<bpt i="1"/><bpt i="1"/><ept i="1"/><ept i="1"/>`, "b")), line: 3, err: `two <bpt>s in one <seg> have i="1"`, sameLine: true},
		{name: "it without pos", in: doc("\n" + tu(`<it x="1">y</it>`, "b")), line: 3, err: `<it> needs pos="begin" or pos="end"`, sameLine: true},
		{name: "lang and xml:lang mixed", in: doc("\n" + `<tu><tuv lang="en"><seg>a</seg></tuv>` + "\n" + `<tuv xml:lang="de"><seg>b</seg></tuv></tu>`), line: 4, err: "<tuv> has xml:lang but the first <tuv> of its <tu> has lang", sameLine: true},
		{name: "unit over MaxUnitBytes", in: doc("\n" + tu(strings.Repeat("x", 200), "b")), limits: corpora.Limits{MaxUnitBytes: 100}, line: 3, err: "the unit holds more than 100 bytes: input exceeds a safety limit", is: corpora.ErrTooLarge, sameLine: true},
		{name: "many codes over MaxUnitBytes", in: doc("\n" + tu(strings.Repeat("<ph/>", 100), "b")), limits: corpora.Limits{MaxUnitBytes: 1000}, line: 3, err: "the unit holds more than 1000 bytes", is: corpora.ErrTooLarge, sameLine: true},
		{name: "many tuvs over MaxUnitBytes", in: doc("\n<tu>" + strings.Repeat(`<tuv xml:lang="en"><seg/></tuv>`, 100) + "</tu>"), limits: corpora.Limits{MaxUnitBytes: 1000}, line: 3, err: "the unit holds more than 1000 bytes", is: corpora.ErrTooLarge, sameLine: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := corpora.ReadOptions{Name: "bad.tmx", Limits: tt.limits}
			res := read([]byte(tt.in), opts)
			if res.err == nil {
				t.Fatalf("read gave %d units and no error; want %q", len(res.units), tt.err)
			}
			pe := parseError(t, res.err)
			if !strings.Contains(pe.Err.Error(), tt.err) || pe.Line != tt.line || pe.File != "bad.tmx" {
				t.Errorf("error = %q at line %d, want %q at line %d", pe, pe.Line, tt.err, tt.line)
			}
			if tt.is != nil && !errors.Is(res.err, tt.is) {
				t.Errorf("error %v is not %v", res.err, tt.is)
			}
			x := readVia([]byte(tt.in), opts, true)
			if tt.xmlAccepts {
				return
			}
			if x.err == nil {
				t.Fatalf("via xmlread: no error, want %q", tt.err)
			}
			xpe := parseError(t, x.err)
			if tt.sameLine && (xpe.Line != pe.Line || xpe.Err.Error() != pe.Err.Error()) {
				t.Errorf("via xmlread: %q at line %d, want %q at line %d", xpe.Err, xpe.Line, pe.Err, pe.Line)
			}
		})
	}
}

// TestLenient checks that a lenient reader keeps the good units of a file
// with bad ones, reports each bad one where it is, and still fails on what
// it cannot resynchronise on.
func TestLenient(t *testing.T) {
	in := doc("\n" + tu("one", "eins") + "\n" +
		tu("two <b>bad</b>", "zwei") + "\n" +
		tu("three", "drei") + "\n" +
		`<tu creationdate="soon"><tuv xml:lang="en"><seg>four</seg></tuv><tuv xml:lang="de"><seg>vier</seg></tuv></tu>` + "\n" +
		"stray\n" +
		tu(`<ept i="1"/>five`, "fünf") + "\n" +
		tu("six", "sechs") + "\n")
	for _, viaXML := range []bool{false, true} {
		res := readVia([]byte(in), corpora.ReadOptions{Name: "l.tmx", Lenient: true}, viaXML)
		if res.err != nil {
			t.Fatal(res.err)
		}
		var got []string
		for i, u := range res.units {
			got = append(got, u.Source.Plain()+"="+u.Target.Plain())
			if u.Origin.Index != i {
				t.Errorf("unit %d has index %d", i, u.Origin.Index)
			}
		}
		if want := "one=eins three=drei six=sechs"; strings.Join(got, " ") != want {
			t.Errorf("units = %v, want %s", got, want)
		}
		if lines := []int{3, 5, 9}; res.units[0].Origin.Line != lines[0] || res.units[1].Origin.Line != lines[1] || res.units[2].Origin.Line != lines[2] {
			t.Errorf("units start on lines %d, %d, %d; want %v", res.units[0].Origin.Line, res.units[1].Origin.Line, res.units[2].Origin.Line, lines)
		}
		want := []corpora.Skip{
			{File: "l.tmx", Line: 4, Reason: "<seg> contains <b>, which is not a TMX inline element; escape markup as &lt;b&gt; or wrap it in <ph>"},
			{File: "l.tmx", Line: 6, Reason: `<tu> creationdate "soon" is not a TMX date (YYYYMMDDThhmmssZ)`},
			{File: "l.tmx", Line: 7, Reason: "text directly inside <body>; only <tu> belongs there"},
			{File: "l.tmx", Line: 8, Reason: `<ept i="1"> has no <bpt i="1"> before it in its <seg>; use <it pos="end"> for a code that starts in another segment`},
		}
		if len(res.skips) != len(want) {
			t.Fatalf("skips = %v, want %v", res.skips, want)
		}
		for i := range want {
			if res.skips[i] != want[i] {
				t.Errorf("skip %d = %+v, want %+v", i, res.skips[i], want[i])
			}
		}
	}
	// Broken XML still fails.
	res := read([]byte(doc("\n"+tu("one", "eins")+"\n<tu><tuv xml:lang='en'><seg>a</tuv>")), corpora.ReadOptions{Lenient: true})
	if len(res.units) != 1 || res.err == nil {
		t.Errorf("lenient read of broken XML = %d units, error %v; want 1 unit, then an error", len(res.units), res.err)
	}
	// A lenient file of only bad units ends quietly: the skips said why.
	res = read([]byte(doc("\n"+tu("<b/>", "x"))), corpora.ReadOptions{Lenient: true})
	if res.err != nil || len(res.units) != 0 || len(res.skips) != 1 {
		t.Errorf("read = %d units, skips %v, err %v", len(res.units), res.skips, res.err)
	}
	// Errors are sticky: Next keeps returning the first.
	r, err := NewReader(strings.NewReader(doc(tu("<b/>", "x"))), corpora.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	_, err1 := r.Next()
	_, err2 := r.Next()
	if err1 == nil || err1 != err2 {
		t.Errorf("Next errors %v, then %v", err1, err2)
	}
}

// TestCharsets reads a TMX in ISO-8859-1 (declared) and in UTF-16BE
// without a byte order mark.
func TestCharsets(t *testing.T) {
	text := "Café crème"
	latin1, err := charmap.ISO8859_1.NewEncoder().String(`<?xml version="1.0" encoding="ISO-8859-1"?>` + doc(tu(text, "Milchkaffee")))
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range []string{latin1, "\n  " + latin1} {
		res := read([]byte(in), corpora.ReadOptions{})
		if res.err != nil || len(res.units) != 1 || res.units[0].Source.Plain() != text {
			t.Errorf("ISO-8859-1: %v, %v", res.units, res.err)
		}
	}
	var be []byte
	for _, c := range utf16.Encode([]rune(doc(tu(text, "x")))) {
		be = append(be, byte(c>>8), byte(c))
	}
	res := read(be, corpora.ReadOptions{})
	if res.err != nil || len(res.units) != 1 || res.units[0].Source.Plain() != text {
		t.Errorf("UTF-16BE: %v, %v", res.units, res.err)
	}
}

// TestTruncated cuts real files at every byte: each prefix reads without
// panic, to an error that is a *corpora.ParseError unless all of the
// document is there.
func TestTruncated(t *testing.T) {
	for _, name := range []string{"ImportTest2C.tmx", "ImportTest2A.tmx", "ImportTest1L.tmx"} {
		data := mustRead(t, kit(t, name))
		end := []byte("</tmx>")
		if corpora.DetectEncoding(data) == corpora.UTF16LE {
			end = utf16le("</tmx>")[2:]
		}
		for n := 0; n < len(data); n++ {
			res := read(data[:n], corpora.ReadOptions{Name: name})
			if res.err == nil {
				if !bytes.Contains(data[:n], end) {
					t.Errorf("%s cut at %d: no error", name, n)
				}
				continue
			}
			parseError(t, res.err)
		}
	}
}

// TestRandom feeds random bytes and random mutations of a real file: no
// panic, errors are *corpora.ParseError, units are whole.
func TestRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	seed := mustRead(t, kit(t, "ImportTest2C.tmx"))
	for i := 0; i < 3000; i++ {
		var data []byte
		switch i % 3 {
		case 0:
			data = make([]byte, rng.IntN(300))
			for j := range data {
				data[j] = byte(rng.UintN(256))
			}
		case 1:
			alphabet := []byte("<>/=\"' &;#x!-?[]tmxheaderbodytuvsegbpteptitphhisubxml:lang\n")
			data = []byte(doc(""))
			for k := rng.IntN(200); k > 0; k-- {
				p := rng.IntN(len(data))
				data = append(data[:p], append([]byte{alphabet[rng.IntN(len(alphabet))]}, data[p:]...)...)
			}
		default:
			data = bytes.Clone(seed)
			for k := 1 + rng.IntN(8); k > 0; k-- {
				data[rng.IntN(len(data))] = byte(rng.UintN(256))
			}
		}
		for _, viaXML := range []bool{false, true} {
			res := readVia(data, corpora.ReadOptions{Lenient: i%2 == 0}, viaXML)
			if res.err != nil {
				parseError(t, res.err)
			}
			for _, u := range res.units {
				if u == nil {
					t.Fatal("nil unit")
				}
			}
		}
	}
}

// stalled is a reader that never returns anything.
type stalled struct{}

func (stalled) Read([]byte) (int, error) { return 0, nil }

// failing returns some bytes, then an error.
type failing struct{ data []byte }

var errDisk = errors.New("disk on fire")

func (f *failing) Read(p []byte) (int, error) {
	if len(f.data) == 0 {
		return 0, errDisk
	}
	n := copy(p, f.data)
	f.data = f.data[n:]
	return n, nil
}

// TestReadErrors: a reader that stalls or fails ends reading with a
// *corpora.ParseError that wraps the cause, and never hangs.
func TestReadErrors(t *testing.T) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		_, err := NewReader(stalled{}, corpora.ReadOptions{})
		if pe := parseError(t, err); !errors.Is(pe, io.ErrNoProgress) {
			t.Errorf("stalled reader: %v", err)
		}
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("reading a stalled reader hangs")
	}
	big := doc(strings.Repeat(tu("a", "b")+"\n", 5000))
	for _, in := range [][]byte{[]byte(big[:len(big)/2]), utf16le(big)[:len(big)]} {
		r, err := NewReader(&failing{data: in}, corpora.ReadOptions{})
		if err == nil {
			for {
				if _, err = r.Next(); err != nil {
					break
				}
			}
		}
		if !errors.Is(err, errDisk) {
			t.Errorf("failing reader: %v, want %v", err, errDisk)
		}
		parseError(t, err)
	}
}

// TestLongText reads text and CDATA much longer than the scanner's chunks,
// with references, line ends, "]]" and multi-byte characters at every
// alignment, so that some fall on chunk boundaries.
func TestLongText(t *testing.T) {
	var raw, want strings.Builder
	pieces := []struct{ raw, text string }{
		{"é", "é"}, {"&amp;", "&"}, {"\r\n", "\n"}, {"]]", "]]"}, {"&#x41;", "A"}, {"x", "x"},
		{"&#x00000000000000000000000000000042;", "B"}, {"\r", "\n"}, {"🙂", "🙂"}, {"&lt;", "<"},
	}
	for i := 0; raw.Len() < 300_000; i++ {
		p := pieces[(i*7+i/3)%len(pieces)]
		raw.WriteString(p.raw)
		want.WriteString(p.text)
	}
	var cdata strings.Builder
	for cdata.Len() < 200_000 {
		cdata.WriteString("<a> & ]] é\r\n")
	}
	cdataWant := strings.ReplaceAll(cdata.String(), "\r\n", "\n")
	for pad := 0; pad < 8; pad++ {
		// Padding shifts where the chunks end.
		in := doc("\n" + strings.Repeat(" ", pad) + tu(raw.String(), strings.Repeat("y", pad)+"<![CDATA["+cdata.String()+"]]>"))
		checkLongText(t, in, want.String(), strings.Repeat("y", pad)+cdataWant)
	}
}

func checkLongText(t *testing.T, in, want, cdataWant string) {
	t.Helper()
	for _, cfg := range []config{{}, {viaXML: true}, {chunk: 7}, {chunk: 1}} {
		// Segments this long pass only a raised limit.
		res := readWith([]byte(in), corpora.ReadOptions{Limits: corpora.Limits{MaxSegmentBytes: 1 << 20}}, cfg)
		if res.err != nil {
			t.Fatalf("%+v: %v", cfg, res.err)
		}
		if got := res.units[0].Source.Plain(); got != want {
			i := 0
			for i < len(got) && i < len(want) && got[i] == want[i] {
				i++
			}
			t.Errorf("%+v: source differs from byte %d: %q", cfg, i, got[i:min(len(got), i+40)])
		}
		if got := res.units[0].Target.Plain(); got != cdataWant {
			t.Errorf("%+v: CDATA target differs (%d bytes, want %d)", cfg, len(got), len(cdataWant))
		}
	}
}

// TestSmallChunks reads every sample with the scanner handing out text 1
// and 7 bytes at a time: the units are the same.
func TestSmallChunks(t *testing.T) {
	for _, path := range samplePaths(t) {
		data := mustRead(t, path)
		want := read(data, corpora.ReadOptions{Lenient: true})
		for _, chunk := range []int{1, 7} {
			got := readWith(data, corpora.ReadOptions{Lenient: true}, config{chunk: chunk})
			if (got.err == nil) != (want.err == nil) {
				t.Errorf("%s, chunks of %d: error %v, want %v", path, chunk, got.err, want.err)
			}
			if d := diffUnits(got.units, want.units); d != "" {
				t.Errorf("%s, chunks of %d: %s", path, chunk, d)
			}
		}
	}
}

// TestStrayTextOnce: a long run of stray text in <body> is one skip, not
// one per chunk the scanner hands it out in.
func TestStrayTextOnce(t *testing.T) {
	in := doc("\n" + strings.Repeat("junk ", 40_000) + tu("a", "b"))
	for _, cfg := range []config{{}, {chunk: 7}, {viaXML: true}} {
		res := readWith([]byte(in), corpora.ReadOptions{Lenient: true}, cfg)
		if res.err != nil || len(res.units) != 1 || len(res.skips) != 1 {
			t.Errorf("%+v: %d units, skips %v, error %v; want 1 unit and 1 skip", cfg, len(res.units), res.skips, res.err)
		}
	}
}
