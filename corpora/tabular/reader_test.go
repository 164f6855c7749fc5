package tabular

import (
	"bytes"
	"errors"
	"io"
	"os"
	"strings"
	"testing"
	"unicode/utf16"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/internal/testenv"
)

// readAll reads every unit, stopping at the first error.
func readAll(r corpora.Reader) ([]*corpora.Unit, error) {
	var us []*corpora.Unit
	for {
		u, err := r.Next()
		if err == io.EOF {
			return us, nil
		}
		if err != nil {
			return us, err
		}
		if u == nil {
			return us, errors.New("Next returned a nil unit and no error")
		}
		us = append(us, u)
	}
}

// readString reads a table held in a string.
func readString(t *testing.T, s string, opts corpora.ReadOptions, topts TableOptions) ([]*corpora.Unit, error) {
	t.Helper()
	r, err := NewReaderWith(strings.NewReader(s), opts, topts)
	if err != nil {
		return nil, err
	}
	return readAll(r)
}

// wantUnit is what a test expects of the unit read from a line.
type wantUnit struct {
	line           int
	source, target string
	domain, id     string
	srcLang        string
	tgtLang        string
	notes          []string
}

func checkUnit(t *testing.T, u *corpora.Unit, w wantUnit) {
	t.Helper()
	if got := u.Source.Plain(); got != w.source {
		t.Errorf("line %d: source = %q, want %q", w.line, got, w.source)
	}
	if got := u.Target.Plain(); got != w.target {
		t.Errorf("line %d: target = %q, want %q", w.line, got, w.target)
	}
	if u.Domain != w.domain {
		t.Errorf("line %d: domain = %q, want %q", w.line, u.Domain, w.domain)
	}
	if u.ID != w.id {
		t.Errorf("line %d: id = %q, want %q", w.line, u.ID, w.id)
	}
	for _, l := range []struct {
		got  language.Tag
		want string
	}{{u.SourceLang, w.srcLang}, {u.TargetLang, w.tgtLang}} {
		want := language.Und
		if l.want != "" {
			want = language.MustParse(l.want)
		}
		if l.got != want {
			t.Errorf("line %d: language = %v, want %v", w.line, l.got, want)
		}
	}
	if strings.Join(u.Notes, "|") != strings.Join(w.notes, "|") {
		t.Errorf("line %d: notes = %q, want %q", w.line, u.Notes, w.notes)
	}
	if u.Origin.Line != w.line {
		t.Errorf("origin line = %d, want %d", u.Origin.Line, w.line)
	}
}

