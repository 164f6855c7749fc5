package metrics

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/kgmem/kgmem/corpora"
)

// ReadSegments reads a plain-text file of segments, one a line, as
// sacreBLEU reads hypothesis and reference files: a final newline does not
// start another segment, "\r\n" line ends are accepted, and an empty line
// is an empty segment. UTF-16 and byte order marks are handled.
func ReadSegments(r io.Reader) ([]string, error) {
	ur, _, err := corpora.UTF8Reader(r)
	if err != nil {
		return nil, err
	}
	br := bufio.NewReaderSize(ur, 64<<10)
	var segs []string
	for {
		line, err := br.ReadString('\n')
		if len(line) > 0 {
			line = strings.TrimSuffix(line, "\n")
			line = strings.TrimSuffix(line, "\r")
			segs = append(segs, line)
		}
		if errors.Is(err, io.EOF) {
			return segs, nil
		}
		if err != nil {
			return nil, fmt.Errorf("read segments: %w", err)
		}
	}
}
