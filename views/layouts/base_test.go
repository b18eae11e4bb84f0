package layouts_test

import (
	"context"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/taxportal/portal/views"
	"github.com/taxportal/portal/views/layouts"
)

func TestBaseLayoutLandmarksAndBranding(t *testing.T) {
	p := views.Page{
		Title: "Help center",
		Brand: views.Brand{Agency: "Example Agency", Product: "Example Portal", Banner: "A demonstration site."},
		Nonce: "n0nce", CSRFToken: "tok",
		Asset:       func(name string) string { return "/static/v1/" + name },
		Nav:         []views.NavLink{{Label: "Help", URL: "/help", Current: true}},
		HomeURL:     "/",
		Breadcrumbs: []views.Crumb{{Label: "Home", URL: "/"}, {Label: "Help center"}},
	}
	var b strings.Builder
	if err := layouts.Base(p).Render(context.Background(), &b); err != nil {
		t.Fatal(err)
	}
	doc, _ := goquery.NewDocumentFromReader(strings.NewReader(b.String()))
	checks := map[string]int{
		`html[lang="en"]`:                                  1,
		`a.usa-skipnav[href="#main-content"]`:              1,
		`main#main-content`:                                1,
		`header.usa-header`:                                1,
		`footer.usa-footer`:                                1,
		`nav[aria-label="Primary"] a[aria-current="page"]`: 1,
		`.usa-breadcrumb li[aria-current="page"]`:          1,
		`script[nonce="n0nce"]`:                            4,
		`link[href="/static/v1/css/portal.css"]`:           1,
	}
	for sel, want := range checks {
		if got := doc.Find(sel).Length(); got != want {
			t.Errorf("%s: %d, want %d", sel, got, want)
		}
	}
	if title := doc.Find("title").Text(); title != "Help center | Example Portal" {
		t.Errorf("title %q", title)
	}
	if got := doc.Find(".usa-banner__header-text").Text(); got != "A demonstration site." {
		t.Errorf("banner %q", got)
	}
	if hx, _ := doc.Find("body").Attr("hx-headers"); hx != `{"X-CSRF-Token":"tok"}` {
		t.Errorf("hx-headers %q", hx)
	}
	if doc.Find("script:not([src])").Length() != 0 {
		t.Error("inline script in the layout; the CSP forbids it")
	}
}
