package handlers

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"github.com/taxportal/portal/accounts"
	"github.com/taxportal/portal/credential"
	"github.com/taxportal/portal/messages"
	"github.com/taxportal/portal/models"
	"github.com/taxportal/portal/views"
	accountviews "github.com/taxportal/portal/views/account"
	"github.com/taxportal/portal/views/signin"
)

// Session values of a security-key ceremony in progress: the challenge and
// what goes with it (JSON), kept on the server until the browser answers,
// and forgotten as soon as it does, so each challenge is answered once.
const (
	keyWebAuthnRegistration = "webauthn_registration"
	keyWebAuthnLogin        = "webauthn_login"
)

// webauthnScript is the browser side of both ceremonies.
const webauthnScript = "js/webauthn.js"

// maxWebAuthnBody bounds a browser's answer: a few kilobytes in practice.
const maxWebAuthnBody = 64 << 10

// webauthnAttrs tells webauthn.js what to run, where to send it, and what
// to say when the browser fails, in the catalogue's words.
func (a *App) webauthnAttrs(ceremony, optionsURL, finishURL string) templ.Attributes {
	msg := func(id messages.ID) string { return messages.Get(id).Body }
	return templ.Attributes{
		"data-webauthn":          ceremony,
		"data-options-url":       optionsURL,
		"data-finish-url":        finishURL,
		"data-msg-waiting":       "Follow the steps your browser shows: touch your security key, or unlock your device.",
		"data-msg-unsupported":   msg(messages.WebAuthnUnsupported),
		"data-msg-wrong-address": msg(messages.WebAuthnWrongAddress),
		"data-msg-cancelled":     msg(messages.WebAuthnCancelled),
		"data-msg-timed-out":     msg(messages.WebAuthnTimedOut),
		"data-msg-already-added": msg(messages.WebAuthnAlreadyAdded),
		"data-msg-failed":        msg(messages.WebAuthnFailed),
		"data-msg-expired":       messages.Get(messages.FormExpired).Body,
		"data-msg-server":        messages.Get(messages.ServerError).Body,
	}
}

// webauthnProblem is a refusal webauthn.js shows in the page's alert.
// Blocked tells it the button is useless until the lockout ends.
type webauthnProblem struct {
	Error   messages.ID `json:"error"`
	Message string      `json:"message"`
	Blocked bool        `json:"blocked,omitempty"`
}

func refuse(c echo.Context, status int, id messages.ID, extra string) error {
	text := messages.Get(id).Body
	if extra != "" {
		text += " " + extra
	}
	return c.JSON(status, webauthnProblem{Error: id, Message: text})
}

// limitedProblem answers a try made during the second-factor lockout.
func (a *App) limitedProblem(c echo.Context, d credential.Decision) error {
	return c.JSON(http.StatusTooManyRequests, webauthnProblem{Error: messages.TooManyRequests, Message: credential.Explain(d, a.cfg.TimeZone), Blocked: true})
}

// keepCeremony puts a ceremony in the session; a new one replaces the last.
func (a *App) keepCeremony(c echo.Context, key string, ceremony []byte) error {
	s, err := a.sessionOf(c)
	if err != nil {
		return err
	}
	s.Values[key] = ceremony
	return s.Save(c.Request(), c.Response())
}

// takeCeremony takes the ceremony out of the session: whatever the answer,
// its challenge is spent.
func (a *App) takeCeremony(c echo.Context, key string) ([]byte, error) {
	s, err := a.sessionOf(c)
	if err != nil {
		return nil, err
	}
	ceremony, _ := s.Values[key].([]byte)
	if ceremony == nil {
		return nil, nil
	}
	delete(s.Values, key)
	return ceremony, s.Save(c.Request(), c.Response())
}

// asJSONRedirect runs next, a step that ends in a redirect, and answers
// {"redirect": url} instead of the 303, for webauthn.js to follow. The
// security-key steps so finish through the very code the form steps use
// (finishSignIn, factorEnrolled), return address and flash included.
func asJSONRedirect(c echo.Context, next func() error) error {
	res := c.Response()
	var to string
	res.Before(func() {
		if loc := res.Header().Get(echo.HeaderLocation); res.Status == http.StatusSeeOther && loc != "" {
			to = loc
			res.Header().Del(echo.HeaderLocation)
			res.Header().Set(echo.HeaderContentType, echo.MIMEApplicationJSON)
			res.Status = http.StatusOK
		}
	})
	if err := next(); err != nil || to == "" {
		return err
	}
	return json.NewEncoder(res).Encode(map[string]string{"redirect": to})
}

func readAnswer(c echo.Context) ([]byte, error) {
	return io.ReadAll(io.LimitReader(c.Request().Body, maxWebAuthnBody))
}

// setupSecurityKeyForm is the page that adds a security key or passkey.
func (a *App) setupSecurityKeyForm(c echo.Context) error {
	v := accountviews.SetupSecurityKeyView{
		Attrs:    a.webauthnAttrs("register", a.reverse(RouteSetupSecurityKeyOptions), a.reverse(RouteSetupSecurityKey)),
		NoScript: messages.Get(messages.WebAuthnNoScript).Body,
		BackURL:  a.reverse(RouteSetupFactor),
	}
	p := a.page(c, "Add a security key or passkey")
	p.Scripts = []string{webauthnScript}
	return render(c, http.StatusOK, accountviews.SetupSecurityKey(p, v), nil)
}

