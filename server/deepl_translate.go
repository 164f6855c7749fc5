package server

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora/plaintext"
	"github.com/kgmem/kgmem/memory"
	"github.com/kgmem/kgmem/plugins"
	"github.com/kgmem/kgmem/translate"
)

// deeplUnsupported are the parameters of DeepL's translate and document
// calls that ask for something kgmem does not have: they are refused with
// DeepL's "not supported" rather than ignored.
var deeplUnsupported = map[string]string{
	"model_type":                   "kgmem translates with the model the server is configured with (kgmem serve --model)",
	"tag_handling_version":         "kgmem has one way of handling tags",
	"style_id":                     "kgmem has no style rules",
	"custom_instructions":          "kgmem takes no instructions",
	"translation_memory_id":        "kgmem's memory is used by every call; there is no other to choose",
	"translation_memory_threshold": "kgmem's memory is used by every call with the server's minimum match",
	"glossary_ids":                 "give one glossary_id; every glossary is part of the memory anyway",
	"output_format":                "a document is translated into its own format",
}

// deeplCall is what a translate or document request asks for, resolved.
type deeplCall struct {
	opts       memory.TranslateOptions
	sourceCode string // the DeepL code of the source, as the answer reports it
	glossary   *deeplGlossary
}

// call reads the parameters translate and document requests share: the
// languages, the glossary, formality and what kgmem refuses.
func (d *deepl) call(r *http.Request, p deeplParams) (deeplCall, error) {
	var c deeplCall
	for name, why := range deeplUnsupported {
		if name == "output_format" || !p.has(name) {
			continue
		}
		return c, deeplNotSupported(name, "%s", why)
	}
	l, err := d.langs(r.Context())
	if err != nil {
		return c, err
	}
	if p.get("glossary_id") != "" && p.get("source_lang") == "" {
		return c, &deeplError{status: http.StatusBadRequest, message: "Use of a glossary requires the source_lang parameter to be specified"}
	}
	src, err := l.source(p.get("source_lang"))
	if err != nil {
		return c, err
	}
	tgt, err := l.target(src, p.get("target_lang"))
	if err != nil {
		return c, err
	}
	formal, err := d.registerLangs(r.Context())
	if err != nil {
		return c, err
	}
	register, err := deeplFormality(p.get("formality"), formal[deeplBase(tgt)])
	if err != nil {
		return c, err
	}
	c.opts = memory.TranslateOptions{Model: d.s.opts.Model, SourceLang: src, TargetLang: tgt, Register: register}
	c.sourceCode = deeplSourceCode(src)
	if id := p.get("glossary_id"); id != "" {
		g, err := d.glossary.get(id, callerOf(r))
		if err != nil {
			return c, err
		}
		if !strings.EqualFold(g.SourceLang, deeplBase(src)) || !strings.EqualFold(g.TargetLang, deeplBase(tgt)) {
			return c, &deeplError{status: http.StatusBadRequest, message: "Language pair of the glossary doesn't match the language pair of the request",
				detail: fmt.Sprintf("glossary %s is %s→%s, the request %s→%s", g.ID, g.SourceLang, g.TargetLang, deeplBase(src), deeplBase(tgt))}
		}
		c.glossary = g
	}
	return c, nil
}

func deeplBase(tag string) string {
	b, _ := language.Make(tag).Base()
	return b.String()
}

// deeplFormality returns the register of a formality: "more" and "less"
// where the model can choose (supported), an error where it cannot, as
// DeepL does for a language without formality; the prefer_ values fall back
// to the model's default there.
func deeplFormality(f string, supported bool) (string, error) {
	switch strings.ToLower(f) {
	case "", "default":
		return "", nil
	case "more", "less", "prefer_more", "prefer_less":
		low := strings.ToLower(f)
		if !supported {
			if strings.HasPrefix(low, "prefer_") {
				return "", nil
			}
			return "", &deeplError{status: http.StatusBadRequest, message: "'formality' is not supported for given 'target_lang'.",
				detail: "the model has no formality to choose in this language; use default, prefer_less or prefer_more"}
		}
		if strings.HasSuffix(low, "more") {
			return plugins.RegisterFormal, nil
		}
		return plugins.RegisterInformal, nil
	}
	return "", deeplNotSupported("formality", "use default, less, more, prefer_less or prefer_more")
}

// registerLangs returns the target languages (base subtags) in which the
// server's model follows a register.
func (d *deepl) registerLangs(ctx context.Context) (map[string]bool, error) {
	desc, err := d.s.mem.Models().Describe(ctx, d.s.opts.Model)
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for _, l := range desc.Capabilities.RegisterLanguages {
		out[strings.ToLower(l)] = true
	}
	return out, nil
}

