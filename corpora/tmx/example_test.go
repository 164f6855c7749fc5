package tmx_test

import (
	"fmt"
	"io"
	"log"
	"os"
	"strings"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/corpora/tmx"
)

func ExampleNewReader() {
	const doc = `<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4">
  <header srclang="en" creationtool="example" creationtoolversion="1" segtype="sentence" o-tmf="none" adminlang="en" datatype="plaintext"/>
  <body>
    <tu tuid="save">
      <tuv xml:lang="en"><seg>Click <bpt i="1" type="bold">&lt;b&gt;</bpt>Save<ept i="1">&lt;/b&gt;</ept></seg></tuv>
      <tuv xml:lang="es"><seg>Pulse <bpt i="1" type="bold">&lt;b&gt;</bpt>Guardar<ept i="1">&lt;/b&gt;</ept></seg></tuv>
      <tuv xml:lang="de"><seg>Klicken Sie auf <bpt i="1" type="bold">&lt;b&gt;</bpt>Speichern<ept i="1">&lt;/b&gt;</ept></seg></tuv>
    </tu>
  </body>
</tmx>`
	r, err := tmx.NewReader(strings.NewReader(doc), corpora.ReadOptions{Name: "ui.tmx", TargetLang: language.Spanish})
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
		fmt.Printf("%s %s→%s: %q → %q\n", u.ID, u.SourceLang, u.TargetLang, u.Source.Plain(), u.Target.Plain())
		for _, c := range u.Source.Codes() {
			fmt.Printf("  %s code <%s i=%s> %s\n", c.Kind, c.Element, c.ID, c.Native)
		}
	}
	// Output:
	// save en→es: "Click Save" → "Pulse Guardar"
	//   open code <bpt i=1> &lt;b&gt;
	//   close code <ept i=1> &lt;/b&gt;
}

func ExampleNewWriter() {
	w, err := tmx.NewWriter(os.Stdout, tmx.WriterOptions{SourceLang: language.English})
	if err != nil {
		log.Fatal(err)
	}
	err = w.Write(&corpora.Unit{
		SourceLang: language.English,
		TargetLang: language.Spanish,
		Source:     corpora.Text("Good morning"),
		Target:     corpora.Text("Buenos días"),
		ID:         "1",
		Domain:     "greetings",
	})
	if err != nil {
		log.Fatal(err)
	}
	if err := w.Close(); err != nil {
		log.Fatal(err)
	}
	// Output:
	// <?xml version="1.0" encoding="UTF-8"?>
	// <!DOCTYPE tmx SYSTEM "tmx14.dtd">
	// <tmx version="1.4">
	//   <header creationtool="kgmem" creationtoolversion="1" datatype="plaintext" segtype="sentence" adminlang="en" srclang="en" o-tmf="kgmem"/>
	//   <body>
	//     <tu tuid="1">
	//       <prop type="x-domain">greetings</prop>
	//       <tuv xml:lang="en">
	//         <seg>Good morning</seg>
	//       </tuv>
	//       <tuv xml:lang="es">
	//         <seg>Buenos días</seg>
	//       </tuv>
	//     </tu>
	//   </body>
	// </tmx>
}

func ExampleSniff() {
	fmt.Println(tmx.Sniff([]byte(`<?xml version="1.0"?><!DOCTYPE tmx SYSTEM "tmx14.dtd"><tmx version="1.4">`)))
	fmt.Println(tmx.Sniff([]byte(`<?xml version="1.0"?><xliff version="1.2">`)))
	// Output:
	// true
	// false
}
