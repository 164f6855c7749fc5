// Command qabench builds the planted-error test set of kgmem's QA checks
// from the shared development sets, and scores kgmem qa and
// translate-toolkit's pofilter on it. scripts/bench-qa.sh runs it:
//
//	qabench select -data DIR -out SET     # candidates and untouched pairs → SET/baseline/*.po
//	  (run kgmem qa and pofilter on SET/baseline)
//	qabench plant -out SET                # plant one error in each clean candidate → SET/planted/*.po, SET/truth.json
//	  (run kgmem qa and pofilter on SET/planted)
//	qabench score -out SET -labels FILE   # recall and precision per check → Markdown on stdout, SET/score.json
//
// The set is derived from GPL/LGPL data and stays out of the repository;
// the labels file holds only hashes of pairs and the verdicts.
package main

import (
	"flag"
	"fmt"
	"os"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: qabench select|plant|score [flags]")
		os.Exit(2)
	}
	var err error
	fs := flag.NewFlagSet(os.Args[1], flag.ExitOnError)
	out := fs.String("out", "", "the set's directory")
	switch os.Args[1] {
	case "select":
		data := fs.String("data", "", "the shared gettext data directory")
		per := fs.Int("per", 30, "planted errors per kind")
		untouched := fs.Int("untouched", 400, "pairs left as they are")
		seed := fs.Uint64("seed", 1, "seed of the shuffle and of the plants")
		fs.Parse(os.Args[2:])
		err = selectSet(*data, *out, *per, *untouched, *seed)
	case "plant":
		fs.Parse(os.Args[2:])
		err = plantSet(*out)
	case "score":
		labels := fs.String("labels", "", "verdicts on the findings the untouched pairs already had")
		fs.Parse(os.Args[2:])
		err = scoreSet(*out, *labels)
	default:
		err = fmt.Errorf("unknown subcommand %q: use select, plant or score", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "qabench:", err)
		os.Exit(1)
	}
}
