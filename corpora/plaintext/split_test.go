package plaintext

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/language"
)

// checkSentences asserts Split's invariants: offsets increasing and in
// bounds, Text = text[Start:End] with no outer white space, only white
// space between sentences, and every other character in some sentence.
func checkSentences(t testing.TB, text string, ss []Sentence) {
	t.Helper()
	prev := 0
	for i, s := range ss {
		if s.Start < prev || s.End <= s.Start || s.End > len(text) {
			t.Fatalf("sentence %d: offsets [%d, %d) after %d in a text of %d bytes", i, s.Start, s.End, prev, len(text))
		}
		if text[s.Start:s.End] != s.Text {
			t.Fatalf("sentence %d: Text %q is not text[%d:%d] = %q", i, s.Text, s.Start, s.End, text[s.Start:s.End])
		}
		if strings.TrimFunc(s.Text, unicode.IsSpace) != s.Text && utf8.ValidString(s.Text) {
			t.Fatalf("sentence %d: %q has white space at an end", i, s.Text)
		}
		if gap := text[prev:s.Start]; strings.TrimFunc(gap, unicode.IsSpace) != "" {
			t.Fatalf("sentence %d: %q between sentences is not white space", i, gap)
		}
		prev = s.End
	}
	if gap := text[prev:]; strings.TrimFunc(gap, unicode.IsSpace) != "" {
		t.Fatalf("%q after the last sentence is not white space", gap)
	}
}

type splitCase struct {
	name string
	text string
	want []string
}

func runSplitCases(t *testing.T, lang string, cases []splitCase) {
	t.Helper()
	tag := language.MustParse(lang)
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			ss := Split(tt.text, tag)
			checkSentences(t, tt.text, ss)
			var got []string
			for _, s := range ss {
				got = append(got, s.Text)
			}
			if strings.Join(got, "\x00") != strings.Join(tt.want, "\x00") {
				t.Errorf("Split(%q, %s) =\n%q\nwant\n%q", tt.text, lang, got, tt.want)
			}
		})
	}
}

func TestSplitEnglish(t *testing.T) {
	runSplitCases(t, "en", []splitCase{
		{"simple", "This is one. This is two.", []string{"This is one.", "This is two."}},
		{"question and exclamation", "Is it? Yes! Good.", []string{"Is it?", "Yes!", "Good."}},
		{"titles", "Mr. Smith met Mrs. Jones and Dr. Brown. They talked.", []string{"Mr. Smith met Mrs. Jones and Dr. Brown.", "They talked."}},
		{"quote closes the sentence", `He said "Hi." Then he left.`, []string{`He said "Hi."`, "Then he left."}},
		{"curly quotes", "She asked, “Why?” Nobody knew.", []string{"She asked, “Why?”", "Nobody knew."}},
		{"quoted question mid-sentence", `She asked "why?" and left.`, []string{`She asked "why?" and left.`}},
		{"brackets", "(This is one.) This is two.", []string{"(This is one.)", "This is two."}},
		{"decimals", "Pi is 3.14 and the total is 1,000.5 dollars. Next.", []string{"Pi is 3.14 and the total is 1,000.5 dollars.", "Next."}},
		{"initials", "J. R. R. Tolkien wrote it. J.R.R. Tolkien did.", []string{"J. R. R. Tolkien wrote it.", "J.R.R. Tolkien did."}},
		{"e.g. and i.e.", "Use fruit, e.g. Apples, i.e. Red ones. Done.", []string{"Use fruit, e.g. Apples, i.e. Red ones.", "Done."}},
		{"etc. then capital splits", "Bring pens, paper, etc. The rest is here.", []string{"Bring pens, paper, etc.", "The rest is here."}},
		{"etc. then lower case", "Bring pens, etc. and paper.", []string{"Bring pens, etc. and paper."}},
		{"ellipsis then lower case", "Wait... what? Fine.", []string{"Wait... what?", "Fine."}},
		{"ellipsis then capital", "Wait… Then go.", []string{"Wait…", "Then go."}},
		{"urls and files", "Visit example.com. Open notes.txt or mail a.b@example.org. Done.", []string{"Visit example.com.", "Open notes.txt or mail a.b@example.org.", "Done."}},
		{"versions", "Version v1.2.3 is out. Get it.", []string{"Version v1.2.3 is out.", "Get it."}},
		{"number abbreviation", "See No. 5 and Fig. 2. No. I won't.", []string{"See No. 5 and Fig. 2.", "No.", "I won't."}},
		{"time", "We met at 5 p.m. and left. At 6 p.m. He came.", []string{"We met at 5 p.m. and left.", "At 6 p.m.", "He came."}},
		{"company", "He works at Apple Inc. The job is good.", []string{"He works at Apple Inc.", "The job is good."}},
		{"year at the end", "He was born in 1990. He is here.", []string{"He was born in 1990.", "He is here."}},
		{"interrobang run", "Really?! Yes.", []string{"Really?!", "Yes."}},
		{"list", "Steps:\n1. Open the file.\n2. Close it.\n- Done", []string{"Steps:", "1. Open the file.", "2. Close it.", "- Done"}},
		{"list without periods", "Buy:\n- milk\n- bread", []string{"Buy:", "- milk", "- bread"}},
		{"blank line ends a sentence", "A title\n\nThe text starts here", []string{"A title", "The text starts here"}},
		{"wrapped line", "This sentence is\nwrapped. Next one.", []string{"This sentence is\nwrapped.", "Next one."}},
		{"roman numeral", "It is in phase I. Results follow.", []string{"It is in phase I.", "Results follow."}},
		{"et al.", "Smith et al. showed it. Jones et al. The end.", []string{"Smith et al. showed it.", "Jones et al.", "The end."}},
		{"no terminal", "no punctuation at all", []string{"no punctuation at all"}},
		{"digit starts the next", "It rose. 5 people came.", []string{"It rose.", "5 people came."}},
		{"leading and trailing space", "  \n One.  Two. \n", []string{"One.", "Two."}},
	})
}

