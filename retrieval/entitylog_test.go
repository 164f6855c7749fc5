package retrieval

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kgmem/kgmem/graph"
)

func rec(id, label string) entityRec {
	e := graph.Entity{ID: id, Type: graph.TypeTerm, Key: "en:" + id,
		Labels: []graph.Label{{Text: label, Lang: "en", Status: graph.StatusPreferred, Count: 1, Weight: 1}}}
	return newEntityRec(&e)
}

// TestEntityLog: a table is its base with its log's frames applied in
// order; a frame cut short by a crash is cut off, and the next append
// follows the last whole frame.
func TestEntityLog(t *testing.T) {
	gd := t.TempDir()
	if err := writeEntityTableFile(gd, 3, []entityRec{rec("a", "apple"), rec("c", "cherry")}); err != nil {
		t.Fatal(err)
	}
	_, logPath := entityFiles(gd, 3)
	if err := appendEntityLog(logPath, []entityRec{rec("b", "banana"), rec("a", "apricot")}); err != nil {
		t.Fatal(err)
	}
	if err := appendEntityLog(logPath, []entityRec{rec("a", "avocado")}); err != nil {
		t.Fatal(err)
	}
	want := []entityRec{rec("a", "avocado"), rec("b", "banana"), rec("c", "cherry")}
	got, err := readEntityTables(gd, 3)
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("readEntityTables = %v, %v; want %v", got, err, want)
	}
	// A torn last frame: the file ends halfway through it.
	fi, _ := os.Stat(logPath)
	whole := fi.Size()
	if err := appendEntityLog(logPath, []entityRec{rec("d", "date")}); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(logPath, whole+5); err != nil {
		t.Fatal(err)
	}
	if got, err := readEntityTables(gd, 3); err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("with a torn frame: readEntityTables = %v, %v; want %v", got, err, want)
	}
	if fi, _ := os.Stat(logPath); fi.Size() != whole {
		t.Errorf("the torn frame was not cut off: the log has %d bytes, want %d", fi.Size(), whole)
	}
	if err := appendEntityLog(logPath, []entityRec{rec("e", "elderberry")}); err != nil {
		t.Fatal(err)
	}
	if got, _ := readEntityTables(gd, 3); len(got) != 4 || got[3].ID != "e" {
		t.Errorf("after the torn frame was cut, an append reads back as %v", got)
	}
	// Another table's files are removed; the kept one's stay.
	writeEntityTableFile(gd, 4, want)
	removeOtherTables(gd, 4)
	base3, log3 := entityFiles(gd, 3)
	base4, _ := entityFiles(gd, 4)
	for _, p := range []string{base3, log3} {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("%s was not removed", filepath.Base(p))
		}
	}
	if _, err := os.Stat(base4); err != nil {
		t.Errorf("the kept table: %v", err)
	}
	// Number 0 is the name indexes had before the log.
	if base0, _ := entityFiles(gd, 0); filepath.Base(base0) != entityTableFile {
		t.Errorf("table 0 is %s, want %s", base0, entityTableFile)
	}
}

