package main

import (
	"math/rand/v2"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The kinds of error planted, each named for the class of check that
// should find it.
const (
	kindPlaceholder  = "placeholders"
	kindTag          = "tags"
	kindAccelerator  = "accelerators"
	kindNumber       = "numbers"
	kindURL          = "urls"
	kindNewline      = "newlines"
	kindWhitespace   = "whitespace"
	kindDoubleSpace  = "double-space"
	kindEndPunct     = "end-punctuation"
	kindInverted     = "inverted-marks"
	kindCapitals     = "capitals"
	kindUntranslated = "untranslated"
	kindUnchanged    = "unchanged"
	kindLength       = "length"
	kindTermMissing  = "terms"
	kindTermBanned   = "forbidden-terms"
	kindConsistency  = "consistency"
	kindConsTarget   = "consistency-target"
)

// kinds lists the kinds in the order of the table.
var kinds = []string{kindPlaceholder, kindTag, kindAccelerator, kindNumber, kindURL, kindNewline, kindWhitespace,
	kindDoubleSpace, kindEndPunct, kindInverted, kindCapitals, kindUntranslated, kindUnchanged, kindLength,
	kindTermMissing, kindTermBanned, kindConsistency, kindConsTarget}

// accepted are the other classes of finding that a planted error of a kind
// also truly causes: a target cut short has lost its terms, say.
var accepted = map[string][]string{
	kindUntranslated: {kindLength},
	kindTermBanned:   {kindTermMissing},
	kindLength:       {kindTermMissing},
	kindUnchanged:    {kindTermMissing},
	// A changed address is also a changed "tag" to a tool that takes
	// <http://…> for markup; a removed Qt %1 also a lost number; a
	// removed placeholder or tag leaves a shorter target.
	kindURL:         {kindTag},
	kindPlaceholder: {kindNumber, kindLength},
	kindTag:         {kindLength},
	kindConsTarget:  {kindLength},
}

// acceptedFor returns the classes of finding right on a unit with a
// planted error of the kind: the kind's, what it also causes, and
// consistency, since a changed target disagrees with any other
// translation of its source in the set.
func acceptedFor(kind string) []string {
	return append([]string{kind, kindConsistency}, accepted[kind]...)
}

// pair is one translation of the pool.
type pair struct {
	ID             int    `json:"id"`
	Domain         string `json:"domain"`
	Family         string `json:"family"`
	Source, Target string
}

// family is the accelerator convention of a pair's project: GNOME and GIMP
// mark with _, KDE with &, LibreOffice with ~ (and _ in newer dialogs).
func family(domain string) string {
	switch {
	case strings.HasPrefix(domain, "gtk") || strings.HasPrefix(domain, "gnome") || strings.HasPrefix(domain, "gimp"):
		return "gnome"
	case strings.HasPrefix(domain, "kcm") || strings.HasPrefix(domain, "plasma") || strings.HasPrefix(domain, "kaccess"):
		return "kde"
	}
	return "libreoffice"
}

// Text patterns the planter uses. They are the bench's own, not the
// checker's, so that a plant does not follow the detector's idea of a
// placeholder.
var (
	printfRE   = regexp.MustCompile(`%(?:\d+\$)?[-#0+']*\d*(?:\.\d+)?(?:hh|h|ll|l|L|z|j|t)?[diouxXfFeEgGcs]|%\([a-z_]+\)[sd]|\{\d+\}|%[1-9]`)
	strftimeRE = regexp.MustCompile(`%[-_0^#]?[bBCDGghHIjklmMPrRStTuUVwWyYzZ]`)
	tagRE      = regexp.MustCompile(`</?([a-z]+)(?:\s[^<>]*)?/?>`)
	urlRE      = regexp.MustCompile(`https?://[^\s<>"'»]+[^\s<>"'».,;:!?)]|[\w.+-]+@[\w-]+(?:\.[\w-]+)+`)
	numberRE   = regexp.MustCompile(`\d+`)
	articleRE  = regexp.MustCompile(`\b(de|en|a|con|por|para|sobre) (el|la|los|las) `)
)

// marker returns the accelerator marker of a text for a family, and its
// byte offset: the family's marker (or _ for LibreOffice) right before a
// letter, exactly once in the text.
func marker(s, fam string) (byte, int) {
	markers := map[string]string{"gnome": "_", "kde": "&", "libreoffice": "~_"}[fam]
	for i := 0; i < len(markers); i++ {
		m := markers[i]
		at, n := -1, 0
		for j := 0; j+1 < len(s); j++ {
			r, _ := utf8.DecodeRuneInString(s[j+1:])
			if s[j] == m && unicode.IsLetter(r) && (j == 0 || s[j-1] != m) {
				at = j
				n++
			}
		}
		if n == 1 && strings.Count(s, string(m)) == 1 {
			return m, at
		}
	}
	return 0, -1
}

// plain reports whether a pair has none of what other plants would
// disturb: placeholders, tags, numbers, addresses, newlines.
func plain(p pair) bool {
	for _, s := range []string{p.Source, p.Target} {
		if m, _ := marker(s, p.Family); m != 0 || strings.ContainsAny(s, "_&~") {
			return false
		}
		if printfRE.MatchString(s) || strftimeRE.MatchString(s) || tagRE.MatchString(s) || numberRE.MatchString(s) ||
			urlRE.MatchString(s) || strings.ContainsAny(s, "\n\t%") {
			return false
		}
	}
	return true
}

// applicable reports whether an error of a kind can be planted in a pair
// so that it is the pair's only change.
func applicable(kind string, p pair, g *glossary) bool {
	s, t := p.Source, p.Target
	switch kind {
	case kindPlaceholder:
		return !strftimeRE.MatchString(s) && sharedMatch(printfRE, s, t)
	case kindTag:
		return sharedMatch(tagRE, s, t)
	case kindAccelerator:
		ms, _ := marker(s, p.Family)
		mt, _ := marker(t, p.Family)
		return ms != 0 && ms == mt
	case kindNumber:
		return !strftimeRE.MatchString(s) && !printfRE.MatchString(t) && sharedMatch(numberRE, s, t)
	case kindURL:
		return sharedMatch(urlRE, s, t)
	case kindNewline:
		return innerNewline(t) > 0 && strings.Count(s, "\n") == strings.Count(t, "\n") && !strings.Contains(s, "  ")
	case kindWhitespace:
		return strings.TrimSpace(t) != "" && len(words(t)) >= 2
	case kindDoubleSpace:
		return innerSpace(t) > 0 && !strings.Contains(s, "  ") && !strings.Contains(t, "  ")
	case kindEndPunct:
		return endMark(s) != 0 && endMark(s) == endMark(t)
	case kindInverted:
		return strings.ContainsAny(t, "¿¡")
	case kindCapitals:
		// Not keyword lists ("Search;Find;"), whose words are written in
		// whatever case the target language uses.
		keywords := strings.Count(s, ";") >= 2 && !strings.Contains(s, "; ")
		return upperStart(s) && upperStart(t) && !keywords
	case kindUntranslated:
		return len(words(s)) >= 1
	case kindUnchanged:
		return len(words(s)) >= 3 && s != t
	case kindLength:
		n := utf8.RuneCountInString(s)
		return plain(p) && (n >= 45 && len(words(t)) >= 6 || n >= 21 && n <= 40)
	case kindTermMissing, kindTermBanned:
		for _, e := range g.in(s) {
			if e.at(t) >= 0 && (kind == kindTermMissing || e.Forbidden != "") {
				return true
			}
		}
		return false
	case kindConsistency:
		return articleRE.MatchString(t)
	case kindConsTarget:
		// A pair whose target has the source's shape, so that another
		// source of that shape can take it.
		return plain(p) && utf8.RuneCountInString(s) <= 40 && len(words(s)) >= 2 && endMark(s) == endMark(t) &&
			upperStart(s) == upperStart(t) && strings.TrimSpace(t) == t && strings.TrimSpace(s) == s
	}
	return false
}

// innerSpace returns the offset of the first space between two letters,
// or -1.
func innerSpace(s string) int {
	for i := 1; i+1 < len(s); i++ {
		if s[i] != ' ' {
			continue
		}
		a, _ := utf8.DecodeLastRuneInString(s[:i])
		b, _ := utf8.DecodeRuneInString(s[i+1:])
		if unicode.IsLetter(a) && unicode.IsLetter(b) {
			return i
		}
	}
	return -1
}

// innerNewline returns the offset of the first newline with text on both
// sides, or -1.
func innerNewline(s string) int {
	i := strings.Index(s, "\n")
	for i >= 0 {
		if strings.TrimSpace(s[:i]) != "" && strings.TrimSpace(s[i+1:]) != "" {
			return i
		}
		j := strings.Index(s[i+1:], "\n")
		if j < 0 {
			return -1
		}
		i += 1 + j
	}
	return -1
}

// cut removes s[a:b] and one of the spaces it leaves on either side.
func cut(s string, a, b int) string {
	if a > 0 && s[a-1] == ' ' && (b == len(s) || s[b] == ' ' || strings.ContainsRune(".,;:!?)", rune(s[b]))) {
		a--
	} else if b < len(s) && s[b] == ' ' && (a == 0 || s[a-1] == ' ' || s[a-1] == '(') {
		b++
	}
	return s[:a] + s[b:]
}

// sharedMatch reports whether a pattern matches a string that both texts
// hold.
func sharedMatch(re *regexp.Regexp, s, t string) bool {
	for _, m := range re.FindAllString(t, -1) {
		if strings.Contains(s, m) {
			return true
		}
	}
	return false
}

func words(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) })
}