func TestReaderSamples(t *testing.T) {
	tests := []struct {
		path    []string
		opts    corpora.ReadOptions
		count   int
		delim   rune
		header  bool
		escapes bool
		units   []wantUnit
	}{
		{
			path: []string{"gettext", "en-es.memory.tsv"}, count: 48076, delim: '\t', header: true, escapes: true,
			units: []wantUnit{
				{line: 2, source: " from %.*s", target: " de %.*s", domain: "Linux-PAM"},
				{line: 8, source: "...Sorry, your time is up!\n", target: "...Lo sentimos, el tiempo se ha agotado.\n", domain: "Linux-PAM"},
				{line: 1812, source: "\r\nmalloc: %s:%d: assertion botched\r\n", target: "\r\nmalloc: %s:%d: aserción arruinada\r\n", domain: "bash"},
				{line: 2231, source: "hits\tcommand\n", target: "coinc\torden\n", domain: "bash"},
				{line: 2267, source: `missing hex digit for \x`, target: `falta el dígito hexadecimal para \x`, domain: "bash"},
				{line: 5868, source: `Invalid content of \{\}`, target: `Contenido inválido de \{\}`, domain: "coreutils"},
				{line: 48077, source: "writing to device disabled with 'opendevice' option", target: "Se ha desactivado la escritura en dispositivo con la opción 'opendevice'", domain: "vim"},
			},
		},
		{
			path: []string{"gettext", "en-es.dev.tsv"}, count: 5287, delim: '\t', header: true, escapes: true,
			opts: corpora.ReadOptions{SourceLang: language.English, TargetLang: language.Spanish},
			units: []wantUnit{
				{line: 2, source: "%b %e", target: "%e de %b", domain: "gnome-control-center-2.0", srcLang: "en", tgtLang: "es"},
				{line: 623, source: "Input sources can be switched using the %s keyboard shortcut.\nThis can be changed in the keyboard shortcut settings.",
					target: "Las fuentes de entrada se puede cambiar usando el atajo del teclado %s.\nPuede cambiar este atajo en la configuración del teclado",
					domain: "gnome-control-center-2.0", srcLang: "en", tgtLang: "es"},
				{line: 5288, source: "unknown", target: "desconocido", domain: "gtk30", srcLang: "en", tgtLang: "es"},
			},
		},
		{
			// README says 1,074: that counts the "source target" header line.
			path: []string{"gettext", "en-es.iso-codes.tsv"}, count: 1073, delim: '\t', header: true, escapes: true,
			units: []wantUnit{
				{line: 3, source: "Arabic", target: "árabe"},
				{line: 1074, source: "Àhàn", target: "Ahán"},
			},
		},
		{
			path: []string{"tatoeba", "en-es.tsv"}, count: 118964, delim: '\t',
			units: []wantUnit{
				{line: 1, source: "Go.", target: "Ve."},
				{line: 6, source: "Run!", target: "¡Corre!"},
				{line: 8, source: "Who?", target: "¿Quién?"},
				{line: 118964, source: "If you want to sound like a native speaker, you must be willing to practice saying the same sentence over and over in the same way that banjo players practice the same phrase over and over until they can play it correctly and at the desired tempo.",
					target: "Si quieres sonar como un hablante nativo, debes estar dispuesto a practicar diciendo la misma frase una y otra vez de la misma manera en que un músico de banjo practica el mismo fraseo una y otra vez hasta que lo puedan tocar correctamente y en el tiempo esperado."},
			},
		},
		{
			path: []string{"tico19", "en-es.dev.tsv"}, count: 970, delim: '\t',
			units: []wantUnit{
				{line: 2, source: "and are you having a runny nose?", target: "¿y tiene secreción nasal?"},
				{line: 970, source: "Porcine epidemic diarrhea virus (PED or PEDV), has emerged around the world.", target: "El virus de la diarrea epidémica porcina (PED o PEDV) surgió en todo el mundo."},
			},
		},
		{
			// Half the rows hold only a target language: blank, left out.
			path: []string{"tico19", "f_en-es_XX.csv"}, count: 306, delim: ',', header: true,
			units: []wantUnit{
				{line: 2, source: "1918 flu", target: "La gripe de 1918", id: "1", srcLang: "en", tgtLang: "es-XX"},
			},
		},
		{
			path: []string{"tico19", "g_en_es-419.csv"}, count: 337, delim: ',', header: true,
			units: []wantUnit{
				{line: 3, source: "active cases", target: "casos activos", id: "2", srcLang: "en", tgtLang: "es-419",
					notes: []string{"In the context of coronavirus (COVID-19): known cases of people who currently have the disease."}},
			},
		},
		{
			path: []string{"formats", "omegat", "glossaries", "test.tab"}, count: 4, delim: '\t',
			units: []wantUnit{
				{line: 3, source: "地球システム", target: "System Terre", notes: []string{"https://fr.wikipedia.org/wiki/Science_du_syst%C3%A8me_Terre"}},
			},
		},
		{
			path: []string{"formats", "omegat", "glossaries", "test.csv"}, count: 7, delim: ',',
			units: []wantUnit{
				{line: 4, source: "kde, qu", target: "comma dot"},
				{line: 5, source: `"kde","q"`, target: "cdk"},
				{line: 6, source: `""k`, target: "k"},
			},
		},
		{
			path: []string{"formats", "omegat", "glossaries", "testUTF16LE.txt"}, count: 2, delim: '\t',
			units: []wantUnit{
				{line: 1, source: "UTF", target: "Unicode Transformation Format", notes: []string{"Comment #1"}},
				{line: 2, source: "LE", target: "Little Endian", notes: []string{"Comment #2"}},
			},
		},
	}
	for _, tt := range tests {
		name := strings.Join(tt.path, "/")
		t.Run(name, func(t *testing.T) {
			path := testenv.SharedData(t, tt.path...)
			f, err := os.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			tt.opts.Name = name
			r, err := NewReader(f, tt.opts)
			if err != nil {
				t.Fatalf("NewReader: %v", err)
			}
			if r.Delimiter() != tt.delim || r.Header() != tt.header || r.Escapes() != tt.escapes {
				t.Errorf("delimiter, header, escapes = %q, %v, %v; want %q, %v, %v",
					r.Delimiter(), r.Header(), r.Escapes(), tt.delim, tt.header, tt.escapes)
			}
			byLine := map[int]*corpora.Unit{}
			n := 0
			for {
				u, err := r.Next()
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatalf("Next after %d units: %v", n, err)
				}
				if u.Origin.Index != n || u.Origin.File != name {
					t.Errorf("unit %d: origin = %+v", n, u.Origin)
				}
				n++
				for _, w := range tt.units {
					if w.line == u.Origin.Line {
						byLine[w.line] = u
					}
				}
			}
			if n != tt.count {
				t.Errorf("read %d units, want %d", n, tt.count)
			}
			for _, w := range tt.units {
				u := byLine[w.line]
				if u == nil {
					t.Errorf("no unit from line %d", w.line)
					continue
				}
				checkUnit(t, u, w)
			}
		})
	}
}

