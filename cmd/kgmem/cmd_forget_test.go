package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/kgmem/kgmem/memory"
	"github.com/kgmem/kgmem/translate"
)

func forgetJSON(t *testing.T, dir string, args ...string) memory.ForgetSummary {
	t.Helper()
	code, out, stderr := kgmemAt(t, dir, "", append([]string{"forget", "--json"}, args...)...)
	if code != exitOK {
		t.Fatalf("forget %v: exit %d: %s", args, code, stderr)
	}
	var sum memory.ForgetSummary
	if err := json.Unmarshal([]byte(out), &sum); err != nil {
		t.Fatalf("forget --json: %v\n%s", err, out)
	}
	return sum
}

// TestForgetBatch learns a wrong preferred translation of a glossary term
// and a wrong pair, forgets the batch, and undoes the forget: the memory
// is as before the learn, then as after it, and the forget is listed.
func TestForgetBatch(t *testing.T) {
	bin, _ := pluginBins(t)
	dir := demoGraph(t)
	term := func() string {
		r := translateJSON(t, bin, dir, "-m", "memory", "--from", "en", "--to", "es", "Rename the notebook quickly now")[0]
		return termTarget(r, "notebook")
	}
	exact := func(src string) translate.Result {
		return translateJSON(t, bin, dir, "-m", "memory", "--from", "en", "--to", "es", src)[0]
	}
	const wrongSrc, wrongTgt = "Your quarterly report is in the archive notebook.", "Su informe es quieto en el archive."
	before := term()
	if before == "" || before == "bloc" {
		t.Fatalf("before learning, notebook is translated %q", before)
	}
	sums := learnJSON(t, dir, "--from", "en", "--to", "es", "--source", "notebook", "--target", "bloc")
	batch := sums[0].Source
	learnJSON(t, dir, "--from", "en", "--to", "es", "--source", wrongSrc, "--target", wrongTgt)
	if got := term(); got != "bloc" {
		t.Fatalf("after learn: notebook → %q, want bloc", got)
	}

	sum := forgetJSON(t, dir, "--batch", batch)
	if sum.Segments != 1 || sum.Reopened != 1 || !strings.HasPrefix(sum.ID, "forget:") {
		t.Errorf("forget --batch %s = %+v, want 1 segment forgotten, 1 translation current again", batch, sum)
	}
	if got := term(); got != before {
		t.Errorf("after forget: notebook → %q, want %q again", got, before)
	}

	pair := forgetJSON(t, dir, "--source", wrongSrc, "--from", "en")
	if r := exact(wrongSrc); r.Status == translate.StatusExact || strings.Contains(r.Translation, "quieto") {
		t.Errorf("after forgetting the pair, %q = %q (%s)", wrongSrc, r.Translation, r.Status)
	}

	code, out, _ := kgmemAt(t, dir, "", "forget", "--list")
	if code != exitOK || !strings.Contains(out, sum.ID) || !strings.Contains(out, pair.ID) {
		t.Errorf("forget --list: exit %d\n%s", code, out)
	}

	forgetJSON(t, dir, "--undo", sum.ID)
	if got := term(); got != "bloc" {
		t.Errorf("after undo: notebook → %q, want bloc again", got)
	}
	forgetJSON(t, dir, "--undo", pair.ID)
	if r := exact(wrongSrc); r.Status != translate.StatusExact || r.Translation != wrongTgt {
		t.Errorf("after undo: %q = %q (%s), want the learned pair back", wrongSrc, r.Translation, r.Status)
	}
	if code, _, stderr := kgmemAt(t, dir, "", "forget", "--undo", sum.ID); code == exitOK || !strings.Contains(stderr, "undone already") {
		t.Errorf("a second undo: exit %d, %s", code, stderr)
	}
	if code, _, stderr := kgmemAt(t, dir, "", "forget", "--source", "A sentence nobody ever learned"); code == exitOK || !strings.Contains(stderr, "nothing in the memory matches") {
		t.Errorf("forgetting what is not there: exit %d, %s", code, stderr)
	}
	if code, _, _ := kgmemAt(t, dir, "", "forget", "--batch", batch, "--origin", "cli"); code != exitUsage {
		t.Errorf("forget --batch --origin: exit %d, want usage", code)
	}
}
