package tabular

// HeaderMode says whether the first row of a table names its columns.
type HeaderMode uint8

const (
	// HeaderAuto takes the first row as a header when it names a source and
	// a target column (by role or by language code).
	HeaderAuto HeaderMode = iota
	// HeaderYes takes the first row as a header whatever it holds; names
	// that are not recognised become properties, and source and target fall
	// back to the first two columns.
	HeaderYes
	// HeaderNo reads the first row as data.
	HeaderNo
)

func (m HeaderMode) String() string {
	switch m {
	case HeaderYes:
		return "yes"
	case HeaderNo:
		return "no"
	}
	return "auto"
}

// EscapeMode says whether backslash escapes (\t, \n, \r, \\) in cells stand
// for the characters they name.
type EscapeMode uint8

const (
	// EscapesAuto decides per file; see the package documentation.
	EscapesAuto EscapeMode = iota
	// EscapesOn unescapes every cell (reading) or escapes every cell
	// (writing).
	EscapesOn
	// EscapesOff takes backslashes literally. A TSV writer then refuses
	// cells that hold a tab or a line break, which it could not write.
	EscapesOff
)

func (m EscapeMode) String() string {
	switch m {
	case EscapesOn:
		return "on"
	case EscapesOff:
		return "off"
	}
	return "auto"
}

// TableOptions say how to read a table. The zero value detects everything.
type TableOptions struct {
	// Delimiter separates cells. '\t' reads TSV; any other rune reads CSV
	// with RFC 4180 quoting and that separator. Zero detects it from the
	// first line: a tab, else a comma, else a semicolon.
	Delimiter rune
	// Header says whether the first row names the columns.
	Header HeaderMode
	// Escapes says whether backslash escapes in cells are decoded.
	Escapes EscapeMode
	// Comment, when not zero, starts lines that are not rows (OmegaT
	// glossaries use '#').
	Comment rune
}