func TestSplitSpanish(t *testing.T) {
	runSplitCases(t, "es", []splitCase{
		{"simple", "Hola. Adiós.", []string{"Hola.", "Adiós."}},
		{"inverted marks", "¿Vienes? ¡Claro! Vamos.", []string{"¿Vienes?", "¡Claro!", "Vamos."}},
		{"titles", "El Sr. García y la Sra. López llegaron. La Dra. Ruiz no.", []string{"El Sr. García y la Sra. López llegaron.", "La Dra. Ruiz no."}},
		{"p. ej.", "Hay frutas, p. ej. Manzanas y peras. Nada más.", []string{"Hay frutas, p. ej. Manzanas y peras.", "Nada más."}},
		{"EE. UU. mid-sentence", "Vive en EE. UU. y trabaja allí.", []string{"Vive en EE. UU. y trabaja allí."}},
		{"EE. UU. at the end", "Fue a EE. UU. Luego volvió.", []string{"Fue a EE. UU.", "Luego volvió."}},
		{"EE.UU. with a non-breaking space", "Casos en EE.\u00a0UU. Datos nuevos.", []string{"Casos en EE.\u00a0UU.", "Datos nuevos."}},
		{"núm. and pág.", "Ver núm. 5 en la pág. 20. Gracias.", []string{"Ver núm. 5 en la pág. 20.", "Gracias."}},
		{"etc.", "Trae lápices, papel, etc. Luego hablamos.", []string{"Trae lápices, papel, etc.", "Luego hablamos."}},
		{"dialogue dash", "—¿Vienes? —preguntó.", []string{"—¿Vienes? —preguntó."}},
		{"question then comma", "¿Qué dices?, preguntó él.", []string{"¿Qué dices?, preguntó él."}},
		{"decimal comma", "Cuesta 3,50 euros. Es barato.", []string{"Cuesta 3,50 euros.", "Es barato."}},
		{"ordinal", "Quedó en 3.er lugar. Bien.", []string{"Quedó en 3.er lugar.", "Bien."}},
		{"year", "Fue en 1992. Luego volvió.", []string{"Fue en 1992.", "Luego volvió."}},
		{"a. C.", "Nació en el 63 a. C. y murió en el 14 d. C. Fue emperador.", []string{"Nació en el 63 a. C. y murió en el 14 d. C.", "Fue emperador."}},
		{"quotes", "Dijo «Hola.» Después se fue.", []string{"Dijo «Hola.»", "Después se fue."}},
		{"Ud.", "¿Ud. viene? Sí.", []string{"¿Ud. viene?", "Sí."}},
		{"ellipsis", "Bueno... no sé. Quizás.", []string{"Bueno... no sé.", "Quizás."}},
		{"exclamation inside", "¡Qué bien! ¿Y tú?", []string{"¡Qué bien!", "¿Y tú?"}},
		{"'no.' is a word", "Dije que no. Luego me fui.", []string{"Dije que no.", "Luego me fui."}},
	})
}

