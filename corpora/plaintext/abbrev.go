package plaintext

import (
	"strings"

	"golang.org/x/text/language"
)

// abbrKind says how an abbreviation bears on a sentence boundary after it.
type abbrKind uint8

const (
	// abbrMid never ends a sentence: "Mr.", "z. B.", "p. ej.".
	abbrMid abbrKind = iota
	// abbrFinal often ends one: "etc.", "usw." end the sentence when a
	// capital follows, and not otherwise.
	abbrFinal
	// abbrNumber comes before a number: "No. 5", "S. 12", "pág. 3". Before
	// anything else the period is an ordinary one ("No. I won't.").
	abbrNumber
)

// abbr is an abbreviation as written, with single spaces between its
// parts. A space after a period may be missing in text ("z.B." for "z. B.");
// any other must be there.
type abbr struct {
	text string
	kind abbrKind
	fold bool  // all lower case: matches in any case ("Etc.")
	dots []int // where its periods are
}

// rules are what a language's segmentation depends on.
type rules struct {
	abbrs []abbr
	// ordinals: a number of up to three digits and a period is an ordinal
	// ("am 3. Oktober") and does not end a sentence.
	ordinals bool
	// byLetter indexes, by the byte before each of their periods (in
	// either case for abbreviations that match in any case), the abbreviations that have one there, so that a period is
	// checked only against the abbreviations it could end a part of.
	byLetter [256][]abbrDot
}

// abbrDot is one period of an abbreviation.
type abbrDot struct {
	a   *abbr
	dot int
}

// newRules builds the rules for a list of abbreviations.
func newRules(ordinals bool, abbrs []abbr) *rules {
	r := &rules{abbrs: abbrs, ordinals: ordinals}
	for i := range r.abbrs {
		a := &r.abbrs[i]
		for _, d := range a.dots {
			if d == 0 {
				continue // a period with nothing before it matches no text
			}
			b := a.text[d-1]
			r.byLetter[b] = append(r.byLetter[b], abbrDot{a, d})
			if u := upperByte(b); a.fold && u != b {
				r.byLetter[u] = append(r.byLetter[u], abbrDot{a, d})
			}
		}
	}
	return r
}

func upperByte(b byte) byte {
	if b >= 'a' && b <= 'z' {
		return b &^ 0x20
	}
	return b
}

// mid, final and number build abbreviation lists; entries are written as
// in text, spaces and all ("p. ej.").
func mid(list string) []abbr    { return abbrs(list, abbrMid) }
func final(list string) []abbr  { return abbrs(list, abbrFinal) }
func number(list string) []abbr { return abbrs(list, abbrNumber) }

func abbrs(list string, kind abbrKind) []abbr {
	var out []abbr
	for _, a := range strings.Split(list, "|") {
		a = strings.Join(strings.Fields(a), " ")
		if a == "" {
			continue
		}
		x := abbr{text: a, kind: kind, fold: strings.ToLower(a) == a}
		for i := 0; i < len(a); i++ {
			if a[i] == '.' {
				x.dots = append(x.dots, i)
			}
		}
		out = append(out, x)
	}
	return out
}

