package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"
)

// query is one line of a query set: a source sentence and, when the file
// has one, its translation (what a learn request approves).
type query struct {
	Source, Target string
}

// readQueryFile reads a query set from a TSV file (see readQueries).
func readQueryFile(path string, limit int) ([]query, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read the queries: %w", err)
	}
	defer f.Close()
	qs, err := readQueries(f, path, limit)
	if err != nil {
		return nil, err
	}
	if len(qs) == 0 {
		return nil, fmt.Errorf("%s: no queries (one a line: source, or source TAB target)", path)
	}
	return qs, nil
}

// readQueries reads a query set: tab-separated lines, the source in the
// first column and the target in the second, or, when the first line is a
// header naming a "source" column (as the shared gettext sets' "domain
// source target"), in the columns it names. Backslash escapes (\t, \n,
// \\) are undone. Lines without a source are skipped; at most limit
// queries are read (0: all).
func readQueries(r io.Reader, name string, limit int) ([]query, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 4<<20)
	src, tgt := 0, 1
	var out []query
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSuffix(sc.Text(), "\r")
		if !utf8.ValidString(text) {
			return nil, fmt.Errorf("%s:%d: not UTF-8; convert the file to UTF-8", name, line)
		}
		cells := strings.Split(text, "\t")
		if line == 1 {
			if s, t, ok := header(cells); ok {
				src, tgt = s, t
				continue
			}
		}
		if src >= len(cells) {
			return nil, fmt.Errorf("%s:%d: %d columns, the source is column %d; give a line per query as source TAB target", name, line, len(cells), src+1)
		}
		q := query{Source: unescape(cells[src])}
		if tgt >= 0 && tgt < len(cells) {
			q.Target = unescape(cells[tgt])
		}
		if strings.TrimSpace(q.Source) == "" {
			continue
		}
		out = append(out, q)
		if limit > 0 && len(out) == limit {
			break
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return out, nil
}

// header returns the source and target columns a header line names (the
// target -1 when it names none).
func header(cells []string) (src, tgt int, ok bool) {
	src, tgt = -1, -1
	for i, c := range cells {
		switch strings.ToLower(strings.TrimSpace(c)) {
		case "source":
			src = i
		case "target":
			tgt = i
		}
	}
	return src, tgt, src >= 0
}

// unescape undoes the backslash escapes of a TSV cell: \t, \n, \r and \\;
// any other backslash stays as it is.
func unescape(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' || i+1 == len(s) {
			b.WriteByte(s[i])
			continue
		}
		switch s[i+1] {
		case 't':
			b.WriteByte('\t')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case '\\':
			b.WriteByte('\\')
		default:
			b.WriteByte('\\')
			continue
		}
		i++
	}
	return b.String()
}
