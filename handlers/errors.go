package handlers

import (
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/taxportal/portal/messages"
	errorviews "github.com/taxportal/portal/views/errors"
)

// errCSRF marks a request refused for a missing or wrong CSRF token.
var errCSRF = errors.New("csrf token missing or invalid")

// handleError answers every error with a page a person can act on (or JSON
// for API clients), and logs server faults with the request id.
func (a *App) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	status := http.StatusInternalServerError
	var he *echo.HTTPError
	if errors.As(err, &he) {
		status = he.Code
	}
	id := messages.ServerError
	switch {
	case status == http.StatusForbidden && he != nil && he.Message == errCSRF:
		id = messages.FormExpired
	case status == http.StatusNotFound:
		id = messages.NotFound
	case status == http.StatusRequestEntityTooLarge && c.Path() == uploadPath:
		id = messages.PhotoTooLarge
	case status == http.StatusRequestEntityTooLarge:
		id = messages.TooLarge
	case status == http.StatusMethodNotAllowed:
		id = messages.MethodNotAllowed
	case status == http.StatusTooManyRequests:
		id = messages.TooManyRequests
	case status == http.StatusServiceUnavailable:
		id = messages.Unavailable
	case status >= 500:
		a.log.Error("handler failed", slog.String("request_id", c.Response().Header().Get(echo.HeaderXRequestID)),
			slog.String("route", routeLabel(c)), slog.String("error", err.Error()))
	}
	msg := messages.Get(id)

	if strings.HasPrefix(c.Request().URL.Path, "/api/") || isOperational(c.Request().URL.Path) {
		_ = c.JSON(status, map[string]string{"error": string(id), "message": msg.Body})
		return
	}
	if c.Request().Method == http.MethodHead {
		_ = c.NoContent(status)
		return
	}
	v := errorviews.View{
		Status:  status,
		Heading: msg.Heading,
		Message: msg.Body,
		HomeURL: a.reverse(RouteHome),
		HelpURL: a.reverse(RouteHelp),
	}
	if status >= 500 {
		v.RequestID = c.Response().Header().Get(echo.HeaderXRequestID)
	}
	page := errorviews.Page(a.page(c, msg.Heading), v)
	if rerr := render(c, status, page, page); rerr != nil {
		a.log.Error("rendering error page", slog.String("error", rerr.Error()))
		_ = c.String(status, msg.Heading)
	}
}
