package browsertest

import (
	"context"
	"encoding/base32"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/taxportal/portal/credential"
	"github.com/taxportal/portal/demodata"
	"github.com/taxportal/portal/models"
	"github.com/taxportal/portal/portaltest"
)

// TestRecordsJourney signs in as a verified demo taxpayer whose refund is
// held (Leilani Kahananui, taxpayer 4), lands on the dashboard, opens the
// account transcript, downloads its PDF and CSV, and reads the refund
// tracker; then, signed out, checks the refund with the public lookup.
func TestRecordsJourney(t *testing.T) {
	t.Parallel()
	p := portaltest.Start(t)
	p.Clock.T = demodata.Today.Add(17 * time.Hour)
	if _, err := demodata.Seed(t.Context(), p.DB, p.Vault, demodata.Options{Taxpayers: 10}); err != nil {
		t.Fatal(err)
	}
	leilani := demodata.Featured[4]
	year := strconv.Itoa(leilani.LatestYear)
	b := NewBrowser(t, p, "records")

	// An account with an authentication app, linked to the taxpayer as a
	// finished identity verification links it.
	b.Visit(t, "sign-up", "/sign-up")
	b.Type(t, "#email", "leilani@example.com")
	b.Type(t, "#password", journeyPassword)
	b.Navigate(t, "signing up", clickSubmit(`[data-testid="sign-up-form"]`))
	b.Load(t, "/dev/outbox")
	b.Navigate(t, "confirming", clickLink(`[data-testid="outbox-message"] a[href*="confirm-link"]`))
	b.Navigate(t, "confirming", clickSubmit("main form"))
	b.Click(t, `label[for="factor-totp"]`)
	b.Navigate(t, "choosing an app", clickSubmit(`[data-testid="choose-factor-form"]`))
	key := strings.ReplaceAll(b.Text(t, `[data-testid="totp-key"]`), " ", "")
	secret, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(key)
	if err != nil {
		t.Fatalf("key %q: %v", key, err)
	}
	b.Type(t, "#code", credential.TOTPCode(secret, p.Clock.Now()))
	b.Navigate(t, "setting up the app", clickSubmit(`[data-testid="setup-app-form"]`))
	if err := p.DB.Model(&models.Account{}).Where("email = ?", "leilani@example.com").
		Updates(map[string]any{"verified_at": p.Clock.Now(), "taxpayer_id": 5}).Error; err != nil {
		t.Fatal(err)
	}
	b.Navigate(t, "signing out", clickSubmit("form.portal-signout"))

	// Signing in lands a verified taxpayer on the dashboard.
	b.Visit(t, "sign-in", "/sign-in")
	b.Type(t, "#email", "leilani@example.com")
	b.Type(t, "#password", journeyPassword)
	b.Navigate(t, "password", clickSubmit(`[data-testid="sign-in-form"]`))
	p.Clock.Advance(30 * time.Second)
	b.Type(t, "#code", credential.TOTPCode(secret, p.Clock.Now()))
	b.Submit(t, "dashboard", `[data-testid="factor-form"]`)
	if got := b.Location(t); !strings.HasSuffix(got, "/dashboard") {
		t.Fatalf("after signing in: %s", got)
	}
	if got := b.Text(t, `[data-testid="refund-headline"]`); !strings.Contains(got, "CP05") && !strings.Contains(b.Text(t, `[data-testid="refund-`+year+`"]`), "CP05") {
		t.Errorf("the held refund does not explain itself: %q", got)
	}

	b.Follow(t, "records", `main a[href="/records"]`)
	b.Follow(t, "account-transcript", `[data-testid="year-`+year+`"] a[href="/records/`+year+`/account"]`)
	if b.Count(t, `[data-testid="transactions"] tr[data-code="570"]`) != 1 {
		t.Error("the transcript does not list the hold")
	}
	// Printed, the transcript is a plain document: no site header, no
	// buttons, the transactions a table with its columns.
	b.call(t, "emulating print", func(ctx context.Context, tgt *chromedp.Target) error {
		_, err := cdp.Call(ctx, tgt, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"})
		return err
	})
	if Eval[bool](t, b, `[".usa-header", "[data-testid=download-pdf]", ".usa-footer"].some(s => document.querySelector(s).getClientRects().length > 0)`) {
		t.Error("the printed transcript carries the site's header or buttons")
	}
	if got := Eval[string](t, b, `getComputedStyle(document.querySelector("[data-testid=transactions] td")).display`); got != "table-cell" {
		t.Errorf("printed transactions are laid out as %q, not a table", got)
	}
	*b.seq++
	b.screenshot(t, *b.seq, "account-transcript-print", desktop)
	b.call(t, "back to screen", func(ctx context.Context, tgt *chromedp.Target) error {
		_, err := cdp.Call(ctx, tgt, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: ""})
		return err
	})

	for _, dl := range []struct{ sel, typ, start string }{
		{`[data-testid="download-pdf"]`, "application/pdf", "%PDF-"},
		{`[data-testid="download-csv"]`, "text/csv; charset=utf-8", "Tax year,Code,"},
	} {
		href := b.Attr(t, dl.sel, "href")
		got := Eval[[]string](t, b, `fetch(`+jsString(href)+`).then(async r => [String(r.status), r.headers.get("Content-Type"), r.headers.get("Content-Disposition"), (await r.text()).slice(0, 14)])`)
		if got[0] != "200" || got[1] != dl.typ || !strings.HasPrefix(got[2], "attachment;") || !strings.HasPrefix(got[3], dl.start) {
			t.Errorf("download %s: %q", href, got)
		}
	}

	b.Visit(t, "refunds", "/refunds")
	if got := b.Text(t, `[data-testid="refund-`+year+`"] [data-testid="refund-headline"]`); got == "" {
		t.Error("no refund headline")
	}
	b.Visit(t, "notices", "/notices")

	// Signed out: the public lookup, with the same stages.
	b.Navigate(t, "signing out", clickSubmit("form.portal-signout"))
	b.Visit(t, "lookup", "/refund-status")
	b.Type(t, "#ssn", leilani.SSN)
	b.run(t, "choosing the year", setValue("#tax_year", year))
	b.run(t, "choosing the status", setValue("#filing_status", string(leilani.FilingStatus)))
	b.Type(t, "#refund", strconv.FormatInt(leilani.RefundDollars+7, 10))
	b.Submit(t, "lookup-no-match", `[data-testid="lookup-form"]`)
	if !strings.Contains(b.Text(t, `[data-testid="lookup-problem"]`), "don’t match") {
		t.Error("a wrong amount is not refused")
	}
	b.Clear(t, "#refund")
	b.Type(t, "#refund", strconv.FormatInt(leilani.RefundDollars, 10))
	b.Submit(t, "lookup-result", `[data-testid="lookup-form"]`)
	if got := b.Text(t, `[data-testid="refund-headline"]`); got != "Return Received" {
		t.Errorf("public lookup: %q", got)
	}
	if loc := b.Location(t); strings.Contains(loc, "?") {
		t.Errorf("the lookup put its answer in the URL: %s", loc)
	}
}

// clickSubmit presses a form's submit button, for steps that only lead on.
func clickSubmit(form string) chromedp.Action[chromedp.Void] {
	return chromedp.Click(chromedp.CSS(form + " [type=submit]"))
}

func clickLink(sel string) chromedp.Action[chromedp.Void] { return chromedp.Click(chromedp.CSS(sel)) }

// setValue picks an option of a select.
func setValue(sel, value string) chromedp.Action[chromedp.Void] {
	return chromedp.SetValue(chromedp.CSS(sel), value)
}
