package server_test

import (
	"context"
	"errors"
	"testing"

	"github.com/kgmem/kgmem/memory"
	"github.com/kgmem/kgmem/plugins/host"
	"github.com/kgmem/kgmem/server"
)

// TestOpenTranslator checks which translator a front end gets, and that
// a model that does not exist is told at once.
func TestOpenTranslator(t *testing.T) {
	ctx := context.Background()
	dir := emptyDataDir(t)
	tests := []struct {
		name  string
		o     memory.TranslateOptions
		learn bool
		want  string // the type of the translator
	}{
		{"the model alone", memory.TranslateOptions{Model: "memory", SourceLang: "en", TargetLang: "es", NoTM: true, NoKG: true}, false, "*memory.Models"},
		{"with the memory", memory.TranslateOptions{Model: "memory", SourceLang: "en", TargetLang: "es"}, false, "*memory.Memory"},
		{"learning", memory.TranslateOptions{Model: "memory", SourceLang: "en", TargetLang: "es", NoTM: true, NoKG: true}, true, "*memory.Memory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr, err := server.OpenTranslator(ctx, memory.Options{DataDir: dir}, tt.o, tt.learn, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer tr.Close()
			var got string
			switch tr.(type) {
			case *memory.Models:
				got = "*memory.Models"
			case *memory.Memory:
				got = "*memory.Memory"
			default:
				got = "other"
			}
			if got != tt.want {
				t.Errorf("OpenTranslator(%+v, learn %v) = %T, want %s", tt.o, tt.learn, tr, tt.want)
			}
		})
	}
	for _, o := range []memory.TranslateOptions{
		{Model: "nosuch", SourceLang: "en", TargetLang: "es", NoTM: true, NoKG: true},
		{Model: "nosuch", SourceLang: "en", TargetLang: "es"},
	} {
		if tr, err := server.OpenTranslator(ctx, memory.Options{DataDir: dir}, o, false, nil); !errors.Is(err, host.ErrNotFound) {
			if tr != nil {
				tr.Close()
			}
			t.Errorf("OpenTranslator(%+v) = %v, want %v", o, err, host.ErrNotFound)
		}
	}
	// The memory of the refused model was closed: it opens again.
	mem, err := server.OpenMemory(ctx, memory.Options{DataDir: dir, NoCatchUp: true})
	if err != nil {
		t.Fatalf("open the memory after a refused model: %v", err)
	}
	mem.Close()
}
