package handlers

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/taxportal/portal/accounts"
	"github.com/taxportal/portal/credential"
	"github.com/taxportal/portal/ippin"
	"github.com/taxportal/portal/models"
	"github.com/taxportal/portal/session"
	accountviews "github.com/taxportal/portal/views/account"
	"github.com/taxportal/portal/views/forms"
	"github.com/taxportal/portal/views/signin"
)

// keyFlash holds a one-time confirmation shown on the next page.
const keyFlash = "flash"

// flashTo saves a confirmation for the next page and goes there.
func (a *App) flashTo(c echo.Context, to, text string) error {
	s, err := a.sessionOf(c)
	if err != nil {
		return err
	}
	s.Values[keyFlash] = text
	if err := s.Save(c.Request(), c.Response()); err != nil {
		return err
	}
	return redirect(c, to)
}

// takeFlash reads and forgets the confirmation.
func (a *App) takeFlash(c echo.Context) (string, error) {
	s, err := a.sessionOf(c)
	if err != nil {
		return "", err
	}
	text, _ := s.Values[keyFlash].(string)
	if text == "" {
		return "", nil
	}
	delete(s.Values, keyFlash)
	return text, s.Save(c.Request(), c.Response())
}

var eventWords = map[models.SecurityEventKind]string{
	accounts.EventAccountCreated:   "Account created",
	accounts.EventEmailConfirmed:   "Email address confirmed",
	accounts.EventSignedIn:         "Signed in",
	accounts.EventSignInFailed:     "Failed sign-in",
	accounts.EventSecondFactorFail: "Wrong second-factor code",
	accounts.EventFactorAdded:      "Second factor added",
	accounts.EventFactorRemoved:    "Second factor removed",
	accounts.EventFactorRenamed:    "Second factor renamed",
	accounts.EventBackupCodesNew:   "New backup codes made",
	accounts.EventBackupCodeUsed:   "Backup code used",
	accounts.EventPasswordChanged:  "Password changed",
	accounts.EventPasswordReset:    "Password reset requested",
	accounts.EventEmailChanged:     "Email address changed",
	accounts.EventSignedOut:        "Signed out",
	accounts.EventSessionsEnded:    "Other sessions signed out",
	accounts.EventAccountLocked:    "Account locked",
	EventIPPINEnrolled:             "Enrolled for an IP PIN",
	EventIPPINViewed:               "IP PIN viewed",
	EventIPPINOptedOut:             "Opted out of the IP PIN program",
	ippin.EventReturnStopped:       "Tax return stopped by your IP PIN",
}

// when shows a time in the portal's zone.
// eventWord names an event in the security history; a kind without words
// yet still reads as something that happened.
func eventWord(k models.SecurityEventKind) string {
	if w, ok := eventWords[k]; ok {
		return w
	}
	return "Account activity"
}

func (a *App) when(t time.Time) string {
	return t.In(a.cfg.TimeZone).Format("Jan 2, 2006, 3:04 PM MST")
}

func (a *App) accountOverview(c echo.Context) error {
	v, err := a.overviewView(c)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, accountviews.Overview(a.page(c, "Your account"), v), nil)
}

