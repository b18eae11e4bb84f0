package browsertest

import (
	"encoding/base32"
	"strings"
	"testing"
	"time"

	"github.com/taxportal/portal/credential"
	"github.com/taxportal/portal/portaltest"
)

const journeyPassword = "correct horse battery staple"

// TestAccountJourney creates an account, confirms it from the development
// outbox, sets up an authentication app, signs out and in again, sees the
// inactivity warning, and finally lets the session time out.
func TestAccountJourney(t *testing.T) {
	t.Parallel()
	p := portaltest.Start(t, portaltest.IdleTimeout(160*time.Second))
	b := NewBrowser(t, p, "account")

	b.Visit(t, "sign-up", "/sign-up")
	b.Type(t, "#email", "ada@example.com")
	b.Type(t, "#password", journeyPassword)
	b.Submit(t, "check-email", `[data-testid="sign-up-form"]`)
	if got := b.Text(t, "h1"); got != "Check your email" {
		t.Fatalf("after sign-up: %q", got)
	}

	b.Visit(t, "outbox", "/dev/outbox")
	b.Follow(t, "confirm-link", `[data-testid="outbox-message"] a[href*="confirm-link"]`)
	b.Submit(t, "choose-factor", "main form")
	if got := b.Text(t, "h1"); !strings.Contains(got, "second way") {
		t.Fatalf("after confirming: %q", got)
	}

	b.Click(t, `label[for="factor-totp"]`)
	b.Submit(t, "setup-app", `[data-testid="choose-factor-form"]`)
	key := strings.ReplaceAll(b.Text(t, `[data-testid="totp-key"]`), " ", "")
	secret, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(key)
	if err != nil {
		t.Fatalf("key %q: %v", key, err)
	}
	b.Type(t, "#name", "My phone")
	b.Type(t, "#code", credential.TOTPCode(secret, p.Clock.Now()))
	b.Submit(t, "account", `[data-testid="setup-app-form"]`)
	if got := b.Text(t, `[data-testid="account-email"]`); got != "ada@example.com" {
		t.Fatalf("account page shows %q", got)
	}

	b.Submit(t, "signed-out", "form.portal-signout")
	if got := b.Location(t); !strings.HasSuffix(got, "/signed-out") {
		t.Fatalf("after signing out: %s", got)
	}

	b.Visit(t, "sign-in", "/sign-in")
	b.Type(t, "#email", "ada@example.com")
	b.Type(t, "#password", journeyPassword)
	b.Submit(t, "verify", `[data-testid="sign-in-form"]`)
	p.Clock.Advance(30 * time.Second)
	b.Type(t, "#code", credential.TOTPCode(secret, p.Clock.Now()))
	b.Submit(t, "signed-in", `[data-testid="factor-form"]`)
	if got := b.Location(t); !strings.HasSuffix(got, "/account") {
		t.Fatalf("after the second factor: %s", got)
	}

	// The warning opens 2.5 minutes before the end: with a 160-second limit,
	// 10 s after the page loads. The server's clock moves 40 s meanwhile,
	// so when the page asks, 120 s are left and the warning opens.
	p.Clock.Advance(40 * time.Second)
	b.WaitUntil(t, `document.getElementById("session-timeout").open`)
	b.Check(t, "timeout-warning")
	b.Click(t, `[data-keep-alive]`)
	b.WaitUntil(t, `!document.getElementById("session-timeout").open`)

	p.Clock.Advance(4 * time.Minute)
	b.Load(t, "/account")
	if got := b.Location(t); !strings.Contains(got, "/sign-in") {
		t.Errorf("after the idle limit the account page is at %s, want the sign-in page", got)
	}
}
