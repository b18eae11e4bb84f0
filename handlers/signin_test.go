package handlers_test

import (
	"encoding/base32"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/taxportal/portal/credential"
	"github.com/taxportal/portal/handlers"
	"github.com/taxportal/portal/models"
	"github.com/taxportal/portal/notify/notifytest"
	"github.com/taxportal/portal/portaltest"
)

const password = "correct horse battery staple"

// lastMail reads the newest outbox message to an address.
func lastMail(t *testing.T, p *portaltest.Portal, to string) models.OutboxMessage {
	t.Helper()
	msgs, err := p.Outbox(t).ForRecipient(t.Context(), to, 1)
	if err != nil || len(msgs) == 0 {
		t.Fatalf("no message to %s: %v", to, err)
	}
	return msgs[0]
}

func expectRedirect(t *testing.T, page *portaltest.Page, to string) {
	t.Helper()
	if page.StatusCode != http.StatusSeeOther || !strings.HasPrefix(page.Header.Get("Location"), to) {
		t.Fatalf("want 303 to %s, got %d to %q\n%s", to, page.StatusCode, page.Header.Get("Location"), page.Text("main"))
	}
}

// newAccount signs up and confirms the address with the e-mailed code,
// returning the page that asks for a first second factor.
func newAccount(t *testing.T, p *portaltest.Portal, c *portaltest.Client, email string) *portaltest.Page {
	t.Helper()
	form := c.Get("/sign-up")
	expectRedirect(t, c.Submit(form, `[data-testid="sign-up-form"]`, url.Values{"email": {email}, "password": {password}}), "/sign-up/confirm")
	check := c.Get("/sign-up/confirm")
	if !strings.Contains(check.Text("main"), email) {
		t.Fatal("the check-your-email page does not say where the message went")
	}
	code := notifytest.CodeIn(lastMail(t, p, email).Text)
	expectRedirect(t, c.Submit(check, `[data-testid="confirm-code-form"]`, url.Values{"code": {code}}), "/account/setup")
	return c.Get("/account/setup")
}

// signUp creates and confirms an account and sets up an authentication app,
// returning the app's secret.
func signUp(t *testing.T, p *portaltest.Portal, c *portaltest.Client, email string) []byte {
	t.Helper()
	choose := newAccount(t, p, c, email)
	expectRedirect(t, c.Submit(choose, `[data-testid="choose-factor-form"]`, url.Values{"factor": {"totp"}}), "/account/setup/app")
	app := c.Get("/account/setup/app")
	key := strings.ReplaceAll(app.Text(`[data-testid="totp-key"]`), " ", "")
	secret, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(key)
	if err != nil {
		t.Fatalf("key %q: %v", key, err)
	}
	if src, _ := app.Doc.Find(`[data-testid="totp-qr"]`).Attr("src"); !strings.HasPrefix(src, "data:image/png;base64,") {
		t.Errorf("no QR code image: %.40s", src)
	}
	wrong := c.Submit(app, `[data-testid="setup-app-form"]`, url.Values{"code": {"000000"}})
	if wrong.StatusCode != http.StatusUnprocessableEntity || wrong.Doc.Find(`[data-testid="error-summary"]`).Length() == 0 {
		t.Errorf("a wrong first code: status %d", wrong.StatusCode)
	}
	ok := c.Submit(app, `[data-testid="setup-app-form"]`, url.Values{"code": {credential.TOTPCode(secret, p.Clock.Now())}, "name": {"Phone"}})
	expectRedirect(t, ok, "/account")
	return secret
}

func signIn(t *testing.T, p *portaltest.Portal, c *portaltest.Client, email string, secret []byte) *portaltest.Page {
	t.Helper()
	page := c.Get("/sign-in")
	expectRedirect(t, c.Submit(page, `[data-testid="sign-in-form"]`, url.Values{"email": {email}, "password": {password}}), "/sign-in/verify")
	p.Clock.Advance(30 * time.Second) // a new TOTP step: each code works once
	verify := c.Get("/sign-in/verify")
	return c.Submit(verify, `[data-testid="factor-form"]`, url.Values{"code": {credential.TOTPCode(secret, p.Clock.Now())}})
}

