package web_test

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/accessibility"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/dom"
	"github.com/chromedp/cdproto/input"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"golang.org/x/text/language"

	"github.com/kgmem/kgmem/corpora/demo"
	"github.com/kgmem/kgmem/graph"
	"github.com/kgmem/kgmem/internal/testenv"
	"github.com/kgmem/kgmem/memory"
	"github.com/kgmem/kgmem/plugins/builtin"
	"github.com/kgmem/kgmem/server"
)

var screenshots = flag.String("screenshots", "", "write a screenshot of each page of the workbench into this directory (../docs/img)")

// TestMain lets the test binary serve a built-in model as kgmem does, so
// that models run as real subprocesses.
func TestMain(m *testing.M) {
	if len(os.Args) == 4 && os.Args[1] == "plugin" && os.Args[2] == "serve" {
		if err := builtin.Serve(os.Args[3]); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// site is kgmem serve over the demo memory, with the memory model.
type site struct {
	mem  *memory.Memory
	keys *server.Keys
	url  string
}

func newSite(t *testing.T) *site {
	t.Helper()
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "data")
	mem, err := memory.Open(ctx, memory.Options{DataDir: dir, Create: true, NoCatchUp: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { mem.Close() })
	root := filepath.Join(testenv.RepoRoot(t), "corpora", "demo")
	if _, err := mem.Build(ctx, memory.BuildRequest{Paths: []string{filepath.Join(root, demo.TMX)},
		Terms: []string{filepath.Join(root, demo.Glossary)}, SourceLang: language.English, TargetLang: language.Spanish}); err != nil {
		t.Fatal(err)
	}
	keys, err := server.OpenKeys(dir)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := server.New(server.Options{Memory: mem, Keys: keys, Model: "memory", JobDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	return &site{mem: mem, keys: keys, url: hs.URL}
}

// browser is a headless Debian Chromium driven over the DevTools protocol.
// It records what the pages report as errors: uncaught exceptions,
// console errors, and the browser's own errors (a Content-Security-Policy
// violation, for one).
type browser struct {
	t   *testing.T
	ctx context.Context

	mu       sync.Mutex
	problems []string
}

func newBrowser(t *testing.T) *browser {
	t.Helper()
	chrome := testenv.Tool(t, "chromium", "apt-get install chromium, or run scripts/install-deps.sh")
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chrome), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 900))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	b := &browser{t: t}
	ctx, cancel := chromedp.NewContext(actx, chromedp.WithListener(b.listen))
	t.Cleanup(func() { cancel(); cancelAlloc() })
	if err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, cdplog.Enable, cdp.Empty{})
		return err
	})); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	b.ctx = ctx
	return b
}

func (b *browser) listen(ev any) {
	var p string
	switch ev := ev.(type) {
	case *runtime.EventExceptionThrown:
		p = "uncaught exception: " + ev.ExceptionDetails.Text
		if ex := ev.ExceptionDetails.Exception; ex != nil {
			p += " " + ex.Description
		}
	case *runtime.EventConsoleAPICalled:
		if ev.Type == runtime.ConsoleAPICalledTypeError {
			var parts []string
			for _, a := range ev.Args {
				parts = append(parts, string(a.Value)+a.Description)
			}
			p = "console error: " + strings.Join(parts, " ")
		}
	case *cdplog.EventEntryAdded:
		// Refused calls (401, 403) are expected where the tests make them.
		if ev.Entry.Level == cdplog.EntryLevelError && ev.Entry.Source != cdplog.EntrySourceNetwork {
			p = fmt.Sprintf("%s error: %s (%s)", ev.Entry.Source, ev.Entry.Text, ev.Entry.URL)
		}
	}
	if p != "" {
		b.mu.Lock()
		b.problems = append(b.problems, p)
		b.mu.Unlock()
	}
}

// checkProblems fails the test for what the pages reported since the last
// check.
func (b *browser) checkProblems() {
	b.t.Helper()
	b.mu.Lock()
	ps := b.problems
	b.problems = nil
	b.mu.Unlock()
	for _, p := range ps {
		b.t.Error(p)
	}
}

// do runs actions, each step bounded in time.
func (b *browser) do(steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.shot("failure-" + strings.ReplaceAll(b.t.Name(), "/", "-"))
		b.t.Fatal(err)
	}
}

