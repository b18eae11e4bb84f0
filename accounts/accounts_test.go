package accounts_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/taxportal/portal/accounts"
	"github.com/taxportal/portal/credential"
	"github.com/taxportal/portal/jobs"
	"github.com/taxportal/portal/models"
	"github.com/taxportal/portal/notify"
	"github.com/taxportal/portal/notify/notifytest"
	"github.com/taxportal/portal/pii"
	"github.com/taxportal/portal/portaltest"
)

type links struct{}

func (links) ConfirmEmail(t string) string  { return "https://portal.test/account/confirm?token=" + t }
func (links) ResetPassword(t string) string { return "https://portal.test/password/reset?token=" + t }
func (links) WasntMe(t string) string       { return "https://portal.test/account/wasnt-me?token=" + t }
func (links) SignIn() string                { return "https://portal.test/sign-in" }
func (links) ConfirmEmailChange(t string) string {
	return "https://portal.test/account/email/confirm?token=" + t
}

type fixture struct {
	svc   *accounts.Service
	clock *portaltest.Clock
	mail  delivered
}

// delivered reads what the job queue sent, after waiting for it to send
// everything queued so far, as a person waits for the e-mail.
type delivered struct {
	t     *testing.T
	queue *jobs.Queue
	*notifytest.Capture
}

func (d delivered) drain() {
	d.t.Helper()
	if err := d.queue.Drain(d.t.Context()); err != nil {
		d.t.Fatal(err)
	}
}

func (d delivered) Last(to string) (notify.Message, bool) {
	d.t.Helper()
	d.drain()
	return d.Capture.Last(to)
}

func (d delivered) LastPhone(toDigits string) (notifytest.PhoneMessage, bool) {
	d.t.Helper()
	d.drain()
	return d.Capture.LastPhone(toDigits)
}

func (d delivered) Reset() {
	d.t.Helper()
	d.drain()
	d.Capture.Reset()
}

var policy = func() credential.PasswordPolicy {
	p, err := credential.DefaultPasswordPolicy()
	if err != nil {
		panic(err)
	}
	return p
}()

func newFixture(t *testing.T) fixture {
	t.Helper()
	vault, _ := pii.NewVault(portaltest.SecretKey)
	clock := &portaltest.Clock{T: time.Date(2026, 3, 2, 15, 4, 0, 0, time.UTC)}
	mail := &notifytest.Capture{}
	db := portaltest.DB(t)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	settings := jobs.DefaultSettings()
	settings.Fast, settings.PollEvery, settings.Workers = true, 20*time.Millisecond, 1 // in order
	queue, err := jobs.New(jobs.Deps{DB: db, Vault: vault, Mailer: mail, Phone: mail, Log: log, Settings: settings})
	if err != nil {
		t.Fatal(err)
	}
	svc := accounts.New(accounts.Deps{
		DB: db, Vault: vault, Messages: queue,
		Brand: notify.Brand{Product: "Taxpayer Portal", Agency: "Demonstration Tax Agency", BaseURL: "https://portal.test"},
		Links: links{}, Policy: policy, Settings: accounts.DefaultSettings(),
		Log: log, Now: clock.Now,
	})
	queue.HandleAccountRequests(svc.CarryOut)
	if err := queue.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := queue.Stop(context.Background()); err != nil {
			t.Error(err)
		}
	})
	return fixture{svc, clock, delivered{t, queue, mail}}
}

var client = accounts.Client{IP: "192.0.2.10", UserAgent: "test", SessionKey: "s1"}

const goodPassword = "correct horse battery staple"

// confirmed creates and confirms an account, as a person would by e-mail.
func (f fixture) confirmed(t *testing.T, email string) *models.Account {
	t.Helper()
	if err := f.svc.Register(t.Context(), email, goodPassword, client); err != nil {
		t.Fatal(err)
	}
	m, ok := f.mail.Last(email)
	if !ok {
		t.Fatal("no confirmation e-mail")
	}
	acct, err := f.svc.ConfirmEmailByCode(t.Context(), email, notifytest.CodeIn(m.Text), client)
	if err != nil {
		t.Fatal(err)
	}
	return acct
}

