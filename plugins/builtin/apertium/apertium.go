// Package apertium is the built-in model that wraps Apertium, the
// rule-based MT system (Debian packages apertium and apertium-eng-spa, …).
//
// It keeps one long-lived Apertium pipeline per language pair, in
// null-flush mode (apertium -z), instead of starting a dozen processes per
// sentence, and uses kgmem's memory: a 100 % match is returned as is; a
// close fuzzy match is repaired by translating only the words that differ;
// and a term the translation misses (a required term-base translation it
// does not use, or a learned term whose source word Apertium does not know)
// is put in verbatim in a second pass, by protecting the term's span as an
// Apertium superblank (which every stage passes through unchanged) and
// substituting the term's target afterwards.
package apertium

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/langtag"
	"github.com/kgmem/kgmem/morph"
	"github.com/kgmem/kgmem/plugins"
	"github.com/kgmem/kgmem/plugins/internal/repair"
)

// MinRepairScore is the lowest fuzzy-match score worth repairing.
const MinRepairScore = 70

// Model is the Apertium model. It is safe for concurrent use; each
// pipeline translates one batch at a time.
type Model struct {
	command string

	mu        sync.Mutex
	pairs     []pair
	pairsErr  error
	pipelines map[string]*pipeline
	// alone caches how Apertium translates a term on its own, per mode
	// and source term.
	alone map[[2]string]string
}

// maxAlone bounds the cache of terms translated on their own.
const maxAlone = 100_000

var _ plugins.Model = (*Model)(nil)

// pair is an installed Apertium mode and the languages it translates.
type pair struct {
	mode string
	lp   plugins.LanguagePair
}

// New returns a model that runs command (the apertium script; "apertium"
// when empty, found on $PATH). Close it to stop its pipelines.
func New(command string) *Model {
	if command == "" {
		command = "apertium"
	}
	return &Model{command: command, pipelines: map[string]*pipeline{}, alone: map[[2]string]string{}}
}

// Close stops every pipeline.
func (m *Model) Close() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for k, p := range m.pipelines {
		p.stop()
		delete(m.pipelines, k)
	}
	return nil
}

// loadPairs lists the installed pairs with `apertium -l`, once.
func (m *Model) loadPairs(ctx context.Context) ([]pair, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.pairs != nil || m.pairsErr != nil {
		return m.pairs, m.pairsErr
	}
	out, err := exec.CommandContext(ctx, m.command, "-l").Output()
	if ctx.Err() != nil {
		return nil, ctx.Err() // not cached: the next call may have time
	}
	if err != nil {
		var ee *exec.Error
		if errors.As(err, &ee) || errors.Is(err, fs.ErrNotExist) {
			m.pairsErr = fmt.Errorf("apertium is not installed (%v); install it, e.g. apt-get install apertium apertium-eng-spa", err)
		} else {
			m.pairsErr = fmt.Errorf("apertium -l: %w", err)
		}
		return nil, m.pairsErr
	}
	m.pairs = parsePairs(string(out))
	return m.pairs, nil
}

// parsePairs reads `apertium -l`: one mode per line, such as eng-spa or
// spa-eng_US, in ISO 639 codes with an optional variant.
func parsePairs(list string) []pair {
	out := []pair{}
	for _, line := range strings.Split(list, "\n") {
		mode := strings.TrimSpace(line)
		src, tgt, ok := strings.Cut(mode, "-")
		if !ok || strings.Contains(tgt, "-") {
			continue // a debugging mode such as eng-spa-morph
		}
		s, err1 := tag(src)
		t, err2 := tag(tgt)
		if err1 != nil || err2 != nil {
			continue
		}
		out = append(out, pair{mode: mode, lp: plugins.LanguagePair{Source: s, Target: t}})
	}
	return out
}

// tag turns an Apertium language code (eng, spa_US, pt_BR) into BCP-47.
func tag(code string) (string, error) {
	base, variant, _ := strings.Cut(code, "_")
	b, err := language.ParseBase(base)
	if err != nil {
		return "", err
	}
	t := b.String()
	if variant != "" {
		t += "-" + variant
	}
	if _, err := language.Parse(t); err != nil {
		return "", err
	}
	return t, nil
}

// Describe lists the installed pairs.
func (m *Model) Describe(ctx context.Context, _ *plugins.DescribeRequest) (*plugins.DescribeResponse, error) {
	d := &plugins.DescribeResponse{
		Name:         "apertium",
		Version:      "1",
		Description:  "Apertium rule-based MT, with exact matches, fuzzy-match repair and protected terms",
		Capabilities: plugins.Capabilities{FuzzyMatches: true, Terms: true, PreferredBatchSize: 64},
	}
	for lang := range registerRules {
		d.Capabilities.RegisterLanguages = append(d.Capabilities.RegisterLanguages, lang)
	}
	slices.Sort(d.Capabilities.RegisterLanguages)
	pairs, err := m.loadPairs(ctx)
	if err != nil {
		d.Description += " (" + err.Error() + ")"
		return d, nil
	}
	for _, p := range pairs {
		d.Pairs = append(d.Pairs, p.lp)
	}
	return d, nil
}

// mode picks the installed mode for a language pair, preferring an exact
// match of the tags, then one on the language subtags.
func (m *Model) mode(ctx context.Context, src, tgt string) (string, error) {
	pairs, err := m.loadPairs(ctx)
	if err != nil {
		return "", err
	}
	var best string
	for _, p := range pairs {
		if strings.EqualFold(p.lp.Source, src) && strings.EqualFold(p.lp.Target, tgt) {
			return p.mode, nil
		}
		if best == "" && langtag.Base(p.lp.Source) == langtag.Base(src) && langtag.Base(p.lp.Target) == langtag.Base(tgt) && !strings.Contains(p.mode, "_") {
			best = p.mode
		}
	}
	if best == "" {
		for _, p := range pairs {
			if langtag.Base(p.lp.Source) == langtag.Base(src) && langtag.Base(p.lp.Target) == langtag.Base(tgt) {
				best = p.mode
				break
			}
		}
	}
	if best == "" {
		var have []string
		for _, p := range pairs {
			have = append(have, p.lp.Source+"→"+p.lp.Target)
		}
		return "", fmt.Errorf("apertium has no %s→%s pair (installed: %s); install one, e.g. apt-get install apertium-%s-%s",
			src, tgt, strings.Join(have, ", "), langtag.Base(src), langtag.Base(tgt))
	}
	return best, nil
}

