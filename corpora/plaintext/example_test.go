package plaintext_test

import (
	"fmt"
	"os"
	"strings"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/corpora/plaintext"
)

func ExampleSplit() {
	text := `Mr. Smith arrived at 5 p.m. on Friday. He said "Hi." Then… nothing.`
	for _, s := range plaintext.Split(text, language.English) {
		fmt.Printf("%d-%d %s\n", s.Start, s.End, s.Text)
	}
	// Output:
	// 0-38 Mr. Smith arrived at 5 p.m. on Friday.
	// 39-52 He said "Hi."
	// 53-69 Then… nothing.
}

func ExampleSplit_german() {
	for _, s := range plaintext.Split("Am 3. Oktober gab es z. B. Kuchen usw. Danach nicht.", language.German) {
		fmt.Println(s.Text)
	}
	// Output:
	// Am 3. Oktober gab es z. B. Kuchen usw.
	// Danach nicht.
}

func ExampleNewWriter() {
	doc := "Good morning. How are you?\n\nBye.\n"
	r, _ := plaintext.NewReader(strings.NewReader(doc), corpora.ReadOptions{SourceLang: language.English})
	w, _ := plaintext.NewWriter(os.Stdout, plaintext.WriterOptions{Lang: language.Spanish})
	es := map[string]string{"Good morning.": "Buenos días.", "How are you?": "¿Cómo estás?", "Bye.": "Adiós."}
	for {
		u, err := r.Next()
		if err != nil {
			break
		}
		u.Target = corpora.Text(es[u.Source.Plain()])
		w.Write(u)
	}
	w.Close()
	// Output:
	// Buenos días. ¿Cómo estás?
	//
	// Adiós.
}
