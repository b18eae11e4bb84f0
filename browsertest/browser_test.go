package browsertest

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/taxportal/portal/portaltest"
)

// stepTimeout bounds every browser step, so a broken page fails fast
// instead of hanging the suite.
const stepTimeout = 20 * time.Second

// Browser is one Chromium tab on a running portal. Journeys visit pages with
// Visit (which checks each one) and act on them with the helpers in
// actions_test.go.
type Browser struct {
	ctx     context.Context // the tab
	base    string          // the portal's URL, without a trailing slash
	journey string          // screenshot folder
	seq     *int            // page counter, shared by the tabs of one journey
	js      bool            // false in a tab with script execution disabled
	console *consoleLog

	logged map[string]bool // notes (axe "needs review") already logged, so each shows once
}

// NewBrowser starts Chromium on the portal. Screenshots of the pages it
// visits go to screenshots/<journey>/, which it empties first.
func NewBrowser(t *testing.T, p *portaltest.Portal, journey string) *Browser {
	t.Helper()
	ctx := startChromium(t)
	dir := filepath.Join("screenshots", journey)
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	b := &Browser{ctx: ctx, base: strings.TrimSuffix(p.Server.URL, "/"), journey: journey, seq: new(int), js: true, logged: map[string]bool{}}
	b.watchConsole(t)
	return b
}

// WithoutJavaScript opens a second tab in a fresh browser context (no shared
// cookies) with script execution disabled, as a visitor with JavaScript off
// would browse. Its pages are numbered with this browser's.
func (b *Browser) WithoutJavaScript(t *testing.T) *Browser {
	t.Helper()
	ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	nb := &Browser{ctx: ctx, base: b.base, journey: b.journey, seq: b.seq, js: false, logged: b.logged}
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("opening a tab: %v", err)
	}
	nb.setScriptsDisabled(t, true)
	nb.watchConsole(t)
	return nb
}

// AnotherDevice opens a tab in a fresh browser context (no shared cookies)
// with scripts on, as a second computer or a phone would browse: an agent's
// desk, or the phone that takes the verification photos. Its pages are
// numbered with this browser's.
func (b *Browser) AnotherDevice(t *testing.T) *Browser {
	t.Helper()
	ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	nb := &Browser{ctx: ctx, base: b.base, journey: b.journey, seq: b.seq, js: true, logged: b.logged}
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("opening a tab: %v", err)
	}
	nb.watchConsole(t)
	return nb
}

// setScriptsDisabled switches the page's script execution off or on.
func (b *Browser) setScriptsDisabled(t testing.TB, off bool) {
	t.Helper()
	b.call(t, "switching scripts", func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: off})
		return err
	})
}

// once reports whether key is new to this test, so that a note (an axe
// "needs review" result) is logged once, not on every page.
func (b *Browser) once(key string) bool {
	if b.logged[key] {
		return false
	}
	b.logged[key] = true
	return true
}

// URL is the absolute URL of a portal path.
func (b *Browser) URL(path string) string { return b.base + path }

// run runs browser steps with a deadline and fails the test on error.
func (b *Browser) run(t testing.TB, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// call runs one protocol-level func with a deadline.
func (b *Browser) call(t testing.TB, what string, f func(ctx context.Context, t *chromedp.Target) error) {
	t.Helper()
	b.run(t, what, chromedp.Func(f))
}

// Eval evaluates a JavaScript expression in the page and decodes its value
// (awaiting it when it is a promise).
func Eval[T any](t testing.TB, b *Browser, expr string) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("evaluating %.80q: %v", expr, err)
	}
	return v
}

// VisitOption adjusts what Visit expects of a page.
type VisitOption func(*visit)

type visit struct {
	status int64
	sweep  bool
}

// Status makes Visit expect an HTTP status other than 200.
func Status(code int64) VisitOption { return func(v *visit) { v.status = code } }

// Sweep makes Visit lighter, for sweeps over many pages of one layout: axe
// runs at desktop width only and only the phone screenshot is taken (the
// sideways-scroll checks still run at both phone widths).
func Sweep() VisitOption { return func(v *visit) { v.sweep = true } }

