package handlers

import (
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"
)

// Links builds the absolute URLs that e-mails carry, from route names and
// the portal's public address. It is made before the routes exist and
// learns them when New runs.
type Links struct {
	base *url.URL
	echo *echo.Echo
}

// NewLinks makes the link builder for a public address.
func NewLinks(base *url.URL) *Links { return &Links{base: base} }

func (l *Links) abs(name string, query url.Values) string {
	u := strings.TrimSuffix(l.base.String(), "/") + l.echo.Reverse(name)
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	return u
}

// ConfirmEmail is the link in the confirmation e-mail.
func (l *Links) ConfirmEmail(token string) string {
	return l.abs(RouteConfirmLink, url.Values{"token": {token}})
}

// ResetPassword is the link in the reset e-mail; with no token, the page
// that asks for one.
func (l *Links) ResetPassword(token string) string {
	if token == "" {
		return l.abs(RouteForgotPassword, nil)
	}
	return l.abs(RouteResetPassword, url.Values{"token": {token}})
}

// WasntMe is the "This wasn't me" link in security notices.
func (l *Links) WasntMe(token string) string {
	return l.abs(RouteWasntMe, url.Values{"token": {token}})
}

// SignIn is the sign-in page.
func (l *Links) SignIn() string { return l.abs(RouteSignIn, nil) }

// ConfirmEmailChange is the link sent to a new address.
func (l *Links) ConfirmEmailChange(token string) string {
	return l.abs(RouteConfirmEmailChange, url.Values{"token": {token}})
}