func TestRegisterRefusesWeakPasswordsAndBadAddressesWithoutWriting(t *testing.T) {
	f := newFixture(t)
	cases := map[string][2]string{
		"short":         {"a@example.com", "short"},
		"common":        {"a@example.com", "passwordpassword"},
		"contains mail": {"jane.doe@example.com", "jane.doe secret words"},
		"bad address":   {"not-an-address", goodPassword},
	}
	for name, c := range cases {
		err := f.svc.Register(t.Context(), c[0], c[1], client)
		var ie accounts.InputErrors
		if !errors.As(err, &ie) || len(ie) == 0 {
			t.Errorf("%s: got %v, want input errors", name, err)
		}
	}
	var n int64
	f.svc.DB.Model(&models.Account{}).Count(&n)
	if n != 0 {
		t.Errorf("%d accounts written for refused sign-ups", n)
	}
}

func TestAnExistingAddressLooksLikeANewOneButIsToldByMail(t *testing.T) {
	f := newFixture(t)
	f.confirmed(t, "jane@example.com")
	f.mail.Reset()
	if err := f.svc.Register(t.Context(), "Jane@Example.com", "another long passphrase here", client); err != nil {
		t.Fatalf("a second sign-up must look like the first: %v", err)
	}
	m, ok := f.mail.Last("jane@example.com")
	if !ok || !strings.Contains(m.Subject, "already have") {
		t.Errorf("the holder was not told: %+v", m)
	}
	if _, _, err := f.svc.CheckPassword(t.Context(), "jane@example.com", goodPassword, client); err != nil {
		t.Errorf("the original password no longer works: %v", err)
	}
}

func TestConfirmationCodesAndLinksWorkOnceAndExpire(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	f.svc.Register(ctx, "a@example.com", goodPassword, client)
	m, _ := f.mail.Last("a@example.com")
	link := notifytest.LinkIn(m.Text, "https://portal.test/account/confirm?token=")
	token := strings.TrimPrefix(link, "https://portal.test/account/confirm?token=")
	if _, err := f.svc.ConfirmEmailByCode(ctx, "a@example.com", "000000", client); !errors.Is(err, accounts.ErrCodeInvalid) {
		t.Errorf("wrong code: %v", err)
	}
	if _, err := f.svc.ConfirmEmailByLink(ctx, token, accounts.LinkProof{SignedUpWith: "a@example.com"}, client); err != nil {
		t.Fatalf("link: %v", err)
	}
	if _, err := f.svc.ConfirmEmailByLink(ctx, token, accounts.LinkProof{SignedUpWith: "a@example.com"}, client); !errors.Is(err, accounts.ErrCodeInvalid) {
		t.Errorf("a used link worked again: %v", err)
	}

	f.svc.Register(ctx, "b@example.com", goodPassword, client)
	m, _ = f.mail.Last("b@example.com")
	f.clock.Advance(24*time.Hour + time.Minute)
	if _, err := f.svc.ConfirmEmailByCode(ctx, "b@example.com", notifytest.CodeIn(m.Text), client); !errors.Is(err, accounts.ErrCodeInvalid) {
		t.Errorf("an expired code worked: %v", err)
	}
}

func TestAConfirmationCodeDiesAfterFiveWrongTries(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	f.svc.Register(ctx, "a@example.com", goodPassword, client)
	m, _ := f.mail.Last("a@example.com")
	for range 5 {
		f.svc.ConfirmEmailByCode(ctx, "a@example.com", "999999", client)
	}
	if _, err := f.svc.ConfirmEmailByCode(ctx, "a@example.com", notifytest.CodeIn(m.Text), client); !errors.Is(err, accounts.ErrCodeInvalid) {
		t.Errorf("the right code worked after five wrong ones: %v", err)
	}
}

