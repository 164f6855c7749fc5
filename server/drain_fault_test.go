package server_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/kgmem/kgmem/server"
)

// longDocument is a text of n sentences, none of them in the demo memory.
func longDocument(n int) []byte {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "Sentence %d asks to sync the shared notebook number %d before the meeting.\n\n", i, i%97)
	}
	return []byte(b.String())
}

// TestSIGTERMDrains sends SIGTERM to `kgmem serve` while a document job
// runs and a client is still sending a request's body: the server stops
// taking connections, answers the request, lets the job finish, and exits
// 0.
func TestSIGTERMDrains(t *testing.T) {
	bin := kgmemBinary(t)
	data := buildDemoData(t, bin, demoCorpus(t))
	s := startServe(t, bin, data, "--model", "memory")
	client := &http.Client{Timeout: time.Minute}

	// The job: a document long enough to be running when SIGTERM comes.
	const lines = 6000
	resp, err := client.Post(s.url+"/api/v1/documents?name=long.txt&source_lang=en&target_lang=es&model=memory", "text/plain",
		strings.NewReader(string(longDocument(lines))))
	if err != nil {
		t.Fatal(err)
	}
	var job server.Job
	if err := json.NewDecoder(resp.Body).Decode(&job); err != nil || resp.StatusCode != http.StatusAccepted {
		t.Fatalf("document: %d %v", resp.StatusCode, err)
	}
	resp.Body.Close()
	for deadline := time.Now().Add(time.Minute); ; {
		resp, err := client.Get(s.url + "/api/v1/jobs/" + job.ID)
		if err != nil {
			t.Fatal(err)
		}
		json.NewDecoder(resp.Body).Decode(&job)
		resp.Body.Close()
		if job.Status != server.JobQueued && job.Done > 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if job.Status != server.JobRunning {
		t.Fatalf("the job is %s (%d done) before SIGTERM; want it running", job.Status, job.Done)
	}

	// The slow request: a learn whose body comes a few bytes at a time.
	u, _ := url.Parse(s.url)
	conn, err := net.Dial("tcp", u.Host)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	body := `{"source_lang":"en","target_lang":"es","pairs":[{"source":"Drain the queue first","target":"Vacíe primero la cola"}]}`
	fmt.Fprintf(conn, "POST /api/v1/learn HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n", u.Host, len(body))
	sent := make(chan error, 1)
	go func() {
		for i := 0; i < len(body); i += 8 {
			if _, err := conn.Write([]byte(body[i:min(i+8, len(body))])); err != nil {
				sent <- err
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
		sent <- nil
	}()
	time.Sleep(300 * time.Millisecond)

	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	termAt := time.Now()
	// New connections are refused from a moment after SIGTERM.
	refused := false
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		c, err := net.DialTimeout("tcp", u.Host, time.Second)
		if err != nil {
			refused = true
			break
		}
		c.Close()
	}
	if !refused {
		t.Error("the server still takes connections 10 s after SIGTERM")
	}
	if err := <-sent; err != nil {
		t.Fatalf("sending the slow request's body after SIGTERM: %v", err)
	}
	r, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("the slow request got no answer: %v", err)
	}
	if r.StatusCode != http.StatusOK {
		t.Errorf("the slow request was answered %d, want 200", r.StatusCode)
	}
	r.Body.Close()

	select {
	case <-s.done:
	case <-time.After(3 * time.Minute):
		t.Fatalf("kgmem serve did not exit within 3 minutes of SIGTERM: %s", s.stderr.String())
	}
	if s.err != nil {
		t.Fatalf("kgmem serve after SIGTERM: %v, want exit 0: %s", s.err, s.stderr.String())
	}
	t.Logf("the job was %d sentences in when SIGTERM came; the server exited %.1f s later", job.Done, time.Since(termAt).Seconds())
	// The job finished: its document has every sentence translated.
	out, err := os.ReadFile(filepath.Join(data, "server", "jobs", job.ID, "long.txt"))
	if err != nil {
		t.Fatalf("the job's document: %v (stderr: %s)", err, s.stderr.String())
	}
	if n := strings.Count(strings.TrimSpace(string(out)), "\n\n") + 1; n != lines {
		t.Errorf("the job's document has %d paragraphs, want %d", n, lines)
	}
	if strings.Contains(s.stderr.String(), "job failed") || strings.Contains(s.stderr.String(), "cancelled") {
		t.Errorf("stderr: %s", s.stderr.String())
	}
}
