package server_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/kgmem/kgmem/corpora/demo"
	"github.com/kgmem/kgmem/internal/testenv"
	"github.com/kgmem/kgmem/server"
)

// The fault tests run kgmem as users run it: a `kgmem serve` process of
// the binary built from this tree, killed and restarted.

var (
	binOnce sync.Once
	binPath string
	binErr  error
)

// kgmemBinary builds cmd/kgmem once per test run.
func kgmemBinary(t *testing.T) string {
	t.Helper()
	goTool := testenv.Tool(t, "go", "install Go")
	binOnce.Do(func() {
		dir, err := os.MkdirTemp("", "kgmem-server-test-")
		if err != nil {
			binErr = err
			return
		}
		binPath = filepath.Join(dir, "kgmem")
		cmd := exec.Command(goTool, "build", "-o", binPath, "./cmd/kgmem")
		cmd.Dir = testenv.RepoRoot(t)
		if out, err := cmd.CombinedOutput(); err != nil {
			binErr = fmt.Errorf("go build ./cmd/kgmem: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

// demoCorpus copies the demo corpus into a directory of the test's own
// (so that memories on a shared Dgraph do not share its sources) and
// returns the directory.
func demoCorpus(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "corpus")
	if err := os.CopyFS(dir, demo.Files); err != nil {
		t.Fatal(err)
	}
	return dir
}

// buildDemoData builds the demo corpus into a new data directory with
// kgmem build-graph, with more flags (such as --graph) before the files.
func buildDemoData(t *testing.T, bin, corpus string, flags ...string) string {
	t.Helper()
	data := filepath.Join(t.TempDir(), "data")
	args := append([]string{"--quiet", "--data-dir", data, "build-graph", "--from", "en", "--to", "es"}, flags...)
	args = append(args, "--terms", filepath.Join(corpus, demo.Glossary), filepath.Join(corpus, demo.TMX))
	if out, err := exec.Command(bin, args...).CombinedOutput(); err != nil {
		t.Fatalf("kgmem build-graph: %v\n%s", err, out)
	}
	return data
}

// served is a running `kgmem serve`.
type served struct {
	t      *testing.T
	cmd    *exec.Cmd
	url    string
	stderr *syncBuffer
	done   chan struct{}
	err    error // the process's exit, once done is closed
}

// syncBuffer is a bytes.Buffer safe for a process to write while the
// test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startServe starts `kgmem serve` on the data directory on a free
// loopback port and waits until it serves.
func startServe(t *testing.T, bin, data string, flags ...string) *served {
	t.Helper()
	args := append([]string{"--data-dir", data, "--log-level", "warn", "serve", "--listen", "127.0.0.1:0"}, flags...)
	cmd := exec.Command(bin, args...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	s := &served{t: t, cmd: cmd, stderr: &syncBuffer{}, done: make(chan struct{})}
	cmd.Stderr = s.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		s.err = cmd.Wait()
		close(s.done)
	}()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-s.done
	})
	// "kgmem serving DIR at http://127.0.0.1:PORT/ (…)"
	line := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		if sc.Scan() {
			line <- sc.Text()
		}
		close(line)
		io.Copy(io.Discard, stdout)
	}()
	select {
	case l, ok := <-line:
		_, rest, found := strings.Cut(l, " at ")
		u, _, _ := strings.Cut(rest, " ")
		if !ok || !found {
			<-s.done
			t.Fatalf("kgmem serve did not start (%v): %s", s.err, s.stderr.String())
		}
		s.url = strings.TrimRight(u, "/")
	case <-time.After(2 * time.Minute):
		t.Fatalf("kgmem serve did not start in 2 minutes: %s", s.stderr.String())
	}
	return s
}

// kill9 kills the server with SIGKILL and waits for it to be gone.
func (s *served) kill9() {
	s.cmd.Process.Signal(syscall.SIGKILL)
	<-s.done
}

// post sends a JSON request to the server and returns the status and
// body; status 0 when the request did not get an answer.
func post(client *http.Client, url string, body any) (int, []byte, error) {
	data, err := json.Marshal(body)
	if err != nil {
		return 0, nil, err
	}
	resp, err := client.Post(url, "application/json", bytes.NewReader(data))
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, nil, err
	}
	return resp.StatusCode, b, nil
}

// exactMatches returns how many times the server's TM search finds the
// pair at 100 %.
func exactMatches(t *testing.T, client *http.Client, url, src, tgt string) int {
	t.Helper()
	status, body, err := post(client, url+"/api/v1/tm/search", server.TMSearchRequest{Text: src, SourceLang: "en", TargetLang: "es", Min: 100, Limit: 20})
	if err != nil || status != http.StatusOK {
		t.Fatalf("tm search %q: %d %v %s", src, status, err, body)
	}
	var sr server.TMSearchResponse
	if err := json.Unmarshal(body, &sr); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, m := range sr.Matches {
		if m.Source == src && m.Target == tgt {
			n++
		}
	}
	return n
}

// stats returns the server's graph and index segment counts.
func stats(t *testing.T, client *http.Client, url string) (graphSegments, indexSegments int) {
	t.Helper()
	resp, err := client.Get(url + "/api/v1/stats")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var st server.StatsResponse
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		t.Fatal(err)
	}
	return st.Graph.Segments, int(st.Index.Segments)
}