func TestPasswordLimitsAndNoEnumeration(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	f.confirmed(t, "known@example.com")
	for _, email := range []string{"known@example.com", "unknown@example.com"} {
		c := client
		c.SessionKey = "session-for-" + email
		var d credential.Decision
		var err error
		for i := 1; i <= 5; i++ {
			_, d, err = f.svc.CheckPassword(ctx, email, "wrong password number", c)
			if !errors.Is(err, accounts.ErrWrongPassword) || d.Remaining != 5-i {
				t.Fatalf("%s try %d: %v, %d left", email, i, err, d.Remaining)
			}
		}
		_, d, err = f.svc.CheckPassword(ctx, email, goodPassword, c)
		var lim *accounts.LimitedError
		if !errors.As(err, &lim) || !d.RetryAt.After(f.clock.T) {
			t.Fatalf("%s: sixth try within a minute: %v, retry at %s", email, err, d.RetryAt)
		}
	}
	f.clock.Advance(61 * time.Second)
	if _, _, err := f.svc.CheckPassword(ctx, "known@example.com", goodPassword, client); err != nil {
		t.Errorf("the right password a minute later: %v", err)
	}
}

func TestTwentyFailuresFromOneAddressBlockThatAddress(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	for i := range 20 {
		c := client
		c.SessionKey = "s" + string(rune('a'+i))
		f.svc.CheckPassword(ctx, "user"+string(rune('a'+i))+"@example.com", "wrong password here", c)
	}
	_, _, err := f.svc.CheckPassword(ctx, "fresh@example.com", "wrong password here", accounts.Client{IP: client.IP, SessionKey: "new"})
	var lim *accounts.LimitedError
	if !errors.As(err, &lim) {
		t.Errorf("21st try from one IP: %v", err)
	}
	if _, _, err := f.svc.CheckPassword(ctx, "fresh@example.com", "wrong password here", accounts.Client{IP: "198.51.100.7", SessionKey: "other"}); !errors.Is(err, accounts.ErrWrongPassword) {
		t.Errorf("another IP was blocked too: %v", err)
	}
}

func TestOneHundredConsecutiveFailuresLockTheAccount(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	f.confirmed(t, "a@example.com")
	// An address without an account locks the same way, so the lock tells
	// nothing about who has one.
	for _, email := range []string{"a@example.com", "nobody@example.com"} {
		for i := range 100 {
			f.clock.Advance(15 * time.Second) // slow enough to stay under the per-minute limits
			c := accounts.Client{IP: "192.0.2." + string(rune('0'+i%10)), SessionKey: "s"}
			f.svc.CheckPassword(ctx, email, "a wrong password", c)
		}
		f.clock.Advance(2 * time.Minute)
		for _, pw := range []string{goodPassword, "another wrong password"} {
			if _, _, err := f.svc.CheckPassword(ctx, email, pw, client); !errors.Is(err, accounts.ErrAccountLocked) {
				t.Fatalf("%s after 100 failures: %v, want locked whatever the password", email, err)
			}
		}
	}
	if m, _ := f.mail.Last("a@example.com"); !strings.Contains(strings.ToLower(m.Subject), "locked") {
		t.Errorf("the holder was not told of the lock: %q", m.Subject)
	}
}

