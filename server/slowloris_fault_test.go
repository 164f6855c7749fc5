package server_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/kgmem/kgmem/server"
)

// TestSlowlorisDoesNotHoldTheServer opens many connections that send
// their headers a byte at a time and never finish them: a normal client
// is served meanwhile, and the server closes each slow connection once
// the header timeout has passed.
func TestSlowlorisDoesNotHoldTheServer(t *testing.T) {
	f := newFixture(t)
	const headerTimeout = 500 * time.Millisecond
	srv, err := server.New(server.Options{Memory: f.mem, Keys: f.keys, Model: "memory", JobDir: t.TempDir(), HeaderTimeout: headerTimeout})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ctx, ln) }()
	defer func() {
		cancel()
		if err := <-served; err != nil {
			t.Errorf("Serve: %v", err)
		}
	}()
	addr := ln.Addr().String()

	const slow = 200
	opened := make(chan struct{}, slow)
	closedAfter := make(chan time.Duration, slow)
	var wg sync.WaitGroup
	for range slow {
		wg.Go(func() {
			c, err := net.Dial("tcp", addr)
			if err != nil {
				t.Errorf("dial: %v", err)
				opened <- struct{}{}
				closedAfter <- 0
				return
			}
			defer c.Close()
			start := time.Now()
			// Read in the background: the server's answer or its close.
			gone := make(chan struct{})
			go func() {
				buf := make([]byte, 512)
				for {
					if _, err := c.Read(buf); err != nil {
						close(gone)
						return
					}
				}
			}()
			opened <- struct{}{}
			header := "POST /api/v1/tm/search HTTP/1.1\r\nHost: kgmem\r\nX-Slow: "
			for i := 0; ; i++ {
				select {
				case <-gone:
					closedAfter <- time.Since(start)
					return
				case <-time.After(50 * time.Millisecond):
				}
				b := header[min(i, len(header)-1):][:1]
				if i >= len(header) {
					b = "x"
				}
				if _, err := c.Write([]byte(b)); err != nil {
					<-gone
					closedAfter <- time.Since(start)
					return
				}
				if time.Since(start) > 20*headerTimeout {
					closedAfter <- -1 // still open: the server never closed it
					return
				}
			}
		})
	}
	for range slow {
		<-opened
	}
	// A normal client, while the slow ones trickle.
	client := &http.Client{Timeout: 10 * time.Second}
	for i := range 20 {
		status, body, err := post(client, "http://"+addr+"/api/v1/tm/search", server.TMSearchRequest{Text: fmt.Sprintf("Delete this notebook %d?", i)})
		if err != nil || status != http.StatusOK {
			t.Fatalf("a normal search while %d connections trickle their headers: %d %v %s", slow, status, err, body)
		}
	}
	wg.Wait()
	close(closedAfter)
	for d := range closedAfter {
		if d < 0 {
			t.Fatalf("a connection still trickling its headers was open after %s (header timeout %s)", 20*headerTimeout, headerTimeout)
		}
	}
}
