package helpcenter

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/taxportal/portal/content"
)

func load(t *testing.T) *Center {
	t.Helper()
	c, err := Load(content.Help, "help")
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestShippedArticlesLoadAndCoverEveryCategory(t *testing.T) {
	c := load(t)
	if n := len(c.Articles()); n < 15 {
		t.Errorf("%d articles; the help center promises at least 15", n)
	}
	for _, cat := range Categories {
		if len(c.InCategory(cat.ID)) == 0 {
			t.Errorf("category %s has no articles", cat.ID)
		}
	}
	for _, a := range c.Articles() {
		if strings.Contains(a.HTML, "<script") {
			t.Errorf("%s renders a script tag", a.Slug)
		}
		for _, href := range internalLinks(a.HTML) {
			if _, ok := c.Article(strings.TrimPrefix(href, "/help/")); !ok && !strings.HasPrefix(href, "/help/topics/") {
				t.Errorf("%s links to missing article %s", a.Slug, href)
			}
		}
	}
}

func internalLinks(html string) []string {
	var out []string
	for _, part := range strings.Split(html, `href="/help/`)[1:] {
		out = append(out, "/help/"+part[:strings.Index(part, `"`)])
	}
	return out
}

func TestSearchRanksTitlesFirstAndNeedsEveryWord(t *testing.T) {
	c := load(t)
	cases := map[string]string{
		"lost ip pin":       "lost-ip-pin",
		"transaction codes": "transaction-codes",
		"forgot password":   "forgot-password",
		"video call":        "video-call-verification",
		"refund hold":       "refund-on-hold",
		"scam":              "avoid-scams",
		"verif":             "", // a prefix while typing must find something
	}
	for q, want := range cases {
		res := c.Search(q, 10)
		if len(res) == 0 {
			t.Errorf("%q: no results", q)
			continue
		}
		if want != "" && res[0].Article.Slug != want {
			t.Errorf("%q: first result %s, want %s", q, res[0].Article.Slug, want)
		}
	}
	if res := c.Search("zzzz qqqq", 10); len(res) != 0 {
		t.Errorf("nonsense found %d results", len(res))
	}
	if res := c.Search("refund zzzznotaword", 10); len(res) != 0 {
		t.Error("a query matched although one of its words appears nowhere")
	}
	if res := c.Search("the and of", 10); len(res) != 0 {
		t.Error("stop words alone matched")
	}
	if res := c.Search("570", 10); len(res) == 0 {
		t.Error("a transaction code is not searchable")
	}
	if res := c.Search("refund", 3); len(res) != 3 {
		t.Errorf("limit not applied: %d", len(res))
	}
}

func TestBrokenContentIsRejected(t *testing.T) {
	cases := map[string]string{
		"no front matter":  "# Title\n",
		"unknown category": "---\ntitle: T\ncategory: nope\nsummary: S\n---\nBody\n",
		"missing summary":  "---\ntitle: T\ncategory: refunds\n---\nBody\n",
		"missing related":  "---\ntitle: T\ncategory: refunds\nsummary: S\nrelated: [ghost]\n---\nBody\n",
	}
	for name, src := range cases {
		if src == "" {
			continue
		}
		fsys := fstest.MapFS{"help/a.md": {Data: []byte(src)}}
		if _, err := Load(fsys, "help"); err == nil {
			t.Errorf("%s: loaded", name)
		}
	}
	fsys := fstest.MapFS{"help/a.md": {Data: []byte("---\ntitle: T\ncategory: refunds\nsummary: S\n---\nHi <script>alert(1)</script>\n")}}
	c, err := Load(fsys, "help")
	if err != nil {
		t.Fatal(err)
	}
	if a, _ := c.Article("a"); strings.Contains(a.HTML, "<script>") {
		t.Error("raw HTML in Markdown was passed through")
	}
}

func TestRelatedIsToppedUpFromTheCategory(t *testing.T) {
	c := load(t)
	a, _ := c.Article("lost-ip-pin")
	rel := c.RelatedTo(a, 5)
	if len(rel) == 0 || len(rel) > 5 {
		t.Fatalf("%d related", len(rel))
	}
	for _, r := range rel {
		if r.Slug == a.Slug {
			t.Error("an article is related to itself")
		}
	}
}