// TestEntityLogFolds: learning appends to the entity log; once the log
// outgrows its base it is folded into a new one, and an index reopened
// from disk at any point holds what an index built anew does.
func TestEntityLogFolds(t *testing.T) {
	ctx := context.Background()
	st, x, eFile := fileMemory(t)
	dir := x.dir
	learn := func(i int) {
		t.Helper()
		file := "learn:" + strconv.Itoa(i)
		s := mention(seg(file, "Save file "+strconv.Itoa(i), "Guardar el fichero "+strconv.Itoa(i)), eFile.ID, 5, 9)
		_, facts := termEntity(file, "file", "fichero "+strconv.Itoa(i))
		writeFile(ctx, t, st, file, []graph.Segment{s}, nil, facts[1:])
		if sum, err := x.CatchUpSegments(ctx, st, []string{s.ID}); err != nil || sum.Entities != 1 {
			t.Fatalf("learn %d: CatchUpSegments = %+v, %v; want the entity updated", i, sum, err)
		}
	}
	reopened := func() snapshot {
		t.Helper()
		if err := x.Close(); err != nil {
			t.Fatal(err)
		}
		var err error
		if x, err = Open(ctx, dir, Options{}); err != nil {
			t.Fatal(err)
		}
		return takeSnapshot(t, x)
	}
	fresh := func() snapshot {
		t.Helper()
		f, err := Open(ctx, filepath.Join(t.TempDir(), "index"), Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if _, err := f.CatchUp(ctx, st); err != nil {
			t.Fatal(err)
		}
		return takeSnapshot(t, f)
	}
	learn(1)
	if x.man.EntityTable != 0 {
		t.Fatalf("one learn folded the log (table %d)", x.man.EntityTable)
	}
	if got, want := reopened(), fresh(); !reflect.DeepEqual(got.Entities, want.Entities) || !reflect.DeepEqual(got.Sources, want.Sources) {
		t.Fatalf("reopened after a learn: entities %+v, want %+v", got.Entities, want.Entities)
	}
	// Grow the log past its fold point with frames of what the table
	// holds already, then learn once more.
	gd := x.genDir(x.man.Generation)
	_, logPath := entityFiles(gd, 0)
	for !logOutgrown(gd, 0) {
		if err := appendEntityLog(logPath, x.table.recs); err != nil {
			t.Fatal(err)
		}
	}
	learn(2)
	if x.man.EntityTable != 1 {
		t.Fatalf("the log was not folded: table %d", x.man.EntityTable)
	}
	if _, err := os.Stat(logPath); err != nil {
		t.Errorf("the old table's log was removed before a manifest named the new one: %v", err)
	}
	got, want := reopened(), fresh()
	if !reflect.DeepEqual(got.Entities, want.Entities) || !reflect.DeepEqual(got.Sources, want.Sources) {
		t.Fatalf("reopened after a fold: entities %+v, want %+v", got.Entities, want.Entities)
	}
	if _, err := os.Stat(logPath); err == nil {
		t.Error("the old table's log is still there after the index was reopened")
	}
	learn(3)
	x.Close()
}

// slowStore is a store whose segment reads wait until released: a write
// of the index that reads segments is held halfway.
type slowStore struct {
	graph.Store
	reading chan struct{} // a segment read started
	release chan struct{}
	once    sync.Once
}

func (s *slowStore) Segment(ctx context.Context, id string) (graph.Segment, error) {
	s.once.Do(func() { close(s.reading) })
	<-s.release
	return s.Store.Segment(ctx, id)
}

// TestLookupsDuringWrite: lookups, entity searches and spotting are
// answered while a catch-up is halfway through its work.
func TestLookupsDuringWrite(t *testing.T) {
	ctx := context.Background()
	st, x, eFile := fileMemory(t)
	s := mention(seg("learn:1", "Save the file now", "Guardar el fichero ahora"), eFile.ID, 9, 13)
	writeFile(ctx, t, st, "learn:1", []graph.Segment{s}, nil, nil)
	slow := &slowStore{Store: st, reading: make(chan struct{}), release: make(chan struct{})}
	done := make(chan error, 1)
	go func() {
		_, err := x.CatchUpSegments(ctx, slow, []string{s.ID})
		done <- err
	}()
	<-slow.reading
	answered := make(chan error, 1)
	go func() {
		ms, err := x.Lookup(ctx, Query{Text: "Open the file", SourceLang: "en", TargetLang: "es"})
		if err == nil && (len(ms) == 0 || ms[0].Score != 100) {
			t.Errorf("Lookup during a write = %+v", ms)
		}
		if err == nil {
			_, err = x.Names(ctx, "file", "en", 5)
		}
		if err == nil && len(x.Spotter("en").Spot("Open the file")) != 1 {
			t.Error("Spotter during a write finds nothing in \"Open the file\"")
		}
		_ = x.Stats()
		answered <- err
	}()
	select {
	case err := <-answered:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(30 * time.Second):
		close(slow.release)
		t.Fatal("lookups waited for a write of the index")
	}
	close(slow.release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if ms, err := x.Lookup(ctx, Query{Text: "Save the file now", SourceLang: "en", TargetLang: "es"}); err != nil || len(ms) == 0 || ms[0].Score != 100 {
		t.Errorf("Lookup after the write = %+v, %v", ms, err)
	}
}

func TestMergeRecs(t *testing.T) {
	recs := func(ids ...string) []entityRec {
		out := make([]entityRec, len(ids))
		for i, id := range ids {
			out[i] = entityRec{ID: id}
		}
		return out
	}
	old := recs("b", "d", "f")
	fresh := recs("a", "d", "e", "g")
	fresh[1].Key = "new d"
	got := mergeRecs(old, fresh)
	var ids []string
	for _, r := range got {
		ids = append(ids, r.ID)
	}
	if strings.Join(ids, "") != "abdefg" || got[2].Key != "new d" {
		t.Errorf("mergeRecs = %v (d: %q), want a b d e f g with the fresh d", ids, got[2].Key)
	}
	if got := mergeRecs(old, nil); len(got) != 3 {
		t.Errorf("mergeRecs(old, nil) = %v", got)
	}
}