func TestTOTPCodeWorksOnceAndTenWrongCodesLockOut(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	acct := f.confirmed(t, "a@example.com")
	secret, sealed, err := f.svc.NewTOTPSecret()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.ConfirmTOTP(ctx, acct, sealed, "123456", "", client); !errors.Is(err, accounts.ErrWrongCode) {
		t.Errorf("a wrong first code enrolled the app: %v", err)
	}
	code := credential.TOTPCode(secret, f.clock.T)
	if _, err := f.svc.ConfirmTOTP(ctx, acct, sealed, code, "My phone", client); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.VerifyTOTP(ctx, acct, code, client); !errors.Is(err, accounts.ErrWrongCode) {
		t.Errorf("the enrolment code signed in too: %v", err)
	}
	f.clock.Advance(30 * time.Second)
	code = credential.TOTPCode(secret, f.clock.T)
	if _, err := f.svc.VerifyTOTP(ctx, acct, code, client); err != nil {
		t.Fatalf("a fresh code: %v", err)
	}
	if _, err := f.svc.VerifyTOTP(ctx, acct, code, client); !errors.Is(err, accounts.ErrWrongCode) {
		t.Errorf("a code was accepted twice: %v", err)
	}
	for range 9 {
		f.svc.VerifyTOTP(ctx, acct, "000000", client)
	}
	f.clock.Advance(30 * time.Second)
	d, err := f.svc.VerifyTOTP(ctx, acct, credential.TOTPCode(secret, f.clock.T), client)
	var lim *accounts.LimitedError
	if !errors.As(err, &lim) {
		t.Fatalf("after ten wrong codes: %v", err)
	}
	if want := f.clock.T.Add(10 * time.Minute); d.RetryAt.After(want) || d.RetryAt.Before(want.Add(-time.Minute)) {
		t.Errorf("lockout ends %s, want about 10 minutes on", d.RetryAt)
	}
	f.clock.Advance(10*time.Minute + time.Second)
	if _, err := f.svc.VerifyTOTP(ctx, acct, credential.TOTPCode(secret, f.clock.T), client); err != nil {
		t.Errorf("after the lockout: %v", err)
	}
}

func TestBackupCodesAreSingleUseAndCounted(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	acct := f.confirmed(t, "a@example.com")
	codes, err := f.svc.NewBackupCodes(ctx, acct, client)
	if err != nil || len(codes) != 10 {
		t.Fatalf("%d codes, %v", len(codes), err)
	}
	if _, err := f.svc.VerifyBackupCode(ctx, acct, strings.ToLower(codes[3]), client); err != nil {
		t.Fatalf("a backup code in lower case: %v", err)
	}
	if _, err := f.svc.VerifyBackupCode(ctx, acct, codes[3], client); !errors.Is(err, accounts.ErrWrongCode) {
		t.Errorf("a backup code worked twice: %v", err)
	}
	fs, _ := f.svc.Factors(ctx, acct.ID)
	if len(fs) != 1 || accounts.UnusedBackupCodes(fs[0]) != 9 {
		t.Errorf("factors %+v", fs)
	}
	again, _ := f.svc.NewBackupCodes(ctx, acct, client)
	if _, err := f.svc.VerifyBackupCode(ctx, acct, codes[5], client); !errors.Is(err, accounts.ErrWrongCode) {
		t.Error("an old set still works after a new one was made")
	}
	if _, err := f.svc.VerifyBackupCode(ctx, acct, again[0], client); err != nil {
		t.Errorf("new set: %v", err)
	}
}

func TestTheLastSecondFactorCannotBeRemoved(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	acct := f.confirmed(t, "a@example.com")
	f.svc.NewBackupCodes(ctx, acct, client)
	fs, _ := f.svc.Factors(ctx, acct.ID)
	if err := f.svc.RemoveFactor(ctx, acct, fs[0].ID, client); !errors.Is(err, accounts.ErrLastFactor) {
		t.Errorf("removing the only factor: %v", err)
	}
	other := f.confirmed(t, "b@example.com")
	if err := f.svc.RemoveFactor(ctx, other, fs[0].ID, client); !errors.Is(err, accounts.ErrFactorUnknown) {
		t.Errorf("another account removed a factor it does not own: %v", err)
	}
	if err := f.svc.RenameFactor(ctx, other, fs[0].ID, "mine now", client); !errors.Is(err, accounts.ErrFactorUnknown) {
		t.Errorf("another account renamed a factor it does not own: %v", err)
	}
}

