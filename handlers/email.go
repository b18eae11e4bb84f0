package handlers

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/taxportal/portal/accounts"
	"github.com/taxportal/portal/messages"
	"github.com/taxportal/portal/views/signin"
)

// keyNewEmail is the address an e-mail change in this browser waits on.
const keyNewEmail = "new_email"

func (a *App) emailChangeView() signin.EmailFormView {
	return signin.EmailFormView{
		Heading: "Change your email address", Button: "Send confirmation", Action: a.reverse(RouteChangeEmail),
		Intro: "We’ll send a link and a code to the new address. Your address changes only when you confirm it, and we’ll tell your old address.",
	}
}

func (a *App) emailChangeForm(c echo.Context) error {
	return render(c, http.StatusOK, signin.EmailForm(a.page(c, "Change your email address"), a.emailChangeView()), nil)
}

func (a *App) requestEmailChange(c echo.Context) error {
	email := strings.TrimSpace(c.FormValue("email"))
	err := a.accounts.RequestEmailChange(c.Request().Context(), account(c), email, a.clientOf(c))
	if errs, ok := fieldErrors(err); ok {
		v := a.emailChangeView()
		v.Email, v.Errors = email, errs
		return render(c, invalid, signin.EmailForm(a.page(c, "Change your email address"), v), nil)
	}
	if err != nil {
		return err
	}
	s, err := a.sessionOf(c)
	if err != nil {
		return err
	}
	s.Values[keyNewEmail] = email
	if err := s.Save(c.Request(), c.Response()); err != nil {
		return err
	}
	return redirect(c, a.reverse(RouteChangeEmailCode))
}

func (a *App) emailCodeView(c echo.Context) (signin.CheckEmailView, bool) {
	s, _ := a.sessionOf(c)
	email, _ := s.Values[keyNewEmail].(string)
	return signin.CheckEmailView{
		Email: email, Action: a.reverse(RouteChangeEmailCode), SignUpURL: a.reverse(RouteChangeEmail),
	}, email != ""
}

func (a *App) emailCodeForm(c echo.Context) error {
	v, ok := a.emailCodeView(c)
	if !ok {
		return redirect(c, a.reverse(RouteChangeEmail))
	}
	return render(c, http.StatusOK, signin.CheckEmail(a.page(c, "Check your new email"), v), nil)
}

func (a *App) emailCode(c echo.Context) error {
	v, ok := a.emailCodeView(c)
	if !ok {
		return redirect(c, a.reverse(RouteChangeEmail))
	}
	code := strings.TrimSpace(c.FormValue("code"))
	v.Code = code
	if code == "" {
		v.Errors = fieldError("code", messages.CodeMissing)
		return render(c, invalid, signin.CheckEmail(a.page(c, "Check your new email"), v), nil)
	}
	_, err := a.accounts.ConfirmEmailChangeByCode(c.Request().Context(), account(c), code, a.clientOf(c))
	if errors.Is(err, accounts.ErrCodeInvalid) {
		v.Errors = fieldError("code", messages.CodeInvalid)
		return render(c, invalid, signin.CheckEmail(a.page(c, "Check your new email"), v), nil)
	}
	if err != nil {
		return err
	}
	s, _ := a.sessionOf(c)
	delete(s.Values, keyNewEmail)
	return a.flashTo(c, a.reverse(RouteAccount), "Your email address was changed.")
}

func (a *App) emailLinkForm(c echo.Context) error {
	v := signin.ConfirmLinkView{
		Heading: "Confirm your new email address", Text: "Select the button to make this your account’s address.",
		Button: "Confirm new address", Action: a.reverse(RouteConfirmEmailChange), Token: c.QueryParam("token"),
	}
	return render(c, http.StatusOK, signin.ConfirmLink(a.page(c, "Confirm your new email address"), v), nil)
}

func (a *App) emailLink(c echo.Context) error {
	acct, err := a.accounts.ConfirmEmailChangeByLink(c.Request().Context(), c.FormValue("token"), a.clientOf(c))
	if errors.Is(err, accounts.ErrCodeInvalid) {
		return a.linkGone(c, "E-mail change links work once, for 24 hours. Sign in and ask to change your address again.",
			"Sign in", a.reverse(RouteSignIn))
	}
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, signin.Message(a.page(c, "Email address changed"), signin.MessageView{
		Heading: "Your email address was changed", Intro: "From now on, sign in with " + acct.Email + ".",
		ActionText: "Go to your account", ActionURL: a.reverse(RouteAccount),
	}), nil)
}