// deeplTextOptions reads how the texts of a translate request are to be read
// and cut.
func deeplTextOptions(p deeplParams, lang language.Tag) (layoutOptions, error) {
	var tags tagMode
	switch strings.ToLower(p.get("tag_handling")) {
	case "":
	case "xml":
		tags = tagsXML
	case "html":
		tags = tagsHTML
	default:
		return layoutOptions{}, deeplNotSupported("tag_handling", "use xml or html")
	}
	split := splitAll
	if tags == tagsHTML {
		split = splitNoNewlines
	}
	switch p.get("split_sentences") {
	case "":
	case "1":
		split = splitAll
	case "0":
		split = splitNone
	case "nonewlines":
		split = splitNoNewlines
	default:
		return layoutOptions{}, deeplNotSupported("split_sentences", "use 0, 1 or nonewlines")
	}
	// kgmem keeps the source's formatting either way: it corrects no
	// punctuation, and gives each translation its source's initial case.
	if _, err := p.flag("preserve_formatting", false); err != nil {
		return layoutOptions{}, err
	}
	// kgmem detects no outline in XML: it cuts only at sentence ends,
	// newlines and splitting_tags, which is what 0 asks for.
	if detect, err := p.flag("outline_detection", false); err != nil || detect {
		if err == nil {
			err = deeplNotSupported("outline_detection", "kgmem detects no outline in markup: send 0, and splitting_tags for the elements that end sentences")
		}
		return layoutOptions{}, err
	}
	return newLayoutOptions(tags, split, lang, p.list("splitting_tags"), p.list("non_splitting_tags"), p.list("ignore_tags")), nil
}

// deeplTranslation is one translation as DeepL returns it.
type deeplTranslation struct {
	DetectedSourceLanguage string `json:"detected_source_language"`
	Text                   string `json:"text"`
	BilledCharacters       *int   `json:"billed_characters,omitempty"`
}

// translate is /v2/translate: each text is cut into sentences (as
// split_sentences says), every sentence of every text goes through the
// memory and the model in one batch, and each text is put back together
// with what lay between its sentences.
func (d *deepl) translate(w http.ResponseWriter, r *http.Request) error {
	p, err := readDeepLParams(r)
	if err != nil {
		return err
	}
	texts := p["text"]
	if len(texts) == 0 {
		return deeplMissing("text", "give the texts to translate, one text parameter each")
	}
	if len(texts) > d.s.opts.MaxSegments {
		return &deeplError{status: http.StatusRequestEntityTooLarge, message: "Request Entity Too Large",
			detail: fmt.Sprintf("%d texts in one request; this server takes at most %d: split the request", len(texts), d.s.opts.MaxSegments)}
	}
	c, err := d.call(r, p)
	if err != nil {
		return err
	}
	billed, err := p.flag("show_billed_characters", false)
	if err != nil {
		return err
	}
	lang := language.Make(c.opts.SourceLang)
	to, err := deeplTextOptions(p, lang)
	if err != nil {
		return err
	}
	prev := lastSentence(p.get("context"), lang)
	layouts := make([][]layoutPart, len(texts))
	var segs []translate.Segment
	for i, text := range texts {
		layouts[i] = layoutText(text, to)
		segs = appendSentences(segs, layouts[i], prev)
	}
	rs, err := d.s.translate(r, c.opts, segs)
	if err != nil {
		return err
	}
	out := make([]deeplTranslation, len(texts))
	chars := 0
	k := 0
	for i, text := range texts {
		var b strings.Builder
		for _, part := range layouts[i] {
			if part.sentence == nil {
				renderSpans(&b, part.keep, to.tags)
				continue
			}
			renderSegment(&b, rs[k].Target, to.tags)
			k++
		}
		n := deeplChars(text)
		chars += n
		out[i] = deeplTranslation{DetectedSourceLanguage: c.sourceCode, Text: b.String()}
		if billed {
			out[i].BilledCharacters = &n
		}
	}
	d.s.usage.add(callerOf(r).name, chars)
	writeJSON(w, http.StatusOK, map[string]any{"translations": out})
	return nil
}

// appendSentences appends the sentences of a laid-out text as segments,
// each with the sentences around it as its context; the first follows
// prev (the request's context).
func appendSentences(segs []translate.Segment, parts []layoutPart, prev string) []translate.Segment {
	first := len(segs)
	for _, part := range parts {
		if part.sentence == nil {
			continue
		}
		seg := translate.Segment{ID: strconv.Itoa(len(segs) + 1), Source: *part.sentence, Prev: prev}
		if len(segs) > first {
			segs[len(segs)-1].Next = seg.Source.Plain()
		}
		prev = seg.Source.Plain()
		segs = append(segs, seg)
	}
	return segs
}

// lastSentence returns the last sentence of a request's context: the text
// right before the texts, as an in-context match needs it.
func lastSentence(context string, lang language.Tag) string {
	ss := plaintext.Split(context, lang)
	if len(ss) == 0 {
		return ""
	}
	return ss[len(ss)-1].Text
}