func TestSignUpConfirmEnrolSignOutAndSignIn(t *testing.T) {
	p := portaltest.Start(t)
	c := p.Client(t)
	secret := signUp(t, p, c, "jane@example.com")

	acct := c.Get("/account")
	if acct.StatusCode != http.StatusOK || acct.Text(`[data-testid="account-email"]`) != "jane@example.com" {
		t.Fatalf("account page: %d", acct.StatusCode)
	}
	if acct.Header.Get("Cache-Control") != "no-store" {
		t.Error("a private page may be cached")
	}
	if !strings.Contains(acct.Text(`[data-testid="factors"]`), "Phone") {
		t.Error("the new app is not listed")
	}
	if !strings.Contains(acct.Text(`[data-testid="history"]`), "Second factor added") {
		t.Error("the security history misses the new factor")
	}
	if !strings.Contains(lastMail(t, p, "jane@example.com").Subject, "sign-in method was added") {
		t.Error("no notice of the added factor")
	}

	expectRedirect(t, c.Submit(acct, "form.portal-signout", nil), "/signed-out")
	expectRedirect(t, c.Get("/account"), "/sign-in")

	done := signIn(t, p, c, "jane@example.com", secret)
	expectRedirect(t, done, "/account")
	if got := c.Get("/account").StatusCode; got != http.StatusOK {
		t.Errorf("account after sign-in: %d", got)
	}
}

func TestSignInIdRotatesAndThePasswordAloneOpensNothing(t *testing.T) {
	p := portaltest.Start(t)
	c := p.Client(t)
	secret := signUp(t, p, c, "a@example.com")
	c.Submit(c.Get("/account"), "form.portal-signout", nil)

	page := c.Get("/sign-in")
	before := sessionCookie(c, p)
	expectRedirect(t, c.Submit(page, `[data-testid="sign-in-form"]`, url.Values{"email": {"a@example.com"}, "password": {password}}), "/sign-in/verify")
	after := sessionCookie(c, p)
	if after == "" || after == before {
		t.Error("the session id did not change at sign-in")
	}
	expectRedirect(t, c.Get("/account"), "/sign-in/verify")
	p.Clock.Advance(30 * time.Second)
	verify := c.Get("/sign-in/verify")
	expectRedirect(t, c.Submit(verify, `[data-testid="factor-form"]`, url.Values{"code": {credential.TOTPCode(secret, p.Clock.Now())}}), "/account")
	if sessionCookie(c, p) == after {
		t.Error("the session id did not change after the second factor")
	}
}

func sessionCookie(c *portaltest.Client, p *portaltest.Portal) string {
	u, _ := url.Parse(p.Server.URL)
	for _, ck := range c.HTTP.Jar.Cookies(u) {
		if ck.Name == "session" {
			return ck.Value
		}
	}
	return ""
}

func TestUnknownEmailAndWrongPasswordLookTheSame(t *testing.T) {
	p := portaltest.Start(t)
	c := p.Client(t)
	signUp(t, p, c, "known@example.com")

	try := func(email string) (int, string) {
		cl := p.Client(t)
		page := cl.Get("/sign-in")
		res := cl.Submit(page, `[data-testid="sign-in-form"]`, url.Values{"email": {email}, "password": {"not the password at all"}})
		return res.StatusCode, res.Text("#password-error")
	}
	s1, m1 := try("known@example.com")
	s2, m2 := try("nobody@example.com")
	if s1 != s2 || m1 != m2 || s1 != http.StatusUnprocessableEntity {
		t.Errorf("known: %d %q\nunknown: %d %q", s1, m1, s2, m2)
	}
	if !strings.Contains(m1, "4 tries left") {
		t.Errorf("the message does not say how many tries are left: %q", m1)
	}
}

func TestTooManyPasswordsShowWhenToTryAgain(t *testing.T) {
	p := portaltest.Start(t)
	c := p.Client(t)
	page := c.Get("/sign-in")
	var last *portaltest.Page
	for range 6 {
		last = c.Submit(page, `[data-testid="sign-in-form"]`, url.Values{"email": {"x@example.com"}, "password": {"wrong password again"}})
	}
	if last.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("sixth try: %d", last.StatusCode)
	}
	// The test clock stands at 15:04:05 UTC, 10:04 AM in New York.
	if msg := last.Text(".usa-alert"); !strings.Contains(msg, "10:06 AM") {
		t.Errorf("the limit does not say when to try again: %q", msg)
	}
	if v, _ := last.Doc.Find("#email").Attr("value"); v != "x@example.com" {
		t.Error("the e-mail typed was lost")
	}
	if last.Doc.Find(`#password[value]`).Length() != 0 {
		t.Error("the password was echoed back")
	}
}

