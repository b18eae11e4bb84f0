package handlers

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net/http"

	"github.com/gorilla/sessions"
	"github.com/labstack/echo/v4"
)

// csrfGuard refuses a state-changing request that does not carry the
// browser's token. Each browser holds a random secret in an HttpOnly
// cookie; its token is an HMAC of that secret and the id of the browser's
// signed-in session (none before signing in), so a token works for one
// browser and one sign-in: signing in or out starts a new session and new
// tokens, and a token planted from elsewhere is of no use without the
// session's id. The token is read from the X-CSRF-Token header (htmx) or
// the _csrf field of the body, never from the query string, where it could
// leak. It runs after loadAccount, which finds the session.
type csrfGuard struct {
	key    []byte // from the secret key, for this purpose only
	cookie string // the secret's cookie
	secure bool
}

const (
	ctxCSRFSecret  = "csrf_secret"
	csrfHeader     = "X-CSRF-Token"
	csrfField      = "_csrf"
	csrfSecretSize = 32
	csrfCookieAge  = 24 * 60 * 60
)

func (g csrfGuard) middleware(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if skipCSRF(c) {
			return next(c)
		}
		secret := g.secret(c)
		if secret == nil {
			secret = make([]byte, csrfSecretSize)
			_, _ = rand.Read(secret)
		}
		c.Set(ctxCSRFSecret, secret)
		// Sent on every page, so the cookie lives as long as the browser
		// keeps using the portal.
		c.SetCookie(&http.Cookie{Name: g.cookie, Value: base64.RawURLEncoding.EncodeToString(secret), Path: "/",
			MaxAge: csrfCookieAge, Secure: g.secure, HttpOnly: true, SameSite: http.SameSiteLaxMode})
		switch c.Request().Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace:
			return next(c)
		}
		sent := c.Request().Header.Get(csrfHeader)
		if sent == "" {
			sent = c.Request().PostFormValue(csrfField)
		}
		want := g.token(secret, boundSession(c, false))
		if sent == "" || subtle.ConstantTimeCompare([]byte(sent), []byte(want)) != 1 {
			return echo.NewHTTPError(http.StatusForbidden, errCSRF)
		}
		return next(c)
	}
}

// secret is the browser's secret from its cookie, or nil.
func (g csrfGuard) secret(c echo.Context) []byte {
	ck, err := c.Cookie(g.cookie)
	if err != nil {
		return nil
	}
	b, err := base64.RawURLEncoding.DecodeString(ck.Value)
	if err != nil || len(b) != csrfSecretSize {
		return nil
	}
	return b
}

// boundSession is the id of the signed-in session a token is bound to, ""
// when signed out. For a response (leaving true), it is the session the
// browser holds once the response arrives: a new one after signing in, none
// after signing out.
func boundSession(c echo.Context, leaving bool) string {
	s, ok := c.Get(ctxSession).(*sessions.Session)
	if !ok || account(c) == nil || leaving && s.Options != nil && s.Options.MaxAge < 0 {
		return ""
	}
	return s.ID
}

func (g csrfGuard) token(secret []byte, sessionID string) string {
	m := hmac.New(sha256.New, g.key)
	m.Write(secret)
	m.Write([]byte{0})
	m.Write([]byte(sessionID))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// csrfToken is the token for the forms of this response.
func (a *App) csrfToken(c echo.Context) string {
	secret, _ := c.Get(ctxCSRFSecret).([]byte)
	if secret == nil {
		return ""
	}
	return a.csrf.token(secret, boundSession(c, true))
}