// securityKeyOptions starts a registration: the options for the browser.
func (a *App) securityKeyOptions(c echo.Context) error {
	options, ceremony, err := a.accounts.BeginWebAuthnRegistration(c.Request().Context(), account(c))
	if err != nil {
		return err
	}
	if err := a.keepCeremony(c, keyWebAuthnRegistration, ceremony); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, options)
}

// addSecurityKey saves the key the browser created, then finishes like
// every other enrolment.
func (a *App) addSecurityKey(c echo.Context) error {
	var req struct {
		Name       string          `json:"name"`
		Credential json.RawMessage `json:"credential"`
	}
	body, err := readAnswer(c)
	if err != nil {
		return err
	}
	if json.Unmarshal(body, &req) != nil {
		return refuse(c, http.StatusBadRequest, messages.WebAuthnFailed, "")
	}
	ceremony, err := a.takeCeremony(c, keyWebAuthnRegistration)
	if err != nil {
		return err
	}
	_, err = a.accounts.FinishWebAuthnRegistration(c.Request().Context(), account(c), ceremony, req.Credential, req.Name, a.clientOf(c))
	switch {
	case errors.Is(err, accounts.ErrAccountLocked):
		return c.JSON(http.StatusForbidden, webauthnProblem{Error: messages.AccountLocked, Message: messages.Get(messages.AccountLocked).Body, Blocked: true})
	case errors.Is(err, accounts.ErrWebAuthnCeremony):
		return refuse(c, http.StatusUnprocessableEntity, messages.WebAuthnExpired, "")
	case errors.Is(err, accounts.ErrWebAuthnDuplicate):
		return refuse(c, http.StatusUnprocessableEntity, messages.WebAuthnAlreadyAdded, "")
	case errors.Is(err, accounts.ErrWebAuthnRefused):
		return refuse(c, http.StatusUnprocessableEntity, messages.WebAuthnFailed, "")
	case err != nil:
		return err
	}
	return asJSONRedirect(c, func() error { return a.factorEnrolled(c, "Your security key or passkey is set up.") })
}

// securityKeyStep is the sign-in page's security-key part.
func (a *App) securityKeyStep() *signin.SecurityKeyStep {
	return &signin.SecurityKeyStep{
		Attrs:    a.webauthnAttrs("sign-in", a.reverse(RouteSignInSecurityKeyOptions), a.reverse(RouteSignInSecurityKey)),
		NoScript: messages.Get(messages.WebAuthnNoScript).Body,
	}
}

// factorPage is the layout of the second-factor page, with the security-key
// script when the page offers the key.
func (a *App) factorPage(c echo.Context, v signin.FactorView) views.Page {
	p := a.page(c, "Confirm it’s you")
	if v.SecurityKey != nil {
		p.Scripts = []string{webauthnScript}
	}
	return p
}

// signInKeyOptions starts the second factor with a security key.
func (a *App) signInKeyOptions(c echo.Context) error {
	ctx := c.Request().Context()
	acct := account(c)
	if d, err := a.accounts.FactorDecision(ctx, acct.ID); err != nil {
		return err
	} else if !d.Allowed {
		return a.limitedProblem(c, d)
	}
	options, ceremony, err := a.accounts.BeginWebAuthnLogin(ctx, acct)
	if errors.Is(err, accounts.ErrWebAuthnNone) {
		return refuse(c, http.StatusUnprocessableEntity, messages.WebAuthnNotRegistered, "")
	}
	if err != nil {
		return err
	}
	if err := a.keepCeremony(c, keyWebAuthnLogin, ceremony); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, options)
}

// signInWithKey checks the key's answer and completes the sign-in exactly
// as a right code does.
func (a *App) signInWithKey(c echo.Context) error {
	ctx := c.Request().Context()
	acct := account(c)
	answer, err := readAnswer(c)
	if err != nil {
		return err
	}
	ceremony, err := a.takeCeremony(c, keyWebAuthnLogin)
	if err != nil {
		return err
	}
	d, err := a.accounts.FinishWebAuthnLogin(ctx, acct, ceremony, answer, a.clientOf(c))
	var limited *accounts.LimitedError
	switch {
	case errors.As(err, &limited):
		return a.limitedProblem(c, limited.Decision)
	case errors.Is(err, accounts.ErrWebAuthnCeremony):
		return refuse(c, http.StatusUnprocessableEntity, messages.WebAuthnExpired, "")
	case errors.Is(err, accounts.ErrWrongCode):
		if !d.Allowed {
			return a.limitedProblem(c, d)
		}
		id := messages.WebAuthnFailed
		if errors.Is(err, accounts.ErrWebAuthnUnknownKey) {
			id = messages.WebAuthnNotRegistered
		}
		return refuse(c, http.StatusUnprocessableEntity, id, credential.Explain(d, a.cfg.TimeZone))
	case err != nil:
		return err
	}
	if err := a.accounts.CompleteSignIn(ctx, acct, accounts.KindName(models.FactorWebAuthn), a.clientOf(c)); err != nil {
		return err
	}
	return asJSONRedirect(c, func() error { return a.finishSignIn(c, acct) })
}
