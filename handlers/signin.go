package handlers

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/taxportal/portal/accounts"
	"github.com/taxportal/portal/credential"
	"github.com/taxportal/portal/messages"
	"github.com/taxportal/portal/models"
	"github.com/taxportal/portal/views/components"
	"github.com/taxportal/portal/views/forms"
	"github.com/taxportal/portal/views/signin"
)

func (a *App) signInView() signin.SignInView {
	return signin.SignInView{
		Heading: "Sign in", Action: a.reverse(RouteSignIn), ForgotURL: a.reverse(RouteForgotPassword),
		SignUpURL: a.reverse(RouteSignUp), HelpURL: a.reverse(RouteHelpArticle, "lost-second-factor"),
	}
}

func (a *App) signInForm(c echo.Context) error {
	if acct := signedIn(c); acct != nil {
		return redirect(c, a.landing(acct))
	}
	v := a.signInView()
	return render(c, http.StatusOK, signin.SignIn(a.page(c, "Sign in"), v), nil)
}

// signIn checks the password, then sends the person to their second factor
// (or to set one up). Limits are enforced and shown; a wrong address and a
// wrong password get the same words.
func (a *App) signIn(c echo.Context) error {
	email := strings.TrimSpace(c.FormValue("email"))
	password := c.FormValue("password")
	v := a.signInView()
	v.Email = email
	var errs forms.Errors
	if email == "" {
		errs.Add("email", messages.Get(messages.EmailMissing).Body)
	}
	if password == "" {
		errs.Add("password", messages.Get(messages.PasswordMissing).Body)
	}
	if errs.Any() {
		v.Errors = errs
		return render(c, invalid, signin.SignIn(a.page(c, "Sign in"), v), nil)
	}
	acct, d, err := a.accounts.CheckPassword(c.Request().Context(), email, password, a.clientOf(c))
	var limited *accounts.LimitedError
	switch {
	case errors.As(err, &limited):
		v.Notice = &signin.Notice{Kind: components.AlertError,
			Text:     credential.Explain(limited.Decision, a.cfg.TimeZone) + " If you forgot your password, you don’t have to wait:",
			LinkText: "reset your password now", LinkURL: a.reverse(RouteForgotPassword)}
		return render(c, http.StatusTooManyRequests, signin.SignIn(a.page(c, "Sign in"), v), nil)
	case errors.Is(err, accounts.ErrWrongPassword):
		v.Errors.Add("password", messages.Get(messages.SignInFailed).Body+" "+credential.Explain(d, a.cfg.TimeZone))
		return render(c, invalid, signin.SignIn(a.page(c, "Sign in"), v), nil)
	case errors.Is(err, accounts.ErrAccountLocked):
		return render(c, http.StatusForbidden, signin.Message(a.page(c, "Your account is locked"), a.lockedView()), nil)
	case errors.Is(err, accounts.ErrAccountDisabled):
		return render(c, http.StatusForbidden, signin.Message(a.page(c, "Your account is out of service"), signin.MessageView{
			Heading:    "Your account is out of service",
			Intro:      "A supervisor took this console account out of service, so it cannot sign in. A new password does not change that.",
			Paragraphs: []string{"If you think this is a mistake, ask your supervisor."},
		}), nil)
	case err != nil:
		return err
	}
	if acct.EmailConfirmedAt == nil {
		if err := a.accounts.ResendConfirmation(c.Request().Context(), acct.Email, a.clientOf(c)); err != nil {
			return err
		}
		s, err := a.sessionOf(c)
		if err != nil {
			return err
		}
		s.Values[keyPendingEmail] = acct.Email
		if err := s.Save(c.Request(), c.Response()); err != nil {
			return err
		}
		return redirect(c, a.reverse(RouteConfirmEmail))
	}
	if err := a.startSignIn(c, acct, 1); err != nil {
		return err
	}
	return redirect(c, a.reverse(RouteSignInFactor))
}

func (a *App) lockedView() signin.MessageView {
	return signin.MessageView{
		Heading: "Your account is locked",
		Intro:   "To protect it, your account was locked after too many failed tries or because you asked us to lock it.",
		Paragraphs: []string{"Reset your password to unlock it. You’ll still need your second factor to sign in.",
			"If you also lost your second factors, see the help article on what to do."},
		ActionText: "Reset your password", ActionURL: a.reverse(RouteForgotPassword),
	}
}

var methodLabels = map[models.FactorKind]string{
	models.FactorTOTP:        "Use your authentication app",
	models.FactorPhone:       "Get a code by text or phone call",
	models.FactorBackupCodes: "Use a backup code",
	models.FactorWebAuthn:    "Use your security key or passkey",
}