// pipeline returns the running pipeline for mode, starting it if needed.
func (m *Model) pipeline(ctx context.Context, mode string) (*pipeline, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if p := m.pipelines[mode]; p != nil && !p.broken() {
		return p, nil
	}
	p, err := startPipeline(ctx, mode)
	if err != nil {
		return nil, err
	}
	m.pipelines[mode] = p
	return p, nil
}

// Translate translates the batch through one pipeline round trip for the
// sentences, and one per repaired fuzzy match.
func (m *Model) Translate(ctx context.Context, req *plugins.TranslateRequest) (*plugins.TranslateResponse, error) {
	resp := &plugins.TranslateResponse{Results: make([]plugins.Result, len(req.Items))}
	if todo := exactMatches(req, resp); len(todo) > 0 {
		mode, err := m.mode(ctx, req.SourceLang, req.TargetLang)
		if err != nil {
			return nil, err
		}
		mode = withRegister(mode, req.TargetLang, req.Register)
		p, err := m.pipeline(ctx, mode)
		if err != nil {
			return nil, err
		}
		rest, err := repairMatches(ctx, p, req, todo, resp)
		if err != nil {
			return nil, err
		}
		again, err := m.firstPass(ctx, p, mode, req, rest, resp)
		if err != nil {
			return nil, err
		}
		if err := again.run(ctx, p, req, resp); err != nil {
			return nil, err
		}
	}
	for i := range req.Items {
		resp.Results[i].HonouredTerms = repair.Honoured(resp.Results[i].Translation, req.Items[i].Terms)
	}
	return resp, nil
}

// exactMatches answers the items that have a 100 % match with it, and
// returns the others.
func exactMatches(req *plugins.TranslateRequest, resp *plugins.TranslateResponse) (todo []int) {
	for i := range req.Items {
		it := &req.Items[i]
		resp.Results[i].ID = it.ID
		if k := repair.Exact(it.Source, it.FuzzyMatches); k >= 0 {
			one := 1.0
			resp.Results[i].Translation, resp.Results[i].Score = it.FuzzyMatches[k].Target, &one
			resp.Results[i].UsedMatch = plugins.Used(k)
			continue
		}
		resp.Results[i].UsedMatch = plugins.Used(plugins.NoMatch)
		todo = append(todo, i)
	}
	return todo
}

// fragmentTranslator translates fragments of sentences with p, one a
// line, for repair.
func fragmentTranslator(ctx context.Context, p *pipeline) repair.Translator {
	return func(frags []string) ([]string, []bool, error) {
		in := make([]string, len(frags))
		for k, f := range frags {
			in[k] = escape(f) + "[]"
		}
		out, err := p.translate(ctx, in)
		if err != nil {
			return nil, nil, err
		}
		ok := make([]bool, len(out))
		for k := range out {
			out[k], ok[k] = unformat(out[k], nil), true
		}
		return out, ok, nil
	}
}

// repairMatches answers the items of todo whose best fuzzy match (at least
// MinRepairScore) repair can patch into a translation that keeps their
// required terms, and returns the others.
func repairMatches(ctx context.Context, p *pipeline, req *plugins.TranslateRequest, todo []int, resp *plugins.TranslateResponse) (rest []int, err error) {
	tr := fragmentTranslator(ctx, p)
	for _, i := range todo {
		it := &req.Items[i]
		if k := repair.Best(it.FuzzyMatches); k >= 0 && it.FuzzyMatches[k].Score >= MinRepairScore {
			mt := it.FuzzyMatches[k]
			t, ok, err := repair.Repair(req.TargetLang, it.Source, mt, withTerms(it.Terms, tr))
			if err != nil {
				return nil, err
			}
			// A repair that misses a required term is not used: the
			// sentence is translated instead, with the term put in. A term
			// of the words the match shares with the item may be inflected
			// as the match's translator inflected it.
			if ok && !missesRequired(req.TargetLang, it, t, repair.Diff(it.Source, mt.Source)) {
				s := 0.9 * mt.Score / 100
				resp.Results[i].Translation, resp.Results[i].Score = t, &s
				resp.Results[i].UsedMatch = plugins.Used(k)
				continue
			}
		}
		rest = append(rest, i)
	}
	return rest, nil
}

// termPass is the second pass over the items whose first translation
// lacks terms: their sources with those terms put in verbatim.
type termPass struct {
	items  []int
	in     []string
	prot   []map[string]string
	stands [][]standIn       // the terms sent as stand-in nouns, per item
	plain  []string          // the sources with every term a superblank, for when a stand-in is lost
	terms  []map[string]bool // the targets put in, per item
}

// firstPass translates the items of rest with Apertium's own translation,
// placeholders protected, and the learned terms translated on their own.
// Putting a term in verbatim cuts the sentence in two for Apertium's
// transfer rules (no agreement, no reordering across it), so it is done
// only where the first pass needs it: firstPass returns those items.
func (m *Model) firstPass(ctx context.Context, p *pipeline, mode string, req *plugins.TranslateRequest, rest []int, resp *plugins.TranslateResponse) (*termPass, error) {
	in := make([]string, len(rest))
	prot := make([]map[string]string, len(rest))
	for k, i := range rest {
		in[k], prot[k] = protect(&req.Items[i], nil)
	}
	alone, missing := m.cachedAlone(mode, req.Items, rest)
	for _, src := range missing {
		in = append(in, escape(src)+"[]")
	}
	out, err := p.translate(ctx, in)
	if err != nil {
		return nil, err
	}
	m.storeAlone(mode, alone, missing, out[len(rest):])
	again := &termPass{}
	for k, i := range rest {
		mt := statement(req.TargetLang, unformat(dropSubject(keepCaseAfterLead(in[k], out[k])), prot[k]))
		resp.Results[i].Translation = mt
		if terms := enforced(req.TargetLang, &req.Items[i], mt, alone); len(terms) > 0 {
			s, pr, st := protectWith(&req.Items[i], terms, req.TargetLang)
			plain, _ := protect(&req.Items[i], terms)
			again.items, again.in, again.prot = append(again.items, i), append(again.in, s), append(again.prot, pr)
			again.stands, again.plain = append(again.stands, st), append(again.plain, plain)
			targets := map[string]bool{}
			for _, t := range terms {
				targets[t.Target] = true
			}
			again.terms = append(again.terms, targets)
		}
	}
	return again, nil
}

