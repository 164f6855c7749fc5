package po

import (
	"strings"

	"golang.org/x/text/language"
)

// The plural rules of the languages kgmem knows, as Plural-Forms values.
// Where GNU gettext's own table has a language (what msginit writes into
// a new catalog), its rule is the one here, spelt as gettext spells it;
// the other languages have CLDR's rules for integers, with CLDR's
// categories in CLDR's order (zero, one, two, few, many, other), leaving
// out the categories only fractions reach.
const (
	// One form for every count.
	pfOnly = "nplurals=1; plural=0;"
	// one: n = 1.
	pfNotOne = "nplurals=2; plural=(n != 1);"
	// one: n = 0 or 1.
	pfOverOne = "nplurals=2; plural=(n > 1);"
	// one: n%10 = 1 except 11; few: n%10 = 2..4 except 12..14.
	pfEastSlavic = "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);"
	pfPolish     = "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);"
	pfCzech      = "nplurals=3; plural=(n==1) ? 0 : (n>=2 && n<=4) ? 1 : 2;"
	// one, two, few by n%100 (also Upper and Lower Sorbian).
	pfSlovenian  = "nplurals=4; plural=(n%100==1 ? 0 : n%100==2 ? 1 : n%100==3 || n%100==4 ? 2 : 3);"
	pfLithuanian = "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && (n%100<10 || n%100>=20) ? 1 : 2);"
	pfLatvian    = "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n != 0 ? 1 : 2);"
	pfRomanian   = "nplurals=3; plural=n==1 ? 0 : (n==0 || (n%100 > 0 && n%100 < 20)) ? 1 : 2;"
	pfIrish      = "nplurals=3; plural=n==1 ? 0 : n==2 ? 1 : 2;"
	// one: n%10 = 1 except 11 (Icelandic, Macedonian).
	pfIcelandic = "nplurals=2; plural=(n%10!=1 || n%100==11);"
	pfArabic    = "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5);"
	pfWelsh     = "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n==3 ? 3 : n==6 ? 4 : 5);"
	pfGaelic    = "nplurals=4; plural=(n==1 || n==11) ? 0 : (n==2 || n==12) ? 1 : (n>2 && n<20) ? 2 : 3;"
	pfMaltese   = "nplurals=5; plural=(n==1 ? 0 : n==2 ? 1 : n==0 || (n%100>=3 && n%100<=10) ? 2 : n%100>=11 && n%100<=19 ? 3 : 4);"
	pfBreton    = "nplurals=5; plural=(n%10==1 && n%100!=11 && n%100!=71 && n%100!=91 ? 0 : n%10==2 && n%100!=12 && n%100!=72 && n%100!=92 ? 1 : (n%10==3 || n%10==4 || n%10==9) && (n%100<10 || n%100>19) && (n%100<70 || n%100>79) && (n%100<90 || n%100>99) ? 2 : n!=0 && n%1000000==0 ? 3 : 4);"
	pfManx      = "nplurals=4; plural=(n%10==1 ? 0 : n%10==2 ? 1 : n%20==0 ? 2 : 3);"
	// one: every count but those ending in 4, 6 or 9 (Filipino, Tagalog, Cebuano).
	pfFilipino  = "nplurals=2; plural=(n%10==4 || n%10==6 || n%10==9);"
	pfTamazight = "nplurals=2; plural=(n<=1 || (n>=11 && n<=99)) ? 0 : 1;"
	pfTachelhit = "nplurals=3; plural=(n<=1 ? 0 : n<=10 ? 1 : 2);"
	// zero, one, other (Colognian, Langi).
	pfZeroOne = "nplurals=3; plural=(n==0 ? 0 : n==1 ? 1 : 2);"
	// one, two, other (Inuktitut, Nama, Santali, the Sami languages).
	pfOneTwo = "nplurals=3; plural=(n==1 ? 0 : n==2 ? 1 : 2);"
)

