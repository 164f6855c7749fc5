package demo_test

import (
	"fmt"
	"io/fs"
	"strings"

	"github.com/kgmem/kgmem/corpora/demo"
)

func ExampleNames() {
	for _, name := range demo.Names() {
		fmt.Println(name)
	}
	// Output:
	// README.md
	// glossary.tbx
	// lumen.tmx
	// sample.po
	// sample.txt
}

func ExampleFiles() {
	sample, err := fs.ReadFile(demo.Files, demo.Sample)
	if err != nil {
		fmt.Println(err)
		return
	}
	title, _, _ := strings.Cut(string(sample), "\n")
	fmt.Println(title)
	// Output:
	// Getting more out of Lumen Notes
}
