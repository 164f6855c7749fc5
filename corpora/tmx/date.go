package tmx

import (
	"errors"
	"time"
)

// dateLayout is how TMX writes dates: UTC, ISO 8601 basic format.
const dateLayout = "20060102T150405Z"

// parseDate parses a TMX date. Besides the form the standard requires
// (20020523T091200Z) it accepts the same without the Z, and RFC 3339,
// which some tools write.
func parseDate(b []byte) (time.Time, error) {
	s := string(b)
	for _, layout := range [...]string{dateLayout, "20060102T150405", time.RFC3339} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, errors.New("not a TMX date")
}

// formatDate formats a time as TMX wants it.
func formatDate(t time.Time) string { return t.UTC().Format(dateLayout) }