// pluralTable maps a language (a BCP-47 language subtag, or a full tag
// where a region or script has a rule of its own) to its Plural-Forms.
// It is never changed.
var pluralTable = map[string]string{
	// One form.
	"bm": pfOnly, "bo": pfOnly, "dz": pfOnly, "id": pfOnly, "ig": pfOnly, "ii": pfOnly,
	"ja": pfOnly, "jbo": pfOnly, "jv": pfOnly, "kde": pfOnly, "kea": pfOnly, "km": pfOnly,
	"ko": pfOnly, "lkt": pfOnly, "lo": pfOnly, "ms": pfOnly, "my": pfOnly, "nqo": pfOnly,
	"osa": pfOnly, "sah": pfOnly, "ses": pfOnly, "sg": pfOnly, "su": pfOnly, "th": pfOnly,
	"to": pfOnly, "vi": pfOnly, "wo": pfOnly, "yo": pfOnly, "yue": pfOnly, "zh": pfOnly,

	// one: n = 1.
	"af": pfNotOne, "an": pfNotOne, "asa": pfNotOne, "ast": pfNotOne, "az": pfNotOne,
	"bal": pfNotOne, "bem": pfNotOne, "bez": pfNotOne, "bg": pfNotOne, "brx": pfNotOne,
	"ca": pfNotOne, "ce": pfNotOne, "cgg": pfNotOne, "chr": pfNotOne, "ckb": pfNotOne,
	"da": pfNotOne, "de": pfNotOne, "dv": pfNotOne, "ee": pfNotOne, "el": pfNotOne,
	"en": pfNotOne, "eo": pfNotOne, "es": pfNotOne, "et": pfNotOne, "eu": pfNotOne,
	"fi": pfNotOne, "fo": pfNotOne, "fur": pfNotOne, "fy": pfNotOne, "gl": pfNotOne,
	"gsw": pfNotOne, "ha": pfNotOne, "haw": pfNotOne, "he": pfNotOne, "hu": pfNotOne,
	"ia": pfNotOne, "io": pfNotOne, "it": pfNotOne, "jgo": pfNotOne, "jmc": pfNotOne,
	"ka": pfNotOne, "kaj": pfNotOne, "kcg": pfNotOne, "kk": pfNotOne, "kkj": pfNotOne,
	"kl": pfNotOne, "ks": pfNotOne, "ksb": pfNotOne, "ku": pfNotOne, "ky": pfNotOne,
	"lb": pfNotOne, "lg": pfNotOne, "lij": pfNotOne, "mas": pfNotOne, "mgo": pfNotOne,
	"ml": pfNotOne, "mn": pfNotOne, "mr": pfNotOne, "nah": pfNotOne, "nb": pfNotOne,
	"nd": pfNotOne, "ne": pfNotOne, "nl": pfNotOne, "nn": pfNotOne, "nnh": pfNotOne,
	"no": pfNotOne, "nr": pfNotOne, "ny": pfNotOne, "nyn": pfNotOne, "om": pfNotOne,
	"or": pfNotOne, "os": pfNotOne, "pap": pfNotOne, "ps": pfNotOne, "pt": pfNotOne,
	"rm": pfNotOne, "rof": pfNotOne, "rwk": pfNotOne, "saq": pfNotOne, "sc": pfNotOne,
	"scn": pfNotOne, "sd": pfNotOne, "sdh": pfNotOne, "seh": pfNotOne, "sn": pfNotOne,
	"so": pfNotOne, "sq": pfNotOne, "ss": pfNotOne, "ssy": pfNotOne, "st": pfNotOne,
	"sv": pfNotOne, "sw": pfNotOne, "syr": pfNotOne, "ta": pfNotOne, "te": pfNotOne,
	"teo": pfNotOne, "tig": pfNotOne, "tk": pfNotOne, "tn": pfNotOne, "tr": pfNotOne,
	"ts": pfNotOne, "ug": pfNotOne, "ur": pfNotOne, "uz": pfNotOne, "ve": pfNotOne,
	"vo": pfNotOne, "vun": pfNotOne, "wae": pfNotOne, "xh": pfNotOne, "xog": pfNotOne,
	"yi": pfNotOne,

	// one: n = 0 or 1. Occitan is not in CLDR; its translators use
	// French's rule.
	"ak": pfOverOne, "am": pfOverOne, "as": pfOverOne, "bho": pfOverOne, "bn": pfOverOne,
	"doi": pfOverOne, "fa": pfOverOne, "ff": pfOverOne, "fr": pfOverOne, "gu": pfOverOne,
	"guw": pfOverOne, "hi": pfOverOne, "hy": pfOverOne, "kab": pfOverOne, "kn": pfOverOne,
	"ln": pfOverOne, "mg": pfOverOne, "nso": pfOverOne, "oc": pfOverOne, "pa": pfOverOne,
	"pcm": pfOverOne, "pt-BR": pfOverOne, "si": pfOverOne, "ti": pfOverOne, "wa": pfOverOne,
	"zu": pfOverOne,

	"be": pfEastSlavic, "bs": pfEastSlavic, "hr": pfEastSlavic, "ru": pfEastSlavic,
	"sh": pfEastSlavic, "sr": pfEastSlavic, "uk": pfEastSlavic,
	"pl": pfPolish,
	"cs": pfCzech, "sk": pfCzech,
	"sl": pfSlovenian, "dsb": pfSlovenian, "hsb": pfSlovenian,
	"lt": pfLithuanian,
	"lv": pfLatvian,
	"ro": pfRomanian, "mo": pfRomanian,
	"ga": pfIrish,
	"is": pfIcelandic, "mk": pfIcelandic,
	"ar": pfArabic, "ars": pfArabic,
	"cy":  pfWelsh,
	"gd":  pfGaelic,
	"mt":  pfMaltese,
	"br":  pfBreton,
	"gv":  pfManx,
	"fil": pfFilipino, "tl": pfFilipino, "ceb": pfFilipino,
	"tzm": pfTamazight,
	"shi": pfTachelhit,
	"ksh": pfZeroOne, "lag": pfZeroOne,
	"iu": pfOneTwo, "naq": pfOneTwo, "sat": pfOneTwo, "se": pfOneTwo, "sma": pfOneTwo,
	"smi": pfOneTwo, "smj": pfOneTwo, "smn": pfOneTwo, "sms": pfOneTwo,
}

