package glossary_test

import (
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/corpora/glossary"
)

func ExampleReader_NextTerm() {
	const csv = "stringID,sourceLang,targetLang,pos,description,sourceString,targetString\n" +
		"4,en,es-419,proper noun,\"Short for \"\"Centers for Disease Control\"\"\",CDC,CDC\n"
	r, err := glossary.NewReader(strings.NewReader(csv), corpora.ReadOptions{Name: "terms.csv"})
	if err != nil {
		fmt.Println(err)
		return
	}
	for {
		e, err := r.NextTerm()
		if err == io.EOF {
			break
		}
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(e.ID, e.Definition)
		for _, t := range e.Terms {
			fmt.Printf("  %s %q (%s)\n", t.Lang, t.Text, t.PartOfSpeech)
		}
	}
	// Output:
	// 4 Short for "Centers for Disease Control"
	//   en "CDC" (proper noun)
	//   es-419 "CDC" (proper noun)
}

func ExampleWriter() {
	w, err := glossary.NewWriter(os.Stdout, glossary.WriterOptions{SourceLang: language.English, TargetLang: language.Spanish})
	if err != nil {
		fmt.Println(err)
		return
	}
	_ = w.Write(&corpora.Unit{Source: corpora.Text("mask"), Target: corpora.Text("mascarilla"), Notes: []string{"PPE"}})
	_ = w.Close()
	// Output:
	// en	es	comment	pos	definition	domain
	// mask	mascarilla	PPE
}
