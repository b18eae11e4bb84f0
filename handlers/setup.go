package handlers

import (
	"encoding/base64"
	"errors"
	"net/http"
	"strings"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"github.com/taxportal/portal/accounts"
	"github.com/taxportal/portal/credential"
	"github.com/taxportal/portal/messages"
	"github.com/taxportal/portal/models"
	accountviews "github.com/taxportal/portal/views/account"
	"github.com/taxportal/portal/views/components"
)

// Session values of an enrolment in progress. Secrets are kept sealed.
const (
	keyEnrollTOTP  = "enroll_totp"  // sealed TOTP secret
	keyEnrollPhone = "enroll_phone" // sealed phone number
	keyEnrollVoice = "enroll_voice" // bool
	keyBackupCodes = "backup_codes" // the new codes, sealed, until "I saved my codes"
)

// sessionBackupCodes is the sealing context of backup codes held in a session.
const sessionBackupCodes = "sessions.backup_codes"

var factorChoices = []components.Choice{
	{Value: "totp", Label: "Authentication app", Description: "Codes from an app on your phone or computer. Works without signal. Recommended."},
	{Value: "webauthn", Label: "Security key or passkey", Description: "A key you plug in or tap, or a passkey on your phone, computer or password manager. Nothing to type, and fake sites can’t trick it."},
	{Value: "phone", Label: "Text message or phone call", Description: "We send a code to your phone each time you sign in."},
	{Value: "backup_codes", Label: "Backup codes", Description: "Ten single-use codes to print or save. Best as a second way, in case you lose your phone."},
}

// factorChoices offers phone codes only where a phone sender delivers them:
// the development outbox, or a provider once one is configured.
func (a *App) factorChoices() []components.Choice {
	if a.phoneCodes {
		return factorChoices
	}
	var out []components.Choice
	for _, ch := range factorChoices {
		if ch.Value != "phone" {
			out = append(out, ch)
		}
	}
	return out
}

// requirePhoneCodes hides the phone enrolment where no sender delivers codes.
func (a *App) requirePhoneCodes(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if acct := account(c); !a.phoneCodes || (acct != nil && acct.IsStaff()) {
			return echo.ErrNotFound
		}
		return next(c)
	}
}

func (a *App) chooseFactorView(c echo.Context, errMsg string) (accountviews.ChooseFactorView, error) {
	factors, err := a.accounts.Factors(c.Request().Context(), account(c).ID)
	if err != nil {
		return accountviews.ChooseFactorView{}, err
	}
	v := accountviews.ChooseFactorView{
		Heading: "Add a second way to confirm it’s you",
		Intro:   "Each time you sign in, after your password, you’ll use this to prove it’s really you. You can add more later.",
		Action:  a.reverse(RouteSetupFactor), Choices: a.choicesFor(account(c)), Error: errMsg,
	}
	if len(factors) > 0 && aal(c) >= 2 {
		v.Heading, v.Cancel = "Add another second factor", a.reverse(RouteAccount)
	}
	return v, nil
}

// mayEnroll lets a holder add a factor at the first level only while the
// account has none; once it has one, adding another needs a full sign-in.
func (a *App) mayEnroll(c echo.Context) (bool, error) {
	if aal(c) >= 2 {
		return true, nil
	}
	factors, err := a.signInFactors(c, account(c))
	return len(factors) == 0, err
}

func (a *App) enrollGate(next echo.HandlerFunc) echo.HandlerFunc {
	recent := a.requireRecentAuth(next)
	return func(c echo.Context) error {
		if aal(c) >= 2 {
			return recent(c) // adding to a protected account needs a recent sign-in
		}
		ok, err := a.mayEnroll(c)
		if err != nil {
			return err
		}
		if !ok {
			return redirect(c, a.reverse(RouteSignInFactor))
		}
		return next(c)
	}
}

func (a *App) chooseFactorForm(c echo.Context) error {
	v, err := a.chooseFactorView(c, "")
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, accountviews.ChooseFactor(a.page(c, v.Heading), v), nil)
}