func TestSplitGerman(t *testing.T) {
	runSplitCases(t, "de", []splitCase{
		{"simple", "Das ist gut. Das ist schlecht.", []string{"Das ist gut.", "Das ist schlecht."}},
		{"z. B.", "Obst, z. B. Äpfel, ist gesund. Gemüse auch.", []string{"Obst, z. B. Äpfel, ist gesund.", "Gemüse auch."}},
		{"z.B. without space", "Obst, z.B. Äpfel. Gemüse auch.", []string{"Obst, z.B. Äpfel.", "Gemüse auch."}},
		{"d. h.", "Er kommt, d. h. Er ist da. Gut.", []string{"Er kommt, d. h. Er ist da.", "Gut."}},
		{"usw. then capital", "Äpfel, Birnen usw. Dann kam er.", []string{"Äpfel, Birnen usw.", "Dann kam er."}},
		{"bzw.", "Er bzw. Sie kommt. Gut.", []string{"Er bzw. Sie kommt.", "Gut."}},
		{"Nr.", "Haus Nr. 5 ist rot. Das Dach auch.", []string{"Haus Nr. 5 ist rot.", "Das Dach auch."}},
		{"ca.", "Es kostet ca. 5 Euro. Das ist billig.", []string{"Es kostet ca. 5 Euro.", "Das ist billig."}},
		{"Dr.", "Dr. Müller ist da. Er wartet.", []string{"Dr. Müller ist da.", "Er wartet."}},
		{"ggf.", "Bitte ggf. Änderungen melden. Danke.", []string{"Bitte ggf. Änderungen melden.", "Danke."}},
		{"ordinal", "Am 3. Oktober ist Feiertag. Das ist gut.", []string{"Am 3. Oktober ist Feiertag.", "Das ist gut."}},
		{"ordinal noun", "Er wurde im 2. Weltkrieg geboren. Später zog er um.", []string{"Er wurde im 2. Weltkrieg geboren.", "Später zog er um."}},
		{"year splits", "Er kam 1990. Dann ging er.", []string{"Er kam 1990.", "Dann ging er."}},
		{"page number splits", "Siehe S. 5. Dort steht es.", []string{"Siehe S. 5.", "Dort steht es."}},
		{"German quotes", "Er sagte „Hallo.“ Dann ging er.", []string{"Er sagte „Hallo.“", "Dann ging er."}},
		{"u. a.", "Er war u. a. In Berlin. Dann in Rom.", []string{"Er war u. a. In Berlin.", "Dann in Rom."}},
		{"v. Chr.", "Das war 50 v. Chr. Danach kam Rom.", []string{"Das war 50 v. Chr.", "Danach kam Rom."}},
		{"Mio.", "Es kostet 5 Mio. Euro. Viel Geld.", []string{"Es kostet 5 Mio. Euro.", "Viel Geld."}},
		{"question", "Kommst du? Ja! Gut.", []string{"Kommst du?", "Ja!", "Gut."}},
		{"decimal", "Es sind 3,5 kg. Genug.", []string{"Es sind 3,5 kg.", "Genug."}},
	})
}

func TestSplitFrench(t *testing.T) {
	runSplitCases(t, "fr", []splitCase{
		{"simple", "Bonjour. Au revoir.", []string{"Bonjour.", "Au revoir."}},
		{"M.", "M. Dupont est là. Il attend.", []string{"M. Dupont est là.", "Il attend."}},
		{"M. after a word", "J'ai vu M. Dupont hier. Il allait bien.", []string{"J'ai vu M. Dupont hier.", "Il allait bien."}},
		{"Mme and Dr.", "Mme Martin et le Dr. Durand sont arrivés. Bien.", []string{"Mme Martin et le Dr. Durand sont arrivés.", "Bien."}},
		{"space before marks", "Vraiment ? Oui ! Bien.", []string{"Vraiment ?", "Oui !", "Bien."}},
		{"guillemets", "« Bonjour ! » dit-il. Puis il partit.", []string{"« Bonjour ! » dit-il.", "Puis il partit."}},
		{"guillemet after the period", "Il a dit : « Oui. » Puis il est parti.", []string{"Il a dit : « Oui. »", "Puis il est parti."}},
		{"non-breaking spaces", "Il a dit\u00a0: «\u00a0Oui.\u00a0» Puis il est parti.", []string{"Il a dit\u00a0: «\u00a0Oui.\u00a0»", "Puis il est parti."}},
		{"p. ex.", "Des fruits, p. ex. Des pommes. Rien d'autre.", []string{"Des fruits, p. ex. Des pommes.", "Rien d'autre."}},
		{"etc.", "Des pommes, des poires, etc. Puis du pain.", []string{"Des pommes, des poires, etc.", "Puis du pain."}},
		{"av. J.-C. mid-sentence", "En 52 av. J.-C., César vainquit. Fin.", []string{"En 52 av. J.-C., César vainquit.", "Fin."}},
		{"av. J.-C. at the end", "César vainquit en 52 av. J.-C. Il rentra.", []string{"César vainquit en 52 av. J.-C.", "Il rentra."}},
		{"p. before a number", "Voir p. 12. C'est là.", []string{"Voir p. 12.", "C'est là."}},
		{"c.-à-d.", "Le chef, c.-à-d. Le patron, arrive. Bien.", []string{"Le chef, c.-à-d. Le patron, arrive.", "Bien."}},
		{"cf.", "Voir cf. Dupont. Fin.", []string{"Voir cf. Dupont.", "Fin."}},
		{"decimal", "Il pèse 3,5 kg. C'est lourd.", []string{"Il pèse 3,5 kg.", "C'est lourd."}},
		{"ellipsis", "Eh bien… je ne sais pas. Peut-être.", []string{"Eh bien… je ne sais pas.", "Peut-être."}},
		{"year", "Il est né en 1802. Il est mort en 1885.", []string{"Il est né en 1802.", "Il est mort en 1885."}},
		{"exclamation run", "Quoi ?! Non.", []string{"Quoi ?!", "Non."}},
		{"MM.", "MM. Dupont et Durand sont là. Bien.", []string{"MM. Dupont et Durand sont là.", "Bien."}},
	})
}

