package tbx_test

import (
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/corpora/tbx"
)

const exampleTBX = `<?xml version="1.0" encoding="UTF-8"?>
<tbx type="TBX-Min" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2">
  <tbxHeader><fileDesc><sourceDesc><p>example</p></sourceDesc></fileDesc></tbxHeader>
  <text><body>
    <conceptEntry id="c1">
      <descrip type="subjectField">Medicine</descrip>
      <langSec xml:lang="en">
        <termSec><term>face mask</term><termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></termSec>
      </langSec>
      <langSec xml:lang="es">
        <termSec><term>mascarilla</term><termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></termSec>
        <termSec><term>barbijo</term><termNote type="administrativeStatus">admittedTerm-admn-sts</termNote></termSec>
      </langSec>
    </conceptEntry>
  </body></text>
</tbx>`

func ExampleReader_NextTerm() {
	r, err := tbx.NewReader(strings.NewReader(exampleTBX), corpora.ReadOptions{Name: "example.tbx"})
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
		fmt.Println(e.ID, e.Domain)
		for _, t := range e.Terms {
			fmt.Printf("  %s %q %s\n", t.Lang, t.Text, t.Status)
		}
	}
	// Output:
	// c1 Medicine
	//   en "face mask" preferred
	//   es "mascarilla" preferred
	//   es "barbijo" admitted
}

func ExampleReader_Next() {
	r, err := tbx.NewReader(strings.NewReader(exampleTBX), corpora.ReadOptions{SourceLang: language.English, TargetLang: language.Spanish})
	if err != nil {
		fmt.Println(err)
		return
	}
	for {
		u, err := r.Next()
		if err != nil {
			break
		}
		status, _ := u.Prop("term-status")
		fmt.Printf("%s → %s (%s)\n", u.Source, u.Target, status)
	}
	// Output:
	// face mask → mascarilla (preferred)
	// face mask → barbijo (admitted)
}

func ExampleWriter() {
	w, err := tbx.NewWriter(os.Stdout, tbx.WriterOptions{Lang: language.English})
	if err != nil {
		fmt.Println(err)
		return
	}
	_ = w.WriteTerm(&corpora.TermEntry{ID: "c1", Terms: []corpora.Term{
		{Lang: language.English, Text: "mask", Status: corpora.TermPreferred},
		{Lang: language.Spanish, Text: "mascarilla"},
	}})
	_ = w.Close()
	// Output:
	// <?xml version="1.0" encoding="UTF-8"?>
	// <tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2">
	// 	<tbxHeader>
	// 		<fileDesc>
	// 			<sourceDesc>
	// 				<p>Written by kgmem</p>
	// 			</sourceDesc>
	// 		</fileDesc>
	// 	</tbxHeader>
	// 	<text>
	// 		<body>
	// 			<conceptEntry id="c1">
	// 				<langSec xml:lang="en">
	// 					<termSec>
	// 						<term>mask</term>
	// 						<termNote type="administrativeStatus">preferredTerm-admn-sts</termNote>
	// 					</termSec>
	// 				</langSec>
	// 				<langSec xml:lang="es">
	// 					<termSec>
	// 						<term>mascarilla</term>
	// 					</termSec>
	// 				</langSec>
	// 			</conceptEntry>
	// 		</body>
	// 	</text>
	// </tbx>
}