func TestReaderEscapes(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		topts   TableOptions
		escapes bool
		want    []string // source, target of each unit
	}{
		{
			name:    "header turns escapes on",
			in:      "source\ttarget\nline\\none\tlínea\\nuna\n",
			escapes: true,
			want:    []string{"line\none", "línea\nuna"},
		},
		{
			name:    "headerless file with escapes",
			in:      "a\\tb\tc\\\\d\n",
			escapes: true,
			want:    []string{"a\tb", `c\d`},
		},
		{
			// A Tatoeba-style file with a Windows path: backslashes stay.
			name: "literal backslash in headerless file",
			in:   "Open C:\\Users\\tom\\notes.txt.\tAbre C:\\Users\\tom\\notes.txt.\nGo.\tVe.\n",
			want: []string{`Open C:\Users\tom\notes.txt.`, `Abre C:\Users\tom\notes.txt.`, "Go.", "Ve."},
		},
		{
			name: "literal backslash turns a header's escapes off",
			in:   "source\ttarget\nC:\\new\tC:\\nuevo\\x\n",
			want: []string{`C:\new`, `C:\nuevo\x`},
		},
		{
			name: "no backslash at all",
			in:   "Tom said \"Hi.\"\tTom dijo \"Hola.\"\n",
			want: []string{`Tom said "Hi."`, `Tom dijo "Hola."`},
		},
		{
			name:    "forced on keeps unknown escapes",
			in:      "a\\qb\\\tc\\n\n",
			topts:   TableOptions{Escapes: EscapesOn},
			escapes: true,
			want:    []string{`a\qb\`, "c\n"},
		},
		{
			name:  "forced off",
			in:    "source\ttarget\na\\nb\tc\n",
			topts: TableOptions{Escapes: EscapesOff},
			want:  []string{`a\nb`, "c"},
		},
		{
			name: "csv is literal by default",
			in:   "source,target\n\"a\\nb\",c\n",
			want: []string{`a\nb`, "c"},
		},
		{
			name:    "csv escapes when asked",
			in:      "source,target\n\"a\\nb\",c\n",
			topts:   TableOptions{Escapes: EscapesOn},
			escapes: true,
			want:    []string{"a\nb", "c"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := NewReaderWith(strings.NewReader(tt.in), corpora.ReadOptions{}, tt.topts)
			if err != nil {
				t.Fatal(err)
			}
			if r.Escapes() != tt.escapes {
				t.Errorf("Escapes() = %v, want %v", r.Escapes(), tt.escapes)
			}
			us, err := readAll(r)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, u := range us {
				got = append(got, u.Source.Plain(), u.Target.Plain())
			}
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("read %q, want %q", got, tt.want)
			}
		})
	}
}

func TestReaderHeader(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		opts  corpora.ReadOptions
		topts TableOptions
		want  []wantUnit
		props []corpora.Prop // of the first unit
	}{
		{
			name: "gettext columns",
			in:   "domain\tsource\ttarget\ngit\tcommit\tconfirmar\n",
			want: []wantUnit{{line: 2, source: "commit", target: "confirmar", domain: "git"}},
		},
		{
			name: "language codes give languages",
			in:   "en\tes-419\nHello\tHola\n",
			want: []wantUnit{{line: 2, source: "Hello", target: "Hola", srcLang: "en", tgtLang: "es-419"}},
		},
		{
			name: "posix locale codes",
			in:   "en_US\tpt_BR\nfile\tarquivo\n",
			want: []wantUnit{{line: 2, source: "file", target: "arquivo", srcLang: "en-US", tgtLang: "pt-BR"}},
		},
		{
			name: "requested languages pick columns",
			in:   "en\tde\tes\nred\trot\trojo\n",
			opts: corpora.ReadOptions{SourceLang: language.Spanish, TargetLang: language.German},
			want: []wantUnit{{line: 2, source: "rojo", target: "rot", srcLang: "es", tgtLang: "de"}},
		},
		{
			name: "role names, case and punctuation aside",
			in:   "Source String\tTARGET_STRING\tNotes\tStatus\tKey\nOpen\tAbrir\ta verb\tapproved\tk1\n",
			want: []wantUnit{{line: 2, source: "Open", target: "Abrir", id: "k1", notes: []string{"a verb"}}},
		},
		{
			name:  "unknown columns become properties",
			in:    "source,target,pos\nrun,correr,verb\n",
			want:  []wantUnit{{line: 2, source: "run", target: "correr"}},
			props: []corpora.Prop{{Type: "pos", Value: "verb"}},
		},
		{
			name: "per-row languages filter the requested pair",
			in:   "sourceLang\ttargetLang\tsource\ttarget\nen\tes\tdog\tperro\nen\tfr\tdog\tchien\nen_GB\tes_ES\tcar\tcoche\n",
			opts: corpora.ReadOptions{SourceLang: language.English, TargetLang: language.Spanish},
			want: []wantUnit{{line: 2, source: "dog", target: "perro", srcLang: "en", tgtLang: "es"}, {line: 4, source: "car", target: "coche", srcLang: "en-GB", tgtLang: "es-ES"}},
		},
		{
			name: "a data row of words is not a header",
			in:   "Go.\tVe.\nHi.\tHola.\n",
			want: []wantUnit{{line: 1, source: "Go.", target: "Ve."}, {line: 2, source: "Hi.", target: "Hola."}},
		},
		{
			name: "id is an identifier, not Indonesian",
			in:   "id\ten\tfr\n7\tcat\tchat\n",
			want: []wantUnit{{line: 2, source: "cat", target: "chat", id: "7", srcLang: "en", tgtLang: "fr"}},
		},
		{
			name:  "forced header with unknown names",
			in:    "A\tB\tC\nx\ty\tz\n",
			topts: TableOptions{Header: HeaderYes},
			want:  []wantUnit{{line: 2, source: "x", target: "y"}},
			props: []corpora.Prop{{Type: "C", Value: "z"}},
		},
		{
			name:  "forced no header",
			in:    "source\ttarget\nx\ty\n",
			topts: TableOptions{Header: HeaderNo},
			want:  []wantUnit{{line: 1, source: "source", target: "target"}, {line: 2, source: "x", target: "y"}},
		},
		{
			name:  "comments and blank lines",
			in:    "# glossary\n\nsource\ttarget\n# a comment\n\nx\ty\n\t\n",
			topts: TableOptions{Comment: '#'},
			want:  []wantUnit{{line: 6, source: "x", target: "y"}},
		},
		{
			name: "semicolon csv",
			in:   "source;target\n\"a;b\";c\n",
			want: []wantUnit{{line: 2, source: "a;b", target: "c"}},
		},
		{
			// RFC 4180: a line break inside quotes is part of the cell,
			// "\r\n" too (encoding/csv alone would drop the "\r").
			name: "csv cell spanning lines",
			in:   "source,target\n\"two\nlines\",\"dos\r\nlíneas\"\nnext,siguiente\n",
			want: []wantUnit{{line: 2, source: "two\nlines", target: "dos\r\nlíneas"}, {line: 5, source: "next", target: "siguiente"}},
		},
		{
			// A file whose lines all end in "\r\n" means "\n" by them,
			// inside cells too.
			name: "csv cell spanning lines, crlf file",
			in:   "source,target\r\n\"two\r\nlines\",\"dos\r\nlíneas\"\r\nnext,siguiente\r\n",
			want: []wantUnit{{line: 2, source: "two\nlines", target: "dos\nlíneas"}, {line: 5, source: "next", target: "siguiente"}},
		},
		{
			name: "csv private-use characters and quotes",
			in:   "source,target\n\"a\uE000r\"\"\r\",b\uE000\uE000\n",
			want: []wantUnit{{line: 2, source: "a\uE000r\"\r", target: "b\uE000\uE000"}},
		},
		{
			name: "crlf",
			in:   "source\ttarget\r\na\tb\r\n",
			want: []wantUnit{{line: 2, source: "a", target: "b"}},
		},
		{
			name: "empty target",
			in:   "a\t\n",
			want: []wantUnit{{line: 1, source: "a", target: ""}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			us, err := readString(t, tt.in, tt.opts, tt.topts)
			if err != nil {
				t.Fatal(err)
			}
			if len(us) != len(tt.want) {
				t.Fatalf("read %d units, want %d", len(us), len(tt.want))
			}
			for i, w := range tt.want {
				checkUnit(t, us[i], w)
			}
			if tt.props != nil && !propsEqual(us[0].Props, tt.props) {
				t.Errorf("props = %v, want %v", us[0].Props, tt.props)
			}
		})
	}
}

func propsEqual(a, b []corpora.Prop) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestReaderStatus(t *testing.T) {
	us, err := readString(t, "source\ttarget\tstatus\na\tb\tDraft\nc\td\t\n", corpora.ReadOptions{}, TableOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(us) != 2 || us[0].Status != corpora.StatusDraft || us[1].Status != corpora.StatusUnspecified {
		t.Errorf("statuses = %v, %v; want draft, unspecified", us[0].Status, us[1].Status)
	}
}

// utf16Bytes encodes s as UTF-16 in the given byte order, with a BOM if asked.
func utf16Bytes(s string, bigEndian, bom bool) []byte {
	var b bytes.Buffer
	units := utf16.Encode([]rune(s))
	if bom {
		units = append([]uint16{0xFEFF}, units...)
	}
	for _, u := range units {
		if bigEndian {
			b.WriteByte(byte(u >> 8))
			b.WriteByte(byte(u))
		} else {
			b.WriteByte(byte(u))
			b.WriteByte(byte(u >> 8))
		}
	}
	return b.Bytes()
}

func TestReaderEncodings(t *testing.T) {
	const text = "source\ttarget\nSpring is coming.\tLa primavera está llegando.\n¿Qué?\t什么？\n"
	tests := []struct {
		name string
		in   []byte
	}{
		{"utf-8", []byte(text)},
		{"utf-8 bom", append([]byte{0xEF, 0xBB, 0xBF}, text...)},
		{"utf-16le bom", utf16Bytes(text, false, true)},
		{"utf-16be bom", utf16Bytes(text, true, true)},
		{"utf-16le", utf16Bytes(text, false, false)},
		{"utf-16be", utf16Bytes(text, true, false)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !Sniff(tt.in) {
				t.Errorf("Sniff = false")
			}
			r, err := NewReader(bytes.NewReader(tt.in), corpora.ReadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			us, err := readAll(r)
			if err != nil {
				t.Fatal(err)
			}
			if !r.Header() || len(us) != 2 {
				t.Fatalf("header %v, %d units; want a header and 2 units", r.Header(), len(us))
			}
			checkUnit(t, us[0], wantUnit{line: 2, source: "Spring is coming.", target: "La primavera está llegando."})
			checkUnit(t, us[1], wantUnit{line: 3, source: "¿Qué?", target: "什么？"})
		})
	}
}
