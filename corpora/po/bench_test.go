package po

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"strconv"
	"testing"

	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora"
)

// benchUnits makes n units like those of a software catalog.
func benchUnits(n int) []*corpora.Unit {
	us := make([]*corpora.Unit, n)
	for i := range us {
		src := "Could not open the file “%s” in folder " + strconv.Itoa(i) + ": permission denied, so the operation was cancelled.\n"
		us[i] = &corpora.Unit{
			SourceLang: language.English, TargetLang: language.Spanish,
			Source: corpora.Text(src),
			Target: corpora.Text("No se pudo abrir el archivo «%s» de la carpeta " + strconv.Itoa(i) + ": permiso denegado, así que se canceló la operación.\n"),
			Status: corpora.StatusTranslated,
			Gettext: &corpora.Gettext{
				Flags:      []string{"c-format"},
				References: []string{"src/file.c:" + strconv.Itoa(i)},
			},
		}
	}
	return us
}

var benchSizes = []int{100, 10000}

func BenchmarkReadPO(b *testing.B) {
	for _, n := range benchSizes {
		data := writeAll(b, benchUnits(n), WriterOptions{TargetLang: language.Spanish, Revision: revision})
		b.Run(fmt.Sprintf("units=%d", n), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				r, err := NewReader(bytes.NewReader(data), corpora.ReadOptions{})
				if err != nil {
					b.Fatal(err)
				}
				for {
					if _, err := r.Next(); err == io.EOF {
						break
					} else if err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}

func BenchmarkWritePO(b *testing.B) {
	for _, n := range benchSizes {
		us := benchUnits(n)
		size := len(writeAll(b, us, WriterOptions{Revision: revision}))
		b.Run(fmt.Sprintf("units=%d", n), func(b *testing.B) {
			b.SetBytes(int64(size))
			for b.Loop() {
				w, _ := NewWriter(io.Discard, WriterOptions{Revision: revision})
				for _, u := range us {
					if err := w.Write(u); err != nil {
						b.Fatal(err)
					}
				}
				if err := w.Close(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkReadMO(b *testing.B) {
	for _, n := range benchSizes {
		entries := []moEntry{moHeader}
		for _, u := range benchUnits(n) {
			entries = append(entries, moEntry{u.Source.Plain(), u.Target.Plain()})
		}
		data := buildMO(binary.LittleEndian, entries)
		b.Run(fmt.Sprintf("units=%d", n), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				r, err := NewMOReader(bytes.NewReader(data), int64(len(data)), corpora.ReadOptions{})
				if err != nil {
					b.Fatal(err)
				}
				for {
					if _, err := r.Next(); err == io.EOF {
						break
					} else if err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}
