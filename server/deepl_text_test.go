package server

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/plugins"
)

// layoutString shows a layout: sentences in [brackets], codes as {native},
// kept text as it is.
func layoutString(parts []layoutPart) string {
	var b strings.Builder
	for _, p := range parts {
		if p.sentence == nil {
			for _, sp := range p.keep {
				if sp.code != nil {
					b.WriteString("{" + sp.code.Native + "}")
				} else {
					b.WriteString(sp.text)
				}
			}
			continue
		}
		b.WriteString("[")
		for _, sp := range p.sentence.Spans {
			if sp.Code != nil {
				b.WriteString("{" + sp.Code.Native + "}")
			} else {
				b.WriteString(sp.Text)
			}
		}
		b.WriteString("]")
	}
	return b.String()
}

func TestLayoutText(t *testing.T) {
	en := language.English
	plain := func(split splitMode) layoutOptions { return newLayoutOptions(tagsNone, split, en, nil, nil, nil) }
	xml := func(split splitMode, splitting, ignore string) layoutOptions {
		set := func(s string) map[string]bool {
			m := map[string]bool{}
			for _, t := range strings.Fields(s) {
				m[t] = true
			}
			return m
		}
		return newLayoutOptions(tagsXML, split, en, set(splitting), nil, set(ignore))
	}
	html := newLayoutOptions(tagsHTML, splitNoNewlines, en, nil, nil, nil)
	tests := []struct {
		name string
		text string
		opts layoutOptions
		want string
	}{
		{"sentences", "Open it. Close it.", plain(splitAll), "[Open it.] [Close it.]"},
		{"newlines split", "Open it\nClose it.", plain(splitAll), "[Open it]\n[Close it.]"},
		{"nonewlines", "Open it\nnow. Close it.", plain(splitNoNewlines), "[Open it\nnow.] [Close it.]"},
		{"no splitting", "  Open it. Close it.\n", plain(splitNone), "  [Open it. Close it.]\n"},
		{"white space only", " \n ", plain(splitAll), " \n "},
		{"plain text keeps markup as text", "Open <b>it</b>. Close it.", plain(splitAll), "[Open <b>it</b>.] [Close it.]"},
		{"inline tags are codes", "Open <b>it</b> now.", xml(splitAll, "", ""), "[Open {<b>}it{</b>} now.]"},
		{"tags at the edges are kept", "<b>Open it.</b> Close it.", xml(splitAll, "", ""), "{<b>}[Open it.]{</b>} [Close it.]"},
		{"entities are decoded", "Tom &amp; Jerry &lt;3.", xml(splitAll, "", ""), "[Tom & Jerry <3.]"},
		{"splitting tags", "Open it<sep/>close it", xml(splitNoNewlines, "sep", ""), "[Open it]{<sep/>}[close it]"},
		{"no splitting at all", "Open it<sep/>close it", xml(splitNone, "sep", ""), "[Open it{<sep/>}close it]"},
		{"ignored element", "Open <x a=\"1>2\">it <x>now</x></x> please.", xml(splitAll, "", "x"), "[Open {<x a=\"1>2\">it <x>now</x></x>} please.]"},
		{"comments and CDATA", "A<!-- x. Y -->b <![CDATA[c. D]]> e.", xml(splitAll, "", ""), "[A{<!-- x. Y -->}b {<![CDATA[c. D]]>} e.]"},
		{"a lone <", "1 < 2 and 3 <4.", xml(splitAll, "", ""), "[1 < 2 and 3 <4.]"},
		{"html blocks split", "<p>Open it</p><p>Close it</p>", html, "{<p>}[Open it]{</p>}{<p>}[Close it]{</p>}"},
		{"html void elements", "Line one<br>line two", html, "[Line one]{<br>}[line two]"},
		{"html scripts are not translated", "Hi <script>if (a < b) x();</script> there.", html, "[Hi {<script>if (a < b) x();</script>} there.]"},
		{"multi-byte edges", "Ñandú à", plain(splitNone), "[Ñandú à]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := layoutString(layoutText(tt.text, tt.opts)); got != tt.want {
				t.Errorf("layoutText(%q) = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}

// TestRenderUntranslated checks that a text put back together from its own
// sentences is the text (entities aside, which come back escaped the one
// way).
func TestRenderUntranslated(t *testing.T) {
	tests := []struct {
		text string
		tags tagMode
		want string
	}{
		{"Open it. Close it.\n\nBye", tagsNone, ""},
		{"<p>Open <b>it</b>.</p> <p>Close &amp; go</p>", tagsHTML, ""},
		{"Tom &#38; Jerry &gt; 3", tagsXML, "Tom &amp; Jerry &gt; 3"},
	}
	for _, tt := range tests {
		want := tt.want
		if want == "" {
			want = tt.text
		}
		o := newLayoutOptions(tt.tags, splitAll, language.English, nil, nil, nil)
		if got := renderUntranslated(layoutText(tt.text, o), tt.tags); got != want {
			t.Errorf("render(layoutText(%q)) = %q, want %q", tt.text, got, want)
		}
	}
}

func renderUntranslated(parts []layoutPart, tags tagMode) string {
	var b strings.Builder
	for _, p := range parts {
		if p.sentence == nil {
			renderSpans(&b, p.keep, tags)
		} else {
			renderSegment(&b, *p.sentence, tags)
		}
	}
	return b.String()
}

// FuzzLayoutText checks that any text lays out without a panic, that its
// sentences are the text's own words, and that a plain text comes back
// whole.
func FuzzLayoutText(f *testing.F) {
	for _, s := range []string{"Open it. Close it.", "<p>Open <b>it</b>.</p>", "a <!-- b", "<x a='>'>y</x>", "&amp;&#x26;&bogus;", "Ñ\u00a0\u0085.\n\nB"} {
		f.Add(s, uint8(0), uint8(0))
	}
	f.Fuzz(func(t *testing.T, s string, tags, split uint8) {
		o := newLayoutOptions(tagMode(tags%3), splitMode(split%3), language.English, map[string]bool{"sep": true}, nil, map[string]bool{"x": true})
		parts := layoutText(s, o)
		got := renderUntranslated(parts, o.tags)
		if o.tags == tagsNone && got != s {
			t.Fatalf("plain text %q came back as %q", s, got)
		}
		for _, p := range parts {
			if p.sentence != nil && strings.TrimSpace(p.sentence.Plain()) == "" && !p.sentence.HasCodes() {
				t.Fatalf("an empty sentence in the layout of %q", s)
			}
		}
	})
}

func TestParseGlossaryEntries(t *testing.T) {
	tests := []struct {
		name, format, text string
		want               string // the pairs as JSON, or "" for an error
	}{
		{"tsv", "tsv", "gizmo\tartilugio\r\n\nwidget \t componente\n", `[{"Source":"gizmo","Target":"artilugio"},{"Source":"widget","Target":"componente"}]`},
		{"csv", "csv", "gizmo,artilugio\n\"a, b\",\"c \"\"d\"\"\"\n", `[{"Source":"gizmo","Target":"artilugio"},{"Source":"a, b","Target":"c \"d\""}]`},
		{"csv with languages", "csv", "gizmo,artilugio,en,es\n", `[{"Source":"gizmo","Target":"artilugio"}]`},
		{"csv of other languages", "csv", "gizmo,artilugio,en,fr\n", ""},
		{"no tab", "tsv", "gizmo artilugio", ""},
		{"two tabs", "tsv", "a\tb\tc", ""},
		{"empty term", "tsv", "a\t ", ""},
		{"repeated source", "tsv", "a\tb\na\tc", ""},
		{"control character", "tsv", "a\u0085b\tc", ""},
		{"nothing", "tsv", "\n\n", ""},
		{"unknown format", "xlsx", "a\tb", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseGlossaryEntries(tt.format, tt.text, "en", "es")
			if tt.want == "" {
				if err == nil {
					t.Errorf("parseGlossaryEntries(%q) = %v, want an error", tt.text, got)
				}
				return
			}
			data, _ := json.Marshal(got)
			if err != nil || string(data) != tt.want {
				t.Errorf("parseGlossaryEntries(%q) = %s, %v; want %s", tt.text, data, err, tt.want)
			}
		})
	}
}

func FuzzParseGlossaryEntries(f *testing.F) {
	f.Add("tsv", "a\tb\nc\td")
	f.Add("csv", "\"a,\",b,en,es\n")
	f.Fuzz(func(t *testing.T, format, text string) {
		pairs, err := parseGlossaryEntries(format, text, "en", "es")
		if err != nil {
			return
		}
		seen := map[string]bool{}
		for _, p := range pairs {
			if p.Source == "" || p.Target == "" || seen[p.Source] || p.Source != strings.TrimSpace(p.Source) {
				t.Fatalf("parseGlossaryEntries(%q, %q) gave the entry %+v", format, text, p)
			}
			seen[p.Source] = true
		}
	})
}

func TestDeepLLangs(t *testing.T) {
	l := deeplLangs{"en": {"es", "pt-BR"}, "es": {"en"}}
	tests := []struct {
		source, target string
		want           string // source/target, or "" for an error
	}{
		{"EN", "ES", "en/es"},
		{"en", "es", "en/es"},
		{"EN-US", "PT-BR", "en/pt-BR"},
		{"EN", "PT", "en/pt-BR"}, // the bare language DeepL still takes
		{"EN", "PT-PT", ""},      // a variant the memory does not have
		{"ES", "EN-GB", "es/en"}, // a memory of "en" answers both variants
		{"ES", "EN-US", "es/en"},
		{"ES", "en", "es/en"},
		{"FR", "ES", ""},
		{"EN", "DE", ""},
		{"", "ES", ""},
	}
	for _, tt := range tests {
		src, err := l.source(tt.source)
		got := ""
		if err == nil {
			var tgt string
			if tgt, err = l.target(src, tt.target); err == nil {
				got = src + "/" + tgt
			}
		}
		if got != tt.want {
			t.Errorf("resolve(%q, %q) = %q (%v), want %q", tt.source, tt.target, got, err, tt.want)
		}
	}
	if got := strings.Join(l.targetCodes(""), " "); got != "EN-GB EN-US ES PT-BR" {
		t.Errorf("target codes = %s", got)
	}
	if got := strings.Join(l.sourceCodes(), " "); got != "EN ES" {
		t.Errorf("source codes = %s", got)
	}
}

func FuzzJSONParams(f *testing.F) {
	f.Add([]byte(`{"text": ["a", "b"], "target_lang": "ES", "preserve_formatting": true, "n": 1}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := jsonParams(data)
		if err != nil {
			return
		}
		for k, vs := range p {
			for _, v := range vs {
				if !utf8.ValidString(k) || !utf8.ValidString(v) {
					t.Fatalf("jsonParams(%q) gave %q = %q, not UTF-8", data, k, v)
				}
			}
		}
	})
}

func TestDeepLFormality(t *testing.T) {
	for _, tc := range []struct {
		formality string
		supported bool
		want      string
		err       bool
	}{
		{"", true, "", false}, {"default", false, "", false},
		{"more", true, plugins.RegisterFormal, false}, {"less", true, plugins.RegisterInformal, false},
		{"prefer_more", true, plugins.RegisterFormal, false}, {"PREFER_LESS", true, plugins.RegisterInformal, false},
		// A language the model has no register in: DeepL's error for
		// more and less, the default for the prefer_ values.
		{"more", false, "", true}, {"less", false, "", true}, {"prefer_more", false, "", false},
		{"polite", true, "", true},
	} {
		got, err := deeplFormality(tc.formality, tc.supported)
		if got != tc.want || (err != nil) != tc.err {
			t.Errorf("deeplFormality(%q, %v) = %q, %v; want %q, error %v", tc.formality, tc.supported, got, err, tc.want, tc.err)
		}
	}
}
