package handlers

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/taxportal/portal/accounts"
	"github.com/taxportal/portal/credential"
	"github.com/taxportal/portal/messages"
	"github.com/taxportal/portal/models"
	"github.com/taxportal/portal/views/components"
	"github.com/taxportal/portal/views/signin"
)

func (a *App) signUpView(c echo.Context) signin.SignUpView {
	return signin.SignUpView{
		Action: a.reverse(RouteSignUp), SignInURL: a.reverse(RouteSignIn),
		HelpURL: a.reverse(RouteHelpArticle, "create-an-account"),
	}
}

func (a *App) signUpForm(c echo.Context) error {
	if signedIn(c) != nil {
		return redirect(c, a.reverse(RouteAccount))
	}
	return render(c, http.StatusOK, signin.SignUp(a.page(c, "Create an account"), a.signUpView(c)), nil)
}

// signUp creates the account and asks for the e-mailed code. An address
// that already has an account gets the very same screen.
func (a *App) signUp(c echo.Context) error {
	email := strings.TrimSpace(c.FormValue("email"))
	err := a.accounts.Register(c.Request().Context(), email, c.FormValue("password"), a.clientOf(c))
	var limited *accounts.LimitedError
	if errors.As(err, &limited) {
		v := a.signUpView(c)
		v.Email = email
		v.Errors.Add("email", "Too many accounts were started from your connection in the last hour. "+
			credential.Explain(limited.Decision, a.cfg.TimeZone))
		return render(c, http.StatusTooManyRequests, signin.SignUp(a.page(c, "Create an account"), v), nil)
	}
	if errs, ok := fieldErrors(err); ok {
		v := a.signUpView(c)
		v.Email, v.Errors = email, errs
		return render(c, invalid, signin.SignUp(a.page(c, "Create an account"), v), nil)
	}
	if err != nil {
		return err
	}
	s, err := a.sessionOf(c)
	if err != nil {
		return err
	}
	s.Values[keyPendingEmail] = models.NormalizeEmail(email)
	if err := s.Save(c.Request(), c.Response()); err != nil {
		return err
	}
	return redirect(c, a.reverse(RouteConfirmEmail))
}

func (a *App) checkEmailView(email string) signin.CheckEmailView {
	return signin.CheckEmailView{
		Email: email, Action: a.reverse(RouteConfirmEmail), ResendAction: a.reverse(RouteResendConfirmation),
		SignUpURL: a.reverse(RouteSignUp),
	}
}

// pendingEmail is the address this browser signed up with, if any.
func (a *App) pendingEmail(c echo.Context) (string, error) {
	s, err := a.sessionOf(c)
	if err != nil {
		return "", err
	}
	email, _ := s.Values[keyPendingEmail].(string)
	return email, nil
}

func (a *App) checkEmail(c echo.Context) error {
	email, err := a.pendingEmail(c)
	if err != nil {
		return err
	}
	if email == "" {
		return redirect(c, a.reverse(RouteSignUp))
	}
	return render(c, http.StatusOK, signin.CheckEmail(a.page(c, "Check your email"), a.checkEmailView(email)), nil)
}

// confirmCode confirms the address with the typed code and moves on to
// setting up a second factor, in this same browser.
func (a *App) confirmCode(c echo.Context) error {
	email, err := a.pendingEmail(c)
	if err != nil {
		return err
	}
	if email == "" {
		return redirect(c, a.reverse(RouteSignUp))
	}
	code := strings.TrimSpace(c.FormValue("code"))
	v := a.checkEmailView(email)
	v.Code = code
	if code == "" {
		v.Errors = fieldError("code", messages.CodeMissing)
		return render(c, invalid, signin.CheckEmail(a.page(c, "Check your email"), v), nil)
	}
	acct, err := a.accounts.ConfirmEmailByCode(c.Request().Context(), email, code, a.clientOf(c))
	if errors.Is(err, accounts.ErrCodeInvalid) {
		v.Errors = fieldError("code", messages.CodeInvalid)
		return render(c, invalid, signin.CheckEmail(a.page(c, "Check your email"), v), nil)
	}
	if err != nil {
		return err
	}
	return a.continueAfterConfirmation(c, acct)
}