// PluralFormsOf returns the Plural-Forms value of a language, such as
// "nplurals=2; plural=(n != 1);" for Spanish, and whether kgmem knows
// it. A tag with a region or script falls back to its language
// ("es-MX" takes "es"), except where the region has a rule of its own
// ("pt-BR").
func PluralFormsOf(t language.Tag) (string, bool) {
	if t == language.Und {
		return "", false
	}
	base, _ := t.Base()
	keys := []string{t.String()}
	if r, conf := t.Region(); conf == language.Exact {
		keys = append(keys, base.String()+"-"+r.String())
	}
	keys = append(keys, base.String())
	for _, k := range keys {
		if pf, ok := pluralTable[k]; ok {
			return pf, true
		}
	}
	return "", false
}

// pluralForms returns the usual Plural-Forms of a language, or "".
func pluralForms(t language.Tag) string {
	pf, _ := PluralFormsOf(t)
	return pf
}

// templatePluralForms reports whether a Plural-Forms value is missing or
// is the placeholder a template (POT) carries,
// "nplurals=INTEGER; plural=EXPRESSION;", or anything else gettext cannot
// parse: a catalog in a known language should get its language's rule.
func templatePluralForms(pf string) bool {
	if strings.TrimSpace(pf) == "" {
		return true
	}
	_, err := ParsePluralForms(pf)
	return err != nil
}