func (a *App) chooseFactor(c echo.Context) error {
	factor := c.FormValue("factor")
	if account(c).IsStaff() && !staffFactor(models.FactorKind(factor)) {
		factor = "" // not offered to staff
	}
	switch factor {
	case "totp":
		return redirect(c, a.reverse(RouteSetupApp))
	case "webauthn":
		return redirect(c, a.reverse(RouteSetupSecurityKey))
	case "phone":
		if a.phoneCodes {
			return redirect(c, a.reverse(RouteSetupPhone))
		}
	case "backup_codes":
		return a.createBackupCodes(c)
	}
	v, err := a.chooseFactorView(c, messages.Get(messages.ChoiceMissing).Body)
	if err != nil {
		return err
	}
	return render(c, invalid, accountviews.ChooseFactor(a.page(c, v.Heading), v), nil)
}

// setupAppView shows the QR code and key of the secret kept in the session,
// making one on first visit.
func (a *App) setupAppView(c echo.Context) (accountviews.SetupAppView, error) {
	s, err := a.sessionOf(c)
	if err != nil {
		return accountviews.SetupAppView{}, err
	}
	sealed, _ := s.Values[keyEnrollTOTP].([]byte)
	var secret []byte
	if sealed != nil {
		secret, err = a.accounts.OpenTOTPSecret(sealed)
	}
	if sealed == nil || err != nil {
		if secret, sealed, err = a.accounts.NewTOTPSecret(); err != nil {
			return accountviews.SetupAppView{}, err
		}
		s.Values[keyEnrollTOTP] = sealed
		if err := s.Save(c.Request(), c.Response()); err != nil {
			return accountviews.SetupAppView{}, err
		}
	}
	png, err := credential.QRCodePNG(credential.TOTPURI(a.cfg.ProductName, account(c).Email, secret), 256)
	if err != nil {
		return accountviews.SetupAppView{}, err
	}
	return accountviews.SetupAppView{
		QRCode:  templ.SafeURL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png)),
		Key:     groupsOf4(credential.TOTPSecretText(secret)),
		Action:  a.reverse(RouteSetupApp),
		BackURL: a.reverse(RouteSetupFactor),
	}, nil
}

func groupsOf4(s string) string {
	var b strings.Builder
	for i, r := range s {
		if i > 0 && i%4 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	return b.String()
}

func (a *App) setupAppForm(c echo.Context) error {
	v, err := a.setupAppView(c)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, accountviews.SetupApp(a.page(c, "Set up an authentication app"), v), nil)
}

func (a *App) setupApp(c echo.Context) error {
	v, err := a.setupAppView(c)
	if err != nil {
		return err
	}
	s, _ := a.sessionOf(c)
	sealed, _ := s.Values[keyEnrollTOTP].([]byte)
	code, name := strings.TrimSpace(c.FormValue("code")), strings.TrimSpace(c.FormValue("name"))
	v.Name = name
	if code == "" {
		v.Errors = fieldError("code", messages.CodeMissing)
		return render(c, invalid, accountviews.SetupApp(a.page(c, "Set up an authentication app"), v), nil)
	}
	_, err = a.accounts.ConfirmTOTP(c.Request().Context(), account(c), sealed, code, name, a.clientOf(c))
	if errors.Is(err, accounts.ErrWrongCode) {
		v.Errors = fieldError("code", messages.CodeInvalid)
		return render(c, invalid, accountviews.SetupApp(a.page(c, "Set up an authentication app"), v), nil)
	}
	if err != nil {
		return err
	}
	delete(s.Values, keyEnrollTOTP)
	return a.factorEnrolled(c, "Your authentication app is set up.")
}

// factorEnrolled finishes an enrolment and says so on the account page.
func (a *App) factorEnrolled(c echo.Context, notice string) error {
	if err := a.completeFirstFactor(c, account(c)); err != nil {
		return err
	}
	return a.flashTo(c, a.reverse(RouteAccount), notice)
}