func eval[T any](b *browser, js string) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("evaluate %s: %v", js, err)
	}
	return v
}

// until waits for a JavaScript condition to hold in the page; what says
// what is awaited, for the failure.
func (b *browser) until(what, js string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	for {
		_, err := chromedp.Run(ctx, chromedp.Poll[bool]("(() => { try { return Boolean("+js+"); } catch { return false; } })()",
			chromedp.WithPollingInterval(50*time.Millisecond)))
		if err == nil {
			return
		}
		// A page that navigates meanwhile loses the poll's context: poll
		// in the new one.
		if ctx.Err() == nil && strings.Contains(err.Error(), "Cannot find context") {
			continue
		}
		b.shot("failure-" + strings.ReplaceAll(b.t.Name(), "/", "-"))
		b.t.Fatalf("waiting for %s: %v", what, err)
	}
}

// named selects the elements with an accessible role and name, as a
// screen reader finds them: through the browser's accessibility tree.
func named(role, name string) chromedp.QueryOption {
	return chromedp.ByFunc(func(ctx context.Context, t *chromedp.Target, n *chromedp.Node) ([]cdp.NodeID, error) {
		res, err := cdp.Call(ctx, t, accessibility.QueryAXTree, accessibility.QueryAXTreeParams{NodeID: n.NodeID, AccessibleName: name, Role: role})
		if err != nil {
			return nil, err
		}
		var ids []cdp.BackendNodeID
		for _, ax := range res.Nodes {
			if !ax.Ignored && ax.BackendDOMNodeID != 0 {
				ids = append(ids, ax.BackendDOMNodeID)
			}
		}
		if len(ids) == 0 {
			return []cdp.NodeID{}, nil
		}
		pushed, err := cdp.Call(ctx, t, dom.PushNodesByBackendIDsToFrontend, dom.PushNodesByBackendIDsToFrontendParams{BackendNodeIDs: ids})
		if err != nil {
			return nil, err
		}
		return pushed.NodeIDs, nil
	})
}

// a11y is the label of an accessible-name query in error messages.
func a11y(role, name string) chromedp.CSS { return chromedp.CSS(fmt.Sprintf("%s %q", role, name)) }

func (b *browser) click(role, name string, opts ...chromedp.QueryOption) {
	b.t.Helper()
	b.do(chromedp.Click(a11y(role, name), append(opts, named(role, name), chromedp.NodeVisible)...))
}

// typeInto replaces the text of a text box, typing it key by key.
func (b *browser) typeInto(role, name, text string, opts ...chromedp.QueryOption) {
	b.t.Helper()
	opts = append(opts, named(role, name), chromedp.NodeVisible)
	clear := func(ctx context.Context, t *chromedp.Target, nodes []*chromedp.Node) (chromedp.Void, error) {
		obj, err := cdp.Call(ctx, t, dom.ResolveNode, dom.ResolveNodeParams{NodeID: nodes[0].NodeID})
		if err != nil {
			return chromedp.Void{}, err
		}
		_, err = cdp.Call(ctx, t, runtime.CallFunctionOn, runtime.CallFunctionOnParams{ObjectID: obj.Object.ObjectID,
			FunctionDeclaration: `function() { this.value = ''; this.dispatchEvent(new Event('input', {bubbles: true})); }`})
		return chromedp.Void{}, err
	}
	b.do(chromedp.QueryAfter(a11y(role, name), clear, opts...), chromedp.SendKeys(a11y(role, name), text, opts...))
}

// within returns the query option that looks only inside the element with
// the role and name.
func (b *browser) within(role, name string) chromedp.QueryOption {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	nodes, err := chromedp.Run(ctx, chromedp.Nodes(a11y(role, name), named(role, name), chromedp.NodeVisible))
	if err != nil || len(nodes) == 0 {
		b.t.Fatalf("find %s %q: %v", role, name, err)
	}
	return chromedp.FromNode(nodes[0])
}