// endMark returns a text's final punctuation mark, or 0.
func endMark(s string) rune {
	s = strings.TrimRight(s, " ")
	if strings.HasSuffix(s, "...") {
		return '…'
	}
	r, _ := utf8.DecodeLastRuneInString(s)
	if strings.ContainsRune(".:?!…", r) {
		return r
	}
	return 0
}

// firstLetter returns the offset of a text's first letter, past opening
// marks and an accelerator, or -1 when the text starts otherwise.
func firstLetter(s string) int {
	for i, r := range s {
		switch {
		case unicode.IsLetter(r):
			return i
		case strings.ContainsRune("¿¡_&~\"'«“ ", r):
			continue
		default:
			return -1
		}
	}
	return -1
}

func upperStart(s string) bool {
	i := firstLetter(s)
	if i < 0 {
		return false
	}
	r, n := utf8.DecodeRuneInString(s[i:])
	next, _ := utf8.DecodeRuneInString(s[i+n:])
	return unicode.IsUpper(r) && unicode.ToLower(r) != r && unicode.IsLower(next)
}

// plantError returns the pair with an error of the kind planted in its
// target, and what was done. The rng picks among the ways a kind can be
// planted.
func plantError(kind string, p pair, g *glossary, rng *rand.Rand) (string, string) {
	s, t := p.Source, p.Target
	switch kind {
	case kindPlaceholder:
		for _, m := range printfRE.FindAllStringIndex(t, -1) {
			ph := t[m[0]:m[1]]
			if !strings.Contains(s, ph) {
				continue
			}
			// Removed, unless that would change how the target ends.
			if rng.IntN(2) == 0 && strings.TrimSpace(t[m[1]:]) != "" && m[0] > 0 {
				return cut(t, m[0], m[1]), "removed " + ph
			}
			swap := "%d"
			if strings.HasSuffix(ph, "d") || strings.HasSuffix(ph, "}") || ph[1] >= '1' && ph[1] <= '9' && len(ph) == 2 {
				swap = "%s"
			}
			return t[:m[0]] + swap + t[m[1]:], "replaced " + ph + " by " + swap
		}
	case kindTag:
		for _, m := range tagRE.FindAllStringSubmatchIndex(t, -1) {
			tag := t[m[0]:m[1]]
			if !strings.Contains(s, tag) {
				continue
			}
			if (strings.HasPrefix(tag, "</") || rng.IntN(2) == 0) && m[0] > 0 && strings.TrimSpace(t[m[1]:]) != "" {
				return cut(t, m[0], m[1]), "removed " + tag
			}
			name := t[m[2]:m[3]]
			other := "i"
			if name == "i" {
				other = "b"
			}
			return t[:m[2]] + other + t[m[3]:], "renamed " + tag
		}
	case kindAccelerator:
		m, at := marker(t, p.Family)
		if rng.IntN(3) > 0 {
			return t[:at] + t[at+1:], "removed the accelerator"
		}
		// A second marker, before the first letter of another word.
		for i := at + 2; i < len(t); i++ {
			r, _ := utf8.DecodeRuneInString(t[i:])
			if unicode.IsLetter(r) && t[i-1] == ' ' {
				return t[:i] + string(m) + t[i:], "added a second accelerator"
			}
		}
		return t[:at] + t[at+1:], "removed the accelerator"
	case kindNumber:
		for _, m := range numberRE.FindAllStringIndex(t, -1) {
			n := t[m[0]:m[1]]
			if !strings.Contains(s, n) || m[0] > 0 && strings.ContainsRune("%$", rune(t[m[0]-1])) || m[1] < len(t) && t[m[1]] == '$' {
				continue
			}
			d := t[m[1]-1]
			nd := byte('0' + (d-'0'+1+byte(rng.IntN(8)))%10)
			return t[:m[1]-1] + string(nd) + t[m[1]:], "changed " + n
		}
	case kindURL:
		for _, m := range urlRE.FindAllStringIndex(t, -1) {
			u := t[m[0]:m[1]]
			if !strings.Contains(s, u) {
				continue
			}
			i := strings.LastIndexAny(u, "./")
			changed := u[:i+1] + "x" + u[i+1:]
			return t[:m[0]] + changed + t[m[1]:], "changed " + u
		}
	case kindNewline:
		i := innerNewline(t)
		a, b := i, i+1
		for a > 0 && t[a-1] == ' ' {
			a--
		}
		for b < len(t) && t[b] == ' ' {
			b++
		}
		return t[:a] + " " + t[b:], "joined two lines"
	case kindWhitespace:
		switch {
		case strings.HasSuffix(s, " ") && strings.HasSuffix(t, " "):
			return strings.TrimRight(t, " "), "removed the trailing space"
		case strings.HasPrefix(s, " ") && strings.HasPrefix(t, " "):
			return strings.TrimLeft(t, " "), "removed the leading space"
		case rng.IntN(2) == 0:
			return t + " ", "added a trailing space"
		}
		return " " + t, "added a leading space"
	case kindDoubleSpace:
		sp := innerSpace(t)
		return t[:sp] + "  " + t[sp+1:], "doubled a space"
	case kindEndPunct:
		tt := strings.TrimRight(t, " ")
		r, n := utf8.DecodeLastRuneInString(tt)
		if strings.HasSuffix(tt, "...") {
			n = 3
		}
		if rng.IntN(2) == 0 || r == '.' {
			return tt[:len(tt)-n] + t[len(tt):], "removed the final " + string(r)
		}
		return tt[:len(tt)-n] + "." + t[len(tt):], "made the final " + string(r) + " a full stop"
	case kindInverted:
		i := strings.IndexAny(t, "¿¡")
		_, n := utf8.DecodeRuneInString(t[i:])
		return t[:i] + t[i+n:], "removed " + t[i:i+n]
	case kindCapitals:
		i := firstLetter(t)
		r, n := utf8.DecodeRuneInString(t[i:])
		return t[:i] + string(unicode.ToLower(r)) + t[i+n:], "lowercased the first letter"
	case kindUntranslated:
		return "", "left untranslated"
	case kindUnchanged:
		return s, "copied the source"
	case kindLength:
		if utf8.RuneCountInString(s) <= 40 {
			return t + " " + t + " " + t, "repeated the translation three times"
		}
		ws := strings.Fields(t)
		keep := ""
		for _, w := range ws {
			if utf8.RuneCountInString(keep+" "+w) > utf8.RuneCountInString(t)*2/5 {
				break
			}
			keep = strings.TrimSpace(keep + " " + w)
		}
		if keep == "" {
			keep = ws[0]
		}
		keep = strings.TrimRight(keep, ",;:.")
		if e := endMark(t); e != 0 && e != '…' {
			keep += string(e)
		}
		return keep, "cut to two fifths"
	case kindTermMissing, kindTermBanned:
		for _, e := range g.in(s) {
			i := e.at(t)
			if i < 0 || kind == kindTermBanned && e.Forbidden == "" {
				continue
			}
			with := e.Other
			if kind == kindTermBanned {
				with = e.Forbidden
			}
			for i >= 0 {
				t = replaceWord(t, i, e.Required, with)
				i = e.at(t)
			}
			return t, "translated " + e.Source + " as " + with
		}
	case kindConsistency:
		m := articleRE.FindStringSubmatchIndex(t)
		return t[:m[3]] + " " + t[m[1]:], "left out an article"
	}
	return t, ""
}

// replaceWord replaces the word at i of t, which starts with old (in any
// case) and may have a plural ending, by with, keeping the case of its
// first letter and the ending.
func replaceWord(t string, i int, old, with string) string {
	end := i + len(old)
	for end < len(t) {
		r, n := utf8.DecodeRuneInString(t[end:])
		if !unicode.IsLetter(r) {
			break
		}
		end += n
	}
	ending := t[i+len(old) : end]
	if strings.HasSuffix(with, "o") && ending == "es" || strings.HasSuffix(with, "a") && ending == "es" {
		ending = "s"
	}
	if !isVowel(lastRune(with)) && ending == "s" {
		ending = "es"
	}
	r, _ := utf8.DecodeRuneInString(t[i:])
	if unicode.IsUpper(r) {
		w, n := utf8.DecodeRuneInString(with)
		with = string(unicode.ToUpper(w)) + with[n:]
	}
	return t[:i] + with + ending + t[end:]
}

func lastRune(s string) rune {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r
}

func isVowel(r rune) bool { return strings.ContainsRune("aeiouáéíóú", unicode.ToLower(r)) }
