package browsertest

import (
	"strings"
	"testing"

	"github.com/taxportal/portal/portaltest"
)

// TestLiveSearch types into the help search box and gets results from htmx
// in place, without a page load, with the URL kept shareable.
func TestLiveSearch(t *testing.T) {
	t.Parallel()
	p := portaltest.Start(t)
	b := NewBrowser(t, p, "search")

	b.Visit(t, "help", "/help")
	// A full page load would drop this marker.
	Eval[bool](t, b, `window.portalTestMarker = "same page"; true`)

	b.Type(t, "#help-q", "lost ip")
	b.WaitUntil(t, `(document.querySelector("#search-results #results-heading") || {}).textContent?.includes("lost ip")`)
	if got := Eval[string](t, b, `String(window.portalTestMarker)`); got != "same page" {
		t.Fatalf("the page reloaded instead of swapping in the results (marker = %q)", got)
	}
	first := b.Attr(t, "#search-results .usa-collection__heading a", "href")
	if first != "/help/lost-ip-pin" {
		t.Errorf("first result links to %q, want /help/lost-ip-pin", first)
	}
	if loc := b.Location(t); !strings.Contains(loc, "/help?q=") || !strings.Contains(loc, "lost") {
		t.Errorf("the URL was not updated with the query: %s", loc)
	}
	b.Check(t, "live-results")
}

// TestSearchWithoutJavaScript searches with scripts off: the form is a plain
// GET form, so Enter and the Search button both load /help?q=...
func TestSearchWithoutJavaScript(t *testing.T) {
	t.Parallel()
	p := portaltest.Start(t)
	b := NewBrowser(t, p, "search-no-js").WithoutJavaScript(t)

	b.Visit(t, "help", "/help")
	if !Eval[bool](t, b, `document.documentElement.classList.contains("no-js") && typeof window.htmx === "undefined"`) {
		t.Fatal("scripts ran in the tab that has JavaScript disabled")
	}

	b.Type(t, "#help-q", "ip pin")
	if status := b.SubmitWithEnter(t, "results-enter", "#help-q"); status != 200 {
		t.Errorf("search answered %d", status)
	}
	if loc := b.Location(t); !strings.HasSuffix(loc, "/help?q=ip+pin") {
		t.Errorf("Enter led to %s, want /help?q=ip+pin", loc)
	}
	checkResults(t, b, "ip pin")

	b.Load(t, "/help")
	b.Type(t, "#help-q", "refund")
	b.Submit(t, "results-button", `form[role="search"]`)
	if loc := b.Location(t); !strings.HasSuffix(loc, "/help?q=refund") {
		t.Errorf("the Search button led to %s, want /help?q=refund", loc)
	}
	checkResults(t, b, "refund")
}

// checkResults checks that the page shows results for q.
func checkResults(t *testing.T, b *Browser, q string) {
	t.Helper()
	if got := b.Text(t, "#results-heading"); !strings.Contains(got, "“"+q+"”") || strings.HasPrefix(got, "No ") {
		t.Errorf("results heading %q, want matches for %q", got, q)
	}
	if b.Count(t, "#search-results .usa-collection__item") == 0 {
		t.Errorf("no results listed for %q", q)
	}
}