func TestSignUpProblemsKeepWhatWasTyped(t *testing.T) {
	p := portaltest.Start(t)
	c := p.Client(t)
	page := c.Get("/sign-up")
	res := c.Submit(page, `[data-testid="sign-up-form"]`, url.Values{"email": {"jane@example.com"}, "password": {"short"}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("status %d", res.StatusCode)
	}
	if v, _ := res.Doc.Find("#email").Attr("value"); v != "jane@example.com" {
		t.Error("the address was lost")
	}
	if res.Doc.Find(`[data-testid="error-summary"] a[href="#password"]`).Length() != 1 {
		t.Error("the error summary does not link to the password")
	}
	if !strings.Contains(res.Text("#password-error"), "12") {
		t.Errorf("password error %q", res.Text("#password-error"))
	}
	var n int64
	p.DB.Model(&models.Account{}).Count(&n)
	if n != 0 {
		t.Error("a refused sign-up wrote an account")
	}
}

func TestSessionsEndAfterFifteenIdleMinutesAndTwelveHours(t *testing.T) {
	p := portaltest.Start(t)
	c := p.Client(t)
	signUp(t, p, c, "a@example.com")
	p.Clock.Advance(14 * time.Minute)
	if got := c.Get("/account").StatusCode; got != http.StatusOK {
		t.Fatalf("after 14 minutes: %d", got)
	}
	p.Clock.Advance(16 * time.Minute)
	expectRedirect(t, c.Get("/account"), "/sign-in")

	c = p.Client(t)
	signUp(t, p, c, "b@example.com")
	for range 12 * 6 {
		p.Clock.Advance(10 * time.Minute)
		c.Get("/account")
	}
	expectRedirect(t, c.Get("/account"), "/sign-in")
}

func TestSensitiveChangesNeedARecentSignIn(t *testing.T) {
	p := portaltest.Start(t)
	c := p.Client(t)
	secret := signUp(t, p, c, "a@example.com")
	if got := c.Get("/account/password").StatusCode; got != http.StatusOK {
		t.Fatalf("just signed in: %d", got)
	}
	for range 3 {
		p.Clock.Advance(7 * time.Minute)
		c.Get("/account") // active, but the sign-in itself grows old
	}
	expectRedirect(t, c.Get("/account/password"), "/account/confirm-it-is-you")
	reauth := c.Get("/account/confirm-it-is-you")
	expectRedirect(t, c.Submit(reauth, `[data-testid="sign-in-form"]`, url.Values{"password": {password}}), "/sign-in/verify")
	p.Clock.Advance(30 * time.Second)
	verify := c.Get("/sign-in/verify")
	expectRedirect(t, c.Submit(verify, `[data-testid="factor-form"]`, url.Values{"code": {credential.TOTPCode(secret, p.Clock.Now())}}), "/account/password")
}

func TestBackupCodesAndTheLastFactorRule(t *testing.T) {
	p := portaltest.Start(t)
	c := p.Client(t)
	signUp(t, p, c, "a@example.com")
	choose := c.Get("/account/setup")
	expectRedirect(t, c.Submit(choose, `[data-testid="choose-factor-form"]`, url.Values{"factor": {"backup_codes"}}), "/account/setup/backup-codes")
	codes := c.Get("/account/setup/backup-codes")
	if n := codes.Doc.Find(`[data-testid="backup-codes"] li`).Length(); n != 10 {
		t.Fatalf("%d codes shown", n)
	}
	dl := c.Submit(codes, `form[action="/account/setup/backup-codes/download"]`, nil)
	if !strings.Contains(dl.Header.Get("Content-Disposition"), "attachment") || !strings.Contains(dl.Body, codes.Doc.Find(`[data-testid="backup-codes"] li`).First().Text()) {
		t.Error("the download does not carry the codes")
	}
	expectRedirect(t, c.Submit(codes, `form[action="/account/setup/backup-codes/done"]`, nil), "/account")
	if again := c.Get("/account/setup/backup-codes"); again.StatusCode != http.StatusSeeOther {
		t.Error("the codes can be shown a second time")
	}
	acct := c.Get("/account")
	if !strings.Contains(acct.Text(`[data-testid="factors"]`), "10 of 10 codes left") {
		t.Errorf("factors: %s", acct.Text(`[data-testid="factors"]`))
	}
}

func TestAnotherAccountsFactorOrSessionIsNotFound(t *testing.T) {
	p := portaltest.Start(t)
	a := p.Client(t)
	signUp(t, p, a, "a@example.com")
	b := p.Client(t)
	signUp(t, p, b, "b@example.com")
	var f models.SecondFactor
	p.DB.Joins("JOIN accounts ON accounts.id = second_factors.account_id").Where("accounts.email = ?", "a@example.com").Take(&f)
	page := b.Get("/account")
	token := csrfFromHxHeaders(t, page)
	for _, path := range []string{
		"/account/factors/" + strconv.FormatUint(f.ID, 10) + "/remove",
		"/account/factors/" + strconv.FormatUint(f.ID, 10) + "/rename",
	} {
		if got := b.PostForm(path, url.Values{"_csrf": {token}, "name": {"x"}}).StatusCode; got != http.StatusNotFound {
			t.Errorf("%s by another account: %d, want 404", path, got)
		}
	}
	var s models.Session
	p.DB.Joins("JOIN accounts ON accounts.id = sessions.account_id").Where("accounts.email = ?", "a@example.com").Take(&s)
	if got := b.PostForm("/account/sessions/"+s.IDHash+"/end", url.Values{"_csrf": {token}}).StatusCode; got != http.StatusNotFound {
		t.Errorf("ending another account's session: %d, want 404", got)
	}
	if a.Get("/account").StatusCode != http.StatusOK {
		t.Error("a's session was ended by b")
	}
}

func TestForgotPasswordDoesNotSkipTheSecondFactorAndEndsSessions(t *testing.T) {
	p := portaltest.Start(t)
	c := p.Client(t)
	secret := signUp(t, p, c, "a@example.com")
	other := p.Client(t)
	signIn(t, p, other, "a@example.com", secret)

	anon := p.Client(t)
	forgot := anon.Get("/password/forgot")
	sent := anon.Submit(forgot, "form.usa-form", url.Values{"email": {"a@example.com"}})
	if sent.StatusCode != http.StatusOK {
		t.Fatalf("status %d", sent.StatusCode)
	}
	unknown := p.Client(t)
	same := unknown.Submit(unknown.Get("/password/forgot"), "form.usa-form", url.Values{"email": {"nobody@example.com"}})
	if same.Text("h1") != sent.Text("h1") {
		t.Error("the answer differs for an unknown address")
	}
	link := notifytest.LinkIn(lastMail(t, p, "a@example.com").Text, "http")
	u, _ := url.Parse(link)
	reset := anon.Get(u.RequestURI())
	done := anon.Submit(reset, `[data-testid="new-password-form"]`, url.Values{"password": {"a whole new passphrase"}})
	if done.StatusCode != http.StatusOK {
		t.Fatalf("reset: %d %s", done.StatusCode, done.Text("main"))
	}
	expectRedirect(t, other.Get("/account"), "/sign-in")
	expectRedirect(t, c.Get("/account"), "/sign-in")
	if anon.Get(u.RequestURI()).StatusCode != http.StatusGone {
		t.Error("the reset link works twice")
	}
	page := anon.Get("/sign-in")
	expectRedirect(t, anon.Submit(page, `[data-testid="sign-in-form"]`, url.Values{"email": {"a@example.com"}, "password": {"a whole new passphrase"}}), "/sign-in/verify")
}

func TestBackupCodesCanBeTheFirstFactor(t *testing.T) {
	p := portaltest.Start(t)
	c := p.Client(t)
	choose := newAccount(t, p, c, "b@example.com")
	expectRedirect(t, c.Submit(choose, `[data-testid="choose-factor-form"]`, url.Values{"factor": {"backup_codes"}}), "/account/setup/backup-codes")
	codes := c.Get("/account/setup/backup-codes")
	if n := codes.Doc.Find(`[data-testid="backup-codes"] li`).Length(); n != 10 {
		t.Fatalf("%d codes shown (status %d)", n, codes.StatusCode)
	}
	first := codes.Doc.Find(`[data-testid="backup-codes"] li`).First().Text()
	expectRedirect(t, c.Submit(codes, `form[action="/account/setup/backup-codes/done"]`, nil), "/account")
	c.Submit(c.Get("/account"), "form.portal-signout", nil)

	page := c.Get("/sign-in")
	expectRedirect(t, c.Submit(page, `[data-testid="sign-in-form"]`, url.Values{"email": {"b@example.com"}, "password": {password}}), "/sign-in/verify")
	verify := c.Get("/sign-in/verify")
	expectRedirect(t, c.Submit(verify, `[data-testid="factor-form"]`, url.Values{"code": {first}}), "/account")
}

func TestPhoneCodesEnrolAndSignIn(t *testing.T) {
	p := portaltest.Start(t)
	c := p.Client(t)
	choose := newAccount(t, p, c, "p@example.com")
	expectRedirect(t, c.Submit(choose, `[data-testid="choose-factor-form"]`, url.Values{"factor": {"phone"}}), "/account/setup/phone")
	phone := c.Get("/account/setup/phone")
	bad := c.Submit(phone, `[data-testid="setup-phone-form"]`, url.Values{"phone": {"12345"}, "delivery": {"text"}})
	if bad.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("a short number: %d", bad.StatusCode)
	}
	if v, _ := bad.Doc.Find("#phone").Attr("value"); v != "12345" {
		t.Error("the typed number was lost")
	}
	expectRedirect(t, c.Submit(phone, `[data-testid="setup-phone-form"]`, url.Values{"phone": {"555-010-0123"}, "delivery": {"text"}}), "/account/setup/phone/confirm")
	confirm := c.Get("/account/setup/phone/confirm")
	if !strings.Contains(confirm.Text("main"), "0123") {
		t.Error("the page does not say which number got the code")
	}
	sms := lastMail(t, p, "5550100123")
	expectRedirect(t, c.Submit(confirm, `[data-testid="confirm-phone-form"]`, url.Values{"code": {notifytest.CodeIn(sms.Text)}}), "/account")
	c.Submit(c.Get("/account"), "form.portal-signout", nil)

	page := c.Get("/sign-in")
	expectRedirect(t, c.Submit(page, `[data-testid="sign-in-form"]`, url.Values{"email": {"p@example.com"}, "password": {password}}), "/sign-in/verify")
	verify := c.Get("/sign-in/verify") // the phone is the only way: opening it sends a code
	code := notifytest.CodeIn(lastMail(t, p, "5550100123").Text)
	expectRedirect(t, c.Submit(verify, `[data-testid="factor-form"]`, url.Values{"code": {code}}), "/account")
}

