package browsertest

import (
	"encoding/base32"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/taxportal/portal/credential"
	"github.com/taxportal/portal/demodata"
	"github.com/taxportal/portal/models"
	"github.com/taxportal/portal/notify/notifytest"
	"github.com/taxportal/portal/portaltest"
)

// signUpQuickly creates an account with an authentication app through the
// browser, without checking the pages on the way (the account journey
// does), and leaves the tab signed in.
func signUpQuickly(t *testing.T, b *Browser, p *portaltest.Portal, email string) {
	t.Helper()
	b.Load(t, "/sign-up")
	b.Type(t, "#email", email)
	b.Type(t, "#password", journeyPassword)
	b.Navigate(t, "signing up", chromedp.Click(chromedp.CSS(`[data-testid="sign-up-form"] [type=submit]`)))
	msgs, err := p.Outbox(t).ForRecipient(t.Context(), email, 1)
	if err != nil || len(msgs) == 0 {
		t.Fatalf("no confirmation e-mail: %v", err)
	}
	b.Type(t, "#code", notifytest.CodeIn(msgs[0].Text))
	b.Navigate(t, "confirming", chromedp.Click(chromedp.CSS(`[data-testid="confirm-code-form"] [type=submit]`)))
	b.Click(t, `label[for="factor-totp"]`)
	b.Navigate(t, "choosing an app", chromedp.Click(chromedp.CSS(`[data-testid="choose-factor-form"] [type=submit]`)))
	key := strings.ReplaceAll(b.Text(t, `[data-testid="totp-key"]`), " ", "")
	secret, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(key)
	if err != nil {
		t.Fatalf("key %q: %v", key, err)
	}
	b.Type(t, "#code", credential.TOTPCode(secret, p.Clock.Now()))
	b.Navigate(t, "adding the app", chromedp.Click(chromedp.CSS(`[data-testid="setup-app-form"] [type=submit]`)))
}

// TestVerificationJourney takes demo taxpayer Maria Hernandez from her new
// account through online verification: photos (real JPEGs, uploaded by the
// page's script with its preview and progress bar), SSN, information, the
// match, a texted code from the outbox, the review (decided here as the
// agent console does), and her password, to "verified".
func TestVerificationJourney(t *testing.T) {
	t.Parallel()
	p := portaltest.Start(t)
	if _, err := demodata.Seed(t.Context(), p.DB, p.Vault, demodata.Options{Taxpayers: 10}); err != nil {
		t.Fatal(err)
	}
	b := NewBrowser(t, p, "verify")
	signUpQuickly(t, b, p, "maria@example.com")

	b.Follow(t, "verify-consent", `a[href="/verify"]`)
	b.Click(t, `label[for="consent"]`)
	b.Submit(t, "verify-method", `[data-testid="consent-form"]`)
	b.Click(t, `label[for="method-online"]`)
	b.Submit(t, "verify-id-type", `[data-testid="choice-form"]`)
	b.Click(t, `label[for="id_type-drivers_license"]`)
	b.Submit(t, "verify-documents", `[data-testid="choice-form"]`)

	dir := t.TempDir()
	for i, side := range []string{"front", "back", "selfie"} {
		path := filepath.Join(dir, side+".jpg")
		if err := os.WriteFile(path, portaltest.Photo(t, i, 900, 600), 0o600); err != nil {
			t.Fatal(err)
		}
		b.run(t, "choosing the "+side+" photo", chromedp.SetUploadFiles(chromedp.CSS("#photo-"+side), []string{path}))
		b.WaitFor(t, `[data-testid="photo-`+side+`"] img[data-upload-preview]`)
		if i == 0 {
			b.Check(t, "verify-photo-preview")
		}
		// The script uploads it, then loads the page again.
		b.Navigate(t, "uploading the "+side, chromedp.Click(chromedp.CSS(`[data-testid="photo-`+side+`"] form [type=submit]`)))
		if msg := b.Text(t, `[data-testid="photo-`+side+`"] [data-upload-error]`); msg != "" {
			t.Fatalf("uploading the %s: %s", side, msg)
		}
		b.WaitFor(t, `[data-testid="photo-`+side+`-done"]`)
	}
	b.Check(t, "verify-documents-added")
	b.Submit(t, "verify-ssn", `[data-testid="documents-continue"]`)

	b.Type(t, "#ssn", "987-65-4320")
	b.Submit(t, "verify-information", `[data-testid="fields-form"]`)
	for sel, v := range map[string]string{"#first_name": "Maria", "#last_name": "Hernandez", "#dob_day": "14", "#dob_year": "1986",
		"#street1": "2417 Desert Willow Dr", "#city": "Phoenix", "#zip": "85016"} {
		b.Type(t, sel, v)
	}
	b.run(t, "choosing the month and state", chromedp.SetValue(chromedp.CSS("#dob_month"), "3"), chromedp.SetValue(chromedp.CSS("#state"), "AZ"))
	b.Submit(t, "verify-match", `[data-testid="info-form"]`)
	b.Submit(t, "verify-confirm", `[data-testid="match-form"]`)
	b.Submit(t, "verify-code-sent", `[data-testid="send-code-form"]`)
	texts, err := p.Outbox(t).ForRecipient(t.Context(), "6025550100", 1)
	if err != nil || len(texts) == 0 {
		t.Fatalf("no text to the phone of record: %v", err)
	}
	b.Type(t, "#code", notifytest.CodeIn(texts[0].Text))
	b.Submit(t, "verify-review", `[data-testid="phone-code-form"]`)
	if got := b.Text(t, `[data-testid="queue-position"]`); got != "You are next in line." {
		t.Fatalf("review page: %q", got)
	}

	// The demo agent accepts the photos in the agent console, on their own
	// computer; the person comes back.
	agent := b.AnotherDevice(t)
	signInStaff(t, agent, p, demoStaff(t, models.RoleAgent))
	approveFirstCase(t, agent, false)
	b.Load(t, "/verify")
	b.Check(t, "verify-password")
	b.Type(t, "#password", journeyPassword)
	b.Submit(t, "verify-done", `[data-testid="fields-form"]`)
	if got := b.Text(t, "h1"); got != "Your identity is verified" {
		t.Fatalf("at the end: %q", got)
	}
}