// continueAfterConfirmation signs the new holder in at the first level and
// sends them to set up a second factor.
func (a *App) continueAfterConfirmation(c echo.Context, acct *models.Account) error {
	s, err := a.sessionOf(c)
	if err != nil {
		return err
	}
	delete(s.Values, keyPendingEmail)
	if err := a.startSignIn(c, acct, 1); err != nil {
		return err
	}
	return redirect(c, a.reverse(RouteSetupFactor))
}

func (a *App) resendConfirmation(c echo.Context) error {
	email, err := a.pendingEmail(c)
	if err != nil {
		return err
	}
	if email == "" {
		return redirect(c, a.reverse(RouteSignUp))
	}
	if err := a.accounts.ResendConfirmation(c.Request().Context(), email, a.clientOf(c)); err != nil {
		return err
	}
	v := a.checkEmailView(email)
	v.Notice = &signin.Notice{Kind: components.AlertSuccess, Text: "We sent a new message. Only the newest link and code work."}
	return render(c, http.StatusOK, signin.CheckEmail(a.page(c, "Check your email"), v), nil)
}

// confirmLinkForm is where the e-mailed link lands. It asks for one click,
// so a mail scanner that opens links does not spend the token; outside the
// browser that signed up, for the password too.
func (a *App) confirmLinkForm(c echo.Context) error {
	token := c.QueryParam("token")
	pending, err := a.pendingEmail(c)
	if err != nil {
		return err
	}
	v := a.confirmLinkView(token, a.accounts.ConfirmLinkNeedsPassword(c.Request().Context(), token, pending))
	return render(c, http.StatusOK, signin.ConfirmLink(a.page(c, "Confirm your email address"), v), nil)
}

func (a *App) confirmLinkView(token string, askPassword bool) signin.ConfirmLinkView {
	v := signin.ConfirmLinkView{
		Heading: "Confirm your email address", Text: "Select the button to finish confirming your address.",
		Button: "Confirm my email address", Action: a.reverse(RouteConfirmLink), Token: token,
	}
	if askPassword {
		v.AskPassword, v.SignUpURL = true, a.reverse(RouteSignUp)
		v.Text = "You opened this link in another browser than the one you signed up in. Enter the password you chose, to show this account is yours."
	}
	return v
}

// confirmLink confirms by link. In the browser that signed up, the person
// goes straight on; anywhere else the password chosen at sign-up comes with
// the click (so whoever owns the mailbox never confirms an account someone
// else set a password on), and then they sign in.
func (a *App) confirmLink(c echo.Context) error {
	pending, err := a.pendingEmail(c)
	if err != nil {
		return err
	}
	token := c.FormValue("token")
	acct, err := a.accounts.ConfirmEmailByLink(c.Request().Context(), token,
		accounts.LinkProof{SignedUpWith: pending, Password: c.FormValue("password")}, a.clientOf(c))
	switch {
	case errors.Is(err, accounts.ErrPasswordNeeded):
		v := a.confirmLinkView(token, true)
		v.Errors = fieldError("password", messages.PasswordMissing)
		return render(c, invalid, signin.ConfirmLink(a.page(c, "Confirm your email address"), v), nil)
	case errors.Is(err, accounts.ErrWrongPassword):
		v := a.confirmLinkView(token, true)
		v.Errors.Add("password", "That is not the password chosen for this account.")
		return render(c, invalid, signin.ConfirmLink(a.page(c, "Confirm your email address"), v), nil)
	}
	if errors.Is(err, accounts.ErrCodeInvalid) {
		return a.linkGone(c, "Confirmation links work once, for 24 hours. If you already confirmed your address, sign in to continue; otherwise sign in and we’ll send a new link.",
			"Sign in", a.reverse(RouteSignIn))
	}
	if err != nil {
		return err
	}
	if pending == acct.Email {
		return a.continueAfterConfirmation(c, acct)
	}
	return render(c, http.StatusOK, signin.Message(a.page(c, "Email confirmed"), signin.MessageView{
		Heading: "Your email address is confirmed", Intro: "Sign in to finish setting up your account.",
		ActionText: "Sign in", ActionURL: a.reverse(RouteSignIn),
	}), nil)
}
