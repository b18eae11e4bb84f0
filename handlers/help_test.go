package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/taxportal/portal/helpcenter"
	"github.com/taxportal/portal/portaltest"
)

func TestHelpCenterListsEveryCategory(t *testing.T) {
	p := portaltest.Start(t)
	page := p.Client(t).Get("/help")
	if page.StatusCode != http.StatusOK {
		t.Fatalf("status %d", page.StatusCode)
	}
	for _, c := range helpcenter.Categories {
		card := page.Doc.Find(`[data-testid="category-` + c.ID + `"]`)
		if card.Length() != 1 {
			t.Errorf("no card for category %s", c.ID)
			continue
		}
		href, _ := card.Find("a").Attr("href")
		cat := p.Client(t).Get(href)
		if cat.StatusCode != http.StatusOK || cat.Text("h1") != c.Title {
			t.Errorf("%s: status %d, heading %q", href, cat.StatusCode, cat.Text("h1"))
		}
		if cat.Doc.Find(".usa-collection__item").Length() == 0 {
			t.Errorf("%s lists no articles", href)
		}
	}
	if got := page.Doc.Find(".usa-breadcrumb__list-item").Length(); got != 2 {
		t.Errorf("breadcrumb has %d items, want Home > Help center", got)
	}
}

func TestSearchWorksAsAPlainFormAndAsAnHTMXFragment(t *testing.T) {
	p := portaltest.Start(t)
	c := p.Client(t)

	plain := c.Get("/help?q=" + url.QueryEscape("lost ip pin"))
	if plain.StatusCode != http.StatusOK || plain.Doc.Find("html").Length() == 0 {
		t.Fatalf("plain search: status %d", plain.StatusCode)
	}
	first, _ := plain.Doc.Find(`[data-testid="search-results"] .usa-collection__heading a`).First().Attr("href")
	if first != "/help/lost-ip-pin" {
		t.Errorf("first result for 'lost ip pin' is %q, want /help/lost-ip-pin", first)
	}
	if v, _ := plain.Doc.Find("#help-q").Attr("value"); v != "lost ip pin" {
		t.Errorf("search box lost the query: %q", v)
	}

	frag := c.Get("/help?q=refund", "HX-Request", "true")
	if strings.Contains(frag.Body, "<html") || strings.Contains(frag.Body, "usa-banner") {
		t.Error("htmx search returned the whole page, not the results fragment")
	}
	if frag.Doc.Find(`[data-testid="search-results"] .usa-collection__item`).Length() == 0 {
		t.Error("htmx search fragment has no results")
	}
	if frag.Header.Get("Vary") == "" {
		t.Error("fragment and page share a URL, so responses must vary on HX-Request")
	}

	boosted := c.Get("/help?q=refund", "HX-Request", "true", "HX-Boosted", "true")
	if !strings.Contains(boosted.Body, "<html") {
		t.Error("a boosted navigation must get the full page")
	}

	none := c.Get("/help?q=zzzzqqq")
	if h := none.Text("#results-heading"); !strings.Contains(h, "No articles match") {
		t.Errorf("no-results heading %q", h)
	}
	if none.Doc.Find(`#search-results a[href="/help"]`).Length() == 0 {
		t.Error("no-results page offers no way on")
	}
}

func TestSearchEscapesWhatWasTyped(t *testing.T) {
	p := portaltest.Start(t)
	page := p.Client(t).Get("/help?q=" + url.QueryEscape(`<script>alert(1)</script>`))
	if strings.Contains(page.Body, "<script>alert(1)") {
		t.Fatal("the query was echoed unescaped")
	}
	long := p.Client(t).Get("/help?q=" + strings.Repeat("a", 5000))
	if long.StatusCode != http.StatusOK {
		t.Errorf("a very long query: status %d", long.StatusCode)
	}
}

func TestArticlePageShowsBodyBreadcrumbsAndRelated(t *testing.T) {
	p := portaltest.Start(t)
	page := p.Client(t).Get("/help/lost-ip-pin")
	if page.StatusCode != http.StatusOK {
		t.Fatalf("status %d", page.StatusCode)
	}
	if !strings.Contains(page.Text(`[data-testid="article"]`), "800-908-4490") {
		t.Error("the lost IP PIN article does not give the phone line")
	}
	if page.Doc.Find(".portal-related a").Length() < 2 {
		t.Error("fewer than two related articles")
	}
	if got := page.Doc.Find(".usa-breadcrumb__list-item").Length(); got != 4 {
		t.Errorf("breadcrumb has %d items, want Home > Help > category > article", got)
	}
	if desc, _ := page.Doc.Find(`meta[name="description"]`).Attr("content"); desc == "" {
		t.Error("article has no meta description")
	}
	for _, path := range []string{"/help/no-such-article", "/help/topics/no-such-topic"} {
		if got := p.Client(t).Get(path).StatusCode; got != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", path, got)
		}
	}
}
