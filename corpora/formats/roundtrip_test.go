package formats

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/corpora/xliff"
	"github.com/kgmem/kgmem/internal/testenv"
)

// lossless is one input of TestRoundTripLossless.
type lossless struct {
	name     string
	path     string
	from, to language.Tag
}

// losslessInputs are real catalogs with what makes conversion hard: control
// characters (U+0007, U+000B, U+001F in the gettext memory), msgctxt and
// untranslated entries (sample.po), white space at the ends of terms; and
// the other demo files.
func losslessInputs(t *testing.T) []lossless {
	return []lossless{
		{"gettext memory", testenv.SharedData(t, "gettext", "en-es.memory.tsv"), language.English, language.Spanish},
		{"sample.po", filepath.Join("..", "demo", "sample.po"), language.English, language.Spanish},
		{"lumen.tmx", filepath.Join("..", "demo", "lumen.tmx"), language.English, language.Spanish},
		{"glossary.tbx", filepath.Join("..", "demo", "glossary.tbx"), language.English, language.Spanish},
	}
}

// roundTripFormats are the formats every input goes through: the name of
// the file written and how to write it.
var roundTripFormats = []struct {
	file    string
	version string // XLIFF version; "" for the format's default
}{
	{"out.tmx", ""},
	{"out.xlf", ""},
	{"out.xliff2.xlf", "2.0"},
	{"out.po", ""},
	{"out.tsv", ""},
	{"out.csv", ""},
	{"out.tbx", ""},
}

// writeAll writes units to path in the format its name says (XLIFF in
// the given version).
func writeAll(t *testing.T, path, version string, units []*corpora.Unit, from, to language.Tag) {
	t.Helper()
	if version != "" {
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		w, err := xliff.NewWriter(f, xliff.WriterOptions{Version: version, SourceLang: from, TargetLang: to})
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range units {
			if err := w.Write(u); err != nil {
				t.Fatalf("write %s: %v", path, err)
			}
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
		return
	}
	o, err := Create(path, WriteOptions{SourceLang: from, TargetLang: to})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range units {
		if err := o.Write(u); err != nil {
			o.Abort()
			t.Fatalf("write %s: %v", path, err)
		}
	}
	if err := o.Close(); err != nil {
		t.Fatal(err)
	}
}

// unitKey is what a round trip must keep of a unit.
type unitKey struct {
	Source, Target, Context string
}

// keyOf returns what a round trip through format must keep of a unit: a
// table and a term base hold the text of segments without their inline
// codes; gettext holds codes as their native text (Segment.Flat), and
// TMX and XLIFF keep them as codes, whose native text Flat includes.
func keyOf(u *corpora.Unit, format Format) unitKey {
	switch format {
	case TSV, CSV, TBX:
		return unitKey{u.Source.Plain(), u.Target.Plain(), u.Context}
	}
	return unitKey{u.Source.Flat(), u.Target.Flat(), u.Context}
}

// onePerEntry keeps the first unit of every msgctxt and msgid, which is
// what one gettext catalog can hold.
func onePerEntry(units []*corpora.Unit) []*corpora.Unit {
	seen := map[[2]string]bool{}
	var out []*corpora.Unit
	for _, u := range units {
		k := [2]string{u.Context, u.Source.Plain()}
		if !seen[k] {
			seen[k] = true
			out = append(out, u)
		}
	}
	return out
}

// TestRoundTripLossless converts the shared gettext memory and the demo
// catalog to every format kgmem writes and reads each result back: every
// unit must come back with the same source, target and context, control
// characters, msgctxt and empty translations included.
func TestRoundTripLossless(t *testing.T) {
	for _, in := range losslessInputs(t) {
		units := readAll(t, in.path, in.from, in.to, true)
		if len(units) == 0 {
			t.Fatalf("%s: no units", in.name)
		}
		for _, f := range roundTripFormats {
			t.Run(in.name+"/"+f.file, func(t *testing.T) {
				path := filepath.Join(t.TempDir(), f.file)
				writeAll(t, path, f.version, units, in.from, in.to)
				got := readAll(t, path, in.from, in.to, true)
				want := units
				if FromName(path) == PO {
					want = onePerEntry(units)
				}
				if err := sameUnits(got, want, FromName(path)); err != nil {
					t.Error(err)
				}
			})
		}
	}
}

// sameUnits compares the source, target and context of two unit lists.
func sameUnits(got, want []*corpora.Unit, format Format) error {
	n := 0
	var first error
	for i := 0; i < max(len(got), len(want)); i++ {
		var g, w unitKey
		if i < len(got) {
			g = keyOf(got[i], format)
		}
		if i < len(want) {
			w = keyOf(want[i], format)
		}
		if g != w {
			n++
			if first == nil {
				first = fmt.Errorf("unit %d = %+q, want %+q", i, g, w)
			}
		}
	}
	if n > 0 {
		return fmt.Errorf("read back %d units, wrote %d; %d differ; first: %w", len(got), len(want), n, first)
	}
	return nil
}

// toolkitCount prints how many units translate-toolkit reads from a TMX,
// XLIFF or PO file (a PO's header is not a unit).
const toolkitCount = `
import sys
from translate.storage import tmx, xliff, po
path, kind = sys.argv[1], sys.argv[2]
with open(path, "rb") as f:
    store = {"tmx": tmx.tmxfile, "xliff": xliff.xlifffile, "po": po.pofile}[kind](f)
print(len([u for u in store.units if not u.isheader()]))
`

// TestToolsReadConversions has independent tools read what the round trip
// writes: translate-toolkit must find as many units in the TMX, XLIFF and
// PO as kgmem wrote, xmllint must find the XML well formed, and msgfmt -c
// must accept the PO.
func TestToolsReadConversions(t *testing.T) {
	python := testenv.ToolkitPython(t)
	xmllint := testenv.Tool(t, "xmllint", "apt-get install libxml2-utils")
	msgfmt := testenv.Tool(t, "msgfmt", "apt-get install gettext")
	for _, in := range losslessInputs(t) {
		units := readAll(t, in.path, in.from, in.to, true)
		for _, f := range roundTripFormats {
			format := FromName(f.file)
			if format != TMX && format != XLIFF && format != PO && format != TBX {
				continue
			}
			t.Run(in.name+"/"+f.file, func(t *testing.T) {
				path := filepath.Join(t.TempDir(), f.file)
				writeAll(t, path, f.version, units, in.from, in.to)
				run := func(name string, args ...string) string {
					out, err := exec.Command(name, args...).CombinedOutput()
					if err != nil {
						t.Fatalf("%s %s: %v\n%s", filepath.Base(name), strings.Join(args, " "), err, out)
					}
					return string(out)
				}
				want := len(units)
				switch format {
				case TMX, XLIFF, TBX:
					run(xmllint, "--noout", "--huge", path)
				case PO:
					run(msgfmt, "-c", "-o", os.DevNull, path)
					want = len(onePerEntry(units))
				}
				if format == TBX || f.version != "" {
					return // translate-toolkit reads neither XLIFF 2 nor TBX 2019
				}
				got, err := strconv.Atoi(strings.TrimSpace(run(python, "-c", toolkitCount, path, string(format))))
				if err != nil || got != want {
					t.Errorf("translate-toolkit reads %d units (%v), kgmem wrote %d", got, err, want)
				}
			})
		}
	}
}