// run translates the second pass's sources and answers its items with
// them, the determiners before each term made to agree with it.
func (tp *termPass) run(ctx context.Context, p *pipeline, req *plugins.TranslateRequest, resp *plugins.TranslateResponse) error {
	if len(tp.items) == 0 {
		return nil
	}
	out, err := p.translate(ctx, tp.in)
	if err != nil {
		return err
	}
	// An output that lost a stand-in noun (Apertium translated it another
	// way, or it is there twice) is made again with superblanks.
	var lost []int
	for k := range tp.items {
		var ok bool
		if out[k], ok = restoreStandIns(out[k], tp.stands[k], tp.prot[k]); !ok {
			lost = append(lost, k)
		}
	}
	if len(lost) > 0 {
		in := make([]string, len(lost))
		for j, k := range lost {
			in[j] = tp.plain[k]
		}
		again, err := p.translate(ctx, in)
		if err != nil {
			return err
		}
		for j, k := range lost {
			tp.in[k], out[k] = tp.plain[k], again[j]
		}
	}
	for k, i := range tp.items {
		o := agreeBeforeTerms(req.TargetLang, dropSubject(keepCaseAfterLead(tp.in[k], out[k])), tp.prot[k], tp.terms[k])
		resp.Results[i].Translation = statement(req.TargetLang, unformat(o, tp.prot[k]))
	}
	return nil
}

// escape escapes the characters the Apertium stream format reserves.
func escape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case 0:
			continue
		case '\\', '[', ']', '^', '$', '/', '<', '>', '@', '{', '}':
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// withTerms returns a fragment translator that renders a fragment that is
// a term as the term's target, and asks tr for the others.
func withTerms(terms []plugins.TermConstraint, tr repair.Translator) repair.Translator {
	if len(terms) == 0 {
		return tr
	}
	byTerm := repair.TermTranslator(terms)
	return func(frags []string) ([]string, []bool, error) {
		out, ok, err := byTerm(frags)
		if err != nil {
			return nil, nil, err
		}
		var idx []int
		var rest []string
		for k := range frags {
			if !ok[k] {
				idx, rest = append(idx, k), append(rest, frags[k])
			}
		}
		if len(rest) == 0 {
			return out, ok, nil
		}
		more, mok, err := tr(rest)
		if err != nil {
			return nil, nil, err
		}
		for j, k := range idx {
			out[k], ok[k] = more[j], mok[j]
		}
		return out, ok, nil
	}
}

// missesRequired reports whether a repair of it, translation, fails to use
// a required term of it whose source the item holds: a term in one of the
// edits exactly, a term of the words the item shares with the match up to
// inflection.
func missesRequired(lang string, it *plugins.Item, translation string, edits []repair.Edit) bool {
	for _, i := range repair.ValidSpans(it.Source, it.Terms) {
		t := it.Terms[i]
		if !t.Required {
			continue
		}
		edited := slices.ContainsFunc(edits, func(e repair.Edit) bool {
			return t.SourceSpan.Start < e.Src[1] && e.Src[0] < t.SourceSpan.End
		})
		if edited && !repair.Honours(translation, t) || !edited && !repair.HonoursInflected(lang, translation, t) {
			return true
		}
	}
	return false
}

// enforced returns the terms of it that a translation mt made without
// them fails: required terms whose target (or an alternative) mt does not
// use, and learned terms mt does not use that Apertium translates
// differently on its own (alone maps a term's source to that
// translation): "file", which an organisation's memory translates
// "archivo", Apertium translates "lima"; a source word it does not know,
// it copies through. A learned term Apertium translates the memory's way
// on its own is left to it: the sentence's grammar chose that form;
// unless the memory has seen Apertium miss it often (CorrectsEngine: "serie
// de dato", where the memory has "datos").
func enforced(lang string, it *plugins.Item, mt string, alone map[string]string) []plugins.TermConstraint {
	var out []plugins.TermConstraint
	for _, i := range repair.ValidSpans(it.Source, it.Terms) {
		t := it.Terms[i]
		switch {
		case repair.Honours(mt, t):
		case t.Required, t.CorrectsEngine:
			out = append(out, t)
		case !sameTerm(lang, alone[termKey(t.Source)], t):
			out = append(out, t)
		}
	}
	return out
}

// sameTerm reports whether a, Apertium's translation of t's source on its
// own, is t's target or an alternative, up to case, a final -s/-es and,
// in a one-word Spanish translation, the gender ending -o/-a: "derecho"
// for a memory's "derecha" is the adjective, which Apertium makes agree
// with its noun ("borde derecho"), where the memory's form would not.
func sameTerm(lang, a string, t plugins.TermConstraint) bool {
	if a == "" {
		return true // not translated on its own: no evidence against Apertium
	}
	for _, w := range append([]string{t.Target}, t.Alternatives...) {
		x, y := strings.ToLower(a), strings.ToLower(w)
		if x == y || x == y+"s" || y == x+"s" || x == y+"es" || y == x+"es" {
			return true
		}
		if langtag.Base(lang) == "es" && !strings.Contains(x, " ") && genderStem(x) != "" && genderStem(x) == genderStem(y) {
			return true
		}
	}
	return false
}

// genderStem returns a Spanish word without its gender ending (-o, -a,
// -os, -as), or "" for a word of fewer than four letters or with none.
func genderStem(w string) string {
	w = strings.TrimSuffix(w, "s")
	if utf8.RuneCountInString(w) < 4 {
		return ""
	}
	if s, ok := strings.CutSuffix(w, "o"); ok {
		return s
	}
	if s, ok := strings.CutSuffix(w, "a"); ok {
		return s
	}
	return ""
}

func termKey(source string) string { return strings.ToLower(strings.TrimSpace(source)) }

// cachedAlone returns the known translations on their own of the learned
// terms of the items todo, and the sources still to translate.
func (m *Model) cachedAlone(mode string, items []plugins.Item, todo []int) (map[string]string, []string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	alone := map[string]string{}
	var missing []string
	for _, i := range todo {
		for _, t := range items[i].Terms {
			k := termKey(t.Source)
			if t.Required || k == "" {
				continue
			}
			if _, ok := alone[k]; ok {
				continue
			}
			if a, ok := m.alone[[2]string{mode, k}]; ok {
				alone[k] = a
				continue
			}
			alone[k] = ""
			missing = append(missing, t.Source)
		}
	}
	return alone, missing
}

