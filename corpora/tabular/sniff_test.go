package tabular

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kgmem/kgmem/internal/testenv"
)

func TestSniff(t *testing.T) {
	tests := []struct {
		name string
		head string
		want rune
	}{
		{"tsv", "Go.\tVe.\nHi.\tHola.\n", '\t'},
		{"tsv one line", "Go.\tVe.", '\t'},
		{"tsv with comment", "# glossary\nkde\tkoo\n", '\t'},
		{"csv", "id,source,target\n1,\"a, b\",c\n", ','},
		{"csv header only", "source,target\n", ','},
		{"semicolon", "source;target\nx;y\nz;\"w;v\"\n", ';'},
		{"csv bom", "\xEF\xBB\xBFen,es\nred,rojo\n", ','},
		{"utf-16le tsv", string(utf16Bytes("source\ttarget\na\tb\n", false, true)), '\t'},
		{"utf-16be tsv without bom", string(utf16Bytes("source\ttarget\na\tb\n", true, false)), '\t'},
		{"empty", "", 0},
		{"blank", "\n\n  \n", 0},
		{"prose", "It was a dark night.\nThe end.\n", 0},
		{"prose with commas", "Well, it was a dark, cold night.\n", 0},
		{"prose with ragged commas", "Well, it was dark.\nYes, cold, too.\n", 0},
		{"xml", "<?xml version=\"1.0\"?>\n<tmx version=\"1.4\">\t<body/>\n", 0},
		{"json", "[\"a\",\"b\"]\n", 0},
		{"po", "msgid \"\"\nmsgstr \"\"\n\"Content-Type: text/plain; charset=UTF-8\\n\"\n", 0},
		{"binary", "\x00\x01\x02\x03\t\xff\xfe", 0},
		{"invalid utf-8", "a\tb\xff\n", 0},
		{"some lines without a tab", "a\tb\nno tab here\n", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := SniffDelimiter([]byte(tt.head)); got != tt.want {
				t.Errorf("SniffDelimiter(%q) = %q, want %q", tt.head, got, tt.want)
			}
			if got := Sniff([]byte(tt.head)); got != (tt.want != 0) {
				t.Errorf("Sniff(%q) = %v", tt.head, got)
			}
		})
	}
}

// TestSniffSamples sniffs the first 4096 bytes of every shared sample: the
// tables are tables, and no XML, TBX or TMX file is.
func TestSniffSamples(t *testing.T) {
	root := testenv.SharedData(t)
	tables := map[string]rune{
		"gettext/en-es.memory.tsv":                  '\t',
		"gettext/en-es.dev.tsv":                     '\t',
		"gettext/en-es.iso-codes.tsv":               '\t',
		"tatoeba/en-es.tsv":                         '\t',
		"tico19/en-es.dev.tsv":                      '\t',
		"tico19/f_en-es_XX.csv":                     ',',
		"tico19/g_en_es-419.csv":                    ',',
		"formats/omegat/glossaries/test.tab":        '\t',
		"formats/omegat/glossaries/test.csv":        ',',
		"formats/omegat/glossaries/testUTF16LE.txt": '\t',
	}
	seen := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		ext := strings.ToLower(filepath.Ext(rel))
		want, isTable := tables[rel]
		if !isTable && ext != ".tmx" && ext != ".xlf" && ext != ".xliff" && ext != ".tbx" && ext != ".md" {
			return nil
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		head := make([]byte, 4096)
		n, _ := f.Read(head)
		if got := SniffDelimiter(head[:n]); got != want {
			t.Errorf("SniffDelimiter(%s) = %q, want %q", rel, got, want)
		}
		seen++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if seen < 50 {
		t.Errorf("sniffed only %d files", seen)
	}
}