func TestPhoneCodesEnrolAndSignIn(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	acct := f.confirmed(t, "a@example.com")
	if _, err := f.svc.StartPhoneEnrollment(ctx, acct, "12345", false); err == nil {
		t.Error("a short number was accepted")
	}
	sealed, err := f.svc.StartPhoneEnrollment(ctx, acct, "(555) 010-0123", false)
	if err != nil {
		t.Fatal(err)
	}
	msg, ok := f.mail.LastPhone("5550100123")
	if !ok {
		t.Fatal("no text sent")
	}
	fac, err := f.svc.ConfirmPhone(ctx, acct, sealed, false, notifytest.CodeIn(msg.Body), "", client)
	if err != nil || fac.PhoneLast4 != "0123" {
		t.Fatalf("confirm: %v %+v", err, fac)
	}
	if err := f.svc.SendSignInCode(ctx, acct, fac.ID); err != nil {
		t.Fatal(err)
	}
	msg, _ = f.mail.LastPhone("5550100123")
	f.clock.Advance(11 * time.Minute)
	if _, err := f.svc.VerifyPhoneCode(ctx, acct, notifytest.CodeIn(msg.Body), client); !errors.Is(err, accounts.ErrWrongCode) {
		t.Errorf("a code older than ten minutes worked: %v", err)
	}
	f.svc.SendSignInCode(ctx, acct, fac.ID)
	msg, _ = f.mail.LastPhone("5550100123")
	if _, err := f.svc.VerifyPhoneCode(ctx, acct, notifytest.CodeIn(msg.Body), client); err != nil {
		t.Errorf("a fresh code: %v", err)
	}
}

func TestPasswordResetIsSingleUseAndEndsSessions(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	acct := f.confirmed(t, "a@example.com")
	f.svc.DB.Create(&models.Session{IDHash: "h1", AccountID: &acct.ID, CreatedAt: f.clock.T, LastSeenAt: f.clock.T, ExpiresAt: f.clock.T.Add(time.Hour)})
	if err := f.svc.RequestPasswordReset(ctx, "nobody@example.com", client); err != nil {
		t.Errorf("an unknown address must look like a known one: %v", err)
	}
	if _, ok := f.mail.Last("nobody@example.com"); ok {
		t.Error("mail sent to an address without an account")
	}
	if err := f.svc.RequestPasswordReset(ctx, "a@example.com", client); err != nil {
		t.Fatal(err)
	}
	m, _ := f.mail.Last("a@example.com")
	token := strings.TrimPrefix(notifytest.LinkIn(m.Text, "https://portal.test/password/reset?token="), "https://portal.test/password/reset?token=")
	if err := f.svc.ResetPassword(ctx, token, "short", client); err == nil {
		t.Error("a weak new password was accepted")
	}
	if err := f.svc.ResetPassword(ctx, token, "a brand new long passphrase", client); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.ResetPassword(ctx, token, "yet another long passphrase", client); !errors.Is(err, accounts.ErrCodeInvalid) {
		t.Errorf("a reset link worked twice: %v", err)
	}
	var n int64
	f.svc.DB.Model(&models.Session{}).Where("account_id = ?", acct.ID).Count(&n)
	if n != 0 {
		t.Error("sessions survived a password reset")
	}
	if _, _, err := f.svc.CheckPassword(ctx, "a@example.com", "a brand new long passphrase", client); err != nil {
		t.Errorf("new password: %v", err)
	}
}

func TestResetLinksExpireAfterThirtyMinutes(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	f.confirmed(t, "a@example.com")
	f.svc.RequestPasswordReset(ctx, "a@example.com", client)
	m, _ := f.mail.Last("a@example.com")
	token := strings.TrimPrefix(notifytest.LinkIn(m.Text, "https://portal.test/password/reset?token="), "https://portal.test/password/reset?token=")
	f.clock.Advance(31 * time.Minute)
	if f.svc.ResetTokenValid(ctx, token) {
		t.Error("a 31-minute-old reset link is still valid")
	}
}

func TestWasntMeLocksTheAccountUntilAReset(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	acct := f.confirmed(t, "a@example.com")
	f.svc.NewBackupCodes(ctx, acct, client) // sends a "second factor added" notice
	m, _ := f.mail.Last("a@example.com")
	link := notifytest.LinkIn(m.Text, "https://portal.test/account/wasnt-me?token=")
	if link == "" {
		t.Fatal("the notice has no This wasn't me link")
	}
	if _, err := f.svc.WasntMe(ctx, strings.TrimPrefix(link, "https://portal.test/account/wasnt-me?token="), client); err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.svc.CheckPassword(ctx, "a@example.com", goodPassword, client); !errors.Is(err, accounts.ErrAccountLocked) {
		t.Errorf("a locked account signed in: %v", err)
	}
}