func join(lists ...[]abbr) []abbr {
	var out []abbr
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

// common are abbreviations shared by most languages written in Latin
// script, and the default for languages without their own list.
var common = join(
	mid("e.g.|i.e.|cf.|vs.|viz.|Dr.|Dra.|Prof.|Mr.|Mrs.|Ms.|Sr.|Sra.|St.|Mt.|approx.|ca."),
	final("etc."),
	number("No.|Nos.|Nr.|no.|nr.|p.|pp.|Fig.|fig.|Vol.|vol.|Art.|art."),
)

var english = newRules(false, join(
	mid(`Mr.|Mrs.|Ms.|Messrs.|Dr.|Prof.|Sr.|Jr.|St.|Mt.|Ft.|Gen.|Gov.|Sen.|Rep.|Pres.|Capt.|Lt.|Col.|Sgt.|Maj.|Adm.|Cmdr.|Rev.|Hon.|Fr.|
		e.g.|i.e.|cf.|vs.|viz.|al.|approx.|ca.|dept.|
		Ave.|Blvd.|Rd.|Hwy.|Ph.D.|M.D.|B.A.|M.A.|B.Sc.|M.Sc.|U.S.|U.S.A.|U.K.|U.N.|E.U.|
		Jan.|Feb.|Mar.|Apr.|Jun.|Jul.|Aug.|Sep.|Sept.|Oct.|Nov.|Dec.|Mon.|Tue.|Tues.|Wed.|Thu.|Thurs.|Fri.|v.|
		Univ.|Assn.|Dist.|Mfg.|Bros.|ed.|eds.|trans.|repr.|incl.|excl.|resp.|Dept.`),
	final("etc.|Inc.|Ltd.|Co.|Corp.|LLC.|Plc.|a.m.|p.m.|A.M.|P.M.|et al.|misc.|min.|max.|avg.|hrs.|mins.|secs."),
	number("No.|Nos.|no.|nos.|p.|pp.|Fig.|Figs.|fig.|figs.|Vol.|vol.|Vols.|Ch.|ch.|Chap.|chap.|Sec.|sec.|Art.|art.|Eq.|Eqs.|Ref.|Refs.|Tab.|Nr.|Op.|op.|para.|paras.|ver.|est."),
))

var spanish = newRules(false, join(
	mid(`Sr.|Sra.|Srta.|Sres.|Sras.|Dr.|Dra.|Dres.|Lic.|Licda.|Ing.|Arq.|Prof.|Profa.|Mtro.|Mtra.|D.|Dña.|Da.|Ud.|Uds.|Vd.|Vds.|Excmo.|Excma.|Ilmo.|Ilma.|Sto.|Sta.|Gral.|Cnel.|Cap.|
		p. ej.|ej.|aprox.|Avda.|avda.|Av.|av.|C.P.|dcha.|izq.|izqda.|admón.|dpto.|Dpto.|depto.|Cía.|cía.|Hnos.|
		vs.|cf.|cfr.|vid.|op. cit.|ibíd.|íd.|
		ene.|feb.|abr.|jun.|jul.|ago.|sept.|oct.|nov.|dic.|lun.|mié.|jue.|vie.|sáb.|
		tel.|Tel.|pta.|ptas.|máx.|mín.|ud.|uds.`),
	final("etc.|EE. UU.|a. C.|d. C.|a. de C.|d. de C.|S. A.|S. L.|e. g.|i. e."),
	number("núm.|Núm.|n.º|nro.|Nro.|pág.|Pág.|págs.|p.|pp.|art.|Art.|arts.|cap.|caps.|vol.|Vol.|vols.|fig.|Fig.|no.|No.|tomo.|t.|col.|cols.|párr.|secc.|ap."),
))

var german = newRules(true, join(
	mid(`z. B.|z.B.|d. h.|u. a.|u. U.|o. Ä.|o. ä.|s. o.|s. u.|i. d. R.|u. v. m.|v. a.|z. T.|z. Zt.|i. A.|i. V.|a. a. O.|m. E.|o. g.|u. Ä.|
		bzw.|ca.|Dr.|Prof.|Hr.|Hrn.|Fr.|Frl.|ggf.|evtl.|vgl.|bspw.|inkl.|exkl.|zzgl.|bzgl.|einschl.|
		med.|jur.|phil.|rer.|nat.|Dipl.|Ing.|Dipl.-Ing.|Hrsg.|hrsg.|geb.|gest.|verh.|led.|
		Mio.|Mrd.|Tsd.|Jh.|Jhd.|Str.|Tel.|Pl.|Pkt.|St.|sog.|allg.|ehem.|eigtl.|gegr.|insb.|jew.|max.|min.|mind.|
		Jan.|Feb.|Mär.|Apr.|Jun.|Jul.|Aug.|Sep.|Sept.|Okt.|Nov.|Dez.`),
	final("usw.|etc.|u. s. w.|v. Chr.|n. Chr.|a. D.|e. V.|GmbH.|AG."),
	number("Nr.|S.|Abs.|Art.|Bd.|Bde.|Kap.|Abb.|Tab.|Anm.|Ziff.|Fn.|Nrn.|Aufl.|Jg."),
))

var french = newRules(false, join(
	mid(`MM.|Mme.|Mmes.|Mlle.|Mlles.|Dr.|Dre.|Pr.|Me.|Mgr.|St.|Ste.|Sts.|
		p. ex.|c.-à-d.|c. à d.|cf.|env.|ex.|hab.|min.|max.|éd.|coll.|dir.|trad.|
		av.|bd.|boul.|fg.|pl.|
		janv.|févr.|avr.|juil.|sept.|oct.|nov.|déc.|lun.|jeu.|ven.|sam.|dim.|
		op. cit.|ibid.|id.|adj.|apr.|art.|chap.|tél.|Tél.|s.v.p.|S.V.P.`),
	final("etc.|av. J.-C.|apr. J.-C.|J.-C.|Cie.|cie.|S.A.|S. A."),
	number("p.|pp.|n°.|no.|No.|vol.|Vol.|t.|fig.|Fig.|chap.|art.|Art.|éd.|§."),
))

// defaultRules are for languages without rules of their own.
var defaultRules = newRules(false, common)

// rulesFor returns the segmentation rules for a language.
func rulesFor(lang language.Tag) *rules {
	base, _ := lang.Base()
	switch base.String() {
	case "en":
		return english
	case "es":
		return spanish
	case "de":
		return german
	case "fr":
		return french
	}
	return defaultRules
}
