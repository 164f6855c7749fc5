package po_test

import (
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/corpora/po"
)

func ExampleNewReader() {
	const catalog = `msgid ""
msgstr ""
"Language: es\n"
"Content-Type: text/plain; charset=UTF-8\n"

#: src/menu.c:12
msgid "_Open"
msgstr "_Abrir"

#, fuzzy
msgctxt "verb"
msgid "Close"
msgstr "Cerrar"

msgid "%d file"
msgid_plural "%d files"
msgstr[0] "%d archivo"
msgstr[1] "%d archivos"
`
	r, err := po.NewReader(strings.NewReader(catalog), corpora.ReadOptions{Name: "es.po"})
	if err != nil {
		fmt.Println(err)
		return
	}
	for {
		u, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("line %d: %s %q → %s %q (%s)", u.Origin.Line, u.SourceLang, u.Source, u.TargetLang, u.Target, u.Status)
		if u.Context != "" {
			fmt.Printf(" context %q", u.Context)
		}
		if g := u.Gettext; !g.SourcePlural.IsEmpty() {
			fmt.Printf(" plural %q → %q", g.SourcePlural, g.TargetPlurals[0])
		}
		fmt.Println()
	}
	// Output:
	// line 6: en "_Open" → es "_Abrir" (translated)
	// line 10: en "Close" → es "Cerrar" (draft) context "verb"
	// line 15: en "%d file" → es "%d archivo" (translated) plural "%d files" → "%d archivos"
}

func ExampleNewWriter() {
	w, err := po.NewWriter(os.Stdout, po.WriterOptions{
		Header: &po.Header{Fields: []po.HeaderField{
			{Name: "Project-Id-Version", Value: "example 1.0"},
			{Name: "Language", Value: "es"},
			{Name: "Content-Type", Value: "text/plain; charset=UTF-8"},
		}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	units := []*corpora.Unit{
		{TargetLang: language.Spanish, Source: corpora.Text("Save"), Target: corpora.Text("Guardar"), Status: corpora.StatusTranslated},
		{TargetLang: language.Spanish, Source: corpora.Text("Save as…"), Target: corpora.Text("Guardar como…"), Status: corpora.StatusMachine,
			Notes: []string{"Machine translated."}},
	}
	for _, u := range units {
		if err := w.Write(u); err != nil {
			fmt.Println(err)
		}
	}
	if err := w.Close(); err != nil {
		fmt.Println(err)
	}
	// Output:
	// msgid ""
	// msgstr ""
	// "Project-Id-Version: example 1.0\n"
	// "Language: es\n"
	// "Content-Type: text/plain; charset=UTF-8\n"
	//
	// msgid "Save"
	// msgstr "Guardar"
	//
	// # Machine translated.
	// #, fuzzy
	// msgid "Save as…"
	// msgstr "Guardar como…"
}

func ExampleSniff() {
	fmt.Println(po.Sniff([]byte("# Spanish translation\nmsgid \"\"\nmsgstr \"\"\n")))
	fmt.Println(po.Sniff([]byte("<?xml version=\"1.0\"?><tmx/>")))
	fmt.Println(po.SniffMO([]byte{0xde, 0x12, 0x04, 0x95}))
	// Output:
	// true
	// false
	// true
}