func TestEmailChangeWaitsForTheNewAddressAndTellsTheOld(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	acct := f.confirmed(t, "old@example.com")
	f.confirmed(t, "taken@example.com")
	if err := f.svc.RequestEmailChange(ctx, acct, "old@example.com", client); err == nil {
		t.Error("changing to the same address was accepted")
	}
	if err := f.svc.RequestEmailChange(ctx, acct, "taken@example.com", client); err != nil {
		t.Errorf("a taken address must look like a free one: %v", err)
	}
	if err := f.svc.RequestEmailChange(ctx, acct, "new@example.com", client); err != nil {
		t.Fatal(err)
	}
	if a, _ := models.FindAccount(ctx, f.svc.DB, acct.ID); a.Email != "old@example.com" {
		t.Fatal("the address changed before the new one was confirmed")
	}
	m, _ := f.mail.Last("new@example.com")
	changed, err := f.svc.ConfirmEmailChangeByCode(ctx, acct, notifytest.CodeIn(m.Text), client)
	if err != nil || changed.Email != "new@example.com" {
		t.Fatalf("confirm: %v", err)
	}
	old, ok := f.mail.Last("old@example.com")
	if !ok || !strings.Contains(old.Text, "n***@example.com") || notifytest.LinkIn(old.Text, "https://portal.test/account/wasnt-me") == "" {
		t.Errorf("the old address was not told, with a way to undo: %+v", old)
	}
}

func TestOneClientCanStartTenAccountsAnHour(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	for i := range 10 {
		if err := f.svc.Register(ctx, "user"+string(rune('a'+i))+"@example.com", goodPassword, client); err != nil {
			t.Fatal(err)
		}
	}
	var lim *accounts.LimitedError
	if err := f.svc.Register(ctx, "eleventh@example.com", goodPassword, client); !errors.As(err, &lim) {
		t.Errorf("the eleventh sign-up: %v", err)
	}
	f.clock.Advance(time.Hour + time.Second)
	if err := f.svc.Register(ctx, "later@example.com", goodPassword, client); err != nil {
		t.Errorf("an hour later: %v", err)
	}
}

// History scans its rows by hand; it must give what GORM's own reading of
// the same rows gives, newest first, ties broken by id, up to the limit.
func TestHistoryReadsWhatGORMReads(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	acct := f.confirmed(t, "history@example.com")
	f.svc.Record(ctx, acct.ID, accounts.EventPasswordChanged, "", accounts.Client{})
	f.svc.Record(ctx, acct.ID, accounts.EventSignedOut, "from a phone", client)
	f.clock.Advance(time.Minute)
	f.svc.Record(ctx, acct.ID, accounts.EventSessionsEnded, "2 sessions", client)
	for _, limit := range []int{2, 25} {
		got, err := f.svc.History(ctx, acct.ID, limit)
		if err != nil {
			t.Fatal(err)
		}
		var want []models.SecurityEvent
		if err := f.svc.DB.Where("account_id = ?", acct.ID).Order("at DESC, id DESC").Limit(limit).Find(&want).Error; err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) || len(got) < 2 {
			t.Fatalf("limit %d: %d events, GORM reads %d", limit, len(got), len(want))
		}
		if got[0].Kind != accounts.EventSessionsEnded {
			t.Errorf("newest first: got %s", got[0].Kind)
		}
		for i := range got {
			g, w := got[i], want[i]
			if g.ID != w.ID || g.AccountID != w.AccountID || g.Kind != w.Kind || g.Detail != w.Detail ||
				g.IP != w.IP || g.UserAgent != w.UserAgent || !g.At.Equal(w.At) {
				t.Errorf("limit %d, event %d: %+v, GORM reads %+v", limit, i, g, w)
			}
		}
	}
}