// factorView builds the second-factor page for a method the account has.
func (a *App) factorView(c echo.Context, factors []models.SecondFactor, method models.FactorKind) signin.FactorView {
	v := signin.FactorView{
		Heading: "Confirm it’s you", Method: string(method), Action: a.reverse(RouteSignInFactor),
		LostHelpURL: a.reverse(RouteHelpArticle, "lost-second-factor"), CancelAction: a.reverse(RouteSignOut),
		CodeLabel: "6-digit code", Numeric: true,
	}
	switch method {
	case models.FactorTOTP:
		v.Instruction = "Open your authentication app and enter the 6-digit code it shows for " + a.cfg.ProductName + "."
	case models.FactorPhone:
		for _, f := range factors {
			if f.Kind == models.FactorPhone {
				v.Instruction = "We sent a 6-digit code to the phone number ending in " + f.PhoneLast4 + ". It works for 10 minutes."
				break
			}
		}
		v.SendAction = a.reverse(RouteSignInSendCode)
	case models.FactorBackupCodes:
		v.Instruction = "Enter one of the backup codes you saved. Each code works once."
		v.CodeLabel, v.CodeHint, v.Numeric = "Backup code", "For example H7KD-3MQP-X9TR.", false
	case models.FactorWebAuthn:
		v.Instruction = "Use the security key or passkey you added to your account. Your browser will ask you to touch your key or unlock your device."
		v.SecurityKey = a.securityKeyStep()
	}
	seen := map[models.FactorKind]bool{method: true}
	for _, f := range factors {
		if seen[f.Kind] {
			continue
		}
		seen[f.Kind] = true
		v.Others = append(v.Others, signin.MethodLink{Label: methodLabels[f.Kind],
			URL: a.reverse(RouteSignInFactor) + "?" + url.Values{"method": {string(f.Kind)}}.Encode()})
	}
	return v
}

// pickMethod is the asked-for method if the account has it, else the first
// of security key, app, phone, backup codes: a key is quickest and cannot
// be phished.
func pickMethod(factors []models.SecondFactor, asked string) (models.FactorKind, bool) {
	has := map[models.FactorKind]bool{}
	for _, f := range factors {
		has[f.Kind] = true
	}
	if has[models.FactorKind(asked)] {
		return models.FactorKind(asked), true
	}
	for _, k := range []models.FactorKind{models.FactorWebAuthn, models.FactorTOTP, models.FactorPhone, models.FactorBackupCodes} {
		if has[k] {
			return k, true
		}
	}
	return "", false
}

func (a *App) factorForm(c echo.Context) error {
	acct := account(c)
	if aal(c) >= 2 {
		return redirect(c, a.reverse(RouteAccount))
	}
	factors, err := a.signInFactors(c, acct)
	if err != nil {
		return err
	}
	method, ok := pickMethod(factors, c.QueryParam("method"))
	if !ok {
		return redirect(c, a.reverse(RouteSetupFactor))
	}
	v := a.factorView(c, factors, method)
	if method == models.FactorPhone {
		// Opening the phone method sends a code at once; the page says so.
		if n := a.sendSignInCode(c, acct, factors); n != nil {
			v.Notice = n
		}
	}
	if d, err := a.accounts.FactorDecision(c.Request().Context(), acct.ID); err != nil {
		return err
	} else if !d.Allowed {
		v.Blocked = true
		v.Notice = &signin.Notice{Kind: components.AlertError, Text: credential.Explain(d, a.cfg.TimeZone)}
	}
	return render(c, http.StatusOK, signin.Factor(a.factorPage(c, v), v), nil)
}

// sendSignInCode texts or calls the account's first phone.
func (a *App) sendSignInCode(c echo.Context, acct *models.Account, factors []models.SecondFactor) *signin.Notice {
	for _, f := range factors {
		if f.Kind != models.FactorPhone {
			continue
		}
		err := a.accounts.SendSignInCode(c.Request().Context(), acct, f.ID)
		var limited *accounts.LimitedError
		if errors.As(err, &limited) {
			return &signin.Notice{Kind: components.AlertWarning, Heading: "We can’t send more codes right now",
				Text: credential.Explain(limited.Decision, a.cfg.TimeZone) + " Use a code you already received, or another way."}
		}
		if err != nil {
			a.log.Error("sending a sign-in code", "error", err.Error())
			return &signin.Notice{Kind: components.AlertError, Text: "We couldn’t send a code just now. Try again, or use another way."}
		}
		return &signin.Notice{Kind: components.AlertSuccess, Text: "We sent you a new code."}
	}
	return nil
}

