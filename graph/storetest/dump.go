package storetest

import (
	"bytes"
	"context"
	"reflect"
	"sort"
	"testing"
	"time"

	"github.com/kgmem/kgmem/graph"
	"github.com/kgmem/kgmem/graph/dump"
)

// RunDump checks that a store lists everything it holds (graph.Lister)
// and that a dump of it read into another store — of the same kind, or
// another — gives a store that answers every read the same way.
// openOther opens the store the dump is read into (open again if nil).
func RunDump(t *testing.T, open, openOther Opener) {
	if openOther == nil {
		openOther = open
	}
	ctx := context.Background()
	src, _ := open(t)
	defer src.Close()
	if _, ok := src.(graph.Lister); !ok {
		t.Fatalf("%T does not implement graph.Lister", src)
	}
	fillForDump(t, src)

	// Listing gives every entity and every fact, superseded ones too.
	var ents []string
	var facts int
	l := src.(graph.Lister)
	if err := l.EachEntity(ctx, func(e *graph.Entity) error { ents = append(ents, e.ID); return nil }); err != nil {
		t.Fatal(err)
	}
	if err := l.EachFact(ctx, func(f *graph.Fact) error { facts++; return nil }); err != nil {
		t.Fatal(err)
	}
	want := []string{fileID, folderID, fileNmID, productID}
	sort.Strings(want)
	if !reflect.DeepEqual(ents, want) {
		t.Errorf("EachEntity listed %v, want %v in ID order", ents, want)
	}
	st, err := src.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if facts != st.Facts {
		t.Errorf("EachFact listed %d facts, Stats counts %d", facts, st.Facts)
	}

	var buf bytes.Buffer
	wc, err := dump.Write(ctx, src, &buf)
	if err != nil {
		t.Fatalf("dump.Write: %v", err)
	}
	dst, _ := openOther(t)
	defer dst.Close()
	rc, err := dump.Read(ctx, &buf, dst)
	if err != nil {
		t.Fatalf("dump.Read: %v", err)
	}
	if rc != wc || wc.Facts != facts || wc.Entities != 4 || wc.Segments != 3 || wc.Sources != 3 {
		t.Errorf("dump wrote %+v, read %+v; want 4 entities, %d facts, 3 segments, 3 sources", wc, rc, facts)
	}
	if got, want := snapshot(t, dst), snapshot(t, src); !reflect.DeepEqual(got, want) {
		t.Errorf("restored store differs:\n got %+v\nwant %+v", got, want)
	}
	gotStates, err := dst.SourceStates(ctx)
	if err != nil {
		t.Fatal(err)
	}
	wantStates, err := src.SourceStates(ctx)
	if err != nil {
		t.Fatal(err)
	}
	norm := func(ss []graph.SourceState) {
		sort.Slice(ss, func(i, j int) bool { return ss[i].File < ss[j].File })
		for i := range ss {
			ss[i].Updated = ss[i].Updated.UTC().Truncate(time.Millisecond)
		}
	}
	norm(gotStates)
	norm(wantStates)
	if !reflect.DeepEqual(gotStates, wantStates) {
		t.Errorf("restored source states %+v, want %+v", gotStates, wantStates)
	}
	// The restored store keeps each file's contribution apart.
	if err := dst.DeleteSource(ctx, "b.tmx"); err != nil {
		t.Fatal(err)
	}
	if err := src.DeleteSource(ctx, "b.tmx"); err != nil {
		t.Fatal(err)
	}
	if got, want := snapshot(t, dst), snapshot(t, src); !reflect.DeepEqual(got, want) {
		t.Errorf("after DeleteSource(b.tmx), the restored store differs:\n got %+v\nwant %+v", got, want)
	}
}

// fillForDump writes two files, a learned translation that supersedes
// another, and the files' states.
func fillForDump(t *testing.T, s graph.Store) {
	ctx := context.Background()
	mustUpsert(t, s, fileBatch("a.tmx"))
	b := fileBatch("b.tmx")
	b.Segments = append(b.Segments, seg("Rename the file", "Cambie el nombre del archivo", "b.tmx", "u9"))
	mustUpsert(t, s, b)
	at := time.Now().UTC().Truncate(time.Millisecond)
	next := graph.NewLabel(fileID, "fichero", "es", graph.StatusPreferred, 1, "learned", 1, "approval-1")
	next.ValidFrom = at
	if err := s.Supersede(ctx, graph.FactID(fileID, graph.PredLabel, "", "archivo", "es"), next, "learned"); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"a.tmx", "b.tmx", "learned"} {
		if err := s.SetSourceState(ctx, graph.SourceState{File: f, Hash: "h-" + f, Units: 2, Complete: true, Updated: at}); err != nil {
			t.Fatal(err)
		}
	}
}
