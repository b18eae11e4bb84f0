package browsertest

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/webauthn"
	"github.com/chromedp/chromedp"

	"github.com/taxportal/portal/portaltest"
)

// addSecurityKey plugs a virtual security key into the tab: CTAP2 over USB,
// with resident keys (passkeys) and user verification that succeeds, and a
// touch that happens by itself.
func (b *Browser) addSecurityKey(t testing.TB) {
	t.Helper()
	b.call(t, "adding a virtual security key", func(ctx context.Context, tg *chromedp.Target) error {
		if _, err := cdp.Call(ctx, tg, webauthn.Enable, webauthn.EnableParams{}); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, tg, webauthn.AddVirtualAuthenticator, webauthn.AddVirtualAuthenticatorParams{
			Options: &webauthn.VirtualAuthenticatorOptions{
				Protocol:                    webauthn.AuthenticatorProtocolCtap2,
				Transport:                   webauthn.AuthenticatorTransportUsb,
				HasResidentKey:              true,
				HasUserVerification:         true,
				IsUserVerified:              true,
				AutomaticPresenceSimulation: true,
			},
		})
		return err
	})
}

// pressKeyButton presses a security-key button; webauthn.js talks to the
// key and the server, then loads the next page, which is checked as name.
func (b *Browser) pressKeyButton(t *testing.T, name string) {
	t.Helper()
	b.Navigate(t, "using the security key", chromedp.Click(chromedp.CSS(`[data-testid="security-key-form"] [type=submit]`)))
	b.Check(t, name)
}

// TestSecurityKeyJourney creates an account, confirms it from the
// development outbox, adds a security key as its second factor, signs out
// and signs in again with the key. Browsers refuse IP addresses as
// relying-party ids, so this journey browses the portal as localhost.
func TestSecurityKeyJourney(t *testing.T) {
	t.Parallel()
	p := portaltest.Start(t)
	b := NewBrowser(t, p, "security-key")
	b.base = strings.Replace(b.base, "//127.0.0.1:", "//localhost:", 1)
	b.addSecurityKey(t)

	b.Visit(t, "sign-up", "/sign-up")
	b.Type(t, "#email", "grace@example.com")
	b.Type(t, "#password", journeyPassword)
	b.Submit(t, "check-email", `[data-testid="sign-up-form"]`)

	// The e-mailed link names the portal's own address (127.0.0.1): follow
	// its path here, where the cookies are.
	b.Visit(t, "outbox", "/dev/outbox")
	link, err := url.Parse(b.Attr(t, `[data-testid="outbox-message"] a[href*="confirm-link"]`, "href"))
	if err != nil {
		t.Fatal(err)
	}
	b.Visit(t, "confirm-link", link.RequestURI())
	b.Submit(t, "choose-factor", "main form")

	b.Click(t, `label[for="factor-webauthn"]`)
	b.Submit(t, "setup-security-key", `[data-testid="choose-factor-form"]`)
	if got := b.Text(t, "h1"); got != "Add a security key or passkey" {
		t.Fatalf("after choosing a security key: %q", got)
	}
	b.Type(t, "#name", "Virtual key")
	b.pressKeyButton(t, "account")
	if got := b.Location(t); !strings.HasSuffix(got, "/account") {
		t.Fatalf("after adding the key: %s", got)
	}
	if got := b.Text(t, `[data-testid="factors"]`); !strings.Contains(got, "Virtual key") {
		t.Errorf("the key is not listed: %q", got)
	}

	// The same key a second time: the browser refuses, the page says why.
	b.Visit(t, "setup-security-key-again", "/account/setup/security-key")
	b.Click(t, `[data-testid="security-key-form"] [type=submit]`)
	b.WaitFor(t, `#webauthn-status [data-testid="alert-error"]`)
	if got := b.Text(t, "#webauthn-status"); !strings.Contains(got, "already on your account") {
		t.Errorf("adding the key twice says %q", got)
	}
	b.Check(t, "already-added")

	b.Submit(t, "signed-out", "form.portal-signout")
	b.Visit(t, "sign-in", "/sign-in")
	b.Type(t, "#email", "grace@example.com")
	b.Type(t, "#password", journeyPassword)
	b.Submit(t, "verify-security-key", `[data-testid="sign-in-form"]`)
	if got := b.Text(t, `[data-testid="security-key-form"] button`); got != "Use your security key or passkey" {
		t.Fatalf("the sign-in does not offer the key: %q", got)
	}
	b.pressKeyButton(t, "signed-in")
	if got := b.Location(t); !strings.HasSuffix(got, "/account") {
		t.Fatalf("after the security key: %s", got)
	}

	// Without JavaScript the key step says what to do instead.
	nojs := b.WithoutJavaScript(t)
	nojs.Visit(t, "sign-in-no-js", "/sign-in")
	nojs.Type(t, "#email", "grace@example.com")
	nojs.Type(t, "#password", journeyPassword)
	nojs.Submit(t, "verify-no-js", `[data-testid="sign-in-form"]`)
	if got := nojs.Text(t, `[data-testid="webauthn-noscript"]`); got != "Security keys need JavaScript; turn it on or choose another way." {
		t.Errorf("without JavaScript the key step says %q", got)
	}
}
