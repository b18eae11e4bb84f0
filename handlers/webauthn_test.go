package handlers_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/taxportal/portal/accounts/webauthntest"
	"github.com/taxportal/portal/notify/notifytest"
	"github.com/taxportal/portal/portaltest"
)

// newKey is a software security key for the test portal. Browsers refuse
// IP addresses as relying-party ids, so the portal on 127.0.0.1 takes its
// keys at localhost, on the same port.
func newKey(t *testing.T, p *portaltest.Portal) *webauthntest.Authenticator {
	t.Helper()
	u, err := url.Parse(p.Server.URL)
	if err != nil {
		t.Fatal(err)
	}
	return webauthntest.New("http://localhost:" + u.Port())
}

// csrfOf reads the token a page gives its scripts (the body's hx-headers).
func csrfOf(t *testing.T, page *portaltest.Page) string {
	t.Helper()
	raw, _ := page.Doc.Find("body").Attr("hx-headers")
	var h map[string]string
	if err := json.Unmarshal([]byte(raw), &h); err != nil || h["X-CSRF-Token"] == "" {
		t.Fatalf("no CSRF token for scripts on the page: %q", raw)
	}
	return h["X-CSRF-Token"]
}

// postJSON posts as webauthn.js does: JSON, with the page's CSRF token.
func postJSON(t *testing.T, p *portaltest.Portal, c *portaltest.Client, from *portaltest.Page, path string, body []byte) *portaltest.Page {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, p.Server.URL+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	if from != nil {
		req.Header.Set("X-CSRF-Token", csrfOf(t, from))
	}
	return c.Do(req)
}

// webauthnForm reads the endpoints a page's security-key form names.
func webauthnForm(t *testing.T, page *portaltest.Page, ceremony string) (options, finish string) {
	t.Helper()
	form := page.Doc.Find(`form[data-webauthn="` + ceremony + `"]`)
	if form.Length() != 1 {
		t.Fatalf("no %s security-key form on %s:\n%s", ceremony, page.Request.URL.Path, page.Text("main"))
	}
	options, _ = form.Attr("data-options-url")
	finish, _ = form.Attr("data-finish-url")
	return options, finish
}

type jsonAnswer struct {
	Redirect string `json:"redirect"`
	Error    string `json:"error"`
	Message  string `json:"message"`
	Blocked  bool   `json:"blocked"`
}

func decode(t *testing.T, page *portaltest.Page) jsonAnswer {
	t.Helper()
	var a jsonAnswer
	if err := json.Unmarshal([]byte(page.Body), &a); err != nil {
		t.Fatalf("status %d, not JSON: %.300s", page.StatusCode, page.Body)
	}
	return a
}

// signUpWithKey creates and confirms an account and adds a security key
// as its first second factor.
func signUpWithKey(t *testing.T, p *portaltest.Portal, c *portaltest.Client, email string) *webauthntest.Authenticator {
	t.Helper()
	form := c.Get("/sign-up")
	expectRedirect(t, c.Submit(form, `[data-testid="sign-up-form"]`, url.Values{"email": {email}, "password": {password}}), "/sign-up/confirm")
	check := c.Get("/sign-up/confirm")
	code := notifytest.CodeIn(lastMail(t, p, email).Text)
	expectRedirect(t, c.Submit(check, `[data-testid="confirm-code-form"]`, url.Values{"code": {code}}), "/account/setup")
	choose := c.Get("/account/setup")
	if !strings.Contains(choose.Text(`[data-testid="choose-factor-form"]`), "Security key or passkey") {
		t.Fatal("security keys are not offered")
	}
	expectRedirect(t, c.Submit(choose, `[data-testid="choose-factor-form"]`, url.Values{"factor": {"webauthn"}}), "/account/setup/security-key")

	page := c.Get("/account/setup/security-key")
	if page.StatusCode != http.StatusOK {
		t.Fatalf("security-key page: %d", page.StatusCode)
	}
	// Parsed as a browser with scripts on does, <noscript> holds raw text.
	if !strings.Contains(page.Doc.Find("noscript").Text(), "Security keys need JavaScript; turn it on or choose another way") {
		t.Error("no word for visitors without JavaScript")
	}
	if src, _ := page.Doc.Find(`script[src*="js/webauthn.js"]`).Attr("nonce"); src == "" {
		t.Error("webauthn.js is not loaded with the page's nonce")
	}
	options, finish := webauthnForm(t, page, "register")

	key := newKey(t, p)
	res := postJSON(t, p, c, page, options, nil)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("registration options: %d %.300s", res.StatusCode, res.Body)
	}
	created, err := key.Create([]byte(res.Body))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := json.Marshal(map[string]any{"name": "Blue key", "credential": json.RawMessage(created)})
	res = postJSON(t, p, c, page, finish, body)
	if res.StatusCode != http.StatusOK || decode(t, res).Redirect != "/account" {
		t.Fatalf("adding the key: %d %.300s", res.StatusCode, res.Body)
	}
	return key
}

