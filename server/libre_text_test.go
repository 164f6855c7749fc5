package server

import (
	"html"
	"strings"
	"testing"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/translate"
)

// identity "translates" each segment as itself, codes and all.
func identity(segs []translate.Segment) []translate.Result {
	rs := make([]translate.Result, len(segs))
	for i, s := range segs {
		rs[i] = translate.Result{Target: s.Source, Translation: s.Source.Plain()}
	}
	return rs
}

// upper "translates" each segment by upper-casing its text, keeping its
// codes where they are.
func upper(segs []translate.Segment) []translate.Result {
	rs := make([]translate.Result, len(segs))
	for i, s := range segs {
		var t corpora.Segment
		for _, sp := range s.Source.Spans {
			if sp.Code != nil {
				t.AppendCode(sp.Code)
			} else {
				t.Append(strings.ToUpper(sp.Text))
			}
		}
		rs[i] = translate.Result{Target: t, Translation: t.Plain()}
	}
	return rs
}

func TestTextBatch(t *testing.T) {
	tests := []struct {
		name     string
		html     bool
		in       string
		segments []string // the segments, codes as ⟨Native⟩
		out      string   // rendered with upper
	}{
		{"sentences", false, "  One. Two?\n\nThree  ", []string{"One.", "Two?", "Three"}, "  ONE. TWO?\n\nTHREE  "},
		{"blank", false, " \n ", nil, " \n "},
		{"markup as text", false, "Press <b>OK</b>.", []string{"Press <b>OK</b>."}, "PRESS <B>OK</B>."},
		{"blocks", true, "<p>One. Two.</p><p>Three</p>", []string{"One.", "Two.", "Three"}, "<p>ONE. TWO.</p><p>THREE</p>"},
		{"inline codes inside", true, `<p>Click <a href="x">here</a> now.</p>`, []string{`Click ⟨<a href="x">⟩here⟨</a>⟩ now.`},
			`<p>CLICK <a href="x">HERE</a> NOW.</p>`},
		{"codes at the edges are kept out", true, "<b>One.</b> <i>Two.</i>", []string{"One.", "Two."}, "<b>ONE.</b> <i>TWO.</i>"},
		{"a tag across sentences", true, "One <b>two. Three</b> four.", []string{"One ⟨<b>⟩two.", "Three⟨</b>⟩ four."}, "ONE <b>TWO. THREE</b> FOUR."},
		{"entities", true, "<p>Tom &amp; Jerry &lt;3&gt; &#233;t&eacute;</p>", []string{"Tom & Jerry <3> été"}, "<p>TOM &amp; JERRY <3> ÉTÉ</p>"},
		{"text that only looks like a tag", true, "a < b and c > d", []string{"a < b and c > d"}, "A < B AND C > D"},
		{"markup that would be a tag is escaped", true, "x &lt;b&gt; y", []string{"x <b> y"}, "X &lt;B> Y"},
		{"script, style and comments", true, "<style>p{}</style><script>a='<p>x</p>'</script><!-- c --><p>One</p>", []string{"One"},
			"<style>p{}</style><script>a='<p>x</p>'</script><!-- c --><p>ONE</p>"},
		{"a comment inside", true, "<p>One <!-- c -->two</p>", []string{"One ⟨<!-- c -->⟩two"}, "<p>ONE <!-- c -->TWO</p>"},
		{"only markup", true, "<p><img src=a.png></p>", nil, "<p><img src=a.png></p>"},
		{"unterminated tag", true, "<p>One <b", []string{"One <b"}, "<p>ONE &lt;B"},
		{"quoted >", true, `<p title="a>b">One</p>`, []string{"One"}, `<p title="a>b">ONE</p>`},
	}
	for _, tt := range tests {
		b := newTextBatch(language.English, tt.html)
		i := b.add(tt.in)
		var got []string
		for _, s := range b.segments() {
			var sb strings.Builder
			for _, sp := range s.Source.Spans {
				if sp.Code != nil {
					sb.WriteString("⟨" + sp.Code.Native + "⟩")
				} else {
					sb.WriteString(sp.Text)
				}
			}
			got = append(got, sb.String())
		}
		if strings.Join(got, "|") != strings.Join(tt.segments, "|") {
			t.Errorf("%s: segments %q, want %q", tt.name, got, tt.segments)
		}
		if out := b.render(i, upper(b.segments())); out != tt.out {
			t.Errorf("%s: rendered %q, want %q", tt.name, out, tt.out)
		}
	}
}

// TestTextBatchContext checks that each segment knows its neighbours in
// its own text, not in the texts around it.
func TestTextBatchContext(t *testing.T) {
	b := newTextBatch(language.English, false)
	b.add("One. Two. Three.")
	b.add("Four.")
	segs := b.segments()
	if len(segs) != 4 || segs[1].Prev != "One." || segs[1].Next != "Three." || segs[2].Next != "" || segs[3].Prev != "" {
		t.Errorf("context: %+v", segs)
	}
}

func FuzzTextBatch(f *testing.F) {
	for _, s := range []string{"One. Two.", "<p>One <b>two. Three</b> four.</p>", "<!DOCTYPE html><script>x<y</script>&amp;<br/>",
		"a < b", "<p title='>'>x</p>", "<!-- x", "&#xZZ; <a", "<p>One</p>\n\n<p>Two. Three</p>"} {
		f.Add(s, true)
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, s string, isHTML bool) {
		var raw strings.Builder
		for _, tok := range scanHTML(s) {
			raw.WriteString(tok.raw)
		}
		if raw.String() != s {
			t.Fatalf("scanHTML(%q) tokens make %q", s, raw.String())
		}
		b := newTextBatch(language.English, isHTML)
		i := b.add(s)
		out := b.render(i, identity(b.segments()))
		if !isHTML && out != s {
			t.Fatalf("text %q comes back as %q", s, out)
		}
		if isHTML && html.UnescapeString(out) != html.UnescapeString(s) {
			t.Fatalf("HTML %q comes back as %q", s, out)
		}
	})
}

func TestAPyCodes(t *testing.T) {
	for _, tt := range []struct {
		code, tag string
		ok        bool
	}{
		{"eng", "en", true}, {"en", "en", true}, {"spa", "es", true}, {"eng_US", "en-US", true}, {"pt_BR", "pt-BR", true},
		{"cat_valencia", "ca-valencia", true}, {"", "", false}, {"e", "", false}, {"eng_!", "", false},
	} {
		tag, ok := apyTag(tt.code)
		if tag != tt.tag || ok != tt.ok {
			t.Errorf("apyTag(%q) = %q, %v, want %q, %v", tt.code, tag, ok, tt.tag, tt.ok)
		}
	}
	for tag, want := range map[string][2]string{"en": {"eng", "en"}, "es": {"spa", "es"}, "en-US": {"eng_US", "en_US"}, "ca-valencia": {"cat_valencia", "ca_valencia"}} {
		if got := [2]string{apyCode(tag), apyCode2(tag)}; got != want {
			t.Errorf("apyCode(%q), apyCode2 = %q, want %q", tag, got, want)
		}
	}
}
