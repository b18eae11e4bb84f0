package handlers

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gorilla/sessions"
	"github.com/labstack/echo/v4"

	"github.com/taxportal/portal/accounts"
	"github.com/taxportal/portal/models"
	"github.com/taxportal/portal/session"
	"github.com/taxportal/portal/views"
)

// Session values. The account id itself is session.KeyAccountID.
const (
	// keyAAL is how far the holder got: 1 after the password (or after
	// confirming a new address), 2 after a second factor too.
	keyAAL = "aal"
	// keyAuthAt is when the holder last proved both factors (unix seconds),
	// for actions that need a recent sign-in.
	keyAuthAt = "auth_at"
	// keyReturnTo is where to go after signing in or proving it again.
	keyReturnTo = "return_to"
	// keyPendingEmail is the address a sign-up in this browser is waiting
	// to confirm.
	keyPendingEmail = "pending_email"
)

// Context keys.
const (
	ctxSession = "session"
	ctxAccount = "account"
)

// recentAuth is how fresh a sign-in must be for sensitive actions.
const recentAuth = 20 * time.Minute

// sessionStatusPath is asked by the timeout warning; it must not count as
// activity, or the warning would keep the session alive by itself.
const sessionStatusPath = "/session/status"

// notActivity tells the requests that do not keep a session alive: the
// timeout warning's question, and the requests an open page makes by
// itself on a timer.
func notActivity(c echo.Context) bool {
	return c.Path() == sessionStatusPath || c.Request().Header.Get(views.PollHeader) != ""
}

// touchEvery limits writes: a session's last-seen time moves at most once a
// minute, which is precise enough for a 15-minute idle limit.
const touchEvery = time.Minute

// loadAccount finds the signed-in account, if any, for every page. A visitor
// without a session cookie costs nothing: no cookie, no query.
func (a *App) loadAccount(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if _, err := c.Cookie(a.sessions.CookieName()); err != nil {
			return next(c)
		}
		sess, err := a.sessions.Get(c.Request(), a.sessions.CookieName())
		if err != nil {
			return err
		}
		c.Set(ctxSession, sess)
		// The account comes with the session, in one statement; a session
		// whose account is gone counts as signed out.
		if acct := session.Account(sess); acct != nil {
			c.Set(ctxAccount, acct)
		}
		if !sess.IsNew && a.now().Sub(session.LastSeen(sess)) >= touchEvery && !notActivity(c) {
			if err := sess.Save(c.Request(), c.Response()); err != nil {
				return err
			}
		}
		return next(c)
	}
}

// sessionOf returns the request's session, starting one if needed.
func (a *App) sessionOf(c echo.Context) (*sessions.Session, error) {
	if s, ok := c.Get(ctxSession).(*sessions.Session); ok {
		return s, nil
	}
	s, err := a.sessions.Get(c.Request(), a.sessions.CookieName())
	if err != nil {
		return nil, err
	}
	c.Set(ctxSession, s)
	return s, nil
}

// account is the account the session belongs to (at any level), or nil.
func account(c echo.Context) *models.Account {
	acct, _ := c.Get(ctxAccount).(*models.Account)
	return acct
}

func aal(c echo.Context) int {
	s, ok := c.Get(ctxSession).(*sessions.Session)
	if !ok {
		return 0
	}
	n, _ := s.Values[keyAAL].(int)
	return n
}

// signedIn is the fully signed-in account (password and second factor), or nil.
func signedIn(c echo.Context) *models.Account {
	if aal(c) < 2 {
		return nil
	}
	return account(c)
}

// requireSignedIn lets through only a full sign-in. Anyone else goes to the
// furthest step they can take: signing in, or the second factor.
func (a *App) requireSignedIn(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if acct := signedIn(c); acct != nil && acct.LockedAt == nil && acct.DisabledAt == nil {
			return next(c)
		}
		return a.toNextSignInStep(c)
	}
}

// requirePassword lets through a holder who has passed the password (or
// confirmed a new address) but may still owe a second factor: the pages
// that set one up or ask for one.
func (a *App) requirePassword(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if acct := account(c); acct != nil && aal(c) >= 1 && acct.LockedAt == nil && acct.DisabledAt == nil {
			return next(c)
		}
		return a.toNextSignInStep(c)
	}
}