func (a *App) overviewView(c echo.Context) (accountviews.OverviewView, error) {
	ctx := c.Request().Context()
	acct := account(c)
	flash, err := a.takeFlash(c)
	if err != nil {
		return accountviews.OverviewView{}, err
	}
	v := accountviews.OverviewView{
		Email: acct.Email, Notice: flash, AddFactorURL: a.reverse(RouteSetupFactor),
		PasswordURL: a.reverse(RoutePassword), EmailURL: a.reverse(RouteChangeEmail), EndOthersAction: a.reverse(RouteEndOtherSessions),
	}
	if acct.VerifiedAt == nil {
		v.NextStep = &accountviews.NextStep{
			Heading: "Next: verify your identity",
			Text:    "Before you can see tax records, refunds or your IP PIN, we need to confirm you are who you say you are. You only do this once.",
			URL:     a.reverse(RouteVerify), Action: "Verify your identity",
		}
	}
	factors, err := a.accounts.Factors(ctx, acct.ID)
	if err != nil {
		return v, err
	}
	for _, f := range factors {
		row := accountviews.FactorRow{ID: f.ID, Name: f.Name, Kind: strings.ToUpper(accounts.KindName(f.Kind)[:1]) + accounts.KindName(f.Kind)[1:],
			RenameAction: a.reverse(RouteRenameFactor, f.ID), RemoveAction: a.reverse(RouteRemoveFactor, f.ID), CanRemove: len(factors) > 1}
		switch f.Kind {
		case models.FactorBackupCodes:
			row.Detail = " · " + strconv.Itoa(accounts.UnusedBackupCodes(f)) + " of 10 codes left"
		case models.FactorPhone:
			how := "text"
			if f.PhoneByVoice {
				how = "phone call"
			}
			row.Detail = " · ending in " + f.PhoneLast4 + " by " + how
		}
		if f.LastUsedAt != nil {
			row.Detail += " · last used " + a.when(*f.LastUsedAt)
		}
		v.Factors = append(v.Factors, row)
	}
	s, err := a.sessionOf(c)
	if err != nil {
		return v, err
	}
	current := session.Handle(s)
	rows, err := a.sessions.ForAccount(ctx, acct.ID)
	if err != nil {
		return v, err
	}
	for _, r := range rows {
		v.Sessions = append(v.Sessions, accountviews.SessionRow{
			Browser: describeBrowser(r.UserAgent), SignedIn: a.when(r.CreatedAt), LastActive: a.when(r.LastSeenAt),
			Place: r.IP, Current: r.IDHash == current, EndAction: a.reverse(RouteEndSession, r.IDHash),
		})
	}
	events, err := a.accounts.History(ctx, acct.ID, 25)
	if err != nil {
		return v, err
	}
	for _, e := range events {
		row := accountviews.EventRow{When: a.when(e.At), What: eventWord(e.Kind), Where: describeBrowser(e.UserAgent)}
		if e.Detail != "" {
			row.Detail = " · " + e.Detail
		}
		if e.IP != "" {
			row.Where += ", " + e.IP
		}
		v.History = append(v.History, row)
	}
	if v.Looks, err = a.whoLooked(ctx, acct); err != nil {
		return v, err
	}
	return v, nil
}

// describeBrowser names a browser and system in plain words.
func describeBrowser(ua string) string {
	browser := "A browser"
	for _, b := range []struct{ token, name string }{
		{"Edg/", "Edge"}, {"Firefox/", "Firefox"}, {"Chrome/", "Chrome"}, {"Safari/", "Safari"},
	} {
		if strings.Contains(ua, b.token) {
			browser = b.name
			break
		}
	}
	system := ""
	for _, s := range []struct{ token, name string }{
		{"iPhone", "iPhone"}, {"iPad", "iPad"}, {"Android", "Android"}, {"Windows", "Windows"},
		{"Mac OS X", "Mac"}, {"CrOS", "ChromeOS"}, {"Linux", "Linux"},
	} {
		if strings.Contains(ua, s.token) {
			system = s.name
			break
		}
	}
	if system == "" {
		return browser
	}
	return browser + " on " + system
}

func parseID(c echo.Context) (uint64, bool) {
	id, err := strconv.ParseUint(c.Param("id"), 10, 64)
	return id, err == nil
}

func (a *App) renameFactor(c echo.Context) error {
	id, ok := parseID(c)
	if !ok {
		return echo.ErrNotFound
	}
	err := a.accounts.RenameFactor(c.Request().Context(), account(c), id, c.FormValue("name"), a.clientOf(c))
	if errors.Is(err, accounts.ErrFactorUnknown) {
		return echo.ErrNotFound
	}
	if errs, ok := fieldErrors(err); ok {
		return a.overviewWithErrors(c, errs)
	}
	if err != nil {
		return err
	}
	return a.flashTo(c, a.reverse(RouteAccount), "The name was saved.")
}

func (a *App) removeFactor(c echo.Context) error {
	id, ok := parseID(c)
	if !ok {
		return echo.ErrNotFound
	}
	err := a.accounts.RemoveFactor(c.Request().Context(), account(c), id, a.clientOf(c))
	switch {
	case errors.Is(err, accounts.ErrFactorUnknown):
		return echo.ErrNotFound
	case errors.Is(err, accounts.ErrLastFactor):
		var errs forms.Errors
		errs.Add("factors-heading", "You can’t remove your only second factor. Add another one first, then remove this one.")
		return a.overviewWithErrors(c, errs)
	case err != nil:
		return err
	}
	return a.flashTo(c, a.reverse(RouteAccount), "The second factor was removed.")
}

