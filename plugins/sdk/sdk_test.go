package sdk

import (
	"testing"
	"time"
)

// The parent's death itself is tested through real processes in
// plugins/host (TestNoOrphans) and plugins/python; here, that the watch
// stays quiet while the parent lives and stops when told.
func TestWatchParentQuietWhileParentLives(t *testing.T) {
	stop := make(chan struct{})
	done := make(chan struct{})
	called := false
	go func() {
		watchParent(stop, time.Millisecond, func() { called = true })
		close(done)
	}()
	time.Sleep(20 * time.Millisecond)
	close(stop)
	select {
	case <-done:
	case <-time.After(time.Second):
		t.Fatal("watchParent did not return when stopped")
	}
	if called {
		t.Error("watchParent called gone while the parent lives")
	}
}
