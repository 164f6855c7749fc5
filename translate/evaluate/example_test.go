package evaluate_test

import (
	"fmt"

	"github.com/kgmem/kgmem/translate/evaluate"
)

func ExampleParseAblations() {
	configs, err := evaluate.ParseAblations("none,tm+kg")
	if err != nil {
		panic(err)
	}
	for _, c := range configs {
		fmt.Printf("%s: %s (no TM %v, no graph %v)\n", c.Name, c.Label(), c.NoTM, c.NoKG)
	}
	// Output:
	// none: full memory (no TM false, no graph false)
	// tm+kg: model alone (no TM true, no graph true)
}

func ExampleLine() {
	fmt.Println(evaluate.Line("Cha_nnel:\n%s"))
	// Output:
	// Cha_nnel:\n%s
}
