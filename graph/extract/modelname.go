package extract

import "strings"

// ModelFilePattern matches the names ModelFileName makes (filepath.Match
// syntax).
const ModelFilePattern = "align.*.*.kgm"

// ModelFileLangs returns the languages of a model file name ModelFileName
// made, and false for any other name.
func ModelFileLangs(name string) (sourceLang, targetLang string, ok bool) {
	rest, ok := strings.CutPrefix(name, "align.")
	if !ok {
		return "", "", false
	}
	rest, ok = strings.CutSuffix(rest, ".kgm")
	if !ok {
		return "", "", false
	}
	sourceLang, targetLang, ok = strings.Cut(rest, ".")
	if !ok || sourceLang == "" || targetLang == "" || strings.Contains(targetLang, ".") {
		return "", "", false
	}
	return sourceLang, targetLang, true
}
