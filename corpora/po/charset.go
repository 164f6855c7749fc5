package po

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/ianaindex"
)

// charset is the byte encoding of a catalog's strings, as its header's
// Content-Type declares it.
type charset struct {
	// name is the charset as the header spells it ("UTF-8" when none).
	name string
	// enc decodes to UTF-8; nil for UTF-8 (and ASCII, which gettext
	// templates declare but whose files are often UTF-8 anyway).
	enc encoding.Encoding
	// multi is true for the charsets whose two-byte characters may have a
	// backslash or a quote as their second byte (BIG5, GBK, GB18030,
	// Shift_JIS): the string lexer must step over those pairs, as gettext's
	// does.
	multi bool
	// sjis marks Shift_JIS, whose bytes 0xA1–0xDF are single characters.
	sjis bool
	// fffd is how the charset encodes U+FFFD, when it can: a decoded U+FFFD
	// is then not necessarily an invalid byte.
	fffd []byte
}

var utf8Charset = charset{name: "UTF-8"}

// aliases are charset names gettext accepts that the IANA index does not
// know, mapped to a name it does.
var aliases = map[string]string{
	"ascii":          "US-ASCII",
	"ansi_x3.4-1968": "US-ASCII",
	"utf8":           "UTF-8",
	"sjis":           "Shift_JIS",
	"cp932":          "Shift_JIS",
	"windows-31j":    "Shift_JIS",
	"gb2312":         "GBK",
	"euc-cn":         "GBK",
	"cp936":          "GBK",
	"big5-hkscs":     "Big5",
	"big5hkscs":      "Big5",
	"cp950":          "Big5",
	"cp949":          "EUC-KR",
	"uhc":            "EUC-KR",
	"tis-620":        "windows-874",
	"cp874":          "windows-874",
	"euc-tw":         "", // not supported
	"johab":          "",
}

// lookupCharset returns the charset a header's Content-Type names.
// "CHARSET" (the placeholder of a fresh template), "ASCII" and the empty
// string read as UTF-8.
func lookupCharset(label string) (charset, error) {
	l := strings.ToLower(strings.TrimSpace(label))
	switch l {
	case "", "charset", "utf-8", "utf8", "ascii", "us-ascii", "ansi_x3.4-1968":
		return charset{name: label}, nil
	}
	if strings.HasPrefix(l, "utf-16") || strings.HasPrefix(l, "utf-32") || l == "ucs-2" || l == "ucs-4" {
		return charset{}, fmt.Errorf("charset %s cannot hold a PO file, whose syntax is ASCII; convert it to UTF-8 with msgconv", label)
	}
	name := label
	if a, ok := aliases[l]; ok {
		if a == "" {
			return charset{}, fmt.Errorf("charset %s is not supported; convert the file to UTF-8 with msgconv", label)
		}
		name = a
	} else if strings.HasPrefix(l, "cp") && len(l) == 6 && l[2] == '1' {
		name = "windows-" + l[2:] // cp1251 → windows-1251
	}
	enc, err := ianaindex.IANA.Encoding(name)
	if err != nil || enc == nil {
		enc, err = htmlindex.Get(name)
	}
	if err != nil || enc == nil {
		return charset{}, fmt.Errorf("charset %s is not supported; convert the file to UTF-8 with msgconv", label)
	}
	canon, _ := ianaindex.IANA.Name(enc)
	if canon == "UTF-8" {
		return charset{name: label}, nil
	}
	cs := charset{name: label, enc: enc}
	switch canon {
	case "Shift_JIS":
		cs.multi, cs.sjis = true, true
	case "Big5", "GBK", "GB18030":
		cs.multi = true
	}
	if b, err := enc.NewEncoder().Bytes([]byte("\uFFFD")); err == nil {
		cs.fffd = b
	}
	return cs, nil
}

// isUTF8 reports whether the charset's strings are UTF-8 as they are.
func (c *charset) isUTF8() bool { return c.enc == nil }

// decode converts b from the charset to UTF-8. An invalid byte is an error
// whose message names it and the charset.
func (c *charset) decode(b []byte) (string, error) {
	if c.enc == nil {
		if !utf8.Valid(b) {
			return "", c.invalid(b)
		}
		return string(b), nil
	}
	ascii := true
	for _, x := range b {
		if x >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		return string(b), nil
	}
	out, err := c.enc.NewDecoder().Bytes(b)
	if err != nil {
		return "", fmt.Errorf("bytes not valid in the declared charset %s: %v", c.name, err)
	}
	if bytes.Contains(out, []byte("\uFFFD")) && (c.fffd == nil || !bytes.Contains(b, c.fffd)) {
		return "", fmt.Errorf("bytes not valid in the declared charset %s; fix the header's Content-Type or convert the file with msgconv", c.name)
	}
	return string(out), nil
}

// invalid describes the first byte of b that is not UTF-8.
func (c *charset) invalid(b []byte) error {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			what := "the header declares charset=" + c.name
			if c.name == "" || strings.EqualFold(c.name, "CHARSET") {
				what = "the file declares no charset, so it must be UTF-8"
			}
			return fmt.Errorf("invalid UTF-8 byte 0x%02x (%s); fix the header's Content-Type or convert the file with msgconv", b[i], what)
		}
		i += n
	}
	return fmt.Errorf("invalid UTF-8")
}