// storeAlone records the translations out of the sources missing.
func (m *Model) storeAlone(mode string, alone map[string]string, missing, out []string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.alone)+len(missing) > maxAlone {
		clear(m.alone)
	}
	for k, src := range missing {
		a := unformat(out[k], nil)
		alone[termKey(src)] = a
		m.alone[[2]string{mode, termKey(src)}] = a
	}
}

// protect returns the item's source in stream format with each of terms'
// spans and each placeholder replaced by a superblank [<tN/>], and what
// each superblank stands for.
func protect(it *plugins.Item, terms []plugins.TermConstraint) (string, map[string]string) {
	s, prot, _ := protectWith(it, terms, "")
	return s, prot
}

// protectWith is protect that, for a target language with stand-in nouns
// (standInNouns), sends a term whose target is a noun phrase as a stand-in
// noun of the same gender and number instead of a superblank: Apertium
// then reorders and agrees around it as around any noun ("Object Type" →
// "Giraffe Type" → "Tipo de jirafa" → "Tipo de objeto"), where a
// superblank keeps the English order ("Objeto tipo"). It returns the
// stand-ins to find in the output (restoreStandIns).
func protectWith(it *plugins.Item, terms []plugins.TermConstraint, lang string) (string, map[string]string, []standIn) {
	type cut struct {
		start, end int
		with       string
		term       bool
	}
	var cuts []cut
	for _, i := range repair.ValidSpans(it.Source, terms) {
		s := terms[i].SourceSpan
		// A fragment is a phrase, not a noun: it keeps its superblank.
		cuts = append(cuts, cut{s.Start, s.End, terms[i].Target, !terms[i].Fragment})
	}
	for _, ph := range it.Placeholders {
		if ph == "" {
			continue
		}
		for from := 0; ; {
			k := strings.Index(it.Source[from:], ph)
			if k < 0 {
				break
			}
			cuts = append(cuts, cut{from + k, from + k + len(ph), ph, false})
			from += k + len(ph)
		}
	}
	// A caret goes in protected too: Apertium's lexical selection stage
	// holds back, in null-flush mode, a text whose last word is an
	// escaped caret ("Unmatched [ or [^"), and the translation never
	// comes.
	for i := strings.IndexByte(it.Source, '^'); i >= 0; {
		cuts = append(cuts, cut{i, i + 1, "^", false})
		next := strings.IndexByte(it.Source[i+1:], '^')
		if next < 0 {
			break
		}
		i += 1 + next
	}
	sort.SliceStable(cuts, func(a, b int) bool { return cuts[a].start < cuts[b].start })
	prot := map[string]string{}
	var b strings.Builder
	last := 0
	// A "Please" that opens an instruction is left out, and the verb after
	// it capitalised: Apertium makes a verb of it ("Complazca
	// introducir…"), and Spanish UIs say "Introduzca…".
	src := it.Source
	if strings.HasPrefix(src, "Please ") && isInstruction(src) {
		last = len("Please ")
		if !slices.ContainsFunc(cuts, func(c cut) bool { return c.start == last }) {
			r, n := utf8.DecodeRuneInString(src[last:])
			b.WriteString(escape(string(unicode.ToUpper(r))))
			last += n
		}
	}
	// A description that starts with a verb in the third person ("Shows
	// the page", "Returns the rate") is sent with a subject ("It shows…"):
	// on its own, Apertium's tagger reads the capitalised -s form as a
	// plural noun ("Espectáculos la página", "Regresos la tasa"). The
	// pronoun it may write for the subject is taken out again
	// (dropSubject).
	if w, ok := describes(src); ok && last == 0 && !slices.ContainsFunc(cuts, func(c cut) bool { return c.start == 0 }) {
		r, n := utf8.DecodeRuneInString(w)
		b.WriteString("It " + escape(string(unicode.ToLower(r))+w[n:]))
		last = len(w)
	}
	var stands []standIn
	used := map[morph.Gender]int{}
	for _, c := range cuts {
		if c.start < last {
			continue // overlaps a protected span (or the left-out Please)
		}
		b.WriteString(escape(src[last:c.start]))
		key := "[<t" + strconv.Itoa(len(prot)) + "/>]"
		prot[key] = c.with
		last = c.end
		// A term in a verb's place ("to use", "you can sync") keeps its
		// superblank: a stand-in noun there would read as a noun.
		if c.term && morph.EnglishWordClass(src, c.start, c.end) != morph.Verb {
			if n, ok := standInFor(lang, src, c.with, used); ok {
				word := n.en
				if plural := n.plural; plural {
					word = n.enPlural
				}
				if r, _ := utf8.DecodeRuneInString(src[c.start:]); unicode.IsUpper(r) {
					word = strings.ToUpper(word[:1]) + word[1:]
				}
				b.WriteString(word)
				// A target capitalised as the first word of the source is
				// lowered where the translation puts it inside ("Sync
				// failed." → "La sincronización falló.").
				lead := strings.TrimSpace(src[:c.start]) == ""
				stands = append(stands, standIn{key: key, word: n.target(), lead: lead})
				continue
			}
		}
		b.WriteString(key)
	}
	b.WriteString(escape(src[last:]))
	b.WriteString("[]")
	return leadMark(src) + b.String(), prot, stands
}

// statement undoes the interrogative Apertium's Spanish makes of "when"
// in a statement: "Cuándo elimina una carpeta, …" → "Cuando …", "un
// aviso cuándo intenta imprimir" → "cuando intenta". A text with a
// question mark keeps it, and so does one before an infinitive, an
// indirect question ("Seleccione cuándo guardar").
func statement(lang, s string) string {
	if langtag.Base(lang) != "es" || strings.ContainsAny(s, "?¿") {
		return s
	}
	for _, w := range []string{"Cuándo", "cuándo"} {
		plain := strings.Replace(w, "á", "a", 1)
		for from := 0; ; {
			i := strings.Index(s[from:], w+" ")
			if i < 0 {
				break
			}
			i += from
			next, _, _ := strings.Cut(s[i+len(w)+1:], " ")
			before, _ := utf8.DecodeLastRuneInString(s[:i])
			if inf, _ := morph.Infinitive(lang, next); !inf && (i == 0 || !unicode.IsLetter(before)) {
				s = s[:i] + plain + s[i+len(w):]
			}
			from = i + len(plain)
		}
	}
	return s
}

