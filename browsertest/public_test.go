package browsertest

import (
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/taxportal/portal/portaltest"
)

// helpCategories are the help center's topics, in the order it lists them.
var helpCategories = []string{"account", "identity", "ip-pin", "records", "refunds", "safety"}

// TestPublicPages visits every kind of public page once.
func TestPublicPages(t *testing.T) {
	t.Parallel()
	p := portaltest.Start(t)
	b := NewBrowser(t, p, "public")

	b.Visit(t, "home", "/")
	if got := b.Text(t, "h1"); got != "Your tax account, in one secure place" {
		t.Errorf("home heading = %q", got)
	}

	b.Visit(t, "help", "/help")
	var listed []string
	for _, href := range b.Links(t, `[data-testid^="category-"] a`) {
		listed = append(listed, strings.TrimPrefix(pathOf(t, href), "/help/topics/"))
	}
	if !slices.Equal(listed, helpCategories) {
		t.Errorf("help center lists topics %v, want %v", listed, helpCategories)
	}
	for _, id := range helpCategories {
		b.Visit(t, "topic-"+id, "/help/topics/"+id)
		if n := b.Count(t, ".usa-collection__item"); n == 0 {
			t.Errorf("topic %s lists no articles", id)
		}
	}

	for _, slug := range []string{"transaction-codes", "lost-ip-pin", "refund-on-hold", "verification-steps"} {
		b.Visit(t, "article-"+slug, "/help/"+slug)
		if b.Count(t, `[data-testid="article"] h1`) != 1 {
			t.Errorf("/help/%s has no article heading", slug)
		}
	}

	b.Visit(t, "search-ip-pin", "/help?q=ip+pin")
	if got := b.Text(t, "#results-heading"); !strings.Contains(got, "match “ip pin”") || strings.HasPrefix(got, "No ") {
		t.Errorf("search for ip pin: heading %q", got)
	}
	if b.Count(t, "#search-results .usa-collection__item") == 0 {
		t.Error("search for ip pin found nothing")
	}
	if got := b.Attr(t, "#help-q", "value"); got != "ip pin" {
		t.Errorf("search box keeps %q, want the query", got)
	}

	b.Visit(t, "search-no-results", "/help?q=zzzz")
	if got := b.Text(t, "#results-heading"); got != "No articles match “zzzz”" {
		t.Errorf("search for zzzz: heading %q", got)
	}

	b.Visit(t, "not-found", "/no-such-page", Status(404))
	if b.Count(t, `[data-testid="error-page"] h1`) != 1 {
		t.Error("404 page has no error heading")
	}
}

// TestEveryHelpArticle finds every article through the help center's own
// links (help center, then each topic) and checks each one.
func TestEveryHelpArticle(t *testing.T) {
	t.Parallel()
	p := portaltest.Start(t)
	b := NewBrowser(t, p, "articles")

	b.Load(t, "/help")
	topics := b.Links(t, `[data-testid^="category-"] a`)
	if len(topics) == 0 {
		t.Fatal("the help center links to no topics")
	}
	var articles []string
	for _, topic := range topics {
		b.Load(t, pathOf(t, topic))
		links := b.Links(t, ".usa-collection__heading a")
		if len(links) == 0 {
			t.Errorf("topic %s lists no articles", topic)
		}
		for _, l := range links {
			if a := pathOf(t, l); !slices.Contains(articles, a) {
				articles = append(articles, a)
			}
		}
	}
	t.Logf("%d topics link to %d articles", len(topics), len(articles))
	for _, a := range articles {
		b.Visit(t, strings.TrimPrefix(a, "/help/"), a, Sweep())
	}
}

// pathOf is the path and query of an absolute URL.
func pathOf(t testing.TB, href string) string {
	t.Helper()
	u, err := url.Parse(href)
	if err != nil {
		t.Fatalf("bad link %q: %v", href, err)
	}
	return u.RequestURI()
}
