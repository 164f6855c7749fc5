package xliff

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/internal/testenv"
)

// TestFillNotes fills translations that carry a note: the note goes
// right after the 1.2 target (new or replaced, segmented or not) and into
// the 2.x unit's <notes> (made before originalData or the first segment
// when the unit has none), the document stays well-formed (xmllint), and
// the reader reads the note back as one of the unit's notes.
func TestFillNotes(t *testing.T) {
	const note = "placeholder: %s lost\nnumbers: 3 & <4> missing"
	doc2 := `<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en" trgLang="es">
  <file id="f">
    <unit id="plain">
      <segment><source>One</source></segment>
    </unit>
    <unit id="with-notes">
      <notes>
        <note>Keep me</note>
      </notes>
      <segment><source>Two</source><target>Dos</target></segment>
    </unit>
    <unit id="with-data">
      <originalData><data id="d1">&lt;b&gt;</data></originalData>
      <segment><source>Three <ph id="1" dataRef="d1"/></source></segment>
    </unit>
    <unit id="untouched"><segment><source>Four</source></segment></unit>
  </file>
</xliff>
`
	tests := []struct {
		name, in string
		tr       map[Key]Translation
		want     map[string][]string // unit ID → notes read back
	}{
		{
			name: "1.2", in: fillDoc12,
			tr: map[Key]Translation{
				{File: "app.po", Unit: "replace"}:               {Target: corpora.Text("Tout enregistrer"), Status: corpora.StatusMachine, Note: note},
				{File: "app.po", Unit: "insert"}:                {Target: corpora.Text("Ouvrir"), Note: "tags: lost"},
				{File: "app.po", Unit: "seg", Segment: "2"}:     {Target: corpora.Text("Deux !"), Note: "end-punctuation: differs"},
				{File: "app.po", Unit: "seg-new", Segment: "b"}: {Target: corpora.Text("Quatre."), Note: "capitals: differ"},
				{File: "app.po", Unit: "untouched"}:             {Target: corpora.Text("Pas dans la carte")},
			},
			want: map[string][]string{
				"replace": {note, "Keep & this"}, "insert": {"tags: lost", "no target yet"},
				"seg": {"end-punctuation: differs"}, "seg-new": {"capitals: differ"}, "untouched": nil,
			},
		},
		{
			name: "2.0", in: doc2,
			tr: map[Key]Translation{
				{File: "f", Unit: "plain"}:      {Target: corpora.Text("Uno"), Status: corpora.StatusMachine, Note: note},
				{File: "f", Unit: "with-notes"}: {Target: corpora.Text("Dos"), Note: "capitals: differ"},
				{File: "f", Unit: "with-data"}:  {Target: seg("Tres ", &corpora.Code{Kind: corpora.CodeStandalone, ID: "1"}), Note: "numbers: missing"},
				{File: "f", Unit: "untouched"}:  {Target: corpora.Text("Cuatro")},
			},
			want: map[string][]string{
				"plain": {note}, "with-notes": {"Keep me", "capitals: differ"}, "with-data": {"numbers: missing"}, "untouched": nil,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			if _, err := Fill(strings.NewReader(tt.in), &out, tt.tr, FillOptions{TargetLang: corpora.MustParseLang("fr")}); err != nil {
				t.Fatal(err)
			}
			if n := strings.Count(out.String(), NoteFrom); n != len(tt.want)-1 {
				t.Errorf("%d notes from %s, want %d:\n%s", n, NoteFrom, len(tt.want)-1, out.String())
			}
			xmllint := testenv.Tool(t, "xmllint", "apt-get install libxml2-utils")
			path := filepath.Join(t.TempDir(), "out.xlf")
			if err := os.WriteFile(path, out.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			if b, err := exec.Command(xmllint, "--noout", path).CombinedOutput(); err != nil {
				t.Errorf("xmllint --noout: %v\n%s\n%s", err, b, out.String())
			}
			us, err := readAll(t, out.Bytes(), corpora.ReadOptions{})
			if err != nil {
				t.Fatalf("reading the output: %v\n%s", err, out.String())
			}
			got := map[string][]string{}
			for _, u := range us {
				got[KeyOf(u).Unit] = u.Notes
			}
			for id, want := range tt.want {
				if strings.Join(got[id], "|") != strings.Join(want, "|") {
					t.Errorf("unit %s: notes %q, want %q\n%s", id, got[id], want, out.String())
				}
			}
		})
	}
}
