package handlers

import (
	"net/http"
	"time"

	"github.com/gorilla/sessions"
	"github.com/labstack/echo/v4"

	"github.com/taxportal/portal/session"
)

// timeoutWarning is how long before an idle sign-out the warning opens.
const timeoutWarning = 150 * time.Second

// sessionStatus tells the warning how long the session really has left,
// which another tab's activity may have extended. It is the one request
// that does not count as activity (see loadAccount).
func (a *App) sessionStatus(c echo.Context) error {
	remaining := 0
	if sess, ok := c.Get(ctxSession).(*sessions.Session); ok && account(c) != nil {
		left := a.cfg.SessionIdleTimeout - a.now().Sub(session.LastSeen(sess))
		remaining = max(0, int(left.Seconds()))
	}
	return c.JSON(http.StatusOK, map[string]int{"remaining": remaining})
}

// keepAlive is what "Stay signed in" in the timeout warning calls: the
// session was just touched by loadAccount, so there is nothing more to do
// than say how long it now has.
func (a *App) keepAlive(c echo.Context) error {
	s, err := a.sessionOf(c)
	if err != nil {
		return err
	}
	if err := s.Save(c.Request(), c.Response()); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
