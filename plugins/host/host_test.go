package host_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/kgmem/kgmem/internal/testenv"
	"github.com/kgmem/kgmem/plugins"
	"github.com/kgmem/kgmem/plugins/builtin"
	"github.com/kgmem/kgmem/plugins/host"
)

// parentEnv makes the test binary act as a kgmem that starts a model
// (the variable's value is the model's path), prints the model's PID and
// then does what parentModeEnv says: "exit" (close the host and exit),
// "wait" (until SIGINT, then close the host and exit 130) or "hang" (until
// killed).
const (
	parentEnv     = "KGMEM_HOSTTEST_PARENT"
	parentModeEnv = "KGMEM_HOSTTEST_MODE"
)

func TestMain(m *testing.M) {
	// Serve a built-in model as kgmem would (`kgmem plugin serve NAME`);
	// builtinCommand starts the test binary so.
	if len(os.Args) == 4 && os.Args[1] == "plugin" && os.Args[2] == "serve" {
		if err := builtin.Serve(os.Args[3]); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	if path := os.Getenv(parentEnv); path != "" {
		os.Exit(actAsParent(path, os.Getenv(parentModeEnv)))
	}
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

func actAsParent(path, mode string) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	dir := filepath.Dir(path)
	ts, err := host.OpenTrustStore(filepath.Join(dir, host.TrustFile))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	h, err := host.New(host.Options{PluginDir: dir, Trust: ts})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer h.Close()
	m, err := h.Start(ctx, path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Println(m.PID())
	switch mode {
	case "exit":
		// Exit when told, so that the test can see the model running first.
		_, _ = bufio.NewReader(os.Stdin).ReadString('\n')
	case "wait":
		<-ctx.Done()
		h.Close()
		return 130
	case "hang":
		select {}
	}
	return 0
}

// builtinCommand starts a built-in model from the test binary.
func builtinCommand(name string) *exec.Cmd {
	return exec.Command(os.Args[0], "plugin", "serve", name)
}

var (
	buildOnce sync.Once
	binDir    string
	buildErr  error
)

// binaries builds the echo example and the misbehaving test model once,
// and returns the directory that holds them (echo, badmodel).
func binaries(t testing.TB) string {
	t.Helper()
	goTool := testenv.Tool(t, "go", "install Go")
	buildOnce.Do(func() {
		binDir, buildErr = os.MkdirTemp("", "kgmem-host-test-")
		if buildErr != nil {
			return
		}
		root := testenv.RepoRoot(t)
		cmd := exec.Command(goTool, "build", "-o", binDir+string(filepath.Separator),
			"./plugins/examples/echo", "./plugins/host/testdata/badmodel")
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binDir
}

// install copies the binary bin (a file of binaries) into a fresh plugin
// directory as kgmem-model-name, trusted unless untrusted is set, and
// returns a Host on that directory.
func install(t *testing.T, opts host.Options, bin string, names ...string) (*host.Host, string) {
	t.Helper()
	src := filepath.Join(binaries(t), bin)
	dir := t.TempDir()
	ts, err := host.OpenTrustStore(filepath.Join(dir, host.TrustFile))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		dst := filepath.Join(dir, plugins.ExecutablePrefix+name)
		copyFile(t, src, dst, 0o755)
		if _, err := ts.Trust(dst, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	opts.PluginDir = dir
	opts.Trust = ts
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	h, err := host.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	return h, dir
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// items returns n items with sources "s0", "s1", ….
func items(n int) []plugins.Item {
	out := make([]plugins.Item, n)
	for i := range out {
		out[i] = plugins.Item{ID: strconv.Itoa(i), Source: "s" + strconv.Itoa(i)}
	}
	return out
}

// assertGone fails unless process pid ends (or is a zombie) within 5s.
func assertGone(t *testing.T, pid int) {
	t.Helper()
	if pid <= 0 {
		t.Fatalf("no pid to check")
	}
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if !alive(pid) {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Errorf("model process %d still running: orphan", pid)
}

func alive(pid int) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	// The state follows the command name in parentheses.
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	return i < 0 || i+2 >= len(s) || (s[i+2] != 'Z' && s[i+2] != 'X')
}

func TestEchoThroughHost(t *testing.T) {
	h, _ := install(t, host.Options{MaxConcurrency: 2}, "echo", "echo")
	ctx := context.Background()
	m, err := h.Start(ctx, "echo")
	if err != nil {
		t.Fatal(err)
	}
	d := m.Description()
	if d.Name != "echo" || !d.AnyPair || d.Capabilities.PreferredBatchSize != 64 || !d.Capabilities.Terms {
		t.Errorf("Describe = %+v", d)
	}
	req := &plugins.TranslateRequest{SourceLang: "en", TargetLang: "es", Items: []plugins.Item{{
		ID: "a", Source: "Open the file",
		Terms: []plugins.TermConstraint{{SourceSpan: plugins.Span{Start: 9, End: 13}, Source: "file", Target: "archivo", Required: true}},
	}}}
	req.Items = append(req.Items, items(200)...) // several batches of 64
	resp, err := m.Translate(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(resp.Results); got != 201 {
		t.Fatalf("Translate: %d results, want 201", got)
	}
	if r := resp.Results[0]; r.Translation != "Open the archivo" || len(r.HonouredTerms) != 1 {
		t.Errorf("Translate(%q) = %+v, want %q honouring term 0", req.Items[0].Source, r, "Open the archivo")
	}
	for i, r := range resp.Results[1:] {
		if r.ID != strconv.Itoa(i) || r.Translation != "s"+strconv.Itoa(i) {
			t.Fatalf("result %d = %+v", i+1, r)
		}
	}
	if _, err := m.Learn(ctx, &plugins.LearnRequest{}); !errors.Is(err, plugins.ErrUnimplemented) {
		t.Errorf("Learn = %v, want ErrUnimplemented", err)
	}
	pid := m.PID()
	h.Close()
	assertGone(t, pid)
}

func TestList(t *testing.T) {
	h, dir := install(t, host.Options{Builtins: []string{"memory"}}, "echo", "echo", "other")
	// An untrusted one, a modified one and a file that is not executable.
	copyFile(t, filepath.Join(binaries(t), "echo"), filepath.Join(dir, "kgmem-model-stranger"), 0o755)
	os.WriteFile(filepath.Join(dir, "kgmem-model-text"), []byte("hi"), 0o644)
	appendByte(t, filepath.Join(dir, "kgmem-model-other"))
	infos, err := h.List()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, i := range infos {
		got = append(got, i.Name+"="+i.Status)
	}
	want := "memory=built-in echo=trusted other=modified stranger=untrusted text=not executable"
	if strings.Join(got, " ") != want {
		t.Errorf("List = %v, want %v", strings.Join(got, " "), want)
	}
}

func copyFile(t *testing.T, src, dst string, mode os.FileMode) {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, b, mode); err != nil {
		t.Fatal(err)
	}
}

func appendByte(t *testing.T, path string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.Write([]byte{0})
	f.Close()
}

// TestBadModels runs each way a model can be wrong and checks that the
// error names the model, says what is wrong, comes in time and leaves no
// process behind.
func TestBadModels(t *testing.T) {
	type setup func(t *testing.T, dir string)
	tests := []struct {
		name      string
		bin       string // "" installs nothing
		prepare   setup
		items     []plugins.Item
		wantErr   error
		wantInErr []string
	}{
		{name: "missing", wantErr: host.ErrNotFound, wantInErr: []string{`model "missing"`, "kgmem-model-missing"}},
		{name: "notexec", bin: "echo", prepare: func(t *testing.T, dir string) {
			os.Chmod(filepath.Join(dir, "kgmem-model-notexec"), 0o644)
		}, wantErr: host.ErrNotExecutable, wantInErr: []string{`model "notexec"`, "chmod +x"}},
		{name: "untrusted", bin: "echo", prepare: func(t *testing.T, dir string) {
			p := filepath.Join(dir, "kgmem-model-untrusted")
			os.Remove(p)
			copyFile(t, filepath.Join(binaries(t), "echo"), p, 0o755)
			os.Remove(filepath.Join(dir, host.TrustFile))
		}, wantErr: host.ErrUntrusted, wantInErr: []string{`model "untrusted"`, "kgmem plugins trust " + "DIR/kgmem-model-untrusted"}},
		{name: "modified", bin: "echo", prepare: func(t *testing.T, dir string) {
			p := filepath.Join(dir, "kgmem-model-modified")
			os.Remove(p)
			copyFile(t, filepath.Join(binaries(t), "echo"), p, 0o755)
			appendByte(t, p)
		}, wantErr: host.ErrModified, wantInErr: []string{`model "modified"`, "kgmem plugins trust " + "DIR/kgmem-model-modified"}},
		{name: "v2", bin: "badmodel", wantErr: host.ErrStart, wantInErr: []string{`model "v2"`, "another version of the kgmem model protocol"}},
		{name: "garbage", bin: "badmodel", wantErr: host.ErrStart, wantInErr: []string{`model "garbage"`, "stdout", "hello, I am not a plugin"}},
		{name: "slowstart", bin: "badmodel", wantErr: host.ErrStart, wantInErr: []string{`model "slowstart"`, "handshake in time"}},
		{name: "hang", bin: "badmodel", items: items(3), wantErr: host.ErrTimeout, wantInErr: []string{`model "hang"`}},
		{name: "crash", bin: "badmodel", items: append(items(5), plugins.Item{ID: "x", Source: "crash"}),
			wantErr: host.ErrCrashed, wantInErr: []string{`model "crash"`, "about to crash on item x", "restarted once"}},
		{name: "wrongcount", bin: "badmodel", items: items(3), wantErr: host.ErrBadResponse, wantInErr: []string{`model "wrongcount"`, "2 results for 3 items"}},
		{name: "wrongid", bin: "badmodel", items: items(3), wantErr: host.ErrBadResponse, wantInErr: []string{`model "wrongid"`, `id "nope"`}},
		{name: "fail", bin: "badmodel", items: items(1), wantInErr: []string{`model "fail"`, "no engine for es"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var h *host.Host
			var dir string
			opts := host.Options{CallTimeout: 500 * time.Millisecond, StartTimeout: 2 * time.Second}
			if tt.bin == "" {
				h, dir = install(t, opts, "echo")
			} else {
				h, dir = install(t, opts, tt.bin, tt.name)
			}
			if tt.prepare != nil {
				tt.prepare(t, dir)
				// The trust store is read once; reopen it as kgmem would.
				ts, err := host.OpenTrustStore(filepath.Join(dir, host.TrustFile))
				if err != nil {
					t.Fatal(err)
				}
				opts.PluginDir, opts.Trust = dir, ts
				if h, err = host.New(opts); err != nil {
					t.Fatal(err)
				}
				defer h.Close()
			}
			ctx := context.Background()
			began := time.Now()
			var pid int
			m, err := h.Start(ctx, tt.name)
			if err == nil {
				pid = m.PID()
				_, err = m.Translate(ctx, &plugins.TranslateRequest{SourceLang: "en", TargetLang: "es", Items: tt.items})
			}
			took := time.Since(began)
			if err == nil {
				t.Fatalf("Start+Translate(%s) succeeded, want an error", tt.name)
			}
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Errorf("error = %v, want %v", err, tt.wantErr)
			}
			msg := strings.ReplaceAll(err.Error(), dir, "DIR")
			for _, want := range tt.wantInErr {
				if !strings.Contains(msg, want) {
					t.Errorf("error %q does not contain %q", msg, want)
				}
			}
			if took > 8*time.Second {
				t.Errorf("took %v", took)
			}
			h.Close()
			if pid != 0 {
				assertGone(t, pid)
			}
			assertNoChildren(t)
		})
	}
}

// assertNoChildren fails if this process has a live child process left.
func assertNoChildren(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		kids := children()
		if len(kids) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Errorf("child processes left: %v", kids)
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func children() []int {
	me := os.Getpid()
	entries, _ := os.ReadDir("/proc")
	var out []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil {
			continue
		}
		s := string(b)
		i := strings.LastIndexByte(s, ')')
		f := strings.Fields(s[i+1:])
		if len(f) > 1 && f[1] == strconv.Itoa(me) && f[0] != "Z" {
			out = append(out, pid)
		}
	}
	return out
}

func TestCrashOnceRestarts(t *testing.T) {
	h, dir := install(t, host.Options{}, "badmodel", "crashonce")
	t.Setenv("BADMODEL_MARKER", filepath.Join(dir, "marker"))
	ctx := context.Background()
	m, err := h.Start(ctx, "crashonce")
	if err != nil {
		t.Fatal(err)
	}
	first := m.PID()
	resp, err := m.Translate(ctx, &plugins.TranslateRequest{Items: append(items(2), plugins.Item{ID: "c", Source: "crash"})})
	if err != nil {
		t.Fatalf("Translate after one crash: %v", err)
	}
	if got := resp.Results[2].Translation; got != "CRASH" {
		t.Errorf("Translate = %q, want CRASH", got)
	}
	if second := m.PID(); second == first || second == 0 {
		t.Errorf("pid %d after restart, was %d", second, first)
	}
	assertGone(t, first)
}

func TestCancel(t *testing.T) {
	h, _ := install(t, host.Options{}, "badmodel", "hang")
	m, err := h.Start(context.Background(), "hang")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	began := time.Now()
	_, err = m.Translate(ctx, &plugins.TranslateRequest{Items: items(1)})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Translate = %v, want context.DeadlineExceeded", err)
	}
	if took := time.Since(began); took > 2*time.Second {
		t.Errorf("Translate returned after %v", took)
	}
}

// TestNoOrphans ends a kgmem-like parent in the three ways a user can and
// checks that its model process goes too.
func TestNoOrphans(t *testing.T) {
	for _, mode := range []string{"exit", "sigint", "sigkill"} {
		t.Run(mode, func(t *testing.T) {
			_, dir := install(t, host.Options{}, "echo", "echo")
			cmd := exec.Command(os.Args[0], "-test.run=^$")
			pmode := map[string]string{"exit": "exit", "sigint": "wait", "sigkill": "hang"}[mode]
			cmd.Env = append(os.Environ(), parentEnv+"="+filepath.Join(dir, "kgmem-model-echo"), parentModeEnv+"="+pmode)
			cmd.Stderr = testWriter{t}
			out, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			in, err := cmd.StdinPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			line, err := bufio.NewReader(out).ReadString('\n')
			if err != nil {
				cmd.Process.Kill()
				cmd.Wait()
				t.Fatalf("parent printed no pid: %v", err)
			}
			pid, _ := strconv.Atoi(strings.TrimSpace(line))
			if !alive(pid) {
				t.Fatalf("model %d not running while the parent is", pid)
			}
			switch mode {
			case "exit":
				io.WriteString(in, "\n")
			case "sigint":
				cmd.Process.Signal(syscall.SIGINT)
			case "sigkill":
				cmd.Process.Kill()
			}
			cmd.Wait()
			assertGone(t, pid)
		})
	}
}
