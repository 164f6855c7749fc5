package retrieval

import (
	"bytes"
	"encoding/binary"
	"encoding/gob"
	"errors"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// The entity table on disk is a base file (the whole table, gob) and a
// log of the entities written since (frames of changed records), so that
// a small write — a learned pair changes the labels of a few entities —
// appends a few records instead of writing the whole table again. The
// manifest names the table's sequence number (manifest.EntityTable); the
// log is folded into a new base, under the next number, once it grows past
// a share of the base, and the files of other numbers are removed when
// the next one is written or the index is opened.

// entityFiles returns the base and log files of table number seq in the
// generation directory gd. Number 0 keeps the name of indexes made before
// the log.
func entityFiles(gd string, seq int) (base, log string) {
	if seq == 0 {
		return filepath.Join(gd, entityTableFile), filepath.Join(gd, "entities.log")
	}
	n := strconv.Itoa(seq)
	return filepath.Join(gd, "entities-"+n+".gob"), filepath.Join(gd, "entities-"+n+".log")
}

// readEntityTables reads table number seq: its base with its log applied.
// A frame cut short by a crash ends the log; it is cut off, so that the
// next append follows the last whole frame.
func readEntityTables(gd string, seq int) ([]entityRec, error) {
	basePath, logPath := entityFiles(gd, seq)
	recs, err := readEntityTable(basePath)
	if err != nil {
		return nil, err
	}
	data, err := os.ReadFile(logPath)
	if errors.Is(err, os.ErrNotExist) {
		return recs, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read entity log: %w", err)
	}
	byID := make(map[string]int, len(recs))
	for i := range recs {
		byID[recs[i].ID] = i
	}
	good := 0
	for off := 0; off < len(data); {
		frame, n, ok := nextFrame(data[off:])
		if !ok {
			break
		}
		var fresh []entityRec
		if err := gob.NewDecoder(bytes.NewReader(frame)).Decode(&fresh); err != nil {
			return nil, fmt.Errorf("read entity log %s at byte %d: %w", logPath, off, err)
		}
		for _, r := range fresh {
			if i, ok := byID[r.ID]; ok {
				recs[i] = r
			} else {
				byID[r.ID] = len(recs)
				recs = append(recs, r)
			}
		}
		off += n
		good = off
	}
	if good < len(data) {
		if err := os.Truncate(logPath, int64(good)); err != nil {
			return nil, fmt.Errorf("cut the torn end of the entity log: %w", err)
		}
	}
	sortRecs(recs)
	return recs, nil
}

// Frames are a 4-byte length, a 4-byte CRC-32 (Castagnoli) of the
// payload, both big-endian, and the payload.
var frameTable = crc32.MakeTable(crc32.Castagnoli)

func nextFrame(b []byte) (payload []byte, n int, ok bool) {
	if len(b) < 8 {
		return nil, 0, false
	}
	size := int(binary.BigEndian.Uint32(b))
	if size > len(b)-8 {
		return nil, 0, false
	}
	payload = b[8 : 8+size]
	if crc32.Checksum(payload, frameTable) != binary.BigEndian.Uint32(b[4:]) {
		return nil, 0, false
	}
	return payload, 8 + size, true
}

// appendEntityLog appends the records to the log as one frame and syncs
// it. A failed write is cut off again.
func appendEntityLog(path string, recs []entityRec) error {
	var payload bytes.Buffer
	if err := gob.NewEncoder(&payload).Encode(recs); err != nil {
		return fmt.Errorf("write entity log: %w", err)
	}
	frame := make([]byte, 8, 8+payload.Len())
	binary.BigEndian.PutUint32(frame, uint32(payload.Len()))
	binary.BigEndian.PutUint32(frame[4:], crc32.Checksum(payload.Bytes(), frameTable))
	frame = append(frame, payload.Bytes()...)
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return fmt.Errorf("write entity log: %w", err)
	}
	fi, err := f.Stat()
	if err == nil {
		_, err = f.Write(frame)
		if err == nil {
			err = f.Sync()
		}
		if err != nil {
			f.Truncate(fi.Size())
		}
	}
	if e := f.Close(); err == nil {
		err = e
	}
	if err != nil {
		return fmt.Errorf("write entity log: %w", err)
	}
	return nil
}

// logOutgrown reports whether table number seq's log is large enough to
// be folded into a new base: past a quarter of the base, and 256 KB.
func logOutgrown(gd string, seq int) bool {
	basePath, logPath := entityFiles(gd, seq)
	li, err := os.Stat(logPath)
	if err != nil {
		return false
	}
	var base int64
	if bi, err := os.Stat(basePath); err == nil {
		base = bi.Size()
	}
	return li.Size() > max(base/4, 256<<10)
}

// removeOtherTables removes the entity files in gd of every table number
// but keep: what a fold left behind once the manifest named the new one,
// or a fold that a crash interrupted.
func removeOtherTables(gd string, keep int) {
	base, log := entityFiles(gd, keep)
	entries, err := os.ReadDir(gd)
	if err != nil {
		return
	}
	for _, e := range entries {
		name := e.Name()
		p := filepath.Join(gd, name)
		if !strings.HasPrefix(name, "entities") || e.IsDir() || p == base || p == log {
			continue
		}
		if strings.HasSuffix(name, ".gob") || strings.HasSuffix(name, ".log") {
			os.Remove(p)
		}
	}
}

// writeEntityTableFile writes a whole table as table number seq's base,
// with an empty log.
func writeEntityTableFile(gd string, seq int, recs []entityRec) error {
	base, log := entityFiles(gd, seq)
	if err := os.Remove(log); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("write entity table: %w", err)
	}
	return writeEntityTable(base, recs)
}

// sortRecs sorts records by ID, as tables keep them.
func sortRecs(recs []entityRec) {
	sort.Slice(recs, func(i, j int) bool { return recs[i].ID < recs[j].ID })
}