// signInWithKey signs in with the password, then answers the security-key
// step with key, returning the finishing answer.
func signInWithKey(t *testing.T, p *portaltest.Portal, c *portaltest.Client, email string, key *webauthntest.Authenticator) *portaltest.Page {
	t.Helper()
	page := c.Get("/sign-in")
	expectRedirect(t, c.Submit(page, `[data-testid="sign-in-form"]`, url.Values{"email": {email}, "password": {password}}), "/sign-in/verify")
	verify := c.Get("/sign-in/verify")
	if got := verify.Text(`[data-testid="security-key-form"] button`); got != "Use your security key or passkey" {
		t.Fatalf("the security key is not the offered method: %q\n%s", got, verify.Text("main"))
	}
	if verify.Doc.Find(`[data-testid="factor-form"]`).Length() != 0 {
		t.Error("a code field is shown beside the security key")
	}
	options, finish := webauthnForm(t, verify, "sign-in")
	res := postJSON(t, p, c, verify, options, nil)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("sign-in options: %d %.300s", res.StatusCode, res.Body)
	}
	answer, err := key.Get([]byte(res.Body))
	if err != nil {
		t.Fatal(err)
	}
	return postJSON(t, p, c, verify, finish, answer)
}

func TestSecurityKeyEnrolSignOutAndSignIn(t *testing.T) {
	p := portaltest.Start(t)
	c := p.Client(t)
	key := signUpWithKey(t, p, c, "kim@example.com")

	acct := c.Get("/account")
	if acct.StatusCode != http.StatusOK {
		t.Fatalf("account after adding a key: %d", acct.StatusCode)
	}
	if !strings.Contains(acct.Text(`[data-testid="factors"]`), "Blue key") || !strings.Contains(acct.Text(`[data-testid="factors"]`), "Security key or passkey") {
		t.Errorf("the key is not listed: %q", acct.Text(`[data-testid="factors"]`))
	}
	if !strings.Contains(acct.Text("main"), "Your security key or passkey is set up.") {
		t.Error("no confirmation after adding the key")
	}
	if !strings.Contains(lastMail(t, p, "kim@example.com").Subject, "sign-in method was added") {
		t.Error("no notice of the added key")
	}

	// Backup codes as a second way: offered beside the key at sign-in.
	expectRedirect(t, c.Submit(c.Get("/account/setup"), `[data-testid="choose-factor-form"]`, url.Values{"factor": {"backup_codes"}}), "/account/setup/backup-codes")
	codes := c.Get("/account/setup/backup-codes")
	expectRedirect(t, c.Submit(codes, `form[action="/account/setup/backup-codes/done"]`, nil), "/account")

	expectRedirect(t, c.Submit(c.Get("/account"), "form.portal-signout", nil), "/signed-out")
	page := c.Get("/sign-in")
	expectRedirect(t, c.Submit(page, `[data-testid="sign-in-form"]`, url.Values{"email": {"kim@example.com"}, "password": {password}}), "/sign-in/verify")
	verify := c.Get("/sign-in/verify")
	if verify.Doc.Find(`a[href="/sign-in/verify?method=backup_codes"]`).Length() != 1 {
		t.Errorf("backup codes are not offered as another way: %q", verify.Text("main"))
	}
	backup := c.Get("/sign-in/verify?method=backup_codes")
	if backup.Doc.Find(`[data-testid="factor-form"]`).Length() != 1 || backup.Doc.Find(`a[href="/sign-in/verify?method=webauthn"]`).Text() != "Use your security key or passkey" {
		t.Errorf("the backup-code page does not offer the key as another way: %q", backup.Text("main"))
	}
	if backup.Doc.Find(`script[src*="js/webauthn.js"]`).Length() != 0 {
		t.Error("webauthn.js is loaded on a page without a key step")
	}
	expectRedirect(t, c.Submit(backup, "form.portal-signout", nil), "/signed-out")

	done := signInWithKey(t, p, c, "kim@example.com", key)
	if done.StatusCode != http.StatusOK || decode(t, done).Redirect != "/account" {
		t.Fatalf("signing in with the key: %d %.300s", done.StatusCode, done.Body)
	}
	if got := c.Get("/account").StatusCode; got != http.StatusOK {
		t.Errorf("account after signing in with the key: %d", got)
	}
	if !strings.Contains(c.Get("/account").Text(`[data-testid="history"]`), "security key or passkey") {
		t.Error("the history does not say how the sign-in was made")
	}
}