// count returns how many elements have the role and name, now.
func (b *browser) count(role, name string) int {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	// (DOM.getDocument would reset the node IDs chromedp keeps: query
	// from the body it knows.)
	n, err := chromedp.Run(ctx, chromedp.QueryAfter(chromedp.CSS("body"), func(ctx context.Context, t *chromedp.Target, nodes []*chromedp.Node) (int, error) {
		res, err := cdp.Call(ctx, t, accessibility.QueryAXTree, accessibility.QueryAXTreeParams{NodeID: nodes[0].NodeID, AccessibleName: name, Role: role})
		if err != nil {
			return 0, err
		}
		n := 0
		for _, ax := range res.Nodes {
			if !ax.Ignored {
				n++
			}
		}
		return n, nil
	}))
	if err != nil {
		b.t.Fatalf("count %s %q: %v", role, name, err)
	}
	return n
}

// open loads a page of the workbench afresh and waits for its heading.
// (A navigation that changes only the address's fragment would not load
// the page again: the blank page in between makes it.)
func (b *browser) open(url, heading string) {
	b.t.Helper()
	b.do(chromedp.Navigate("about:blank"), chromedp.Navigate(url))
	b.until("the heading "+heading, fmt.Sprintf(`[...document.querySelectorAll('h1')].some((h) => h.textContent === %q)`, heading))
}

// shot writes a screenshot of the page when -screenshots names a
// directory.
func (b *browser) shot(name string) {
	if *screenshots == "" {
		return
	}
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Errorf("screenshot %s: %v", name, err)
		return
	}
	if err := os.WriteFile(filepath.Join(*screenshots, name+".png"), png, 0o644); err != nil {
		b.t.Error(err)
	}
}

// axeViolation is what axe-core reports of one rule broken.
type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target []any `json:"target"`
	} `json:"nodes"`
}

