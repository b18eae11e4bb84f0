package browsertest

import (
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/taxportal/portal/demodata"
	"github.com/taxportal/portal/portaltest"
)

// TestPhoneHandoffJourney starts verification on a computer, texts the
// link to a phone, takes the three photos on the phone (by the page's
// script, with preview and progress), and sees them arrive on the
// computer's page, which refreshes itself.
func TestPhoneHandoffJourney(t *testing.T) {
	t.Parallel()
	p := portaltest.Start(t)
	if _, err := demodata.Seed(t.Context(), p.DB, p.Vault, demodata.Options{Taxpayers: 10}); err != nil {
		t.Fatal(err)
	}
	b := NewBrowser(t, p, "handoff")
	signUpQuickly(t, b, p, "handoff@example.com")
	b.Load(t, "/verify")
	b.Click(t, `label[for="consent"]`)
	b.Submit(t, "handoff-method", `[data-testid="consent-form"]`)
	b.Click(t, `label[for="method-online"]`)
	b.Submit(t, "handoff-id-type", `[data-testid="choice-form"]`)
	b.Click(t, `label[for="id_type-drivers_license"]`)
	b.Submit(t, "handoff-documents", `[data-testid="choice-form"]`)
	b.Submit(t, "handoff-code", `form:has([data-testid="use-phone"])`)
	b.WaitFor(t, `[data-testid="handoff-qr"]`)
	b.Type(t, "#phone", "202-555-0143")
	b.Submit(t, "handoff-texted", `form:has([data-testid="handoff-text"])`)

	texts, err := p.Outbox(t).ForRecipient(t.Context(), "2025550143", 1)
	if err != nil || len(texts) == 0 {
		t.Fatalf("no text with the link: %v", err)
	}
	link, err := url.Parse(regexp.MustCompile(`https?://\S+/verify/phone\?token=[A-Za-z0-9_-]+`).FindString(texts[0].Text))
	if err != nil || link.Path == "" {
		t.Fatalf("no link in %q", texts[0].Text)
	}

	phone := b.AnotherDevice(t)
	phone.Phone(t)
	phone.Load(t, link.RequestURI())
	phone.CheckPhone(t, "phone-start")
	phone.Navigate(t, "continuing on the phone", chromedp.Click(chromedp.CSS(`[data-testid="phone-continue"]`)))
	phone.CheckPhone(t, "phone-photos")
	dir := t.TempDir()
	for i, side := range []string{"front", "back", "selfie"} {
		path := filepath.Join(dir, side+".jpg")
		if err := os.WriteFile(path, portaltest.Photo(t, i, 900, 600), 0o600); err != nil {
			t.Fatal(err)
		}
		phone.run(t, "choosing the "+side+" photo", chromedp.SetUploadFiles(chromedp.CSS("#photo-"+side), []string{path}))
		phone.WaitFor(t, `[data-testid="photo-`+side+`"] img[data-upload-preview]`)
		phone.Navigate(t, "uploading the "+side, chromedp.Click(chromedp.CSS(`[data-testid="photo-`+side+`"] form [type=submit]`)))
		if msg := phone.Text(t, `[data-testid="photo-`+side+`"] [data-upload-error]`); msg != "" {
			t.Fatalf("uploading the %s: %s", side, msg)
		}
		phone.WaitFor(t, `[data-testid="photo-`+side+`-done"]`)
	}
	phone.WaitFor(t, `[data-testid="phone-done"]`)
	phone.CheckPhone(t, "phone-done")

	// The computer's page asks every few seconds and shows them all.
	b.WaitFor(t, `[data-testid="handoff-status"] .usa-alert--success`)
	b.Check(t, "handoff-arrived")
	b.Navigate(t, "back to the photos", chromedp.Click(chromedp.CSS(`[data-testid="handoff-back"]`)))
	b.WaitFor(t, `[data-testid="photo-selfie-done"]`)
	b.Submit(t, "handoff-ssn", `[data-testid="documents-continue"]`)
}
