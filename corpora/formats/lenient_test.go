package formats

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora"
)

// badDoc is a document of four units whose second and third are bad, and
// the line each unit starts on.
type badDoc struct {
	name  string
	text  string
	lines [4]int
}

// unitText is the source and target of unit i; bad replaces those of the
// second and third.
func unitText(i int, bad string) (string, string) {
	switch i {
	case 1, 2:
		return fmt.Sprintf("Bad %d %s", i, bad), fmt.Sprintf("Malo %d", i)
	case 3:
		return "Four", "Cuatro"
	}
	return "One", "Uno"
}

// badDocs builds, in every format, a document of four units whose second
// and third hold bad (bytes that are not UTF-8, or a segment over the
// limit).
func badDocs(bad string) []badDoc {
	var docs []badDoc
	lines := func(head int, per int) [4]int {
		return [4]int{head + 1, head + 1 + per, head + 1 + 2*per, head + 1 + 3*per}
	}
	each := func(f func(src, tgt string) string) string {
		var b strings.Builder
		for i := range 4 {
			b.WriteString(f(unitText(i, bad)))
		}
		return b.String()
	}
	docs = append(docs, badDoc{"units.tmx", `<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header creationtool="t" creationtoolversion="1" datatype="plaintext" segtype="sentence" adminlang="en" srclang="en" o-tmf="t"/>
<body>
` + each(func(s, t string) string {
		return `<tu><tuv xml:lang="en"><seg>` + s + `</seg></tuv><tuv xml:lang="es"><seg>` + t + "</seg></tuv></tu>\n"
	}) + "</body></tmx>\n", lines(3, 1)})
	docs = append(docs, badDoc{"units.xlf", `<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"><file original="x" source-language="en" target-language="es" datatype="plaintext"><body>
` + each(func(s, t string) string {
		return `<trans-unit id="` + strings.Fields(s)[0] + fmt.Sprint(len(s)) + `"><source>` + s + `</source><target>` + t + "</target></trans-unit>\n"
	}) + "</body></file></xliff>\n", lines(2, 1)})
	n := 0
	docs = append(docs, badDoc{"units2.xlf", `<?xml version="1.0" encoding="UTF-8"?>
<xliff version="2.0" xmlns="urn:oasis:names:tc:xliff:document:2.0" srcLang="en" trgLang="es"><file id="f">
` + each(func(s, t string) string {
		n++
		return fmt.Sprintf(`<unit id="u%d"><segment><source>%s</source><target>%s</target></segment></unit>`+"\n", n, s, t)
	}) + "</file></xliff>\n", lines(2, 1)})
	n = 0
	docs = append(docs, badDoc{"units.tbx", `<?xml version="1.0" encoding="UTF-8"?>
<tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2"><tbxHeader><fileDesc><sourceDesc><p>t</p></sourceDesc></fileDesc></tbxHeader><text><body>
` + each(func(s, t string) string {
		n++
		return fmt.Sprintf(`<conceptEntry id="c%d"><langSec xml:lang="en"><termSec><term>%s</term></termSec></langSec><langSec xml:lang="es"><termSec><term>%s</term></termSec></langSec></conceptEntry>`+"\n", n, s, t)
	}) + "</body></text></tbx>\n", lines(2, 1)})
	docs = append(docs, badDoc{"units.po", "msgid \"\"\nmsgstr \"\"\n\"Content-Type: text/plain; charset=UTF-8\\n\"\n\"Language: es\\n\"\n\n" + each(func(s, t string) string {
		return "msgid \"" + s + "\"\nmsgstr \"" + t + "\"\n\n"
	}), lines(5, 3)})
	docs = append(docs, badDoc{"units.tsv", "en\tes\n" + each(func(s, t string) string { return s + "\t" + t + "\n" }), lines(1, 1)})
	docs = append(docs, badDoc{"units.csv", "en,es\n" + each(func(s, t string) string { return s + "," + t + "\n" }), lines(1, 1)})
	docs = append(docs, badDoc{"units.tab", each(func(s, t string) string { return s + "\t" + t + "\n" }), lines(0, 1)})
	return docs
}

// readBad reads a document with the given options, collecting units,
// skips and the error that ended reading.
func readBad(t *testing.T, path string, opts corpora.ReadOptions) (units []*corpora.Unit, skips []corpora.Skip, err error) {
	t.Helper()
	opts.SourceLang, opts.TargetLang = language.English, language.Spanish
	opts.OnSkip = func(s corpora.Skip) { skips = append(skips, s) }
	f, err := Open(path, Options{ReadOptions: opts})
	if err != nil {
		return nil, skips, err
	}
	defer f.Close()
	for {
		u, err := f.Next()
		if errors.Is(err, io.EOF) {
			return units, skips, nil
		}
		if err != nil {
			return units, skips, err
		}
		units = append(units, u)
	}
}

