// Package browsertest drives the real portal in headless Chromium. Every page
// a journey visits is checked with axe-core (WCAG 2.0/2.1 A and AA, at desktop
// and phone widths), screenshotted at 1280 and 375 CSS pixels into
// screenshots/<journey>/<nn>-<name>-<desktop|phone>.png (git-ignored), checked
// for sideways scrolling at 375 and 320 pixels, and fails on JavaScript
// errors, CSP violations and failed requests the browser logs.
//
// The package holds only tests. Run them with
//
//	go test ./browsertest/ -v -count=1
//
// They skip when no Chromium is found (PORTAL_CHROMIUM, /usr/bin/chromium,
// chromium, chromium-browser, google-chrome), unless CI=true or
// PORTAL_REQUIRE_BROWSER=1 is set: then they fail. There is no list of
// tolerated problems: every axe violation fails the journey.
//
// A journey is a test function with one line per page:
//
//	p := portaltest.Start(t)
//	b := NewBrowser(t, p, "sign-in")
//	b.Visit(t, "sign-in", "/sign-in")             // load + all checks
//	b.Type(t, "#email", "ada@example.com")
//	b.Submit(t, "check-email", "form#sign-in")    // plain POST, then checks
//	b.Follow(t, "verify", `a[href="/verify"]`)    // link to another page, then checks
//	b.Click(t, "#show-more")                      // in-page control (htmx, accordion)
//	b.WaitFor(t, "#more")
//	b.Check(t, "more-shown")                      // checks the changed page
//	got := b.Text(t, "h1")
//
// See actions_test.go for the helpers and browser_test.go for Visit, Check
// and the options Status and Sweep.
package browsertest
