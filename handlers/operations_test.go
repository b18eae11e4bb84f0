package handlers_test

import (
	"compress/gzip"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/taxportal/portal/config"
	"github.com/taxportal/portal/models"
	"github.com/taxportal/portal/portaltest"
)

func TestHealthReadinessAndMetrics(t *testing.T) {
	p := portaltest.Start(t)
	c := p.Client(t)
	if got := c.Get("/healthz"); got.StatusCode != http.StatusOK {
		t.Errorf("/healthz status %d", got.StatusCode)
	}
	if got := c.Get("/readyz"); got.StatusCode != http.StatusOK || !strings.Contains(got.Body, `"database":"ok"`) {
		t.Errorf("/readyz status %d body %s", got.StatusCode, got.Body)
	}
	c.Get("/help")
	metrics := c.Get("/metrics").Body
	for _, want := range []string{
		`portal_http_requests_total{method="GET",route="/help",status="200"}`,
		`portal_http_request_duration_seconds_bucket{route="/help"`,
		`go_sql_max_open_connections{db_name="portal"}`,
	} {
		if !strings.Contains(metrics, want) {
			t.Errorf("metrics lack %s", want)
		}
	}

	models.Close(p.DB)
	if got := c.Get("/readyz"); got.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("/readyz with the database gone: status %d, want 503", got.StatusCode)
	}
	if got := c.Get("/healthz"); got.StatusCode != http.StatusOK {
		t.Errorf("/healthz must not depend on the database: status %d", got.StatusCode)
	}
}

func TestStaticFilesAreVersionedCachedAndCompressed(t *testing.T) {
	p := portaltest.Start(t)
	home := p.Client(t).Get("/")
	href, _ := home.Doc.Find(`link[rel="stylesheet"][href*="uswds.min.css"]`).Attr("href")
	if !strings.HasPrefix(href, "/static/") || !strings.Contains(href, "/vendor/uswds/css/uswds.min.css") {
		t.Fatalf("stylesheet href %q", href)
	}
	req, _ := http.NewRequest(http.MethodGet, p.Server.URL+href, nil)
	req.Header.Set("Accept-Encoding", "gzip")
	res, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d", res.StatusCode)
	}
	if got := res.Header.Get("Cache-Control"); got != "public, max-age=31536000, immutable" {
		t.Errorf("Cache-Control %q", got)
	}
	if res.Header.Get("Content-Encoding") != "gzip" || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/css") {
		t.Errorf("encoding %q type %q", res.Header.Get("Content-Encoding"), res.Header.Get("Content-Type"))
	}
	zr, err := gzip.NewReader(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	css, _ := io.ReadAll(zr)
	if !strings.Contains(string(css), ".usa-banner") {
		t.Error("the gzipped stylesheet is not USWDS")
	}

	stale := "/static/oldversion/" + strings.SplitN(strings.TrimPrefix(href, "/static/"), "/", 2)[1]
	old := p.Client(t).Get(stale)
	if old.StatusCode != http.StatusOK || old.Header.Get("Cache-Control") != "no-cache" {
		t.Errorf("an old version's file: status %d, Cache-Control %q", old.StatusCode, old.Header.Get("Cache-Control"))
	}
	if got := p.Client(t).Get("/static/" + "x/nope.css").StatusCode; got != http.StatusNotFound {
		t.Errorf("unknown asset: status %d", got)
	}
}

func TestPanicsBecomeAFriendlyPageWithAReference(t *testing.T) {
	p := portaltest.Start(t)
	p.Echo.GET("/boom", func(echo.Context) error { panic("kaboom") })
	page := p.Client(t).Get("/boom")
	if page.StatusCode != http.StatusInternalServerError {
		t.Fatalf("status %d", page.StatusCode)
	}
	if h := page.Text("h1"); h != "Something went wrong on our side" {
		t.Errorf("heading %q", h)
	}
	ref := page.Header.Get("X-Request-Id")
	if ref == "" || !strings.Contains(page.Body, ref) {
		t.Error("the error page does not show the request id to quote")
	}
	if !strings.Contains(p.Logs.String(), ref) || !strings.Contains(p.Logs.String(), "kaboom") {
		t.Error("the panic is not logged with its request id")
	}
	if strings.Contains(page.Body, "kaboom") || strings.Contains(page.Body, "goroutine") {
		t.Error("internals leaked to the page")
	}
}

func TestLargeBodiesAreRefused(t *testing.T) {
	p := portaltest.Start(t)
	big := strings.Repeat("a", 2<<20)
	page := p.Client(t).PostForm("/", map[string][]string{"x": {big}})
	if page.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("status %d, want 413", page.StatusCode)
	}
	if h := page.Text("h1"); h != "That was too large to send" {
		t.Errorf("heading %q", h)
	}
}

func TestLogsLeaveOutQueryStringsAndCookies(t *testing.T) {
	p := portaltest.Start(t)
	c := p.Client(t)
	c.Get("/help?q=" + "987-65-4320")
	c.Get("/help?q=" + "1985-04-12")
	logs := p.Logs.String()
	if !strings.Contains(logs, `"route":"/help"`) {
		t.Fatalf("no access log line for /help:\n%s", logs)
	}
	for _, secret := range []string{"987-65-4320", "1985-04-12", "csrf="} {
		if strings.Contains(logs, secret) {
			t.Errorf("logs contain %q", secret)
		}
	}
}

func TestClientAddressComesFromTrustedProxiesOnly(t *testing.T) {
	_, lb, _ := net.ParseCIDR("127.0.0.0/8")
	p := portaltest.Start(t, func(c *config.Config) { c.TrustedProxies = []*net.IPNet{lb} })
	c := p.Client(t)
	c.Get("/help", "X-Forwarded-For", "203.0.113.9")
	if !strings.Contains(p.Logs.String(), `"remote_ip":"203.0.113.9"`) {
		t.Error("behind a trusted proxy the forwarded address is not used")
	}
	direct := portaltest.Start(t)
	direct.Client(t).Get("/help", "X-Forwarded-For", "203.0.113.9")
	if strings.Contains(direct.Logs.String(), "203.0.113.9") {
		t.Error("a forwarded address was believed without a trusted proxy")
	}
}
