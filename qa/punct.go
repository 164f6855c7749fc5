package qa

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Final punctuation classes.
const (
	endNone     = ""
	endStop     = "."
	endEllipsis = "…"
	endColon    = ":"
	endQuestion = "?"
	endExclaim  = "!"
	endSemi     = ";"
	endComma    = ","
)

// endMarks maps a final mark to its class, for every language: the ASCII
// marks, their full-width forms (Chinese, Japanese), the Arabic-script
// marks (Arabic, Persian, Urdu), the danda (Hindi, Bengali, …), the
// Ethiopic and Armenian full stops and the ideographic comma.
var endMarks = map[rune]string{
	'.': endStop, '。': endStop, '．': endStop, '।': endStop, '۔': endStop, '።': endStop, '։': endStop,
	'…': endEllipsis, '⋯': endEllipsis,
	':': endColon, '：': endColon, '፡': endColon,
	'?': endQuestion, '？': endQuestion, '؟': endQuestion, ';': endSemi, '；': endSemi, '؛': endSemi,
	'!': endExclaim, '！': endExclaim,
	',': endComma, '，': endComma, '、': endComma, '،': endComma,
}

// closers are what may follow the final mark: closing quotes and
// brackets, which languages place on either side of it.
const closers = `"')]}»”’」』）›〉》`

// endClass returns the class of a text's final punctuation, looking past
// white space, closing quotes and brackets. Greek writes its question
// mark as ';' (or U+037E).
func endClass(masked, lang string) (string, rune) {
	s := strings.TrimRightFunc(masked, func(r rune) bool { return unicode.IsSpace(r) || strings.ContainsRune(closers, r) })
	if strings.HasSuffix(s, "...") {
		return endEllipsis, '…'
	}
	r, _ := utf8.DecodeLastRuneInString(s)
	if r == ';' && lang == "el" || r == '\u037e' {
		return endQuestion, r
	}
	return endMarks[r], r
}

func checkEndPunctuation(c *checker, p *pair) []problem {
	srcBase, _ := p.srcL.Base()
	sc, _ := endClass(p.src.masked, srcBase.String())
	tc, tr := endClass(p.tgt.masked, p.tgtBase)
	if sc == tc {
		return nil
	}
	// The target ends with a quotation whose own mark the source has
	// inside its quotes ("an 'Other…' item" → "un elemento «Otros…»").
	if tc != endNone && quotedMark(p.tgt.masked, tr) && quotedMark(p.src.masked, tr) {
		return nil
	}
	// Thai, Lao, Khmer and Burmese end sentences without a full stop (or
	// with their own sign).
	if sc == endStop && tc == endNone && (p.tgtBase == "th" || p.tgtBase == "lo" || p.tgtBase == "km" || p.tgtBase == "my") {
		return nil
	}
	switch {
	case sc == endNone:
		return []problem{{msg: fmt.Sprintf("ends with %q, the source with no punctuation", tr), hint: "end as the source does"}}
	case tc == endNone:
		return []problem{{msg: fmt.Sprintf("ends with no punctuation, the source with %q", sc), hint: "end as the source does"}}
	}
	return []problem{{msg: fmt.Sprintf("ends with %q, the source with %q", tr, sc), hint: "end as the source does"}}
}

// quotedMark reports whether s has the mark right before a closing quote
// or bracket.
func quotedMark(s string, mark rune) bool {
	prev := rune(0)
	for _, r := range s {
		if strings.ContainsRune(closers, r) && (prev == mark || mark == '…' && prev == '.') {
			return true
		}
		prev = r
	}
	return false
}

// invertedLangs write ¿ and ¡ before questions and exclamations.
var invertedLangs = map[string]bool{"es": true, "ast": true}

func checkInvertedMarks(c *checker, p *pair) []problem {
	if !invertedLangs[p.tgtBase] {
		return nil
	}
	var out []problem
	for _, m := range [...]struct {
		open, close rune
		name        string
	}{{'¿', '?', "question"}, {'¡', '!', "exclamation"}} {
		missing, unclosed := pairMarks(p.tgt.masked, m.open, m.close)
		if missing > 0 {
			out = append(out, problem{msg: fmt.Sprintf("%c without its opening %c", m.close, m.open), hint: fmt.Sprintf("open the %s with %c", m.name, m.open)})
		}
		if unclosed > 0 {
			out = append(out, problem{msg: fmt.Sprintf("%c without its closing %c", m.open, m.close), hint: fmt.Sprintf("close the %s with %c", m.name, m.close)})
		}
	}
	return out
}

