package po

import "golang.org/x/text/language"

// Plural-Forms of common languages, for a new header. They are the
// formulas gettext's manual gives; a language that is not here gets no
// Plural-Forms field unless WriterOptions.PluralForms gives one.
const (
	pfOne       = "nplurals=1; plural=0;"
	pfNotOne    = "nplurals=2; plural=(n != 1);"
	pfMoreOne   = "nplurals=2; plural=(n > 1);"
	pfEastSlav  = "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);"
	pfPolish    = "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);"
	pfCzech     = "nplurals=3; plural=(n==1) ? 0 : (n>=2 && n<=4) ? 1 : 2;"
	pfSlovenian = "nplurals=4; plural=(n%100==1 ? 0 : n%100==2 ? 1 : n%100==3 || n%100==4 ? 2 : 3);"
	pfLithuan   = "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && (n%100<10 || n%100>=20) ? 1 : 2);"
	pfLatvian   = "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n != 0 ? 1 : 2);"
	pfRomanian  = "nplurals=3; plural=(n==1 ? 0 : (n==0 || (n%100 > 0 && n%100 < 20)) ? 1 : 2);"
	pfIrish     = "nplurals=5; plural=(n==1 ? 0 : n==2 ? 1 : n>=3 && n<=6 ? 2 : n>=7 && n<=10 ? 3 : 4);"
	pfArabic    = "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5);"
	pfIcelandic = "nplurals=2; plural=(n%10!=1 || n%100==11);"
)

var pluralTable = map[string]string{
	"ja": pfOne, "ko": pfOne, "zh": pfOne, "vi": pfOne, "th": pfOne, "id": pfOne,
	"ms": pfOne, "lo": pfOne, "km": pfOne, "my": pfOne,
	"en": pfNotOne, "de": pfNotOne, "nl": pfNotOne, "sv": pfNotOne, "da": pfNotOne,
	"nb": pfNotOne, "nn": pfNotOne, "no": pfNotOne, "fi": pfNotOne, "et": pfNotOne,
	"it": pfNotOne, "es": pfNotOne, "pt": pfNotOne, "el": pfNotOne, "bg": pfNotOne,
	"hu": pfNotOne, "eo": pfNotOne, "he": pfNotOne, "ca": pfNotOne, "gl": pfNotOne,
	"eu": pfNotOne, "af": pfNotOne, "sq": pfNotOne, "tr": pfNotOne, "fo": pfNotOne,
	"fy": pfNotOne, "ast": pfNotOne, "bn": pfNotOne, "hi": pfNotOne, "ta": pfNotOne,
	"te": pfNotOne, "ml": pfNotOne, "mr": pfNotOne, "gu": pfNotOne, "ur": pfNotOne,
	"sw": pfNotOne, "az": pfNotOne, "ka": pfNotOne, "kk": pfNotOne, "mn": pfNotOne,
	"fr": pfMoreOne, "pt-BR": pfMoreOne, "oc": pfMoreOne, "br": pfMoreOne, "fil": pfMoreOne,
	"ru": pfEastSlav, "uk": pfEastSlav, "be": pfEastSlav, "sr": pfEastSlav,
	"hr": pfEastSlav, "bs": pfEastSlav,
	"pl": pfPolish, "cs": pfCzech, "sk": pfCzech, "sl": pfSlovenian,
	"lt": pfLithuan, "lv": pfLatvian, "ro": pfRomanian, "ga": pfIrish,
	"ar": pfArabic, "is": pfIcelandic,
}

// pluralForms returns the usual Plural-Forms of a language, or "".
func pluralForms(t language.Tag) string {
	if t == language.Und {
		return ""
	}
	if pf, ok := pluralTable[t.String()]; ok {
		return pf
	}
	b, _ := t.Base()
	return pluralTable[b.String()]
}