// completeFirstFactor completes the sign-in when the holder set up their
// first factor: they have just proven both password (or e-mail) and factor.
func (a *App) completeFirstFactor(c echo.Context, acct *models.Account) error {
	if aal(c) >= 2 {
		return nil
	}
	if err := a.accounts.CompleteSignIn(c.Request().Context(), acct, "new second factor", a.clientOf(c)); err != nil {
		return err
	}
	return a.startSignIn(c, acct, 2)
}

func (a *App) setupPhoneForm(c echo.Context) error {
	v := accountviews.SetupPhoneView{Action: a.reverse(RouteSetupPhone), BackURL: a.reverse(RouteSetupFactor)}
	return render(c, http.StatusOK, accountviews.SetupPhone(a.page(c, "Get codes by text or phone call"), v), nil)
}

func (a *App) setupPhone(c echo.Context) error {
	phone, voice := strings.TrimSpace(c.FormValue("phone")), c.FormValue("delivery") == "voice"
	sealed, err := a.accounts.StartPhoneEnrollment(c.Request().Context(), account(c), phone, voice)
	var limited *accounts.LimitedError
	if errs, ok := fieldErrors(err); ok || errors.As(err, &limited) {
		if limited != nil {
			errs.Add("phone", "We can’t send more codes right now. "+credential.Explain(limited.Decision, a.cfg.TimeZone))
		}
		v := accountviews.SetupPhoneView{Phone: phone, Voice: voice, Errors: errs, Action: a.reverse(RouteSetupPhone), BackURL: a.reverse(RouteSetupFactor)}
		return render(c, invalid, accountviews.SetupPhone(a.page(c, "Get codes by text or phone call"), v), nil)
	}
	if err != nil {
		return err
	}
	s, _ := a.sessionOf(c)
	s.Values[keyEnrollPhone], s.Values[keyEnrollVoice] = sealed, voice
	if err := s.Save(c.Request(), c.Response()); err != nil {
		return err
	}
	return redirect(c, a.reverse(RouteSetupPhoneConfirm))
}

func (a *App) confirmPhoneView(c echo.Context) (accountviews.ConfirmPhoneView, []byte, bool, bool) {
	s, _ := a.sessionOf(c)
	sealed, _ := s.Values[keyEnrollPhone].([]byte)
	voice, _ := s.Values[keyEnrollVoice].(bool)
	digits, err := a.vault.OpenString(models.ColumnFactorPhone, sealed)
	if sealed == nil || err != nil || len(digits) < 4 {
		return accountviews.ConfirmPhoneView{}, nil, false, false
	}
	return accountviews.ConfirmPhoneView{
		Last4: digits[len(digits)-4:], Action: a.reverse(RouteSetupPhoneConfirm),
		ResendAction: a.reverse(RouteSetupPhoneResend), BackURL: a.reverse(RouteSetupPhone),
	}, sealed, voice, true
}

func (a *App) confirmPhoneForm(c echo.Context) error {
	v, _, _, ok := a.confirmPhoneView(c)
	if !ok {
		return redirect(c, a.reverse(RouteSetupPhone))
	}
	return render(c, http.StatusOK, accountviews.ConfirmPhone(a.page(c, "Enter the code we sent"), v), nil)
}

func (a *App) confirmPhone(c echo.Context) error {
	v, sealed, voice, ok := a.confirmPhoneView(c)
	if !ok {
		return redirect(c, a.reverse(RouteSetupPhone))
	}
	code := strings.TrimSpace(c.FormValue("code"))
	if code == "" {
		v.Errors = fieldError("code", messages.CodeMissing)
		return render(c, invalid, accountviews.ConfirmPhone(a.page(c, "Enter the code we sent"), v), nil)
	}
	_, err := a.accounts.ConfirmPhone(c.Request().Context(), account(c), sealed, voice, code, "", a.clientOf(c))
	if errors.Is(err, accounts.ErrCodeInvalid) {
		v.Errors = fieldError("code", messages.CodeInvalid)
		return render(c, invalid, accountviews.ConfirmPhone(a.page(c, "Enter the code we sent"), v), nil)
	}
	if err != nil {
		return err
	}
	s, _ := a.sessionOf(c)
	delete(s.Values, keyEnrollPhone)
	delete(s.Values, keyEnrollVoice)
	return a.factorEnrolled(c, "Your phone is set up for sign-in codes.")
}