// pairMarks counts the closing marks that no opening mark before them
// opens, and the opening marks left open. A closing mark right after a
// space, an opening bracket, a dash or a slash is not a sentence's end
// ("(?)", "-?", "a/?"): it is left alone.
func pairMarks(s string, open, close rune) (missing, unclosed int) {
	prev := ' '
	for _, r := range s {
		switch r {
		case open:
			unclosed++
		case close:
			switch {
			case unclosed > 0:
				unclosed--
			case !unicode.IsSpace(prev) && !strings.ContainsRune("([{-/", prev) && prev != open && prev != close:
				missing++
			}
		}
		prev = r
	}
	return missing, unclosed
}

func checkFrenchSpacing(c *checker, p *pair) []problem {
	if p.tgtBase != "fr" {
		return nil
	}
	s := p.tgt.masked
	for i, r := range s {
		var bad bool
		switch r {
		case ';', ':', '!', '?', '»':
			bad = i > 0 && s[i-1] == ' ' && !(r == ':' && strings.HasPrefix(s[i:], "://"))
		case '«':
			j := i + len("«")
			bad = j < len(s) && s[j] == ' '
		}
		if bad {
			hint := "use a narrow no-break space (U+202F) before ; ! ? and a no-break space (U+00A0) before : and inside « »"
			return []problem{{msg: fmt.Sprintf("a plain space next to %c", r), hint: hint}}
		}
	}
	return nil
}

// leadSkip are what may come before the first word of a text without
// being it: opening marks, quotes, brackets, bullets, dashes.
const leadSkip = `¿¡"'([{«“‘„‚‹〈《「『（-–—•*·`

// firstWord returns the first word of a masked text and whether the text
// starts with one (not with a number, a placeholder or punctuation that
// leadSkip does not list).
func firstWord(masked string) (string, bool) {
	s := strings.TrimLeftFunc(masked, func(r rune) bool { return unicode.IsSpace(r) || strings.ContainsRune(leadSkip, r) })
	s = strings.TrimLeft(s, "_&~") // an accelerator on the first letter
	r := firstRune(s)
	if !unicode.IsLetter(r) {
		return "", false
	}
	end := strings.IndexFunc(s, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsMark(r) && r != '_' && r != '&' && r != '~'
	})
	if end < 0 {
		end = len(s)
	}
	return accelRemover.Replace(s[:end]), true
}

// accelRemover drops accelerator markers from a word.
var accelRemover = strings.NewReplacer("_", "", "&", "", "~", "")

// capsLangs capitalise nouns, so a target may start with a capital where
// the source does not.
var capsLangs = map[string]bool{"de": true, "lb": true, "nds": true}

func checkCapitals(c *checker, p *pair) []problem {
	sw, ok := firstWord(p.src.masked)
	if !ok {
		return nil
	}
	// A first word with digits in it is a name or a code ("prc4
	// Envelope", "mp3 files"), whatever its case.
	if f := strings.Fields(p.src.masked); len(f) > 0 && strings.ContainsFunc(f[0], unicode.IsDigit) {
		return nil
	}
	tw, ok := firstWord(p.tgt.masked)
	if !ok {
		return nil
	}
	s, t := firstRune(sw), firstRune(tw)
	if !cased(s) || !cased(t) {
		return nil
	}
	// Lists of keywords ("Search;Find;Index;") are written in whatever
	// case the target language writes its words.
	if strings.Count(p.src.raw, ";") >= 2 && !strings.Contains(p.src.raw, "; ") {
		return nil
	}
	// A target that starts with a word of the source other than its first
	// (a name, an identifier: "Label xalign" → "xalign de la etiqueta")
	// keeps that word's case.
	if tw != sw && slices.Contains(words(p.src.masked), tw) {
		return nil
	}
	// English capitalises the names of months and days; most languages
	// do not.
	if unicode.IsUpper(s) && lowerCalendar[p.tgtBase] && englishCalendar[strings.ToLower(sw)] {
		return nil
	}
	// iPhone, eBay, GNOME, URL: a word with capitals after its first
	// letter is a name or an acronym, whatever the target does with it.
	for _, r := range sw[utf8.RuneLen(s):] {
		if unicode.IsUpper(r) {
			return nil
		}
	}
	switch {
	case unicode.IsUpper(s) && unicode.IsLower(t):
		return []problem{{msg: fmt.Sprintf("starts with a lowercase %q, the source with a capital", t), hint: "capitalise the first letter"}}
	case unicode.IsLower(s) && unicode.IsUpper(t) && !capsLangs[p.tgtBase]:
		// A target that starts with a name or an acronym is fine.
		for _, r := range tw[utf8.RuneLen(t):] {
			if unicode.IsUpper(r) {
				return nil
			}
		}
		return []problem{{msg: fmt.Sprintf("starts with a capital %q, the source with a lowercase letter", t), hint: "lowercase the first letter, unless it starts a name"}}
	}
	return nil
}

