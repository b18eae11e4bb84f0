package handlers

import (
	"bytes"
	"strconv"
	"strings"
	"sync"

	"github.com/klauspost/compress/gzip"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"github.com/taxportal/portal/views"
)

var bufferPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// render draws a page. An htmx request that is not a boosted navigation gets
// the fragment (the part of the page it asked to swap); everything else gets
// the full page. Pages render into a buffer first, so a failure halfway sends
// the error page instead of half a page.
func render(c echo.Context, status int, full, fragment templ.Component) error {
	comp := full
	if fragment != nil && isHTMX(c) {
		comp = fragment
	}
	buf := bufferPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer bufferPool.Put(buf)
	if err := comp.Render(templ.WithNonce(c.Request().Context(), nonce(c)), buf); err != nil {
		return err
	}
	c.Response().Header().Set("Vary", "HX-Request")
	return writeHTML(c, status, buf.Bytes())
}

// gzipPool holds writers at the fastest level: on a small HTML page it
// saves most of the bytes for a fraction of the default level's CPU, which
// would otherwise cost more than drawing the page.
var gzipPool = sync.Pool{New: func() any {
	w, _ := gzip.NewWriterLevel(nil, gzip.BestSpeed)
	return w
}}

// writeHTML sends a page, gzipped when the browser accepts it. Pages are
// compressed here, once, from the finished buffer, instead of by a
// streaming middleware.
func writeHTML(c echo.Context, status int, body []byte) error {
	h := c.Response().Header()
	h.Add("Vary", "Accept-Encoding")
	// The length up front lets net/http send the page in one write instead
	// of in chunks, and the browser read it in one go.
	if len(body) < 1024 || !strings.Contains(c.Request().Header.Get("Accept-Encoding"), "gzip") {
		h.Set(echo.HeaderContentLength, strconv.Itoa(len(body)))
		return c.HTMLBlob(status, body)
	}
	zbuf := bufferPool.Get().(*bytes.Buffer)
	zbuf.Reset()
	defer bufferPool.Put(zbuf)
	zw := gzipPool.Get().(*gzip.Writer)
	zw.Reset(zbuf)
	_, err := zw.Write(body)
	if cerr := zw.Close(); err == nil {
		err = cerr
	}
	gzipPool.Put(zw)
	if err != nil {
		return err
	}
	h.Set(echo.HeaderContentEncoding, "gzip")
	h.Set(echo.HeaderContentLength, strconv.Itoa(zbuf.Len()))
	return c.Blob(status, echo.MIMETextHTMLCharsetUTF8, zbuf.Bytes())
}

// htmxStopPolling is the status that tells htmx to stop a polling element
// (hx-trigger="every …"): the answer is final.
const htmxStopPolling = 286

// isHTMX reports whether the request came from htmx for a partial update.
func isHTMX(c echo.Context) bool {
	h := c.Request().Header
	return h.Get("HX-Request") == "true" && h.Get("HX-Boosted") != "true"
}

func nonce(c echo.Context) string {
	s, _ := c.Get(ctxNonce).(string)
	return s
}

// page is the layout's view model for this request.
func (a *App) page(c echo.Context, title string, crumbs ...views.Crumb) views.Page {
	path := c.Request().URL.Path
	nav := []views.NavLink{{Label: "Help", URL: a.reverse(RouteHelp)}}
	var sess *views.SessionInfo
	if account(c) != nil && aal(c) >= 1 {
		if aal(c) >= 2 {
			if account(c).IsVerifiedTaxpayer() {
				nav = append(nav, views.NavLink{Label: "Dashboard", URL: a.reverse(RouteDashboard)})
			}
			nav = append(nav, views.NavLink{Label: "Your account", URL: a.reverse(RouteAccount)})
		}
		sess = &views.SessionInfo{
			SignOutAction: a.reverse(RouteSignOut),
			IdleSeconds:   int(a.cfg.SessionIdleTimeout.Seconds()),
			WarnSeconds:   int(min(a.cfg.SessionIdleTimeout, timeoutWarning).Seconds()),
			KeepAliveURL:  a.reverse(RouteKeepAlive),
			StatusURL:     a.reverse(RouteSessionStatus),
			EndedURL:      a.reverse(RouteSignedOut) + "?reason=idle",
		}
	} else {
		nav = append(nav, views.NavLink{Label: "Create account", URL: a.reverse(RouteSignUp)},
			views.NavLink{Label: "Sign in", URL: a.reverse(RouteSignIn)})
	}
	for i := range nav {
		nav[i].Current = path == nav[i].URL || (len(path) > len(nav[i].URL) && path[:len(nav[i].URL)+1] == nav[i].URL+"/")
	}
	footer := []views.NavLink{
		{Label: "Home", URL: a.reverse(RouteHome)},
		{Label: "Help center", URL: a.reverse(RouteHelp)},
		{Label: "Avoid scams", URL: a.reverse(RouteHelpArticle, "avoid-scams")},
	}
	return views.Page{
		Title:       title,
		Brand:       a.brand,
		Nonce:       nonce(c),
		CSRFToken:   a.csrfToken(c),
		Asset:       a.assets.Path,
		Nav:         nav,
		Footer:      footer,
		HomeURL:     a.reverse(RouteHome),
		Breadcrumbs: crumbs,
		Development: !a.cfg.IsProduction(),
		Session:     sess,
	}
}
