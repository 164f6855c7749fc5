package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/kgmem/kgmem/internal/testenv"
	"github.com/kgmem/kgmem/server"
)

// sentences are for Apertium to translate: none is in the demo memory.
var sentences = []string{
	"The weather is nice today.", "My brother lives in a small village.", "We will meet at the station at noon.",
	"The children are playing in the garden.", "She reads a book every week.", "Please close the window before you leave.",
	"The train was late again this morning.", "I bought fresh bread at the market.", "They are painting the old house.",
	"He forgot his umbrella at the office.", "The river flows through the city.", "Our teacher explains the lesson slowly.",
}

// TestModelKilledMidLoad kills the model process while 8 clients
// translate through it: the requests on it fail with 503 and the code
// model_unavailable, naming the model and the crash, no request fails
// any other way, and the requests after it succeed on a restarted model.
func TestModelKilledMidLoad(t *testing.T) {
	testenv.Tool(t, "apertium", "apt-get install apertium apertium-eng-spa")
	f := newFixture(t)
	ctx := context.Background()
	client := &http.Client{Timeout: 2 * time.Minute}
	translate := func(i int) (int, []byte, error) {
		return post(client, f.http.URL+"/api/v1/translate", server.TranslateRequest{Model: "apertium", SourceLang: "en", TargetLang: "es",
			Segments: []server.Segment{{Text: sentences[i%len(sentences)]}}})
	}
	if status, body, err := translate(0); err != nil || status != http.StatusOK {
		t.Fatalf("translate before the kill: %d %v %s", status, err, body)
	}
	model, err := f.mem.Models().Model(ctx, "apertium")
	if err != nil {
		t.Fatal(err)
	}

	var (
		stop                atomic.Bool
		ok, unavailable     atomic.Int64
		mu                  sync.Mutex
		unavailableMessages []string
		wg                  sync.WaitGroup
	)
	for c := range 8 {
		wg.Go(func() {
			for i := c; !stop.Load(); i += 8 {
				status, body, err := translate(i)
				switch {
				case err != nil:
					t.Errorf("translate: no answer: %v", err)
					return
				case status == http.StatusOK:
					ok.Add(1)
				case status == http.StatusServiceUnavailable && errorCode(t, body) == server.CodeUnavailable:
					unavailable.Add(1)
					var e struct{ Error server.Error }
					json.Unmarshal(body, &e)
					mu.Lock()
					unavailableMessages = append(unavailableMessages, e.Error.Message)
					mu.Unlock()
				default:
					t.Errorf("translate while the model is killed: %d %s", status, body)
				}
			}
		})
	}
	// Kill the model; the host restarts it once for the calls that were
	// on it, so kill the new process as soon as it is there: the calls
	// retried on it fail.
	waitFor(t, func() bool { return ok.Load() >= 20 }, "20 translations before the kill")
	for attempt := 0; attempt < 5 && unavailable.Load() == 0; attempt++ {
		first := model.PID()
		if first == 0 {
			waitFor(t, func() bool { return model.PID() != 0 }, "a running model")
			first = model.PID()
		}
		if err := syscall.Kill(first, syscall.SIGKILL); err != nil {
			t.Fatalf("kill the model (pid %d): %v", first, err)
		}
		waitFor(t, func() bool { p := model.PID(); return p != 0 && p != first }, "the restarted model")
		syscall.Kill(model.PID(), syscall.SIGKILL)
		time.Sleep(500 * time.Millisecond)
	}
	before := ok.Load()
	waitFor(t, func() bool { return ok.Load() >= before+20 }, "20 translations after the kills")
	stop.Store(true)
	wg.Wait()
	t.Logf("%d translations, %d answered 503 model_unavailable: %q", ok.Load(), unavailable.Load(), unavailableMessages)
	if unavailable.Load() == 0 {
		t.Fatal("no request failed while its model was killed")
	}
	for _, m := range unavailableMessages {
		if !strings.Contains(m, `model "apertium"`) || !strings.Contains(m, "crashed") {
			t.Errorf("503 message %q does not name the model and the crash", m)
		}
	}
	for i := range 10 {
		if status, body, err := translate(i); err != nil || status != http.StatusOK {
			t.Errorf("translate after the model was restarted: %d %v %s", status, err, body)
		}
	}
}

// waitFor polls cond until it holds, failing the test after a minute.
func waitFor(t *testing.T, cond func() bool, what string) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal(fmt.Sprintf("waited a minute for %s", what))
		}
		time.Sleep(2 * time.Millisecond)
	}
}