func TestAnotherAccountsSecurityKeyDoesNotSignIn(t *testing.T) {
	p := portaltest.Start(t)
	alice := p.Client(t)
	signUpWithKey(t, p, alice, "alice@example.com")
	bob := p.Client(t)
	bobsKey := signUpWithKey(t, p, bob, "bob@example.com")

	intruder := p.Client(t)
	res := signInWithKey(t, p, intruder, "alice@example.com", bobsKey)
	a := decode(t, res)
	if res.StatusCode != http.StatusUnprocessableEntity || a.Error != "webauthn.not_registered" || !strings.Contains(a.Message, "isn’t registered to this account") {
		t.Errorf("bob's key on alice's account: %d %+v", res.StatusCode, a)
	}
	if !strings.Contains(a.Message, "9 tries left") {
		t.Errorf("the refusal does not say how many tries are left: %q", a.Message)
	}
	expectRedirect(t, intruder.Get("/account"), "/sign-in/verify")
}

func TestSecurityKeyStepGuards(t *testing.T) {
	p := portaltest.Start(t)
	c := p.Client(t)
	key := signUpWithKey(t, p, c, "lee@example.com")
	acct := c.Get("/account")
	c.Submit(acct, "form.portal-signout", nil)

	// Signed out: no options, only the way to sign in.
	home := c.Get("/sign-in")
	expectRedirect(t, postJSON(t, p, c, home, "/sign-in/verify/security-key/options", nil), "/sign-in")

	page := c.Get("/sign-in")
	expectRedirect(t, c.Submit(page, `[data-testid="sign-in-form"]`, url.Values{"email": {"lee@example.com"}, "password": {password}}), "/sign-in/verify")
	verify := c.Get("/sign-in/verify")
	// Without the CSRF token the request is refused.
	if res := postJSON(t, p, c, nil, "/sign-in/verify/security-key/options", nil); res.StatusCode != http.StatusForbidden {
		t.Errorf("options without a CSRF token: %d", res.StatusCode)
	}
	// An answer without options asked first has no challenge to match.
	answer, _ := key.Get([]byte(`{"publicKey":{"rpId":"localhost","challenge":"AAAAAAAAAAAAAAAAAAAAAA"}}`))
	res := postJSON(t, p, c, verify, "/sign-in/verify/security-key", answer)
	if a := decode(t, res); res.StatusCode != http.StatusUnprocessableEntity || a.Error != "webauthn.expired" {
		t.Errorf("an answer with no ceremony: %d %+v", res.StatusCode, a)
	}
	if got := c.Get("/account/setup/security-key"); got.StatusCode != http.StatusSeeOther {
		t.Errorf("adding a key before the second factor: %d", got.StatusCode)
	}
}
