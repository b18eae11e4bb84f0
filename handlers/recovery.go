package handlers

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/taxportal/portal/accounts"
	"github.com/taxportal/portal/views/signin"
)

func (a *App) forgotView() signin.EmailFormView {
	return signin.EmailFormView{
		Heading: "Reset your password", Button: "Send reset link", Action: a.reverse(RouteForgotPassword),
		Intro: "Enter the email address of your account. We’ll send a link to choose a new password. You’ll still need your second factor to sign in.",
	}
}

func (a *App) forgotForm(c echo.Context) error {
	return render(c, http.StatusOK, signin.EmailForm(a.page(c, "Reset your password"), a.forgotView()), nil)
}

// forgot sends a reset link. The answer is the same whether or not the
// address has an account.
func (a *App) forgot(c echo.Context) error {
	email := strings.TrimSpace(c.FormValue("email"))
	err := a.accounts.RequestPasswordReset(c.Request().Context(), email, a.clientOf(c))
	if errs, ok := fieldErrors(err); ok {
		v := a.forgotView()
		v.Email, v.Errors = email, errs
		return render(c, invalid, signin.EmailForm(a.page(c, "Reset your password"), v), nil)
	}
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, signin.Message(a.page(c, "Check your email"), signin.MessageView{
		Heading: "Check your email",
		Intro:   "If " + email + " has an account, we sent it a link to reset the password. The link works for 30 minutes.",
		Paragraphs: []string{"Didn’t get it? Check your spam folder, or make sure you typed the address you signed up with.",
			"Resetting your password doesn’t replace your second factor. If you lost that too, see the help article below."},
		ActionText: "Lost your second factor?", ActionURL: a.reverse(RouteHelpArticle, "lost-second-factor"),
	}), nil)
}

func (a *App) resetView(token string) signin.NewPasswordView {
	return signin.NewPasswordView{Heading: "Choose a new password", Action: a.reverse(RouteResetPassword), Token: token,
		Intro: "After you save it, every browser signed in to your account is signed out. Then sign in with your new password and your second factor."}
}

// linkGone answers an e-mailed link that was used or has expired, with the
// way on: what to do, and a button to do it.
func (a *App) linkGone(c echo.Context, what, actionText, actionURL string) error {
	return render(c, http.StatusGone, signin.Message(a.page(c, "This link doesn’t work"), signin.MessageView{
		Heading: "This link doesn’t work", Intro: "It may have been used already, or it has expired.",
		Paragraphs: []string{what}, ActionText: actionText, ActionURL: actionURL,
	}), nil)
}

func (a *App) resetLinkGone(c echo.Context, what string) error {
	return a.linkGone(c, what, "Send a new link", a.reverse(RouteForgotPassword))
}

func (a *App) resetForm(c echo.Context) error {
	token := c.QueryParam("token")
	if !a.accounts.ResetTokenValid(c.Request().Context(), token) {
		return a.resetLinkGone(c, "Reset links work once, for 30 minutes. Ask for a new one.")
	}
	return render(c, http.StatusOK, signin.NewPassword(a.page(c, "Choose a new password"), a.resetView(token)), nil)
}

func (a *App) reset(c echo.Context) error {
	token := c.FormValue("token")
	err := a.accounts.ResetPassword(c.Request().Context(), token, c.FormValue("password"), a.clientOf(c))
	if errs, ok := fieldErrors(err); ok {
		v := a.resetView(token)
		v.Errors = errs
		return render(c, invalid, signin.NewPassword(a.page(c, "Choose a new password"), v), nil)
	}
	if errors.Is(err, accounts.ErrCodeInvalid) {
		return a.resetLinkGone(c, "Reset links work once, for 30 minutes. Ask for a new one.")
	}
	if err != nil {
		return err
	}
	if err := a.endSession(c); err != nil {
		return err
	}
	return render(c, http.StatusOK, signin.Message(a.page(c, "Password changed"), signin.MessageView{
		Heading: "Your password was changed", Intro: "Every browser that was signed in to your account is now signed out.",
		ActionText: "Sign in", ActionURL: a.reverse(RouteSignIn),
	}), nil)
}

func (a *App) wasntMeForm(c echo.Context) error {
	v := signin.ConfirmLinkView{
		Heading: "Lock your account", Button: "Lock my account", Action: a.reverse(RouteWasntMe), Token: c.QueryParam("token"),
		Text: "If you didn’t do what our email described, lock your account now. Everyone signed in to it, including you, will be signed out. You’ll then reset your password to get back in.",
	}
	return render(c, http.StatusOK, signin.ConfirmLink(a.page(c, "Lock your account"), v), nil)
}

func (a *App) wasntMe(c echo.Context) error {
	_, err := a.accounts.WasntMe(c.Request().Context(), c.FormValue("token"), a.clientOf(c))
	if errors.Is(err, accounts.ErrCodeInvalid) {
		return a.resetLinkGone(c, "This link was already used or is more than 30 days old. If you think someone is in your account, reset your password now.")
	}
	if err != nil {
		return err
	}
	if err := a.endSession(c); err != nil {
		return err
	}
	return render(c, http.StatusOK, signin.Message(a.page(c, "Your account is locked"), signin.MessageView{
		Heading: "Your account is locked", Intro: "Nobody can sign in to it now. Everyone who was signed in has been signed out.",
		Paragraphs: []string{
			"Next, choose a new password. That unlocks the account; you’ll still need your second factor to sign in.",
			"If you think someone also has your phone or backup codes, remove them from your account after you sign in, or contact us.",
			"It’s also a good idea to change the password of your email account.",
		},
		ActionText: "Choose a new password", ActionURL: a.reverse(RouteForgotPassword),
	}), nil)
}