func TestSplitChinese(t *testing.T) {
	runSplitCases(t, "zh", []splitCase{
		{"full stops", "你好。我很好！你呢？", []string{"你好。", "我很好！", "你呢？"}},
		{"quotation stays whole", "他说：“你好。”然后走了。", []string{"他说：“你好。”然后走了。"}},
		{"mark run", "真的吗？！是的。", []string{"真的吗？！", "是的。"}},
		{"spaces between", "第一句。 第二句。", []string{"第一句。", "第二句。"}},
		{"ellipsis does not end", "我想……算了。好吧。", []string{"我想……算了。", "好吧。"}},
		{"latin inside", "版本是3.14。下载吧。", []string{"版本是3.14。", "下载吧。"}},
		{"closing bracket after", "（这是注释。）正文。", []string{"（这是注释。）正文。"}},
		{"mixed with english", "Hello. 你好。", []string{"Hello.", "你好。"}},
	})
}

func TestSplitJapanese(t *testing.T) {
	runSplitCases(t, "ja", []splitCase{
		{"full stops", "今日は晴れです。明日は雨でしょう。", []string{"今日は晴れです。", "明日は雨でしょう。"}},
		{"quotation stays whole", "「こんにちは。」と言った。今日は晴れ。", []string{"「こんにちは。」と言った。", "今日は晴れ。"}},
		{"question and exclamation", "本当ですか？はい！", []string{"本当ですか？", "はい！"}},
		{"half-width stop", "ｶﾀｶﾅ｡ひらがな。", []string{"ｶﾀｶﾅ｡", "ひらがな。"}},
		{"nested brackets", "『「はい。」と彼は言った。』と書いた。次。", []string{"『「はい。」と彼は言った。』と書いた。", "次。"}},
		{"newline list", "手順：\n1. 開く\n2. 閉じる", []string{"手順：", "1. 開く", "2. 閉じる"}},
	})
}

func TestSplitOtherLanguages(t *testing.T) {
	runSplitCases(t, "pt", []splitCase{
		{"default rules", "O Dr. Silva chegou. Ele esperou.", []string{"O Dr. Silva chegou.", "Ele esperou."}},
		{"default etc.", "Maçãs, peras, etc. Depois pão.", []string{"Maçãs, peras, etc.", "Depois pão."}},
	})
	runSplitCases(t, "und", []splitCase{
		{"undefined language", "One. Two? Three!", []string{"One.", "Two?", "Three!"}},
		{"arabic question mark", "هل أنت بخير؟ نعم.", []string{"هل أنت بخير؟", "نعم."}},
		{"hindi danda", "यह एक वाक्य है। यह दूसरा है।", []string{"यह एक वाक्य है।", "यह दूसरा है।"}},
	})
}

func TestSplitEdges(t *testing.T) {
	for _, text := range []string{"", " ", "\n\n\n", ".", "...", "。", "?!", "a", "\xff\xfe.", ". . .", "Mr.", "z. B.", "1.", "\u00a0.\u00a0"} {
		checkSentences(t, text, Split(text, language.German))
	}
	if got := Split("", language.English); len(got) != 0 {
		t.Errorf("Split(\"\") = %v, want none", got)
	}
}