// startsText reports whether s, the stream text before a word, holds
// nothing but blanks, superblanks and opening punctuation: the word starts
// the text. A protected span (a term, a placeholder) is text.
func startsText(s string) bool {
	if superblank.MatchString(s) {
		return false
	}
	s = superblankAny.ReplaceAllString(s, "")
	return strings.TrimLeft(s, " \t¿¡\"«'(") == ""
}

// superblankAny is any superblank of Apertium's stream format.
var superblankAny = regexp.MustCompile(`\[[^\]]*\]`)

// standIn is a term sent as a stand-in noun: word is what the noun
// becomes in the output, key the superblank the term's target goes in by.
type standIn struct {
	key, word string
	lead      bool // the term starts the source
}

// standInNoun is an English noun Apertium translates one way in either
// number, and seldom met in software text.
type standInNoun struct {
	en, enPlural, es, esPlural string
	plural                     bool // the stand-in is wanted in the plural
}

func (n standInNoun) target() string {
	if n.plural {
		return n.esPlural
	}
	return n.es
}

// standInNouns are the stand-ins of each gender, by target language.
var standInNouns = map[string]map[morph.Gender][]standInNoun{
	"es": {
		morph.Masculine: {{en: "elephant", enPlural: "elephants", es: "elefante", esPlural: "elefantes"},
			{en: "camel", enPlural: "camels", es: "camello", esPlural: "camellos"},
			{en: "dolphin", enPlural: "dolphins", es: "delfín", esPlural: "delfines"},
			{en: "hippopotamus", enPlural: "hippopotamuses", es: "hipopótamo", esPlural: "hipopótamos"}},
		morph.Feminine: {{en: "giraffe", enPlural: "giraffes", es: "jirafa", esPlural: "jirafas"},
			{en: "zebra", enPlural: "zebras", es: "cebra", esPlural: "cebras"},
			{en: "butterfly", enPlural: "butterflies", es: "mariposa", esPlural: "mariposas"},
			{en: "squirrel", enPlural: "squirrels", es: "ardilla", esPlural: "ardillas"}},
	},
}

// standInFor returns the next stand-in noun for target, a term's
// translation, in a source src: one of target's gender and number, not
// already used in the sentence (used counts them by gender) nor a word of
// src. ok is false when lang has no stand-ins, target is not a noun
// phrase by its head's ending, or is a verb's infinitive.
func standInFor(lang, src, target string, used map[morph.Gender]int) (standInNoun, bool) {
	nouns := standInNouns[langtag.Base(lang)]
	if nouns == nil {
		return standInNoun{}, false
	}
	g, plural, ok := morph.NounPhraseGender(lang, target)
	if inf, _ := morph.Infinitive(lang, target); !ok || inf || !nounLike(target) {
		return standInNoun{}, false
	}
	low := strings.ToLower(src)
	for used[g] < len(nouns[g]) {
		n := nouns[g][used[g]]
		used[g]++
		if !strings.Contains(low, n.en) {
			n.plural = plural
			return n, true
		}
	}
	return standInNoun{}, false
}

// nounLike reports whether target reads as a common noun phrase: no
// capital past its first letter (names and acronyms, "Lumen Notes",
// "URL", keep their superblank).
func nounLike(target string) bool {
	_, n := utf8.DecodeRuneInString(target)
	return strings.IndexFunc(target[n:], unicode.IsUpper) < 0
}

// restoreStandIns puts back, in out (Apertium's stream-format output), the
// superblank of each stand-in for the noun Apertium made of it; a noun
// that starts the sentence capitalised has its term's target capitalised
// too (in prot); one capitalised inside the sentence, as Apertium keeps
// a capitalised noun of a title ("Borde de Jirafa"), does not. ok is false when a stand-in is not in out exactly once,
// as a word.
func restoreStandIns(out string, stands []standIn, prot map[string]string) (string, bool) {
	capitals := map[string]string{}
	for _, st := range stands {
		at, capital := -1, false
		r, n := utf8.DecodeRuneInString(st.word)
		for _, form := range []string{st.word, string(unicode.ToUpper(r)) + st.word[n:]} {
			for i := 0; ; {
				k := strings.Index(out[i:], form)
				if k < 0 {
					break
				}
				k += i
				end := k + len(form)
				before, _ := utf8.DecodeLastRuneInString(out[:k])
				after, _ := utf8.DecodeRuneInString(out[end:])
				if (k == 0 || !unicode.IsLetter(before)) && (end == len(out) || !unicode.IsLetter(after)) {
					if at >= 0 {
						return out, false
					}
					at, capital = k, form != st.word
				}
				i = end
			}
		}
		if at < 0 {
			return out, false
		}
		t, n := utf8.DecodeRuneInString(prot[st.key])
		switch first := startsText(out[:at]); {
		case capital && first && unicode.IsLower(t):
			capitals[st.key] = string(unicode.ToUpper(t)) + prot[st.key][n:]
		case st.lead && !first && unicode.IsUpper(t):
			capitals[st.key] = string(unicode.ToLower(t)) + prot[st.key][n:]
		}
		out = out[:at] + st.key + out[at+len(st.word):]
	}
	maps.Copy(prot, capitals)
	return out, true
}

var superblank = regexp.MustCompile(`\[<t\d+/>\]`)

// agreeBeforeTerms makes the determiner Apertium wrote before a term it
// did not see (a superblank of prot standing for one of terms) agree with
// the term's head noun: "el [<t0/>]" for "sincronización" becomes "la
// [<t0/>]", "del" "de la" (morph.AgreeDeterminersBefore).
func agreeBeforeTerms(lang, out string, prot map[string]string, terms map[string]bool) string {
	for key, with := range prot {
		if !terms[with] {
			continue
		}
		if at := strings.Index(out, key); at >= 0 {
			out = morph.AgreeDeterminersBefore(lang, out[:at], with) + out[at:]
		}
	}
	return out
}

// leadBlank is the protected spans (superblanks) that start a text.
var leadBlank = regexp.MustCompile(`^\s*(\[<t\d+/>\]\s*)+`)

