package xliff_test

import (
	"fmt"
	"io"
	"log"
	"os"
	"strings"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/corpora/xliff"
)

const exampleDoc = `<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
  <file original="ui.properties" source-language="en" target-language="es" datatype="plaintext">
    <body>
      <trans-unit id="save" resname="menu.save">
        <source>Save <g id="1">all</g></source>
      </trans-unit>
      <trans-unit id="quit">
        <source>Quit</source>
        <target state="translated">Salir</target>
      </trans-unit>
    </body>
  </file>
</xliff>
`

func ExampleNewReader() {
	r, err := xliff.NewReader(strings.NewReader(exampleDoc), corpora.ReadOptions{Name: "ui.xlf"})
	if err != nil {
		log.Fatal(err)
	}
	for {
		u, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s %s>%s %q → %q (%v, %d codes)\n", u.ID, u.SourceLang, u.TargetLang, u.Source.Plain(), u.Target.Plain(), u.Status, len(u.Source.Codes()))
	}
	// Output:
	// save en>es "Save all" → "" (untranslated, 2 codes)
	// quit en>es "Quit" → "Salir" (translated, 0 codes)
}

func ExampleFill() {
	// The translation keeps the source's <g> by giving its code's kind and ID.
	open := &corpora.Code{Kind: corpora.CodeOpen, ID: "1", Paired: true}
	close := &corpora.Code{Kind: corpora.CodeClose, ID: "1", Paired: true}
	var target corpora.Segment
	target.Append("Guardar ")
	target.AppendCode(open)
	target.Append("todo")
	target.AppendCode(close)

	tr := map[xliff.Key]xliff.Translation{
		{File: "ui.properties", Unit: "save"}: {Target: target},
		{File: "ui.properties", Unit: "gone"}: {Target: corpora.Text("?")},
	}
	var out strings.Builder
	stats, err := xliff.Fill(strings.NewReader(exampleDoc), &out, tr, xliff.FillOptions{Name: "ui.xlf"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(strings.Split(out.String(), "\n")[6])
	fmt.Println(stats.Filled, stats.Missing)
	// Output:
	//         <target state="translated">Guardar <g id="1">todo</g></target>
	// 1 [ui.properties/gone]
}

func ExampleNewWriter() {
	w, err := xliff.NewWriter(os.Stdout, xliff.WriterOptions{Version: "2.0", Original: "memory"})
	if err != nil {
		log.Fatal(err)
	}
	err = w.Write(&corpora.Unit{
		SourceLang: corpora.MustParseLang("en"),
		TargetLang: corpora.MustParseLang("es"),
		ID:         "1",
		Source:     corpora.Text("Hello"),
		Target:     corpora.Text("Hola"),
		Status:     corpora.StatusTranslated,
	})
	if err != nil {
		log.Fatal(err)
	}
	if err := w.Close(); err != nil {
		log.Fatal(err)
	}
	// Output:
	// <?xml version="1.0" encoding="UTF-8"?>
	// <xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en" trgLang="es">
	//   <file id="memory">
	//     <unit id="1">
	//       <segment state="translated">
	//         <source>Hello</source>
	//         <target>Hola</target>
	//       </segment>
	//     </unit>
	//   </file>
	// </xliff>
}