func (a *App) sendCode(c echo.Context) error {
	acct := account(c)
	factors, err := a.signInFactors(c, acct)
	if err != nil {
		return err
	}
	v := a.factorView(c, factors, models.FactorPhone)
	v.Notice = a.sendSignInCode(c, acct, factors)
	return render(c, http.StatusOK, signin.Factor(a.page(c, "Confirm it’s you"), v), nil)
}

// signInFactors are the second factors the account may sign in with:
// every sign-in step reads them here, so staff never get one they may not
// use (only an app or a security key).
func (a *App) signInFactors(c echo.Context, acct *models.Account) ([]models.SecondFactor, error) {
	factors, err := a.accounts.Factors(c.Request().Context(), acct.ID)
	return usableFactors(acct, factors), err
}

// factor checks the second-factor code and completes the sign-in.
func (a *App) factor(c echo.Context) error {
	acct := account(c)
	ctx := c.Request().Context()
	factors, err := a.signInFactors(c, acct)
	if err != nil {
		return err
	}
	method, ok := pickMethod(factors, c.FormValue("method"))
	if !ok {
		return redirect(c, a.reverse(RouteSetupFactor))
	}
	if method == models.FactorWebAuthn {
		return redirect(c, a.reverse(RouteSignInFactor)) // a key answers through webauthn.js, not this form
	}
	code := strings.TrimSpace(c.FormValue("code"))
	v := a.factorView(c, factors, method)
	if code == "" {
		v.Errors = fieldError("code", messages.CodeMissing)
		return render(c, invalid, signin.Factor(a.page(c, "Confirm it’s you"), v), nil)
	}
	var d credential.Decision
	switch method {
	case models.FactorTOTP:
		d, err = a.accounts.VerifyTOTP(ctx, acct, code, a.clientOf(c))
	case models.FactorPhone:
		d, err = a.accounts.VerifyPhoneCode(ctx, acct, code, a.clientOf(c))
	case models.FactorBackupCodes:
		d, err = a.accounts.VerifyBackupCode(ctx, acct, code, a.clientOf(c))
	}
	var limited *accounts.LimitedError
	switch {
	case errors.As(err, &limited):
		v.Blocked = true
		v.Notice = &signin.Notice{Kind: components.AlertError, Text: credential.Explain(limited.Decision, a.cfg.TimeZone)}
		return render(c, http.StatusTooManyRequests, signin.Factor(a.page(c, "Confirm it’s you"), v), nil)
	case errors.Is(err, accounts.ErrWrongCode):
		v.Errors.Add("code", messages.Get(messages.CodeInvalid).Body+" "+credential.Explain(d, a.cfg.TimeZone))
		return render(c, invalid, signin.Factor(a.page(c, "Confirm it’s you"), v), nil)
	case errors.Is(err, accounts.ErrAccountLocked):
		return render(c, http.StatusForbidden, signin.Message(a.page(c, "Your account is locked"), a.lockedView()), nil)
	case err != nil:
		return err
	}
	if err := a.accounts.CompleteSignIn(ctx, acct, accounts.KindName(method), a.clientOf(c)); err != nil {
		return err
	}
	return a.finishSignIn(c, acct)
}

// finishSignIn raises the session to the full level with a new id and goes
// where the person was headed.
func (a *App) finishSignIn(c echo.Context, acct *models.Account) error {
	s, err := a.sessionOf(c)
	if err != nil {
		return err
	}
	to := returnTo(s, a.landing(acct))
	if err := a.startSignIn(c, acct, 2); err != nil {
		return err
	}
	return redirect(c, to)
}

// landing is a signed-in person's home: the console for staff, the
// dashboard once identity is verified, the account page before.
func (a *App) landing(acct *models.Account) string {
	switch {
	case acct.IsStaff():
		return a.reverse(RouteConsole)
	case acct.IsVerifiedTaxpayer():
		return a.reverse(RouteDashboard)
	}
	return a.reverse(RouteAccount)
}

// signOut ends the session on the server.
func (a *App) signOut(c echo.Context) error {
	if acct := account(c); acct != nil {
		a.accounts.Record(c.Request().Context(), acct.ID, accounts.EventSignedOut, "", a.clientOf(c))
	}
	if err := a.endSession(c); err != nil {
		return err
	}
	return redirect(c, a.reverse(RouteSignedOut))
}

func (a *App) signedOut(c echo.Context) error {
	v := signin.MessageView{
		Heading: "You’re signed out", Intro: "Your session has ended on this browser. If you’re on a shared computer, you can close the browser too.",
		ActionText: "Sign in again", ActionURL: a.reverse(RouteSignIn),
	}
	if c.QueryParam("reason") == "idle" {
		v.Heading, v.Intro = "You were signed out", "For your security, we sign you out after 15 minutes without activity."
	}
	return render(c, http.StatusOK, signin.Message(a.page(c, v.Heading), v), nil)
}