// requireRecentAuth sends a holder whose sign-in is older than 20 minutes
// to prove it again, then back here.
func (a *App) requireRecentAuth(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		s, err := a.sessionOf(c)
		if err != nil {
			return err
		}
		at, _ := s.Values[keyAuthAt].(int64)
		if a.now().Sub(time.Unix(at, 0)) <= recentAuth {
			return next(c)
		}
		if err := a.rememberReturn(c, s); err != nil {
			return err
		}
		return redirect(c, a.reverse(RouteReauth))
	}
}

// toNextSignInStep sends a person who may not see a page to where they
// should be: the second factor, setting one up, or signing in, remembering
// the page for afterwards when it was a plain GET.
func (a *App) toNextSignInStep(c echo.Context) error {
	s, err := a.sessionOf(c)
	if err != nil {
		return err
	}
	if err := a.rememberReturn(c, s); err != nil {
		return err
	}
	if acct := account(c); acct != nil && aal(c) == 1 && acct.LockedAt == nil {
		return redirect(c, a.reverse(RouteSignInFactor))
	}
	return redirect(c, a.reverse(RouteSignIn))
}

func (a *App) rememberReturn(c echo.Context, s *sessions.Session) error {
	if c.Request().Method != http.MethodGet || isHTMX(c) {
		return nil
	}
	s.Values[keyReturnTo] = c.Request().URL.RequestURI()
	return s.Save(c.Request(), c.Response())
}

// returnTo takes the remembered page, if it is a local path.
func returnTo(s *sessions.Session, fallback string) string {
	to, _ := s.Values[keyReturnTo].(string)
	delete(s.Values, keyReturnTo)
	if u, err := url.Parse(to); err != nil || to == "" || u.IsAbs() || !strings.HasPrefix(to, "/") || strings.HasPrefix(to, "//") {
		return fallback
	}
	return to
}

// startSignIn marks the browser as belonging to acct at level aal, with a
// new session id: an id planted before sign-in is worthless after it.
func (a *App) startSignIn(c echo.Context, acct *models.Account, level int) error {
	s, err := a.sessionOf(c)
	if err != nil {
		return err
	}
	s.Values[session.KeyAccountID] = acct.ID
	s.Values[keyAAL] = level
	if level >= 2 {
		s.Values[keyAuthAt] = a.now().Unix()
	}
	c.Set(ctxAccount, acct)
	return a.sessions.Renew(c.Request(), c.Response(), s)
}

// endSession signs out: the session is deleted on the server.
func (a *App) endSession(c echo.Context) error {
	s, err := a.sessionOf(c)
	if err != nil {
		return err
	}
	s.Options.MaxAge = -1
	return s.Save(c.Request(), c.Response())
}

// clientOf describes the requester for limits and the security history.
func (a *App) clientOf(c echo.Context) accounts.Client {
	key := ""
	if ck, err := c.Cookie(a.cookieName("csrf")); err == nil {
		key = ck.Value // every browser has one from its first page, signed in or not
	}
	return accounts.Client{IP: c.RealIP(), UserAgent: c.Request().UserAgent(), SessionKey: key}
}

// redirect sends the browser on: HX-Redirect for htmx, 303 See Other for
// everything else, so a reload never re-submits a form.
func redirect(c echo.Context, to string) error {
	if isHTMX(c) {
		c.Response().Header().Set("HX-Redirect", to)
		return c.NoContent(http.StatusNoContent)
	}
	return c.Redirect(http.StatusSeeOther, to)
}

// requireVerified lets through a signed-in holder whose identity is
// verified (after requireSignedIn). Anyone else is sent to verification and
// comes back here when it is done.
func (a *App) requireVerified(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if acct := account(c); acct != nil && acct.IsVerifiedTaxpayer() {
			return next(c)
		}
		s, err := a.sessionOf(c)
		if err != nil {
			return err
		}
		if err := a.rememberReturn(c, s); err != nil {
			return err
		}
		return redirect(c, a.reverse(RouteVerify))
	}
}

// requireRole lets through only accounts with one of the roles (after
// requireSignedIn) that a supervisor has not disabled (a disabled agent who
// got a password back through a reset is still out). Anyone else gets 404:
// the console's URLs are not advertised to taxpayers.
func requireRole(roles ...models.Role) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if acct := account(c); acct != nil && acct.DisabledAt == nil {
				for _, r := range roles {
					if acct.Role == r {
						return next(c)
					}
				}
			}
			return echo.ErrNotFound
		}
	}
}
