package formats

import (
	"errors"
	"testing"

	"golang.org/x/text/encoding/unicode"

	"github.com/kgmem/kgmem/corpora"
)

func TestDetect(t *testing.T) {
	utf16, _ := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().String(`<?xml version="1.0" encoding="UTF-16"?><tmx version="1.4">`)
	tests := []struct {
		name string
		head string
		want Format
	}{
		{"a.tmx", `<?xml version="1.0"?><tmx version="1.4">`, TMX},
		{"a.xml", `<?xml version="1.0"?><!-- c --><!DOCTYPE tmx SYSTEM "tmx14.dtd"><tmx version="1.4">`, TMX},
		{"noext", "\xEF\xBB\xBF<?xml version=\"1.0\"?>\n<martif type=\"TBX\">", TBX},
		{"noext", `<tbx type="TBX-Basic" xmlns="urn:iso:std:iso:30042:ed-2">`, TBX},
		{"a.xml", `<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">`, XLIFF},
		{"a.xml", `<x:xliff xmlns:x="urn:oasis:names:tc:xliff:document:2.0" version="2.0">`, XLIFF},
		{"a.xml", `<!DOCTYPE x [<!ENTITY a "b">]><xliff version="1.2">`, XLIFF},
		{"renamed.txt", utf16, TMX},
		{"a.mo", "\xde\x12\x04\x95rest", MO},
		{"x", "\x95\x04\x12\xderest", MO},
		{"x", "# comment\n#, fuzzy\nmsgid \"\"\nmsgstr \"\"\n", PO},
		{"x", "msgctxt \"menu\"\nmsgid \"File\"\n", PO},
		{"a.po", "", PO},
		{"a.tsv", "source\ttarget\n", TSV},
		{"a.csv", "a,b\n", CSV},
		{"glossary.tab", "kde\tkoo\n", Glossary},
		{"notes.txt", "Hello. World.", Text},
		{"a.tmx.gz", "\x1f\x8b", TMX},
		{"A.XLF", "", XLIFF},
	}
	for _, tt := range tests {
		got, err := Detect(tt.name, []byte(tt.head))
		if err != nil || got != tt.want {
			t.Errorf("Detect(%q, %q) = %q, %v; want %q", tt.name, tt.head, got, err, tt.want)
		}
	}
	for _, bad := range []struct{ name, head string }{
		{"noext", "hello world"},
		{"a.xml", `<html><body>`},
		{"a.docx", "PK\x03\x04"},
	} {
		if got, err := Detect(bad.name, []byte(bad.head)); !errors.Is(err, corpora.ErrUnknownFormat) {
			t.Errorf("Detect(%q, %q) = %q, %v; want ErrUnknownFormat", bad.name, bad.head, got, err)
		}
	}
}

func TestParse(t *testing.T) {
	for in, want := range map[string]Format{"": Auto, "TMX": TMX, "xlf": XLIFF, "pot": PO, "tab": Glossary, "txt": Text, "moses": Moses} {
		if got, err := Parse(in); err != nil || got != want {
			t.Errorf("Parse(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := Parse("docx"); err == nil {
		t.Error(`Parse("docx") succeeded, want error`)
	}
}