func (a *App) resendPhoneCode(c echo.Context) error {
	v, sealed, voice, ok := a.confirmPhoneView(c)
	if !ok {
		return redirect(c, a.reverse(RouteSetupPhone))
	}
	digits, _ := a.vault.OpenString(models.ColumnFactorPhone, sealed)
	_, err := a.accounts.StartPhoneEnrollment(c.Request().Context(), account(c), digits, voice)
	var limited *accounts.LimitedError
	switch {
	case errors.As(err, &limited):
		v.Notice = "We can’t send more codes right now. " + credential.Explain(limited.Decision, a.cfg.TimeZone)
	case err != nil:
		return err
	default:
		v.Notice = "We sent a new code. Only the newest code works."
	}
	return render(c, http.StatusOK, accountviews.ConfirmPhone(a.page(c, "Enter the code we sent"), v), nil)
}

// createBackupCodes makes a new set and shows it once. The set is a second
// factor from this moment, so a first enrolment completes the sign-in here;
// the page that shows the codes is then an ordinary signed-in page.
func (a *App) createBackupCodes(c echo.Context) error {
	acct := account(c)
	codes, err := a.accounts.NewBackupCodes(c.Request().Context(), acct, a.clientOf(c))
	if err != nil {
		return err
	}
	sealed, err := a.vault.SealString(sessionBackupCodes, strings.Join(codes, " "))
	if err != nil {
		return err
	}
	s, _ := a.sessionOf(c)
	s.Values[keyBackupCodes] = sealed
	if err := a.completeFirstFactor(c, acct); err != nil {
		return err
	}
	if err := s.Save(c.Request(), c.Response()); err != nil {
		return err
	}
	return redirect(c, a.reverse(RouteBackupCodes))
}

// shownBackupCodes opens the new codes kept (sealed) in the session.
func (a *App) shownBackupCodes(c echo.Context) []string {
	s, _ := a.sessionOf(c)
	sealed, _ := s.Values[keyBackupCodes].([]byte)
	text, err := a.vault.OpenString(sessionBackupCodes, sealed)
	if sealed == nil || err != nil {
		return nil
	}
	return strings.Fields(text)
}

func (a *App) backupCodes(c echo.Context) error {
	codes := a.shownBackupCodes(c)
	if len(codes) == 0 {
		return redirect(c, a.reverse(RouteAccount))
	}
	v := accountviews.BackupCodesView{Codes: codes, DownloadAction: a.reverse(RouteBackupCodesDownload), DoneAction: a.reverse(RouteBackupCodesDone)}
	return render(c, http.StatusOK, accountviews.BackupCodes(a.page(c, "Save your backup codes"), v), nil)
}

func (a *App) downloadBackupCodes(c echo.Context) error {
	codes := a.shownBackupCodes(c)
	if len(codes) == 0 {
		return redirect(c, a.reverse(RouteAccount))
	}
	text := credential.BackupCodesText(codes, a.cfg.ProductName, account(c).Email, a.now())
	c.Response().Header().Set("Content-Disposition", `attachment; filename="backup-codes.txt"`)
	return c.Blob(http.StatusOK, "text/plain; charset=utf-8", []byte(text))
}

// backupCodesDone forgets the shown codes.
func (a *App) backupCodesDone(c echo.Context) error {
	s, _ := a.sessionOf(c)
	if _, ok := s.Values[keyBackupCodes]; !ok {
		return redirect(c, a.reverse(RouteAccount))
	}
	delete(s.Values, keyBackupCodes)
	return a.flashTo(c, a.reverse(RouteAccount), "Your backup codes are ready. Keep them somewhere safe.")
}
