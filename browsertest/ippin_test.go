package browsertest

import (
	"encoding/base32"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/taxportal/portal/credential"
	"github.com/taxportal/portal/demodata"
	"github.com/taxportal/portal/models"
	"github.com/taxportal/portal/portaltest"
)

// TestIPPINJourney: a verified taxpayer enrols for an IP PIN and sees it,
// signs out and in again and sees it again, and when the sign-in is more
// than 20 minutes old is asked to confirm it's them first. The lost-PIN
// screen is checked signed out, without JavaScript.
func TestIPPINJourney(t *testing.T) {
	t.Parallel()
	p := portaltest.Start(t)
	if _, err := demodata.Seed(t.Context(), p.DB, p.Vault, demodata.Options{Taxpayers: 3}); err != nil {
		t.Fatal(err)
	}
	b := NewBrowser(t, p, "ippin")

	// An account, verified as Maria Hernandez (demo taxpayer 0) would be at
	// the end of identity verification.
	b.Load(t, "/sign-up")
	b.Type(t, "#email", "maria@example.com")
	b.Type(t, "#password", journeyPassword)
	b.Navigate(t, "signing up", chromedp.Click(chromedp.CSS(`[data-testid="sign-up-form"] [type=submit]`)))
	b.Load(t, "/dev/outbox")
	b.Navigate(t, "confirming", chromedp.Click(chromedp.CSS(`[data-testid="outbox-message"] a[href*="confirm-link"]`)))
	b.Navigate(t, "confirming", chromedp.Click(chromedp.CSS("main form [type=submit]")))
	b.Click(t, `label[for="factor-totp"]`)
	b.Navigate(t, "choosing an app", chromedp.Click(chromedp.CSS(`[data-testid="choose-factor-form"] [type=submit]`)))
	key := strings.ReplaceAll(b.Text(t, `[data-testid="totp-key"]`), " ", "")
	secret, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(key)
	if err != nil {
		t.Fatalf("key %q: %v", key, err)
	}
	b.Type(t, "#code", credential.TOTPCode(secret, p.Clock.Now()))
	b.Navigate(t, "adding the app", chromedp.Click(chromedp.CSS(`[data-testid="setup-app-form"] [type=submit]`)))
	if err := p.DB.Model(&models.Account{}).Where("email = ?", "maria@example.com").
		Updates(map[string]any{"verified_at": p.Clock.Now(), "taxpayer_id": 1}).Error; err != nil {
		t.Fatal(err)
	}

	b.Visit(t, "status-not-enrolled", "/ip-pin")
	b.Follow(t, "enrol", `[data-testid="enrol"]`)
	b.Submit(t, "enrol-unconfirmed", `[data-testid="enrol-form"]`)
	if got := b.Text(t, `[data-testid="error-summary"]`); !strings.Contains(got, "every return you file") {
		t.Fatalf("no error for the unconfirmed commitment: %q", got)
	}
	b.Click(t, `label[for="commit"]`)
	b.Submit(t, "pin", `[data-testid="enrol-form"]`)
	pin := shownPIN(t, b)
	if !Eval[bool](t, b, `document.querySelector("[data-ippin-copy]").offsetWidth > 0`) {
		t.Error("with JavaScript the copy button stays hidden")
	}
	b.Click(t, `[data-ippin-copy]`)
	b.WaitUntil(t, `document.querySelector("[data-ippin-copied]").textContent !== ""`)

	b.Visit(t, "status-enrolled", "/ip-pin")

	// Sign out, sign in: the PIN is there, the same.
	b.Navigate(t, "signing out", chromedp.Click(chromedp.CSS("form.portal-signout [type=submit]")))
	b.Load(t, "/sign-in")
	b.Type(t, "#email", "maria@example.com")
	b.Type(t, "#password", journeyPassword)
	b.Navigate(t, "signing in", chromedp.Click(chromedp.CSS(`[data-testid="sign-in-form"] [type=submit]`)))
	p.Clock.Advance(30 * time.Second)
	b.Type(t, "#code", credential.TOTPCode(secret, p.Clock.Now()))
	b.Navigate(t, "second factor", chromedp.Click(chromedp.CSS(`[data-testid="factor-form"] [type=submit]`)))
	b.Visit(t, "pin-after-sign-in", "/ip-pin/view")
	if again := shownPIN(t, b); again != pin {
		t.Errorf("after signing in again the PIN is %q, was %q", again, pin)
	}

	// 21 minutes later, with the session kept active, seeing it asks to
	// confirm it's you, then comes back.
	for range 3 {
		p.Clock.Advance(7 * time.Minute)
		b.Load(t, "/ip-pin")
	}
	b.Load(t, "/ip-pin/view")
	if got := b.Location(t); !strings.Contains(got, "/account/confirm-it-is-you") {
		t.Fatalf("a stale sign-in sees the PIN at %s", got)
	}
	b.Check(t, "confirm-it-is-you")
	b.Type(t, "#password", journeyPassword)
	b.Navigate(t, "confirming the password", chromedp.Click(chromedp.CSS(`[data-testid="sign-in-form"] [type=submit]`)))
	p.Clock.Advance(30 * time.Second)
	b.Type(t, "#code", credential.TOTPCode(secret, p.Clock.Now()))
	b.Navigate(t, "confirming the code", chromedp.Click(chromedp.CSS(`[data-testid="factor-form"] [type=submit]`)))
	if got := b.Location(t); !strings.HasSuffix(got, "/ip-pin/view") {
		t.Fatalf("after confirming: %s", got)
	}
	b.Check(t, "pin-after-confirming")
	if again := shownPIN(t, b); again != pin {
		t.Errorf("after confirming the PIN is %q, was %q", again, pin)
	}

	b.Visit(t, "opt-out", "/ip-pin/opt-out")

	// Signed out, without JavaScript: the lost-PIN screen and its article.
	nojs := b.WithoutJavaScript(t)
	nojs.Visit(t, "lost-signed-out", "/ip-pin/lost")
	nojs.Visit(t, "lost-help", "/help/lost-ip-pin")
}

// shownPIN reads the PIN from the text screen readers hear.
func shownPIN(t *testing.T, b *Browser) string {
	t.Helper()
	spoken := b.Text(t, `[data-testid="pin"] .usa-sr-only`)
	digits := strings.ReplaceAll(strings.TrimSpace(spoken[strings.LastIndex(spoken, ":")+1:]), " ", "")
	if len(digits) != 6 {
		t.Fatalf("the PIN reads %q to screen readers", spoken)
	}
	return digits
}