// lowerCalendar are the languages that write the names of months and days
// in lowercase.
var lowerCalendar = map[string]bool{
	"es": true, "ca": true, "gl": true, "ast": true, "eu": true, "fr": true, "it": true, "pt": true, "ro": true,
	"nl": true, "sv": true, "da": true, "nb": true, "nn": true, "no": true, "fi": true, "et": true, "lv": true,
	"lt": true, "pl": true, "cs": true, "sk": true, "sl": true, "hr": true, "sr": true, "bs": true, "ru": true,
	"uk": true, "be": true, "bg": true, "mk": true, "hu": true, "eo": true,
}

// englishCalendar are the English names of months and days and their
// abbreviations.
var englishCalendar = map[string]bool{
	"january": true, "february": true, "march": true, "april": true, "may": true, "june": true, "july": true,
	"august": true, "september": true, "october": true, "november": true, "december": true,
	"jan": true, "feb": true, "mar": true, "apr": true, "jun": true, "jul": true, "aug": true, "sep": true,
	"sept": true, "oct": true, "nov": true, "dec": true,
	"monday": true, "tuesday": true, "wednesday": true, "thursday": true, "friday": true, "saturday": true,
	"sunday": true, "mon": true, "tue": true, "tues": true, "wed": true, "thu": true, "thur": true,
	"thurs": true, "fri": true, "sat": true, "sun": true,
}

// cased reports whether a letter has an upper and a lower case.
func cased(r rune) bool {
	return unicode.IsUpper(r) && unicode.ToLower(r) != r || unicode.IsLower(r) && unicode.ToUpper(r) != r
}

func checkUnchanged(c *checker, p *pair) []problem {
	if normalize(p.src.raw) != normalize(p.tgt.raw) {
		return nil
	}
	// Only text with something to translate: a word of three letters or
	// more that is not an acronym nor a name written with inner
	// capitals (GNOME, OpenGL).
	ws := words(p.src.masked)
	translatable := 0
	for _, w := range ws {
		if utf8.RuneCountInString(w) < 3 || innerCapital(w) {
			continue
		}
		translatable++
	}
	if translatable == 0 {
		return nil
	}
	if len(ws) == 1 {
		return []problem{{msg: "the target is the source", hint: "translate it, unless it is a name or a word both languages share", sev: Info}}
	}
	return []problem{{msg: "the target is the source", hint: "translate it"}}
}

// innerCapital reports whether a word has a capital after its first
// letter.
func innerCapital(w string) bool {
	for i, r := range w {
		if i > 0 && unicode.IsUpper(r) {
			return true
		}
	}
	return false
}

func checkLength(c *checker, p *pair) []problem {
	if p.form > 0 {
		return nil
	}
	ls, lt := utf8.RuneCountInString(p.src.raw), utf8.RuneCountInString(p.tgt.raw)
	b := c.lengths.Bounds(p.srcL, p.tgtL)
	k, ok := b.Bucket(ls)
	if !ok || ls == 0 {
		return nil
	}
	r := float64(lt) / float64(ls)
	switch {
	case r < k.Min:
		return []problem{{msg: fmt.Sprintf("%d characters for a source of %d: shorter than %s translations usually are (%.2f times the source, below %.2f)", lt, ls, b.Pair, r, k.Min), hint: "check that nothing is left out"}}
	case r > k.Max:
		return []problem{{msg: fmt.Sprintf("%d characters for a source of %d: longer than %s translations usually are (%.2f times the source, above %.2f)", lt, ls, b.Pair, r, k.Max), hint: "check that nothing was added or repeated, and that it fits the space the interface has"}}
	}
	return nil
}