func TestPhoneCodesAreNotOfferedWithoutASender(t *testing.T) {
	if got := handlers.FactorChoicesForTest(false); strings.Contains(strings.Join(got, ","), "phone") {
		t.Errorf("without a sender the choices are %v", got)
	}
	if got := handlers.FactorChoicesForTest(true); !strings.Contains(strings.Join(got, ","), "phone") {
		t.Errorf("with a sender the choices are %v", got)
	}
	if got := handlers.PhoneGuardForTest(false); got != http.StatusNotFound {
		t.Errorf("phone enrolment without a sender: %d, want 404", got)
	}
	if got := handlers.PhoneGuardForTest(true); got != http.StatusOK {
		t.Errorf("phone enrolment with a sender: %d", got)
	}
}

func TestThisWasntMeLocksTheAccountAndSignInSaysSo(t *testing.T) {
	p := portaltest.Start(t)
	c := p.Client(t)
	signUp(t, p, c, "a@example.com")
	link := notifytest.LinkIn(lastMail(t, p, "a@example.com").Text, "http")
	u, _ := url.Parse(link)
	if u.Path != "/account/lock" {
		t.Fatalf("the notice's first link is %s, want the lock link", u.Path)
	}
	anon := p.Client(t)
	form := anon.Get(u.RequestURI())
	done := anon.Submit(form, "main form", nil)
	if done.StatusCode != http.StatusOK || done.Text("h1") != "Your account is locked" {
		t.Fatalf("locking: %d %q", done.StatusCode, done.Text("h1"))
	}
	expectRedirect(t, c.Get("/account"), "/sign-in")
	page := anon.Get("/sign-in")
	res := anon.Submit(page, `[data-testid="sign-in-form"]`, url.Values{"email": {"a@example.com"}, "password": {password}})
	if res.StatusCode != http.StatusForbidden || !strings.Contains(res.Text("main"), "Reset your password") {
		t.Errorf("signing in to a locked account: %d %q", res.StatusCode, res.Text("h1"))
	}
}
