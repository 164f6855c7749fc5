// Package formats opens any file kgmem can read, choosing the reader by the
// file's extension and content, and creates writers by the output's
// extension. Commands read and write through it; start with Open and Create.
//
// Compressed inputs are unwrapped first: a .gz file is read through gzip, and
// every file in a .zip archive is read in turn.
package formats

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/kgmem/kgmem/corpora"
)

// Format names a file format.
type Format string

// The formats kgmem reads. Writers exist for TMX, TSV, CSV, PO, XLIFF, TBX
// and Text.
const (
	Auto     Format = ""
	TMX      Format = "tmx"
	TBX      Format = "tbx"
	XLIFF    Format = "xliff"
	PO       Format = "po"
	MO       Format = "mo"
	TSV      Format = "tsv"
	CSV      Format = "csv"
	Glossary Format = "glossary" // OmegaT-style tab or CSV glossary: term entries
	Text     Format = "text"     // plain text, segmented into sentences
	Moses    Format = "moses"    // two line-aligned files
)

// All lists the formats in the order their names are shown to users.
var All = []Format{TMX, TBX, XLIFF, PO, MO, TSV, CSV, Glossary, Text, Moses}

// Parse parses a --format value.
func Parse(s string) (Format, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	switch s {
	case "", "auto":
		return Auto, nil
	case "xlf", "xliff2", "xliff12":
		return XLIFF, nil
	case "pot":
		return PO, nil
	case "tab", "txt-glossary":
		return Glossary, nil
	case "txt", "plain", "plaintext":
		return Text, nil
	}
	for _, f := range All {
		if string(f) == s {
			return f, nil
		}
	}
	names := make([]string, len(All))
	for i, f := range All {
		names[i] = string(f)
	}
	return Auto, fmt.Errorf("unknown format %q: use one of %s", s, strings.Join(names, ", "))
}

// byExtension maps a lowercase file extension to a format.
var byExtension = map[string]Format{
	".tmx":      TMX,
	".tbx":      TBX,
	".xlf":      XLIFF,
	".xliff":    XLIFF,
	".sdlxliff": XLIFF,
	".mqxliff":  XLIFF,
	".po":       PO,
	".pot":      PO,
	".mo":       MO,
	".gmo":      MO,
	".tsv":      TSV,
	".csv":      CSV,
	".tab":      Glossary,
	".utf8":     Glossary,
	".txt":      Text,
	".text":     Text,
}

// FromName returns the format a file name's extension implies, or Auto.
// Compression suffixes (.gz) are ignored.
func FromName(name string) Format {
	name = strings.ToLower(name)
	name = strings.TrimSuffix(name, ".gz")
	return byExtension[filepath.Ext(name)]
}

// Detect returns the format of a file from its name and its first bytes.
// Content decides when it is clear (an XML root element, an MO magic
// number, gettext keywords); the extension decides otherwise.
func Detect(name string, head []byte) (Format, error) {
	byName := FromName(name)
	if f := sniff(head); f != Auto {
		// A .txt or .tab that is really tab-separated pairs stays with its
		// name's reader (glossary and text readers handle their own), but an
		// XML or binary format is what it is whatever it is called.
		switch f {
		case TSV, CSV:
			if byName != Auto {
				return byName, nil
			}
		}
		return f, nil
	}
	if byName != Auto {
		return byName, nil
	}
	return Auto, fmt.Errorf("%s: %w", name, corpora.ErrUnknownFormat)
}

// sniff tells a format from content alone, or returns Auto.
func sniff(head []byte) Format {
	if len(head) >= 4 {
		le := head[0] == 0xde && head[1] == 0x12 && head[2] == 0x04 && head[3] == 0x95
		be := head[0] == 0x95 && head[1] == 0x04 && head[2] == 0x12 && head[3] == 0xde
		if le || be {
			return MO
		}
	}
	text := head
	if enc := corpora.DetectEncoding(head); enc != corpora.UTF8 {
		r, _, err := corpora.UTF8Reader(bytes.NewReader(head))
		if err == nil {
			var b bytes.Buffer
			_, _ = b.ReadFrom(r)
			text = b.Bytes()
		}
	}
	if root := xmlRoot(text); root != "" {
		switch root {
		case "tmx":
			return TMX
		case "martif", "tbx":
			return TBX
		case "xliff":
			return XLIFF
		}
		return Auto
	}
	if isPO(text) {
		return PO
	}
	return Auto
}

// xmlRoot returns the local name of the first element of an XML document, or
// "" when text does not start like XML.
func xmlRoot(text []byte) string {
	t := bytes.TrimLeft(text, " \t\r\n")
	if !bytes.HasPrefix(t, []byte("<")) {
		return ""
	}
	for len(t) > 0 {
		i := bytes.IndexByte(t, '<')
		if i < 0 || i+1 >= len(t) {
			return ""
		}
		t = t[i+1:]
		switch {
		case bytes.HasPrefix(t, []byte("?")), bytes.HasPrefix(t, []byte("!--")):
			end := bytes.Index(t, []byte(">"))
			if bytes.HasPrefix(t, []byte("!--")) {
				end = bytes.Index(t, []byte("-->"))
			}
			if end < 0 {
				return ""
			}
			t = t[end+1:]
		case bytes.HasPrefix(t, []byte("!")): // DOCTYPE, possibly with an internal subset
			depth := 0
			j := 0
			for ; j < len(t); j++ {
				if t[j] == '[' {
					depth++
				} else if t[j] == ']' {
					depth--
				} else if t[j] == '>' && depth <= 0 {
					break
				}
			}
			if j >= len(t) {
				return ""
			}
			t = t[j+1:]
		default:
			end := bytes.IndexAny(t, " \t\r\n/>")
			if end < 0 {
				return ""
			}
			name := string(t[:end])
			if k := strings.IndexByte(name, ':'); k >= 0 {
				name = name[k+1:]
			}
			return name
		}
	}
	return ""
}

// isPO reports whether text starts like a gettext catalog: comments and
// blank lines, then msgctxt or msgid.
func isPO(text []byte) bool {
	for _, line := range bytes.Split(text, []byte("\n")) {
		line = bytes.TrimSpace(line)
		switch {
		case len(line) == 0, line[0] == '#':
			continue
		case bytes.HasPrefix(line, []byte("msgid ")), bytes.HasPrefix(line, []byte("msgctxt ")):
			return true
		default:
			return false
		}
	}
	return false
}
