package handlers_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/taxportal/portal/portaltest"
)

func TestHomePageLeadsToTheFourTasks(t *testing.T) {
	p := portaltest.Start(t)
	page := p.Client(t).Get("/")
	if page.StatusCode != http.StatusOK {
		t.Fatalf("status %d", page.StatusCode)
	}
	for _, id := range []string{"task-create-account", "task-sign-in", "task-refund", "task-help"} {
		card := page.Doc.Find(`[data-testid="` + id + `"]`)
		if card.Length() != 1 {
			t.Errorf("home page has no %s card", id)
		}
		if href, _ := card.Find("a").Attr("href"); href == "" {
			t.Errorf("%s card has no link", id)
		}
	}
	if lang, _ := page.Doc.Find("html").Attr("lang"); lang != "en" {
		t.Errorf("html lang = %q", lang)
	}
	if href, _ := page.Doc.Find("a.usa-skipnav").Attr("href"); href != "#main-content" {
		t.Errorf("skip link goes to %q", href)
	}
	if page.Doc.Find("main#main-content").Length() != 1 {
		t.Error("no main#main-content for the skip link")
	}
	if got := page.Text(".usa-banner__header-text"); !strings.Contains(got, "demonstration") {
		t.Errorf("banner says %q; it must say plainly that this is a demonstration", got)
	}
	if title := page.Text("title"); !strings.Contains(title, "Taxpayer Portal") {
		t.Errorf("title %q", title)
	}
}

func TestEveryPageCarriesSecurityHeadersAndANonce(t *testing.T) {
	p := portaltest.Start(t)
	c := p.Client(t)
	first := c.Get("/help")
	second := c.Get("/help")
	csp := first.Header.Get("Content-Security-Policy")
	m := regexp.MustCompile(`'nonce-([^']+)'`).FindStringSubmatch(csp)
	if m == nil {
		t.Fatalf("CSP has no nonce: %q", csp)
	}
	for _, want := range []string{"frame-ancestors 'none'", "object-src 'none'", "base-uri 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP lacks %s: %q", want, csp)
		}
	}
	if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
		t.Errorf("CSP allows unsafe code: %q", csp)
	}
	if csp == second.Header.Get("Content-Security-Policy") {
		t.Error("two responses share one nonce")
	}
	scripts := first.Doc.Find("script")
	if scripts.Length() == 0 {
		t.Fatal("no scripts on the page")
	}
	scripts.Each(func(i int, s *goquery.Selection) {
		if n, _ := s.Attr("nonce"); n != m[1] {
			t.Errorf("script %d has nonce %q, want the header's", i, n)
		}
	})
	want := map[string]string{
		"X-Content-Type-Options": "nosniff",
		"X-Frame-Options":        "DENY",
		"Referrer-Policy":        "same-origin",
		"Cache-Control":          "no-store",
	}
	for k, v := range want {
		if got := first.Header.Get(k); got != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
	if first.Header.Get("Strict-Transport-Security") != "" {
		t.Error("HSTS is sent in development, where the portal runs on plain http")
	}
	if first.Header.Get("X-Request-Id") == "" {
		t.Error("no request id")
	}
}

func TestProductionSendsHSTSAndHostPrefixedSecureCookies(t *testing.T) {
	p := portaltest.Start(t, portaltest.Production())
	page := p.Client(t).Get("/")
	if got := page.Header.Get("Strict-Transport-Security"); !strings.Contains(got, "max-age=") {
		t.Errorf("HSTS = %q", got)
	}
	var csrf *http.Cookie
	for _, ck := range page.Cookies() {
		if ck.Name == "__Host-csrf" {
			csrf = ck
		}
	}
	if csrf == nil || !csrf.Secure || !csrf.HttpOnly || csrf.Path != "/" || csrf.Domain != "" {
		t.Errorf("CSRF cookie = %+v, want __Host-csrf, Secure, HttpOnly, path /, no domain", csrf)
	}
}

func TestDevelopmentPagesDoNotExistInProduction(t *testing.T) {
	prod := portaltest.Start(t, portaltest.Production())
	if got := prod.Client(t).Get("/dev").StatusCode; got != http.StatusNotFound {
		t.Errorf("production /dev status %d, want 404", got)
	}
}

func TestUnknownPageGetsAFriendly404(t *testing.T) {
	p := portaltest.Start(t)
	page := p.Client(t).Get("/no/such/page")
	if page.StatusCode != http.StatusNotFound {
		t.Fatalf("status %d", page.StatusCode)
	}
	if h := page.Text("h1"); h != "We can’t find that page" {
		t.Errorf("heading %q", h)
	}
	if page.Doc.Find(`[data-testid="error-page"] a[href="/help"]`).Length() != 1 {
		t.Error("404 page does not lead to help")
	}
}

func TestStateChangingRequestsNeedTheCSRFToken(t *testing.T) {
	p := portaltest.Start(t)
	c := p.Client(t)
	home := c.Get("/") // sets the CSRF cookie, as a first visit does

	noToken := c.PostForm("/", url.Values{"x": {"1"}})
	if noToken.StatusCode != http.StatusForbidden {
		t.Fatalf("POST without token: status %d, want 403", noToken.StatusCode)
	}
	if h := noToken.Text("h1"); h != "Your form expired" {
		t.Errorf("CSRF failure heading %q", h)
	}
	wrong := c.PostForm("/", url.Values{"_csrf": {"forged"}})
	if wrong.StatusCode != http.StatusForbidden {
		t.Errorf("POST with a forged token: status %d, want 403", wrong.StatusCode)
	}

	token := csrfFromHxHeaders(t, home)
	// With the right token the request gets past CSRF and meets the router:
	// there is no POST / route, so 405.
	if got := c.PostForm("/", url.Values{"_csrf": {token}}).StatusCode; got != http.StatusMethodNotAllowed {
		t.Errorf("POST with the form token: status %d, want 405", got)
	}
	if got := c.PostForm("/", nil, "X-CSRF-Token", token).StatusCode; got != http.StatusMethodNotAllowed {
		t.Errorf("POST with the htmx header token: status %d, want 405", got)
	}
	other := p.Client(t)
	other.Get("/")
	if got := other.PostForm("/", url.Values{"_csrf": {token}}).StatusCode; got != http.StatusForbidden {
		t.Errorf("another browser replaying the token: status %d, want 403", got)
	}
}

func csrfFromHxHeaders(t *testing.T, page *portaltest.Page) string {
	t.Helper()
	raw, _ := page.Doc.Find("body").Attr("hx-headers")
	m := regexp.MustCompile(`"X-CSRF-Token":"([^"]+)"`).FindStringSubmatch(raw)
	if m == nil {
		t.Fatalf("body hx-headers has no CSRF token: %q", raw)
	}
	return m[1]
}

func TestHTMLIsGzipped(t *testing.T) {
	p := portaltest.Start(t)
	req, _ := http.NewRequest(http.MethodGet, p.Server.URL+"/help/transaction-codes", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	res, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.Header.Get("Content-Encoding") != "gzip" {
		t.Errorf("Content-Encoding %q", res.Header.Get("Content-Encoding"))
	}
}
