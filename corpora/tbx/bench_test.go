package tbx_test

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/corpora/tbx"
)

// syntheticTBX returns a TBX-Basic file of n concepts, each with two English
// and two Spanish terms, notes and a definition.
func syntheticTBX(n int) []byte {
	var b strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, `<conceptEntry id="c%d"><descrip type="subjectField">Medicine</descrip><descrip type="definition">Definition number %d of a concept.</descrip>
<langSec xml:lang="en"><termSec><term>term %d</term><termNote type="partOfSpeech">noun</termNote><termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></termSec>
<termSec><term>variant %d</term><termNote type="administrativeStatus">admittedTerm-admn-sts</termNote><note>A note.</note></termSec></langSec>
<langSec xml:lang="es"><termSec><term>término %d</term></termSec><termSec><term>variante %d</term></termSec></langSec></conceptEntry>
`, i, i, i, i, i, i)
	}
	return []byte(doc("TBX-Basic", b.String()))
}

func BenchmarkReader(b *testing.B) {
	for _, n := range []int{100, 1000, 10000} {
		data := syntheticTBX(n)
		b.Run(fmt.Sprintf("entries=%d", n), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				r, err := tbx.NewReader(bytes.NewReader(data), corpora.ReadOptions{})
				if err != nil {
					b.Fatal(err)
				}
				for {
					if _, err := r.Next(); err != nil {
						if err != io.EOF {
							b.Fatal(err)
						}
						break
					}
				}
			}
		})
	}
}
