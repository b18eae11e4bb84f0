package help_test

import (
	"context"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/a-h/templ"

	"github.com/taxportal/portal/views"
	"github.com/taxportal/portal/views/help"
)

func render(t *testing.T, c templ.Component) *goquery.Document {
	t.Helper()
	var b strings.Builder
	if err := c.Render(context.Background(), &b); err != nil {
		t.Fatal(err)
	}
	doc, _ := goquery.NewDocumentFromReader(strings.NewReader(b.String()))
	return doc
}

func TestResultsSayHowManyMatchedAndOfferAWayOnWhenNone(t *testing.T) {
	s := help.SearchView{Action: "/help", Query: "pin", Asked: true, Results: []help.ArticleLink{
		{Title: "Lost IP PIN", Summary: "What to do", URL: "/help/lost-ip-pin"},
		{Title: "Get your IP PIN", Summary: "Online", URL: "/help/get-your-ip-pin"},
	}}
	doc := render(t, help.Results(s))
	if h := strings.TrimSpace(doc.Find("#results-heading").Text()); h != "2 articles match “pin”" {
		t.Errorf("heading %q", h)
	}
	if doc.Find(".usa-collection__item").Length() != 2 {
		t.Error("results not listed")
	}
	s.Results = nil
	none := render(t, help.Results(s))
	if !strings.Contains(none.Text(), "No articles match") || none.Find(`a[href="/help"]`).Length() != 1 {
		t.Error("no-results view gives no way on")
	}
	if render(t, help.Results(help.SearchView{})).Find("section").Length() != 0 {
		t.Error("results drawn before anything was asked")
	}
}

func TestArticleShowsBodyAndRelated(t *testing.T) {
	p := views.Page{Asset: func(s string) string { return s }}
	a := help.ArticleView{
		Title: "Lost IP PIN", Summary: "S", HTML: "<h2 id=\"call\">Call us</h2><p>800-908-4490</p>",
		Category: help.CategoryView{Title: "Identity Protection PIN", URL: "/help/topics/ip-pin"},
		Related:  []help.ArticleLink{{Title: "What an IP PIN is", URL: "/help/what-is-an-ip-pin"}},
	}
	doc := render(t, help.Article(p, a))
	if doc.Find(`[data-testid="article"] h1`).Text() != "Lost IP PIN" {
		t.Error("title missing")
	}
	if doc.Find(`[data-testid="article"] h2#call`).Length() != 1 {
		t.Error("article body not rendered")
	}
	if doc.Find(`aside a[href="/help/what-is-an-ip-pin"]`).Length() != 1 || doc.Find(`aside a[href="/help/topics/ip-pin"]`).Length() != 1 {
		t.Error("related or category link missing")
	}
}
