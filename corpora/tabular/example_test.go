package tabular_test

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/kgmem/kgmem/corpora"
	"github.com/kgmem/kgmem/corpora/tabular"
)

func ExampleNewReader() {
	table := "domain\tsource\ttarget\n" +
		"gtk30\t_Open\t_Abrir\n" +
		"bash\tusage:\\t%s\\n\tuso:\\t%s\\n\n"
	r, err := tabular.NewReader(strings.NewReader(table), corpora.ReadOptions{Name: "ui.tsv"})
	if err != nil {
		fmt.Println(err)
		return
	}
	for {
		u, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%s:%d %s %q → %q\n", u.Origin.File, u.Origin.Line, u.Domain, u.Source, u.Target)
	}
	// Output:
	// ui.tsv:2 gtk30 "_Open" → "_Abrir"
	// ui.tsv:3 bash "usage:\t%s\n" → "uso:\t%s\n"
}

func ExampleNewReader_languages() {
	// A header of language codes gives the units their languages.
	r, _ := tabular.NewReader(strings.NewReader("en,es-419\ncontagious,contagioso\n"), corpora.ReadOptions{})
	u, _ := r.Next()
	fmt.Println(u.SourceLang, u.Source, "→", u.TargetLang, u.Target)
	// Output: en contagious → es-419 contagioso
}

func ExampleNewReader_error() {
	_, err := readAll(strings.NewReader("source\ttarget\nGo.\tVe.\nbroken row\n"))
	fmt.Println(err)
	// Output: corpus.tsv:3: row has 1 cell but the header names 2 columns
}

func readAll(in io.Reader) ([]*corpora.Unit, error) {
	r, err := tabular.NewReader(in, corpora.ReadOptions{Name: "corpus.tsv"})
	if err != nil {
		return nil, err
	}
	var us []*corpora.Unit
	for {
		u, err := r.Next()
		if err == io.EOF {
			return us, nil
		}
		if err != nil {
			return us, err
		}
		us = append(us, u)
	}
}

func ExampleNewWriter() {
	w, _ := tabular.NewWriter(os.Stdout, tabular.WriterOptions{})
	w.Write(&corpora.Unit{Source: corpora.Text("Line one\nLine two"), Target: corpora.Text("Línea uno\nLínea dos"), Domain: "demo"})
	w.Close()
	// Output:
	// source	target	domain
	// Line one\nLine two	Línea uno\nLínea dos	demo
}

func ExampleNewMosesReader() {
	src := strings.NewReader("Hello.\nThank you.\n")
	tgt := strings.NewReader("Hola.\n")
	r, _ := tabular.NewMosesReader(src, tgt, corpora.ReadOptions{}, "train.en", "train.es")
	for {
		u, err := r.Next()
		if err != nil {
			fmt.Println(err)
			break
		}
		fmt.Println(u.Source, "→", u.Target)
	}
	// Output:
	// Hello. → Hola.
	// train.es:2: train.es ends after 1 line but train.en goes on: the files are not line-aligned
}

func ExampleSniff() {
	fmt.Println(tabular.Sniff([]byte("Go.\tVe.\nHi.\tHola.\n")))
	fmt.Println(tabular.Sniff([]byte("<?xml version=\"1.0\"?><tmx/>")))
	// Output:
	// true
	// false
}
