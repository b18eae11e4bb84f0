package portaltest

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// Client is a browser-like HTTP client: it keeps cookies, does not follow
// redirects (tests look at them), and reads pages with goquery.
type Client struct {
	t    testing.TB
	base string
	HTTP *http.Client
}

// Client returns a new browser for the portal, with an empty cookie jar.
func (p *Portal) Client(t testing.TB) *Client {
	jar, _ := cookiejar.New(nil)
	return &Client{t: t, base: p.Server.URL, HTTP: &http.Client{
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// URL is the absolute address of a path on the portal, for requests made
// with the HTTP client directly (from several goroutines, say).
func (c *Client) URL(path string) string { return c.base + path }

// Page is a response with its parsed document.
type Page struct {
	*http.Response
	Body string
	Doc  *goquery.Document
}

// Do sends a request and reads the whole response.
func (c *Client) Do(req *http.Request) *Page {
	c.t.Helper()
	res, err := c.HTTP.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(string(body)))
	if err != nil {
		c.t.Fatal(err)
	}
	return &Page{Response: res, Body: string(body), Doc: doc}
}

// Get fetches a path.
func (c *Client) Get(path string, headers ...string) *Page {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodGet, c.base+path, nil)
	if err != nil {
		c.t.Fatal(err)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return c.Do(req)
}

// PostForm posts form values to a path.
func (c *Client) PostForm(path string, values url.Values, headers ...string) *Page {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodPost, c.base+path, strings.NewReader(values.Encode()))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return c.Do(req)
}

// Submit fills the form matched by selector on a page with its own hidden
// fields (the CSRF token among them) plus the given values, and posts it to
// its action, as a browser would.
func (c *Client) Submit(p *Page, selector string, values url.Values) *Page {
	c.t.Helper()
	form := p.Doc.Find(selector).First()
	if form.Length() == 0 {
		c.t.Fatalf("no form %q on the page", selector)
	}
	all := url.Values{}
	form.Find("input[type=hidden]").Each(func(_ int, s *goquery.Selection) {
		name, _ := s.Attr("name")
		value, _ := s.Attr("value")
		all.Set(name, value)
	})
	for k, v := range values {
		all[k] = v
	}
	action, _ := form.Attr("action")
	return c.PostForm(action, all)
}

// Text is the trimmed text of the first element matching selector.
func (p *Page) Text(selector string) string {
	return strings.TrimSpace(p.Doc.Find(selector).First().Text())
}