func (a *App) overviewWithErrors(c echo.Context, errs forms.Errors) error {
	v, err := a.overviewView(c)
	if err != nil {
		return err
	}
	v.Errors = errs
	return render(c, invalid, accountviews.Overview(a.page(c, "Your account"), v), nil)
}

func (a *App) endSessionOf(c echo.Context) error {
	ok, err := a.sessions.EndForAccount(c.Request().Context(), account(c).ID, c.Param("handle"))
	if err != nil {
		return err
	}
	if !ok {
		return echo.ErrNotFound
	}
	a.accounts.Record(c.Request().Context(), account(c).ID, accounts.EventSessionsEnded, "one browser", a.clientOf(c))
	return a.flashTo(c, a.reverse(RouteAccount), "That browser is signed out.")
}

func (a *App) endOtherSessions(c echo.Context) error {
	s, err := a.sessionOf(c)
	if err != nil {
		return err
	}
	n, err := a.sessions.EndAllForAccount(c.Request().Context(), account(c).ID, session.Handle(s))
	if err != nil {
		return err
	}
	a.accounts.Record(c.Request().Context(), account(c).ID, accounts.EventSessionsEnded, strconv.FormatInt(n, 10)+" browsers", a.clientOf(c))
	return a.flashTo(c, a.reverse(RouteAccount), "You’re signed out everywhere else.")
}

func (a *App) passwordView() signin.NewPasswordView {
	return signin.NewPasswordView{Heading: "Change your password", Intro: "Your other browsers will be signed out.", Action: a.reverse(RoutePassword)}
}

func (a *App) passwordForm(c echo.Context) error {
	return render(c, http.StatusOK, signin.NewPassword(a.page(c, "Change your password"), a.passwordView()), nil)
}

func (a *App) changePassword(c echo.Context) error {
	s, err := a.sessionOf(c)
	if err != nil {
		return err
	}
	err = a.accounts.ChangePassword(c.Request().Context(), account(c), c.FormValue("password"), session.Handle(s), a.clientOf(c))
	if errs, ok := fieldErrors(err); ok {
		v := a.passwordView()
		v.Errors = errs
		return render(c, invalid, signin.NewPassword(a.page(c, "Change your password"), v), nil)
	}
	if err != nil {
		return err
	}
	return a.flashTo(c, a.reverse(RouteAccount), "Your password was changed.")
}

func (a *App) reauthView(c echo.Context) signin.SignInView {
	v := a.signInView()
	v.Heading, v.Intro, v.Action = "Confirm it’s you", "For your security, enter your password again to continue.", a.reverse(RouteReauth)
	v.Email, v.EmailFix, v.SignUpURL = account(c).Email, true, ""
	return v
}

func (a *App) reauthForm(c echo.Context) error {
	return render(c, http.StatusOK, signin.SignIn(a.page(c, "Confirm it’s you"), a.reauthView(c)), nil)
}

// reauth checks the password again, then asks for the second factor; the
// factor step returns the person to where they were headed.
func (a *App) reauth(c echo.Context) error {
	acct := account(c)
	v := a.reauthView(c)
	password := c.FormValue("password")
	if password == "" {
		v.Errors.Add("password", "Enter your password.")
		return render(c, invalid, signin.SignIn(a.page(c, "Confirm it’s you"), v), nil)
	}
	_, d, err := a.accounts.CheckPassword(c.Request().Context(), acct.Email, password, a.clientOf(c))
	var limited *accounts.LimitedError
	switch {
	case errors.As(err, &limited), errors.Is(err, accounts.ErrWrongPassword):
		if limited != nil {
			d = limited.Decision
		}
		v.Errors.Add("password", "That password is wrong. "+credential.Explain(d, a.cfg.TimeZone))
		return render(c, invalid, signin.SignIn(a.page(c, "Confirm it’s you"), v), nil)
	case err != nil:
		return err
	}
	if err := a.startSignIn(c, acct, 1); err != nil {
		return err
	}
	return redirect(c, a.reverse(RouteSignInFactor))
}
