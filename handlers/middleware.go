package handlers

import (
	"crypto/rand"
	"encoding/base64"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/taxportal/portal/static"
)

const (
	staticRoute = static.Prefix + "*"
	ctxNonce    = "csp_nonce"
)

func isStatic(path string) bool { return strings.HasPrefix(path, static.Prefix) }

func isOperational(path string) bool {
	return path == "/healthz" || path == "/readyz" || path == "/metrics"
}

// headAsGet answers HEAD like GET (net/http drops the body), so uptime
// checkers and link checkers that ask HEAD get the page's real status.
func headAsGet(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if c.Request().Method == http.MethodHead {
			c.Request().Method = http.MethodGet
		}
		return next(c)
	}
}

// skipCSRF exempts what no form posts to: assets, operational endpoints,
// and the tax-software API, which authenticates with keys, not cookies.
func skipCSRF(c echo.Context) bool {
	p := c.Request().URL.Path
	return isStatic(p) || isOperational(p) || strings.HasPrefix(p, apiPrefix)
}

// securityHeaders sets the headers every response carries and a fresh CSP
// nonce per page. Pages are never cached: they carry CSRF tokens, nonces and,
// once signed in, personal data.
func (a *App) securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	hsts := a.cfg.IsProduction()
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(self), geolocation=(), microphone=(), payment=()")
		if hsts {
			h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		}
		if isStatic(c.Request().URL.Path) {
			return next(c)
		}
		nonce := newNonce()
		c.Set(ctxNonce, nonce)
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self' 'nonce-"+nonce+"'; "+
			"style-src 'self'; img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; "+
			"form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'")
		h.Set("Cache-Control", "no-store")
		return next(c)
	}
}

func newNonce() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return base64.RawStdEncoding.EncodeToString(b)
}

// observe renders any error into its page, then records the request in the
// metrics and writes one structured log line. It logs the route
// pattern and path but never the query string or body, where personal data
// could travel, nor cookies.
func (a *App) observe(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			c.Error(err) // render the error page now so the status below is the one sent
		}
		req, res := c.Request(), c.Response()
		took := time.Since(start)
		a.metrics.observe(routeLabel(c), req.Method, res.Status, took)
		if isStatic(req.URL.Path) && res.Status < 400 {
			return nil
		}
		level := slog.LevelInfo
		if res.Status >= 500 {
			level = slog.LevelError
		}
		a.log.LogAttrs(req.Context(), level, "request",
			slog.String("request_id", res.Header().Get(echo.HeaderXRequestID)),
			slog.String("method", req.Method),
			slog.String("route", routeLabel(c)),
			slog.String("path", req.URL.Path),
			slog.Int("status", res.Status),
			slog.Int64("bytes", res.Size),
			slog.Duration("duration", took),
			slog.String("remote_ip", c.RealIP()),
		)
		return nil
	}
}

// routeLabel is the matched route pattern, or "unmatched" for 404s, so logs
// and metrics do not grow a label per mistyped URL.
func routeLabel(c echo.Context) string {
	if p := c.Path(); p != "" && p != "/*" {
		return p
	}
	return "unmatched"
}

func (a *App) logPanic(c echo.Context, err error, stack []byte) error {
	a.log.Error("panic", slog.String("request_id", c.Response().Header().Get(echo.HeaderXRequestID)),
		slog.String("route", routeLabel(c)), slog.String("error", err.Error()), slog.String("stack", string(stack)))
	return err
}

// formLimit is the largest body of an ordinary form.
const formLimit = 1 << 20

// limitBody refuses bodies larger than a route needs before reading them:
// a form gets 1 MB; the photo upload its photo's limit. Bodies are also
// capped as they are read, whatever they claim to be.
func (a *App) limitBody(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		limit := int64(formLimit)
		if p := c.Path(); p == uploadPath || p == phoneUploadPath {
			limit = a.checker.Settings().MaxBytes + uploadOverhead
		}
		r := c.Request()
		if r.ContentLength > limit {
			return echo.ErrStatusRequestEntityTooLarge
		}
		r.Body = http.MaxBytesReader(c.Response(), r.Body, limit)
		return next(c)
	}
}
