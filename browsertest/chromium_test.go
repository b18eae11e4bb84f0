package browsertest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// chromiumCandidates are tried in order after PORTAL_CHROMIUM.
var chromiumCandidates = []string{"/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome"}

// browserRequired reports whether a missing browser is a failure, not a skip:
// CI must never pass by silently skipping the browser tests.
func browserRequired() bool {
	return os.Getenv("CI") == "true" || os.Getenv("PORTAL_REQUIRE_BROWSER") == "1"
}

// chromiumPath finds the browser, or skips (fails on CI) when there is none.
func chromiumPath(t testing.TB) string {
	t.Helper()
	if p := os.Getenv("PORTAL_CHROMIUM"); p != "" {
		if found, err := exec.LookPath(p); err == nil {
			return found
		}
		t.Fatalf("PORTAL_CHROMIUM=%q is not an executable", p)
	}
	for _, c := range chromiumCandidates {
		if found, err := exec.LookPath(c); err == nil {
			return found
		}
	}
	const msg = "Chromium not found: install it with `apt-get install chromium` or set PORTAL_CHROMIUM; browser tests skipped"
	if browserRequired() {
		t.Fatal(msg + " (not skipped: CI=true or PORTAL_REQUIRE_BROWSER=1 is set)")
	}
	t.Skip(msg)
	return ""
}

// startChromium launches one headless browser for the test and returns the
// context of its first tab. The browser ends with the test.
func startChromium(t testing.TB) context.Context {
	t.Helper()
	path := chromiumPath(t)
	profile := t.TempDir() // made before the cleanups below, so removed after the browser exits
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(path),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("hide-scrollbars", true), // screenshots without scrollbars
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("font-render-hinting", "none"),
		chromedp.UserDataDir(profile),
	)
	ctx, cancelTab := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		cancelTab()
		cancelAlloc() // waits for the process to exit
	})
	if err := chromedp.Do(ctx); err != nil { // starts the browser, with no deadline
		t.Fatalf("starting Chromium at %s: %v", path, err)
	}
	return ctx
}

// TestMissingChromium checks the rule for a machine without a browser: skip
// on a laptop, fail on CI. It swaps the candidate list, so it is not parallel.
func TestMissingChromium(t *testing.T) {
	saved := chromiumCandidates
	chromiumCandidates = []string{"/nonexistent/chromium"}
	t.Cleanup(func() { chromiumCandidates = saved })
	t.Setenv("PORTAL_CHROMIUM", "")
	t.Setenv("PORTAL_REQUIRE_BROWSER", "")

	t.Setenv("CI", "")
	if r := lookUp(t); r.skipped == "" || r.failed != "" {
		t.Errorf("without CI: skipped %q, failed %q; want a skip", r.skipped, r.failed)
	} else if !strings.Contains(r.skipped, "apt-get install chromium") {
		t.Errorf("skip message %q does not say how to install Chromium", r.skipped)
	}
	t.Setenv("CI", "true")
	if r := lookUp(t); r.failed == "" {
		t.Errorf("with CI=true: skipped %q; want a failure", r.skipped)
	}
	t.Setenv("CI", "")
	t.Setenv("PORTAL_REQUIRE_BROWSER", "1")
	if r := lookUp(t); r.failed == "" {
		t.Errorf("with PORTAL_REQUIRE_BROWSER=1: skipped %q; want a failure", r.skipped)
	}
}

// recorder is a testing.TB that records Skip and Fatal instead of acting.
type recorder struct {
	testing.TB
	skipped, failed string
}

func (r *recorder) Helper()                   {}
func (r *recorder) Skip(args ...any)          { r.skipped = fmt.Sprint(args...); runtime.Goexit() }
func (r *recorder) Fatal(args ...any)         { r.failed = fmt.Sprint(args...); runtime.Goexit() }
func (r *recorder) Fatalf(f string, a ...any) { r.failed = fmt.Sprintf(f, a...); runtime.Goexit() }

// lookUp runs chromiumPath against a recorder.
func lookUp(t *testing.T) *recorder {
	r := &recorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if p := chromiumPath(r); p != "" {
			r.failed = "found " + p
		}
	}()
	<-done
	return r
}
