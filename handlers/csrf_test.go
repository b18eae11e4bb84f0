package handlers_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/taxportal/portal/portaltest"
)

func csrfCookie(t *testing.T, p *portaltest.Portal, c *portaltest.Client) *http.Cookie {
	t.Helper()
	u, _ := url.Parse(p.Server.URL)
	for _, ck := range c.HTTP.Jar.Cookies(u) {
		if ck.Name == "csrf" {
			return ck
		}
	}
	t.Fatal("no CSRF cookie")
	return nil
}

func TestTheCSRFTokenIsNeverReadFromTheQueryString(t *testing.T) {
	p := portaltest.Start(t)
	c := p.Client(t)
	token := tokenOn(t, c, "/sign-in")
	form := url.Values{"email": {"x@example.com"}, "password": {"wrong password again"}}
	if got := c.PostForm("/sign-in?_csrf="+url.QueryEscape(token), form); got.StatusCode != http.StatusForbidden {
		t.Errorf("a token in the query string was accepted: %d", got.StatusCode)
	}
	form.Set("_csrf", token)
	if got := c.PostForm("/sign-in", form); got.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("the same token in the form: %d", got.StatusCode)
	}
}

func TestTheCSRFTokenIsBoundToTheSignedInSession(t *testing.T) {
	p := portaltest.Start(t)
	victim := p.Client(t)
	secret := signUp(t, p, victim, "victim@example.com") // and signed in

	// An attacker who can plant a cookie in the victim's browser plants
	// their own CSRF secret, with the token that goes with it.
	attacker := p.Client(t)
	planted := tokenOn(t, attacker, "/sign-in")
	u, _ := url.Parse(p.Server.URL)
	victim.HTTP.Jar.SetCookies(u, []*http.Cookie{csrfCookie(t, p, attacker)})
	if got := victim.PostForm("/account/sessions/end-others", url.Values{"_csrf": {planted}}); got.StatusCode != http.StatusForbidden {
		t.Errorf("a planted secret and its token worked in a signed-in session: %d", got.StatusCode)
	}

	// Signing in starts a new session: a token from before stops working,
	// and the new session's own token works.
	other := p.Client(t)
	signedOut := tokenOn(t, other, "/sign-in")
	signIn(t, p, other, "victim@example.com", secret)
	if got := other.PostForm("/account/sessions/end-others", url.Values{"_csrf": {signedOut}}); got.StatusCode != http.StatusForbidden {
		t.Errorf("a token from before signing in still works: %d", got.StatusCode)
	}
	if got := other.PostForm("/account/sessions/end-others", url.Values{"_csrf": {tokenOn(t, other, "/account")}}); got.StatusCode != http.StatusSeeOther {
		t.Errorf("the session's own token: %d", got.StatusCode)
	}
}