// keepCaseAfterLead undoes Apertium's capital after the protected spans that
// start the sentence: it takes the word after them for the first of
// the sentence ("[<t0/>] could not be opened" → "[<t0/>] No podría…"),
// where the source has it in lowercase ("%s could not be opened"). in is
// the stream text sent, out what came back.
func keepCaseAfterLead(in, out string) string {
	// The lead marks come out before everything, as they went in.
	for _, mark := range []string{labelMark, imperativeMark, subjectMark} {
		if strings.HasPrefix(in, mark) && strings.HasPrefix(out, mark) {
			return mark + keepCaseAfterLead(in[len(mark):], out[len(mark):])
		}
	}
	li, lo := leadBlank.FindStringIndex(in), leadBlank.FindStringIndex(out)
	if li == nil || lo == nil {
		return out
	}
	next := func(s string) (int, rune) {
		for i, r := range s {
			if unicode.IsLetter(r) {
				return i, r
			}
			if r == '[' || r == '\\' || unicode.IsDigit(r) {
				break // another blank, an escape or a number: leave it
			}
		}
		return -1, 0
	}
	if _, r := next(in[li[1]:]); r == 0 || !unicode.IsLower(r) {
		return out
	}
	i, r := next(out[lo[1]:])
	if r == 0 || !unicode.IsUpper(r) {
		return out
	}
	at := lo[1] + i
	return out[:at] + string(unicode.ToLower(r)) + out[at+utf8.RuneLen(r):]
}

// unformat turns Apertium's output back into text: protected spans are
// replaced by what they stand for, other superblanks dropped and escapes
// undone.
func unformat(s string, prot map[string]string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s):
			i++
			b.WriteByte(s[i])
		case c == '[':
			end := strings.IndexByte(s[i:], ']')
			if end < 0 {
				b.WriteByte(c)
				continue
			}
			block := s[i : i+end+1]
			if with, ok := prot[block]; ok {
				b.WriteString(with)
			} else if superblank.MatchString(block) {
				// A protected span we do not know: drop it.
			} else if inner := block[1 : len(block)-1]; strings.TrimSpace(inner) == "" {
				b.WriteString(inner)
			}
			i += end
		default:
			b.WriteByte(c)
		}
	}
	return strings.TrimSpace(b.String())
}

// pipeline is one running Apertium mode in null-flush mode: stream-format
// text in, each input ended by a NUL; the translation out, ended by a NUL.
type pipeline struct {
	mode string
	cmd  *exec.Cmd
	in   io.WriteCloser
	out  *bufio.Reader

	mu     sync.Mutex // one batch at a time
	dead   chan struct{}
	once   sync.Once
	killed atomic.Bool
}

// dataDirs are where Apertium's modes are installed.
var dataDirs = []string{"/usr/share/apertium", "/usr/local/share/apertium"}

// script returns the shell pipeline of mode in null-flush mode. The
// apertium script itself cannot be used: its gawk wrappers hold each
// NUL-ended input back until the next one arrives.
func script(ctx context.Context, mode string) (string, error) {
	dirs := dataDirs
	if d := os.Getenv("APERTIUM_DATADIR"); d != "" {
		dirs = append([]string{d}, dirs...)
	}
	for _, d := range dirs {
		file := filepath.Join(d, "modes", mode+".mode")
		if _, err := os.Stat(file); err != nil {
			continue
		}
		out, err := exec.CommandContext(ctx, "apertium-wblank-mode", "-z", file).Output()
		if err != nil {
			return "", fmt.Errorf("apertium-wblank-mode -z %s: %w", file, err)
		}
		return string(out), nil
	}
	return "", fmt.Errorf("apertium mode %s not found in %s (set APERTIUM_DATADIR)", mode, strings.Join(dirs, ", "))
}

// Registers: the lexical forms Apertium's transfer writes are rewritten
// before its generator makes the words, so that every verb, and every
// possessive, addresses the reader one way. Apertium's Spanish mixes tú
// ("ordenas"), vosotros ("vuestras notas") and usted ("haga clic").
var registerRules = map[string]map[string]string{
	// Both Spanish registers also put a label that starts with a verb
	// (labelMark) in the infinitive, as Spanish UIs write buttons and menu
	// items ("Reemplazar control"); Apertium makes it a third-person
	// present.
	"es": {
		// usted: second-person verbs in the third person ("ordenas" →
		// "ordena", "cambiaste" → "cambió"), tu and vuestro → su.
		plugins.RegisterFormal: spanishFixes + labelRule + imperativeFormal + `s/(<(vblex|vbmod|vbhaver|vbser|vaux)>(<[a-z0-9]+>)*)<p2>/\1<p3>/g; ` +
			`s/\^(vuestro|tuyo|tu)<det><pos><[mf]+>/^suyo<det><pos><mf>/g; ` +
			`s/\^(Vuestro|Tuyo|Tu)<det><pos><[mf]+>/^Suyo<det><pos><mf>/g; ` +
			// A "te" before a verb is Apertium's reading of "you" as an
			// object ("that you want to apply" → "que te quiere aplicar"):
			// usted has no "te".
			`s/\^prpers<prn><pro><p2><mf><sg>\$ +(\^[^<$^]*<(vblex|vbmod|vbhaver|vbser|vaux)>)/\1/g`,
		// tú: vosotros verbs in the singular, vuestro → tu.
		plugins.RegisterInformal: spanishFixes + labelRule + imperativeInformal + `s/(<(vblex|vbmod|vbhaver|vbser|vaux)>(<[a-z0-9]+>)*<p2>)<pl>/\1<sg>/g; ` +
			`s/\^vuestro<det><pos><[mf]+>/^tuyo<det><pos><mf>/g; ` +
			`s/\^Vuestro<det><pos><[mf]+>/^Tuyo<det><pos><mf>/g`,
	},
}

