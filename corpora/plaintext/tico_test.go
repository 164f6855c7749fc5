package plaintext

import (
	"bufio"
	"os"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/internal/testenv"
)

// wellFormed reports whether s looks like a sentence a segmenter can find
// in running text: it starts with a capital (or a character without case)
// and ends with terminal punctuation.
func wellFormed(s string) bool {
	c := nextWordRune(s, 0)
	if c == 0 || unicode.IsLower(c) {
		return false
	}
	t := strings.TrimRightFunc(s, func(r rune) bool { return isCloser(r) })
	last, _ := utf8.DecodeLastRuneInString(t)
	return isTerminal(last)
}

// resegment joins sentences into paragraphs of n, separated by a space,
// splits them again and counts the items that come back exactly, at the
// offsets they were put at. Some items of the corpus hold two or more
// sentences ("… Internacional. El cierre …"): such an item comes back when
// the paragraph splits it as Split splits it alone; multi counts them.
func resegment(t *testing.T, items []string, n int, lang language.Tag) (exact, multi int, misses, multis []string) {
	t.Helper()
	for i := 0; i < len(items); i += n {
		group := items[i:min(i+n, len(items))]
		para := strings.Join(group, " ")
		got := map[[2]int]string{}
		for _, s := range Split(para, lang) {
			got[[2]int{s.Start, s.End}] = s.Text
		}
		off := 0
		for _, item := range group {
			alone := Split(item, lang)
			ok := len(alone) > 0
			for _, s := range alone {
				if got[[2]int{off + s.Start, off + s.End}] != s.Text {
					ok = false
				}
			}
			if len(alone) > 1 {
				multi++
				multis = append(multis, item)
			}
			if ok && alone[0].Start == 0 && alone[len(alone)-1].End == len(item) {
				exact++
			} else {
				misses = append(misses, item)
			}
			off += len(item) + 1
		}
	}
	return exact, multi, misses, multis
}

func TestSplitTICO19(t *testing.T) {
	f, err := os.Open(testenv.SharedData(t, "tico19", "en-es.dev.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var cols [2][]string
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		src, tgt, ok := strings.Cut(sc.Text(), "\t")
		if !ok {
			t.Fatalf("line without a tab: %q", sc.Text())
		}
		cols[0] = append(cols[0], strings.TrimSpace(src))
		cols[1] = append(cols[1], strings.TrimSpace(tgt))
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	for i, lang := range []language.Tag{language.English, language.Spanish} {
		t.Run(lang.String(), func(t *testing.T) {
			var good []string
			for _, s := range cols[i] {
				if wellFormed(s) {
					good = append(good, s)
				}
			}
			exact, multi, misses, multis := resegment(t, good, 8, lang)
			rate := float64(exact) / float64(len(good))
			allExact, _, _, _ := resegment(t, cols[i], 8, lang)
			t.Logf("%s: %d of %d well-formed items come back exactly (%.1f%%), %d of them holding several sentences; of all %d items, %d (%.1f%%)",
				lang, exact, len(good), 100*rate, multi, len(cols[i]), allExact, 100*float64(allExact)/float64(len(cols[i])))
			for _, m := range misses {
				t.Logf("missed: %q", m)
			}
			for _, m := range multis[:min(len(multis), 5)] {
				t.Logf("several sentences: %q", m)
			}
			if len(good) < 800 {
				t.Errorf("only %d well-formed sentences of %d", len(good), len(cols[i]))
			}
			if rate < 0.97 {
				t.Errorf("%.1f%% of sentences come back exactly, want at least 97%%", 100*rate)
			}
		})
	}
}
