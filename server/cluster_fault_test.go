package server_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/kgmem/kgmem/internal/testenv"
	"github.com/kgmem/kgmem/server"
)

// TestTwoServersOnDgraph runs two `kgmem serve` processes, each with its
// own data directory, on one Dgraph graph (scripts/test.sh runs it on a
// two-group cluster too): a pair learned through one is found by the
// other's TM search within 2 seconds, and either can be killed with
// SIGKILL, even while it learns, without losing a learn it acknowledged.
func TestTwoServersOnDgraph(t *testing.T) {
	addr := testenv.Env(t, "KGMEM_DGRAPH_ADDR", "start one with scripts/dgraph-local.sh start, or a cluster with scripts/dgraph-cluster.sh start")
	bin := kgmemBinary(t)
	corpus := demoCorpus(t)
	uri := "dgraph://" + addr
	dataA := buildDemoData(t, bin, corpus, "--graph", uri)
	dataB := buildDemoData(t, bin, corpus, "--graph", uri)
	a, b := startServe(t, bin, dataA), startServe(t, bin, dataB)
	client := &http.Client{Timeout: time.Minute}
	tag := newTag()

	learn := func(s *served, p learned) {
		t.Helper()
		status, body, err := post(client, s.url+"/api/v1/learn", server.LearnRequest{SourceLang: "en", TargetLang: "es",
			Pairs: []server.Pair{{Source: p.src, Target: p.tgt}}})
		if err != nil || status != http.StatusOK {
			t.Fatalf("learn %q: %d %v %s", p.src, status, err, body)
		}
	}
	// foundWithin polls s until it finds p, and returns how long it took
	// (failing after a minute).
	foundWithin := func(s *served, p learned) time.Duration {
		t.Helper()
		start := time.Now()
		for exactMatches(t, client, s.url, p.src, p.tgt) == 0 {
			if time.Since(start) > time.Minute {
				t.Fatalf("%q not found through %s in a minute", p.src, s.url)
			}
			time.Sleep(20 * time.Millisecond)
		}
		return time.Since(start)
	}
	once := func(s *served, p learned) {
		t.Helper()
		if n := exactMatches(t, client, s.url, p.src, p.tgt); n != 1 {
			t.Errorf("%q found %d times through %s, want once", p.src, n, s.url)
		}
	}

	// Learned through A, found through B.
	p1 := learned{"Share the team notebook " + tag, "Comparta el cuaderno del equipo " + tag}
	learn(a, p1)
	if d := foundWithin(b, p1); d > 2*time.Second {
		t.Errorf("a pair learned through A was found through B after %s, want within 2 s", d.Round(time.Millisecond))
	} else {
		t.Logf("learned through A, found through B after %s", d.Round(time.Millisecond))
	}
	once(b, p1)

	// A is killed while four clients learn through it: B finds every
	// learn A acknowledged.
	stop := make(chan struct{})
	acked, unanswered, wait := learnLoad(t, a.url, 4, stop, tag)
	waitFor(t, func() bool { return len(acked()) >= 12 }, "12 learns acknowledged by A")
	a.kill9()
	close(stop)
	wait()
	for _, p := range acked() {
		foundWithin(b, p)
		once(b, p)
	}

	// Learned through B while A is down; B is killed right after.
	p2 := learned{"Sync the team notebook " + tag, "Sincronice el cuaderno del equipo " + tag}
	learn(b, p2)
	b.kill9()

	// Both back: each finds everything acknowledged, once.
	a, b = startServe(t, bin, dataA), startServe(t, bin, dataB)
	for _, s := range []*served{a, b} {
		for _, p := range append([]learned{p1, p2}, acked()...) {
			foundWithin(s, p)
			once(s, p)
		}
		for _, p := range unanswered() {
			if n := exactMatches(t, client, s.url, p.src, p.tgt); n > 1 {
				t.Errorf("unanswered learn %q found %d times through %s", p.src, n, s.url)
			}
		}
	}
	// Both indexes hold what the graph holds (other tests may write to
	// the same graph meanwhile, and a learn A never finished is indexed
	// by B once it has stayed unfinished for a while: poll).
	for start := time.Now(); ; time.Sleep(100 * time.Millisecond) {
		ga, ia := stats(t, client, a.url)
		gb, ib := stats(t, client, b.url)
		if ia == ga && ib == gb && ga == gb {
			break
		}
		if time.Since(start) > time.Minute {
			t.Fatalf("a minute after the restarts A has %d segments in the graph and %d in its index, B %d and %d; want one count", ga, ia, gb, ib)
		}
	}
}
