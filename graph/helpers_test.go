package graph

import (
	"sync"
	"testing"
)

// TestFoldConcurrent folds from many goroutines at once (run with -race).
func TestFoldConcurrent(t *testing.T) {
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 200; j++ {
				if got := Fold("Straße ÉCOLE"); got != "strasse école" {
					t.Errorf("Fold = %q", got)
					return
				}
			}
		}()
	}
	wg.Wait()
}
