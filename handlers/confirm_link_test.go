package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/taxportal/portal/models"
	"github.com/taxportal/portal/notify/notifytest"
	"github.com/taxportal/portal/portaltest"
)

// confirmLinkIn is the confirmation link in the newest message to email,
// as a path the test client can open.
func confirmLinkIn(t *testing.T, p *portaltest.Portal, email string) string {
	t.Helper()
	link := notifytest.LinkIn(lastMail(t, p, email).Text, p.Server.URL+"/sign-up/confirm-link")
	if link == "" {
		t.Fatalf("no confirmation link in the message to %s", email)
	}
	return strings.TrimPrefix(link, p.Server.URL)
}

func confirmed(t *testing.T, p *portaltest.Portal, email string) bool {
	t.Helper()
	acct, err := models.FindAccountByEmail(t.Context(), p.DB, email)
	if err != nil {
		t.Fatal(err)
	}
	return acct.EmailConfirmedAt != nil
}

// Pre-account hijack: someone signs up with another person's address and a
// password of their own. The owner, finding the e-mail, clicks its link in
// their own browser: that must not confirm an account whose password the
// clicker has not shown. The page asks for the password and says what to
// do if they never signed up; signing up themselves replaces the pending
// password, and then the account is theirs alone.
func TestAConfirmationLinkElsewhereDoesNotConfirmSomeoneElsesPassword(t *testing.T) {
	p := portaltest.Start(t)
	attacker := p.Client(t)
	expectRedirect(t, attacker.Submit(attacker.Get("/sign-up"), `[data-testid="sign-up-form"]`,
		url.Values{"email": {"owner@example.com"}, "password": {"the squatter's own passphrase"}}), "/sign-up/confirm")

	owner := p.Client(t)
	page := owner.Get(confirmLinkIn(t, p, "owner@example.com"))
	if page.Doc.Find(`[data-testid="confirm-link-form"] input[name="password"]`).Length() != 1 {
		t.Fatal("the link's page in another browser does not ask for the password")
	}
	if notMine := page.Text(`[data-testid="not-mine"]`); !strings.Contains(notMine, "If you did not create this account, ignore this email or create your own account") ||
		page.Doc.Find(`[data-testid="not-mine"] a[href="/sign-up"]`).Length() != 1 {
		t.Errorf("no way out for someone who never signed up: %q", notMine)
	}
	for _, typed := range []string{"", "a guess at the password"} {
		got := owner.Submit(page, `[data-testid="confirm-link-form"]`, url.Values{"password": {typed}})
		if got.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("the click with password %q: %d, want 422", typed, got.StatusCode)
		}
		if confirmed(t, p, "owner@example.com") {
			t.Fatalf("the owner's click (password %q) confirmed the squatter's account", typed)
		}
	}

	// The owner signs up for real: the pending password is replaced, and
	// the link, in the owner's browser, confirms the owner's account.
	expectRedirect(t, owner.Submit(owner.Get("/sign-up"), `[data-testid="sign-up-form"]`,
		url.Values{"email": {"owner@example.com"}, "password": {password}}), "/sign-up/confirm")
	mine := owner.Get(confirmLinkIn(t, p, "owner@example.com"))
	if mine.Doc.Find(`input[name="password"]`).Length() != 0 {
		t.Error("the browser that signed up is asked for the password")
	}
	expectRedirect(t, owner.Submit(mine, `[data-testid="confirm-link-form"]`, nil), "/account/setup")
	if !confirmed(t, p, "owner@example.com") {
		t.Fatal("the owner's own sign-up was not confirmed")
	}
	squat := attacker.Submit(attacker.Get("/sign-in"), `[data-testid="sign-in-form"]`,
		url.Values{"email": {"owner@example.com"}, "password": {"the squatter's own passphrase"}})
	if squat.StatusCode == http.StatusSeeOther {
		t.Error("the squatter's password still signs in")
	}
}

// Someone who signed up on one device and opens the link on another shows
// the password they chose, and is then asked to sign in.
func TestAConfirmationLinkElsewhereWorksWithThePassword(t *testing.T) {
	p := portaltest.Start(t)
	computer := p.Client(t)
	expectRedirect(t, computer.Submit(computer.Get("/sign-up"), `[data-testid="sign-up-form"]`,
		url.Values{"email": {"jane@example.com"}, "password": {password}}), "/sign-up/confirm")
	phone := p.Client(t)
	page := phone.Get(confirmLinkIn(t, p, "jane@example.com"))
	done := phone.Submit(page, `[data-testid="confirm-link-form"]`, url.Values{"password": {password}})
	if done.StatusCode != http.StatusOK || !strings.Contains(done.Text("main"), "confirmed") {
		t.Fatalf("with the right password: %d\n%s", done.StatusCode, done.Text("main"))
	}
	if !confirmed(t, p, "jane@example.com") {
		t.Error("not confirmed")
	}
}