// Visit loads a portal path, waits for the page (and htmx) to be ready, and
// checks it: axe-core at desktop and phone widths, desktop and phone
// screenshots, no sideways scrolling at 375 and 320 px.
// name labels the screenshots.
func (b *Browser) Visit(t *testing.T, name, path string, opts ...VisitOption) {
	t.Helper()
	v := visit{status: 200}
	for _, o := range opts {
		o(&v)
	}
	b.setViewport(t, desktop)
	b.console.reset()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	res, err := chromedp.Run(ctx, chromedp.NavigateResponse(b.URL(path)))
	if err != nil {
		t.Fatalf("%s: loading %s: %v", name, path, err)
	}
	if res.Status != v.status {
		t.Errorf("%s: GET %s answered %d %s, want %d", name, path, res.Status, res.StatusText, v.status)
	}
	b.console.expectStatus(res.URL, res.Status)
	b.check(t, name, v.sweep)
}

// Load loads a portal path without checking the page, for the steps of a
// journey that only lead somewhere. It returns the HTTP status.
func (b *Browser) Load(t *testing.T, path string) int64 {
	t.Helper()
	return b.Navigate(t, "loading "+path, chromedp.Navigate(b.URL(path)))
}

// Navigate runs steps that make the tab load another document (a link
// click, a plain form submission, Enter in a search box), waits for it to
// load, and returns its HTTP status. Check it afterwards with Check.
func (b *Browser) Navigate(t *testing.T, what string, steps ...chromedp.Action[chromedp.Void]) int64 {
	t.Helper()
	b.console.reset()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	res, err := chromedp.RunResponse(ctx, steps...)
	if err != nil {
		t.Fatalf("%s: waiting for the new page: %v", what, err)
	}
	b.console.expectStatus(res.URL, res.Status)
	b.waitReady(t)
	return res.Status
}

// Check checks the page as it is now, after a load or an in-page change:
// it waits until the page is ready, runs axe-core at desktop and phone
// widths, takes the desktop and phone screenshots, checks 375 and 320 px
// for sideways scrolling, and fails on JavaScript errors, CSP violations
// and failed requests the page logged.
func (b *Browser) Check(t *testing.T, name string) {
	t.Helper()
	b.check(t, name, false)
}

func (b *Browser) check(t *testing.T, name string, sweep bool) {
	t.Helper()
	b.waitReady(t)
	*b.seq++
	n := *b.seq
	b.runAxe(t, name, desktop)
	if !sweep {
		b.screenshot(t, n, name, desktop)
	}
	b.setViewport(t, phone)
	if !sweep {
		b.runAxe(t, name, phone) // the phone layout has its own controls (the Menu button)
	}
	b.screenshot(t, n, name, phone)
	b.checkNoSideScroll(t, name, phone)
	b.setViewport(t, smallPhone)
	b.checkNoSideScroll(t, name, smallPhone)
	b.setViewport(t, desktop)
	b.console.fail(t, name)
}

// CheckPhone checks the page as it is now at phone width only (axe,
// screenshot, sideways scrolling), for states that exist only on phones,
// such as the open navigation drawer. It leaves the phone viewport on.
func (b *Browser) CheckPhone(t *testing.T, name string) {
	t.Helper()
	b.setViewport(t, phone)
	*b.seq++
	b.runAxe(t, name, phone)
	b.screenshot(t, *b.seq, name, phone)
	b.checkNoSideScroll(t, name, phone)
	b.console.fail(t, name)
}

// Phone switches the tab to the phone viewport (375 px, mobile), for steps
// that only phones have, such as the Menu button. Visit switches back to
// desktop.
func (b *Browser) Phone(t testing.TB) { t.Helper(); b.setViewport(t, phone) }

// waitReady waits for the document to finish loading, for htmx and the
// portal's scripts (when JavaScript runs) and for web fonts.
func (b *Browser) waitReady(t testing.TB) {
	t.Helper()
	cond := `document.readyState === "complete"`
	if b.js {
		cond += ` && typeof window.htmx === "object" && !document.documentElement.classList.contains("no-js")`
	}
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	deadline := time.Now().Add(stepTimeout)
	for {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](cond))
		if err == nil && ok {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("page not ready after %s (%s): %v", stepTimeout, cond, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if b.js {
		Eval[chromedp.Void](t, b, `document.fonts.ready.then(() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r()))))`)
	}
}