// axeSource is axe-core from web/node_modules (npm ci in web/).
func axeSource(t *testing.T) string {
	t.Helper()
	path := filepath.Join(testenv.RepoRoot(t), "web", "node_modules", "axe-core", "axe.min.js")
	data, err := os.ReadFile(path)
	if err != nil {
		msg := fmt.Sprintf("axe-core is not installed (%v): run npm ci in web/, or scripts/install-deps.sh", err)
		if os.Getenv(testenv.RequireEnv) == "1" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return string(data)
}

// axe runs axe-core on the page and fails the test for every serious or
// critical violation; it returns how many violations of any impact there
// were.
func (b *browser) axe(page, source string) int {
	b.t.Helper()
	if !eval[bool](b, `typeof axe !== 'undefined'`) {
		eval[any](b, source+"\n;true")
	}
	raw := eval[string](b, `axe.run(document, {resultTypes: ['violations']}).then((r) => JSON.stringify(r.violations))`)
	var vs []axeViolation
	if err := json.Unmarshal([]byte(raw), &vs); err != nil {
		b.t.Fatalf("axe on %s: %v", page, err)
	}
	for _, v := range vs {
		msg := fmt.Sprintf("axe on %s: %s (%s): %s at %v", page, v.ID, v.Impact, v.Help, v.Nodes)
		if v.Impact == "serious" || v.Impact == "critical" {
			b.t.Error(msg)
		} else {
			b.t.Log(msg)
		}
	}
	return len(vs)
}

// js quotes a string for JavaScript.
func js(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// TestBrowser drives the workbench in Chromium through every flow of the
// issue, as a translator would, finding controls by their accessible
// names; axe-core checks each page. With -screenshots DIR it also writes a
// screenshot of each page.
func TestBrowser(t *testing.T) {
	axeJS := axeSource(t)
	s := newSite(t)
	b := newBrowser(t)
	hubID := hubEntity(t, s.mem, 1200)
	manySegments(t, s.mem, "learn:zebrafish", 10_050)
	axeRuns := map[string]int{}

	t.Run("first load", func(t *testing.T) { testFirstLoad(t, s) })
	t.Run("translate, review, approve, search", func(t *testing.T) {
		b.t = t
		testTranslateAndApprove(b, s, axeJS, axeRuns)
		b.checkProblems()
	})
	t.Run("document", func(t *testing.T) {
		b.t = t
		testDocument(b, s, axeJS, axeRuns)
		b.checkProblems()
	})
	t.Run("entity from a term", func(t *testing.T) {
		b.t = t
		testEntityFromTerm(b, s, axeJS, axeRuns)
		b.checkProblems()
	})
	t.Run("add a term", func(t *testing.T) {
		b.t = t
		testAddTerm(b, s, axeJS, axeRuns)
		b.checkProblems()
	})
	t.Run("10k hits and 1k nodes", func(t *testing.T) {
		b.t = t
		testCaps(b, s, hubID)
		b.checkProblems()
	})
	t.Run("jobs and health", func(t *testing.T) {
		b.t = t
		b.open(s.url+"/#/jobs", "Jobs and health")
		b.until("the learning chart", `document.querySelector('svg.chart rect.bar')`)
		b.until("a job", `document.querySelector('table.jobs progress')`)
		axeRuns["jobs"] = b.axe("jobs and health", axeJS)
		b.shot("jobs")
		b.checkProblems()
	})
	t.Run("roles", func(t *testing.T) {
		b.t = t
		testRoles(b, s, axeJS, axeRuns)
		b.checkProblems()
	})
	t.Logf("axe violations of any impact per page (none serious or critical): %v", axeRuns)
}

// maxFirstLoad is the most a page may transfer, compressed, when the
// browser has nothing cached: its HTML, scripts, styles and API calls.
const maxFirstLoad = 300 << 10

// transferred is what the page has transferred since it was loaded, as
// the browser counts it (compressed bodies and headers).
func transferred(b *browser) int {
	return eval[int](b, `performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource')).reduce((n, e) => n + e.transferSize, 0)`)
}

// testFirstLoad measures what a browser with an empty cache transfers to
// show the translate page, and the entity page with its graph drawing (the
// graph library is loaded only there).
func testFirstLoad(t *testing.T, s *site) {
	es, err := s.mem.Entities(context.Background(), memory.EntityQuery{Label: "notebook", Lang: "en", Limit: 1})
	if err != nil || len(es) == 0 {
		t.Fatalf("entity notebook: %v", err)
	}
	for _, page := range []struct{ name, path, ready string }{
		{"translate", "/", `document.querySelector('h1')?.textContent === 'Translate & review' && document.querySelector('#nav a[aria-current]')`},
		{"entity with its graph", "/#/entity/" + es[0].Entity, `Number(document.querySelector('.cy')?.dataset.nodes) > 1`},
	} {
		b := newBrowser(t)
		b.do(chromedp.Navigate(s.url + page.path))
		b.until(page.name, page.ready)
		time.Sleep(300 * time.Millisecond) // the page's last calls
		n := transferred(b)
		t.Logf("first load of the %s page: %.1f KiB transferred (gzip)", page.name, float64(n)/1024)
		if n > maxFirstLoad {
			t.Errorf("first load of the %s page: %d bytes, more than %d", page.name, n, maxFirstLoad)
		}
		if n < 10<<10 {
			t.Errorf("first load of the %s page: %d bytes: the measure is wrong", page.name, n)
		}
		b.checkProblems()
	}
}

func testTranslateAndApprove(b *browser, s *site, axeJS string, axeRuns map[string]int) {
	const exported = "Export every notebook of this account"
	const approved = "Exporte todos los cuadernos de esta cuenta"
	b.open(s.url+"/#/translate", "Translate & review")
	b.typeInto("textbox", "Source text", strings.Join([]string{"Delete this notebook?", exported, exported, "Export every notebook of that account"}, "\n"))
	b.click("button", "Translate")
	b.until("four segments", `document.querySelectorAll('li.seg').length === 4`)

	// The first is an exact match; its memory shows the match, the terms
	// and where the match came from.
	seg1 := `document.querySelector('#seg-1')`
	b.until("segment 1 exact", seg1+`.querySelector('.badge.exact') && `+seg1+`.querySelector('textarea').value === '¿Desea eliminar este cuaderno?'`)
	eval[any](b, seg1+`.querySelector('details.memory').open = true`)
	b.until("the memory of segment 1", seg1+`.querySelector('details.memory').textContent.includes('lumen.tmx') && `+
		seg1+`.querySelector('details.memory').textContent.includes('cuaderno')`)
	if got := eval[string](b, seg1+`.querySelector('summary').textContent`); !strings.Contains(got, "1 match") {
		b.t.Errorf("segment 1 memory summary = %q", got)
	}

	// Keyboard: Alt+↓ goes to the next segment.
	b.do(chromedp.Focus(a11y("textbox", "Translation of segment 1"), named("textbox", "Translation of segment 1")),
		chromedp.KeyEvent(kb.ArrowDown, chromedp.KeyModifiers(chromedp.ModifierAlt)))
	if n := eval[string](b, `document.activeElement.dataset.n || ''`); n != "2" {
		b.t.Errorf("Alt+ArrowDown: focus on segment %q, want 2", n)
	}

	// Edit segment 2 and approve it: it is learned, and the identical
	// segment 3 is translated again with it.
	b.typeInto("textbox", "Translation of segment 2", approved)
	b.click("button", "Approve", b.within("listitem", "Segment 2"))
	b.until("segment 2 approved", `document.querySelector('#seg-2.is-approved')`)
	b.until("segment 3 exact with the approval", `document.querySelector('#seg-3 .badge.exact') && document.querySelector('#seg-3 textarea').value === `+js(approved))
	// Segment 4 lists the approval among its matches, with a fuzzy score;
	// the memory model cannot patch this → that, so its translation is
	// labelled by what it is, not fuzzy.
	b.until("segment 4 shows the approval as a fuzzy match", `[...document.querySelectorAll('#seg-4 details.memory tbody tr')].some((tr) => `+
		`tr.cells[3]?.textContent === `+js(approved)+` && /^[7-9][0-9] %$/.test(tr.cells[0].textContent)) && !document.querySelector('#seg-4 .badge.exact')`)
	if n := eval[string](b, `document.activeElement.dataset.n || ''`); n != "3" {
		b.t.Errorf("after approving segment 2, focus on segment %q, want 3", n)
	}
	// Its warnings are the memory's checks: the term base wants "exportar".
	b.until("segment 3's warnings", `document.querySelector('#seg-3 .warnings').textContent.includes('Missing required term')`)
	eval[any](b, `document.querySelectorAll('details.memory').forEach((d) => d.open = true)`)
	axeRuns["translate"] = b.axe("translate", axeJS)
	b.shot("translate")

	// The next translation of the same sentence returns it.
	b.typeInto("textbox", "Source text", exported)
	b.click("button", "Translate")
	b.until("the approval returned", `document.querySelectorAll('li.seg').length === 1 && document.querySelector('#seg-1 .badge.exact') && document.querySelector('#seg-1 textarea').value === `+js(approved))

	// So does the memory search, with its provenance.
	b.open(s.url+"/#/memory", "Memory")
	b.typeInto("searchbox", "Search memory", "export every notebook")
	b.click("button", "Search")
	b.until("the learned segment", `[...document.querySelectorAll('table.hits td')].some((td) => td.textContent === `+js(approved)+`)`)
	row := `[...document.querySelectorAll('table.hits tbody tr')].find((tr) => tr.textContent.includes(` + js(approved) + `))`
	if origin := eval[string](b, row+`.querySelector('.origin').textContent`); !strings.HasPrefix(origin, "learn:") {
		b.t.Errorf("origin of the learned segment = %q, want learn:…", origin)
	}
	eval[any](b, row+`.querySelector('button').click()`)
	b.until("its provenance", `document.querySelector('.provenance') && document.querySelector('.provenance').textContent.includes('learn:')`)
	axeRuns["memory"] = b.axe("memory", axeJS)
	b.shot("memory")

	// Forget it and undo that; forget it again: the memory search no
	// longer finds it.
	status := `document.querySelector('.provenance [role=status]')?.textContent || ''`
	b.click("button", "Forget this pair")
	b.until("the forget acknowledged", status+`.startsWith('Forgotten (forget:')`)
	b.click("button", "Undo")
	b.until("the undo acknowledged", status+` === 'The pair is back in the memory.'`)
	b.click("button", "Forget this pair")
	b.until("the second forget acknowledged", status+`.startsWith('Forgotten (forget:')`)
	b.click("button", "Search")
	b.until("the forgotten segment gone", `document.querySelector('section.results h2') && ![...document.querySelectorAll('table.hits td')].some((td) => td.textContent === `+js(approved)+`)`)
}

func testDocument(b *browser, s *site, axeJS string, axeRuns map[string]int) {
	po := filepath.Join(testenv.RepoRoot(b.t), "corpora", "demo", demo.Catalog)
	b.open(s.url+"/#/translate", "Translate & review")
	b.do(chromedp.SetUploadFiles(chromedp.CSS(`main form input[type=file]`), []string{po}))
	b.click("button", "Translate")
	b.until("the document translated", `document.querySelector('.status-area .notice.ok')?.textContent.startsWith('sample.po:')`)
	if b.count("button", "Download translated document") != 1 {
		b.t.Error("no Download translated document button")
	}
	b.until("a status on every segment", `[...document.querySelectorAll('li.seg')].every((li) => li.querySelector('.badge'))`)
}

func testEntityFromTerm(b *browser, s *site, axeJS string, axeRuns map[string]int) {
	b.open(s.url+"/#/translate", "Translate & review")
	b.typeInto("textbox", "Source text", "Delete this notebook?")
	b.click("button", "Translate")
	b.until("the segment", `document.querySelectorAll('li.seg').length === 1 && document.querySelector('#seg-1 .badge.exact')`)
	eval[any](b, `document.querySelector('#seg-1 details.memory').open = true`)
	b.click("link", "notebook", b.within("listitem", "Segment 1"))
	b.until("the entity page", `document.querySelector('h1') && document.querySelector('h1').textContent === 'notebook'`)
	b.until("the neighbourhood drawn", `Number(document.querySelector('.cy')?.dataset.nodes) > 1`)
	b.until("the mentions", `document.querySelectorAll('section[aria-labelledby=seg-title] tbody tr').length > 0`)
	if got := eval[string](b, `document.querySelector('table.translations tbody tr').textContent`); !strings.Contains(got, "cuaderno") || !strings.Contains(got, "preferred") {
		b.t.Errorf("first translation of notebook = %q, want cuaderno, preferred", got)
	}
	entityURL := eval[string](b, `location.href`)

	// Clicking a node opens its entity: a node apart from the others, in
	// the window.
	b.do(chromedp.ScrollIntoView(chromedp.CSS(".cy")))
	type point struct {
		X, Y  float64
		ID    string
		Label string
	}
	p := eval[point](b, `(() => {
		const el = document.querySelector('.cy');
		const cy = el.kgmemGraph;
		cy.resize(); // what Cytoscape does a moment after a scroll: learn where its canvas now is
		const r = el.getBoundingClientRect();
		const nodes = cy.nodes().map((n) => ({n, x: r.left + n.renderedPosition().x, y: r.top + n.renderedPosition().y}));
		const apart = nodes.slice(1).find((a) => a.y > 0 && a.y < innerHeight && a.x > 0 && a.x < innerWidth &&
			nodes.every((b) => b === a || Math.hypot(a.x - b.x, a.y - b.y) > 24));
		return apart ? {X: apart.x, Y: apart.y, ID: apart.n.id(), Label: apart.n.data('label')} : {X: 0, Y: 0, ID: '', Label: ''};
	})()`)
	if p.ID == "" {
		b.t.Fatal("no node of the drawing stands apart from the others to click")
	}
	b.do(chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, p.X, p.Y), chromedp.MouseClickXY(p.X, p.Y))
	b.t.Logf("clicked node %q at (%.0f, %.0f)", p.Label, p.X, p.Y)
	b.until("the clicked node's page", fmt.Sprintf(`location.hash === '#/entity/' + %s && document.querySelector('h1').textContent === %s`, js(p.ID), js(p.Label)))

	b.open(entityURL, "notebook")
	b.until("the neighbourhood drawn", `Number(document.querySelector('.cy')?.dataset.nodes) > 1`)
	b.until("the mentions", `document.querySelectorAll('section[aria-labelledby=seg-title] tbody tr').length > 0`)
	axeRuns["entity"] = b.axe("entity", axeJS)
	b.shot("entity")

	// The graph search finds an entity by a misspelt name.
	b.open(s.url+"/#/graph", "Graph")
	b.typeInto("searchbox", "Search entities", "notebok")
	b.click("button", "Search")
	b.until("notebook found", `[...document.querySelectorAll('.entity-hits a')].some((a) => a.textContent === 'notebook')`)
	axeRuns["graph"] = b.axe("graph", axeJS)
	b.shot("graph")
}

func testAddTerm(b *browser, s *site, axeJS string, axeRuns map[string]int) {
	b.open(s.url+"/#/terms", "Terms")
	b.typeInto("textbox", "Term", "widget")
	b.typeInto("textbox", "Translation", "artilugio")
	b.click("button", "Add term")
	b.until("the term's translations", `[...document.querySelectorAll('table.translations tr')].some((tr) => tr.textContent.includes('artilugio') && tr.textContent.includes('preferred'))`)
	axeRuns["terms"] = b.axe("terms", axeJS)
	b.shot("terms")

	// It is applied at once.
	b.open(s.url+"/#/translate", "Translate & review")
	b.typeInto("textbox", "Source text", "Open the widget")
	b.click("button", "Translate")
	b.until("the term in the translation", `document.querySelectorAll('li.seg').length === 1 && document.querySelector('#seg-1 textarea').value.includes('artilugio')`)
	eval[any](b, `document.querySelector('#seg-1 details.memory').open = true`)
	if got := eval[string](b, `document.querySelector('#seg-1 details.memory').textContent`); !strings.Contains(got, "widget") || !strings.Contains(got, "required") {
		b.t.Errorf("memory of the segment = %q, want the term widget, required", got)
	}

	// Deprecated from its entity page, it says so at once.
	b.click("link", "widget", b.within("listitem", "Segment 1"))
	b.until("the entity page", `document.querySelector('h1')?.textContent === 'widget'`)
	b.click("button", "Deprecate: artilugio")
	b.until("artilugio deprecated", `[...document.querySelectorAll('table.translations tr')].some((tr) => tr.textContent.includes('artilugio') && tr.querySelector('.badge.deprecated'))`)
}

func testCaps(b *browser, s *site, hubID string) {
	b.open(s.url+"/#/memory", "Memory")
	b.typeInto("searchbox", "Search memory", "zebrafish")
	b.click("button", "Search")
	b.until("the capped page", `document.querySelector('.pager p')?.textContent.startsWith('Showing 1–50 of 10,000 segments (the search stops at 10,000')`)
	if rows := eval[int](b, `document.querySelectorAll('table.hits tbody tr:not(.detail)').length`); rows != 50 {
		b.t.Errorf("%d rows on a page, want 50", rows)
	}
	b.click("button", "Next page")
	b.until("the second page", `document.querySelector('.pager p')?.textContent.startsWith('Showing 51–100 of 10,000')`)

	start := time.Now()
	b.open(s.url+"/#/entity/"+hubID, "hub")
	b.until("60 nodes drawn", `document.querySelector('.cy')?.dataset.nodes === '60'`)
	eval[any](b, `(() => { const s = [...document.querySelectorAll('select')].find((x) => x.labels[0]?.textContent === 'Nodes at most'); s.value = '1000'; s.dispatchEvent(new Event('change')); })()`)
	b.until("1000 nodes drawn", `document.querySelector('.cy')?.dataset.nodes === '1000'`)
	b.until("the cap said", `document.querySelector('section[aria-labelledby=nb-title] .notice')?.textContent.includes('More entities are linked than 1,000')`)
	b.t.Logf("hub of 1,200 links: page and 1,000-node drawing in %v", time.Since(start).Round(10*time.Millisecond))
}

func testRoles(b *browser, s *site, axeJS string, axeRuns map[string]int) {
	reader, err := s.keys.Add("reader", server.RoleRead, time.Now())
	if err != nil {
		b.t.Fatal(err)
	}
	translator, err := s.keys.Add("translator", server.RoleTranslate, time.Now())
	if err != nil {
		b.t.Fatal(err)
	}
	// The server rereads its keys at most once a second: wait until it
	// wants one.
	for deadline := time.Now().Add(10 * time.Second); ; {
		resp, err := http.Get(s.url + "/api/v1/session")
		if err != nil {
			b.t.Fatal(err)
		}
		var sr struct {
			KeysRequired bool `json:"keys_required"`
		}
		err = json.NewDecoder(resp.Body).Decode(&sr)
		resp.Body.Close()
		if err == nil && sr.KeysRequired {
			break
		}
		if time.Now().After(deadline) {
			b.t.Fatal("the server does not ask for a key after keys were added")
		}
		time.Sleep(100 * time.Millisecond)
	}
	refused := func(key string) int {
		return eval[int](b, fmt.Sprintf(`fetch('/api/v1/learn', {method: 'POST', headers: {'Authorization': 'Bearer ' + %s, 'Content-Type': 'application/json'},
			body: JSON.stringify({source_lang: 'en', target_lang: 'es', pairs: [{source: 'Pin it', target: 'Fíjela'}]})}).then((r) => r.status)`, js(key)))
	}

	b.open(s.url+"/#/translate", "Sign in")
	axeRuns["sign in"] = b.axe("sign in", axeJS)
	b.shot("sign-in")
	b.typeInto("textbox", "API key", reader)
	b.click("button", "Sign in")
	b.until("the read role's translate page", `document.querySelector('main .notice')?.textContent.includes('role read')`)
	if n := b.count("button", "Translate") + b.count("button", "Approve"); n != 0 {
		b.t.Errorf("a read key sees %d Translate or Approve buttons", n)
	}
	if status := refused(reader); status != 403 {
		b.t.Errorf("learn with a read key: %d, want 403", status)
	}

	b.click("button", "Sign out")
	b.until("the sign-in page", `document.querySelector('h1')?.textContent === 'Sign in'`)
	b.typeInto("textbox", "API key", translator)
	b.click("button", "Sign in")
	b.until("the translate page", `document.querySelector('h1')?.textContent === 'Translate & review'`)
	b.typeInto("textbox", "Source text", "Delete this notebook?")
	b.click("button", "Translate")
	b.until("the segment", `document.querySelectorAll('li.seg').length === 1 && document.querySelector('#seg-1 textarea').value !== ''`)
	if n := b.count("button", "Approve"); n != 0 {
		b.t.Errorf("a translate key sees %d Approve buttons", n)
	}
	if status := refused(translator); status != 403 {
		b.t.Errorf("learn with a translate key: %d, want 403", status)
	}

	// A key the server forgets sends the user back to sign in.
	if err := s.keys.Remove("translator"); err != nil {
		b.t.Fatal(err)
	}
	b.click("button", "Translate")
	b.until("the sign-in page again", `document.querySelector('h1')?.textContent === 'Sign in'`)
}

// hubEntity writes an entity linked to n others, straight into the store.
func hubEntity(t *testing.T, mem *memory.Memory, n int) string {
	t.Helper()
	b := &graph.Batch{Source: "test:hub"}
	h := graph.Entity{ID: graph.EntityID(graph.TypeTerm, "en:hub"), Type: graph.TypeTerm, Key: "en:hub"}
	b.Entities = append(b.Entities, h)
	b.Facts = append(b.Facts, graph.NewLabel(h.ID, "hub", "en", graph.StatusNone, 1, b.Source, 1, ""))
	for i := range n {
		key := fmt.Sprintf("en:spoke %d", i)
		e := graph.Entity{ID: graph.EntityID(graph.TypeTerm, key), Type: graph.TypeTerm, Key: key}
		b.Entities = append(b.Entities, e)
		b.Facts = append(b.Facts, graph.NewLabel(e.ID, fmt.Sprintf("spoke %d", i), "en", graph.StatusNone, 1, b.Source, 1, ""),
			graph.NewFact(h.ID, graph.PredCooccurs, e.ID, "", "", float64(i%100)/100, b.Source, 1, ""))
	}
	if err := mem.Store().Upsert(context.Background(), b); err != nil {
		t.Fatal(err)
	}
	return h.ID
}

// manySegments writes n segments that share the word "zebrafish" straight
// into the store and indexes them.
func manySegments(t *testing.T, mem *memory.Memory, file string, n int) {
	t.Helper()
	ctx := context.Background()
	b := &graph.Batch{Source: file}
	ids := make([]string, n)
	now := time.Now().UTC().Add(-time.Hour)
	for i := range n {
		src, tgt := fmt.Sprintf("Zebrafish sample %d is ready", i), fmt.Sprintf("La muestra de pez cebra %d está lista", i)
		ids[i] = graph.SegmentID("en", "es", src, tgt)
		b.Segments = append(b.Segments, graph.Segment{ID: ids[i], SourceLang: "en", TargetLang: "es", Source: src, Target: tgt,
			Status: "approved", Changed: now, Sources: []graph.Source{{File: file, Count: 1, Units: []string{fmt.Sprint("#", i+1)}}}})
	}
	if err := mem.Store().Upsert(ctx, b); err != nil {
		t.Fatal(err)
	}
	if err := mem.Store().SetSourceState(ctx, graph.SourceState{File: file, Hash: file, Units: n, Complete: true, Updated: now}); err != nil {
		t.Fatal(err)
	}
	if _, err := mem.Index().CatchUpSegments(ctx, mem.Store(), ids); err != nil {
		t.Fatal(err)
	}
}
