package server_test

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/kgmem/kgmem/server"
)

// learned is a pair sent to a learn call.
type learned struct{ src, tgt string }

// learnLoad sends learns of new pairs to url from clients goroutines until
// stop is closed or the server stops answering; it returns the pairs that
// were acknowledged (200) and those whose call got no answer. Any other
// answer is an error of the test.
func learnLoad(t *testing.T, url string, clients int, stop <-chan struct{}, tag string) (acked, unanswered func() []learned, wait func()) {
	var mu sync.Mutex
	var ok, lost []learned
	var wg sync.WaitGroup
	client := &http.Client{Timeout: 2 * time.Minute}
	for c := range clients {
		wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				p := learned{fmt.Sprintf("Keep note %d of writer %d safe %s", i, c, tag), fmt.Sprintf("Guarde la nota %d del escritor %d %s", i, c, tag)}
				status, body, err := post(client, url+"/api/v1/learn", server.LearnRequest{SourceLang: "en", TargetLang: "es",
					Pairs: []server.Pair{{Source: p.src, Target: p.tgt}}})
				mu.Lock()
				switch {
				case err != nil:
					lost = append(lost, p)
					mu.Unlock()
					return // the server is gone
				case status == http.StatusOK:
					ok = append(ok, p)
				default:
					t.Errorf("learn %q: %d %s", p.src, status, body)
				}
				mu.Unlock()
			}
		})
	}
	get := func(s *[]learned) func() []learned {
		return func() []learned {
			mu.Lock()
			defer mu.Unlock()
			return append([]learned(nil), *s...)
		}
	}
	return get(&ok), get(&lost), wg.Wait
}

func newTag() string {
	b := make([]byte, 4)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// TestKillDuringLearns kills `kgmem serve` with SIGKILL while 8 clients
// learn through it: after a restart, every learn it acknowledged is in the
// memory exactly once (TM search at 100 %, and the graph's and the
// index's segment counts), and a learn it never answered is there at
// most once.
func TestKillDuringLearns(t *testing.T) {
	bin := kgmemBinary(t)
	data := buildDemoData(t, bin, demoCorpus(t))
	s := startServe(t, bin, data)
	client := &http.Client{Timeout: time.Minute}
	base, _ := stats(t, client, s.url)

	stop := make(chan struct{})
	acked, unanswered, wait := learnLoad(t, s.url, 8, stop, newTag())
	deadline := time.Now().Add(3 * time.Minute)
	for len(acked()) < 40 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	s.kill9()
	close(stop)
	wait()
	ok, lost := acked(), unanswered()
	if len(ok) < 40 {
		t.Fatalf("only %d learns acknowledged before the kill", len(ok))
	}
	t.Logf("%d learns acknowledged, %d unanswered when the server was killed", len(ok), len(lost))

	s = startServe(t, bin, data)
	kept := 0
	for _, p := range ok {
		switch n := exactMatches(t, client, s.url, p.src, p.tgt); n {
		case 1:
			kept++
		case 0:
			t.Errorf("acknowledged learn %q is lost", p.src)
		default:
			t.Errorf("acknowledged learn %q is in the memory %d times", p.src, n)
		}
	}
	for _, p := range lost {
		switch n := exactMatches(t, client, s.url, p.src, p.tgt); n {
		case 0:
		case 1:
			kept++ // written before the kill, not yet acknowledged
		default:
			t.Errorf("unanswered learn %q is in the memory %d times", p.src, n)
		}
	}
	g, idx := stats(t, client, s.url)
	if g != base+kept || idx != g {
		t.Errorf("after the restart the graph holds %d segments and the index %d; want %d before + %d learned", g, idx, base, kept)
	}
}