// TestBadUnits reads, in every format, a document whose second and third
// units are bad: strictly, reading stops at the second with a
// ParseError that names its line and says it can be skipped; leniently,
// exactly those two units are left out, each reported with its own line,
// and the others read. No unit ever holds U+FFFD for bytes that were not
// UTF-8.
func TestBadUnits(t *testing.T) {
	kinds := []struct {
		name   string
		bad    string
		limits corpora.Limits
		says   string
	}{
		{"invalid UTF-8", "\xff\xfe here", corpora.Limits{}, "UTF-8"},
		{"segment too long", strings.Repeat("long ", 40), corpora.Limits{MaxSegmentBytes: 100}, "100"},
	}
	for _, k := range kinds {
		for _, doc := range badDocs(k.bad) {
			t.Run(k.name+"/"+doc.name, func(t *testing.T) {
				path := filepath.Join(t.TempDir(), doc.name)
				if err := os.WriteFile(path, []byte(doc.text), 0o644); err != nil {
					t.Fatal(err)
				}
				units, _, err := readBad(t, path, corpora.ReadOptions{Limits: k.limits})
				var pe *corpora.ParseError
				if !errors.As(err, &pe) {
					t.Fatalf("strict read = %d units, %v; want a ParseError", len(units), err)
				}
				if pe.Line != doc.lines[1] || !pe.Skippable || !strings.Contains(pe.Error(), k.says) {
					t.Errorf("strict read: %v (line %d, skippable %v); want line %d, skippable, saying %q", pe, pe.Line, pe.Skippable, doc.lines[1], k.says)
				}
				units, skips, err := readBad(t, path, corpora.ReadOptions{Lenient: true, Limits: k.limits})
				if err != nil {
					t.Fatalf("lenient read: %v", err)
				}
				var got []string
				for _, u := range units {
					got = append(got, u.Source.Plain()+"="+u.Target.Plain())
					if strings.ContainsRune(u.Source.Plain()+u.Target.Plain(), '\uFFFD') {
						t.Errorf("unit %q holds U+FFFD", u.Source.Plain())
					}
				}
				if strings.Join(got, "|") != "One=Uno|Four=Cuatro" {
					t.Errorf("lenient read gave %q, want One and Four", got)
				}
				if len(skips) != 2 || skips[0].Line != doc.lines[1] || skips[1].Line != doc.lines[2] {
					t.Errorf("skips = %v, want lines %d and %d", skips, doc.lines[1], doc.lines[2])
				}
				for _, s := range skips {
					if s.File != path || !strings.Contains(s.Reason, k.says) {
						t.Errorf("skip %v does not name %s and say %q", s, path, k.says)
					}
				}
			})
		}
	}
}

// TestUnskippable: errors no unit can be skipped past are not offered as
// skippable, and stop a lenient read too.
func TestUnskippable(t *testing.T) {
	docs := map[string]string{
		"truncated.tmx":  "<?xml version=\"1.0\"?>\n<tmx version=\"1.4\"><header srclang=\"en\"/><body>\n<tu><tuv xml:lang=\"en\"><seg>One",
		"truncated.xlf":  "<xliff version=\"1.2\"><file original=\"x\" source-language=\"en\"><body>\n<trans-unit id=\"1\"><source>One",
		"truncated.tbx":  "<tbx type=\"TBX-Basic\" style=\"dca\" xml:lang=\"en\" xmlns=\"urn:iso:std:iso:30042:ed-2\"><text><body>\n<conceptEntry id=\"c1\">",
		"deep.xlf":       "<xliff version=\"1.2\"><file original=\"x\" source-language=\"en\"><body>" + strings.Repeat("<group>", 300),
		"entities.tmx":   "<?xml version=\"1.0\"?>\n<!DOCTYPE tmx [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]>\n<tmx version=\"1.4\"><header srclang=\"en\"/><body><tu><tuv xml:lang=\"en\"><seg>&b;</seg></tuv></tu></body></tmx>",
		"utf16-odd.tsv":  "\xff\xfes\x00o\x00u\x00r\x00c\x00e\x00\t\x00t\x00\n\x00\x00\xd8x\x00\t\x00y\x00\n\x00",
		"bad.mo":         "\xde\x12\x04\x95\x00\x00\x00\x00\xff\xff\xff\x7f\x1c\x00\x00\x00",
		"bad-charset.po": "msgid \"\"\nmsgstr \"\"\n\"Content-Type: text/plain; charset=KLINGON\\n\"\n\nmsgid \"One\"\nmsgstr \"Uno\"\n",
	}
	for name, text := range docs {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), name)
			if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
			_, _, err := readBad(t, path, corpora.ReadOptions{Lenient: true})
			var pe *corpora.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("lenient read of %s = %v, want a ParseError", name, err)
			}
			if pe.Skippable {
				t.Errorf("%v is offered as skippable", pe)
			}
			t.Log(pe)
		})
	}
}

// TestDeclaredCharsetBadByte: a byte a declared charset does not define is
// an error, not U+FFFD in the text.
func TestDeclaredCharsetBadByte(t *testing.T) {
	// 0x81 is not a character of windows-1252.
	doc := "<?xml version=\"1.0\" encoding=\"windows-1252\"?>\n<xliff version=\"1.2\"><file original=\"x\" source-language=\"en\" target-language=\"es\"><body>\n" +
		"<trans-unit id=\"1\"><source>caf\xe9 \x81</source><target>caf\xe9</target></trans-unit>\n</body></file></xliff>\n"
	path := filepath.Join(t.TempDir(), "cp1252.xlf")
	if err := os.WriteFile(path, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	units, _, err := readBad(t, path, corpora.ReadOptions{})
	if err == nil {
		t.Fatalf("read %q, want an error for the byte 0x81", units[0].Source.Plain())
	}
}