// spanishFixes, a sed program, rewrite what Apertium's Spanish gets wrong
// whatever the register. "On" as the adverb "encima" before a noun phrase
// ("Encima algunos sistemas") is the preposition "en".
//
// "Could not" is a failure, not a conditional: "no podría abrir" → "no
// pudo abrir"; in the passive, and opening the text, with "se": "%s no
// podría ser abierto" → "%s no se pudo abrir", "Could not open the file"
// → "No se pudo abrir el archivo".
const spanishFixes = `s/\^([Ee])ncima<adv>\$( +\^[^<$^]*<(det|n|num|np)>)/^\1n<pr>$\2/g; ` +
	`s/(\^[Nn]o<adv>\$ +\^poder<vbmod>)<cni>/\1<ifi>/g; ` +
	`s/(\^[Nn]o<adv>\$ +)(\^poder<vbmod><ifi><p3><(sg|pl)>\$ +)\^ser<vbser><inf>\$ +\^([^<$^]*)<vblex><pp>(<[mf]+>)?(<(sg|pl)>)?\$/\1^se<prn><pro><ref><p3><mf><sp>$ \2^\4<vblex><inf>$/g; ` +
	`s/^((\[[^]]*\])* *)\^No<adv>\$ +\^poder<vbmod><ifi>/\1^No<adv>$ ^se<prn><pro><ref><p3><mf><sp>$ ^poder<vbmod><ifi>/; `

// labelMark starts the stream-format source of a label that begins with
// a verb in its base form (see isVerbLabel); labelRule, a sed command,
// puts the verb Apertium made of it into the infinitive. unformat drops
// the mark.
//
// imperativeMark starts an instruction: a sentence that starts with a verb
// in its base form, or with "Do not" and one (isInstruction). Apertium
// makes the verb an infinitive or a third-person present ("Seleccionar la
// velocidad", "No utiliza tabuladores"); the register's rule makes it an
// imperative: "Seleccione", "No utilice" (usted), "Selecciona", "No
// utilices" (tú). Neither rule reaches past a protected span: a sentence
// that starts with a term ("Lumen Notes creates…") is not an instruction.
const (
	labelMark = "[<label/>]"
	labelRule = `s/^(\[<label\/>\][^^<]*\^[^<$^]*<vblex>)<pri><p3><sg>/\1<inf>/; `

	imperativeMark     = "[<imp/>]"
	imperativeFormal   = `s/^(\[<imp\/>\][^^<]*(\^[Nn]o<adv>\$[^^<]*)?\^[^<$^]*<vblex>)(<inf>|<pri><p3><sg>)/\1<prs><p3><sg>/; `
	imperativeInformal = `s/^(\[<imp\/>\][^^<]*\^[Nn]o<adv>\$[^^<]*\^[^<$^]*<vblex>)(<inf>|<pri><p3><sg>)/\1<prs><p2><sg>/; ` +
		`s/^(\[<imp\/>\][^^<]*\^[^<$^]*<vblex>)(<inf>|<pri><p3><sg>)/\1<imp><p2><sg>/; `
)

// leadMark returns the mark the stream-format source of src starts with:
// labelMark, imperativeMark or none.
func leadMark(src string) string {
	switch {
	case isVerbLabel(src):
		return labelMark
	case isInstruction(src):
		return imperativeMark
	}
	if _, ok := describes(src); ok {
		return subjectMark
	}
	return ""
}

// subjectMark starts the stream-format source of a description sent with
// a subject (see describes); dropSubject finds it in the output.
const subjectMark = "[<subj/>]"

// describes reports whether src is a description that starts with an
// English verb in the third person singular, and returns that verb: a
// capitalised -s word followed by what an object starts with ("Shows the
// preview", "Inserts only text", "Allows you to…"). A plural noun seldom
// starts a UI string that way ("Files the …").
func describes(src string) (verb string, ok bool) {
	words := strings.Fields(src)
	if len(words) < 3 {
		return "", false
	}
	w := words[0]
	r, _ := utf8.DecodeRuneInString(w)
	low := strings.ToLower(w)
	if !unicode.IsUpper(r) || utf8.RuneCountInString(w) < 4 || strings.IndexFunc(w, func(r rune) bool { return !unicode.IsLetter(r) }) >= 0 ||
		!strings.HasSuffix(low, "s") || strings.HasSuffix(low, "ss") || strings.HasSuffix(low, "us") || strings.HasSuffix(low, "is") {
		return "", false
	}
	return w, objectWords[strings.ToLower(words[1])]
}

// objectWords start the object of a verb: determiners, pronouns and
// quantifiers.
var objectWords = map[string]bool{"the": true, "a": true, "an": true, "all": true, "this": true, "these": true, "those": true,
	"your": true, "you": true, "its": true, "it": true, "one": true, "only": true, "each": true, "every": true, "any": true}

// dropSubject takes out of out, Apertium's translation of a description
// sent with a subject (subjectMark), the pronoun it wrote for the subject
// ("Él disminuye…"), and capitalises what then starts the sentence.
func dropSubject(out string) string {
	if !strings.HasPrefix(out, subjectMark) {
		return out
	}
	rest := strings.TrimLeft(out[len(subjectMark):], " ")
	for _, p := range []string{"Él ", "Ello ", "Eso ", "Il ", "Elle ", "Ele ", "Esso "} {
		if strings.HasPrefix(rest, p) {
			rest = rest[len(p):]
			break
		}
	}
	r, n := utf8.DecodeRuneInString(rest)
	if unicode.IsLower(r) {
		rest = string(unicode.ToUpper(r)) + rest[n:]
	}
	return subjectMark + rest
}

// isInstruction reports whether src is a sentence that tells the reader
// to do something: it ends with a full stop or an exclamation mark and
// starts with a verb in its base form ("Select the speed…"), "Do not" and
// one, or "Please" and one.
func isInstruction(src string) bool {
	src = strings.TrimSpace(src)
	if !strings.HasSuffix(src, ".") && !strings.HasSuffix(src, "!") {
		return false
	}
	words := strings.Fields(src)
	switch {
	case len(words) > 2 && words[0] == "Do" && words[1] == "not":
		words = words[2:]
	case len(words) > 1 && (words[0] == "Don't" || words[0] == "Don’t" || words[0] == "Please"):
		words = words[1:]
	}
	return len(words) > 1 && baseForm(words[0])
}

// baseForm reports whether w, a word of letters of at least three,
// lacks the -s, -ed and -ing of a conjugated English verb.
func baseForm(w string) bool {
	if utf8.RuneCountInString(w) < 3 || strings.IndexFunc(w, func(r rune) bool { return !unicode.IsLetter(r) }) >= 0 {
		return false
	}
	low := strings.ToLower(w)
	return !strings.HasSuffix(low, "s") && !strings.HasSuffix(low, "ed") && !strings.HasSuffix(low, "ing")
}

// isVerbLabel reports whether src reads as a UI label that starts with a
// verb in its base form: a few words, no final stop, a capitalised first
// word without the -s, -ed or -ing of a conjugated verb ("Replace
// Control", "Keep aspect ratio"; not "Displays the colors." or "Bottom
// Margin", which Apertium does not make a verb).
func isVerbLabel(src string) bool {
	src = strings.TrimSpace(src)
	words := strings.Fields(src)
	if len(words) == 0 || len(words) > 6 || strings.ContainsAny(src[len(src)-1:], ".!?:;") {
		return false
	}
	r, _ := utf8.DecodeRuneInString(words[0])
	return unicode.IsUpper(r) && baseForm(words[0])
}

// withRegister returns mode with the register its output is rewritten to
// ("eng-spa@formal"), or mode as it is when the target language has no
// rules for it.
func withRegister(mode, targetLang, register string) string {
	base := langtag.Base(targetLang)
	if register == "" {
		register = plugins.DefaultRegister(base)
	}
	if registerRules[base][register] == "" {
		return mode
	}
	return mode + "@" + base + "/" + register
}

// registerStage returns the sed program of the register of mode ("" for
// none) and mode without it.
func registerStage(mode string) (string, string) {
	base, reg, ok := strings.Cut(mode, "@")
	if !ok {
		return mode, ""
	}
	lang, register, _ := strings.Cut(reg, "/")
	return base, registerRules[lang][register]
}

func startPipeline(ctx context.Context, mode string) (*pipeline, error) {
	base, rules := registerStage(mode)
	sh, err := script(ctx, base)
	if err != nil {
		return nil, err
	}
	if rules != "" {
		// The rewrite goes just before the generator, in null-flush mode
		// like every stage.
		gen := "| lt-proc -z $1 "
		i := strings.LastIndex(sh, gen)
		if i < 0 {
			return nil, fmt.Errorf("apertium mode %s: no generator stage (%q) to put the register's rewrite before", base, gen)
		}
		sh = sh[:i] + `| sed -u -z -E -e "$3" ` + sh[i:]
	}
	// $1 is the generator's option (-n: no marks on unknown words), $2 the
	// tagger's (none), $3 the register's sed program.
	cmd := exec.Command("bash", "-c", sh, "apertium", "-n", "", rules)
	// Its own process group, so that stopping it stops every stage.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start apertium %s: %w", mode, err)
	}
	p := &pipeline{mode: mode, cmd: cmd, in: in, out: bufio.NewReaderSize(out, 64<<10), dead: make(chan struct{})}
	go func() {
		cmd.Wait()
		p.once.Do(func() { close(p.dead) })
	}()
	return p, nil
}

func (p *pipeline) broken() bool {
	if p.killed.Load() {
		return true
	}
	select {
	case <-p.dead:
		return true
	default:
		return false
	}
}

// stop ends the pipeline: closing its input lets every stage finish; the
// group is killed if it has not within a second.
func (p *pipeline) stop() {
	p.in.Close()
	select {
	case <-p.dead:
	case <-time.After(time.Second):
		syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
		<-p.dead
	}
}

// translate sends texts (already in stream format) and reads one output
// per text. If ctx ends first, the pipeline is killed, since its state is
// unknown, and the next call starts a new one.
// hyphenCompound is a hyphen between two letters or digits ("14-day",
// "already-approved").
var hyphenCompound = regexp.MustCompile(`([\p{L}\p{N}])-([\p{L}\p{N}])`)

// translate translates texts (Apertium stream format), mending the words
// Apertium's transfer glues together when it moves a hyphenated modifier
// after its noun: "14-day quarantine" comes out "Cuarentenade14 días",
// "an already-approved drug" "Una drogayaaprobada", because the words of
// the compound had no blanks between them to keep. A text with such a
// compound is translated again with blanks around its hyphens ("14 - day
// quarantine": "Cuarentena de 14 días"), and that translation, its spaced
// hyphens closed again, is taken when it differs from the first only in
// its blanks: where it differs in words ("e-mail", "state-of-the-art",
// which Apertium knows whole), the first stands.
func (p *pipeline) translate(ctx context.Context, texts []string) ([]string, error) {
	out, err := p.translateRaw(ctx, texts)
	if err != nil {
		return nil, err
	}
	var idx []int
	var spaced []string
	for i, t := range texts {
		if strings.Contains(t, " - ") || !hyphenCompound.MatchString(t) {
			continue
		}
		// A hyphen ends one match and may start the next ("low-molecular-weight").
		sp := hyphenCompound.ReplaceAllString(hyphenCompound.ReplaceAllString(t, "$1 - $2"), "$1 - $2")
		idx, spaced = append(idx, i), append(spaced, sp)
	}
	if len(idx) == 0 {
		return out, nil
	}
	again, err := p.translateRaw(ctx, spaced)
	if err != nil {
		return nil, err
	}
	for k, i := range idx {
		mended := strings.ReplaceAll(again[k], " - ", "-")
		if mended != out[i] && squeeze(mended) == squeeze(out[i]) {
			out[i] = mended
		}
	}
	return out, nil
}

// squeeze returns s without its white space.
func squeeze(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// translateRaw sends texts through the pipeline as they are.
func (p *pipeline) translateRaw(ctx context.Context, texts []string) ([]string, error) {
	if len(texts) == 0 {
		return nil, nil
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.broken() {
		return nil, fmt.Errorf("apertium %s exited", p.mode)
	}
	type result struct {
		out []string
		err error
	}
	done := make(chan result, 1)
	go func() {
		werr := make(chan error, 1)
		go func() {
			w := bufio.NewWriter(p.in)
			for _, t := range texts {
				w.WriteString(t)
				w.WriteByte(0)
			}
			werr <- w.Flush()
		}()
		out := make([]string, 0, len(texts))
		for range texts {
			s, err := p.out.ReadString(0)
			if err != nil {
				done <- result{err: fmt.Errorf("apertium %s: read: %w", p.mode, err)}
				return
			}
			out = append(out, strings.TrimSuffix(s, "\x00"))
		}
		if err := <-werr; err != nil {
			done <- result{err: fmt.Errorf("apertium %s: write: %w", p.mode, err)}
			return
		}
		done <- result{out: out}
	}()
	select {
	case r := <-done:
		return r.out, r.err
	case <-ctx.Done():
		p.killed.Store(true)
		syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
		return nil, ctx.Err()
	}
}
